/* Emulated input devices for tests and benchmarks (static library
 * input-testbed, links libumockdev; never part of the craie binary).
 *
 * A testbed is a umockdev sandbox: a fake /sys and /dev that libudev and
 * libinput see instead of the machine's, in this process and in every child
 * started after cr_testbed_new (they inherit UMOCKDEV_DIR). Programs that
 * should see the devices must run with
 *
 *   LD_PRELOAD=libumockdev-preload.so.0:<build>/tests/input/libcr-umockdev-shim.so
 *
 * (the order matters; tests/input/README.md explains the shim). Devices are
 * described like `libinput record` files (input/replay.h); each is an evdev
 * node /dev/input/eventN whose ioctls are answered like the kernel would
 * (tests/input/evdev_state.c), fed with frames written here with the current
 * CLOCK_MONOTONIC time, as the kernel stamps them.
 *
 * Threads: call everything from one thread. The ioctls of the emulated
 * devices are answered on umockdev's own worker thread.
 *
 * Typical use (the lead's e2e and craie-bench pen):
 *   tb = cr_testbed_new(&err);
 *   pen = cr_testbed_add_device_file(tb, ".../devices/pen-direct.yml", &err);
 *   spawn craie (inherits UMOCKDEV_DIR and LD_PRELOAD); wait until it has the
 *   device open (cr_testbed_device_wait_open), then
 *   cr_testbed_write_frame(pen, CR_TB_EVENTS({EV_KEY, BTN_TOOL_PEN, 1}, …));
 *   cr_testbed_remove_device(tb, pen); cr_testbed_free(tb); */
#ifndef CR_TESTBED_H
#define CR_TESTBED_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input/replay.h"

struct cr_testbed;
struct cr_testbed_device;

/* One evdev event of a frame (the SYN_REPORT is added by write_frame). */
struct cr_testbed_event {
    uint16_t type, code;
    int32_t value;
};

/* An array literal and its length for cr_testbed_write_frame:
 *   cr_testbed_write_frame(d, CR_TB_EVENTS({EV_ABS, ABS_X, 10}, {EV_ABS, ABS_Y, 20})); */
#define CR_TB_EVENTS(...)                                                                          \
    ((const struct cr_testbed_event[]){__VA_ARGS__}),                                              \
        (sizeof((const struct cr_testbed_event[]){__VA_ARGS__}) / sizeof(struct cr_testbed_event))

/* Creates the sandbox and sets UMOCKDEV_DIR in this process's environment.
 * One testbed at a time per process. NULL with error if umockdev fails. */
struct cr_testbed *cr_testbed_new(GError **error);
/* Removes the sandbox. Free every libinput context that uses the testbed
 * first (and end child processes): their files of its devices stop being
 * answered. */
void cr_testbed_free(struct cr_testbed *tb);
/* The sandbox directory (UMOCKDEV_DIR). Borrowed from tb. */
const char *cr_testbed_root(const struct cr_testbed *tb);

/* Adds a device (spec is copied; its events are ignored) and announces it
 * with an "add" uevent, as a hot-plug. Its node is /dev/input/eventN with N
 * the spec's node number when free, else the next free number. Owned by tb:
 * valid until cr_testbed_remove_device or cr_testbed_free. */
struct cr_testbed_device *
cr_testbed_add_device(struct cr_testbed *tb, const struct cr_replay_device *spec, GError **error);
/* The same from a description file (its first device). */
struct cr_testbed_device *cr_testbed_add_device_file(struct cr_testbed *tb, const char *path,
                                                     GError **error);
/* "/dev/input/event4" and "/sys/devices/virtual/input/input104/event4".
 * Borrowed from d. */
const char *cr_testbed_device_node(const struct cr_testbed_device *d);
const char *cr_testbed_device_syspath(const struct cr_testbed_device *d);
/* The device's absinfo as the emulated kernel holds it now (after any
 * EVIOCSABS). False if code is out of range. */
bool cr_testbed_device_absinfo(struct cr_testbed_device *d, unsigned code,
                               struct cr_replay_absinfo *out);
/* Whether a process has the device open now (any open file of its node). */
bool cr_testbed_device_is_open(const struct cr_testbed_device *d);
/* Waits until some process has the device open (libinput drains a node when
 * it opens it: frames written before are lost). False after timeout_ms. */
bool cr_testbed_device_wait_open(const struct cr_testbed_device *d, int timeout_ms);

/* Writes one frame: the events then SYN_REPORT, all stamped with the
 * current CLOCK_MONOTONIC time. Returns that time in µs, or -1 if the write
 * failed (device removed). */
int64_t cr_testbed_write_frame(struct cr_testbed_device *d, const struct cr_testbed_event *ev,
                               size_t n);

/* Announces the device's removal with a "remove" uevent and deletes it from
 * the sandbox, as an unplug. d is invalid afterwards. */
void cr_testbed_remove_device(struct cr_testbed *tb, struct cr_testbed_device *d);

/* Replays recorded events: the frames of rec->devices[i] go to devs[i]
 * (NULL: skipped), in time order across devices, keeping the recorded gaps
 * (scaled by 1/speed; 0 or 1 = real time) on an absolute schedule (no
 * drift), each frame stamped with the time it is written. The first frame
 * is written at once. Before each frame, wait(deadline_us, user) is called
 * to wait until CLOCK_MONOTONIC deadline_us (µs): a test that runs libinput
 * in the same thread iterates its main context there; NULL sleeps.
 * Returns the number of frames written, -1 if a write failed. */
long cr_testbed_replay(const struct cr_replay *rec, struct cr_testbed_device *const *devs,
                       double speed, void (*wait)(int64_t deadline_us, void *user), void *user);

#endif
