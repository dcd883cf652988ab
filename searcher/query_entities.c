/*
 * query_entities.c: entities in queries (docs/QUERY-SYNTAX.md).
 *
 *  - The fields person:, org: and place: canonicalise what the user typed
 *    through the built-in dictionary (common/entity_dict.h), so that
 *    org:TTP, org:"Pakistani Taliban" and org:Tehreek-e-Taliban are one
 *    filter: the entity's term (XP, XO, XL + id).  A name the dictionary
 *    does not hold becomes the id the indexer gives such a name (its words
 *    joined by '-').  For people, the filter also takes the articles where
 *    the typed words are part of a fuller name the indexer found
 *    (person:"Ishaq Dar" finds "Mohammad Ishaq Dar"): the person name-part
 *    terms (XPN, common/xapian/schema.h).
 *  - Plain words that name a dictionary entity also find the articles
 *    that name it otherwise: a run of adjacent plain words (or a quoted
 *    phrase) that is one of the dictionary's names becomes a synonym of
 *    the words and the entity's term, so `Tehreek-e-Taliban` finds the
 *    articles that only say "TTP".  An abbreviation counts only in the
 *    case it is written in ("WHO", not "who"), and demonyms are not
 *    expanded, so ordinary words keep their meaning.
 */
#include "query_entities.h"

#include "../common/entity_dict.h"
#include "../common/xapian/schema.h"

#include <string.h>

static const char *const PREFIX[ATT_ETYPE_COUNT] = {
    ATT_PREFIX_PERSON, ATT_PREFIX_ORG, ATT_PREFIX_PLACE};

/* Words of a name joined by '-': the id the indexer gives a name that is
 * not in the dictionary (common/entities.c). */
typedef struct slug_ctx {
    att_buf *out;
    size_t n;
} slug_ctx;

static att_status slug_word(void *vctx, const att_token *tok)
{
    slug_ctx *c = vctx;
    att_status st;
    if (c->n++ && (st = att_buf_putc(c->out, '-')))
        return st;
    for (size_t i = 0; i < tok->form_len; i++)
        if (tok->form[i] != '\'' && (st = att_buf_putc(c->out, tok->form[i])))
            return st;
    return ATT_OK;
}

static att_status add_filter(att_qnode *list, const char *prefix,
                             const char *id, size_t n, size_t qpos,
                             att_buf *term)
{
    term->len = 0;
    att_status st;
    if ((st = att_buf_puts(term, prefix)) ||
        (st = att_buf_append(term, id, n)))
        return st;
    return att_qnode_add(list, att_qnode_term(ATT_Q_FILTER, term->data,
                                              term->len, qpos));
}

att_status att_qentity_filter(att_analyzer *an, int type, const char *text,
                              size_t len, size_t qpos, att_qnode **out)
{
    *out = NULL;
    const att_dict *d = att_dict_builtin();
    if (!d)
        return att_error_prefix("cannot read the entity dictionary");
    att_qnode *alt = att_qnode_new(ATT_Q_OR, qpos);
    if (!alt)
        return att_error_nomem();
    att_buf term = ATT_BUF_INIT, slug = ATT_BUF_INIT;
    att_status st = ATT_OK;
    int32_t e = att_dict_lookup_ex(d, an, type, text, len,
                                   type == ATT_ETYPE_PLACE ? ATT_DLOOK_DEMONYMS
                                                           : 0);
    slug_ctx c = {&slug, 0};
    if ((st = att_analyze(an, text, len, slug_word, &c)))
        goto out;
    if (e < 0 && (!c.n || slug.len > 100)) {
        st = att_error_set_at(ATT_QUERY_SYNTAX, (long)qpos,
                              "%s: needs a name, as in %s",
                              type == ATT_ETYPE_PERSON ? "person"
                              : type == ATT_ETYPE_ORG  ? "org"
                                                       : "place",
                              type == ATT_ETYPE_PERSON ? "person:\"Ishaq Dar\""
                              : type == ATT_ETYPE_ORG  ? "org:NATO"
                                                       : "place:Kabul");
        goto out;
    }
    if (e >= 0) {
        const char *id = att_dict_entity_at(d, (size_t)e)->id;
        st = add_filter(alt, PREFIX[type], id, strlen(id), qpos, &term);
    } else {
        st = add_filter(alt, PREFIX[type], slug.data, slug.len, qpos, &term);
    }
    if (!st && type == ATT_ETYPE_PERSON && c.n)
        st = add_filter(alt, ATT_PREFIX_PERSON_PART, slug.data, slug.len, qpos,
                        &term);
out:
    att_buf_free(&term);
    att_buf_free(&slug);
    if (st) {
        att_qnode_free(alt);
        return st;
    }
    if (alt->n_kids == 1) {
        *out = alt->kids[0];
        alt->n_kids = 0;
        att_qnode_free(alt);
    } else {
        *out = alt;
    }
    return ATT_OK;
}

/* Longest run of names to try, in words typed. */
#define MAX_RUN 6

static bool only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

att_status att_qentity_expand(att_analyzer *an, const char *q, att_qnode *list,
                              bool and_mode)
{
    const att_dict *d = att_dict_builtin();
    if (!d)
        return ATT_OK; /* no dictionary, no expansion: the words still work */
    att_buf term = ATT_BUF_INIT;
    att_status st = ATT_OK;
    for (size_t i = 0; i < list->n_kids; i++) {
        const att_qnode *a = list->kids[i];
        if (!a->src_len)
            continue;
        /* The longest run of adjacent plain words from i that names an
         * entity; a quoted phrase stands alone. */
        size_t run = 1;
        while (run < MAX_RUN && i + run < list->n_kids && !a->quoted) {
            const att_qnode *b = list->kids[i + run - 1], *c = list->kids[i + run];
            if (!c->src_len || c->quoted || c->src < b->src + b->src_len ||
                !only_space(q + b->src + b->src_len,
                            c->src - b->src - b->src_len))
                break;
            run++;
        }
        int32_t e = -1;
        for (; run > 0 && e < 0; run--) {
            const att_qnode *z = list->kids[i + run - 1];
            e = att_dict_lookup_ex(d, an, -1, q + a->src,
                                   z->src + z->src_len - a->src,
                                   ATT_DLOOK_ABBR_CASE);
            if (e >= 0)
                break;
        }
        if (e < 0)
            continue;
        const att_dict_entity *de = att_dict_entity_at(d, (size_t)e);
        term.len = 0;
        if ((st = att_buf_puts(&term, PREFIX[de->type])) ||
            (st = att_buf_puts(&term, de->id)))
            break;
        att_qnode *et = att_qnode_term(ATT_Q_TERM, term.data, term.len, a->src);
        if (!et) {
            st = att_error_nomem();
            break;
        }
        et->entity = true;
        /* The words: one node, or the run's words together. */
        att_qnode *words = list->kids[i];
        if (run > 1) {
            words = att_qnode_new(and_mode ? ATT_Q_AND : ATT_Q_OR, a->src);
            if (!words) {
                att_qnode_free(et);
                st = att_error_nomem();
                break;
            }
            for (size_t k = 0; k < run; k++)
                if ((st = att_qnode_add(words, list->kids[i + k])))
                    break;
            if (st) {
                /* the kids already moved belong to `words` now */
                for (size_t k = 0; k < run; k++)
                    list->kids[i + k] = NULL;
                att_qnode_free(words);
                att_qnode_free(et);
                break;
            }
        }
        att_qnode *syn = att_qnode_new(ATT_Q_SYNONYM, a->src);
        if (!syn) {
            if (run > 1) {
                for (size_t k = 0; k < run; k++)
                    list->kids[i + k] = NULL;
                att_qnode_free(words);
            }
            att_qnode_free(et);
            st = att_error_nomem();
            break;
        }
        /* att_qnode_add frees the kid on failure, so the list must not
         * hold it any more either way. */
        list->kids[i] = syn;
        for (size_t k = 1; k < run; k++)
            list->kids[i + k] = NULL;
        if ((st = att_qnode_add(syn, words))) {
            att_qnode_free(et);
            break;
        }
        if ((st = att_qnode_add(syn, et)))
            break;
        /* Close the gap the run left. */
        if (run > 1) {
            memmove(&list->kids[i + 1], &list->kids[i + run],
                    (list->n_kids - i - run) * sizeof *list->kids);
            list->n_kids -= run - 1;
        }
    }
    /* A failure may leave NULL holes: drop them so the list stays valid. */
    size_t k = 0;
    for (size_t i = 0; i < list->n_kids; i++)
        if (list->kids[i])
            list->kids[k++] = list->kids[i];
    list->n_kids = k;
    att_buf_free(&term);
    return st;
}
