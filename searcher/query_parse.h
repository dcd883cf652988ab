/*
 * query_parse.h: the query language front end (query_parse.c): user text
 * to a query tree (common/qtree.h), or an honest error with a position.
 */
#ifndef ATT_QUERY_PARSE_H
#define ATT_QUERY_PARSE_H

#include "../common/analyze.h"
#include "../common/qtree.h"

/* Parses `query`.  Returns ATT_OK with *out set; ATT_EMPTY_QUERY (nothing
 * to search for) or ATT_QUERY_SYNTAX, both with the byte position of the
 * problem in att_last_error_position(); ATT_NO_MEMORY. */
att_status att_query_parse(att_analyzer *an, const char *query,
                           att_qnode **out);

#endif
