#!/bin/bash
# camera-test.sh - the `vm` suite's camera-v4l2 test. Runs as root inside the
# test VM (tests/vm/run-vm-test.sh), cwd = the host share: craie on a real
# V4L2 device, vivid (the kernel's virtual camera, found by udev and
# GStreamer's device monitor as a USB camera would be), then that camera
# unplugged and plugged back while craie shows it.
# Prints TAP ("ok N - name"), diagnostics as "# ..." lines; exits with the
# number of failed checks. Writes craie's log, get_state answers and
# screenshots into out/ (the host copies them to test-artifacts/vm/).
set -u

# shellcheck source=/dev/null # written by run-vm-test.sh
. ./test.env
OUT="$PWD/out"
mkdir -p "$OUT"
CRAIE="$CRAIE_BUILD_ROOT/craie"
SOCK=/run/craie-test.sock
CTL=("$CRAIE_BUILD_ROOT/craiectl" "--socket=$SOCK")
# One webcam input (discrete sizes and rates, as a UVC camera lists them),
# single-planar, capture node only.
VIVID=(vivid n_devs=1 node_types=0x1 num_inputs=1 input_types=0x0 multiplanar=1)
# Seconds. Under TCG everything runs 7-19x slower than on the host: the limits
# are generous, and each wait ends as soon as its condition holds.
WAIT_START=60 WAIT_DEVICE=60 WAIT_LIVE=120 WAIT_FRAMES=60 WAIT_UNPLUG=60 WAIT_QUIT=30

T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
diag() { sed 's/^/# /'; }
say() { echo "# [$(elapsed)s] $*"; }

N=0 FAILS=0 PROBLEMS=()
# problem WHY: records a problem of the current test (the test fails, the script goes on)
problem() {
    PROBLEMS+=("$*")
    say "problem: $*"
}
# report NAME: one TAP line for the problems recorded since the last report
report() {
    N=$((N + 1))
    if [ "${#PROBLEMS[@]}" -eq 0 ]; then
        echo "ok $N - $1"
    else
        echo "not ok $N - $1"
        FAILS=$((FAILS + 1))
    fi
    PROBLEMS=()
}

CRAIE_PID=""
craie_running() { [ -n "$CRAIE_PID" ] && kill -0 "$CRAIE_PID" 2>/dev/null; }

# state [FILE]: get_state's JSON on stdout (and into FILE); fails when craie does not answer
state() {
    local json
    json="$("${CTL[@]}" --timeout=10000 get_state 2>>"$OUT/craiectl.err")" || return 1
    [ -z "${1:-}" ] || printf '%s\n' "$json" >"$OUT/$1"
    printf '%s\n' "$json"
}
# q JQ: one value of the current state ("" when craie does not answer)
q() { state | jq -r "$1" 2>/dev/null; }
# wait_for SECONDS JQ_CONDITION: polls get_state until the condition is true
wait_for() {
    local limit=$1 cond=$2 start now
    start=$(date +%s)
    while true; do
        if [ "$(state | jq -r "$cond" 2>/dev/null)" = true ]; then
            say "($cond) after $(($(date +%s) - start))s"
            return 0
        fi
        craie_running || {
            say "craie is gone while waiting for ($cond)"
            return 1
        }
        now=$(date +%s)
        if [ $((now - start)) -ge "$limit" ]; then
            say "($cond) still false after ${limit}s; camera: $(q -c .camera)"
            return 1
        fi
        sleep 0.5
    done
}
# frames_grow SECONDS N: frames_shown grows by at least N
frames_grow() {
    local from
    from=$(q .camera.frames_shown)
    wait_for "$1" ".camera.frames_shown >= ${from:-0} + $2"
}

# The capture node vivid created ("" when none).
vivid_node() {
    local d
    for d in /dev/video*; do
        [ -c "$d" ] || continue
        if v4l2-ctl -d "$d" --info 2>/dev/null | grep -q 'Driver name *: vivid'; then
            echo "$d"
            return
        fi
    done
}
# plug [set-format]: loads vivid, prints its capture node. With set-format,
# first gives it a small format at 30 fps (its default is 640x360 at 5 fps).
# craie sets the mode it chooses from the device's caps itself: once craie
# has the device (on replug it takes it at once), the format shown is craie's
# and v4l2-ctl may not change it (EBUSY).
plug() {
    local node
    modprobe "${VIVID[@]}" || return 1
    udevadm settle -t 30
    node=$(vivid_node)
    [ -n "$node" ] || return 1
    # (diagnostics on stderr: stdout is the node)
    if [ "${1:-}" = set-format ]; then
        v4l2-ctl -d "$node" -v width=640,height=360,pixelformat=YUYV -p 30 2>&1 | diag >&2
    fi
    v4l2-ctl -d "$node" -V -P 2>&1 | grep -E 'Width/Height|Pixel Format|Frames per second' | diag >&2
    echo "$node"
}

# image_check NAME: screenshot into out/NAME.png; true when tiles[0]'s image
# area is neither uniform nor black (vivid draws colour bars). The area is
# cropped and scaled to 64x36 grey by GStreamer, then counted.
image_check() {
    local name=$1 json x y w h ww wh stats
    json=$(state "state-$name.json") || return 1
    read -r x y w h ww wh < <(jq -r '[.tiles[0].image_rect // {} | .x, .y, .w, .h] +
        [.window.width, .window.height] | map(tostring) | join(" ")' <<<"$json")
    if ! [ "${w:-0}" -gt 0 ] 2>/dev/null || ! [ "${h:-0}" -gt 0 ] 2>/dev/null; then
        say "no image_rect in tiles[0]: $(jq -c .tiles <<<"$json")"
        return 1
    fi
    "${CTL[@]}" screenshot "$OUT/$name.png" >/dev/null || return 1
    gst-launch-1.0 -q filesrc location="$OUT/$name.png" ! pngdec ! videoconvert ! \
        videocrop left="$x" top="$y" right=$((ww - x - w)) bottom=$((wh - y - h)) ! \
        videoscale ! videoconvert ! video/x-raw,format=GRAY8,width=64,height=36 ! \
        filesink location="$OUT/$name.gray" 2>&1 | diag
    stats=$(od -An -v -tu1 "$OUT/$name.gray" | awk '
        { for (i = 1; i <= NF; i++) { v = $i; n++; s += v; if (n == 1 || v < lo) lo = v
              if (v > hi) hi = v; seen[v] = 1 } }
        END { for (k in seen) d++; if (n) printf "%d %d %d %d %d", n, s / n, lo, hi, d }')
    rm -f "$OUT/$name.gray"
    local n mean lo hi distinct
    read -r n mean lo hi distinct <<<"$stats"
    say "$name.png image area ${w}x${h}+${x}+${y}: luma mean ${mean:-?}, min ${lo:-?}, max ${hi:-?}, ${distinct:-?} levels (of ${n:-0} samples)"
    [ "${n:-0}" -eq 2304 ] && [ "$mean" -ge 24 ] && [ $((hi - lo)) -ge 64 ] && [ "$distinct" -ge 4 ]
}

echo "1..6"
say "kernel $(uname -r), uptime $(cut -d' ' -f1 /proc/uptime)s"

# 1. craie starts, answers, and its device monitor sees vivid
NODE=$(plug set-format) || problem "modprobe vivid: no capture node"
say "vivid capture node: ${NODE:-none}"
SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy CRAIE_DATADIR="$CRAIE_SOURCE_ROOT/assets" \
    G_DEBUG=fatal-criticals GST_DEBUG="${CRAIE_VM_GST_DEBUG:-2,v4l2src:4}" \
    "$CRAIE" --windowed --ipc-socket="$SOCK" --display.width=1280 --display.height=720 --verbose \
    >"$OUT/craie.log" 2>&1 </dev/null &
CRAIE_PID=$!
say "craie started (pid $CRAIE_PID)"
start=$(date +%s)
until state >/dev/null; do
    if ! craie_running || [ $(($(date +%s) - start)) -ge "$WAIT_START" ]; then
        problem "craie does not answer get_state"
        break
    fi
    sleep 0.5
done
say "get_state answers after $(($(date +%s) - start))s"
wait_for "$WAIT_DEVICE" '.camera.devices >= 1' || problem "camera.devices stays below 1"
state state-start.json | jq -c .camera | diag
report "craie starts, answers get_state and sees the vivid camera"

# 2. the camera screen goes live on vivid, in the mode craie chose
"${CTL[@]}" open camera >/dev/null || problem "open camera refused"
wait_for "$WAIT_LIVE" '.camera.state == "live"' || problem "camera state never live"
json=$(state state-live.json)
device=$(jq -r .camera.device <<<"$json")
mode=$(jq -r '.camera.mode // ""' <<<"$json")
shown=$(jq -r '"\(.tiles[0].image_width // 0)x\(.tiles[0].image_height // 0)"' <<<"$json")
say "device '$device', mode '$mode', frames shown ${shown}"
[[ "${device,,}" == *vivid* ]] || problem "device '$device' is not vivid"
[ -n "$mode" ] || problem "no mode reported"
[[ "$mode" == "$shown@"* ]] || problem "frames of ${shown} shown for mode '$mode'"
frames_grow "$WAIT_FRAMES" 10 || problem "frames_shown does not grow"
report "open camera: live on vivid, mode reported, frames shown"

# 3. the picture is vivid's, not a black or flat image
image_check live || problem "the image area of live.png is uniform or black"
report "screenshot: the image area shows vivid's colour bars"

# 4. unplug. vivid's module cannot be removed while craie holds its device
# open (the open file holds a reference to the module: "modprobe -r" says
# "in use"), as a USB camera's driver would not be either; what a USB unplug
# does is take the device away from under the open file: unbinding vivid's
# platform device does that. Then, craie having let go of it, the module
# must come out.
if modprobe -r vivid 2>"$OUT/modprobe-r.err"; then
    say "modprobe -r vivid succeeded while craie streamed"
else
    say "modprobe -r vivid while streaming: $(head -n 1 "$OUT/modprobe-r.err")"
    echo vivid.0 >/sys/bus/platform/drivers/vivid/unbind || problem "cannot unbind vivid.0"
fi
wait_for "$WAIT_UNPLUG" '.camera.state == "unplugged"' || problem "camera state never unplugged"
craie_running || problem "craie exited on unplug"
if json=$(state state-unplugged.json); then
    jq -c .camera <<<"$json" | diag
else
    problem "get_state does not answer after unplug"
fi
[ "$(q .camera.devices)" = 0 ] || problem "camera.devices is $(q .camera.devices) after unplug"
"${CTL[@]}" screenshot "$OUT/unplugged.png" >/dev/null || problem "no screenshot after unplug"
if lsmod | grep -q '^vivid '; then
    ok=0
    for _ in $(seq 1 20); do
        if modprobe -r vivid 2>"$OUT/modprobe-r.err"; then
            ok=1
            break
        fi
        sleep 0.5
    done
    [ "$ok" = 1 ] || problem "vivid still in use after unplug (craie keeps the dead device open?): $(cat "$OUT/modprobe-r.err")"
fi
report "unplug: camera state unplugged, craie still answers"

# 5. plug back: live again by itself
NODE=$(plug) || problem "modprobe vivid again: no capture node"
say "vivid capture node: ${NODE:-none}"
wait_for "$WAIT_LIVE" '.camera.state == "live"' || problem "camera state not live again"
state state-replugged.json | jq -c .camera | diag
json=$(state)
[[ "$(jq -r .camera.device <<<"$json" | tr '[:upper:]' '[:lower:]')" == *vivid* ]] ||
    problem "device after replug is not vivid"
[ "$(jq -r .camera.devices <<<"$json")" = 1 ] || problem "camera.devices is not 1 after replug"
[ "$(jq -r .camera.mode <<<"$json")" = "$mode" ] || problem "mode after replug differs from the first: $(jq -r .camera.mode <<<"$json")"
frames_grow "$WAIT_FRAMES" 10 || problem "frames_shown does not grow after replug"
image_check replugged || problem "the image area of replugged.png is uniform or black"
# what the technician reads in Réglages > Appareils: the camera and its modes
"${CTL[@]}" open settings >/dev/null || problem "open settings refused"
"${CTL[@]}" settings page devices >/dev/null || problem "settings page devices refused"
lines=$(state settings-devices.json | jq -r '.settings.lines[]?' 2>/dev/null)
printf '%s\n' "$lines" | diag
grep -iq 'vivid.*/dev/video.*: [0-9]*x[0-9]*@' <<<"$lines" ||
    problem "Réglages > Appareils does not list vivid's modes"
report "plug back: live again by itself, frames shown; Réglages lists the camera's modes"

# 6. quit
"${CTL[@]}" quit >/dev/null || problem "quit refused"
for _ in $(seq 1 $((WAIT_QUIT * 2))); do
    craie_running || break
    sleep 0.5
done
if craie_running; then
    problem "craie still runs ${WAIT_QUIT}s after quit"
    kill -ABRT "$CRAIE_PID"
fi
wait "$CRAIE_PID"
status=$?
say "craie exit status $status"
[ "$status" = 0 ] || problem "craie exited with status $status"
report "quit: craie exits 0"

if [ "$FAILS" -gt 0 ]; then
    say "craie's log (last 60 lines; all of it in test-artifacts/vm/craie.log):"
    tail -n 60 "$OUT/craie.log" | diag
fi
say "done: $FAILS of $N failed"
exit "$FAILS"
