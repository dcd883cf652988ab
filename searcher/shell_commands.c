/*
 * shell_commands.c: what one line of the prompt does (shell.h): a query,
 * a page (n, p), or a command (:filter, :unfilter, :sort, :facets, :open,
 * :help, :quit), the same on a terminal and in a script.
 *
 * The query as run.  Filters are queries of their own, each a required
 * clause: the search runs "QUERY AND FILTER1 AND FILTER2", a part in
 * parentheses when it has more than one word, so a filter goes through
 * the same query language as everything else (org:TTP is canonicalised
 * as in a query, date:2024 is a range) and the result header shows
 * exactly what ran.  A query or a filter that does not parse is not
 * taken: the previous one stays in force, and the error names the part
 * that is wrong (each part is parsed alone to find it) with a caret under
 * the column.
 *
 * Paging keeps the query, the filters and the sort order and moves the
 * offset; the ids of the page shown are kept so that :open N reads a hit
 * of the page without searching again (another hit costs one search of
 * one hit).
 */
#include "shell.h"

#include "cli.h"
#include "output.h"
#include "pager.h"
#include "render_article.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const shell_commands[] = {
    ":filter", ":unfilter", ":sort", ":facets", ":open", ":more",
    ":next",   ":prev",     ":help", ":quit",   NULL};

static const char help_text[] =
    "Type a query and press Enter, for example:\n"
    "  ceasefire Istanbul        \"open war\"        Kabul OR Islamabad\n"
    "  Taliban -Afghan           title:TTP          place:Kabul date:2025-10\n"
    "(the syntax: attache search --help).  Then:\n"
    "  n, :more           the next page of results\n"
    "  p, :prev           the previous page\n"
    "  :open N            article N in full, the matches marked (a pager\n"
    "                     shows it when it is longer than the screen)\n"
    "  :facets [N]        the top N (10) people, organisations, places,\n"
    "                     sources and dates of all the results\n"
    "  :facets on|off     show them after every page, or stop\n"
    "  :filter FILTER     keep only the results that also match FILTER, a\n"
    "                     query of its own: place:Kabul, org:TTP, date:2025\n"
    "  :filter            list the filters in force\n"
    "  :unfilter [F|N]    remove filter F (or the N-th), or all of them\n"
    "  :sort date         newest first;  :sort relevance  best first\n"
    "  :help              this help;     :quit (or Ctrl-D) leave\n"
    "Tab completes commands, field names (place:), the people,\n"
    "organisations, places and sources of the index after person:, org:,\n"
    "place: and source:, and words of the index.\n";

/* ---- the query as run -------------------------------------------------- */

/* Whether a part needs parentheses to be one clause: white space outside
 * quotes. */
static bool several_words(const char *q)
{
    bool quoted = false;
    for (; *q; q++) {
        if (*q == '"')
            quoted = !quoted;
        else if (!quoted && (*q == ' ' || *q == '\t'))
            return true;
    }
    return false;
}

/* "QUERY AND FILTER ..." (malloc'd), or NULL when out of memory. */
static char *query_text(const char *query, char *const *filters, size_t nf)
{
    size_t parts = (query && *query ? 1 : 0) + nf, n = 1;
    if (query)
        n += strlen(query) + 7;
    for (size_t i = 0; i < nf; i++)
        n += strlen(filters[i]) + 7;
    char *t = malloc(n);
    if (!t)
        return NULL;
    t[0] = '\0';
    size_t k = 0;
    for (size_t i = 0; i <= nf; i++) {
        const char *p = i == 0 ? query : filters[i - 1];
        if (!p || !*p)
            continue;
        bool paren = parts > 1 && several_words(p);
        if (k++)
            strcat(t, " AND ");
        if (paren)
            strcat(t, "(");
        strcat(t, p);
        if (paren)
            strcat(t, ")");
    }
    return t;
}

/* Reports the failed parse of `part` (the library's last error) with a
 * caret under the column. */
static void show_query_error(const char *part)
{
    long pos = att_last_error_position();
    cli_report_query(part);
    if (pos < 0 || (size_t)pos > strlen(part))
        return;
    fprintf(stderr, "  %s\n  ", part);
    for (long i = 0; i < pos; i++)
        if (part[i] == '\t')
            fputc('\t', stderr);
        else if (((unsigned char)part[i] & 0xC0) != 0x80)
            fputc(' ', stderr);
    fputs("^\n", stderr);
}

static bool query_error(att_status st)
{
    return st == ATT_QUERY_SYNTAX || st == ATT_EMPTY_QUERY;
}

/* The query as run did not parse: finds the part that does not parse on
 * its own and reports it; else reports the whole. */
static void report_bad(shell *s, const char *query, char *const *filters,
                       size_t nf, const char *text)
{
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.limit = 0;
    o.flags = ATT_SEARCH_NO_SUGGESTION;
    for (size_t i = 0; i <= nf; i++) {
        const char *p = i == 0 ? query : filters[i - 1];
        if (!p || !*p)
            continue;
        att_results *r = NULL;
        att_status st = att_search(&r, s->ix, p, &o);
        att_results_free(r);
        if (query_error(st)) {
            show_query_error(p);
            return;
        }
    }
    att_results *r = NULL;
    att_status st = att_search(&r, s->ix, text, &o);
    att_results_free(r);
    if (query_error(st))
        show_query_error(text);
    else if (st)
        cli_report();
}

/* Runs the query and filters given; on failure reports it and sets
 * s->last_rc. */
static att_status search(shell *s, const char *query, char *const *filters,
                         size_t nf, size_t offset, size_t limit,
                         unsigned facets, att_results **out)
{
    *out = NULL;
    char *text = query_text(query, filters, nf);
    if (!text) {
        cli_error("out of memory");
        s->last_rc = EXIT_NO_MEMORY;
        return ATT_NO_MEMORY;
    }
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.offset = offset;
    o.limit = limit;
    o.sort = s->sort;
    o.facets = facets;
    att_index_reopen(s->ix); /* see what was committed since */
    att_status st = att_search(out, s->ix, text, &o);
    if (query_error(st))
        report_bad(s, query, filters, nf, text);
    else if (st)
        cli_report();
    if (st)
        s->last_rc = cli_exit_code(st);
    free(text);
    return st;
}

/* ---- pages ----------------------------------------------------------------- */

static void clear_page(shell *s)
{
    for (size_t i = 0; i < s->n_page; i++)
        free(s->page_ids[i]);
    free(s->page_ids);
    s->page_ids = NULL;
    s->n_page = 0;
}

/* Shows results as the current page. */
static void show_page(shell *s, att_results *r, size_t offset)
{
    clear_page(s);
    size_t n = att_results_count(r);
    if (n && (s->page_ids = calloc(n, sizeof *s->page_ids)) != NULL) {
        for (size_t i = 0; i < n; i++) {
            if (!(s->page_ids[i] = strdup(att_results_hit(r, i)->id)))
                break; /* out of memory: :open searches for the others */
            s->n_page = i + 1;
        }
    }
    s->ran = true;
    s->offset = offset;
    s->total = att_results_total(r, NULL);
    if (out_human(stdout, r, s->color) != 0) {
        cli_error("out of memory while writing the results");
        s->last_rc = EXIT_NO_MEMORY;
    }
    if (s->tty && offset + n < s->total)
        printf("\n(n: next page · :open N: article N in full · :help)\n");
    fflush(stdout);
}

/* Runs the current query and filters, showing the page at `offset`. */
static void run_current(shell *s, size_t offset)
{
    att_results *r = NULL;
    if (search(s, s->query, s->filters, s->n_filters, offset, s->limit,
               s->facets_on ? s->facets : 0, &r) == ATT_OK)
        show_page(s, r, offset);
    att_results_free(r);
}

static void new_query(shell *s, const char *q)
{
    att_results *r = NULL;
    if (search(s, q, s->filters, s->n_filters, 0, s->limit,
               s->facets_on ? s->facets : 0, &r) == ATT_OK) {
        char *copy = strdup(q);
        if (copy) {
            free(s->query);
            s->query = copy;
        }
        show_page(s, r, 0);
    }
    att_results_free(r);
}

static bool need_results(shell *s)
{
    if (s->ran)
        return true;
    puts("No query yet: type one first (:help for help).");
    return false;
}

static void next_page(shell *s)
{
    if (!need_results(s))
        return;
    if (s->offset + s->limit >= s->total) {
        printf("No more results (%llu in all).\n", (unsigned long long)s->total);
        return;
    }
    run_current(s, s->offset + s->limit);
}

static void prev_page(shell *s)
{
    if (!need_results(s))
        return;
    if (s->offset == 0) {
        puts("This is the first page.");
        return;
    }
    run_current(s, s->offset >= s->limit ? s->offset - s->limit : 0);
}

/* ---- commands -------------------------------------------------------------- */

static void usage_error(shell *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A command used wrongly: reported like cli_error(), status 2. */
static void usage_error(shell *s, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cli_prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    s->last_rc = EXIT_USAGE;
}
static void list_filters(const shell *s)
{
    if (!s->n_filters) {
        puts("No filters.  Add one with :filter, e.g. :filter place:Kabul");
        return;
    }
    printf("Filters:");
    for (size_t i = 0; i < s->n_filters; i++)
        printf(" %zu. %s", i + 1, s->filters[i]);
    putchar('\n');
}

static void cmd_filter(shell *s, const char *arg)
{
    if (!*arg) {
        list_filters(s);
        return;
    }
    for (size_t i = 0; i < s->n_filters; i++)
        if (strcmp(s->filters[i], arg) == 0) {
            printf("Already filtering by %s.\n", arg);
            return;
        }
    char **f = realloc(s->filters, (s->n_filters + 1) * sizeof *f);
    char *copy = strdup(arg);
    if (f)
        s->filters = f;
    if (!f || !copy) {
        free(copy);
        cli_error("out of memory");
        s->last_rc = EXIT_NO_MEMORY;
        return;
    }
    f[s->n_filters] = copy;
    att_results *r = NULL;
    /* without a query yet, the filters alone are the search */
    if (search(s, s->query, f, s->n_filters + 1, 0, s->limit,
               s->facets_on ? s->facets : 0, &r) == ATT_OK) {
        s->n_filters++;
        if (!s->query)
            s->query = strdup("");
        show_page(s, r, 0);
    } else {
        free(copy);
    }
    att_results_free(r);
}

static void remove_filter(shell *s, size_t k)
{
    free(s->filters[k]);
    memmove(s->filters + k, s->filters + k + 1,
            (s->n_filters - k - 1) * sizeof *s->filters);
    s->n_filters--;
}

static void cmd_unfilter(shell *s, const char *arg)
{
    if (!s->n_filters) {
        puts("No filters to remove.");
        return;
    }
    if (!*arg) {
        while (s->n_filters)
            remove_filter(s, s->n_filters - 1);
    } else {
        size_t k = s->n_filters, num = 0;
        if (cli_parse_size(arg, s->n_filters, &num) && num >= 1)
            k = num - 1;
        for (size_t i = 0; k == s->n_filters && i < s->n_filters; i++)
            if (strcasecmp(s->filters[i], arg) == 0)
                k = i;
        if (k == s->n_filters) {
            usage_error(s, "no filter \"%s\" (:filter lists them)", arg);
            return;
        }
        remove_filter(s, k);
    }
    if (s->query && (*s->query || s->n_filters)) {
        run_current(s, 0);
    } else {
        s->ran = false;
        clear_page(s);
        puts("No filters left: type a query.");
    }
}

static void cmd_sort(shell *s, const char *arg)
{
    if (!*arg) {
        printf("Sorted by %s (:sort date or :sort relevance).\n",
               s->sort == ATT_SORT_DATE ? "date, newest first" : "relevance");
        return;
    }
    size_t n = strlen(arg);
    if (strncasecmp(arg, "date", n) == 0 || strcasecmp(arg, "newest") == 0)
        s->sort = ATT_SORT_DATE;
    else if (strncasecmp(arg, "relevance", n) == 0 ||
             strcasecmp(arg, "score") == 0)
        s->sort = ATT_SORT_RELEVANCE;
    else {
        usage_error(s, ":sort takes date or relevance, not \"%s\"", arg);
        return;
    }
    if (s->ran)
        run_current(s, 0);
    else
        printf("Results will be sorted by %s.\n",
               s->sort == ATT_SORT_DATE ? "date, newest first" : "relevance");
}

/* Shows the facet block of the current results. */
static void show_facets(shell *s)
{
    att_results *r = NULL;
    if (search(s, s->query, s->filters, s->n_filters, 0, 0, s->facets, &r) ==
        ATT_OK) {
        size_t any = 0;
        for (int f = 0; f < ATT_FACET_COUNT; f++) {
            size_t n = 0;
            att_results_facet(r, (att_facet)f, &n);
            any += n;
        }
        if (att_results_total(r, NULL) == 0)
            puts("No results, so no facets.");
        else if (!any)
            puts("No facets: the results have no people, organisations, "
                 "places, sources or dates.");
        else
            out_facets(stdout, r, s->color);
    }
    att_results_free(r);
}

static void cmd_facets(shell *s, const char *arg)
{
    size_t top = s->facets;
    if (strcmp(arg, "off") == 0) {
        top = 0;
    } else if (*arg && strcmp(arg, "on") != 0 &&
               !cli_parse_size(arg, 10000, &top)) {
        usage_error(s, ":facets takes a number up to 10000, on or off, not "
                       "\"%s\"", arg);
        return;
    }
    if (!top) {
        s->facets_on = false;
        puts("Facets off.");
        return;
    }
    if (!s->facets_on || top != s->facets)
        printf("Facets on: the top %zu people, organisations, places and "
               "sources, and the dates, of all the results, after every page "
               "(:facets off to stop).\n",
               top);
    s->facets = (unsigned)top;
    s->facets_on = true;
    if (s->ran)
        show_facets(s);
}

static void cmd_open(shell *s, const char *arg)
{
    size_t n = 0;
    if (!cli_parse_size(arg, 100000000, &n) || n == 0) {
        usage_error(s, ":open takes the number of a result, as in :open 1, "
                       "not \"%s\"", arg);
        return;
    }
    if (!need_results(s))
        return;
    if (n > s->total) {
        cli_error("there is no result %zu: the search has %llu", n,
                  (unsigned long long)s->total);
        s->last_rc = EXIT_USAGE;
        return;
    }
    char *id = NULL;
    if (n - 1 >= s->offset && n - 1 < s->offset + s->n_page) {
        id = strdup(s->page_ids[n - 1 - s->offset]);
    } else {
        att_results *r = NULL;
        if (search(s, s->query, s->filters, s->n_filters, n - 1, 1, 0, &r))
            return;
        bool none = att_results_count(r) == 0;
        if (!none)
            id = strdup(att_results_hit(r, 0)->id);
        att_results_free(r);
        if (none) { /* the total was an estimate, or the index changed */
            cli_error("there is no result %zu any more", n);
            s->last_rc = EXIT_USAGE;
            return;
        }
    }
    char *text = query_text(s->query, s->filters, s->n_filters);
    att_marked *m = NULL;
    char *buf = NULL;
    size_t len = 0;
    att_status st = ATT_NO_MEMORY;
    if (id && text)
        st = att_mark_article(&m, s->ix, id, text, NULL);
    if (st) {
        if (st == ATT_NO_MEMORY && (!id || !text))
            cli_error("out of memory");
        else
            cli_report(); /* e.g. deleted since the search */
        s->last_rc = cli_exit_code(st);
        goto out;
    }
    size_t rows = 0, cols = 0;
    size_t width = s->tty && term_size(&rows, &cols) ? cols : 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem || out_article(mem, m, s->color, width) != 0 || fclose(mem)) {
        cli_error("out of memory while writing the article");
        s->last_rc = EXIT_NO_MEMORY;
        goto out;
    }
    if ((s->tty ? pager_show(buf, len)
                : (fwrite(buf, 1, len, stdout) == len ? 0 : -1)) != 0)
        cli_error("cannot write the article");
    fflush(stdout);
out:
    free(buf);
    att_marked_free(m);
    free(text);
    free(id);
}

/* ---- one line ---------------------------------------------------------------- */

bool shell_line(shell *s, const char *line)
{
    s->last_rc = EXIT_OK;
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(line);
    while (n && isspace((unsigned char)line[n - 1]))
        n--;
    if (!n)
        return true;
    char *l = strndup(line, n);
    if (!l) {
        cli_error("out of memory");
        s->last_rc = EXIT_NO_MEMORY;
        return true;
    }
    bool go_on = true;
    if (strcmp(l, "n") == 0) {
        next_page(s);
    } else if (strcmp(l, "p") == 0) {
        prev_page(s);
    } else if (strcmp(l, "?") == 0) {
        fputs(help_text, stdout);
    } else if (*l != ':') {
        new_query(s, l);
    } else {
        /* a command word and its argument */
        char *arg = l + strcspn(l, " \t");
        if (*arg)
            *arg++ = '\0';
        while (*arg == ' ' || *arg == '\t')
            arg++;
        if (strcmp(l, ":quit") == 0 || strcmp(l, ":q") == 0 ||
            strcmp(l, ":exit") == 0)
            go_on = false;
        else if (strcmp(l, ":help") == 0 || strcmp(l, ":h") == 0)
            fputs(help_text, stdout);
        else if (strcmp(l, ":more") == 0 || strcmp(l, ":next") == 0 ||
                 strcmp(l, ":n") == 0)
            next_page(s);
        else if (strcmp(l, ":prev") == 0 || strcmp(l, ":p") == 0)
            prev_page(s);
        else if (strcmp(l, ":filter") == 0)
            cmd_filter(s, arg);
        else if (strcmp(l, ":unfilter") == 0)
            cmd_unfilter(s, arg);
        else if (strcmp(l, ":sort") == 0)
            cmd_sort(s, arg);
        else if (strcmp(l, ":facets") == 0)
            cmd_facets(s, arg);
        else if (strcmp(l, ":open") == 0)
            cmd_open(s, arg);
        else
            usage_error(s, "unknown command \"%s\" (:help lists them)", l);
    }
    fflush(stdout);
    free(l);
    return go_on;
}

const char *shell_prompt(const shell *s)
{
    static char buf[256];
    if (!s->n_filters && s->sort == ATT_SORT_RELEVANCE)
        return "attache> ";
    size_t n = 0;
    n += (size_t)snprintf(buf, sizeof buf, "attache [");
    for (size_t i = 0; i < s->n_filters && n < sizeof buf; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "",
                              s->filters[i]);
    if (s->sort == ATT_SORT_DATE && n < sizeof buf)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%sby date",
                              s->n_filters ? "; " : "");
    if (n >= sizeof buf - 4) { /* a very long filter: cut, and say so */
        n = sizeof buf - 8;
        while (n && ((unsigned char)buf[n] & 0xC0) == 0x80)
            n--;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "…");
    }
    snprintf(buf + n, sizeof buf - n, "]> ");
    return buf;
}

void shell_clear(shell *s)
{
    clear_page(s);
    while (s->n_filters)
        remove_filter(s, s->n_filters - 1);
    free(s->filters);
    s->filters = NULL;
    free(s->query);
    s->query = NULL;
}
