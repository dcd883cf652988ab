/*
 * complete.c: att_complete() (attache.h, "Completion"): candidates for
 * what a user is typing, taken from the index, so that each one finds
 * something.  The prompt's Tab key is its first user (shell_complete.c).
 *
 * Words come from the vocabulary (Xapian's spelling table: every folded
 * word form of titles and bodies, with its occurrences).
 *
 * Entities.  The index knows them by id (XP, XO, XL terms,
 * docs/INDEX-FORMAT.md), with the number of articles as the term's
 * frequency; their display names are in each article's facet list.  A
 * user types names, not ids, so three sources of candidates are merged:
 *  - the index's ids that start with the typed words as the indexer
 *    writes an id (folded words joined by '-': "ishaq d" → "ishaq-d..."),
 *    which finds every entity the tagger named, and the dictionary
 *    entities whose id is a code ("usa");
 *  - the dictionary's entities whose canonical name starts with the typed
 *    words ("afgh" → Afghanistan, id "afg"), kept when the index holds
 *    them.
 *  - the dictionary entity that the whole typed text names through an
 *    alias or abbreviation ("TTP").
 * Only when none gives anything, the dictionary's entities with a later
 * word of their name that starts with the typed words ("sharif" →
 * Shehbaz Sharif).  A candidate's `text` is its display name when the
 * field (query_entities.c) reads that name back as the same entity, else
 * its id, so that typing it always selects this one.
 *
 * Sources: the XSRC terms by the folded prefix, with their display names
 * from the facet lists.
 *
 * Costs: one term-list walk (at most TERMS_SCAN terms), one pass over the
 * dictionary's entities of the type (folding each name), one frequency
 * lookup per dictionary match and one facet-list read per candidate
 * returned that the dictionary does not name.
 */
#include "../common/entity_dict.h"
#include "../common/index.h"
#include "../common/xapian/shim_complete.h"

#include <stdlib.h>
#include <string.h>

/* Terms looked at per walk: bounds the cost of a short prefix on a big
 * index (the most frequent are then those of the first TERMS_SCAN ids). */
#define TERMS_SCAN 100000
/* Vocabulary words looked at per prefix, as for wildcards. */
#define WORDS_SCAN 200000
#define COMPLETE_MAX 10000
#define COMPLETE_DEFAULT 50

struct att_completions {
    att_completion *v;
    size_t n;
};

ATT_API void att_completions_free(att_completions *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free((char *)c->v[i].value);
        free((char *)c->v[i].text);
        free((char *)c->v[i].id);
    }
    free(c->v);
    free(c);
}

ATT_API size_t att_completions_count(const att_completions *c)
{
    return c ? c->n : 0;
}

ATT_API const att_completion *att_completions_get(const att_completions *c,
                                                  size_t i)
{
    return c && i < c->n ? &c->v[i] : NULL;
}

/* ---- candidates being gathered ----------------------------------------- */

typedef struct cand {
    char *id;
    char *value;     /* display; NULL until known */
    uint64_t count;
    int inner;       /* matched by a later word of the name only */
} cand;

typedef struct cand_list {
    cand *v;
    size_t n, cap;
} cand_list;

static void cands_free(cand_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].id);
        free(l->v[i].value);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static att_status cands_add(cand_list *l, const char *id, size_t id_len,
                            const char *value, uint64_t count, int inner)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        cand *v = att_realloc_array(l->v, cap, sizeof *v);
        if (!v)
            return att_error_nomem();
        l->v = v;
        l->cap = cap;
    }
    cand *c = &l->v[l->n];
    memset(c, 0, sizeof *c);
    if (!(c->id = att_strndup(id, id_len)) ||
        (value && !(c->value = att_strdup(value)))) {
        free(c->id);
        return att_error_nomem();
    }
    c->count = count;
    c->inner = inner;
    l->n++;
    return ATT_OK;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const cand *)a)->id, ((const cand *)b)->id);
}

/* Most articles first, then by display (or id while it is unknown). */
static int by_count(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = strcmp(x->value ? x->value : x->id, y->value ? y->value : y->id);
    return c ? c : strcmp(x->id, y->id);
}

static void sort_by_count(cand_list *l)
{
    if (l->n > 1) /* qsort() must not see the NULL of an empty list */
        qsort(l->v, l->n, sizeof *l->v, by_count);
}

/* ---- folded words ------------------------------------------------------ */

/* The folded words of a text, and whether its last word is unfinished
 * (the text ends inside it: it is a prefix). */
typedef struct words {
    char **w;
    size_t n, cap;
    size_t last_end;
} words;

static void words_free(words *ws)
{
    for (size_t i = 0; i < ws->n; i++)
        free(ws->w[i]);
    free(ws->w);
    memset(ws, 0, sizeof *ws);
}

static att_status take_form(void *vctx, const att_token *t)
{
    words *ws = vctx;
    if (ws->n == ws->cap) {
        size_t cap = ws->cap ? 2 * ws->cap : 8;
        char **w = att_realloc_array(ws->w, cap, sizeof *w);
        if (!w)
            return att_error_nomem();
        ws->w = w;
        ws->cap = cap;
    }
    if (!(ws->w[ws->n] = att_strndup(t->form, t->form_len)))
        return att_error_nomem();
    ws->n++;
    ws->last_end = t->end;
    return ATT_OK;
}

static att_status fold_words(att_analyzer *an, const char *text, words *ws)
{
    memset(ws, 0, sizeof *ws);
    att_status st = att_analyze(an, text, strlen(text), take_form, ws);
    if (st)
        words_free(ws);
    return st;
}

/* Whether name words n[k...] start with the typed words p: every typed
 * word equal, the last one a prefix when `partial`. */
static bool match_at(const words *n, size_t k, const words *p, bool partial)
{
    if (k + p->n > n->n)
        return false;
    for (size_t i = 0; i < p->n; i++) {
        const char *a = n->w[k + i], *b = p->w[i];
        if (i + 1 == p->n && partial ? strncmp(a, b, strlen(b)) != 0
                                     : strcmp(a, b) != 0)
            return false;
    }
    return true;
}

/* The id the indexer gives a name the dictionary does not hold: its
 * folded words joined by '-', apostrophes dropped (query_entities.c). */
static att_status slug_of(const words *ws, att_buf *out)
{
    out->len = 0;
    att_status st = att_buf_reserve(out, 1);
    for (size_t i = 0; !st && i < ws->n; i++) {
        if (i)
            st = att_buf_putc(out, '-');
        for (const char *c = ws->w[i]; !st && *c; c++)
            if (*c != '\'')
                st = att_buf_putc(out, *c);
    }
    if (!st)
        out->data[out->len] = '\0';
    return st;
}

/* ---- entities ------------------------------------------------------------ */

static const char *const TERM_PREFIX[ATT_ETYPE_COUNT] = {
    ATT_PREFIX_PERSON, ATT_PREFIX_ORG, ATT_PREFIX_PLACE};
static const char FACET_KIND[ATT_ETYPE_COUNT] = {
    ATT_FACET_REC_PERSON, ATT_FACET_REC_ORG, ATT_FACET_REC_PLACE};

typedef struct walk_ctx {
    cand_list *l;
    const char *slug;  /* typed words as an id */
    size_t slug_len;
    bool partial;
} walk_ctx;

static att_status walk_term(void *vctx, const char *rest, size_t len,
                            uint64_t count)
{
    walk_ctx *c = vctx;
    /* Upper case: another prefix that starts like this one (XPN after
     * XP); ids are lower case. */
    if (!len || (rest[0] >= 'A' && rest[0] <= 'Z') || !count)
        return ATT_OK;
    /* a finished last word must end where a word of the id ends */
    if (!c->partial && c->slug_len && len > c->slug_len &&
        rest[c->slug_len] != '-')
        return ATT_OK;
    return cands_add(c->l, rest, len, NULL, count, 0);
}

/* Whether the field would read `value` as entity `id` of `type`. */
static att_status reads_back(att_index *ix, const att_dict *d, att_etype type,
                             const char *value, const char *id, bool *same)
{
    *same = false;
    int32_t e = att_dict_lookup_ex(d, ix->an, (int)type, value, strlen(value),
                                   type == ATT_ETYPE_PLACE ? ATT_DLOOK_DEMONYMS
                                                           : 0);
    if (e >= 0) {
        *same = strcmp(att_dict_entity_at(d, (size_t)e)->id, id) == 0;
        return ATT_OK;
    }
    words ws;
    att_buf slug = ATT_BUF_INIT;
    att_status st = fold_words(ix->an, value, &ws);
    if (!st && !(st = slug_of(&ws, &slug)))
        *same = strcmp(slug.data, id) == 0;
    words_free(&ws);
    att_buf_free(&slug);
    return st;
}

static att_status complete_entity(att_index *ix, att_etype type,
                                  const char *prefix, size_t max,
                                  cand_list *out)
{
    const att_dict *d = att_dict_builtin();
    if (!d)
        return att_error_prefix("cannot read the entity dictionary");
    words p, nm;
    memset(&nm, 0, sizeof nm);
    att_buf slug = ATT_BUF_INIT, term = ATT_BUF_INIT;
    cand_list inner = {0};
    att_status st = fold_words(ix->an, prefix, &p);
    if (st)
        return st;
    bool partial = p.n && p.last_end == strlen(prefix);
    if ((st = slug_of(&p, &slug)) ||
        (st = att_buf_puts(&term, TERM_PREFIX[type])) ||
        (st = att_buf_append(&term, slug.data, slug.len)))
        goto out;
    /* 1. ids that start with the typed words, in id order */
    walk_ctx wc = {out, slug.data, slug.len, partial};
    if ((st = att_shim_terms_with_prefix(ix->db, term.data, term.len,
                                         strlen(TERM_PREFIX[type]), TERMS_SCAN,
                                         walk_term, &wc)))
        goto out;
    size_t walked = out->n;
    /* 2. the dictionary's names */
    for (size_t i = 0; i < att_dict_count(d); i++) {
        const att_dict_entity *e = att_dict_entity_at(d, i);
        if (e->type != type)
            continue;
        words_free(&nm);
        if ((st = fold_words(ix->an, e->name, &nm)))
            goto out;
        int cls = match_at(&nm, 0, &p, partial) ? 0 : -1;
        for (size_t k = 1; cls < 0 && k < nm.n; k++)
            if (match_at(&nm, k, &p, partial))
                cls = 1;
        if (cls < 0)
            continue;
        cand key = {(char *)e->id, NULL, 0, 0};
        cand *have = walked ? bsearch(&key, out->v, walked, sizeof *out->v,
                                      by_id)
                            : NULL;
        if (have) {
            have->inner = 0;
            continue;
        }
        uint64_t tf = 0;
        term.len = 0;
        if ((st = att_buf_puts(&term, TERM_PREFIX[type])) ||
            (st = att_buf_puts(&term, e->id)) ||
            (st = att_shim_termfreq(ix->db, term.data, term.len, &tf)))
            goto out;
        if (tf && (st = cands_add(cls ? &inner : out, e->id, strlen(e->id),
                                  e->name, tf, cls)))
            goto out;
    }
    /* 3. the entity the typed text names as a whole, through one of its
     * aliases or abbreviations ("TTP", "Pakistani Taliban") */
    int32_t named = p.n ? att_dict_lookup(d, ix->an, type, prefix,
                                          strlen(prefix))
                        : -1;
    if (named >= 0) {
        const att_dict_entity *e = att_dict_entity_at(d, (size_t)named);
        bool have = false;
        for (size_t i = 0; i < out->n && !have; i++)
            have = strcmp(out->v[i].id, e->id) == 0;
        uint64_t tf = 0;
        term.len = 0;
        if (!have &&
            ((st = att_buf_puts(&term, TERM_PREFIX[type])) ||
             (st = att_buf_puts(&term, e->id)) ||
             (st = att_shim_termfreq(ix->db, term.data, term.len, &tf)) ||
             (tf && (st = cands_add(out, e->id, strlen(e->id), e->name, tf,
                                    0)))))
            goto out;
    }
    /* 4. later words of a name, when nothing starts with the typed ones */
    if (!out->n && p.n) {
        cands_free(out);
        *out = inner;
        memset(&inner, 0, sizeof inner);
    }
    sort_by_count(out);
    while (out->n > max) {
        out->n--;
        free(out->v[out->n].id);
        free(out->v[out->n].value);
    }
    /* display names: the dictionary's, or an article's */
    for (size_t i = 0; i < out->n; i++) {
        cand *c = &out->v[i];
        if (c->value)
            continue;
        int32_t e = att_dict_find_id(d, type, c->id);
        if (e >= 0) {
            if (!(c->value = att_strdup(att_dict_entity_at(d, (size_t)e)->name))) {
                st = att_error_nomem();
                goto out;
            }
            continue;
        }
        term.len = 0;
        if ((st = att_buf_puts(&term, TERM_PREFIX[type])) ||
            (st = att_buf_puts(&term, c->id)) ||
            (st = att_shim_facet_display(ix->db, term.data, term.len,
                                         FACET_KIND[type], c->id,
                                         strlen(c->id), &c->value)))
            goto out;
        if (!c->value && !(c->value = att_strdup(c->id))) {
            st = att_error_nomem();
            goto out;
        }
    }
    sort_by_count(out);
out:
    words_free(&p);
    words_free(&nm);
    cands_free(&inner);
    att_buf_free(&slug);
    att_buf_free(&term);
    return st;
}

/* ---- sources and words ---------------------------------------------------- */

static att_status walk_source(void *vctx, const char *rest, size_t len,
                              uint64_t count)
{
    cand_list *l = vctx;
    return len && count ? cands_add(l, rest, len, NULL, count, 0) : ATT_OK;
}

static att_status complete_source(att_index *ix, const char *prefix,
                                  size_t max, cand_list *out)
{
    att_buf fold = ATT_BUF_INIT, term = ATT_BUF_INIT;
    att_status st;
    if ((st = att_source_fold(prefix, &fold)) ||
        (st = att_buf_puts(&term, ATT_PREFIX_SOURCE)) ||
        (st = att_buf_append(&term, fold.data, fold.len)) ||
        (st = att_shim_terms_with_prefix(ix->db, term.data, term.len,
                                         strlen(ATT_PREFIX_SOURCE), TERMS_SCAN,
                                         walk_source, out)))
        goto out;
    sort_by_count(out);
    while (out->n > max) {
        out->n--;
        free(out->v[out->n].id);
    }
    for (size_t i = 0; i < out->n; i++) {
        cand *c = &out->v[i];
        term.len = 0;
        if ((st = att_buf_puts(&term, ATT_PREFIX_SOURCE)) ||
            (st = att_buf_puts(&term, c->id)) ||
            (st = att_shim_facet_display(ix->db, term.data, term.len,
                                         ATT_FACET_REC_SOURCE, c->id,
                                         strlen(c->id), &c->value)))
            goto out;
        if (!c->value && !(c->value = att_strdup(c->id))) {
            st = att_error_nomem();
            goto out;
        }
    }
    sort_by_count(out);
out:
    att_buf_free(&fold);
    att_buf_free(&term);
    return st;
}

static att_status take_word(void *vctx, const char *w, size_t len,
                            uint64_t count)
{
    cand_list *l = vctx;
    att_status st = cands_add(l, w, len, NULL, count, 0);
    if (!st && !(l->v[l->n - 1].value = att_strndup(w, len)))
        st = att_error_nomem();
    return st;
}

static att_status complete_word(att_index *ix, const char *prefix, size_t max,
                                cand_list *out)
{
    words p;
    att_status st = fold_words(ix->an, prefix, &p);
    if (st)
        return st;
    /* one word, typed up to the end: anything else is not a word prefix */
    if (p.n == 1 && p.last_end == strlen(prefix))
        st = att_shim_vocabulary(ix->db, p.w[0], strlen(p.w[0]), max,
                                 WORDS_SCAN, take_word, out);
    words_free(&p);
    return st;
}

/* ---- the API ---------------------------------------------------------------- */

ATT_API att_status att_complete(att_completions **out, att_index *ix,
                                att_complete_field field, const char *prefix,
                                const att_complete_options *opts)
{
    if (!out)
        return att_error_set(ATT_INVALID, "att_complete: out is NULL");
    *out = NULL;
    if (!ix || !prefix)
        return att_error_set(ATT_INVALID, "att_complete: NULL argument");
    if (opts && opts->version != ATT_COMPLETE_OPTIONS_VERSION)
        return att_error_set(ATT_INVALID,
                             "att_complete: options version %d, expected %d "
                             "(initialise with ATT_COMPLETE_OPTIONS_INIT)",
                             opts->version, ATT_COMPLETE_OPTIONS_VERSION);
    size_t max = opts && opts->max ? opts->max : COMPLETE_DEFAULT;
    if (max > COMPLETE_MAX)
        return att_error_set(ATT_INVALID,
                             "att_complete: max %zu out of range (at most %d)",
                             max, COMPLETE_MAX);
    if (!att_utf8_valid(prefix, strlen(prefix), NULL))
        return att_error_set(ATT_INVALID, "att_complete: prefix is not UTF-8");
    cand_list l = {0};
    att_status st;
    switch (field) {
    case ATT_COMPLETE_WORD: st = complete_word(ix, prefix, max, &l); break;
    case ATT_COMPLETE_PERSON:
        st = complete_entity(ix, ATT_ETYPE_PERSON, prefix, max, &l);
        break;
    case ATT_COMPLETE_ORG:
        st = complete_entity(ix, ATT_ETYPE_ORG, prefix, max, &l);
        break;
    case ATT_COMPLETE_PLACE:
        st = complete_entity(ix, ATT_ETYPE_PLACE, prefix, max, &l);
        break;
    case ATT_COMPLETE_SOURCE: st = complete_source(ix, prefix, max, &l); break;
    default:
        return att_error_set(ATT_INVALID, "att_complete: unknown field %d",
                             (int)field);
    }
    att_completions *c = NULL;
    if (st)
        goto out;
    const att_dict *d = NULL;
    if (field != ATT_COMPLETE_WORD && field != ATT_COMPLETE_SOURCE &&
        !(d = att_dict_builtin())) {
        st = att_error_prefix("cannot read the entity dictionary");
        goto out;
    }
    if (!(c = calloc(1, sizeof *c)) ||
        (l.n && !(c->v = calloc(l.n, sizeof *c->v)))) {
        st = att_error_nomem();
        goto out;
    }
    att_buf fold = ATT_BUF_INIT;
    for (size_t i = 0; i < l.n && !st; i++) {
        cand *k = &l.v[i];
        bool same = true;
        if (field == ATT_COMPLETE_SOURCE) {
            if (!(st = att_source_fold(k->value, &fold)))
                same = fold.len == strlen(k->id) &&
                       memcmp(fold.data, k->id, fold.len) == 0;
        } else if (d) {
            st = reads_back(ix, d,
                            field == ATT_COMPLETE_PERSON ? ATT_ETYPE_PERSON
                            : field == ATT_COMPLETE_ORG  ? ATT_ETYPE_ORG
                                                         : ATT_ETYPE_PLACE,
                            k->value, k->id, &same);
        }
        if (st)
            break;
        att_completion *v = &c->v[i];
        v->text = att_strdup(same ? k->value : k->id);
        if (!v->text) {
            st = att_error_nomem();
            break;
        }
        v->value = k->value;
        v->id = k->id;
        v->count = k->count;
        k->value = k->id = NULL;
        c->n = i + 1;
    }
    att_buf_free(&fold);
    if (st)
        goto out;
    *out = c;
    c = NULL;
out:
    att_completions_free(c);
    cands_free(&l);
    return st;
}
