/*
 * error.c: status names and the per-thread last-error record.
 *
 * Every failing library call records its status, a message with context
 * (path, line, query and position) and, for query errors, the byte position
 * in the query.  The record is thread-local, like errno, so that concurrent
 * searches on separate handles never see each other's errors and so that a
 * failure to open an index (when there is no handle yet) can still be
 * explained.  Nothing here prints.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char error_message[1024];
static _Thread_local att_status error_status = ATT_OK;
static _Thread_local long error_position = -1;

ATT_API const char *att_strerror(att_status status)
{
    switch (status) {
    case ATT_OK: return "success";
    case ATT_NO_MEMORY: return "out of memory";
    case ATT_INVALID: return "invalid argument";
    case ATT_NOT_FOUND: return "not found";
    case ATT_IO: return "input/output error";
    case ATT_LOCKED: return "index is locked";
    case ATT_MODIFIED: return "index was modified during the operation";
    case ATT_CORRUPT: return "index is corrupt";
    case ATT_QUERY_SYNTAX: return "query syntax error";
    case ATT_EMPTY_QUERY: return "empty query";
    case ATT_ENCODING: return "invalid text encoding";
    case ATT_READ_ONLY: return "index is open read-only";
    case ATT_INTERNAL: return "internal error";
    }
    return "unknown status";
}

ATT_API const char *att_last_error(void) { return error_message; }

ATT_API att_status att_last_status(void) { return error_status; }

ATT_API long att_last_error_position(void) { return error_position; }

ATT_API const char *att_version(void) { return ATT_VERSION_STRING; }

static att_status error_vset(att_status status, long position,
                             const char *fmt, va_list ap)
{
    int n = vsnprintf(error_message, sizeof error_message, fmt, ap);
    if (n < 0)
        strcpy(error_message, att_strerror(status));
    error_status = status;
    error_position = position;
    return status;
}

att_status att_error_set(att_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(status, -1, fmt, ap);
    va_end(ap);
    return status;
}

att_status att_error_set_at(att_status status, long position,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(status, position, fmt, ap);
    va_end(ap);
    return status;
}

att_status att_error_nomem(void)
{
    /* No formatting: this must work when memory is exhausted. */
    strcpy(error_message, "out of memory");
    error_status = ATT_NO_MEMORY;
    error_position = -1;
    return ATT_NO_MEMORY;
}

att_status att_error_prefix(const char *fmt, ...)
{
    char prefix[512], old[sizeof error_message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, error_message, sizeof old);
    int n = snprintf(error_message, sizeof error_message, "%s: ", prefix);
    if (n < 0 || (size_t)n >= sizeof error_message)
        return error_status;
    snprintf(error_message + n, sizeof error_message - (size_t)n, "%.*s",
             (int)(sizeof error_message - (size_t)n - 1), old);
    return error_status;
}
