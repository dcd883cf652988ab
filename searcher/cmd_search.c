/*
 * cmd_search.c: `attache search`, one query from the command line (its
 * words joined by spaces), printed for people or as one JSON object.
 * The options it shares with `attache batch` are parsed in search_opts.c.
 */
#include "cli.h"
#include "output.h"
#include "search_opts.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
    "Usage: attache search [--db DIR] [--format text|html|json] [--limit N]\n"
    "                      [--offset N] [--sort relevance|date] [--any]\n"
    "                      [--all-copies] [--bm25 K1,B] [--weighting NAME]\n"
    "                      [--count-repeats] [--facets[=N]]\n"
    "                      [--facet-date UNIT] [--color WHEN] QUERY...\n"
    "\n"
    "Searches the index and prints the best hits with highlighted snippets.\n"
    "The QUERY words are joined by spaces into one query; quote the query\n"
    "for your shell when it holds quotes or parentheses.\n"
    "\n"
    "Query syntax (docs/QUERY-SYNTAX.md):\n"
    "  ceasefire talks        both words (AND is the default)\n"
    "  \"peace talk\"           the phrase, any word forms (\"peace talks\")\n"
    "  =talks  =\"peace talks\" exactly these word forms (not \"talk\")\n"
    "  ceasefire NEAR/5 Doha  within 5 words, any order;  ADJ/3: in order\n"
    "  Kabul OR Islamabad     either word;  a NOT b,  -b   without b\n"
    "  (Qatar OR Turkey) mediation    grouping\n"
    "  negotiat*              words starting with negotiat (3 letters at least)\n"
    "  title:Istanbul  source:reuters  id:002_703b6955b0d8f8ed   fields\n"
    "  date:2024-10  date:2025-10-01..2025-10-31  date:..2024  date:last-7-days\n"
    "\n"
    "Options:\n"
    "  --db DIR          the index (else $ATTACHE_DB, else ~/.local/share/attache/index)\n"
    "  --format FORM     text (default: bold matches on a terminal, plain when\n"
    "                    piped), html (a fragment with <mark>ed matches) or\n"
    "                    json (one object: query, total, hits; docs/CLI.md)\n"
    "  --json            the same as --format json\n"
    "  --limit N         hits to show (default 10)\n"
    SEARCH_OPTS_HELP
    SEARCH_FACETS_HELP
    "  --color WHEN      auto (default: on a terminal), always or never;\n"
    "                    NO_COLOR in the environment turns it off\n"
    "  -h, --help        this help\n"
    "\n"
    "Examples:\n"
    "  attache search '\"open war\"'\n"
    "  attache search turkiye lodz        (finds Türkiye, Łódź)\n"
    "  attache search --format html --limit 3 ceasefire Istanbul > hits.html\n"
    "  attache search --json --limit 3 ceasefire Istanbul\n"
    "  attache search --facets --limit 3 Taliban      (who, where, when)\n"
    "\n"
    "Exit status: 0 success (also with no hits), 3 syntax error, 4 empty\n"
    "query, 5 no index, 8 damaged index, 10 the index kept changing under\n"
    "the search, 2 usage error.\n";

int cmd_search(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"format", required_argument, NULL, 'f'},
        SEARCH_LONGOPTS,
        {"color", required_argument, NULL, 'c'},
        {"colour", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    enum { FORM_TEXT, FORM_HTML, FORM_JSON } form = FORM_TEXT;
    int color = 0;
    search_opts so;
    search_opts_init(&so);
    att_search_options *o = &so.o;
    int c;
    opterr = 0;
    optind = 1;
    /* "+" stops at the first non-option, so a query word such as -war
     * after the first query word is not taken for an option. */
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        int handled = search_opts_parse(&so, c, optarg);
        if (handled < 0)
            return EXIT_USAGE;
        if (handled)
            continue;
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': form = FORM_JSON; break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                form = FORM_TEXT;
            else if (strcmp(optarg, "html") == 0)
                form = FORM_HTML;
            else if (strcmp(optarg, "json") == 0)
                form = FORM_JSON;
            else {
                cli_error("--format takes text, html or json, not \"%s\"",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        case 'c':
            if (!cli_parse_color(optarg, &color)) {
                cli_error("--color takes auto, always or never, not \"%s\"",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': fputs(help_text, stdout); return EXIT_OK;
        default:
            cli_error("search: unknown or incomplete option \"%s\" (try: "
                      "attache search --help)", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("search: no query given (try: attache search --help)");
        return EXIT_USAGE;
    }
    search_opts_finish(&so); /* --facet-date alone asks for facets */
    char *query = cli_join(argc, argv, optind);
    if (!query) {
        cli_error("out of memory");
        return EXIT_NO_MEMORY;
    }
    att_index *ix = NULL;
    att_results *r = NULL;
    int rc = EXIT_OK;
    att_status st = att_index_open(&ix, cli_db_path(db), ATT_OPEN_READ);
    if (st) {
        cli_report();
        rc = cli_exit_code(st);
        goto out;
    }
    st = att_search(&r, ix, query, o);
    if (st == ATT_QUERY_SYNTAX || st == ATT_EMPTY_QUERY) {
        cli_report_query(query);
        rc = cli_exit_code(st);
        goto out;
    } else if (st) {
        cli_report();
        rc = cli_exit_code(st);
        goto out;
    }
    int orc = form == FORM_JSON   ? out_json(stdout, r, o->offset, o->limit)
              : form == FORM_HTML ? out_html(stdout, r)
                                  : out_human(stdout, r, cli_use_color(stdout, color));
    if (orc != 0) {
        cli_error("out of memory while writing the results");
        rc = EXIT_NO_MEMORY;
    }
    if (fflush(stdout) != 0) {
        cli_error("cannot write the results to standard output");
        rc = EXIT_INPUT;
    }
out:
    att_results_free(r);
    att_index_close(ix);
    free(query);
    return rc;
}
