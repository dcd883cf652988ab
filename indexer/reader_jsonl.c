/*
 * reader_jsonl.c: JSON articles, att_read_json(): one JSON object, which
 * is a line of a JSON Lines file (ingest.c splits the lines and streams
 * them) or a whole file.  The object's keys decide the reader: IPTC ninjs
 * (reader_ninjs.c) when it has ninjs keys and none of ours, else our JSON
 * Lines fields (docs/FORMATS.md):
 *
 *   {"id": "reuters-1987-0001", "title": "...", "body": "...",
 *    "date": "1987-02-26", "source": "Reuters", "url": "https://...",
 *    "author": "...", "language": "en", "tags": ["trade", "usa"],
 *    "people": [...], "organisations": [...], "places": [...]}
 *
 * Only "body" is required.  "id" may be a string or an integer; "date"
 * any form common/datenorm.h reads, or an integer of seconds (or, above
 * 10^11, milliseconds) since 1970 in UTC; "tags" a string or an array of
 * strings; the entity lists arrays of names (or of objects with a
 * "name").  Other keys are ignored.  The line's bytes are decoded first
 * like any input (so a Windows-1252 line is read, not rejected), and
 * control characters that JSON escapes can carry (\u0007) are replaced in
 * every text field.  jansson parses; its message and column make the
 * report of a malformed line.
 */
#include "readers.h"

#include "../common/datenorm.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

att_status att_json_text(const char **dst, const json_t *v, bool numbers,
                         att_decode_stats *ds)
{
    char *s = NULL;
    size_t n = 0;
    if (json_is_string(v)) {
        n = json_string_length(v);
        s = att_strndup(json_string_value(v), n);
    } else if (numbers && json_is_integer(v)) {
        char buf[32];
        n = (size_t)snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
                             json_integer_value(v));
        s = att_strdup(buf);
    } else {
        return ATT_OK;
    }
    if (!s)
        return att_error_nomem();
    /* jansson accepts "\u0000" only with JSON_ALLOW_NUL, which is not set,
     * so the string has no NUL inside; control characters it may have. */
    size_t c = att_text_clean_controls(s, &n);
    if (ds)
        ds->controls += c;
    free((char *)*dst);
    *dst = s;
    return ATT_OK;
}

att_status att_json_names(const char **list, const json_t *v)
{
    if (json_is_string(v))
        return att_list_add(list, json_string_value(v), json_string_length(v));
    if (!json_is_array(v))
        return ATT_OK;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        const json_t *name = json_is_object(e) ? json_object_get(e, "name") : e;
        if (json_is_string(name)) {
            att_status st = att_list_add(list, json_string_value(name),
                                         json_string_length(name));
            if (st)
                return st;
        }
    }
    return ATT_OK;
}

/* Tags: a string as it is, or an array of strings joined with ", ". */
static att_status take_tags(const char **dst, const json_t *v,
                            att_decode_stats *ds)
{
    if (!json_is_array(v))
        return att_json_text(dst, v, false, ds);
    att_buf b = ATT_BUF_INIT;
    size_t i;
    json_t *e;
    att_status st = ATT_OK;
    json_array_foreach(v, i, e) {
        if (!json_is_string(e) || !json_string_length(e))
            continue;
        if ((b.len && (st = att_buf_puts(&b, ", "))) ||
            (st = att_buf_append(&b, json_string_value(e), json_string_length(e))))
            break;
    }
    if (st || !b.len) {
        att_buf_free(&b);
        return st;
    }
    att_text_clean_controls(b.data, &b.len);
    free((char *)*dst);
    *dst = b.data;
    return ATT_OK;
}

/* A date: a string, or seconds (milliseconds above 10^11) since 1970. */
static att_status take_date(const char **dst, const json_t *v,
                            att_decode_stats *ds)
{
    if (!json_is_integer(v))
        return att_json_text(dst, v, false, ds);
    json_int_t t = json_integer_value(v);
    if (t > 100000000000LL || t < -100000000000LL)
        t /= 1000;
    char date[ATT_DATE_BUF];
    if (!att_date_from_epoch((int64_t)t, date))
        return ATT_OK;
    char *s = att_strdup(date);
    if (!s)
        return att_error_nomem();
    free((char *)*dst);
    *dst = s;
    return ATT_OK;
}

/* Our own fields. */
static att_status fill_jsonl(att_article *a, const json_t *o,
                             att_decode_stats *ds)
{
    att_status st;
    if ((st = att_json_text(&a->id, json_object_get(o, "id"), true, ds)) ||
        (st = att_json_text(&a->title, json_object_get(o, "title"), false, ds)) ||
        (st = att_json_text(&a->body, json_object_get(o, "body"), false, ds)) ||
        (st = take_date(&a->date, json_object_get(o, "date"), ds)) ||
        (st = att_json_text(&a->source, json_object_get(o, "source"), false, ds)) ||
        (st = att_json_text(&a->url, json_object_get(o, "url"), false, ds)) ||
        (st = att_json_text(&a->author, json_object_get(o, "author"), false, ds)) ||
        (st = att_json_text(&a->language, json_object_get(o, "language"), false, ds)) ||
        (st = take_tags(&a->tags, json_object_get(o, "tags"), ds)) ||
        (st = att_json_names(&a->people, json_object_get(o, "people"))) ||
        (st = att_json_names(&a->organisations, json_object_get(o, "organisations"))) ||
        (st = att_json_names(&a->organisations, json_object_get(o, "organizations"))) ||
        (st = att_json_names(&a->places, json_object_get(o, "places"))))
        return st;
    return ATT_OK;
}

/* "line 3: " for a JSON line; for a whole file, `line` (jansson's, for a
 * malformed file) or nothing (0). */
static att_status fail(att_status st, att_skip_reason reason,
                       att_skip_reason *why, const att_input *in,
                       unsigned long line, const char *what)
{
    *why = reason;
    if (in->line)
        line = (unsigned long)in->line;
    if (!line)
        return att_error_set(st, "%s", what);
    return att_error_set(st, "line %lu: %s", line, what);
}

/* Text fields without anything but white space are absent. */
static void drop_blank(const char **s, size_t *len)
{
    if (!*s)
        return;
    for (const char *p = *s; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return;
    free((char *)*s);
    *s = NULL;
    if (len)
        *len = 0;
}

att_status att_read_json(att_article **out, const char *bytes, size_t n,
                         const att_input *in, att_input_format format,
                         att_decode_stats *ds, att_skip_reason *why,
                         att_input_format *used)
{
    *out = NULL;
    if (used)
        *used = format == ATT_INPUT_NINJS ? ATT_INPUT_NINJS : ATT_INPUT_JSONL;
    char *text = NULL;
    size_t len = 0;
    att_status st = att_decode(bytes, n, &text, &len, ds);
    if (st) {
        *why = st == ATT_ENCODING ? ATT_SKIP_BINARY : ATT_SKIP_INVALID;
        if (st == ATT_ENCODING && in->line) {
            const char *nul = memchr(bytes, '\0', n);
            return att_error_set(st, "line %llu: binary data (a NUL byte at "
                                 "byte %zu of the line)",
                                 (unsigned long long)in->line,
                                 nul ? (size_t)(nul - bytes) : (size_t)0);
        }
        return st;
    }
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
                       text[i] == '\n'))
        i++;
    if (i == len) {
        free(text);
        *why = ATT_SKIP_EMPTY;
        return att_error_set(ATT_NOT_FOUND, "no article text (empty file)");
    }
    json_error_t err;
    json_t *o = json_loadb(text, len, 0, &err);
    free(text);
    if (!o) {
        char what[256];
        snprintf(what, sizeof what, "malformed JSON: %s (column %d)", err.text,
                 err.column);
        return fail(ATT_INVALID, ATT_SKIP_MALFORMED, why, in,
                    err.line > 0 ? (unsigned long)err.line : 1, what);
    }
    if (!json_is_object(o)) {
        json_decref(o);
        return fail(ATT_INVALID, ATT_SKIP_MALFORMED, why, in, 0,
                    "not a JSON object (an article is one object; a JSON "
                    "array is not read: write one object per line)");
    }
    att_article *a = att_article_new();
    if (!a) {
        json_decref(o);
        return att_error_nomem();
    }
    bool ninjs = format == ATT_INPUT_NINJS ||
                 (format == ATT_INPUT_AUTO && att_ninjs_is(o));
    if (used)
        *used = ninjs ? ATT_INPUT_NINJS : ATT_INPUT_JSONL;
    st = ninjs ? att_ninjs_fill(a, o, ds) : fill_jsonl(a, o, ds);
    json_decref(o);
    if (st) {
        att_article_free(a);
        *why = ATT_SKIP_INVALID;
        return st;
    }
    drop_blank(&a->title, &a->title_len);
    drop_blank(&a->body, &a->body_len);
    a->title_len = a->title ? strlen(a->title) : 0;
    a->body_len = a->body ? strlen(a->body) : 0;
    if (!a->body) {
        att_article_free(a);
        return fail(ATT_NOT_FOUND, ATT_SKIP_NO_BODY, why, in, 0,
                    ninjs ? "no body text (a ninjs item needs body_text or "
                            "body_html)"
                          : "no body text (an article needs \"body\")");
    }
    if ((st = att_article_finish(a, in, why))) {
        att_article_free(a);
        if (in->line)
            att_error_prefix("line %llu", (unsigned long long)in->line);
        return st;
    }
    *out = a;
    return ATT_OK;
}
