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
 */
#include "../common/index.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_BATCH 1000
#define DEFAULT_MAX_FILE (64u * 1024 * 1024)

typedef struct walk {
    att_index *ix;
    const att_ingest_options *o;
    att_ingest_stats *stats;
    size_t batch;
    size_t max_file;
    size_t pending;   /* articles since the last commit */
    bool stop;        /* the callback asked to stop */
} walk;

static void notify(walk *w, att_ingest_event ev, const char *path,
                   const char *id, att_status st, const char *msg)
{
    if (w->o && w->o->callback &&
        w->o->callback(w->o->callback_ctx, ev, path, id, st, msg, w->stats))
        w->stop = true;
}

static att_status commit_batch(walk *w)
{
    if (!w->pending)
        return ATT_OK;
    att_status st = att_index_commit(w->ix);
    if (st)
        return st;
    w->pending = 0;
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

static att_status ingest_file(walk *w, const char *path, const char *rel)
{
    char *id = make_id(rel);
    char *text = NULL;
    size_t len = 0;
    att_article *a = NULL;
    if (!id)
        return att_error_nomem();
    w->stats->files++;
    att_status st = att_read_file(path, w->max_file, &text, &len);
    if (st == ATT_OK) {
        w->stats->bytes += len;
        st = att_text_parse(&a, id, text, len);
        if (st)
            att_error_prefix("%s", path);
    }
    if (st == ATT_OK) {
        st = att_index_put(w->ix, a);
        if (st == ATT_OK) {
            w->stats->added++;
            w->pending++;
            notify(w, ATT_INGEST_ADDED, path, id, ATT_OK, NULL);
            if (w->pending >= w->batch)
                st = commit_batch(w);
        } else if (!fatal(st)) {
            att_error_prefix("%s", path);
        }
    }
    if (st != ATT_OK && !fatal(st)) {
        w->stats->skipped++;
        notify(w, ATT_INGEST_SKIPPED, path, id, st, att_last_error());
        st = ATT_OK;
    }
    att_article_free(a);
    free(text);
    free(id);
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
        w->stats->skipped++;
        att_error_set(ATT_IO, "%s: cannot read directory: %s", path,
                      strerror(e));
        notify(w, ATT_INGEST_SKIPPED, path, NULL, ATT_IO, att_last_error());
        return ATT_OK;
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
            w->stats->skipped++;
            att_error_set(ATT_IO, "%s: %s", child.data, strerror(e));
            notify(w, ATT_INGEST_SKIPPED, child.data, NULL, ATT_IO,
                   att_last_error());
        } else if (S_ISDIR(sb.st_mode)) {
            if (!S_ISLNK(lsb.st_mode))
                st = ingest_dir(w, child.data, crel.data);
        } else if (S_ISREG(sb.st_mode) && is_article_name(names[i])) {
            st = ingest_file(w, child.data, crel.data);
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

ATT_API att_status att_ingest(att_index *ix, const char *path,
                              const att_ingest_options *opts,
                              att_ingest_stats *stats)
{
    att_ingest_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    if (!ix || !path || !*path)
        return att_error_set(ATT_INVALID, "att_ingest: NULL argument");
    if (opts && opts->version != ATT_INGEST_OPTIONS_VERSION)
        return att_error_set(ATT_INVALID,
                             "att_ingest: options version %d, expected %d",
                             opts->version, ATT_INGEST_OPTIONS_VERSION);
    if (!att_shim_writable(ix->db))
        return att_error_set(ATT_READ_ONLY, "cannot index %s: index %s is "
                             "open read-only", path, ix->path);
    walk w = {ix, opts, stats, DEFAULT_BATCH, DEFAULT_MAX_FILE, 0, false};
    if (opts && opts->batch_size)
        w.batch = opts->batch_size;
    if (opts && opts->max_file_size)
        w.max_file = opts->max_file_size;

    struct stat sb;
    if (stat(path, &sb) != 0) {
        int e = errno;
        return att_error_set(e == ENOENT ? ATT_NOT_FOUND : ATT_IO, "%s: %s",
                             path, strerror(e));
    }
    att_status st;
    if (S_ISDIR(sb.st_mode)) {
        st = ingest_dir(&w, path, "");
    } else {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        st = ingest_file(&w, path, base);
    }
    if (st == ATT_OK)
        st = commit_batch(&w);
    return st;
}
