/*
 * docbuild.h: building an index document from an article, apart from
 * writing it, so that several threads can build while one writes.
 */
#ifndef ATT_DOCBUILD_H
#define ATT_DOCBUILD_H

#include "../common/index.h"

/* What one thread builds documents with. */
typedef struct att_doc_builder {
    att_analyzer *an;
    att_extractor *ex;    /* NULL: the index extracts no entities */
    bool exact;           /* the index keeps exact word forms */
} att_doc_builder;

/* The builder of an index handle's own thread: its analyser, and its
 * extractor, made on first use when the index extracts entities. */
att_status att_index_builder(att_index *ix, att_doc_builder *out);

/* Checks `a` and builds its document with builder `b` (one per thread).
 * On success *out is the document (free it with att_shim_doc_free() or
 * hand it to att_shim_replace()) and `idterm` holds its unique-id term.
 * Touches no database; thread-safe for distinct builders. */
att_status att_doc_build(const att_doc_builder *b, const att_article *a,
                         att_shim_doc **out, att_buf *idterm);

/* What an ingest stores with a document besides the article: the input
 * hash (16 hex digits) and the origin path (schema.h, slots 4 and 5);
 * either may be NULL. */
typedef struct att_doc_extra {
    const char *input_hash;
    const char *origin;
} att_doc_extra;

/* att_doc_build() with those values. */
att_status att_doc_build_ex(const att_doc_builder *b, const att_article *a,
                            const att_doc_extra *x, att_shim_doc **out,
                            att_buf *idterm);

/* The canonical id of a name given for an entity of type `type` (an
 * input's own entity list): the dictionary's id and display name when it
 * knows the name (att_dict_lookup()), else the name's folded words joined
 * by '-' (as the tagger's entities get, common/entities.c) and the name
 * itself.  `id` and `display` are reset and filled; id->len is 0 when the
 * name has no word (or makes an id over 100 bytes). */
att_status att_given_entity(att_analyzer *an, att_etype type, const char *name,
                            size_t len, att_buf *id, att_buf *display);

#endif
