#include "display/cast/cast_srt.h"

#include <gio/gio.h>
#include <stdio.h>

#include "common/log.h"
#include "common/util.h"
#include "display/cast/cast_proto.h"

struct cr_cast_srt {
    gint refs; /* atomic: the owner + each call on its way to ctx */
    bool closed;
    GMainContext *ctx;
    char tag[24];
    char *address;
    int port;
    const struct cr_cast_srt_callbacks *cbs;
    void *userdata;
    GstElement *pipeline, *src;
    GSource *bus_watch;
    struct cr_cast_decoder decoder;
    GMutex lock;
    char *pending_name; /* guarded by lock: accepted, not yet connected */
};

static void srt_unref(struct cr_cast_srt *s)
{
    if (!g_atomic_int_dec_and_test(&s->refs))
        return;
    g_mutex_clear(&s->lock);
    g_free(s->pending_name);
    g_free(s->address);
    g_main_context_unref(s->ctx);
    g_free(s);
}

struct call {
    struct cr_cast_srt *srt;
    bool added;
    char *name, *addr;
};

static gboolean call_run(gpointer data)
{
    struct call *c = data;
    if (c->srt->closed)
        return G_SOURCE_REMOVE;
    if (c->added)
        c->srt->cbs->on_caller(c->srt->userdata, c->srt, c->name, c->addr);
    else
        c->srt->cbs->on_gone(c->srt->userdata, c->srt);
    return G_SOURCE_REMOVE;
}

static void call_free(gpointer data)
{
    struct call *c = data;
    srt_unref(c->srt);
    g_free(c->name);
    g_free(c->addr);
    g_free(c);
}

static char *address_text(GSocketAddress *sa)
{
    if (!G_IS_INET_SOCKET_ADDRESS(sa))
        return g_strdup("?");
    return g_inet_address_to_string(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(sa)));
}

/* SRT's thread. */
static gboolean on_connecting(GstElement *src, GSocketAddress *sa, const char *streamid,
                              gpointer data)
{
    struct cr_cast_srt *s = data;
    char *code = NULL, *name = NULL, *error = NULL, *addr = address_text(sa);
    bool ok = cr_cast_parse_streamid(streamid, &code, &name, &error) &&
              s->cbs->check(s->userdata, addr, code);
    if (ok) {
        g_mutex_lock(&s->lock);
        g_free(s->pending_name);
        s->pending_name = g_steal_pointer(&name);
        g_mutex_unlock(&s->lock);
    } else {
        cr_info(s->tag, "caller from %s refused%s%s", addr, error ? ": " : "", error ? error : "");
    }
    g_free(code);
    g_free(name);
    g_free(error);
    g_free(addr);
    return ok;
}

static void post(struct cr_cast_srt *s, bool added, const char *name, const char *addr)
{
    struct call *c = g_new0(struct call, 1);
    g_atomic_int_inc(&s->refs);
    *c = (struct call){s, added, g_strdup(name), g_strdup(addr)};
    g_main_context_invoke_full(s->ctx, G_PRIORITY_DEFAULT, call_run, c, call_free);
}

static void on_added(GstElement *src, gint sock, GSocketAddress *sa, gpointer data)
{
    struct cr_cast_srt *s = data;
    g_mutex_lock(&s->lock);
    char *name = g_steal_pointer(&s->pending_name);
    g_mutex_unlock(&s->lock);
    char *addr = address_text(sa);
    post(s, true, name ? name : "SRT", addr);
    g_free(addr);
    g_free(name);
}

static void on_removed(GstElement *src, gint sock, GSocketAddress *sa, gpointer data)
{
    post(data, false, NULL, NULL);
}

/* Streaming thread: the demuxer found a stream. */
static void on_demux_pad(GstElement *demux, GstPad *pad, gpointer data)
{
    struct cr_cast_srt *s = data;
    GstCaps *caps = gst_pad_query_caps(pad, NULL);
    bool h264 = gst_structure_has_name(gst_caps_get_structure(caps, 0), "video/x-h264");
    gst_caps_unref(caps);
    if (!h264 || atomic_load(&s->decoder.codec) != CR_CAST_CODEC_NONE) {
        GstElement *fs = gst_element_factory_make("fakesink", NULL);
        g_object_set(fs, "sync", FALSE, "async", FALSE, NULL);
        gst_bin_add(GST_BIN(s->pipeline), fs);
        gst_element_sync_state_with_parent(fs);
        GstPad *sp = gst_element_get_static_pad(fs, "sink");
        gst_pad_link(pad, sp);
        gst_object_unref(sp);
        return;
    }
    cr_cast_decoder_link(&s->decoder, GST_BIN(s->pipeline), pad, CR_CAST_CODEC_H264, false, s->tag);
}

static gboolean on_bus(GstBus *bus, GstMessage *msg, gpointer data)
{
    struct cr_cast_srt *s = data;
    if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
        g_autoptr(GError) err = NULL;
        gst_message_parse_error(msg, &err, NULL);
        cr_info(s->tag, "%s: listening again", err->message);
        cr_cast_srt_kick(s);
    }
    return G_SOURCE_CONTINUE;
}

static bool build(struct cr_cast_srt *s)
{
    s->pipeline = gst_pipeline_new(s->tag);
    s->src = gst_element_factory_make("srtsrc", NULL);
    GstElement *demux = gst_element_factory_make("tsdemux", NULL);
    if (!s->src || !demux) {
        cr_warn(s->tag,
                "GStreamer elements srtsrc or tsdemux are missing (gstreamer1.0-plugins-bad)");
        if (s->src)
            gst_object_unref(s->src);
        if (demux)
            gst_object_unref(demux);
        s->src = NULL;
        return false;
    }
    char *uri = g_strdup_printf("srt://%s:%d?mode=listener", s->address, s->port);
    g_object_set(s->src, "uri", uri, "latency", 120, "authentication", TRUE, NULL);
    g_free(uri);
    gst_bin_add_many(GST_BIN(s->pipeline), s->src, demux, NULL);
    gst_element_link(s->src, demux);
    g_signal_connect(s->src, "caller-connecting", G_CALLBACK(on_connecting), s);
    g_signal_connect(s->src, "caller-added", G_CALLBACK(on_added), s);
    g_signal_connect(s->src, "caller-removed", G_CALLBACK(on_removed), s);
    g_signal_connect(demux, "pad-added", G_CALLBACK(on_demux_pad), s);
    GstBus *bus = gst_pipeline_get_bus(GST_PIPELINE(s->pipeline));
    s->bus_watch = gst_bus_create_watch(bus);
    gst_object_unref(bus);
    g_source_set_callback(s->bus_watch, G_SOURCE_FUNC(on_bus), s, NULL);
    g_source_attach(s->bus_watch, s->ctx);
    return gst_element_set_state(s->pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE;
}

static void teardown(struct cr_cast_srt *s)
{
    if (s->pipeline) {
        gst_element_set_state(s->pipeline, GST_STATE_NULL);
        g_signal_handlers_disconnect_by_data(s->src, s);
        gst_object_unref(s->pipeline);
        s->pipeline = NULL;
        s->src = NULL;
    }
    if (s->bus_watch) {
        g_source_destroy(s->bus_watch);
        g_source_unref(s->bus_watch);
        s->bus_watch = NULL;
    }
}

struct cr_cast_srt *cr_cast_srt_new(GMainContext *ctx, const char *address, int port,
                                    const struct cr_cast_srt_callbacks *cbs, void *userdata)
{
    struct cr_cast_srt *s = g_new0(struct cr_cast_srt, 1);
    s->refs = 1;
    s->ctx = g_main_context_ref(ctx);
    snprintf(s->tag, sizeof(s->tag), "cast/srt:%d", port);
    s->address = g_strdup(address && *address ? address : "0.0.0.0");
    s->port = port;
    s->cbs = cbs;
    s->userdata = userdata;
    g_mutex_init(&s->lock);
    cr_cast_decoder_init(&s->decoder, NULL);
    if (!build(s)) {
        cr_cast_srt_free(s);
        return NULL;
    }
    cr_info(s->tag, "SRT listener on %s:%d", s->address, port);
    return s;
}

int cr_cast_srt_port(const struct cr_cast_srt *s)
{
    return s->port;
}

struct cr_cast_decoder *cr_cast_srt_decoder(struct cr_cast_srt *s)
{
    return &s->decoder;
}

void cr_cast_srt_set_slot(struct cr_cast_srt *s, struct cr_frame_slot *slot)
{
    atomic_store(&s->decoder.slot, slot);
}

void cr_cast_srt_kick(struct cr_cast_srt *s)
{
    struct cr_frame_slot *slot = atomic_load(&s->decoder.slot);
    teardown(s);
    cr_cast_decoder_init(&s->decoder, slot);
    if (!build(s))
        cr_warn(s->tag, "the SRT listener does not start again");
}

void cr_cast_srt_free(struct cr_cast_srt *s)
{
    if (!s)
        return;
    s->closed = true;
    teardown(s);
    srt_unref(s);
}
