/* The document camera's GStreamer pipelines (see camera_source.h). The only
 * file, with camera_caps.c and camera_monitor.c, that sees GStreamer types. */
#include "display/camera/camera_source.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <stdatomic.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"

/* Application messages posted on the pipeline bus, handled on ctx. */
#define CR_MSG_FIRST_FRAME "craie-first-frame"
#define CR_MSG_START_FAILED "craie-start-failed"

#define CR_TEST_JPEG_QUALITY 85
#define CR_TEST_FONT "Sans Bold 48"
/* What the appsink accepts: what the renderer uploads without conversion. */
#define CR_SINK_CAPS "video/x-raw,format={I420,NV12,YUY2}"

struct cr_camera_source {
    GMainContext *ctx; /* ref held */
    struct cr_camera_device dev;
    struct cr_camera_mode mode;
    struct cr_frame_slot *slot; /* borrowed */
    const struct cr_camera_source_callbacks *cbs;
    void *userdata;

    GstElement *pipeline;
    GstElement *sink;    /* borrowed from pipeline */
    GSource *bus_watch;  /* attached to ctx */
    bool error_reported; /* io thread: one ERROR event per source */

    atomic_uint_fast64_t frames; /* written by the streaming thread */
    struct cr_ratelimit map_rl;  /* streaming thread only */
};

/* A mapped sample behind a cr_frame: unmapped and unref'd by the frame's
 * last unref, on whatever thread that happens. */
struct cr_mapped_sample {
    GstSample *sample;
    GstVideoFrame vframe;
};

static void mapped_sample_release(void *opaque)
{
    struct cr_mapped_sample *m = opaque;
    gst_video_frame_unmap(&m->vframe);
    gst_sample_unref(m->sample);
    g_free(m);
}

static enum cr_pixel_format pixel_format(GstVideoFormat format)
{
    switch (format) {
    case GST_VIDEO_FORMAT_I420:
        return CR_PIXEL_I420;
    case GST_VIDEO_FORMAT_NV12:
        return CR_PIXEL_NV12;
    case GST_VIDEO_FORMAT_YUY2:
        return CR_PIXEL_YUY2;
    default:
        return CR_PIXEL_UNKNOWN;
    }
}

/* Wraps a sample (ownership transferred) in a frame, or returns NULL. */
static struct cr_frame *wrap_sample(struct cr_camera_source *src, GstSample *sample)
{
    struct cr_mapped_sample *m = g_new0(struct cr_mapped_sample, 1);
    GstVideoInfo info;
    GstBuffer *buf = gst_sample_get_buffer(sample);
    GstCaps *caps = gst_sample_get_caps(sample);
    enum cr_pixel_format format = CR_PIXEL_UNKNOWN;

    if (!buf || !caps || !gst_video_info_from_caps(&info, caps))
        goto fail;
    format = pixel_format(GST_VIDEO_INFO_FORMAT(&info));
    if (format == CR_PIXEL_UNKNOWN || !gst_video_frame_map(&m->vframe, &info, buf, GST_MAP_READ))
        goto fail;
    m->sample = sample;

    uint8_t *planes[3] = {NULL};
    int strides[3] = {0};
    int n_planes = CR_MIN((int)GST_VIDEO_FRAME_N_PLANES(&m->vframe), 3);
    for (int i = 0; i < n_planes; i++) {
        planes[i] = GST_VIDEO_FRAME_PLANE_DATA(&m->vframe, i);
        strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE(&m->vframe, i);
    }
    return cr_frame_new_wrapped(format, GST_VIDEO_INFO_WIDTH(&info), GST_VIDEO_INFO_HEIGHT(&info),
                                n_planes, planes, strides, mapped_sample_release, m);

fail:
    if (cr_ratelimit_allow(&src->map_rl))
        cr_warn("camera", "%s: cannot read a %s frame", src->dev.name,
                cr_pixel_format_name(format));
    g_free(m);
    gst_sample_unref(sample);
    return NULL;
}

/* CLOCK_MONOTONIC µs of the buffer's capture: the pipeline runs on the
 * monotonic system clock, so base time + running time is comparable with
 * cr_monotonic_us(). 0 when the buffer has no timestamp. */
static int64_t capture_us(GstElement *sink, GstSample *sample)
{
    GstBuffer *buf = gst_sample_get_buffer(sample);
    GstClockTime pts = GST_BUFFER_PTS(buf);
    if (!GST_CLOCK_TIME_IS_VALID(pts))
        return 0;
    const GstSegment *seg = gst_sample_get_segment(sample);
    GstClockTime running = pts;
    if (seg && seg->format == GST_FORMAT_TIME)
        running = gst_segment_to_running_time(seg, GST_FORMAT_TIME, pts);
    if (!GST_CLOCK_TIME_IS_VALID(running))
        return 0;
    return (int64_t)((gst_element_get_base_time(sink) + running) / GST_USECOND);
}

/* Streaming thread: hands the frame over and returns; never blocks. */
static GstFlowReturn on_new_sample(GstAppSink *appsink, gpointer data)
{
    struct cr_camera_source *src = data;
    GstSample *sample = gst_app_sink_pull_sample(appsink);
    if (!sample)
        return GST_FLOW_FLUSHING;

    int64_t captured = capture_us(GST_ELEMENT(appsink), sample);
    struct cr_frame *frame = wrap_sample(src, sample);
    if (!frame)
        return GST_FLOW_OK;
    uint64_t seq = atomic_fetch_add(&src->frames, 1) + 1;
    frame->capture_us = captured;
    frame->seq = seq;
    cr_frame_slot_push(src->slot, frame);

    if (seq == 1) {
        /* Tell ctx through the bus: its watch dies with the source. */
        GstStructure *s = gst_structure_new_empty(CR_MSG_FIRST_FRAME);
        gst_element_post_message(GST_ELEMENT(appsink),
                                 gst_message_new_application(GST_OBJECT(appsink), s));
    }
    return GST_FLOW_OK;
}

/* Reports to the owner; the callback may free src, so this comes last. */
static void report(struct cr_camera_source *src, enum cr_camera_source_event event,
                   const char *message)
{
    if (event == CR_SOURCE_ERROR || event == CR_SOURCE_EOS) {
        if (src->error_reported)
            return;
        src->error_reported = true;
    }
    if (src->cbs && src->cbs->on_event)
        src->cbs->on_event(src->userdata, event, message);
}

/* ctx: the bus watch. */
static gboolean on_bus_message(GstBus *bus, GstMessage *msg, gpointer data)
{
    struct cr_camera_source *src = data;

    switch (GST_MESSAGE_TYPE(msg)) {
    case GST_MESSAGE_ERROR: {
        g_autoptr(GError) err = NULL;
        g_autofree char *debug = NULL;
        gst_message_parse_error(msg, &err, &debug);
        cr_debug("camera", "%s: error from %s: %s (%s)", src->dev.name, GST_MESSAGE_SRC_NAME(msg),
                 err->message, debug ? debug : "");
        report(src, CR_SOURCE_ERROR, err->message);
        break;
    }
    case GST_MESSAGE_WARNING: {
        g_autoptr(GError) err = NULL;
        gst_message_parse_warning(msg, &err, NULL);
        cr_debug("camera", "%s: warning from %s: %s", src->dev.name, GST_MESSAGE_SRC_NAME(msg),
                 err->message);
        break;
    }
    case GST_MESSAGE_EOS:
        report(src, CR_SOURCE_EOS, "end of stream");
        break;
    case GST_MESSAGE_APPLICATION: {
        const GstStructure *s = gst_message_get_structure(msg);
        if (gst_structure_has_name(s, CR_MSG_FIRST_FRAME))
            report(src, CR_SOURCE_PLAYING, NULL);
        else if (gst_structure_has_name(s, CR_MSG_START_FAILED))
            report(src, CR_SOURCE_ERROR, "the pipeline could not start");
        break;
    }
    default:
        break;
    }
    return G_SOURCE_CONTINUE;
}

/* Creates an element and adds it to the pipeline; logs when it is missing. */
static GstElement *add(struct cr_camera_source *src, const char *factory)
{
    GstElement *e = gst_element_factory_make(factory, NULL);
    if (!e) {
        cr_warn("camera", "GStreamer element %s is missing", factory);
        return NULL;
    }
    gst_bin_add(GST_BIN(src->pipeline), e);
    return e;
}

static GstCaps *mode_caps(const struct cr_camera_mode *mode, bool is_test)
{
    const struct cr_camera_mode *m = mode;
    GstCaps *caps;
    if (m->codec == CR_CODEC_MJPEG && !is_test) {
        caps = gst_caps_new_empty_simple("image/jpeg");
    } else {
        caps = gst_caps_new_empty_simple("video/x-raw");
        enum cr_pixel_format f = m->codec == CR_CODEC_RAW ? m->raw_format : CR_PIXEL_UNKNOWN;
        /* The test source encodes I420 for its MJPEG mode. */
        if (f == CR_PIXEL_UNKNOWN && is_test)
            f = CR_PIXEL_I420;
        if (f != CR_PIXEL_UNKNOWN)
            gst_caps_set_simple(caps, "format", G_TYPE_STRING, cr_pixel_format_name(f), NULL);
    }
    gst_caps_set_simple(caps, "width", G_TYPE_INT, m->width, "height", G_TYPE_INT, m->height,
                        "framerate", GST_TYPE_FRACTION, m->fps_num, m->fps_den, NULL);
    return caps;
}

/* The running time, bottom right, so that a frozen or late image shows at a
 * glance. Optional: gstreamer1.0-x may be absent. */
static GstElement *add_time_overlay(struct cr_camera_source *src)
{
    GstElement *e = gst_element_factory_make("timeoverlay", NULL);
    if (!e) {
        cr_debug("camera", "timeoverlay is missing: the test pattern shows no clock");
        return NULL;
    }
    gst_util_set_object_arg(G_OBJECT(e), "halignment", "right");
    gst_util_set_object_arg(G_OBJECT(e), "valignment", "bottom");
    /* auto-resize would scale the font with the width (48 → ~144 px at
     * 1080p, over two lines): 48 px stays one line a class can still read. */
    g_object_set(e, "font-desc", CR_TEST_FONT, "auto-resize", FALSE, "shaded-background", TRUE,
                 "text", _("Test pattern"), NULL);
    gst_bin_add(GST_BIN(src->pipeline), e);
    return e;
}

/* Fills chain[] with the elements from the source to the appsink (excluded),
 * in order; returns their count, or 0 when an element is missing. */
static size_t build_chain(struct cr_camera_source *src, GstElement **chain)
{
    const struct cr_camera_device *dev = &src->dev;
    bool mjpeg = src->mode.codec == CR_CODEC_MJPEG;
    size_t n = 0;
    GstElement *e;

    if (!(e = add(src, dev->is_test ? "videotestsrc" : "v4l2src")))
        return 0;
    if (dev->is_test) {
        g_object_set(e, "is-live", TRUE, NULL);
        gst_util_set_object_arg(G_OBJECT(e), "pattern", "smpte");
    } else {
        g_object_set(e, "device", dev->path, NULL);
    }
    chain[n++] = e;

    if (!(e = add(src, "capsfilter")))
        return 0;
    g_autoptr(GstCaps) caps = mode_caps(&src->mode, dev->is_test);
    g_object_set(e, "caps", caps, NULL);
    chain[n++] = e;

    if (dev->is_test) {
        if ((e = add_time_overlay(src)))
            chain[n++] = e;
        if (mjpeg) {
            if (!(e = add(src, "jpegenc")))
                return 0;
            g_object_set(e, "quality", CR_TEST_JPEG_QUALITY, NULL);
            chain[n++] = e;
        }
    }
    if (mjpeg) {
        if (!(e = add(src, "jpegdec")))
            return 0;
        chain[n++] = e;
    }
    if (!dev->is_test) {
        /* A passthrough unless the camera sends 4:2:2 JPEG. */
        if (!(e = add(src, "videoconvert")))
            return 0;
        chain[n++] = e;
    }
    return n;
}

static bool build_pipeline(struct cr_camera_source *src)
{
    GstElement *chain[8];
    src->pipeline = gst_pipeline_new("camera");
    /* capture_us relies on it: the monotonic system clock, whatever the elements offer. */
    g_autoptr(GstClock) clock = gst_system_clock_obtain();
    gst_pipeline_use_clock(GST_PIPELINE(src->pipeline), clock);

    size_t n = build_chain(src, chain);
    if (n == 0)
        return false;
    if (!(src->sink = add(src, "appsink")))
        return false;
    g_autoptr(GstCaps) sink_caps = gst_caps_from_string(CR_SINK_CAPS);
    g_object_set(src->sink, "caps", sink_caps, "max-buffers", 1, "drop", TRUE, "sync", FALSE,
                 "emit-signals", FALSE, "enable-last-sample", FALSE, NULL);
    GstAppSinkCallbacks cbs = {.new_sample = on_new_sample};
    gst_app_sink_set_callbacks(GST_APP_SINK(src->sink), &cbs, src, NULL);
    chain[n++] = src->sink;

    for (size_t i = 0; i + 1 < n; i++) {
        if (!gst_element_link(chain[i], chain[i + 1])) {
            cr_warn("camera", "%s: cannot link %s to %s", src->dev.name, GST_ELEMENT_NAME(chain[i]),
                    GST_ELEMENT_NAME(chain[i + 1]));
            return false;
        }
    }
    return true;
}

struct cr_camera_source *cr_camera_source_new(GMainContext *ctx, const struct cr_camera_device *dev,
                                              const struct cr_camera_mode *mode,
                                              struct cr_frame_slot *slot,
                                              const struct cr_camera_source_callbacks *cbs,
                                              void *userdata)
{
    if (!dev->is_test && !dev->path) {
        cr_warn("camera", "%s has no device path", dev->name);
        return NULL;
    }
    struct cr_camera_source *src = g_new0(struct cr_camera_source, 1);
    src->ctx = g_main_context_ref(ctx);
    cr_camera_device_copy(&src->dev, dev);
    src->mode = *mode;
    src->slot = slot;
    src->cbs = cbs;
    src->userdata = userdata;
    src->map_rl = (struct cr_ratelimit)CR_RATELIMIT_INIT(10000, 3);
    atomic_init(&src->frames, 0);

    if (!build_pipeline(src)) {
        cr_camera_source_free(src);
        return NULL;
    }

    GstBus *bus = gst_pipeline_get_bus(GST_PIPELINE(src->pipeline));
    src->bus_watch = gst_bus_create_watch(bus);
    gst_object_unref(bus);
    g_source_set_callback(src->bus_watch, G_SOURCE_FUNC(on_bus_message), src, NULL);
    g_source_attach(src->bus_watch, ctx);

    char *mode_text = cr_camera_mode_to_string(mode);
    cr_debug("camera", "%s: pipeline for %s ready", dev->name, mode_text);
    g_free(mode_text);
    return src;
}

bool cr_camera_source_start(struct cr_camera_source *src)
{
    if (gst_element_set_state(src->pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE)
        return true;
    /* The element that failed posted an ERROR before this; should none have,
     * this one still makes the failure known on ctx. */
    GstStructure *s = gst_structure_new_empty(CR_MSG_START_FAILED);
    gst_element_post_message(src->pipeline,
                             gst_message_new_application(GST_OBJECT(src->pipeline), s));
    return false;
}

void cr_camera_source_free(struct cr_camera_source *src)
{
    if (!src)
        return;
    if (src->pipeline) {
        /* Joins the streaming threads: no new_sample runs after this. */
        gst_element_set_state(src->pipeline, GST_STATE_NULL);
    }
    if (src->bus_watch) {
        g_source_destroy(src->bus_watch);
        g_source_unref(src->bus_watch);
    }
    if (src->pipeline)
        gst_object_unref(src->pipeline);
    cr_camera_device_clear(&src->dev);
    g_main_context_unref(src->ctx);
    g_free(src);
}

uint64_t cr_camera_source_frames(struct cr_camera_source *src)
{
    return atomic_load(&src->frames);
}
