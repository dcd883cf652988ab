/*
 * gen_corpus.h: a generated corpus for the end-to-end tests of indexing
 * operations (test_crash.c, test_ops.c): n small articles a0000.txt ...
 * in one directory, made from fixed word lists with a fixed seed, so
 * every run writes the same bytes.  Article i has a date in 2024
 * (month 1 + i % 12, day 1 + i % 28), source "Wire<i % 3>", a title
 * "Report <i>: <place> <word>" (so the word "report" is in every
 * article), a body of about 150 words naming one of ten places the entity
 * dictionary knows, and a word of its own, gen_corpus_tag(i) (five
 * letters, found in that article only).
 */
#ifndef ATT_GEN_CORPUS_H
#define ATT_GEN_CORPUS_H

#include "e2e.h"

#include <stdint.h>

static const char *const gen_words[] = {
    "talks",   "ceasefire", "minister", "border",  "trade",      "envoy",
    "summit",  "treaty",    "sanctions", "election", "parliament", "protest",
    "refugees", "aid",      "mediation", "troops",  "pipeline",   "tariff",
    "vote",    "council"};
/* Places of the entity dictionary: ten distinct place entities. */
static const char *const gen_places[] = {"Pakistan", "Afghanistan", "Qatar",
                                         "Turkey",   "Iran",        "India",
                                         "China",    "Kabul",       "Doha",
                                         "Ankara"};
#define GEN_N_PLACES 10

static inline uint64_t gen_next(uint64_t *s)
{
    /* xorshift64* */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* Article i's own word: "zq" and three letters. */
static inline const char *gen_corpus_tag(int i, char buf[8])
{
    snprintf(buf, 8, "zq%c%c%c", 'a' + i / 676 % 26, 'a' + i / 26 % 26,
             'a' + i % 26);
    return buf;
}

/* Writes articles first .. first + n - 1 into `dir` (made if needed). */
static inline void gen_corpus(const char *dir, int first, int n, uint64_t seed)
{
    mkdir(dir, 0700);
    uint64_t s = seed ? seed : 1;
    size_t nw = sizeof gen_words / sizeof gen_words[0];
    for (int i = first; i < first + n; i++) {
        char path[4200], tag[8], text[4096];
        int pl = snprintf(path, sizeof path, "%s/a%04d.txt", dir, i);
        cr_assert(pl > 0 && (size_t)pl < sizeof path);
        const char *place = gen_places[gen_next(&s) % GEN_N_PLACES];
        int len = snprintf(text, sizeof text,
                           "Date: 2024-%02d-%02d\nSource: Wire%d\n\n"
                           "Report %d: %s %s\n\n%s said",
                           1 + i % 12, 1 + i % 28, i % 3, i, place,
                           gen_words[gen_next(&s) % nw], place);
        for (int k = 0; k < 150; k++)
            len += snprintf(text + len, sizeof text - (size_t)len, " %s%s",
                            gen_words[gen_next(&s) % nw],
                            gen_next(&s) % 10 == 0 ? "." : "");
        len += snprintf(text + len, sizeof text - (size_t)len, " %s.\n",
                        gen_corpus_tag(i, tag));
        cr_assert(len > 0 && (size_t)len < sizeof text);
        e2e_write(path, text, (size_t)len);
    }
}

#endif
