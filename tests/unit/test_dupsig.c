/* test_dupsig.c: the content signature that collapses duplicate stories
 * (common/dupsig.c): copies and surface variants share it, small edits
 * keep it, other stories do not share it, short texts have none, and it is
 * the same on every run and platform.  The two stories are made up for
 * this test. */
#include "helpers.h"

#include "dupsig.h"

static att_analyzer *an;

static void setup(void) { cr_assert_eq(att_analyzer_new(&an), ATT_OK); }
static void teardown(void) { att_analyzer_free(an); }

TestSuite(dupsig, .init = setup, .fini = teardown);

static const char STORY[] =
    "Foreign ministers from twelve countries agreed on Tuesday to open talks "
    "on a treaty to share the waters of the Kessel river, ending a dispute "
    "that has strained relations across the basin for more than a decade.\n\n"
    "The agreement, reached after two days of closed meetings in Zurich, "
    "commits the governments to a first round of negotiations in March and "
    "to an independent survey of the river's flow, which farmers downstream "
    "say has fallen by a third since the largest dam was filled in 2011.\n\n"
    "\"This is not yet a treaty, but it is the first time in eleven years "
    "that everyone has sat at the same table,\" said the mediator, a former "
    "judge from Lodz who has shuttled between the capitals since the spring. "
    "She said the survey would be paid for by a fund of 40 million euros, to "
    "which Turkiye and two other observers had pledged half.\n\n"
    "Officials from the upstream states, which depend on the dam for most "
    "of their electricity, said they would not accept limits on how much "
    "water it may hold back in dry years. Delegations from the lowland "
    "states want a guaranteed minimum flow in the summer months, when "
    "irrigation needs are highest and the river is at its lowest.\n\n"
    "The talks were nearly abandoned on Monday night after a delegate "
    "walked out over a map that showed a disputed border village on the "
    "wrong side of the line. The map was withdrawn, and the foreign "
    "minister of the host country, Mr Lavrov's counterpart at the meeting, "
    "apologised at a cafe near the conference centre, according to two "
    "people who were present.\n\n"
    "Aid agencies welcomed the agreement but warned that the drought now "
    "in its third year could displace more people before any treaty takes "
    "effect. The next round is due to open on 14 March in the same hotel, "
    "and the survey team is expected to report by the end of the year.";

static const char OTHER[] =
    "The national carrier will cut a fifth of its routes this winter and "
    "retire its oldest long-haul aircraft early, its chief executive said "
    "on Friday, blaming the price of fuel and weak demand for business "
    "travel since the autumn.\n\n"
    "The airline, which lost money in each of the last three quarters, "
    "said it would keep its flights to the capitals of its main trading "
    "partners but suspend services to six holiday destinations until the "
    "spring. About 900 jobs will go, mostly through voluntary departures, "
    "and pilots have been offered a shorter working week in return for "
    "guarantees against compulsory redundancies.\n\n"
    "Unions said they had not been consulted and would ballot their "
    "members on strike action next month. Shares in the company rose by "
    "four per cent after the announcement, as analysts said the cuts were "
    "deeper than expected and should return the group to profit by the "
    "end of next year.\n\n"
    "The government, which owns a quarter of the airline, said it would "
    "not put in more money and that the board was free to pursue a merger "
    "with a foreign rival if it chose to do so.";

static uint64_t sig(const char *s, size_t n)
{
    uint64_t k = 42;
    att_status st = att_dup_signature(an, s, n, &k);
    cr_assert_eq(st, ATT_OK, "att_dup_signature: %s", att_last_error());
    return k;
}

static uint64_t sigs(const char *s) { return sig(s, strlen(s)); }

/* A malloc'd copy of s with every `from` (which must occur) replaced by
 * `to`. */
static char *replace_all(const char *s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = s; (p = strstr(p, from)); p += fl)
        n++;
    cr_assert_gt(n, 0, "\"%s\" is not in the text", from);
    char *out = malloc(strlen(s) + n * (tl > fl ? tl - fl : 0) + 1);
    cr_assert_not_null(out);
    char *o = out;
    for (const char *p = s;;) {
        const char *q = strstr(p, from);
        if (!q) {
            strcpy(o, p);
            break;
        }
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, tl);
        o += tl;
        p = q + fl;
    }
    return out;
}

/* Replaces s (malloc'd) by replace_all(s, from, to). */
static char *swap(char *s, const char *from, const char *to)
{
    char *r = replace_all(s, from, to);
    free(s);
    return r;
}

Test(dupsig, identical_texts_share_a_signature)
{
    uint64_t k = sigs(STORY);
    cr_assert_neq(k, 0);
    char *copy = strdup(STORY);
    cr_assert_eq(sigs(copy), k);
    free(copy);
    /* Titles are not an input, so a retitled copy is the same body. */
}

Test(dupsig, white_space_and_line_breaks_do_not_matter)
{
    uint64_t k = sigs(STORY);
    /* Re-wrapped: every space a line break, paragraphs as CRLF, tabs. */
    char *t = replace_all(STORY, " ", "\n");
    cr_assert_eq(sigs(t), k);
    free(t);
    t = replace_all(STORY, "\n\n", "\r\n\t  \r\n");
    t = swap(t, ". ", ".  ");
    cr_assert_eq(sigs(t), k);
    free(t);
    /* Leading and trailing blank lines, non-breaking spaces. */
    t = replace_all(STORY, " the ", "\xc2\xa0the\xc2\xa0");
    size_t n = strlen(t);
    char *u = malloc(n + 8);
    cr_assert_not_null(u);
    memcpy(u, "\n\n  ", 4);
    memcpy(u + 4, t, n);
    memcpy(u + 4 + n, "\n\n\n", 4);
    cr_assert_eq(sigs(u), k);
    free(t);
    free(u);
}

Test(dupsig, case_punctuation_and_typography_do_not_matter)
{
    uint64_t k = sigs(STORY);
    char *t = strdup(STORY);
    for (char *p = t; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    cr_assert_eq(sigs(t), k, "upper case");
    free(t);
    t = replace_all(STORY, "'", "\xe2\x80\x99");      /* ’ */
    t = swap(t, "\"This", "\xe2\x80\x9cThis");          /* “ */
    t = swap(t, "table,\"", "table,\xe2\x80\x9d");      /* ” */
    t = swap(t, ", ", " - ");
    t = swap(t, ". ", "; ");
    cr_assert_eq(sigs(t), k, "quotes, dashes, punctuation");
    free(t);
}

Test(dupsig, accents_scripts_and_encoding_artefacts_do_not_matter)
{
    uint64_t k = sigs(STORY);
    char *t = replace_all(STORY, "Zurich", "Z\xc3\xbcrich");     /* Zürich */
    t = swap(t, "Lodz", "\xc5\x81\xc3\xb3\x64\xc5\xba");         /* Łódź */
    t = swap(t, "Turkiye", "T\xc3\xbcrkiye");                    /* Türkiye */
    t = swap(t, "cafe", "cafe\xcc\x81");                         /* café, NFD */
    t = swap(t, "Lavrov", "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2"); /* Лавров */
    cr_assert_eq(sigs(t), k, "accents and Cyrillic");
    free(t);
    /* Invalid bytes and control characters separate words, as spaces do. */
    t = replace_all(STORY, "\n\n", "\n\xff\x01\n");
    t = swap(t, "same table", "same\xc3table");
    cr_assert_eq(sigs(t), k, "stray bytes");
    free(t);
}

/* One changed word keeps the signature unless it falls in one of the b
 * shingles whose hashes are combined (k words each) or one of the k new
 * shingles it makes hashes below them: about 2*b*k/shingles of the
 * positions.  With k = 6, b = 3, replacing any one of this 322-word
 * story's words by an unseen word keeps it for 277 of them (86%; dupsig.c
 * has the measured rates on real stories: 90% of BBC stories keep their
 * signature).  The three anchors here are "ending a dispute that has
 * strained", "an independent survey of the river's" and "who has shuttled
 * between the capitals"; the edits below avoid them and were checked to
 * keep it, so the test pins them.  If the parameters change, choose edits
 * again (the property test below is the parameter-independent check). */
Test(dupsig, one_changed_word_in_a_long_text)
{
    uint64_t k = sigs(STORY);
    char *t = replace_all(STORY, "twelve countries", "thirteen countries");
    cr_assert_eq(sigs(t), k, "a corrected figure");
    free(t);
    t = replace_all(STORY, "apologised", "apologized");
    cr_assert_eq(sigs(t), k, "a spelling");
    free(t);
    t = replace_all(STORY, "nearly abandoned", "almost abandoned");
    cr_assert_eq(sigs(t), k, "a rewording");
    free(t);
}

/* Pseudo-random text over a vocabulary of made-up words (fixed seed). */
static uint64_t rng;
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void make_word(char *w, uint64_t x)
{
    static const char cons[] = "bcdfghklmnprstvz", vow[] = "aeiou";
    int n = 2 + (int)(x % 3);
    char *p = w;
    for (int i = 0; i < n; i++) {
        x /= 3;
        *p++ = cons[x % 16];
        x /= 16;
        *p++ = vow[x % 5];
        x /= 5;
    }
    *p = '\0';
}

/* `words` words drawn from a vocabulary of `vocab` (Zipf-like: the low
 * ranks are frequent), separated by spaces, a full stop every 17. */
static char *make_text(uint64_t seed, size_t words, size_t vocab)
{
    rng = seed;
    char *t = malloc(words * 16 + 1);
    cr_assert_not_null(t);
    char *p = t;
    for (size_t i = 0; i < words; i++) {
        uint64_t r = next();
        size_t rank = (size_t)((r % vocab) * ((r >> 32) % vocab) / vocab);
        char w[16];
        make_word(w, rank * 2654435761u + 7);
        p += sprintf(p, "%s%s", w, i % 17 == 16 ? ". " : " ");
    }
    *p = '\0';
    return t;
}

Test(dupsig, property_most_single_word_changes_keep_the_signature)
{
    const size_t words = 1000;
    char *t = make_text(1, words, 3000);
    uint64_t k = sigs(t);
    cr_assert_neq(k, 0);
    /* Change each word in turn to a word of its own length that the text
     * does not contain ("q" is in no made-up word). */
    size_t kept = 0, n = 0;
    for (char *p = t; *p;) {
        while (*p == ' ' || *p == '.')
            p++;
        if (!*p)
            break;
        char *e = p;
        while (*e && *e != ' ' && *e != '.')
            e++;
        char saved = *p;
        *p = 'q';
        kept += sigs(t) == k;
        n++;
        *p = saved;
        p = e;
    }
    cr_assert_eq(n, words);
    cr_assert_eq(sigs(t), k, "restored");
    /* Expected: 1 - 2*b*k/shingles, 96% with k = 6, b = 3; allow twice the
     * expected losses. */
    double frac = (double)kept / (double)n;
    cr_log_info("single-word changes keeping the signature: %zu of %zu", kept, n);
    double expect = 1.0 - 2.0 * att_dup_default.b * att_dup_default.k / (double)words;
    cr_assert_geq(frac, 1.0 - 2 * (1.0 - expect), "kept %.3f", frac);
    cr_assert_lt(kept, n, "some changes must change it: it depends on the text");
    free(t);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

Test(dupsig, unrelated_texts_differ)
{
    cr_assert_neq(sigs(STORY), sigs(OTHER));
    cr_assert_neq(sigs(OTHER), 0);
    /* 2,000 made-up texts of 60 words over one vocabulary: no two share a
     * signature. */
    enum { N = 2000 };
    uint64_t *k = malloc(N * sizeof *k);
    cr_assert_not_null(k);
    for (size_t i = 0; i < N; i++) {
        char *t = make_text(100 + i, 60, 2000);
        k[i] = sigs(t);
        cr_assert_neq(k[i], 0);
        free(t);
    }
    qsort(k, N, sizeof *k, cmp_u64);
    for (size_t i = 1; i < N; i++)
        cr_assert_neq(k[i - 1], k[i], "two texts share %#llx",
                      (unsigned long long)k[i]);
    free(k);
}

Test(dupsig, a_story_quoting_another_differs)
{
    /* OTHER quoting the mediator's paragraph of STORY: 65 words holding
     * one of STORY's three anchor shingles, but not the other two. */
    const char *q = strstr(STORY, "\"This is not yet");
    const char *qe = strstr(STORY, "pledged half.");
    cr_assert(q && qe);
    size_t ql = (size_t)(qe + strlen("pledged half.") - q);
    size_t ol = strlen(OTHER);
    char *t = malloc(ol + ql + 4);
    cr_assert_not_null(t);
    const char *cut = strstr(OTHER, "\n\nUnions");
    size_t head = (size_t)(cut - OTHER);
    memcpy(t, OTHER, head);
    memcpy(t + head, "\n\n", 2);
    memcpy(t + head + 2, q, ql);
    memcpy(t + head + 2 + ql, OTHER + head, ol - head + 1);
    cr_assert_neq(sigs(t), sigs(STORY));
    /* (Against OTHER it is OTHER with a quarter more text: an updated
     * story, which may keep OTHER's signature.) */
    free(t);
}

Test(dupsig, short_texts_have_no_signature)
{
    cr_assert_eq(sig("", 0), 0);
    cr_assert_eq(sigs("Too short to judge."), 0);
    cr_assert_eq(sigs(" ... --- !!! \n\n"), 0);
    /* Just under and at the minimum. */
    unsigned min = att_dup_default.min_words;
    char *t = make_text(7, min, 5000);
    cr_assert_neq(sigs(t), 0, "%u words", min);
    char *last = strrchr(t, ' ');
    cr_assert_not_null(last);
    *last = '\0';
    last = strrchr(t, ' ');
    *last = '\0';               /* min - 1 words */
    cr_assert_eq(sigs(t), 0, "%u words", min - 1);
    free(t);
    /* Long, but too few distinct shingles to judge. */
    char buf[2000] = "";
    for (int i = 0; i < 200; i++)
        strcat(buf, "blah ");
    cr_assert_eq(sigs(buf), 0);
}

Test(dupsig, deterministic)
{
    uint64_t k = sigs(STORY);
    /* Again, after other texts filled the analyser's caches, and with a
     * second analyser. */
    sigs(OTHER);
    cr_assert_eq(sigs(STORY), k);
    att_analyzer *an2 = NULL;
    cr_assert_eq(att_analyzer_new(&an2), ATT_OK);
    uint64_t k2 = 0;
    cr_assert_eq(att_dup_signature(an2, STORY, strlen(STORY), &k2), ATT_OK);
    att_analyzer_free(an2);
    cr_assert_eq(k2, k);
    /* The same values on every platform and run: signatures are stored in
     * indexes, so changing these means re-indexing (and a schema bump). */
    cr_assert_eq(att_dup_word_hash("talks", 5), 0xb047304b48ac12e2ULL, "word hash %#llx",
                 (unsigned long long)att_dup_word_hash("talks", 5));
    cr_assert_eq(k, 0x242f77d1ed95c6dcULL, "signature %#llx", (unsigned long long)k);
}

static att_status feed(void *ctx, const att_token *t)
{
    att_dup_add(ctx, t->form, t->form_len);
    return ATT_OK;
}

/* What an indexer that already analyses the body does. */
Test(dupsig, accumulator_fed_by_the_analyser_gives_the_same_signature)
{
    const char *texts[] = {STORY, OTHER, "Too short.", ""};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        att_dup_acc acc;
        cr_assert_eq(att_dup_begin(&acc, NULL), ATT_OK);
        cr_assert_eq(att_analyze(an, texts[i], strlen(texts[i]), feed, &acc), ATT_OK);
        cr_assert_eq(att_dup_end(&acc), sigs(texts[i]), "text %zu", i);
    }
    /* A failed begin leaves an accumulator that gives no signature. */
    att_dup_acc acc;
    att_dup_params p = att_dup_default;
    p.k = ATT_DUP_MAX_K + 1;
    cr_assert_eq(att_dup_begin(&acc, &p), ATT_INVALID);
    att_dup_add(&acc, "word", 4);
    cr_assert_eq(att_dup_end(&acc), 0);
}

Test(dupsig, parameters_are_checked)
{
    uint64_t k = 42;
    att_dup_params p = att_dup_default;
    p.k = 0;
    cr_assert_eq(att_dup_signature_ex(an, STORY, strlen(STORY), &p, &k), ATT_INVALID);
    cr_assert_eq(k, 0);
    p = att_dup_default;
    p.b = ATT_DUP_MAX_B + 1;
    cr_assert_eq(att_dup_signature_ex(an, STORY, strlen(STORY), &p, &k), ATT_INVALID);
    cr_assert_eq(att_dup_signature_ex(an, STORY, strlen(STORY), NULL, &k), ATT_OK);
    cr_assert_eq(k, sigs(STORY), "NULL = the defaults");
}
