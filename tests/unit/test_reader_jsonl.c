/* test_reader_jsonl.c: JSON articles, att_read_json() (indexer/
 * reader_jsonl.c): our JSON Lines fields, ids, dates, tags, entity lists,
 * what is skipped and why, and how an object is told from ninjs; plus the
 * format recognition of readers.c. */
#include "helpers.h"

#include "../../indexer/readers.h"

static att_input line_in(uint64_t line)
{
    att_input in = {"feeds/wire.jsonl", "feeds/wire", "wire.jsonl", line};
    return in;
}

static att_article *read_line(const char *json, uint64_t line)
{
    att_input in = line_in(line);
    att_article *a = NULL;
    att_skip_reason why = ATT_SKIP_REASON_COUNT;
    att_status st = att_read_json(&a, json, strlen(json), &in, ATT_INPUT_AUTO,
                                  NULL, &why, NULL);
    cr_assert_eq(st, ATT_OK, "%s: %s", json, att_last_error());
    cr_assert_not_null(a);
    cr_assert_eq(a->version, ATT_ARTICLE_VERSION);
    return a;
}

/* Reads a line that must fail; returns the reason. */
static att_skip_reason bad_line(const char *json, size_t n, uint64_t line,
                                att_status want)
{
    att_input in = line_in(line);
    att_article *a = NULL;
    att_skip_reason why = ATT_SKIP_REASON_COUNT;
    att_status st = att_read_json(&a, json, n, &in, ATT_INPUT_AUTO, NULL, &why, NULL);
    cr_assert_eq(st, want, "%s: got %s (%s)", json, att_strerror(st),
                 att_last_error());
    cr_assert_null(a);
    return why;
}

Test(jsonl, all_fields)
{
    att_article *a = read_line(
        "{\"id\": \"wire-1\", \"title\": \"Talks in Doha\", \"body\": \"Envoys met.\","
        " \"date\": \"2025-10-27T08:00:00Z\", \"source\": \"Reuters\","
        " \"url\": \"https://example.org/1\", \"author\": \"Staff\","
        " \"language\": \"en\", \"tags\": [\"diplomacy\", \"qatar\"],"
        " \"people\": [\"Khawaja Asif\"], \"organisations\": [\"United Nations\"],"
        " \"places\": [\"Doha\", {\"name\": \"Kabul\"}], \"extra\": {\"x\": 1}}", 4);
    cr_assert_str_eq(a->id, "wire-1");
    cr_assert_str_eq(a->title, "Talks in Doha");
    cr_assert_eq(a->title_len, 13);
    cr_assert_str_eq(a->body, "Envoys met.");
    cr_assert_eq(a->body_len, 11);
    cr_assert_str_eq(a->date, "2025-10-27");
    cr_assert_str_eq(a->source, "Reuters");
    cr_assert_str_eq(a->url, "https://example.org/1");
    cr_assert_str_eq(a->author, "Staff");
    cr_assert_str_eq(a->language, "en");
    cr_assert_str_eq(a->tags, "diplomacy, qatar");
    cr_assert_str_eq(a->people, "Khawaja Asif");
    cr_assert_str_eq(a->organisations, "United Nations");
    cr_assert_str_eq(a->places, "Doha\nKabul");
    att_article_free(a);
}

Test(jsonl, ids_and_defaults)
{
    /* An integer id; no id: the file's id and the line. */
    att_article *a = read_line("{\"id\": 42, \"body\": \"b\"}", 1);
    cr_assert_str_eq(a->id, "42");
    att_article_free(a);
    a = read_line("{\"title\": \"t\", \"body\": \"b\"}", 7);
    cr_assert_str_eq(a->id, "feeds/wire#7");
    cr_assert_null(a->title_len ? NULL : a->title, "title kept");
    att_article_free(a);
    /* A whole file without an id: the file's id. */
    att_input in = {"a/item.json", "a/item", "item.json", 0};
    att_skip_reason why;
    const char doc[] = "{\n  \"title\": \"t\",\n  \"body\": \"b\"\n}\n";
    cr_assert_eq(att_read_json(&a, doc, sizeof doc - 1, &in, ATT_INPUT_AUTO, NULL,
                               &why, NULL), ATT_OK);
    cr_assert_str_eq(a->id, "a/item");
    att_article_free(a);
}

Test(jsonl, dates)
{
    att_article *a = read_line("{\"body\": \"b\", \"date\": 1761782400}", 1);
    cr_assert_str_eq(a->date, "2025-10-30", "seconds since 1970");
    att_article_free(a);
    a = read_line("{\"body\": \"b\", \"date\": 1761782400000}", 1);
    cr_assert_str_eq(a->date, "2025-10-30", "milliseconds");
    att_article_free(a);
    a = read_line("{\"body\": \"b\", \"date\": \"30 October 2025\"}", 1);
    cr_assert_str_eq(a->date, "2025-10-30");
    att_article_free(a);
    a = read_line("{\"body\": \"b\", \"date\": \"soon\"}", 1);
    cr_assert_null(a->date, "not a date: none, and not the file name's");
    att_article_free(a);
    /* No date: the one in the file name. */
    att_input in = {"d/2025-10-01.jsonl", "d/2025-10-01", "2025-10-01.jsonl", 3};
    att_skip_reason why;
    const char j[] = "{\"body\": \"b\"}";
    cr_assert_eq(att_read_json(&a, j, sizeof j - 1, &in, ATT_INPUT_AUTO, NULL, &why, NULL),
                 ATT_OK);
    cr_assert_str_eq(a->date, "2025-10-01");
    att_article_free(a);
}

Test(jsonl, text_is_cleaned)
{
    /* Control characters from escapes are replaced; a Windows-1252 line is
     * decoded before jansson sees it. */
    att_decode_stats ds;
    memset(&ds, 0, sizeof ds);
    att_input in = line_in(2);
    att_article *a = NULL;
    att_skip_reason why;
    const char j[] = "{\"title\": \"Caf\xe9 talks\", \"body\": \"a\\u0007b\\fc\"}";
    cr_assert_eq(att_read_json(&a, j, sizeof j - 1, &in, ATT_INPUT_AUTO, &ds, &why, NULL),
                 ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(a->title, "Caf\xc3\xa9 talks");
    cr_assert_str_eq(a->body, "a b\nc");
    cr_assert(ds.converted);
    cr_assert_eq(ds.controls, 2);
    att_article_free(a);
}

#define BAD(lit, line, want) bad_line((lit), sizeof(lit) - 1, (line), (want))

Test(jsonl, bad_lines)
{
    const char *msg;
    /* Malformed: the line and jansson's column. */
    cr_assert_eq(BAD("{\"id\": \"b-2\", \"body\": \"cut off", 2, ATT_INVALID),
                 ATT_SKIP_MALFORMED);
    msg = att_last_error();
    cr_assert(strncmp(msg, "line 2: malformed JSON: ", 24) == 0, "%s", msg);
    cr_assert_not_null(strstr(msg, "(column "), "%s", msg);
    /* Not an object. */
    cr_assert_eq(BAD("[1, 2]", 3, ATT_INVALID), ATT_SKIP_MALFORMED);
    cr_assert_not_null(strstr(att_last_error(), "line 3: not a JSON object"));
    /* No body. */
    cr_assert_eq(BAD("{\"id\": \"x\", \"title\": \"Only a title\"}", 4,
                          ATT_NOT_FOUND), ATT_SKIP_NO_BODY);
    cr_assert_not_null(strstr(att_last_error(), "line 4: no body text"));
    cr_assert_eq(BAD("{\"body\": \"  \\n \"}", 5, ATT_NOT_FOUND),
                 ATT_SKIP_NO_BODY, "white space is no body");
    /* Binary, with the line. */
    cr_assert_eq(BAD("{\"body\": \"a\0b\"}", 6, ATT_ENCODING), ATT_SKIP_BINARY);
    cr_assert_not_null(strstr(att_last_error(), "line 6"), "%s", att_last_error());
    /* An invalid id. */
    cr_assert_eq(BAD("{\"id\": \"\", \"body\": \"b\"}", 7, ATT_INVALID),
                 ATT_SKIP_INVALID);
    /* Nothing at all. */
    cr_assert_eq(BAD("  ", 0, ATT_NOT_FOUND), ATT_SKIP_EMPTY);
}

Test(jsonl, ninjs_told_apart)
{
    /* ninjs keys and none of ours: read as ninjs. */
    att_article *a = read_line("{\"uri\": \"urn:x:1\", \"headline\": \"H\","
                               " \"body_text\": \"B\"}", 1);
    cr_assert_str_eq(a->id, "urn:x:1");
    cr_assert_str_eq(a->title, "H");
    cr_assert_str_eq(a->body, "B");
    att_article_free(a);
    /* Ours wins when "body" or "title" is there. */
    a = read_line("{\"uri\": \"urn:x:2\", \"title\": \"T\", \"body\": \"B\"}", 9);
    cr_assert_str_eq(a->id, "feeds/wire#9", "uri is not one of our fields");
    att_article_free(a);
    /* A forced format reads the object as that. */
    att_input in = line_in(1);
    att_skip_reason why;
    const char j[] = "{\"id\": \"i\", \"headline\": \"H\", \"body_text\": \"B\"}";
    cr_assert_eq(att_read_json(&a, j, sizeof j - 1, &in, ATT_INPUT_JSONL, NULL, &why, NULL),
                 ATT_NOT_FOUND, "as JSON Lines it has no body");
    cr_assert_eq(why, ATT_SKIP_NO_BODY);
    cr_assert_eq(att_read_json(&a, j, sizeof j - 1, &in, ATT_INPUT_NINJS, NULL, &why, NULL),
                 ATT_OK);
    cr_assert_str_eq(a->body, "B");
    cr_assert_str_eq(a->id, "feeds/wire#1", "ninjs ids come from uri");
    att_article_free(a);
}

Test(jsonl, sniff)
{
    cr_assert_eq(att_sniff("Title\nBody", 10), ATT_SHAPE_TEXT);
    cr_assert_eq(att_sniff("  <!DOCTYPE html><p>", 20), ATT_SHAPE_HTML);
    cr_assert_eq(att_sniff("<html>", 6), ATT_SHAPE_HTML);
    cr_assert_eq(att_sniff("<3 peace", 8), ATT_SHAPE_TEXT);
    cr_assert_eq(att_sniff("{\"a\":1}\n{\"a\":2}\n", 16), ATT_SHAPE_JSON_LINES);
    cr_assert_eq(att_sniff("{\"a\":1}\n\n  {\"a\":2}", 18), ATT_SHAPE_JSON_LINES);
    cr_assert_eq(att_sniff("{\"a\":1}\n", 8), ATT_SHAPE_JSON_DOC, "one line, one doc");
    cr_assert_eq(att_sniff("{\n  \"a\": 1\n}\n", 13), ATT_SHAPE_JSON_DOC);
    cr_assert_eq(att_sniff("\xef\xbb\xbf{\"a\":1}\n{\"a\":2}", 18), ATT_SHAPE_JSON_LINES);
    /* UTF-16 with a BOM */
    static const char u16[] = "\xff\xfe{\0}\0\n\0{\0}\0\n\0";
    cr_assert_eq(att_sniff(u16, sizeof u16 - 1), ATT_SHAPE_JSON_LINES);
    cr_assert_eq(att_sniff("", 0), ATT_SHAPE_TEXT);
}

Test(jsonl, read_any_chooses_by_content)
{
    att_input in = {"x", "x", NULL, 0};
    att_article *a = NULL;
    att_skip_reason why;
    att_input_format used;
    const char html[] = "<html><head><title>T</title></head><body><p>B</p></body></html>";
    cr_assert_eq(att_read_any(&a, html, sizeof html - 1, &in, ATT_INPUT_AUTO, NULL,
                              &why, &used), ATT_OK);
    cr_assert_eq(used, ATT_INPUT_HTML);
    cr_assert_str_eq(a->body, "B");
    att_article_free(a);
    /* Forced: the same bytes as text. */
    cr_assert_eq(att_read_any(&a, html, sizeof html - 1, &in, ATT_INPUT_TEXT, NULL,
                              &why, &used), ATT_OK);
    cr_assert_eq(used, ATT_INPUT_TEXT);
    cr_assert_str_eq(a->title, html);
    att_article_free(a);
    const char json[] = "{\"body\": \"B\", \"title\": \"T\"}";
    cr_assert_eq(att_read_any(&a, json, sizeof json - 1, &in, ATT_INPUT_AUTO, NULL,
                              &why, &used), ATT_OK);
    cr_assert_eq(used, ATT_INPUT_JSONL);
    cr_assert_str_eq(a->title, "T");
    att_article_free(a);
}

Test(jsonl, skip_reason_names)
{
    for (int r = 0; r < ATT_SKIP_REASON_COUNT; r++) {
        const char *n = att_skip_reason_name((att_skip_reason)r);
        cr_assert_not_null(n, "reason %d", r);
        cr_assert_gt(strlen(n), 0);
    }
    cr_assert_str_eq(att_skip_reason_name(ATT_SKIP_MALFORMED), "malformed");
    cr_assert_null(att_skip_reason_name(ATT_SKIP_REASON_COUNT));
}
