/*
 * qtree.h: the query tree, the hand-over between the query parser
 * (searcher/query_parse.c), which builds it from the user's text, and the
 * shim (common/xapian/), which turns it into a Xapian::Query.  It is plain
 * C so that parsing, and the honest error messages with positions that come
 * with it, stay in our code rather than in Xapian's QueryParser.
 *
 * Terms in the tree are complete index terms, prefix included.
 */
#ifndef ATT_QTREE_H
#define ATT_QTREE_H

#include "internal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum att_qkind {
    ATT_Q_TERM,      /* term: a word's stem (ranked) */
    ATT_Q_FILTER,    /* term: a boolean filter (id:, source:), not ranked */
    ATT_Q_PHRASE,    /* kids: terms in order, adjacent */
    ATT_Q_NEAR,      /* kids: terms within `window` positions; in order if
                        `ordered` (NEAR/n, ADJ/n) */
    ATT_Q_AND,       /* kids: all must match */
    ATT_Q_OR,        /* kids: any may match */
    ATT_Q_AND_NOT,   /* kids[0] and not kids[1] */
    ATT_Q_MATCH_ALL, /* every article (left side of a lone NOT) */
    ATT_Q_AND_MAYBE, /* kids[0] must match; kids[1] adds weight if it does
                        (+word among optional words, ATT_DEFAULT_OR) */
    ATT_Q_WILDCARD,  /* term: field prefix + folded word start (negotiat*);
                        search.c expands it, through the index's word list,
                        into an OR of the matching words' terms (kids)
                        before the tree reaches the shim */
    ATT_Q_RANGE,     /* a value range on `slot`: lo <= value <= hi, either
                        end open when empty (date:2024-10, date:..2024) */
    ATT_Q_SYNONYM    /* kids: alternatives that count as one term for BM25
                        (what was typed, and the entity it names:
                        searcher/query_entities.c) */
} att_qkind;

typedef struct att_qnode {
    att_qkind kind;
    char *term;            /* ATT_Q_TERM, ATT_Q_FILTER */
    size_t term_len;
    struct att_qnode **kids;
    size_t n_kids;
    size_t cap_kids;
    size_t qpos;           /* byte offset in the query text */
    char *alt;             /* ATT_Q_TERM for an exact form (E prefix) inside a
                              phrase or NEAR: the stem term that carries the
                              positions (exact forms have none);
                              ATT_Q_WILDCARD: the term prefix of the field
                              ("" text, "S" title, "E" exact forms) */
    size_t alt_len;
    uint32_t window;       /* ATT_Q_NEAR: the span of positions, as Xapian's
                              OP_NEAR / OP_PHRASE window */
    bool ordered;          /* ATT_Q_NEAR: in the given order (ADJ) */
    size_t qlen;           /* ATT_Q_TERM from a plain word: the word's
                              length in the query (for suggestions); 0
                              when the term is not one typed word */
    unsigned slot;         /* ATT_Q_RANGE */
    char lo[9], hi[9];     /* ATT_Q_RANGE: YYYYMMDD or "" (open end) */
    bool expanded;         /* ATT_Q_WILDCARD: kids hold the expansion */
    bool stopword;         /* ATT_Q_TERM from a plain word that is an
                              English stop word (searcher/stopwords.c) */
    bool entity;           /* ATT_Q_TERM: an entity term (XP, XO, XL),
                              which has no words to highlight */
    size_t src_len;        /* a plain word or quoted phrase (no field, sign,
                              = or *): the length of its text in the query,
                              which starts at `src`; 0 otherwise */
    size_t src;
    bool quoted;           /* that text was between quotes */
    double scale;          /* the node's weight is multiplied by this
                              (0: as is, like 1) */
    bool rank_only;        /* it only adds weight to articles its words
                              already match (the proximity pairs of
                              natural-language queries): the highlighter
                              leaves it out */
} att_qnode;

att_qnode *att_qnode_new(att_qkind kind, size_t qpos);
att_qnode *att_qnode_term(att_qkind kind, const char *term, size_t len,
                          size_t qpos);
/* Appends `kid` (ownership passes to `parent`, also on failure). */
att_status att_qnode_add(att_qnode *parent, att_qnode *kid);
void att_qnode_free(att_qnode *q);

/* Appends a readable form of the tree (for tests and debugging). */
att_status att_qnode_describe(const att_qnode *q, att_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* ATT_QTREE_H */
