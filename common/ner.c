/*
 * ner.c: the statistical named-entity tagger (ner.h): the features, the
 * model file, Viterbi decoding, and att_ner_tag() of the public API.
 *
 * The model.  A linear-chain model over BILOU states (O, and B I L U for
 * PER, ORG, LOC, MISC: 17 states), trained by indexer/ner_train.c as an
 * averaged structured perceptron on CoNLL-2003 (corpus/ner/README.md).  A
 * token's score for state s is the sum of the weights w[f][s] of its
 * features f plus the transition weight from the previous state; the tag
 * sequence is the best path (Viterbi, per sentence) among the valid BILOU
 * sequences, converted to IOB2.  There are two stages (stacking, as in
 * Krishnan & Manning 2006 and Ratinov & Roth 2009): stage 1 sees the
 * token's own features and the document's spelling statistics; stage 2
 * sees the same plus what stage 1 said about every other occurrence of
 * the word in the document ("Clinton" tagged PER in "Bill Clinton" earlier
 * makes the headline's "CLINTON" a person).  The trainer gives stage 2
 * cross-validated stage-1 labels, so it learns how far to trust them.
 *
 * Features are 64-bit hashes, never strings: each token's forms (exact,
 * lower-cased, digits as 0, word shapes, affixes) are hashed once per
 * document, and a feature is a mix of a template number and one to three
 * of those hashes.  Nothing is allocated per token.  A weight row is found
 * by open addressing in a table keyed by the hash.  The O column is
 * subtracted from every row when the model is written (a constant per
 * token does not change the best path), so a row is 16 int16 weights:
 * half a cache line.
 *
 * The model file (corpus/ner/model.bin), little-endian:
 *
 *   offset  size  field
 *   0       8     magic "ATTNERM\0"
 *   8       4     format version, 1
 *   12      4     feature-set version (NER_FEATURE_VERSION below): the
 *                 templates of doc_features(); a model for another set
 *                 is refused, since its weights would mean nothing
 *   16      4     number of states, 17
 *   20      4     number of stages, 1 or 2
 *   24      8     att_hash64 of the dictionary text the model was trained
 *                 with (the .tsv files of corpus/entities/ concatenated in
 *                 name order), or 0 for a model without dictionary features
 *   32      8     payload length: the bytes between this header and the
 *                 checksum
 *   40            each stage:
 *                   4      n, the number of features
 *                   4      scale (IEEE-754 binary32): weight = q * scale
 *                   4*18*17 transition weights, int32 q: row r < 17 is
 *                          from state r, row 17 from the sentence start;
 *                          column = the next state
 *                   8*n    the feature hashes, strictly ascending, non-zero
 *                   2*16*n the weights, int16 q, row by row: states 1..16,
 *                          each minus the state-O weight
 *   end-8   8     checksum: att_hash64 (FNV-1a) of every byte before it
 *
 * The features (att_ner_doc_features(); a template number and values):
 *   - the word: as written; lower-cased with digits as 0 ("norm"); its
 *     word shape (runs capped at 4: "Xxxxx", "dddd-dd-dd", "X.X.") and
 *     short shape (runs of one: "Xx", "d-d"); the norms of the words at
 *     -1 and +1; the short shapes -1/0 and 0/+1; sentence boundaries are
 *     markers;
 *   - stage 1 only (stage 2 has stage 1's verdict on them): the norms at
 *     -2 and +2; the shapes at -2..+2; the short shapes -1/0/+1; prefixes
 *     and suffixes of 1-4 characters; the norm bigrams -1/0, 0/+1 and
 *     -2/-1; norm -1 with short shape 0 and short shape 0 with norm +1;
 *     the lower-cased word in headlines, in title-case headings and as a
 *     sentence's first word; inside parentheses or quotes;
 *   - where it is: first word of its sentence, first token, in a headline
 *     (a sentence without lower-case letters: CoNLL's) or a title-case
 *     heading (articles'), with the shape; the run of capitalised words it
 *     is in (length and position, and the words before and after the
 *     run); the sentence's length and whether it has numbers (sports
 *     tables); the document's first word with the short shape of
 *     capitalised words (CoNLL's documents start "SOCCER -", "CRICKET -");
 *   - the document: whether the word appears elsewhere in it capitalised
 *     where capitals mean something (not first in a sentence, not in a
 *     heading) and whether in lower case, with how it is written here;
 *     for capitalised words, the words next to its other occurrences
 *     ("Pirelli" alone, where elsewhere the text says "Pirelli SpA");
 *   - the dictionary (entity_dict.h marks), when the caller gives marks
 *     and the model was trained with them: each mark bit of the token, its
 *     marks with its short shape and with its position, and the marks of
 *     the tokens either side with its own;
 *   - stage 2 only: the stage-1 state of the token, with the types either
 *     side; the majority stage-1 type of the word's other occurrences in
 *     the document (and whether unanimous), alone and with the token's
 *     own stage-1 type; the same over occurrences where capitals mean
 *     something; each type any other occurrence has.
 */
#include "ner.h"
#include "analyze.h"
#include "embedded.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Bump when att_ner_doc_features() changes what it computes: a model
 * trained for other features is refused (ATT_CORRUPT) rather than misread. */
#define NER_FEATURE_VERSION 1
#define NER_FORMAT_VERSION 1
#define NER_HEADER 40
#define NER_NW 16 /* weights per row: states 1..16 (O is 0) */
#define NS ATT_NER_NSTATES

/* ---- tags and states ------------------------------------------------------- */

static const char *const tag_names[ATT_NER_NTAGS] = {
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC",
    "I-MISC"};

const char *att_ner_tag_name(uint8_t tag)
{
    return tag < ATT_NER_NTAGS ? tag_names[tag] : "?";
}

int att_ner_tag_from_name(const char *s, size_t n)
{
    for (int t = 0; t < ATT_NER_NTAGS; t++)
        if (strlen(tag_names[t]) == n && memcmp(tag_names[t], s, n) == 0)
            return t;
    return -1;
}

bool att_ner_transition_ok(int from, int to)
{
    if (to < 0 || to >= NS || from < -1 || from >= NS)
        return false;
    /* After O, L, U or the start: O, B or U.  After B or I of a type: I or
     * L of the same type. */
    bool open = from > 0 && (ATT_NER_STATE_POS(from) == ATT_NER_POS_B ||
                             ATT_NER_STATE_POS(from) == ATT_NER_POS_I);
    if (!open)
        return to == 0 || ATT_NER_STATE_POS(to) == ATT_NER_POS_B ||
               ATT_NER_STATE_POS(to) == ATT_NER_POS_U;
    return to > 0 && ATT_NER_STATE_TYPE(to) == ATT_NER_STATE_TYPE(from) &&
           (ATT_NER_STATE_POS(to) == ATT_NER_POS_I ||
            ATT_NER_STATE_POS(to) == ATT_NER_POS_L);
}

bool att_ner_final_ok(int s)
{
    return s == 0 || (s > 0 && s < NS &&
                      (ATT_NER_STATE_POS(s) == ATT_NER_POS_L ||
                       ATT_NER_STATE_POS(s) == ATT_NER_POS_U));
}

void att_ner_tags_to_states(const uint8_t *tags, const att_etoken *toks,
                            size_t n, uint8_t *states)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t t = tags[i];
        if (t == ATT_NER_O || t >= ATT_NER_NTAGS) {
            states[i] = 0;
            continue;
        }
        int type = ATT_NER_TAG_TYPE(t);
        bool cont_before = i > 0 && !toks[i].sent_start &&
                           ATT_NER_TAG_INSIDE(t) && tags[i - 1] != ATT_NER_O &&
                           tags[i - 1] < ATT_NER_NTAGS &&
                           ATT_NER_TAG_TYPE(tags[i - 1]) == type;
        bool cont_after = i + 1 < n && !toks[i + 1].sent_start &&
                          tags[i + 1] == ATT_NER_TAG(type, 1);
        int pos = cont_before ? (cont_after ? ATT_NER_POS_I : ATT_NER_POS_L)
                              : (cont_after ? ATT_NER_POS_B : ATT_NER_POS_U);
        states[i] = (uint8_t)ATT_NER_STATE(type, pos);
    }
}

void att_ner_states_to_tags(const uint8_t *states, size_t n, uint8_t *tags)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t s = states[i];
        if (s == 0 || s >= NS) {
            tags[i] = ATT_NER_O;
            continue;
        }
        int pos = ATT_NER_STATE_POS(s);
        tags[i] = ATT_NER_TAG(ATT_NER_STATE_TYPE(s),
                              pos == ATT_NER_POS_I || pos == ATT_NER_POS_L);
    }
}

/* ---- hashing --------------------------------------------------------------- */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static inline uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* SplitMix64's finaliser: every input bit affects every output bit. */
static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* A feature: a template number and one, two or three values. */
static inline uint64_t feat1(unsigned t, uint64_t a)
{
    uint64_t h = mix64(a ^ (0x9e3779b97f4a7c15ULL * (uint64_t)(t + 1)));
    return h ? h : 1;
}

static inline uint64_t feat2(unsigned t, uint64_t a, uint64_t b)
{
    return feat1(t, mix64(a + 0x632be59bd9b4e019ULL) ^ b);
}

static inline uint64_t feat3(unsigned t, uint64_t a, uint64_t b, uint64_t c)
{
    return feat1(t, mix64(mix64(a + 0x632be59bd9b4e019ULL) ^ b) ^ c);
}

/* ---- tokens ---------------------------------------------------------------- */

enum {
    F_INITCAP = 1 << 0,   /* first character upper-case */
    F_INITLOW = 1 << 1,   /* first character lower-case */
    F_UPPER = 1 << 2,     /* has an upper-case letter */
    F_LOWER = 1 << 3,     /* has a lower-case letter */
    F_ALPHA = 1 << 4,     /* has a letter */
    F_DIGIT = 1 << 5,     /* has a digit */
    F_QUOTE = 1 << 6,     /* is a quotation mark that toggles ("  '') */
    F_OQUOTE = 1 << 7,    /* is an opening quotation mark (“ ``) */
    F_CQUOTE = 1 << 8,    /* is a closing one (”) */
    F_OPAREN = 1 << 9,    /* ( [ { */
    F_CPAREN = 1 << 10,   /* ) ] } */
    /* set per sentence */
    F_SSTART = 1 << 11,   /* first token of its sentence */
    F_FIRST = 1 << 12,    /* first word (letters or digits) of its sentence */
    F_HEAD = 1 << 13,     /* in a sentence without lower-case letters */
    F_INPAREN = 1 << 14,
    F_INQUOTE = 1 << 15,
    F_SDIGIT = 1 << 16,   /* its sentence has a token with a digit */
    F_TITLE = 1 << 17,    /* in a title-case sentence (a heading) */
};

typedef struct ntok {
    uint64_t word, norm, lower, shape, sshape;
    uint64_t pre[4], suf[4]; /* 0 where the word is too short */
    uint32_t flags;
    uint32_t slot;           /* its lower form's entry in the doc table */
    uint32_t next_occ;       /* the next token with that form, or NO_TOKEN */
    uint32_t sent;           /* its sentence's first token */
    uint32_t sent_end;       /* one past its sentence's last token */
    uint16_t marks;
    uint64_t run_before;     /* in a capitalised run: the norm of the */
    uint64_t run_after;      /* tokens before and after it, else 0 */
    uint8_t capseq;          /* capitalised-run code, 0: none */
    uint8_t lenb;            /* sentence length bucket */
    uint8_t nchars;          /* characters, at most 255 */
} ntok;

/* Typographic punctuation read as the ASCII the CoNLL data uses. */
static UChar32 ascii_punct(UChar32 c)
{
    switch (c) {
    case 0x2018: case 0x2019: case 0x201B: case 0x2032: return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
    case 0x2033: return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212: return '-';
    case 0x2026: return '.';
    default: return c;
    }
}

#define TOK_MAX_BYTES 256 /* of a token's forms; longer tokens are cut */
#define SHAPE_MAX 48

static size_t put_utf8(unsigned char *p, UChar32 c)
{
    size_t i = 0;
    UBool err = 0;
    U8_APPEND((uint8_t *)p, i, 4, c, err);
    (void)err;
    return i;
}

/* Hashes a token's forms and sets its token-level flags. */
static void analyse_token(const char *s, size_t len, ntok *t)
{
    unsigned char low[TOK_MAX_BYTES + 4], nrm[TOK_MAX_BYTES + 4];
    char shape[SHAPE_MAX], sshape[SHAPE_MAX];
    size_t nl = 0, nsh = 0, nss = 0;
    size_t cp_start[TOK_MAX_BYTES + 1]; /* offsets in low of each character */
    size_t ncp = 0;
    char prev_cls = 0;
    unsigned run = 0;
    uint32_t flags = 0;
    int32_t lim = len > TOK_MAX_BYTES ? TOK_MAX_BYTES : (int32_t)len;
    const uint8_t *u = (const uint8_t *)s;

    memset(t, 0, sizeof *t);
    t->word = fnv(FNV_OFFSET, u, len);
    for (int32_t i = 0; i < lim;) {
        UChar32 c;
        U8_NEXT(u, i, lim, c);
        if (c < 0)
            c = 0xFFFD;
        c = ascii_punct(c);
        char cls;
        UChar32 lc = c;
        if (c < 128) {
            if (c >= 'A' && c <= 'Z') {
                cls = 'X';
                lc = c + 32;
            } else if (c >= 'a' && c <= 'z') {
                cls = 'x';
            } else if (c >= '0' && c <= '9') {
                cls = 'd';
            } else {
                cls = (char)c;
            }
        } else if (u_isdigit(c)) {
            cls = 'd';
        } else if (u_isupper(c) || u_istitle(c)) {
            cls = 'X';
            lc = u_tolower(c);
        } else if (u_islower(c)) {
            cls = 'x';
        } else if (u_isalpha(c)) {
            cls = 'a';
        } else {
            cls = '*';
        }
        if (ncp == 0) {
            if (cls == 'X')
                flags |= F_INITCAP;
            else if (cls == 'x')
                flags |= F_INITLOW;
        }
        if (cls == 'X')
            flags |= F_UPPER | F_ALPHA;
        else if (cls == 'x')
            flags |= F_LOWER | F_ALPHA;
        else if (cls == 'a')
            flags |= F_ALPHA;
        else if (cls == 'd')
            flags |= F_DIGIT;
        if (nl + 4 <= TOK_MAX_BYTES) {
            cp_start[ncp++] = nl;
            size_t k = put_utf8(low + nl, lc);
            memcpy(nrm + nl, low + nl, k);
            if (cls == 'd' && k == 1)
                nrm[nl] = '0';
            else if (cls == 'd') { /* a non-ASCII digit: one '0' byte */
                nrm[nl] = '0';
                memset(nrm + nl + 1, 0, k - 1);
            }
            nl += k;
        }
        if (cls == prev_cls) {
            run++;
        } else {
            run = 1;
            prev_cls = cls;
            if (nss < SHAPE_MAX)
                sshape[nss++] = cls;
        }
        if (run <= 4 && nsh < SHAPE_MAX)
            shape[nsh++] = cls;
    }
    cp_start[ncp] = nl;
    t->nchars = (uint8_t)(ncp > 255 ? 255 : ncp);
    t->lower = fnv(FNV_OFFSET, low, nl);
    t->norm = fnv(FNV_OFFSET ^ 1, nrm, nl);
    t->shape = fnv(FNV_OFFSET ^ 2, (const unsigned char *)shape, nsh);
    t->sshape = fnv(FNV_OFFSET ^ 3, (const unsigned char *)sshape, nss);
    for (size_t k = 0; k < 4 && k < ncp; k++) {
        t->pre[k] = fnv(FNV_OFFSET ^ 4, low, cp_start[k + 1]);
        size_t from = cp_start[ncp - 1 - k];
        t->suf[k] = fnv(FNV_OFFSET ^ 5, low + from, nl - from);
    }
    if (len == 1) {
        switch (s[0]) {
        case '"': flags |= F_QUOTE; break;
        case '(': case '[': case '{': flags |= F_OPAREN; break;
        case ')': case ']': case '}': flags |= F_CPAREN; break;
        default: break;
        }
    } else if (len == 2 && ((s[0] == '`' && s[1] == '`'))) {
        flags |= F_OQUOTE;
    } else if (len == 2 && s[0] == '\'' && s[1] == '\'') {
        flags |= F_CQUOTE;
    } else if (len == 3 && (unsigned char)s[0] == 0xE2 &&
               (unsigned char)s[1] == 0x80) {
        if ((unsigned char)s[2] == 0x9C) /* “ */
            flags |= F_OQUOTE;
        else if ((unsigned char)s[2] == 0x9D) /* ” */
            flags |= F_CQUOTE;
    }
    t->flags = flags;
}

/* ---- documents ------------------------------------------------------------- */

/* Boundary markers for context outside the sentence. */
#define H_BOS 0x5151515151515151ULL
#define H_EOS 0x2727272727272727ULL

/* The document table: one entry per distinct lower-cased word. */
#define NO_TOKEN UINT32_MAX

typedef struct dentry {
    uint64_t key;            /* lower-form hash; 0: empty */
    uint32_t first, last;    /* its first and last occurrences */
    uint32_t ncap;           /* capitalised where capitals mean something */
    uint32_t nlow;           /* starting with a lower-case letter */
    uint32_t s1[5];          /* stage-1 types of its occurrences (4: O) */
    uint32_t s1rel[5];       /* the same where capitals mean something */
} dentry;

struct att_ner_doc {
    const att_etoken *toks;
    const uint16_t *marks;
    size_t n;
    ntok *t;
    size_t cap;
    dentry *table;
    size_t tmask;            /* table size - 1 */
    const uint8_t *s1;       /* stage-1 states, or NULL */
    uint64_t topic;          /* lower form of the document's first word */
};

att_status att_ner_doc_new(att_ner_doc **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? ATT_OK : att_error_nomem();
}

void att_ner_doc_free(att_ner_doc *d)
{
    if (!d)
        return;
    free(d->t);
    free(d->table);
    free(d);
}

/* Capitals mean something: not the sentence's first word, not in a
 * headline. */
static inline bool cap_reliable(uint32_t f)
{
    return (f & F_INITCAP) && !(f & (F_FIRST | F_HEAD | F_TITLE));
}

static uint8_t len_bucket(size_t n)
{
    return n <= 3 ? (uint8_t)n : n <= 6 ? 4 : n <= 10 ? 5 : n <= 20 ? 6 : 7;
}

att_status att_ner_doc_set(att_ner_doc *d, const att_etoken *toks, size_t n,
                           const uint16_t *marks)
{
    d->toks = toks;
    d->marks = marks;
    d->n = 0;
    d->s1 = NULL;
    if (n > UINT32_MAX / 4)
        return att_error_set(ATT_INVALID, "document of %zu tokens is too "
                             "long for the tagger", n);
    if (n > d->cap) {
        size_t cap = n < 256 ? 256 : n;
        size_t tsize = 1;
        while (tsize < 2 * cap)
            tsize *= 2;
        ntok *t = att_malloc_array(cap, sizeof *t);
        dentry *tab = att_malloc_array(tsize, sizeof *tab);
        if (!t || !tab) {
            free(t);
            free(tab);
            return att_error_nomem();
        }
        free(d->t);
        free(d->table);
        d->t = t;
        d->table = tab;
        d->cap = cap;
        d->tmask = tsize - 1;
    }
    d->n = n;
    /* A smaller table for a small document: clearing it is the cost. */
    size_t tsize = 16;
    while (tsize < 2 * n)
        tsize *= 2;
    d->tmask = tsize - 1;
    memset(d->table, 0, tsize * sizeof *d->table);

    for (size_t i = 0; i < n; i++) {
        analyse_token(toks[i].text, toks[i].len, &d->t[i]);
        d->t[i].marks = marks ? marks[i] : 0;
    }
    /* Sentences. */
    for (size_t b = 0; b < n;) {
        size_t e = b + 1;
        while (e < n && !toks[e].sent_start)
            e++;
        bool any_alpha = false, any_lower = false, any_digit = false;
        bool long_lower = false;
        size_t words = 0, caps = 0;
        for (size_t i = b; i < e; i++) {
            uint32_t f = d->t[i].flags;
            any_alpha |= (f & F_ALPHA) != 0;
            any_lower |= (f & F_LOWER) != 0;
            any_digit |= (f & F_DIGIT) != 0;
            if (f & F_ALPHA) {
                words++;
                caps += (f & F_INITCAP) != 0;
                long_lower |= (f & F_INITLOW) && d->t[i].nchars > 5;
            }
        }
        /* A heading in title case ("Pakistan Urges Afghan Taliban to End
         * Support for Terrorist Groups"): three words or more, at least
         * 60% capitalised, and the words in lower case short ones (to,
         * for, about).  Its capitals say no more than a headline's. */
        bool head = any_alpha && !any_lower;
        bool title = !head && words >= 3 && !long_lower && 5 * caps >= 3 * words;
        uint32_t sf = (head ? F_HEAD : 0) | (title ? F_TITLE : 0) |
                      (any_digit ? F_SDIGIT : 0);
        bool first_seen = false, in_quote = false;
        int depth = 0;
        for (size_t i = b; i < e; i++) {
            ntok *t = &d->t[i];
            t->sent = (uint32_t)b;
            t->sent_end = (uint32_t)e;
            t->lenb = len_bucket(e - b);
            t->flags |= sf;
            if (i == b)
                t->flags |= F_SSTART;
            if (!first_seen && (t->flags & (F_ALPHA | F_DIGIT))) {
                t->flags |= F_FIRST;
                first_seen = true;
            }
            if (t->flags & F_CPAREN && depth > 0)
                depth--;
            if (t->flags & (F_CQUOTE | F_QUOTE) && in_quote) {
                in_quote = false;
            } else if (t->flags & (F_OQUOTE | F_QUOTE)) {
                in_quote = true;
                continue; /* the mark itself is not inside */
            }
            if (depth > 0)
                t->flags |= F_INPAREN;
            if (in_quote)
                t->flags |= F_INQUOTE;
            if (t->flags & F_OPAREN)
                depth++;
        }
        /* Runs of capitalised tokens (not in headlines). */
        if (!(sf & (F_HEAD | F_TITLE))) {
            for (size_t i = b; i < e;) {
                if (!(d->t[i].flags & F_INITCAP)) {
                    i++;
                    continue;
                }
                size_t j = i;
                while (j < e && (d->t[j].flags & F_INITCAP))
                    j++;
                size_t len = j - i, lb = len > 4 ? 4 : len;
                uint64_t before = i > b ? d->t[i - 1].norm : H_BOS;
                uint64_t after = j < e ? d->t[j].norm : H_EOS;
                for (size_t k = i; k < j; k++) {
                    unsigned pos = len == 1 ? 0 : k == i ? 1 : k + 1 == j ? 3 : 2;
                    d->t[k].capseq = (uint8_t)(1 + (lb - 1) * 4 + pos);
                    d->t[k].run_before = before;
                    d->t[k].run_after = after;
                }
                i = j;
            }
        }
        b = e;
    }
    d->topic = 0;
    for (size_t i = 0; i < n && !d->topic; i++)
        if (d->t[i].flags & F_ALPHA)
            d->topic = d->t[i].lower;
    /* The document table. */
    for (size_t i = 0; i < n; i++) {
        ntok *t = &d->t[i];
        uint64_t key = t->lower ? t->lower : 1;
        size_t s = (size_t)mix64(key) & d->tmask;
        while (d->table[s].key && d->table[s].key != key)
            s = (s + 1) & d->tmask;
        dentry *e = &d->table[s];
        if (!e->key) {
            e->key = key;
            e->first = (uint32_t)i;
        } else {
            d->t[e->last].next_occ = (uint32_t)i;
        }
        e->last = (uint32_t)i;
        t->next_occ = NO_TOKEN;
        t->slot = (uint32_t)s;
        if (cap_reliable(t->flags))
            e->ncap++;
        if (t->flags & F_INITLOW)
            e->nlow++;
    }
    return ATT_OK;
}

static inline unsigned state_type5(uint8_t s)
{
    return s == 0 || s >= NS ? 4u : (unsigned)ATT_NER_STATE_TYPE(s);
}

void att_ner_doc_set_stage1(att_ner_doc *d, const uint8_t *states)
{
    d->s1 = states;
    for (size_t i = 0; i < d->n; i++) {
        dentry *e = &d->table[d->t[i].slot];
        memset(e->s1, 0, sizeof e->s1);
        memset(e->s1rel, 0, sizeof e->s1rel);
    }
    for (size_t i = 0; i < d->n; i++) {
        dentry *e = &d->table[d->t[i].slot];
        unsigned ty = state_type5(states[i]);
        e->s1[ty]++;
        if (cap_reliable(d->t[i].flags))
            e->s1rel[ty]++;
    }
}

/* Majority of counts c[0..4] (ties: the lower type number, O last) without
 * `own` (4 = O, or 5 = nothing to take away).  Returns 5 when there is no
 * other occurrence; *unanimous when one type has them all. */
static unsigned majority(const uint32_t *c, unsigned own, bool *unanimous)
{
    uint32_t v[5], total = 0, best = 0;
    unsigned arg = 5;
    for (unsigned k = 0; k < 5; k++) {
        v[k] = c[k] - (k == own ? 1u : 0u);
        total += v[k];
        if (v[k] > best) {
            best = v[k];
            arg = k;
        }
    }
    *unanimous = total > 0 && best == total;
    return arg;
}

/* Template numbers: stable, since they are part of every feature hash. */
enum {
    T_BIAS = 1, T_WORD, T_NORM, T_NORM_M2, T_NORM_M1, T_NORM_P1, T_NORM_P2,
    T_SHAPE_M2, T_SHAPE_M1, T_SHAPE_0, T_SHAPE_P1, T_SHAPE_P2,
    T_SS_M1_0, T_SS_0_P1, T_SS_M1_0_P1, T_PRE1, T_PRE2, T_PRE3, T_PRE4,
    T_SUF1, T_SUF2, T_SUF3, T_SUF4, T_BI_M1_0, T_BI_0_P1, T_BI_M2_M1,
    T_NORM_M1_SS, T_SS_NORM_P1, T_POS_SHAPE, T_HEAD_LOWER, T_FIRST_LOWER,
    T_PQ_SS, T_DOC, T_CAPSEQ, T_CAPSEQ_POS, T_SENT, T_MARK_BIT, T_MARK_SS,
    T_MARK_M1, T_MARK_P1, T_MARK_POS, T_S1, T_S1_CTX, T_MAJ, T_MAJ_OWN,
    T_RMAJ, T_ANY, T_RUN_BEFORE, T_RUN_AFTER, T_TOPIC, T_AGG_M1, T_AGG_P1,
    T_TITLE_LOWER
};

/* Context aggregation (Ratinov & Roth 2009): a capitalised word's
 * neighbours at its other occurrences in the document ("Pirelli" alone,
 * where elsewhere the text says "Pirelli SpA" and "Pirelli shares"): the
 * first AGG_MAX distinct words either side, from at most AGG_SCAN
 * occurrences. */
#define AGG_MAX 6
#define AGG_SCAN 16

static size_t aggregate(const att_ner_doc *d, size_t i, uint64_t *out)
{
    uint64_t left[AGG_MAX], right[AGG_MAX];
    size_t nl = 0, nr = 0, n = 0, seen = 0;
    for (uint32_t j = d->table[d->t[i].slot].first;
         j != NO_TOKEN && seen < AGG_SCAN; j = d->t[j].next_occ) {
        if (j == i)
            continue;
        seen++;
        const ntok *o = &d->t[j];
        uint64_t l = j > o->sent ? d->t[j - 1].norm : H_BOS;
        uint64_t r = j + 1 < o->sent_end ? d->t[j + 1].norm : H_EOS;
        bool dup = false;
        for (size_t k = 0; k < nl; k++)
            dup |= left[k] == l;
        if (!dup && nl < AGG_MAX) {
            left[nl++] = l;
            out[n++] = feat1(T_AGG_M1, l);
        }
        dup = false;
        for (size_t k = 0; k < nr; k++)
            dup |= right[k] == r;
        if (!dup && nr < AGG_MAX) {
            right[nr++] = r;
            out[n++] = feat1(T_AGG_P1, r);
        }
    }
    return n;
}

size_t att_ner_doc_features(const att_ner_doc *d, size_t i, unsigned stage,
                            uint64_t *out)
{
    const ntok *t = &d->t[i];
    size_t n = 0, b = t->sent, e = t->sent_end;
    const ntok *m1 = i > b ? t - 1 : NULL, *m2 = i > b + 1 ? t - 2 : NULL;
    const ntok *p1 = i + 1 < e ? t + 1 : NULL, *p2 = i + 2 < e ? t + 2 : NULL;
    uint64_t nm2 = m2 ? m2->norm : H_BOS, nm1 = m1 ? m1->norm : H_BOS;
    uint64_t np1 = p1 ? p1->norm : H_EOS, np2 = p2 ? p2->norm : H_EOS;
    uint64_t sm1 = m1 ? m1->sshape : H_BOS, sp1 = p1 ? p1->sshape : H_EOS;
    uint32_t f = t->flags;

    unsigned pos = ((f & F_FIRST) ? 1u : 0u) | ((f & F_HEAD) ? 2u : 0u) |
                   ((f & F_SSTART) ? 4u : 0u) | ((f & F_TITLE) ? 8u : 0u);
    out[n++] = feat1(T_BIAS, 0);
    out[n++] = feat1(T_WORD, t->word);
    out[n++] = feat1(T_NORM, t->norm);
    out[n++] = feat1(T_NORM_M1, nm1);
    out[n++] = feat1(T_NORM_P1, np1);
    out[n++] = feat1(T_SHAPE_0, t->shape);
    out[n++] = feat2(T_SS_M1_0, sm1, t->sshape);
    out[n++] = feat2(T_SS_0_P1, t->sshape, sp1);
    out[n++] = feat2(T_POS_SHAPE, pos, t->shape);
    if (f & F_HEAD)
        out[n++] = feat1(T_HEAD_LOWER, t->lower);
    if (f & F_TITLE)
        out[n++] = feat1(T_TITLE_LOWER, t->lower);
    if (f & F_FIRST)
        out[n++] = feat1(T_FIRST_LOWER, t->lower);
    /* Stage 2 has the first stage's verdict: these only refine it, and
     * leaving them out of stage 2 makes tagging a quarter faster at the
     * same accuracy on eng.testa. */
    if (stage == 0) {
    out[n++] = feat1(T_NORM_M2, nm2);
    out[n++] = feat1(T_NORM_P2, np2);
    out[n++] = feat1(T_SHAPE_M2, m2 ? m2->shape : H_BOS);
    out[n++] = feat1(T_SHAPE_M1, m1 ? m1->shape : H_BOS);
    out[n++] = feat1(T_SHAPE_P1, p1 ? p1->shape : H_EOS);
    out[n++] = feat1(T_SHAPE_P2, p2 ? p2->shape : H_EOS);
    out[n++] = feat3(T_SS_M1_0_P1, sm1, t->sshape, sp1);
    for (unsigned k = 0; k < 4; k++) {
        if (t->pre[k])
            out[n++] = feat1(T_PRE1 + k, t->pre[k]);
        if (t->suf[k])
            out[n++] = feat1(T_SUF1 + k, t->suf[k]);
    }
    out[n++] = feat2(T_BI_M1_0, nm1, t->norm);
    out[n++] = feat2(T_BI_0_P1, t->norm, np1);
    out[n++] = feat2(T_BI_M2_M1, nm2, nm1);
    out[n++] = feat2(T_NORM_M1_SS, nm1, t->sshape);
    out[n++] = feat2(T_SS_NORM_P1, t->sshape, np1);
    unsigned pq = ((f & F_INPAREN) ? 1u : 0u) | ((f & F_INQUOTE) ? 2u : 0u);
    if (pq)
        out[n++] = feat2(T_PQ_SS, pq, t->sshape);
    }
    if ((f & F_INITCAP) && !(f & F_HEAD))
        n += aggregate(d, i, out + n);
    /* The document's other spellings of the word. */
    const dentry *de = &d->table[t->slot];
    unsigned sit = (f & F_HEAD) ? 3 : (f & F_TITLE) ? 5 : (f & F_FIRST) ? 2
                 : (f & F_INITCAP) ? 1
                 : (f & F_INITLOW) ? 0 : 4;
    if (sit != 4) {
        bool ocap = de->ncap > (cap_reliable(f) ? 1u : 0u);
        bool olow = de->nlow > ((f & F_INITLOW) ? 1u : 0u);
        out[n++] = feat2(T_DOC, sit, (ocap ? 2u : 0u) | (olow ? 1u : 0u));
    }
    out[n++] = feat1(T_CAPSEQ, t->capseq);
    out[n++] = feat2(T_CAPSEQ_POS, t->capseq, pos & 1);
    if (t->capseq) {
        out[n++] = feat2(T_RUN_BEFORE, t->run_before, t->capseq);
        out[n++] = feat2(T_RUN_AFTER, t->run_after, t->capseq);
    }
    if (f & F_UPPER)
        out[n++] = feat2(T_TOPIC, d->topic, t->sshape);
    out[n++] = feat3(T_SENT, t->lenb, ((f & F_SDIGIT) ? 1u : 0u) |
                                          ((f & F_HEAD) ? 2u : 0u), t->sshape);
    if (d->marks) {
        /* Only what is there: most tokens have no marks near them. */
        unsigned mk = t->marks & 0xFF;
        unsigned mm1 = m1 ? m1->marks & 0xFF : 0, mp1 = p1 ? p1->marks & 0xFF : 0;
        if (mk) {
            for (unsigned bit = 0; bit < 8; bit++)
                if (mk >> bit & 1)
                    out[n++] = feat1(T_MARK_BIT, bit);
            out[n++] = feat2(T_MARK_SS, mk, t->sshape);
            out[n++] = feat2(T_MARK_POS, mk, pos);
        }
        if (mm1)
            out[n++] = feat2(T_MARK_M1, mm1, mk);
        if (mp1)
            out[n++] = feat2(T_MARK_P1, mp1, mk);
    }
    if (stage >= 1 && d->s1) {
        uint8_t s = d->s1[i];
        unsigned own = state_type5(s);
        out[n++] = feat1(T_S1, s);
        out[n++] = feat3(T_S1_CTX, m1 ? state_type5(d->s1[i - 1]) : 5, s,
                         p1 ? state_type5(d->s1[i + 1]) : 5);
        /* The other occurrences' verdicts, told apart by whether the word
         * is also a common word in the document ("The" and "the"). */
        unsigned olow = de->nlow > ((f & F_INITLOW) ? 1u : 0u) ? 8u : 0u;
        bool un;
        unsigned maj = majority(de->s1, own, &un);
        out[n++] = feat2(T_MAJ, maj | olow, un);
        out[n++] = feat3(T_MAJ_OWN, maj | olow, un, own);
        unsigned rmaj = majority(de->s1rel, cap_reliable(f) ? own : 5, &un);
        out[n++] = feat3(T_RMAJ, rmaj | olow, un, own);
        for (unsigned k = 0; k < 4; k++)
            if (de->s1[k] > (own == k ? 1u : 0u))
                out[n++] = feat1(T_ANY, k | olow);
    }
    return n;
}

/* ---- the model file ---------------------------------------------------------- */

typedef struct nstage {
    size_t n;                /* rows */
    int16_t *w;              /* n x NER_NW, 32-byte aligned */
    uint64_t *slots;         /* the lookup table, below */
    size_t mask;
    int32_t trans[NS + 1][NS];
    float scale;
} nstage;

/* The lookup table of a stage: open addressing, linear probing from the
 * slot the key's low bits give.  A slot is 8 bytes: the key's high 32 bits
 * (its fingerprint: with the slot position, about 50 bits of the key) and
 * the row number + 1 (0: empty), so four slots share what one 16-byte
 * key-and-row slot would take of the cache. */
#define SLOT_FP 0xFFFFFFFF00000000ULL

struct att_ner_model {
    unsigned n_stages;
    uint64_t dict_hash;
    nstage st[2];
};

static const unsigned char ner_magic[8] = {'A', 'T', 'T', 'N', 'E', 'R', 'M', 0};

static void put32(att_buf *b, uint32_t v, att_status *st)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    if (!*st)
        *st = att_buf_append(b, x, 4);
}

static void put64(att_buf *b, uint64_t v, att_status *st)
{
    put32(b, (uint32_t)v, st);
    put32(b, (uint32_t)(v >> 32), st);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

typedef struct keyidx {
    uint64_t key;
    size_t i;
} keyidx;

static int keyidx_cmp(const void *a, const void *b)
{
    uint64_t x = ((const keyidx *)a)->key, y = ((const keyidx *)b)->key;
    return x < y ? -1 : x > y;
}

static att_status encode_stage(att_buf *out, const att_ner_stage_weights *sw,
                               unsigned prune)
{
    /* Rows relative to O, and the scale that maps the largest to 32767. */
    double maxabs = 0;
    for (size_t f = 0; f < sw->n_features; f++) {
        const double *w = sw->weights + f * NS;
        for (int s = 1; s < NS; s++)
            if (fabs(w[s] - w[0]) > maxabs)
                maxabs = fabs(w[s] - w[0]);
    }
    float scale = maxabs > 0 ? (float)(maxabs / 32767.0) : 1.0f;
    keyidx *kept = att_malloc_array(sw->n_features ? sw->n_features : 1,
                                    sizeof *kept);
    if (!kept)
        return att_error_nomem();
    size_t nk = 0;
    for (size_t f = 0; f < sw->n_features; f++) {
        if (!sw->keys[f]) {
            free(kept);
            return att_error_set(ATT_INVALID, "tagger model: a feature key is 0");
        }
        const double *w = sw->weights + f * NS;
        bool keep = false;
        for (int s = 1; s < NS && !keep; s++)
            keep = fabs(nearbyint((w[s] - w[0]) / scale)) > (double)prune;
        if (keep)
            kept[nk++] = (keyidx){sw->keys[f], f};
    }
    qsort(kept, nk, sizeof *kept, keyidx_cmp);
    for (size_t k = 1; k < nk; k++)
        if (kept[k].key == kept[k - 1].key) {
            unsigned long long dup = kept[k].key;
            free(kept);
            return att_error_set(ATT_INVALID, "tagger model: duplicate "
                                 "feature key %016llx", dup);
        }
    att_status st = ATT_OK;
    uint32_t sbits;
    memcpy(&sbits, &scale, 4);
    put32(out, (uint32_t)nk, &st);
    put32(out, sbits, &st);
    for (int r = 0; r <= NS; r++)
        for (int c = 0; c < NS; c++) {
            double q = nearbyint(sw->trans[r * NS + c] / scale);
            if (q > INT32_MAX / 4)
                q = INT32_MAX / 4;
            if (q < -(INT32_MAX / 4))
                q = -(INT32_MAX / 4);
            put32(out, (uint32_t)(int32_t)q, &st);
        }
    for (size_t k = 0; k < nk; k++)
        put64(out, kept[k].key, &st);
    for (size_t k = 0; !st && k < nk; k++) {
        const double *w = sw->weights + kept[k].i * NS;
        unsigned char row[2 * NER_NW];
        for (int s = 1; s < NS; s++) {
            double q = nearbyint((w[s] - w[0]) / scale);
            int16_t v = (int16_t)(q > 32767 ? 32767 : q < -32767 ? -32767 : q);
            uint16_t u = (uint16_t)v;
            row[2 * (s - 1)] = (unsigned char)u;
            row[2 * (s - 1) + 1] = (unsigned char)(u >> 8);
        }
        st = att_buf_append(out, row, sizeof row);
    }
    free(kept);
    return st;
}

att_status att_ner_model_encode(att_buf *out,
                                const att_ner_stage_weights *stages,
                                size_t n_stages, uint64_t dict_hash,
                                unsigned prune)
{
    if (n_stages < 1 || n_stages > 2)
        return att_error_set(ATT_INVALID, "tagger model: %zu stages", n_stages);
    size_t start = out->len;
    att_status st = att_buf_append(out, ner_magic, 8);
    put32(out, NER_FORMAT_VERSION, &st);
    put32(out, NER_FEATURE_VERSION, &st);
    put32(out, NS, &st);
    put32(out, (uint32_t)n_stages, &st);
    put64(out, dict_hash, &st);
    put64(out, 0, &st); /* payload length, below */
    for (size_t k = 0; !st && k < n_stages; k++)
        st = encode_stage(out, &stages[k], prune);
    if (st)
        return st;
    uint64_t payload = out->len - start - NER_HEADER;
    for (int k = 0; k < 8; k++)
        out->data[start + 32 + k] = (char)(unsigned char)(payload >> (8 * k));
    put64(out, att_hash64(out->data + start, out->len - start), &st);
    return st;
}

static void stage_free(nstage *s)
{
    free(s->w);
    free(s->slots);
}

void att_ner_model_free(att_ner_model *m)
{
    if (!m)
        return;
    for (unsigned k = 0; k < 2; k++)
        stage_free(&m->st[k]);
    free(m);
}

static att_status corrupt(const char *what)
{
    return att_error_set(ATT_CORRUPT, "tagger model: %s", what);
}

/* Reads one stage at p (at most `left` bytes); *used gets its length. */
static att_status load_stage(nstage *s, const unsigned char *p, size_t left,
                             size_t *used)
{
    const size_t fixed = 8 + 4 * (NS + 1) * NS;
    if (left < fixed)
        return corrupt("truncated stage header");
    uint32_t n = get32(p);
    uint32_t sbits = get32(p + 4);
    memcpy(&s->scale, &sbits, 4);
    if (!isfinite(s->scale) || s->scale <= 0)
        return corrupt("bad weight scale");
    const size_t per = 8 + 2 * NER_NW;
    if ((left - fixed) / per < n)
        return corrupt("truncated feature table");
    const unsigned char *q = p + 8;
    for (int r = 0; r <= NS; r++)
        for (int c = 0; c < NS; c++, q += 4) {
            s->trans[r][c] = (int32_t)get32(q);
            if (s->trans[r][c] > INT32_MAX / 4 || s->trans[r][c] < -(INT32_MAX / 4))
                return corrupt("transition weight out of range");
        }
    s->n = n;
    size_t tsize = 16;
    while (tsize < 2 * (size_t)n)
        tsize *= 2;
    s->mask = tsize - 1;
    s->slots = calloc(tsize, sizeof *s->slots);
    size_t wbytes = (size_t)n * NER_NW * sizeof(int16_t);
    s->w = aligned_alloc(32, wbytes ? (wbytes + 31) / 32 * 32 : 32);
    if (!s->slots || !s->w)
        return att_error_nomem();
    const unsigned char *keys = q, *wts = q + 8 * (size_t)n;
    uint64_t prev = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint64_t key = get64(keys + 8 * (size_t)k);
        if (key <= prev)
            return corrupt(key ? "feature keys out of order" : "zero feature key");
        prev = key;
        const unsigned char *r = wts + (size_t)k * 2 * NER_NW;
        for (int j = 0; j < NER_NW; j++)
            s->w[(size_t)k * NER_NW + j] =
                (int16_t)(uint16_t)(r[2 * j] | r[2 * j + 1] << 8);
        /* A key whose fingerprint an earlier key on its probe path has
         * would be found as that key: it is left out (about one key in
         * 10^5 models). */
        uint64_t fp = key & SLOT_FP;
        size_t h = (size_t)key & s->mask;
        bool clash = false;
        while (s->slots[h]) {
            clash |= (s->slots[h] & SLOT_FP) == fp;
            h = (h + 1) & s->mask;
        }
        if (!clash)
            s->slots[h] = fp | (k + 1);
    }
    *used = fixed + per * (size_t)n;
    return ATT_OK;
}

att_status att_ner_model_load(att_ner_model **out, const void *bytes,
                              size_t len)
{
    *out = NULL;
    const unsigned char *p = bytes;
    if (len == 0)
        return corrupt("empty model");
    if (!p)
        return att_error_set(ATT_INVALID, "tagger model: NULL bytes");
    if (len < 8 || memcmp(p, ner_magic, 8) != 0)
        return corrupt("not a tagger model (bad magic)");
    if (len < NER_HEADER + 8)
        return att_error_set(ATT_CORRUPT, "tagger model: truncated (%zu bytes)",
                             len);
    uint32_t version = get32(p + 8), fset = get32(p + 12);
    uint32_t nstates = get32(p + 16), nst = get32(p + 20);
    uint64_t payload = get64(p + 32);
    if (version != NER_FORMAT_VERSION)
        return att_error_set(ATT_CORRUPT, "tagger model: format version %u, "
                             "this library reads %d", version,
                             NER_FORMAT_VERSION);
    if (payload != len - NER_HEADER - 8)
        return att_error_set(ATT_CORRUPT, "tagger model: truncated or padded "
                             "(%zu bytes, the header says %llu)", len,
                             (unsigned long long)payload + NER_HEADER + 8);
    if (get64(p + len - 8) != att_hash64(p, len - 8))
        return corrupt("checksum mismatch (the file is damaged)");
    if (fset != NER_FEATURE_VERSION)
        return att_error_set(ATT_CORRUPT, "tagger model: trained for feature "
                             "set %u, this library computes set %d (retrain "
                             "it: make model)", fset, NER_FEATURE_VERSION);
    if (nstates != NS)
        return att_error_set(ATT_CORRUPT, "tagger model: %u states, want %d",
                             nstates, NS);
    if (nst < 1 || nst > 2)
        return att_error_set(ATT_CORRUPT, "tagger model: %u stages", nst);
    att_ner_model *m = calloc(1, sizeof *m);
    if (!m)
        return att_error_nomem();
    m->n_stages = nst;
    m->dict_hash = get64(p + 24);
    size_t off = NER_HEADER, end = len - 8;
    att_status st = ATT_OK;
    for (unsigned k = 0; !st && k < nst; k++) {
        size_t used = 0;
        st = load_stage(&m->st[k], p + off, end - off, &used);
        off += used;
    }
    if (!st && off != end)
        st = corrupt("trailing bytes after the last stage");
    if (st) {
        att_ner_model_free(m);
        return st;
    }
    *out = m;
    return ATT_OK;
}

uint64_t att_ner_model_dict_hash(const att_ner_model *m)
{
    return m ? m->dict_hash : 0;
}

unsigned att_ner_model_stages(const att_ner_model *m)
{
    return m ? m->n_stages : 0;
}

size_t att_ner_model_features(const att_ner_model *m)
{
    size_t n = 0;
    for (unsigned k = 0; m && k < m->n_stages; k++)
        n += m->st[k].n;
    return n;
}

/* ---- tagging ------------------------------------------------------------------- */

struct att_ner_tagger {
    const att_ner_model *m;
    att_ner_doc *doc;
    int32_t *emit;           /* n x NS */
    uint8_t *back;           /* n x NS */
    uint8_t *s1;             /* stage-1 states */
    uint8_t *states;
    size_t cap;
};

att_status att_ner_tagger_new(att_ner_tagger **out, const att_ner_model *m)
{
    *out = NULL;
    if (!m)
        return att_error_set(ATT_INVALID, "tagger: no model");
    att_ner_tagger *t = calloc(1, sizeof *t);
    if (!t)
        return att_error_nomem();
    t->m = m;
    att_status st = att_ner_doc_new(&t->doc);
    if (st) {
        free(t);
        return st;
    }
    *out = t;
    return ATT_OK;
}

void att_ner_tagger_free(att_ner_tagger *t)
{
    if (!t)
        return;
    att_ner_doc_free(t->doc);
    free(t->emit);
    free(t->back);
    free(t->s1);
    free(t->states);
    free(t);
}

static att_status tagger_reserve(att_ner_tagger *t, size_t n)
{
    if (n <= t->cap)
        return ATT_OK;
    size_t cap = n < 256 ? 256 : n;
    int32_t *emit = att_malloc_array(cap, NS * sizeof *emit);
    uint8_t *back = att_malloc_array(cap, NS);
    uint8_t *s1 = malloc(cap), *states = malloc(cap);
    if (!emit || !back || !s1 || !states) {
        free(emit);
        free(back);
        free(s1);
        free(states);
        return att_error_nomem();
    }
    free(t->emit);
    free(t->back);
    free(t->s1);
    free(t->states);
    t->emit = emit;
    t->back = back;
    t->s1 = s1;
    t->states = states;
    t->cap = cap;
    return ATT_OK;
}

static inline const int16_t *stage_row(const nstage *s, uint64_t key)
{
    uint64_t fp = key & SLOT_FP;
    size_t h = (size_t)key & s->mask;
    for (;;) {
        uint64_t v = s->slots[h];
        if ((v & SLOT_FP) == fp && v)
            return s->w + (size_t)((v & ~SLOT_FP) - 1) * NER_NW;
        if (!v)
            return NULL;
        h = (h + 1) & s->mask;
    }
}

/* The predecessors each state may have (att_ner_transition_ok). */
static int8_t preds[NS][NS + 1];
static uint8_t npreds[NS];
static pthread_once_t preds_once = PTHREAD_ONCE_INIT;

static void preds_init(void)
{
    for (int s = 0; s < NS; s++) {
        int k = 0;
        for (int p = 0; p < NS; p++)
            if (att_ner_transition_ok(p, s))
                preds[s][k++] = (int8_t)p;
        npreds[s] = (uint8_t)k;
    }
}

#define NEG_INF (INT32_MIN / 4)

/* Viterbi over tokens [b, e) with emissions t->emit; writes states. */
static void viterbi(att_ner_tagger *t, const nstage *s, size_t b, size_t e,
                    uint8_t *states)
{
    int32_t prev[NS], cur[NS];
    const int32_t *em = t->emit + b * NS;
    for (int k = 0; k < NS; k++)
        prev[k] = att_ner_transition_ok(-1, k) ? s->trans[NS][k] + em[k]
                                               : NEG_INF;
    /* No test for the impossible states: they start at NEG_INF, which the
     * sums cannot overflow from (transitions are at most 2^29 in size,
     * emissions far less), and every state has a possible predecessor from
     * the second token on; the renormalisation clamps them back. */
    for (size_t i = b + 1; i < e; i++) {
        em = t->emit + i * NS;
        uint8_t *bk = t->back + i * NS;
        int32_t top = INT32_MIN;
        for (int k = 0; k < NS; k++) {
            const int8_t *pp = preds[k];
            int p = pp[0], arg = p;
            int32_t best = prev[p] + s->trans[p][k];
            for (int j = 1; j < npreds[k]; j++) {
                p = pp[j];
                int32_t v = prev[p] + s->trans[p][k];
                if (v > best) {
                    best = v;
                    arg = p;
                }
            }
            cur[k] = best + em[k];
            bk[k] = (uint8_t)arg;
            if (cur[k] > top)
                top = cur[k];
        }
        /* Keep the numbers small: only differences matter. */
        for (int k = 0; k < NS; k++) {
            int32_t v = cur[k] - top;
            prev[k] = v < NEG_INF ? NEG_INF : v;
        }
    }
    int arg = 0;
    int32_t best = NEG_INF;
    for (int k = 0; k < NS; k++)
        if (att_ner_final_ok(k) && prev[k] != NEG_INF &&
            (best == NEG_INF || prev[k] > best)) {
            best = prev[k];
            arg = k;
        }
    for (size_t i = e; i-- > b;) {
        states[i] = (uint8_t)arg;
        if (i > b)
            arg = t->back[i * NS + arg];
    }
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif

/* The emission scores of every token, then Viterbi per sentence.  Most of
 * the time goes in cache misses on the table and the rows, so the loop is
 * a small software pipeline: token i+1's feature hashes are computed and
 * their slots prefetched while token i's rows are found (all of them
 * before any is read, so the misses overlap) and summed. */
static void run_stage(att_ner_tagger *t, unsigned k, uint8_t *states)
{
    const nstage *s = &t->m->st[k];
    const att_ner_doc *d = t->doc;
    uint64_t feats[2][ATT_NER_MAX_FEATURES];
    const int16_t *rows[ATT_NER_MAX_FEATURES];
    size_t nf[2] = {0, 0};
    if (d->n)
        nf[0] = att_ner_doc_features(d, 0, k, feats[0]);
    for (size_t i = 0; i < d->n; i++) {
        unsigned cur = i & 1, nxt = cur ^ 1;
        if (i + 1 < d->n) {
            nf[nxt] = att_ner_doc_features(d, i + 1, k, feats[nxt]);
            for (size_t j = 0; j < nf[nxt]; j++)
                PREFETCH(&s->slots[(size_t)feats[nxt][j] & s->mask]);
        }
        size_t nr = 0;
        for (size_t j = 0; j < nf[cur]; j++) {
            const int16_t *r = stage_row(s, feats[cur][j]);
            if (r) {
                PREFETCH(r);
                rows[nr++] = r;
            }
        }
        int32_t acc[NER_NW] = {0};
        for (size_t j = 0; j < nr; j++)
            for (int c = 0; c < NER_NW; c++)
                acc[c] += rows[j][c];
        int32_t *em = t->emit + i * NS;
        em[0] = 0;
        for (int c = 0; c < NER_NW; c++)
            em[c + 1] = acc[c];
    }
    for (size_t b = 0; b < d->n;) {
        size_t e = d->t[b].sent_end;
        viterbi(t, s, b, e, states);
        b = e;
    }
}

att_status att_ner_tagger_run(att_ner_tagger *t, const att_etoken *toks,
                              size_t n, const uint16_t *marks, uint8_t *out)
{
    if (!t || (n && (!toks || !out)))
        return att_error_set(ATT_INVALID, "tagger: NULL argument");
    if (n == 0)
        return ATT_OK;
    pthread_once(&preds_once, preds_init);
    att_status st = tagger_reserve(t, n);
    if (!st)
        st = att_ner_doc_set(t->doc, toks, n,
                             t->m->dict_hash ? marks : NULL);
    if (st)
        return st;
    run_stage(t, 0, t->s1);
    const uint8_t *final = t->s1;
    if (t->m->n_stages > 1) {
        att_ner_doc_set_stage1(t->doc, t->s1);
        run_stage(t, 1, t->states);
        final = t->states;
    }
    att_ner_states_to_tags(final, n, out);
    return ATT_OK;
}

att_status att_ner_tag_doc(const att_ner_model *m, const att_etoken *toks,
                           size_t n, const uint16_t *marks, uint8_t *out)
{
    att_ner_tagger *t;
    att_status st = att_ner_tagger_new(&t, m);
    if (st)
        return st;
    st = att_ner_tagger_run(t, toks, n, marks, out);
    att_ner_tagger_free(t);
    return st;
}

/* ---- the built-in model and att_ner_tag() --------------------------------------- */

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static att_ner_model *builtin;
static att_status builtin_status;
static char builtin_error[512];

static void builtin_load(void)
{
    size_t len;
    const unsigned char *bytes = att_builtin_model_bytes(&len);
    if (len == 0) {
        builtin_status = ATT_INTERNAL;
        snprintf(builtin_error, sizeof builtin_error,
                 "the library was built without a tagger model "
                 "(corpus/ner/model.bin; make model trains one)");
        return;
    }
    builtin_status = att_ner_model_load(&builtin, bytes, len);
    if (builtin_status)
        snprintf(builtin_error, sizeof builtin_error, "built-in %s",
                 att_last_error());
}

const att_ner_model *att_ner_builtin(void)
{
    pthread_once(&builtin_once, builtin_load);
    if (!builtin)
        att_error_set(ATT_INTERNAL, "%s", builtin_error);
    return builtin;
}

/* What one thread keeps between calls of att_ner_tag(): freed when the
 * thread ends. */
typedef struct tls_tagger {
    att_ner_tagger *tagger;
    att_analyzer *an;
    att_etoken *toks;
    uint16_t *marks;
    uint8_t *tags;
    size_t cap;
} tls_tagger;

#define TLS_KEEP_TOKENS 65536

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static int tls_key_err;

static void tls_free(void *p)
{
    tls_tagger *x = p;
    if (!x)
        return;
    att_ner_tagger_free(x->tagger);
    att_analyzer_free(x->an);
    free(x->toks);
    free(x->marks);
    free(x->tags);
    free(x);
}

static void tls_init(void) { tls_key_err = pthread_key_create(&tls_key, tls_free); }

static att_status tls_get(tls_tagger **out, const att_ner_model *m, size_t n,
                          bool need_dict)
{
    pthread_once(&tls_once, tls_init);
    if (tls_key_err)
        return att_error_set(ATT_INTERNAL, "tagger: cannot create a "
                             "thread-local key");
    tls_tagger *x = pthread_getspecific(tls_key);
    if (!x) {
        x = calloc(1, sizeof *x);
        if (!x)
            return att_error_nomem();
        att_status st = att_ner_tagger_new(&x->tagger, m);
        if (!st && pthread_setspecific(tls_key, x) != 0)
            st = att_error_set(ATT_INTERNAL, "tagger: cannot set "
                               "thread-local data");
        if (st) {
            tls_free(x);
            return st;
        }
    }
    if (need_dict && !x->an) {
        att_status st = att_analyzer_new(&x->an);
        if (st)
            return st;
    }
    if (n > x->cap) {
        size_t cap = n < 256 ? 256 : n;
        att_etoken *t = att_malloc_array(cap, sizeof *t);
        uint16_t *mk = att_malloc_array(cap, sizeof *mk);
        uint8_t *tg = malloc(cap);
        if (!t || !mk || !tg) {
            free(t);
            free(mk);
            free(tg);
            return att_error_nomem();
        }
        free(x->toks);
        free(x->marks);
        free(x->tags);
        x->toks = t;
        x->marks = mk;
        x->tags = tg;
        x->cap = cap;
    }
    *out = x;
    return ATT_OK;
}

ATT_API att_status att_ner_tag(const char **out, const char *const *tokens,
                               const size_t *lens,
                               const unsigned char *sent_start, size_t n)
{
    if (n == 0)
        return ATT_OK;
    if (!out || !tokens || !lens)
        return att_error_set(ATT_INVALID, "att_ner_tag: NULL argument");
    for (size_t i = 0; i < n; i++) {
        size_t bad;
        if (!tokens[i])
            return att_error_set(ATT_INVALID, "att_ner_tag: token %zu is NULL", i);
        if (lens[i] == 0)
            return att_error_set(ATT_INVALID, "att_ner_tag: token %zu is empty", i);
        if (!att_utf8_valid(tokens[i], lens[i], &bad))
            return att_error_set(ATT_INVALID, "att_ner_tag: token %zu is not "
                                 "valid UTF-8 (byte %zu)", i, bad);
    }
    const att_ner_model *m = att_ner_builtin();
    if (!m)
        return ATT_INTERNAL;
    const att_dict *dict = NULL;
    if (m->dict_hash) {
        dict = att_dict_builtin();
        if (!dict)
            return att_error_prefix("tagger");
    }
    tls_tagger *x = NULL;
    att_status st = tls_get(&x, m, n, dict != NULL);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++) {
        x->toks[i].text = tokens[i];
        x->toks[i].len = lens[i];
        x->toks[i].start = 0;
        x->toks[i].sent_start = i == 0 || (sent_start && sent_start[i]);
    }
    if (dict && (st = att_dict_marks(dict, x->an, x->toks, n, x->marks)))
        return st;
    st = att_ner_tagger_run(x->tagger, x->toks, n, dict ? x->marks : NULL,
                            x->tags);
    for (size_t i = 0; !st && i < n; i++)
        out[i] = att_ner_tag_name(x->tags[i]);
    /* A thread keeps its scratch for the next call (about 400 bytes a
     * token), but not what an unusually long document needed. */
    if (n > TLS_KEEP_TOKENS) {
        tls_free(x);
        pthread_setspecific(tls_key, NULL);
    }
    return st;
}
