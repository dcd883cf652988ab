/*
 * render.c: att_snippet_format(), the ready-made renderings of a snippet
 * (plain, terminal, HTML), and att_string_free().  The command line uses
 * these for every human-readable form; JSON hands out the raw text and
 * byte ranges instead.  Highlights are byte ranges into the snippet's
 * text, in order and never overlapping (highlight.c guarantees it); a
 * range that does not fit is ignored rather than trusted.
 */
#include "../common/internal.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
           c == '\v';
}

static att_status put_char(att_buf *b, char c, bool html)
{
    if (html) {
        switch (c) {
        case '&': return att_buf_puts(b, "&amp;");
        case '<': return att_buf_puts(b, "&lt;");
        case '>': return att_buf_puts(b, "&gt;");
        case '"': return att_buf_puts(b, "&quot;");
        case '\'': return att_buf_puts(b, "&#39;");
        default: break;
        }
    }
    return att_buf_putc(b, c);
}

ATT_API att_status att_snippet_format(char **out, const att_snippet *s,
                                      unsigned flags, const char *mark_on,
                                      const char *mark_off)
{
    if (!out)
        return att_error_set(ATT_INVALID, "att_snippet_format: out is NULL");
    *out = NULL;
    if (!s || (!s->text && s->len))
        return att_error_set(ATT_INVALID, "att_snippet_format: NULL snippet");
    bool html = flags & ATT_FORMAT_HTML;
    bool one_line = flags & ATT_FORMAT_ONE_LINE;
    if (html && !mark_on && !mark_off) {
        mark_on = "<mark>";
        mark_off = "</mark>";
    }
    if (!mark_on || !mark_off)
        mark_on = mark_off = NULL;
    att_buf b = ATT_BUF_INIT;
    att_status st = att_buf_reserve(&b, s->len + 16);
    if (!st && (flags & ATT_FORMAT_ELLIPSIS) && !s->at_start)
        st = att_buf_puts(&b, "…");
    size_t h = 0;
    bool in = false, space = false;
    for (size_t i = 0; i < s->len && !st; i++) {
        /* Skip ranges that are empty, out of order or out of bounds. */
        while (!in && h < s->n_highlights &&
               (s->highlights[h].start < i ||
                s->highlights[h].end <= s->highlights[h].start ||
                s->highlights[h].end > s->len))
            h++;
        if (!in && h < s->n_highlights && s->highlights[h].start == i) {
            in = true;
            if (mark_on)
                st = att_buf_puts(&b, mark_on);
        }
        char c = s->text[i];
        if (one_line && (is_blank(c) || (unsigned char)c < 0x20 || c == 0x7F)) {
            if (!space && !st)
                st = att_buf_putc(&b, ' ');
            space = true;
        } else if (!st) {
            st = put_char(&b, c, html);
            space = false;
        }
        if (in && i + 1 == s->highlights[h].end) {
            in = false;
            h++;
            if (mark_off && !st)
                st = att_buf_puts(&b, mark_off);
        }
    }
    if (!st && (flags & ATT_FORMAT_ELLIPSIS) && !s->at_end)
        st = att_buf_puts(&b, "…");
    if (!st && !b.data)
        st = att_buf_reserve(&b, 1);
    if (st) {
        att_buf_free(&b);
        return st;
    }
    b.data[b.len] = '\0';
    *out = b.data;
    return ATT_OK;
}

ATT_API void att_string_free(char *s) { free(s); }
