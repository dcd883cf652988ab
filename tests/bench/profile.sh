#!/usr/bin/env bash
# profile.sh: `make profile`.  Runs Attaché's indexer (one job, so the
# counts are one thread's) on the first 2,000 Reuters stories and the
# benchmark query mix on the index built, under callgrind, and writes the
# top entries by inclusive and by self instruction count to
# build/bench/profile-index.txt and build/bench/profile-search.txt.
# Needs valgrind and the corpora (make bench converts them; or run
# python3 tests/bench/make-corpora.py first).
set -euo pipefail
build=${BENCH_BUILD:-build}
out=$build/bench
src=$out/corpora/reuters
if [ ! -d "$src" ]; then
    python3 tests/bench/make-corpora.py "${BENCH_DATA:-../shared/data}" "$out/corpora" >/dev/null
fi
sub=$out/profile-corpus
rm -rf "$sub" "$out/profile-index"
mkdir -p "$sub"
ls "$src" | grep '\.txt$' | head -2000 | while read -r f; do ln "$src/$f" "$sub/$f"; done
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.index" \
    "$build/attache" index --quiet --jobs 1 --db "$out/profile-index" "$sub" 2>/dev/null || true
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.search" \
    "$out/bench-search" "$out/profile-index" tests/bench/queries.txt --passes 1 --warmup 0 \
    >/dev/null 2>&1
for what in index search; do
    {
        echo "== $what: inclusive =="
        callgrind_annotate --inclusive=yes "$out/callgrind.$what" 2>/dev/null \
            | grep -E '^ *[0-9,]+ \(' | head -40
        echo
        echo "== $what: self =="
        callgrind_annotate "$out/callgrind.$what" 2>/dev/null \
            | grep -E '^ *[0-9,]+ \(' | head -30
    } > "$out/profile-$what.txt"
    echo "profile: $out/profile-$what.txt"
done
