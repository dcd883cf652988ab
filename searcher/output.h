/*
 * output.h: how results are shown (output.c): for people (with bold
 * matches on a terminal), as an HTML fragment, and as JSON for programs.
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

#endif
