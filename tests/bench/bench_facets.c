/*
 * bench_facets.c: what facets cost.  Not part of the product: it opens an
 * index through the public API (attache.h) and times each query with and
 * without facets, the two runs interleaved so that the machine's drift
 * falls on both alike.
 *
 *   bench-facets DB [--runs N] [--facets N] [--limit N] [--all-copies]
 *                [--sort date] [--raw] QUERY...
 *
 * Each run is one att_search() call (default: the top 10 hits with
 * snippets, as `attache search` does), timed from the call to its
 * return.  Per query it prints the matches, the median and 90th
 * percentile of the runs in milliseconds without and with facets
 * (--facets N values per facet, default 10), and the ratio of the
 * medians; then the same over all queries' runs.  A warm-up run of each
 * kind comes first and is not counted.  With --raw (for tests/bench/
 * bench.py, which does the statistics) it prints the measurements
 * instead, tab-separated: "query<TAB>K<TAB>matches<TAB>text" for the K-th
 * query, then "run<TAB>K<TAB>ms without<TAB>ms with facets" per run.
 */
#define _POSIX_C_SOURCE 200809L
#include <attache.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile (0..1) of n sorted values, nearest rank. */
static double quantile(const double *v, size_t n, double q)
{
    size_t i = (size_t)(q * (double)n + 0.999999);
    if (i < 1)
        i = 1;
    if (i > n)
        i = n;
    return v[i - 1];
}

static double one(att_index *ix, const char *q, const att_search_options *o,
                  uint64_t *total)
{
    att_results *r = NULL;
    double t0 = now();
    att_status st = att_search(&r, ix, q, o);
    double t = now() - t0;
    if (st) {
        fprintf(stderr, "bench-facets: %s: %s\n", q, att_last_error());
        exit(1);
    }
    *total = att_results_total(r, NULL);
    att_results_free(r);
    return t * 1000.0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench-facets DB [--runs N] [--facets N] "
                        "[--limit N] [--all-copies] [--sort date] [--raw] "
                        "QUERY...\n");
        return 2;
    }
    int runs = 15, raw = 0;
    unsigned facets = 10;
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    int first_query = argc;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--facets") == 0 && i + 1 < argc)
            facets = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            o.limit = (size_t)atoi(argv[++i]);
        else if (strcmp(argv[i], "--raw") == 0)
            raw = 1;
        else if (strcmp(argv[i], "--all-copies") == 0)
            o.flags |= ATT_SEARCH_ALL_COPIES;
        else if (strcmp(argv[i], "--sort") == 0 && i + 1 < argc)
            o.sort = strcmp(argv[++i], "date") == 0 ? ATT_SORT_DATE : ATT_SORT_RELEVANCE;
        else {
            first_query = i;
            break;
        }
    }
    if (runs < 1 || first_query >= argc) {
        fprintf(stderr, "bench-facets: no queries, or --runs below 1\n");
        return 2;
    }
    att_index *ix = NULL;
    if (att_index_open(&ix, argv[1], ATT_OPEN_READ)) {
        fprintf(stderr, "bench-facets: %s\n", att_last_error());
        return 1;
    }
    size_t nq = (size_t)(argc - first_query);
    double *all_off = calloc(nq * (size_t)runs, sizeof(double));
    double *all_on = calloc(nq * (size_t)runs, sizeof(double));
    double *off = calloc((size_t)runs, sizeof(double));
    double *on = calloc((size_t)runs, sizeof(double));
    if (!all_off || !all_on || !off || !on)
        return 1;
    att_search_options with = o;
    with.facets = facets;
    if (!raw)
        printf("%-28s %9s %9s %9s %9s %9s %6s\n", "query", "matches", "off med",
               "off p90", "on med", "on p90", "ratio");
    for (size_t q = 0; q < nq; q++) {
        const char *query = argv[first_query + (int)q];
        uint64_t total = 0, total_on = 0;
        one(ix, query, &o, &total); /* warm-up */
        one(ix, query, &with, &total_on);
        for (int r = 0; r < runs; r++) {
            off[r] = one(ix, query, &o, &total);
            on[r] = one(ix, query, &with, &total_on);
            all_off[q * (size_t)runs + (size_t)r] = off[r];
            all_on[q * (size_t)runs + (size_t)r] = on[r];
        }
        if (raw) {
            printf("query\t%zu\t%llu\t%s\n", q, (unsigned long long)total_on, query);
            for (int r = 0; r < runs; r++)
                printf("run\t%zu\t%.4f\t%.4f\n", q, off[r], on[r]);
            continue;
        }
        qsort(off, (size_t)runs, sizeof *off, cmp_double);
        qsort(on, (size_t)runs, sizeof *on, cmp_double);
        double mo = quantile(off, (size_t)runs, 0.5), mf = quantile(on, (size_t)runs, 0.5);
        printf("%-28.28s %9llu %9.2f %9.2f %9.2f %9.2f %6.1f\n", query,
               (unsigned long long)total_on, mo, quantile(off, (size_t)runs, 0.9),
               mf, quantile(on, (size_t)runs, 0.9), mo > 0 ? mf / mo : 0.0);
    }
    size_t n = nq * (size_t)runs;
    qsort(all_off, n, sizeof *all_off, cmp_double);
    qsort(all_on, n, sizeof *all_on, cmp_double);
    if (!raw)
        printf("%-28s %9s %9.2f %9.2f %9.2f %9.2f %6.1f\n", "(all runs)", "",
               quantile(all_off, n, 0.5), quantile(all_off, n, 0.9),
               quantile(all_on, n, 0.5), quantile(all_on, n, 0.9),
               quantile(all_off, n, 0.5) > 0
                   ? quantile(all_on, n, 0.5) / quantile(all_off, n, 0.5)
                   : 0.0);
    free(all_off);
    free(all_on);
    free(off);
    free(on);
    att_index_close(ix);
    return 0;
}
