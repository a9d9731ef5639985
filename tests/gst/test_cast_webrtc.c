/* The cast receiver with real WebRTC senders made of GStreamer test
 * sources (tools/bench/cast_sender.c): a join with the code reaches its
 * frame slot at the size it sends, a stopped stream turns "stalled", and a
 * size request from the board changes the decoded size. Also: a wrong code
 * is refused, and a client sending garbage is cut off. */
#include <glib.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <libsoup/soup.h>
#include <string.h>

#include "common/util.h"
#include "display/cast/cast_net.h"
#include "display/cast/cast_server.h"
#include "tools/bench/cast_sender.h"

#define N_SLOTS 4

static char *tmp_dir;
static char *cert, *key;

struct fixture {
    GMainContext *ctx;
    struct cr_frame_slot slots[N_SLOTS];
    struct cr_cast_server *server;
    struct cr_cast_status *status; /* latest */
};

static void on_status(void *userdata, struct cr_cast_status *st)
{
    struct fixture *f = userdata;
    cr_cast_status_free(f->status);
    f->status = st;
}

static const struct cr_cast_server_callbacks cbs = {.on_status = on_status};

static void fixture_setup(struct fixture *f, gconstpointer data)
{
    f->ctx = g_main_context_ref(g_main_context_default());
    struct cr_frame_slot *slots[N_SLOTS];
    for (int i = 0; i < N_SLOTS; i++) {
        cr_frame_slot_init(&f->slots[i], NULL, NULL);
        slots[i] = &f->slots[i];
    }
    const char *addresses[] = {"127.0.0.1", NULL};
    char *web = g_build_filename(g_getenv("CRAIE_SOURCE_ROOT"), "assets", "web", NULL);
    struct cr_cast_server_options o = {.port = 0,
                                       .addresses = addresses,
                                       .web_dir = web,
                                       .cert_file = cert,
                                       .key_file = key,
                                       .max_senders = N_SLOTS,
                                       .grace_us = 2 * G_USEC_PER_SEC,
                                       .stall_us = 1500 * 1000,
                                       .latency_ms = 100};
    cr_cast_guard_config_default(&o.guard);
    char *error = NULL;
    f->server = cr_cast_server_new(f->ctx, &o, slots, N_SLOTS, &cbs, f, &error);
    g_assert_no_error(NULL);
    if (!f->server)
        g_error("server: %s", error);
    f->status = cr_cast_server_status(f->server);
    g_free(web);
}

static void fixture_teardown(struct fixture *f, gconstpointer data)
{
    cr_cast_server_free(f->server);
    while (g_main_context_iteration(f->ctx, FALSE))
        ;
    cr_cast_status_free(f->status);
    for (int i = 0; i < N_SLOTS; i++)
        cr_frame_slot_destroy(&f->slots[i]);
    g_main_context_unref(f->ctx);
}

/* Iterates the loop until cond holds or timeout_ms passes. */
static bool wait_for(struct fixture *f, bool (*cond)(struct fixture *, void *), void *data,
                     int timeout_ms)
{
    int64_t end = cr_monotonic_us() + (int64_t)timeout_ms * 1000;
    while (cr_monotonic_us() < end) {
        g_main_context_iteration(f->ctx, FALSE);
        if (cond(f, data))
            return true;
        g_usleep(2000);
    }
    return cond(f, data);
}

static const struct cr_cast_sender_info *first(struct fixture *f)
{
    return f->status && f->status->n_senders ? &f->status->senders[0] : NULL;
}

static bool joined(struct fixture *f, void *data)
{
    return first(f) != NULL;
}

static bool decoded_size(struct fixture *f, void *data)
{
    const int *want = data;
    const struct cr_cast_sender_info *s = first(f);
    return s && s->width == want[0] && s->height == want[1];
}

static bool in_state(struct fixture *f, void *data)
{
    const struct cr_cast_sender_info *s = first(f);
    return s && s->state == *(enum cr_cast_state *)data;
}

static bool disconnected(struct fixture *f, void *data)
{
    return first(f) && !first(f)->connected;
}

static bool sender_status(struct fixture *f, void *data)
{
    void **p = data;
    return !strcmp(cr_cast_sender_status(p[0]), p[1]);
}

static struct cr_cast_sender *sender(struct fixture *f, const char *name, const char *code, int w,
                                     int h)
{
    struct cr_cast_sender_options o = {.url = f->status->url,
                                       .code = code ? code : f->status->code,
                                       .name = name,
                                       .width = w,
                                       .height = h,
                                       .fps = 30};
    return cr_cast_sender_new(f->ctx, &o);
}

static void test_reaches_slot(struct fixture *f, gconstpointer data)
{
    struct cr_cast_sender *s = sender(f, "Nour", NULL, 640, 360);
    g_assert_true(wait_for(f, joined, NULL, 10000));
    g_assert_cmpstr(first(f)->name, ==, "Nour");
    g_assert_cmpint(first(f)->state, ==, CR_CAST_WAITING);
    void *st[] = {s, "waiting"};
    g_assert_true(wait_for(f, sender_status, st, 10000));

    int size[] = {640, 360};
    g_assert_true(wait_for(f, decoded_size, size, 15000));
    g_assert_cmpstr(first(f)->codec, ==, "H264");
    struct cr_frame *frame = cr_frame_slot_take(&f->slots[first(f)->slot]);
    g_assert_nonnull(frame);
    g_assert_cmpint(frame->width, ==, 640);
    g_assert_cmpint(frame->height, ==, 360);
    g_assert_true(frame->format == CR_PIXEL_I420 || frame->format == CR_PIXEL_NV12);
    cr_frame_unref(frame);

    /* Approved: the page learns it is on the board; the stream is live. */
    g_assert_true(cr_cast_server_approve(f->server, first(f)->id));
    void *live[] = {s, "live"};
    g_assert_true(wait_for(f, sender_status, live, 5000));
    enum cr_cast_state want = CR_CAST_LIVE;
    g_assert_true(wait_for(f, in_state, &want, 5000));
    cr_cast_sender_free(s);
}

static void test_stalled(struct fixture *f, gconstpointer data)
{
    struct cr_cast_sender *s = sender(f, "Yanis", NULL, 320, 240);
    g_assert_true(wait_for(f, joined, NULL, 10000));
    cr_cast_server_approve(f->server, first(f)->id);
    enum cr_cast_state live = CR_CAST_LIVE, stalled = CR_CAST_STALLED;
    g_assert_true(wait_for(f, in_state, &live, 15000));
    cr_cast_sender_pause(s); /* the pupil's tablet stops sending, connected */
    g_assert_true(wait_for(f, in_state, &stalled, 10000));
    cr_cast_sender_free(s); /* then goes away: still stalled within the grace period */
    g_assert_true(wait_for(f, disconnected, NULL, 5000));
    g_assert_cmpint(first(f)->state, ==, CR_CAST_STALLED);
    cr_cast_status_free(f->status);
    f->status = NULL;
    /* After the grace period its place is freed. */
    int64_t end = cr_monotonic_us() + 6 * G_USEC_PER_SEC;
    while (cr_monotonic_us() < end && (!f->status || f->status->n_senders))
        g_main_context_iteration(f->ctx, TRUE);
    g_assert_nonnull(f->status);
    g_assert_cmpuint(f->status->n_senders, ==, 0);
}

static void test_resize(struct fixture *f, gconstpointer data)
{
    struct cr_cast_sender *s = sender(f, "Lina", NULL, 1280, 720);
    g_assert_true(wait_for(f, joined, NULL, 10000));
    unsigned id = first(f)->id;
    cr_cast_server_approve(f->server, id);
    int full[] = {1280, 720}, quarter[] = {640, 360}, thumb[] = {320, 180};
    g_assert_true(wait_for(f, decoded_size, full, 15000));
    /* The board shows it in a 2x2 cell, then as a thumbnail, then alone. */
    g_assert_true(cr_cast_server_set_size(f->server, id, 640, 360, true));
    g_assert_true(wait_for(f, decoded_size, quarter, 10000));
    g_assert_true(cr_cast_server_set_size(f->server, id, 320, 180, false));
    g_assert_true(wait_for(f, decoded_size, thumb, 10000));
    g_assert_true(cr_cast_server_set_size(f->server, id, 1920, 1080, true));
    g_assert_true(wait_for(f, decoded_size, full, 10000));
    cr_cast_sender_free(s);
}

/* A browser without H.264 (some Firefox builds): VP8 is accepted. */
static void test_vp8(struct fixture *f, gconstpointer data)
{
    struct cr_cast_sender_options o = {.url = f->status->url,
                                       .code = f->status->code,
                                       .name = "Firefox",
                                       .width = 640,
                                       .height = 360,
                                       .fps = 30,
                                       .vp8 = true};
    struct cr_cast_sender *s = cr_cast_sender_new(f->ctx, &o);
    int size[] = {640, 360};
    g_assert_true(wait_for(f, decoded_size, size, 15000));
    g_assert_cmpstr(first(f)->codec, ==, "VP8");
    cr_cast_sender_free(s);
}

static void test_wrong_code(struct fixture *f, gconstpointer data)
{
    const char *wrong = strcmp(f->status->code, "0000") ? "0000" : "1111";
    struct cr_cast_sender *s = sender(f, "Eve", wrong, 320, 240);
    void *st[] = {s, "wrong-code"};
    g_assert_true(wait_for(f, sender_status, st, 10000));
    g_assert_cmpuint(f->status->n_senders, ==, 0);
    cr_cast_sender_free(s);
}

/* --- a client that sends garbage ------------------------------------------- */

struct raw {
    SoupWebsocketConnection *ws;
    GPtrArray *received;
    bool closed;
};

static void raw_message(SoupWebsocketConnection *ws, gint type, GBytes *msg, gpointer data)
{
    struct raw *r = data;
    g_ptr_array_add(r->received, g_strndup(g_bytes_get_data(msg, NULL), g_bytes_get_size(msg)));
}

static void raw_closed(SoupWebsocketConnection *ws, gpointer data)
{
    ((struct raw *)data)->closed = true;
}

static gboolean accept_cert(SoupMessage *m, GTlsCertificate *c, GTlsCertificateFlags e, gpointer d)
{
    return TRUE;
}

static void raw_connected(GObject *session, GAsyncResult *res, gpointer data)
{
    struct raw *r = data;
    r->ws = soup_session_websocket_connect_finish(SOUP_SESSION(session), res, NULL);
    if (r->ws) {
        g_signal_connect(r->ws, "message", G_CALLBACK(raw_message), r);
        g_signal_connect(r->ws, "closed", G_CALLBACK(raw_closed), r);
    }
}

static bool raw_ready(struct fixture *f, void *data)
{
    return ((struct raw *)data)->ws != NULL;
}

static bool raw_got(struct fixture *f, void *data)
{
    struct raw *r = data;
    return r->received->len >= 3 || r->closed;
}

static bool raw_is_closed(struct fixture *f, void *data)
{
    return ((struct raw *)data)->closed;
}

static void test_garbage_closes(struct fixture *f, gconstpointer data)
{
    struct raw r = {.received = g_ptr_array_new_with_free_func(g_free)};
    SoupSession *session = soup_session_new();
    char *url = g_strdup_printf("wss://127.0.0.1:%d/ws", f->status->port);
    SoupMessage *msg = soup_message_new("GET", url);
    g_signal_connect(msg, "accept-certificate", G_CALLBACK(accept_cert), NULL);
    soup_session_websocket_connect_async(session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                         raw_connected, &r);
    g_assert_true(wait_for(f, raw_ready, &r, 10000));
    soup_websocket_connection_send_text(r.ws,
                                        "{\"type\":\"offer\",\"sdp\":\"v=0\"}"); /* no hello */
    soup_websocket_connection_send_text(r.ws, "not json");
    g_assert_true(wait_for(f, raw_got, &r, 5000) || r.received->len >= 2);
    g_assert_cmpuint(r.received->len, >=, 2);
    g_assert_nonnull(strstr(r.received->pdata[0], "\"error\""));
    g_assert_false(r.closed);
    soup_websocket_connection_send_text(r.ws, "{\"type\":\"hello\",\"name\":\"x\",\"code\":\"1\","
                                              "\"admin\":true}");
    g_assert_true(wait_for(f, raw_is_closed, &r, 5000)); /* the third strike */
    g_assert_cmpuint(f->status->n_senders, ==, 0);
    g_object_unref(r.ws);
    g_object_unref(msg);
    g_object_unref(session);
    g_free(url);
    g_ptr_array_unref(r.received);
}

int main(int argc, char **argv)
{
    gst_init(&argc, &argv);
    g_test_init(&argc, &argv, NULL);
    const char *need[] = {"webrtcbin",    "nicesrc", "x264enc", "avdec_h264",
                          "rtph264depay", "vp8enc",  "vp8dec"};
    for (size_t i = 0; i < G_N_ELEMENTS(need); i++) {
        GstElementFactory *fac = gst_element_factory_find(need[i]);
        if (!fac) {
            g_print("1..0 # SKIP GStreamer element %s is missing\n", need[i]);
            return 77;
        }
        gst_object_unref(fac);
    }
    tmp_dir = g_dir_make_tmp("craie-cast-XXXXXX", NULL);
    char *error = NULL;
    if (!cr_cast_tls_files(NULL, NULL, tmp_dir, &cert, &key, &error))
        g_error("certificate: %s", error);
    g_test_add("/cast/reaches-slot", struct fixture, NULL, fixture_setup, test_reaches_slot,
               fixture_teardown);
    g_test_add("/cast/stalled", struct fixture, NULL, fixture_setup, test_stalled,
               fixture_teardown);
    g_test_add("/cast/resize", struct fixture, NULL, fixture_setup, test_resize, fixture_teardown);
    g_test_add("/cast/vp8", struct fixture, NULL, fixture_setup, test_vp8, fixture_teardown);
    g_test_add("/cast/wrong-code", struct fixture, NULL, fixture_setup, test_wrong_code,
               fixture_teardown);
    g_test_add("/cast/garbage-closes", struct fixture, NULL, fixture_setup, test_garbage_closes,
               fixture_teardown);
    int rc = g_test_run();
    g_unlink(cert);
    g_unlink(key);
    g_rmdir(tmp_dir);
    return rc;
}
