/* Commands: what the control socket, the buttons and the keys ask for. One
 * table, so a button and `craiectl` always do exactly the same thing. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "build_config.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/app_board_kinds.h"
#include "display/state_json.h"

struct command {
    const char *name;
    unsigned min_args, max_args; /* after the name */
    bool (*run)(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error);
    const char *usage;
};

static bool parse_number(const char *s, double *out)
{
    char *end;
    double v = g_ascii_strtod(s, &end);
    if (end == s || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool parse_point(struct cr_app *app, char **args, double *x, double *y, char **error)
{
    if (!parse_number(args[0], x) || !parse_number(args[1], y)) {
        *error = g_strdup("coordinates must be numbers");
        return false;
    }
    if (*x < 0 || *y < 0 || *x >= app->screen.width || *y >= app->screen.height) {
        *error = g_strdup_printf("point %g,%g is outside the %dx%d screen", *x, *y,
                                 app->screen.width, app->screen.height);
        return false;
    }
    return true;
}

static void add_tile(JsonBuilder *b, struct cr_app *app, struct cr_tile *t)
{
    const struct cr_camera_status_msg *st = &app->camera_screen.status;
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "kind");
    json_builder_add_string_value(b, cr_tile_kind_name(t->kind));
    json_builder_set_member_name(b, "source");
    json_builder_add_string_value(b, t->kind == CR_TILE_SNAPSHOT ? "snapshot"
                                     : st->is_test               ? "test"
                                     : st->device_name           ? "v4l2"
                                                                 : "none");
    cr_state_add_rect(b, "rect", t->rect);
    cr_state_add_rect(b, "image_rect", t->image_rect);
    json_builder_set_member_name(b, "has_image");
    json_builder_add_boolean_value(b, cr_tile_has_image(t));
    json_builder_set_member_name(b, "frozen");
    json_builder_add_boolean_value(b, t->frozen || t->kind == CR_TILE_SNAPSHOT);
    json_builder_set_member_name(b, "rotate180");
    json_builder_add_boolean_value(b, t->view.rotate180);
    json_builder_set_member_name(b, "mirror");
    json_builder_add_boolean_value(b, t->view.mirror);
    json_builder_set_member_name(b, "zoom");
    json_builder_add_double_value(b, t->view.zoom);
    if (t->current) {
        json_builder_set_member_name(b, "image_width");
        json_builder_add_int_value(b, t->current->width);
        json_builder_set_member_name(b, "image_height");
        json_builder_add_int_value(b, t->current->height);
    }
    json_builder_end_object(b);
}

/* A visible button as the teacher sees it: what it does, its label, where. */
static void add_button(JsonBuilder *b, const struct cr_button *button, const char *action)
{
    if (!button->visible)
        return;
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "action");
    json_builder_add_string_value(b, action ? action : button->action);
    json_builder_set_member_name(b, "label");
    json_builder_add_string_value(b, button->label ? _(button->label) : NULL);
    cr_state_add_rect(b, "rect", button->rect);
    json_builder_set_member_name(b, "enabled");
    json_builder_add_boolean_value(b, button->enabled);
    json_builder_set_member_name(b, "active");
    json_builder_add_boolean_value(b, button->active);
    json_builder_end_object(b);
}

size_t cr_app_visible_buttons(struct cr_app *app, struct cr_app_button *out, size_t max)
{
    size_t n = 0;
#define PUT(b, act)                                                                                \
    do {                                                                                           \
        if ((b)->visible && n < max)                                                               \
            out[n++] = (struct cr_app_button){(b), (act)};                                         \
    } while (0)
    if (cr_calibration_screen_active(&app->calibration)) {
        for (int i = 0; i < CR_CALIB_BUTTONS; i++)
            PUT(&app->calibration.buttons[i], NULL);
    } else if (app->notice.visible) {
        for (int i = 0; i < 2; i++)
            PUT(&app->notice.buttons[i], i == 0 ? "dismiss" : app->notice.action);
    } else if (app->current == CR_SCREEN_LAUNCHER) {
        for (int i = 0; i < CR_LAUNCHER_TILES; i++)
            PUT(&app->launcher.tiles[i], NULL);
    } else if (app->current == CR_SCREEN_WHITEBOARD) {
        app->home_button = cr_app_home_button(app);
        PUT(&app->home_button, NULL);
        for (int i = 0; i < CR_INK_TOOLS; i++)
            PUT(&app->whiteboard.toolbar.buttons[i], NULL);
    } else if (app->current == CR_SCREEN_TABLETS) {
        app->home_button = cr_app_home_button(app);
        PUT(&app->home_button, NULL);
        const struct cr_button *wall[CR_WALL_BUTTONS + 2 * CR_CAST_WALL_CARDS];
        size_t nw = cr_cast_wall_buttons(&app->cast_wall, wall, CR_ARRAY_SIZE(wall));
        for (size_t i = 0; i < nw; i++)
            PUT(wall[i], NULL);
    } else if (app->current == CR_SCREEN_ENT) {
        app->home_button = cr_app_home_button(app);
        PUT(&app->home_button, NULL);
        n += cr_app_ent_buttons(app, out + n, max - n);
    } else if (app->current == CR_SCREEN_SETTINGS) {
        app->home_button = cr_app_home_button(app);
        PUT(&app->home_button, NULL);
        n += cr_app_settings_buttons(app, out + n, max - n);
    } else if (app->current == CR_SCREEN_BOARD) {
        app->home_button = cr_app_home_button(app);
        PUT(&app->home_button, NULL);
        n += cr_app_board_buttons(app, out + n, max - n);
    } else {
        app->home_button = cr_app_home_button(app);
        PUT(&app->home_button, NULL);
        for (int i = 0; i < CR_CAM_BUTTONS; i++)
            PUT(&app->camera_screen.buttons[i], NULL);
        PUT(&app->camera_screen.content_button, NULL);
        for (int i = 0; i < 2; i++)
            PUT(&app->camera_screen.nav[i], NULL);
        for (int i = 0; i < CR_INK_TOOLS; i++)
            PUT(&app->camera_screen.ink_bar.buttons[i], NULL);
    }
#undef PUT
    return n;
}

JsonNode *cr_app_state(struct cr_app *app)
{
    /* Lay out what is on screen now, so rectangles are current. */
    cr_app_render(app);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "screen");
    json_builder_add_string_value(b, cr_screen_id_name(app->current));
    json_builder_set_member_name(b, "version");
    json_builder_add_string_value(b, CR_VERSION);
    json_builder_set_member_name(b, "language");
    json_builder_add_string_value(b, cr_i18n_language());
    json_builder_set_member_name(b, "window");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "width");
    json_builder_add_int_value(b, app->screen.width);
    json_builder_set_member_name(b, "height");
    json_builder_add_int_value(b, app->screen.height);
    json_builder_end_object(b);
    cr_state_add_rect(b, "home_button", cr_ui_home_rect(&app->ui));

    json_builder_set_member_name(b, "tiles");
    json_builder_begin_array(b);
    if (app->current == CR_SCREEN_CAMERA) {
        struct cr_tile *tiles[2];
        size_t n = cr_camera_screen_tiles(&app->camera_screen, tiles);
        for (size_t i = 0; i < n; i++)
            add_tile(b, app, tiles[i]);
    }
    if (app->current == CR_SCREEN_BOARD)
        cr_app_board_add_tiles(app, b);
    json_builder_end_array(b);

    const struct cr_camera_status_msg *st = &app->camera_screen.status;
    uint64_t pushed = 0, dropped = 0;
    cr_frame_slot_stats(&app->camera_tile.slot, &pushed, &dropped);
    json_builder_set_member_name(b, "camera");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "state");
    json_builder_add_string_value(b, cr_camera_state_name(st->state));
    json_builder_set_member_name(b, "device");
    json_builder_add_string_value(b, st->device_name);
    json_builder_set_member_name(b, "test");
    json_builder_add_boolean_value(b, st->is_test);
    json_builder_set_member_name(b, "devices");
    json_builder_add_int_value(b, (gint64)st->n_devices);
    if (st->state == CR_CAMERA_LIVE || st->state == CR_CAMERA_STARTING) {
        char *mode = cr_camera_mode_to_string(&st->mode);
        json_builder_set_member_name(b, "mode");
        json_builder_add_string_value(b, mode);
        g_free(mode);
    }
    json_builder_set_member_name(b, "detail");
    json_builder_add_string_value(b, st->detail);
    json_builder_set_member_name(b, "snapshots");
    json_builder_add_int_value(b, (gint64)app->camera_screen.n_snapshots);
    json_builder_set_member_name(b, "compare");
    json_builder_add_boolean_value(b, app->camera_screen.compare);
    json_builder_set_member_name(b, "frames_received");
    json_builder_add_int_value(b, (gint64)pushed);
    json_builder_set_member_name(b, "frames_dropped");
    json_builder_add_int_value(b, (gint64)dropped);
    json_builder_set_member_name(b, "frames_shown");
    json_builder_add_int_value(b, (gint64)app->camera_tile.uploads);
    json_builder_end_object(b);

    cr_app_cast_add_state(app, b);

    struct cr_app_button shown[CR_APP_MAX_BUTTONS];
    size_t n_shown = cr_app_visible_buttons(app, shown, CR_APP_MAX_BUTTONS);
    json_builder_set_member_name(b, "buttons");
    json_builder_begin_array(b);
    for (size_t i = 0; i < n_shown; i++)
        add_button(b, shown[i].button, shown[i].action);
    json_builder_end_array(b);
    cr_app_ink_add_state(app, b);
    cr_app_ent_add_state(app, b);
    cr_app_settings_add_state(app, b);
    cr_app_board_add_state(app, b);
    cr_app_board_add_engine_state(app, b);

    json_builder_set_member_name(b, "calibration");
    if (cr_calibration_screen_active(&app->calibration))
        json_builder_add_value(b, cr_calibration_screen_state(&app->calibration));
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "input_devices");
    json_builder_add_value(b, cr_app_devices_state(app));

    json_builder_set_member_name(b, "notice");
    if (app->notice.visible) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "title");
        json_builder_add_string_value(b, app->notice.title);
        json_builder_set_member_name(b, "action"); /* what its main button does */
        if (app->notice.action)
            json_builder_add_string_value(b, app->notice.action);
        else
            json_builder_add_null_value(b);
        json_builder_end_object(b);
    } else {
        json_builder_add_null_value(b);
    }
    json_builder_set_member_name(b, "presents");
    json_builder_add_int_value(b, (gint64)app->screen.presents);
    cr_service_add_state(&app->service, b);
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    g_object_unref(b);
    return root;
}

static bool cmd_get_state(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                          char **error)
{
    *data = cr_app_state(app);
    return true;
}

static bool cmd_screenshot(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                           char **error)
{
    cr_app_render(app);
    bool ok = cr_screen_save_png(&app->screen, args[0], error);
    cr_screen_present(&app->screen);
    cr_app_ink_presented(app, cr_monotonic_us());
    app->dirty = false;
    return ok;
}

static bool cmd_open(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    const char *what = args[0];
    if (!strcmp(what, "camera"))
        cr_app_open(app, CR_SCREEN_CAMERA);
    else if (!strcmp(what, "launcher") || !strcmp(what, "home"))
        cr_app_open(app, CR_SCREEN_LAUNCHER);
    else if (!strcmp(what, "tablets"))
        cr_app_open(app, CR_SCREEN_TABLETS);
    else if (!strcmp(what, "ent"))
        cr_app_open(app, CR_SCREEN_ENT);
    else if (!strcmp(what, "whiteboard"))
        cr_app_open(app, CR_SCREEN_WHITEBOARD);
    else if (!strcmp(what, "settings"))
        cr_app_open(app, CR_SCREEN_SETTINGS);
    else if (!strcmp(what, "board") && n == 1)
        cr_app_open(app, CR_SCREEN_BOARD);
    else if ((!strcmp(what, "url") || !strcmp(what, "media") || !strcmp(what, "document")) &&
             n == 2)
        return cr_app_board_open(app, what, args[1], data, error);
    else if (n == 1) {
        *error = g_strdup_printf("unknown screen: %s (camera, launcher, tablets, ent, "
                                 "whiteboard, board, settings)",
                                 what);
        return false;
    } else {
        *error = g_strdup("usage: open url URL|media PATH|URL|document PATH");
        return false;
    }
    return true;
}

static void broadcast_camera_view(struct cr_app *app)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "frozen");
    json_builder_add_boolean_value(b, app->camera_tile.frozen);
    json_builder_set_member_name(b, "rotate180");
    json_builder_add_boolean_value(b, app->camera_tile.view.rotate180);
    json_builder_set_member_name(b, "mirror");
    json_builder_add_boolean_value(b, app->camera_tile.view.mirror);
    json_builder_set_member_name(b, "zoom");
    json_builder_add_double_value(b, app->camera_tile.view.zoom);
    json_builder_set_member_name(b, "snapshots");
    json_builder_add_int_value(b, (gint64)app->camera_screen.n_snapshots);
    json_builder_set_member_name(b, "compare");
    json_builder_add_boolean_value(b, app->camera_screen.compare);
    json_builder_end_object(b);
    cr_app_broadcast(app, "camera-view", json_builder_get_root(b));
    g_object_unref(b);
}

bool cr_app_parse_on_off(const char *s, bool current, bool *out)
{
    if (!s)
        *out = !current;
    else if (!strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "1"))
        *out = true;
    else if (!strcmp(s, "off") || !strcmp(s, "false") || !strcmp(s, "0"))
        *out = false;
    else
        return false;
    return true;
}

static bool camera_zoom(struct cr_app *app, char **args, unsigned n, char **error)
{
    struct cr_tile *t = &app->camera_tile;
    float cx = t->image_rect.x + t->image_rect.w / 2.0f,
          cy = t->image_rect.y + t->image_rect.h / 2.0f;
    double f;
    if (n < 2) {
        *error = g_strdup("usage: camera zoom in|out|reset|FACTOR");
        return false;
    }
    if (!strcmp(args[1], "in"))
        cr_tile_zoom(t, 1.5f, cx, cy);
    else if (!strcmp(args[1], "out"))
        cr_tile_zoom(t, 1 / 1.5f, cx, cy);
    else if (!strcmp(args[1], "reset"))
        cr_tile_reset_view(t);
    else if (parse_number(args[1], &f) && f >= 1 && f <= CR_TILE_ZOOM_MAX)
        cr_tile_zoom(t, (float)(f / t->view.zoom), cx, cy);
    else {
        *error = g_strdup_printf("zoom takes in, out, reset or a factor from 1 to %g",
                                 (double)CR_TILE_ZOOM_MAX);
        return false;
    }
    return true;
}

static bool cmd_camera(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    const char *sub = args[0];
    const char *arg = n > 1 ? args[1] : NULL;
    struct cr_camera_screen *cs = &app->camera_screen;
    struct cr_tile *live = &app->camera_tile;
    SDL_Renderer *r = app->ui.r;
    bool v;

    if (app->current != CR_SCREEN_CAMERA) {
        *error = g_strdup("the camera screen is not open (open camera)");
        return false;
    }
    app->dirty = true;
    if (!strcmp(sub, "freeze") || !strcmp(sub, "unfreeze") || !strcmp(sub, "toggle-freeze")) {
        bool want = !strcmp(sub, "freeze")     ? true
                    : !strcmp(sub, "unfreeze") ? false
                                               : !live->frozen;
        if (want && !cr_tile_has_image(live)) {
            *error = g_strdup("no image to freeze");
            return false;
        }
        cr_tile_set_frozen(live, want);
        if (!want && cs->status.state != CR_CAMERA_LIVE)
            cr_tile_clear(live); /* unfrozen while the camera is away: nothing live to show */
    } else if (!strcmp(sub, "rotate")) {
        if (!cr_app_parse_on_off(arg, live->view.rotate180, &v))
            goto bad_arg;
        live->view.rotate180 = v;
    } else if (!strcmp(sub, "mirror")) {
        if (!cr_app_parse_on_off(arg, live->view.mirror, &v))
            goto bad_arg;
        live->view.mirror = v;
    } else if (!strcmp(sub, "zoom")) {
        if (!camera_zoom(app, args, n, error))
            return false;
    } else if (!strcmp(sub, "pan")) {
        double dx, dy;
        if (n < 3 || !parse_number(args[1], &dx) || !parse_number(args[2], &dy)) {
            *error = g_strdup("usage: camera pan DX DY (screen pixels)");
            return false;
        }
        cr_tile_pan(live, (float)dx, (float)dy);
    } else if (!strcmp(sub, "snapshot")) {
        if (!cr_camera_screen_snapshot(cs, r)) {
            *error = g_strdup("no image to capture yet");
            return false;
        }
        cr_toast_show(&app->notice, _("Captured: kept in memory beside the live picture."),
                      cr_monotonic_us(), 3000);
    } else if (!strcmp(sub, "compare")) {
        if (!cr_app_parse_on_off(arg, cs->compare, &v))
            goto bad_arg;
        if (v && cs->n_snapshots == 0) {
            *error = g_strdup("no snapshot to compare with (camera snapshot)");
            return false;
        }
        cr_camera_screen_set_compare(cs, v, r);
    } else if (!strcmp(sub, "browse")) {
        double d;
        if (!arg || !parse_number(arg, &d))
            goto bad_arg;
        cr_camera_screen_browse(cs, (int)d, r);
    } else if (!strcmp(sub, "save")) {
        if (!cr_app_camera_save(app, data, error)) /* with the ink on the picture */
            return false;
    } else if (!strcmp(sub, "test")) {
        cr_app_camera(app, CR_APP_CAMERA_USE_TEST);
    } else if (!strcmp(sub, "next")) {
        cr_app_camera(app, CR_APP_CAMERA_NEXT);
    } else {
        *error = g_strdup_printf("unknown camera command: %s", sub);
        return false;
    }
    broadcast_camera_view(app);
    return true;

bad_arg:
    *error = g_strdup_printf("camera %s: invalid argument %s", sub, arg ? arg : "(none)");
    return false;
}

/* Injected input enters where the window's does (ink, then gestures), as a
 * finger unless said otherwise. */
struct injected_device {
    const char *name;
    enum cr_input_kind kind;
    uint32_t tool_id;
};

static const struct injected_device injected_devices[] = {
    {"finger", CR_INPUT_TOUCH, 0}, {"mouse", CR_INPUT_POINTER, 0}, {"pen", CR_INPUT_PEN, 1},
    {"pen2", CR_INPUT_PEN, 2},     {"eraser", CR_INPUT_ERASER, 1},
};

static void inject_as(struct cr_app *app, const struct injected_device *dev,
                      enum cr_input_action action, double x, double y, int64_t time_us)
{
    /* A finger lands on what the screen shows: a screen opened by the
     * previous command is laid out before its first frame. */
    if (action == CR_INPUT_DOWN && app->dirty)
        cr_app_render(app);
    /* the control socket's finger, mouse or pen, positions in pixels */
    struct cr_input_event ev = {.kind = dev->kind,
                                .action = action,
                                .device_id = CR_INPUT_DEVICE_INJECTED,
                                .tool_id = dev->tool_id,
                                .x = x,
                                .y = y,
                                .raw_x = -1,
                                .raw_y = -1,
                                .pressure = 1.0,
                                .time_us = time_us};
    cr_app_device_input(app, &ev);
}

static void inject(struct cr_app *app, enum cr_input_action action, double x, double y,
                   int64_t time_us)
{
    inject_as(app, &injected_devices[0], action, x, y, time_us);
}

static bool cmd_tap(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    double x, y;
    if (!parse_point(app, args, &x, &y, error))
        return false;
    int64_t t = cr_monotonic_us();
    inject(app, CR_INPUT_DOWN, x, y, t - 60000);
    inject(app, CR_INPUT_UP, x, y, t);
    return true;
}

static bool cmd_drag(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    double x1, y1, x2, y2, ms = 300;
    if (!parse_point(app, args, &x1, &y1, error) || !parse_point(app, args + 2, &x2, &y2, error))
        return false;
    if (n > 4 && (!parse_number(args[4], &ms) || ms < 0 || ms > 60000)) {
        *error = g_strdup("duration must be 0..60000 ms");
        return false;
    }
    const struct injected_device *dev = &injected_devices[0];
    for (size_t i = 0; n > 5 && i < CR_ARRAY_SIZE(injected_devices); i++)
        if (!strcmp(args[5], injected_devices[i].name))
            dev = &injected_devices[i];
    if (n > 5 && strcmp(args[5], dev->name)) {
        *error = g_strdup("the device is finger, mouse, pen, pen2 or eraser");
        return false;
    }
    enum { STEPS = 12 };
    int64_t t0 = cr_monotonic_us() - (int64_t)(ms * 1000);
    inject_as(app, dev, CR_INPUT_DOWN, x1, y1, t0);
    for (int i = 1; i <= STEPS; i++) /* as devices do: the contact moves to the end, then lifts */
        inject_as(app, dev, CR_INPUT_MOTION, x1 + (x2 - x1) * i / STEPS, y1 + (y2 - y1) * i / STEPS,
                  t0 + (int64_t)(ms * 1000) * i / STEPS);
    inject_as(app, dev, CR_INPUT_UP, x2, y2, t0 + (int64_t)(ms * 1000));
    return true;
}

static bool cmd_longpress(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                          char **error)
{
    double x, y;
    if (!parse_point(app, args, &x, &y, error))
        return false;
    if (app->cfg->ui.long_press_ms <= 0) {
        *error = g_strdup("the long press is disabled (ui.long_press_ms = 0)");
        return false;
    }
    /* A contact that went down long_press_ms ago and has not moved. */
    int64_t now = cr_monotonic_us();
    inject(app, CR_INPUT_DOWN, x, y, now - (int64_t)app->cfg->ui.long_press_ms * 1000 - 1000);
    cr_app_tick_input(app, now); /* the long press fires here, as with a real finger */
    inject(app, CR_INPUT_UP, x, y, now);
    return true;
}

static bool parse_action(const char *s, enum cr_input_action *out, char **error)
{
    if (!strcmp(s, "down"))
        *out = CR_INPUT_DOWN;
    else if (!strcmp(s, "move"))
        *out = CR_INPUT_MOTION;
    else if (!strcmp(s, "up"))
        *out = CR_INPUT_UP;
    else {
        *error = g_strdup_printf("unknown action %s (down, move, up)", s);
        return false;
    }
    return true;
}

/* The control socket's pen and fingers enter where libinput's events do:
 * positions are device-normalised (the point's share of the screen), then
 * the injected device's calibration (if one was made) maps them. */
static void inject_device(struct cr_app *app, enum cr_input_kind kind, enum cr_input_action action,
                          int32_t slot, double x, double y, double pressure)
{
    struct cr_input_event ev = {.kind = kind,
                                .action = action,
                                .device_id = CR_INPUT_DEVICE_INJECTED,
                                .slot = slot,
                                .raw_x = x / app->screen.width,
                                .raw_y = y / app->screen.height,
                                .pressure = pressure,
                                .time_us = cr_monotonic_us()};
    cr_app_device_input(app, &ev);
}

static bool cmd_pen(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    enum cr_input_action action;
    double x, y, pressure = 0.6;
    if (!parse_action(args[0], &action, error) || !parse_point(app, args + 1, &x, &y, error))
        return false;
    if (n > 3 && (!parse_number(args[3], &pressure) || pressure < 0 || pressure > 1)) {
        *error = g_strdup("pressure must be 0..1");
        return false;
    }
    inject_device(app, CR_INPUT_PEN, action, 0, x, y, pressure);
    return true;
}

static bool cmd_touch(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    enum cr_input_action action;
    double id, x, y;
    if (!parse_action(args[0], &action, error))
        return false;
    if (!parse_number(args[1], &id) || id < 0 || id > 63 || id != (int)id) {
        *error = g_strdup("touch ID must be an integer 0..63");
        return false;
    }
    if (!parse_point(app, args + 2, &x, &y, error))
        return false;
    inject_device(app, CR_INPUT_TOUCH, action, (int32_t)id, x, y, 1.0);
    return true;
}

static bool cmd_calibrate(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                          char **error)
{
    return cr_app_calibrate(app, args, n, error);
}

static bool cmd_dismiss(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    cr_notice_hide(&app->notice);
    app->dirty = true;
    return true;
}

static bool cmd_quit(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    app->running = false;
    return true;
}

static const struct command commands[] = {
    {"get_state", 0, 0, cmd_get_state, "get_state"},
    {"screenshot", 1, 1, cmd_screenshot, "screenshot FILE.png"},
    {"open", 1, 2, cmd_open,
     "open camera|launcher|tablets|ent|whiteboard|board|settings|url URL|media PATH|URL"
     "|document PATH"},
    {"camera", 1, 3, cmd_camera,
     "camera freeze|unfreeze|toggle-freeze|rotate [on|off]|mirror [on|off]|zoom in|out|reset|F"
     "|pan DX DY|snapshot|compare [on|off]|browse N|save|test|next"},
    {"ink", 1, 3, cr_app_ink_command,
     "ink color NAME|#rrggbb [1|2]|width N|thin|medium|thick|next|eraser [on|off]|undo|redo"
     "|clear [ask]|save|latency [reset]"},
    {"whiteboard", 2, 2, cr_app_whiteboard_command, "whiteboard paper white|black|seyes|grid|next"},
    {"cast", 1, 3, cr_app_cast_command,
     "cast code|new-code|list|approve ID|deny ID|focus ID|unfocus|freeze ID [on|off]|remove ID"
     "|stop-all"},
    {"tap", 2, 2, cmd_tap, "tap X Y"},
    {"drag", 4, 6, cmd_drag, "drag X1 Y1 X2 Y2 [MS [finger|mouse|pen|pen2|eraser]]"},
    {"longpress", 2, 2, cmd_longpress, "longpress X Y"},
    {"pen", 3, 4, cmd_pen, "pen down|move|up X Y [PRESSURE]"},
    {"touch", 4, 4, cmd_touch, "touch down|move|up ID X Y"},
    {"calibrate", 1, 2, cmd_calibrate, "calibrate start [4|9|16]|cancel|retry|save"},
    {"ent", 1, 2, cr_app_ent_command,
     "ent state|signin [device|cross-device|password]|cancel|submit|signout|stay|open N"
     "|folder ID|root|page next|prev|memscan HEX"},
    {"board", 1, 8, cr_app_board_command,
     "board add camera|cast ID|close N|fullscreen N [on|off]|tile N COMMAND…"},
    {"dismiss", 0, 0, cmd_dismiss, "dismiss"},
    {"status", 0, 0, cr_app_status_command, "status"},
    {"usage", 0, 1, cr_app_usage_command, "usage [--csv]"},
    {"settings", 1, 2, cr_app_settings_command,
     "settings key 0-9|back|ok|pin DIGITS|page NAME|diagnose|lock"},
    {"settings-pin", 1, 2, cr_app_settings_pin_command, "settings-pin set PIN|clear|status"},
    {"quit", 0, 0, cmd_quit, "quit"},
    {"test-hang", 1, 1, cr_app_test_hang, "test-hang ui|io"},
};

bool cr_app_command(struct cr_app *app, char **argv, unsigned argc, JsonNode **data, char **error)
{
    *data = NULL;
    *error = NULL;
    if (argc == 0) {
        *error = g_strdup("empty command");
        return false;
    }
    for (size_t i = 0; i < CR_ARRAY_SIZE(commands); i++) {
        const struct command *c = &commands[i];
        if (strcmp(c->name, argv[0]))
            continue;
        unsigned n = argc - 1;
        if (n < c->min_args || n > c->max_args) {
            *error = g_strdup_printf("usage: %s", c->usage);
            return false;
        }
        bool ok = c->run(app, argv + 1, n, data, error);
        if (ok)
            cr_app_fleet_command_done(app, argv, argc);
        return ok;
    }
    *error = g_strdup_printf("unknown command: %s", argv[0]);
    return false;
}

void cr_app_action(struct cr_app *app, const char *action)
{
    char **argv = g_strsplit(action, " ", -1);
    JsonNode *data = NULL;
    char *error = NULL;
    if (!cr_app_command(app, argv, g_strv_length(argv), &data, &error))
        cr_debug("app", "%s: %s", action, error);
    if (data)
        json_node_unref(data);
    g_free(error);
    g_strfreev(argv);
    app->dirty = true;
}

void cr_app_handle_request(struct cr_app *app, struct cr_ipc_request *req)
{
    JsonNode *data = NULL;
    char *error = NULL;
    cr_debug("ipc", "request %s", req->argv[0]);
    bool ok = cr_app_command(app, req->argv, req->argc, &data, &error);
    if (app->ipc)
        cr_ipc_server_reply(app->ipc, req, ok ? NULL : error, data);
    else {
        cr_ipc_request_free(req);
        if (data)
            json_node_unref(data);
    }
    g_free(error);
}
