/*
 * stopwords.h: English stop words for natural-language queries
 * (stopwords.c).
 */
#ifndef ATT_STOPWORDS_H
#define ATT_STOPWORDS_H

#include <stdbool.h>
#include <stddef.h>

/* True if the folded word form[0..len) is an English stop word. */
bool att_stopword(const char *form, size_t len);

#endif
