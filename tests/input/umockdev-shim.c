/* LD_PRELOAD shim for libinput under umockdev 0.17 (Debian 12). Load it
 * after umockdev's own preload:
 *
 *   LD_PRELOAD=libumockdev-preload.so.0:<build>/tests/input/libcr-umockdev-shim.so
 *
 * It fills two gaps of umockdev before 0.19.2 that make libinput refuse
 * every emulated device, and does nothing outside a testbed (UMOCKDEV_DIR
 * unset):
 *
 * 1. udev_device_get_is_initialized(): udevd marks a device initialized
 *    when it has written its database entry (/run/udev/data/c13:N).
 *    umockdev writes none and does not redirect that path, so libudev calls
 *    every emulated device uninitialized and libinput skips the ones present
 *    at start ("skip unconfigured input device"). In a testbed every device
 *    is complete when it appears: answer "initialized".
 *
 * 2. fstat(): umockdev backs /dev/input/eventN with a PTY and fakes stat()
 *    by path but not fstat() by file (0.19.2 does), so libinput sees the
 *    PTY's device number (136:N) instead of 13:N and refuses the device
 *    ("failed to create input device"). Map the PTY back to the emulated
 *    number through $UMOCKDEV_DIR/dev/.ptymap, which umockdev maintains. */
#define _GNU_SOURCE
/* fstat and fstat64 are both defined here: keep the headers from renaming
 * one into the other (meson builds with _FILE_OFFSET_BITS=64) */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct udev_device;

int udev_device_get_is_initialized(struct udev_device *dev);
int fstat(int fd, struct stat *st);
int fstat64(int fd, struct stat64 *st);

int udev_device_get_is_initialized(struct udev_device *dev)
{
    static int (*real)(struct udev_device *);
    if (getenv("UMOCKDEV_DIR"))
        return 1;
    if (!real)
        real = (int (*)(struct udev_device *))dlsym(RTLD_NEXT, "udev_device_get_is_initialized");
    return real ? real(dev) : 1;
}

/* Unix98 PTY slaves have majors 136..143. */
static void map_pty(int fd, mode_t mode, dev_t *rdev)
{
    const char *dir = getenv("UMOCKDEV_DIR");
    char proc[64], tty[256], map[PATH_MAX], majmin[32];
    unsigned maj, min;
    ssize_t n;

    if (!dir || !S_ISCHR(mode) || major(*rdev) < 136 || major(*rdev) > 143)
        return;
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    n = readlink(proc, tty, sizeof(tty) - 1);
    if (n <= 0)
        return;
    tty[n] = '\0';
    for (char *p = tty; *p; p++) /* "/dev/pts/3" → "_dev_pts_3" */
        if (*p == '/')
            *p = '_';
    if (snprintf(map, sizeof(map), "%s/dev/.ptymap/%s", dir, tty) >= (int)sizeof(map))
        return;
    n = readlink(map, majmin, sizeof(majmin) - 1);
    if (n <= 0)
        return;
    majmin[n] = '\0';
    if (sscanf(majmin, "%u:%u", &maj, &min) == 2)
        *rdev = makedev(maj, min);
}

int fstat(int fd, struct stat *st)
{
    static int (*real)(int, struct stat *);
    if (!real)
        real = (int (*)(int, struct stat *))dlsym(RTLD_NEXT, "fstat");
    int r = real(fd, st);
    if (r == 0)
        map_pty(fd, st->st_mode, &st->st_rdev);
    return r;
}

int fstat64(int fd, struct stat64 *st)
{
    static int (*real)(int, struct stat64 *);
    if (!real)
        real = (int (*)(int, struct stat64 *))dlsym(RTLD_NEXT, "fstat64");
    int r = real(fd, st);
    if (r == 0)
        map_pty(fd, st->st_mode, &st->st_rdev);
    return r;
}
