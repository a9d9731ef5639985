/* The metrics endpoint: GET /metrics in the Prometheus text format (0.0.4),
 * served by libsoup on the io thread's GMainContext. By default on
 * 127.0.0.1:9464 only; with metrics.token_file a scrape must carry
 * "Authorization: Bearer TOKEN". The numbers are the UI thread's (the
 * status of craiectl status): a scrape asks it (on_scrape) and the answer
 * comes back with cr_metrics_server_answer(). */
#ifndef CR_METRICS_H
#define CR_METRICS_H

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

/* --- the text format (pure, unit-tested) --- */

/* Prometheus text from craie's status object (cr_app_status): uptime,
 * runs/restarts, frames per source, cast sessions, sign-ins, errors by
 * kind, calibration age, feature uses. g_free. */
char *cr_metrics_format(JsonObject *status);
/* A label value escaped as the format wants (\\, \", \n). g_free. */
char *cr_metrics_escape_label(const char *value);

/* --- restarts --- */

/* Adds one to STATE_DIR/runs and returns the new count (1 on the first
 * start, or when the folder cannot be written: logged). */
uint64_t cr_metrics_count_run(const char *state_dir);

/* --- the server (io thread) --- */

struct cr_metrics_server;

struct cr_metrics_server_callbacks {
    /* io thread: an authorised scrape waits for its text; answer id with
     * cr_metrics_server_answer (on the io thread). */
    void (*on_scrape)(void *userdata, uint64_t id);
};

/* Listens on address:port (port 0: a free port, see _port()). token: the
 * bearer token required, or NULL for none (copied). NULL with *error when
 * it cannot listen. */
struct cr_metrics_server *cr_metrics_server_new(GMainContext *ctx, const char *address, int port,
                                                const char *token,
                                                const struct cr_metrics_server_callbacks *cbs,
                                                void *userdata, GError **error);
int cr_metrics_server_port(const struct cr_metrics_server *s);
/* Sends text (owned) to the scrape id; dropped when that client went. */
void cr_metrics_server_answer(struct cr_metrics_server *s, uint64_t id, char *text);
/* Scrapes still waiting get 503. */
void cr_metrics_server_free(struct cr_metrics_server *s);

#endif
