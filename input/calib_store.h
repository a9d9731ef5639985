/* Calibrations kept across reboots: one per device (its stable key, see
 * li_adapter.h) and output ("1920x1080" or "NAME-1920x1080"), in
 * STATE_DIR/calibration/calibrations.conf (a key file written atomically).
 *
 * The affine part of each is also written, as udev rules setting
 * LIBINPUT_CALIBRATION_MATRIX, to STATE_DIR/calibration/libinput.rules: a
 * request that the privileged helper (udev/craie-calibration-export) checks
 * line by line and installs, so that other programs on the PC agree. craie
 * itself never needs root. UI thread. */
#ifndef CR_CALIB_STORE_H
#define CR_CALIB_STORE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "input/calib.h"

struct cr_calib_store;

/* dir: the folder for the two files (created 0755 on first save); NULL keeps
 * everything in memory (tests, read-only appliances). A missing or damaged
 * file is reported and treated as empty: craie starts regardless. */
struct cr_calib_store *cr_calib_store_new(const char *dir);
void cr_calib_store_free(struct cr_calib_store *s);

bool cr_calib_store_get(const struct cr_calib_store *s, const char *device_key, const char *output,
                        struct cr_calib *out);

/* What the udev export needs to match the device. */
struct cr_calib_device_id {
    const char *key;
    const char *name;
    uint16_t vendor, product;
};

/* Stores and persists (both files). On a write failure the calibration is
 * still kept in memory for this run, and false is returned with the error. */
bool cr_calib_store_set(struct cr_calib_store *s, const struct cr_calib_device_id *dev,
                        const char *output, const struct cr_calib *c, GError **error);
/* When the calibration was made (Unix seconds), 0 when unknown or none. */
int64_t cr_calib_store_saved_at(const struct cr_calib_store *s, const char *device_key,
                                const char *output);
bool cr_calib_store_remove(struct cr_calib_store *s, const char *device_key, const char *output,
                           GError **error);
size_t cr_calib_store_count(const struct cr_calib_store *s);

/* The udev rules text for every stored calibration (what is written to
 * libinput.rules). g_free. */
char *cr_calib_store_udev_rules(const struct cr_calib_store *s);

/* A name that is safe in a udev rule match (no quotes, backslashes or
 * control characters): true if name can be used as is. */
bool cr_calib_udev_name_ok(const char *name);

#endif
