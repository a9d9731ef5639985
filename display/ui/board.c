#include "display/ui/board.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"
#include "display/state_json.h"

#define STRIP_H 96 /* design px: the title strip */

void cr_board_init(struct cr_board *b, const struct cr_pen_style *style)
{
    memset(b, 0, sizeof(*b));
    b->fullscreen = -1;
    b->focused = -1;
    b->style = style;
    b->scale = 1.0;
    cr_ink_init(&b->ink);
    cr_ink_layer_init(&b->layer);
    cr_ink_toolbar_init(&b->toolbar, true);
}

void cr_board_destroy(struct cr_board *b)
{
    while (b->n > 0)
        cr_board_close(b, b->n - 1);
    cr_ink_layer_destroy(&b->layer);
    cr_ink_destroy(&b->ink);
}

static void set_actions(struct cr_board *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct cr_board_tile *t = &b->tiles[i];
        snprintf(t->full_action, sizeof(t->full_action), "board fullscreen %u", (unsigned)(i + 1));
        snprintf(t->close_action, sizeof(t->close_action), "board close %u", (unsigned)(i + 1));
        t->full = (struct cr_button){.action = t->full_action,
                                     .icon = "tile-fullscreen",
                                     .label = N_("Full screen"),
                                     .enabled = true,
                                     .active = b->fullscreen == (int)i};
        t->close = (struct cr_button){
            .action = t->close_action, .icon = "close", .label = N_("Close"), .enabled = true};
    }
}

int cr_board_add(struct cr_board *b, const struct cr_board_tile_ops *ops, struct cr_tile *tile,
                 void *data, unsigned source_id, const char *title)
{
    if (b->n >= CR_BOARD_MAX)
        return -1;
    struct cr_board_tile *t = &b->tiles[b->n];
    memset(t, 0, sizeof(*t));
    t->ops = ops;
    t->tile = tile;
    t->data = data;
    t->source_id = source_id;
    t->title = g_strdup(title ? title : "");
    b->n++;
    b->fullscreen = -1; /* a new tile is seen at once */
    set_actions(b);
    return (int)b->n - 1;
}

void cr_board_close(struct cr_board *b, size_t i)
{
    if (i >= b->n)
        return;
    struct cr_board_tile t = b->tiles[i];
    memmove(&b->tiles[i], &b->tiles[i + 1], (b->n - i - 1) * sizeof(b->tiles[0]));
    b->n--;
    memset(&b->tiles[b->n], 0, sizeof(b->tiles[0]));
    if (b->fullscreen == (int)i)
        b->fullscreen = -1;
    else if (b->fullscreen > (int)i)
        b->fullscreen--;
    if (b->focused == (int)i)
        b->focused = -1;
    else if (b->focused > (int)i)
        b->focused--;
    set_actions(b);
    if (t.ops->destroy)
        t.ops->destroy(&t);
    g_free(t.title);
    g_free(t.notice);
}

void cr_board_set_title(struct cr_board *b, size_t i, const char *title)
{
    if (i >= b->n)
        return;
    g_free(b->tiles[i].title);
    b->tiles[i].title = g_strdup(title ? title : "");
}

void cr_board_set_notice(struct cr_board *b, size_t i, const char *notice)
{
    if (i >= b->n)
        return;
    g_free(b->tiles[i].notice);
    b->tiles[i].notice = g_strdup(notice);
}

int cr_board_find(const struct cr_board *b, const struct cr_board_tile_ops *ops, unsigned source_id)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->tiles[i].ops == ops && b->tiles[i].source_id == source_id)
            return (int)i;
    return -1;
}

int cr_board_find_data(const struct cr_board *b, const void *data)
{
    for (size_t i = 0; data && i < b->n; i++)
        if (b->tiles[i].data == data)
            return (int)i;
    return -1;
}

static bool shown(const struct cr_board *b, size_t i)
{
    return b->fullscreen < 0 || b->fullscreen == (int)i;
}

void cr_board_layout(struct cr_board *b, struct cr_ui *ui)
{
    struct cr_rect area = cr_ui_content_rect(ui);
    if (area.w != b->area.w || area.h != b->area.h)
        cr_ink_layer_invalidate(&b->layer);
    b->area = area;
    b->scale = ui->screen->scale > 0 ? ui->screen->scale : 1.0;

    size_t nv = b->fullscreen >= 0 ? 1 : b->n;
    struct cr_rect cells[CR_BOARD_MAX];
    int gap = cr_ui_px(ui, 8);
    size_t nc = cr_layout_compute(cr_layout_for_count(nv), area, nv, 0, gap, cells, CR_BOARD_MAX);
    size_t c = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct cr_board_tile *t = &b->tiles[i];
        t->full.visible = t->close.visible = false;
        if (!shown(b, i) || c >= nc) {
            t->cell = t->strip = t->content = t->bar = t->overlay = (struct cr_rect){0, 0, 0, 0};
            continue;
        }
        struct cr_rect cell = cells[c++];
        int sh = CR_MIN(cr_ui_px(ui, STRIP_H), cell.h / 3);
        int bh = t->ops->bar_height > 0 ? CR_MIN(cr_ui_px(ui, t->ops->bar_height), cell.h / 3) : 0;
        t->cell = cell;
        t->strip = (struct cr_rect){cell.x, cell.y, cell.w, sh};
        t->bar = (struct cr_rect){cell.x, cell.y + cell.h - bh, cell.w, bh};
        t->content = (struct cr_rect){cell.x, cell.y + sh, cell.w, cell.h - sh - bh};
        int pad = cr_ui_px(ui, 6), bw = cr_ui_px(ui, 170);
        int h = sh - 2 * pad;
        t->close.rect = (struct cr_rect){cell.x + cell.w - pad - bw, cell.y + pad, bw, h};
        t->full.rect = (struct cr_rect){t->close.rect.x - pad - bw, cell.y + pad, bw, h};
        t->full.active = b->fullscreen == (int)i;
        t->full.visible = t->close.visible = true;
    }

    struct cr_rect bar = cr_ui_bar_rect(ui), home = cr_ui_home_rect(ui);
    int left = home.x + home.w + cr_ui_px(ui, 28);
    struct cr_rect row = {left, home.y, bar.w - left - home.x, home.h};
    cr_ink_toolbar_update(&b->toolbar, b->style, &b->ink, false);
    cr_ink_toolbar_layout_row(&b->toolbar, ui, row);
}

void cr_board_xform(const struct cr_board *b, struct cr_ink_xform *xf)
{
    *xf = (struct cr_ink_xform){b->scale, b->area.x, b->scale, b->area.y, b->scale};
}

static void draw_tile(struct cr_board *b, size_t i, struct cr_ui *ui)
{
    struct cr_board_tile *t = &b->tiles[i];
    if (t->ops->update)
        t->ops->update(t);
    cr_draw_rect(ui->r, t->cell, CR_RGB(0x000000));
    cr_draw_rect(ui->r, t->strip, b->focused == (int)i ? CR_C_PANEL : CR_C_BAR);
    int pad = cr_ui_px(ui, 18), px = cr_ui_px(ui, CR_FONT_BODY);
    int title_w = t->full.rect.x - t->strip.x - 2 * pad;
    cr_text_draw(&ui->text, ui->r, t->title, px, true, CR_C_TEXT, t->strip.x + pad,
                 t->strip.y + (t->strip.h - px * 4 / 3) / 2, CR_ALIGN_LEFT, CR_MAX(title_w, 1));
    cr_button_draw(ui, &t->full);
    cr_button_draw(ui, &t->close);

    bool image = t->tile && cr_tile_has_image(t->tile);
    if (image)
        cr_tile_draw(t->tile, ui->r, t->content);
    const char *msg = t->notice ? t->notice : image ? NULL : _("Waiting for the picture…");
    if (msg) {
        int w = t->content.w - 2 * pad;
        cr_text_draw(&ui->text, ui->r, msg, px, false, CR_C_TEXT_DIM,
                     t->content.x + t->content.w / 2, t->content.y + t->content.h / 2 - px,
                     CR_ALIGN_CENTER, CR_MAX(w, 1));
    }
    if (t->bar.h > 0) {
        cr_draw_rect(ui->r, t->bar, CR_C_BAR);
        if (t->ops->draw_bar)
            t->ops->draw_bar(t, ui, t->bar);
    }
}

void cr_board_draw(struct cr_board *b, struct cr_ui *ui)
{
    cr_board_layout(b, ui);
    if (b->n == 0) {
        int px = cr_ui_px(ui, CR_FONT_TITLE);
        cr_text_draw(&ui->text, ui->r, _("Nothing on the board yet."), px, true, CR_C_TEXT,
                     b->area.x + b->area.w / 2, b->area.y + b->area.h / 2 - 2 * px, CR_ALIGN_CENTER,
                     b->area.w - cr_ui_px(ui, 80));
        cr_text_draw(&ui->text, ui->r,
                     _("Put the camera, a pupil's screen or a resource of the ENT here, up to "
                       "four side by side."),
                     cr_ui_px(ui, CR_FONT_BODY), false, CR_C_TEXT_DIM, b->area.x + b->area.w / 2,
                     b->area.y + b->area.h / 2, CR_ALIGN_CENTER, b->area.w - cr_ui_px(ui, 80));
    }
    for (size_t i = 0; i < b->n; i++)
        if (shown(b, i) && b->tiles[i].cell.w > 0)
            draw_tile(b, i, ui);
    struct cr_ink_xform xf;
    cr_board_xform(b, &xf);
    cr_ink_layer_draw(&b->layer, ui->r, &b->ink, b->area, &xf);
    cr_ink_toolbar_draw(&b->toolbar, ui, b->style);
}

static const char *hit_or_press(struct cr_board *b, int x, int y, bool press)
{
    const char *action = NULL;
    for (size_t i = 0; i < b->n; i++) {
        struct cr_board_tile *t = &b->tiles[i];
        t->full.pressed = t->close.pressed = false;
        if (!shown(b, i))
            continue;
        if (t->full.visible && cr_rect_contains(t->full.rect, x, y)) {
            t->full.pressed = press;
            action = t->full.action;
        } else if (t->close.visible && cr_rect_contains(t->close.rect, x, y)) {
            t->close.pressed = press;
            action = t->close.action;
        } else if (t->ops->hit && t->bar.h > 0) {
            bool in = cr_rect_contains(t->bar, x, y) || cr_rect_contains(t->overlay, x, y);
            const char *a = t->ops->hit(t, in ? x : -1, in ? y : -1, press);
            if (a && in)
                action = a;
        }
    }
    if (!b->style) /* not set up (a test of another screen) */
        return press && action ? "" : action;
    cr_ink_toolbar_update(&b->toolbar, b->style, &b->ink, false);
    if (press)
        return cr_ink_toolbar_press(&b->toolbar, x, y) || action ? "" : NULL;
    const char *ink = cr_ink_toolbar_hit(&b->toolbar, x, y);
    return ink ? ink : action;
}

const char *cr_board_hit(struct cr_board *b, int x, int y)
{
    return hit_or_press(b, x, y, false);
}

bool cr_board_press(struct cr_board *b, int x, int y)
{
    return hit_or_press(b, x, y, true) != NULL;
}

int cr_board_bar_at(const struct cr_board *b, int x, int y)
{
    for (size_t i = 0; i < b->n; i++)
        if (shown(b, i) && b->tiles[i].ops->bar_drag && cr_rect_contains(b->tiles[i].bar, x, y))
            return (int)i;
    return -1;
}

int cr_board_content_at(const struct cr_board *b, int x, int y)
{
    for (size_t i = 0; i < b->n; i++)
        if (shown(b, i) && cr_rect_contains(b->tiles[i].content, x, y) &&
            !cr_rect_contains(b->tiles[i].overlay, x, y))
            return (int)i;
    return -1;
}

int cr_board_input(struct cr_board *b, int to, struct cr_board_input *in)
{
    int i = to >= 0 ? to : cr_board_content_at(b, (int)in->x, (int)in->y);
    if (i < 0 || i >= (int)b->n)
        return -1;
    struct cr_board_tile *t = &b->tiles[i];
    in->px = in->py = -1;
    double cx, cy;
    if (t->tile && t->tile->current && cr_tile_screen_to_content(t->tile, in->x, in->y, &cx, &cy)) {
        /* content units are image pixels / height */
        double h = t->tile->current->height;
        in->px = cx * h;
        in->py = cy * h;
    }
    if (in->type == CR_BOARD_TAP || in->type == CR_BOARD_DRAG_BEGIN)
        b->focused = i;
    if (t->ops->input)
        t->ops->input(t, in);
    return i;
}

bool cr_board_on_ink_area(const struct cr_board *b, int x, int y)
{
    if (!cr_rect_contains(b->area, x, y) || cr_ink_toolbar_contains(&b->toolbar, x, y))
        return false;
    for (size_t i = 0; i < b->n; i++) {
        const struct cr_board_tile *t = &b->tiles[i];
        if (!shown(b, i))
            continue;
        if (cr_rect_contains(t->full.rect, x, y) || cr_rect_contains(t->close.rect, x, y) ||
            cr_rect_contains(t->bar, x, y) || cr_rect_contains(t->overlay, x, y))
            return false;
    }
    return true;
}

size_t cr_board_buttons(struct cr_board *b, const struct cr_button **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n && n < max; i++) {
        struct cr_board_tile *t = &b->tiles[i];
        if (!shown(b, i))
            continue;
        if (t->full.visible && n < max)
            out[n++] = &t->full;
        if (t->close.visible && n < max)
            out[n++] = &t->close;
        if (t->ops->buttons && t->bar.h > 0)
            n += t->ops->buttons(t, out + n, max - n);
    }
    for (int i = 0; i < CR_INK_TOOLS && n < max; i++)
        if (b->toolbar.buttons[i].visible)
            out[n++] = &b->toolbar.buttons[i];
    return n;
}

void cr_board_hidden(struct cr_board *b)
{
    cr_ink_layer_release(&b->layer);
}

void cr_board_add_tiles_state(struct cr_board *b, JsonBuilder *jb)
{
    for (size_t i = 0; i < b->n; i++) {
        struct cr_board_tile *t = &b->tiles[i];
        json_builder_begin_object(jb);
        json_builder_set_member_name(jb, "kind");
        json_builder_add_string_value(jb, t->ops->kind);
        json_builder_set_member_name(jb, "index");
        json_builder_add_int_value(jb, (gint64)i + 1);
        json_builder_set_member_name(jb, "title");
        json_builder_add_string_value(jb, t->title);
        json_builder_set_member_name(jb, "shown");
        json_builder_add_boolean_value(jb, shown(b, i));
        json_builder_set_member_name(jb, "fullscreen");
        json_builder_add_boolean_value(jb, b->fullscreen == (int)i);
        json_builder_set_member_name(jb, "notice");
        json_builder_add_string_value(jb, t->notice);
        cr_state_add_rect(jb, "rect", t->cell);
        cr_state_add_rect(jb, "content", t->content);
        if (t->tile) {
            cr_state_add_rect(jb, "image_rect", t->tile->image_rect);
            json_builder_set_member_name(jb, "has_image");
            json_builder_add_boolean_value(jb, cr_tile_has_image(t->tile));
            json_builder_set_member_name(jb, "frames_shown");
            json_builder_add_int_value(jb, (gint64)t->tile->uploads);
        }
        if (t->ops->add_state)
            t->ops->add_state(t, jb);
        json_builder_end_object(jb);
    }
}
