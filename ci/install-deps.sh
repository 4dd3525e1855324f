#!/bin/sh
# Install the Debian packages crmlint needs to build and test, but only those
# that are missing. Run as root on a fresh machine; as a non-root user it only
# reports what is missing. Idempotent: a machine that has everything does no
# network access at all.
set -eu

PACKAGES="build-essential pkg-config libcsv-dev libpcre2-dev libyaml-dev check zlib1g-dev libutf8proc-dev tzdata"
[ "${1:-}" = "--dev" ] && PACKAGES="$PACKAGES clang libclang-rt-14-dev valgrind python3"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "ci/install-deps.sh: missing Debian packages:$missing (run as root, or install them)" >&2
    exit 1
fi

echo "ci/install-deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
