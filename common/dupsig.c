/*
 * dupsig.c: content signatures for collapsing duplicate stories (dupsig.h).
 *
 * (design and measured figures: to be written after the study)
 */
#include "dupsig.h"

#include <string.h>

const att_dup_params att_dup_default = {6, 3, 30, 0, 0};

/* MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit
 * over the output.  Plain integer arithmetic, so the same on every
 * platform. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

#define GOLDEN 0x9e3779b97f4a7c15ULL
#define POLY 0x100000001b3ULL /* odd, so the rolling sum is invertible */

uint64_t att_dup_word_hash(const char *form, size_t len)
{
    uint64_t digit = 0;
    for (size_t i = 0; i < len; i++)
        if (form[i] >= '0' && form[i] <= '9') {
            digit = 1;
            break;
        }
    return (mix64(att_hash64(form, len)) & ~1ULL) | digit;
}

att_status att_dup_begin(att_dup_acc *acc, const att_dup_params *p)
{
    memset(acc, 0, sizeof *acc);
    if (!p)
        p = &att_dup_default;
    if (p->k < 1 || p->k > ATT_DUP_MAX_K || p->b < 1 || p->b > ATT_DUP_MAX_B)
        return att_error_set(ATT_INVALID, "content signature parameters out "
                             "of range (k=%u, b=%u)", p->k, p->b);
    acc->p = *p;
    acc->poly_k = 1;
    for (unsigned i = 0; i < p->k; i++)
        acc->poly_k *= POLY;
    return ATT_OK;
}

/* Inserts h into the ascending array acc->min of at most b distinct
 * values, keeping the b smallest. */
static void keep_smallest(att_dup_acc *acc, uint64_t h)
{
    uint64_t *v = acc->min;
    size_t n = acc->nmin, b = acc->p.b;
    if (n == b && h >= v[b - 1])
        return;
    size_t i = n;
    while (i > 0 && v[i - 1] > h)
        i--;
    if (i > 0 && v[i - 1] == h)
        return; /* a repeated shingle counts once */
    size_t last = n < b ? n : b - 1;
    memmove(v + i + 1, v + i, (last - i) * sizeof *v);
    v[i] = h;
    if (n < b)
        acc->nmin++;
}

void att_dup_add_hash(att_dup_acc *acc, uint64_t word_hash)
{
    unsigned k = acc->p.k;
    if (k == 0)
        return; /* att_dup_begin() failed */
    /* The last k words' hashes as a polynomial in POLY (mod 2^64), rolled:
     * the word leaving the window is the one whose ring slot the new word
     * takes. */
    uint64_t *slot = &acc->ring[acc->words % k];
    acc->poly = acc->poly * POLY + word_hash;
    acc->digits += (unsigned)(word_hash & 1);
    if (acc->words >= k) {
        acc->poly -= *slot * acc->poly_k;
        acc->digits -= (unsigned)(*slot & 1);
    }
    *slot = word_hash;
    acc->words++;
    if (acc->words < k)
        return;
    uint64_t h = mix64(acc->poly + GOLDEN * k + acc->p.seed * POLY);
    if (acc->p.figures) /* the top bit ranks the shingles with figures first */
        h = acc->digits ? h >> 1 : (h >> 1) | (1ULL << 63);
    keep_smallest(acc, h);
}

void att_dup_add(att_dup_acc *acc, const char *form, size_t len)
{
    att_dup_add_hash(acc, att_dup_word_hash(form, len));
}

uint64_t att_dup_end(const att_dup_acc *acc)
{
    if (acc->p.k == 0 || acc->words < acc->p.min_words ||
        acc->nmin < acc->p.b)
        return 0;
    uint64_t key = GOLDEN * (acc->p.b + 1);
    for (size_t i = 0; i < acc->nmin; i++)
        key = mix64(key + acc->min[i] + GOLDEN);
    return key ? key : 1;
}

static att_status add_token(void *ctx, const att_token *t)
{
    att_dup_add(ctx, t->form, t->form_len);
    return ATT_OK;
}

att_status att_dup_signature_ex(att_analyzer *an, const char *body,
                                size_t len, const att_dup_params *p,
                                uint64_t *out)
{
    *out = 0;
    att_dup_acc acc;
    att_status st = att_dup_begin(&acc, p);
    if (st == ATT_OK)
        st = att_analyze(an, body, len, add_token, &acc);
    if (st == ATT_OK)
        *out = att_dup_end(&acc);
    return st;
}

att_status att_dup_signature(att_analyzer *an, const char *body, size_t len,
                             uint64_t *out)
{
    return att_dup_signature_ex(an, body, len, NULL, out);
}
