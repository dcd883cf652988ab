/*
 * highlight.c: marking matches in the original text and choosing snippet
 * fragments.
 *
 * Matching.  The text is tokenised by the same analyser as at indexing
 * time, which gives each word its folded form, its stem and its byte range
 * in the original, so a match found on the folded form ("turkiye") marks
 * the original bytes ("Türkiye").  A query element is a stem (ordinary
 * words) or an exact form (=word); a word matches it when its stem, or its
 * form, is equal.  A single-term unit marks every word it matches; a
 * phrase unit marks a run of words with consecutive positions matching the
 * phrase's elements, as one range from the first word's start to the last
 * word's end; a NEAR/ADJ unit marks, as one range, a group of words that
 * match all its elements within its window of positions (in order for
 * ADJ).  A word that the query has only inside a phrase or NEAR group is
 * not marked on its own.
 *
 * Fragments.  Each match is a candidate anchor.  The window around it runs
 * about `bytes` bytes: it starts at the beginning of the anchor's sentence
 * (ICU's sentence break iterator, via the analyser) when that is no more
 * than two thirds of the window back, else at a word a third of the window
 * before the anchor; it ends at a sentence end when one falls in the second
 * half of the window, else at the last word that fits.  A window scores the
 * sum of the weights (idf = ln(1 + (N - df + 0.5) / (df + 0.5))) of the
 * distinct units it contains plus a little for repeats, so a fragment with
 * two rare query words beats one with a common word three times.
 * Fragments are taken best first, never overlapping; a unit already shown
 * by an earlier fragment weighs less in the next, so that together the
 * fragments show as many different query words as possible.
 */
#include "highlight.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit {
    char **stems;      /* elements without prefix: stems or exact forms */
    bool *exact;       /* element k is an exact form (E prefix) */
    size_t n;
    int fields;        /* ATT_HL_TITLE | ATT_HL_BODY */
    size_t *term_idx;  /* index into hl->terms for each element */
    double weight;
    bool near;         /* a NEAR/ADJ group rather than a phrase */
    bool ordered;
    uint32_t window;   /* NEAR/ADJ: positions the group may span */
} unit;

struct att_hl {
    unit *units;
    size_t n_units;
    char **terms;      /* distinct full index terms */
    size_t *term_lens;
    size_t n_terms;
    bool any_exact;    /* some element is an exact form */
    uint64_t first[4]; /* first bytes of the elements, for the analyser's
                          att_analyzer_stem_only(): other words cannot
                          match and are not stemmed */
};

void att_hl_free(att_hl *hl)
{
    if (!hl)
        return;
    for (size_t i = 0; i < hl->n_units; i++) {
        for (size_t k = 0; k < hl->units[i].n; k++)
            free(hl->units[i].stems[k]);
        free(hl->units[i].stems);
        free(hl->units[i].exact);
        free(hl->units[i].term_idx);
    }
    free(hl->units);
    for (size_t i = 0; i < hl->n_terms; i++)
        free(hl->terms[i]);
    free(hl->terms);
    free(hl->term_lens);
    free(hl);
}

static att_status intern_term(att_hl *hl, const char *t, size_t len,
                              size_t *idx)
{
    for (size_t i = 0; i < hl->n_terms; i++)
        if (hl->term_lens[i] == len && memcmp(hl->terms[i], t, len) == 0) {
            *idx = i;
            return ATT_OK;
        }
    char **nt = att_realloc_array(hl->terms, hl->n_terms + 1, sizeof *nt);
    if (!nt)
        return att_error_nomem();
    hl->terms = nt;
    size_t *nl = att_realloc_array(hl->term_lens, hl->n_terms + 1, sizeof *nl);
    if (!nl)
        return att_error_nomem();
    hl->term_lens = nl;
    if (!(hl->terms[hl->n_terms] = att_strndup(t, len)))
        return att_error_nomem();
    hl->term_lens[hl->n_terms] = len;
    *idx = hl->n_terms++;
    return ATT_OK;
}

/* Splits a term into its field and value: unprefixed terms start with a
 * lower-case letter or digit (or a non-ASCII byte); "S" marks the title,
 * "E" an exact form of the title or body. */
static int term_field(const char *t, size_t len, size_t *skip, bool *exact)
{
    *exact = false;
    if (len && t[0] == 'S') {
        *skip = 1;
        return ATT_HL_TITLE;
    }
    if (len && t[0] == 'E') {
        *skip = 1;
        *exact = true;
        return ATT_HL_TITLE | ATT_HL_BODY;
    }
    if (len && t[0] >= 'A' && t[0] <= 'Z')
        return 0; /* another prefix: not text */
    *skip = 0;
    return ATT_HL_TITLE | ATT_HL_BODY;
}

static att_status add_unit(att_hl *hl, const att_qnode *const *terms, size_t n,
                           const att_qnode *near)
{
    size_t skip = 0;
    bool exact;
    int fields = ATT_HL_TITLE | ATT_HL_BODY;
    for (size_t k = 0; k < n; k++) /* a group matches where all its terms can */
        fields &= term_field(terms[k]->term, terms[k]->term_len, &skip, &exact);
    if (!fields)
        return ATT_OK;
    unit *nu = att_realloc_array(hl->units, hl->n_units + 1, sizeof *nu);
    if (!nu)
        return att_error_nomem();
    hl->units = nu;
    unit *u = &hl->units[hl->n_units++];
    memset(u, 0, sizeof *u);
    u->fields = fields;
    u->weight = 1.0;
    if (near) {
        u->near = true;
        u->ordered = near->ordered;
        u->window = near->window;
    }
    u->stems = calloc(n, sizeof *u->stems);
    u->exact = calloc(n, sizeof *u->exact);
    u->term_idx = calloc(n, sizeof *u->term_idx);
    if (!u->stems || !u->exact || !u->term_idx)
        return att_error_nomem();
    for (size_t k = 0; k < n; k++) {
        const att_qnode *t = terms[k];
        size_t sk = 0;
        term_field(t->term, t->term_len, &sk, &u->exact[k]);
        if (u->exact[k])
            hl->any_exact = true;
        if (!(u->stems[k] = att_strndup(t->term + sk, t->term_len - sk)))
            return att_error_nomem();
        u->n = k + 1;
        att_status st = intern_term(hl, t->term, t->term_len, &u->term_idx[k]);
        if (st)
            return st;
    }
    return ATT_OK;
}

static att_status collect(att_hl *hl, const att_qnode *q)
{
    switch (q->kind) {
    case ATT_Q_TERM:
        if (q->entity) /* no words of its own */
            return ATT_OK;
        return add_unit(hl, &q, 1, NULL);
    case ATT_Q_PHRASE:
        return add_unit(hl, (const att_qnode *const *)q->kids, q->n_kids, NULL);
    case ATT_Q_NEAR:
        if (q->rank_only) /* its words are marked on their own */
            return ATT_OK;
        return add_unit(hl, (const att_qnode *const *)q->kids, q->n_kids, q);
    case ATT_Q_AND_NOT:
        return collect(hl, q->kids[0]);
    case ATT_Q_AND:
    case ATT_Q_OR:
    case ATT_Q_AND_MAYBE:
    case ATT_Q_SYNONYM:
    case ATT_Q_WILDCARD: /* its expansion, when search.c has made it */
        for (size_t i = 0; i < q->n_kids; i++) {
            att_status st = collect(hl, q->kids[i]);
            if (st)
                return st;
        }
        return ATT_OK;
    case ATT_Q_FILTER:
    case ATT_Q_MATCH_ALL:
    case ATT_Q_RANGE:
        return ATT_OK;
    }
    return ATT_OK;
}

att_status att_hl_compile(const att_qnode *q, att_hl **out)
{
    *out = NULL;
    att_hl *hl = calloc(1, sizeof *hl);
    if (!hl)
        return att_error_nomem();
    att_status st = collect(hl, q);
    if (st) {
        att_hl_free(hl);
        return st;
    }
    for (size_t u = 0; u < hl->n_units; u++)
        for (size_t k = 0; k < hl->units[u].n; k++) {
            unsigned char b = (unsigned char)hl->units[u].stems[k][0];
            hl->first[b >> 6] |= (uint64_t)1 << (b & 63);
        }
    *out = hl;
    return ATT_OK;
}

size_t att_hl_term_count(const att_hl *hl) { return hl->n_terms; }

const char *att_hl_term(const att_hl *hl, size_t i, size_t *len)
{
    *len = hl->term_lens[i];
    return hl->terms[i];
}

void att_hl_set_stats(att_hl *hl, uint64_t doccount, const uint64_t *freqs)
{
    for (size_t u = 0; u < hl->n_units; u++) {
        double w = 0;
        for (size_t k = 0; k < hl->units[u].n; k++) {
            uint64_t df = freqs[hl->units[u].term_idx[k]];
            /* The smoothed idf of BM25 as Lucene writes it: positive
             * even for a word in every article, so no unit weighs zero. */
            double n = (double)doccount, d = (double)(df < doccount ? df : doccount);
            w += log(1.0 + (n - d + 0.5) / (d + 0.5));
        }
        hl->units[u].weight = w;
    }
}

/* ---- matching ----------------------------------------------------------- */

/* A word of the text.  `stem` points at an equal stem element of a unit
 * (owned by the unit), or is NULL when no unit has this stem; `form` the
 * same for exact-form elements.  Most words match nothing, so the text's
 * own stems and forms are never copied. */
typedef struct word {
    const char *stem;
    const char *form;
    size_t start, end;
    uint32_t pos;
} word;

typedef struct words {
    const att_hl *hl;
    word *w;
    size_t n, cap;
} words;

/* The unit element equal to s[0, len) among the stems (exact false) or
 * the exact forms (exact true), or NULL. */
static const char *unit_elem(const att_hl *hl, const char *s, size_t len,
                             bool exact)
{
    for (size_t u = 0; u < hl->n_units; u++)
        for (size_t k = 0; k < hl->units[u].n; k++) {
            const char *t = hl->units[u].stems[k];
            if (hl->units[u].exact[k] == exact && strncmp(t, s, len) == 0 &&
                t[len] == '\0')
                return t;
        }
    return NULL;
}

static att_status add_word(void *vctx, const att_token *tok)
{
    words *ws = vctx;
    if (ws->n == ws->cap) {
        size_t cap = ws->cap ? ws->cap * 2 : 256;
        word *nw = att_realloc_array(ws->w, cap, sizeof *nw);
        if (!nw)
            return att_error_nomem();
        ws->w = nw;
        ws->cap = cap;
    }
    word *w = &ws->w[ws->n];
    if (!tok->stem_len) { /* not stemmed: starts no element */
        w->stem = w->form = NULL;
    } else {
        w->stem = unit_elem(ws->hl, tok->stem, tok->stem_len, false);
        w->form = ws->hl->any_exact
                      ? unit_elem(ws->hl, tok->form, tok->form_len, true)
                      : NULL;
    }
    w->start = tok->start;
    w->end = tok->end;
    w->pos = tok->pos;
    ws->n++;
    return ATT_OK;
}

static void words_free(words *ws)
{
    free(ws->w);
}

typedef struct match {
    size_t start, end; /* bytes in the text */
    size_t unit;
} match;

typedef struct matches {
    match *m;
    size_t n, cap;
} matches;

static att_status add_match(matches *ms, size_t start, size_t end, size_t u)
{
    if (ms->n == ms->cap) {
        size_t cap = ms->cap ? ms->cap * 2 : 32;
        match *nm = att_realloc_array(ms->m, cap, sizeof *nm);
        if (!nm)
            return att_error_nomem();
        ms->m = nm;
        ms->cap = cap;
    }
    ms->m[ms->n++] = (match){start, end, u};
    return ATT_OK;
}

static int match_cmp(const void *a, const void *b)
{
    const match *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    /* Longer first, so a phrase wins over a word it starts with. */
    return x->end > y->end ? -1 : x->end < y->end;
}

/* Does word w match element k of unit un? */
static bool elem_match(const unit *un, size_t k, const word *w)
{
    const char *v = un->exact[k] ? w->form : w->stem;
    return v && strcmp(v, un->stems[k]) == 0;
}

/* A NEAR/ADJ group starting at word i: on success *last is the index of
 * the word that completes it.  The elements are taken greedily from word i
 * on, each word serving one element, within the unit's window (all words
 * no more than window - 1 positions after word i); in order for ADJ. */
static bool near_at(const unit *un, const words *ws, size_t i, size_t *last)
{
    bool used[64];
    size_t n = un->n < 64 ? un->n : 64, got = 0;
    memset(used, 0, sizeof used);
    uint64_t limit = (uint64_t)ws->w[i].pos + un->window - 1;
    for (size_t j = i; j < ws->n && ws->w[j].pos <= limit; j++) {
        for (size_t k = 0; k < n; k++) {
            if (used[k] || (un->ordered && k != got) ||
                !elem_match(un, k, &ws->w[j]))
                continue;
            used[k] = true;
            got++;
            break;
        }
        if (j == i && got == 0)
            return false; /* a group starts with one of its words */
        if (got == n) {
            *last = j;
            return true;
        }
    }
    return false;
}

/* Finds the matches of every unit in the words, sorted, overlaps removed. */
static att_status find_matches(const att_hl *hl, int field, const words *ws,
                               matches *ms)
{
    for (size_t i = 0; i < ws->n; i++) {
        if (!ws->w[i].stem && !ws->w[i].form)
            continue; /* matches no element of any unit */
        for (size_t u = 0; u < hl->n_units; u++) {
            const unit *un = &hl->units[u];
            if (!(un->fields & field))
                continue;
            size_t last = 0;
            bool ok;
            if (un->near) {
                ok = near_at(un, ws, i, &last);
            } else {
                ok = i + un->n <= ws->n;
                for (size_t k = 0; k < un->n && ok; k++) {
                    const word *w = &ws->w[i + k];
                    ok = elem_match(un, k, w) &&
                         (k == 0 || w->pos == ws->w[i + k - 1].pos + 1);
                }
                last = i + un->n - 1;
            }
            if (ok) {
                att_status st = add_match(ms, ws->w[i].start,
                                          ws->w[last].end, u);
                if (st)
                    return st;
            }
        }
    }
    if (ms->n > 1) {
        qsort(ms->m, ms->n, sizeof *ms->m, match_cmp);
        size_t out = 0;
        for (size_t i = 0; i < ms->n; i++) {
            if (out && ms->m[i].start < ms->m[out - 1].end)
                continue; /* overlaps the previous (longer) match */
            ms->m[out++] = ms->m[i];
        }
        ms->n = out;
    }
    return ATT_OK;
}

/* ---- fragments ---------------------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Builds a snippet of text[start, end) with the matches inside it. */
static att_status make_snippet(const char *text, size_t len, size_t start,
                               size_t end, const matches *ms, att_snippet *s)
{
    memset(s, 0, sizeof *s);
    char *copy = att_strndup(text + start, end - start);
    if (!copy)
        return att_error_nomem();
    size_t nh = 0;
    for (size_t i = 0; i < ms->n; i++)
        if (ms->m[i].start >= start && ms->m[i].end <= end)
            nh++;
    att_range *hs = att_malloc_array(nh ? nh : 1, sizeof *hs);
    if (!hs) {
        free(copy);
        return att_error_nomem();
    }
    nh = 0;
    for (size_t i = 0; i < ms->n; i++)
        if (ms->m[i].start >= start && ms->m[i].end <= end)
            hs[nh++] = (att_range){ms->m[i].start - start, ms->m[i].end - start};
    s->text = copy;
    s->len = end - start;
    s->highlights = hs;
    s->n_highlights = nh;
    s->offset = start;
    s->at_start = start == 0;
    s->at_end = end == len;
    return ATT_OK;
}

/* The index of the first word starting at or after byte `at`. */
static size_t first_word_at(const words *ws, size_t at)
{
    size_t lo = 0, hi = ws->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ws->w[mid].start < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The window for an anchor match [anchor_start, anchor_end): about `bytes`
 * long, from a sentence start or a word start to a sentence end or a word
 * end.  The analyser holds the text's sentence boundaries
 * (att_sentences_set).  Words are found by binary search and only the
 * words near the window are looked at, so the cost per anchor does not
 * grow with the text. */
static void window(att_analyzer *an, const words *ws, const char *text,
                   size_t len, size_t anchor_start, size_t anchor_end,
                   size_t min_start, size_t bytes, size_t *ws_out,
                   size_t *we_out)
{
    size_t back = bytes / 3;
    size_t lo = anchor_start > back ? anchor_start - back : 0;
    if (lo < min_start)
        lo = min_start;
    /* Start: the first word at or after lo, or better the start of the
     * anchor's sentence if it is no more than two thirds of the window
     * back, so that the fragment reads from the beginning of a sentence. */
    size_t start = anchor_start;
    size_t i = first_word_at(ws, lo);
    if (i < ws->n && ws->w[i].start < start)
        start = ws->w[i].start;
    size_t far = anchor_start > 2 * bytes / 3 ? anchor_start - 2 * bytes / 3 : 0;
    size_t ss = att_sentence_before(an, anchor_start);
    if (ss >= far && ss >= min_start) {
        while (ss < anchor_start && is_blank(text[ss]))
            ss++;
        start = ss;
    }
    if (anchor_start < back && min_start == 0)
        start = 0;
    /* End: a sentence end in the second half of the window, or else the
     * last word ending within start + bytes (at least the anchor). */
    size_t limit = start + bytes, end = 0;
    size_t se = att_sentence_before(an, limit < len ? limit : len);
    if (se >= anchor_end && se > start + bytes / 2) {
        end = se;
        while (end > anchor_end && is_blank(text[end - 1]))
            end--;
    } else {
        for (size_t k = first_word_at(ws, start); k < ws->n; k++) {
            if (ws->w[k].end > limit && end > anchor_start)
                break;
            end = ws->w[k].end;
        }
        if (end <= start)
            end = limit < len ? limit : len;
        /* Take closing punctuation (". ", "’", quotes) of the last word. */
        while (end < len && end < limit + 4 && !is_blank(text[end]))
            end++;
        /* Never end inside a UTF-8 sequence. */
        while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80)
            end++;
    }
    *ws_out = start;
    *we_out = end;
}

/* The index of the first match starting at or after byte `at` (matches are
 * sorted by start and do not overlap). */
static size_t first_match_at(const matches *ms, size_t at)
{
    size_t lo = 0, hi = ms->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ms->m[mid].start < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Scores the window [start, end): only the matches inside it are visited,
 * found by binary search, so choosing fragments is not quadratic in the
 * number of matches of a common word. */
static double window_score(const att_hl *hl, const matches *ms, size_t start,
                           size_t end, bool *seen, const bool *shown)
{
    memset(seen, 0, hl->n_units * sizeof *seen);
    double score = 0;
    for (size_t i = first_match_at(ms, start); i < ms->n; i++) {
        const match *m = &ms->m[i];
        if (m->start >= end)
            break;
        if (m->end > end)
            continue;
        if (!seen[m->unit]) {
            seen[m->unit] = true;
            /* A unit an earlier fragment already shows counts less, so the
             * fragments together show as many query words as they can. */
            score += hl->units[m->unit].weight * (shown[m->unit] ? 0.15 : 1.0);
        } else {
            score += 0.05 * hl->units[m->unit].weight;
        }
    }
    return score;
}

void att_hl_snippets_clear(att_snippet *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)s[i].text);
        free((att_range *)s[i].highlights);
    }
}

att_status att_hl_fragments(att_analyzer *an, const att_hl *hl, int field,
                            const char *text, size_t len, unsigned max,
                            size_t bytes, att_snippet **frags, size_t *n)
{
    *frags = NULL;
    *n = 0;
    if (!len || !max)
        return ATT_OK;
    if (!bytes)
        bytes = 200;
    words ws = {hl, NULL, 0, 0};
    matches ms = {0};
    bool *seen = NULL, *shown = NULL;
    size_t *chosen_s = NULL, *chosen_e = NULL;
    /* Each anchor's window, kept across the rounds that pick fragments: it
     * changes only when a new fragment moves the anchor's min_start (each
     * window asks ICU's sentence iterator twice). */
    struct cached {
        size_t min_start, s, e;
    } *win = NULL;
    att_snippet *out = NULL;
    size_t n_out = 0;
    att_analyzer_stem_only(an, hl->first);
    att_status st = att_analyze(an, text, len, add_word, &ws);
    att_analyzer_stem_only(an, NULL);
    if (st)
        goto fail;
    if ((st = find_matches(hl, field, &ws, &ms)))
        goto fail;
    if ((st = att_sentences_set(an, text, len)))
        goto fail;
    out = calloc(max, sizeof *out);
    seen = calloc(hl->n_units ? hl->n_units : 1, sizeof *seen);
    shown = calloc(hl->n_units ? hl->n_units : 1, sizeof *shown);
    chosen_s = calloc(max, sizeof *chosen_s);
    chosen_e = calloc(max, sizeof *chosen_e);
    win = att_malloc_array(ms.n ? ms.n : 1, sizeof *win);
    if (!out || !seen || !shown || !chosen_s || !chosen_e || !win) {
        st = att_error_nomem();
        goto fail;
    }
    if (ms.n == 0) {
        size_t s, e;
        window(an, &ws, text, len, 0, 0, 0, bytes, &s, &e);
        if ((st = make_snippet(text, len, 0, e, &ms, &out[0])))
            goto fail;
        n_out = 1;
    }
    while (ms.n && n_out < max) {
        double best = -1;
        size_t bs = 0, be = 0;
        for (size_t i = 0; i < ms.n; i++) {
            /* Start after any chosen fragment that ends before the
             * anchor, so a match next to a shown fragment still gets its
             * own instead of being dropped for overlapping. */
            size_t s, e, min_start = 0;
            for (size_t k = 0; k < n_out; k++)
                if (chosen_e[k] <= ms.m[i].start && chosen_e[k] > min_start)
                    min_start = chosen_e[k];
            if (n_out == 0 || win[i].min_start != min_start) {
                window(an, &ws, text, len, ms.m[i].start, ms.m[i].end,
                       min_start, bytes, &win[i].s, &win[i].e);
                win[i].min_start = min_start;
            }
            s = win[i].s;
            e = win[i].e;
            /* Stretch to cover a long phrase match entirely. */
            if (ms.m[i].end > e)
                e = ms.m[i].end;
            bool overlaps = false;
            for (size_t k = 0; k < n_out && !overlaps; k++)
                overlaps = s < chosen_e[k] && e > chosen_s[k];
            if (overlaps)
                continue;
            double sc = window_score(hl, &ms, s, e, seen, shown);
            if (sc > best) {
                best = sc;
                bs = s;
                be = e;
            }
        }
        if (best < 0)
            break;
        if ((st = make_snippet(text, len, bs, be, &ms, &out[n_out])))
            goto fail;
        chosen_s[n_out] = bs;
        chosen_e[n_out] = be;
        n_out++;
        for (size_t i = first_match_at(&ms, bs); i < ms.n && ms.m[i].start < be; i++)
            if (ms.m[i].end <= be)
                shown[ms.m[i].unit] = true;
    }
    *frags = out;
    *n = n_out;
    out = NULL;
fail:
    if (out) {
        att_hl_snippets_clear(out, n_out);
        free(out);
    }
    free(seen);
    free(shown);
    free(chosen_s);
    free(chosen_e);
    free(win);
    free(ms.m);
    words_free(&ws);
    return st;
}

att_status att_hl_whole(att_analyzer *an, const att_hl *hl, int field,
                        const char *text, size_t len, att_snippet *out)
{
    words ws = {hl, NULL, 0, 0};
    matches ms = {0};
    att_analyzer_stem_only(an, hl->first);
    att_status st = att_analyze(an, text, len, add_word, &ws);
    att_analyzer_stem_only(an, NULL);
    if (!st)
        st = find_matches(hl, field, &ws, &ms);
    if (!st)
        st = make_snippet(text, len, 0, len, &ms, out);
    free(ms.m);
    words_free(&ws);
    return st;
}
