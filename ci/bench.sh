#!/bin/sh
# bench.sh - crmlint's speed and memory on generated Salesforce exports.
#
#   BUILD=build ./ci/bench.sh        (what `make bench` runs, after building
#                                     build/crmlint and build/tools/*)
#
# Three benchmarks, one table, then a side-by-side with DuckDB:
#
#   leads     the Lead export of rules/bench.yaml (12 rules) at 100k and
#             1M rows, and 10M with BENCH_FULL=1: time should be linear in
#             rows (issue 7).  At 1M rows, `cat` (reading the file: the
#             ceiling of any tool) and libcsv alone (build/tools/csvparse:
#             the floor of crmlint) are measured too.
#   files     four 250k-row Lead exports linted together, with --jobs 1 and
#             with one job per core (files of one object run in parallel).
#   history   a 1M-row OpportunityHistory export (about 100k opportunities)
#             with rules/bench-history.yaml: a `sequence` rule and a
#             business-hours `sla` (issue 3).
#   dupes     a 5M-row Lead export with two `unique` rules and a `reference`
#             to a 500k-row Account export, rules/bench-dupes.yaml (issue 4);
#             run twice, the second time without the unique rules, to report
#             the peak memory their indexes take per distinct key.
#   duckdb    ci/bench-duckdb.sh: bench.yaml's rules against the same checks
#             written as one DuckDB SQL query over leads 1m, alternated, with
#             cat and libcsv alone again, and the per-rule finding counts of
#             the two compared (issue 7).  DuckDB comes from npm; without
#             node, npm or the registry it is skipped with a note, as it is
#             with BENCH_DUCKDB=0.
#
# Environment: BUILD (default build), BENCH_RUNS (3), BENCH_SEED (42),
# BENCH_FULL (0; 1 adds the 10M-row lead run: 2.4 GB of disk, about a minute
# more), BENCH_ONLY (a comma-separated subset of leads,files,history,dupes,
# duckdb),
# BENCH_DUPES_ROWS (5000000), BENCH_DUPES_ACCOUNTS (500000), BENCH_RSS (see
# below), BENCH_DUCKDB (1; 0 skips the DuckDB side-by-side).
#
# Exports are generated once into $BUILD/bench/ and reused while their size
# and the generator's sources and arguments are unchanged (the generators are
# deterministic); $BUILD/bench/FILE.meta records that, and what the generator
# said it planted.  A missing export is generated only when the disk has room
# for it, else its steps are skipped with a note.  Page caches cannot be
# dropped without root, so everything is measured warm: each file is read
# once before its runs.
#
# Each step runs BENCH_RUNS times; the table shows the median wall time, the
# throughput it gives, and the peak resident set size of that median run.
# crmlint exits 1 when it finds gating findings, as it does here: that is
# success.  Exit 2 (or anything else) aborts the benchmark.  The dupes runs
# also check that crmlint found exactly the duplicates and dangling
# references the generator planted; a mismatch makes the script fail after
# printing the table, since the memory per key would mean nothing.  So does a
# difference between crmlint's and DuckDB's finding counts.
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-3}
FULL=${BENCH_FULL:-0}
ONLY=${BENCH_ONLY:-leads,files,history,dupes,duckdb}
DUPES_ROWS=${BENCH_DUPES_ROWS:-5000000}
DUPES_ACCOUNTS=${BENCH_DUPES_ACCOUNTS:-500000}
BIN=$BUILD/crmlint
TOOLS=$BUILD/tools
DIR=$BUILD/bench
T0=$(date +%s)

die() {
    echo "bench.sh: $*" >&2
    exit 1
}

for f in "$BIN" "$TOOLS/gen_leads" "$TOOLS/gen_accounts" "$TOOLS/gen_history" \
    "$TOOLS/csvparse"; do
    [ -x "$f" ] || die "$f is missing (run 'make bench')"
done
mkdir -p "$DIR"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/crmlint-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
: >"$TMP/table"
: >"$TMP/notes"
FAILED=0

file_size() { wc -c <"$1" | tr -d ' '; }

# 1000000 -> 1m, 500000 -> 500k; other counts as they are.
short() {
    case $1 in
    *000000) echo "${1%000000}m" ;;
    *000) echo "${1%000}k" ;;
    *) echo "$1" ;;
    esac
}

wanted() {
    case ",$ONLY," in
    *",$1,"*) return 0 ;;
    *) return 1 ;;
    esac
}

note() { echo "$*" >>"$TMP/notes"; }

# ---- the inputs ------------------------------------------------------------
# ensure FILE EST_BYTES SOURCES CMD...: generates FILE with CMD unless a file
# made by the same command from the same sources is there.  Returns 1 (after
# a note) when there is no room on the disk for about EST_BYTES more.
ensure() {
    file=$1
    est=$2
    srcs=$3
    shift 3
    meta=$file.meta
    # make rebuilds a tool when its .c changes, not when gen.h does.
    for s in $srcs; do
        if [ -n "$(find "$s" -newer "$1")" ]; then
            die "$1 is older than $s: rebuild it (rm $1; make bench)"
        fi
    done
    # shellcheck disable=SC2086 # the sources are a word list
    want="$* | $(cat $srcs | cksum | cut -d' ' -f1)"
    if [ -f "$file" ] && [ -f "$meta" ] && [ "$(sed -n 1p "$meta")" = "$want" ] &&
        [ "$(file_size "$file")" = "$(sed -n 2p "$meta")" ]; then
        echo "bench: reusing $file"
        return 0
    fi
    rm -f "$file" "$meta"
    # Room for the file and 1 GB to spare.
    avail_kb=$(df -Pk "$DIR" | awk 'NR == 2 { print $4 }')
    if [ $((avail_kb / 1024)) -lt $((est / 1048576 + 1024)) ]; then
        note "skipped $(basename "$file"): it needs about $((est / 1000000)) MB, $DIR has $((avail_kb / 1024)) MB free"
        return 1
    fi
    echo "bench: generating $file"
    "$@" 2>"$TMP/gen.err" || {
        cat "$TMP/gen.err" >&2
        die "$1 failed"
    }
    printf '%s\n%s\n%s\n' "$want" "$(file_size "$file")" "$(tail -n 1 "$TMP/gen.err")" >"$meta"
}

# What the generator of FILE reported planting: "name=N ..." -> N.
planted() { sed -n 3p "$1.meta" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# ---- measuring -------------------------------------------------------------
# shellcheck source=ci/bench-lib.sh
. ./ci/bench-lib.sh

# measure OK_CODES CMD...: BENCH_RUNS runs; sets WALL and RSS to those of
# the median run (by wall time).
measure() {
    ok=$1
    shift
    : >"$TMP/runs"
    i=0
    while [ $i -lt "$RUNS" ]; do
        run_once "$ok" "$@" >>"$TMP/runs"
        i=$((i + 1))
    done
    mid=$(((RUNS + 1) / 2))
    read -r WALL RSS <<EOF
$(sort -n "$TMP/runs" | sed -n "${mid}p")
EOF
}

# row LABEL ROWS BYTES [BYTES_PER_KEY]: a table row from WALL and RSS.
row() {
    awk -v label="$1" -v rows="$2" -v bytes="$3" -v bkey="${4:--}" -v wall="$WALL" \
        -v rss="$RSS" 'BEGIN {
        mbs = wall > 0 ? bytes / 1e6 / wall : 0
        rps = wall > 0 ? rows / wall : 0
        mem = rss == "-" ? "n/a" : sprintf("%.1f", rss / 1024)
        printf "%-52s %10d %8.3f %8.1f %10.0f %9s %6s\n", label, rows, wall, mbs, rps, mem, bkey
    }' >>"$TMP/table"
}

skipped_row() {
    printf '%-52s %10s %8s %8s %10s %9s %6s\n' "$1" "$2" "-" "-" "-" "skipped" "-" >>"$TMP/table"
}

# ---- leads: bench.yaml at 100k, 1M (and 10M) rows ---------------------------
# lead_file ROWS: sets f to the export of that size, generating it if need be.
lead_file() {
    f=$DIR/leads-$(short "$1").csv
    ensure "$f" $(($1 * 245)) "tests/tools/gen_leads.c tests/tools/gen.h" \
        "$TOOLS/gen_leads" "$1" "$f" "$SEED"
}

lead_step() { # ROWS
    label="crmlint bench.yaml, leads $(short "$1")"
    if lead_file "$1"; then
        cat "$f" >/dev/null
        measure "0 1" "$BIN" lint --pack rules/bench.yaml --format json --output /dev/null "$f"
        row "$label" "$1" "$(file_size "$f")"
        echo "$1 $WALL" >>"$TMP/linear"
    else
        skipped_row "$label" "$1"
    fi
}

if wanted leads; then
    if lead_file 1000000; then
        bytes=$(file_size "$f")
        cat "$f" >/dev/null
        measure "0" cat "$f"
        row "cat leads-1m > /dev/null" 1000000 "$bytes"
        measure "0" "$TOOLS/csvparse" "$f"
        row "libcsv parse leads-1m, no-op callbacks" 1000000 "$bytes"
    fi
    : >"$TMP/linear"
    lead_step 100000
    lead_step 1000000
    if [ "$FULL" = 1 ]; then
        lead_step 10000000
    else
        skipped_row "crmlint bench.yaml, leads 10m" 10000000
        note "leads 10m skipped: BENCH_FULL=1 runs it (2.4 GB in $DIR, about a minute more)"
    fi
    # Linearity: each size's time per row against the 1M run's.
    awk '{ rows[NR] = $1; wall[NR] = $2; if ($1 == 1000000) ref = $2 / $1 }
        END {
            if (!ref) exit
            s = "time per row against leads 1m:"
            for (i = 1; i <= NR; i++)
                s = s sprintf(" %s x%.2f;", rows[i] >= 1e6 ? rows[i] / 1e6 "m" : rows[i] / 1e3 "k",
                    wall[i] / rows[i] / ref)
            print s " (x1.00 everywhere is linear)"
        }' "$TMP/linear" >>"$TMP/notes"
fi

# ---- files: several files of one object, one thread against all ------------
# Four 250k-row Lead exports (other seeds and row numbers, so other ids and
# emails): the chunks of one file and of the next go through the same pool,
# so files run in parallel too.
if wanted files; then
    parts=
    for k in 1 2 3 4; do
        p=$DIR/leads-250k-part$k.csv
        ensure "$p" $((250000 * 245)) "tests/tools/gen_leads.c tests/tools/gen.h" \
            "$TOOLS/gen_leads" -f $((k * 250000)) 250000 "$p" $((SEED + k)) || {
            parts=
            break
        }
        parts="$parts $p"
    done
    if [ -n "$parts" ]; then
        # shellcheck disable=SC2086 # a list of paths without blanks
        bytes=$(cat $parts | wc -c | tr -d ' ')
        # shellcheck disable=SC2086
        cat $parts >/dev/null
        # shellcheck disable=SC2086
        measure "0 1" "$BIN" lint --pack rules/bench.yaml --format json --output /dev/null \
            --jobs 1 $parts
        row "crmlint bench.yaml, 4 files x 250k, --jobs 1" 1000000 "$bytes"
        files_j1=$WALL
        # shellcheck disable=SC2086
        measure "0 1" "$BIN" lint --pack rules/bench.yaml --format json --output /dev/null $parts
        row "crmlint bench.yaml, 4 files x 250k, --jobs $(nproc)" 1000000 "$bytes"
        note "$(awk -v a="$files_j1" -v b="$WALL" -v n="$(nproc)" 'BEGIN {
            printf "4 files: --jobs %d takes %.2fx less time than --jobs 1", n, a / b }')"
    else
        skipped_row "crmlint bench.yaml, 4 files x 250k" 1000000
    fi
fi

# ---- history: sequence + business-hours sla ---------------------------------
if wanted history; then
    f=$DIR/OpportunityHistory-1m.csv
    if ensure "$f" 330000000 "tests/tools/gen_history.c tests/tools/gen.h" \
        "$TOOLS/gen_history" 1000000 "$f" "$SEED"; then
        bytes=$(file_size "$f")
        cat "$f" >/dev/null
        measure "0 1" "$BIN" lint --pack rules/bench-history.yaml --format json \
            --output /dev/null "$f"
        row "crmlint bench-history.yaml, history 1m" 1000000 "$bytes"
    else
        skipped_row "crmlint bench-history.yaml, history 1m" 1000000
    fi
fi

# ---- dupes: unique x2 + reference, and the memory per distinct key ---------
if wanted dupes; then
    leads=$DIR/leads-$(short "$DUPES_ROWS")-dupes.csv
    accounts=$DIR/accounts-$(short "$DUPES_ACCOUNTS").csv
    if ensure "$accounts" $((DUPES_ACCOUNTS * 240)) \
        "tests/tools/gen_accounts.c tests/tools/gen.h" \
        "$TOOLS/gen_accounts" "$DUPES_ACCOUNTS" "$accounts" "$SEED" &&
        ensure "$leads" $((DUPES_ROWS * 250)) "tests/tools/gen_leads.c tests/tools/gen.h" \
            "$TOOLS/gen_leads" -a "$DUPES_ACCOUNTS" "$DUPES_ROWS" "$leads" "$SEED"; then
        bytes=$(($(file_size "$leads") + $(file_size "$accounts")))
        records=$((DUPES_ROWS + DUPES_ACCOUNTS))
        label="$(short "$DUPES_ROWS") leads + $(short "$DUPES_ACCOUNTS") accounts"
        cat "$leads" "$accounts" >/dev/null
        measure "0 1" "$BIN" lint --pack rules/bench-dupes.yaml --format json \
            --ignore dupes-email-unique,dupes-phone-unique --output /dev/null "$leads" "$accounts"
        base_wall=$WALL
        base_rss=$RSS
        # --max-findings 0 keeps the report small; the findings are still
        # made and kept in memory, as in any run.
        measure "0 1" "$BIN" lint --pack rules/bench-dupes.yaml --format json --max-findings 0 \
            --output "$TMP/dupes.json" "$leads" "$accounts"
        email_keys=$(planted "$leads" email_keys)
        phone_keys=$(planted "$leads" phone_keys)
        keys=$((email_keys + phone_keys))
        bkey=-
        if [ "$RSS" != - ] && [ "$base_rss" != - ]; then
            bkey=$(awk -v a="$RSS" -v b="$base_rss" -v k="$keys" \
                'BEGIN { printf "%.1f", (a - b) * 1024 / k }')
        fi
        row "crmlint bench-dupes.yaml, $label" "$records" "$bytes" "$bkey"
        full_wall=$WALL
        full_rss=$RSS
        WALL=$base_wall
        RSS=$base_rss
        row "  the same without the two unique rules" "$records" "$bytes"
        if [ "$bkey" != - ]; then
            note "$(awk -v a="$full_rss" -v b="$base_rss" -v e="$email_keys" -v p="$phone_keys" \
                -v r="$bkey" 'BEGIN {
                printf "B/key = (peak RSS with the unique rules - peak RSS without them) / distinct keys\n"
                printf "      = (%d KiB - %d KiB) * 1024 / (%d emails + %d phones)\n", a, b, e, p
                printf "      = %s bytes per distinct key, i.e. %s MB of peak RSS per million distinct keys\n", r, r
                printf "        (issue 4 target: at most 64; the difference also holds the ~1%% duplicate findings)"
            }')"
        fi
        note "$(awk -v a="$full_wall" -v b="$base_wall" -v k="$(( email_keys + phone_keys ))" 'BEGIN {
            printf "the two unique rules cost %.3f s: %.0f ns per distinct key", a - b, (a - b) * 1e9 / k }')"
        # crmlint must have found what the generator planted.
        for pair in dupes-email-unique:email_dupes dupes-phone-unique:phone_dupes \
            dupes-converted-account:dangling; do
            rule=${pair%%:*}
            want=$(planted "$leads" "${pair#*:}")
            got=$(grep -o "\"id\":\"$rule\"[^}]*" "$TMP/dupes.json" |
                sed -n 's/.*"findings":\([0-9]*\).*/\1/p')
            if [ "$got" != "$want" ]; then
                note "CHECK FAILED: $rule found ${got:-?} findings, the generator planted $want"
                FAILED=1
            fi
        done
        if [ $FAILED = 0 ]; then
            note "check: crmlint found exactly the $(planted "$leads" email_dupes) + $(planted "$leads" phone_dupes) duplicates and $(planted "$leads" dangling) dangling references planted"
        fi
    else
        skipped_row "crmlint bench-dupes.yaml" "$((DUPES_ROWS + DUPES_ACCOUNTS))"
    fi
fi

# ---- duckdb: its input now, its runs after the report ----------------------
DUCKDB=0
if wanted duckdb; then
    if [ "${BENCH_DUCKDB:-1}" = 0 ]; then
        note "DuckDB side-by-side skipped: BENCH_DUCKDB=0"
    elif lead_file 1000000; then
        DUCKDB=1
    fi
fi

# ---- the report ------------------------------------------------------------
echo
case $HOW in
time) how="/usr/bin/time" ;;
runstat) how="runstat" ;;
*) how="(unavailable)" ;;
esac
echo "$("$BIN" --version 2>/dev/null | head -n 1 || true); median of $RUNS runs, warm cache; peak RSS via $how"
echo
printf '%-52s %10s %8s %8s %10s %9s %6s\n' "step" "rows" "wall s" "MB/s" "rows/s" "RSS MB" "B/key"
printf '%-52s %10s %8s %8s %10s %9s %6s\n' "----" "----" "------" "----" "------" "------" "-----"
cat "$TMP/table"
if [ -s "$TMP/notes" ]; then
    echo
    cat "$TMP/notes"
fi
if [ $DUCKDB = 1 ]; then
    echo
    BUILD=$BUILD BENCH_RUNS=$RUNS ./ci/bench-duckdb.sh || FAILED=1
fi
echo
echo "inputs in $DIR; bench took $(($(date +%s) - T0)) s"
exit $FAILED
