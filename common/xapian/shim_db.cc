/*
 * shim_db.cc: opening and closing indexes, building documents, and the
 * write path (replace, delete, commit) with its explicit transactions.
 */
#include "shim_internal.hh"
#include "schema.h"

#include <cstdlib>
#include <cstring>
#include <new>

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
        } else {
            h->db = new Xapian::Database(path);
            std::string v = h->db->get_metadata(ATT_SCHEMA_KEY);
            if (v != ATT_SCHEMA_VERSION && !(v.empty() && h->db->get_doccount() == 0)) {
                schema_error(path, v);
                delete h->db;
                delete h;
                return ATT_CORRUPT;
            }
            h->exact = h->db->get_metadata(ATT_EXACT_KEY) == "1";
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

extern "C" void att_shim_close(att_shim_db *h)
{
    if (!h)
        return;
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
        if (!h->wdb)
            h->db->reopen();
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

extern "C" att_status att_shim_replace(att_shim_db *h, const char *idterm,
                                       size_t len, att_shim_doc *d)
{
    try {
        begin(h);
        h->wdb->replace_document(std::string(idterm, len), d->doc);
        for (const auto &w : d->words)
            h->words[w.first] += w.second;
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
        h->wdb->delete_document(t);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_commit(att_shim_db *h)
{
    try {
        if (h->in_txn) {
            for (const auto &w : h->words)
                h->wdb->add_spelling(w.first, w.second);
            h->words.clear();
            h->in_txn = false; /* commit_transaction ends it even if it throws */
            h->wdb->commit_transaction();
        }
        return ATT_OK;
    }
    ATT_SHIM_CATCH("cannot commit to index " + h->path)
}

extern "C" att_status att_shim_get_data(att_shim_db *h, const char *idterm,
                                        size_t len, char **out, size_t *out_len)
{
    *out = nullptr;
    *out_len = 0;
    try {
        for (int attempt = 0;; attempt++) {
            try {
                Xapian::PostingIterator p = h->db->postlist_begin(std::string(idterm, len));
                if (p == h->db->postlist_end(std::string(idterm, len)))
                    return ATT_NOT_FOUND;
                std::string data = h->db->get_document(*p).get_data();
                char *buf = static_cast<char *>(std::malloc(data.size() + 1));
                if (!buf)
                    return att_error_nomem();
                std::memcpy(buf, data.data(), data.size());
                buf[data.size()] = '\0';
                *out = buf;
                *out_len = data.size();
                return ATT_OK;
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt >= 3 || h->wdb)
                    throw;
                h->db->reopen();
            }
        }
    }
    ATT_SHIM_CATCH("index " + h->path)
}
