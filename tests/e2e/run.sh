#!/bin/sh
# run.sh - crmlint's end-to-end tests: run the binary, compare every byte.
#
#   BUILD=build ./tests/e2e/run.sh [CASE ...]     (what `make e2e` runs)
#   UPDATE=1 ./tests/e2e/run.sh [CASE ...]        rewrite the expected files
#
# Each directory tests/e2e/cases/NAME/ is one case:
#
#   args           the arguments, one per line (every line is one argument,
#                  an empty line an empty argument); $BUILD/crmlint is put in
#                  front.  Paths are relative to the repository root, where
#                  every case runs.
#   expected.out   the whole standard output
#   expected.exit  the exit status
#   expected.err   optional: the whole standard error, compared when present
#   stdin          optional: fed to standard input (else /dev/null)
#   env            optional: VAR=value lines added to the environment
#
# A case passes when stdout, the exit status and (if expected.err exists)
# stderr are exactly as expected; differences are shown with diff -u.  The
# last line is "N passed, N failed"; the exit status is 1 if any case failed.
#
# UPDATE=1 writes expected.out and expected.exit from what the binary does,
# and expected.err when it exists or stderr was not empty.  It says when an
# exit status changes.  Review the changes (git diff) before committing them:
# an update accepts whatever the binary does, bugs included.
#
# Plain POSIX sh (dash or bash), no Python: it must run on a bare Debian.
set -u

cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
BIN=$BUILD/crmlint
CASES=tests/e2e/cases
UPDATE=${UPDATE:-}
TIMEOUT=${E2E_TIMEOUT:-120}

# Nothing of the caller's environment may change the output.
LC_ALL=C
export LC_ALL
unset CLICOLOR_FORCE FORCE_COLOR 2>/dev/null || true

if [ ! -x "$BIN" ]; then
    echo "run.sh: $BIN is not an executable (run 'make' first)" >&2
    exit 2
fi
if command -v timeout >/dev/null 2>&1; then
    TIMEOUT_CMD="timeout $TIMEOUT"
else
    TIMEOUT_CMD=
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/crmlint-e2e.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
failed_names=

# run_case DIR: runs the case, leaving $TMP/out, $TMP/err and $TMP/exit.
run_case() {
    dir=$1
    # Build the command line in the positional parameters: env [VAR=value
    # ...] BINARY ARG ...
    set -- env
    if [ -f "$dir/env" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            [ -n "$line" ] && set -- "$@" "$line"
        done <"$dir/env"
    fi
    set -- "$@" "$BIN"
    while IFS= read -r line || [ -n "$line" ]; do
        set -- "$@" "$line"
    done <"$dir/args"
    input=/dev/null
    [ -f "$dir/stdin" ] && input=$dir/stdin
    # shellcheck disable=SC2086 # TIMEOUT_CMD is a command and its argument
    $TIMEOUT_CMD "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
    echo $? >"$TMP/exit"
}

check_case() {
    name=$1
    dir=$CASES/$name
    : >"$TMP/report"
    ok=yes
    if [ ! -f "$dir/args" ]; then
        echo "  no args file" >>"$TMP/report"
        ok=no
    else
        run_case "$dir"
        if [ ! -f "$dir/expected.exit" ]; then
            echo "  no expected.exit (generate it with UPDATE=1)" >>"$TMP/report"
            ok=no
        elif [ "$(cat "$dir/expected.exit")" != "$(cat "$TMP/exit")" ]; then
            echo "  exit status: expected $(cat "$dir/expected.exit"), got $(cat "$TMP/exit")" \
                >>"$TMP/report"
            ok=no
        fi
        if [ ! -f "$dir/expected.out" ]; then
            echo "  no expected.out (generate it with UPDATE=1)" >>"$TMP/report"
            ok=no
        elif ! cmp -s "$dir/expected.out" "$TMP/out"; then
            echo "  standard output differs:" >>"$TMP/report"
            diff -u "$dir/expected.out" "$TMP/out" >>"$TMP/report"
            ok=no
        fi
        if [ -f "$dir/expected.err" ] && ! cmp -s "$dir/expected.err" "$TMP/err"; then
            echo "  standard error differs:" >>"$TMP/report"
            diff -u "$dir/expected.err" "$TMP/err" >>"$TMP/report"
            ok=no
        fi
    fi
    if [ $ok = yes ]; then
        echo "ok $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        cat "$TMP/report"
        if [ -s "$TMP/err" ] && [ ! -f "$dir/expected.err" ]; then
            echo "  standard error was:"
            sed 's/^/    /' "$TMP/err"
        fi
        failed=$((failed + 1))
        failed_names="$failed_names $name"
    fi
}

update_case() {
    name=$1
    dir=$CASES/$name
    if [ ! -f "$dir/args" ]; then
        echo "FAIL $name"
        echo "  no args file"
        failed=$((failed + 1))
        failed_names="$failed_names $name"
        return
    fi
    run_case "$dir"
    note=
    if [ -f "$dir/expected.exit" ] && [ "$(cat "$dir/expected.exit")" != "$(cat "$TMP/exit")" ]; then
        note=" (exit status changed from $(cat "$dir/expected.exit") to $(cat "$TMP/exit"): check it)"
    fi
    cp "$TMP/out" "$dir/expected.out"
    cp "$TMP/exit" "$dir/expected.exit"
    if [ -f "$dir/expected.err" ] || [ -s "$TMP/err" ]; then
        cp "$TMP/err" "$dir/expected.err"
    fi
    echo "updated $name: exit $(cat "$TMP/exit")$note"
    passed=$((passed + 1))
}

if [ $# -eq 0 ]; then
    # shellcheck disable=SC2046 # case names have no blanks
    set -- $(cd "$CASES" && for d in */; do [ -d "$d" ] && printf '%s\n' "${d%/}"; done)
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
    if [ -n "$UPDATE" ]; then
        update_case "$name"
    else
        check_case "$name"
    fi
done

[ $failed -gt 0 ] && [ -z "$UPDATE" ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
