#!/usr/bin/env python3
"""passage.py: the third round's idea 1 (docs/EVALUATION.md, "Third round
of ideas"; declared in round3-declaration.md before it was measured):
best-passage evidence (Callan 1994; Kaszkiel & Zobel) re-scoring the
engine's top 100.  An experiment, not part of `make eval`.

For each query, the engine's BM25 run's top 100 are re-scored as
    (1 - lambda) * doc + lambda * passage
with `doc` the engine's score and `passage` the BM25 score (k1 1.8, b 0.9,
Xapian 1.4's idf from the collection's document frequencies) of the
article's best window of 150 words (windows start every 75 words and stop
at the first that reaches the article's end; each counts as 150 words
long, except a whole article shorter than that), over the question's
distinct stems without stop words; both min-max normalised over the top
100.  Ranks below 100 follow, in the engine's order.

How to run it, from the repository root (needs ../shared/data/time):

  make build/attache build/eval/eval-run && make eval
  python3 tests/eval/eval.py --any               # the default measured then
  cc -std=c11 -O2 -Icommon -Isearcher -o build/eval/passage-dump \\
     tests/eval/experiments/passage_dump.c build/libattache.a \\
     $(pkg-config --libs xapian-core icu-i18n icu-uc jansson libxml-2.0) \\
     -lstemmer -lstdc++ -lm -lpthread
  build/eval/passage-dump build/eval/time/docs \\
     build/eval/time/queries.attache-or.tsv > build/eval/terms.txt
  python3 tests/eval/experiments/passage.py [--held-out]

It writes build/eval/runs/passage-<lambda>.trec for the declared grid and
prints odd-query TIME.REL MAP per lambda, the neighbourhood means, the
choice, its p-value against the engine's run (significance.py's test);
with --held-out also the even and all-judged figures (computed only after
the choice).
Python 3 standard library only.
"""
import argparse
import math
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import significance  # noqa: E402
import trec_eval  # noqa: E402

GRID = [0.1, 0.2, 0.3, 0.4, 0.5]
DEPTH = 100
WINDOW, STEP = 150, 75
K1, B = 1.8, 0.9


def read_terms(path):
    docs, queries = {}, {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "D":
                toks = []
                for t in parts[2:]:
                    p, s = t.split(":", 1)
                    toks.append((int(p), s))
                docs[parts[1]] = toks
            elif parts[0] == "Q":
                queries[parts[1]] = parts[2:]
    return docs, queries


def xapian_idf(n_docs, df):
    """Xapian 1.4 BM25Weight's term weight without relevance information."""
    tw = (n_docs - df + 0.5) / (df + 0.5)
    if tw < 2:
        tw = tw * 0.5 + 1
    return math.log(tw)


def best_passage(toks, qterms, idf):
    """The best window's BM25 score."""
    if not toks:
        return 0.0
    length = toks[-1][0] + 1
    norm = WINDOW if length >= WINDOW else length
    K = K1 * ((1 - B) + B * norm / WINDOW)
    qset = set(qterms)
    hits = [(p, s) for p, s in toks if s in qset]
    best = 0.0
    start = 0
    while True:
        end = start + WINDOW
        tf = {}
        for p, s in hits:
            if start <= p < end:
                tf[s] = tf.get(s, 0) + 1
        score = sum(idf[s] * (K1 + 1) * f / (K + f) for s, f in tf.items())
        best = max(best, score)
        if end >= length:
            break
        start += STEP
    return best


def minmax(vals):
    lo, hi = min(vals), max(vals)
    return [(v - lo) / (hi - lo) if hi > lo else 1.0 for v in vals]


def rescore(run, docs, queries, idf, lam):
    out = {}
    for qid, items in run.items():
        ranked = trec_eval.ranking(items)
        top, rest = ranked[:DEPTH], ranked[DEPTH:]
        score = dict(items)
        dn = minmax([score[d] for d in top])
        pn = minmax([best_passage(docs[d], queries[qid], idf) for d in top])
        fused = [((1 - lam) * a + lam * b, d) for d, a, b in zip(top, dn, pn)]
        # Below the top 100: the engine's order, under every re-scored one.
        n = len(rest)
        out[qid] = [(d, s) for s, d in fused] + \
            [(d, -1.0 - i / (n + 1)) for i, d in enumerate(rest)]
    return out


def write_run(path, run, tag):
    with open(path, "w") as f:
        for qid in sorted(run, key=int):
            for rank, d in enumerate(trec_eval.ranking(run[qid]), 1):
                s = dict(run[qid])[d]
                f.write(f"{qid} Q0 {d} {rank} {s!r} {tag}\n")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--held-out", action="store_true")
    a = ap.parse_args(argv)
    ev = os.path.join(a.build, "eval")
    docs, queries = read_terms(os.path.join(ev, "terms.txt"))
    df = {}
    for toks in docs.values():
        for s in {s for _, s in toks}:
            df[s] = df.get(s, 0) + 1
    idf = {s: xapian_idf(len(docs), n) for s, n in df.items()}
    for q in queries.values():
        for s in q:
            idf.setdefault(s, 0.0)   # in no article
    qrels = trec_eval.read_qrels(os.path.join(ev, "time", "qrels.rel"))
    # The engine's default when this was measured (ec60b82): BM25's
    # ranking alone, which `eval.py --any` wrote as attache-or.trec then.
    base = trec_eval.read_run(os.path.join(ev, "runs",
                                           "attache-or.trec"))
    odd = significance.subset_qids(qrels, "odd")

    def mapof(run, subset="odd"):
        qids = significance.subset_qids(qrels, subset)
        return trec_eval.evaluate(qrels, run, True, qids)["mean"]["map"]

    results = {}
    for lam in GRID:
        tag = f"passage-{lam:g}"
        path = os.path.join(ev, "runs", tag + ".trec")
        write_run(path, rescore(base, docs, queries, idf, lam), tag)
        results[lam] = trec_eval.read_run(path)
    base_odd = mapof(base)
    print(f"engine default: odd {base_odd:.4f}")
    odd_map = {lam: mapof(r) for lam, r in results.items()}
    smooth = {}
    for i, lam in enumerate(GRID):
        nb = [GRID[j] for j in (i - 1, i, i + 1) if 0 <= j < len(GRID)]
        smooth[lam] = sum(odd_map[x] for x in nb) / len(nb)
    for lam in GRID:
        print(f"lambda {lam:g}: odd {odd_map[lam]:.4f} "
              f"(neighbourhood {smooth[lam]:.4f})")
    chosen = max(GRID, key=lambda x: (smooth[x], -x))
    ra = trec_eval.evaluate(qrels, base, True, odd)["per_query"]
    rb = trec_eval.evaluate(qrels, results[chosen], True, odd)["per_query"]
    diffs = [rb[q]["map"] - ra[q]["map"] for q in odd]
    p = significance.randomization(diffs, 100000)
    print(f"chosen lambda {chosen:g}: odd {odd_map[chosen]:.4f}, "
          f"{odd_map[chosen] - base_odd:+.4f} against the default, p = {p:.2f}"
          f" (better on {sum(d > 1e-12 for d in diffs)}, worse on "
          f"{sum(d < -1e-12 for d in diffs)})")
    if a.held_out:
        print(f"engine default: even {mapof(base, 'even'):.4f}, "
              f"all {mapof(base, 'all'):.4f}")
        for lam in GRID:
            print(f"lambda {lam:g}: even {mapof(results[lam], 'even'):.4f}, "
                  f"all {mapof(results[lam], 'all'):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
