/* The document camera controller: watches cameras (GstDeviceMonitor), picks
 * a device and a mode, runs the pipeline into a frame slot, and recovers by
 * itself (unplugged → waits → resumes when plugged back; a failed start is
 * retried). Lives on the io thread: every function below is called there. */
#ifndef CR_CAMERA_H
#define CR_CAMERA_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "display/camera/camera_device.h"
#include "display/camera/camera_source.h"
#include "display/frame_slot.h"

enum cr_camera_state {
    CR_CAMERA_CLOSED,    /* not streaming (camera screen not shown) */
    CR_CAMERA_NO_DEVICE, /* opened, but no camera exists (and no test source chosen) */
    CR_CAMERA_STARTING,
    CR_CAMERA_LIVE,
    CR_CAMERA_UNPLUGGED, /* the camera in use went away; waiting for it */
    CR_CAMERA_FAILED,    /* could not start; retrying */
};

const char *cr_camera_state_name(enum cr_camera_state state); /* "live", "unplugged", ... */

struct cr_camera_status {
    enum cr_camera_state state;
    const char *device_name; /* borrowed for the call; NULL if none */
    const char *device_id;
    bool is_test;
    struct cr_camera_mode mode;             /* valid in STARTING/LIVE */
    size_t n_devices;                       /* real cameras present */
    const struct cr_camera_device *devices; /* them, borrowed for the call */
    const char *detail; /* technical, English, for logs and get_state; may be NULL */
};

struct cr_camera_callbacks {
    /* io thread, after every change. */
    void (*on_status)(void *userdata, const struct cr_camera_status *status);
};

struct cr_camera_options {
    const char *device; /* "auto", "test", "/dev/videoN" or part of a name; copied */
    const char *mode;   /* "auto" or a mode string; copied */
    bool allow_4k;
    bool monitor; /* watch real devices (false in tests that simulate them) */
    int retry_ms; /* delay before retrying a failed start (default 2000) */
};

struct cr_camera_monitor; /* GstDeviceMonitor adapter, camera_monitor.c */

struct cr_camera {
    GMainContext *ctx;
    char *want_device;
    struct cr_camera_mode wanted_mode;
    bool has_wanted_mode;
    bool allow_4k;
    bool watch; /* opts->monitor */
    int retry_ms;
    struct cr_frame_slot *slot; /* borrowed */
    const struct cr_camera_callbacks *cbs;
    void *userdata;

    struct cr_camera_monitor *monitor;
    struct cr_camera_device *devices; /* real cameras present, owned */
    size_t n_devices;

    bool open;                      /* the UI wants frames */
    bool use_test;                  /* the test source was chosen */
    struct cr_camera_device active; /* the device in use (id NULL if none) */
    struct cr_camera_mode active_mode;
    struct cr_camera_source *source;
    enum cr_camera_state state;
    char *detail;
    guint retry_source;
};

/* opts is copied (NULL: defaults); ctx is ref'd; slot must outlive cam. */
void cr_camera_init(struct cr_camera *cam, GMainContext *ctx, const struct cr_camera_options *opts,
                    struct cr_frame_slot *slot, const struct cr_camera_callbacks *cbs,
                    void *userdata);
/* Starts watching devices (when opts->monitor). */
void cr_camera_start(struct cr_camera *cam);
/* Starts streaming the preferred device ("test" or no device + use_test: the
 * test source). Reports NO_DEVICE when there is nothing to show. */
void cr_camera_open(struct cr_camera *cam);
/* Chooses the test source (true) or real cameras again (false), and opens. */
void cr_camera_use_test(struct cr_camera *cam, bool use_test);
/* Switches to the next camera present, in the order they were plugged in,
 * then to the test source, then around; opens. */
void cr_camera_next(struct cr_camera *cam);
/* Stops streaming (the camera screen is left): saves CPU and the device. */
void cr_camera_close(struct cr_camera *cam);
/* The monitor's entry points, also called directly by tests. dev is copied;
 * a device is known by its id (added twice: updated). A device added while
 * the camera waits (UNPLUGGED, NO_DEVICE) is started when it is the one in
 * use before, or the configured one ("auto": any). */
void cr_camera_device_added(struct cr_camera *cam, const struct cr_camera_device *dev);
void cr_camera_device_removed(struct cr_camera *cam, const char *id);
void cr_camera_destroy(struct cr_camera *cam);

/* Monitor adapter (camera_monitor.c): reports GstDeviceMonitor's Video/Source
 * devices through cr_camera_device_added/removed on ctx, those present at
 * start included. Returns NULL (and logs) if no provider could start.
 * cr_camera_monitor_free(NULL) is a no-op. */
struct cr_camera_monitor *cr_camera_monitor_new(struct cr_camera *cam);
void cr_camera_monitor_free(struct cr_camera_monitor *mon);

#endif
