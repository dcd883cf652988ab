/*
 * render_article.h: one article in full for people (render_article.c),
 * the prompt's :open.  Program-only.
 */
#ifndef ATT_RENDER_ARTICLE_H
#define ATT_RENDER_ARTICLE_H

#include <attache.h>
#include <stdbool.h>
#include <stdio.h>

/* Writes the article of `m`: its title (bold on a terminal), a line with
 * id, date, source and author, the URL, then the whole body with its line
 * breaks, the matches in bold yellow when `color`.  Lines longer than
 * `width` columns are broken at a space (0: never).  Returns 0, or -1 if
 * memory ran out. */
int out_article(FILE *f, const att_marked *m, bool color, size_t width);

#endif
