/*
 * cmd_stats.c: `attache stats`, what an index holds (att_index_stats()):
 * articles, distinct words, entities per type, sources, the date range,
 * the size on disk and the time of the last commit, for people or as one
 * JSON object.  It only reads, so it works while an indexer runs.
 */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>
#include <time.h>

static const char help_text[] =
    "Usage: attache stats [--db DIR] [--json]\n"
    "\n"
    "Shows what the index holds: the number of articles, of distinct words\n"
    "(as indexed: English stems), of people, organisations and places, of\n"
    "sources, the range of the articles' dates, the size of the index on\n"
    "disk and when it was last committed to.  It only reads the index, so\n"
    "it can run while an indexer is writing (it shows the last commit).\n"
    "\n"
    "Options:\n"
    "  --db DIR     the index (else $ATTACHE_DB, else\n"
    "               ~/.local/share/attache/index)\n"
    "  --json       one JSON object (keys in docs/CLI.md)\n"
    "  -h, --help   this help\n"
    "\n"
    "Examples:\n"
    "  attache stats --db ~/news\n"
    "  attache stats --json | jq .articles\n"
    "\n"
    "Exit status: 0 success, 5 no index, 8 damaged index, 2 usage error.\n";

/* "2025-11-23T15:58:07Z" */
static void utc_iso(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    out[0] = '\0';
    if (gmtime_r(&tt, &tm))
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int print_json(const char *path, const att_index_info *s)
{
    char when[32];
    utc_iso(s->last_commit, when);
    json_t *ents = s->entities
                       ? json_pack("{s:I, s:I, s:I}", "person", (json_int_t)s->people,
                                   "org", (json_int_t)s->orgs, "place",
                                   (json_int_t)s->places)
                       : json_null();
    json_t *o = json_pack(
        "{s:s, s:s, s:I, s:I, s:o, s:I, s:I, s:o, s:o, s:I, s:o, s:I, s:b, s:b}",
        "path", path, "schema", s->schema, "articles", (json_int_t)s->articles,
        "terms", (json_int_t)s->terms, "entities", ents, "sources",
        (json_int_t)s->sources, "dated", (json_int_t)s->dated, "first_date",
        s->first_date[0] ? json_string(s->first_date) : json_null(),
        "last_date", s->last_date[0] ? json_string(s->last_date) : json_null(),
        "size_bytes", (json_int_t)s->size_bytes, "last_commit",
        s->last_commit ? json_string(when) : json_null(), "last_commit_unix",
        (json_int_t)s->last_commit, "last_commit_estimated",
        s->last_commit_estimated != 0, "exact_forms", s->exact_forms != 0);
    if (!o)
        return -1;
    int rc = json_dumpf(o, stdout, JSON_COMPACT);
    json_decref(o);
    if (rc == 0)
        fputc('\n', stdout);
    return rc;
}

/* 12.3 MiB */
static void human_size(uint64_t n, char out[32])
{
    static const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)n;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(out, 32, "%llu bytes", (unsigned long long)n);
    else
        snprintf(out, 32, "%.1f %s", v, units[u]);
}

/* "3 minutes ago" */
static void age(int64_t then, char out[48])
{
    int64_t d = (int64_t)time(NULL) - then;
    if (d < 0) {
        snprintf(out, 48, "in the future: check the clock");
        return;
    }
    static const struct { int64_t s; const char *name; } u[] = {
        {86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        if (d >= u[i].s || u[i].s == 1) {
            long long k = (long long)(d / u[i].s);
            snprintf(out, 48, "%lld %s%s ago", k, u[i].name, k == 1 ? "" : "s");
            return;
        }
}

static void print_text(const char *path, const att_index_info *s)
{
    printf("Index        %s (schema %s%s)\n", path, s->schema[0] ? s->schema : "?",
           s->exact_forms ? ", with exact word forms" : "");
    printf("Articles     %llu\n", (unsigned long long)s->articles);
    printf("Words        %llu distinct (stems of titles and bodies)\n",
           (unsigned long long)s->terms);
    if (s->entities)
        printf("Entities     %llu people, %llu organisations, %llu places\n",
               (unsigned long long)s->people, (unsigned long long)s->orgs,
               (unsigned long long)s->places);
    else
        printf("Entities     not extracted (the index was made with "
               "--no-entities)\n");
    printf("Sources      %llu\n", (unsigned long long)s->sources);
    if (s->dated)
        printf("Dates        %s to %s (%llu of %llu articles dated)\n",
               s->first_date, s->last_date, (unsigned long long)s->dated,
               (unsigned long long)s->articles);
    else
        printf("Dates        none\n");
    char size[32];
    human_size(s->size_bytes, size);
    printf("Size         %s (%llu bytes)\n", size,
           (unsigned long long)s->size_bytes);
    if (!s->last_commit) {
        printf("Last commit  unknown\n");
        return;
    }
    char when[64], ago[48];
    time_t tt = (time_t)s->last_commit;
    struct tm tm;
    when[0] = '\0';
    if (localtime_r(&tt, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", &tm);
    age(s->last_commit, ago);
    printf("Last commit  %s (%s)%s\n", when, ago,
           s->last_commit_estimated
               ? "; estimated: the index records no commit time (written by "
                 "an older Attaché, or no articles committed yet), so this is "
                 "when its files last changed"
               : "");
}

int cmd_stats(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    bool json = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = true; break;
        case 'h': fputs(help_text, stdout); return EXIT_OK;
        default:
            cli_error("stats: unknown or incomplete option \"%s\" (try: attache "
                      "stats --help)", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cli_error("stats: unexpected argument \"%s\" (the index is given with "
                  "--db DIR)", argv[optind]);
        return EXIT_USAGE;
    }
    const char *path = cli_db_path(db);
    att_index *ix = NULL;
    att_status st = att_index_open(&ix, path, ATT_OPEN_READ);
    if (st) {
        cli_report();
        return cli_exit_code(st);
    }
    att_index_info info = ATT_INDEX_INFO_INIT;
    st = att_index_stats(&info, ix);
    att_index_close(ix);
    if (st) {
        cli_report();
        return cli_exit_code(st);
    }
    int rc = EXIT_OK;
    if (json) {
        if (print_json(path, &info) != 0) {
            cli_error("out of memory while writing the statistics");
            rc = EXIT_NO_MEMORY;
        }
    } else {
        print_text(path, &info);
    }
    if (fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        rc = EXIT_INPUT;
    }
    return rc;
}
