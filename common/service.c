#include "common/service.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "common/log.h"
#include "common/util.h"

int64_t cr_service_parse_usec(const char *text)
{
    if (!text || !*text)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end || text[0] == '-' || v == 0 || v > INT64_MAX)
        return 0;
    return (int64_t)v;
}

int cr_notify_send(const char *socket_path, const char *message)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t len = socket_path ? strlen(socket_path) : 0;
    if (len < 2 || len >= sizeof(sa.sun_path) || (socket_path[0] != '/' && socket_path[0] != '@'))
        return -EINVAL;
    memcpy(sa.sun_path, socket_path, len);
    if (socket_path[0] == '@')
        sa.sun_path[0] = '\0'; /* abstract: no trailing NUL counted */
    socklen_t sa_len =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (socket_path[0] == '/' ? 1 : 0));

    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    int ret = 0;
    size_t n = strlen(message);
    ssize_t sent = sendto(fd, message, n, MSG_NOSIGNAL, (struct sockaddr *)&sa, sa_len);
    if (sent < 0)
        ret = -errno;
    else if ((size_t)sent != n)
        ret = -EMSGSIZE;
    close(fd);
    return ret;
}

/* --- the restart marker ------------------------------------------------- */

static void marker_init(struct cr_service *s)
{
    const char *dirs = g_getenv("RUNTIME_DIRECTORY");
    if (!dirs || !*dirs)
        return;
    g_autofree char *dir = g_strndup(dirs, strcspn(dirs, ":")); /* the first one */
    s->marker = g_build_filename(dir, "running", NULL);

    char *text = NULL;
    if (g_file_get_contents(s->marker, &text, NULL, NULL)) {
        s->restarted = true;
        unsigned long before = 0;
        const char *p = strstr(text, "restarts=");
        if (p)
            before = strtoul(p + strlen("restarts="), NULL, 10);
        s->restarts = (unsigned)CR_MIN(before, 1000000ul) + 1;
        g_free(text);
        cr_warn("service", "restarted after a failure (%u since the service started)", s->restarts);
    }
    g_autofree char *now = g_strdup_printf("restarts=%u\npid=%d\n", s->restarts, (int)getpid());
    GError *err = NULL;
    if (!g_file_set_contents(s->marker, now, -1, &err)) {
        cr_warn("service", "cannot write the restart marker: %s", err->message);
        g_error_free(err);
        g_clear_pointer(&s->marker, g_free);
    }
}

/* --- start-up pings ----------------------------------------------------- */

static gpointer startup_pinger(gpointer data)
{
    struct cr_service *s = data;
    int64_t interval = CR_MAX(s->watchdog_usec / 4, 1000);
    g_mutex_lock(&s->startup_lock);
    while (!s->startup_done) {
        g_mutex_unlock(&s->startup_lock);
        if (cr_service_notify(s, "WATCHDOG=1"))
            g_atomic_int_inc(&s->startup_pings);
        g_mutex_lock(&s->startup_lock);
        int64_t until = g_get_monotonic_time() + interval;
        while (!s->startup_done && g_cond_wait_until(&s->startup_cond, &s->startup_lock, until))
            ;
    }
    g_mutex_unlock(&s->startup_lock);
    return NULL;
}

static void stop_startup_pinger(struct cr_service *s)
{
    if (!s->startup)
        return;
    g_mutex_lock(&s->startup_lock);
    s->startup_done = true;
    g_cond_signal(&s->startup_cond);
    g_mutex_unlock(&s->startup_lock);
    g_thread_join(s->startup);
    s->startup = NULL;
}

void cr_service_ready(struct cr_service *s, const char *status)
{
    stop_startup_pinger(s);
    g_atomic_int_set(&s->ready, 1);
    g_autofree char *msg = status ? g_strdup_printf("READY=1\n%s", status) : g_strdup("READY=1");
    cr_service_notify(s, msg);
}

/* --- lifecycle ---------------------------------------------------------- */

void cr_service_init(struct cr_service *s)
{
    memset(s, 0, sizeof(*s));
    const char *sock = g_getenv("NOTIFY_SOCKET");
    if (sock && *sock)
        s->notify_socket = g_strdup(sock);

    int64_t usec = cr_service_parse_usec(g_getenv("WATCHDOG_USEC"));
    const char *pid = g_getenv("WATCHDOG_PID");
    bool for_us = !pid || !*pid || strtol(pid, NULL, 10) == (long)getpid();
    if (s->notify_socket && usec > 0 && for_us) {
        s->watchdog = true;
        s->watchdog_usec = usec;
    }
    cr_service_heartbeat(s, cr_monotonic_us());
    g_mutex_init(&s->startup_lock);
    g_cond_init(&s->startup_cond);
    if (s->watchdog)
        s->startup = g_thread_new("craie-startup", startup_pinger, s);
    marker_init(s);
    if (s->notify_socket)
        cr_info("service", "under systemd%s", s->watchdog ? ", watchdog on" : "");
}

void cr_service_destroy(struct cr_service *s, bool clean_exit)
{
    stop_startup_pinger(s);
    g_mutex_clear(&s->startup_lock);
    g_cond_clear(&s->startup_cond);
    if (s->timer) {
        g_source_destroy(s->timer);
        g_source_unref(s->timer);
        s->timer = NULL;
    }
    if (s->marker && clean_exit)
        g_unlink(s->marker);
    g_clear_pointer(&s->marker, g_free);
    g_clear_pointer(&s->notify_socket, g_free);
}

bool cr_service_notify(struct cr_service *s, const char *message)
{
    if (!s->notify_socket)
        return false;
    int ret = cr_notify_send(s->notify_socket, message);
    if (ret < 0) {
        if (g_atomic_int_compare_and_exchange(&s->send_failed, 0, 1)) /* once */
            cr_warn("service", "cannot notify systemd (%s): %s", s->notify_socket,
                    g_strerror(-ret));
        return false;
    }
    return true;
}

/* --- the watchdog ------------------------------------------------------- */

/* heartbeat_us is an int64_t read and written with 64-bit atomics. */
void cr_service_heartbeat(struct cr_service *s, int64_t now_us)
{
    __atomic_store_n(&s->heartbeat_us, now_us, __ATOMIC_RELEASE);
}

bool cr_service_ui_alive(struct cr_service *s, int64_t now_us)
{
    if (!s->watchdog)
        return true;
    int64_t beat = __atomic_load_n(&s->heartbeat_us, __ATOMIC_ACQUIRE);
    return now_us - beat < s->watchdog_usec / 2;
}

int cr_service_max_wait_ms(const struct cr_service *s)
{
    if (!s->watchdog)
        return -1;
    return (int)CR_MAX(s->watchdog_usec / 8 / 1000, 1);
}

/* io thread */
static gboolean on_watchdog_tick(gpointer data)
{
    struct cr_service *s = data;
    if (!g_atomic_int_get(&s->ready))
        return G_SOURCE_CONTINUE; /* the start-up thread pings */
    if (!cr_service_ui_alive(s, cr_monotonic_us())) {
        static struct cr_ratelimit rl = CR_RATELIMIT_INIT(10000, 1); /* io thread only */
        if (cr_ratelimit_allow(&rl))
            cr_warn("service", "the display thread is not answering: watchdog not fed");
        return G_SOURCE_CONTINUE;
    }
    if (cr_service_notify(s, "WATCHDOG=1"))
        s->pings++;
    return G_SOURCE_CONTINUE;
}

void cr_service_start_watchdog(struct cr_service *s, GMainContext *ctx)
{
    if (!s->watchdog || s->timer)
        return;
    guint interval_ms = (guint)CR_MAX(s->watchdog_usec / 4 / 1000, 1);
    s->timer = g_timeout_source_new(interval_ms);
    g_source_set_name(s->timer, "craie-watchdog");
    g_source_set_callback(s->timer, on_watchdog_tick, s, NULL);
    g_source_attach(s->timer, ctx);
    cr_info("service", "watchdog: %lld ms, pinged every %u ms",
            (long long)(s->watchdog_usec / 1000), interval_ms);
}

void cr_service_stop_watchdog(struct cr_service *s)
{
    if (!s->timer)
        return;
    g_source_destroy(s->timer);
    g_source_unref(s->timer);
    s->timer = NULL;
}

void cr_service_add_state(struct cr_service *s, JsonBuilder *b)
{
    json_builder_set_member_name(b, "service");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "systemd");
    json_builder_add_boolean_value(b, s->notify_socket != NULL);
    json_builder_set_member_name(b, "watchdog");
    json_builder_add_boolean_value(b, s->watchdog);
    json_builder_set_member_name(b, "watchdog_s");
    json_builder_add_double_value(b, (double)s->watchdog_usec / G_USEC_PER_SEC);
    json_builder_set_member_name(b, "restarted");
    json_builder_add_boolean_value(b, s->restarted);
    json_builder_set_member_name(b, "restarts");
    json_builder_add_int_value(b, s->restarts);
    json_builder_end_object(b);
}
