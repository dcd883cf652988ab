/*
 * readers.c: what the readers share (readers.h): recognising an input's
 * format from its first bytes, choosing the reader, and the last step of
 * every reader (the date normalised or taken from the file name, a
 * byline's "By " dropped, the id given its default and checked), plus the
 * public names of skip reasons.
 *
 * Recognition looks at content, not at names, so a JSON Lines file called
 * .txt or an HTML page saved without extension is read right; the walker
 * (ingest.c) only uses names to pick which files of a directory are
 * inputs at all.
 */
#include "readers.h"

#include "../common/datenorm.h"
#include "../common/index.h"
#include "../common/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

ATT_API const char *att_skip_reason_name(att_skip_reason reason)
{
    switch (reason) {
    case ATT_SKIP_UNREADABLE: return "unreadable";
    case ATT_SKIP_TOO_LARGE: return "too large";
    case ATT_SKIP_EMPTY: return "empty";
    case ATT_SKIP_BINARY: return "binary";
    case ATT_SKIP_ENCODING: return "unknown encoding";
    case ATT_SKIP_MALFORMED: return "malformed";
    case ATT_SKIP_NO_BODY: return "no body";
    case ATT_SKIP_INVALID: return "invalid";
    case ATT_SKIP_REASON_COUNT: break;
    }
    return NULL;
}

att_article *att_article_new(void)
{
    att_article *a = calloc(1, sizeof *a);
    if (a) {
        a->version = ATT_ARTICLE_VERSION;
        a->title_len = 0;
        a->body_len = 0;
    }
    return a;
}

static bool ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The shape of clean text (UTF-8, no BOM). */
static att_shape sniff_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && ws(s[i]))
        i++;
    if (i >= n)
        return ATT_SHAPE_TEXT;
    char c = s[i];
    if (c == '<' && i + 1 < n) {
        char d = s[i + 1];
        if ((d | 0x20) >= 'a' && (d | 0x20) <= 'z')
            return ATT_SHAPE_HTML;
        if (d == '!' || d == '?')
            return ATT_SHAPE_HTML;
        return ATT_SHAPE_TEXT;
    }
    if (c != '{')
        return ATT_SHAPE_TEXT;
    /* JSON: lines when the first line closes its object and another line
     * follows with one; else one object over the whole input. */
    const char *nl = memchr(s + i, '\n', n - i);
    if (!nl)
        return ATT_SHAPE_JSON_DOC;
    const char *e = nl;
    while (e > s + i && ws(e[-1]))
        e--;
    if (e == s + i || e[-1] != '}')
        return ATT_SHAPE_JSON_DOC;
    const char *p = nl + 1, *end = s + n;
    while (p < end && ws(*p))
        p++;
    if (p >= end)
        return ATT_SHAPE_JSON_DOC; /* one line only: one document */
    return *p == '{' ? ATT_SHAPE_JSON_LINES : ATT_SHAPE_JSON_DOC;
}

att_shape att_sniff(const char *head, size_t n)
{
    const unsigned char *u = (const unsigned char *)head;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return sniff_utf8(head + 3, n - 3);
    bool utf16 = n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                            (u[0] == 0xFE && u[1] == 0xFF));
    if (!utf16 && memchr(head, '\0', n < 4096 ? n : 4096))
        utf16 = true; /* or binary: att_decode() decides */
    if (!utf16)
        return sniff_utf8(head, n);
    char *text = NULL;
    size_t len = 0;
    /* A head cut inside a character decodes to U+FFFD at its end: harmless. */
    if (att_decode(head, n & ~(size_t)1, &text, &len, NULL) != ATT_OK)
        return ATT_SHAPE_TEXT; /* binary: the text reader reports it */
    att_shape sh = sniff_utf8(text, len);
    free(text);
    return sh;
}

att_status att_read_any(att_article **out, const char *bytes, size_t n,
                        const att_input *in, att_input_format format,
                        att_decode_stats *ds, att_skip_reason *why,
                        att_input_format *used)
{
    att_input_format f = format;
    if (f == ATT_INPUT_AUTO) {
        switch (att_sniff(bytes, n)) {
        case ATT_SHAPE_HTML: f = ATT_INPUT_HTML; break;
        case ATT_SHAPE_JSON_DOC:
        case ATT_SHAPE_JSON_LINES: f = ATT_INPUT_JSONL; break;
        case ATT_SHAPE_TEXT: f = ATT_INPUT_TEXT; break;
        }
    }
    if (used)
        *used = f;
    switch (f) {
    case ATT_INPUT_HTML:
        return att_read_html(out, bytes, n, in, ds, why);
    case ATT_INPUT_JSONL:
    case ATT_INPUT_NINJS:
        /* Auto-detected JSON is read by its keys; a forced format not. */
        return att_read_json(out, bytes, n, in,
                             format == ATT_INPUT_AUTO ? ATT_INPUT_AUTO : f, ds,
                             why, used);
    case ATT_INPUT_AUTO:
    case ATT_INPUT_TEXT:
        break;
    }
    return att_read_text(out, bytes, n, in, ds, why);
}

att_status att_article_finish(att_article *a, const att_input *in,
                              att_skip_reason *why)
{
    /* A byline's "By " is not part of the name. */
    if (a->author && strncasecmp(a->author, "by ", 3) == 0 && a->author[3]) {
        char *p = (char *)a->author;
        memmove(p, p + 3, strlen(p + 3) + 1);
    }
    char date[ATT_DATE_BUF];
    if (a->date) {
        bool ok = att_date_normalise(a->date, strlen(a->date), date);
        free((char *)a->date);
        a->date = NULL;
        if (ok && !(a->date = att_strdup(date)))
            return att_error_nomem();
    }
    if (!a->date && in->name && att_date_from_name(in->name, date) &&
        !(a->date = att_strdup(date)))
        return att_error_nomem();
    if (!a->id) {
        char *id;
        if (in->line) {
            size_t n = strlen(in->id_base) + 24;
            id = malloc(n);
            if (id)
                snprintf(id, n, "%s#%llu", in->id_base,
                         (unsigned long long)in->line);
        } else {
            id = att_strdup(in->id_base);
        }
        if (!id)
            return att_error_nomem();
        a->id = id;
    }
    att_status st = att_id_check(a->id);
    if (st)
        *why = ATT_SKIP_INVALID;
    return st;
}

size_t att_text_clean_controls(char *s, size_t *n)
{
    size_t count = 0, o = 0, len = *n;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\f' || c == '\v') {
            s[o++] = '\n';
            count++;
        } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
                   c == 0x7F) {
            s[o++] = ' ';
            count++;
        } else if (c == 0xC2 && i + 1 < len &&
                   (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F) {
            /* a C1 control, U+0080-U+009F: two bytes become one space */
            s[o++] = ' ';
            i++;
            count++;
        } else {
            s[o++] = (char)c;
        }
    }
    s[o] = '\0';
    *n = o;
    return count;
}

att_status att_list_add(const char **list, const char *name, size_t n)
{
    while (n && ws(*name)) {
        name++;
        n--;
    }
    while (n && ws(name[n - 1]))
        n--;
    if (!n)
        return ATT_OK;
    att_buf b = ATT_BUF_INIT;
    att_status st = ATT_OK;
    if (*list && ((st = att_buf_puts(&b, *list)) || (st = att_buf_putc(&b, '\n')))) {
        att_buf_free(&b);
        return st;
    }
    size_t at = b.len;
    if ((st = att_buf_append(&b, name, n))) {
        att_buf_free(&b);
        return st;
    }
    for (size_t i = at; i < b.len; i++)
        if (b.data[i] == '\t' || b.data[i] == '\n' || b.data[i] == '\r')
            b.data[i] = ' ';
    free((char *)*list);
    *list = b.data;
    return ATT_OK;
}
