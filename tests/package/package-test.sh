#!/usr/bin/env bash
# The Debian package as CI checks it (TAP): tools/build-deb builds it into a
# temporary folder without touching the checkout; its contents, modes,
# control fields and maintainer scripts are what a technician needs; lintian
# finds no error; systemd-analyze verify accepts the units; the udev rules do
# what they say on emulated devices (umockdev, `udevadm test`, in a private
# mount namespace); and, as root only, apt installs it, craie and craiectl
# run, and a purge leaves the machine as it was.
#
# Usage: package-test.sh VERSION   (meson passes the project's version)
# Env: CRAIE_SOURCE_ROOT, CRAIE_BUILD_ROOT (meson test sets them),
#      CRAIE_PACKAGE_INSTALL=0 skips the install/purge steps.
set -uo pipefail

version="${1:?usage: $0 VERSION}"
src="${CRAIE_SOURCE_ROOT:?run through meson test}"
build="${CRAIE_BUILD_ROOT:?run through meson test}"
here="$(cd "$(dirname "$0")" && pwd)"
arch="$(dpkg-architecture -qDEB_HOST_ARCH 2>/dev/null || dpkg --print-architecture)"
deb_name="craie_${version}_${arch}.deb"

n=0 failed=0
ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}
not_ok() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    for line in "$@"; do printf '#   %s\n' "$line"; done
}
skip() {
    n=$((n + 1))
    echo "ok $n - $1 # SKIP $2"
}
check() { # check NAME COMMAND...: ok when the command succeeds
    local name="$1" out
    shift
    if out="$("$@" 2>&1)"; then ok "$name"; else not_ok "$name" "${out:0:2000}"; fi
}
bail() {
    echo "Bail out! $*"
    exit 1
}

for tool in dpkg-buildpackage dh lintian fakeroot; do
    command -v "$tool" >/dev/null || bail "$tool is missing (tools/dev/install-deps.sh installs it)"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/craie-package-test-XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
artifacts="$build/test-artifacts/package"
mkdir -p "$artifacts"

# --- 1. the build, on a copy: the checkout stays as it was ----------------
# What dpkg-buildpackage leaves in the tree it builds in.
byproducts() {
    (cd "$src" && ls -d debian/files debian/craie debian/tmp debian/.debhelper \
        debian/debhelper-build-stamp debian/craie.substvars debian/craie.*debhelper* \
        obj-* ../craie_*.deb ../craie_*.changes ../craie_*.buildinfo 2>/dev/null | sort)
}
before="$(byproducts)"
if ! "$src/tools/build-deb" "$work/out" >"$work/build-deb.out" 2>&1; then
    sed 's/^/# /' "$work/build-deb.out"
    bail "tools/build-deb failed"
fi
deb="$work/out/$deb_name"
[ -f "$deb" ] || bail "tools/build-deb made no $deb_name: $(ls "$work/out")"
ok "tools/build-deb OUTDIR makes OUTDIR/$deb_name"
cp "$deb" "$work/out/craie_${version}_${arch}.build.log" "$artifacts/"
after="$(byproducts)"
if [ "$before" = "$after" ]; then
    ok "the checkout is left untouched (no build byproduct in it)"
else
    not_ok "the checkout is left untouched (no build byproduct in it)" "$after"
fi

# --- 2. control fields and maintainer scripts -------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
check "version $version, as meson.build says" test "$(field Version)" = "$version"
check "package craie, architecture $arch" test "$(field Package)/$(field Architecture)" = "craie/$arch"
depends="$(field Depends)"
missing=""
for d in libsdl2-2.0-0 libgstreamer1.0-0 libinput10 libcurl4 gstreamer1.0-plugins-base \
    gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice gstreamer1.0-libav \
    glib-networking openssl systemd; do
    grep -Eq "(^|, )$d( |,|$)" <<<"$depends" || missing="$missing $d"
done
if [ -z "$missing" ]; then ok "Depends: shared libraries and the GStreamer plugins"; else
    not_ok "Depends: shared libraries and the GStreamer plugins" "missing:$missing" "$depends"
fi

control="$work/control"
dpkg-deb -e "$deb" "$control"
check "conffiles: /etc/craie/craie.conf" grep -qx /etc/craie/craie.conf "$control/conffiles"
check "postinst creates the craie user (systemd-sysusers)" \
    grep -q "systemd-sysusers craie.conf" "$control/postinst"
check "postinst creates its folders (systemd-tmpfiles)" \
    grep -q "systemd-tmpfiles.*--create craie.conf" "$control/postinst"
# craie.service takes tty1: the technician enables it, the package never starts it.
if grep -q "deb-systemd-invoke [a-z\$_]* 'craie.service'" "$control/postinst"; then
    not_ok "postinst does not start craie.service" "$(grep -n craie.service "$control/postinst")"
else
    ok "postinst does not start craie.service"
fi
check "postinst enables the calibration export watch" \
    grep -q "deb-systemd-helper enable 'craie-calibration-export.path'" "$control/postinst"
check "postrm purge removes /var/lib/craie" grep -q "rm -rf /var/lib/craie" "$control/postrm"
for s in postinst postrm prerm; do
    [ -f "$control/$s" ] || continue
    check "$s is valid sh" sh -n "$control/$s"
done

# --- 3. contents and modes ---------------------------------------------------
dpkg-deb -c "$deb" | awk '{ sub(/^\.\//, "/", $6); print $1, $2, $6 }' >"$work/contents"
unitdir=/lib/systemd/system
grep -q " /usr/lib/systemd/system/craie.service$" "$work/contents" && unitdir=/usr/lib/systemd/system
udevdir=/lib/udev/rules.d
grep -q " /usr/lib/udev/rules.d/70-craie-camera.rules$" "$work/contents" && udevdir=/usr/lib/udev/rules.d
expect() { # expect MODE PATH
    if grep -qx -- "$1 root/root $2" "$work/contents"; then ok "$2 ($1)"; else
        not_ok "$2 ($1)" "$(grep -- " $2$" "$work/contents" || echo "absent")"
    fi
}
expect -rwxr-xr-x /usr/bin/craie
expect -rwxr-xr-x /usr/bin/craiectl
expect -rwxr-xr-x /usr/libexec/craie/craie-calibration-export
expect -rw-r--r-- "$unitdir/craie.service"
expect -rw-r--r-- "$unitdir/craie-calibration-export.path"
expect -rw-r--r-- "$unitdir/craie-calibration-export.service"
expect -rw-r--r-- "$udevdir/70-craie-camera.rules"
expect -rw-r--r-- "$udevdir/70-craie-input.rules"
expect -rw-r--r-- /usr/lib/sysusers.d/craie.conf
expect -rw-r--r-- /usr/lib/tmpfiles.d/craie.conf
expect -rw-r--r-- /etc/craie/craie.conf
expect drwxr-xr-x /etc/craie/craie.conf.d/
expect -rw-r--r-- /usr/share/man/man1/craie.1.gz
expect -rw-r--r-- /usr/share/man/man1/craiectl.1.gz
expect -rw-r--r-- /usr/share/man/man5/craie.conf.5.gz
expect -rw-r--r-- /usr/share/locale/fr/LC_MESSAGES/craie.mo
expect -rw-r--r-- /usr/share/craie/fonts/Andika-Regular.ttf
expect -rw-r--r-- /usr/share/craie/web/index.html
expect -rw-r--r-- /usr/share/applications/craie.desktop
expect -rw-r--r-- /usr/share/doc/craie/copyright
expect -rw-r--r-- /usr/share/doc/craie/deploy.md
check "icons and quirks are installed" \
    sh -c "grep -q ' /usr/share/craie/icons/.*\.svg$' '$work/contents' && grep -q ' /usr/share/craie/quirks/.*\.quirks$' '$work/contents'"
check "every file belongs to root" sh -c "! awk '\$2 != \"root/root\"' '$work/contents' | grep ."
check "nothing setuid, nothing world-writable" \
    sh -c "! awk '\$1 ~ /^-..[sS]|^-.....[sS]|^-.......w/' '$work/contents' | grep ."
check "no test program, test helper or benchmark" \
    sh -c "! grep -E 'craie-bench|umockdev|/test_|craie-gen-man' '$work/contents'"

root="$work/root"
dpkg-deb -x "$deb" "$root"
conf_values="$(grep -Ev '^\s*(#|\[|$)' "$root/etc/craie/craie.conf" || true)"
if [ -z "$conf_values" ]; then ok "/etc/craie/craie.conf is all comments (defaults)"; else
    not_ok "/etc/craie/craie.conf is all comments (defaults)" "$conf_values"
fi
check "craie.service: Type=notify, watchdog, restart, craie user, tty1, KMSDRM" sh -c "
    u='$root$unitdir/craie.service'
    grep -qx Type=notify \$u && grep -qx WatchdogSec=30s \$u && grep -qx Restart=on-failure \$u &&
    grep -qx User=craie \$u && grep -qx TTYPath=/dev/tty1 \$u && grep -qx StandardInput=tty \$u &&
    grep -qx Conflicts=getty@tty1.service \$u && grep -qx Environment=SDL_VIDEODRIVER=kmsdrm \$u &&
    grep -qx RuntimeDirectory=craie \$u && grep -qx RuntimeDirectoryPreserve=restart \$u"
check "sysusers: the craie user in video, input and render" sh -c "
    f='$root/usr/lib/sysusers.d/craie.conf'
    grep -Eq '^u craie ' \$f && grep -qx 'm craie video' \$f && grep -qx 'm craie input' \$f &&
    grep -qx 'm craie render' \$f"
check "tmpfiles: /var/lib/craie and /run/craie owned by craie" sh -c "
    f='$root/usr/lib/tmpfiles.d/craie.conf'
    grep -Eq '^d /var/lib/craie +0750 craie craie' \$f && grep -Eq '^d /run/craie +0755 craie craie' \$f"
if command -v desktop-file-validate >/dev/null; then
    check "craie.desktop is valid" desktop-file-validate "$root/usr/share/applications/craie.desktop"
fi

# --- 4. lintian: no error -----------------------------------------------------
lintian --tag-display-limit 0 --no-cfg "$deb" >"$work/lintian.txt" 2>&1
cp "$work/lintian.txt" "$artifacts/lintian.txt"
errors="$(grep -E '^E: ' "$work/lintian.txt" || true)"
if [ -z "$errors" ]; then
    ok "lintian: no error ($(grep -c '^W: ' "$work/lintian.txt") warnings)"
else
    not_ok "lintian: no error" "$errors"
fi

# --- 5. the units, as systemd reads them ------------------------------------
# Before installing: the commands pointed into the extracted tree.
mkdir "$work/units"
for u in "$root$unitdir"/*; do
    sed "s|=/usr/|=$root/usr/|" "$u" >"$work/units/$(basename "$u")"
done
check "systemd-analyze verify: the units" systemd-analyze verify --man=no "$work/units"/*

# --- 6. the udev rules on emulated devices ------------------------------------
# In a private mount namespace (root): the package's rules alone in
# /etc/udev/rules.d, a private /run (udevadm test writes its database there).
udev_test() { # udev_test UMOCKDEV_FILE SYSPATH [EXPORT_REQUEST]: udevadm test's output
    local had_char=0
    [ -e /dev/char ] && had_char=1
    unshare -m --propagation private sh -c '
        set -e
        mount -t tmpfs none /run
        mount -t tmpfs none /etc/udev/rules.d
        cp "$0"/*.rules /etc/udev/rules.d/
        if [ -n "$3" ]; then
            CRAIE_CALIBRATION_REQUEST="$3" CRAIE_UDEVADM=none \
                "$4/usr/libexec/craie/craie-calibration-export" >/dev/null
        fi
        umockdev-run -d "$1" -- udevadm test --action=add "$2" 2>&1
    ' "$root$udevdir" "$1" "$2" "${3:-}" "$root"
    # udevadm makes /dev/char (empty) outside the namespace: take it back.
    [ "$had_char" = 1 ] || rmdir /dev/char 2>/dev/null || true
}
if [ "$(id -u)" -ne 0 ]; then
    skip "udev rules on emulated devices" "needs root (a private mount namespace)"
elif ! command -v udevadm >/dev/null || ! command -v umockdev-run >/dev/null ||
    ! unshare -m true 2>/dev/null; then
    skip "udev rules on emulated devices" "udevadm, umockdev-run or unshare -m unavailable"
else
    out="$(udev_test "$here/devices/document-camera.umockdev" /sys/class/video4linux/video0)"
    echo "$out" >"$artifacts/udevadm-camera.txt"
    if grep -q "70-craie-camera.rules:[0-9]* GROUP 44" <<<"$out" &&
        grep -q "70-craie-camera.rules:[0-9]* MODE 0660" <<<"$out" &&
        grep -q "^TAGS=.*:uaccess:" <<<"$out"; then
        ok "udev: a UVC camera is opened by the video group and the seat user"
    else
        not_ok "udev: a UVC camera is opened by the video group and the seat user" \
            "$(grep -E 'craie|TAGS|Failed' <<<"$out" | head -20)"
    fi
    out="$(udev_test "$here/devices/ir-frame.umockdev" /sys/class/input/event7 \
        "$here/devices/calibration-request.rules")"
    echo "$out" >"$artifacts/udevadm-calibration.txt"
    if grep -qx "LIBINPUT_CALIBRATION_MATRIX=1.02 0 -0.01 0 0.98 0.02" <<<"$out"; then
        ok "udev: a touch frame gets craie's calibration (craie-calibration-export)"
    else
        not_ok "udev: a touch frame gets craie's calibration (craie-calibration-export)" \
            "$(grep -E 'craie|CALIBRATION|Failed' <<<"$out" | head -20)"
    fi
    out="$(udev_test "$here/devices/touch-frame-usb.umockdev" \
        /sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0)"
    echo "$out" >"$artifacts/udevadm-touch-frame.txt"
    if grep -q "70-craie-input.rules:[0-9]* ATTR '.*/1-3:1.0/../power/control' writing 'on'" <<<"$out"; then
        ok "udev: a touch frame's USB autosuspend is turned off"
    else
        not_ok "udev: a touch frame's USB autosuspend is turned off" \
            "$(grep -E 'craie|power' <<<"$out" | head -20)"
    fi
    out="$(udev_test "$here/devices/keyboard-usb.umockdev" \
        /sys/devices/pci0000:00/0000:00:14.0/usb1/1-5/1-5:1.0)"
    if grep -q "70-craie-input.rules:[0-9]* ATTR" <<<"$out"; then
        not_ok "udev: a keyboard keeps the kernel's power policy" "$(grep craie <<<"$out")"
    else
        ok "udev: a keyboard keeps the kernel's power policy"
    fi
    out="$(udev_test "$here/devices/other-touchscreen.umockdev" /sys/class/input/event8 \
        "$here/devices/calibration-request.rules")"
    if grep -q "LIBINPUT_CALIBRATION_MATRIX" <<<"$out"; then
        not_ok "udev: another device keeps no calibration" "$(grep CALIBRATION <<<"$out")"
    else
        ok "udev: another device keeps no calibration"
    fi
fi

# --- 7. install, run, purge (root only) ---------------------------------------
sudo=""
[ "$(id -u)" -eq 0 ] || { sudo -n true 2>/dev/null && sudo="sudo -n"; }
if [ "${CRAIE_PACKAGE_INSTALL:-1}" = 0 ]; then
    skip "install, run and purge" "CRAIE_PACKAGE_INSTALL=0"
elif [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    skip "install, run and purge" "needs root or passwordless sudo"
elif dpkg-query -W -f='${Status}' craie 2>/dev/null | grep -q "installed"; then
    skip "install, run and purge" "craie is already installed on this machine: left alone"
elif [ -e /etc/craie ]; then
    skip "install, run and purge" "/etc/craie exists: left alone"
else
    # A /var/lib/craie without the package (a craie run as root without
    # paths.state_dir): kept aside, back after the purge.
    saved_state=""
    if [ -e /var/lib/craie ]; then
        saved_state="$work/var-lib-craie"
        $sudo mv /var/lib/craie "$saved_state"
    fi
    had_user=0
    getent passwd craie >/dev/null && had_user=1
    had_group=0
    getent group craie >/dev/null && had_group=1
    cp "$deb" "$work/install.deb" && chmod 0644 "$work/install.deb"
    chmod 0755 "$work"
    if $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "$work/install.deb" >"$work/apt.log" 2>&1; then
        ok "apt-get install ./$deb_name"
        check "craie --version says $version" sh -c "/usr/bin/craie --version | grep -qx 'craie $version'"
        check "craiectl --help" /usr/bin/craiectl --help
        check "the craie user is in video, input and render" sh -c "
            g=\$(id -nG craie) && for x in video input render; do
                echo \" \$g \" | grep -q \" \$x \" || exit 1; done"
        check "/var/lib/craie belongs to craie (0750)" \
            sh -c "test \"\$(stat -c '%U %a' /var/lib/craie)\" = 'craie 750'"
        check "/run/craie belongs to craie" sh -c "test \"\$(stat -c '%U' /run/craie)\" = craie"
        check "/etc/craie/craie.conf and an empty /etc/craie/craie.conf.d/" \
            sh -c "test -f /etc/craie/craie.conf && test -d /etc/craie/craie.conf.d && test -z \"\$(ls -A /etc/craie/craie.conf.d)\""
        check "craie.service is not enabled by the package" \
            sh -c "! ls /etc/systemd/system/multi-user.target.wants/craie.service 2>/dev/null"
        check "systemd-analyze verify: the installed units" systemd-analyze verify \
            "$unitdir/craie.service" "$unitdir/craie-calibration-export.path" \
            "$unitdir/craie-calibration-export.service"
        check "man craie.conf finds the page" sh -c "man -w craie.conf >/dev/null"
    else
        not_ok "apt-get install ./$deb_name" "$(tail -n 30 "$work/apt.log")"
    fi
    if $sudo env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 \
        craie >>"$work/apt.log" 2>&1; then
        ok "apt-get purge craie"
    else
        not_ok "apt-get purge craie" "$(tail -n 30 "$work/apt.log")"
    fi
    cp "$work/apt.log" "$artifacts/apt.log"
    # Debian keeps system users on purge; this test made it, so it takes it back.
    [ "$had_user" = 1 ] || $sudo userdel craie 2>/dev/null || true
    [ "$had_group" = 1 ] || ! getent group craie >/dev/null || $sudo groupdel craie || true
    left=""
    for p in /etc/craie /var/lib/craie /run/craie /usr/bin/craie /usr/share/craie \
        "$unitdir/craie.service" /usr/lib/sysusers.d/craie.conf \
        /etc/systemd/system/multi-user.target.wants/craie-calibration-export.path; do
        [ -e "$p" ] && left="$left $p"
    done
    getent passwd craie >/dev/null && [ "$had_user" = 0 ] && left="$left user:craie"
    [ -z "$saved_state" ] || $sudo mv "$saved_state" /var/lib/craie
    if [ -z "$left" ]; then ok "the machine is as it was after the purge"; else
        not_ok "the machine is as it was after the purge" "left:$left"
    fi
fi

echo "1..$n"
[ "$failed" -eq 0 ]
