/*
 * index.c: the att_index handle: opening, closing, counting, reopening,
 * committing (each commit records its time in the index), fetching a
 * stored article, deleting by id and the index's statistics; plus the
 * id, date and source helpers shared by the write and read sides.
 * Adding articles (document building) lives in indexer/docbuild.c.
 */
#include "index.h"
#include "record.h"
#include "xapian/shim_recover.h"
#include "xapian/shim_stats.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* mkdir -p for the parents of a new index directory. */
static att_status make_parents(const char *path)
{
    char *p = att_strdup(path);
    if (!p)
        return att_error_nomem();
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            att_error_set(ATT_IO, "cannot create directory %s: %s", p,
                          strerror(e));
            free(p);
            return ATT_IO;
        }
        *s = '/';
    }
    free(p);
    return ATT_OK;
}

/* Attempts to open a reader again when the index changed during opening. */
#define OPEN_RETRIES 10

ATT_API att_status att_index_open(att_index **out, const char *path,
                                  unsigned flags)
{
    if (!out)
        return att_error_set(ATT_INVALID, "att_index_open: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return att_error_set(ATT_INVALID, "att_index_open: no path given");
    if (flags & ~(unsigned)(ATT_OPEN_WRITE | ATT_OPEN_CREATE | ATT_OPEN_WAIT |
                            ATT_OPEN_EXACT_FORMS | ATT_OPEN_NO_ENTITIES))
        return att_error_set(ATT_INVALID, "att_index_open: unknown flags 0x%x",
                             flags);
    if ((flags & (ATT_OPEN_CREATE | ATT_OPEN_WAIT | ATT_OPEN_EXACT_FORMS |
                  ATT_OPEN_NO_ENTITIES)) &&
        !(flags & ATT_OPEN_WRITE))
        return att_error_set(ATT_INVALID, "att_index_open: CREATE, WAIT and "
                             "EXACT_FORMS need WRITE");
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (!(flags & ATT_OPEN_CREATE))
            return att_error_set(ATT_NOT_FOUND, "no index at %s", path);
        att_status st = make_parents(path);
        if (st)
            return st;
    } else if (!S_ISDIR(sb.st_mode)) {
        return att_error_set(ATT_NOT_FOUND, "no index at %s: not a directory",
                             path);
    } else if (flags & ATT_OPEN_CREATE) {
        /* A writer killed while creating the index left files that would
         * stop every later run (common/xapian/shim_recover.cc). */
        att_status st = att_shim_recover_creation(path);
        if (st)
            return st;
    }
    att_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return att_error_nomem();
    ix->flags = flags;
    att_status st;
    if (!(ix->path = att_strdup(path))) {
        st = att_error_nomem();
        goto fail;
    }
    if ((st = att_analyzer_new(&ix->an)) != ATT_OK)
        goto fail;
    /* A reader opens the newest revision; if a writer commits twice while
     * the opening reads the metadata, the blocks read can be recycled
     * (ATT_MODIFIED): opening again reads the revision after. */
    for (int attempt = 0;; attempt++) {
        st = att_shim_open(&ix->db, path, flags);
        if (st != ATT_MODIFIED || (flags & ATT_OPEN_WRITE) ||
            attempt >= OPEN_RETRIES)
            break;
    }
    if (st != ATT_OK)
        goto fail;
    *out = ix;
    return ATT_OK;
fail:
    att_index_close(ix);
    return st;
}

ATT_API void att_index_close(att_index *ix)
{
    if (!ix)
        return;
    att_shim_close(ix->db);
    att_analyzer_free(ix->an);
    att_extractor_free(ix->ex);
    free(ix->path);
    free(ix);
}

ATT_API const char *att_index_path(const att_index *ix)
{
    return ix ? ix->path : NULL;
}

ATT_API att_status att_index_count(const att_index *ix, uint64_t *out)
{
    if (!ix || !out)
        return att_error_set(ATT_INVALID, "att_index_count: NULL argument");
    return att_shim_doccount(ix->db, out);
}

ATT_API att_status att_index_reopen(att_index *ix)
{
    if (!ix)
        return att_error_set(ATT_INVALID, "att_index_reopen: NULL index");
    return att_shim_reopen(ix->db);
}

/* The time to record for a commit: now, or SOURCE_DATE_EPOCH when it is
 * set (the reproducible-builds.org convention: seconds since 1970), so
 * that indexing the same files twice can give the same bytes, which the
 * test of --jobs relies on. */
static time_t commit_clock(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(e, &end, 10);
        if (!errno && end && !*end && v >= 0)
            return (time_t)v;
    }
    return time(NULL);
}

/* Writes the time of the commit being prepared into it (schema.h,
 * ATT_COMMIT_TIME_KEY): `attache stats` shows when an index last changed,
 * and since it is part of the transaction it is never newer than the
 * articles it dates. */
static att_status stamp_commit(att_index *ix)
{
    char when[32];
    time_t now = commit_clock();
    struct tm tm;
    if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return ATT_OK; /* no clock: the commit matters more than its time */
    return att_shim_stamp_commit(ix->db, when);
}

ATT_API att_status att_index_commit(att_index *ix)
{
    if (!ix)
        return att_error_set(ATT_INVALID, "att_index_commit: NULL index");
    if (!att_shim_writable(ix->db))
        return att_error_set(ATT_READ_ONLY, "cannot commit: index %s is open "
                             "read-only", ix->path);
    att_status st = stamp_commit(ix);
    return st ? st : att_shim_commit(ix->db);
}

att_status att_index_commit_batch(att_index *ix)
{
    att_status st = stamp_commit(ix);
    return st ? st : att_shim_commit_batch(ix->db, false);
}

att_status att_id_check(const char *id)
{
    if (!id || !*id)
        return att_error_set(ATT_INVALID, "article has no id");
    size_t n = strlen(id);
    if (n > ATT_ID_MAX)
        return att_error_set(ATT_INVALID, "article id is longer than %d bytes",
                             ATT_ID_MAX);
    if (!att_utf8_valid(id, n, NULL))
        return att_error_set(ATT_INVALID, "article id is not valid UTF-8");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7F)
            return att_error_set(ATT_INVALID,
                                 "article id contains a control character");
    return ATT_OK;
}

att_status att_id_term(const char *id, att_buf *out)
{
    out->len = 0;
    size_t n = strlen(id);
    att_status st = att_buf_puts(out, ATT_PREFIX_ID);
    if (!st && ((id[0] >= 'A' && id[0] <= 'Z') || id[0] == ':'))
        st = att_buf_putc(out, ':');
    if (st)
        return st;
    if (n <= ATT_ID_TERM_MAX)
        return att_buf_append(out, id, n);
    /* Keep a head that does not split a UTF-8 sequence, then a hash. */
    size_t head = ATT_ID_TERM_MAX - 17;
    while (head > 0 && ((unsigned char)id[head] & 0xC0) == 0x80)
        head--;
    char tail[20];
    snprintf(tail, sizeof tail, "#%016llx",
             (unsigned long long)att_hash64(id, n));
    if ((st = att_buf_append(out, id, head)))
        return st;
    return att_buf_puts(out, tail);
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool att_date_slot(const char *d, char out[9])
{
    size_t n = strlen(d);
    if (n < 4 || !digits(d, 4))
        return false;
    memcpy(out, d, 4);
    memcpy(out + 4, "0000", 5);
    if (n == 4)
        return true;
    if (d[4] != '-' || n < 7 || !digits(d + 5, 2))
        return false;
    int month = (d[5] - '0') * 10 + (d[6] - '0');
    if (month < 1 || month > 12)
        return false;
    memcpy(out + 4, d + 5, 2);
    if (n == 7)
        return true;
    if (d[7] != '-' || n < 10 || !digits(d + 8, 2))
        return false;
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day < 1 || day > mdays[month - 1])
        return false;
    if (month == 2 && day == 29) {
        int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 +
                   (d[2] - '0') * 10 + (d[3] - '0');
        if (!((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
            return false;
    }
    memcpy(out + 6, d + 8, 2);
    if (n == 10)
        return true;
    /* A time may follow: "T" or a space, then anything ISO-like. */
    return d[10] == 'T' || d[10] == ' ';
}

att_status att_source_fold(const char *source, att_buf *out)
{
    out->len = 0;
    bool dash = false;
    att_status st;
    for (const char *s = source; *s && out->len < 120; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            if (dash && out->len && (st = att_buf_putc(out, '-')))
                return st;
            dash = false;
            if ((st = att_buf_putc(out, (char)c)))
                return st;
        } else if (c >= 'A' && c <= 'Z') {
            if (dash && out->len && (st = att_buf_putc(out, '-')))
                return st;
            dash = false;
            if ((st = att_buf_putc(out, (char)(c + 32))))
                return st;
        } else {
            dash = true;
        }
    }
    return att_buf_reserve(out, 0);
}

ATT_API att_status att_index_get(att_article **out, att_index *ix,
                                 const char *id)
{
    if (!out)
        return att_error_set(ATT_INVALID, "att_index_get: out is NULL");
    *out = NULL;
    if (!ix)
        return att_error_set(ATT_INVALID, "att_index_get: NULL index");
    att_status st = att_id_check(id);
    if (st)
        return st;
    att_buf term = ATT_BUF_INIT;
    char *data = NULL;
    size_t len = 0;
    if ((st = att_id_term(id, &term)) == ATT_OK) {
        st = att_shim_get_data(ix->db, term.data, term.len, &data, &len);
        if (st == ATT_NOT_FOUND)
            att_error_set(ATT_NOT_FOUND, "no article with id \"%s\" in %s", id,
                          ix->path);
        else if (st == ATT_OK)
            st = att_record_decode(data, len, out);
    }
    free(data);
    att_buf_free(&term);
    return st;
}

ATT_API att_status att_index_delete(att_index *ix, const char *id)
{
    if (!ix)
        return att_error_set(ATT_INVALID, "att_index_delete: NULL index");
    att_status st = att_id_check(id);
    if (st)
        return st;
    if (!att_shim_writable(ix->db))
        return att_error_set(ATT_READ_ONLY, "cannot delete: index %s is open "
                             "read-only", ix->path);
    att_buf term = ATT_BUF_INIT;
    if ((st = att_id_term(id, &term)) == ATT_OK) {
        st = att_shim_delete(ix->db, term.data, term.len);
        if (st == ATT_NOT_FOUND)
            att_error_set(ATT_NOT_FOUND, "no article with id \"%s\" in %s", id,
                          ix->path);
    }
    att_buf_free(&term);
    return st;
}

/* ---- statistics ---------------------------------------------------------- */

/* "YYYYMMDD" with 00 for unknown parts -> "YYYY-MM-DD", "YYYY-MM" or
 * "YYYY"; "" for anything else. */
static void date_from_slot(const char *v, char out[11])
{
    out[0] = '\0';
    if (strlen(v) != 8)
        return;
    for (int i = 0; i < 8; i++)
        if (v[i] < '0' || v[i] > '9')
            return;
    if (memcmp(v + 4, "00", 2) == 0)
        snprintf(out, 11, "%.4s", v);
    else if (memcmp(v + 6, "00", 2) == 0)
        snprintf(out, 11, "%.4s-%.2s", v, v + 4);
    else
        snprintf(out, 11, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
}

/* "2025-11-23T15:58:07Z" -> seconds since the epoch; 0 if unreadable. */
static int64_t time_from_iso(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    char z = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 ||
        z != 'Z')
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    return t == (time_t)-1 ? 0 : (int64_t)t;
}

/* The total size of the files in the index directory and the newest
 * modification time among them.  Xapian's lock file is left out of the
 * time: a writer touches it on opening, without committing anything. */
static att_status dir_figures(const char *path, uint64_t *size, int64_t *newest)
{
    *size = 0;
    *newest = 0;
    DIR *d = opendir(path);
    if (!d) {
        int e = errno;
        return att_error_set(ATT_IO, "cannot read index directory %s: %s", path,
                             strerror(e));
    }
    att_buf f = ATT_BUF_INIT;
    att_status st = ATT_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        f.len = 0;
        if ((st = att_buf_puts(&f, path)) || (st = att_buf_putc(&f, '/')) ||
            (st = att_buf_puts(&f, de->d_name)))
            break;
        struct stat sb;
        if (stat(f.data, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue; /* gone meanwhile (a commit renames files), or not a file */
        *size += (uint64_t)sb.st_size;
        if (strcmp(de->d_name, "flintlock") != 0 &&
            (int64_t)sb.st_mtime > *newest)
            *newest = (int64_t)sb.st_mtime;
    }
    closedir(d);
    att_buf_free(&f);
    return st;
}

ATT_API att_status att_index_stats(att_index_info *out, att_index *ix)
{
    if (!out || !ix)
        return att_error_set(ATT_INVALID, "att_index_stats: NULL argument");
    if (out->version != ATT_INDEX_INFO_VERSION)
        return att_error_set(ATT_INVALID,
                             "att_index_stats: info version %d, expected %d "
                             "(initialise with ATT_INDEX_INFO_INIT)",
                             out->version, ATT_INDEX_INFO_VERSION);
    att_shim_stats s;
    att_status st = att_shim_stats_read(ix->db, &s);
    if (st)
        return st;
    uint64_t size = 0;
    int64_t newest = 0;
    if ((st = dir_figures(ix->path, &size, &newest)))
        return st;
    att_index_info r = ATT_INDEX_INFO_INIT;
    r.articles = s.docs;
    r.terms = s.terms;
    r.people = s.people;
    r.orgs = s.orgs;
    r.places = s.places;
    r.sources = s.sources;
    r.dated = s.dated;
    date_from_slot(s.first_date, r.first_date);
    date_from_slot(s.last_date, r.last_date);
    r.size_bytes = size;
    r.last_commit = time_from_iso(s.commit_time);
    if (!r.last_commit) {
        r.last_commit = newest;
        r.last_commit_estimated = 1;
    }
    r.entities = att_shim_entities(ix->db);
    r.exact_forms = att_shim_exact_forms(ix->db);
    snprintf(r.schema, sizeof r.schema, "%s", s.schema);
    *out = r;
    return ATT_OK;
}
