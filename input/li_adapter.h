/* The libinput adapter: libinput's udev seat backend on the io thread, its fd
 * in the io thread's GLib loop, its log routed into ours. Turns libinput
 * events into struct cr_input_event (raw device-normalised positions) and
 * reports devices as they come and go. Everything here runs on the thread
 * that owns ctx; callbacks are called on it.
 *
 * Stable device key: "<vendor>:<product>:<name>:<phys or serial>" with
 * vendor/product as 4 lower-case hex digits, the name as reported, and the
 * serial (ID_SERIAL_SHORT / uniq) when the device has one, else phys; any
 * character outside [A-Za-z0-9._-] replaced by '_'.
 *
 * Raw positions: libinput does not expose positions before its calibration
 * matrix. For a device craie has its own calibration for (or is calibrating),
 * the app calls cr_li_adapter_use_raw(…, true) and the adapter sets the
 * identity matrix; with false it restores the device's default matrix (a
 * LIBINPUT_CALIBRATION_MATRIX udev property is honoured). */
#ifndef CR_LI_ADAPTER_H
#define CR_LI_ADAPTER_H

#include <glib.h>
#include <stdbool.h>

#include "input/input_event.h"

struct cr_quirks;

struct cr_li_callbacks {
    void (*event)(void *user, const struct cr_input_event *ev);
    void (*device_added)(void *user, const struct cr_input_device_info *info);
    void (*device_removed)(void *user, uint32_t device_id);
};

struct cr_li_adapter;

/* seat: "seat0" unless configured. quirks may be NULL (none). Returns NULL
 * with a clear error if libinput or udev cannot start (no devices is not an
 * error: they may come later). */
struct cr_li_adapter *cr_li_adapter_new(GMainContext *ctx, const char *seat,
                                        const struct cr_quirks *quirks,
                                        const struct cr_li_callbacks *cb, void *user,
                                        GError **error);
void cr_li_adapter_free(struct cr_li_adapter *a);

/* See above. Returns false if the device is unknown or cannot be calibrated. */
bool cr_li_adapter_use_raw(struct cr_li_adapter *a, uint32_t device_id, bool raw);

/* Devices present now (for Réglages and get_state): an array of
 * struct cr_input_device_info (g_array_unref). */
GArray *cr_li_adapter_devices(struct cr_li_adapter *a);

#endif
