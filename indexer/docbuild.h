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

#endif
