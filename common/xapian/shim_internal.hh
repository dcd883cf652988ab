/*
 * shim_internal.hh: what the shim's C++ files share: the handle structs
 * and the exception-to-status ladder (shim_error.cc).  C++ only.
 */
#ifndef ATT_SHIM_INTERNAL_HH
#define ATT_SHIM_INTERNAL_HH

#include "shim.h"

#include <string>
#include <unordered_map>
#include <xapian.h>

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
};

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

#endif
