/*
 * cmd_search.c: `attache search`, one query from the command line (its
 * words joined by spaces), printed for people or as one JSON object.
 */
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
    "Usage: attache search [--db DIR] [--format text|html|json] [--limit N]\n"
    "                      [--offset N] [--sort relevance|date] [--any]\n"
    "                      [--all-copies] [--bm25 K1,B] [--weighting NAME]\n"
    "                      [--facets[=N]]\n"
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
    "  --offset N        hits to skip first, for paging (default 0)\n"
    "  --sort ORDER      relevance (default) or date (newest first)\n"
    "  --any             words without an operator between them are ORed:\n"
    "                    any may match, hits with more of them rank first\n"
    "                    (for questions in natural language); +word is then\n"
    "                    required\n"
    "  --all-copies      list every copy of a duplicated story (wire copies,\n"
    "                    republished texts) instead of one hit per story\n"
    "  --bm25 K1,B       ranking parameters (default: the values tuned in\n"
    "                    docs/EVALUATION.md), for experiments\n"
    "  --weighting NAME[,P]  the ranking function: bm25 (default), bm25+,\n"
    "                    lm, lm-jm, dph, dlh, pl2 or inl2, with its parameter\n"
    "                    P (docs/QUERY-SYNTAX.md, \"Ranking\"), for experiments\n"
    "  --facets[=N]      also count, over ALL the matches, the N (default 10)\n"
    "                    most frequent people, organisations, places and\n"
    "                    sources, and the matches per date; shown after the\n"
    "                    hits (json: a \"facets\" object).  Write --facets=N,\n"
    "                    with the =\n"
    "  --facet-date UNIT the date facet's buckets: auto (default: at most\n"
    "                    about 60 of them), year, month or day; implies\n"
    "                    --facets\n"
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
    "query, 5 no index, 2 usage error.\n";

int cmd_search(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"format", required_argument, NULL, 'f'},
        {"limit", required_argument, NULL, 'l'},
        {"offset", required_argument, NULL, 'o'},
        {"sort", required_argument, NULL, 's'},
        {"any", no_argument, NULL, 'a'},
        {"all-copies", no_argument, NULL, 'A'},
        {"bm25", required_argument, NULL, 'b'},
        {"weighting", required_argument, NULL, 'W'},
        {"facets", optional_argument, NULL, 'F'},
        {"facet-date", required_argument, NULL, 'D'},
        {"color", required_argument, NULL, 'c'},
        {"colour", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    enum { FORM_TEXT, FORM_HTML, FORM_JSON } form = FORM_TEXT;
    int color = 0;
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    bool facets_given = false, facet_date_given = false;
    int c;
    opterr = 0;
    optind = 1;
    /* "+" stops at the first non-option, so a query word such as -war
     * after the first query word is not taken for an option. */
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
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
        case 'l':
            if (!cli_parse_size(optarg, 100000, &o.limit)) {
                cli_error("--limit needs a number from 0 to 100000, not \"%s\"",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        case 'o':
            if (!cli_parse_size(optarg, 100000000, &o.offset)) {
                cli_error("--offset needs a non-negative number, not \"%s\"",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        case 's':
            if (strcmp(optarg, "relevance") == 0)
                o.sort = ATT_SORT_RELEVANCE;
            else if (strcmp(optarg, "date") == 0)
                o.sort = ATT_SORT_DATE;
            else {
                cli_error("--sort takes relevance or date, not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'a': o.default_op = ATT_DEFAULT_OR; break;
        case 'A': o.flags |= ATT_SEARCH_ALL_COPIES; break;
        case 'b': {
            char *end = NULL;
            o.bm25_k1 = strtod(optarg, &end);
            if (!end || *end != ',' || o.bm25_k1 < 0 || o.bm25_k1 > 100 ||
                ((o.bm25_b = strtod(end + 1, &end)), *end) || o.bm25_b < 0 ||
                o.bm25_b > 1 || end == optarg) {
                cli_error("--bm25 takes K1,B with K1 from 0 to 100 and B from "
                          "0 to 1, as in --bm25 1.2,0.75, not \"%s\"",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'W': { /* NAME or NAME,PARAM */
            char name[16];
            const char *comma = strchr(optarg, ',');
            size_t n = comma ? (size_t)(comma - optarg) : strlen(optarg);
            char *end = NULL;
            if (n < sizeof name) {
                memcpy(name, optarg, n);
                name[n] = '\0';
            }
            if (n >= sizeof name || att_weighting_parse(&o.weighting, name) ||
                (comma && ((o.weighting_param = strtod(comma + 1, &end)),
                           end == comma + 1 || *end ||
                           o.weighting_param < 0 || o.weighting_param > 1e6 ||
                           (o.weighting == ATT_WEIGHT_LM_JM &&
                            o.weighting_param >= 1)))) {
                cli_error("--weighting takes a name (bm25, bm25+, lm, lm-jm, "
                          "dph, dlh, pl2, inl2) and an optional parameter, as "
                          "in --weighting lm,1000 (lm-jm's below 1), not "
                          "\"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'F': { /* facets */
            size_t nf = 10;
            if (optarg && !cli_parse_size(optarg, 10000, &nf)) {
                cli_error("--facets takes a number from 0 to 10000, as in "
                          "--facets=20, not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            o.facets = (unsigned)nf;
            facets_given = true;
            break;
        }
        case 'D':
            if (strcmp(optarg, "auto") == 0)
                o.facet_date_unit = ATT_DATE_AUTO;
            else if (strcmp(optarg, "year") == 0)
                o.facet_date_unit = ATT_DATE_YEAR;
            else if (strcmp(optarg, "month") == 0)
                o.facet_date_unit = ATT_DATE_MONTH;
            else if (strcmp(optarg, "day") == 0)
                o.facet_date_unit = ATT_DATE_DAY;
            else {
                cli_error("--facet-date takes auto, year, month or day, not "
                          "\"%s\"", optarg);
                return EXIT_USAGE;
            }
            facet_date_given = true;
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
    if (facet_date_given && !facets_given)
        o.facets = 10; /* --facet-date alone asks for facets */
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
    st = att_search(&r, ix, query, &o);
    if (st == ATT_QUERY_SYNTAX || st == ATT_EMPTY_QUERY) {
        cli_report_query(query);
        rc = cli_exit_code(st);
        goto out;
    } else if (st) {
        cli_report();
        rc = cli_exit_code(st);
        goto out;
    }
    int orc = form == FORM_JSON   ? out_json(stdout, r, o.offset, o.limit)
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
