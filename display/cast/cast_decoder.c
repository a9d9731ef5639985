#include "display/cast/cast_decoder.h"

#include <gst/app/gstappsink.h>

#include "common/log.h"
#include "common/util.h"
#include "display/cast/cast_sample.h"

/* What the appsink takes: what SDL uploads as YUV without conversion. */
#define CR_CAST_SINK_CAPS "video/x-raw,format={I420,NV12}"

const char *cr_cast_codec_name(enum cr_cast_codec c)
{
    switch (c) {
    case CR_CAST_CODEC_H264:
        return "H264";
    case CR_CAST_CODEC_VP8:
        return "VP8";
    case CR_CAST_CODEC_VP9:
        return "VP9";
    case CR_CAST_CODEC_NONE:
        break;
    }
    return "";
}

enum cr_cast_codec cr_cast_codec_from_name(const char *name)
{
    if (!name)
        return CR_CAST_CODEC_NONE;
    if (!g_ascii_strcasecmp(name, "H264"))
        return CR_CAST_CODEC_H264;
    if (!g_ascii_strcasecmp(name, "VP8"))
        return CR_CAST_CODEC_VP8;
    if (!g_ascii_strcasecmp(name, "VP9"))
        return CR_CAST_CODEC_VP9;
    return CR_CAST_CODEC_NONE;
}

void cr_cast_decoder_init(struct cr_cast_decoder *d, struct cr_frame_slot *slot)
{
    memset(d, 0, sizeof(*d));
    atomic_init(&d->slot, slot);
    atomic_init(&d->frames, 0);
    atomic_init(&d->last_frame_us, 0);
    atomic_init(&d->width, 0);
    atomic_init(&d->height, 0);
    atomic_init(&d->codec, CR_CAST_CODEC_NONE);
}

/* Streaming thread. */
static GstFlowReturn on_new_sample(GstAppSink *sink, gpointer data)
{
    struct cr_cast_decoder *d = data;
    GstSample *sample = gst_app_sink_pull_sample(sink);
    if (!sample)
        return GST_FLOW_FLUSHING;
    int64_t now = cr_monotonic_us();
    struct cr_frame *f = cr_cast_frame_from_sample(sample);
    if (!f)
        return GST_FLOW_OK;
    f->capture_us = now;
    f->seq = atomic_fetch_add(&d->frames, 1) + 1;
    atomic_store(&d->width, f->width);
    atomic_store(&d->height, f->height);
    atomic_store(&d->last_frame_us, now);
    if (d->tap)
        d->tap(d->tap_userdata, f, now);
    struct cr_frame_slot *slot = atomic_load(&d->slot);
    if (slot)
        cr_frame_slot_push(slot, f);
    else
        cr_frame_unref(f);
    return GST_FLOW_OK;
}

static GstElement *make(const char *factory, const char *tag)
{
    GstElement *e = gst_element_factory_make(factory, NULL);
    if (!e)
        cr_warn(tag, "GStreamer element %s is missing", factory);
    return e;
}

/* Loss recovery (see doc/develop.md, casting): ask the sender for a
 * keyframe instead of showing a smeared picture until the next one. */
static void set_recovery(GstElement *e)
{
    GObjectClass *k = G_OBJECT_GET_CLASS(e);
    if (g_object_class_find_property(k, "request-keyframe"))
        g_object_set(e, "request-keyframe", TRUE, NULL);
    if (g_object_class_find_property(k, "wait-for-keyframe"))
        g_object_set(e, "wait-for-keyframe", TRUE, NULL);
    if (g_object_class_find_property(k, "automatic-request-sync-points"))
        g_object_set(e, "automatic-request-sync-points", TRUE, NULL);
    if (g_object_class_find_property(k, "discard-corrupted-frames"))
        g_object_set(e, "discard-corrupted-frames", TRUE, NULL);
}

bool cr_cast_decoder_link(struct cr_cast_decoder *d, GstBin *bin, GstPad *src,
                          enum cr_cast_codec codec, bool rtp, const char *tag)
{
    const char *names[6];
    size_t n = 0;
    names[n++] = "queue";
    switch (codec) {
    case CR_CAST_CODEC_H264:
        if (rtp)
            names[n++] = "rtph264depay";
        names[n++] = "h264parse";
        names[n++] = "avdec_h264";
        break;
    case CR_CAST_CODEC_VP8:
        names[n++] = "rtpvp8depay";
        names[n++] = "vp8dec";
        break;
    case CR_CAST_CODEC_VP9:
        names[n++] = "rtpvp9depay";
        names[n++] = "vp9dec";
        break;
    case CR_CAST_CODEC_NONE:
        cr_warn(tag, "no decoder for this stream");
        return false;
    }
    /* A passthrough for the 4:2:0 8-bit that browsers send; converts what
     * an SRT tool may send (4:4:4, 10 bits) to what the board uploads. */
    names[n++] = "videoconvert";
    GstElement *chain[7];
    for (size_t i = 0; i < n; i++) {
        if (!(chain[i] = make(names[i], tag))) {
            for (size_t k = 0; k < i; k++)
                gst_object_unref(chain[k]);
            return false;
        }
        set_recovery(chain[i]);
    }
    /* Half a second of slack at most between network and decoder. */
    g_object_set(chain[0], "max-size-buffers", 0, "max-size-bytes", 0, "max-size-time",
                 (guint64)500 * GST_MSECOND, NULL);
    GstElement *sink = make("appsink", tag);
    if (!sink) {
        for (size_t k = 0; k < n; k++)
            gst_object_unref(chain[k]);
        return false;
    }
    g_autoptr(GstCaps) caps = gst_caps_from_string(CR_CAST_SINK_CAPS);
    g_object_set(sink, "caps", caps, "max-buffers", 1, "drop", TRUE, "sync", FALSE, "emit-signals",
                 FALSE, "enable-last-sample", FALSE, NULL);
    GstAppSinkCallbacks cbs = {.new_sample = on_new_sample};
    gst_app_sink_set_callbacks(GST_APP_SINK(sink), &cbs, d, NULL);
    chain[n++] = sink;

    for (size_t i = 0; i < n; i++)
        gst_bin_add(bin, chain[i]);
    for (size_t i = 0; i + 1 < n; i++) {
        if (!gst_element_link(chain[i], chain[i + 1])) {
            cr_warn(tag, "cannot link %s to %s", GST_ELEMENT_NAME(chain[i]),
                    GST_ELEMENT_NAME(chain[i + 1]));
            return false;
        }
    }
    for (size_t i = 0; i < n; i++)
        gst_element_sync_state_with_parent(chain[i]);
    GstPad *sinkpad = gst_element_get_static_pad(chain[0], "sink");
    GstPadLinkReturn r = gst_pad_link(src, sinkpad);
    gst_object_unref(sinkpad);
    if (r != GST_PAD_LINK_OK) {
        cr_warn(tag, "cannot link the incoming stream (%d)", r);
        return false;
    }
    atomic_store(&d->codec, codec);
    return true;
}
