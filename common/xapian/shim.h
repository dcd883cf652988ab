/*
 * shim.h: the plain-C face of the Xapian shim.  The shim (the .cc files in
 * this directory) is the only code that includes Xapian's headers; every
 * function here catches every exception, maps it to an att_status and sets
 * the last-error message, so no C++ exception ever reaches C.
 *
 * Writes are explicit: the first change after opening or committing starts
 * a Xapian transaction, att_shim_commit() commits it, and closing the
 * handle cancels whatever was not committed.  So an index holds exactly the
 * batches that were committed, whatever happens to the process.
 */
#ifndef ATT_SHIM_H
#define ATT_SHIM_H

#include "../internal.h"
#include "../qtree.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct att_shim_db att_shim_db;
typedef struct att_shim_doc att_shim_doc;

/* flags: ATT_OPEN_* from attache.h.  Statuses as att_index_open(). */
att_status att_shim_open(att_shim_db **out, const char *path, unsigned flags);
/* Cancels uncommitted changes and closes.  Accepts NULL. */
void att_shim_close(att_shim_db *db);
bool att_shim_writable(const att_shim_db *db);
/* Whether the index holds exact word forms (schema.h, ATT_EXACT_KEY). */
bool att_shim_exact_forms(const att_shim_db *db);
/* Whether the index extracts entities (schema.h, ATT_ENTITIES_KEY). */
bool att_shim_entities(const att_shim_db *db);
att_status att_shim_doccount(att_shim_db *db, uint64_t *out);
att_status att_shim_reopen(att_shim_db *db);

/* Document building: a document is filled, then handed to replace. */
att_status att_shim_doc_new(att_shim_doc **out);
void att_shim_doc_free(att_shim_doc *d);
att_status att_shim_doc_posting(att_shim_doc *d, const char *term, size_t len,
                                uint32_t pos, uint32_t wdfinc);
/* A term without positions, with a within-document frequency. */
att_status att_shim_doc_term(att_shim_doc *d, const char *term, size_t len,
                             uint32_t wdfinc);
att_status att_shim_doc_boolean(att_shim_doc *d, const char *term, size_t len);
/* One occurrence of a folded word form, for the index's vocabulary (the
 * spelling table: wildcards and suggestions); no term is added. */
att_status att_shim_doc_word(att_shim_doc *d, const char *word, size_t len);
att_status att_shim_doc_value(att_shim_doc *d, unsigned slot, const char *v,
                              size_t len);
att_status att_shim_doc_data(att_shim_doc *d, const char *p, size_t len);

/* Adds `d`, replacing any document holding the unique term `idterm`. */
att_status att_shim_replace(att_shim_db *db, const char *idterm, size_t len,
                            att_shim_doc *d);
/* ATT_NOT_FOUND when no document holds `idterm`. */
att_status att_shim_delete(att_shim_db *db, const char *idterm, size_t len);
/* Commits, the vocabulary (spelling table) included. */
att_status att_shim_commit(att_shim_db *db);
/* Commits; with all_words false the batch's words may wait in the
 * pending-vocabulary metadata for a later merge (shim_db.cc), which is
 * what a long indexing run wants. */
att_status att_shim_commit_batch(att_shim_db *db, bool all_words);
/* The stored record of the document holding `idterm` (malloc'd). */
att_status att_shim_get_data(att_shim_db *db, const char *idterm, size_t len,
                             char **out, size_t *out_len);

typedef struct att_shim_hit {
    double score;
    char *data;      /* the stored record (malloc'd) */
    size_t data_len;
    uint64_t copies;     /* other documents with the same content signature */
    char **copy_data;    /* the records of up to max_copies of them (malloc'd) */
    size_t *copy_lens;
    size_t n_copy_data;
} att_shim_hit;

typedef struct att_shim_result {
    att_shim_hit *hits;
    size_t n_hits;
    uint64_t total;     /* matches: exact if `exact`, else an estimate */
    int exact;
    uint64_t doccount;  /* documents in the revision searched */
    uint64_t *termfreqs; /* one per term asked for, in the same revision */
    /* ---- facets (shim_facets.cc) ---- */
    /* When opts->facets was non-zero: per att_facet, the top values
     * (person, org, place, source: at most opts->facets, count
     * descending) and the date histogram (every non-empty bucket, in
     * date order), each list one malloc'd block holding its strings;
     * NULL when empty.  facet_unit: the date histogram's unit.  `total`
     * is then exact (articles, or stories when collapsing). */
    att_facet_value *facets[ATT_FACET_COUNT];
    size_t n_facets[ATT_FACET_COUNT];
    att_date_unit facet_unit;
    /* ---- end facets ---- */
} att_shim_result;

typedef struct att_shim_query_opts {
    size_t offset;
    size_t limit;
    int sort_by_date;
    const char *const *stat_terms; /* terms whose frequencies to report */
    const size_t *stat_lens;
    size_t n_stat_terms;
    double k1, b;       /* BM25; negative: the tuned defaults */
    att_weighting weighting; /* the ranking function (shim_weight.cc) */
    double wparam;      /* its parameter; negative: the tuned default */
    /* Pseudo-relevance feedback (shim_feedback.cc): the words of the best
     * fb_docs hits (0: no feedback), at most fb_terms of them, the
     * original query keeping the share fb_weight of the weight. */
    unsigned fb_docs;
    unsigned fb_terms;
    double fb_weight;
    unsigned collapse_slot; /* collapse hits with equal values in this
                               slot (duplicates); ATT_NO_SLOT: none */
    size_t max_copies;  /* records of other copies to fetch per hit */
    /* ---- facets (shim_facets.cc) ---- */
    /* Top values per facet to count over the WHOLE match set (every
     * match is examined, which costs what counting costs); 0: no facets,
     * and the search costs what it did.  With collapse_slot set, the
     * counts are of stories, as the total (shim_facets.cc). */
    size_t facets;
    att_date_unit date_unit; /* the date histogram's unit, or ATT_DATE_AUTO */
    /* ---- end facets ---- */
} att_shim_query_opts;

#define ATT_NO_SLOT 0xFFFFFFFFu

/* Runs `q` and fetches the records of the hits in [offset, offset+limit).
 * A DatabaseModifiedError reopens the database and redoes the whole search
 * (a few times), which is safe because nothing has been returned yet.
 * `out` must be zeroed; free it with att_shim_result_clear(). */
att_status att_shim_search(att_shim_db *db, const att_qnode *q,
                           const att_shim_query_opts *opts,
                           att_shim_result *out);
void att_shim_result_clear(att_shim_result *r);

/* Calls fn for the most frequent `max` words of the index's vocabulary
 * (spelling table) that start with `prefix` (all of them if fewer). */
att_status att_shim_words_with_prefix(att_shim_db *db, const char *prefix,
                                      size_t len, size_t max,
                                      att_status (*fn)(void *ctx,
                                                       const char *word,
                                                       size_t len),
                                      void *ctx);
/* The vocabulary's best replacement for `word` (Xapian's spelling
 * suggestion, edit distance up to 2), malloc'd, or *out NULL for none. */
att_status att_shim_spelling(att_shim_db *db, const char *word, size_t len,
                             char **out);
/* The number of documents holding `term`. */
att_status att_shim_termfreq(att_shim_db *db, const char *term, size_t len,
                             uint64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* ATT_SHIM_H */
