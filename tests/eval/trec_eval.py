#!/usr/bin/env python3
"""trec_eval.py: our own evaluator of TREC runs against TREC qrels, written
to give the figures NIST's trec_eval (9.0.x, github.com/usnistgov/trec_eval)
gives for the four measures the ranking evaluation reports.

It owns the measures and their conventions:

  Run     "qid Q0 docno rank score tag"; only qid, docno and score are read.
          A query's documents are re-sorted by score, highest first, ties
          broken by docno in DEcreasing string order (trec_eval's
          form_res_rels.c: sort by sim, then strcmp(docno2, docno1)); the
          rank column is ignored.  A docno twice in a query is an error.
  Qrels   "qid iter docno rel"; rel >= 1 is relevant, and is the gain for
          nDCG.  Only queries with at least one relevant document are
          evaluated (trec_eval also evaluates a query whose qrels lines are
          all rel 0, at 0; TIME's qrels have no such lines).  Run queries
          not in the qrels are ignored.
  map         AP = sum of the precision at each relevant document retrieved,
              divided by the number of relevant documents.
  P_10        relevant documents in the top 10 / 10, whatever was retrieved.
  ndcg_cut_10 DCG@10 / ideal DCG@10: gain = the relevance level, discount
              log2(rank + 1) for 1-based ranks (current trec_eval; 9.0alpha
              used log2(rank) with rank 1 undiscounted), the ideal ranking
              taken from the qrels (every relevant document, highest level
              first), cut at 10 too.
  recall_100  relevant documents in the top 100 / relevant documents.

Averaging: the mean over queries.  With complete=True (trec_eval -c, our
headline) over every evaluated qrels query, a query absent from the run
scoring 0; with complete=False (trec_eval's default) only over the
queries that are in both.

Command line (like trec_eval; -q adds the per-query lines):
  trec_eval.py [-q] [-c] QRELS RUN
Python 3 standard library only.
"""
import argparse
import math
import sys

MEASURES = ("map", "P_10", "ndcg_cut_10", "recall_100")


def read_qrels(path):
    """{qid: {docno: rel}} from a TREC qrels file (every judged document,
    relevant or not)."""
    qrels = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 4:
                raise ValueError(f"{path}:{n}: expected 'qid iter docno rel'")
            qid, _, docno, rel = fields
            qrels.setdefault(qid, {})[docno] = int(rel)
    return qrels


def read_run(path):
    """{qid: [(docno, score), ...]} from a TREC run file, in file order."""
    run = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 6:
                raise ValueError(f"{path}:{n}: expected "
                                 "'qid Q0 docno rank score tag'")
            qid, _, docno, _, score, _ = fields
            run.setdefault(qid, []).append((docno, float(score)))
    return run


def ranking(docs):
    """The docnos of [(docno, score)] in trec_eval's order: score
    descending, then docno in decreasing string (byte) order."""
    seen = set()
    for d, _ in docs:
        if d in seen:
            raise ValueError(f"document {d} retrieved twice for one query")
        seen.add(d)
    # Two stable sorts: docno descending, then score descending on top.
    by_docno = sorted(docs, key=lambda x: x[0], reverse=True)
    return [d for d, _ in sorted(by_docno, key=lambda x: -x[1])]


def evaluate_query(ranked, judged):
    """The measures of one query: `ranked` docnos in order, `judged`
    {docno: rel}.  The query must have a relevant document."""
    rels = sorted((r for r in judged.values() if r > 0), reverse=True)
    num_rel = len(rels)
    if not num_rel:
        raise ValueError("a query without relevant documents is not evaluated")
    found = 0
    ap = 0.0
    dcg = 0.0
    p10 = r100 = 0
    for i, d in enumerate(ranked):
        rel = judged.get(d, 0)
        if rel <= 0:
            continue
        found += 1
        ap += found / (i + 1)
        if i < 10:
            p10 += 1
            dcg += rel / math.log2(i + 2)
        if i < 100:
            r100 += 1
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(rels[:10]))
    return {"map": ap / num_rel, "P_10": p10 / 10, "ndcg_cut_10": dcg / idcg,
            "recall_100": r100 / num_rel, "num_rel": num_rel,
            "num_ret": len(ranked), "num_rel_ret": found}


def evaluate(qrels, run, complete=True, qids=None):
    """Evaluates `run` against `qrels` (as read_run / read_qrels give them).
    `qids` (optional) limits the evaluation to those queries (a subset such
    as the odd ones).  Returns {"per_query": {qid: {measure: value}},
    "mean": {measure: value}, "num_q": n, "missing": [qids not in run]}."""
    judged = {q: j for q, j in qrels.items() if any(r > 0 for r in j.values())}
    if qids is not None:
        wanted = {str(q) for q in qids}
        judged = {q: j for q, j in judged.items() if q in wanted}
    per_query = {}
    missing = []
    for q in sorted(judged, key=_qid_key):
        if q in run:
            per_query[q] = evaluate_query(ranking(run[q]), judged[q])
        else:
            missing.append(q)
            if complete:
                per_query[q] = {**{m: 0.0 for m in MEASURES},
                                "num_rel": sum(1 for r in judged[q].values() if r > 0),
                                "num_ret": 0, "num_rel_ret": 0}
    n = len(per_query)
    mean = {m: (sum(v[m] for v in per_query.values()) / n if n else 0.0)
            for m in MEASURES}
    return {"per_query": per_query, "mean": mean, "num_q": n,
            "missing": missing}


def _qid_key(q):
    """Numeric qids in numeric order, then any others as strings."""
    return (0, int(q), "") if q.isdigit() else (1, 0, q)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Evaluates a TREC run: "
                                 + ", ".join(MEASURES))
    ap.add_argument("-q", action="store_true", help="per-query values too")
    ap.add_argument("-c", action="store_true",
                    help="average over every qrels query (absent ones score 0)")
    ap.add_argument("qrels")
    ap.add_argument("run")
    a = ap.parse_args(argv)
    res = evaluate(read_qrels(a.qrels), read_run(a.run), complete=a.c)
    if a.q:
        for q, v in res["per_query"].items():
            for m in MEASURES:
                print(f"{m:<22}\t{q}\t{v[m]:.4f}")
    print(f"{'num_q':<22}\tall\t{res['num_q']}")
    for m in MEASURES:
        print(f"{m:<22}\tall\t{res['mean'][m]:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
