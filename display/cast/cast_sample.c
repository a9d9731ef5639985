#include "display/cast/cast_sample.h"

#include <gst/video/video.h>

#include "common/util.h"

struct mapped {
    GstSample *sample;
    GstVideoFrame vframe;
};

static void release(void *opaque)
{
    struct mapped *m = opaque;
    gst_video_frame_unmap(&m->vframe);
    gst_sample_unref(m->sample);
    g_free(m);
}

struct cr_frame *cr_cast_frame_from_sample(GstSample *sample)
{
    GstVideoInfo info;
    GstBuffer *buf = gst_sample_get_buffer(sample);
    GstCaps *caps = gst_sample_get_caps(sample);
    if (!buf || !caps || !gst_video_info_from_caps(&info, caps))
        goto fail;
    enum cr_pixel_format format =
        GST_VIDEO_INFO_FORMAT(&info) == GST_VIDEO_FORMAT_I420   ? CR_PIXEL_I420
        : GST_VIDEO_INFO_FORMAT(&info) == GST_VIDEO_FORMAT_NV12 ? CR_PIXEL_NV12
                                                                : CR_PIXEL_UNKNOWN;
    if (format == CR_PIXEL_UNKNOWN)
        goto fail;
    struct mapped *m = g_new0(struct mapped, 1);
    if (!gst_video_frame_map(&m->vframe, &info, buf, GST_MAP_READ)) {
        g_free(m);
        goto fail;
    }
    m->sample = sample;
    uint8_t *planes[3] = {NULL};
    int strides[3] = {0};
    int n = CR_MIN((int)GST_VIDEO_FRAME_N_PLANES(&m->vframe), 3);
    for (int i = 0; i < n; i++) {
        planes[i] = GST_VIDEO_FRAME_PLANE_DATA(&m->vframe, i);
        strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE(&m->vframe, i);
    }
    return cr_frame_new_wrapped(format, GST_VIDEO_INFO_WIDTH(&info), GST_VIDEO_INFO_HEIGHT(&info),
                                n, planes, strides, release, m);
fail:
    gst_sample_unref(sample);
    return NULL;
}
