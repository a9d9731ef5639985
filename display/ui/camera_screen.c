#include "display/ui/camera_screen.h"

#include <glib.h>

#include "common/i18n.h"
#include "common/util.h"

/* For the technician (Réglages, Appareils): the camera and what it offers,
 * each size and format once at its highest rate, largest first, at most
 * CAMERA_LINE_MODES of them. */
#define CAMERA_LINE_MODES 8

static bool same_format(const struct cr_camera_mode *a, const struct cr_camera_mode *b)
{
    return a->width == b->width && a->height == b->height && a->codec == b->codec &&
           a->raw_format == b->raw_format;
}

static gint larger_first(gconstpointer a, gconstpointer b)
{
    const struct cr_camera_mode *x = a, *y = b;
    int64_t ax = (int64_t)x->width * x->height, ay = (int64_t)y->width * y->height;
    if (ax != ay)
        return ax > ay ? -1 : 1;
    double fx = cr_camera_mode_fps(x), fy = cr_camera_mode_fps(y);
    return fx > fy ? -1 : fx < fy;
}

static char *camera_line(const struct cr_camera_device *d)
{
    GArray *best = g_array_new(FALSE, FALSE, sizeof(struct cr_camera_mode));
    for (size_t k = 0; k < d->n_modes; k++) {
        guint j = 0;
        while (j < best->len &&
               !same_format(&g_array_index(best, struct cr_camera_mode, j), &d->modes[k]))
            j++;
        if (j == best->len)
            g_array_append_val(best, d->modes[k]);
        else if (cr_camera_mode_fps(&d->modes[k]) >
                 cr_camera_mode_fps(&g_array_index(best, struct cr_camera_mode, j)))
            g_array_index(best, struct cr_camera_mode, j) = d->modes[k];
    }
    g_array_sort(best, larger_first);
    GString *s = g_string_new(d->name ? d->name : "?");
    if (d->path)
        g_string_append_printf(s, " (%s)", d->path);
    g_string_append(s, ": ");
    for (guint k = 0; k < best->len && k < CAMERA_LINE_MODES; k++) {
        g_autofree char *mode =
            cr_camera_mode_to_string(&g_array_index(best, struct cr_camera_mode, k));
        g_string_append_printf(s, "%s%s", k ? ", " : "", mode);
    }
    if (best->len > CAMERA_LINE_MODES)
        g_string_append_printf(s, ", … (+%u)", best->len - CAMERA_LINE_MODES);
    if (!best->len)
        g_string_append(s, "–");
    g_array_free(best, TRUE);
    return g_string_free(s, FALSE);
}

struct cr_camera_status_msg *cr_camera_status_msg_new(const struct cr_camera_status *st)
{
    struct cr_camera_status_msg *m = cr_xcalloc(1, sizeof(*m));
    m->state = st->state;
    m->device_name = g_strdup(st->device_name);
    m->is_test = st->is_test;
    m->mode = st->mode;
    m->n_devices = st->n_devices;
    m->cameras = g_new0(char *, st->n_devices + 1);
    for (size_t i = 0; i < st->n_devices && st->devices; i++)
        m->cameras[i] = camera_line(&st->devices[i]);
    m->detail = g_strdup(st->detail);
    return m;
}

void cr_camera_status_msg_free(void *p)
{
    struct cr_camera_status_msg *m = p;
    if (!m)
        return;
    g_free(m->device_name);
    g_strfreev(m->cameras);
    g_free(m->detail);
    free(m);
}

static const struct {
    const char *action, *icon, *label;
} button_table[CR_CAM_BUTTONS] = {
    [CR_CAM_FREEZE] = {"camera toggle-freeze", "freeze", N_("Freeze")},
    [CR_CAM_ZOOM_IN] = {"camera zoom in", "zoom-in", N_("Zoom in")},
    [CR_CAM_ZOOM_OUT] = {"camera zoom out", "zoom-out", N_("Zoom out")},
    [CR_CAM_ZOOM_RESET] = {"camera zoom reset", "zoom-reset", N_("Whole view")},
    [CR_CAM_ROTATE] = {"camera rotate", "rotate", N_("Rotate")},
    [CR_CAM_MIRROR] = {"camera mirror", "mirror", N_("Mirror")},
    [CR_CAM_SNAPSHOT] = {"camera snapshot", "snapshot", N_("Capture")},
    [CR_CAM_COMPARE] = {"camera compare", "compare", N_("Compare")},
    [CR_CAM_SAVE] = {"camera save", "save", N_("Save")},
    [CR_CAM_NEXT] = {"camera next", "switch-camera", N_("Other camera")},
};

void cr_camera_screen_init(struct cr_camera_screen *cs, struct cr_tile *live, size_t max_snapshots)
{
    memset(cs, 0, sizeof(*cs));
    cs->live = live;
    cr_tile_init(&cs->snap, CR_TILE_SNAPSHOT, NULL, NULL);
    cs->max_snapshots = max_snapshots ? max_snapshots : 1;
    cs->snapshots = cr_xcalloc(cs->max_snapshots, sizeof(*cs->snapshots));
    for (int i = 0; i < CR_CAM_BUTTONS; i++)
        cs->buttons[i] = (struct cr_button){.action = button_table[i].action,
                                            .icon = button_table[i].icon,
                                            .label = button_table[i].label,
                                            .visible = true};
    cs->content_button = (struct cr_button){.action = "camera test",
                                            .icon = "test-pattern",
                                            .label = N_("Show the test pattern"),
                                            .color = CR_C_BUTTON_ACTIVE};
    cs->nav[0] = (struct cr_button){.action = "camera browse -1", .icon = "back"};
    cs->nav[1] = (struct cr_button){.action = "camera browse 1", .icon = "forward"};
    cs->status.state = CR_CAMERA_CLOSED;
    cr_ink_init(&cs->live_ink);
    cr_ink_layer_init(&cs->live_layer);
    cr_ink_layer_init(&cs->snap_layer);
    cr_ink_toolbar_init(&cs->ink_bar, true);
}

static void free_snapshot(struct cr_snapshot *s)
{
    cr_frame_unref(s->frame);
    if (s->ink) {
        cr_ink_destroy(s->ink);
        free(s->ink);
    }
    memset(s, 0, sizeof(*s));
}

void cr_camera_screen_destroy(struct cr_camera_screen *cs)
{
    for (size_t i = 0; i < cs->n_snapshots; i++)
        free_snapshot(&cs->snapshots[i]);
    free(cs->snapshots);
    cr_ink_layer_destroy(&cs->live_layer);
    cr_ink_layer_destroy(&cs->snap_layer);
    cr_ink_destroy(&cs->live_ink);
    cr_tile_destroy(&cs->snap);
    g_free(cs->status.device_name);
    g_strfreev(cs->status.cameras);
    g_free(cs->status.detail);
}

void cr_camera_screen_set_status(struct cr_camera_screen *cs, struct cr_camera_status_msg *msg)
{
    g_free(cs->status.device_name);
    g_strfreev(cs->status.cameras);
    g_free(cs->status.detail);
    cs->status = *msg;
    msg->device_name = NULL;
    msg->cameras = NULL;
    msg->detail = NULL;
}

static bool showing_live_image(const struct cr_camera_screen *cs)
{
    /* A frozen image stays meaningful whatever happens to the camera; a
     * live one only while the camera is live (never a frozen lie). */
    return cr_tile_has_image(cs->live) && (cs->live->frozen || cs->status.state == CR_CAMERA_LIVE);
}

static void update_buttons(struct cr_camera_screen *cs)
{
    bool image = cr_tile_has_image(cs->live);
    bool live = cs->status.state == CR_CAMERA_LIVE;
    struct cr_button *b = cs->buttons;
    b[CR_CAM_FREEZE].enabled = image && (live || cs->live->frozen);
    b[CR_CAM_FREEZE].active = cs->live->frozen;
    b[CR_CAM_FREEZE].label = cs->live->frozen ? N_("Resume") : N_("Freeze");
    b[CR_CAM_FREEZE].icon = cs->live->frozen ? "play" : "freeze";
    b[CR_CAM_ZOOM_IN].enabled = image && cs->live->view.zoom < CR_TILE_ZOOM_MAX;
    b[CR_CAM_ZOOM_OUT].enabled = image && cs->live->view.zoom > 1.0f;
    b[CR_CAM_ZOOM_RESET].enabled = image && cs->live->view.zoom > 1.0f;
    b[CR_CAM_ROTATE].enabled = image;
    b[CR_CAM_ROTATE].active = cs->live->view.rotate180;
    b[CR_CAM_MIRROR].enabled = image;
    b[CR_CAM_MIRROR].active = cs->live->view.mirror;
    b[CR_CAM_SNAPSHOT].enabled = image;
    b[CR_CAM_COMPARE].enabled = cs->n_snapshots > 0;
    b[CR_CAM_COMPARE].active = cs->compare;
    b[CR_CAM_SAVE].enabled = image || cs->n_snapshots > 0;
    b[CR_CAM_NEXT].visible =
        cs->status.n_devices >= 2 || (cs->status.is_test && cs->status.n_devices >= 1);
    b[CR_CAM_NEXT].enabled = true;
}

static void layout(struct cr_camera_screen *cs, struct cr_ui *ui, struct cr_rect *cells, size_t *n)
{
    struct cr_rect content = cr_ui_content_rect(ui);
    if (cs->compare && cs->n_snapshots > 0)
        *n = cr_layout_compute(CR_LAYOUT_SIDE_BY_SIDE, content, 2, 0, cr_ui_px(ui, CR_GAP), cells,
                               2);
    else
        *n = cr_layout_compute(CR_LAYOUT_SINGLE, content, 1, 0, 0, cells, 1);

    struct cr_rect bar = cr_ui_bar_rect(ui), home = cr_ui_home_rect(ui);
    int gap = cr_ui_px(ui, 10);
    struct cr_rect row = {home.x + home.w + cr_ui_px(ui, 40), home.y,
                          bar.w - (home.x + home.w + cr_ui_px(ui, 40)) - home.x, home.h};
    cr_buttons_layout_row(cs->buttons, CR_CAM_BUTTONS, row, cr_ui_px(ui, CR_BUTTON_W), gap);
}

/* Ink over a tile's image, clipped to it. */
static void draw_ink(struct cr_ink_layer *layer, struct cr_ui *ui, struct cr_tile *tile,
                     const struct cr_ink *ink)
{
    struct cr_ink_xform xf;
    if (ink && cr_tile_content_xform(tile, &xf))
        cr_ink_layer_draw(layer, ui->r, ink, tile->image_rect, &xf);
}

/* The compact ink toolbar at the right edge, while there is a picture. */
static void draw_ink_bar(struct cr_camera_screen *cs, struct cr_ui *ui, bool picture)
{
    if (!cs->style || !picture) {
        cr_ink_toolbar_hide(&cs->ink_bar);
        return;
    }
    struct cr_rect content = cr_ui_content_rect(ui);
    int w = cr_ui_px(ui, 112), m = cr_ui_px(ui, 8);
    struct cr_rect column = {content.x + content.w - w - m, content.y + m, w, content.h - 2 * m};
    cr_ink_toolbar_update(&cs->ink_bar, cs->style, cr_camera_screen_ink(cs), false);
    cr_ink_toolbar_layout_column(&cs->ink_bar, ui, column);
    cr_ink_toolbar_draw(&cs->ink_bar, ui, cs->style);
}

static void draw_badge(struct cr_ui *ui, int x, int y, const char *icon, const char *text,
                       struct cr_color bg, struct cr_color fg)
{
    int px = cr_ui_px(ui, 34), pad = cr_ui_px(ui, 16), icon_px = icon ? px * 5 / 4 : 0;
    int tw, th;
    cr_text_size(&ui->text, text, px, true, &tw, &th);
    int w = pad * 2 + tw + (icon ? icon_px + pad / 2 : 0), h = th + pad;
    cr_draw_rounded(ui->r, (struct cr_rect){x, y, w, h}, h / 2, bg);
    if (icon)
        cr_icons_draw(&ui->icons, ui->r, icon, x + pad + icon_px / 2, y + h / 2, icon_px, fg);
    cr_text_draw(&ui->text, ui->r, text, px, true, fg, x + pad + (icon ? icon_px + pad / 2 : 0),
                 y + pad / 2, CR_ALIGN_LEFT, 0);
}

/* A message in place of the image: an icon, a title, a sentence. */
static void draw_message(struct cr_ui *ui, struct cr_rect cell, const char *icon, const char *title,
                         const char *body, struct cr_color icon_color)
{
    int icon_px = cr_ui_px(ui, 140);
    int cy = cell.y + cell.h / 2 - cr_ui_px(ui, 120);
    cr_icons_draw(&ui->icons, ui->r, icon, cell.x + cell.w / 2, cy - icon_px / 2, icon_px,
                  icon_color);
    int w = CR_MIN(cell.w - cr_ui_px(ui, 80), cr_ui_px(ui, 1300));
    cr_text_draw(&ui->text, ui->r, title, cr_ui_px(ui, CR_FONT_TITLE), true, CR_C_TEXT,
                 cell.x + cell.w / 2, cy + cr_ui_px(ui, 30), CR_ALIGN_CENTER, w);
    if (body)
        cr_text_draw_wrapped(
            &ui->text, ui->r, body, cr_ui_px(ui, CR_FONT_BODY), false, CR_C_TEXT_DIM,
            (struct cr_rect){cell.x + (cell.w - w) / 2, cy + cr_ui_px(ui, 110), w, 0},
            CR_ALIGN_CENTER);
}

static void draw_live_cell(struct cr_camera_screen *cs, struct cr_ui *ui, struct cr_rect cell)
{
    const struct cr_camera_status_msg *st = &cs->status;
    cs->content_button.visible = false;
    if (showing_live_image(cs)) {
        cr_tile_draw(cs->live, ui->r, cell);
        draw_ink(&cs->live_layer, ui, cs->live, &cs->live_ink);
    } else {
        cs->live->rect = cell;
        cs->live->image_rect = cell;
    }
    char *text = NULL;
    switch (st->state) {
    case CR_CAMERA_LIVE:
        if (!cr_tile_has_image(cs->live))
            draw_message(ui, cell, "camera", _("Starting the camera…"), NULL, CR_C_TEXT_DIM);
        break;
    case CR_CAMERA_CLOSED:
    case CR_CAMERA_STARTING:
        if (!showing_live_image(cs))
            draw_message(ui, cell, "camera", _("Starting the camera…"), NULL, CR_C_TEXT_DIM);
        break;
    case CR_CAMERA_NO_DEVICE: {
        draw_message(ui, cell, "camera", _("No camera is plugged in"),
                     _("Plug in the USB document camera: its picture will appear by itself."),
                     CR_C_TEXT_DIM);
        int w = cr_ui_px(ui, 520), h = cr_ui_px(ui, CR_BUTTON_H);
        cs->content_button.rect = (struct cr_rect){cell.x + (cell.w - w) / 2,
                                                   cell.y + cell.h / 2 + cr_ui_px(ui, 110), w, h};
        cs->content_button.visible = cs->content_button.enabled = true;
        cr_button_draw(ui, &cs->content_button);
        break;
    }
    case CR_CAMERA_UNPLUGGED:
        if (showing_live_image(cs))
            break; /* frozen: the teacher keeps the image; a badge says the rest */
        text = g_strdup_printf(_("Plug “%s” back in: the picture will come back by itself."),
                               st->device_name ? st->device_name : _("the camera"));
        draw_message(ui, cell, "unplugged", _("The camera was unplugged"), text, CR_C_WARN);
        break;
    case CR_CAMERA_FAILED:
        if (showing_live_image(cs))
            break;
        draw_message(ui, cell, "warning", _("The camera does not answer"),
                     _("Trying again in a moment… If this goes on, unplug it and plug it back in."),
                     CR_C_WARN);
        break;
    }
    g_free(text);

    struct cr_rect img = cs->live->image_rect;
    int m = cr_ui_px(ui, 20);
    int y = img.y + m;
    if (showing_live_image(cs) && cs->compare)
        draw_badge(ui, img.x + m, y, NULL, cs->live->frozen ? _("Frozen") : _("Live"),
                   CR_RGBA(0x020617, 200), CR_C_TEXT);
    else if (showing_live_image(cs) && cs->live->frozen)
        draw_badge(ui, img.x + m, y, "freeze", _("Frozen image"), CR_C_ACCENT, CR_RGB(0x1e293b));
    else if (showing_live_image(cs) && st->is_test)
        draw_badge(ui, img.x + m, y, "test-pattern", _("Test pattern"), CR_RGBA(0x020617, 200),
                   CR_C_TEXT);
    if (showing_live_image(cs) && cs->live->frozen && st->state == CR_CAMERA_UNPLUGGED)
        draw_badge(ui, img.x + m, y + cr_ui_px(ui, 72), "unplugged", _("Camera unplugged"),
                   CR_C_WARN, CR_C_TEXT);
    if (showing_live_image(cs) && cs->live->view.zoom > 1.01f) {
        char *z = g_strdup_printf("× %.1f", cs->live->view.zoom);
        int tw, th;
        cr_text_size(&ui->text, z, cr_ui_px(ui, 34), true, &tw, &th);
        draw_badge(ui, img.x + img.w - m - tw - cr_ui_px(ui, 32), y, NULL, z,
                   CR_RGBA(0x020617, 200), CR_C_TEXT);
        g_free(z);
    }
}

static void draw_snapshot_cell(struct cr_camera_screen *cs, struct cr_ui *ui, struct cr_rect cell)
{
    cr_tile_draw(&cs->snap, ui->r, cell);
    draw_ink(&cs->snap_layer, ui, &cs->snap, cs->snapshots[cs->shown].ink);
    struct cr_rect img = cs->snap.image_rect;
    int m = cr_ui_px(ui, 20);
    char *label = g_strdup_printf(_("Capture %zu/%zu"), cs->shown + 1, cs->n_snapshots);
    draw_badge(ui, img.x + m, img.y + m, "snapshot", label, CR_RGBA(0x020617, 200), CR_C_TEXT);
    g_free(label);

    bool many = cs->n_snapshots > 1;
    int s = cr_ui_px(ui, 96);
    cs->nav[0].visible = cs->nav[0].enabled = many;
    cs->nav[1].visible = cs->nav[1].enabled = many;
    cs->nav[0].rect = (struct cr_rect){img.x + m, img.y + img.h - m - s, s, s};
    cs->nav[1].rect = (struct cr_rect){img.x + img.w - m - s, img.y + img.h - m - s, s, s};
    cs->nav[0].color = cs->nav[1].color = CR_RGBA(0x020617, 200);
    if (many) {
        cr_button_draw(ui, &cs->nav[0]);
        cr_button_draw(ui, &cs->nav[1]);
    }
}

void cr_camera_screen_draw(struct cr_camera_screen *cs, struct cr_ui *ui)
{
    struct cr_rect cells[2];
    size_t n = 0;
    layout(cs, ui, cells, &n);
    cr_draw_rect(ui->r, cr_ui_content_rect(ui), CR_RGB(0x000000));
    draw_live_cell(cs, ui, cells[0]);
    if (n == 2)
        draw_snapshot_cell(cs, ui, cells[1]);
    else
        cs->nav[0].visible = cs->nav[1].visible = false;

    draw_ink_bar(cs, ui, showing_live_image(cs) || n == 2);

    update_buttons(cs);
    for (int i = 0; i < CR_CAM_BUTTONS; i++)
        cr_button_draw(ui, &cs->buttons[i]);
}

const char *cr_camera_screen_hit(struct cr_camera_screen *cs, int x, int y)
{
    const char *action = NULL;
    int i = cr_buttons_hit(cs->buttons, CR_CAM_BUTTONS, x, y);
    if (i >= 0)
        action = cs->buttons[i].action;
    else if (cr_buttons_hit(&cs->content_button, 1, x, y) == 0)
        action = cs->content_button.action;
    else if ((i = cr_buttons_hit(cs->nav, 2, x, y)) >= 0)
        action = cs->nav[i].action;
    if (cs->style && cr_ink_toolbar_contains(&cs->ink_bar, x, y)) /* as the ink is now */
        cr_ink_toolbar_update(&cs->ink_bar, cs->style, cr_camera_screen_ink(cs), false);
    const char *ink_action = cr_ink_toolbar_hit(&cs->ink_bar, x, y);
    if (!action)
        action = ink_action;
    cr_buttons_set_pressed(cs->buttons, CR_CAM_BUTTONS, -1);
    cr_buttons_set_pressed(&cs->content_button, 1, -1);
    cr_buttons_set_pressed(cs->nav, 2, -1);
    return action;
}

bool cr_camera_screen_press(struct cr_camera_screen *cs, int x, int y)
{
    int i = cr_buttons_hit(cs->buttons, CR_CAM_BUTTONS, x, y);
    cr_buttons_set_pressed(cs->buttons, CR_CAM_BUTTONS, i);
    int c = cr_buttons_hit(&cs->content_button, 1, x, y);
    cr_buttons_set_pressed(&cs->content_button, 1, c);
    int v = cr_buttons_hit(cs->nav, 2, x, y);
    cr_buttons_set_pressed(cs->nav, 2, v);
    if (cs->style && cr_ink_toolbar_contains(&cs->ink_bar, x, y))
        cr_ink_toolbar_update(&cs->ink_bar, cs->style, cr_camera_screen_ink(cs), false);
    bool k = cr_ink_toolbar_press(&cs->ink_bar, x, y);
    return i >= 0 || c >= 0 || v >= 0 || k;
}

struct cr_tile *cr_camera_screen_tile_at(struct cr_camera_screen *cs, int x, int y)
{
    if (showing_live_image(cs) && cr_rect_contains(cs->live->image_rect, x, y))
        return cs->live;
    if (cs->compare && cs->n_snapshots > 0 && cr_rect_contains(cs->snap.image_rect, x, y))
        return &cs->snap;
    return NULL;
}

static void show_snapshot(struct cr_camera_screen *cs, SDL_Renderer *r)
{
    struct cr_snapshot *s = &cs->snapshots[cs->shown];
    cr_tile_set_frame(&cs->snap, r, cr_frame_ref(s->frame));
    cr_tile_reset_view(&cs->snap);
    cs->snap.view.rotate180 = s->rotate180;
    cs->snap.view.mirror = s->mirror;
}

bool cr_camera_screen_snapshot(struct cr_camera_screen *cs, SDL_Renderer *r)
{
    if (!cr_tile_has_image(cs->live))
        return false;
    struct cr_frame *copy = cr_frame_copy(cs->live->current);
    if (!copy)
        return false;
    if (cs->n_snapshots > 0) /* a pen writing on the one shown stops there */
        cr_ink_cancel_all(cs->snapshots[cs->shown].ink);
    if (cs->n_snapshots == cs->max_snapshots) { /* forget the oldest */
        free_snapshot(&cs->snapshots[0]);
        memmove(cs->snapshots, cs->snapshots + 1, (cs->n_snapshots - 1) * sizeof(*cs->snapshots));
        cs->n_snapshots--;
    }
    struct cr_ink *ink = cr_xmalloc(sizeof(*ink));
    cr_ink_init_copy(ink, &cs->live_ink); /* what was written on the picture comes along */
    cs->snapshots[cs->n_snapshots++] = (struct cr_snapshot){.frame = copy,
                                                            .rotate180 = cs->live->view.rotate180,
                                                            .mirror = cs->live->view.mirror,
                                                            .ink = ink};
    cs->shown = cs->n_snapshots - 1;
    show_snapshot(cs, r);
    cs->compare = true;
    return true;
}

void cr_camera_screen_set_compare(struct cr_camera_screen *cs, bool on, SDL_Renderer *r)
{
    if (!on && cs->n_snapshots > 0)
        cr_ink_cancel_all(cs->snapshots[cs->shown].ink); /* a pen writing on it */
    cs->compare = on && cs->n_snapshots > 0;
    cs->ink_on_snapshot = cs->ink_on_snapshot && cs->compare;
    if (cs->compare)
        show_snapshot(cs, r);
}

void cr_camera_screen_browse(struct cr_camera_screen *cs, int delta, SDL_Renderer *r)
{
    if (cs->n_snapshots == 0)
        return;
    long n = (long)cs->n_snapshots;
    cr_ink_cancel_all(cs->snapshots[cs->shown].ink);
    cs->shown = (size_t)((((long)cs->shown + delta) % n + n) % n);
    show_snapshot(cs, r);
}

struct cr_frame *cr_camera_screen_image_to_save(struct cr_camera_screen *cs, bool *rotate180,
                                                bool *mirror)
{
    if (cs->compare && cs->n_snapshots > 0) {
        struct cr_snapshot *s = &cs->snapshots[cs->shown];
        *rotate180 = s->rotate180;
        *mirror = s->mirror;
        return cr_frame_ref(s->frame);
    }
    if (!cr_tile_has_image(cs->live))
        return NULL;
    *rotate180 = cs->live->view.rotate180;
    *mirror = cs->live->view.mirror;
    return cr_frame_copy(cs->live->current);
}

size_t cr_camera_screen_tiles(struct cr_camera_screen *cs, struct cr_tile **out)
{
    size_t n = 0;
    out[n++] = cs->live;
    if (cs->compare && cs->n_snapshots > 0)
        out[n++] = &cs->snap;
    return n;
}

void cr_camera_screen_set_pen_style(struct cr_camera_screen *cs, const struct cr_pen_style *style)
{
    cs->style = style;
}

struct cr_ink *cr_camera_screen_tile_ink(struct cr_camera_screen *cs, const struct cr_tile *tile)
{
    if (tile == cs->live)
        return &cs->live_ink;
    if (tile == &cs->snap && cs->compare && cs->n_snapshots > 0)
        return cs->snapshots[cs->shown].ink;
    return NULL;
}

struct cr_ink *cr_camera_screen_ink(struct cr_camera_screen *cs)
{
    if (cs->ink_on_snapshot && cs->compare && cs->n_snapshots > 0)
        return cs->snapshots[cs->shown].ink;
    return &cs->live_ink;
}

void cr_camera_screen_focus_ink(struct cr_camera_screen *cs, const struct cr_tile *tile)
{
    cs->ink_on_snapshot = tile == &cs->snap;
}

struct cr_ink *cr_camera_screen_ink_to_save(struct cr_camera_screen *cs)
{
    if (cs->compare && cs->n_snapshots > 0)
        return cs->snapshots[cs->shown].ink;
    return &cs->live_ink;
}

bool cr_camera_screen_on_control(struct cr_camera_screen *cs, int x, int y)
{
    for (int i = 0; i < CR_CAM_BUTTONS; i++)
        if (cs->buttons[i].visible && cr_rect_contains(cs->buttons[i].rect, x, y))
            return true;
    for (int i = 0; i < 2; i++)
        if (cs->nav[i].visible && cr_rect_contains(cs->nav[i].rect, x, y))
            return true;
    return (cs->content_button.visible && cr_rect_contains(cs->content_button.rect, x, y)) ||
           cr_ink_toolbar_contains(&cs->ink_bar, x, y);
}
