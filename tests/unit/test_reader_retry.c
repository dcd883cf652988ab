/* test_reader_retry.c: a reader whose revision a writer has recycled.
 *
 * A read-only handle reads the revision it opened (or last reopened).  A
 * writer that commits twice more may reuse that revision's blocks, and
 * Xapian then throws DatabaseModifiedError at the reader (a raw-Xapian
 * program doing what this test does gets it from the second commit on).
 * Every read path of the library must reopen and redo its work on the
 * newest revision, a bounded number of times: the search with its facets
 * pass and the records its snippets are cut from, fetching an article,
 * and the statistics.  The writer here rewrites every article in each of
 * 30 commits and adds one in the last: a reader that retried sees it. */
#include "helpers.h"

static char dir[64], db[4096];

/* Article i's body in round `round`: 200 words out of 500, shifted each
 * round so that every posting list changes. */
static void put_round(att_index *w, int i, int round)
{
    char id[16], body[2400];
    size_t len = 0;
    snprintf(id, sizeof id, "a%d", i);
    for (int k = 0; k < 200; k++)
        len += (size_t)snprintf(body + len, sizeof body - len, "w%d ",
                                (i * 13 + k + round) % 500);
    th_put(w, id, "common title", body, "2024-10-05");
}

static att_index *stale_reader(att_index **writer)
{
    tmpdir_make(dir, "unit-rr");
    tmpdir_path(db, dir, "db");
    att_index *w = th_open_writer(db);
    for (int i = 0; i < 50; i++)
        put_round(w, i, 0);
    th_commit(w);
    att_index *r = th_open_reader(db);
    for (int round = 1; round <= 30; round++) {
        for (int i = 0; i < 50; i++)
            put_round(w, i, round);
        if (round == 30)
            th_put(w, "marker", "common title", "A fresh article.", "2025-01-02");
        th_commit(w);
    }
    *writer = w;
    return r;
}

Test(reader_retry, search_with_facets_and_snippets)
{
    att_index *w, *r = stale_reader(&w);
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.facets = 10;
    o.flags = ATT_SEARCH_ALL_COPIES;
    o.limit = 60;
    att_results *res = th_search(r, "common", &o);
    int exact = 0;
    cr_assert_eq(att_results_total(res, &exact), 51,
                 "the search did not move to the newest revision");
    cr_assert(exact);
    cr_assert_eq(att_results_count(res), 51);
    bool marker = false;
    for (size_t i = 0; i < att_results_count(res); i++) {
        const att_hit *h = att_results_hit(res, i);
        marker |= strcmp(h->id, "marker") == 0;
        cr_assert_not_null(h->title);
    }
    cr_assert(marker);
    size_t n = 0;
    att_results_facet(res, ATT_FACET_DATE, &n);
    cr_assert_gt(n, 0);
    att_results_free(res);
    att_index_close(r);
    att_index_close(w);
    tmpdir_rm_rf(dir);
}

Test(reader_retry, statistics)
{
    att_index *w, *r = stale_reader(&w);
    att_index_info info = ATT_INDEX_INFO_INIT;
    cr_assert_eq(att_index_stats(&info, r), ATT_OK, "%s", att_last_error());
    cr_assert_eq(info.articles, 51, "the statistics stayed on the old revision");
    cr_assert_str_eq(info.last_date, "2025-01-02");
    cr_assert_eq(info.dated, 51);
    att_index_close(r);
    att_index_close(w);
    tmpdir_rm_rf(dir);
}

Test(reader_retry, get_article)
{
    att_index *w, *r = stale_reader(&w);
    att_article *a = NULL;
    cr_assert_eq(att_index_get(&a, r, "a7"), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(a->title, "common title");
    att_article_free(a);
    att_index_close(r);
    att_index_close(w);
    tmpdir_rm_rf(dir);
}

/* The statistics' API itself: versions and figures on a small index. */
Test(reader_retry, stats_api)
{
    tmpdir_make(dir, "unit-rr");
    tmpdir_path(db, dir, "db");
    att_index *w = th_open_writer(db);
    att_index_info info = ATT_INDEX_INFO_INIT;
    cr_assert_eq(att_index_stats(NULL, w), ATT_INVALID);
    cr_assert_eq(att_index_stats(&info, NULL), ATT_INVALID);
    info.version = 99;
    cr_assert_eq(att_index_stats(&info, w), ATT_INVALID);
    info.version = ATT_INDEX_INFO_VERSION;
    cr_assert_eq(att_index_stats(&info, w), ATT_OK, "%s", att_last_error());
    cr_assert_eq(info.articles, 0);
    cr_assert_eq(info.last_commit_estimated, 1, "no article was ever committed");
    cr_assert_str_eq(info.first_date, "");
    th_put(w, "x", "Ceasefire", "Talks in Doha.", "2024-09");
    th_put(w, "y", "Trade", "Tariffs and trade.", "2023");
    th_commit(w);
    cr_assert_eq(att_index_stats(&info, w), ATT_OK, "%s", att_last_error());
    cr_assert_eq(info.articles, 2);
    cr_assert_str_eq(info.first_date, "2023");
    cr_assert_str_eq(info.last_date, "2024-09");
    cr_assert_eq(info.last_commit_estimated, 0);
    cr_assert_gt(info.size_bytes, 0);
    cr_assert_str_eq(info.schema, "5");
    cr_assert_eq(info.entities, 1);
    /* Deleting the latest article: the range shrinks, although Xapian's
     * bound for the slot still says 2024-09. */
    cr_assert_eq(att_index_delete(w, "x"), ATT_OK);
    th_commit(w);
    cr_assert_eq(att_index_stats(&info, w), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(info.last_date, "2023");
    cr_assert_eq(info.dated, 1);
    att_index_close(w);
    tmpdir_rm_rf(dir);
}
