/*
 * progress.h: what `attache index` shows while it runs and how it stops
 * (progress.c): the progress line on a terminal (files, articles per
 * second, the share of the input done and the time left), the --verbose
 * lines, the skip messages, and Ctrl-C / SIGTERM, which stop the run
 * through the ingest callback after committing what was done.
 * Program-only, like cli.h.
 */
#ifndef ATT_PROGRESS_H
#define ATT_PROGRESS_H

#include <attache.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct progress progress;

/* A progress reporter.  `line`: show the progress line (stderr is a
 * terminal and --quiet was not given); `verbose`: one line on stdout per
 * article indexed and per commit.  NULL when out of memory. */
progress *progress_new(bool line, bool verbose);

/* With the progress line on, starts counting the bytes of the inputs
 * under the `n` PATHs on a thread of its own (a walk with ingest.c's
 * rules), so that the line can show the share done and the time left
 * once the count is known; the indexer does not wait for it. */
void progress_count_inputs(progress *p, char *const *paths, int n);

/* The att_ingest_callback: `ctx` is the progress.  Reports skips on
 * stderr, draws the line, prints the verbose lines, and returns non-zero
 * (stop after committing) once SIGINT or SIGTERM has arrived. */
int progress_event(void *ctx, att_ingest_event ev, const char *path,
                   const char *id, att_status st, const char *msg,
                   const att_ingest_stats *stats);

/* After each PATH's att_ingest(): its stats become the base of the next. */
void progress_input_done(progress *p, const att_ingest_stats *s);

/* Erases the progress line (before other output, and at the end). */
void progress_clear(progress *p);

/* Articles committed so far, over all PATHs. */
uint64_t progress_committed(const progress *p);

/* Whether the run was cut short: the callback asked att_ingest() to stop. */
bool progress_stopped(const progress *p);

/* Stops the counting thread and frees.  Accepts NULL. */
void progress_free(progress *p);

/* Installs the SIGINT and SIGTERM handlers: the first signal asks the run
 * to stop after committing what was done (progress_event() returns
 * non-zero at the next event); a second one ends the process at once
 * (what was committed is kept, as after any crash). */
void progress_catch_signals(void);

/* The signal that asked the run to stop, or 0. */
int progress_interrupted(void);

/* The exit status of an interrupted run: 128 + the signal (130 for
 * SIGINT, 143 for SIGTERM). */
int progress_interrupt_status(void);

/* One line on stderr: which signal stopped the run, how many articles of
 * this run were committed, what the index `db` now holds (`count`), and
 * that running the same command again finishes the job. */
void progress_report_interrupt(const progress *p, const char *db, uint64_t count);

#endif
