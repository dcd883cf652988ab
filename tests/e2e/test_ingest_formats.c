/*
 * test_ingest_formats.c: `attache index` with every input format, end to
 * end with the real program on tests/fixtures/formats (text with web
 * furniture, JSON Lines, IPTC ninjs, HTML, and broken inputs: a malformed
 * JSON line, a truncated page, a ninjs item without body, a binary file,
 * an empty file, an unknown encoding): the summary's counts, the
 * messages, what is searchable; incremental runs (unchanged, replaced,
 * pruned), standard input, --max-file-size, --format, --rebuild, and the
 * same index whatever --jobs with JSON lines and updates.
 */
#include "e2e.h"

static char dir[64];

static const char *fixtures(void)
{
    static char buf[4096];
    const char *src = getenv("ATTACHE_SRC");
    cr_assert(src && *src, "ATTACHE_SRC is not set");
    snprintf(buf, sizeof buf, "%s/tests/fixtures/formats", src);
    return buf;
}

/* A copy of the fixtures in the test's directory, to change. */
static void copy_fixtures(const char *to)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cp -R '%s' '%s'", fixtures(), to);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

#define HAS(hay, needle) \
    cr_assert_not_null(strstr((hay), (needle)), "expected \"%s\" in:\n%s", (needle), (hay))
#define HASNT(hay, needle) \
    cr_assert_null(strstr((hay), (needle)), "did not expect \"%s\" in:\n%s", (needle), (hay))

static long total_for(const char *db, const char *query)
{
    e2e_result r = e2e_run(NULL, "search", "--db", (char *)db, "--json", "--limit",
                           "100", (char *)query, NULL);
    cr_assert_eq(r.status, 0, "search %s: %s", query, r.err);
    long t = e2e_json_int(r.out, "total");
    e2e_free(&r);
    return t;
}

/* The JSON of a search (caller frees). */
static char *search_json(const char *db, const char *query)
{
    e2e_result r = e2e_run(NULL, "search", "--db", (char *)db, "--json", "--limit",
                           "100", (char *)query, NULL);
    cr_assert_eq(r.status, 0, "search %s: %s", query, r.err);
    free(r.err);
    return r.out;
}

Test(formats, every_reader_and_the_summary)
{
    tmpdir_make(dir, "fmt");
    char db[4096];
    tmpdir_path(db, dir, "db");
    e2e_result r = e2e_run(NULL, "index", "--db", db, (char *)fixtures(), NULL);
    cr_assert_eq(r.status, 9, "some input skipped: %d\n%s", r.status, r.err);
    HAS(r.out, "Indexed 16 articles from 15 files in ");
    HAS(r.out, "; 16 new, 0 replaced, 0 unchanged; 6 skipped (1 empty, 1 binary, "
               "1 unknown encoding, 1 malformed, 2 no body); the index ");
    HAS(r.out, "now holds 16 articles.");
    /* Each skipped input on one line, with its file and line. */
    cr_assert_eq(e2e_count(r.err, "attache: skipped "), 6, "%s", r.err);
    HAS(r.err, "formats/jsonl/broken.jsonl: line 2: malformed JSON: ");
    HAS(r.err, "formats/jsonl/broken.jsonl: line 3: no body text");
    HAS(r.err, "formats/bad/binary.txt: binary data (a NUL byte) at line 2");
    HAS(r.err, "formats/bad/empty.txt: no article text (empty file)");
    HAS(r.err, "formats/html/unknown-charset.html: unknown encoding \"x-no-such-charset-42\"");
    HAS(r.err, "formats/ninjs/nobody.json: no body text");
    e2e_free(&r);

    /* Text: the web furniture is not body. */
    cr_assert_eq(total_for(db, "torkham"), 1);
    cr_assert_eq(total_for(db, "\"leave a reply\""), 0);
    cr_assert_eq(total_for(db, "scroll"), 0);
    cr_assert_eq(total_for(db, "peshawar"), 0, "the author box's bio");
    cr_assert_eq(total_for(db, "whatsapp"), 0);
    /* HTML: article text only. */
    cr_assert_eq(total_for(db, "proposals"), 1);
    cr_assert_eq(total_for(db, "cricket"), 0, "the sidebar");
    cr_assert_eq(total_for(db, "copyright"), 0, "the footer");
    cr_assert_eq(total_for(db, "trackview OR ads"), 0, "scripts");
    /* The truncated page is read as far as it goes. */
    cr_assert_eq(total_for(db, "\"technical committee\""), 1);
    /* JSON Lines: the lines around the broken one are there. */
    cr_assert_eq(total_for(db, "id:b-1 OR id:b-4"), 2);
    cr_assert_eq(total_for(db, "id:b-2 OR id:b-3"), 0);
    cr_assert_eq(total_for(db, "id:\"jsonl/noid#2\""), 1);
    /* Dates: from metadata in every form, from the file name. */
    cr_assert_eq(total_for(db, "date:2025-10-28"), 1, "from the file name");
    cr_assert_eq(total_for(db, "date:2025-10-30"), 2, "RFC 2822 and a Unix time");
    cr_assert_eq(total_for(db, "date:2025-10-31"), 1, "\"October 31, 2025\"");

    /* Metadata in the JSON hits. */
    char *j = search_json(db, "id:wire-0001");
    HAS(j, "\"source\":\"Reuters\"");
    HAS(j, "\"url\":\"https://example.org/wire-0001\"");
    HAS(j, "\"author\":\"Staff\"");
    HAS(j, "\"language\":\"en\"");
    HAS(j, "\"tags\":[\"diplomacy\",\"afghanistan\"]");
    HAS(j, "\"date\":\"2025-10-27\"");
    free(j);
    j = search_json(db, "id:\"html/article\"");
    HAS(j, "\"title\":\"Border talks resume in Doha\"");
    HAS(j, "\"source\":\"The Frontier Gazette\"");
    HAS(j, "\"author\":\"Imran Siddiqui\"");
    HAS(j, "\"language\":\"en-GB\"");
    HAS(j, "\"date\":\"2025-10-26\"");
    free(j);
    j = search_json(db, "id:\"urn:newsml:example.org:20251029:ap-0042\"");
    HAS(j, "\"author\":\"Ayesha Rahman\"");
    HAS(j, "\"tags\":[\"Diplomacy\",\"Armed conflict\"]");
    HAS(j, "\"source\":\"The Associated Press\"");
    free(j);

    /* Given entities, merged: names the text never mentions are found. */
    cr_assert_eq(total_for(db, "person:\"Amina Farooqui\""), 1, "a name outside "
                 "the dictionary gets a slug id");
    cr_assert_eq(total_for(db, "person:\"Amina Farooqui\" AND id:\"urn:newsml:"
                               "example.org:20251029:ap-0042\""), 1);
    cr_assert_eq(total_for(db, "org:\"Tehreek-e-Taliban Pakistan\" AND id:2"), 1,
                 "a given name canonicalised through the dictionary");
    cr_assert_eq(total_for(db, "org:TTP AND id:2"), 1, "one entity, all its names");
    cr_assert_eq(total_for(db, "place:waziristan AND id:2"), 1);
    tmpdir_rm_rf(dir);
}

Test(formats, incremental_runs_and_prune)
{
    tmpdir_make(dir, "inc");
    char db[4096], in[4096], f[4096];
    tmpdir_path(db, dir, "db");
    tmpdir_path(in, dir, "in");
    copy_fixtures(in);
    e2e_result r = e2e_run(NULL, "index", "--db", db, in, NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    HAS(r.out, "16 new, 0 replaced, 0 unchanged;");
    e2e_free(&r);

    /* Again: every article unchanged, the bad inputs reported again. */
    r = e2e_run(NULL, "index", "--db", db, in, NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    HAS(r.out, "Indexed 16 articles from 15 files in ");
    HAS(r.out, "; 0 new, 0 replaced, 16 unchanged; 6 skipped");
    HAS(r.out, "holds 16 articles");
    cr_assert_eq(e2e_count(r.err, "attache: skipped "), 6);
    e2e_free(&r);

    /* One file changed: one replaced. */
    const char changed[] = "Foreign ministers plan Kabul visit\n\nThe visit was "
                           "postponed to November, diplomats said.\n";
    e2e_write(tmpdir_path(f, in, "text/2025-10-28-wire.txt"), changed,
              sizeof changed - 1);
    r = e2e_run(NULL, "index", "--db", db, in, NULL);
    HAS(r.out, "; 0 new, 1 replaced, 15 unchanged;");
    e2e_free(&r);
    cr_assert_eq(total_for(db, "postponed"), 1);
    cr_assert_eq(total_for(db, "neighbouring"), 0, "the old text is gone");

    /* A file deleted: kept without --prune, removed with it. */
    cr_assert_eq(unlink(tmpdir_path(f, in, "html/truncated.html")), 0);
    r = e2e_run(NULL, "index", "--db", db, in, NULL);
    HAS(r.out, "; 0 new, 0 replaced, 15 unchanged;");
    HAS(r.out, "holds 16 articles");
    e2e_free(&r);
    r = e2e_run(NULL, "index", "--db", db, "--prune", in, NULL);
    HAS(r.out, "; 0 new, 0 replaced, 15 unchanged; 6 skipped");
    HAS(r.out, "; 1 pruned; the index");
    HAS(r.out, "holds 15 articles");
    e2e_free(&r);
    cr_assert_eq(total_for(db, "\"technical committee\""), 0);

    /* A line gone from a JSON Lines file read in full: pruned too; the
     * broken file's articles are kept (it was not read in full). */
    const char one[] = "{\"id\": \"wire-0001\", \"title\": \"Qatar hosts new round of "
                       "Afghan talks\", \"body\": \"Qatar hosted a new round of talks "
                       "between Afghan and Pakistani delegations in Doha on Monday.\", "
                       "\"date\": \"2025-10-27T08:00:00Z\", \"source\": \"Reuters\", "
                       "\"url\": \"https://example.org/wire-0001\", \"author\": \"Staff\", "
                       "\"language\": \"en\", \"tags\": [\"diplomacy\", \"afghanistan\"]}\n";
    e2e_write(tmpdir_path(f, in, "jsonl/articles.jsonl"), one, sizeof one - 1);
    r = e2e_run(NULL, "index", "--db", db, "--prune", in, NULL);
    HAS(r.out, "; 0 new, 0 replaced, 13 unchanged;");
    HAS(r.out, "; 2 pruned; the index");
    HAS(r.out, "holds 13 articles");
    e2e_free(&r);
    cr_assert_eq(total_for(db, "id:b-1 OR id:b-4"), 2);
    cr_assert_eq(total_for(db, "id:2 OR id:wire-0003"), 0);

    /* A missing root prunes nothing. */
    char gone[4096];
    tmpdir_path(gone, dir, "no-such-dir");
    r = e2e_run(NULL, "index", "--db", db, "--prune", gone, NULL);
    cr_assert_eq(r.status, 7, "%s", r.err);
    HAS(r.out, "holds 13 articles");
    e2e_free(&r);

    /* The same id twice in one run: the later wins, counted as replaced. */
    char dup[4096];
    tmpdir_path(dup, dir, "dup.jsonl");
    const char two[] = "{\"id\": \"same\", \"body\": \"first version\"}\n"
                       "{\"id\": \"same\", \"body\": \"second version\"}\n";
    e2e_write(dup, two, sizeof two - 1);
    r = e2e_run(NULL, "index", "--db", db, dup, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    HAS(r.out, "Indexed 2 articles from 1 file in ");
    HAS(r.out, "; 1 new, 1 replaced, 0 unchanged; 0 skipped;");
    HAS(r.out, "holds 14 articles");
    e2e_free(&r);
    cr_assert_eq(total_for(db, "\"second version\""), 1);
    cr_assert_eq(total_for(db, "\"first version\""), 0);
    tmpdir_rm_rf(dir);
}

Test(formats, standard_input)
{
    tmpdir_make(dir, "stdin");
    char db[4096];
    tmpdir_path(db, dir, "db");
    const char lines[] = "{\"id\": \"s1\", \"title\": \"Piped\", \"body\": \"Envoys in Ankara.\"}\n"
                         "{\"title\": \"No id\", \"body\": \"Talks in Ankara went on.\"}\n"
                         "not json at all\n";
    e2e_result r = e2e_run(lines, "index", "--db", db, "--format", "jsonl", "-", NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    HAS(r.out, "Indexed 2 articles from 1 file in ");
    HAS(r.out, "; 1 skipped (1 malformed);");
    HAS(r.err, "skipped stdin: line 3: malformed JSON");
    e2e_free(&r);
    cr_assert_eq(total_for(db, "id:s1"), 1);
    cr_assert_eq(total_for(db, "id:\"stdin#2\""), 1);
    /* Recognised without --format: JSON lines, a text, a page. */
    r = e2e_run(lines, "index", "--db", db, "-", NULL);
    HAS(r.out, "; 0 new, 0 replaced, 2 unchanged; 1 skipped");
    e2e_free(&r);
    r = e2e_run("Kabul Bulletin\n\nA text piped in about Ankara.\n", "index", "--db", db,
                "-", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    HAS(r.out, "1 new, 0 replaced, 0 unchanged");
    e2e_free(&r);
    char *j = search_json(db, "id:stdin");
    HAS(j, "\"title\":\"Kabul Bulletin\"");
    free(j);
    r = e2e_run("<html><head><title>Piped page</title></head><body><p>Ankara talks "
                "page.</p></body></html>", "index", "--db", db, "-", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    HAS(r.out, "0 new, 1 replaced, 0 unchanged");
    e2e_free(&r);
    j = search_json(db, "id:stdin");
    HAS(j, "\"title\":\"Piped page\"");
    free(j);
    cr_assert_eq(total_for(db, "ankara"), 3);
    /* Nothing on stdin. */
    r = e2e_run("", "index", "--db", db, "-", NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    HAS(r.err, "skipped stdin: no article text (empty file)");
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(formats, max_file_size_and_format_option)
{
    tmpdir_make(dir, "size");
    char db[4096], bad[4096], f[4096];
    tmpdir_path(db, dir, "db");
    snprintf(bad, sizeof bad, "%s/bad", fixtures());
    e2e_result r = e2e_run(NULL, "index", "--db", db, "--max-file-size", "1K", bad, NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    HAS(r.out, "; 3 skipped (1 too large, 1 empty, 1 binary);");
    HAS(r.err, "large.txt: file is larger than the limit of 1024 bytes");
    e2e_free(&r);
    r = e2e_run(NULL, "index", "--db", db, bad, NULL);
    HAS(r.out, "1 new, 0 replaced, 0 unchanged; 2 skipped");
    e2e_free(&r);
    /* In JSON Lines the limit is per line. */
    char lines[4096];
    tmpdir_path(lines, dir, "long.jsonl");
    FILE *fp = fopen(lines, "w");
    cr_assert_not_null(fp);
    fprintf(fp, "{\"id\": \"short\", \"body\": \"A short line.\"}\n{\"id\": \"long\", \"body\": \"");
    for (int i = 0; i < 300; i++)
        fputs("long ", fp);
    fprintf(fp, "\"}\n{\"id\": \"short2\", \"body\": \"Another short line.\"}\n");
    fclose(fp);
    r = e2e_run(NULL, "index", "--db", db, "--max-file-size", "1024", lines, NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    HAS(r.err, "long.jsonl: line 2: longer than the limit of 1024 bytes");
    HAS(r.out, "2 new, 0 replaced, 0 unchanged; 1 skipped (1 too large);");
    e2e_free(&r);
    /* --format forces a reader: a .jsonl file as one text article. */
    snprintf(f, sizeof f, "%s/jsonl/noid.jsonl", fixtures());
    r = e2e_run(NULL, "index", "--db", db, "--format", "text", f, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    HAS(r.out, "Indexed 1 article from 1 file in ");
    e2e_free(&r);
    char *j = search_json(db, "id:noid");
    HAS(j, "\"title\":\"{\\\"title\\\": \\\"First story without id\\\"");
    free(j);
    /* --format ninjs reads JSON Lines with ninjs keys; bad values are
     * usage errors. */
    snprintf(f, sizeof f, "%s/ninjs/feed.jsonl", fixtures());
    r = e2e_run(NULL, "index", "--db", db, "--format", "ninjs", f, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    HAS(r.out, "2 new, 0 replaced, 0 unchanged");
    e2e_free(&r);
    r = e2e_run(NULL, "index", "--db", db, "--format", "xml", f, NULL);
    cr_assert_eq(r.status, 2);
    HAS(r.err, "--format needs auto, text, jsonl, ninjs or html");
    e2e_free(&r);
    r = e2e_run(NULL, "index", "--db", db, "--max-file-size", "lots", f, NULL);
    cr_assert_eq(r.status, 2);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(formats, rebuild)
{
    tmpdir_make(dir, "rebuild");
    char db[4096], text[4096], jsonl[4096], staging[4200];
    tmpdir_path(db, dir, "db");
    snprintf(text, sizeof text, "%s/text", fixtures());
    snprintf(jsonl, sizeof jsonl, "%s/ninjs", fixtures());
    e2e_result r = e2e_run(NULL, "index", "--db", db, "--exact-forms", text, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    HAS(r.out, "holds 2 articles");
    e2e_free(&r);
    /* A rebuild that cannot complete leaves the index as it was. */
    char missing[4096];
    tmpdir_path(missing, dir, "missing");
    r = e2e_run(NULL, "index", "--db", db, "--rebuild", jsonl, missing, NULL);
    cr_assert_eq(r.status, 7, "%s", r.err);
    HAS(r.err, "rebuild abandoned");
    e2e_free(&r);
    cr_assert_eq(total_for(db, "torkham"), 1);
    snprintf(staging, sizeof staging, "%s.rebuild", db);
    struct stat sb;
    cr_assert_neq(stat(staging, &sb), 0, "the staging index is removed");
    /* A complete rebuild: only what was given now, settings kept. */
    r = e2e_run(NULL, "index", "--db", db, "--rebuild", jsonl, NULL);
    cr_assert_eq(r.status, 9, "%s", r.err);
    HAS(r.out, "3 new, 0 replaced, 0 unchanged; 1 skipped");
    HAS(r.out, "holds 3 articles");
    e2e_free(&r);
    cr_assert_eq(total_for(db, "torkham"), 0);
    cr_assert_eq(total_for(db, "truce"), 1);
    cr_assert_eq(total_for(db, "=truce"), 1, "exact forms kept");
    cr_assert_neq(stat(staging, &sb), 0);
    /* A directory that is not an index is never replaced. */
    char other[4096], f[4096];
    tmpdir_path(other, dir, "other");
    cr_assert_eq(mkdir(other, 0700), 0);
    e2e_write(tmpdir_path(f, other, "notes.txt"), "mine", 4);
    r = e2e_run(NULL, "index", "--db", other, "--rebuild", jsonl, NULL);
    cr_assert_eq(r.status, 2, "%s", r.err);
    HAS(r.err, "is not an index");
    e2e_free(&r);
    cr_assert_eq(stat(f, &sb), 0);
    tmpdir_rm_rf(dir);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* The summary without the timing and the index path. */
static void drop_timing(char *s, const char *db)
{
    char *p = strstr(s, " in ");
    char *q = p ? strstr(p, " s;") : NULL;
    if (p && q)
        memmove(p, q + 2, strlen(q + 2) + 1);
    if ((p = strstr(s, db)) != NULL)
        memmove(p, p + strlen(db), strlen(p + strlen(db)) + 1);
}

static void write_feed(const char *path, int version)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    for (int i = 0; i < 120; i++) {
        if (i % 17 == 5)
            fprintf(f, "{\"id\": \"f%d\", \"body\": broken}\n", i);
        else
            fprintf(f, "{\"id\": \"f%d\", \"title\": \"Feed %d\", \"body\": \"Envoys "
                       "met in Doha, round %d%s.\", \"date\": \"2025-10-%02d\"}\n",
                    i, i, i, (version && i % 10 == 0) ? ", revised" : "", i % 28 + 1);
    }
    fclose(f);
}

/* JSON lines go through the workers too: any --jobs gives the same index,
 * messages and summary, on a first run and on an update. */
Test(formats, jobs_give_the_same_index_with_lines_and_updates)
{
    tmpdir_make(dir, "jobs");
    char in[4096], feed[4096];
    tmpdir_path(in, dir, "in");
    copy_fixtures(in);
    tmpdir_path(feed, in, "feed.jsonl");
    const char *jobs[] = {"1", "3"};
    const char *tables[] = {"docdata.glass", "postlist.glass", "termlist.glass",
                            "position.glass"};
    /* Each commit records its time in the index's metadata (postlist
     * table): a fixed time, so that runs a second apart compare equal. */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    for (int version = 0; version < 2; version++) {
        write_feed(feed, version);
        char *outs[2], *errs[2], dbs[2][4096];
        for (int k = 0; k < 2; k++) {
            char name[16];
            snprintf(name, sizeof name, "db%s", jobs[k]);
            tmpdir_path(dbs[k], dir, name);
            e2e_result r = e2e_run(NULL, "index", "--db", dbs[k], "--jobs",
                                   (char *)jobs[k], "--batch", "7", "--prune", in, NULL);
            cr_assert_eq(r.status, 9, "%s", r.err);
            drop_timing(r.out, dbs[k]);
            outs[k] = r.out;
            errs[k] = r.err;
        }
        if (version == 0)
            HAS(outs[0], "129 new, 0 replaced, 0 unchanged; 13 skipped");
        else
            HAS(outs[0], "0 new, 11 replaced, 118 unchanged; 13 skipped");
        cr_assert_str_eq(outs[1], outs[0], "summary differs");
        cr_assert_str_eq(errs[1], errs[0], "messages differ");
        for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
            char a[4096], b[4096];
            size_t la, lb;
            char *da = read_all(tmpdir_path(a, dbs[0], tables[t]), &la);
            char *dbb = read_all(tmpdir_path(b, dbs[1], tables[t]), &lb);
            cr_assert(la == lb && memcmp(da, dbb, la) == 0,
                      "run %d: %s differs between --jobs 1 and 3", version, tables[t]);
            free(da);
            free(dbb);
        }
        for (int k = 0; k < 2; k++) {
            free(outs[k]);
            free(errs[k]);
        }
    }
    tmpdir_rm_rf(dir);
}
