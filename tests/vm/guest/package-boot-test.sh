#!/bin/bash
# package-boot-test.sh - the `vm` suite's package-boot test. Runs as root
# inside the test VM (tests/vm/package-boot.sh: run-vm-test.sh --display),
# cwd = the host share, which holds craie's .deb: what a technician does on a
# bare projector PC. The package installs (dpkg, no network: the image has
# its dependencies), craie.service is enabled and comes up under systemd on
# KMSDRM as the craie user with the launcher on the VM's screen (a QMP
# screendump); killed, systemd brings it back and the board says it
# restarted; hung (an injected UI hang), the watchdog brings it back.
# Prints TAP; exits with the number of failed checks; out/ is copied to the
# host's test-artifacts/vm/.
set -u

OUT="$PWD/out"
mkdir -p "$OUT"
DEB="$(ls "$PWD"/craie_*.deb 2>/dev/null | head -n 1)"
# Seconds; TCG runs 7-19x slower than the host, each wait ends at once when done.
WAIT_START=180 WAIT_RESTART=150 WAIT_WATCHDOG=180

T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
diag() { sed 's/^/# /'; }
say() { echo "# [$(elapsed)s] $*"; }

N=0 FAILS=0 PROBLEMS=()
problem() {
    PROBLEMS+=("$*")
    say "problem: $*"
}
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

prop() { systemctl show craie.service -p "$1" --value; }
# wait_until SECONDS COMMAND...: polls the command until it succeeds
wait_until() {
    local limit=$1 start
    shift
    start=$(date +%s)
    until "$@"; do
        [ $(($(date +%s) - start)) -lt "$limit" ] || return 1
        sleep 0.5
    done
    say "($*) after $(($(date +%s) - start))s"
}
active() { [ "$(systemctl is-active craie.service)" = active ]; }
# a running craie other than pid $1, active (READY=1 sent)
replaced() { active && [ "$(prop MainPID)" != 0 ] && [ "$(prop MainPID)" != "$1" ]; }
state() { craiectl --timeout=30000 get_state 2>>"$OUT/craiectl.err"; }
# state_where JQ: get_state once the condition holds (waits up to 60 s)
STATE=""
state_true() { STATE=$(state) && [ "$(jq -r "$1" <<<"$STATE" 2>/dev/null)" = true ]; }
state_where() { wait_until 60 state_true "$1" >&2 && printf '%s\n' "$STATE"; }

# Launcher colours (display/ui/theme.h) and the toast's panel over the
# background (0x020617 at 230/255 over 0x0f172a).
PALETTE=(bg=#0f172a bar=#1e293b camera=#2563eb tablets=#059669 board=#ea580c ent=#7c3aed
    toast=#030819)
# screendump NAME: asks the host for the screen; prints its stats (width,
# height, colour shares) and keeps them in out/NAME.txt
screendump() {
    local name=$1 start
    rm -f "screendump/$name.txt"
    printf '%s\n' "${PALETTE[@]}" >"screendump/$name.tmp" && mv "screendump/$name.tmp" "screendump/$name.req"
    start=$(date +%s)
    until [ -s "screendump/$name.txt" ]; do
        [ $(($(date +%s) - start)) -lt 60 ] || return 1
        sleep 0.5
    done
    cp "screendump/$name.txt" "$OUT/$name.txt"
    cat "screendump/$name.txt"
}
share() { awk -v k="$2" '$1 == k { print $2 }' <<<"$1"; }
# at_least STATS NAME FRACTION
at_least() { awk -v v="$(share "$1" "$2")" -v m="$3" 'BEGIN { exit !(v != "" && v + 0 >= m) }'; }

echo "1..6"
say "kernel $(uname -r), uptime $(cut -d' ' -f1 /proc/uptime)s, package $(basename "${DEB:-none}")"

# 1. the package installs: the craie user, its folders, the units
# (The image leaves out translations to stay small: craie's French is kept.)
echo "path-include=/usr/share/locale/fr/LC_MESSAGES/craie.mo" >/etc/dpkg/dpkg.cfg.d/02-craie-vmtest
if [ -z "$DEB" ]; then
    problem "no craie_*.deb in the share"
elif ! dpkg -i "$DEB" >"$OUT/dpkg.log" 2>&1; then
    problem "dpkg -i failed"
    tail -n 20 "$OUT/dpkg.log" | diag
fi
id craie 2>&1 | diag
for g in video input render; do
    id -nG craie 2>/dev/null | tr ' ' '\n' | grep -qx "$g" || problem "craie is not in $g"
done
[ "$(stat -c '%U %a' /var/lib/craie 2>/dev/null)" = "craie 750" ] || problem "/var/lib/craie: $(stat -c '%U %a' /var/lib/craie 2>&1)"
[ -f /etc/craie/craie.conf ] || problem "no /etc/craie/craie.conf"
[ -f /usr/share/locale/fr/LC_MESSAGES/craie.mo ] || problem "no French catalogue"
systemctl cat craie.service >/dev/null 2>&1 || problem "systemd does not know craie.service"
report "dpkg -i: craie user in video/input/render, /var/lib/craie, the unit"

# For the test only: injected hangs allowed, and the slow starts of TCG.
mkdir -p /etc/systemd/system/craie.service.d
cat >/etc/systemd/system/craie.service.d/vmtest.conf <<'EOF'
[Service]
Environment=CRAIE_TEST_HANG=1
TimeoutStartSec=240s
EOF
systemctl daemon-reload
# GStreamer's plugin registry, which craie's first start makes (seconds on a
# PC, minutes under TCG): the image's, made as root, copied for craie.
if [ -d /root/.cache/gstreamer-1.0 ]; then
    mkdir -p /var/lib/craie/.cache
    cp -R /root/.cache/gstreamer-1.0 /var/lib/craie/.cache/
    chown -R craie:craie /var/lib/craie/.cache
fi

# 2. enabled, it starts under systemd (Type=notify: active = READY=1 sent,
# the launcher drawn) on KMSDRM, as the craie user, on tty1
udevadm settle -t 30
ls -l /dev/dri/ 2>&1 | diag
systemctl enable craie.service 2>&1 | diag
[ "$(systemctl is-enabled craie.service)" = enabled ] || problem "craie.service is not enabled"
systemctl list-dependencies --plain multi-user.target | grep -q 'craie\.service' ||
    problem "multi-user.target does not pull craie.service in: it would not start at boot"
# Started as the boot starts it: the target's start job pulls in what it wants.
systemctl start --no-block multi-user.target
wait_until "$WAIT_START" active || problem "craie.service is not active after ${WAIT_START}s: $(systemctl is-active craie.service)"
PID1=$(prop MainPID)
RESTARTS0=$(prop NRestarts)
say "MainPID $PID1, status: $(prop StatusText), NRestarts $RESTARTS0"
[ "$RESTARTS0" = 0 ] || problem "craie failed $RESTARTS0 time(s) before it started"
[ "$(ps -o user= -p "$PID1" 2>/dev/null | tr -d ' ')" = craie ] || problem "craie does not run as craie"
[[ "$(prop StatusText)" == *"launcher screen"* ]] || problem "status: $(prop StatusText)"
journalctl -u craie.service -b --no-pager >"$OUT/journal-start.txt" 2>&1
grep -q "KMSDRM video" "$OUT/journal-start.txt" || problem "not on KMSDRM: $(grep -m1 'video,' "$OUT/journal-start.txt")"
[ "$(systemctl is-active getty@tty1.service)" != active ] || problem "getty@tty1 still runs"
json=$(state_where '.screen == "launcher"') || problem "craiectl get_state (as root, /run/craie/ipc.sock) fails"
printf '%s\n' "$json" >"$OUT/state-start.json"
[ "$(jq -r .screen <<<"$json")" = launcher ] || problem "screen: $(jq -r .screen <<<"$json")"
[ "$(jq -r .language <<<"$json")" = fr ] || problem "language: $(jq -r .language <<<"$json")"
jq -r '.buttons[].label' <<<"$json" | grep -qx "Caméra" || problem "no button labelled Caméra: $(jq -c '[.buttons[].label]' <<<"$json")"
[ "$(jq -r '.service.systemd and .service.watchdog and (.service.restarted | not)' <<<"$json")" = true ] ||
    problem "service: $(jq -c .service <<<"$json")"
report "enabled, multi-user.target brings craie.service up on KMSDRM as craie, READY with the launcher"

# 3. the launcher is on the VM's screen, full screen
if stats=$(screendump launcher); then
    diag <<<"$stats"
    [ "$(share "$stats" width)" = "$(jq -r .window.width <<<"$json")" ] || problem "screen and window widths differ"
    at_least "$stats" bg 0.20 || problem "little of the launcher's background"
    for tile in camera tablets board; do
        at_least "$stats" "$tile" 0.01 || problem "no $tile tile colour"
    done
else
    problem "no screendump"
fi
report "screendump: the launcher fills the screen (background, Caméra, Tablettes, Tableau)"

# 4. killed: systemd starts it again, and it says so
kill -KILL "$PID1"
wait_until "$WAIT_RESTART" replaced "$PID1" || problem "no new craie after SIGKILL"
# (at once: the restart toast stays 10 s from the first frame)
restarted_stats=$(screendump restarted) || restarted_stats=""
PID2=$(prop MainPID)
say "after SIGKILL: MainPID $PID2, NRestarts $(prop NRestarts)"
[ "$(prop NRestarts)" = $((RESTARTS0 + 1)) ] || problem "NRestarts $(prop NRestarts)"
json=$(state_where '.service.restarted') || problem "get_state: service.restarted never true"
printf '%s\n' "$json" >"$OUT/state-restarted.json"
[ "$(jq -r '.service.restarts' <<<"$json")" = 1 ] || problem "service: $(jq -c .service <<<"$json")"
report "SIGKILL: systemd restarts craie, get_state service.restarted"

# 5. the board shows it: the launcher with the restart toast, not a black screen
if [ -n "$restarted_stats" ]; then
    stats=$restarted_stats
    diag <<<"$stats"
    at_least "$stats" bg 0.20 || problem "little of the launcher's background"
    at_least "$stats" toast 0.003 || problem "no restart toast"
else
    problem "no screendump"
fi
report "screendump after the restart: the launcher and the restart toast"

# 6. the UI thread hangs: the watchdog (30 s) kills it, systemd restarts it
craiectl test-hang ui >/dev/null 2>>"$OUT/craiectl.err" || problem "test-hang ui refused"
wait_until "$WAIT_WATCHDOG" replaced "$PID2" || problem "no new craie after the hang"
journalctl -u craie.service -b --no-pager >"$OUT/journal.txt" 2>&1
grep -q "Watchdog timeout" "$OUT/journal.txt" || problem "systemd logged no watchdog timeout"
say "after the hang: MainPID $(prop MainPID), NRestarts $(prop NRestarts)"
[ "$(prop NRestarts)" = $((RESTARTS0 + 2)) ] || problem "NRestarts $(prop NRestarts)"
json=$(state_where '.service.restarts == 2') || problem "the new craie does not say restarts 2"
report "a hung UI thread: the watchdog and systemd bring craie back"

systemctl stop craie.service
journalctl -u craie.service -b --no-pager >"$OUT/journal.txt" 2>&1
say "done"
exit "$FAILS"
