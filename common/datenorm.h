/*
 * datenorm.h: turning the dates that article metadata gives, in the many
 * forms feeds and web pages write them, into the ISO 8601 form the index
 * stores ("YYYY-MM-DD", "YYYY-MM" or "YYYY"), and finding a date in a
 * file name.  A text that is not clearly a date gives no date: a date is
 * never guessed (docs/FORMATS.md, "Dates").
 */
#ifndef ATT_DATENORM_H
#define ATT_DATENORM_H

#include "internal.h"

/* The size of the buffers below: "YYYY-MM-DD" and its NUL. */
#define ATT_DATE_BUF 11

/* Normalises the date [s, s+n) into `out`.  Accepted (case-insensitive,
 * surrounding white space ignored):
 *  - ISO 8601 / RFC 3339: 2025-10-30, 2025-10, 2025, 20251030, with an
 *    optional time after 'T' or a space (2025-10-30T14:05:00+05:00);
 *    also 2025/10/30 and 2025.10.30;
 *  - RFC 2822 / RFC 1123 and written forms with a month name, an
 *    optional weekday and an optional time and zone after the year:
 *    "Thu, 30 Oct 2025 14:05:00 +0000", "30 October 2025", "30-Oct-2025",
 *    "October 30, 2025", "Oct. 30 2025", "Sept 30, 2025", "October 2025";
 *  - day, month and year as numbers (30/10/2025, 10/30/2025, 30.10.2025)
 *    only when they cannot be read two ways: one of the first two is
 *    above 12, or both are equal.
 * The date part is kept as written, in the writer's own time zone: a time
 * and zone after it are checked for shape but not converted (so
 * "2025-10-30T23:30:00-05:00" is 2025-10-30).  Years 1000 to 2999.
 * Returns false, leaving `out` empty, for anything else. */
bool att_date_normalise(const char *s, size_t n, char out[ATT_DATE_BUF]);

/* A date in a file name `name` (no directory part needed, but allowed):
 * YYYY-MM-DD, YYYY_MM_DD, YYYY.MM.DD or YYYYMMDD with a year from 1900
 * to 2099, not inside a longer run of digits, and a real calendar day
 * ("wires/2025-10-30.txt", "reuters_20251030_1.json").  The last such
 * date of the name wins.  Returns false when there is none. */
bool att_date_from_name(const char *name, char out[ATT_DATE_BUF]);

/* Seconds since 1970-01-01 UTC as a UTC date (for JSON numbers).  False
 * outside years 1000 to 2999. */
bool att_date_from_epoch(int64_t seconds, char out[ATT_DATE_BUF]);

#endif
