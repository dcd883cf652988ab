/* test_ranking.c: `attache search --weighting` end to end, through the
 * real program: every ranking function by name, with and without its
 * parameter, on the bundled sample corpus; a bad name or parameter is a
 * usage error (exit 2) that says what is accepted; --help lists it.
 * --count-repeats through `attache batch` and `attache search`. */
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

/* The scores of a batch's TSV lines after the qid: "rank id score title". */
static const char *after_qid(const char *line) { return strchr(line, '\t') + 1; }

/* With --any a repeated word counts once: the second query's hits and
 * scores are the first's; --count-repeats makes it count twice. */
Test(ranking_cli, count_repeats)
{
    index_samples();
    const char *in = "1\tceasefire talks\n2\tceasefire talks ceasefire\n";
    for (int counted = 0; counted < 2; counted++) {
        char *args[] = {"batch", "--db", db, "--any", "--all-copies",
                        "--format", "tsv", "--limit", "5",
                        counted ? "--count-repeats" : "-", counted ? "-" : NULL,
                        NULL};
        e2e_result r = e2e_run_argv(in, args);
        cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
        /* the header, then up to 5 lines per query */
        char *q1[8] = {0}, *q2[8] = {0};
        size_t n1 = 0, n2 = 0;
        for (char *save = NULL, *l = strtok_r(r.out, "\n", &save); l;
             l = strtok_r(NULL, "\n", &save)) {
            if (strncmp(l, "1\t", 2) == 0 && n1 < 8)
                q1[n1++] = l;
            else if (strncmp(l, "2\t", 2) == 0 && n2 < 8)
                q2[n2++] = l;
        }
        cr_assert_gt(n1, 1, "%s", r.out);
        cr_assert_eq(n1, n2, "%s", r.out);
        bool same = true;
        for (size_t i = 0; i < n1; i++)
            same &= strcmp(after_qid(q1[i]), after_qid(q2[i])) == 0;
        cr_assert_eq(same, !counted, "counted %d:\n%s", counted, r.out);
        e2e_free(&r);
    }
    e2e_result h = e2e_run_argv(NULL, (char *const[]){"search", "--help", NULL});
    cr_assert(strstr(h.out, "--count-repeats"), "%s", h.out);
    e2e_free(&h);
    e2e_result s = e2e_run_argv(NULL, (char *const[]){"search", "--db", db, "--any",
                                                      "--count-repeats", "--json",
                                                      "ceasefire ceasefire", NULL});
    cr_assert_eq(s.status, 0, "%s", s.err);
    cr_assert_gt(e2e_json_int(s.out, "total"), 0, "%s", s.out);
    e2e_free(&s);
    tmpdir_rm_rf(dir);
}
