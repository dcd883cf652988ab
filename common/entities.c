/*
 * entities.c: the entity pipeline (entities.h): tokens, the dictionary's
 * names and the tagger's spans become mentions of canonical entities, and
 * the public att_entities_extract().
 *
 * For one document (an article's title and body):
 *  1. Tokens (etokens.c), the dictionary's names in them (entity_dict.c)
 *     and the tagger's spans (ner.c, which also reads the dictionary's
 *     names as features).
 *  2. Names of the dictionary.  A name inside a longer span of the tagger
 *     that holds other capitalised words is part of another name and is
 *     dropped: "England" in "Bank of England", "Kabul" in "Kabul Times".
 *     A name shared by entities of several types takes the type of the
 *     tagger's span over it, else the first listed.  A demonym counts as
 *     its country only when it stands alone, before a word that is not
 *     capitalised ("Afghan authorities", not "Afghan Taliban").
 *  3. The tagger's spans that no name of the dictionary overlaps: a
 *     place or organisation the dictionary knows under that name
 *     (whatever the capitalisation) becomes that entity; others get an id
 *     made from their words ("directorate-national-intelligence").  MISC
 *     spans (nationalities, events) make no entity.
 *  4. Acronyms defined in the text: "Tehrik-i-Taliban Pakistan (TTP)"
 *     makes every later (and earlier) "TTP" of the document that entity,
 *     when the acronym's letters are the initials of the name's words in
 *     order.  This overrides the dictionary for that document.
 *     In a title-cased sentence (a heading) the tagger's spans count only
 *     for names the rest of the text also gives (mark_headlines()).
 *  5. People: each person mention joins the earlier person whose name
 *     contains its words in order ("Dar" and "Ishaq Dar" join "Mohammad
 *     Ishaq Dar"); when two earlier people could be meant, the mention is
 *     left out rather than guessed; a longer form of an earlier shorter
 *     name extends it.  The person's id and display name are the fullest
 *     form, or the dictionary's when any form is in the dictionary.
 */
#include "entities.h"
#include "ner.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* The tagger's types, in the order of its tag names' suffixes. */
enum { SPAN_PER, SPAN_ORG, SPAN_LOC, SPAN_MISC };

typedef struct span {
    size_t s, e;      /* tokens [s, e) */
    int type;
} span;

/* A person of the document (step 5). */
typedef struct person {
    uint32_t entity;
    size_t words;     /* offset of the folded words ("a b c") in x->words */
    size_t words_len;
} person;

struct att_extractor {
    const att_dict *dict;
    att_ner_tagger *tagger;
    att_analyzer *an;
    att_etoken *toks;
    size_t n_toks, cap_toks;
    uint32_t *field;          /* per token */
    uint16_t *marks;
    uint8_t *tags;
    int32_t *owner;           /* per token: the mention covering it, or -1 */
    bool *headline;           /* per token: in a title-cased sentence */
    size_t cap_tok_arrays;
    span *spans;
    size_t n_spans, cap_spans;
    att_eentity *ents;
    size_t n_ents, cap_ents;
    att_emention *ments;
    size_t n_ments, cap_ments;
    person *people;
    size_t n_people, cap_people;
    att_buf pool;             /* ids and names of entities not in the
                                 dictionary; offsets until the end */
    size_t *ent_id_off, *ent_name_off;
    uint64_t *lower;          /* hashes of the words written in lower
                                 case in the text (open addressing) */
    size_t cap_lower;
    att_buf words;            /* people's folded words */
    att_buf scratch;
    att_eresult result;
};

att_status att_extractor_new(att_extractor **out)
{
    *out = NULL;
    const att_dict *d = att_dict_builtin();
    if (!d)
        return att_error_prefix("cannot load the entity dictionary");
    const att_ner_model *m = att_ner_builtin();
    if (!m)
        return att_error_prefix("cannot load the entity tagger's model");
    att_extractor *x = calloc(1, sizeof *x);
    if (!x)
        return att_error_nomem();
    x->dict = d;
    att_status st = att_analyzer_new(&x->an);
    if (st || (st = att_ner_tagger_new(&x->tagger, m))) {
        att_extractor_free(x);
        return st;
    }
    *out = x;
    return ATT_OK;
}

void att_extractor_free(att_extractor *x)
{
    if (!x)
        return;
    att_analyzer_free(x->an);
    att_ner_tagger_free(x->tagger);
    free(x->toks);
    free(x->field);
    free(x->marks);
    free(x->tags);
    free(x->owner);
    free(x->headline);
    free(x->spans);
    free(x->ents);
    free(x->ments);
    free(x->people);
    free(x->ent_id_off);
    free(x->ent_name_off);
    free(x->lower);
    att_buf_free(&x->pool);
    att_buf_free(&x->words);
    att_buf_free(&x->scratch);
    free(x);
}

/* ---- small helpers ------------------------------------------------------- */

#define GROW(arr, n, cap, init)                                             \
    do {                                                                    \
        if ((n) == (cap)) {                                                 \
            size_t c_ = (cap) ? (cap) * 2 : (init);                         \
            void *p_ = att_realloc_array((arr), c_, sizeof *(arr));         \
            if (!p_)                                                        \
                return att_error_nomem();                                   \
            (arr) = p_;                                                     \
            (cap) = c_;                                                     \
        }                                                                   \
    } while (0)

static bool tok_is(const att_etoken *t, const char *s)
{
    return t->len == strlen(s) && memcmp(t->text, s, t->len) == 0;
}

static bool first_upper(const char *s, size_t n)
{
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(s, i, (int32_t)n, c);
    return c >= 0 && (u_isupper(c) || u_istitle(c));
}

static bool first_letter(const char *s, size_t n)
{
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(s, i, (int32_t)n, c);
    return c >= 0 && u_isalpha(c);
}

/* Folded words of tokens [s, e) into `out` joined by `sep` (apostrophes
 * dropped): the material of ids and of person matching. */
typedef struct fold_ctx {
    att_buf *out;
    char sep;
    size_t n;
} fold_ctx;

static att_status fold_cb(void *vctx, const att_token *tok)
{
    fold_ctx *c = vctx;
    att_status st;
    if (c->n++ && (st = att_buf_putc(c->out, c->sep)))
        return st;
    for (size_t i = 0; i < tok->form_len; i++)
        if (tok->form[i] != '\'' && (st = att_buf_putc(c->out, tok->form[i])))
            return st;
    return ATT_OK;
}

static att_status fold_tokens(att_extractor *x, size_t s, size_t e, char sep,
                              att_buf *out, size_t *n_words)
{
    fold_ctx c = {out, sep, 0};
    for (size_t i = s; i < e; i++) {
        const att_etoken *t = &x->toks[i];
        if (tok_is(t, "'s") || tok_is(t, "\xe2\x80\x99s"))
            continue;
        att_status st = att_analyze(x->an, t->text, t->len, fold_cb, &c);
        if (st)
            return st;
    }
    if (n_words)
        *n_words = c.n;
    return ATT_OK;
}

/* ---- entities and mentions ----------------------------------------------- */

/* The entity of the dictionary's entity `dict`, added if new. */
static att_status entity_dict(att_extractor *x, int32_t dict, uint32_t *out)
{
    for (size_t i = 0; i < x->n_ents; i++)
        if (x->ents[i].dict == dict) {
            *out = (uint32_t)i;
            return ATT_OK;
        }
    size_t cap = x->cap_ents;
    GROW(x->ents, x->n_ents, x->cap_ents, 32);
    if (cap != x->cap_ents) {
        size_t *a = att_realloc_array(x->ent_id_off, x->cap_ents, sizeof *a);
        if (!a)
            return att_error_nomem();
        x->ent_id_off = a;
        size_t *b = att_realloc_array(x->ent_name_off, x->cap_ents, sizeof *b);
        if (!b)
            return att_error_nomem();
        x->ent_name_off = b;
    }
    const att_dict_entity *de = att_dict_entity_at(x->dict, (size_t)dict);
    att_eentity *e = &x->ents[x->n_ents];
    e->type = de->type;
    e->dict = dict;
    e->mentions = 0;
    e->id = de->id;
    e->name = de->name;
    *out = (uint32_t)x->n_ents++;
    return ATT_OK;
}

/* The entity of type `type` not in the dictionary with the id made of
 * tokens [s, e), displayed as those tokens read; added if new.  *out is
 * UINT32_MAX when the tokens make no id (no word). */
static att_status entity_text(att_extractor *x, att_etype type, size_t s,
                              size_t e, bool only_existing, uint32_t *out)
{
    *out = UINT32_MAX;
    x->scratch.len = 0;
    size_t n_words;
    att_status st = fold_tokens(x, s, e, '-', &x->scratch, &n_words);
    if (st)
        return st;
    if (!n_words || x->scratch.len > 100)
        return ATT_OK;
    for (size_t i = 0; i < x->n_ents; i++)
        if (x->ents[i].dict < 0 && x->ents[i].type == type &&
            strcmp(x->pool.data + x->ent_id_off[i], x->scratch.data) == 0) {
            *out = (uint32_t)i;
            return ATT_OK;
        }
    if (only_existing)
        return ATT_OK;
    size_t cap = x->cap_ents;
    GROW(x->ents, x->n_ents, x->cap_ents, 32);
    if (cap != x->cap_ents) {
        size_t *a = att_realloc_array(x->ent_id_off, x->cap_ents, sizeof *a);
        if (!a)
            return att_error_nomem();
        x->ent_id_off = a;
        size_t *b = att_realloc_array(x->ent_name_off, x->cap_ents, sizeof *b);
        if (!b)
            return att_error_nomem();
        x->ent_name_off = b;
    }
    size_t i = x->n_ents;
    x->ent_id_off[i] = x->pool.len;
    if ((st = att_buf_append(&x->pool, x->scratch.data, x->scratch.len + 1)))
        return st;
    /* The display name: the tokens as written, white space as one space,
     * no space before a closing mark or after an opening one. */
    x->ent_name_off[i] = x->pool.len;
    for (size_t k = s; k < e; k++) {
        const att_etoken *t = &x->toks[k];
        bool glue = k > s && (tok_is(t, "'s") || tok_is(t, "\xe2\x80\x99s") ||
                              tok_is(t, ".") || tok_is(t, ",") ||
                              tok_is(t, ")") || tok_is(&x->toks[k - 1], "("));
        if (k > s && !glue && (st = att_buf_putc(&x->pool, ' ')))
            return st;
        for (size_t b = 0; b < t->len; b++) {
            char c = t->text[b];
            if (c == '\t' || c == '\n' || c == '\r')
                c = ' ';
            if ((st = att_buf_putc(&x->pool, c)))
                return st;
        }
    }
    if ((st = att_buf_putc(&x->pool, '\0')))
        return st;
    x->ents[i] = (att_eentity){type, NULL, NULL, 0, -1};
    x->n_ents++;
    *out = (uint32_t)i;
    return ATT_OK;
}

/* Records a mention of entity `ent` over tokens [s, e). */
static att_status mention(att_extractor *x, uint32_t ent, size_t s, size_t e,
                          const char *how)
{
    GROW(x->ments, x->n_ments, x->cap_ments, 64);
    const att_etoken *a = &x->toks[s], *b = &x->toks[e - 1];
    x->ments[x->n_ments] = (att_emention){ent, x->field[s], a->start,
                                          b->start + b->len, how};
    for (size_t k = s; k < e; k++)
        x->owner[k] = (int32_t)x->n_ments;
    x->n_ments++;
    return ATT_OK;
}

/* ---- step 2: the dictionary's names -------------------------------------- */

/* The tagger's span that covers tokens [s, e), or NULL.  The spans are in
 * token order and do not overlap, so only the last one starting at or
 * before s can cover it: a binary search (a linear scan per dictionary
 * match made long speeches quadratic). */
static const span *span_over(const att_extractor *x, size_t s, size_t e)
{
    size_t lo = 0, hi = x->n_spans; /* first span with .s > s */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->spans[mid].s <= s)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const span *sp = &x->spans[lo - 1];
    return e <= sp->e && !x->headline[sp->s] ? sp : NULL;
}

/* Whether the tagger's span holds a capitalised word outside [ms, me)
 * that no name of the dictionary covers (so the span is another name). */
static bool other_capitalised(const att_extractor *x, const span *sp,
                              size_t ms, size_t me, const att_dict_match *m,
                              size_t nm)
{
    for (size_t k = sp->s; k < sp->e; k++) {
        if (k >= ms && k < me)
            continue;
        /* A sentence's first word is capitalised anyway: the tagger's
         * "Despite Islamabad" is no person. */
        if (sp->type == SPAN_PER && x->toks[k].sent_start)
            continue;
        const att_etoken *t = &x->toks[k];
        if (!first_letter(t->text, t->len) || !first_upper(t->text, t->len))
            continue;
        bool named = false;
        for (size_t j = 0; j < nm && !named; j++)
            named = m[j].start <= k && k < m[j].start + m[j].n;
        if (!named)
            return true;
    }
    return false;
}

static att_status take_dictionary(att_extractor *x, const att_dict_match *m,
                                  size_t nm)
{
    static const att_etype SPAN_ETYPE[] = {ATT_ETYPE_PERSON, ATT_ETYPE_ORG,
                                           ATT_ETYPE_PLACE};
    for (size_t i = 0; i < nm; i++) {
        size_t s = m[i].start, e = s + m[i].n;
        const span *sp = span_over(x, s, e);
        if (sp && (sp->s < s || e < sp->e) &&
            other_capitalised(x, sp, s, e, m, nm))
            continue;
        /* Pick the sense. */
        int pick = -1;
        bool demonym = true;
        for (int k = 0; k < m[i].n_entities; k++)
            if (m[i].kinds[k] != ATT_DKIND_DEMONYM)
                demonym = false;
        if (demonym) {
            /* Alone, before a word that is not capitalised, or at the end. */
            if (sp && sp->type != SPAN_MISC && (sp->s < s || e < sp->e))
                continue;
            if (e < x->n_toks && x->field[e] == x->field[s]) {
                const att_etoken *t = &x->toks[e];
                if (first_letter(t->text, t->len) &&
                    first_upper(t->text, t->len))
                    continue;
            }
            pick = 0;
        } else {
            for (int k = 0; k < m[i].n_entities && pick < 0; k++) {
                if (m[i].kinds[k] == ATT_DKIND_DEMONYM)
                    continue;
                const att_dict_entity *de =
                    att_dict_entity_at(x->dict, m[i].entities[k]);
                if (sp && sp->type != SPAN_MISC &&
                    de->type == SPAN_ETYPE[sp->type])
                    pick = k;
            }
            for (int k = 0; k < m[i].n_entities && pick < 0; k++)
                if (m[i].kinds[k] != ATT_DKIND_DEMONYM)
                    pick = k;
        }
        uint32_t ent;
        att_status st = entity_dict(x, (int32_t)m[i].entities[pick], &ent);
        if (st || (st = mention(x, ent, s, e,
                                demonym ? "demonym" : "dictionary")))
            return st;
    }
    return ATT_OK;
}

/* ---- step 3: the tagger's other spans ------------------------------------ */

static att_status take_tagger(att_extractor *x, bool headlines)
{
    for (size_t i = 0; i < x->n_spans; i++) {
        const span *sp = &x->spans[i];
        if (sp->type == SPAN_MISC || sp->type == SPAN_PER ||
            x->headline[sp->s] != headlines)
            continue;
        bool free_span = true;
        for (size_t k = sp->s; k < sp->e && free_span; k++)
            free_span = x->owner[k] < 0;
        if (!free_span)
            continue;
        const att_etoken *a = &x->toks[sp->s], *b = &x->toks[sp->e - 1];
        if (!first_letter(a->text, a->len) && !(a->len && a->text[0] >= '0' &&
                                                a->text[0] <= '9'))
            continue;
        att_etype type = sp->type == SPAN_ORG ? ATT_ETYPE_ORG : ATT_ETYPE_PLACE;
        int32_t d = att_dict_lookup(x->dict, x->an, type, a->text,
                                    (size_t)(b->text + b->len - a->text));
        uint32_t ent;
        att_status st = d >= 0 ? entity_dict(x, d, &ent)
                               : entity_text(x, type, sp->s, sp->e, headlines,
                                             &ent);
        if (st)
            return st;
        if (ent != UINT32_MAX && (st = mention(x, ent, sp->s, sp->e, "tagger")))
            return st;
    }
    return ATT_OK;
}

/* ---- step 4: acronyms defined in the text -------------------------------- */

static bool acronym_like(const att_etoken *t)
{
    if (t->len < 2 || t->len > 10)
        return false;
    size_t upper = 0;
    for (size_t i = 0; i < t->len; i++) {
        char c = t->text[i];
        if (c >= 'A' && c <= 'Z')
            upper++;
        else if (!(c == '-' || c == '.' || (c >= '0' && c <= '9') ||
                   (c >= 'a' && c <= 'z')))
            return false;
    }
    return upper >= 2 && t->text[0] >= 'A' && t->text[0] <= 'Z';
}

/* Whether the capitals of acronym `t` are, in order, initials of the
 * words of tokens [s, e), the first being the first word's. */
static bool initials_match(att_extractor *x, const att_etoken *t, size_t s,
                           size_t e)
{
    x->scratch.len = 0;
    if (fold_tokens(x, s, e, ' ', &x->scratch, NULL) || !x->scratch.len)
        return false;
    const char *w = x->scratch.data;
    size_t n = x->scratch.len;
    size_t at = 0; /* start of the next word to try */
    bool first = true;
    for (size_t i = 0; i < t->len; i++) {
        char c = t->text[i];
        if (c < 'A' || c > 'Z')
            continue;
        c = (char)(c + 32);
        bool found = false;
        while (at < n) {
            size_t end = at;
            while (end < n && w[end] != ' ')
                end++;
            bool hit = w[at] == c;
            at = end + (end < n);
            if (hit) {
                found = true;
                break;
            }
            if (first)
                return false;
        }
        if (!found)
            return false;
        first = false;
    }
    return true;
}

static att_status take_acronyms(att_extractor *x)
{
    size_t n = x->n_toks;
    for (size_t i = 1; i + 2 < n; i++) {
        const att_etoken *t = &x->toks[i + 1];
        if (!tok_is(&x->toks[i], "(") || !tok_is(&x->toks[i + 2], ")") ||
            !acronym_like(t) || x->owner[i - 1] < 0)
            continue;
        const att_emention *m = &x->ments[x->owner[i - 1]];
        /* The name's tokens: those the mention before "(" covers. */
        size_t s = i - 1;
        while (s > 0 && x->owner[s - 1] == x->owner[i - 1])
            s--;
        if (!initials_match(x, t, s, i))
            continue;
        uint32_t ent = m->entity;
        for (size_t k = 0; k < n; k++) {
            const att_etoken *u = &x->toks[k];
            if (u->len != t->len || memcmp(u->text, t->text, t->len) != 0)
                continue;
            int32_t o = x->owner[k];
            if (o >= 0) {
                att_emention *old = &x->ments[o];
                if (old->entity == ent)
                    continue;
                /* Only a mention of this one token is replaced. */
                if (old->start != u->start || old->end != u->start + u->len ||
                    old->field != x->field[k])
                    continue;
                old->entity = ent;
                old->how = "acronym";
                continue;
            }
            att_status st = mention(x, ent, k, k + 1, "acronym");
            if (st)
                return st;
        }
    }
    return ATT_OK;
}

/* ---- step 5: people ------------------------------------------------------ */

/* Whether the words `a` (space-separated, n_a of them) appear in `b` in
 * order as whole, consecutive words. */
static bool words_within(const char *a, size_t la, const char *b, size_t lb)
{
    for (size_t i = 0; i + la <= lb; i++) {
        if ((i == 0 || b[i - 1] == ' ') && memcmp(b + i, a, la) == 0 &&
            (i + la == lb || b[i + la] == ' '))
            return true;
    }
    return false;
}

static att_status add_person(att_extractor *x, uint32_t ent, size_t words,
                             size_t words_len)
{
    GROW(x->people, x->n_people, x->cap_people, 16);
    x->people[x->n_people++] = (person){ent, words, words_len};
    return ATT_OK;
}

static att_status take_people(att_extractor *x, bool headlines)
{
    att_status st;
    if (headlines)
        goto spans;
    x->n_people = 0;
    x->words.len = 0;
    /* Dictionary people are known by their canonical names' words. */
    for (size_t i = 0; i < x->n_ments; i++) {
        uint32_t ent = x->ments[i].entity;
        const att_eentity *e = &x->ents[ent];
        if (e->type != ATT_ETYPE_PERSON || e->dict < 0)
            continue;
        bool known = false;
        for (size_t p = 0; p < x->n_people && !known; p++)
            known = x->people[p].entity == ent;
        if (known)
            continue;
        size_t at = x->words.len;
        fold_ctx c = {&x->words, ' ', 0};
        if ((st = att_analyze(x->an, e->name, strlen(e->name), fold_cb, &c)) ||
            (st = add_person(x, ent, at, x->words.len - at)))
            return st;
    }
spans:
    for (size_t i = 0; i < x->n_spans; i++) {
        const span *sp = &x->spans[i];
        if (sp->type != SPAN_PER || x->headline[sp->s] != headlines)
            continue;
        bool free_span = true;
        for (size_t k = sp->s; k < sp->e && free_span; k++)
            free_span = x->owner[k] < 0;
        if (!free_span || !first_letter(x->toks[sp->s].text, x->toks[sp->s].len))
            continue;
        /* The mention's words, tentatively at the end of x->words. */
        size_t w = x->words.len, n_words;
        if ((st = fold_tokens(x, sp->s, sp->e, ' ', &x->words, &n_words)))
            return st;
        size_t wl = x->words.len - w;
        if (!n_words) {
            x->words.len = w;
            continue;
        }
        /* An earlier person whose name holds these words. */
        size_t found = SIZE_MAX, n_found = 0;
        for (size_t p = 0; p < x->n_people; p++) {
            const person *q = &x->people[p];
            if (words_within(x->words.data + w, wl, x->words.data + q->words,
                             q->words_len)) {
                if (found == SIZE_MAX || x->people[found].entity != q->entity)
                    n_found++;
                found = p;
            }
        }
        if (n_found >= 1) {
            x->words.len = w;
            if (n_found > 1)
                continue; /* ambiguous: "Sharif" after Nawaz and Shehbaz */
            if ((st = mention(x, x->people[found].entity, sp->s, sp->e,
                              "coreference")))
                return st;
            continue;
        }
        /* An earlier, shorter form of this name, which it extends. */
        for (size_t p = 0; p < x->n_people; p++) {
            const person *q = &x->people[p];
            if (x->ents[q->entity].dict < 0 &&
                words_within(x->words.data + q->words, q->words_len,
                             x->words.data + w, wl)) {
                n_found++;
                found = p;
            }
        }
        uint32_t ent;
        if (headlines) { /* only people the text names elsewhere */
            x->words.len = w;
            continue;
        }
        if ((st = entity_text(x, ATT_ETYPE_PERSON, sp->s, sp->e, false, &ent)))
            return st;
        if (ent == UINT32_MAX) {
            x->words.len = w;
            continue;
        }
        if (n_found == 1) {
            /* The longer form becomes the person's id and name. */
            uint32_t old = x->people[found].entity;
            for (size_t k = 0; k < x->n_ments; k++)
                if (x->ments[k].entity == old) {
                    x->ments[k].entity = ent;
                    x->ments[k].how = "coreference";
                }
            x->people[found] = (person){ent, w, wl};
        } else if ((st = add_person(x, ent, w, wl))) {
            return st;
        }
        if ((st = mention(x, ent, sp->s, sp->e, "tagger")))
            return st;
    }
    return ATT_OK;
}

/* ---- the pipeline -------------------------------------------------------- */

static int tag_type(const char *name)
{
    const char *t = name + 2;
    if (strcmp(t, "PER") == 0)
        return SPAN_PER;
    if (strcmp(t, "ORG") == 0)
        return SPAN_ORG;
    if (strcmp(t, "LOC") == 0)
        return SPAN_LOC;
    return SPAN_MISC;
}

/* A capitalised ASCII word ("Agenda"): its lower-case form in buf, or 0. */
static size_t lowered(const att_etoken *t, char *buf, size_t cap)
{
    if (t->len < 2 || t->len >= cap || t->text[0] < 'A' || t->text[0] > 'Z')
        return 0;
    buf[0] = (char)(t->text[0] + 32);
    for (size_t b = 1; b < t->len; b++) {
        if (t->text[b] < 'a' || t->text[b] > 'z')
            return 0;
        buf[b] = t->text[b];
    }
    return t->len;
}

/* Case consistency: a one-word span of the tagger whose word the same
 * text also writes in lower case ("the 2030 Agenda" beside "the agenda")
 * is a capitalised common word, not a name.  Names the dictionary holds
 * are found by step 2 whatever the tagger says, so "Turkey" beside
 * "turkey" is still the country. */
static att_status drop_common_words(att_extractor *x)
{
    size_t singles = 0;
    for (size_t i = 0; i < x->n_spans; i++)
        singles += x->spans[i].e - x->spans[i].s == 1;
    if (!singles)
        return ATT_OK;
    size_t cap = 64;
    while (cap < 2 * x->n_toks)
        cap *= 2;
    if (cap > x->cap_lower) {
        uint64_t *p = att_malloc_array(cap, sizeof *p);
        if (!p)
            return att_error_nomem();
        free(x->lower);
        x->lower = p;
        x->cap_lower = cap;
    }
    memset(x->lower, 0, cap * sizeof *x->lower);
    for (size_t k = 0; k < x->n_toks; k++) {
        const att_etoken *t = &x->toks[k];
        if (!t->len || t->text[0] < 'a' || t->text[0] > 'z')
            continue;
        uint64_t h = att_hash64(t->text, t->len) | 1;
        size_t j = (size_t)h & (cap - 1);
        while (x->lower[j] && x->lower[j] != h)
            j = (j + 1) & (cap - 1);
        x->lower[j] = h;
    }
    size_t kept = 0;
    for (size_t i = 0; i < x->n_spans; i++) {
        const span *sp = &x->spans[i];
        char buf[64];
        size_t n = sp->e - sp->s == 1 ? lowered(&x->toks[sp->s], buf, sizeof buf) : 0;
        bool common = false;
        if (n) {
            uint64_t h = att_hash64(buf, n) | 1;
            size_t j = (size_t)h & (cap - 1);
            while (x->lower[j] && x->lower[j] != h)
                j = (j + 1) & (cap - 1);
            common = x->lower[j] == h;
        }
        if (!common)
            x->spans[kept++] = *sp;
    }
    x->n_spans = kept;
    return ATT_OK;
}

static att_status make_spans(att_extractor *x)
{
    x->n_spans = 0;
    int cur = -1;
    for (size_t i = 0; i < x->n_toks; i++) {
        const char *name = att_ner_tag_name(x->tags[i]);
        bool inside = name[0] == 'I' && name[1] == '-';
        bool begin = name[0] == 'B' && name[1] == '-';
        int type = (inside || begin) ? tag_type(name) : -1;
        bool cont = inside && cur == type && x->n_spans &&
                    x->spans[x->n_spans - 1].e == i &&
                    x->field[i] == x->field[i - 1];
        if (type < 0) {
            cur = -1;
            continue;
        }
        if (cont) {
            x->spans[x->n_spans - 1].e = i + 1;
            continue;
        }
        GROW(x->spans, x->n_spans, x->cap_spans, 32);
        x->spans[x->n_spans++] = (span){i, i + 1, type};
        cur = type;
    }
    return drop_common_words(x);
}

/* Marks the tokens of title-cased sentences ("Pakistan Urges Afghan
 * Taliban to End Support"): there every word looks like a name, and the
 * tagger, trained on running text and upper-case headlines, finds names
 * that are not ("Address Pakistan" as a person).  In them only names the
 * dictionary holds, or that the rest of the text names too, are taken. */
static void mark_headlines(att_extractor *x)
{
    for (size_t s = 0; s < x->n_toks;) {
        size_t e = s + 1;
        while (e < x->n_toks && !x->toks[e].sent_start)
            e++;
        size_t words = 0, caps = 0, upper = 0;
        for (size_t k = s; k < e; k++) {
            const att_etoken *t = &x->toks[k];
            if (!first_letter(t->text, t->len))
                continue;
            words++;
            if (first_upper(t->text, t->len)) {
                caps++;
                bool all = true;
                for (size_t b = 0; b < t->len && all; b++)
                    all = !(t->text[b] >= 'a' && t->text[b] <= 'z');
                upper += all;
            }
        }
        /* Title case: nearly every word capitalised, not all in capitals
         * (an upper-case headline is what the tagger learnt from). */
        bool h = words >= 2 && caps * 10 >= words * 8 && upper * 2 < words;
        for (size_t k = s; k < e; k++)
            x->headline[k] = h;
        s = e;
    }
}

static int by_start(const void *a, const void *b)
{
    const att_emention *x = a, *y = b;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

att_status att_extract(att_extractor *x, const char *const *texts,
                       const size_t *lens, size_t n_texts,
                       const att_eresult **out)
{
    x->n_toks = x->n_spans = x->n_ents = x->n_ments = x->n_people = 0;
    x->pool.len = 0;
    att_status st = ATT_OK;
    for (size_t f = 0; f < n_texts; f++) {
        size_t before = x->n_toks;
        if (texts[f] &&
            (st = att_etokenize(texts[f], lens[f], &x->toks, &x->n_toks,
                                &x->cap_toks)))
            return st;
        if (x->n_toks > x->cap_tok_arrays) {
            size_t cap = x->cap_toks;
            uint32_t *fi = att_realloc_array(x->field, cap, sizeof *fi);
            if (fi)
                x->field = fi;
            uint16_t *mk = fi ? att_realloc_array(x->marks, cap, sizeof *mk) : NULL;
            if (mk)
                x->marks = mk;
            uint8_t *tg = mk ? att_realloc_array(x->tags, cap, sizeof *tg) : NULL;
            if (tg)
                x->tags = tg;
            int32_t *ow = tg ? att_realloc_array(x->owner, cap, sizeof *ow) : NULL;
            if (ow)
                x->owner = ow;
            bool *hl = ow ? att_realloc_array(x->headline, cap, sizeof *hl) : NULL;
            if (!hl)
                return att_error_nomem();
            x->headline = hl;
            x->cap_tok_arrays = cap;
        }
        for (size_t k = before; k < x->n_toks; k++)
            x->field[k] = (uint32_t)f;
        if (x->n_toks > before)
            x->toks[before].sent_start = true;
    }
    mark_headlines(x);
    att_dict_match *dm = NULL;
    size_t ndm = 0;
    if (x->n_toks) {
        if ((st = att_dict_scan(x->dict, x->an, x->toks, x->n_toks, &dm, &ndm)))
            return st;
        att_dict_marks_from(x->dict, dm, ndm, x->n_toks, x->marks);
        if ((st = att_ner_tagger_run(x->tagger, x->toks, x->n_toks, x->marks,
                                     x->tags)))
            goto out;
    }
    for (size_t k = 0; k < x->n_toks; k++)
        x->owner[k] = -1;
    if ((st = make_spans(x)) || (st = take_dictionary(x, dm, ndm)) ||
        (st = take_tagger(x, false)) || (st = take_people(x, false)) ||
        (st = take_tagger(x, true)) || (st = take_people(x, true)) ||
        (st = take_acronyms(x)))
        goto out;
    /* Strings of entities outside the dictionary point into the pool,
     * which has stopped growing; count the mentions. */
    for (size_t i = 0; i < x->n_ents; i++) {
        att_eentity *e = &x->ents[i];
        if (e->dict < 0) {
            e->id = x->pool.data + x->ent_id_off[i];
            e->name = x->pool.data + x->ent_name_off[i];
        }
        e->mentions = 0;
    }
    for (size_t i = 0; i < x->n_ments; i++)
        x->ents[x->ments[i].entity].mentions++;
    /* Drop the entities that lost their mentions to a longer form. */
    size_t kept = 0;
    for (size_t i = 0; i < x->n_ents; i++) {
        x->ent_id_off[i] = kept; /* reused as the old -> new index map */
        if (x->ents[i].mentions)
            x->ents[kept++] = x->ents[i];
    }
    for (size_t i = 0; i < x->n_ments; i++)
        x->ments[i].entity = (uint32_t)x->ent_id_off[x->ments[i].entity];
    x->n_ents = kept;
    if (x->n_ments) /* an article without names has no mention array */
        qsort(x->ments, x->n_ments, sizeof *x->ments, by_start);
    x->result.entities = x->ents;
    x->result.n_entities = x->n_ents;
    x->result.mentions = x->ments;
    x->result.n_mentions = x->n_ments;
    *out = &x->result;
out:
    free(dm);
    return st;
}

/* ---- the public face ----------------------------------------------------- */

struct att_entities {
    att_mention *m;
    size_t n;
    char *strings;
};

ATT_API const char *att_entity_type_name(att_entity_type type)
{
    switch (type) {
    case ATT_ENTITY_PERSON:
        return "person";
    case ATT_ENTITY_ORG:
        return "org";
    case ATT_ENTITY_PLACE:
        return "place";
    }
    return NULL;
}

ATT_API att_status att_entities_extract(att_entities **out, const char *text,
                                        size_t len)
{
    if (!out || (!text && len))
        return att_error_set(ATT_INVALID, "att_entities_extract: NULL argument");
    *out = NULL;
    size_t bad;
    if (text && !att_utf8_valid(text, len, &bad))
        return att_error_set(ATT_ENCODING, "the text is not valid UTF-8 at "
                             "byte %zu", bad);
    att_extractor *x;
    att_status st = att_extractor_new(&x);
    if (st)
        return st;
    const att_eresult *r;
    const char *texts[1] = {text ? text : ""};
    size_t lens[1] = {len};
    if ((st = att_extract(x, texts, lens, 1, &r))) {
        att_extractor_free(x);
        return st;
    }
    /* One allocation for the strings: every id and name, NUL-ended. */
    size_t bytes = 0;
    for (size_t i = 0; i < r->n_entities; i++)
        bytes += strlen(r->entities[i].id) + strlen(r->entities[i].name) + 2;
    att_entities *e = calloc(1, sizeof *e);
    if (e) {
        e->m = att_malloc_array(r->n_mentions ? r->n_mentions : 1, sizeof *e->m);
        e->strings = malloc(bytes ? bytes : 1);
    }
    size_t *name_at = att_malloc_array(r->n_entities ? r->n_entities : 1,
                                       sizeof *name_at);
    if (!e || !e->m || !e->strings || !name_at) {
        free(name_at);
        att_entities_free(e);
        att_extractor_free(x);
        return att_error_nomem();
    }
    size_t at = 0;
    for (size_t i = 0; i < r->n_entities; i++) {
        name_at[i] = at;
        size_t a = strlen(r->entities[i].id) + 1, b = strlen(r->entities[i].name) + 1;
        memcpy(e->strings + at, r->entities[i].id, a);
        memcpy(e->strings + at + a, r->entities[i].name, b);
        at += a + b;
    }
    for (size_t i = 0; i < r->n_mentions; i++) {
        const att_emention *m = &r->mentions[i];
        const att_eentity *en = &r->entities[m->entity];
        att_mention *o = &e->m[e->n++];
        o->type = (att_entity_type)en->type;
        o->id = e->strings + name_at[m->entity];
        o->name = o->id + strlen(o->id) + 1;
        o->start = m->start;
        o->end = m->end;
        o->how = m->how;
    }
    free(name_at);
    att_extractor_free(x);
    *out = e;
    return ATT_OK;
}

ATT_API size_t att_entities_count(const att_entities *e) { return e ? e->n : 0; }

ATT_API const att_mention *att_entities_get(const att_entities *e, size_t i)
{
    return e && i < e->n ? &e->m[i] : NULL;
}

ATT_API void att_entities_free(att_entities *e)
{
    if (!e)
        return;
    free(e->m);
    free(e->strings);
    free(e);
}
