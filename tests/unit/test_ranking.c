/* test_ranking.c: the ranking options of att_search_options version 4
 * through the public API on real indexes: the weighting schemes and their
 * names, pseudo-relevance feedback (same matches, another order), the
 * proximity bonus of natural-language queries (its tree, and its effect),
 * the option checks and the older option versions. */
#include "helpers.h"

#include "../../searcher/query_parse.h"

static char dir[64], db[4096];

/* Articles of equal length: "close" has the two words side by side,
 * "far" has them apart, "one" has only the first, "long" has it twice
 * in a much longer text, "other" has neither. */
static att_index *fixture(void)
{
    tmpdir_make(dir, "unit-rank");
    tmpdir_path(db, dir, "db");
    att_index *ix = th_open_writer(db);
    th_put(ix, "close", NULL,
           "The grain embargo was lifted on Monday after long talks in the "
           "capital between the ministers.",
           "2024-01-01");
    th_put(ix, "far", NULL,
           "The grain was loaded on Monday after long talks in the capital; "
           "the embargo ended then.",
           "2024-01-02");
    th_put(ix, "one", NULL,
           "The grain harvest was good on Monday after long rains in the "
           "valley between the hills.",
           "2024-01-03");
    th_put(ix, "long", NULL,
           "The grain harvest was weighed and the grain was sold.  Farmers "
           "met in the market, the prices were set by the board, buyers came "
           "from the ports, ships were loaded, the weather held, the roads "
           "were dry, the banks paid and the season ended with a festival in "
           "the square of the old town by the river.",
           "2024-01-04");
    th_put(ix, "other", NULL,
           "Parliament met on Monday to debate the budget and the new tax "
           "on fuel, which the opposition rejected.",
           "2024-01-05");
    th_commit(ix);
    return ix;
}

static void done(att_index *ix)
{
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

/* The ids of a search's hits, space-separated, in rank order. */
static void ids(att_index *ix, const char *q, const att_search_options *o,
                char *out, size_t cap)
{
    att_results *r = th_search(ix, q, o);
    out[0] = '\0';
    for (size_t i = 0; i < att_results_count(r); i++) {
        if (i)
            strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, att_results_hit(r, i)->id, cap - strlen(out) - 1);
    }
    att_results_free(r);
}

/* How many of the words of `a` (space-separated ids) are in `b`. */
static size_t common_ids(const char *a, const char *b)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", a);
    size_t n = 0;
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t;
         t = strtok_r(NULL, " ", &save)) {
        char pad[64], hay[520];
        snprintf(pad, sizeof pad, " %s ", t);
        snprintf(hay, sizeof hay, " %s ", b);
        n += strstr(hay, pad) != NULL;
    }
    return n;
}

static size_t count_ids(const char *a)
{
    size_t n = *a != '\0';
    for (; *a; a++)
        n += *a == ' ';
    return n;
}

Test(ranking, weighting_names_round_trip)
{
    static const char *const names[] = {"default", "bm25", "bm25+", "lm",
                                        "lm-jm", "dph", "dlh", "pl2", "inl2"};
    for (int i = 0; i < 9; i++) {
        cr_assert_str_eq(att_weighting_name((att_weighting)i), names[i]);
        att_weighting w = (att_weighting)99;
        cr_assert_eq(att_weighting_parse(&w, names[i]), ATT_OK, "%s", names[i]);
        cr_assert_eq((int)w, i);
    }
    att_weighting w = ATT_WEIGHT_DEFAULT;
    cr_assert_eq(att_weighting_parse(&w, "PL2"), ATT_OK); /* any case */
    cr_assert_eq(w, ATT_WEIGHT_PL2);
    cr_assert_eq(att_weighting_parse(&w, "tfidf"), ATT_INVALID);
    cr_assert(strstr(att_last_error(), "tfidf"), "%s", att_last_error());
    cr_assert_eq(att_weighting_parse(&w, ""), ATT_INVALID);
    cr_assert_eq(att_weighting_parse(NULL, "bm25"), ATT_INVALID);
    cr_assert_eq(att_weighting_parse(&w, NULL), ATT_INVALID);
    cr_assert_null(att_weighting_name((att_weighting)9));
    cr_assert_null(att_weighting_name((att_weighting)-1));
}

/* Every scheme ranks the same matches, scores never negative, best first;
 * the article without the word is never a match. */
Test(ranking, every_scheme_ranks_the_matches)
{
    att_index *ix = fixture();
    for (int w = 0; w <= (int)ATT_WEIGHT_INL2; w++) {
        att_search_options o = ATT_SEARCH_OPTIONS_INIT;
        o.weighting = (att_weighting)w;
        o.limit = 10;
        o.snippets = 0;
        att_results *r = th_search(ix, "grain", &o);
        cr_assert_eq(att_results_count(r), 4, "%s", att_weighting_name(o.weighting));
        for (size_t i = 0; i < 4; i++) {
            const att_hit *h = att_results_hit(r, i);
            /* DFR models can give a word of most articles nothing */
            cr_assert_geq(h->score, 0, "%s hit %zu", att_weighting_name(o.weighting), i);
            cr_assert_str_neq(h->id, "other");
            if (i)
                cr_assert_geq(att_results_hit(r, i - 1)->score, h->score);
        }
        cr_assert_gt(att_results_hit(r, 0)->score, 0);
        att_results_free(r);
    }
    done(ix);
}

/* The parameters reach the schemes: another value, another score. */
Test(ranking, scheme_parameters_change_scores)
{
    att_index *ix = fixture();
    static const struct {
        att_weighting w;
        double a, b;
    } cases[] = {{ATT_WEIGHT_BM25PLUS, 0.5, 2.0}, {ATT_WEIGHT_LM, 100, 3000},
                 {ATT_WEIGHT_LM_JM, 0.2, 0.9},     {ATT_WEIGHT_PL2, 0.5, 4},
                 {ATT_WEIGHT_INL2, 0.5, 4}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        att_search_options o = ATT_SEARCH_OPTIONS_INIT;
        o.weighting = cases[i].w;
        o.weighting_param = cases[i].a;
        att_results *r1 = th_search(ix, "grain", &o);
        o.weighting_param = cases[i].b;
        att_results *r2 = th_search(ix, "grain", &o);
        cr_assert_neq(att_results_hit(r1, 0)->score, att_results_hit(r2, 0)->score,
                      "%s", att_weighting_name(cases[i].w));
        att_results_free(r1);
        att_results_free(r2);
    }
    done(ix);
}

/* The language models: with the word's count equal, the shorter article
 * is the likelier source of the query; and the Dirichlet model's length
 * factor is there (Xapian 1.4's own LMWeight has none). */
Test(ranking, language_models_prefer_the_shorter_article)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.snippets = 0;
    char got[256];
    for (int w = ATT_WEIGHT_LM; w <= ATT_WEIGHT_LM_JM; w++) {
        o.weighting = (att_weighting)w;
        /* "one" (1 of ~17 words) before "close"? equal counts, equal
         * lengths; "long" holds "grain" twice in ~70 words: below both */
        ids(ix, "harvest", &o, got, sizeof got);
        cr_assert_str_eq(got, "one long", "%s: %s", att_weighting_name(o.weighting), got);
    }
    /* Dirichlet with a large mu: the length factor dominates the counts */
    o.weighting = ATT_WEIGHT_LM;
    o.weighting_param = 100000;
    ids(ix, "grain", &o, got, sizeof got);
    cr_assert_eq(strncmp(got + strlen(got) - 4, "long", 4), 0, "%s", got);
    done(ix);
}

static att_status try_options(att_index *ix, const att_search_options *o)
{
    att_results *r = NULL;
    att_status st = att_search(&r, ix, "grain", o);
    if (st)
        cr_assert_null(r);
    att_results_free(r);
    return st;
}

Test(ranking, bad_ranking_options_are_invalid)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.weighting = (att_weighting)9;
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    cr_assert(strstr(att_last_error(), "weighting"), "%s", att_last_error());
    o = (att_search_options)ATT_SEARCH_OPTIONS_INIT;
    o.weighting = ATT_WEIGHT_LM_JM;
    o.weighting_param = 1; /* lambda must stay below 1 */
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    o.weighting_param = 0.5;
    cr_assert_eq(try_options(ix, &o), ATT_OK);
    o = (att_search_options)ATT_SEARCH_OPTIONS_INIT;
    o.weighting_param = 2e6;
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    o = (att_search_options)ATT_SEARCH_OPTIONS_INIT;
    o.feedback_docs = 101;
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    o.feedback_docs = -2;
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    o = (att_search_options)ATT_SEARCH_OPTIONS_INIT;
    o.feedback_terms = 1001;
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    o = (att_search_options)ATT_SEARCH_OPTIONS_INIT;
    o.feedback_weight = 1.0;
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    o.feedback_weight = 0;
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    o = (att_search_options)ATT_SEARCH_OPTIONS_INIT;
    o.proximity = 101;
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    o = (att_search_options)ATT_SEARCH_OPTIONS_INIT;
    o.proximity_window = 1001;
    cr_assert_eq(try_options(ix, &o), ATT_INVALID);
    cr_assert(strstr(att_last_error(), "proximity"), "%s", att_last_error());
    done(ix);
}

/* A caller built against the version 3 header has none of the ranking
 * fields: whatever lies there, the engine's choices apply. */
Test(ranking, version_3_options_take_the_defaults)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    cr_assert_eq(o.version, 4);
    o.default_op = ATT_DEFAULT_OR; /* where feedback and proximity apply */
    cr_assert_eq(o.weighting, ATT_WEIGHT_DEFAULT);
    cr_assert_lt(o.weighting_param, 0);
    cr_assert_eq(o.feedback_docs, -1);
    cr_assert_eq(o.feedback_terms, -1);
    cr_assert_lt(o.feedback_weight, 0);
    cr_assert_lt(o.proximity, 0);
    cr_assert_eq(o.proximity_window, 0);
    att_results *r4 = th_search(ix, "grain embargo", &o);
    o.version = 3;
    o.weighting = (att_weighting)77; /* not a field of version 3 */
    o.feedback_docs = 5000;
    o.proximity = -7;
    att_results *r3 = th_search(ix, "grain embargo", &o);
    cr_assert_eq(att_results_count(r3), att_results_count(r4));
    for (size_t i = 0; i < att_results_count(r3); i++)
        cr_assert_eq(att_results_hit(r3, i)->score, att_results_hit(r4, i)->score);
    att_results_free(r3);
    att_results_free(r4);
    done(ix);
}

/* Feedback re-ranks the matches of the query as typed and finds no
 * others; off (0 documents) it changes nothing. */
Test(ranking, feedback_keeps_the_matches)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.default_op = ATT_DEFAULT_OR;
    o.proximity = 0;
    o.snippets = 0;
    char with[512], without[512], and_on[512], and_off[512];
    o.feedback_docs = 0;
    ids(ix, "embargo monday", &o, without, sizeof without);
    o.feedback_docs = 2;
    o.feedback_terms = 20;
    o.feedback_weight = 0.3; /* strong, to show */
    ids(ix, "embargo monday", &o, with, sizeof with);
    cr_assert_eq(count_ids(with), count_ids(without), "[%s] [%s]", with, without);
    cr_assert_eq(common_ids(with, without), count_ids(without), "[%s] [%s]", with, without);
    att_results *r = th_search(ix, "embargo monday", &o);
    cr_assert_eq(att_results_total(r, NULL), count_ids(without));
    att_results_free(r);
    /* AND queries: off unless asked for; asked for, the same matches */
    att_search_options a = ATT_SEARCH_OPTIONS_INIT;
    a.snippets = 0;
    ids(ix, "grain monday", &a, and_off, sizeof and_off);
    a.feedback_docs = 3;
    ids(ix, "grain monday", &a, and_on, sizeof and_on);
    cr_assert_eq(common_ids(and_on, and_off), count_ids(and_off));
    cr_assert_eq(count_ids(and_on), count_ids(and_off));
    /* however strong, the feedback words add no match: "embargo" is in
     * "close" and "far" only */
    o.feedback_docs = 1;
    o.feedback_terms = 30;
    o.feedback_weight = 0.05;
    ids(ix, "embargo", &o, with, sizeof with);
    cr_assert_eq(count_ids(with), 2, "%s", with);
    cr_assert_eq(common_ids("close far", with), 2, "%s", with);
    done(ix);
}

/* The proximity pairs in the tree: consecutive optional plain words,
 * stop words between them skipped; not phrases, +words or fields. */
Test(ranking, proximity_pairs_in_the_tree)
{
    att_analyzer *an = NULL;
    cr_assert_eq(att_analyzer_new(&an), ATT_OK);
    static const struct {
        const char *q, *want;
    } cases[] = {
        {"grain embargo talks",
         "(grain OR embargo OR talk OR (grain NEAR/5 embargo) OR "
         "(embargo NEAR/5 talk))"},
        {"the grain of the embargo", "(grain OR embargo OR (grain NEAR/5 embargo))"},
        {"grain \"embargo talks\" capital", "(grain OR (embargo PHRASE talk) OR capit)"},
        {"+grain embargo talks", "(grain AND_MAYBE (embargo OR talk OR (embargo NEAR/5 talk)))"},
        {"grain title:embargo talks", "(grain OR embargo OR talk)"},
        /* repeats count once, words and pairs; the pairs are those of
         * the words as typed (talk-embargo, embargo-grain) */
        {"grain grain", "grain"},
        {"grain embargo grain embargo", "(grain OR embargo OR (grain NEAR/5 embargo))"},
        {"grain talks embargo grain capital",
         "(grain OR talk OR embargo OR capit OR (grain NEAR/5 talk) OR "
         "(talk NEAR/5 embargo) OR (embargo NEAR/5 grain) OR (grain NEAR/5 capit))"},
        {"grain", "grain"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        att_qparse_opts po = {true, 20260101, true, 0.25, 5, false};
        att_qnode *t = NULL;
        cr_assert_eq(att_query_parse_ex(an, cases[i].q, &po, &t), ATT_OK, "%s: %s",
                     cases[i].q, att_last_error());
        att_buf b = ATT_BUF_INIT;
        cr_assert_eq(att_qnode_describe(t, &b), ATT_OK);
        /* title:embargo's term is S-prefixed */
        const char *want = cases[i].want;
        if (strstr(cases[i].q, "title:"))
            want = "(grain OR Sembargo OR talk)";
        cr_assert_str_eq(b.data, want, "[%s] gave %s", cases[i].q, b.data);
        for (size_t k = 0; k < t->n_kids; k++)
            if (t->kids[k]->kind == ATT_Q_NEAR)
                cr_assert_eq(t->kids[k]->scale, 0.25);
            else
                cr_assert_eq(t->kids[k]->scale, 0);
        att_buf_free(&b);
        att_qnode_free(t);
    }
    /* count_repeats: every copy stays, words and pairs */
    att_qparse_opts rep = {true, 20260101, true, 0.25, 5, true};
    static const struct {
        const char *q, *want;
    } reps[] = {
        {"grain grain", "(grain OR grain)"},
        {"grain embargo grain", "(grain OR embargo OR grain OR (grain NEAR/5 embargo) "
                                "OR (embargo NEAR/5 grain))"},
    };
    for (size_t i = 0; i < sizeof reps / sizeof *reps; i++) {
        att_qnode *t = NULL;
        cr_assert_eq(att_query_parse_ex(an, reps[i].q, &rep, &t), ATT_OK);
        att_buf b = ATT_BUF_INIT;
        cr_assert_eq(att_qnode_describe(t, &b), ATT_OK);
        cr_assert_str_eq(b.data, reps[i].want, "[%s] gave %s", reps[i].q, b.data);
        att_buf_free(&b);
        att_qnode_free(t);
    }
    /* AND queries keep their words as typed either way */
    att_qparse_opts and_once = {false, 20260101, true, 0.25, 5, false};
    att_qnode *ta = NULL;
    cr_assert_eq(att_query_parse_ex(an, "grain grain", &and_once, &ta), ATT_OK);
    att_buf ba = ATT_BUF_INIT;
    cr_assert_eq(att_qnode_describe(ta, &ba), ATT_OK);
    cr_assert_str_eq(ba.data, "(grain AND grain)");
    att_buf_free(&ba);
    att_qnode_free(ta);
    /* no pairs without the option, nor with AND as the default */
    att_qparse_opts off = {true, 20260101, true, 0, 0, false};
    att_qparse_opts and = {false, 20260101, true, 0.25, 5, false};
    const att_qparse_opts *oo[] = {&off, &and};
    const char *want[] = {"(grain OR embargo)", "(grain AND embargo)"};
    for (int i = 0; i < 2; i++) {
        att_qnode *t = NULL;
        cr_assert_eq(att_query_parse_ex(an, "grain embargo", oo[i], &t), ATT_OK);
        att_buf b = ATT_BUF_INIT;
        cr_assert_eq(att_qnode_describe(t, &b), ATT_OK);
        cr_assert_str_eq(b.data, want[i]);
        att_buf_free(&b);
        att_qnode_free(t);
    }
    att_analyzer_free(an);
}

/* The bonus at work: "close" and "far" hold both words once and have
 * the same length; only nearness tells them apart. */
Test(ranking, proximity_ranks_the_close_words_first)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.default_op = ATT_DEFAULT_OR;
    o.feedback_docs = 0;
    o.snippets = 0;
    o.proximity = 0;
    att_results *r = th_search(ix, "grain embargo", &o);
    cr_assert_eq(att_results_count(r), 4);
    double s0 = -1, s1 = -1;
    for (size_t i = 0; i < 4; i++) {
        const att_hit *h = att_results_hit(r, i);
        if (strcmp(h->id, "close") == 0)
            s0 = h->score;
        if (strcmp(h->id, "far") == 0)
            s1 = h->score;
    }
    att_results_free(r);
    cr_assert_gt(s0, 0);
    cr_assert_gt(s1, 0);
    o.proximity = -1; /* the engine's bonus */
    char got[256];
    ids(ix, "grain embargo", &o, got, sizeof got);
    cr_assert_eq(strncmp(got, "close far ", 10), 0, "%s", got);
    r = th_search(ix, "grain embargo", &o);
    cr_assert_gt(att_results_hit(r, 0)->score, att_results_hit(r, 1)->score);
    cr_assert_eq(att_results_hit(r, 1)->score, s1, "far: no bonus");
    att_results_free(r);
    o.proximity = 0.5;
    o.proximity_window = 1; /* side by side only */
    ids(ix, "grain embargo", &o, got, sizeof got);
    cr_assert_eq(strncmp(got, "close ", 6), 0, "%s", got);
    done(ix);
}

/* A word typed twice in a question weighs what it weighs typed once
 * (the scores are those of the query without the repeat, feedback and
 * proximity included), unless ATT_SEARCH_COUNT_REPEATS asks for each
 * copy to count; the matches are the same either way. */
Test(ranking, repeated_words_count_once)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.default_op = ATT_DEFAULT_OR;
    o.snippets = 0;
    o.flags = ATT_SEARCH_ALL_COPIES;
    att_results *once = th_search(ix, "grain embargo", &o);
    att_results *twice = th_search(ix, "grain embargo grain", &o);
    o.flags |= ATT_SEARCH_COUNT_REPEATS;
    att_results *counted = th_search(ix, "grain embargo grain", &o);
    size_t n = att_results_count(once);
    cr_assert_eq(n, 4);
    cr_assert_eq(att_results_count(twice), n);
    cr_assert_eq(att_results_count(counted), n);
    bool differs = false;
    for (size_t i = 0; i < n; i++) {
        const att_hit *a = att_results_hit(once, i), *b = att_results_hit(twice, i);
        cr_assert_str_eq(a->id, b->id);
        cr_assert_eq(a->score, b->score, "%s: %.17g %.17g", a->id, a->score, b->score);
        /* counted: "grain" weighs twice, so every score grows */
        const att_hit *c = NULL;
        for (size_t k = 0; k < n; k++)
            if (strcmp(att_results_hit(counted, k)->id, a->id) == 0)
                c = att_results_hit(counted, k);
        cr_assert(c, "%s missing", a->id);
        differs |= c->score != a->score;
    }
    cr_assert(differs, "ATT_SEARCH_COUNT_REPEATS changed no score");
    att_results_free(once);
    att_results_free(twice);
    att_results_free(counted);
    /* AND: the flag changes nothing */
    o.default_op = ATT_DEFAULT_AND;
    att_results *a1 = th_search(ix, "grain grain", &o);
    o.flags &= ~(unsigned)ATT_SEARCH_COUNT_REPEATS;
    att_results *a2 = th_search(ix, "grain grain", &o);
    cr_assert_eq(att_results_count(a1), att_results_count(a2));
    for (size_t i = 0; i < att_results_count(a1); i++)
        cr_assert_eq(att_results_hit(a1, i)->score, att_results_hit(a2, i)->score);
    att_results_free(a1);
    att_results_free(a2);
    done(ix);
}

/* The pairs only rank: the snippet marks the words, each on its own, not
 * the span between them ("embargo was lifted" stays two marks). */
Test(ranking, proximity_pairs_are_not_highlighted_as_units)
{
    att_index *ix = fixture();
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.default_op = ATT_DEFAULT_OR;
    o.feedback_docs = 0;
    o.snippets = 1;
    o.snippet_bytes = 400;
    att_results *r = th_search(ix, "embargo lifted", &o);
    const att_hit *h = att_results_hit(r, 0);
    cr_assert_str_eq(h->id, "close");
    cr_assert_eq(h->n_snippets, 1);
    const att_snippet *sn = &h->snippets[0];
    cr_assert_eq(sn->n_highlights, 2);
    for (size_t i = 0; i < sn->n_highlights; i++) {
        const att_range *g = &sn->highlights[i];
        char word[32];
        snprintf(word, sizeof word, "%.*s", (int)(g->end - g->start), sn->text + g->start);
        cr_assert(strcmp(word, "embargo") == 0 || strcmp(word, "lifted") == 0,
                  "marked \"%s\"", word);
    }
    att_results_free(r);
    done(ix);
}
