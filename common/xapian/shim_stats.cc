/*
 * shim_stats.cc: what an index holds (att_index_stats(), common/index.c)
 * and the commit time each commit records.
 *
 * Counting is a walk over the index's list of terms, which Xapian keeps
 * sorted bytewise.  Prefixes are capital letters (schema.h), so the
 * unprefixed terms (the stems of titles and bodies) are those below 'A'
 * (digits) and from '[' on (lower-case letters and non-ASCII); the walk
 * skips the prefixed range in between and then visits only the entity
 * and source prefixes.  Each distinct entity is one XP, XO or XL term
 * (its canonical id); the XPN name parts share XP's first two letters and
 * are told apart by their third, 'N', which no id has (ids are lower
 * case).  Glass removes a term whose last posting goes, so after
 * deletions the counts are of what is left.
 *
 * The date range: Xapian keeps a lower and an upper bound per value slot,
 * exact until a deletion removes the article that held one; each bound is
 * checked with a one-document query, and only a stale one costs a pass
 * over the slot's values.
 */
#include "shim_internal.hh"
#include "schema.h"
#include "shim_stats.h"

#include <cstring>


/* The number of distinct terms with `prefix` whose next byte is not
 * `except` (0: none excepted). */
static uint64_t count_prefix(const Xapian::Database &db, const std::string &prefix,
                             char except)
{
    uint64_t n = 0;
    for (Xapian::TermIterator t = db.allterms_begin(prefix);
         t != db.allterms_end(prefix); ++t) {
        const std::string &term = *t;
        if (except && term.size() > prefix.size() && term[prefix.size()] == except)
            continue;
        n++;
    }
    return n;
}

static uint64_t count_unprefixed(const Xapian::Database &db)
{
    uint64_t n = 0;
    Xapian::TermIterator t = db.allterms_begin(), end = db.allterms_end();
    /* Digits and anything else below the capital letters. */
    for (; t != end; ++t) {
        const std::string &term = *t;
        if (!term.empty() && term[0] >= 'A')
            break;
        n++;
    }
    if (t == end)
        return n;
    t.skip_to("["); /* past 'Z': lower case and non-ASCII from here */
    for (; t != end; ++t)
        n++;
    return n;
}

static bool value_present(const Xapian::Database &db, unsigned slot,
                          const std::string &v)
{
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, v, v));
    e.set_weighting_scheme(Xapian::BoolWeight());
    return e.get_mset(0, 1).size() > 0;
}

static void date_range(const Xapian::Database &db, std::string &lo, std::string &hi)
{
    lo = db.get_value_lower_bound(ATT_SLOT_DATE);
    hi = db.get_value_upper_bound(ATT_SLOT_DATE);
    if (lo.empty() && hi.empty())
        return;
    if (value_present(db, ATT_SLOT_DATE, lo) && value_present(db, ATT_SLOT_DATE, hi))
        return;
    /* A bound outlived the article that held it: look at every value. */
    lo.clear();
    hi.clear();
    bool first = true;
    for (Xapian::ValueIterator v = db.valuestream_begin(ATT_SLOT_DATE);
         v != db.valuestream_end(ATT_SLOT_DATE); ++v) {
        const std::string &s = *v;
        if (first || s < lo)
            lo = s;
        if (first || s > hi)
            hi = s;
        first = false;
    }
}

static void copy_field(char *dst, size_t cap, const std::string &s)
{
    size_t n = s.size() < cap - 1 ? s.size() : cap - 1;
    std::memcpy(dst, s.data(), n);
    dst[n] = '\0';
}

static void read_once(const Xapian::Database &db, att_shim_stats *out)
{
    std::memset(out, 0, sizeof *out);
    out->docs = db.get_doccount();
    out->terms = count_unprefixed(db);
    out->people = count_prefix(db, ATT_PREFIX_PERSON, 'N');
    out->orgs = count_prefix(db, ATT_PREFIX_ORG, 0);
    out->places = count_prefix(db, ATT_PREFIX_PLACE, 0);
    out->sources = count_prefix(db, ATT_PREFIX_SOURCE, 0);
    out->dated = db.get_value_freq(ATT_SLOT_DATE);
    std::string lo, hi;
    date_range(db, lo, hi);
    copy_field(out->first_date, sizeof out->first_date, lo);
    copy_field(out->last_date, sizeof out->last_date, hi);
    copy_field(out->commit_time, sizeof out->commit_time,
               db.get_metadata(ATT_COMMIT_TIME_KEY));
    copy_field(out->schema, sizeof out->schema, db.get_metadata(ATT_SCHEMA_KEY));
}

extern "C" att_status att_shim_stats_read(att_shim_db *h, att_shim_stats *out)
{
    try {
        att_shim_read_retry(h, [&] { read_once(*h->db, out); });
        return ATT_OK;
    }
    ATT_SHIM_CATCH("cannot read the statistics of index " + h->path)
}

extern "C" att_status att_shim_stamp_commit(att_shim_db *h, const char *when)
{
    try {
        if (h->wdb && h->in_txn)
            h->wdb->set_metadata(ATT_COMMIT_TIME_KEY, when);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("cannot commit to index " + h->path)
}
