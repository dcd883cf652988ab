/* test_analysis.c: the analysis chain and the highlighter end to end,
 * through the real program: what an editor types finds what the article
 * wrote, and the snippet marks the article's own word. */
#include "e2e.h"

static char dir[64], db[4096], docs[4096];

static void put(const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", docs, name);
    e2e_write(path, text, strlen(text));
}

/* Articles in the spellings the wires use, indexed into dir/db. */
static void index_articles_with(const char *opt)
{
    tmpdir_make(dir, "e2e-an");
    tmpdir_path(db, dir, "db");
    tmpdir_path(docs, dir, "docs");
    cr_assert_eq(mkdir(docs, 0700), 0);
    put("turkiye.txt", "Mediation by Türkiye\n\nA truce followed mediation by "
                       "Qatar and Türkiye, officials said.\n");
    put("lodz.txt", "Summit in Łódź\n\nLeaders met in Łódź on Tuesday to "
                    "discuss energy.\n");
    put("lavrov.txt", "Moscow replies\n\nForeign Minister Сергей Лавров "
                      "rejected the proposal.\n");
    put("pakistan.txt", "Islamabad's demand\n\nPakistan’s delegation demanded "
                        "guarantees at the meeting.\n");
    put("peace.txt", "Negotiations resume\n\nThe peace talks resumed in Doha "
                     "after a pause.\n");
    put("talk.txt", "A talk on peace\n\nHe gave a talk. Peace was not its "
                    "subject; talk of it was rare.\n");
    e2e_result r = opt ? e2e_run(NULL, "index", "--db", db, (char *)opt, docs, NULL)
                       : e2e_run(NULL, "index", "--db", db, docs, NULL);
    cr_assert_eq(r.status, 0, "index failed (%d): %s", r.status, r.err);
    e2e_free(&r);
}

static void index_articles(void) { index_articles_with(NULL); }

static const char *want_word; /* what each highlight must show */

static void range_is_word(const char *text, size_t len, long a, long b)
{
    (void)len;
    cr_assert_eq((size_t)(b - a), strlen(want_word),
                 "highlight [%.*s], expected [%s]", (int)(b - a), text + a,
                 want_word);
    cr_assert_eq(memcmp(text + a, want_word, (size_t)(b - a)), 0,
                 "highlight [%.*s], expected [%s]", (int)(b - a), text + a,
                 want_word);
}

/* Searches `query`: exactly the article `id` matches, and every highlight
 * (title and body) is the original `word`. */
static void finds(const char *query, const char *id, const char *word)
{
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", (char *)query,
                           NULL);
    cr_assert_eq(r.status, 0, "search %s: %s", query, r.err);
    cr_assert_eq(e2e_json_int(r.out, "total"), 1, "[%s]: %s", query, r.out);
    char pat[128];
    snprintf(pat, sizeof pat, "\"id\":\"%s\"", id);
    cr_assert_eq(e2e_count(r.out, pat), 1, "[%s] should find %s: %s", query, id,
                 r.out);
    want_word = word;
    cr_assert_geq(e2e_json_ranges(r.out, range_is_word), 1,
                  "[%s]: nothing highlighted: %s", query, r.out);
    e2e_free(&r);
}

Test(analysis, turkiye_finds_Türkiye)
{
    index_articles();
    finds("turkiye", "turkiye", "Türkiye");
    finds("TURKIYE", "turkiye", "Türkiye");
    tmpdir_rm_rf(dir);
}

Test(analysis, lodz_finds_Łódź)
{
    index_articles();
    finds("lodz", "lodz", "Łódź");
    tmpdir_rm_rf(dir);
}

Test(analysis, Lavrov_finds_Лавров)
{
    index_articles();
    finds("Lavrov", "lavrov", "Лавров");
    finds("Лавров", "lavrov", "Лавров");
    tmpdir_rm_rf(dir);
}

Test(analysis, apostrophe_finds_curly_apostrophe)
{
    index_articles();
    finds("Pakistan's", "pakistan", "Pakistan’s");
    tmpdir_rm_rf(dir);
}

Test(analysis, phrase_finds_inflected_phrase_as_one_highlight)
{
    index_articles();
    /* "peace talk" finds "peace talks" (stems with positions), not the
     * article where "talk" and "peace" stand apart. */
    finds("\"peace talk\"", "peace", "peace talks");
    tmpdir_rm_rf(dir);
}

Test(analysis, exact_form_syntax)
{
    index_articles_with("--exact-forms");
    /* =talks: only the exact form; =talk: only the other article. */
    finds("=talks", "peace", "talks");
    finds("=talk", "talk", "talk");
    finds("=\"peace talks\"", "peace", "peace talks");
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "=\"peace talk\"",
                           NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(e2e_json_int(r.out, "total"), 0, "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(analysis, exact_forms_need_an_index_with_them)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "peace =talks", NULL);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "column 8"), "points at the word: %s", r.err);
    cr_assert_not_null(strstr(r.err, "--exact-forms"), "%s", r.err);
    e2e_free(&r);
    /* An index with articles cannot gain exact forms afterwards. */
    r = e2e_run(NULL, "index", "--db", db, "--exact-forms", docs, NULL);
    cr_assert_neq(r.status, 0);
    cr_assert_not_null(strstr(r.err, "new directory"), "%s", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(analysis, html_output_marks_original_word)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--format", "html",
                           "turkiye", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "<mark>Türkiye</mark>"), "%s", r.out);
    cr_assert_null(strchr(r.out, '\033'), "no escapes in HTML");
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--color", "always", "turkiye", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "\033[1;33mTürkiye\033[0m"), "%s", r.out);
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "--format", "xml", "turkiye", NULL);
    cr_assert_eq(r.status, 2, "unknown format is a usage error");
    cr_assert_not_null(strstr(r.err, "--format"), "%s", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(analysis, query_errors_point_at_the_position)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "talks NEAR/0 Doha", NULL);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "column 7"), "%s", r.err);
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "title:=talks", NULL);
    cr_assert_eq(r.status, 3, "%s", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}
