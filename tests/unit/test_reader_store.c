/* test_reader_store.c: what the readers' articles keep in the index:
 * every metadata field and the given entities go through att_index_put()
 * and come back from att_index_get() (article version 2); version 1
 * articles are still accepted; given entities become the same filter
 * terms as the entities found in the text; and att_ingest_stream() reads
 * any FILE*. */
#include "helpers.h"

static char dir[64], db[4096];

static att_index *fresh(void)
{
    tmpdir_make(dir, "store");
    tmpdir_path(db, dir, "db");
    return th_open_writer(db);
}

static uint64_t total(att_index *ix, const char *q)
{
    att_results *r = th_search(ix, q, NULL);
    uint64_t t = att_results_total(r, NULL);
    att_results_free(r);
    return t;
}

Test(store, every_field_round_trips)
{
    att_index *ix = fresh();
    att_article a = ATT_ARTICLE_INIT;
    a.id = "urn:x:1";
    a.title = "Truce extended";
    a.body = "The two sides extended the truce in Doha.";
    a.date = "2025-10-29";
    a.source = "The Associated Press";
    a.url = "https://example.org/1";
    a.author = "Ayesha Rahman";
    a.language = "en";
    a.tags = "Diplomacy, Armed conflict";
    a.people = "Amina Farooqui\nShehbaz Sharif";
    a.organisations = "Tehreek-e-Taliban Pakistan";
    a.places = "Kabul";
    cr_assert_eq(att_index_put(ix, &a), ATT_OK, "%s", att_last_error());
    th_commit(ix);
    att_article *g = NULL;
    cr_assert_eq(att_index_get(&g, ix, "urn:x:1"), ATT_OK);
    cr_assert_eq(g->version, ATT_ARTICLE_VERSION);
    cr_assert_str_eq(g->title, a.title);
    cr_assert_str_eq(g->body, a.body);
    cr_assert_str_eq(g->date, a.date);
    cr_assert_str_eq(g->source, a.source);
    cr_assert_str_eq(g->url, a.url);
    cr_assert_str_eq(g->author, a.author);
    cr_assert_str_eq(g->language, a.language);
    cr_assert_str_eq(g->tags, a.tags);
    cr_assert_str_eq(g->people, a.people);
    cr_assert_str_eq(g->organisations, a.organisations);
    cr_assert_str_eq(g->places, a.places);
    att_article_free(g);
    /* Given entities are filters, canonicalised: a slug for a name the
     * dictionary does not hold, the dictionary's entity for one it does
     * (under all its names), merged with the text's ("Doha"). */
    cr_assert_eq(total(ix, "person:\"Amina Farooqui\""), 1);
    cr_assert_eq(total(ix, "org:TTP"), 1);
    cr_assert_eq(total(ix, "place:kabul"), 1);
    cr_assert_eq(total(ix, "place:doha"), 1);
    /* Hits carry the metadata. */
    att_results *r = th_search(ix, "truce", NULL);
    const att_hit *h = att_results_hit(r, 0);
    cr_assert_not_null(h);
    cr_assert_str_eq(h->language, "en");
    cr_assert_str_eq(h->tags, "Diplomacy, Armed conflict");
    cr_assert_str_eq(h->author, "Ayesha Rahman");
    att_results_free(r);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

Test(store, version_1_articles_accepted)
{
    att_index *ix = fresh();
    /* A caller built against version 1: the struct ends at tags. */
    struct {
        int version;
        const char *id, *title;
        size_t title_len;
        const char *body;
        size_t body_len;
        const char *date, *source, *url, *author, *language, *tags;
    } v1 = {1, "old", "Old caller", (size_t)-1, "Talks in Kabul.", (size_t)-1,
            NULL, NULL, NULL, NULL, NULL, NULL};
    cr_assert_eq(att_index_put(ix, (const att_article *)(void *)&v1), ATT_OK, "%s",
                 att_last_error());
    th_commit(ix);
    att_article *g = NULL;
    cr_assert_eq(att_index_get(&g, ix, "old"), ATT_OK);
    cr_assert_null(g->people);
    cr_assert_str_eq(g->body, "Talks in Kabul.");
    att_article_free(g);
    att_article bad = ATT_ARTICLE_INIT;
    bad.id = "x";
    bad.version = 3;
    cr_assert_eq(att_index_put(ix, &bad), ATT_INVALID);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

static int count_events(void *ctx, att_ingest_event ev, const char *path,
                        const char *id, att_status st, const char *msg,
                        const att_ingest_stats *stats)
{
    (void)path; (void)id; (void)st; (void)msg; (void)stats;
    int *c = ctx;
    c[ev]++;
    return 0;
}

Test(store, ingest_from_a_stream_and_events)
{
    att_index *ix = fresh();
    static const char feed[] =
        "{\"id\": \"a\", \"body\": \"Envoys in Ankara.\"}\n"
        "{\"body\": \"No id here.\"}\n"
        "{broken\n";
    FILE *f = fmemopen((void *)feed, sizeof feed - 1, "r");
    cr_assert_not_null(f);
    att_ingest_options o = ATT_INGEST_OPTIONS_INIT;
    int ev[6] = {0};
    o.callback = count_events;
    o.callback_ctx = ev;
    o.jobs = 2;
    att_ingest_stats s;
    cr_assert_eq(att_ingest_stream(ix, f, "feed.jsonl", &o, &s), ATT_OK, "%s",
                 att_last_error());
    fclose(f);
    cr_assert_eq(s.files, 1);
    cr_assert_eq(s.added, 2);
    cr_assert_eq(s.skipped, 1);
    cr_assert_eq(s.skipped_by[ATT_SKIP_MALFORMED], 1);
    cr_assert_eq(ev[ATT_INGEST_ADDED], 2);
    cr_assert_eq(ev[ATT_INGEST_SKIPPED], 1);
    att_article *g = NULL;
    cr_assert_eq(att_index_get(&g, ix, "feed#2"), ATT_OK, "the stream's name, "
                 "without extension, and the line");
    att_article_free(g);
    /* Again: unchanged, and a version 3 caller sees no new events. */
    f = fmemopen((void *)feed, sizeof feed - 1, "r");
    memset(ev, 0, sizeof ev);
    cr_assert_eq(att_ingest_stream(ix, f, "feed.jsonl", &o, &s), ATT_OK);
    fclose(f);
    cr_assert_eq(s.unchanged, 2);
    cr_assert_eq(ev[ATT_INGEST_UNCHANGED], 2);
    o.version = 3;
    memset(ev, 0, sizeof ev);
    f = fmemopen((void *)feed, sizeof feed - 1, "r");
    cr_assert_eq(att_ingest_stream(ix, f, "feed.jsonl", &o, &s), ATT_OK);
    fclose(f);
    cr_assert_eq(ev[ATT_INGEST_UNCHANGED] + ev[ATT_INGEST_ADDED], 0);
    cr_assert_eq(ev[ATT_INGEST_SKIPPED], 1);
    /* Bad arguments. */
    cr_assert_eq(att_ingest_stream(ix, NULL, "x", NULL, NULL), ATT_INVALID);
    cr_assert_eq(att_ingest_stream(ix, stdin, "", NULL, NULL), ATT_INVALID);
    o.version = 4;
    o.format = (att_input_format)9;
    cr_assert_eq(att_ingest_stream(ix, stdin, "x", &o, NULL), ATT_INVALID);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

Test(store, rebuild_api)
{
    tmpdir_make(dir, "rb");
    tmpdir_path(db, dir, "db");
    att_index *ix = th_open_writer(db);
    th_put(ix, "old", "Old article", "About Kabul.", NULL);
    th_commit(ix);
    att_index_close(ix);
    /* Abandoned: the old index stays. */
    att_rebuild *rb = NULL;
    cr_assert_eq(att_rebuild_begin(&rb, db, 0), ATT_OK, "%s", att_last_error());
    th_put(att_rebuild_index(rb), "new", "New article", "About Doha.", NULL);
    /* The old index is locked against other writers meanwhile. */
    att_index *other = NULL;
    cr_assert_eq(att_index_open(&other, db, ATT_OPEN_WRITE), ATT_LOCKED);
    att_rebuild_abort(rb);
    ix = th_open_reader(db);
    cr_assert_eq(th_count(ix), 1);
    cr_assert_eq(total(ix, "kabul"), 1);
    att_index_close(ix);
    /* Finished: the new index in its place. */
    cr_assert_eq(att_rebuild_begin(&rb, db, ATT_OPEN_WAIT), ATT_OK);
    th_put(att_rebuild_index(rb), "new", "New article", "About Doha.", NULL);
    cr_assert_eq(att_rebuild_finish(rb), ATT_OK, "%s", att_last_error());
    ix = th_open_reader(db);
    cr_assert_eq(th_count(ix), 1);
    cr_assert_eq(total(ix, "doha"), 1);
    cr_assert_eq(total(ix, "kabul"), 0);
    att_index_close(ix);
    char staging[4200];
    snprintf(staging, sizeof staging, "%s.rebuild", db);
    struct stat sb;
    cr_assert_neq(stat(staging, &sb), 0);
    /* A path that does not exist yet: created. */
    char fresh_path[4096];
    tmpdir_path(fresh_path, dir, "new-db");
    cr_assert_eq(att_rebuild_begin(&rb, fresh_path, 0), ATT_OK);
    th_put(att_rebuild_index(rb), "x", "X", "Text.", NULL);
    cr_assert_eq(att_rebuild_finish(rb), ATT_OK);
    ix = th_open_reader(fresh_path);
    cr_assert_eq(th_count(ix), 1);
    att_index_close(ix);
    cr_assert_eq(att_rebuild_begin(NULL, db, 0), ATT_INVALID);
    cr_assert_eq(att_rebuild_begin(&rb, db, 1u << 20), ATT_INVALID);
    att_rebuild_abort(NULL);
    tmpdir_rm_rf(dir);
}
