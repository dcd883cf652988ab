/*
 * test_batch.c: `attache batch` end to end with the real program: the
 * input conventions (ids, ordinals, comments, CRLF, BOM), the three
 * formats, bad queries reported in order while the rest run (exit 9),
 * the same bytes whatever --jobs is, answers streamed as the queries
 * arrive on a pipe, and the options it shares with `attache search`.
 */
#include "e2e.h"

#include <poll.h>
#include <time.h>

static char dir[64], db[4096];

static void index_dirs(const char *const *rel)
{
    tmpdir_make(dir, "batch");
    tmpdir_path(db, dir, "db");
    const char *src = getenv("ATTACHE_SRC");
    cr_assert(src && *src);
    for (; *rel; rel++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", src, *rel);
        e2e_result r = e2e_run(NULL, "index", "--db", db, path, NULL);
        cr_assert_eq(r.status, 0, "index %s: %s", path, r.err);
        e2e_free(&r);
    }
}

static void index_samples(void)
{
    index_dirs((const char *const[]){"corpus/samples", NULL});
}

/* The n-th line of s (from 0) into buf; false if there is none. */
static bool nth_line(const char *s, int n, char *buf, size_t size)
{
    for (; n > 0 && s; n--) {
        s = strchr(s, '\n');
        if (s)
            s++;
    }
    if (!s || !*s)
        return false;
    size_t len = strcspn(s, "\n");
    cr_assert_lt(len, size);
    memcpy(buf, s, len);
    buf[len] = '\0';
    return true;
}

Test(batch, input_conventions_and_tsv)
{
    index_samples();
    /* A BOM, CRLF, a comment, a blank line, an id, a white-space-only line. */
    const char *in = "\xEF\xBB\xBF" "ceasefire\r\n"
                     "# a comment\n"
                     "\n"
                     "war-talks\t\"open war\"\r\n"
                     "   \t \n"
                     "Pakistan";
    e2e_result r = e2e_run(in, "batch", "--db", db, "-", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.err, "");
    char line[4096];
    cr_assert(nth_line(r.out, 0, line, sizeof line));
    cr_assert_str_eq(line, "qid\trank\tid\tscore\ttitle");
    /* ceasefire: 2 hits, qid 1; "open war": 2 hits, qid war-talks;
     * Pakistan: 5 hits, qid 3 (the third query, comments not counted). */
    cr_assert_eq(e2e_lines(r.out), 1 + 2 + 2 + 5, "%s", r.out);
    cr_assert(nth_line(r.out, 1, line, sizeof line));
    cr_assert_str_eq(line, "1\t1\t004_9b02221339586117\t1.155760\tNegotiators from "
                           "Afghanistan and Pakistan are engaged in talks aimed at "
                           "establishing a lasting ceasefire.");
    cr_assert(nth_line(r.out, 3, line, sizeof line));
    cr_assert_eq(strncmp(line, "war-talks\t1\t002_703b6955b0d8f8ed\t", 32), 0, "%s", line);
    cr_assert(nth_line(r.out, 9, line, sizeof line));
    cr_assert_eq(strncmp(line, "3\t5\t", 4), 0, "%s", line);
    /* Every line has five fields and a six-decimal score. */
    for (int i = 1; nth_line(r.out, i, line, sizeof line); i++) {
        cr_assert_eq(e2e_count(line, "\t"), 4, "%s", line);
        char *score = strchr(strchr(strchr(line, '\t') + 1, '\t') + 1, '\t') + 1;
        char *dot = strchr(score, '.');
        cr_assert(dot && dot[7] == '\t', "score %s", score);
    }
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(batch, tsv_escapes_titles)
{
    tmpdir_make(dir, "batch");
    tmpdir_path(db, dir, "db");
    char docs[4096], f[4096];
    tmpdir_path(docs, dir, "docs");
    cr_assert_eq(mkdir(docs, 0700), 0);
    const char text[] = "Tab\there, back\\slash\n\nZebras crossed the border.\n";
    e2e_write(tmpdir_path(f, docs, "a.txt"), text, sizeof text - 1);
    e2e_result r = e2e_run(NULL, "index", "--db", db, docs, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    e2e_free(&r);
    r = e2e_run("zebras\n", "batch", "--db", db, "-", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char line[4096];
    cr_assert(nth_line(r.out, 1, line, sizeof line));
    char *title = strrchr(line, '\t') + 1;
    cr_assert_str_eq(title, "Tab\\there, back\\\\slash");
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(batch, bad_queries_reported_in_order_rest_run)
{
    index_samples();
    const char *in = "ceasefire\n"
                     "q2\topen (war\n"
                     "q3\t\n"
                     "\tTaliban\n"
                     "x y\tTaliban\n"
                     "Pakistan\n";
    e2e_result r = e2e_run(in, "batch", "--db", db, "--format", "trec", "-", NULL);
    cr_assert_eq(r.status, 9, "exit %d: %s", r.status, r.err);
    /* The good queries ran: 2 + 5 hits. */
    cr_assert_eq(e2e_lines(r.out), 7, "%s", r.out);
    cr_assert_eq(strncmp(r.out, "1 Q0 ", 5), 0);
    cr_assert_eq(e2e_count(r.out, "\n6 Q0 "), 5, "%s", r.out);
    /* The messages: file, line, query id, then search's own message. */
    e2e_result s = e2e_run(NULL, "search", "--db", db, "open (war", NULL);
    cr_assert_eq(s.status, 3);
    const char *search_msg = s.err + strlen("attache: ");
    char want[4096];
    snprintf(want, sizeof want, "attache: stdin:2: query q2: %s", search_msg);
    cr_assert_eq(strncmp(r.err, want, strlen(want)), 0, "got:\n%s\nwant:\n%s", r.err, want);
    cr_assert_not_null(strstr(r.err, "at column 6"), "%s", r.err);
    const char *p = r.err + strlen(want);
    cr_assert_not_null(strstr(p, "attache: stdin:3: query q3: nothing to search for"), "%s", p);
    cr_assert_not_null(strstr(p, "attache: stdin:4: nothing before the tab"), "%s", p);
    cr_assert_not_null(strstr(p, "attache: stdin:5: query x y: the query id \"x y\" holds white space"),
                       "%s", p);
    cr_assert_not_null(strstr(p, "attache: 4 of 6 queries failed"), "%s", p);
    /* In input order. */
    cr_assert_lt(strstr(p, "stdin:3:"), strstr(p, "stdin:4:"));
    cr_assert_lt(strstr(p, "stdin:4:"), strstr(p, "stdin:5:"));
    e2e_free(&s);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(batch, jsonl_error_lines_keep_one_line_per_query)
{
    index_samples();
    /* Invalid UTF-8 in a query and a NUL byte in a line. */
    const char in[] = "ceasefire\nTurk\xFF" "ey\nq3\tTali\0ban\nPakistan\n";
    char path[4096];
    tmpdir_path(path, dir, "q.txt");
    e2e_write(path, in, sizeof in - 1);
    e2e_result r = e2e_run(NULL, "batch", "--db", db, "--format", "jsonl", "--limit", "1",
                           path, NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    cr_assert_eq(e2e_lines(r.out), 4, "%s", r.out);
    char line[8192];
    cr_assert(nth_line(r.out, 0, line, sizeof line));
    cr_assert_eq(strncmp(line, "{\"qid\":\"1\",\"query\":\"ceasefire\",\"total\":2,", 41), 0, "%s",
                 line);
    cr_assert(nth_line(r.out, 1, line, sizeof line));
    cr_assert_str_eq(line, "{\"qid\":\"2\",\"query\":\"Turk\xEF\xBF\xBD" "ey\",\"error\":"
                           "{\"status\":\"query syntax error\",\"message\":"
                           "\"query is not valid UTF-8 at byte 4\",\"position\":4}}");
    cr_assert(nth_line(r.out, 2, line, sizeof line));
    cr_assert_not_null(strstr(line, "{\"qid\":\"q3\",\"query\":\"Tali\",\"error\":{\"status\":"
                                    "\"invalid argument\",\"message\":\"the line holds a NUL"),
                       "%s", line);
    cr_assert(nth_line(r.out, 3, line, sizeof line));
    cr_assert_eq(strncmp(line, "{\"qid\":\"4\",\"query\":\"Pakistan\",\"total\":5,", 40), 0);
    char want[4200];
    snprintf(want, sizeof want, "attache: %s:2: query 2: syntax error in query", path);
    cr_assert_not_null(strstr(r.err, want), "%s", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

/* The JSON Lines object is search --json's, with "qid" first. */
Test(batch, jsonl_is_search_json_with_qid)
{
    index_samples();
    const char *queries[] = {"\"open war\"", "Taliban NOT Istanbul", "ceasfire"};
    e2e_result r = e2e_run("\"open war\"\nTaliban NOT Istanbul\nceasfire\n", "batch", "--db",
                           db, "--format", "jsonl", "--facets=3", "--limit", "2", "-", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    for (int i = 0; i < 3; i++) {
        e2e_result s = e2e_run(NULL, "search", "--db", db, "--json", "--facets=3", "--limit",
                               "2", (char *)queries[i], NULL);
        cr_assert_eq(s.status, 0);
        char line[65536], want[65536];
        cr_assert(nth_line(r.out, i, line, sizeof line));
        snprintf(want, sizeof want, "{\"qid\":\"%d\",%s", i + 1, s.out + 1);
        want[strcspn(want, "\n")] = '\0';
        cr_assert_str_eq(line, want);
        e2e_free(&s);
    }
    /* The misspelt query has a suggestion in both. */
    cr_assert_not_null(strstr(r.out, "\"suggestion\":\"ceasefire\""), "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(batch, trec_run_format_and_defaults)
{
    index_samples();
    e2e_result r = e2e_run("t1\tPakistan\nt2\tceasefire\n", "batch", "--db", db, "--format",
                           "trec", "--run-tag", "myrun", "-", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(e2e_lines(r.out), 7, "%s", r.out);
    char line[4096];
    for (int i = 0; nth_line(r.out, i, line, sizeof line); i++) {
        char qid[64], q0[8], id[256], tag[64];
        int rank;
        double score;
        int n = 0;
        cr_assert_eq(sscanf(line, "%63s %7s %255s %d %lf %63s%n", qid, q0, id, &rank, &score,
                            tag, &n), 6, "%s", line);
        cr_assert_eq((size_t)n, strlen(line));
        cr_assert_str_eq(q0, "Q0");
        cr_assert_str_eq(tag, "myrun");
        cr_assert_str_eq(qid, i < 5 ? "t1" : "t2");
        cr_assert_eq(rank, i < 5 ? i + 1 : i - 4);
        cr_assert_gt(score, 0);
    }
    e2e_free(&r);
    /* Default tag "attache"; --limit and --offset carry over (rank counts
     * the skipped hits, as in search). */
    r = e2e_run("Pakistan\n", "batch", "--db", db, "--format", "trec", "--limit", "2",
                "--offset", "1", "-", NULL);
    cr_assert_eq(r.status, 0);
    cr_assert_eq(e2e_lines(r.out), 2, "%s", r.out);
    cr_assert_not_null(strstr(r.out, " 2 "), "%s", r.out);
    cr_assert_not_null(strstr(r.out, " 3 "), "%s", r.out);
    cr_assert_not_null(strstr(r.out, " attache\n"), "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(batch, trec_refuses_ids_with_white_space)
{
    tmpdir_make(dir, "batch");
    tmpdir_path(db, dir, "db");
    char docs[4096], f[4096];
    tmpdir_path(docs, dir, "docs");
    cr_assert_eq(mkdir(docs, 0700), 0);
    e2e_write(tmpdir_path(f, docs, "a b.txt"), "Zebras\n\nZebras graze.\n", 22);
    e2e_result r = e2e_run(NULL, "index", "--db", db, docs, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    e2e_free(&r);
    r = e2e_run("zebras\n", "batch", "--db", db, "--format", "trec", "-", NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    cr_assert_str_eq(r.out, "");
    cr_assert_not_null(strstr(r.err, "article id \"a b\" holds white space"), "%s", r.err);
    e2e_free(&r);
    r = e2e_run("zebras\n", "batch", "--db", db, "-", NULL); /* TSV can */
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "1\t1\ta b\t"), "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(batch, search_options_carry_over)
{
    index_samples();
    /* AND by default: no article has both; --any ORs them. */
    e2e_result r = e2e_run("ceasefire zzzyyyxxx\n", "batch", "--db", db, "-", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(e2e_lines(r.out), 1, "%s", r.out);
    e2e_free(&r);
    r = e2e_run("ceasefire zzzyyyxxx\n", "batch", "--db", db, "--any", "-", NULL);
    cr_assert_eq(e2e_lines(r.out), 3, "%s", r.out);
    e2e_free(&r);
    /* --bm25 changes the scores as in search. */
    e2e_result a = e2e_run("ceasefire\n", "batch", "--db", db, "--format", "jsonl", "--limit",
                           "1", "--bm25", "2,0.9", "-", NULL);
    e2e_result s = e2e_run(NULL, "search", "--db", db, "--json", "--limit", "1", "--bm25",
                           "2,0.9", "ceasefire", NULL);
    cr_assert_eq(a.status, 0);
    cr_assert_str_eq(strstr(a.out, "\"query\""), strstr(s.out, "\"query\""));
    e2e_free(&a);
    e2e_free(&s);
    /* The shared option checks give search's messages. */
    r = e2e_run("x\n", "batch", "--db", db, "--sort", "size", "-", NULL);
    s = e2e_run(NULL, "search", "--db", db, "--sort", "size", "x", NULL);
    cr_assert_eq(r.status, 2);
    cr_assert_str_eq(r.err, s.err);
    e2e_free(&r);
    e2e_free(&s);
    tmpdir_rm_rf(dir);
}

Test(batch, usage_and_setup_errors)
{
    index_samples();
    struct {
        const char *a, *b, *c;
        int status;
        const char *msg;
    } cases[] = {
        {"--format", "csv", "-", 2, "--format takes tsv, jsonl or trec"},
        {"--run-tag", "x", "-", 2, "--run-tag is for --format trec"},
        {"--facets", "-", NULL, 2, "--facets and --facet-date need --format jsonl"},
        {"--jobs", "65", "-", 2, "--jobs needs a number from 0"},
        {"--limit", "-1", "-", 2, "--limit needs a number"},
        {"/nonexistent/q.txt", NULL, NULL, 7, "cannot read the query file /nonexistent/q.txt"},
        {"-", "-", NULL, 2, "one query file only"},
        {"--bogus", "-", NULL, 2, "unknown or incomplete option \"--bogus\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        e2e_result r = e2e_run("x\n", "batch", "--db", db, (char *)cases[i].a,
                               (char *)cases[i].b, (char *)cases[i].c, NULL);
        cr_assert_eq(r.status, cases[i].status, "%s: exit %d: %s", cases[i].a, r.status, r.err);
        cr_assert_not_null(strstr(r.err, cases[i].msg), "%s: %s", cases[i].a, r.err);
        cr_assert_str_eq(r.out, "");
        e2e_free(&r);
    }
    e2e_result r = e2e_run("x\n", "batch", "--db", db, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "no query file given"), "%s", r.err);
    e2e_free(&r);
    char nodb[4096];
    r = e2e_run("x\n", "batch", "--db", tmpdir_path(nodb, dir, "nothing"), "-", NULL);
    cr_assert_eq(r.status, 5, "%s", r.err);
    e2e_free(&r);
    r = e2e_run(NULL, "batch", "--help", NULL);
    cr_assert_eq(r.status, 0);
    cr_assert_not_null(strstr(r.out, "Usage: attache batch"));
    cr_assert_not_null(strstr(r.out, "--all-copies"));
    e2e_free(&r);
    r = e2e_run(NULL, "help", "batch", NULL);
    cr_assert_eq(r.status, 0);
    cr_assert_not_null(strstr(r.out, "Usage: attache batch"));
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

/* The test: --jobs 1 and --jobs 4 give byte-identical output, in
 * every format, on the benchmark's query mix (321 queries, entity filters,
 * dates, a few with no hits) over the bundled corpus. */
Test(batch, jobs_give_identical_bytes, .timeout = 600)
{
    index_dirs((const char *const[]){"corpus/samples", "corpus/ungdc-79", NULL});
    char queries[4096];
    snprintf(queries, sizeof queries, "%s/tests/bench/queries.txt", getenv("ATTACHE_SRC"));
    const char *formats[] = {"tsv", "jsonl", "trec"};
    for (int f = 0; f < 3; f++) {
        e2e_result one = e2e_run(NULL, "batch", "--db", db, "--format", (char *)formats[f],
                                 "--jobs", "1", queries, NULL);
        e2e_result four = e2e_run(NULL, "batch", "--db", db, "--format", (char *)formats[f],
                                  "--jobs", "4", queries, NULL);
        cr_assert_eq(one.status, 0, "%s: %s", formats[f], one.err);
        cr_assert_eq(four.status, 0, "%s: %s", formats[f], four.err);
        cr_assert_gt(strlen(one.out), 10000, "%s: too little output to compare", formats[f]);
        cr_assert(strcmp(one.out, four.out) == 0, "%s: --jobs 4 differs from --jobs 1",
                  formats[f]);
        cr_assert_str_eq(one.err, four.err);
        if (f == 1)
            cr_assert_eq(e2e_lines(one.out), 321, "one JSON line per query");
        e2e_free(&one);
        e2e_free(&four);
    }
    /* Errors too: every third query broken, messages in the same order. */
    FILE *q = fopen(queries, "r");
    cr_assert_not_null(q);
    char buf[65536] = "", line[1024];
    int n = 0;
    while (fgets(line, sizeof line, q) && strlen(buf) + 2 * sizeof line < sizeof buf)
        if (line[0] != '#')
            strcat(buf, ++n % 3 ? line : "(unbalanced\n");
    fclose(q);
    e2e_result one = e2e_run(buf, "batch", "--db", db, "--jobs", "1", "-", NULL);
    e2e_result four = e2e_run(buf, "batch", "--db", db, "--jobs", "4", "-", NULL);
    cr_assert_eq(one.status, 9);
    cr_assert_eq(four.status, 9);
    cr_assert(strcmp(one.out, four.out) == 0);
    cr_assert_str_eq(one.err, four.err);
    cr_assert_geq(e2e_count(one.err, "syntax error"), n / 3);
    e2e_free(&one);
    e2e_free(&four);
    tmpdir_rm_rf(dir);
}

/* Reads from fd until `want` appears in what was read or 20 s pass. */
static bool read_until(int fd, char *buf, size_t size, size_t *len, const char *want)
{
    time_t end = time(NULL) + 20;
    while (!strstr(buf, want) && time(NULL) < end) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 1000) <= 0)
            continue;
        ssize_t n = read(fd, buf + *len, size - *len - 1);
        if (n <= 0)
            return false;
        *len += (size_t)n;
        buf[*len] = '\0';
    }
    return strstr(buf, want) != NULL;
}

/* A program can feed queries through a pipe and read each answer before
 * it sends the next: output is flushed as queries complete. */
Test(batch, answers_stream_through_pipes)
{
    index_samples();
    for (int jobs = 1; jobs <= 2; jobs++) {
        int in[2], out[2];
        cr_assert_eq(pipe(in), 0);
        cr_assert_eq(pipe(out), 0);
        char j[8];
        snprintf(j, sizeof j, "%d", jobs);
        pid_t pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            close(in[1]);
            close(out[0]);
            execl(e2e_bin(), e2e_bin(), "batch", "--db", db, "--format", "trec", "--jobs", j,
                  "-", (char *)NULL);
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        char buf[65536] = "";
        size_t len = 0;
        cr_assert_eq(write(in[1], "a\tceasefire\n", 12), 12);
        cr_assert(read_until(out[0], buf, sizeof buf, &len, "a Q0 002_703b6955b0d8f8ed 2 "),
                  "jobs %d: no answer to the first query while the input is open: %s", jobs,
                  buf);
        cr_assert_eq(write(in[1], "b\t\"open war\"\n", 13), 13);
        cr_assert(read_until(out[0], buf, sizeof buf, &len, "b Q0 004_9b02221339586117 2 "),
                  "jobs %d: no answer to the second query: %s", jobs, buf);
        close(in[1]);
        int status;
        cr_assert_eq(waitpid(pid, &status, 0), pid);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        close(out[0]);
    }
    tmpdir_rm_rf(dir);
}
