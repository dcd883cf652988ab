/* test_query.c: the query language and the result page end to end, through
 * the real program: wildcards, fields, date ranges (relative ones against
 * a fixed ATTACHE_TODAY), the OR default, sorting, paging, "did you mean",
 * and errors that point at the query position. */
#include "e2e.h"

static char dir[64], db[4096], docs[4096];

static void put(const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", docs, name);
    e2e_write(path, text, strlen(text));
}

static void index_articles(void)
{
    tmpdir_make(dir, "e2e-q");
    tmpdir_path(db, dir, "db");
    tmpdir_path(docs, dir, "docs");
    cr_assert_eq(mkdir(docs, 0700), 0);
    put("a2024.txt", "Date: 2024-10-05\n\nNegotiators meet in Doha\n\n"
                     "Negotiators from both sides met in Doha to discuss a "
                     "ceasefire.\n");
    put("b2025.txt", "Date: 2025-10-15\n\nTalks in Istanbul\n\n"
                     "The negotiations in Istanbul ended without a ceasefire "
                     "agreement.\n");
    put("c2026.txt", "Date: 2026-11-20\n\nCeasefire holds\n\n"
                     "A ceasefire negotiated last month held along the border, "
                     "officials said.\n");
    put("d2026.txt", "Date: 2026-06\n\nTrade figures\n\n"
                     "Exports rose in June, the trade ministry said.\n");
    put("nodate.txt", "Archive note\n\nA ceasefire was mentioned in an "
                      "undated note about the border.\n");
    e2e_result r = e2e_run(NULL, "index", "--db", db, docs, NULL);
    cr_assert_eq(r.status, 0, "index failed (%d): %s", r.status, r.err);
    e2e_free(&r);
    setenv("ATTACHE_TODAY", "2026-11-22", 1);
}

static void done(void)
{
    unsetenv("ATTACHE_TODAY");
    tmpdir_rm_rf(dir);
}

/* Runs a JSON search with extra options; returns the ids of the hits in
 * order, space-separated (static buffer). */
static const char *ids(const char *query, const char *opt1, const char *opt2)
{
    static char out[1024];
    char *args[16];
    int n = 0;
    args[n++] = "search";
    args[n++] = "--db";
    args[n++] = db;
    args[n++] = "--json";
    args[n++] = "--limit";
    args[n++] = "100";
    if (opt1)
        args[n++] = (char *)opt1;
    if (opt2)
        args[n++] = (char *)opt2;
    args[n++] = (char *)query;
    args[n] = NULL;
    e2e_result r = e2e_run_argv(NULL, args);
    cr_assert_eq(r.status, 0, "[%s]: exit %d: %s", query, r.status, r.err);
    out[0] = '\0';
    const char *p = r.out;
    while ((p = strstr(p, "\"id\":\""))) {
        p += 6;
        const char *e = strchr(p, '"');
        if (out[0])
            strncat(out, " ", sizeof out - strlen(out) - 1);
        strncat(out, p, (size_t)(e - p) < sizeof out - strlen(out) - 1
                            ? (size_t)(e - p)
                            : sizeof out - strlen(out) - 1);
        p = e;
    }
    e2e_free(&r);
    return out;
}

static void same_set(const char *query, const char *got, const char *want)
{
    /* order-insensitive comparison of space-separated words */
    char g[1024], w[1024];
    snprintf(g, sizeof g, " %s ", got);
    snprintf(w, sizeof w, " %s ", want);
    int ng = 0, nw = 0;
    for (const char *c = got; *c; c++)
        ng += *c == ' ';
    for (const char *c = want; *c; c++)
        nw += *c == ' ';
    cr_assert_eq(ng, nw, "[%s] gave [%s], expected [%s]", query, got, want);
    char *save = NULL;
    for (char *t = strtok_r(w, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        char pat[128];
        snprintf(pat, sizeof pat, " %s ", t);
        cr_assert_not_null(strstr(g, pat), "[%s] gave [%s], expected [%s]",
                           query, got, want);
    }
}

static void finds(const char *query, const char *want)
{
    same_set(query, ids(query, NULL, NULL), want);
}

Test(query, wildcard_finds_every_form_and_marks_it)
{
    index_articles();
    finds("negotiat*", "a2024 b2025 c2026");
    finds("NEGOTIAT*", "a2024 b2025 c2026");
    finds("title:negotiat*", "a2024");
    finds("negotiat* -istanbul", "a2024 c2026");
    finds("zzzqqq*", "");
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--format", "html",
                           "negotiat*", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "<mark>negotiations</mark>"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "<mark>negotiated</mark>"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "<mark>Negotiators</mark>"), "%s", r.out);
    e2e_free(&r);
    done();
}

Test(query, date_ranges)
{
    index_articles();
    finds("date:2024", "a2024");
    finds("date:2024-10-05", "a2024");
    finds("date:2025-10-01..2025-10-31", "b2025");
    finds("date:2025..", "b2025 c2026 d2026");
    finds("date:..2025-12-31", "a2024 b2025");
    finds("date:2026-06", "d2026"); /* dated by month only */
    finds("date:2026", "c2026 d2026");
    finds("ceasefire date:2025..2026", "b2025 c2026");
    finds("ceasefire -date:2020..2030", "nodate");
    /* relative to ATTACHE_TODAY = 2026-11-22 */
    finds("date:last-7-days", "c2026");
    finds("date:last-12-months", "c2026 d2026");
    finds("date:today", "");
    done();
}

Test(query, sort_by_date_newest_first)
{
    index_articles();
    const char *got = ids("ceasefire", "--sort", "date");
    /* dated articles newest first; the undated one last */
    cr_assert_str_eq(got, "c2026 b2025 a2024 nodate", "%s", got);
    done();
}

Test(query, or_default_and_plus)
{
    index_articles();
    finds("ceasefire exports", "");
    same_set("--any", ids("ceasefire exports", "--any", NULL),
             "a2024 b2025 c2026 d2026 nodate");
    same_set("--any +", ids("+ceasefire border istanbul", "--any", NULL),
             "a2024 b2025 c2026 nodate");
    /* with OR, an article holding more of the words ranks first */
    const char *got = ids("ceasefire border held", "--any", NULL);
    cr_assert_eq(strncmp(got, "c2026 ", 6), 0, "%s", got);
    done();
}

Test(query, boolean_forms)
{
    index_articles();
    finds("ceasefire AND border", "c2026 nodate");
    finds("ceasefire AND NOT border", "a2024 b2025");
    finds("ceasefire NOT (border OR Doha)", "b2025");
    finds("(Doha OR Istanbul) ceasefire", "a2024 b2025");
    finds("+ceasefire -border", "a2024 b2025");
    finds("\"without a ceasefire\"", "b2025");
    finds("ceasefire NEAR/4 held", "c2026");
    finds("ceasefire NEAR/3 held", "");
    finds("title:ceasefire", "c2026");
    finds("id:b2025", "b2025");
    done();
}

Test(query, paging_is_stable_and_total_exact)
{
    index_articles();
    char all[1024];
    snprintf(all, sizeof all, "%s", ids("ceasefire", NULL, NULL));
    char paged[1024] = "";
    for (int off = 0; off < 6; off += 2) {
        char o[16];
        snprintf(o, sizeof o, "%d", off);
        e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "--limit",
                               "2", "--offset", o, "ceasefire", NULL);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert_eq(e2e_json_int(r.out, "total"), 4, "%s", r.out);
        cr_assert_not_null(strstr(r.out, "\"total_exact\":true"), "%s", r.out);
        const char *p = r.out;
        while ((p = strstr(p, "\"id\":\""))) {
            p += 6;
            const char *e = strchr(p, '"');
            if (paged[0])
                strcat(paged, " ");
            strncat(paged, p, (size_t)(e - p));
            p = e;
        }
        e2e_free(&r);
    }
    cr_assert_str_eq(paged, all, "pages [%s] differ from one list [%s]", paged, all);
    done();
}

Test(query, did_you_mean)
{
    index_articles();
    e2e_result r = e2e_run(NULL, "search", "--db", db, "--json", "ceasfire", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(e2e_json_int(r.out, "total"), 0, "%s", r.out);
    cr_assert_not_null(strstr(r.out, "\"suggestion\":\"ceasefire\""), "%s", r.out);
    e2e_free(&r);
    /* the rest of the query is kept as written */
    r = e2e_run(NULL, "search", "--db", db, "--json", "title:Doha negotaitors", NULL);
    cr_assert_not_null(strstr(r.out, "\"suggestion\":\"title:Doha negotiators\""),
                       "%s", r.out);
    e2e_free(&r);
    r = e2e_run(NULL, "search", "--db", db, "ceasfire", NULL);
    cr_assert_not_null(strstr(r.out, "Did you mean: ceasefire"), "%s", r.out);
    e2e_free(&r);
    /* a query that finds enough gets no suggestion */
    r = e2e_run(NULL, "search", "--db", db, "--json", "ceasefire", NULL);
    cr_assert_not_null(strstr(r.out, "\"suggestion\":null"), "%s", r.out);
    e2e_free(&r);
    done();
}

/* Each error: exit 3, the query quoted, the column of the problem. */
static void bad(const char *query, const char *column, const char *msg)
{
    e2e_result r = e2e_run(NULL, "search", "--db", db, (char *)query, NULL);
    cr_assert_eq(r.status, 3, "[%s]: exit %d: %s", query, r.status, r.err);
    cr_assert_not_null(strstr(r.err, query), "[%s]: query not quoted: %s", query, r.err);
    cr_assert_not_null(strstr(r.err, column), "[%s]: %s", query, r.err);
    cr_assert_not_null(strstr(r.err, msg), "[%s]: %s", query, r.err);
    e2e_free(&r);
}

Test(query, errors_point_at_the_position)
{
    index_articles();
    bad("ceasefire date:2024-13", "column 21", "no month 13");
    bad("date:2025..2024", "column 12", "ends before it starts");
    bad("talks ne*", "column 7", "at least 3 letters");
    bad("\"peace talks", "column 1", "unbalanced quote");
    bad("(peace OR talks", "column 1", "no closing )");
    bad("peace AND", "column 7", "AND needs a term after it");
    bad("peace OR", "column 7", "OR needs a term after it");
    bad("author:smith", "column 1", "unknown field");
    bad("date:last-week", "column 6", "last-N-days");
    done();
}

/* A story long enough to carry a content signature. */
static const char story[] =
    "Negotiators from Afghanistan and Pakistan met in Istanbul on Tuesday "
    "for a third round of talks aimed at turning a fragile truce into a "
    "lasting ceasefire, officials from both delegations said. The talks, "
    "hosted by Turkey and Qatar, focus on a mechanism to monitor the border "
    "and on guarantees that militant groups will not use either country's "
    "territory to stage attacks. Previous rounds in Doha ended with a "
    "written commitment to keep the truce but without agreement on how "
    "violations would be verified. Diplomats said the mediators had "
    "proposed joint patrols and a hotline between military commanders.\n";

Test(query, duplicates_collapse_into_one_hit)
{
    tmpdir_make(dir, "e2e-dup");
    tmpdir_path(db, dir, "db");
    tmpdir_path(docs, dir, "docs");
    cr_assert_eq(mkdir(docs, 0700), 0);
    char buf[4096];
    snprintf(buf, sizeof buf, "Istanbul talks resume\n\n%s", story);
    put("wire1.txt", buf);
    put("wire2.txt", buf); /* an identical wire copy */
    /* republished: other headline, other line breaks and case */
    snprintf(buf, sizeof buf, "Afghan-Pakistani talks in Turkey\n\n%s", story);
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = ' ';
    put("repub.txt", buf);
    put("other.txt", "Talks elsewhere\n\nNegotiators met in Istanbul on "
                     "Tuesday to discuss shipping in the Black Sea, a topic "
                     "unrelated to any ceasefire on the Afghan border.\n");
    e2e_result r = e2e_run(NULL, "index", "--db", db, docs, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    e2e_free(&r);

    r = e2e_run(NULL, "search", "--db", db, "--json", "negotiators istanbul", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(e2e_json_int(r.out, "total"), 2, "one hit per story: %s", r.out);
    cr_assert_eq(e2e_count(r.out, "\"copies\":2"), 1, "%s", r.out);
    cr_assert_eq(e2e_count(r.out, "\"copies\":0"), 1, "%s", r.out);
    e2e_free(&r);

    /* the collapsed total stays exact on a short page */
    r = e2e_run(NULL, "search", "--db", db, "--json", "--limit", "1",
                "negotiators istanbul", NULL);
    cr_assert_eq(e2e_json_int(r.out, "total"), 2, "%s", r.out);
    cr_assert_not_null(strstr(r.out, "\"total_exact\":true"), "%s", r.out);
    e2e_free(&r);

    r = e2e_run(NULL, "search", "--db", db, "--json", "--all-copies",
                "negotiators istanbul", NULL);
    cr_assert_eq(e2e_json_int(r.out, "total"), 4, "every copy: %s", r.out);
    cr_assert_eq(e2e_count(r.out, "\"copies\":2"), 3, "%s", r.out);
    e2e_free(&r);

    r = e2e_run(NULL, "search", "--db", db, "negotiators istanbul", NULL);
    cr_assert_not_null(strstr(r.out, "+2 copies:"), "%s", r.out);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}
