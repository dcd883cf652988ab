/*
 * cmd_shell.c: `attache shell` (and `attache` alone on a terminal), the
 * search prompt: its options, the index, and the read loop.  On a
 * terminal it reads lines with libedit (line editing, Tab completion from
 * shell_complete.c) and keeps a history file that the next session reads;
 * when standard input is not a terminal it reads one line at a time and
 * prints plain results, so it can be scripted.  Either way each line goes
 * to shell_line() (shell_commands.c): a query, n / p, or a :command.
 */
#include "cli.h"
#include "shell.h"

#include <editline/readline.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help_text[] =
    "Usage: attache shell [--db DIR] [--limit N] [--color WHEN]\n"
    "\n"
    "The interactive search prompt.  Type a query (see attache search --help\n"
    "for the syntax) and press Enter.  At the prompt:\n"
    "  n, :more        next page of results    p, :prev   previous page\n"
    "  :open N         result N in full, the matches marked (through $PAGER,\n"
    "                  else less -R, when longer than the screen)\n"
    "  :facets [N]     top people, organisations, places, sources and dates\n"
    "                  of all the results (:facets on|off: after every page)\n"
    "  :filter F       narrow the results by F, e.g. :filter place:Kabul\n"
    "  :unfilter [F]   remove filter F, or all; :filter alone lists them\n"
    "  :sort date      newest first (:sort relevance: best first)\n"
    "  :help           the commands             :quit      leave (or Ctrl-D)\n"
    "Tab completes commands, field names, and the names and words of the\n"
    "index (place:Pak<Tab> gives place:Pakistan).  History is kept in\n"
    "$XDG_STATE_HOME/attache/history (~/.local/state/attache/history).\n"
    "\n"
    "When standard input is not a terminal, each line is a query or a\n"
    "command and plain results are printed.\n"
    "\n"
    "Options:\n"
    "  --db DIR      the index (else $ATTACHE_DB, else\n"
    "                ~/.local/share/attache/index)\n"
    "  --limit N     hits per page (default 10, at most 1000)\n"
    "  --color WHEN  auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                always or never\n"
    "  -h, --help    this help\n"
    "\n"
    "Examples:\n"
    "  attache shell --db ~/news\n"
    "  printf 'ceasefire\\n:filter place:Kabul\\n:open 1\\n' | attache shell\n"
    "\n"
    "Exit status: 0 success, 5 no index, 2 usage error; with lines from a\n"
    "pipe, that of the last line that failed (3 query syntax error, 4 empty\n"
    "query, 2 a command used wrongly), or 0.\n";

/* Ctrl-C at the prompt abandons the line being typed, as in a shell: the
 * handler only notes it (and while a line runs, Ctrl-C is ignored).  libedit's own handler (which puts the terminal
 * back to normal) passes the signal on to this one, and its read is
 * interrupted, so readline() returns NULL, which without the note would
 * be Ctrl-D. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* The history file, its directory made if needed; NULL without a home. */
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
    shell s = SHELL_INIT;
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
    int rc = EXIT_OK;
    if (s.tty) {
        uint64_t count = 0;
        att_index_count(s.ix, &count);
        printf("Attaché %s: %llu articles in %s.  Type a query, :help for help, "
               "Ctrl-D to leave.\n",
               att_version(), (unsigned long long)count, path);
        char *hist = history_path();
        using_history();
        stifle_history(1000);
        if (hist)
            read_history(hist);
        shell_complete_init(&s);
        char *last = NULL; /* the line added last, not added twice */
        /* At the prompt, Ctrl-C must end libedit's read (no SA_RESTART);
         * while a line runs it is noted and ignored, and system calls
         * go on (SA_RESTART). */
        struct sigaction at_prompt, running;
        memset(&at_prompt, 0, sizeof at_prompt);
        at_prompt.sa_handler = on_interrupt;
        sigemptyset(&at_prompt.sa_mask);
        running = at_prompt;
        running.sa_flags = SA_RESTART;
        for (;;) {
            interrupted = 0;
            sigaction(SIGINT, &at_prompt, NULL);
            char *line = readline(shell_prompt(&s));
            sigaction(SIGINT, &running, NULL);
            if (!line && interrupted) { /* Ctrl-C: a new line */
                putchar('\n');
                continue;
            }
            if (!line) { /* Ctrl-D */
                putchar('\n');
                break;
            }
            if (*line && (!last || strcmp(last, line) != 0)) {
                add_history(line);
                free(last);
                last = strdup(line);
                /* written at once, so a killed session keeps it */
                if (hist)
                    write_history(hist);
            }
            bool go_on = shell_line(&s, line);
            free(line);
            if (!go_on)
                break;
        }
        free(last);
    } else {
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, stdin) != -1) {
            bool go_on = shell_line(&s, line);
            if (s.last_rc != EXIT_OK)
                rc = s.last_rc;
            if (!go_on)
                break;
        }
        free(line);
    }
    shell_clear(&s);
    att_index_close(s.ix);
    return rc;
}
