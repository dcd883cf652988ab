/*
 * shim_stats.h: the plain-C face of shim_stats.cc: what an index holds,
 * read in one pass for att_index_stats() (common/index.c), and the commit
 * time that every commit records in the index's metadata.
 */
#ifndef ATT_SHIM_STATS_H
#define ATT_SHIM_STATS_H

#include "shim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct att_shim_stats {
    uint64_t docs;        /* documents */
    uint64_t terms;       /* distinct unprefixed terms: the stems of
                             titles and bodies */
    uint64_t people;      /* distinct XP terms (XPN name parts excluded) */
    uint64_t orgs;        /* distinct XO terms */
    uint64_t places;      /* distinct XL terms */
    uint64_t sources;     /* distinct XSRC terms */
    uint64_t dated;       /* documents with a date value */
    char first_date[9];   /* the smallest and largest date values
                             (YYYYMMDD, 00 for unknown parts); "" when no
                             document is dated */
    char last_date[9];
    char commit_time[32]; /* the ATT_COMMIT_TIME_KEY metadata, "" if none */
    char schema[16];      /* the ATT_SCHEMA_KEY metadata, "" if none */
} att_shim_stats;

/* Reads the figures above in one revision (a read-only handle retries on
 * a newer revision when a writer recycles the blocks being read).
 * Statuses as att_index_stats(). */
att_status att_shim_stats_read(att_shim_db *db, att_shim_stats *out);

/* Records `when` (ISO 8601, UTC) as the time of the commit being
 * prepared: written in the open transaction, so it becomes durable with
 * the batch it describes.  Does nothing when there is nothing to commit
 * (no transaction open) or on a read-only handle. */
att_status att_shim_stamp_commit(att_shim_db *db, const char *when);

#ifdef __cplusplus
}
#endif

#endif /* ATT_SHIM_STATS_H */
