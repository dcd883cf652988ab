/* test_cli.c: the attache program end to end, on the bundled samples. */
#include "e2e.h"

static char dir[64], db[4096];

/* A temp dir with the samples indexed into dir/db. */
static void index_samples(void)
{
    tmpdir_make(dir, "e2e");
    tmpdir_path(db, dir, "db");
    e2e_result r = e2e_run(NULL, "index", "--db", db, (char *)e2e_samples(), NULL);
    cr_assert_eq(r.status, 0, "index failed (%d): %s", r.status, r.err);
    e2e_free(&r);
}

static long total_for(const char *query)
{
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "--limit", "100",
                           (char *)query, NULL);
    cr_assert_eq(r.status, 0, "search %s: %s", query, r.err);
    long t = e2e_json_int(r.out, "total");
    e2e_free(&r);
    return t;
}

Test(cli, index_samples_twice_keeps_five)
{
    tmpdir_make(dir, "e2e");
    tmpdir_path(db, dir, "db");
    e2e_result r = e2e_run(NULL, "index", "--db", db, (char *)e2e_samples(), NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "Indexed 5 articles"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "holds 5 articles"), "%s", r.out);
    e2e_free(&r);
    cr_assert_eq(total_for("pakistan"), 5);
    r = e2e_run(NULL, "index", "--db", db, (char *)e2e_samples(), NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "holds 5 articles"), "%s", r.out);
    e2e_free(&r);
    cr_assert_eq(total_for("pakistan"), 5);
    tmpdir_rm_rf(dir);
}

Test(cli, phrase_open_war)
{
    index_samples();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "\"open war\"", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(e2e_json_int(r.out, "total"), 2, "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "\"id\":\"002_703b6955b0d8f8ed\""), 1);
    cr_assert_eq(e2e_count(r.out, "\"id\":\"004_9b02221339586117\""), 1);
    cr_assert_eq(e2e_count(r.out, "\"rank\":"), 2);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

static void phrase_range(const char *text, size_t len, long a, long b)
{
    (void)len;
    cr_assert_eq(b - a, 8, "phrase is one range");
    cr_assert_eq(strncasecmp(text + a, "open war", 8), 0, "[%.*s]", (int)(b - a),
                 text + a);
}

Test(cli, phrase_highlight_ranges)
{
    index_samples();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "\"open war\"", NULL);
    cr_assert_eq(r.status, 0);
    cr_assert_geq(e2e_json_ranges(r.out, phrase_range), 2);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

static void ceasefire_range(const char *text, size_t len, long a, long b)
{
    (void)len;
    cr_assert_geq(b - a, 9);
    cr_assert_eq(strncasecmp(text + a, "ceasefire", 9), 0, "[%.*s]", (int)(b - a),
                 text + a);
}

Test(cli, ceasefire_highlights)
{
    index_samples();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_gt(e2e_json_int(r.out, "total"), 0);
    cr_assert_geq(e2e_json_ranges(r.out, ceasefire_range), 2);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(cli, human_output_plain_when_piped)
{
    index_samples();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strchr(r.out, '\033'), "escape in piped output");
    cr_assert_not_null(strstr(r.out, "ceasefire"));
    cr_assert_not_null(strstr(r.out, "004_9b02221339586117"));
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--color=always", "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "\033["), "no colour with --color=always");
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--color", "never", "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strchr(r.out, '\033'));
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(cli, paging_json)
{
    index_samples();
    e2e_result a = e2e_run(NULL, "search", "--db", db, "--json", "--limit", "2",
                           "pakistan", NULL);
    e2e_result b = e2e_run(NULL, "search", "--db", db, "--json", "--limit", "2",
                           "--offset", "2", "pakistan", NULL);
    cr_assert_eq(a.status, 0);
    cr_assert_eq(b.status, 0);
    cr_assert_eq(e2e_count(a.out, "\"rank\":"), 2);
    cr_assert_eq(e2e_count(b.out, "\"rank\":"), 2);
    cr_assert_not_null(strstr(b.out, "\"rank\":3"));
    const char *ids[] = {"000_46bc87c280a925bc", "001_465efb19f469ebce",
                         "002_703b6955b0d8f8ed", "003_d0b0b7a5f058c054",
                         "004_9b02221339586117"};
    for (int i = 0; i < 5; i++)
        cr_assert_leq(e2e_count(a.out, ids[i]) + e2e_count(b.out, ids[i]), 1,
                      "%s on both pages", ids[i]);
    e2e_free(&a);
    e2e_free(&b);
    tmpdir_rm_rf(dir);
}

/* ---- errors ------------------------------------------------------------ */

static void one_line_error(const e2e_result *r, const char *must_name)
{
    cr_assert_eq(e2e_lines(r->err), 1, "stderr should be one line: [%s]", r->err);
    cr_assert_eq(strncmp(r->err, "attache: ", 9), 0, "[%s]", r->err);
    if (must_name)
        cr_assert_not_null(strstr(r->err, must_name), "stderr [%s] should name %s",
                           r->err, must_name);
}

Test(cli, missing_index)
{
    tmpdir_make(dir, "e2e");
    tmpdir_path(db, dir, "no-such-index");
    e2e_result r = e2e_run(NULL, "search", "--db", db, "peace", NULL);
    cr_assert_eq(r.status, 5, "status %d: %s", r.status, r.err);
    one_line_error(&r, db);
    cr_assert_eq(r.out[0], '\0');
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(cli, unreadable_input)
{
    tmpdir_make(dir, "e2e");
    tmpdir_path(db, dir, "db");
    char missing[4096];
    tmpdir_path(missing, dir, "no-such-input");
    e2e_result r = e2e_run(NULL, "index", "--db", db, "-q", missing, NULL);
    cr_assert_eq(r.status, 7, "status %d: %s", r.status, r.err);
    one_line_error(&r, missing);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(cli, empty_query)
{
    index_samples();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "...", NULL);
    cr_assert_eq(r.status, 4, "status %d: %s", r.status, r.err);
    one_line_error(&r, NULL);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(cli, syntax_error)
{
    index_samples();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "open (war", NULL);
    cr_assert_eq(r.status, 3, "status %d: %s", r.status, r.err);
    one_line_error(&r, "open (war");
    cr_assert_not_null(strstr(r.err, "column 6"), "[%s]", r.err);
    e2e_free(&r);
    /* Columns count characters, not bytes. */
    r = e2e_run(NULL, "search", "--db", db, "T\xc3\xbcrkiye \"open", NULL);
    cr_assert_eq(r.status, 3);
    cr_assert_not_null(strstr(r.err, "column 9"), "[%s]", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(cli, usage_errors)
{
    index_samples();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--bogus", "x", NULL);
    cr_assert_eq(r.status, 2, "status %d", r.status);
    one_line_error(&r, "--bogus");
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--limit", NULL);
    cr_assert_eq(r.status, 2, "status %d", r.status);
    one_line_error(&r, "--limit");
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--limit", "lots", "x", NULL);
    cr_assert_eq(r.status, 2);
    one_line_error(&r, "lots");
    e2e_free(&r);
    r = e2e_run(NULL, "index", "--db", db, NULL);
    cr_assert_eq(r.status, 2, "index without PATH");
    e2e_free(&r);
    r = e2e_run(NULL, "frobnicate", NULL);
    cr_assert_eq(r.status, 2);
    one_line_error(&r, "frobnicate");
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(cli, some_input_skipped)
{
    tmpdir_make(dir, "e2e");
    tmpdir_path(db, dir, "db");
    char in[4096], f[4096];
    tmpdir_path(in, dir, "in");
    cr_assert_eq(mkdir(in, 0700), 0);
    const char good[] = "Good Article\nMediation in Doha continued.\n";
    e2e_write(tmpdir_path(f, in, "good.txt"), good, sizeof good - 1);
    const char bad[] = "Bad Article\nBinary \0 data.\n";
    char badpath[4096];
    e2e_write(tmpdir_path(badpath, in, "bad.txt"), bad, sizeof bad - 1);
    e2e_result r = e2e_run(NULL, "index", "--db", db, in, NULL);
    cr_assert_eq(r.status, 9, "status %d: %s", r.status, r.err);
    one_line_error(&r, badpath);
    cr_assert_not_null(strstr(r.out, "holds 1 article"), "%s", r.out);
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--json", "id:good", NULL);
    cr_assert_eq(e2e_json_int(r.out, "total"), 1, "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

/* Holds the write lock: `attache index --db D FIFO` opens the index, then
 * blocks reading the FIFO until the test writes an article into it. */
Test(cli, locked_index_and_no_data_lost)
{
    index_samples();
    char fifo[4096], other[4096];
    tmpdir_path(fifo, dir, "wire.txt");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    tmpdir_path(other, dir, "other.txt");
    const char art[] = "Other Article\nKabul and Islamabad exchanged envoys.\n";
    e2e_write(other, art, sizeof art - 1);

    FILE *out = tmpfile(), *err = tmpfile();
    pid_t holder = e2e_spawn(NULL, out, err, (char *const[]){"index", "--db", db,
                                                            fifo, NULL});
    /* Opening the write end succeeds only once the holder is blocked in
     * open() of the FIFO, i.e. after it took the index's write lock. */
    int wfd = -1;
    for (int i = 0; i < 1000 && wfd < 0; i++) {
        wfd = open(fifo, O_WRONLY | O_NONBLOCK);
        if (wfd < 0)
            usleep(10000);
    }
    cr_assert_geq(wfd, 0, "the holder never opened the FIFO");

    e2e_result r = e2e_run(NULL, "index", "--db", db, other, NULL);
    cr_assert_eq(r.status, 6, "status %d: %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "locked"), "[%s]", r.err);
    cr_assert_eq(e2e_lines(r.err), 1, "[%s]", r.err);
    e2e_free(&r);
    /* Readers still work while the writer holds the lock. */
    cr_assert_eq(total_for("pakistan"), 5);

    const char wire[] = "Wire Story\nEnvoys met in Doha.\n";
    cr_assert_eq(write(wfd, wire, sizeof wire - 1), (ssize_t)(sizeof wire - 1));
    close(wfd);
    int st = e2e_wait(holder);
    char *herr = e2e_slurp(err);
    cr_assert_eq(st, 0, "holder exited %d: %s", st, herr);
    free(herr);
    fclose(out);
    fclose(err);

    /* Nothing was lost: the five samples plus the holder's article. */
    cr_assert_eq(total_for("pakistan"), 5);
    cr_assert_eq(total_for("id:wire"), 1);
    cr_assert_eq(total_for("islamabad envoys"), 0, "the locked-out run added nothing");
    r = e2e_run(NULL, "index", "--db", db, other, NULL);
    cr_assert_eq(r.status, 0, "lock released: %s", r.err);
    cr_assert_not_null(strstr(r.out, "holds 7 articles"), "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

/* ---- help and shell ------------------------------------------------------ */

Test(cli, help)
{
    const char *cmds[][3] = {{"--help", NULL, NULL},
                             {"search", "--help", NULL},
                             {"index", "--help", NULL},
                             {"shell", "--help", NULL},
                             {"help", "search", NULL}};
    for (int i = 0; i < 5; i++) {
        e2e_result r = e2e_run_argv(NULL, (char *const *)cmds[i]);
        cr_assert_eq(r.status, 0, "%s %s", cmds[i][0], cmds[i][1] ? cmds[i][1] : "");
        cr_assert_eq(strncmp(r.out, "Usage: attache", 14), 0, "[%s]", r.out);
        cr_assert_eq(r.err[0], '\0');
        e2e_free(&r);
    }
    e2e_result r = e2e_run(NULL, "search", "--help", NULL);
    cr_assert_not_null(strstr(r.out, "--json"));
    e2e_free(&r);
    r = e2e_run(NULL, "--version", NULL);
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.out, "attache 0.1.0\n");
    e2e_free(&r);
}

Test(cli, shell_reads_queries_from_stdin)
{
    index_samples();
    e2e_result r = e2e_run("ceasefire\n\"open war\"\nfoo AND\ntitle:Istanbul\n",
                           "shell", "--db", db, NULL);
    cr_assert_not_null(strstr(r.out, "2 results for: ceasefire"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "results for: \"open war\""), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "for: title:Istanbul"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "002_703b6955b0d8f8ed"));
    cr_assert_null(strchr(r.out, '\033'), "no escapes when not a terminal");
    cr_assert_not_null(strstr(r.err, "foo AND"), "syntax error reported: %s", r.err);
    /* The line after the bad query still ran. */
    cr_assert_lt(strstr(r.out, "open war") - r.out, strstr(r.out, "title:Istanbul") - r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(cli, index_env_db)
{
    /* e2e_spawn clears ATTACHE_DB to isolate the tests; --db must win over
     * HOME and XDG_DATA_HOME, and without it the XDG location is used. */
    index_samples();
    setenv("HOME", "/nonexistent-home", 1);
    setenv("XDG_DATA_HOME", "/nonexistent-data", 1);
    cr_assert_gt(total_for("taliban"), 0, "--db is used whatever HOME says");
    e2e_result r = e2e_run(NULL, "search", "peace", NULL);
    cr_assert_eq(r.status, 5, "default index under XDG_DATA_HOME: %d %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "/nonexistent-data/attache/index"), "[%s]", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}
