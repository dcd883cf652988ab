/* test_reader_date.c: the date normaliser the readers share
 * (common/datenorm.h): metadata dates in their many forms, dates in file
 * names, and what must give no date at all. */
#include "helpers.h"

#include "datenorm.h"

typedef struct dcase {
    const char *in;
    const char *want; /* NULL: not a date */
} dcase;

static const dcase cases[] = {
    /* ISO 8601 / RFC 3339 */
    {"2025-10-30", "2025-10-30"},
    {"2025-10", "2025-10"},
    {"2025", "2025"},
    {"20251030", "2025-10-30"},
    {"2025-10-30T14:05:00Z", "2025-10-30"},
    {"2025-10-30T23:30:00-05:00", "2025-10-30"},
    {"2025-10-30T14:05:00.123+05:30", "2025-10-30"},
    {"2025-10-30 14:05", "2025-10-30"},
    {"20251030T140500Z", "2025-10-30"},
    {"  2025-10-30\n", "2025-10-30"},
    {"2025/10/30", "2025-10-30"},
    {"2025.10.30", "2025-10-30"},
    {"2024-02-29", "2024-02-29"},
    /* RFC 2822 and written forms */
    {"Thu, 30 Oct 2025 14:05:00 +0000", "2025-10-30"},
    {"Thu, 30 Oct 2025 14:05:00 GMT", "2025-10-30"},
    {"30 Oct 2025", "2025-10-30"},
    {"30 October 2025", "2025-10-30"},
    {"30-Oct-2025", "2025-10-30"},
    {"19-OCT-1987 01:51:12.61", "1987-10-19"},
    {"October 30, 2025", "2025-10-30"},
    {"Oct. 30 2025", "2025-10-30"},
    {"Sept 3, 2025", "2025-09-03"},
    {"Thursday, October 30th, 2025", "2025-10-30"},
    {"October 2025", "2025-10"},
    {"May 5, 2025 10:00 AM EST", "2025-05-05"},
    /* numbers: only when unambiguous */
    {"30/10/2025", "2025-10-30"},
    {"10/30/2025", "2025-10-30"},
    {"30.10.2025", "2025-10-30"},
    {"05/05/2025", "2025-05-05"},
    /* not dates */
    {"03/04/2025", NULL},   /* March or April? */
    {"yesterday", NULL},
    {"", NULL},
    {"2025-13-01", NULL},
    {"2025-02-30", NULL},
    {"2023-02-29", NULL},
    {"2025-1-5", NULL},
    {"1987 was a year of talks", NULL},
    {"October 30", NULL},
    {"0999-01-01", NULL},
    {"30 Foo 2025", NULL},
    {"2025-10-30 at the latest", NULL},
    {"202510301", NULL},
};

Test(date, normalise_table)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[ATT_DATE_BUF];
        bool ok = att_date_normalise(cases[i].in, strlen(cases[i].in), out);
        if (cases[i].want) {
            cr_expect(ok, "\"%s\" should be a date", cases[i].in);
            cr_expect_str_eq(out, cases[i].want, "\"%s\"", cases[i].in);
        } else {
            cr_expect(!ok, "\"%s\" is not a date, got %s", cases[i].in, out);
            cr_expect_str_eq(out, "", "\"%s\" leaves no output", cases[i].in);
        }
    }
}

Test(date, length_bounds_the_text)
{
    char out[ATT_DATE_BUF];
    /* Only the first ten bytes are the date: the rest is not read. */
    cr_assert(att_date_normalise("2025-10-30garbage", 10, out));
    cr_assert_str_eq(out, "2025-10-30");
    cr_assert(!att_date_normalise(NULL, 0, out));
}

Test(date, from_file_name)
{
    char out[ATT_DATE_BUF];
    cr_assert(att_date_from_name("2025-10-30.txt", out));
    cr_assert_str_eq(out, "2025-10-30");
    cr_assert(att_date_from_name("wires/reuters_20251030_1.json", out));
    cr_assert_str_eq(out, "2025-10-30");
    cr_assert(att_date_from_name("dawn.2024_09_12.html", out));
    cr_assert_str_eq(out, "2024-09-12");
    /* the last date wins */
    cr_assert(att_date_from_name("2024-01-01-update-2024-01-05", out));
    cr_assert_str_eq(out, "2024-01-05");
    /* not dates: inside longer digit runs, impossible days, odd years */
    cr_assert(!att_date_from_name("000_46bc87c280a925bc.txt", out));
    cr_assert_str_eq(out, "");
    cr_assert(!att_date_from_name("id-1202510301.txt", out));
    cr_assert(!att_date_from_name("2025-02-30.txt", out));
    cr_assert(!att_date_from_name("1850-01-01.txt", out));
    cr_assert(!att_date_from_name("2025-10_30.txt", out));
    cr_assert(!att_date_from_name("00001.txt", out));
    cr_assert(!att_date_from_name("", out));
}

Test(date, from_epoch)
{
    char out[ATT_DATE_BUF];
    cr_assert(att_date_from_epoch(1761782400, out)); /* 2025-10-30T00:00Z */
    cr_assert_str_eq(out, "2025-10-30");
    cr_assert(att_date_from_epoch(0, out));
    cr_assert_str_eq(out, "1970-01-01");
    cr_assert(!att_date_from_epoch(INT64_MAX / 2, out));
}
