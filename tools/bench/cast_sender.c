#include "tools/bench/cast_sender.h"

#include <agent.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <stdio.h>

struct cr_cast_source {
    GstElement *pipeline, *tee;
};

struct cr_cast_source *cr_cast_source_new(int width, int height, int fps, bool moving)
{
    char *desc = g_strdup_printf(
        "videotestsrc is-live=true pattern=%s ! video/x-raw,width=%d,height=%d,framerate=%d/1 ! "
        "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=4000 ! "
        "video/x-h264,profile=constrained-baseline ! h264parse config-interval=-1 ! "
        "tee name=tee allow-not-linked=true",
        moving ? "ball" : "smpte", width, height, fps);
    GError *err = NULL;
    GstElement *p = gst_parse_launch(desc, &err);
    g_free(desc);
    if (!p) {
        g_printerr("cast source: %s\n", err ? err->message : "?");
        g_clear_error(&err);
        return NULL;
    }
    struct cr_cast_source *src = g_new0(struct cr_cast_source, 1);
    src->pipeline = p;
    src->tee = gst_bin_get_by_name(GST_BIN(p), "tee");
    gst_element_set_state(p, GST_STATE_PLAYING);
    return src;
}

void cr_cast_source_free(struct cr_cast_source *src)
{
    if (!src)
        return;
    gst_element_set_state(src->pipeline, GST_STATE_NULL);
    gst_object_unref(src->tee);
    gst_object_unref(src->pipeline);
    g_free(src);
}

struct cr_cast_sender {
    gint refs; /* atomic: the owner + each result on its way to ctx */
    bool closed;
    GMainContext *ctx;
    struct cr_cast_sender_options o;
    char *url, *code, *name;
    SoupSession *session;
    SoupWebsocketConnection *ws;
    GCancellable *cancel;
    GstElement *pipeline, *webrtc, *caps;
    char status[32];
    int width, height;
};

static void set_status(struct cr_cast_sender *s, const char *st)
{
    g_strlcpy(s->status, st, sizeof(s->status));
}

static void send_json(struct cr_cast_sender *s, JsonBuilder *b)
{
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    char *text = json_to_string(root, FALSE);
    if (s->ws && soup_websocket_connection_get_state(s->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text(s->ws, text);
    g_free(text);
    json_node_unref(root);
    g_object_unref(b);
}

static JsonBuilder *begin(const char *type)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "type");
    json_builder_add_string_value(b, type);
    return b;
}

/* webrtcbin threads hand their results to ctx. */
struct post {
    struct cr_cast_sender *s;
    char *type, *text;
    unsigned mline;
};

static void sender_unref(struct cr_cast_sender *s);

static gboolean post_run(gpointer data)
{
    struct post *p = data;
    if (p->s->closed)
        return G_SOURCE_REMOVE;
    JsonBuilder *b = begin(p->type);
    if (!strcmp(p->type, "offer")) {
        json_builder_set_member_name(b, "sdp");
        json_builder_add_string_value(b, p->text);
    } else {
        json_builder_set_member_name(b, "candidate");
        json_builder_add_string_value(b, p->text);
        json_builder_set_member_name(b, "sdpMLineIndex");
        json_builder_add_int_value(b, p->mline);
    }
    send_json(p->s, b);
    return G_SOURCE_REMOVE;
}

static void post_free(gpointer data)
{
    struct post *p = data;
    sender_unref(p->s);
    g_free(p->type);
    g_free(p->text);
    g_free(p);
}

static void post(struct cr_cast_sender *s, const char *type, const char *text, unsigned mline)
{
    struct post *p = g_new0(struct post, 1);
    g_atomic_int_inc(&s->refs);
    *p = (struct post){s, g_strdup(type), g_strdup(text), mline};
    g_main_context_invoke_full(s->ctx, G_PRIORITY_DEFAULT, post_run, p, post_free);
}

static void on_offer_created(GstPromise *promise, gpointer data)
{
    struct cr_cast_sender *s = data;
    const GstStructure *reply = gst_promise_get_reply(promise);
    GstWebRTCSessionDescription *offer = NULL;
    gst_structure_get(reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, NULL);
    gst_promise_unref(promise);
    if (!offer)
        return;
    g_signal_emit_by_name(s->webrtc, "set-local-description", offer, NULL);
    char *text = gst_sdp_message_as_text(offer->sdp);
    post(s, "offer", text, 0);
    g_free(text);
    gst_webrtc_session_description_free(offer);
}

static void on_negotiation_needed(GstElement *webrtc, gpointer data)
{
    GstPromise *p = gst_promise_new_with_change_func(on_offer_created, data, NULL);
    g_signal_emit_by_name(webrtc, "create-offer", NULL, p);
}

static void on_ice_candidate(GstElement *webrtc, guint mline, gchar *cand, gpointer data)
{
    post(data, "ice", cand, mline);
}

static void set_size(struct cr_cast_sender *s, int w, int h)
{
    s->width = w & ~1;
    s->height = h & ~1;
    g_autoptr(GstCaps) caps = gst_caps_new_simple("video/x-raw", "width", G_TYPE_INT, s->width,
                                                  "height", G_TYPE_INT, s->height, NULL);
    g_object_set(s->caps, "caps", caps, NULL);
}

static void setup_ice(GstElement *webrtc);
static void on_negotiation_needed(GstElement *webrtc, gpointer data);
static void on_ice_candidate(GstElement *webrtc, guint mline, gchar *cand, gpointer data);

/* A branch of the shared encoder: tee ! queue ! pay ! webrtcbin. */
static bool start_branch(struct cr_cast_sender *s)
{
    GstBin *bin = GST_BIN(s->o.source->pipeline);
    GstElement *q = gst_element_factory_make("queue", NULL);
    GstElement *pay = gst_element_factory_make("rtph264pay", NULL);
    GstElement *caps = gst_element_factory_make("capsfilter", NULL);
    s->webrtc = gst_element_factory_make("webrtcbin", NULL);
    g_object_set(pay, "config-interval", -1, "pt", 102, NULL);
    gst_util_set_object_arg(G_OBJECT(pay), "aggregate-mode", "zero-latency");
    g_autoptr(GstCaps) rtp = gst_caps_from_string(
        "application/x-rtp,media=video,encoding-name=H264,payload=102,clock-rate=90000");
    g_object_set(caps, "caps", rtp, NULL);
    gst_util_set_object_arg(G_OBJECT(s->webrtc), "bundle-policy", "max-bundle");
    gst_bin_add_many(bin, q, pay, caps, s->webrtc, NULL);
    gst_object_ref(s->webrtc);
    if (!gst_element_link_many(q, pay, caps, s->webrtc, NULL))
        return false;
    setup_ice(s->webrtc);
    g_signal_connect(s->webrtc, "on-negotiation-needed", G_CALLBACK(on_negotiation_needed), s);
    g_signal_connect(s->webrtc, "on-ice-candidate", G_CALLBACK(on_ice_candidate), s);
    gst_element_sync_state_with_parent(s->webrtc);
    gst_element_sync_state_with_parent(caps);
    gst_element_sync_state_with_parent(pay);
    gst_element_sync_state_with_parent(q);
    GstPad *tp = gst_element_request_pad_simple(s->o.source->tee, "src_%u");
    GstPad *qp = gst_element_get_static_pad(q, "sink");
    bool ok = gst_pad_link(tp, qp) == GST_PAD_LINK_OK;
    gst_object_unref(qp);
    gst_object_unref(tp);
    s->width = s->o.width;
    s->height = s->o.height;
    return ok;
}

static bool start_pipeline(struct cr_cast_sender *s)
{
    if (s->o.source)
        return start_branch(s);
    /* A constant description (no user input). */
    const char *codec =
        s->o.vp8 ? "vp8enc deadline=1 cpu-used=8 keyframe-max-dist=60 ! rtpvp8pay pt=96 ! "
                   "application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000"
                 : "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=60 bitrate=2000 ! "
                   "video/x-h264,profile=constrained-baseline ! "
                   "rtph264pay config-interval=-1 pt=102 aggregate-mode=zero-latency ! "
                   "application/x-rtp,media=video,encoding-name=H264,payload=102,clock-rate=90000";
    char *desc = g_strdup_printf(
        "videotestsrc is-live=true pattern=%s ! video/x-raw,width=%d,height=%d,framerate=%d/1 ! "
        "videoscale ! capsfilter name=size ! videoconvert ! %s ! "
        "webrtcbin name=webrtc bundle-policy=max-bundle",
        s->o.moving ? "ball" : "smpte", s->o.width, s->o.height, s->o.fps, codec);
    GError *err = NULL;
    s->pipeline = gst_parse_launch(desc, &err);
    g_free(desc);
    if (!s->pipeline) {
        g_printerr("cast sender: %s\n", err ? err->message : "?");
        g_clear_error(&err);
        return false;
    }
    s->webrtc = gst_bin_get_by_name(GST_BIN(s->pipeline), "webrtc");
    s->caps = gst_bin_get_by_name(GST_BIN(s->pipeline), "size");
    set_size(s, s->o.width, s->o.height);
    setup_ice(s->webrtc);
    g_signal_connect(s->webrtc, "on-negotiation-needed", G_CALLBACK(on_negotiation_needed), s);
    g_signal_connect(s->webrtc, "on-ice-candidate", G_CALLBACK(on_ice_candidate), s);
    gst_element_set_state(s->pipeline, GST_STATE_PLAYING);
    return true;
}

static void setup_ice(GstElement *webrtc)
{
    GObject *ice = NULL;
    g_object_get(webrtc, "ice-agent", &ice, NULL);
    if (ice) {
        NiceAgent *agent = NULL;
        if (g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "agent"))
            g_object_get(ice, "agent", &agent, NULL);
        if (agent) {
            /* Loopback, which libnice leaves out unless asked. */
            g_object_set(agent, "upnp", FALSE, NULL);
            NiceAddress a;
            nice_address_init(&a);
            if (nice_address_set_from_string(&a, "127.0.0.1"))
                nice_agent_add_local_address(agent, &a);
            g_object_unref(agent);
        }
        g_object_unref(ice);
    }
}

static void on_message(SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
    struct cr_cast_sender *s = data;
    gsize len;
    const char *text = g_bytes_get_data(message, &len);
    g_autoptr(JsonNode) root = json_from_string(text, NULL);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root))
        return;
    JsonObject *o = json_node_get_object(root);
    const char *t = json_object_get_string_member_with_default(o, "type", "");
    if (!strcmp(t, "welcome")) {
        if (!s->webrtc && !start_pipeline(s))
            set_status(s, "failed");
    } else if (!strcmp(t, "state")) {
        set_status(s, json_object_get_string_member_with_default(o, "state", "?"));
    } else if (!strcmp(t, "error")) {
        set_status(s, json_object_get_string_member_with_default(o, "reason", "?"));
    } else if (!strcmp(t, "answer") && s->webrtc) {
        GstSDPMessage *sdp = NULL;
        gst_sdp_message_new_from_text(json_object_get_string_member(o, "sdp"), &sdp);
        GstWebRTCSessionDescription *answer =
            gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
        g_signal_emit_by_name(s->webrtc, "set-remote-description", answer, NULL);
        gst_webrtc_session_description_free(answer);
    } else if (!strcmp(t, "ice") && s->webrtc) {
        const char *cand = json_object_get_string_member_with_default(o, "candidate", "");
        if (*cand)
            g_signal_emit_by_name(s->webrtc, "add-ice-candidate",
                                  (guint)json_object_get_int_member(o, "sdpMLineIndex"), cand);
    } else if (!strcmp(t, "size") && s->caps && !s->o.source) {
        /* As the page does: scale the source down to fit, never up. */
        int w = (int)json_object_get_int_member(o, "width");
        int h = (int)json_object_get_int_member(o, "height");
        double scale = fmax(1.0, fmax((double)s->o.width / w, (double)s->o.height / h));
        set_size(s, (int)(s->o.width / scale), (int)(s->o.height / scale));
    }
}

static void on_closed(SoupWebsocketConnection *ws, gpointer data)
{
    struct cr_cast_sender *s = data;
    if (!strcmp(s->status, "connecting") || !strcmp(s->status, "waiting") ||
        !strcmp(s->status, "live"))
        set_status(s, "closed");
}

static gboolean accept_any_certificate(SoupMessage *msg, GTlsCertificate *cert,
                                       GTlsCertificateFlags errors, gpointer data)
{
    return TRUE; /* a test sender, on loopback, against a self-signed certificate */
}

static void on_connected(GObject *session, GAsyncResult *res, gpointer data)
{
    GError *err = NULL;
    SoupWebsocketConnection *ws =
        soup_session_websocket_connect_finish(SOUP_SESSION(session), res, &err);
    if (!ws) {
        if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
            struct cr_cast_sender *s = data;
            g_printerr("cast sender: %s\n", err->message);
            set_status(s, "failed");
        }
        g_error_free(err);
        return;
    }
    struct cr_cast_sender *s = data;
    s->ws = ws;
    g_signal_connect(ws, "message", G_CALLBACK(on_message), s);
    g_signal_connect(ws, "closed", G_CALLBACK(on_closed), s);
    JsonBuilder *b = begin("hello");
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, s->name);
    json_builder_set_member_name(b, "code");
    json_builder_add_string_value(b, s->code);
    send_json(s, b);
}

struct cr_cast_sender *cr_cast_sender_new(GMainContext *ctx,
                                          const struct cr_cast_sender_options *opts)
{
    struct cr_cast_sender *s = g_new0(struct cr_cast_sender, 1);
    s->refs = 1;
    s->ctx = g_main_context_ref(ctx);
    s->o = *opts;
    s->url = g_strdup(opts->url);
    s->code = g_strdup(opts->code);
    s->name = g_strdup(opts->name);
    s->o.url = s->url;
    s->o.code = s->code;
    s->o.name = s->name;
    set_status(s, "connecting");
    g_main_context_push_thread_default(ctx);
    s->session = soup_session_new();
    s->cancel = g_cancellable_new();
    char *ws_url = g_strdup_printf("wss://%s", strstr(s->url, "://") + 3);
    char *end = ws_url + strlen(ws_url);
    if (end > ws_url && end[-1] == '/')
        end[-1] = '\0';
    char *full = g_strconcat(ws_url, "/ws", NULL);
    SoupMessage *msg = soup_message_new("GET", full);
    g_signal_connect(msg, "accept-certificate", G_CALLBACK(accept_any_certificate), NULL);
    soup_session_websocket_connect_async(s->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, s->cancel,
                                         on_connected, s);
    g_object_unref(msg);
    g_main_context_pop_thread_default(ctx);
    g_free(ws_url);
    g_free(full);
    return s;
}

const char *cr_cast_sender_status(struct cr_cast_sender *s)
{
    return s->status;
}

void cr_cast_sender_size(struct cr_cast_sender *s, int *width, int *height)
{
    *width = s->width;
    *height = s->height;
}

void cr_cast_sender_pause(struct cr_cast_sender *s)
{
    if (s->pipeline)
        gst_element_set_state(s->pipeline, GST_STATE_PAUSED);
}

static void sender_unref(struct cr_cast_sender *s)
{
    if (!g_atomic_int_dec_and_test(&s->refs))
        return;
    g_main_context_unref(s->ctx);
    g_free(s->url);
    g_free(s->code);
    g_free(s->name);
    g_free(s);
}

void cr_cast_sender_free(struct cr_cast_sender *s)
{
    if (!s)
        return;
    s->closed = true;
    g_cancellable_cancel(s->cancel);
    if (s->pipeline) {
        g_signal_handlers_disconnect_by_data(s->webrtc, s);
        gst_element_set_state(s->pipeline, GST_STATE_NULL);
        gst_object_unref(s->webrtc);
        gst_object_unref(s->caps);
        gst_object_unref(s->pipeline);
    } else if (s->webrtc) { /* a branch: the source's pipeline goes with it */
        g_signal_handlers_disconnect_by_data(s->webrtc, s);
        gst_object_unref(s->webrtc);
    }
    if (s->ws) {
        g_signal_handlers_disconnect_by_data(s->ws, s);
        if (soup_websocket_connection_get_state(s->ws) == SOUP_WEBSOCKET_STATE_OPEN)
            soup_websocket_connection_close(s->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
        g_object_unref(s->ws);
    }
    g_object_unref(s->cancel);
    g_object_unref(s->session);
    sender_unref(s);
}
