#!/usr/bin/env bash
# run-vm-test.sh - boots the test VM (tests/vm/make-image.sh, built or taken
# from its cache) with the build tree's craie in it, runs a guest script as
# root and exits with that script's status. The guest's output is printed on
# stdout as it comes (the guest scripts speak TAP), the VM's console on stderr.
#
# Usage: tests/vm/run-vm-test.sh [--tap] [--image DIR] [--display] [--share FILE]...
#                                 GUEST_SCRIPT
#        tests/vm/run-vm-test.sh [--image DIR] --shell
#   --tap     a test that cannot run prints "1..0 # SKIP why" and exits 0 (what
#             meson's TAP protocol counts as a skip) instead of exiting 77
#   --image   use this image folder instead of make-image.sh's cached one
#   --display a VGA display (DRM/KMS in the guest) and screenshots on request:
#             the guest writes screendump/NAME.req (lines NAME=#rrggbb), the
#             host writes out/NAME.png and screendump/NAME.txt (tests/vm/screendump.py)
#   --share   copy FILE into the share (the guest's cwd)
#   --shell   boot with root logged in on the serial console (Ctrl-A X quits)
#
# In the guest: the script runs from the host share, mounted at /mnt/host (its
# cwd); craie, craiectl, po/locale and assets/ are at the same absolute paths
# as on the host (CRAIE_BUILD_ROOT, CRAIE_SOURCE_ROOT, given in
# /mnt/host/test.env); what it writes into /mnt/host/out/ is copied to
# $CRAIE_BUILD_ROOT/test-artifacts/vm/ with the console log. No network.
#
# Env: CRAIE_BUILD_ROOT, CRAIE_SOURCE_ROOT (meson test sets them; default:
#      this checkout and its build/), CRAIE_VM_CACHE (see make-image.sh),
#      CRAIE_VM_TIMEOUT (guest script's limit in s, 480; QEMU is killed 60 s
#      after), CRAIE_VM_ACCEL (auto: KVM when a probe boot works, else TCG |
#      kvm | tcg), CRAIE_VM_MEM (MiB, 1024), CRAIE_VM_CPUS (2),
#      CRAIE_VM_KEEP=1 keeps the share folder.
# Exit status: the guest script's; 77 skipped (without --tap); 124 timeout;
# 125 the guest gave no status; 2 usage or image build failure.
set -euo pipefail

TAP=0 SHELL_MODE=0 IMG="" GUEST_SCRIPT="" DISPLAY_MODE=0 SHARE_FILES=()
while [ $# -gt 0 ]; do
    case "$1" in
    --tap) TAP=1 ;;
    --shell) SHELL_MODE=1 ;;
    --display) DISPLAY_MODE=1 ;;
    --share)
        SHARE_FILES+=("$2")
        shift
        ;;
    --image)
        IMG="$2"
        shift
        ;;
    -*)
        sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//;$d' >&2
        exit 2
        ;;
    *) GUEST_SCRIPT="$1" ;;
    esac
    shift
done
[ "$SHELL_MODE" = 1 ] || [ -n "$GUEST_SCRIPT" ] || {
    echo "usage: $0 [--tap] [--image DIR] GUEST_SCRIPT | --shell" >&2
    exit 2
}

HERE="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
SOURCE_ROOT="$(cd "${CRAIE_SOURCE_ROOT:-$HERE/../..}" && pwd)"
BUILD_ROOT="$(cd "${CRAIE_BUILD_ROOT:-$SOURCE_ROOT/build}" && pwd)"
export CRAIE_BUILD_ROOT="$BUILD_ROOT"
TIMEOUT="${CRAIE_VM_TIMEOUT:-480}"
QEMU=qemu-system-x86_64
T0=$(date +%s)

log() { printf '[run-vm %4ss] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
skip() {
    log "SKIP: $*"
    if [ "$TAP" = 1 ]; then
        echo "1..0 # SKIP $*"
        exit 0
    fi
    exit 77
}
bail() {
    log "ERROR: $*"
    [ "$TAP" = 1 ] && echo "Bail out! $*"
    exit "${2:-2}"
}

command -v "$QEMU" >/dev/null ||
    skip "$QEMU is missing (tests/vm/make-image.sh --install-host-deps)"
if [ -z "$IMG" ]; then
    rc=0
    IMG="$("$HERE/make-image.sh")" || rc=$?
    case "$rc" in
    0) ;;
    77) skip "no VM image, and make-image.sh cannot build it here (needs root and debootstrap: tests/vm/make-image.sh --install-host-deps)" ;;
    *) bail "the VM image could not be built" ;;
    esac
fi
for f in vmlinuz initrd.img rootfs.qcow2; do
    [ -f "$IMG/$f" ] || bail "no $IMG/$f"
done
if [ "$SHELL_MODE" = 0 ]; then
    for f in "$BUILD_ROOT/craie" "$BUILD_ROOT/craiectl" "$SOURCE_ROOT/assets/fonts"; do
        [ -e "$f" ] || bail "no $f: build craie first (ninja -C $BUILD_ROOT)"
    done
fi

RUNTMP="$(mktemp -d "${TMPDIR:-/tmp}/craie-vm.XXXXXX")"
SHARE="$RUNTMP/share"
QPID=""
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    if [ -n "$QPID" ]; then kill "$QPID" 2>/dev/null || true; fi
    if [ "${CRAIE_VM_KEEP:-0}" = 1 ]; then log "kept $RUNTMP"; else rm -rf "$RUNTMP"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# The share: the guest script, the paths it needs, and an overlay copied onto
# the guest's / before the script runs: the build tree's programs, catalogues
# and the source's assets at the host's paths (craie finds them as it does on
# the host when run from its build tree).
mkdir -p "$SHARE/out"
if [ "$SHELL_MODE" = 0 ]; then
    cp "$GUEST_SCRIPT" "$SHARE/guest-test.sh"
    for f in "${SHARE_FILES[@]}"; do cp "$f" "$SHARE/"; done
    O="$SHARE/overlay"
    mkdir -p "$O$BUILD_ROOT/po" "$O$SOURCE_ROOT"
    cp "$BUILD_ROOT/craie" "$BUILD_ROOT/craiectl" "$O$BUILD_ROOT/"
    if [ -d "$BUILD_ROOT/po/locale" ]; then cp -R "$BUILD_ROOT/po/locale" "$O$BUILD_ROOT/po/"; fi
    cp -R "$SOURCE_ROOT/assets" "$O$SOURCE_ROOT/"
    printf 'CRAIE_BUILD_ROOT=%q\nCRAIE_SOURCE_ROOT=%q\n' "$BUILD_ROOT" "$SOURCE_ROOT" >"$SHARE/test.env"
    # A sanitizer build (build-asan) runs with the host's options and
    # suppression files.
    for var in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
        [ -n "${!var:-}" ] || continue
        printf 'export %s=%q\n' "$var" "${!var}" >>"$SHARE/test.env"
        while read -r supp; do
            [ -f "$supp" ] || continue
            mkdir -p "$O$(dirname "$supp")"
            cp "$supp" "$O$supp"
        done < <(grep -o 'suppressions=[^:]*' <<<"${!var}" | cut -d= -f2)
    done
fi

ACCEL="${CRAIE_VM_ACCEL:-auto}"
if [ "$ACCEL" = auto ]; then
    # /dev/kvm may open yet not work (nested virtualisation without the MSRs
    # QEMU sets): a kernel without a root fs must reach its panic quickly.
    ACCEL=tcg
    if [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
        (timeout 20 "$QEMU" -accel kvm -cpu host -M q35 -m 256 -nodefaults -display none \
            -no-reboot -serial "file:$RUNTMP/probe.log" -kernel "$IMG/vmlinuz" \
            -append "console=ttyS0 panic=-1" >"$RUNTMP/probe.err" 2>&1
        exit $?) 2>/dev/null && # (no "Aborted" from bash when QEMU aborts)
        grep -q 'Kernel panic' "$RUNTMP/probe.log"; then
        ACCEL=kvm
    fi
fi
case "$ACCEL" in
kvm) ACCEL_ARGS=(-accel kvm -cpu host) ;;
# a bounded translation cache: QEMU's RSS stays under 1 GB
tcg) ACCEL_ARGS=(-accel "tcg,thread=multi,tb-size=256" -cpu max) ;;
*) bail "CRAIE_VM_ACCEL=$ACCEL: expected auto, kvm or tcg" ;;
esac

CMDLINE="root=/dev/vda rw console=ttyS0,115200 quiet loglevel=3 systemd.show_status=error panic=-1"
if [ "$SHELL_MODE" = 0 ]; then
    CMDLINE="$CMDLINE craie.vmtest=1 craie.vmtest.timeout=$TIMEOUT systemd.mask=serial-getty@ttyS0.service"
fi
# shellcheck disable=SC2054 # commas inside QEMU arguments
QEMU_ARGS=(
    -name craie-vm -machine q35 "${ACCEL_ARGS[@]}"
    -smp "${CRAIE_VM_CPUS:-2}" -m "${CRAIE_VM_MEM:-1024}"
    -nodefaults -no-user-config -no-reboot -display none -nic none
    -kernel "$IMG/vmlinuz" -initrd "$IMG/initrd.img" -append "$CMDLINE"
    -drive "file=$IMG/rootfs.qcow2,if=virtio,format=qcow2,snapshot=on,cache=unsafe"
    -fsdev "local,id=share,path=$SHARE,security_model=none"
    -device virtio-9p-pci,fsdev=share,mount_tag=craie
)
if [ "$DISPLAY_MODE" = 1 ]; then
    mkdir -p "$SHARE/screendump"
    QEMU_ARGS+=(-device VGA,vgamem_mb=32 -qmp "unix:$RUNTMP/qmp.sock,server=on,wait=off")
fi
# screendump/NAME.req from the guest: out/NAME.png and screendump/NAME.txt.
serve_screendumps() {
    local req name
    for req in "$SHARE"/screendump/*.req; do
        [ -f "$req" ] || continue
        name="$(basename "$req" .req)"
        mapfile -t colours <"$req"
        rm -f "$req"
        if python3 "$HERE/screendump.py" "$RUNTMP/qmp.sock" "$SHARE/out/$name.png" \
            "${colours[@]}" >"$SHARE/screendump/$name.tmp" 2>&1; then
            mv "$SHARE/screendump/$name.tmp" "$SHARE/screendump/$name.txt"
        else
            log "screendump $name failed: $(cat "$SHARE/screendump/$name.tmp")"
            echo "error" >"$SHARE/screendump/$name.txt"
        fi
    done
}
if [ "$SHELL_MODE" = 1 ]; then
    log "root shell on the serial console; Ctrl-A X quits"
    TMPDIR="$RUNTMP" "$QEMU" "${QEMU_ARGS[@]}" -serial mon:stdio
    exit $?
fi

log "booting $IMG (accel $ACCEL), guest script $(basename "$GUEST_SCRIPT"), timeout ${TIMEOUT}s"
: >"$RUNTMP/console.log"
: >"$RUNTMP/output.log"
# ttyS0: kernel and systemd console; ttyS1: the guest script's output.
TMPDIR="$RUNTMP" "$QEMU" "${QEMU_ARGS[@]}" \
    -serial "file:$RUNTMP/console.log" -serial "file:$RUNTMP/output.log" &
QPID=$!
# (the tails end with QEMU)
tail -n +1 -F --pid="$QPID" "$RUNTMP/console.log" 2>/dev/null | tr -d '\r' | sed -u 's/^/  console| /' >&2 &
tail -n +1 -F --pid="$QPID" "$RUNTMP/output.log" 2>/dev/null | tr -d '\r' &

deadline=$(($(date +%s) + TIMEOUT + 60))
timed_out=0
while kill -0 "$QPID" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        log "TIMEOUT: the VM still runs ${TIMEOUT}s + 60s after its start; killing it"
        kill "$QPID" 2>/dev/null || true
        timed_out=1
        break
    fi
    [ "$DISPLAY_MODE" = 0 ] || serve_screendumps
    sleep 0.5
done
wait "$QPID" 2>/dev/null || true
QPID=""
wait # the tails, which print what is left

ARTIFACTS="$BUILD_ROOT/test-artifacts/vm"
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
cp -R "$SHARE/out/." "$ARTIFACTS/" 2>/dev/null || true
tr -d '\r' <"$RUNTMP/console.log" >"$ARTIFACTS/console.log"

if [ "$timed_out" = 1 ]; then
    rc=124
    [ "$TAP" = 0 ] || echo "Bail out! the VM timed out"
elif [ -s "$SHARE/exit-status" ]; then
    rc="$(cat "$SHARE/exit-status")"
else
    rc=125
    [ "$TAP" = 0 ] || echo "Bail out! the guest gave no exit status (see $ARTIFACTS/console.log)"
fi
log "VM gone after $(($(date +%s) - T0))s; guest status $rc; artifacts in $ARTIFACTS"
exit "$rc"
