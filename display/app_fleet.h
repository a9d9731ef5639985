/* What the technician sees of a running craie: craiectl status, the
 * metrics endpoint, the anonymous usage counts. Part of the composition
 * root (display/app.c owns a struct cr_app_fleet). */
#ifndef CR_APP_FLEET_H
#define CR_APP_FLEET_H

#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

struct cr_app;
struct cr_cast_status;
struct cr_ent_view;
struct cr_usage;
struct cr_metrics_server;

struct cr_app_fleet {
    /* UI thread */
    int64_t start_us;       /* monotonic, at start */
    uint64_t runs;          /* starts on this PC, this one included */
    uint64_t cast_sessions; /* pupils' screens shown since start */
    uint64_t sign_ins;      /* ENT sign-ins since start */
    struct cr_usage *usage;
    int metrics_port; /* 0: not served */
    /* created before the io thread, then used from it only */
    struct cr_metrics_server *metrics;
};

void cr_app_fleet_init(struct cr_app *app);        /* UI thread, before the io thread */
void cr_app_fleet_io_shutdown(struct cr_app *app); /* io thread */
void cr_app_fleet_destroy(struct cr_app *app);     /* UI thread, after the io thread */

/* A command ran successfully (argv as given): counts the feature used. */
void cr_app_fleet_command_done(struct cr_app *app, char **argv, unsigned argc);
/* Before the UI takes a new cast status / ENT view: counts what started. */
void cr_app_fleet_on_cast(struct cr_app *app, const struct cr_cast_status *st);
void cr_app_fleet_on_ent(struct cr_app *app, const struct cr_ent_view *view);
/* CR_EVENT_METRICS_SCRAPE: answers the scrape (payload: its uint64_t id). */
void cr_app_fleet_on_scrape(struct cr_app *app, const uint64_t *id);

/* craiectl status: version, uptime_s, screen, sources, inputs, ent, errors … */
JsonNode *cr_app_status(struct cr_app *app);
bool cr_app_status_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                           char **error);
/* "usage [--csv]" */
bool cr_app_usage_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                          char **error);

#endif
