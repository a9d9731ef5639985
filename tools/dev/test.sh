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

# The same suites under AddressSanitizer + UndefinedBehaviorSanitizer
# (CRAIE_SANITIZE=0 skips this second pass on a slow machine). The hardware
# suite (a QEMU guest) and the package suite (builds, checks and installs the
# .deb) run once, in the first pass.
if [ "${CRAIE_SANITIZE:-1}" != 0 ]; then
    [ -f build-asan/build.ninja ] ||
        meson setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
    ninja -C build-asan
    # Full unwinding at malloc (about 20 % slower) so that the suppressions
    # can match frames of libraries built without frame pointers.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite hardware --no-suite package "$@"
fi
