#!/bin/sh
# callgrind-per-query.sh: instructions per query of the benchmark's query
# mix, counted by callgrind (deterministic, unlike wall time on a shared
# machine), one dump per att_search() call; prints the median, p90, p99
# and total over the queries.  Not part of `make bench`: a tool for
# comparing two builds on the same index (docs/PERFORMANCE.md).
#
#   tests/bench/callgrind-per-query.sh BENCH_SEARCH INDEX QUERIES [ARGS...]
#
# ARGS go to bench-search (e.g. --facets 10).  One pass, no warm-up: the
# first query's count includes the library's start-up (the entity
# dictionary and ICU), so it is left out.  Needs valgrind.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 BENCH_SEARCH INDEX QUERIES [ARGS...]" >&2; exit 2; }
bin=$1 idx=$2 queries=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.%p" --dump-after=att_search \
    "$bin" "$idx" "$queries" --passes 1 --warmup 0 "$@" >/dev/null 2>"$dir/log" ||
    { cat "$dir/log" >&2; exit 1; }
# dumps are cg.PID.N, N = 1 for the first query (start-up included, so
# dropped); cg.PID, the part after the last query, is not read
for f in $(ls "$dir" | grep '^cg\.[0-9]*\.[0-9]*$' | sort -t. -k3 -n); do
    grep -m1 '^totals:' "$dir/$f" | awk '{print $2}'
done | sed '1d' | sort -n | awk '
    { a[NR] = $1; s += $1 }
    END { printf "queries %d  median %.1f M  p90 %.1f M  p99 %.1f M  total %.1f M instructions\n",
                 NR, a[int(NR / 2) + 1] / 1e6, a[int(NR * 0.9)] / 1e6, a[int(NR * 0.99)] / 1e6, s / 1e6 }'
