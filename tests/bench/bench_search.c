/*
 * bench_search.c: Attaché's side of the query benchmark.  Not part of the
 * product: it opens an index through the public API (attache.h) once and
 * runs the query mix the way the references do, so that process start is
 * excluded from the figures.
 *
 *   bench-search DB QUERIES [--passes N] [--warmup N] [--snippets N]
 *                [--facets N]
 *
 * Each query is att_search() for the top 10 with snippets (default: the
 * library's default of up to 3 fragments of about 200 bytes per hit), timed
 * from the call to its return, which includes fetching the stored text and
 * highlighting it; with --facets N also the facets, N values each, counted
 * over every match.  Output as the references: "usec<TAB>hits" per query of
 * the last pass, then "pass<TAB>seconds" per measured pass.  A query that
 * fails is reported on stderr and makes the exit status 1.
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

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench-search DB QUERIES [--passes N] "
                        "[--warmup N] [--snippets N] [--facets N]\n");
        return 2;
    }
    int passes = 3, warmup = 1, snippets = -1, facets = 0;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--passes") == 0)
            passes = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--warmup") == 0)
            warmup = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--snippets") == 0)
            snippets = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--facets") == 0)
            facets = atoi(argv[i + 1]);
    }
    att_index *ix;
    if (att_index_open(&ix, argv[1], ATT_OPEN_READ)) {
        fprintf(stderr, "bench-search: %s\n", att_last_error());
        return 1;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    char **qs = NULL;
    size_t nq = 0, cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        if (nq == cap) {
            cap = cap ? cap * 2 : 256;
            char **n = realloc(qs, cap * sizeof *qs);
            if (!n)
                return 1;
            qs = n;
        }
        qs[nq++] = strdup(line);
    }
    fclose(f);
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    if (snippets >= 0)
        o.snippets = (size_t)snippets;
    o.facets = (unsigned)facets;
    long *usec = calloc(nq + 1, sizeof *usec);
    size_t *hits = calloc(nq + 1, sizeof *hits);
    double *pass_secs = calloc((size_t)passes + 1, sizeof *pass_secs);
    size_t sink = 0;
    int rc = 0;
    for (int pass = 0; pass < warmup + passes; pass++) {
        double p0 = now();
        for (size_t i = 0; i < nq; i++) {
            double t0 = now();
            att_results *r = NULL;
            if (att_search(&r, ix, qs[i], &o)) {
                fprintf(stderr, "bench-search: query %zu (%s): %s\n", i + 1,
                        qs[i], att_last_error());
                rc = 1;
            }
            size_t n = att_results_count(r);
            for (size_t h = 0; h < n; h++) {
                const att_hit *hit = att_results_hit(r, h);
                for (size_t s = 0; s < hit->n_snippets; s++)
                    sink += hit->snippets[s].len;
            }
            att_results_free(r);
            usec[i] = (long)((now() - t0) * 1e6);
            hits[i] = n;
        }
        if (pass >= warmup)
            pass_secs[pass - warmup] = now() - p0;
    }
    for (size_t i = 0; i < nq; i++)
        printf("%ld\t%zu\n", usec[i], hits[i]);
    for (int i = 0; i < passes; i++)
        printf("pass\t%.6f\n", pass_secs[i]);
    fprintf(stderr, "bench-search: %zu queries, %zu snippet bytes\n", nq, sink);
    for (size_t i = 0; i < nq; i++)
        free(qs[i]);
    free(qs);
    free(usec);
    free(hits);
    free(pass_secs);
    att_index_close(ix);
    return rc;
}
