/* Logging: GLib structured logging with a per-module tag ("camera", "ipc",
 * "cast/3"). Under systemd the records go to journald with a CRAIE_MODULE
 * field; otherwise one line per record on stderr: "craie[camera] W: text".
 * Thread-safe. Never log a secret, a token or a pupil's name at info. */
#ifndef CR_LOG_H
#define CR_LOG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

void cr_log_init(bool verbose);
void cr_log_set_verbose(bool verbose);
bool cr_log_is_verbose(void);

void cr_log(GLogLevelFlags level, const char *module, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void cr_logv(GLogLevelFlags level, const char *module, const char *fmt, va_list ap);

#define cr_debug(mod, ...) cr_log(G_LOG_LEVEL_DEBUG, (mod), __VA_ARGS__)
#define cr_info(mod, ...) cr_log(G_LOG_LEVEL_INFO, (mod), __VA_ARGS__)
#define cr_notice(mod, ...) cr_log(G_LOG_LEVEL_MESSAGE, (mod), __VA_ARGS__)
#define cr_warn(mod, ...) cr_log(G_LOG_LEVEL_WARNING, (mod), __VA_ARGS__)
#define cr_err(mod, ...) cr_log(G_LOG_LEVEL_CRITICAL, (mod), __VA_ARGS__)

/* The last log lines (info and above), oldest first, as
 * "HH:MM:SS module L: text": at most max of the CR_LOG_RECENT kept.
 * NULL-terminated, g_strfreev. For the technician's Journal page. */
#define CR_LOG_RECENT 200
char **cr_log_recent(unsigned max);

/* Warnings and errors counted by kind (the module before any '/': "cast/3"
 * counts as "cast"), since the start. */
#define CR_LOG_MAX_KINDS 32
struct cr_log_kind {
    char kind[24];
    uint64_t warnings, errors;
};
/* Copies up to max kinds (in order of first appearance); returns how many. */
size_t cr_log_error_kinds(struct cr_log_kind *out, size_t max);

/* Rate limit for hot paths: at most `burst` messages per `interval_us`.
 * Not thread-safe: one per call site and thread. */
struct cr_ratelimit {
    int64_t interval_us;
    unsigned burst;
    int64_t window_start;
    unsigned count;
    unsigned suppressed;
};

#define CR_RATELIMIT_INIT(interval_ms, burst_)                                                     \
    {                                                                                              \
        (int64_t)(interval_ms) * 1000, (burst_), 0, 0, 0                                           \
    }

/* True when a message may be logged now. */
bool cr_ratelimit_allow(struct cr_ratelimit *rl);

#endif
