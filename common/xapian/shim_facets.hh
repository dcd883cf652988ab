/*
 * shim_facets.hh: facet counting (shim_facets.cc) as shim_search.cc sees
 * it.  C++ only.
 */
#ifndef ATT_SHIM_FACETS_HH
#define ATT_SHIM_FACETS_HH

#include "shim_internal.hh"

/* Counts the facets of every match of `query`, built from the tree `q`
 * with the facet column for dates (shim_search.cc), on the revision `h`
 * reads:
 * the top `top` values per kind and the date histogram in `unit`
 * (ATT_DATE_AUTO: chosen here) into out->facets, and the exact number of
 * matches into out->total (stories when `stories`: the search collapses
 * copies of a story, and each story then counts once).  Throws Xapian's
 * errors and std::bad_alloc. */
void att_shim_count_facets(att_shim_db *h, const att_qnode *q,
                           const Xapian::Query &query, bool stories, size_t top,
                           att_date_unit unit, att_shim_result *out);

#endif
