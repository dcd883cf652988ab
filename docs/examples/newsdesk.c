/*
 * newsdesk.c: a complete example of a program using libattache, the
 * library of the Attaché search engine, through its one public header.
 *
 * What a newsroom tool does with the engine, in order:
 *   1. open (or create) an index for writing;
 *   2. add articles built in memory, update one, delete one, and commit;
 *   3. open the index read-only and search it with options: a filter in
 *      the query, sorting by date, facets, snippets;
 *   4. print each hit with its snippets, marking the matched words by the
 *      byte ranges the library gives (no markup is parsed back);
 *   5. print the facet counts, taken over all the matches;
 *   6. show how a query error is reported, with its byte position, and a
 *      "did you mean" suggestion;
 *   7. extract the people, organisations and places of a text;
 *   8. free everything.
 * Every call that can fail is checked: its att_status says what kind of
 * failure it was, and att_last_error() gives the message with its context.
 *
 * Build it against the installed library (docs/API.md, "Linking"):
 *     cc -o newsdesk newsdesk.c $(pkg-config --cflags --libs attache)
 * Run it with a directory for the index (created if missing; running it
 * again replaces the same articles, so the output is the same):
 *     ./newsdesk /tmp/newsdesk-index
 * It exits with 0 on success and 1 on a failure, after printing
 * "newsdesk: WHAT: STATUS: MESSAGE" on stderr.
 *
 * docs/API.md quotes this program; tests/run-tests.sh compiles it against
 * a `make install` and checks what it prints.
 */
#include <attache.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reporting failures ---------------------------------------------------- */

/* Prints a failed call: what the program was doing, the status's name
 * (att_strerror) and the message with its context (att_last_error, which
 * belongs to this thread and stays valid until its next failing call). */
static void report(const char *what, att_status st)
{
    fprintf(stderr, "newsdesk: %s: %s: %s\n", what, att_strerror(st),
            att_last_error());
}

/* ---- printing text with highlights ---------------------------------------- */

/* Writes `len` bytes of text on one line: line breaks and tabs as spaces. */
static void put_flat(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        putchar(s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i]);
}

/* Prints a snippet with each highlight range between [ and ].  The ranges
 * are byte offsets into s->text, in order, never overlapping and never
 * inside a UTF-8 character, so the text can be cut at them directly.
 * ("..." where the fragment starts or ends inside the field.) */
static void print_snippet(const att_snippet *s)
{
    size_t at = 0;
    if (!s->at_start)
        fputs("...", stdout);
    for (size_t i = 0; i < s->n_highlights; i++) {
        const att_range *h = &s->highlights[i];
        put_flat(s->text + at, h->start - at);
        putchar('[');
        put_flat(s->text + h->start, h->end - h->start);
        putchar(']');
        at = h->end;
    }
    put_flat(s->text + at, s->len - at);
    if (!s->at_end)
        fputs("...", stdout);
    putchar('\n');
}

/* ---- 1 and 2: writing --------------------------------------------------------- */

/* The articles, as a tool would build them from its own data.  Only the id
 * is required; the library copies everything it is given. */
static const struct {
    const char *id, *date, *source, *title, *body;
} articles[] = {
    {"2025-10-19-doha", "2025-10-19", "Reuters",
     "Afghanistan and Pakistan agree to a ceasefire in Doha",
     "Afghanistan and Pakistan agreed to an immediate ceasefire after talks "
     "in Doha mediated by Qatar and Türkiye, Qatar's foreign ministry said "
     "on Sunday. Khawaja Asif, Pakistan's defence minister, led his "
     "country's delegation. The two sides will meet again in Istanbul."},
    {"2025-10-25-istanbul", "2025-10-25", "AP",
     "Second round of talks opens in Istanbul",
     "Delegations from Kabul and Islamabad met in Istanbul to make the "
     "truce agreed in Doha last week a lasting ceasefire. Pakistan wants "
     "guarantees against the Tehrik-i-Taliban Pakistan (TTP), which it "
     "says operates from Afghan soil."},
    {"2025-11-07-istanbul", "2025-11-07", "Reuters",
     "Istanbul talks end without agreement",
     "The talks in Istanbul ended without an agreement. The mediators said "
     "the ceasefire was holding and that both delegations would return."},
    {"2024-06-03-trade", "2024-06-03", "Dawn",
     "Exports to Central Asia rise",
     "Pakistan's exports to Central Asia rose by a fifth, the commerce "
     "ministry said, led by rice and textiles."},
    {"draft-1", NULL, NULL, "Draft: not for publication",
     "An unfinished draft about the ceasefire, deleted below."},
};

static int write_articles(const char *path)
{
    att_index *ix = NULL;
    att_status st;
    int rc = 1;

    /* ATT_OPEN_CREATE makes the index if there is none.  Only one writer
     * may hold an index: a second one gets ATT_LOCKED at once (add
     * ATT_OPEN_WAIT to wait for the lock instead). */
    st = att_index_open(&ix, path, ATT_OPEN_WRITE | ATT_OPEN_CREATE);
    if (st == ATT_LOCKED) {
        fprintf(stderr, "newsdesk: %s is being written by another program; "
                        "try again later\n", path);
        return 1;
    }
    if (st != ATT_OK) {
        report("opening the index for writing", st);
        return 1;
    }

    for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++) {
        att_article a = ATT_ARTICLE_INIT; /* sets version and lengths */
        a.id = articles[i].id;
        a.title = articles[i].title; /* NUL-terminated: length (size_t)-1 */
        a.body = articles[i].body;
        a.date = articles[i].date;
        a.source = articles[i].source;
        /* Adds the article, or replaces the one with the same id. */
        st = att_index_put(ix, &a);
        if (st != ATT_OK) {
            report("adding an article", st);
            goto out;
        }
    }

    /* An update is a put with the same id: the article is replaced. */
    att_article fix = ATT_ARTICLE_INIT;
    fix.id = "2025-11-07-istanbul";
    fix.date = "2025-11-07";
    fix.source = "Reuters";
    fix.title = "Istanbul talks end without agreement; truce holds";
    fix.body = "The talks in Istanbul ended without an agreement, but the "
               "mediators from Qatar and Türkiye said the ceasefire was "
               "holding and that both delegations would return.";
    st = att_index_put(ix, &fix);
    if (st != ATT_OK) {
        report("updating an article", st);
        goto out;
    }

    /* Deleting: ATT_NOT_FOUND is a status like any other, not a crash. */
    st = att_index_delete(ix, "draft-1");
    if (st != ATT_OK) {
        report("deleting draft-1", st);
        goto out;
    }
    st = att_index_delete(ix, "no-such-article");
    if (st == ATT_NOT_FOUND)
        printf("delete no-such-article: %s\n", att_strerror(st));
    else if (st != ATT_OK) {
        report("deleting no-such-article", st);
        goto out;
    }

    /* Nothing is durable or visible to readers before a commit, and
     * closing without one discards the changes. */
    st = att_index_commit(ix);
    if (st != ATT_OK) {
        report("committing", st);
        goto out;
    }
    uint64_t n = 0;
    st = att_index_count(ix, &n);
    if (st != ATT_OK) {
        report("counting", st);
        goto out;
    }
    printf("committed: the index holds %llu articles\n",
           (unsigned long long)n);

    /* Reading one article back by id: the copy belongs to the caller. */
    att_article *got = NULL;
    st = att_index_get(&got, ix, "2025-11-07-istanbul");
    if (st != ATT_OK) {
        report("reading 2025-11-07-istanbul", st);
        goto out;
    }
    printf("updated: %s (%zu bytes of body)\n", got->title, got->body_len);
    att_article_free(got);
    rc = 0;
out:
    att_index_close(ix); /* accepts NULL */
    return rc;
}

/* ---- 3 to 5: searching ------------------------------------------------------- */

static void print_hit(const att_hit *h)
{
    printf("%zu. %s (%s, %s)\n", h->rank, h->id, h->date ? h->date : "undated",
           h->source ? h->source : "no source");
    /* The title with its matches: the whole title as one snippet. */
    if (h->title_snippet) {
        fputs("   title: ", stdout);
        print_snippet(h->title_snippet);
    }
    for (size_t i = 0; i < h->n_snippets; i++) {
        fputs("   ", stdout);
        print_snippet(&h->snippets[i]);
    }
    if (h->copies > 0)
        printf("   and %zu copies\n", h->copies);
}

static void print_facets(const att_results *r)
{
    printf("facets over all %llu matches:\n",
           (unsigned long long)att_results_total(r, NULL));
    for (int f = 0; f < ATT_FACET_COUNT; f++) {
        size_t n = 0;
        const att_facet_value *v = att_results_facet(r, (att_facet)f, &n);
        if (n == 0)
            continue;
        printf("  %-6s", att_facet_name((att_facet)f));
        /* `id` is what the facet's filter takes: place:pak, source:ap. */
        for (size_t i = 0; i < n; i++)
            printf(" %s [%s] %llu%s", v[i].value, v[i].id,
                   (unsigned long long)v[i].count, i + 1 < n ? "," : "");
        putchar('\n');
    }
}

static int search_articles(const char *path)
{
    att_index *ix = NULL;
    att_results *r = NULL;
    att_status st;
    int rc = 1;

    /* Read-only handles are cheap; open one per thread that searches. */
    st = att_index_open(&ix, path, ATT_OPEN_READ);
    if (st != ATT_OK) {
        report("opening the index", st); /* ATT_NOT_FOUND: no index there */
        return 1;
    }

    /* Options: always start from the _INIT macro, then set fields. */
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.limit = 5;
    o.sort = ATT_SORT_DATE;          /* newest first */
    o.snippets = 1;                  /* one fragment per hit */
    o.snippet_bytes = 120;
    o.facets = 5;                    /* the top 5 values of each facet */
    o.facet_date_unit = ATT_DATE_MONTH;

    /* A filter is part of the query: place:, person:, org:, source:,
     * date:, title: (docs/QUERY-SYNTAX.md). */
    const char *query = "ceasefire place:Pakistan";
    st = att_search(&r, ix, query, &o);
    if (st != ATT_OK) {
        report("searching", st);
        goto out;
    }

    /* The results hold copies of everything: they outlive the index. */
    att_index_close(ix);
    ix = NULL;

    int exact = 0;
    uint64_t total = att_results_total(r, &exact);
    printf("\nquery: %s\n%s%llu matches, newest first\n",
           att_results_query(r), exact ? "" : "about ",
           (unsigned long long)total);
    for (size_t i = 0; i < att_results_count(r); i++)
        print_hit(att_results_hit(r, i));
    print_facets(r);
    rc = 0;
out:
    att_results_free(r); /* accepts NULL */
    att_index_close(ix);
    return rc;
}

/* ---- 6: errors in queries, and suggestions ------------------------------------ */

static int query_errors(const char *path)
{
    att_index *ix = NULL;
    att_results *r = NULL;
    att_status st;
    int rc = 1;

    st = att_index_open(&ix, path, ATT_OPEN_READ);
    if (st != ATT_OK) {
        report("opening the index", st);
        return 1;
    }
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;

    /* A query with a syntax error: the status says so, the message says
     * what is wrong, and att_last_error_position() says where (a byte
     * offset into the query). */
    const char *bad = "ceasefire (Doha OR Istanbul";
    st = att_search(&r, ix, bad, &o);
    if (st == ATT_QUERY_SYNTAX || st == ATT_EMPTY_QUERY) {
        long pos = att_last_error_position();
        printf("\nquery: %s\n", bad);
        if (pos >= 0)
            printf("       %*s^ %s\n", (int)pos, "", att_strerror(st));
        printf("error: %s\n", att_last_error());
    } else if (st == ATT_OK) {
        fprintf(stderr, "newsdesk: an unbalanced query was accepted\n");
        goto out;
    } else {
        report("searching", st);
        goto out;
    }

    /* A misspelt word: the search runs as typed, and the results offer a
     * query that finds more (never run silently). */
    st = att_search(&r, ix, "cesefire", &o);
    if (st != ATT_OK) {
        report("searching", st);
        goto out;
    }
    const char *sugg = att_results_suggestion(r); /* borrowed from r */
    printf("\nquery: cesefire\n%llu matches; did you mean: %s\n",
           (unsigned long long)att_results_total(r, NULL),
           sugg ? sugg : "(no suggestion)");
    rc = 0;
out:
    att_results_free(r);
    att_index_close(ix);
    return rc;
}

/* ---- 7: entities --------------------------------------------------------------- */

static int entities(void)
{
    const char *text =
        "Pakistan's foreign minister Ishaq Dar met Afghan officials in Kabul "
        "to discuss attacks by the Tehreek-e-Taliban Pakistan (TTP).";
    att_entities *e = NULL;
    /* The same recognition the indexer runs on every article; no index
     * is needed.  Invalid UTF-8 gives ATT_ENCODING. */
    att_status st = att_entities_extract(&e, text, strlen(text));
    if (st != ATT_OK) {
        report("extracting entities", st);
        return 1;
    }
    printf("\nentities in: %s\n", text);
    for (size_t i = 0; i < att_entities_count(e); i++) {
        const att_mention *m = att_entities_get(e, i); /* borrowed from e */
        printf("  %-6s %-26s [%s] \"%.*s\" at %zu-%zu (%s)\n",
               att_entity_type_name(m->type), m->name, m->id,
               (int)(m->end - m->start), text + m->start, m->start, m->end,
               m->how);
    }
    att_entities_free(e);
    return 0;
}

/* ---- main ------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: newsdesk INDEX-DIR\n");
        return 2;
    }
    /* The header and the library linked in must agree on the major
     * version: att_version() is the library's, ATT_VERSION_* the header's. */
    if (atoi(att_version()) != ATT_VERSION_MAJOR) {
        fprintf(stderr, "newsdesk: built for libattache %d, linked with %s\n",
                ATT_VERSION_MAJOR, att_version());
        return 1;
    }
    printf("libattache %s\n", att_version());

    if (write_articles(argv[1]) != 0 || search_articles(argv[1]) != 0 ||
        query_errors(argv[1]) != 0 || entities() != 0)
        return 1;
    return 0;
}
