/*
 * progress.c: what `attache index` shows while it runs and how it stops;
 * see progress.h.
 *
 * The time left is estimated from bytes: the bytes of input read so far
 * (att_ingest_stats.bytes, summed over the PATHs) against the bytes of
 * all the inputs, counted by a walk over the PATHs on a thread of its
 * own, so that a large tree never delays the start; until the walk is
 * done the line shows the rate only.  Bytes rather than files, because
 * one UN speech is as much work as fifty wire stories.  The estimate is
 * elapsed * (total - done) / done: the average rate since the start,
 * steadier than the rate of the last seconds, which jumps at each commit.
 *
 * Signals: the handlers only record the signal (a write() of a short
 * note on a terminal is the only other thing they do: both are
 * async-signal-safe); the ingest callback sees it at the next article and
 * asks att_ingest() to stop, which commits what was done.  A second
 * signal restores the default action and raises it again, for a user who
 * does not want to wait for the commit: the committed batches are kept,
 * as after any crash.
 */
#include "progress.h"
#include "cli.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The line is redrawn at most this often (seconds). */
#define REDRAW_EVERY 0.2

struct progress {
    bool line;
    bool verbose;
    bool drawn;              /* the line is on the screen */
    bool stopped;            /* the callback asked to stop */
    struct timespec start, last;
    /* totals of the PATHs already done */
    uint64_t base_files, base_added, base_bytes;
    uint64_t base_unchanged; /* articles of earlier PATHs found unchanged */
    uint64_t committed;
    /* the counting walk */
    pthread_t walker;
    bool walking;
    char *const *paths;
    int n_paths;
    atomic_bool quit;        /* asks the walk to give up */
    atomic_bool known;       /* total is final */
    _Atomic uint64_t total;  /* bytes of all the inputs */
};

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

progress *progress_new(bool line, bool verbose)
{
    progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->line = line;
    p->verbose = verbose;
    atomic_init(&p->quit, false);
    atomic_init(&p->known, false);
    atomic_init(&p->total, 0);
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->last = p->start;
    return p;
}

/* ---- counting the input ---------------------------------------------------- */

/* The file names ingest.c reads in a directory: no extension, .txt,
 * .text, and the structured formats' extensions.  A superset does no harm
 * beyond a pessimistic estimate; keep it in step with ingest.c. */
static bool input_name(const char *name)
{
    static const char *const exts[] = {".txt", ".text", ".jsonl", ".ndjson",
                                       ".json", ".html", ".htm", ".xhtml"};
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return true;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcmp(dot, exts[i]) == 0)
            return true;
    return false;
}

/* Adds the bytes of the inputs under directory `path` (ingest.c's walk:
 * hidden entries skipped, symbolic links to directories not followed). */
static void count_dir(progress *p, const char *path, uint64_t *sum)
{
    DIR *d = opendir(path);
    if (!d)
        return;
    size_t plen = strlen(path);
    struct dirent *de;
    while (!atomic_load(&p->quit) && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        size_t n = plen + 1 + strlen(de->d_name) + 1;
        char *child = malloc(n);
        if (!child)
            break;
        snprintf(child, n, "%s/%s", path, de->d_name);
        struct stat sb, lsb;
        if (lstat(child, &lsb) == 0 && stat(child, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) {
                if (!S_ISLNK(lsb.st_mode))
                    count_dir(p, child, sum);
            } else if (S_ISREG(sb.st_mode) && input_name(de->d_name)) {
                *sum += (uint64_t)sb.st_size;
            }
        }
        free(child);
    }
    closedir(d);
}

static void *count_main(void *arg)
{
    progress *p = arg;
    uint64_t sum = 0;
    for (int i = 0; i < p->n_paths && !atomic_load(&p->quit); i++) {
        struct stat sb;
        if (stat(p->paths[i], &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            count_dir(p, p->paths[i], &sum);
        else if (S_ISREG(sb.st_mode))
            sum += (uint64_t)sb.st_size; /* a file named is always read */
    }
    if (!atomic_load(&p->quit)) {
        atomic_store(&p->total, sum);
        atomic_store(&p->known, true);
    }
    return NULL;
}

void progress_count_inputs(progress *p, char *const *paths, int n)
{
    if (!p || !p->line || n <= 0)
        return;
    p->paths = paths;
    p->n_paths = n;
    /* Without the thread the line just shows no estimate. */
    p->walking = pthread_create(&p->walker, NULL, count_main, p) == 0;
}

/* ---- the line ----------------------------------------------------------------- */

void progress_clear(progress *p)
{
    if (p && p->drawn) {
        fputs("\r\033[K", stderr);
        p->drawn = false;
    }
}

/* "under a second", "45 s", "3 min 05 s", "2 h 10 min" */
static void duration(double s, char out[32])
{
    long t = (long)(s + 0.5);
    if (t < 1)
        snprintf(out, 32, "under a second");
    else if (t < 60)
        snprintf(out, 32, "%ld s", t);
    else if (t < 3600)
        snprintf(out, 32, "%ld min %02ld s", t / 60, t % 60);
    else
        snprintf(out, 32, "%ld h %02ld min", t / 3600, t / 60 % 60);
}

static void draw(progress *p, const att_ingest_stats *s)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (since(&p->last, &now) < REDRAW_EVERY)
        return;
    p->last = now;
    double t = since(&p->start, &now);
    uint64_t files = p->base_files + s->files;
    uint64_t added = p->base_added + p->base_unchanged + s->added +
                     s->unchanged; /* written or found unchanged */
    uint64_t done = p->base_bytes + s->bytes;
    char tail[96] = "";
    if (atomic_load(&p->known)) {
        uint64_t total = atomic_load(&p->total);
        double frac = total ? (double)done / (double)total : 1.0;
        if (frac > 0.999)
            frac = 0.999; /* the input grew, or files were skipped unread */
        char left[32];
        duration(frac > 0 ? t * (1 - frac) / frac : 0, left);
        snprintf(tail, sizeof tail, ", %d%% done, about %s left",
                 (int)(frac * 100), left);
    }
    fprintf(stderr, "\r\033[K%llu files, %llu articles, %.0f articles/s%s",
            (unsigned long long)files, (unsigned long long)added,
            t > 0 ? (double)added / t : 0.0, tail);
    fflush(stderr);
    p->drawn = true;
}

/* ---- the callback ------------------------------------------------------------- */

/* Set by the handler, read by the callback on the writing thread: a
 * lock-free atomic, which is async-signal-safe and shared by threads. */
static atomic_int got_signal;

int progress_event(void *ctx, att_ingest_event ev, const char *path,
                   const char *id, att_status st, const char *msg,
                   const att_ingest_stats *stats)
{
    progress *p = ctx;
    switch (ev) {
    case ATT_INGEST_SKIPPED:
        progress_clear(p);
        /* A skip message starts with the input's path (attache.h). */
        if (msg)
            cli_error("skipped %s", msg);
        else
            cli_error("skipped %s: %s", path, att_strerror(st));
        break;
    case ATT_INGEST_ADDED:
    case ATT_INGEST_REPLACED:
    case ATT_INGEST_UNCHANGED:
    case ATT_INGEST_PRUNED:
        if (p->verbose) {
            static const char *const verb[] = {
                [ATT_INGEST_ADDED] = "indexed", [ATT_INGEST_REPLACED] = "replaced",
                [ATT_INGEST_UNCHANGED] = "unchanged", [ATT_INGEST_PRUNED] = "pruned"};
            progress_clear(p);
            printf("%s %s from %s\n", verb[ev], id ? id : "?", path ? path : "?");
            fflush(stdout);
        }
        break;
    case ATT_INGEST_COMMITTED:
        p->committed = p->base_added + stats->added;
        if (p->verbose) {
            progress_clear(p);
            printf("committed: %llu articles so far\n",
                   (unsigned long long)p->committed);
            fflush(stdout);
        }
        break;
    }
    if (p->line)
        draw(p, stats);
    if (atomic_load(&got_signal))
        p->stopped = true;
    return p->stopped ? 1 : 0;
}

void progress_input_done(progress *p, const att_ingest_stats *s)
{
    p->base_files += s->files;
    p->base_added += s->added;
    p->base_unchanged += s->unchanged;
    p->base_bytes += s->bytes;
}

uint64_t progress_committed(const progress *p) { return p->committed; }

bool progress_stopped(const progress *p) { return p->stopped; }

void progress_free(progress *p)
{
    if (!p)
        return;
    if (p->walking) {
        atomic_store(&p->quit, true);
        pthread_join(p->walker, NULL);
    }
    free(p);
}

/* ---- signals ------------------------------------------------------------------- */

static bool signal_note; /* stderr is a terminal: say that we are stopping */

static void on_signal(int sig)
{
    if (atomic_load(&got_signal)) {
        /* Second signal: stop at once, as the user asks. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    atomic_store(&got_signal, sig);
    if (signal_note) {
        static const char note[] =
            "\r\033[Kattache: stopping after committing the articles indexed "
            "so far (press Ctrl-C again to stop at once)\n";
        ssize_t w = write(STDERR_FILENO, note, sizeof note - 1);
        (void)w;
    }
}

void progress_catch_signals(void)
{
    signal_note = isatty(STDERR_FILENO) != 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART; /* Xapian's writes go on undisturbed */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int progress_interrupted(void) { return atomic_load(&got_signal); }

int progress_interrupt_status(void)
{
    int sig = atomic_load(&got_signal);
    return 128 + (sig ? sig : SIGINT);
}

void progress_report_interrupt(const progress *p, const char *db, uint64_t count)
{
    cli_error("interrupted by %s: the %llu article%s indexed before it %s "
              "committed, and the index %s holds %llu article%s; run the same "
              "command again to index the rest",
              atomic_load(&got_signal) == SIGTERM ? "SIGTERM" : "SIGINT (Ctrl-C)",
              (unsigned long long)p->committed, p->committed == 1 ? "" : "s",
              p->committed == 1 ? "is" : "are", db, (unsigned long long)count,
              count == 1 ? "" : "s");
}
