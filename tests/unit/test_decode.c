/* test_decode.c: the input decoder, att_decode() (rules in common/decode.c). */
#include "helpers.h"

#include "decode.h"

#include <unicode/ustring.h>

/* Every successful decode must give valid UTF-8, NUL-terminated, with no
 * NUL inside and no control character other than TAB, LF and CR. */
static void check_clean(const char *out, size_t n)
{
    cr_assert_not_null(out);
    cr_assert_eq(out[n], '\0', "not NUL-terminated");
    cr_assert(att_utf8_valid(out, n, NULL), "output is not valid UTF-8");
    const unsigned char *s = (const unsigned char *)out;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        cr_assert(c >= 0x20 || c == '\t' || c == '\n' || c == '\r',
                  "control byte %02x at %zu", c, i);
        cr_assert_neq(c, 0x7F, "DEL at %zu", i);
        if (c == 0xC2 && i + 1 < n)
            cr_assert(s[i + 1] >= 0xA0, "C1 control at %zu", i);
    }
}

/* Decodes, asserting success and a clean result; the caller frees. */
static char *dec(const char *in, size_t len, att_decode_stats *st)
{
    char *out = NULL;
    size_t n = 0;
    att_status rc = att_decode(in, len, &out, &n, st);
    cr_assert_eq(rc, ATT_OK, "att_decode: %s", att_last_error());
    check_clean(out, n);
    cr_assert_eq(strlen(out), n);
    return out;
}

static void expect(const char *in, size_t len, const char *want,
                   att_decode_stats *st)
{
    char *out = dec(in, len, st);
    cr_assert_str_eq(out, want, "decoding \"%s\"", in);
    free(out);
}

static void expect_unchanged_utf8(const char *s)
{
    att_decode_stats st;
    expect(s, strlen(s), s, &st);
    cr_assert_str_eq(st.encoding, "utf-8", "%s", s);
    cr_assert(!st.converted, "%s", s);
    cr_assert_eq(st.mojibake, 0, "%s", s);
    cr_assert_eq(st.invalid, 0, "%s", s);
    cr_assert_eq(st.controls, 0, "%s", s);
}

/* ---- UTF-8 --------------------------------------------------------------- */

Test(decode, ascii_unchanged)
{
    static const char *cases[] = {
        "",
        "a",
        "Hello, world.",
        "Peace Talks Resume\n\nThe talks resumed today.\n",
        "tab\there, CRLF\r\nend\r\n",
        "0123456789 ~!@#$%^&*()_+-=[]{}|;':\",./<>?`",
        "seventeen bytes!!twenty-four bytes of text",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_unchanged_utf8(cases[i]);
}

Test(decode, utf8_unchanged)
{
    static const char *cases[] = {
        "T\xc3\xbcrkiye",                              /* Türkiye */
        "\xc5\x81\xc3\xb3\x64\xc5\xba",                /* Łódź */
        "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2", /* Лавров */
        "Pakistan\xe2\x80\x99s",                       /* Pakistan’s */
        "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x94 \xe2\x82\xac 5 "
        "\xe2\x80\xa6",
        "emoji \xf0\x9f\x98\x80 and \xe4\xb8\xad\xe6\x96\x87",
        "caf\xc3\xa9\xe2\x80\x99s menu", /* café’s: é looks like a lead */
        "zero\xef\xbb\xbfwidth",         /* U+FEFF inside is kept */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_unchanged_utf8(cases[i]);
}

Test(decode, null_input_with_zero_length)
{
    char *out = NULL;
    size_t n = 1;
    att_decode_stats st;
    cr_assert_eq(att_decode(NULL, 0, &out, &n, &st), ATT_OK);
    cr_assert_str_eq(out, "");
    cr_assert_eq(n, 0);
    cr_assert_str_eq(st.encoding, "utf-8");
    free(out);
    cr_assert_eq(att_decode(NULL, 3, &out, &n, &st), ATT_INVALID);
    cr_assert_null(out);
    cr_assert_eq(att_decode("abc", 3, NULL, &n, &st), ATT_INVALID);
    /* stats may be NULL */
    cr_assert_eq(att_decode("abc", 3, &out, &n, NULL), ATT_OK);
    cr_assert_str_eq(out, "abc");
    free(out);
}

Test(decode, utf8_bom_removed)
{
    static const struct { const char *in, *want; } cases[] = {
        { "\xef\xbb\xbfHello", "Hello" },
        { "\xef\xbb\xbf", "" },
        { "\xef\xbb\xbfT\xc3\xbcrkiye\n", "T\xc3\xbcrkiye\n" },
        /* only the first one is a BOM */
        { "\xef\xbb\xbf" "a\xef\xbb\xbf" "b", "a\xef\xbb\xbf" "b" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        att_decode_stats st;
        expect(cases[i].in, strlen(cases[i].in), cases[i].want, &st);
        cr_assert_str_eq(st.encoding, "utf-8 with BOM");
        cr_assert(!st.converted);
        cr_assert_eq(st.controls + st.invalid + st.mojibake, 0);
    }
}

/* ---- UTF-16 -------------------------------------------------------------- */

/* Encodes UTF-8 `s` as UTF-16 bytes into buf (little- or big-endian,
 * optionally with a BOM); returns the byte count. */
static size_t to_utf16(const char *s, bool le, bool bom, char *buf, size_t cap)
{
    UChar u[256];
    int32_t n = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &n, s, -1, &err);
    cr_assert(U_SUCCESS(err));
    size_t o = 0;
    if (bom) {
        cr_assert_leq(o + 2, cap);
        buf[o++] = le ? '\xff' : '\xfe';
        buf[o++] = le ? '\xfe' : '\xff';
    }
    for (int32_t i = 0; i < n; i++) {
        cr_assert_leq(o + 2, cap);
        char lo = (char)(u[i] & 0xFF), hi = (char)(u[i] >> 8);
        buf[o++] = le ? lo : hi;
        buf[o++] = le ? hi : lo;
    }
    return o;
}

Test(decode, utf16_round_trip)
{
    static const char *text = "T\xc3\xbcrkiye \xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80"
                              "\xd0\xbe\xd0\xb2 \xf0\x9f\x98\x80\n";
    static const struct { bool le, bom; const char *enc; } cases[] = {
        { true, true, "utf-16le" },
        { false, true, "utf-16be" },
        { true, false, "utf-16le" },
        { false, false, "utf-16be" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[256];
        size_t n = to_utf16(text, cases[i].le, cases[i].bom, buf, sizeof buf);
        att_decode_stats st;
        expect(buf, n, text, &st);
        cr_assert_str_eq(st.encoding, cases[i].enc, "case %zu", i);
        cr_assert(st.converted);
        cr_assert_eq(st.invalid, 0);
        cr_assert_eq(st.controls, 0);
    }
}

Test(decode, utf16_unpaired_surrogates)
{
    /* BOM, "A", lone high surrogate, "B", lone low surrogate, "C" */
    static const char le[] = "\xff\xfe" "A\0" "\x00\xd8" "B\0" "\x00\xdc" "C\0";
    att_decode_stats st;
    expect(le, sizeof le - 1, "A\xef\xbf\xbd" "B\xef\xbf\xbd" "C", &st);
    cr_assert_str_eq(st.encoding, "utf-16le");
    cr_assert_eq(st.invalid, 2);
    /* A truncated last code unit is replaced too. */
    static const char be[] = "\xfe\xff" "\0A\0B" "\0";
    expect(be, sizeof be - 1, "AB\xef\xbf\xbd", &st);
    cr_assert_eq(st.invalid, 1);
}

Test(decode, utf16_controls_replaced)
{
    /* U+0000 and U+000C inside UTF-16 text are controls, not binary. */
    static const char le[] = "\xff\xfe" "a\0" "\0\0" "b\0" "\x0c\0" "c\0";
    att_decode_stats st;
    expect(le, sizeof le - 1, "a b\nc", &st);
    cr_assert_eq(st.controls, 2);
}

Test(decode, short_or_odd_input_is_not_sniffed_as_utf16)
{
    char *out = NULL;
    size_t n = 0;
    cr_assert_eq(att_decode("A\0", 2, &out, &n, NULL), ATT_ENCODING);
    cr_assert_eq(att_decode("A\0B\0C", 5, &out, &n, NULL), ATT_ENCODING);
    /* NULs on both sides: binary, not UTF-16. */
    cr_assert_eq(att_decode("A\0\0\0B\0\0\0", 8, &out, &n, NULL), ATT_ENCODING);
    cr_assert_null(out);
}

/* ---- single-byte and mixed input ----------------------------------------- */

Test(decode, windows_1252)
{
    static const char in[] = "caf\xe9 \x93quoted\x94 \x80 5";
    att_decode_stats st;
    expect(in, sizeof in - 1,
           "caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac 5", &st);
    cr_assert_str_eq(st.encoding, "windows-1252");
    cr_assert(st.converted);
    cr_assert_eq(st.invalid + st.controls + st.mojibake, 0);
}

Test(decode, iso_8859_1)
{
    att_decode_stats st;
    expect("Z\xfcrich", 6, "Z\xc3\xbcrich", &st);
    cr_assert_str_eq(st.encoding, "iso-8859-1");
    cr_assert(st.converted);
    expect("\xa3" "5 \xe0 la carte \xff", 15,
           "\xc2\xa3" "5 \xc3\xa0 la carte \xc3\xbf", &st);
    cr_assert_str_eq(st.encoding, "iso-8859-1");
}

Test(decode, windows_1252_undefined_bytes_are_controls)
{
    /* 81 and 9D are undefined in Windows-1252: ISO-8859-1 C1, then " ". */
    att_decode_stats st;
    expect("a\x81" "b\x9d", 4, "a b ", &st);
    cr_assert_str_eq(st.encoding, "windows-1252");
    cr_assert_eq(st.controls, 2);
}

Test(decode, utf8_with_stray_bytes)
{
    /* M = 4 valid multi-byte sequences (ü Ł ó ź), I = 3 invalid bytes. */
    static const char in[] = "T\xc3\xbcrkiye \xc5\x81\xc3\xb3" "d\xc5\xba "
                             "caf\xe9 \x93ok\x94";
    att_decode_stats st;
    expect(in, sizeof in - 1,
           "T\xc3\xbcrkiye \xc5\x81\xc3\xb3" "d\xc5\xba caf\xc3\xa9 "
           "\xe2\x80\x9cok\xe2\x80\x9d", &st);
    cr_assert_str_eq(st.encoding, "utf-8 with invalid bytes");
    cr_assert(st.converted);
    cr_assert_eq(st.invalid, 3);
    cr_assert_eq(st.controls, 0);
    /* An undefined byte is counted as invalid and as a control. */
    expect("\xc3\xa9\x8d", 3, "\xc3\xa9 ", &st);
    cr_assert_str_eq(st.encoding, "utf-8 with invalid bytes");
    cr_assert_eq(st.invalid, 1);
    cr_assert_eq(st.controls, 1);
    /* A BOM then Latin-1: the BOM is still dropped. */
    expect("\xef\xbb\xbf" "caf\xe9", 7, "caf\xc3\xa9", &st);
    cr_assert_str_eq(st.encoding, "iso-8859-1");
}

Test(decode, more_invalid_than_valid_is_single_byte)
{
    /* M = 1 (ü) < I = 2: the whole input is ISO-8859-1, and the "Ã¼" that
     * reading gives is then repaired as mojibake. */
    att_decode_stats st;
    expect("\xe9\xe9 \xc3\xbc", 5, "\xc3\xa9\xc3\xa9 \xc3\xbc", &st);
    cr_assert_str_eq(st.encoding, "iso-8859-1");
    cr_assert_eq(st.mojibake, 1);
}

Test(decode, stray_byte_table_agrees_with_icu)
{
    /* The same byte after "é" once as UTF-8 with a stray byte (decode.c's
     * table) and once as single-byte text (ICU's windows-1252). */
    for (unsigned b = 0x80; b <= 0xFF; b++) {
        char mixed[4] = { '\xc3', '\xa9', (char)b, 0 };
        char single[3] = { '\xe9', (char)b, 0 };
        att_decode_stats s1, s2;
        char *o1 = dec(mixed, 3, &s1);
        char *o2 = dec(single, 2, &s2);
        cr_assert_str_eq(s1.encoding, "utf-8 with invalid bytes", "%02x", b);
        cr_assert_neq(strcmp(s2.encoding, "utf-8"), 0, "%02x", b);
        cr_assert_str_eq(o1, o2, "byte %02x", b);
        cr_assert_eq(s1.invalid, 1);
        free(o1);
        free(o2);
    }
}

/* ---- binary -------------------------------------------------------------- */

static void expect_binary(const char *in, size_t len, const char *where)
{
    char *out = (char *)1;
    size_t n = 7;
    att_decode_stats st;
    cr_assert_eq(att_decode(in, len, &out, &n, &st), ATT_ENCODING);
    cr_assert_null(out);
    cr_assert_eq(n, 0);
    cr_assert_null(st.encoding);
    cr_assert_not_null(strstr(att_last_error(), "binary data (a NUL byte)"),
                       "%s", att_last_error());
    cr_assert_not_null(strstr(att_last_error(), where), "%s (want %s)",
                       att_last_error(), where);
}

Test(decode, nul_byte_is_binary)
{
    static const char two[] = "line one\nline\0two";
    expect_binary(two, sizeof two - 1, "line 2, byte 13");
    expect_binary("\0", 1, "line 1, byte 0");
    static const char bom[] = "\xef\xbb\xbf" "a\n\nb\0";
    expect_binary(bom, sizeof bom - 1, "line 3, byte 7");
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    expect_binary(png, sizeof png - 1, "line 3, byte 8");
    static const char latin[] = "caf\xe9\nx\0";
    expect_binary(latin, sizeof latin - 1, "line 2, byte 6");
}

/* ---- control characters -------------------------------------------------- */

Test(decode, control_characters)
{
    static const struct { const char *in, *want; size_t controls; } cases[] = {
        { "page one\fpage two", "page one\npage two", 1 },
        { "\f\f", "\n\n", 2 },
        { "a\vb", "a\nb", 1 },
        { "a\x01" "b\x1b[0m\x7f", "a b [0m ", 3 },
        { "keep\ttab\r\nand lf\n", "keep\ttab\r\nand lf\n", 0 },
        { "next\xc2\x85line \xc2\x9f", "next line  ", 2 },     /* C1 */
        { "\xef\xbb\xbf\f", "\n", 1 },
        { "nbsp\xc2\xa0kept", "nbsp\xc2\xa0kept", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        att_decode_stats st;
        expect(cases[i].in, strlen(cases[i].in), cases[i].want, &st);
        cr_assert_eq(st.controls, cases[i].controls, "case %zu: %zu", i,
                     st.controls);
        cr_assert_eq(st.mojibake, 0);
        cr_assert(!st.converted);
    }
}

/* ---- mojibake ------------------------------------------------------------ */

Test(decode, mojibake_ungdc_kinds_repaired)
{
    static const struct { const char *bad, *good; } kinds[] = {
        { "\xc3\xa2\xe2\x82\xac\xe2\x80\x9d", "\xe2\x80\x94" }, /* â€” → — */
        { "\xc3\xa2\xe2\x82\xac\xc5\x93", "\xe2\x80\x9c" },     /* â€œ → “ */
        { "\xc3\xa2\xe2\x82\xac\xc2\x9d", "\xe2\x80\x9d" },     /* â€\x9d → ” */
        { "\xc3\x83\xc2\xa9", "\xc3\xa9" },                     /* Ã© → é */
        { "\xc3\xa2\xe2\x82\xac\xe2\x84\xa2", "\xe2\x80\x99" }, /* â€™ → ’ */
        { "\xc3\x83\xc2\xb4", "\xc3\xb4" },                     /* Ã´ → ô */
        { "\xc3\x83\xc2\xb1", "\xc3\xb1" },                     /* Ã± → ñ */
        { "\xc3\x83\xc2\xbc", "\xc3\xbc" },                     /* Ã¼ → ü */
        { "\xc3\x83\xc2\xb3", "\xc3\xb3" },                     /* Ã³ → ó */
        { "\xc3\x83\xc2\xaa", "\xc3\xaa" },                     /* Ãª → ê */
        { "\xc3\x83\xc2\xad", "\xc3\xad" },                     /* Ã\xad → í */
        { "\xc3\x83\xc2\xa1", "\xc3\xa1" },                     /* Ã¡ → á */
        { "\xc3\x82\xc2\xa3", "\xc2\xa3" },                     /* Â£ → £ */
        /* ðŸ˜€ → 😀 (four bytes) */
        { "\xc3\xb0\xc5\xb8\xcb\x9c\xe2\x82\xac", "\xf0\x9f\x98\x80" },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        char in[64], want[64];
        snprintf(in, sizeof in, "Jos%s said", kinds[i].bad);
        snprintf(want, sizeof want, "Jos%s said", kinds[i].good);
        att_decode_stats st;
        expect(in, strlen(in), want, &st);
        cr_assert_eq(st.mojibake, 1, "kind %zu", i);
        cr_assert_eq(st.controls, 0, "kind %zu", i);
        cr_assert_str_eq(st.encoding, "utf-8");
        cr_assert(!st.converted);
        /* At the very start and end of the text too. */
        expect(kinds[i].bad, strlen(kinds[i].bad), kinds[i].good, &st);
        cr_assert_eq(st.mojibake, 1, "kind %zu alone", i);
    }
}

Test(decode, mojibake_counted_per_sequence)
{
    static const char in[] = "It\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s "
                             "Jos\xc3\x83\xc2\xa9 "
                             "\xc3\xa2\xe2\x82\xac\xe2\x80\x9d ok\f";
    att_decode_stats st;
    expect(in, sizeof in - 1,
           "It\xe2\x80\x99s Jos\xc3\xa9 \xe2\x80\x94 ok\n", &st);
    cr_assert_eq(st.mojibake, 3);
    cr_assert_eq(st.controls, 1);
}

Test(decode, mojibake_in_converted_text)
{
    /* Windows-1252 bytes that spell double-encoded UTF-8 once decoded:
     * C3 A9 would be valid UTF-8, so a stray byte forces single-byte. */
    att_decode_stats st;
    expect("\xe9t\xe9 Jos\xc3\xa9", 9, "\xc3\xa9t\xc3\xa9 Jos\xc3\xa9", &st);
    cr_assert_str_eq(st.encoding, "iso-8859-1");
    cr_assert_eq(st.mojibake, 1);
}

Test(decode, mojibake_negatives_unchanged)
{
    static const char *cases[] = {
        "S\xc3\x83O PAULO",            /* SÃO */
        "\xc3\x83" "bc",               /* Ã then ASCII */
        "\xc2\xa3" "5",                /* £5 */
        "caf\xc3\xa9",                 /* café */
        "na\xc3\xafve",                /* naïve */
        "\xc3\x82 ",                   /* Â at a word end */
        "word\xc3\x82",                /* Â at the end of the text */
        "\xc3\x83",                    /* Ã alone */
        "\xc3\xa2\xe2\x82\xac ok",     /* â€ then ASCII: lead lacks a byte */
        "\xc3\xa0\xe2\x82\xac\xe2\x82\xac", /* à€€: E0 80 80 is overlong */
        "\xc3\xad\xc2\xa0\xe2\x82\xac", /* í €: ED A0 80 is a surrogate */
        "\xc3\xb4\xc2\xa1\xe2\x82\xac\xe2\x82\xac", /* ô¡€€: past U+10FFFF */
        "\xc3\x81\xc2\xa9",            /* Á©: C1 is not a lead byte */
        "\xc3\x83\xc3\x83",            /* ÃÃ */
        "\xc3\xa9\xe2\x80\x99s",       /* é’s */
        "\xc3\xa2\xe2\x80\x94",        /* â— : E2 97 needs a third byte */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_unchanged_utf8(cases[i]);
}

Test(decode, mojibake_giving_a_control_is_not_repaired)
{
    /* Â + U+0085 would be C2 85, a C1 control: not repaired; the C1 alone
     * is then replaced. */
    att_decode_stats st;
    expect("\xc3\x82\xc2\x85", 4, "\xc3\x82 ", &st);
    cr_assert_eq(st.mojibake, 0);
    cr_assert_eq(st.controls, 1);
}

/* ---- fuzz ---------------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

Test(decode, random_bytes_never_crash, .timeout = 120)
{
    enum { MAX = 1 << 20 };
    /* Alphabets that reach the interesting paths more often than uniform
     * bytes (which nearly always contain a NUL). */
    static const unsigned char moji[] = { 0xC3, 0xC2, 0xA9, 0xE2, 0x82, 0xAC,
                                          0x80, 0x9D, 0x83, 0xC5, 0x93, 'a',
                                          ' ', '\f', 0xEF, 0xBB, 0xBF, 0xF0 };
    static const char *pieces[] = {
        "a", "e", " ", "\n", "\r\n", "\t", "\f", "\x01", "\x7f",
        "\xc3\xa9", "\xe2\x80\x99", "\xd0\x9b", "\xf0\x9f\x98\x80",
        "\xef\xbb\xbf", "\xc2\x85", "\xc2\xa0", "\xc3\x83", "\xc3\x82",
        "\xc3\xa2", "\xc3\xb0", "\xc2\xa9", "\xe2\x82\xac", "\xc2\x9d",
        "\xe2\x80\x9d", "\xc5\x93", "\xc5\xb8", "\xcb\x9c",
    };
    char *buf = malloc(MAX);
    cr_assert_not_null(buf);
    size_t ok = 0, binary = 0;
    for (int iter = 0; iter < 200; iter++) {
        size_t len = iter % 20 == 0 ? rng() % MAX : rng() % 4096;
        int mode = iter % 7;
        for (size_t i = 0; mode == 6 && i < len;) {
            /* UTF-8 pieces, mojibake and controls, a few stray bytes */
            uint32_t r = rng();
            if (r % 64 == 0) {
                buf[i++] = (char)(0x80 + (r >> 8) % 128);
                continue;
            }
            const char *p = pieces[(r >> 8) % (sizeof pieces / sizeof *pieces)];
            size_t pl = strlen(p);
            if (pl > len - i)
                pl = len - i; /* may cut a sequence: another invalid byte */
            memcpy(buf + i, p, pl);
            i += pl;
        }
        for (size_t i = 0; mode != 6 && i < len; i++) {
            uint32_t r = rng();
            unsigned char c;
            switch (mode) {
            case 0: c = (unsigned char)r; break;                  /* uniform */
            case 1: c = (unsigned char)(r % 255 + 1); break;      /* no NUL */
            case 2: c = r % 16 ? (unsigned char)(0x20 + r % 95)   /* ASCII + */
                               : (unsigned char)(0x80 + (r >> 8) % 128);
                    break;
            case 3: c = moji[r % sizeof moji]; break;
            case 4: /* UTF-16LE-ish: most odd bytes NUL */
                    c = i % 2 ? (r % 8 ? 0 : (unsigned char)(r >> 8))
                              : (unsigned char)(r >> 8);
                    break;
            default: c = (unsigned char)(r % 8 ? 0x20 + (r >> 8) % 95 : r >> 8);
                    break;
            }
            buf[i] = (char)c;
        }
        if (iter % 7 == 3 && len >= 2) { /* sometimes a UTF-16 BOM */
            buf[0] = iter % 2 ? '\xff' : '\xfe';
            buf[1] = iter % 2 ? '\xfe' : '\xff';
        }
        char *out = NULL;
        size_t n = 0;
        att_decode_stats st;
        att_status rc = att_decode(buf, len, &out, &n, &st);
        if (rc == ATT_OK) {
            check_clean(out, n);
            cr_assert_not_null(st.encoding);
            bool valid = att_utf8_valid(buf, len, NULL) && !memchr(buf, 0, len);
            if (valid && (len < 3 || memcmp(buf, "\xef\xbb\xbf", 3)))
                cr_assert_str_eq(st.encoding, "utf-8", "iter %d", iter);
            free(out);
            ok++;
        } else {
            cr_assert_eq(rc, ATT_ENCODING, "iter %d: %s", iter,
                         att_last_error());
            cr_assert_null(out);
            binary++;
        }
    }
    cr_assert_gt(ok, 50, "only %zu inputs decoded", ok);
    cr_assert_gt(binary, 10);
    free(buf);
}
