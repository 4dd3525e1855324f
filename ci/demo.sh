#!/bin/sh
# demo.sh - lints the bundled demo export, as `make demo` does.
#
#   ./ci/demo.sh [BINARY]          (default build/crmlint)
#
# fixtures/salesforce/ holds an invented Salesforce Data Export with planted
# defects (listed in fixtures/salesforce/DEFECTS.md), linted with
# rules/demo.yaml.  The demo is meant to find gating errors, so crmlint's exit
# status 1 is success here; 0 means the planted defects went unnoticed and 2
# means the run could not be judged: both fail the demo.
set -u

BIN=${1:-build/crmlint}
case $BIN in
/*) ;;
*) BIN=$(pwd)/$BIN ;;
esac
cd "$(dirname "$0")/.." || exit 2
[ -x "$BIN" ] || {
    echo "demo.sh: $BIN is not an executable (run 'make' first)" >&2
    exit 2
}

# A fixed collation so the glob lists the files in the same order everywhere.
LC_ALL=C
export LC_ALL
set -- fixtures/salesforce/*.csv

echo "crmlint demo: an invented Salesforce Data Export with planted defects"
echo "(listed in fixtures/salesforce/DEFECTS.md)"
echo "\$ crmlint lint --pack rules/demo.yaml --format text $*"
echo

"$BIN" lint --pack rules/demo.yaml --format text "$@"
rc=$?

echo
case $rc in
1)
    echo "crmlint exited with 1: gating findings, as the demo expects."
    exit 0
    ;;
0)
    echo "crmlint exited with 0: no gating finding, but the demo export has planted errors." >&2
    exit 1
    ;;
*)
    echo "crmlint exited with $rc: the run could not be judged." >&2
    exit "$rc"
    ;;
esac
