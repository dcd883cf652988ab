/*
 * shim_datesource.cc: the date filter read from the facet column
 * (shim_fcol.hh) as a Xapian posting source.
 *
 * Why.  Xapian's value range on slot 0 reads the slot's value stream for
 * every document it is asked about: when the filter drives the match
 * (a date alone, or with words that match more often than the date), that
 * is every document of the index, about 40 ns each, and the count of
 * facets, which visits every match, pays it again: `date:1987-04-07` on
 * the 101,741-article benchmark index took 4 ms in the counting pass for
 * 6,124 matches.  The facet column holds every article's date as a
 * number, by document id, decoded in memory once per revision: stepping
 * through it costs a few nanoseconds a document, and skip_to() is a
 * lookup.
 *
 * When.  shim_search.cc uses it for searches that count facets, which
 * read the whole column anyway; a search without facets keeps the value
 * range, which reads only the value blocks it needs (decoding the whole
 * column for one date-filtered page would cost more than it saves).
 *
 * Same matches.  Slot 0 holds 8 ASCII digits or nothing (schema.h), and
 * the column holds that number or 0, so "lo <= value <= hi" as strings
 * is "lo <= date <= hi" as numbers, for dated articles; undated ones
 * (date 0) match no range, as they have no slot 0 value.
 */
#include "shim_datesource.hh"
#include "shim_fcol.hh"

#include <cstring>
#include <string>

namespace {

class ColumnDateSource : public Xapian::PostingSource {
  public:
    ColumnDateSource(AttFacetColumn &col, uint32_t lo, uint32_t hi)
        : col_(col), lo_(lo), hi_(hi)
    {
    }

    PostingSource *clone() const override
    {
        return new ColumnDateSource(col_, lo_, hi_);
    }

    void init(const Xapian::Database &db) override
    {
        col_.sync();
        did_ = 0;
        last_ = db.get_lastdocid();
        n_ = db.get_doccount();
        set_maxweight(0);
    }

    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return n_ / 2; }
    Xapian::doccount get_termfreq_max() const override { return n_; }

    void next(double) override { scan(did_ + 1); }

    void skip_to(Xapian::docid to, double) override
    {
        if (to > did_)
            scan(to);
    }

    /* As skip_to(), always: the next match is a few steps of an array
     * away, and the position then stays definite (a check that answered
     * "no" would leave it undefined until the next move). */
    bool check(Xapian::docid to, double min_wt) override
    {
        skip_to(to, min_wt);
        return true;
    }

    bool at_end() const override { return did_ > last_; }
    Xapian::docid get_docid() const override { return did_; }
    std::string get_description() const override
    {
        return "Attache::ColumnDateSource(" + std::to_string(lo_) + ".." +
               std::to_string(hi_) + ")";
    }

  private:
    /* The first document from `from` on in the range, or past the end:
     * a chunk at a time. */
    void scan(Xapian::docid from)
    {
        using attfcol::CHUNK_BITS;
        using attfcol::CHUNK_DOCS;
        for (did_ = from; did_ <= last_;) {
            const attfcol::Chunk *ch = col_.chunk(did_ >> CHUNK_BITS);
            Xapian::docid end = (did_ | (CHUNK_DOCS - 1)) + 1;
            if (ch) {
                for (; did_ < end && did_ <= last_; did_++) {
                    if (att_shim_date_in(ch->docs[did_ & (CHUNK_DOCS - 1)], lo_, hi_))
                        return;
                }
            } else {
                did_ = end;
            }
        }
    }

    AttFacetColumn &col_;
    uint32_t lo_, hi_;
    Xapian::docid did_ = 0, last_ = 0;
    Xapian::doccount n_ = 0;
};

} // namespace

/* An 8-digit bound as a number; `open` for an empty one; false for any
 * other string. */
static bool bound(const char *s, uint32_t open, uint32_t *out)
{
    if (!s[0]) {
        *out = open;
        return true;
    }
    if (std::strlen(s) != 8)
        return false;
    uint32_t r = 0;
    for (int i = 0; i < 8; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        r = r * 10 + (uint32_t)(s[i] - '0');
    }
    *out = r;
    return true;
}

bool att_shim_date_bounds(const char *lo, const char *hi, uint32_t *a, uint32_t *b)
{
    return bound(lo, 0, a) && bound(hi, UINT32_MAX, b);
}

Xapian::Query att_shim_date_source(AttFacetColumn &col, const char *lo,
                                   const char *hi)
{
    uint32_t a, b;
    if (!att_shim_date_bounds(lo, hi, &a, &b))
        return Xapian::Query();
    return Xapian::Query((new ColumnDateSource(col, a, b))->release());
}
