/*
 * dupsig.c: content signatures for collapsing duplicate stories (dupsig.h).
 *
 * How.  The body's folded word forms, as att_analyze() yields them (so
 * case, accents, scripts, punctuation, line breaks and encodings are gone
 * already), are hashed (FNV-1a, then MurmurHash3's finaliser).  Every run
 * of k = 6 consecutive words, a shingle, gets a 64-bit hash (a rolling
 * polynomial of its word hashes, finalised).  The signature combines the
 * b = 3 smallest distinct shingle hashes of the body, in ascending order
 * (bottom-b MinHash).  Two bodies share it exactly when the three smallest
 * hashes of the union of their shingle sets all lie in the intersection:
 * for a random hash that is C(i,3) / C(u,3), i and u the sizes of the
 * intersection and the union, about J^3 with J = i/u the Jaccard
 * similarity of the shingle sets.  Identical word sequences always
 * share it; a body whose words differ here and there keeps it unless an
 * edit touches one of the 3 anchor shingles (18 word positions) or makes a
 * new shingle that hashes below them: about 2bk/n of its n positions.
 * Fewer than 30 words (min_words), or fewer than 3 distinct shingles: 0,
 * no signature, never collapsed.  Streaming: no allocation, ~16 ns a token.
 *
 * Measured with tests/bench/dupsig_study.c on ../shared/data (BBC 2,225
 * articles, Reuters-21578 21,578 stories as make-corpora.py converts them,
 * UN General Debate 1998-2024 5,155 speeches).  J5 is the Jaccard of word
 * 5-shingle sets; "reference pairs" are all pairs with J5 >= 0.5 (BBC
 * 169, Reuters 791, UNGDC none).  `build/bench/dupsig-study --sweep --ks
 * 3,4,5,6,7,8 --bs 1,2,3,4 --seeds 3` (means over 3 hash functions):
 *
 *   k b | false pairs   | recall   | keep: word  line  append | quote  follow
 *       | (J5 < 0.5)    | J5>=0.9  | (BBC/Reuters)            | 50 w   -up
 *   6 1 | 34/1980/817   | 0.953    | .97/.88 .93/.87 .98/.96  | .121   .155
 *   5 2 | 1/439/3       | 0.947    | .94/.82 .87/.79 .96/.86  | .026   .035
 *   6 2 | 2/148/1       | 0.944    | .93/.78 .87/.78 .97/.91  | .025   .034
 *   7 2 | 1/127/0       | 0.951    | .91/.75 .86/.79 .94/.88  | .025   .033
 *   4 3 | 2/68/1        | 0.947    | .92/.78 .81/.72 .90/.76  | .007   .009
 *   5 3 | 1/54/0        | 0.937    | .92/.74 .81/.71 .93/.78  | .007   .009
 *   6 3 | 1/19/0        | 0.937    | .90/.70 .81/.70 .96/.86  | .007   .008  <-
 *   7 3 | 0/22/0        | 0.942    | .86/.66 .80/.71 .93/.84  | .006   .008
 *   6 4 | 0/5/0         | 0.928    | .87/.61 .75/.64 .94/.81  | .002   .002
 *
 * false = equal-key pairs with J5 < 0.5 in BBC/Reuters/UNGDC; keep =
 * fraction of 1,000 articles keeping their key when one word is changed,
 * the first line dropped, a boilerplate line appended; quote = B quoting
 * 50 consecutive words of an unrelated A, follow = B followed by A's
 * opening third (20,000 pairs each): fraction with A's key.  b = 1 is
 * hopeless (thousands of false pairs: shared stock phrases, "congratulate
 * you on your election"); b = 2 collapses 2.5% of stories quoting 50
 * words of another and 3.4% of follow-ups; b = 4 loses 2-9 points of
 * robustness; with b = 3, k = 6 has a third of k = 5's false pairs (wire
 * templates filled with other figures) for 2-4 points of robustness to
 * changed words.
 * Rejected alternatives, same table: anchors forced apart (each next one
 * at least 50 shingles from those taken, so one shared passage cannot
 * hold them all; --gaps 0,50): k6 b2 gap 50 gives false 2/61/1, keep
 * .94/.77 .84/.71 .96/.85, quote .005, follow .019; k6 b3 gap 50 false
 * 1/9/0, keep .90/.69 .72/.57 .93/.75: cuts quote collisions but needs
 * every shingle in memory and loses robustness to dropped lines.  Shingles
 * with figures ranked first (--figs 1): more false pairs (4/125/0 at k6
 * b3: dates and "mln dlrs" are shared), robustness to a changed figure
 * .34/.32.  min_words (--mins 20,30,50,100 at k6 b3): false Reuters pairs
 * 22/19/16/5, recall 0.955/0.937/0.906/0.709; 30 keeps Reuters briefs
 * (dividend notices whose company is only in the title) out.
 *
 * The chosen k = 6, b = 3, min_words = 30, `build/bench/dupsig-study`:
 *  - BBC: the 98 byte-identical pairs all share a key; 159 groups, 161
 *    pairs: 138 with J5 = 1 (the 98, 35 retitled copies, 5 differing in
 *    punctuation or spacing), 15 in [0.9, 1) (corrected copies), 7 in
 *    [0.5, 0.9) (versions of one story), 1 at 0.27 (two write-ups of one
 *    event).  Reference pairs found: 15/16 at J5 [0.9, 1), 7/15 below.
 *  - Reuters: 3,129 stories without a signature (1,798 briefs have no
 *    body); 460 groups, 505 pairs: 326 at J5 = 1 (all identical pairs of
 *    30 words or more), 67 in [0.9, 1), 102 in [0.5, 0.9), 10 in
 *    [0.2, 0.5): 5 versions of one story, 5 different stories from one
 *    template (eurobond and Swiss franc note issues, weekly power output);
 *    none below 0.2.  Reference pairs: 66/80 at [0.9, 1), 103/365 below.
 *  - UN General Debate: no equal keys (no near-duplicates either).
 *  - Edits, 1,000 articles each, BBC/Reuters/UNGDC, keeping the key: one
 *    word changed 90/69/98%, three words 73/39/94%, one figure 89/72/97%,
 *    first line dropped 82/70/97%, boilerplate line appended 96/86/100%,
 *    byline or dateline prepended 96/90/99%, last sentence dropped
 *    79/96/99%; title changed, text re-wrapped (CRLF, 60 columns, double
 *    spaces), upper case with typographic quotes and dashes: 100%.
 *    Short texts are the weak spot: an edit is a larger share of them.
 *  - Related stories (20,000 pairs): B quoting 25/50/100/200 words of A
 *    shares A's key in 0.10/0.75/2.2/5.0% of pairs, B followed by A's
 *    opening third in 0.8%; A with 5/10/25/50% new text appended keeps
 *    its key in 86/75/49/28% (an update: collapsing it is a judgement).
 *  - Cost (`dupsig-study --time-only --passes 9`, 88 MB of bodies, 14.2
 *    million tokens, 3 runs on a shared 2-core machine): att_analyze()
 *    alone 115-121 MB/s; att_dup_signature(), which analyses the body
 *    itself, 99-100 MB/s; att_dup_add() on tokens already analysed
 *    15-16 ns a token, +16 to +24% of the analysis time.  Indexing the UN
 *    speeches (66.5 MB, 10.6 million tokens, `attache index --jobs 1`)
 *    takes 25 s: att_dup_signature() as a second pass would add about
 *    0.7 s (3%), att_dup_add() fed from the indexer's own analysis about
 *    0.17 s (0.7%).
 *
 * Limits.  Bodies that are the same text under different titles collapse,
 * by design; short ones are where that would be wrong (Reuters' dividend
 * notices), hence min_words.  A story and its update with a quarter more
 * text share a key half the time; boilerplate the reader does not strip (a footer on every
 * article of one site) adds the same shingles to unrelated bodies, so
 * short articles of one site can collide, and a copy with a footer loses
 * the key when a footer shingle hashes below the body's anchors.  The
 * values are stored in indexes: changing anything here (parameters,
 * hashes, the analyser's folding) changes every signature and needs a
 * re-index; tests/unit/test_dupsig.c pins two values.
 */
#include "dupsig.h"

#include <string.h>

const att_dup_params att_dup_default = {6, 3, 30, 0, 0};

/* MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit
 * over the output.  Plain integer arithmetic, so the same on every
 * platform. */
uint64_t att_dup_mix64(uint64_t x)
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
    /* att_hash64() (FNV-1a), with the digit test in the same loop. */
    uint64_t h = 14695981039346656037ULL, digit = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)form[i];
        digit |= (uint64_t)((unsigned)c - '0' <= 9u);
        h = (h ^ c) * 1099511628211ULL;
    }
    return (att_dup_mix64(h) & ~1ULL) | digit;
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
    uint64_t h = att_dup_mix64(acc->poly + GOLDEN * k + acc->p.seed * POLY);
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
        key = att_dup_mix64(key + acc->min[i] + GOLDEN);
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
