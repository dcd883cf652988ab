/*
 * shim_feedback.hh: pseudo-relevance feedback (shim_feedback.cc), for the
 * shim's search.  C++ only.
 */
#ifndef ATT_SHIM_FEEDBACK_HH
#define ATT_SHIM_FEEDBACK_HH

#include "shim_internal.hh"

/* `query` with the words of its best o->fb_docs hits added as weighted
 * optional words (RM3), ranked with o's weighting scheme; `query` itself
 * when o->fb_docs or o->fb_terms is 0, when fb_weight is not in (0, 1),
 * or when nothing matches.  The matches are those of `query`.  Throws
 * what Xapian throws (the caller's catch ladder maps it). */
Xapian::Query att_shim_feedback(const Xapian::Database &db,
                                const Xapian::Query &query,
                                const att_shim_query_opts *o);

#endif
