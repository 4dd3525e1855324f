#!/bin/sh
# The one entry point for a fresh Debian machine: installs whatever build and
# test packages are missing (as root), then runs make with the given targets.
#   ./ci/make.sh demo     lint the bundled demo export
#   ./ci/make.sh test     unit and end-to-end tests
set -eu
cd "$(dirname "$0")/.."
if ! command -v make >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
    # make itself may be missing on a minimal image: install-deps brings it.
    ./ci/install-deps.sh
fi
./ci/install-deps.sh
exec make "$@"
