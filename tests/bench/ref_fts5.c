/*
 * ref_fts5.c: the SQLite FTS5 reference of the benchmarks.  Not part of the
 * product: a small indexer and searcher over libsqlite3, so that the harness
 * can state Attaché's figures as ratios against it.
 *
 *   ref-fts5 index DB PATH...    index every article file under PATH
 *   ref-fts5 search DB QUERIES [--passes N] [--warmup N]
 *
 * Indexing: one FTS5 table (id UNINDEXED, title, body) with the tokenizer
 * 'porter unicode61 remove_diacritics 2' and no prefix index, rows inserted
 * through one prepared statement in transactions of 10,000 articles, then
 * 'optimize' (FTS5's merge of its segments, the counterpart of
 * xapian-compact).  The article's date goes to a side table dates(doc,
 * date), doc being the FTS5 row's rowid, indexed on date once loaded.
 * Articles are read in the format of docs/FORMATS.md: leading metadata
 * lines are skipped, the first line after them is the title.  The date
 * comes from the metadata's Date: line, as Attaché's reader takes it
 * (indexer/reader_text.c, att_date_slot): YYYY, YYYY-MM or YYYY-MM-DD (a
 * time may follow) stored as 8 digits YYYYMMDD with 00 for an unknown
 * month or day; an article without such a date has no row in dates.
 *
 * Searching: the query is translated to FTS5 syntax (below), ranked by
 * bm25() and cut to the top 10 with snippet() of the body (up to 32
 * tokens).  A date: filter joins the dates table (FTS5 first, then the
 * date of each match by rowid: CROSS JOIN fixes that order); a query of
 * dates alone reads the date index and shows the first 200 characters of
 * each body (no words to rank or highlight).  Each query is timed from binding
 * to the last snippet; process start is excluded.  Output as ref-xapian:
 * "usec<TAB>hits" per query of the last pass, then "pass<TAB>seconds" per
 * measured pass.  A query that cannot be translated or that FTS5 rejects
 * is reported on stderr and makes the exit status 1.
 *
 * How the benchmark's query mix (tests/bench/make-queries.py) keeps its
 * meaning here:
 *   - words become quoted strings (so that no word is read as an FTS5
 *     keyword), "phrases", parentheses, OR, NOT and AND stay, title:word
 *     becomes title:"word".  FTS5 matches porter stems, Attaché Snowball
 *     stems (nearly always the same).  Juxtaposition is AND: FTS5 reads
 *     it so between strings and phrases, and next to a parenthesised
 *     group the AND is written out ("a" AND ("b" OR "c d")).
 *   - entity filters (person:, org:, place:) and the names Attaché
 *     expands arrive already spelt out as the OR of the entity's names
 *     (the harness gives the references tests/bench/queries-ref.txt;
 *     make-queries.py says how), so they are parentheses, OR and
 *     phrases here.
 *   - a NEAR/n b becomes NEAR("a" "b", n-1): FTS5 counts the tokens
 *     between the words, Attaché (and Xapian) the span of positions, so
 *     both mean the words at most n positions apart, in either order (k
 *     words: NEAR(..., n(k-1)-1)).  a ADJ/n b (in order) becomes the same
 *     NEAR: FTS5 has no ordered proximity, so ADJ is approximated and
 *     also matches the words in the other order.  Bare NEAR is NEAR/10,
 *     bare ADJ is ADJ/1.
 *   - word* (and title:word*) becomes the prefix query "word"*.  FTS5
 *     matches the prefix against its index's tokens, which are porter
 *     stems, and stems the prefix itself first: negot* finds what Attaché
 *     finds, but negotiat* finds nearly nothing (the stem of
 *     "negotiations" is "negoti") and soy* looks for soi*.  There is no
 *     limit on the number of stems a prefix expands to (Attaché and
 *     ref-xapian keep the 256 most frequent words).  No prefix index
 *     (prefix='...'): without one FTS5 answers a prefix by walking the
 *     terms that share it, as Xapian does, and its indexing figures stay
 *     those of a plain table.  Measured on Reuters: prefix='3 4 5' made
 *     the broadest prefixes (pro*, con*) about 2.3 times as fast (18 ->
 *     8 ms) but tripled the time to build the table (0.7 -> 2.2 s) and
 *     made it 46% larger (40 -> 58 MB).
 *   - date:V is taken out of the MATCH expression and becomes
 *     dates.date BETWEEN lo AND hi with the ends Attaché means
 *     (searcher/query_date.c): date:1987-03 is 19870300..19870331,
 *     date:1987 19870000..19871231, a lower end padded with 00, an upper
 *     end to its last month and day, an open end 00000000 or 99999999.
 *     Several date: filters intersect.  Relative dates (last-7-days) are
 *     not supported.
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
static sqlite3_stmt *ins, *ins_date;
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

static int is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* An article's Date: value as Attaché stores it (att_date_slot in
 * common/index.c): YYYY, YYYY-MM or YYYY-MM-DD, a time after a 'T' or a
 * space allowed, to YYYYMMDD with 00 for the unknown parts.  Returns 0 if
 * it is not such a date. */
static int date_slot(const char *d, size_t n, char out[9])
{
    if (n < 4 || !is_digits(d, 4))
        return 0;
    memcpy(out, d, 4);
    memcpy(out + 4, "0000", 5);
    if (n == 4)
        return 1;
    if (d[4] != '-' || n < 7 || !is_digits(d + 5, 2))
        return 0;
    int y = atoi(d), m = (d[5] - '0') * 10 + (d[6] - '0');
    if (m < 1 || m > 12)
        return 0;
    memcpy(out + 4, d + 5, 2);
    if (n == 7)
        return 1;
    if (d[7] != '-' || n < 10 || !is_digits(d + 8, 2))
        return 0;
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    if (day < 1 || day > month_days(y, m))
        return 0;
    memcpy(out + 6, d + 8, 2);
    return n == 10 || d[10] == 'T' || d[10] == ' ';
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
    const char *date = NULL;
    size_t dlen = 0;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        size_t len = (size_t)(e - p);
        size_t ws = strspn(p, " \t\r");
        if (ws >= len || is_meta(p + ws, len - ws)) {
            if (ws < len && strncasecmp(p + ws, "date:", 5) == 0) {
                /* The value, trimmed (the last Date: line wins). */
                date = p + ws + 5;
                dlen = (size_t)(e - date);
                while (dlen && (*date == ' ' || *date == '\t')) {
                    date++;
                    dlen--;
                }
                while (dlen && strchr(" \t\r\f\v", date[dlen - 1]))
                    dlen--;
            }
            p = e + 1;
            continue;
        }
        title = p;
        tlen = len && p[len - 1] == '\r' ? len - 1 : len;
        body = e < end ? e + 1 : end;
        blen = (size_t)(end - body);
        break;
    }
    sqlite3_int64 rowid = n_docs + 1;
    sqlite3_bind_int64(ins, 1, rowid);
    sqlite3_bind_text(ins, 2, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, title, (int)tlen, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, body, (int)blen, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE)
        die("insert");
    sqlite3_reset(ins);
    char slot[9];
    if (date && date_slot(date, dlen, slot)) {
        sqlite3_bind_int64(ins_date, 1, rowid);
        sqlite3_bind_text(ins_date, 2, slot, 8, SQLITE_STATIC);
        if (sqlite3_step(ins_date) != SQLITE_DONE)
            die("insert date");
        sqlite3_reset(ins_date);
    }
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
    exec("CREATE TABLE dates(doc INTEGER PRIMARY KEY, date TEXT NOT NULL)");
    if (sqlite3_prepare_v2(db, "INSERT INTO docs(rowid, id, title, body) VALUES (?,?,?,?)",
                           -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO dates(doc, date) VALUES (?,?)", -1,
                           &ins_date, NULL) != SQLITE_OK)
        die("prepare");
    exec("BEGIN");
    for (int i = 0; i < argc; i++)
        walk(argv[i]);
    exec("COMMIT");
    sqlite3_finalize(ins);
    sqlite3_finalize(ins_date);
    exec("CREATE INDEX dates_by_date ON dates(date)");
    exec("INSERT INTO docs(docs) VALUES('optimize')");
    exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;");
    sqlite3_close(db);
    fprintf(stderr, "ref-fts5: indexed %ld articles\n", n_docs);
    return 0;
}

/* A growable string. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        if (!(b->p = realloc(b->p, b->cap)))
            die("out of memory");
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* A query of the mix, translated. */
typedef struct query {
    char *match;       /* the FTS5 expression; "" for dates alone */
    int dated;         /* a date: filter: lo <= date <= hi */
    char lo[9], hi[9];
} query;

/* One end of a date: range as Attaché reads it (searcher/query_date.c):
 * YYYY, YYYY-MM or YYYY-MM-DD to YYYYMMDD, an incomplete lower end padded
 * with 00, an incomplete upper end to its last month and day.  Returns 0
 * if `v` is not such a date. */
static int date_end(const char *v, size_t n, int upper, char out[9])
{
    if (!((n == 4 || n == 7 || n == 10) && is_digits(v, 4) &&
          (n < 7 || (v[4] == '-' && is_digits(v + 5, 2))) &&
          (n < 10 || (v[7] == '-' && is_digits(v + 8, 2)))))
        return 0;
    int m = n >= 7 ? (v[5] - '0') * 10 + (v[6] - '0') : 1;
    int d = n == 10 ? (v[8] - '0') * 10 + (v[9] - '0') : 1;
    if (m < 1 || m > 12 || d < 1 || d > month_days(atoi(v), m))
        return 0;
    memcpy(out, v, 4);
    memcpy(out + 4, n >= 7 ? v + 5 : upper ? "12" : "00", 2);
    memcpy(out + 6, n == 10 ? v + 8 : upper ? "31" : "00", 2);
    out[8] = 0;
    return 1;
}

/* One word of the query as an FTS5 string: "word", or "word"* for a
 * trailing wildcard. */
static void put_word(sbuf *b, const char *w, size_t n)
{
    int prefix = n > 1 && w[n - 1] == '*';
    sb_puts(b, "\"");
    sb_put(b, w, n - (size_t)prefix);
    sb_puts(b, prefix ? "\"*" : "\"");
}

/* Translates a query of the mix into FTS5's syntax (the head comment says
 * how each construct is read).  Returns 0 and sets *err on a query it
 * cannot translate. */
static int translate(const char *q, query *out, const char **err)
{
    enum { NONE, SIMPLE, NEAR_GROUP, OTHER, OPERATOR } last = NONE;
    sbuf b = {0}, near = {0};
    size_t last_start = 0, near_k = 0;
    unsigned long near_n = 0;
    int near_ordered = 0;
    memcpy(out->lo, "00000000", 9);
    memcpy(out->hi, "99999999", 9);
    out->dated = 0;
    sb_puts(&b, "");
    const char *p = q;
    *err = NULL;
    while (*p && !*err) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        /* The next item: a parenthesis, a "phrase" or a token that ends at
         * white space or a parenthesis (title:"..." included). */
        const char *t = p;
        if (*p == '(' || *p == ')') {
            p++;
        } else {
            while (*p && !isspace((unsigned char)*p) && *p != '(' && *p != ')') {
                if (*p++ == '"') {
                    const char *e = strchr(p, '"');
                    if (!e) {
                        *err = "unbalanced quote";
                        break;
                    }
                    p = e + 1;
                }
            }
        }
        size_t n = (size_t)(p - t);
        /* Juxtaposition is AND; FTS5 takes it as implicit AND only between
         * strings and phrases, so between an operand and a parenthesised
         * group (or a NEAR() group) the AND is written out. */
        int after_operand = last == SIMPLE || last == NEAR_GROUP || last == OTHER;
        const char *sep = !b.n || b.p[b.n - 1] == '(' ? ""
                          : after_operand && (b.p[b.n - 1] == ')' || (n == 1 && *t == '('))
                              ? " AND "
                              : " ";
        if (n == 1 && (*t == '(' || *t == ')')) {
            sb_puts(&b, *t == '(' ? sep : "");
            sb_put(&b, t, 1);
            last = *t == '(' ? OPERATOR : OTHER;
        } else if ((n == 2 && !memcmp(t, "OR", 2)) || (n == 3 && !memcmp(t, "AND", 3)) ||
                   (n == 3 && !memcmp(t, "NOT", 3))) {
            sb_puts(&b, b.n && b.p[b.n - 1] != '(' ? " " : "");
            sb_put(&b, t, n);
            last = OPERATOR;
        } else if ((n >= 4 && !memcmp(t, "NEAR", 4) && (n == 4 || t[4] == '/')) ||
                   (n >= 3 && !memcmp(t, "ADJ", 3) && (n == 3 || t[3] == '/'))) {
            int ordered = *t == 'A';
            size_t k = ordered ? 3 : 4;
            char *nend;
            unsigned long nw = n == k ? (ordered ? 1 : 10) : strtoul(t + k + 1, &nend, 10);
            if (n > k && (nend != p || nw < 1 || nw > 1000)) {
                *err = "NEAR/ADJ needs a number of words from 1 to 1000";
                break;
            }
            if (last == NEAR_GROUP && (nw != near_n || ordered != near_ordered)) {
                *err = "a chain of NEAR/ADJ words must use one operator throughout";
                break;
            }
            if (last != SIMPLE && last != NEAR_GROUP) {
                *err = "NEAR and ADJ join single words";
                break;
            }
            /* The word after it. */
            while (isspace((unsigned char)*p))
                p++;
            const char *w = p;
            while (*p && !isspace((unsigned char)*p) && !strchr("()\"", *p))
                p++;
            if (p == w || memchr(w, ':', (size_t)(p - w))) {
                *err = "NEAR and ADJ join single words";
                break;
            }
            if (last == SIMPLE) { /* a new group: its first word */
                near.n = 0;
                sb_put(&near, b.p + last_start, b.n - last_start);
                near_k = 1;
                near_n = nw;
                near_ordered = ordered;
            }
            sb_puts(&near, " ");
            put_word(&near, w, (size_t)(p - w));
            near_k++;
            /* Rewritten in place: NEAR(words, tokens between). */
            char tail[32];
            snprintf(tail, sizeof tail, ", %lu)", near_n * (near_k - 1) - 1);
            b.n = last_start;
            sb_puts(&b, "NEAR(");
            sb_put(&b, near.p, near.n);
            sb_puts(&b, tail);
            last = NEAR_GROUP;
        } else if (n > 5 && !memcmp(t, "date:", 5)) {
            if (last == OPERATOR) {
                *err = "date: only as a filter beside the other terms";
                break;
            }
            const char *v = t + 5, *dots = NULL;
            for (const char *c = v; c + 1 < p; c++)
                if (c[0] == '.' && c[1] == '.') {
                    dots = c;
                    break;
                }
            char lo[9] = "00000000", hi[9] = "99999999";
            int ok = dots ? (dots > v || dots + 2 < p) &&
                                (dots == v || date_end(v, (size_t)(dots - v), 0, lo)) &&
                                (dots + 2 == p || date_end(dots + 2, (size_t)(p - dots - 2), 1, hi))
                          : date_end(v, (size_t)(p - v), 0, lo) &&
                                date_end(v, (size_t)(p - v), 1, hi);
            if (!ok) {
                *err = "bad date: value";
                break;
            }
            if (strcmp(lo, out->lo) > 0)
                memcpy(out->lo, lo, 9);
            if (strcmp(hi, out->hi) < 0)
                memcpy(out->hi, hi, 9);
            out->dated = 1;
            last = OTHER;
        } else if (n > 6 && !memcmp(t, "title:", 6)) {
            sb_puts(&b, sep);
            sb_puts(&b, "title:");
            if (t[6] == '"')
                sb_put(&b, t + 6, n - 6);
            else
                put_word(&b, t + 6, n - 6);
            last = OTHER;
        } else if (*t == '"' || !memchr(t, '"', n)) {
            sb_puts(&b, sep);
            last_start = b.n;
            if (*t == '"')
                sb_put(&b, t, n);
            else
                put_word(&b, t, n);
            last = *t == '"' ? OTHER : SIMPLE;
        } else {
            *err = "a quote inside a word";
        }
    }
    free(near.p);
    if (!*err && !b.n && !out->dated)
        *err = "nothing to search for";
    if (*err) {
        free(b.p);
        return 0;
    }
    out->match = b.p;
    return 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static sqlite3_stmt *prepare(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(sql);
    return st;
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
    query *qs = NULL;
    char **text = NULL;
    size_t nq = 0, cap = 0;
    char line[4096];
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        if (nq == cap) {
            cap = cap ? cap * 2 : 256;
            qs = realloc(qs, cap * sizeof *qs);
            text = realloc(text, cap * sizeof *text);
            if (!qs || !text)
                die("out of memory");
        }
        const char *err;
        if (!translate(line, &qs[nq], &err)) {
            fprintf(stderr, "ref-fts5: query %zu (%s): %s\n", nq + 1, line, err);
            return 1;
        }
        text[nq++] = strdup(line);
    }
    fclose(f);
    /* Words; words and dates; dates alone (no words to rank: the first
     * 200 characters of the body stand for the snippet). */
    sqlite3_stmt *by_words = prepare(
        "SELECT id, title, snippet(docs, 2, '<b>', '</b>', '...', 32) "
        "FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT 10");
    sqlite3_stmt *by_words_dates = prepare(
        "SELECT docs.id, docs.title, snippet(docs, 2, '<b>', '</b>', '...', 32) "
        "FROM docs CROSS JOIN dates ON dates.doc = docs.rowid "
        "WHERE docs MATCH ?1 AND dates.date BETWEEN ?2 AND ?3 "
        "ORDER BY bm25(docs) LIMIT 10");
    sqlite3_stmt *by_dates = prepare(
        "SELECT docs.id, docs.title, substr(docs.body, 1, 200) "
        "FROM dates CROSS JOIN docs ON docs.rowid = dates.doc "
        "WHERE dates.date BETWEEN ?2 AND ?3 LIMIT 10");
    long *usec = calloc(nq + 1, sizeof *usec);
    long *hits = calloc(nq + 1, sizeof *hits);
    double *pass_secs = calloc((size_t)passes + 1, sizeof *pass_secs);
    size_t sink = 0;
    for (int pass = 0; pass < warmup + passes; pass++) {
        double p0 = now();
        for (size_t i = 0; i < nq; i++) {
            double t0 = now();
            const query *q = &qs[i];
            sqlite3_stmt *st = !q->dated ? by_words : q->match[0] ? by_words_dates : by_dates;
            if (q->match[0])
                sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
            if (q->dated) {
                sqlite3_bind_text(st, 2, q->lo, 8, SQLITE_STATIC);
                sqlite3_bind_text(st, 3, q->hi, 8, SQLITE_STATIC);
            }
            long h = 0;
            int src;
            while ((src = sqlite3_step(st)) == SQLITE_ROW) {
                const unsigned char *s = sqlite3_column_text(st, 2);
                sink += s ? strlen((const char *)s) : 0;
                h++;
            }
            if (src != SQLITE_DONE) {
                fprintf(stderr, "ref-fts5: query %zu (%s -> %s): %s\n", i + 1, text[i],
                        q->match, sqlite3_errmsg(db));
                rc = 1;
            }
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
    sqlite3_finalize(by_words);
    sqlite3_finalize(by_words_dates);
    sqlite3_finalize(by_dates);
    for (size_t i = 0; i < nq; i++) {
        free(qs[i].match);
        free(text[i]);
    }
    free(qs);
    free(text);
    free(usec);
    free(hits);
    free(pass_secs);
    sqlite3_close(db);
    return rc;
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
