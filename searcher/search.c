/*
 * search.c: att_search() and the results it hands back.
 *
 * A search parses the query with the index's analyser (query_parse.c),
 * runs it through the shim, which fetches the stored records of the hits
 * and the document frequencies of the query's terms in the same revision,
 * then decodes each record and cuts its snippets (highlight.c).  Results
 * are fully materialised so that reading them cannot fail and they do not
 * depend on the index handle any more.
 */
#include "../common/index.h"
#include "../common/record.h"
#include "facets.h"
#include "highlight.h"
#include "query_parse.h"
#include "wildcards.h"

#include "../common/xapian/schema.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct hit_store {
    att_hit hit;
    att_article *rec;     /* owns the strings the hit points to */
    char **copy_ids;
    att_snippet *snips;
    size_t n_snips;
    att_snippet title;
    bool has_title;
} hit_store;

struct att_results {
    char *query;
    char *suggestion;
    uint64_t total;
    int exact;
    hit_store *hits;
    size_t n;
    att_facet_results facets; /* facets.c */
};

ATT_API void att_results_free(att_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        hit_store *h = &r->hits[i];
        att_article_free(h->rec);
        for (size_t k = 0; k < h->hit.n_copy_ids; k++)
            free(h->copy_ids[k]);
        free(h->copy_ids);
        att_hl_snippets_clear(h->snips, h->n_snips);
        free(h->snips);
        if (h->has_title)
            att_hl_snippets_clear(&h->title, 1);
    }
    free(r->hits);
    free(r->query);
    free(r->suggestion);
    att_facets_clear(&r->facets);
    free(r);
}

ATT_API uint64_t att_results_total(const att_results *r, int *exact)
{
    if (exact)
        *exact = r ? r->exact : 0;
    return r ? r->total : 0;
}

ATT_API size_t att_results_count(const att_results *r) { return r ? r->n : 0; }

ATT_API const att_hit *att_results_hit(const att_results *r, size_t i)
{
    if (!r || i >= r->n)
        return NULL;
    return &r->hits[i].hit;
}

ATT_API const char *att_results_query(const att_results *r)
{
    return r ? r->query : NULL;
}

ATT_API const char *att_results_suggestion(const att_results *r)
{
    return r ? r->suggestion : NULL;
}

const att_facet_results *att_results_facet_set(const att_results *r)
{
    return r ? &r->facets : NULL;
}

static att_status fill_hit(att_index *ix, const att_hl *hl,
                           const att_search_options *o, const att_shim_hit *sh,
                           size_t rank, hit_store *h)
{
    att_status st = att_record_decode(sh->data, sh->data_len, &h->rec);
    if (st)
        return st;
    const att_article *a = h->rec;
    att_hit *hit = &h->hit;
    hit->rank = rank;
    hit->score = sh->score;
    hit->id = a->id;
    hit->title = a->title;
    hit->date = a->date;
    hit->source = a->source;
    hit->url = a->url;
    hit->author = a->author;
    hit->language = a->language;
    hit->tags = a->tags;
    if (a->body && o->snippets) {
        if ((st = att_hl_fragments(ix->an, hl, ATT_HL_BODY, a->body,
                                   a->body_len, o->snippets, o->snippet_bytes,
                                   &h->snips, &h->n_snips)))
            return st;
        hit->snippets = h->snips;
        hit->n_snippets = h->n_snips;
    }
    hit->copies = sh->copies;
    if (sh->n_copy_data) {
        if (!(h->copy_ids = calloc(sh->n_copy_data, sizeof *h->copy_ids)))
            return att_error_nomem();
        hit->copy_ids = (const char *const *)h->copy_ids;
        for (size_t k = 0; k < sh->n_copy_data; k++) {
            att_article *c = NULL;
            if ((st = att_record_decode(sh->copy_data[k], sh->copy_lens[k], &c)))
                return st;
            h->copy_ids[k] = att_strdup(c->id);
            att_article_free(c);
            if (!h->copy_ids[k])
                return att_error_nomem();
            hit->n_copy_ids = k + 1;
        }
    }
    if (a->title) {
        if ((st = att_hl_whole(ix->an, hl, ATT_HL_TITLE, a->title,
                               a->title_len, &h->title)))
            return st;
        h->has_title = true;
        hit->title_snippet = &h->title;
    }
    return ATT_OK;
}

/* The first exact-form term (E prefix) of a query, or NULL. */
static const att_qnode *find_exact(const att_qnode *q)
{
    if (q->kind == ATT_Q_TERM && q->term_len &&
        strncmp(q->term, ATT_PREFIX_EXACT, strlen(ATT_PREFIX_EXACT)) == 0)
        return q;
    if (q->kind == ATT_Q_WILDCARD && q->alt &&
        strcmp(q->alt, ATT_PREFIX_EXACT) == 0)
        return q;
    for (size_t i = 0; i < q->n_kids; i++) {
        const att_qnode *e = find_exact(q->kids[i]);
        if (e)
            return e;
    }
    return NULL;
}

/* ---- did you mean ------------------------------------------------------ */

/* A suggestion is looked for when fewer articles than this match. */
#define SUGGEST_BELOW 5

typedef struct word_list {
    const att_qnode **v;
    size_t n, cap;
} word_list;

static att_status typed_words(const att_qnode *q, word_list *l)
{
    if (q->kind == ATT_Q_TERM && q->qlen) {
        if (l->n == l->cap) {
            size_t cap = l->cap ? 2 * l->cap : 8;
            const att_qnode **v = att_realloc_array((void *)l->v, cap, sizeof *v);
            if (!v)
                return att_error_nomem();
            l->v = v;
            l->cap = cap;
        }
        l->v[l->n++] = q;
        return ATT_OK;
    }
    if (q->kind == ATT_Q_AND_NOT) /* words to exclude need no suggestion */
        return typed_words(q->kids[0], l);
    for (size_t i = 0; i < q->n_kids; i++) {
        att_status st = typed_words(q->kids[i], l);
        if (st)
            return st;
    }
    return ATT_OK;
}

static int by_qpos(const void *a, const void *b)
{
    const att_qnode *x = *(const att_qnode *const *)a;
    const att_qnode *y = *(const att_qnode *const *)b;
    return x->qpos < y->qpos ? -1 : x->qpos > y->qpos;
}

typedef struct one_word {
    att_buf *form;
    att_buf *stem;
    size_t n;
} one_word;

static att_status take_word(void *vctx, const att_token *t)
{
    one_word *w = vctx;
    if (w->n++)
        return ATT_OK;
    att_status st = att_buf_append(w->form, t->form, t->form_len);
    return st ? st : att_buf_append(w->stem, t->stem, t->stem_len);
}

static att_status search_count(att_index *ix, const char *query,
                               const att_search_options *o, uint64_t *total);

/* Replaces each typed word that is rare in the index by the vocabulary's
 * more frequent neighbour; keeps the new query when it finds more. */
static att_status suggest(att_index *ix, const char *query, const att_qnode *q,
                          const att_search_options *o, uint64_t total,
                          char **out)
{
    *out = NULL;
    word_list l = {0};
    att_buf fixed = ATT_BUF_INIT, form = ATT_BUF_INIT, stem = ATT_BUF_INIT;
    char *sug = NULL;
    bool changed = false;
    size_t done = 0;
    att_status st = typed_words(q, &l);
    if (st == ATT_OK && l.n > 1) /* the tree's order is not the query's */
        qsort((void *)l.v, l.n, sizeof *l.v, by_qpos);
    for (size_t i = 0; st == ATT_OK && i < l.n; i++) {
        const att_qnode *t = l.v[i];
        if (t->qpos < done)
            continue;
        uint64_t tf = 0, sf = 0;
        form.len = stem.len = 0;
        one_word w = {&form, &stem, 0};
        free(sug);
        sug = NULL;
        if ((st = att_shim_termfreq(ix->db, t->term, t->term_len, &tf)) ||
            (st = att_analyze(ix->an, query + t->qpos, t->qlen, take_word, &w)))
            break;
        if (w.n != 1 || tf > total || (st = att_shim_spelling(
                                          ix->db, form.data, form.len, &sug)))
            continue;
        if (!sug || strcmp(sug, form.data) == 0)
            continue;
        /* worth it only if the replacement is a more frequent word */
        form.len = stem.len = 0;
        w.n = 0;
        if ((st = att_analyze(ix->an, sug, strlen(sug), take_word, &w)) ||
            (st = att_shim_termfreq(ix->db, stem.data, stem.len, &sf)))
            break;
        if (sf <= tf)
            continue;
        if ((st = att_buf_append(&fixed, query + done, t->qpos - done)) ||
            (st = att_buf_puts(&fixed, sug)))
            break;
        done = t->qpos + t->qlen;
        changed = true;
    }
    if (st == ATT_OK && changed &&
        (st = att_buf_puts(&fixed, query + done)) == ATT_OK) {
        uint64_t n = 0;
        st = search_count(ix, fixed.data, o, &n);
        if (st == ATT_QUERY_SYNTAX || st == ATT_EMPTY_QUERY) {
            st = ATT_OK; /* the replacement made it unparsable: no offer */
        } else if (st == ATT_OK && n > total) {
            *out = fixed.data;
            fixed.data = NULL;
        }
    }
    free(sug);
    free((void *)l.v);
    att_buf_free(&fixed);
    att_buf_free(&form);
    att_buf_free(&stem);
    return st;
}

/* ---- the search -------------------------------------------------------- */

/* ---- weighting schemes ---------------------------------------------- */

static const char *const weighting_names[] = {
    [ATT_WEIGHT_DEFAULT] = "default", [ATT_WEIGHT_BM25] = "bm25",
    [ATT_WEIGHT_BM25PLUS] = "bm25+",  [ATT_WEIGHT_LM] = "lm",
    [ATT_WEIGHT_LM_JM] = "lm-jm",     [ATT_WEIGHT_DPH] = "dph",
    [ATT_WEIGHT_DLH] = "dlh",         [ATT_WEIGHT_PL2] = "pl2",
    [ATT_WEIGHT_INL2] = "inl2"};
#define N_WEIGHTINGS (sizeof weighting_names / sizeof *weighting_names)

ATT_API const char *att_weighting_name(att_weighting w)
{
    return (unsigned)w < N_WEIGHTINGS ? weighting_names[w] : NULL;
}

ATT_API att_status att_weighting_parse(att_weighting *out, const char *name)
{
    if (!out || !name)
        return att_error_set(ATT_INVALID, "att_weighting_parse: NULL argument");
    for (size_t i = 0; i < N_WEIGHTINGS; i++)
        if (strcasecmp(name, weighting_names[i]) == 0) {
            *out = (att_weighting)i;
            return ATT_OK;
        }
    return att_error_set(ATT_INVALID,
                         "unknown weighting scheme \"%s\" (default, bm25, "
                         "bm25+, lm, lm-jm, dph, dlh, pl2 or inl2)", name);
}

/* The engine's choices for natural-language queries (ATT_DEFAULT_OR),
 * made on the TIME collection's odd-numbered queries (make eval-tune;
 * docs/EVALUATION.md has the sweeps and the held-out figures): feedback
 * from the best FEEDBACK_DOCS hits, FEEDBACK_TERMS words at most, the
 * typed query keeping FEEDBACK_WEIGHT of the weight; the proximity bonus
 * PROXIMITY for consecutive words within PROXIMITY_WINDOW words.  AND
 * queries get neither unless asked: they name what they want.  Nor does
 * the Dirichlet language model (ATT_WEIGHT_LM): its length factor counts
 * every term of the query, the added words and pairs too, which sinks
 * long articles (TIME: MAP 0.633 without them, 0.432 with them).  A word
 * or a pair the question repeats counts once unless the flags say
 * ATT_SEARCH_COUNT_REPEATS (query_parse.c, drop_repeats()). */
#define FEEDBACK_DOCS 2
#define FEEDBACK_TERMS 40
#define FEEDBACK_WEIGHT 0.6
#define PROXIMITY 0.3
#define PROXIMITY_WINDOW 5

/* Version 1 to 4 options as a complete version 4 struct. */
static att_status take_options(const att_search_options *opts,
                               att_search_options *o)
{
    att_search_options defaults = ATT_SEARCH_OPTIONS_INIT;
    *o = defaults;
    if (!opts)
        return ATT_OK;
    if (opts->version == 1)
        memcpy(o, opts, offsetof(att_search_options, default_op));
    else if (opts->version == 2)
        memcpy(o, opts, offsetof(att_search_options, facets));
    else if (opts->version == 3)
        memcpy(o, opts, offsetof(att_search_options, weighting));
    else if (opts->version == ATT_SEARCH_OPTIONS_VERSION)
        *o = *opts;
    else
        return att_error_set(ATT_INVALID,
                             "att_search: options version %d, expected %d "
                             "(initialise with ATT_SEARCH_OPTIONS_INIT)",
                             opts->version, ATT_SEARCH_OPTIONS_VERSION);
    o->version = ATT_SEARCH_OPTIONS_VERSION;
    if (o->sort != ATT_SORT_RELEVANCE && o->sort != ATT_SORT_DATE)
        return att_error_set(ATT_INVALID, "att_search: unknown sort order %d",
                             (int)o->sort);
    if (o->default_op != ATT_DEFAULT_AND && o->default_op != ATT_DEFAULT_OR)
        return att_error_set(ATT_INVALID,
                             "att_search: unknown default operator %d",
                             (int)o->default_op);
    if (o->limit > 100000 || o->offset > 100000000)
        return att_error_set(ATT_INVALID,
                             "att_search: limit (at most 100000) or offset "
                             "out of range");
    if (o->bm25_k1 > 100 || o->bm25_b > 1)
        return att_error_set(ATT_INVALID,
                             "att_search: bm25_k1 (0 to 100) or bm25_b (0 to "
                             "1) out of range");
    if ((unsigned)o->weighting >= N_WEIGHTINGS)
        return att_error_set(ATT_INVALID,
                             "att_search: unknown weighting scheme %d",
                             (int)o->weighting);
    if (o->weighting_param > 1e6 ||
        (o->weighting == ATT_WEIGHT_LM_JM && o->weighting_param >= 1))
        return att_error_set(ATT_INVALID,
                             "att_search: weighting_param out of range (at "
                             "most 1000000; below 1 for lm-jm)");
    if (o->feedback_docs < -1 || o->feedback_docs > 100 ||
        o->feedback_terms < -1 || o->feedback_terms > 1000 ||
        o->feedback_weight == 0 || o->feedback_weight >= 1)
        return att_error_set(ATT_INVALID,
                             "att_search: feedback out of range (docs -1 to "
                             "100, terms -1 to 1000, weight below 1 and not "
                             "0)");
    if (o->proximity > 100 || o->proximity_window > 1000)
        return att_error_set(ATT_INVALID,
                             "att_search: proximity (at most 100) or "
                             "proximity_window (at most 1000) out of range");
    return att_facets_check_options(o);
}

/* Parses `query` for index `ix`, wildcards expanded. */
static att_status parse_for(att_index *ix, const char *query,
                            const att_search_options *o, att_qnode **out)
{
    bool nl = o->default_op == ATT_DEFAULT_OR;
    att_qparse_opts po = {nl, 0, false, 0, 0,
                          (o->flags & ATT_SEARCH_COUNT_REPEATS) != 0};
    if (nl && (o->proximity >= 0 || o->weighting != ATT_WEIGHT_LM)) {
        po.proximity = o->proximity >= 0 ? o->proximity : PROXIMITY;
        po.proximity_window = o->proximity_window ? o->proximity_window
                                                  : PROXIMITY_WINDOW;
    }
    att_qnode *q = NULL;
    att_status st = att_query_parse_ex(ix->an, query, &po, &q);
    if (st)
        return att_error_prefix("query \"%s\"", query);
    const att_qnode *e = att_shim_exact_forms(ix->db) ? NULL : find_exact(q);
    if (e) {
        st = att_error_set_at(ATT_QUERY_SYNTAX, (long)e->qpos,
                              "exact word forms (=word) need an index built "
                              "with them (attache index --exact-forms into a "
                              "new directory; docs/QUERY-SYNTAX.md)");
        att_qnode_free(q);
        return att_error_prefix("query \"%s\"", query);
    }
    if ((st = att_wildcards_expand(ix, q))) {
        att_qnode_free(q);
        return st;
    }
    *out = q;
    return ATT_OK;
}

static void shim_opts(const att_search_options *o, att_shim_query_opts *so)
{
    memset(so, 0, sizeof *so);
    so->offset = o->offset;
    so->limit = o->limit;
    so->sort_by_date = o->sort == ATT_SORT_DATE;
    so->k1 = o->bm25_k1;
    so->b = o->bm25_b;
    so->weighting = o->weighting;
    so->wparam = o->weighting_param;
    /* Feedback re-ranks: nothing to do for a count or a date order. */
    bool nl = o->default_op == ATT_DEFAULT_OR && o->weighting != ATT_WEIGHT_LM;
    so->fb_docs = o->limit == 0 || o->sort != ATT_SORT_RELEVANCE ? 0
                  : o->feedback_docs >= 0 ? (unsigned)o->feedback_docs
                  : nl                    ? FEEDBACK_DOCS
                                          : 0;
    so->fb_terms = o->feedback_terms >= 0 ? (unsigned)o->feedback_terms
                                          : FEEDBACK_TERMS;
    so->fb_weight = o->feedback_weight > 0 ? o->feedback_weight
                                           : FEEDBACK_WEIGHT;
    so->collapse_slot =
        (o->flags & ATT_SEARCH_ALL_COPIES) ? ATT_NO_SLOT : ATT_SLOT_DUP;
    so->max_copies = ATT_MAX_COPY_IDS;
}

static att_status search_count(att_index *ix, const char *query,
                               const att_search_options *o, uint64_t *total)
{
    att_qnode *q = NULL;
    att_status st = parse_for(ix, query, o, &q);
    if (st)
        return st;
    att_shim_query_opts so;
    shim_opts(o, &so);
    so.offset = 0;
    so.limit = 0;
    so.fb_docs = 0; /* a count: no ranking */
    att_shim_result sr;
    memset(&sr, 0, sizeof sr);
    st = att_shim_search(ix->db, q, &so, &sr);
    *total = sr.total;
    att_shim_result_clear(&sr);
    att_qnode_free(q);
    return st;
}

ATT_API att_status att_search(att_results **out, att_index *ix,
                              const char *query,
                              const att_search_options *opts)
{
    if (!out)
        return att_error_set(ATT_INVALID, "att_search: out is NULL");
    *out = NULL;
    if (!ix || !query)
        return att_error_set(ATT_INVALID, "att_search: NULL argument");
    att_search_options oo;
    att_status st = take_options(opts, &oo);
    if (st)
        return st;
    const att_search_options *o = &oo;

    att_qnode *q = NULL;
    att_hl *hl = NULL;
    att_results *r = NULL;
    att_shim_result sr;
    memset(&sr, 0, sizeof sr);
    const char **terms = NULL;
    size_t *lens = NULL;
    if ((st = parse_for(ix, query, o, &q)))
        return st;
    if ((st = att_hl_compile(q, &hl)))
        goto out;
    size_t nt = att_hl_term_count(hl);
    terms = att_malloc_array(nt ? nt : 1, sizeof *terms);
    lens = att_malloc_array(nt ? nt : 1, sizeof *lens);
    if (!terms || !lens) {
        st = att_error_nomem();
        goto out;
    }
    for (size_t i = 0; i < nt; i++)
        terms[i] = att_hl_term(hl, i, &lens[i]);
    att_shim_query_opts so;
    shim_opts(o, &so);
    so.stat_terms = terms;
    so.stat_lens = lens;
    so.n_stat_terms = nt;
    att_facets_shim_opts(o, &so);
    if ((st = att_shim_search(ix->db, q, &so, &sr)))
        goto out;
    if (nt)
        att_hl_set_stats(hl, sr.doccount, sr.termfreqs);
    r = calloc(1, sizeof *r);
    if (!r || !(r->query = att_strdup(query))) {
        st = att_error_nomem();
        goto out;
    }
    r->total = sr.total;
    r->exact = sr.exact;
    att_facets_take(&r->facets, o, &sr);
    if (sr.n_hits) {
        r->hits = calloc(sr.n_hits, sizeof *r->hits);
        if (!r->hits) {
            st = att_error_nomem();
            goto out;
        }
    }
    for (size_t i = 0; i < sr.n_hits; i++) {
        r->n = i + 1;
        if ((st = fill_hit(ix, hl, o, &sr.hits[i], o->offset + i + 1,
                           &r->hits[i])))
            goto out;
    }
    if (!(o->flags & ATT_SEARCH_NO_SUGGESTION) && r->total < SUGGEST_BELOW &&
        (st = suggest(ix, query, q, o, r->total, &r->suggestion)))
        goto out;
    *out = r;
    r = NULL;
out:
    att_results_free(r);
    att_shim_result_clear(&sr);
    free(terms);
    free(lens);
    att_hl_free(hl);
    att_qnode_free(q);
    return st;
}
