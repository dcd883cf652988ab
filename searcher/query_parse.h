/*
 * query_parse.h: the query language front end (query_parse.c): user text
 * to a query tree (common/qtree.h), or an honest error with a position.
 */
#ifndef ATT_QUERY_PARSE_H
#define ATT_QUERY_PARSE_H

#include "../common/analyze.h"
#include "../common/qtree.h"

typedef struct att_qparse_opts {
    bool default_or; /* juxtaposed words are ORed (ATT_DEFAULT_OR) */
    int today;       /* YYYYMMDD for relative dates; 0 = att_date_today() */
    bool no_expansion; /* leave plain words that name an entity as they
                          are (query_entities.c): for tests of the tree */
    /* default_or: two consecutive optional words (stop words between
     * them aside) also form a NEAR/proximity_window pair whose weight
     * is scaled by `proximity` (0: no pairs). */
    double proximity;
    uint32_t proximity_window;
    /* default_or: a word or a proximity pair typed more than once counts
     * each time (false: once, the engine's choice for questions). */
    bool count_repeats;
} att_qparse_opts;

/* Parses `query` with `opts` (NULL: AND between words, today's date).  Returns ATT_OK with *out set; ATT_EMPTY_QUERY (nothing
 * to search for) or ATT_QUERY_SYNTAX, both with the byte position of the
 * problem in att_last_error_position(); ATT_NO_MEMORY. */
att_status att_query_parse_ex(att_analyzer *an, const char *query,
                              const att_qparse_opts *opts, att_qnode **out);
/* att_query_parse_ex() with opts NULL. */
att_status att_query_parse(att_analyzer *an, const char *query,
                           att_qnode **out);

#endif
