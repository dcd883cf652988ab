/*
 * docbuild.c: att_doc_build(), which turns an article into a Xapian
 * document, and att_index_put(), which builds one and writes it.  A
 * document holds: the analysed title and body as positional stem terms (and
 * as exact, unstemmed forms without positions when the index keeps them),
 * the title's stems again under the title prefix, the unique-id term, the
 * source filter term, the entities' filter terms (common/entities.h,
 * merged with the entities the input names itself: att_given_entity()),
 * the date, source, facet-list, input-hash and origin value slots, the
 * body's content signature (common/dupsig.h: value slot and term, so that copies of a
 * story collapse into one hit), the folded word forms for the index's
 * vocabulary, and the stored record with the original text.  The prefixes, slots and weights come
 * from common/xapian/schema.h, the one table of the index format.
 * Building touches no database, so ingest's worker threads build documents
 * in parallel (each with its own analyser) for the one writer.
 */
#include "docbuild.h"
#include "../common/dupsig.h"
#include "../common/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct build_ctx {
    att_shim_doc *doc;
    att_buf term;
    uint32_t base;     /* position of the field's first word */
    uint32_t last;     /* highest position used so far */
    bool title;
    bool exact;        /* the index holds exact forms */
    att_dup_acc dup;   /* the body's content signature */
} build_ctx;

/* Folded forms are ASCII after transliteration, apart from scripts ICU
 * cannot romanise: any byte >= 0x80 counts as a letter. */
static bool has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            return true;
        if (c >= 0x80)
            return true;
    }
    return false;
}

static att_status add_token(void *vctx, const att_token *tok)
{
    build_ctx *c = vctx;
    uint32_t pos = c->base + tok->pos;
    if (pos > c->last)
        c->last = pos;
    unsigned wdf = c->title ? ATT_TITLE_WDF : 1;
    att_status st = att_shim_doc_posting(c->doc, tok->stem, tok->stem_len, pos,
                                         wdf);
    if (st)
        return st;
    if (tok->form_len >= ATT_WORD_MIN && tok->form_len <= ATT_WORD_MAX &&
        has_letter(tok->form, tok->form_len) &&
        (st = att_shim_doc_word(c->doc, tok->form, tok->form_len)))
        return st;
    if (!c->title)
        att_dup_add(&c->dup, tok->form, tok->form_len);
    c->term.len = 0;
    if (c->exact && ((st = att_buf_puts(&c->term, ATT_PREFIX_EXACT)) ||
        (st = att_buf_append(&c->term, tok->form, tok->form_len)) ||
        (st = att_shim_doc_term(c->doc, c->term.data, c->term.len, wdf))))
        return st;
    if (!c->title)
        return st;
    c->term.len = 0;
    if ((st = att_buf_puts(&c->term, ATT_PREFIX_TITLE)) ||
        (st = att_buf_append(&c->term, tok->stem, tok->stem_len)))
        return st;
    return att_shim_doc_posting(c->doc, c->term.data, c->term.len, pos, 1);
}

static att_status check_text(const char *field, const char *s, size_t n)
{
    size_t bad = 0;
    if (s && !att_utf8_valid(s, n, &bad))
        return att_error_set(ATT_ENCODING,
                             "article %s is not valid UTF-8 at byte %zu", field,
                             bad);
    return ATT_OK;
}

static att_status check_article(const att_article *a)
{
    if (!a)
        return att_error_set(ATT_INVALID, "att_index_put: NULL argument");
    if (a->version != ATT_ARTICLE_VERSION && a->version != 1)
        return att_error_set(ATT_INVALID,
                             "att_index_put: article version %d, expected %d "
                             "or 1 (initialise with ATT_ARTICLE_INIT)",
                             a->version, ATT_ARTICLE_VERSION);
    return att_id_check(a->id);
}

/* The name-part terms of a person (schema.h, ATT_PREFIX_PERSON_PART):
 * every run of one to three words of the id, other than the whole. */
static att_status add_name_parts(build_ctx *c, const char *id)
{
    size_t starts[64], n = 0, len = strlen(id);
    starts[n++] = 0;
    for (size_t i = 0; i < len && n < 63; i++)
        if (id[i] == '-')
            starts[n++] = i + 1;
    starts[n] = len + 1; /* one past the '-' that would end the last word */
    for (size_t a = 0; a < n; a++)
        for (size_t w = 1; w <= 3 && a + w <= n; w++) {
            if (a == 0 && a + w == n)
                continue; /* the whole name is the XP term */
            size_t end = starts[a + w] - 1;
            c->term.len = 0;
            att_status st;
            if ((st = att_buf_puts(&c->term, ATT_PREFIX_PERSON_PART)) ||
                (st = att_buf_append(&c->term, id + starts[a],
                                     end - starts[a])) ||
                (st = att_shim_doc_boolean(c->doc, c->term.data,
                                           c->term.len)))
                return st;
        }
    return ATT_OK;
}

/* Slug ids of given names, as entities.c makes them for the tagger's
 * names: the folded words, apostrophes dropped, joined by '-'. */
typedef struct slug_ctx {
    att_buf *out;
    size_t words;
} slug_ctx;

static att_status slug_word(void *vctx, const att_token *tok)
{
    slug_ctx *c = vctx;
    att_status st;
    if (c->words++ && (st = att_buf_putc(c->out, '-')))
        return st;
    for (size_t i = 0; i < tok->form_len; i++)
        if (tok->form[i] != '\'' && (st = att_buf_putc(c->out, tok->form[i])))
            return st;
    return ATT_OK;
}

att_status att_given_entity(att_analyzer *an, att_etype type, const char *name,
                            size_t len, att_buf *id, att_buf *display)
{
    id->len = 0;
    display->len = 0;
    att_status st;
    const att_dict *d = att_dict_builtin();
    if (!d)
        return att_error_prefix("cannot load the entity dictionary");
    int32_t k = att_dict_lookup(d, an, type, name, len);
    if (k >= 0) {
        const att_dict_entity *e = att_dict_entity_at(d, (size_t)k);
        if ((st = att_buf_puts(id, e->id)) || (st = att_buf_puts(display, e->name)))
            return st;
        return ATT_OK;
    }
    att_etoken *toks = NULL;
    size_t n = 0, cap = 0;
    if ((st = att_etokenize(name, len, &toks, &n, &cap)))
        return st;
    slug_ctx c = {id, 0};
    for (size_t i = 0; i < n && !st; i++) {
        const att_etoken *t = &toks[i];
        if ((t->len == 2 && memcmp(t->text, "'s", 2) == 0) ||
            (t->len == 4 && memcmp(t->text, "\xe2\x80\x99s", 4) == 0))
            continue;
        st = att_analyze(an, t->text, t->len, slug_word, &c);
    }
    free(toks);
    if (st)
        return st;
    if (!c.words || id->len > 100) {
        id->len = 0;
        return ATT_OK;
    }
    /* The display: the name as given, white space as single spaces. */
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        char ch = name[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = display->len > 0;
            continue;
        }
        if ((space && (st = att_buf_putc(display, ' '))) ||
            (st = att_buf_putc(display, ch)))
            return st;
        space = false;
    }
    return ATT_OK;
}

/* An entity's filter term, name parts and facet record, unless `seen`
 * (the "type:id\n" list of this document's entities) already has it. */
static att_status add_entity(build_ctx *c, att_buf *facets, att_buf *seen,
                             att_etype type, const char *id, const char *name)
{
    static const char *const PREFIX[ATT_ETYPE_COUNT] = {
        ATT_PREFIX_PERSON, ATT_PREFIX_ORG, ATT_PREFIX_PLACE};
    static const char REC[ATT_ETYPE_COUNT] = {
        ATT_FACET_REC_PERSON, ATT_FACET_REC_ORG, ATT_FACET_REC_PLACE};
    char key[128];
    int kn = snprintf(key, sizeof key, "%c%s\n", REC[type], id);
    if (kn <= 0 || (size_t)kn >= sizeof key)
        return ATT_OK;
    /* Look for "\n<key>" with the list starting with a newline. */
    if (seen->len) {
        for (const char *p = seen->data; (p = strstr(p, key)) != NULL; p++)
            if (p == seen->data || p[-1] == '\n')
                return ATT_OK;
    }
    att_status st;
    if ((st = att_buf_append(seen, key, (size_t)kn)))
        return st;
    if (type == ATT_ETYPE_PERSON && (st = add_name_parts(c, id)))
        return st;
    c->term.len = 0;
    if ((st = att_buf_puts(&c->term, PREFIX[type])) ||
        (st = att_buf_puts(&c->term, id)) ||
        (st = att_shim_doc_boolean(c->doc, c->term.data, c->term.len)) ||
        (st = att_buf_putc(facets, REC[type])) ||
        (st = att_buf_puts(facets, id)) ||
        (st = att_buf_putc(facets, '\t')) ||
        (st = att_buf_puts(facets, name)) ||
        (st = att_buf_putc(facets, '\n')))
        return st;
    return ATT_OK;
}

/* The entities of the title and body: a boolean filter term per entity
 * and a facet record per entity into `facets`. */
static att_status add_entities(const att_doc_builder *b, const att_article *a,
                               size_t tlen, size_t blen, build_ctx *c,
                               att_buf *facets)
{
    const char *texts[2] = {a->title, a->body};
    size_t lens[2] = {a->title ? tlen : 0, a->body ? blen : 0};
    const att_eresult *r;
    att_status st = att_extract(b->ex, texts, lens, 2, &r);
    if (st)
        return st;
    att_buf seen = ATT_BUF_INIT, id = ATT_BUF_INIT, name = ATT_BUF_INIT;
    for (size_t i = 0; i < r->n_entities && !st; i++) {
        const att_eentity *e = &r->entities[i];
        st = add_entity(c, facets, &seen, e->type, e->id, e->name);
    }
    /* The input's own entities (ninjs person/organisation/place), merged:
     * one the text also names counts once. */
    const char *given[ATT_ETYPE_COUNT] = {att_article_people(a),
                                          att_article_organisations(a),
                                          att_article_places(a)};
    for (int t = 0; t < ATT_ETYPE_COUNT && !st; t++) {
        for (const char *p = given[t]; p && *p && !st;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if ((st = att_given_entity(b->an, (att_etype)t, p, n, &id, &name)))
                break;
            if (id.len && name.len)
                st = add_entity(c, facets, &seen, (att_etype)t, id.data,
                                name.data);
            p += n + (nl ? 1 : 0);
        }
    }
    att_buf_free(&seen);
    att_buf_free(&id);
    att_buf_free(&name);
    return st;
}

att_status att_index_builder(att_index *ix, att_doc_builder *out)
{
    out->an = ix->an;
    out->exact = att_shim_exact_forms(ix->db);
    out->ex = NULL;
    if (!att_shim_entities(ix->db))
        return ATT_OK;
    if (!ix->ex) {
        att_status st = att_extractor_new(&ix->ex);
        if (st)
            return st;
    }
    out->ex = ix->ex;
    return ATT_OK;
}

att_status att_doc_build(const att_doc_builder *b, const att_article *a,
                         att_shim_doc **out, att_buf *idterm)
{
    return att_doc_build_ex(b, a, NULL, out, idterm);
}

att_status att_doc_build_ex(const att_doc_builder *b, const att_article *a,
                            const att_doc_extra *x, att_shim_doc **out,
                            att_buf *idterm)
{
    att_analyzer *an = b->an;
    bool exact = b->exact;
    *out = NULL;
    att_status st = check_article(a);
    if (st)
        return st;
    size_t tlen = att_article_title_len(a), blen = att_article_body_len(a);
    char slot[9];
    if (a->date && !att_date_slot(a->date, slot))
        return att_error_set(ATT_INVALID,
                             "article \"%s\": date \"%s\" is not ISO 8601 "
                             "(YYYY, YYYY-MM or YYYY-MM-DD)", a->id, a->date);
    const struct {
        const char *name, *s;
        size_t n;
    } fields[] = {{"title", a->title, tlen},
                  {"body", a->body, blen},
                  {"source", a->source, a->source ? strlen(a->source) : 0},
                  {"url", a->url, a->url ? strlen(a->url) : 0},
                  {"author", a->author, a->author ? strlen(a->author) : 0},
                  {"language", a->language, a->language ? strlen(a->language) : 0},
                  {"tags", a->tags, a->tags ? strlen(a->tags) : 0}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if ((st = check_text(fields[i].name, fields[i].s, fields[i].n)))
            return att_error_prefix("article \"%s\"", a->id);

    build_ctx c = {.doc = NULL, .term = ATT_BUF_INIT, .base = 1, .last = 0,
                   .title = true, .exact = exact};
    att_buf scratch = ATT_BUF_INIT, facets = ATT_BUF_INIT;
    if ((st = att_dup_begin(&c.dup, NULL)) || (st = att_shim_doc_new(&c.doc)))
        return st;
    if (a->title && (st = att_analyze(an, a->title, tlen, add_token, &c)))
        goto out;
    c.title = false;
    c.base = c.last + ATT_BODY_POS_GAP;
    if (a->body && (st = att_analyze(an, a->body, blen, add_token, &c)))
        goto out;
    if (a->date && (st = att_shim_doc_value(c.doc, ATT_SLOT_DATE, slot, 8)))
        goto out;
    uint64_t sig = att_dup_end(&c.dup);
    if (sig) {
        char hex[17];
        snprintf(hex, sizeof hex, "%016llx", (unsigned long long)sig);
        c.term.len = 0;
        if ((st = att_shim_doc_value(c.doc, ATT_SLOT_DUP, hex, 16)) ||
            (st = att_buf_puts(&c.term, ATT_PREFIX_DUP)) ||
            (st = att_buf_append(&c.term, hex, 16)) ||
            (st = att_shim_doc_boolean(c.doc, c.term.data, c.term.len)))
            goto out;
    }
    if (b->ex && (st = add_entities(b, a, tlen, blen, &c, &facets)))
        goto out;
    if (a->source && *a->source) {
        if ((st = att_source_fold(a->source, &scratch)))
            goto out;
        if (scratch.len) {
            /* The source's facet record: its folded form and as written
             * (tabs and line breaks as spaces). */
            if ((st = att_buf_putc(&facets, ATT_FACET_REC_SOURCE)) ||
                (st = att_buf_append(&facets, scratch.data, scratch.len)) ||
                (st = att_buf_putc(&facets, '\t')))
                goto out;
            for (const char *p = a->source; *p; p++)
                if ((st = att_buf_putc(&facets, *p == '\t' || *p == '\n' ||
                                       *p == '\r' ? ' ' : *p)))
                    goto out;
            if ((st = att_buf_putc(&facets, '\n')))
                goto out;
            if ((st = att_shim_doc_value(c.doc, ATT_SLOT_SOURCE, scratch.data,
                                         scratch.len)))
                goto out;
            c.term.len = 0;
            if ((st = att_buf_puts(&c.term, ATT_PREFIX_SOURCE)) ||
                (st = att_buf_append(&c.term, scratch.data, scratch.len)) ||
                (st = att_shim_doc_boolean(c.doc, c.term.data, c.term.len)))
                goto out;
        }
    }
    if (facets.len &&
        (st = att_shim_doc_value(c.doc, ATT_SLOT_FACETS, facets.data,
                                 facets.len)))
        goto out;
    if (x && x->input_hash &&
        (st = att_shim_doc_value(c.doc, ATT_SLOT_INPUT_HASH, x->input_hash,
                                 strlen(x->input_hash))))
        goto out;
    if (x && x->origin &&
        (st = att_shim_doc_value(c.doc, ATT_SLOT_ORIGIN, x->origin,
                                 strlen(x->origin))))
        goto out;
    if ((st = att_id_term(a->id, &c.term)) ||
        (st = att_shim_doc_boolean(c.doc, c.term.data, c.term.len)))
        goto out;
    scratch.len = 0;
    if ((st = att_record_encode(a, &scratch)) ||
        (st = att_shim_doc_data(c.doc, scratch.data, scratch.len)))
        goto out;
    idterm->len = 0;
    st = att_buf_append(idterm, c.term.data, c.term.len);
out:
    if (st) {
        att_error_prefix("cannot index article \"%s\"", a->id);
        att_shim_doc_free(c.doc);
    } else {
        *out = c.doc;
    }
    att_buf_free(&c.term);
    att_buf_free(&scratch);
    att_buf_free(&facets);
    return st;
}

ATT_API att_status att_index_put(att_index *ix, const att_article *a)
{
    if (!ix)
        return att_error_set(ATT_INVALID, "att_index_put: NULL argument");
    att_status st = check_article(a);
    if (st)
        return st;
    if (!att_shim_writable(ix->db))
        return att_error_set(ATT_READ_ONLY, "cannot add article \"%s\": index "
                             "%s is open read-only", a->id, ix->path);
    att_shim_doc *doc = NULL;
    att_buf idterm = ATT_BUF_INIT;
    att_doc_builder b;
    if ((st = att_index_builder(ix, &b)) == ATT_OK &&
        (st = att_doc_build(&b, a, &doc, &idterm)) == ATT_OK) {
        st = att_shim_replace(ix->db, idterm.data, idterm.len, doc);
        if (st)
            att_error_prefix("cannot index article \"%s\"", a->id);
    }
    att_shim_doc_free(doc);
    att_buf_free(&idterm);
    return st;
}
