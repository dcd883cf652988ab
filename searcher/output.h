/*
 * output.h: how results are shown (output.c): for people (with bold
 * matches on a terminal), as an HTML fragment, and as JSON for programs;
 * for `attache batch`, as JSON Lines, TSV and TREC runs.
 * Program-only.
 */
#ifndef ATT_OUTPUT_H
#define ATT_OUTPUT_H

#include <attache.h>
#include <stdbool.h>
#include <stdio.h>

/* Human-readable results: a count line, then per hit its rank and title,
 * a line with id, date and source, and its snippets.  Returns 0, or -1 if
 * memory ran out. */
int out_human(FILE *f, const att_results *r, bool color);

/* Only the facet block of out_human() (the prompt's :facets): nothing
 * when the results have no facets or no matches.  Returns 0. */
int out_facets(FILE *f, const att_results *r, bool color);

/* The results as an HTML fragment (a <section> with an <ol> of hits, the
 * matches in <mark>).  Returns 0, or -1 if memory ran out. */
int out_html(FILE *f, const att_results *r);

/* One JSON object (one line) for the results, as docs/CLI.md specifies.
 * Returns 0, or -1 if memory ran out. */
int out_json(FILE *f, const att_results *r, size_t offset, size_t limit);

/* A JSON error object for a failed query (batch and shell use this). */
int out_json_error(FILE *f, const char *query, att_status st);

/* Batch output (attache batch; each field is described in docs/CLI.md).
 * Scores have six decimals in every machine format. */

/* JSON Lines: out_json()'s object with "qid" as its first key.  Returns 0,
 * or -1 if memory ran out. */
int out_jsonl(FILE *f, const char *qid, const att_results *r, size_t offset,
              size_t limit);

/* JSON Lines for a query that failed: {"qid", "query", "error": {"status",
 * "message", "position"}}, position a byte offset into the query or -1
 * (null).  Returns 0, or -1 if memory ran out. */
int out_jsonl_error(FILE *f, const char *qid, const char *query,
                    const char *status, const char *message, long position);

/* TSV: the header line "qid rank id score title" (tab-separated), then
 * per hit one line of those fields, with backslash, tab, line feed and
 * carriage return in a field written as \\, \t, \n, \r; an untitled
 * article has an empty title.  out_tsv() returns 0. */
void out_tsv_header(FILE *f);
int out_tsv(FILE *f, const char *qid, const att_results *r);

/* A TREC run: per hit "qid Q0 id rank score tag".  qid, the ids and tag
 * must hold no white space (the caller checks).  Returns 0. */
int out_trec(FILE *f, const char *qid, const att_results *r, const char *tag);

#endif
