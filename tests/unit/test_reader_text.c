/* test_reader_text.c: the plain-text article reader, att_text_parse(). */
#include "helpers.h"

static att_article *parse(const char *text)
{
    att_article *a = NULL;
    att_status st = att_text_parse(&a, "doc-1", text, strlen(text));
    cr_assert_eq(st, ATT_OK, "%s", att_last_error());
    cr_assert_not_null(a);
    cr_assert_str_eq(a->id, "doc-1");
    cr_assert_eq(a->version, ATT_ARTICLE_VERSION);
    return a;
}

static void body_is(const att_article *a, const char *want)
{
    cr_assert_not_null(a->body);
    cr_assert_str_eq(a->body, want);
    cr_assert_eq(a->body_len, strlen(want));
}

Test(reader, title_and_body)
{
    att_article *a = parse("Peace Talks Resume\n\nThe talks resumed today.\nMore text.\n\n");
    cr_assert_str_eq(a->title, "Peace Talks Resume");
    cr_assert_eq(a->title_len, 18);
    body_is(a, "The talks resumed today.\nMore text.");
    cr_assert_null(a->date);
    cr_assert_null(a->tags);
    att_article_free(a);
}

Test(reader, categories_line_is_tags)
{
    att_article *a = parse("Categories: politics, asia\nTitle Here\nBody.\n");
    cr_assert_str_eq(a->tags, "politics, asia");
    cr_assert_str_eq(a->title, "Title Here");
    body_is(a, "Body.");
    att_article_free(a);
}

Test(reader, metadata_keys)
{
    att_article *a = parse("Source: Reuters\nDATE: 2024-09-12\nauthor:  Jane Roe \n"
                           "URL: https://example.org/a\nLanguage: en\n\nTitle\nBody\n");
    cr_assert_str_eq(a->source, "Reuters");
    cr_assert_str_eq(a->date, "2024-09-12");
    cr_assert_str_eq(a->author, "Jane Roe");
    cr_assert_str_eq(a->url, "https://example.org/a");
    cr_assert_str_eq(a->language, "en");
    cr_assert_str_eq(a->title, "Title");
    body_is(a, "Body");
    att_article_free(a);
}

Test(reader, metadata_only_at_top)
{
    att_article *a = parse("Title\nSource: not metadata here\n");
    cr_assert_null(a->source);
    cr_assert_str_eq(a->title, "Title");
    body_is(a, "Source: not metadata here");
    att_article_free(a);
}

Test(reader, invalid_dates_dropped)
{
    const char *bad[] = {"Date: next Tuesday\nT\nB", "Date: 2024-13-01\nT\nB",
                         "Date: 2023-02-29\nT\nB"};
    for (size_t i = 0; i < 3; i++) {
        att_article *a = parse(bad[i]);
        cr_assert_null(a->date, "%s", bad[i]);
        cr_assert_str_eq(a->title, "T");
        att_article_free(a);
    }
    att_article *a = parse("Date: 2024-02\nT\nB");
    cr_assert_str_eq(a->date, "2024-02");
    att_article_free(a);
}

Test(reader, repeated_title_dropped)
{
    att_article *a = parse("Same Title\nSame Title\nBody text.");
    cr_assert_str_eq(a->title, "Same Title");
    body_is(a, "Body text.");
    att_article_free(a);
    a = parse("Same Title\n\nSame Title\n\nBody text.");
    cr_assert_str_eq(a->title, "Same Title");
    body_is(a, "Body text.");
    att_article_free(a);
    /* A different second line is kept. */
    a = parse("Same Title\nSame Title, continued\nBody text.");
    body_is(a, "Same Title, continued\nBody text.");
    att_article_free(a);
}

Test(reader, bom_stripped)
{
    att_article *a = parse("\xef\xbb\xbfTitle With BOM\nBody.");
    cr_assert_str_eq(a->title, "Title With BOM");
    att_article_free(a);
    a = parse("\xef\xbb\xbf" "Source: AP\nT\nB");
    cr_assert_str_eq(a->source, "AP");
    att_article_free(a);
}

Test(reader, crlf_handled)
{
    att_article *a = parse("Date: 2024-01-02\r\nTitle Line\r\nTitle Line\r\n\r\nBody one.\r\nBody two.\r\n");
    cr_assert_str_eq(a->date, "2024-01-02");
    cr_assert_str_eq(a->title, "Title Line");
    cr_assert_eq(a->title_len, 10);
    body_is(a, "Body one.\r\nBody two.");
    att_article_free(a);
}

Test(reader, empty_and_blank_are_not_found)
{
    att_article *a = NULL;
    cr_assert_eq(att_text_parse(&a, "x", "", 0), ATT_NOT_FOUND);
    cr_assert_eq(att_text_parse(&a, "x", "\n\n  \n", 5), ATT_NOT_FOUND);
    cr_assert_eq(att_text_parse(&a, "x", "\xef\xbb\xbf", 3), ATT_NOT_FOUND);
    cr_assert_eq(att_text_parse(&a, "x", "Source: AP\nDate: 2024\n", 22),
                 ATT_NOT_FOUND, "metadata alone is no article");
    cr_assert_null(a);
}

Test(reader, binary_is_encoding_error)
{
    att_article *a = NULL;
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    cr_assert_eq(att_text_parse(&a, "x", png, sizeof png - 1), ATT_ENCODING);
    cr_assert_eq(att_text_parse(&a, "x", "Title\nline \0two\n", 15),
                 ATT_ENCODING, "a NUL byte outside UTF-16 is binary");
    cr_assert_not_null(strstr(att_last_error(), "line 2"), "%s", att_last_error());
    cr_assert_null(a);
}

Test(reader, other_encodings_are_decoded)
{
    /* ISO-8859-1, Windows-1252, UTF-16LE with BOM, UTF-8 with BOM and
     * mojibake: all become the same clean UTF-8 article. */
    static const struct {
        const char *bytes;
        size_t n;
    } in[] = {
        {"Caf\xe9 talks\nIn Z\xfcrich.\n", 22},
        {"Caf\xe9 talks\nIn Z\xfcrich\x85\n", 22},
        {"\xff\xfe" "C\0a\0f\0\xe9\0 \0t\0a\0l\0k\0s\0\n\0I\0n\0 \0Z\0\xfc\0"
         "r\0i\0c\0h\0.\0\n\0", 44},
        {"\xef\xbb\xbf" "Caf\xc3\x83\xc2\xa9 talks\nIn Z\xc3\xbcrich.\n", 29},
    };
    const char *body[] = {"In Z\xc3\xbcrich.", "In Z\xc3\xbcrich\xe2\x80\xa6",
                          "In Z\xc3\xbcrich.", "In Z\xc3\xbcrich."};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        att_article *a = NULL;
        cr_assert_eq(att_text_parse(&a, "x", in[i].bytes, in[i].n), ATT_OK,
                     "input %zu: %s", i, att_last_error());
        cr_assert_str_eq(a->title, "Caf\xc3\xa9 talks", "input %zu", i);
        cr_assert_str_eq(a->body, body[i], "input %zu", i);
        att_article_free(a);
    }
}

Test(reader, control_characters_replaced)
{
    att_article *a = NULL;
    cr_assert_eq(att_text_parse(&a, "x", "Title\npage one\fpage\x01two\n", 24),
                 ATT_OK);
    cr_assert_str_eq(a->body, "page one\npage two");
    att_article_free(a);
}

Test(reader, long_first_line_is_not_a_title)
{
    char text[700];
    memset(text, 'w', 301);
    for (int i = 5; i < 301; i += 6)
        text[i] = ' ';
    text[301] = '\0';
    strcat(text, "\nSecond line.");
    att_article *a = parse(text);
    cr_assert_null(a->title);
    cr_assert_eq(a->title_len, (size_t)-1 == a->title_len ? a->title_len : 0,
                 "title_len");
    cr_assert_eq(a->body_len, strlen(text));
    cr_assert_str_eq(a->body, text);
    att_article_free(a);
    /* Exactly 300 bytes is still a title. */
    memset(text, 't', 300);
    text[300] = '\0';
    strcat(text, "\nBody.");
    a = parse(text);
    cr_assert_not_null(a->title);
    cr_assert_eq(strlen(a->title), 300);
    body_is(a, "Body.");
    att_article_free(a);
}

Test(reader, title_only)
{
    att_article *a = parse("Just A Title\n");
    cr_assert_str_eq(a->title, "Just A Title");
    cr_assert(a->body == NULL || a->body_len == 0);
    att_article_free(a);
}

Test(reader, body_kept_byte_for_byte)
{
    const char *body = "First para  with  spaces.\n\n\tIndented \xe2\x80\x9cquote\xe2\x80\x9d.";
    char text[256];
    snprintf(text, sizeof text, "Title\n\n\n%s\n  \n", body);
    att_article *a = parse(text);
    body_is(a, body);
    att_article_free(a);
}
