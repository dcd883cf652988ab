/*
 * shim_ingest.h: the shim calls of incremental indexing (indexer/ingest.c,
 * indexer/rebuild.c), in shim_ingest.cc: what the index holds for an id
 * (its input hash and origin, read before anything is built), writing with
 * the document id returned, the origins for --prune, and deleting by
 * document id.  Plain C, like shim.h.
 */
#ifndef ATT_SHIM_INGEST_H
#define ATT_SHIM_INGEST_H

#include "shim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the index holds under one id term. */
typedef struct att_shim_stored {
    bool exists;
    uint32_t docid;
    char hash[17];     /* value slot ATT_SLOT_INPUT_HASH, "" if none */
} att_shim_stored;

/* Looks `idterm` up.  `origin` (may be NULL) gets the document's origin
 * value (slot ATT_SLOT_ORIGIN; empty if none).  On a read-only handle a
 * revision recycled by the writer is reopened and the lookup redone.
 * ATT_OK (also when there is no such document); the shim's statuses. */
att_status att_shim_ingest_lookup(att_shim_db *db, const char *idterm,
                                  size_t len, att_shim_stored *out,
                                  att_buf *origin);

/* att_shim_replace() that also says which document id was written. */
att_status att_shim_ingest_replace(att_shim_db *db, const char *idterm,
                                   size_t len, att_shim_doc *d,
                                   uint32_t *docid);

/* Sets the origin value of document `docid` (an article whose input is
 * unchanged but was read from another place). */
att_status att_shim_ingest_set_origin(att_shim_db *db, uint32_t docid,
                                      const char *origin, size_t len);

/* The highest document id in use (0 for an empty index). */
att_status att_shim_ingest_lastdocid(att_shim_db *db, uint32_t *out);

/* Calls fn for every document whose origin starts with `prefix`, in
 * document id order; the origins are read first, so fn may delete. */
att_status att_shim_ingest_origins(att_shim_db *db, const char *prefix,
                                   size_t len,
                                   att_status (*fn)(void *ctx, uint32_t docid,
                                                    const char *origin,
                                                    size_t n),
                                   void *ctx);

/* Deletes document `docid`; *data (malloc'd) gets its stored record. */
att_status att_shim_ingest_delete(att_shim_db *db, uint32_t docid,
                                  char **data, size_t *data_len);

#ifdef __cplusplus
}
#endif

#endif /* ATT_SHIM_INGEST_H */
