#!/usr/bin/env bash
# Installs what craie needs, builds it into build/ with warnings as errors,
# checks the format and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/dev/install-deps.sh
if [ -f build/build.ninja ]; then
    meson configure build -Dwerror=true
else
    meson setup build -Dwerror=true
fi
ninja -C build
tools/dev/check-format.sh
meson test -C build --print-errorlogs --num-processes 2 "$@"
