/*
 * cmd_shell.c: `attache shell`, the search prompt.  On a terminal it uses
 * libedit for line editing and keeps a history file; every line is a query
 * unless it starts with ':' (a command) or is "n"/"p" (next and previous
 * page).  When standard input is not a terminal it reads one query per line
 * and prints plain results, so it can be scripted.
 */
#include "cli.h"
#include "output.h"

#include <editline/readline.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help_text[] =
    "Usage: attache shell [--db DIR] [--limit N] [--color WHEN]\n"
    "\n"
    "The interactive search prompt.  Type a query (see attache search --help\n"
    "for the syntax) and press Enter.  At the prompt:\n"
    "  n, :more    next page of results      p, :prev   previous page\n"
    "  :facets     facets on / off (:facets N: the top N per facet)\n"
    "  :help       this help                 :quit      leave (or Ctrl-D)\n"
    "History is kept in $XDG_STATE_HOME/attache/history.\n"
    "When standard input is not a terminal, each line is a query and plain\n"
    "results are printed.\n";

static const char prompt_help[] =
    "Type a query and press Enter, for example:\n"
    "  ceasefire Istanbul        \"open war\"        Kabul OR Islamabad\n"
    "  Taliban -Afghan           title:TTP          (Qatar OR Turkey) mediation\n"
    "Commands: n or :more (next page), p or :prev (previous page), :facets\n"
    "(people, organisations, places, sources and dates of all the matches,\n"
    "on or off; :facets N for the top N), :help, :quit (or Ctrl-D).\n";

static char *history_path(void)
{
    static char buf[4096];
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[4000];
    if (state && *state)
        snprintf(dir, sizeof dir, "%s/attache", state);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/state/attache", home);
    else
        return NULL;
    /* mkdir -p, quietly: history is a convenience. */
    for (char *s = dir + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(dir, 0700);
            *s = '/';
        }
    mkdir(dir, 0700);
    snprintf(buf, sizeof buf, "%s/history", dir);
    return buf;
}

typedef struct session {
    att_index *ix;
    bool color;
    bool tty;
    size_t limit;
    char *query;   /* the current query, for paging */
    size_t offset;
    int last_rc;
    unsigned facets; /* top values per facet; 0: facets off (:facets) */
} session;

static void run_query(session *s, const char *query, size_t offset)
{
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.limit = s->limit;
    o.offset = offset;
    o.facets = s->facets;
    att_results *r = NULL;
    att_index_reopen(s->ix); /* see what was committed since */
    att_status st = att_search(&r, s->ix, query, &o);
    if (st == ATT_QUERY_SYNTAX || st == ATT_EMPTY_QUERY) {
        cli_report_query(query);
        s->last_rc = cli_exit_code(st);
        return;
    }
    if (st) {
        cli_report();
        s->last_rc = cli_exit_code(st);
        return;
    }
    if (query != s->query) {
        free(s->query);
        s->query = strdup(query);
    }
    s->offset = offset;
    if (out_human(stdout, r, s->color) != 0) {
        cli_error("out of memory while writing the results");
        s->last_rc = EXIT_NO_MEMORY;
    }
    int exact = 0;
    uint64_t total = att_results_total(r, &exact);
    if (s->tty && offset + att_results_count(r) < total)
        printf("\n(n for the next page)\n");
    fflush(stdout);
    att_results_free(r);
}

/* Handles one line; returns false to leave the prompt. */
static bool handle(session *s, char *line)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
                 line[n - 1] == ' ' || line[n - 1] == '\t'))
        line[--n] = '\0';
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return true;
    if (strcmp(p, ":quit") == 0 || strcmp(p, ":q") == 0 ||
        strcmp(p, ":exit") == 0)
        return false;
    if (strcmp(p, ":help") == 0 || strcmp(p, "?") == 0) {
        fputs(prompt_help, stdout);
        return true;
    }
    if (strcmp(p, "n") == 0 || strcmp(p, ":more") == 0 ||
        strcmp(p, ":next") == 0) {
        if (!s->query)
            puts("No query yet: type one first.");
        else
            run_query(s, s->query, s->offset + s->limit);
        return true;
    }
    if (strcmp(p, "p") == 0 || strcmp(p, ":prev") == 0) {
        if (!s->query)
            puts("No query yet: type one first.");
        else
            run_query(s, s->query, s->offset >= s->limit ? s->offset - s->limit : 0);
        return true;
    }
    if (strncmp(p, ":facets", 7) == 0 && (p[7] == '\0' || p[7] == ' ')) {
        const char *arg = p + 7;
        while (*arg == ' ')
            arg++;
        size_t top = 0;
        if (!*arg)
            s->facets = s->facets ? 0 : 10;
        else if (strcmp(arg, "on") == 0)
            s->facets = 10;
        else if (strcmp(arg, "off") == 0)
            s->facets = 0;
        else if (cli_parse_size(arg, 10000, &top))
            s->facets = (unsigned)top;
        else {
            cli_error(":facets takes on, off or a number up to 10000, not "
                      "\"%s\"", arg);
            return true;
        }
        if (s->facets)
            printf("Facets on: the top %u people, organisations, places and "
                   "sources, and the dates, of all the matches.\n", s->facets);
        else
            puts("Facets off.");
        if (s->query) /* show them for the query on screen */
            run_query(s, s->query, s->offset);
        return true;
    }
    if (*p == ':') {
        cli_error("unknown command \"%s\" (type :help)", p);
        return true;
    }
    run_query(s, p, 0);
    return true;
}

int cmd_shell(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'l'},
        {"color", required_argument, NULL, 'c'},
        {"colour", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int color = 0;
    session s = {NULL, false, false, 10, NULL, 0, EXIT_OK, 0};
    int c;
    opterr = 0;
    optind = 1;
    while (argc > 1 && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l':
            if (!cli_parse_size(optarg, 1000, &s.limit) || !s.limit) {
                cli_error("--limit needs a number from 1 to 1000");
                return EXIT_USAGE;
            }
            break;
        case 'c':
            if (!cli_parse_color(optarg, &color)) {
                cli_error("--color takes auto, always or never");
                return EXIT_USAGE;
            }
            break;
        case 'h': fputs(help_text, stdout); return EXIT_OK;
        default:
            cli_error("shell: unknown or incomplete option \"%s\" (try: attache "
                      "shell --help)", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (argc > 1 && optind < argc) {
        cli_error("shell: unexpected argument \"%s\" (to search, use: attache "
                  "search QUERY)", argv[optind]);
        return EXIT_USAGE;
    }
    const char *path = cli_db_path(db);
    att_status st = att_index_open(&s.ix, path, ATT_OPEN_READ);
    if (st) {
        cli_report();
        if (st == ATT_NOT_FOUND)
            fprintf(stderr, "%s: create it first: attache index --db %s PATH...\n",
                    cli_prog, path);
        return cli_exit_code(st);
    }
    s.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    s.color = cli_use_color(stdout, color);
    if (s.tty) {
        uint64_t count = 0;
        att_index_count(s.ix, &count);
        printf("Attaché %s: %llu articles in %s.  Type a query, :help for help, "
               "Ctrl-D to leave.\n",
               att_version(), (unsigned long long)count, path);
        char *hist = history_path();
        using_history();
        if (hist)
            read_history(hist);
        for (;;) {
            char *line = readline("attache> ");
            if (!line) {
                putchar('\n');
                break;
            }
            if (*line)
                add_history(line);
            bool go_on = handle(&s, line);
            free(line);
            if (!go_on)
                break;
        }
        if (hist) {
            stifle_history(1000);
            write_history(hist);
        }
        s.last_rc = EXIT_OK;
    } else {
        char *line = NULL;
        size_t cap = 0;
        int worst = EXIT_OK;
        while (getline(&line, &cap, stdin) != -1) {
            s.last_rc = EXIT_OK;
            if (!handle(&s, line))
                break;
            if (s.last_rc != EXIT_OK)
                worst = s.last_rc;
        }
        free(line);
        s.last_rc = worst;
    }
    free(s.query);
    att_index_close(s.ix);
    return s.last_rc;
}
