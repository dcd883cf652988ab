/*
 * facets.c: the facets of a search (attache.h, "Facets"): their options,
 * how the lists counted by the shim (common/xapian/shim_facets.cc, which
 * also says what the counts mean and what they cost) become part of the
 * results, and the public accessors.  search.c holds an att_facet_results
 * in each att_results and calls in here; the counting itself is C++.
 *
 * Each list is one malloc'd block made by the shim: the att_facet_value
 * array followed by the strings it points to, so a list is moved by
 * pointer and freed with one free().
 */
#include "facets.h"

#include <stdlib.h>
#include <string.h>

/* The most values per facet a search may ask for: beyond that a facet is
 * a listing, and the lists would only cost memory. */
#define FACETS_MAX 10000

static const char *const FACET_NAMES[ATT_FACET_COUNT] = {
    "person", "org", "place", "source", "date"};

ATT_API const char *att_facet_name(att_facet f)
{
    return (unsigned)f < ATT_FACET_COUNT ? FACET_NAMES[f] : NULL;
}

att_status att_facets_check_options(const att_search_options *o)
{
    if (o->facets > FACETS_MAX)
        return att_error_set(ATT_INVALID,
                             "att_search: facets %u out of range (at most %d "
                             "values per facet)",
                             o->facets, FACETS_MAX);
    if (o->facet_date_unit != ATT_DATE_AUTO &&
        o->facet_date_unit != ATT_DATE_YEAR &&
        o->facet_date_unit != ATT_DATE_MONTH &&
        o->facet_date_unit != ATT_DATE_DAY)
        return att_error_set(ATT_INVALID,
                             "att_search: unknown facet date unit %d",
                             (int)o->facet_date_unit);
    return ATT_OK;
}

void att_facets_shim_opts(const att_search_options *o, att_shim_query_opts *so)
{
    so->facets = o->facets;
    so->date_unit = o->facet_date_unit;
}

void att_facets_take(att_facet_results *fr, const att_search_options *o,
                     att_shim_result *sr)
{
    att_facets_clear(fr);
    if (!o->facets)
        return;
    fr->asked = true;
    fr->unit = sr->facet_unit;
    for (int f = 0; f < ATT_FACET_COUNT; f++) {
        fr->lists[f] = sr->facets[f];
        fr->n[f] = sr->n_facets[f];
        sr->facets[f] = NULL;
        sr->n_facets[f] = 0;
    }
}

void att_facets_clear(att_facet_results *fr)
{
    for (int f = 0; f < ATT_FACET_COUNT; f++)
        free(fr->lists[f]);
    memset(fr, 0, sizeof *fr);
}

ATT_API const att_facet_value *att_results_facet(const att_results *r,
                                                 att_facet f, size_t *n)
{
    const att_facet_results *fr = att_results_facet_set(r);
    size_t dummy;
    if (!n)
        n = &dummy;
    *n = 0;
    if (!fr || (unsigned)f >= ATT_FACET_COUNT || !fr->n[f])
        return NULL;
    *n = fr->n[f];
    return fr->lists[f];
}

ATT_API int att_results_has_facets(const att_results *r)
{
    const att_facet_results *fr = att_results_facet_set(r);
    return fr && fr->asked;
}

ATT_API att_date_unit att_results_facet_date_unit(const att_results *r)
{
    const att_facet_results *fr = att_results_facet_set(r);
    return fr && fr->asked ? fr->unit : ATT_DATE_AUTO;
}
