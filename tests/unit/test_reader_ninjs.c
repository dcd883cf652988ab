/* test_reader_ninjs.c: IPTC ninjs items (indexer/reader_ninjs.c), read
 * through att_read_json(): the 1.x fields, the 2.x plural forms, HTML
 * bodies, given entities, and an item without body. */
#include "helpers.h"

#include "../../indexer/readers.h"

static att_status read_item(const char *json, att_article **a, att_skip_reason *why)
{
    att_input in = {"ap/item.json", "ap/item", "item.json", 0};
    return att_read_json(a, json, strlen(json), &in, ATT_INPUT_AUTO, NULL, why, NULL);
}

Test(ninjs, fields_1x)
{
    const char *json =
        "{\"uri\": \"urn:newsml:example.org:20251029:ap-0042\", \"type\": \"text\","
        " \"versioncreated\": \"2025-10-29T14:30:00+00:00\","
        " \"firstcreated\": \"2025-10-29T12:00:00+00:00\", \"language\": \"en\","
        " \"headline\": \"Truce extended\", \"byline\": \"By Ayesha Rahman\","
        " \"located\": \"Islamabad\", \"copyrightholder\": \"The Associated Press\","
        " \"body_text\": \"Pakistan and Afghanistan extended their truce.\","
        " \"subject\": [{\"name\": \"Diplomacy\", \"code\": \"11000000\"},"
        "               {\"name\": \"Armed conflict, war\"}],"
        " \"person\": [{\"name\": \"Shehbaz Sharif\", \"rel\": \"mentioned\"}],"
        " \"organisation\": [{\"name\": \"United Nations\"}],"
        " \"place\": [{\"name\": \"Kabul\"}]}";
    att_article *a = NULL;
    att_skip_reason why;
    cr_assert_eq(read_item(json, &a, &why), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(a->id, "urn:newsml:example.org:20251029:ap-0042");
    cr_assert_null(a->url, "a URN is no URL");
    cr_assert_str_eq(a->title, "Truce extended");
    cr_assert_str_eq(a->body, "Pakistan and Afghanistan extended their truce.");
    cr_assert_str_eq(a->date, "2025-10-29", "versioncreated first");
    cr_assert_str_eq(a->author, "Ayesha Rahman", "the byline's \"By\" dropped");
    cr_assert_str_eq(a->language, "en");
    cr_assert_str_eq(a->source, "The Associated Press");
    cr_assert_str_eq(a->tags, "Diplomacy, Armed conflict  war",
                     "subject names; a comma inside a name is not a separator");
    cr_assert_str_eq(a->people, "Shehbaz Sharif");
    cr_assert_str_eq(a->organisations, "United Nations");
    cr_assert_str_eq(a->places, "Kabul\nIslamabad", "place, then located");
    att_article_free(a);
}

Test(ninjs, html_body_and_url)
{
    const char *json =
        "{\"uri\": \"https://example.org/ninjs/7\", \"headline\": \"H\","
        " \"firstcreated\": \"2025-10-21\","
        " \"body_html\": \"<p>First &amp; foremost.</p><script>x()</script>"
        "<p>Second <b>para</b>graph.</p>\"}";
    att_article *a = NULL;
    att_skip_reason why;
    cr_assert_eq(read_item(json, &a, &why), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(a->url, "https://example.org/ninjs/7");
    cr_assert_str_eq(a->body, "First & foremost.\n\nSecond paragraph.");
    cr_assert_str_eq(a->date, "2025-10-21", "firstcreated when no versioncreated");
    att_article_free(a);
}

Test(ninjs, plural_forms_of_2x)
{
    const char *json =
        "{\"uri\": \"urn:x:2\", \"headlines\": [{\"role\": \"main\", \"value\": \"Main\"}],"
        " \"bodies\": [{\"contenttype\": \"text/html\", \"value\": \"<p>html</p>\"},"
        "              {\"contenttype\": \"text/plain\", \"value\": \"plain text\"}],"
        " \"people\": [{\"name\": \"Ishaq Dar\"}], \"places\": [{\"name\": \"Doha\"}],"
        " \"organisations\": [{\"name\": \"NATO\"}],"
        " \"infosources\": [{\"name\": \"AFP\", \"role\": \"originator\"}]}";
    att_article *a = NULL;
    att_skip_reason why;
    cr_assert_eq(read_item(json, &a, &why), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(a->title, "Main");
    cr_assert_str_eq(a->body, "plain text", "text/plain preferred");
    cr_assert_str_eq(a->people, "Ishaq Dar");
    cr_assert_str_eq(a->places, "Doha");
    cr_assert_str_eq(a->organisations, "NATO");
    cr_assert_str_eq(a->source, "AFP");
    att_article_free(a);
    /* Only HTML among the bodies. */
    cr_assert_eq(read_item("{\"uri\": \"u\", \"bodies\": [{\"contenttype\": "
                           "\"text/html\", \"value\": \"<p>only <i>html</i></p>\"}]}",
                           &a, &why), ATT_OK);
    cr_assert_str_eq(a->body, "only html");
    att_article_free(a);
}

Test(ninjs, item_without_body_is_skipped)
{
    att_article *a = NULL;
    att_skip_reason why = ATT_SKIP_REASON_COUNT;
    cr_assert_eq(read_item("{\"uri\": \"urn:picture:1\", \"type\": \"picture\","
                           " \"headline\": \"Photo: delegates\"}", &a, &why),
                 ATT_NOT_FOUND);
    cr_assert_null(a);
    cr_assert_eq(why, ATT_SKIP_NO_BODY);
    cr_assert_not_null(strstr(att_last_error(), "body_text or body_html"), "%s",
                       att_last_error());
    /* An empty body_html is no body either. */
    cr_assert_eq(read_item("{\"uri\": \"u\", \"headline\": \"h\", \"body_html\": "
                           "\"<p> </p><script>a()</script>\"}", &a, &why),
                 ATT_NOT_FOUND);
    cr_assert_eq(why, ATT_SKIP_NO_BODY);
}

Test(ninjs, given_names_trimmed_and_one_per_line)
{
    att_article *a = NULL;
    att_skip_reason why;
    cr_assert_eq(read_item("{\"uri\": \"u\", \"body_text\": \"b\", \"person\": "
                           "[\"  Amina\\tFarooqui \", {\"name\": \"\"}, 7,"
                           " {\"name\": \"Line\\nBreak\"}]}", &a, &why), ATT_OK);
    cr_assert_str_eq(a->people, "Amina Farooqui\nLine Break");
    att_article_free(a);
}
