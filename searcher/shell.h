/*
 * shell.h: the state of one `attache shell` session and what its parts
 * share (program-only).  cmd_shell.c owns the session (options, the index,
 * the read loop, history); shell_commands.c runs each line (queries and
 * the :commands); shell_complete.c is the Tab key.
 */
#ifndef ATT_SHELL_H
#define ATT_SHELL_H

#include <attache.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct shell {
    att_index *ix;
    bool color;        /* bold and colour: a terminal, NO_COLOR unset */
    bool tty;          /* standard input and output are a terminal */
    size_t limit;      /* hits per page */
    att_sort sort;     /* :sort */
    char *query;       /* the query typed last (without the filters);
                          NULL before the first, "" when only filters ran */
    char **filters;    /* :filter, each a query of its own ANDed with it */
    size_t n_filters;
    bool ran;          /* a search ran: paging, :open and :facets work */
    size_t offset;     /* the first hit of the page shown (0-based) */
    uint64_t total;    /* matches of the last search */
    char **page_ids;   /* the ids of the hits of the page shown */
    size_t n_page;
    unsigned facets;   /* top values per facet for :facets */
    bool facets_on;    /* :facets on: with every page */
    int last_rc;       /* exit status of the last line (0 if it worked) */
} shell;

#define SHELL_INIT                                                          \
    { NULL, false, false, 10, ATT_SORT_RELEVANCE, NULL, NULL, 0, false, 0,  \
      0, NULL, 0, 10, false, 0 }

/* Runs one input line: a query, n / p, or a :command.  Returns false when
 * the line asks to leave (:quit).  Sets s->last_rc. */
bool shell_line(shell *s, const char *line);

/* The prompt for the next line: "attache> ", or with the filters and the
 * sort order when they are not the defaults ("attache [place:Kabul; by
 * date]> ").  Borrowed: valid until the next call. */
const char *shell_prompt(const shell *s);

/* Frees what the session holds (not the index). */
void shell_clear(shell *s);

/* Installs Tab completion (libedit) for session `s`: commands after ':',
 * field names, entity names and sources after person:, org:, place:,
 * source:, and words of the index.  `s` must outlive the prompt. */
void shell_complete_init(shell *s);

/* The commands, for :help and completion: NULL-terminated. */
extern const char *const shell_commands[];

#endif
