#!/usr/bin/env bash
# profile.sh: `make profile`.  Runs Attaché's indexer (one job, so the
# counts are one thread's) on the first 2,000 Reuters stories and the
# benchmark query mix on the index built, under callgrind, and writes the
# top entries by inclusive and by self instruction count to
# build/bench/profile-index.txt and build/bench/profile-search.txt.  The
# query mix runs on an index of all of Reuters (built outside callgrind).
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
files=("$src"/*.txt)
for f in "${files[@]:0:2000}"; do ln "$f" "$sub/"; done
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.index" \
    "$build/attache" index --quiet --jobs 1 --db "$out/profile-index" "$sub" 2>/dev/null || true
rm -rf "$out/profile-reuters"
"$build/attache" index --quiet --db "$out/profile-reuters" "$src" || [ $? -eq 9 ]
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.search" \
    "$out/bench-search" "$out/profile-reuters" tests/bench/queries.txt --passes 1 --warmup 0 \
    >/dev/null 2>&1
set +o pipefail # head closes the pipes early
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
