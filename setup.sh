#!/bin/sh
# setup.sh: installs every Debian package Attaché needs to build, test and
# benchmark, on Debian 12 (bookworm).  Idempotent: packages already there
# are left alone.  Runs apt-get as root, or through sudo otherwise.
#
#   build-essential pkg-config   compiler, make, pkg-config
#   libxapian-dev xapian-tools   the search library (1.4.22) and xapian-compact
#   libicu-dev                   Unicode: case folding, segmentation
#   libstemmer-dev               Snowball stemmers (C)
#   libjansson-dev               JSON output, and the JSON Lines / ninjs readers
#   libedit-dev                  line editing and history at the prompt
#   libcriterion-dev             the test framework
#   libsqlite3-dev               the SQLite FTS5 reference in benchmarks
#   iso-codes                    country names and codes (the entity
#                                dictionary's generator, corpus/tools)
#   tzdata                       city names by country (the same generator)
#   binutils                     nm, for the exported-symbols test
#   python3                      the benchmark harness and corpus tools
#   valgrind                     callgrind, for `make profile`
#   util-linux                   taskset, pins the query benchmarks to a core
#   groff-base mandoc            render and lint the manual page (docs/attache.1)
#   libxml2-dev                  the HTML article reader (libxml2's HTML parser)
set -eu

PACKAGES="build-essential pkg-config libxapian-dev xapian-tools libicu-dev \
libstemmer-dev libjansson-dev libedit-dev libcriterion-dev libsqlite3-dev \
iso-codes tzdata binutils python3 valgrind util-linux groff-base mandoc \
libxml2-dev"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "setup.sh: all packages are installed."
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "setup.sh: need root or sudo to install:$missing" >&2
    exit 1
fi

echo "setup.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
echo "setup.sh: done."
