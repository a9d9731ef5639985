/* Camera modes: the text form technicians write in craie.conf, and the
 * choice of the mode a camera is run in. */
#include <glib.h>

#include "display/camera/camera.h"
#include "display/camera/camera_mode.h"

#define MJPG(w, h, n, d)                                                                           \
    {                                                                                              \
        CR_CODEC_MJPEG, CR_PIXEL_UNKNOWN, (w), (h), (n), (d)                                       \
    }
#define YUYV(w, h, n, d)                                                                           \
    {                                                                                              \
        CR_CODEC_RAW, CR_PIXEL_YUY2, (w), (h), (n), (d)                                            \
    }
#define NV12(w, h, n, d)                                                                           \
    {                                                                                              \
        CR_CODEC_RAW, CR_PIXEL_NV12, (w), (h), (n), (d)                                            \
    }

/* A Logitech C920 as `v4l2-ctl --list-formats-ext` shows it: raw 1080p only
 * at 5 fps over USB 2, MJPEG 1080p at 30. */
static const struct cr_camera_mode c920[] = {
    YUYV(640, 480, 30, 1),   YUYV(640, 480, 15, 2),   YUYV(160, 90, 30, 1),
    YUYV(320, 240, 30, 1),   YUYV(800, 600, 24, 1),   YUYV(960, 720, 15, 1),
    YUYV(1280, 720, 10, 1),  YUYV(1600, 896, 15, 2),  YUYV(1920, 1080, 5, 1),
    YUYV(2304, 1296, 2, 1),  YUYV(2304, 1536, 2, 1),  MJPG(640, 480, 30, 1),
    MJPG(160, 90, 30, 1),    MJPG(800, 600, 30, 1),   MJPG(1280, 720, 30, 1),
    MJPG(1600, 896, 30, 1),  MJPG(1920, 1080, 15, 1), MJPG(1920, 1080, 30, 1),
    MJPG(1920, 1080, 24, 1), MJPG(1920, 1080, 5, 1),
};

/* A 4K document camera (IPEVO VZ-X class): MJPEG 4K at 30, raw 4K at 5. */
static const struct cr_camera_mode doc4k[] = {
    YUYV(640, 480, 30, 1),   YUYV(1920, 1080, 5, 1),  YUYV(3840, 2160, 5, 1),
    MJPG(640, 480, 30, 1),   MJPG(1280, 720, 30, 1),  MJPG(1920, 1080, 30, 1),
    MJPG(3264, 2448, 15, 1), MJPG(3840, 2160, 30, 1), MJPG(3840, 2160, 15, 1),
};

/* A cheaper 4K camera: 4K only at 15 fps. */
static const struct cr_camera_mode slow4k[] = {
    MJPG(3840, 2160, 15, 1),
    MJPG(1920, 1080, 30, 1),
    MJPG(1280, 720, 30, 1),
    YUYV(3840, 2160, 2, 1),
};

static void assert_pick(const struct cr_camera_mode *modes, size_t n, bool allow_4k,
                        const char *wanted_text, const char *expected)
{
    struct cr_camera_mode wanted, out;
    struct cr_camera_pick_options opts = {.allow_4k = allow_4k};
    if (wanted_text) {
        g_assert_true(cr_camera_mode_parse(wanted_text, &wanted));
        opts.wanted = &wanted;
    }
    g_assert_true(cr_camera_pick_mode(modes, n, &opts, &out));
    g_autofree char *got = cr_camera_mode_to_string(&out);
    g_assert_cmpstr(got, ==, expected);
}

static void test_pick_c920(void)
{
    /* Raw 1080p at 5 fps must lose to MJPEG 1080p at 30. */
    assert_pick(c920, G_N_ELEMENTS(c920), false, NULL, "1920x1080@30/mjpeg");
    assert_pick(c920, G_N_ELEMENTS(c920), true, NULL, "1920x1080@30/mjpeg");
    /* The list order does not matter. */
    struct cr_camera_mode reversed[G_N_ELEMENTS(c920)];
    for (size_t i = 0; i < G_N_ELEMENTS(c920); i++)
        reversed[i] = c920[G_N_ELEMENTS(c920) - 1 - i];
    assert_pick(reversed, G_N_ELEMENTS(reversed), false, NULL, "1920x1080@30/mjpeg");
}

static void test_pick_4k(void)
{
    assert_pick(doc4k, G_N_ELEMENTS(doc4k), true, NULL, "3840x2160@30/mjpeg");
    /* Without allow_4k the doc cam runs in 1080p (what 1080p projectors show). */
    assert_pick(doc4k, G_N_ELEMENTS(doc4k), false, NULL, "1920x1080@30/mjpeg");
    /* 4K at 15 fps is too jerky for a hand moving paper: 1080p30 instead. */
    assert_pick(slow4k, G_N_ELEMENTS(slow4k), true, NULL, "1920x1080@30/mjpeg");
    /* 4K at 25 fps is smooth enough; MJPEG before raw. */
    const struct cr_camera_mode pal4k[] = {YUYV(3840, 2160, 25, 1), MJPG(3840, 2160, 25, 1),
                                           MJPG(1920, 1080, 30, 1)};
    assert_pick(pal4k, G_N_ELEMENTS(pal4k), true, NULL, "3840x2160@25/mjpeg");
    /* Several smooth 4K rates: 30 (60 would double the decoding for nothing). */
    const struct cr_camera_mode rates4k[] = {MJPG(3840, 2160, 25, 1), MJPG(3840, 2160, 60, 1),
                                             MJPG(3840, 2160, 30, 1)};
    assert_pick(rates4k, G_N_ELEMENTS(rates4k), true, NULL, "3840x2160@30/mjpeg");
    /* A camera that only does 4K still runs, 4K or not. */
    const struct cr_camera_mode only4k[] = {MJPG(3840, 2160, 30, 1), MJPG(3840, 2160, 15, 1)};
    assert_pick(only4k, G_N_ELEMENTS(only4k), false, NULL, "3840x2160@30/mjpeg");
}

static void test_pick_only_raw(void)
{
    /* An old webcam: raw only; the largest smooth mode wins over sharp but jerky. */
    const struct cr_camera_mode old[] = {YUYV(1920, 1080, 5, 1), YUYV(1280, 720, 10, 1),
                                         YUYV(640, 480, 30, 1), YUYV(320, 240, 30, 1)};
    assert_pick(old, G_N_ELEMENTS(old), false, NULL, "640x480@30/raw-YUY2");
    /* At equal size raw beats MJPEG (no decoding), NV12 beats YUY2 (half the bytes). */
    const struct cr_camera_mode hd[] = {MJPG(1280, 720, 30, 1), YUYV(1280, 720, 30, 1),
                                        NV12(1280, 720, 30, 1)};
    assert_pick(hd, G_N_ELEMENTS(hd), false, NULL, "1280x720@30/raw-NV12");
    /* The largest smooth mode, MJPEG when it is larger. */
    const struct cr_camera_mode qhd[] = {YUYV(1280, 720, 30, 1), MJPG(2560, 1440, 30, 1),
                                         MJPG(1280, 720, 60, 1)};
    assert_pick(qhd, G_N_ELEMENTS(qhd), false, NULL, "2560x1440@30/mjpeg");
    /* Among equal sizes, the lower rate: 60 fps would double the CPU for nothing. */
    const struct cr_camera_mode fast[] = {MJPG(1280, 720, 60, 1), MJPG(1280, 720, 30, 1)};
    assert_pick(fast, G_N_ELEMENTS(fast), false, NULL, "1280x720@30/mjpeg");
}

static void test_pick_slow(void)
{
    /* Nothing at 25 fps or more: the fastest, then the largest. */
    const struct cr_camera_mode slow[] = {MJPG(1920, 1080, 15, 1), YUYV(640, 480, 20, 1),
                                          YUYV(1280, 720, 20, 1), YUYV(1920, 1080, 5, 1)};
    assert_pick(slow, G_N_ELEMENTS(slow), false, NULL, "1280x720@20/raw-YUY2");
    const struct cr_camera_mode one[] = {YUYV(1600, 1200, 10, 1)};
    assert_pick(one, 1, false, NULL, "1600x1200@10/raw-YUY2");
}

static void test_pick_ntsc_rate(void)
{
    /* 30000/1001 counts as 30 for rule 3. */
    const struct cr_camera_mode ntsc[] = {MJPG(2560, 1440, 30000, 1001),
                                          MJPG(1920, 1080, 30000, 1001), YUYV(1920, 1080, 5, 1)};
    assert_pick(ntsc, G_N_ELEMENTS(ntsc), false, NULL, "1920x1080@30000/1001/mjpeg");
}

static void test_pick_wanted(void)
{
    assert_pick(c920, G_N_ELEMENTS(c920), false, "1280x720@30", "1280x720@30/mjpeg");
    /* "/raw" matches the raw format the camera offers. */
    assert_pick(c920, G_N_ELEMENTS(c920), false, "640x480@30/raw", "640x480@30/raw-YUY2");
    /* A wanted mode beats the 4K rule. */
    assert_pick(doc4k, G_N_ELEMENTS(doc4k), true, "1280x720@30/mjpeg", "1280x720@30/mjpeg");
    /* Not offered (rate, codec, format or size): the automatic choice. */
    assert_pick(c920, G_N_ELEMENTS(c920), false, "1280x720@60", "1920x1080@30/mjpeg");
    assert_pick(c920, G_N_ELEMENTS(c920), false, "1920x1080@30/raw", "1920x1080@30/mjpeg");
    assert_pick(c920, G_N_ELEMENTS(c920), false, "640x480@30/raw-NV12", "1920x1080@30/mjpeg");
    assert_pick(doc4k, G_N_ELEMENTS(doc4k), true, "4096x2160@30", "3840x2160@30/mjpeg");
    /* A rate written as a fraction matches the same rate. */
    assert_pick(c920, G_N_ELEMENTS(c920), false, "640x480@15/2/raw", "640x480@15/2/raw-YUY2");
}

static void test_pick_empty(void)
{
    struct cr_camera_mode out;
    struct cr_camera_pick_options opts = {0};
    g_assert_false(cr_camera_pick_mode(NULL, 0, &opts, &out));
}

static void assert_round_trip(const char *text, const char *canonical)
{
    struct cr_camera_mode m, again;
    g_assert_true(cr_camera_mode_parse(text, &m));
    g_autofree char *s = cr_camera_mode_to_string(&m);
    g_assert_cmpstr(s, ==, canonical);
    g_assert_true(cr_camera_mode_parse(s, &again));
    g_assert_true(cr_camera_mode_equal(&m, &again));
}

static void test_parse(void)
{
    struct cr_camera_mode m;
    g_assert_true(cr_camera_mode_parse("1920x1080@30", &m));
    g_assert_cmpint(m.codec, ==, CR_CODEC_MJPEG);
    g_assert_cmpint(m.width, ==, 1920);
    g_assert_cmpint(m.height, ==, 1080);
    g_assert_cmpint(m.fps_num, ==, 30);
    g_assert_cmpint(m.fps_den, ==, 1);

    g_assert_true(cr_camera_mode_parse("1920x1080@30000/1001", &m));
    g_assert_cmpint(m.fps_num, ==, 30000);
    g_assert_cmpint(m.fps_den, ==, 1001);
    g_assert_cmpfloat_with_epsilon(cr_camera_mode_fps(&m), 29.97, 0.01);

    g_assert_true(cr_camera_mode_parse("1280x720@30/raw", &m));
    g_assert_cmpint(m.codec, ==, CR_CODEC_RAW);
    g_assert_cmpint(m.raw_format, ==, CR_PIXEL_UNKNOWN);

    g_assert_true(cr_camera_mode_parse("640x480@30/RAW-yuy2", &m));
    g_assert_cmpint(m.raw_format, ==, CR_PIXEL_YUY2);

    assert_round_trip("1920x1080@30", "1920x1080@30/mjpeg");
    assert_round_trip("3840x2160@25/mjpeg", "3840x2160@25/mjpeg");
    assert_round_trip("1280x720@30/raw", "1280x720@30/raw");
    assert_round_trip("640x480@30/raw-YUY2", "640x480@30/raw-YUY2");
    assert_round_trip("1920x1080@30000/1001", "1920x1080@30000/1001/mjpeg");
    assert_round_trip("1920x1080@60/raw-NV12", "1920x1080@60/raw-NV12");
    assert_round_trip("1920x1080@30/raw-I420", "1920x1080@30/raw-I420");
}

static void test_parse_bad(void)
{
    static const char *const bad[] = {
        "",
        "auto",
        "1920x1080",
        "1920x1080@",
        "1920x@30",
        "x1080@30",
        "1920*1080@30",
        "1920x1080@30fps",
        "1920x1080@30/",
        "1920x1080@30/h264",
        "1920x1080@30/raw-RGB",
        "1920x1080@30/raw-",
        "1920x1080@0",
        "1920x1080@30/0",
        "0x1080@30",
        "-1920x1080@30",
        " 1920x1080@30",
        "1920 x1080@30",
        "1920x1080@30/1001/",
        "99999999999x1080@30",
    };
    struct cr_camera_mode m = MJPG(1, 2, 3, 4);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        if (cr_camera_mode_parse(bad[i], &m))
            g_error("'%s' was accepted", bad[i]);
    }
    g_assert_false(cr_camera_mode_parse(NULL, &m));
    /* A failed parse leaves the output alone. */
    g_assert_cmpint(m.width, ==, 1);
    g_assert_cmpint(m.fps_den, ==, 4);
}

static void test_equal(void)
{
    struct cr_camera_mode a = MJPG(1920, 1080, 30, 1), b = MJPG(1920, 1080, 60, 2);
    g_assert_true(cr_camera_mode_equal(&a, &b));
    struct cr_camera_mode c = YUYV(1920, 1080, 30, 1), d = NV12(1920, 1080, 30, 1);
    g_assert_false(cr_camera_mode_equal(&a, &c));
    g_assert_false(cr_camera_mode_equal(&c, &d));
    struct cr_camera_mode e = MJPG(1920, 1080, 30000, 1001);
    g_assert_false(cr_camera_mode_equal(&a, &e));
}

static void test_state_names(void)
{
    g_assert_cmpstr(cr_camera_state_name(CR_CAMERA_LIVE), ==, "live");
    g_assert_cmpstr(cr_camera_state_name(CR_CAMERA_UNPLUGGED), ==, "unplugged");
    g_assert_cmpstr(cr_camera_state_name(CR_CAMERA_NO_DEVICE), ==, "no-device");
    g_assert_cmpstr(cr_camera_state_name(CR_CAMERA_CLOSED), ==, "closed");
    g_assert_cmpstr(cr_camera_state_name(CR_CAMERA_STARTING), ==, "starting");
    g_assert_cmpstr(cr_camera_state_name(CR_CAMERA_FAILED), ==, "failed");
}

static void test_test_device(void)
{
    struct cr_camera_device dev, copy;
    cr_camera_device_init_test(&dev);
    g_assert_cmpstr(dev.id, ==, "test");
    g_assert_cmpstr(dev.name, ==, "Mire de test");
    g_assert_null(dev.path);
    g_assert_true(dev.is_test);
    g_assert_cmpuint(dev.n_modes, ==, 3);
    g_autofree char *m0 = cr_camera_mode_to_string(&dev.modes[0]);
    g_autofree char *m1 = cr_camera_mode_to_string(&dev.modes[1]);
    g_autofree char *m2 = cr_camera_mode_to_string(&dev.modes[2]);
    g_assert_cmpstr(m0, ==, "1920x1080@30/raw-I420");
    g_assert_cmpstr(m1, ==, "1920x1080@30/mjpeg");
    g_assert_cmpstr(m2, ==, "1280x720@30/raw-I420");

    cr_camera_device_copy(&copy, &dev);
    cr_camera_device_clear(&dev);
    g_assert_null(dev.id);
    g_assert_cmpuint(dev.n_modes, ==, 0);
    g_assert_cmpstr(copy.name, ==, "Mire de test");
    g_assert_true(copy.modes != NULL && copy.modes != dev.modes);
    g_assert_cmpuint(copy.n_modes, ==, 3);
    /* Automatic choice on the test source: MJPEG 1080p30, as on a real
     * camera, so that the decode path runs. */
    struct cr_camera_mode out;
    struct cr_camera_pick_options opts = {0};
    g_assert_true(cr_camera_pick_mode(copy.modes, copy.n_modes, &opts, &out));
    g_autofree char *picked = cr_camera_mode_to_string(&out);
    g_assert_cmpstr(picked, ==, "1920x1080@30/mjpeg");
    cr_camera_device_clear(&copy);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/camera_mode/pick/c920", test_pick_c920);
    g_test_add_func("/camera_mode/pick/4k", test_pick_4k);
    g_test_add_func("/camera_mode/pick/only_raw", test_pick_only_raw);
    g_test_add_func("/camera_mode/pick/slow", test_pick_slow);
    g_test_add_func("/camera_mode/pick/ntsc_rate", test_pick_ntsc_rate);
    g_test_add_func("/camera_mode/pick/wanted", test_pick_wanted);
    g_test_add_func("/camera_mode/pick/empty", test_pick_empty);
    g_test_add_func("/camera_mode/parse", test_parse);
    g_test_add_func("/camera_mode/parse_bad", test_parse_bad);
    g_test_add_func("/camera_mode/equal", test_equal);
    g_test_add_func("/camera_mode/state_names", test_state_names);
    g_test_add_func("/camera_mode/test_device", test_test_device);
    return g_test_run();
}
