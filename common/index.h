/*
 * index.h: the att_index handle as the library's modules see it, and the
 * helpers that turn article fields into index terms and values the same
 * way on the write side (indexer/docbuild.c) and the read side
 * (searcher/query_parse.c).
 */
#ifndef ATT_INDEX_H
#define ATT_INDEX_H

#include "analyze.h"
#include "entities.h"
#include "internal.h"
#include "xapian/schema.h"
#include "xapian/shim.h"

struct att_index {
    att_shim_db *db;
    att_analyzer *an;
    att_extractor *ex;    /* made on the first att_index_put() */
    char *path;
    unsigned flags;
};

/* The longest external id accepted, in bytes. */
#define ATT_ID_MAX 1024

/* Writes the unique-id term for `id` into `out` (reset first).  Long ids
 * are shortened with a hash (see schema.h). */
att_status att_id_term(const char *id, att_buf *out);

/* att_index_commit() for a batch of a long run: the batch's words may
 * join the vocabulary a few batches later (common/xapian/shim_db.cc). */
att_status att_index_commit_batch(att_index *ix);

/* Checks an id: non-empty, at most ATT_ID_MAX bytes, valid UTF-8, no
 * control characters.  ATT_INVALID with a message otherwise. */
att_status att_id_check(const char *id);

/* Parses an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, optionally followed
 * by a time) into the 8-digit slot form (00 for unknown parts).
 * Returns false if the text is not such a date. */
bool att_date_slot(const char *date, char out[9]);

/* Folds a source name for its filter term and slot: ASCII lower case,
 * runs of non-alphanumerics become one '-', trimmed (at most 120 bytes). */
att_status att_source_fold(const char *source, att_buf *out);

#endif
