/*
 * tmpdir.h: throw-away directories for tests, shared by the unit suites
 * (tests/unit/helpers.h) and the end-to-end suites (tests/e2e/e2e.h):
 * make one under /tmp, build paths in it, remove it like rm -rf.
 */
#ifndef ATT_TEST_TMPDIR_H
#define ATT_TEST_TMPDIR_H

#include <criterion/criterion.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int tmpdir_rm_cb(const char *p, const struct stat *sb, int flag,
                        struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p);
}

/* Removes a tree (like rm -rf). */
static inline void tmpdir_rm_rf(const char *path)
{
    nftw(path, tmpdir_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh directory /tmp/att-<tag>-XXXXXX; `buf` must hold 64 bytes. */
static inline char *tmpdir_make(char *buf, const char *tag)
{
    snprintf(buf, 64, "/tmp/att-%s-XXXXXX", tag);
    cr_assert_not_null(mkdtemp(buf), "mkdtemp: %s", strerror(errno));
    return buf;
}

/* dir + "/" + name into buf (4096 bytes). */
static inline char *tmpdir_path(char *buf, const char *dir, const char *name)
{
    int n = snprintf(buf, 4096, "%s/%s", dir, name);
    cr_assert(n > 0 && n < 4096, "path too long");
    return buf;
}

#endif
