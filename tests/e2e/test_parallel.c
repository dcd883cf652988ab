/*
 * test_parallel.c: `attache index --jobs N` builds the same index as
 * `--jobs 1`, end to end with the real program on the bundled corpus (197
 * articles) plus a few bad files: same messages, same summary, the same
 * Xapian tables byte for byte (so the same documents, terms, positions,
 * values and stored text in the same order), and the same search results
 * for the benchmark's query mix.
 */
#include "e2e.h"

static char dir[64];

static char *src_path(char *buf, size_t n, const char *rel)
{
    const char *src = getenv("ATTACHE_SRC");
    cr_assert(src && *src, "ATTACHE_SRC is not set");
    snprintf(buf, n, "%s/%s", src, rel);
    return buf;
}

/* The summary line without what differs between runs: the "in 1.2 s"
 * timing and the index's path. */
static void drop_timing(char *s, const char *db)
{
    char *p = strstr(s, " in ");
    char *q = p ? strstr(p, " s;") : NULL;
    if (p && q)
        memmove(p, q + 2, strlen(q + 2) + 1);
    if ((p = strstr(s, db)) != NULL)
        memmove(p, p + strlen(db), strlen(p + strlen(db)) + 1);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

Test(parallel, jobs_build_the_same_index)
{
    /* Each commit records its time in the index (INDEX-FORMAT.md); the
     * runs compared byte for byte record the same one. */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    tmpdir_make(dir, "par");
    char corpus[4096], bad[4096], f[4096], queries[4096];
    src_path(corpus, sizeof corpus, "corpus");
    src_path(queries, sizeof queries, "tests/bench/queries.txt");
    tmpdir_path(bad, dir, "bad");
    cr_assert_eq(mkdir(bad, 0700), 0);
    e2e_write(tmpdir_path(f, bad, "latin1.txt"), "Caf\xe9\nbody\n", 10);
    e2e_write(tmpdir_path(f, bad, "binary.txt"), "Bin\n\0\1\2\n", 8);
    e2e_write(tmpdir_path(f, bad, "empty.txt"), "", 0);
    e2e_write(tmpdir_path(f, bad, "ok.txt"), "Fine\nMediation in Doha.\n", 24);

    const char *jobs[] = {"1", "2", "5"};
    char dbs[3][4096];
    char *outs[3], *errs[3];
    for (int k = 0; k < 3; k++) {
        char name[16];
        snprintf(name, sizeof name, "db%s", jobs[k]);
        tmpdir_path(dbs[k], dir, name);
        /* Small batches, so that commits fall inside the pipeline. */
        e2e_result r = e2e_run(NULL, "index", "--db", dbs[k], "--jobs", (char *)jobs[k],
                               "--batch", "7", corpus, bad, NULL);
        cr_assert_eq(r.status, 9, "jobs %s: status %d: %s", jobs[k], r.status, r.err);
        drop_timing(r.out, dbs[k]);
        outs[k] = r.out;
        errs[k] = r.err;
    }
    cr_assert_eq(e2e_count(errs[0], "skipped"), 2, "%s", errs[0]);
    cr_assert_not_null(strstr(outs[0], "holds 199 articles"), "%s", outs[0]);
    cr_assert_not_null(strstr(outs[0], "1 file converted to UTF-8"), "%s", outs[0]);
    const char *tables[] = {"docdata.glass", "position.glass", "postlist.glass",
                            "termlist.glass"};
    for (int k = 1; k < 3; k++) {
        cr_assert_str_eq(outs[k], outs[0], "jobs %s: summary differs", jobs[k]);
        cr_assert_str_eq(errs[k], errs[0], "jobs %s: messages differ", jobs[k]);
        for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
            char a[4096], b[4096];
            size_t la, lb;
            char *da = read_all(tmpdir_path(a, dbs[0], tables[t]), &la);
            char *db = read_all(tmpdir_path(b, dbs[k], tables[t]), &lb);
            cr_assert(la == lb && memcmp(da, db, la) == 0,
                      "jobs %s: %s differs from the one-job index", jobs[k], tables[t]);
            free(da);
            free(db);
        }
    }
    for (int k = 0; k < 3; k++) {
        free(outs[k]);
        free(errs[k]);
    }

    /* The benchmark query mix, answered identically (ids, scores, snippets). */
    FILE *q = fopen(queries, "r");
    cr_assert_not_null(q, "cannot open %s", queries);
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, q) && n < 60) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        n++;
        e2e_result r1 = e2e_run(NULL, "search", "--db", dbs[0], "--json", line, NULL);
        e2e_result r5 = e2e_run(NULL, "search", "--db", dbs[2], "--json", line, NULL);
        cr_assert_eq(r1.status, r5.status, "%s", line);
        cr_assert_str_eq(r1.out, r5.out, "query %s answered differently", line);
        e2e_free(&r1);
        e2e_free(&r5);
    }
    fclose(q);
    cr_assert_eq(n, 60);
    tmpdir_rm_rf(dir);
}

Test(parallel, jobs_option_checked)
{
    tmpdir_make(dir, "par");
    char db[4096];
    tmpdir_path(db, dir, "db");
    e2e_result r = e2e_run(NULL, "index", "--db", db, "--jobs", "x", "/nonexistent", NULL);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "--jobs"), "%s", r.err);
    e2e_free(&r);
    r = e2e_run(NULL, "index", "--db", db, "--jobs", "65", "/nonexistent", NULL);
    cr_assert_eq(r.status, 2, "%s", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}
