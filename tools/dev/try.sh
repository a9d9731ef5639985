#!/usr/bin/env bash
# Installs what craie needs, builds it into build/ and runs it on its
# embedded defaults: in a window when a display exists, else headless under
# Xvfb, where it opens the camera screen on the test pattern and writes a
# screenshot so that you can see it work.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/dev/install-deps.sh
[ -f build/build.ninja ] || meson setup build
ninja -C build
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec build/craie --windowed "$@"
fi
sock=$(mktemp -u /tmp/craie-try-XXXXXX.sock)
out="$PWD/build"
xvfb-run -a -s "-screen 0 1920x1080x24" bash -c '
    ctl() { build/craiectl --socket="$1" "${@:2}"; }
    build/craie --ipc-socket="$1" "${@:3}" & pid=$!
    for i in $(seq 100); do ctl "$1" get_state >/dev/null 2>&1 && break; sleep 0.1; done
    ctl "$1" screenshot "$2/craie-try-1-launcher.png"
    ctl "$1" open camera
    sleep 2
    ctl "$1" screenshot "$2/craie-try-2-camera.png"
    ctl "$1" camera test
    sleep 3
    ctl "$1" screenshot "$2/craie-try-3-test-pattern.png"
    ctl "$1" quit
    wait $pid' _ "$sock" "$out" "$@"
echo "craie ran headless (no display here), on its built-in settings. Screenshots:"
ls -1 "$out"/craie-try-*.png
