/* The document camera controller (see camera.h): which device, which mode,
 * and the states the camera screen shows. io thread only. */
#include "display/camera/camera.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "common/log.h"
#include "common/util.h"

#define CR_CAMERA_RETRY_MS_DEFAULT 2000

static const char *const state_names[] = {
    [CR_CAMERA_CLOSED] = "closed",       [CR_CAMERA_NO_DEVICE] = "no-device",
    [CR_CAMERA_STARTING] = "starting",   [CR_CAMERA_LIVE] = "live",
    [CR_CAMERA_UNPLUGGED] = "unplugged", [CR_CAMERA_FAILED] = "failed",
};

const char *cr_camera_state_name(enum cr_camera_state state)
{
    if ((size_t)state < CR_ARRAY_SIZE(state_names) && state_names[state])
        return state_names[state];
    return "unknown";
}

static void emit_status(struct cr_camera *cam)
{
    if (!cam->cbs || !cam->cbs->on_status)
        return;
    bool has_device =
        cam->active.id && cam->state != CR_CAMERA_CLOSED && cam->state != CR_CAMERA_NO_DEVICE;
    bool has_mode = cam->state == CR_CAMERA_STARTING || cam->state == CR_CAMERA_LIVE;
    struct cr_camera_status status = {
        .state = cam->state,
        .device_name = has_device ? cam->active.name : NULL,
        .device_id = has_device ? cam->active.id : NULL,
        .is_test = has_device && cam->active.is_test,
        .n_devices = cam->n_devices,
        .devices = cam->devices,
        .detail = cam->detail,
    };
    if (has_mode)
        status.mode = cam->active_mode;
    cam->cbs->on_status(cam->userdata, &status);
}

/* Changes the state and tells the owner: callers do this last. */
static void set_state(struct cr_camera *cam, enum cr_camera_state state, const char *detail)
{
    char *copy = g_strdup(detail);
    g_free(cam->detail);
    cam->detail = copy;
    cam->state = state;
    emit_status(cam);
}

static void cancel_retry(struct cr_camera *cam)
{
    if (!cam->retry_source)
        return;
    GSource *s = g_main_context_find_source_by_id(cam->ctx, cam->retry_source);
    if (s)
        g_source_destroy(s);
    cam->retry_source = 0;
}

static void stop_source(struct cr_camera *cam)
{
    cancel_retry(cam);
    cr_camera_source_free(cam->source);
    cam->source = NULL;
}

static ssize_t find_device(const struct cr_camera *cam, const char *id)
{
    for (size_t i = 0; id && i < cam->n_devices; i++) {
        if (!strcmp(cam->devices[i].id, id))
            return (ssize_t)i;
    }
    return -1;
}

static bool name_contains(const char *name, const char *part)
{
    g_autofree char *n = g_utf8_casefold(name ? name : "", -1);
    g_autofree char *p = g_utf8_casefold(part, -1);
    return strstr(n, p) != NULL;
}

/* The configured device: "auto" (or "test" once real cameras are chosen
 * again) is the first camera; "/dev/..." a path (symlinks such as
 * /dev/v4l/by-id/... resolved); anything else part of a name. */
static const struct cr_camera_device *match_wanted(const struct cr_camera *cam)
{
    const char *want = cam->want_device;
    if (cam->n_devices == 0)
        return NULL;
    if (!strcmp(want, "auto") || !strcmp(want, "test"))
        return &cam->devices[0];
    if (g_str_has_prefix(want, "/dev/")) {
        char *real = realpath(want, NULL);
        const struct cr_camera_device *found = NULL;
        for (size_t i = 0; i < cam->n_devices && !found; i++) {
            const char *path = cam->devices[i].path;
            if (path && (!strcmp(path, want) || (real && !strcmp(path, real))))
                found = &cam->devices[i];
        }
        free(real);
        return found;
    }
    for (size_t i = 0; i < cam->n_devices; i++) {
        if (name_contains(cam->devices[i].name, want))
            return &cam->devices[i];
    }
    return NULL;
}

/* The device to run: the one in use (or last used) when present, else the
 * configured one. NULL when none is present. */
static const struct cr_camera_device *choose_device(const struct cr_camera *cam)
{
    ssize_t i = find_device(cam, cam->active.id);
    if (i >= 0)
        return &cam->devices[i];
    return match_wanted(cam);
}

static void start_device(struct cr_camera *cam, const struct cr_camera_device *dev);

/* Nothing to show: no camera, or none that matches the configured one. */
static void report_no_device(struct cr_camera *cam)
{
    stop_source(cam);
    bool configured = strcmp(cam->want_device, "auto") && strcmp(cam->want_device, "test");
    g_autofree char *detail = configured && cam->n_devices > 0
                                  ? g_strdup_printf("no camera matches '%s'", cam->want_device)
                                  : g_strdup("no camera");
    if (cam->state != CR_CAMERA_NO_DEVICE || g_strcmp0(cam->detail, detail))
        cr_info("camera", "%s", detail);
    set_state(cam, CR_CAMERA_NO_DEVICE, detail);
}

static gboolean on_retry(gpointer data)
{
    struct cr_camera *cam = data;
    cam->retry_source = 0;
    if (!cam->open || cam->state != CR_CAMERA_FAILED)
        return G_SOURCE_REMOVE;
    if (cam->use_test) {
        start_device(cam, &cam->active);
        return G_SOURCE_REMOVE;
    }
    const struct cr_camera_device *dev = choose_device(cam);
    if (dev)
        start_device(cam, dev);
    else
        report_no_device(cam);
    return G_SOURCE_REMOVE;
}

/* The source is gone or could not be made: FAILED, and a new try later. */
static void fail(struct cr_camera *cam, const char *why)
{
    stop_source(cam);
    cr_info("camera", "%s failed: %s; retrying in %d ms", cam->active.name, why, cam->retry_ms);
    GSource *s = g_timeout_source_new(cam->retry_ms);
    g_source_set_callback(s, on_retry, cam, NULL);
    cam->retry_source = g_source_attach(s, cam->ctx);
    g_source_unref(s);
    set_state(cam, CR_CAMERA_FAILED, why);
}

static void on_source_event(void *userdata, enum cr_camera_source_event event, const char *message)
{
    struct cr_camera *cam = userdata;

    if (event == CR_SOURCE_PLAYING) {
        g_autofree char *mode = cr_camera_mode_to_string(&cam->active_mode);
        cr_info("camera", "%s live (%s)", cam->active.name, mode);
        set_state(cam, CR_CAMERA_LIVE, mode);
        return;
    }
    /* ERROR or EOS: the pipeline is of no more use (freeing it here, from
     * its own callback, is allowed). */
    g_autofree char *why = g_strdup(message ? message : "end of stream");
    cr_camera_source_free(cam->source);
    cam->source = NULL;
    if (!cam->use_test && find_device(cam, cam->active.id) < 0) {
        /* The monitor has not told yet, but the device is gone. */
        cr_info("camera", "%s unplugged", cam->active.name);
        set_state(cam, CR_CAMERA_UNPLUGGED, why);
        return;
    }
    fail(cam, why);
}

static const struct cr_camera_source_callbacks source_cbs = {
    .on_event = on_source_event,
};

/* Runs dev (copied: it may point into the device list, or be cam->active). */
static void start_device(struct cr_camera *cam, const struct cr_camera_device *dev)
{
    stop_source(cam);
    if (dev != &cam->active) {
        struct cr_camera_device copy;
        cr_camera_device_copy(&copy, dev);
        cr_camera_device_clear(&cam->active);
        cam->active = copy;
    }

    struct cr_camera_pick_options pick = {
        .allow_4k = cam->allow_4k,
        .wanted = cam->has_wanted_mode ? &cam->wanted_mode : NULL,
    };
    if (cam->active.is_test && !cam->has_wanted_mode && cam->active.n_modes > 0) {
        /* The test pattern's first mode is raw: nothing to decode. Its MJPEG
         * mode (the decode path) only runs when camera.mode asks for it. */
        cam->active_mode = cam->active.modes[0];
    } else if (!cr_camera_pick_mode(cam->active.modes, cam->active.n_modes, &pick,
                                    &cam->active_mode)) {
        fail(cam, "the camera offers no usable mode");
        return;
    }
    cam->source = cr_camera_source_new(cam->ctx, &cam->active, &cam->active_mode, cam->slot,
                                       &source_cbs, cam);
    if (!cam->source) {
        fail(cam, "the pipeline cannot be built");
        return;
    }
    g_autofree char *mode = cr_camera_mode_to_string(&cam->active_mode);
    cr_info("camera", "starting %s (%s)", cam->active.name, mode);
    /* A refusal is reported as CR_SOURCE_ERROR on ctx: STARTING until then. */
    cr_camera_source_start(cam->source);
    set_state(cam, CR_CAMERA_STARTING, mode);
}

/* Runs the test source or the device to run, or reports NO_DEVICE. */
static void start_preferred(struct cr_camera *cam)
{
    if (cam->use_test) {
        struct cr_camera_device test;
        cr_camera_device_init_test(&test);
        start_device(cam, &test);
        cr_camera_device_clear(&test);
        return;
    }
    const struct cr_camera_device *dev = choose_device(cam);
    if (dev)
        start_device(cam, dev);
    else
        report_no_device(cam);
}

void cr_camera_init(struct cr_camera *cam, GMainContext *ctx, const struct cr_camera_options *opts,
                    struct cr_frame_slot *slot, const struct cr_camera_callbacks *cbs,
                    void *userdata)
{
    memset(cam, 0, sizeof(*cam));
    cam->ctx = g_main_context_ref(ctx);
    cam->slot = slot;
    cam->cbs = cbs;
    cam->userdata = userdata;
    cam->state = CR_CAMERA_CLOSED;

    const char *device = opts && opts->device && *opts->device ? opts->device : "auto";
    cam->want_device = cr_xstrdup(device);
    cam->use_test = !strcmp(device, "test");
    cam->allow_4k = opts && opts->allow_4k;
    cam->watch = opts && opts->monitor;
    cam->retry_ms = opts && opts->retry_ms > 0 ? opts->retry_ms : CR_CAMERA_RETRY_MS_DEFAULT;

    const char *mode = opts ? opts->mode : NULL;
    if (mode && *mode && strcmp(mode, "auto")) {
        cam->has_wanted_mode = cr_camera_mode_parse(mode, &cam->wanted_mode);
        if (!cam->has_wanted_mode)
            cr_warn("camera", "ignoring the camera mode '%s' (expected e.g. 1920x1080@30)", mode);
    }
}

void cr_camera_start(struct cr_camera *cam)
{
    if (cam->watch && !cam->monitor)
        cam->monitor = cr_camera_monitor_new(cam);
}

void cr_camera_open(struct cr_camera *cam)
{
    /* Already showing, or waiting for its camera to come back. */
    if (cam->open && (cam->source || cam->state == CR_CAMERA_UNPLUGGED))
        return;
    cam->open = true;
    start_preferred(cam);
}

void cr_camera_use_test(struct cr_camera *cam, bool use_test)
{
    if (cam->open && cam->use_test == use_test && cam->source)
        return;
    cam->use_test = use_test;
    cam->open = true;
    cr_info("camera", "%s", use_test ? "test pattern chosen" : "real cameras chosen");
    start_preferred(cam);
}

void cr_camera_next(struct cr_camera *cam)
{
    /* Cameras in list order, then the test source, then around. */
    size_t n = cam->n_devices;
    size_t next = 0;
    if (cam->use_test) {
        next = 0;
    } else {
        ssize_t cur = find_device(cam, cam->active.id);
        next = cur >= 0 ? (size_t)cur + 1 : 0;
    }
    bool to_test = next >= n;
    if (cam->open && cam->source && to_test && cam->use_test)
        return; /* the test source is the only choice, and it runs */

    cam->open = true;
    cam->use_test = to_test;
    if (to_test) {
        start_preferred(cam);
        return;
    }
    cr_info("camera", "switching to %s", cam->devices[next].name);
    start_device(cam, &cam->devices[next]);
}

void cr_camera_close(struct cr_camera *cam)
{
    cam->open = false;
    stop_source(cam);
    if (cam->state == CR_CAMERA_CLOSED)
        return;
    cr_info("camera", "closed");
    set_state(cam, CR_CAMERA_CLOSED, NULL);
}

void cr_camera_device_added(struct cr_camera *cam, const struct cr_camera_device *dev)
{
    if (!dev->id)
        return;
    ssize_t i = find_device(cam, dev->id);
    if (i >= 0) {
        /* Reported twice (at start, by the monitor and its first listing). */
        cr_camera_device_clear(&cam->devices[i]);
        cr_camera_device_copy(&cam->devices[i], dev);
        return;
    }
    cam->devices = cr_xrealloc(cam->devices, (cam->n_devices + 1) * sizeof(*cam->devices));
    cr_camera_device_copy(&cam->devices[cam->n_devices++], dev);
    cr_info("camera", "%s plugged in (%s)", dev->name, dev->path ? dev->path : "no path");

    bool waiting = cam->state == CR_CAMERA_UNPLUGGED || cam->state == CR_CAMERA_NO_DEVICE;
    if (cam->open && waiting && !cam->use_test) {
        const struct cr_camera_device *chosen = choose_device(cam);
        if (chosen) {
            start_device(cam, chosen);
            return;
        }
        if (cam->state == CR_CAMERA_NO_DEVICE) {
            report_no_device(cam);
            return;
        }
    }
    emit_status(cam);
}

void cr_camera_device_removed(struct cr_camera *cam, const char *id)
{
    ssize_t i = find_device(cam, id);
    if (i < 0)
        return;
    cr_info("camera", "%s unplugged", cam->devices[i].name);
    cr_camera_device_clear(&cam->devices[i]);
    memmove(&cam->devices[i], &cam->devices[i + 1],
            (cam->n_devices - (size_t)i - 1) * sizeof(*cam->devices));
    cam->n_devices--;

    bool in_use = !cam->use_test && cam->active.id && !strcmp(cam->active.id, id);
    bool running = cam->state == CR_CAMERA_STARTING || cam->state == CR_CAMERA_LIVE ||
                   cam->state == CR_CAMERA_FAILED;
    if (cam->open && in_use && running) {
        stop_source(cam);
        set_state(cam, CR_CAMERA_UNPLUGGED, "the camera was unplugged");
        return;
    }
    if (cam->open && cam->state == CR_CAMERA_NO_DEVICE) {
        report_no_device(cam); /* its detail may change */
        return;
    }
    emit_status(cam);
}

void cr_camera_destroy(struct cr_camera *cam)
{
    cr_camera_monitor_free(cam->monitor);
    cam->monitor = NULL;
    stop_source(cam);
    for (size_t i = 0; i < cam->n_devices; i++)
        cr_camera_device_clear(&cam->devices[i]);
    free(cam->devices);
    cr_camera_device_clear(&cam->active);
    free(cam->want_device);
    g_free(cam->detail);
    g_main_context_unref(cam->ctx);
    memset(cam, 0, sizeof(*cam));
}
