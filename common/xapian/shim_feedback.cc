/*
 * shim_feedback.cc: pseudo-relevance feedback.  A question typed in
 * natural language rarely uses every word the articles that answer it
 * use ("Algerian" where they say "Algeria", "chancellorship" where they
 * say "Erhard"); the best few hits of the query as typed usually do.  So
 * the query is run once, the words of its best hits are weighed, and the
 * strongest of them are added to the query as optional words with small
 * weights: relevance model 3 (RM3; Lavrenko & Croft 2001, Abdul-Jaleel et
 * al. 2004), the expansion behind Anserini's and Terrier's feedback.
 *
 * For the best D hits (fb_docs), each with score s(d):
 *
 *   P(d)   = s(d) / sum of s over the D hits
 *   P(w|d) = c(w,d) / |d|     (c: the word's count, a title word
 *                              counting ATT_TITLE_WDF times as for BM25;
 *                              |d|: the sum of c over the article's words)
 *   RM(w)  = sum over the D hits of P(d) P(w|d)
 *
 * The T words (fb_terms) with the highest RM(w) are kept, leaving out the
 * words of more than half of the index's articles (they tell nothing
 * apart; BM25 gives them almost no weight either), and each is added with
 * the weight multiplier
 *
 *   (1 - lambda) / lambda * |q| * RM(w) / sum of RM over the T words
 *
 * where lambda (fb_weight) is the typed query's share and |q| the number of
 * its distinct terms: a word's multiplier is its share of the relevance
 * model against the 1 / |q| share of each typed word, as RM3 interpolates
 * the two models.  Words of the query itself can come back (their weight
 * grows), as in RM3.  The expansion is joined with AND_MAYBE, so the
 * matches stay exactly those of the query as typed: feedback only changes
 * their order.
 *
 * Only word terms (unprefixed stems) are taken: not titles' copies, exact
 * forms, entity or id terms (common/xapian/schema.h), and not numbers.
 * What it costs: a first search for D hits, D term lists, the document
 * frequencies of the candidates looked at, and a second search with T more
 * optional terms (docs/EVALUATION.md has the measured time).
 */
#include "shim_feedback.hh"

#include "shim_weight.hh"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

/* A word term: an unprefixed stem, starting with a lower-case letter
 * (prefixes are capitals; numbers start with a digit). */
static bool word_term(const std::string &t)
{
    return t.size() >= 2 && t[0] >= 'a' && t[0] <= 'z';
}

Xapian::Query att_shim_feedback(const Xapian::Database &db,
                                const Xapian::Query &query,
                                const att_shim_query_opts *o)
{
    if (!o->fb_docs || !o->fb_terms || query.empty() || o->fb_weight <= 0 ||
        o->fb_weight >= 1)
        return query;
    Xapian::Enquire first(db);
    first.set_query(query);
    first.set_weighting_scheme(*att_shim_weight(o));
    Xapian::MSet top = first.get_mset(0, o->fb_docs);
    double total = 0;
    for (Xapian::MSetIterator it = top.begin(); it != top.end(); ++it)
        total += it.get_weight();
    if (top.empty() || total <= 0)
        return query; /* nothing matched, or only filters: no evidence */

    std::map<std::string, double> rm;
    for (Xapian::MSetIterator it = top.begin(); it != top.end(); ++it) {
        std::vector<std::pair<std::string, Xapian::termcount>> words;
        double len = 0;
        for (Xapian::TermIterator t = db.termlist_begin(*it);
             t != db.termlist_end(*it); ++t) {
            const std::string &term = *t;
            if (!word_term(term))
                continue;
            words.emplace_back(term, t.get_wdf());
            len += t.get_wdf();
        }
        if (len <= 0)
            continue;
        double pd = it.get_weight() / total;
        for (const auto &w : words)
            rm[w.first] += pd * w.second / len;
    }

    /* The strongest words first (ties in term order, so runs repeat). */
    std::vector<std::pair<double, const std::string *>> order;
    order.reserve(rm.size());
    for (const auto &kv : rm)
        order.emplace_back(kv.second, &kv.first);
    std::sort(order.begin(), order.end(), [](const auto &a, const auto &b) {
        return a.first > b.first || (a.first == b.first && *a.second < *b.second);
    });
    double half = db.get_doccount() / 2.0, sum = 0;
    std::vector<std::pair<double, const std::string *>> kept;
    for (const auto &w : order) {
        if (kept.size() >= o->fb_terms)
            break;
        if (db.get_termfreq(*w.second) > half)
            continue;
        kept.push_back(w);
        sum += w.first;
    }
    if (kept.empty() || sum <= 0)
        return query;

    double qlen = 0;
    for (Xapian::TermIterator t = query.get_unique_terms_begin();
         t != query.get_unique_terms_end(); ++t)
        qlen++;
    if (qlen < 1)
        qlen = 1;
    double k = (1 - o->fb_weight) / o->fb_weight * qlen / sum;
    std::vector<Xapian::Query> extra;
    extra.reserve(kept.size());
    for (const auto &w : kept)
        extra.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                           Xapian::Query(*w.second), k * w.first);
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                         Xapian::Query(Xapian::Query::OP_OR, extra.begin(),
                                       extra.end()));
}
