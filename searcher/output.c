/*
 * output.c: result formatting for the CLI.
 *
 * Human output prints each snippet on one line: runs of white space in the
 * original (line breaks included) are shown as one space, a fragment that
 * does not start or end with its field gets an ellipsis, and matched words
 * are bold on a terminal.  JSON output is built with jansson, so escaping
 * is never hand-made; snippet texts are the exact stored bytes and the
 * highlight ranges are byte offsets into them, as in the C API.
 */
#include "output.h"

#include <jansson.h>
#include <string.h>

#define BOLD "\033[1m"
#define MATCH "\033[1;33m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
           c == '\v';
}

/* Prints a snippet's text on one line with its highlights. */
static void print_marked(FILE *f, const att_snippet *s, bool color,
                         const char *mark_on, const char *mark_off)
{
    size_t h = 0;
    bool in = false, space = false;
    for (size_t i = 0; i < s->len; i++) {
        if (h < s->n_highlights && i == s->highlights[h].start && !in) {
            if (color)
                fputs(mark_on, f);
            in = true;
        }
        char c = s->text[i];
        if (is_space(c) || (unsigned char)c < 0x20 || c == 0x7F) {
            if (!space)
                fputc(' ', f);
            space = true;
        } else {
            fputc(c, f);
            space = false;
        }
        if (in && i + 1 == s->highlights[h].end) {
            if (color)
                fputs(mark_off, f);
            in = false;
            h++;
        }
    }
    if (in && color)
        fputs(mark_off, f);
}

void out_human(FILE *f, const att_results *r, bool color)
{
    int exact = 0;
    uint64_t total = att_results_total(r, &exact);
    size_t n = att_results_count(r);
    if (total == 0) {
        fprintf(f, "No results for: %s\n", att_results_query(r));
        return;
    }
    const att_hit *first = att_results_hit(r, 0);
    if (n)
        fprintf(f, "%s%llu result%s for: %s (showing %zu-%zu)\n",
                exact ? "" : "about ", (unsigned long long)total,
                total == 1 ? "" : "s", att_results_query(r), first->rank,
                first->rank + n - 1);
    else
        fprintf(f, "%s%llu result%s for: %s (none on this page)\n",
                exact ? "" : "about ", (unsigned long long)total,
                total == 1 ? "" : "s", att_results_query(r));
    for (size_t i = 0; i < n; i++) {
        const att_hit *h = att_results_hit(r, i);
        fprintf(f, "\n%3zu. ", h->rank);
        if (h->title_snippet && h->title_snippet->len) {
            if (color)
                fputs(BOLD, f);
            print_marked(f, h->title_snippet, color, MATCH, RESET BOLD);
            if (color)
                fputs(RESET, f);
        } else {
            fputs("(untitled)", f);
        }
        fputc('\n', f);
        fprintf(f, "     %s%s", color ? DIM : "", h->id);
        if (h->date)
            fprintf(f, " · %s", h->date);
        if (h->source)
            fprintf(f, " · %s", h->source);
        fprintf(f, " · score %.2f%s\n", h->score, color ? RESET : "");
        for (size_t k = 0; k < h->n_snippets; k++) {
            const att_snippet *s = &h->snippets[k];
            fputs("     ", f);
            if (!s->at_start)
                fputs("…", f);
            print_marked(f, s, color, MATCH, RESET);
            if (!s->at_end)
                fputs("…", f);
            fputc('\n', f);
        }
    }
}

static json_t *snippet_json(const att_snippet *s)
{
    json_t *hs = json_array();
    if (!hs)
        return NULL;
    for (size_t i = 0; i < s->n_highlights; i++) {
        json_t *pair = json_pack("[II]", (json_int_t)s->highlights[i].start,
                                 (json_int_t)s->highlights[i].end);
        if (!pair || json_array_append_new(hs, pair)) {
            json_decref(hs);
            return NULL;
        }
    }
    return json_pack("{s:s%, s:o, s:I, s:b, s:b}", "text", s->text, s->len,
                     "highlights", hs, "offset", (json_int_t)s->offset,
                     "at_start", s->at_start, "at_end", s->at_end);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int dump(FILE *f, json_t *obj)
{
    if (!obj)
        return -1;
    int rc = json_dumpf(obj, f, JSON_COMPACT);
    json_decref(obj);
    fputc('\n', f);
    return rc;
}

int out_json(FILE *f, const att_results *r, size_t offset, size_t limit)
{
    int exact = 0;
    uint64_t total = att_results_total(r, &exact);
    json_t *hits = json_array();
    if (!hits)
        return -1;
    for (size_t i = 0; i < att_results_count(r); i++) {
        const att_hit *h = att_results_hit(r, i);
        json_t *snips = json_array();
        if (!snips)
            goto fail;
        for (size_t k = 0; k < h->n_snippets; k++) {
            json_t *s = snippet_json(&h->snippets[k]);
            if (!s || json_array_append_new(snips, s)) {
                json_decref(snips);
                goto fail;
            }
        }
        json_t *th = h->title_snippet ? snippet_json(h->title_snippet) : NULL;
        json_t *title_hl = th ? json_incref(json_object_get(th, "highlights"))
                              : json_array();
        json_decref(th);
        json_t *hit = json_pack(
            "{s:I, s:s, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "rank",
            (json_int_t)h->rank, "id", h->id, "score", h->score, "title",
            str_or_null(h->title), "title_highlights", title_hl, "date",
            str_or_null(h->date), "source", str_or_null(h->source), "url",
            str_or_null(h->url), "author", str_or_null(h->author), "snippets",
            snips);
        if (!hit || json_array_append_new(hits, hit))
            goto fail;
    }
    json_t *obj = json_pack("{s:s, s:I, s:b, s:I, s:I, s:o}", "query",
                            att_results_query(r), "total", (json_int_t)total,
                            "total_exact", exact, "offset", (json_int_t)offset,
                            "limit", (json_int_t)limit, "hits", hits);
    return dump(f, obj);
fail:
    json_decref(hits);
    return -1;
}

int out_json_error(FILE *f, const char *query, att_status st)
{
    long pos = att_last_error_position();
    json_t *obj = json_pack("{s:s, s:{s:s, s:s, s:o}}", "query", query,
                            "error", "status", att_strerror(st), "message",
                            att_last_error(), "position",
                            pos >= 0 ? json_integer(pos) : json_null());
    return dump(f, obj);
}
