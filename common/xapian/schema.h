/*
 * schema.h: the index format's one table of term prefixes and value slots.
 *
 * Plain C, included by the shim and by the C code that builds documents and
 * queries, so that every prefix and slot is defined exactly once.  The same
 * table is written out for users in docs/INDEX-FORMAT.md; change both
 * together, and bump ATT_SCHEMA_VERSION when an existing index would be
 * read wrongly.
 *
 * Conventions follow Omega's: capital-letter prefixes, X... for our own,
 * and a ':' between prefix and value when the value starts with a capital
 * letter or ':' (only ids can, since all other values are folded).
 */
#ifndef ATT_SCHEMA_H
#define ATT_SCHEMA_H

/* Stored in the index metadata key "attache.schema". */
#define ATT_SCHEMA_VERSION "5"
#define ATT_SCHEMA_KEY "attache.schema"
/* "1" when the index holds exact word forms (E terms): chosen when the
 * index is created (attache index --exact-forms), kept for its life.     */
#define ATT_EXACT_KEY "attache.exact"
/* "0" when the index was created without entity extraction (attache
 * index --no-entities): no XP/XO/XL terms, no entity facet records.      */
#define ATT_ENTITIES_KEY "attache.entities"
/* The time of the last commit, ISO 8601 in UTC ("2025-11-23T15:58:07Z"),
 * written in the transaction of every commit that changes articles
 * (common/index.c), so it is exactly as durable as they are.  Absent
 * from indexes written before it existed; no schema change.              */
#define ATT_COMMIT_TIME_KEY "attache.committed"

/* --- Term prefixes ------------------------------------------------------ */
/* (none)  Stem of a word in the title or body, with positions.           */
#define ATT_PREFIX_TEXT ""
/* S       Stem of a word in the title, with positions (title: field).    */
#define ATT_PREFIX_TITLE "S"
/* E       Folded but unstemmed word form of the title or body, without
 *         positions (the exact-form query syntax, =word; inside a phrase
 *         or NEAR the stems carry the positions and the E terms filter).
 *         Only in indexes created with exact forms (ATT_EXACT_KEY).       */
#define ATT_PREFIX_EXACT "E"
/* Q       Unique external id (boolean).  Ids longer than ATT_ID_TERM_MAX
 *         bytes keep their head and end in '#' and 16 hex digits of a hash
 *         of the whole id (Xapian rejects terms over 245 bytes).           */
#define ATT_PREFIX_ID "Q"
/* XSRC    Folded source name (boolean filter).                            */
#define ATT_PREFIX_SOURCE "XSRC"
/* XDUP    The body's content signature as 16 hex digits (boolean): lists
 *         the copies of a story (common/dupsig.h).  Absent when the body
 *         is too short to judge.                                          */
#define ATT_PREFIX_DUP "XDUP"
/* XP      Person, XO organisation, XL place: the canonical id of an
 *         entity the article mentions (common/entities.h; ids as in
 *         docs/ENTITIES.md, lower case), boolean (wdf 0: they do not
 *         lengthen the document for BM25, which lowered MAP on TIME).
 *         Filters (person:, org:, place:) and the alias expansion of
 *         plain queries use them.  Since schema 4.                        */
#define ATT_PREFIX_PERSON "XP"
#define ATT_PREFIX_ORG "XO"
#define ATT_PREFIX_PLACE "XL"
/* XPN     A part of a person's name: every run of one to three
 *         consecutive words of the person's fullest name in the article
 *         other than the whole, joined by '-' (mohammad-ishaq, ishaq-dar,
 *         dar for mohammad-ishaq-dar), boolean: person:"Ishaq Dar" also
 *         finds the articles that only give the fuller name.  Since
 *         schema 4.                                                      */
#define ATT_PREFIX_PERSON_PART "XPN"
/* Reserved for later schema versions: K tags. */

#define ATT_ID_TERM_MAX 200

/* --- Vocabulary ---------------------------------------------------------- */
/* Xapian's spelling table holds every folded word form of titles and
 * bodies (2 to 40 bytes, at least one letter) with its number of
 * occurrences: wildcards (negotiat*) expand through it, and "did you
 * mean" suggestions come from it.  Since schema 3.  The words of the
 * last few batches wait in the metadata key ATT_VOCAB_PENDING_KEY
 * ("word\tcount\n"...) until they are merged (shim_db.cc).             */
#define ATT_VOCAB_PENDING_KEY "attache.vocab.pending"
#define ATT_WORD_MIN 2
#define ATT_WORD_MAX 40

/* --- Value slots -------------------------------------------------------- */
/* 0  Article date as 8 ASCII digits YYYYMMDD; an unknown month or day is
 *    00 (so "2024-09" is 20240900); absent when the date is unknown.      */
#define ATT_SLOT_DATE 0
/* 1  Folded source name (for sorting and facets).                         */
#define ATT_SLOT_SOURCE 1
/* 2  The body's content signature, 16 hex digits (as the XDUP term): the
 *    collapse key that shows copies of a story as one hit.               */
#define ATT_SLOT_DUP 2
/* 3  The facet list: what the facet counts read for each matching
 *    article, one record per distinct value, each record
 *    "<kind><id>\t<display>\n" with <kind> 'p' person, 'o' organisation,
 *    'l' place (id and display name of the entity), 's' source (the
 *    folded source as in slot 1, and the source as written).  Ids and
 *    displays hold no tab or newline.  Since schema 4.                   */
#define ATT_SLOT_FACETS 3
#define ATT_FACET_REC_PERSON 'p'
#define ATT_FACET_REC_ORG 'o'
#define ATT_FACET_REC_PLACE 'l'
#define ATT_FACET_REC_SOURCE 's'
/* 4  The input hash: 16 hex digits of a 64-bit hash of what the article
 *    was made from (its input bytes, the file name, the reader, and the
 *    engine: reader version, schema, the built-in entity dictionary and
 *    tagger model; indexer/ingest.c).  Re-indexing compares it before
 *    building anything and leaves an article with the same hash alone.
 *    Absent for articles added with att_index_put(), which are then always
 *    written again by an ingest.                                          */
#define ATT_SLOT_INPUT_HASH 4
/* 5  The origin: the absolute path of the file the article was read from
 *    (as given, not resolving symbolic links below the root), which
 *    att_ingest()'s prune reads to know which articles a file gave.
 *    Absent for articles from a stream or from att_index_put().           */
#define ATT_SLOT_ORIGIN 5

/* --- The facet column (common/xapian/shim_fcol.hh) -------------------- */
/* What facet counting reads for each article, as numbers, in the index
 * metadata (since schema 5; docs/INDEX-FORMAT.md, "The facet column").
 * ATT_FCOL_VALUES_KEY + 8 hex digits b: value-table block b, the values
 *   numbered 1024 b to 1024 b + 1023, one line each,
 *   "<group>\t<kind><id>\t<display>\n": a slot-3 record and the number
 *   shared by the records of one "<kind><id>" (its display forms).
 * ATT_FCOL_CHUNK_KEY + 8 hex digits c: the entries of document ids
 *   1024 c to 1024 c + 1023 in order, each a flags byte (0: no such
 *   document; 1: present; 3: present with a content signature), then
 *   for a present one its date (slot 0 as a number, 0 if undated) as a
 *   varint, the signature as 8 bytes little-endian when flagged, the
 *   number of its values as a varint and their numbers, ascending, as
 *   varint differences (the first from 0).  Trailing absent documents
 *   are left out; a chunk with no document has no key.                 */
#define ATT_FCOL_VALUES_KEY "attache.fval."
#define ATT_FCOL_CHUNK_KEY "attache.fcol."

/* --- Positions ---------------------------------------------------------- */
/* The title's words take positions from 1; the body starts
 * ATT_BODY_POS_GAP positions later, so no phrase spans the two.           */
#define ATT_BODY_POS_GAP 100

/* --- Within-document frequency ----------------------------------------- */
/* Each title word adds ATT_TITLE_WDF to its unprefixed term's wdf, a body
 * word adds 1: the title counts more in BM25 (see docs/EVALUATION.md).    */
#define ATT_TITLE_WDF 3

/* --- Document data ------------------------------------------------------ */
/* The stored record (common/record.c): the original article, fields
 * tagged and length-prefixed, so that snippets are cut from the original. */

#endif /* ATT_SCHEMA_H */
