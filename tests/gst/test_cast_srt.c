/* The SRT ingest: an H.264 MPEG-TS caller from GStreamer test sources
 * (as ffmpeg or OBS would send) with the join code in its stream id reaches
 * a slot at its size and waits for the teacher; a wrong code is refused; a
 * caller that stops turns "stalled" and keeps its place. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "common/util.h"
#include "display/cast/cast_net.h"
#include "display/cast/cast_server.h"

#define N_SLOTS 2

static char *tmp_dir, *cert, *key;
static struct cr_frame_slot slots[N_SLOTS];
static struct cr_cast_server *server;
static struct cr_cast_status *status;
static int srt_port;

static void on_status(void *userdata, struct cr_cast_status *st)
{
    cr_cast_status_free(status);
    status = st;
}

static const struct cr_cast_server_callbacks cbs = {.on_status = on_status};

static int free_udp_port(void)
{
    GSocket *s =
        g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
    GInetAddress *lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
    GSocketAddress *sa = g_inet_socket_address_new(lo, 0);
    g_assert_true(g_socket_bind(s, sa, FALSE, NULL));
    GSocketAddress *bound = g_socket_get_local_address(s, NULL);
    int port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
    g_object_unref(bound);
    g_object_unref(sa);
    g_object_unref(lo);
    g_object_unref(s);
    return port;
}

static GstElement *caller(const char *streamid)
{
    char *desc = g_strdup_printf(
        "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=30/1,"
        "format=Y444 "
        "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 ! mpegtsmux ! "
        "srtsink name=sink uri=srt://127.0.0.1:%d?mode=caller latency=120",
        srt_port);
    GError *err = NULL;
    GstElement *p = gst_parse_launch(desc, &err);
    g_assert_no_error(err);
    g_free(desc);
    GstElement *sink = gst_bin_get_by_name(GST_BIN(p), "sink");
    g_object_set(sink, "streamid", streamid, NULL);
    gst_object_unref(sink);
    gst_element_set_state(p, GST_STATE_PLAYING);
    return p;
}

static bool wait_for(bool (*cond)(void), int timeout_ms)
{
    int64_t end = cr_monotonic_us() + (int64_t)timeout_ms * 1000;
    while (cr_monotonic_us() < end) {
        g_main_context_iteration(NULL, FALSE);
        if (cond())
            return true;
        g_usleep(2000);
    }
    return cond();
}

static const struct cr_cast_sender_info *first(void)
{
    return status && status->n_senders ? &status->senders[0] : NULL;
}

static bool joined(void)
{
    return first() != NULL;
}

static bool decoded(void)
{
    return first() && first()->width == 640 && first()->height == 360;
}

static bool live(void)
{
    return first() && first()->state == CR_CAST_LIVE;
}

static bool stalled(void)
{
    return first() && first()->state == CR_CAST_STALLED && !first()->connected;
}

static void test_wrong_code(void)
{
    const char *wrong = strcmp(status->code, "0000") ? "0000" : "1111";
    char *sid = g_strdup_printf("%s/Intrus", wrong);
    GstElement *p = caller(sid);
    g_assert_false(wait_for(joined, 3000));
    gst_element_set_state(p, GST_STATE_NULL);
    gst_object_unref(p);
    g_free(sid);
}

static void test_join_approve_stall(void)
{
    char *sid = g_strdup_printf("#!::u=Atelier,r=%s", status->code);
    GstElement *p = caller(sid);
    g_assert_true(wait_for(joined, 15000));
    g_assert_cmpstr(first()->name, ==, "Atelier");
    g_assert_cmpstr(first()->kind, ==, "srt");
    g_assert_cmpint(first()->state, ==, CR_CAST_WAITING);
    g_assert_true(wait_for(decoded, 15000));
    g_assert_cmpstr(first()->codec, ==, "H264");
    struct cr_frame *f = cr_frame_slot_take(&slots[first()->slot]);
    g_assert_nonnull(f);
    g_assert_cmpint(f->width, ==, 640);
    cr_frame_unref(f);

    g_assert_true(cr_cast_server_approve(server, first()->id));
    g_assert_true(wait_for(live, 5000));

    gst_element_set_state(p, GST_STATE_NULL); /* the encoder stops, the caller leaves */
    gst_object_unref(p);
    g_assert_true(wait_for(stalled, 10000));
    g_free(sid);
}

int main(int argc, char **argv)
{
    gst_init(&argc, &argv);
    g_test_init(&argc, &argv, NULL);
    const char *need[] = {"srtsrc", "srtsink", "tsdemux", "mpegtsmux", "x264enc", "avdec_h264"};
    for (size_t i = 0; i < G_N_ELEMENTS(need); i++) {
        GstElementFactory *fac = gst_element_factory_find(need[i]);
        if (!fac) {
            g_print("1..0 # SKIP GStreamer element %s is missing\n", need[i]);
            return 77;
        }
        gst_object_unref(fac);
    }
    tmp_dir = g_dir_make_tmp("craie-srt-XXXXXX", NULL);
    char *error = NULL;
    if (!cr_cast_tls_files(NULL, NULL, tmp_dir, &cert, &key, &error))
        g_error("certificate: %s", error);
    for (int i = 0; i < N_SLOTS; i++)
        cr_frame_slot_init(&slots[i], NULL, NULL);
    struct cr_frame_slot *sp[N_SLOTS] = {&slots[0], &slots[1]};
    srt_port = free_udp_port();
    const char *addresses[] = {"127.0.0.1", NULL};
    const int ports[] = {srt_port};
    struct cr_cast_server_options o = {.port = 0,
                                       .addresses = addresses,
                                       .web_dir = "/nonexistent",
                                       .cert_file = cert,
                                       .key_file = key,
                                       .max_senders = N_SLOTS,
                                       .grace_us = 30 * G_USEC_PER_SEC,
                                       .stall_us = 1500 * 1000,
                                       .latency_ms = 100,
                                       .srt_ports = ports,
                                       .n_srt_ports = 1};
    cr_cast_guard_config_default(&o.guard);
    server = cr_cast_server_new(g_main_context_default(), &o, sp, N_SLOTS, &cbs, NULL, &error);
    if (!server)
        g_error("server: %s", error);
    status = cr_cast_server_status(server);

    g_test_add_func("/cast-srt/wrong-code", test_wrong_code);
    g_test_add_func("/cast-srt/join-approve-stall", test_join_approve_stall);
    int rc = g_test_run();

    cr_cast_server_free(server);
    while (g_main_context_iteration(NULL, FALSE))
        ;
    cr_cast_status_free(status);
    for (int i = 0; i < N_SLOTS; i++)
        cr_frame_slot_destroy(&slots[i]);
    g_unlink(cert);
    g_unlink(key);
    g_rmdir(tmp_dir);
    return rc;
}
