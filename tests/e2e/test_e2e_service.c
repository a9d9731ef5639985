/* The real craie as systemd runs it (craie.service: Type=notify,
 * WatchdogSec, RuntimeDirectory), with a notify socket this test owns in
 * systemd's place: READY=1 once the launcher is up, WATCHDOG=1 pings while
 * both threads live, no more pings once the UI thread or the io thread hangs
 * (an injected hang, CRAIE_TEST_HANG=1), the restart after such a failure
 * known to the next craie (get_state service.restarted, the toast), and
 * STOPPING=1 at SIGTERM. */
#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/e2e.h"

#define WATCHDOG_USEC "2000000" /* pings every 500 ms; a hang shows within 1 s */

static int notify_fd = -1;
static char *notify_path, *runtime_dir;

static void notify_open(void)
{
    notify_path = g_build_filename(e2e_tmp_dir, "notify", NULL);
    runtime_dir = g_build_filename(e2e_tmp_dir, "run", NULL);
    g_assert_cmpint(g_mkdir(runtime_dir, 0755), ==, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    g_strlcpy(sa.sun_path, notify_path, sizeof(sa.sun_path));
    notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    g_assert_cmpint(notify_fd, >=, 0);
    g_assert_cmpint(bind(notify_fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
}

/* Collects datagrams for ms (iterating the child watch). Counts WATCHDOG=1
 * pings; *seen gets the other messages, newline-joined (g_free). */
static int collect(int ms, char **seen)
{
    GString *other = g_string_new(NULL);
    int pings = 0;
    gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
    do {
        while (g_main_context_iteration(NULL, FALSE))
            ;
        char buf[4096];
        ssize_t n;
        while ((n = recv(notify_fd, buf, sizeof(buf) - 1, 0)) >= 0) {
            buf[n] = '\0';
            if (!strcmp(buf, "WATCHDOG=1"))
                pings++;
            else
                g_string_append_printf(other, "%s\n", buf);
        }
        g_assert_cmpint(errno, ==, EAGAIN);
        g_usleep(20 * 1000);
    } while (g_get_monotonic_time() < end);
    if (seen)
        *seen = g_string_free(other, FALSE);
    else
        g_string_free(other, TRUE);
    return pings;
}

/* Waits up to ms for a message containing what; returns everything seen. */
static char *wait_message(const char *what, int ms)
{
    GString *all = g_string_new(NULL);
    gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
    while (!strstr(all->str, what) && g_get_monotonic_time() < end) {
        char *seen = NULL;
        collect(100, &seen);
        g_string_append(all, seen);
        g_free(seen);
    }
    return g_string_free(all, FALSE);
}

static void start(bool allow_hang)
{
    g_autofree char *sock = g_strdup_printf("NOTIFY_SOCKET=%s", notify_path);
    g_autofree char *run = g_strdup_printf("RUNTIME_DIRECTORY=%s", runtime_dir);
    const char *env[] = {sock, "WATCHDOG_USEC=" WATCHDOG_USEC, run,
                         allow_hang ? "CRAIE_TEST_HANG=1" : "CRAIE_TEST_HANG=0", NULL};
    const char *args[] = {"--camera=test", NULL};
    e2e_start_craie(args, env);
    g_assert_true(e2e_wait_for(e2e_socket_ready, NULL, 20000));
}

static bool exited(void *data)
{
    return e2e_craie_exited;
}

/* As systemd's watchdog does (SIGABRT there; SIGKILL here, no core). */
static void kill_craie(void)
{
    kill(e2e_craie_pid, SIGKILL);
    g_assert_true(e2e_wait_for(exited, NULL, 10000));
    g_free(e2e_craie_log());
}

static JsonObject *service_state(JsonObject *s)
{
    g_assert_true(json_object_has_member(s, "service"));
    return json_object_get_object_member(s, "service");
}

static void test_watchdog(void)
{
    notify_open();

    /* 1. Started by "systemd": READY once the launcher is on screen. */
    start(true);
    g_autofree char *first = wait_message("READY=1", 20000);
    g_assert_nonnull(strstr(first, "READY=1"));
    g_assert_nonnull(strstr(first, "STATUS=craie "));
    JsonObject *s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "launcher");
    JsonObject *svc = service_state(s);
    g_assert_true(json_object_get_boolean_member(svc, "systemd"));
    g_assert_true(json_object_get_boolean_member(svc, "watchdog"));
    g_assert_cmpfloat(json_object_get_double_member(svc, "watchdog_s"), ==, 2.0);
    g_assert_false(json_object_get_boolean_member(svc, "restarted"));
    json_object_unref(s);

    /* 2. Both threads alive: about one ping every 500 ms, also while idle. */
    int alive = collect(3000, NULL);
    g_test_message("pings in 3 s while alive: %d", alive);
    g_assert_cmpint(alive, >=, 4);

    /* 3. The UI thread hangs: the pings stop (the io thread still runs). */
    E2E_OK("test-hang", "ui");
    collect(1500, NULL); /* the last heartbeat ages past half the period */
    int hung = collect(3000, NULL);
    g_test_message("pings in 3 s with the UI hung: %d", hung);
    g_assert_cmpint(hung, ==, 0);
    g_assert_false(e2e_craie_exited);
    kill_craie();

    /* 4. The next craie knows it replaces a failed one. */
    start(true);
    g_free(wait_message("READY=1", 20000));
    s = e2e_state();
    svc = service_state(s);
    g_assert_true(json_object_get_boolean_member(svc, "restarted"));
    g_assert_cmpint(json_object_get_int_member(svc, "restarts"), ==, 1);
    json_object_unref(s);
    g_assert_cmpint(collect(1500, NULL), >=, 2);

    /* 5. The io thread hangs: no ping at all. */
    E2E_OK("test-hang", "io");
    collect(1000, NULL);
    hung = collect(3000, NULL);
    g_test_message("pings in 3 s with the io thread hung: %d", hung);
    g_assert_cmpint(hung, ==, 0);
    g_assert_false(e2e_craie_exited);
    kill_craie();

    /* 6. Without CRAIE_TEST_HANG=1 the command is refused; SIGTERM (systemctl
     * stop) sends STOPPING=1, exits 0 and removes the restart marker. */
    start(false);
    g_free(wait_message("READY=1", 20000));
    s = e2e_state();
    g_assert_cmpint(json_object_get_int_member(service_state(s), "restarts"), ==, 2);
    json_object_unref(s);
    char *err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "test-hang", "ui", NULL), !=, 0);
    g_assert_nonnull(strstr(err, "CRAIE_TEST_HANG"));
    g_free(err);
    g_assert_cmpint(collect(1000, NULL), >=, 1); /* still fed */
    g_autofree char *marker = g_build_filename(runtime_dir, "running", NULL);
    g_assert_true(g_file_test(marker, G_FILE_TEST_EXISTS));
    kill(e2e_craie_pid, SIGTERM);
    g_autofree char *last = wait_message("STOPPING=1", 15000);
    g_assert_nonnull(strstr(last, "STOPPING=1"));
    g_assert_true(e2e_wait_for(exited, NULL, 15000));
    g_assert_true(WIFEXITED(e2e_craie_status));
    g_assert_cmpint(WEXITSTATUS(e2e_craie_status), ==, 0);
    g_autofree char *log = e2e_craie_log();
    g_assert_nonnull(strstr(log, "restarted after a failure"));
    g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    int skip = e2e_init("service");
    if (skip)
        return skip;
    g_test_add_func("/e2e/service/watchdog", test_watchdog);
    int status = g_test_run();
    if (notify_fd >= 0)
        close(notify_fd);
    g_free(notify_path);
    g_free(runtime_dir);
    e2e_finish();
    return status;
}
