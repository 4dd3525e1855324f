#!/bin/sh
# bench.sh - crmlint's throughput on a generated 1M-row Salesforce Lead export.
#
#   BUILD=build ./ci/bench.sh        (what `make bench` runs, after building
#                                     build/crmlint and build/tools/*)
#
# Environment: BUILD (default build), BENCH_ROWS (default 1000000),
# BENCH_SEED (default 42), BENCH_RUNS (default 3), BENCH_RSS (see below).
#
# The export is generated once into $BUILD/bench/ and reused while its size
# and the generator's source, row count and seed are unchanged (the generator
# is deterministic).  Page caches cannot be dropped without root, so all three
# steps are measured warm, in the same run, one after the other:
#
#   cat           reading the file: the ceiling of any tool
#   libcsv        parsing alone (build/tools/csvparse): the floor of crmlint
#   crmlint       lint --pack rules/bench.yaml --format json --output /dev/null
#
# Each step runs BENCH_RUNS times; the table shows the median wall time, the
# throughput that gives, and the peak resident set size of the median run.
# crmlint exits 1 when it finds gating findings, as it does here: that is
# success.  Exit 2 (or anything else) aborts the benchmark.
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ROWS=${BENCH_ROWS:-1000000}
SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-3}
BIN=$BUILD/crmlint
GEN=$BUILD/tools/gen_leads
CSVPARSE=$BUILD/tools/csvparse
RUNSTAT=$BUILD/tools/runstat
PACK=rules/bench.yaml
DIR=$BUILD/bench
if [ "$ROWS" = 1000000 ]; then
    FILE=$DIR/leads-1m.csv
else
    FILE=$DIR/leads-$ROWS.csv
fi
META=$FILE.meta

die() {
    echo "bench.sh: $*" >&2
    exit 1
}

for f in "$BIN" "$GEN" "$CSVPARSE"; do
    [ -x "$f" ] || die "$f is missing (run 'make bench')"
done
mkdir -p "$DIR"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/crmlint-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

file_size() { wc -c <"$1" | tr -d ' '; }

# ---- the input -------------------------------------------------------------
want="rows=$ROWS seed=$SEED gen=$(cksum <tests/tools/gen_leads.c | cut -d' ' -f1)"
reuse=no
if [ -f "$FILE" ] && [ -f "$META" ]; then
    have=$(sed -n 1p "$META")
    size=$(sed -n 2p "$META")
    if [ "$have" = "$want" ] && [ "$(file_size "$FILE")" = "$size" ]; then
        reuse=yes
    fi
fi
if [ $reuse = yes ]; then
    echo "bench: reusing $FILE"
else
    echo "bench: generating $FILE ($ROWS rows, seed $SEED)"
    rm -f "$META"
    "$GEN" "$ROWS" "$FILE" "$SEED" || die "gen_leads failed"
    printf '%s\n%s\n' "$want" "$(file_size "$FILE")" >"$META"
fi
BYTES=$(file_size "$FILE")

# ---- measuring -------------------------------------------------------------
# How peak memory is measured: GNU time if installed, else our wrapper, else
# not at all (BENCH_RSS=time|runstat|none forces one).
HOW=${BENCH_RSS:-}
if [ -z "$HOW" ]; then
    if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$TMP/probe" true 2>/dev/null; then
        HOW="time"
    elif [ -x "$RUNSTAT" ]; then
        HOW=runstat
    else
        HOW=none
    fi
fi

now_ns() { date +%s%N; }

# run_once OK_CODES CMD...: runs CMD with its output discarded; prints
# "WALL_SECONDS RSS_KB" (RSS "-" when unknown).  Any exit code not in
# OK_CODES (a space-separated list) aborts.
run_once() {
    ok=$1
    shift
    rc=0
    case $HOW in
    time)
        t0=$(now_ns)
        /usr/bin/time -f %M -o "$TMP/rss" "$@" >/dev/null 2>"$TMP/err" || rc=$?
        t1=$(now_ns)
        # GNU time adds "Command exited with non-zero status N" before %M.
        rss=$(tail -n 1 "$TMP/rss")
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
        ;;
    runstat)
        "$RUNSTAT" "$TMP/stat" "$@" >/dev/null 2>"$TMP/err" || rc=$?
        read -r wall rss <"$TMP/stat"
        ;;
    none)
        t0=$(now_ns)
        "$@" >/dev/null 2>"$TMP/err" || rc=$?
        t1=$(now_ns)
        rss=-
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
        ;;
    esac
    case " $ok " in
    *" $rc "*) ;;
    *)
        cat "$TMP/err" >&2
        die "'$*' exited with $rc"
        ;;
    esac
    echo "$wall $rss"
}

# measure LABEL OK_CODES CMD...: BENCH_RUNS runs; appends a table row.
measure() {
    label=$1
    ok=$2
    shift 2
    : >"$TMP/runs"
    i=0
    while [ $i -lt "$RUNS" ]; do
        run_once "$ok" "$@" >>"$TMP/runs"
        i=$((i + 1))
    done
    # The median run by wall time (the middle line once sorted).
    mid=$(((RUNS + 1) / 2))
    # shellcheck disable=SC2046 # split "WALL RSS" into $1 $2
    set -- $(sort -n "$TMP/runs" | sed -n "${mid}p")
    awk -v label="$label" -v wall="$1" -v rss="$2" -v bytes="$BYTES" -v rows="$ROWS" 'BEGIN {
        mbs = wall > 0 ? bytes / 1e6 / wall : 0
        rps = wall > 0 ? rows / wall : 0
        mem = rss == "-" ? "n/a" : sprintf("%.1f", rss / 1024)
        printf "%-40s %9.3f %9.1f %12.0f %10s\n", label, wall, mbs, rps, mem
    }' >>"$TMP/table"
}

echo "bench: warming the page cache"
cat "$FILE" >/dev/null

: >"$TMP/table"
measure "cat FILE > /dev/null" "0" cat "$FILE"
measure "libcsv parse, no-op callbacks" "0" "$CSVPARSE" "$FILE"
measure "crmlint lint (bench.yaml, json)" "0 1" \
    "$BIN" lint --pack "$PACK" --format json --output /dev/null "$FILE"

# ---- the report ------------------------------------------------------------
echo
awk -v f="$FILE" -v b="$BYTES" -v r="$ROWS" -v n="$RUNS" -v how="$HOW" 'BEGIN {
    printf "%s: %d rows, %.1f MB; median of %d runs, warm cache; peak RSS via %s\n\n",
        f, r, b / 1e6, n, how == "time" ? "/usr/bin/time" : how == "runstat" ? "runstat" : "(unavailable)"
    printf "%-40s %9s %9s %12s %10s\n", "step", "wall s", "MB/s", "rows/s", "RSS MB"
    printf "%-40s %9s %9s %12s %10s\n", "----", "------", "----", "------", "------"
}'
cat "$TMP/table"
