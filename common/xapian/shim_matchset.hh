/*
 * shim_matchset.hh: every match of a query, read straight from the
 * posting lists (shim_matchset.cc), for the facet count.  C++ only.
 */
#ifndef ATT_SHIM_MATCHSET_HH
#define ATT_SHIM_MATCHSET_HH

#include "shim_internal.hh"

#include <vector>

class AttFacetColumn;

/* The document ids of every match of `q` (the tree that shim_search.cc's
 * build() turns into the Xapian query, with `dates` as given to it), in
 * ascending order, into `out`.  Returns false, `out` then undefined,
 * when the tree holds what the walk does not take (phrases, NEAR and ADJ,
 * a value range not read from the column, an OR of more than
 * MATCHSET_MAX_OR alternatives): the caller then asks Xapian's matcher.
 * Throws Xapian's errors and std::bad_alloc. */
bool att_shim_match_set(att_shim_db *h, const att_qnode *q, AttFacetColumn *dates,
                        std::vector<Xapian::docid> &out);

#endif
