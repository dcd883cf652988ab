/*
 * shim_ingest.cc: the shim calls of incremental indexing (shim_ingest.h).
 * A lookup reads the document's two value slots (input hash, origin) by
 * its id term without loading its data or terms, which is what keeps the
 * skip of an unchanged article cheap.  Lookups on a read-only handle (the
 * ingest workers' own) reopen and retry when the writer has recycled the
 * revision they read, which is safe: nothing has been returned yet.
 */
#include "shim_ingest.h"
#include "shim_internal.hh"
#include "shim_fcol.hh"
#include "schema.h"

#include <cstdlib>
#include <cstring>
#include <vector>

static void begin(att_shim_db *h)
{
    if (!h->in_txn) {
        h->wdb->begin_transaction(true);
        h->in_txn = true;
    }
}

extern "C" att_status att_shim_ingest_lookup(att_shim_db *h, const char *idterm,
                                             size_t len, att_shim_stored *out,
                                             att_buf *origin)
{
    out->exists = false;
    out->docid = 0;
    out->hash[0] = '\0';
    if (origin)
        origin->len = 0;
    try {
        std::string term(idterm, len);
        for (int attempt = 0;; attempt++) {
            try {
                Xapian::PostingIterator p = h->db->postlist_begin(term);
                if (p == h->db->postlist_end(term))
                    return ATT_OK;
                Xapian::Document doc = h->db->get_document(*p, Xapian::DOC_ASSUME_VALID);
                std::string hash = doc.get_value(ATT_SLOT_INPUT_HASH);
                out->exists = true;
                out->docid = *p;
                if (hash.size() == 16) {
                    std::memcpy(out->hash, hash.data(), 16);
                    out->hash[16] = '\0';
                }
                if (origin) {
                    std::string o = doc.get_value(ATT_SLOT_ORIGIN);
                    if (att_buf_append(origin, o.data(), o.size()))
                        return ATT_NO_MEMORY;
                }
                return ATT_OK;
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt >= 5 || h->wdb)
                    throw;
                h->db->reopen();
            }
        }
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_ingest_replace(att_shim_db *h, const char *idterm,
                                              size_t len, att_shim_doc *d,
                                              uint32_t *docid)
{
    try {
        begin(h);
        *docid = att_shim_replace_doc(h, std::string(idterm, len), d);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_ingest_set_origin(att_shim_db *h, uint32_t docid,
                                                 const char *origin, size_t len)
{
    try {
        begin(h);
        Xapian::Document doc = h->wdb->get_document(docid);
        doc.add_value(ATT_SLOT_ORIGIN, std::string(origin, len));
        h->wdb->replace_document(docid, doc);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_ingest_lastdocid(att_shim_db *h, uint32_t *out)
{
    try {
        *out = h->db->get_lastdocid();
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_ingest_origins(att_shim_db *h, const char *prefix,
                                              size_t len,
                                              att_status (*fn)(void *ctx,
                                                               uint32_t docid,
                                                               const char *origin,
                                                               size_t n),
                                              void *ctx)
{
    try {
        std::vector<std::pair<Xapian::docid, std::string>> found;
        for (Xapian::ValueIterator v = h->db->valuestream_begin(ATT_SLOT_ORIGIN);
             v != h->db->valuestream_end(ATT_SLOT_ORIGIN); ++v) {
            const std::string &o = *v;
            if (o.size() >= len && std::memcmp(o.data(), prefix, len) == 0)
                found.emplace_back(v.get_docid(), o);
        }
        for (const auto &f : found) {
            att_status st = fn(ctx, f.first, f.second.c_str(), f.second.size());
            if (st)
                return st;
        }
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_ingest_delete(att_shim_db *h, uint32_t docid,
                                             char **data, size_t *data_len)
{
    *data = nullptr;
    *data_len = 0;
    try {
        std::string d = h->wdb->get_document(docid).get_data();
        begin(h);
        h->wdb->delete_document(docid);
        att_shim_facet_column(h).erase(docid);
        char *buf = static_cast<char *>(std::malloc(d.size() + 1));
        if (!buf)
            return att_error_nomem();
        std::memcpy(buf, d.data(), d.size());
        buf[d.size()] = '\0';
        *data = buf;
        *data_len = d.size();
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}
