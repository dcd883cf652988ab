/*
 * cli.c: helpers shared by the command-line front ends (see cli.h).  The
 * CLI reports every failure as one line on stderr, "attache: ...", naming
 * the file, the index or the query and position, and exits with the code
 * that cli_exit_code() gives for the library's status.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_prog = "attache";

int cli_exit_code(att_status st)
{
    switch (st) {
    case ATT_OK: return EXIT_OK;
    case ATT_INVALID: return EXIT_USAGE;
    case ATT_QUERY_SYNTAX: return EXIT_QUERY;
    case ATT_EMPTY_QUERY: return EXIT_EMPTY_QUERY;
    case ATT_NOT_FOUND: return EXIT_NO_INDEX;
    case ATT_LOCKED: return EXIT_LOCKED;
    case ATT_IO: return EXIT_INPUT;
    case ATT_ENCODING: return EXIT_INPUT;
    case ATT_CORRUPT: return EXIT_CORRUPT;
    case ATT_MODIFIED: return EXIT_RETRY;
    case ATT_NO_MEMORY: return EXIT_NO_MEMORY;
    case ATT_READ_ONLY:
    case ATT_INTERNAL: return EXIT_INTERNAL;
    }
    return EXIT_INTERNAL;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cli_prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_report(void)
{
    const char *m = att_last_error();
    cli_error("%s", *m ? m : att_strerror(att_last_status()));
}

void cli_report_query(const char *query)
{
    long pos = att_last_error_position();
    const char *m = att_last_error();
    /* The library's message starts with 'query "...": '; print our own
     * framing with a character column instead of a byte offset. */
    const char *reason = m;
    const char *colon = strstr(m, "\": ");
    if (strncmp(m, "query \"", 7) == 0 && colon)
        reason = colon + 3;
    if (pos >= 0 && (size_t)pos <= strlen(query)) {
        long col = 1;
        for (long i = 0; i < pos; i++)
            if (((unsigned char)query[i] & 0xC0) != 0x80)
                col++;
        cli_error("%s in query \"%s\" at column %ld: %s",
                  att_last_status() == ATT_EMPTY_QUERY ? "nothing to search for"
                                                       : "syntax error",
                  query, col, reason);
    } else {
        cli_error("query \"%s\": %s", query, reason);
    }
}

const char *cli_db_path(const char *opt_db)
{
    static char buf[4096];
    if (opt_db && *opt_db)
        return opt_db;
    const char *env = getenv("ATTACHE_DB");
    if (env && *env)
        return env;
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg) {
        snprintf(buf, sizeof buf, "%s/attache/index", xdg);
        return buf;
    }
    const char *home = getenv("HOME");
    snprintf(buf, sizeof buf, "%s/.local/share/attache/index",
             home && *home ? home : ".");
    return buf;
}

bool cli_parse_color(const char *arg, int *mode)
{
    if (strcmp(arg, "auto") == 0)
        *mode = 0;
    else if (strcmp(arg, "always") == 0)
        *mode = 1;
    else if (strcmp(arg, "never") == 0)
        *mode = -1;
    else
        return false;
    return true;
}

bool cli_use_color(FILE *f, int mode)
{
    if (mode < 0)
        return false;
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return false;
    if (mode > 0)
        return true;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(f));
}

bool cli_parse_size(const char *s, size_t max, size_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = (size_t)v;
    return true;
}

char *cli_join(int argc, char **argv, int from)
{
    size_t n = 1;
    for (int i = from; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int i = from; i < argc; i++) {
        if (i > from)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}
