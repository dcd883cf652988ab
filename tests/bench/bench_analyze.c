/*
 * bench_analyze.c: the cost of the text analysis chain, for `make bench`.
 * Not part of the product: it links the library's internal analyser and
 * decoder (common/analyze.h, common/decode.h) directly.
 *
 *   bench-analyze DIR [--passes N]
 *
 * Loads every regular file under DIR into memory, then times, each as the
 * median of N passes (default 3) with one analyser kept across the
 * articles as an indexing worker keeps one:
 *   decode    att_decode() of every file (BOM, encodings, mojibake);
 *   analyse   att_analyze() of every decoded text: words, folding, stems;
 *   ascii     att_analyze() of the same texts already folded: each word
 *             replaced in place by its folded form, punctuation and spacing
 *             kept, so the words and their boundaries are the same but
 *             every word takes the ASCII fast path and nothing reaches
 *             ICU's transform.
 * analyse - ascii is what folding with ICU costs.  Prints one line of
 * key=value pairs: files, bytes, words, nonascii_words (words whose
 * original is not plain ASCII), decode_s, analyse_s, ascii_s, fold_s,
 * analyse_mb_s, decode_mb_s, repaired (mojibake), converted (files).
 */
#define _XOPEN_SOURCE 700
#include "analyze.h"
#include "decode.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct text {
    char *p;
    size_t n;
} text;

static text *raw, *dec, *folded;
static size_t n_files, cap_files, total_bytes;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load(const char *path, const struct stat *st, int type,
                struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F || !S_ISREG(st->st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char *p = malloc((size_t)st->st_size + 1);
    size_t n = p ? fread(p, 1, (size_t)st->st_size, f) : 0;
    fclose(f);
    if (!p)
        return 1;
    if (n_files == cap_files) {
        cap_files = cap_files ? cap_files * 2 : 1024;
        raw = realloc(raw, cap_files * sizeof *raw);
        if (!raw)
            return 1;
    }
    raw[n_files].p = p;
    raw[n_files].n = n;
    n_files++;
    total_bytes += n;
    return 0;
}

typedef struct counts {
    size_t words, nonascii;
    const char *text;
    att_buf *out; /* when folding: the text with each word folded */
    size_t done;  /* bytes of text copied to out so far */
} counts;

static att_status count_word(void *ctx, const att_token *t)
{
    counts *c = ctx;
    c->words++;
    for (size_t i = t->start; i < t->end; i++)
        if ((unsigned char)c->text[i] >= 0x80) {
            c->nonascii++;
            break;
        }
    if (c->out) {
        /* The text between words as it is, then the folded word. */
        att_status st = att_buf_append(c->out, c->text + c->done, t->start - c->done);
        if (!st)
            st = att_buf_append(c->out, t->form, t->form_len);
        c->done = t->end;
        return st;
    }
    return ATT_OK;
}

static att_status skip_word(void *ctx, const att_token *t)
{
    (void)t;
    ((counts *)ctx)->words++;
    return ATT_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench-analyze DIR [--passes N]\n");
        return 2;
    }
    int passes = 3;
    if (argc >= 4 && strcmp(argv[2], "--passes") == 0)
        passes = atoi(argv[3]);
    if (passes < 1 || passes > 100)
        passes = 3;
    if (nftw(argv[1], load, 64, FTW_PHYS) != 0 || n_files == 0) {
        fprintf(stderr, "bench-analyze: cannot read the files under %s\n", argv[1]);
        return 1;
    }
    dec = calloc(n_files, sizeof *dec);
    folded = calloc(n_files, sizeof *folded);
    double *t_dec = calloc((size_t)passes, sizeof(double));
    double *t_an = calloc((size_t)passes, sizeof(double));
    double *t_ascii = calloc((size_t)passes, sizeof(double));
    att_analyzer *an = NULL;
    if (!dec || !folded || !t_dec || !t_an || !t_ascii || att_analyzer_new(&an)) {
        fprintf(stderr, "bench-analyze: out of memory\n");
        return 1;
    }
    size_t repaired = 0, converted = 0, skipped = 0;
    for (int p = 0; p < passes; p++) {
        double t0 = now();
        for (size_t i = 0; i < n_files; i++) {
            att_decode_stats ds;
            free(dec[i].p);
            dec[i].p = NULL;
            dec[i].n = 0;
            if (att_decode(raw[i].p, raw[i].n, &dec[i].p, &dec[i].n, &ds) != ATT_OK) {
                if (p == 0)
                    skipped++;
                continue;
            }
            if (p == 0) {
                repaired += ds.mojibake;
                converted += ds.converted;
            }
        }
        t_dec[p] = now() - t0;
    }
    /* The folded texts, made once (not timed). */
    counts c = {0, 0, NULL, NULL, 0};
    for (size_t i = 0; i < n_files; i++) {
        att_buf b = ATT_BUF_INIT;
        c.text = dec[i].p;
        c.out = &b;
        c.done = 0;
        if (dec[i].p && (att_analyze(an, dec[i].p, dec[i].n, count_word, &c) ||
                         att_buf_append(&b, dec[i].p + c.done, dec[i].n - c.done))) {
            fprintf(stderr, "bench-analyze: %s\n", att_last_error());
            return 1;
        }
        folded[i].p = b.data;
        folded[i].n = b.len;
    }
    size_t words = c.words, nonascii = c.nonascii;
    for (int p = 0; p < passes; p++) {
        counts k = {0, 0, NULL, NULL, 0};
        double t0 = now();
        for (size_t i = 0; i < n_files; i++)
            if (dec[i].p)
                att_analyze(an, dec[i].p, dec[i].n, skip_word, &k);
        t_an[p] = now() - t0;
        counts a = {0, 0, NULL, NULL, 0};
        t0 = now();
        for (size_t i = 0; i < n_files; i++)
            if (folded[i].p)
                att_analyze(an, folded[i].p, folded[i].n, skip_word, &a);
        t_ascii[p] = now() - t0;
        if (k.words != words || a.words != words) {
            fprintf(stderr, "bench-analyze: word counts differ (%zu, %zu, %zu)\n",
                    words, k.words, a.words);
            return 1;
        }
    }
    double d = median(t_dec, passes), an_s = median(t_an, passes),
           as = median(t_ascii, passes);
    printf("files=%zu bytes=%zu words=%zu nonascii_words=%zu decode_s=%.4f "
           "analyse_s=%.4f ascii_s=%.4f fold_s=%.4f analyse_mb_s=%.1f "
           "decode_mb_s=%.1f repaired=%zu converted=%zu skipped=%zu\n",
           n_files, total_bytes, words, nonascii, d, an_s, as,
           an_s > as ? an_s - as : 0.0, total_bytes / 1e6 / an_s,
           total_bytes / 1e6 / d, repaired, converted, skipped);
    att_analyzer_free(an);
    return 0;
}
