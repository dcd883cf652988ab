/*
 * dupsig.h: the content signature that collapses duplicate stories.
 *
 * Wire copies, republished stories and near-identical texts (another byline
 * or dateline, a corrected word, a different headline, other white space,
 * punctuation, case or encoding, a trailing "Share this" line) should show
 * as one search hit.  The indexer stores this signature in a value slot
 * that the searcher uses as Xapian's collapse key, and as a boolean term
 * that lists the copies.  So it is an equality key: identical bodies give
 * equal signatures; near-identical bodies give equal signatures with high
 * probability; unrelated or merely related stories (same topic, a shared
 * quoted paragraph, follow-ups) give different signatures with very high
 * probability.  How it is computed, and the measurements behind its
 * parameters, are in dupsig.c's opening comment.
 *
 * The signature is a function of the sequence of folded word forms that
 * att_analyze() yields for the body, nothing else: so it is the same on
 * every run and platform, and an indexer that already analyses the body
 * can feed the same tokens to an accumulator (att_dup_begin(),
 * att_dup_add(), att_dup_end()) instead of analysing the text twice.
 */
#ifndef ATT_DUPSIG_H
#define ATT_DUPSIG_H

#include "analyze.h"

/* The 64-bit content signature of an article body, through the project's
 * analyser (so case, accents, punctuation, white space and encodings do not
 * matter).  The title is not an input: republished copies often retitle.
 * *out = 0 means "no signature": the body is too short to judge (fewer
 * than att_dup_default.min_words words, or too few distinct word
 * sequences) and the article must never be collapsed; any other value is a
 * signature.  Uses `an`'s scratch (not thread-safe, like the analyser);
 * allocates nothing.  Returns ATT_OK or the analyser's ATT_INTERNAL; on
 * failure *out is 0. */
att_status att_dup_signature(att_analyzer *an, const char *body, size_t len,
                             uint64_t *out);

/* ---- the accumulator: the same signature from tokens ---------------------- */

#define ATT_DUP_MAX_K 16
#define ATT_DUP_MAX_B 8

typedef struct att_dup_params {
    unsigned k;         /* words per shingle, 1..ATT_DUP_MAX_K */
    unsigned b;         /* smallest shingle hashes combined, 1..ATT_DUP_MAX_B */
    unsigned min_words; /* fewer words than this: no signature (0) */
    /* For tests/bench/dupsig_study.c only, 0 in the product: */
    unsigned figures;   /* 1: shingles holding a word with a digit are
                           taken before all others (measured, rejected) */
    uint64_t seed;      /* another hash function of the same family, to
                           average measurements over hash functions */
} att_dup_params;

/* What att_dup_signature() uses (dupsig.c says why). */
extern const att_dup_params att_dup_default;

/* The state of one signature; plain data, no allocation, so it can live on
 * the stack or in a document builder.  Read no field. */
typedef struct att_dup_acc {
    att_dup_params p;
    uint64_t ring[ATT_DUP_MAX_K]; /* the last k word hashes */
    uint64_t poly;                /* their rolling hash */
    uint64_t poly_k;              /* POLY^k */
    unsigned digits;              /* words with a digit among the last k */
    uint64_t min[ATT_DUP_MAX_B];  /* the smallest distinct shingle hashes,
                                     ascending */
    size_t words;
    size_t nmin;
} att_dup_acc;

/* Starts a signature with parameters p (NULL: att_dup_default).  Returns
 * ATT_OK, or ATT_INVALID if k or b is out of range. */
att_status att_dup_begin(att_dup_acc *acc, const att_dup_params *p);
/* Adds the next token of the body: its folded form (att_token.form and
 * form_len), in the order att_analyze() yields them.  Feed the body's
 * tokens only (never the title's): then att_dup_end() equals
 * att_dup_signature() of the body. */
void att_dup_add(att_dup_acc *acc, const char *form, size_t len);
/* The same with the word's att_dup_word_hash(). */
void att_dup_add_hash(att_dup_acc *acc, uint64_t word_hash);
/* The signature of the tokens added so far (0 = none); the accumulator may
 * go on taking tokens. */
uint64_t att_dup_end(const att_dup_acc *acc);

/* The hash of one folded word form, as att_dup_add() takes it; its lowest
 * bit is 1 if and only if the form holds an ASCII digit. */
uint64_t att_dup_word_hash(const char *form, size_t len);

/* MurmurHash3's 64-bit finaliser, the mixing step of every hash here
 * (exported for tests/bench/dupsig_study.c's variants). */
uint64_t att_dup_mix64(uint64_t x);

/* att_dup_signature() with other parameters (p: NULL = the defaults), for
 * tests/bench/dupsig_study.c; ATT_INVALID if k or b is out of range. */
att_status att_dup_signature_ex(att_analyzer *an, const char *body,
                                size_t len, const att_dup_params *p,
                                uint64_t *out);

#endif /* ATT_DUPSIG_H */
