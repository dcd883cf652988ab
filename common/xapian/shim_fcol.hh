/*
 * shim_fcol.hh: the facet column, what facet counting reads for each
 * article, kept by document id in the index's own metadata (schema 5;
 * docs/INDEX-FORMAT.md, "The facet column").  C++ only.
 *
 * Why it exists.  Counting facets reads, for every match, the article's
 * people, organisations, places and source, its date and its content
 * signature.  Read from Xapian's value slots that costs a value-stream
 * block per match for each of three slots and a string parse per record:
 * a query matching 500 of 100,000 articles paid 4 ms, a whole-index query
 * 118 ms.  The column holds the same facts as numbers: every distinct
 * facet record ("<kind><id>\t<display>", schema.h) gets a value number
 * once, in the value table; an article's entry is its date, its signature
 * and the sorted numbers of its records.  Entries are stored 1,024
 * document ids to a chunk, so a search reads a few dozen metadata entries
 * where it read thousands of value blocks, and a handle keeps the chunks
 * it has decoded until the revision it reads changes.
 *
 * Consistency.  The writer (shim_db.cc, shim_ingest.cc) tells the column
 * about every document it replaces or deletes; flush() writes what
 * changed into the metadata inside the same Xapian transaction as the
 * documents, so the column is exactly as durable as they are and a crash
 * leaves both at the last commit.  Value numbers are never reused or
 * removed: a record no article holds any more keeps its number and counts
 * zero.
 *
 * Threads: a handle is used by one thread at a time (attache.h), and so is
 * its column.
 */
#ifndef ATT_SHIM_FCOL_HH
#define ATT_SHIM_FCOL_HH

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attfcol {

const unsigned CHUNK_BITS = 10;
const uint32_t CHUNK_DOCS = 1u << CHUNK_BITS;

/* Doc::flags */
const uint8_t PRESENT = 1; /* the document exists */
const uint8_t HAS_SIG = 2; /* it has a content signature (slot 2) */

/* One document's entry.  date: YYYYMMDD as a number (00 for an unknown
 * month or day, as slot 0), 0 when undated.  sig: the signature as a
 * number (shim_fcol.cc, sig_number()).  Its value numbers are
 * Chunk::ids[off .. off + n), ascending, at most one per group (the
 * first record of each "<kind><id>").  vhash: a 64-bit print of those
 * numbers (equal lists, equal prints), for telling the copies of a story
 * that hold the same values without reading them. */
struct Doc {
    uint64_t sig;
    uint64_t vhash;
    uint32_t date;
    uint32_t off;
    uint32_t n;
    uint8_t flags;
};

struct Chunk {
    Doc docs[CHUNK_DOCS];
    std::vector<uint32_t> ids;
};

} // namespace attfcol

class AttFacetColumn {
  public:
    /* `db` is the handle's database; `wdb` the same as writable when the
     * handle is the writer's, else NULL. */
    AttFacetColumn(Xapian::Database *db, Xapian::WritableDatabase *wdb);
    ~AttFacetColumn();
    AttFacetColumn(const AttFacetColumn &) = delete;
    AttFacetColumn &operator=(const AttFacetColumn &) = delete;

    /* ---- the writer's side (inside an open transaction) ---- */
    /* Document `did` now holds `doc` (its slots 0, 2 and 3 are read). */
    void put(Xapian::docid did, const Xapian::Document &doc);
    /* Document `did` is gone. */
    void erase(Xapian::docid did);
    /* Writes the chunks and value-table blocks changed since the last
     * flush into the metadata; call just before committing. */
    void flush();
    /* The transaction was cancelled: forgets everything not flushed and
     * committed (it is read again when needed). */
    void discard();

    /* ---- the reader's side ---- */
    /* Follows the revision the handle now reads (a read-only handle
     * reopened by a retry or by att_shim_reopen()): what was cached from
     * an older one is dropped.  Call before each count. */
    void sync();
    /* The entry of document `did`; nullptr when the column has none (no
     * such document). */
    const attfcol::Doc *doc(Xapian::docid did, const uint32_t **ids);
    /* Where document did's entry would be, without reading it (for
     * prefetching); nullptr when its chunk holds no document. */
    const attfcol::Doc *entry(Xapian::docid did)
    {
        const attfcol::Chunk *ch = load_chunk(did >> attfcol::CHUNK_BITS);
        return ch ? &ch->docs[did & (attfcol::CHUNK_DOCS - 1)] : nullptr;
    }
    /* Chunk c (documents c * CHUNK_DOCS to c * CHUNK_DOCS + 1023);
     * nullptr when it holds no document.  Its entries without PRESENT
     * are not documents. */
    const attfcol::Chunk *chunk(uint32_t c) { return load_chunk(c); }
    uint32_t n_values() const { return (uint32_t)values_.size(); }
    uint32_t n_groups() const { return n_groups_; }
    /* Value v: its record's "<kind><id>" and display form. */
    std::string_view value_key(uint32_t v) const
    {
        return std::string_view(text_).substr(values_[v].off, values_[v].klen);
    }
    std::string_view value_display(uint32_t v) const
    {
        const Value &x = values_[v];
        return std::string_view(text_).substr(x.off + x.klen + 1, x.len - x.klen - 1);
    }
    /* The values as groups: the display forms of one "<kind><id>" share
     * a group number. */
    const std::vector<uint32_t> &groups() const { return group_of_; }
    /* The kind of each value: its record's first byte ('p', 'o', 'l',
     * 's'). */
    const std::vector<uint8_t> &kinds() const { return kind_of_; }

    /* Facet counting's arrays (shim_facets.cc), kept with the handle
     * between searches so that a search pays for what it touches, not for
     * the size of the value table: count and first document id by value,
     * total and best display form (value + 1) by group, each pair read
     * together, and stamps by group with the next stamp to use. */
    struct ValueCount {
        uint32_t count, first;
    };
    struct GroupCount {
        uint32_t count, best;
    };
    struct Scratch {
        std::vector<ValueCount> value;
        std::vector<GroupCount> group;
        std::vector<uint32_t> gstamp;
        uint32_t next_stamp = 1;
    } scratch;

  private:
    /* A value's record "<kind><id>\t<display>" is text_[off, off + len);
     * its "<kind><id>" the first klen bytes.  One string for all records
     * and numbers for the rest: the table costs a writer of a million
     * articles little more than its text (docs/PERFORMANCE.md, memory). */
    struct Value {
        uint64_t off;
        uint32_t len, klen;
    };
    std::string_view record(uint32_t v) const
    {
        return std::string_view(text_).substr(values_[v].off, values_[v].len);
    }

    void load_table();
    attfcol::Chunk *load_chunk(uint32_t c);
    attfcol::Chunk *writable_chunk(uint32_t c);
    void build_maps();
    uint32_t value_number(std::string_view key, std::string_view display);
    void add_value(std::string_view rec, uint32_t klen, uint32_t group);
    /* The writer's lookups: open addressing over numbers + 1 (0: free),
     * at most half full, hashed on the record (values) or on the
     * "<kind><id>" of the group's first value (groups). */
    uint32_t *find_slot(std::vector<uint32_t> &table, std::string_view key,
                        bool group);
    void grow(std::vector<uint32_t> &table, bool group);

    Xapian::Database *db_;
    Xapian::WritableDatabase *wdb_;
    Xapian::rev rev_ = 0;
    bool synced_ = false;

    /* the value table */
    bool table_loaded_ = false;
    std::string text_;
    std::vector<Value> values_;
    std::vector<uint32_t> group_of_;
    std::vector<uint8_t> kind_of_;
    uint32_t n_groups_ = 0;
    /* the writer's lookups, built on its first put() */
    bool maps_built_ = false;
    std::vector<uint32_t> value_slots_, group_slots_;
    std::vector<uint32_t> group_first_; /* a group's first value */
    uint32_t first_unflushed_value_ = UINT32_MAX;

    /* chunks by number; loaded_[c] once chunk c was looked for */
    std::vector<std::unique_ptr<attfcol::Chunk>> chunks_;
    std::vector<uint8_t> loaded_;
    std::vector<uint32_t> dirty_;
    std::vector<uint8_t> is_dirty_;
};

#endif
