# shellcheck shell=sh
# bench-lib.sh - measuring commands for ci/bench.sh and ci/bench-duckdb.sh
# (sourced, not run).  Needs TMP (a scratch directory), TOOLS (where runstat
# is) and a die() function.

# How peak memory is measured: GNU time if installed, else our wrapper, else
# not at all (BENCH_RSS=time|runstat|none forces one).
HOW=${BENCH_RSS:-}
if [ -z "$HOW" ]; then
    if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$TMP/probe" true 2>/dev/null; then
        HOW="time"
    elif [ -x "$TOOLS/runstat" ]; then
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
        "$TOOLS/runstat" "$TMP/stat" "$@" >/dev/null 2>"$TMP/err" || rc=$?
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

