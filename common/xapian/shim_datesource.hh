/*
 * shim_datesource.hh: a date filter (date: in the query language) read
 * from the facet column instead of value slot 0.  C++ only.
 */
#ifndef ATT_SHIM_DATESOURCE_HH
#define ATT_SHIM_DATESOURCE_HH

#include <xapian.h>

class AttFacetColumn;

/* The documents whose date (slot 0, "YYYYMMDD") lies in [lo, hi], either
 * end open when its string is empty: the same set as
 * OP_VALUE_RANGE/_GE/_LE on slot 0 with the same bounds, as a query
 * that reads the handle's facet column.  Returns an empty Query() when
 * a bound is not 8 digits (the caller then uses the value range).  The
 * column must outlive the query. */
Xapian::Query att_shim_date_source(AttFacetColumn &col, const char *lo,
                                   const char *hi);

#endif
