/*
 * wildcards.h: the expansion of a query's wildcards through the index's
 * vocabulary (wildcards.c), for searches (search.c) and for marking a
 * whole article (mark.c).
 */
#ifndef ATT_WILDCARDS_H
#define ATT_WILDCARDS_H

#include "../common/index.h"
#include "../common/qtree.h"

/* Gives each wildcard node of `q` (negotiat*) as kids the terms of the
 * vocabulary's words that start with it, at most the 256 most frequent
 * (docs/QUERY-SYNTAX.md), as a search does.  ATT_OK, or the shim's
 * status. */
att_status att_wildcards_expand(att_index *ix, att_qnode *q);

#endif
