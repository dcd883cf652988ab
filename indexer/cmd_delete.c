/*
 * cmd_delete.c: `attache delete`, which removes articles from the index by
 * id (att_index_delete()).  Every id is looked up; one that is not in the
 * index is reported on its own line and the others are still deleted, in
 * one commit at the end, so the index never holds half a delete.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
    "Usage: attache delete [--db DIR] [--wait] [--quiet] ID...\n"
    "\n"
    "Removes the articles with these ids from the index, in one commit.\n"
    "An id is what `attache search` shows (its \"id\" in --json): the\n"
    "article's path relative to the PATH it was indexed from, without its\n"
    "extension.  An ID of - reads ids from standard input, one per line.\n"
    "An id that is not in the index is reported and the others are still\n"
    "deleted.\n"
    "\n"
    "Options:\n"
    "  --db DIR     the index (else $ATTACHE_DB, else\n"
    "               ~/.local/share/attache/index)\n"
    "  --wait       wait for an indexer writing the index to finish instead\n"
    "               of failing\n"
    "  -q, --quiet  print only errors\n"
    "  -h, --help   this help\n"
    "\n"
    "Examples:\n"
    "  attache delete --db ~/news 000_46bc87c280a925bc\n"
    "  attache search --json --limit 100 source:spam | jq -r '.hits[].id' |\n"
    "      attache delete -\n"
    "\n"
    "Exit status: 0 all deleted, 9 some ids were not in the index (each is\n"
    "reported; the others were deleted), 5 no index, 6 the index is locked\n"
    "by an indexer, 2 usage error.\n";

typedef struct tally {
    att_index *ix;
    const char *path;
    unsigned long long deleted, missing;
} tally;

/* Reports an id that cannot be an article id: quoted, with control
 * characters written as \xNN so the message stays on one line. */
static void report_bad_id(const char *id)
{
    size_t n = strlen(id), k = 0;
    char *q = malloc(4 * n + 1);
    if (!q) {
        cli_report();
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)id[i];
        if (ch < 0x20 || ch == 0x7F)
            k += (size_t)sprintf(q + k, "\\x%02X", ch);
        else
            q[k++] = (char)ch;
    }
    q[k] = '\0';
    cli_error("cannot delete \"%s\": %s", q, att_last_error());
    free(q);
}

/* Deletes one id.  Returns 0, or the exit code of a failure of the index
 * itself (which ends the command without committing). */
static int delete_one(tally *t, const char *id)
{
    att_status st = att_index_delete(t->ix, id);
    if (st == ATT_OK) {
        t->deleted++;
        return EXIT_OK;
    }
    if (st == ATT_NOT_FOUND || st == ATT_INVALID) {
        /* Not in the index, or not even a possible id: reported, skipped. */
        if (st == ATT_INVALID)
            report_bad_id(id);
        else
            cli_report();
        t->missing++;
        return EXIT_OK;
    }
    cli_report();
    return cli_exit_code(st);
}

/* Ids from standard input, one per line; blank lines are passed over. */
static int delete_stdin(tally *t)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = EXIT_OK;
    while (rc == EXIT_OK && (n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0)
            rc = delete_one(t, line);
    }
    if (rc == EXIT_OK && ferror(stdin)) {
        cli_error("cannot read ids from standard input");
        rc = EXIT_INPUT;
    }
    free(line);
    return rc;
}

int cmd_delete(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"wait", no_argument, NULL, 'w'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    bool wait = false, quiet = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'w': wait = true; break;
        case 'q': quiet = true; break;
        case 'h': fputs(help_text, stdout); return EXIT_OK;
        default:
            cli_error("delete: unknown or incomplete option \"%s\" (try: "
                      "attache delete --help)", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("delete: no ID given (try: attache delete --help)");
        return EXIT_USAGE;
    }
    tally t = {NULL, cli_db_path(db), 0, 0};
    /* Without ATT_OPEN_CREATE: deleting from a missing index is an error,
     * not a reason to make an empty one. */
    att_status st = att_index_open(&t.ix, t.path,
                                   ATT_OPEN_WRITE | (wait ? ATT_OPEN_WAIT : 0));
    if (st) {
        cli_report();
        return cli_exit_code(st);
    }
    int rc = EXIT_OK;
    for (int i = optind; i < argc && rc == EXIT_OK; i++)
        rc = strcmp(argv[i], "-") == 0 ? delete_stdin(&t) : delete_one(&t, argv[i]);
    if (rc == EXIT_OK && t.deleted && (st = att_index_commit(t.ix)) != ATT_OK) {
        cli_report();
        rc = cli_exit_code(st);
    }
    uint64_t count = 0;
    if (rc == EXIT_OK)
        att_index_count(t.ix, &count);
    att_index_close(t.ix); /* after a failure: nothing of it is committed */
    if (rc != EXIT_OK)
        return rc;
    if (!quiet)
        printf("Deleted %llu article%s; %llu not found; the index %s now holds "
               "%llu article%s.\n",
               t.deleted, t.deleted == 1 ? "" : "s", t.missing, t.path,
               (unsigned long long)count, count == 1 ? "" : "s");
    return t.missing ? EXIT_SKIPPED : EXIT_OK;
}
