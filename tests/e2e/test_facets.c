/* test_facets.c: `attache search --facets` end to end: the JSON "facets"
 * object, the text block after the hits, HTML, the options' errors, and
 * the shell's :facets.  Sources and dates come from the articles' Source:
 * and Date: lines; the entity checks need the indexer's entity extraction
 * (people, organisations, places in slot 3). */
#include "e2e.h"

static char dir[64], db[4096], docs[256];

static const struct {
    const char *name, *text;
} ARTICLES[] = {
    {"a1.txt", "Source: Reuters\nDate: 2024-10-05\n\nNATO ministers meet in Brussels\n\n"
               "NATO defence ministers discussed the ceasefire in Brussels on "
               "Saturday, and the talks between Pakistan and Afghanistan.\n"},
    {"a2.txt", "Source: Reuters\nDate: 2024-10-06\n\nPakistan welcomes the truce\n\n"
               "Pakistan said the ceasefire along the border was holding, a day "
               "after the Doha meeting.\n"},
    {"a3.txt", "Source: Associated Press\nDate: 2024-11\n\nTruce extended\n\n"
               "The ceasefire was extended by another month, officials in Kabul "
               "said.\n"},
    {"a4.txt", "Source: AFP\nDate: 2023\n\nEarlier talks\n\n"
               "An earlier ceasefire collapsed within weeks, diplomats "
               "recalled.\n"},
    {"a5.txt", "Undated note\n\nA ceasefire without a date or a source.\n"},
};

static void index_articles(void)
{
    tmpdir_make(dir, "e2e-facets");
    tmpdir_path(db, dir, "db");
    snprintf(docs, sizeof docs, "%s/docs", dir);
    cr_assert_eq(mkdir(docs, 0700), 0);
    for (size_t i = 0; i < sizeof ARTICLES / sizeof ARTICLES[0]; i++) {
        char p[4096];
        tmpdir_path(p, docs, ARTICLES[i].name);
        e2e_write(p, ARTICLES[i].text, strlen(ARTICLES[i].text));
    }
    e2e_result r = e2e_run(NULL, "index", "--db", db, docs, NULL);
    cr_assert_eq(r.status, 0, "index failed (%d): %s", r.status, r.err);
    e2e_free(&r);
}

/* The JSON list of facet `name` ("[...]", malloc'd), or NULL when the
 * output has no "facets" object.  The test data hold no ']' in values. */
static char *facet_list(const char *json, const char *name)
{
    const char *f = strstr(json, "\"facets\":{");
    if (!f)
        return NULL;
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":[", name);
    const char *p = strstr(f, pat);
    cr_assert_not_null(p, "no %s list in %s", name, f);
    p += strlen(pat) - 1;
    const char *e = strchr(p, ']');
    cr_assert_not_null(e);
    return strndup(p, (size_t)(e - p + 1));
}

static void assert_facet(const char *json, const char *name, const char *want)
{
    char *l = facet_list(json, name);
    cr_assert_not_null(l, "no facets in %s", json);
    cr_assert_str_eq(l, want, "%s: %s", name, l);
    free(l);
}

Test(facets_cli, json_sources_and_dates)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "--limit", "1",
                           "--facets", "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(e2e_json_int(r.out, "total"), 5, "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "\"rank\":"), 1, "one hit on the page");
    /* counted over all 5 matches; equal counts by name */
    assert_facet(r.out, "source",
                 "[{\"value\":\"Reuters\",\"id\":\"reuters\",\"count\":2},"
                 "{\"value\":\"AFP\",\"id\":\"afp\",\"count\":1},"
                 "{\"value\":\"Associated Press\",\"id\":\"associated-press\",\"count\":1}]");
    /* a month-only and a year-only date: auto counts years */
    assert_facet(r.out, "date",
                 "[{\"value\":\"2023\",\"id\":\"2023\",\"count\":1},"
                 "{\"value\":\"2024\",\"id\":\"2024\",\"count\":3}]");
    /* the object follows the hits and has every facet */
    cr_assert_not_null(strstr(r.out, "],\"facets\":{\"person\":["), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "\"org\":["));
    cr_assert_not_null(strstr(r.out, "\"place\":["));
    e2e_free(&r);

    r = e2e_run(NULL, "search", "--db", db, "--json", "--facets=1",
                "--facet-date", "month", "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    assert_facet(r.out, "source",
                 "[{\"value\":\"Reuters\",\"id\":\"reuters\",\"count\":2}]");
    assert_facet(r.out, "date",
                 "[{\"value\":\"2024-10\",\"id\":\"2024-10\",\"count\":2},"
                 "{\"value\":\"2024-11\",\"id\":\"2024-11\",\"count\":1}]");
    e2e_free(&r);

    /* --facet-date alone asks for facets */
    r = e2e_run(NULL, "search", "--db", db, "--json", "--facet-date=day",
                "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    assert_facet(r.out, "date",
                 "[{\"value\":\"2024-10-05\",\"id\":\"2024-10-05\",\"count\":1},"
                 "{\"value\":\"2024-10-06\",\"id\":\"2024-10-06\",\"count\":1}]");
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(facets_cli, json_without_facets_or_matches)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strstr(r.out, "\"facets\""), "%s", r.out);
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--json", "--facets=0", "ceasefire", NULL);
    cr_assert_null(strstr(r.out, "\"facets\""), "%s", r.out);
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--json", "--facets", "unicorn", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "\"facets\":{\"person\":[],\"org\":[],"
                                     "\"place\":[],\"source\":[],\"date\":[]}"),
                       "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(facets_cli, text_block_after_the_hits)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--limit", "2", "--facets",
                           "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *block = strstr(r.out, "\nFacets (counted over all 5 results):\n");
    cr_assert_not_null(block, "%s", r.out);
    cr_assert(block > strstr(r.out, "  2. "), "the block follows the hits");
    cr_assert_not_null(strstr(block, "\n  Sources  Reuters 2 · AFP 1 · Associated Press 1\n"),
                       "%s", block);
    cr_assert_not_null(strstr(block, "\n  Dates    by year: 2023 1 · 2024 3\n"), "%s",
                       block);
    cr_assert_null(strstr(r.out, "\033["), "plain when piped");
    e2e_free(&r);
    /* colour on request: labels bold */
    r = e2e_run(NULL, "search", "--db", db, "--color", "always", "--facets",
                "ceasefire", NULL);
    cr_assert_not_null(strstr(r.out, "\033[1mSources "), "%s", r.out);
    e2e_free(&r);
    /* nothing without --facets */
    r = e2e_run(NULL, "search", "--db", db, "ceasefire", NULL);
    cr_assert_null(strstr(r.out, "Facets"), "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(facets_cli, html)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--format", "html",
                           "--facets", "ceasefire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *dl = strstr(r.out, "</ol>\n<dl class=\"attache-facets\">\n");
    cr_assert_not_null(dl, "%s", r.out);
    cr_assert_not_null(strstr(dl, "<dt data-facet=\"source\">Sources</dt>\n"
                                  "<dd data-id=\"reuters\">Reuters <span "
                                  "class=\"count\">2</span></dd>\n"),
                       "%s", r.out);
    cr_assert_not_null(strstr(dl, "<dd data-id=\"2024\">2024 <span "
                                  "class=\"count\">3</span></dd>\n</dl>\n</section>\n"),
                       "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(facets_cli, bad_options)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--facets=many", "ceasefire", NULL);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "--facets"), "%s", r.err);
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--facet-date=week", "ceasefire", NULL);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "--facet-date"), "%s", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(facets_cli, shell_toggle)
{
    index_articles();
    e2e_result r = e2e_run(":facets\nceasefire\n:facets off\nceasefire\n:facets 1\n",
                           "shell", "--db", db, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "Facets on: the top 10"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "Facets off."), "%s", r.out);
    /* on, off, then on with the top 1 for the query on screen */
    cr_assert_eq(e2e_count(r.out, "  Sources  Reuters 2 · AFP 1 · Associated Press 1\n"), 1,
                 "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "  Sources  Reuters 2\n"), 1, "%s", r.out);
    e2e_free(&r);
    r = e2e_run(":facets lots\n", "shell", "--db", db, NULL);
    cr_assert_not_null(strstr(r.err, ":facets takes"), "%s", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

/* Needs the indexer's entity extraction: it fails while slot 3 holds only
 * source records. */
Test(facets_cli, entities)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "--facets",
                           "NATO", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *org = facet_list(r.out, "org"), *place = facet_list(r.out, "place");
    cr_assert_not_null(org);
    cr_assert_not_null(strstr(org, "{\"value\":\"NATO\""), "org facet: %s", org);
    cr_assert_not_null(strstr(place, "{\"value\":\"Pakistan\""), "place facet: %s", place);
    free(org);
    free(place);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

/* Facets after `attache delete` of a run of articles.  Xapian 1.4.22's
 * matcher fails ("Unexpected end of posting list") on such an index when
 * the weighting reads no wdf, which the counting pass once used: every
 * facet search then failed (common/xapian/shim_facets.cc, CountWeight).
 * The counts also follow the deletions (the facet column). */
Test(facets_cli, after_deleting_a_run_of_articles)
{
    tmpdir_make(dir, "e2e-facets");
    tmpdir_path(db, dir, "db");
    char jsonl[4096];
    tmpdir_path(jsonl, dir, "wire.jsonl");
    enum { N = 4100 };
    size_t cap = (size_t)N * 160, len = 0;
    char *text = malloc(cap), *ids = malloc((size_t)N * 8);
    cr_assert(text && ids);
    size_t idlen = 0;
    for (int i = 0; i < N; i++) {
        len += (size_t)snprintf(text + len, cap - len,
                                "{\"id\": \"w%04d\", \"title\": \"Wire %d\", \"body\": "
                                "\"The zebra report number %d.\", \"source\": \"%s\"}\n",
                                i, i, i, i < 3500 ? "Reuters" : "AFP");
        if (i >= 1024 && i < 2048)
            idlen += (size_t)sprintf(ids + idlen, "w%04d\n", i);
    }
    e2e_write(jsonl, text, len);
    e2e_result r = e2e_run(NULL, "index", "--db", db, "--no-entities", jsonl, NULL);
    cr_assert_eq(r.status, 0, "index failed (%d): %s", r.status, r.err);
    e2e_free(&r);
    r = e2e_run(ids, "delete", "--db", db, "--quiet", "-", NULL);
    cr_assert_eq(r.status, 0, "delete failed (%d): %s", r.status, r.err);
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--json", "--all-copies", "--facets=3",
                "zebra", NULL);
    cr_assert_eq(r.status, 0, "search failed (%d): %s", r.status, r.err);
    cr_assert_not_null(strstr(r.out, "\"total\":3076,"), "%.300s", r.out);
    assert_facet(r.out, "source",
                 "[{\"value\":\"Reuters\",\"id\":\"reuters\",\"count\":2476},"
                 "{\"value\":\"AFP\",\"id\":\"afp\",\"count\":600}]");
    e2e_free(&r);
    free(text);
    free(ids);
    tmpdir_rm_rf(dir);
}
