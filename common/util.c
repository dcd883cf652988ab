/*
 * util.c: the small utilities every module uses: a growable byte buffer,
 * allocation with overflow checks, whole-file reading, UTF-8 validation and
 * a 64-bit hash.  Everything reports failures through error.c.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

att_status att_buf_reserve(att_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return att_error_nomem();
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return ATT_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p)
        return att_error_nomem();
    b->data = p;
    b->cap = cap;
    return ATT_OK;
}

att_status att_buf_append(att_buf *b, const void *p, size_t n)
{
    att_status st = att_buf_reserve(b, n);
    if (st != ATT_OK)
        return st;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return ATT_OK;
}

att_status att_buf_putc(att_buf *b, char c) { return att_buf_append(b, &c, 1); }

att_status att_buf_puts(att_buf *b, const char *s)
{
    return att_buf_append(b, s, strlen(s));
}

void att_buf_free(att_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void *att_malloc_array(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return malloc((n && size) ? n * size : 1);
}

void *att_realloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return realloc(p, (n && size) ? n * size : 1);
}

char *att_strndup(const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *att_strdup(const char *s) { return att_strndup(s, strlen(s)); }

att_status att_read_file(const char *path, size_t max_size, char **out,
                         size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        return att_error_set(e == ENOENT ? ATT_NOT_FOUND : ATT_IO,
                             "%s: cannot open: %s", path, strerror(e));
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0) {
        int e = errno;
        fclose(f);
        return att_error_set(ATT_IO, "%s: cannot stat: %s", path, strerror(e));
    }
    if (S_ISDIR(sb.st_mode)) {
        fclose(f);
        return att_error_set(ATT_IO, "%s: is a directory", path);
    }
    if (sb.st_size < 0 || (uint64_t)sb.st_size > max_size) {
        fclose(f);
        return att_error_set(ATT_INVALID,
                             "%s: file is larger than the limit of %zu bytes",
                             path, max_size);
    }
    att_buf b = ATT_BUF_INIT;
    att_status st = att_buf_reserve(&b, (size_t)sb.st_size);
    if (st != ATT_OK) {
        fclose(f);
        return st;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max_size) {
            fclose(f);
            att_buf_free(&b);
            return att_error_set(ATT_INVALID,
                                 "%s: file is larger than the limit of %zu bytes",
                                 path, max_size);
        }
        if ((st = att_buf_append(&b, chunk, n)) != ATT_OK) {
            fclose(f);
            att_buf_free(&b);
            return st;
        }
    }
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        att_buf_free(&b);
        return att_error_set(ATT_IO, "%s: read error: %s", path, strerror(e));
    }
    fclose(f);
    if (!b.data && (st = att_buf_reserve(&b, 0)) != ATT_OK)
        return st;
    b.data[b.len] = '\0';
    *out = b.data;
    *out_len = b.len;
    return ATT_OK;
}

bool att_utf8_valid(const char *str, size_t n, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2; cp = c & 0x1F; min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3; cp = c & 0x0F; min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4; cp = c & 0x07; min = 0x10000;
        } else {
            goto fail;
        }
        if (n - i < len)
            goto fail;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto fail;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto fail;
        i += len;
    }
    return true;
fail:
    if (bad)
        *bad = i;
    return false;
}

uint64_t att_hash64(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}
