/*
 * pager.h: showing a long text a screen at a time (pager.c).
 * Program-only.
 */
#ifndef ATT_PAGER_H
#define ATT_PAGER_H

#include <stdbool.h>
#include <stddef.h>

/* The terminal's size on standard output; false when it is no terminal. */
bool term_size(size_t *rows, size_t *cols);

/* The rows `text` takes on a terminal `width` columns wide: escape
 * sequences take none, a character one (a tab up to the next multiple of
 * 8), and a line longer than the width several rows. */
size_t text_rows(const char *text, size_t len, size_t width);

/* Writes `text` to standard output: when standard output is a terminal
 * and the text takes more rows than it has (less one, for the prompt),
 * through a pager: $PAGER when it is set and not empty, else "less -R"
 * when less is on the PATH; otherwise (or when the pager cannot be
 * started) directly.  With a pager, LESS=R is set for it if LESS is unset
 * (so that less shows colours), and Ctrl-C goes to the pager only.
 * Returns 0, or -1 when writing failed. */
int pager_show(const char *text, size_t len);

#endif
