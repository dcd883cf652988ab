/*
 * shim_fcol.cc: the facet column (shim_fcol.hh): its encoding in the
 * index metadata (schema.h, "The facet column"), the value table, the
 * writer's bookkeeping and the reader's cache of decoded chunks.
 */
#include "shim_fcol.hh"
#include "shim_internal.hh"
#include "schema.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

using attfcol::Chunk;
using attfcol::CHUNK_BITS;
using attfcol::CHUNK_DOCS;
using attfcol::Doc;
using attfcol::HAS_SIG;
using attfcol::PRESENT;

/* Chunks a writer keeps decoded after a flush (the one being filled by
 * new documents among them): the rest are read again if touched. */
static const size_t WRITER_KEEP_CHUNKS = 4;

static std::string key_of(const char *prefix, uint32_t n)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", (unsigned)n);
    return std::string(prefix) + buf;
}

[[noreturn]] static void corrupt(const std::string &what)
{
    throw Xapian::DatabaseCorruptError("facet column: " + what +
                                       " is malformed (docs/INDEX-FORMAT.md)");
}

static void put_varint(std::string &out, uint64_t v)
{
    while (v >= 0x80) {
        out += (char)((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += (char)v;
}

static bool get_varint(const std::string &s, size_t *pos, uint64_t *v)
{
    uint64_t r = 0;
    for (unsigned shift = 0; *pos < s.size() && shift < 64; shift += 7) {
        unsigned char c = (unsigned char)s[(*pos)++];
        r |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

/* Slot 0 ("YYYYMMDD") as a number; 0 for anything else. */
static uint32_t date_number(const std::string &v)
{
    if (v.size() != 8)
        return 0;
    uint32_t r = 0;
    for (char c : v) {
        if (c < '0' || c > '9')
            return 0;
        r = r * 10 + (uint32_t)(c - '0');
    }
    return r;
}

/* Slot 2 (16 hex digits) as a number; another non-empty value (none is
 * written) by its hash, so that equal signatures stay equal. */
static uint64_t sig_number(const std::string &v)
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

/* A print of a list of value numbers (attfcol::Doc::vhash). */
static uint64_t values_hash(const uint32_t *ids, uint32_t n)
{
    return n ? att_hash64(ids, n * sizeof *ids) : 0;
}

static bool record_kind(char k)
{
    return k == ATT_FACET_REC_PERSON || k == ATT_FACET_REC_ORG ||
           k == ATT_FACET_REC_PLACE || k == ATT_FACET_REC_SOURCE;
}

AttFacetColumn::AttFacetColumn(Xapian::Database *db, Xapian::WritableDatabase *wdb)
    : db_(db), wdb_(wdb)
{
}

AttFacetColumn::~AttFacetColumn() = default;

/* Reads the value table from the block holding value n_values() & ~1023
 * on: the first time everything, after a new revision the last block
 * (which may have grown) and any new ones. */
void AttFacetColumn::load_table()
{
    uint32_t from = (uint32_t)values_.size() & ~(CHUNK_DOCS - 1);
    if (from < values_.size())
        text_.resize(values_[from].off);
    values_.resize(from);
    group_of_.resize(from);
    kind_of_.resize(from);
    for (uint32_t b = from >> CHUNK_BITS;; b++) {
        std::string key = key_of(ATT_FCOL_VALUES_KEY, b);
        std::string blk = db_->get_metadata(key);
        if (blk.empty())
            break;
        for (size_t p = 0; p < blk.size();) {
            size_t nl = blk.find('\n', p);
            size_t t1 = blk.find('\t', p);
            if (nl == std::string::npos || t1 == std::string::npos || t1 >= nl)
                corrupt(key);
            size_t t2 = blk.find('\t', t1 + 1);
            if (t2 == std::string::npos || t2 >= nl || t2 - t1 - 1 < 2 ||
                !record_kind(blk[t1 + 1]))
                corrupt(key);
            char *end = nullptr;
            unsigned long g = std::strtoul(blk.c_str() + p, &end, 10);
            if (end != blk.c_str() + t1 || g >= UINT32_MAX)
                corrupt(key);
            add_value(std::string_view(blk).substr(t1 + 1, nl - t1 - 1),
                      (uint32_t)(t2 - t1 - 1), (uint32_t)g);
            p = nl + 1;
        }
        if (values_.size() != ((size_t)b + 1) * CHUNK_DOCS)
            break; /* the last block, not full */
    }
    table_loaded_ = true;
}

void AttFacetColumn::sync()
{
    if (wdb_) {
        if (!table_loaded_)
            load_table();
        return;
    }
    Xapian::rev rev = db_->get_revision();
    if (synced_ && rev == rev_)
        return;
    chunks_.clear();
    loaded_.clear();
    load_table();
    rev_ = rev;
    synced_ = true;
}

static void decode_chunk(const std::string &s, const std::string &key,
                         uint32_t n_values, Chunk &ch)
{
    size_t pos = 0;
    for (uint32_t i = 0; i < CHUNK_DOCS && pos < s.size(); i++) {
        uint8_t flags = (uint8_t)s[pos++];
        if (!flags)
            continue;
        if (!(flags & PRESENT) || (flags & ~(PRESENT | HAS_SIG)))
            corrupt(key);
        Doc &d = ch.docs[i];
        d.flags = flags;
        uint64_t date = 0, n = 0;
        if (!get_varint(s, &pos, &date) || date > UINT32_MAX)
            corrupt(key);
        d.date = (uint32_t)date;
        if (flags & HAS_SIG) {
            if (s.size() - pos < 8)
                corrupt(key);
            uint64_t sig = 0;
            for (int b = 7; b >= 0; b--)
                sig = sig << 8 | (unsigned char)s[pos + (size_t)b];
            d.sig = sig;
            pos += 8;
        }
        if (!get_varint(s, &pos, &n) || n > n_values)
            corrupt(key);
        d.off = (uint32_t)ch.ids.size();
        d.n = (uint32_t)n;
        uint64_t id = 0;
        for (uint64_t k = 0; k < n; k++) {
            uint64_t delta;
            if (!get_varint(s, &pos, &delta) || (k && !delta))
                corrupt(key);
            id += delta;
            if (id >= n_values)
                corrupt(key);
            ch.ids.push_back((uint32_t)id);
        }
        d.vhash = values_hash(ch.ids.data() + d.off, d.n);
    }
    if (pos != s.size())
        corrupt(key);
}

static std::string encode_chunk(const Chunk &ch)
{
    std::string out;
    size_t keep = 0; /* bytes up to the last present document */
    for (uint32_t i = 0; i < CHUNK_DOCS; i++) {
        const Doc &d = ch.docs[i];
        if (!(d.flags & PRESENT)) {
            out += '\0';
            continue;
        }
        out += (char)d.flags;
        put_varint(out, d.date);
        if (d.flags & HAS_SIG)
            for (int b = 0; b < 8; b++)
                out += (char)(d.sig >> (8 * b) & 0xff);
        put_varint(out, d.n);
        uint32_t prev = 0;
        for (uint32_t k = 0; k < d.n; k++) {
            uint32_t id = ch.ids[d.off + k];
            put_varint(out, id - prev);
            prev = id;
        }
        keep = out.size();
    }
    out.resize(keep);
    return out;
}

Chunk *AttFacetColumn::load_chunk(uint32_t c)
{
    if (c < loaded_.size() && loaded_[c])
        return chunks_[c].get();
    if (c >= loaded_.size()) {
        loaded_.resize((size_t)c + 1, 0);
        chunks_.resize((size_t)c + 1);
    }
    std::string key = key_of(ATT_FCOL_CHUNK_KEY, c);
    std::string s = db_->get_metadata(key);
    loaded_[c] = 1;
    if (s.empty())
        return nullptr;
    std::unique_ptr<Chunk> ch(new Chunk());
    decode_chunk(s, key, n_values(), *ch);
    chunks_[c] = std::move(ch);
    return chunks_[c].get();
}

const Doc *AttFacetColumn::doc(Xapian::docid did, const uint32_t **ids)
{
    Chunk *ch = load_chunk(did >> CHUNK_BITS);
    if (!ch)
        return nullptr;
    const Doc *d = &ch->docs[did & (CHUNK_DOCS - 1)];
    if (!(d->flags & PRESENT))
        return nullptr;
    *ids = ch->ids.data() + d->off;
    return d;
}

Chunk *AttFacetColumn::writable_chunk(uint32_t c)
{
    Chunk *ch = load_chunk(c);
    if (!ch) {
        chunks_[c].reset(new Chunk());
        ch = chunks_[c].get();
    }
    if (c >= is_dirty_.size())
        is_dirty_.resize((size_t)c + 1, 0);
    if (!is_dirty_[c]) {
        is_dirty_[c] = 1;
        dirty_.push_back(c);
    }
    return ch;
}

void AttFacetColumn::add_value(std::string_view rec, uint32_t klen, uint32_t group)
{
    values_.push_back(Value{text_.size(), (uint32_t)rec.size(), klen});
    text_.append(rec);
    group_of_.push_back(group);
    kind_of_.push_back((uint8_t)rec[0]);
    n_groups_ = std::max(n_groups_, group + 1);
}

static size_t hash_text(std::string_view s)
{
    return (size_t)att_hash64(s.data(), s.size());
}

uint32_t *AttFacetColumn::find_slot(std::vector<uint32_t> &table,
                                    std::string_view key, bool group)
{
    size_t mask = table.size() - 1;
    for (size_t i = hash_text(key) & mask;; i = (i + 1) & mask) {
        uint32_t x = table[i];
        if (!x)
            return &table[i];
        std::string_view k = group ? value_key(group_first_[x - 1]) : record(x - 1);
        if (k == key)
            return &table[i];
    }
}

void AttFacetColumn::grow(std::vector<uint32_t> &table, bool group)
{
    std::vector<uint32_t> old;
    old.swap(table);
    table.assign(old.empty() ? 1024 : old.size() * 2, 0);
    for (uint32_t x : old)
        if (x)
            *find_slot(table, group ? value_key(group_first_[x - 1]) : record(x - 1),
                       group) = x;
}

void AttFacetColumn::build_maps()
{
    if (!table_loaded_)
        load_table();
    size_t n = 1024;
    while (n < values_.size() * 2 + 2)
        n *= 2;
    value_slots_.assign(n, 0);
    group_slots_.assign(n, 0);
    group_first_.assign(n_groups_, UINT32_MAX);
    for (uint32_t v = 0; v < values_.size(); v++) {
        *find_slot(value_slots_, record(v), false) = v + 1;
        uint32_t g = group_of_[v];
        if (group_first_[g] == UINT32_MAX) {
            group_first_[g] = v;
            *find_slot(group_slots_, value_key(v), true) = g + 1;
        }
    }
    maps_built_ = true;
}

uint32_t AttFacetColumn::value_number(std::string_view key, std::string_view display)
{
    std::string rec;
    rec.reserve(key.size() + 1 + display.size());
    rec.append(key).append(1, '\t').append(display);
    uint32_t *vs = find_slot(value_slots_, rec, false);
    if (*vs)
        return *vs - 1;
    if (values_.size() >= UINT32_MAX - 2)
        throw Xapian::DatabaseError("facet column: too many distinct facet values");
    uint32_t v = (uint32_t)values_.size();
    uint32_t *gs = find_slot(group_slots_, key, true);
    uint32_t g = *gs ? *gs - 1 : n_groups_;
    add_value(rec, (uint32_t)key.size(), g);
    if (!*gs) {
        group_first_.push_back(v);
        *gs = g + 1;
    }
    *vs = v + 1;
    if ((values_.size() + 1) * 2 > value_slots_.size())
        grow(value_slots_, false);
    if (((size_t)n_groups_ + 1) * 2 > group_slots_.size())
        grow(group_slots_, true);
    if (first_unflushed_value_ == UINT32_MAX)
        first_unflushed_value_ = v;
    return v;
}

void AttFacetColumn::put(Xapian::docid did, const Xapian::Document &doc)
{
    if (!maps_built_)
        build_maps();
    std::vector<uint32_t> ids;
    const std::string list = doc.get_value(ATT_SLOT_FACETS);
    const char *p = list.data(), *end = p + list.size();
    while (p < end) {
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', (size_t)(end - p)));
        if (!nl)
            nl = end;
        const char *tab = static_cast<const char *>(std::memchr(p, '\t', (size_t)(nl - p)));
        if (tab && tab - p >= 2 && record_kind(*p))
            ids.push_back(value_number(std::string_view(p, (size_t)(tab - p)),
                                       std::string_view(tab + 1, (size_t)(nl - tab - 1))));
        p = nl + 1;
    }
    /* One value per group: the first record of each "<kind><id>" (the
     * indexer writes one anyway; counting relies on it). */
    size_t kept = 0;
    for (size_t i = 0; i < ids.size(); i++) {
        bool dup = false;
        for (size_t j = 0; j < kept && !dup; j++)
            dup = group_of_[ids[j]] == group_of_[ids[i]];
        if (!dup)
            ids[kept++] = ids[i];
    }
    ids.resize(kept);
    std::sort(ids.begin(), ids.end());
    Doc d{};
    d.flags = PRESENT;
    d.date = date_number(doc.get_value(ATT_SLOT_DATE));
    std::string sig = doc.get_value(ATT_SLOT_DUP);
    if (!sig.empty()) {
        d.flags |= HAS_SIG;
        d.sig = sig_number(sig);
    }
    Chunk *ch = writable_chunk(did >> CHUNK_BITS);
    d.off = (uint32_t)ch->ids.size();
    d.n = (uint32_t)ids.size();
    ch->ids.insert(ch->ids.end(), ids.begin(), ids.end());
    d.vhash = values_hash(ids.data(), d.n);
    ch->docs[did & (CHUNK_DOCS - 1)] = d;
}

void AttFacetColumn::erase(Xapian::docid did)
{
    if (!table_loaded_)
        load_table(); /* a chunk's numbers are checked against the table */
    Chunk *ch = load_chunk(did >> CHUNK_BITS);
    if (!ch || !(ch->docs[did & (CHUNK_DOCS - 1)].flags & PRESENT))
        return;
    ch = writable_chunk(did >> CHUNK_BITS);
    ch->docs[did & (CHUNK_DOCS - 1)] = Doc{};
}

void AttFacetColumn::flush()
{
    if (first_unflushed_value_ != UINT32_MAX) {
        uint32_t last = (uint32_t)((values_.size() - 1) >> CHUNK_BITS);
        for (uint32_t b = first_unflushed_value_ >> CHUNK_BITS; b <= last; b++) {
            std::string blk;
            size_t to = std::min(values_.size(), ((size_t)b + 1) * CHUNK_DOCS);
            for (size_t v = (size_t)b * CHUNK_DOCS; v < to; v++) {
                blk += std::to_string(group_of_[v]);
                blk += '\t';
                blk += record((uint32_t)v);
                blk += '\n';
            }
            wdb_->set_metadata(key_of(ATT_FCOL_VALUES_KEY, b), blk);
        }
        first_unflushed_value_ = UINT32_MAX;
    }
    if (dirty_.empty())
        return;
    for (uint32_t c : dirty_) {
        /* an empty string removes the key */
        Chunk *ch = chunks_[c].get();
        std::string enc = ch ? encode_chunk(*ch) : std::string();
        if (ch && !enc.empty()) {
            /* decoded again, the chunk loses the numbers of replaced
             * entries that encoding left out */
            std::unique_ptr<Chunk> fresh(new Chunk());
            decode_chunk(enc, key_of(ATT_FCOL_CHUNK_KEY, c), n_values(), *fresh);
            chunks_[c] = std::move(fresh);
        }
        wdb_->set_metadata(key_of(ATT_FCOL_CHUNK_KEY, c), enc);
        is_dirty_[c] = 0;
    }
    dirty_.clear();
    /* Keep the newest few chunks decoded: new documents go on filling the
     * last one.  The others are read again if a later batch touches them. */
    size_t kept = 0;
    for (size_t c = chunks_.size(); c-- > 0;) {
        if (!loaded_[c])
            continue;
        if (kept < WRITER_KEEP_CHUNKS) {
            kept++;
            continue;
        }
        chunks_[c].reset();
        loaded_[c] = 0;
    }
}

void AttFacetColumn::discard()
{
    text_.clear();
    values_.clear();
    group_of_.clear();
    kind_of_.clear();
    n_groups_ = 0;
    table_loaded_ = false;
    value_slots_.clear();
    group_slots_.clear();
    group_first_.clear();
    maps_built_ = false;
    first_unflushed_value_ = UINT32_MAX;
    chunks_.clear();
    loaded_.clear();
    dirty_.clear();
    is_dirty_.clear();
}

AttFacetColumn &att_shim_facet_column(att_shim_db *h)
{
    if (!h->fcol)
        h->fcol = new AttFacetColumn(h->db, h->wdb);
    return *h->fcol;
}

void att_shim_facet_column_free(att_shim_db *h)
{
    delete h->fcol;
    h->fcol = nullptr;
}
