/*
 * facets.h: the facets of a search's results as the library keeps them
 * (facets.c), between the shim that counts them (common/xapian/
 * shim_facets.cc) and the public accessors (attache.h, "Facets").
 */
#ifndef ATT_FACETS_H
#define ATT_FACETS_H

#include "../common/internal.h"
#include "../common/xapian/shim.h"

/* The facets held by an att_results (search.c embeds one). */
typedef struct att_facet_results {
    bool asked;                                 /* options.facets > 0 */
    att_date_unit unit;                         /* the date buckets' unit */
    att_facet_value *lists[ATT_FACET_COUNT];    /* each one malloc'd block */
    size_t n[ATT_FACET_COUNT];
} att_facet_results;

/* Checks the facet fields of complete (version 3) options: ATT_OK, or
 * ATT_INVALID with a message. */
att_status att_facets_check_options(const att_search_options *o);

/* Sets the shim's facet options from the search options. */
void att_facets_shim_opts(const att_search_options *o, att_shim_query_opts *so);

/* Moves the facet lists of a shim result into `fr` (the shim result no
 * longer holds them). */
void att_facets_take(att_facet_results *fr, const att_search_options *o,
                     att_shim_result *sr);

/* Frees the lists and zeroes `fr`. */
void att_facets_clear(att_facet_results *fr);

/* The facets of `r`, or NULL for NULL (search.c, which owns the struct). */
const att_facet_results *att_results_facet_set(const att_results *r);

#endif
