/*
 * highlight.h: the highlighter (highlight.c).  It shows why an article
 * matched in the article's own words: it re-tokenises the stored original
 * text with the analyser used for indexing, marks the words whose terms the
 * query matched (a phrase as one unit), and cuts the best fragments.
 */
#ifndef ATT_HIGHLIGHT_H
#define ATT_HIGHLIGHT_H

#include "../common/analyze.h"
#include "../common/qtree.h"

typedef struct att_hl att_hl;

enum { ATT_HL_TITLE = 1, ATT_HL_BODY = 2 };

/* Compiles the positive part of a query (everything not under a NOT) into
 * match units: single terms and phrases, each tagged with the fields it
 * can match in (unprefixed terms: title and body; title: terms: title). */
att_status att_hl_compile(const att_qnode *q, att_hl **out);
void att_hl_free(att_hl *hl);

/* The distinct index terms of the units, for the caller to look up their
 * document frequencies; then att_hl_set_stats() weights each unit by
 * rarity (inverse document frequency). */
size_t att_hl_term_count(const att_hl *hl);
const char *att_hl_term(const att_hl *hl, size_t i, size_t *len);
void att_hl_set_stats(att_hl *hl, uint64_t doccount, const uint64_t *freqs);

/* Up to `max` fragments of about `bytes` bytes of `text`, best first,
 * appended to *frags (an array of *n att_snippet the caller frees with
 * att_hl_snippets_free()).  With no match in the text, one fragment from
 * the start is given (lead) without highlights. */
att_status att_hl_fragments(att_analyzer *an, const att_hl *hl, int field,
                            const char *text, size_t len, unsigned max,
                            size_t bytes, att_snippet **frags, size_t *n);

/* The whole of `text` as one snippet with its matches marked. */
att_status att_hl_whole(att_analyzer *an, const att_hl *hl, int field,
                        const char *text, size_t len, att_snippet *out);

/* Frees the text and highlights of n snippets (not the array). */
void att_hl_snippets_clear(att_snippet *s, size_t n);

#endif
