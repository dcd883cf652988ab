/*
 * mark.c: att_mark_article() (attache.h, "One article in full"): the
 * stored article with what a query matches marked in its whole title and
 * body, for a reader who opens one hit (the prompt's :open).
 *
 * It parses the query as att_search() does (query_parse.c, with the same
 * default operator, wildcards expanded through the vocabulary), compiles
 * the highlighter's match units (highlight.c) and runs them over the
 * whole of each field: so the words marked are exactly those a snippet of
 * the same search marks, only all of them.  Rarity weights, which only
 * choose fragments, are not needed.
 */
#include "../common/index.h"
#include "highlight.h"
#include "query_parse.h"
#include "wildcards.h"

#include <stdlib.h>
#include <string.h>

struct att_marked {
    att_article *a;
    att_snippet title, body;
    bool has_title, has_body;
};

ATT_API void att_marked_free(att_marked *m)
{
    if (!m)
        return;
    if (m->has_title)
        att_hl_snippets_clear(&m->title, 1);
    if (m->has_body)
        att_hl_snippets_clear(&m->body, 1);
    att_article_free(m->a);
    free(m);
}

ATT_API const att_article *att_marked_article(const att_marked *m)
{
    return m ? m->a : NULL;
}

ATT_API const att_snippet *att_marked_title(const att_marked *m)
{
    return m && m->has_title ? &m->title : NULL;
}

ATT_API const att_snippet *att_marked_body(const att_marked *m)
{
    return m && m->has_body ? &m->body : NULL;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* The default operator of version 2 or 3 options (version 1 had none). */
static att_status default_or(const att_search_options *o, bool *out)
{
    *out = false;
    if (!o)
        return ATT_OK;
    if (o->version < 1 || o->version > ATT_SEARCH_OPTIONS_VERSION)
        return att_error_set(ATT_INVALID,
                             "att_mark_article: options version %d, expected "
                             "%d (initialise with ATT_SEARCH_OPTIONS_INIT)",
                             o->version, ATT_SEARCH_OPTIONS_VERSION);
    if (o->version >= 2) {
        if (o->default_op != ATT_DEFAULT_AND && o->default_op != ATT_DEFAULT_OR)
            return att_error_set(ATT_INVALID,
                                 "att_mark_article: unknown default operator "
                                 "%d",
                                 (int)o->default_op);
        *out = o->default_op == ATT_DEFAULT_OR;
    }
    return ATT_OK;
}

ATT_API att_status att_mark_article(att_marked **out, att_index *ix,
                                    const char *id, const char *query,
                                    const att_search_options *opts)
{
    if (!out)
        return att_error_set(ATT_INVALID, "att_mark_article: out is NULL");
    *out = NULL;
    if (!ix || !id)
        return att_error_set(ATT_INVALID, "att_mark_article: NULL argument");
    bool any = false;
    att_status st = default_or(opts, &any);
    if (st)
        return st;
    att_qnode *q = NULL;
    att_hl *hl = NULL;
    att_marked *m = calloc(1, sizeof *m);
    if (!m)
        return att_error_nomem();
    if (query && !blank(query)) {
        att_qparse_opts po = {.default_or = any}; /* no proximity pairs: they only rank */
        if ((st = att_query_parse_ex(ix->an, query, &po, &q))) {
            st = att_error_prefix("query \"%s\"", query);
            goto out;
        }
        if ((st = att_wildcards_expand(ix, q)))
            goto out;
    } else if (!(q = att_qnode_new(ATT_Q_MATCH_ALL, 0))) {
        st = att_error_nomem();
        goto out;
    }
    if ((st = att_hl_compile(q, &hl)) || (st = att_index_get(&m->a, ix, id)))
        goto out;
    const att_article *a = m->a;
    if (a->title) {
        if ((st = att_hl_whole(ix->an, hl, ATT_HL_TITLE, a->title,
                               a->title_len, &m->title)))
            goto out;
        m->has_title = true;
    }
    if (a->body) {
        if ((st = att_hl_whole(ix->an, hl, ATT_HL_BODY, a->body, a->body_len,
                               &m->body)))
            goto out;
        m->has_body = true;
    }
    *out = m;
    m = NULL;
out:
    att_marked_free(m);
    att_hl_free(hl);
    att_qnode_free(q);
    return st;
}
