#!/usr/bin/env bash
# run-tests.sh: runs every Criterion test binary given as an argument, then
# the shell-level checks (exported symbols, install), and prints one
# summary line "N passed, M failed".  Exit status is non-zero if anything
# failed or a binary did not run.
# Environment (set by `make test`): ATTACHE_BIN, ATTACHE_BUILD, ATTACHE_SRC,
# MAKE.
set -u

: "${ATTACHE_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${ATTACHE_BUILD:=$ATTACHE_SRC/build}"
: "${ATTACHE_BIN:=$ATTACHE_BUILD/attache}"
: "${MAKE:=make}"
export ATTACHE_BIN ATTACHE_BUILD ATTACHE_SRC

passed=0
failed=0
broken=0

# ---- Criterion suites --------------------------------------------------------

for bin in "$@"; do
    echo "==== $(basename "$bin")"
    if [ ! -x "$bin" ]; then
        echo "run-tests: $bin is missing or not executable" >&2
        broken=$((broken + 1))
        continue
    fi
    out=$("$bin" --jobs 2 --short-filename 2>&1)
    rc=$?
    printf '%s\n' "$out"
    line=$(printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep 'Synthesis:' | tail -n 1)
    if [ -z "$line" ]; then
        echo "run-tests: $(basename "$bin") printed no synthesis (exit $rc)" >&2
        broken=$((broken + 1))
        continue
    fi
    p=$(printf '%s' "$line" | sed -n 's/.*Passing: *\([0-9]*\).*/\1/p')
    f=$(printf '%s' "$line" | sed -n 's/.*Failing: *\([0-9]*\).*/\1/p')
    c=$(printf '%s' "$line" | sed -n 's/.*Crashing: *\([0-9]*\).*/\1/p')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0} + ${c:-0}))
    if [ "$rc" -ne 0 ] && [ $(( ${f:-0} + ${c:-0} )) -eq 0 ]; then
        echo "run-tests: $(basename "$bin") exited $rc with no failing test" >&2
        broken=$((broken + 1))
    fi
done

# ---- shell-level checks -------------------------------------------------------

check() { # name, then the function to run
    local name=$1
    shift
    local out
    if out=$("$@" 2>&1); then
        echo "[PASS] shell::$name"
        passed=$((passed + 1))
    else
        echo "[FAIL] shell::$name"
        printf '%s\n' "$out" | sed 's/^/    /'
        failed=$((failed + 1))
    fi
}

# a. The .so exports exactly the functions declared with ATT_API.
check_exports() {
    local so=$ATTACHE_BUILD/libattache.so
    [ -e "$so" ] || { echo "no $so"; return 1; }
    local have want
    have=$(nm -D --defined-only "$so" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u)
    want=$(tr '\n' ' ' < "$ATTACHE_SRC/common/attache.h" | sed 's/;/;\n/g' |
           grep 'ATT_API' | grep -o 'att_[a-z_]*[[:space:]]*(' |
           sed 's/[[:space:]]*($//' | sort -u)
    [ -n "$want" ] || { echo "no ATT_API declarations found"; return 1; }
    if [ "$have" != "$want" ]; then
        echo "exported symbols differ from attache.h (< exported only, > declared only):"
        diff <(printf '%s\n' "$have") <(printf '%s\n' "$want") | grep '^[<>]'
        return 1
    fi
    echo "$(printf '%s\n' "$want" | wc -l) functions exported"
}

# b. make install produces a usable library, header and pkg-config file.
check_install() {
    local tmp san=
    tmp=$(mktemp -d /tmp/att-install-XXXXXX) || return 1
    case $ATTACHE_BUILD in
    */build/san) san=address,undefined ;;
    esac
    local rc=0
    (
        set -e
        $MAKE -s -C "$ATTACHE_SRC" install DESTDIR="$tmp" PREFIX=/usr SANITIZE="$san" >/dev/null
        for f in bin/attache lib/libattache.a lib/libattache.so.0.1.0 \
                 include/attache.h lib/pkgconfig/attache.pc; do
            [ -f "$tmp/usr/$f" ] || { echo "missing $tmp/usr/$f"; exit 1; }
        done
        for l in libattache.so.0 libattache.so; do
            [ -L "$tmp/usr/lib/$l" ] || { echo "missing symlink $l"; exit 1; }
            [ "$(readlink "$tmp/usr/lib/$l")" = libattache.so.0.1.0 ] ||
                { echo "$l points elsewhere"; exit 1; }
        done
        flags=$(PKG_CONFIG_SYSROOT_DIR=$tmp PKG_CONFIG_PATH=$tmp/usr/lib/pkgconfig \
                pkg-config --cflags --libs attache)
        echo "pkg-config: $flags"
        case $flags in *-lattache*) ;; *) echo "no -lattache"; exit 1 ;; esac
        case " $flags " in *" -L$tmp/usr/lib "*) ;; *) echo "no -L$tmp/usr/lib"; exit 1 ;; esac
        case " $flags " in *" -I$tmp/usr/include "*) ;; *) echo "no -I$tmp/usr/include"; exit 1 ;; esac
        # The installed .pc must describe where the files were installed.
        grep -qx 'prefix=/usr' "$tmp/usr/lib/pkgconfig/attache.pc" ||
            { echo "installed attache.pc does not say prefix=/usr:"; head -3 "$tmp/usr/lib/pkgconfig/attache.pc"; exit 1; }
        case $flags in *usr/local*) echo "pkg-config flags point to /usr/local"; exit 1 ;; esac
        cat > "$tmp/x.c" <<'CEOF'
#include <attache.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    if (strcmp(att_strerror(ATT_LOCKED), "index is locked") != 0)
        return 1;
    printf("version %s\n", att_version());
    return 0;
}
CEOF
        local_san=
        [ -n "$san" ] && local_san="-fsanitize=$san"
        cc $local_san -I"$tmp/usr/include" "$tmp/x.c" -L"$tmp/usr/lib" -lattache -o "$tmp/x"
        got=$(LD_LIBRARY_PATH=$tmp/usr/lib "$tmp/x")
        echo "program printed: $got"
        [ "$got" = "version 0.1.0" ] || { echo "unexpected output"; exit 1; }
    ) || rc=1
    rm -rf "$tmp"
    return $rc
}

# c. The ranking evaluator (tests/eval/trec_eval.py) and the TIME parsers,
#    on hand-computed cases (no data needed).
check_evaluator() {
    PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s "$ATTACHE_SRC/tests/eval" -p 'test_*.py'
}

check exported-symbols check_exports
check install check_install
check evaluator check_evaluator

total_failed=$((failed + broken))
echo
echo "$passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
