/*
 * etokens.c: cutting running text into the tokens the entity pipeline and
 * the tagger read (att_etoken, entity_dict.h), in the CoNLL-2003 style the
 * tagger was trained on, with sentence starts.
 *
 * Rules:
 *  - Tokens are separated by white space (ASCII, no-break and the Unicode
 *    spaces U+2000..U+200A, U+202F, U+3000).
 *  - Opening punctuation ( [ { " ' ` “ ‘ « is split off the front of a
 *    chunk, closing punctuation ) ] } " ' ” ’ » , ; : ! ? … off its end, one
 *    token each; an em dash or "--" inside a chunk separates words.
 *  - A final period is a token of its own unless the word is an
 *    abbreviation: it holds another period (U.S., a.m.), is one letter (J.)
 *    or is in the list below (Mr., Gen., Jan.).
 *  - A possessive 's or ’s is a token of its own ("Pakistan" "’s"), as is
 *    the apostrophe of a plural possessive ("countries" "'").
 *  - A sentence starts at the first token, after . ! ? or … (and the
 *    closing quotes or brackets after them), after a blank line, and after
 *    a single line break unless the line ends in a word that starts in
 *    lower case or in , ; : or the next line starts in lower case (so a
 *    heading ends its sentence, a sentence wrapped between two lines does
 *    not).
 */
#include "entities.h"

#include <string.h>

/* UTF-8 spellings of the punctuation handled as tokens. */
static const char *const OPENERS[] = {"(", "[", "{", "\"", "'", "`",
                                      "\xe2\x80\x9c", "\xe2\x80\x98",
                                      "\xc2\xab", NULL};
static const char *const CLOSERS[] = {")", "]", "}", "\"", "'", ",", ";",
                                      ":", "!", "?", "\xe2\x80\x9d",
                                      "\xe2\x80\x99", "\xc2\xbb",
                                      "\xe2\x80\xa6", NULL};
static const char *const DASHES[] = {"\xe2\x80\x94", "--", NULL};

static const char *const ABBREVIATIONS[] = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Sgt", "Capt",
    "Maj", "Adm", "Rep", "Sen", "Gov", "Pres", "St", "Jr", "Sr", "Inc",
    "Ltd", "Co", "Corp", "vs", "etc", "No", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Rev", "Hon",
    "Amb", "Brig", "Cmdr", "Dept", "Mt", "Ft", NULL};

/* The length of the entry of `set` that [s, s+n) starts (or ends) with. */
static size_t starts_with(const char *s, size_t n, const char *const *set)
{
    for (size_t i = 0; set[i]; i++) {
        size_t l = strlen(set[i]);
        if (l <= n && memcmp(s, set[i], l) == 0)
            return l;
    }
    return 0;
}

static size_t ends_with(const char *s, size_t n, const char *const *set)
{
    for (size_t i = 0; set[i]; i++) {
        size_t l = strlen(set[i]);
        if (l <= n && memcmp(s + n - l, set[i], l) == 0)
            return l;
    }
    return 0;
}

/* The length of the white-space character at s (0 if none). */
static size_t space_len(const unsigned char *s, size_t n)
{
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' ||
        *s == '\f')
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
        ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xAF))
        return 3;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

static bool is_abbreviation(const char *w, size_t n)
{
    if (n == 0)
        return false;
    if (memchr(w, '.', n))
        return true;
    if (n == 1 && ((w[0] >= 'A' && w[0] <= 'Z') || (w[0] >= 'a' && w[0] <= 'z')))
        return true;
    for (size_t i = 0; ABBREVIATIONS[i]; i++)
        if (strlen(ABBREVIATIONS[i]) == n && memcmp(ABBREVIATIONS[i], w, n) == 0)
            return true;
    return false;
}

typedef struct tok_out {
    att_etoken **toks;
    size_t *n, *cap;
    const char *text;
    bool next_starts;     /* the next token starts a sentence */
} tok_out;

static att_status emit(tok_out *o, size_t start, size_t len)
{
    if (*o->n == *o->cap) {
        size_t cap = *o->cap ? *o->cap * 2 : 256;
        att_etoken *p = att_realloc_array(*o->toks, cap, sizeof *p);
        if (!p)
            return att_error_nomem();
        *o->toks = p;
        *o->cap = cap;
    }
    att_etoken *t = &(*o->toks)[(*o->n)++];
    t->text = o->text + start;
    t->len = len;
    t->start = start;
    t->sent_start = o->next_starts;
    o->next_starts = false;
    return ATT_OK;
}

static bool is_sentence_end(const char *s, size_t n)
{
    return (n == 1 && (*s == '.' || *s == '!' || *s == '?')) ||
           (n == 3 && memcmp(s, "\xe2\x80\xa6", 3) == 0) ||
           (n == 3 && memcmp(s, "...", 3) == 0);
}

/* Emits the middle of a chunk: words separated by dashes, with a
 * possessive split off. */
static att_status emit_word(tok_out *o, size_t start, size_t len)
{
    const char *s = o->text;
    size_t i = start, end = start + len;
    att_status st;
    while (i < end) {
        size_t j = i, dl = 0;
        while (j < end && !(dl = starts_with(s + j, end - j, DASHES)))
            j++;
        if (j > i) {
            size_t wl = j - i, pl = 0;
            if (wl > 2 && (s[i + wl - 1] == 's' || s[i + wl - 1] == 'S') &&
                s[i + wl - 2] == '\'')
                pl = 2;
            else if (wl > 4 && (s[i + wl - 1] == 's' || s[i + wl - 1] == 'S') &&
                     memcmp(s + i + wl - 4, "\xe2\x80\x99", 3) == 0)
                pl = 4;
            if ((st = emit(o, i, wl - pl)))
                return st;
            if (pl && (st = emit(o, i + wl - pl, pl)))
                return st;
        }
        if (j < end && (st = emit(o, j, dl)))
            return st;
        i = j + dl;
    }
    return ATT_OK;
}

static att_status chunk(tok_out *o, size_t start, size_t end)
{
    const char *s = o->text;
    att_status st;
    size_t l;
    /* Opening punctuation. */
    while (start < end && (l = starts_with(s + start, end - start, OPENERS))) {
        if ((st = emit(o, start, l)))
            return st;
        start += l;
    }
    /* Closing punctuation, peeled from the end (emitted afterwards). */
    size_t peel[32], peel_len[32], n_peel = 0;
    while (end > start && n_peel < 32) {
        if (end - start >= 3 && memcmp(s + end - 3, "...", 3) == 0)
            l = 3;
        else if (s[end - 1] == '.') {
            size_t w = end - 1 - start;
            if (w > 0 && is_abbreviation(s + start, w))
                break;
            l = 1;
        } else if ((l = ends_with(s + start, end - start, CLOSERS)) == 0) {
            break;
        }
        end -= l;
        peel[n_peel] = end;
        peel_len[n_peel++] = l;
    }
    if (end > start && (st = emit_word(o, start, end - start)))
        return st;
    while (n_peel--) {
        size_t at = peel[n_peel], pl = peel_len[n_peel];
        bool ends = is_sentence_end(s + at, pl);
        /* A quote or bracket after a full stop leaves the start pending. */
        bool pending = o->next_starts;
        o->next_starts = false;
        if ((st = emit(o, at, pl)))
            return st;
        o->next_starts = pending || ends;
    }
    return ATT_OK;
}

/* Whether a single line break between token t and the text at `next`
 * ends the sentence (see the rules). */
static bool break_ends_sentence(const att_etoken *t, const char *next)
{
    unsigned char c = (unsigned char)t->text[0];
    if ((c >= 'a' && c <= 'z') || (t->len == 1 && (c == ',' || c == ';' ||
                                                    c == ':')))
        return false;
    unsigned char d = (unsigned char)*next;
    return !(d >= 'a' && d <= 'z');
}

att_status att_etokenize(const char *text, size_t len, att_etoken **toks,
                         size_t *n, size_t *cap)
{
    tok_out o = {toks, n, cap, text, true};
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t newlines = 0, sl;
        while (i < len && (sl = space_len(s + i, len - i))) {
            newlines += s[i] == '\n';
            i += sl;
        }
        if (i >= len)
            break;
        if (*n && (newlines >= 2 ||
                   (newlines == 1 &&
                    break_ends_sentence(&(*toks)[*n - 1], text + i))))
            o.next_starts = true;
        size_t start = i;
        while (i < len && !space_len(s + i, len - i))
            i++;
        att_status st = chunk(&o, start, i);
        if (st)
            return st;
    }
    return ATT_OK;
}
