/*
 * query_parse.c: a recursive-descent parser for the query language
 * (docs/QUERY-SYNTAX.md).  The grammar, loosest binding first:
 *
 *   query   := conj
 *   conj    := disj ( [AND] disj | NOT disj | AND NOT disj )*
 *   disj    := near ( OR near )*
 *   near    := unary ( ( NEAR | NEAR/n | ADJ | ADJ/n ) unary )*
 *   unary   := [ "+" | "-" ] primary
 *   primary := "(" conj ")" | [ field ":" ] [ "=" ] ( '"' words '"' | word )
 *
 * Juxtaposed terms are ANDed: news searchers type a few distinctive words
 * and expect every one of them in each hit, and BM25 then ranks by how
 * strongly.  OR binds tighter than AND, as in web search, so
 * `taliban pakistan OR afghanistan` means taliban AND (pakistan OR
 * afghanistan).  AND, OR, NOT, NEAR and ADJ are operators only in upper
 * case; lower-case "and", "or" and "not" are words.  A leading NOT or a
 * lone "-word" selects everything else.  NEAR/n joins single words that lie
 * at most n positions apart, in any order; ADJ/n the same in the order
 * written; a chain of k words must fit in n*(k-1)+1 positions (Xapian's
 * window).  NEAR alone is NEAR/10, ADJ alone ADJ/1 (a phrase).
 *
 * "=" before a word or a quoted phrase asks for the exact word forms
 * (folded for case and accents but not stemmed): =talks does not match
 * "talk".  Typographic double quotes (“ ” „ ‟ « » and the full-width ")
 * work as '"', since queries are pasted from articles.
 *
 * Each word goes through the same analyser as the documents; a word that
 * yields several terms ("Afghanistan-Pakistan", "U.S.") becomes a phrase.
 * Nothing is silently reinterpreted: an unbalanced quote or parenthesis, a
 * dangling operator or an unknown field is an error with its byte position.
 */
#include "query_parse.h"
#include "query_date.h"
#include "query_entities.h"
#include "stopwords.h"

#include "../common/index.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum tok_kind {
    T_END,
    T_WORD,
    T_PHRASE, /* text between quotes, without them */
    T_LPAREN,
    T_RPAREN,
    T_AND,
    T_OR,
    T_NOT,
    T_NEAR    /* NEAR, NEAR/n, ADJ, ADJ/n */
} tok_kind;

typedef struct tok {
    tok_kind kind;
    size_t start;   /* byte offset of the token (the opening quote, ...) */
    size_t len;
    const char *text; /* the word or phrase contents */
    size_t text_len;
    char sign;      /* '+', '-' or 0: a sign glued to the token */
    size_t field_len; /* T_WORD/T_PHRASE: length of a "field:" before it */
    const char *field;
    bool exact;     /* T_WORD/T_PHRASE: "=" before it */
    uint32_t near;  /* T_NEAR: n */
    bool ordered;   /* T_NEAR: ADJ */
} tok;

typedef struct parser {
    att_analyzer *an;
    bool default_or;
    bool expand;       /* plain words that name an entity find it too */
    double proximity;  /* att_qparse_opts */
    uint32_t proximity_window;
    int today;
    const char *q;
    size_t len;
    size_t at;
    tok cur;
    bool have;
    att_buf scratch;
    bool repeats;      /* att_qparse_opts.count_repeats */
} parser;

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* A word ends at white space, a quote or a parenthesis. */
static bool word_end(char c)
{
    return is_ws(c) || c == '"' || c == '(' || c == ')' || c == '\0';
}

static att_status syntax(size_t pos, const char *msg)
{
    return att_error_set_at(ATT_QUERY_SYNTAX, (long)pos, "%s", msg);
}

/* The length of a double quote at byte i, or 0: '"', and the typographic
 * ones: “ ” „ ‟ (U+201C..U+201F, but not the single U+201A..U+201B),
 * « » (U+00AB, U+00BB) and the full-width ＂ (U+FF02). */
static size_t quote_len(const parser *p, size_t i)
{
    const unsigned char *s = (const unsigned char *)p->q;
    if (s[i] == '"')
        return 1;
    if (i + 1 < p->len && s[i] == 0xC2 && (s[i + 1] == 0xAB || s[i + 1] == 0xBB))
        return 2;
    if (i + 2 < p->len && s[i] == 0xE2 && s[i + 1] == 0x80 &&
        s[i + 2] >= 0x9C && s[i + 2] <= 0x9F)
        return 3;
    if (i + 2 < p->len && s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] == 0x82)
        return 3;
    return 0;
}

/* Recognises NEAR, NEAR/n, ADJ, ADJ/n in t->text.  Returns 1 if it is one
 * (t filled in), 0 if it is an ordinary word, -1 (error set) if it is
 * NEAR/ or ADJ/ with something other than a number from 1 to 1000. */
static int near_op(tok *t)
{
    size_t kw;
    if (t->text_len >= 4 && memcmp(t->text, "NEAR", 4) == 0)
        kw = 4;
    else if (t->text_len >= 3 && memcmp(t->text, "ADJ", 3) == 0)
        kw = 3;
    else
        return 0;
    t->ordered = kw == 3;
    if (t->text_len == kw) {
        t->near = t->ordered ? 1 : 10;
        return 1;
    }
    if (t->text[kw] != '/')
        return 0; /* NEARBY, ADJUST: words */
    uint32_t n = 0;
    size_t i = kw + 1;
    for (; i < t->text_len && n <= 1000; i++) {
        char c = t->text[i];
        if (c < '0' || c > '9')
            break;
        n = n * 10 + (uint32_t)(c - '0');
    }
    if (i == kw + 1 || i != t->text_len || n < 1 || n > 1000) {
        syntax(t->start, t->ordered ? "ADJ/ needs a number of words from 1 "
                                      "to 1000, as in ADJ/3"
                                    : "NEAR/ needs a number of words from 1 "
                                      "to 1000, as in NEAR/5");
        return -1;
    }
    t->near = n;
    return 1;
}

static bool known_field(const char *f, size_t n)
{
    static const char *const fields[] = {"title", "source", "id", "date",
                                         "person", "org", "place"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (strlen(fields[i]) == n && strncasecmp(f, fields[i], n) == 0)
            return true;
    return false;
}

static att_status lex(parser *p, tok *t)
{
    memset(t, 0, sizeof *t);
    while (p->at < p->len && is_ws(p->q[p->at]))
        p->at++;
    t->start = p->at;
    if (p->at >= p->len) {
        t->kind = T_END;
        return ATT_OK;
    }
    size_t i = p->at;
    char c = p->q[i];
    if (c == '(' || c == ')') {
        t->kind = c == '(' ? T_LPAREN : T_RPAREN;
        t->len = 1;
        p->at = i + 1;
        return ATT_OK;
    }
    if ((c == '+' || c == '-') && i + 1 < p->len && !is_ws(p->q[i + 1]) &&
        p->q[i + 1] != ')') {
        t->sign = c;
        i++;
        if (p->q[i] == '(') {
            t->kind = T_LPAREN;
            t->len = i + 1 - t->start;
            p->at = i + 1;
            return ATT_OK;
        }
    }
    /* An optional field name: letters then ':' then a non-space. */
    size_t f = i;
    while (f < p->len && isalpha((unsigned char)p->q[f]))
        f++;
    if (f > i && f + 1 < p->len && p->q[f] == ':' && !is_ws(p->q[f + 1]) &&
        p->q[f + 1] != ')') {
        t->field = p->q + i;
        t->field_len = f - i;
        i = f + 1;
    }
    /* "=": the exact word forms of what follows. */
    if (p->q[i] == '=' && i + 1 < p->len && !is_ws(p->q[i + 1]) &&
        p->q[i + 1] != ')') {
        t->exact = true;
        i++;
        size_t g = i;
        while (g < p->len && isalpha((unsigned char)p->q[g]))
            g++;
        if (g < p->len && p->q[g] == ':' && known_field(p->q + i, g - i))
            return syntax(t->start, "= (exact word forms) goes before a word "
                                    "or a phrase, not before a field name");
    }
    size_t ql = quote_len(p, i);
    if (ql) {
        size_t open = i;
        size_t j = i + ql, close = 0, cl = 0;
        for (; j < p->len; j++) {
            if ((cl = quote_len(p, j))) {
                close = j;
                break;
            }
        }
        if (!cl)
            return syntax(open, "unbalanced quote: no closing \"");
        t->kind = T_PHRASE;
        t->text = p->q + open + ql;
        t->text_len = close - open - ql;
        p->at = close + cl;
        t->len = p->at - t->start;
        return ATT_OK;
    }
    size_t j = i;
    while (j < p->len && !word_end(p->q[j]) && !quote_len(p, j))
        j++;
    t->text = p->q + i;
    t->text_len = j - i;
    t->len = j - t->start;
    p->at = j;
    int near;
    if (!t->sign && !t->field && !t->exact) {
        if ((near = near_op(t)) < 0)
            return ATT_QUERY_SYNTAX;
        if (near)
            t->kind = T_NEAR;
        else if (t->text_len == 3 && memcmp(t->text, "AND", 3) == 0)
            t->kind = T_AND;
        else if (t->text_len == 2 && memcmp(t->text, "OR", 2) == 0)
            t->kind = T_OR;
        else if (t->text_len == 3 && memcmp(t->text, "NOT", 3) == 0)
            t->kind = T_NOT;
        else
            t->kind = T_WORD;
    } else {
        t->kind = T_WORD;
    }
    if (t->kind == T_WORD && t->text_len == 0)
        return syntax(t->start, "a field name needs a value after ':'");
    if (t->kind == T_WORD && !t->field && t->text_len > 1 &&
        t->text[t->text_len - 1] == ':' &&
        known_field(t->text, t->text_len - 1))
        return syntax(t->start, "a field name needs a value right after "
                                "its ':', as in date:2024 or title:Kabul");
    return ATT_OK;
}

static att_status peek(parser *p, tok **out)
{
    if (!p->have) {
        att_status st = lex(p, &p->cur);
        if (st)
            return st;
        p->have = true;
    }
    *out = &p->cur;
    return ATT_OK;
}

static void advance(parser *p) { p->have = false; }

/* ---- words to terms ---------------------------------------------------- */

typedef struct term_ctx {
    att_qnode *phrase; /* collects the terms */
    const char *prefix;
    bool exact;        /* the folded form rather than the stem */
    size_t qpos;
    att_buf *buf;
} term_ctx;

static att_status add_term(void *vctx, const att_token *word)
{
    term_ctx *c = vctx;
    c->buf->len = 0;
    att_status st;
    if ((st = att_buf_puts(c->buf, c->exact ? ATT_PREFIX_EXACT : c->prefix)) ||
        (st = c->exact ? att_buf_append(c->buf, word->form, word->form_len)
                       : att_buf_append(c->buf, word->stem, word->stem_len)))
        return st;
    att_qnode *t = att_qnode_term(ATT_Q_TERM, c->buf->data, c->buf->len,
                                  c->qpos + word->start);
    if (t && !c->exact && !*c->prefix) {
        t->qlen = word->end - word->start;
        t->stopword = att_stopword(word->form, word->form_len);
    }
    if (t && c->exact) {
        /* The stem stands in for the form where positions are needed. */
        c->buf->len = 0;
        if ((st = att_buf_puts(c->buf, c->prefix)) ||
            (st = att_buf_append(c->buf, word->stem, word->stem_len))) {
            att_qnode_free(t);
            return st;
        }
        if (!(t->alt = att_strndup(c->buf->data, c->buf->len))) {
            att_qnode_free(t);
            return att_error_nomem();
        }
        t->alt_len = c->buf->len;
    }
    return att_qnode_add(c->phrase, t);
}

/* Analyses text into a TERM, a PHRASE, or NULL (no words in it). */
static att_status text_node(parser *p, const char *prefix, bool exact,
                            const char *text, size_t n, size_t qpos,
                            att_qnode **out)
{
    *out = NULL;
    att_qnode *ph = att_qnode_new(ATT_Q_PHRASE, qpos);
    if (!ph)
        return att_error_nomem();
    term_ctx c = {ph, prefix, exact, qpos, &p->scratch};
    att_status st = att_analyze(p->an, text, n, add_term, &c);
    if (st) {
        att_qnode_free(ph);
        return st;
    }
    if (ph->n_kids == 0) {
        att_qnode_free(ph);
        return ATT_OK;
    }
    if (ph->n_kids == 1) {
        *out = ph->kids[0];
        ph->n_kids = 0;
        att_qnode_free(ph);
        return ATT_OK;
    }
    *out = ph;
    return ATT_OK;
}

typedef struct wild_ctx {
    size_t n;
    att_token first;
    att_buf *form;
} wild_ctx;

static att_status wild_word(void *vctx, const att_token *word)
{
    wild_ctx *c = vctx;
    if (c->n++ == 0) {
        c->first = *word;
        c->form->len = 0;
        return att_buf_append(c->form, word->form, word->form_len);
    }
    return ATT_OK;
}

/* `text` is a word ending in '*' (text_len counts the '*'): the start of a
 * word, folded like the documents' words, to be expanded by search.c
 * through the index's vocabulary.  `prefix` is the field's term prefix. */
static att_status wildcard_node(parser *p, const char *prefix, bool exact,
                                const char *text, size_t text_len,
                                size_t qpos, att_qnode **out)
{
    size_t n = text_len - 1;
    for (size_t i = 0; i < n; i++)
        if (text[i] == '*')
            return syntax(qpos + i, "* is a wildcard only at the end of a "
                                    "word, as in negotiat*");
    wild_ctx c = {0, {0}, &p->scratch};
    att_status st = att_analyze(p->an, text, n, wild_word, &c);
    if (st)
        return st;
    if (c.n != 1 || c.first.start != 0 || c.first.end != n)
        return syntax(qpos, "a wildcard is the start of one word followed "
                            "by *, as in negotiat* (no spaces, hyphens or "
                            "punctuation)");
    if (c.first.form_len < 3)
        return syntax(qpos, "a wildcard needs at least 3 letters before "
                            "the *, as in neg*");
    att_qnode *w = att_qnode_term(ATT_Q_WILDCARD, p->scratch.data,
                                  p->scratch.len, qpos);
    if (!w)
        return att_error_nomem();
    const char *fp = exact ? ATT_PREFIX_EXACT : prefix;
    if (!(w->alt = att_strndup(fp, strlen(fp)))) {
        att_qnode_free(w);
        return att_error_nomem();
    }
    w->alt_len = strlen(fp);
    *out = w;
    return ATT_OK;
}

static bool is_wildcard(const tok *t)
{
    return t->kind == T_WORD && t->text_len > 1 &&
           t->text[t->text_len - 1] == '*';
}

static att_status field_node(parser *p, const tok *t, att_qnode **out)
{
    size_t vpos = (size_t)(t->text - p->q);
    if (t->field_len == 5 && strncasecmp(t->field, "title", 5) == 0) {
        if (t->exact)
            return att_error_set_at(ATT_QUERY_SYNTAX, (long)vpos - 1,
                                    "title: cannot be combined with = (exact "
                                    "word forms are indexed for the whole "
                                    "article; write =word without title:)");
        if (is_wildcard(t))
            return wildcard_node(p, ATT_PREFIX_TITLE, false, t->text,
                                 t->text_len, vpos, out);
        return text_node(p, ATT_PREFIX_TITLE, false, t->text, t->text_len,
                         vpos, out);
    }
    if (t->field_len == 4 && strncasecmp(t->field, "date", 4) == 0) {
        if (t->exact)
            return att_error_set_at(ATT_QUERY_SYNTAX, (long)vpos - 1,
                                    "= (exact word forms) applies to words "
                                    "and phrases, not to date: values");
        att_qnode *r = att_qnode_new(ATT_Q_RANGE, t->start);
        if (!r)
            return att_error_nomem();
        r->slot = ATT_SLOT_DATE;
        att_status st = att_query_date_range(
            t->text, t->text_len, p->today ? p->today : att_date_today(),
            vpos, r->lo, r->hi);
        if (st) {
            att_qnode_free(r);
            return st;
        }
        *out = r;
        return ATT_OK;
    }
    if (t->exact)
        return att_error_set_at(ATT_QUERY_SYNTAX, (long)vpos - 1,
                                "= (exact word forms) applies to words and "
                                "phrases, not to %.*s: values",
                                (int)t->field_len, t->field);
    static const struct {
        const char *name;
        att_etype type;
    } ENTITY_FIELDS[] = {{"person", ATT_ETYPE_PERSON},
                         {"org", ATT_ETYPE_ORG},
                         {"place", ATT_ETYPE_PLACE}};
    for (size_t i = 0; i < sizeof ENTITY_FIELDS / sizeof *ENTITY_FIELDS; i++)
        if (t->field_len == strlen(ENTITY_FIELDS[i].name) &&
            strncasecmp(t->field, ENTITY_FIELDS[i].name, t->field_len) == 0) {
            if (is_wildcard(t))
                return syntax(vpos, "wildcards (*) do not apply to person:, "
                                    "org: and place: names");
            return att_qentity_filter(p->an, (int)ENTITY_FIELDS[i].type,
                                      t->text, t->text_len, vpos, out);
        }
    att_buf val = ATT_BUF_INIT;
    att_status st = att_buf_append(&val, t->text, t->text_len);
    if (st)
        return st;
    if (t->field_len == 2 && strncasecmp(t->field, "id", 2) == 0) {
        if ((st = att_id_check(val.data)) == ATT_OK &&
            (st = att_id_term(val.data, &p->scratch)) == ATT_OK)
            *out = att_qnode_term(ATT_Q_FILTER, p->scratch.data,
                                  p->scratch.len, t->start);
        else
            st = att_error_set_at(ATT_QUERY_SYNTAX, (long)vpos,
                                  "id: needs an article id");
    } else if (t->field_len == 6 && strncasecmp(t->field, "source", 6) == 0) {
        att_buf folded = ATT_BUF_INIT;
        if ((st = att_source_fold(val.data, &folded)) == ATT_OK) {
            if (folded.len == 0) {
                st = att_error_set_at(ATT_QUERY_SYNTAX, (long)vpos,
                                      "source: needs a source name");
            } else {
                p->scratch.len = 0;
                if (!(st = att_buf_puts(&p->scratch, ATT_PREFIX_SOURCE)) &&
                    !(st = att_buf_append(&p->scratch, folded.data, folded.len)))
                    *out = att_qnode_term(ATT_Q_FILTER, p->scratch.data,
                                          p->scratch.len, t->start);
            }
        }
        att_buf_free(&folded);
    } else {
        st = att_error_set_at(ATT_QUERY_SYNTAX, (long)t->start,
                              "unknown field \"%.*s:\" (fields are title:, "
                              "source:, id:, date:, person:, org: and "
                              "place:)",
                              (int)t->field_len, t->field);
    }
    att_buf_free(&val);
    if (st == ATT_OK && !*out)
        st = att_error_nomem();
    return st;
}

/* ---- grammar ------------------------------------------------------------ */

static att_status parse_conj(parser *p, int depth, att_qnode **out);

/* A parsed operand with its sign.  `node` may be NULL for a word without
 * any terms (punctuation), which the caller drops. */
typedef struct operand {
    att_qnode *node;
    char sign;
    size_t pos;
} operand;

static att_status parse_unary(parser *p, int depth, operand *o)
{
    memset(o, 0, sizeof *o);
    tok *t;
    att_status st = peek(p, &t);
    if (st)
        return st;
    o->pos = t->start;
    o->sign = t->sign;
    switch (t->kind) {
    case T_LPAREN: {
        size_t open = t->start;
        advance(p);
        if (depth > 100)
            return syntax(open, "parentheses nested too deeply");
        if ((st = peek(p, &t)))
            return st;
        if (t->kind == T_RPAREN)
            return syntax(open, "empty parentheses");
        if ((st = parse_conj(p, depth + 1, &o->node)))
            return st;
        if ((st = peek(p, &t))) {
            att_qnode_free(o->node);
            o->node = NULL;
            return st;
        }
        if (t->kind != T_RPAREN) {
            att_qnode_free(o->node);
            o->node = NULL;
            return syntax(open, "unbalanced parenthesis: no closing )");
        }
        advance(p);
        return ATT_OK;
    }
    case T_WORD:
    case T_PHRASE: {
        /* '*' is a wildcard only at the end of a bare word; anywhere else
         * it would silently vanish in analysis, so it is an error. */
        size_t vpos = (size_t)(t->text - p->q);
        size_t lim = t->kind == T_WORD ? t->text_len - 1 : t->text_len;
        for (size_t i = 0; i < lim; i++)
            if (t->text[i] == '*' && !(t->field && t->field_len == 4))
                return syntax(vpos + i,
                              t->kind == T_PHRASE
                                  ? "wildcards (*) cannot be used inside "
                                    "quotes"
                                  : "* is a wildcard only at the end of a "
                                    "word, as in negotiat*");
        if (t->kind == T_PHRASE && t->text_len &&
            t->text[t->text_len - 1] == '*' && !t->field)
            return syntax(vpos + t->text_len - 1,
                          "wildcards (*) cannot be used inside quotes");
        advance(p);
        if (t->field)
            return field_node(p, t, &o->node);
        if (is_wildcard(t))
            return wildcard_node(p, ATT_PREFIX_TEXT, t->exact, t->text,
                                 t->text_len, (size_t)(t->text - p->q),
                                 &o->node);
        st = text_node(p, ATT_PREFIX_TEXT, t->exact, t->text, t->text_len,
                       (size_t)(t->text - p->q), &o->node);
        if (st == ATT_OK && o->node && !t->exact && !t->sign) {
            /* A plain word or phrase: may name an entity (parse_conj). */
            o->node->src = (size_t)(t->text - p->q);
            o->node->src_len = t->text_len;
            o->node->quoted = t->kind == T_PHRASE;
        }
        return st;
    }
    case T_RPAREN:
        return syntax(t->start, "unbalanced parenthesis: no opening (");
    case T_AND:
    case T_OR:
    case T_NOT:
    case T_NEAR:
        return syntax(t->start, t->kind == T_AND    ? "AND needs a term before it"
                                : t->kind == T_OR   ? "OR needs a term before it"
                                : t->kind == T_NEAR ? "NEAR and ADJ need a word "
                                                      "before them"
                                                    : "NOT needs a term after it");
    case T_END:
        return syntax(t->start, "the query ends where a term was expected");
    }
    return syntax(t->start, "unexpected token");
}

/* Checks that an operand of NEAR/ADJ is one word's term. */
static att_status near_operand(const operand *o)
{
    if (o->sign)
        return syntax(o->pos, "+ and - cannot be used with NEAR or ADJ");
    if (!o->node)
        return syntax(o->pos, "NEAR and ADJ join words; this has no word "
                              "to search for");
    if (o->node->kind != ATT_Q_TERM)
        return syntax(o->pos, "NEAR and ADJ join single words (not phrases, "
                              "parentheses or id:/source: filters)");
    return ATT_OK;
}

static att_status parse_near(parser *p, int depth, operand *o)
{
    att_status st = parse_unary(p, depth, o);
    if (st)
        return st;
    att_qnode *near = NULL;
    for (;;) {
        tok *t;
        if ((st = peek(p, &t)))
            goto fail;
        if (t->kind != T_NEAR)
            break;
        size_t opos = t->start;
        uint32_t n = t->near;
        bool ordered = t->ordered;
        if (!near && (st = near_operand(o)))
            goto fail;
        advance(p);
        if ((st = peek(p, &t)))
            goto fail;
        if (t->kind != T_WORD && t->kind != T_PHRASE && t->kind != T_LPAREN) {
            st = syntax(opos, ordered ? "ADJ needs a word after it"
                                      : "NEAR needs a word after it");
            goto fail;
        }
        operand r;
        if ((st = parse_unary(p, depth, &r)))
            goto fail;
        if ((st = near_operand(&r))) {
            att_qnode_free(r.node);
            goto fail;
        }
        if (!near) {
            near = att_qnode_new(ATT_Q_NEAR, o->pos);
            if (!near || (st = att_qnode_add(near, o->node))) {
                if (!near)
                    att_qnode_free(o->node);
                o->node = NULL;
                att_qnode_free(r.node);
                st = att_error_nomem();
                goto fail;
            }
            near->window = n;
            near->ordered = ordered;
            o->node = near;
        } else if (near->window != n || near->ordered != ordered) {
            att_qnode_free(r.node);
            st = syntax(opos, "a chain of NEAR/ADJ words must use one "
                              "operator throughout (as in a NEAR/5 b NEAR/5 c)");
            goto fail;
        }
        if ((st = att_qnode_add(near, r.node)))
            goto fail;
    }
    if (near) /* n positions apart for each step of the chain */
        near->window = near->window * (uint32_t)(near->n_kids - 1) + 1;
    return ATT_OK;
fail:
    att_qnode_free(o->node);
    o->node = NULL;
    return st;
}

static att_status parse_disj(parser *p, int depth, operand *o)
{
    att_status st = parse_near(p, depth, o);
    if (st)
        return st;
    att_qnode *or_node = NULL;
    for (;;) {
        tok *t;
        if ((st = peek(p, &t)))
            goto fail;
        if (t->kind != T_OR)
            break;
        size_t opos = t->start;
        advance(p);
        if ((st = peek(p, &t)))
            goto fail;
        if (t->kind == T_END || t->kind == T_RPAREN || t->kind == T_AND ||
            t->kind == T_OR || t->kind == T_NOT || t->kind == T_NEAR) {
            st = syntax(opos, "OR needs a term after it");
            goto fail;
        }
        operand r;
        if ((st = parse_near(p, depth, &r)))
            goto fail;
        if (r.sign || (o->sign && !or_node)) {
            att_qnode_free(r.node);
            st = syntax(r.sign ? r.pos : o->pos,
                        "+ and - cannot be used inside OR; use parentheses");
            goto fail;
        }
        if (!r.node)
            continue;
        if (!o->node) {
            o->node = r.node;
            continue;
        }
        if (!or_node) {
            or_node = att_qnode_new(ATT_Q_OR, o->pos);
            if (!or_node || (st = att_qnode_add(or_node, o->node))) {
                if (!or_node)
                    att_qnode_free(o->node);
                o->node = NULL;
                att_qnode_free(r.node);
                st = att_error_nomem();
                goto fail;
            }
            o->node = or_node;
        }
        if ((st = att_qnode_add(or_node, r.node)))
            goto fail;
    }
    if (or_node && p->expand &&
        (st = att_qentity_expand(p->an, p->q, or_node, false)))
        goto fail;
    return ATT_OK;
fail:
    att_qnode_free(o->node);
    o->node = NULL;
    return st;
}

/* Joins the kids of `list` into one node: NULL when empty, the kid itself
 * when alone, else `list` (ownership moves to *out; `list` is consumed). */
static att_qnode *collapse(att_qnode *list)
{
    if (list->n_kids == 0) {
        att_qnode_free(list);
        return NULL;
    }
    if (list->n_kids == 1) {
        att_qnode *k = list->kids[0];
        list->n_kids = 0;
        att_qnode_free(list);
        return k;
    }
    return list;
}

/* A node of `kind` with exactly the two kids a and b (consumed). */
static att_qnode *pair(att_qkind kind, att_qnode *a, att_qnode *b)
{
    att_qnode *n = att_qnode_new(kind, a->qpos);
    if (!n || att_qnode_add(n, a) != ATT_OK) {
        if (!n)
            att_qnode_free(a);
        att_qnode_free(n);
        att_qnode_free(b);
        return NULL;
    }
    if (att_qnode_add(n, b) != ATT_OK) {
        att_qnode_free(n);
        return NULL;
    }
    return n;
}

/* Whether a node only filters (id:, source:, date:, person:, org:,
 * place:), adding no weight. */
static bool is_filter(const att_qnode *q)
{
    if (q->kind == ATT_Q_FILTER || q->kind == ATT_Q_RANGE)
        return true;
    if (q->kind != ATT_Q_OR || !q->n_kids)
        return false;
    for (size_t i = 0; i < q->n_kids; i++)
        if (!is_filter(q->kids[i]))
            return false;
    return true;
}

/* A plain word's single term (no field, sign, "=", wildcard or phrase). */
static bool plain_term(const att_qnode *q)
{
    return q->kind == ATT_Q_TERM && q->src_len && !q->quoted;
}

/* Natural-language mode: each two consecutive optional plain words (stop
 * words dropped between them) also count, scaled by p->proximity, where
 * they stand within p->proximity_window words of each other, in either
 * order: "troops stationed in West Germany" ranks first the articles
 * where "west" and "germany" (and "troops", "stationed") are close
 * together.  The pairs match nothing the words alone do not, so the
 * matches are unchanged.  docs/EVALUATION.md has the measured effect. */
static att_status proximity_pairs(parser *p, att_qnode *opt)
{
    size_t n = opt->n_kids;
    for (size_t i = 0; i + 1 < n; i++) {
        const att_qnode *a = opt->kids[i], *b = opt->kids[i + 1];
        if (!plain_term(a) || !plain_term(b) ||
            (a->term_len == b->term_len &&
             memcmp(a->term, b->term, a->term_len) == 0))
            continue;
        att_qnode *near = att_qnode_new(ATT_Q_NEAR, a->qpos);
        if (!near)
            return att_error_nomem();
        att_status st;
        if ((st = att_qnode_add(near, att_qnode_term(ATT_Q_TERM, a->term,
                                                     a->term_len, a->qpos))) ||
            (st = att_qnode_add(near, att_qnode_term(ATT_Q_TERM, b->term,
                                                     b->term_len, b->qpos)))) {
            att_qnode_free(near);
            return st;
        }
        near->window = p->proximity_window;
        near->scale = p->proximity;
        near->rank_only = true;
        if ((st = att_qnode_add(opt, near)))
            return st;
    }
    return ATT_OK;
}

/* Whether two nodes are the same optional word (one term) or the same
 * proximity pair (the same two terms, in either order: the window is
 * unordered). */
static bool same_term(const att_qnode *a, const att_qnode *b)
{
    return a->term_len == b->term_len &&
           memcmp(a->term, b->term, a->term_len) == 0;
}

static bool same_optional(const att_qnode *a, const att_qnode *b)
{
    if (a->kind == ATT_Q_TERM && b->kind == ATT_Q_TERM)
        return same_term(a, b);
    if (a->kind != ATT_Q_NEAR || b->kind != ATT_Q_NEAR || !a->rank_only ||
        !b->rank_only || a->n_kids != 2 || b->n_kids != 2)
        return false;
    const att_qnode *a0 = a->kids[0], *a1 = a->kids[1];
    const att_qnode *b0 = b->kids[0], *b1 = b->kids[1];
    return (same_term(a0, b0) && same_term(a1, b1)) ||
           (same_term(a0, b1) && same_term(a1, b0));
}

/* Natural-language mode: a word, or a proximity pair, that the question
 * has more than once counts once.  In a sentence repetition is syntax,
 * not emphasis ("the number of troops stationed in South Viet Nam and the
 * number of troops stationed in West Germany" asks about troops as much
 * as about Germany), while each copy of a word in an OR query adds its
 * whole BM25 weight again.  The pairs are formed first, from the words in
 * the order typed, so "stationed ... West" still pairs.  TIME, tuning
 * queries: MAP 0.689 -> 0.700 (docs/EVALUATION.md). */
static void drop_repeats(att_qnode *opt)
{
    size_t k = 0;
    for (size_t i = 0; i < opt->n_kids; i++) {
        att_qnode *x = opt->kids[i];
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = same_optional(opt->kids[j], x);
        if (seen)
            att_qnode_free(x);
        else
            opt->kids[k++] = x;
    }
    opt->n_kids = k;
}

/* A sequence of operands.  Each goes to one of three lists: required
 * (every one must match), optional (each adds weight) and excluded.  With
 * AND as the default operator every positive operand is required; with OR
 * as the default, juxtaposed operands are optional and an operand becomes
 * required when it has a "+" or stands next to an explicit AND.  The
 * result is  required AND_MAYBE optional AND_NOT excluded,  simplified. */
static att_status parse_conj(parser *p, int depth, att_qnode **out)
{
    *out = NULL;
    att_qnode *req = att_qnode_new(ATT_Q_AND, p->at);
    att_qnode *opt = att_qnode_new(ATT_Q_OR, p->at);
    att_qnode *neg = att_qnode_new(ATT_Q_OR, p->at);
    att_status st = ATT_OK;
    bool any = false;
    bool last_in_opt = false; /* the last positive operand is opt's last kid */
    if (!req || !opt || !neg) {
        st = att_error_nomem();
        goto out;
    }
    for (;;) {
        tok *t;
        if ((st = peek(p, &t)))
            goto out;
        if (t->kind == T_END || t->kind == T_RPAREN)
            break;
        bool negate = false, explicit_and = false;
        size_t oppos = t->start;
        if (t->kind == T_AND) {
            if (!any) {
                st = syntax(t->start, "AND needs a term before it");
                goto out;
            }
            advance(p);
            explicit_and = true;
            if ((st = peek(p, &t)))
                goto out;
            if (t->kind == T_NOT) {
                oppos = t->start;
                advance(p);
                negate = true;
                if ((st = peek(p, &t)))
                    goto out;
            }
            if (t->kind == T_END || t->kind == T_RPAREN || t->kind == T_AND ||
                t->kind == T_OR || t->kind == T_NOT || t->kind == T_NEAR) {
                st = syntax(oppos, negate ? "NOT needs a term after it"
                                          : "AND needs a term after it");
                goto out;
            }
        } else if (t->kind == T_NOT) {
            advance(p);
            negate = true;
            if ((st = peek(p, &t)))
                goto out;
            if (t->kind == T_END || t->kind == T_RPAREN || t->kind == T_AND ||
                t->kind == T_OR || t->kind == T_NOT || t->kind == T_NEAR) {
                st = syntax(oppos, "NOT needs a term after it");
                goto out;
            }
        } else if (t->kind == T_OR) {
            st = syntax(t->start, "OR needs a term before it");
            goto out;
        } else if (t->kind == T_NEAR) {
            st = syntax(t->start, "NEAR and ADJ need a word before them");
            goto out;
        }
        operand o;
        if ((st = parse_disj(p, depth, &o)))
            goto out;
        any = true;
        if (!o.node)
            continue;
        if (o.sign == '-')
            negate = !negate;
        if (negate) {
            if ((st = att_qnode_add(neg, o.node)))
                goto out;
            continue;
        }
        if (explicit_and && last_in_opt) {
            /* "a AND b": a is required too */
            att_qnode *prev = opt->kids[--opt->n_kids];
            if ((st = att_qnode_add(req, prev)))
                goto out;
        }
        /* Filters always narrow, whatever the default operator. */
        bool required = !p->default_or || explicit_and || o.sign == '+' ||
                        is_filter(o.node);
        if ((st = att_qnode_add(required ? req : opt, o.node)))
            goto out;
        last_in_opt = !required;
    }
    /* Plain words that name an entity also find its other names, when
     * they are required (the default, or +word under --any): optional
     * words rank a natural-language question, and expanding them lowered
     * MAP on TIME (0.647 -> 0.639, docs/EVALUATION.md). */
    if (p->expand && (st = att_qentity_expand(p->an, p->q, req, true)))
        goto out;
    if (p->default_or) {
        /* Natural-language mode: optional stop words add nothing but
         * noise, unless they are all there is. */
        size_t content = req->n_kids, k = 0;
        for (size_t i = 0; i < opt->n_kids; i++)
            content += !(opt->kids[i]->kind == ATT_Q_TERM && opt->kids[i]->stopword);
        for (size_t i = 0; content && i < opt->n_kids; i++) {
            if (opt->kids[i]->kind == ATT_Q_TERM && opt->kids[i]->stopword)
                att_qnode_free(opt->kids[i]);
            else
                opt->kids[k++] = opt->kids[i];
        }
        if (content)
            opt->n_kids = k;
        if (p->proximity > 0 && (st = proximity_pairs(p, opt)))
            goto out;
        if (!p->repeats)
            drop_repeats(opt);
    }
    att_qnode *r = collapse(req), *o = collapse(opt), *n = collapse(neg);
    req = opt = neg = NULL;
    att_qnode *pos = NULL;
    if (r && o) {
        if (!(pos = pair(ATT_Q_AND_MAYBE, r, o))) {
            att_qnode_free(n);
            st = att_error_nomem();
            goto out;
        }
    } else {
        pos = r ? r : o;
    }
    if (!n) {
        *out = pos; /* NULL when nothing searchable */
        goto out;
    }
    if (!pos && !(pos = att_qnode_new(ATT_Q_MATCH_ALL, n->qpos))) {
        att_qnode_free(n);
        st = att_error_nomem();
        goto out;
    }
    if (!(*out = pair(ATT_Q_AND_NOT, pos, n)))
        st = att_error_nomem();
out:
    att_qnode_free(req);
    att_qnode_free(opt);
    att_qnode_free(neg);
    return st;
}

att_status att_query_parse(att_analyzer *an, const char *query,
                           att_qnode **out)
{
    return att_query_parse_ex(an, query, NULL, out);
}

att_status att_query_parse_ex(att_analyzer *an, const char *query,
                              const att_qparse_opts *opts, att_qnode **out)
{
    *out = NULL;
    if (!query)
        return att_error_set(ATT_INVALID, "query is NULL");
    size_t len = strlen(query);
    size_t bad = 0;
    if (!att_utf8_valid(query, len, &bad))
        return att_error_set_at(ATT_QUERY_SYNTAX, (long)bad,
                                "query is not valid UTF-8 at byte %zu", bad);
    parser p = {an, opts && opts->default_or, !(opts && opts->no_expansion),
                opts ? opts->proximity : 0,
                opts && opts->proximity_window ? opts->proximity_window : 1,
                opts && opts->today ? opts->today : 0,
                query, len, 0, {0}, false, ATT_BUF_INIT,
                opts && opts->count_repeats};
    att_qnode *q = NULL;
    att_status st = parse_conj(&p, 0, &q);
    if (st == ATT_OK) {
        tok *t;
        if ((st = peek(&p, &t)) == ATT_OK && t->kind == T_RPAREN)
            st = syntax(t->start, "unbalanced parenthesis: no opening (");
    }
    if (st == ATT_OK && !q)
        st = att_error_set_at(ATT_EMPTY_QUERY, 0,
                              "the query has no words to search for");
    att_buf_free(&p.scratch);
    if (st) {
        att_qnode_free(q);
        return st;
    }
    *out = q;
    return ATT_OK;
}
