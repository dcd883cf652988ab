/*
 * ingest.c: att_ingest() and att_ingest_stream(), which index a file, a
 * directory tree or a stream, incrementally.
 *
 * Inputs.  Directories are walked recursively in byte order of names (so
 * runs are reproducible), skipping hidden entries and symbolic links to
 * directories.  In a directory, files named *.txt, *.text, *.jsonl,
 * *.ndjson, *.json, *.html, *.htm (any case) or without extension are
 * inputs; other files are passed over.  A file given by name is always
 * read.  Each input is read by the reader its content calls for
 * (readers.c) or by the one the options force.
 *
 * Jobs.  The unit of work is a job: a file read whole (by a worker) that
 * gives one article, or a run of lines of a JSON Lines file that gives
 * one article per line.  JSON Lines files (*.jsonl, *.ndjson, a *.json
 * whose first line is a whole object, a stream, or any file with the
 * format forced to jsonl) are split into jobs of at most LINES_PER_JOB
 * lines or JOB_BYTES bytes by the walking thread as it reads them, so a
 * file of any size is streamed and never held whole, and its lines are
 * analysed by all the workers.  A file read whole that turns out to hold
 * JSON lines (a .txt of JSON Lines) is split when its turn to be written
 * comes, on the writing thread, in the same order whatever the number of
 * jobs.
 *
 * The pipeline.  With jobs > 1 the calling thread walks and submits jobs
 * to a ring of slots; jobs - 1 worker threads (each with its own analyser
 * and entity extractor) read, parse and build the documents; the calling
 * thread retires the slots strictly in submission order, writing each
 * document, committing batches and calling the callback.  So the index,
 * the stats and the sequence of events are exactly those of a one-job
 * run.  Memory is bounded by the ring (SLOTS_PER_JOB slots per worker,
 * each at most a file or JOB_BYTES of lines) and by the batch (commits
 * every batch_size articles or BATCH_BYTES of input).
 *
 * Unchanged articles.  Each article's input hash (64-bit FNV-1a of the
 * engine signature, the reader that read it, the input's path relative to
 * the root and the article's input bytes; schema.h slot 4) is compared
 * with the one stored under the same id before the document is built: the
 * worker looks it up through its own read-only handle on the index.  An
 * equal hash means the article is unchanged and nothing is built or
 * written.  The engine signature covers the reader version, the schema
 * version, the library version and the bytes of the built-in entity
 * dictionary and tagger model, so a new reader or dictionary re-indexes
 * everything.  A worker's handle may lag behind the batches this run has
 * committed; that cannot mislead it, because the only writer of the index
 * is this run, and an id this run has already written is always written
 * again (the later input wins; the writer keeps the set of ids it wrote).
 *
 * Prune (ATT_INGEST_PRUNE).  Every article read from a file stores its
 * origin (the file's absolute path; slot 5).  After the walk, the
 * articles whose origin is under the root given are removed when that
 * file no longer exists (ENOENT/ENOTDIR: an unreadable directory removes
 * nothing), or when the file was read in full in this run with nothing in
 * it skipped and it no longer gave them (a JSON Lines file that lost a
 * line).  A root that does not exist prunes nothing.
 */
#include "docbuild.h"
#include "readers.h"

#include "../common/embedded.h"
#include "../common/record.h"
#include "../common/xapian/shim_ingest.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
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
/* A job of JSON lines: at most this many lines or bytes (a longer line is
 * a job of its own). */
#define LINES_PER_JOB 32
#define JOB_BYTES (256u * 1024)
/* How much of a stream or a .json file is looked at to recognise it. */
#define SNIFF_BYTES (64u * 1024)
/* Bump when a reader's output for the same input changes, so that the
 * next ingest rewrites the articles it made (the input hash covers it). */
#define READER_VERSION "readers-1"

/* ---- the engine signature and the input hash --------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#define FNV_BASIS 14695981039346656037ULL

static uint64_t engine_sig;
static pthread_once_t sig_once = PTHREAD_ONCE_INIT;

static void make_sig(void)
{
    static const char what[] = READER_VERSION " schema " ATT_SCHEMA_VERSION
                               " library " ATT_VERSION_STRING;
    uint64_t h = fnv(FNV_BASIS, what, sizeof what);
    size_t n;
    const char *d = att_builtin_dictionary_text(&n);
    h = fnv(h, d, n);
    const unsigned char *m = att_builtin_model_bytes(&n);
    h = fnv(h, m, n);
    engine_sig = h;
}

/* ---- jobs ------------------------------------------------------------------ */

enum { JOB_FILE, JOB_DATA, JOB_LINES, JOB_FAILED };
enum { V_NEW, V_EXISTS, V_UNCHANGED, V_UNKNOWN };

/* A line of a JSON Lines job: [off, off+len) of the job's data. */
typedef struct jline {
    size_t off, len;
    uint64_t line;
    bool too_large;   /* longer than max_file_size: skipped, not kept */
} jline;

/* One article of a job and what became of it. */
typedef struct unit {
    uint64_t line;          /* its line (JSON lines), 0 for a whole file */
    size_t bytes;           /* its input bytes */
    att_status st;          /* non-OK: skipped, for `why` */
    att_skip_reason why;
    char *msg;              /* the skip message (owned) */
    char *id;
    att_buf idterm;
    char hash[17];
    int verdict;            /* V_* */
    uint32_t docid;         /* the stored document (V_UNCHANGED) */
    bool origin_moved;      /* unchanged, but read from another file */
    att_article *a;         /* kept when unchanged, in case the writer
                               must build it after all */
    att_shim_doc *doc;      /* the built document */
    att_decode_stats ds;
} unit;

/* One job on its way through the pipeline. */
typedef struct job {
    int kind;               /* JOB_* */
    char *path;             /* shown in messages (owned) */
    char *rel;              /* the path relative to the root (owned) */
    char *id_base;          /* the default id (owned) */
    char *origin;           /* the absolute path, or NULL (owned) */
    bool counts_file;       /* the first job of a file */
    bool last_of_file;      /* the last job of a file */
    char *data;             /* JOB_DATA, JOB_LINES: the input (owned) */
    size_t len;
    jline *lines;           /* JOB_LINES (owned) */
    size_t n_lines;
    size_t bytes;           /* input bytes this job counts */
    /* filled by whoever processes it: */
    att_status st;          /* a failure of the whole input */
    att_skip_reason why;
    char *msg;
    bool relines;           /* a whole file that holds JSON lines */
    unit *units;
    size_t n_units;
    bool done;
} job;

/* What every job is processed with (read-only during the run). */
typedef struct config {
    size_t max_file;
    att_input_format format;
    bool lookups;           /* the index held articles when the run began */
} config;

struct pool;

typedef struct worker {
    struct pool *pool;
    att_doc_builder b;      /* each thread analyses with its own analyser
                               and entity extractor */
    att_shim_db *rdb;       /* its own read-only view, for lookups */
    pthread_t thread;
} worker;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work;    /* a slot was queued, or quit */
    pthread_cond_t done;    /* a slot was finished */
    job *ring;
    size_t cap;
    size_t head;            /* the oldest slot not yet retired (a sequence no.) */
    size_t next;            /* the next slot a worker takes */
    size_t tail;            /* the next slot to fill */
    bool quit;
    worker *workers;
    size_t n_workers;       /* started */
    const config *cfg;
} pool;

/* A set of 64-bit keys (open addressing; 0 stands for itself by a flag). */
typedef struct keyset {
    uint64_t *k;
    size_t cap, n;
    bool zero;
} keyset;

typedef struct walk {
    att_index *ix;
    const att_ingest_options *o;
    int version;            /* the options' version (4 when NULL) */
    att_ingest_stats *stats;
    config cfg;
    size_t batch;
    size_t pending;         /* changes since the last commit */
    size_t pending_bytes;   /* their input bytes */
    bool stop;              /* the callback asked to stop */
    pool *pool;             /* NULL: everything on the calling thread */
    keyset written;         /* id terms written in this run (hashes) */
    /* for prune: */
    bool prune;
    keyset fully_read;      /* origins read in full with nothing skipped */
    uint8_t *seen;          /* bitmap of the document ids read this run */
    size_t seen_cap;        /* in bits */
    bool file_ok;           /* nothing of the current file skipped */
    char *root_abs;         /* the root's absolute path (for origins) */
    bool root_is_dir;
} walk;

/* ---- small sets -------------------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static bool keyset_has(const keyset *s, uint64_t key)
{
    if (key == 0)
        return s->zero;
    if (!s->cap)
        return false;
    for (size_t i = mix(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->k[i] == key)
            return true;
        if (s->k[i] == 0)
            return false;
    }
}

static att_status keyset_add(keyset *s, uint64_t key)
{
    if (key == 0) {
        s->zero = true;
        return ATT_OK;
    }
    if ((s->n + 1) * 4 > s->cap * 3) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *k = calloc(cap, sizeof *k);
        if (!k)
            return att_error_nomem();
        for (size_t i = 0; i < s->cap; i++)
            if (s->k[i]) {
                size_t j = mix(s->k[i]) & (cap - 1);
                while (k[j])
                    j = (j + 1) & (cap - 1);
                k[j] = s->k[i];
            }
        free(s->k);
        s->k = k;
        s->cap = cap;
    }
    size_t i = mix(key) & (s->cap - 1);
    while (s->k[i] && s->k[i] != key)
        i = (i + 1) & (s->cap - 1);
    if (!s->k[i]) {
        s->k[i] = key;
        s->n++;
    }
    return ATT_OK;
}

static void keyset_free(keyset *s)
{
    free(s->k);
    memset(s, 0, sizeof *s);
}

static att_status seen_add(walk *w, uint32_t docid)
{
    if (!w->prune)
        return ATT_OK;
    if (docid >= w->seen_cap) {
        size_t cap = w->seen_cap ? w->seen_cap : 4096;
        while (cap <= docid)
            cap *= 2;
        uint8_t *b = realloc(w->seen, cap / 8);
        if (!b)
            return att_error_nomem();
        memset(b + w->seen_cap / 8, 0, (cap - w->seen_cap) / 8);
        w->seen = b;
        w->seen_cap = cap;
    }
    w->seen[docid / 8] |= (uint8_t)(1u << (docid % 8));
    return ATT_OK;
}

static bool seen_has(const walk *w, uint32_t docid)
{
    return docid < w->seen_cap && (w->seen[docid / 8] & (1u << (docid % 8)));
}

/* ---- events -------------------------------------------------------------------- */

static void notify(walk *w, att_ingest_event ev, const char *path,
                   const char *id, att_status st, const char *msg)
{
    if (ev >= ATT_INGEST_REPLACED && w->version < 4) {
        if (ev != ATT_INGEST_REPLACED)
            return; /* older callers know nothing of these */
        ev = ATT_INGEST_ADDED;
    }
    if (w->o && w->o->callback &&
        w->o->callback(w->o->callback_ctx, ev, path, id, st, msg, w->stats))
        w->stop = true;
}

/* Commits the pending changes; `last`: the run's final commit, which
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

static const char *ext_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    return (!dot || dot == name) ? "" : dot + 1;
}

static bool is_article_name(const char *name)
{
    static const char *const exts[] = {"txt", "text", "jsonl", "ndjson",
                                       "json", "html", "htm"};
    const char *e = ext_of(name);
    if (!*e)
        return true;
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (strcasecmp(e, exts[i]) == 0)
            return true;
    return false;
}

/* Statuses that end the whole run rather than skip one input: the index
 * itself is in trouble. */
static bool fatal(att_status st)
{
    return st == ATT_NO_MEMORY || st == ATT_LOCKED || st == ATT_CORRUPT ||
           st == ATT_READ_ONLY || st == ATT_INTERNAL || st == ATT_MODIFIED;
}

static void unit_clear(unit *u)
{
    free(u->msg);
    free(u->id);
    att_buf_free(&u->idterm);
    att_article_free(u->a);
    att_shim_doc_free(u->doc);
}

static void job_clear(job *j)
{
    free(j->path);
    free(j->rel);
    free(j->id_base);
    free(j->origin);
    free(j->data);
    free(j->lines);
    free(j->msg);
    for (size_t i = 0; i < j->n_units; i++)
        unit_clear(&j->units[i]);
    free(j->units);
    memset(j, 0, sizeof *j);
}

/* ---- processing: the work that needs no index writes ------------------------ */

/* Reads, hashes, parses and (unless unchanged) builds one article. */
static void unit_process(const job *j, unit *u, const char *bytes, size_t n,
                         uint64_t line, const att_doc_builder *b,
                         att_shim_db *lookup, const config *cfg)
{
    u->line = line;
    u->bytes = n;
    att_status st;
    att_skip_reason why = ATT_SKIP_INVALID;
    att_article *a = NULL;
    const char *slash = strrchr(j->rel, '/');
    att_input in = {j->path, j->id_base, slash ? slash + 1 : j->rel, line};
    att_input_format used = ATT_INPUT_AUTO;
    if (line)
        st = att_read_json(&a, bytes, n, &in,
                           cfg->format == ATT_INPUT_NINJS ? ATT_INPUT_NINJS
                           : cfg->format == ATT_INPUT_JSONL ? ATT_INPUT_JSONL
                                                            : ATT_INPUT_AUTO,
                           &u->ds, &why, &used);
    else
        st = att_read_any(&a, bytes, n, &in, cfg->format, &u->ds, &why, &used);
    if (st)
        goto fail;
    /* The input hash: parsing is cheap next to analysis, and it tells
     * which reader made the article. */
    pthread_once(&sig_once, make_sig);
    uint64_t h = engine_sig;
    unsigned char fmt = (unsigned char)used;
    h = fnv(h, &fmt, 1);
    h = fnv(h, j->rel, strlen(j->rel) + 1);
    h = fnv(h, bytes, n);
    snprintf(u->hash, sizeof u->hash, "%016llx", (unsigned long long)h);
    if (!(u->id = att_strdup(a->id))) {
        st = att_error_nomem();
        goto fail;
    }
    if ((st = att_id_term(a->id, &u->idterm)))
        goto fail;
    u->verdict = V_NEW;
    if (cfg->lookups) {
        u->verdict = V_UNKNOWN;
        att_shim_stored s;
        att_buf origin = ATT_BUF_INIT;
        if (lookup && att_shim_ingest_lookup(lookup, u->idterm.data,
                                             u->idterm.len, &s, &origin) == ATT_OK) {
            u->verdict = !s.exists ? V_NEW
                         : strcmp(s.hash, u->hash) == 0 ? V_UNCHANGED
                                                        : V_EXISTS;
            u->docid = s.docid;
            u->origin_moved = j->origin && (origin.len != strlen(j->origin) ||
                                            memcmp(origin.data, j->origin,
                                                   origin.len) != 0);
        }
        att_buf_free(&origin);
    }
    if (u->verdict == V_UNCHANGED) {
        u->a = a; /* in case the writer must build it after all */
        return;
    }
    att_doc_extra x = {u->hash, j->origin};
    st = att_doc_build_ex(b, a, &x, &u->doc, &u->idterm);
    att_article_free(a);
    a = NULL;
    if (st == ATT_OK)
        return;
    why = ATT_SKIP_INVALID;
fail:
    att_article_free(a);
    att_error_prefix("%s", j->path);
    u->st = st;
    u->why = why;
    u->msg = att_strdup(att_last_error());
}

static bool shaped_lines(const char *bytes, size_t n, const config *cfg)
{
    if (cfg->format != ATT_INPUT_AUTO && cfg->format != ATT_INPUT_JSONL &&
        cfg->format != ATT_INPUT_NINJS)
        return false;
    return att_sniff(bytes, n) == ATT_SHAPE_JSON_LINES;
}

/* Processes job `j` with builder `b`, looking articles up in `lookup`. */
static void job_process(job *j, const att_doc_builder *b, att_shim_db *lookup,
                        const config *cfg)
{
    if (j->kind == JOB_FAILED)
        return;
    if (j->kind == JOB_FILE) {
        att_status st = att_read_file(j->path, cfg->max_file, &j->data, &j->len);
        if (st) {
            j->st = st;
            j->why = st == ATT_INVALID ? ATT_SKIP_TOO_LARGE : ATT_SKIP_UNREADABLE;
            j->msg = att_strdup(att_last_error());
            return;
        }
        j->bytes = j->len;
    }
    if (j->kind == JOB_FILE || j->kind == JOB_DATA) {
        if (shaped_lines(j->data, j->len, cfg)) {
            j->relines = true; /* split when it is written */
            return;
        }
        j->units = calloc(1, sizeof *j->units);
        if (!j->units) {
            j->st = att_error_nomem();
            j->msg = att_strdup(att_last_error());
            return;
        }
        j->n_units = 1;
        unit_process(j, &j->units[0], j->data, j->len, 0, b, lookup, cfg);
        free(j->data); /* the stored record holds what is needed */
        j->data = NULL;
        return;
    }
    /* JOB_LINES */
    j->units = j->n_lines ? calloc(j->n_lines, sizeof *j->units) : NULL;
    if (j->n_lines && !j->units) {
        j->st = att_error_nomem();
        j->msg = att_strdup(att_last_error());
        return;
    }
    j->n_units = j->n_lines;
    for (size_t i = 0; i < j->n_lines; i++) {
        const jline *l = &j->lines[i];
        unit *u = &j->units[i];
        if (l->too_large) {
            u->line = l->line;
            u->bytes = l->len;
            u->st = att_error_set(ATT_INVALID,
                                  "%s: line %llu: longer than the limit of %zu "
                                  "bytes", j->path, (unsigned long long)l->line,
                                  cfg->max_file);
            u->why = ATT_SKIP_TOO_LARGE;
            u->msg = att_strdup(att_last_error());
            continue;
        }
        unit_process(j, u, j->data + l->off, l->len, l->line, b, lookup, cfg);
    }
    free(j->data);
    j->data = NULL;
}

/* ---- retiring: writing, in submission order ------------------------------------ */

static att_status skip(walk *w, const char *path, const char *id,
                       att_status st, att_skip_reason why, const char *msg)
{
    w->stats->skipped++;
    w->stats->skipped_by[why < ATT_SKIP_REASON_COUNT ? why : ATT_SKIP_INVALID]++;
    w->file_ok = false;
    /* A worker's message lives in the worker's thread: bring it here. */
    att_error_set(st, "%s", msg ? msg : att_strerror(st));
    notify(w, ATT_INGEST_SKIPPED, path, id, st, att_last_error());
    return ATT_OK;
}

static att_status after_write(walk *w, size_t bytes)
{
    w->pending++;
    w->pending_bytes += bytes;
    if (w->pending >= w->batch || w->pending_bytes >= BATCH_BYTES)
        return commit_batch(w, false);
    return ATT_OK;
}

/* Writes or skips one processed article. */
static att_status unit_retire(walk *w, job *j, unit *u)
{
    if (u->st && fatal(u->st)) /* the worker ran out of memory, say */
        return att_error_set(u->st, "%s", u->msg ? u->msg : att_strerror(u->st));
    if (u->st)
        return skip(w, j->path, u->id, u->st, u->why, u->msg);
    att_status st;
    uint64_t key = att_hash64(u->idterm.data, u->idterm.len);
    bool again = keyset_has(&w->written, key);
    int verdict = u->verdict;
    if (verdict == V_UNKNOWN) {
        /* The worker could not look it up: look now. */
        att_shim_stored s;
        att_buf origin = ATT_BUF_INIT;
        if ((st = att_shim_ingest_lookup(w->ix->db, u->idterm.data, u->idterm.len,
                                         &s, &origin)))
            return st;
        verdict = !s.exists ? V_NEW : strcmp(s.hash, u->hash) == 0 ? V_UNCHANGED
                                                                   : V_EXISTS;
        u->docid = s.docid;
        u->origin_moved = j->origin && (origin.len != strlen(j->origin) ||
                                        memcmp(origin.data, j->origin, origin.len) != 0);
        att_buf_free(&origin);
    }
    if (again)
        verdict = V_EXISTS; /* written earlier in this run: the later wins */
    if (verdict == V_UNCHANGED) {
        if ((st = seen_add(w, u->docid)))
            return st;
        if (u->origin_moved) {
            if ((st = att_shim_ingest_set_origin(w->ix->db, u->docid, j->origin,
                                                 strlen(j->origin))))
                return st;
            if ((st = after_write(w, 0)))
                return st;
        }
        w->stats->unchanged++;
        notify(w, ATT_INGEST_UNCHANGED, j->path, u->id, ATT_OK, NULL);
        return ATT_OK;
    }
    if (!u->doc) {
        /* Unchanged as the worker saw it, but this run wrote the id since:
         * built here, by the writer. */
        att_doc_builder b;
        att_doc_extra x = {u->hash, j->origin};
        if ((st = att_index_builder(w->ix, &b)) ||
            (st = att_doc_build_ex(&b, u->a, &x, &u->doc, &u->idterm))) {
            if (fatal(st))
                return st;
            att_error_prefix("%s", j->path);
            char *m = att_strdup(att_last_error());
            skip(w, j->path, u->id, st, ATT_SKIP_INVALID, m);
            free(m);
            return ATT_OK;
        }
    }
    uint32_t docid = 0;
    st = att_shim_ingest_replace(w->ix->db, u->idterm.data, u->idterm.len, u->doc,
                                 &docid);
    if (st) {
        if (fatal(st))
            return st;
        att_error_prefix("%s: cannot index article \"%s\"", j->path, u->id);
        char *m = att_strdup(att_last_error());
        skip(w, j->path, u->id, st, ATT_SKIP_INVALID, m);
        free(m);
        return ATT_OK;
    }
    if ((st = keyset_add(&w->written, key)) || (st = seen_add(w, docid)))
        return st;
    w->stats->added++;
    w->stats->converted += u->ds.converted;
    w->stats->repaired += u->ds.mojibake;
    w->stats->repaired_files += u->ds.mojibake > 0;
    w->stats->replaced += u->ds.invalid + u->ds.controls;
    if (verdict == V_EXISTS) {
        w->stats->articles_replaced++;
        notify(w, ATT_INGEST_REPLACED, j->path, u->id, ATT_OK, NULL);
    } else {
        notify(w, ATT_INGEST_ADDED, j->path, u->id, ATT_OK, NULL);
    }
    return after_write(w, u->bytes);
}

static att_status split_stream(walk *w, FILE *f, const char *head, size_t hn,
                               const job *tmpl, bool first_of_file);

static att_status job_retire(walk *w, job *j)
{
    att_status st = ATT_OK;
    if (j->counts_file) {
        w->stats->files++;
        w->file_ok = true;
    }
    w->stats->bytes += j->bytes;
    if (j->st && fatal(j->st)) {
        return att_error_set(j->st, "%s", j->msg ? j->msg : att_strerror(j->st));
    } else if (j->st) {
        st = skip(w, j->path, NULL, j->st, j->why, j->msg);
    } else if (j->relines) {
        /* JSON lines in a file read whole: split them now, here. */
        FILE *f = fmemopen(j->data, j->len, "rb");
        if (!f) {
            int e = errno;
            return att_error_set(ATT_NO_MEMORY, "%s: cannot read it as lines: %s",
                                 j->path, strerror(e));
        }
        job tmpl = *j;
        tmpl.last_of_file = j->last_of_file;
        st = split_stream(w, f, NULL, 0, &tmpl, false);
        fclose(f);
        return st;
    } else {
        for (size_t i = 0; i < j->n_units && st == ATT_OK && !w->stop; i++)
            st = unit_retire(w, j, &j->units[i]);
    }
    if (st == ATT_OK && j->last_of_file && w->file_ok && w->prune && j->origin)
        st = keyset_add(&w->fully_read, att_hash64(j->origin, strlen(j->origin)));
    return st;
}

/* ---- the pool ------------------------------------------------------------------ */

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
        job_process(j, &me->b, me->rdb, p->cfg);
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
        att_shim_close(p->workers[i].rdb);
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

static att_status pool_new(pool **out, size_t n, const config *cfg,
                           att_index *ix)
{
    pool *p = calloc(1, sizeof *p);
    if (!p)
        return att_error_nomem();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->cap = n * SLOTS_PER_JOB;
    p->cfg = cfg;
    p->ring = calloc(p->cap, sizeof *p->ring);
    p->workers = calloc(n, sizeof *p->workers);
    bool exact = att_shim_exact_forms(ix->db), entities = att_shim_entities(ix->db);
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
        /* Without a view of its own a worker builds every article and the
         * writer decides; slower, never wrong. */
        if (cfg->lookups && att_shim_open(&wk->rdb, ix->path, ATT_OPEN_READ))
            wk->rdb = NULL;
        int e = pthread_create(&wk->thread, NULL, worker_main, wk);
        if (e) {
            att_analyzer_free(wk->b.an);
            att_extractor_free(wk->b.ex);
            att_shim_close(wk->rdb);
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

/* Processes and retires a job on the calling thread. */
static att_status run_inline(walk *w, job *j)
{
    att_doc_builder b;
    att_status st = att_index_builder(w->ix, &b);
    if (st == ATT_OK) {
        job_process(j, &b, w->ix->db, &w->cfg);
        st = job_retire(w, j);
    }
    job_clear(j);
    return st;
}

/* Takes a job (its contents: `j` is left cleared): processed at once
 * without a pool, else queued (after retiring the oldest slot if the ring
 * is full). */
static att_status submit(walk *w, job *j)
{
    if (!w->pool || w->stop) {
        if (w->stop) {
            job_clear(j);
            return ATT_OK;
        }
        return run_inline(w, j);
    }
    pool *p = w->pool;
    att_status st = ATT_OK;
    if (p->tail - p->head == p->cap)
        st = pool_retire_oldest(w);
    if (st != ATT_OK || w->stop) {
        job_clear(j);
        return st;
    }
    job *slot = &p->ring[p->tail % p->cap];
    *slot = *j;
    memset(j, 0, sizeof *j);
    pthread_mutex_lock(&p->mu);
    p->tail++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return ATT_OK;
}

/* ---- making jobs ------------------------------------------------------------------ */

/* A job for the input at `path` (`rel` relative to the root), its strings
 * copied. */
static att_status job_init(walk *w, job *j, int kind, const char *path,
                           const char *rel, bool has_origin)
{
    memset(j, 0, sizeof *j);
    j->kind = kind;
    j->path = att_strdup(path);
    j->rel = att_strdup(rel);
    j->id_base = make_id(rel);
    if (has_origin && w->root_abs) {
        if (w->root_is_dir) {
            size_t n = strlen(w->root_abs) + strlen(rel) + 2;
            j->origin = malloc(n);
            if (j->origin)
                snprintf(j->origin, n, "%s%s%s", w->root_abs,
                         w->root_abs[strlen(w->root_abs) - 1] == '/' ? "" : "/",
                         rel);
        } else {
            j->origin = att_strdup(w->root_abs);
        }
        if (!j->origin) {
            job_clear(j);
            return att_error_nomem();
        }
    }
    if (!j->path || !j->rel || !j->id_base) {
        job_clear(j);
        return att_error_nomem();
    }
    return ATT_OK;
}

static att_status job_copy_names(job *dst, const job *src, int kind)
{
    memset(dst, 0, sizeof *dst);
    dst->kind = kind;
    dst->path = att_strdup(src->path);
    dst->rel = att_strdup(src->rel);
    dst->id_base = att_strdup(src->id_base);
    dst->origin = src->origin ? att_strdup(src->origin) : NULL;
    if (!dst->path || !dst->rel || !dst->id_base || (src->origin && !dst->origin)) {
        job_clear(dst);
        return att_error_nomem();
    }
    return ATT_OK;
}

/* Submits, or on the writing thread runs, a chunk of lines. */
static att_status emit(walk *w, job *j, bool inline_only)
{
    return inline_only ? run_inline(w, j) : submit(w, j);
}

/* The line splitter.  Reads `f` (after the `hn` bytes already read into
 * `head`) to its end, one job per LINES_PER_JOB lines or JOB_BYTES.  On
 * the writing thread (first_of_file false: a file being re-read as lines
 * when its turn came) the jobs are run at once; else they are submitted.
 * Blank lines are passed over (but counted); a line longer than
 * max_file_size is skipped as too large without being held. */
static att_status split_stream(walk *w, FILE *f, const char *head, size_t hn,
                               const job *tmpl, bool first_of_file)
{
    bool inline_only = !first_of_file;
    att_status st = ATT_OK;
    char buf[65536];
    att_buf line = ATT_BUF_INIT;
    bool discard = false;
    size_t discarded = 0;
    uint64_t lineno = 0, kept = 0;
    job j;
    bool have = false;
    size_t cap_lines = 0;
    size_t consumed = 0; /* input bytes since the last job */
    bool first = first_of_file;

    /* UTF-16 lines cannot be split on the raw bytes: decode them whole. */
    const unsigned char *u = (const unsigned char *)head;
    if (head && hn >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        att_buf all = ATT_BUF_INIT;
        size_t got;
        if ((st = att_buf_append(&all, head, hn)))
            return st;
        while ((got = fread(buf, 1, sizeof buf, f)) > 0 && all.len <= w->cfg.max_file)
            if ((st = att_buf_append(&all, buf, got))) {
                att_buf_free(&all);
                return st;
            }
        job fj;
        if ((st = job_copy_names(&fj, tmpl, JOB_FAILED))) {
            att_buf_free(&all);
            return st;
        }
        fj.counts_file = first;
        fj.last_of_file = true;
        fj.bytes = first ? all.len : 0;
        char *text = NULL;
        size_t tn = 0;
        if (all.len > w->cfg.max_file) {
            fj.st = att_error_set(ATT_INVALID, "%s: larger than the limit of %zu "
                                  "bytes (UTF-16 JSON lines are read whole)",
                                  tmpl->path, w->cfg.max_file);
            fj.why = ATT_SKIP_TOO_LARGE;
        } else if ((fj.st = att_decode(all.data, all.len, &text, &tn, NULL))) {
            att_error_prefix("%s", tmpl->path);
            fj.why = fj.st == ATT_ENCODING ? ATT_SKIP_BINARY : ATT_SKIP_INVALID;
        } else if (!tn) {
            fj.st = att_error_set(ATT_NOT_FOUND, "%s: no article text (empty file)",
                                  tmpl->path);
            fj.why = ATT_SKIP_EMPTY;
        }
        att_buf_free(&all);
        if (fj.st) {
            free(text);
            if (fatal(fj.st)) {
                st = fj.st;
                job_clear(&fj);
                return st;
            }
            fj.msg = att_strdup(att_last_error());
            return emit(w, &fj, inline_only);
        }
        job_clear(&fj);
        FILE *g = fmemopen(text, tn, "rb");
        if (!g) {
            free(text);
            return att_error_nomem();
        }
        job t2 = *tmpl;
        st = split_stream(w, g, NULL, 0, &t2, first_of_file);
        fclose(g);
        free(text);
        return st;
    }

    size_t hpos = 0;
    for (;;) {
        const char *chunk;
        size_t cn;
        if (head && hpos < hn) {
            chunk = head;
            cn = hn;
            hpos = hn;
        } else {
            cn = fread(buf, 1, sizeof buf, f);
            chunk = buf;
            if (cn == 0)
                break;
        }
        size_t i = 0;
        while (i < cn && st == ATT_OK) {
            const char *nl = memchr(chunk + i, '\n', cn - i);
            size_t take = nl ? (size_t)(nl - (chunk + i)) : cn - i;
            consumed += take + (nl ? 1 : 0);
            if (discard)
                discarded += take;
            else if (line.len + take > w->cfg.max_file) {
                discard = true;
                discarded = line.len + take;
                line.len = 0;
            } else if ((st = att_buf_append(&line, chunk + i, take)))
                break;
            i += take + (nl ? 1 : 0);
            if (!nl)
                break;
            /* A whole line. */
            lineno++;
            if (!have) {
                if ((st = job_copy_names(&j, tmpl, JOB_LINES)))
                    break;
                have = true;
                cap_lines = 0;
            }
            size_t ln = line.len;
            while (ln && (line.data[ln - 1] == '\r'))
                ln--;
            bool blank = true;
            for (size_t k = 0; k < ln && blank; k++)
                blank = line.data[k] == ' ' || line.data[k] == '\t' ||
                        line.data[k] == '\r';
            if (discard || !blank) {
                if (j.n_lines == cap_lines) {
                    size_t c = cap_lines ? cap_lines * 2 : 8;
                    jline *nlp = att_realloc_array(j.lines, c, sizeof *nlp);
                    if (!nlp) {
                        st = att_error_nomem();
                        break;
                    }
                    j.lines = nlp;
                    cap_lines = c;
                }
                jline *l = &j.lines[j.n_lines++];
                l->line = lineno;
                l->too_large = discard;
                l->off = j.len;
                l->len = discard ? discarded : ln;
                kept++;
                if (!discard) {
                    char *d = realloc(j.data, j.len + ln + 1);
                    if (!d) {
                        st = att_error_nomem();
                        break;
                    }
                    j.data = d;
                    memcpy(j.data + j.len, line.data, ln);
                    j.len += ln;
                    j.data[j.len] = '\0';
                }
            }
            line.len = 0;
            discard = false;
            discarded = 0;
            if (j.n_lines >= LINES_PER_JOB || j.len >= JOB_BYTES) {
                j.counts_file = first;
                first = false;
                j.bytes = first_of_file ? consumed : 0;
                consumed = 0;
                have = false;
                if ((st = emit(w, &j, inline_only)))
                    break;
                if (w->stop)
                    break;
            }
        }
        if (st || w->stop)
            break;
    }
    if (st == ATT_OK && !w->stop && ferror(f)) {
        int e = errno;
        st = ATT_IO;
        att_error_set(ATT_IO, "%s: read error: %s", tmpl->path, strerror(e));
        /* reported as a skip of the rest of the file, below */
        job fj;
        if (have)
            job_clear(&j);
        have = false;
        if ((st = job_copy_names(&fj, tmpl, JOB_FAILED)) == ATT_OK) {
            fj.st = ATT_IO;
            fj.why = ATT_SKIP_UNREADABLE;
            fj.msg = att_strdup(att_last_error());
            fj.counts_file = first;
            fj.last_of_file = false;
            fj.bytes = consumed;
            st = emit(w, &fj, inline_only);
        }
        att_buf_free(&line);
        return st;
    }
    /* The last line, without a newline. */
    if (st == ATT_OK && !w->stop && (line.len || discard)) {
        lineno++;
        size_t ln = line.len;
        while (ln && line.data[ln - 1] == '\r')
            ln--;
        bool blank = true;
        for (size_t k = 0; k < ln && blank; k++)
            blank = line.data[k] == ' ' || line.data[k] == '\t';
        if (discard || !blank) {
            if (!have && (st = job_copy_names(&j, tmpl, JOB_LINES)) == ATT_OK)
                have = true;
            if (st == ATT_OK) {
                jline *nlp = att_realloc_array(j.lines, j.n_lines + 1, sizeof *nlp);
                char *d = nlp ? realloc(j.data, j.len + ln + 1) : NULL;
                if (nlp)
                    j.lines = nlp;
                if (!d) {
                    st = att_error_nomem();
                } else {
                    j.data = d;
                    jline *l = &j.lines[j.n_lines++];
                    l->line = lineno;
                    l->too_large = discard;
                    l->off = j.len;
                    l->len = discard ? discarded : ln;
                    if (!discard)
                        memcpy(j.data + j.len, line.data, ln);
                    j.len += discard ? 0 : ln;
                    j.data[j.len] = '\0';
                    kept++;
                }
            }
        }
    }
    att_buf_free(&line);
    if (st || w->stop) {
        if (have)
            job_clear(&j);
        return st;
    }
    if (!have && (st = job_copy_names(&j, tmpl, JOB_LINES)))
        return st;
    j.counts_file = first;
    j.last_of_file = tmpl->last_of_file || first_of_file;
    j.bytes = first_of_file ? consumed : 0;
    if (!kept) {
        /* A file without a single line of JSON. */
        j.kind = JOB_FAILED;
        j.st = att_error_set(ATT_NOT_FOUND, "%s: no article text (empty file)",
                             tmpl->path);
        j.why = ATT_SKIP_EMPTY;
        j.msg = att_strdup(att_last_error());
    }
    return emit(w, &j, inline_only);
}

/* A JSON Lines file of the walk: opened and split here. */
static att_status submit_lines(walk *w, const char *path, const char *rel,
                               const char *head, size_t hn, FILE *f)
{
    job t;
    att_status st = job_init(w, &t, JOB_LINES, path, rel, true);
    if (st)
        return st;
    t.last_of_file = true;
    st = split_stream(w, f, head, hn, &t, true);
    job_clear(&t);
    return st;
}

/* One file of the walk: a job of its own, or split into lines. */
static att_status submit_file(walk *w, const char *path, const char *rel)
{
    const char *e = ext_of(rel);
    bool lines = false, sniff = false;
    switch (w->cfg.format) {
    case ATT_INPUT_JSONL:
        lines = true;
        break;
    case ATT_INPUT_NINJS:
        sniff = true;
        break;
    case ATT_INPUT_AUTO:
        lines = !strcasecmp(e, "jsonl") || !strcasecmp(e, "ndjson");
        sniff = !strcasecmp(e, "json");
        break;
    default:
        break;
    }
    if (lines || sniff) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            int err = errno;
            job j;
            att_status st = job_init(w, &j, JOB_FAILED, path, rel, true);
            if (st)
                return st;
            j.counts_file = j.last_of_file = true;
            j.st = att_error_set(ATT_IO, "%s: cannot open: %s", path, strerror(err));
            j.why = ATT_SKIP_UNREADABLE;
            j.msg = att_strdup(att_last_error());
            return submit(w, &j);
        }
        char *head = malloc(SNIFF_BYTES);
        if (!head) {
            fclose(f);
            return att_error_nomem();
        }
        size_t hn = fread(head, 1, SNIFF_BYTES, f);
        att_status st = ATT_OK;
        if (!lines && att_sniff(head, hn) == ATT_SHAPE_JSON_LINES)
            lines = true;
        if (lines)
            st = submit_lines(w, path, rel, head, hn, f);
        free(head);
        fclose(f);
        if (lines)
            return st;
    }
    job j;
    att_status st = job_init(w, &j, JOB_FILE, path, rel, true);
    if (st)
        return st;
    j.counts_file = j.last_of_file = true;
    return submit(w, &j);
}

/* Reports an input the walk itself could not open.  Slots in flight come
 * first, so events keep the order of a one-job run. */
static att_status walk_skip(walk *w, const char *path)
{
    char *msg = att_strdup(att_last_error());
    att_status st = pool_drain(w, true);
    if (st == ATT_OK && !w->stop) {
        w->stats->skipped++;
        w->stats->skipped_by[ATT_SKIP_UNREADABLE]++;
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
            st = submit_file(w, child.data, crel.data);
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

/* ---- prune ------------------------------------------------------------------------- */

static att_status prune_one(void *ctx, uint32_t docid, const char *origin,
                            size_t n)
{
    walk *w = ctx;
    if (w->stop)
        return ATT_OK;
    if (!w->root_is_dir && strlen(w->root_abs) != n)
        return ATT_OK; /* another file that starts with the same path */
    struct stat sb;
    bool gone = stat(origin, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR);
    if (!gone && !(keyset_has(&w->fully_read, att_hash64(origin, n)) &&
                   !seen_has(w, docid)))
        return ATT_OK;
    char *data = NULL;
    size_t len = 0;
    att_status st = att_shim_ingest_delete(w->ix->db, docid, &data, &len);
    if (st)
        return st;
    att_article *a = NULL;
    if (att_record_decode(data, len, &a) != ATT_OK)
        a = NULL;
    free(data);
    w->stats->pruned++;
    notify(w, ATT_INGEST_PRUNED, origin, a ? a->id : NULL, ATT_OK, NULL);
    att_article_free(a);
    return after_write(w, 0);
}

static att_status prune(walk *w)
{
    if (!w->root_abs)
        return ATT_OK;
    att_buf prefix = ATT_BUF_INIT;
    att_status st = att_buf_puts(&prefix, w->root_abs);
    if (!st && w->root_is_dir && prefix.data[prefix.len - 1] != '/')
        st = att_buf_putc(&prefix, '/');
    if (!st)
        st = att_shim_ingest_origins(w->ix->db, prefix.data, prefix.len,
                                     prune_one, w);
    att_buf_free(&prefix);
    return st;
}

/* ---- the entry points ----------------------------------------------------------- */

typedef struct run_input {
    const char *path;       /* a path, or NULL for a stream */
    FILE *stream;
    const char *name;       /* the stream's name */
} run_input;

static att_status ingest_run(att_index *ix, const run_input *in,
                             const att_ingest_options *opts,
                             att_ingest_stats *stats);

static att_status ingest_entry(att_index *ix, const run_input *in,
                               const att_ingest_options *opts,
                               att_ingest_stats *stats)
{
    /* The run counts into `all`; the caller's struct gets as much of it as
     * its options version says it has room for. */
    att_ingest_stats all;
    memset(&all, 0, sizeof all);
    size_t room = !opts || opts->version >= 4 ? sizeof all
                  : opts->version == 3       ? offsetof(att_ingest_stats, articles_replaced)
                                             : offsetof(att_ingest_stats, converted);
    if (stats)
        memset(stats, 0, room);
    if (!ix || (in->path && !*in->path) || (!in->path && (!in->stream || !in->name || !*in->name)))
        return att_error_set(ATT_INVALID, "att_ingest: NULL argument");
    if (opts && (opts->version < 1 || opts->version > ATT_INGEST_OPTIONS_VERSION))
        return att_error_set(ATT_INVALID,
                             "att_ingest: options version %d, expected %d "
                             "(or 1 to 3)",
                             opts->version, ATT_INGEST_OPTIONS_VERSION);
    if (opts && opts->version >= 4 &&
        (opts->format > ATT_INPUT_HTML || (opts->flags & ~(unsigned)ATT_INGEST_PRUNE)))
        return att_error_set(ATT_INVALID, "att_ingest: unknown format %d or "
                             "flags 0x%x", (int)opts->format, opts->flags);
    att_status st = ingest_run(ix, in, opts, &all);
    if (stats)
        memcpy(stats, &all, room);
    return st;
}

ATT_API att_status att_ingest(att_index *ix, const char *path,
                              const att_ingest_options *opts,
                              att_ingest_stats *stats)
{
    if (!path)
        return ingest_entry(ix, &(run_input){"", NULL, NULL}, opts, stats);
    return ingest_entry(ix, &(run_input){path, NULL, NULL}, opts, stats);
}

ATT_API att_status att_ingest_stream(att_index *ix, FILE *in, const char *name,
                                     const att_ingest_options *opts,
                                     att_ingest_stats *stats)
{
    return ingest_entry(ix, &(run_input){NULL, in, name}, opts, stats);
}

/* A stream: JSON lines split as they come, anything else read whole. */
static att_status ingest_stream(walk *w, FILE *f, const char *name)
{
    char *head = malloc(SNIFF_BYTES);
    if (!head)
        return att_error_nomem();
    size_t hn = fread(head, 1, SNIFF_BYTES, f);
    att_status st;
    if (ferror(f)) {
        int e = errno;
        free(head);
        return att_error_set(ATT_IO, "%s: read error: %s", name, strerror(e));
    }
    att_input_format fm = w->cfg.format;
    bool lines = fm == ATT_INPUT_JSONL ||
                 ((fm == ATT_INPUT_AUTO || fm == ATT_INPUT_NINJS) &&
                  att_sniff(head, hn) == ATT_SHAPE_JSON_LINES);
    job j;
    if ((st = job_init(w, &j, lines ? JOB_LINES : JOB_DATA, name, name, false))) {
        free(head);
        return st;
    }
    if (lines) {
        j.last_of_file = true;
        st = split_stream(w, f, head, hn, &j, true);
        job_clear(&j);
        free(head);
        return st;
    }
    /* One document: all of it, up to the limit. */
    att_buf all = ATT_BUF_INIT;
    st = att_buf_append(&all, head, hn);
    free(head);
    char buf[65536];
    size_t got;
    bool too_large = all.len > w->cfg.max_file;
    while (!st && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (too_large || all.len + got > w->cfg.max_file) {
            too_large = true; /* read on to the end, keep nothing */
            all.len += got;
            continue;
        }
        st = att_buf_append(&all, buf, got);
    }
    if (!st && ferror(f)) {
        int e = errno;
        st = att_error_set(ATT_IO, "%s: read error: %s", name, strerror(e));
    }
    if (st) {
        att_buf_free(&all);
        job_clear(&j);
        return st;
    }
    j.counts_file = j.last_of_file = true;
    j.bytes = all.len;
    if (too_large) {
        j.kind = JOB_FAILED;
        j.st = att_error_set(ATT_INVALID, "%s: larger than the limit of %zu bytes",
                             name, w->cfg.max_file);
        j.why = ATT_SKIP_TOO_LARGE;
        j.msg = att_strdup(att_last_error());
        att_buf_free(&all);
    } else {
        if (!all.data && (st = att_buf_reserve(&all, 0))) {
            job_clear(&j);
            return st;
        }
        j.data = all.data;
        j.len = all.len;
    }
    return submit(w, &j);
}

static att_status ingest_run(att_index *ix, const run_input *in,
                             const att_ingest_options *opts,
                             att_ingest_stats *stats)
{
    const char *what = in->path ? in->path : in->name;
    if (!att_shim_writable(ix->db))
        return att_error_set(ATT_READ_ONLY, "cannot index %s: index %s is "
                             "open read-only", what, ix->path);
    walk w;
    memset(&w, 0, sizeof w);
    w.ix = ix;
    w.o = opts;
    w.version = opts ? opts->version : ATT_INGEST_OPTIONS_VERSION;
    w.stats = stats;
    w.batch = opts && opts->batch_size ? opts->batch_size : DEFAULT_BATCH;
    w.cfg.max_file = opts && opts->max_file_size ? opts->max_file_size
                                                 : DEFAULT_MAX_FILE;
    w.cfg.format = opts && opts->version >= 4 ? opts->format : ATT_INPUT_AUTO;
    w.prune = opts && opts->version >= 4 && (opts->flags & ATT_INGEST_PRUNE) &&
              in->path;
    size_t jobs = 1;
    if (opts && opts->version >= 2) {
        jobs = opts->jobs;
        if (jobs == 0) {
            /* A worker per core and the writer: reading, analysing and
             * extracting entities are most of the work, and the writer
             * waits for them much of the time, so it shares a core
             * (docs/PERFORMANCE.md: on 2 cores, Reuters in 12.1 s with
             * 3 threads against 14.6 s with 2). */
            long n = sysconf(_SC_NPROCESSORS_ONLN);
            jobs = n > 0 ? (size_t)n + 1 : 1;
        }
        if (jobs > MAX_JOBS)
            jobs = MAX_JOBS;
    }
    uint64_t count = 0;
    att_status st = att_shim_doccount(ix->db, &count);
    if (st)
        return st;
    w.cfg.lookups = count > 0;
    /* libxml2 wants its set-up done once, before threads use it. */
    att_html_init();

    bool tree = false;
    struct stat sb;
    if (in->path) {
        if (stat(in->path, &sb) != 0) {
            int e = errno;
            return att_error_set(e == ENOENT ? ATT_NOT_FOUND : ATT_IO, "%s: %s",
                                 in->path, strerror(e));
        }
        tree = S_ISDIR(sb.st_mode);
        w.root_is_dir = tree;
        w.root_abs = realpath(in->path, NULL); /* NULL: no origins */
    }
    /* A pool pays off for a tree or a stream of lines; one file read
     * whole needs no threads.  The calling thread is the writer, one of
     * the `jobs` threads: Xapian's writer is most of the work, so on two
     * cores one worker and the writer beat two workers and the writer
     * (docs/PERFORMANCE.md). */
    bool lines_file = in->path && !tree &&
                      (w.cfg.format == ATT_INPUT_JSONL ||
                       (w.cfg.format != ATT_INPUT_TEXT && w.cfg.format != ATT_INPUT_HTML &&
                        (!strcasecmp(ext_of(in->path), "jsonl") ||
                         !strcasecmp(ext_of(in->path), "ndjson") ||
                         !strcasecmp(ext_of(in->path), "json"))));
    if (jobs > 1 && (tree || !in->path || lines_file) &&
        (st = pool_new(&w.pool, jobs - 1, &w.cfg, ix))) {
        free(w.root_abs);
        return st;
    }
    if (tree) {
        st = ingest_dir(&w, in->path, "");
    } else if (in->path) {
        const char *base = strrchr(in->path, '/');
        base = base ? base + 1 : in->path;
        st = submit_file(&w, in->path, base);
    } else {
        st = ingest_stream(&w, in->stream, in->name);
    }
    att_status s2 = pool_drain(&w, st == ATT_OK);
    if (st == ATT_OK)
        st = s2;
    pool_free(w.pool);
    w.pool = NULL;
    if (st == ATT_OK && w.prune && !w.stop)
        st = prune(&w);
    if (st == ATT_OK)
        st = commit_batch(&w, true);
    keyset_free(&w.written);
    keyset_free(&w.fully_read);
    free(w.seen);
    free(w.root_abs);
    return st;
}
