/*
 * shim_db.cc: opening and closing indexes, building documents, and the
 * write path (replace, delete, commit) with its explicit transactions.
 */
#include "shim_internal.hh"
#include "shim_fcol.hh"
#include "schema.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

/* Why an index of another schema version cannot be opened. */
static void schema_error(const char *path, const std::string &v)
{
    if (v.empty())
        att_error_set(ATT_CORRUPT, "cannot open index %s: not an Attaché index "
                      "(no schema version)", path);
    else
        att_error_set(ATT_CORRUPT, "cannot open index %s: it has schema version "
                      "%s and this Attaché reads version %s "
                      "(docs/INDEX-FORMAT.md); index the articles again into "
                      "a new directory", path, v.c_str(), ATT_SCHEMA_VERSION);
}

static void recover_vocabulary(att_shim_db *h);

extern "C" att_status att_shim_open(att_shim_db **out, const char *path,
                                    unsigned flags)
{
    *out = nullptr;
    att_shim_db *h = nullptr;
    try {
        h = new att_shim_db;
        h->path = path;
        if (flags & ATT_OPEN_WRITE) {
            int action = (flags & ATT_OPEN_CREATE) ? Xapian::DB_CREATE_OR_OPEN
                                                   : Xapian::DB_OPEN;
            if (flags & ATT_OPEN_WAIT)
                action |= Xapian::DB_RETRY_LOCK;
            h->wdb = new Xapian::WritableDatabase(path, action);
            h->db = h->wdb;
            std::string v = h->wdb->get_metadata(ATT_SCHEMA_KEY);
            bool empty = h->wdb->get_doccount() == 0;
            if (v.empty() && empty) {
                h->wdb->set_metadata(ATT_SCHEMA_KEY, ATT_SCHEMA_VERSION);
                h->wdb->commit();
            } else if (v != ATT_SCHEMA_VERSION) {
                schema_error(path, v);
                delete h->wdb;
                delete h;
                return ATT_CORRUPT;
            }
            h->exact = h->wdb->get_metadata(ATT_EXACT_KEY) == "1";
            recover_vocabulary(h);
            if ((flags & ATT_OPEN_EXACT_FORMS) && !h->exact) {
                if (!empty) {
                    att_error_set(ATT_INVALID, "cannot add exact word forms "
                                  "to index %s: it already holds articles "
                                  "indexed without them; index into a new "
                                  "directory with exact forms", path);
                    delete h->wdb;
                    delete h;
                    return ATT_INVALID;
                }
                h->wdb->set_metadata(ATT_EXACT_KEY, "1");
                h->wdb->commit();
                h->exact = true;
            }
            h->entities = h->wdb->get_metadata(ATT_ENTITIES_KEY) != "0";
            if ((flags & ATT_OPEN_NO_ENTITIES) && h->entities) {
                if (!empty) {
                    att_error_set(ATT_INVALID, "cannot turn entity extraction "
                                  "off for index %s: it already holds "
                                  "articles with entities; index into a new "
                                  "directory", path);
                    delete h->wdb;
                    delete h;
                    return ATT_INVALID;
                }
                h->wdb->set_metadata(ATT_ENTITIES_KEY, "0");
                h->wdb->commit();
                h->entities = false;
            }
        } else {
            /* A writer committing while this opens can recycle the blocks
             * of the revision being opened: Xapian reports them modified,
             * or corrupt for a block caught while being rewritten (see
             * att_shim_read_retry() in shim_internal.hh).  Opening again gets a newer
             * revision; a real corruption stays and is reported after the
             * attempts. */
            std::string v;
            bool empty = false;
            for (int attempt = 0;; attempt++) {
                try {
                    h->db = new Xapian::Database(path);
                    v = h->db->get_metadata(ATT_SCHEMA_KEY);
                    h->exact = h->db->get_metadata(ATT_EXACT_KEY) == "1";
                    h->entities = h->db->get_metadata(ATT_ENTITIES_KEY) != "0";
                    if (v.empty())
                        empty = h->db->get_doccount() == 0;
                    break;
                } catch (const Xapian::DatabaseModifiedError &) {
                    delete h->db;
                    h->db = nullptr;
                    if (attempt >= ATT_SHIM_READ_RETRIES)
                        throw;
                } catch (const Xapian::DatabaseCorruptError &) {
                    delete h->db;
                    h->db = nullptr;
                    if (attempt >= ATT_SHIM_READ_RETRIES)
                        throw;
                }
            }
            if (v != ATT_SCHEMA_VERSION && !(v.empty() && empty)) {
                schema_error(path, v);
                delete h->db;
                delete h;
                return ATT_CORRUPT;
            }
        }
        *out = h;
        return ATT_OK;
    } catch (...) {
        att_status st = att_shim_caught(std::string("cannot open index ") + path);
        if (h) {
            if (h->wdb)
                delete h->wdb;
            else
                delete h->db;
            delete h;
        }
        return st;
    }
}

extern "C" bool att_shim_exact_forms(const att_shim_db *h) { return h->exact; }

extern "C" bool att_shim_entities(const att_shim_db *h) { return h->entities; }

/* The vocabulary (schema.h).  Xapian's add_spelling() reads the word's
 * count from disk and, for a new word, files it under each of its letter
 * trigrams; each commit then rewrites every trigram list touched.  Done at
 * every batch commit, that made the writer thread the indexer's
 * bottleneck.  So the words of up to VOCAB_COMMITS batches are summed in
 * memory and merged into the spelling table every VOCAB_COMMITS-th commit
 * and when the handle closes.  For crash safety each commit in between
 * also writes the words not yet merged, with their counts, to the metadata
 * key ATT_VOCAB_PENDING_KEY, in the same transaction as the articles; a
 * writer opening the index merges what a crash left there.  So the
 * vocabulary always matches the committed articles, and a search made
 * during a long indexing run sees a word at most VOCAB_COMMITS batches
 * late. */
static const unsigned VOCAB_COMMITS = 10;
static const size_t VOCAB_WORDS_MAX = 500000;

static void merge_vocabulary(att_shim_db *h)
{
    for (const auto &w : h->words)
        h->wdb->add_spelling(w.first, w.second);
    h->words.clear();
    h->wdb->set_metadata(ATT_VOCAB_PENDING_KEY, "");
    h->commits_since_merge = 0;
}

/* "word<TAB>count<LF>"... of the words not yet merged. */
static void write_pending(att_shim_db *h)
{
    std::string blob;
    blob.reserve(h->words.size() * 12);
    for (const auto &w : h->words) {
        blob += w.first;
        blob += '\t';
        blob += std::to_string(w.second);
        blob += '\n';
    }
    h->wdb->set_metadata(ATT_VOCAB_PENDING_KEY, blob);
}

static void vocabulary_to_commit(att_shim_db *h)
{
    if (++h->commits_since_merge >= VOCAB_COMMITS ||
        h->words.size() > VOCAB_WORDS_MAX)
        merge_vocabulary(h);
    else if (!h->words.empty())
        write_pending(h);
}

/* Merges what an interrupted writer left pending (called on opening). */
static void recover_vocabulary(att_shim_db *h)
{
    std::string blob = h->wdb->get_metadata(ATT_VOCAB_PENDING_KEY);
    if (blob.empty())
        return;
    size_t p = 0;
    while (p < blob.size()) {
        size_t tab = blob.find('\t', p), nl = blob.find('\n', p);
        if (tab == std::string::npos || nl == std::string::npos || tab > nl)
            break;
        h->words[blob.substr(p, tab - p)] +=
            (Xapian::termcount)std::strtoul(blob.c_str() + tab + 1, nullptr, 10);
        p = nl + 1;
    }
    merge_vocabulary(h);
    h->wdb->commit();
}

extern "C" void att_shim_close(att_shim_db *h)
{
    if (!h)
        return;
    try {
        if (h->wdb && !h->in_txn && !h->words.empty()) {
            /* the words of the last batches */
            h->wdb->begin_transaction(true);
            h->in_txn = true;
            merge_vocabulary(h);
            h->in_txn = false;
            h->wdb->commit_transaction();
        }
    } catch (...) {
        /* They stay in the pending metadata for the next writer. */
    }
    try {
        if (h->wdb) {
            if (h->in_txn)
                h->wdb->cancel_transaction();
            h->wdb->close();
        }
    } catch (...) {
        /* Closing cannot report failure; what was committed is safe. */
    }
    try {
        if (h->wdb)
            delete h->wdb;
        else
            delete h->db;
    } catch (...) {
    }
    att_shim_facet_column_free(h);
    delete h;
}

extern "C" bool att_shim_writable(const att_shim_db *h) { return h->wdb != nullptr; }

extern "C" att_status att_shim_doccount(att_shim_db *h, uint64_t *out)
{
    try {
        *out = h->db->get_doccount();
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_reopen(att_shim_db *h)
{
    try {
        /* reopen() reads the latest revision's root blocks, which the
         * writer may recycle meanwhile if it commits twice during the
         * call (Xapian then reports them modified, or, for a block caught
         * while being rewritten, corrupt: see att_shim_read_retry()
         * in shim_internal.hh): the next attempt opens a newer revision.  A
         * real corruption stays and is reported after the attempts. */
        for (int attempt = 0; !h->wdb; attempt++) {
            try {
                h->db->reopen();
                break;
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt >= ATT_SHIM_READ_RETRIES)
                    throw;
            } catch (const Xapian::DatabaseCorruptError &) {
                if (attempt >= ATT_SHIM_READ_RETRIES)
                    throw;
            }
        }
        return ATT_OK;
    }
    ATT_SHIM_CATCH("cannot reopen index " + h->path)
}

extern "C" att_status att_shim_doc_new(att_shim_doc **out)
{
    try {
        *out = new att_shim_doc;
        return ATT_OK;
    }
    ATT_SHIM_CATCH("")
}

extern "C" void att_shim_doc_free(att_shim_doc *d) { delete d; }

extern "C" att_status att_shim_doc_posting(att_shim_doc *d, const char *term,
                                           size_t len, uint32_t pos,
                                           uint32_t wdfinc)
{
    try {
        d->doc.add_posting(std::string(term, len), pos, wdfinc);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("")
}

extern "C" att_status att_shim_doc_term(att_shim_doc *d, const char *term,
                                        size_t len, uint32_t wdfinc)
{
    try {
        d->doc.add_term(std::string(term, len), wdfinc);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("")
}

extern "C" att_status att_shim_doc_word(att_shim_doc *d, const char *word,
                                        size_t len)
{
    try {
        d->words[std::string(word, len)]++;
        return ATT_OK;
    }
    ATT_SHIM_CATCH("")
}

extern "C" att_status att_shim_doc_boolean(att_shim_doc *d, const char *term,
                                           size_t len)
{
    try {
        d->doc.add_boolean_term(std::string(term, len));
        return ATT_OK;
    }
    ATT_SHIM_CATCH("")
}

extern "C" att_status att_shim_doc_value(att_shim_doc *d, unsigned slot,
                                         const char *v, size_t len)
{
    try {
        d->doc.add_value(slot, std::string(v, len));
        return ATT_OK;
    }
    ATT_SHIM_CATCH("")
}

extern "C" att_status att_shim_doc_data(att_shim_doc *d, const char *p,
                                        size_t len)
{
    try {
        d->doc.set_data(std::string(p, len));
        return ATT_OK;
    }
    ATT_SHIM_CATCH("")
}

static void begin(att_shim_db *h)
{
    if (!h->in_txn) {
        h->wdb->begin_transaction(true);
        h->in_txn = true;
    }
}

/* Writes `d` in place of the documents holding `idterm` (Xapian replaces
 * the first and deletes any other), and tells the vocabulary and the facet
 * column.  Inside a transaction. */
Xapian::docid att_shim_replace_doc(att_shim_db *h, const std::string &idterm,
                                   att_shim_doc *d)
{
    std::vector<Xapian::docid> old(h->wdb->postlist_begin(idterm),
                                   h->wdb->postlist_end(idterm));
    Xapian::docid did = h->wdb->replace_document(idterm, d->doc);
    AttFacetColumn &col = att_shim_facet_column(h);
    for (Xapian::docid o : old)
        if (o != did)
            col.erase(o);
    col.put(did, d->doc);
    for (const auto &w : d->words)
        h->words[w.first] += w.second;
    return did;
}

extern "C" att_status att_shim_replace(att_shim_db *h, const char *idterm,
                                       size_t len, att_shim_doc *d)
{
    try {
        begin(h);
        att_shim_replace_doc(h, std::string(idterm, len), d);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_delete(att_shim_db *h, const char *idterm,
                                      size_t len)
{
    try {
        std::string t(idterm, len);
        if (!h->wdb->term_exists(t))
            return ATT_NOT_FOUND;
        begin(h);
        std::vector<Xapian::docid> gone(h->wdb->postlist_begin(t),
                                        h->wdb->postlist_end(t));
        h->wdb->delete_document(t);
        AttFacetColumn &col = att_shim_facet_column(h);
        for (Xapian::docid did : gone)
            col.erase(did);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_commit_batch(att_shim_db *h, bool all_words)
{
    try {
        if (h->in_txn) {
            if (all_words)
                merge_vocabulary(h);
            else
                vocabulary_to_commit(h);
            /* If the batch is lost (the facet column's flush or the
             * commit fails: a failed commit cancels the transaction),
             * what the column holds in memory of it, new value numbers
             * above all, goes too: it is read again from the last commit. */
            try {
                if (h->fcol)
                    h->fcol->flush();
            } catch (...) {
                h->in_txn = false;
                try {
                    h->wdb->cancel_transaction();
                } catch (...) {
                }
                h->fcol->discard();
                throw;
            }
            h->in_txn = false; /* commit_transaction ends it even if it throws */
            try {
                h->wdb->commit_transaction();
            } catch (...) {
                if (h->fcol)
                    h->fcol->discard();
                throw;
            }
        }
        return ATT_OK;
    }
    ATT_SHIM_CATCH("cannot commit to index " + h->path)
}

extern "C" att_status att_shim_commit(att_shim_db *h)
{
    return att_shim_commit_batch(h, true);
}

extern "C" att_status att_shim_get_data(att_shim_db *h, const char *idterm,
                                        size_t len, char **out, size_t *out_len)
{
    *out = nullptr;
    *out_len = 0;
    try {
        std::string data;
        bool found = false;
        att_shim_read_retry(h, [&] {
            std::string id(idterm, len);
            Xapian::PostingIterator p = h->db->postlist_begin(id);
            found = p != h->db->postlist_end(id);
            if (found)
                data = h->db->get_document(*p).get_data();
        });
        if (!found)
            return ATT_NOT_FOUND;
        char *buf = static_cast<char *>(std::malloc(data.size() + 1));
        if (!buf)
            return att_error_nomem();
        std::memcpy(buf, data.data(), data.size());
        buf[data.size()] = '\0';
        *out = buf;
        *out_len = data.size();
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}
