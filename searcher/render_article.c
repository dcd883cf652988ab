/*
 * render_article.c: one article in full for people (render_article.h),
 * what the prompt's :open shows: the title, a line of metadata, the URL,
 * then the whole body as stored, its line breaks kept, with the words the
 * query matched marked as the snippets of the results mark them (bold
 * yellow on a terminal, nothing otherwise: plain text stays the exact
 * stored text).  The marking comes from the library (att_mark_article(),
 * then att_snippet_format()), so it is the same analysis as a search's.
 *
 * Wrapping.  On a terminal, a line longer than the width is broken at its
 * last space that fits (or, for a word longer than the line, where the
 * line is full).  Widths count characters, not bytes, and escape
 * sequences count nothing; when a break falls inside a mark, the mark is
 * closed before the line break and opened again after it, so every line
 * stands on its own (a pager may show it without the lines before).
 */
#include "render_article.h"

#include <stdlib.h>
#include <string.h>

#define BOLD "\033[1m"
#define MATCH "\033[1;33m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* The SGR sequences in force: those seen since the last reset. */
typedef struct sgr {
    char seq[64];
    size_t len;
} sgr;

/* Length of the escape sequence at s (ESC [ ... final byte), 0 if none. */
static size_t esc_len(const char *s, size_t n)
{
    if (n < 2 || s[0] != 0x1B || s[1] != '[')
        return 0;
    size_t i = 2;
    while (i < n && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7E))
        i++;
    return i < n ? i + 1 : n;
}

static void sgr_track(sgr *st, const char *e, size_t n)
{
    if (n == strlen(RESET) && memcmp(e, RESET, n) == 0) {
        st->len = 0;
    } else if (e[n - 1] == 'm' && st->len + n < sizeof st->seq) {
        memcpy(st->seq + st->len, e, n);
        st->len += n;
    }
}

/* Writes one line (no '\n' in it), broken into rows of at most `width`
 * characters at spaces. */
static void put_line(FILE *f, const char *s, size_t n, size_t width, sgr *st)
{
    while (n) {
        size_t col = 0, i = 0, brk = 0, brk_resume = 0;
        sgr at_brk = *st, cur = *st;
        bool full = false, have_brk = false;
        while (i < n) {
            size_t e = esc_len(s + i, n - i);
            if (e) {
                sgr_track(&cur, s + i, e);
                i += e;
                continue;
            }
            unsigned char c = (unsigned char)s[i];
            if ((c & 0xC0) != 0x80) { /* a character starts */
                if (width && col == width) {
                    full = true;
                    break;
                }
                if (c == ' ' && i > 0) {
                    have_brk = true;
                    brk = i;
                    brk_resume = i + 1;
                    at_brk = cur;
                }
                col = c == '\t' ? (col / 8 + 1) * 8 : col + 1;
                if (width && col > width) { /* a tab past the end */
                    full = true;
                    break;
                }
            }
            i++;
        }
        if (!full) {
            fwrite(s, 1, n, f);
            *st = cur;
            return;
        }
        if (!have_brk) { /* one word longer than the line: cut it */
            if (i == 0) /* not even one character fits */
                for (i = 1; i < n && ((unsigned char)s[i] & 0xC0) == 0x80; i++)
                    ;
            brk = brk_resume = i;
            at_brk = cur;
        }
        fwrite(s, 1, brk, f);
        if (at_brk.len)
            fputs(RESET, f);
        fputc('\n', f);
        if (at_brk.len)
            fwrite(at_brk.seq, 1, at_brk.len, f);
        *st = at_brk;
        s += brk_resume;
        n -= brk_resume;
    }
}

/* Writes `text`, its lines wrapped at `width` (0: as they are). */
static void put_wrapped(FILE *f, const char *text, size_t width)
{
    sgr st = {{0}, 0};
    for (const char *p = text;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (width)
            put_line(f, p, n, width, &st);
        else
            fwrite(p, 1, n, f);
        if (!nl)
            break;
        fputc('\n', f);
        p = nl + 1;
    }
}

int out_article(FILE *f, const att_marked *m, bool color, size_t width)
{
    const att_article *a = att_marked_article(m);
    const att_snippet *title = att_marked_title(m);
    const att_snippet *body = att_marked_body(m);
    char *t = NULL;
    if (title && title->len) {
        if (att_snippet_format(&t, title, ATT_FORMAT_ONE_LINE,
                               color ? MATCH : NULL, color ? RESET BOLD : NULL))
            return -1;
        size_t n = strlen(t) + 2 * sizeof BOLD + sizeof RESET;
        char *line = malloc(n);
        if (!line) {
            att_string_free(t);
            return -1;
        }
        snprintf(line, n, "%s%s%s", color ? BOLD : "", t, color ? RESET : "");
        put_wrapped(f, line, width);
        free(line);
        att_string_free(t);
    } else {
        fputs("(untitled)", f);
    }
    fputc('\n', f);
    fprintf(f, "%s%s", color ? DIM : "", a->id);
    if (a->date)
        fprintf(f, " · %s", a->date);
    if (a->source)
        fprintf(f, " · %s", a->source);
    if (a->author)
        fprintf(f, " · %s", a->author);
    fprintf(f, "%s\n", color ? RESET : "");
    if (a->url)
        fprintf(f, "%s%s%s\n", color ? DIM : "", a->url, color ? RESET : "");
    fputc('\n', f);
    if (!body || !body->len) {
        fputs("(no text)\n", f);
        return 0;
    }
    if (att_snippet_format(&t, body, 0, color ? MATCH : NULL,
                           color ? RESET : NULL))
        return -1;
    put_wrapped(f, t, width);
    size_t n = strlen(t);
    if (n && t[n - 1] != '\n')
        fputc('\n', f);
    att_string_free(t);
    return 0;
}
