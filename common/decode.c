/*
 * decode.c: the input decoder, att_decode().  It owns the question "what
 * text do these bytes hold?": every article is decoded here, once, into
 * clean UTF-8, and nothing downstream ever sees a BOM, an invalid byte, a
 * stray control character or double-encoded UTF-8.
 *
 * Rules, in order:
 *  1. Byte-order marks.  A UTF-8 BOM (EF BB BF) is removed (even when what
 *     follows turns out not to be UTF-8, rule 3).  A UTF-16LE (FF FE) or
 *     UTF-16BE (FE FF) BOM means the text is UTF-16 and is converted with
 *     ICU.  UTF-16 without a BOM is recognised (only when the input holds
 *     a NUL byte) when it is at least 4 bytes long, has an even length, at
 *     least 40% of its odd bytes (little-endian) or even bytes (big-endian)
 *     are NUL, and the bytes of the other parity hold at most a tenth as
 *     many NULs (U+0100, U+0400, U+3000 or a low surrogate DC00 give a
 *     few).  An unpaired surrogate (or a truncated last byte) in UTF-16
 *     becomes U+FFFD and is counted as invalid.
 *  2. Otherwise a NUL byte means binary data: ATT_ENCODING, "binary data
 *     (a NUL byte) at line L, byte B" (L counts from 1, B is the byte offset
 *     of the first NUL in the input, counting from 0 and including any BOM).
 *  3. Valid UTF-8 (well-formed: no overlongs, no surrogates, nothing past
 *     U+10FFFF) is kept as it is: "utf-8", or "utf-8 with BOM".  Otherwise
 *     the decoder counts the valid multi-byte UTF-8 sequences (M) and the
 *     invalid bytes (I).  If M > 0 and M >= I the text is UTF-8 with some
 *     invalid bytes ("utf-8 with invalid bytes"): every valid sequence is
 *     kept and each invalid byte is read as a Windows-1252 byte (the five
 *     bytes Windows-1252 leaves undefined, 81 8D 8F 90 9D, as the
 *     ISO-8859-1 C1 control, which rule 4 then replaces), each counted in
 *     `invalid`.  Otherwise the whole input is single-byte text: if any byte
 *     is in 80-9F it is "windows-1252", else "iso-8859-1" (the two agree on
 *     A0-FF), and ICU's windows-1252 converter decodes both.  Both cases
 *     set `converted`.
 *  4. Control characters.  Form feed and vertical tab become "\n"; every
 *     other C0 control except TAB, LF and CR, and DEL (U+007F), and every
 *     C1 control (U+0080-U+009F) become " ".  Each replacement is counted
 *     in `controls`.  A C1 character that is part of a mojibake sequence
 *     repaired by rule 5 is not a control: rule 5 goes first.  U+FEFF after
 *     the start (a zero-width no-break space) is left alone.
 *  5. Mojibake repair: UTF-8 that was decoded as Windows-1252 and encoded
 *     again ("JosÃ©" for "José", "â€™" for "’", "â€\u009d" for "”").  Each
 *     code point maps to a "Windows-1252 byte" when it can: U+00A0-U+00FF
 *     and U+0080-U+009F to that byte, and the 27 Windows-1252 specials
 *     (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ) to theirs in
 *     80-9F.  When a code point maps to a lead byte C2-F4, the next 1, 2 or
 *     3 code points (as that lead byte requires) map to continuation bytes
 *     80-BF, and the bytes together are one well-formed UTF-8 character
 *     (not overlong, not a surrogate, at most U+10FFFF) that is not a C1
 *     control, those 2-4 code points are replaced by that character and
 *     counted once in `mojibake`.  Nothing else changes: "SÃO", "£5",
 *     "café", "naïve" and a lone "Â" stay as they are.  The repair is one
 *     pass: the repaired character is not examined again.
 *  6. Rules 4 and 5 apply to the decoded text whatever the input encoding
 *     was.  The result is always valid UTF-8, NUL-terminated, never longer
 *     than three bytes per input byte.
 *
 * The common case (valid UTF-8, no BOM, nothing for rules 4 and 5) is one
 * pass over the input, which validates, looks for NULs and controls and
 * flags possible mojibake at the same time, then one memcpy; ICU is only
 * called for UTF-16 and single-byte input.  Possible mojibake is flagged
 * cheaply: in valid UTF-8 a lead candidate is U+00C2-U+00F4 (C3 82..C3 B4)
 * followed by a character whose UTF-8 starts C2, C5, C6, CB or E2 (where
 * all the continuation candidates live); the slow path then checks exactly.
 * Rules 4 and 5 never make the text longer, so they run in place on
 * converted text.
 */
#include "decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* The largest input handed to ICU: its lengths are int32_t, and UTF-8 out
 * of single-byte text can be three times longer. */
#define MAX_CONVERT ((size_t)1 << 29)

/* Windows-1252 bytes 80-9F; 0 where the byte is undefined (it then stands
 * for the ISO-8859-1 C1 control of the same value).  test_decode.c checks
 * this table against ICU's converter. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80 */
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,      /* 88 */
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90 */
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178, /* 98 */
};

/* The code point a Windows-1252 (or, for undefined bytes, ISO-8859-1) byte
 * b >= 0x80 stands for. */
static uint32_t cp1252_to_cp(unsigned b)
{
    if (b >= 0x80 && b <= 0x9F && cp1252_high[b - 0x80])
        return cp1252_high[b - 0x80];
    return b;
}

/* The Windows-1252 byte of a non-ASCII code point (rule 5), or -1. */
static int cp_to_cp1252(uint32_t cp)
{
    if (cp < 0x80)
        return -1;
    if (cp <= 0xFF)
        return (int)cp;
    if (cp < 0x152 || cp > 0x2122 || (cp > 0x2DC && cp < 0x2013))
        return -1;
    for (int i = 0; i < 32; i++)
        if (cp1252_high[i] == cp)
            return 0x80 + i;
    return -1;
}

/* The length of the well-formed UTF-8 sequence at s (n > 0 bytes
 * available), storing its code point in *cp; 0 if the bytes there are not
 * one.  ICU's U8_NEXT rejects overlongs, surrogates and values past
 * U+10FFFF, as att_utf8_valid() does. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(s, i, (int32_t)(n < 4 ? n : 4), c);
    if (c < 0)
        return 0;
    *cp = (uint32_t)c;
    return (size_t)i;
}

/* Decodes one code point of text known to be valid UTF-8. */
static uint32_t utf8_next(const unsigned char *s, size_t *len)
{
    int32_t i = 0;
    UChar32 c;
    U8_NEXT_UNSAFE(s, i, c);
    *len = (size_t)i;
    return (uint32_t)c;
}

/* Writes code point cp as UTF-8 at d; returns its length. */
static size_t utf8_put(unsigned char *d, uint32_t cp)
{
    int32_t i = 0;
    U8_APPEND_UNSAFE(d, i, cp);
    return (size_t)i;
}

/* ---- the first pass ------------------------------------------------------ */

typedef struct scan_result {
    bool valid;  /* well-formed UTF-8 */
    bool clean;  /* nothing for rules 4 and 5 (meaningful if valid) */
    size_t nul;  /* offset of the first NUL byte, or SIZE_MAX */
} scan_result;

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static void scan(const unsigned char *s, size_t n, scan_result *r)
{
    r->valid = true;
    r->clean = true;
    r->nul = SIZE_MAX;
    size_t i = 0;
    while (i < n) {
        /* Eight printable ASCII bytes at a time. */
        while (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & HIGHS)
                break;
            uint64_t x = w ^ (ONES * 0x7F);
            if (((w - ONES * 0x20) & ~w & HIGHS) | ((x - ONES) & ~x & HIGHS))
                break; /* a byte below 0x20, or DEL */
            i += 8;
        }
        if (i >= n)
            break;
        unsigned c = s[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F) {
                if (c == 0) {
                    r->nul = i;
                    return;
                }
                if (c != '\t' && c != '\n' && c != '\r')
                    r->clean = false;
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_seq(s + i, n - i, &cp);
        if (len == 0) {
            r->valid = false;
            const unsigned char *z = memchr(s + i, 0, n - i);
            if (z)
                r->nul = (size_t)(z - s);
            return;
        }
        if (c == 0xC2) {
            if (s[i + 1] < 0xA0)
                r->clean = false; /* a C1 control */
        } else if (c == 0xC3 && s[i + 1] >= 0x82 && s[i + 1] <= 0xB4 &&
                   n - i > 2) {
            unsigned e = s[i + 2];
            if (e == 0xC2 || e == 0xC5 || e == 0xC6 || e == 0xCB || e == 0xE2)
                r->clean = false; /* possible mojibake */
        }
        i += len;
    }
}

/* ---- rules 4 and 5 ------------------------------------------------------- */

/* Applies rules 4 and 5 to valid UTF-8 [s, s+n), writing to d (which may
 * be s: the output is never longer than the input and is written behind
 * the reading position).  Returns the output length. */
static size_t fixup(const unsigned char *s, size_t n, unsigned char *d,
                    att_decode_stats *st)
{
    size_t i = 0, o = 0, run = 0; /* [run, i) is still to be copied */
#define FLUSH()                                                             \
    do {                                                                    \
        if (i > run) {                                                      \
            memmove(d + o, s + run, i - run);                               \
            o += i - run;                                                   \
        }                                                                   \
    } while (0)
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if ((c >= 0x20 && c != 0x7F) || c == '\t' || c == '\n' ||
                c == '\r') {
                i++;
                continue;
            }
            FLUSH();
            d[o++] = (c == 0x0C || c == 0x0B) ? '\n' : ' ';
            st->controls++;
            run = ++i;
            continue;
        }
        size_t len;
        uint32_t cp = utf8_next(s + i, &len);
        int lead = cp_to_cp1252(cp);
        if (lead >= 0xC2 && lead <= 0xF4) {
            unsigned char u[4];
            size_t need = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
            size_t j = i + len, k = 1;
            u[0] = (unsigned char)lead;
            while (k <= need && j < n && s[j] >= 0x80) {
                size_t l2;
                int b = cp_to_cp1252(utf8_next(s + j, &l2));
                if (b < 0x80 || b > 0xBF)
                    break;
                u[k++] = (unsigned char)b;
                j += l2;
            }
            uint32_t fixed;
            if (k == need + 1 && utf8_seq(u, k, &fixed) == k &&
                !(fixed >= 0x80 && fixed <= 0x9F)) {
                FLUSH();
                memcpy(d + o, u, k);
                o += k;
                st->mojibake++;
                i = run = j;
                continue;
            }
        }
        if (cp <= 0x9F) { /* a C1 control */
            FLUSH();
            d[o++] = ' ';
            st->controls++;
            i += len;
            run = i;
            continue;
        }
        i += len;
    }
    FLUSH();
#undef FLUSH
    return o;
}

/* ---- conversions --------------------------------------------------------- */

/* Counts the conversion errors ICU reports (unpaired surrogates, a
 * truncated last code unit) and substitutes U+FFFD for each. */
static void count_and_substitute(const void *context,
                                 UConverterToUnicodeArgs *args,
                                 const char *units, int32_t length,
                                 UConverterCallbackReason reason,
                                 UErrorCode *err)
{
    if (reason <= UCNV_IRREGULAR)
        (*(size_t *)(uintptr_t)context)++;
    UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, args, units, length, reason, err);
}

/* Converts [in, in+len) from the ICU converter `name` into a new UTF-8
 * buffer *out (malloc'd, NUL-terminated) of *out_len bytes, adding the
 * conversion errors to *invalid. */
static att_status icu_to_utf8(const char *name, const unsigned char *in,
                              size_t len, unsigned char **out, size_t *out_len,
                              size_t *invalid)
{
    if (len > MAX_CONVERT)
        return att_error_set(ATT_INVALID,
                             "input too large to convert from %s (%zu bytes)",
                             name, len);
    UErrorCode err = U_ZERO_ERROR;
    size_t errors = 0;
    UConverter *cnv = ucnv_open(name, &err);
    if (U_FAILURE(err))
        return att_error_set(ATT_INTERNAL,
                             "cannot open the ICU %s converter: %s", name,
                             u_errorName(err));
    ucnv_setToUCallBack(cnv, count_and_substitute, &errors, NULL, NULL, &err);
    UChar *u = att_malloc_array(len + 1, sizeof *u);
    if (!u) {
        ucnv_close(cnv);
        return att_error_nomem();
    }
    int32_t ulen = ucnv_toUChars(cnv, u, (int32_t)(len + 1), (const char *)in,
                                 (int32_t)len, &err);
    ucnv_close(cnv);
    if (U_FAILURE(err)) {
        free(u);
        return att_error_set(ATT_INTERNAL, "ICU %s conversion failed: %s",
                             name, u_errorName(err));
    }
    size_t cap = (size_t)ulen * 3 + 1;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        free(u);
        return att_error_nomem();
    }
    int32_t blen = 0, subs = 0;
    u_strToUTF8WithSub((char *)buf, (int32_t)cap, &blen, u, ulen, 0xFFFD,
                       &subs, &err);
    free(u);
    if (U_FAILURE(err)) {
        free(buf);
        return att_error_set(ATT_INTERNAL, "ICU UTF-8 conversion failed: %s",
                             u_errorName(err));
    }
    buf[blen] = '\0';
    *out = buf;
    *out_len = (size_t)blen;
    *invalid += errors + (size_t)subs;
    return ATT_OK;
}

/* Rule 1: UTF-16 without a BOM.  Returns 'l', 'b' or 0. */
static int sniff_utf16(const unsigned char *s, size_t n)
{
    if (n < 4 || n % 2)
        return 0;
    size_t pairs = n / 2, even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        even += s[i] == 0;
        odd += s[i + 1] == 0;
    }
    if (odd * 5 >= pairs * 2 && even * 10 <= odd)
        return 'l';
    if (even * 5 >= pairs * 2 && odd * 10 <= even)
        return 'b';
    return 0;
}

/* Rule 3, UTF-8 with some invalid bytes: each invalid byte is read as
 * Windows-1252.  Output up to three bytes per input byte. */
static att_status mixed_to_utf8(const unsigned char *s, size_t n,
                                unsigned char **out, size_t *out_len,
                                size_t *invalid)
{
    if (n > (SIZE_MAX - 1) / 3)
        return att_error_nomem();
    unsigned char *buf = malloc(n * 3 + 1);
    if (!buf)
        return att_error_nomem();
    size_t i = 0, o = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_seq(s + i, n - i, &cp);
        if (len) {
            memcpy(buf + o, s + i, len);
            o += len;
            i += len;
        } else {
            o += utf8_put(buf + o, cp1252_to_cp(s[i]));
            (*invalid)++;
            i++;
        }
    }
    buf[o] = '\0';
    *out = buf;
    *out_len = o;
    return ATT_OK;
}

static att_status binary_error(const unsigned char *s, size_t nul)
{
    size_t line = 1;
    const unsigned char *p = s, *end = s + nul;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        line++;
        p++;
    }
    return att_error_set(ATT_ENCODING,
                         "binary data (a NUL byte) at line %zu, byte %zu",
                         line, nul);
}

att_status att_decode(const char *in, size_t len, char **out, size_t *out_len,
                      att_decode_stats *stats)
{
    att_decode_stats dummy;
    att_decode_stats *st = stats ? stats : &dummy;
    memset(st, 0, sizeof *st);
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!out || !out_len || (!in && len))
        return att_error_set(ATT_INVALID, "att_decode: NULL argument");

    const unsigned char *s = (const unsigned char *)(in ? in : "");
    const char *encoding = "utf-8";
    size_t skip = 0;
    int utf16 = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        skip = 3;
        encoding = "utf-8 with BOM";
    } else if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        skip = 2;
        utf16 = 'l';
    } else if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        skip = 2;
        utf16 = 'b';
    }

    scan_result r = { true, true, SIZE_MAX };
    if (!utf16) {
        scan(s + skip, len - skip, &r);
        if (r.nul != SIZE_MAX) {
            if (!skip)
                utf16 = sniff_utf16(s, len);
            if (!utf16)
                return binary_error(s, skip + r.nul);
        }
    }

    unsigned char *buf = NULL;
    size_t n = 0;
    att_status rc = ATT_OK;
    size_t invalid = 0;
    if (utf16) {
        encoding = utf16 == 'l' ? "utf-16le" : "utf-16be";
        rc = icu_to_utf8(utf16 == 'l' ? "UTF-16LE" : "UTF-16BE", s + skip,
                         len - skip, &buf, &n, &invalid);
    } else if (r.valid) {
        /* The common case: no conversion, at most rules 4 and 5. */
        const unsigned char *t = s + skip;
        size_t tn = len - skip;
        buf = malloc(tn + 1);
        if (!buf)
            return att_error_nomem();
        if (r.clean) {
            memcpy(buf, t, tn);
            n = tn;
        } else {
            n = fixup(t, tn, buf, st);
        }
        buf[n] = '\0';
        st->encoding = encoding;
        *out = (char *)buf;
        *out_len = n;
        return ATT_OK;
    } else {
        const unsigned char *t = s + skip;
        size_t tn = len - skip, multi = 0, bad = 0;
        bool c1 = false;
        for (size_t i = 0; i < tn;) {
            uint32_t cp;
            size_t l = utf8_seq(t + i, tn - i, &cp);
            if (l) {
                multi += l > 1;
                i += l;
            } else {
                bad++;
                i++;
            }
        }
        if (multi > 0 && multi >= bad) {
            encoding = "utf-8 with invalid bytes";
            rc = mixed_to_utf8(t, tn, &buf, &n, &invalid);
        } else {
            for (size_t i = 0; i < tn && !c1; i++)
                c1 = t[i] >= 0x80 && t[i] <= 0x9F;
            encoding = c1 ? "windows-1252" : "iso-8859-1";
            rc = icu_to_utf8("windows-1252", t, tn, &buf, &n, &invalid);
        }
    }
    if (rc != ATT_OK)
        return rc;

    /* Converted text: rules 4 and 5 in place, then give back the slack. */
    att_decode_stats tmp = { NULL, false, 0, 0, 0 };
    n = fixup(buf, n, buf, &tmp);
    buf[n] = '\0';
    unsigned char *shrunk = realloc(buf, n + 1);
    if (shrunk)
        buf = shrunk;
    st->encoding = encoding;
    st->converted = true;
    st->mojibake = tmp.mojibake;
    st->invalid = invalid;
    st->controls = tmp.controls;
    *out = (char *)buf;
    *out_len = n;
    return ATT_OK;
}
