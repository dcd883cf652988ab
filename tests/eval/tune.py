#!/usr/bin/env python3
"""tune.py: the parameter sweeps behind `make eval-tune`.

Every setting is run on the TIME index that eval.py's Setup builds and
scored with TIME.REL on the ODD queries only (the tuning set); the even
ones are held out: their figures are printed next to the choice, never
used to make it.  Three sweeps (--sweep, default all):

  bm25       BM25's k1 over 0.4, 0.6, ... 2.0 and b over 0.1, 0.2, ... 1.0
             (--k1-grid / --b-grid), with feedback and the proximity bonus
             off: the first choice made, kept reproducible.  The best
             setting by odd-query MAP is reported.  If no setting changes
             any score, the engine is ignoring bm25_k1 / bm25_b, and
             tune.py says so instead of naming a "best".
  weighting  each ranking function (att_weighting) over its parameter's
             grid, feedback and proximity off, then each function's best
             with the engine's feedback and proximity.
  feedback   pseudo-relevance feedback (docs x terms x the typed query's
             weight) crossed with the proximity bonus (weight x window),
             with the engine's BM25.  The surface is noisy (forty-one
             queries, a third of them with one relevant article), so the
             choice is the setting whose grid neighbourhood (itself and
             the settings one step away along one axis) has the best mean
             odd-query MAP, not the single best point; both are reported.

Writes build/eval/tune/ (one TREC run per setting), and per sweep
build/eval/tune[-SWEEP].json and .md (bm25: tune.md, as before).  Query
options as eval.py's: --any (default) / --all, --stopwords, --title,
--count-repeats (every setting with repeated words counted each time, as
the engine did when these sweeps were run).
Python 3 standard library only.
"""
import argparse
import itertools
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval as harness  # noqa: E402

OFF = {"feedback_docs": 0, "proximity": 0}

# Each function's parameter grid (None: it has none); docs/EVALUATION.md.
WEIGHTING_GRID = {
    "bm25": [None],
    "bm25+": [0.25, 0.5, 1.0, 2.0],
    "lm": [100, 200, 300, 500, 800, 1200, 2000],
    "lm-jm": [0.1, 0.3, 0.5, 0.7, 0.8, 0.9],
    "dph": [None],
    "dlh": [None],
    "pl2": [0.5, 1.0, 2.0, 3.0, 5.0],
    "inl2": [0.5, 1.0, 2.0, 3.0, 5.0],
}

FEEDBACK_GRID = {
    "feedback_docs": [2, 3, 5, 8],
    "feedback_terms": [20, 40, 60, 100],
    "feedback_weight": [0.6, 0.7, 0.8],
    "proximity": [0, 0.1, 0.2, 0.3],
    "proximity_window": [5, 10],
}


def frange(spec):
    """"0.4:2.0:0.2" -> [0.4, 0.6, ..., 2.0] (rounded to 4 places)."""
    lo, hi, step = (float(x) for x in spec.split(":"))
    n = int(round((hi - lo) / step))
    return [round(lo + i * step, 4) for i in range(n + 1)]


def figures(scores, name="TIME.REL"):
    return {key: {"num_q": scores[name][key]["num_q"], **scores[name][key]["mean"]}
            for key, _ in harness.SUBSETS}


class Runner:
    """Runs and scores settings on one prepared index and query file."""

    def __init__(self, a):
        self.a = a
        self.s = harness.Setup(a.data, a.build, a.title)
        base_tag = harness.run_tag(a.any_words, a.stopwords, None, None,
                                   a.title, False)
        self.qpath = os.path.join(self.s.dir, f"queries.{base_tag}.tsv")
        harness.write_queries(self.s.coll, self.qpath, a.stopwords)
        self.out_dir = os.path.join(self.s.root, "tune")
        self.failed = False

    def one(self, k1=None, b=None, ranking=None):
        """(TIME.REL figures, TIME.REL.ALL figures) of one setting."""
        a = self.a
        if a.count_repeats:   # the engine as it was before repeats counted once
            ranking = {**(ranking or {}), "count_repeats": True}
        tag = harness.run_tag(a.any_words, a.stopwords, k1, b, a.title, False,
                              ranking)
        path = os.path.join(self.out_dir, tag + ".trec")
        if self.s.run(path, self.qpath, a.any_words, k1, b, tag, ranking):
            self.failed = True
        sc = self.s.score(path)
        return figures(sc), figures(sc, "TIME.REL.ALL")

    def write(self, name, md, data):
        text = "\n".join(md) + "\n"
        base = os.path.join(self.s.root, name)
        with open(base + ".md", "w") as f:
            f.write(text)
        with open(base + ".json", "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        print(text)
        print(f"tune: {base}.md, {base}.json", file=sys.stderr)


def rows_md(rows):
    """Markdown rows "| label | subset (n) | MAP | P@10 | nDCG@10 | R@100 |"."""
    out = ["| setting | queries | MAP | P@10 | nDCG@10 | R@100 |",
           "|---|---|--:|--:|--:|--:|"]
    for label, fig in rows:
        for key, sub in harness.SUBSETS:
            f = fig[key]
            out.append(f"| {label} | {sub} ({f['num_q']}) | " + " | ".join(
                f"{f[m]:.3f}" for m, _ in harness.MEASURE_NAMES) + " |")
    return out


def sweep_bm25(r, a):
    k1s, bs = frange(a.k1_grid), frange(a.b_grid)
    base, base_all = r.one(ranking=OFF)
    grid = {}
    for k1 in k1s:
        for b in bs:
            grid[(k1, b)] = r.one(k1, b, OFF)
        print(f"tune: k1 = {k1:g} done", file=sys.stderr)

    odd_maps = {kb: res[0]["odd"]["map"] for kb, res in grid.items()}
    no_effect = len({round(v, 12) for v in odd_maps.values()}) == 1
    best = max(odd_maps, key=odd_maps.get)   # ties: the first in grid order

    md = [f"BM25 sweep on TIME ({'OR' if a.any_words else 'AND'} queries; "
          f"{'TIME.STP stop words dropped' if a.stopwords else 'no stop list'}; "
          f"titles: {a.title}; feedback and proximity off).", "",
          "MAP on the odd queries (TIME.REL, the tuning set), rows k1, "
          "columns b:", "",
          "| k1 \\ b | " + " | ".join(f"{b:g}" for b in bs) + " |",
          "|---|" + "--:|" * len(bs)]
    for k1 in k1s:
        md.append(f"| {k1:g} | " + " | ".join(
            (f"**{odd_maps[(k1, b)]:.3f}**" if (k1, b) == best
             else f"{odd_maps[(k1, b)]:.3f}") for b in bs) + " |")
    md.append("")
    rows = [("engine's parameters", base)]
    if not no_effect:
        rows.append((f"k1 = {best[0]:g}, b = {best[1]:g} (best on odd)",
                     grid[best][0]))
    md += rows_md(rows)
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
    r.write("tune", md, {
        "settings": "feedback and proximity off", "k1": k1s, "b": bs,
        "no_effect": no_effect,
        "best": None if no_effect else {"k1": best[0], "b": best[1]},
        "engine": {"TIME.REL": base, "TIME.REL.ALL": base_all},
        "grid": [{"k1": k1, "b": b, "TIME.REL": res[0], "TIME.REL.ALL": res[1]}
                 for (k1, b), res in grid.items()]})
    if no_effect:
        print("tune: no setting changed any score: bm25_k1 / bm25_b have no "
              "effect in this build", file=sys.stderr)
    else:
        bo, be, ba = (grid[best][0][k]["map"] for k in ("odd", "even", "all"))
        print(f"tune: best on odd k1 = {best[0]:g}, b = {best[1]:g}: MAP odd "
              f"{bo:.4f}, even (held out) {be:.4f} (gap {bo - be:+.4f}), "
              f"all {ba:.4f}", file=sys.stderr)


def sweep_weighting(r, a):
    results = {}
    for name, params in WEIGHTING_GRID.items():
        for p in params:
            results[(name, p)] = r.one(ranking={**OFF, "weighting": name,
                                                "param": p})[0]
        print(f"tune: {name} done", file=sys.stderr)
    best = {}
    for name, params in WEIGHTING_GRID.items():
        best[name] = max(params, key=lambda p: results[(name, p)]["odd"]["map"])
    with_engine = {name: r.one(ranking={"weighting": name, "param": p})[0]
                   for name, p in best.items()}
    md = ["Ranking functions on TIME (feedback and proximity off), MAP on the "
          "odd queries (TIME.REL) for each parameter:", "",
          "| function | parameter | odd |", "|---|--:|--:|"]
    for (name, p), f in results.items():
        mark = "**" if p == best[name] else ""
        md.append(f"| {name} | {'—' if p is None else f'{p:g}'} | "
                  f"{mark}{f['odd']['map']:.3f}{mark} |")
    md += ["", "Each function's best parameter on the odd queries, alone and "
           "with the engine's feedback and proximity bonus (MAP):", "",
           "| function | parameter | odd | even (held out) | all | "
           "+ feedback, proximity: odd | even | all |",
           "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for name, p in best.items():
        f, g = results[(name, p)], with_engine[name]
        md.append(f"| {name} | {'—' if p is None else f'{p:g}'} | "
                  + " | ".join(f"{x[k]['map']:.3f}" for x in (f, g)
                               for k in ("odd", "even", "all")) + " |")
    r.write("tune-weighting", md, {
        "grid": [{"weighting": n, "param": p, "TIME.REL": f}
                 for (n, p), f in results.items()],
        "best": best,
        "with_feedback_and_proximity": with_engine})


def neighbours(point, axes):
    """The grid points one step away from `point` along one axis."""
    out = []
    for i, (name, values) in enumerate(axes):
        k = values.index(point[i])
        for j in (k - 1, k + 1):
            if 0 <= j < len(values):
                out.append(point[:i] + (values[j],) + point[i + 1:])
    return out


def sweep_feedback(r, a):
    axes = list(FEEDBACK_GRID.items())
    names = [n for n, _ in axes]
    results = {}
    for point in itertools.product(*[v for _, v in axes]):
        setting = dict(zip(names, point))
        if setting["proximity"] == 0 and setting["proximity_window"] != axes[-1][1][0]:
            continue   # the window of no bonus: the same run
        results[point] = r.one(ranking=setting)[0]
    print(f"tune: {len(results)} feedback settings done", file=sys.stderr)

    def odd(pt):
        if pt not in results:   # proximity 0: any window is the first one
            pt = pt[:-1] + (axes[-1][1][0],)
        return results[pt]["odd"]["map"]

    smooth = {pt: sum(odd(q) for q in [pt] + neighbours(pt, axes))
              / (1 + len(neighbours(pt, axes))) for pt in results}
    chosen = max(smooth, key=smooth.get)
    top = max(results, key=odd)
    off = r.one(ranking=OFF)[0]
    engine = r.one()[0]

    def label(pt):
        return ", ".join(f"{n.replace('_', ' ')} {v:g}" for n, v in zip(names, pt))

    md = ["Pseudo-relevance feedback x proximity bonus on TIME (BM25 with the "
          "engine's k1, b), chosen on the odd queries (TIME.REL) by the mean "
          "MAP of each setting's grid neighbourhood.", "",
          "Grid: " + "; ".join(f"{n.replace('_', ' ')} "
                               + ", ".join(f"{v:g}" for v in vals)
                               for n, vals in axes) + ".", "",
          "Mean odd-query MAP over the settings with each value (how each "
          "axis matters):", ""]
    for i, (n, vals) in enumerate(axes):
        parts = []
        for v in vals:
            xs = [odd(pt) for pt in results if pt[i] == v]
            parts.append(f"{v:g}: {sum(xs) / len(xs):.3f}")
        md.append(f"* {n.replace('_', ' ')}: " + ", ".join(parts))
    md += [""] + rows_md([
        ("feedback and proximity off", off),
        (f"chosen: {label(chosen)} (neighbourhood mean {smooth[chosen]:.3f})",
         results[chosen]),
        (f"best single point on odd: {label(top)}", results[top]),
        ("the engine's defaults now", engine)])
    md += ["", "The ten best neighbourhoods (odd-query MAP of the point and "
           "the neighbourhood mean; even and all of the point, held out):", "",
           "| setting | odd | neighbourhood | even | all |",
           "|---|--:|--:|--:|--:|"]
    for pt in sorted(smooth, key=lambda p: -smooth[p])[:10]:
        f = results[pt]
        md.append(f"| {label(pt)} | {f['odd']['map']:.3f} | {smooth[pt]:.3f} | "
                  f"{f['even']['map']:.3f} | {f['all']['map']:.3f} |")
    r.write("tune-feedback", md, {
        "axes": FEEDBACK_GRID,
        "chosen": dict(zip(names, chosen)), "best_point": dict(zip(names, top)),
        "off": off, "engine": engine,
        "grid": [{**dict(zip(names, pt)), "TIME.REL": f,
                  "neighbourhood_odd_map": smooth[pt]}
                 for pt, f in results.items()]})
    print(f"tune: feedback chosen {label(chosen)}: MAP odd "
          f"{results[chosen]['odd']['map']:.4f}, even (held out) "
          f"{results[chosen]['even']['map']:.4f}, all "
          f"{results[chosen]['all']['map']:.4f}", file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Parameter sweeps on the odd "
                                 "TIME queries (make eval-tune).")
    ap.add_argument("--data")
    ap.add_argument("--build", default=os.environ.get("BENCH_BUILD", "build"))
    ap.add_argument("--sweep", choices=("bm25", "weighting", "feedback", "all"),
                    default="all")
    ap.add_argument("--k1-grid", default="0.4:2.0:0.2", help="LO:HI:STEP")
    ap.add_argument("--b-grid", default="0.1:1.0:0.1", help="LO:HI:STEP")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--any", dest="any_words", action="store_true", default=True)
    mode.add_argument("--all", dest="any_words", action="store_false")
    ap.add_argument("--stopwords", action="store_true")
    ap.add_argument("--title", choices=harness.TIME.TITLE_MODES, default="none")
    ap.add_argument("--count-repeats", action="store_true",
                    help="every setting with ATT_SEARCH_COUNT_REPEATS (the "
                    "engine before repeated words counted once, with which "
                    "the sweeps in docs/EVALUATION.md were run)")
    a = ap.parse_args(argv)

    r = Runner(a)
    if a.sweep in ("bm25", "all"):
        sweep_bm25(r, a)
    if a.sweep in ("weighting", "all"):
        sweep_weighting(r, a)
    if a.sweep in ("feedback", "all"):
        sweep_feedback(r, a)
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
