/*
 * record.h: the stored record, the document data of every article in the
 * index: the original article, so that hits show their fields and snippets
 * are cut from the original text.
 *
 * Format (version 1): the byte 'A', the byte 1, then fields, each a tag
 * byte (ATT_REC_*), a length as an unsigned LEB128 varint, and that many
 * bytes.  Unknown tags are skipped when reading, so fields can be added
 * without a schema change.  Xapian compresses the record table itself.
 */
#ifndef ATT_RECORD_H
#define ATT_RECORD_H

#include "internal.h"

enum {
    ATT_REC_ID = 1,
    ATT_REC_TITLE = 2,
    ATT_REC_BODY = 3,
    ATT_REC_DATE = 4,
    ATT_REC_SOURCE = 5,
    ATT_REC_URL = 6,
    ATT_REC_AUTHOR = 7,
    ATT_REC_LANGUAGE = 8,
    ATT_REC_TAGS = 9,
    /* Since article version 2: the entities the input gave, one name per
     * line (att_article's people, organisations, places). */
    ATT_REC_PEOPLE = 10,
    ATT_REC_ORGANISATIONS = 11,
    ATT_REC_PLACES = 12
};

/* Serialises `a` (lengths resolved) into `out` (appended). */
att_status att_record_encode(const att_article *a, att_buf *out);

/* Parses a record into a newly allocated article whose strings are all
 * NUL-terminated copies (free with att_article_free()).  ATT_CORRUPT if the
 * record is malformed. */
att_status att_record_decode(const char *p, size_t len, att_article **out);

/* Resolves an article's (size_t)-1 lengths to strlen(). */
size_t att_article_title_len(const att_article *a);
size_t att_article_body_len(const att_article *a);

/* The given entities of an article of either version (NULL for version
 * 1, whose struct ends before them). */
const char *att_article_people(const att_article *a);
const char *att_article_organisations(const att_article *a);
const char *att_article_places(const att_article *a);

#endif
