/*
 * analyze.c: words, folding and stemming.
 *
 * Rules, in order:
 *  1. The input is walked code point by code point (ICU's U8_NEXT).  A word
 *     is a maximal run of letters, digits and combining marks.  An
 *     apostrophe (U+0027, U+2019 or U+02BC) between two word characters
 *     stays inside the word ("Pakistan’s", "don't"); every other character
 *     (space, punctuation, hyphen, invalid byte, control character) ends it.
 *     So "Afghanistan-Pakistan" is two consecutive words, which a quoted
 *     query of the same text matches as a phrase.
 *  2. The word is case-folded (ICU full case folding: locale-neutral, so
 *     "I" is always "i") and apostrophes become U+0027.  ASCII words take a
 *     fast path that never leaves the byte loop.
 *  3. Words longer than ATT_MAX_WORD bytes once folded are skipped, but
 *     still count as a position so phrases cannot straddle them.
 *  4. The folded form is stemmed with the Snowball English stemmer
 *     (libstemmer); words containing a digit are not stemmed.  Stems are
 *     remembered in a direct-mapped cache in the analyser (STEM_CACHE
 *     entries, words up to STEM_CACHE_WORD bytes: 2 MB): word frequencies are Zipfian, and
 *     `make profile` showed the stemmer at half of all instructions spent
 *     answering the benchmark queries (the highlighter re-analyses the text
 *     of every hit) and 14% of indexing; docs/PERFORMANCE.md has the counts
 *     before and after.
 *
 * The scratch buffers live in the analyzer, so an analyzer is not
 * thread-safe; each index handle owns one.
 */
#include "analyze.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#define STEM_CACHE 32768    /* entries; a power of two */
#define STEM_CACHE_WORD 30  /* longest word cached, in bytes */

typedef struct stem_entry {
    uint8_t flen;           /* 0: empty */
    uint8_t slen;
    char form[STEM_CACHE_WORD];
    char stem[STEM_CACHE_WORD];
} stem_entry;

struct att_analyzer {
    struct sb_stemmer *stemmer;
    stem_entry cache[STEM_CACHE];
    char form[ATT_MAX_WORD * 4 + 8]; /* folded word */
    char stem[ATT_MAX_WORD * 4 + 8];
    UChar u16[ATT_MAX_WORD * 2 + 8];  /* folding scratch */
    UChar u16f[ATT_MAX_WORD * 6 + 8];
};

att_status att_analyzer_new(att_analyzer **out)
{
    *out = NULL;
    att_analyzer *an = calloc(1, sizeof *an);
    if (!an)
        return att_error_nomem();
    an->stemmer = sb_stemmer_new("english", "UTF_8");
    if (!an->stemmer) {
        free(an);
        return att_error_set(ATT_INTERNAL,
                             "cannot create the English Snowball stemmer");
    }
    *out = an;
    return ATT_OK;
}

void att_analyzer_free(att_analyzer *an)
{
    if (!an)
        return;
    sb_stemmer_delete(an->stemmer);
    free(an);
}

static bool is_word_char(UChar32 c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9');
    if (u_isalnum(c))
        return true;
    int8_t t = u_charType(c);
    return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ||
           t == U_ENCLOSING_MARK;
}

static bool is_apostrophe(UChar32 c)
{
    return c == 0x27 || c == 0x2019 || c == 0x02BC;
}

/* Folds text[start, end) into an->form; returns its length, or 0 if the
 * folded word is too long (the caller skips it). */
static size_t fold_word(att_analyzer *an, const char *text, size_t start,
                        size_t end, bool ascii)
{
    size_t n = end - start;
    if (ascii) {
        if (n > ATT_MAX_WORD)
            return 0;
        for (size_t i = 0; i < n; i++) {
            char c = text[start + i];
            an->form[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        an->form[n] = '\0';
        return n;
    }
    /* Non-ASCII: UTF-8 -> UTF-16 -> full case fold -> UTF-8, with the
     * apostrophes unified on the way. */
    if (n > ATT_MAX_WORD * 2)
        return 0;
    int32_t ulen = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(an->u16, (int32_t)(sizeof an->u16 / sizeof an->u16[0]),
                  &ulen, text + start, (int32_t)n, &err);
    if (U_FAILURE(err))
        return 0;
    for (int32_t i = 0; i < ulen; i++)
        if (an->u16[i] == 0x2019 || an->u16[i] == 0x02BC)
            an->u16[i] = 0x27;
    int32_t flen = u_strFoldCase(an->u16f,
                                 (int32_t)(sizeof an->u16f / sizeof an->u16f[0]),
                                 an->u16, ulen, U_FOLD_CASE_DEFAULT, &err);
    if (U_FAILURE(err))
        return 0;
    int32_t blen = 0;
    u_strToUTF8(an->form, (int32_t)sizeof an->form, &blen, an->u16f, flen,
                &err);
    if (U_FAILURE(err) || blen <= 0 || blen > ATT_MAX_WORD)
        return 0;
    an->form[blen] = '\0';
    return (size_t)blen;
}

static size_t stem_word(att_analyzer *an, size_t flen)
{
    bool digit = false;
    uint32_t h = 2166136261u; /* FNV-1a, for the cache slot */
    for (size_t i = 0; i < flen; i++) {
        unsigned char c = (unsigned char)an->form[i];
        if (c >= '0' && c <= '9')
            digit = true;
        h = (h ^ c) * 16777619u;
    }
    if (!digit) {
        stem_entry *e = NULL;
        if (flen <= STEM_CACHE_WORD) {
            e = &an->cache[h & (STEM_CACHE - 1)];
            if (e->flen == flen && memcmp(e->form, an->form, flen) == 0) {
                memcpy(an->stem, e->stem, e->slen);
                an->stem[e->slen] = '\0';
                return e->slen;
            }
        }
        const sb_symbol *s =
            sb_stemmer_stem(an->stemmer, (const sb_symbol *)an->form, (int)flen);
        int slen = sb_stemmer_length(an->stemmer);
        if (s && slen > 0 && (size_t)slen < sizeof an->stem) {
            memcpy(an->stem, s, (size_t)slen);
            an->stem[slen] = '\0';
            if (e && (size_t)slen <= STEM_CACHE_WORD) {
                e->flen = (uint8_t)flen;
                e->slen = (uint8_t)slen;
                memcpy(e->form, an->form, flen);
                memcpy(e->stem, s, (size_t)slen);
            }
            return (size_t)slen;
        }
    }
    memcpy(an->stem, an->form, flen + 1);
    return flen;
}

att_status att_analyze(att_analyzer *an, const char *text, size_t len,
                       att_token_fn fn, void *ctx)
{
    const uint8_t *s = (const uint8_t *)text;
    int32_t n = len > INT32_MAX ? INT32_MAX : (int32_t)len;
    int32_t i = 0;
    uint32_t pos = 0;
    while (i < n) {
        /* Skip to the start of a word. */
        int32_t start = i;
        UChar32 c;
        if (s[i] < 0x80) {
            c = s[i];
            if (!is_word_char(c)) {
                i++;
                continue;
            }
        } else {
            U8_NEXT(s, i, n, c);
            if (c < 0 || !is_word_char(c))
                continue;
            i = start;
        }
        /* Scan the word. */
        bool ascii = true;
        int32_t end = i;
        while (i < n) {
            int32_t at = i;
            if (s[i] < 0x80) {
                c = s[i++];
            } else {
                U8_NEXT(s, i, n, c);
                ascii = false;
            }
            if (c >= 0 && is_word_char(c)) {
                end = i;
                continue;
            }
            if (c >= 0 && is_apostrophe(c) && end == at && i < n) {
                /* Keep it only if a word character follows. */
                int32_t j = i;
                UChar32 d;
                U8_NEXT(s, j, n, d);
                if (d >= 0 && is_word_char(d)) {
                    if (c != 0x27)
                        ascii = false;
                    end = i;
                    continue;
                }
            }
            i = at;
            break;
        }
        if (i < end)
            i = end;
        if (i == start) { /* defensive: always make progress */
            i++;
            continue;
        }
        size_t flen = fold_word(an, text, (size_t)start, (size_t)end, ascii);
        if (flen > 0) {
            att_token tok;
            tok.form = an->form;
            tok.form_len = flen;
            tok.stem_len = stem_word(an, flen);
            tok.stem = an->stem;
            tok.start = (size_t)start;
            tok.end = (size_t)end;
            tok.pos = pos;
            att_status st = fn(ctx, &tok);
            if (st != ATT_OK)
                return st;
        }
        pos++;
    }
    return ATT_OK;
}
