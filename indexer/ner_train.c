/*
 * ner_train.c: `ner-train`, the program that trains the named-entity
 * tagger's model (common/ner.c) from CoNLL-2003 files, and tags or scores
 * CoNLL files with a model, for development.  It is built apart from the
 * product (make model, tests/eval/ner.mk) and links the library's objects
 * it needs, so it computes features with the very code the tagger uses.
 *
 * Training (corpus/ner/README.md has the figures):
 *   1. Read the training and development files (token ... NE-tag per line,
 *      IOB1 or IOB2; a blank line ends a sentence; -DOCSTART- a document).
 *      Rewrite the all-capitals headlines of every --title-case'th
 *      training document in title case, as articles' headings are.  With
 *      a dictionary, compute each document's marks (att_dict_marks).
 *   2. Stage 1: every token's feature hashes (att_ner_doc_features), the
 *      ones seen at least --min-count times in training numbered; an
 *      averaged structured perceptron (Collins 2002) over BILOU states,
 *      one Viterbi decode and update per sentence, sentences shuffled each
 *      epoch with a fixed seed; after each epoch the averaged weights tag
 *      the development file, and the epoch with the best entity-level F1
 *      (all four types) is kept, stopping --patience epochs after it.
 *      This is done --runs times with different seeds and the runs'
 *      weights averaged.
 *   3. Stage 2 (stacking): the training documents in --folds folds; for
 *      each fold a stage-1 model trained on the other folds (as many
 *      epochs as step 2 kept) labels it, so stage 2 learns from stage-1
 *      labels as good as they are on unseen text; the development file
 *      gets the full stage-1 model's labels.  Stage 2 is trained like
 *      stage 1 with its extra features.
 *   4. The model file (format at the top of ner.c), then the file is read
 *      back and the development file tagged through att_ner_tag_doc(), the
 *      path the product takes, and scored.
 * Everything is deterministic: the same inputs give the same bytes.
 *
 * Usage: see usage() below.  Exit status 0; 1 on failure; 2 on bad usage.
 */
#include "analyze.h"
#include "entity_dict.h"
#include "internal.h"
#include "ner.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define NS ATT_NER_NSTATES

/* The program is linked without the library's embedded data
 * (common/embedded.c): it reads its model and dictionary from files, and
 * the built-in ones it never asks for are empty here. */
#include "embedded.h"

const char *att_builtin_dictionary_text(size_t *len)
{
    *len = 0;
    return "";
}

const unsigned char *att_builtin_model_bytes(size_t *len)
{
    *len = 0;
    return (const unsigned char *)"";
}

static const char *const type_names[ATT_NER_NTYPES] = {"PER", "ORG", "LOC",
                                                       "MISC"};

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: ner-train train --train FILE --dev FILE --out MODEL [options]\n"
        "       ner-train tag --model MODEL [--entities DIR] FILE\n"
        "       ner-train eval --model MODEL [--entities DIR] FILE...\n"
        "       ner-train speed --model MODEL [--entities DIR] [--repeat N] FILE\n"
        "\n"
        "train   trains a model on --train, choosing epochs on --dev\n"
        "tag     prints each line of FILE with the predicted IOB2 tag appended\n"
        "        (-DOCSTART- lines get O; blank lines stay blank)\n"
        "eval    tags each FILE and prints entity-level P/R/F1 per type\n"
        "speed   tags FILE --repeat times on one thread; prints tokens/s\n"
        "\n"
        "Options:\n"
        "  --entities DIR   dictionary features from DIR/*.tsv (concatenated in\n"
        "                   name order, as the library embeds them)\n"
        "  --stages N       1 or 2 (default 2)\n"
        "  --epochs N       at most N epochs per stage (default 30)\n"
        "  --patience N     stop N epochs after the best (default 4)\n"
        "  --folds K        folds for stage 2's training labels (default 5)\n"
        "  --runs R         R runs per stage with different seeds, averaged\n"
        "                   (default 4)\n"
        "  --title-case N   rewrite the headlines of every Nth training document\n"
        "                   in title case (default 3; 0: none)\n"
        "  --min-count N    features seen fewer times are dropped (default 2)\n"
        "  --prune N        weights rows within N steps of 0 dropped (default 0)\n"
        "  --seed N         shuffling seed (default 1)\n"
        "  --quiet          no per-epoch lines\n");
}

/* ---- small utilities -------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of the process: the speed figure, steadier than the clock on a
 * shared machine. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void die_status(const char *what)
{
    fprintf(stderr, "ner-train: %s: %s\n", what, att_last_error());
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "ner-train: out of memory\n");
        exit(1);
    }
    return p;
}

static void *xrealloc(void *p, size_t n, size_t size)
{
    p = att_realloc_array(p, n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "ner-train: out of memory\n");
        exit(1);
    }
    return p;
}

/* xorshift64*: a small generator whose sequence is fixed by the seed. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545f4914f6cdd1dULL;
}

static void shuffle(size_t *a, size_t n, uint64_t *rng)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rng_next(rng) % i);
        size_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* ---- CoNLL files ------------------------------------------------------------ */

typedef struct corpus {
    const char *path;
    char *text;              /* the file; tokens are NUL-terminated in place */
    size_t text_len;
    att_etoken *toks;
    uint8_t *gold;           /* IOB2 tags */
    uint8_t *gstates;        /* BILOU states of the gold tags */
    uint16_t *marks;         /* dictionary marks, or NULL */
    char *aug;               /* tokens rewritten by title_case(), or NULL */
    size_t n, cap;
    size_t *docs;            /* first token of each document; docs[n_docs] = n */
    size_t n_docs;
    size_t *sents;           /* first token of each sentence; sents[n_sents] = n */
    size_t n_sents;
    bool has_gold;
} corpus;

static bool is_sp(char c) { return c == ' ' || c == '\t'; }

/* The next line of text at *pos: [*line, *line + *len), without \r\n. */
static bool next_line(const char *text, size_t text_len, size_t *pos,
                      const char **line, size_t *len)
{
    if (*pos >= text_len)
        return false;
    const char *s = text + *pos;
    const char *nl = memchr(s, '\n', text_len - *pos);
    size_t l = nl ? (size_t)(nl - s) : text_len - *pos;
    *pos += l + (nl ? 1 : 0);
    if (l && s[l - 1] == '\r')
        l--;
    *line = s;
    *len = l;
    return true;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_sp(s[i]))
            return false;
    return true;
}

static bool is_docstart(const char *s, size_t n)
{
    return n >= 10 && memcmp(s, "-DOCSTART-", 10) == 0 &&
           (n == 10 || is_sp(s[10]));
}

/* Reads a CoNLL file.  With need_gold, the last column must be an NE tag
 * (O, I-T or B-T for T in PER ORG LOC MISC) and every token line must have
 * the same number of columns; IOB1 becomes IOB2. */
static void corpus_read(corpus *c, const char *path, bool need_gold)
{
    memset(c, 0, sizeof *c);
    c->path = path;
    c->has_gold = need_gold;
    /* buf keeps the lines whole; tokens are cut (NUL-terminated) in a copy. */
    char *buf;
    if (att_read_file(path, (size_t)1 << 30, &buf, &c->text_len))
        die_status("cannot read the CoNLL file");
    c->text = xcalloc(c->text_len + 1, 1);
    memcpy(c->text, buf, c->text_len);
    size_t pos = 0, lineno = 0, cols_first = 0, cap_docs = 16, cap_sents = 256;
    c->docs = xcalloc(cap_docs, sizeof *c->docs);
    c->sents = xcalloc(cap_sents, sizeof *c->sents);
    const char *line;
    size_t len;
    bool new_sent = true;
    while (next_line(buf, c->text_len, &pos, &line, &len)) {
        lineno++;
        if (blank(line, len)) {
            new_sent = true;
            continue;
        }
        if (is_docstart(line, len)) {
            if (c->n_docs + 2 > cap_docs) {
                cap_docs *= 2;
                c->docs = xrealloc(c->docs, cap_docs, sizeof *c->docs);
            }
            c->docs[c->n_docs++] = c->n;
            new_sent = true;
            continue;
        }
        /* Columns. */
        const char *col[64];
        size_t col_len[64], nc = 0;
        for (size_t i = 0; i < len;) {
            while (i < len && is_sp(line[i]))
                i++;
            if (i >= len)
                break;
            size_t j = i;
            while (j < len && !is_sp(line[j]))
                j++;
            if (nc == 64) {
                fprintf(stderr, "%s:%zu: more than 64 columns\n", path, lineno);
                exit(1);
            }
            col[nc] = line + i;
            col_len[nc++] = j - i;
            i = j;
        }
        if (need_gold) {
            if (nc < 2) {
                fprintf(stderr, "%s:%zu: want the token and its NE tag in the "
                        "last column, got %zu column%s\n", path, lineno, nc,
                        nc == 1 ? "" : "s");
                exit(1);
            }
            if (!cols_first)
                cols_first = nc;
            else if (nc != cols_first) {
                fprintf(stderr, "%s:%zu: %zu columns, earlier lines have %zu\n",
                        path, lineno, nc, cols_first);
                exit(1);
            }
        }
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 4096;
            c->toks = xrealloc(c->toks, c->cap, sizeof *c->toks);
            c->gold = xrealloc(c->gold, c->cap, 1);
        }
        if (c->n_docs == 0)
            c->docs[c->n_docs++] = 0; /* tokens before any -DOCSTART- */
        if (new_sent) {
            if (c->n_sents + 2 > cap_sents) {
                cap_sents *= 2;
                c->sents = xrealloc(c->sents, cap_sents, sizeof *c->sents);
            }
            c->sents[c->n_sents++] = c->n;
        }
        size_t off = (size_t)(col[0] - buf);
        c->text[off + col_len[0]] = '\0';
        att_etoken *t = &c->toks[c->n];
        t->text = c->text + off;
        t->len = col_len[0];
        t->start = 0;
        t->sent_start = new_sent;
        if (!att_utf8_valid(t->text, t->len, NULL)) {
            fprintf(stderr, "%s:%zu: the token is not valid UTF-8\n", path,
                    lineno);
            exit(1);
        }
        uint8_t tag = ATT_NER_O;
        if (need_gold) {
            const char *g = col[nc - 1];
            size_t gl = col_len[nc - 1];
            int type = -1;
            bool ok = gl == 1 && g[0] == 'O';
            if (!ok && gl > 2 && (g[0] == 'I' || g[0] == 'B') && g[1] == '-')
                for (int k = 0; k < ATT_NER_NTYPES; k++)
                    if (strlen(type_names[k]) == gl - 2 &&
                        memcmp(type_names[k], g + 2, gl - 2) == 0)
                        type = k;
            if (!ok && type < 0) {
                fprintf(stderr, "%s:%zu: bad NE tag '%.*s' (want O, or B- or "
                        "I- with PER, ORG, LOC, MISC)\n", path, lineno,
                        (int)gl, g);
                exit(1);
            }
            if (type >= 0) {
                /* IOB1 -> IOB2: an I- starts a name unless it continues
                 * one of the same type in the same sentence. */
                bool cont = !new_sent && c->n > 0 &&
                            c->gold[c->n - 1] != ATT_NER_O &&
                            ATT_NER_TAG_TYPE(c->gold[c->n - 1]) == type;
                tag = ATT_NER_TAG(type, g[0] == 'I' && cont);
            }
        }
        c->gold[c->n++] = tag;
        new_sent = false;
    }
    free(buf);
    c->docs[c->n_docs] = c->n;
    /* Drop empty documents (two -DOCSTART- lines in a row, one at the
     * end). */
    size_t k = 0;
    for (size_t d = 0; d < c->n_docs; d++)
        if (c->docs[d] < c->docs[d + 1])
            c->docs[k++] = c->docs[d];
    c->n_docs = k;
    c->docs[k] = c->n;
    c->sents[c->n_sents] = c->n;
    /* A document starts a sentence. */
    for (size_t d = 0; d < c->n_docs; d++)
        if (c->docs[d] < c->n)
            c->toks[c->docs[d]].sent_start = true;
    c->gstates = xcalloc(c->n, 1);
    for (size_t d = 0; d < c->n_docs; d++)
        att_ner_tags_to_states(c->gold + c->docs[d], c->toks + c->docs[d],
                               c->docs[d + 1] - c->docs[d],
                               c->gstates + c->docs[d]);
}

static void corpus_free(corpus *c)
{
    free(c->aug);
    free(c->text);
    free(c->toks);
    free(c->gold);
    free(c->gstates);
    free(c->marks);
    free(c->docs);
    free(c->sents);
}

/* Headings in articles are in title case ("Pakistan Urges Afghan Taliban
 * to End Support"), CoNLL's headlines in capitals.  So that the tagger
 * learns title-case headings too (ner.c flags them), the all-capitals
 * sentences of every `every`-th training document are rewritten in title
 * case, their tags unchanged: words capitalised, short function words in
 * lower case, the short words of names ("UN", "U.S.") left as acronyms. */
static void title_case(corpus *c, unsigned every)
{
    static const char *const small[] = {
        "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or",
        "by", "with", "from", "as", "vs", "v", "into", "over", "but", "off",
        "up", "out", "after", "its", "is", "are", "be", NULL};
    if (!every)
        return;
    size_t total = 0;
    for (size_t i = 0; i < c->n; i++)
        total += c->toks[i].len + 1;
    c->aug = xcalloc(total + 1, 1);
    char *w = c->aug;
    size_t changed = 0;
    for (size_t d = every - 1; d < c->n_docs; d += every)
        for (size_t b = c->docs[d]; b < c->docs[d + 1];) {
            size_t e = b + 1;
            while (e < c->docs[d + 1] && !c->toks[e].sent_start)
                e++;
            bool alpha = false, lower = false;
            for (size_t i = b; i < e; i++)
                for (size_t k = 0; k < c->toks[i].len; k++) {
                    char ch = c->toks[i].text[k];
                    alpha |= (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
                    lower |= ch >= 'a' && ch <= 'z';
                }
            for (size_t i = b; alpha && !lower && i < e; i++) {
                att_etoken *t = &c->toks[i];
                bool dot = memchr(t->text, '.', t->len) != NULL;
                if ((c->gold[i] != ATT_NER_O && (t->len <= 3 || dot)))
                    continue;
                char *nt = w;
                for (size_t k = 0; k < t->len; k++) {
                    char ch = t->text[k];
                    bool up = k == 0 || t->text[k - 1] == '-' ||
                              t->text[k - 1] == '\'';
                    nt[k] = (char)(up || !(ch >= 'A' && ch <= 'Z') ? ch : ch + 32);
                }
                nt[t->len] = '\0';
                if (i > b)
                    for (size_t k = 0; small[k]; k++)
                        if (strlen(small[k]) == t->len &&
                            strncasecmp(small[k], nt, t->len) == 0)
                            nt[0] = (char)(nt[0] >= 'A' && nt[0] <= 'Z' ? nt[0] + 32
                                                                        : nt[0]);
                t->text = nt;
                w += t->len + 1;
                changed++;
            }
            b = e;
        }
    fprintf(stderr, "ner-train: %zu headline tokens of every %u%s training "
            "document rewritten in title case\n", changed, every,
            every == 1 ? "" : every == 2 ? "nd" : every == 3 ? "rd" : "th");
}

/* ---- the dictionary ------------------------------------------------------------ */

typedef struct dictx {
    att_dict *dict;
    att_analyzer *an;
    uint64_t hash;
    char what[512];
} dictx;

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads the .tsv files of DIR concatenated in name order (byte order, as the
 * Makefile's $(sort) gives), as the library's built-in copy is made. */
static void dict_load(dictx *x, const char *dir)
{
    memset(x, 0, sizeof *x);
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "ner-train: cannot open %s: %s\n", dir, strerror(errno));
        exit(1);
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".tsv") == 0 &&
            de->d_name[0] != '.') {
            names = xrealloc(names, n + 1, sizeof *names);
            names[n++] = att_strdup(de->d_name);
            if (!names[n - 1]) {
                fprintf(stderr, "ner-train: out of memory\n");
                exit(1);
            }
        }
    }
    closedir(dp);
    if (n == 0) {
        fprintf(stderr, "ner-train: no .tsv files in %s\n", dir);
        exit(1);
    }
    qsort(names, n, sizeof *names, str_cmp);
    att_buf all = ATT_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        char path[4096], *data;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (att_read_file(path, (size_t)1 << 28, &data, &len))
            die_status("cannot read the dictionary");
        if (att_buf_append(&all, data, len))
            die_status("dictionary");
        free(data);
        free(names[i]);
    }
    free(names);
    snprintf(x->what, sizeof x->what, "%s/*.tsv (concatenated)", dir);
    x->hash = att_hash64(all.data, all.len);
    if (att_analyzer_new(&x->an))
        die_status("analyser");
    if (att_dict_load(&x->dict, all.data, all.len, x->what, x->an))
        die_status("cannot load the dictionary");
    att_buf_free(&all);
}

static void dict_marks(const dictx *x, corpus *c)
{
    c->marks = xcalloc(c->n, sizeof *c->marks);
    for (size_t d = 0; d < c->n_docs; d++)
        if (att_dict_marks(x->dict, x->an, c->toks + c->docs[d],
                           c->docs[d + 1] - c->docs[d], c->marks + c->docs[d]))
            die_status("dictionary marks");
}

/* ---- features -------------------------------------------------------------------- */

/* Feature hash -> index. */
typedef struct fmap {
    uint64_t *keys;          /* 0: empty */
    uint32_t *vals;
    size_t mask, n;
} fmap;

static void fmap_init(fmap *m)
{
    m->mask = (1u << 16) - 1;
    m->n = 0;
    m->keys = xcalloc(m->mask + 1, sizeof *m->keys);
    m->vals = xcalloc(m->mask + 1, sizeof *m->vals);
}

static void fmap_free(fmap *m)
{
    free(m->keys);
    free(m->vals);
}

static size_t fmap_slot(const fmap *m, uint64_t key)
{
    size_t h = (size_t)key & m->mask;
    while (m->keys[h] && m->keys[h] != key)
        h = (h + 1) & m->mask;
    return h;
}

static uint32_t fmap_get(const fmap *m, uint64_t key)
{
    size_t h = fmap_slot(m, key);
    return m->keys[h] ? m->vals[h] : UINT32_MAX;
}

static uint32_t fmap_add(fmap *m, uint64_t key)
{
    size_t h = fmap_slot(m, key);
    if (m->keys[h])
        return m->vals[h];
    if (2 * (m->n + 1) > m->mask + 1) {
        fmap old = *m;
        m->mask = 2 * m->mask + 1;
        m->keys = xcalloc(m->mask + 1, sizeof *m->keys);
        m->vals = xcalloc(m->mask + 1, sizeof *m->vals);
        for (size_t i = 0; i <= old.mask; i++)
            if (old.keys[i]) {
                size_t s = fmap_slot(m, old.keys[i]);
                m->keys[s] = old.keys[i];
                m->vals[s] = old.vals[i];
            }
        fmap_free(&old);
        h = fmap_slot(m, key);
    }
    m->keys[h] = key;
    m->vals[h] = (uint32_t)m->n;
    return (uint32_t)m->n++;
}

/* The features of every token of a corpus, as indices. */
typedef struct fdata {
    size_t *off;             /* token i's features: f[off[i], off[i + 1]) */
    uint32_t *f;
    size_t nf, capf;
} fdata;

static void fdata_free(fdata *d)
{
    free(d->off);
    free(d->f);
    memset(d, 0, sizeof *d);
}

/* Extracts a stage's features of corpus c (s1: stage-1 states for stage 1).
 * With `grow`, unseen hashes get new indices (counted in *counts);
 * otherwise they are left out. */
static void extract(const corpus *c, unsigned stage, const uint8_t *s1,
                    fmap *map, bool grow, uint32_t **counts, size_t *cap_counts,
                    fdata *out)
{
    att_ner_doc *doc;
    if (att_ner_doc_new(&doc))
        die_status("features");
    out->off = xcalloc(c->n + 1, sizeof *out->off);
    out->nf = 0;
    uint64_t h[ATT_NER_MAX_FEATURES];
    for (size_t d = 0; d < c->n_docs; d++) {
        size_t b = c->docs[d], e = c->docs[d + 1];
        if (att_ner_doc_set(doc, c->toks + b, e - b, c->marks ? c->marks + b : NULL))
            die_status("features");
        if (stage)
            att_ner_doc_set_stage1(doc, s1 + b);
        for (size_t i = b; i < e; i++) {
            out->off[i] = out->nf;
            size_t k = att_ner_doc_features(doc, i - b, stage, h);
            if (out->nf + k > out->capf) {
                out->capf = out->capf ? out->capf * 2 : (size_t)1 << 20;
                out->f = xrealloc(out->f, out->capf, sizeof *out->f);
            }
            for (size_t j = 0; j < k; j++) {
                uint32_t v;
                if (grow) {
                    v = fmap_add(map, h[j]);
                    if (v >= *cap_counts) {
                        size_t nc = *cap_counts ? *cap_counts * 2 : (size_t)1 << 16;
                        *counts = xrealloc(*counts, nc, sizeof **counts);
                        memset(*counts + *cap_counts, 0,
                               (nc - *cap_counts) * sizeof **counts);
                        *cap_counts = nc;
                    }
                    (*counts)[v]++;
                } else {
                    v = fmap_get(map, h[j]);
                    if (v == UINT32_MAX)
                        continue;
                }
                out->f[out->nf++] = v;
            }
        }
    }
    out->off[c->n] = out->nf;
    att_ner_doc_free(doc);
}

/* Keeps the features seen at least min_count times: renumbers them in the
 * order first seen, and rebuilds the map and the training data. */
static void prune_features(fmap *map, const uint32_t *counts, unsigned min_count,
                           fdata *tr, size_t n_tok)
{
    size_t nold = map->n;
    uint32_t *remap = xcalloc(nold, sizeof *remap);
    size_t nnew = 0;
    for (size_t i = 0; i < nold; i++)
        remap[i] = counts[i] >= min_count ? (uint32_t)nnew++ : UINT32_MAX;
    for (size_t i = 0; i <= map->mask; i++)
        if (map->keys[i]) {
            uint32_t v = remap[map->vals[i]];
            if (v == UINT32_MAX)
                map->keys[i] = 0; /* rebuilt below */
            else
                map->vals[i] = v;
        }
    /* Rebuild the table without the holes left by removals. */
    fmap old = *map;
    map->keys = xcalloc(map->mask + 1, sizeof *map->keys);
    map->vals = xcalloc(map->mask + 1, sizeof *map->vals);
    map->n = nnew;
    for (size_t i = 0; i <= old.mask; i++)
        if (old.keys[i]) {
            size_t s = fmap_slot(map, old.keys[i]);
            map->keys[s] = old.keys[i];
            map->vals[s] = old.vals[i];
        }
    fmap_free(&old);
    size_t w = 0;
    for (size_t t = 0; t < n_tok; t++) {
        size_t b = tr->off[t], e = tr->off[t + 1];
        tr->off[t] = w;
        for (size_t j = b; j < e; j++)
            if (remap[tr->f[j]] != UINT32_MAX)
                tr->f[w++] = remap[tr->f[j]];
    }
    tr->off[n_tok] = w;
    tr->nf = w;
    free(remap);
}

/* ---- the perceptron -------------------------------------------------------------- */

typedef struct perc {
    size_t F;
    int32_t *w;              /* F x NS */
    int64_t *u;              /* F x NS: sum of c * update */
    int32_t tw[(NS + 1) * NS];
    int64_t tu[(NS + 1) * NS];
    int64_t c;               /* updates so far + 1 */
} perc;

typedef struct avgw {
    size_t F;
    double *w;               /* F x NS */
    double t[(NS + 1) * NS];
} avgw;

static void perc_init(perc *p, size_t F)
{
    memset(p, 0, sizeof *p);
    p->F = F;
    p->w = xcalloc(F * NS, sizeof *p->w);
    p->u = xcalloc(F * NS, sizeof *p->u);
    p->c = 1;
}

static void perc_free(perc *p)
{
    free(p->w);
    free(p->u);
}

static void perc_average(const perc *p, avgw *a)
{
    if (!a->w) {
        a->F = p->F;
        a->w = xcalloc(p->F * NS, sizeof *a->w);
    }
    double c = (double)p->c;
    for (size_t i = 0; i < p->F * NS; i++)
        a->w[i] = p->w[i] - p->u[i] / c;
    for (size_t i = 0; i < (NS + 1) * NS; i++)
        a->t[i] = p->tw[i] - p->tu[i] / c;
}

/* Viterbi over one sentence: emit is len x NS, trans (NS+1) x NS (row NS
 * from the start); ties go to the lower state, as in ner.c. */
static void decode(const double *emit, const double *trans, size_t len,
                   uint8_t *out, double *score, uint8_t *back)
{
    for (int k = 0; k < NS; k++)
        score[k] = att_ner_transition_ok(-1, k) ? trans[NS * NS + k] + emit[k]
                                                : -INFINITY;
    for (size_t i = 1; i < len; i++) {
        const double *prev = score + (i - 1) * NS;
        double *cur = score + i * NS;
        for (int k = 0; k < NS; k++) {
            double best = -INFINITY;
            int arg = 0;
            for (int p = 0; p < NS; p++) {
                if (!att_ner_transition_ok(p, k) || prev[p] == -INFINITY)
                    continue;
                double v = prev[p] + trans[p * NS + k];
                if (best == -INFINITY || v > best) {
                    best = v;
                    arg = p;
                }
            }
            cur[k] = best == -INFINITY ? -INFINITY : best + emit[i * NS + k];
            back[i * NS + k] = (uint8_t)arg;
        }
    }
    const double *last = score + (len - 1) * NS;
    int arg = 0;
    double best = -INFINITY;
    for (int k = 0; k < NS; k++)
        if (att_ner_final_ok(k) && last[k] != -INFINITY &&
            (best == -INFINITY || last[k] > best)) {
            best = last[k];
            arg = k;
        }
    for (size_t i = len; i-- > 0;) {
        out[i] = (uint8_t)arg;
        if (i)
            arg = back[i * NS + arg];
    }
}

typedef struct scratch {
    double *emit, *score;
    uint8_t *back, *pred;
    size_t cap;
} scratch;

static void scratch_reserve(scratch *s, size_t n)
{
    if (n <= s->cap)
        return;
    s->cap = n * 2;
    s->emit = xrealloc(s->emit, s->cap * NS, sizeof *s->emit);
    s->score = xrealloc(s->score, s->cap * NS, sizeof *s->score);
    s->back = xrealloc(s->back, s->cap * NS, 1);
    s->pred = xrealloc(s->pred, s->cap, 1);
}

static void scratch_free(scratch *s)
{
    free(s->emit);
    free(s->score);
    free(s->back);
    free(s->pred);
}

/* Tags sentences [s0, s1) of c with averaged weights into states. */
static void tag_avg(const avgw *a, const corpus *c, const fdata *fd,
                    uint8_t *states, scratch *sc)
{
    for (size_t s = 0; s < c->n_sents; s++) {
        size_t b = c->sents[s], e = c->sents[s + 1];
        scratch_reserve(sc, e - b);
        for (size_t i = b; i < e; i++) {
            double *em = sc->emit + (i - b) * NS;
            memset(em, 0, NS * sizeof *em);
            for (size_t j = fd->off[i]; j < fd->off[i + 1]; j++) {
                const double *r = a->w + (size_t)fd->f[j] * NS;
                for (int k = 0; k < NS; k++)
                    em[k] += r[k];
            }
        }
        decode(sc->emit, a->t, e - b, states + b, sc->score, sc->back);
    }
}

/* ---- scoring ----------------------------------------------------------------------- */

typedef struct prf {
    size_t gold[ATT_NER_NTYPES], found[ATT_NER_NTYPES], correct[ATT_NER_NTYPES];
} prf;

/* Chunks of IOB2 tags: a chunk is B-T followed by I-T's in one sentence
 * (a stray I-T starts one too, as conlleval reads it). */
static size_t chunk_end(const uint8_t *tags, const att_etoken *toks, size_t n,
                        size_t i)
{
    int type = ATT_NER_TAG_TYPE(tags[i]);
    size_t j = i + 1;
    while (j < n && !toks[j].sent_start && tags[j] == ATT_NER_TAG(type, 1))
        j++;
    return j;
}

static void score_tags(prf *r, const corpus *c, const uint8_t *pred)
{
    const uint8_t *gold = c->gold;
    size_t n = c->n;
    for (size_t i = 0; i < n; i++) {
        bool gstart = gold[i] != ATT_NER_O &&
                      (!ATT_NER_TAG_INSIDE(gold[i]) || i == 0 ||
                       c->toks[i].sent_start ||
                       gold[i - 1] == ATT_NER_O ||
                       ATT_NER_TAG_TYPE(gold[i - 1]) != ATT_NER_TAG_TYPE(gold[i]));
        bool pstart = pred[i] != ATT_NER_O &&
                      (!ATT_NER_TAG_INSIDE(pred[i]) || i == 0 ||
                       c->toks[i].sent_start ||
                       pred[i - 1] == ATT_NER_O ||
                       ATT_NER_TAG_TYPE(pred[i - 1]) != ATT_NER_TAG_TYPE(pred[i]));
        if (gstart)
            r->gold[ATT_NER_TAG_TYPE(gold[i])]++;
        if (pstart)
            r->found[ATT_NER_TAG_TYPE(pred[i])]++;
        if (gstart && pstart &&
            ATT_NER_TAG_TYPE(gold[i]) == ATT_NER_TAG_TYPE(pred[i]) &&
            chunk_end(gold, c->toks, n, i) == chunk_end(pred, c->toks, n, i))
            r->correct[ATT_NER_TAG_TYPE(gold[i])]++;
    }
}

static void prf_of(const prf *r, unsigned types, double *p, double *rc, double *f)
{
    size_t g = 0, fo = 0, co = 0;
    for (int t = 0; t < ATT_NER_NTYPES; t++)
        if (types >> t & 1) {
            g += r->gold[t];
            fo += r->found[t];
            co += r->correct[t];
        }
    *p = fo ? 100.0 * co / fo : 0;
    *rc = g ? 100.0 * co / g : 0;
    *f = *p + *rc > 0 ? 2 * *p * *rc / (*p + *rc) : 0;
}

#define ALL4 0xFu
#define PLO 0x7u /* PER, ORG, LOC */

static double f1_of(const prf *r, unsigned types)
{
    double p, rc, f;
    prf_of(r, types, &p, &rc, &f);
    return f;
}

static void prf_print(FILE *out, const char *label, const prf *r)
{
    double p, rc, f;
    fprintf(out, "%s\n", label);
    for (int t = 0; t < ATT_NER_NTYPES; t++) {
        prf_of(r, 1u << t, &p, &rc, &f);
        fprintf(out, "  %-13s P %6.2f  R %6.2f  F1 %6.2f  (gold %zu, found %zu)\n",
                type_names[t], p, rc, f, r->gold[t], r->found[t]);
    }
    prf_of(r, PLO, &p, &rc, &f);
    fprintf(out, "  %-13s P %6.2f  R %6.2f  F1 %6.2f\n", "PER+ORG+LOC", p, rc, f);
    prf_of(r, ALL4, &p, &rc, &f);
    fprintf(out, "  %-13s P %6.2f  R %6.2f  F1 %6.2f\n", "all four", p, rc, f);
}

static prf score_states(const corpus *c, const uint8_t *states)
{
    uint8_t *tags = xcalloc(c->n, 1);
    att_ner_states_to_tags(states, c->n, tags);
    prf r;
    memset(&r, 0, sizeof r);
    score_tags(&r, c, tags);
    free(tags);
    return r;
}

/* ---- training ------------------------------------------------------------------------ */

typedef struct opts {
    const char *train, *dev, *out, *model, *entities;
    unsigned stages, epochs, patience, folds, min_count, prune, repeat, runs;
    unsigned title_every;
    uint64_t seed;
    bool quiet;
} opts;

/* One perceptron update per sentence of the training set (restricted to
 * the sentences listed in order[0, n_order)). */
static void epoch(perc *p, const corpus *c, const fdata *fd, const size_t *order,
                  size_t n_order, scratch *sc)
{
    double trans[(NS + 1) * NS];
    for (size_t s = 0; s < n_order; s++) {
        size_t si = order[s];
        size_t b = c->sents[si], e = c->sents[si + 1], len = e - b;
        scratch_reserve(sc, len);
        for (size_t i = 0; i < (NS + 1) * NS; i++)
            trans[i] = p->tw[i];
        for (size_t i = b; i < e; i++) {
            double *em = sc->emit + (i - b) * NS;
            int64_t acc[NS] = {0};
            for (size_t j = fd->off[i]; j < fd->off[i + 1]; j++) {
                const int32_t *r = p->w + (size_t)fd->f[j] * NS;
                for (int k = 0; k < NS; k++)
                    acc[k] += r[k];
            }
            for (int k = 0; k < NS; k++)
                em[k] = (double)acc[k];
        }
        decode(sc->emit, trans, len, sc->pred, sc->score, sc->back);
        const uint8_t *g = c->gstates + b, *q = sc->pred;
        bool same = memcmp(g, q, len) == 0;
        if (!same) {
            for (size_t i = 0; i < len; i++) {
                if (g[i] != q[i])
                    for (size_t j = fd->off[b + i]; j < fd->off[b + i + 1]; j++) {
                        size_t f = (size_t)fd->f[j] * NS;
                        p->w[f + g[i]]++;
                        p->u[f + g[i]] += p->c;
                        p->w[f + q[i]]--;
                        p->u[f + q[i]] -= p->c;
                    }
                size_t tg = (size_t)(i ? g[i - 1] : NS) * NS + g[i];
                size_t tq = (size_t)(i ? q[i - 1] : NS) * NS + q[i];
                if (tg != tq) {
                    p->tw[tg]++;
                    p->tu[tg] += p->c;
                    p->tw[tq]--;
                    p->tu[tq] -= p->c;
                }
            }
        }
        p->c++;
    }
}

/* Trains one stage.  With a dev corpus, keeps the averaged weights of the
 * best epoch (by all-types F1) in *best and returns that epoch's number;
 * without, trains exactly max_epochs and returns them averaged. */
static unsigned train_stage(const opts *o, const char *name, const corpus *tr,
                            const fdata *ftr, size_t F, const size_t *sent_list,
                            size_t n_list, const corpus *dev, const fdata *fdev,
                            unsigned max_epochs, uint64_t seed, avgw *best)
{
    perc p;
    perc_init(&p, F);
    avgw cur = {0, NULL, {0}};
    scratch sc = {0};
    size_t *order = xcalloc(n_list, sizeof *order);
    memcpy(order, sent_list, n_list * sizeof *order);
    uint64_t rng = seed ? seed : 1;
    uint8_t *states = dev ? xcalloc(dev->n, 1) : NULL;
    double best_f = -1;
    unsigned best_epoch = 0;
    for (unsigned ep = 1; ep <= max_epochs; ep++) {
        double t0 = now();
        shuffle(order, n_list, &rng);
        epoch(&p, tr, ftr, order, n_list, &sc);
        if (!dev) {
            if (ep == max_epochs)
                perc_average(&p, best);
            continue;
        }
        perc_average(&p, &cur);
        tag_avg(&cur, dev, fdev, states, &sc);
        prf r = score_states(dev, states);
        double f4 = f1_of(&r, ALL4), f3 = f1_of(&r, PLO);
        if (!o->quiet)
            fprintf(stderr, "  %s epoch %2u: dev F1 %.2f (PER+ORG+LOC %.2f)  "
                    "%.1fs%s\n", name, ep, f4, f3, now() - t0,
                    f4 > best_f ? "  *" : "");
        if (f4 > best_f) {
            best_f = f4;
            best_epoch = ep;
            if (!best->w) {
                best->F = F;
                best->w = xcalloc(F * NS, sizeof *best->w);
            }
            memcpy(best->w, cur.w, F * NS * sizeof *cur.w);
            memcpy(best->t, cur.t, sizeof cur.t);
        } else if (ep >= best_epoch + o->patience) {
            break;
        }
    }
    free(cur.w);
    free(states);
    free(order);
    scratch_free(&sc);
    perc_free(&p);
    return dev ? best_epoch : max_epochs;
}

/* Trains a stage o->runs times with different shuffling seeds, each run
 * stopped at its best epoch on dev, and averages the runs' weights: the
 * average of linear models scores like the ensemble of them, with the
 * variance of one shuffling order averaged away.  Returns the runs' mean
 * best epoch. */
static unsigned train_runs(const opts *o, const char *name, const corpus *tr,
                           const fdata *ftr, size_t F, const size_t *sent_list,
                           size_t n_list, const corpus *dev, const fdata *fdev,
                           uint64_t seed, avgw *out)
{
    unsigned epochs = 0;
    for (unsigned r = 0; r < o->runs; r++) {
        avgw a = {0, NULL, {0}};
        char label[64];
        if (o->runs > 1)
            snprintf(label, sizeof label, "%s run %u", name, r + 1);
        else
            snprintf(label, sizeof label, "%s", name);
        epochs += train_stage(o, label, tr, ftr, F, sent_list, n_list, dev,
                              fdev, o->epochs, seed + 7919 * (uint64_t)r, &a);
        if (r == 0) {
            *out = a;
            continue;
        }
        for (size_t i = 0; i < F * NS; i++)
            out->w[i] += a.w[i];
        for (size_t i = 0; i < (NS + 1) * NS; i++)
            out->t[i] += a.t[i];
        free(a.w);
    }
    for (size_t i = 0; o->runs > 1 && i < F * NS; i++)
        out->w[i] /= o->runs;
    for (size_t i = 0; o->runs > 1 && i < (NS + 1) * NS; i++)
        out->t[i] /= o->runs;
    return (epochs + o->runs / 2) / o->runs;
}

/* The keys of a map, by index. */
static uint64_t *map_keys(const fmap *m)
{
    uint64_t *k = xcalloc(m->n, sizeof *k);
    for (size_t i = 0; i <= m->mask; i++)
        if (m->keys[i])
            k[m->vals[i]] = m->keys[i];
    return k;
}

static int cmd_train(const opts *o)
{
    double t_start = now();
    if (!o->train || !o->dev || !o->out) {
        usage(stderr);
        return 2;
    }
    corpus tr, dev;
    corpus_read(&tr, o->train, true);
    corpus_read(&dev, o->dev, true);
    title_case(&tr, o->title_every);
    fprintf(stderr, "ner-train: %s: %zu documents, %zu sentences, %zu tokens; "
            "%s: %zu documents, %zu tokens\n", o->train, tr.n_docs, tr.n_sents,
            tr.n, o->dev, dev.n_docs, dev.n);
    dictx dx = {0};
    if (o->entities) {
        double t0 = now();
        dict_load(&dx, o->entities);
        dict_marks(&dx, &tr);
        dict_marks(&dx, &dev);
        size_t marked = 0;
        for (size_t i = 0; i < tr.n; i++)
            marked += tr.marks[i] != 0;
        fprintf(stderr, "ner-train: dictionary %s: %zu entities, hash %016llx; "
                "%zu of the training tokens marked (%.1fs)\n", dx.what,
                att_dict_count(dx.dict), (unsigned long long)dx.hash, marked,
                now() - t0);
    }
    size_t *all_sents = xcalloc(tr.n_sents, sizeof *all_sents);
    for (size_t s = 0; s < tr.n_sents; s++)
        all_sents[s] = s;

    /* Stage 1. */
    double t0 = now();
    fmap map1;
    fmap_init(&map1);
    uint32_t *counts = NULL;
    size_t cap_counts = 0;
    fdata f1tr = {0}, f1dev = {0};
    extract(&tr, 0, NULL, &map1, true, &counts, &cap_counts, &f1tr);
    size_t seen = map1.n;
    prune_features(&map1, counts, o->min_count, &f1tr, tr.n);
    extract(&dev, 0, NULL, &map1, false, NULL, NULL, &f1dev);
    fprintf(stderr, "ner-train: stage 1: %zu features (%zu seen, min count %u), "
            "%.1fs\n", map1.n, seen, o->min_count, now() - t0);
    avgw a1 = {0, NULL, {0}};
    unsigned e1 = train_runs(o, "stage 1", &tr, &f1tr, map1.n, all_sents,
                             tr.n_sents, &dev, &f1dev, o->seed, &a1);
    scratch sc = {0};
    uint8_t *s1dev = xcalloc(dev.n, 1);
    tag_avg(&a1, &dev, &f1dev, s1dev, &sc);
    prf r1 = score_states(&dev, s1dev);
    fprintf(stderr, "ner-train: stage 1: best epoch %u, dev F1 %.2f (PER+ORG+LOC "
            "%.2f), %.1fs\n", e1, f1_of(&r1, ALL4), f1_of(&r1, PLO), now() - t0);

    avgw a2 = {0, NULL, {0}};
    fmap map2;
    fmap_init(&map2);
    if (o->stages > 1) {
        /* Stage-1 labels of the training set, each fold by a model that
         * did not see it. */
        t0 = now();
        uint8_t *s1tr = xcalloc(tr.n, 1);
        size_t *list = xcalloc(tr.n_sents, sizeof *list);
        for (unsigned k = 0; k < o->folds; k++) {
            size_t d0 = tr.n_docs * k / o->folds, d1 = tr.n_docs * (k + 1) / o->folds;
            size_t tb = tr.docs[d0], te = tr.docs[d1], nl = 0;
            for (size_t s = 0; s < tr.n_sents; s++)
                if (tr.sents[s] < tb || tr.sents[s] >= te)
                    list[nl++] = s;
            avgw af = {0, NULL, {0}};
            char name[32];
            snprintf(name, sizeof name, "fold %u", k + 1);
            train_stage(o, name, &tr, &f1tr, map1.n, list, nl, NULL, NULL, e1,
                        o->seed + 1000 + k, &af);
            /* Tag the held-out documents' sentences. */
            for (size_t s = 0; s < tr.n_sents; s++) {
                size_t b = tr.sents[s], e = tr.sents[s + 1];
                if (b < tb || b >= te)
                    continue;
                scratch_reserve(&sc, e - b);
                for (size_t i = b; i < e; i++) {
                    double *em = sc.emit + (i - b) * NS;
                    memset(em, 0, NS * sizeof *em);
                    for (size_t j = f1tr.off[i]; j < f1tr.off[i + 1]; j++) {
                        const double *r = af.w + (size_t)f1tr.f[j] * NS;
                        for (int q = 0; q < NS; q++)
                            em[q] += r[q];
                    }
                }
                decode(sc.emit, af.t, e - b, s1tr + b, sc.score, sc.back);
            }
            free(af.w);
        }
        prf rj = score_states(&tr, s1tr);
        fprintf(stderr, "ner-train: stage 1 labels of the training set by %u "
                "folds: F1 %.2f, %.1fs\n", o->folds, f1_of(&rj, ALL4), now() - t0);
        free(list);
        /* Stage 2. */
        t0 = now();
        fdata f2tr = {0}, f2dev = {0};
        uint32_t *counts2 = NULL;
        size_t cap2 = 0;
        extract(&tr, 1, s1tr, &map2, true, &counts2, &cap2, &f2tr);
        seen = map2.n;
        prune_features(&map2, counts2, o->min_count, &f2tr, tr.n);
        extract(&dev, 1, s1dev, &map2, false, NULL, NULL, &f2dev);
        fprintf(stderr, "ner-train: stage 2: %zu features (%zu seen)\n", map2.n,
                seen);
        unsigned e2 = train_runs(o, "stage 2", &tr, &f2tr, map2.n, all_sents,
                                 tr.n_sents, &dev, &f2dev, o->seed + 1, &a2);
        uint8_t *s2dev = xcalloc(dev.n, 1);
        tag_avg(&a2, &dev, &f2dev, s2dev, &sc);
        prf r2 = score_states(&dev, s2dev);
        fprintf(stderr, "ner-train: stage 2: best epoch %u, dev F1 %.2f "
                "(PER+ORG+LOC %.2f), %.1fs\n", e2, f1_of(&r2, ALL4),
                f1_of(&r2, PLO), now() - t0);
        free(s2dev);
        free(counts2);
        free(s1tr);
        fdata_free(&f2tr);
        fdata_free(&f2dev);
    }

    /* The model file. */
    uint64_t *k1 = map_keys(&map1), *k2 = map_keys(&map2);
    att_ner_stage_weights sw[2] = {
        {map1.n, k1, a1.w, a1.t},
        {map2.n, k2, a2.w, a2.t},
    };
    att_buf buf = ATT_BUF_INIT;
    if (att_ner_model_encode(&buf, sw, o->stages, o->entities ? dx.hash : 0,
                             o->prune))
        die_status("model");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", o->out);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(buf.data, 1, buf.len, f) != buf.len || fclose(f) != 0) {
        fprintf(stderr, "ner-train: cannot write %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    if (rename(tmp, o->out) != 0) {
        fprintf(stderr, "ner-train: cannot rename %s to %s: %s\n", tmp, o->out,
                strerror(errno));
        return 1;
    }
    /* Read it back and tag the development set the way the product does. */
    att_ner_model *m;
    if (att_ner_model_load(&m, buf.data, buf.len))
        die_status("the model just written");
    uint8_t *tags = xcalloc(dev.n, 1);
    for (size_t d = 0; d < dev.n_docs; d++) {
        size_t b = dev.docs[d];
        if (att_ner_tag_doc(m, dev.toks + b, dev.docs[d + 1] - b,
                            dev.marks ? dev.marks + b : NULL, tags + b))
            die_status("tagging");
    }
    prf rm;
    memset(&rm, 0, sizeof rm);
    score_tags(&rm, &dev, tags);
    fprintf(stderr, "ner-train: wrote %s: %zu bytes, %zu weight rows, %u "
            "stage%s; %.1fs in all\n", o->out, buf.len,
            att_ner_model_features(m), o->stages, o->stages > 1 ? "s" : "",
            now() - t_start);
    char label[256];
    snprintf(label, sizeof label, "ner-train: the model file on %s:", o->dev);
    prf_print(stderr, label, &rm);
    att_ner_model_free(m);
    free(tags);
    att_buf_free(&buf);
    free(k1);
    free(k2);
    free(a1.w);
    free(a2.w);
    free(s1dev);
    scratch_free(&sc);
    free(counts);
    free(all_sents);
    fmap_free(&map1);
    fmap_free(&map2);
    fdata_free(&f1tr);
    fdata_free(&f1dev);
    att_dict_free(dx.dict);
    att_analyzer_free(dx.an);
    corpus_free(&tr);
    corpus_free(&dev);
    return 0;
}

/* ---- tagging with a model file -------------------------------------------------------- */

static att_ner_model *load_model(const opts *o, dictx *dx)
{
    if (!o->model) {
        fprintf(stderr, "ner-train: --model is required\n");
        exit(2);
    }
    char *data;
    size_t len;
    if (att_read_file(o->model, (size_t)1 << 28, &data, &len))
        die_status("cannot read the model");
    att_ner_model *m;
    if (att_ner_model_load(&m, data, len)) {
        fprintf(stderr, "ner-train: %s: %s\n", o->model, att_last_error());
        exit(1);
    }
    free(data);
    memset(dx, 0, sizeof *dx);
    uint64_t want = att_ner_model_dict_hash(m);
    if (o->entities) {
        dict_load(dx, o->entities);
        if (!want)
            fprintf(stderr, "ner-train: note: %s was trained without dictionary "
                    "features; the dictionary is not used\n", o->model);
        else if (want != dx->hash)
            fprintf(stderr, "ner-train: warning: %s was trained with another "
                    "dictionary (hash %016llx; %s has %016llx)\n", o->model,
                    (unsigned long long)want, o->entities,
                    (unsigned long long)dx->hash);
    } else if (want) {
        fprintf(stderr, "ner-train: warning: %s was trained with dictionary "
                "features; without --entities it tags without them\n",
                o->model);
    }
    return m;
}

static void tag_corpus(const att_ner_model *m, const dictx *dx, corpus *c,
                       uint8_t *tags)
{
    if (dx->dict && att_ner_model_dict_hash(m) && !c->marks)
        dict_marks(dx, c);
    for (size_t d = 0; d < c->n_docs; d++) {
        size_t b = c->docs[d];
        if (att_ner_tag_doc(m, c->toks + b, c->docs[d + 1] - b,
                            c->marks ? c->marks + b : NULL, tags + b))
            die_status("tagging");
    }
}

static int cmd_tag(const opts *o, const char *path)
{
    dictx dx;
    att_ner_model *m = load_model(o, &dx);
    corpus c;
    corpus_read(&c, path, false);
    uint8_t *tags = xcalloc(c.n, 1);
    tag_corpus(m, &dx, &c, tags);
    /* Reprint the file's lines, each token line with its tag. */
    char *data;
    size_t len, pos = 0, k = 0;
    if (att_read_file(path, (size_t)1 << 30, &data, &len))
        die_status("cannot read the CoNLL file");
    const char *line;
    size_t ll;
    while (next_line(data, len, &pos, &line, &ll)) {
        if (blank(line, ll)) {
            fputc('\n', stdout);
            continue;
        }
        while (ll && is_sp(line[ll - 1]))
            ll--;
        const char *tag = is_docstart(line, ll) ? "O" : att_ner_tag_name(tags[k++]);
        fprintf(stdout, "%.*s %s\n", (int)ll, line, tag);
    }
    free(data);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "ner-train: cannot write the output: %s\n", strerror(errno));
        return 1;
    }
    free(tags);
    corpus_free(&c);
    att_ner_model_free(m);
    att_dict_free(dx.dict);
    att_analyzer_free(dx.an);
    return 0;
}

static int cmd_eval(const opts *o, char **files, int nfiles)
{
    dictx dx;
    att_ner_model *m = load_model(o, &dx);
    for (int i = 0; i < nfiles; i++) {
        corpus c;
        corpus_read(&c, files[i], true);
        uint8_t *tags = xcalloc(c.n, 1);
        tag_corpus(m, &dx, &c, tags);
        prf r;
        memset(&r, 0, sizeof r);
        score_tags(&r, &c, tags);
        prf_print(stdout, files[i], &r);
        free(tags);
        corpus_free(&c);
    }
    att_ner_model_free(m);
    att_dict_free(dx.dict);
    att_analyzer_free(dx.an);
    return 0;
}

static int cmd_speed(const opts *o, const char *path)
{
    dictx dx;
    att_ner_model *m = load_model(o, &dx);
    corpus c;
    corpus_read(&c, path, false);
    uint8_t *tags = xcalloc(c.n, 1);
    att_ner_tagger *tg;
    if (att_ner_tagger_new(&tg, m))
        die_status("tagger");
    bool with_dict = dx.dict && att_ner_model_dict_hash(m);
    double t_marks = 0;
    if (with_dict) {
        for (unsigned r = 0; r < o->repeat; r++) {
            double t0 = cpu_now();
            free(c.marks);
            c.marks = NULL;
            dict_marks(&dx, &c);
            double dt = cpu_now() - t0;
            if (r == 0 || dt < t_marks)
                t_marks = dt;
        }
    }
    /* Each pass timed alone: the best pass is the figure least disturbed
     * by whatever else runs on the machine; the median is given too. */
    double *pass = xcalloc(o->repeat, sizeof *pass);
    for (unsigned r = 0; r < o->repeat; r++) {
        double c0 = cpu_now();
        for (size_t d = 0; d < c.n_docs; d++) {
            size_t b = c.docs[d];
            if (att_ner_tagger_run(tg, c.toks + b, c.docs[d + 1] - b,
                                   c.marks ? c.marks + b : NULL, tags + b))
                die_status("tagging");
        }
        pass[r] = cpu_now() - c0;
    }
    qsort(pass, o->repeat, sizeof *pass, dbl_cmp);
    double t = pass[0], med = pass[o->repeat / 2];
    free(pass);
    printf("%s: %zu tokens, %zu documents; %u stage%s, %zu weight rows\n",
           path, c.n, c.n_docs, att_ner_model_stages(m),
           att_ner_model_stages(m) > 1 ? "s" : "", att_ner_model_features(m));
    printf("tagger: %.0f tokens/s on one thread (best of %u passes: %.4f s of "
           "CPU; median %.0f tokens/s)\n", c.n / t, o->repeat, t, c.n / med);
    if (with_dict)
        printf("with the dictionary marks (att_dict_marks, %.4f s a pass): "
               "%.0f tokens/s\n", t_marks, c.n / (t + t_marks));
    att_ner_tagger_free(tg);
    free(tags);
    corpus_free(&c);
    att_ner_model_free(m);
    att_dict_free(dx.dict);
    att_analyzer_free(dx.an);
    return 0;
}

/* ---- main ------------------------------------------------------------------------------ */

static unsigned parse_uint(const char *opt, const char *s, unsigned lo, unsigned hi)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi) {
        fprintf(stderr, "ner-train: %s wants a number from %u to %u, not '%s'\n",
                opt, lo, hi, s);
        exit(2);
    }
    return (unsigned)v;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *cmd = argv[1];
    opts o = {.stages = 2, .epochs = 30, .patience = 4, .folds = 5,
              .min_count = 2, .prune = 0, .repeat = 5, .runs = 4, .seed = 1,
              .title_every = 3};
    char **files = xcalloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(a, "--train") == 0) o.train = v;
        else if (strcmp(a, "--dev") == 0) o.dev = v;
        else if (strcmp(a, "--out") == 0) o.out = v;
        else if (strcmp(a, "--model") == 0) o.model = v;
        else if (strcmp(a, "--entities") == 0) o.entities = v;
        else if (strcmp(a, "--stages") == 0 && v) o.stages = parse_uint(a, v, 1, 2);
        else if (strcmp(a, "--epochs") == 0 && v) o.epochs = parse_uint(a, v, 1, 1000);
        else if (strcmp(a, "--patience") == 0 && v) o.patience = parse_uint(a, v, 1, 1000);
        else if (strcmp(a, "--folds") == 0 && v) o.folds = parse_uint(a, v, 2, 100);
        else if (strcmp(a, "--min-count") == 0 && v) o.min_count = parse_uint(a, v, 1, 1000);
        else if (strcmp(a, "--prune") == 0 && v) o.prune = parse_uint(a, v, 0, 30000);
        else if (strcmp(a, "--title-case") == 0 && v) o.title_every = parse_uint(a, v, 0, 1000);
        else if (strcmp(a, "--runs") == 0 && v) o.runs = parse_uint(a, v, 1, 100);
        else if (strcmp(a, "--repeat") == 0 && v) o.repeat = parse_uint(a, v, 1, 100000);
        else if (strcmp(a, "--seed") == 0 && v) o.seed = parse_uint(a, v, 0, UINT32_MAX);
        else if (strcmp(a, "--quiet") == 0) { o.quiet = true; takes = false; }
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "ner-train: unknown option %s (or it wants a value)\n", a);
            usage(stderr);
            return 2;
        } else {
            files[nfiles++] = argv[i];
            takes = false;
        }
        if (takes) {
            if (!v) {
                fprintf(stderr, "ner-train: %s wants a value\n", a);
                return 2;
            }
            i++;
        }
    }
    int rc;
    if (strcmp(cmd, "train") == 0 && nfiles == 0)
        rc = cmd_train(&o);
    else if (strcmp(cmd, "tag") == 0 && nfiles == 1)
        rc = cmd_tag(&o, files[0]);
    else if (strcmp(cmd, "eval") == 0 && nfiles >= 1)
        rc = cmd_eval(&o, files, nfiles);
    else if (strcmp(cmd, "speed") == 0 && nfiles == 1)
        rc = cmd_speed(&o, files[0]);
    else {
        usage(stderr);
        rc = 2;
    }
    free(files);
    return rc;
}
