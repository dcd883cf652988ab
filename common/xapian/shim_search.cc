/*
 * shim_search.cc: query trees to Xapian queries, and the search itself.
 *
 * Ranking is BM25 unless the options name another scheme (shim_weight.cc,
 * with the parameters chosen by evaluation in docs/EVALUATION.md), with
 * pseudo-relevance feedback when asked for (shim_feedback.cc).  Filters
 * (ATT_Q_FILTER) are scaled to weight 0 so that they select without
 * ranking; a node with a scale (the proximity bonus of natural-language
 * queries) has its weight multiplied by it.  The copies of a story are
 * collapsed by Xapian's collapse key, or, when the search counts facets,
 * from the facet column's signatures (stories_of()).  The whole search, records
 * of the hits included, runs inside one retry loop: a DatabaseModifiedError
 * (a writer recycled the blocks of the revision being read) reopens the
 * database and starts again, which is safe because nothing has been handed
 * back yet.
 */
#include "shim_internal.hh"
#include "schema.h"
#include "shim_datesource.hh"
#include "shim_facets.hh" /* facets */
#include "shim_fcol.hh"
#include "shim_feedback.hh"
#include "shim_weight.hh"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <unordered_set>
#include <utility>
#include <vector>

static const size_t CHECK_AT_LEAST = 100;

/* The facet column when the search counts facets: date filters then read
 * it (shim_datesource.cc); NULL: they read value slot 0. */
typedef AttFacetColumn *Dates;

static Xapian::Query build(const att_qnode *q, Dates dates);
static Xapian::Query build_node(const att_qnode *q, Dates dates);

/* A phrase or NEAR group: positional over the kids' terms, where an exact
 * form (E term, no positions) is represented by its stem (alt) and the
 * exact forms then filter without adding weight. */
static Xapian::Query positional(const att_qnode *q, Xapian::Query::op op,
                                Xapian::termcount window, Dates dates)
{
    std::vector<Xapian::Query> kids, exact;
    kids.reserve(q->n_kids);
    for (size_t i = 0; i < q->n_kids; i++) {
        const att_qnode *k = q->kids[i];
        if (k->kind == ATT_Q_TERM && k->alt) {
            kids.push_back(Xapian::Query(std::string(k->alt, k->alt_len)));
            exact.push_back(Xapian::Query(std::string(k->term, k->term_len)));
        } else {
            kids.push_back(build_node(k, dates)); /* leaves: never scaled */
        }
    }
    Xapian::Query p(op, kids.begin(), kids.end(), window);
    if (exact.empty())
        return p;
    return Xapian::Query(Xapian::Query::OP_FILTER, p,
                         Xapian::Query(Xapian::Query::OP_AND, exact.begin(),
                                       exact.end()));
}

/* A node's query, its weight multiplied by its scale if it has one. */
static Xapian::Query build(const att_qnode *q, Dates dates)
{
    if (q->scale > 0 && q->scale != 1)
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                             build_node(q, dates), q->scale);
    return build_node(q, dates);
}

static Xapian::Query build_node(const att_qnode *q, Dates dates)
{
    switch (q->kind) {
    case ATT_Q_TERM:
        return Xapian::Query(std::string(q->term, q->term_len));
    case ATT_Q_FILTER:
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                             Xapian::Query(std::string(q->term, q->term_len)),
                             0.0);
    case ATT_Q_MATCH_ALL:
        return Xapian::Query::MatchAll;
    case ATT_Q_NEAR:
        return positional(q, q->ordered ? Xapian::Query::OP_PHRASE
                                        : Xapian::Query::OP_NEAR,
                          (Xapian::termcount)q->window, dates);
    case ATT_Q_PHRASE:
        return positional(q, Xapian::Query::OP_PHRASE,
                          (Xapian::termcount)q->n_kids, dates);
    case ATT_Q_AND:
    case ATT_Q_OR: {
        std::vector<Xapian::Query> kids;
        kids.reserve(q->n_kids);
        for (size_t i = 0; i < q->n_kids; i++)
            kids.push_back(build(q->kids[i], dates));
        return Xapian::Query(q->kind == ATT_Q_AND ? Xapian::Query::OP_AND
                                                  : Xapian::Query::OP_OR,
                             kids.begin(), kids.end());
    }
    case ATT_Q_AND_NOT:
        return Xapian::Query(Xapian::Query::OP_AND_NOT, build(q->kids[0], dates),
                             build(q->kids[1], dates));
    case ATT_Q_AND_MAYBE:
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, build(q->kids[0], dates),
                             build(q->kids[1], dates));
    case ATT_Q_SYNONYM:
    case ATT_Q_WILDCARD: {
        /* The words search.c found for it, as one term for BM25 (as
         * Xapian's own wildcards); none: matches nothing. */
        std::vector<Xapian::Query> kids;
        kids.reserve(q->n_kids);
        for (size_t i = 0; i < q->n_kids; i++)
            kids.push_back(build(q->kids[i], dates));
        if (kids.empty())
            return Xapian::Query();
        return Xapian::Query(Xapian::Query::OP_SYNONYM, kids.begin(),
                             kids.end());
    }
    case ATT_Q_RANGE:
        /* A filter: value ranges carry no weight. */
        if (dates && q->slot == ATT_SLOT_DATE) {
            Xapian::Query c = att_shim_date_source(*dates, q->lo, q->hi);
            if (!c.empty())
                return c;
        }
        if (q->lo[0] && q->hi[0])
            return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, q->slot,
                                 std::string(q->lo), std::string(q->hi));
        if (q->lo[0])
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, q->slot,
                                 std::string(q->lo));
        return Xapian::Query(Xapian::Query::OP_VALUE_LE, q->slot,
                             std::string(q->hi));
    }
    throw Xapian::InvalidArgumentError("unknown query node kind");
}

extern "C" void att_shim_result_clear(att_shim_result *r)
{
    for (size_t i = 0; i < r->n_hits; i++) {
        att_shim_hit *hit = &r->hits[i];
        std::free(hit->data);
        for (size_t k = 0; k < hit->n_copy_data; k++)
            std::free(hit->copy_data[k]);
        std::free(hit->copy_data);
        std::free(hit->copy_lens);
    }
    std::free(r->hits);
    std::free(r->termfreqs);
    for (int f = 0; f < ATT_FACET_COUNT; f++) /* facets */
        std::free(r->facets[f]);
    std::memset(r, 0, sizeof *r);
}

static char *dup_string(const std::string &s)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* The other documents holding the hit's content signature term: how many,
 * and the records of the first o->max_copies of them. */
static void copies(att_shim_db *h, const Xapian::MSetIterator &it,
                   const att_shim_query_opts *o, att_shim_hit *hit)
{
    Xapian::Document doc = it.get_document();
    std::string key = doc.get_value(ATT_SLOT_DUP);
    if (key.empty())
        return;
    std::string term = ATT_PREFIX_DUP + key;
    Xapian::doccount tf = h->db->get_termfreq(term);
    if (tf < 2)
        return;
    hit->copies = tf - 1;
    size_t want = std::min<size_t>(o->max_copies, tf - 1);
    if (!want)
        return;
    hit->copy_data = static_cast<char **>(std::calloc(want, sizeof(char *)));
    hit->copy_lens = static_cast<size_t *>(std::calloc(want, sizeof(size_t)));
    if (!hit->copy_data || !hit->copy_lens)
        throw std::bad_alloc();
    for (Xapian::PostingIterator p = h->db->postlist_begin(term);
         p != h->db->postlist_end(term) && hit->n_copy_data < want; ++p) {
        if (*p == *it)
            continue;
        std::string data = h->db->get_document(*p).get_data();
        hit->copy_data[hit->n_copy_data] = dup_string(data);
        hit->copy_lens[hit->n_copy_data++] = data.size();
    }
}

/* The page's entries of `m` (positions in it) when the copies of a
 * story are collapsed here rather than by Xapian: in the MSet's order,
 * the first entry of each content signature, as the facet column gives
 * it, is the story's hit, and the later ones are left out; entries
 * without a signature are never collapsed.  That is what Xapian's
 * collapse keeps (the best copy, equal ones by document id: the MSet's
 * own order), without reading a value and keeping a key for every
 * match while matching.  `asked`: the size m was asked for. */
enum Stories { PAGE, MORE, NOT_IN_COLUMN };
static Stories stories_of(AttFacetColumn &col, const Xapian::MSet &m,
                          Xapian::doccount asked, size_t skip, size_t limit,
                          std::vector<Xapian::doccount> &page)
{
    std::unordered_set<uint64_t> seen(2 * (size_t)m.size());
    size_t stories = 0;
    page.clear();
    Xapian::doccount i = 0;
    for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it, ++i) {
        const attfcol::Doc *d = col.entry(*it);
        if (!d || !(d->flags & attfcol::PRESENT))
            return NOT_IN_COLUMN;
        if ((d->flags & attfcol::HAS_SIG) && !seen.insert(d->sig).second)
            continue; /* a later copy */
        if (stories++ >= skip) {
            page.push_back(i);
            if (page.size() == limit)
                return PAGE;
        }
    }
    /* Short of the page: it is all there is if m holds every match. */
    return m.size() < asked ? PAGE : MORE;
}

/* The page as Xapian collapses the copies of a story (or lists every
 * copy), with the total it can tell. */
static Xapian::MSet xapian_page(Xapian::Enquire &enq,
                                const att_shim_query_opts *o,
                                att_shim_result *out)
{
    bool collapse = o->collapse_slot != ATT_NO_SLOT;
    if (collapse)
        enq.set_collapse_key(o->collapse_slot);
    /* Check at least CHECK_AT_LEAST matches beyond the page, so that the
     * total is exact whenever the match set is small (cheap), and an
     * estimate, labelled as such, only for large ones.  With collapsing,
     * Xapian's bounds stay wide even when every match was seen, so the
     * page is fetched with CHECK_AT_LEAST more entries (weights and ids
     * only) and counted: fewer than asked for means the collapsed total
     * is known exactly. */
    Xapian::doccount want = (Xapian::doccount)o->limit +
                            (collapse ? (Xapian::doccount)CHECK_AT_LEAST : 0);
    Xapian::MSet m = enq.get_mset(
        (Xapian::doccount)o->offset, want,
        (Xapian::doccount)(o->offset + o->limit + CHECK_AT_LEAST));
    out->total = m.get_matches_estimated();
    out->exact = m.get_matches_lower_bound() == m.get_matches_upper_bound();
    if (collapse && m.size() < want && (m.size() > 0 || o->offset == 0)) {
        out->total = o->offset + m.size();
        out->exact = 1;
    }
    return m;
}

static att_status run_once(att_shim_db *h, const att_qnode *q,
                           const Xapian::Query &query,
                           const att_shim_query_opts *o, att_shim_result *out)
{
    Xapian::Enquire enq(*h->db);
    /* The ranking function, and the words of the best hits added to the
     * query when feedback is asked for (shim_weight.cc, shim_feedback.cc):
     * the matches stay those of `query`. */
    enq.set_query(att_shim_feedback(*h->db, query, o));
    enq.set_weighting_scheme(*att_shim_weight(o));
    if (o->sort_by_date)
        enq.set_sort_by_value_then_relevance(ATT_SLOT_DATE, true);
    else
        enq.set_sort_by_relevance();
    bool collapse = o->collapse_slot != ATT_NO_SLOT;
    Xapian::MSet m;
    std::vector<Xapian::doccount> page; /* positions in m when collapsed here */
    bool own_page = false;
    /* ---- collapsing against the facet column ----
     * A search that counts facets has the column in memory, and the count
     * gives the exact total; the copies of a story are then collapsed
     * from the column's signatures (stories_of()), which on the bench's
     * mix costs less than Xapian's collapse.  The MSet grows (x4) until
     * it holds the page's stories or every match. */
    if (collapse && o->facets && o->limit > 0 &&
        o->collapse_slot == ATT_SLOT_DUP) {
        AttFacetColumn &col = att_shim_facet_column(h);
        col.sync();
        Xapian::doccount asked = (Xapian::doccount)(o->offset + o->limit) +
                                 (Xapian::doccount)CHECK_AT_LEAST;
        for (;;) {
            m = enq.get_mset(0, asked, asked);
            Stories r = stories_of(col, m, asked, o->offset, o->limit, page);
            if (r == PAGE) {
                own_page = true;
                break;
            }
            if (r == NOT_IN_COLUMN)
                break; /* Xapian collapses, below */
            asked = asked > UINT32_MAX / 4 ? UINT32_MAX : asked * 4;
        }
    }
    if (own_page) {
        out->total = m.get_matches_estimated(); /* replaced by the count */
        out->exact = 0;
    } else {
        m = xapian_page(enq, o, out);
    }
    /* ---- facets (shim_facets.cc) ---- */
    /* Counted over every match, so the total becomes exact; the page
     * above keeps the cost of a search without facets. */
    if (o->facets)
        att_shim_count_facets(h, q, query, collapse, o->facets, o->date_unit, out);
    /* ---- end facets ---- */
    out->doccount = h->db->get_doccount();
    if (o->n_stat_terms) {
        out->termfreqs = static_cast<uint64_t *>(
            std::calloc(o->n_stat_terms, sizeof(uint64_t)));
        if (!out->termfreqs)
            throw std::bad_alloc();
        for (size_t i = 0; i < o->n_stat_terms; i++)
            out->termfreqs[i] = h->db->get_termfreq(
                std::string(o->stat_terms[i], o->stat_lens[i]));
    }
    size_t n = own_page ? page.size() : std::min<size_t>(m.size(), o->limit);
    if (n) {
        out->hits = static_cast<att_shim_hit *>(std::calloc(n, sizeof(att_shim_hit)));
        if (!out->hits)
            throw std::bad_alloc();
    }
    for (Xapian::MSetIterator next = m.begin(); out->n_hits < n; ++next) {
        Xapian::MSetIterator it = own_page ? m[page[out->n_hits]] : next;
        att_shim_hit *hit = &out->hits[out->n_hits];
        hit->score = it.get_weight();
        std::string data = it.get_document().get_data();
        hit->data = static_cast<char *>(std::malloc(data.size() + 1));
        if (!hit->data)
            throw std::bad_alloc();
        std::memcpy(hit->data, data.data(), data.size());
        hit->data[data.size()] = '\0';
        hit->data_len = data.size();
        out->n_hits++;
        copies(h, it, o, hit);
    }
    return ATT_OK;
}

extern "C" att_status att_shim_search(att_shim_db *h, const att_qnode *q,
                                      const att_shim_query_opts *o,
                                      att_shim_result *out)
{
    try {
        /* With facets, the whole facet column is read anyway; date
         * filters then read it too (shim_datesource.cc). */
        Xapian::Query query =
            build(q, o->facets ? &att_shim_facet_column(h) : nullptr);
        att_status st = ATT_OK;
        att_shim_read_retry(h, [&] {
            att_shim_result_clear(out); /* what a failed attempt left */
            st = run_once(h, q, query, o, out);
        });
        return st;
    } catch (...) {
        att_shim_result_clear(out);
        return att_shim_caught("search in index " + h->path);
    }
}

/* At most this many words of the vocabulary are looked at for one
 * wildcard; the most frequent `max` of them are kept. */
static const size_t WILDCARD_SCAN_MAX = 200000;

extern "C" att_status att_shim_words_with_prefix(
    att_shim_db *h, const char *prefix, size_t len, size_t max,
    att_status (*fn)(void *ctx, const char *word, size_t len), void *ctx)
{
    try {
        std::vector<std::pair<Xapian::doccount, std::string>> words;
        std::string p(prefix, len);
        att_shim_read_retry(h, [&] {
            words.clear();
            Xapian::TermIterator it = h->db->spellings_begin();
            it.skip_to(p);
            for (; it != h->db->spellings_end(); ++it) {
                const std::string &w = *it;
                if (w.compare(0, p.size(), p) != 0 ||
                    words.size() >= WILDCARD_SCAN_MAX)
                    break;
                words.emplace_back(it.get_termfreq(), w);
            }
        });
        if (words.size() > max) {
            std::partial_sort(words.begin(), words.begin() + (long)max,
                              words.end(),
                              [](const auto &a, const auto &b) {
                                  return a.first > b.first ||
                                         (a.first == b.first && a.second < b.second);
                              });
            words.resize(max);
        }
        for (const auto &w : words) {
            att_status st = fn(ctx, w.second.data(), w.second.size());
            if (st)
                return st;
        }
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_spelling(att_shim_db *h, const char *word,
                                        size_t len, char **out)
{
    *out = nullptr;
    try {
        std::string s;
        att_shim_read_retry(h, [&] {
            s = h->db->get_spelling_suggestion(std::string(word, len), 2);
        });
        if (s.empty())
            return ATT_OK;
        *out = static_cast<char *>(std::malloc(s.size() + 1));
        if (!*out)
            throw std::bad_alloc();
        std::memcpy(*out, s.c_str(), s.size() + 1);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_termfreq(att_shim_db *h, const char *term,
                                        size_t len, uint64_t *out)
{
    try {
        att_shim_read_retry(h, [&] { *out = h->db->get_termfreq(std::string(term, len)); });
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}
