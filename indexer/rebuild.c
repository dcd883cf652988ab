/*
 * rebuild.c: rebuilding an index from scratch (att_rebuild_*, attache.h;
 * `attache index --rebuild`).
 *
 * The new index is written in a staging directory beside the old one,
 * PATH.rebuild, while the old index stays where it is, searchable, and
 * locked against other writers (this handle holds its write lock).  When
 * the caller says the new index is complete, it is committed and closed,
 * and the two directories are exchanged in one step with Linux's
 * renameat2(RENAME_EXCHANGE): a searcher opening PATH sees the old index
 * or the new one, never neither.  Where the file system cannot exchange
 * (EINVAL, ENOSYS), the old directory is renamed away (PATH.old) and the
 * new one renamed into place, with a moment in between when PATH does
 * not exist.  Searchers that had the old index open keep reading it (its
 * files stay open) until they reopen.  Then the old directory is removed.
 * A rebuild that is abandoned, or a process that dies, leaves the old
 * index as it was; the next rebuild removes a staging directory left
 * behind.
 *
 * Only a directory that holds a Xapian database (the file iamglass) or
 * nothing at all is ever replaced or removed: --rebuild of a directory
 * with other files in it is refused rather than wiping it.
 */
#define _GNU_SOURCE /* renameat2, nftw */
#include "../common/index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

struct att_rebuild {
    char *path;        /* the index's place */
    char *staging;     /* PATH.rebuild: the new index until it is done */
    att_index *old;    /* the old index, held for its lock (or NULL) */
    att_index *fresh;  /* the new index */
};

/* What a directory is: absent, empty, a Xapian database, or other. */
enum { DIR_ABSENT, DIR_EMPTY, DIR_XAPIAN, DIR_OTHER };

static int dir_kind(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT ? DIR_ABSENT : DIR_OTHER;
    if (!S_ISDIR(sb.st_mode))
        return DIR_OTHER;
    char marker[4096];
    snprintf(marker, sizeof marker, "%s/iamglass", path);
    if (stat(marker, &sb) == 0)
        return DIR_XAPIAN;
    DIR *d = opendir(path);
    if (!d)
        return DIR_OTHER;
    struct dirent *de;
    int kind = DIR_EMPTY;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            kind = DIR_OTHER;
            break;
        }
    closedir(d);
    return kind;
}

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p) != 0 && errno != ENOENT ? -1 : 0;
}

/* Removes a directory tree (rm -rf). */
static att_status remove_tree(const char *path)
{
    if (nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT) {
        int e = errno;
        return att_error_set(ATT_IO, "cannot remove %s: %s", path, strerror(e));
    }
    return ATT_OK;
}

static void rebuild_free(att_rebuild *rb)
{
    att_index_close(rb->fresh);
    att_index_close(rb->old);
    free(rb->path);
    free(rb->staging);
    free(rb);
}

ATT_API att_status att_rebuild_begin(att_rebuild **out, const char *path,
                                     unsigned flags)
{
    if (!out)
        return att_error_set(ATT_INVALID, "att_rebuild_begin: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return att_error_set(ATT_INVALID, "att_rebuild_begin: no path given");
    if (flags & ~(unsigned)(ATT_OPEN_WRITE | ATT_OPEN_CREATE | ATT_OPEN_WAIT |
                            ATT_OPEN_EXACT_FORMS | ATT_OPEN_NO_ENTITIES))
        return att_error_set(ATT_INVALID, "att_rebuild_begin: unknown flags 0x%x",
                             flags);
    att_rebuild *rb = calloc(1, sizeof *rb);
    if (!rb)
        return att_error_nomem();
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    rb->path = att_strndup(path, n);
    rb->staging = malloc(n + sizeof ".rebuild");
    if (!rb->path || !rb->staging) {
        rebuild_free(rb);
        return att_error_nomem();
    }
    snprintf(rb->staging, n + sizeof ".rebuild", "%s.rebuild", rb->path);

    att_status st = ATT_OK;
    int kind = dir_kind(rb->path);
    if (kind == DIR_OTHER) {
        st = att_error_set(ATT_INVALID, "cannot rebuild %s: it is not an index "
                           "(a directory with other files, or not a directory); "
                           "--rebuild only replaces an index", rb->path);
        goto fail;
    }
    unsigned settings = flags & (ATT_OPEN_EXACT_FORMS | ATT_OPEN_NO_ENTITIES);
    if (kind == DIR_XAPIAN) {
        /* Hold the old index's lock; keep its settings. */
        st = att_index_open(&rb->old, rb->path,
                            ATT_OPEN_WRITE | (flags & ATT_OPEN_WAIT));
        if (st == ATT_OK) {
            if (att_shim_exact_forms(rb->old->db))
                settings |= ATT_OPEN_EXACT_FORMS;
            if (!att_shim_entities(rb->old->db))
                settings |= ATT_OPEN_NO_ENTITIES;
        } else if (st == ATT_CORRUPT) {
            /* Another schema version: what a rebuild is for. */
            rb->old = NULL;
            st = ATT_OK;
        } else {
            goto fail;
        }
    }
    int sk = dir_kind(rb->staging);
    if (sk == DIR_OTHER) {
        st = att_error_set(ATT_INVALID, "cannot rebuild %s: %s exists and is not "
                           "a staging index; remove it first", rb->path,
                           rb->staging);
        goto fail;
    }
    if (sk != DIR_ABSENT && (st = remove_tree(rb->staging)))
        goto fail;
    st = att_index_open(&rb->fresh, rb->staging,
                        ATT_OPEN_WRITE | ATT_OPEN_CREATE | settings);
    if (st)
        goto fail;
    *out = rb;
    return ATT_OK;
fail:
    if (rb->fresh) {
        att_index_close(rb->fresh);
        rb->fresh = NULL;
        remove_tree(rb->staging);
    }
    rebuild_free(rb);
    return st;
}

ATT_API att_index *att_rebuild_index(att_rebuild *rb)
{
    return rb ? rb->fresh : NULL;
}

ATT_API void att_rebuild_abort(att_rebuild *rb)
{
    if (!rb)
        return;
    att_index_close(rb->fresh);
    rb->fresh = NULL;
    remove_tree(rb->staging);
    rebuild_free(rb);
}

ATT_API att_status att_rebuild_finish(att_rebuild *rb)
{
    if (!rb)
        return att_error_set(ATT_INVALID, "att_rebuild_finish: NULL argument");
    att_status st = att_index_commit(rb->fresh);
    if (st) {
        att_rebuild_abort(rb);
        return st;
    }
    att_index_close(rb->fresh);
    rb->fresh = NULL;
    const char *gone = rb->staging; /* where the old index ends up */
    char *aside = NULL;
    if (dir_kind(rb->path) == DIR_ABSENT) {
        if (rename(rb->staging, rb->path) != 0) {
            int e = errno;
            st = att_error_set(ATT_IO, "cannot move the rebuilt index %s to %s: %s",
                               rb->staging, rb->path, strerror(e));
        }
        gone = NULL;
    } else if (syscall(SYS_renameat2, AT_FDCWD, rb->staging, AT_FDCWD, rb->path,
                       RENAME_EXCHANGE) != 0) {
        int e = errno;
        if (e != EINVAL && e != ENOSYS) {
            st = att_error_set(ATT_IO, "cannot put the rebuilt index %s in place "
                               "of %s: %s", rb->staging, rb->path, strerror(e));
        } else {
            /* No exchange here: aside, then into place. */
            size_t n = strlen(rb->path) + sizeof ".old";
            aside = malloc(n);
            if (!aside) {
                st = att_error_nomem();
            } else {
                snprintf(aside, n, "%s.old", rb->path);
                if (dir_kind(aside) == DIR_XAPIAN || dir_kind(aside) == DIR_EMPTY)
                    remove_tree(aside);
                if (rename(rb->path, aside) != 0) {
                    e = errno;
                    st = att_error_set(ATT_IO, "cannot move %s aside: %s",
                                       rb->path, strerror(e));
                } else if (rename(rb->staging, rb->path) != 0) {
                    e = errno;
                    st = att_error_set(ATT_IO, "cannot move the rebuilt index "
                                       "into %s: %s", rb->path, strerror(e));
                    rename(aside, rb->path); /* the old one back */
                }
                gone = aside;
            }
        }
    }
    /* The old index's lock goes with its handle, after the exchange. */
    att_index_close(rb->old);
    rb->old = NULL;
    if (st) {
        remove_tree(rb->staging);
    } else if (gone) {
        att_status rs = remove_tree(gone);
        (void)rs; /* the new index is in place; a leftover is harmless */
    }
    free(aside);
    rebuild_free(rb);
    return st;
}
