#!/usr/bin/env python3
"""eval.py: the ranking evaluation behind `make eval`: Attaché on the TIME
collection (../shared/data/time), scored like trec_eval.

It owns the pipeline and its settings:
  1. time.py writes the articles, queries and qrels under
     build/eval/time/ (the docs directory and the index are rebuilt fresh
     on every run);
  2. build/attache index --db build/eval/time/index build/eval/time/docs;
  3. prepare_query() turns each TIME query into Attaché's query language
     (see its comment), optionally dropping TIME.STP's stop words;
  4. build/eval/eval-run runs them (top 1000, --any / --k1 / --b) into a
     TREC run, build/eval/runs/<tag>.trec;
  5. trec_eval.py scores the run against TIME.REL (the headline) and
     TIME.REL.ALL (lenient, secondary) on the odd queries (the tuning set),
     the even ones (held out) and all judged ones, averaging like
     trec_eval -c (a judged query that failed or is absent scores 0).
The table goes to stdout; everything, per-query values included, to
build/eval/results.json.

Options: --k1 X, --b Y (BM25; default the engine's own), --weighting
NAME, --param P, --feedback-docs N, --feedback-terms N, --feedback-weight
X, --proximity X, --proximity-window N (att_search_options version 4's
ranking options, as eval-run takes them; default the engine's own),
--count-repeats (ATT_SEARCH_COUNT_REPEATS: a word the query repeats counts
each time; the engine counts it once), --any (default:
juxtaposed words are ORed, as suits TIME's sentences) / --all (the
engine's default AND), --stopwords (drop TIME.STP words from the queries;
an experiment, off by default), --title none|first-line (how the articles
are written, see time.py), --explicit-or (write "a OR b OR c" into the
query text instead of asking for ATT_DEFAULT_OR: the same query through the
query language, to cross-check --any), --per-query [odd|even|all] (a line per
query, worst first; the odd queries, the tuning set, unless asked), --docs-table (the table as markdown for docs/EVALUATION.md),
--data DIR (default $BENCH_DATA, else ../shared/data), --build DIR.
Exit status: 0; 1 if a query failed; 2 if the data is missing.
Python 3 standard library only.
"""
import argparse
import datetime
import importlib.util
import json
import os
import re
import shutil
import string
import subprocess
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import trec_eval  # noqa: E402


def load_time_module():
    """tests/eval/time.py, loaded by path: `import time` would give the
    standard library's built-in module."""
    spec = importlib.util.spec_from_file_location(
        "time_collection", os.path.join(HERE, "time.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


TIME = load_time_module()

QRELS = (("TIME.REL", "qrels.rel"), ("TIME.REL.ALL", "qrels.rel.all"))
SUBSETS = (("odd", "odd (tuning)"), ("even", "even (held out)"),
           ("all", "all judged"))
MEASURE_NAMES = (("map", "MAP"), ("P_10", "P@10"), ("ndcg_cut_10", "nDCG@10"),
                 ("recall_100", "R@100"))

# --- queries --------------------------------------------------------------------
#
# TIME's queries are upper-case English sentences with typewriter spacing
# ("U.S . POLICY TOWARD THE NEW REGIME ..."), and Attaché's query language
# (docs/QUERY-SYNTAX.md) would read some of that as syntax: upper-case AND,
# OR, NOT, NEAR and ADJ are operators (TIME has "... AND WHAT THEY ARE
# SEEKING"), straight and typographic double quotes make phrases,
# parentheses group, a leading '-' or '+' excludes or requires, '=' asks for
# an exact form, "word:" names a field.  So each query is:
#   * lower-cased: the language folds case anyway, and lower-case and / or /
#     not / near / adj are plain words;
#   * stripped of the syntax characters " “ ” „ « » ＂ ( ) : = * (as spaces),
#     and of '+' and '-' at the start of a word (inside a word, as in
#     ANTI-COMMUNIST, a hyphen is not syntax: the word is the phrase of its
#     parts, as it is in the articles);
# everything else (apostrophes, "u.s", stray "." and ",") is left to the
# analyser, which treats it exactly as in the articles.
SYNTAX_CHARS = re.compile(r'["\u201c\u201d\u201e\u00ab\u00bb\uff02():=*]')
WORD_CHARS = re.compile(r"[^\W_]")   # a letter or digit


def prepare_query(text, stop=None, explicit_or=False):
    """TIME query text -> Attaché query text (see above).  `stop`: a set of
    lower-case words to drop (a token is dropped when, without the
    punctuation around it, it is one: "what," goes, "u.s" stays).
    `explicit_or`: join the words with " OR " (punctuation-only tokens
    dropped)."""
    tokens = []
    for tok in SYNTAX_CHARS.sub(" ", text.lower()).split():
        tok = tok.lstrip("+-")
        if not tok:
            continue
        if stop and tok.strip(string.punctuation) in stop:
            continue
        if explicit_or and not WORD_CHARS.search(tok):
            continue
        tokens.append(tok)
    return (" OR " if explicit_or else " ").join(tokens)


def write_queries(coll, path, stopwords=False, explicit_or=False):
    """Writes the prepared queries, "qid<TAB>text"; returns {qid: text}."""
    stop = coll.stop if stopwords else None
    out = {}
    with open(path, "w") as f:
        for qid, q in coll.queries:
            out[qid] = prepare_query(q, stop, explicit_or)
            f.write(f"{qid}\t{out[qid]}\n")
    return out


# --- the pipeline -----------------------------------------------------------------


def data_dir(data):
    """DATA/time; exits 2 with a message when the collection is missing."""
    d = TIME.data_dir(data)
    if not os.path.isfile(os.path.join(d, "TIME.ALL")):
        print(f"eval: the TIME collection is not at {d} (set BENCH_DATA to the "
              "shared data directory, which holds time/)", file=sys.stderr)
        sys.exit(2)
    return d


class Setup:
    """The prepared collection and its fresh index."""

    def __init__(self, data, build, title="none", log=True):
        data_dir(data)
        self.build = build
        self.root = os.path.join(build, "eval")
        self.dir = os.path.join(self.root, "time")
        self.attache = os.path.join(build, "attache")
        self.eval_run = os.path.join(self.root, "eval-run")
        for p in (self.attache, self.eval_run):
            if not os.access(p, os.X_OK):
                sys.exit(f"eval: {p} is missing (make {p})")
        self.title = title
        os.makedirs(self.dir, exist_ok=True)
        self.coll = TIME.prepare(data, self.dir, title)
        self.index = os.path.join(self.dir, "index")
        if os.path.isdir(self.index):
            shutil.rmtree(self.index)
        p = subprocess.run([self.attache, "index", "--db", self.index,
                            os.path.join(self.dir, "docs")],
                           capture_output=True, text=True)
        m = re.search(r"now holds (\d+) articles", p.stdout)
        if p.returncode or not m or int(m.group(1)) != len(self.coll.records):
            sys.exit(f"eval: indexing failed (exit {p.returncode}):\n"
                     f"{p.stdout}{p.stderr}")
        if log:
            print(f"eval: indexed {m.group(1)} TIME articles into {self.index}",
                  file=sys.stderr)
        self.qrels = {name: trec_eval.read_qrels(os.path.join(self.dir, f))
                      for name, f in QRELS}

    def run(self, run_path, queries_path, any_words=True, k1=None, b=None,
            tag="attache", ranking=None):
        """Runs eval-run; returns {qid: error message} of failed queries.
        `ranking`: {option: value} of the version 4 ranking options
        (RANKING_OPTIONS), None values left to the engine."""
        argv = [self.eval_run, self.index, queries_path, "--tag", tag]
        if any_words:
            argv.append("--any")
        if k1 is not None:
            argv += ["--k1", repr(k1)]
        if b is not None:
            argv += ["--b", repr(b)]
        argv += ranking_argv(ranking)
        os.makedirs(os.path.dirname(run_path), exist_ok=True)
        with open(run_path, "w") as out:
            p = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE,
                               text=True)
        if p.returncode not in (0, 1):
            sys.exit(f"eval: {' '.join(argv)} failed (exit {p.returncode}):\n"
                     f"{p.stderr}")
        failed = {}
        for line in p.stderr.splitlines():
            m = re.match(r"eval-run: query (\S+) failed: (.*)", line)
            if m:
                failed[m.group(1)] = m.group(2)
            elif not re.match(r"eval-run: \d+ queries, \d+ failed, \d+ hits$",
                              line):
                print(line, file=sys.stderr)
        if p.returncode == 1 and not failed:
            sys.exit(f"eval: eval-run reported errors:\n{p.stderr}")
        return failed

    def score(self, run_path):
        """{qrels name: {subset: trec_eval.evaluate() result}}, -c averaging."""
        run = trec_eval.read_run(run_path)
        out = {}
        for name, _ in QRELS:
            q = self.qrels[name]
            out[name] = {
                "odd": trec_eval.evaluate(q, run, True,
                                          [x for x in q if int(x) % 2 == 1]),
                "even": trec_eval.evaluate(q, run, True,
                                           [x for x in q if int(x) % 2 == 0]),
                "all": trec_eval.evaluate(q, run, True),
            }
        return out


# The ranking options of att_search_options version 4, as eval-run and
# eval.py take them ("--feedback-docs N"); unset ones are the engine's.
RANKING_OPTIONS = (("weighting", str), ("param", float),
                   ("feedback_docs", int), ("feedback_terms", int),
                   ("feedback_weight", float), ("proximity", float),
                   ("proximity_window", int), ("count_repeats", bool))


def ranking_argv(ranking):
    argv = []
    for name, typ in RANKING_OPTIONS:
        v = (ranking or {}).get(name)
        if typ is bool:   # a flag: given or not
            argv += ["--" + name.replace("_", "-")] if v else []
        elif v is not None:
            argv += ["--" + name.replace("_", "-"), str(v)]
    return argv


def ranking_tag(ranking):
    return "".join(f"-{name}_{v:g}" if not isinstance(v, str) else f"-{name}_{v}"
                   for name, v in sorted((ranking or {}).items())
                   if v is not None)


def run_tag(any_words, stopwords, k1, b, title, explicit_or, ranking=None):
    tag = "attache-" + ("or" if any_words or explicit_or else "and")
    if explicit_or:
        tag += "-explicit"
    if stopwords:
        tag += "-stop"
    if k1 is not None:
        tag += f"-k1_{k1:g}"
    if b is not None:
        tag += f"-b_{b:g}"
    if title != "none":
        tag += "-title_" + title
    return tag + ranking_tag(ranking)


# --- reporting --------------------------------------------------------------------


def describe(any_words, stopwords, k1, b, title, explicit_or, ranking=None):
    mode = ("OR through the query text (--explicit-or)" if explicit_or
            else "OR (--any)" if any_words else "AND (the engine's default)")
    bm25 = ("engine's BM25 parameters" if k1 is None and b is None else
            f"BM25 k1 = {'engine' if k1 is None else f'{k1:g}'}, "
            f"b = {'engine' if b is None else f'{b:g}'}")
    rk = ", ".join(f"{name.replace('_', ' ')} {v}"
                   for name, _ in RANKING_OPTIONS
                   if (v := (ranking or {}).get(name)) is not None)
    return (f"words joined by {mode}; {bm25}; "
            f"{'ranking: ' + rk if rk else 'engine ranking defaults'}; "
            f"{'TIME.STP stop words dropped' if stopwords else 'no stop list'}; "
            f"titles: {title}")


def table(scores, failed):
    lines = []
    for name, _ in QRELS:
        lines.append(f"{name:<13} {'queries':<16} {'n':>3}  "
                     + "  ".join(f"{label:>7}" for _, label in MEASURE_NAMES))
        for key, label in SUBSETS:
            r = scores[name][key]
            lines.append(f"{'':<13} {label:<16} {r['num_q']:>3}  "
                         + "  ".join(f"{r['mean'][m]:>7.4f}"
                                     for m, _ in MEASURE_NAMES))
    lines.append("Means over every judged query (trec_eval -c): a failed or "
                 f"empty query scores 0.  Failed queries: {len(failed)}"
                 + (" (" + ", ".join(sorted(failed, key=int)) + ")"
                    if failed else ""))
    return "\n".join(lines)


def docs_table(scores, settings):
    out = [f"Settings: {settings}.", "",
           "| qrels | queries | n | MAP | P@10 | nDCG@10 | R@100 |",
           "|---|---|--:|--:|--:|--:|--:|"]
    for name, _ in QRELS:
        for key, label in SUBSETS:
            r = scores[name][key]
            out.append(f"| {name} | {label} | {r['num_q']} | "
                       + " | ".join(f"{r['mean'][m]:.3f}"
                                    for m, _ in MEASURE_NAMES) + " |")
    return "\n".join(out)


def per_query_report(scores, queries, coll, subset="odd"):
    """Per-query lines for TIME.REL, worst AP first, of the odd (tuning)
    queries, the even (held-out) ones or all."""
    pq = {q: v for q, v in scores["TIME.REL"]["all"]["per_query"].items()
          if subset == "all" or int(q) % 2 == (subset == "odd")}
    original = dict(coll.queries)
    lines = [f"{'qid':>4} {'AP':>6} {'P@10':>5} {'nDCG':>6} {'R@100':>6} "
             f"{'rel':>3} {'ret':>5}  query"]
    for q in sorted(pq, key=lambda q: (pq[q]["map"], int(q))):
        v = pq[q]
        lines.append(f"{q:>4} {v['map']:6.3f} {v['P_10']:5.2f} "
                     f"{v['ndcg_cut_10']:6.3f} {v['recall_100']:6.3f} "
                     f"{v['num_rel']:>3} {v['num_ret']:>5}  {original[q]}")
        if queries[q] != original[q].lower():
            lines.append(f"{'':>41}sent: {queries[q]}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description="The TIME ranking evaluation "
                                 "(make eval).")
    ap.add_argument("--data", help="the shared data directory (default "
                    "$BENCH_DATA, else ../shared/data)")
    ap.add_argument("--build", default=os.environ.get("BENCH_BUILD", "build"))
    ap.add_argument("--k1", type=float)
    ap.add_argument("--b", type=float)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--any", dest="any_words", action="store_true",
                      default=True, help="juxtaposed words are ORed (default)")
    mode.add_argument("--all", dest="any_words", action="store_false",
                      help="juxtaposed words are ANDed (the engine's default)")
    ap.add_argument("--stopwords", action="store_true",
                    help="drop TIME.STP's words from the queries")
    ap.add_argument("--explicit-or", action="store_true",
                    help="write OR between the words instead of --any")
    ap.add_argument("--title", choices=TIME.TITLE_MODES, default="none")
    for name, typ in RANKING_OPTIONS:
        if typ is bool:
            ap.add_argument("--" + name.replace("_", "-"), dest=name,
                            action="store_const", const=True)
        else:
            ap.add_argument("--" + name.replace("_", "-"), dest=name, type=typ)
    ap.add_argument("--per-query", nargs="?", const="odd",
                    choices=("odd", "even", "all"),
                    help="per-query lines of the odd queries (the default: "
                    "the tuning set), the even ones (held out) or all")
    ap.add_argument("--docs-table", action="store_true")
    a = ap.parse_args(argv)
    ranking = {name: getattr(a, name) for name, _ in RANKING_OPTIONS}

    s = Setup(a.data, a.build, a.title)
    any_words = a.any_words and not a.explicit_or
    tag = run_tag(any_words, a.stopwords, a.k1, a.b, a.title, a.explicit_or,
                  ranking)
    qpath = os.path.join(s.dir, f"queries.{tag}.tsv")
    queries = write_queries(s.coll, qpath, a.stopwords, a.explicit_or)
    run_path = os.path.join(s.root, "runs", tag + ".trec")
    failed = s.run(run_path, qpath, any_words, a.k1, a.b, tag, ranking)
    for q, msg in sorted(failed.items(), key=lambda x: int(x[0])):
        print(f"eval: query {q} failed: {msg}", file=sys.stderr)
    scores = s.score(run_path)
    settings = describe(any_words, a.stopwords, a.k1, a.b, a.title,
                        a.explicit_or, ranking)

    print(f"TIME, {len(s.coll.records)} articles: {settings}")
    print(table(scores, failed))
    if a.per_query:
        print()
        print(per_query_report(scores, queries, s.coll, a.per_query))
    if a.docs_table:
        print()
        print(docs_table(scores, settings))

    results = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "collection": "TIME", "articles": len(s.coll.records),
        "settings": {"any": any_words, "explicit_or": a.explicit_or,
                     "stopwords": a.stopwords, "k1": a.k1, "b": a.b,
                     "ranking": ranking,
                     "title": a.title, "limit": 1000, "tag": tag,
                     "description": settings},
        "averaging": "trec_eval -c: the mean over every query with a relevant "
                     "document in the qrels; absent or failed queries score 0",
        "run": run_path, "queries": qpath,
        "failed_queries": failed,
        "scores": {name: {key: {"num_q": r["num_q"], **r["mean"]}
                          for key, r in sub.items()}
                   for name, sub in scores.items()},
        "per_query": {name: sub["all"]["per_query"]
                      for name, sub in scores.items()},
    }
    with open(os.path.join(s.root, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    print(f"eval: run {run_path}; results {os.path.join(s.root, 'results.json')}",
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
