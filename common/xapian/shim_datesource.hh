/*
 * shim_datesource.hh: a date filter (date: in the query language) read
 * from the facet column instead of value slot 0.  C++ only.
 */
#ifndef ATT_SHIM_DATESOURCE_HH
#define ATT_SHIM_DATESOURCE_HH

#include "shim_fcol.hh"

#include <xapian.h>

#include <cstdint>

/* The documents whose date (slot 0, "YYYYMMDD") lies in [lo, hi], either
 * end open when its string is empty: the same set as
 * OP_VALUE_RANGE/_GE/_LE on slot 0 with the same bounds, as a query
 * that reads the handle's facet column.  Returns an empty Query() when
 * a bound is not 8 digits (the caller then uses the value range).  The
 * column must outlive the query. */
Xapian::Query att_shim_date_source(AttFacetColumn &col, const char *lo,
                                   const char *hi);

/* The bounds [lo, hi] as numbers, an open end as 0 or UINT32_MAX; false
 * when one is neither empty nor 8 digits. */
bool att_shim_date_bounds(const char *lo, const char *hi, uint32_t *a, uint32_t *b);

/* Whether the column's entry `d` is a document dated in [a, b]: the test
 * of the date source, and of the facet count's walk (shim_matchset.cc). */
inline bool att_shim_date_in(const attfcol::Doc &d, uint32_t a, uint32_t b)
{
    return (d.flags & attfcol::PRESENT) && d.date && d.date >= a && d.date <= b;
}

#endif
