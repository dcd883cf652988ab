/*
 * readers.h: the article readers' internal entry points, which ingest.c
 * calls so that it can count what decoding the input did.  The public
 * att_text_parse() is the same reader without the counts.
 */
#ifndef ATT_READERS_H
#define ATT_READERS_H

#include "../common/decode.h"

/* att_text_parse(), also reporting in *ds (may be NULL) how the bytes were
 * decoded (common/decode.h). */
att_status att_text_parse_decoded(att_article **out, const char *id,
                                  const char *bytes, size_t n,
                                  att_decode_stats *ds);

#endif
