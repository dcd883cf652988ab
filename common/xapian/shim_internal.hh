/*
 * shim_internal.hh: what the shim's C++ files share: the handle structs,
 * the exception-to-status ladder (shim_error.cc) and the retry of reads
 * that a committing writer pulls from under a reader.  C++ only.
 */
#ifndef ATT_SHIM_INTERNAL_HH
#define ATT_SHIM_INTERNAL_HH

#include "shim.h"

#include <string>
#include <unordered_map>
#include <xapian.h>

class AttFacetColumn;

struct att_shim_db {
    std::string path;
    Xapian::Database *db = nullptr;        /* reader view (== wdb if writable) */
    Xapian::WritableDatabase *wdb = nullptr;
    bool in_txn = false;
    bool exact = false;                    /* the index holds E terms */
    bool entities = true;                  /* articles get entity terms */
    /* Word forms of the documents added since the vocabulary was last
     * merged into the spelling table, with their counts (shim_db.cc says
     * how and when they get there). */
    std::unordered_map<std::string, Xapian::termcount> words;
    unsigned commits_since_merge = 0;
    /* The facet column (shim_fcol.hh), made on first use. */
    AttFacetColumn *fcol = nullptr;
};

/* The handle's facet column, made on first use (shim_fcol.cc). */
AttFacetColumn &att_shim_facet_column(att_shim_db *h);
void att_shim_facet_column_free(att_shim_db *h);

/* Replaces the documents holding the unique term `idterm` with `d`,
 * keeping the vocabulary and the facet column up to date; returns the
 * document id.  Inside a transaction (shim_db.cc). */
Xapian::docid att_shim_replace_doc(att_shim_db *h, const std::string &idterm,
                                   att_shim_doc *d);

struct att_shim_doc {
    Xapian::Document doc;
    /* Word forms for the index's vocabulary (spelling table), with their
     * counts in this document; written by att_shim_replace(). */
    std::unordered_map<std::string, unsigned> words;
};

/* Converts the exception being handled into a status and a message that
 * starts with `context`.  Call only from inside a catch block. */
att_status att_shim_caught(const std::string &context) noexcept;

/* Every extern "C" entry point is one try block ending in this. */
#define ATT_SHIM_CATCH(context)                                             \
    catch (...) {                                                           \
        return att_shim_caught(context);                                    \
    }

/* ---- reads that a committing writer can pull from under a reader ------ */

/* How many times a read is started again on a newer revision. */
static const int ATT_SHIM_READ_RETRIES = 10;

/* Whether a newer revision than the one being read has been committed:
 * reopen() returns false only when it is sure nothing changed.  A reopen
 * that itself meets a recycled block means yes. */
static inline bool att_shim_revision_moved(att_shim_db *h)
{
    try {
        return h->db->reopen();
    } catch (const Xapian::DatabaseModifiedError &) {
        return true;
    } catch (const Xapian::DatabaseCorruptError &) {
        return true;
    } catch (const Xapian::DatabaseError &e) {
        if (e.get_msg().compare(0, 18, "EOF reading block ") == 0)
            return true; /* a recycled block: att_shim_read_retry() */
        throw;
    }
}

/* Runs f() again on a new revision when a writer has recycled the blocks
 * of the one being read: safe as long as f() hands nothing back before it
 * returns.  Every read of a read-only handle goes through this.  Two
 * details, both seen by tests/unit/test_threads.c (readers searching while
 * the writer commits every few milliseconds):
 *  - reopen() itself reads the new revision's root blocks and can meet
 *    the same error when the writer commits again meanwhile, so it runs
 *    inside the try block and such an attempt counts as one more retry;
 *  - a reader that reads a block while the writer rewrites it can see a
 *    block that does not fit the tree ("Expected block 20 to be level 1,
 *    not 0") and get DatabaseCorruptError, not DatabaseModifiedError.
 *    When a newer revision exists, that is the explanation and the read
 *    is retried on it; when none does, the corruption is real and is
 *    reported.  The same holds for a pointer read from such a block that
 *    leads past the end of the file ("EOF reading block 822149547",
 *    a plain DatabaseError: seen once by the same test under the address
 *    sanitizer, which slows readers down).
 * A writable handle reads its own revision, which nobody recycles: its
 * errors are passed on at once. */
template <typename F> static void att_shim_read_retry(att_shim_db *h, F f)
{
    bool stale = false;
    for (int attempt = 0;; attempt++) {
        try {
            if (stale)
                h->db->reopen();
            f();
            return;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt >= ATT_SHIM_READ_RETRIES || h->wdb)
                throw;
            stale = true;
        } catch (const Xapian::DatabaseCorruptError &) {
            if (attempt >= ATT_SHIM_READ_RETRIES || h->wdb ||
                !att_shim_revision_moved(h))
                throw;
            stale = true;
        } catch (const Xapian::DatabaseError &e) {
            if (e.get_msg().compare(0, 18, "EOF reading block ") != 0 ||
                attempt >= ATT_SHIM_READ_RETRIES || h->wdb ||
                !att_shim_revision_moved(h))
                throw;
            stale = true;
        }
    }
}

#endif
