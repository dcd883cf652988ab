/*
 * analyze.h: the text analysis chain, the one place where text becomes
 * terms.  The indexer runs it over titles and bodies, the query parser over
 * the words of a query, and the highlighter over the stored original text,
 * so all three agree on what a word is and what term it yields.
 *
 * A token carries its byte range in the input (so the highlighter can mark
 * the original bytes), its position (word count, for phrases and NEAR), the
 * folded word form and the stem.  See analyze.c for the rules.
 */
#ifndef ATT_ANALYZE_H
#define ATT_ANALYZE_H

#include "internal.h"

/* The longest word, in bytes of folded UTF-8, that becomes a term.  Longer
 * runs (base64, URLs without separators) are skipped, as Xapian does. */
#define ATT_MAX_WORD 64

typedef struct att_token {
    const char *form; /* folded, unstemmed word (NUL-terminated, scratch) */
    size_t form_len;
    const char *stem; /* Snowball English stem of `form` (scratch) */
    size_t stem_len;
    size_t start;     /* byte range of the word in the input */
    size_t end;
    uint32_t pos;     /* 0-based word index within this call */
} att_token;

typedef struct att_analyzer att_analyzer;

/* Returns ATT_OK, ATT_NO_MEMORY or ATT_INTERNAL (no English stemmer). */
att_status att_analyzer_new(att_analyzer **out);
void att_analyzer_free(att_analyzer *an);

/* Called for every token; a non-OK return stops the analysis and is
 * returned by att_analyze().  The token's strings are valid only during
 * the call. */
typedef att_status (*att_token_fn)(void *ctx, const att_token *tok);

/* Tokenises [text, text+len).  Invalid UTF-8 bytes and control characters
 * separate words and never reach a term. */
att_status att_analyze(att_analyzer *an, const char *text, size_t len,
                       att_token_fn fn, void *ctx);

/* Stems only the words whose folded form starts with a byte in `first`
 * (a set of 256 bits, bit b of first[b / 64]); the others reach the
 * callback with stem_len 0 and an empty stem.  For a caller that only
 * compares stems with a few of its own (the highlighter): a Snowball
 * English stem starts with its word's first byte (the stemmer changes
 * endings; its prelude's initial y is put back by its postlude), so a
 * word whose first byte starts none of them has no stem among them.
 * NULL: every word is stemmed (the default). */
void att_analyzer_stem_only(att_analyzer *an, const uint64_t *first);

/* Sentence boundaries of a text, for cutting snippets: ICU's sentence
 * break iterator with English rules and the standard abbreviation
 * suppressions (so "Mr. Lavrov said" is one sentence).  att_sentences_set()
 * points the analyser at [text, text+len), which must stay unchanged while
 * att_sentence_before() is used; the next att_sentences_set() replaces it.
 * att_sentence_before() is the last sentence boundary at or before byte
 * `at` (0 is one, so is len); boundaries fall between code points, after
 * the white space that ends a sentence.  Returns ATT_OK, ATT_NO_MEMORY or
 * ATT_INTERNAL (ICU's break rules are missing). */
att_status att_sentences_set(att_analyzer *an, const char *text, size_t len);
size_t att_sentence_before(att_analyzer *an, size_t at);

#endif /* ATT_ANALYZE_H */
