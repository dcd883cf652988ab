/*
 * reader_text.c: the plain-text article reader, att_text_parse().
 *
 * The format (docs/FORMATS.md), as in corpus/ and the sample articles:
 *
 *   Source: UN General Debate      optional leading metadata lines,
 *   Date: 2024-09                  "Key: value" with a known key
 *                                  (Categories, Date, Source, Author,
 *   Title of the article           URL, Language, Tags; any case)
 *   Title of the article           the first substantive line is the title;
 *                                  the same line repeated next is dropped
 *   Body text ...                  everything after it is the body
 *
 * A Categories line is kept as the article's tags.  A first line longer
 * than TITLE_MAX bytes is not a title (the text has none) and stays body.
 * The bytes are first decoded to clean UTF-8 (common/decode.c: encodings,
 * byte-order marks, mojibake, control characters); after that the body is
 * kept byte for byte (apart from leading blank lines), so the
 * highlighter's offsets point into exactly the text that is stored.
 */
#include "readers.h"

#include "../common/index.h"
#include "../common/record.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TITLE_MAX 300

typedef struct line {
    const char *p; /* first non-blank byte */
    size_t n;      /* length without surrounding white space */
    size_t next;   /* offset just past the line's newline */
} line;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Reads the line starting at `at`, trimmed. */
static line get_line(const char *s, size_t len, size_t at)
{
    size_t end = at;
    while (end < len && s[end] != '\n')
        end++;
    line l;
    l.next = end < len ? end + 1 : end;
    size_t a = at, b = end;
    while (a < b && is_space(s[a]))
        a++;
    while (b > a && is_space(s[b - 1]))
        b--;
    /* A non-breaking space (U+00A0) at either end is blank too. */
    while (b - a >= 2 && (unsigned char)s[a] == 0xC2 && (unsigned char)s[a + 1] == 0xA0)
        a += 2;
    l.p = s + a;
    l.n = b - a;
    return l;
}

static const char *const meta_keys[] = {"categories", "date", "source",
                                        "author", "url", "language", "tags"};

/* If `l` is a metadata line, returns its key's index and sets *val. */
static int meta_key(line l, line *val)
{
    for (size_t k = 0; k < sizeof meta_keys / sizeof meta_keys[0]; k++) {
        size_t kn = strlen(meta_keys[k]);
        if (l.n > kn && strncasecmp(l.p, meta_keys[k], kn) == 0 &&
            l.p[kn] == ':') {
            const char *v = l.p + kn + 1;
            size_t vn = l.n - kn - 1;
            while (vn && is_space(*v)) {
                v++;
                vn--;
            }
            val->p = v;
            val->n = vn;
            return (int)k;
        }
    }
    return -1;
}

ATT_API att_status att_text_parse(att_article **out, const char *id,
                                  const char *text, size_t len)
{
    return att_text_parse_decoded(out, id, text, len, NULL);
}

static att_status parse(att_article **out, const char *id, const char *text,
                        size_t len);

att_status att_text_parse_decoded(att_article **out, const char *id,
                                  const char *bytes, size_t n,
                                  att_decode_stats *ds)
{
    if (!out)
        return att_error_set(ATT_INVALID, "att_text_parse: out is NULL");
    *out = NULL;
    if (!bytes)
        return att_error_set(ATT_INVALID, "att_text_parse: text is NULL");
    att_status st = att_id_check(id);
    if (st)
        return st;
    char *text = NULL;
    size_t len = 0;
    if ((st = att_decode(bytes, n, &text, &len, ds)))
        return st;
    st = parse(out, id, text, len);
    free(text);
    return st;
}

/* Parses clean UTF-8 (decoded, no BOM). */
static att_status parse(att_article **out, const char *id, const char *text,
                        size_t len)
{
    size_t at = 0;

    att_article *a = calloc(1, sizeof *a);
    if (!a)
        return att_error_nomem();
    a->version = ATT_ARTICLE_VERSION;
    const char **meta_slot[] = {&a->tags, &a->date, &a->source, &a->author,
                                &a->url, &a->language, &a->tags};

    /* Metadata block: known keys at the top, blank lines allowed. */
    line l;
    for (;;) {
        if (at >= len)
            break;
        l = get_line(text, len, at);
        if (l.n == 0) {
            at = l.next;
            continue;
        }
        line val;
        int k = meta_key(l, &val);
        if (k < 0)
            break;
        const char **slot = meta_slot[k];
        free((char *)*slot);
        if (!(*slot = att_strndup(val.p, val.n)))
            goto nomem;
        at = l.next;
    }
    if (a->date) {
        char slot[9];
        if (!att_date_slot(a->date, slot)) {
            /* Not a date we understand: drop it rather than guess. */
            free((char *)a->date);
            a->date = NULL;
        }
    }
    if (at >= len) {
        att_article_free(a);
        return att_error_set(ATT_NOT_FOUND, "no article text (empty file)");
    }
    /* Title: the first substantive line, unless it is a paragraph. */
    l = get_line(text, len, at);
    if (l.n <= TITLE_MAX) {
        if (!(a->title = att_strndup(l.p, l.n)))
            goto nomem;
        a->title_len = l.n;
        at = l.next;
        /* The title repeated as the next substantive line is not body. */
        size_t peek = at;
        line m = get_line(text, len, peek);
        while (m.n == 0 && m.next < len && m.next != peek) {
            peek = m.next;
            m = get_line(text, len, peek);
        }
        if (m.n == l.n && memcmp(m.p, l.p, l.n) == 0)
            at = m.next;
    }
    /* Body: the rest, from its first non-blank line, trailing space cut. */
    for (;;) {
        if (at >= len)
            break;
        line m = get_line(text, len, at);
        if (m.n)
            break;
        at = m.next;
    }
    size_t end = len;
    while (end > at && (is_space(text[end - 1]) || text[end - 1] == '\n'))
        end--;
    if (end > at) {
        if (!(a->body = att_strndup(text + at, end - at)))
            goto nomem;
        a->body_len = end - at;
    }
    if (!(a->id = att_strdup(id)))
        goto nomem;
    *out = a;
    return ATT_OK;
nomem:
    att_article_free(a);
    return att_error_nomem();
}
