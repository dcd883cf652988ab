/*
 * shim_facets.cc: facet counts over a search's whole match set: the most
 * frequent people, organisations, places and sources, and a histogram of
 * dates (docs/QUERY-SYNTAX.md, "Facets").
 *
 * What it reads (schema.h).  Slot 3, the facet list: one record per
 * distinct value of the article, "<kind><id>\t<display>\n", kind 'p'
 * person, 'o' organisation, 'l' place, 's' source.  Slot 0, the date
 * "YYYYMMDD" with 00 for an unknown month or day.  Slot 2, the content
 * signature, when copies of a story are collapsed.
 *
 * How it runs.  AttFacetSpy is a Xapian::MatchSpy: Xapian's matcher calls
 * it for each matching document it examines.  shim_search.cc makes it see
 * every match, and only when facets are asked for: after the search for
 * the page, a second get_mset() on the same revision with check_at_least
 * = the document count, no page, BoolWeight (no weights to compute),
 * docid order and no collapse key.  Why not the page's own Enquire: with
 * check_at_least that high, Xapian's collapser, not the counting, is what
 * costs most (it keeps every collapse key it has seen, as a string), and
 * the page would pay for the whole match set too (the figures:
 * docs/QUERY-SYNTAX.md, "What facets cost").
 *
 * The spy is handed a document that reads values from Xapian's value
 * streams (one sequential pass per slot, in docid order), so reading
 * slot 3 costs a value-chunk decode and one string per matching article;
 * that is most of the spy's time when articles have few records.  The
 * records are then parsed in place and counted in ValueTable, an open-
 * addressing table of counts whose keys point into an arena: a value
 * seen for the first time is copied there, nothing else is allocated.
 * An id's display forms are counted alongside it, since articles may
 * spell one entity differently; the most frequent one is shown (ties: the
 * first seen, i.e. the lowest docid).
 *
 * Collapsing.  Xapian calls match spies before it collapses (1.4's
 * multimatch.cc: the spy sees a document, then the collapser decides
 * whether it displaces an earlier copy), so a spy in the collapsing
 * Enquire would count every copy of a story while the total counts
 * stories, and counts would exceed the total.  So when the search
 * collapses copies, the spy counts STORIES itself: a value counts once
 * per story that has it in any of the story's copies in the match set
 * (the union of the copies' records; likewise each date bucket).  That is
 * exactly the number of hits (stories) the same search shows with that
 * value as a filter, e.g. source:reuters or date:2024-10, because a
 * filter applies before collapsing; and the number of stories is the
 * total.  How: a table of the signatures seen (16 bytes per story); for
 * each story's first copy the 64-bit prints (hashes) of what it counted,
 * kept in one array (8 bytes per value, at most PRINTS_MAX of them, after
 * which a first copy is read again from the index when its second copy
 * turns up); and for each story seen twice, the prints it has counted.
 * With ATT_SEARCH_ALL_COPIES nothing is collapsed and every article
 * counts.  Sorting does not matter: the counting pass has its own order.
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
#include "schema.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

/* The most buckets ATT_DATE_AUTO lets a date histogram span. */
static const uint64_t MAX_AUTO_BUCKETS = 60;

namespace {

/* Copies of the values first seen, in big blocks that never move. */
class Arena {
  public:
    /* Room for n bytes (n > 0). */
    char *alloc(size_t n)
    {
        if (n > left_) {
            size_t size = std::max<size_t>(n, 64 * 1024);
            blocks_.emplace_back(new char[size]);
            cur_ = blocks_.back().get();
            left_ = size;
        }
        char *r = cur_;
        cur_ += n;
        left_ -= n;
        return r;
    }

  private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    char *cur_ = nullptr;
    size_t left_ = 0;
};

struct Display {
    std::string_view text;
    uint32_t n;
};

/* The values counted: an open-addressing hash table (linear probing, at
 * most half full) whose slots hold the counts themselves, and whose keys
 * ("<kind><id>") are stored in the arena with the first display form
 * right after them.  Why not std::unordered_map: with tens of thousands of
 * distinct entities the table outgrows the caches, and a lookup there
 * costs a miss per pointer followed (bucket, node, key); here it is one
 * for the slot and one for the key and display, and the slots of an
 * article's records are prefetched together (AttFacetSpy::State::
 * count_records).  Counts are 32-bit: Xapian's document count is. */
class ValueTable {
  public:
    struct Slot {
        uint64_t hash;      /* 0: free */
        const char *key;    /* klen bytes of key, then dlen of display */
        uint32_t klen, dlen;
        uint32_t count;     /* matches with the value */
        uint32_t first_n;   /* of which with the first display form */
    };

    static uint64_t hash_of(std::string_view key)
    {
        return std::hash<std::string_view>()(key) | 1;
    }

    void prefetch(uint64_t h) const
    {
        if (!slots_.empty())
            __builtin_prefetch(&slots_[h & (slots_.size() - 1)]);
    }

    void bump(std::string_view key, std::string_view display, uint64_t h)
    {
        if ((used_ + 1) * 2 > slots_.size())
            grow();
        size_t mask = slots_.size() - 1;
        for (size_t i = h & mask;; i = (i + 1) & mask) {
            Slot &s = slots_[i];
            if (!s.hash) {
                char *p = arena_.alloc(key.size() + display.size());
                std::memcpy(p, key.data(), key.size());
                if (!display.empty())
                    std::memcpy(p + key.size(), display.data(), display.size());
                s = Slot{h, p, (uint32_t)key.size(), (uint32_t)display.size(), 1, 1};
                used_++;
                return;
            }
            if (s.hash == h && s.klen == key.size() &&
                std::memcmp(s.key, key.data(), key.size()) == 0) {
                s.count++;
                if (s.dlen == display.size() &&
                    std::memcmp(s.key + s.klen, display.data(), display.size()) == 0)
                    s.first_n++;
                else
                    other_display(s.key, display);
                return;
            }
        }
    }

    template <typename F> void each(F f) const
    {
        for (const Slot &s : slots_)
            if (s.hash) {
                auto it = more_.find(s.key);
                f(s, it == more_.end() ? nullptr : &it->second);
            }
    }

  private:
    /* A display form other than the first (rare): counted in more_. */
    void other_display(const char *key, std::string_view display)
    {
        std::vector<Display> &v = more_[key];
        for (Display &d : v)
            if (d.text == display) {
                d.n++;
                return;
            }
        char *p = display.empty() ? nullptr : arena_.alloc(display.size());
        if (p)
            std::memcpy(p, display.data(), display.size());
        v.push_back(Display{std::string_view(p, display.size()), 1});
    }

    void grow()
    {
        std::vector<Slot> old;
        old.swap(slots_);
        slots_.assign(old.empty() ? 4096 : old.size() * 2, Slot{0, nullptr, 0, 0, 0, 0});
        size_t mask = slots_.size() - 1;
        for (const Slot &s : old)
            if (s.hash) {
                size_t i = s.hash & mask;
                while (slots_[i].hash)
                    i = (i + 1) & mask;
                slots_[i] = s;
            }
    }

    std::vector<Slot> slots_;
    size_t used_ = 0;
    Arena arena_;
    /* Display forms after the first, by key address (stable: the arena). */
    std::unordered_map<const char *, std::vector<Display>> more_;
};

/* One record of the article being counted. */
struct Record {
    std::string_view key, display;
    uint64_t hash;
};

/* What one duplicated story has already counted: the prints (below) of
 * its values and date keys, few enough for a linear search. */
struct Story {
    std::vector<uint64_t> seen;

    /* Whether `print` is new to the story (and now noted). */
    bool note(uint64_t print)
    {
        if (std::find(seen.begin(), seen.end(), print) != seen.end())
            return false;
        seen.push_back(print);
        return true;
    }
};

/* A story seen: its signature, its first copy, its Story (index + 1) once
 * a second copy has turned up, and until then where the first copy's
 * prints are kept (n == NO_PRINTS: not kept, the copy is read again).
 * first == 0 marks a free slot. */
struct StorySlot {
    uint64_t key;
    Xapian::docid first;
    uint32_t story;
    uint32_t off, n;
};
const uint32_t NO_PRINTS = 0xFFFFFFFFu;

/* Prints: a value's print is the 64-bit hash of its key (odd: hash_of()
 * sets the low bit), a date key's is the key shifted left (even), so the
 * two never meet.  Stories are told apart by prints, not strings: two
 * values of one story would have to share 64 bits of hash to be
 * confused. */
uint64_t date_print(uint32_t key) { return (uint64_t)key << 1; }

/* The most prints kept for first copies (8 bytes each): beyond, a
 * story's first copy is read again when its second turns up, which is
 * slower (a random read) but needs no memory. */
const size_t PRINTS_MAX = (size_t)8 << 20;

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

/* The date keys of a slot-0 value; 0 keys for anything but 8 digits. */
int date_keys(std::string_view v, uint32_t keys[3])
{
    if (v.size() != 8)
        return 0;
    uint32_t raw = 0;
    for (char c : v) {
        if (c < '0' || c > '9')
            return 0;
        raw = raw * 10 + (uint32_t)(c - '0');
    }
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

/* Calls f(key, display) for each well-formed record of a facet list. */
template <typename F> void each_record(std::string_view v, F f)
{
    const char *p = v.data(), *end = p + v.size();
    while (p < end) {
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', (size_t)(end - p)));
        if (!nl)
            nl = end;
        const char *tab = static_cast<const char *>(std::memchr(p, '\t', (size_t)(nl - p)));
        if (tab && tab - p >= 2 && kind_facet(*p) >= 0)
            f(std::string_view(p, (size_t)(tab - p)),
              std::string_view(tab + 1, (size_t)(nl - tab - 1)));
        p = nl + 1;
    }
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

} // namespace

struct AttFacetSpy::State {
    Xapian::Database db;
    bool stories;
    uint64_t matched = 0; /* articles, or stories */

    ValueTable values;
    std::vector<Record> recs; /* the current article's, reused */
    std::unordered_map<uint32_t, uint64_t> dates;
    /* The counters of the last date seen: consecutive articles often
     * share a date (they are indexed in order). */
    uint64_t *last_counters[3] = {nullptr, nullptr, nullptr};
    uint32_t last_keys[3] = {0, 0, 0};
    int last_n = -1;
    std::string last_date;

    std::vector<StorySlot> table; /* open addressing, power-of-2 size */
    size_t used = 0;
    std::vector<Story> story_sets;
    std::vector<uint64_t> prints; /* of first copies, StorySlot.off/n */
    uint32_t cur_dates[3];        /* the current article's date keys */
    int cur_n_dates = 0;

    State(const Xapian::Database &d, bool s) : db(d), stories(s) {}

    /* Parses the article's records, prefetches their slots, then counts
     * them: the slots' cache misses overlap instead of queueing. */
    void count_records(std::string_view v, Story *story)
    {
        recs.clear();
        each_record(v, [this](std::string_view k, std::string_view d) {
            uint64_t h = ValueTable::hash_of(k);
            values.prefetch(h);
            recs.push_back(Record{k, d, h});
        });
        for (const Record &r : recs)
            if (!story || story->note(r.hash))
                values.bump(r.key, r.display, r.hash);
    }

    void count_date(const std::string &v, Story *story)
    {
        if (!story && last_n >= 0 && v == last_date) {
            for (int i = 0; i < last_n; i++)
                ++*last_counters[i];
            cur_n_dates = last_n;
            std::memcpy(cur_dates, last_keys, sizeof cur_dates);
            return;
        }
        uint32_t *keys = cur_dates;
        int n = cur_n_dates = date_keys(v, keys);
        if (story) {
            for (int i = 0; i < n; i++)
                if (story->note(date_print(keys[i])))
                    dates[keys[i]]++;
            return;
        }
        for (int i = 0; i < n; i++)
            ++*(last_counters[i] = &dates[keys[i]]);
        last_n = n;
        last_date = v;
        std::memcpy(last_keys, keys, sizeof last_keys);
    }

    /* Keeps the prints of a story's first copy (just counted). */
    void remember(size_t slot)
    {
        size_t n = recs.size() + (size_t)cur_n_dates;
        if (prints.size() + n > PRINTS_MAX)
            return; /* n stays NO_PRINTS */
        table[slot].off = (uint32_t)prints.size();
        table[slot].n = (uint32_t)n;
        for (const Record &r : recs)
            prints.push_back(r.hash);
        for (int i = 0; i < cur_n_dates; i++)
            prints.push_back(date_print(cur_dates[i]));
    }

    static size_t mix(uint64_t k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdULL;
        k ^= k >> 33;
        return (size_t)k;
    }

    void grow()
    {
        std::vector<StorySlot> old;
        old.swap(table);
        table.assign(old.empty() ? 1024 : old.size() * 2, StorySlot{0, 0, 0, 0, 0});
        size_t mask = table.size() - 1;
        for (const StorySlot &s : old)
            if (s.first) {
                size_t i = mix(s.key) & mask;
                while (table[i].first)
                    i = (i + 1) & mask;
                table[i] = s;
            }
    }

    /* The slot of story `key`, added with first copy `did` if new
     * (*added then true). */
    size_t story_slot(uint64_t key, Xapian::docid did, bool *added)
    {
        if ((used + 1) * 2 > table.size())
            grow();
        size_t mask = table.size() - 1, i = mix(key) & mask;
        for (; table[i].first; i = (i + 1) & mask)
            if (table[i].key == key) {
                *added = false;
                return i;
            }
        table[i] = StorySlot{key, did, 0, 0, NO_PRINTS};
        used++;
        *added = true;
        return i;
    }

    static uint64_t story_key(const std::string &v)
    {
        uint64_t k = 0;
        if (v.size() == 16) {
            for (char c : v) {
                int x = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                               : -1;
                if (x < 0)
                    return att_hash64(v.data(), v.size());
                k = k << 4 | (uint64_t)x;
            }
            return k;
        }
        return att_hash64(v.data(), v.size());
    }

    /* The Story of the document's story if an earlier copy of it was
     * counted; NULL if this is the first copy (*first is then its slot,
     * for remember()) or it has no signature. */
    Story *story_of(const Xapian::Document &doc, size_t *first)
    {
        std::string sig = doc.get_value(ATT_SLOT_DUP);
        if (sig.empty())
            return nullptr;
        bool added = false;
        size_t i = story_slot(story_key(sig), doc.get_docid(), &added);
        if (added) {
            *first = i;
            return nullptr;
        }
        StorySlot &slot = table[i];
        if (!slot.story) {
            /* The second copy: what the first one counted. */
            story_sets.emplace_back();
            slot.story = (uint32_t)story_sets.size();
            Story &s = story_sets.back();
            if (slot.n != NO_PRINTS) {
                s.seen.assign(prints.begin() + slot.off,
                              prints.begin() + slot.off + slot.n);
            } else {
                Xapian::Document d = db.get_document(slot.first);
                each_record(d.get_value(ATT_SLOT_FACETS),
                            [&s](std::string_view k, std::string_view) {
                                s.seen.push_back(ValueTable::hash_of(k));
                            });
                uint32_t keys[3];
                int n = date_keys(d.get_value(ATT_SLOT_DATE), keys);
                for (int k = 0; k < n; k++)
                    s.seen.push_back(date_print(keys[k]));
            }
        }
        return &story_sets[slot.story - 1];
    }
};

AttFacetSpy::AttFacetSpy(const Xapian::Database &db, bool stories)
    : s_(new State(db, stories))
{
}

AttFacetSpy::~AttFacetSpy() = default;

void AttFacetSpy::operator()(const Xapian::Document &doc, double)
{
    State &s = *s_;
    size_t first = (size_t)-1;
    Story *story = s.stories ? s.story_of(doc, &first) : nullptr;
    if (!story)
        s.matched++;
    s.count_records(doc.get_value(ATT_SLOT_FACETS), story);
    s.count_date(doc.get_value(ATT_SLOT_DATE), story);
    if (first != (size_t)-1)
        s.remember(first);
}

uint64_t AttFacetSpy::matches() const { return s_->matched; }

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
static att_date_unit date_list(const std::unordered_map<uint32_t, uint64_t> &dates,
                               att_date_unit unit, std::vector<Cand> &c,
                               std::vector<std::string> &text)
{
    std::vector<std::pair<uint32_t, uint64_t>> lv[3]; /* year, month, day */
    uint64_t total[3] = {0, 0, 0};
    for (const auto &d : dates) {
        int l = (int)((d.first & DATE_LEVEL) >> 27) - 1;
        lv[l].emplace_back(d.first & ~DATE_LEVEL, d.second);
        total[l] += d.second;
    }
    for (auto &l : lv)
        std::sort(l.begin(), l.end());
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

void AttFacetSpy::collect(size_t top, att_date_unit unit, att_shim_result *out) const
{
    const State &s = *s_;
    std::vector<Cand> c[ATT_FACET_DATE];
    s.values.each([&c](const ValueTable::Slot &v, const std::vector<Display> *more) {
        Display best{std::string_view(v.key + v.klen, v.dlen), v.first_n};
        if (more)
            for (const Display &d : *more)
                if (d.n > best.n) /* ties: the first seen stays */
                    best = d;
        c[kind_facet(v.key[0])].push_back(
            Cand{std::string_view(v.key + 1, v.klen - 1), best.text, v.count});
    });
    for (int f = 0; f < ATT_FACET_DATE; f++) {
        size_t n = std::min(top, c[f].size());
        std::partial_sort(c[f].begin(), c[f].begin() + (long)n, c[f].end(), before);
        out->facets[f] = make_list(c[f], n);
        out->n_facets[f] = n;
    }
    std::vector<Cand> d;
    std::vector<std::string> text;
    out->facet_unit = date_list(s.dates, unit, d, text);
    out->facets[ATT_FACET_DATE] = make_list(d, d.size());
    out->n_facets[ATT_FACET_DATE] = d.size();
}
