/* test_query_lang.c: the query language's constructs beyond words and
 * operators (searcher/query_parse.h, searcher/query_date.h): wildcards,
 * date: ranges (absolute, open, relative to a fixed "today"), the OR
 * default operator, and each of their errors with its position. */
#include "helpers.h"

#include "../../searcher/query_date.h"
#include "../../searcher/query_parse.h"

static att_analyzer *an;

static void setup(void) { cr_assert_eq(att_analyzer_new(&an), ATT_OK); }
static void teardown(void) { att_analyzer_free(an); }

TestSuite(qlang, .init = setup, .fini = teardown);

/* Today for every relative date in this file: Sunday 2026-11-22. */
#define TODAY 20261122

static void shape_opts(const char *q, bool any, const char *want)
{
    att_qparse_opts o = {any, TODAY, false, 0, 0, false};
    att_qnode *t = NULL;
    att_status st = att_query_parse_ex(an, q, &o, &t);
    cr_assert_eq(st, ATT_OK, "[%s]: %s", q, att_last_error());
    att_buf b = ATT_BUF_INIT;
    cr_assert_eq(att_qnode_describe(t, &b), ATT_OK);
    att_qnode_free(t);
    cr_assert_str_eq(b.data, want, "[%s] gave %s, expected %s", q, b.data, want);
    att_buf_free(&b);
}

static void shape(const char *q, const char *want) { shape_opts(q, false, want); }

static void fails(const char *q, long pos, const char *msg_part)
{
    att_qparse_opts o = {false, TODAY, false, 0, 0, false};
    att_qnode *t = (att_qnode *)0x1;
    att_status st = att_query_parse_ex(an, q, &o, &t);
    cr_assert_eq(st, ATT_QUERY_SYNTAX, "[%s]: got %s", q, att_strerror(st));
    cr_assert_null(t);
    cr_assert_eq(att_last_error_position(), pos,
                 "[%s]: position %ld, expected %ld (%s)", q,
                 att_last_error_position(), pos, att_last_error());
    cr_assert(strstr(att_last_error(), msg_part), "[%s]: message \"%s\" lacks \"%s\"",
              q, att_last_error(), msg_part);
}

/* ---- wildcards ---------------------------------------------------------- */

Test(qlang, wildcard_is_folded_word_start)
{
    shape("negotiat*", "negotiat*");
    shape("Négociat*", "negociat*");
    shape("title:Istan*", "istan*");
    shape("talks negotiat*", "(talk AND negotiat*)");
    shape("-negotiat* peace", "(peac AND_NOT negotiat*)");
}

Test(qlang, wildcard_errors)
{
    fails("ne*", 0, "at least 3 letters");
    fails("peace ne*", 6, "at least 3 letters");
    fails("neg*tiat", 3, "only at the end");
    fails("\"peace negotiat*\"", 15, "inside quotes");
    fails("\"peace ne*go\"", 9, "inside quotes");
    fails("anti-war*", 0, "start of one word");
    fails("a NEAR negotiat*", 7, "single words");
}

/* ---- dates ---------------------------------------------------------------- */

Test(qlang, absolute_dates)
{
    shape("date:2024-10-05", "range:0:20241005..20241005");
    shape("date:2024-10", "range:0:20241000..20241031");
    shape("date:2024", "range:0:20240000..20241231");
    shape("date:2025-10-01..2025-10-31", "range:0:20251001..20251031");
    shape("date:2024..2025-03", "range:0:20240000..20250331");
    shape("date:2025-10-01..", "range:0:20251001..");
    shape("date:..2024-12-31", "range:0:..20241231");
    shape("date:2024-02-29", "range:0:20240229..20240229");
    shape("DATE:2024", "range:0:20240000..20241231");
}

Test(qlang, dates_combine_with_words)
{
    shape("ceasefire date:2024", "(ceasefir AND range:0:20240000..20241231)");
    shape("ceasefire -date:2024", "(ceasefir AND_NOT range:0:20240000..20241231)");
    shape("date:2023 OR date:2025", "(range:0:20230000..20231231 OR range:0:20250000..20251231)");
}

Test(qlang, relative_dates)
{
    shape("date:today", "range:0:20261122..20261122");
    shape("date:yesterday", "range:0:20261121..20261121");
    shape("date:last-1-days", "range:0:20261122..20261122");
    shape("date:last-7-days", "range:0:20261116..20261122");
    shape("date:last-30-days", "range:0:20261024..20261122");
    shape("date:last-2-weeks", "range:0:20261109..20261122");
    shape("date:last-1-month", "range:0:20261023..20261122");
    shape("date:last-12-months", "range:0:20251123..20261122");
    shape("date:last-1-year", "range:0:20251123..20261122");
}

Test(qlang, relative_dates_cross_month_ends)
{
    att_qparse_opts o = {false, 20240331, false, 0, 0, false}; /* one month back: 2024-02-29 */
    att_qnode *t = NULL;
    cr_assert_eq(att_query_parse_ex(an, "date:last-1-months", &o, &t), ATT_OK);
    cr_assert_str_eq(t->lo, "20240301");
    cr_assert_str_eq(t->hi, "20240331");
    att_qnode_free(t);
    o.today = 20250301; /* 7 days back over a non-leap February */
    cr_assert_eq(att_query_parse_ex(an, "date:last-7-days", &o, &t), ATT_OK);
    cr_assert_str_eq(t->lo, "20250223");
    att_qnode_free(t);
}

Test(qlang, date_errors)
{
    fails("date:2024-13", 10, "no month 13");
    fails("date:2023-02-29", 13, "no day 29");
    fails("date:2024-1-5", 5, "YYYY-MM-DD");
    fails("date:yesteryear", 5, "YYYY");
    fails("date:24", 5, "YYYY");
    fails("date:..", 5, "at least one end");
    fails("date:2025..2024", 11, "ends before it starts");
    fails("date:last-week", 5, "last-N-days");
    fails("date:last-3-fortnights", 12, "days, weeks, months or years");
    fails("date:last-0-days", 5, "last-N-days");
    fails("ceasefire date:", 10, "needs a value");
    fails("=date:2024", 0, "not before a field name");
}

Test(qlang, unknown_field_lists_the_fields)
{
    fails("ceasefire author:smith", 10,
          "title:, source:, id:, date:, person:, org: and place:");
}

Test(qlang, date_parse_ymd)
{
    int v = 0;
    cr_assert(att_date_parse_ymd("2026-11-23", &v));
    cr_assert_eq(v, 20261123);
    cr_assert_not(att_date_parse_ymd("2026-11-31", &v));
    cr_assert_not(att_date_parse_ymd("2026-11-3", &v));
    cr_assert_not(att_date_parse_ymd("2026-11-23x", &v));
}

/* ---- the OR default ------------------------------------------------------- */

Test(qlang, or_default)
{
    shape_opts("ceasefire talks", true, "(ceasefir OR talk)");
    shape_opts("ceasefire +talks", true, "(talk AND_MAYBE ceasefir)");
    shape_opts("x AND y z", true, "((x AND y) AND_MAYBE z)");
    shape_opts("z x AND y", true, "((x AND y) AND_MAYBE z)");
    shape_opts("x y -z", true, "((x OR y) AND_NOT z)");
    shape_opts("x y NOT z", true, "((x OR y) AND_NOT z)");
    shape_opts("\"peace talks\" doha", true, "((peac PHRASE talk) OR doha)");
    shape_opts("x (y z)", true, "(x OR (y OR z))");
    shape_opts("x OR y", true, "(x OR y)");
    shape_opts("taliban", true, "taliban");
}

Test(qlang, and_default_is_unchanged_by_plus)
{
    shape("ceasefire +talks", "(ceasefir AND talk)");
}

Test(qlang, lower_case_operators_are_words)
{
    shape_opts("war and peace", true, "(war OR peac)"); /* "and": a stop word */
    shape_opts("+war +and +peace", true, "(war AND and AND peac)");
    shape("war or peace", "(war AND or AND peac)");
    shape("not this", "(not AND this)");
}

Test(qlang, or_default_leaves_out_stop_words)
{
    shape_opts("what did the council say about the blockade", true,
               "(council OR say OR blockad)");
    /* required, phrased or alone: kept */
    shape_opts("+the council", true, "(the AND_MAYBE council)");
    shape_opts("\"the council\" vote", true, "((the PHRASE council) OR vote)");
    shape_opts("the who", true, "(the OR who)");
    /* with AND as the default every word is searched as typed */
    shape("the council", "(the AND council)");
}
