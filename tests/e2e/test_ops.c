/*
 * test_ops.c: the index's operations, end to end with the real program:
 * `attache stats` (its JSON keys and figures, checked against other ways
 * of counting the same things), `attache delete`, the writer lock (a
 * second indexer fails with exit 6, or waits with --wait), Ctrl-C and
 * SIGTERM during indexing (what was done is committed, a documented exit
 * status and a message saying how much), searches running while an
 * indexer commits (none fails, and they see each commit), and what
 * `attache index` shows: the progress line on a terminal only,
 * --verbose, --quiet.
 *
 * A running indexer is held still where a test needs it by SIGSTOP after
 * it has printed its first --verbose line (so it holds the lock and has
 * work left), and let go with SIGCONT: no test depends on timing.
 */
#include "gen_corpus.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

static char dir[64];

/* ---- helpers ----------------------------------------------------------- */

/* Starts the program with stdout on a pipe whose read end is returned in
 * *rd (line-buffered reading); stderr goes to `err`. */
static pid_t spawn_piped(FILE *err, FILE **rd, char *const *args)
{
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    FILE *w = fdopen(fd[1], "w");
    cr_assert_not_null(w);
    pid_t pid = e2e_spawn(NULL, w, err, args);
    fclose(w); /* the child has its copy */
    *rd = fdopen(fd[0], "r");
    cr_assert_not_null(*rd);
    return pid;
}

/* Reads lines from `rd` until one starts with `prefix`; counts the lines
 * starting with "indexed " on the way.  Fails at end of file. */
static void read_until(FILE *rd, const char *prefix, int *indexed)
{
    char line[8192];
    while (fgets(line, sizeof line, rd)) {
        if (indexed && strncmp(line, "indexed ", 8) == 0)
            ++*indexed;
        if (strncmp(line, prefix, strlen(prefix)) == 0)
            return;
    }
    cr_assert_fail("the indexer's output ended before a line \"%s...\"", prefix);
}

/* Reads the rest of `rd`, counting lines starting with `prefix`. */
static int drain(FILE *rd, const char *prefix)
{
    char line[8192];
    int n = 0;
    while (fgets(line, sizeof line, rd))
        n += strncmp(line, prefix, strlen(prefix)) == 0;
    fclose(rd);
    return n;
}

static long stats_articles(const char *db)
{
    e2e_result r = e2e_run(NULL, "stats", "--json", "--db", (char *)db, NULL);
    cr_assert_eq(r.status, 0, "stats: %s", r.err);
    long n = e2e_json_int(r.out, "articles");
    e2e_free(&r);
    return n;
}

/* The JSON text after "key": (a pointer into json), or NULL. */
static const char *json_at(const char *json, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    return p ? p + strlen(pat) : NULL;
}

/* Whether the JSON value of "key" is the string `want`. */
static bool json_str_is(const char *json, const char *key, const char *want)
{
    const char *p = json_at(json, key);
    if (!p || *p != '"')
        return false;
    return strncmp(p + 1, want, strlen(want)) == 0 && p[1 + strlen(want)] == '"';
}

static char *sub(char *buf, const char *name)
{
    return tmpdir_path(buf, dir, name);
}

static void index_ok(const char *db, const char *path)
{
    e2e_result r = e2e_run(NULL, "index", "--quiet", "--db", (char *)db,
                           (char *)path, NULL);
    cr_assert_eq(r.status, 0, "index %s: %d %s", path, r.status, r.err);
    e2e_free(&r);
}

/* ---- attache stats --------------------------------------------------------- */

Test(ops, stats_json_keys_and_figures)
{
    char corpus[4096], db[4096];
    tmpdir_make(dir, "ops");
    gen_corpus(sub(corpus, "corpus"), 0, 60, 3);
    time_t before = time(NULL);
    index_ok(sub(db, "db"), corpus);
    time_t after = time(NULL);

    e2e_result r = e2e_run(NULL, "stats", "--json", "--db", db, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *keys[] = {"path", "schema", "articles", "terms", "entities",
                          "person", "org", "place", "sources", "dated",
                          "first_date", "last_date", "size_bytes", "last_commit",
                          "last_commit_unix", "last_commit_estimated",
                          "exact_forms"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_assert_not_null(json_at(r.out, keys[i]), "no \"%s\" in %s", keys[i],
                           r.out);
    cr_assert_eq(e2e_json_int(r.out, "articles"), 60, "%s", r.out);
    cr_assert_eq(e2e_json_int(r.out, "dated"), 60, "%s", r.out);
    cr_assert_eq(e2e_json_int(r.out, "sources"), 3, "%s", r.out); /* Wire0..2 */
    /* Article i is dated 2024-(1 + i % 12)-(1 + i % 28). */
    int lo = 9999, hi = 0;
    for (int i = 0; i < 60; i++) {
        int md = (1 + i % 12) * 100 + 1 + i % 28;
        lo = md < lo ? md : lo;
        hi = md > hi ? md : hi;
    }
    char first[32], last[32];
    snprintf(first, sizeof first, "2024-%02d-%02d", lo / 100, lo % 100);
    snprintf(last, sizeof last, "2024-%02d-%02d", hi / 100, hi % 100);
    cr_assert(json_str_is(r.out, "first_date", first), "%s", r.out);
    cr_assert(json_str_is(r.out, "last_date", last), "%s", r.out);
    cr_assert(json_str_is(r.out, "schema", "5"), "%s", r.out);
    cr_assert(strstr(r.out, "\"last_commit_estimated\":false"), "%s", r.out);
    cr_assert(strstr(r.out, "\"exact_forms\":false"), "%s", r.out);
    long when = e2e_json_int(r.out, "last_commit_unix");
    cr_assert(when >= (long)before && when <= (long)after,
              "last commit %ld outside the run [%ld, %ld]", when, (long)before,
              (long)after);

    /* The size is that of the index's files. */
    long long size = 0;
    DIR *d = opendir(db);
    cr_assert_not_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char f[4400];
        struct stat sb;
        snprintf(f, sizeof f, "%s/%s", db, de->d_name);
        if (stat(f, &sb) == 0 && S_ISREG(sb.st_mode))
            size += (long long)sb.st_size;
    }
    closedir(d);
    cr_assert_eq(e2e_json_int(r.out, "size_bytes"), size, "%s", r.out);

    /* The entity counts agree with the facets of a search that matches
     * every article ("report" is in every title): as many distinct places
     * as the place facet lists with room for all. */
    long places = e2e_json_int(json_at(r.out, "entities"), "place");
    long people = e2e_json_int(json_at(r.out, "entities"), "person");
    long orgs = e2e_json_int(json_at(r.out, "entities"), "org");
    cr_assert(places >= 1 && places <= GEN_N_PLACES + 5, "%s", r.out);
    e2e_result f = e2e_run(NULL, "search", "--json", "--limit", "0",
                           "--facets=10000", "--all-copies", "--db", db, "report",
                           NULL);
    cr_assert_eq(f.status, 0, "%s", f.err);
    cr_assert_eq(e2e_json_int(f.out, "total"), 60, "%s", f.out);
    const char *fl[] = {"\"place\":[", "\"person\":[", "\"org\":["};
    long want[] = {places, people, orgs};
    for (int k = 0; k < 3; k++) {
        const char *p = strstr(f.out, fl[k]);
        cr_assert_not_null(p, "%s", f.out);
        const char *end = strchr(p, ']');
        long n = 0;
        for (const char *q = p; (q = strstr(q, "\"count\":")) && q < end; q++)
            n++;
        cr_assert_eq(n, want[k], "%s: stats says %ld, the facet lists %ld", fl[k],
                     want[k], n);
    }
    e2e_free(&f);
    long terms = e2e_json_int(r.out, "terms");
    e2e_free(&r);

    /* Exactly the new words count: an article of three words no other has
     * (lower case, so that no entity is made of them). */
    char extra[4096], f1[4200];
    cr_assert_eq(mkdir(sub(extra, "extra"), 0700), 0);
    snprintf(f1, sizeof f1, "%s/new.txt", extra);
    e2e_write(f1, "qqvzx\n\nwwkzy qqvzx xxjqv.\n", 26);
    index_ok(db, extra);
    r = e2e_run(NULL, "stats", "--json", "--db", db, NULL);
    cr_assert_eq(e2e_json_int(r.out, "terms"), terms + 3, "%s", r.out);
    cr_assert_eq(e2e_json_int(r.out, "articles"), 61, "%s", r.out);
    e2e_free(&r);
    /* and deleting it takes them away again */
    r = e2e_run(NULL, "delete", "--db", db, "new", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    e2e_free(&r);
    r = e2e_run(NULL, "stats", "--json", "--db", db, NULL);
    cr_assert_eq(e2e_json_int(r.out, "terms"), terms, "%s", r.out);
    cr_assert_eq(e2e_json_int(r.out, "articles"), 60, "%s", r.out);
    e2e_free(&r);

    /* The text form. */
    r = e2e_run(NULL, "stats", "--db", db, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "Articles     60\n"), "%s", r.out);
    char dates[128];
    snprintf(dates, sizeof dates, "Dates        %s to %s (60 of 60", first, last);
    cr_assert_not_null(strstr(r.out, dates), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "Last commit  "), "%s", r.out);
    cr_assert_null(strstr(r.out, "estimated"), "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(ops, stats_without_commit_time_and_errors)
{
    char empty[4096], db[4096];
    tmpdir_make(dir, "ops");
    /* An index that never committed an article records no commit time,
     * as indexes written before the time was recorded: the newest file's
     * modification time stands in, and says so. */
    cr_assert_eq(mkdir(sub(empty, "empty"), 0700), 0);
    index_ok(sub(db, "db"), empty);
    e2e_result r = e2e_run(NULL, "stats", "--json", "--db", db, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(e2e_json_int(r.out, "articles"), 0, "%s", r.out);
    cr_assert(strstr(r.out, "\"last_commit_estimated\":true"), "%s", r.out);
    cr_assert(e2e_json_int(r.out, "last_commit_unix") > 0, "%s", r.out);
    cr_assert(strstr(r.out, "\"first_date\":null"), "%s", r.out);
    e2e_free(&r);
    r = e2e_run(NULL, "stats", "--db", db, NULL);
    cr_assert_not_null(strstr(r.out, "estimated"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "Dates        none"), "%s", r.out);
    e2e_free(&r);

    char none[4096];
    r = e2e_run(NULL, "stats", "--db", sub(none, "nothing"), NULL);
    cr_assert_eq(r.status, 5, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "no index"), "%s", r.err);
    e2e_free(&r);
    r = e2e_run(NULL, "stats", "--db", db, "extra", NULL);
    cr_assert_eq(r.status, 2, "%s", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

/* ---- attache delete ---------------------------------------------------------- */

Test(ops, delete_by_id)
{
    char corpus[4096], db[4096], tag[8];
    tmpdir_make(dir, "ops");
    gen_corpus(sub(corpus, "corpus"), 0, 20, 5);
    index_ok(sub(db, "db"), corpus);

    /* Two present, one absent: the present ones go, the absent one is
     * reported, exit 9. */
    e2e_result r = e2e_run(NULL, "delete", "--db", db, "a0003", "nosuch", "a0007",
                           NULL);
    cr_assert_eq(r.status, 9, "%d %s", r.status, r.err);
    cr_assert_eq(e2e_count(r.err, "attache:"), 1, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "no article with id \"nosuch\""), "%s", r.err);
    cr_assert_not_null(strstr(r.out, "Deleted 2 articles; 1 not found"), "%s",
                       r.out);
    e2e_free(&r);
    cr_assert_eq(stats_articles(db), 18);
    r = e2e_run(NULL, "search", "--json", "--db", db, (char *)gen_corpus_tag(3, tag),
                NULL);
    cr_assert_eq(e2e_json_int(r.out, "total"), 0, "%s", r.out);
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--json", "--db", db, (char *)gen_corpus_tag(4, tag),
                NULL);
    cr_assert_eq(e2e_json_int(r.out, "total"), 1, "%s", r.out);
    e2e_free(&r);

    /* Deleting again: not found. */
    r = e2e_run(NULL, "delete", "--db", db, "a0003", NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    e2e_free(&r);

    /* Ids from standard input; all found: exit 0, quiet prints nothing. */
    r = e2e_run("a0000\n\na0001\r\na0002\n", "delete", "--quiet", "--db", db, "-",
                NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "");
    cr_assert_str_eq(r.err, "");
    e2e_free(&r);
    cr_assert_eq(stats_articles(db), 15);

    /* Usage and a missing index (which is not created). */
    r = e2e_run(NULL, "delete", "--db", db, NULL);
    cr_assert_eq(r.status, 2, "%s", r.err);
    e2e_free(&r);
    char none[4096];
    r = e2e_run(NULL, "delete", "--db", sub(none, "nothing"), "a0001", NULL);
    cr_assert_eq(r.status, 5, "%s", r.err);
    e2e_free(&r);
    struct stat sb;
    cr_assert_neq(stat(none, &sb), 0, "delete created %s", none);
    tmpdir_rm_rf(dir);
}

/* ---- the lock ------------------------------------------------------------------- */

Test(ops, second_writer_locked_or_waits)
{
    char one[4096], two[4096], db[4096];
    tmpdir_make(dir, "ops");
    gen_corpus(sub(one, "one"), 0, 40, 11);
    gen_corpus(sub(two, "two"), 40, 10, 12);
    sub(db, "db");

    /* A: an indexer, held still while it holds the lock. */
    FILE *aerr = tmpfile(), *aout;
    pid_t a = spawn_piped(aerr, &aout,
                          (char *const[]){"index", "--verbose", "--jobs", "1",
                                          "--batch", "5", "--db", db, one, NULL});
    read_until(aout, "indexed ", NULL);
    cr_assert_eq(kill(a, SIGSTOP), 0);

    /* B without --wait: exit 6 at once, and says what to do. */
    e2e_result r = e2e_run(NULL, "index", "--db", db, two, NULL);
    cr_assert_eq(r.status, 6, "%d %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "locked"), "%s", r.err);
    cr_assert_not_null(strstr(r.err, "--wait"), "%s", r.err);
    e2e_free(&r);
    /* Deleting needs the lock too. */
    r = e2e_run(NULL, "delete", "--db", db, "a0001", NULL);
    cr_assert_eq(r.status, 6, "%d %s", r.status, r.err);
    e2e_free(&r);
    /* Readers are not blocked. */
    r = e2e_run(NULL, "stats", "--json", "--db", db, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    e2e_free(&r);

    /* B with --wait: still waiting while A is stopped... */
    FILE *bout = tmpfile(), *berr = tmpfile();
    pid_t b = e2e_spawn(NULL, bout, berr,
                        (char *const[]){"index", "--wait", "--db", db, two, NULL});
    struct timespec ts = {0, 500 * 1000 * 1000};
    nanosleep(&ts, NULL);
    int ws;
    cr_assert_eq(waitpid(b, &ws, WNOHANG), 0, "the waiting indexer did not wait");
    /* ...and done once A has finished. */
    cr_assert_eq(kill(a, SIGCONT), 0);
    drain(aout, "");
    cr_assert_eq(e2e_wait(a), 0);
    int bst = e2e_wait(b);
    char *be = e2e_slurp(berr);
    cr_assert_eq(bst, 0, "the waiting indexer: %d %s", bst, be);
    free(be);
    fclose(bout);
    fclose(berr);
    fclose(aerr);
    cr_assert_eq(stats_articles(db), 50);
    tmpdir_rm_rf(dir);
}

/* ---- Ctrl-C and SIGTERM ------------------------------------------------------ */

/* Indexes 300 articles in batches of 10, stops the indexer after its
 * second commit, sends `sig` and lets it go on: it must commit what it
 * did, say how much, exit 128 + sig, and leave an index that a second run
 * completes. */
static void interrupt_with(int sig, const char *signame)
{
    char corpus[4096], db[4096];
    tmpdir_make(dir, "ops");
    gen_corpus(sub(corpus, "corpus"), 0, 300, 13);
    sub(db, "db");
    FILE *err = tmpfile(), *out;
    pid_t pid = spawn_piped(err, &out,
                            (char *const[]){"index", "--verbose", "--jobs", "2",
                                            "--batch", "10", "--db", db, corpus,
                                            NULL});
    int indexed = 0;
    read_until(out, "committed", &indexed);
    read_until(out, "committed", &indexed);
    cr_assert_eq(kill(pid, SIGSTOP), 0);
    cr_assert_eq(kill(pid, sig), 0);
    cr_assert_eq(kill(pid, SIGCONT), 0);
    indexed += drain(out, "indexed ");
    int st = e2e_wait(pid);
    char *e = e2e_slurp(err);
    cr_assert_eq(st, 128 + sig, "exit %d: %s", st, e);
    cr_assert_not_null(strstr(e, signame), "%s", e);
    cr_assert_not_null(strstr(e, "run the same command again"), "%s", e);
    /* "the N articles indexed before it are committed" */
    const char *p = strstr(e, "the ");
    cr_assert_not_null(p, "%s", e);
    long said = strtol(p + 4, NULL, 10);
    long n = stats_articles(db);
    cr_assert_eq(said, n, "the message says %ld, the index holds %ld: %s", said,
                 n, e);
    cr_assert_eq(n, indexed, "%d articles were reported indexed, %ld committed",
                 indexed, n);
    cr_assert(n >= 20 && n < 300, "%ld articles", n);
    free(e);
    fclose(err);

    /* The same command again completes it. */
    index_ok(db, corpus);
    cr_assert_eq(stats_articles(db), 300);
    tmpdir_rm_rf(dir);
}

Test(ops, ctrl_c_commits_and_reports) { interrupt_with(SIGINT, "SIGINT"); }

Test(ops, sigterm_commits_and_reports) { interrupt_with(SIGTERM, "SIGTERM"); }

/* ---- searching while indexing ------------------------------------------------- */

Test(ops, searches_during_indexing_never_fail, .timeout = 300)
{
    char seed[4096], main_[4096], db[4096];
    tmpdir_make(dir, "ops");
    gen_corpus(sub(seed, "seed"), 0, 10, 17);
    gen_corpus(sub(main_, "main"), 10, 300, 18);
    index_ok(sub(db, "db"), seed);

    /* The indexer commits every 10 articles. */
    FILE *iout = tmpfile(), *ierr = tmpfile();
    pid_t ix = e2e_spawn(NULL, iout, ierr,
                         (char *const[]){"index", "--quiet", "--jobs", "1",
                                         "--batch", "10", "--db", db, main_, NULL});
    /* A long-lived reader: the prompt, fed queries from a file, reopens
     * the index before each one; its exit status is that of the last
     * failing query. */
    size_t nq = 1000;
    char *queries = malloc(nq * 24 + 1);
    cr_assert_not_null(queries);
    queries[0] = '\0';
    for (size_t i = 0; i < nq; i++)
        strcat(queries, i % 2 ? "report\n" : "report place:pak\n");
    FILE *sout = tmpfile(), *serr = tmpfile();
    pid_t sh = e2e_spawn(queries, sout, serr,
                         (char *const[]){"shell", "--limit", "1", "--db", db, NULL});
    free(queries);

    /* Meanwhile, one search process after another, with facets (the
     * second pass) and snippets (the stored text). */
    long last = 10, seen_between = 0, searches = 0;
    int ws, ist = -1;
    for (;;) {
        pid_t done = waitpid(ix, &ws, WNOHANG);
        if (done == ix) {
            ist = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
            break;
        }
        e2e_result r = e2e_run(NULL, "search", "--json", "--limit", "3",
                               "--facets", "--db", db, "report", NULL);
        searches++;
        cr_assert_eq(r.status, 0, "search %ld failed: %d %s", searches, r.status,
                     r.err);
        long total = e2e_json_int(r.out, "total");
        cr_assert(total >= last, "search %ld: %ld results after %ld", searches,
                  total, last);
        if (total > 10 && total < 310 && total != last)
            seen_between++;
        last = total;
        e2e_free(&r);
        if (searches % 4 == 0) {
            r = e2e_run(NULL, "stats", "--json", "--db", db, NULL);
            cr_assert_eq(r.status, 0, "stats: %s", r.err);
            cr_assert(e2e_json_int(r.out, "articles") >= last, "%s", r.out);
            e2e_free(&r);
        }
    }
    char *e = e2e_slurp(ierr);
    cr_assert_eq(ist, 0, "the indexer: %d %s", ist, e);
    free(e);
    int sst = e2e_wait(sh);
    e = e2e_slurp(serr);
    char *o = e2e_slurp(sout);
    cr_assert_eq(sst, 0, "the prompt's queries: exit %d: %s", sst, e);
    cr_assert_str_eq(e, "", "%s", e);
    cr_assert_eq(e2e_count(o, "result"), (int)nq, "not every query answered");
    free(e);
    free(o);
    fclose(iout);
    fclose(ierr);
    fclose(sout);
    fclose(serr);
    /* Each search saw the latest commit: the count grew while indexing. */
    cr_assert(seen_between >= 1, "%ld searches, none saw a count between the "
              "first and the last commit", searches);
    e2e_result r = e2e_run(NULL, "search", "--json", "--limit", "0", "--facets",
                           "--db", db, "report", NULL);
    cr_assert_eq(e2e_json_int(r.out, "total"), 310, "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

/* ---- what indexing shows ----------------------------------------------------------- */

Test(ops, progress_line_only_on_a_terminal)
{
    char corpus[4096], db[4096];
    tmpdir_make(dir, "ops");
    gen_corpus(sub(corpus, "corpus"), 0, 200, 19);

    /* stderr on a pseudo-terminal: the progress line, with the share done
     * and the time left, erased at the end. */
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
    FILE *tty = fopen(ptsname(m), "w");
    cr_assert_not_null(tty);
    FILE *out = tmpfile();
    pid_t pid = e2e_spawn(NULL, out, tty,
                          (char *const[]){"index", "--jobs", "1", "--batch", "5",
                                          "--db", sub(db, "db1"), corpus, NULL});
    fclose(tty);
    size_t cap = 1 << 20, len = 0;
    char *shown = malloc(cap);
    cr_assert_not_null(shown);
    for (;;) {
        ssize_t n = read(m, shown + len, cap - len - 1);
        if (n <= 0)
            break; /* EIO once the child has closed the terminal */
        len += (size_t)n;
        cr_assert(len < cap - 1);
    }
    shown[len] = '\0';
    close(m);
    cr_assert_eq(e2e_wait(pid), 0, "%s", shown);
    cr_assert_not_null(strstr(shown, "articles/s"), "%s", shown);
    cr_assert_not_null(strstr(shown, "% done, about "), "%s", shown);
    cr_assert_not_null(strstr(shown, " left"), "%s", shown);
    cr_assert_not_null(strstr(shown, "\r\033[K"), "%s", shown);
    /* the last thing on the terminal is the erasing of the line */
    cr_assert(len >= 4 && strcmp(shown + len - 4, "\r\033[K") == 0, "%s", shown);
    free(shown);
    char *o = e2e_slurp(out);
    cr_assert_not_null(strstr(o, "Indexed 200 articles"), "%s", o);
    free(o);
    fclose(out);

    /* Piped: nothing of it. */
    e2e_result r = e2e_run(NULL, "index", "--jobs", "1", "--batch", "5", "--db",
                           sub(db, "db2"), corpus, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.err, "");
    cr_assert_eq(e2e_lines(r.out), 1, "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(ops, verbose_and_quiet)
{
    char corpus[4096], db[4096], f[4200];
    tmpdir_make(dir, "ops");
    gen_corpus(sub(corpus, "corpus"), 0, 23, 23);
    snprintf(f, sizeof f, "%s/bad.txt", corpus);
    e2e_write(f, "Bad\n\0\1\n", 7);

    /* --verbose: a line per article and per commit on stdout, the skip on
     * stderr as always, then the summary. */
    e2e_result r = e2e_run(NULL, "index", "--verbose", "--batch", "10", "--db",
                           sub(db, "db1"), corpus, NULL);
    cr_assert_eq(r.status, 9, "%d %s", r.status, r.err);
    cr_assert_eq(e2e_count(r.out, "indexed "), 23, "%s", r.out);
    cr_assert_not_null(strstr(r.out, "indexed a0007 from "), "%s", r.out);
    /* batches of 10, 10, then the last 3 */
    cr_assert_eq(e2e_count(r.out, "committed: "), 3, "%s", r.out);
    cr_assert_not_null(strstr(r.out, "committed: 23 articles so far"), "%s", r.out);
    cr_assert_eq(e2e_count(r.err, "skipped"), 1, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "Indexed 23 articles"), "%s", r.out);
    e2e_free(&r);

    /* --quiet: errors only. */
    r = e2e_run(NULL, "index", "--quiet", "--db", sub(db, "db2"), corpus, NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    cr_assert_str_eq(r.out, "");
    cr_assert_eq(e2e_lines(r.err), 1, "%s", r.err);
    e2e_free(&r);

    r = e2e_run(NULL, "index", "--quiet", "--verbose", "--db", db, corpus, NULL);
    cr_assert_eq(r.status, 2, "%s", r.err);
    e2e_free(&r);

    /* Both commands are listed in the help. */
    r = e2e_run(NULL, "--help", NULL);
    cr_assert_not_null(strstr(r.out, "  stats "), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "  delete "), "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}
