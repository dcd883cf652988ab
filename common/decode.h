/*
 * decode.h: the input decoder.  Every article's bytes pass through
 * att_decode() before anything else reads them, so the rest of the library
 * sees only clean UTF-8: no byte-order mark, no invalid sequences, no control
 * characters other than TAB, LF and CR, and no double-encoded ("mojibake")
 * UTF-8.  The rules (BOMs, UTF-16, Windows-1252 / ISO-8859-1, binary data,
 * control characters, mojibake repair) are in decode.c's opening comment.
 */
#ifndef ATT_DECODE_H
#define ATT_DECODE_H

#include "internal.h"

#include <stdbool.h>
#include <stddef.h>

/* What att_decode() found and changed.  Zeroed on entry; on failure every
 * field stays zero and `encoding` is NULL. */
typedef struct att_decode_stats {
    const char *encoding; /* static string: "utf-8", "utf-8 with BOM",
                             "utf-16le", "utf-16be", "windows-1252",
                             "iso-8859-1", "utf-8 with invalid bytes" */
    bool converted;       /* the input was not UTF-8 (UTF-16, single-byte, or
                             UTF-8 with invalid bytes) and was converted */
    size_t mojibake;      /* double-encoded UTF-8 sequences repaired */
    size_t invalid;       /* invalid UTF-8 bytes replaced, or unpaired
                             UTF-16 surrogates replaced by U+FFFD */
    size_t controls;      /* control characters replaced */
} att_decode_stats;

/* Decodes [in, in+len) into clean UTF-8: a new NUL-terminated malloc'd
 * buffer *out of *out_len bytes (caller frees; never NULL on success, even
 * for empty input).  `in` may be NULL when len is 0; `stats` may be NULL.
 * Returns ATT_OK; ATT_ENCODING with a message naming the line and byte
 * offset for binary input ("binary data (a NUL byte) at line 3, byte 120");
 * ATT_NO_MEMORY; ATT_INVALID for NULL arguments or input too large for the
 * converter (over 512 MB of non-UTF-8 text); ATT_INTERNAL if ICU fails.
 * On failure *out is NULL and *out_len 0. */
att_status att_decode(const char *in, size_t len, char **out, size_t *out_len,
                      att_decode_stats *stats);

#endif /* ATT_DECODE_H */
