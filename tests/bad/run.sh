#!/bin/sh
# run.sh - the bad-input corpus: crmlint must fail cleanly on every input in
# fixtures/bad/, with the right exit status and a clear message, and never
# leave a partial report behind.
#
#   BUILD=build ./tests/bad/run.sh [CASE ...]      (what `make bad` runs)
#
# Each directory fixtures/bad/NAME/ is one case (directories starting with
# "_" hold shared inputs and are not cases).  Files of a case:
#
#   args           crmlint's arguments, one per line ($BUILD/crmlint is put
#                  in front); runs in the repository root
#   expected.exit  the exit status
#   err.contains   lines that must each appear in standard error (fixed
#                  strings); and/or
#   expected.err   the whole standard error
#   out.contains   optional: lines that must each appear in standard output
#   out.absent     optional: lines that must not appear in standard output
#   env            optional: VAR=value lines added to the environment
#   stdin          optional: fed to standard input (else /dev/null)
#   setup          optional: sh script that generates big inputs into $TMP
#                  before the run (nothing large is committed)
#   script         optional: the case is this sh script instead (for signals
#                  and the like); it passes by exiting 0
#   check          optional: sh script run after crmlint, with EXIT, OUT and
#                  ERR (files) set; it passes by exiting 0
#   skip-if-root   the case needs permissions root ignores (chmod 000)
#   multiline-err  exit 2 may print more than one line (the usage text)
#   xfail          a known bug, described inside: the case is run, and a
#                  failure is reported as "xfail" (counted as skipped); if it
#                  passes, it fails so the marker gets removed
#
# In args, env, the *.contains/absent files and expected.err, $TMP is a fresh
# scratch directory of the case and $CASE the case's directory.  Scripts get
# BIN, TMP and CASE in the environment; exit 77 means "skip".
#
# Checked for every case besides its own files: a run that exits 2 prints
# nothing on standard output and exactly one line on standard error besides
# "crmlint: warning:" lines (SPEC 1: "one clear line"), and
# when it was given --output FILE, FILE is left as it was (absent, or with
# its old content) and no temporary ".FILE.XXXXXX" remains next to it.
#
# The last line is "N passed, N failed, N skipped"; the exit status is 1 if
# any case failed.  Plain POSIX sh (dash or bash): it runs on a bare Debian.
set -u

cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
BIN=$BUILD/crmlint
CASES=fixtures/bad
TIMEOUT=${BAD_TIMEOUT:-300}

LC_ALL=C
export LC_ALL
unset CLICOLOR_FORCE FORCE_COLOR NO_COLOR GITHUB_STEP_SUMMARY TZDIR CRMLINT_RULES_DIR \
    2>/dev/null || true

if [ ! -x "$BIN" ]; then
    echo "run.sh: $BIN is not an executable (run 'make' first)" >&2
    exit 2
fi
if command -v timeout >/dev/null 2>&1; then
    TIMEOUT_CMD="timeout $TIMEOUT"
else
    TIMEOUT_CMD=
fi

TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/crmlint-bad.XXXXXX") || exit 2
# Cases may leave read-only directories behind.
trap 'chmod -R u+rwx "$TMPROOT" 2>/dev/null; rm -rf "$TMPROOT"' EXIT
trap 'exit 130' INT TERM HUP PIPE

passed=0
failed=0
skipped=0
failed_names=

# subst TEXT: $TMP and $CASE replaced (paths never hold '|').
subst() {
    printf '%s\n' "$1" | sed -e "s|\\\$TMP|$T|g" -e "s|\\\$CASE|$dir|g"
}

# subst_file FILE OUT: the same for a whole file.
subst_file() {
    sed -e "s|\\\$TMP|$T|g" -e "s|\\\$CASE|$dir|g" "$1" >"$2"
}

note() {
    printf '  %s\n' "$*" >>"$T/.report"
}

# contains FILE PATTERNS-FILE WHAT: every line of PATTERNS-FILE is in FILE.
contains() {
    subst_file "$2" "$T/.patterns"
    while IFS= read -r pat || [ -n "$pat" ]; do
        [ -z "$pat" ] && continue
        if ! grep -qF -- "$pat" "$1"; then
            note "$3 lacks: $pat"
            ok=no
        fi
    done <"$T/.patterns"
}

absent() {
    subst_file "$2" "$T/.patterns"
    while IFS= read -r pat || [ -n "$pat" ]; do
        [ -z "$pat" ] && continue
        if grep -qF -- "$pat" "$1"; then
            note "$3 holds: $pat"
            ok=no
        fi
    done <"$T/.patterns"
}

# The --output argument of the current command line, if any.
output_of() {
    want=
    out_path=
    for a in "$@"; do
        if [ -n "$want" ]; then
            out_path=$a
            want=
        fi
        case $a in
        --output) want=yes ;;
        --output=*) out_path=${a#--output=} ;;
        esac
    done
}

# Fingerprint of a file (or "absent"), to see that a failed run left it alone.
state_of() {
    if [ -e "$1" ] || [ -L "$1" ]; then
        if [ -f "$1" ]; then cksum <"$1"; else echo "not a regular file"; fi
    else
        echo absent
    fi
}

leftover_temps() {
    d=$(dirname "$1")
    b=$(basename "$1")
    for f in "$d"/."$b".??????; do
        [ -e "$f" ] && echo "$f"
    done
}

run_script() {
    BIN=$BIN TMP=$T CASE=$dir sh "$1" >"$T/.script" 2>&1
}

# run_case NAME: sets ok=yes|no|skip.
run_case() {
    name=$1
    dir=$CASES/$name
    T=$TMPROOT/$name
    mkdir -p "$T"
    : >"$T/.report"
    ok=yes
    if [ -f "$dir/skip-if-root" ] && [ "$(id -u)" -eq 0 ]; then
        ok=skip
        note "skipped: runs as root, which file permissions do not stop"
        return
    fi
    if [ -f "$dir/script" ]; then
        run_script "$dir/script"
        rc=$?
        if [ $rc -eq 77 ]; then
            ok=skip
            note "skipped: $(tail -1 "$T/.script")"
        elif [ $rc -ne 0 ]; then
            ok=no
            note "script exited $rc:"
            sed 's/^/    /' "$T/.script" >>"$T/.report"
        fi
        return
    fi
    if [ ! -f "$dir/args" ] || [ ! -f "$dir/expected.exit" ]; then
        ok=no
        note "needs args and expected.exit"
        return
    fi
    if [ ! -f "$dir/err.contains" ] && [ ! -f "$dir/expected.err" ]; then
        ok=no
        note "needs err.contains or expected.err"
        return
    fi
    if [ -f "$dir/setup" ]; then
        run_script "$dir/setup"
        rc=$?
        if [ $rc -eq 77 ]; then
            ok=skip
            note "skipped: $(tail -1 "$T/.script")"
            return
        elif [ $rc -ne 0 ]; then
            ok=no
            note "setup exited $rc:"
            sed 's/^/    /' "$T/.script" >>"$T/.report"
            return
        fi
    fi

    # env [VAR=value ...] BINARY ARG ...
    set -- env
    if [ -f "$dir/env" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            [ -n "$line" ] && set -- "$@" "$(subst "$line")"
        done <"$dir/env"
    fi
    set -- "$@" "$BIN"
    while IFS= read -r line || [ -n "$line" ]; do
        set -- "$@" "$(subst "$line")"
    done <"$dir/args"
    output_of "$@"
    before=
    [ -n "$out_path" ] && before=$(state_of "$out_path")
    input=/dev/null
    [ -f "$dir/stdin" ] && input=$dir/stdin
    # shellcheck disable=SC2086 # TIMEOUT_CMD is a command and its argument
    $TIMEOUT_CMD "$@" <"$input" >"$T/.out" 2>"$T/.err"
    rc=$?

    want=$(cat "$dir/expected.exit")
    if [ "$rc" != "$want" ]; then
        ok=no
        if [ "$rc" = 124 ] && [ -n "$TIMEOUT_CMD" ]; then
            note "timed out after ${TIMEOUT}s (expected exit $want)"
        else
            note "exit status: expected $want, got $rc"
        fi
    fi
    if [ -f "$dir/expected.err" ]; then
        subst_file "$dir/expected.err" "$T/.experr"
        if ! cmp -s "$T/.experr" "$T/.err"; then
            ok=no
            note "standard error differs:"
            diff -u "$T/.experr" "$T/.err" | sed 's/^/    /' >>"$T/.report"
        fi
    fi
    [ -f "$dir/err.contains" ] && contains "$T/.err" "$dir/err.contains" "standard error"
    [ -f "$dir/out.contains" ] && contains "$T/.out" "$dir/out.contains" "standard output"
    [ -f "$dir/out.absent" ] && absent "$T/.out" "$dir/out.absent" "standard output"
    if [ "$rc" = 2 ]; then
        if [ -s "$T/.out" ]; then
            ok=no
            note "exit 2 but standard output is not empty"
        fi
        # SPEC 1: one clear line (warnings aside); only usage may say more.
        lines=$(grep -vc '^crmlint: warning: ' "$T/.err")
        if [ "$lines" -eq 0 ]; then
            ok=no
            note "exit 2 without a message on standard error"
        elif [ "$lines" -gt 1 ] && [ ! -f "$dir/multiline-err" ]; then
            ok=no
            note "exit 2 with $lines lines on standard error (one is expected)"
        fi
    fi
    if [ -n "$out_path" ] && [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
        after=$(state_of "$out_path")
        if [ "$after" != "$before" ]; then
            ok=no
            note "--output $out_path changed by a failed run ($before -> $after)"
        fi
    fi
    if [ -n "$out_path" ] && [ "$out_path" != - ]; then
        left=$(leftover_temps "$out_path")
        if [ -n "$left" ]; then
            ok=no
            note "temporary file left behind: $left"
        fi
    fi
    if [ -f "$dir/check" ]; then
        if ! EXIT=$rc OUT=$T/.out ERR=$T/.err BIN=$BIN TMP=$T CASE=$dir \
            sh "$dir/check" >"$T/.check" 2>&1; then
            ok=no
            note "check failed:"
            sed 's/^/    /' "$T/.check" >>"$T/.report"
        fi
    fi
    if [ $ok = no ]; then
        note "standard error was:"
        head -c 2000 "$T/.err" | sed 's/^/    /' >>"$T/.report"
    fi
}

if [ $# -eq 0 ]; then
    # shellcheck disable=SC2046 # case names have no blanks
    set -- $(cd "$CASES" && for d in */; do
        case $d in _*) continue ;; esac
        [ -d "$d" ] && printf '%s\n' "${d%/}"
    done)
fi
for name in "$@"; do
    name=${name%/}
    name=${name##*/}
    if [ ! -d "$CASES/$name" ]; then
        echo "FAIL $name"
        echo "  no such case: $CASES/$name"
        failed=$((failed + 1))
        failed_names="$failed_names $name"
        continue
    fi
    run_case "$name"
    if [ -f "$CASES/$name/xfail" ]; then
        if [ $ok = no ]; then
            echo "xfail $name: $(head -1 "$CASES/$name/xfail")"
            skipped=$((skipped + 1))
            continue
        elif [ $ok = yes ]; then
            ok=no
            note "passes now: remove $CASES/$name/xfail"
        fi
    fi
    case $ok in
    yes)
        echo "ok $name"
        passed=$((passed + 1))
        ;;
    skip)
        echo "skip $name"
        cat "$T/.report"
        skipped=$((skipped + 1))
        ;;
    *)
        echo "FAIL $name"
        cat "$T/.report"
        failed=$((failed + 1))
        failed_names="$failed_names $name"
        ;;
    esac
done

[ $failed -gt 0 ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
