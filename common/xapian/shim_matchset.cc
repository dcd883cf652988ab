/*
 * shim_matchset.cc: every match of a query tree, walked from the posting
 * lists, for the facet count (shim_facets.cc).
 *
 * Why.  The count needs the document ids of every match and nothing
 * else: no weight, no order.  Asked of Xapian's matcher (get_mset with a
 * match spy and check_at_least = every document), each match costs about
 * 1,400 instructions of matcher bookkeeping (a candidate item, a weight
 * read through the posting list tree, a heap step, the spy's call): on
 * the benchmark's mix, queries near the median spent a fifth of their
 * time there (docs/PERFORMANCE.md).  Walking the posting lists directly
 * costs a skip_to() per list and match.
 *
 * What it takes.  Terms and filters (a posting list each), every article
 * (the all-documents list), AND (lists leapfrogging to a common id),
 * OR, synonyms and expanded wildcards of up to MATCHSET_MAX_OR
 * alternatives (the smallest id among them), AND NOT, AND MAYBE (its
 * left side: the right one only weighs), and date ranges read from the
 * facet column with the date source's own test (shim_datesource.hh).
 * Anything else (phrases, NEAR and ADJ, which need positions, or a value
 * range on the value slot) makes att_shim_match_set() answer false and
 * the caller use the matcher, so the set is always Xapian's: the same
 * operators on the same lists, an empty OR or synonym matching nothing
 * as Xapian's empty Query() does.  tests/unit/test_matchset.c compares
 * the two over generated trees.
 */
#include "shim_matchset.hh"
#include "schema.h"
#include "shim_datesource.hh"
#include "shim_fcol.hh"

#include <algorithm>
#include <memory>
#include <string>

namespace {

const Xapian::docid END = 0xFFFFFFFFu;
const size_t MATCHSET_MAX_OR = 64;

/* A list of matching document ids, walked forward only. */
class Cursor {
  public:
    virtual ~Cursor() = default;
    /* The first match at or after `did` (never before the last answer),
     * or END. */
    virtual Xapian::docid seek(Xapian::docid did) = 0;
    /* About how many documents match (to order AND's lists). */
    virtual Xapian::doccount estimate() const = 0;
};

typedef std::unique_ptr<Cursor> CursorPtr;

class Nothing : public Cursor {
  public:
    Xapian::docid seek(Xapian::docid) override { return END; }
    Xapian::doccount estimate() const override { return 0; }
};

/* One posting list ("" is every document). */
class Postings : public Cursor {
  public:
    Postings(const Xapian::Database &db, const std::string &term)
        : it_(db.postlist_begin(term)), end_(db.postlist_end(term)),
          tf_(term.empty() ? db.get_doccount() : db.get_termfreq(term))
    {
        at_ = it_ == end_ ? END : *it_;
    }
    Xapian::docid seek(Xapian::docid did) override
    {
        if (at_ >= did)
            return at_;
        it_.skip_to(did);
        return at_ = it_ == end_ ? END : *it_;
    }
    Xapian::doccount estimate() const override { return tf_; }

  private:
    Xapian::PostingIterator it_, end_;
    Xapian::docid at_;
    Xapian::doccount tf_;
};

class And : public Cursor {
  public:
    explicit And(std::vector<CursorPtr> kids) : kids_(std::move(kids))
    {
        std::sort(kids_.begin(), kids_.end(), [](const CursorPtr &a, const CursorPtr &b) {
            return a->estimate() < b->estimate();
        });
    }
    Xapian::docid seek(Xapian::docid did) override
    {
        for (size_t i = 0; i < kids_.size();) {
            Xapian::docid d = kids_[i]->seek(did);
            if (d == END)
                return END;
            if (d != did) {
                /* a later candidate: every list again, but this one,
                 * which stands on it */
                did = d;
                i = i == 0 ? 1 : 0;
                continue;
            }
            i++;
        }
        return did;
    }
    Xapian::doccount estimate() const override { return kids_[0]->estimate(); }

  private:
    std::vector<CursorPtr> kids_;
};

class Or : public Cursor {
  public:
    explicit Or(std::vector<CursorPtr> kids) : kids_(std::move(kids))
    {
        for (const CursorPtr &k : kids_)
            est_ += k->estimate();
    }
    Xapian::docid seek(Xapian::docid did) override
    {
        Xapian::docid best = END;
        for (const CursorPtr &k : kids_)
            best = std::min(best, k->seek(did));
        return best;
    }
    Xapian::doccount estimate() const override { return est_; }

  private:
    std::vector<CursorPtr> kids_;
    Xapian::doccount est_ = 0;
};

class AndNot : public Cursor {
  public:
    AndNot(CursorPtr yes, CursorPtr no) : yes_(std::move(yes)), no_(std::move(no)) {}
    Xapian::docid seek(Xapian::docid did) override
    {
        for (Xapian::docid d = yes_->seek(did); d != END; d = yes_->seek(d + 1))
            if (no_->seek(d) != d)
                return d;
        return END;
    }
    Xapian::doccount estimate() const override { return yes_->estimate(); }

  private:
    CursorPtr yes_, no_;
};

/* The documents the facet column dates in [a, b]. */
class Dated : public Cursor {
  public:
    Dated(AttFacetColumn &col, uint32_t a, uint32_t b, Xapian::docid last,
          Xapian::doccount n)
        : col_(col), a_(a), b_(b), last_(last), n_(n)
    {
    }
    Xapian::docid seek(Xapian::docid did) override
    {
        using attfcol::CHUNK_BITS;
        using attfcol::CHUNK_DOCS;
        if (at_ >= did && at_ != 0)
            return at_;
        for (Xapian::docid d = did; d <= last_;) {
            const attfcol::Chunk *ch = col_.chunk(d >> CHUNK_BITS);
            Xapian::docid end = (d | (CHUNK_DOCS - 1)) + 1;
            if (ch) {
                for (; d < end && d <= last_; d++)
                    if (att_shim_date_in(ch->docs[d & (CHUNK_DOCS - 1)], a_, b_))
                        return at_ = d;
            } else {
                d = end;
            }
        }
        return at_ = END;
    }
    /* Checked last in an AND: a look-up, wherever the others stand. */
    Xapian::doccount estimate() const override { return n_; }

  private:
    AttFacetColumn &col_;
    uint32_t a_, b_;
    Xapian::docid last_;
    Xapian::doccount n_;
    Xapian::docid at_ = 0;
};

/* The cursor of node q, or nullptr when the walk does not take it. */
CursorPtr cursor(const Xapian::Database &db, const att_qnode *q, AttFacetColumn *dates)
{
    switch (q->kind) {
    case ATT_Q_TERM:
    case ATT_Q_FILTER:
        return CursorPtr(new Postings(db, std::string(q->term, q->term_len)));
    case ATT_Q_MATCH_ALL:
        return CursorPtr(new Postings(db, std::string()));
    case ATT_Q_AND:
    case ATT_Q_OR:
    case ATT_Q_SYNONYM:
    case ATT_Q_WILDCARD: {
        if (q->kind != ATT_Q_AND && q->n_kids > MATCHSET_MAX_OR)
            return nullptr;
        std::vector<CursorPtr> kids;
        for (size_t i = 0; i < q->n_kids; i++) {
            CursorPtr k = cursor(db, q->kids[i], dates);
            if (!k)
                return nullptr;
            kids.push_back(std::move(k));
        }
        if (kids.empty())
            return CursorPtr(new Nothing);
        if (kids.size() == 1)
            return std::move(kids[0]);
        if (q->kind == ATT_Q_AND)
            return CursorPtr(new And(std::move(kids)));
        return CursorPtr(new Or(std::move(kids)));
    }
    case ATT_Q_AND_NOT: {
        if (q->n_kids != 2)
            return nullptr;
        CursorPtr yes = cursor(db, q->kids[0], dates);
        CursorPtr no = yes ? cursor(db, q->kids[1], dates) : nullptr;
        if (!no)
            return nullptr;
        return CursorPtr(new AndNot(std::move(yes), std::move(no)));
    }
    case ATT_Q_AND_MAYBE:
        /* the right side only adds weight */
        return q->n_kids == 2 ? cursor(db, q->kids[0], dates) : nullptr;
    case ATT_Q_RANGE: {
        uint32_t a, b;
        if (!dates || q->slot != ATT_SLOT_DATE || !att_shim_date_bounds(q->lo, q->hi, &a, &b))
            return nullptr;
        return CursorPtr(new Dated(*dates, a, b, db.get_lastdocid(), db.get_doccount()));
    }
    case ATT_Q_PHRASE:
    case ATT_Q_NEAR:
        return nullptr;
    }
    return nullptr;
}

} // namespace

bool att_shim_match_set(att_shim_db *h, const att_qnode *q, AttFacetColumn *dates,
                        std::vector<Xapian::docid> &out)
{
    if (dates)
        dates->sync();
    CursorPtr c = cursor(*h->db, q, dates);
    if (!c)
        return false;
    out.clear();
    for (Xapian::docid d = c->seek(1); d != END; d = c->seek(d + 1))
        out.push_back(d);
    return true;
}
