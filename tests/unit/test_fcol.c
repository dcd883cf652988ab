/* test_fcol.c: the facet column (common/xapian/shim_fcol.cc) stays what
 * the committed articles say through replacements, deletions, cancelled
 * batches, new revisions seen by an open reader, and the writer's own
 * uncommitted batch; checked against a model the test keeps of every
 * article, over several chunks of 1,024 document ids. */
#include "helpers.h"

#include "../../common/index.h"
#include "../../common/xapian/schema.h"
#include "../../common/xapian/shim.h"

#define MAX_DOCS 5000
#define PLACES 23
#define SOURCES 5

static char dir[64], db[4096];

/* The model: per article id n<i>, whether it is committed, its place and
 * source numbers; `pending` the same for the batch being written. */
typedef struct model {
    bool present[MAX_DOCS];
    int place[MAX_DOCS], source[MAX_DOCS];
} model;

static model committed, pending;

/* Writes article `id` holding the word "word", facet records `recs`,
 * date `date` (YYYYMMDD) and, unless NULL, content signature `dup`. */
static void write_doc(att_shim_db *h, const char *id, const char *recs,
                      const char *date, const char *dup)
{
    att_shim_doc *d = NULL;
    cr_assert_eq(att_shim_doc_new(&d), ATT_OK);
    cr_assert_eq(att_shim_doc_posting(d, "word", 4, 1, 1), ATT_OK);
    cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_FACETS, recs, strlen(recs)), ATT_OK);
    cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DATE, date, 8), ATT_OK);
    if (dup)
        cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DUP, dup, strlen(dup)), ATT_OK);
    att_buf term = ATT_BUF_INIT;
    cr_assert_eq(att_id_term(id, &term), ATT_OK);
    cr_assert_eq(att_shim_doc_boolean(d, term.data, term.len), ATT_OK);
    cr_assert_eq(att_shim_replace(h, term.data, term.len, d), ATT_OK, "%s",
                 att_last_error());
    att_buf_free(&term);
    att_shim_doc_free(d);
}

static void put(att_shim_db *h, int i, int place, int source)
{
    char id[32], recs[160], date[16];
    snprintf(id, sizeof id, "n%d", i);
    snprintf(recs, sizeof recs, "ll%d\tPlace %d\nss%d\tSource %d\n", place, place,
             source, source);
    snprintf(date, sizeof date, "%04d0101", 2000 + place);
    write_doc(h, id, recs, date, NULL);
    pending.present[i] = true;
    pending.place[i] = place;
    pending.source[i] = source;
}

static void del(att_shim_db *h, int i)
{
    char id[32];
    snprintf(id, sizeof id, "n%d", i);
    att_buf term = ATT_BUF_INIT;
    cr_assert_eq(att_id_term(id, &term), ATT_OK);
    att_status st = att_shim_delete(h, term.data, term.len);
    cr_assert_eq(st, pending.present[i] ? ATT_OK : ATT_NOT_FOUND, "%s",
                 att_last_error());
    att_buf_free(&term);
    pending.present[i] = false;
}

static void commit(att_shim_db *h)
{
    cr_assert_eq(att_shim_commit(h), ATT_OK, "%s", att_last_error());
    committed = pending;
}

static att_shim_db *writer(void)
{
    att_shim_db *h = NULL;
    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_WRITE | ATT_OPEN_CREATE), ATT_OK,
                 "%s", att_last_error());
    return h;
}

static void setup(void)
{
    tmpdir_make(dir, "unit-fcol");
    tmpdir_path(db, dir, "db");
    memset(&committed, 0, sizeof committed);
    memset(&pending, 0, sizeof pending);
}

static void done(void) { tmpdir_rm_rf(dir); }

/* The search "word" with facets on handle h: every copy counted, or each
 * story once when `collapse`. */
static void search(att_shim_db *h, bool collapse, att_shim_result *r)
{
    att_qnode *q = att_qnode_term(ATT_Q_TERM, "word", 4, 0);
    att_shim_query_opts o;
    memset(&o, 0, sizeof o);
    o.limit = 3;
    o.k1 = o.b = -1;
    o.collapse_slot = collapse ? ATT_SLOT_DUP : ATT_NO_SLOT;
    o.facets = 100;
    o.date_unit = ATT_DATE_YEAR;
    memset(r, 0, sizeof *r);
    cr_assert_eq(att_shim_search(h, q, &o, r), ATT_OK, "%s", att_last_error());
    att_qnode_free(q);
}

/* The facets of h's search equal what model m says, value by value. */
static void check(att_shim_db *h, const model *m, const char *when)
{
    uint64_t places[PLACES] = {0}, sources[SOURCES] = {0}, total = 0;
    for (int i = 0; i < MAX_DOCS; i++)
        if (m->present[i]) {
            total++;
            places[m->place[i]]++;
            sources[m->source[i]]++;
        }
    att_shim_result r;
    search(h, false, &r);
    cr_assert_eq(r.total, total, "%s: total %llu, want %llu", when,
                 (unsigned long long)r.total, (unsigned long long)total);
    size_t nonzero = 0;
    for (int p = 0; p < PLACES; p++)
        nonzero += places[p] > 0;
    cr_assert_eq(r.n_facets[ATT_FACET_PLACE], nonzero, "%s: places", when);
    for (size_t k = 0; k < r.n_facets[ATT_FACET_PLACE]; k++) {
        const att_facet_value *v = &r.facets[ATT_FACET_PLACE][k];
        int p = atoi(v->id + 1);
        cr_assert_eq(v->count, places[p], "%s: %s counts %llu, want %llu", when,
                     v->value, (unsigned long long)v->count,
                     (unsigned long long)places[p]);
        /* the date facet follows the same article: year 2000 + place */
    }
    for (size_t k = 0; k < r.n_facets[ATT_FACET_SOURCE]; k++) {
        const att_facet_value *v = &r.facets[ATT_FACET_SOURCE][k];
        cr_assert_eq(v->count, sources[atoi(v->id + 1)], "%s: %s", when, v->value);
    }
    for (size_t k = 0; k < r.n_facets[ATT_FACET_DATE]; k++) {
        const att_facet_value *v = &r.facets[ATT_FACET_DATE][k];
        cr_assert_eq(v->count, places[atoi(v->value) - 2000], "%s: year %s", when,
                     v->value);
    }
    att_shim_result_clear(&r);
}

static void check_reader(const model *m, const char *when)
{
    att_shim_db *h = NULL;
    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_READ), ATT_OK, "%s", att_last_error());
    check(h, m, when);
    att_shim_close(h);
}

Test(fcol, replacements_and_deletions_across_chunks, .init = setup, .fini = done)
{
    att_shim_db *h = writer();
    for (int i = 0; i < 3500; i++) /* four chunks */
        put(h, i, i % PLACES, i % SOURCES);
    commit(h);
    check_reader(&committed, "first batch");
    /* a later batch: every 10th replaced with other values, every 7th
     * deleted, new ones added */
    for (int i = 0; i < 3500; i += 10)
        put(h, i, (i / 10) % 3, 4);
    for (int i = 3; i < 3500; i += 7)
        del(h, i);
    for (int i = 3500; i < 4100; i++)
        put(h, i, 7, 1);
    commit(h);
    check_reader(&committed, "second batch");
    att_shim_close(h);
    /* a new writer (nothing cached) deletes a whole chunk's worth */
    h = writer();
    for (int i = 1024; i < 2048; i++)
        if (pending.present[i])
            del(h, i);
    commit(h);
    att_shim_close(h);
    check_reader(&committed, "a chunk emptied");
}

Test(fcol, a_cancelled_batch_leaves_the_last_commit, .init = setup, .fini = done)
{
    att_shim_db *h = writer();
    for (int i = 0; i < 1500; i++)
        put(h, i, i % PLACES, i % SOURCES);
    commit(h);
    for (int i = 0; i < 1500; i += 3)
        put(h, i, 22, 0);
    for (int i = 1; i < 1500; i += 5)
        del(h, i);
    for (int i = 1500; i < 2600; i++)
        put(h, i, 21, 2);
    att_shim_close(h); /* not committed: cancelled */
    pending = committed;
    check_reader(&committed, "after the cancelled batch");
    /* and a writer opened afterwards goes on from the commit */
    h = writer();
    put(h, 2, 20, 3);
    commit(h);
    att_shim_close(h);
    check_reader(&committed, "after a later commit");
}

Test(fcol, an_open_reader_follows_new_revisions, .init = setup, .fini = done)
{
    att_shim_db *w = writer();
    for (int i = 0; i < 2000; i++)
        put(w, i, i % PLACES, i % SOURCES);
    commit(w);
    att_shim_db *r = NULL;
    cr_assert_eq(att_shim_open(&r, db, ATT_OPEN_READ), ATT_OK, "%s", att_last_error());
    check(r, &committed, "reader, first revision");
    model before = committed;
    for (int round = 0; round < 3; round++) {
        for (int i = round; i < 2000; i += 4)
            put(w, i, (i + round) % 4, round);
        for (int i = 2000 + round * 300; i < 2300 + round * 300; i++)
            put(w, i, 10 + round, 3);
        del(w, 100 + round);
        commit(w);
        /* the reader still reads its revision, whole */
        check(r, &before, "reader before reopening");
        cr_assert_eq(att_shim_reopen(r), ATT_OK, "%s", att_last_error());
        check(r, &committed, "reader after reopening");
        before = committed;
    }
    att_shim_close(r);
    att_shim_close(w);
}

Test(fcol, the_writer_counts_its_own_batch, .init = setup, .fini = done)
{
    att_shim_db *w = writer();
    for (int i = 0; i < 1200; i++)
        put(w, i, i % PLACES, i % SOURCES);
    commit(w);
    for (int i = 0; i < 1200; i += 2)
        put(w, i, 5, 0);
    for (int i = 1200; i < 1300; i++)
        put(w, i, 6, 1);
    del(w, 1);
    /* what the writer's handle searches includes what it has not
     * committed yet; readers still see the commit */
    check(w, &pending, "writer, uncommitted");
    check_reader(&committed, "reader, meanwhile");
    commit(w);
    check(w, &committed, "writer, committed");
    att_shim_close(w);
    check_reader(&committed, "reader, committed");
}

Test(fcol, random_batches_match_the_model, .init = setup, .fini = done)
{
    unsigned seed = 12345;
    att_shim_db *h = writer();
    for (int batch = 0; batch < 12; batch++) {
        int ops = 200 + (int)(rand_r(&seed) % 800);
        for (int k = 0; k < ops; k++) {
            int i = (int)(rand_r(&seed) % MAX_DOCS);
            if (rand_r(&seed) % 4 == 0)
                del(h, i);
            else
                put(h, i, (int)(rand_r(&seed) % PLACES), (int)(rand_r(&seed) % SOURCES));
        }
        if (rand_r(&seed) % 5 == 0) {
            /* closed without committing: the batch is lost */
            att_shim_close(h);
            pending = committed;
            h = writer();
        } else {
            commit(h);
        }
        if (batch % 4 == 3) {
            char when[32];
            snprintf(when, sizeof when, "batch %d", batch);
            check_reader(&committed, when);
        }
    }
    att_shim_close(h);
    check_reader(&committed, "the end");
}

/* Copies of stories (shared signatures) whose places, display forms and
 * dates differ: collapsed, a place or a year counts once per story that
 * has it in any copy, and the total is the number of stories. */
Test(fcol, collapsed_counts_are_unions_over_copies, .init = setup, .fini = done)
{
    enum { N = 3000, STORIES = 700 };
    static int sig[N], place[N], year[N], shout[N];
    unsigned seed = 777;
    att_shim_db *h = writer();
    for (int i = 0; i < N; i++) {
        /* a third alone, the rest copies of 700 stories; copies mostly
         * agree, sometimes not */
        sig[i] = rand_r(&seed) % 3 == 0 ? -1 : (int)(rand_r(&seed) % STORIES);
        place[i] = sig[i] >= 0 && rand_r(&seed) % 4 ? sig[i] % PLACES
                                                    : (int)(rand_r(&seed) % PLACES);
        year[i] = sig[i] >= 0 && rand_r(&seed) % 5 ? 2000 + sig[i] % 7
                                                   : 2000 + (int)(rand_r(&seed) % 7);
        shout[i] = rand_r(&seed) % 6 == 0;
        char id[32], recs[160], date[16], dup[24];
        snprintf(id, sizeof id, "c%d", i);
        snprintf(recs, sizeof recs, "ll%d\t%s %d\nssrc\tSource\n", place[i],
                 shout[i] ? "PLACE" : "Place", place[i]);
        snprintf(date, sizeof date, "%04d0615", year[i]);
        snprintf(dup, sizeof dup, "%016x", (unsigned)sig[i] + 1);
        write_doc(h, id, recs, date, sig[i] >= 0 ? dup : NULL);
        if (i % 1000 == 999)
            cr_assert_eq(att_shim_commit(h), ATT_OK);
    }
    cr_assert_eq(att_shim_commit(h), ATT_OK);
    att_shim_close(h);

    /* the model: per story (or lone article), which places and years */
    static bool sp[STORIES][PLACES], sy[STORIES][7], seen[STORIES];
    uint64_t places[PLACES] = {0}, years[7] = {0}, stories = 0;
    for (int i = 0; i < N; i++) {
        if (sig[i] < 0) {
            stories++;
            places[place[i]]++;
            years[year[i] - 2000]++;
            continue;
        }
        if (!seen[sig[i]]) {
            seen[sig[i]] = true;
            stories++;
        }
        if (!sp[sig[i]][place[i]]) {
            sp[sig[i]][place[i]] = true;
            places[place[i]]++;
        }
        if (!sy[sig[i]][year[i] - 2000]) {
            sy[sig[i]][year[i] - 2000] = true;
            years[year[i] - 2000]++;
        }
    }
    att_shim_db *r = NULL;
    cr_assert_eq(att_shim_open(&r, db, ATT_OPEN_READ), ATT_OK);
    att_shim_result res;
    search(r, true, &res);
    cr_assert_eq(res.total, stories, "total %llu, want %llu",
                 (unsigned long long)res.total, (unsigned long long)stories);
    size_t nonzero = 0;
    for (int p = 0; p < PLACES; p++)
        nonzero += places[p] > 0;
    cr_assert_eq(res.n_facets[ATT_FACET_PLACE], nonzero);
    for (size_t k = 0; k < res.n_facets[ATT_FACET_PLACE]; k++) {
        const att_facet_value *v = &res.facets[ATT_FACET_PLACE][k];
        int p = atoi(v->id + 1);
        cr_assert_eq(v->count, places[p], "%s: %llu, want %llu", v->value,
                     (unsigned long long)v->count, (unsigned long long)places[p]);
        char a[32], b[32];
        snprintf(a, sizeof a, "Place %d", p);
        snprintf(b, sizeof b, "PLACE %d", p);
        cr_assert(strcmp(v->value, a) == 0 || strcmp(v->value, b) == 0, "%s", v->value);
    }
    cr_assert_eq(res.n_facets[ATT_FACET_SOURCE], 1);
    cr_assert_eq(res.facets[ATT_FACET_SOURCE][0].count, stories);
    for (size_t k = 0; k < res.n_facets[ATT_FACET_DATE]; k++) {
        const att_facet_value *v = &res.facets[ATT_FACET_DATE][k];
        cr_assert_eq(v->count, years[atoi(v->value) - 2000], "year %s: %llu", v->value,
                     (unsigned long long)v->count);
    }
    att_shim_result_clear(&res);
    att_shim_close(r);
}
