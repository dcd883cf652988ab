/*
 * helpers.h: shared helpers for the unit suites (Criterion).  Every test
 * runs in its own process, so each one makes its own temporary directory
 * under /tmp and removes it before it ends.
 */
#ifndef ATT_TEST_HELPERS_H
#define ATT_TEST_HELPERS_H

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw */
#endif

#include <criterion/criterion.h>

#include <attache.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tmpdir.h"


static inline void th_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static inline void th_write_str(const char *path, const char *s)
{
    th_write(path, s, strlen(s));
}

/* Opens (creating) a writable index at `path`, asserting success. */
static inline att_index *th_open_writer(const char *path)
{
    att_index *ix = NULL;
    att_status st = att_index_open(&ix, path, ATT_OPEN_WRITE | ATT_OPEN_CREATE);
    cr_assert_eq(st, ATT_OK, "open writer %s: %s", path, att_last_error());
    cr_assert_not_null(ix);
    return ix;
}

static inline att_index *th_open_reader(const char *path)
{
    att_index *ix = NULL;
    att_status st = att_index_open(&ix, path, ATT_OPEN_READ);
    cr_assert_eq(st, ATT_OK, "open reader %s: %s", path, att_last_error());
    return ix;
}

/* Adds an article, asserting success. */
static inline void th_put(att_index *ix, const char *id, const char *title,
                          const char *body, const char *date)
{
    att_article a = ATT_ARTICLE_INIT;
    a.id = id;
    a.title = title;
    a.body = body;
    a.date = date;
    att_status st = att_index_put(ix, &a);
    cr_assert_eq(st, ATT_OK, "put %s: %s", id, att_last_error());
}

static inline void th_commit(att_index *ix)
{
    att_status st = att_index_commit(ix);
    cr_assert_eq(st, ATT_OK, "commit: %s", att_last_error());
}

static inline uint64_t th_count(att_index *ix)
{
    uint64_t n = 0;
    cr_assert_eq(att_index_count(ix, &n), ATT_OK, "%s", att_last_error());
    return n;
}

/* Runs a query that must succeed; the caller frees the results. */
static inline att_results *th_search(att_index *ix, const char *q,
                                     const att_search_options *o)
{
    att_results *r = NULL;
    att_search_options def = ATT_SEARCH_OPTIONS_INIT;
    att_status st = att_search(&r, ix, q, o ? o : &def);
    cr_assert_eq(st, ATT_OK, "search %s: %s", q, att_last_error());
    cr_assert_not_null(r);
    return r;
}

#endif
