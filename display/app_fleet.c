/* craiectl status, the metrics endpoint and the usage counts. */
#include "display/app_fleet.h"

#include <string.h>

#include "build_config.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/secret_file.h"
#include "common/usage.h"
#include "common/util.h"
#include "display/app.h"
#include "display/events.h"

/* --- set-up -------------------------------------------------------------- */

/* io thread */
static void on_scrape(void *userdata, uint64_t id)
{
    cr_event_post(CR_EVENT_METRICS_SCRAPE, g_memdup2(&id, sizeof(id)), g_free);
}

static const struct cr_metrics_server_callbacks metrics_cbs = {.on_scrape = on_scrape};

static void start_metrics(struct cr_app *app)
{
    const struct cr_config *cfg = app->cfg;
    if (!cfg->metrics.enabled)
        return;
    char *token = NULL;
    if (cfg->metrics.token_file && *cfg->metrics.token_file) {
        g_autoptr(GError) err = NULL;
        if (!cr_secret_file_read(cfg->metrics.token_file, &token, &err)) {
            cr_err("metrics", "metrics not served: the token file is refused: %s", err->message);
            return;
        }
    }
    g_autoptr(GError) err = NULL;
    app->fleet.metrics = cr_metrics_server_new(app->io.ctx, cfg->metrics.address, cfg->metrics.port,
                                               token, &metrics_cbs, app, &err);
    cr_secret_file_free(token);
    if (!app->fleet.metrics) {
        cr_err("metrics", "metrics not served on %s:%d: %s", cfg->metrics.address,
               cfg->metrics.port, err ? err->message : "?");
        return;
    }
    app->fleet.metrics_port = cr_metrics_server_port(app->fleet.metrics);
    cr_info("metrics", "metrics on http://%s:%d/metrics%s", cfg->metrics.address,
            app->fleet.metrics_port, cfg->metrics.token_file[0] ? " (bearer token)" : "");
}

void cr_app_fleet_init(struct cr_app *app)
{
    struct cr_app_fleet *f = &app->fleet;
    const char *state = app->cfg->paths.state_dir;
    f->start_us = cr_monotonic_us();
    f->runs = cr_metrics_count_run(state);
    g_autofree char *usage_path =
        state && *state ? g_build_filename(state, "usage.conf", NULL) : NULL;
    f->usage = cr_usage_new(usage_path);
    if (f->runs > 1)
        cr_info("metrics", "start number %" G_GUINT64_FORMAT " on this PC", (guint64)f->runs);
    start_metrics(app);
}

void cr_app_fleet_io_shutdown(struct cr_app *app)
{
    g_clear_pointer(&app->fleet.metrics, cr_metrics_server_free);
}

void cr_app_fleet_destroy(struct cr_app *app)
{
    g_clear_pointer(&app->fleet.usage, cr_usage_free);
}

/* --- counting ------------------------------------------------------------ */

static void count(struct cr_app *app, enum cr_usage_feature f)
{
    cr_usage_count(app->fleet.usage, f, NULL);
}

void cr_app_fleet_command_done(struct cr_app *app, char **argv, unsigned argc)
{
    const char *cmd = argv[0], *sub = argc > 1 ? argv[1] : "";
    if (!strcmp(cmd, "open")) {
        if (!strcmp(sub, "camera"))
            count(app, CR_USAGE_CAMERA);
        else if (!strcmp(sub, "whiteboard"))
            count(app, CR_USAGE_WHITEBOARD);
        else if (!strcmp(sub, "tablets"))
            count(app, CR_USAGE_TABLETS);
        else if (!strcmp(sub, "ent"))
            count(app, CR_USAGE_ENT);
        else if (!strcmp(sub, "settings"))
            count(app, CR_USAGE_SETTINGS);
    } else if (!strcmp(cmd, "camera") && !strcmp(sub, "snapshot")) {
        count(app, CR_USAGE_SNAPSHOT);
    } else if ((!strcmp(cmd, "camera") || !strcmp(cmd, "ink")) && !strcmp(sub, "save")) {
        count(app, CR_USAGE_SAVE);
    } else if (!strcmp(cmd, "calibrate") && !strcmp(sub, "save")) {
        count(app, CR_USAGE_CALIBRATION);
    }
}

static bool was_shown(const struct cr_cast_status *st, unsigned id)
{
    for (size_t i = 0; st && i < st->n_senders; i++)
        if (st->senders[i].id == id)
            return st->senders[i].approved;
    return false;
}

void cr_app_fleet_on_cast(struct cr_app *app, const struct cr_cast_status *st)
{
    const struct cr_cast_status *before = app->cast_wall.status;
    for (size_t i = 0; i < st->n_senders; i++) {
        if (!st->senders[i].approved || was_shown(before, st->senders[i].id))
            continue;
        app->fleet.cast_sessions++;
        count(app, CR_USAGE_CAST);
    }
}

void cr_app_fleet_on_ent(struct cr_app *app, const struct cr_ent_view *view)
{
    bool was_in = app->ent.view && app->ent.view->state == CR_ENT_SIGNED_IN;
    if (view->state == CR_ENT_SIGNED_IN && !was_in) {
        app->fleet.sign_ins++;
        count(app, CR_USAGE_ENT_SIGNIN);
    }
}

/* --- status -------------------------------------------------------------- */

static void add_source(JsonBuilder *b, const char *name, const char *state,
                       struct cr_frame_slot *slot, uint64_t shown)
{
    uint64_t pushed = 0, dropped = 0;
    cr_frame_slot_stats(slot, &pushed, &dropped);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, name);
    json_builder_set_member_name(b, "state");
    json_builder_add_string_value(b, state);
    json_builder_set_member_name(b, "frames_pushed");
    json_builder_add_int_value(b, (gint64)pushed);
    json_builder_set_member_name(b, "frames_dropped");
    json_builder_add_int_value(b, (gint64)dropped);
    json_builder_set_member_name(b, "frames_shown");
    json_builder_add_int_value(b, (gint64)shown);
    json_builder_end_object(b);
}

static void add_sources(struct cr_app *app, JsonBuilder *b)
{
    json_builder_set_member_name(b, "sources");
    json_builder_begin_array(b);
    add_source(b, "camera", cr_camera_state_name(app->camera_screen.status.state),
               &app->camera_tile.slot, app->camera_tile.uploads);
    const struct cr_cast_status *st = app->cast_wall.status;
    for (size_t i = 0; st && i < st->n_senders; i++) {
        const struct cr_cast_sender_info *s = &st->senders[i];
        if (s->slot >= CR_CAST_MAX_SENDERS)
            continue;
        /* the pupil's first name stays on the board: the source is its number */
        g_autofree char *name = g_strdup_printf("cast/%u", s->id);
        struct cr_tile *t = &app->cast_wall.tiles[s->slot];
        add_source(b, name, s->approved ? "shown" : "waiting", &t->slot, t->uploads);
    }
    json_builder_end_array(b);
}

static void add_inputs(struct cr_app *app, JsonBuilder *b)
{
    g_autofree char *output = cr_app_output_key(app);
    int64_t now = g_get_real_time() / G_USEC_PER_SEC;
    json_builder_set_member_name(b, "inputs");
    json_builder_begin_array(b);
    for (guint i = 0; app->devices && i < app->devices->len; i++) {
        const struct cr_app_device *d = &g_array_index(app->devices, struct cr_app_device, i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, d->info.name);
        json_builder_set_member_name(b, "key");
        json_builder_add_string_value(b, d->info.key);
        json_builder_set_member_name(b, "kind");
        json_builder_add_string_value(b, d->info.caps & CR_INPUT_CAP_PEN     ? "pen"
                                         : d->info.caps & CR_INPUT_CAP_TOUCH ? "touch"
                                                                             : "other");
        json_builder_set_member_name(b, "calibrated");
        json_builder_add_boolean_value(b, d->has_calib);
        json_builder_set_member_name(b, "calibration");
        json_builder_add_string_value(b,
                                      d->has_calib ? cr_calib_model_name(d->calib.model) : "none");
        int64_t saved = cr_calib_store_saved_at(app->calibs, d->info.key, output);
        json_builder_set_member_name(b, "calibration_age_s");
        if (d->has_calib && saved > 0)
            json_builder_add_int_value(b, CR_MAX(now - saved, 0));
        else
            json_builder_add_null_value(b);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

static void add_errors(JsonBuilder *b)
{
    struct cr_log_kind kinds[CR_LOG_MAX_KINDS];
    size_t n = cr_log_error_kinds(kinds, CR_LOG_MAX_KINDS);
    json_builder_set_member_name(b, "errors");
    json_builder_begin_object(b);
    for (size_t i = 0; i < n; i++) {
        json_builder_set_member_name(b, kinds[i].kind);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "warnings");
        json_builder_add_int_value(b, (gint64)kinds[i].warnings);
        json_builder_set_member_name(b, "errors");
        json_builder_add_int_value(b, (gint64)kinds[i].errors);
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
}

static void add_usage(struct cr_app *app, JsonBuilder *b)
{
    json_builder_set_member_name(b, "usage_today");
    json_builder_begin_object(b);
    for (int f = 0; f < CR_USAGE_COUNT; f++) {
        json_builder_set_member_name(b, cr_usage_feature_name(f));
        json_builder_add_int_value(b, (gint64)cr_usage_get(app->fleet.usage, f, NULL));
    }
    json_builder_end_object(b);
    json_builder_set_member_name(b, "usage_total");
    json_builder_begin_object(b);
    for (int f = 0; f < CR_USAGE_COUNT; f++) {
        json_builder_set_member_name(b, cr_usage_feature_name(f));
        json_builder_add_int_value(b, (gint64)cr_usage_total(app->fleet.usage, f));
    }
    json_builder_end_object(b);
}

JsonNode *cr_app_status(struct cr_app *app)
{
    struct cr_app_fleet *f = &app->fleet;
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "version");
    json_builder_add_string_value(b, CR_VERSION);
    json_builder_set_member_name(b, "uptime_s");
    json_builder_add_int_value(b, (cr_monotonic_us() - f->start_us) / 1000000);
    json_builder_set_member_name(b, "runs");
    json_builder_add_int_value(b, (gint64)f->runs);
    json_builder_set_member_name(b, "screen");
    json_builder_add_string_value(b, cr_screen_id_name(app->current));
    add_sources(app, b);
    add_inputs(app, b);

    json_builder_set_member_name(b, "ent");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "configured");
    json_builder_add_boolean_value(b, app->ent.configured);
    json_builder_set_member_name(b, "signed_in"); /* never who */
    json_builder_add_boolean_value(b, app->ent.view && app->ent.view->state == CR_ENT_SIGNED_IN);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "cast");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "running");
    json_builder_add_boolean_value(b, app->cast_wall.status && app->cast_wall.status->running);
    json_builder_set_member_name(b, "port");
    json_builder_add_int_value(b, app->cast_wall.status ? app->cast_wall.status->port : 0);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "counters");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "cast_sessions");
    json_builder_add_int_value(b, (gint64)f->cast_sessions);
    json_builder_set_member_name(b, "sign_ins");
    json_builder_add_int_value(b, (gint64)f->sign_ins);
    json_builder_end_object(b);

    add_errors(b);
    add_usage(app, b);

    json_builder_set_member_name(b, "metrics");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "enabled");
    json_builder_add_boolean_value(b, f->metrics_port > 0);
    json_builder_set_member_name(b, "address");
    json_builder_add_string_value(b, app->cfg->metrics.address);
    json_builder_set_member_name(b, "port");
    json_builder_add_int_value(b, f->metrics_port);
    json_builder_set_member_name(b, "token");
    json_builder_add_boolean_value(b, app->cfg->metrics.token_file[0] != '\0');
    json_builder_end_object(b);

    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    g_object_unref(b);
    return root;
}

bool cr_app_status_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                           char **error)
{
    *data = cr_app_status(app);
    return true;
}

bool cr_app_usage_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                          char **error)
{
    if (n == 1 && strcmp(args[0], "--csv") && strcmp(args[0], "csv")) {
        *error = g_strdup("usage: usage [--csv]");
        return false;
    }
    if (n == 1) {
        g_autofree char *csv = cr_usage_csv(app->fleet.usage);
        *data = json_node_init_string(json_node_alloc(), csv);
        return true;
    }
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    add_usage(app, b);
    json_builder_end_object(b);
    *data = json_builder_get_root(b);
    g_object_unref(b);
    return true;
}

/* --- metrics --------------------------------------------------------------- */

struct scrape_answer {
    struct cr_app *app;
    uint64_t id;
    char *text;
};

static void scrape_answer_free(void *p)
{
    struct scrape_answer *a = p;
    g_free(a->text);
    g_free(a);
}

/* io thread */
static gboolean io_answer(gpointer data)
{
    struct scrape_answer *a = data;
    if (a->app->fleet.metrics) {
        cr_metrics_server_answer(a->app->fleet.metrics, a->id, a->text);
        a->text = NULL;
    }
    return G_SOURCE_REMOVE;
}

void cr_app_fleet_on_scrape(struct cr_app *app, const uint64_t *id)
{
    JsonNode *status = cr_app_status(app);
    struct scrape_answer *a = g_new0(struct scrape_answer, 1);
    a->app = app;
    a->id = *id;
    a->text = cr_metrics_format(json_node_get_object(status));
    json_node_unref(status);
    cr_io_invoke(&app->io, io_answer, a, scrape_answer_free);
}
