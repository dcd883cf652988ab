/*
 * query_date.h: date: values to ranges of the date slot (query_date.c).
 */
#ifndef ATT_QUERY_DATE_H
#define ATT_QUERY_DATE_H

#include "../common/internal.h"

/* Today's local date as YYYYMMDD; the environment variable ATTACHE_TODAY
 * (YYYY-MM-DD) overrides it, for reproducible runs and tests. */
int att_date_today(void);

/* Parses YYYY-MM-DD (a real calendar day) into YYYYMMDD. */
bool att_date_parse_ymd(const char *s, int *out);

/* Parses the value v[0..len) of date: into lo and hi (YYYYMMDD, or "" for
 * an open end), relative values counted back from `today` (YYYYMMDD).
 * `pos` is the value's byte offset in the query, for errors.  Returns
 * ATT_OK or ATT_QUERY_SYNTAX (error set, with its position). */
att_status att_query_date_range(const char *v, size_t len, int today,
                                size_t pos, char lo[9], char hi[9]);

#endif
