#!/usr/bin/env bash
# package-boot.sh - the `vm` suite's package-boot test: builds craie's Debian
# package (tools/build-deb), then boots the test VM with a display and runs
# guest/package-boot-test.sh there (the package installed, craie.service on
# KMSDRM, killed and hung, back through systemd). Speaks TAP.
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
SOURCE_ROOT="$(cd "${CRAIE_SOURCE_ROOT:-$HERE/../..}" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/craie-package-boot-XXXXXX")"
trap 'rm -rf "$work"' EXIT
if ! "$SOURCE_ROOT/tools/build-deb" "$work" >"$work/build-deb.log" 2>&1; then
    sed 's/^/# /' "$work/build-deb.log"
    echo "Bail out! tools/build-deb failed"
    exit 1
fi
deb="$(ls "$work"/craie_*.deb)"
echo "# built $(basename "$deb")"
"$HERE/run-vm-test.sh" --tap --display --share "$deb" "$HERE/guest/package-boot-test.sh"
