#!/bin/sh
# run.sh - runs every libFuzzer harness for a bounded time (make fuzz, fuzz-smoke).
#
#   BUILD=build FUZZ_SECONDS=60 ./tests/fuzz/run.sh [NAME ...]
#
# For each harness $BUILD/fuzz/fuzz_NAME (NAME: reader, pack, cond, datetime,
# tz, report, ... every tests/fuzz/fuzz_*.c):
#   1. replays tests/fuzz/regress/NAME/* (inputs that once crashed it; each
#      must now pass),
#   2. fuzzes for FUZZ_SECONDS seconds from the corpus $BUILD/fuzz/corpus/NAME
#      (seeded by seeds.sh from fixtures/, grown by earlier runs), with
#      tests/fuzz/NAME.dict when there is one.
# A crash, leak, hang (over 10 s for one input) or broken invariant leaves
# the input in $BUILD/fuzz/artifacts/ and fails the harness; add it to
# tests/fuzz/regress/NAME/ once fixed.  Prints one line per harness with its
# executions, then "N passed, N failed".  Plain POSIX sh.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
SECONDS_EACH=${FUZZ_SECONDS:-60}
FZ=$BUILD/fuzz
mkdir -p "$FZ/corpus" "$FZ/artifacts" "$FZ/logs"
./tests/fuzz/seeds.sh "$FZ/corpus" || exit 2

# Built-in pack names in fuzzed `extends` resolve to the repository's packs;
# nothing a harness does may wait on the terminal.
CRMLINT_RULES_DIR=$(pwd)/rules
export CRMLINT_RULES_DIR
unset TZDIR NO_COLOR GITHUB_STEP_SUMMARY 2>/dev/null || true

if [ $# -eq 0 ]; then
    set --
    for src in tests/fuzz/fuzz_*.c; do
        name=${src#tests/fuzz/fuzz_}
        set -- "$@" "${name%.c}"
    done
fi

passed=0
failed=0
failed_names=
total_execs=0
for name in "$@"; do
    bin=$FZ/fuzz_$name
    log=$FZ/logs/$name.log
    if [ ! -x "$bin" ]; then
        echo "FAIL $name: $bin is not built (make fuzz-build)"
        failed=$((failed + 1))
        failed_names="$failed_names $name"
        continue
    fi
    ok=yes
    # 1. Regressions: libFuzzer runs files given as arguments once each.
    if [ -d "tests/fuzz/regress/$name" ] && [ -n "$(ls "tests/fuzz/regress/$name")" ]; then
        if ! "$bin" -runs=1 tests/fuzz/regress/"$name"/* </dev/null >"$log" 2>&1; then
            echo "FAIL $name: a regression input crashes again (see $log)"
            tail -20 "$log" | sed 's/^/    /'
            ok=no
        fi
    fi
    # 2. Fuzzing.
    if [ $ok = yes ]; then
        dict=
        [ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
        [ -z "$dict" ] && [ "$name" = cond ] && dict=-dict=tests/fuzz/pack.dict
        start=$(date +%s)
        # shellcheck disable=SC2086 # $dict is empty or one argument
        "$bin" $dict -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$FZ/artifacts/$name-" \
            "$FZ/corpus/$name" </dev/null >"$log" 2>&1
        rc=$?
        took=$(($(date +%s) - start))
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        execs=${execs:-0}
        corpus=$(ls "$FZ/corpus/$name" | wc -l | tr -d ' ')
        total_execs=$((total_execs + execs))
        if [ $rc -ne 0 ]; then
            echo "FAIL $name: exit $rc after ${took}s, $execs executions (see $log)"
            grep -E 'ERROR|SUMMARY|fuzz check|runtime error|Test unit written' "$log" |
                head -10 | sed 's/^/    /'
            ok=no
        else
            echo "ok $name: ${took}s, $execs executions, corpus $corpus"
        fi
    fi
    if [ $ok = yes ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failed_names="$failed_names $name"
    fi
done

echo "fuzz: $total_execs executions in all"
[ $failed -gt 0 ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
