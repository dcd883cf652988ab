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
#include "highlight.h"
#include "query_parse.h"

#include <stdlib.h>
#include <string.h>

typedef struct hit_store {
    att_hit hit;
    att_article *rec;     /* owns the strings the hit points to */
    att_snippet *snips;
    size_t n_snips;
    att_snippet title;
    bool has_title;
} hit_store;

struct att_results {
    char *query;
    uint64_t total;
    int exact;
    hit_store *hits;
    size_t n;
};

ATT_API void att_results_free(att_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        hit_store *h = &r->hits[i];
        att_article_free(h->rec);
        att_hl_snippets_clear(h->snips, h->n_snips);
        free(h->snips);
        if (h->has_title)
            att_hl_snippets_clear(&h->title, 1);
    }
    free(r->hits);
    free(r->query);
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
    for (size_t i = 0; i < q->n_kids; i++) {
        const att_qnode *e = find_exact(q->kids[i]);
        if (e)
            return e;
    }
    return NULL;
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
    att_search_options defaults = ATT_SEARCH_OPTIONS_INIT;
    const att_search_options *o = opts ? opts : &defaults;
    if (o->version != ATT_SEARCH_OPTIONS_VERSION)
        return att_error_set(ATT_INVALID,
                             "att_search: options version %d, expected %d "
                             "(initialise with ATT_SEARCH_OPTIONS_INIT)",
                             o->version, ATT_SEARCH_OPTIONS_VERSION);
    if (o->sort != ATT_SORT_RELEVANCE && o->sort != ATT_SORT_DATE)
        return att_error_set(ATT_INVALID, "att_search: unknown sort order %d",
                             (int)o->sort);
    if (o->limit > 100000 || o->offset > 100000000)
        return att_error_set(ATT_INVALID,
                             "att_search: limit (at most 100000) or offset "
                             "out of range");

    att_qnode *q = NULL;
    att_hl *hl = NULL;
    att_results *r = NULL;
    att_shim_result sr;
    memset(&sr, 0, sizeof sr);
    const char **terms = NULL;
    size_t *lens = NULL;
    att_status st = att_query_parse(ix->an, query, &q);
    if (st)
        return att_error_prefix("query \"%s\"", query);
    const att_qnode *e = att_shim_exact_forms(ix->db) ? NULL : find_exact(q);
    if (e) {
        st = att_error_set_at(ATT_QUERY_SYNTAX, (long)e->qpos,
                              "exact word forms (=word) need an index built "
                              "with them (attache index --exact-forms into a "
                              "new directory; docs/QUERY-SYNTAX.md)");
        att_qnode_free(q);
        return st;
    }
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
    att_shim_query_opts so = {o->offset, o->limit, o->sort == ATT_SORT_DATE,
                              terms, lens, nt};
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
