/* test_ranking.c: `attache search --weighting` end to end, through the
 * real program: every ranking function by name, with and without its
 * parameter, on the bundled sample corpus; a bad name or parameter is a
 * usage error (exit 2) that says what is accepted; --help lists it. */
#include "e2e.h"

static char dir[64], db[4096];

static void index_samples(void)
{
    tmpdir_make(dir, "e2e-rank");
    tmpdir_path(db, dir, "db");
    e2e_result r = e2e_run_argv(NULL, (char *const[]){"index", "--db", db,
                                                      (char *)e2e_samples(), NULL});
    cr_assert_eq(r.status, 0, "index failed (%d): %s", r.status, r.err);
    e2e_free(&r);
}

static e2e_result search(const char *weighting, const char *query)
{
    return e2e_run_argv(NULL, (char *const[]){"search", "--db", db, "--json",
                                              "--any", "--weighting",
                                              (char *)weighting, (char *)query,
                                              NULL});
}

Test(ranking_cli, every_weighting_by_name)
{
    index_samples();
    static const char *const ok[] = {"bm25", "BM25", "default", "bm25+",
                                     "bm25+,0.5", "lm", "lm,800", "lm-jm",
                                     "lm-jm,0.4", "dph", "dlh", "pl2,2",
                                     "inl2,0.5"};
    long total = -1;
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        e2e_result r = search(ok[i], "ceasefire talks");
        cr_assert_eq(r.status, 0, "%s: exit %d: %s", ok[i], r.status, r.err);
        long t = e2e_json_int(r.out, "total");
        cr_assert_gt(t, 0, "%s: %s", ok[i], r.out);
        /* the ranking function orders the matches; it never changes them */
        if (total >= 0)
            cr_assert_eq(t, total, "%s", ok[i]);
        total = t;
        e2e_free(&r);
    }
    tmpdir_rm_rf(dir);
}

Test(ranking_cli, bad_weighting_is_a_usage_error)
{
    index_samples();
    static const char *const bad[] = {"tfidf", "", "lm,", "lm,abc", "lm,-3",
                                      "lm-jm,1.5", "bm25,7e9",
                                      "averyveryverylongname"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        e2e_result r = search(bad[i], "ceasefire");
        cr_assert_eq(r.status, 2, "[%s]: exit %d", bad[i], r.status);
        cr_assert(strstr(r.err, "--weighting takes"), "[%s]: %s", bad[i], r.err);
        cr_assert(strstr(r.err, "lm-jm"), "[%s]: %s", bad[i], r.err);
        cr_assert_eq(r.out[0], '\0');
        e2e_free(&r);
    }
    e2e_result h = e2e_run_argv(NULL, (char *const[]){"search", "--help", NULL});
    cr_assert_eq(h.status, 0);
    cr_assert(strstr(h.out, "--weighting NAME"), "%s", h.out);
    e2e_free(&h);
    tmpdir_rm_rf(dir);
}
