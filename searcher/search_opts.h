/*
 * search_opts.h: the search options that `attache search` and `attache
 * batch` share (search_opts.c): their getopt_long entries, their parsing
 * into an att_search_options, and their --help lines, written once so
 * that both commands accept and explain them alike.  Program-only.
 *
 * A command puts SEARCH_LONGOPTS in its own option table, hands every
 * code getopt_long returns to search_opts_parse() first, and calls
 * search_opts_finish() after the loop.  The codes are above any
 * character, so they never clash with a command's own short codes.
 */
#ifndef ATT_SEARCH_OPTS_H
#define ATT_SEARCH_OPTS_H

#include <attache.h>
#include <getopt.h>
#include <stdbool.h>

enum {
    SOPT_LIMIT = 0x100,
    SOPT_OFFSET,
    SOPT_SORT,
    SOPT_ANY,
    SOPT_ALL_COPIES,
    SOPT_BM25,
    SOPT_WEIGHTING,
    SOPT_FACETS,
    SOPT_FACET_DATE,
    SOPT_COUNT_REPEATS
};

#define SEARCH_LONGOPTS                                          \
    {"limit", required_argument, NULL, SOPT_LIMIT},              \
    {"offset", required_argument, NULL, SOPT_OFFSET},            \
    {"sort", required_argument, NULL, SOPT_SORT},                \
    {"any", no_argument, NULL, SOPT_ANY},                        \
    {"all-copies", no_argument, NULL, SOPT_ALL_COPIES},          \
    {"bm25", required_argument, NULL, SOPT_BM25},                \
    {"weighting", required_argument, NULL, SOPT_WEIGHTING},      \
    {"facets", optional_argument, NULL, SOPT_FACETS},            \
    {"facet-date", required_argument, NULL, SOPT_FACET_DATE},    \
    {"count-repeats", no_argument, NULL, SOPT_COUNT_REPEATS}

/* The --help lines of the options above except --limit, whose default
 * each command states itself. */
#define SEARCH_OPTS_HELP                                                     \
    "  --offset N        hits to skip first, for paging (default 0)\n"      \
    "  --sort ORDER      relevance (default) or date (newest first)\n"      \
    "  --any             words without an operator between them are ORed:\n" \
    "                    any may match, hits with more of them rank first\n" \
    "                    (for questions in natural language); +word is then\n" \
    "                    required\n"                                         \
    "  --count-repeats   with --any, a word typed twice counts twice (by\n"  \
    "                    default once: a question's repeated words are\n"    \
    "                    grammar, not emphasis)\n"                           \
    "  --all-copies      list every copy of a duplicated story (wire copies,\n" \
    "                    republished texts) instead of one hit per story\n"  \
    "  --bm25 K1,B       ranking parameters (default: the values tuned in\n" \
    "                    docs/EVALUATION.md), for experiments\n"          \
    "  --weighting NAME[,P]  the ranking function: bm25 (default), bm25+,\n" \
    "                    lm, lm-jm, dph, dlh, pl2 or inl2, with its parameter\n" \
    "                    P (docs/QUERY-SYNTAX.md, \"Ranking\"), for experiments\n"

#define SEARCH_FACETS_HELP                                                   \
    "  --facets[=N]      also count, over ALL the matches, the N (default 10)\n" \
    "                    most frequent people, organisations, places and\n"  \
    "                    sources, and the matches per date; shown after the\n" \
    "                    hits (json: a \"facets\" object).  Write --facets=N,\n" \
    "                    with the =\n"                                       \
    "  --facet-date UNIT the date facet's buckets: auto (default: at most\n" \
    "                    about 60 of them), year, month or day; implies\n"   \
    "                    --facets\n"

typedef struct search_opts {
    att_search_options o;
    bool limit_given;       /* --limit was on the command line */
    bool facets_given;      /* --facets[=N] */
    bool facet_date_given;  /* --facet-date */
} search_opts;

/* The defaults: ATT_SEARCH_OPTIONS_INIT, nothing given. */
void search_opts_init(search_opts *s);

/* Handles getopt_long's code `c` with its argument `arg`.  Returns 1 if it
 * was one of SEARCH_LONGOPTS and was valid, 0 if it is not one of them
 * (the caller handles it), -1 if its value is invalid: the message is
 * printed and the caller exits with EXIT_USAGE. */
int search_opts_parse(search_opts *s, int c, const char *arg);

/* After the option loop: --facet-date alone asks for facets. */
void search_opts_finish(search_opts *s);

/* `attache batch` (cmd_batch.c); declared here rather than in cli.h so
 * that the command's files stay together. */
int cmd_batch(int argc, char **argv);

#endif
