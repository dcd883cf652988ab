/*
 * test_crash.c: crash safety of `attache index`, with the real program
 * killed by SIGKILL at random moments.
 *
 * A corpus of 300 generated articles is indexed with --batch 10, and the
 * indexer is killed after a random delay (a fixed seed, so every run
 * kills at the same offsets; the delays spread over the time a complete
 * run takes on this machine, measured first, so the kills land anywhere:
 * while the index is being created, between and inside commits, near the
 * end).  In each of 8 rounds, on a new index, the command is killed twice
 * (the second time while it redoes and extends what the first did); after
 * each kill the index must open (`attache stats --json`), hold exactly the
 * batches committed so far (a multiple of 10 articles, or all 300) and
 * never fewer than before (re-running the same command replaces articles
 * by id, so it can only add), and be searchable.  Then the same command,
 * run to completion, must leave exactly 300 articles.
 * Killed before the index was ever committed to, there may be no index
 * yet (exit 5), and the next run must still create it: a writer killed
 * while creating leaves files that shim_recover.cc clears.
 */
#include "gen_corpus.h"

#include <time.h>

#define N_ARTICLES 300
#define BATCH 10
#define ROUNDS 8
#define KILLS_PER_ROUND 2

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs `index` on the corpus, killing it after `delay` seconds (< 0:
 * never).  Returns its status (128 + 9 when killed). */
static int run_index(const char *db, const char *corpus, const char *jobs,
                     double delay)
{
    FILE *out = tmpfile(), *err = tmpfile();
    cr_assert(out && err);
    pid_t pid = e2e_spawn(NULL, out, err,
                          (char *const[]){"index", "--quiet", "--db", (char *)db,
                                          "--batch", "10", "--jobs", (char *)jobs,
                                          (char *)corpus, NULL});
    if (delay >= 0) {
        struct timespec ts = {(time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9)};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        kill(pid, SIGKILL); /* it may have finished: then this does nothing */
    }
    int st = e2e_wait(pid);
    if (st != 0 && st != 128 + SIGKILL) {
        char *e = e2e_slurp(err);
        cr_assert_fail("index exited %d: %s", st, e);
    }
    fclose(out);
    fclose(err);
    return st;
}

/* The article count `attache stats --json` gives, or -1 when there is no
 * index (exit 5). */
static long stats_count(const char *db)
{
    e2e_result r = e2e_run(NULL, "stats", "--json", "--db", (char *)db, NULL);
    long n = -1;
    if (r.status == 5) {
        cr_assert_not_null(strstr(r.err, "no index"), "%s", r.err);
    } else {
        cr_assert_eq(r.status, 0, "stats exited %d: %s", r.status, r.err);
        n = e2e_json_int(r.out, "articles");
        cr_assert(n >= 0, "no article count in %s", r.out);
    }
    e2e_free(&r);
    return n;
}

/* Killed in its first milliseconds, the indexer is creating the index:
 * no revision exists yet, so there may be no index (exit 5), but the next
 * run must create it and finish. */
Test(crash, kill_while_creating)
{
    char dir[64], corpus[4096], db[4096];
    tmpdir_make(dir, "crash0");
    tmpdir_path(corpus, dir, "corpus");
    tmpdir_path(db, dir, "db");
    gen_corpus(corpus, 0, 40, 7);
    static const double delays[] = {0.0, 0.002, 0.005, 0.01, 0.02, 0.04, 0.08};
    for (size_t k = 0; k < sizeof delays / sizeof delays[0]; k++) {
        tmpdir_rm_rf(db);
        int st = run_index(db, corpus, "1", delays[k]);
        long n = stats_count(db);
        cr_assert(n < 0 || n % BATCH == 0 || (st == 0 && n == 40),
                  "after %.3f s: %ld articles", delays[k], n);
        cr_assert_eq(run_index(db, corpus, "1", -1), 0);
        cr_assert_eq(stats_count(db), 40, "after a kill at %.3f s", delays[k]);
    }
    tmpdir_rm_rf(dir);
}

Test(crash, kill_minus_9_keeps_committed_batches, .timeout = 600)
{
    char dir[64], corpus[4096], db[4096], ref[4096];
    tmpdir_make(dir, "crash");
    tmpdir_path(corpus, dir, "corpus");
    tmpdir_path(db, dir, "db");
    tmpdir_path(ref, dir, "ref");
    gen_corpus(corpus, 0, N_ARTICLES, 42);

    /* How long a complete run takes here (sanitizer builds are slower). */
    double t0 = now_s();
    cr_assert_eq(run_index(ref, corpus, "2", -1), 0);
    double full = now_s() - t0;
    cr_assert_eq(stats_count(ref), N_ARTICLES);

    uint64_t seed = 20251123;
    int killed = 0, partial = 0;
    for (int round = 0; round < ROUNDS; round++) {
        tmpdir_rm_rf(db);
        long prev = -1;
        const char *jobs = round % 2 ? "2" : "1";
        for (int k = 0; k < KILLS_PER_ROUND; k++) {
            /* The first kill of a round leans early (u squared), to hit
             * the creation of the index and its first batches too. */
            double u = (double)(gen_next(&seed) % 10000) / 10000.0;
            double delay = (k == 0 ? u * u : u) * full;
            int st = run_index(db, corpus, jobs, delay);
            killed += st != 0;
            long n = stats_count(db);
            if (n < 0) {
                cr_assert_eq(prev, -1, "round %d, kill %d (after %.3f s): the "
                             "index existed and now does not open", round, k,
                             delay);
                continue;
            }
            cr_assert(n % BATCH == 0 || n == N_ARTICLES,
                      "round %d, kill %d (after %.3f s, --jobs %s): %ld "
                      "articles is not a whole number of batches of %d",
                      round, k, delay, jobs, n, BATCH);
            cr_assert(n >= prev, "round %d, kill %d: %ld articles, fewer than "
                      "the %ld committed before", round, k, n, prev);
            if (st == 0)
                cr_assert_eq(n, N_ARTICLES, "a run that finished left %ld", n);
            partial += n > 0 && n < N_ARTICLES;
            prev = n;
            /* And it answers searches. */
            e2e_result r = e2e_run(NULL, "search", "--json", "--limit", "1",
                                   "--db", db, "report", NULL);
            cr_assert_eq(r.status, 0, "search after round %d, kill %d: %s",
                         round, k, r.err);
            e2e_free(&r);
        }
        /* The same command again completes the job. */
        cr_assert_eq(run_index(db, corpus, jobs, -1), 0);
        cr_assert_eq(stats_count(db), N_ARTICLES, "round %d", round);
    }
    /* The delays must really have cut runs short, in their middle too. */
    cr_assert(killed >= ROUNDS * KILLS_PER_ROUND / 2, "only %d runs were killed",
              killed);
    cr_assert(partial >= ROUNDS / 2, "only %d kills left a partial index",
              partial);

    char tag[8];
    e2e_result r = e2e_run(NULL, "search", "--json", "--db", db,
                           (char *)gen_corpus_tag(N_ARTICLES - 1, tag), NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(e2e_json_int(r.out, "total"), 1, "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}
