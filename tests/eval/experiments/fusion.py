#!/usr/bin/env python3
"""fusion.py: the third round's idea 2 (docs/EVALUATION.md, "Third round
of ideas"; declared in round3-declaration.md before it was measured):
fusing the engine's ranking functions' runs, each with the engine's
feedback and proximity.  An experiment, not part of `make eval`.

  RRF (Cormack, Clarke & Buettcher 2009): sum over runs of 1/(k + rank),
  k = 60, rank 1-based in the run's own order (trec_eval's: score
  descending, ties by docno descending).
  CombSUM (Fox & Shaw 1994): sum over runs of the score min-max normalised
  over the query's retrieved list in that run.
A document a run does not retrieve contributes 0 from that run.

How to run it, from the repository root, after `make build/attache
build/eval/eval-run` (needs ../shared/data/time):

  python3 tests/eval/eval.py --any                       # BM25 alone
  python3 tests/eval/eval.py --any --weighting inl2 --param 0.5
  python3 tests/eval/eval.py --any --weighting dph
  python3 tests/eval/experiments/fusion.py [--build build]

It writes build/eval/runs/fusion-*.trec and prints, for each declared
variant, TIME.REL MAP on the odd (tuning), even (held out) and all judged
queries (even and all only with --held-out: they were computed after
the choice on the odd ones), and the odd-query randomization p-value against the BM25 run
(significance.py's test, 100,000 samples, seed 1).
Python 3 standard library only.
"""
import argparse
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import significance  # noqa: E402
import trec_eval  # noqa: E402

RUNS = {
    # BM25's ranking alone: the engine's default when this was measured
    # (ec60b82, where `eval.py --any` wrote it as attache-or.trec).
    "bm25": "attache-or.trec",
    "inl2": "attache-or-param_0.5-weighting_inl2.trec",
    "dph": "attache-or-weighting_dph.trec",
}

# The declared variants, in the declaration's order (2a..2f).
VARIANTS = [
    ("2a", "rrf", ("bm25", "inl2")),
    ("2b", "rrf", ("bm25", "dph")),
    ("2c", "rrf", ("bm25", "inl2", "dph")),
    ("2d", "combsum", ("bm25", "inl2")),
    ("2e", "combsum", ("bm25", "dph")),
    ("2f", "combsum", ("bm25", "inl2", "dph")),
]
RRF_K = 60


def rrf(runs, k=RRF_K):
    """{qid: {docno: fused}} from a list of {qid: [(docno, score)]}."""
    out = {}
    for run in runs:
        for qid, docs in run.items():
            acc = out.setdefault(qid, {})
            for rank, d in enumerate(trec_eval.ranking(docs), 1):
                acc[d] = acc.get(d, 0.0) + 1.0 / (k + rank)
    return out


def combsum(runs):
    out = {}
    for run in runs:
        for qid, docs in run.items():
            acc = out.setdefault(qid, {})
            lo = min(s for _, s in docs)
            hi = max(s for _, s in docs)
            for d, s in docs:
                v = (s - lo) / (hi - lo) if hi > lo else 1.0
                acc[d] = acc.get(d, 0.0) + v
    return out


def write_run(path, fused, tag):
    with open(path, "w") as f:
        for qid in sorted(fused, key=int):
            docs = sorted(fused[qid].items(), key=lambda x: x[0], reverse=True)
            docs.sort(key=lambda x: -x[1])
            for rank, (d, s) in enumerate(docs[:1000], 1):
                f.write(f"{qid} Q0 {d} {rank} {s!r} {tag}\n")


def mean_map(qrels, run, subset):
    qids = significance.subset_qids(qrels, subset)
    return trec_eval.evaluate(qrels, run, True, qids)["mean"]["map"], qids


def p_value(qrels, base, run):
    qids = significance.subset_qids(qrels, "odd")
    a = trec_eval.evaluate(qrels, base, True, qids)["per_query"]
    b = trec_eval.evaluate(qrels, run, True, qids)["per_query"]
    diffs = [b[q]["map"] - a[q]["map"] for q in qids]
    wins = sum(d > 1e-12 for d in diffs)
    losses = sum(d < -1e-12 for d in diffs)
    return significance.randomization(diffs, 100000), wins, losses


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--held-out", action="store_true",
                    help="also the even and all-judged figures (computed "
                    "only after the choice on the odd queries)")
    a = ap.parse_args(argv)
    subsets = ("odd", "even", "all") if a.held_out else ("odd",)
    runs_dir = os.path.join(a.build, "eval", "runs")
    qrels = trec_eval.read_qrels(os.path.join(a.build, "eval", "time",
                                              "qrels.rel"))
    runs = {}
    for name, f in RUNS.items():
        p = os.path.join(runs_dir, f)
        if not os.path.isfile(p):
            sys.exit(f"fusion: {p} is missing (see the header for the "
                     "eval.py runs that write it)")
        runs[name] = trec_eval.read_run(p)
    print("| run | " + " | ".join(subsets) + " | p (odd) | better/worse |")
    print("|---|" + "--:|" * (len(subsets) + 2))
    for name in RUNS:
        figs = [mean_map(qrels, runs[name], s)[0] for s in subsets]
        print(f"| {name} | " + " | ".join(f"{x:.4f}" for x in figs) + " | | |")
    for vid, method, names in VARIANTS:
        fused = (rrf if method == "rrf" else combsum)([runs[n] for n in names])
        tag = f"fusion-{method}-" + "-".join(names)
        path = os.path.join(runs_dir, tag + ".trec")
        write_run(path, fused, tag)
        run = trec_eval.read_run(path)
        figs = [mean_map(qrels, run, s)[0] for s in subsets]
        p, w, l = p_value(qrels, runs["bm25"], run)
        print(f"| {vid} {method} {'+'.join(names)} | "
              + " | ".join(f"{x:.4f}" for x in figs)
              + f" | {p:.2f} | {w}/{l} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
