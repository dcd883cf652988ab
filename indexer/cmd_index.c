/*
 * cmd_index.c: `attache index`, which adds files, directory trees and
 * standard input to an index through att_ingest() / att_ingest_stream()
 * (with --rebuild, into a new index through att_rebuild_*), reporting each
 * skipped input on one line and a summary at the end.  What it shows while it runs (the progress line
 * on a terminal, --verbose) and how Ctrl-C and SIGTERM stop it after
 * committing what was done are in progress.c.
 */
#include "cli.h"
#include "progress.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help_text[] =
    "Usage: attache index [--db DIR] [--jobs N] [--batch N] [--quiet | --verbose]\n"
    "                     [--wait] [--format FORMAT] [--prune] [--rebuild]\n"
    "                     [--max-file-size SIZE] [--exact-forms] [--no-entities]\n"
    "                     PATH...\n"
    "\n"
    "Adds the articles in each PATH to the index, creating it if needed.\n"
    "A PATH is a file, a directory read recursively (files ending in .txt,\n"
    ".text, .jsonl, .ndjson, .json, .html or .htm, or with no extension;\n"
    "hidden entries are skipped), or - for standard input.  Each file's\n"
    "format is recognised from its content: plain text, JSON Lines (one\n"
    "article per line), IPTC ninjs (one per line or per file), HTML pages.\n"
    "An article's id is the id its input gives (JSON \"id\", ninjs \"uri\"),\n"
    "else its path relative to the PATH given, without extension (and\n"
    "#LINE for a JSON line without id; \"stdin\" for standard input).\n"
    "Indexing again skips the articles that have not changed, replaces the\n"
    "ones that have, and never duplicates.\n"
    "\n"
    "Options:\n"
    "  --db DIR     the index directory (else $ATTACHE_DB, else\n"
    "               ~/.local/share/attache/index)\n"
    "  --jobs N     threads to index with: N - 1 read and analyse articles\n"
    "               while one writes them (default 0: a worker per core\n"
    "               and the writer; 1: a single thread).  The index is the\n"
    "               same whatever N is.\n"
    "  --batch N    commit every N articles (default 1000) or 16 MiB of text\n"
    "  --wait       wait for another indexer to finish instead of failing\n"
    "  --exact-forms  on a new index: also index each word's exact form, so\n"
    "               that =talks finds \"talks\" but not \"talk\" (about twice\n"
    "               the indexing work; the index remembers it)\n"
    "  --no-entities  on a new index: do not extract people, organisations\n"
    "               and places (no person:/org:/place: filters, no entity\n"
    "               facets; faster indexing; the index remembers it)\n"
    "  -q, --quiet  print only errors\n"
    "  -v, --verbose  print a line for each article indexed and each commit\n"
    "  -h, --help   this help\n"
    "\n"
    "Examples:\n"
    "  attache index --db ~/news corpus/samples corpus/ungdc-79\n"
    "  attache index ~/wires/2025-10-30.txt\n"
    "  attache index --prune ~/wires           # again: new, changed, gone\n"
    "  zcat feed.jsonl.gz | attache index -     # JSON Lines on stdin\n"
    "  attache index --format ninjs --rebuild ~/ap-feed\n"
    "\n"
    "The summary counts new, replaced and unchanged articles, skipped inputs\n"
    "by reason, and pruned articles.\n"
    "\n"
    "On a terminal a progress line shows the files and articles done, the\n"
    "articles per second and an estimate of the time left.  Ctrl-C (or\n"
    "SIGTERM) stops after committing what was indexed; running the same\n"
    "command again indexes the rest.\n"
    "\n"
    "Exit status: 0 all indexed, 9 some inputs skipped (each is reported),\n"
    "7 a PATH cannot be read, 6 the index is locked, 2 usage error,\n"
    "130 (SIGINT) or 143 (SIGTERM) interrupted: committed batches are kept.\n";

/* --max-file-size: bytes, or a number with K, M or G (binary units). */
static bool parse_file_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-')
        return false;
    unsigned shift = 0;
    if (*end == 'k' || *end == 'K')
        shift = 10;
    else if (*end == 'm' || *end == 'M')
        shift = 20;
    else if (*end == 'g' || *end == 'G')
        shift = 30;
    if (shift)
        end++;
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v == 0 || v > (SIZE_MAX >> shift))
        return false;
    *out = (size_t)(v << shift);
    return true;
}

static bool parse_format(const char *s, att_input_format *out)
{
    static const char *const names[] = {"auto", "text", "jsonl", "ninjs", "html"};
    for (int i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (att_input_format)i;
            return true;
        }
    return false;
}

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

int cmd_index(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"batch", required_argument, NULL, 'b'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"wait", no_argument, NULL, 'w'},
        {"exact-forms", no_argument, NULL, 'e'},
        {"no-entities", no_argument, NULL, 'E'},
        {"format", required_argument, NULL, 'f'},
        {"prune", no_argument, NULL, 'P'},
        {"rebuild", no_argument, NULL, 'R'},
        {"max-file-size", required_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    size_t batch = 0, jobs = 0, max_file = 0;
    bool quiet = false, wait = false, exact = false, no_entities = false;
    bool verbose = false, prune = false, rebuild = false;
    att_input_format format = ATT_INPUT_AUTO;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvhj:", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'b':
            if (!cli_parse_size(optarg, 10000000, &batch) || batch == 0) {
                cli_error("--batch needs a positive number, not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'j':
            if (!cli_parse_size(optarg, 64, &jobs)) {
                cli_error("--jobs needs a number from 0 (a worker per core) to 64, "
                          "not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'q': quiet = true; break;
        case 'v': verbose = true; break;
        case 'w': wait = true; break;
        case 'e': exact = true; break;
        case 'E': no_entities = true; break;
        case 'f':
            if (!parse_format(optarg, &format)) {
                cli_error("--format needs auto, text, jsonl, ninjs or html, "
                          "not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'P': prune = true; break;
        case 'R': rebuild = true; break;
        case 'M':
            if (!parse_file_size(optarg, &max_file)) {
                cli_error("--max-file-size needs a size in bytes (or with K, M "
                          "or G), not \"%s\"", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': fputs(help_text, stdout); return EXIT_OK;
        default:
            cli_error("index: unknown or incomplete option \"%s\" (try: attache "
                      "index --help)", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("index: no PATH given (try: attache index --help)");
        return EXIT_USAGE;
    }
    if (quiet && verbose) {
        cli_error("index: --quiet and --verbose contradict each other");
        return EXIT_USAGE;
    }
    const char *path = cli_db_path(db);
    att_index *ix = NULL;
    att_rebuild *rb = NULL;
    unsigned flags = ATT_OPEN_WRITE | ATT_OPEN_CREATE | (wait ? ATT_OPEN_WAIT : 0) |
                     (exact ? ATT_OPEN_EXACT_FORMS : 0) |
                     (no_entities ? ATT_OPEN_NO_ENTITIES : 0);
    att_status st = rebuild ? att_rebuild_begin(&rb, path, flags)
                            : att_index_open(&ix, path, flags);
    if (st == ATT_LOCKED) {
        cli_error("%s; run this again when the other writer has finished, or "
                  "add --wait to wait for it", att_last_error());
        return cli_exit_code(st);
    }
    if (st) {
        cli_report();
        return cli_exit_code(st);
    }
    if (rb)
        ix = att_rebuild_index(rb);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    progress *p = progress_new(isatty(STDERR_FILENO) && !quiet, verbose);
    if (!p) {
        if (rb)
            att_rebuild_abort(rb);
        else
            att_index_close(ix);
        cli_error("out of memory");
        return EXIT_NO_MEMORY;
    }
    progress_catch_signals();
    progress_count_inputs(p, argv + optind, argc - optind);
    att_ingest_options o = ATT_INGEST_OPTIONS_INIT;
    o.batch_size = batch;
    o.jobs = (unsigned)jobs;
    o.callback = progress_event;
    o.callback_ctx = p;
    o.format = format;
    o.max_file_size = max_file;
    o.flags = prune ? ATT_INGEST_PRUNE : 0;
    att_ingest_stats total;
    memset(&total, 0, sizeof total);
    int rc = EXIT_OK;
    int i;
    bool failed = false; /* a PATH or the index failed: a rebuild is kept back */
    for (i = optind; i < argc && !progress_interrupted(); i++) {
        att_ingest_stats s;
        if (strcmp(argv[i], "-") == 0)
            st = att_ingest_stream(ix, stdin, "stdin", &o, &s);
        else
            st = att_ingest(ix, argv[i], &o, &s);
        progress_input_done(p, &s);
        total.files += s.files;
        total.added += s.added;
        total.skipped += s.skipped;
        total.commits += s.commits;
        total.bytes += s.bytes;
        total.converted += s.converted;
        total.repaired += s.repaired;
        total.repaired_files += s.repaired_files;
        total.replaced += s.replaced;
        total.articles_replaced += s.articles_replaced;
        total.unchanged += s.unchanged;
        total.pruned += s.pruned;
        for (int k = 0; k < ATT_SKIP_REASON_COUNT; k++)
            total.skipped_by[k] += s.skipped_by[k];
        if (st) {
            failed = true;
            progress_clear(p);
            cli_report();
            int code = st == ATT_NOT_FOUND ? EXIT_INPUT : cli_exit_code(st);
            if (rc == EXIT_OK || code != EXIT_INPUT)
                rc = code;
            if (code != EXIT_INPUT)
                break; /* the index itself failed: stop */
        }
    }
    progress_clear(p);
    /* Cut short: the callback stopped a PATH, or PATHs were not started. */
    bool cut = progress_stopped(p) || (progress_interrupted() && i < argc);
    uint64_t count = 0;
    att_index_count(ix, &count);
    if (rb) {
        /* The new index replaces the old one only when complete. */
        if (failed || cut) {
            att_rebuild_abort(rb);
            cli_error("rebuild abandoned: the index %s is left as it was", path);
            if (rc == EXIT_OK)
                rc = cut ? progress_interrupt_status() : EXIT_INTERNAL;
            progress_free(p);
            return rc;
        }
        if ((st = att_rebuild_finish(rb))) {
            cli_report();
            progress_free(p);
            return cli_exit_code(st);
        }
    } else {
        att_index_close(ix);
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!quiet) {
        /* "; 3 skipped (1 malformed, 2 binary)" */
        char why[256] = "";
        size_t wl = 0;
        for (int k = 0; k < ATT_SKIP_REASON_COUNT && total.skipped; k++) {
            if (!total.skipped_by[k])
                continue;
            int n = snprintf(why + wl, sizeof why - wl, "%s%llu %s",
                             wl ? ", " : " (",
                             (unsigned long long)total.skipped_by[k],
                             att_skip_reason_name((att_skip_reason)k));
            if (n > 0 && (size_t)n < sizeof why - wl)
                wl += (size_t)n;
        }
        if (wl && wl + 1 < sizeof why)
            why[wl++] = ')', why[wl] = '\0';
        char pruned[64] = "";
        if (prune)
            snprintf(pruned, sizeof pruned, "%llu pruned; ",
                     (unsigned long long)total.pruned);
        uint64_t in_index = total.added + total.unchanged;
        uint64_t fresh = total.added - total.articles_replaced;
        printf("Indexed %llu article%s from %llu file%s in %.1f s; %llu new, "
               "%llu replaced, %llu unchanged; %llu skipped%s; %sthe index %s "
               "now holds %llu article%s.%s\n",
               (unsigned long long)in_index, in_index == 1 ? "" : "s",
               (unsigned long long)total.files, total.files == 1 ? "" : "s",
               since(&start, &now), (unsigned long long)fresh,
               (unsigned long long)total.articles_replaced,
               (unsigned long long)total.unchanged,
               (unsigned long long)total.skipped, why, pruned, path,
               (unsigned long long)count, count == 1 ? "" : "s",
               cut ? " (interrupted)" : "");
    }
    if (!quiet && (total.converted || total.repaired || total.replaced))
        printf("Decoding: %llu file%s converted to UTF-8 (UTF-16, Windows-1252, "
               "ISO-8859-1 or stray bytes); %llu double-encoded character%s "
               "repaired in %llu file%s; %llu invalid byte%s or control "
               "character%s replaced.\n",
               (unsigned long long)total.converted, total.converted == 1 ? "" : "s",
               (unsigned long long)total.repaired, total.repaired == 1 ? "" : "s",
               (unsigned long long)total.repaired_files,
               total.repaired_files == 1 ? "" : "s",
               (unsigned long long)total.replaced, total.replaced == 1 ? "" : "s",
               total.replaced == 1 ? "" : "s");
    if (rc == EXIT_OK && total.skipped)
        rc = EXIT_SKIPPED;
    if (cut) {
        progress_report_interrupt(p, path, count);
        if (rc == EXIT_OK || rc == EXIT_SKIPPED)
            rc = progress_interrupt_status();
    }
    progress_free(p);
    return rc;
}
