/*
 * dupsig_study.c: measures the content signature of common/dupsig.c on real
 * data, to choose its parameters (dupsig.c's opening comment has the
 * results).  Not part of the product: it links the library's internals
 * (common/dupsig.h, analyze.h, decode.h) directly.  Built by
 * `make build/bench/dupsig-study`; not run by `make bench`.
 *
 *   dupsig-study [--data DIR] [--k K] [--b B] [--min W] [--figures 0|1]
 *                [--gap G] [--groups] [--no-time]
 *   dupsig-study --time-only [--passes N]
 *   dupsig-study --sweep [--ks LIST] [--bs LIST] [--mins LIST]
 *                [--figs LIST] [--gaps LIST] [--seeds N]
 *
 * DIR is the shared data folder (default ../shared/data, then
 * /work/shared/data): bbc/, reuters21578/ and ungdc/ are read in place,
 * never copied.  Bodies are what the indexer would index: BBC files through
 * att_text_parse() (line 1 is the title), Reuters stories as
 * tests/bench/make-corpora.py converts them (dateline + body, entities
 * decoded, control characters as spaces, UNPROC stories' first line as the
 * title), UN speeches decoded whole.
 *
 * Every body is analysed once into word hashes (att_dup_word_hash() of each
 * folded form), so a parameter set costs only feeding them to the
 * accumulator (att_dup_add_hash()).  The reference for "near-duplicate" is
 * the Jaccard similarity J5 of the sets of word 5-shingles; the pairs with
 * J5 >= 0.5 are found through a bottom-64 sketch index (a pair with
 * J5 >= 0.5 shares no sketch element with probability about 2^-64).
 *
 * Without --sweep it reports, for one parameter set (the defaults unless
 * given): (1) per corpus, the equal-key groups and their pairs by J5 (the
 * groups below J5 = 1 for BBC, below 0.9 for the others, are listed with
 * the opening of each article; --groups lists all of BBC's), the recall
 * on the reference pairs, and for BBC the 98 byte-identical pairs; (2)
 * robustness: 1,000 articles per corpus edited (words or a figure changed,
 * first line or last sentence dropped, a boilerplate line appended, a
 * byline prepended, the title changed, the text re-wrapped, case and
 * typography changed) through the real text path, fraction keeping their
 * key; (3) synthetic related stories: a passage of L words of story A
 * quoted in unrelated story B, B as a follow-up that repeats A's opening
 * third, and A updated with added text: fraction with equal keys; (4)
 * throughput of att_dup_signature() and of the accumulator against
 * att_analyze() alone (also alone with --time-only).  --sweep prints one
 * line per parameter set with the figures that decide between them, each
 * the mean over --seeds hash functions of the family (att_dup_params.seed)
 * so that one lucky or unlucky hash does not decide.  --gap G (and
 * --gaps) is an alternative measured and rejected, implemented here only:
 * the anchors forced at least min(G, shingles / 2b) shingles apart.
 */
#define _XOPEN_SOURCE 700
#include "analyze.h"
#include "decode.h"
#include "dupsig.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { BBC, REUTERS, UNGDC, NCORPORA };
static const char *const corpus_name[NCORPORA] = {"BBC", "Reuters", "UNGDC"};

typedef struct doc {
    int corpus;
    char *name;
    char *title;
    char *body;
    size_t len;
    uint64_t raw_hash;  /* BBC: hash of the file's bytes */
    uint64_t *w;        /* word hashes */
    uint32_t *start;    /* each word's byte range in body */
    uint32_t *end;
    size_t n;
    uint64_t *sh5;      /* sorted distinct word 5-shingle hashes */
    size_t nsh5;
} doc;

static doc *docs;
static size_t ndocs, capdocs;
static att_analyzer *an;

static void die(const char *what)
{
    fprintf(stderr, "dupsig-study: %s: %s\n", what, att_last_error());
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "dupsig-study: out of memory\n");
        exit(1);
    }
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "dupsig-study: out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A fixed-seed PRNG (splitmix64), so every run picks the same articles. */
static uint64_t rng_state = 20250101;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return NULL;
    }
    char *p = xmalloc((size_t)st.st_size + 1);
    *len = fread(p, 1, (size_t)st.st_size, f);
    p[*len] = '\0';
    fclose(f);
    return p;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of the entries of a directory (no dot files). */
static char **list_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    *n = 0;
    if (!d)
        return NULL;
    char **v = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[(*n)++] = xstrndup(e->d_name, strlen(e->d_name));
    }
    closedir(d);
    qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

static doc *new_doc(int corpus, const char *name)
{
    if (ndocs == capdocs) {
        capdocs = capdocs ? capdocs * 2 : 4096;
        docs = xrealloc(docs, capdocs * sizeof *docs);
    }
    doc *d = &docs[ndocs++];
    memset(d, 0, sizeof *d);
    d->corpus = corpus;
    d->name = xstrndup(name, strlen(name));
    return d;
}

/* ---- loading ------------------------------------------------------------- */

static void load_bbc(const char *data)
{
    static const char *const cats[] = {"business", "entertainment", "politics",
                                       "sport", "tech"};
    char path[4096];
    for (size_t c = 0; c < 5; c++) {
        snprintf(path, sizeof path, "%s/bbc/%s", data, cats[c]);
        size_t nf;
        char **files = list_dir(path, &nf);
        for (size_t i = 0; i < nf; i++) {
            char fp[4200], name[300];
            snprintf(fp, sizeof fp, "%s/%s", path, files[i]);
            snprintf(name, sizeof name, "bbc/%s/%s", cats[c], files[i]);
            size_t n;
            char *raw = read_all(fp, &n);
            if (!raw)
                continue;
            att_article *a = NULL;
            if (att_text_parse(&a, name, raw, n) != ATT_OK)
                die(name);
            doc *d = new_doc(BBC, name);
            d->raw_hash = att_hash64(raw, n) ^ n;
            d->title = xstrndup(a->title ? a->title : "", a->title ? strlen(a->title) : 0);
            d->len = a->body ? strlen(a->body) : 0;
            d->body = xstrndup(a->body ? a->body : "", d->len);
            att_article_free(a);
            free(raw);
            free(files[i]);
        }
        free(files);
    }
}

/* Reuters SGML: the content of <tag>...</tag> inside [s, e), or NULL. */
static const char *sgml_tag(const char *s, const char *e, const char *tag,
                            size_t *len)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *p = strstr(s, open);
    if (!p || p >= e)
        return NULL;
    p += strlen(open);
    const char *q = strstr(p, close);
    if (!q || q > e)
        return NULL;
    *len = (size_t)(q - p);
    return p;
}

/* Appends [s, s+n) with &lt; &gt; &amp; &#N; decoded and control characters
 * made spaces; with strip_tags, <...> removed too. */
static void unescape_into(att_buf *b, const char *s, size_t n, bool strip_tags)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (strip_tags && c == '<') {
            while (i < n && s[i] != '>')
                i++;
            continue;
        }
        if (c == '&') {
            if (n - i >= 4 && memcmp(s + i, "&lt;", 4) == 0) {
                att_buf_putc(b, '<');
                i += 3;
                continue;
            }
            if (n - i >= 4 && memcmp(s + i, "&gt;", 4) == 0) {
                att_buf_putc(b, '>');
                i += 3;
                continue;
            }
            if (n - i >= 5 && memcmp(s + i, "&amp;", 5) == 0) {
                att_buf_putc(b, '&');
                i += 4;
                continue;
            }
            if (n - i >= 4 && s[i + 1] == '#') {
                size_t j = i + 2;
                unsigned v = 0;
                while (j < n && j < i + 6 && s[j] >= '0' && s[j] <= '9')
                    v = v * 10 + (unsigned)(s[j++] - '0');
                if (j < n && s[j] == ';' && j > i + 2) {
                    att_buf_putc(b, v < 32 || v == 127 ? ' ' : (char)v);
                    i = j;
                    continue;
                }
            }
        }
        if ((unsigned char)c < 32 && c != '\n' && c != '\t')
            c = ' ';
        att_buf_putc(b, c);
    }
}

static void load_reuters(const char *data)
{
    for (int f = 0; f < 22; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/reuters21578/reut2-%03d.sgm", data, f);
        size_t n;
        char *raw = read_all(path, &n);
        if (!raw) {
            fprintf(stderr, "dupsig-study: cannot read %s\n", path);
            exit(1);
        }
        const char *p = raw;
        while ((p = strstr(p, "<REUTERS "))) {
            const char *e = strstr(p, "</REUTERS>");
            if (!e)
                break;
            const char *id = strstr(p, "NEWID=\"");
            char name[64];
            snprintf(name, sizeof name, "reuters/%05d", id && id < e ? atoi(id + 7) : 0);
            const char *t = strstr(p, "<TEXT");
            size_t tl = 0, bl = 0, dl = 0;
            const char *text = NULL, *title = NULL, *body = NULL, *dateline = NULL;
            if (t && t < e) {
                text = strchr(t, '>') + 1;
                const char *te = strstr(text, "</TEXT>");
                if (!te || te > e)
                    te = e;
                title = sgml_tag(text, te, "TITLE", &tl);
                body = sgml_tag(text, te, "BODY", &bl);
                dateline = sgml_tag(text, te, "DATELINE", &dl);
                if (!title && !body) {
                    body = text;
                    bl = (size_t)(te - text);
                }
            }
            att_buf b = ATT_BUF_INIT, tb = ATT_BUF_INIT;
            if (title)
                unescape_into(&tb, title, tl, false);
            if (dateline) {
                while (dl && (*dateline == ' ' || *dateline == '\n'))
                    dateline++, dl--;
                while (dl && (dateline[dl - 1] == ' ' || dateline[dl - 1] == '\n'))
                    dl--;
                if (dl) {
                    unescape_into(&b, dateline, dl, false);
                    att_buf_putc(&b, ' ');
                }
            }
            if (body)
                unescape_into(&b, body, bl, !title);
            const char *bs = b.data ? b.data : "";
            size_t bn = b.len;
            if (!title) { /* UNPROC: the first line is the title */
                while (bn && (*bs == '\n' || *bs == ' '))
                    bs++, bn--;
                const char *nl = memchr(bs, '\n', bn);
                size_t l1 = nl ? (size_t)(nl - bs) : bn;
                att_buf_append(&tb, bs, l1);
                bs += l1;
                bn -= l1;
            }
            doc *d = new_doc(REUTERS, name);
            char *dec = NULL;
            size_t dn = 0;
            if (att_decode(bs, bn, &dec, &dn, NULL) != ATT_OK)
                die(name);
            d->body = dec;
            d->len = dn;
            d->title = tb.data ? tb.data : xstrndup("", 0);
            att_buf_free(&b);
            p = e;
        }
        free(raw);
    }
}

static void load_ungdc(const char *data)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/ungdc", data);
    size_t ns;
    char **sess = list_dir(dir, &ns);
    for (size_t s = 0; s < ns; s++) {
        if (strncmp(sess[s], "Session ", 8) != 0)
            continue;
        char sd[4400];
        snprintf(sd, sizeof sd, "%s/%s", dir, sess[s]);
        size_t nf;
        char **files = list_dir(sd, &nf);
        for (size_t i = 0; i < nf; i++) {
            char fp[4800], name[300];
            snprintf(fp, sizeof fp, "%s/%s", sd, files[i]);
            snprintf(name, sizeof name, "ungdc/%s", files[i]);
            size_t n;
            char *raw = read_all(fp, &n);
            if (!raw)
                continue;
            doc *d = new_doc(UNGDC, name);
            if (att_decode(raw, n, &d->body, &d->len, NULL) != ATT_OK)
                die(name);
            d->title = xstrndup("", 0);
            free(raw);
            free(files[i]);
        }
        free(files);
        free(sess[s]);
    }
    free(sess);
}

/* ---- words and shingles --------------------------------------------------- */

typedef struct wvec {
    uint64_t *w;
    uint32_t *start, *end;
    size_t n, cap;
} wvec;

static void wvec_push(wvec *v, uint64_t h, size_t start, size_t end)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        v->w = xrealloc(v->w, v->cap * sizeof *v->w);
        v->start = xrealloc(v->start, v->cap * sizeof *v->start);
        v->end = xrealloc(v->end, v->cap * sizeof *v->end);
    }
    v->w[v->n] = h;
    v->start[v->n] = (uint32_t)start;
    v->end[v->n] = (uint32_t)end;
    v->n++;
}

static att_status collect(void *ctx, const att_token *t)
{
    wvec_push(ctx, att_dup_word_hash(t->form, t->form_len), t->start, t->end);
    return ATT_OK;
}

static wvec words_of(const char *s, size_t n)
{
    wvec v = {0};
    if (att_analyze(an, s, n, collect, &v) != ATT_OK)
        die("analyse");
    return v;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted distinct hashes of the word 5-shingles (a text of fewer than 5
 * words has its whole word sequence as one shingle). */
static uint64_t *shingles5(const uint64_t *w, size_t n, size_t *out_n)
{
    size_t m = n >= 5 ? n - 4 : (n ? 1 : 0);
    uint64_t *s = xmalloc(m * sizeof *s);
    for (size_t i = 0; i < m; i++) {
        uint64_t h = 0x5555;
        for (size_t j = i; j < i + 5 && j < n; j++)
            h = (h ^ w[j]) * 0x100000001b3ULL + (h >> 29);
        s[i] = h;
    }
    qsort(s, m, sizeof *s, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || s[u - 1] != s[i])
            s[u++] = s[i];
    *out_n = u;
    return s;
}

static double jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, both = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            both++, i++, j++;
        else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    size_t uni = na + nb - both;
    return uni ? (double)both / (double)uni : 1.0;
}

static double j5(size_t a, size_t b)
{
    return jaccard(docs[a].sh5, docs[a].nsh5, docs[b].sh5, docs[b].nsh5);
}

/* Jaccard of the sets of words (for listings: a pair with a high J1 and a
 * low J5 differs in many scattered words, e.g. figures). */
static double j1(size_t a, size_t b)
{
    uint64_t *x = xmalloc((docs[a].n + 1) * sizeof *x);
    uint64_t *y = xmalloc((docs[b].n + 1) * sizeof *y);
    size_t nx = docs[a].n, ny = docs[b].n;
    memcpy(x, docs[a].w, nx * sizeof *x);
    memcpy(y, docs[b].w, ny * sizeof *y);
    qsort(x, nx, sizeof *x, cmp_u64);
    qsort(y, ny, sizeof *y, cmp_u64);
    size_t ux = 0, uy = 0;
    for (size_t i = 0; i < nx; i++)
        if (!ux || x[ux - 1] != x[i])
            x[ux++] = x[i];
    for (size_t i = 0; i < ny; i++)
        if (!uy || y[uy - 1] != y[i])
            y[uy++] = y[i];
    double j = jaccard(x, ux, y, uy);
    free(x);
    free(y);
    return j;
}

/* ---- reference near-duplicate pairs ---------------------------------------- */

typedef struct pair {
    uint32_t a, b;
    float j;
} pair;

static pair *refs;     /* pairs within a corpus with J5 >= 0.5 */
static size_t nrefs;

typedef struct post {
    uint64_t h;
    uint32_t d;
} post;

static int cmp_post(const void *x, const void *y)
{
    const post *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return (a->d > b->d) - (a->d < b->d);
}

static int cmp_pair(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

#define SKETCH 64
#define POSTING_CAP 3000

static void find_refs(void)
{
    size_t np = 0;
    post *ps = xmalloc(ndocs * SKETCH * sizeof *ps);
    for (size_t i = 0; i < ndocs; i++)
        for (size_t j = 0; j < docs[i].nsh5 && j < SKETCH; j++)
            ps[np++] = (post){docs[i].sh5[j] ^ ((uint64_t)docs[i].corpus << 62),
                              (uint32_t)i};
    qsort(ps, np, sizeof *ps, cmp_post);
    pair *cand = NULL;
    size_t nc = 0, cc = 0, skipped = 0;
    for (size_t i = 0; i < np;) {
        size_t e = i;
        while (e < np && ps[e].h == ps[i].h)
            e++;
        if (e - i > POSTING_CAP) {
            skipped++;
        } else {
            for (size_t x = i; x < e; x++)
                for (size_t y = x + 1; y < e; y++) {
                    if (nc == cc) {
                        cc = cc ? cc * 2 : 1 << 16;
                        cand = xrealloc(cand, cc * sizeof *cand);
                    }
                    cand[nc++] = (pair){ps[x].d, ps[y].d, 0};
                }
        }
        i = e;
    }
    free(ps);
    qsort(cand, nc, sizeof *cand, cmp_pair);
    for (size_t i = 0; i < nc; i++) {
        if (i && cand[i].a == cand[i - 1].a && cand[i].b == cand[i - 1].b)
            continue;
        double j = j5(cand[i].a, cand[i].b);
        if (j >= 0.5) {
            cand[nrefs] = cand[i];
            cand[nrefs++].j = (float)j;
        }
    }
    refs = cand;
    if (skipped)
        printf("(reference pairs: %zu sketch postings over %d documents skipped)\n",
               skipped, POSTING_CAP);
}

/* ---- keys ---------------------------------------------------------------- */

/* Parameters: the library's, plus the alternative measured and rejected
 * ("gap"): instead of the b smallest shingle hashes, the smallest, then
 * each next one the smallest at least min(gap, shingles / 2b) shingles
 * away from those taken (so that one shared passage cannot hold them
 * all). */
typedef struct sparams {
    unsigned k, b, min_words, figures;
    uint64_t seed;
    unsigned gap;
} sparams;


static uint64_t key_gap(const uint64_t *w, size_t n, const sparams *p)
{
    if (n < p->min_words || n < p->k)
        return 0;
    size_t m = n - p->k + 1;
    uint64_t *sh = xmalloc(m * sizeof *sh);
    for (size_t i = 0; i < m; i++) {
        uint64_t h = 0;
        for (size_t j = i; j < i + p->k; j++)
            h = h * 0x100000001b3ULL + w[j];
        sh[i] = att_dup_mix64(h + 0x9e3779b97f4a7c15ULL * p->k + p->seed * 0x100000001b3ULL);
    }
    size_t gap = m / (2 * p->b);
    if (gap > p->gap)
        gap = p->gap;
    uint64_t v[ATT_DUP_MAX_B];
    size_t pos[ATT_DUP_MAX_B], nb = 0;
    while (nb < p->b) {
        size_t best = m;
        for (int pass = 0; pass < 2 && best == m; pass++)
            for (size_t i = 0; i < m; i++) {
                if (best < m && sh[i] >= sh[best])
                    continue;
                bool ok = true;
                for (size_t j = 0; j < nb && ok; j++)
                    ok = v[j] != sh[i] &&
                         (pass == 1 || (i > pos[j] ? i - pos[j] : pos[j] - i) >= gap);
                if (ok)
                    best = i;
            }
        if (best == m)
            break;
        pos[nb] = best;
        v[nb++] = sh[best];
    }
    free(sh);
    if (nb < p->b)
        return 0;
    qsort(v, nb, sizeof *v, cmp_u64);
    uint64_t key = 0x9e3779b97f4a7c15ULL * (p->b + 1);
    for (size_t i = 0; i < nb; i++)
        key = att_dup_mix64(key + v[i] + 0x9e3779b97f4a7c15ULL);
    return key ? key : 1;
}

static uint64_t key_words(const uint64_t *w, size_t n, const sparams *p)
{
    if (p->gap)
        return key_gap(w, n, p);
    att_dup_acc acc;
    att_dup_params dp = {p->k, p->b, p->min_words, p->figures, p->seed};
    if (att_dup_begin(&acc, &dp) != ATT_OK)
        die("att_dup_begin");
    for (size_t i = 0; i < n; i++)
        att_dup_add_hash(&acc, w[i]);
    return att_dup_end(&acc);
}

static uint64_t key_text(const char *s, size_t n, const sparams *p)
{
    if (p->gap) {
        wvec v = words_of(s, n);
        uint64_t k = key_words(v.w, v.n, p);
        free(v.w);
        free(v.start);
        free(v.end);
        return k;
    }
    uint64_t k;
    att_dup_params dp = {p->k, p->b, p->min_words, p->figures, p->seed};
    if (att_dup_signature_ex(an, s, n, &dp, &k) != ATT_OK)
        die("att_dup_signature_ex");
    return k;
}

typedef struct kd {
    uint64_t k;
    uint32_t d;
} kd;

static int cmp_kd(const void *x, const void *y)
{
    const kd *a = x, *b = y;
    if (a->k != b->k)
        return a->k < b->k ? -1 : 1;
    return (a->d > b->d) - (a->d < b->d);
}

static uint64_t *keys;   /* per document, for the current parameters */

static void compute_keys(const sparams *p)
{
    for (size_t i = 0; i < ndocs; i++)
        keys[i] = key_words(docs[i].w, docs[i].n, p);
}

/* Equal-key pairs of one corpus by J5 bucket: [0] J5 = 1, [1] >= 0.9,
 * [2] >= 0.5, [3] >= 0.2, [4] < 0.2; also keyed docs and groups. */
typedef struct collide {
    size_t keyed, groups, in_groups, pairs, bucket[5];
} collide;

static int bucket_of(double j)
{
    return j >= 0.999999 ? 0 : j >= 0.9 ? 1 : j >= 0.5 ? 2 : j >= 0.2 ? 3 : 4;
}

static kd *sorted_keys(int corpus, size_t *n)
{
    kd *v = xmalloc(ndocs * sizeof *v);
    *n = 0;
    for (size_t i = 0; i < ndocs; i++)
        if (docs[i].corpus == corpus && keys[i])
            v[(*n)++] = (kd){keys[i], (uint32_t)i};
    qsort(v, *n, sizeof *v, cmp_kd);
    return v;
}

static collide collisions(int corpus)
{
    collide c = {0};
    size_t n;
    kd *v = sorted_keys(corpus, &n);
    c.keyed = n;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && v[e].k == v[i].k)
            e++;
        if (e - i > 1) {
            c.groups++;
            c.in_groups += e - i;
            for (size_t x = i; x < e; x++)
                for (size_t y = x + 1; y < e; y++) {
                    c.pairs++;
                    c.bucket[bucket_of(j5(v[x].d, v[y].d))]++;
                }
        }
        i = e;
    }
    free(v);
    return c;
}

/* Recall on the reference pairs of a corpus: [0] J5 = 1, [1] >= 0.9,
 * [2] >= 0.8, [3] >= 0.7, [4] >= 0.5; hits and totals. */
static void recall(int corpus, size_t hit[5], size_t tot[5])
{
    memset(hit, 0, 5 * sizeof *hit);
    memset(tot, 0, 5 * sizeof *tot);
    for (size_t i = 0; i < nrefs; i++) {
        if (docs[refs[i].a].corpus != corpus)
            continue;
        double j = refs[i].j;
        int b = j >= 0.999999 ? 0 : j >= 0.9 ? 1 : j >= 0.8 ? 2 : j >= 0.7 ? 3 : 4;
        tot[b]++;
        if (keys[refs[i].a] && keys[refs[i].a] == keys[refs[i].b])
            hit[b]++;
    }
}

/* ---- synthetic edits on word sequences ------------------------------------- */

static uint64_t *scratch;
static size_t scratch_cap;

static uint64_t *scratch_for(size_t n)
{
    if (n > scratch_cap) {
        scratch_cap = n * 2;
        scratch = xrealloc(scratch, scratch_cap * sizeof *scratch);
    }
    return scratch;
}

/* Lines a republisher adds: many of them, since whether a fixed line
 * breaks a signature depends on how its own shingles happen to hash. */
#define NBOILER 12
static wvec boiler[NBOILER], byline[NBOILER];
static const char *const boiler_text[NBOILER] = {
    "Share this",
    "Share this article: Facebook | Twitter | Email",
    "Copyright 2005 Reuters Limited. All rights reserved.",
    "Follow us on Twitter and Facebook for the latest news.",
    "(c) Associated Press. All rights reserved.",
    "Read more: world news",
    "This story has been corrected to fix a typo.",
    "Reporting by the Geneva newsroom; editing by the news desk",
    "Sign up for our daily newsletter",
    "Related: more stories on this topic",
    "Story from BBC NEWS",
    "Print this page | Send to a friend",
};
static const char *const byline_text[NBOILER] = {
    "By Jane Smith, BBC News",
    "LONDON, March 3 (Reuters) -",
    "By John Doe, Diplomatic Correspondent, Reuters",
    "Updated 14:05 GMT",
    "GENEVA (AP) -",
    "From our correspondent in Brussels",
    "Published: Monday, 7 March 2005",
    "By Maria Garcia and Ahmed Khan",
    "Exclusive",
    "NEW YORK, June 19 -",
    "Last updated at 09:12 GMT, Tuesday",
    "Staff and agencies",
};

/* First word index after the first line break. */
static size_t first_line_end(const doc *d)
{
    const char *nl = memchr(d->body, '\n', d->len);
    size_t at = nl ? (size_t)(nl - d->body) : d->len;
    size_t i = 0;
    while (i < d->n && d->start[i] < at)
        i++;
    return i;
}

/* First word of the last sentence (ICU's sentence breaks), its byte in
 * *byte; 0 if there is none. */
static size_t last_sentence_start(const doc *d, size_t *byte)
{
    size_t end = d->len;
    while (end && (d->body[end - 1] == ' ' || d->body[end - 1] == '\n' ||
                   d->body[end - 1] == '\r' || d->body[end - 1] == '\t'))
        end--;
    if (end == 0 || att_sentences_set(an, d->body, end) != ATT_OK)
        return 0;
    size_t at = att_sentence_before(an, end - 1);
    size_t i = 0;
    while (i < d->n && d->start[i] < at)
        i++;
    *byte = at;
    return i;
}

enum {
    E_WORD, E_3WORDS, E_FIGURE, E_FIRSTLINE, E_APPEND, E_BYLINE, E_LASTSENT,
    NEDITS_W
};
static const char *const edit_name[] = {
    "one word changed", "three words changed", "one figure changed",
    "first line dropped",
    "boilerplate line appended", "byline/dateline prepended",
    "last sentence dropped",
    /* text-only edits (report) */
    "title changed", "white space re-wrapped", "case and typography",
};
#define NEDITS 10

/* The word edited by E_FIGURE: one of the words with a digit, drawn with r;
 * SIZE_MAX if there is none. */
static size_t figure_word(const doc *d, uint64_t r)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->w[i] & 1;
    if (!n)
        return SIZE_MAX;
    size_t want = r % n;
    for (size_t i = 0; i < d->n; i++)
        if ((d->w[i] & 1) && want-- == 0)
            return i;
    return SIZE_MAX;
}

/* The word sequence of document d after edit e; NULL if the edit does not
 * apply (e.g. one line only).  r is the per-document random draw. */
static const uint64_t *edit_words(const doc *d, int e, uint64_t r, size_t *n)
{
    uint64_t *s = scratch_for(d->n + 64);
    memcpy(s, d->w, d->n * sizeof *s);
    *n = d->n;
    switch (e) {
    case E_WORD:
        s[r % d->n] = att_dup_word_hash("zqxjv", 5);
        return s;
    case E_3WORDS:
        for (int i = 0; i < 3; i++) {
            char repl[] = "zqxjv";
            repl[4] = (char)('v' + i);
            s[(r >> (i * 16)) % d->n] = att_dup_word_hash(repl, 5);
        }
        return s;
    case E_FIGURE: {
        size_t f = figure_word(d, r);
        if (f == SIZE_MAX)
            return NULL;
        s[f] = att_dup_word_hash("73519", 5);
        return s;
    }
    case E_FIRSTLINE: {
        size_t f = first_line_end(d);
        if (f == 0 || f >= d->n)
            return NULL;
        *n = d->n - f;
        return d->w + f;
    }
    case E_APPEND: {
        const wvec *b = &boiler[r % NBOILER];
        memcpy(s + d->n, b->w, b->n * sizeof *s);
        *n = d->n + b->n;
        return s;
    }
    case E_BYLINE: {
        const wvec *b = &byline[r % NBOILER];
        memcpy(s, b->w, b->n * sizeof *s);
        memcpy(s + b->n, d->w, d->n * sizeof *s);
        *n = d->n + b->n;
        return s;
    }
    case E_LASTSENT: {
        size_t at, f = last_sentence_start(d, &at);
        if (f == 0 || f >= d->n)
            return NULL;
        *n = f;
        return s;
    }
    }
    return NULL;
}

/* The same edits on the text itself, plus the text-only ones; returns a
 * malloc'd text, or NULL if the edit does not apply. */
static char *edit_text(const doc *d, int e, uint64_t r, size_t *n)
{
    att_buf b = ATT_BUF_INIT;
    switch (e) {
    case E_WORD:
    case E_3WORDS: {
        size_t at[3];
        int k = e == E_WORD ? 1 : 3;
        for (int i = 0; i < k; i++)
            at[i] = e == E_WORD ? r % d->n : (r >> (i * 16)) % d->n;
        size_t done = 0;
        for (size_t w = 0; w < d->n; w++) {
            int which = -1;
            for (int i = 0; i < k; i++)
                if (at[i] == w)
                    which = i;
            if (which < 0)
                continue;
            att_buf_append(&b, d->body + done, d->start[w] - done);
            /* The same words as edit_words(). */
            char repl[] = "zqxjv";
            repl[4] = (char)('v' + which);
            att_buf_puts(&b, repl);
            done = d->end[w];
        }
        att_buf_append(&b, d->body + done, d->len - done);
        break;
    }
    case E_FIGURE: {
        size_t f = figure_word(d, r);
        if (f == SIZE_MAX)
            return NULL;
        att_buf_append(&b, d->body, d->start[f]);
        att_buf_puts(&b, "73519");
        att_buf_append(&b, d->body + d->end[f], d->len - d->end[f]);
        break;
    }
    case E_FIRSTLINE: {
        const char *nl = memchr(d->body, '\n', d->len);
        if (!nl)
            return NULL;
        att_buf_append(&b, nl + 1, d->len - (size_t)(nl + 1 - d->body));
        break;
    }
    case E_APPEND:
        att_buf_append(&b, d->body, d->len);
        att_buf_puts(&b, "\n\n");
        att_buf_puts(&b, boiler_text[r % NBOILER]);
        att_buf_puts(&b, "\n");
        break;
    case E_BYLINE:
        att_buf_puts(&b, byline_text[r % NBOILER]);
        att_buf_puts(&b, "\n\n");
        att_buf_append(&b, d->body, d->len);
        break;
    case E_LASTSENT: {
        size_t at, f = last_sentence_start(d, &at);
        if (f == 0 || f >= d->n)
            return NULL;
        att_buf_append(&b, d->body, at);
        break;
    }
    case NEDITS_W: /* title changed: the body is the same */
        att_buf_append(&b, d->body, d->len);
        break;
    case NEDITS_W + 1: { /* re-wrapped: runs of white space become one
                            space, lines of at most 60 bytes, CRLF, two
                            spaces after full stops */
        size_t col = 0;
        for (size_t i = 0; i < d->len; i++) {
            char c = d->body[i];
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                while (i + 1 < d->len && (d->body[i + 1] == ' ' || d->body[i + 1] == '\n' ||
                                          d->body[i + 1] == '\t' || d->body[i + 1] == '\r'))
                    i++;
                if (col > 60) {
                    att_buf_puts(&b, "\r\n");
                    col = 0;
                } else {
                    att_buf_puts(&b, b.len && b.data[b.len - 1] == '.' ? "  " : " ");
                    col++;
                }
                continue;
            }
            att_buf_putc(&b, c);
            col++;
        }
        break;
    }
    case NEDITS_W + 2: /* upper case, typographic quotes and dashes */
        for (size_t i = 0; i < d->len; i++) {
            char c = d->body[i];
            if (c >= 'a' && c <= 'z')
                att_buf_putc(&b, (char)(c - 32));
            else if (c == '\'')
                att_buf_puts(&b, "\xe2\x80\x99");
            else if (c == '"')
                att_buf_puts(&b, (i && d->body[i - 1] != ' ') ? "\xe2\x80\x9d" : "\xe2\x80\x9c");
            else if (c == '-' && i && d->body[i - 1] == ' ')
                att_buf_puts(&b, "\xe2\x80\x94");
            else
                att_buf_putc(&b, c);
        }
        break;
    default:
        return NULL;
    }
    if (!b.data)
        att_buf_putc(&b, ' ');
    *n = b.len;
    return b.data;
}

/* Documents used for robustness: up to `want` per corpus, with at least
 * min_words words, the first of each set of identical bodies only, chosen
 * with the fixed-seed PRNG. */
static size_t *sample_docs(int corpus, size_t want, size_t min_words, size_t *n)
{
    size_t *v = xmalloc(ndocs * sizeof *v), m = 0;
    for (size_t i = 0; i < ndocs; i++)
        if (docs[i].corpus == corpus && docs[i].n >= min_words)
            v[m++] = i;
    /* Fisher-Yates with a fixed seed. */
    uint64_t saved = rng_state;
    rng_state = 42 + (uint64_t)corpus;
    for (size_t i = m; i > 1; i--) {
        size_t j = rnd_below(i);
        size_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
    rng_state = saved;
    *n = m < want ? m : want;
    return v;
}

/* Fraction of sampled documents keeping their key under word-level edit e. */
static double robust_words(int corpus, int e, const sparams *p,
                           size_t *applied)
{
    size_t n;
    size_t *v = sample_docs(corpus, 1000, p->min_words, &n);
    size_t same = 0, tried = 0;
    for (size_t i = 0; i < n; i++) {
        const doc *d = &docs[v[i]];
        uint64_t r = att_hash64(d->name, strlen(d->name)) ^ (uint64_t)e * 0x9e3779b97f4a7c15ULL;
        size_t m;
        const uint64_t *w = edit_words(d, e, r, &m);
        if (!w)
            continue;
        tried++;
        uint64_t k0 = key_words(d->w, d->n, p);
        same += k0 != 0 && key_words(w, m, p) == k0;
    }
    free(v);
    if (applied)
        *applied = tried;
    return tried ? (double)same / (double)tried : 0;
}

/* ---- synthetic related stories ------------------------------------------- */

/* Pairs of documents of the corpora with at least min_words words, from
 * different stories (J5 < 0.2), drawn with the PRNG. */
static size_t *pool;
static size_t npool;

static void make_pool(size_t min_words, int corpus)
{
    free(pool);
    pool = xmalloc(ndocs * sizeof *pool);
    npool = 0;
    for (size_t i = 0; i < ndocs; i++)
        if (docs[i].n >= min_words && (corpus < 0 || docs[i].corpus == corpus))
            pool[npool++] = i;
}

enum { S_QUOTE, S_FOLLOWUP, S_UPDATE };

/* Fraction of trials where story A and the synthetic story made from B
 * have equal non-zero keys:
 *   S_QUOTE:    B with L consecutive words of A inserted at a random word;
 *   S_FOLLOWUP: B followed by A's opening third (a follow-up repeating the
 *               background);
 *   S_UPDATE:   A followed by L% of A's length taken from B (an updated
 *               version: these are the same story, a high rate is good). */
static double synthetic(int kind, size_t L, size_t trials, const sparams *p)
{
    uint64_t saved = rng_state;
    rng_state = 7 + (uint64_t)kind * 1000 + L;
    size_t same = 0, done = 0;
    for (size_t t = 0; t < trials; t++) {
        const doc *a = &docs[pool[rnd_below(npool)]];
        const doc *b = &docs[pool[rnd_below(npool)]];
        if (a == b)
            continue;
        size_t m = 0;
        uint64_t *s = scratch_for(a->n + b->n + 16);
        if (kind == S_QUOTE) {
            if (a->n < L)
                continue;
            size_t from = rnd_below(a->n - L + 1), at = rnd_below(b->n + 1);
            memcpy(s, b->w, at * sizeof *s);
            memcpy(s + at, a->w + from, L * sizeof *s);
            memcpy(s + at + L, b->w + at, (b->n - at) * sizeof *s);
            m = b->n + L;
        } else if (kind == S_FOLLOWUP) {
            size_t third = a->n / 3;
            memcpy(s, b->w, b->n * sizeof *s);
            memcpy(s + b->n, a->w, third * sizeof *s);
            m = b->n + third;
        } else {
            size_t add = a->n * L / 100;
            if (add > b->n)
                continue;
            memcpy(s, a->w, a->n * sizeof *s);
            memcpy(s + a->n, b->w, add * sizeof *s);
            m = a->n + add;
        }
        uint64_t ka = key_words(a->w, a->n, p);
        if (!ka)
            continue;
        done++;
        same += key_words(s, m, p) == ka;
    }
    rng_state = saved;
    return done ? (double)same / (double)done : 0;
}

/* ---- reports ------------------------------------------------------------- */

static void print_excerpt(const doc *d, size_t max)
{
    printf("      %-28s \"", d->name);
    size_t k = 0;
    for (size_t i = 0; i < d->len && k < max; i++, k++) {
        char c = d->body[i];
        putchar(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    printf("%s\"\n", d->len > max ? "..." : "");
}

/* Lists the equal-key groups of a corpus: all of them with `all`, else
 * those with a pair below J5 = `below` (up to `limit`). */
static void list_groups(int corpus, bool all, size_t limit, double below)
{
    size_t n;
    kd *v = sorted_keys(corpus, &n);
    size_t shown = 0;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && v[e].k == v[i].k)
            e++;
        if (e - i > 1) {
            double jmin = 1;
            for (size_t x = i; x < e; x++)
                for (size_t y = x + 1; y < e; y++) {
                    double j = j5(v[x].d, v[y].d);
                    if (j < jmin)
                        jmin = j;
                }
            if ((all || jmin < below) && shown < limit) {
                shown++;
                printf("    key %016llx, %zu articles, J5 (J1):",
                       (unsigned long long)v[i].k, e - i);
                for (size_t x = i; x < e && x < i + 6; x++)
                    for (size_t y = x + 1; y < e && y < i + 6; y++)
                        printf(" %.3f (%.2f)", j5(v[x].d, v[y].d), j1(v[x].d, v[y].d));
                printf("\n");
                for (size_t x = i; x < e && x < i + 6; x++) {
                    if (all && jmin >= 0.999999)
                        printf("      %s (%zu words)\n", docs[v[x].d].name,
                               docs[v[x].d].n);
                    else
                        print_excerpt(&docs[v[x].d], 110);
                }
            }
        }
        i = e;
    }
    if (!shown)
        printf("    (none)\n");
    free(v);
}

static void report_corpus(int corpus, const sparams *p, bool all_groups)
{
    size_t nc = 0, words = 0, zero = 0;
    for (size_t i = 0; i < ndocs; i++)
        if (docs[i].corpus == corpus) {
            nc++;
            words += docs[i].n;
            zero += keys[i] == 0;
        }
    collide c = collisions(corpus);
    printf("\n== %s: %zu articles, %zu words; %zu without a signature "
           "(< %u words or too few shingles)\n",
           corpus_name[corpus], nc, words, zero, p->min_words);
    printf("  equal-key groups: %zu (%zu articles, %zu pairs); pairs by J5: "
           "=1: %zu, [0.9,1): %zu, [0.5,0.9): %zu, [0.2,0.5): %zu, <0.2: %zu\n",
           c.groups, c.in_groups, c.pairs, c.bucket[0], c.bucket[1], c.bucket[2],
           c.bucket[3], c.bucket[4]);
    size_t hit[5], tot[5];
    recall(corpus, hit, tot);
    static const char *const rb[5] = {"=1", "[0.9,1)", "[0.8,0.9)", "[0.7,0.8)",
                                      "[0.5,0.7)"};
    printf("  reference pairs (J5 >= 0.5) with equal keys:");
    for (int i = 0; i < 5; i++)
        printf(" %s %zu/%zu%s", rb[i], hit[i], tot[i], i < 4 ? "," : "\n");
    size_t unkeyed = 0;
    for (size_t i = 0; i < nrefs; i++)
        if (docs[refs[i].a].corpus == corpus && (!keys[refs[i].a] || !keys[refs[i].b]))
            unkeyed++;
    size_t same_keyed = 0, same_equal = 0;
    for (size_t i = 0; i < nrefs; i++)
        if (docs[refs[i].a].corpus == corpus && refs[i].j >= 0.999999 &&
            keys[refs[i].a] && keys[refs[i].b]) {
            same_keyed++;
            same_equal += keys[refs[i].a] == keys[refs[i].b];
        }
    printf("  (%zu pairs have an article without a signature; of the J5 = 1 "
           "pairs where both have one, %zu/%zu share it)\n", unkeyed,
           same_equal, same_keyed);
    if (corpus == BBC) {
        /* The byte-identical files. */
        size_t pairs = 0, equal = 0;
        for (size_t i = 0; i < ndocs; i++)
            for (size_t j = i + 1; j < ndocs; j++)
                if (docs[i].corpus == BBC && docs[j].corpus == BBC &&
                    docs[i].raw_hash == docs[j].raw_hash &&
                    strcmp(docs[i].body, docs[j].body) == 0 &&
                    strcmp(docs[i].title, docs[j].title) == 0) {
                    pairs++;
                    equal += keys[i] && keys[i] == keys[j];
                }
        printf("  byte-identical file pairs: %zu, with equal keys: %zu\n", pairs,
               equal);
    }
    double below = corpus == BBC ? 0.999999 : 0.9;
    printf("  groups%s (J1 = Jaccard of the sets of words):\n",
           all_groups ? "" : corpus == BBC ? " with a pair below J5 = 1" : " with a pair below J5 = 0.9");
    list_groups(corpus, all_groups, all_groups ? 1000 : 80, below);
}

static void report_robustness(const sparams *p)
{
    printf("\n== Robustness: 1,000 articles per corpus (>= %u words, fixed "
           "seed), edited text through att_dup_signature_ex(); fraction "
           "keeping the key\n", p->min_words);
    printf("  %-30s %10s %10s %10s\n", "edit", "BBC", "Reuters", "UNGDC");
    for (int e = 0; e < NEDITS; e++) {
        printf("  %-30s", edit_name[e]);
        for (int c = 0; c < NCORPORA; c++) {
            size_t n;
            size_t *v = sample_docs(c, 1000, p->min_words, &n);
            size_t same = 0, tried = 0, mismatch = 0;
            for (size_t i = 0; i < n; i++) {
                const doc *d = &docs[v[i]];
                uint64_t r = att_hash64(d->name, strlen(d->name)) ^
                             (uint64_t)e * 0x9e3779b97f4a7c15ULL;
                size_t tn;
                char *t = edit_text(d, e, r, &tn);
                if (!t)
                    continue;
                tried++;
                uint64_t k0 = key_text(d->body, d->len, p);
                uint64_t k1 = key_text(t, tn, p);
                same += k0 && k1 == k0;
                if (e < NEDITS_W) {
                    /* The word-level edit must give the same key. */
                    size_t m;
                    const uint64_t *w = edit_words(d, e, r, &m);
                    if (w && key_words(w, m, p) != k1)
                        mismatch++;
                }
                free(t);
            }
            free(v);
            printf(" %6.1f%%", tried ? 100.0 * (double)same / (double)tried : 0);
            printf("%s", mismatch ? "!" : " ");
            printf("%s", tried < n ? "*  " : "   ");
        }
        printf("\n");
    }
    printf("  (* = the edit did not apply to some articles, e.g. a single line; "
           "! = word-level and text-level edits disagree)\n");
}

static void report_synthetic(const sparams *p)
{
    printf("\n== Synthetic related stories (20,000 random pairs of articles with "
           ">= %u words from all three corpora): fraction with equal keys\n",
           p->min_words);
    make_pool(p->min_words, -1);
    size_t Ls[] = {25, 50, 100, 200};
    for (size_t i = 0; i < 4; i++)
        printf("  B quoting %3zu consecutive words of A:     %.5f\n", Ls[i],
               synthetic(S_QUOTE, Ls[i], 20000, p));
    printf("  B followed by A's opening third:          %.5f\n",
           synthetic(S_FOLLOWUP, 0, 20000, p));
    size_t Us[] = {5, 10, 25, 50};
    for (size_t i = 0; i < 4; i++)
        printf("  A updated: + %2zu%% new text (same story):  %.4f\n", Us[i],
               synthetic(S_UPDATE, Us[i], 20000, p));
}

static att_status count_tok(void *ctx, const att_token *t)
{
    (void)t;
    (*(size_t *)ctx)++;
    return ATT_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static att_status acc_tok(void *ctx, const att_token *t)
{
    att_dup_add(ctx, t->form, t->form_len);
    return ATT_OK;
}

static int passes = 5;

/* All tokens' folded forms, one after another, for timing the signature
 * without the analysis. */
typedef struct forms {
    att_buf text;
    uint8_t *len;
    size_t n, cap;
} forms;

static att_status keep_form(void *ctx, const att_token *t)
{
    forms *f = ctx;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 1 << 20;
        f->len = xrealloc(f->len, f->cap);
    }
    f->len[f->n++] = (uint8_t)t->form_len;
    return att_buf_append(&f->text, t->form, t->form_len);
}

static void report_time(void)
{
    size_t bytes = 0;
    for (size_t i = 0; i < ndocs; i++)
        bytes += docs[i].len;
    enum { PASSES_MAX = 51 };
    const int np = passes;
    double ta[PASSES_MAX], ts[PASSES_MAX], tc[PASSES_MAX];
    uint64_t x = 0;
    for (int p = 0; p < np; p++) {
        size_t words = 0;
        double t0 = now();
        for (size_t i = 0; i < ndocs; i++)
            att_analyze(an, docs[i].body, docs[i].len, count_tok, &words);
        ta[p] = now() - t0;
        t0 = now();
        for (size_t i = 0; i < ndocs; i++) {
            uint64_t k;
            att_dup_signature(an, docs[i].body, docs[i].len, &k);
            x += k;
        }
        ts[p] = now() - t0;
        t0 = now();
        for (size_t i = 0; i < ndocs; i++) {
            att_dup_acc acc;
            att_dup_begin(&acc, NULL);
            att_analyze(an, docs[i].body, docs[i].len, acc_tok, &acc);
            x += att_dup_end(&acc);
        }
        tc[p] = now() - t0;
    }
    /* The accumulator alone, on the forms analysed beforehand. */
    forms f = {ATT_BUF_INIT, NULL, 0, 0};
    size_t *doc_end = xmalloc(ndocs * sizeof *doc_end);
    for (size_t i = 0; i < ndocs; i++) {
        att_analyze(an, docs[i].body, docs[i].len, keep_form, &f);
        doc_end[i] = f.n;
    }
    double tf[PASSES_MAX];
    for (int p = 0; p < np; p++) {
        double t0 = now();
        size_t at = 0, tok = 0;
        for (size_t i = 0; i < ndocs; i++) {
            att_dup_acc acc;
            att_dup_begin(&acc, NULL);
            for (; tok < doc_end[i]; tok++) {
                att_dup_add(&acc, f.text.data + at, f.len[tok]);
                at += f.len[tok];
            }
            x += att_dup_end(&acc);
        }
        tf[p] = now() - t0;
    }
    double th[PASSES_MAX];
    for (int p = 0; p < np; p++) {
        double t0 = now();
        for (size_t i = 0; i < ndocs; i++) {
            att_dup_acc acc;
            att_dup_begin(&acc, NULL);
            for (size_t j = 0; j < docs[i].n; j++)
                att_dup_add_hash(&acc, docs[i].w[j]);
            x += att_dup_end(&acc);
        }
        th[p] = now() - t0;
    }
    qsort(th, (size_t)np, sizeof *th, cmp_double);
    qsort(tf, (size_t)np, sizeof *tf, cmp_double);
    qsort(ta, (size_t)np, sizeof *ta, cmp_double);
    qsort(ts, (size_t)np, sizeof *ts, cmp_double);
    qsort(tc, (size_t)np, sizeof *tc, cmp_double);
    double a = ta[np / 2], sg = ts[np / 2], c = tc[np / 2];
    printf("\n== Throughput over all %zu bodies (%.1f MB), median of %d passes, "
           "one analyser (checksum %016llx)\n", ndocs, (double)bytes / 1e6,
           np, (unsigned long long)x);
    printf("  att_analyze() alone, counting tokens:     %.3f s, %6.1f MB/s\n", a,
           (double)bytes / 1e6 / a);
    printf("  att_dup_signature():                      %.3f s, %6.1f MB/s "
           "(+%.1f%% over the analysis alone)\n", sg, (double)bytes / 1e6 / sg,
           100.0 * (sg - a) / a);
    printf("  att_analyze() feeding att_dup_add():      %.3f s, %6.1f MB/s "
           "(+%.1f%%: the cost inside an existing analysis pass)\n", c,
           (double)bytes / 1e6 / c, 100.0 * (c - a) / a);
    printf("  att_dup_add() alone on the %zu tokens' forms: %.3f s, %.1f ns "
           "a token (%.1f%% of the analysis time)\n", f.n, tf[np / 2],
           tf[np / 2] * 1e9 / (double)f.n, 100.0 * tf[np / 2] / a);
    printf("  of which the shingles (att_dup_add_hash() on word hashes): %.1f ns "
           "a token\n", th[np / 2] * 1e9 / (double)f.n);
    att_buf_free(&f.text);
    free(f.len);
    free(doc_end);
}

/* Sweep lists (--ks 4,5,6 etc.). */
static unsigned ks[16] = {4, 5, 6, 7}, bs[16] = {2, 3}, gaps[16] = {0},
                mins[16] = {30}, figs[16] = {0};
static size_t nks = 4, nbs = 2, ngaps = 1, nmins = 1, nfigs = 1;
static unsigned nseeds = 3;

static size_t parse_list(const char *s, unsigned *v)
{
    size_t n = 0;
    while (*s && n < 16) {
        v[n++] = (unsigned)strtoul(s, (char **)&s, 10);
        if (*s == ',')
            s++;
        else
            break;
    }
    return n;
}

/* One line per parameter set, each figure the mean over `nseeds` hash
 * functions of the family (seeds 0..nseeds-1). */
static void sweep_one(sparams p)
{
    double fl[3] = {0}, rec9 = 0, rec7 = 0, rb[5][2] = {{0}}, q50 = 0, q100 = 0,
           fol = 0, upd = 0;
    static const int es[5] = {E_WORD, E_FIGURE, E_FIRSTLINE, E_APPEND, E_LASTSENT};
    for (unsigned seed = 0; seed < nseeds; seed++) {
        p.seed = seed;
        compute_keys(&p);
        size_t h9 = 0, t9 = 0, h7 = 0, t7 = 0;
        for (int c = 0; c < NCORPORA; c++) {
            collide cc = collisions(c);
            fl[c] += (double)(cc.bucket[3] + cc.bucket[4]);
            size_t hit[5], tot[5];
            recall(c, hit, tot);
            h9 += hit[0] + hit[1];
            t9 += tot[0] + tot[1];
            h7 += hit[2] + hit[3];
            t7 += tot[2] + tot[3];
        }
        rec9 += t9 ? (double)h9 / (double)t9 : 0;
        rec7 += t7 ? (double)h7 / (double)t7 : 0;
        for (int e = 0; e < 5; e++)
            for (int c = 0; c < 2; c++)
                rb[e][c] += robust_words(c, es[e], &p, NULL);
        make_pool(p.min_words, -1);
        q50 += synthetic(S_QUOTE, 50, 20000, &p);
        q100 += synthetic(S_QUOTE, 100, 20000, &p);
        fol += synthetic(S_FOLLOWUP, 0, 20000, &p);
        upd += synthetic(S_UPDATE, 10, 5000, &p);
    }
    double S = nseeds;
    char a[48], b[48], c[32];
    snprintf(a, sizeof a, "%u %u %u %u %u", p.k, p.b, p.min_words, p.figures, p.gap);
    snprintf(b, sizeof b, "%.1f/%.1f/%.1f", fl[0] / S, fl[1] / S, fl[2] / S);
    snprintf(c, sizeof c, "%.3f %.3f", rec9 / S, rec7 / S);
    printf("%-14s %-17s %-11s", a, b, c);
    for (int e = 0; e < 5; e++)
        printf(" %.3f/%.3f", rb[e][0] / S, rb[e][1] / S);
    printf("  %.5f %.5f %.5f %.3f\n", q50 / S, q100 / S, fol / S, upd / S);
    fflush(stdout);
}

static void sweep(void)
{
    printf("\nSweep, means over %u hash functions (seeds).  false = equal-key pairs "
           "with J5 < 0.5 in BBC/Reuters/UNGDC; rec = equal keys among the "
           "reference pairs with J5 >= 0.9 and in [0.7, 0.9), all corpora; "
           "then robustness (BBC/Reuters, 1,000 articles each): one word "
           "changed, one figure changed, first line dropped, boilerplate line "
           "appended, last sentence dropped; then related stories (20,000 "
           "pairs): B quoting 50 and 100 words of A, follow-up repeating A's "
           "first third; and A updated with 10%% new text.\n", nseeds);
    printf("%-14s %-17s %-11s %-11s %-11s %-11s %-11s %-11s  %-7s %-7s %-7s %s\n",
           "k b min fig gap", "false B/R/U", "rec.9 .7", "word", "figure",
           "line", "append", "lastsent", "q50", "q100", "follow", "upd10");
    for (size_t mi = 0; mi < nmins; mi++)
        for (size_t fi = 0; fi < nfigs; fi++)
            for (size_t gi = 0; gi < ngaps; gi++)
                for (size_t bi = 0; bi < nbs; bi++)
                    for (size_t ki = 0; ki < nks; ki++) {
                        sparams p = {ks[ki], bs[bi], mins[mi], figs[fi], 0, gaps[gi]};
                        if (p.gap && (p.b == 1 || p.figures))
                            continue;
                        sweep_one(p);
                    }
}

int main(int argc, char **argv)
{
    const char *data = NULL;
    bool do_sweep = false, all_groups = false, do_time = true, time_only = false;
    sparams p = {att_dup_default.k, att_dup_default.b, att_dup_default.min_words,
                 att_dup_default.figures, 0, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--data") == 0 && v)
            data = v, i++;
        else if (strcmp(a, "--sweep") == 0)
            do_sweep = true;
        else if (strcmp(a, "--ks") == 0 && v)
            nks = parse_list(v, ks), i++;
        else if (strcmp(a, "--bs") == 0 && v)
            nbs = parse_list(v, bs), i++;
        else if (strcmp(a, "--gaps") == 0 && v)
            ngaps = parse_list(v, gaps), i++;
        else if (strcmp(a, "--mins") == 0 && v)
            nmins = parse_list(v, mins), i++;
        else if (strcmp(a, "--figs") == 0 && v)
            nfigs = parse_list(v, figs), i++;
        else if (strcmp(a, "--seeds") == 0 && v)
            nseeds = (unsigned)atoi(v), i++;
        else if (strcmp(a, "--figures") == 0 && v)
            p.figures = (unsigned)atoi(v), i++;
        else if (strcmp(a, "--groups") == 0)
            all_groups = true;
        else if (strcmp(a, "--no-time") == 0)
            do_time = false;
        else if (strcmp(a, "--time-only") == 0)
            time_only = true;
        else if (strcmp(a, "--passes") == 0 && v)
            passes = atoi(v), i++;
        else if (strcmp(a, "--k") == 0 && v)
            p.k = (unsigned)atoi(v), i++;
        else if (strcmp(a, "--b") == 0 && v)
            p.b = (unsigned)atoi(v), i++;
        else if (strcmp(a, "--min") == 0 && v)
            p.min_words = (unsigned)atoi(v), i++;
        else if (strcmp(a, "--gap") == 0 && v)
            p.gap = (unsigned)atoi(v), i++;
        else {
            fprintf(stderr, "usage: dupsig-study [--data DIR] [--sweep] [--groups] "
                            "[--no-time] [--time-only] [--passes N] [--k K] [--b B] [--min W] [--gap G] "
                            "[--figures 0|1] [--ks LIST] [--bs LIST] [--gaps LIST] "
                            "[--mins LIST] [--figs LIST] [--seeds N]\n");
            return 2;
        }
    }
    struct stat st;
    if (!data)
        data = stat("../shared/data/bbc", &st) == 0 ? "../shared/data"
                                                     : "/work/shared/data";
    if (att_analyzer_new(&an) != ATT_OK)
        die("analyser");
    double t0 = now();
    load_bbc(data);
    load_reuters(data);
    load_ungdc(data);
    for (size_t i = 0; i < ndocs; i++) {
        doc *d = &docs[i];
        wvec v = words_of(d->body, d->len);
        d->w = v.w;
        d->start = v.start;
        d->end = v.end;
        d->n = v.n;
        d->sh5 = shingles5(d->w, d->n, &d->nsh5);
    }
    for (int i = 0; i < NBOILER; i++) {
        boiler[i] = words_of(boiler_text[i], strlen(boiler_text[i]));
        byline[i] = words_of(byline_text[i], strlen(byline_text[i]));
    }
    if (passes < 1 || passes > 51)
        passes = 5;
    if (time_only) {
        report_time();
        return 0;
    }
    keys = xmalloc(ndocs * sizeof *keys);
    size_t per[NCORPORA] = {0};
    for (size_t i = 0; i < ndocs; i++)
        per[docs[i].corpus]++;
    printf("dupsig-study: %s: %zu BBC, %zu Reuters, %zu UNGDC bodies, loaded "
           "and analysed in %.1f s\n", data, per[BBC], per[REUTERS], per[UNGDC],
           now() - t0);
    find_refs();
    size_t rc[NCORPORA] = {0};
    for (size_t i = 0; i < nrefs; i++)
        rc[docs[refs[i].a].corpus]++;
    printf("reference pairs with J5 >= 0.5: BBC %zu, Reuters %zu, UNGDC %zu\n",
           rc[BBC], rc[REUTERS], rc[UNGDC]);
    if (do_sweep) {
        sweep();
        return 0;
    }
    printf("parameters: k=%u b=%u min_words=%u figures=%u gap=%u\n", p.k, p.b,
           p.min_words, p.figures, p.gap);
    compute_keys(&p);
    for (int c = 0; c < NCORPORA; c++)
        report_corpus(c, &p, c == BBC && all_groups);
    report_robustness(&p);
    report_synthetic(&p);
    if (do_time)
        report_time();
    att_analyzer_free(an);
    return 0;
}
