/*
 * output.c: result formatting for the CLI, in three forms.
 *
 * Text (for people): each snippet on one line, runs of white space in the
 * original (line breaks included) shown as one space, an ellipsis where a
 * fragment does not start or end with its field, matched words bold on a
 * terminal and unmarked otherwise (plain).  HTML: an ordered list with the
 * text escaped and the matches in <mark>.  Both come from
 * att_snippet_format(), so the library and the command line render alike.
 * JSON is built with jansson, so escaping is never hand-made; snippet
 * texts are the exact stored bytes and the highlight ranges are byte
 * offsets into them, as in the C API.
 *
 * Facets, when the search counted them (att_results_has_facets()), follow
 * the hits: in text, one line per non-empty facet ("Places   Pakistan 120
 * · Afghanistan 98 · ..."), wrapped to the terminal's width with the
 * values never split; in HTML, a <dl class="attache-facets">; in JSON, a
 * "facets" object with a list per facet (docs/CLI.md).
 *
 * For `attache batch` (cmd_batch.c): JSON Lines (the JSON object with the
 * query's id first), TSV and TREC runs.  Machine formats write scores
 * with six decimals (SCORE_DECIMALS), the same in all of them.
 */
#include "output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define BOLD "\033[1m"
#define MATCH "\033[1;33m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* Prints a snippet with the given flags and marks; false if out of memory. */
static bool print_snippet(FILE *f, const att_snippet *s, unsigned flags,
                          const char *on, const char *off)
{
    char *t = NULL;
    if (att_snippet_format(&t, s, flags, on, off) != ATT_OK)
        return false;
    fputs(t, f);
    att_string_free(t);
    return true;
}

static void facets_human(FILE *f, const att_results *r, bool color);

int out_human(FILE *f, const att_results *r, bool color)
{
    int exact = 0;
    uint64_t total = att_results_total(r, &exact);
    size_t n = att_results_count(r);
    const char *sug = att_results_suggestion(r);
    if (total == 0) {
        fprintf(f, "No results for: %s\n", att_results_query(r));
        if (sug)
            fprintf(f, "Did you mean: %s%s%s ?\n", color ? BOLD : "", sug,
                    color ? RESET : "");
        return 0;
    }
    if (sug)
        fprintf(f, "Did you mean: %s%s%s ?\n", color ? BOLD : "", sug,
                color ? RESET : "");
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
    const char *on = color ? MATCH : NULL;
    for (size_t i = 0; i < n; i++) {
        const att_hit *h = att_results_hit(r, i);
        fprintf(f, "\n%3zu. ", h->rank);
        if (h->title_snippet && h->title_snippet->len) {
            if (color)
                fputs(BOLD, f);
            if (!print_snippet(f, h->title_snippet, ATT_FORMAT_ONE_LINE, on,
                               color ? RESET BOLD : NULL))
                return -1;
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
        if (h->copies) {
            /* copies of this story collapsed into it (--all-copies lists them) */
            fprintf(f, "     %s+%zu cop%s:", color ? DIM : "", h->copies,
                    h->copies == 1 ? "y" : "ies");
            for (size_t k = 0; k < h->n_copy_ids; k++)
                fprintf(f, " %s", h->copy_ids[k]);
            if (h->copies > h->n_copy_ids)
                fputs(" …", f);
            fprintf(f, "%s\n", color ? RESET : "");
        }
        for (size_t k = 0; k < h->n_snippets; k++) {
            fputs("     ", f);
            if (!print_snippet(f, &h->snippets[k],
                               ATT_FORMAT_ONE_LINE | ATT_FORMAT_ELLIPSIS, on,
                               color ? RESET : NULL))
                return -1;
            fputc('\n', f);
        }
    }
    facets_human(f, r, color);
    return 0;
}

/* ---- facets ---------------------------------------------------------- */

static const char *const FACET_LABELS[ATT_FACET_COUNT] = {
    "People", "Orgs", "Places", "Sources", "Dates"};
#define FACET_INDENT 11 /* "  Sources  " */

/* Columns a UTF-8 string takes (one per character; wide characters are
 * rare in names and only make a line a little longer). */
static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The width to wrap at: the terminal's, or 80 when not a terminal. */
static size_t line_width(FILE *f)
{
    struct winsize ws;
    if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col >= 40)
        return ws.ws_col;
    return 80;
}

static void facets_human(FILE *f, const att_results *r, bool color)
{
    if (!att_results_has_facets(r) || att_results_total(r, NULL) == 0)
        return;
    size_t width = line_width(f);
    bool header = false;
    for (int k = 0; k < ATT_FACET_COUNT; k++) {
        size_t n = 0;
        const att_facet_value *v = att_results_facet(r, (att_facet)k, &n);
        if (!n)
            continue;
        if (!header) {
            fprintf(f, "\n%sFacets%s (counted over all %llu results):\n",
                    color ? BOLD : "", color ? RESET : "",
                    (unsigned long long)att_results_total(r, NULL));
            header = true;
        }
        fprintf(f, "  %s%-8s%s ", color ? BOLD : "", FACET_LABELS[k],
                color ? RESET : "");
        size_t col = FACET_INDENT;
        if (k == ATT_FACET_DATE) {
            att_date_unit u = att_results_facet_date_unit(r);
            const char *by = u == ATT_DATE_DAY     ? "by day: "
                             : u == ATT_DATE_MONTH ? "by month: "
                                                   : "by year: ";
            fprintf(f, "%s%s%s", color ? DIM : "", by, color ? RESET : "");
            col += strlen(by);
        }
        for (size_t i = 0; i < n; i++) {
            char count[24];
            snprintf(count, sizeof count, "%llu", (unsigned long long)v[i].count);
            size_t w = columns(v[i].value) + 1 + strlen(count);
            if (i > 0) {
                if (col + 3 + w > width) {
                    fprintf(f, "\n%*s", FACET_INDENT, "");
                    col = FACET_INDENT;
                } else {
                    fputs(" · ", f);
                    col += 3;
                }
            }
            fprintf(f, "%s %s%s%s", v[i].value, color ? DIM : "", count,
                    color ? RESET : "");
            col += w;
        }
        fputc('\n', f);
    }
}

/* Writes s HTML-escaped (the library's escaping: a snippet without
 * highlights); false if out of memory. */
static bool html_text(FILE *f, const char *s)
{
    att_snippet t = {s, strlen(s), NULL, 0, 0, 1, 1};
    return print_snippet(f, &t, ATT_FORMAT_HTML, NULL, NULL);
}

int out_html(FILE *f, const att_results *r)
{
    int exact = 0;
    uint64_t total = att_results_total(r, &exact);
    size_t n = att_results_count(r);
    fputs("<section class=\"attache-results\">\n<p class=\"count\">", f);
    fprintf(f, "%s%llu result%s for <q>", exact ? "" : "about ",
            (unsigned long long)total, total == 1 ? "" : "s");
    if (!html_text(f, att_results_query(r)))
        return -1;
    fputs("</q></p>\n", f);
    if (n)
        fprintf(f, "<ol start=\"%zu\">\n", att_results_hit(r, 0)->rank);
    for (size_t i = 0; i < n; i++) {
        const att_hit *h = att_results_hit(r, i);
        fputs("<li>\n<h3>", f);
        if (h->url) {
            fputs("<a href=\"", f);
            if (!html_text(f, h->url))
                return -1;
            fputs("\">", f);
        }
        if (h->title_snippet && h->title_snippet->len) {
            if (!print_snippet(f, h->title_snippet,
                               ATT_FORMAT_HTML | ATT_FORMAT_ONE_LINE, NULL, NULL))
                return -1;
        } else {
            fputs("(untitled)", f);
        }
        fputs(h->url ? "</a></h3>\n" : "</h3>\n", f);
        fputs("<p class=\"meta\">", f);
        if (!html_text(f, h->id))
            return -1;
        if (h->date) {
            fputs(" · <time>", f);
            if (!html_text(f, h->date))
                return -1;
            fputs("</time>", f);
        }
        if (h->source) {
            fputs(" · ", f);
            if (!html_text(f, h->source))
                return -1;
        }
        fprintf(f, " · score %.2f</p>\n", h->score);
        for (size_t k = 0; k < h->n_snippets; k++) {
            fputs("<p class=\"snippet\">", f);
            if (!print_snippet(f, &h->snippets[k],
                               ATT_FORMAT_HTML | ATT_FORMAT_ONE_LINE |
                                   ATT_FORMAT_ELLIPSIS,
                               NULL, NULL))
                return -1;
            fputs("</p>\n", f);
        }
        fputs("</li>\n", f);
    }
    if (n)
        fputs("</ol>\n", f);
    /* facets: one <dt> per non-empty facet, its values in <dd>s */
    if (att_results_has_facets(r)) {
        fputs("<dl class=\"attache-facets\">\n", f);
        for (int k = 0; k < ATT_FACET_COUNT; k++) {
            size_t nv = 0;
            const att_facet_value *v = att_results_facet(r, (att_facet)k, &nv);
            if (!nv)
                continue;
            fprintf(f, "<dt data-facet=\"%s\">%s</dt>\n",
                    att_facet_name((att_facet)k), FACET_LABELS[k]);
            for (size_t i = 0; i < nv; i++) {
                fputs("<dd data-id=\"", f);
                if (!html_text(f, v[i].id))
                    return -1;
                fputs("\">", f);
                if (!html_text(f, v[i].value))
                    return -1;
                fprintf(f, " <span class=\"count\">%llu</span></dd>\n",
                        (unsigned long long)v[i].count);
            }
        }
        fputs("</dl>\n", f);
    }
    fputs("</section>\n", f);
    return 0;
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

/* Machine output writes scores with SCORE_DECIMALS decimals (docs/CLI.md),
 * so that they are the same in every format and from run to run: the
 * last bits of a BM25 sum may differ between builds, six decimals never
 * in practice.  In JSON the value is the decimal printed by "%.6f" read
 * back, dumped with 15 significant digits: the shortest form of that
 * decimal ("0.9025", not "0.90249999999999997"). */
#define SCORE_DECIMALS 6
#define JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

static double score_rounded(double score)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f", SCORE_DECIMALS, score);
    return strtod(buf, NULL);
}

static int dump(FILE *f, json_t *obj)
{
    if (!obj)
        return -1;
    int rc = json_dumpf(obj, f, JSON_FLAGS);
    json_decref(obj);
    fputc('\n', f);
    return rc;
}

/* {"person": [{"value", "id", "count"}...], ..., "date": [...]}: every
 * facet present, empty lists included. */
static json_t *facets_json(const att_results *r)
{
    json_t *fs = json_object();
    for (int k = 0; fs && k < ATT_FACET_COUNT; k++) {
        size_t n = 0;
        const att_facet_value *v = att_results_facet(r, (att_facet)k, &n);
        json_t *list = json_array();
        for (size_t i = 0; list && i < n; i++)
            if (json_array_append_new(
                    list, json_pack("{s:s, s:s, s:I}", "value", v[i].value, "id",
                                    v[i].id, "count", (json_int_t)v[i].count))) {
                json_decref(list);
                list = NULL;
            }
        if (!list || json_object_set_new(fs, att_facet_name((att_facet)k), list)) {
            json_decref(fs);
            fs = NULL;
        }
    }
    return fs;
}

/* A hit's tags ("a, b") as an array of strings, or null. */
static json_t *tags_json(const char *tags)
{
    if (!tags || !*tags)
        return json_null();
    json_t *a = json_array();
    for (const char *p = tags; a && *p;) {
        const char *c = strchr(p, ',');
        const char *e = c ? c : p + strlen(p);
        const char *s = p;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        const char *t = e;
        while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if (t > s && json_array_append_new(a, json_stringn(s, (size_t)(t - s)))) {
            json_decref(a);
            return NULL;
        }
        p = c ? c + 1 : e;
    }
    return a;
}

/* The object of --json, with "qid" as its first key when qid is not
 * NULL (batch's JSON Lines); NULL if memory ran out. */
static json_t *results_json(const att_results *r, const char *qid,
                            size_t offset, size_t limit)
{
    int exact = 0;
    uint64_t total = att_results_total(r, &exact);
    json_t *hits = json_array();
    if (!hits)
        return NULL;
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
        json_t *copy_ids = json_array();
        for (size_t k = 0; copy_ids && k < h->n_copy_ids; k++)
            if (json_array_append_new(copy_ids, json_string(h->copy_ids[k]))) {
                json_decref(copy_ids);
                copy_ids = NULL;
            }
        json_t *hit = json_pack(
            "{s:I, s:s, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o}",
            "rank", (json_int_t)h->rank, "id", h->id, "score",
            score_rounded(h->score),
            "title", str_or_null(h->title), "title_highlights", title_hl,
            "date", str_or_null(h->date), "source", str_or_null(h->source),
            "url", str_or_null(h->url), "author", str_or_null(h->author),
            "language", str_or_null(h->language), "tags", tags_json(h->tags),
            "copies", (json_int_t)h->copies, "copy_ids", copy_ids,
            "snippets", snips);
        if (!hit || json_array_append_new(hits, hit))
            goto fail;
    }
    /* Keys in this order (jansson keeps insertion order when dumping). */
    json_t *obj = json_object();
    if (!obj || (qid && json_object_set_new(obj, "qid", json_string(qid))) ||
        json_object_set_new(obj, "query", json_string(att_results_query(r))) ||
        json_object_set_new(obj, "total", json_integer((json_int_t)total)) ||
        json_object_set_new(obj, "total_exact", json_boolean(exact)) ||
        json_object_set_new(obj, "offset", json_integer((json_int_t)offset)) ||
        json_object_set_new(obj, "limit", json_integer((json_int_t)limit)) ||
        json_object_set_new(obj, "suggestion",
                            str_or_null(att_results_suggestion(r)))) {
        json_decref(obj);
        goto fail;
    }
    if (json_object_set_new(obj, "hits", hits)) {
        json_decref(obj);
        return NULL;
    }
    if (att_results_has_facets(r)) {
        json_t *fs = facets_json(r);
        if (!fs || json_object_set_new(obj, "facets", fs)) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
fail:
    json_decref(hits);
    return NULL;
}

int out_json(FILE *f, const att_results *r, size_t offset, size_t limit)
{
    return dump(f, results_json(r, NULL, offset, limit));
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

/* ---- batch: JSON Lines, TSV, TREC ------------------------------------ */

int out_jsonl(FILE *f, const char *qid, const att_results *r, size_t offset,
              size_t limit)
{
    return dump(f, results_json(r, qid, offset, limit));
}

int out_jsonl_error(FILE *f, const char *qid, const char *query,
                    const char *status, const char *message, long position)
{
    json_t *err = json_object(), *obj = json_object();
    if (!err || !obj ||
        json_object_set_new(err, "status", json_string(status)) ||
        json_object_set_new(err, "message", json_string(message)) ||
        json_object_set_new(err, "position", position >= 0
                                                 ? json_integer(position)
                                                 : json_null()) ||
        json_object_set_new(obj, "qid", json_string(qid)) ||
        json_object_set_new(obj, "query", json_string(query))) {
        json_decref(err);
        json_decref(obj);
        return -1;
    }
    if (json_object_set_new(obj, "error", err)) {
        json_decref(obj);
        return -1;
    }
    return dump(f, obj);
}

/* Writes a TSV field: backslash, tab, line feed and carriage return as
 * \\, \t, \n and \r, so that a field never breaks a line or a column. */
static void tsv_field(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", f); break;
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        default: fputc(*s, f); break;
        }
    }
}

void out_tsv_header(FILE *f) { fputs("qid\trank\tid\tscore\ttitle\n", f); }

int out_tsv(FILE *f, const char *qid, const att_results *r)
{
    for (size_t i = 0; i < att_results_count(r); i++) {
        const att_hit *h = att_results_hit(r, i);
        tsv_field(f, qid);
        fprintf(f, "\t%zu\t", h->rank);
        tsv_field(f, h->id);
        fprintf(f, "\t%.*f\t", SCORE_DECIMALS, h->score);
        tsv_field(f, h->title);
        fputc('\n', f);
    }
    return 0;
}

int out_trec(FILE *f, const char *qid, const att_results *r, const char *tag)
{
    for (size_t i = 0; i < att_results_count(r); i++) {
        const att_hit *h = att_results_hit(r, i);
        fprintf(f, "%s Q0 %s %zu %.*f %s\n", qid, h->id, h->rank,
                SCORE_DECIMALS, h->score, tag);
    }
    return 0;
}

int out_facets(FILE *f, const att_results *r, bool color)
{
    facets_human(f, r, color);
    return 0;
}
