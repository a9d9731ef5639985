/* `libinput record` files: what a classroom device is and what it sent.
 *
 * A recording (`libinput record -o dev.yml /dev/input/eventN`, one or more
 * devices) is YAML: per device the evdev description (name, id, event codes,
 * absinfo [min, max, fuzz, flat, resolution], properties), the udev
 * properties libinput record keeps (ID_INPUT*, LIBINPUT_*) and the evdev
 * events as [sec, usec, type, code, value] rows, grouped in frames that end
 * with SYN_REPORT. This parser reads exactly that (libinput record format
 * version 1, as written by libinput 1.22 to 1.31), ignoring what craie does
 * not use (hid report descriptors, quirks, libinput's own event lines).
 *
 * Device descriptions written by hand (tests/input/devices/) use the same
 * format with no events, plus two optional keys libinput record does not
 * write: `phys` and `uniq` under `evdev`.
 *
 * Pure: no libinput, udev or umockdev. Used by craie-bench and the tests
 * (which build emulated devices from it and replay the events). */
#ifndef CR_REPLAY_H
#define CR_REPLAY_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sizes of the kernel's tables (linux/input-event-codes.h *_CNT). */
#define CR_REPLAY_EV_CNT 0x20
#define CR_REPLAY_CODE_CNT 0x300 /* KEY_CNT, the largest */
#define CR_REPLAY_ABS_CNT 0x40
#define CR_REPLAY_PROP_CNT 0x20

struct cr_replay_absinfo {
    int32_t minimum, maximum, fuzz, flat, resolution;
};

struct cr_replay_event {
    int64_t time_us; /* since the start of the recording (sec * 1e6 + usec) */
    uint16_t type, code;
    int32_t value;
};

struct cr_replay_device {
    char *node;        /* "/dev/input/event4" as recorded */
    char *name;        /* evdev name */
    char *phys, *uniq; /* "" when not recorded */
    uint16_t bustype, vendor, product, version;
    uint32_t types; /* bit per event type the device has (EV_SYN, EV_KEY, …) */
    /* codes[type] is a bit mask of the codes of that type (bit c of byte c/8) */
    uint8_t codes[CR_REPLAY_EV_CNT][CR_REPLAY_CODE_CNT / 8];
    struct cr_replay_absinfo absinfo[CR_REPLAY_ABS_CNT]; /* for the ABS codes present */
    uint8_t props[CR_REPLAY_PROP_CNT / 8];
    char **udev_properties; /* NULL-terminated "KEY=VALUE" strings (g_strfreev) */
    struct cr_replay_event *events;
    size_t n_events;
};

struct cr_replay {
    struct cr_replay_device *devices;
    size_t n_devices;
    char *libinput_version; /* the recorder's, "" if absent */
};

/* Parses a recording. On a malformed file returns NULL and sets error with
 * the file's line when known. The result is owned by the caller
 * (cr_replay_free). */
struct cr_replay *cr_replay_load_file(const char *path, GError **error);
struct cr_replay *cr_replay_load_data(const char *data, size_t len, GError **error);
void cr_replay_free(struct cr_replay *r);

/* Helpers on a device description. */
bool cr_replay_device_has(const struct cr_replay_device *d, unsigned type, unsigned code);
void cr_replay_device_set(struct cr_replay_device *d, unsigned type, unsigned code);
/* The value of a udev property, or NULL. Borrowed from d. */
const char *cr_replay_device_udev_property(const struct cr_replay_device *d, const char *key);
/* The event number of the node ("/dev/input/event4" → 4), -1 if none. */
int cr_replay_device_event_number(const struct cr_replay_device *d);

#endif
