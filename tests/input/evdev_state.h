/* The kernel side of one emulated evdev device: what drivers/input/evdev.c
 * and drivers/input/input.c keep per device (name, ids, capability bits,
 * absinfo, key/led/sw state, multitouch slots) and the answers evdev's
 * ioctls give from it. Test support only (tests/input/testbed.c). */
#ifndef CR_EVDEV_STATE_H
#define CR_EVDEV_STATE_H

#include <glib.h>
#include <linux/input.h>
#include <stddef.h>

#include "input/replay.h"

#define CR_EVDEV_MT_CODES (ABS_MT_TOOL_Y - ABS_MT_TOUCH_MAJOR + 1)
#define CR_EVDEV_MAX_SLOTS 64

struct cr_evdev_state {
    GMutex lock;                         /* taken by the callers of the functions below */
    const struct cr_replay_device *desc; /* borrowed: name, ids, codes, props */
    struct input_absinfo abs[ABS_CNT];
    unsigned long key[(KEY_CNT + 63) / 64], led[1], snd[1], sw[1];
    int num_slots, slot;
    int32_t mt[CR_EVDEV_MT_CODES][CR_EVDEV_MAX_SLOTS];
};

void cr_evdev_state_init(struct cr_evdev_state *s, const struct cr_replay_device *desc);
void cr_evdev_state_clear(struct cr_evdev_state *s);
/* The input core's bookkeeping for one event passed to the device. */
void cr_evdev_state_event(struct cr_evdev_state *s, unsigned type, unsigned code, int value);
/* evdev_do_ioctl: request, the caller's buffer (its _IOC_SIZE bytes, already
 * holding what the caller passed in) or, for requests whose argument is a
 * value (EVIOCGRAB, EVIOCREVOKE, EVIOCRMFF), that value in arg. Returns the
 * ioctl's result, or -errno. */
long cr_evdev_state_ioctl(struct cr_evdev_state *s, unsigned long request, void *buf,
                          unsigned long arg);
/* Whether the request's argument is a value rather than a pointer. */
bool cr_evdev_request_takes_value(unsigned long request);

#endif
