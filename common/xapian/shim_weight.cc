/*
 * shim_weight.cc: the ranking functions a search can use
 * (att_search_options.weighting), and the engine's default among them.
 *
 * Each scheme is a Xapian::Weight; shim_search.cc asks att_shim_weight()
 * for the one the options name.  Xapian 1.4 supplies BM25, BM25+ and the
 * divergence-from-randomness family (DPH, DLH, PL2, InL2); the two
 * query-likelihood language models are written here, because Xapian
 * 1.4's LMWeight scores a document only through the query words it
 * contains (log(p(w|d) * doclen_max), clamped at 0) and leaves out the
 * document-length factor that the missing words contribute, so it is not
 * the ranking of the language-modelling literature.
 *
 * Query likelihood with Dirichlet smoothing (Zhai & Lafferty 2001), for a
 * query q and a document d of length |d|, c(w,d) the word's count in d,
 * p(w|C) its share of all the collection's words, mu the prior's weight:
 *
 *   log p(q|d) = sum over w in q of log((c(w,d) + mu p(w|C)) / (|d| + mu))
 *
 * which, after subtracting what does not depend on d, ranks as
 *
 *   sum over w in q and d of log(1 + c(w,d) / (mu p(w|C)))
 *       + |q| log(mu / (|d| + mu))
 *
 * The first sum is Xapian's per-term part (get_sumpart); the second is its
 * per-document extra (get_sumextra), shifted by the constant
 * |q| log((|d|max + mu) / mu) so that it is never negative, as Xapian's
 * matcher expects of weights.  Jelinek-Mercer smoothing (lambda the
 * collection model's share) needs no extra part:
 *
 *   sum over w in q and d of log(1 + (1 - lambda) c(w,d) / (|d| lambda p(w|C)))
 *
 * |q| is Xapian's query length (the query's terms, repeats counted), and a
 * synonym group (an entity's names, a wildcard's words) counts its
 * members' statistics together, as it does for BM25.
 *
 * The defaults (the parameters used when the options leave them
 * negative) were chosen on the TIME collection's odd-numbered queries
 * (make eval-tune; docs/EVALUATION.md has the figures).
 */
#include "shim_weight.hh"

#include <algorithm>
#include <cmath>

/* BM25's parameters.  k1 and b were chosen on the TIME collection's
 * odd-numbered queries (make eval-tune: the best MAP of a k1 0.4..2.0 x
 * b 0.1..1.0 grid; the even queries are held out); docs/EVALUATION.md has
 * the sweep and the held-out figures.  k2, k3 and min_normlen are
 * Xapian's defaults. */
static const double BM25_K1 = 1.8;
static const double BM25_K2 = 0.0;
static const double BM25_K3 = 1.0;
static const double BM25_B = 0.9;
static const double BM25_MIN_NORMLEN = 0.5;
/* The other functions' parameters: each the best on the odd queries of
 * its grid, feedback and proximity off (make eval-tune TUNE=weighting).
 * BM25+'s lower bound for a word that occurs (Lv & Zhai 2011; they
 * propose 1): */
static const double BM25PLUS_DELTA = 0.5;
/* The language models' smoothing (the literature's usual values, mu 2000
 * and lambda 0.7, measured 0.616 and 0.656): */
static const double LM_MU = 1200.0;
static const double LM_LAMBDA = 0.5;
/* The DFR models' term-frequency normalisation (Xapian's default is 1): */
static const double PL2_C = 1.0;
static const double INL2_C = 0.5;

namespace {

/* Query likelihood, Dirichlet or Jelinek-Mercer smoothing (see above). */
class LMWeight : public Xapian::Weight {
    bool dirichlet;
    double param;         /* mu, or lambda */
    double factor = 0;    /* OP_SCALE_WEIGHT's factor; 0 for the extra part */
    double pc = 0;        /* p(w|C) */

  public:
    LMWeight(bool dirichlet_, double param_) : dirichlet(dirichlet_), param(param_)
    {
        need_stat(COLLECTION_FREQ);
        need_stat(TOTAL_LENGTH);
        need_stat(WDF);
        need_stat(WQF);
        need_stat(WDF_MAX);
        need_stat(DOC_LENGTH);
        if (dirichlet) {
            need_stat(QUERY_LENGTH);
            need_stat(DOC_LENGTH_MAX);
            need_stat(DOC_LENGTH_MIN);
        } else {
            need_stat(DOC_LENGTH_MIN);
        }
    }

    LMWeight *clone() const override { return new LMWeight(dirichlet, param); }

    void init(double factor_) override
    {
        factor = factor_;
        double total = (double)get_total_length();
        double cf = (double)get_collection_freq();
        /* A word the statistics do not see (it cannot match) or an empty
         * collection: half an occurrence, so the logs stay finite. */
        pc = total > 0 ? (cf > 0 ? cf : 0.5) / total : 1.0;
    }

    std::string name() const override { return "attache::LMWeight"; }

    /* The log-ratio of one matching word: log(1 + c / (k p(w|C))). */
    double part(double wdf, double len) const
    {
        if (wdf <= 0)
            return 0;
        if (dirichlet)
            return std::log1p(wdf / (param * pc));
        if (len <= 0)
            return 0;
        return std::log1p((1 - param) * wdf / (len * param * pc));
    }

    double get_sumpart(Xapian::termcount wdf, Xapian::termcount len,
                       Xapian::termcount) const override
    {
        return factor * get_wqf() * part(wdf, len);
    }

    double get_maxpart() const override
    {
        double wdf = get_wdf_upper_bound();
        /* JM grows with wdf / len; wdf <= len, and the shortest document
         * bounds it otherwise. */
        double len = dirichlet ? 0 : std::max(1.0, (double)get_doclength_lower_bound());
        if (!dirichlet && wdf > len)
            len = wdf;
        return factor * get_wqf() * part(wdf, len);
    }

    double get_sumextra(Xapian::termcount len, Xapian::termcount) const override
    {
        if (!dirichlet)
            return 0;
        double top = (double)get_doclength_upper_bound();
        if ((double)len > top)
            top = len;
        return get_query_length() * std::log((top + param) / (len + param));
    }

    double get_maxextra() const override
    {
        if (!dirichlet)
            return 0;
        double top = get_doclength_upper_bound();
        double low = get_doclength_lower_bound();
        return get_query_length() * std::log((top + param) / (low + param));
    }
};

/* A new Weight for the options (owned by the caller). */
static Xapian::Weight *make_weight(const att_shim_query_opts *o)
{
    double p = o->wparam;
    switch (o->weighting) {
    case ATT_WEIGHT_DEFAULT:
    case ATT_WEIGHT_BM25:
        return new Xapian::BM25Weight(o->k1 >= 0 ? o->k1 : BM25_K1, BM25_K2,
                                      BM25_K3, o->b >= 0 ? o->b : BM25_B,
                                      BM25_MIN_NORMLEN);
    case ATT_WEIGHT_BM25PLUS:
        return new Xapian::BM25PlusWeight(
            o->k1 >= 0 ? o->k1 : BM25_K1, BM25_K2, BM25_K3,
            o->b >= 0 ? o->b : BM25_B, BM25_MIN_NORMLEN,
            p >= 0 ? p : BM25PLUS_DELTA);
    case ATT_WEIGHT_LM:
        return new LMWeight(true, p > 0 ? p : LM_MU);
    case ATT_WEIGHT_LM_JM:
        return new LMWeight(false, p > 0 && p < 1 ? p : LM_LAMBDA);
    case ATT_WEIGHT_DPH:
        return new Xapian::DPHWeight();
    case ATT_WEIGHT_DLH:
        return new Xapian::DLHWeight();
    case ATT_WEIGHT_PL2:
        return new Xapian::PL2Weight(p > 0 ? p : PL2_C);
    case ATT_WEIGHT_INL2:
        return new Xapian::InL2Weight(p > 0 ? p : INL2_C);
    }
    throw Xapian::InvalidArgumentError("unknown weighting scheme");
}

} // namespace

std::unique_ptr<Xapian::Weight> att_shim_weight(const att_shim_query_opts *o)
{
    return std::unique_ptr<Xapian::Weight>(make_weight(o));
}
