/* The camera pipelines on GStreamer's test source (there is no camera here):
 * frames reach the slot at the camera's rate and size, MJPEG is decoded,
 * failures are reported on the context, and freeing is clean. The context
 * is driven from this thread; the slot's notification posts to it. */
#include <gst/gst.h>

#include "common/util.h"
#include "display/camera/camera_device.h"
#include "display/camera/camera_source.h"
#include "display/frame_slot.h"

#define WAIT_MS 10000

struct fixture {
    GMainContext *ctx;
    struct cr_frame_slot slot;
    struct cr_camera_source *src;

    /* test thread */
    int n_playing, n_error, n_eos;
    char *error;
    int taken;
    uint64_t last_seq;
    int64_t max_age_us;
    bool bad_capture_time;
    struct cr_frame *first; /* the first frame taken, kept */
    struct cr_frame last;   /* geometry of the last frame taken */
};

/* Streaming thread: ask the test thread to take the frame. */
static void on_new_frame(void *userdata);

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_new_frame};

static gboolean take_frame(gpointer data)
{
    struct fixture *fx = data;
    struct cr_frame *f = cr_frame_slot_take(&fx->slot);
    if (!f)
        return G_SOURCE_REMOVE;
    int64_t now = cr_monotonic_us();
    int64_t age = now - f->capture_us;
    /* Captured in the past, and recently (a live source, sync=false). */
    if (f->capture_us <= 0 || age < 0 || age > 1000000)
        fx->bad_capture_time = true;
    fx->max_age_us = CR_MAX(fx->max_age_us, age);
    g_assert_cmpuint(f->seq, >, fx->last_seq);
    fx->last_seq = f->seq;
    fx->last = *f;
    fx->taken++;
    if (!fx->first)
        fx->first = f;
    else
        cr_frame_unref(f);
    return G_SOURCE_REMOVE;
}

static void on_new_frame(void *userdata)
{
    /* An idle source, not g_main_context_invoke(): that would run take_frame
     * right here whenever the test thread does not hold the context. */
    struct fixture *fx = userdata;
    GSource *idle = g_idle_source_new();
    g_source_set_callback(idle, take_frame, fx, NULL);
    g_source_attach(idle, fx->ctx);
    g_source_unref(idle);
}

static void on_event(void *userdata, enum cr_camera_source_event event, const char *message)
{
    struct fixture *fx = userdata;
    switch (event) {
    case CR_SOURCE_PLAYING:
        fx->n_playing++;
        break;
    case CR_SOURCE_ERROR:
        fx->n_error++;
        g_free(fx->error);
        fx->error = g_strdup(message);
        break;
    case CR_SOURCE_EOS:
        fx->n_eos++;
        break;
    }
}

static const struct cr_camera_source_callbacks source_cbs = {.on_event = on_event};

static gboolean set_flag(gpointer data)
{
    *(bool *)data = true;
    return G_SOURCE_REMOVE;
}

/* Iterates ctx until *count > 0 or ms have passed (count NULL: for ms). */
static void run(struct fixture *fx, const int *count, int ms)
{
    bool timed_out = false;
    GSource *t = g_timeout_source_new(ms);
    g_source_set_callback(t, set_flag, &timed_out, NULL);
    g_source_attach(t, fx->ctx);
    while (!timed_out && !(count && *count > 0))
        g_main_context_iteration(fx->ctx, TRUE);
    g_source_destroy(t);
    g_source_unref(t);
}

static void fixture_init(struct fixture *fx)
{
    memset(fx, 0, sizeof(*fx));
    fx->ctx = g_main_context_new();
    cr_frame_slot_init(&fx->slot, &slot_cbs, fx);
}

static void fixture_destroy(struct fixture *fx)
{
    cr_camera_source_free(fx->src);
    fx->src = NULL;
    /* take_frame calls still queued. */
    while (g_main_context_iteration(fx->ctx, FALSE))
        ;
    cr_frame_unref(fx->first);
    cr_frame_slot_destroy(&fx->slot);
    g_free(fx->error);
    g_main_context_unref(fx->ctx);
}

static struct cr_camera_source *start_test(struct fixture *fx, const char *mode_text)
{
    struct cr_camera_device dev;
    struct cr_camera_mode mode;
    cr_camera_device_init_test(&dev);
    g_assert_true(cr_camera_mode_parse(mode_text, &mode));
    fx->last_seq = 0; /* each source counts from 1 */
    fx->src = cr_camera_source_new(fx->ctx, &dev, &mode, &fx->slot, &source_cbs, fx);
    cr_camera_device_clear(&dev);
    g_assert_nonnull(fx->src);
    g_assert_true(cr_camera_source_start(fx->src));
    return fx->src;
}

/* The picture is the SMPTE pattern: white on the left of the top bars,
 * blue on the right (luma within what JPEG keeps). */
static void assert_smpte(const struct cr_frame *f)
{
    g_assert_cmpint(f->format, ==, CR_PIXEL_I420);
    const uint8_t *row = f->planes[0] + (size_t)10 * f->strides[0];
    g_assert_cmpint(row[10], >=, 170);
    g_assert_cmpint(row[f->width - 10], <=, 60);
}

static void test_raw_i420(void)
{
    struct fixture fx;
    fixture_init(&fx);
    start_test(&fx, "1920x1080@30/raw-I420");

    run(&fx, &fx.n_playing, WAIT_MS);
    g_assert_cmpint(fx.n_playing, ==, 1);
    g_assert_cmpint(fx.n_error, ==, 0);

    uint64_t pushed0, pushed1;
    cr_frame_slot_stats(&fx.slot, &pushed0, NULL);
    int64_t t0 = cr_monotonic_us();
    run(&fx, NULL, 2000);
    cr_frame_slot_stats(&fx.slot, &pushed1, NULL);
    double fps = (double)(pushed1 - pushed0) * 1e6 / (double)(cr_monotonic_us() - t0);
    g_test_message("raw I420 1080p: %.1f fps, %d frames taken, max age %.1f ms", fps, fx.taken,
                   fx.max_age_us / 1000.0);
    g_assert_cmpfloat(fps, >=, 20.0);
    g_assert_cmpfloat(fps, <=, 40.0);
    g_assert_cmpint(fx.taken, >=, 20);
    g_assert_false(fx.bad_capture_time);
    g_assert_cmpuint(cr_camera_source_frames(fx.src), >=, pushed1);

    g_assert_cmpint(fx.last.format, ==, CR_PIXEL_I420);
    g_assert_cmpint(fx.last.width, ==, 1920);
    g_assert_cmpint(fx.last.height, ==, 1080);
    g_assert_cmpint(fx.last.n_planes, ==, 3);
    g_assert_cmpint(fx.last.strides[0], >=, 1920);
    g_assert_cmpint(fx.last.strides[1], >=, 960);
    g_assert_nonnull(fx.first);
    assert_smpte(fx.first);
    fixture_destroy(&fx);
}

static void test_mjpeg_decodes(void)
{
    struct fixture fx;
    fixture_init(&fx);
    start_test(&fx, "1920x1080@30/mjpeg");
    run(&fx, &fx.n_playing, WAIT_MS);
    g_assert_cmpint(fx.n_playing, ==, 1);
    run(&fx, NULL, 1000);
    g_assert_cmpint(fx.n_error, ==, 0);
    g_assert_cmpint(fx.taken, >=, 5);
    g_assert_false(fx.bad_capture_time);
    g_test_message("MJPEG 1080p: %d frames taken in 1 s, max age %.1f ms", fx.taken,
                   fx.max_age_us / 1000.0);

    g_assert_nonnull(fx.first);
    g_assert_cmpint(fx.first->format, ==, CR_PIXEL_I420);
    g_assert_cmpint(fx.first->width, ==, 1920);
    g_assert_cmpint(fx.first->height, ==, 1080);
    /* Decoded pixels, not a blank buffer. */
    assert_smpte(fx.first);
    fixture_destroy(&fx);
}

static void test_720p(void)
{
    struct fixture fx;
    fixture_init(&fx);
    start_test(&fx, "1280x720@30/raw-I420");
    run(&fx, &fx.n_playing, WAIT_MS);
    run(&fx, &fx.taken, WAIT_MS);
    g_assert_cmpint(fx.first->width, ==, 1280);
    g_assert_cmpint(fx.first->height, ==, 720);
    fixture_destroy(&fx);
}

static void test_missing_device(void)
{
    struct fixture fx;
    fixture_init(&fx);
    struct cr_camera_mode mode;
    g_assert_true(cr_camera_mode_parse("1920x1080@30/mjpeg", &mode));
    const struct cr_camera_device dev = {
        .id = "usb-missing",
        .name = "Missing Camera",
        .path = "/dev/video-craie-does-not-exist",
        .modes = &mode,
        .n_modes = 1,
    };
    fx.src = cr_camera_source_new(fx.ctx, &dev, &mode, &fx.slot, &source_cbs, &fx);
    g_assert_nonnull(fx.src);
    /* Refused at once, and told on the context. */
    g_assert_false(cr_camera_source_start(fx.src));
    g_assert_cmpint(fx.n_error, ==, 0);
    run(&fx, &fx.n_error, WAIT_MS);
    g_assert_cmpint(fx.n_error, ==, 1);
    g_assert_nonnull(fx.error);
    g_test_message("error: %s", fx.error);
    g_assert_true(strstr(fx.error, "/dev/video-craie-does-not-exist") != NULL);
    /* Once only, and nothing else. */
    run(&fx, NULL, 300);
    g_assert_cmpint(fx.n_error, ==, 1);
    g_assert_cmpint(fx.n_playing, ==, 0);
    g_assert_cmpint(fx.taken, ==, 0);
    fixture_destroy(&fx);
}

static void test_free_while_streaming(void)
{
    struct fixture fx;
    fixture_init(&fx);
    start_test(&fx, "1920x1080@30/mjpeg");
    run(&fx, &fx.n_playing, WAIT_MS);
    run(&fx, NULL, 300);
    g_assert_cmpint(fx.taken, >, 0);

    /* A frame still held (the UI's texture source) outlives the pipeline. */
    struct cr_frame *held = fx.first;
    fx.first = NULL;
    cr_camera_source_free(fx.src);
    fx.src = NULL;
    uint64_t pushed, pushed_after;
    cr_frame_slot_stats(&fx.slot, &pushed, NULL);
    int events = fx.n_playing + fx.n_error + fx.n_eos;
    run(&fx, NULL, 300);
    cr_frame_slot_stats(&fx.slot, &pushed_after, NULL);
    g_assert_cmpuint(pushed_after, ==, pushed);
    g_assert_cmpint(fx.n_playing + fx.n_error + fx.n_eos, ==, events);
    assert_smpte(held);
    cr_frame_unref(held);

    /* Freed before the first frame, repeatedly: no event comes afterwards. */
    for (int i = 0; i < 5; i++) {
        fx.n_playing = 0;
        start_test(&fx, i % 2 ? "1920x1080@30/mjpeg" : "1280x720@30/raw-I420");
        if (i >= 3)
            run(&fx, NULL, 20 * i);
        cr_camera_source_free(fx.src);
        fx.src = NULL;
        int playing = fx.n_playing;
        run(&fx, NULL, 100);
        g_assert_cmpint(fx.n_playing, ==, playing);
    }
    g_assert_cmpint(fx.n_error, ==, 0);
    fixture_destroy(&fx);
}

int main(int argc, char **argv)
{
    gst_init(&argc, &argv);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/camera_pipeline/raw_i420", test_raw_i420);
    g_test_add_func("/camera_pipeline/mjpeg_decodes", test_mjpeg_decodes);
    g_test_add_func("/camera_pipeline/720p", test_720p);
    g_test_add_func("/camera_pipeline/missing_device", test_missing_device);
    g_test_add_func("/camera_pipeline/free_while_streaming", test_free_while_streaming);
    return g_test_run();
}
