/* Frames: the pixels a saved snapshot is made of. A snapshot must keep its
 * own copy, and a saved PNG must have the colours and the orientation the
 * teacher saw on the projector. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "display/frame.h"

/* Warnings logged by the code under test, counted instead of aborting. */
static gint warnings;

static GLogWriterOutput count_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
                                     gpointer user_data)
{
    if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL)) {
        g_atomic_int_inc(&warnings);
        return G_LOG_WRITER_HANDLED;
    }
    return g_log_writer_default(level, fields, n, user_data);
}

static void test_alloc_layout(void)
{
    static const struct {
        enum cr_pixel_format format;
        int w, h;
        int n_planes;
        int strides[3];
        size_t sizes[3];
    } cases[] = {
        {CR_PIXEL_I420, 640, 480, 3, {640, 320, 320}, {640 * 480, 320 * 240, 320 * 240}},
        {CR_PIXEL_I420, 641, 481, 3, {641, 321, 321}, {641 * 481, 321 * 241, 321 * 241}},
        {CR_PIXEL_NV12, 1920, 1080, 2, {1920, 1920, 0}, {1920 * 1080, 1920 * 540, 0}},
        {CR_PIXEL_NV12, 33, 17, 2, {33, 34, 0}, {33 * 17, 34 * 9, 0}},
        {CR_PIXEL_YUY2, 1280, 720, 1, {2560, 0, 0}, {2560 * 720, 0, 0}},
        {CR_PIXEL_YUY2, 5, 3, 1, {12, 0, 0}, {12 * 3, 0, 0}},
        {CR_PIXEL_BGRA, 3, 2, 1, {12, 0, 0}, {12 * 2, 0, 0}},
        {CR_PIXEL_RGBA, 1920, 1080, 1, {7680, 0, 0}, {7680 * 1080, 0, 0}},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        struct cr_frame *f = cr_frame_new_alloc(cases[i].format, cases[i].w, cases[i].h);
        g_assert_nonnull(f);
        g_assert_cmpint(f->refcount, ==, 1);
        g_assert_cmpint(f->format, ==, cases[i].format);
        g_assert_cmpint(f->width, ==, cases[i].w);
        g_assert_cmpint(f->height, ==, cases[i].h);
        g_assert_cmpint(f->n_planes, ==, cases[i].n_planes);
        for (int p = 0; p < f->n_planes; p++) {
            g_assert_nonnull(f->planes[p]);
            g_assert_cmpint(f->strides[p], ==, cases[i].strides[p]);
            /* Planes follow each other without overlapping. */
            if (p > 0)
                g_assert_true(f->planes[p] == f->planes[p - 1] + cases[i].sizes[p - 1]);
            /* Every byte is writable (ASan checks the bounds in CI). */
            memset(f->planes[p], 0x5a, cases[i].sizes[p]);
        }
        cr_frame_unref(f);
    }
    g_assert_cmpstr(cr_pixel_format_name(CR_PIXEL_NV12), ==, "NV12");
    g_assert_cmpstr(cr_pixel_format_name(CR_PIXEL_YUY2), ==, "YUY2");
}

static void test_alloc_invalid(void)
{
    static const int sizes[][2] = {{0, 480},  {640, 0},     {-1, 480},
                                   {640, -8}, {16385, 100}, {100, 20000}};
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        int before = g_atomic_int_get(&warnings);
        g_assert_null(cr_frame_new_alloc(CR_PIXEL_I420, sizes[i][0], sizes[i][1]));
        /* The refusal is logged once, for the technician. */
        g_assert_cmpint(g_atomic_int_get(&warnings), ==, before + 1);
    }
    g_assert_null(cr_frame_new_alloc(CR_PIXEL_UNKNOWN, 640, 480));
    /* The largest allowed size is fine. */
    struct cr_frame *f = cr_frame_new_alloc(CR_PIXEL_I420, 16384, 16);
    g_assert_nonnull(f);
    cr_frame_unref(f);
}

static void fill_pattern(struct cr_frame *f, int h_chroma)
{
    for (int p = 0; p < f->n_planes; p++) {
        int rows = p == 0 ? f->height : h_chroma;
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < f->strides[p]; x++)
                f->planes[p][y * f->strides[p] + x] = (uint8_t)(p * 70 + y * 13 + x * 7);
    }
}

static void test_copy_is_deep(void)
{
    struct cr_frame *src = cr_frame_new_alloc(CR_PIXEL_I420, 64, 48);
    fill_pattern(src, 24);
    src->capture_us = 123456789;
    src->seq = 42;

    struct cr_frame *copy = cr_frame_copy(src);
    g_assert_nonnull(copy);
    g_assert_cmpint(copy->format, ==, CR_PIXEL_I420);
    g_assert_cmpint(copy->width, ==, 64);
    g_assert_cmpint(copy->height, ==, 48);
    g_assert_cmpint(copy->capture_us, ==, 123456789);
    g_assert_cmpuint(copy->seq, ==, 42);
    g_assert_cmpint(copy->refcount, ==, 1);
    for (int p = 0; p < 3; p++) {
        g_assert_true(copy->planes[p] != src->planes[p]);
        size_t size = (size_t)src->strides[p] * (p == 0 ? 48 : 24);
        g_assert_cmpmem(copy->planes[p], size, src->planes[p], size);
    }

    /* The camera reuses its buffer: the snapshot does not change. */
    uint8_t y0 = copy->planes[0][0];
    memset(src->planes[0], 0, 64 * 48);
    g_assert_cmpint(copy->planes[0][0], ==, y0);
    /* And it outlives the camera's frame. */
    cr_frame_unref(src);
    uint8_t *rgba = cr_frame_to_rgba(copy, false, false);
    g_assert_nonnull(rgba);
    free(rgba);
    cr_frame_unref(copy);
}

static gint wrapped_released;

static void note_release(void *opaque)
{
    g_atomic_int_inc(&wrapped_released);
    g_free(opaque);
}

static void test_copy_of_padded_buffer(void)
{
    /* GStreamer buffers often have rows padded past the width: the copy
     * keeps the picture and drops the padding. */
    enum { W = 6, H = 4, STRIDE = 32 };
    uint8_t *mem = g_malloc0(STRIDE * H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W * 4; x++)
            mem[y * STRIDE + x] = (uint8_t)(y * 40 + x);
    uint8_t *planes[1] = {mem};
    int strides[1] = {STRIDE};
    g_atomic_int_set(&wrapped_released, 0);
    struct cr_frame *src =
        cr_frame_new_wrapped(CR_PIXEL_RGBA, W, H, 1, planes, strides, note_release, mem);
    struct cr_frame *copy = cr_frame_copy(src);
    g_assert_nonnull(copy);
    g_assert_cmpint(copy->strides[0], ==, W * 4);
    for (int y = 0; y < H; y++)
        g_assert_cmpmem(copy->planes[0] + y * W * 4, W * 4, mem + y * STRIDE, W * 4);

    /* Refs keep the wrapped pixels alive; the last unref releases once. */
    cr_frame_ref(src);
    cr_frame_unref(src);
    g_assert_cmpint(wrapped_released, ==, 0);
    cr_frame_unref(src);
    g_assert_cmpint(wrapped_released, ==, 1);
    cr_frame_unref(copy);
    g_assert_cmpint(wrapped_released, ==, 1);
}

/* A w x h frame of one YUV colour in the given format. */
static struct cr_frame *solid_yuv(enum cr_pixel_format format, int w, int h, uint8_t y, uint8_t u,
                                  uint8_t v)
{
    struct cr_frame *f = cr_frame_new_alloc(format, w, h);
    int ch = (h + 1) / 2;
    switch (format) {
    case CR_PIXEL_I420:
        memset(f->planes[0], y, (size_t)f->strides[0] * h);
        memset(f->planes[1], u, (size_t)f->strides[1] * ch);
        memset(f->planes[2], v, (size_t)f->strides[2] * ch);
        break;
    case CR_PIXEL_NV12:
        memset(f->planes[0], y, (size_t)f->strides[0] * h);
        for (int i = 0; i < f->strides[1] * ch; i += 2) {
            f->planes[1][i] = u;
            f->planes[1][i + 1] = v;
        }
        break;
    case CR_PIXEL_YUY2:
        for (int i = 0; i < f->strides[0] * h; i += 4) {
            f->planes[0][i] = y;
            f->planes[0][i + 1] = u;
            f->planes[0][i + 2] = y;
            f->planes[0][i + 3] = v;
        }
        break;
    default:
        g_assert_not_reached();
    }
    return f;
}

static void assert_all_pixels(const uint8_t *rgba, int n, int r, int g, int b, int tolerance)
{
    for (int i = 0; i < n; i++) {
        const uint8_t *p = rgba + i * 4;
        if (ABS(p[0] - r) > tolerance || ABS(p[1] - g) > tolerance || ABS(p[2] - b) > tolerance ||
            p[3] != 255)
            g_error("pixel %d is %d,%d,%d,%d, expected %d,%d,%d,255 (±%d)", i, p[0], p[1], p[2],
                    p[3], r, g, b, tolerance);
    }
}

static void test_yuv_colours(void)
{
    /* BT.601 limited range, as UVC cameras send it. */
    static const struct {
        const char *name;
        uint8_t y, u, v;
        int r, g, b;
    } colours[] = {
        {"white", 235, 128, 128, 255, 255, 255}, {"black", 16, 128, 128, 0, 0, 0},
        {"grey", 126, 128, 128, 128, 128, 128},  {"red", 81, 90, 240, 255, 0, 0},
        {"green", 145, 54, 34, 0, 255, 0},       {"blue", 41, 240, 110, 0, 0, 255},
    };
    static const enum cr_pixel_format formats[] = {CR_PIXEL_I420, CR_PIXEL_NV12, CR_PIXEL_YUY2};
    for (size_t c = 0; c < G_N_ELEMENTS(colours); c++) {
        for (size_t k = 0; k < G_N_ELEMENTS(formats); k++) {
            g_test_message("%s in %s", colours[c].name, cr_pixel_format_name(formats[k]));
            struct cr_frame *f =
                solid_yuv(formats[k], 6, 4, colours[c].y, colours[c].u, colours[c].v);
            uint8_t *rgba = cr_frame_to_rgba(f, false, false);
            g_assert_nonnull(rgba);
            assert_all_pixels(rgba, 6 * 4, colours[c].r, colours[c].g, colours[c].b, 3);
            free(rgba);
            cr_frame_unref(f);
        }
    }
}

static void test_rgb_formats(void)
{
    /* BGRA (what GStreamer hands over most) comes out as R, G, B, opaque. */
    struct cr_frame *f = cr_frame_new_alloc(CR_PIXEL_BGRA, 2, 1);
    const uint8_t bgra[8] = {10, 20, 30, 0, 200, 100, 50, 7};
    memcpy(f->planes[0], bgra, 8);
    uint8_t *rgba = cr_frame_to_rgba(f, false, false);
    const uint8_t want[8] = {30, 20, 10, 255, 50, 100, 200, 255};
    g_assert_cmpmem(rgba, 8, want, 8);
    free(rgba);
    cr_frame_unref(f);

    f = cr_frame_new_alloc(CR_PIXEL_RGBA, 2, 1);
    memcpy(f->planes[0], bgra, 8);
    rgba = cr_frame_to_rgba(f, false, false);
    const uint8_t same[8] = {10, 20, 30, 255, 200, 100, 50, 255};
    g_assert_cmpmem(rgba, 8, same, 8);
    free(rgba);
    cr_frame_unref(f);
}

/* Where the single red pixel is in the converted picture. */
static void find_red(const uint8_t *rgba, int w, int h, int *rx, int *ry)
{
    int found = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const uint8_t *p = rgba + (y * w + x) * 4;
            if (p[0] > 200 && p[1] < 50 && p[2] < 50) {
                *rx = x;
                *ry = y;
                found++;
            }
        }
    }
    g_assert_cmpint(found, ==, 1);
}

static void test_orientation(void)
{
    /* A camera over the desk, facing the teacher: rotate and mirror must
     * move what is top-left of the sensor to the right place in the PNG. */
    enum { W = 5, H = 3 };
    struct cr_frame *f = cr_frame_new_alloc(CR_PIXEL_RGBA, W, H);
    memset(f->planes[0], 0, W * H * 4);
    uint8_t *mark = f->planes[0] + (0 * W + 1) * 4; /* (1, 0) */
    mark[0] = 255;

    static const struct {
        bool rotate, mirror;
        int x, y;
    } cases[] = {
        {false, false, 1, 0},
        {false, true, W - 2, 0},
        {true, false, W - 2, H - 1},
        {true, true, 1, H - 1},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint8_t *rgba = cr_frame_to_rgba(f, cases[i].rotate, cases[i].mirror);
        int x = -1, y = -1;
        find_red(rgba, W, H, &x, &y);
        g_assert_cmpint(x, ==, cases[i].x);
        g_assert_cmpint(y, ==, cases[i].y);
        free(rgba);
    }
    cr_frame_unref(f);
}

static void test_orientation_yuv(void)
{
    /* The same through the chroma planes: a red 2x2 block in a black I420
     * picture lands in the opposite corner when rotated. */
    enum { W = 8, H = 6 };
    struct cr_frame *f = solid_yuv(CR_PIXEL_I420, W, H, 16, 128, 128);
    f->planes[0][0] = f->planes[0][1] = 81;
    f->planes[0][W] = f->planes[0][W + 1] = 81;
    f->planes[1][0] = 90;
    f->planes[2][0] = 240;

    uint8_t *rgba = cr_frame_to_rgba(f, true, false);
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            const uint8_t *p = rgba + (y * W + x) * 4;
            bool red = x >= W - 2 && y >= H - 2;
            g_assert_cmpint(p[0], ==, red ? 255 : 0);
            g_assert_cmpint(p[1], ==, 0);
        }
    }
    free(rgba);

    rgba = cr_frame_to_rgba(f, false, true);
    g_assert_cmpint(rgba[(0 * W + W - 1) * 4], ==, 255);
    g_assert_cmpint(rgba[(1 * W + W - 2) * 4], ==, 255);
    g_assert_cmpint(rgba[0], ==, 0);
    free(rgba);
    cr_frame_unref(f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_log_set_writer_func(count_writer, NULL, NULL);
    g_test_add_func("/frame/alloc-layout", test_alloc_layout);
    g_test_add_func("/frame/alloc-invalid", test_alloc_invalid);
    g_test_add_func("/frame/copy-is-deep", test_copy_is_deep);
    g_test_add_func("/frame/copy-of-padded-buffer", test_copy_of_padded_buffer);
    g_test_add_func("/frame/yuv-colours", test_yuv_colours);
    g_test_add_func("/frame/rgb-formats", test_rgb_formats);
    g_test_add_func("/frame/orientation", test_orientation);
    g_test_add_func("/frame/orientation-yuv", test_orientation_yuv);
    return g_test_run();
}
