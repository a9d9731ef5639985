/* Casting in the composition root: starts the cast server on the io thread,
 * carries its status to the Tablettes screen (CR_EVENT_CAST_STATUS), and
 * runs the `cast ...` commands (control socket, buttons). */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/cast/cast_net.h"
#include "display/events.h"

/* --- io side -------------------------------------------------------------- */

/* Streaming thread: one event per taken frame (the slot coalesces). */
static void on_cast_frame(void *tile)
{
    cr_event_post(CR_EVENT_NEW_FRAME, tile, NULL);
}

static const struct cr_frame_slot_callbacks cast_slot_cbs = {.on_new_frame = on_cast_frame};

/* io thread */
static void on_cast_status(void *userdata, struct cr_cast_status *st)
{
    cr_event_post(CR_EVENT_CAST_STATUS, st, cr_cast_status_free);
}

static const struct cr_cast_server_callbacks cast_cbs = {.on_status = on_cast_status};

enum cast_op {
    OP_START,
    OP_APPROVE,
    OP_DENY,
    OP_REMOVE,
    OP_STOP_ALL,
    OP_NEW_CODE,
    OP_NEW_LESSON,
    OP_SIZE
};

struct cast_call {
    struct cr_app *app;
    enum cast_op op;
    unsigned id;
    int w, h;
    bool live;
};

static void start_server(struct cr_app *app)
{
    const struct cr_config *cfg = app->cfg;
    struct cr_cast_status *off = g_new0(struct cr_cast_status, 1);
    if (!cfg->cast.enabled) {
        cr_info("cast", "casting is off (cast.enabled = false)");
        on_cast_status(app, off);
        return;
    }
    char *cert = NULL, *key = NULL, *error = NULL;
    char **addresses = cr_cast_resolve_addresses(cfg->cast.interfaces);
    char *assets = cr_ui_assets_dir();
    char *web = g_build_filename(assets, "web", NULL);
    if (cr_cast_tls_files(cfg->cast.tls_cert, cfg->cast.tls_key, cfg->paths.state_dir, &cert, &key,
                          &error)) {
        struct cr_cast_server_options o = {.port = cfg->cast.port,
                                           .addresses = (const char *const *)addresses,
                                           .web_dir = web,
                                           .cert_file = cert,
                                           .key_file = key,
                                           .max_senders = (unsigned)cfg->cast.max_senders,
                                           .grace_us = (int64_t)cfg->cast.grace_s * G_USEC_PER_SEC,
                                           .stall_us = 2 * G_USEC_PER_SEC,
                                           .latency_ms = 100,
                                           .announce = true};
        cr_cast_guard_config_default(&o.guard);
        o.guard.code_digits = cfg->cast.code_digits;
        o.guard.rotate_us = (int64_t)cfg->cast.code_minutes * 60 * G_USEC_PER_SEC;
        int ports[8];
        size_t n_ports = 0;
        char **parts = g_strsplit_set(cfg->cast.srt_ports, ", ", -1);
        for (char **p = parts; *p && n_ports < G_N_ELEMENTS(ports); p++) {
            char *end = NULL;
            long v = **p ? strtol(*p, &end, 10) : 0;
            if (**p && (!end || *end || v < 1 || v > 65535))
                cr_warn("cast", "cast.srt_ports: not a port: %s", *p);
            else if (**p)
                ports[n_ports++] = (int)v;
        }
        g_strfreev(parts);
        o.srt_ports = ports;
        o.n_srt_ports = n_ports;
        struct cr_frame_slot *slots[CR_CAST_MAX_SENDERS];
        cr_cast_wall_slots(&app->cast_wall, slots);
        app->cast =
            cr_cast_server_new(app->io.ctx, &o, slots, CR_CAST_MAX_SENDERS, &cast_cbs, app, &error);
    }
    if (app->cast) {
        on_cast_status(app, cr_cast_server_status(app->cast));
        cr_cast_status_free(off);
    } else {
        cr_err("cast", "casting is not available: %s", error ? error : "?");
        on_cast_status(app, off);
    }
    g_free(error);
    g_free(cert);
    g_free(key);
    g_free(web);
    g_free(assets);
    g_strfreev(addresses);
}

/* io thread */
static gboolean io_cast_call(gpointer data)
{
    struct cast_call *c = data;
    struct cr_app *app = c->app;
    if (c->op == OP_START) {
        start_server(app);
        return G_SOURCE_REMOVE;
    }
    struct cr_cast_server *s = app->cast;
    if (!s)
        return G_SOURCE_REMOVE;
    switch (c->op) {
    case OP_START:
        break;
    case OP_APPROVE:
        cr_cast_server_approve(s, c->id);
        break;
    case OP_DENY:
        cr_cast_server_deny(s, c->id);
        break;
    case OP_REMOVE:
        cr_cast_server_remove(s, c->id);
        break;
    case OP_STOP_ALL:
        cr_cast_server_stop_all(s);
        break;
    case OP_NEW_CODE:
        cr_cast_server_new_code(s);
        break;
    case OP_NEW_LESSON: {
        struct cr_cast_status *st = cr_cast_server_status(s);
        if (st->n_senders == 0)
            cr_cast_server_new_code(s); /* a new lesson, a new code */
        cr_cast_status_free(st);
        break;
    }
    case OP_SIZE:
        cr_cast_server_set_size(s, c->id, c->w, c->h, c->live);
        break;
    }
    return G_SOURCE_REMOVE;
}

static void cast_call(struct cr_app *app, enum cast_op op, unsigned id, int w, int h, bool live)
{
    struct cast_call *c = g_new0(struct cast_call, 1);
    *c = (struct cast_call){app, op, id, w, h, live};
    cr_io_invoke(&app->io, io_cast_call, c, g_free);
}

void cr_app_cast_io_shutdown(struct cr_app *app)
{
    cr_cast_server_free(app->cast);
    app->cast = NULL;
}

/* --- UI side ----------------------------------------------------------------- */

static void request_size(void *userdata, unsigned id, int width, int height, bool live)
{
    cast_call(userdata, OP_SIZE, id, width, height, live);
}

void cr_app_cast_init(struct cr_app *app)
{
    cr_cast_wall_init(&app->cast_wall, &cast_slot_cbs, request_size, app);
}

void cr_app_cast_start(struct cr_app *app)
{
    cast_call(app, OP_START, 0, 0, 0, false);
}

void cr_app_cast_destroy(struct cr_app *app)
{
    cr_cast_wall_destroy(&app->cast_wall);
}

void cr_app_cast_opened(struct cr_app *app)
{
    cast_call(app, OP_NEW_LESSON, 0, 0, 0, false);
}

static size_t n_waiting(const struct cr_cast_status *st)
{
    size_t n = 0;
    for (size_t i = 0; st && i < st->n_senders; i++)
        n += !st->senders[i].approved;
    return n;
}

void cr_app_cast_status(struct cr_app *app, struct cr_cast_status *st)
{
    size_t waiting_before = n_waiting(app->cast_wall.status);
    size_t senders_before = app->cast_wall.status ? app->cast_wall.status->n_senders : 0;
    /* Someone asks while the teacher is elsewhere: say where to look. */
    if (n_waiting(st) > waiting_before && app->current != CR_SCREEN_TABLETS)
        cr_toast_show(&app->notice, _("A pupil wants to show their screen: open Tablets."),
                      cr_monotonic_us(), 5000);
    if (st->n_senders != senders_before || n_waiting(st) != waiting_before) {
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "senders");
        json_builder_add_int_value(b, (gint64)st->n_senders);
        json_builder_set_member_name(b, "waiting");
        json_builder_add_int_value(b, (gint64)n_waiting(st));
        json_builder_end_object(b);
        cr_app_broadcast(app, "cast-changed", json_builder_get_root(b));
        g_object_unref(b);
    }
    if (cr_cast_wall_set_status(&app->cast_wall, st)) {
        cr_toast_show(&app->notice, _("Too many wrong codes: joining is locked for a while."),
                      cr_monotonic_us(), 6000);
        cr_app_broadcast(app, "cast-locked", NULL);
    }
    if (app->current == CR_SCREEN_TABLETS)
        app->dirty = true;
}

/* --- commands ---------------------------------------------------------------- */

static JsonNode *sender_json(struct cr_app *app, const struct cr_cast_sender_info *s)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "id");
    json_builder_add_int_value(b, s->id);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, s->name);
    json_builder_set_member_name(b, "state");
    json_builder_add_string_value(b, cr_cast_state_name(s->state));
    json_builder_set_member_name(b, "kind");
    json_builder_add_string_value(b, s->kind);
    json_builder_set_member_name(b, "approved");
    json_builder_add_boolean_value(b, s->approved);
    json_builder_set_member_name(b, "connected");
    json_builder_add_boolean_value(b, s->connected);
    char *res = g_strdup_printf("%dx%d", s->width, s->height);
    json_builder_set_member_name(b, "resolution");
    json_builder_add_string_value(b, res);
    g_free(res);
    json_builder_set_member_name(b, "width");
    json_builder_add_int_value(b, s->width);
    json_builder_set_member_name(b, "height");
    json_builder_add_int_value(b, s->height);
    json_builder_set_member_name(b, "fps");
    json_builder_add_double_value(b, (double)(int)(s->fps * 10 + 0.5) / 10);
    json_builder_set_member_name(b, "codec");
    json_builder_add_string_value(b, s->codec);
    struct cr_tile *t = &app->cast_wall.tiles[s->slot];
    const struct cr_cast_wall_slot *sl = &app->cast_wall.slots[s->slot];
    json_builder_set_member_name(b, "frozen");
    json_builder_add_boolean_value(b, t->frozen);
    json_builder_set_member_name(b, "on_screen");
    json_builder_add_boolean_value(b, app->current == CR_SCREEN_TABLETS && sl->shown);
    json_builder_set_member_name(b, "frames_shown");
    json_builder_add_int_value(b, (gint64)t->uploads);
    if (app->current == CR_SCREEN_TABLETS && sl->shown) {
        json_builder_set_member_name(b, "rect");
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "x");
        json_builder_add_int_value(b, sl->cell.x);
        json_builder_set_member_name(b, "y");
        json_builder_add_int_value(b, sl->cell.y);
        json_builder_set_member_name(b, "w");
        json_builder_add_int_value(b, sl->cell.w);
        json_builder_set_member_name(b, "h");
        json_builder_add_int_value(b, sl->cell.h);
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
    JsonNode *n = json_builder_get_root(b);
    g_object_unref(b);
    return n;
}

static JsonNode *list_json(struct cr_app *app)
{
    JsonArray *a = json_array_new();
    const struct cr_cast_status *st = app->cast_wall.status;
    for (size_t i = 0; st && i < st->n_senders; i++)
        json_array_add_element(a, sender_json(app, &st->senders[i]));
    JsonNode *n = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(n, a);
    return n;
}

void cr_app_cast_add_state(struct cr_app *app, JsonBuilder *b)
{
    const struct cr_cast_status *st = app->cast_wall.status;
    json_builder_set_member_name(b, "cast");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "running");
    json_builder_add_boolean_value(b, st && st->running);
    if (st && st->running) {
        json_builder_set_member_name(b, "url");
        json_builder_add_string_value(b, st->url);
        json_builder_set_member_name(b, "port");
        json_builder_add_int_value(b, st->port);
        json_builder_set_member_name(b, "locked");
        json_builder_add_boolean_value(b, st->locked_until_us != 0);
    }
    json_builder_set_member_name(b, "focused");
    json_builder_add_int_value(b, app->cast_wall.focused);
    json_builder_set_member_name(b, "live");
    json_builder_add_int_value(b, (gint64)cr_cast_wall_n_live(&app->cast_wall));
    json_builder_set_member_name(b, "senders");
    json_builder_add_value(b, list_json(app));
    json_builder_end_object(b);
}

static bool parse_id(struct cr_app *app, char **args, unsigned n, unsigned *id, char **error)
{
    char *end = NULL;
    unsigned long v = n >= 2 ? strtoul(args[1], &end, 10) : 0;
    if (n < 2 || !end || *end || v == 0 || v > G_MAXUINT) {
        *error = g_strdup_printf("usage: cast %s ID", args[0]);
        return false;
    }
    if (!cr_cast_wall_sender(&app->cast_wall, (unsigned)v)) {
        *error = g_strdup_printf("no sender %lu (cast list)", v);
        return false;
    }
    *id = (unsigned)v;
    return true;
}

bool cr_app_cast_command(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    const char *sub = args[0];
    const struct cr_cast_status *st = app->cast_wall.status;
    unsigned id = 0;
    if (!st || !st->running) {
        *error = g_strdup("casting is not running (cast.enabled, or see the log)");
        return false;
    }
    app->dirty = true;
    if (!strcmp(sub, "code")) {
        *data = json_node_new(JSON_NODE_VALUE);
        json_node_set_string(*data, st->code);
    } else if (!strcmp(sub, "new-code")) {
        cast_call(app, OP_NEW_CODE, 0, 0, 0, false);
    } else if (!strcmp(sub, "list")) {
        *data = list_json(app);
    } else if (!strcmp(sub, "approve") || !strcmp(sub, "deny") || !strcmp(sub, "remove")) {
        if (!parse_id(app, args, n, &id, error))
            return false;
        bool approved = cr_cast_wall_sender(&app->cast_wall, id)->approved;
        if (!strcmp(sub, "approve") && !approved &&
            cr_cast_wall_n_live(&app->cast_wall) >= CR_CAST_MAX_LIVE) {
            *error =
                g_strdup_printf("%d screens are shown already: remove one first", CR_CAST_MAX_LIVE);
            return false;
        }
        cast_call(app,
                  !strcmp(sub, "approve") ? OP_APPROVE
                  : !strcmp(sub, "deny")  ? OP_DENY
                                          : OP_REMOVE,
                  id, 0, 0, false);
        if (app->cast_wall.focused == id && strcmp(sub, "approve"))
            app->cast_wall.focused = 0;
    } else if (!strcmp(sub, "focus")) {
        if (!parse_id(app, args, n, &id, error))
            return false;
        if (!cr_cast_wall_sender(&app->cast_wall, id)->approved) {
            *error = g_strdup_printf("sender %u is not on the board (cast approve %u)", id, id);
            return false;
        }
        app->cast_wall.focused = id;
    } else if (!strcmp(sub, "unfocus")) {
        app->cast_wall.focused = 0;
    } else if (!strcmp(sub, "freeze")) {
        if (!parse_id(app, args, n, &id, error))
            return false;
        struct cr_tile *t = cr_cast_wall_tile(&app->cast_wall, id);
        bool want = !t->frozen;
        if (n > 2 && !strcmp(args[2], "on"))
            want = true;
        else if (n > 2 && !strcmp(args[2], "off"))
            want = false;
        if (want && !cr_tile_has_image(t)) {
            *error = g_strdup("no picture to freeze yet");
            return false;
        }
        cr_tile_set_frozen(t, want);
    } else if (!strcmp(sub, "stop-all")) {
        app->cast_wall.focused = 0;
        cast_call(app, OP_STOP_ALL, 0, 0, 0, false);
    } else {
        *error = g_strdup_printf("unknown cast command: %s", sub);
        return false;
    }
    return true;
}
