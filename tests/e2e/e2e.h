/*
 * e2e.h: helpers for the end-to-end suites, which run the `attache`
 * program ($ATTACHE_BIN) as a user would: fork/exec with stdin from a
 * string, stdout and stderr captured into memory, and the exit status.
 * The bundled sample corpus is $ATTACHE_SRC/corpus/samples (override with
 * $ATTACHE_SAMPLES).  Each test makes its own temporary directory.
 */
#ifndef ATT_E2E_H
#define ATT_E2E_H

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw */
#endif

#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tmpdir.h"

typedef struct e2e_result {
    int status;  /* exit code, or 128 + signal */
    char *out;   /* captured stdout (NUL-terminated) */
    char *err;   /* captured stderr */
} e2e_result;

static inline const char *e2e_bin(void)
{
    const char *b = getenv("ATTACHE_BIN");
    cr_assert(b && *b, "ATTACHE_BIN is not set");
    return b;
}

static inline const char *e2e_samples(void)
{
    static char buf[4096];
    const char *s = getenv("ATTACHE_SAMPLES");
    if (s && *s)
        return s;
    const char *src = getenv("ATTACHE_SRC");
    cr_assert(src && *src, "ATTACHE_SRC is not set");
    snprintf(buf, sizeof buf, "%s/corpus/samples", src);
    struct stat sb;
    cr_assert(stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode),
              "the sample corpus %s is missing", buf);
    return buf;
}


static inline void e2e_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static inline char *e2e_slurp(FILE *f)
{
    size_t cap = 4096, len = 0;
    char *b = malloc(cap);
    cr_assert_not_null(b);
    rewind(f);
    size_t n;
    while ((n = fread(b + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            b = realloc(b, cap);
            cr_assert_not_null(b);
        }
    }
    b[len] = '\0';
    return b;
}

/* Starts the program with argv (NULL-terminated, argv[0] not included);
 * stdin is `in` (or /dev/null), stdout/stderr go to the given FILEs. */
static inline pid_t e2e_spawn(const char *in, FILE *out, FILE *err,
                              char *const *args)
{
    char *argv[64];
    size_t n = 0;
    argv[n++] = (char *)e2e_bin();
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    FILE *inf = tmpfile();
    cr_assert_not_null(inf);
    if (in)
        fputs(in, inf);
    fflush(inf);
    rewind(inf);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        dup2(fileno(inf), 0);
        dup2(fileno(out), 1);
        dup2(fileno(err), 2);
        /* Keep the user's configuration out of the tests. */
        unsetenv("ATTACHE_DB");
        unsetenv("NO_COLOR");
        execv(argv[0], argv);
        _exit(127);
    }
    fclose(inf);
    return pid;
}

static inline int e2e_wait(pid_t pid)
{
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        cr_assert_eq(errno, EINTR);
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

/* Runs the program to completion. */
static inline e2e_result e2e_run_argv(const char *in, char *const *args)
{
    FILE *out = tmpfile(), *err = tmpfile();
    cr_assert(out && err);
    pid_t pid = e2e_spawn(in, out, err, args);
    e2e_result r;
    r.status = e2e_wait(pid);
    r.out = e2e_slurp(out);
    r.err = e2e_slurp(err);
    fclose(out);
    fclose(err);
    return r;
}

/* e2e_run(stdin_or_NULL, "search", "--db", d, "q", NULL) */
#define e2e_run(in, ...) e2e_run_argv((in), (char *const[]){__VA_ARGS__})

static inline void e2e_free(e2e_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Counts occurrences of needle in hay. */
static inline int e2e_count(const char *hay, const char *needle)
{
    int n = 0;
    size_t nl = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += nl)
        n++;
    return n;
}

/* The number of lines in s (a last line without newline counts). */
static inline int e2e_lines(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p++)
        if (*p == '\n')
            n++;
    if (*s && s[strlen(s) - 1] != '\n')
        n++;
    return n;
}

/* Reads the integer after "key": in JSON text; -1 if absent. */
static inline long e2e_json_int(const char *json, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* Decodes the JSON string starting at *pp (just after its opening quote)
 * into a malloc'd UTF-8 buffer; *pp moves past the closing quote. */
static inline char *e2e_json_string(const char **pp, size_t *outlen)
{
    const char *p = *pp;
    size_t cap = strlen(p) + 1, n = 0;
    char *o = malloc(cap);
    cr_assert_not_null(o);
    while (*p && *p != '"') {
        if (*p != '\\') {
            o[n++] = *p++;
            continue;
        }
        p++;
        char c = *p++;
        switch (c) {
        case 'n': o[n++] = '\n'; break;
        case 't': o[n++] = '\t'; break;
        case 'r': o[n++] = '\r'; break;
        case 'b': o[n++] = '\b'; break;
        case 'f': o[n++] = '\f'; break;
        case 'u': {
            unsigned long u = strtoul((char[5]){p[0], p[1], p[2], p[3], 0}, NULL, 16);
            p += 4;
            if (u >= 0xD800 && u < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
                unsigned long lo =
                    strtoul((char[5]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
                p += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (u < 0x80) {
                o[n++] = (char)u;
            } else if (u < 0x800) {
                o[n++] = (char)(0xC0 | (u >> 6));
                o[n++] = (char)(0x80 | (u & 0x3F));
            } else if (u < 0x10000) {
                o[n++] = (char)(0xE0 | (u >> 12));
                o[n++] = (char)(0x80 | ((u >> 6) & 0x3F));
                o[n++] = (char)(0x80 | (u & 0x3F));
            } else {
                o[n++] = (char)(0xF0 | (u >> 18));
                o[n++] = (char)(0x80 | ((u >> 12) & 0x3F));
                o[n++] = (char)(0x80 | ((u >> 6) & 0x3F));
                o[n++] = (char)(0x80 | (u & 0x3F));
            }
            break;
        }
        default: o[n++] = c; break; /* \" \\ \/ */
        }
    }
    cr_assert_eq(*p, '"', "unterminated JSON string");
    *pp = p + 1;
    o[n] = '\0';
    *outlen = n;
    return o;
}

/* Calls fn for every highlight range [a, b) of `text` in the JSON output,
 * where the text is a snippet's "text" followed by its "highlights", or a
 * hit's "title" followed by "title_highlights".  Returns ranges seen. */
typedef void (*e2e_range_fn)(const char *text, size_t len, long a, long b);

static inline int e2e_json_ranges(const char *json, e2e_range_fn fn)
{
    int seen = 0;
    const char *keys[][2] = {{"\"text\":\"", ",\"highlights\":["},
                             {"\"title\":\"", ",\"title_highlights\":["}};
    for (int k = 0; k < 2; k++) {
        const char *p = json;
        while ((p = strstr(p, keys[k][0])) != NULL) {
            p += strlen(keys[k][0]);
            size_t len;
            char *text = e2e_json_string(&p, &len);
            size_t hl = strlen(keys[k][1]);
            cr_assert_eq(strncmp(p, keys[k][1], hl), 0,
                         "expected %s after the text", keys[k][1]);
            p += hl;
            while (*p == '[') {
                char *e;
                long a = strtol(p + 1, &e, 10);
                cr_assert_eq(*e, ',');
                long b = strtol(e + 1, &e, 10);
                cr_assert_eq(*e, ']');
                cr_assert(a >= 0 && a < b && (size_t)b <= len,
                          "range [%ld,%ld) outside text of %zu bytes", a, b, len);
                fn(text, len, a, b);
                seen++;
                p = e + 1;
                if (*p == ',')
                    p++;
            }
            free(text);
        }
    }
    return seen;
}

#endif
