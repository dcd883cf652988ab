/*
 * wildcards.c: att_wildcards_expand() (wildcards.h).  A wildcard's
 * letters are a prefix of word FORMS, not of stems (negotiat* is no
 * prefix of the stem "negoti"), so it is expanded through the vocabulary
 * of word forms (docs/ARCHITECTURE.md) into the terms those words give:
 * stems, or exact forms for an exact wildcard (=negotiat*).
 *
 * Used by att_search() (search.c) and by the code that marks a whole
 * article outside a search (mark.c).
 */
#include "wildcards.h"

#include "../common/xapian/schema.h"

#include <string.h>

/* Most frequent words a wildcard expands to (docs/QUERY-SYNTAX.md). */
#define WILDCARD_MAX_WORDS 256

typedef struct expand_ctx {
    att_index *ix;
    att_qnode *w;
    att_buf term;
} expand_ctx;

static att_status expand_stem(void *vctx, const att_token *tok)
{
    expand_ctx *c = vctx;
    att_qnode *w = c->w;
    bool exact = strcmp(w->alt, ATT_PREFIX_EXACT) == 0;
    c->term.len = 0;
    att_status st;
    if ((st = att_buf_puts(&c->term, w->alt)) ||
        (st = exact ? att_buf_append(&c->term, tok->form, tok->form_len)
                    : att_buf_append(&c->term, tok->stem, tok->stem_len)))
        return st;
    for (size_t i = 0; i < w->n_kids; i++) /* words sharing a stem */
        if (w->kids[i]->term_len == c->term.len &&
            memcmp(w->kids[i]->term, c->term.data, c->term.len) == 0)
            return ATT_OK;
    return att_qnode_add(w, att_qnode_term(ATT_Q_TERM, c->term.data,
                                           c->term.len, w->qpos));
}

static att_status expand_word(void *vctx, const char *word, size_t len)
{
    expand_ctx *c = vctx;
    return att_analyze(c->ix->an, word, len, expand_stem, c);
}

att_status att_wildcards_expand(att_index *ix, att_qnode *q)
{
    if (q->kind == ATT_Q_WILDCARD && !q->expanded) {
        expand_ctx c = {ix, q, ATT_BUF_INIT};
        att_status st = att_shim_words_with_prefix(
            ix->db, q->term, q->term_len, WILDCARD_MAX_WORDS, expand_word, &c);
        att_buf_free(&c.term);
        q->expanded = true;
        return st;
    }
    for (size_t i = 0; i < q->n_kids; i++) {
        att_status st = att_wildcards_expand(ix, q->kids[i]);
        if (st)
            return st;
    }
    return ATT_OK;
}
