/*
 * test_golden.c: golden-output tests of the machine formats (docs/CLI.md,
 * "Machine output"): `attache search --json` and `attache batch` in TSV,
 * JSON Lines and TREC, run by the real program on the bundled samples
 * (corpus/samples, plus the Pakistani and Qatari speeches of
 * corpus/ungdc-79 for dated, sourced and authored articles) and compared
 * byte for byte with tests/golden/NAME.out (standard output) and
 * tests/golden/NAME.err (standard error, when there is any).
 *
 * Nothing in these outputs varies from run to run (no timings; scores
 * have six decimals), except the temporary index's path in messages,
 * which is written as @DB.  After an intended change of the output,
 * `make golden-update` rewrites the files (this program with
 * ATTACHE_GOLDEN_UPDATE=1); review the diff before committing it.
 */
#include "e2e.h"

static char dir[64], db[4096];

typedef struct golden {
    const char *name;
    const char *stdin_file; /* under tests/golden/, or NULL */
    int status;
    const char *args[16];   /* "@DB" is the index */
} golden;

static const golden CASES[] = {
    {"search-json", NULL, 0,
     {"search", "--db", "@DB", "--json", "--limit", "3", "--offset", "1",
      "\"open war\" OR ceasefire"}},
    {"search-json-facets", NULL, 0,
     {"search", "--db", "@DB", "--json", "--limit", "2", "--facets=3", "Taliban"}},
    {"search-json-metadata", NULL, 0,
     {"search", "--db", "@DB", "--json", "--limit", "2", "--sort", "date", "Pakistan"}},
    {"search-json-suggestion", NULL, 0, {"search", "--db", "@DB", "--json", "ceasfire"}},
    {"batch-tsv", "queries.txt", 9, {"batch", "--db", "@DB", "-"}},
    {"batch-jsonl", "queries.txt", 9,
     {"batch", "--db", "@DB", "--format", "jsonl", "--limit", "2", "--facets=2", "-"}},
    {"batch-trec", "queries.txt", 9,
     {"batch", "--db", "@DB", "--format", "trec", "--run-tag", "golden", "-"}},
    {"batch-no-index", "queries.txt", 5, {"batch", "--db", "@DB/none", "--format", "trec", "-"}},
};

static const char *src(void)
{
    const char *s = getenv("ATTACHE_SRC");
    cr_assert(s && *s, "ATTACHE_SRC is not set");
    return s;
}

static void build_index(void)
{
    tmpdir_make(dir, "golden");
    tmpdir_path(db, dir, "db");
    char pak[4096], qat[4096];
    snprintf(pak, sizeof pak, "%s/corpus/ungdc-79/PAK_79_2024.txt", src());
    snprintf(qat, sizeof qat, "%s/corpus/ungdc-79/QAT_79_2024.txt", src());
    e2e_result r = e2e_run(NULL, "index", "--db", db, (char *)e2e_samples(), pak, qat, NULL);
    cr_assert_eq(r.status, 0, "index: %s", r.err);
    e2e_free(&r);
}

/* The file's bytes (malloc'd), or NULL if it does not exist. */
static char *slurp_path(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *s = e2e_slurp(f);
    fclose(f);
    return s;
}

/* Every occurrence of the index's path in s as "@DB" (s shrinks). */
static void normalise(char *s)
{
    size_t n = strlen(db);
    char *p;
    while ((p = strstr(s, db)) != NULL) {
        memcpy(p, "@DB", 3);
        memmove(p + 3, p + n, strlen(p + n) + 1);
    }
}

/* Fails with the first line that differs, and what to do about it. */
static void compare(const char *name, const char *ext, const char *got, const char *want)
{
    if (strcmp(got, want) == 0)
        return;
    int line = 1;
    size_t i = 0;
    for (; got[i] && got[i] == want[i]; i++)
        if (got[i] == '\n')
            line++;
    size_t start = i;
    while (start > 0 && got[start - 1] != '\n')
        start--;
    cr_assert_fail("tests/golden/%s.%s differs at line %d:\n got: %.*s\nwant: %.*s\n"
                   "(if the change is intended: make golden-update, and review the diff)",
                   name, ext, line, (int)strcspn(got + start, "\n"), got + start,
                   (int)strcspn(want + start, "\n"), want + start);
}

static void write_golden(const char *path, const char *s)
{
    if (!*s) {
        remove(path);
        return;
    }
    e2e_write(path, s, strlen(s));
}

static void run_case(const golden *g)
{
    build_index();
    char *args[17], dbx[4200];
    size_t n = 0;
    for (; n < 16 && g->args[n]; n++) {
        if (strncmp(g->args[n], "@DB", 3) == 0) {
            snprintf(dbx, sizeof dbx, "%s%s", db, g->args[n] + 3);
            args[n] = dbx;
        } else {
            args[n] = (char *)g->args[n];
        }
    }
    args[n] = NULL;
    char *in = NULL;
    if (g->stdin_file) {
        char path[4096];
        snprintf(path, sizeof path, "%s/tests/golden/%s", src(), g->stdin_file);
        in = slurp_path(path);
        cr_assert_not_null(in, "cannot read %s", path);
    }
    e2e_result r = e2e_run_argv(in, args);
    free(in);
    cr_assert_eq(r.status, g->status, "%s: exit %d, want %d: %s", g->name, r.status, g->status,
                 r.err);
    normalise(r.out);
    normalise(r.err);
    char out_path[4096], err_path[4096];
    snprintf(out_path, sizeof out_path, "%s/tests/golden/%s.out", src(), g->name);
    snprintf(err_path, sizeof err_path, "%s/tests/golden/%s.err", src(), g->name);
    const char *update = getenv("ATTACHE_GOLDEN_UPDATE");
    if (update && strcmp(update, "1") == 0) {
        write_golden(out_path, r.out);
        write_golden(err_path, r.err);
    } else {
        char *want_out = slurp_path(out_path), *want_err = slurp_path(err_path);
        compare(g->name, "out", r.out, want_out ? want_out : "");
        compare(g->name, "err", r.err, want_err ? want_err : "");
        free(want_out);
        free(want_err);
    }
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(golden, search_json) { run_case(&CASES[0]); }
Test(golden, search_json_facets) { run_case(&CASES[1]); }
Test(golden, search_json_metadata) { run_case(&CASES[2]); }
Test(golden, search_json_suggestion) { run_case(&CASES[3]); }
Test(golden, batch_tsv) { run_case(&CASES[4]); }
Test(golden, batch_jsonl) { run_case(&CASES[5]); }
Test(golden, batch_trec) { run_case(&CASES[6]); }
Test(golden, batch_no_index) { run_case(&CASES[7]); }

/* Every case has its golden output: an empty .out would mean a command
 * that printed nothing, which no case here should. */
Test(golden, every_case_has_output)
{
    const char *update = getenv("ATTACHE_GOLDEN_UPDATE");
    if (update && strcmp(update, "1") == 0)
        return; /* being written */
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/tests/golden/%s.%s", src(), CASES[i].name,
                 CASES[i].status == 5 ? "err" : "out");
        char *s = slurp_path(path);
        cr_assert(s && *s, "%s is missing or empty (make golden-update)", path);
        free(s);
    }
}
