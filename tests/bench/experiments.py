#!/usr/bin/env python3
"""experiments.py: `make bench-experiments`.  Measures what each way of
driving Xapian's writer gains, on one corpus (BENCH_CORPUS, default
reuters), median of BENCH_RUNS runs (default 3), all in one run so the
figures can be compared with each other:

  - the raw-Xapian reference with Xapian's flush threshold (10,000), with
    commits every 1,000 documents, with DB_NO_SYNC (and one fsync of the
    files at the end), and as two shards of contiguous files built in
    parallel and merged by xapian-compact (the wall time includes the
    merge);
  - Attaché with --jobs 1, 2, 3 and 4, and with --batch 300, 1000, 3000.

Writes build/bench/experiments.md (a table for docs/PERFORMANCE.md) and
prints it."""
import os, shutil, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
import bench  # noqa: E402

CORPUS = os.environ.get("BENCH_CORPUS", "reuters")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
OUT = bench.OUT
SRC = os.path.join(OUT, "corpora", CORPUS)
REF = os.path.join(OUT, "ref-xapian")
DB = os.path.join(OUT, "idx", "experiment")


def fresh():
    for p in (DB, DB + ".0", DB + ".1"):
        shutil.rmtree(p, ignore_errors=True)
    os.makedirs(os.path.dirname(DB), exist_ok=True)


def single(argv):
    fresh()
    return bench.run_measured(argv, ok=(0, 9))


def shards(extra):
    fresh()
    t0 = time.monotonic()
    ps = [subprocess.Popen([REF, "index", f"{DB}.{k}", SRC, "--shard", f"{k}/2"] + extra,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
          for k in range(2)]
    cpu = 0.0
    peak = 0.0
    for p in ps:
        _, status, ru = os.wait4(p.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit("experiments: a shard failed")
        cpu += ru.ru_utime + ru.ru_stime
        peak += ru.ru_maxrss / 1024.0
    m = bench.run_measured(["xapian-compact", f"{DB}.0", f"{DB}.1", DB])
    return {"wall_s": time.monotonic() - t0, "cpu_s": cpu + m["cpu_s"],
            "peak_rss_mb": peak}


def main():
    if not os.path.isdir(SRC):
        subprocess.run(["python3", "tests/bench/make-corpora.py", bench.DATA,
                        os.path.join(OUT, "corpora")], check=True, stdout=subprocess.DEVNULL)
    att = bench.ATTACHE
    cases = [
        ("raw Xapian, flush threshold (10,000 documents)", lambda: single([REF, "index", DB, SRC])),
        ("raw Xapian, commit every 1,000", lambda: single([REF, "index", DB, SRC, "--batch", "1000"])),
        ("raw Xapian, commit every 1,000, DB_NO_SYNC + final fsync",
         lambda: single([REF, "index", DB, SRC, "--batch", "1000", "--no-sync"])),
        ("raw Xapian, 2 shards in parallel + xapian-compact, commit every 1,000",
         lambda: shards(["--batch", "1000"])),
    ]
    for j in (1, 2, 3, 4):
        cases.append((f"Attaché --jobs {j}",
                      lambda j=j: single([att, "index", "--quiet", "--jobs", str(j), "--db", DB, SRC])))
    for b in (300, 3000):
        cases.append((f"Attaché --jobs 0 --batch {b}",
                      lambda b=b: single([att, "index", "--quiet", "--batch", str(b), "--db", DB, SRC])))
    rows = []
    for name, fn in cases:
        runs = [fn() for _ in range(RUNS)]
        med = {k: statistics.median(r[k] for r in runs) for k in ("wall_s", "cpu_s", "peak_rss_mb")}
        bench.log(f"{name}: {med['wall_s']:.2f} s wall, {med['cpu_s']:.2f} s CPU, "
                  f"{med['peak_rss_mb']:.0f} MB")
        rows.append((name, med))
    base = rows[0][1]["wall_s"]
    lines = [f"Corpus `{CORPUS}`, median of {RUNS} runs, `make bench-experiments` "
             f"(commit {bench.machine()['commit']}).", "",
             "| way of writing | wall s | CPU s | peak MB | speed vs first row |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name, m in rows:
        lines.append(f"| {name} | {m['wall_s']:.2f} | {m['cpu_s']:.2f} | "
                     f"{m['peak_rss_mb']:.0f} | {base / m['wall_s']:.2f}x |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(OUT, f"experiments-{CORPUS}.md"), "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
