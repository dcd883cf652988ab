/* test_complete.c: the library side of the prompt: att_complete()
 * (candidates for what is typed, from the index) and att_mark_article()
 * (an article in full with what a query matches), on a small index built
 * per test with entities, sources and dates. */
#include "helpers.h"

static char dir[64], path[4096];

static void put(att_index *ix, const char *id, const char *title,
                const char *body, const char *source)
{
    att_article a = ATT_ARTICLE_INIT;
    a.id = id;
    a.title = title;
    a.body = body;
    a.source = source;
    cr_assert_eq(att_index_put(ix, &a), ATT_OK, "%s", att_last_error());
}

static att_index *build(void)
{
    tmpdir_make(dir, "complete");
    tmpdir_path(path, dir, "db");
    att_index *ix = th_open_writer(path);
    put(ix, "a", "Talks in Istanbul",
        "Pakistan and Afghanistan held talks in Istanbul. Khawaja Asif, "
        "Pakistan's defence minister, spoke of open war. The Tehrik-i-Taliban "
        "Pakistan (TTP) was discussed.",
        "Reuters");
    put(ix, "b", "Negotiations resume",
        "Negotiators from Pakistan met in Doha. Qatar mediated the "
        "negotiations, and Pakistan welcomed them.",
        "Reuters");
    put(ix, "c", "A ceasefire in Kabul",
        "The ceasefire in Kabul held. Afghanistan's Taliban government said "
        "the TTP was not its concern. Zorbul Quantrix, a local elder, "
        "agreed.",
        "Associated Press");
    th_commit(ix);
    att_index_close(ix);
    return th_open_reader(path);
}

/* The candidates' values joined by '|' (malloc'd). */
static char *values(att_index *ix, att_complete_field f, const char *prefix)
{
    att_completions *c = NULL;
    att_status st = att_complete(&c, ix, f, prefix, NULL);
    cr_assert_eq(st, ATT_OK, "complete %s: %s", prefix, att_last_error());
    char *s = calloc(1, 4096);
    for (size_t i = 0; i < att_completions_count(c); i++) {
        if (i)
            strcat(s, "|");
        strncat(s, att_completions_get(c, i)->value, 200);
    }
    cr_assert_null(att_completions_get(c, att_completions_count(c)));
    att_completions_free(c);
    return s;
}

Test(complete, places_by_name_and_by_id)
{
    att_index *ix = build();
    char *v = values(ix, ATT_COMPLETE_PLACE, "Pak");
    cr_assert_str_eq(v, "Pakistan");
    free(v);
    /* the id is "afg": found by the dictionary's name */
    v = values(ix, ATT_COMPLETE_PLACE, "afgh");
    cr_assert_str_eq(v, "Afghanistan");
    free(v);
    /* folded as the index folds */
    v = values(ix, ATT_COMPLETE_PLACE, "İSTAN");
    cr_assert_str_eq(v, "Istanbul");
    free(v);
    /* most articles first, then by name; "" gives them all */
    v = values(ix, ATT_COMPLETE_PLACE, "");
    cr_assert_eq(strncmp(v, "Afghanistan|Pakistan|", 21), 0, "%s", v);
    cr_assert_not_null(strstr(v, "Kabul"), "%s", v);
    free(v);
    v = values(ix, ATT_COMPLETE_PLACE, "Paris");
    cr_assert_str_eq(v, "", "nothing the index does not hold");
    free(v);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

Test(complete, organisations_through_an_alias)
{
    att_index *ix = build();
    att_completions *c = NULL;
    cr_assert_eq(att_complete(&c, ix, ATT_COMPLETE_ORG, "TTP", NULL), ATT_OK);
    cr_assert_eq(att_completions_count(c), 1);
    const att_completion *t = att_completions_get(c, 0);
    cr_assert_str_eq(t->value, "Tehrik-i-Taliban Pakistan");
    cr_assert_str_eq(t->id, "tehrik-i-taliban-pakistan");
    cr_assert_str_eq(t->text, "Tehrik-i-Taliban Pakistan", "the name reads back");
    cr_assert_eq(t->count, 2);
    att_completions_free(c);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

Test(complete, people_by_first_words_then_by_later_ones)
{
    att_index *ix = build();
    char *v = values(ix, ATT_COMPLETE_PERSON, "khawaja a");
    cr_assert_str_eq(v, "Khawaja Asif");
    free(v);
    v = values(ix, ATT_COMPLETE_PERSON, "khawaja b");
    cr_assert_str_eq(v, "", "the finished words must match");
    free(v);
    /* a name the tagger found, not the dictionary: its display from the
     * article */
    v = values(ix, ATT_COMPLETE_PERSON, "Zorbul Q");
    cr_assert_str_eq(v, "Zorbul Quantrix");
    free(v);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

Test(complete, sources_and_words)
{
    att_index *ix = build();
    att_completions *c = NULL;
    cr_assert_eq(att_complete(&c, ix, ATT_COMPLETE_SOURCE, "ass", NULL), ATT_OK);
    cr_assert_eq(att_completions_count(c), 1);
    cr_assert_str_eq(att_completions_get(c, 0)->value, "Associated Press");
    cr_assert_str_eq(att_completions_get(c, 0)->id, "associated-press");
    att_completions_free(c);
    char *v = values(ix, ATT_COMPLETE_SOURCE, "");
    cr_assert_str_eq(v, "Reuters|Associated Press", "by count");
    free(v);
    /* words: most frequent first, then in order */
    v = values(ix, ATT_COMPLETE_WORD, "Negot");
    cr_assert_str_eq(v, "negotiations|negotiators");
    free(v);
    v = values(ix, ATT_COMPLETE_WORD, "");
    cr_assert_str_eq(v, "", "no word for nothing typed");
    free(v);
    att_complete_options o = ATT_COMPLETE_OPTIONS_INIT;
    o.max = 1;
    cr_assert_eq(att_complete(&c, ix, ATT_COMPLETE_WORD, "pak", &o), ATT_OK);
    cr_assert_eq(att_completions_count(c), 1);
    cr_assert_str_eq(att_completions_get(c, 0)->value, "pakistan");
    att_completions_free(c);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

Test(complete, bad_arguments_are_invalid)
{
    att_index *ix = build();
    att_completions *c = (att_completions *)1;
    cr_assert_eq(att_complete(NULL, ix, ATT_COMPLETE_WORD, "a", NULL), ATT_INVALID);
    cr_assert_eq(att_complete(&c, NULL, ATT_COMPLETE_WORD, "a", NULL), ATT_INVALID);
    cr_assert_null(c);
    cr_assert_eq(att_complete(&c, ix, ATT_COMPLETE_WORD, NULL, NULL), ATT_INVALID);
    cr_assert_eq(att_complete(&c, ix, (att_complete_field)9, "a", NULL), ATT_INVALID);
    cr_assert_not_null(strstr(att_last_error(), "unknown field"));
    att_complete_options o = ATT_COMPLETE_OPTIONS_INIT;
    o.version = 7;
    cr_assert_eq(att_complete(&c, ix, ATT_COMPLETE_WORD, "a", &o), ATT_INVALID);
    o.version = ATT_COMPLETE_OPTIONS_VERSION;
    o.max = 10001;
    cr_assert_eq(att_complete(&c, ix, ATT_COMPLETE_WORD, "a", &o), ATT_INVALID);
    cr_assert_eq(att_complete(&c, ix, ATT_COMPLETE_WORD, "\xff", NULL), ATT_INVALID);
    att_completions_free(NULL);
    cr_assert_eq(att_completions_count(NULL), 0);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

/* ---- att_mark_article ---------------------------------------------------- */

/* The marked words of s, each in [], joined (malloc'd). */
static char *marked(const att_snippet *s)
{
    char *out = NULL;
    cr_assert_eq(att_snippet_format(&out, s, 0, "[", "]"), ATT_OK);
    return out;
}

Test(mark, the_whole_article_with_every_match)
{
    att_index *ix = build();
    att_marked *m = NULL;
    cr_assert_eq(att_mark_article(&m, ix, "a", "pakistan \"open war\"", NULL),
                 ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(att_marked_article(m)->id, "a");
    const att_snippet *b = att_marked_body(m);
    cr_assert_not_null(b);
    cr_assert(b->at_start && b->at_end && b->offset == 0);
    cr_assert_eq(b->len, strlen(att_marked_article(m)->body), "the whole body");
    char *t = marked(b);
    cr_assert_str_eq(t,
                     "[Pakistan] and Afghanistan held talks in Istanbul. Khawaja "
                     "Asif, [Pakistan's] defence minister, spoke of [open war]. "
                     "The Tehrik-i-Taliban [Pakistan] (TTP) was discussed.");
    att_string_free(t);
    t = marked(att_marked_title(m));
    cr_assert_str_eq(t, "Talks in Istanbul", "nothing to mark in the title");
    att_string_free(t);
    att_marked_free(m);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

Test(mark, wildcards_titles_and_filters)
{
    att_index *ix = build();
    att_marked *m = NULL;
    cr_assert_eq(att_mark_article(&m, ix, "b", "negotiat* AND source:reuters",
                                  NULL),
                 ATT_OK, "%s", att_last_error());
    char *t = marked(att_marked_body(m));
    cr_assert_str_eq(t, "[Negotiators] from Pakistan met in Doha. Qatar "
                        "mediated the [negotiations], and Pakistan welcomed them.");
    att_string_free(t);
    t = marked(att_marked_title(m));
    cr_assert_str_eq(t, "[Negotiations] resume");
    att_string_free(t);
    att_marked_free(m);
    /* no query: nothing marked */
    cr_assert_eq(att_mark_article(&m, ix, "b", NULL, NULL), ATT_OK);
    cr_assert_eq(att_marked_body(m)->n_highlights, 0);
    att_marked_free(m);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

Test(mark, errors)
{
    att_index *ix = build();
    att_marked *m = (att_marked *)1;
    cr_assert_eq(att_mark_article(&m, ix, "nope", "talks", NULL), ATT_NOT_FOUND);
    cr_assert_null(m);
    cr_assert_not_null(strstr(att_last_error(), "nope"));
    cr_assert_eq(att_mark_article(&m, ix, "a", "open (war", NULL), ATT_QUERY_SYNTAX);
    cr_assert_eq(att_last_error_position(), 5);
    cr_assert_eq(att_mark_article(&m, NULL, "a", "x", NULL), ATT_INVALID);
    cr_assert_eq(att_mark_article(NULL, ix, "a", "x", NULL), ATT_INVALID);
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.version = 99;
    cr_assert_eq(att_mark_article(&m, ix, "a", "x", &o), ATT_INVALID);
    att_marked_free(NULL);
    cr_assert_null(att_marked_body(NULL));
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}
