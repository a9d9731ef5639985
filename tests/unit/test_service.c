/* craie under systemd without libsystemd: the notifications reach a real
 * datagram socket (a path or an abstract name) in sd_notify's format, the
 * watchdog pings only while the UI thread's heartbeat is recent, and the
 * restart marker tells a restart after a failure from a clean start. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "common/service.h"
#include "common/util.h"

/* A notify socket the test owns, as systemd's. */
struct listener {
    int fd;
    char *name; /* what goes into NOTIFY_SOCKET */
    char *dir;
};

static void listener_open(struct listener *l, bool abstract)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    socklen_t len;
    l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    g_assert_cmpint(l->fd, >=, 0);
    l->dir = NULL;
    if (abstract) {
        l->name = g_strdup_printf("@craie-test-notify-%d-%d", (int)getpid(), g_random_int());
        memcpy(sa.sun_path + 1, l->name + 1, strlen(l->name) - 1);
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(l->name));
    } else {
        l->dir = g_dir_make_tmp("craie-notify-XXXXXX", NULL);
        l->name = g_build_filename(l->dir, "notify", NULL);
        g_strlcpy(sa.sun_path, l->name, sizeof(sa.sun_path));
        len = sizeof(sa);
    }
    g_assert_cmpint(bind(l->fd, (struct sockaddr *)&sa, len), ==, 0);
}

static void listener_close(struct listener *l)
{
    close(l->fd);
    if (l->dir) {
        g_unlink(l->name);
        g_rmdir(l->dir);
    }
    g_free(l->dir);
    g_free(l->name);
}

/* The next datagram, or NULL after timeout_ms. g_free. */
static char *listener_recv(struct listener *l, int timeout_ms)
{
    int64_t end = cr_monotonic_us() + timeout_ms * 1000;
    char buf[4096];
    do {
        ssize_t n = recv(l->fd, buf, sizeof(buf) - 1, 0);
        if (n >= 0)
            return g_strndup(buf, (gsize)n);
        g_assert_cmpint(errno, ==, EAGAIN);
        g_usleep(5000);
    } while (cr_monotonic_us() < end);
    return NULL;
}

static void test_send_path(void)
{
    struct listener l;
    listener_open(&l, false);
    g_assert_cmpint(cr_notify_send(l.name, "READY=1\nSTATUS=up"), ==, 0);
    g_autofree char *got = listener_recv(&l, 1000);
    g_assert_cmpstr(got, ==, "READY=1\nSTATUS=up");
    listener_close(&l);
}

static void test_send_abstract(void)
{
    struct listener l;
    listener_open(&l, true);
    g_assert_cmpint(cr_notify_send(l.name, "WATCHDOG=1"), ==, 0);
    g_autofree char *got = listener_recv(&l, 1000);
    g_assert_cmpstr(got, ==, "WATCHDOG=1");
    listener_close(&l);
}

static void test_send_errors(void)
{
    g_assert_cmpint(cr_notify_send(NULL, "READY=1"), ==, -EINVAL);
    g_assert_cmpint(cr_notify_send("", "READY=1"), ==, -EINVAL);
    g_assert_cmpint(cr_notify_send("relative/notify", "READY=1"), ==, -EINVAL);
    g_assert_cmpint(cr_notify_send("@", "READY=1"), ==, -EINVAL);
    char long_path[200];
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[0] = '/';
    long_path[sizeof(long_path) - 1] = '\0';
    g_assert_cmpint(cr_notify_send(long_path, "READY=1"), ==, -EINVAL);
    /* Nobody listens there: the error comes back, nothing blocks. */
    int ret = cr_notify_send("/nonexistent/craie/notify", "READY=1");
    g_assert_true(ret == -ENOENT || ret == -ECONNREFUSED);
}

static void test_parse_usec(void)
{
    g_assert_cmpint(cr_service_parse_usec("30000000"), ==, 30000000);
    g_assert_cmpint(cr_service_parse_usec(NULL), ==, 0);
    g_assert_cmpint(cr_service_parse_usec(""), ==, 0);
    g_assert_cmpint(cr_service_parse_usec("0"), ==, 0);
    g_assert_cmpint(cr_service_parse_usec("-5"), ==, 0);
    g_assert_cmpint(cr_service_parse_usec("12s"), ==, 0);
    g_assert_cmpint(cr_service_parse_usec("99999999999999999999999"), ==, 0);
}

static void clear_env(void)
{
    g_unsetenv("NOTIFY_SOCKET");
    g_unsetenv("WATCHDOG_USEC");
    g_unsetenv("WATCHDOG_PID");
    g_unsetenv("RUNTIME_DIRECTORY");
}

static void test_environment(void)
{
    struct cr_service s;
    clear_env();
    cr_service_init(&s);
    g_assert_null(s.notify_socket);
    g_assert_false(s.watchdog);
    g_assert_false(s.restarted);
    g_assert_false(cr_service_notify(&s, "READY=1")); /* not under systemd: nothing sent */
    g_assert_cmpint(cr_service_max_wait_ms(&s), ==, -1);
    g_assert_true(cr_service_ui_alive(&s, cr_monotonic_us() + (int64_t)3600 * G_USEC_PER_SEC));
    cr_service_destroy(&s, true);

    /* A watchdog meant for another process (WATCHDOG_PID) is not ours. */
    g_setenv("NOTIFY_SOCKET", "@craie-nobody", TRUE);
    g_setenv("WATCHDOG_USEC", "2000000", TRUE);
    g_autofree char *other = g_strdup_printf("%d", (int)getpid() + 1);
    g_setenv("WATCHDOG_PID", other, TRUE);
    cr_service_init(&s);
    g_assert_cmpstr(s.notify_socket, ==, "@craie-nobody");
    g_assert_false(s.watchdog);
    cr_service_destroy(&s, true);

    g_autofree char *me = g_strdup_printf("%d", (int)getpid());
    g_setenv("WATCHDOG_PID", me, TRUE);
    cr_service_init(&s);
    g_assert_true(s.watchdog);
    g_assert_cmpint(s.watchdog_usec, ==, 2000000);
    /* The UI wakes at least every eighth of the period to beat. */
    g_assert_cmpint(cr_service_max_wait_ms(&s), ==, 250);
    cr_service_destroy(&s, true);

    /* No NOTIFY_SOCKET: no watchdog either (nowhere to ping). */
    g_unsetenv("NOTIFY_SOCKET");
    cr_service_init(&s);
    g_assert_false(s.watchdog);
    cr_service_destroy(&s, true);
    clear_env();
}

static void test_heartbeat_gate(void)
{
    struct cr_service s;
    clear_env();
    g_setenv("NOTIFY_SOCKET", "@craie-nobody", TRUE);
    g_setenv("WATCHDOG_USEC", "2000000", TRUE);
    cr_service_init(&s);
    int64_t t = (int64_t)1000 * G_USEC_PER_SEC;
    cr_service_heartbeat(&s, t);
    g_assert_true(cr_service_ui_alive(&s, t));
    g_assert_true(cr_service_ui_alive(&s, t + 900000));
    /* Half the period without a heartbeat: the UI counts as hung. */
    g_assert_false(cr_service_ui_alive(&s, t + 1000000));
    g_assert_false(cr_service_ui_alive(&s, t + 5000000));
    cr_service_heartbeat(&s, t + 5000000);
    g_assert_true(cr_service_ui_alive(&s, t + 5100000));
    cr_service_destroy(&s, true);
    clear_env();
}

/* The watchdog timer on a real GMainContext (the io thread's role, played
 * by this thread): pings while the heartbeat is fresh, none once it is not. */
static int count_pings(struct listener *l, GMainContext *ctx, struct cr_service *s, bool beat,
                       int ms)
{
    int pings = 0;
    int64_t end = cr_monotonic_us() + ms * 1000;
    while (cr_monotonic_us() < end) {
        if (beat)
            cr_service_heartbeat(s, cr_monotonic_us());
        g_main_context_iteration(ctx, FALSE);
        char *got;
        while ((got = listener_recv(l, 0))) {
            g_assert_cmpstr(got, ==, "WATCHDOG=1");
            pings++;
            g_free(got);
        }
        g_usleep(10000);
    }
    return pings;
}

static void test_watchdog_pings(void)
{
    struct listener l;
    listener_open(&l, false);
    clear_env();
    g_setenv("NOTIFY_SOCKET", l.name, TRUE);
    g_setenv("WATCHDOG_USEC", "400000", TRUE); /* pings every 100 ms */
    struct cr_service s;
    cr_service_init(&s);
    GMainContext *ctx = g_main_context_new();
    cr_service_start_watchdog(&s, ctx);

    /* Starting (systemd's watchdog already runs): the start-up thread pings
     * whatever the UI does, the io timer waits for READY. */
    int starting = count_pings(&l, ctx, &s, false, 700);
    g_test_message("pings in 700 ms while starting, no heartbeat: %d", starting);
    g_assert_cmpint(starting, >=, 4);
    g_assert_cmpint(starting, <=, 9);
    cr_service_heartbeat(&s, cr_monotonic_us());
    cr_service_ready(&s, "STATUS=up");
    char *got;
    while ((got = listener_recv(&l, 200)) && !strcmp(got, "WATCHDOG=1"))
        g_free(got); /* a last start-up ping may come first */
    g_assert_cmpstr(got, ==, "READY=1\nSTATUS=up");
    g_free(got);
    g_assert_null(s.startup);

    int alive = count_pings(&l, ctx, &s, true, 700);
    g_assert_cmpint(alive, >=, 4);
    g_assert_cmpint(alive, <=, 8);
    /* The UI stops beating: pings stop once the beat is 200 ms old. */
    count_pings(&l, ctx, &s, false, 300);
    g_assert_cmpint(count_pings(&l, ctx, &s, false, 600), ==, 0);
    /* It beats again: pings again. */
    g_assert_cmpint(count_pings(&l, ctx, &s, true, 500), >=, 2);

    cr_service_stop_watchdog(&s);
    g_assert_cmpint(count_pings(&l, ctx, &s, true, 300), ==, 0);
    cr_service_destroy(&s, true);
    g_main_context_unref(ctx);
    listener_close(&l);
    clear_env();
}

static void test_restart_marker(void)
{
    clear_env();
    g_autofree char *dir = g_dir_make_tmp("craie-run-XXXXXX", NULL);
    g_autofree char *marker = g_build_filename(dir, "running", NULL);
    g_setenv("RUNTIME_DIRECTORY", dir, TRUE);
    struct cr_service s;

    cr_service_init(&s); /* first start of the service */
    g_assert_false(s.restarted);
    g_assert_true(g_file_test(marker, G_FILE_TEST_EXISTS));
    cr_service_destroy(&s, false); /* crashed (or killed by the watchdog) */
    g_assert_true(g_file_test(marker, G_FILE_TEST_EXISTS));

    cr_service_init(&s); /* systemd's restart */
    g_assert_true(s.restarted);
    g_assert_cmpuint(s.restarts, ==, 1);
    cr_service_destroy(&s, false);
    cr_service_init(&s);
    g_assert_cmpuint(s.restarts, ==, 2);

    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cr_service_add_state(&s, b);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    JsonObject *svc = json_object_get_object_member(json_node_get_object(root), "service");
    g_assert_true(json_object_get_boolean_member(svc, "restarted"));
    g_assert_cmpint(json_object_get_int_member(svc, "restarts"), ==, 2);
    g_assert_false(json_object_get_boolean_member(svc, "systemd"));

    cr_service_destroy(&s, true); /* a clean exit */
    g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
    cr_service_init(&s);
    g_assert_false(s.restarted);
    cr_service_destroy(&s, true);

    /* Several folders (RuntimeDirectory=a b): the first one. */
    g_autofree char *two = g_strdup_printf("%s:/nonexistent", dir);
    g_setenv("RUNTIME_DIRECTORY", two, TRUE);
    cr_service_init(&s);
    g_assert_true(g_file_test(marker, G_FILE_TEST_EXISTS));
    cr_service_destroy(&s, true);
    g_rmdir(dir);
    clear_env();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cr_log_init(g_test_verbose());
    /* A hung UI and a restart are logged as warnings: expected here. */
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    g_test_add_func("/service/send-path", test_send_path);
    g_test_add_func("/service/send-abstract", test_send_abstract);
    g_test_add_func("/service/send-errors", test_send_errors);
    g_test_add_func("/service/parse-usec", test_parse_usec);
    g_test_add_func("/service/environment", test_environment);
    g_test_add_func("/service/heartbeat-gate", test_heartbeat_gate);
    g_test_add_func("/service/watchdog-pings", test_watchdog_pings);
    g_test_add_func("/service/restart-marker", test_restart_marker);
    return g_test_run();
}
