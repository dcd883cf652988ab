/*
 * qtree.c: construction, destruction and printing of query trees
 * (qtree.h).  Each node owns its children and its term.
 */
#include "qtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

att_qnode *att_qnode_new(att_qkind kind, size_t qpos)
{
    att_qnode *q = calloc(1, sizeof *q);
    if (q) {
        q->kind = kind;
        q->qpos = qpos;
    }
    return q;
}

att_qnode *att_qnode_term(att_qkind kind, const char *term, size_t len,
                          size_t qpos)
{
    att_qnode *q = att_qnode_new(kind, qpos);
    if (!q)
        return NULL;
    q->term = att_strndup(term, len);
    if (!q->term) {
        free(q);
        return NULL;
    }
    q->term_len = len;
    return q;
}

att_status att_qnode_add(att_qnode *parent, att_qnode *kid)
{
    if (!kid)
        return att_error_nomem();
    if (parent->n_kids == parent->cap_kids) {
        size_t cap = parent->cap_kids ? parent->cap_kids * 2 : 4;
        att_qnode **k = att_realloc_array(parent->kids, cap, sizeof *k);
        if (!k) {
            att_qnode_free(kid);
            return att_error_nomem();
        }
        parent->kids = k;
        parent->cap_kids = cap;
    }
    parent->kids[parent->n_kids++] = kid;
    return ATT_OK;
}

void att_qnode_free(att_qnode *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n_kids; i++)
        att_qnode_free(q->kids[i]);
    free(q->kids);
    free(q->term);
    free(q->alt);
    free(q);
}

att_status att_qnode_describe(const att_qnode *q, att_buf *out)
{
    static const char *names[] = {"TERM", "FILTER", "PHRASE", "NEAR", "AND",
                                  "OR", "AND_NOT", "ALL", "AND_MAYBE",
                                  "WILDCARD", "RANGE", "SYNONYM"};
    att_status st;
    if (q->kind == ATT_Q_RANGE) {
        char r[48];
        snprintf(r, sizeof r, "range:%u:%s..%s", q->slot, q->lo, q->hi);
        return att_buf_puts(out, r);
    }
    if (q->kind == ATT_Q_WILDCARD && !q->expanded) {
        if ((st = att_buf_append(out, q->term, q->term_len)))
            return st;
        return att_buf_putc(out, '*');
    }
    if (q->kind == ATT_Q_TERM || q->kind == ATT_Q_FILTER) {
        if (q->kind == ATT_Q_FILTER && (st = att_buf_puts(out, "filter:")))
            return st;
        return att_buf_append(out, q->term, q->term_len);
    }
    if (q->kind == ATT_Q_MATCH_ALL)
        return att_buf_puts(out, "<all>");
    if ((st = att_buf_putc(out, '(')))
        return st;
    char op[32];
    if (q->kind == ATT_Q_NEAR)
        snprintf(op, sizeof op, " %s/%u ", q->ordered ? "ADJ" : "NEAR",
                 (unsigned)q->window);
    else if (q->kind == ATT_Q_WILDCARD)
        snprintf(op, sizeof op, " OR ");
    else
        snprintf(op, sizeof op, " %s ", names[q->kind]);
    for (size_t i = 0; i < q->n_kids; i++) {
        if (i && (st = att_buf_puts(out, op)))
            return st;
        if ((st = att_qnode_describe(q->kids[i], out)))
            return st;
    }
    return att_buf_putc(out, ')');
}
