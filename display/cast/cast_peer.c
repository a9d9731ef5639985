#include "display/cast/cast_peer.h"

#include <agent.h>
#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/util.h"

#define TWCC_URI "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
/* H.264 first: every browser has it and it decodes cheaply; VP8 and VP9
 * for the few that lack it. */
#define CR_CAST_CODEC_PREFS                                                                        \
    "application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,"                           \
    "packetization-mode=(string)1; "                                                               \
    "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000; "                           \
    "application/x-rtp,media=video,encoding-name=VP9,clock-rate=90000"

struct cr_cast_peer {
    gint refcount; /* atomic: the owner + each call marshalled to ctx */
    GMainContext *ctx;
    char tag[24];
    const struct cr_cast_peer_callbacks *cbs;
    void *userdata;
    bool closed; /* io thread: freed by the owner, calls still queued are dropped */

    GstElement *pipeline;
    GstElement *webrtc; /* borrowed from pipeline */
    GSource *bus_watch;
    int twcc_id; /* written before create-answer, read in its callback */
    bool failed; /* io thread */
    struct cr_cast_decoder decoder;
};

static struct cr_cast_peer *peer_ref(struct cr_cast_peer *p)
{
    g_atomic_int_inc(&p->refcount);
    return p;
}

static void peer_unref(struct cr_cast_peer *p)
{
    if (!g_atomic_int_dec_and_test(&p->refcount))
        return;
    if (p->pipeline)
        gst_object_unref(p->pipeline);
    g_main_context_unref(p->ctx);
    g_free(p);
}

/* --- webrtcbin threads → ctx ---------------------------------------------- */

enum call_kind { CALL_ANSWER, CALL_ICE, CALL_CONNECTED, CALL_FAILED };

struct call {
    struct cr_cast_peer *peer; /* ref held */
    enum call_kind kind;
    char *text;
    unsigned mline;
};

static void call_free(gpointer data)
{
    struct call *c = data;
    peer_unref(c->peer);
    g_free(c->text);
    g_free(c);
}

static gboolean call_run(gpointer data)
{
    struct call *c = data;
    struct cr_cast_peer *p = c->peer;
    if (p->closed)
        return G_SOURCE_REMOVE;
    switch (c->kind) {
    case CALL_ANSWER:
        p->cbs->on_answer(p->userdata, c->text);
        break;
    case CALL_ICE:
        p->cbs->on_ice(p->userdata, c->mline, c->text);
        break;
    case CALL_CONNECTED:
        p->cbs->on_event(p->userdata, CR_CAST_PEER_CONNECTED, NULL);
        break;
    case CALL_FAILED:
        if (!p->failed) {
            p->failed = true;
            p->cbs->on_event(p->userdata, CR_CAST_PEER_FAILED, c->text);
        }
        break;
    }
    return G_SOURCE_REMOVE;
}

static void post(struct cr_cast_peer *p, enum call_kind kind, const char *text, unsigned mline)
{
    struct call *c = g_new0(struct call, 1);
    c->peer = peer_ref(p);
    c->kind = kind;
    c->text = g_strdup(text);
    c->mline = mline;
    g_main_context_invoke_full(p->ctx, G_PRIORITY_DEFAULT, call_run, c, call_free);
}

static void on_answer_created(GstPromise *promise, gpointer data)
{
    struct cr_cast_peer *p = data;
    const GstStructure *reply = gst_promise_get_reply(promise);
    GstWebRTCSessionDescription *answer = NULL;
    if (reply)
        gst_structure_get(reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, NULL);
    gst_promise_unref(promise);
    if (!answer) {
        post(p, CALL_FAILED, "no answer could be made (no common codec?)", 0);
        peer_unref(p);
        return;
    }
    g_signal_emit_by_name(p->webrtc, "set-local-description", answer, NULL);
    char *text = gst_sdp_message_as_text(answer->sdp);
    post(p, CALL_ANSWER, text, 0);
    g_free(text);
    gst_webrtc_session_description_free(answer);
    peer_unref(p);
}

/* webrtcbin answers a header extension only when the transceiver's codec
 * preferences carry it: accept transport-cc under the offer's id, or the
 * browser gets no congestion feedback and its bitrate barely ramps up. */
static void accept_twcc(struct cr_cast_peer *p)
{
    if (p->twcc_id <= 0)
        return;
    GArray *transceivers = NULL;
    g_signal_emit_by_name(p->webrtc, "get-transceivers", &transceivers);
    char field[32];
    snprintf(field, sizeof(field), "extmap-%d", p->twcc_id);
    for (guint i = 0; transceivers && i < transceivers->len; i++) {
        GstWebRTCRTPTransceiver *t = g_array_index(transceivers, GstWebRTCRTPTransceiver *, i);
        GstCaps *prefs = NULL;
        g_object_get(t, "codec-preferences", &prefs, NULL);
        if (!prefs)
            continue;
        prefs = gst_caps_make_writable(prefs);
        for (guint k = 0; k < gst_caps_get_size(prefs); k++)
            gst_structure_set(gst_caps_get_structure(prefs, k), field, G_TYPE_STRING, TWCC_URI,
                              NULL);
        g_object_set(t, "codec-preferences", prefs, NULL);
        gst_caps_unref(prefs);
    }
    if (transceivers)
        g_array_unref(transceivers);
}

static void on_offer_set(GstPromise *promise, gpointer data)
{
    struct cr_cast_peer *p = data;
    const GstStructure *reply = gst_promise_get_reply(promise);
    GError *err = NULL;
    if (reply && gst_structure_get(reply, "error", G_TYPE_ERROR, &err, NULL)) {
        post(p, CALL_FAILED, err->message, 0);
        g_error_free(err);
        gst_promise_unref(promise);
        peer_unref(p);
        return;
    }
    gst_promise_unref(promise);
    accept_twcc(p);
    GstPromise *pr =
        gst_promise_new_with_change_func(on_answer_created, p, NULL); /* keeps the ref */
    g_signal_emit_by_name(p->webrtc, "create-answer", NULL, pr);
}

static void on_ice_candidate(GstElement *webrtc, guint mline, gchar *candidate, gpointer data)
{
    post(data, CALL_ICE, candidate, mline);
}

static void on_connection_state(GstElement *webrtc, GParamSpec *pspec, gpointer data)
{
    struct cr_cast_peer *p = data;
    GstWebRTCPeerConnectionState s;
    g_object_get(webrtc, "connection-state", &s, NULL);
    if (s == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED)
        post(p, CALL_CONNECTED, NULL, 0);
    else if (s == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED)
        post(p, CALL_FAILED, "the connection failed", 0);
}

/* Streaming thread: a new incoming stream. */
static void on_pad_added(GstElement *webrtc, GstPad *pad, gpointer data)
{
    struct cr_cast_peer *p = data;
    if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
        return;
    GstCaps *caps = gst_pad_get_current_caps(pad);
    if (!caps)
        caps = gst_pad_query_caps(pad, NULL);
    const GstStructure *s = gst_caps_get_structure(caps, 0);
    const char *media = gst_structure_get_string(s, "media");
    enum cr_cast_codec codec =
        cr_cast_codec_from_name(gst_structure_get_string(s, "encoding-name"));
    gst_caps_unref(caps);
    if (g_strcmp0(media, "video") || codec == CR_CAST_CODEC_NONE ||
        atomic_load(&p->decoder.codec) != CR_CAST_CODEC_NONE) {
        /* Not a stream we show: swallow it. */
        GstElement *fs = gst_element_factory_make("fakesink", NULL);
        g_object_set(fs, "sync", FALSE, "async", FALSE, NULL);
        gst_bin_add(GST_BIN(p->pipeline), fs);
        gst_element_sync_state_with_parent(fs);
        GstPad *sp = gst_element_get_static_pad(fs, "sink");
        gst_pad_link(pad, sp);
        gst_object_unref(sp);
        return;
    }
    cr_debug(p->tag, "incoming %s video", cr_cast_codec_name(codec));
    if (!cr_cast_decoder_link(&p->decoder, GST_BIN(p->pipeline), pad, codec, true, p->tag))
        post(p, CALL_FAILED, "the video cannot be decoded", 0);
}

static gboolean on_bus(GstBus *bus, GstMessage *msg, gpointer data)
{
    struct cr_cast_peer *p = data;
    if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
        g_autoptr(GError) err = NULL;
        g_autofree char *dbg = NULL;
        gst_message_parse_error(msg, &err, &dbg);
        cr_debug(p->tag, "error from %s: %s (%s)", GST_MESSAGE_SRC_NAME(msg), err->message,
                 dbg ? dbg : "");
        if (!p->failed) {
            p->failed = true;
            p->cbs->on_event(p->userdata, CR_CAST_PEER_FAILED, err->message);
        }
    }
    return G_SOURCE_CONTINUE;
}

static void setup_ice(struct cr_cast_peer *p, const char *const *addresses)
{
    GObject *ice = NULL;
    g_object_get(p->webrtc, "ice-agent", &ice, NULL);
    if (!ice)
        return;
    if (g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "ice-tcp"))
        g_object_set(ice, "ice-tcp", FALSE, NULL);
    NiceAgent *agent = NULL;
    if (g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "agent"))
        g_object_get(ice, "agent", &agent, NULL);
    if (agent) {
        /* libnice maps ports with UPnP-IGD by default: SSDP on the school
         * network for nothing. */
        g_object_set(agent, "upnp", FALSE, NULL);
        for (; addresses && *addresses; addresses++) {
            NiceAddress a;
            nice_address_init(&a);
            if (nice_address_set_from_string(&a, *addresses))
                nice_agent_add_local_address(agent, &a);
            else
                cr_warn(p->tag, "not an IP address for ICE: %s", *addresses);
        }
        g_object_unref(agent);
    }
    g_object_unref(ice);
}

struct cr_cast_peer *cr_cast_peer_new(GMainContext *ctx, const struct cr_cast_peer_options *opts,
                                      struct cr_frame_slot *slot,
                                      const struct cr_cast_peer_callbacks *cbs, void *userdata)
{
    struct cr_cast_peer *p = g_new0(struct cr_cast_peer, 1);
    p->refcount = 1;
    p->ctx = g_main_context_ref(ctx);
    snprintf(p->tag, sizeof(p->tag), "cast/%u", opts->id);
    p->cbs = cbs;
    p->userdata = userdata;
    cr_cast_decoder_init(&p->decoder, slot);
    p->decoder.tap = opts->tap;
    p->decoder.tap_userdata = opts->tap_userdata;

    p->pipeline = gst_pipeline_new(p->tag);
    p->webrtc = gst_element_factory_make("webrtcbin", NULL);
    if (!p->webrtc) {
        cr_warn(p->tag, "GStreamer element webrtcbin is missing (gstreamer1.0-plugins-bad, "
                        "gstreamer1.0-nice)");
        peer_unref(p);
        return NULL;
    }
    gst_object_ref_sink(p->pipeline);
    gst_bin_add(GST_BIN(p->pipeline), p->webrtc);
    gst_util_set_object_arg(G_OBJECT(p->webrtc), "bundle-policy", "max-bundle");
    g_object_set(p->webrtc, "latency", opts->latency_ms, NULL);
    setup_ice(p, opts->ice_addresses);

    g_autoptr(GstCaps) prefs = gst_caps_from_string(CR_CAST_CODEC_PREFS);
    GstWebRTCRTPTransceiver *trans = NULL;
    g_signal_emit_by_name(p->webrtc, "add-transceiver",
                          GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, prefs, &trans);
    if (trans) {
        g_object_set(trans, "do-nack", TRUE, NULL);
        gst_object_unref(trans);
    }
    g_signal_connect(p->webrtc, "on-ice-candidate", G_CALLBACK(on_ice_candidate), p);
    g_signal_connect(p->webrtc, "pad-added", G_CALLBACK(on_pad_added), p);
    g_signal_connect(p->webrtc, "notify::connection-state", G_CALLBACK(on_connection_state), p);

    GstBus *bus = gst_pipeline_get_bus(GST_PIPELINE(p->pipeline));
    p->bus_watch = gst_bus_create_watch(bus);
    gst_object_unref(bus);
    g_source_set_callback(p->bus_watch, G_SOURCE_FUNC(on_bus), p, NULL);
    g_source_attach(p->bus_watch, ctx);

    if (gst_element_set_state(p->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        cr_warn(p->tag, "the WebRTC pipeline does not start");
        cr_cast_peer_free(p);
        return NULL;
    }
    return p;
}

static int twcc_id_of(const GstSDPMessage *sdp)
{
    for (guint i = 0; i < gst_sdp_message_medias_len(sdp); i++) {
        const GstSDPMedia *m = gst_sdp_message_get_media(sdp, i);
        for (guint a = 0; a < gst_sdp_media_attributes_len(m); a++) {
            const GstSDPAttribute *at = gst_sdp_media_get_attribute(m, a);
            if (!g_strcmp0(at->key, "extmap") && at->value && strstr(at->value, TWCC_URI))
                return atoi(at->value);
        }
    }
    return 0;
}

bool cr_cast_peer_set_offer(struct cr_cast_peer *p, const char *sdp_text)
{
    GstSDPMessage *sdp = NULL;
    if (gst_sdp_message_new_from_text(sdp_text, &sdp) != GST_SDP_OK || !sdp ||
        gst_sdp_message_medias_len(sdp) == 0) {
        if (sdp)
            gst_sdp_message_free(sdp);
        cr_info(p->tag, "offer refused: malformed SDP");
        return false;
    }
    p->twcc_id = twcc_id_of(sdp);
    GstWebRTCSessionDescription *offer =
        gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_OFFER, sdp); /* takes sdp */
    GstPromise *pr = gst_promise_new_with_change_func(on_offer_set, peer_ref(p), NULL);
    g_signal_emit_by_name(p->webrtc, "set-remote-description", offer, pr);
    gst_webrtc_session_description_free(offer);
    return true;
}

void cr_cast_peer_add_ice(struct cr_cast_peer *p, unsigned mline, const char *candidate)
{
    if (!candidate || !*candidate)
        return; /* end of candidates */
    g_signal_emit_by_name(p->webrtc, "add-ice-candidate", mline, candidate);
}

struct cr_cast_decoder *cr_cast_peer_decoder(struct cr_cast_peer *p)
{
    return &p->decoder;
}

void cr_cast_peer_free(struct cr_cast_peer *p)
{
    if (!p)
        return;
    p->closed = true;
    if (p->webrtc)
        g_signal_handlers_disconnect_by_data(p->webrtc, p);
    if (p->pipeline)
        gst_element_set_state(p->pipeline, GST_STATE_NULL); /* joins the streaming threads */
    if (p->bus_watch) {
        g_source_destroy(p->bus_watch);
        g_source_unref(p->bus_watch);
        p->bus_watch = NULL;
    }
    peer_unref(p);
}
