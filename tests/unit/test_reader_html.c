/* test_reader_html.c: HTML article pages (indexer/reader_html.c, libxml2):
 * metadata and its order of preference, the article's text without
 * navigation, scripts and boilerplate, encodings, broken pages; on the
 * fixtures of tests/fixtures/formats/html and on small pages. */
#include "helpers.h"

#include "../../indexer/readers.h"

static att_status read_page(const char *html, size_t n, att_article **a,
                            att_skip_reason *why)
{
    att_input in = {"pages/p.html", "pages/p", "p.html", 0};
    return att_read_html(a, html, n, &in, NULL, why);
}

static att_article *page(const char *html)
{
    att_article *a = NULL;
    att_skip_reason why;
    cr_assert_eq(read_page(html, strlen(html), &a, &why), ATT_OK, "%s",
                 att_last_error());
    return a;
}

static char *fixture(const char *name, size_t *n)
{
    const char *src = getenv("ATTACHE_SRC");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/formats/html/%s",
             src && *src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s (set ATTACHE_SRC)", path);
    static char buf[65536];
    *n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*n] = '\0';
    return buf;
}

Test(html, article_fixture)
{
    size_t n;
    const char *html = fixture("article.html", &n);
    att_article *a = NULL;
    att_skip_reason why;
    cr_assert_eq(read_page(html, n, &a, &why), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(a->title, "Border talks resume in Doha", "og:title first");
    cr_assert_str_eq(a->date, "2025-10-26", "article:published_time over JSON-LD");
    cr_assert_str_eq(a->author, "Imran Siddiqui");
    cr_assert_str_eq(a->source, "The Frontier Gazette");
    cr_assert_str_eq(a->url, "https://gazette.example.org/2025/10/border-talks-doha");
    cr_assert_str_eq(a->language, "en-GB");
    cr_assert_str_eq(a->tags, "Diplomacy, Border");
    cr_assert_str_eq(a->body,
                     "Delegations from Pakistan and Afghanistan resumed talks in "
                     "Doha on Sunday, hoping to turn a fragile truce into a lasting "
                     "agreement.\n\nQatari officials, who have mediated since the "
                     "fighting in October, said both sides had brought new proposals "
                     "on border monitoring.\n\nThe talks are expected to last two days.");
    att_article_free(a);
}

Test(html, json_ld_and_fallbacks)
{
    att_article *a = page(
        "<html><head><title>Site | Headline from title</title>"
        "<script type=\"application/ld+json\">{\"@context\": \"https://schema.org\","
        " \"@graph\": [{\"@type\": \"WebSite\", \"name\": \"W\"},"
        " {\"@type\": [\"NewsArticle\"], \"headline\": \"LD headline\","
        " \"datePublished\": \"2025-10-20T08:00:00+03:00\","
        " \"author\": [{\"@type\": \"Person\", \"name\": \"A One\"}, {\"name\": \"B Two\"}],"
        " \"publisher\": {\"@type\": \"Organization\", \"name\": \"LD News\"},"
        " \"keywords\": [\"iran\", \"water\"], \"inLanguage\": \"fa\","
        " \"mainEntityOfPage\": \"https://ld.example.org/a\"}]}</script>"
        "</head><body><main><h1>Visible heading</h1><p>Body text.</p></main></body></html>");
    cr_assert_str_eq(a->title, "LD headline");
    cr_assert_str_eq(a->date, "2025-10-20");
    cr_assert_str_eq(a->author, "A One, B Two");
    cr_assert_str_eq(a->source, "LD News");
    cr_assert_str_eq(a->tags, "iran, water");
    cr_assert_str_eq(a->language, "fa");
    cr_assert_str_eq(a->url, "https://ld.example.org/a");
    cr_assert_str_eq(a->body, "Visible heading\n\nBody text.",
                     "an <h1> that is not the title stays");
    att_article_free(a);
    /* Without metadata: the <h1>, dropped from the body; <time datetime>
     * is not read, meta date is. */
    a = page("<html><head><title>T</title><meta name=\"pubdate\" content=\"20250102\">"
             "</head><body><div><h1>The Heading</h1><p>Only text.</p></div></body></html>");
    cr_assert_str_eq(a->title, "The Heading");
    cr_assert_str_eq(a->body, "Only text.");
    cr_assert_str_eq(a->date, "2025-01-02");
    att_article_free(a);
}

Test(html, boilerplate_left_out)
{
    att_article *a = page(
        "<html><body><nav>Home World</nav>"
        "<div id=\"cookie-consent\">We use cookies</div>"
        "<article><p>One.</p>"
        "<div class=\"share-buttons\">Share</div>"
        "<div aria-hidden=\"true\">hidden</div><div hidden>also hidden</div>"
        "<p style=\"display: none\">invisible</p>"
        "<div role=\"complementary\">aside</div>"
        "<p>Two<br>lines.</p><ul><li>a</li><li>b</li></ul>"
        "<table><tr><td>x</td><td>y</td></tr></table>"
        "<noscript>enable js</noscript><form>Name</form>"
        "<div class=\"jp-relatedposts\">Related</div>"
        "<p>Scroll to Top</p></article>"
        "<section class=\"comments-area\">Leave a Reply</section></body></html>");
    cr_assert_str_eq(a->body, "One.\n\nTwo\nlines.\n\na\n\nb\n\nx y");
    att_article_free(a);
}

Test(html, longest_article_element)
{
    att_article *a = page("<html><body><article><p>Teaser.</p></article>"
                          "<article><p>The real story, which is longer.</p></article>"
                          "</body></html>");
    cr_assert_str_eq(a->body, "The real story, which is longer.");
    att_article_free(a);
    a = page("<html><body><article><p>Not this.</p></article>"
             "<div itemprop=\"articleBody\"><p>This one.</p></div></body></html>");
    cr_assert_str_eq(a->body, "This one.", "itemprop=articleBody first");
    att_article_free(a);
}

Test(html, truncated_page_is_read_as_far_as_it_goes)
{
    size_t n;
    const char *html = fixture("truncated.html", &n);
    att_article *a = NULL;
    att_skip_reason why;
    cr_assert_eq(read_page(html, n, &a, &why), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(a->title, "Water talks in Tehran");
    cr_assert_str_eq(a->date, "2025-10-24");
    cr_assert_not_null(strstr(a->body, "technical committee that would report within"));
    cr_assert_null(strstr(a->body, "Water talks in Tehran"), "the <h1> title dropped");
    att_article_free(a);
}

Test(html, encodings)
{
    size_t n;
    const char *html = fixture("latin1.html", &n);
    att_article *a = NULL;
    att_skip_reason why;
    att_decode_stats ds;
    memset(&ds, 0, sizeof ds);
    att_input in = {"p", "p", NULL, 0};
    cr_assert_eq(att_read_html(&a, html, n, &in, &ds, &why), ATT_OK, "%s",
                 att_last_error());
    cr_assert_str_eq(a->title, "Caf\xc3\xa9 diplomacy in Gen\xc3\xa8ve");
    cr_assert_str_eq(a->body, "Ministers met at a caf\xc3\xa9 in Gen\xc3\xa8ve \xe2\x80\x93 "
                              "and agreed on \xe2\x80\x9cnext steps\xe2\x80\x9d.");
    cr_assert(ds.converted);
    att_article_free(a);
    /* Declared but unknown: skipped as an unknown encoding. */
    html = fixture("unknown-charset.html", &n);
    cr_assert_eq(read_page(html, n, &a, &why), ATT_ENCODING);
    cr_assert_eq(why, ATT_SKIP_ENCODING);
    cr_assert_not_null(strstr(att_last_error(), "x-no-such-charset-42"), "%s",
                       att_last_error());
    /* No declaration, Windows-1252 bytes: decoded like any input. */
    a = page("<html><body><p>caf\xe9 \x93quoted\x94</p></body></html>");
    cr_assert_str_eq(a->body, "caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d");
    att_article_free(a);
    /* UTF-16 with a BOM. */
    static const char u16[] = "\xff\xfe<\0p\0>\0H\0i\0<\0/\0p\0>\0";
    cr_assert_eq(read_page(u16, sizeof u16 - 1, &a, &why), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(a->body, "Hi");
    att_article_free(a);
}

Test(html, nothing_to_read)
{
    att_article *a = NULL;
    att_skip_reason why;
    const char none[] = "<html><head><title>Empty</title></head><body>"
                        "<nav>menu</nav><script>x()</script></body></html>";
    cr_assert_eq(read_page(none, sizeof none - 1, &a, &why), ATT_NOT_FOUND);
    cr_assert_eq(why, ATT_SKIP_NO_BODY);
    const char bin[] = "<html><body>\0\0\0\1binary</body></html>";
    cr_assert_eq(read_page(bin, sizeof bin - 1, &a, &why), ATT_ENCODING);
    cr_assert_eq(why, ATT_SKIP_BINARY);
    cr_assert_null(a);
}

Test(html, fragment_text)
{
    char *t = NULL;
    size_t n = 0;
    const char f[] = "<p>A &lt;b&gt; and&nbsp;c</p><pre>  keep\n  lines</pre>";
    cr_assert_eq(att_html_fragment_text(f, sizeof f - 1, &t, &n), ATT_OK);
    cr_assert_str_eq(t, "A <b> and c\n\nkeep\nlines");
    cr_assert_eq(n, strlen(t));
    free(t);
    cr_assert_eq(att_html_fragment_text("", 0, &t, &n), ATT_OK);
    cr_assert_str_eq(t, "");
    free(t);
}
