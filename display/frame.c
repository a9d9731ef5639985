#include "display/frame.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"

const char *cr_pixel_format_name(enum cr_pixel_format format)
{
    switch (format) {
    case CR_PIXEL_I420:
        return "I420";
    case CR_PIXEL_NV12:
        return "NV12";
    case CR_PIXEL_YUY2:
        return "YUY2";
    case CR_PIXEL_BGRA:
        return "BGRA";
    case CR_PIXEL_RGBA:
        return "RGBA";
    case CR_PIXEL_UNKNOWN:
        break;
    }
    return "unknown";
}

struct cr_frame *cr_frame_new_wrapped(enum cr_pixel_format format, int width, int height,
                                      int n_planes, uint8_t *const planes[], const int strides[],
                                      void (*release)(void *opaque), void *opaque)
{
    struct cr_frame *f = cr_xcalloc(1, sizeof(*f));
    f->refcount = 1;
    f->format = format;
    f->width = width;
    f->height = height;
    f->n_planes = n_planes;
    for (int i = 0; i < n_planes && i < 3; i++) {
        f->planes[i] = planes[i];
        f->strides[i] = strides[i];
    }
    f->release = release;
    f->opaque = opaque;
    return f;
}

/* Plane geometry of a tightly packed frame. */
static int plane_layout(enum cr_pixel_format format, int w, int h, int strides[3], size_t sizes[3])
{
    int cw = (w + 1) / 2, ch = (h + 1) / 2;
    switch (format) {
    case CR_PIXEL_I420:
        strides[0] = w;
        strides[1] = strides[2] = cw;
        sizes[0] = (size_t)w * h;
        sizes[1] = sizes[2] = (size_t)cw * ch;
        return 3;
    case CR_PIXEL_NV12:
        strides[0] = w;
        strides[1] = cw * 2;
        sizes[0] = (size_t)w * h;
        sizes[1] = (size_t)cw * 2 * ch;
        return 2;
    case CR_PIXEL_YUY2:
        strides[0] = cw * 4;
        sizes[0] = (size_t)cw * 4 * h;
        return 1;
    case CR_PIXEL_BGRA:
    case CR_PIXEL_RGBA:
        strides[0] = w * 4;
        sizes[0] = (size_t)w * 4 * h;
        return 1;
    case CR_PIXEL_UNKNOWN:
        break;
    }
    return 0;
}

/* Rows in plane i. */
static int plane_rows(enum cr_pixel_format format, int plane, int h)
{
    if (plane > 0 && (format == CR_PIXEL_I420 || format == CR_PIXEL_NV12))
        return (h + 1) / 2;
    return h;
}

struct cr_frame *cr_frame_new_alloc(enum cr_pixel_format format, int width, int height)
{
    if (width <= 0 || height <= 0 || width > 16384 || height > 16384) {
        cr_warn("frame", "refusing a %dx%d frame", width, height);
        return NULL;
    }
    int strides[3] = {0};
    size_t sizes[3] = {0};
    int n = plane_layout(format, width, height, strides, sizes);
    if (n == 0)
        return NULL;
    size_t total = sizes[0] + sizes[1] + sizes[2];
    uint8_t *mem = malloc(total);
    if (!mem) {
        cr_warn("frame", "out of memory for a %dx%d frame", width, height);
        return NULL;
    }
    uint8_t *planes[3] = {mem, mem + sizes[0], mem + sizes[0] + sizes[1]};
    return cr_frame_new_wrapped(format, width, height, n, planes, strides, free, mem);
}

struct cr_frame *cr_frame_copy(const struct cr_frame *src)
{
    struct cr_frame *dst = cr_frame_new_alloc(src->format, src->width, src->height);
    if (!dst)
        return NULL;
    for (int i = 0; i < dst->n_planes; i++) {
        int rows = plane_rows(src->format, i, src->height);
        int row_bytes = CR_MIN(dst->strides[i], src->strides[i]);
        for (int y = 0; y < rows; y++)
            memcpy(dst->planes[i] + (size_t)y * dst->strides[i],
                   src->planes[i] + (size_t)y * src->strides[i], row_bytes);
    }
    dst->capture_us = src->capture_us;
    dst->seq = src->seq;
    return dst;
}

struct cr_frame *cr_frame_ref(struct cr_frame *frame)
{
    g_atomic_int_inc(&frame->refcount);
    return frame;
}

void cr_frame_unref(struct cr_frame *frame)
{
    if (!frame)
        return;
    if (!g_atomic_int_dec_and_test(&frame->refcount))
        return;
    if (frame->release)
        frame->release(frame->opaque);
    free(frame);
}

static inline uint8_t clamp8(int v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

/* BT.601 limited range, what UVC cameras and GStreamer's defaults produce. */
static inline void yuv_to_rgb(int y, int u, int v, uint8_t *out)
{
    int c = (y - 16) * 298, d = u - 128, e = v - 128;
    out[0] = clamp8((c + 409 * e + 128) >> 8);
    out[1] = clamp8((c - 100 * d - 208 * e + 128) >> 8);
    out[2] = clamp8((c + 516 * d + 128) >> 8);
    out[3] = 255;
}

static void pixel_rgba(const struct cr_frame *f, int x, int y, uint8_t *out)
{
    const uint8_t *p;
    switch (f->format) {
    case CR_PIXEL_I420:
        yuv_to_rgb(f->planes[0][(size_t)y * f->strides[0] + x],
                   f->planes[1][(size_t)(y / 2) * f->strides[1] + x / 2],
                   f->planes[2][(size_t)(y / 2) * f->strides[2] + x / 2], out);
        return;
    case CR_PIXEL_NV12:
        p = f->planes[1] + (size_t)(y / 2) * f->strides[1] + (x / 2) * 2;
        yuv_to_rgb(f->planes[0][(size_t)y * f->strides[0] + x], p[0], p[1], out);
        return;
    case CR_PIXEL_YUY2:
        p = f->planes[0] + (size_t)y * f->strides[0] + (x / 2) * 4;
        yuv_to_rgb(p[(x & 1) * 2], p[1], p[3], out);
        return;
    case CR_PIXEL_BGRA:
        p = f->planes[0] + (size_t)y * f->strides[0] + x * 4;
        out[0] = p[2];
        out[1] = p[1];
        out[2] = p[0];
        out[3] = 255;
        return;
    case CR_PIXEL_RGBA:
        p = f->planes[0] + (size_t)y * f->strides[0] + x * 4;
        memcpy(out, p, 3);
        out[3] = 255;
        return;
    case CR_PIXEL_UNKNOWN:
        break;
    }
    memset(out, 0, 4);
}

uint8_t *cr_frame_to_rgba(const struct cr_frame *f, bool rotate180, bool mirror)
{
    if (f->format == CR_PIXEL_UNKNOWN)
        return NULL;
    uint8_t *rgba = malloc((size_t)f->width * f->height * 4);
    if (!rgba)
        return NULL;
    /* rotate180 flips both axes; mirror flips x once more. */
    bool flip_x = rotate180 != mirror, flip_y = rotate180;
    for (int y = 0; y < f->height; y++) {
        int sy = flip_y ? f->height - 1 - y : y;
        uint8_t *row = rgba + (size_t)y * f->width * 4;
        for (int x = 0; x < f->width; x++)
            pixel_rgba(f, flip_x ? f->width - 1 - x : x, sy, row + x * 4);
    }
    return rgba;
}
