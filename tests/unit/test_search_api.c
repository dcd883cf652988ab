/* test_search_api.c: att_search()'s options and results through the public
 * API on a real index: option versions, the OR default, BM25 parameters,
 * wildcards, date ranges, sorting and the "did you mean" suggestion. */
#include "helpers.h"

static char dir[64], db[4096];

static att_index *fixture(void)
{
    tmpdir_make(dir, "unit-sa");
    tmpdir_path(db, dir, "db");
    att_index *ix = th_open_writer(db);
    th_put(ix, "a", "Negotiators meet", "Negotiators met in Doha to discuss a ceasefire.",
           "2024-10-05");
    th_put(ix, "b", "Talks in Istanbul", "The negotiations ended without a ceasefire.",
           "2025-10-15");
    th_put(ix, "c", "Trade figures", "Exports rose, the trade ministry said.", "2026-06");
    th_commit(ix);
    return ix;
}

static void done(att_index *ix)
{
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

static uint64_t total(att_index *ix, const char *q, const att_search_options *o)
{
    att_results *r = th_search(ix, q, o);
    uint64_t n = att_results_total(r, NULL);
    att_results_free(r);
    return n;
}

Test(search_api, version_1_options_still_work)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.version = 1; /* a caller built against the first header */
    o.default_op = (att_default_op)12345; /* fields it does not have */
    o.bm25_k1 = 1e9;
    cr_assert_eq(total(ix, "ceasefire exports", &o), 0, "AND, as in version 1");
    o.version = 7;
    att_results *r = NULL;
    cr_assert_eq(att_search(&r, ix, "ceasefire", &o), ATT_INVALID);
    cr_assert_null(r);
    done(ix);
}

Test(search_api, bad_options_are_invalid)
{
    att_index *ix = fixture();
    att_results *r = NULL;
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.default_op = (att_default_op)3;
    cr_assert_eq(att_search(&r, ix, "ceasefire", &o), ATT_INVALID);
    o = (att_search_options)ATT_SEARCH_OPTIONS_INIT;
    o.bm25_b = 1.5;
    cr_assert_eq(att_search(&r, ix, "ceasefire", &o), ATT_INVALID);
    cr_assert_null(r);
    done(ix);
}

Test(search_api, or_default)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.default_op = ATT_DEFAULT_OR;
    cr_assert_eq(total(ix, "ceasefire exports", &o), 3);
    cr_assert_eq(total(ix, "ceasefire exports", NULL), 0);
    done(ix);
}

Test(search_api, bm25_parameters_change_scores)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    att_results *r1 = th_search(ix, "negotiators", &o);
    o.bm25_k1 = 2.0;
    o.bm25_b = 1.0;
    att_results *r2 = th_search(ix, "negotiators", &o);
    cr_assert_eq(att_results_count(r1), 2); /* negotiators and negotiations */
    cr_assert_eq(att_results_count(r2), 2);
    cr_assert_neq(att_results_hit(r1, 0)->score, att_results_hit(r2, 0)->score);
    o.bm25_k1 = 0; /* k1 = 0: term frequency ignored, still a valid ranking */
    att_results *r3 = th_search(ix, "negotiators", &o);
    cr_assert_gt(att_results_hit(r3, 0)->score, 0);
    att_results_free(r1);
    att_results_free(r2);
    att_results_free(r3);
    done(ix);
}

Test(search_api, wildcard_expands_through_vocabulary)
{
    att_index *ix = fixture();
    cr_assert_eq(total(ix, "negotiat*", NULL), 2);
    att_results *r = th_search(ix, "negotiat*", NULL);
    /* every highlighted word starts with the letters typed */
    for (size_t i = 0; i < att_results_count(r); i++) {
        const att_hit *h = att_results_hit(r, i);
        cr_assert_geq(h->n_snippets, 1);
        const att_snippet *s = &h->snippets[0];
        cr_assert_geq(s->n_highlights, 1);
        for (size_t k = 0; k < s->n_highlights; k++)
            cr_assert_eq(strncasecmp(s->text + s->highlights[k].start, "negotiat", 8), 0,
                         "%.*s", (int)(s->highlights[k].end - s->highlights[k].start),
                         s->text + s->highlights[k].start);
    }
    att_results_free(r);
    cr_assert_eq(total(ix, "zzzyyy*", NULL), 0);
    done(ix);
}

Test(search_api, vocabulary_survives_reopen)
{
    att_index *ix = fixture();
    att_index_close(ix);
    ix = th_open_reader(db);
    cr_assert_eq(total(ix, "ceasef*", NULL), 2);
    done(ix);
}

Test(search_api, dates_and_sort)
{
    att_index *ix = fixture();
    cr_assert_eq(total(ix, "date:2024..2025", NULL), 2);
    cr_assert_eq(total(ix, "date:2026-06", NULL), 1);
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.sort = ATT_SORT_DATE;
    att_results *r = th_search(ix, "date:..2026", &o);
    cr_assert_eq(att_results_count(r), 3);
    cr_assert_str_eq(att_results_hit(r, 0)->id, "c");
    cr_assert_str_eq(att_results_hit(r, 1)->id, "b");
    cr_assert_str_eq(att_results_hit(r, 2)->id, "a");
    att_results_free(r);
    done(ix);
}

Test(search_api, suggestion)
{
    att_index *ix = fixture();
    att_results *r = th_search(ix, "cesefire", NULL);
    cr_assert_eq(att_results_total(r, NULL), 0);
    cr_assert_str_eq(att_results_suggestion(r), "ceasefire");
    att_results_free(r);
    /* asked not to look */
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.flags = ATT_SEARCH_NO_SUGGESTION;
    r = th_search(ix, "cesefire", &o);
    cr_assert_null(att_results_suggestion(r));
    att_results_free(r);
    /* a word that finds articles is not "corrected" */
    r = th_search(ix, "exports", NULL);
    cr_assert_null(att_results_suggestion(r));
    att_results_free(r);
    cr_assert_null(att_results_suggestion(NULL));
    /* every misspelt word, in the query's order, whatever the tree's */
    att_search_options any = ATT_SEARCH_OPTIONS_INIT;
    any.default_op = ATT_DEFAULT_OR;
    r = th_search(ix, "cesefire +istanbol", &any);
    cr_assert_str_eq(att_results_suggestion(r), "ceasefire +istanbul");
    att_results_free(r);
    done(ix);
}

/* The words of batches committed since the last vocabulary merge wait in
 * the index metadata; a writer killed before closing loses none of them. */
Test(search_api, vocabulary_survives_a_crash)
{
    tmpdir_make(dir, "unit-sa");
    tmpdir_path(db, dir, "db");
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        att_index *w = NULL;
        if (att_index_open(&w, db, ATT_OPEN_WRITE | ATT_OPEN_CREATE))
            _exit(2);
        att_article a = ATT_ARTICLE_INIT;
        a.id = "x";
        a.title = "Zanzibar";
        a.body = "Quokkas were counted on the island.";
        if (att_index_put(w, &a) || att_index_commit(w))
            _exit(3);
        _exit(0); /* no close: as if killed after the commit */
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d", status);
    att_index *ix = th_open_reader(db);
    /* a reader sees the articles; the words are merged by the next writer */
    cr_assert_eq(total(ix, "quokkas", NULL), 1);
    att_index_close(ix);
    ix = th_open_writer(db);
    att_index_close(ix);
    ix = th_open_reader(db);
    cr_assert_eq(total(ix, "quok*", NULL), 1);
    cr_assert_eq(total(ix, "zanz*", NULL), 1);
    done(ix);
}
