/*
 * main.c: the `attache` program's entry point: global options and the
 * dispatch to commands.  With no command, `attache` opens the search
 * prompt (which reads queries line by line when stdin is not a terminal).
 */
#include "cli.h"
#include "../searcher/search_opts.h" /* cmd_batch */

#include <string.h>

static const char usage_text[] =
    "Usage: attache [--version] [--help] COMMAND [ARGS...]\n"
    "\n"
    "Attaché searches news articles: boolean and phrase queries, ranked by\n"
    "BM25, with the matching words highlighted in the original text.\n"
    "\n"
    "Commands:\n"
    "  index [--db DIR] PATH...      add text files or directory trees to the index\n"
    "  search [--db DIR] QUERY...    search and print the best hits\n"
    "  batch [--db DIR] FILE|-       run a file of queries: TSV, JSON Lines or a\n"
    "                                TREC run, in the file's order\n"
    "  shell [--db DIR]              the interactive search prompt (the default\n"
    "                                when no command is given)\n"
    "  entities [FILE]               the people, organisations and places in a\n"
    "                                text (--conll: tag CoNLL-2003 tokens)\n"
    "  stats [--db DIR] [--json]     what the index holds: articles, words,\n"
    "                                entities, dates, size, last commit\n"
    "  delete [--db DIR] ID...       remove articles from the index by id\n"
    "  help [COMMAND]                this text, or a command's own help\n"
    "\n"
    "The index is the directory given by --db, else $ATTACHE_DB, else\n"
    "$XDG_DATA_HOME/attache/index (~/.local/share/attache/index).\n"
    "\n"
    "Examples:\n"
    "  attache index --db ~/news corpus/samples\n"
    "  attache search --db ~/news '\"open war\" Pakistan'\n"
    "  attache search --db ~/news --json --limit 3 ceasefire\n"
    "\n"
    "Exit status: 0 success, 2 usage, 3 query syntax error, 4 empty query,\n"
    "5 no index, 6 index locked, 7 unreadable input, 8 corrupt index,\n"
    "9 some input skipped, 10 index kept changing, 11 out of memory,\n"
    "12 internal error.  See man attache, and docs/CLI.md.\n";

int main(int argc, char **argv)
{
    char *hargv[4];
    if (argc < 2)
        return cmd_shell(argc, argv);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3 || strcmp(argv[2], "help") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        hargv[0] = argv[0];
        hargv[1] = argv[2];
        hargv[2] = (char *)"--help";
        hargv[3] = NULL;
        cmd = argv[2];
        argv = hargv;
        argc = 3;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("attache %s\n", att_version());
        return EXIT_OK;
    }
    if (strcmp(cmd, "index") == 0)
        return cmd_index(argc - 1, argv + 1);
    if (strcmp(cmd, "search") == 0)
        return cmd_search(argc - 1, argv + 1);
    if (strcmp(cmd, "shell") == 0)
        return cmd_shell(argc - 1, argv + 1);
    if (strcmp(cmd, "entities") == 0)
        return cmd_entities(argc - 1, argv + 1);
    if (strcmp(cmd, "batch") == 0)
        return cmd_batch(argc - 1, argv + 1);
    if (strcmp(cmd, "stats") == 0)
        return cmd_stats(argc - 1, argv + 1);
    if (strcmp(cmd, "delete") == 0)
        return cmd_delete(argc - 1, argv + 1);
    if (cmd[0] == '-' && strcmp(cmd, "--db") != 0) {
        cli_error("unknown option \"%s\" (try: attache --help)", cmd);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "--db") == 0)
        return cmd_shell(argc, argv); /* attache --db DIR: the prompt */
    cli_error("unknown command \"%s\" (commands: index, search, batch, shell, entities, stats, "
              "delete, help)",
              cmd);
    return EXIT_USAGE;
}
