/* The board screen in the application (see app_board.h): the camera and
 * cast kinds of tile, the commands, fingers on the tiles. */
#include "display/app_board.h"

#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/app_board_kinds.h"
#include "display/web/web_view.h"

/* --- camera and cast tiles: a picture to pan and zoom ------------------- */

static bool picture_input(struct cr_board_tile *t, const struct cr_board_input *in)
{
    switch (in->type) {
    case CR_BOARD_DRAG:
        cr_tile_pan(t->tile, (float)in->dx, (float)in->dy);
        return true;
    case CR_BOARD_PINCH:
        cr_tile_zoom(t->tile, (float)in->scale, (float)in->x, (float)in->y);
        cr_tile_pan(t->tile, (float)in->dx, (float)in->dy);
        return true;
    case CR_BOARD_SCROLL:
        cr_tile_zoom(t->tile, in->dy > 0 ? 1.25f : 0.8f, (float)in->x, (float)in->y);
        return true;
    case CR_BOARD_TAP:
    case CR_BOARD_DRAG_BEGIN:
    case CR_BOARD_DRAG_END:
        break;
    }
    return false;
}

static bool picture_command(struct cr_board_tile *t, char **args, unsigned n, char **error)
{
    if (!strcmp(args[0], "zoom") && n == 2) {
        struct cr_rect r = t->tile->image_rect;
        float cx = r.x + r.w / 2.0f, cy = r.y + r.h / 2.0f;
        if (!strcmp(args[1], "in"))
            cr_tile_zoom(t->tile, 1.5f, cx, cy);
        else if (!strcmp(args[1], "out"))
            cr_tile_zoom(t->tile, 1 / 1.5f, cx, cy);
        else if (!strcmp(args[1], "reset"))
            cr_tile_reset_view(t->tile);
        else
            goto usage;
        return true;
    }
usage:
    *error = g_strdup("usage: board tile N zoom in|out|reset");
    return false;
}

static void picture_state(struct cr_board_tile *t, JsonBuilder *b)
{
    json_builder_set_member_name(b, "zoom");
    json_builder_add_double_value(b, t->tile->view.zoom);
    json_builder_set_member_name(b, "center_x");
    json_builder_add_double_value(b, t->tile->view.center_x);
    json_builder_set_member_name(b, "center_y");
    json_builder_add_double_value(b, t->tile->view.center_y);
}

static void camera_state(struct cr_board_tile *t, JsonBuilder *b)
{
    const struct cr_app *app = t->data;
    const struct cr_camera_status_msg *st = &app->camera_screen.status;
    picture_state(t, b);
    json_builder_set_member_name(b, "source");
    json_builder_add_string_value(b, st->is_test ? "test" : st->device_name ? "v4l2" : "none");
    json_builder_set_member_name(b, "state");
    json_builder_add_string_value(b, cr_camera_state_name(st->state));
}

static void camera_update(struct cr_board_tile *t)
{
    struct cr_app *app = t->data;
    const struct cr_camera_status_msg *st = &app->camera_screen.status;
    bool away = st->state == CR_CAMERA_NO_DEVICE || st->state == CR_CAMERA_FAILED ||
                st->state == CR_CAMERA_UNPLUGGED;
    int i = cr_board_find(&app->board.board, t->ops, 0);
    if (i >= 0)
        cr_board_set_notice(&app->board.board, (size_t)i,
                            away && !cr_tile_has_image(t->tile)
                                ? _("No camera is connected. Plug the document camera in.")
                                : NULL);
}

static const struct cr_board_tile_ops camera_ops = {
    .kind = "camera",
    .input = picture_input,
    .command = picture_command,
    .add_state = camera_state,
    .update = camera_update,
};

static void cast_state(struct cr_board_tile *t, JsonBuilder *b)
{
    picture_state(t, b);
    json_builder_set_member_name(b, "sender");
    json_builder_add_int_value(b, t->source_id);
}

static void cast_update(struct cr_board_tile *t)
{
    struct cr_app *app = t->data;
    const struct cr_cast_sender_info *s = cr_cast_wall_sender(&app->cast_wall, t->source_id);
    int i = cr_board_find(&app->board.board, t->ops, t->source_id);
    /* as on the wall: a stalled stream never shows as if it were live */
    const char *notice = !s || !s->approved            ? _("This pupil is no longer sharing.")
                         : s->state == CR_CAST_STALLED ? _("Waiting for the picture…")
                                                       : NULL;
    if (i >= 0)
        cr_board_set_notice(&app->board.board, (size_t)i, notice);
}

static const struct cr_board_tile_ops cast_ops = {
    .kind = "cast",
    .input = picture_input,
    .command = picture_command,
    .add_state = cast_state,
    .update = cast_update,
};

/* --- lifecycle ------------------------------------------------------------ */

void cr_app_board_init(struct cr_app *app)
{
    cr_board_init(&app->board.board, &app->ink.style);
    app->board.drag = app->board.bar_drag = -1;
}

void cr_app_board_destroy(struct cr_app *app)
{
    cr_board_destroy(&app->board.board);
}

bool cr_app_board_tile_alive(struct cr_app *app, const struct cr_tile *tile)
{
    if (tile == &app->camera_tile)
        return true;
    for (size_t i = 0; i < CR_ARRAY_SIZE(app->cast_wall.tiles); i++)
        if (tile == &app->cast_wall.tiles[i])
            return true;
    const struct cr_board *b = &app->board.board;
    for (size_t i = 0; i < b->n; i++)
        if (b->tiles[i].tile == tile)
            return true;
    return false;
}

bool cr_app_board_wants_camera(struct cr_app *app)
{
    return cr_board_find(&app->board.board, &camera_ops, 0) >= 0;
}

void cr_app_board_opened(struct cr_app *app)
{
    app->board.drag = app->board.bar_drag = -1;
    if (cr_app_board_wants_camera(app))
        cr_app_camera(app, CR_APP_CAMERA_OPEN);
}

void cr_app_board_left(struct cr_app *app, int to)
{
    app->board.drag = app->board.bar_drag = -1;
    if (cr_app_board_wants_camera(app) && to != CR_SCREEN_CAMERA)
        cr_app_camera(app, CR_APP_CAMERA_CLOSE);
}

/* --- input ---------------------------------------------------------------- */

/* A drag that starts on a tile's bar slider (seek, volume) moves it. */
static bool bar_gesture(struct cr_app *app, const struct cr_gesture *g)
{
    struct cr_board *b = &app->board.board;
    int i = app->board.bar_drag;
    if (g->type == CR_GESTURE_DRAG_BEGIN) {
        i = cr_board_bar_at(b, (int)g->start_x, (int)g->start_y);
        if (i < 0)
            return false;
        struct cr_board_tile *t = &b->tiles[i];
        const char *cmd =
            t->ops->bar_drag(t, CR_BOARD_DRAG_START, (int)g->start_x, (int)g->start_y);
        if (!cmd)
            return false;
        app->board.bar_drag = i;
        cr_app_action(app, cmd);
        cmd = t->ops->bar_drag(t, CR_BOARD_DRAG_MOVE, (int)g->x, (int)g->y);
        if (cmd)
            cr_app_action(app, cmd);
        app->dirty = true;
        return true;
    }
    if (i < 0 || (size_t)i >= b->n)
        return false;
    struct cr_board_tile *t = &b->tiles[i];
    if (g->type == CR_GESTURE_DRAG_UPDATE) {
        const char *cmd = t->ops->bar_drag(t, CR_BOARD_DRAG_MOVE, (int)g->x, (int)g->y);
        if (cmd)
            cr_app_action(app, cmd);
    } else if (g->type == CR_GESTURE_DRAG_END || g->type == CR_GESTURE_CANCEL) {
        t->ops->bar_drag(t, CR_BOARD_DRAG_STOP, (int)g->x, (int)g->y);
        app->board.bar_drag = -1;
    } else {
        return false;
    }
    app->dirty = true;
    return true;
}

void cr_app_board_gesture(struct cr_app *app, const struct cr_gesture *g)
{
    struct cr_board *b = &app->board.board;
    struct cr_board_input in = {.x = g->x, .y = g->y, .dx = g->dx, .dy = g->dy, .scale = g->scale};
    if (bar_gesture(app, g))
        return;
    switch (g->type) {
    case CR_GESTURE_DRAG_BEGIN:
        in.type = CR_BOARD_DRAG_BEGIN;
        in.x = g->start_x;
        in.y = g->start_y;
        app->board.drag = cr_board_input(b, -1, &in);
        break;
    case CR_GESTURE_PINCH_BEGIN:
        app->board.drag = cr_board_content_at(b, (int)g->x, (int)g->y);
        break;
    case CR_GESTURE_DRAG_UPDATE:
        in.type = CR_BOARD_DRAG;
        if (app->board.drag >= 0)
            cr_board_input(b, app->board.drag, &in);
        break;
    case CR_GESTURE_PINCH_UPDATE:
        in.type = CR_BOARD_PINCH;
        if (app->board.drag >= 0)
            cr_board_input(b, app->board.drag, &in);
        break;
    case CR_GESTURE_DRAG_END:
    case CR_GESTURE_PINCH_END:
    case CR_GESTURE_CANCEL:
        in.type = CR_BOARD_DRAG_END;
        if (app->board.drag >= 0 && g->type == CR_GESTURE_DRAG_END)
            cr_board_input(b, app->board.drag, &in);
        app->board.drag = app->board.bar_drag = -1;
        break;
    case CR_GESTURE_PRESS:
    case CR_GESTURE_TAP:
    case CR_GESTURE_LONG_PRESS:
        break;
    }
    app->dirty = true;
}

const char *cr_app_board_tap(struct cr_app *app, int x, int y)
{
    struct cr_board *b = &app->board.board;
    const char *action = cr_board_hit(b, x, y);
    if (action)
        return action;
    struct cr_board_input in = {.type = CR_BOARD_TAP, .x = x, .y = y, .scale = 1};
    cr_board_input(b, -1, &in);
    return NULL;
}

void cr_app_board_press(struct cr_app *app, int x, int y)
{
    cr_board_press(&app->board.board, x, y);
}

void cr_app_board_wheel(struct cr_app *app, int x, int y, int steps)
{
    struct cr_board_input in = {.type = CR_BOARD_SCROLL, .x = x, .y = y, .dy = steps, .scale = 1};
    cr_board_input(&app->board.board, -1, &in);
    app->dirty = true;
}

/* --- commands ------------------------------------------------------------- */

static bool parse_index(struct cr_app *app, const char *s, size_t *out, char **error)
{
    char *end;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || *end || v < 1 || v > app->board.board.n) {
        *error = g_strdup_printf("no tile %s on the board (1 to %zu)", s ? s : "(none)",
                                 app->board.board.n);
        return false;
    }
    *out = v - 1;
    return true;
}

static bool board_full(struct cr_app *app, char **error)
{
    if (app->board.board.n < CR_BOARD_MAX)
        return false;
    *error = g_strdup_printf("the board already shows %d tiles: close one first", CR_BOARD_MAX);
    cr_toast_show(&app->notice, _("The board already shows four things. Close one first."),
                  cr_monotonic_us(), 5000);
    return true;
}

static JsonNode *index_node(int i)
{
    JsonBuilder *jb = json_builder_new();
    json_builder_begin_object(jb);
    json_builder_set_member_name(jb, "index");
    json_builder_add_int_value(jb, i + 1);
    json_builder_end_object(jb);
    JsonNode *node = json_builder_get_root(jb);
    g_object_unref(jb);
    return node;
}

static bool add_camera(struct cr_app *app, JsonNode **data, char **error)
{
    struct cr_board *b = &app->board.board;
    int i = cr_board_find(b, &camera_ops, 0);
    if (i < 0) {
        if (board_full(app, error))
            return false;
        i = cr_board_add(b, &camera_ops, &app->camera_tile, app, 0, _("Camera"));
    }
    if (app->current == CR_SCREEN_BOARD)
        cr_app_camera(app, CR_APP_CAMERA_OPEN);
    else
        cr_app_open(app, CR_SCREEN_BOARD);
    *data = index_node(i);
    return true;
}

static bool add_cast(struct cr_app *app, const char *arg, JsonNode **data, char **error)
{
    char *end;
    unsigned long id = arg ? strtoul(arg, &end, 10) : 0;
    const struct cr_cast_sender_info *s =
        arg && !*end && id > 0 ? cr_cast_wall_sender(&app->cast_wall, (unsigned)id) : NULL;
    if (!s || !s->approved) {
        *error = g_strdup_printf("no pupil's screen %s shown (cast list: an approved ID)",
                                 arg ? arg : "(none)");
        return false;
    }
    struct cr_board *b = &app->board.board;
    int i = cr_board_find(b, &cast_ops, (unsigned)id);
    if (i < 0) {
        if (board_full(app, error))
            return false;
        /* TRANSLATORS: a board tile's title: the pupil's screen, by first name */
        char *title = g_strdup_printf(_("Screen of %s"), s->name ? s->name : "?");
        i = cr_board_add(b, &cast_ops, cr_cast_wall_tile(&app->cast_wall, (unsigned)id), app,
                         (unsigned)id, title);
        g_free(title);
    }
    cr_app_open(app, CR_SCREEN_BOARD);
    *data = index_node(i);
    return true;
}

static bool close_tile(struct cr_app *app, size_t i)
{
    struct cr_board *b = &app->board.board;
    bool camera = b->tiles[i].ops == &camera_ops;
    cr_board_close(b, i);
    app->board.drag = app->board.bar_drag = -1;
    if (camera && app->current == CR_SCREEN_BOARD)
        cr_app_camera(app, CR_APP_CAMERA_CLOSE);
    return true;
}

bool cr_app_board_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                          char **error)
{
    const char *sub = args[0], *arg = n > 1 ? args[1] : NULL;
    struct cr_board *b = &app->board.board;
    size_t i;
    app->dirty = true;
    if (!strcmp(sub, "add")) {
        if (!g_strcmp0(arg, "camera") && n == 2)
            return add_camera(app, data, error);
        if (!g_strcmp0(arg, "cast") && n == 3)
            return add_cast(app, args[2], data, error);
        *error = g_strdup("usage: board add camera|cast ID");
        return false;
    }
    if (!strcmp(sub, "close")) {
        if (n != 2 || !parse_index(app, arg, &i, error))
            return false;
        return close_tile(app, i);
    }
    if (!strcmp(sub, "fullscreen")) {
        if (n < 2 || n > 3 || !parse_index(app, arg, &i, error))
            return false;
        bool on;
        if (!cr_app_parse_on_off(n > 2 ? args[2] : NULL, b->fullscreen == (int)i, &on)) {
            *error = g_strdup("usage: board fullscreen N [on|off]");
            return false;
        }
        b->fullscreen = on ? (int)i : -1;
        return true;
    }
    if (!strcmp(sub, "tile")) {
        if (n < 3 || !parse_index(app, arg, &i, error)) {
            if (!*error)
                *error = g_strdup("usage: board tile N COMMAND…");
            return false;
        }
        struct cr_board_tile *t = &b->tiles[i];
        if (!t->ops->command) {
            *error = g_strdup_printf("a %s tile takes no command", t->ops->kind);
            return false;
        }
        return t->ops->command(t, args + 2, n - 2, error);
    }
    *error = g_strdup_printf("unknown board command: %s", sub);
    return false;
}

bool cr_app_board_open(struct cr_app *app, const char *what, const char *arg, JsonNode **data,
                       char **error)
{
    int i = -1;
    const char *notice = NULL;
    if (board_full(app, error))
        return false;
    if (!strcmp(what, "url")) {
        if (!cr_board_web_url_ok(arg)) {
            *error = g_strdup_printf("%s: not a web address (http:// or https://)", arg);
            notice = _("This is not a web address.");
        } else {
            struct cr_board_web_open o = {.url = arg};
            i = cr_board_web_open(app, &o, error);
            notice = _("The web page cannot be shown.");
        }
    } else {
        struct cr_board_media_open o = {.path_or_url = arg};
        bool media = !strcmp(what, "media");
        i = media ? cr_board_media_open(app, &o, error) : cr_board_document_open(app, &o, error);
        notice = media ? _("This video or sound cannot be played.")
                       : _("This document cannot be shown.");
    }
    if (i < 0) {
        cr_toast_show(&app->notice, notice, cr_monotonic_us(), 8000);
        app->dirty = true;
        return false;
    }
    cr_app_open(app, CR_SCREEN_BOARD);
    *data = index_node(i);
    return true;
}

bool cr_app_board_key(struct cr_app *app, const SDL_KeyboardEvent *k)
{
    struct cr_board *b = &app->board.board;
    if (b->focused < 0 || b->focused >= (int)b->n)
        return false;
    bool taken = cr_board_web_key(&b->tiles[b->focused], k);
    if (taken && k->keysym.sym == SDLK_ESCAPE)
        return false; /* Échap still goes home */
    return taken;
}

void cr_app_board_text(struct cr_app *app, const char *text)
{
    struct cr_board *b = &app->board.board;
    if (b->focused < 0 || b->focused >= (int)b->n)
        return;
    struct cr_web_view *view = cr_board_web_view(&b->tiles[b->focused]);
    if (view)
        cr_web_view_text(view, text);
}

size_t cr_app_board_buttons(struct cr_app *app, struct cr_app_button *out, size_t max)
{
    const struct cr_button *b[CR_APP_MAX_BUTTONS];
    size_t n = cr_board_buttons(&app->board.board, b, CR_MIN(max, CR_APP_MAX_BUTTONS));
    for (size_t i = 0; i < n; i++)
        out[i] = (struct cr_app_button){b[i], NULL};
    return n;
}

void cr_app_board_add_tiles(struct cr_app *app, JsonBuilder *b)
{
    cr_board_add_tiles_state(&app->board.board, b);
}

void cr_app_board_add_state(struct cr_app *app, JsonBuilder *b)
{
    struct cr_board *bd = &app->board.board;
    json_builder_set_member_name(b, "board");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "count");
    json_builder_add_int_value(b, (gint64)bd->n);
    json_builder_set_member_name(b, "fullscreen");
    json_builder_add_int_value(b, bd->fullscreen + 1);
    json_builder_set_member_name(b, "layout");
    json_builder_add_string_value(
        b, cr_layout_kind_name(cr_layout_for_count(bd->fullscreen >= 0 ? 1 : bd->n)));
    json_builder_set_member_name(b, "tiles");
    json_builder_begin_array(b);
    cr_board_add_tiles_state(bd, b);
    json_builder_end_array(b);
    json_builder_end_object(b);
}
