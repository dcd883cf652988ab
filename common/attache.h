/*
 * attache.h: the public C API of libattache, the Attaché search engine.
 *
 * This header is the contract. The `attache` command-line program includes
 * nothing else from the library, so whatever the CLI does, a newsroom tool can
 * do through these functions in the same way.
 *
 * Conventions (modelled on sqlite3.h, libgit2 and notmuch.h):
 *  - Every fallible call returns an att_status; ATT_OK is 0.  On failure the
 *    calling thread's last-error message (att_last_error()) says what failed
 *    with its context: the path, the line, or the query and the byte position.
 *  - Out-parameters come first and are named `out`.  What comes back through
 *    `out` belongs to the caller and is released with the matching _free or
 *    _close function; a pointer returned as a value is borrowed from its
 *    parent object and lives as long as that parent.
 *  - Every _free / _close function accepts NULL.
 *  - Option structs carry a version field and are initialised with their
 *    _INIT macro, so fields can be appended without breaking the ABI.
 *  - Strings are UTF-8.  Lengths are in bytes.
 *  - The library never prints and never exits.
 *
 * Thread safety (docs/API.md, "Threads"; tests/unit/test_threads.c):
 *  - The library's only global state is data loaded once, under
 *    pthread_once, by whichever thread needs it first (the entity
 *    dictionary, the tagger's model, the ICU transform), and the last-error
 *    message, which is per thread.  Every function may be called from any
 *    thread; the rules below are about sharing one object between threads.
 *  - att_index, read-only or writable: not synchronised inside.  A handle
 *    may be used by one thread at a time: by the thread that opened it, or
 *    passed to another, or shared by threads that take turns under the
 *    caller's own mutex around every call on it (att_search() included).
 *    To search from several threads at once, open one read-only handle per
 *    thread: that is cheap, and read-only handles, in threads or
 *    processes, never block each other or the writer.  Each sees the
 *    revision it opened until att_index_reopen().  A writable handle is
 *    one per index across all processes (ATT_LOCKED); att_ingest() starts
 *    and joins its own worker threads and calls its callback on the
 *    calling thread only.
 *  - att_results: read-only once att_search() has returned.  Any number of
 *    threads may read the same results at once (every att_results_*
 *    accessor, and the hits, snippets and facet values they return); only
 *    att_results_free() must not overlap with a reader.  Results hold no
 *    reference to their index and may be used after att_index_close().
 *  - att_entities: the same as att_results.  att_entities_extract() and
 *    att_ner_tag() need no handle and may run in many threads at once.
 *  - att_article (from att_index_get() or att_text_parse()) and strings
 *    from att_snippet_format() are plain data owned by the caller.
 *  - att_last_error(), att_last_status() and att_last_error_position()
 *    describe the last failure in the calling thread, like errno: read
 *    them in the thread that made the failing call; a failure in one
 *    thread never changes what another thread reads.
 */
#ifndef ATTACHE_H
#define ATTACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ATT_BUILDING_LIBRARY) && defined(__GNUC__)
#define ATT_API __attribute__((visibility("default")))
#else
#define ATT_API
#endif

#define ATT_VERSION_MAJOR 0
#define ATT_VERSION_MINOR 1
#define ATT_VERSION_PATCH 0

/* ------------------------------------------------------------------------ */
/* Status codes and errors                                                   */
/* ------------------------------------------------------------------------ */

typedef enum att_status {
    ATT_OK = 0,
    ATT_NO_MEMORY,     /* an allocation failed */
    ATT_INVALID,       /* an argument is invalid (NULL, out of range, too long) */
    ATT_NOT_FOUND,     /* no index at the path, or no article with that id */
    ATT_IO,            /* a file could not be read or written */
    ATT_LOCKED,        /* another process holds the index's write lock */
    ATT_MODIFIED,      /* the index changed under a reader beyond recovery; retry */
    ATT_CORRUPT,       /* the index or a stored record is damaged */
    ATT_QUERY_SYNTAX,  /* the query cannot be parsed as written */
    ATT_EMPTY_QUERY,   /* the query has nothing to search for */
    ATT_ENCODING,      /* input text is not valid in any supported encoding */
    ATT_READ_ONLY,     /* a write was attempted on a read-only handle */
    ATT_INTERNAL       /* a bug or an unexpected failure in a dependency */
} att_status;

/* The number of distinct status codes (one more than the largest). */
#define ATT_STATUS_COUNT 13

/* A short, constant English name for a status ("index is locked").
 * Unknown values give "unknown status".  Ownership: static string. */
ATT_API const char *att_strerror(att_status status);

/* The message of the last failure in the calling thread, with its context
 * (for example "cannot open index /tmp/x: no index there").  "" when the
 * thread has seen no failure.  A successful call does not clear it.
 * Ownership: borrowed; valid until the thread's next failing call. */
ATT_API const char *att_last_error(void);

/* The status of the last failure in the calling thread (ATT_OK if none). */
ATT_API att_status att_last_status(void);

/* For the last ATT_QUERY_SYNTAX or ATT_EMPTY_QUERY failure in the calling
 * thread: the byte offset into the query text where the problem is.
 * -1 when the last failure has no query position. */
ATT_API long att_last_error_position(void);

/* The library's version, "MAJOR.MINOR.PATCH".  Ownership: static string. */
ATT_API const char *att_version(void);

/* ------------------------------------------------------------------------ */
/* Indexes                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct att_index att_index;

/* Flags for att_index_open(). */
enum {
    ATT_OPEN_READ = 0,        /* read-only; many readers may coexist */
    ATT_OPEN_WRITE = 1 << 0,  /* writable; one writer per index */
    ATT_OPEN_CREATE = 1 << 1, /* with ATT_OPEN_WRITE: create if missing */
    ATT_OPEN_WAIT = 1 << 2,   /* with ATT_OPEN_WRITE: wait for the lock */
    /* With ATT_OPEN_WRITE, on a new or empty index: also index each word's
     * exact form, for =word queries (docs/QUERY-SYNTAX.md).  The index
     * remembers it; it roughly doubles the indexing work per article
     * (docs/PERFORMANCE.md).  ATT_INVALID on an index that already holds
     * articles without exact forms. */
    ATT_OPEN_EXACT_FORMS = 1 << 3,
    /* With ATT_OPEN_WRITE, on a new or empty index: do not extract
     * entities (no person:/org:/place: filters, no entity facets), for
     * the fastest indexing (docs/PERFORMANCE.md).  The index remembers
     * it.  ATT_INVALID on an index that already holds entities. */
    ATT_OPEN_NO_ENTITIES = 1 << 4
};

/* Opens the index in directory `path`.
 * Returns ATT_OK; ATT_INVALID (NULL argument, bad flags); ATT_NOT_FOUND (no
 * index there and ATT_OPEN_CREATE not given); ATT_LOCKED (another writer holds
 * the lock and ATT_OPEN_WAIT not given); ATT_CORRUPT (not a readable index);
 * ATT_IO (the directory cannot be created or read); ATT_NO_MEMORY;
 * ATT_INTERNAL.
 * Ownership: *out belongs to the caller; release it with att_index_close(). */
ATT_API att_status att_index_open(att_index **out, const char *path,
                                  unsigned flags);

/* Closes the index and frees the handle.  Changes made since the last
 * successful att_index_commit() are discarded: commits are always explicit.
 * Accepts NULL.  Ownership: frees `ix`, which must not be used again. */
ATT_API void att_index_close(att_index *ix);

/* The path the index was opened with.  Ownership: borrowed from `ix`. */
ATT_API const char *att_index_path(const att_index *ix);

/* The number of articles in the index as this handle sees it (for a writer,
 * including uncommitted changes).
 * Returns ATT_OK; ATT_INVALID; ATT_MODIFIED; ATT_CORRUPT; ATT_INTERNAL. */
ATT_API att_status att_index_count(const att_index *ix, uint64_t *out);

/* Makes a read-only handle see the latest committed state of the index.
 * A no-op for a writable handle.
 * Returns ATT_OK; ATT_INVALID; ATT_CORRUPT; ATT_IO; ATT_INTERNAL. */
ATT_API att_status att_index_reopen(att_index *ix);

/* What an index holds, for att_index_stats(). */
typedef struct att_index_info {
    int version;            /* ATT_INDEX_INFO_VERSION (set it with
                               ATT_INDEX_INFO_INIT); the library fills the
                               fields that version has */
    uint64_t articles;
    uint64_t terms;         /* distinct words of titles and bodies, as
                               indexed (English stems of folded words) */
    uint64_t people;        /* distinct canonical entities of each type */
    uint64_t orgs;          /* (docs/ENTITIES.md); 0 in an index made */
    uint64_t places;        /* without entities (see `entities`) */
    uint64_t sources;       /* distinct sources (folded: what source:
                               takes) */
    uint64_t dated;         /* articles with a date */
    char first_date[11];    /* the earliest and latest article dates as
                               precise as known: "2024-10-05", "2024-10" or
                               "2024"; "" when no article is dated */
    char last_date[11];
    uint64_t size_bytes;    /* the size of the index's files on disk */
    int64_t last_commit;    /* when the index was last committed to,
                               seconds since 1970-01-01 UTC; 0 if unknown */
    int last_commit_estimated; /* 1: the index holds no commit time (it
                               was written by an older Attaché, or never
                               committed articles), and last_commit is the
                               newest modification time of its files */
    int entities;           /* 1: the index extracts entities */
    int exact_forms;        /* 1: the index holds exact word forms */
    char schema[16];        /* the index's schema version
                               (docs/INDEX-FORMAT.md) */
} att_index_info;

#define ATT_INDEX_INFO_VERSION 1
#define ATT_INDEX_INFO_INIT { ATT_INDEX_INFO_VERSION, 0, 0, 0, 0, 0, 0, 0, \
                              "", "", 0, 0, 0, 0, 0, "" }

/* Counts what the index holds, as this handle sees it (for a writer,
 * including uncommitted changes): articles, distinct words, entities and
 * sources, the date range, the size on disk and the time of the last
 * commit.  It reads the index's list of terms once, so it takes time in
 * proportion to the number of distinct terms (docs/CLI.md, `attache
 * stats`).  `out->version` must be set (ATT_INDEX_INFO_INIT).
 * Returns ATT_OK; ATT_INVALID (NULL argument, unknown version);
 * ATT_MODIFIED (the index kept changing); ATT_CORRUPT; ATT_IO (the index
 * directory cannot be read); ATT_NO_MEMORY; ATT_INTERNAL.
 * Ownership: fills the caller's `out`. */
ATT_API att_status att_index_stats(att_index_info *out, att_index *ix);

/* ------------------------------------------------------------------------ */
/* Articles                                                                  */
/* ------------------------------------------------------------------------ */

/* An article as given to the index or returned from it.  Only `id` is
 * required; every other field may be NULL.  Text fields are UTF-8 with
 * explicit lengths where the text may be large (title, body); a length of
 * (size_t)-1 means "NUL-terminated". */
typedef struct att_article {
    int version;           /* ATT_ARTICLE_VERSION */
    const char *id;        /* external id, unique in the index (<= 1024 bytes) */
    const char *title;
    size_t title_len;
    const char *body;
    size_t body_len;
    const char *date;      /* ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD */
    const char *source;    /* publication or wire, e.g. "Reuters" */
    const char *url;
    const char *author;
    const char *language;  /* BCP 47 tag, e.g. "en" */
    const char *tags;      /* comma-separated */
    /* Since version 2: entities the input names itself (IPTC ninjs
     * person, organisation, place; JSON Lines people, organisations,
     * places), one name per line.  Each is canonicalised through the
     * entity dictionary like the names found in the text, or given an id
     * made from its words, and merged with them (docs/FORMATS.md, "Given
     * entities"). */
    const char *people;
    const char *organisations;
    const char *places;
} att_article;

/* Version 1 (without the given entities) is still accepted everywhere an
 * article is taken; the library hands out version 2. */
#define ATT_ARTICLE_VERSION 2
#define ATT_ARTICLE_INIT                                                    \
    { ATT_ARTICLE_VERSION, NULL, NULL, (size_t)-1, NULL, (size_t)-1, NULL,  \
      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/* Adds the article, or replaces the article with the same id.  The change
 * becomes durable and visible to readers at the next att_index_commit().
 * Returns ATT_OK; ATT_INVALID (NULL, missing or over-long id, bad date, wrong
 * version); ATT_READ_ONLY; ATT_ENCODING (a text field is not valid UTF-8);
 * ATT_NO_MEMORY; ATT_CORRUPT; ATT_IO; ATT_INTERNAL.
 * Ownership: the article is copied; the caller keeps `a`. */
ATT_API att_status att_index_put(att_index *ix, const att_article *a);

/* Deletes the article with this id (at the next commit).
 * Returns ATT_OK; ATT_NOT_FOUND (no such article); ATT_INVALID;
 * ATT_READ_ONLY; ATT_CORRUPT; ATT_IO; ATT_INTERNAL. */
ATT_API att_status att_index_delete(att_index *ix, const char *id);

/* Makes every change since the last commit durable and visible, atomically.
 * Returns ATT_OK; ATT_INVALID; ATT_READ_ONLY; ATT_IO; ATT_CORRUPT;
 * ATT_NO_MEMORY; ATT_INTERNAL.  On failure the changes are discarded. */
ATT_API att_status att_index_commit(att_index *ix);

/* Fetches the stored article with this id.
 * Returns ATT_OK; ATT_NOT_FOUND; ATT_INVALID; ATT_CORRUPT; ATT_MODIFIED;
 * ATT_NO_MEMORY; ATT_INTERNAL.
 * Ownership: *out belongs to the caller; release it with att_article_free().
 * Its title_len and body_len are set and its strings are NUL-terminated. */
ATT_API att_status att_index_get(att_article **out, att_index *ix,
                                 const char *id);

/* Frees an article returned by att_index_get() or att_text_parse().
 * Accepts NULL.  Never pass a caller-built att_article. */
ATT_API void att_article_free(att_article *a);

/* ------------------------------------------------------------------------ */
/* Ingesting files                                                           */
/* ------------------------------------------------------------------------ */

/* Parses a plain-text article held in memory (the format of corpus/: an
 * optional block of leading "Key: value" metadata lines, the title on the
 * first substantive line, the body after it; see docs/FORMATS.md).
 * `id` becomes the article id.
 * The bytes are decoded first (docs/FORMATS.md): UTF-8 with or without a
 * byte-order mark, UTF-16, Windows-1252 and ISO-8859-1 are recognised and
 * converted, double-encoded UTF-8 is repaired, and invalid bytes and
 * control characters are replaced, so the article holds clean UTF-8.
 * Returns ATT_OK; ATT_INVALID (NULL argument, empty id); ATT_ENCODING
 * (binary data: a NUL byte outside UTF-16); ATT_NOT_FOUND (no text at all:
 * an empty file); ATT_NO_MEMORY.
 * Ownership: *out belongs to the caller; release it with att_article_free(). */
ATT_API att_status att_text_parse(att_article **out, const char *id,
                                  const char *text, size_t len);

/* The input formats att_ingest() reads (docs/FORMATS.md). */
typedef enum att_input_format {
    ATT_INPUT_AUTO = 0,  /* recognised by content: text, JSON Lines, a
                            JSON (ninjs) document, HTML */
    ATT_INPUT_TEXT,      /* plain-text articles */
    ATT_INPUT_JSONL,     /* JSON Lines: one article object per line */
    ATT_INPUT_NINJS,     /* IPTC ninjs: one per line or one per file */
    ATT_INPUT_HTML       /* HTML article pages */
} att_input_format;

/* Why an input was skipped (att_ingest_stats.skipped_by). */
typedef enum att_skip_reason {
    ATT_SKIP_UNREADABLE = 0, /* cannot be opened or read */
    ATT_SKIP_TOO_LARGE,      /* over max_file_size */
    ATT_SKIP_EMPTY,          /* empty: no text at all */
    ATT_SKIP_BINARY,         /* binary data (a NUL byte outside UTF-16) */
    ATT_SKIP_ENCODING,       /* declares an encoding that cannot be read */
    ATT_SKIP_MALFORMED,      /* malformed JSON, or not an article object */
    ATT_SKIP_NO_BODY,        /* an article without body text */
    ATT_SKIP_INVALID,        /* an invalid id or field */
    ATT_SKIP_REASON_COUNT
} att_skip_reason;

/* A short English name for a skip reason ("binary", "malformed JSON");
 * NULL for another value.  Ownership: static string. */
ATT_API const char *att_skip_reason_name(att_skip_reason reason);

/* What happened to one input during att_ingest(): passed to the callback.
 * The last three are sent only to callers of options version 4 or later;
 * earlier callers see ATT_INGEST_ADDED for a replaced article too, and
 * nothing for an unchanged or pruned one. */
typedef enum att_ingest_event {
    ATT_INGEST_ADDED,     /* an article was indexed (new to the index) */
    ATT_INGEST_SKIPPED,   /* an input was skipped; status and message say why */
    ATT_INGEST_COMMITTED, /* a batch was committed */
    ATT_INGEST_REPLACED,  /* an article replaced one with the same id */
    ATT_INGEST_UNCHANGED, /* an article was already indexed as it is: not
                             written again */
    ATT_INGEST_PRUNED     /* an article was removed (ATT_INGEST_PRUNE);
                             `path` is the file it came from */
} att_ingest_event;

typedef struct att_ingest_stats {
    uint64_t files;     /* files examined */
    uint64_t added;     /* articles indexed (added or replaced) */
    uint64_t skipped;   /* inputs skipped because of an error */
    uint64_t commits;   /* batches committed */
    uint64_t bytes;     /* bytes of input read */
    /* Since options version 3 (an older caller's struct ends above and is
     * never written past), what decoding the input did (docs/FORMATS.md): */
    uint64_t converted;      /* files converted to UTF-8: UTF-16,
                                Windows-1252, ISO-8859-1, or UTF-8 with
                                invalid bytes */
    uint64_t repaired;       /* double-encoded UTF-8 characters repaired */
    uint64_t repaired_files; /* files with at least one such repair */
    uint64_t replaced;       /* invalid bytes and control characters
                                replaced */
    /* Since options version 4: */
    uint64_t articles_replaced; /* of `added`, the articles that replaced
                                   one with the same id */
    uint64_t unchanged;      /* articles already indexed exactly as read
                                (same input bytes, same reader and
                                engine): not written again */
    uint64_t pruned;         /* articles removed by ATT_INGEST_PRUNE */
    uint64_t skipped_by[ATT_SKIP_REASON_COUNT]; /* `skipped`, by reason */
} att_ingest_stats;

/* Called by att_ingest() after each event.  `path` is the input concerned
 * (NULL for ATT_INGEST_COMMITTED); `id` the article id (or NULL); `status`
 * and `message` say why an input was skipped (ATT_OK / NULL otherwise).
 * A skip message is complete and starts with the input's path, e.g.
 * "dir/a.txt: line 3: invalid UTF-8 at byte offset 117".
 * Returning non-zero stops the ingest after committing what was done. */
typedef int (*att_ingest_callback)(void *ctx, att_ingest_event event,
                                   const char *path, const char *id,
                                   att_status status, const char *message,
                                   const att_ingest_stats *stats);

typedef struct att_ingest_options {
    int version;                  /* ATT_INGEST_OPTIONS_VERSION */
    size_t batch_size;            /* articles per commit; 0 = default (1000);
                                     a batch also ends at 16 MiB of text */
    size_t max_file_size;         /* bytes; larger files are skipped; 0 = 64 MiB.
                                     In a JSON Lines input the limit is per
                                     line (per article), not per file */
    att_ingest_callback callback; /* may be NULL */
    void *callback_ctx;
    /* Since version 2: the threads that index, the calling thread (which
     * writes) included: jobs - 1 threads read and analyse articles ahead of
     * it.  0 = one more than the online cores (a worker per core, and
     * the writer); 1 = all work on the calling thread.
     * The index built is the same whatever the number: same documents in
     * the same order, same terms. */
    unsigned jobs;
    /* Since version 4: */
    att_input_format format; /* ATT_INPUT_AUTO: each input's format is
                                recognised from its content; another value
                                reads every input with that reader */
    unsigned flags;          /* ATT_INGEST_* below */
} att_ingest_options;

/* att_ingest_options.flags */
enum {
    /* After the walk, remove the articles that came from files under the
     * path given that no longer exist, and those of a file read in full
     * (nothing in it skipped) that it no longer holds (docs/CLI.md). */
    ATT_INGEST_PRUNE = 1
};

/* Version 4 adds format and flags, the skip of unchanged articles, the
 * events ATT_INGEST_REPLACED, _UNCHANGED and _PRUNED and the stats from
 * articles_replaced on.  Version 3 adds the decoding counts to
 * att_ingest_stats.  Versions 1 to 3 are still accepted and fill the
 * stats up to their own last field (version 2 and 1, without `jobs`,
 * which runs with jobs = 1, the first five). */
#define ATT_INGEST_OPTIONS_VERSION 4
#define ATT_INGEST_OPTIONS_INIT \
    { ATT_INGEST_OPTIONS_VERSION, 0, 0, NULL, NULL, 0, ATT_INPUT_AUTO, 0 }

/* Indexes the file or directory `path` (directories recursively, in sorted
 * order, hidden entries skipped; in a directory the files named *.txt,
 * *.text, *.jsonl, *.ndjson, *.json, *.html, *.htm or without extension)
 * into the writable index `ix`, committing every batch_size articles (or
 * 16 MiB of text) and once at the end, with jobs - 1 threads reading and
 * analysing ahead of the writer.  Each file is read with the reader its
 * content calls for, or the one opts->format names (docs/FORMATS.md).
 * An article's id is the id its input gives (JSON "id", ninjs "uri"), or
 * else its file's path relative to `path` without the file extension (a
 * file given directly: its file name without extension), and for a JSON
 * line without an id that followed by "#LINE".  An article already in the
 * index exactly as read (the same input bytes under the same id, read and
 * analysed by the same version of the engine: a hash stored with it,
 * docs/INDEX-FORMAT.md) is not written again (stats->unchanged); a
 * changed one is replaced.  An input that cannot be read or parsed (a
 * file, or one line of a JSON Lines file) is reported through the
 * callback, counted in stats->skipped and skipped_by, and the run goes on:
 * nothing already indexed is lost.
 * Returns ATT_OK (even if some inputs were skipped: see stats->skipped);
 * ATT_NOT_FOUND (`path` does not exist); ATT_IO (`path` cannot be read);
 * ATT_INVALID; ATT_READ_ONLY; ATT_LOCKED; ATT_CORRUPT; ATT_NO_MEMORY;
 * ATT_INTERNAL (a commit failed: the uncommitted batch is lost, earlier
 * batches are kept).
 * Ownership: `stats` (may be NULL) is filled in by the call. */
ATT_API att_status att_ingest(att_index *ix, const char *path,
                              const att_ingest_options *opts,
                              att_ingest_stats *stats);

/* att_ingest() for a stream (standard input, a pipe, a socket), read to
 * its end: JSON Lines are read and indexed line by line as they come, any
 * other input whole (up to max_file_size).  `name` stands for the path in
 * ids and messages: a single article's id is `name` without its extension
 * (as a file's), a JSON line's without an id that and "#LINE" (`attache
 * index -` uses "stdin").  Articles from a stream have no origin and are
 * never pruned.
 * Returns as att_ingest(); ATT_IO when the stream cannot be read.
 * Ownership: `in` stays the caller's (not closed). */
ATT_API att_status att_ingest_stream(att_index *ix, FILE *in, const char *name,
                                     const att_ingest_options *opts,
                                     att_ingest_stats *stats);

/* ---- Rebuilding an index from scratch ----------------------------------- */

/* A rebuild writes a new index beside the one at `path` (in the directory
 * `path`.rebuild) while the old one stays in place, searchable and locked
 * against other writers; att_rebuild_finish() then puts the new index in
 * its place in one step (an atomic exchange of the two directories where
 * the file system allows it) and removes the old one.  Until then, and if
 * the rebuild is abandoned, the old index is untouched. */
typedef struct att_rebuild att_rebuild;

/* Starts a rebuild of the index at `path` (which need not exist yet).
 * The new index gets the exact-forms and no-entities settings of the old
 * one, and those `flags` ask for (ATT_OPEN_EXACT_FORMS,
 * ATT_OPEN_NO_ENTITIES; ATT_OPEN_WAIT waits for the old index's lock).
 * A staging directory left by an interrupted rebuild is removed first.
 * Returns ATT_OK; ATT_INVALID; ATT_LOCKED (another process writes the
 * index); ATT_CORRUPT; ATT_IO; ATT_NO_MEMORY; ATT_INTERNAL.
 * Ownership: *out belongs to the caller; end it with att_rebuild_finish()
 * or att_rebuild_abort(). */
ATT_API att_status att_rebuild_begin(att_rebuild **out, const char *path,
                                     unsigned flags);

/* The writable handle of the new index, to ingest into.
 * Ownership: borrowed from `rb`; do not close it. */
ATT_API att_index *att_rebuild_index(att_rebuild *rb);

/* Commits the new index and puts it in place of the old one, which is
 * removed.  Returns ATT_OK; ATT_IO (the directories cannot be exchanged:
 * the old index stays, the new one is removed); the statuses of
 * att_index_commit().  Ownership: frees `rb` whatever the result. */
ATT_API att_status att_rebuild_finish(att_rebuild *rb);

/* Abandons a rebuild: the new index is removed, the old one stays as it
 * was.  Accepts NULL.  Ownership: frees `rb`. */
ATT_API void att_rebuild_abort(att_rebuild *rb);

/* ------------------------------------------------------------------------ */
/* Entities                                                                  */
/* ------------------------------------------------------------------------ */

/* The people, organisations and places an article mentions are found when
 * it is indexed (docs/ENTITIES.md): names from the built-in dictionary
 * (corpus/entities/), names the statistical tagger recognises, acronyms
 * the text defines, later short forms of a person's name, and demonyms
 * that stand for their country ("Afghan authorities").  Each becomes a
 * canonical entity: a type, a stable id and a display name. */
typedef enum att_entity_type {
    ATT_ENTITY_PERSON = 0,
    ATT_ENTITY_ORG = 1,
    ATT_ENTITY_PLACE = 2
} att_entity_type;

/* "person", "org", "place"; NULL for another value.  Static string. */
ATT_API const char *att_entity_type_name(att_entity_type type);

/* One mention of an entity in a text. */
typedef struct att_mention {
    att_entity_type type;
    const char *id;      /* canonical id: the dictionary's ("tur",
                            "tehrik-i-taliban-pakistan"), or for a name the
                            dictionary does not hold, a slug of its
                            fullest form in the text ("ishaq-dar") */
    const char *name;    /* canonical display name ("Türkiye") */
    size_t start;        /* byte range of the mention in the text */
    size_t end;
    const char *how;     /* how it was recognised: "dictionary", "tagger",
                            "acronym", "coreference", "demonym" (static) */
} att_mention;

typedef struct att_entities att_entities;

/* Finds the entities in a text (UTF-8; invalid bytes are ATT_ENCODING),
 * as the indexer does for an article's title and body.
 * Returns ATT_OK; ATT_INVALID (NULL argument); ATT_ENCODING;
 * ATT_NO_MEMORY; ATT_INTERNAL (the built-in dictionary or model cannot be
 * loaded).  Ownership: *out belongs to the caller; release it with
 * att_entities_free(). */
ATT_API att_status att_entities_extract(att_entities **out, const char *text,
                                        size_t len);
/* The mentions, in text order. */
ATT_API size_t att_entities_count(const att_entities *e);
/* The i-th mention, or NULL.  Ownership: borrowed from `e`. */
ATT_API const att_mention *att_entities_get(const att_entities *e, size_t i);
ATT_API void att_entities_free(att_entities *e);

/* Tags pre-tokenised text (CoNLL-2003 style tokens) with the built-in
 * named-entity tagger: out[i] becomes the IOB2 tag of tokens[i] ("O",
 * "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC",
 * "I-MISC"; static strings).  The n tokens are one document;
 * sent_start[i] is non-zero where a sentence starts (NULL: one sentence).
 * Returns ATT_OK; ATT_INVALID; ATT_NO_MEMORY; ATT_INTERNAL. */
ATT_API att_status att_ner_tag(const char **out, const char *const *tokens,
                               const size_t *lens,
                               const unsigned char *sent_start, size_t n);

/* ------------------------------------------------------------------------ */
/* Searching                                                                 */
/* ------------------------------------------------------------------------ */

typedef enum att_sort {
    ATT_SORT_RELEVANCE = 0, /* BM25 score, best first */
    ATT_SORT_DATE = 1       /* article date, newest first; then relevance */
} att_sort;

/* What juxtaposed words mean when no operator joins them. */
typedef enum att_default_op {
    ATT_DEFAULT_AND = 0,    /* every word must match (the default: news
                               searchers type a few distinctive words) */
    ATT_DEFAULT_OR = 1      /* any word may match, hits with more of them
                               and rarer ones rank first (for questions in
                               natural language, as in evaluations) */
} att_default_op;

/* att_search_options.flags */
enum {
    /* Show every copy of a duplicated story instead of collapsing copies
     * with the same content signature into the best-ranked one. */
    ATT_SEARCH_ALL_COPIES = 1,
    /* Do not look for a spelling suggestion (att_results_suggestion()). */
    ATT_SEARCH_NO_SUGGESTION = 2,
    /* ATT_DEFAULT_OR: a word (or a pair of words for the proximity bonus)
     * that the query has more than once adds its weight each time.
     * Without the flag it counts once, as suits a question written as a
     * sentence, where repetition is syntax rather than emphasis
     * (docs/EVALUATION.md has what each measured).  AND queries are not
     * affected. */
    ATT_SEARCH_COUNT_REPEATS = 4
};

/* The unit of a date histogram (facets, below). */
typedef enum att_date_unit {
    ATT_DATE_AUTO = 0,      /* the finest unit giving at most about 60
                               buckets over the match set's dates */
    ATT_DATE_YEAR = 1,
    ATT_DATE_MONTH = 2,
    ATT_DATE_DAY = 3
} att_date_unit;

/* The ranking function of a search (att_search_options.weighting).
 * docs/EVALUATION.md has what each measured on the TIME collection, and
 * how the defaults were chosen; docs/QUERY-SYNTAX.md ("Ranking") says
 * what each does. */
typedef enum att_weighting {
    ATT_WEIGHT_DEFAULT = 0, /* the engine's choice (ATT_WEIGHT_BM25) */
    ATT_WEIGHT_BM25 = 1,    /* Okapi BM25: bm25_k1, bm25_b */
    ATT_WEIGHT_BM25PLUS = 2, /* BM25+: bm25_k1, bm25_b; weighting_param:
                               delta, the floor of a matching word */
    ATT_WEIGHT_LM = 3,      /* query likelihood, Dirichlet smoothing;
                               weighting_param: mu */
    ATT_WEIGHT_LM_JM = 4,   /* query likelihood, Jelinek-Mercer smoothing;
                               weighting_param: lambda (0 to 1) */
    ATT_WEIGHT_DPH = 5,     /* divergence from randomness, DPH (no
                               parameter) */
    ATT_WEIGHT_DLH = 6,     /* divergence from randomness, DLH (none) */
    ATT_WEIGHT_PL2 = 7,     /* divergence from randomness, PL2;
                               weighting_param: c */
    ATT_WEIGHT_INL2 = 8     /* divergence from randomness, InL2;
                               weighting_param: c */
} att_weighting;

/* The name of a weighting scheme, as att_weighting_parse() takes it and
 * `attache search --weighting` shows it: "default", "bm25", "bm25+",
 * "lm", "lm-jm", "dph", "dlh", "pl2", "inl2"; NULL for an unknown value.
 * Ownership: static string. */
ATT_API const char *att_weighting_name(att_weighting w);

/* The scheme called `name` (as att_weighting_name() gives it, any case).
 * Returns ATT_OK, or ATT_INVALID (message set) for an unknown name or a
 * NULL argument. */
ATT_API att_status att_weighting_parse(att_weighting *out, const char *name);

typedef struct att_search_options {
    int version;            /* ATT_SEARCH_OPTIONS_VERSION (1, 2 and 3
                               are accepted: the fields after
                               snippet_bytes, after bm25_b, or after
                               facet_date_unit, then take their
                               defaults) */
    size_t offset;          /* hits to skip (paging) */
    size_t limit;           /* hits to return; 0 = none (count only) */
    att_sort sort;
    unsigned snippets;      /* fragments per hit; 0 = none */
    size_t snippet_bytes;   /* target fragment length in bytes; 0 = 200 */
    /* version 2 */
    att_default_op default_op;
    unsigned flags;         /* ATT_SEARCH_* */
    double bm25_k1;         /* BM25 parameters; negative = the engine's */
    double bm25_b;          /* tuned values (docs/EVALUATION.md) */
    /* version 3: facets (att_results_facet()) */
    unsigned facets;        /* top values counted per facet over the whole
                               match set (at most 10000); 0 = no facets,
                               and nothing of their cost */
    att_date_unit facet_date_unit; /* the date facet's buckets */
    /* version 4: ranking (docs/EVALUATION.md: what each choice measured,
     * and how the engine's values were chosen) */
    att_weighting weighting; /* ATT_WEIGHT_DEFAULT: the engine's */
    double weighting_param; /* the scheme's parameter (see att_weighting);
                               negative = the engine's tuned value */
    /* Pseudo-relevance feedback: the query is run once, and the words
     * that weigh most in its best `feedback_docs` hits are added to it
     * with small weights (RM3).  The matches stay the same; only their
     * order changes.  -1 = the engine's choice: 2 hits for
     * ATT_DEFAULT_OR (natural-language questions), none for AND; 0 =
     * none. */
    int feedback_docs;
    int feedback_terms;     /* words added, at most; -1 = the engine's */
    double feedback_weight; /* the typed query's share of the weight, in
                               (0, 1); negative = the engine's */
    /* ATT_DEFAULT_OR: two words typed one after the other (stop words
     * between them aside) that also stand within `proximity_window`
     * words of each other in an article add `proximity` times their
     * weight.  proximity negative = the engine's, 0 = no bonus;
     * proximity_window 0 = the engine's. */
    double proximity;
    unsigned proximity_window;
} att_search_options;

#define ATT_SEARCH_OPTIONS_VERSION 4
#define ATT_SEARCH_OPTIONS_INIT                                          \
    { ATT_SEARCH_OPTIONS_VERSION, 0, 10, ATT_SORT_RELEVANCE, 3, 0,      \
      ATT_DEFAULT_AND, 0, -1.0, -1.0, 0, ATT_DATE_AUTO,                 \
      ATT_WEIGHT_DEFAULT, -1.0, -1, -1, -1.0, -1.0, 0 }

/* A byte range [start, end) in a text. */
typedef struct att_range {
    size_t start;
    size_t end;
} att_range;

/* One fragment of an article's original text with the matched words.
 * `text` is an exact byte slice of the stored original (NUL-terminated);
 * `highlights` are ranges into `text`, in order, never overlapping, never
 * splitting a UTF-8 sequence.  `at_start` / `at_end` say whether the
 * fragment begins / ends where the field does (else show an ellipsis). */
typedef struct att_snippet {
    const char *text;
    size_t len;
    const att_range *highlights;
    size_t n_highlights;
    size_t offset;          /* where `text` starts in the field */
    int at_start;
    int at_end;
} att_snippet;

/* One hit.  Every pointer is borrowed from the att_results that holds it;
 * a field the article does not have is NULL.  Fields are only ever
 * appended to this struct. */
typedef struct att_hit {
    size_t rank;            /* 1-based, counting from the first hit overall */
    double score;           /* BM25 score (0 for pure filters) */
    const char *id;
    const char *title;
    const char *date;
    const char *source;
    const char *url;
    const char *author;
    const char *language;
    const char *tags;
    const att_snippet *snippets; /* body fragments, best first */
    size_t n_snippets;
    const att_snippet *title_snippet; /* the whole title with its matches */
    /* Other copies of this story in the index (same content signature:
     * wire copies, republished stories), collapsed into this hit unless
     * ATT_SEARCH_ALL_COPIES was asked for.  `copies` counts them all;
     * `copy_ids` lists up to ATT_MAX_COPY_IDS of them. */
    size_t copies;
    const char *const *copy_ids;
    size_t n_copy_ids;
} att_hit;

#define ATT_MAX_COPY_IDS 20

typedef struct att_results att_results;

/* Parses and runs `query` (see docs/QUERY-SYNTAX.md) and materialises the
 * hits [offset, offset + limit) with their stored fields and snippets.
 * Because everything is fetched here, reading the results cannot fail.  If
 * the index changes underneath (a writer committed), the search is retried
 * on the new revision.
 * Returns ATT_OK (also when nothing matched); ATT_INVALID (NULL argument,
 * wrong options version); ATT_EMPTY_QUERY; ATT_QUERY_SYNTAX (see
 * att_last_error_position()); ATT_MODIFIED (still changing after retries);
 * ATT_CORRUPT; ATT_NO_MEMORY; ATT_INTERNAL.
 * Ownership: *out belongs to the caller; release it with att_results_free().
 * The results borrow nothing from `ix` and may outlive it. */
ATT_API att_status att_search(att_results **out, att_index *ix,
                              const char *query,
                              const att_search_options *opts);

/* Frees results and every hit and snippet in them.  Accepts NULL. */
ATT_API void att_results_free(att_results *r);

/* The number of matching articles.  Exact when *exact is set to 1,
 * otherwise Xapian's estimate.  `exact` may be NULL. */
ATT_API uint64_t att_results_total(const att_results *r, int *exact);

/* The number of hits held (at most the limit asked for). */
ATT_API size_t att_results_count(const att_results *r);

/* The i-th hit held (0-based), or NULL when i >= att_results_count(r).
 * Ownership: borrowed from `r`. */
ATT_API const att_hit *att_results_hit(const att_results *r, size_t i);

/* The query text as it was run.  Ownership: borrowed from `r`. */
ATT_API const char *att_results_query(const att_results *r);

/* "Did you mean": when the query found few or no articles and replacing
 * its misspelt words by words of the index's own vocabulary finds more,
 * that query (to show, never run silently); else NULL.
 * Ownership: borrowed from `r`. */
ATT_API const char *att_results_suggestion(const att_results *r);

/* ------------------------------------------------------------------------ */
/* Facets                                                                    */
/* ------------------------------------------------------------------------ */

/* With att_search_options.facets = N, a search also counts, over its
 * WHOLE match set (not only the page of hits held), the N most frequent
 * people, organisations, places and sources of the matching articles,
 * and makes a histogram of their dates (docs/QUERY-SYNTAX.md, "Facets").
 * Every match is then examined, so such a search costs more than one
 * without (docs/QUERY-SYNTAX.md, "What facets cost"); the total becomes
 * exact.
 *
 * What a count means: the number of hits the same search gives when
 * restricted to the articles that have the value, i.e. with the value's
 * filter added (source:reuters, date:2024-10, place:pak).  So when copies
 * of a story are collapsed (the default), a story counts once for a
 * value if any of its matching copies has it; with ATT_SEARCH_ALL_COPIES
 * each article counts.  An article counts once for each distinct entity
 * it mentions, however often it mentions it. */
typedef enum att_facet {
    ATT_FACET_PERSON = 0,
    ATT_FACET_ORG,
    ATT_FACET_PLACE,
    ATT_FACET_SOURCE,
    ATT_FACET_DATE,
    ATT_FACET_COUNT         /* the number of facets */
} att_facet;

/* One value of a facet and the number of matches that have it.
 * person, org, place: `value` is the entity's display name (the form most
 * of the counted articles give), `id` its canonical id (as the person:,
 * org:, place: filters take it).  source: `value` the source as written,
 * `id` its folded form (as source: takes it).  date: `value` and `id` are
 * the bucket, "2024", "2024-10" or "2024-10-05". */
typedef struct att_facet_value {
    const char *value;
    const char *id;
    uint64_t count;
} att_facet_value;

/* "person", "org", "place", "source", "date"; NULL for another value.
 * Ownership: static string. */
ATT_API const char *att_facet_name(att_facet f);

/* The values of facet `f`: for people, organisations, places and sources
 * at most att_search_options.facets of them, by count descending, then
 * value and id in byte order; for dates every non-empty bucket, in date
 * order (att_results_facet_date_unit() gives the unit).  *n is set to the
 * number of values: 0 (and NULL returned) when the facet has none, when
 * facets were not asked for, or for an unknown `f`.  `n` must not be NULL.
 * Ownership: borrowed from `r`. */
ATT_API const att_facet_value *att_results_facet(const att_results *r,
                                                 att_facet f, size_t *n);

/* Whether the search counted facets (att_search_options.facets > 0). */
ATT_API int att_results_has_facets(const att_results *r);

/* The unit of the date facet's buckets: the one asked for, or the one
 * ATT_DATE_AUTO chose (ATT_DATE_YEAR when no match is dated).
 * ATT_DATE_AUTO when facets were not asked for. */
ATT_API att_date_unit att_results_facet_date_unit(const att_results *r);

/* ------------------------------------------------------------------------ */
/* Rendering snippets                                                        */
/* ------------------------------------------------------------------------ */

/* A tool can render a snippet itself from `text` and `highlights`; these
 * are the forms the command line uses, for those that need no other. */
enum {
    /* HTML: the text escaped (& < > " '), matches wrapped in mark_on and
     * mark_off, which are written as given; NULL marks mean <mark>, </mark>. */
    ATT_FORMAT_HTML = 1,
    /* "…" before and after a fragment that does not start or end where
     * its field does. */
    ATT_FORMAT_ELLIPSIS = 2,
    /* Runs of white space, line breaks included, as one space. */
    ATT_FORMAT_ONE_LINE = 4
};

/* Writes snippet `s` as one NUL-terminated string: its text with each
 * highlight between mark_on and mark_off (without HTML, NULL marks mean
 * no marks: plain text; ANSI escapes such as "\033[1m" and "\033[0m" give
 * the terminal form), shaped by the ATT_FORMAT_* flags.  Returns ATT_OK,
 * ATT_INVALID (NULL argument) or ATT_NO_MEMORY.
 * Ownership: *out belongs to the caller; release it with att_string_free(). */
ATT_API att_status att_snippet_format(char **out, const att_snippet *s,
                                      unsigned flags, const char *mark_on,
                                      const char *mark_off);

/* Frees a string returned by the library.  Accepts NULL. */
ATT_API void att_string_free(char *s);

/* ------------------------------------------------------------------------ */
/* One article in full, with its matches                                     */
/* ------------------------------------------------------------------------ */

/* A search shows fragments; a reader who opens a hit wants the whole
 * article with the same words marked (the prompt's :open). */
typedef struct att_marked att_marked;

/* Fetches the article with this id and marks, in its whole title and its
 * whole body, what `query` matches, as a search's snippets do (the same
 * analysis; a phrase or NEAR group as one range; nothing for filters such
 * as place: or date:).  `opts` (may be NULL: the defaults) is read for
 * its default_op only, so the query means what it meant in the search.
 * A NULL or blank `query` marks nothing.
 * Returns ATT_OK; ATT_INVALID (NULL argument, bad id, wrong options
 * version); ATT_NOT_FOUND (no article with that id); ATT_QUERY_SYNTAX
 * and ATT_EMPTY_QUERY (as att_search(), with att_last_error_position());
 * ATT_MODIFIED; ATT_CORRUPT; ATT_NO_MEMORY; ATT_INTERNAL.
 * Ownership: *out belongs to the caller; release it with att_marked_free().
 * It borrows nothing from `ix`. */
ATT_API att_status att_mark_article(att_marked **out, att_index *ix,
                                    const char *id, const char *query,
                                    const att_search_options *opts);

/* The article's stored fields.  Ownership: borrowed from `m`. */
ATT_API const att_article *att_marked_article(const att_marked *m);

/* The whole title, or the whole body, as one snippet (offset 0, at_start
 * and at_end set) with the matches in `highlights`; NULL when the article
 * has no title (no body).  Render it with att_snippet_format().
 * Ownership: borrowed from `m`. */
ATT_API const att_snippet *att_marked_title(const att_marked *m);
ATT_API const att_snippet *att_marked_body(const att_marked *m);

/* Frees `m` and everything borrowed from it.  Accepts NULL. */
ATT_API void att_marked_free(att_marked *m);

/* ------------------------------------------------------------------------ */
/* Completion                                                                */
/* ------------------------------------------------------------------------ */

/* What a user is typing, completed from the index itself: for a search
 * box or the prompt's Tab key.  Candidates exist in the index, so each
 * finds something. */
typedef enum att_complete_field {
    ATT_COMPLETE_WORD = 0,   /* words of the index's vocabulary (the
                                folded word forms of titles and bodies) */
    ATT_COMPLETE_PERSON = 1, /* people, organisations and places the */
    ATT_COMPLETE_ORG = 2,    /* articles mention (the values of person:, */
    ATT_COMPLETE_PLACE = 3,  /* org: and place:) */
    ATT_COMPLETE_SOURCE = 4  /* sources (the values of source:) */
} att_complete_field;

/* One candidate.  value: what to show (the word; the entity's display
 * name; the source as written).  text: what to type (after the field's
 * name and colon) to search for exactly this candidate: the word; the
 * display name when the field reads it as this entity (or source), else
 * the id.  id: the word; the canonical id (as in facets); the folded
 * source.  count: articles holding the entity or source; for a word, its
 * occurrences in the vocabulary. */
typedef struct att_completion {
    const char *value;
    const char *text;
    const char *id;
    uint64_t count;
} att_completion;

typedef struct att_complete_options {
    int version;             /* ATT_COMPLETE_OPTIONS_VERSION */
    size_t max;              /* candidates at most; 0 = 50; at most 10000 */
} att_complete_options;

#define ATT_COMPLETE_OPTIONS_VERSION 1
#define ATT_COMPLETE_OPTIONS_INIT { ATT_COMPLETE_OPTIONS_VERSION, 0 }

typedef struct att_completions att_completions;

/* Completes `prefix`, what the user has typed so far of a value of
 * `field` (folded as the index folds: "Türk" finds "Türkiye", "turk"
 * too).  Words: the vocabulary's words that start with it, most frequent
 * first (prefix "" gives none).  People, organisations, places: those in
 * the index whose display name starts with the typed words (the last one
 * possibly unfinished: "ishaq d" finds "Ishaq Dar") or whose id does
 * ("usa"), and the one the typed text names through one of the
 * dictionary's aliases ("TTP" finds Tehrik-i-Taliban Pakistan); only
 * when there is none, the dictionary's entities with a later word of the
 * name that starts with the typed words ("sharif" finds Shehbaz Sharif).
 * Sources: those whose folded form starts with the folded prefix.
 * Entities and sources come by count, most articles first, then value;
 * prefix "" gives the most frequent.
 * Returns ATT_OK (also with no candidates); ATT_INVALID (NULL argument,
 * unknown field, wrong options version, max too large); ATT_MODIFIED;
 * ATT_CORRUPT; ATT_NO_MEMORY; ATT_INTERNAL.
 * Ownership: *out belongs to the caller; release it with
 * att_completions_free(). */
ATT_API att_status att_complete(att_completions **out, att_index *ix,
                                att_complete_field field, const char *prefix,
                                const att_complete_options *opts);

/* The number of candidates held. */
ATT_API size_t att_completions_count(const att_completions *c);

/* The i-th candidate (0-based), or NULL when i is out of range.
 * Ownership: borrowed from `c`. */
ATT_API const att_completion *att_completions_get(const att_completions *c,
                                                  size_t i);

/* Frees the candidates.  Accepts NULL. */
ATT_API void att_completions_free(att_completions *c);

#ifdef __cplusplus
}
#endif

#endif /* ATTACHE_H */
