/* Running as a systemd service (craie.service, Type=notify): systemd's
 * notification protocol without libsystemd, the watchdog, and the restart
 * marker.
 *
 * - Notifications (sd_notify(3)): one datagram to $NOTIFY_SOCKET, a path or
 *   an abstract socket ("@name"), "READY=1", "STOPPING=1", "WATCHDOG=1".
 * - Watchdog ($WATCHDOG_USEC, for this process when $WATCHDOG_PID is set):
 *   once craie is ready, the io thread pings every quarter of the period, but
 *   only while the UI thread's heartbeat (one per loop turn) is younger than
 *   half of it. A hung io thread sends nothing, a hung UI thread stops the
 *   pings: either way systemd restarts craie. systemd's watchdog runs from
 *   the start of the process, though, and a first start (GStreamer's plugin
 *   registry, the first frame on a slow PC) may take longer than the period:
 *   until ready, a small thread of its own pings, and TimeoutStartSec bounds
 *   a start that hangs.
 * - Restart marker: $RUNTIME_DIRECTORY/running (/run/craie, kept across
 *   restarts by RuntimeDirectoryPreserve=restart) exists while craie runs
 *   and is removed at a clean exit; found at start, it means that this craie
 *   replaces one that failed.
 *
 * Threads: init, destroy and the marker on the UI thread before the io
 * thread starts / after it is joined; heartbeat on the UI thread; the
 * watchdog timer on the io thread; notify from any thread. */
#ifndef CR_SERVICE_H
#define CR_SERVICE_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

struct cr_service {
    char *notify_socket;   /* $NOTIFY_SOCKET, or NULL when not under systemd */
    bool watchdog;         /* enabled: $WATCHDOG_USEC set (and meant for us) */
    int64_t watchdog_usec; /* the period systemd kills after; 0 when disabled */
    int64_t heartbeat_us;  /* the UI's last heartbeat (monotonic); atomic */
    uint64_t pings;        /* WATCHDOG=1 sent (io thread only) */
    int send_failed;       /* a send failed already (logged once); atomic */
    char *marker;          /* the restart marker's path, or NULL */
    bool restarted;        /* this craie replaces one that failed */
    unsigned restarts;     /* failures since the runtime folder was made */
    GSource *timer;        /* the watchdog timer on the io context, or NULL */
    int ready;             /* READY=1 sent; atomic */
    GThread *startup;      /* pings until ready, or NULL */
    GMutex startup_lock;
    GCond startup_cond;
    bool startup_done; /* protected by startup_lock */
    int startup_pings; /* WATCHDOG=1 sent by the start-up thread; atomic */
};

/* Reads the environment ($NOTIFY_SOCKET, $WATCHDOG_USEC, $WATCHDOG_PID,
 * $RUNTIME_DIRECTORY) and writes the restart marker (reading the previous
 * one's count first). The first heartbeat is now. */
void cr_service_init(struct cr_service *s);
/* Clean exit (the process status is 0): removes the marker. Always frees. */
void cr_service_destroy(struct cr_service *s, bool clean_exit);

/* Start-up is over (the launcher is on screen): sends "READY=1" and status
 * ("STATUS=…" lines, or NULL), and the io thread's gated pings take over. */
void cr_service_ready(struct cr_service *s, const char *status);
/* Sends one notification ("READY=1", several lines allowed); false if not
 * under systemd or the send failed (logged once per kind of failure). */
bool cr_service_notify(struct cr_service *s, const char *message);
/* UI thread, each loop turn. */
void cr_service_heartbeat(struct cr_service *s, int64_t now_us);
/* True when the UI's heartbeat is recent enough for a ping at now_us. */
bool cr_service_ui_alive(struct cr_service *s, int64_t now_us);
/* The longest the UI loop may sleep between heartbeats, in ms; -1 when the
 * watchdog is off (no limit). */
int cr_service_max_wait_ms(const struct cr_service *s);
/* Starts pinging from ctx (the io thread's context), or does nothing when
 * the watchdog is off. */
void cr_service_start_watchdog(struct cr_service *s, GMainContext *ctx);
/* io thread: stops the timer. */
void cr_service_stop_watchdog(struct cr_service *s);
/* UI thread: adds "service": {"systemd", "watchdog", "watchdog_s",
 * "restarted", "restarts"} to an open object. */
void cr_service_add_state(struct cr_service *s, JsonBuilder *b);

/* sd_notify's transport: sends message as one datagram to socket_path ("/…"
 * or "@abstract"). Returns 0 or a negative errno. */
int cr_notify_send(const char *socket_path, const char *message);
/* Parses a positive decimal number of microseconds ($WATCHDOG_USEC); 0 when
 * absent or invalid. */
int64_t cr_service_parse_usec(const char *text);

#endif
