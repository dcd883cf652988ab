#!/usr/bin/env python3
"""tune.py: the BM25 parameter sweep behind `make eval-tune`.

It owns the grid and the choice: k1 over 0.4, 0.6, ... 2.0 and b over
0.1, 0.2, ... 1.0 (--k1-grid / --b-grid to change them), each setting run
on the TIME index that eval.py's Setup builds, scored on the ODD queries
only (the tuning set) with TIME.REL; the best setting by odd-query MAP is
reported with its figures on the even queries (held out, never looked at
to choose) and on all judged queries, next to the engine's own parameters.
If no setting changes any score, the engine is ignoring bm25_k1 / bm25_b,
and tune.py says so instead of naming a "best".

Writes build/eval/tune/ (one TREC run per setting), build/eval/tune.json
and build/eval/tune.md (the odd-query MAP of every setting as a markdown
table, then the best setting's figures).  Query options as eval.py's:
--any (default) / --all, --stopwords, --title.
Python 3 standard library only.
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval as harness  # noqa: E402


def frange(spec):
    """"0.4:2.0:0.2" -> [0.4, 0.6, ..., 2.0] (rounded to 4 places)."""
    lo, hi, step = (float(x) for x in spec.split(":"))
    n = int(round((hi - lo) / step))
    return [round(lo + i * step, 4) for i in range(n + 1)]


def figures(scores, name="TIME.REL"):
    return {key: {"num_q": scores[name][key]["num_q"], **scores[name][key]["mean"]}
            for key, _ in harness.SUBSETS}


def main(argv=None):
    ap = argparse.ArgumentParser(description="BM25 k1 x b sweep on the odd "
                                 "TIME queries (make eval-tune).")
    ap.add_argument("--data")
    ap.add_argument("--build", default=os.environ.get("BENCH_BUILD", "build"))
    ap.add_argument("--k1-grid", default="0.4:2.0:0.2", help="LO:HI:STEP")
    ap.add_argument("--b-grid", default="0.1:1.0:0.1", help="LO:HI:STEP")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--any", dest="any_words", action="store_true", default=True)
    mode.add_argument("--all", dest="any_words", action="store_false")
    ap.add_argument("--stopwords", action="store_true")
    ap.add_argument("--title", choices=harness.TIME.TITLE_MODES, default="none")
    a = ap.parse_args(argv)

    s = harness.Setup(a.data, a.build, a.title)
    base_tag = harness.run_tag(a.any_words, a.stopwords, None, None, a.title, False)
    qpath = os.path.join(s.dir, f"queries.{base_tag}.tsv")
    harness.write_queries(s.coll, qpath, a.stopwords)
    out_dir = os.path.join(s.root, "tune")
    k1s, bs = frange(a.k1_grid), frange(a.b_grid)

    def one(k1, b):
        tag = harness.run_tag(a.any_words, a.stopwords, k1, b, a.title, False)
        path = os.path.join(out_dir, tag + ".trec")
        failed = s.run(path, qpath, a.any_words, k1, b, tag)
        return figures(s.score(path)), failed, figures(s.score(path), "TIME.REL.ALL")

    base, base_failed, base_all = one(None, None)
    grid = {}
    for k1 in k1s:
        for b in bs:
            grid[(k1, b)] = one(k1, b)
        print(f"tune: k1 = {k1:g} done", file=sys.stderr)

    odd_maps = {kb: r[0]["odd"]["map"] for kb, r in grid.items()}
    no_effect = len({round(v, 12) for v in odd_maps.values()}) == 1
    best = max(odd_maps, key=odd_maps.get)   # ties: the first in grid order
    settings = harness.describe(a.any_words, a.stopwords, None, None, a.title, False)

    md = [f"BM25 sweep on TIME ({'OR' if a.any_words else 'AND'} queries; "
          f"{'TIME.STP stop words dropped' if a.stopwords else 'no stop list'}; "
          f"titles: {a.title}).", "", "MAP on the odd queries (TIME.REL, the tuning set), "
          "rows k1, columns b:", "",
          "| k1 \\ b | " + " | ".join(f"{b:g}" for b in bs) + " |",
          "|---|" + "--:|" * len(bs)]
    for k1 in k1s:
        md.append(f"| {k1:g} | " + " | ".join(
            (f"**{odd_maps[(k1, b)]:.3f}**" if (k1, b) == best
             else f"{odd_maps[(k1, b)]:.3f}") for b in bs) + " |")
    md += ["", "| setting | queries | MAP | P@10 | nDCG@10 | R@100 |",
           "|---|---|--:|--:|--:|--:|"]
    rows = [("engine's parameters", base)]
    if not no_effect:
        rows.append((f"k1 = {best[0]:g}, b = {best[1]:g} (best on odd)", grid[best][0]))
    for label, fig in rows:
        for key, sub in harness.SUBSETS:
            f = fig[key]
            md.append(f"| {label} | {sub} ({f['num_q']}) | " + " | ".join(
                f"{f[m]:.3f}" for m, _ in harness.MEASURE_NAMES) + " |")
    if no_effect:
        md += ["", "Every setting gave the same scores: the engine ignores "
               "bm25_k1 / bm25_b."]
    else:
        # Forty-odd queries make the surface noisy: the runners-up, with
        # their held-out figures, show whether the best is a plateau or a spike.
        md += ["", "The ten best settings on the odd queries (MAP, TIME.REL):", "",
               "| k1 | b | odd | even (held out) | all |", "|--:|--:|--:|--:|--:|"]
        for kb in sorted(grid, key=lambda kb: -odd_maps[kb])[:10]:
            f = grid[kb][0]
            md.append(f"| {kb[0]:g} | {kb[1]:g} | {f['odd']['map']:.3f} | "
                      f"{f['even']['map']:.3f} | {f['all']['map']:.3f} |")
        # (b cannot leave [0, 1], so only an inner edge of b counts.)
        if (best[0] in (k1s[0], k1s[-1]) or (best[1] == bs[0] and bs[0] > 0)
                or (best[1] == bs[-1] and bs[-1] < 1)):
            md += ["", "The best setting is on the edge of the grid "
                   "(--k1-grid / --b-grid widen it)."]
    text = "\n".join(md) + "\n"
    with open(os.path.join(s.root, "tune.md"), "w") as f:
        f.write(text)
    with open(os.path.join(s.root, "tune.json"), "w") as f:
        json.dump({"settings": settings, "k1": k1s, "b": bs,
                   "no_effect": no_effect,
                   "best": None if no_effect else {"k1": best[0], "b": best[1]},
                   "engine": {"TIME.REL": base, "TIME.REL.ALL": base_all},
                   "grid": [{"k1": k1, "b": b, "TIME.REL": r[0],
                             "TIME.REL.ALL": r[2], "failed": sorted(r[1])}
                            for (k1, b), r in grid.items()]}, f, indent=1)
        f.write("\n")

    print(text)
    if no_effect:
        print("tune: no setting changed any score: bm25_k1 / bm25_b have no "
              "effect in this build", file=sys.stderr)
    else:
        bo, be, ba = (grid[best][0][k]["map"] for k in ("odd", "even", "all"))
        print(f"tune: best on odd k1 = {best[0]:g}, b = {best[1]:g}: MAP odd "
              f"{bo:.4f}, even (held out) {be:.4f} (gap {bo - be:+.4f}), "
              f"all {ba:.4f}; engine's: odd {base['odd']['map']:.4f}, even "
              f"{base['even']['map']:.4f}, all {base['all']['map']:.4f}",
              file=sys.stderr)
    print(f"tune: {os.path.join(s.root, 'tune.md')}, "
          f"{os.path.join(s.root, 'tune.json')}", file=sys.stderr)
    return 1 if base_failed or any(r[1] for r in grid.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
