/*
 * internal.h: what every library source file shares and nothing outside the
 * library sees: the last-error setters (error.c) and the small utilities
 * (util.c): a growable byte buffer, overflow-checked allocation, file
 * reading and UTF-8 validation.  The CLI must not include this file.
 */
#ifndef ATT_INTERNAL_H
#define ATT_INTERNAL_H

#ifndef ATT_BUILDING_LIBRARY
#define ATT_BUILDING_LIBRARY 1
#endif
#include "attache.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ATT_STR2(x) #x
#define ATT_STR(x) ATT_STR2(x)
#define ATT_VERSION_STRING                                                  \
    ATT_STR(ATT_VERSION_MAJOR) "." ATT_STR(ATT_VERSION_MINOR) "."          \
        ATT_STR(ATT_VERSION_PATCH)

#if defined(__GNUC__)
#define ATT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ATT_PRINTF(a, b)
#endif

/* error.c: record a failure for att_last_error(); each returns `status`. */
att_status att_error_set(att_status status, const char *fmt, ...)
    ATT_PRINTF(2, 3);
att_status att_error_set_at(att_status status, long position,
                            const char *fmt, ...) ATT_PRINTF(3, 4);
att_status att_error_nomem(void);
/* Prepends "prefix: " to the current message; returns the current status. */
att_status att_error_prefix(const char *fmt, ...) ATT_PRINTF(1, 2);

/* util.c: a growable byte buffer, always NUL-terminated when non-empty. */
typedef struct att_buf {
    char *data;
    size_t len;
    size_t cap;
} att_buf;

#define ATT_BUF_INIT { NULL, 0, 0 }

att_status att_buf_reserve(att_buf *b, size_t extra);
att_status att_buf_append(att_buf *b, const void *p, size_t n);
att_status att_buf_putc(att_buf *b, char c);
att_status att_buf_puts(att_buf *b, const char *s);
void att_buf_free(att_buf *b);

/* Allocation helpers: NULL on failure (and on size overflow). */
void *att_malloc_array(size_t n, size_t size);
void *att_realloc_array(void *p, size_t n, size_t size);
char *att_strndup(const char *s, size_t n);
char *att_strdup(const char *s);

/* Reads a whole file (at most max_size bytes) into a NUL-terminated buffer.
 * Returns ATT_OK, ATT_NOT_FOUND, ATT_IO (with errno's text), ATT_INVALID
 * (larger than max_size) or ATT_NO_MEMORY; the message names the path. */
att_status att_read_file(const char *path, size_t max_size, char **out,
                         size_t *out_len);

/* True if [s, s+n) is well-formed UTF-8 (no overlongs, no surrogates).
 * On failure, *bad (if not NULL) is the offset of the first bad byte. */
bool att_utf8_valid(const char *s, size_t n, size_t *bad);

/* A 64-bit FNV-1a hash, used for long-id terms and content signatures. */
uint64_t att_hash64(const void *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* ATT_INTERNAL_H */
