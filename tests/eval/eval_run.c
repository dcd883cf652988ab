/*
 * eval_run.c: runs a query set against an Attaché index and writes a TREC
 * run, for the ranking evaluation (tests/eval/eval.py, `make eval`).  Not
 * part of the product: it uses only the public API (<attache.h>), the way
 * a newsroom tool would.
 *
 *   eval-run DB QUERIES [--limit N] [--any] [--k1 X] [--b Y]
 *            [--weighting NAME] [--param P] [--feedback-docs N]
 *            [--feedback-terms N] [--feedback-weight X] [--proximity X]
 *            [--proximity-window N] [--count-repeats] [--tag T]
 *            [--snippets N] [--timing]
 *
 * QUERIES holds one query a line, "qid<TAB>query text"; blank lines are
 * skipped.  The text is sent to att_search() exactly as written, in
 * Attaché's query language: preparing natural-language text (TIME's upper
 * case "AND", quotes, parentheses) is the harness's job (eval.py's
 * prepare_query()).  Each query asks for the top --limit hits (default
 * 1000) by relevance, without snippets, without a spelling suggestion, and
 * with every copy of a duplicated story (the judgments judge each document,
 * so none may be collapsed into another).  --any makes juxtaposed words
 * mean OR (ATT_DEFAULT_OR) instead of AND; --k1 and --b set the BM25
 * parameters (att_search_options version 2; without them the engine's own);
 * --weighting names the ranking function (att_weighting_parse(): bm25,
 * lm, dph, ...) and --param its parameter; the --feedback-* options set
 * pseudo-relevance feedback (docs 0: none) and --proximity* the
 * natural-language proximity bonus (0: none); all version 4 fields,
 * without them the engine's choices.  --count-repeats sets
 * ATT_SEARCH_COUNT_REPEATS: with --any, a word the query has twice counts
 * twice (the engine counts it once).
 *
 * --snippets N asks for N fragments per hit (the default 0: none), and
 * --timing measures each att_search() call (parsing, matching, fetching
 * the records and cutting the snippets, as tests/bench/bench-search
 * does) and reports the median, 90th percentile and mean on stderr:
 * what a ranking option costs (docs/EVALUATION.md).
 *
 * Output, on stdout, one line per hit: "qid Q0 docid rank score tag", the
 * score with all its digits so that the evaluator sees the engine's ties
 * and only those.  A query that fails (a syntax error, an empty query) is
 * reported on stderr with its qid and att_last_error(), and the run goes
 * on; the exit status is then 1.  Usage errors and an index that cannot be
 * opened exit 2.
 */
#define _POSIX_C_SOURCE 200809L
#include <attache.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *usage =
    "usage: eval-run DB QUERIES [--limit N] [--any] [--k1 X] [--b Y] "
    "[--weighting NAME] [--param P]\n"
    "        [--feedback-docs N] [--feedback-terms N] [--feedback-weight X]\n"
    "        [--proximity X] [--proximity-window N] [--count-repeats]\n"
    "        [--tag T] [--snippets N] [--timing]\n";

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

/* Parses a non-negative number; returns 0 on success. */
static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0)
        return -1;
    *out = v;
    return 0;
}

/* Parses an integer from 0 to max; returns 0 on success. */
static int parse_int(const char *s, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > max)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v == 0 || v > 100000)
        return -1;
    *out = (size_t)v;
    return 0;
}

/* True if `s` holds no white space (a TREC run's fields cannot). */
static int one_field(const char *s)
{
    return s[0] && !strpbrk(s, " \t\r\n\v\f");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs(usage, stderr);
        return 2;
    }
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.limit = 1000;
    o.snippets = 0;
    o.flags = ATT_SEARCH_ALL_COPIES | ATT_SEARCH_NO_SUGGESTION;
    const char *tag = "attache";
    int timing = 0;
    double *times = NULL;
    size_t n_times = 0, cap_times = 0;
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(a, "--any") == 0) {
            o.default_op = ATT_DEFAULT_OR;
            continue;
        } else if (strcmp(a, "--timing") == 0) {
            timing = 1;
            continue;
        } else if (strcmp(a, "--count-repeats") == 0) {
            o.flags |= ATT_SEARCH_COUNT_REPEATS;
            continue;
        } else if (!v) {
            bad = 1;
        } else if (strcmp(a, "--limit") == 0) {
            bad = parse_size(v, &o.limit);
        } else if (strcmp(a, "--k1") == 0) {
            bad = parse_double(v, &o.bm25_k1);
        } else if (strcmp(a, "--b") == 0) {
            bad = parse_double(v, &o.bm25_b) || o.bm25_b > 1;
        } else if (strcmp(a, "--weighting") == 0) {
            bad = att_weighting_parse(&o.weighting, v) != ATT_OK;
        } else if (strcmp(a, "--param") == 0) {
            bad = parse_double(v, &o.weighting_param);
        } else if (strcmp(a, "--feedback-docs") == 0) {
            bad = parse_int(v, 100, &o.feedback_docs);
        } else if (strcmp(a, "--feedback-terms") == 0) {
            bad = parse_int(v, 1000, &o.feedback_terms);
        } else if (strcmp(a, "--feedback-weight") == 0) {
            bad = parse_double(v, &o.feedback_weight) || o.feedback_weight == 0 ||
                  o.feedback_weight >= 1;
        } else if (strcmp(a, "--proximity") == 0) {
            bad = parse_double(v, &o.proximity);
        } else if (strcmp(a, "--proximity-window") == 0) {
            int w = 0;
            bad = parse_int(v, 1000, &w) || w < 1;
            o.proximity_window = (unsigned)w;
        } else if (strcmp(a, "--snippets") == 0) {
            int n = 0;
            bad = parse_int(v, 100, &n);
            o.snippets = (unsigned)n;
        } else if (strcmp(a, "--tag") == 0) {
            tag = v;
            bad = !one_field(tag);
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "eval-run: bad option %s%s%s\n%s", a, v ? " " : "",
                    v ? v : "", usage);
            return 2;
        }
        i++;
    }

    att_index *ix = NULL;
    if (att_index_open(&ix, argv[1], ATT_OPEN_READ)) {
        fprintf(stderr, "eval-run: %s\n", att_last_error());
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        fprintf(stderr, "eval-run: %s: %s\n", argv[2], strerror(errno));
        att_index_close(ix);
        return 2;
    }

    char *line = NULL;
    size_t cap = 0, lineno = 0, nq = 0, failed = 0, hits = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) != -1) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (n == 0)
            continue;
        nq++;
        char *tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr, "eval-run: %s:%zu: not \"qid<TAB>text\"\n",
                    argv[2], lineno);
            failed++;
            continue;
        }
        *tab = 0;
        const char *qid = line, *text = tab + 1;
        if (!one_field(qid)) {
            fprintf(stderr, "eval-run: %s:%zu: bad qid \"%s\"\n", argv[2],
                    lineno, qid);
            failed++;
            continue;
        }
        att_results *r = NULL;
        double t0 = timing ? now() : 0;
        att_status st = att_search(&r, ix, text, &o);
        if (timing) {
            if (n_times == cap_times) {
                cap_times = cap_times ? 2 * cap_times : 256;
                double *t = realloc(times, cap_times * sizeof *t);
                if (!t) {
                    fprintf(stderr, "eval-run: out of memory\n");
                    return 2;
                }
                times = t;
            }
            times[n_times++] = now() - t0;
        }
        if (st) {
            fprintf(stderr, "eval-run: query %s failed: %s\n", qid,
                    att_last_error());
            failed++;
            continue;
        }
        size_t count = att_results_count(r);
        for (size_t h = 0; h < count; h++) {
            const att_hit *hit = att_results_hit(r, h);
            if (!one_field(hit->id)) {
                fprintf(stderr, "eval-run: query %s: article id \"%s\" has "
                                "white space; a TREC run cannot hold it\n",
                        qid, hit->id);
                failed++;
                break;
            }
            printf("%s Q0 %s %zu %.17g %s\n", qid, hit->id, hit->rank,
                   hit->score, tag);
        }
        hits += count;
        att_results_free(r);
    }
    free(line);
    int read_error = ferror(f);
    fclose(f);
    att_index_close(ix);
    if (read_error) {
        fprintf(stderr, "eval-run: error reading %s\n", argv[2]);
        return 2;
    }
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "eval-run: error writing the run\n");
        return 2;
    }
    fprintf(stderr, "eval-run: %zu queries, %zu failed, %zu hits\n", nq,
            failed, hits);
    if (timing && n_times) {
        double sum = 0;
        for (size_t i = 0; i < n_times; i++)
            sum += times[i];
        qsort(times, n_times, sizeof *times, cmp_double);
        fprintf(stderr, "eval-run: time per query: median %.3f ms, 90th "
                        "percentile %.3f ms, mean %.3f ms\n",
                1e3 * times[n_times / 2], 1e3 * times[n_times * 9 / 10],
                1e3 * sum / (double)n_times);
    }
    free(times);
    return failed ? 1 : 0;
}
