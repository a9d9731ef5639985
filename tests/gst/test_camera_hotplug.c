/* The camera controller as a teacher meets it: a camera plugged in, pulled
 * out, plugged back; a camera that does not start; no camera at all. The
 * monitor is off: devices come through cr_camera_device_added/removed as
 * the monitor would report them. "Cameras" flagged is_test run the real
 * test pipeline, so frames really flow; a broken camera is a v4l2 device
 * whose node does not exist. The context is driven from this thread. */
#include <gst/gst.h>
#include <stdlib.h>

#include "common/util.h"
#include "display/camera/camera.h"

#define WAIT_MS 10000
#define RETRY_MS 200

struct fixture {
    GMainContext *ctx;
    struct cr_frame_slot slot;
    struct cr_camera cam;
    GArray *states; /* enum cr_camera_state, one per on_status */
    struct cr_camera_status last;
    char *last_name, *last_id, *last_detail;
    int64_t failed_at[8]; /* cr_monotonic_us() of the first FAILED statuses */
    int n_failed;
    int taken;
};

static gboolean take_frame(gpointer data)
{
    struct fixture *fx = data;
    struct cr_frame *f = cr_frame_slot_take(&fx->slot);
    if (f) {
        g_assert_cmpint(f->width, >, 0);
        fx->taken++;
        cr_frame_unref(f);
    }
    return G_SOURCE_REMOVE;
}

/* Streaming thread: the test thread takes the frame (an idle source:
 * g_main_context_invoke would run it here when the context is free). */
static void on_new_frame(void *userdata)
{
    struct fixture *fx = userdata;
    GSource *idle = g_idle_source_new();
    g_source_set_callback(idle, take_frame, fx, NULL);
    g_source_attach(idle, fx->ctx);
    g_source_unref(idle);
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_new_frame};

static void on_status(void *userdata, const struct cr_camera_status *status)
{
    struct fixture *fx = userdata;
    g_array_append_val(fx->states, status->state);
    fx->last = *status;
    g_free(fx->last_name);
    g_free(fx->last_id);
    g_free(fx->last_detail);
    fx->last_name = g_strdup(status->device_name);
    fx->last_id = g_strdup(status->device_id);
    fx->last_detail = g_strdup(status->detail);
    fx->last.device_name = fx->last.device_id = fx->last.detail = NULL;
    if (status->state == CR_CAMERA_FAILED && fx->n_failed < (int)G_N_ELEMENTS(fx->failed_at))
        fx->failed_at[fx->n_failed++] = cr_monotonic_us();
    g_test_message("status: %s %s (%s)", cr_camera_state_name(status->state),
                   status->device_name ? status->device_name : "-",
                   status->detail ? status->detail : "");
}

static const struct cr_camera_callbacks cam_cbs = {.on_status = on_status};

static void fixture_init(struct fixture *fx, const char *device)
{
    memset(fx, 0, sizeof(*fx));
    fx->ctx = g_main_context_new();
    fx->states = g_array_new(FALSE, FALSE, sizeof(enum cr_camera_state));
    cr_frame_slot_init(&fx->slot, &slot_cbs, fx);
    const struct cr_camera_options opts = {
        .device = device,
        .mode = "auto",
        .allow_4k = false,
        .monitor = false,
        .retry_ms = RETRY_MS,
    };
    cr_camera_init(&fx->cam, fx->ctx, &opts, &fx->slot, &cam_cbs, fx);
    cr_camera_start(&fx->cam);
    g_assert_null(fx->cam.monitor);
}

static void fixture_destroy(struct fixture *fx)
{
    cr_camera_destroy(&fx->cam);
    while (g_main_context_iteration(fx->ctx, FALSE))
        ;
    cr_frame_slot_destroy(&fx->slot);
    g_array_free(fx->states, TRUE);
    g_free(fx->last_name);
    g_free(fx->last_id);
    g_free(fx->last_detail);
    g_main_context_unref(fx->ctx);
}

static gboolean set_flag(gpointer data)
{
    *(bool *)data = true;
    return G_SOURCE_REMOVE;
}

static bool in_state(struct fixture *fx, enum cr_camera_state state)
{
    return fx->states->len > 0 &&
           g_array_index(fx->states, enum cr_camera_state, fx->states->len - 1) == state;
}

/* Iterates ctx until the camera reports state (or for ms when state < 0).
 * Returns whether it did. */
static bool run_until(struct fixture *fx, int state, int ms)
{
    bool timed_out = false;
    GSource *t = g_timeout_source_new(ms);
    g_source_set_callback(t, set_flag, &timed_out, NULL);
    g_source_attach(t, fx->ctx);
    while (!timed_out && !(state >= 0 && in_state(fx, state)))
        g_main_context_iteration(fx->ctx, TRUE);
    g_source_destroy(t);
    g_source_unref(t);
    return state >= 0 && in_state(fx, state);
}

/* Iterates until n more frames were taken. */
static void run_frames(struct fixture *fx, int n)
{
    int target = fx->taken + n;
    bool timed_out = false;
    GSource *t = g_timeout_source_new(WAIT_MS);
    g_source_set_callback(t, set_flag, &timed_out, NULL);
    g_source_attach(t, fx->ctx);
    while (!timed_out && fx->taken < target)
        g_main_context_iteration(fx->ctx, TRUE);
    g_source_destroy(t);
    g_source_unref(t);
    g_assert_cmpint(fx->taken, >=, target);
}

static uint64_t pushed(struct fixture *fx)
{
    uint64_t n;
    cr_frame_slot_stats(&fx->slot, &n, NULL);
    return n;
}

/* A USB camera as the monitor reports it, running the test pipeline. */
static void fake_camera(struct cr_camera_device *dev, const char *id, const char *name,
                        const char *path)
{
    cr_camera_device_init_test(dev);
    free(dev->id);
    free(dev->name);
    dev->id = cr_xstrdup(id);
    dev->name = cr_xstrdup(name);
    dev->path = cr_xstrdup(path);
}

static void test_no_device(void)
{
    struct fixture fx;
    fixture_init(&fx, "auto");
    g_assert_cmpint(fx.cam.state, ==, CR_CAMERA_CLOSED);
    cr_camera_open(&fx.cam);
    g_assert_true(in_state(&fx, CR_CAMERA_NO_DEVICE));
    g_assert_cmpuint(fx.last.n_devices, ==, 0);
    g_assert_null(fx.last_name);
    /* Nothing starts later by itself. */
    run_until(&fx, -1, 300);
    g_assert_true(in_state(&fx, CR_CAMERA_NO_DEVICE));
    g_assert_cmpint(fx.taken, ==, 0);
    cr_camera_close(&fx.cam);
    g_assert_true(in_state(&fx, CR_CAMERA_CLOSED));
    fixture_destroy(&fx);
}

static void test_unplug_replug(void)
{
    struct fixture fx;
    struct cr_camera_device cam;
    fixture_init(&fx, "auto");
    fake_camera(&cam, "046d_HD_USB_Camera@pci-0000:00:14.0-usb-0:2:1.0", "HD USB Camera",
                "/dev/video0");

    cr_camera_open(&fx.cam);
    g_assert_true(in_state(&fx, CR_CAMERA_NO_DEVICE));

    /* Plugged in while the camera screen waits: it starts by itself. */
    cr_camera_device_added(&fx.cam, &cam);
    g_assert_true(in_state(&fx, CR_CAMERA_STARTING));
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_cmpstr(fx.last_name, ==, "HD USB Camera");
    g_assert_cmpstr(fx.last_id, ==, cam.id);
    g_assert_cmpuint(fx.last.n_devices, ==, 1);
    g_assert_cmpint(fx.last.mode.width, ==, 1920);
    g_assert_cmpint(fx.last.mode.height, ==, 1080);
    run_frames(&fx, 10);

    /* Pulled out: UNPLUGGED at once, and no frame comes any more. */
    cr_camera_device_removed(&fx.cam, cam.id);
    g_assert_true(in_state(&fx, CR_CAMERA_UNPLUGGED));
    g_assert_cmpstr(fx.last_name, ==, "HD USB Camera");
    g_assert_cmpuint(fx.last.n_devices, ==, 0);
    g_assert_null(fx.cam.source);
    uint64_t before = pushed(&fx);
    run_until(&fx, -1, 500);
    g_assert_cmpuint(pushed(&fx), ==, before);
    g_assert_true(in_state(&fx, CR_CAMERA_UNPLUGGED));

    /* Plugged back: live again, without anyone touching the board. */
    cr_camera_device_added(&fx.cam, &cam);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    run_frames(&fx, 10);

    /* Leaving the camera screen stops the pipeline. */
    cr_camera_close(&fx.cam);
    g_assert_true(in_state(&fx, CR_CAMERA_CLOSED));
    g_assert_null(fx.cam.source);
    before = pushed(&fx);
    run_until(&fx, -1, 300);
    g_assert_cmpuint(pushed(&fx), ==, before);

    /* Devices keep being tracked while closed; opening again resumes. */
    cr_camera_device_removed(&fx.cam, cam.id);
    g_assert_true(in_state(&fx, CR_CAMERA_CLOSED));
    g_assert_cmpuint(fx.last.n_devices, ==, 0);
    cr_camera_device_added(&fx.cam, &cam);
    g_assert_true(in_state(&fx, CR_CAMERA_CLOSED));
    g_assert_cmpuint(fx.last.n_devices, ==, 1);
    cr_camera_open(&fx.cam);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    cr_camera_close(&fx.cam);

    cr_camera_device_clear(&cam);
    fixture_destroy(&fx);
}

static void test_start_failure_retried(void)
{
    struct fixture fx;
    fixture_init(&fx, "auto");
    struct cr_camera_mode mode;
    g_assert_true(cr_camera_mode_parse("1920x1080@30/mjpeg", &mode));
    const struct cr_camera_device broken = {
        .id = "usb-broken",
        .name = "Broken Camera",
        .path = "/dev/video-craie-does-not-exist",
        .modes = &mode,
        .n_modes = 1,
    };
    cr_camera_device_added(&fx.cam, &broken);
    cr_camera_open(&fx.cam);
    g_assert_true(in_state(&fx, CR_CAMERA_STARTING));
    g_assert_true(run_until(&fx, CR_CAMERA_FAILED, WAIT_MS));
    g_assert_nonnull(fx.last_detail);
    g_assert_cmpstr(fx.last_name, ==, "Broken Camera");
    /* Retried after retry_ms, and failing again. */
    g_assert_true(run_until(&fx, CR_CAMERA_STARTING, WAIT_MS));
    g_assert_true(run_until(&fx, CR_CAMERA_FAILED, WAIT_MS));
    g_assert_cmpint(fx.n_failed, >=, 2);
    g_assert_cmpint(fx.failed_at[1] - fx.failed_at[0], >=, RETRY_MS * 1000 * 9 / 10);

    /* Pulled out while failing: no more retries. */
    cr_camera_device_removed(&fx.cam, broken.id);
    g_assert_true(in_state(&fx, CR_CAMERA_UNPLUGGED));
    guint len = fx.states->len;
    run_until(&fx, -1, 3 * RETRY_MS);
    g_assert_cmpuint(fx.states->len, ==, len);

    /* A working camera plugged in instead is taken (device "auto"). */
    struct cr_camera_device good;
    fake_camera(&good, "usb-good", "Visualiseur", "/dev/video2");
    cr_camera_device_added(&fx.cam, &good);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_cmpstr(fx.last_name, ==, "Visualiseur");
    run_frames(&fx, 3);
    cr_camera_device_clear(&good);
    fixture_destroy(&fx);
}

static void test_test_source_and_next(void)
{
    struct fixture fx;
    struct cr_camera_device a, b;
    fixture_init(&fx, "auto");
    fake_camera(&a, "usb-a", "HD USB Camera", "/dev/video0");
    fake_camera(&b, "usb-b", "IPEVO V4K", "/dev/video2");

    /* No camera: the teacher can still show the test pattern. */
    cr_camera_open(&fx.cam);
    g_assert_true(in_state(&fx, CR_CAMERA_NO_DEVICE));
    cr_camera_use_test(&fx.cam, true);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_true(fx.last.is_test);
    g_assert_cmpstr(fx.last_name, ==, "Mire de test");
    run_frames(&fx, 3);

    /* A camera plugged in does not take over the chosen test source. */
    cr_camera_device_added(&fx.cam, &a);
    g_assert_true(in_state(&fx, CR_CAMERA_LIVE));
    g_assert_true(fx.last.is_test);
    g_assert_cmpuint(fx.last.n_devices, ==, 1);
    cr_camera_use_test(&fx.cam, false);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_cmpstr(fx.last_name, ==, "HD USB Camera");

    /* Next: the other camera, then the test source, then around. */
    cr_camera_device_added(&fx.cam, &b);
    g_assert_cmpstr(fx.last_name, ==, "HD USB Camera");
    cr_camera_next(&fx.cam);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_cmpstr(fx.last_name, ==, "IPEVO V4K");
    cr_camera_next(&fx.cam);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_true(fx.last.is_test);
    cr_camera_next(&fx.cam);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_cmpstr(fx.last_name, ==, "HD USB Camera");

    /* The chosen camera is kept over the configured one when it comes back. */
    cr_camera_next(&fx.cam);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_cmpstr(fx.last_name, ==, "IPEVO V4K");
    cr_camera_device_removed(&fx.cam, b.id);
    g_assert_true(in_state(&fx, CR_CAMERA_UNPLUGGED));
    cr_camera_device_added(&fx.cam, &b);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_cmpstr(fx.last_name, ==, "IPEVO V4K");

    cr_camera_close(&fx.cam);
    cr_camera_device_clear(&a);
    cr_camera_device_clear(&b);
    fixture_destroy(&fx);
}

static void test_configured_device(void)
{
    struct fixture fx;
    struct cr_camera_device webcam, doc;
    fixture_init(&fx, "ipevo");
    fake_camera(&webcam, "usb-webcam", "HD USB Camera", "/dev/video0");
    fake_camera(&doc, "usb-doc", "IPEVO V4K", "/dev/video2");

    cr_camera_open(&fx.cam);
    g_assert_true(in_state(&fx, CR_CAMERA_NO_DEVICE));
    /* Not the configured camera: still waiting. */
    cr_camera_device_added(&fx.cam, &webcam);
    g_assert_true(in_state(&fx, CR_CAMERA_NO_DEVICE));
    g_assert_cmpuint(fx.last.n_devices, ==, 1);
    g_assert_cmpstr(fx.last_detail, ==, "no camera matches 'ipevo'");
    /* The configured one (part of its name, any case). */
    cr_camera_device_added(&fx.cam, &doc);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_cmpstr(fx.last_name, ==, "IPEVO V4K");
    cr_camera_close(&fx.cam);
    fixture_destroy(&fx);

    /* By device node. */
    fixture_init(&fx, "/dev/video0");
    cr_camera_device_added(&fx.cam, &doc);
    cr_camera_device_added(&fx.cam, &webcam);
    cr_camera_open(&fx.cam);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_cmpstr(fx.last_name, ==, "HD USB Camera");
    cr_camera_close(&fx.cam);
    fixture_destroy(&fx);

    /* "test": the test source, cameras or not. */
    fixture_init(&fx, "test");
    cr_camera_device_added(&fx.cam, &webcam);
    cr_camera_open(&fx.cam);
    g_assert_true(run_until(&fx, CR_CAMERA_LIVE, WAIT_MS));
    g_assert_true(fx.last.is_test);
    cr_camera_close(&fx.cam);
    fixture_destroy(&fx);

    cr_camera_device_clear(&webcam);
    cr_camera_device_clear(&doc);
}

static void test_monitor_without_cameras(void)
{
    /* The real GstDeviceMonitor on a machine with no camera. */
    GstDeviceProviderFactory *v4l2 = gst_device_provider_factory_find("v4l2deviceprovider");
    if (!v4l2) {
        g_test_skip("no v4l2 device provider (gstreamer1.0-plugins-good)");
        return;
    }
    gst_object_unref(v4l2);
    struct fixture fx;
    memset(&fx, 0, sizeof(fx));
    fx.ctx = g_main_context_new();
    fx.states = g_array_new(FALSE, FALSE, sizeof(enum cr_camera_state));
    cr_frame_slot_init(&fx.slot, &slot_cbs, &fx);
    const struct cr_camera_options opts = {.device = "auto", .mode = "auto", .monitor = true};
    cr_camera_init(&fx.cam, fx.ctx, &opts, &fx.slot, &cam_cbs, &fx);
    cr_camera_start(&fx.cam);
    g_assert_nonnull(fx.cam.monitor);
    run_until(&fx, -1, 200);
    if (fx.cam.n_devices > 0) {
        g_test_message("%zu cameras present: not checking NO_DEVICE", fx.cam.n_devices);
    } else {
        cr_camera_open(&fx.cam);
        g_assert_true(in_state(&fx, CR_CAMERA_NO_DEVICE));
        g_assert_cmpint(fx.cam.retry_ms, ==, 2000);
    }
    cr_camera_close(&fx.cam);
    fixture_destroy(&fx);
}

int main(int argc, char **argv)
{
    gst_init(&argc, &argv);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/camera_hotplug/no_device", test_no_device);
    g_test_add_func("/camera_hotplug/unplug_replug", test_unplug_replug);
    g_test_add_func("/camera_hotplug/start_failure_retried", test_start_failure_retried);
    g_test_add_func("/camera_hotplug/test_source_and_next", test_test_source_and_next);
    g_test_add_func("/camera_hotplug/configured_device", test_configured_device);
    g_test_add_func("/camera_hotplug/monitor_without_cameras", test_monitor_without_cameras);
    return g_test_run();
}
