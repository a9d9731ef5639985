#include "display/app.h"

#include <glib-unix.h>
#include <signal.h>

#include "build_config.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/events.h"
#include "display/document/document.h"
#include "display/player/player.h"
#include "display/png_save.h"
#include "display/web/web_view.h"

const char *cr_screen_id_name(enum cr_screen_id id)
{
    return id == CR_SCREEN_CAMERA       ? "camera"
           : id == CR_SCREEN_WHITEBOARD ? "whiteboard"
           : id == CR_SCREEN_TABLETS    ? "tablets"
           : id == CR_SCREEN_ENT        ? "ent"
           : id == CR_SCREEN_SETTINGS   ? "settings"
           : id == CR_SCREEN_BOARD      ? "board"
                                        : "launcher";
}

/* --- io side ------------------------------------------------------------ */

/* Streaming thread: one event per taken frame (the slot coalesces). */
static void on_camera_frame(void *userdata)
{
    cr_event_post(CR_EVENT_NEW_FRAME, userdata, NULL);
}

static const struct cr_frame_slot_callbacks camera_slot_cbs = {.on_new_frame = on_camera_frame};

/* io thread */
static void on_camera_status(void *userdata, const struct cr_camera_status *st)
{
    cr_event_post(CR_EVENT_CAMERA_STATUS, cr_camera_status_msg_new(st), cr_camera_status_msg_free);
}

static const struct cr_camera_callbacks camera_cbs = {.on_status = on_camera_status};

/* io thread */
static void on_ipc_request(void *userdata, struct cr_ipc_request *req)
{
    cr_event_post(CR_EVENT_IPC_REQUEST, req, (void (*)(void *))cr_ipc_request_free);
}

static const struct cr_ipc_server_callbacks ipc_cbs = {.on_request = on_ipc_request};

static gboolean on_signal(gpointer userdata)
{
    cr_info("app", "signal received: quitting");
    cr_event_post(CR_EVENT_QUIT, NULL, NULL);
    return G_SOURCE_CONTINUE;
}

/* Shutdown on the io thread: stop sources, close the socket, quit. */
static gboolean io_shutdown(gpointer data)
{
    struct cr_app *app = data;
    cr_camera_destroy(&app->camera);
    cr_app_ent_io_shutdown(app); /* signs out, the ENT told within 5 s */
    cr_app_input_io_shutdown(app);
    cr_app_cast_io_shutdown(app);
    cr_app_fleet_io_shutdown(app);
    cr_app_service_io_shutdown(app);
    if (app->ipc) {
        cr_ipc_server_free(app->ipc);
        app->ipc = NULL;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(app->signals); i++) {
        if (app->signals[i]) {
            g_source_destroy(app->signals[i]);
            g_source_unref(app->signals[i]);
            app->signals[i] = NULL;
        }
    }
    cr_io_stop(&app->io);
    return G_SOURCE_REMOVE;
}

void cr_app_io(struct cr_app *app, GSourceFunc fn)
{
    cr_io_invoke(&app->io, fn, app, NULL);
}

struct camera_call {
    struct cr_app *app;
    enum cr_app_camera_op op;
};

/* io thread */
static gboolean io_camera_call(gpointer data)
{
    struct camera_call *c = data;
    struct cr_camera *cam = &c->app->camera;
    switch (c->op) {
    case CR_APP_CAMERA_START:
        cr_camera_start(cam);
        break;
    case CR_APP_CAMERA_OPEN:
        cr_camera_open(cam);
        break;
    case CR_APP_CAMERA_CLOSE:
        cr_camera_close(cam);
        break;
    case CR_APP_CAMERA_USE_TEST:
        cr_camera_use_test(cam, true);
        break;
    case CR_APP_CAMERA_NEXT:
        cr_camera_next(cam);
        break;
    }
    return G_SOURCE_REMOVE;
}

void cr_app_camera(struct cr_app *app, enum cr_app_camera_op op)
{
    struct camera_call *c = g_new(struct camera_call, 1);
    c->app = app;
    c->op = op;
    cr_io_invoke(&app->io, io_camera_call, c, g_free);
}

void cr_app_broadcast(struct cr_app *app, const char *event, JsonNode *fields)
{
    if (app->ipc)
        cr_ipc_server_broadcast(app->ipc, event, fields);
    else if (fields)
        json_node_unref(fields);
}

/* --- screens ------------------------------------------------------------ */

void cr_app_open(struct cr_app *app, enum cr_screen_id id)
{
    cr_notice_hide(&app->notice);
    cr_gesture_reset(&app->gestures);
    app->gesture_tile = NULL;
    app->dirty = true;
    if (id == app->current)
        return;
    if (app->current == CR_SCREEN_CAMERA)
        cr_app_camera(app, CR_APP_CAMERA_CLOSE);
    if (app->current == CR_SCREEN_ENT)
        cr_app_ent_left(app);
    if (app->current == CR_SCREEN_SETTINGS)
        cr_app_settings_left(app);
    if (app->current == CR_SCREEN_BOARD)
        cr_app_board_left(app, id);
    app->current = id;
    cr_app_ink_screen_changed(app);
    if (id == CR_SCREEN_CAMERA)
        cr_app_camera(app, CR_APP_CAMERA_OPEN);
    if (id == CR_SCREEN_TABLETS)
        cr_app_cast_opened(app);
    if (id == CR_SCREEN_SETTINGS)
        cr_app_settings_opened(app);
    if (id == CR_SCREEN_BOARD)
        cr_app_board_opened(app);
    cr_info("app", "screen: %s", cr_screen_id_name(id));

    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "screen");
    json_builder_add_string_value(b, cr_screen_id_name(id));
    json_builder_end_object(b);
    cr_app_broadcast(app, "screen-changed", json_builder_get_root(b));
    g_object_unref(b);
}

/* --- drawing ------------------------------------------------------------ */

struct cr_button cr_app_home_button(const struct cr_app *app)
{
    return (struct cr_button){.action = "open launcher",
                              .icon = "home",
                              .label = N_("Home"),
                              .rect = cr_ui_home_rect(&app->ui),
                              .visible = true,
                              .enabled = true,
                              .pressed = app->home_pressed};
}

static void draw_home(struct cr_app *app)
{
    struct cr_button home = cr_app_home_button(app);
    cr_button_draw(&app->ui, &home);
}

static void draw_long_press(struct cr_app *app)
{
    double p = cr_gesture_long_press_progress(&app->gestures, app->ui.now_us);
    if (p < 0.2 || app->current == CR_SCREEN_LAUNCHER)
        return;
    /* Shown after a short while only, so that ordinary presses stay quiet. */
    float shown = (float)((p - 0.2) / 0.8);
    int cx = (int)app->gestures.down_x, cy = (int)app->gestures.down_y;
    int r = cr_ui_px(&app->ui, 90);
    cr_draw_disc(app->ui.r, cx, cy, r + cr_ui_px(&app->ui, 12), CR_RGBA(0x020617, 200));
    cr_draw_ring(app->ui.r, cx, cy, r, r - cr_ui_px(&app->ui, 18), shown, CR_C_ACCENT);
    cr_icons_draw(&app->ui.icons, app->ui.r, "home", cx, cy, r, CR_C_TEXT);
}

void cr_app_render(struct cr_app *app)
{
    SDL_Renderer *r = app->ui.r;
    app->ui.now_us = cr_monotonic_us();
    cr_draw_rect(r, cr_ui_screen_rect(&app->ui), CR_C_BG);
    if (cr_calibration_screen_active(&app->calibration)) {
        /* full screen, above everything: nothing else may take the touches */
        cr_calibration_screen_draw(&app->calibration, &app->ui);
        cr_toast_draw(&app->notice, &app->ui);
        return;
    }
    cr_draw_rect(r, cr_ui_bar_rect(&app->ui), CR_C_BAR);
    if (app->current == CR_SCREEN_CAMERA) {
        cr_camera_screen_draw(&app->camera_screen, &app->ui);
        draw_home(app);
    } else if (app->current == CR_SCREEN_WHITEBOARD) {
        cr_whiteboard_draw(&app->whiteboard, &app->ui);
    } else if (app->current == CR_SCREEN_TABLETS) {
        cr_cast_wall_draw(&app->cast_wall, &app->ui);
        draw_home(app);
    } else if (app->current == CR_SCREEN_ENT) {
        cr_app_ent_draw(app);
        draw_home(app);
    } else if (app->current == CR_SCREEN_SETTINGS) {
        cr_app_settings_draw(app);
        draw_home(app);
    } else if (app->current == CR_SCREEN_BOARD) {
        cr_board_draw(&app->board.board, &app->ui);
        draw_home(app);
    } else {
        cr_launcher_draw(&app->launcher, &app->ui);
    }
    cr_app_ink_draw(app);
    cr_app_ent_draw_over(app);
    cr_notice_draw(&app->notice, &app->ui);
    draw_long_press(app);
    cr_toast_draw(&app->notice, &app->ui);
}

/* --- input -------------------------------------------------------------- */

static void clear_pressed(struct cr_app *app)
{
    app->home_pressed = false;
    cr_launcher_hit(&app->launcher, -1, -1);
    cr_camera_screen_hit(&app->camera_screen, -1, -1);
    cr_whiteboard_press(&app->whiteboard, -1, -1);
    cr_cast_wall_hit(&app->cast_wall, -1, -1);
    cr_app_ent_press(app, -1, -1);
    cr_app_settings_press(app, -1, -1);
    cr_app_board_press(app, -1, -1);
    cr_notice_press(&app->notice, -1, -1);
}

static void on_press(struct cr_app *app, int x, int y)
{
    if (app->notice.visible) {
        cr_notice_press(&app->notice, x, y);
        return;
    }
    if (app->current != CR_SCREEN_LAUNCHER && cr_rect_contains(cr_ui_home_rect(&app->ui), x, y)) {
        app->home_pressed = true;
        return;
    }
    if (app->current == CR_SCREEN_LAUNCHER)
        cr_launcher_press(&app->launcher, x, y);
    else if (app->current == CR_SCREEN_WHITEBOARD)
        cr_whiteboard_press(&app->whiteboard, x, y);
    else if (app->current == CR_SCREEN_TABLETS)
        cr_cast_wall_press(&app->cast_wall, x, y);
    else if (app->current == CR_SCREEN_ENT)
        cr_app_ent_press(app, x, y);
    else if (app->current == CR_SCREEN_SETTINGS)
        cr_app_settings_press(app, x, y);
    else if (app->current == CR_SCREEN_BOARD)
        cr_app_board_press(app, x, y);
    else
        cr_camera_screen_press(&app->camera_screen, x, y);
}

static void on_tap(struct cr_app *app, int x, int y)
{
    const char *action = NULL;
    if (app->notice.visible) {
        action = cr_notice_tap(&app->notice, x, y);
        clear_pressed(app);
        if (action)
            cr_app_action(app, action);
        return;
    }
    struct cr_app_button shown[CR_APP_MAX_BUTTONS];
    size_t n_shown = cr_app_visible_buttons(app, shown, CR_APP_MAX_BUTTONS);
    for (size_t i = 0; i < n_shown; i++) {
        if (shown[i].button->enabled && cr_rect_contains(shown[i].button->rect, x, y)) {
            cr_app_drift_observe(app, x, y, shown[i].button->rect);
            break;
        }
    }
    bool home =
        app->current != CR_SCREEN_LAUNCHER && cr_rect_contains(cr_ui_home_rect(&app->ui), x, y);
    if (home)
        action = "open launcher";
    else if (app->current == CR_SCREEN_LAUNCHER)
        action = cr_launcher_hit(&app->launcher, x, y);
    else if (app->current == CR_SCREEN_WHITEBOARD)
        action = cr_whiteboard_hit(&app->whiteboard, x, y);
    else if (app->current == CR_SCREEN_TABLETS)
        action = cr_cast_wall_hit(&app->cast_wall, x, y);
    else if (app->current == CR_SCREEN_ENT)
        action = cr_app_ent_hit(app, x, y);
    else if (app->current == CR_SCREEN_SETTINGS)
        action = cr_app_settings_hit(app, x, y);
    else if (app->current == CR_SCREEN_BOARD)
        action = cr_app_board_tap(app, x, y);
    else
        action = cr_camera_screen_hit(&app->camera_screen, x, y);
    clear_pressed(app);
    if (action)
        cr_app_action(app, action);
}

static void on_gesture(struct cr_app *app, const struct cr_gesture *g)
{
    app->dirty = true;
    if (app->current == CR_SCREEN_BOARD && !app->notice.visible)
        cr_app_board_gesture(app, g); /* drags and pinches go to the tile under them */
    switch (g->type) {
    case CR_GESTURE_PRESS:
        on_press(app, (int)g->x, (int)g->y);
        break;
    case CR_GESTURE_TAP:
        on_tap(app, (int)g->x, (int)g->y);
        break;
    case CR_GESTURE_DRAG_BEGIN:
        clear_pressed(app);
        app->gesture_tile =
            app->current == CR_SCREEN_CAMERA && !app->notice.visible
                ? cr_camera_screen_tile_at(&app->camera_screen, (int)g->start_x, (int)g->start_y)
                : NULL;
        break;
    case CR_GESTURE_DRAG_UPDATE:
        if (app->gesture_tile)
            cr_tile_pan(app->gesture_tile, (float)g->dx, (float)g->dy);
        break;
    case CR_GESTURE_PINCH_BEGIN:
        clear_pressed(app);
        app->gesture_tile =
            app->current == CR_SCREEN_CAMERA && !app->notice.visible
                ? cr_camera_screen_tile_at(&app->camera_screen, (int)g->x, (int)g->y)
                : NULL;
        break;
    case CR_GESTURE_PINCH_UPDATE:
        if (app->gesture_tile) {
            cr_tile_zoom(app->gesture_tile, (float)g->scale, (float)g->x, (float)g->y);
            cr_tile_pan(app->gesture_tile, (float)g->dx, (float)g->dy);
        }
        break;
    case CR_GESTURE_LONG_PRESS:
        clear_pressed(app);
        if (app->current != CR_SCREEN_LAUNCHER || app->notice.visible) {
            cr_info("app", "long press: back to the launcher");
            cr_app_open(app, CR_SCREEN_LAUNCHER);
        }
        break;
    case CR_GESTURE_DRAG_END:
    case CR_GESTURE_PINCH_END:
    case CR_GESTURE_CANCEL:
        clear_pressed(app);
        app->gesture_tile = NULL;
        break;
    }
}

void cr_app_feed_input(struct cr_app *app, const struct cr_input_event *ev)
{
    if (ev->action == CR_INPUT_DOWN)
        cr_app_ent_touched(app);   /* restarts the ENT's inactivity timer */
    if (cr_app_ink_input(app, ev)) /* the pen writing: not a gesture */
        return;
    struct cr_gesture out[CR_GESTURE_MAX_OUT];
    size_t n = cr_gesture_feed(&app->gestures, ev, out);
    for (size_t i = 0; i < n; i++)
        on_gesture(app, &out[i]);
    if (n == 0 && ev->action == CR_INPUT_MOTION)
        return;
    app->dirty = true;
}

void cr_app_tick_input(struct cr_app *app, int64_t now_us)
{
    struct cr_gesture out[CR_GESTURE_MAX_OUT];
    size_t n = cr_gesture_tick(&app->gestures, now_us, out);
    for (size_t i = 0; i < n; i++)
        on_gesture(app, &out[i]);
}

/* The window system's mouse and touch events: positions already in pixels. */
static void feed(struct cr_app *app, enum cr_input_kind kind, enum cr_input_action action,
                 int32_t slot, double x, double y)
{
    struct cr_input_event ev = {.kind = kind,
                                .action = action,
                                .device_id = CR_INPUT_DEVICE_WINDOW,
                                .slot = slot,
                                .raw_x = -1,
                                .raw_y = -1,
                                .x = x,
                                .y = y,
                                .pressure = 1.0,
                                .time_us = cr_monotonic_us()};
    cr_app_device_input(app, &ev);
}

static void on_key(struct cr_app *app, const SDL_KeyboardEvent *k)
{
    const char *action = NULL;
    if (cr_calibration_screen_active(&app->calibration)) {
        if (k->keysym.sym == SDLK_ESCAPE || k->keysym.sym == SDLK_HOME)
            cr_app_action(app, "calibrate cancel");
        return;
    }
    if (cr_app_ent_key(app, k)) /* the ENT's password form */
        return;
    if (cr_app_settings_key(app, k)) /* the settings PIN pad */
        return;
    if (app->current == CR_SCREEN_BOARD && cr_app_board_key(app, k)) /* a web page */
        return;
    switch (k->keysym.sym) {
    case SDLK_ESCAPE:
    case SDLK_HOME:
        action = "open launcher";
        break;
    case SDLK_SPACE:
        action = "camera toggle-freeze";
        break;
    case SDLK_PLUS:
    case SDLK_KP_PLUS:
    case SDLK_EQUALS:
        action = "camera zoom in";
        break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        action = "camera zoom out";
        break;
    case SDLK_r:
        action = "camera rotate";
        break;
    case SDLK_m:
        action = "camera mirror";
        break;
    case SDLK_c:
        action = "camera snapshot";
        break;
    case SDLK_s:
        action = "ink save"; /* the camera's picture or the whiteboard, with the ink */
        break;
    case SDLK_F11: {
        Uint32 flags = SDL_GetWindowFlags(app->screen.window);
        SDL_SetWindowFullscreen(app->screen.window, flags & SDL_WINDOW_FULLSCREEN_DESKTOP
                                                        ? 0
                                                        : SDL_WINDOW_FULLSCREEN_DESKTOP);
        return;
    }
    default:
        cr_app_ink_key(app, k);
        return;
    }
    if (app->current == CR_SCREEN_CAMERA || !g_str_has_prefix(action, "camera"))
        cr_app_action(app, action);
}

static void on_sdl_event(struct cr_app *app, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        app->running = false;
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED && cr_screen_update_size(&app->screen))
            cr_ui_flush(&app->ui);
        app->dirty = true;
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.button == SDL_BUTTON_LEFT && ev->button.which != SDL_TOUCH_MOUSEID &&
            !cr_app_window_input_is_duplicate(app, false)) {
            app->mouse_down = true;
            feed(app, CR_INPUT_POINTER, CR_INPUT_DOWN, 0, ev->button.x, ev->button.y);
        }
        break;
    case SDL_MOUSEMOTION:
        if (app->mouse_down && ev->motion.which != SDL_TOUCH_MOUSEID)
            feed(app, CR_INPUT_POINTER, CR_INPUT_MOTION, 0, ev->motion.x, ev->motion.y);
        break;
    case SDL_MOUSEBUTTONUP:
        if (ev->button.button == SDL_BUTTON_LEFT && app->mouse_down) {
            app->mouse_down = false;
            feed(app, CR_INPUT_POINTER, CR_INPUT_UP, 0, ev->button.x, ev->button.y);
        }
        break;
    case SDL_MOUSEWHEEL:
        if (app->current == CR_SCREEN_CAMERA && ev->wheel.y != 0) {
            int mx, my;
            SDL_GetMouseState(&mx, &my);
            struct cr_tile *t = cr_camera_screen_tile_at(&app->camera_screen, mx, my);
            if (t)
                cr_tile_zoom(t, ev->wheel.y > 0 ? 1.25f : 0.8f, (float)mx, (float)my);
            app->dirty = true;
        } else if (app->current == CR_SCREEN_BOARD && ev->wheel.y != 0) {
            int mx, my;
            SDL_GetMouseState(&mx, &my);
            cr_app_board_wheel(app, mx, my, ev->wheel.y);
        }
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:
        if (cr_app_window_input_is_duplicate(app, true))
            break; /* libinput gives craie the same touches, calibrated */
        feed(app, CR_INPUT_TOUCH,
             ev->type == SDL_FINGERDOWN ? CR_INPUT_DOWN
             : ev->type == SDL_FINGERUP ? CR_INPUT_UP
                                        : CR_INPUT_MOTION,
             (int32_t)ev->tfinger.fingerId, ev->tfinger.x * app->screen.width,
             ev->tfinger.y * app->screen.height);
        break;
    case SDL_KEYDOWN:
        on_key(app, &ev->key);
        app->dirty = true;
        break;
    case SDL_TEXTINPUT:
        cr_app_ent_text(app, ev->text.text);
        if (app->current == CR_SCREEN_BOARD)
            cr_app_board_text(app, ev->text.text);
        break;
    default:
        break;
    }
}

static void on_saved(struct cr_app *app, struct cr_save_result *res)
{
    char *text = res->ok ? g_strdup_printf(_("Image saved: %s"), res->path)
                         : g_strdup_printf(_("The image could not be saved (%s)."), res->error);
    cr_toast_show(&app->notice, text, cr_monotonic_us(), res->ok ? 5000 : 9000);
    g_free(text);

    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "ok");
    json_builder_add_boolean_value(b, res->ok);
    json_builder_set_member_name(b, "path");
    json_builder_add_string_value(b, res->path);
    json_builder_end_object(b);
    cr_app_broadcast(app, "saved", json_builder_get_root(b));
    g_object_unref(b);
}

static void on_camera_status_ui(struct cr_app *app, struct cr_camera_status_msg *msg)
{
    bool changed = msg->state != app->camera_screen.status.state;
    /* Leaving LIVE (unplugged, failed, another camera starting): forget the
     * last image so that it can never come back as if it were live. A frozen
     * image is the teacher's: it stays. */
    if (msg->state != CR_CAMERA_LIVE && !app->camera_tile.frozen)
        cr_tile_clear(&app->camera_tile);
    if (msg->state == CR_CAMERA_NO_DEVICE && app->cfg->ui.demo)
        cr_app_camera(app, CR_APP_CAMERA_USE_TEST); /* demo mode: the test pattern at once */
    if (changed) {
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "state");
        json_builder_add_string_value(b, cr_camera_state_name(msg->state));
        json_builder_set_member_name(b, "device");
        json_builder_add_string_value(b, msg->device_name);
        json_builder_end_object(b);
        cr_app_broadcast(app, "camera-state", json_builder_get_root(b));
        g_object_unref(b);
    }
    cr_camera_screen_set_status(&app->camera_screen, msg);
    app->dirty = true;
}

static void on_our_event(struct cr_app *app, enum cr_event_type type, const SDL_Event *ev,
                         void *payload)
{
    switch (type) {
    case CR_EVENT_NEW_FRAME:
        if (!cr_app_board_tile_alive(app, payload))
            return; /* the last frame of a tile closed since */
        if (cr_tile_update(payload, app->ui.r) && app->current != CR_SCREEN_LAUNCHER)
            app->dirty = true;
        return;
    case CR_EVENT_IPC_REQUEST:
        cr_app_handle_request(app, payload); /* takes the request */
        return;
    case CR_EVENT_CAMERA_STATUS:
        on_camera_status_ui(app, payload);
        break;
    case CR_EVENT_CAST_STATUS:
        cr_app_fleet_on_cast(app, payload);
        cr_app_cast_status(app, payload);
        return; /* takes the status */
    case CR_EVENT_SAVED:
        on_saved(app, payload);
        app->dirty = true;
        break;
    case CR_EVENT_INPUT:
        cr_app_device_input(app, payload);
        break;
    case CR_EVENT_INPUT_DEVICE:
        cr_app_on_device_msg(app, payload);
        break;
    case CR_EVENT_QUIT:
        app->running = false;
        break;
    case CR_EVENT_ENT_VIEW:
        cr_app_fleet_on_ent(app, payload);
        cr_app_ent_on_view(app, payload); /* takes the view */
        return;
    case CR_EVENT_ENT_ICON:
        cr_app_ent_on_icon(app, payload);
        break;
    case CR_EVENT_WEB:
        cr_web_handle_event(payload); /* takes the message */
        app->dirty = true;
        return;
    case CR_EVENT_PLAYER:
        cr_player_dispatch(payload);
        break;
    case CR_EVENT_DOCUMENT:
        cr_document_dispatch(payload);
        break;
    case CR_EVENT_METRICS_SCRAPE:
        cr_app_fleet_on_scrape(app, payload);
        break;
    case CR_EVENT_DIAG_DONE:
        cr_app_settings_on_diag(app, payload);
        break;
    case CR_EVENT_BOARD_OPEN:
        cr_app_board_on_open(app, payload);
        app->dirty = true;
        break;
    case CR_EVENT_BOARD_WIPE:
        cr_app_board_wipe(app);
        break;
    case CR_EVENT_COUNT:
        break;
    }
    cr_event_free_payload(ev);
}

static void dispatch(struct cr_app *app, const SDL_Event *ev)
{
    enum cr_event_type type;
    void *payload;
    if (cr_event_decode(ev, &type, &payload))
        on_our_event(app, type, ev, payload);
    else
        on_sdl_event(app, ev);
}

/* How long the UI may sleep: until the next long-press step, toast expiry
 * or clock change. -1 = until an event. */
static int wait_timeout_ms(struct cr_app *app)
{
    int64_t now = cr_monotonic_us(), wait = -1;
    int64_t deadline = cr_gesture_deadline(&app->gestures);
    if (deadline > 0)
        wait = CR_MAX(deadline - now, 0);
    if (cr_gesture_long_press_progress(&app->gestures, now) >= 0 &&
        app->current != CR_SCREEN_LAUNCHER)
        wait = wait < 0 ? 33000 : CR_MIN(wait, 33000); /* animate the ring */
    if (app->notice.toast) {
        int64_t t = CR_MAX(app->notice.toast_until_us - now, 0);
        wait = wait < 0 ? t : CR_MIN(wait, t);
    }
    int64_t cal = cr_calibration_screen_deadline(&app->calibration);
    if (cal > 0)
        wait = wait < 0 ? CR_MAX(cal - now, 0) : CR_MIN(wait, CR_MAX(cal - now, 0));
    if (app->current == CR_SCREEN_LAUNCHER) {
        int64_t t = cr_launcher_next_tick_us();
        wait = wait < 0 ? t : CR_MIN(wait, t);
    }
    if (app->dirty && app->next_render_us > now) {
        int64_t t = app->next_render_us - now;
        wait = wait < 0 ? t : CR_MIN(wait, t);
    }
    return wait < 0 ? -1 : (int)((wait + 999) / 1000);
}

static void run_loop(struct cr_app *app)
{
    app->dirty = true;
    while (app->running) {
        SDL_Event ev;
        cr_app_service_turn(app);
        int timeout = cr_app_service_wait(app, wait_timeout_ms(app));
        bool got = timeout < 0 ? SDL_WaitEvent(&ev) : SDL_WaitEventTimeout(&ev, timeout);
        if (got) {
            dispatch(app, &ev);
            while (app->running && SDL_PollEvent(&ev))
                dispatch(app, &ev);
        }
        cr_app_tick_input(app, cr_monotonic_us());
        cr_app_input_offer_pending(app);
        const char *cal = cr_calibration_screen_tick(&app->calibration, cr_monotonic_us());
        if (cal)
            cr_app_action(app, cal);
        if (cr_calibration_screen_active(&app->calibration))
            app->dirty = true; /* messages expire, the accepted target flashes */
        if (cr_gesture_long_press_progress(&app->gestures, cr_monotonic_us()) >= 0 ||
            app->notice.toast || app->current == CR_SCREEN_LAUNCHER)
            app->dirty = true;
        /* Many tiles bring many frames: draw them at most once a screen refresh. */
        if (app->dirty && app->running && cr_monotonic_us() >= app->next_render_us) {
            cr_app_render(app);
            cr_screen_present(&app->screen);
            cr_app_ink_presented(app, cr_monotonic_us());
            cr_app_service_presented(app);
            app->dirty = false;
            app->next_render_us = cr_monotonic_us() + 15000;
        }
    }
}

/* --- lifecycle ---------------------------------------------------------- */

static bool start_ipc(struct cr_app *app)
{
    if (!app->cfg->ipc.enabled)
        return true;
    app->ipc_path = cr_config_ipc_socket_path(app->cfg);
    GError *err = NULL;
    app->ipc = cr_ipc_server_new(app->io.ctx, app->ipc_path, &ipc_cbs, app, &err);
    if (!app->ipc) {
        cr_err("ipc", "control socket unavailable: %s", err ? err->message : "?");
        g_clear_error(&err);
        return false;
    }
    cr_info("ipc", "control socket: %s", app->ipc_path);
    return true;
}

static void watch_signals(struct cr_app *app)
{
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
        app->signals[i] = g_unix_signal_source_new(sigs[i]);
        g_source_set_callback(app->signals[i], on_signal, app, NULL);
        g_source_attach(app->signals[i], app->io.ctx);
    }
}

int cr_app_run(const struct cr_config *cfg)
{
    struct cr_app *app = cr_xcalloc(1, sizeof(*app));
    int status = 1;
    app->cfg = cfg;
    app->save_dir = cr_config_save_dir(cfg);
    app->save_threads = g_ptr_array_new();
    app->current = CR_SCREEN_LAUNCHER;

    cr_io_init(&app->io);
    watch_signals(app);
    cr_app_service_init(app);

    struct cr_screen_options so = {.fullscreen = cfg->display.fullscreen,
                                   .width = cfg->display.width,
                                   .height = cfg->display.height,
                                   .title = "craie"};
    if (!cr_screen_init(&app->screen, &so))
        goto err_io;
    char *assets = cr_ui_assets_dir();
    bool ui_ok = cr_ui_init(&app->ui, &app->screen, assets);
    g_free(assets);
    if (!ui_ok || !cr_events_init())
        goto err_screen;
    cr_app_service_splash(app);

    cr_tile_init(&app->camera_tile, CR_TILE_CAMERA, &camera_slot_cbs, &app->camera_tile);
    app->camera_tile.view.rotate180 = cfg->camera.rotate180;
    app->camera_tile.view.mirror = cfg->camera.mirror;
    cr_camera_screen_init(&app->camera_screen, &app->camera_tile,
                          (size_t)cfg->camera.snapshots_max);
    cr_launcher_init(&app->launcher);
    cr_app_cast_init(app);
    cr_notice_init(&app->notice);
    cr_app_input_init(app);
    cr_app_ink_init(app);
    cr_app_ent_init(app);
    cr_app_board_init(app);
    struct cr_gesture_config gc = {.slop_px = 24.0 * app->screen.scale + 8,
                                   .long_press_ms = cfg->ui.long_press_ms};
    cr_gesture_init(&app->gestures, &gc);

    struct cr_camera_options co = {.device = cfg->camera.device,
                                   .mode = cfg->camera.mode,
                                   .allow_4k = cfg->camera.allow_4k,
                                   .monitor = true,
                                   .retry_ms = 2000};
    cr_camera_init(&app->camera, app->io.ctx, &co, &app->camera_tile.slot, &camera_cbs, app);
    start_ipc(app); /* craie works without it: logged */
    cr_app_fleet_init(app);
    cr_app_settings_init(app);
    cr_service_start_watchdog(&app->service, app->io.ctx);

    if (!cr_io_start(&app->io))
        goto err_ui;
    cr_app_camera(app, CR_APP_CAMERA_START);
    cr_app_input_start(app);
    cr_app_cast_start(app);
    cr_app_ent_start(app);

    cr_info("app", "craie %s ready (language: %s)", CR_VERSION, cr_i18n_language());
    app->running = true;
    cr_app_service_started(app);
    run_loop(app);
    cr_app_service_stopping(app);
    status = 0;
    cr_app_board_shutdown(app); /* web views end the ENT session, then go */

    /* Ordered shutdown: refuse new posts, stop sources and quit the io loop,
     * join, then free what the UI owns. */
    cr_events_close();
    cr_frame_slot_close(&app->camera_tile.slot);
    cr_app_io(app, io_shutdown);
    cr_io_join(&app->io);
    for (guint i = 0; i < app->save_threads->len; i++)
        g_thread_join(app->save_threads->pdata[i]);
    g_ptr_array_set_size(app->save_threads, 0);
    cr_events_drain();
    goto out_ui;

err_ui:
    io_shutdown(app);
out_ui:
    cr_app_input_destroy(app);
    cr_app_board_destroy(app); /* before the tiles it borrows */
    cr_app_ink_destroy(app);
    cr_app_ent_destroy(app);
    cr_app_fleet_destroy(app);
    cr_app_settings_destroy(app);
    cr_notice_destroy(&app->notice);
    cr_camera_screen_destroy(&app->camera_screen);
    cr_app_cast_destroy(app);
    cr_tile_destroy(&app->camera_tile);
    cr_ui_destroy(&app->ui);
err_screen:
    cr_screen_destroy(&app->screen);
err_io:
    cr_io_destroy(&app->io);
    cr_app_service_destroy(app, status == 0);
    g_ptr_array_unref(app->save_threads);
    g_free(app->save_dir);
    g_free(app->ipc_path);
    free(app);
    cr_info("app", "bye");
    return status;
}
