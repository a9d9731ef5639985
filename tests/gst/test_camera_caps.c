/* Device caps, as GStreamer's v4l2 device provider reports real cameras,
 * to the modes craie offers and picks. */
#include <gst/gst.h>

#include "display/camera/camera_device.h"
#include "display/camera/camera_mode.h"

/* A Logitech C920 on GStreamer 1.22 (gst_device_get_caps, one structure per
 * size, rates as lists), with its H.264 stream, which craie does not use. */
static const char c920_caps[] =
    "video/x-raw, format=(string)YUY2, width=(int)2304, height=(int)1536, "
    "pixel-aspect-ratio=(fraction)1/1, framerate=(fraction)2/1, "
    "colorimetry=(string){ 2:4:5:1 }, interlace-mode=(string)progressive; "
    "video/x-raw, format=(string)YUY2, width=(int)1920, height=(int)1080, "
    "pixel-aspect-ratio=(fraction)1/1, framerate=(fraction)5/1, "
    "colorimetry=(string){ 2:4:5:1 }, interlace-mode=(string)progressive; "
    "video/x-raw, format=(string)YUY2, width=(int)1280, height=(int)720, "
    "pixel-aspect-ratio=(fraction)1/1, framerate=(fraction){ 10/1, 15/2, 5/1 }, "
    "colorimetry=(string){ 2:4:5:1 }, interlace-mode=(string)progressive; "
    "video/x-raw, format=(string)YUY2, width=(int)640, height=(int)480, "
    "pixel-aspect-ratio=(fraction)1/1, "
    "framerate=(fraction){ 30/1, 24/1, 20/1, 15/1, 10/1, 15/2, 5/1 }, "
    "colorimetry=(string){ 2:4:5:1 }, interlace-mode=(string)progressive; "
    "image/jpeg, width=(int)1920, height=(int)1080, pixel-aspect-ratio=(fraction)1/1, "
    "framerate=(fraction){ 30/1, 24/1, 20/1, 15/1, 10/1, 15/2, 5/1 }; "
    "image/jpeg, width=(int)1280, height=(int)720, pixel-aspect-ratio=(fraction)1/1, "
    "framerate=(fraction){ 30/1, 24/1, 20/1, 15/1, 10/1, 15/2, 5/1 }; "
    "image/jpeg, width=(int)640, height=(int)480, pixel-aspect-ratio=(fraction)1/1, "
    "framerate=(fraction){ 30/1, 24/1, 20/1, 15/1, 10/1, 15/2, 5/1 }; "
    "video/x-h264, stream-format=(string)byte-stream, alignment=(string)au, "
    "width=(int)1920, height=(int)1080, pixel-aspect-ratio=(fraction)1/1, "
    "framerate=(fraction){ 30/1, 24/1, 20/1, 15/1, 10/1, 15/2, 5/1 }";

/* A 4K document camera: MJPEG 4K30, raw NV12 and YUY2, a DMABuf twin of
 * the raw caps and an RGB format the renderer would have to convert. */
static const char doc4k_caps[] =
    "image/jpeg, width=(int)3840, height=(int)2160, pixel-aspect-ratio=(fraction)1/1, "
    "framerate=(fraction){ 30/1, 25/1, 15/1 }; "
    "image/jpeg, width=(int)1920, height=(int)1080, pixel-aspect-ratio=(fraction)1/1, "
    "framerate=(fraction){ 60/1, 30/1 }; "
    "video/x-raw, format=(string)NV12, width=(int)1920, height=(int)1080, "
    "pixel-aspect-ratio=(fraction)1/1, framerate=(fraction)5/1; "
    "video/x-raw(memory:DMABuf), format=(string)NV12, width=(int)1280, height=(int)720, "
    "framerate=(fraction)30/1; "
    "video/x-raw, format=(string)YUY2, width=(int)640, height=(int)480, "
    "pixel-aspect-ratio=(fraction)1/1, framerate=(fraction)30/1; "
    "video/x-raw, format=(string)RGB, width=(int)640, height=(int)480, "
    "framerate=(fraction)30/1";

/* A capture device with stepwise sizes and continuous rates (what a
 * USB HDMI grabber or vivid reports): ranges and a format list. */
static const char stepwise_caps[] =
    "video/x-raw, format=(string){ YUY2, NV12, RGBx, I420 }, width=(int)[ 16, 1920, 2 ], "
    "height=(int)[ 16, 1080, 2 ], framerate=(fraction)[ 1/1, 60/1 ]; "
    "image/jpeg, width=(int)[ 16, 1920 ], height=(int)[ 16, 1080 ], "
    "framerate=(fraction)[ 0/1, 2147483647/1 ]; "
    "image/jpeg, width=(int)[ 16, 640 ], height=(int)[ 16, 480 ], "
    "framerate=(fraction)[ 60/1, 2147483647/1 ]";

static bool has_mode(const struct cr_camera_mode *modes, size_t n, const char *text)
{
    struct cr_camera_mode want;
    g_assert_true(cr_camera_mode_parse(text, &want));
    for (size_t i = 0; i < n; i++) {
        if (cr_camera_mode_equal(&modes[i], &want))
            return true;
    }
    return false;
}

static char *pick(const struct cr_camera_mode *modes, size_t n, bool allow_4k)
{
    struct cr_camera_pick_options opts = {.allow_4k = allow_4k};
    struct cr_camera_mode out;
    g_assert_true(cr_camera_pick_mode(modes, n, &opts, &out));
    return cr_camera_mode_to_string(&out);
}

static void test_c920(void)
{
    struct cr_camera_mode *modes = NULL;
    size_t n = cr_camera_modes_from_caps_string(c920_caps, &modes);
    /* Raw: 1 + 1 + 3 + 7 rates; MJPEG: 3 sizes x 7 rates; no H.264. */
    g_assert_cmpuint(n, ==, 12 + 21);
    g_assert_true(has_mode(modes, n, "2304x1536@2/raw-YUY2"));
    g_assert_true(has_mode(modes, n, "1920x1080@5/raw-YUY2"));
    g_assert_true(has_mode(modes, n, "1280x720@15/2/raw-YUY2"));
    g_assert_true(has_mode(modes, n, "640x480@30/raw-YUY2"));
    g_assert_true(has_mode(modes, n, "1920x1080@30/mjpeg"));
    g_assert_true(has_mode(modes, n, "640x480@15/2/mjpeg"));
    g_assert_false(has_mode(modes, n, "1920x1080@30/raw-YUY2"));
    for (size_t i = 0; i < n; i++) {
        g_assert_true(modes[i].codec == CR_CODEC_MJPEG || modes[i].raw_format == CR_PIXEL_YUY2);
        g_assert_cmpint(modes[i].fps_den, >, 0);
    }
    g_autofree char *picked = pick(modes, n, false);
    g_assert_cmpstr(picked, ==, "1920x1080@30/mjpeg");
    g_free(modes);
}

static void test_doc4k(void)
{
    struct cr_camera_mode *modes = NULL;
    size_t n = cr_camera_modes_from_caps_string(doc4k_caps, &modes);
    /* 3 + 2 MJPEG, NV12 1080p5, YUY2 480p30; not the DMABuf twin, not RGB. */
    g_assert_cmpuint(n, ==, 7);
    g_assert_true(has_mode(modes, n, "3840x2160@30/mjpeg"));
    g_assert_true(has_mode(modes, n, "1920x1080@5/raw-NV12"));
    g_assert_true(has_mode(modes, n, "640x480@30/raw-YUY2"));
    g_assert_false(has_mode(modes, n, "1280x720@30/raw-NV12"));
    g_autofree char *with_4k = pick(modes, n, true);
    g_autofree char *without = pick(modes, n, false);
    g_assert_cmpstr(with_4k, ==, "3840x2160@30/mjpeg");
    g_assert_cmpstr(without, ==, "1920x1080@30/mjpeg");
    g_free(modes);
}

static void test_stepwise(void)
{
    struct cr_camera_mode *modes = NULL;
    size_t n = cr_camera_modes_from_caps_string(stepwise_caps, &modes);
    /* Ranges give their largest size and rate; an open rate range runs at 30;
     * the last structure's range starts above 30 and is open: no usable rate. */
    g_assert_cmpuint(n, ==, 4);
    g_assert_true(has_mode(modes, n, "1920x1080@60/raw-YUY2"));
    g_assert_true(has_mode(modes, n, "1920x1080@60/raw-NV12"));
    g_assert_true(has_mode(modes, n, "1920x1080@60/raw-I420"));
    g_assert_true(has_mode(modes, n, "1920x1080@30/mjpeg"));
    g_autofree char *picked = pick(modes, n, false);
    g_assert_cmpstr(picked, ==, "1920x1080@30/mjpeg");
    g_free(modes);
}

static void test_lists_and_duplicates(void)
{
    struct cr_camera_mode *modes = NULL;
    /* Paired size lists; the same mode twice (two colorimetries); a
     * variable-rate (0/1) entry, which is no usable rate. */
    const char *caps = "image/jpeg, width=(int){ 1920, 1280 }, height=(int){ 1080, 720 }, "
                       "framerate=(fraction)30/1; "
                       "video/x-raw, format=(string)YUY2, width=(int)640, height=(int)480, "
                       "framerate=(fraction)30/1, colorimetry=(string)bt601; "
                       "video/x-raw, format=(string)YUY2, width=(int)640, height=(int)480, "
                       "framerate=(fraction)30/1, colorimetry=(string)bt709; "
                       "video/x-raw, format=(string)YUY2, width=(int)320, height=(int)240, "
                       "framerate=(fraction)0/1";
    size_t n = cr_camera_modes_from_caps_string(caps, &modes);
    g_assert_cmpuint(n, ==, 3);
    g_assert_true(has_mode(modes, n, "1920x1080@30/mjpeg"));
    g_assert_true(has_mode(modes, n, "1280x720@30/mjpeg"));
    g_assert_true(has_mode(modes, n, "640x480@30/raw-YUY2"));
    g_assert_false(has_mode(modes, n, "1920x720@30/mjpeg"));
    g_free(modes);
}

static void test_nothing_usable(void)
{
    struct cr_camera_mode *modes = (struct cr_camera_mode *)&modes;
    g_assert_cmpuint(cr_camera_modes_from_caps_string("EMPTY", &modes), ==, 0);
    g_assert_null(modes);
    modes = (struct cr_camera_mode *)&modes;
    g_assert_cmpuint(cr_camera_modes_from_caps_string("video/x-h264, width=(int)1920, "
                                                      "height=(int)1080, framerate=(fraction)30/1",
                                                      &modes),
                     ==, 0);
    g_assert_null(modes);

    /* Unreadable text is logged as a warning: not fatal here. */
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    g_assert_cmpuint(cr_camera_modes_from_caps_string("video/x-raw, width=(int)[", &modes), ==, 0);
    g_assert_null(modes);
    g_assert_cmpuint(cr_camera_modes_from_caps_string(NULL, &modes), ==, 0);
    g_assert_null(modes);
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
}

int main(int argc, char **argv)
{
    gst_init(&argc, &argv);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/camera_caps/c920", test_c920);
    g_test_add_func("/camera_caps/doc4k", test_doc4k);
    g_test_add_func("/camera_caps/stepwise", test_stepwise);
    g_test_add_func("/camera_caps/lists_and_duplicates", test_lists_and_duplicates);
    g_test_add_func("/camera_caps/nothing_usable", test_nothing_usable);
    return g_test_run();
}
