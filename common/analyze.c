/*
 * analyze.c: words, folding and stemming: the one analysis chain that
 * documents, queries and the highlighter share.
 *
 * Rules, in order:
 *  1. The input is walked code point by code point (ICU's U8_NEXT).  A word
 *     is a maximal run of letters, digits and combining marks.  An
 *     apostrophe (U+0027, U+2018, U+2019, U+02BC) between two word
 *     characters stays inside the word ("Pakistan’s", "don't"); so do a soft
 *     hyphen (U+00AD) and the zero-width (non-)joiners (U+200C, U+200D),
 *     which are then dropped from the folded form.  Every other character
 *     (space, punctuation, any dash or hyphen, invalid byte, control
 *     character) ends the word.  So "Afghanistan-Pakistan" is two
 *     consecutive words, which a quoted query of the same text matches as a
 *     phrase, and "Tehrik‐i‐Taliban" with Unicode hyphens equals
 *     "Tehrik-i-Taliban".
 *  2. Folding.  A word of ASCII letters and digits is lower-cased in the
 *     byte loop (the fast path: most words of English news).  Any other
 *     word goes through the ICU transform
 *         NFKC; Russian-Latin/BGN; Any-Latin; Latin-ASCII
 *     (compatibility normalisation, so "ﬁ" is "fi" and full-width letters
 *     are ASCII; Cyrillic romanised as English-language news does, BGN/PCGN,
 *     "Хрущёв" -> "Khrushchev"; every other script to Latin; then Latin to
 *     ASCII, which removes diacritics and also folds ł ø ß æ œ đ þ ı: "Łódź"
 *     -> "Lodz", "Straße" -> "Strasse") and ICU full case folding, which is
 *     locale-neutral: "İ" and "ı" both end as "i", "I" is always "i".
 *     What transliteration adds besides letters and digits (the soft-sign
 *     apostrophe of "Mariupol'", spaces between pinyin syllables, a middle
 *     dot) is dropped; the word's own apostrophes become U+0027.  Folded
 *     forms of non-ASCII words are remembered in a direct-mapped cache
 *     (FOLD_CACHE entries), since a transform costs microseconds and names
 *     repeat.
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
 * The ICU transform is compiled once per process (about 30 ms) and cloned
 * into each analyser the first time it meets a non-ASCII word.  The scratch
 * buffers live in the analyser, so an analyser is not thread-safe; each
 * index handle and each ingest worker owns one.
 */
#include "analyze.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utext.h>
#include <unicode/utrans.h>

#define STEM_CACHE 32768    /* entries; a power of two */
#define STEM_CACHE_WORD 30  /* longest word cached, in bytes */
#define FOLD_CACHE 4096     /* entries; a power of two */
#define FOLD_CACHE_WORD 30  /* longest original and folded word cached */

/* The transform of rule 2, as an ICU transliterator id. */
#define FOLD_TRANSFORM "NFKC; Russian-Latin/BGN; Any-Latin; Latin-ASCII"
/* Stands for the word's own apostrophes while the transform runs, so they
 * can be told from the ones transliteration adds (a private-use code point,
 * which every transform leaves alone). */
#define APOS_MARK 0xE000

typedef struct stem_entry {
    uint8_t flen;           /* 0: empty */
    uint8_t slen;
    char form[STEM_CACHE_WORD];
    char stem[STEM_CACHE_WORD];
} stem_entry;

typedef struct fold_entry {
    uint8_t olen;           /* 0: empty */
    uint8_t flen;           /* folded length; 0 = the word folds to nothing */
    char orig[FOLD_CACHE_WORD];
    char form[FOLD_CACHE_WORD];
} fold_entry;

struct att_analyzer {
    struct sb_stemmer *stemmer;
    UTransliterator *tr;    /* NULL until the first non-ASCII word */
    UBreakIterator *sent;   /* sentence breaks; NULL until first needed */
    UText *ut;              /* the text `sent` is set on */
    size_t sent_len;
    /* Boundaries of the text set, in the iterator's units, found by
     * walking it forward (att_sentence_before()): every boundary from
     * bounds[0] to bounds[n_bounds - 1], and to the end once
     * `bounds_done`. */
    int32_t *bounds;
    size_t n_bounds, cap_bounds;
    bool bounds_done;
    const char *sent_text;
    /* The text set as UTF-16, which ICU's rules read directly (through a
     * UTF-8 UText they spent more on reading characters than on the
     * rules), with the byte offset of each UTF-16 unit and of the end;
     * u16_on: the iterator is on it (else on `ut`). */
    UChar *u16s;
    int32_t *u16_at;
    size_t cap_u16, n_u16;
    bool u16_on;
    stem_entry cache[STEM_CACHE];
    fold_entry fcache[FOLD_CACHE];
    char form[ATT_MAX_WORD * 4 + 8]; /* folded word */
    char stem[ATT_MAX_WORD * 4 + 8];
    UChar u16[ATT_MAX_WORD * 8 + 8];  /* folding scratch */
    UChar u16f[ATT_MAX_WORD * 8 + 8];
    const uint64_t *stem_first; /* att_analyzer_stem_only(); NULL: all */
};

/* The process-wide compiled transform, cloned into each analyser. */
static pthread_once_t proto_once = PTHREAD_ONCE_INIT;
static UTransliterator *proto;
static UErrorCode proto_err = U_ZERO_ERROR;

static void proto_open(void)
{
    UChar id[sizeof FOLD_TRANSFORM];
    u_uastrcpy(id, FOLD_TRANSFORM);
    proto = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &proto_err);
    if (U_FAILURE(proto_err))
        proto = NULL;
}

static att_status transform_get(att_analyzer *an)
{
    if (an->tr)
        return ATT_OK;
    pthread_once(&proto_once, proto_open);
    if (!proto)
        return att_error_set(ATT_INTERNAL, "cannot open the ICU transform "
                             "\"%s\": %s (is ICU's data library installed?)",
                             FOLD_TRANSFORM, u_errorName(proto_err));
    UErrorCode err = U_ZERO_ERROR;
    an->tr = utrans_clone(proto, &err);
    if (U_FAILURE(err) || !an->tr) {
        an->tr = NULL;
        return err == U_MEMORY_ALLOCATION_ERROR
                   ? att_error_nomem()
                   : att_error_set(ATT_INTERNAL, "cannot clone the ICU "
                                   "transform: %s", u_errorName(err));
    }
    return ATT_OK;
}

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
    if (an->tr)
        utrans_close(an->tr);
    if (an->sent)
        ubrk_close(an->sent);
    free(an->bounds);
    free(an->u16s);
    free(an->u16_at);
    if (an->ut)
        utext_close(an->ut);
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
    return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x02BC;
}

/* Invisible characters that do not end a word (rule 1). */
static bool is_word_joiner(UChar32 c)
{
    return c == 0xAD || c == 0x200C || c == 0x200D;
}

/* FNV-1a, for the cache slots. */
static uint32_t fnv32(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The ICU part of rule 2 for text[start, end): into an->form; returns the
 * folded length, 0 if nothing is left or the word is too long, or
 * (size_t)-1 with the error set if ICU failed. */
static size_t fold_icu(att_analyzer *an, const char *text, size_t start,
                       size_t n)
{
    const size_t cap16 = sizeof an->u16 / sizeof an->u16[0];
    if (n > ATT_MAX_WORD * 4)
        return 0;
    if (transform_get(an) != ATT_OK)
        return (size_t)-1;
    int32_t ulen = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(an->u16, (int32_t)cap16, &ulen, text + start, (int32_t)n,
                  &err);
    if (U_FAILURE(err))
        return 0;
    for (int32_t i = 0; i < ulen; i++)
        if (is_apostrophe(an->u16[i]))
            an->u16[i] = APOS_MARK;
    int32_t limit = ulen;
    utrans_transUChars(an->tr, an->u16, &ulen, (int32_t)cap16, 0, &limit,
                       &err);
    if (err == U_BUFFER_OVERFLOW_ERROR)
        return 0; /* expands past any word we would keep */
    if (U_FAILURE(err)) {
        att_error_set(ATT_INTERNAL, "ICU transform failed: %s",
                      u_errorName(err));
        return (size_t)-1;
    }
    int32_t flen = u_strFoldCase(an->u16f, (int32_t)cap16, an->u16, ulen,
                                 U_FOLD_CASE_DEFAULT, &err);
    if (U_FAILURE(err))
        return 0;
    /* Keep word characters and the word's own apostrophes, as UTF-8. */
    size_t out = 0;
    for (int32_t i = 0; i < flen;) {
        UChar32 c;
        U16_NEXT(an->u16f, i, flen, c);
        if (c == APOS_MARK)
            c = '\'';
        else if (!is_word_char(c))
            continue;
        if (out + (size_t)U8_LENGTH(c) > ATT_MAX_WORD)
            return 0; /* the same limit as the ASCII path's */
        U8_APPEND_UNSAFE(an->form, out, c);
    }
    /* An apostrophe next to nothing (its letters were dropped) goes too. */
    while (out && an->form[out - 1] == '\'')
        out--;
    size_t lead = 0;
    while (lead < out && an->form[lead] == '\'')
        lead++;
    if (lead) {
        memmove(an->form, an->form + lead, out - lead);
        out -= lead;
    }
    an->form[out] = '\0';
    return out;
}

/* Folds text[start, end) into an->form (rule 2); returns its length, 0 if
 * the folded word is empty or too long (the caller skips it), or
 * (size_t)-1 with the error set. */
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
    fold_entry *e = NULL;
    if (n <= FOLD_CACHE_WORD) {
        e = &an->fcache[fnv32(text + start, n) & (FOLD_CACHE - 1)];
        if (e->olen == n && memcmp(e->orig, text + start, n) == 0) {
            memcpy(an->form, e->form, e->flen);
            an->form[e->flen] = '\0';
            return e->flen;
        }
    }
    size_t flen = fold_icu(an, text, start, n);
    if (flen == (size_t)-1)
        return flen;
    if (e && flen <= FOLD_CACHE_WORD) {
        e->olen = (uint8_t)n;
        e->flen = (uint8_t)flen;
        memcpy(e->orig, text + start, n);
        memcpy(e->form, an->form, flen);
    }
    return flen;
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
            if (c >= 0 && is_word_joiner(c) && end == at && i < n) {
                /* Inside a word only if a word character follows. */
                int32_t j = i;
                UChar32 d;
                U8_NEXT(s, j, n, d);
                if (d >= 0 && (is_word_char(d) || is_word_joiner(d))) {
                    ascii = false;
                    end = i;
                    continue;
                }
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
        if (flen == (size_t)-1)
            return ATT_INTERNAL;
        if (flen > 0) {
            att_token tok;
            tok.form = an->form;
            tok.form_len = flen;
            unsigned char f0 = (unsigned char)an->form[0];
            if (an->stem_first && !(an->stem_first[f0 >> 6] >> (f0 & 63) & 1)) {
                an->stem[0] = '\0';
                tok.stem_len = 0;
            } else {
                tok.stem_len = stem_word(an, flen);
            }
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

void att_analyzer_stem_only(att_analyzer *an, const uint64_t *first)
{
    an->stem_first = first;
}

/* ---- sentences ------------------------------------------------------------ */

/* Texts at least this long are read through a UTF-8 UText (the copy
 * costs 6 bytes per byte of text). */
#define U16_MAX_TEXT (64u << 20)

/* Sets the sentence iterator on a UTF-16 copy of the text; false when out
 * of memory (nothing changed).  An invalid byte becomes U+FFFD. */
static bool u16_copy(att_analyzer *an, const char *text, int32_t n)
{
    if ((size_t)n + 1 > an->cap_u16) {
        size_t cap = ((size_t)n + 1) * 5 / 4 + 64;
        UChar *u = att_realloc_array(an->u16s, cap, sizeof *u);
        if (!u)
            return false;
        an->u16s = u;
        int32_t *at = att_realloc_array(an->u16_at, cap, sizeof *at);
        if (!at)
            return false;
        an->u16_at = at;
        an->cap_u16 = cap;
    }
    const uint8_t *s = (const uint8_t *)text;
    int32_t i = 0, k = 0;
    while (i < n) {
        int32_t start = i;
        if (s[i] < 0x80) {
            an->u16_at[k] = start;
            an->u16s[k++] = s[i++];
            continue;
        }
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            c = 0xFFFD;
        if (c <= 0xFFFF) {
            an->u16_at[k] = start;
            an->u16s[k++] = (UChar)c;
        } else {
            an->u16_at[k] = start;
            an->u16s[k++] = U16_LEAD(c);
            an->u16_at[k] = start;
            an->u16s[k++] = U16_TRAIL(c);
        }
    }
    an->u16_at[k] = n;
    an->n_u16 = (size_t)k;
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(an->sent, an->u16s, k, &err);
    return U_SUCCESS(err);
}

att_status att_sentences_set(att_analyzer *an, const char *text, size_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    if (len > INT32_MAX)
        len = INT32_MAX; /* ICU's offsets are 32-bit; the tail is one sentence */
    if (!an->sent) {
        an->sent = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0, &err);
        if (U_FAILURE(err)) {
            an->sent = NULL;
            return err == U_MEMORY_ALLOCATION_ERROR
                       ? att_error_nomem()
                       : att_error_set(ATT_INTERNAL, "cannot open ICU's sentence "
                                       "break iterator: %s", u_errorName(err));
        }
    }
    an->u16_on = false;
    if (len < U16_MAX_TEXT && u16_copy(an, text, (int32_t)len)) {
        an->u16_on = true;
    } else {
        an->ut = utext_openUTF8(an->ut, text, (int64_t)len, &err);
        if (U_SUCCESS(err))
            ubrk_setUText(an->sent, an->ut, &err);
    }
    if (U_FAILURE(err))
        return att_error_set(ATT_INTERNAL, "ICU sentence breaks: %s",
                             u_errorName(err));
    an->sent_len = len;
    an->sent_text = text;
    an->n_bounds = 0;
    an->bounds_done = false;
    return ATT_OK;
}

/* A text's sentence boundaries are found by walking the text forward
 * with the iterator, from where the last walk stopped: one pass of the
 * break rules over the text.  Asking the iterator at each of a text's
 * matches (isBoundary(), preceding()) makes ICU scan back to a safe point
 * and forward again each time, which for short texts with many matches
 * was a third of the benchmark query mix's instructions.  But a long text
 * with a few matches far apart (a speech) would be walked whole for them:
 * a place more than SENT_JUMP bytes beyond the walk (or before its start)
 * is asked about directly, and the walk starts again from the boundary
 * found.  Both give the same boundary (the walk keeps every boundary of
 * the stretch it covers). */
#define SENT_JUMP 2048

/* Iterator units (bytes, or UTF-16 units for a UTF-16 copy) to bytes. */
static size_t unit_byte(const att_analyzer *an, int32_t u)
{
    return an->u16_on ? (size_t)an->u16_at[u] : (size_t)u;
}

static bool push_bound(att_analyzer *an, int32_t b)
{
    if (an->n_bounds == an->cap_bounds) {
        size_t cap = an->cap_bounds ? an->cap_bounds * 2 : 64;
        int32_t *nb = att_realloc_array(an->bounds, cap, sizeof *nb);
        if (!nb)
            return false;
        an->bounds = nb;
        an->cap_bounds = cap;
    }
    an->bounds[an->n_bounds++] = b;
    return true;
}

/* Walks until a boundary beyond `at` (or the end).  False when out of
 * memory. */
static bool walk_to(att_analyzer *an, size_t at)
{
    while (!an->bounds_done &&
           (an->n_bounds == 0 || unit_byte(an, an->bounds[an->n_bounds - 1]) <= at)) {
        int32_t b = an->n_bounds == 0 ? ubrk_first(an->sent) : ubrk_next(an->sent);
        if (b == UBRK_DONE) {
            an->bounds_done = true;
            break;
        }
        if (!push_bound(an, b))
            return false;
    }
    return true;
}

/* The last boundary at or before byte `at`, asked of the iterator (in its
 * units); the iterator is left on it. */
static int32_t ask(att_analyzer *an, size_t at)
{
    int32_t k;
    if (an->u16_on) { /* the first unit of the character holding byte at */
        size_t lo = 0, hi = an->n_u16 + 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((size_t)an->u16_at[mid] <= at)
                lo = mid + 1;
            else
                hi = mid;
        }
        k = (int32_t)lo - 1;
        while (k > 0 && an->u16_at[k - 1] == an->u16_at[k])
            k--;
    } else {
        k = (int32_t)at;
        U8_SET_CP_START((const uint8_t *)an->sent_text, 0, k);
    }
    if (ubrk_isBoundary(an->sent, k))
        return k;
    int32_t b = ubrk_preceding(an->sent, k);
    return b == UBRK_DONE || b < 0 ? 0 : b;
}

size_t att_sentence_before(att_analyzer *an, size_t at)
{
    if (!an->sent || at == 0)
        return 0;
    if (at >= an->sent_len)
        return an->sent_len;
    size_t n = an->n_bounds;
    bool behind = n && at < unit_byte(an, an->bounds[0]);
    bool beyond = !an->bounds_done && (n == 0 || unit_byte(an, an->bounds[n - 1]) <= at);
    if ((behind || (beyond && at - (n ? unit_byte(an, an->bounds[n - 1]) : 0) > SENT_JUMP)) ||
        (beyond && !walk_to(an, at))) { /* far away, or out of memory */
        int32_t b = ask(an, at);
        an->n_bounds = 0; /* the walk goes on from there */
        an->bounds_done = false;
        push_bound(an, b); /* no memory: the next walk starts afresh */
        return unit_byte(an, b);
    }
    /* The last boundary at or before `at` among those walked. */
    size_t lo = 0, hi = an->n_bounds;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (unit_byte(an, an->bounds[mid]) <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? unit_byte(an, an->bounds[lo - 1]) : 0;
}
