/* test_reader_text.c: the plain-text article reader, att_text_parse() and
 * att_read_text(), with the removal of web-page furniture. */
#include "helpers.h"

#include "../../indexer/readers.h"

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

/* ---- web-page furniture --------------------------------------------------- */

Test(reader, sample_furniture_removed)
{
    /* The tail of corpus/samples/001: a "read more" line, an author box and
     * the comment form; and 003's "Scroll to Top". */
    att_article *a = parse(
        "Relations\n\nThe last paragraph of the note.\n\nFor More Read the below\n\n"
        "Website | + posts\n\nKawish Bangash studies at the Department of English "
        "Quaid-e-Azam University Islamabad.\n\nLeave a Reply\n\nYour email address "
        "will not be published. Required fields are marked *\n");
    body_is(a, "The last paragraph of the note.");
    att_article_free(a);
    a = parse("Shift in Stance\n\nThe talks may help.\n\nScroll to Top\n");
    body_is(a, "The talks may help.");
    att_article_free(a);
}

Test(reader, furniture_lines_anywhere)
{
    att_article *a = parse(
        "Skip to content\nMenu\nEnvoys Meet in Doha\n\nShare this:\n"
        "Facebook | Twitter | WhatsApp\n\nFirst paragraph.\n\n"
        "Also Read: Trade Through Torkham Falls\n\nSecond paragraph.\n");
    cr_assert_str_eq(a->title, "Envoys Meet in Doha", "furniture is not the title");
    body_is(a, "First paragraph.\n\nSecond paragraph.");
    att_article_free(a);
}

Test(reader, author_box_takes_its_name_line)
{
    att_article *a = parse("T\n\nText of the article.\n\nSana Qureshi\nWebsite | + posts\n\n"
                           "Sana covers Pakistan.\n");
    body_is(a, "Text of the article.");
    att_article_free(a);
}

Test(reader, weak_markers_only_at_the_end)
{
    /* "Related posts" early in a body is a heading of the article... */
    att_article *a = parse("T\nRelated posts\nA long first paragraph that goes on and "
                           "on about the talks in Doha and Istanbul.\nSecond.\n");
    body_is(a, "Related posts\nA long first paragraph that goes on and on about the "
               "talks in Doha and Istanbul.\nSecond.");
    att_article_free(a);
    /* ...and in its second half, the start of the page's tail. */
    a = parse("T\nA long first paragraph that goes on and on about the talks in Doha "
              "and Istanbul.\n\nRelated posts\nOther story one\nOther story two\n");
    body_is(a, "A long first paragraph that goes on and on about the talks in Doha "
               "and Istanbul.");
    att_article_free(a);
    a = parse("T\nThe body of the article, long enough to be most of it.\n\n3 Comments\n"
              "Reader: nice.\n");
    body_is(a, "The body of the article, long enough to be most of it.");
    att_article_free(a);
}

Test(reader, text_lines_that_only_look_like_furniture_stay)
{
    /* Sentences that start like furniture are article text. */
    const char *body = "Share prices fell in Karachi after the talks.\n"
                       "Print media in Kabul reported the visit.\n"
                       "Leave a reply to the ministry was the advice given.";
    char text[512];
    snprintf(text, sizeof text, "Markets\n%s\n", body);
    att_article *a = parse(text);
    body_is(a, body);
    att_article_free(a);
}

Test(reader, strip_reports_no_change)
{
    char *out = (char *)1;
    size_t n = 7;
    const char body[] = "Nothing here is furniture.\n\nNot even this.";
    cr_assert_eq(att_text_strip_furniture(body, sizeof body - 1, &out, &n), ATT_OK);
    cr_assert_null(out);
    cr_assert_eq(n, 0);
    cr_assert(att_text_is_furniture("Scroll to Top", 13));
    cr_assert(att_text_is_furniture("  SHARE THIS:  ", 15));
    cr_assert(!att_text_is_furniture("Leave a Reply", 13), "a tail, not a line");
    cr_assert(!att_text_is_furniture("Share prices fell.", 18));
}

Test(reader, written_dates_normalised)
{
    att_article *a = parse("Date: Thu, 30 Oct 2025 09:15:00 +0500\nT\nB\n");
    cr_assert_str_eq(a->date, "2025-10-30");
    att_article_free(a);
    a = parse("Date: October 30, 2025\nT\nB\n");
    cr_assert_str_eq(a->date, "2025-10-30");
    att_article_free(a);
}

Test(reader, read_text_takes_the_date_from_the_file_name)
{
    att_input in = {"wires/2025-10-28-wire.txt", "wires/2025-10-28-wire",
                    "2025-10-28-wire.txt", 0};
    att_article *a = NULL;
    att_skip_reason why;
    const char text[] = "Title\nBody.\n";
    cr_assert_eq(att_read_text(&a, text, sizeof text - 1, &in, NULL, &why), ATT_OK);
    cr_assert_str_eq(a->date, "2025-10-28");
    cr_assert_str_eq(a->id, "wires/2025-10-28-wire");
    att_article_free(a);
    /* Metadata wins over the name. */
    const char dated[] = "Date: 2024-01-02\nTitle\nBody.\n";
    cr_assert_eq(att_read_text(&a, dated, sizeof dated - 1, &in, NULL, &why), ATT_OK);
    cr_assert_str_eq(a->date, "2024-01-02");
    att_article_free(a);
    /* Skip reasons. */
    cr_assert_eq(att_read_text(&a, "", 0, &in, NULL, &why), ATT_NOT_FOUND);
    cr_assert_eq(why, ATT_SKIP_EMPTY);
    cr_assert_eq(att_read_text(&a, "Title\nline \0two\n", 15, &in, NULL, &why),
                 ATT_ENCODING);
    cr_assert_eq(why, ATT_SKIP_BINARY);
}

Test(reader, wrapped_text_is_never_furniture)
{
    /* Reuters wraps at a fixed width: "share." alone on a line continues
     * the sentence before it (00781 of Reuters-21578). */
    att_article *a = parse("Shr profit\n\nNet includes tax credit of 51,226 dlrs or one ct per\n"
                           "share.\n Reuter\n");
    body_is(a, "Net includes tax credit of 51,226 dlrs or one ct per\nshare.\n Reuter");
    att_article_free(a);
    /* A title cut from a wrapped sentence, and its rest (19550). */
    a = parse("Degussa plans one-for-five rights issue at 225 marks a\nshare\n");
    body_is(a, "share");
    att_article_free(a);
    /* After a finished sentence, the same word alone is furniture. */
    a = parse("T\n\nThe talks ended.\nShare\nNext day.\n");
    body_is(a, "The talks ended.\nNext day.");
    att_article_free(a);
}

Test(reader, title_may_start_like_furniture)
{
    /* AG News: photo stories are titled "Photo: ..." */
    att_article *a = parse("Photo: SGI's Columbia supercomputer\n\nThe Linux-based Columbia.\n");
    cr_assert_str_eq(a->title, "Photo: SGI's Columbia supercomputer");
    body_is(a, "The Linux-based Columbia.");
    att_article_free(a);
}
