/* A camera as craie sees it: no GStreamer types here. */
#ifndef CR_CAMERA_DEVICE_H
#define CR_CAMERA_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "display/camera/camera_mode.h"

struct cr_camera_device {
    char *id;   /* stable across unplug/replug: serial or bus path, else name; owned */
    char *name; /* human name ("HD USB Camera"); owned */
    char *path; /* "/dev/video2", or NULL for the test source; owned */
    bool is_test;
    struct cr_camera_mode *modes; /* owned */
    size_t n_modes;
};

void cr_camera_device_copy(struct cr_camera_device *dst, const struct cr_camera_device *src);
void cr_camera_device_clear(struct cr_camera_device *dev);

/* The built-in test source ("Mire de test"): offers 1920x1080@30 raw I420
 * and MJPEG (encoded on the fly, to exercise the decode path). */
void cr_camera_device_init_test(struct cr_camera_device *dev);

/* Modes from a GStreamer caps string (what a GstDevice reports), keeping
 * image/jpeg and the raw formats the renderer uploads as they are (YUY2,
 * NV12, I420) in system memory; framerate lists and ranges become one mode
 * per usable rate (the highest of a range; an open range, up to 2147483647/1,
 * runs at 30 when it allows it; 0/1 is no rate); size ranges give their
 * largest size. Duplicates are merged, caps order kept. Returns the number
 * of modes; *modes is g_free'd (NULL when none). gst_init() must have run. */
size_t cr_camera_modes_from_caps_string(const char *caps, struct cr_camera_mode **modes);

#endif
