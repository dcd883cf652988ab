/*
 * shim_facets.cc: facet counts over a search's whole match set: the most
 * frequent people, organisations, places and sources, and a histogram of
 * dates (docs/QUERY-SYNTAX.md, "Facets").
 *
 * What it reads: the facet column (shim_fcol.hh), where each article is a
 * date, a content signature and the numbers of its facet values (slot 3's
 * records, "<kind><id>\t<display>", numbered once per index), kept in the
 * index metadata by document id.
 *
 * How it runs.  The document ids of every match, on the revision the
 * page was read from, are walked from the posting lists
 * (shim_matchset.cc); for the queries the walk does not take (phrases,
 * NEAR), a second get_mset() with check_at_least = the document count,
 * no page, weights of 0 (CountWeight, below), docid order and no
 * collapse key shows a match spy every match, and the spy notes their
 * ids.  Then each match's entry is looked up in the column (decoded
 * chunks of 1,024 documents, kept by the handle until the revision
 * changes) and its values are counted in flat arrays indexed by value
 * number.  Why a second pass and
 * not the page's own Enquire: with check_at_least that high the page
 * would weigh and rank every match; measured, that cost more than the
 * second pass (docs/ARCHITECTURE.md, "Facets in a second pass").
 *
 * Display forms.  The records of one "<kind><id>" with different display
 * forms (articles spell one entity differently) share a group: the group
 * is what is counted, and the display shown is its most frequent form
 * (ties: the one seen in the lowest document id).
 *
 * Collapsing.  When the search collapses copies of a story, a value counts
 * once per story that has it in any of the story's copies in the match set
 * (the union of the copies' records; likewise each date bucket), which is
 * exactly the number of hits (stories) the same search shows with that
 * value as a filter, e.g. source:reuters or date:2024-10, since a filter
 * applies before collapsing; and the number of stories is the total.
 * How: the signatures of the matches are counted first; an article whose
 * story has one copy in the match set (nearly all) is counted at once;
 * the copies of the others are sorted by signature and each story is
 * counted as one unit.  A unit counts each value and group once through a
 * stamp per value and per group (the unit's number).  With
 * ATT_SEARCH_ALL_COPIES nothing is collapsed and every article counts.
 * Sorting does not matter: the counting pass has its own order.
 *
 * Dates.  Each dated article counts in its year, in its month if the
 * month is known, and in its day if the day is known; the histogram shows
 * one level.  An article whose date lacks the month (or the day) is in no
 * bucket of a month (or day) histogram.  ATT_DATE_AUTO picks the finest
 * unit whose range, first to last bucket, spans at most
 * MAX_AUTO_BUCKETS and that at least 90% of the dated matches are precise
 * enough for; else years.
 */
#include "shim_facets.hh"
#include "shim_fcol.hh"
#include "shim_matchset.hh"
#include "schema.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

using attfcol::Doc;
using attfcol::HAS_SIG;

/* The most buckets ATT_DATE_AUTO lets a date histogram span. */
static const uint64_t MAX_AUTO_BUCKETS = 60;

namespace {

/* Date keys: the level in bits 27-28, the value (YYYY, YYYYMM or
 * YYYYMMDD, all below 2^27) under it. */
const uint32_t DATE_YEAR = 1u << 27;
const uint32_t DATE_MONTH = 2u << 27;
const uint32_t DATE_DAY = 3u << 27;
const uint32_t DATE_LEVEL = 3u << 27;

int kind_facet(char kind)
{
    switch (kind) {
    case ATT_FACET_REC_PERSON: return ATT_FACET_PERSON;
    case ATT_FACET_REC_ORG: return ATT_FACET_ORG;
    case ATT_FACET_REC_PLACE: return ATT_FACET_PLACE;
    case ATT_FACET_REC_SOURCE: return ATT_FACET_SOURCE;
    default: return -1;
    }
}

/* The date keys of a date number (YYYYMMDD, 00 for an unknown month or
 * day); none for 0 (undated) or a number out of range. */
int date_keys(uint32_t raw, uint32_t keys[3])
{
    if (!raw || raw >= 100000000u)
        return 0;
    uint32_t m = raw / 100 % 100, d = raw % 100;
    int n = 0;
    keys[n++] = DATE_YEAR | raw / 10000;
    if (m) {
        keys[n++] = DATE_MONTH | raw / 100;
        if (d)
            keys[n++] = DATE_DAY | raw;
    }
    return n;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), for the span of a day histogram. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* A candidate for a top-N list. */
struct Cand {
    std::string_view id, value;
    uint64_t count;
};

/* One facet list as one malloc'd block: the att_facet_values, then the
 * strings they point to.  id == NULL in a Cand means "the value". */
att_facet_value *make_list(const std::vector<Cand> &c, size_t n)
{
    if (!n)
        return nullptr;
    size_t bytes = n * sizeof(att_facet_value);
    for (size_t i = 0; i < n; i++)
        bytes += c[i].value.size() + 1 +
                 (c[i].id.data() ? c[i].id.size() + 1 : 0);
    att_facet_value *v = static_cast<att_facet_value *>(std::malloc(bytes));
    if (!v)
        throw std::bad_alloc();
    char *p = reinterpret_cast<char *>(v + n);
    auto put = [&p](std::string_view s) {
        char *r = p;
        if (!s.empty())
            std::memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
        p += s.size() + 1;
        return r;
    };
    for (size_t i = 0; i < n; i++) {
        v[i].value = put(c[i].value);
        v[i].id = c[i].id.data() ? put(c[i].id) : v[i].value;
        v[i].count = c[i].count;
    }
    return v;
}

/* The counting pass's weighting: every match weighs 0, and the matcher is
 * told that the weights read each match's wdf.  Why not BoolWeight, which
 * reads nothing: with a weight that needs no wdf, Xapian 1.4.22's matcher
 * fails with "Unexpected end of posting list" on an index where a run of
 * documents was deleted (a range of 1,024 articles, then any facet search
 * for a word they held: tests/unit/test_fcol.c and the e2e test
 * facets_cli::after_deleting_a_run_of_articles), although the posting
 * list is sound (xapian-check, and iterating it, with next() or
 * skip_to()).  Asking for the wdf takes the path ranked searches take,
 * which costs about 60 ns per match (a 66,731-match search: 8.6 ms
 * against 5.0). */
class CountWeight : public Xapian::Weight {
  public:
    CountWeight() { need_stat(WDF); }
    CountWeight *clone() const override { return new CountWeight; }
    void init(double) override {}
    std::string name() const override { return "Attache::CountWeight"; }
    double get_sumpart(Xapian::termcount, Xapian::termcount,
                       Xapian::termcount) const override
    {
        return 0;
    }
    double get_maxpart() const override { return 0; }
    double get_sumextra(Xapian::termcount, Xapian::termcount) const override
    {
        return 0;
    }
    double get_maxextra() const override { return 0; }
};

/* Notes the document id of every match it is shown. */
class DocidSpy : public Xapian::MatchSpy {
  public:
    explicit DocidSpy(std::vector<Xapian::docid> &out) : out_(out) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        out_.push_back(doc.get_docid());
    }
    std::string name() const override { return "Attache::DocidSpy"; }

  private:
    std::vector<Xapian::docid> &out_;
};

/* The stories seen in the match set, by signature: open addressing,
 * linear probing, at most half full, sized for the matches at the start.
 * A slot keeps what the story's first copy (its lowest document id)
 * counted: the print of its values and its date (kept here, not read
 * again from the first copy's entry: a later copy then costs no second
 * look-up in the column). */
class Stories {
  public:
    struct Slot {
        uint64_t sig;
        uint64_t vhash;
        uint32_t first; /* index of the first copy in the match list + 1; 0: free */
        uint32_t date;
    };

    /* expect 0: no table (nothing is collapsed). */
    explicit Stories(size_t expect)
    {
        if (!expect)
            return;
        size_t n = 1024;
        while (n < expect * 2)
            n *= 2;
        slots_.assign(n, Slot{0, 0, 0, 0});
    }

    /* The story's slot; *added when `sig` is new (the slot is then
     * empty, for the caller to fill). */
    Slot &find(uint64_t sig, bool *added)
    {
        size_t mask = slots_.size() - 1;
        for (size_t i = mix(sig) & mask;; i = (i + 1) & mask) {
            Slot &s = slots_[i];
            if (!s.first) {
                s.sig = sig;
                *added = true;
                return s;
            }
            if (s.sig == sig) {
                *added = false;
                return s;
            }
        }
    }

  private:
    static size_t mix(uint64_t k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdULL;
        k ^= k >> 33;
        return (size_t)k;
    }
    std::vector<Slot> slots_;
};

/* The counts of one search.  A unit is what counts once: an article, or
 * a story's copies together.  The arrays live in the column's Scratch
 * (zero outside a count: the destructor clears what was touched).  An article
 * holds at most one value per group (shim_fcol.hh), so a unit of one
 * article counts its values straight; a story of several copies counts,
 * per group, the value of the first copy that has the group (a stamp per
 * group tells), and a group's count is then the sum of its values'. */
struct Counter {
    AttFacetColumn::Scratch &sc;
    const std::vector<uint32_t> &group_of;
    std::vector<uint32_t> touched_v, touched_g;
    std::vector<uint32_t> by_kind[ATT_FACET_DATE]; /* touched groups by facet */
    uint32_t units = 0; /* units begun so far */
    uint32_t stamp = 0; /* the current story's, in sc.gstamp */

    /* The date numbers of the units of one article, as seen (sorted
     * when the histogram is made: a hash map looked up per article cost
     * a quarter of the counting), and the date keys that stories with
     * differing copies add beyond their first copy's. */
    std::vector<uint32_t> dates, extra_keys;
    std::vector<uint32_t> unit_keys; /* the current story's date keys */
    size_t n_first_keys = 0;         /* of which its first copy's */

    Counter(AttFacetColumn &col) : sc(col.scratch), group_of(col.groups())
    {
        sc.value.resize(col.n_values(), AttFacetColumn::ValueCount{0, 0});
        sc.group.resize(col.n_groups(), AttFacetColumn::GroupCount{0, 0});
        sc.gstamp.resize(col.n_groups(), 0);
    }

    /* Leaves the arrays zero again. */
    ~Counter()
    {
        for (uint32_t v : touched_v)
            sc.value[v] = AttFacetColumn::ValueCount{0, 0};
        for (uint32_t g : touched_g)
            sc.group[g] = AttFacetColumn::GroupCount{0, 0};
    }

    void begin_unit()
    {
        units++;
    }

    /* The values of a unit of one article. */
    void values(Xapian::docid did, const uint32_t *ids, uint32_t n)
    {
        for (uint32_t k = 0; k < n; k++) {
            uint32_t v = ids[k];
            AttFacetColumn::ValueCount &x = sc.value[v];
            if (!x.count++) {
                touched_v.push_back(v);
                x.first = did;
            }
        }
    }

    /* A story whose later copies differ from its first, already counted
     * with date `first_date`: a new stamp for its groups, and the date
     * buckets it already has. */
    void begin_story(uint32_t first_date)
    {
        if (sc.next_stamp == UINT32_MAX) {
            std::fill(sc.gstamp.begin(), sc.gstamp.end(), 0);
            sc.next_stamp = 1;
        }
        stamp = sc.next_stamp++;
        uint32_t k[3];
        int n = date_keys(first_date, k);
        unit_keys.assign(k, k + n);
        n_first_keys = unit_keys.size();
    }

    /* Marks the groups of values already counted for the story. */
    void stamp_groups(const uint32_t *ids, uint32_t n)
    {
        for (uint32_t k = 0; k < n; k++)
            sc.gstamp[group_of[ids[k]]] = stamp;
    }

    /* The values of one copy of a story with several. */
    void story_values(Xapian::docid did, const uint32_t *ids, uint32_t n)
    {
        for (uint32_t k = 0; k < n; k++) {
            uint32_t v = ids[k], g = group_of[v];
            if (sc.gstamp[g] == stamp)
                continue;
            sc.gstamp[g] = stamp;
            AttFacetColumn::ValueCount &x = sc.value[v];
            if (!x.count++) {
                touched_v.push_back(v);
                x.first = did;
            } else if (did < x.first) {
                x.first = did;
            }
        }
    }

    /* The date of a unit of one article. */
    void date(uint32_t d)
    {
        if (d)
            dates.push_back(d);
    }

    /* A date of one copy of a story with several: its keys join the
     * unit's, counted at end_story(). */
    void story_date(uint32_t d)
    {
        uint32_t k[3];
        int n = date_keys(d, k);
        for (int i = 0; i < n; i++) {
            bool seen = false;
            for (uint32_t u : unit_keys)
                seen = seen || u == k[i];
            if (!seen)
                unit_keys.push_back(k[i]);
        }
    }

    /* Counts the date buckets the story's later copies added. */
    void end_story()
    {
        for (size_t j = n_first_keys; j < unit_keys.size(); j++)
            extra_keys.push_back(unit_keys[j]);
    }

    /* Per group touched: its count (the sum of its values') and its most
     * frequent display form (ties: the lowest document id), as
     * GroupCount::best = value + 1; and the touched groups by facet
     * (by_kind). */
    void groups(const std::vector<uint8_t> &kinds)
    {
        for (uint32_t v : touched_v) {
            AttFacetColumn::GroupCount &x = sc.group[group_of[v]];
            const AttFacetColumn::ValueCount &y = sc.value[v];
            if (!x.count) {
                touched_g.push_back(group_of[v]);
                int f = kind_facet((char)kinds[v]);
                if (f >= 0)
                    by_kind[f].push_back(group_of[v]);
            }
            x.count += y.count;
            if (x.best) {
                const AttFacetColumn::ValueCount &b = sc.value[x.best - 1];
                if (y.count < b.count || (y.count == b.count && y.first > b.first))
                    continue;
            }
            x.best = v + 1;
        }
    }

    /* The histogram at each level (year, month, day): (key value,
     * count) pairs in ascending order.  Sorting the date numbers makes
     * each level's keys come in order too (YYYY, YYYYMM and YYYYMMDD all
     * grow with YYYYMMDD), so each is counted by extending its last
     * pair; the stories' extra keys are then merged in. */
    void date_counts(std::vector<std::pair<uint32_t, uint64_t>> lv[3])
    {
        std::sort(dates.begin(), dates.end());
        for (uint32_t d : dates) {
            uint32_t k[3];
            int n = date_keys(d, k);
            for (int l = 0; l < n; l++) {
                uint32_t v = k[l] & ~DATE_LEVEL;
                if (lv[l].empty() || lv[l].back().first != v)
                    lv[l].emplace_back(v, 1);
                else
                    lv[l].back().second++;
            }
        }
        std::sort(extra_keys.begin(), extra_keys.end());
        for (size_t i = 0; i < extra_keys.size();) {
            size_t j = i;
            while (j < extra_keys.size() && extra_keys[j] == extra_keys[i])
                j++;
            uint32_t key = extra_keys[i];
            auto &l = lv[((key & DATE_LEVEL) >> 27) - 1];
            std::pair<uint32_t, uint64_t> add(key & ~DATE_LEVEL, j - i);
            auto at = std::lower_bound(l.begin(), l.end(), add,
                                       [](const std::pair<uint32_t, uint64_t> &a,
                                          const std::pair<uint32_t, uint64_t> &b) {
                                           return a.first < b.first;
                                       });
            if (at != l.end() && at->first == add.first)
                at->second += add.second;
            else
                l.insert(at, add);
            i = j;
        }
    }
};

} // namespace

/* Count descending, then display, then id (bytewise): deterministic. */
static bool before(const Cand &a, const Cand &b)
{
    if (a.count != b.count)
        return a.count > b.count;
    int c = a.value.compare(b.value);
    if (c)
        return c < 0;
    return a.id < b.id;
}

/* The date histogram in `unit` (chosen here for ATT_DATE_AUTO). */
static att_date_unit date_list(const std::vector<std::pair<uint32_t, uint64_t>> lv[3],
                               att_date_unit unit, std::vector<Cand> &c,
                               std::vector<std::string> &text)
{
    uint64_t total[3] = {0, 0, 0};
    for (int l = 0; l < 3; l++)
        for (const auto &b : lv[l])
            total[l] += b.second;
    if (unit == ATT_DATE_AUTO) {
        unit = ATT_DATE_YEAR;
        const auto &m = lv[1], &d = lv[2];
        if (!d.empty() && total[2] * 10 >= total[0] * 9) {
            uint32_t a = d.front().first, b = d.back().first;
            int64_t span = days_from_civil(b / 10000, b / 100 % 100, b % 100) -
                           days_from_civil(a / 10000, a / 100 % 100, a % 100) + 1;
            if (span <= (int64_t)MAX_AUTO_BUCKETS)
                unit = ATT_DATE_DAY;
        }
        if (unit == ATT_DATE_YEAR && !m.empty() && total[1] * 10 >= total[0] * 9) {
            uint32_t a = m.front().first, b = m.back().first;
            uint64_t span = (b / 100 * 12 + b % 100) - (a / 100 * 12 + a % 100) + 1;
            if (span <= MAX_AUTO_BUCKETS)
                unit = ATT_DATE_MONTH;
        }
    }
    const auto &l = lv[unit == ATT_DATE_YEAR ? 0 : unit == ATT_DATE_MONTH ? 1 : 2];
    text.reserve(l.size());
    c.reserve(l.size());
    for (const auto &b : l) {
        char buf[16];
        uint32_t v = b.first;
        if (unit == ATT_DATE_YEAR)
            std::snprintf(buf, sizeof buf, "%04u", (unsigned)v);
        else if (unit == ATT_DATE_MONTH)
            std::snprintf(buf, sizeof buf, "%04u-%02u", (unsigned)(v / 100),
                          (unsigned)(v % 100));
        else
            std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", (unsigned)(v / 10000),
                          (unsigned)(v / 100 % 100), (unsigned)(v % 100));
        text.emplace_back(buf);
    }
    for (size_t i = 0; i < l.size(); i++)
        c.push_back(Cand{std::string_view(), text[i], l[i].second});
    return unit;
}

void att_shim_count_facets(att_shim_db *h, const att_qnode *q,
                           const Xapian::Query &query, bool stories, size_t top,
                           att_date_unit unit, att_shim_result *out)
{
    AttFacetColumn &col = att_shim_facet_column(h);
    col.sync();

    std::vector<Xapian::docid> docids;
    if (!att_shim_match_set(h, q, &col, docids)) {
        docids.clear();
        DocidSpy spy(docids);
        Xapian::Enquire every(*h->db);
        every.set_query(query);
        every.set_weighting_scheme(CountWeight());
        every.set_docid_order(Xapian::Enquire::ASCENDING);
        every.add_matchspy(&spy);
        every.get_mset(0, 0, h->db->get_doccount());
    }

    Counter c(col);
    const uint32_t *ids = nullptr;
    /* One pass in document id order.  An article counts as a unit, and
     * so does a story's first copy (its lowest document id) when copies
     * are collapsed; a later copy with the same values and date (the
     * usual case: copies are copies; the values told by their print,
     * attfcol::Doc::vhash, so that they are not read: two different lists
     * would have to share 64 bits of hash to be confused) adds nothing;
     * the others wait in `differ`, and each such story then adds, per
     * group, the value of the first of its copies that has the group, and
     * the date buckets its first copy lacks (Counter::story_values(),
     * story_date()). */
    Stories stories_seen(stories ? docids.size() : 0);
    std::vector<std::pair<Stories::Slot *, uint32_t>> differ; /* story, copy */
    std::vector<const uint32_t *> id_lists;
    std::vector<const Doc *> docs;
    if (stories) {
        id_lists.reserve(docids.size());
        docs.reserve(docids.size());
    }
    /* When the matches are spread thinly over the column, their entries,
     * and then their value lists, are fetched into the cache ahead of use
     * (the entry PF_ENTRY matches ahead, the list PF_IDS ahead, its entry
     * having arrived by then; the entries looked up for that wait in
     * `ahead` until their turn): waiting for memory is most of the time
     * such a count takes (-15% on a match set of 3% of the articles, in
     * runs interleaved in one process).  Dense match sets are read in
     * order, which the processor foresees by itself; there the extra
     * look-ups cost more than they save. */
    const uint32_t PF_ENTRY = 16, PF_IDS = 8;
    bool sparse = docids.size() < (size_t)h->db->get_lastdocid() / 8;
    struct Ahead {
        const Doc *d;
        const uint32_t *ids;
    } ahead[PF_IDS];
    auto look = [&col](Xapian::docid did, Ahead &a) {
        a.ids = nullptr;
        a.d = col.doc(did, &a.ids);
    };
    if (sparse)
        for (uint32_t j = 0; j < PF_IDS && j < docids.size(); j++)
            look(docids[j], ahead[j]);
    for (uint32_t i = 0; i < docids.size(); i++) {
        Xapian::docid did = docids[i];
        const Doc *d;
        if (sparse) {
            Ahead &a = ahead[i % PF_IDS];
            d = a.d;
            ids = a.ids;
            if (i + PF_ENTRY < docids.size()) {
                if (const Doc *e = col.entry(docids[i + PF_ENTRY]))
                    __builtin_prefetch(e);
            }
            if (i + PF_IDS < docids.size()) {
                look(docids[i + PF_IDS], a); /* its slot is free now */
                if (a.d)
                    __builtin_prefetch(a.ids);
            }
        } else {
            d = col.doc(did, &ids);
        }
        if (stories) {
            docs.push_back(d);
            id_lists.push_back(d ? ids : nullptr);
        }
        if (stories && d && (d->flags & HAS_SIG)) {
            bool added = false;
            Stories::Slot &s = stories_seen.find(d->sig, &added);
            if (!added) {
                if (s.vhash != d->vhash || s.date != d->date)
                    differ.emplace_back(&s, i);
                continue;
            }
            s.first = i + 1;
            s.vhash = d->vhash;
            s.date = d->date;
        }
        c.begin_unit();
        if (!d)
            continue;
        c.values(did, ids, d->n);
        c.date(d->date);
    }
    if (!differ.empty()) {
        std::sort(differ.begin(), differ.end());
        for (size_t k = 0; k < differ.size(); k++) {
            Stories::Slot *s = differ[k].first;
            if (k == 0 || s != differ[k - 1].first) {
                const Doc *f = docs[s->first - 1];
                c.begin_story(f->date);
                c.stamp_groups(id_lists[s->first - 1], f->n);
            }
            uint32_t i = differ[k].second;
            c.story_values(docids[i], id_lists[i], docs[i]->n);
            c.story_date(docs[i]->date);
            if (k + 1 == differ.size() || differ[k + 1].first != s)
                c.end_story();
        }
    }
    out->total = c.units;
    out->exact = 1;

    /* The top values per kind.  Per kind, the groups are cut at the
     * count of the top-th (by count alone, which reads no strings); only
     * those at or above it, ties included, are ordered in full. */
    c.groups(col.kinds()); /* a group's values are all of its kind */
    std::vector<std::pair<uint32_t, uint32_t>> by_count[ATT_FACET_DATE]; /* count, group */
    for (int f = 0; f < ATT_FACET_DATE; f++) {
        by_count[f].reserve(c.by_kind[f].size());
        for (uint32_t g : c.by_kind[f])
            by_count[f].emplace_back(c.sc.group[g].count, g);
    }
    for (int f = 0; f < ATT_FACET_DATE; f++) {
        auto &bc = by_count[f];
        std::vector<Cand> cands;
        if (top && !bc.empty()) {
            size_t n = std::min(top, bc.size());
            std::nth_element(bc.begin(), bc.begin() + (long)(n - 1), bc.end(),
                             [](const std::pair<uint32_t, uint32_t> &a,
                                const std::pair<uint32_t, uint32_t> &b) {
                                 return a.first > b.first;
                             });
            uint32_t cut = bc[n - 1].first;
            for (const auto &x : bc)
                if (x.first >= cut) {
                    uint32_t v = c.sc.group[x.second].best - 1;
                    cands.push_back(Cand{col.value_key(v).substr(1),
                                         col.value_display(v), x.first});
                }
        }
        size_t n = std::min(top, cands.size());
        std::partial_sort(cands.begin(), cands.begin() + (long)n, cands.end(), before);
        out->facets[f] = make_list(cands, n);
        out->n_facets[f] = n;
    }
    std::vector<Cand> d;
    std::vector<std::string> text;
    std::vector<std::pair<uint32_t, uint64_t>> lv[3]; /* year, month, day */
    c.date_counts(lv);
    out->facet_unit = date_list(lv, unit, d, text);
    out->facets[ATT_FACET_DATE] = make_list(d, d.size());
    out->n_facets[ATT_FACET_DATE] = d.size();
}
