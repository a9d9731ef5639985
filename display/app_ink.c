#include "display/app_ink.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/ink_save.h"

/* The eraser's radius on screen, design pixels (a pen's eraser end is broad). */
#define ERASER_RADIUS 22.0f

/* --- setup -------------------------------------------------------------- */

static struct cr_ink_rgba config_color(const char *key, const char *text, const char *fallback)
{
    struct cr_ink_rgba c;
    if (cr_ink_parse_color(text, &c))
        return c;
    cr_warn("ink", "ink.%s: '%s' is not a colour (#rrggbb or black, blue, red, green…); using %s",
            key, text ? text : "", fallback);
    cr_ink_parse_color(fallback, &c);
    return c;
}

void cr_app_ink_init(struct cr_app *app)
{
    struct cr_app_ink *ai = &app->ink;
    memset(ai, 0, sizeof(*ai));
    const struct cr_config *cfg = app->cfg;
    cr_pen_style_set_color(&ai->style, 0, config_color("color", cfg->ink.color, "#1d4ed8"));
    cr_pen_style_set_color(&ai->style, 1,
                           config_color("second_color", cfg->ink.second_color, "#dc2626"));
    ai->style.default_width = ai->style.width = (float)CR_MAX(cfg->ink.width, 1);
    ai->finger_draws = cfg->ink.finger_draws;
    enum cr_paper paper = CR_PAPER_WHITE;
    cr_paper_from_name(cfg->whiteboard.background, &paper);
    cr_whiteboard_init(&app->whiteboard, &ai->style, paper);
    cr_camera_screen_set_pen_style(&app->camera_screen, &ai->style);
}

void cr_app_ink_destroy(struct cr_app *app)
{
    cr_whiteboard_destroy(&app->whiteboard);
}

/* --- where the pen writes ----------------------------------------------- */

/* An ink on screen now (a contact's ink may have gone: a snapshot
 * dropped, another one shown). Compares pointers only. */
static bool ink_shown(struct cr_app *app, const struct cr_ink *ink)
{
    if (app->current == CR_SCREEN_WHITEBOARD)
        return ink == &app->whiteboard.ink;
    if (app->current == CR_SCREEN_BOARD)
        return ink == &app->board.board.ink;
    if (app->current != CR_SCREEN_CAMERA)
        return false;
    struct cr_tile *tiles[2];
    size_t n = cr_camera_screen_tiles(&app->camera_screen, tiles);
    for (size_t i = 0; i < n; i++)
        if (ink == cr_camera_screen_tile_ink(&app->camera_screen, tiles[i]))
            return true;
    return false;
}

/* The map content → screen of a contact's surface. */
static bool surface_xform(struct cr_app *app, const struct cr_tile *tile, struct cr_ink_xform *xf)
{
    if (!tile && app->current == CR_SCREEN_BOARD) {
        cr_board_xform(&app->board.board, xf);
        return true;
    }
    if (!tile) {
        cr_whiteboard_xform(&app->whiteboard, xf);
        return true;
    }
    return cr_tile_content_xform(tile, xf);
}

static bool same_pen_class(enum cr_input_kind a, enum cr_input_kind b)
{
    bool pa = a == CR_INPUT_PEN || a == CR_INPUT_ERASER,
         pb = b == CR_INPUT_PEN || b == CR_INPUT_ERASER;
    return pa ? pb : a == b;
}

static struct cr_app_ink_contact *find_contact(struct cr_app_ink *ai,
                                               const struct cr_input_event *ev)
{
    for (int i = 0; i < CR_APP_INK_CONTACTS; i++) {
        struct cr_app_ink_contact *c = &ai->contacts[i];
        if (c->active && same_pen_class(c->kind, ev->kind) && c->device_id == ev->device_id &&
            c->tool_id == ev->tool_id && c->slot == ev->slot)
            return c;
    }
    return NULL;
}

static uint64_t contact_key(struct cr_app_ink *ai, const struct cr_app_ink_contact *c)
{
    return (uint64_t)(c - ai->contacts);
}

/* 0 for the first pen seen (and the mouse, fingers), 1 for any other, and
 * for a pen given the role pen2 in input.roles whatever the order. */
static int pen_role(struct cr_app_ink *ai, const struct cr_input_event *ev)
{
    if (ev->kind != CR_INPUT_PEN && ev->kind != CR_INPUT_ERASER)
        return 0;
    if (ev->tool_id & CR_INPUT_TOOL_SECOND_PEN)
        return 1;
    for (size_t i = 0; i < ai->n_pens; i++)
        if (ai->pens[i].device_id == ev->device_id && ai->pens[i].tool_id == ev->tool_id)
            return i == 0 ? 0 : 1;
    if (ai->n_pens < CR_APP_INK_PENS) {
        ai->pens[ai->n_pens].device_id = ev->device_id;
        ai->pens[ai->n_pens].tool_id = ev->tool_id;
        ai->n_pens++;
        if (ai->n_pens == 2)
            cr_info("ink", "a second pen (device %u, tool %u): it writes in the second colour",
                    ev->device_id, ev->tool_id);
    }
    return ai->n_pens == 1 ? 0 : 1;
}

static void note_input(struct cr_app_ink *ai, int64_t time_us)
{
    if (ai->n_pending < CR_APP_INK_PENDING)
        ai->pending_us[ai->n_pending++] = time_us;
}

static bool may_write(struct cr_app *app, const struct cr_input_event *ev)
{
    if (app->notice.visible)
        return false;
    switch (ev->kind) {
    case CR_INPUT_PEN:
    case CR_INPUT_ERASER:
        return true;
    case CR_INPUT_POINTER:
        return app->current == CR_SCREEN_WHITEBOARD;
    case CR_INPUT_TOUCH:
        return app->ink.finger_draws;
    }
    return false;
}

/* The surface under (x, y) where ink goes: its ink and tile (NULL for the
 * whiteboard). False on a control or outside any picture. */
static bool surface_at(struct cr_app *app, int x, int y, struct cr_ink **ink,
                       const struct cr_tile **tile)
{
    if (app->current != CR_SCREEN_LAUNCHER && cr_rect_contains(cr_ui_home_rect(&app->ui), x, y))
        return false;
    if (app->current == CR_SCREEN_WHITEBOARD) {
        if (!cr_whiteboard_on_board(&app->whiteboard, x, y))
            return false;
        *ink = &app->whiteboard.ink;
        *tile = NULL;
        return true;
    }
    if (app->current == CR_SCREEN_BOARD) { /* one ink over every tile of the board */
        if (!cr_board_on_ink_area(&app->board.board, x, y))
            return false;
        *ink = &app->board.board.ink;
        *tile = NULL;
        return true;
    }
    if (app->current != CR_SCREEN_CAMERA || cr_camera_screen_on_control(&app->camera_screen, x, y))
        return false;
    struct cr_tile *t = cr_camera_screen_tile_at(&app->camera_screen, x, y);
    *ink = t ? cr_camera_screen_tile_ink(&app->camera_screen, t) : NULL;
    *tile = t;
    return *ink != NULL;
}

static void end_contact(struct cr_app_ink_contact *c, struct cr_app_ink *ai, bool keep)
{
    if (c->erasing) {
        if (keep)
            cr_ink_erase_commit(c->ink);
        else
            cr_ink_erase_revert(c->ink);
    } else if (keep) {
        cr_ink_end(c->ink, contact_key(ai, c));
    } else {
        cr_ink_cancel(c->ink, contact_key(ai, c));
    }
    c->active = false;
}

static bool begin(struct cr_app *app, const struct cr_input_event *ev)
{
    struct cr_app_ink *ai = &app->ink;
    struct cr_ink *ink;
    const struct cr_tile *tile;
    struct cr_ink_xform xf;
    if (!surface_at(app, (int)ev->x, (int)ev->y, &ink, &tile) || !surface_xform(app, tile, &xf))
        return false;
    struct cr_app_ink_contact *c = NULL;
    for (int i = 0; i < CR_APP_INK_CONTACTS && !c; i++)
        if (!ai->contacts[i].active)
            c = &ai->contacts[i];
    if (!c)
        return true; /* more contacts than anyone has hands: ignored, never a tap */
    *c = (struct cr_app_ink_contact){.active = true,
                                     .kind = ev->kind,
                                     .device_id = ev->device_id,
                                     .tool_id = ev->tool_id,
                                     .slot = ev->slot,
                                     .ink = ink,
                                     .tile = tile,
                                     .erasing = ev->kind == CR_INPUT_ERASER || ai->style.eraser,
                                     .last_x = (ev->x - xf.bx) / xf.ax,
                                     .last_y = (ev->y - xf.by) / xf.ay,
                                     .screen_x = ev->x,
                                     .screen_y = ev->y};
    if (app->current == CR_SCREEN_CAMERA)
        cr_camera_screen_focus_ink(&app->camera_screen, tile);
    double px = app->screen.scale > 0 ? app->screen.scale : 1.0;
    if (c->erasing) {
        c->eraser_r = ERASER_RADIUS * px / xf.width_scale;
        cr_ink_erase(ink, c->last_x, c->last_y, c->last_x, c->last_y, c->eraser_r);
    } else {
        bool dark = tile == NULL && app->current == CR_SCREEN_WHITEBOARD &&
                    cr_whiteboard_dark(&app->whiteboard);
        struct cr_ink_pen pen = {cr_pen_style_color(&ai->style, pen_role(ai, ev), dark),
                                 (float)(ai->style.width * px / xf.width_scale)};
        bool pen_kind = ev->kind == CR_INPUT_PEN;
        cr_ink_begin(ink, contact_key(ai, c), &pen, c->last_x, c->last_y,
                     pen_kind ? ev->pressure : 1.0, ev->time_us, xf.width_scale);
    }
    note_input(ai, ev->time_us);
    app->dirty = true;
    return true;
}

static void move(struct cr_app *app, struct cr_app_ink_contact *c, const struct cr_input_event *ev)
{
    struct cr_app_ink *ai = &app->ink;
    struct cr_ink_xform xf;
    if (!surface_xform(app, c->tile, &xf))
        return;
    double x = (ev->x - xf.bx) / xf.ax, y = (ev->y - xf.by) / xf.ay;
    if (c->erasing)
        cr_ink_erase(c->ink, c->last_x, c->last_y, x, y, c->eraser_r);
    else
        cr_ink_extend(c->ink, contact_key(ai, c), x, y,
                      ev->kind == CR_INPUT_PEN ? ev->pressure : 1.0, ev->time_us);
    c->last_x = x;
    c->last_y = y;
    c->screen_x = ev->x;
    c->screen_y = ev->y;
    note_input(ai, ev->time_us);
    app->dirty = true;
}

static bool pen_writing(const struct cr_app_ink *ai)
{
    for (int i = 0; i < CR_APP_INK_CONTACTS; i++)
        if (ai->contacts[i].active &&
            (ai->contacts[i].kind == CR_INPUT_PEN || ai->contacts[i].kind == CR_INPUT_ERASER))
            return true;
    return false;
}

/* Palm rejection for touches: returns true when ev belongs to a touch that
 * is ignored (it went down on a picture or the board while a pen was
 * writing or near; buttons still answer fingers). */
static bool palm(struct cr_app *app, const struct cr_input_event *ev)
{
    struct cr_app_ink *ai = &app->ink;
    int free_slot = -1;
    for (int i = 0; i < CR_APP_INK_CONTACTS; i++) {
        if (!ai->palms[i].active) {
            free_slot = free_slot < 0 ? i : free_slot;
            continue;
        }
        if (ai->palms[i].device_id == ev->device_id && ai->palms[i].slot == ev->slot) {
            if (ev->action == CR_INPUT_UP || ev->action == CR_INPUT_CANCEL)
                ai->palms[i].active = false;
            return true;
        }
    }
    bool pen_near = pen_writing(ai) || (ai->pen_seen_us != 0 &&
                                        ev->time_us - ai->pen_seen_us < CR_APP_INK_PALM_MS * 1000);
    struct cr_ink *ink;
    const struct cr_tile *tile;
    if (ev->action != CR_INPUT_DOWN || !pen_near ||
        !surface_at(app, (int)ev->x, (int)ev->y, &ink, &tile))
        return false;
    if (free_slot >= 0) {
        ai->palms[free_slot].active = true;
        ai->palms[free_slot].device_id = ev->device_id;
        ai->palms[free_slot].slot = ev->slot;
    }
    return true;
}

/* A pen starts writing: touches already down (a resting palm) end without
 * effect for the gesture path, so they cannot long-press or drag. */
static void cancel_touches(struct cr_app *app, int64_t time_us)
{
    const struct cr_gesture_recognizer *g = &app->gestures;
    if (g->contacts == 0 || g->kind != CR_INPUT_TOUCH)
        return;
    for (int i = 0; i < 2; i++) {
        if (!g->points[i].active)
            continue;
        struct cr_input_event cancel = {.kind = CR_INPUT_TOUCH,
                                        .action = CR_INPUT_CANCEL,
                                        .slot = g->points[i].slot,
                                        .x = g->points[i].x,
                                        .y = g->points[i].y,
                                        .time_us = time_us};
        cr_app_feed_input(app, &cancel); /* not a pen: goes to the recogniser */
    }
}

bool cr_app_ink_input(struct cr_app *app, const struct cr_input_event *ev)
{
    struct cr_app_ink *ai = &app->ink;
    bool pen = ev->kind == CR_INPUT_PEN || ev->kind == CR_INPUT_ERASER;
    if (pen)
        ai->pen_seen_us = ev->time_us;
    else if (ev->kind == CR_INPUT_TOUCH && palm(app, ev))
        return true;
    struct cr_app_ink_contact *c = find_contact(ai, ev);
    if (c && !ink_shown(app, c->ink)) { /* its picture went away under it */
        c->active = false;
        c = NULL;
    }
    if (ev->hover) {
        /* Hovering never writes nor taps. A pen reported hovering while it
         * was writing has lifted without a word: end the stroke there. */
        if (c) {
            end_contact(c, ai, true);
            app->dirty = true;
        }
        return pen;
    }
    switch (ev->action) {
    case CR_INPUT_DOWN:
        if (c) { /* its UP was lost: never join the strokes */
            end_contact(c, ai, true);
            app->dirty = true;
        }
        if (!may_write(app, ev) || !begin(app, ev))
            return false;
        if (pen)
            cancel_touches(app, ev->time_us);
        return true;
    case CR_INPUT_MOTION:
        if (!c)
            return false;
        move(app, c, ev);
        return true;
    case CR_INPUT_UP:
    case CR_INPUT_CANCEL:
        if (!c)
            return false;
        end_contact(c, ai, ev->action == CR_INPUT_UP);
        note_input(ai, ev->time_us);
        app->dirty = true;
        return true;
    }
    return false;
}

void cr_app_ink_screen_changed(struct cr_app *app)
{
    struct cr_app_ink *ai = &app->ink;
    for (int i = 0; i < CR_APP_INK_CONTACTS; i++) {
        struct cr_app_ink_contact *c = &ai->contacts[i];
        if (!c->active)
            continue;
        /* Still alive (it belongs to a screen that is kept): keep what was written. */
        end_contact(c, ai, true);
    }
    if (app->current != CR_SCREEN_WHITEBOARD)
        cr_whiteboard_hidden(&app->whiteboard);
    if (app->current != CR_SCREEN_BOARD)
        cr_board_hidden(&app->board.board);
    if (app->current != CR_SCREEN_CAMERA) {
        cr_ink_layer_release(&app->camera_screen.live_layer);
        cr_ink_layer_release(&app->camera_screen.snap_layer);
    }
}

void cr_app_ink_draw(struct cr_app *app)
{
    struct cr_app_ink *ai = &app->ink;
    for (int i = 0; i < CR_APP_INK_CONTACTS; i++) {
        struct cr_app_ink_contact *c = &ai->contacts[i];
        if (!c->active || !c->erasing)
            continue;
        int r = cr_ui_px(&app->ui, ERASER_RADIUS), w = CR_MAX(cr_ui_px(&app->ui, 3), 2);
        int x = (int)c->screen_x, y = (int)c->screen_y;
        cr_draw_ring(app->ui.r, x, y, r + w, r + w / 2, 1.0f, CR_RGB(0xffffff));
        cr_draw_ring(app->ui.r, x, y, r + w / 2, r - w / 2, 1.0f, CR_RGB(0x334155));
    }
}

bool cr_app_ink_key(struct cr_app *app, const SDL_KeyboardEvent *k)
{
    bool ctrl = (k->keysym.mod & KMOD_CTRL) != 0, shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    const char *action = NULL;
    if (ctrl && k->keysym.sym == SDLK_z)
        action = shift ? "ink redo" : "ink undo";
    else if (ctrl && k->keysym.sym == SDLK_y)
        action = "ink redo";
    else if (!ctrl && k->keysym.sym == SDLK_e)
        action = "ink eraser";
    if (!action || !cr_app_ink_target(app))
        return false;
    cr_app_action(app, action);
    return true;
}

/* --- latency ------------------------------------------------------------ */

void cr_app_ink_presented(struct cr_app *app, int64_t present_us)
{
    struct cr_app_ink *ai = &app->ink;
    for (size_t i = 0; i < ai->n_pending; i++) {
        int64_t t = ai->pending_us[i];
        ai->samples_us[ai->next_sample] = present_us - t;
        ai->next_sample = (ai->next_sample + 1) % CR_APP_INK_SAMPLES;
        ai->n_samples = CR_MIN(ai->n_samples + 1, CR_APP_INK_SAMPLES);
        if (t > ai->last_input_us) {
            ai->last_input_us = t;
            ai->last_present_us = present_us;
        }
    }
    ai->n_pending = 0;
}

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

void cr_app_ink_latency(const struct cr_app *app, struct cr_ink_latency *out)
{
    const struct cr_app_ink *ai = &app->ink;
    memset(out, 0, sizeof(*out));
    out->count = ai->n_samples;
    out->last_input_us = ai->last_input_us;
    out->last_present_us = ai->last_present_us;
    if (ai->n_samples == 0)
        return;
    int64_t *v = cr_xmalloc(ai->n_samples * sizeof(*v));
    memcpy(v, ai->samples_us, ai->n_samples * sizeof(*v));
    qsort(v, ai->n_samples, sizeof(*v), compare_i64);
    out->p50_us = v[(ai->n_samples - 1) / 2];
    out->p95_us = v[(size_t)ceil(0.95 * ai->n_samples) - 1];
    out->max_us = v[ai->n_samples - 1];
    free(v);
}

void cr_app_ink_latency_reset(struct cr_app *app)
{
    struct cr_app_ink *ai = &app->ink;
    ai->n_samples = ai->next_sample = 0;
    ai->n_pending = 0;
}

/* --- state -------------------------------------------------------------- */

struct cr_ink *cr_app_ink_target(struct cr_app *app)
{
    if (app->current == CR_SCREEN_WHITEBOARD)
        return &app->whiteboard.ink;
    if (app->current == CR_SCREEN_CAMERA)
        return cr_camera_screen_ink(&app->camera_screen);
    if (app->current == CR_SCREEN_BOARD)
        return &app->board.board.ink;
    return NULL;
}

static void add_member_string(JsonBuilder *b, const char *name, const char *value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_string_value(b, value);
}

static void add_member_int(JsonBuilder *b, const char *name, int64_t value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, value);
}

static void add_member_bool(JsonBuilder *b, const char *name, bool value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_boolean_value(b, value);
}

static void add_latency(JsonBuilder *b, struct cr_app *app)
{
    struct cr_ink_latency l;
    cr_app_ink_latency(app, &l);
    json_builder_begin_object(b);
    add_member_int(b, "count", (int64_t)l.count);
    add_member_int(b, "p50_us", l.p50_us);
    add_member_int(b, "p95_us", l.p95_us);
    add_member_int(b, "max_us", l.max_us);
    add_member_int(b, "last_input_us", l.last_input_us);
    add_member_int(b, "last_present_us", l.last_present_us);
    json_builder_end_object(b);
}

void cr_app_ink_add_state(struct cr_app *app, JsonBuilder *b)
{
    struct cr_ink *ink = cr_app_ink_target(app);
    json_builder_set_member_name(b, "ink");
    if (!ink) {
        json_builder_add_null_value(b);
        return;
    }
    struct cr_app_ink *ai = &app->ink;
    bool board = app->current == CR_SCREEN_WHITEBOARD;
    bool dark = board && cr_whiteboard_dark(&app->whiteboard);
    char hex[8];
    json_builder_begin_object(b);
    add_member_string(b, "surface",
                      board                                 ? "whiteboard"
                      : ink == &app->board.board.ink        ? "board"
                      : ink == &app->camera_screen.live_ink ? "camera"
                                                            : "snapshot");
    add_member_int(b, "strokes", (int64_t)cr_ink_count(ink));
    add_member_bool(b, "can_undo", cr_ink_can_undo(ink));
    add_member_bool(b, "can_redo", cr_ink_can_redo(ink));
    add_member_string(b, "color", cr_ink_color_hex(cr_pen_style_color(&ai->style, 0, dark), hex));
    add_member_string(b, "second_color",
                      cr_ink_color_hex(cr_pen_style_color(&ai->style, 1, dark), hex));
    json_builder_set_member_name(b, "width");
    json_builder_add_double_value(b, ai->style.width);
    add_member_bool(b, "eraser", ai->style.eraser);
    add_member_bool(b, "finger_draws", ai->finger_draws);
    if (board) {
        struct cr_rect r = app->whiteboard.board;
        add_member_string(b, "paper", cr_paper_name(app->whiteboard.paper));
        json_builder_set_member_name(b, "board");
        json_builder_begin_object(b);
        add_member_int(b, "x", r.x);
        add_member_int(b, "y", r.y);
        add_member_int(b, "w", r.w);
        add_member_int(b, "h", r.h);
        json_builder_end_object(b);
    }
    json_builder_set_member_name(b, "latency");
    add_latency(b, app);
    json_builder_end_object(b);
}

/* --- commands ----------------------------------------------------------- */

static bool ink_width(struct cr_app *app, const char *arg, char **error)
{
    struct cr_pen_style *st = &app->ink.style;
    static const char *const levels[] = {"thin", "medium", "thick"};
    for (int i = 0; i < 3; i++) {
        if (!strcmp(arg, levels[i])) {
            st->width = cr_pen_style_size(st, i);
            return true;
        }
    }
    if (!strcmp(arg, "next")) {
        st->width = cr_pen_style_size(st, (cr_pen_style_level(st) + 1) % 3);
        return true;
    }
    char *end;
    double w = g_ascii_strtod(arg, &end);
    if (end == arg || *end || !(w >= 1 && w <= 64)) {
        *error = g_strdup("ink width takes thin, medium, thick, next or 1 to 64 (pixels at 1080p)");
        return false;
    }
    st->width = (float)w;
    return true;
}

static bool save_board(struct cr_app *app, JsonNode **data)
{
    struct cr_whiteboard *wb = &app->whiteboard;
    cr_whiteboard_layout(wb, &app->ui); /* the size of the board now */
    int w, h;
    cr_whiteboard_size(wb, &w, &h);
    struct cr_ink *copy = cr_xmalloc(sizeof(*copy));
    cr_ink_init_copy(copy, &wb->ink);
    g_ptr_array_add(app->save_threads, cr_ink_save_board(wb->paper, w, h, copy, app->save_dir));
    *data = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(*data, app->save_dir);
    return true;
}

bool cr_app_camera_save(struct cr_app *app, JsonNode **data, char **error)
{
    struct cr_camera_screen *cs = &app->camera_screen;
    bool rot = false, mir = false;
    struct cr_frame *f = cr_camera_screen_image_to_save(cs, &rot, &mir);
    if (!f) {
        *error = g_strdup("no image to save");
        return false;
    }
    struct cr_ink *ink = cr_camera_screen_ink_to_save(cs), *copy = NULL;
    if (ink && cr_ink_count(ink) > 0) {
        copy = cr_xmalloc(sizeof(*copy));
        cr_ink_init_copy(copy, ink);
    }
    g_ptr_array_add(app->save_threads, cr_ink_save_frame(f, rot, mir, copy, app->save_dir));
    *data = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(*data, app->save_dir);
    return true;
}

static void ask_clear(struct cr_app *app)
{
    cr_notice_show(&app->notice, "clear", _("Clear everything?"),
                   _("Everything written here will disappear. Undo brings it back."),
                   N_("Clear all"), "ink clear");
    cr_notice_set_close_label(&app->notice, N_("Keep"));
}

bool cr_app_ink_command(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    const char *sub = args[0], *arg = n > 1 ? args[1] : NULL;
    struct cr_pen_style *st = &app->ink.style;
    struct cr_ink *ink = cr_app_ink_target(app);
    app->dirty = true;

    if (!strcmp(sub, "color")) {
        struct cr_ink_rgba c;
        if (!arg || !cr_ink_parse_color(arg, &c)) {
            *error = g_strdup("usage: ink color NAME|#rrggbb [1|2] (black, blue, red, green…)");
            return false;
        }
        int pen = n > 2 && !strcmp(args[2], "2") ? 1 : 0;
        if (n > 2 && strcmp(args[2], "1") && strcmp(args[2], "2")) {
            *error = g_strdup("ink color: the pen is 1 or 2");
            return false;
        }
        cr_pen_style_set_color(st, pen, c);
        if (pen == 0)
            st->eraser = false; /* a colour is picked to write with it */
        return true;
    }
    if (!strcmp(sub, "width"))
        return arg ? ink_width(app, arg, error)
                   : (*error = g_strdup("usage: ink width N|thin|medium|thick|next"), false);
    if (!strcmp(sub, "eraser")) {
        if (!cr_app_parse_on_off(arg, st->eraser, &st->eraser)) {
            *error = g_strdup("usage: ink eraser [on|off]");
            return false;
        }
        return true;
    }
    if (!strcmp(sub, "latency")) {
        if (arg && !strcmp(arg, "reset"))
            cr_app_ink_latency_reset(app);
        JsonBuilder *b = json_builder_new();
        add_latency(b, app);
        *data = json_builder_get_root(b);
        g_object_unref(b);
        return true;
    }
    if (!ink) {
        *error = g_strdup_printf("no ink on the %s screen (open whiteboard or camera)",
                                 cr_screen_id_name(app->current));
        return false;
    }
    if (!strcmp(sub, "undo") || !strcmp(sub, "redo")) {
        bool undo = !strcmp(sub, "undo");
        if (!(undo ? cr_ink_undo(ink) : cr_ink_redo(ink))) {
            *error = g_strdup_printf("nothing to %s", sub);
            return false;
        }
        return true;
    }
    if (!strcmp(sub, "clear")) {
        if (arg && !strcmp(arg, "ask")) {
            if (cr_ink_count(ink) > 0)
                ask_clear(app);
            return true;
        }
        cr_ink_clear(ink); /* nothing to clear is not an error */
        return true;
    }
    if (!strcmp(sub, "save")) {
        if (app->current == CR_SCREEN_BOARD) {
            *error = g_strdup("the board's ink is not saved (save from the camera or whiteboard)");
            return false;
        }
        if (app->current == CR_SCREEN_WHITEBOARD)
            return save_board(app, data);
        return cr_app_camera_save(app, data, error);
    }
    *error = g_strdup_printf("unknown ink command: %s", sub);
    return false;
}

bool cr_app_whiteboard_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                               char **error)
{
    struct cr_whiteboard *wb = &app->whiteboard;
    if (strcmp(args[0], "paper") || n < 2) {
        *error = g_strdup("usage: whiteboard paper white|black|seyes|grid|next");
        return false;
    }
    enum cr_paper paper;
    if (!strcmp(args[1], "next"))
        paper = (enum cr_paper)((wb->paper + 1) % CR_PAPERS);
    else if (!cr_paper_from_name(args[1], &paper)) {
        *error = g_strdup_printf("unknown paper %s (white, black, seyes, grid, next)", args[1]);
        return false;
    }
    cr_whiteboard_set_paper(wb, paper);
    /* TRANSLATORS: shown when the whiteboard's paper changes: "Paper: Lined" */
    char *text = g_strdup_printf(_("Paper: %s"), _(cr_paper_label(paper)));
    cr_toast_show(&app->notice, text, cr_monotonic_us(), 2000);
    g_free(text);
    app->dirty = true;
    return true;
}
