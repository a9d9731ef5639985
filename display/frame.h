/* A decoded video frame in craie's own terms. Refcounted and immutable once
 * published: any thread may ref/unref; the pixels stay valid until the last
 * unref, which calls release(opaque) (e.g. to unmap and unref a GstSample). */
#ifndef CR_FRAME_H
#define CR_FRAME_H

#include <stdbool.h>
#include <stdint.h>

enum cr_pixel_format {
    CR_PIXEL_UNKNOWN = 0,
    CR_PIXEL_I420, /* 3 planes Y, U, V; chroma halved both ways */
    CR_PIXEL_NV12, /* 2 planes Y, interleaved UV */
    CR_PIXEL_YUY2, /* 1 packed plane Y0 U Y1 V */
    CR_PIXEL_BGRA, /* 1 plane, bytes B G R A (GStreamer BGRA/BGRx) */
    CR_PIXEL_RGBA, /* 1 plane, bytes R G B A */
};

struct cr_frame {
    int refcount; /* atomic */
    enum cr_pixel_format format;
    int width, height;
    int n_planes;
    uint8_t *planes[3];
    int strides[3];
    /* CLOCK_MONOTONIC µs at which the source captured it; 0 if unknown. */
    int64_t capture_us;
    uint64_t seq;
    void (*release)(void *opaque);
    void *opaque;
};

const char *cr_pixel_format_name(enum cr_pixel_format format);

/* Wraps pixels owned by someone else; release(opaque) runs at the last unref.
 * Returns a frame with one reference. */
struct cr_frame *cr_frame_new_wrapped(enum cr_pixel_format format, int width, int height,
                                      int n_planes, uint8_t *const planes[], const int strides[],
                                      void (*release)(void *opaque), void *opaque);

/* Allocates a tightly packed frame. Returns NULL (and logs) if the size is
 * invalid or memory cannot be had: frames are large, so this is handled. */
struct cr_frame *cr_frame_new_alloc(enum cr_pixel_format format, int width, int height);

/* A deep copy that owns its pixels (for snapshots: a source's buffer pool
 * must never be starved by a frame kept for minutes). NULL on failure. */
struct cr_frame *cr_frame_copy(const struct cr_frame *frame);

struct cr_frame *cr_frame_ref(struct cr_frame *frame);
void cr_frame_unref(struct cr_frame *frame);

/* Converts to packed RGBA (4 bytes/pixel, stride width*4), applying an
 * optional 180° rotation and horizontal mirror. Returns a malloc'd buffer
 * or NULL. Used when saving: never on the display path. */
uint8_t *cr_frame_to_rgba(const struct cr_frame *frame, bool rotate180, bool mirror);

#endif
