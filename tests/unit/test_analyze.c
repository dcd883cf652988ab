/* test_analyze.c: the analyser (common/analyze.h). */
#include "helpers.h"

#include "analyze.h"

#define MAXTOK 64

typedef struct tok {
    char form[300];
    char stem[300];
    size_t start, end;
    uint32_t pos;
} tok;

typedef struct toks {
    tok t[MAXTOK];
    size_t n;
} toks;

static att_status collect(void *ctx, const att_token *k)
{
    toks *ts = ctx;
    cr_assert_lt(ts->n, MAXTOK);
    tok *t = &ts->t[ts->n++];
    cr_assert_lt(k->form_len, sizeof t->form);
    cr_assert_lt(k->stem_len, sizeof t->stem);
    cr_assert_eq(strlen(k->form), k->form_len, "form is NUL-terminated at its length");
    memcpy(t->form, k->form, k->form_len);
    t->form[k->form_len] = '\0';
    memcpy(t->stem, k->stem, k->stem_len);
    t->stem[k->stem_len] = '\0';
    t->start = k->start;
    t->end = k->end;
    t->pos = k->pos;
    return ATT_OK;
}

static toks *run(const char *text, size_t len)
{
    static toks ts;
    memset(&ts, 0, sizeof ts);
    att_analyzer *an = NULL;
    cr_assert_eq(att_analyzer_new(&an), ATT_OK);
    cr_assert_eq(att_analyze(an, text, len, collect, &ts), ATT_OK);
    att_analyzer_free(an);
    return &ts;
}

static toks *runs(const char *text) { return run(text, strlen(text)); }

#define TOK(ts, i, f, s, a, b, p)                                            \
    do {                                                                     \
        cr_assert_str_eq((ts)->t[i].form, f, "token %d form", i);            \
        cr_assert_str_eq((ts)->t[i].stem, s, "token %d stem", i);            \
        cr_assert_eq((ts)->t[i].start, (size_t)(a), "token %d start", i);    \
        cr_assert_eq((ts)->t[i].end, (size_t)(b), "token %d end", i);        \
        cr_assert_eq((ts)->t[i].pos, (uint32_t)(p), "token %d pos", i);      \
    } while (0)

Test(analyze, words_positions_offsets)
{
    toks *ts = runs("  Peace talks, resumed!");
    cr_assert_eq(ts->n, 3);
    TOK(ts, 0, "peace", "peac", 2, 7, 0);
    TOK(ts, 1, "talks", "talk", 8, 13, 1);
    TOK(ts, 2, "resumed", "resum", 15, 22, 2);
}

Test(analyze, multibyte_offsets)
{
    /* "Türkiye’s talks": ü is 2 bytes, ’ is 3 bytes. */
    const char *s = "T\xc3\xbcrkiye\xe2\x80\x99s talks";
    toks *ts = runs(s);
    cr_assert_eq(ts->n, 2);
    cr_assert_str_eq(ts->t[0].form, "turkiye's");
    cr_assert_eq(ts->t[0].start, 0);
    cr_assert_eq(ts->t[0].end, 12);
    cr_assert_str_eq(ts->t[0].stem, "turkiy", "stem %s", ts->t[0].stem);
    cr_assert_null(strchr(ts->t[0].stem, '\''), "possessive stripped: %s",
                   ts->t[0].stem);
    TOK(ts, 1, "talks", "talk", 13, 18, 1);
}

Test(analyze, apostrophes_inside_words)
{
    toks *ts = runs("Pakistan\xe2\x80\x99s stance, don't 'quoted' end'");
    cr_assert_eq(ts->n, 5);
    cr_assert_str_eq(ts->t[0].form, "pakistan's");
    cr_assert_str_eq(ts->t[0].stem, "pakistan");
    cr_assert_eq(ts->t[0].end, 12);
    cr_assert_str_eq(ts->t[1].stem, "stanc");
    cr_assert_str_eq(ts->t[2].form, "don't");
    /* Leading and trailing apostrophes are not part of the word. */
    cr_assert_str_eq(ts->t[3].form, "quoted");
    cr_assert_eq(ts->t[3].start, 28);
    cr_assert_eq(ts->t[3].end, 34);
    cr_assert_str_eq(ts->t[4].form, "end");
    cr_assert_eq(ts->t[4].end, 39);
}

Test(analyze, hyphen_splits_into_consecutive_positions)
{
    toks *ts = runs("the Afghanistan-Pakistan border");
    cr_assert_eq(ts->n, 4);
    TOK(ts, 1, "afghanistan", "afghanistan", 4, 15, 1);
    TOK(ts, 2, "pakistan", "pakistan", 16, 24, 2);
    cr_assert_eq(ts->t[3].pos, 3);
}

Test(analyze, case_folding)
{
    toks *ts = runs("STRASSE Stra\xc3\x9f" "e \xc4\xb0stanbul \xce\xa3\xce\x99\xce\x93\xce\x9c\xce\x91");
    cr_assert_eq(ts->n, 4);
    cr_assert_str_eq(ts->t[0].form, "strasse");
    cr_assert_str_eq(ts->t[1].form, "strasse", "full folding of sharp s");
    /* U+0130 folds, locale-neutral and without the dot, to plain "i". */
    cr_assert_str_eq(ts->t[2].form, "istanbul");
    cr_assert_eq(ts->t[2].start, 16);
    cr_assert_eq(ts->t[2].end, 25, "byte range of the original text");
    cr_assert_str_eq(ts->t[3].form, "sigma", "Greek is transliterated");
}

Test(analyze, stemming)
{
    toks *ts = runs("talks negotiations Negotiating countries");
    cr_assert_eq(ts->n, 4);
    cr_assert_str_eq(ts->t[0].stem, "talk");
    cr_assert_str_eq(ts->t[1].stem, "negoti");
    cr_assert_str_eq(ts->t[2].stem, "negoti");
    cr_assert_str_eq(ts->t[3].stem, "countri");
    cr_assert_str_eq(ts->t[3].form, "countries");
}

Test(analyze, numbers_unstemmed)
{
    toks *ts = runs("48-hour 2025 1990s 3.5");
    cr_assert_eq(ts->n, 6);
    TOK(ts, 0, "48", "48", 0, 2, 0);
    cr_assert_str_eq(ts->t[1].stem, "hour");
    cr_assert_str_eq(ts->t[2].stem, "2025");
    cr_assert_str_eq(ts->t[3].form, "1990s");
    cr_assert_str_eq(ts->t[3].stem, "1990s", "words with digits are not stemmed");
    cr_assert_str_eq(ts->t[4].form, "3");
    cr_assert_str_eq(ts->t[5].form, "5");
}

Test(analyze, invalid_utf8_separates_words)
{
    const char s[] = "abc\xff" "def\xc3(ghi\xed\xa0\x80jkl";
    toks *ts = run(s, sizeof s - 1);
    cr_assert_eq(ts->n, 4);
    TOK(ts, 0, "abc", "abc", 0, 3, 0);
    TOK(ts, 1, "def", "def", 4, 7, 1);
    TOK(ts, 2, "ghi", "ghi", 9, 12, 2);
    TOK(ts, 3, "jkl", "jkl", 15, 18, 3);
    for (size_t i = 0; i < ts->n; i++)
        for (const char *p = ts->t[i].form; *p; p++)
            cr_assert_lt((unsigned char)*p, 0x80, "invalid byte in term");
}

Test(analyze, control_characters_separate)
{
    toks *ts = runs("one\ttwo\x01three\nfour");
    cr_assert_eq(ts->n, 4);
    cr_assert_str_eq(ts->t[2].form, "three");
    cr_assert_eq(ts->t[3].pos, 3);
}

Test(analyze, long_words_skipped_but_take_a_position)
{
    char s[200];
    char w64[65], w65[66];
    memset(w64, 'a', 64);
    w64[64] = '\0';
    memset(w65, 'b', 65);
    w65[65] = '\0';
    snprintf(s, sizeof s, "first %s %s last", w65, w64);
    toks *ts = runs(s);
    cr_assert_eq(ts->n, 3, "the 65-byte word is skipped");
    cr_assert_str_eq(ts->t[0].form, "first");
    cr_assert_eq(ts->t[1].pos, 2, "64-byte word at position 2");
    cr_assert_eq(strlen(ts->t[1].form), 64);
    cr_assert_str_eq(ts->t[2].form, "last");
    cr_assert_eq(ts->t[2].pos, 3);
}

Test(analyze, long_non_ascii_word_skipped)
{
    /* 70 letters "é" fold to 70 bytes "e": over the limit. */
    char s[256] = "x ";
    for (int i = 0; i < 70; i++)
        strcat(s, "\xc3\xa9");
    strcat(s, " y");
    toks *ts = runs(s);
    cr_assert_eq(ts->n, 2);
    cr_assert_str_eq(ts->t[1].form, "y");
    cr_assert_eq(ts->t[1].pos, 2);
}

static att_status stop_after_two(void *ctx, const att_token *t)
{
    (void)t;
    int *n = ctx;
    return ++*n == 2 ? ATT_CORRUPT : ATT_OK;
}

Test(analyze, callback_status_stops)
{
    att_analyzer *an = NULL;
    cr_assert_eq(att_analyzer_new(&an), ATT_OK);
    int n = 0;
    cr_assert_eq(att_analyze(an, "a b c d", 7, stop_after_two, &n), ATT_CORRUPT);
    cr_assert_eq(n, 2);
    att_analyzer_free(an);
}

Test(analyze, empty_and_punctuation_only)
{
    cr_assert_eq(runs("")->n, 0);
    cr_assert_eq(runs(" ... -- !? ")->n, 0);
}

/* ---- att_analyzer_stem_only() ------------------------------------------- */

#include <dirent.h>

typedef struct firsts {
    size_t words, stemmed;
    const uint64_t *set;
} firsts;

/* Every stem starts with its word's first byte (what stem_only relies
 * on), and with a set, exactly the words starting in it are stemmed. */
static att_status check_first(void *ctx, const att_token *k)
{
    firsts *f = ctx;
    unsigned char b = (unsigned char)k->form[0];
    bool in = !f->set || (f->set[b >> 6] >> (b & 63) & 1);
    f->words++;
    if (!in) {
        cr_assert_eq(k->stem_len, 0, "\"%s\" is stemmed though its first byte "
                     "is not in the set", k->form);
        cr_assert_str_eq(k->stem, "");
        return ATT_OK;
    }
    f->stemmed++;
    cr_assert_gt(k->stem_len, 0);
    cr_assert_eq(k->stem[0], k->form[0], "stem \"%.*s\" of \"%s\" starts with "
                 "another byte", (int)k->stem_len, k->stem, k->form);
    return ATT_OK;
}

/* Over the bundled corpus (the sample articles and the 2024 UN General
 * Debate speeches: 380,747 words), then a text with a set of first
 * bytes. */
Test(analyze, stems_start_with_the_word_and_stem_only_skips_the_rest)
{
    const char *src = getenv("ATTACHE_SRC");
    static const char *dirs[] = {"corpus/samples", "corpus/ungdc-79"};
    att_analyzer *an = NULL;
    cr_assert_eq(att_analyzer_new(&an), ATT_OK);
    firsts f = {0};
    size_t files = 0;
    for (size_t d = 0; d < 2; d++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", src && *src ? src : ".", dirs[d]);
        DIR *dir = opendir(path);
        cr_assert_not_null(dir, "cannot open %s (set ATTACHE_SRC)", path);
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (!strstr(e->d_name, ".txt"))
                continue;
            char file[8192];
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            FILE *fp = fopen(file, "rb");
            cr_assert_not_null(fp, "%s", file);
            static char buf[1 << 20];
            size_t n = fread(buf, 1, sizeof buf, fp);
            fclose(fp);
            cr_assert_eq(att_analyze(an, buf, n, check_first, &f), ATT_OK);
            files++;
        }
        closedir(dir);
    }
    cr_assert_geq(files, 150);
    cr_assert_gt(f.words, 100000, "%zu words", f.words);
    cr_assert_eq(f.stemmed, f.words);

    /* Only words starting with t or n are stemmed. */
    uint64_t set[4] = {0};
    set['t' >> 6] |= (uint64_t)1 << ('t' & 63);
    set['n' >> 6] |= (uint64_t)1 << ('n' & 63);
    att_analyzer_stem_only(an, set);
    firsts g = {.set = set};
    const char *text = "The talks on nuclear weapons in Istanbul ended; Türkiye's "
                       "negotiators said nothing.";
    cr_assert_eq(att_analyze(an, text, strlen(text), check_first, &g), ATT_OK);
    cr_assert_eq(g.words, 12);
    cr_assert_eq(g.stemmed, 6); /* the talks nuclear turkiye's negotiators nothing */
    /* And back to every word. */
    att_analyzer_stem_only(an, NULL);
    firsts h = {0};
    cr_assert_eq(att_analyze(an, text, strlen(text), check_first, &h), ATT_OK);
    cr_assert_eq(h.stemmed, 12);
    att_analyzer_free(an);
}

/* ---- sentence boundaries ------------------------------------------------ */

/* att_sentence_before() is the last boundary at or before the byte asked
 * about, the same whatever was asked before (the boundaries are found by
 * walking the text forward once): after a line's end, a bullet, "Mr."
 * (no boundary), a question; inside a multi-byte character right after a
 * boundary it is that boundary (ICU's preceding() would give the one
 * before). */
Test(analyze, sentence_before)
{
    const char *text = "We serve the people.\n\xe2\x80\xa2  Mr. President, 2024 marks "
                       "the fifth time.\n\xe2\x80\xa2  In closing? We thank you.";
    size_t len = strlen(text);
    /* The boundaries: 0, after "people.\n" (21), after "time.\n" (68),
     * after "closing? " (85), the end (98). */
    cr_assert_eq(len, 98);
    cr_assert_eq((size_t)(strstr(text, "time.\n") + 6 - text), 68);
    size_t want[4] = {0, 21, 68, 85};
    att_analyzer *an = NULL;
    cr_assert_eq(att_analyzer_new(&an), ATT_OK);
    for (int order = 0; order < 2; order++) {
        cr_assert_eq(att_sentences_set(an, text, len), ATT_OK);
        for (size_t k = 0; k <= len; k++) {
            size_t at = order ? len - k : k; /* forward, then backward */
            size_t w = 0;
            for (int i = 0; i < 4; i++)
                if (want[i] <= at)
                    w = want[i];
            if (at == len)
                w = len;
            cr_assert_eq(att_sentence_before(an, at), w, "at %zu (order %d)", at, order);
        }
    }
    /* A new text replaces the old one's boundaries. */
    cr_assert_eq(att_sentences_set(an, "One. Two.", 9), ATT_OK);
    cr_assert_eq(att_sentence_before(an, 7), 5);
    cr_assert_eq(att_sentence_before(an, 3), 0);
    att_analyzer_free(an);
}

/* In a long text, places far apart are asked about directly and the walk
 * starts again from there (analyze.c, SENT_JUMP): the answers equal a
 * walk of the whole text, asked in any order, on a UTF-8 text with
 * characters of two, three and four bytes. */
Test(analyze, sentence_before_far_apart)
{
    static char text[40000];
    size_t len = 0;
    static const char *parts[] = {
        "The talks resumed in Istanbul. ",
        "\xe2\x80\xa2  Mr. Dar met the T\xc3\xbcrkiye delegation.\n",
        "Was it enough? ",
        "No \xf0\x9f\x99\x82 one said so.  ",
        "The U.N. envoy, Dr. Smith, left at 5 p.m. on Monday. ",
        "Prices rose 3.5 per cent in Q3.\n\n",
    };
    for (int i = 0; len < sizeof text - 200; i++) {
        const char *p = parts[(i * 7 + i / 5) % 6];
        memcpy(text + len, p, strlen(p));
        len += strlen(p);
    }
    att_analyzer *ref = NULL, *an = NULL;
    cr_assert_eq(att_analyzer_new(&ref), ATT_OK);
    cr_assert_eq(att_analyzer_new(&an), ATT_OK);
    cr_assert_eq(att_sentences_set(ref, text, len), ATT_OK);
    static size_t want[40000];
    for (size_t at = 0; at <= len; at++) /* a walk over the whole text */
        want[at] = att_sentence_before(ref, at);
    cr_assert_gt(want[len - 1], 30000);
    for (int order = 0; order < 3; order++) {
        cr_assert_eq(att_sentences_set(an, text, len), ATT_OK);
        unsigned seed = 7;
        for (size_t k = 0; k < 20000; k++) {
            size_t at;
            if (order == 0) { /* random places */
                seed = seed * 1103515245u + 12345u;
                at = (seed >> 8) % (len + 1);
            } else if (order == 1) { /* strides with steps around them */
                at = (k / 40) * 3001 % (len + 1) + k % 40 * 13;
                if (at > len)
                    at = len;
            } else { /* backwards */
                at = len - k * 2 % (len + 1);
            }
            cr_assert_eq(att_sentence_before(an, at), want[at], "at %zu (order %d, k %zu)",
                         at, order, k);
        }
    }
    att_analyzer_free(ref);
    att_analyzer_free(an);
}
