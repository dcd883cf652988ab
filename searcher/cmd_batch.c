/*
 * cmd_batch.c: `attache batch`, a file of queries answered in one run, as
 * TSV, JSON Lines or a TREC run (docs/CLI.md, "attache batch").
 *
 * Input: one query a line, optionally "id<TAB>query"; blank lines and
 * lines whose first non-blank character is '#' are skipped; LF or CRLF
 * line ends; a UTF-8 byte-order mark before the first line is ignored.  A
 * query without an id is named by its ordinal among the file's queries
 * (1, 2, ...: skipped lines are not counted), so numbering does not
 * change when comments are added.
 *
 * Threads: --jobs N searches on N threads (0: one per online core), each
 * with its own read-only att_index handle, as attache.h's thread rules
 * ask.  The main thread reads and parses the lines into a ring of slots
 * (RING_PER_JOB per thread, which bounds memory however long the input);
 * a worker takes the oldest query not yet taken, runs it and renders its
 * output into the slot's own memory buffer; then whichever worker finds
 * the oldest unwritten slot done writes it, and every done slot after it,
 * in input order, one writer at a time (the `writing` flag), and flushes.
 * So the output is the same bytes whatever N is, and each query's lines
 * appear as soon as it and every query before it are done (a program can
 * feed queries through a pipe and read the answers as they come).  With
 * --jobs 1 everything runs on the calling thread through the same
 * functions (parse_line, run_query, emit).
 *
 * Failures: a query that cannot run (a syntax error, nothing to search
 * for, a bad id or line) is reported on stderr in input order, with the
 * file, line and query id before `attache search`'s own message, and the
 * batch goes on; the exit status is then EXIT_SKIPPED (9).  A failure of
 * the index itself (damaged, changing beyond retries, out of memory)
 * stops the batch after the output of the queries before it, with that
 * failure's exit status.
 */
#include "cli.h"
#include "output.h"
#include "search_opts.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help_text[] =
    "Usage: attache batch [--db DIR] [--format tsv|jsonl|trec] [--limit N]\n"
    "                     [--run-tag TAG] [--jobs N] [--offset N]\n"
    "                     [--sort relevance|date] [--any] [--all-copies]\n"
    "                     [--bm25 K1,B] [--count-repeats] [--facets[=N]]\n"
    "                     [--facet-date UNIT]\n"
    "                     FILE|-\n"
    "\n"
    "Runs every query of FILE (- reads standard input) and prints the hits\n"
    "of each, in the order of the file, as one stream for programs.\n"
    "\n"
    "Input: one query a line (the syntax of attache search --help), or\n"
    "\"ID<TAB>query\" to name it; a query without an ID is named by its\n"
    "number among the file's queries (1, 2, ...).  Blank lines and lines\n"
    "starting with # are skipped; LF or CRLF line ends.\n"
    "\n"
    "Options:\n"
    "  --db DIR          the index (else $ATTACHE_DB, else ~/.local/share/attache/index)\n"
    "  --format FORM     tsv (default): a header line, then per hit\n"
    "                    qid, rank, id, score, title, tab-separated;\n"
    "                    jsonl: per query the object of attache search --json\n"
    "                    with \"qid\" first (a failed query: an \"error\" object);\n"
    "                    trec: a TREC run, per hit \"qid Q0 id rank score tag\"\n"
    "  --limit N         hits per query (default 10; with --format trec 1000)\n"
    "  --run-tag TAG     the run's name in the last TREC column (default attache)\n"
    "  --jobs N          threads to search with (default 0: one per core;\n"
    "                    1: on this thread); the output is the same\n"
    SEARCH_OPTS_HELP
    "  --facets[=N]      with --format jsonl: count the N (default 10) most\n"
    "                    frequent people, organisations, places and sources\n"
    "                    of all the matches, and the matches per date (a\n"
    "                    \"facets\" object).  Write --facets=N, with the =\n"
    "  --facet-date UNIT the date facet's buckets: auto (default), year,\n"
    "                    month or day; implies --facets\n"
    "  -h, --help        this help\n"
    "\n"
    "Examples:\n"
    "  attache batch queries.txt > hits.tsv\n"
    "  printf 'q1\\tceasefire\\nq2\\t\"open war\"\\n' | attache batch --format jsonl -\n"
    "  attache batch --format trec --any --all-copies --run-tag mine topics.tsv > mine.run\n"
    "\n"
    "Exit status: 0 every query ran (also with no hits), 9 some queries\n"
    "failed (each is reported on stderr and the others ran), 2 usage error,\n"
    "5 no index, 7 FILE unreadable or output unwritable.\n";

typedef enum batch_format { FMT_TSV, FMT_JSONL, FMT_TREC } batch_format;

/* What every query of the batch shares. */
typedef struct batch_cfg {
    att_search_options o;
    batch_format format;
    const char *tag;   /* TREC run tag */
    const char *name;  /* the input's name in messages */
} batch_cfg;

/* One query line, then its answer. */
typedef struct query_slot {
    size_t line;      /* 1-based line number in the input */
    char *qid;        /* the given id, or the ordinal */
    char *text;       /* the query text (NUL-terminated) */
    char *bad;        /* what is wrong with the line itself, or NULL */
    /* Filled by run_query(): */
    char *out;        /* the rendered output (stdout) */
    size_t out_len;
    char *err;        /* the stderr message (without "attache: "), or NULL */
    int code;         /* 0; else the exit status this failure calls for */
    bool fatal;       /* the batch must stop here */
    bool done;        /* run_query() finished (threads) */
} query_slot;

static void slot_clear(query_slot *q)
{
    free(q->qid);
    free(q->text);
    free(q->bad);
    free(q->out);
    free(q->err);
    memset(q, 0, sizeof *q);
}

/* ---- text helpers ------------------------------------------------------- */

static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

/* malloc'd printf; NULL if memory ran out. */
static char *fmt_alloc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmt_alloc(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* The length of the valid UTF-8 sequence at s (at most `left` bytes), or
 * 0 if the bytes there are not one (overlong forms, surrogates and values
 * above U+10FFFF included). */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    size_t n;
    unsigned min, v;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, min = 0x80, v = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, min = 0x800, v = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, min = 0x10000, v = c & 0x07;
    else
        return 0;
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    return n;
}

/* A copy of s with every byte that is not part of valid UTF-8 replaced by
 * U+FFFD, for JSON, which must be valid UTF-8.  NULL if memory ran out. */
static char *utf8_lossy(const char *s)
{
    size_t len = strlen(s);
    char *o = malloc(3 * len + 1), *p = o;
    if (!o)
        return NULL;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq((const unsigned char *)s + i, len - i);
        if (n) {
            memcpy(p, s + i, n);
            p += n;
            i += n;
        } else {
            memcpy(p, "\xEF\xBF\xBD", 3);
            p += 3;
            i++;
        }
    }
    *p = '\0';
    return o;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

/* ---- one line ----------------------------------------------------------- */

/* Parses input line `lineno` (its line end already removed; `len` bytes,
 * which may hold a NUL) into *q.  Returns 1 for a query (q filled), 0 for
 * a line to skip, -1 if memory ran out.  A line with a problem of its own
 * (a NUL byte, a bad id) is a query with q->bad set, so that it is
 * reported in order and counted as failed. */
static int parse_line(query_slot *q, char *line, size_t len, size_t lineno,
                      size_t ordinal)
{
    memset(q, 0, sizeof *q);
    q->line = lineno;
    size_t i = 0;
    while (i < len && is_space(line[i]))
        i++;
    if (i == len || line[i] == '#')
        return 0;
    const char *tab = memchr(line, '\t', len);
    const char *text = tab ? tab + 1 : line;
    q->qid = tab ? strndup(line, (size_t)(tab - line)) : fmt_alloc("%zu", ordinal);
    q->text = strndup(text, len - (size_t)(text - line)); /* up to a NUL */
    if (!q->qid || !q->text)
        return -1;
    if (memchr(line, '\0', len)) {
        if (!(q->bad = strdup("the line holds a NUL byte (binary data?)")))
            return -1;
    } else if (tab && !q->qid[0]) {
        if (!(q->bad = strdup("nothing before the tab: the query id is empty")))
            return -1;
    } else if (tab) {
        /* An id is one word of UTF-8: a TREC run and TSV can hold it. */
        const unsigned char *u = (const unsigned char *)q->qid;
        size_t n = strlen(q->qid);
        for (size_t k = 0; k < n;) {
            size_t m = utf8_seq(u + k, n - k);
            if (!m || is_space(q->qid[k])) {
                q->bad = fmt_alloc("the query id \"%s\" holds %s", q->qid,
                                   m ? "white space" : "a byte that is not UTF-8");
                if (!q->bad)
                    return -1;
                break;
            }
            k += m;
        }
    }
    return 1;
}

/* ---- one query ---------------------------------------------------------- */

/* The message `attache search` prints for a query error (cli.c's
 * cli_report_query(), which reads the calling thread's last error; here
 * the values are passed, since the message is made on a worker):
 * 'syntax error in query "..." at column C: reason', the column counted in
 * characters from 1.  test_batch checks that both print the same. */
/* The library's message for a query error without its 'query "...": '
 * prefix, which repeats the query. */
static const char *error_reason(const char *query, const char *m)
{
    size_t n = strlen(query);
    if (strncmp(m, "query \"", 7) == 0 && strncmp(m + 7, query, n) == 0 &&
        strncmp(m + 7 + n, "\": ", 3) == 0)
        return m + 10 + n;
    return m;
}

static char *query_error_message(const char *query, att_status st,
                                 const char *m, long pos)
{
    const char *reason = error_reason(query, m);
    if (pos >= 0 && (size_t)pos <= strlen(query)) {
        long col = 1;
        for (long i = 0; i < pos; i++)
            if (((unsigned char)query[i] & 0xC0) != 0x80)
                col++;
        return fmt_alloc("%s in query \"%s\" at column %ld: %s",
                         st == ATT_EMPTY_QUERY ? "nothing to search for"
                                               : "syntax error",
                         query, col, reason);
    }
    return fmt_alloc("query \"%s\": %s", query, reason);
}

/* Records that query q failed: the stderr message and, in JSON Lines, an
 * error line.  Returns false if memory ran out. */
static bool query_failed(const batch_cfg *cfg, query_slot *q, FILE *out,
                         att_status st, const char *msg, long pos,
                         char *reported)
{
    q->code = EXIT_SKIPPED;
    q->err = reported;
    if (!q->err)
        return false;
    if (cfg->format == FMT_JSONL) {
        char *qid = utf8_lossy(q->qid), *text = utf8_lossy(q->text);
        char *m = utf8_lossy(msg);
        int rc = qid && text && m
                     ? out_jsonl_error(out, qid, text, att_strerror(st), m, pos)
                     : -1;
        free(qid);
        free(text);
        free(m);
        return rc == 0;
    }
    return true;
}

/* Runs query q on `ix` and renders its output into q->out; failures into
 * q->err and q->code (q->fatal when the batch must stop). */
static void run_query(const batch_cfg *cfg, att_index *ix, query_slot *q)
{
    FILE *out = open_memstream(&q->out, &q->out_len);
    att_results *r = NULL;
    bool ok = out != NULL;
    if (!ok)
        goto out;
    if (q->bad) {
        ok = query_failed(cfg, q, out, ATT_INVALID, q->bad, -1,
                          xstrdup(q->bad));
        goto out;
    }
    att_status st = att_search(&r, ix, q->text, &cfg->o);
    if (st == ATT_QUERY_SYNTAX || st == ATT_EMPTY_QUERY) {
        const char *m = att_last_error();
        long pos = att_last_error_position();
        ok = query_failed(cfg, q, out, st, error_reason(q->text, m), pos,
                          query_error_message(q->text, st, m, pos));
        goto out;
    }
    if (st) {
        /* The index itself failed: stop the batch. */
        q->err = xstrdup(*att_last_error() ? att_last_error() : att_strerror(st));
        q->code = cli_exit_code(st);
        q->fatal = true;
        ok = q->err != NULL;
        goto out;
    }
    switch (cfg->format) {
    case FMT_TSV: ok = out_tsv(out, q->qid, r) == 0; break;
    case FMT_JSONL:
        ok = out_jsonl(out, q->qid, r, cfg->o.offset, cfg->o.limit) == 0;
        break;
    case FMT_TREC:
        /* A TREC run's fields are separated by white space. */
        for (size_t i = 0; i < att_results_count(r); i++) {
            const char *id = att_results_hit(r, i)->id;
            if (strpbrk(id, " \t\r\n\v\f")) {
                ok = query_failed(
                    cfg, q, out, ATT_INVALID, "", -1,
                    fmt_alloc("query \"%s\": article id \"%s\" holds white "
                              "space, which a TREC run cannot", q->text, id));
                goto out;
            }
        }
        ok = out_trec(out, q->qid, r, cfg->tag) == 0;
        break;
    }
out:
    att_results_free(r);
    if (out && fclose(out) != 0)
        ok = false;
    if (!ok) {
        /* open_memstream, a message or the output ran out of memory. */
        free(q->err);
        q->err = xstrdup("out of memory while writing the results");
        q->code = EXIT_NO_MEMORY;
        q->fatal = true;
    }
}

/* Writes q's output and message.  Returns false if the batch must stop
 * (q was fatal, or stdout cannot be written: *rc says why). */
static bool emit(const batch_cfg *cfg, const query_slot *q, int *rc,
                 size_t *failed)
{
    if (q->err) {
        if (q->fatal)
            cli_error("%s", q->err ? q->err : "out of memory");
        else if (!q->qid[0])
            cli_error("%s:%zu: %s", cfg->name, q->line, q->err);
        else
            cli_error("%s:%zu: query %s: %s", cfg->name, q->line, q->qid, q->err);
    }
    if (q->fatal) {
        *rc = q->code;
        return false;
    }
    if (q->code) {
        (*failed)++;
        if (*rc == EXIT_OK)
            *rc = q->code;
    }
    if (q->out_len && fwrite(q->out, 1, q->out_len, stdout) != q->out_len) {
        cli_error("cannot write the results to standard output");
        *rc = EXIT_INPUT;
        return false;
    }
    return true;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct reader {
    FILE *f;
    char *line;
    size_t cap;
    size_t lineno, queries;
    bool error;   /* a read error (not the end) */
} reader;

/* The next query of the input into *q: 1, or 0 at the end (r->error on a
 * read error), -1 if memory ran out. */
static int read_query(reader *rd, query_slot *q)
{
    ssize_t n;
    errno = 0;
    while ((n = getline(&rd->line, &rd->cap, rd->f)) != -1) {
        rd->lineno++;
        char *s = rd->line;
        size_t len = (size_t)n;
        if (len && s[len - 1] == '\n')
            len--;
        if (len && s[len - 1] == '\r')
            len--;
        s[len] = '\0';
        if (rd->lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3; /* a UTF-8 byte-order mark */
            len -= 3;
        }
        int k = parse_line(q, s, len, rd->lineno, rd->queries + 1);
        if (k < 0) {
            slot_clear(q);
            return -1;
        }
        if (k > 0) {
            rd->queries++;
            return 1;
        }
        slot_clear(q);
    }
    if (ferror(rd->f))
        rd->error = true;
    return 0;
}

/* ---- threads ------------------------------------------------------------ */

#define RING_PER_JOB 8

typedef struct batch {
    const batch_cfg *cfg;
    pthread_mutex_t mu;
    pthread_cond_t work;   /* a query to take, or the end */
    pthread_cond_t space;  /* a free slot for the reader */
    query_slot *ring;
    size_t cap;
    size_t n_read, n_taken, n_written; /* sequence numbers */
    bool eof, stop, writing;
    int rc;
    size_t failed;
} batch;

typedef struct worker {
    batch *b;
    att_index *ix;
    pthread_t thread;
} worker;

/* Writes every done slot from the oldest unwritten one on, in order; one
 * thread at a time.  Called and returns with b->mu held. */
static void drain(batch *b)
{
    if (b->writing)
        return;
    b->writing = true;
    for (;;) {
        bool wrote = false;
        while (!b->stop && b->n_written < b->n_read &&
               b->ring[b->n_written % b->cap].done) {
            query_slot *q = &b->ring[b->n_written % b->cap];
            pthread_mutex_unlock(&b->mu);
            bool go_on = emit(b->cfg, q, &b->rc, &b->failed);
            pthread_mutex_lock(&b->mu);
            slot_clear(q);
            b->n_written++;
            wrote = true;
            if (!go_on) {
                b->stop = true;
                pthread_cond_broadcast(&b->work);
            }
            pthread_cond_signal(&b->space);
        }
        if (!wrote)
            break;
        /* Flush with the lock released; then look again, since a query
         * may have finished meanwhile and left its output to us. */
        pthread_mutex_unlock(&b->mu);
        bool flushed = fflush(stdout) == 0;
        pthread_mutex_lock(&b->mu);
        if (!flushed && !b->stop) {
            cli_error("cannot write the results to standard output");
            b->rc = EXIT_INPUT;
            b->stop = true;
            pthread_cond_broadcast(&b->work);
            pthread_cond_signal(&b->space);
        }
    }
    b->writing = false;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    batch *b = w->b;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->stop && b->n_taken == b->n_read && !b->eof)
            pthread_cond_wait(&b->work, &b->mu);
        if (b->stop || b->n_taken == b->n_read)
            break;
        query_slot *q = &b->ring[b->n_taken++ % b->cap];
        pthread_mutex_unlock(&b->mu);
        run_query(b->cfg, w->ix, q);
        pthread_mutex_lock(&b->mu);
        q->done = true;
        drain(b);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* Runs the batch on `jobs` threads with the handles ix[0..jobs). */
static int run_threads(const batch_cfg *cfg, reader *rd, att_index **ix,
                       size_t jobs)
{
    batch b = {0};
    b.cfg = cfg;
    b.cap = jobs * RING_PER_JOB;
    b.ring = calloc(b.cap, sizeof *b.ring);
    worker *w = calloc(jobs, sizeof *w);
    if (!b.ring || !w) {
        free(b.ring);
        free(w);
        cli_error("out of memory");
        return EXIT_NO_MEMORY;
    }
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.work, NULL);
    pthread_cond_init(&b.space, NULL);
    size_t started = 0;
    int rc = EXIT_OK;
    for (; started < jobs; started++) {
        w[started].b = &b;
        w[started].ix = ix[started];
        if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]))
            break; /* go on with the threads there are */
    }
    if (started == 0) {
        cli_error("cannot start a search thread");
        rc = EXIT_INTERNAL;
    }
    if (started > 0) {
        /* Read while the workers search: each query goes into the next
         * slot once the writer has freed it. */
        pthread_mutex_lock(&b.mu);
        for (;;) {
            while (!b.stop && b.n_read - b.n_written == b.cap)
                pthread_cond_wait(&b.space, &b.mu);
            if (b.stop)
                break;
            query_slot q;
            pthread_mutex_unlock(&b.mu);
            int k = read_query(rd, &q);
            pthread_mutex_lock(&b.mu);
            if (k <= 0) {
                if (k < 0 && !b.stop) {
                    cli_error("out of memory while reading the queries");
                    rc = EXIT_NO_MEMORY;
                }
                break;
            }
            if (b.stop) {
                slot_clear(&q);
                break;
            }
            b.ring[b.n_read % b.cap] = q;
            b.n_read++;
            pthread_cond_signal(&b.work);
        }
        b.eof = true;
        pthread_cond_broadcast(&b.work);
        pthread_mutex_unlock(&b.mu);
    }
    for (size_t i = 0; i < started; i++)
        pthread_join(w[i].thread, NULL);
    /* Slots left unwritten after a stop. */
    for (size_t s = b.n_written; s < b.n_read; s++)
        slot_clear(&b.ring[s % b.cap]);
    pthread_cond_destroy(&b.space);
    pthread_cond_destroy(&b.work);
    pthread_mutex_destroy(&b.mu);
    free(b.ring);
    free(w);
    if (b.stop || rc != EXIT_OK)
        return b.stop ? b.rc : rc;
    if (b.failed)
        cli_error("%zu of %zu queries failed (reported above)", b.failed,
                  rd->queries);
    return b.rc;
}

/* The same on the calling thread. */
static int run_here(const batch_cfg *cfg, reader *rd, att_index *ix)
{
    int rc = EXIT_OK;
    size_t failed = 0;
    query_slot q;
    int k;
    while ((k = read_query(rd, &q)) > 0) {
        run_query(cfg, ix, &q);
        bool go_on = emit(cfg, &q, &rc, &failed);
        slot_clear(&q);
        if (!go_on)
            return rc;
        if (fflush(stdout) != 0) {
            cli_error("cannot write the results to standard output");
            return EXIT_INPUT;
        }
    }
    if (k < 0) {
        cli_error("out of memory while reading the queries");
        return EXIT_NO_MEMORY;
    }
    if (failed)
        cli_error("%zu of %zu queries failed (reported above)", failed,
                  rd->queries);
    return rc;
}

/* ---- the command -------------------------------------------------------- */

int cmd_batch(int argc, char **argv)
{
    enum { OPT_DB = 1, OPT_FORMAT, OPT_TAG, OPT_JOBS, OPT_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"run-tag", required_argument, NULL, OPT_TAG},
        {"jobs", required_argument, NULL, OPT_JOBS},
        SEARCH_LONGOPTS,
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    batch_cfg cfg = {.format = FMT_TSV, .tag = NULL};
    search_opts so;
    search_opts_init(&so);
    size_t jobs = 0;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int handled = search_opts_parse(&so, c, optarg);
        if (handled < 0)
            return EXIT_USAGE;
        if (handled)
            continue;
        switch (c) {
        case OPT_DB: db = optarg; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "tsv") == 0)
                cfg.format = FMT_TSV;
            else if (strcmp(optarg, "jsonl") == 0)
                cfg.format = FMT_JSONL;
            else if (strcmp(optarg, "trec") == 0)
                cfg.format = FMT_TREC;
            else {
                cli_error("--format takes tsv, jsonl or trec, not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_TAG:
            if (!*optarg || strpbrk(optarg, " \t\r\n\v\f")) {
                cli_error("--run-tag needs one word without white space, "
                          "not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            cfg.tag = optarg;
            break;
        case OPT_JOBS:
            if (!cli_parse_size(optarg, 64, &jobs)) {
                cli_error("--jobs needs a number from 0 (one per core) to 64, "
                          "not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h':
        case OPT_HELP: fputs(help_text, stdout); return EXIT_OK;
        default:
            cli_error("batch: unknown or incomplete option \"%s\" (try: "
                      "attache batch --help)", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        cli_error(optind >= argc
                      ? "batch: no query file given (- for standard input; try: "
                        "attache batch --help)"
                      : "batch: one query file only (try: attache batch --help)");
        return EXIT_USAGE;
    }
    search_opts_finish(&so);
    if (cfg.tag && cfg.format != FMT_TREC) {
        cli_error("--run-tag is for --format trec");
        return EXIT_USAGE;
    }
    if ((so.facets_given || so.facet_date_given) && cfg.format != FMT_JSONL) {
        cli_error("--facets and --facet-date need --format jsonl");
        return EXIT_USAGE;
    }
    cfg.o = so.o;
    if (!cfg.tag)
        cfg.tag = "attache";
    if (cfg.format == FMT_TREC && !so.limit_given)
        cfg.o.limit = 1000; /* what TREC evaluations score */
    if (cfg.format != FMT_JSONL) {
        /* TSV and TREC show neither snippets nor suggestions. */
        cfg.o.snippets = 0;
        cfg.o.flags |= ATT_SEARCH_NO_SUGGESTION;
    }
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n < 1 ? 1 : n > 64 ? 64 : (size_t)n;
    }

    const char *path = argv[optind];
    bool use_stdin = strcmp(path, "-") == 0;
    cfg.name = use_stdin ? "stdin" : path;
    reader rd = {0};
    int rc = EXIT_OK;
    att_index **ix = calloc(jobs, sizeof *ix);
    if (!ix) {
        cli_error("out of memory");
        return EXIT_NO_MEMORY;
    }
    /* The index first: a missing one is reported before any input is read. */
    for (size_t i = 0; i < jobs; i++) {
        att_status st = att_index_open(&ix[i], cli_db_path(db), ATT_OPEN_READ);
        if (st) {
            cli_report();
            rc = cli_exit_code(st);
            goto out;
        }
    }
    rd.f = use_stdin ? stdin : fopen(path, "rb");
    if (!rd.f) {
        cli_error("cannot read the query file %s: %s", path, strerror(errno));
        rc = EXIT_INPUT;
        goto out;
    }
    if (cfg.format == FMT_TSV)
        out_tsv_header(stdout);
    rc = jobs == 1 ? run_here(&cfg, &rd, ix[0]) : run_threads(&cfg, &rd, ix, jobs);
    if (rd.error && (rc == EXIT_OK || rc == EXIT_SKIPPED)) {
        cli_error("error reading the query file %s after line %zu", cfg.name,
                  rd.lineno);
        rc = EXIT_INPUT;
    }
    if (fflush(stdout) != 0 && rc != EXIT_INPUT) {
        cli_error("cannot write the results to standard output");
        rc = EXIT_INPUT;
    }
out:
    if (rd.f && !use_stdin)
        fclose(rd.f);
    free(rd.line);
    for (size_t i = 0; i < jobs; i++)
        att_index_close(ix[i]);
    free(ix);
    return rc;
}
