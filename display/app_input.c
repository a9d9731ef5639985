/* Input devices in the app: libinput's adapter on the io thread, the
 * calibration stage (raw device position → screen pixels, per device and
 * output), device roles, the calibration screen's commands, the first-plug
 * offer and the drift watch. */
#include <fnmatch.h>
#include <math.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/events.h"

/* The window system's copy of a touch libinput already gave us arrives
 * within this time. */
#define DUPLICATE_WINDOW_US 300000
#define DRIFT_MIN_SAMPLES 10
/* Buttons larger than this (design px) are not aimed at their centre. */
#define DRIFT_MAX_BUTTON 420

/* --- io side ------------------------------------------------------------ */

static void li_event(void *user, const struct cr_input_event *ev)
{
    cr_event_post(CR_EVENT_INPUT, g_memdup2(ev, sizeof(*ev)), g_free);
}

static void li_device_added(void *user, const struct cr_input_device_info *info)
{
    struct cr_app_device_msg *msg = g_new0(struct cr_app_device_msg, 1);
    msg->added = true;
    msg->info = *info;
    cr_event_post(CR_EVENT_INPUT_DEVICE, msg, g_free);
}

static void li_device_removed(void *user, uint32_t id)
{
    struct cr_app_device_msg *msg = g_new0(struct cr_app_device_msg, 1);
    msg->info.id = id;
    cr_event_post(CR_EVENT_INPUT_DEVICE, msg, g_free);
}

static const struct cr_li_callbacks li_cbs = {
    .event = li_event, .device_added = li_device_added, .device_removed = li_device_removed};

static gboolean io_input_start(gpointer data)
{
    struct cr_app *app = data;
    GError *err = NULL;
    app->li = cr_li_adapter_new(app->io.ctx, app->cfg->input.seat, app->quirks, &li_cbs, app, &err);
    if (!app->li) {
        cr_warn("input", "pens and touch screens are read by the window system only: %s",
                err ? err->message : "libinput unavailable");
        g_clear_error(&err);
    }
    return G_SOURCE_REMOVE;
}

void cr_app_input_io_shutdown(struct cr_app *app)
{
    g_clear_pointer(&app->li, cr_li_adapter_free);
}

struct raw_call {
    struct cr_app *app;
    uint32_t id;
    bool raw;
};

static gboolean io_use_raw(gpointer data)
{
    struct raw_call *c = data;
    if (c->app->li && !cr_li_adapter_use_raw(c->app->li, c->id, c->raw))
        cr_debug("input", "device %u: cannot switch raw positions %s", c->id,
                 c->raw ? "on" : "off");
    return G_SOURCE_REMOVE;
}

static void set_raw(struct cr_app *app, uint32_t id, bool raw)
{
    if (id < CR_INPUT_DEVICE_FIRST)
        return;
    struct raw_call *c = g_new(struct raw_call, 1);
    *c = (struct raw_call){app, id, raw};
    cr_io_invoke(&app->io, io_use_raw, c, g_free);
}

/* --- set-up ------------------------------------------------------------- */

void cr_app_input_init(struct cr_app *app)
{
    app->devices = g_array_new(FALSE, TRUE, sizeof(struct cr_app_device));
    g_autofree char *dir = app->cfg->paths.state_dir && *app->cfg->paths.state_dir
                               ? g_build_filename(app->cfg->paths.state_dir, "calibration", NULL)
                               : NULL;
    app->calibs = cr_calib_store_new(dir);
    app->quirks = cr_quirks_new();
    g_autofree char *assets = cr_ui_assets_dir();
    g_autofree char *shipped = g_build_filename(assets, "quirks", NULL);
    cr_quirks_load_dir(app->quirks, shipped);
    if (app->cfg->input.quirks_dir && *app->cfg->input.quirks_dir)
        cr_quirks_load_dir(app->quirks, app->cfg->input.quirks_dir);
    cr_calibration_screen_init(&app->calibration);
}

void cr_app_input_start(struct cr_app *app)
{
    if (app->cfg->input.libinput)
        cr_app_io(app, io_input_start);
    else
        cr_info("input", "libinput is off (input.libinput = false)");
}

void cr_app_input_destroy(struct cr_app *app)
{
    cr_calibration_screen_destroy(&app->calibration);
    g_clear_pointer(&app->devices, g_array_unref);
    g_clear_pointer(&app->calibs, cr_calib_store_free);
    g_clear_pointer(&app->quirks, cr_quirks_free);
}

char *cr_app_output_key(const struct cr_app *app)
{
    return g_strdup_printf("%dx%d", app->screen.width, app->screen.height);
}

/* --- devices ------------------------------------------------------------ */

static struct cr_app_device *find_device(struct cr_app *app, uint32_t id)
{
    for (guint i = 0; i < app->devices->len; i++) {
        struct cr_app_device *d = &g_array_index(app->devices, struct cr_app_device, i);
        if (d->info.id == id)
            return d;
    }
    return NULL;
}

/* input.roles: "PATTERN=ROLE, PATTERN=ROLE"; the first match wins. */
static void role_for(const char *roles, const char *name, char *out, size_t size)
{
    out[0] = '\0';
    if (!roles || !*roles)
        return;
    g_auto(GStrv) items = g_strsplit(roles, ",", -1);
    for (char **it = items; *it; it++) {
        char *eq = strrchr(*it, '=');
        if (!eq)
            continue;
        *eq = '\0';
        g_autofree char *pattern = g_strstrip(g_strdup(*it));
        g_autofree char *role = g_strstrip(g_strdup(eq + 1));
        if (*pattern && fnmatch(pattern, name, 0) == 0) {
            if (strcmp(role, "pen") && strcmp(role, "pen2") && strcmp(role, "touch") &&
                strcmp(role, "ignore")) {
                cr_warn("input",
                        "input.roles: unknown role \"%s\" for \"%s\" (pen, pen2, touch, "
                        "ignore)",
                        role, pattern);
                continue;
            }
            g_strlcpy(out, role, size);
            return;
        }
    }
}

static bool wants_calibration(const struct cr_app_device *d)
{
    return d->info.direct && d->info.calibratable &&
           (d->info.caps & (CR_INPUT_CAP_TOUCH | CR_INPUT_CAP_PEN)) && strcmp(d->role, "ignore");
}

static void broadcast_device(struct cr_app *app, const struct cr_input_device_info *info,
                             bool added)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "added");
    json_builder_add_boolean_value(b, added);
    json_builder_set_member_name(b, "id");
    json_builder_add_int_value(b, info->id);
    if (added) {
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, info->name);
        json_builder_set_member_name(b, "key");
        json_builder_add_string_value(b, info->key);
    }
    json_builder_end_object(b);
    cr_app_broadcast(app, "input-device", json_builder_get_root(b));
    g_object_unref(b);
}

enum { OFFER_NEW = 1, OFFER_DRIFT = 2 };

/* The offer for a device, or a note to make it once nothing else is on the
 * board: a "Clear everything?" panel or a calibration under way must not
 * swallow it. */
static void offer_calibration(struct cr_app *app, struct cr_app_device *d, int kind, int offset)
{
    d->offered = true;
    if (cr_calibration_screen_active(&app->calibration) || app->notice.visible) {
        d->offer_pending = kind;
        d->offer_offset_px = offset;
        return;
    }
    d->offer_pending = 0;
    g_autofree char *body =
        kind == OFFER_NEW
            ? g_strdup_printf(_("\"%s\" has never been calibrated on this board. "
                                "Calibrating takes a minute: touch a few crosses with the pen."),
                              d->info.name)
            : g_strdup_printf(_("Your touches land about %d pixels away from the buttons. "
                                "Calibrating again takes a minute."),
                              offset);
    cr_notice_show(&app->notice, "target",
                   kind == OFFER_NEW ? _("New pen or touch screen") : _("The pen seems off target"),
                   body, N_("Calibrate"), "calibrate start");
    cr_notice_set_close_label(&app->notice, N_("Later"));
    app->dirty = true;
}

void cr_app_input_offer_pending(struct cr_app *app)
{
    if (app->notice.visible || cr_calibration_screen_active(&app->calibration))
        return;
    for (guint i = 0; i < app->devices->len; i++) {
        struct cr_app_device *d = &g_array_index(app->devices, struct cr_app_device, i);
        if (d->offer_pending && (d->offer_pending == OFFER_DRIFT || !d->has_calib)) {
            offer_calibration(app, d, d->offer_pending, d->offer_offset_px);
            return;
        }
        d->offer_pending = 0;
    }
}

void cr_app_on_device_msg(struct cr_app *app, struct cr_app_device_msg *msg)
{
    if (!msg->added) {
        struct cr_app_device *d = find_device(app, msg->info.id);
        if (!d)
            return;
        cr_info("input", "device gone: %s", d->info.name);
        if (cr_calibration_screen_active(&app->calibration) && app->calibration.have_device &&
            app->calibration.device.id == d->info.id) {
            cr_calibration_screen_stop(&app->calibration);
            cr_toast_show(&app->notice, _("The device being calibrated was unplugged."),
                          cr_monotonic_us(), 6000);
        }
        broadcast_device(app, &d->info, false);
        g_array_remove_index(app->devices, (guint)(d - (struct cr_app_device *)app->devices->data));
        cr_gesture_reset(&app->gestures); /* its contacts are gone */
        app->dirty = true;
        return;
    }
    if (find_device(app, msg->info.id))
        return;
    struct cr_app_device d = {.info = msg->info};
    role_for(app->cfg->input.roles, d.info.name, d.role, sizeof(d.role));
    g_autofree char *output = cr_app_output_key(app);
    d.has_calib = cr_calib_store_get(app->calibs, d.info.key, output, &d.calib);
    cr_info("input", "device: %s (%s)%s%s%s", d.info.name, d.info.key,
            d.has_calib ? ", calibrated" : "", d.role[0] ? ", role " : "", d.role);
    if (d.info.caps & CR_INPUT_CAP_TOUCH)
        app->li_has_touch = true;
    g_array_append_val(app->devices, d);
    struct cr_app_device *dp = find_device(app, d.info.id);
    if (d.has_calib)
        set_raw(app, d.info.id, true);
    broadcast_device(app, &d.info, true);
    if (!d.has_calib && wants_calibration(dp) && app->cfg->input.offer_calibration)
        offer_calibration(app, dp, OFFER_NEW, 0);
}

bool cr_app_window_input_is_duplicate(struct cr_app *app, bool touch)
{
    if (touch && app->li_has_touch)
        return true;
    return app->li_last_event_us && cr_monotonic_us() - app->li_last_event_us < DUPLICATE_WINDOW_US;
}

/* --- the calibration stage ---------------------------------------------- */

static void apply_calib(const struct cr_app *app, const struct cr_calib *c, double rx, double ry,
                        double *x, double *y)
{
    double sx, sy;
    cr_calib_apply(c, rx, ry, &sx, &sy);
    /* made for another output size: scale (same screen, another mode) */
    *x = c->width > 0 ? sx * app->screen.width / c->width : sx;
    *y = c->height > 0 ? sy * app->screen.height / c->height : sy;
}

void cr_app_device_input(struct cr_app *app, struct cr_input_event *ev)
{
    struct cr_app_device *d = find_device(app, ev->device_id);
    if (d && d->role[0]) {
        if (!strcmp(d->role, "ignore"))
            return;
        if (!strcmp(d->role, "touch") && ev->kind == CR_INPUT_PEN)
            ev->kind = CR_INPUT_TOUCH;
        else if (!strcmp(d->role, "pen") || !strcmp(d->role, "pen2")) {
            if (ev->kind == CR_INPUT_TOUCH) {
                if (ev->slot != 0)
                    return; /* a stylus on a touch frame: one point */
                ev->kind = CR_INPUT_PEN;
            }
            if (!strcmp(d->role, "pen2"))
                ev->tool_id |= CR_INPUT_TOOL_SECOND_PEN;
        }
    }
    if (ev->raw_x >= 0 && ev->raw_y >= 0) {
        const struct cr_calib *c =
            d && d->has_calib ? &d->calib
            : ev->device_id == CR_INPUT_DEVICE_INJECTED && app->injected_has_calib
                ? &app->injected_calib
                : NULL;
        if (c) {
            apply_calib(app, c, ev->raw_x, ev->raw_y, &ev->x, &ev->y);
        } else {
            ev->x = ev->raw_x * app->screen.width;
            ev->y = ev->raw_y * app->screen.height;
        }
    }
    if (ev->device_id >= CR_INPUT_DEVICE_FIRST)
        app->li_last_event_us = cr_monotonic_us();

    if (cr_calibration_screen_active(&app->calibration)) {
        const char *action = cr_calibration_screen_input(&app->calibration, ev, d ? &d->info : NULL,
                                                         cr_monotonic_us());
        app->dirty = true;
        if (action)
            cr_app_action(app, action);
        return;
    }
    if (ev->action == CR_INPUT_DOWN)
        app->last_down_device = ev->device_id;
    cr_app_feed_input(app, ev);
}

/* --- drift -------------------------------------------------------------- */

void cr_app_drift_observe(struct cr_app *app, int x, int y, struct cr_rect button)
{
    struct cr_app_device *d = find_device(app, app->last_down_device);
    double scale = app->screen.scale > 0 ? app->screen.scale : 1.0;
    if (!d || !wants_calibration(d) || app->cfg->input.drift_px <= 0 || d->offered ||
        button.w > DRIFT_MAX_BUTTON * scale || button.h > DRIFT_MAX_BUTTON * scale)
        return;
    double ox = (x - (button.x + button.w / 2.0)) / scale;
    double oy = (y - (button.y + button.h / 2.0)) / scale;
    d->drift[d->drift_next][0] = ox;
    d->drift[d->drift_next][1] = oy;
    d->drift_next = (d->drift_next + 1) % CR_DRIFT_SAMPLES;
    d->n_drift = CR_MIN(d->n_drift + 1, CR_DRIFT_SAMPLES);
    if (d->n_drift < DRIFT_MIN_SAMPLES)
        return;

    double mx = 0, my = 0, vx = 0, vy = 0;
    for (unsigned i = 0; i < d->n_drift; i++) {
        mx += d->drift[i][0];
        my += d->drift[i][1];
    }
    mx /= d->n_drift;
    my /= d->n_drift;
    for (unsigned i = 0; i < d->n_drift; i++) {
        vx += (d->drift[i][0] - mx) * (d->drift[i][0] - mx);
        vy += (d->drift[i][1] - my) * (d->drift[i][1] - my);
    }
    double offset = hypot(mx, my), spread = sqrt((vx + vy) / d->n_drift);
    /* Persistent: the mean offset is past the threshold and larger than the
     * scatter of the taps around it (a steady shift, not clumsy taps). */
    if (offset < app->cfg->input.drift_px || spread > offset)
        return;
    cr_info("input", "%s: taps land %.0f px (design) from their targets: offering calibration",
            d->info.name, offset);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "device");
    json_builder_add_string_value(b, d->info.name);
    json_builder_set_member_name(b, "offset_px");
    json_builder_add_double_value(b, offset);
    json_builder_end_object(b);
    cr_app_broadcast(app, "drift", json_builder_get_root(b));
    g_object_unref(b);
    offer_calibration(app, d, OFFER_DRIFT, (int)lround(offset));
}

/* --- commands ----------------------------------------------------------- */

static void raw_for_calibration(struct cr_app *app, bool on)
{
    for (guint i = 0; i < app->devices->len; i++) {
        struct cr_app_device *d = &g_array_index(app->devices, struct cr_app_device, i);
        if (wants_calibration(d) && !d->has_calib)
            set_raw(app, d->info.id, on);
    }
}

static void broadcast_calibration(struct cr_app *app, const char *what)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "event");
    json_builder_add_string_value(b, what);
    json_builder_end_object(b);
    cr_app_broadcast(app, "calibration", json_builder_get_root(b));
    g_object_unref(b);
}

static void save_calibration(struct cr_app *app)
{
    struct cr_calibration_screen *cs = &app->calibration;
    const struct cr_input_device_info *info = &cs->device;
    if (info->id == CR_INPUT_DEVICE_INJECTED || info->id == CR_INPUT_DEVICE_WINDOW) {
        /* not a real device: for this run only */
        app->injected_calib = cs->result;
        app->injected_has_calib = true;
        cr_toast_show(&app->notice, _("Calibration saved."), cr_monotonic_us(), 5000);
        return;
    }
    struct cr_app_device *d = find_device(app, info->id);
    if (d) {
        d->calib = cs->result;
        d->has_calib = true;
        d->n_drift = d->drift_next = 0;
        d->offered = false;
        d->offer_pending = 0;
    }
    g_autofree char *output = cr_app_output_key(app);
    struct cr_calib_device_id id = {
        .key = info->key, .name = info->name, .vendor = info->vendor, .product = info->product};
    GError *err = NULL;
    if (cr_calib_store_set(app->calibs, &id, output, &cs->result, &err)) {
        cr_toast_show(&app->notice, _("Calibration saved."), cr_monotonic_us(), 5000);
    } else {
        cr_warn("calib", "calibration of %s kept for this session only: %s", info->name,
                err->message);
        cr_toast_show(&app->notice,
                      _("Calibration in use, but it could not be saved for the next start."),
                      cr_monotonic_us(), 9000);
        g_error_free(err);
    }
}

bool cr_app_calibrate(struct cr_app *app, char **args, unsigned n, char **error)
{
    struct cr_calibration_screen *cs = &app->calibration;
    const char *what = args[0];
    int64_t now = cr_monotonic_us();
    if (!strcmp(what, "start") || !strcmp(what, "retry")) {
        size_t points = !strcmp(what, "retry") && cs->n_targets
                            ? cs->n_targets
                            : (size_t)app->cfg->input.calibration_points;
        if (n > 1) {
            char *end;
            long v = strtol(args[1], &end, 10);
            if (*end || (v != 4 && v != 9 && v != 16)) {
                *error = g_strdup("points must be 4, 9 or 16");
                return false;
            }
            points = (size_t)v;
        } else if (points != 4 && points != 9 && points != 16) {
            points = 9;
        }
        cr_notice_hide(&app->notice);
        cr_gesture_reset(&app->gestures);
        app->gesture_tile = NULL;
        if (!cr_calibration_screen_start(cs, points, app->screen.width, app->screen.height, now)) {
            *error = g_strdup("the calibration screen cannot start");
            return false;
        }
        raw_for_calibration(app, true);
        broadcast_calibration(app, "started");
    } else if (!strcmp(what, "cancel")) {
        if (!cr_calibration_screen_active(cs)) {
            *error = g_strdup("no calibration in progress");
            return false;
        }
        cr_calibration_screen_stop(cs);
        raw_for_calibration(app, false);
        cr_toast_show(&app->notice, _("Calibration cancelled: the previous setting is kept."), now,
                      5000);
        broadcast_calibration(app, "cancelled");
    } else if (!strcmp(what, "save")) {
        if (cs->phase != CR_CALIB_PHASE_RESULT || !cs->solved) {
            *error = g_strdup("no calibration result to save");
            return false;
        }
        save_calibration(app);
        cr_calibration_screen_stop(cs);
        raw_for_calibration(app, false);
        broadcast_calibration(app, "saved");
    } else {
        *error = g_strdup("usage: calibrate start [4|9|16]|cancel|retry|save");
        return false;
    }
    app->dirty = true;
    return true;
}

JsonNode *cr_app_devices_state(struct cr_app *app)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < app->devices->len; i++) {
        const struct cr_app_device *d = &g_array_index(app->devices, struct cr_app_device, i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "id");
        json_builder_add_int_value(b, d->info.id);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, d->info.name);
        json_builder_set_member_name(b, "key");
        json_builder_add_string_value(b, d->info.key);
        json_builder_set_member_name(b, "pen");
        json_builder_add_boolean_value(b, d->info.caps & CR_INPUT_CAP_PEN);
        json_builder_set_member_name(b, "touch");
        json_builder_add_boolean_value(b, d->info.caps & CR_INPUT_CAP_TOUCH);
        json_builder_set_member_name(b, "direct");
        json_builder_add_boolean_value(b, d->info.direct);
        json_builder_set_member_name(b, "role");
        json_builder_add_string_value(b, d->role);
        json_builder_set_member_name(b, "quirks");
        json_builder_add_string_value(b, d->info.quirks);
        json_builder_set_member_name(b, "calibration");
        json_builder_add_string_value(b,
                                      d->has_calib ? cr_calib_model_name(d->calib.model) : "none");
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    JsonNode *n = json_builder_get_root(b);
    g_object_unref(b);
    return n;
}
