/*
 * readers.h: the article readers, one file per format (docs/FORMATS.md):
 *
 *   reader_text.c   plain-text articles, with web-page furniture removed
 *   reader_jsonl.c  JSON: one object per line, or one object per file;
 *                   our JSON Lines fields, or IPTC ninjs (reader_ninjs.c)
 *   reader_ninjs.c  the IPTC ninjs fields of a JSON object
 *   reader_html.c   HTML article pages, through libxml2's HTML parser
 *   readers.c       recognising a format from the bytes, and what every
 *                   reader does last (dates, ids)
 *
 * Each reader turns the bytes of one input into one att_article (version
 * 2, strings NUL-terminated, owned by the caller), or fails with a status,
 * a message (without the path: ingest.c adds it) and the reason the
 * input is skipped.  Readers touch no index, so ingest's worker threads
 * run them in parallel.
 */
#ifndef ATT_READERS_H
#define ATT_READERS_H

#include "../common/decode.h"

/* What an input is, as att_sniff() sees it. */
typedef enum att_shape {
    ATT_SHAPE_TEXT = 0,
    ATT_SHAPE_HTML,
    ATT_SHAPE_JSON_DOC,   /* one JSON object, possibly over many lines */
    ATT_SHAPE_JSON_LINES  /* one JSON object per line */
} att_shape;

/* Recognises an input from its first bytes (docs/FORMATS.md, "How the
 * format is recognised"): after a byte-order mark and white space, '<'
 * and a letter, '!' or '?' is HTML; '{' is JSON, one object per line when
 * the first line is a whole object, else one object per file; anything
 * else is text.  `head` may be the start of a longer input; UTF-16 input
 * is recognised through its byte-order mark or its NUL bytes. */
att_shape att_sniff(const char *head, size_t n);

/* Where an input came from: what the readers need besides its bytes. */
typedef struct att_input {
    const char *path;     /* the path or name shown in messages */
    const char *id_base;  /* the default id: the path relative to the root
                             given, without extension ("stdin" for it) */
    const char *name;     /* the file name, searched for a date; or NULL */
    uint64_t line;        /* the line of a JSON line (1-based); else 0 */
} att_input;

/* The readers.  Each returns ATT_OK with *out set, or a failure with the
 * last-error message set (naming the line where there is one) and *why
 * the skip reason.  *ds (may be NULL) says how the bytes were decoded. */
att_status att_read_text(att_article **out, const char *bytes, size_t n,
                         const att_input *in, att_decode_stats *ds,
                         att_skip_reason *why);
att_status att_read_html(att_article **out, const char *bytes, size_t n,
                         const att_input *in, att_decode_stats *ds,
                         att_skip_reason *why);
/* One JSON object (a line, or a whole file): `format` ATT_INPUT_JSONL or
 * ATT_INPUT_NINJS reads it as that, ATT_INPUT_AUTO decides by its keys
 * (reader_jsonl.c); *used (may be NULL) gets the one it read it as. */
att_status att_read_json(att_article **out, const char *bytes, size_t n,
                         const att_input *in, att_input_format format,
                         att_decode_stats *ds, att_skip_reason *why,
                         att_input_format *used);

/* Reads `bytes` with the reader of `format`, or of the shape att_sniff()
 * gives for ATT_INPUT_AUTO (JSON lines are read as one document here:
 * ingest.c splits them first).  *used (may be NULL) gets the reader used
 * (for JSON, ATT_INPUT_JSONL or ATT_INPUT_NINJS as its keys decided). */
att_status att_read_any(att_article **out, const char *bytes, size_t n,
                        const att_input *in, att_input_format format,
                        att_decode_stats *ds, att_skip_reason *why,
                        att_input_format *used);

/* ---- shared by the readers ------------------------------------------ */

/* A new, empty version-2 article (calloc'd), or NULL. */
att_article *att_article_new(void);

/* What every reader does last: the date normalised (datenorm.h; a date
 * that is not one is dropped), else taken from the file name; the id
 * defaulted (in->id_base, with "#<line>" for a JSON line) and checked.
 * ATT_INVALID (reason ATT_SKIP_INVALID) for a bad id. */
att_status att_article_finish(att_article *a, const att_input *in,
                              att_skip_reason *why);

/* Removes web-page furniture (comment forms, "Scroll to Top", share and
 * "read more" lines, author boxes) from a body (reader_text.c).  When
 * something is removed, *out gets the new body (malloc'd) and *out_len
 * its length; otherwise *out is NULL and the body stays as it is. */
att_status att_text_strip_furniture(const char *body, size_t n, char **out,
                                    size_t *out_len);

/* Whether the trimmed line [s, s+n) is a line of web-page furniture on
 * its own ("Scroll to Top", "Share this:"). */
bool att_text_is_furniture(const char *s, size_t n);

/* libxml2's one-time set-up, to be done before threads parse HTML
 * (reader_html.c; att_read_html() also does it on first use). */
void att_html_init(void);

/* The text of an HTML fragment (ninjs body_html), paragraphs separated by
 * blank lines (reader_html.c).  *out is malloc'd. */
att_status att_html_fragment_text(const char *html, size_t n, char **out,
                                  size_t *out_len);

/* Replaces control characters (as common/decode.c's rule 4) in a UTF-8
 * string in place; returns how many were replaced. */
size_t att_text_clean_controls(char *s, size_t *n);

/* ---- JSON (reader_jsonl.c, reader_ninjs.c) ---------------------------- */

struct json_t;

/* A JSON string (or, for ids, an integer) into a new NUL-terminated copy
 * in *dst (replacing it) with control characters replaced (counted in
 * ds->controls); other types leave *dst alone. */
att_status att_json_text(const char **dst, const struct json_t *v,
                         bool numbers, att_decode_stats *ds);
/* A list of names: a string, or an array of strings or of objects with a
 * "name", appended to the line-separated list *list. */
att_status att_json_names(const char **list, const struct json_t *v);
/* Whether an object looks like IPTC ninjs rather than our JSON Lines
 * fields (docs/FORMATS.md). */
bool att_ninjs_is(const struct json_t *obj);
/* Fills `a` from a ninjs object (reader_ninjs.c). */
att_status att_ninjs_fill(att_article *a, const struct json_t *obj,
                          att_decode_stats *ds);

/* Appends `name` to the line-separated list *list (att_article's people,
 * organisations, places), trimmed, with tabs and line breaks as spaces;
 * an empty name adds nothing. */
att_status att_list_add(const char **list, const char *name, size_t n);

#endif
