/* test_index.c: writing, reading and searching real indexes. */
#include "helpers.h"

static char dir[64], db[4096];

static att_index *fresh(void)
{
    tmpdir_make(dir, "unit");
    tmpdir_path(db, dir, "db");
    return th_open_writer(db);
}

static void done(att_index *ix)
{
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

Test(index, put_get_roundtrip)
{
    att_index *ix = fresh();
    att_article a = ATT_ARTICLE_INIT;
    a.id = "w/1";
    a.title = "Peace talks";
    a.body = "Delegates met in Doha.";
    a.date = "2024-03-04";
    a.source = "Reuters";
    a.url = "https://example.org/1";
    a.author = "A. Writer";
    a.language = "en";
    a.tags = "asia,talks";
    cr_assert_eq(att_index_put(ix, &a), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(att_index_path(ix), db);
    att_article *g = NULL;
    cr_assert_eq(att_index_get(&g, ix, "w/1"), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(g->id, "w/1");
    cr_assert_str_eq(g->title, "Peace talks");
    cr_assert_eq(g->title_len, 11);
    cr_assert_str_eq(g->body, "Delegates met in Doha.");
    cr_assert_eq(g->body_len, 22);
    cr_assert_str_eq(g->date, "2024-03-04");
    cr_assert_str_eq(g->source, "Reuters");
    cr_assert_str_eq(g->url, "https://example.org/1");
    cr_assert_str_eq(g->author, "A. Writer");
    cr_assert_str_eq(g->language, "en");
    cr_assert_str_eq(g->tags, "asia,talks");
    att_article_free(g);
    done(ix);
}

Test(index, replace_same_id)
{
    att_index *ix = fresh();
    th_put(ix, "same", "Old title", "old body words", NULL);
    th_put(ix, "same", "New title", "new body words", NULL);
    th_put(ix, "Same", "Case differs", "another article", NULL);
    cr_assert_eq(th_count(ix), 2);
    th_commit(ix);
    att_article *g = NULL;
    cr_assert_eq(att_index_get(&g, ix, "same"), ATT_OK);
    cr_assert_str_eq(g->title, "New title");
    att_article_free(g);
    att_results *r = th_search(ix, "old", NULL);
    cr_assert_eq(att_results_total(r, NULL), 0, "old terms are gone");
    att_results_free(r);
    done(ix);
}

Test(index, long_ids_distinct)
{
    att_index *ix = fresh();
    char a[1025], b[1025];
    memset(a, 'k', 1024);
    a[1024] = '\0';
    memcpy(b, a, sizeof a);
    b[1023] = 'z';
    th_put(ix, a, "A", "first", NULL);
    th_put(ix, b, "B", "second", NULL);
    cr_assert_eq(th_count(ix), 2);
    att_article *g = NULL;
    cr_assert_eq(att_index_get(&g, ix, b), ATT_OK);
    cr_assert_str_eq(g->title, "B");
    cr_assert_str_eq(g->id, b);
    att_article_free(g);
    done(ix);
}

Test(index, delete_article)
{
    att_index *ix = fresh();
    th_put(ix, "a", "Alpha", "words", NULL);
    th_put(ix, "b", "Beta", "words", NULL);
    th_commit(ix);
    cr_assert_eq(att_index_delete(ix, "a"), ATT_OK);
    cr_assert_eq(th_count(ix), 1);
    att_article *g = NULL;
    cr_assert_eq(att_index_get(&g, ix, "a"), ATT_NOT_FOUND);
    cr_assert_eq(att_index_delete(ix, "a"), ATT_NOT_FOUND);
    th_commit(ix);
    att_results *r = th_search(ix, "words", NULL);
    cr_assert_eq(att_results_total(r, NULL), 1);
    cr_assert_str_eq(att_results_hit(r, 0)->id, "b");
    att_results_free(r);
    done(ix);
}

Test(index, commit_visibility_and_reopen)
{
    att_index *w = fresh();
    th_put(w, "one", "One", "first article", NULL);
    th_commit(w);
    att_index *r = th_open_reader(db);
    cr_assert_eq(th_count(r), 1);
    th_put(w, "two", "Two", "second article", NULL);
    cr_assert_eq(th_count(w), 2, "writer sees its uncommitted change");
    cr_assert_eq(att_index_reopen(r), ATT_OK);
    cr_assert_eq(th_count(r), 1, "uncommitted change is invisible to readers");
    th_commit(w);
    cr_assert_eq(th_count(r), 1, "reader keeps its snapshot until reopen");
    cr_assert_eq(att_index_reopen(r), ATT_OK);
    cr_assert_eq(th_count(r), 2);
    att_article *g = NULL;
    cr_assert_eq(att_index_get(&g, r, "two"), ATT_OK);
    att_article_free(g);
    cr_assert_eq(att_index_reopen(w), ATT_OK, "no-op on a writer");
    att_index_close(r);
    done(w);
}

Test(index, close_without_commit_discards)
{
    att_index *w = fresh();
    th_put(w, "kept", "Kept", "committed", NULL);
    th_commit(w);
    th_put(w, "lost", "Lost", "never committed", NULL);
    att_index_close(w);
    w = th_open_writer(db);
    cr_assert_eq(th_count(w), 1);
    att_article *g = NULL;
    cr_assert_eq(att_index_get(&g, w, "lost"), ATT_NOT_FOUND);
    done(w);
}

/* Ten articles with distinct dates; "common" is in all of them. */
static att_index *ten(void)
{
    att_index *ix = fresh();
    for (int i = 0; i < 10; i++) {
        char id[16], date[16], body[128];
        snprintf(id, sizeof id, "d%d", i);
        snprintf(date, sizeof date, "20%02d-01-15", 10 + (i * 7) % 10);
        snprintf(body, sizeof body, "common text %s", i % 2 ? "odd" : "even");
        th_put(ix, id, "Title", body, date);
    }
    th_commit(ix);
    return ix;
}

Test(index, paging_stable_and_disjoint)
{
    att_index *ix = ten();
    char seen[10] = {0};
    for (size_t off = 0; off < 10; off += 3) {
        att_search_options o = ATT_SEARCH_OPTIONS_INIT;
        o.offset = off;
        o.limit = 3;
        att_results *r = th_search(ix, "common", &o);
        int exact = 0;
        cr_assert_eq(att_results_total(r, &exact), 10);
        cr_assert_eq(exact, 1);
        size_t want = off + 3 <= 10 ? 3 : 10 - off;
        cr_assert_eq(att_results_count(r), want);
        for (size_t i = 0; i < att_results_count(r); i++) {
            const att_hit *h = att_results_hit(r, i);
            cr_assert_eq(h->rank, off + i + 1);
            int k = h->id[1] - '0';
            cr_assert_eq(seen[k], 0, "hit %s on two pages", h->id);
            seen[k] = 1;
        }
        cr_assert_null(att_results_hit(r, att_results_count(r)));
        att_results_free(r);
    }
    for (int k = 0; k < 10; k++)
        cr_assert_eq(seen[k], 1, "d%d never shown", k);
    done(ix);
}

Test(index, limit_zero_counts_only)
{
    att_index *ix = ten();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.limit = 0;
    att_results *r = th_search(ix, "odd", &o);
    cr_assert_eq(att_results_count(r), 0);
    cr_assert_eq(att_results_total(r, NULL), 5);
    cr_assert_str_eq(att_results_query(r), "odd");
    att_results_free(r);
    done(ix);
}

Test(index, sort_by_date_newest_first)
{
    att_index *ix = ten();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.sort = ATT_SORT_DATE;
    o.limit = 10;
    att_results *r = th_search(ix, "common", &o);
    cr_assert_eq(att_results_count(r), 10);
    for (size_t i = 1; i < 10; i++) {
        const att_hit *p = att_results_hit(r, i - 1), *h = att_results_hit(r, i);
        cr_assert_not_null(h->date);
        cr_assert_gt(strcmp(p->date, h->date), 0, "%s before %s", p->date, h->date);
    }
    cr_assert_str_eq(att_results_hit(r, 0)->date, "2019-01-15");
    att_results_free(r);
    done(ix);
}

Test(index, boolean_queries_on_index)
{
    att_index *ix = ten();
    att_results *r = th_search(ix, "common -odd", NULL);
    cr_assert_eq(att_results_total(r, NULL), 5);
    att_results_free(r);
    r = th_search(ix, "NOT even", NULL);
    cr_assert_eq(att_results_total(r, NULL), 5);
    att_results_free(r);
    r = th_search(ix, "odd OR even", NULL);
    cr_assert_eq(att_results_total(r, NULL), 10);
    att_results_free(r);
    r = th_search(ix, "odd even", NULL);
    cr_assert_eq(att_results_total(r, NULL), 0);
    cr_assert_eq(att_results_count(r), 0);
    att_results_free(r);
    r = th_search(ix, "id:d3", NULL);
    cr_assert_eq(att_results_total(r, NULL), 1);
    cr_assert_str_eq(att_results_hit(r, 0)->id, "d3");
    att_results_free(r);
    done(ix);
}

Test(index, hit_fields)
{
    att_index *ix = fresh();
    att_article a = ATT_ARTICLE_INIT;
    a.id = "h1";
    a.title = "Kabul Meeting";
    a.body = "Envoys met in Kabul.";
    a.date = "2025-10-30";
    a.source = "Associated Press";
    a.tags = "x,y";
    cr_assert_eq(att_index_put(ix, &a), ATT_OK);
    th_put(ix, "h2", "Other", "nothing relevant", NULL);
    th_commit(ix);
    att_results *r = th_search(ix, "kabul", NULL);
    cr_assert_eq(att_results_count(r), 1);
    const att_hit *h = att_results_hit(r, 0);
    cr_assert_eq(h->rank, 1);
    cr_assert_gt(h->score, 0.0);
    cr_assert_str_eq(h->id, "h1");
    cr_assert_str_eq(h->title, "Kabul Meeting");
    cr_assert_str_eq(h->date, "2025-10-30");
    cr_assert_str_eq(h->source, "Associated Press");
    cr_assert_str_eq(h->tags, "x,y");
    cr_assert_null(h->url);
    cr_assert_null(h->author);
    att_results_free(r);
    r = th_search(ix, "source:\"associated press\"", NULL);
    cr_assert_eq(att_results_total(r, NULL), 1);
    att_results_free(r);
    r = th_search(ix, "title:envoys", NULL);
    cr_assert_eq(att_results_total(r, NULL), 0, "title: only matches the title");
    att_results_free(r);
    done(ix);
}

Test(index, results_outlive_index)
{
    att_index *ix = fresh();
    th_put(ix, "o", "Outlive", "results borrow nothing", NULL);
    th_commit(ix);
    att_results *r = th_search(ix, "borrow", NULL);
    done(ix);
    cr_assert_eq(att_results_count(r), 1);
    cr_assert_str_eq(att_results_hit(r, 0)->id, "o");
    cr_assert_str_eq(att_results_query(r), "borrow");
    att_results_free(r);
}

/* Asserts the general snippet invariants and returns the highlighted
 * words joined by '|' into out. */
static void check_snippet(const att_snippet *s, char *out, size_t cap)
{
    out[0] = '\0';
    cr_assert_not_null(s->text);
    cr_assert_eq(strlen(s->text), s->len);
    size_t prev = 0;
    for (size_t i = 0; i < s->n_highlights; i++) {
        att_range g = s->highlights[i];
        cr_assert_lt(g.start, g.end);
        cr_assert_leq(g.end, s->len);
        cr_assert_geq(g.start, prev, "highlights in order, not overlapping");
        prev = g.end;
        cr_assert_neq((unsigned char)s->text[g.start] & 0xC0, 0x80,
                      "highlight starts inside a UTF-8 sequence");
        if (g.end < s->len)
            cr_assert_neq((unsigned char)s->text[g.end] & 0xC0, 0x80,
                          "highlight ends inside a UTF-8 sequence");
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%.*s", i ? "|" : "", (int)(g.end - g.start),
                 s->text + g.start);
    }
}

static const att_hit *one_hit(att_results *r)
{
    cr_assert_eq(att_results_count(r), 1);
    const att_hit *h = att_results_hit(r, 0);
    cr_assert_geq(h->n_snippets, 1);
    return h;
}

Test(index, snippet_highlights_exact_words)
{
    att_index *ix = fresh();
    th_put(ix, "s", "Summit", "Peace talks resumed. The talks were long.", NULL);
    th_commit(ix);
    att_results *r = th_search(ix, "talks", NULL);
    const att_hit *h = one_hit(r);
    char hl[512];
    check_snippet(&h->snippets[0], hl, sizeof hl);
    cr_assert_str_eq(hl, "talks|talks");
    cr_assert_str_eq(h->snippets[0].text, "Peace talks resumed. The talks were long.");
    cr_assert_eq(h->snippets[0].highlights[0].start, 6);
    cr_assert_eq(h->snippets[0].highlights[1].start, 25);
    cr_assert_eq(h->snippets[0].offset, 0);
    cr_assert(h->snippets[0].at_start);
    cr_assert(h->snippets[0].at_end);
    att_results_free(r);
    /* A stemmed match highlights the word as written. */
    r = th_search(ix, "talking", NULL);
    h = one_hit(r);
    check_snippet(&h->snippets[0], hl, sizeof hl);
    cr_assert_str_eq(hl, "talks|talks");
    att_results_free(r);
    done(ix);
}

Test(index, snippet_multibyte_boundaries)
{
    att_index *ix = fresh();
    th_put(ix, "m", "T\xc3\xbcrkiye", "In \xc4\xb0stanbul, T\xc3\xbcrkiye\xe2\x80\x99s envoy met "
           "Pakistan\xe2\x80\x99s minister \xe2\x80\x94 \xc3\xa9l\xc3\xa8ve.", NULL);
    th_commit(ix);
    att_results *r = th_search(ix, "turkiye OR t\xc3\xbcrkiye OR pakistan OR \xc4\xb0stanbul", NULL);
    const att_hit *h = one_hit(r);
    char hl[512];
    check_snippet(&h->snippets[0], hl, sizeof hl);
    cr_assert_str_eq(hl, "\xc4\xb0stanbul|T\xc3\xbcrkiye\xe2\x80\x99s|Pakistan\xe2\x80\x99s");
    att_results_free(r);
    done(ix);
}

Test(index, phrase_highlighted_as_unit)
{
    att_index *ix = fresh();
    th_put(ix, "p", "War", "The open market. Talk of open war grew. The war ended.", NULL);
    th_commit(ix);
    att_results *r = th_search(ix, "\"open war\"", NULL);
    const att_hit *h = one_hit(r);
    char hl[512];
    check_snippet(&h->snippets[0], hl, sizeof hl);
    cr_assert_str_eq(hl, "open war", "only the phrase, as one range: %s", hl);
    att_results_free(r);
    done(ix);
}

Test(index, negated_words_not_highlighted)
{
    att_index *ix = fresh();
    th_put(ix, "n", "N", "Kabul talks without Doha mention.", NULL);
    th_commit(ix);
    att_results *r = th_search(ix, "talks -islamabad", NULL);
    const att_hit *h = one_hit(r);
    char hl[512];
    check_snippet(&h->snippets[0], hl, sizeof hl);
    cr_assert_str_eq(hl, "talks");
    att_results_free(r);
    done(ix);
}

Test(index, title_snippet)
{
    att_index *ix = fresh();
    th_put(ix, "t", "Ceasefire Talks in Istanbul", "Body about the ceasefire.", NULL);
    th_commit(ix);
    att_results *r = th_search(ix, "istanbul", NULL);
    const att_hit *h = att_results_hit(r, 0);
    cr_assert_not_null(h);
    cr_assert_not_null(h->title_snippet);
    char hl[512];
    check_snippet(h->title_snippet, hl, sizeof hl);
    cr_assert_str_eq(h->title_snippet->text, "Ceasefire Talks in Istanbul");
    cr_assert_str_eq(hl, "Istanbul");
    cr_assert_eq(h->title_snippet->highlights[0].start, 19);
    att_results_free(r);
    done(ix);
}

Test(index, long_body_fragments)
{
    att_index *ix = fresh();
    char body[8000] = "";
    for (int i = 0; i < 60; i++)
        strcat(body, "Filler sentence about nothing much at all. ");
    strcat(body, "The treaty was signed. ");
    for (int i = 0; i < 60; i++)
        strcat(body, "More filler words follow here again. ");
    th_put(ix, "l", "Long", body, NULL);
    th_commit(ix);
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.snippet_bytes = 100;
    att_results *r = th_search(ix, "treaty", &o);
    const att_hit *h = one_hit(r);
    const att_snippet *s = &h->snippets[0];
    char hl[512];
    check_snippet(s, hl, sizeof hl);
    cr_assert_str_eq(hl, "treaty");
    cr_assert_lt(s->len, 400, "fragment near the target length");
    cr_assert(!s->at_start);
    cr_assert(!s->at_end);
    cr_assert_eq(memcmp(body + s->offset, s->text, s->len), 0,
                 "exact slice of the original at its offset");
    att_results_free(r);
    o.snippets = 0;
    r = th_search(ix, "treaty", &o);
    cr_assert_eq(att_results_hit(r, 0)->n_snippets, 0);
    att_results_free(r);
    done(ix);
}

/* Two fragments for "istanbul ceasefire" where Istanbul is the rarer word
 * and appears twice early on: the second fragment must show the ceasefire
 * rather than Istanbul again. */
Test(index, fragments_prefer_words_not_yet_shown)
{
    att_index *ix = fresh();
    char body[8000] = "Talks opened in Istanbul. Delegates in Istanbul met. ";
    for (int i = 0; i < 12; i++)
        strcat(body, "Filler sentence about nothing much at all. ");
    strcat(body, "A ceasefire was agreed. ");
    for (int i = 0; i < 12; i++)
        strcat(body, "More filler words follow here again. ");
    strcat(body, "Back in Istanbul, the press waited.");
    th_put(ix, "d", "Diversity", body, NULL);
    /* Make "ceasefire" commoner than "istanbul" across the index. */
    th_put(ix, "c1", "Other", "ceasefire news", NULL);
    th_put(ix, "o1", "Other", "unrelated news", NULL);
    th_put(ix, "o2", "Other", "unrelated news again", NULL);
    th_put(ix, "o3", "Other", "more unrelated news", NULL);
    th_commit(ix);
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.snippets = 2;
    o.snippet_bytes = 80;
    att_results *r = th_search(ix, "istanbul ceasefire", &o);
    cr_assert_eq(att_results_count(r), 1);
    const att_hit *h = att_results_hit(r, 0);
    cr_assert_eq(h->n_snippets, 2);
    char a[512], b[512];
    check_snippet(&h->snippets[0], a, sizeof a);
    check_snippet(&h->snippets[1], b, sizeof b);
    cr_assert_str_eq(a, "Istanbul|Istanbul", "best fragment: the rare word twice");
    cr_assert_str_eq(b, "ceasefire", "second fragment: the word not yet shown");
    att_results_free(r);
    done(ix);
}

static int count_events(void *ctx, att_ingest_event ev, const char *path,
                        const char *id, att_status st, const char *msg,
                        const att_ingest_stats *stats)
{
    (void)id;
    (void)stats;
    int *c = ctx;
    c[ev]++;
    if (ev == ATT_INGEST_SKIPPED) {
        cr_assert_neq(st, ATT_OK);
        cr_assert_not_null(msg);
        cr_assert_not_null(path);
        cr_assert_eq(strncmp(msg, path, strlen(path)), 0,
                     "a skip message starts with the path: %s", msg);
    }
    return 0;
}

Test(index, ingest_directory)
{
    att_index *ix = fresh();
    char in[4096], f[4096];
    tmpdir_path(in, dir, "in");
    cr_assert_eq(mkdir(in, 0700), 0);
    cr_assert_eq(mkdir(tmpdir_path(f, in, "sub"), 0700), 0);
    cr_assert_eq(mkdir(tmpdir_path(f, in, ".hidden"), 0700), 0);
    th_write_str(tmpdir_path(f, in, "a.txt"), "Alpha Title\nAlpha body ingest.\n");
    th_write_str(tmpdir_path(f, in, "b"), "Beta Title\nBeta body ingest.\n");
    th_write_str(tmpdir_path(f, in, "sub/c.text"), "Gamma\nGamma body ingest.\n");
    th_write(tmpdir_path(f, in, "bad.txt"), "Bad\n\0 body\n", 11);
    th_write_str(tmpdir_path(f, in, "empty.txt"), "");
    th_write_str(tmpdir_path(f, in, "image.png"), "not an article ingest");
    th_write_str(tmpdir_path(f, in, ".hidden/h.txt"), "Hidden\nhidden ingest\n");
    att_ingest_options o = ATT_INGEST_OPTIONS_INIT;
    int ev[3] = {0, 0, 0};
    o.callback = count_events;
    o.callback_ctx = ev;
    o.batch_size = 2;
    att_ingest_stats s;
    cr_assert_eq(att_ingest(ix, in, &o, &s), ATT_OK, "%s", att_last_error());
    cr_assert_eq(s.files, 5);
    cr_assert_eq(s.added, 3);
    cr_assert_eq(s.skipped, 2);
    cr_assert_eq(s.commits, 2);
    cr_assert_eq(ev[ATT_INGEST_ADDED], 3);
    cr_assert_eq(ev[ATT_INGEST_SKIPPED], 2);
    cr_assert_eq(ev[ATT_INGEST_COMMITTED], 2);
    cr_assert_gt(s.bytes, 0);
    att_article *g = NULL;
    const char *ids[] = {"a", "b", "sub/c"};
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(att_index_get(&g, ix, ids[i]), ATT_OK, "id %s", ids[i]);
        att_article_free(g);
    }
    cr_assert_eq(att_index_get(&g, ix, "bad"), ATT_NOT_FOUND);
    /* Committed: a reader sees it. */
    att_index *r = th_open_reader(db);
    cr_assert_eq(th_count(r), 3);
    att_index_close(r);
    /* Again: unchanged, so neither duplicated nor written again. */
    cr_assert_eq(att_ingest(ix, in, NULL, &s), ATT_OK);
    cr_assert_eq(s.added, 0);
    cr_assert_eq(s.unchanged, 3);
    cr_assert_eq(th_count(ix), 3);
    att_results *res = th_search(ix, "ingest", NULL);
    cr_assert_eq(att_results_total(res, NULL), 3);
    att_results_free(res);
    /* A single file: its name without extension. */
    cr_assert_eq(att_ingest(ix, tmpdir_path(f, in, "sub/c.text"), NULL, &s), ATT_OK);
    cr_assert_eq(att_index_get(&g, ix, "c"), ATT_OK);
    att_article_free(g);
    done(ix);
}

static int stop_first(void *ctx, att_ingest_event ev, const char *path,
                      const char *id, att_status st, const char *msg,
                      const att_ingest_stats *stats)
{
    (void)ctx; (void)path; (void)id; (void)st; (void)msg; (void)stats;
    return ev == ATT_INGEST_ADDED;
}

Test(index, ingest_callback_stop_commits)
{
    att_index *ix = fresh();
    char in[4096], f[4096];
    tmpdir_path(in, dir, "in");
    cr_assert_eq(mkdir(in, 0700), 0);
    th_write_str(tmpdir_path(f, in, "1.txt"), "One\nbody\n");
    th_write_str(tmpdir_path(f, in, "2.txt"), "Two\nbody\n");
    att_ingest_options o = ATT_INGEST_OPTIONS_INIT;
    o.callback = stop_first;
    att_ingest_stats s;
    cr_assert_eq(att_ingest(ix, in, &o, &s), ATT_OK);
    cr_assert_eq(s.added, 1);
    att_index *r = th_open_reader(db);
    cr_assert_eq(th_count(r), 1, "what was done is committed");
    att_index_close(r);
    done(ix);
}

/* Records every event as one line "event path id status", and stops the
 * run after `stop_after` additions if non-zero. */
typedef struct event_log {
    char buf[16384];
    size_t len;
    int stop_after;
    int added;
} event_log;

static int log_events(void *ctx, att_ingest_event ev, const char *path,
                      const char *id, att_status st, const char *msg,
                      const att_ingest_stats *stats)
{
    event_log *l = ctx;
    int n = snprintf(l->buf + l->len, sizeof l->buf - l->len,
                     "%d %s %s %d %s %llu/%llu/%llu\n", (int)ev,
                     path ? path : "-", id ? id : "-", (int)st, msg ? msg : "-",
                     (unsigned long long)stats->files,
                     (unsigned long long)stats->added,
                     (unsigned long long)stats->commits);
    cr_assert(n > 0 && (size_t)n < sizeof l->buf - l->len, "event log full");
    l->len += (size_t)n;
    if (ev == ATT_INGEST_ADDED && ++l->added == l->stop_after)
        return 1;
    return 0;
}

/* A tree with good, bad and empty articles in nested directories. */
static void make_tree(const char *in)
{
    char f[4096], name[64];
    cr_assert_eq(mkdir(in, 0700), 0);
    cr_assert_eq(mkdir(tmpdir_path(f, in, "sub"), 0700), 0);
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "%s%02d.txt", i % 3 ? "" : "sub/", i);
        char text[256];
        size_t n;
        if (i % 11 == 5) { /* binary: a NUL byte */
            n = (size_t)snprintf(text, sizeof text, "Bad %d\n@ body\n", i);
            *strchr(text, '@') = '\0';
        } else if (i % 13 == 7) {
            n = 0;
        } else if (i % 8 == 3) { /* Windows-1252, converted */
            n = (size_t)snprintf(text, sizeof text, "Title %d\nBody %d talks "
                                 "ceasefire caf\xe9 \x93word%d\x94 word%d.\n",
                                 i, i, i % 7, i % 5);
        } else {
            n = (size_t)snprintf(text, sizeof text, "Title %d\nBody %d talks "
                                 "ceasefire word%d word%d.\n", i, i, i % 7, i % 5);
        }
        th_write(tmpdir_path(f, in, name), text, n);
    }
}

/* The same tree ingested with 1, 2 and 5 jobs: same stats, same events in
 * the same order, same search results. */
Test(index, ingest_jobs_same_as_one_job)
{
    char in[4096];
    tmpdir_make(dir, "ix");
    tmpdir_path(in, dir, "in");
    make_tree(in);
    static event_log logs[3];
    att_ingest_stats stats[3];
    char scores[3][2048];
    const unsigned jobs[3] = {1, 2, 5};
    for (int k = 0; k < 3; k++) {
        char path[4096], name[32];
        snprintf(name, sizeof name, "db%u", jobs[k]);
        att_index *ix = NULL;
        cr_assert_eq(att_index_open(&ix, tmpdir_path(path, dir, name),
                                    ATT_OPEN_WRITE | ATT_OPEN_CREATE), ATT_OK);
        att_ingest_options o = ATT_INGEST_OPTIONS_INIT;
        o.jobs = jobs[k];
        o.batch_size = 3;
        o.callback = log_events;
        o.callback_ctx = &logs[k];
        cr_assert_eq(att_ingest(ix, in, &o, &stats[k]), ATT_OK, "%s", att_last_error());
        att_results *res = th_search(ix, "ceasefire OR word3", NULL);
        size_t len = 0;
        for (size_t h = 0; h < att_results_count(res); h++) {
            const att_hit *hit = att_results_hit(res, h);
            len += (size_t)snprintf(scores[k] + len, sizeof scores[k] - len,
                                    "%s %.6f;", hit->id, hit->score);
        }
        att_results_free(res);
        att_index_close(ix);
    }
    for (int k = 1; k < 3; k++) {
        cr_assert_eq(memcmp(&stats[k], &stats[0], sizeof stats[0]), 0,
                     "stats differ with %u jobs", jobs[k]);
        cr_assert_str_eq(logs[k].buf, logs[0].buf, "events differ with %u jobs", jobs[k]);
        cr_assert_str_eq(scores[k], scores[0], "results differ with %u jobs", jobs[k]);
    }
    cr_assert_eq(stats[0].skipped, 7); /* 4 binary, 3 empty */
    cr_assert_gt(stats[0].converted, 0, "the Windows-1252 files were converted");
    cr_assert_gt(stats[0].added, 30);
    tmpdir_rm_rf(dir);
}

/* Stopping from the callback with threads reading ahead indexes exactly
 * what a one-job run would have. */
Test(index, ingest_jobs_stop_same_as_one_job)
{
    char in[4096];
    tmpdir_make(dir, "ix");
    tmpdir_path(in, dir, "in");
    make_tree(in);
    for (unsigned j = 1; j <= 4; j++) {
        char path[4096], name[32];
        snprintf(name, sizeof name, "db%u", j);
        att_index *ix = NULL;
        cr_assert_eq(att_index_open(&ix, tmpdir_path(path, dir, name),
                                    ATT_OPEN_WRITE | ATT_OPEN_CREATE), ATT_OK);
        static event_log l;
        memset(&l, 0, sizeof l);
        l.stop_after = 9;
        att_ingest_options o = ATT_INGEST_OPTIONS_INIT;
        o.jobs = j;
        o.callback = log_events;
        o.callback_ctx = &l;
        att_ingest_stats s;
        cr_assert_eq(att_ingest(ix, in, &o, &s), ATT_OK);
        cr_assert_eq(s.added, 9, "jobs %u", j);
        cr_assert_eq(th_count(ix), 9, "jobs %u: what was done is committed", j);
        att_index_close(ix);
    }
    tmpdir_rm_rf(dir);
}

/* Callers built against version 1 of the options (without `jobs`) work. */
Test(index, ingest_options_version_1)
{
    att_index *ix = fresh();
    char in[4096];
    tmpdir_path(in, dir, "in");
    make_tree(in);
    struct {
        int version;
        size_t batch_size, max_file_size;
        att_ingest_callback callback;
        void *callback_ctx;
    } v1 = {1, 0, 0, NULL, NULL};
    att_ingest_stats s;
    cr_assert_eq(att_ingest(ix, in, (const att_ingest_options *)(void *)&v1, &s), ATT_OK);
    cr_assert_gt(s.added, 30);
    att_ingest_options bad = ATT_INGEST_OPTIONS_INIT;
    bad.version = ATT_INGEST_OPTIONS_VERSION + 1;
    cr_assert_eq(att_ingest(ix, in, &bad, &s), ATT_INVALID);
    bad.version = 0;
    cr_assert_eq(att_ingest(ix, in, &bad, &s), ATT_INVALID);
    done(ix);
}
