/*
 * cli.h: what the command-line front ends share (cli.c): exit codes, the
 * one-line error report, the index location, terminal and colour detection,
 * and number parsing.  Program-only: the library never sees this.
 */
#ifndef ATT_CLI_H
#define ATT_CLI_H

#include <attache.h>
#include <stdbool.h>
#include <stdio.h>

/* Exit codes, documented in docs/CLI.md. */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 2,        /* bad option or argument */
    EXIT_QUERY = 3,        /* query syntax error */
    EXIT_EMPTY_QUERY = 4,  /* nothing to search for */
    EXIT_NO_INDEX = 5,     /* no index at the path */
    EXIT_LOCKED = 6,       /* another process is writing the index */
    EXIT_INPUT = 7,        /* an input file or directory cannot be read */
    EXIT_CORRUPT = 8,      /* the index is damaged or not an Attaché index */
    EXIT_SKIPPED = 9,      /* indexing finished but some input was skipped */
    EXIT_RETRY = 10,       /* the index kept changing during a search */
    EXIT_NO_MEMORY = 11,
    EXIT_INTERNAL = 12
};

extern const char *cli_prog; /* "attache" */

/* The exit code for a library status. */
int cli_exit_code(att_status st);

/* Prints "attache: <message>" and a newline on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports the calling thread's last library error on one line. */
void cli_report(void);

/* Reports a query error on one line: the query quoted and the 1-based
 * character column of the problem. */
void cli_report_query(const char *query);

/* The index directory: --db if given, else $ATTACHE_DB, else
 * $XDG_DATA_HOME/attache/index, else ~/.local/share/attache/index.
 * The returned string is static or from the environment. */
const char *cli_db_path(const char *opt_db);

/* Whether to emit colour / bold on `f`: a terminal, NO_COLOR unset, and
 * --color not "never" (mode: 0 auto, 1 always, -1 never). */
bool cli_use_color(FILE *f, int mode);
/* Parses --color's argument; false if it is none of auto/always/never. */
bool cli_parse_color(const char *arg, int *mode);

/* Parses a non-negative decimal integer no larger than max. */
bool cli_parse_size(const char *s, size_t max, size_t *out);

/* Joins argv[from..argc) with single spaces (malloc'd). */
char *cli_join(int argc, char **argv, int from);

/* Commands: each returns the process exit code. */
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_shell(int argc, char **argv);
int cmd_entities(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_delete(int argc, char **argv);

#endif
