#!/usr/bin/env python3
"""compare.py: compares two benchmark runs (results.json files, or lines of
build/bench/history.jsonl picked by number: history.jsonl:-1 is the last).

  python3 tests/bench/compare.py docs/bench/results.json build/bench/results.json
  python3 tests/bench/compare.py build/bench/history.jsonl:-2 build/bench/history.jsonl:-1

For every corpus and engine present in both, prints Attaché's ratios to the
references in each run (the figures the targets are about, which survive a
change of machine better than raw times) and the raw times side by side."""
import json, sys


def load(spec):
    if ":" in spec and spec.rsplit(":", 1)[1].lstrip("-").isdigit():
        path, k = spec.rsplit(":", 1)
        lines = [l for l in open(path) if l.strip()]
        return json.loads(lines[int(k)])
    return json.load(open(spec))


def ratios(r):
    out = {}
    for c, x in r["corpora"].items():
        ix, s = x.get("index", {}), x.get("search", {})
        if "attache" in ix and "ref-xapian" in ix:
            out[(c, "index speed / raw Xapian")] = ix["ref-xapian"]["wall_s"] / ix["attache"]["wall_s"]
            out[(c, "index speed, 1 job / raw Xapian")] = ix["ref-xapian"]["wall_s"] / ix["attache-1job"]["wall_s"]
            out[(c, "compacted size / raw Xapian")] = ix["attache"]["compact_mb"] / ix["ref-xapian"]["compact_mb"]
        if "attache" in ix and "attache-noent" in ix:
            out[(c, "index speed with / without entities")] = ix["attache-noent"]["wall_s"] / ix["attache"]["wall_s"]
        if "attache" in ix:
            out[(c, "peak MB")] = ix["attache"]["peak_rss_mb"]
            out[(c, "index wall s")] = ix["attache"]["wall_s"]
        if s:
            out[(c, "queries/s / raw Xapian")] = s["attache"]["qps"] / s["ref-xapian"]["qps"]
            out[(c, "queries/s / FTS5")] = s["attache"]["qps"] / s["ref-fts5"]["qps"]
            out[(c, "median ms")] = s["attache"]["median_ms"]
            out[(c, "p99 ms")] = s["attache"]["p99_ms"]
        if x.get("facets"):
            out[(c, "facet overhead ms, worst query")] = x["facets"]["worst_overhead_ms"]
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = load(sys.argv[1]), load(sys.argv[2])
    ra, rb = ratios(a), ratios(b)
    print(f"A: {a['date']} commit {a['machine']['commit']}   B: {b['date']} commit {b['machine']['commit']}")
    print(f"{'corpus':10} {'figure':34} {'A':>10} {'B':>10} {'B/A':>7}")
    for k in sorted(set(ra) & set(rb)):
        va, vb = ra[k], rb[k]
        print(f"{k[0]:10} {k[1]:34} {va:10.3f} {vb:10.3f} {vb / va if va else 0:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
