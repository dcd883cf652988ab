#!/usr/bin/env python3
"""significance.py: is run B's MAP really different from run A's, or
within what chance gives on this many queries?  A paired randomization
test (Fisher's; Smucker, Allan & Carterette 2007 recommend it for IR):
under the null hypothesis the two runs are exchangeable on each query, so
each query's AP difference keeps or flips its sign with probability 1/2;
the p-value is the share of the 2^n sign assignments (sampled: --samples,
with a fixed seed, so the figure repeats) whose mean difference is at
least as far from 0 as the observed one.

  significance.py QRELS RUN_A RUN_B [--subset odd|even|all] [--samples N]

Queries are every judged one of the subset (trec_eval -c: a query absent
from a run scores 0), evaluated by trec_eval.py.  The subset defaults to
the odd queries (the tuning set): the test used to decide between
settings must not look at the held-out ones.  Prints both MAPs, the mean
difference, the p-value and the number of queries B wins, loses and ties.
Python 3 standard library only.
"""
import argparse
import os
import random
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trec_eval  # noqa: E402


def subset_qids(qrels, subset):
    judged = [q for q, j in qrels.items() if any(r > 0 for r in j.values())]
    if subset == "all":
        return judged
    return [q for q in judged if int(q) % 2 == (subset == "odd")]


def randomization(diffs, samples, seed=1):
    """Two-sided p-value of the mean of `diffs` under random sign flips."""
    n = len(diffs)
    observed = abs(sum(diffs)) / n
    rng = random.Random(seed)
    hits = 0
    for _ in range(samples):
        s = sum(d if rng.random() < 0.5 else -d for d in diffs)
        if abs(s) / n >= observed - 1e-12:
            hits += 1
    return (hits + 1) / (samples + 1)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Paired randomization test of "
                                 "two TREC runs' AP.")
    ap.add_argument("qrels")
    ap.add_argument("run_a")
    ap.add_argument("run_b")
    ap.add_argument("--subset", choices=("odd", "even", "all"), default="odd")
    ap.add_argument("--samples", type=int, default=100000)
    a = ap.parse_args(argv)
    qrels = trec_eval.read_qrels(a.qrels)
    qids = subset_qids(qrels, a.subset)
    ra = trec_eval.evaluate(qrels, trec_eval.read_run(a.run_a), True, qids)
    rb = trec_eval.evaluate(qrels, trec_eval.read_run(a.run_b), True, qids)
    diffs = [rb["per_query"][q]["map"] - ra["per_query"][q]["map"] for q in qids]
    p = randomization(diffs, a.samples)
    wins = sum(d > 1e-12 for d in diffs)
    losses = sum(d < -1e-12 for d in diffs)
    print(f"{a.subset} queries: {len(qids)}; MAP A {ra['mean']['map']:.4f}, "
          f"B {rb['mean']['map']:.4f}, B - A {sum(diffs) / len(diffs):+.4f}; "
          f"B better on {wins}, worse on {losses}, equal on "
          f"{len(qids) - wins - losses}; two-sided p = {p:.3f} "
          f"({a.samples} samples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
