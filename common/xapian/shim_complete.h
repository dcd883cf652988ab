/*
 * shim_complete.h: the plain-C face of shim_complete.cc, what completion
 * (searcher/complete.c) reads from the index: terms by prefix with their
 * document frequencies, the display name an article's facet list gives
 * an entity or source, and the vocabulary by prefix with frequencies.
 * Every function catches everything, as the rest of the shim (shim.h).
 */
#ifndef ATT_SHIM_COMPLETE_H
#define ATT_SHIM_COMPLETE_H

#include "shim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called once per term or word found; a non-OK return stops the walk and
 * is returned.  `s` is not NUL-terminated and is valid during the call. */
typedef att_status (*att_shim_count_fn)(void *ctx, const char *s, size_t len,
                                        uint64_t count);

/* Calls fn, in term order, for each of the first `max_scan` terms that
 * start with `prefix`, with the term minus its first `skip` bytes and its
 * document frequency.  ATT_OK, ATT_MODIFIED, ATT_CORRUPT, ATT_NO_MEMORY,
 * ATT_INTERNAL, or fn's status. */
att_status att_shim_terms_with_prefix(att_shim_db *db, const char *prefix,
                                      size_t len, size_t skip, size_t max_scan,
                                      att_shim_count_fn fn, void *ctx);

/* The display that the facet list (slot 3, schema.h) of the first
 * document holding `term` gives to the record of `kind` and `id`:
 * malloc'd into *out, or *out NULL when no document holds the term or
 * its list has no such record.  Statuses as above. */
att_status att_shim_facet_display(att_shim_db *db, const char *term,
                                  size_t term_len, char kind, const char *id,
                                  size_t id_len, char **out);

/* Calls fn for the `max` most frequent words of the vocabulary (the
 * spelling table) that start with `prefix` (of the first `max_scan`
 * such words), most frequent first, then in byte order, with each
 * word's frequency.  Statuses as above. */
att_status att_shim_vocabulary(att_shim_db *db, const char *prefix, size_t len,
                               size_t max, size_t max_scan,
                               att_shim_count_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* ATT_SHIM_COMPLETE_H */
