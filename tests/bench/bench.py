#!/usr/bin/env python3
"""bench.py: the benchmark harness behind `make bench`.

Builds nothing itself (bench.mk builds the programs); it converts the
corpora (make-corpora.py), then for each corpus measures, in one run and on
the same files:

  indexing   Attaché on every core (--jobs 0) and on one core (--jobs 1),
             on every core with exact word forms (--exact-forms) and
             without entity extraction (--no-entities: what extracting
             people, organisations and places costs),
             the raw-Xapian reference (ref-xapian) and SQLite FTS5
             (ref-fts5): wall time, CPU time (user+system) and peak
             resident memory of the process, median of BENCH_RUNS runs
             (default 3); index size on disk as built, and after
             xapian-compact for the two Xapian indexes (FTS5's index is
             already merged by its 'optimize' command);
  analysis   the text analysis chain alone (bench-analyze): decoding and
             analysis throughput in MB/s over the corpus held in memory,
             and what folding with ICU costs (analysis of the texts minus
             analysis of the same words already folded), compared with
             Attaché's one-core indexing CPU time on the same corpus;
  highlight  the query mix against Attaché's index with snippets and
             without (bench-search --snippets 0): the difference is the
             time spent highlighting, given as hits highlighted per second;
  searching  the query mix (tests/bench/queries.txt; Attaché without and
             with facets, attache+facets; the references run
             tests/bench/queries-ref.txt, the same queries with entity
             filters and names spelt out as the OR of the entity's names,
             see make-queries.py) against each index, top 10 with
             snippets, one process per engine pinned to one core, one
             warm-up pass and BENCH_PASSES measured passes (default 3):
             median and p99 latency of the last pass, throughput of the
             median pass; the same figures for the entity filter queries
             alone;
  facets     on the largest corpus of the run (scale, else reuters):
             bench-facets times FACET_QUERIES, whose match sets go from a
             handful of articles to the whole index, with and without
             facets (10 values per facet), interleaved, BENCH_FACET_RUNS
             runs each (default 15), pinned to one core: median and p90
             per query and over all, and the overhead (the median of the
             per-run differences).
  batch      on the same corpus: `attache batch --format trec` over the
             query mix (repeated to run at least 2 s on one thread), with
             --jobs 1 and --jobs 0: queries per second and their ratio.

Every target is a ratio against a reference measured in the same run (or
an absolute bound where the issue sets one).  Results go to
build/bench/results.json (and are appended to build/bench/history.jsonl so
that runs can be compared), to docs/bench/results.json, and into the
generated section of docs/PERFORMANCE.md.

Before measuring anything it checks (make-queries.py --check) that the
two query files are what make-queries.py writes from the current entity
dictionary, so that the references never run a stale translation.

Knobs (environment): BENCH_CORPORA (default "reuters ungdc scale"),
BENCH_RUNS, BENCH_PASSES, BENCH_FACET_RUNS, BENCH_LARGE=1 (adds the
ten-times-larger corpus, Attaché only, one run: the memory bound),
BENCH_DATA (default ../shared/data), BENCH_NO_DOCS=1 (do not touch
docs/).

`bench.py --docs-from RESULTS.json` rewrites the docs/ tables from a saved
run without measuring anything.
"""
import datetime, json, math, os, platform, re, shutil, statistics, subprocess, sys, time

BUILD = os.environ.get("BENCH_BUILD", "build")
OUT = os.path.join(BUILD, "bench")
DATA = os.environ.get("BENCH_DATA", "../shared/data")
CORPORA = os.environ.get("BENCH_CORPORA", "reuters ungdc scale").split()
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PASSES = int(os.environ.get("BENCH_PASSES", "3"))
LARGE = os.environ.get("BENCH_LARGE") == "1"
FACET_RUNS = int(os.environ.get("BENCH_FACET_RUNS", "15"))
QUERIES = "tests/bench/queries.txt"
QUERIES_REF = "tests/bench/queries-ref.txt"
# What facets cost, from a handful of matches to the whole index (on
# Reuters, stories with copies collapsed: 127, 5, 113, 128, 614, 1,312,
# 1,505, 2,149, 4,044, 6,110, 15,034 and 21,100).
FACET_QUERIES = ["cocoa", "ceasefire", "place:Kuwait", "org:OPEC", '"interest rates"',
                 "place:Japan", "oil", "government", 'place:"United States"', "company",
                 "said", "NOT zzzz"]
ATTACHE = os.path.join(BUILD, "attache")
NCPU = os.cpu_count() or 1


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def run_measured(argv, ok=(0,)):
    """Runs argv; returns wall seconds, CPU seconds and peak RSS in MB of
    that process (os.wait4 gives the child's own rusage)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    p.returncode = code
    if code not in ok:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
        raise SystemExit(f"bench: {' '.join(argv)} failed with exit {code}")
    return {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime,
            "user_s": ru.ru_utime, "sys_s": ru.ru_stime,
            "peak_rss_mb": ru.ru_maxrss / 1024.0}


def tree_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(r, f))
               for r, _, fs in os.walk(path) for f in fs)


def median_of(runs):
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


ENGINES = {
    # name: (index command for (index path, corpus dir), is it a Xapian index?)
    "attache": (lambda db, src: [ATTACHE, "index", "--quiet", "--jobs", "0", "--db", db, src], True),
    "attache-1job": (lambda db, src: [ATTACHE, "index", "--quiet", "--jobs", "1", "--db", db, src], True),
    # What exact word forms (=word) cost: the same, all cores, --exact-forms.
    "attache-exact": (lambda db, src: [ATTACHE, "index", "--quiet", "--jobs", "0", "--exact-forms",
                                       "--db", db, src], True),
    # What entity extraction costs: the same, all cores, --no-entities.
    "attache-noent": (lambda db, src: [ATTACHE, "index", "--quiet", "--jobs", "0", "--no-entities",
                                       "--db", db, src], True),
    "ref-xapian": (lambda db, src: [os.path.join(OUT, "ref-xapian"), "index", db, src], True),
    "ref-fts5": (lambda db, src: [os.path.join(OUT, "ref-fts5"), "index", db, src], False),
}
SEARCHERS = {
    "attache": os.path.join(OUT, "bench-search"),
    # The same with facets (10 values per facet, counted over every match:
    # the mix is "top 10 with snippets and facets").
    "attache+facets": os.path.join(OUT, "bench-search"),
    "ref-xapian": os.path.join(OUT, "ref-xapian"),
    "ref-fts5": os.path.join(OUT, "ref-fts5"),
}


def index_bench(corpus, src, engines, runs):
    res = {}
    for eng in engines:
        build, is_xapian = ENGINES[eng]
        db = os.path.join(OUT, "idx", f"{corpus}-{eng}" + ("" if is_xapian else ".db"))
        measured = []
        for i in range(runs):
            shutil.rmtree(db, ignore_errors=True)
            if os.path.exists(db):
                os.remove(db)
            os.makedirs(os.path.dirname(db), exist_ok=True)
            # Attaché exits 9 when it skipped files (Reuters has one empty story).
            m = run_measured(build(db, src), ok=(0, 9))
            log(f"{corpus} {eng} index run {i + 1}: {m['wall_s']:.2f} s wall, "
                f"{m['cpu_s']:.2f} s CPU, {m['peak_rss_mb']:.0f} MB")
            measured.append(m)
        r = median_of(measured)
        r["runs"] = measured
        r["size_mb"] = tree_bytes(db) / 1e6
        if is_xapian:
            cdb = db + ".compact"
            shutil.rmtree(cdb, ignore_errors=True)
            subprocess.run(["xapian-compact", db, cdb], check=True,
                           stdout=subprocess.DEVNULL)
            r["compact_mb"] = tree_bytes(cdb) / 1e6
            shutil.rmtree(cdb)
        else:
            r["compact_mb"] = r["size_mb"]
        r["index"] = db
        res[eng] = r
    return res


def parse_search_output(text):
    lat, hits, passes = [], [], []
    for line in text.splitlines():
        a, b = line.split("\t")
        if a == "pass":
            passes.append(float(b))
        else:
            lat.append(int(a))
            hits.append(int(b))
    return lat, hits, passes


def analysis_bench(corpus, src):
    """The analysis chain on the corpus in memory (bench-analyze)."""
    p = subprocess.run([os.path.join(OUT, "bench-analyze"), src, "--passes", str(PASSES)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"bench: bench-analyze failed on {corpus}")
    r = {}
    for kv in p.stdout.split():
        k, v = kv.split("=")
        r[k] = float(v) if "." in v else int(v)
    log(f"{corpus} analysis: {r['analyse_mb_s']:.1f} MB/s, folding {r['fold_s']:.3f} s "
        f"of {r['analyse_s']:.3f} s, decoding {r['decode_mb_s']:.0f} MB/s, "
        f"{r['repaired']} mojibake sequences repaired")
    return r


def highlight_bench(corpus, db):
    """Hits highlighted per second: the query mix with and without snippets."""
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    out = {}
    for snippets in ("0", "3"):
        p = subprocess.run(pin + [SEARCHERS["attache"], db, QUERIES, "--passes", str(PASSES),
                                  "--warmup", "1", "--snippets", snippets],
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            raise SystemExit(f"bench: highlight bench failed on {corpus}")
        lat, hits, passes = parse_search_output(p.stdout)
        out[snippets] = (sum(hits), statistics.median(passes))
    hits = out["3"][0]
    cost = max(out["3"][1] - out["0"][1], 1e-9)
    r = {"hits": hits, "with_s": out["3"][1], "without_s": out["0"][1],
         "hits_per_s": hits / cost, "share": cost / out["3"][1]}
    log(f"{corpus} highlighting: {r['hits_per_s']:.0f} hits/s "
        f"({100 * r['share']:.0f}% of search time with snippets)")
    return r


def pct(sorted_vals, p):
    """The p-th percentile by the nearest-rank method."""
    i = min(len(sorted_vals) - 1, max(0, math.ceil(p / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[i]


def entity_lines():
    """The numbers (from 0) of the mix's queries with an entity filter."""
    qs = [l for l in open(QUERIES).read().split("\n") if l and not l.startswith("#")]
    return [i for i, q in enumerate(qs) if re.search(r"(^|[\s(])(person|org|place):", q)]


def search_bench(corpus, indexes):
    res = {}
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    ent = entity_lines()
    for eng, prog in SEARCHERS.items():
        ours = eng.startswith("attache")
        db = indexes["attache" if ours else eng]["index"]
        # The references get the mix with entity names spelt out.
        argv = [prog] + ([] if ours else ["search"]) + [
            db, QUERIES if ours else QUERIES_REF,
            "--passes", str(PASSES), "--warmup", "1"]
        if eng == "attache+facets":
            argv += ["--facets", "10"]
        p = subprocess.run(pin + argv,
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            raise SystemExit(f"bench: {eng} search failed on {corpus}")
        lat, hits, passes = parse_search_output(p.stdout)
        s = sorted(lat)
        res[eng] = {"queries": len(lat), "median_ms": statistics.median(s) / 1000.0,
                    "p99_ms": pct(s, 99) / 1000.0, "mean_ms": sum(s) / len(s) / 1000.0,
                    "qps": len(lat) / statistics.median(passes),
                    "pass_s": passes, "hits": hits}
        e = sorted(lat[i] for i in ent)
        if e:
            res[eng]["entity"] = {"queries": len(e), "median_ms": statistics.median(e) / 1000.0,
                                  "p99_ms": pct(e, 99) / 1000.0,
                                  "mean_ms": sum(e) / len(e) / 1000.0}
        log(f"{corpus} {eng} search: median {res[eng]['median_ms']:.2f} ms, "
            f"p99 {res[eng]['p99_ms']:.2f} ms, {res[eng]['qps']:.0f} queries/s"
            + (f"; entity filters median {res[eng]['entity']['median_ms']:.2f} ms" if e else ""))
    base = res["ref-xapian"]["hits"]
    for eng in res:
        res[eng]["hit_count_disagreements"] = sum(1 for a, b in zip(res[eng]["hits"], base) if a != b)
    return res


def facets_bench(corpus, db):
    """What facets cost: bench-facets --raw, each query FACET_RUNS times
    without and with facets, interleaved, on one core."""
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    p = subprocess.run(pin + [os.path.join(OUT, "bench-facets"), db, "--runs", str(FACET_RUNS),
                              "--facets", "10", "--raw"] + FACET_QUERIES,
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"bench: bench-facets failed on {corpus}")
    qs, runs = [], {}
    for line in p.stdout.splitlines():
        f = line.split("\t")
        if f[0] == "query":
            qs.append({"query": f[3], "matches": int(f[2])})
        elif f[0] == "run":
            runs.setdefault(int(f[1]), []).append((float(f[2]), float(f[3])))
    def stats(pairs):
        off = sorted(a for a, _ in pairs)
        on = sorted(b for _, b in pairs)
        return {"off_median_ms": statistics.median(off), "off_p90_ms": pct(off, 90),
                "on_median_ms": statistics.median(on), "on_p90_ms": pct(on, 90),
                "overhead_median_ms": statistics.median(b - a for a, b in pairs)}
    for k, q in enumerate(qs):
        q.update(stats(runs[k]))
        log(f"{corpus} facets: {q['query']} ({q['matches']} matches): "
            f"{q['off_median_ms']:.2f} -> {q['on_median_ms']:.2f} ms")
    r = {"runs": FACET_RUNS, "facets": 10, "queries": qs,
         "all": stats([x for k in sorted(runs) for x in runs[k]])}
    r["worst_overhead_ms"] = max(q["overhead_median_ms"] for q in qs)
    return r


def batch_bench(corpus, db):
    """Batch queries per second: `attache batch --format trec` (top 1000 per
    query, the TREC default) over the query mix, repeated so that one
    thread runs for at least 2 s, with --jobs 1 and --jobs 0 (every core);
    after a warm-up run, the median wall time of PASSES runs each."""
    qs = [l for l in open(QUERIES).read().split("\n") if l and not l.startswith("#")]
    path = os.path.join(OUT, "batch-queries.txt")
    os.makedirs(OUT, exist_ok=True)
    def run(jobs, reps):
        with open(path, "w") as f:
            f.write("\n".join(qs * reps) + "\n")
        return run_measured([ATTACHE, "batch", "--db", db, "--format", "trec",
                             "--jobs", str(jobs), path])["wall_s"]
    reps = max(1, math.ceil(2.0 / max(run(1, 1), 1e-3)))
    run(0, reps)  # warm-up
    r = {"queries": len(qs) * reps, "repeats": reps, "cores": NCPU, "limit": 1000}
    for key, jobs in (("one", 1), ("all", 0)):
        walls = [run(jobs, reps) for _ in range(PASSES)]
        r[key] = {"wall_s": statistics.median(walls), "runs": walls,
                  "qps": r["queries"] / statistics.median(walls)}
    r["ratio"] = r["all"]["qps"] / r["one"]["qps"]
    log(f"{corpus} batch: {r['queries']} queries, {r['one']['qps']:.0f} q/s on one thread, "
        f"{r['all']['qps']:.0f} q/s on {NCPU} ({r['ratio']:.2f}x)")
    return r


def machine():
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    return {"cpu": model, "cores": NCPU, "memory_mb": mem,
            "kernel": platform.release(),
            "xapian": out(["pkg-config", "--modversion", "xapian-core"]),
            "sqlite": out(["pkg-config", "--modversion", "sqlite3"]),
            "icu": out(["pkg-config", "--modversion", "icu-uc"]),
            "commit": out(["git", "rev-parse", "--short", "HEAD"]),
            "dirty": bool(out(["git", "status", "--porcelain", "--untracked-files=no"]))}


def targets(results):
    """The issue's targets, each with the figure measured and whether met."""
    t = []
    def add(name, corpus, value, op, bound, unit=""):
        ok = value >= bound if op == ">=" else value < bound if op == "<" else value <= bound
        t.append({"target": name, "corpus": corpus, "value": round(value, 3),
                  "bound": f"{op} {bound}{unit}", "met": ok})
    for c, r in results["corpora"].items():
        ix = r.get("index", {})
        if "ref-xapian" in ix:
            ref_tp = r["articles"] / ix["ref-xapian"]["wall_s"]
            add("indexing throughput, all cores / raw-Xapian", c,
                r["articles"] / ix["attache"]["wall_s"] / ref_tp, ">=", 1.5, "x")
            add("indexing throughput, one core / raw-Xapian", c,
                r["articles"] / ix["attache-1job"]["wall_s"] / ref_tp, ">=", 0.8, "x")
            add("compacted index size / raw-Xapian compacted", c,
                ix["attache"]["compact_mb"] / ix["ref-xapian"]["compact_mb"], "<=", 1.3, "x")
        if "attache" in ix and "attache-noent" in ix:
            # "Entity extraction must not halve indexing throughput."
            add("indexing throughput with entities / without (all cores)", c,
                ix["attache-noent"]["wall_s"] / ix["attache"]["wall_s"], ">=", 0.5, "x")
        if "attache" in ix:
            add("peak memory while indexing (MB), all cores", c, ix["attache"]["peak_rss_mb"], "<", 300)
        a = r.get("analysis")
        if a and "attache-1job" in ix:
            add("folding cost / indexing CPU time, one core", c,
                a["fold_s"] / ix["attache-1job"]["cpu_s"], "<=", 0.333, "")
        if "attache-1job" in ix:
            add("peak memory while indexing (MB), one core", c, ix["attache-1job"]["peak_rss_mb"], "<", 300)
        s = r.get("search")
        if s and c == "scale":
            # The benchmark issue's bound against FTS5 is for the mix as it
            # defined it (snippets, no facets); the query-language issue's
            # bounds are for its mix, which returns facets too (the
            # references count none).
            a = s.get("attache+facets", s["attache"])
            add("query throughput with snippets / FTS5 with snippet()", c,
                s["attache"]["qps"] / s["ref-fts5"]["qps"], ">=", 1.5, "x")
            add("query throughput with snippets and facets / raw-Xapian with MSet::snippet", c,
                a["qps"] / s["ref-xapian"]["qps"], ">=", 1.0, "x")
            add("median query latency with snippets and facets (ms)", c, a["median_ms"], "<", 3)
            add("p99 query latency with snippets and facets (ms)", c, a["p99_ms"], "<", 30)
        f = r.get("facets")
        if f:
            add(f"facet overhead (ms), the worst of {len(f['queries'])} queries' medians, "
                "match sets up to the whole index (absolute bound)", c,
                f["worst_overhead_ms"], "<", 100)
    return t


def fmt(v, nd=2):
    return f"{v:.{nd}f}"


def markdown(results):
    m = results["machine"]
    L = [f"Measured {results['date']} on {m['cpu']} ({m['cores']} cores, "
         f"{m['memory_mb'] // 1024} GiB), Linux {m['kernel']}, Xapian {m['xapian']}, "
         f"SQLite {m['sqlite']}, ICU {m['icu']}, commit {m['commit']}"
         f"{' (uncommitted changes)' if m['dirty'] else ''}. Command: `make bench` "
         f"(BENCH_RUNS={results['runs']}, BENCH_PASSES={results['passes']}).", ""]
    L += ["### Indexing (median of the runs)", "",
          "| corpus | articles | engine | wall s | CPU s | peak MB | articles/s | vs raw Xapian | size MB | compacted MB |",
          "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c, r in results["corpora"].items():
        ix = r.get("index", {})
        ref = ix.get("ref-xapian")
        for eng, x in ix.items():
            tp = r["articles"] / x["wall_s"]
            ratio = fmt(tp / (r["articles"] / ref["wall_s"])) + "x" if ref else "-"
            L.append(f"| {c} | {r['articles']} | {eng} | {fmt(x['wall_s'])} | {fmt(x['cpu_s'])} | "
                     f"{x['peak_rss_mb']:.0f} | {tp:.0f} | {ratio} | {x['size_mb']:.1f} | {x['compact_mb']:.1f} |")
    ent = []
    for c, r in results["corpora"].items():
        ix = r.get("index", {})
        if "attache" in ix and "attache-noent" in ix:
            a, b = ix["attache"], ix["attache-noent"]
            ent.append(f"{c} {fmt(a['wall_s'] / b['wall_s'])}x the wall time "
                       f"({fmt(a['wall_s'] - b['wall_s'], 1)} s more), "
                       f"{fmt(a['cpu_s'] / b['cpu_s'])}x the CPU time, "
                       f"{a['peak_rss_mb'] - b['peak_rss_mb']:+.0f} MB peak, "
                       f"{a['compact_mb'] - b['compact_mb']:+.1f} MB compacted "
                       f"(throughput with / without: {fmt(b['wall_s'] / a['wall_s'])})")
    if ent:
        L += ["", "Entity extraction (people, organisations, places: `attache` against "
              "`attache-noent`, the same indexing with `--no-entities`, both on all cores) costs: "
              + "; ".join(ent) + "."]
    nq = next((x["queries"] for r in results["corpora"].values()
               for x in r.get("search", {}).values()), 0)
    ne = next((x["entity"]["queries"] for r in results["corpora"].values()
               for x in r.get("search", {}).values() if "entity" in x), 0)
    L += ["", f"### Searching: the {nq}-query mix, top 10 with snippets, one core", "",
          "`attache+facets`: the same searches with facets (10 values for each of people, "
          "organisations, places and sources, and the date histogram), counted over every "
          "match; the references count no facets.", ""]
    if ne:
        L += [f"The references run `tests/bench/queries-ref.txt`: the same queries with each entity "
              f"filter, and each name that Attaché expands, spelt out as the OR of the entity's "
              f"names (`make-queries.py`).  Entity columns: the same figures over only the {ne} "
              f"queries that have a `person:`, `org:` or `place:` filter.", ""]
    L += ["| corpus | engine | median ms | p99 ms | mean ms | queries/s | vs raw Xapian | vs FTS5 |"
          + (" entity median ms | entity p99 ms |" if ne else ""),
          "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: | ---: |" if ne else "")]
    for c, r in results["corpora"].items():
        s = r.get("search")
        if not s:
            continue
        for eng, x in s.items():
            e = x.get("entity")
            L.append(f"| {c} | {eng} | {fmt(x['median_ms'])} | {fmt(x['p99_ms'])} | {fmt(x['mean_ms'])} | "
                     f"{x['qps']:.0f} | {fmt(x['qps'] / s['ref-xapian']['qps'])}x | "
                     f"{fmt(x['qps'] / s['ref-fts5']['qps'])}x |"
                     + ((f" {fmt(e['median_ms'])} | {fmt(e['p99_ms'])} |" if e else " - | - |")
                        if ne else ""))
    L += ["", "### Text analysis and highlighting", "",
          "Analysis: `bench-analyze` over the corpus in memory, one thread, median of the passes. "
          "Folding = analysis of the texts minus analysis of the same texts with every word "
          "already folded in place (so no word reaches ICU). "
          "Highlighting: the query mix on Attaché's index with 3 snippets per hit and with none.", "",
          "| corpus | MB | words | non-ASCII words | decode MB/s | analysis MB/s | analysis s | folding s | folding / indexing CPU (1 core) | mojibake repaired | hits highlighted/s | share of search time |",
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c, r in results["corpora"].items():
        a, h = r.get("analysis"), r.get("highlight")
        if not a:
            continue
        ix1 = r.get("index", {}).get("attache-1job")
        share = f"{100 * a['fold_s'] / ix1['cpu_s']:.1f}%" if ix1 else "-"
        L.append(f"| {c} | {a['bytes'] / 1e6:.1f} | {a['words']} | {a['nonascii_words']} | "
                 f"{a['decode_mb_s']:.0f} | {a['analyse_mb_s']:.1f} | {fmt(a['analyse_s'], 3)} | "
                 f"{fmt(a['fold_s'], 3)} | {share} | {a['repaired']} | "
                 f"{h['hits_per_s']:.0f} | {100 * h['share']:.0f}% |" if h else "| - | - |")
    for c, r in results["corpora"].items():
        f = r.get("facets")
        if not f:
            continue
        L += ["", "### Facets", "",
              f"`bench-facets` on Attaché's {c} index (all cores, with entities): each query "
              f"{f['runs']} times without and with facets ({f['facets']} values per facet), "
              "interleaved, top 10 hits with snippets, copies collapsed, one core, milliseconds. "
              "Matches: the stories counted (exact). Overhead: the median of the per-run "
              "differences (with - without).", "",
              "| corpus | query | matches | without: median | p90 | with facets: median | p90 | overhead |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for q in f["queries"] + [dict(f["all"], query="(all runs)", matches=None)]:
            qt = q["query"] if q["matches"] is None else f"`{q['query']}`"
            L.append(f"| {c} | {qt} | {'' if q['matches'] is None else q['matches']} | "
                     f"{fmt(q['off_median_ms'])} | {fmt(q['off_p90_ms'])} | "
                     f"{fmt(q['on_median_ms'])} | {fmt(q['on_p90_ms'])} | "
                     f"{fmt(q['overhead_median_ms'])} |")
    for c, r in results["corpora"].items():
        b = r.get("batch")
        if not b:
            continue
        L += ["", "### Batch queries", "",
              f"`attache batch --format trec` (top {b['limit']} per query) on Attaché's {c} index: "
              f"the query mix repeated {b['repeats']} times ({b['queries']} queries) with `--jobs 1` "
              f"and with `--jobs 0` ({b['cores']} threads); median wall time of the passes, "
              "process start and index opening included.", "",
              "| corpus | queries | one thread: s | queries/s | all threads: s | queries/s | all / one |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
              f"| {c} | {b['queries']} | {fmt(b['one']['wall_s'])} | {b['one']['qps']:.0f} | "
              f"{fmt(b['all']['wall_s'])} | {b['all']['qps']:.0f} | {fmt(b['ratio'])}x |"]
    L += ["", "### Targets", "", "| target | corpus | measured | bound | met |",
          "| --- | --- | ---: | --- | --- |"]
    for t in results["targets"]:
        L.append(f"| {t['target']} | {t['corpus']} | {t['value']} | {t['bound']} | "
                 f"{'yes' if t['met'] else '**no**'} |")
    return "\n".join(L) + "\n"


def update_docs(results):
    path = "docs/PERFORMANCE.md"
    begin, end = "<!-- bench:begin (generated by make bench) -->", "<!-- bench:end -->"
    text = open(path).read() if os.path.exists(path) else f"# Performance\n\n{begin}\n{end}\n"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    pre, rest = text.split(begin, 1)
    _, post = rest.split(end, 1)
    open(path, "w").write(pre + begin + "\n" + markdown(results) + end + post)
    os.makedirs("docs/bench", exist_ok=True)
    slim = json.loads(json.dumps(results))
    for r in slim["corpora"].values():
        for x in r.get("search", {}).values():
            x.pop("hits", None)
    with open("docs/bench/results.json", "w") as f:
        json.dump(slim, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--docs-from":
        # Regenerate docs/ from a results file, without measuring again.
        results = json.load(open(sys.argv[2]))
        update_docs(results)
        sys.stdout.write(markdown(results))
        return 0
    for need in ("reuters21578", "ungdc", "bbc", "ag_news", "us_presidential_speeches"):
        if not os.path.isdir(os.path.join(DATA, need)):
            log(f"skipped: {DATA}/{need} is absent; the benchmarks need the shared "
                "corpora beside the repository (BENCH_DATA=DIR to point elsewhere)")
            return 0
    # The references' translation of the mix must match the dictionary.
    if subprocess.run(["python3", "tests/bench/make-queries.py", "--check"]).returncode != 0:
        return 1
    mk = ["python3", "tests/bench/make-corpora.py", DATA, os.path.join(OUT, "corpora")]
    if LARGE:
        mk.append("--large")
    counts = dict(l.split("\t") for l in subprocess.run(
        mk, check=True, capture_output=True, text=True).stdout.split("\n") if l)
    results = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
               "machine": machine(), "runs": RUNS, "passes": PASSES, "corpora": {}}
    # Facets on the largest corpus of the run.
    facet_corpus = next((c for c in ("scale", "reuters") if c in CORPORA), None)
    for c in CORPORA:
        src = os.path.join(OUT, "corpora", c)
        r = {"articles": int(counts[c]), "bytes": tree_bytes(src)}
        log(f"{c}: {r['articles']} articles, {r['bytes'] / 1e6:.0f} MB")
        r["index"] = index_bench(c, src, list(ENGINES), RUNS)
        r["search"] = search_bench(c, r["index"])
        r["analysis"] = analysis_bench(c, src)
        r["highlight"] = highlight_bench(c, r["index"]["attache"]["index"])
        if c == facet_corpus:
            r["facets"] = facets_bench(c, r["index"]["attache"]["index"])
            r["batch"] = batch_bench(c, r["index"]["attache"]["index"])
        results["corpora"][c] = r
    if LARGE:
        src = os.path.join(OUT, "corpora", "large")
        r = {"articles": int(counts["large"]), "bytes": tree_bytes(src)}
        log(f"large: {r['articles']} articles, {r['bytes'] / 1e6:.0f} MB")
        r["index"] = index_bench("large", src, ["attache"], 1)
        results["corpora"]["large"] = r
    results["targets"] = targets(results)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    with open(os.path.join(OUT, "history.jsonl"), "a") as f:
        f.write(json.dumps(results, sort_keys=True) + "\n")
    if os.environ.get("BENCH_NO_DOCS") != "1":
        update_docs(results)
    sys.stdout.write(markdown(results))
    missed = [t for t in results["targets"] if not t["met"]]
    if missed:
        log(f"{len(missed)} target(s) not met: " + "; ".join(
            f"{t['target']} on {t['corpus']}: {t['value']} (want {t['bound']})" for t in missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
