#!/usr/bin/env bash
# make-image.sh - builds the Debian 12 virtual machine the `vm` test suite
# boots: a kernel, its initramfs and a root filesystem with udev, systemd,
# the vivid virtual camera driver (in linux-image-amd64's modules) and the
# libraries craie runs with. craie itself is not in the image: run-vm-test.sh
# brings the build tree's binaries at each run.
#
# Usage: tests/vm/make-image.sh [--install-host-deps] [--print-host-deps]
#   --install-host-deps  apt-get install the host packages it needs first
#   --print-host-deps    print those packages and exit
# Prints the image folder (vmlinuz, initrd.img, rootfs.qcow2, manifest.txt);
# exits 77 when it has to build it and cannot here (not root, a tool missing).
#
# The image is cached under $CRAIE_VM_CACHE (default: $CRAIE_BUILD_ROOT/vm-cache,
# else build/vm-cache) in image-<key>, <key> being a hash of this script, the
# suite and the mirror: an unchanged script costs nothing; a changed one
# rebuilds (downloaded packages are kept in debs/ and reused).
# Env: CRAIE_VM_CACHE, CRAIE_VM_MIRROR (default: the host apt's Debian mirror),
#      CRAIE_VM_FORCE=1 to rebuild anyway.
# Building needs root (debootstrap, chroot) and the network to the mirror; one
# build at a time per cache (a lock).
set -euo pipefail

SUITE=bookworm
HOST_DEPS="debootstrap debian-archive-keyring e2fsprogs qemu-utils qemu-system-x86"

# What the guest needs: boot (kernel with vivid, udev, systemd), craie's
# run-time libraries and GStreamer elements, the sanitizers' run-times (for a
# build-asan tree), and the test's tools (v4l2-ctl, jq for craiectl's JSON,
# gst-launch-1.0 to read screenshots back).
GUEST_PACKAGES="
  linux-image-amd64 initramfs-tools systemd-sysv udev kmod procps
  libsdl2-2.0-0 libsdl2-ttf-2.0-0 libsdl2-image-2.0-0 libjson-glib-1.0-0
  libgstreamer1.0-0 libgstreamer-plugins-base1.0-0
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-x
  libinput10 libyaml-0-2 libsoup-3.0-0 libnice10 libgstreamer-plugins-bad1.0-0 libqrencode4
  libavahi-client3 libavahi-glib1 libcurl4 libssl3
  libvlc5 vlc-plugin-base libpoppler-glib8 libcairo2
  libasan8 libubsan1
  libwpewebkit-1.1-0 libwpebackend-fdo-1.0-1 libwpe-1.0-1 libwayland-server0
  gstreamer1.0-tools v4l-utils jq
"

log() { printf '[make-image %4ss] %s\n' "$SECONDS" "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

INSTALL_HOST_DEPS=0
for arg in "$@"; do
    case "$arg" in
    --install-host-deps) INSTALL_HOST_DEPS=1 ;;
    --print-host-deps)
        echo "$HOST_DEPS"
        exit 0
        ;;
    *)
        sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//;$d' >&2
        exit 2
        ;;
    esac
done

SELF="$(readlink -f "$0")"
SOURCE_ROOT="$(cd "$(dirname "$SELF")/../.." && pwd)"
BUILD_ROOT="${CRAIE_BUILD_ROOT:-$SOURCE_ROOT/build}"
CACHE="${CRAIE_VM_CACHE:-$BUILD_ROOT/vm-cache}"
if [ -d "$CACHE" ]; then CACHE="$(cd "$CACHE" && pwd)"; fi

if [ "$INSTALL_HOST_DEPS" = 1 ]; then
    [ "$(id -u)" = 0 ] || die "--install-host-deps: must run as root"
    log "installing host packages: $HOST_DEPS"
    # shellcheck disable=SC2086 # a list of words
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y \
        --no-install-recommends $HOST_DEPS >&2
fi

# The first Debian mirror for $SUITE in the host's apt sources (one-line or
# deb822 format).
detect_mirror() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk -v s="$SUITE" '$1 == "deb" {
                i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                if ($(i + 1) == s) { print $i; exit } }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk -v s="$SUITE" '
            function flush(  n, a, u, j) {
                if (types ~ /(^| )deb( |$)/ && enabled != "no") {
                    n = split(suites, a, " ")
                    for (j = 1; j <= n; j++) if (a[j] == s) { split(uris, u, " "); print u[1]; exit }
                }
                types = uris = suites = enabled = ""
            }
            /^[ \t]*$/ { flush(); next }
            /^#/ { next }
            { key = $1; sub(/:$/, "", key); $1 = ""; sub(/^ +/, ""); v = $0
              if (key == "Types") types = v; else if (key == "URIs") uris = v
              else if (key == "Suites") suites = v; else if (key == "Enabled") enabled = tolower(v) }
            END { flush() }' "$f"
    done
}
MIRROR="${CRAIE_VM_MIRROR:-$(detect_mirror | head -n 1)}"
[ -n "$MIRROR" ] || die "no 'deb' source for $SUITE in /etc/apt: set CRAIE_VM_MIRROR"

KEY="$({
    cat "$SELF"
    echo "$SUITE $MIRROR"
} | sha256sum | cut -c1-16)"
cached() {
    if [ -f "$CACHE/image-$KEY/.complete" ] && [ "${CRAIE_VM_FORCE:-0}" != 1 ]; then
        log "cached: $CACHE/image-$KEY"
        echo "$CACHE/image-$KEY"
        exit 0
    fi
}
cached

# Building: exit status 77 when this host cannot.
[ "$(id -u)" = 0 ] || {
    log "cannot build the image: must run as root (debootstrap and chroot)"
    exit 77
}
for tool in debootstrap mkfs.ext4 qemu-img chroot flock sha256sum; do
    command -v "$tool" >/dev/null || {
        log "cannot build the image: $tool is missing (tests/vm/make-image.sh --install-host-deps)"
        exit 77
    }
done
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
DEST="$CACHE/image-$KEY"
exec 9>"$CACHE/.lock"
flock 9
cached # built by another run while this one waited for the lock
log "building $DEST (suite $SUITE, mirror $MIRROR)"

DEBS="$CACHE/debs"
mkdir -p "$DEBS"
WORK="$(mktemp -d "$CACHE/work.XXXXXX")"
ROOT="$WORK/root"
MOUNTS=()
unmount_all() {
    local i
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        # a daemon a postinst started may still be exiting: retry, then lazily
        for _ in 1 2 3 4 5; do
            umount "${MOUNTS[i]}" 2>/dev/null && break
            sleep 1
        done
        if mountpoint -q "${MOUNTS[i]}"; then umount -l "${MOUNTS[i]}" || true; fi
    done
    MOUNTS=()
}
cleanup() {
    unmount_all
    rm -rf "$WORK"
}
trap cleanup EXIT

t0=$SECONDS
debootstrap --variant=minbase --cache-dir="$DEBS" "$SUITE" "$ROOT" "$MIRROR" \
    >"$WORK/debootstrap.log" 2>&1 || {
    tail -n 30 "$WORK/debootstrap.log" >&2
    die "debootstrap failed"
}
t_debootstrap=$((SECONDS - t0))
log "debootstrap: ${t_debootstrap}s"

t0=$SECONDS
mount -t proc proc "$ROOT/proc"
MOUNTS+=("$ROOT/proc")
mount -t sysfs sysfs "$ROOT/sys"
MOUNTS+=("$ROOT/sys")
mount --bind "$DEBS" "$ROOT/var/cache/apt/archives"
MOUNTS+=("$ROOT/var/cache/apt/archives")
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
echo "deb $MIRROR $SUITE main" >"$ROOT/etc/apt/sources.list"
cat >"$ROOT/etc/dpkg/dpkg.cfg.d/01-craie-vm" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
EOF
# A small initramfs, written before the kernel is installed so that it is
# generated once: only what mounts / on a virtio disk.
mkdir -p "$ROOT/etc/initramfs-tools/conf.d"
echo 'MODULES=list' >"$ROOT/etc/initramfs-tools/conf.d/craie-vm"
printf '%s\n' virtio_pci virtio_blk ext4 >>"$ROOT/etc/initramfs-tools/modules"

in_root() { LC_ALL=C DEBIAN_FRONTEND=noninteractive chroot "$ROOT" "$@"; }
# shellcheck disable=SC2086 # a list of words
{ in_root apt-get update && in_root apt-get install -y --no-install-recommends $GUEST_PACKAGES; } \
    >"$WORK/apt.log" 2>&1 || {
    tail -n 40 "$WORK/apt.log" >&2
    die "apt-get install in the guest failed"
}
compgen -G "$ROOT/lib/modules/*/kernel/drivers/media/test-drivers/vivid/vivid.ko*" >/dev/null ||
    die "the kernel has no vivid module"
# GStreamer's plugin registry, made now rather than at craie's first start
# (seconds of plugin loading under emulation).
in_root gst-inspect-1.0 v4l2src >/dev/null 2>&1 || die "gst-inspect-1.0 v4l2src failed in the guest"
t_apt=$((SECONDS - t0))
log "packages: ${t_apt}s"

t0=$SECONDS
echo craie-vm >"$ROOT/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 craie-vm\n' >"$ROOT/etc/hosts"
echo 'LABEL=craievm / ext4 rw,noatime,errors=remount-ro 0 1' >"$ROOT/etc/fstab"
in_root passwd -d root >/dev/null
printf '%s\n' 9p 9pnet_virtio >"$ROOT/etc/modules-load.d/craie-vm.conf"
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
    systemd-networkd-wait-online.service; do
    ln -sf /dev/null "$ROOT/etc/systemd/system/$unit"
done
# Root logs in by itself on the serial console (run-vm-test.sh --shell).
mkdir -p "$ROOT/etc/systemd/system/serial-getty@ttyS0.service.d"
cat >"$ROOT/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --noclear --keep-baud 115200,57600,38400,9600 %I $TERM
EOF

# The test runner: with craie.vmtest=1 on the kernel command line, mounts the
# host's share (9p tag "craie"), copies its overlay/ onto /, runs its
# guest-test.sh with the output on the second serial port (which the host
# prints), writes its exit status into the share and powers off.
cat >"$ROOT/usr/local/sbin/craie-vmtest-runner" <<'EOF'
#!/bin/bash
say() { echo "craie-vmtest: $* (uptime $(cut -d' ' -f1 /proc/uptime)s)" >/dev/ttyS0; }
say "runner started"
mkdir -p /mnt/host
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 craie /mnt/host; then
    say "cannot mount the host share"
    exit 1
fi
timeout=$(sed -n 's/.*craie\.vmtest\.timeout=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -d /mnt/host/overlay ] && cp -R -P --preserve=mode,timestamps,links /mnt/host/overlay/. /
udevadm settle -t 30 || true
mkdir -p /mnt/host/out
say "running guest-test.sh (timeout ${timeout:-600}s)"
cd /mnt/host || exit 1
timeout -k 5 "${timeout:-600}" bash ./guest-test.sh </dev/null 2>&1 | tee /mnt/host/out/guest-test.log >/dev/ttyS1
rc=${PIPESTATUS[0]}
journalctl -b --no-pager >/mnt/host/out/journal.txt 2>&1
echo "$rc" >/mnt/host/exit-status.tmp && mv /mnt/host/exit-status.tmp /mnt/host/exit-status
sync
say "guest-test.sh exited with $rc"
EOF
chmod 755 "$ROOT/usr/local/sbin/craie-vmtest-runner"
cat >"$ROOT/etc/systemd/system/craie-vmtest.service" <<'EOF'
[Unit]
Description=craie test runner (guest-test.sh from the host share)
ConditionKernelCommandLine=craie.vmtest=1
After=systemd-udevd.service systemd-udev-trigger.service systemd-modules-load.service local-fs.target
Wants=systemd-udevd.service systemd-udev-trigger.service
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Service]
Type=exec
ExecStart=/usr/local/sbin/craie-vmtest-runner
StandardOutput=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/craie-vmtest.service \
    "$ROOT/etc/systemd/system/multi-user.target.wants/craie-vmtest.service"

rm -f "$ROOT/usr/sbin/policy-rc.d" "$ROOT/etc/resolv.conf"
unmount_all # before cleaning: apt-get clean would empty the bind-mounted deb cache
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/tmp/* "$ROOT"/var/log/*.log
t_config=$((SECONDS - t0))

t0=$SECONDS
mkdir -p "$WORK/out"
cp "$(readlink -f "$ROOT/vmlinuz")" "$WORK/out/vmlinuz"
cp "$(readlink -f "$ROOT/initrd.img")" "$WORK/out/initrd.img"
used_mb=$(du -sxm "$ROOT" | cut -f1)
size_mb=$((used_mb * 13 / 10 + 256))
mkfs.ext4 -q -F -L craievm -d "$ROOT" -E root_owner=0:0 "$WORK/rootfs.raw" "${size_mb}M" >/dev/null
qemu-img convert -O qcow2 "$WORK/rootfs.raw" "$WORK/out/rootfs.qcow2"
rm -f "$WORK/rootfs.raw"
t_image=$((SECONDS - t0))
{
    echo "suite=$SUITE mirror=$MIRROR key=$KEY kernel=$(ls "$ROOT/lib/modules")"
    echo "seconds: debootstrap=$t_debootstrap packages=$t_apt config=$t_config image=$t_image total=$SECONDS"
    echo "rootfs: ${used_mb} MiB used, ${size_mb} MiB filesystem"
    # shellcheck disable=SC2016 # dpkg's own format
    in_root dpkg-query -W -f '${Package} ${Version}\n'
} >"$WORK/out/manifest.txt"
touch "$WORK/out/.complete"
# Older images are of no more use.
rm -rf "$CACHE"/image-* "$DEST"
mv "$WORK/out" "$DEST"
log "done in ${SECONDS}s (debootstrap ${t_debootstrap}s, packages ${t_apt}s, image ${t_image}s): $DEST"
echo "$DEST"
