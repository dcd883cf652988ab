/*
 * query_date.c: the values of the date: field (docs/QUERY-SYNTAX.md) to a
 * range of the date slot, and "today" for the relative ranges.
 *
 *   date:2025-10-03                one day
 *   date:2025-10   date:2025       a whole month, a whole year
 *   date:2025-10-01..2025-10-31    a range, both ends included; either end
 *   date:2025-10-01..  date:..2024 may be left open; each end may be a
 *                                  day, a month or a year (a month or a year
 *                                  as the upper end means its last day)
 *   date:today  date:yesterday
 *   date:last-7-days               the 7 days ending today (today included);
 *   date:last-12-months            weeks, months and years likewise: from
 *                                  the day after the same date N units ago
 *
 * The slot holds YYYYMMDD with 00 for an unknown month or day (schema.h),
 * so that the ends compare as strings: a lower end YYYYMM00 / YYYY0000 and
 * an upper end YYYYMM31 / YYYY1231 take in articles dated only by month or
 * year.  Every value is checked against the calendar; a bad one is an error
 * pointing at it, never a silently different range.
 */
#include "query_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's
 * algorithms, valid for the proleptic Gregorian calendar). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* YYYYMMDD; y in 0..9999, m in 0..12, d in 0..31 (callers keep them so). */
static void put_ymd(char out[9], int y, int m, int d)
{
    unsigned v[3] = {(unsigned)y % 10000, (unsigned)m % 100, (unsigned)d % 100};
    out[0] = (char)('0' + v[0] / 1000);
    out[1] = (char)('0' + v[0] / 100 % 10);
    out[2] = (char)('0' + v[0] / 10 % 10);
    out[3] = (char)('0' + v[0] % 10);
    out[4] = (char)('0' + v[1] / 10);
    out[5] = (char)('0' + v[1] % 10);
    out[6] = (char)('0' + v[2] / 10);
    out[7] = (char)('0' + v[2] % 10);
    out[8] = '\0';
}

bool att_date_parse_ymd(const char *s, int *out)
{
    int y, m, d;
    char extra;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
        s[4] != '-' || s[7] != '-' || y < 1 || m < 1 || m > 12 || d < 1 ||
        d > month_days(y, m))
        return false;
    *out = y * 10000 + m * 100 + d;
    return true;
}

int att_date_today(void)
{
    int v;
    const char *env = getenv("ATTACHE_TODAY");
    if (env && *env && att_date_parse_ymd(env, &v))
        return v;
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return 19700101;
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Reads n digits at s[*i]; -1 if they are not all digits. */
static int digits(const char *s, size_t len, size_t *i, int n)
{
    int v = 0;
    for (int k = 0; k < n; k++, (*i)++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[*i] - '0');
    }
    return v;
}

/* One end of a range: YYYY, YYYY-MM or YYYY-MM-DD, exactly s[0..len).
 * `upper`: fill an incomplete date to its last day, else to 00. */
static att_status one_date(const char *s, size_t len, size_t pos, bool upper,
                           char out[9])
{
    size_t i = 0;
    int y = digits(s, len, &i, 4), m = 0, d = 0;
    if (y < 0 || (i < len && s[i] != '-'))
        return att_error_set_at(ATT_QUERY_SYNTAX, (long)pos,
                                "bad date \"%.*s\": dates are written "
                                "YYYY, YYYY-MM or YYYY-MM-DD",
                                (int)len, s);
    if (i < len) {
        i++;
        if ((m = digits(s, len, &i, 2)) < 0 || (i < len && s[i] != '-'))
            return att_error_set_at(ATT_QUERY_SYNTAX, (long)pos,
                                    "bad date \"%.*s\": dates are written "
                                    "YYYY, YYYY-MM or YYYY-MM-DD",
                                    (int)len, s);
        if (m < 1 || m > 12)
            return att_error_set_at(ATT_QUERY_SYNTAX, (long)(pos + 5),
                                    "bad date \"%.*s\": no month %d",
                                    (int)len, s, m);
        if (i < len) {
            i++;
            if ((d = digits(s, len, &i, 2)) < 0 || i != len)
                return att_error_set_at(ATT_QUERY_SYNTAX, (long)pos,
                                        "bad date \"%.*s\": dates are written "
                                        "YYYY, YYYY-MM or YYYY-MM-DD",
                                        (int)len, s);
            if (d < 1 || d > month_days(y == 0 ? 2000 : y, m))
                return att_error_set_at(ATT_QUERY_SYNTAX, (long)(pos + 8),
                                        "bad date \"%.*s\": %04d-%02d has "
                                        "no day %d",
                                        (int)len, s, y, m, d);
        }
    }
    if (!m) {
        m = upper ? 12 : 0;
        d = upper ? 31 : 0;
    } else if (!d) {
        d = upper ? 31 : 0;
    }
    put_ymd(out, y, m, d);
    return ATT_OK;
}

/* last-N-days|weeks|months|years, today, yesterday.  Returns 1 if `s` is
 * one of them (lo/hi set), 0 if not, -1 on error (set). */
static int relative(const char *s, size_t len, size_t pos, int today,
                    char lo[9], char hi[9])
{
    int ty = today / 10000, tm = today / 100 % 100, td = today % 100;
    long t = days_from_civil(ty, tm, td);
    int y, m, d;
    if (len == 5 && memcmp(s, "today", 5) == 0) {
        put_ymd(lo, ty, tm, td);
        memcpy(hi, lo, 9);
        return 1;
    }
    if (len == 9 && memcmp(s, "yesterday", 9) == 0) {
        civil_from_days(t - 1, &y, &m, &d);
        put_ymd(lo, y, m, d);
        memcpy(hi, lo, 9);
        return 1;
    }
    if (len < 5 || memcmp(s, "last-", 5) != 0)
        return 0;
    size_t i = 5;
    long n = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && n <= 100000)
        n = n * 10 + (s[i++] - '0');
    const char *unit = s + i + 1;
    size_t ulen = i < len ? len - i - 1 : 0;
    if (i == 5 || i >= len || s[i] != '-' || n < 1 || n > 100000) {
        att_error_set_at(ATT_QUERY_SYNTAX, (long)pos,
                         "bad relative date \"%.*s\": write last-N-days, "
                         "last-N-weeks, last-N-months or last-N-years with N "
                         "from 1 to 100000",
                         (int)len, s);
        return -1;
    }
#define UNIT(w) (ulen == sizeof w - 1 && memcmp(unit, w, ulen) == 0) || \
                (ulen == sizeof w - 2 && memcmp(unit, w, ulen) == 0)
    long from;
    if (UNIT("days")) {
        from = t - (n - 1);
    } else if (UNIT("weeks")) {
        from = t - 7 * n + 1;
    } else if (UNIT("months") || UNIT("years")) {
        long months = (UNIT("years")) ? 12 * n : n;
        long total = (long)ty * 12 + (tm - 1) - months;
        y = (int)(total / 12);
        m = (int)(total % 12) + 1;
        d = td > month_days(y < 1 ? 2000 : y, m) ? month_days(y < 1 ? 2000 : y, m) : td;
        from = days_from_civil(y, m, d) + 1;
    } else {
        att_error_set_at(ATT_QUERY_SYNTAX, (long)(pos + i + 1),
                         "bad relative date \"%.*s\": the unit is days, "
                         "weeks, months or years",
                         (int)len, s);
        return -1;
    }
#undef UNIT
    civil_from_days(from, &y, &m, &d);
    if (y < 1) {
        y = 1;
        m = 1;
        d = 1;
    }
    put_ymd(lo, y, m, d);
    put_ymd(hi, ty, tm, td);
    return 1;
}

att_status att_query_date_range(const char *v, size_t len, int today,
                                size_t pos, char lo[9], char hi[9])
{
    lo[0] = hi[0] = '\0';
    int rel = relative(v, len, pos, today, lo, hi);
    if (rel < 0)
        return ATT_QUERY_SYNTAX;
    if (rel > 0)
        return ATT_OK;
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    att_status st;
    if (!dots) {
        if ((st = one_date(v, len, pos, false, lo)) ||
            (st = one_date(v, len, pos, true, hi)))
            return st;
        return ATT_OK;
    }
    size_t a = (size_t)(dots - v), b = a + 2;
    if (a == 0 && b == len)
        return att_error_set_at(ATT_QUERY_SYNTAX, (long)pos,
                                "a date range needs at least one end, as in "
                                "date:2024-01-01..2024-06-30 or date:2024..");
    if (a && (st = one_date(v, a, pos, false, lo)))
        return st;
    if (b < len && (st = one_date(v + b, len - b, pos + b, true, hi)))
        return st;
    if (lo[0] && hi[0] && strcmp(lo, hi) > 0)
        return att_error_set_at(ATT_QUERY_SYNTAX, (long)(pos + b),
                                "the date range \"%.*s\" ends before it "
                                "starts",
                                (int)len, v);
    return ATT_OK;
}
