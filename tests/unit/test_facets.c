/* test_facets.c: facet counting (common/xapian/shim_facets.cc) on small
 * indexes built through the shim, with the facet list (slot 3), dates
 * (slot 0) and content signatures (slot 2) written by the test itself;
 * then the public API (att_search options versions 1 to 3,
 * att_results_facet()). */
#include "helpers.h"

#include "../../common/index.h"
#include "../../common/record.h"

static char dir[64], db[4096];

typedef struct fdoc {
    const char *id;
    const char *date;    /* slot 0, or NULL */
    const char *dup;     /* slot 2, or NULL */
    const char *recs;    /* slot 3, or NULL */
    const char *words;   /* terms with positions, space-separated */
    const char *filters; /* boolean terms, space-separated, or NULL */
} fdoc;

/* Two copies of story A (d1, d2) with different places, sources and
 * days; an entity spelt two ways (Imran Khan / Imran Khan Niazi, NATO /
 * Nato, United Nations / UN); a month-only date (d4), a year-only date
 * (d5), an undated article (d7) with malformed records among good ones. */
static const fdoc DOCS[] = {
    {"d1", "20241005", "aaaaaaaaaaaaaaaa",
     "pimran-khan\tImran Khan\nlpak\tPakistan\nonato\tNATO\nsreuters\tReuters\n",
     "zebra lion", "XLpak XSRCreuters"},
    {"d2", "20241006", "aaaaaaaaaaaaaaaa",
     "pimran-khan\tImran Khan\nlpak\tPakistan\nlafg\tAfghanistan\nsap\tAP\n",
     "zebra lion", "XLpak XLafg XSRCap"},
    {"d3", "20241007", NULL,
     "pimran-khan\tImran Khan Niazi\nlpak\tPakistan\nsreuters\tReuters\n",
     "zebra", "XLpak XSRCreuters"},
    {"d4", "20241100", "bbbbbbbbbbbbbbbb",
     "pimran-khan\tImran Khan Niazi\npdar\tIshaq Dar\nlqat\tQatar\nsreuters\tReuters\n",
     "zebra tiger", "XLqat XSRCreuters"},
    {"d5", "20240000", NULL, "lafg\tAfghanistan\nsap\tAP\n", "zebra tiger",
     "XLafg XSRCap"},
    {"d6", "20230115", NULL,
     "lpak\tPakistan\noun\tUnited Nations\nsafp\tAFP\n", "zebra", "XLpak XSRCafp"},
    {"d7", NULL, NULL,
     "garbage\nxfoo\tBar\np\tNobody\nonato\tNato\noun\tUN", "zebra", NULL},
};
#define N_DOCS (sizeof DOCS / sizeof DOCS[0])

static void add_words(att_shim_doc *d, const char *words, bool positions)
{
    uint32_t pos = 1;
    for (const char *p = words; p && *p;) {
        size_t n = strcspn(p, " ");
        att_status st = positions ? att_shim_doc_posting(d, p, n, pos++, 1)
                                  : att_shim_doc_boolean(d, p, n);
        cr_assert_eq(st, ATT_OK, "%s", att_last_error());
        p += n;
        p += *p == ' ';
    }
}

/* Stores document d as article `id` (title, body as given; either may be
 * NULL): its record, its id term, then replaces it into h and frees d. */
static void put_doc(att_shim_db *h, att_shim_doc *d, const char *id, const char *title,
                    const char *body)
{
    att_buf term = ATT_BUF_INIT, rec = ATT_BUF_INIT;
    att_article a = ATT_ARTICLE_INIT;
    a.id = id;
    a.title = title;
    a.body = body;
    cr_assert_eq(att_record_encode(&a, &rec), ATT_OK);
    cr_assert_eq(att_shim_doc_data(d, rec.data, rec.len), ATT_OK);
    cr_assert_eq(att_id_term(id, &term), ATT_OK);
    cr_assert_eq(att_shim_doc_boolean(d, term.data, term.len), ATT_OK);
    cr_assert_eq(att_shim_replace(h, term.data, term.len, d), ATT_OK, "%s",
                 att_last_error());
    att_shim_doc_free(d);
    att_buf_free(&term);
    att_buf_free(&rec);
}

/* Deletes article `prefix``n`. */
static void delete_doc(att_shim_db *h, const char *prefix, int n)
{
    char id[32];
    att_buf term = ATT_BUF_INIT;
    snprintf(id, sizeof id, "%s%d", prefix, n);
    cr_assert_eq(att_id_term(id, &term), ATT_OK);
    cr_assert_eq(att_shim_delete(h, term.data, term.len), ATT_OK);
    att_buf_free(&term);
}

static void build(const fdoc *docs, size_t n)
{
    tmpdir_make(dir, "unit-facets");
    tmpdir_path(db, dir, "db");
    att_shim_db *h = NULL;
    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_WRITE | ATT_OPEN_CREATE), ATT_OK,
                 "%s", att_last_error());
    for (size_t i = 0; i < n; i++) {
        const fdoc *f = &docs[i];
        att_shim_doc *d = NULL;
        cr_assert_eq(att_shim_doc_new(&d), ATT_OK);
        add_words(d, f->words, true);
        add_words(d, f->filters, false);
        if (f->date)
            cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DATE, f->date, 8), ATT_OK);
        if (f->dup)
            cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DUP, f->dup, strlen(f->dup)),
                         ATT_OK);
        if (f->recs)
            cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_FACETS, f->recs,
                                            strlen(f->recs)),
                         ATT_OK);
        put_doc(h, d, f->id, f->id, f->words);
    }
    cr_assert_eq(att_shim_commit(h), ATT_OK, "%s", att_last_error());
    att_shim_close(h);
}

static void done(void) { tmpdir_rm_rf(dir); }

/* ---- running searches through the shim ----------------------------- */

typedef struct srun {
    const char *must;     /* a term every match has */
    const char *filter;   /* a boolean filter term, or NULL */
    const char *without;  /* a term matches must not have, or NULL */
    size_t offset, limit;
    bool by_date;
    bool all_copies;
    size_t facets;
    att_date_unit unit;
} srun;

static att_qnode *query_of(const srun *s)
{
    att_qnode *q = att_qnode_term(ATT_Q_TERM, s->must, strlen(s->must), 0);
    cr_assert_not_null(q);
    if (s->filter) {
        att_qnode *a = att_qnode_new(ATT_Q_AND, 0);
        cr_assert_eq(att_qnode_add(a, q), ATT_OK);
        cr_assert_eq(att_qnode_add(a, att_qnode_term(ATT_Q_FILTER, s->filter,
                                                     strlen(s->filter), 0)),
                     ATT_OK);
        q = a;
    }
    if (s->without) {
        att_qnode *a = att_qnode_new(ATT_Q_AND_NOT, 0);
        cr_assert_eq(att_qnode_add(a, q), ATT_OK);
        cr_assert_eq(att_qnode_add(a, att_qnode_term(ATT_Q_TERM, s->without,
                                                     strlen(s->without), 0)),
                     ATT_OK);
        q = a;
    }
    return q;
}

static void run(const srun *s, att_shim_result *r)
{
    att_shim_db *h = NULL;
    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_READ), ATT_OK, "%s", att_last_error());
    att_qnode *q = query_of(s);
    att_shim_query_opts o;
    memset(&o, 0, sizeof o);
    o.offset = s->offset;
    o.limit = s->limit;
    o.sort_by_date = s->by_date;
    o.k1 = o.b = -1;
    o.collapse_slot = s->all_copies ? ATT_NO_SLOT : ATT_SLOT_DUP;
    o.facets = s->facets;
    o.date_unit = s->unit;
    memset(r, 0, sizeof *r);
    cr_assert_eq(att_shim_search(h, q, &o, r), ATT_OK, "%s", att_last_error());
    att_qnode_free(q);
    att_shim_close(h);
}

/* The list of facet f as "value:count,value:count" (ids after '=' where
 * they differ from the value when with_ids). */
static char *list(const att_shim_result *r, att_facet f, bool with_ids)
{
    static char buf[4096];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_facets[f]; i++) {
        const att_facet_value *v = &r->facets[f][i];
        bool id = with_ids && strcmp(v->id, v->value) != 0;
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s%s%s:%llu",
                                i ? "," : "", v->value, id ? "=" : "",
                                id ? v->id : "", (unsigned long long)v->count);
    }
    return buf;
}

#define assert_list(r, f, want) \
    cr_assert_str_eq(list(r, f, false), want, "%s: %s", att_facet_name(f), list(r, f, false))

/* ---- counts ----------------------------------------------------------- */

Test(facets, counts_every_article_with_all_copies)
{
    build(DOCS, N_DOCS);
    srun s = {.must = "zebra", .limit = 10, .all_copies = true, .facets = 10};
    att_shim_result r;
    run(&s, &r);
    cr_assert_eq(r.total, 7);
    cr_assert(r.exact);
    /* Imran Khan 2, Imran Khan Niazi 2: the tie goes to the first seen */
    cr_assert_str_eq(list(&r, ATT_FACET_PERSON, true),
                     "Imran Khan=imran-khan:4,Ishaq Dar=dar:1");
    /* NATO 1, Nato 1; United Nations 1, UN 1; equal counts by display */
    cr_assert_str_eq(list(&r, ATT_FACET_ORG, true),
                     "NATO=nato:2,United Nations=un:2");
    cr_assert_str_eq(list(&r, ATT_FACET_PLACE, true),
                     "Pakistan=pak:4,Afghanistan=afg:2,Qatar=qat:1");
    cr_assert_str_eq(list(&r, ATT_FACET_SOURCE, true),
                     "Reuters=reuters:3,AP=ap:2,AFP=afp:1");
    /* 6 dated, 5 with a month, 4 with a day: auto falls back to years */
    cr_assert_eq(r.facet_unit, ATT_DATE_YEAR);
    assert_list(&r, ATT_FACET_DATE, "2023:1,2024:5");
    cr_assert_str_eq(r.facets[ATT_FACET_DATE][0].id, "2023");
    att_shim_result_clear(&r);
    done();
}

Test(facets, collapsed_copies_count_once_per_story)
{
    build(DOCS, N_DOCS);
    srun s = {.must = "zebra", .limit = 10, .facets = 10};
    att_shim_result r;
    run(&s, &r);
    /* stories: A (d1, d2), d3, B (d4), d5, d6, d7 */
    cr_assert_eq(r.total, 6);
    cr_assert(r.exact);
    /* story A counted once, with d1's display: Niazi now leads 2 to 1 */
    cr_assert_str_eq(list(&r, ATT_FACET_PERSON, true),
                     "Imran Khan Niazi=imran-khan:3,Ishaq Dar=dar:1");
    /* Afghanistan and AP come from d2 only, the story's second copy */
    assert_list(&r, ATT_FACET_PLACE, "Pakistan:3,Afghanistan:2,Qatar:1");
    assert_list(&r, ATT_FACET_SOURCE, "Reuters:3,AP:2,AFP:1");
    assert_list(&r, ATT_FACET_ORG, "NATO:2,United Nations:2");
    assert_list(&r, ATT_FACET_DATE, "2023:1,2024:4");
    att_shim_result_clear(&r);
    done();
}

/* A count is the number of hits the search shows with that value as a
 * filter, collapsed or not. */
Test(facets, counts_equal_filtered_totals)
{
    build(DOCS, N_DOCS);
    static const struct {
        att_facet f;
        const char *id, *term;
    } cases[] = {{ATT_FACET_PLACE, "pak", "XLpak"},
                 {ATT_FACET_PLACE, "afg", "XLafg"},
                 {ATT_FACET_PLACE, "qat", "XLqat"},
                 {ATT_FACET_SOURCE, "reuters", "XSRCreuters"},
                 {ATT_FACET_SOURCE, "ap", "XSRCap"}};
    for (int all = 0; all < 2; all++) {
        srun s = {.must = "zebra", .limit = 10, .all_copies = all, .facets = 10};
        att_shim_result r;
        run(&s, &r);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            uint64_t count = 0;
            for (size_t k = 0; k < r.n_facets[cases[i].f]; k++)
                if (strcmp(r.facets[cases[i].f][k].id, cases[i].id) == 0)
                    count = r.facets[cases[i].f][k].count;
            srun t = {.must = "zebra", .filter = cases[i].term, .limit = 10,
                      .all_copies = all};
            att_shim_result rt;
            run(&t, &rt);
            cr_assert(rt.exact);
            cr_assert_eq(rt.total, count, "%s (all copies %d): total %llu, count %llu",
                         cases[i].id, all, (unsigned long long)rt.total,
                         (unsigned long long)count);
            att_shim_result_clear(&rt);
        }
        att_shim_result_clear(&r);
    }
    done();
}

Test(facets, top_n_cut_and_ties)
{
    build(DOCS, N_DOCS);
    srun s = {.must = "zebra", .limit = 10, .all_copies = true, .facets = 1};
    att_shim_result r;
    run(&s, &r);
    assert_list(&r, ATT_FACET_PERSON, "Imran Khan:4");
    assert_list(&r, ATT_FACET_ORG, "NATO:2"); /* tie with United Nations */
    assert_list(&r, ATT_FACET_PLACE, "Pakistan:4");
    assert_list(&r, ATT_FACET_SOURCE, "Reuters:3");
    /* the date histogram is never cut */
    assert_list(&r, ATT_FACET_DATE, "2023:1,2024:5");
    att_shim_result_clear(&r);
    done();
}

Test(facets, malformed_records_are_skipped)
{
    build(DOCS, N_DOCS);
    srun s = {.must = "zebra", .limit = 0, .all_copies = true, .facets = 100};
    att_shim_result r;
    run(&s, &r);
    /* d7's "garbage", "xfoo\tBar" and "p\tNobody" count nowhere, and its
     * last record, without a final newline, still counts */
    for (int f = 0; f < ATT_FACET_DATE; f++)
        for (size_t i = 0; i < r.n_facets[f]; i++) {
            cr_assert_str_neq(r.facets[f][i].value, "Bar");
            cr_assert_str_neq(r.facets[f][i].value, "Nobody");
            cr_assert_str_neq(r.facets[f][i].value, "");
        }
    assert_list(&r, ATT_FACET_ORG, "NATO:2,United Nations:2");
    att_shim_result_clear(&r);
    done();
}

/* ---- the whole match set, whatever the page and the order ------------- */

Test(facets, counts_cover_the_whole_match_set)
{
    build(DOCS, N_DOCS);
    char want[5][512];
    for (int all = 0; all < 2; all++) {
        srun base = {.must = "zebra", .limit = 100, .all_copies = all, .facets = 10};
        att_shim_result r;
        run(&base, &r);
        for (int f = 0; f < ATT_FACET_COUNT; f++)
            snprintf(want[f], sizeof want[f], "%s", list(&r, (att_facet)f, true));
        uint64_t total = r.total;
        att_shim_result_clear(&r);
        static const struct {
            size_t offset, limit;
            bool by_date;
        } pages[] = {{0, 1, false}, {3, 1, false}, {0, 0, false}, {5, 2, false},
                     {100, 10, false}, {0, 1, true}, {2, 1, true}, {4, 3, true}};
        for (size_t p = 0; p < sizeof pages / sizeof pages[0]; p++) {
            srun s = base;
            s.offset = pages[p].offset;
            s.limit = pages[p].limit;
            s.by_date = pages[p].by_date;
            run(&s, &r);
            cr_assert_eq(r.total, total);
            for (int f = 0; f < ATT_FACET_COUNT; f++)
                cr_assert_str_eq(list(&r, (att_facet)f, true), want[f],
                                 "all %d page %zu+%zu by date %d, %s",
                                 all, pages[p].offset, pages[p].limit,
                                 pages[p].by_date, att_facet_name((att_facet)f));
            att_shim_result_clear(&r);
        }
    }
    done();
}

/* Many matches with small pages: the matcher must not prune any. */
Test(facets, large_match_set_small_page)
{
    tmpdir_make(dir, "unit-facets");
    tmpdir_path(db, dir, "db");
    att_shim_db *h = NULL;
    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_WRITE | ATT_OPEN_CREATE), ATT_OK);
    att_buf term = ATT_BUF_INIT;
    for (int i = 0; i < 3000; i++) {
        att_shim_doc *d = NULL;
        cr_assert_eq(att_shim_doc_new(&d), ATT_OK);
        char id[32], recs[128], date[9], dup[17];
        snprintf(id, sizeof id, "n%d", i);
        /* source s<i%7>, place l<i%3>; dates over 2020..2024 */
        snprintf(recs, sizeof recs, "ss%d\tSource %d\nll%d\tPlace %d\n", i % 7,
                 i % 7, i % 3, i % 3);
        snprintf(date, sizeof date, "%04d%02d%02d", 2020 + i % 5, 1 + i % 12,
                 1 + i % 28);
        snprintf(dup, sizeof dup, "%016x", (unsigned)i / 2); /* pairs of copies */
        for (int k = 0; k <= i % 5; k++) /* varied weights */
            cr_assert_eq(att_shim_doc_posting(d, "word", 4, (uint32_t)k + 1, 1), ATT_OK);
        cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_FACETS, recs, strlen(recs)), ATT_OK);
        cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DATE, date, 8), ATT_OK);
        cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DUP, dup, 16), ATT_OK);
        cr_assert_eq(att_id_term(id, &term), ATT_OK);
        cr_assert_eq(att_shim_doc_boolean(d, term.data, term.len), ATT_OK);
        cr_assert_eq(att_shim_replace(h, term.data, term.len, d), ATT_OK);
        att_shim_doc_free(d);
    }
    cr_assert_eq(att_shim_commit(h), ATT_OK);
    att_shim_close(h);
    att_buf_free(&term);
    for (int by_date = 0; by_date < 2; by_date++) {
        srun s = {.must = "word", .limit = 1, .offset = 7, .by_date = by_date,
                  .all_copies = true, .facets = 10, .unit = ATT_DATE_YEAR};
        att_shim_result r;
        run(&s, &r);
        cr_assert_eq(r.total, 3000);
        assert_list(&r, ATT_FACET_PLACE, "Place 0:1000,Place 1:1000,Place 2:1000");
        uint64_t sum = 0;
        for (size_t i = 0; i < r.n_facets[ATT_FACET_SOURCE]; i++)
            sum += r.facets[ATT_FACET_SOURCE][i].count;
        cr_assert_eq(sum, 3000);
        assert_list(&r, ATT_FACET_DATE, "2020:600,2021:600,2022:600,2023:600,2024:600");
        att_shim_result_clear(&r);
        /* collapsed: 1500 stories; copies i, i+1 have different places,
         * so each story counts for both of its places */
        s.all_copies = false;
        run(&s, &r);
        cr_assert_eq(r.total, 1500);
        uint64_t places = 0;
        for (size_t i = 0; i < r.n_facets[ATT_FACET_PLACE]; i++)
            places += r.facets[ATT_FACET_PLACE][i].count;
        cr_assert_eq(places, 3000);
        att_shim_result_clear(&r);
    }
    done();
}

/* ---- dates ----------------------------------------------------------- */

Test(facets, date_units)
{
    build(DOCS, N_DOCS);
    static const struct {
        att_date_unit unit;
        bool all;
        const char *want;
    } cases[] = {
        {ATT_DATE_YEAR, true, "2023:1,2024:5"},
        {ATT_DATE_MONTH, true, "2023-01:1,2024-10:3,2024-11:1"},
        {ATT_DATE_DAY, true, "2023-01-15:1,2024-10-05:1,2024-10-06:1,2024-10-07:1"},
        /* collapsed: story A (d1 05, d2 06) counts once in October, in
         * each of its days, once in 2024 */
        {ATT_DATE_YEAR, false, "2023:1,2024:4"},
        {ATT_DATE_MONTH, false, "2023-01:1,2024-10:2,2024-11:1"},
        {ATT_DATE_DAY, false, "2023-01-15:1,2024-10-05:1,2024-10-06:1,2024-10-07:1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        srun s = {.must = "zebra", .limit = 3, .all_copies = cases[i].all,
                  .facets = 10, .unit = cases[i].unit};
        att_shim_result r;
        run(&s, &r);
        cr_assert_eq(r.facet_unit, cases[i].unit);
        assert_list(&r, ATT_FACET_DATE, cases[i].want);
        cr_assert_str_eq(r.facets[ATT_FACET_DATE][0].id,
                         r.facets[ATT_FACET_DATE][0].value);
        att_shim_result_clear(&r);
    }
    done();
}

Test(facets, date_auto)
{
    build(DOCS, N_DOCS);
    static const struct {
        const char *must, *without;
        att_date_unit unit;
        const char *want;
    } cases[] = {
        /* two days apart: days */
        {"lion", NULL, ATT_DATE_DAY, "2024-10-05:1,2024-10-06:1"},
        /* 2023-01 .. 2024-10, all with a day: 22 months */
        {"zebra", "tiger", ATT_DATE_MONTH, "2023-01:1,2024-10:3"},
        /* a month-only and a year-only date: years */
        {"tiger", NULL, ATT_DATE_YEAR, "2024:2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        srun s = {.must = cases[i].must, .without = cases[i].without, .limit = 3,
                  .all_copies = true, .facets = 10};
        att_shim_result r;
        run(&s, &r);
        cr_assert_eq(r.facet_unit, cases[i].unit, "%s: unit %d", cases[i].must,
                     (int)r.facet_unit);
        assert_list(&r, ATT_FACET_DATE, cases[i].want);
        att_shim_result_clear(&r);
    }
    done();
}

Test(facets, date_auto_limits)
{
    /* 60 days inclusive is still days; 61 is months; 60 months is months,
     * 61 years */
    static const fdoc docs[] = {
        {"e1", "20240101", NULL, NULL, "all d60 d61 m60 m61", NULL},
        {"e2", "20240229", NULL, NULL, "all d60", NULL},
        {"e3", "20240301", NULL, NULL, "all d61", NULL},
        {"e4", "20281201", NULL, NULL, "all m60", NULL},
        {"e5", "20290101", NULL, NULL, "all m61", NULL},
        {"e6", NULL, NULL, NULL, "all", NULL},
    };
    build(docs, sizeof docs / sizeof docs[0]);
    static const struct {
        const char *must;
        att_date_unit unit;
        size_t n;
    } cases[] = {{"d60", ATT_DATE_DAY, 2}, {"d61", ATT_DATE_MONTH, 2},
                 {"m60", ATT_DATE_MONTH, 2}, {"m61", ATT_DATE_YEAR, 2},
                 {"all", ATT_DATE_YEAR, 3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        srun s = {.must = cases[i].must, .limit = 1, .all_copies = true, .facets = 5};
        att_shim_result r;
        run(&s, &r);
        cr_assert_eq(r.facet_unit, cases[i].unit, "%s: unit %d", cases[i].must,
                     (int)r.facet_unit);
        cr_assert_eq(r.n_facets[ATT_FACET_DATE], cases[i].n, "%s", cases[i].must);
        /* no facet list: no entity or source values */
        for (int f = 0; f < ATT_FACET_DATE; f++) {
            cr_assert_eq(r.n_facets[f], 0);
            cr_assert_null(r.facets[f]);
        }
        att_shim_result_clear(&r);
    }
    done();
}

Test(facets, nothing_matched)
{
    build(DOCS, N_DOCS);
    srun s = {.must = "unicorn", .limit = 10, .facets = 10};
    att_shim_result r;
    run(&s, &r);
    cr_assert_eq(r.total, 0);
    for (int f = 0; f < ATT_FACET_COUNT; f++)
        cr_assert_eq(r.n_facets[f], 0);
    cr_assert_eq(r.facet_unit, ATT_DATE_YEAR);
    att_shim_result_clear(&r);
    done();
}

Test(facets, without_facets_nothing_is_counted)
{
    build(DOCS, N_DOCS);
    srun s = {.must = "zebra", .limit = 10};
    att_shim_result r;
    run(&s, &r);
    cr_assert_eq(r.total, 6);
    for (int f = 0; f < ATT_FACET_COUNT; f++)
        cr_assert_null(r.facets[f]);
    att_shim_result_clear(&r);
    done();
}

/* ---- the public API ------------------------------------------------- */

Test(facets, api_names)
{
    cr_assert_str_eq(att_facet_name(ATT_FACET_PERSON), "person");
    cr_assert_str_eq(att_facet_name(ATT_FACET_ORG), "org");
    cr_assert_str_eq(att_facet_name(ATT_FACET_PLACE), "place");
    cr_assert_str_eq(att_facet_name(ATT_FACET_SOURCE), "source");
    cr_assert_str_eq(att_facet_name(ATT_FACET_DATE), "date");
    cr_assert_null(att_facet_name(ATT_FACET_COUNT));
    cr_assert_null(att_facet_name((att_facet)-1));
    size_t n = 7;
    cr_assert_null(att_results_facet(NULL, ATT_FACET_PLACE, &n));
    cr_assert_eq(n, 0);
    cr_assert_eq(att_results_has_facets(NULL), 0);
    cr_assert_eq(att_results_facet_date_unit(NULL), ATT_DATE_AUTO);
}

Test(facets, api_search_with_facets)
{
    build(DOCS, N_DOCS);
    att_index *ix = th_open_reader(db);
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    cr_assert_geq(o.version, 3);
    cr_assert_eq(o.facets, 0);
    o.facets = 2;
    o.limit = 1;
    o.facet_date_unit = ATT_DATE_MONTH;
    att_results *r = th_search(ix, "zebra", &o);
    cr_assert_eq(att_results_count(r), 1);
    int exact = 0;
    cr_assert_eq(att_results_total(r, &exact), 6);
    cr_assert(exact);
    cr_assert(att_results_has_facets(r));
    cr_assert_eq(att_results_facet_date_unit(r), ATT_DATE_MONTH);
    size_t n = 0;
    const att_facet_value *v = att_results_facet(r, ATT_FACET_PLACE, &n);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(v[0].value, "Pakistan");
    cr_assert_str_eq(v[0].id, "pak");
    cr_assert_eq(v[0].count, 3);
    cr_assert_str_eq(v[1].value, "Afghanistan");
    v = att_results_facet(r, ATT_FACET_DATE, &n);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(v[2].value, "2024-11");
    cr_assert_null(att_results_facet(r, ATT_FACET_COUNT, &n));
    cr_assert_eq(n, 0);
    att_results_free(r);
    /* a query that matches nothing: facets asked, all empty */
    r = th_search(ix, "unicorn", &o);
    cr_assert(att_results_has_facets(r));
    for (int f = 0; f < ATT_FACET_COUNT; f++) {
        cr_assert_null(att_results_facet(r, (att_facet)f, &n));
        cr_assert_eq(n, 0);
    }
    att_results_free(r);
    att_index_close(ix);
    done();
}

Test(facets, api_older_option_versions_have_no_facets)
{
    build(DOCS, N_DOCS);
    att_index *ix = th_open_reader(db);
    for (int version = 1; version <= 2; version++) {
        att_search_options o = ATT_SEARCH_OPTIONS_INIT;
        o.version = version;
        /* fields an older caller's struct does not have */
        o.facets = 10;
        o.facet_date_unit = (att_date_unit)99;
        att_results *r = th_search(ix, "zebra", &o);
        cr_assert_eq(att_results_has_facets(r), 0, "version %d", version);
        size_t n = 5;
        cr_assert_null(att_results_facet(r, ATT_FACET_PLACE, &n));
        cr_assert_eq(n, 0);
        cr_assert_eq(att_results_facet_date_unit(r), ATT_DATE_AUTO);
        cr_assert_eq(att_results_total(r, NULL), 6);
        att_results_free(r);
    }
    att_index_close(ix);
    done();
}

Test(facets, api_bad_facet_options)
{
    build(DOCS, N_DOCS);
    att_index *ix = th_open_reader(db);
    att_results *r = NULL;
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.facets = 10001;
    cr_assert_eq(att_search(&r, ix, "zebra", &o), ATT_INVALID);
    cr_assert_null(r);
    o.facets = 10;
    o.facet_date_unit = (att_date_unit)4;
    cr_assert_eq(att_search(&r, ix, "zebra", &o), ATT_INVALID);
    cr_assert_null(r);
    o.version = 99;
    o.facet_date_unit = ATT_DATE_AUTO;
    cr_assert_eq(att_search(&r, ix, "zebra", &o), ATT_INVALID);
    att_index_close(ix);
    done();
}

/* ---- date filters read from the facet column ------------------------ */

/* Article i's date (slot 0), or NULL: undated, year only, month only or a
 * whole date, over 2010..2019. */
static const char *date_of(int i, char buf[16])
{
    if (i % 11 == 0)
        return NULL;
    if (i % 7 == 0)
        snprintf(buf, 16, "%04d0000", 2010 + i % 10);
    else if (i % 5 == 0)
        snprintf(buf, 16, "%04d%02d00", 2010 + i % 10, 1 + i % 12);
    else
        snprintf(buf, 16, "%04d%02d%02d", 2010 + i % 10, 1 + i % 12, 1 + i % 28);
    return buf;
}

/* With facets, a date filter reads the facet column instead of slot 0
 * (shim_datesource.cc): the same matches, in the same order, as the
 * value range a search without facets uses, and as many as the dates
 * say; over four chunks of document ids, one emptied by deletions,
 * undated articles and dates without a month or day, alone, with a word,
 * negated, and inside OR. */
Test(facets, date_filters_with_facets_match_the_value_range)
{
    enum { N = 3900 };
    tmpdir_make(dir, "unit-facets");
    tmpdir_path(db, dir, "db");
    att_shim_db *h = NULL;
    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_WRITE | ATT_OPEN_CREATE), ATT_OK);
    static bool live[N];
    for (int i = 0; i < N; i++) {
        att_shim_doc *d = NULL;
        cr_assert_eq(att_shim_doc_new(&d), ATT_OK);
        char id[32], buf[16];
        snprintf(id, sizeof id, "n%d", i);
        const char *date = date_of(i, buf);
        cr_assert_eq(att_shim_doc_posting(d, i % 3 ? "word" : "other", i % 3 ? 4 : 5,
                                          1, 1 + (uint32_t)(i % 4)),
                     ATT_OK);
        const char *recs = "ss1\tSource 1\n";
        cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_FACETS, recs, strlen(recs)), ATT_OK);
        if (date)
            cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DATE, date, 8), ATT_OK);
        put_doc(h, d, id, NULL, "word");
        live[i] = true;
    }
    cr_assert_eq(att_shim_commit(h), ATT_OK);
    /* Document ids 1,025..2,048 (a whole chunk) and a run across the
     * next chunk boundary go. */
    for (int i = 1024; i < 2048 + 100; i++) {
        delete_doc(h, "n", i);
        live[i] = false;
    }
    cr_assert_eq(att_shim_commit(h), ATT_OK);
    att_shim_close(h);

    static const struct {
        const char *lo, *hi;
    } ranges[] = {
        {"20120000", "20121231"}, {"20150300", "20150331"}, {"20130507", "20130507"},
        {"20160000", ""},         {"", "20111231"},         {"", "20100000"},
        {"20190000", "20190000"}, {"20200101", ""},         {"20110615", "20140220"},
    };
    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_READ), ATT_OK);
    for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
        for (int form = 0; form < 4; form++) {
            /* 0: the range alone; 1: word AND range; 2: word AND NOT
             * range; 3: other OR (word AND range) */
            att_qnode *r = att_qnode_new(ATT_Q_RANGE, 0);
            r->slot = ATT_SLOT_DATE;
            snprintf(r->lo, sizeof r->lo, "%s", ranges[k].lo);
            snprintf(r->hi, sizeof r->hi, "%s", ranges[k].hi);
            att_qnode *q = r;
            if (form) {
                q = att_qnode_new(form == 2 ? ATT_Q_AND_NOT : ATT_Q_AND, 0);
                cr_assert_eq(att_qnode_add(q, att_qnode_term(ATT_Q_TERM, "word", 4, 0)),
                             ATT_OK);
                cr_assert_eq(att_qnode_add(q, r), ATT_OK);
            }
            if (form == 3) {
                att_qnode *o = att_qnode_new(ATT_Q_OR, 0);
                cr_assert_eq(att_qnode_add(o, att_qnode_term(ATT_Q_TERM, "other", 5, 0)),
                             ATT_OK);
                cr_assert_eq(att_qnode_add(o, q), ATT_OK);
                q = o;
            }
            uint64_t want = 0;
            for (int i = 0; i < N; i++) {
                char buf[16];
                const char *d = date_of(i, buf);
                bool in = d && (!ranges[k].lo[0] || strcmp(d, ranges[k].lo) >= 0) &&
                          (!ranges[k].hi[0] || strcmp(d, ranges[k].hi) <= 0);
                bool word = i % 3 != 0;
                bool m = form == 0 ? in : form == 1 ? word && in
                                    : form == 2 ? word && !in
                                                : !word || in;
                want += live[i] && m;
            }
            att_shim_result a, b;
            for (int facets = 0; facets < 2; facets++) {
                att_shim_result *r2 = facets ? &b : &a;
                att_shim_query_opts o;
                memset(&o, 0, sizeof o);
                o.limit = N;
                o.k1 = o.b = -1;
                o.collapse_slot = ATT_NO_SLOT;
                o.facets = facets ? 10 : 0;
                o.date_unit = ATT_DATE_YEAR;
                memset(r2, 0, sizeof *r2);
                cr_assert_eq(att_shim_search(h, q, &o, r2), ATT_OK, "%s", att_last_error());
            }
            cr_assert_eq(a.n_hits, want, "range %s..%s form %d: %zu hits, want %llu",
                         ranges[k].lo, ranges[k].hi, form, a.n_hits,
                         (unsigned long long)want);
            cr_assert_eq(b.n_hits, want, "range %s..%s form %d with facets: %zu, want %llu",
                         ranges[k].lo, ranges[k].hi, form, b.n_hits,
                         (unsigned long long)want);
            cr_assert_eq(b.total, want);
            for (size_t i = 0; i < a.n_hits; i++)
                cr_assert_str_eq(a.hits[i].data, b.hits[i].data,
                                 "range %s..%s form %d hit %zu", ranges[k].lo,
                                 ranges[k].hi, form, i);
            att_shim_result_clear(&a);
            att_shim_result_clear(&b);
            att_qnode_free(q);
        }
    }
    att_shim_close(h);
    done();
}

/* With facets, the copies of a story are collapsed against the facet
 * column's signatures (shim_search.cc, stories_of()), without: by
 * Xapian.  Both must give the same pages: the best copy of each story
 * (equal copies: the lowest document id), in the same order, for every
 * offset, in both orders.  Story 0 has 150 copies that outrank
 * everything, more than the first MSet looked at (page + 100), so the
 * MSet must grow; stories 1..59 have 1 to 4 copies of varied weights and
 * dates, spread over the ids; every fifth article has no signature and
 * is never collapsed. */
Test(facets, copies_collapsed_from_the_column_as_xapian_does)
{
    enum { N = 450 };
    tmpdir_make(dir, "unit-facets");
    tmpdir_path(db, dir, "db");
    att_shim_db *h = NULL;
    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_WRITE | ATT_OPEN_CREATE), ATT_OK);
    for (int i = 0; i < N; i++) {
        att_shim_doc *d = NULL;
        cr_assert_eq(att_shim_doc_new(&d), ATT_OK);
        char id[32], dup[17], date[9];
        snprintf(id, sizeof id, "c%d", i);
        int story = i < 150 ? 0 : 1 + (i * 7) % 59;
        bool signed_ = i < 150 || i % 5 != 0;
        snprintf(dup, sizeof dup, "%016x", (unsigned)story + 1);
        snprintf(date, sizeof date, "2024%02d%02d", 1 + i % 12, 1 + story % 28);
        int wdf = i < 150 ? 9 : 1 + (i % 4);
        cr_assert_eq(att_shim_doc_posting(d, "word", 4, 1, (uint32_t)wdf), ATT_OK);
        cr_assert_eq(att_shim_doc_posting(d, "filler", 6, 2, 1 + (uint32_t)(i % 3)),
                     ATT_OK);
        const char *recs = "ss1\tSource 1\n";
        cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_FACETS, recs, strlen(recs)), ATT_OK);
        cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DATE, date, 8), ATT_OK);
        if (signed_)
            cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DUP, dup, 16), ATT_OK);
        if (signed_) {
            char t[32];
            snprintf(t, sizeof t, "%s%s", ATT_PREFIX_DUP, dup);
            cr_assert_eq(att_shim_doc_boolean(d, t, strlen(t)), ATT_OK);
        }
        put_doc(h, d, id, NULL, "word");
    }
    cr_assert_eq(att_shim_commit(h), ATT_OK);
    att_shim_close(h);

    static const size_t pages[][2] = {{0, 10}, {0, 1}, {1, 5}, {3, 40}, {10, 10},
                                      {55, 20}, {120, 10}, {200, 10}, {0, 500}};
    size_t grown = 0;
    for (int by_date = 0; by_date < 2; by_date++) {
        for (size_t k = 0; k < sizeof pages / sizeof pages[0]; k++) {
            srun s = {.must = "word", .offset = pages[k][0], .limit = pages[k][1],
                      .by_date = by_date, .unit = ATT_DATE_YEAR};
            att_shim_result x, c;
            run(&s, &x); /* Xapian collapses */
            s.facets = 10;
            run(&s, &c); /* the column */
            cr_assert_eq(c.n_hits, x.n_hits, "order %d page %zu+%zu: %zu hits, want %zu",
                         by_date, pages[k][0], pages[k][1], c.n_hits, x.n_hits);
            for (size_t i = 0; i < x.n_hits; i++) {
                cr_assert_str_eq(c.hits[i].data, x.hits[i].data,
                                 "order %d page %zu+%zu hit %zu", by_date,
                                 pages[k][0], pages[k][1], i);
                cr_assert_eq(c.hits[i].score, x.hits[i].score);
                cr_assert_eq(c.hits[i].copies, x.hits[i].copies);
                cr_assert_eq(c.hits[i].n_copy_data, x.hits[i].n_copy_data);
            }
            /* stories: 1 + 59, and the 60 unsigned articles of 150..449 */
            cr_assert_eq(c.total, 120);
            if (!by_date && pages[k][0] == 0 && x.n_hits) {
                /* story 0's first copy, c0, tops the relevance order */
                cr_assert_not_null(strstr(x.hits[0].data, "c0"));
                cr_assert_eq(x.hits[0].copies, 149);
                grown++;
            }
            att_shim_result_clear(&x);
            att_shim_result_clear(&c);
        }
    }
    cr_assert_eq(grown, 3);
    done();
}

/* ---- the match set walked from the posting lists ---------------------- */

/* The facet count takes its matches from the posting lists
 * (shim_matchset.cc) for every tree without positions.  Here 300
 * generated trees (terms, filters, every article, AND, OR, AND NOT, AND
 * MAYBE, synonyms, wildcards with and without words, date ranges open and
 * closed) over 3,000 articles, a run of 1,100 of them deleted across two
 * chunk boundaries: the count's total and year histogram must be those
 * of the articles the tree matches by its own definition (evaluated here
 * over what each article holds), and Xapian's matcher, through a search
 * without facets, must find the same articles. */
enum { MS_N = 3000 };
static const char *const MS_TERMS[] = {"a", "b", "c", "d", "rare", "zzz"};

static bool ms_has(int i, const char *t)
{
    if (!strcmp(t, "a")) return i % 2 == 0;
    if (!strcmp(t, "b")) return i % 3 == 0;
    if (!strcmp(t, "c")) return i % 5 == 0;
    if (!strcmp(t, "d")) return i % 7 == 0;
    if (!strcmp(t, "rare")) return i % 97 == 0;
    if (!strcmp(t, "XSRCx")) return i % 4 == 1;
    return false;
}

/* YYYYMMDD as a number; 0 undated; month-only dates end in 00 */
static unsigned ms_date(int i)
{
    if (i % 11 == 0)
        return 0;
    unsigned y = 2010 + (unsigned)i % 10, m = 1 + (unsigned)i % 12;
    return i % 13 == 0 ? y * 10000 + m * 100 : y * 10000 + m * 100 + 1 + (unsigned)i % 28;
}

static bool ms_live(int i) { return i < 1000 || i >= 2100; }

static uint32_t ms_rand(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 16;
}

static att_qnode *ms_word(uint32_t *s)
{
    const char *t = MS_TERMS[ms_rand(s) % 6];
    return att_qnode_term(ATT_Q_TERM, t, strlen(t), 0);
}

static att_qnode *ms_leaf(uint32_t *s)
{
    switch (ms_rand(s) % 8) {
    case 0:
        return att_qnode_term(ATT_Q_FILTER, "XSRCx", 5, 0);
    case 1: {
        att_qnode *r = att_qnode_new(ATT_Q_RANGE, 0);
        r->slot = ATT_SLOT_DATE;
        unsigned y1 = 2010 + ms_rand(s) % 10, y2 = y1 + ms_rand(s) % 4;
        unsigned open = ms_rand(s) % 4;
        if (open != 1)
            snprintf(r->lo, sizeof r->lo, "%04u%02u00", y1, 1 + ms_rand(s) % 12);
        if (open != 2)
            snprintf(r->hi, sizeof r->hi, "%04u1231", y2);
        return r;
    }
    case 2:
        if (ms_rand(s) % 4 == 0)
            return att_qnode_new(ATT_Q_MATCH_ALL, 0);
        /* fall through */
    default:
        return ms_word(s);
    }
}

static att_qnode *ms_tree(uint32_t *s, int depth)
{
    if (depth == 0 || ms_rand(s) % 4 == 0)
        return ms_leaf(s);
    static const att_qkind kinds[] = {ATT_Q_AND,     ATT_Q_OR,        ATT_Q_AND_NOT,
                                      ATT_Q_AND_MAYBE, ATT_Q_SYNONYM, ATT_Q_WILDCARD};
    att_qkind k = kinds[ms_rand(s) % 6];
    att_qnode *q = k == ATT_Q_WILDCARD ? att_qnode_term(ATT_Q_WILDCARD, "x", 1, 0)
                                       : att_qnode_new(k, 0);
    cr_assert_not_null(q);
    size_t n = k == ATT_Q_AND_NOT || k == ATT_Q_AND_MAYBE ? 2
               : k == ATT_Q_WILDCARD                      ? ms_rand(s) % 3 /* 0: no word */
                                                          : 2 + ms_rand(s) % 2;
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(att_qnode_add(q, k == ATT_Q_SYNONYM || k == ATT_Q_WILDCARD
                                          ? ms_word(s) /* words only, as built */
                                          : ms_tree(s, depth - 1)),
                     ATT_OK);
    return q;
}

static bool ms_eval(const att_qnode *q, int i)
{
    switch (q->kind) {
    case ATT_Q_TERM:
    case ATT_Q_FILTER:
        return ms_has(i, q->term);
    case ATT_Q_MATCH_ALL:
        return true;
    case ATT_Q_AND:
        for (size_t k = 0; k < q->n_kids; k++)
            if (!ms_eval(q->kids[k], i))
                return false;
        return q->n_kids > 0;
    case ATT_Q_OR:
    case ATT_Q_SYNONYM:
    case ATT_Q_WILDCARD:
        for (size_t k = 0; k < q->n_kids; k++)
            if (ms_eval(q->kids[k], i))
                return true;
        return false;
    case ATT_Q_AND_NOT:
        return ms_eval(q->kids[0], i) && !ms_eval(q->kids[1], i);
    case ATT_Q_AND_MAYBE:
        return ms_eval(q->kids[0], i);
    case ATT_Q_RANGE: {
        unsigned d = ms_date(i);
        unsigned lo = q->lo[0] ? (unsigned)atoi(q->lo) : 0;
        unsigned hi = q->hi[0] ? (unsigned)atoi(q->hi) : UINT32_MAX;
        return d && d >= lo && d <= hi;
    }
    default:
        cr_assert_fail("kind %d", q->kind);
    }
    return false;
}

/* An AND (as Xapian reads it) with an empty alternative matches nothing;
 * so does ms_eval(): any() of nothing is false. */
Test(facets, match_set_walk_is_the_trees_matches)
{
    tmpdir_make(dir, "unit-facets");
    tmpdir_path(db, dir, "db");
    att_shim_db *h = NULL;
    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_WRITE | ATT_OPEN_CREATE), ATT_OK);
    for (int i = 0; i < MS_N; i++) {
        att_shim_doc *d = NULL;
        cr_assert_eq(att_shim_doc_new(&d), ATT_OK);
        char id[32], date[16];
        snprintf(id, sizeof id, "m%d", i);
        uint32_t pos = 1;
        for (size_t t = 0; t < 6; t++)
            if (ms_has(i, MS_TERMS[t]))
                cr_assert_eq(att_shim_doc_posting(d, MS_TERMS[t], strlen(MS_TERMS[t]),
                                                  pos++, 1),
                             ATT_OK);
        cr_assert_eq(att_shim_doc_posting(d, "filler", 6, pos, 1), ATT_OK);
        if (ms_has(i, "XSRCx"))
            cr_assert_eq(att_shim_doc_boolean(d, "XSRCx", 5), ATT_OK);
        const char *recs = "ss1\tSource 1\n";
        cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_FACETS, recs, strlen(recs)), ATT_OK);
        if (ms_date(i)) {
            snprintf(date, sizeof date, "%08u", ms_date(i));
            cr_assert_eq(att_shim_doc_value(d, ATT_SLOT_DATE, date, 8), ATT_OK);
        }
        put_doc(h, d, id, NULL, "filler");
    }
    cr_assert_eq(att_shim_commit(h), ATT_OK);
    for (int i = 0; i < MS_N; i++)
        if (!ms_live(i))
            delete_doc(h, "m", i);
    cr_assert_eq(att_shim_commit(h), ATT_OK);
    att_shim_close(h);

    cr_assert_eq(att_shim_open(&h, db, ATT_OPEN_READ), ATT_OK);
    uint32_t seed = 20261123;
    static bool want[MS_N], got[MS_N];
    size_t nonempty = 0;
    for (int t = 0; t < 300; t++) {
        att_qnode *q = ms_tree(&seed, 3);
        uint64_t n = 0, years[10] = {0};
        for (int i = 0; i < MS_N; i++) {
            want[i] = ms_live(i) && ms_eval(q, i);
            got[i] = false;
            if (want[i]) {
                n++;
                if (ms_date(i))
                    years[ms_date(i) / 10000 - 2010]++;
            }
        }
        nonempty += n > 0;
        att_shim_query_opts o;
        memset(&o, 0, sizeof o);
        o.k1 = o.b = -1;
        o.collapse_slot = ATT_NO_SLOT;
        o.date_unit = ATT_DATE_YEAR;
        /* Xapian's matcher */
        o.limit = MS_N;
        att_shim_result r;
        memset(&r, 0, sizeof r);
        cr_assert_eq(att_shim_search(h, q, &o, &r), ATT_OK, "%s", att_last_error());
        for (size_t k = 0; k < r.n_hits; k++) {
            att_article *a = NULL;
            cr_assert_eq(att_record_decode(r.hits[k].data, r.hits[k].data_len, &a), ATT_OK);
            got[atoi(a->id + 1)] = true;
            att_article_free(a);
        }
        for (int i = 0; i < MS_N; i++)
            cr_assert_eq(got[i], want[i], "tree %d, article %d: Xapian %d, the tree %d", t,
                         i, got[i], want[i]);
        att_shim_result_clear(&r);
        /* the count, from the walk */
        o.limit = 1;
        o.facets = 10;
        memset(&r, 0, sizeof r);
        cr_assert_eq(att_shim_search(h, q, &o, &r), ATT_OK, "%s", att_last_error());
        cr_assert_eq(r.total, n, "tree %d: counted %llu, want %llu", t,
                     (unsigned long long)r.total, (unsigned long long)n);
        char hist[512] = "";
        size_t len = 0;
        for (int y = 0; y < 10; y++)
            if (years[y])
                len += (size_t)snprintf(hist + len, sizeof hist - len, "%s%d:%llu",
                                        len ? "," : "", 2010 + y,
                                        (unsigned long long)years[y]);
        cr_assert_str_eq(list(&r, ATT_FACET_DATE, false), hist, "tree %d", t);
        att_shim_result_clear(&r);
        att_qnode_free(q);
    }
    cr_assert_gt(nonempty, 150, "the trees must match something: %zu", nonempty);
    att_shim_close(h);
    done();
}
