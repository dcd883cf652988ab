/*
 * test_threads.c: the thread rules of attache.h, exercised.  Several
 * threads search one index at once, each with its own read-only handle,
 * running searches with facets and snippets, and every result must equal
 * the single-threaded run's byte for byte (ids, ranks, scores, snippets,
 * highlight ranges, facet counts, suggestions).  Also: one handle shared
 * by threads that take turns (the header allows it), one att_results read
 * by many threads at once, entity extraction from many threads starting
 * cold, the per-thread last error, and readers searching while the writer
 * commits.
 *
 * Threads never call cr_assert (Criterion's assertions belong to the
 * test's own thread): they record what they saw and the test checks it
 * after joining them.  `make SANITIZE=thread test-threads` runs this suite
 * under ThreadSanitizer; the sanitizer build of `make test` runs it under
 * AddressSanitizer and UBSan.
 */
#include "helpers.h"

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define N_THREADS 8
#define ROUNDS 6

/* ---- a deterministic index ------------------------------------------------- */

static char dir[64], db[4096];

/* Word pools for the generated articles: entities the built-in dictionary
 * knows (so the facets have values), and words the queries ask for. */
static const char *const PLACES[] = {"Pakistan", "Afghanistan", "Qatar", "Türkiye",
                                     "Kabul", "Islamabad", "Doha", "Istanbul"};
static const char *const ORGS[] = {"the United Nations", "NATO",
                                   "the Tehrik-i-Taliban Pakistan (TTP)",
                                   "the European Union"};
static const char *const PEOPLE[] = {"Ishaq Dar", "Khawaja Asif", "Antonio Guterres",
                                     "Recep Tayyip Erdogan"};
static const char *const TOPICS[] = {"ceasefire", "negotiations", "trade",
                                     "border crossing", "refugees", "sanctions"};
static const char *const SOURCES[] = {"Reuters", "AP", "Dawn", "Al Jazeera"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A small linear congruential generator: the same articles every run. */
static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static void put_generated(att_index *ix, int i, uint32_t *seed)
{
    char id[32], title[256], body[2048], date[16];
    const char *p1 = PLACES[lcg(seed) % NELEM(PLACES)];
    const char *p2 = PLACES[lcg(seed) % NELEM(PLACES)];
    const char *org = ORGS[lcg(seed) % NELEM(ORGS)];
    const char *who = PEOPLE[lcg(seed) % NELEM(PEOPLE)];
    const char *t1 = TOPICS[lcg(seed) % NELEM(TOPICS)];
    const char *t2 = TOPICS[lcg(seed) % NELEM(TOPICS)];
    snprintf(id, sizeof id, "gen-%03d", i);
    snprintf(date, sizeof date, "2025-%02u-%02u", 1 + lcg(seed) % 12,
             1 + lcg(seed) % 28);
    snprintf(title, sizeof title, "%s and %s discuss %s", p1, p2, t1);
    snprintf(body, sizeof body,
             "Officials from %s and %s met on %s to discuss %s. %s said the "
             "talks on %s would continue, and %s welcomed the progress. "
             "Delegates spoke of an open war on the border and of the %s that "
             "followed. Article number %d of the thread test.",
             p1, p2, date, t1, who, t2, org, t2, i);
    att_article a = ATT_ARTICLE_INIT;
    a.id = id;
    a.title = title;
    a.body = body;
    a.date = date;
    a.source = SOURCES[lcg(seed) % NELEM(SOURCES)];
    att_status st = att_index_put(ix, &a);
    cr_assert_eq(st, ATT_OK, "put %s: %s", id, att_last_error());
}

/* Builds the index: 240 generated articles and the bundled samples. */
static void fixture(void)
{
    tmpdir_make(dir, "unit-threads");
    tmpdir_path(db, dir, "db");
    att_index *ix = th_open_writer(db);
    uint32_t seed = 42;
    for (int i = 0; i < 240; i++)
        put_generated(ix, i, &seed);
    th_commit(ix);
    const char *src = getenv("ATTACHE_SRC");
    char samples[4096];
    snprintf(samples, sizeof samples, "%s/corpus/samples", src ? src : ".");
    att_ingest_options io = ATT_INGEST_OPTIONS_INIT;
    io.jobs = 1;
    att_ingest_stats stats;
    att_status st = att_ingest(ix, samples, &io, &stats);
    cr_assert_eq(st, ATT_OK, "ingest %s: %s", samples, att_last_error());
    att_index_close(ix);
}

static void done(void) { tmpdir_rm_rf(dir); }

/* ---- the searches and how a result is written down ---------------------------- */

static const char *const QUERIES[] = {
    "ceasefire",
    "\"open war\"",
    "negotiations place:Pakistan",
    "trade OR sanctions",
    "refugee* -Kabul",
    "border NEAR/3 crossing",
    "org:TTP date:2025-03..2025-09",
    "person:\"Ishaq Dar\" talks",
    "source:reuters ceasefire",
    "Taliban",
    "title:Istanbul",
    "cesefire", /* no match: a suggestion */
};
#define N_QUERIES NELEM(QUERIES)

/* Options per query: facets and snippets always; every other query sorted
 * by date, every third ORed, with paging. */
static att_search_options options_for(size_t q)
{
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.limit = 8;
    o.offset = q % 3 == 2 ? 2 : 0;
    o.snippets = 3;
    o.snippet_bytes = 120;
    o.facets = 6;
    o.facet_date_unit = q % 2 ? ATT_DATE_MONTH : ATT_DATE_AUTO;
    o.sort = q % 2 ? ATT_SORT_DATE : ATT_SORT_RELEVANCE;
    o.default_op = q % 3 == 1 ? ATT_DEFAULT_OR : ATT_DEFAULT_AND;
    return o;
}

static void dump_snippet(FILE *f, const att_snippet *s)
{
    fprintf(f, "  [%zu %d %d] %.*s |", s->offset, s->at_start, s->at_end,
            (int)s->len, s->text);
    for (size_t i = 0; i < s->n_highlights; i++)
        fprintf(f, " %zu-%zu", s->highlights[i].start, s->highlights[i].end);
    fputc('\n', f);
}

/* Writes down everything a result holds (malloc'd string; NULL on
 * failure, with the status in *st). */
static char *dump_results(const att_results *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    int exact = 0;
    uint64_t total = att_results_total(r, &exact);
    const char *sugg = att_results_suggestion(r);
    fprintf(f, "%s: %llu %d, suggestion %s\n", att_results_query(r),
            (unsigned long long)total, exact, sugg ? sugg : "-");
    for (size_t i = 0; i < att_results_count(r); i++) {
        const att_hit *h = att_results_hit(r, i);
        fprintf(f, "%zu %s %.9g %s %s copies %zu\n", h->rank, h->id, h->score,
                h->date ? h->date : "-", h->source ? h->source : "-", h->copies);
        if (h->title_snippet)
            dump_snippet(f, h->title_snippet);
        for (size_t k = 0; k < h->n_snippets; k++)
            dump_snippet(f, &h->snippets[k]);
    }
    fprintf(f, "facets %d unit %d\n", att_results_has_facets(r),
            (int)att_results_facet_date_unit(r));
    for (int fc = 0; fc < ATT_FACET_COUNT; fc++) {
        size_t n = 0;
        const att_facet_value *v = att_results_facet(r, (att_facet)fc, &n);
        fprintf(f, " %s:", att_facet_name((att_facet)fc));
        for (size_t k = 0; k < n; k++)
            fprintf(f, " %s=%s=%llu", v[k].value, v[k].id,
                    (unsigned long long)v[k].count);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Runs query q on ix; the written-down result, or NULL with *st set. */
static char *run(att_index *ix, size_t q, att_status *st)
{
    att_search_options o = options_for(q);
    att_results *r = NULL;
    *st = att_search(&r, ix, QUERIES[q], &o);
    if (*st != ATT_OK)
        return NULL;
    char *s = dump_results(r);
    att_results_free(r);
    if (!s)
        *st = ATT_NO_MEMORY;
    return s;
}

/* The single-threaded run every thread is compared with. */
static char *expected[N_QUERIES];

static void baseline(void)
{
    att_index *ix = th_open_reader(db);
    size_t with_hits = 0, with_facets = 0;
    for (size_t q = 0; q < N_QUERIES; q++) {
        att_status st;
        expected[q] = run(ix, q, &st);
        cr_assert_not_null(expected[q], "%s: %s", QUERIES[q], att_last_error());
        with_hits += strstr(expected[q], " copies ") != NULL;
        with_facets += strstr(expected[q], " place: ") != NULL;
    }
    /* The searches must have something to compare: hits with snippets,
     * facet values, and the suggestion. */
    cr_assert_geq(with_hits, N_QUERIES - 2, "too few queries match");
    cr_assert_geq(with_facets, N_QUERIES - 2, "too few facet values");
    cr_assert(strstr(expected[N_QUERIES - 1], "suggestion ceasefire") != NULL,
              "%s", expected[N_QUERIES - 1]);
    cr_assert(strstr(expected[0], "|") && strstr(expected[0], "-") != NULL);
    att_index_close(ix);
}

static void free_baseline(void)
{
    for (size_t q = 0; q < N_QUERIES; q++) {
        free(expected[q]);
        expected[q] = NULL;
    }
}

/* ---- what each thread records ----------------------------------------------- */

typedef struct worker {
    pthread_t tid;
    int n;                  /* thread number */
    att_index *shared;      /* NULL: open an own handle */
    pthread_mutex_t *lock;  /* taken around each use of `shared` */
    size_t searches;
    size_t mismatches;
    size_t failures;
    att_status first_status;
    char first_error[256];
    size_t first_query;
} worker;

static void record_failure(worker *w, att_status st, size_t q)
{
    if (w->failures++ == 0) {
        w->first_status = st;
        w->first_query = q;
        snprintf(w->first_error, sizeof w->first_error, "%s", att_last_error());
    }
}

static void *search_worker(void *arg)
{
    worker *w = arg;
    att_index *ix = w->shared;
    if (!ix) {
        att_status st = att_index_open(&ix, db, ATT_OPEN_READ);
        if (st != ATT_OK) {
            record_failure(w, st, 0);
            return NULL;
        }
    }
    for (int round = 0; round < ROUNDS; round++)
        for (size_t k = 0; k < N_QUERIES; k++) {
            /* Each thread starts at another query, so that different
             * searches overlap. */
            size_t q = (k + (size_t)w->n * 5 + (size_t)round) % N_QUERIES;
            att_status st;
            if (w->lock)
                pthread_mutex_lock(w->lock);
            char *got = run(ix, q, &st);
            if (w->lock)
                pthread_mutex_unlock(w->lock);
            w->searches++;
            if (!got)
                record_failure(w, st, q);
            else if (strcmp(got, expected[q]) != 0)
                w->mismatches++;
            free(got);
        }
    if (!w->shared)
        att_index_close(ix);
    return NULL;
}

static void check_workers(worker *w, int n, size_t per_thread)
{
    for (int i = 0; i < n; i++) {
        cr_expect_eq(w[i].failures, 0,
                     "thread %d: %zu searches failed, the first (%s) with %s: %s",
                     i, w[i].failures, QUERIES[w[i].first_query],
                     att_strerror(w[i].first_status), w[i].first_error);
        cr_expect_eq(w[i].mismatches, 0,
                     "thread %d: %zu results differ from the single-threaded run",
                     i, w[i].mismatches);
        cr_expect_eq(w[i].searches, per_thread, "thread %d ran %zu searches", i,
                     w[i].searches);
    }
}

/* ---- the tests --------------------------------------------------------------- */

TestSuite(threads, .timeout = 300);

Test(threads, own_read_only_handles)
{
    fixture();
    baseline();
    worker w[N_THREADS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < N_THREADS; i++) {
        w[i].n = i;
        cr_assert_eq(pthread_create(&w[i].tid, NULL, search_worker, &w[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++)
        pthread_join(w[i].tid, NULL);
    check_workers(w, N_THREADS, ROUNDS * N_QUERIES);
    free_baseline();
    done();
}

/* attache.h: a handle may be used by one thread at a time, not only by
 * the thread that opened it.  Threads that take turns with a mutex see
 * the same results. */
Test(threads, one_handle_taken_in_turns)
{
    fixture();
    baseline();
    att_index *ix = th_open_reader(db);
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    worker w[4];
    memset(w, 0, sizeof w);
    for (int i = 0; i < 4; i++) {
        w[i].n = i;
        w[i].shared = ix;
        w[i].lock = &lock;
        cr_assert_eq(pthread_create(&w[i].tid, NULL, search_worker, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(w[i].tid, NULL);
    check_workers(w, 4, ROUNDS * N_QUERIES);
    att_index_close(ix);
    free_baseline();
    done();
}

/* attache.h: att_results are read-only once made; any number of threads
 * may read the same results at once. */
typedef struct reader {
    pthread_t tid;
    const att_results *r;
    const char *want;
    size_t mismatches;
} reader;

static void *results_reader(void *arg)
{
    reader *rd = arg;
    for (int i = 0; i < 200; i++) {
        char *got = dump_results(rd->r);
        if (!got || strcmp(got, rd->want) != 0)
            rd->mismatches++;
        free(got);
    }
    return NULL;
}

Test(threads, results_read_by_many_threads)
{
    fixture();
    baseline();
    att_index *ix = th_open_reader(db);
    att_search_options o = options_for(2);
    att_results *r = th_search(ix, QUERIES[2], &o);
    att_index_close(ix); /* results outlive the handle */
    reader rd[N_THREADS];
    memset(rd, 0, sizeof rd);
    for (int i = 0; i < N_THREADS; i++) {
        rd[i].r = r;
        rd[i].want = expected[2];
        cr_assert_eq(pthread_create(&rd[i].tid, NULL, results_reader, &rd[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(rd[i].tid, NULL);
        cr_expect_eq(rd[i].mismatches, 0, "reader %d saw other results", i);
    }
    att_results_free(r);
    free_baseline();
    done();
}

/* ---- entities: many threads, starting cold ---------------------------------------- */

static const char ENTITY_TEXT[] =
    "Pakistan's foreign minister Ishaq Dar met Afghan officials in Kabul to "
    "discuss attacks by the Tehreek-e-Taliban Pakistan (TTP). Mr Dar later "
    "flew to Doha, where Qatar and Türkiye mediate, and spoke to NATO.";

static char *dump_entities(const att_entities *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    for (size_t i = 0; i < att_entities_count(e); i++) {
        const att_mention *m = att_entities_get(e, i);
        fprintf(f, "%s %s %s %zu-%zu %s\n", att_entity_type_name(m->type), m->id,
                m->name, m->start, m->end, m->how);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

typedef struct extractor {
    pthread_t tid;
    char *first;            /* the first extraction, written down */
    size_t mismatches;
    att_status status;
    att_entities *shared_out; /* thread 0 keeps one for the readers below */
} extractor;

static pthread_barrier_t start_line;

static void *extract_worker(void *arg)
{
    extractor *x = arg;
    pthread_barrier_wait(&start_line); /* all call the library cold at once */
    for (int i = 0; i < 30; i++) {
        att_entities *e = NULL;
        att_status st = att_entities_extract(&e, ENTITY_TEXT, strlen(ENTITY_TEXT));
        if (st != ATT_OK) {
            x->status = st;
            return NULL;
        }
        char *s = dump_entities(e);
        att_entities_free(e);
        if (!s) {
            x->status = ATT_NO_MEMORY;
            return NULL;
        }
        if (!x->first)
            x->first = s;
        else {
            x->mismatches += strcmp(s, x->first) != 0;
            free(s);
        }
    }
    return NULL;
}

typedef struct ent_reader {
    pthread_t tid;
    const att_entities *e;
    const char *want;
    size_t mismatches;
} ent_reader;

static void *entities_reader(void *arg)
{
    ent_reader *rd = arg;
    for (int i = 0; i < 200; i++) {
        char *s = dump_entities(rd->e);
        rd->mismatches += !s || strcmp(s, rd->want) != 0;
        free(s);
    }
    return NULL;
}

Test(threads, entities_from_many_threads)
{
    /* No earlier call in this process: the dictionary and the tagger's
     * model are loaded by whichever thread comes first. */
    extractor x[N_THREADS];
    memset(x, 0, sizeof x);
    cr_assert_eq(pthread_barrier_init(&start_line, NULL, N_THREADS), 0);
    for (int i = 0; i < N_THREADS; i++)
        cr_assert_eq(pthread_create(&x[i].tid, NULL, extract_worker, &x[i]), 0);
    for (int i = 0; i < N_THREADS; i++)
        pthread_join(x[i].tid, NULL);
    pthread_barrier_destroy(&start_line);

    /* The same as one thread alone. */
    att_entities *e = NULL;
    cr_assert_eq(att_entities_extract(&e, ENTITY_TEXT, strlen(ENTITY_TEXT)), ATT_OK);
    char *want = dump_entities(e);
    cr_assert_not_null(want);
    cr_assert(strstr(want, "org tehrik-i-taliban-pakistan") != NULL, "%s", want);
    cr_assert(strstr(want, "person ishaq-dar") != NULL, "%s", want);
    for (int i = 0; i < N_THREADS; i++) {
        cr_expect_eq(x[i].status, ATT_OK, "thread %d: %s", i, att_strerror(x[i].status));
        cr_expect_eq(x[i].mismatches, 0, "thread %d: extractions differ", i);
        cr_expect(x[i].first && strcmp(x[i].first, want) == 0,
                  "thread %d saw:\n%s\nalone:\n%s", i, x[i].first, want);
        free(x[i].first);
    }

    /* And one att_entities read by many threads at once. */
    ent_reader rd[N_THREADS];
    memset(rd, 0, sizeof rd);
    for (int i = 0; i < N_THREADS; i++) {
        rd[i].e = e;
        rd[i].want = want;
        cr_assert_eq(pthread_create(&rd[i].tid, NULL, entities_reader, &rd[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(rd[i].tid, NULL);
        cr_expect_eq(rd[i].mismatches, 0, "reader %d", i);
    }
    att_entities_free(e);
    free(want);
}

/* ---- the last error belongs to its thread ---------------------------------------- */

typedef struct err_worker {
    pthread_t tid;
    const char *query;
    att_status status;
    char message[512];
    long position;
} err_worker;

static pthread_barrier_t err_line;

static void *error_worker(void *arg)
{
    err_worker *w = arg;
    att_index *ix = NULL;
    w->status = att_index_open(&ix, db, ATT_OPEN_READ);
    if (w->status != ATT_OK)
        return NULL;
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    for (int i = 0; i < 50; i++) {
        att_results *r = NULL;
        w->status = att_search(&r, ix, w->query, &o);
        att_results_free(r);
        /* Every thread has failed or succeeded once before any reads its
         * message: a shared message would show another thread's query. */
        if (i == 0)
            pthread_barrier_wait(&err_line);
        snprintf(w->message, sizeof w->message, "%s", att_last_error());
        w->position = att_last_error_position();
    }
    att_index_close(ix);
    return NULL;
}

Test(threads, last_error_is_per_thread)
{
    fixture();
    static const char *const queries[] = {"ceasefire (Doha", "\"open war",
                                          "ceasefire", "a NEAR/0 b"};
    err_worker w[4];
    memset(w, 0, sizeof w);
    cr_assert_eq(pthread_barrier_init(&err_line, NULL, 4), 0);
    for (int i = 0; i < 4; i++) {
        w[i].query = queries[i];
        cr_assert_eq(pthread_create(&w[i].tid, NULL, error_worker, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(w[i].tid, NULL);
    pthread_barrier_destroy(&err_line);
    cr_expect_eq(w[0].status, ATT_QUERY_SYNTAX);
    cr_expect(strstr(w[0].message, "ceasefire (Doha") != NULL, "%s", w[0].message);
    cr_expect_eq(w[0].position, 10);
    cr_expect_eq(w[1].status, ATT_QUERY_SYNTAX);
    cr_expect(strstr(w[1].message, "\"open war") != NULL, "%s", w[1].message);
    cr_expect_eq(w[1].position, 0);
    /* The thread whose searches succeed has no message at all. */
    cr_expect_eq(w[2].status, ATT_OK);
    cr_expect_str_empty(w[2].message, "thread 2 sees: %s", w[2].message);
    cr_expect_eq(w[2].position, -1);
    cr_expect_eq(w[3].status, ATT_QUERY_SYNTAX);
    cr_expect(strstr(w[3].message, "NEAR/0") != NULL, "%s", w[3].message);
    done();
}

/* ---- readers while the writer commits ------------------------------------------- */

/* The writer commits batch after batch while four readers reopen and
 * search.  A reader must see whole commits only (a count that is a whole
 * number of batches, never going down), and no failure other than
 * ATT_MODIFIED, which attache.h tells callers to answer by calling again.
 *
 * Paced: a commit every 5 ms or so, already far more often than a real
 * feed.  Readers call again on ATT_MODIFIED (up to READER_RETRIES times)
 * and every search must then succeed.
 *
 * Storm: commits back to back, every millisecond or two, faster than a
 * search with facets runs, so a revision is often recycled under a
 * reader several times in a row and ATT_MODIFIED is the expected answer.
 * What must not appear is any other status: in particular the spurious
 * ATT_CORRUPT that Xapian reports when a reader meets a block the writer
 * is rewriting (common/xapian/shim_search.cc retries it on the newer
 * revision), and a reopen that fails instead of retrying. */
#define WRITER_BATCHES 25
#define WRITER_BATCH 8
#define READER_RETRIES 20

typedef struct live_reader {
    pthread_t tid;
    volatile int *stop;
    int retries;          /* calls again on ATT_MODIFIED */
    size_t searches;
    size_t ok;
    size_t modified;      /* ATT_MODIFIED after the retries */
    size_t retried;       /* ATT_MODIFIED answered by calling again */
    size_t failures;      /* any other status */
    size_t inconsistent;  /* a count that is not whole batches, or went down */
    att_status first_status;
    char first_error[256];
    uint64_t last;
} live_reader;

static void *live_reader_main(void *arg)
{
    live_reader *rd = arg;
    att_index *ix = NULL;
    att_status st = att_index_open(&ix, db, ATT_OPEN_READ);
    if (st != ATT_OK) {
        rd->failures++;
        rd->first_status = st;
        return NULL;
    }
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.limit = 3;
    o.facets = 3;
    o.flags = ATT_SEARCH_NO_SUGGESTION;
    while (!__atomic_load_n(rd->stop, __ATOMIC_ACQUIRE)) {
        att_results *r = NULL;
        for (int attempt = 0;; attempt++) {
            st = att_index_reopen(ix);
            if (st == ATT_OK)
                st = att_search(&r, ix, "zanzibarian", &o);
            if (st != ATT_MODIFIED || attempt >= rd->retries)
                break;
            rd->retried++;
        }
        rd->searches++;
        if (st == ATT_MODIFIED) {
            rd->modified++;
            continue;
        }
        if (st != ATT_OK) {
            if (rd->failures++ == 0) {
                rd->first_status = st;
                snprintf(rd->first_error, sizeof rd->first_error, "%s",
                         att_last_error());
            }
            continue;
        }
        rd->ok++;
        /* A reader sees whole commits only, and never goes back. */
        uint64_t n = att_results_total(r, NULL);
        if (n % WRITER_BATCH != 0 || n < rd->last)
            rd->inconsistent++;
        rd->last = n;
        att_results_free(r);
    }
    att_index_close(ix);
    return NULL;
}

static void live_run(long pause_ns, int retries, live_reader rd[4])
{
    fixture();
    att_index *wx = th_open_writer(db);
    volatile int stop = 0;
    memset(rd, 0, 4 * sizeof *rd);
    for (int i = 0; i < 4; i++) {
        rd[i].stop = &stop;
        rd[i].retries = retries;
        cr_assert_eq(pthread_create(&rd[i].tid, NULL, live_reader_main, &rd[i]), 0);
    }
    for (int b = 0; b < WRITER_BATCHES; b++) {
        for (int k = 0; k < WRITER_BATCH; k++) {
            char id[32], body[128];
            snprintf(id, sizeof id, "live-%d-%d", b, k);
            snprintf(body, sizeof body,
                     "A zanzibarian delegation arrived, batch %d item %d.", b, k);
            th_put(wx, id, "Arrivals", body, "2025-12-01");
        }
        th_commit(wx);
        if (pause_ns)
            nanosleep(&(struct timespec){0, pause_ns}, NULL);
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    size_t searches = 0, ok = 0, retried = 0, modified = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(rd[i].tid, NULL);
        cr_expect_eq(rd[i].failures, 0, "reader %d: %zu of %zu searches failed, first %s: %s",
                     i, rd[i].failures, rd[i].searches,
                     att_strerror(rd[i].first_status), rd[i].first_error);
        cr_expect_eq(rd[i].inconsistent, 0, "reader %d saw a partial commit", i);
        searches += rd[i].searches;
        ok += rd[i].ok;
        retried += rd[i].retried;
        modified += rd[i].modified;
    }
    cr_log_info("%s: %zu searches, %zu ok, %zu called again after ATT_MODIFIED, "
                "%zu still ATT_MODIFIED", pause_ns ? "paced" : "storm", searches, ok,
                retried, modified);
    /* After the last commit every reader that reopens sees all of it. */
    att_index *ix = th_open_reader(db);
    att_results *r = th_search(ix, "zanzibarian", NULL);
    cr_expect_eq(att_results_total(r, NULL), WRITER_BATCHES * WRITER_BATCH);
    att_results_free(r);
    att_index_close(ix);
    att_index_close(wx);
    done();
}

Test(threads, readers_while_the_writer_commits)
{
    live_reader rd[4];
    live_run(5000000L, READER_RETRIES, rd);
    for (int i = 0; i < 4; i++) {
        cr_expect_gt(rd[i].ok, 0, "reader %d had no search succeed", i);
        cr_expect_eq(rd[i].modified, 0, "reader %d: still ATT_MODIFIED after %d calls",
                     i, READER_RETRIES);
    }
}

Test(threads, readers_under_a_commit_storm)
{
    live_reader rd[4];
    live_run(0, 0, rd); /* checks that only OK and ATT_MODIFIED came back */
}
