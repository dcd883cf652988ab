/* test_highlight.c: the highlighter (searcher/highlight.c) and the snippet
 * renderings (att_snippet_format), as golden outputs: each fragment is
 * rendered with its matches between [ and ] and compared with what a
 * reader should see. */
#include "helpers.h"

#include "analyze.h"
#include "../../searcher/highlight.h"
#include "../../searcher/query_parse.h"

static att_analyzer *an;

static void setup(void) { cr_assert_eq(att_analyzer_new(&an), ATT_OK); }
static void teardown(void) { att_analyzer_free(an); }

TestSuite(hl, .init = setup, .fini = teardown);

static att_hl *compile(const char *query)
{
    att_qnode *q = NULL;
    cr_assert_eq(att_query_parse(an, query, &q), ATT_OK, "[%s]: %s", query,
                 att_last_error());
    att_hl *hl = NULL;
    cr_assert_eq(att_hl_compile(q, &hl), ATT_OK);
    att_qnode_free(q);
    return hl;
}

static char *render(const att_snippet *s, unsigned flags)
{
    char *out = NULL;
    cr_assert_eq(att_snippet_format(&out, s, flags, "[", "]"), ATT_OK);
    return out;
}

/* The whole of `text` with its matches for `query` marked. */
static void whole(const char *query, int field, const char *text,
                  const char *want)
{
    att_hl *hl = compile(query);
    att_snippet s;
    cr_assert_eq(att_hl_whole(an, hl, field, text, strlen(text), &s), ATT_OK);
    char *got = render(&s, 0);
    cr_assert_str_eq(got, want, "[%s] on \"%s\":\n got  %s\n want %s", query,
                     text, got, want);
    att_string_free(got);
    att_hl_snippets_clear(&s, 1);
    att_hl_free(hl);
}

Test(hl, phrase_is_one_unit_and_its_words_alone_are_not_marked)
{
    whole("\"peace talks\"", ATT_HL_BODY,
          "The peace talks began. Talks about peace failed.",
          "The [peace talks] began. Talks about peace failed.");
}

Test(hl, phrase_matches_inflected_forms)
{
    whole("\"peace talk\"", ATT_HL_BODY, "Peace talks; a peace talk.",
          "[Peace talks]; a [peace talk].");
}

Test(hl, near_group_is_one_unit)
{
    /* ceasefire (1) and Doha (4) are 3 apart: a group; the lone Doha and
     * the distant ceasefire are not marked. */
    whole("ceasefire NEAR/3 Doha", ATT_HL_BODY,
          "A ceasefire agreed in Doha. Doha hosted many rounds of slow "
          "and difficult work before any ceasefire.",
          "A [ceasefire agreed in Doha]. Doha hosted many rounds of slow "
          "and difficult work before any ceasefire.");
    whole("Doha NEAR/3 ceasefire", ATT_HL_BODY,
          "A ceasefire agreed in Doha.", "A [ceasefire agreed in Doha].");
}

Test(hl, adj_is_ordered)
{
    whole("Istanbul ADJ/2 talks", ATT_HL_BODY,
          "Istanbul peace talks resumed; talks in Istanbul ended.",
          "[Istanbul peace talks] resumed; talks in Istanbul ended.");
}

Test(hl, stemmed_match)
{
    whole("negotiate", ATT_HL_BODY,
          "Negotiations continued; negotiators negotiated.",
          "[Negotiations] continued; [negotiators] [negotiated].");
}

Test(hl, exact_form_only)
{
    whole("=talks", ATT_HL_BODY, "One talk, two talks, Talks.",
          "One talk, two [talks], [Talks].");
}

Test(hl, folded_match_marks_the_original_bytes)
{
    const char *text = "T\xc3\xbcrkiye, \xc5\x81\xc3\xb3" "d\xc5\xba and "
                       "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2 met "
                       "in \xc4\xb0stanbul; Pakistan\xe2\x80\x99s envoy too.";
    att_hl *hl = compile("turkiye lodz Lavrov istanbul Pakistan's");
    att_snippet s;
    cr_assert_eq(att_hl_whole(an, hl, ATT_HL_BODY, text, strlen(text), &s), ATT_OK);
    cr_assert_eq(s.n_highlights, 5);
    const char *want[] = {"T\xc3\xbcrkiye", "\xc5\x81\xc3\xb3" "d\xc5\xba",
                          "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2",
                          "\xc4\xb0stanbul", "Pakistan\xe2\x80\x99s"};
    for (size_t i = 0; i < 5; i++) {
        size_t a = s.highlights[i].start, b = s.highlights[i].end;
        cr_assert_eq(b - a, strlen(want[i]), "highlight %zu length", i);
        cr_assert(memcmp(s.text + a, want[i], b - a) == 0,
                  "highlight %zu is the original \"%s\"", i, want[i]);
    }
    att_hl_snippets_clear(&s, 1);
    att_hl_free(hl);
}

Test(hl, title_field_only_in_title)
{
    whole("title:istanbul", ATT_HL_TITLE, "Talks in Istanbul",
          "Talks in [Istanbul]");
    whole("title:istanbul", ATT_HL_BODY, "Talks in Istanbul",
          "Talks in Istanbul");
}

/* Fragments of a body, rendered one per line, best first. */
static char *fragments(const char *query, const char *text, unsigned max,
                       size_t bytes)
{
    att_hl *hl = compile(query);
    att_snippet *f = NULL;
    size_t n = 0;
    cr_assert_eq(att_hl_fragments(an, hl, ATT_HL_BODY, text, strlen(text), max,
                                  bytes, &f, &n), ATT_OK, "%s", att_last_error());
    att_buf b = ATT_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        char *r = render(&f[i], ATT_FORMAT_ELLIPSIS | ATT_FORMAT_ONE_LINE);
        cr_assert_eq(att_buf_puts(&b, r), ATT_OK);
        cr_assert_eq(att_buf_putc(&b, '\n'), ATT_OK);
        att_string_free(r);
    }
    att_hl_snippets_clear(f, n);
    free(f);
    att_hl_free(hl);
    if (!b.data)
        cr_assert_eq(att_buf_reserve(&b, 1), ATT_OK);
    b.data[b.len] = '\0';
    return b.data;
}

static const char *long_text =
    "The foreign ministers met on Monday. They discussed trade, fishing "
    "rights and the weather at considerable length. Nothing was agreed. "
    "Mr. Lavrov said the ceasefire would hold until the spring. "
    "Observers doubted it. The delegations then left for the airport, "
    "where more reporters waited in the rain for any word at all. "
    "Later the envoy repeated that the ceasefire was fragile but real.";

Test(hl, fragment_starts_at_a_sentence_and_keeps_abbreviations)
{
    char *got = fragments("Lavrov ceasefire", long_text, 1, 120);
    /* ICU's sentence breaks with abbreviation suppression: "Mr." does not
     * end a sentence, so the fragment starts at "Mr. Lavrov"; it ends at
     * the last sentence end that fits. */
    cr_assert_str_eq(got, "…Mr. [Lavrov] said the [ceasefire] would hold until "
                          "the spring. Observers doubted it.…\n", "got %s", got);
    free(got);
}

Test(hl, fragments_show_different_words_best_first)
{
    /* Equal weights (no statistics given): the earlier anchor first; the
     * second fragment shows the other word, not the ceasefire again. */
    char *got = fragments("airport ceasefire", long_text, 2, 80);
    cr_assert_str_eq(got,
                     "…Mr. Lavrov said the [ceasefire] would hold until the "
                     "spring.…\n"
                     "…The delegations then left for the [airport], where more "
                     "reporters waited in the…\n", "got %s", got);
    free(got);
}

Test(hl, no_match_gives_the_lead)
{
    char *got = fragments("zanzibar", long_text, 3, 60);
    cr_assert_str_eq(got, "The foreign ministers met on Monday.…\n", "got %s", got);
    free(got);
}

/* No fragment or highlight ever splits a UTF-8 sequence, whatever the
 * fragment length asked for. */
Test(hl, fragments_never_split_utf8)
{
    att_buf t = ATT_BUF_INIT;
    for (int i = 0; i < 40; i++)
        cr_assert_eq(att_buf_puts(&t, "Переговоры в Стамбуле: Türkiye — "
                                      "Ελλάδα, Łódź, 北京. Лавров сказал «мир». "),
                     ATT_OK);
    att_hl *hl = compile("Lavrov turkiye lodz Athena");
    for (size_t bytes = 10; bytes < 400; bytes += 7) {
        att_snippet *f = NULL;
        size_t n = 0;
        cr_assert_eq(att_hl_fragments(an, hl, ATT_HL_BODY, t.data, t.len, 3,
                                      bytes, &f, &n), ATT_OK);
        cr_assert_gt(n, 0);
        for (size_t i = 0; i < n; i++) {
            size_t bad = 0;
            cr_assert(att_utf8_valid(f[i].text, f[i].len, &bad),
                      "bytes %zu fragment %zu invalid at %zu", bytes, i, bad);
            cr_assert_gt(f[i].n_highlights, 0);
            for (size_t h = 0; h < f[i].n_highlights; h++) {
                const att_range *r = &f[i].highlights[h];
                cr_assert_lt(r->start, r->end);
                cr_assert_leq(r->end, f[i].len);
                cr_assert_neq((unsigned char)f[i].text[r->start] & 0xC0, 0x80);
                cr_assert(r->end == f[i].len ||
                          ((unsigned char)f[i].text[r->end] & 0xC0) != 0x80);
            }
        }
        att_hl_snippets_clear(f, n);
        free(f);
    }
    att_hl_free(hl);
    att_buf_free(&t);
}

Test(render, forms)
{
    const char *text = "Fish & <chips>\n in  \"Türkiye\"";
    att_range hs[] = {{0, 4}, {21, 29}};
    att_snippet s = {text, strlen(text), hs, 2, 10, 0, 1};
    char *out = NULL;
    cr_assert_eq(att_snippet_format(&out, &s, 0, NULL, NULL), ATT_OK);
    cr_assert_str_eq(out, text, "plain: the text as it is");
    att_string_free(out);
    cr_assert_eq(att_snippet_format(&out, &s, ATT_FORMAT_ONE_LINE | ATT_FORMAT_ELLIPSIS,
                                    "\033[1m", "\033[0m"), ATT_OK);
    cr_assert_str_eq(out, "…\033[1mFish\033[0m & <chips> in \"\033[1mTürkiye\033[0m\"");
    att_string_free(out);
    cr_assert_eq(att_snippet_format(&out, &s, ATT_FORMAT_HTML | ATT_FORMAT_ONE_LINE,
                                    NULL, NULL), ATT_OK);
    cr_assert_str_eq(out, "<mark>Fish</mark> &amp; &lt;chips&gt; in &quot;"
                          "<mark>Türkiye</mark>&quot;");
    att_string_free(out);
    cr_assert_eq(att_snippet_format(NULL, &s, 0, NULL, NULL), ATT_INVALID);
}
