/*
 * shim_complete.cc: what completion (searcher/complete.c) reads from the
 * index, declared in shim_complete.h.
 *
 * Entities and sources are boolean terms whose names are ids (XL + "pak",
 * XSRC + "un-general-debate", schema.h), so candidates by prefix are a
 * skip_to() in the term list and their frequencies come with it.  The
 * display name of an id ("Pakistan", "UN General Debate") is not in the
 * term list: it is in each article's facet list (slot 3), so it is read
 * from the first article holding the term, one value read per candidate
 * shown.  The vocabulary is Xapian's spelling table (schema.h), walked the
 * same way as for wildcards (shim_search.cc) but keeping the frequencies.
 *
 * A reader whose revision is recycled under it (DatabaseModifiedError)
 * reopens and redoes the walk: nothing has reached the caller until the
 * walk has finished, so that is safe.
 */
#include "shim_complete.h"
#include "schema.h"
#include "shim_internal.hh"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

typedef std::vector<std::pair<std::string, Xapian::doccount>> Found;

static att_status hand_over(const Found &found, att_shim_count_fn fn, void *ctx)
{
    for (const auto &f : found) {
        att_status st = fn(ctx, f.first.data(), f.first.size(), f.second);
        if (st)
            return st;
    }
    return ATT_OK;
}

extern "C" att_status att_shim_terms_with_prefix(att_shim_db *h,
                                                 const char *prefix, size_t len,
                                                 size_t skip, size_t max_scan,
                                                 att_shim_count_fn fn,
                                                 void *ctx)
{
    try {
        const std::string p(prefix, len);
        if (skip > p.size())
            skip = p.size();
        Found found;
        att_shim_read_retry(h, [&] {
            found.clear();
            for (Xapian::TermIterator it = h->db->allterms_begin(p);
                 it != h->db->allterms_end(p) && found.size() < max_scan; ++it)
                found.emplace_back((*it).substr(skip), it.get_termfreq());
        });
        return hand_over(found, fn, ctx);
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_facet_display(att_shim_db *h, const char *term,
                                             size_t term_len, char kind,
                                             const char *id, size_t id_len,
                                             char **out)
{
    *out = nullptr;
    try {
        const std::string t(term, term_len);
        std::string head(1, kind);
        head.append(id, id_len);
        head += '\t';
        std::string display;
        att_shim_read_retry(h, [&] {
            display.clear();
            Xapian::PostingIterator p = h->db->postlist_begin(t);
            if (p == h->db->postlist_end(t))
                return;
            /* "<kind><id>\t<display>\n" per record (schema.h) */
            const std::string list =
                h->db->get_document(*p).get_value(ATT_SLOT_FACETS);
            for (size_t at = 0; at < list.size();) {
                size_t nl = list.find('\n', at);
                if (nl == std::string::npos)
                    nl = list.size();
                if (nl - at > head.size() &&
                    list.compare(at, head.size(), head) == 0) {
                    display = list.substr(at + head.size(),
                                          nl - at - head.size());
                    return;
                }
                at = nl + 1;
            }
        });
        if (display.empty())
            return ATT_OK;
        *out = static_cast<char *>(std::malloc(display.size() + 1));
        if (!*out)
            throw std::bad_alloc();
        std::memcpy(*out, display.c_str(), display.size() + 1);
        return ATT_OK;
    }
    ATT_SHIM_CATCH("index " + h->path)
}

extern "C" att_status att_shim_vocabulary(att_shim_db *h, const char *prefix,
                                          size_t len, size_t max,
                                          size_t max_scan, att_shim_count_fn fn,
                                          void *ctx)
{
    try {
        const std::string p(prefix, len);
        Found found;
        att_shim_read_retry(h, [&] {
            found.clear();
            Xapian::TermIterator it = h->db->spellings_begin();
            it.skip_to(p);
            for (; it != h->db->spellings_end() && found.size() < max_scan;
                 ++it) {
                const std::string &w = *it;
                if (w.compare(0, p.size(), p) != 0)
                    break;
                found.emplace_back(w, it.get_termfreq());
            }
        });
        auto more_frequent = [](const auto &a, const auto &b) {
            return a.second > b.second || (a.second == b.second && a.first < b.first);
        };
        if (found.size() > max) {
            std::partial_sort(found.begin(), found.begin() + (long)max,
                              found.end(), more_frequent);
            found.resize(max);
        } else {
            std::sort(found.begin(), found.end(), more_frequent);
        }
        return hand_over(found, fn, ctx);
    }
    ATT_SHIM_CATCH("index " + h->path)
}
