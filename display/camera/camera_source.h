/* One camera pipeline: a device in one mode, decoded to a frame slot.
 *   v4l2src ! image/jpeg,... ! jpegdec ! videoconvert ! appsink   (MJPEG)
 *   v4l2src ! video/x-raw,... ! videoconvert ! appsink            (raw)
 *   videotestsrc ! timeoverlay [! jpegenc ! jpegdec] ! appsink    (test)
 * appsink has max-buffers=1 drop=true sync=false; its caps accept only what
 * the renderer uploads without conversion (I420, NV12, YUY2), so videoconvert
 * is a passthrough except for 4:2:2 JPEG. A device with is_test set runs the
 * test pipeline whatever its path. The pipeline runs on the monotonic system
 * clock: a frame's capture_us is comparable with cr_monotonic_us(). */
#ifndef CR_CAMERA_SOURCE_H
#define CR_CAMERA_SOURCE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "display/camera/camera_device.h"
#include "display/frame_slot.h"

enum cr_camera_source_event {
    CR_SOURCE_PLAYING, /* first frame reached the slot */
    CR_SOURCE_ERROR,   /* the pipeline failed (unplugged, busy, not negotiated) */
    CR_SOURCE_EOS,
};

struct cr_camera_source_callbacks {
    /* io thread (bus watch on the given context). message: technical, English,
     * borrowed for the call (NULL for PLAYING). ERROR or EOS is reported once
     * per source. The callback may free the source. */
    void (*on_event)(void *userdata, enum cr_camera_source_event event, const char *message);
};

struct cr_camera_source;

/* dev and mode are copied. slot is borrowed: it must outlive the source.
 * Frames pushed keep their buffers alive after the source is freed.
 * Returns NULL (and logs) when an element is missing or the device has no
 * path. Call on ctx's thread, as every function below. */
struct cr_camera_source *cr_camera_source_new(GMainContext *ctx, const struct cr_camera_device *dev,
                                              const struct cr_camera_mode *mode,
                                              struct cr_frame_slot *slot,
                                              const struct cr_camera_source_callbacks *cbs,
                                              void *userdata);
/* Sets the pipeline playing. Returns false when it refused at once (no such
 * device, busy); either way, a failure is reported as CR_SOURCE_ERROR on ctx
 * (unless the source is freed first). */
bool cr_camera_source_start(struct cr_camera_source *src);
/* Stops (state NULL, synchronously) and frees: no callback of the source
 * (on_event, the slot's on_new_frame) runs after it returns. NULL is a no-op. */
void cr_camera_source_free(struct cr_camera_source *src);
/* Frames pushed to the slot so far. Any thread. */
uint64_t cr_camera_source_frames(struct cr_camera_source *src);

#endif
