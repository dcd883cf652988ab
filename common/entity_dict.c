/*
 * entity_dict.c: the entity dictionary: parsing the TSV lines of the
 * files in corpus/entities/ (docs/ENTITIES.md), the tables that find its names in
 * token sequences, and the built-in copy compiled into the library.
 *
 * Every name line (name, alias, abbr, demonym) is folded by the analyser
 * into its words ("Tehrik-i-Taliban Pakistan" -> tehrik i taliban
 * pakistan); the words joined by spaces are the key of a hash table whose
 * entries list every entity with that name.  A second table holds the
 * hashes of every proper prefix of every key, so that a scan gives up on a
 * start position as soon as no name can begin like the text there.  Each
 * name remembers which of its words are capitalised (and, for an abbr, the
 * bytes as written) to apply the capitalisation rules of entity_dict.h.
 */
#include "entity_dict.h"
#include "embedded.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Longest name in words; longer lines are rejected as malformed. */
#define MAX_NAME_WORDS 16

typedef struct dname {
    uint32_t entity;
    uint32_t key;        /* offset of the folded key in d->pool */
    uint32_t key_len;
    uint32_t orig;       /* abbr: offset of the words as written, '\x1f' between */
    uint32_t orig_len;
    uint32_t next;       /* next name with the same key's hash slot chain, or NONE */
    uint16_t caps;       /* bit k: word k is capitalised in the line */
    uint8_t n_words;
    uint8_t kind;        /* att_dkind */
} dname;

#define NONE UINT32_MAX

struct att_dict {
    att_dict_entity *ents;
    size_t n_ents, cap_ents;
    char *pool;          /* every string: ids, names, classes, keys */
    size_t pool_len, pool_cap;
    dname *names;
    size_t n_names, cap_names;
    uint32_t *slots;     /* key hash table: index into names or NONE */
    uint64_t *slot_hash;
    size_t n_slots;
    uint64_t *prefixes;  /* hash set of key prefixes; 0 = empty */
    size_t n_prefixes;
    uint32_t *id_off;    /* per entity: its id's offset in the pool */
    uint32_t *id_slots;  /* (type, id) -> entity index */
    size_t n_id_slots;
    size_t max_words;
};

/* ---- small helpers --------------------------------------------------------- */

static uint64_t key_hash(const char *s, size_t n)
{
    uint64_t h = att_hash64(s, n);
    return h ? h : 1; /* 0 marks an empty prefix slot */
}

static att_status pool_add(att_dict *d, const char *s, size_t n, uint32_t *off)
{
    if (d->pool_len + n + 1 > d->pool_cap) {
        size_t cap = d->pool_cap ? d->pool_cap * 2 : 65536;
        while (cap < d->pool_len + n + 1)
            cap *= 2;
        char *p = realloc(d->pool, cap);
        if (!p)
            return att_error_nomem();
        d->pool = p;
        d->pool_cap = cap;
    }
    if (d->pool_len + n + 1 > UINT32_MAX)
        return att_error_set(ATT_INVALID, "entity dictionary too large");
    *off = (uint32_t)d->pool_len;
    memcpy(d->pool + d->pool_len, s, n);
    d->pool[d->pool_len + n] = '\0';
    d->pool_len += n + 1;
    return ATT_OK;
}

static bool first_is_upper(const char *s, size_t n)
{
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(s, i, (int32_t)n, c);
    return c >= 0 && (u_isupper(c) || u_istitle(c));
}

static const char *const TYPE_NAMES[ATT_ETYPE_COUNT] = {"person", "org",
                                                        "place"};

static int parse_type(const char *s, size_t n)
{
    for (int t = 0; t < ATT_ETYPE_COUNT; t++)
        if (strlen(TYPE_NAMES[t]) == n && memcmp(TYPE_NAMES[t], s, n) == 0)
            return t;
    return -1;
}

static bool valid_id(const char *s, size_t n)
{
    if (n == 0 || n > 100 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (c == '-' && s[i - 1] != '-')))
            return false;
    }
    return true;
}

/* ---- the (type, id) table -------------------------------------------------- */

static uint64_t id_hash(att_etype type, const char *id, size_t n)
{
    return att_hash64(id, n) * 31 + (uint64_t)type;
}

static int32_t find_id(const att_dict *d, att_etype type, const char *id,
                       size_t n)
{
    if (!d->n_id_slots)
        return -1;
    size_t mask = d->n_id_slots - 1;
    for (size_t i = id_hash(type, id, n) & mask;; i = (i + 1) & mask) {
        uint32_t e = d->id_slots[i];
        if (e == NONE)
            return -1;
        const char *x = d->pool + d->id_off[e];
        if (d->ents[e].type == type && strlen(x) == n && memcmp(x, id, n) == 0)
            return (int32_t)e;
    }
}

static att_status id_table_grow(att_dict *d)
{
    size_t n = d->n_id_slots ? d->n_id_slots * 2 : 1024;
    uint32_t *s = att_malloc_array(n, sizeof *s);
    if (!s)
        return att_error_nomem();
    for (size_t i = 0; i < n; i++)
        s[i] = NONE;
    for (size_t i = 0; i < d->n_id_slots; i++) {
        uint32_t e = d->id_slots[i];
        if (e == NONE)
            continue;
        const char *x = d->pool + d->id_off[e];
        size_t j = id_hash(d->ents[e].type, x, strlen(x)) & (n - 1);
        while (s[j] != NONE)
            j = (j + 1) & (n - 1);
        s[j] = e;
    }
    free(d->id_slots);
    d->id_slots = s;
    d->n_id_slots = n;
    return ATT_OK;
}

/* The entity (type, id), created if new (its strings point into the pool
 * only once loading ends: here they hold pool offsets). */
static att_status entity_get(att_dict *d, att_etype type, const char *id,
                             size_t n, uint32_t *out)
{
    int32_t e = find_id(d, type, id, n);
    if (e >= 0) {
        *out = (uint32_t)e;
        return ATT_OK;
    }
    att_status st;
    if ((d->n_ents + 1) * 2 > d->n_id_slots && (st = id_table_grow(d)))
        return st;
    if (d->n_ents == d->cap_ents) {
        size_t cap = d->cap_ents ? d->cap_ents * 2 : 1024;
        att_dict_entity *p = att_realloc_array(d->ents, cap, sizeof *p);
        if (!p)
            return att_error_nomem();
        d->ents = p;
        uint32_t *q = att_realloc_array(d->id_off, cap, sizeof *q);
        if (!q)
            return att_error_nomem();
        d->id_off = q;
        d->cap_ents = cap;
    }
    uint32_t off;
    if ((st = pool_add(d, id, n, &off)))
        return st;
    att_dict_entity *x = &d->ents[d->n_ents];
    memset(x, 0, sizeof *x);
    x->type = type;
    x->part_of = -1;
    d->id_off[d->n_ents] = off; /* x->id is set once the pool stops moving */
    x->capital = -1;
    size_t mask = d->n_id_slots - 1;
    size_t j = id_hash(type, id, n) & mask;
    while (d->id_slots[j] != NONE)
        j = (j + 1) & mask;
    d->id_slots[j] = (uint32_t)d->n_ents;
    *out = (uint32_t)d->n_ents++;
    return ATT_OK;
}

/* ---- folding a name into its key ------------------------------------------ */

typedef struct fold_ctx {
    att_buf *key;
    att_buf *orig;        /* the words as written, '\x1f' between */
    const char *text;
    size_t n_words;
    uint16_t caps;
    bool too_long;
} fold_ctx;

static att_status fold_word_cb(void *vctx, const att_token *tok)
{
    fold_ctx *c = vctx;
    if (c->n_words >= MAX_NAME_WORDS) {
        c->too_long = true;
        return ATT_OK;
    }
    att_status st;
    if (c->n_words && ((st = att_buf_putc(c->key, ' ')) ||
                       (st = att_buf_putc(c->orig, '\x1f'))))
        return st;
    if ((st = att_buf_append(c->key, tok->form, tok->form_len)) ||
        (st = att_buf_append(c->orig, c->text + tok->start,
                             tok->end - tok->start)))
        return st;
    if (first_is_upper(c->text + tok->start, tok->end - tok->start))
        c->caps |= (uint16_t)(1u << c->n_words);
    c->n_words++;
    return ATT_OK;
}

/* Folds a name: key (words joined by spaces, a leading "the" dropped),
 * the words as written, and the capitalisation bits. */
static att_status fold_name(att_analyzer *an, const char *s, size_t n,
                            att_buf *key, att_buf *orig, size_t *n_words,
                            uint16_t *caps)
{
    key->len = 0;
    orig->len = 0;
    fold_ctx c = {key, orig, s, 0, 0, false};
    att_status st = att_analyze(an, s, n, fold_word_cb, &c);
    if (st)
        return st;
    if (c.too_long)
        return att_error_set(ATT_INVALID, "more than %d words",
                             MAX_NAME_WORDS);
    if (c.n_words > 1 && key->len > 4 && memcmp(key->data, "the ", 4) == 0) {
        memmove(key->data, key->data + 4, key->len - 4);
        key->len -= 4;
        key->data[key->len] = '\0';
        char *sep = memchr(orig->data, '\x1f', orig->len);
        size_t cut = (size_t)(sep - orig->data) + 1;
        memmove(orig->data, orig->data + cut, orig->len - cut);
        orig->len -= cut;
        orig->data[orig->len] = '\0';
        c.n_words--;
        c.caps >>= 1;
    }
    *n_words = c.n_words;
    *caps = c.caps;
    return ATT_OK;
}

/* ---- the key tables -------------------------------------------------------- */

static bool prefix_has(const att_dict *d, uint64_t h)
{
    size_t mask = d->n_prefixes - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (d->prefixes[i] == h)
            return true;
        if (!d->prefixes[i])
            return false;
    }
}

/* The set is sized once (build_tables) with its load under a half. */
static void prefix_add(att_dict *d, uint64_t h)
{
    size_t mask = d->n_prefixes - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (d->prefixes[i] == h)
            return;
        if (!d->prefixes[i]) {
            d->prefixes[i] = h;
            return;
        }
    }
}

/* Builds the key table and the prefix set once every name is read. */
static att_status build_tables(att_dict *d)
{
    size_t n = 1024;
    while (n < d->n_names * 2)
        n *= 2;
    d->slots = att_malloc_array(n, sizeof *d->slots);
    d->slot_hash = att_malloc_array(n, sizeof *d->slot_hash);
    if (!d->slots || !d->slot_hash)
        return att_error_nomem();
    d->n_slots = n;
    for (size_t i = 0; i < n; i++)
        d->slots[i] = NONE;
    size_t n_pref = 0;
    for (size_t i = 0; i < d->n_names; i++)
        n_pref += d->names[i].n_words;
    size_t np = 4096;
    while (np < n_pref * 2)
        np *= 2;
    d->prefixes = calloc(np, sizeof *d->prefixes);
    if (!d->prefixes)
        return att_error_nomem();
    d->n_prefixes = np;
    /* In reverse, so each chain lists names in file order. */
    for (size_t k = d->n_names; k-- > 0;) {
        dname *m = &d->names[k];
        const char *key = d->pool + m->key;
        uint64_t h = key_hash(key, m->key_len);
        size_t i = h & (n - 1);
        while (d->slots[i] != NONE && d->slot_hash[i] != h)
            i = (i + 1) & (n - 1);
        m->next = d->slots[i];
        d->slots[i] = (uint32_t)k;
        d->slot_hash[i] = h;
        for (size_t j = 0; j < m->key_len; j++)
            if (key[j] == ' ')
                prefix_add(d, key_hash(key, j));
        if (m->n_words > d->max_words)
            d->max_words = m->n_words;
    }
    return ATT_OK;
}

/* The first name whose key is [key, key+n), or NONE. */
static uint32_t names_with_key(const att_dict *d, const char *key, size_t n)
{
    uint64_t h = key_hash(key, n);
    size_t mask = d->n_slots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t k = d->slots[i];
        if (k == NONE)
            return NONE;
        if (d->slot_hash[i] == h) {
            const dname *m = &d->names[k];
            if (m->key_len == n && memcmp(d->pool + m->key, key, n) == 0)
                return k;
        }
    }
}

/* ---- loading --------------------------------------------------------------- */

static const struct {
    const char *name;
    int kind; /* att_dkind, or one of the relation kinds below */
} KINDS[] = {{"name", ATT_DKIND_NAME},       {"alias", ATT_DKIND_ALIAS},
             {"abbr", ATT_DKIND_ABBR},       {"demonym", ATT_DKIND_DEMONYM},
             {"class", 10},                  {"part-of", 11},
             {"capital", 12}};

typedef struct relation {
    uint32_t entity;
    uint32_t target;  /* pool offset of the target id */
    size_t line;
    bool capital;
} relation;

att_status att_dict_load(att_dict **out, const char *text, size_t len,
                         const char *what, att_analyzer *an)
{
    *out = NULL;
    att_dict *d = calloc(1, sizeof *d);
    if (!d)
        return att_error_nomem();
    att_buf key = ATT_BUF_INIT, orig = ATT_BUF_INIT;
    relation *rel = NULL;
    size_t n_rel = 0, cap_rel = 0;
    uint32_t *name_off = NULL, *cls_off = NULL; /* per entity, pool offsets */
    att_status st = ATT_OK;
    size_t line = 0;
    size_t bad = 0;
    if (!att_utf8_valid(text, len, &bad)) {
        st = att_error_set(ATT_CORRUPT, "%s: invalid UTF-8 at byte %zu", what,
                           bad);
        goto fail;
    }
    for (size_t at = 0; at < len;) {
        const char *l = text + at;
        const char *nl = memchr(l, '\n', len - at);
        size_t ll = nl ? (size_t)(nl - l) : len - at;
        at += ll + (nl ? 1 : 0);
        line++;
        if (ll && l[ll - 1] == '\r')
            ll--;
        if (ll == 0 || l[0] == '#')
            continue;
        const char *col[4];
        size_t cl[4];
        size_t nc = 0;
        for (size_t i = 0, s = 0; i <= ll; i++) {
            if (i == ll || l[i] == '\t') {
                if (nc < 4) {
                    col[nc] = l + s;
                    cl[nc] = i - s;
                }
                nc++;
                s = i + 1;
            }
        }
        if (nc != 4) {
            st = att_error_set(ATT_CORRUPT, "%s:%zu: %zu columns, expected 4 "
                               "(id, type, kind, value)", what, line, nc);
            goto fail;
        }
        if (!valid_id(col[0], cl[0])) {
            st = att_error_set(ATT_CORRUPT, "%s:%zu: bad id \"%.*s\" (lower-case "
                               "letters, digits and single '-')", what, line,
                               (int)cl[0], col[0]);
            goto fail;
        }
        int type = parse_type(col[1], cl[1]);
        if (type < 0) {
            st = att_error_set(ATT_CORRUPT, "%s:%zu: bad type \"%.*s\" (person, "
                               "org or place)", what, line, (int)cl[1], col[1]);
            goto fail;
        }
        int kind = -1;
        for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
            if (strlen(KINDS[i].name) == cl[2] &&
                memcmp(KINDS[i].name, col[2], cl[2]) == 0)
                kind = KINDS[i].kind;
        if (kind < 0) {
            st = att_error_set(ATT_CORRUPT, "%s:%zu: bad kind \"%.*s\" (name, "
                               "alias, abbr, demonym, class, part-of, capital)",
                               what, line, (int)cl[2], col[2]);
            goto fail;
        }
        if (cl[3] == 0) {
            st = att_error_set(ATT_CORRUPT, "%s:%zu: empty value", what, line);
            goto fail;
        }
        uint32_t e = 0;
        size_t before = d->n_ents;
        if ((st = entity_get(d, (att_etype)type, col[0], cl[0], &e)))
            goto fail;
        if (d->n_ents > before) {
            uint32_t *a = att_realloc_array(name_off, d->cap_ents, sizeof *a);
            uint32_t *b = a ? att_realloc_array(cls_off, d->cap_ents, sizeof *b)
                            : NULL;
            if (a)
                name_off = a;
            if (!a || !b) {
                st = att_error_nomem();
                goto fail;
            }
            cls_off = b;
            name_off[e] = NONE;
            cls_off[e] = NONE;
        }
        uint32_t off;
        if (kind >= 10) {
            if ((st = pool_add(d, col[3], cl[3], &off)))
                goto fail;
            if (kind == 10) {
                cls_off[e] = off;
                continue;
            }
            if (type != ATT_ETYPE_PLACE) {
                st = att_error_set(ATT_CORRUPT, "%s:%zu: %.*s applies to places "
                                   "only", what, line, (int)cl[2], col[2]);
                goto fail;
            }
            if (n_rel == cap_rel) {
                cap_rel = cap_rel ? cap_rel * 2 : 256;
                relation *r = att_realloc_array(rel, cap_rel, sizeof *r);
                if (!r) {
                    st = att_error_nomem();
                    goto fail;
                }
                rel = r;
            }
            rel[n_rel++] = (relation){e, off, line, kind == 12};
            continue;
        }
        if (kind == ATT_DKIND_DEMONYM && type != ATT_ETYPE_PLACE) {
            st = att_error_set(ATT_CORRUPT, "%s:%zu: demonym applies to places "
                               "only", what, line);
            goto fail;
        }
        if (kind == ATT_DKIND_NAME) {
            if (name_off[e] != NONE) {
                st = att_error_set(ATT_CORRUPT, "%s:%zu: a second name for %s "
                                   "%.*s", what, line, TYPE_NAMES[type],
                                   (int)cl[0], col[0]);
                goto fail;
            }
            if ((st = pool_add(d, col[3], cl[3], &off)))
                goto fail;
            name_off[e] = off;
        }
        size_t n_words;
        uint16_t caps;
        if ((st = fold_name(an, col[3], cl[3], &key, &orig, &n_words, &caps))) {
            if (st == ATT_INVALID)
                st = ATT_CORRUPT;
            att_error_prefix("%s:%zu", what, line);
            goto fail;
        }
        if (n_words == 0) {
            st = att_error_set(ATT_CORRUPT, "%s:%zu: \"%.*s\" has no word", what,
                               line, (int)cl[3], col[3]);
            goto fail;
        }
        if (d->n_names == d->cap_names) {
            size_t cap = d->cap_names ? d->cap_names * 2 : 4096;
            dname *p = att_realloc_array(d->names, cap, sizeof *p);
            if (!p) {
                st = att_error_nomem();
                goto fail;
            }
            d->names = p;
            d->cap_names = cap;
        }
        dname *m = &d->names[d->n_names];
        m->entity = e;
        m->kind = (uint8_t)kind;
        m->n_words = (uint8_t)n_words;
        m->caps = caps;
        if ((st = pool_add(d, key.data, key.len, &m->key)) ||
            (st = pool_add(d, orig.data, orig.len, &m->orig)))
            goto fail;
        m->key_len = (uint32_t)key.len;
        m->orig_len = (uint32_t)orig.len;
        d->n_names++;
    }
    /* The pool has stopped moving: point the entities' strings into it. */
    for (size_t e = 0; e < d->n_ents; e++) {
        att_dict_entity *x = &d->ents[e];
        if (name_off[e] == NONE) {
            st = att_error_set(ATT_CORRUPT, "%s: %s %s has no name line", what,
                               TYPE_NAMES[x->type], d->pool + d->id_off[e]);
            goto fail;
        }
        x->id = d->pool + d->id_off[e];
        x->name = d->pool + name_off[e];
        x->cls = cls_off[e] == NONE ? "" : d->pool + cls_off[e];
    }
    for (size_t i = 0; i < n_rel; i++) {
        const char *t = d->pool + rel[i].target;
        int32_t target = find_id(d, ATT_ETYPE_PLACE, t, strlen(t));
        if (target < 0) {
            st = att_error_set(ATT_CORRUPT, "%s:%zu: no place with id \"%s\"",
                               what, rel[i].line, t);
            goto fail;
        }
        if (rel[i].capital)
            d->ents[rel[i].entity].capital = target;
        else
            d->ents[rel[i].entity].part_of = target;
    }
    if ((st = build_tables(d)))
        goto fail;
    free(rel);
    free(name_off);
    free(cls_off);
    att_buf_free(&key);
    att_buf_free(&orig);
    *out = d;
    return ATT_OK;
fail:
    free(rel);
    free(name_off);
    free(cls_off);
    att_buf_free(&key);
    att_buf_free(&orig);
    att_dict_free(d);
    return st;
}

void att_dict_free(att_dict *d)
{
    if (!d)
        return;
    free(d->ents);
    free(d->pool);
    free(d->names);
    free(d->slots);
    free(d->slot_hash);
    free(d->prefixes);
    free(d->id_slots);
    free(d->id_off);
    free(d);
}

size_t att_dict_count(const att_dict *d) { return d ? d->n_ents : 0; }

const att_dict_entity *att_dict_entity_at(const att_dict *d, size_t i)
{
    return d && i < d->n_ents ? &d->ents[i] : NULL;
}

int32_t att_dict_find_id(const att_dict *d, att_etype type, const char *id)
{
    return find_id(d, type, id, strlen(id));
}

/* ---- the built-in dictionary ----------------------------------------------- */

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static att_dict *builtin;
static att_status builtin_status;
static char builtin_error[512];

static void builtin_load(void)
{
    size_t len;
    const char *text = att_builtin_dictionary_text(&len);
    att_analyzer *an = NULL;
    builtin_status = att_analyzer_new(&an);
    if (!builtin_status)
        builtin_status = att_dict_load(&builtin, text, len, "built-in entity "
                                       "dictionary", an);
    if (builtin_status)
        snprintf(builtin_error, sizeof builtin_error, "%s", att_last_error());
    att_analyzer_free(an);
}

const att_dict *att_dict_builtin(void)
{
    pthread_once(&builtin_once, builtin_load);
    if (!builtin)
        att_error_set(builtin_status ? builtin_status : ATT_INTERNAL, "%s",
                      builtin_error);
    return builtin;
}

/* ---- scanning text ---------------------------------------------------------- */

typedef struct tword {
    uint32_t form;      /* offset in the words buffer */
    uint16_t form_len;
    bool cap;
    uint32_t tok;       /* the token it came from */
    const char *orig;
    size_t orig_len;
} tword;

typedef struct word_ctx {
    att_buf *forms;
    tword *w;
    size_t n, cap;
    size_t tok;
    const char *text;
    att_status st;
} word_ctx;

static att_status collect_word(void *vctx, const att_token *tok)
{
    word_ctx *c = vctx;
    size_t flen = tok->form_len;
    /* A possessive 's (if the tokeniser left one) does not change a name. */
    if (flen > 2 && tok->form[flen - 2] == '\'' && tok->form[flen - 1] == 's')
        flen -= 2;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        tword *p = att_realloc_array(c->w, cap, sizeof *p);
        if (!p)
            return att_error_nomem();
        c->w = p;
        c->cap = cap;
    }
    tword *w = &c->w[c->n];
    w->form = (uint32_t)c->forms->len;
    w->form_len = (uint16_t)flen;
    w->tok = (uint32_t)c->tok;
    w->orig = c->text + tok->start;
    w->orig_len = tok->end - tok->start;
    w->cap = first_is_upper(w->orig, w->orig_len);
    att_status st = att_buf_append(c->forms, tok->form, flen);
    if (st)
        return st;
    c->n++;
    return ATT_OK;
}

/* Whether text words w[0, n) satisfy name m's capitalisation rules. */
static bool case_ok(const att_dict *d, const dname *m, const tword *w)
{
    if (m->kind == ATT_DKIND_ABBR) {
        const char *o = d->pool + m->orig;
        size_t left = m->orig_len;
        for (size_t k = 0; k < m->n_words; k++) {
            const char *sep = memchr(o, '\x1f', left);
            size_t wl = sep ? (size_t)(sep - o) : left;
            if (wl != w[k].orig_len || memcmp(o, w[k].orig, wl) != 0)
                return false;
            o += wl + 1;
            left -= wl + (sep ? 1 : 0);
        }
        return true;
    }
    for (size_t k = 0; k < m->n_words; k++)
        if ((m->caps >> k & 1) && !w[k].cap)
            return false;
    return true;
}

att_status att_dict_scan(const att_dict *d, att_analyzer *an,
                         const att_etoken *toks, size_t n,
                         att_dict_match **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    att_buf forms = ATT_BUF_INIT, key = ATT_BUF_INIT;
    word_ctx c = {&forms, NULL, 0, 0, 0, NULL, ATT_OK};
    size_t *first = att_malloc_array(n + 1, sizeof *first);
    att_dict_match *m = NULL;
    size_t n_m = 0, cap_m = 0;
    att_status st = first ? ATT_OK : att_error_nomem();
    for (size_t i = 0; !st && i < n; i++) {
        first[i] = c.n;
        c.tok = i;
        c.text = toks[i].text;
        st = att_analyze(an, toks[i].text, toks[i].len, collect_word, &c);
    }
    if (first)
        first[n] = c.n;
    for (size_t i = 0; !st && i < n;) {
        size_t w0 = first[i];
        if (first[i + 1] == w0) { /* no word: punctuation */
            i++;
            continue;
        }
        size_t best_tok = 0, best_name = NONE;
        key.len = 0;
        for (size_t w = w0; w < c.n && w - w0 < d->max_words; w++) {
            if (c.w[w].tok != i && toks[c.w[w].tok].sent_start)
                break; /* no name spans two sentences */
            if (w > w0 && (st = att_buf_putc(&key, ' ')))
                break;
            if ((st = att_buf_append(&key, forms.data + c.w[w].form,
                                     c.w[w].form_len)))
                break;
            bool tok_end = w + 1 == c.n || c.w[w + 1].tok != c.w[w].tok;
            if (tok_end) {
                for (uint32_t k = names_with_key(d, key.data, key.len);
                     k != NONE; k = d->names[k].next) {
                    const dname *nm = &d->names[k];
                    if (nm->key_len != key.len ||
                        memcmp(d->pool + nm->key, key.data, key.len) != 0)
                        continue;
                    if (case_ok(d, nm, &c.w[w0])) {
                        best_tok = c.w[w].tok + 1;
                        best_name = k;
                        break;
                    }
                }
            }
            if (!prefix_has(d, key_hash(key.data, key.len)))
                break;
        }
        if (st)
            break;
        if (best_name == NONE) {
            i++;
            continue;
        }
        if (n_m == cap_m) {
            cap_m = cap_m ? cap_m * 2 : 32;
            att_dict_match *p = att_realloc_array(m, cap_m, sizeof *p);
            if (!p) {
                st = att_error_nomem();
                break;
            }
            m = p;
        }
        att_dict_match *x = &m[n_m++];
        memset(x, 0, sizeof *x);
        x->start = i;
        x->n = best_tok - i;
        /* Every entity with this key whose case rules hold, once each. */
        const dname *b = &d->names[best_name];
        for (uint32_t k = best_name; k != NONE && x->n_entities <
             ATT_DICT_MAX_SENSES; k = d->names[k].next) {
            const dname *nm = &d->names[k];
            if (nm->key_len != b->key_len ||
                memcmp(d->pool + nm->key, d->pool + b->key, b->key_len) != 0 ||
                !case_ok(d, nm, &c.w[w0]))
                continue;
            bool seen = false;
            for (size_t s = 0; s < x->n_entities; s++)
                if (x->entities[s] == nm->entity)
                    seen = true;
            if (seen)
                continue;
            x->entities[x->n_entities] = nm->entity;
            x->kinds[x->n_entities++] = nm->kind;
        }
        i = best_tok;
    }
    free(first);
    free(c.w);
    att_buf_free(&forms);
    att_buf_free(&key);
    if (st) {
        free(m);
        return st;
    }
    *out = m;
    *n_out = n_m;
    return ATT_OK;
}

void att_dict_marks_from(const att_dict *d, const att_dict_match *m,
                         size_t nm, size_t n, uint16_t *marks)
{
    memset(marks, 0, n * sizeof *marks);
    for (size_t i = 0; i < nm; i++) {
        uint16_t b = 0, in = 0;
        for (size_t s = 0; s < m[i].n_entities; s++) {
            if (m[i].kinds[s] == ATT_DKIND_DEMONYM) {
                b |= ATT_DMARK_B_DEMONYM;
                in |= ATT_DMARK_I_DEMONYM;
            } else {
                att_etype t = d->ents[m[i].entities[s]].type;
                b |= (uint16_t)ATT_DMARK_B(t);
                in |= (uint16_t)ATT_DMARK_I(t);
            }
        }
        marks[m[i].start] |= b;
        for (size_t k = 1; k < m[i].n; k++)
            marks[m[i].start + k] |= in;
    }
}

att_status att_dict_marks(const att_dict *d, att_analyzer *an,
                          const att_etoken *toks, size_t n, uint16_t *marks)
{
    att_dict_match *m;
    size_t nm;
    att_status st = att_dict_scan(d, an, toks, n, &m, &nm);
    if (st)
        return st;
    att_dict_marks_from(d, m, nm, n, marks);
    free(m);
    return ATT_OK;
}

int32_t att_dict_lookup_ex(const att_dict *d, att_analyzer *an, int type,
                           const char *name, size_t len, unsigned flags)
{
    att_buf key = ATT_BUF_INIT, orig = ATT_BUF_INIT;
    size_t n_words;
    uint16_t caps;
    int32_t found = -1, demonym = -1;
    if (fold_name(an, name, len, &key, &orig, &n_words, &caps) == ATT_OK &&
        n_words) {
        for (uint32_t k = names_with_key(d, key.data, key.len); k != NONE;
             k = d->names[k].next) {
            const dname *nm = &d->names[k];
            if (nm->key_len != key.len ||
                memcmp(d->pool + nm->key, key.data, key.len) != 0 ||
                (type >= 0 && d->ents[nm->entity].type != (att_etype)type))
                continue;
            if (nm->kind == ATT_DKIND_ABBR && (flags & ATT_DLOOK_ABBR_CASE) &&
                (nm->orig_len != orig.len ||
                 memcmp(d->pool + nm->orig, orig.data, orig.len) != 0))
                continue;
            if (nm->kind == ATT_DKIND_DEMONYM) {
                if (demonym < 0)
                    demonym = (int32_t)nm->entity;
                continue;
            }
            found = (int32_t)nm->entity;
            break;
        }
    }
    att_buf_free(&key);
    att_buf_free(&orig);
    if (found < 0 && (flags & ATT_DLOOK_DEMONYMS))
        found = demonym;
    return found;
}

int32_t att_dict_lookup(const att_dict *d, att_analyzer *an, att_etype type,
                        const char *name, size_t len)
{
    return att_dict_lookup_ex(d, an, (int)type, name, len, 0);
}
