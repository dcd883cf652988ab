/*
 * ingest.c: att_ingest(), which indexes a file or a directory tree.
 *
 * Directories are walked recursively in byte order of names (so runs are
 * reproducible), skipping hidden entries and symbolic links to
 * directories.  In a directory, files ending in .txt or .text, or with no
 * extension, are read as plain-text articles; other files are not
 * articles and are passed over.  A file given by name is always read.
 * Each article's id is its path relative to the root given, without the
 * extension.  Articles are committed in batches; a file that cannot be
 * read or parsed is reported through the callback and skipped, and the
 * run goes on, so one bad file never costs what was already indexed.
 *
 * With jobs > 1 the work is a pipeline of `jobs` threads: the calling
 * thread walks the tree and submits each file to a ring of slots; jobs - 1
 * worker threads (each with its own analyser) read, parse and build the
 * documents; the calling thread retires the slots strictly in submission
 * order, writing each document, committing batches and calling the
 * callback.  So the index, the stats
 * and the sequence of events are exactly those of a one-job run.
 */
#include "docbuild.h"
#include "readers.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_BATCH 1000
/* A batch is also committed once it holds this much input text: Xapian's
 * buffered changes grow with the text (about 6 bytes per byte of input,
 * measured on the UN General Debate speeches), so this bounds the memory
 * an indexing run needs whatever the size of its articles. */
#define BATCH_BYTES (16u * 1024 * 1024)
#define DEFAULT_MAX_FILE (64u * 1024 * 1024)
#define MAX_JOBS 64
#define SLOTS_PER_JOB 4

/* One file on its way through the pipeline. */
typedef struct job {
    char *path;          /* owned */
    char *rel;           /* owned: path relative to the root */
    /* filled by whoever processes it: */
    bool read_ok;
    size_t bytes;
    att_status st;
    char *msg;           /* the error message when st != ATT_OK (owned) */
    att_shim_doc *doc;   /* the built document when st == ATT_OK */
    att_buf idterm;
    char *id;            /* the article id (owned) */
    att_decode_stats ds; /* how its bytes were decoded */
    bool done;
} job;

struct pool;

typedef struct worker {
    struct pool *pool;
    att_doc_builder b;    /* each thread analyses with its own analyser
                             and entity extractor */
    pthread_t thread;
} worker;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work;  /* a slot was queued, or quit */
    pthread_cond_t done;  /* a slot was finished */
    job *ring;
    size_t cap;
    size_t head;          /* the oldest slot not yet retired (a sequence no.) */
    size_t next;          /* the next slot a worker takes */
    size_t tail;          /* the next slot to fill */
    bool quit;
    worker *workers;
    size_t n_workers;     /* started */
    size_t max_file;
    bool exact;           /* build exact word forms too */
    bool entities;        /* extract entities */
} pool;

typedef struct walk {
    att_index *ix;
    const att_ingest_options *o;
    att_ingest_stats *stats;
    size_t batch;
    size_t max_file;
    size_t pending;   /* articles since the last commit */
    size_t pending_bytes; /* their input bytes */
    bool stop;        /* the callback asked to stop */
    pool *pool;       /* NULL: everything on the calling thread */
} walk;

static void notify(walk *w, att_ingest_event ev, const char *path,
                   const char *id, att_status st, const char *msg)
{
    if (w->o && w->o->callback &&
        w->o->callback(w->o->callback_ctx, ev, path, id, st, msg, w->stats))
        w->stop = true;
}

/* Commits the pending articles; `last`: the run's final commit, which
 * also brings the vocabulary up to date. */
static att_status commit_batch(walk *w, bool last)
{
    if (!w->pending)
        return last ? att_index_commit(w->ix) : ATT_OK;
    att_status st = last ? att_index_commit(w->ix) : att_index_commit_batch(w->ix);
    if (st)
        return st;
    w->pending = 0;
    w->pending_bytes = 0;
    w->stats->commits++;
    notify(w, ATT_INGEST_COMMITTED, NULL, NULL, ATT_OK, NULL);
    return ATT_OK;
}

/* The id of the file at `rel` (relative path): without its extension. */
static char *make_id(const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot > base) ? (size_t)(dot - rel) : strlen(rel);
    return att_strndup(rel, n);
}

static bool is_article_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return true;
    return strcmp(dot, ".txt") == 0 || strcmp(dot, ".text") == 0;
}

/* Statuses that end the whole run rather than skip one file: the index
 * itself is in trouble. */
static bool fatal(att_status st)
{
    return st == ATT_NO_MEMORY || st == ATT_LOCKED || st == ATT_CORRUPT ||
           st == ATT_READ_ONLY || st == ATT_INTERNAL || st == ATT_MODIFIED;
}

/* Reads, parses and builds the document of `j`: the part of the work that
 * needs no index, run by a worker thread (or the calling one). */
static void job_process(job *j, const att_doc_builder *b, size_t max_file)
{
    char *text = NULL;
    size_t len = 0;
    att_article *a = NULL;
    j->id = make_id(j->rel);
    att_status st = j->id ? att_read_file(j->path, max_file, &text, &len)
                          : att_error_nomem();
    if (st == ATT_OK) {
        j->read_ok = true;
        j->bytes = len;
        st = att_text_parse_decoded(&a, j->id, text, len, &j->ds);
        if (st)
            att_error_prefix("%s", j->path);
    }
    if (st)
        goto out;
    st = att_doc_build(b, a, &j->doc, &j->idterm);
    if (st)
        att_error_prefix("%s", j->path);
out:
    if (st)
        j->msg = att_strdup(att_last_error());
    j->st = st;
    att_article_free(a);
    free(text);
}

static void job_clear(job *j)
{
    free(j->path);
    free(j->rel);
    free(j->msg);
    free(j->id);
    att_shim_doc_free(j->doc);
    att_buf_free(&j->idterm);
    memset(j, 0, sizeof *j);
}

/* Writes a processed job to the index and reports it, as the one-job run
 * always did.  Returns non-OK only for a failure of the index itself. */
static att_status job_retire(walk *w, job *j)
{
    w->stats->files++;
    if (j->read_ok)
        w->stats->bytes += j->bytes;
    att_status st = j->st;
    if (st == ATT_OK) {
        st = att_shim_replace(w->ix->db, j->idterm.data, j->idterm.len, j->doc);
        if (st == ATT_OK) {
            w->stats->added++;
            w->stats->converted += j->ds.converted;
            w->stats->repaired += j->ds.mojibake;
            w->stats->repaired_files += j->ds.mojibake > 0;
            w->stats->replaced += j->ds.invalid + j->ds.controls;
            w->pending++;
            w->pending_bytes += j->bytes;
            notify(w, ATT_INGEST_ADDED, j->path, j->id, ATT_OK, NULL);
            if (w->pending >= w->batch || w->pending_bytes >= BATCH_BYTES)
                st = commit_batch(w, false);
        } else if (!fatal(st)) {
            att_error_prefix("%s: cannot index article \"%s\"", j->path, j->id);
        }
    } else {
        /* A worker's message lives in the worker's thread: bring it here. */
        att_error_set(st, "%s", j->msg ? j->msg : att_strerror(st));
    }
    if (st != ATT_OK && !fatal(st)) {
        w->stats->skipped++;
        notify(w, ATT_INGEST_SKIPPED, j->path, j->id, st, att_last_error());
        st = ATT_OK;
    }
    return st;
}

static void *worker_main(void *arg)
{
    worker *me = arg;
    pool *p = me->pool;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->next == p->tail)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->next == p->tail) /* quit, and nothing left to do */
            break;
        job *j = &p->ring[p->next++ % p->cap];
        pthread_mutex_unlock(&p->mu);
        job_process(j, &me->b, p->max_file);
        pthread_mutex_lock(&p->mu);
        j->done = true;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Retires the oldest slot, waiting for its worker to finish it. */
static att_status pool_retire_oldest(walk *w)
{
    pool *p = w->pool;
    job *j = &p->ring[p->head % p->cap];
    pthread_mutex_lock(&p->mu);
    while (!j->done)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    att_status st = (w->stop) ? ATT_OK : job_retire(w, j);
    job_clear(j);
    p->head++;
    return st;
}

/* Retires every slot in flight; after a stop or a failure, they are only
 * waited for and dropped, as a one-job run would never have read them. */
static att_status pool_drain(walk *w, bool write)
{
    att_status st = ATT_OK;
    if (!w->pool)
        return ATT_OK;
    while (w->pool->head != w->pool->tail) {
        if (!write || st != ATT_OK)
            w->stop = true;
        att_status s = pool_retire_oldest(w);
        if (st == ATT_OK)
            st = s;
    }
    return st;
}

static void pool_free(pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->n_workers; i++) {
        pthread_join(p->workers[i].thread, NULL);
        att_analyzer_free(p->workers[i].b.an);
        att_extractor_free(p->workers[i].b.ex);
    }
    for (size_t i = 0; p->ring && i < p->cap; i++)
        job_clear(&p->ring[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    free(p->ring);
    free(p->workers);
    free(p);
}

static att_status pool_new(pool **out, size_t n, size_t max_file, bool exact,
                           bool entities)
{
    pool *p = calloc(1, sizeof *p);
    if (!p)
        return att_error_nomem();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->cap = n * SLOTS_PER_JOB;
    p->max_file = max_file;
    p->exact = exact;
    p->entities = entities;
    p->ring = calloc(p->cap, sizeof *p->ring);
    p->workers = calloc(n, sizeof *p->workers);
    att_status st = (p->ring && p->workers) ? ATT_OK : att_error_nomem();
    for (size_t i = 0; st == ATT_OK && i < n; i++) {
        worker *wk = &p->workers[i];
        wk->pool = p;
        wk->b.exact = exact;
        if ((st = att_analyzer_new(&wk->b.an)))
            break;
        if (entities && (st = att_extractor_new(&wk->b.ex))) {
            att_analyzer_free(wk->b.an);
            break;
        }
        int e = pthread_create(&wk->thread, NULL, worker_main, wk);
        if (e) {
            att_analyzer_free(wk->b.an);
            att_extractor_free(wk->b.ex);
            st = att_error_set(e == EAGAIN ? ATT_NO_MEMORY : ATT_INTERNAL,
                               "cannot start an indexing thread: %s", strerror(e));
            break;
        }
        p->n_workers++;
    }
    if (st) {
        pool_free(p);
        return st;
    }
    *out = p;
    return ATT_OK;
}

/* Takes one file: processed at once without a pool, else queued (after
 * retiring the oldest slot if the ring is full).  Takes `path` and `rel`. */
static att_status submit(walk *w, char *path, char *rel)
{
    if (!w->pool) {
        job j = {0};
        j.path = path;
        j.rel = rel;
        att_doc_builder b;
        att_status st = att_index_builder(w->ix, &b);
        if (st)
            return st;
        job_process(&j, &b, w->max_file);
        st = job_retire(w, &j);
        job_clear(&j);
        return st;
    }
    pool *p = w->pool;
    att_status st = ATT_OK;
    if (p->tail - p->head == p->cap)
        st = pool_retire_oldest(w);
    if (st != ATT_OK || w->stop) {
        free(path);
        free(rel);
        return st;
    }
    job *j = &p->ring[p->tail % p->cap];
    j->path = path;
    j->rel = rel;
    pthread_mutex_lock(&p->mu);
    p->tail++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return ATT_OK;
}

/* Reports an input the walk itself could not open.  Slots in flight come
 * first, so events keep the order of a one-job run. */
static att_status walk_skip(walk *w, const char *path)
{
    char *msg = att_strdup(att_last_error());
    att_status st = pool_drain(w, true);
    if (st == ATT_OK && !w->stop) {
        w->stats->skipped++;
        att_error_set(ATT_IO, "%s", msg ? msg : path);
        notify(w, ATT_INGEST_SKIPPED, path, NULL, ATT_IO, att_last_error());
    }
    free(msg);
    return st;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static att_status ingest_dir(walk *w, const char *path, const char *rel)
{
    DIR *d = opendir(path);
    if (!d) {
        int e = errno;
        att_error_set(ATT_IO, "%s: cannot read directory: %s", path,
                      strerror(e));
        return walk_skip(w, path);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    att_status st = ATT_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* ".", "..", hidden files and directories */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = att_realloc_array(names, cap, sizeof *nn);
            if (!nn) {
                st = att_error_nomem();
                goto out;
            }
            names = nn;
        }
        if (!(names[n] = att_strdup(de->d_name))) {
            st = att_error_nomem();
            goto out;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && !w->stop && st == ATT_OK; i++) {
        att_buf child = ATT_BUF_INIT, crel = ATT_BUF_INIT;
        if ((st = att_buf_puts(&child, path)) ||
            (child.data[child.len - 1] != '/' && (st = att_buf_putc(&child, '/'))) ||
            (st = att_buf_puts(&child, names[i])) ||
            (*rel && ((st = att_buf_puts(&crel, rel)) || (st = att_buf_putc(&crel, '/')))) ||
            (st = att_buf_puts(&crel, names[i]))) {
            att_buf_free(&child);
            att_buf_free(&crel);
            break;
        }
        struct stat sb, lsb;
        if (lstat(child.data, &lsb) != 0 || stat(child.data, &sb) != 0) {
            int e = errno;
            att_error_set(ATT_IO, "%s: %s", child.data, strerror(e));
            st = walk_skip(w, child.data);
        } else if (S_ISDIR(sb.st_mode)) {
            if (!S_ISLNK(lsb.st_mode))
                st = ingest_dir(w, child.data, crel.data);
        } else if (S_ISREG(sb.st_mode) && is_article_name(names[i])) {
            st = submit(w, child.data, crel.data);
            child = (att_buf)ATT_BUF_INIT; /* submit() took both */
            crel = (att_buf)ATT_BUF_INIT;
        }
        att_buf_free(&child);
        att_buf_free(&crel);
    }
out:
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

static att_status ingest_run(att_index *ix, const char *path,
                             const att_ingest_options *opts,
                             att_ingest_stats *stats);

ATT_API att_status att_ingest(att_index *ix, const char *path,
                              const att_ingest_options *opts,
                              att_ingest_stats *stats)
{
    /* The run counts into `all`; the caller's struct gets as much of it as
     * its options version says it has room for. */
    att_ingest_stats all;
    memset(&all, 0, sizeof all);
    size_t room = opts && opts->version < 3
                      ? offsetof(att_ingest_stats, converted)
                      : sizeof all;
    if (stats)
        memset(stats, 0, room);
    if (!ix || !path || !*path)
        return att_error_set(ATT_INVALID, "att_ingest: NULL argument");
    if (opts && (opts->version < 1 || opts->version > ATT_INGEST_OPTIONS_VERSION))
        return att_error_set(ATT_INVALID,
                             "att_ingest: options version %d, expected %d "
                             "(or 1 or 2)",
                             opts->version, ATT_INGEST_OPTIONS_VERSION);
    att_status st = ingest_run(ix, path, opts, &all);
    if (stats)
        memcpy(stats, &all, room);
    return st;
}

static att_status ingest_run(att_index *ix, const char *path,
                             const att_ingest_options *opts,
                             att_ingest_stats *stats)
{
    if (!att_shim_writable(ix->db))
        return att_error_set(ATT_READ_ONLY, "cannot index %s: index %s is "
                             "open read-only", path, ix->path);
    walk w = {ix, opts, stats, DEFAULT_BATCH, DEFAULT_MAX_FILE, 0, 0, false, NULL};
    if (opts && opts->batch_size)
        w.batch = opts->batch_size;
    if (opts && opts->max_file_size)
        w.max_file = opts->max_file_size;
    size_t jobs = 1;
    if (opts && opts->version >= 2) {
        jobs = opts->jobs;
        if (jobs == 0) {
            long n = sysconf(_SC_NPROCESSORS_ONLN);
            jobs = n > 0 ? (size_t)n : 1;
        }
        if (jobs > MAX_JOBS)
            jobs = MAX_JOBS;
    }

    att_status st;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        int e = errno;
        return att_error_set(e == ENOENT ? ATT_NOT_FOUND : ATT_IO, "%s: %s",
                             path, strerror(e));
    }
    if (S_ISDIR(sb.st_mode)) {
        /* A pool pays off only for a tree; one file needs no threads.  The
         * calling thread is the writer, one of the `jobs` threads: Xapian's
         * writer is most of the work, so on two cores one worker and the
         * writer beat two workers and the writer (docs/PERFORMANCE.md). */
        if (jobs > 1 && (st = pool_new(&w.pool, jobs - 1, w.max_file,
                                       att_shim_exact_forms(ix->db),
                                       att_shim_entities(ix->db))))
            return st;
        st = ingest_dir(&w, path, "");
        att_status s2 = pool_drain(&w, st == ATT_OK);
        if (st == ATT_OK)
            st = s2;
        pool_free(w.pool);
    } else {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        char *p = att_strdup(path), *b = att_strdup(base);
        if (!p || !b) {
            free(p);
            free(b);
            return att_error_nomem();
        }
        st = submit(&w, p, b);
    }
    if (st == ATT_OK)
        st = commit_batch(&w, true);
    return st;
}
