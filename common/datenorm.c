/*
 * datenorm.c: dates of metadata into ISO 8601 (datenorm.h).
 *
 * Two passes.  The ISO family is recognised by its shape first (four
 * digits, then '-', '/', '.' or two more digits).  Everything else is cut
 * into tokens (numbers, words, punctuation); a weekday word is dropped,
 * a month word located, and the numbers around it read as day and year
 * (RFC 2822's "30 Oct 2025", the American "Oct 30, 2025").  Without a
 * month word, three numbers are a day, a month and a year only when the
 * order cannot matter or cannot be doubted.  What follows the year must
 * look like a time or a zone ("14:05", "+0000", "GMT", "PM"), so that
 * "2025 was a year of talks" is not a date.  No date is ever completed
 * with a part the text does not give.
 */
#include "datenorm.h"

#include <string.h>
#include <strings.h>
#include <time.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int days_in(int year, int month)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return md[month - 1];
}

static bool valid(int y, int m, int d)
{
    if (y < 1000 || y > 2999)
        return false;
    if (m == 0)
        return d == 0;
    if (m < 1 || m > 12)
        return false;
    return d == 0 || (d >= 1 && d <= days_in(y, m));
}

/* Writes y[-m[-d]] (0 = not given) and returns true if it is a date. */
static bool emit(int y, int m, int d, char out[ATT_DATE_BUF])
{
    out[0] = '\0';
    if (!valid(y, m, d))
        return false;
    /* valid() bounds every part, so the digits fit */
    char *p = out;
    *p++ = (char)('0' + y / 1000);
    *p++ = (char)('0' + y / 100 % 10);
    *p++ = (char)('0' + y / 10 % 10);
    *p++ = (char)('0' + y % 10);
    if (m) {
        *p++ = '-';
        *p++ = (char)('0' + m / 10);
        *p++ = (char)('0' + m % 10);
    }
    if (d) {
        *p++ = '-';
        *p++ = (char)('0' + d / 10);
        *p++ = (char)('0' + d % 10);
    }
    *p = '\0';
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Whether [s, e) is an acceptable tail after a date: nothing, or a time
 * and zone: digits, ':', '.', ',', '+', '-', spaces, and the words of
 * zones and clocks. */
static bool time_tail(const char *s, const char *e)
{
    static const char *const words[] = {"z", "utc", "gmt", "ut", "am", "pm",
                                        "est", "edt", "cst", "cdt", "mst",
                                        "mdt", "pst", "pdt", "cet", "cest",
                                        "bst", "ist", "pkt", "eet", "eest",
                                        "msk", "jst", "t"};
    while (s < e) {
        char c = *s;
        if (is_digit(c) || c == ':' || c == '.' || c == ',' || c == '+' ||
            c == '-' || is_space(c) || c == '(' || c == ')') {
            s++;
            continue;
        }
        if (!is_alpha(c))
            return false;
        const char *w = s;
        while (s < e && is_alpha(*s))
            s++;
        size_t wn = (size_t)(s - w);
        bool ok = false;
        for (size_t i = 0; i < sizeof words / sizeof *words; i++)
            if (strlen(words[i]) == wn && strncasecmp(w, words[i], wn) == 0)
                ok = true;
        if (!ok)
            return false;
    }
    return true;
}

/* The ISO family: YYYY, YYYY-MM, YYYY-MM-DD (or / or . between), and
 * YYYYMMDD, each optionally followed by a time. */
static bool iso(const char *s, const char *e, char out[ATT_DATE_BUF])
{
    size_t n = (size_t)(e - s);
    if (n < 4 || !is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[2]) ||
        !is_digit(s[3]))
        return false;
    int y = num(s, 4), m = 0, d = 0;
    const char *p = s + 4;
    if (p == e)
        return emit(y, 0, 0, out);
    if (is_digit(*p)) {
        /* YYYYMMDD, exactly eight digits */
        if (n < 8 || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]) ||
            (n > 8 && is_digit(s[8])))
            return false;
        m = num(p, 2);
        d = num(p + 2, 2);
        p += 4;
    } else if (*p == '-' || *p == '/' || *p == '.') {
        char sep = *p;
        if (e - p < 3 || !is_digit(p[1]) || !is_digit(p[2]) ||
            (e - p > 3 && is_digit(p[3])))
            return false;
        m = num(p + 1, 2);
        p += 3;
        if (p < e && *p == sep) {
            if (e - p < 3 || !is_digit(p[1]) || !is_digit(p[2]) ||
                (e - p > 3 && is_digit(p[3])))
                return false;
            d = num(p + 1, 2);
            p += 3;
        }
    } else {
        return false;
    }
    if (p < e) {
        /* A time: 'T' or white space, then a time-like tail. */
        if (*p != 'T' && *p != 't' && !is_space(*p))
            return false;
        if (!time_tail(p + 1, e))
            return false;
    }
    return emit(y, m, d, out);
}

typedef struct tok {
    const char *p;
    size_t n;
    char kind; /* 'n' number, 'w' word, 'p' punctuation */
} tok;

static int month_of(const char *w, size_t n)
{
    static const char *const names[] = {"january", "february", "march",
                                        "april",   "may",      "june",
                                        "july",    "august",   "september",
                                        "october", "november", "december"};
    if (n < 3)
        return 0;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(names[m]);
        if (n > full)
            continue;
        if (strncasecmp(w, names[m], n) != 0)
            continue;
        /* The full name, a three-letter abbreviation, or "Sept". */
        if (n == full || n == 3 || (m == 8 && n == 4))
            return m + 1;
    }
    return 0;
}

static bool weekday(const char *w, size_t n)
{
    static const char *const names[] = {"monday", "tuesday", "wednesday",
                                        "thursday", "friday", "saturday",
                                        "sunday"};
    if (n < 3)
        return false;
    for (int i = 0; i < 7; i++) {
        size_t full = strlen(names[i]);
        if (n <= full && strncasecmp(w, names[i], n) == 0 &&
            (n == full || n == 3 || (n == 4 && (i == 1 || i == 3)) /* Tues, Thur */ ||
             (n == 5 && i == 3) /* Thurs */))
            return true;
    }
    return false;
}

#define MAX_TOKS 8

/* Cuts [s, e) into tokens up to the year; *rest is where the unread tail
 * starts.  Returns the number of tokens (0 if there are too many). */
static size_t tokenize(const char *s, const char *e, tok *t)
{
    size_t n = 0;
    while (s < e && n < MAX_TOKS) {
        if (is_space(*s)) {
            s++;
            continue;
        }
        const char *a = s;
        char kind;
        if (is_digit(*s)) {
            while (s < e && is_digit(*s))
                s++;
            kind = 'n';
        } else if (is_alpha(*s)) {
            while (s < e && is_alpha(*s))
                s++;
            kind = 'w';
        } else {
            s++;
            kind = 'p';
        }
        t[n++] = (tok){a, (size_t)(s - a), kind};
    }
    return n;
}

static bool is_punct(const tok *t, const char *set)
{
    return t->kind == 'p' && strchr(set, t->p[0]) != NULL;
}

/* Dates with a month name, or three numbers. */
static bool written(const char *s, const char *e, char out[ATT_DATE_BUF])
{
    tok t[MAX_TOKS];
    /* Only the head matters: the year ends the date, the rest is a time. */
    size_t n = tokenize(s, e, t);
    size_t i = 0;
    /* A leading weekday ("Thu," "Thursday") is dropped. */
    if (i < n && t[i].kind == 'w' && weekday(t[i].p, t[i].n)) {
        i++;
        if (i < n && is_punct(&t[i], ",."))
            i++;
    }
    int d = 0, m = 0, y = 0;
    const char *after; /* just past the year */
    if (i < n && t[i].kind == 'n' && t[i].n <= 2) {
        /* D Mon YYYY, D-Mon-YYYY, D. Mon YYYY, or D/M/Y */
        int first = num(t[i].p, t[i].n);
        i++;
        if (i < n && is_punct(&t[i], "-./"))
            i++;
        if (i < n && t[i].kind == 'w' && (m = month_of(t[i].p, t[i].n))) {
            d = first;
            i++;
            if (i < n && is_punct(&t[i], ".-,/"))
                i++;
        } else if (i < n && t[i].kind == 'n' && t[i].n <= 2 && i + 2 < n &&
                   is_punct(&t[i + 1], "-./") && t[i + 2].kind == 'n') {
            /* three numbers: day and month in either order if unambiguous */
            int second = num(t[i].p, t[i].n);
            if (t[i - 1].p[0] != t[i + 1].p[0])
                return false; /* mixed separators */
            i += 2;
            if (first > 12 && second <= 12) {
                d = first;
                m = second;
            } else if (second > 12 && first <= 12) {
                d = second;
                m = first;
            } else if (first == second) {
                d = m = first;
            } else {
                return false; /* 03/04/2025: April or March? */
            }
        } else {
            return false;
        }
    } else if (i < n && t[i].kind == 'w' && (m = month_of(t[i].p, t[i].n))) {
        /* Mon D, YYYY; Mon. D YYYY; Mon YYYY */
        i++;
        if (i < n && is_punct(&t[i], "."))
            i++;
        if (i < n && t[i].kind == 'n' && t[i].n <= 2) {
            d = num(t[i].p, t[i].n);
            i++;
            /* "30th" */
            if (i < n && t[i].kind == 'w' && t[i].n == 2 &&
                (strncasecmp(t[i].p, "st", 2) == 0 || strncasecmp(t[i].p, "nd", 2) == 0 ||
                 strncasecmp(t[i].p, "rd", 2) == 0 || strncasecmp(t[i].p, "th", 2) == 0))
                i++;
            if (i < n && is_punct(&t[i], ","))
                i++;
            if (d == 0)
                return false;
        }
    } else {
        return false;
    }
    if (i >= n || t[i].kind != 'n' || t[i].n != 4)
        return false;
    y = num(t[i].p, 4);
    after = t[i].p + 4;
    if (!time_tail(after, e))
        return false;
    return emit(y, m, d, out);
}

bool att_date_normalise(const char *s, size_t n, char out[ATT_DATE_BUF])
{
    out[0] = '\0';
    if (!s)
        return false;
    const char *e = s + n;
    while (s < e && is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        e--;
    if (e - s < 4 || e - s > 80)
        return false;
    if (is_digit(s[0]) && e - s >= 4 && is_digit(s[1]) && is_digit(s[2]) &&
        is_digit(s[3]))
        return iso(s, e, out);
    return written(s, e, out);
}

bool att_date_from_name(const char *name, char out[ATT_DATE_BUF])
{
    out[0] = '\0';
    bool found = false;
    size_t n = strlen(name);
    for (size_t i = 0; i + 8 <= n; i++) {
        if (!is_digit(name[i]) || (i > 0 && is_digit(name[i - 1])))
            continue;
        const char *p = name + i;
        int y, m, d;
        size_t len;
        if (n - i >= 10 && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
            (p[4] == '-' || p[4] == '_' || p[4] == '.') && p[7] == p[4] &&
            is_digit(p[5]) && is_digit(p[6]) && is_digit(p[8]) && is_digit(p[9])) {
            y = num(p, 4);
            m = num(p + 5, 2);
            d = num(p + 8, 2);
            len = 10;
        } else {
            size_t k = 0;
            while (i + k < n && is_digit(p[k]))
                k++;
            if (k != 8)
                continue;
            y = num(p, 4);
            m = num(p + 4, 2);
            d = num(p + 6, 2);
            len = 8;
        }
        if (i + len < n && is_digit(p[len]))
            continue;
        if (y < 1900 || y > 2099 || m < 1 || d < 1)
            continue;
        char buf[ATT_DATE_BUF];
        if (emit(y, m, d, buf)) {
            memcpy(out, buf, ATT_DATE_BUF);
            found = true;
        }
    }
    return found;
}

bool att_date_from_epoch(int64_t seconds, char out[ATT_DATE_BUF])
{
    out[0] = '\0';
    /* Years 1000 to 2999 in seconds, roughly: outside, no date. */
    if (seconds < -30610224000LL || seconds > 32503680000LL)
        return false;
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return false;
    return emit(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, out);
}
