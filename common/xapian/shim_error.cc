/*
 * shim_error.cc: the one catch ladder.  Every shim entry point ends in
 * ATT_SHIM_CATCH, which lands here; the exception is rethrown and matched
 * most-specific first, so a lock error is "locked", a modified revision is
 * "modified, retry", and nothing unexpected escapes into C.
 */
#include "shim_internal.hh"

#include <new>
#include <stdexcept>

static att_status set(att_status st, const std::string &context,
                      const std::string &msg)
{
    if (context.empty())
        return att_error_set(st, "%s", msg.c_str());
    return att_error_set(st, "%s: %s", context.c_str(), msg.c_str());
}

static std::string describe(const Xapian::Error &e)
{
    std::string m = e.get_msg();
    const char *es = e.get_error_string();
    if (es && *es)
        m += std::string(" (") + es + ")";
    return m;
}

att_status att_shim_caught(const std::string &context) noexcept
{
    try {
        try {
            throw;
        } catch (const Xapian::DatabaseLockError &e) {
            return set(ATT_LOCKED, context,
                       "index is locked by another writer (" + e.get_msg() + ")");
        } catch (const Xapian::DatabaseModifiedError &e) {
            return set(ATT_MODIFIED, context, describe(e));
        } catch (const Xapian::DatabaseVersionError &e) {
            return set(ATT_CORRUPT, context,
                       "unsupported index format: " + describe(e));
        } catch (const Xapian::DatabaseNotFoundError &e) {
            return set(ATT_NOT_FOUND, context, "no index there");
        } catch (const Xapian::DatabaseOpeningError &e) {
            return set(ATT_NOT_FOUND, context,
                       "no index there (" + describe(e) + ")");
        } catch (const Xapian::DatabaseCorruptError &e) {
            return set(ATT_CORRUPT, context, describe(e));
        } catch (const Xapian::DatabaseCreateError &e) {
            return set(ATT_IO, context, "cannot create index: " + describe(e));
        } catch (const Xapian::DocNotFoundError &e) {
            return set(ATT_NOT_FOUND, context, describe(e));
        } catch (const Xapian::QueryParserError &e) {
            return set(ATT_QUERY_SYNTAX, context, describe(e));
        } catch (const Xapian::InvalidArgumentError &e) {
            return set(ATT_INVALID, context, describe(e));
        } catch (const Xapian::DatabaseError &e) {
            /* Includes I/O failures (disk full, permissions). */
            return set(ATT_IO, context, describe(e));
        } catch (const Xapian::Error &e) {
            return set(ATT_INTERNAL, context,
                       std::string(e.get_type()) + ": " + describe(e));
        } catch (const std::bad_alloc &) {
            return att_error_nomem();
        } catch (const std::exception &e) {
            return set(ATT_INTERNAL, context, e.what());
        } catch (...) {
            return set(ATT_INTERNAL, context, "unknown exception");
        }
    } catch (...) {
        /* Building the message itself failed (std::string ran out). */
        return att_error_nomem();
    }
}
