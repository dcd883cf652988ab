/*
 * ref_fts5.c: the SQLite FTS5 reference of the benchmarks.  Not part of the
 * product: a small indexer and searcher over libsqlite3, so that the harness
 * can state Attaché's figures as ratios against it.
 *
 *   ref-fts5 index DB PATH...    index every article file under PATH
 *   ref-fts5 search DB QUERIES [--passes N] [--warmup N]
 *
 * Indexing: one FTS5 table (id UNINDEXED, title, body) with the tokenizer
 * 'porter unicode61 remove_diacritics 2', rows inserted through one
 * prepared statement in transactions of 10,000 articles, then
 * 'optimize' (FTS5's merge of its segments, the counterpart of
 * xapian-compact).  Articles are read in the format of docs/FORMATS.md:
 * leading metadata lines are skipped, the first line after them is the
 * title.
 *
 * Searching: the query is translated to FTS5 syntax (words and "phrases"
 * as they are, OR, NOT, title:word), ranked by bm25() and cut to the top
 * 10 with snippet() of the body (up to 32 tokens).  Each query is timed
 * from preparing to the last snippet; process start is excluded.  Output as
 * ref-xapian: "usec<TAB>hits" per query of the last pass, then "pass<TAB>
 * seconds" per measured pass.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <sqlite3.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static sqlite3 *db;
static sqlite3_stmt *ins;
static long n_docs;

static void die(const char *what)
{
    fprintf(stderr, "ref-fts5: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "ref-fts5: %s: %s\n", sql, err);
        exit(1);
    }
}

static int is_meta(const char *line, size_t len)
{
    static const char *keys[] = {"categories", "date", "source", "author",
                                 "url", "language", "tags"};
    const char *colon = memchr(line, ':', len);
    if (!colon)
        return 0;
    size_t k = (size_t)(colon - line);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strlen(keys[i]) == k && strncasecmp(line, keys[i], k) == 0)
            return 1;
    return 0;
}

static void index_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, f) != (size_t)size)
        die("read");
    fclose(f);
    text[size] = 0;
    const char *p = text, *end = text + size;
    if (size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    const char *title = "", *body = "";
    size_t tlen = 0, blen = 0;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        size_t len = (size_t)(e - p);
        size_t ws = strspn(p, " \t\r");
        if (ws >= len || is_meta(p, len)) {
            p = e + 1;
            continue;
        }
        title = p;
        tlen = len && p[len - 1] == '\r' ? len - 1 : len;
        body = e < end ? e + 1 : end;
        blen = (size_t)(end - body);
        break;
    }
    sqlite3_bind_text(ins, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, title, (int)tlen, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, body, (int)blen, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE)
        die("insert");
    sqlite3_reset(ins);
    free(text);
    if (++n_docs % 10000 == 0)
        exec("COMMIT; BEGIN");
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        perror(path);
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        if (S_ISREG(sb.st_mode))
            index_file(path);
        return;
    }
    DIR *d = opendir(path);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            names = realloc(names, cap * sizeof *names);
        }
        names[n] = malloc(strlen(path) + strlen(de->d_name) + 2);
        sprintf(names[n++], "%s/%s", path, de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    for (size_t i = 0; i < n; i++) {
        walk(names[i]);
        free(names[i]);
    }
    free(names);
}

static int do_index(const char *path, int argc, char **argv)
{
    remove(path);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die(path);
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    exec("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
         "tokenize='porter unicode61 remove_diacritics 2')");
    if (sqlite3_prepare_v2(db, "INSERT INTO docs(id, title, body) VALUES (?,?,?)",
                           -1, &ins, NULL) != SQLITE_OK)
        die("prepare");
    exec("BEGIN");
    for (int i = 0; i < argc; i++)
        walk(argv[i]);
    exec("COMMIT");
    sqlite3_finalize(ins);
    exec("INSERT INTO docs(docs) VALUES('optimize')");
    exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;");
    sqlite3_close(db);
    fprintf(stderr, "ref-fts5: indexed %ld articles\n", n_docs);
    return 0;
}

/* Our query mix in FTS5's syntax: words become quoted strings (so that no
 * word is read as an FTS5 keyword), "phrases" stay, OR and NOT stay, and
 * title:word becomes title:"word". */
static void translate(const char *q, char *out, size_t cap)
{
    size_t o = 0;
    const char *p = q;
    while (*p && o + 8 < cap) {
        if (isspace((unsigned char)*p)) {
            out[o++] = *p++;
            continue;
        }
        if (*p == '"') {
            const char *e = strchr(p + 1, '"');
            size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
            if (o + n >= cap)
                break;
            memcpy(out + o, p, n);
            o += n;
            p += n;
            continue;
        }
        size_t n = strcspn(p, " \t\"");
        if ((n == 2 && strncmp(p, "OR", 2) == 0) || (n == 3 && strncmp(p, "NOT", 3) == 0) ||
            (n == 3 && strncmp(p, "AND", 3) == 0)) {
            memcpy(out + o, p, n);
            o += n;
        } else {
            const char *w = p;
            size_t wn = n;
            if (n > 6 && strncmp(p, "title:", 6) == 0) {
                memcpy(out + o, "title:", 6);
                o += 6;
                w += 6;
                wn -= 6;
            }
            if (o + wn + 3 >= cap)
                break;
            out[o++] = '"';
            memcpy(out + o, w, wn);
            o += wn;
            out[o++] = '"';
        }
        p += n;
    }
    out[o] = 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int do_search(const char *path, const char *qfile, int passes, int warmup)
{
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(path);
    FILE *f = fopen(qfile, "r");
    if (!f) {
        perror(qfile);
        return 1;
    }
    char **qs = NULL;
    size_t nq = 0, cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        if (nq == cap) {
            cap = cap ? cap * 2 : 256;
            qs = realloc(qs, cap * sizeof *qs);
        }
        char buf[8192];
        translate(line, buf, sizeof buf);
        qs[nq++] = strdup(buf);
    }
    fclose(f);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
            "SELECT id, title, snippet(docs, 2, '<b>', '</b>', '...', 32) "
            "FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT 10",
            -1, &st, NULL) != SQLITE_OK)
        die("prepare");
    long *usec = calloc(nq, sizeof *usec);
    long *hits = calloc(nq, sizeof *hits);
    double *pass_secs = calloc((size_t)passes + 1, sizeof *pass_secs);
    size_t sink = 0;
    for (int pass = 0; pass < warmup + passes; pass++) {
        double p0 = now();
        for (size_t i = 0; i < nq; i++) {
            double t0 = now();
            sqlite3_bind_text(st, 1, qs[i], -1, SQLITE_STATIC);
            long h = 0;
            int rc;
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                const unsigned char *s = sqlite3_column_text(st, 2);
                sink += s ? strlen((const char *)s) : 0;
                h++;
            }
            if (rc != SQLITE_DONE)
                fprintf(stderr, "ref-fts5: query %zu (%s): %s\n", i + 1, qs[i],
                        sqlite3_errmsg(db));
            sqlite3_reset(st);
            usec[i] = (long)((now() - t0) * 1e6);
            hits[i] = h;
        }
        if (pass >= warmup)
            pass_secs[pass - warmup] = now() - p0;
    }
    for (size_t i = 0; i < nq; i++)
        printf("%ld\t%ld\n", usec[i], hits[i]);
    for (int i = 0; i < passes; i++)
        printf("pass\t%.6f\n", pass_secs[i]);
    fprintf(stderr, "ref-fts5: %zu queries, %zu snippet bytes\n", nq, sink);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "index") == 0)
        return do_index(argv[2], argc - 3, argv + 3);
    if (argc >= 4 && strcmp(argv[1], "search") == 0) {
        int passes = 3, warmup = 1;
        for (int i = 4; i + 1 < argc; i += 2) {
            if (strcmp(argv[i], "--passes") == 0)
                passes = atoi(argv[i + 1]);
            else if (strcmp(argv[i], "--warmup") == 0)
                warmup = atoi(argv[i + 1]);
        }
        return do_search(argv[2], argv[3], passes, warmup);
    }
    fprintf(stderr, "usage: ref-fts5 index DB PATH...\n"
                    "       ref-fts5 search DB QUERIES [--passes N] [--warmup N]\n");
    return 2;
}
