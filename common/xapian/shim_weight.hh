/*
 * shim_weight.hh: the ranking functions (shim_weight.cc), for the shim's
 * search.  C++ only.
 */
#ifndef ATT_SHIM_WEIGHT_HH
#define ATT_SHIM_WEIGHT_HH

#include "shim_internal.hh"

#include <memory>

/* The weighting scheme the options ask for (o->weighting, o->k1, o->b,
 * o->wparam; negative parameters: the tuned defaults).  Throws
 * Xapian::InvalidArgumentError for an unknown scheme. */
std::unique_ptr<Xapian::Weight> att_shim_weight(const att_shim_query_opts *o);

#endif
