#include "display/ui/ink_toolbar.h"

#include <math.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"

static const struct {
    uint32_t light, dark;
    const char *light_name, *dark_name; /* msgids */
    const char *light_action, *dark_action;
} palette[CR_PALETTE_SIZE] = {
    {0x111827, 0xf8fafc, N_("Black"), N_("White"), "ink color black", "ink color white"},
    {0x1d4ed8, 0x7dd3fc, N_("Blue"), N_("Blue"), "ink color blue", "ink color #7dd3fc"},
    {0xdc2626, 0xfca5a5, N_("Red"), N_("Red"), "ink color red", "ink color #fca5a5"},
    {0x15803d, 0x86efac, N_("Green"), N_("Green"), "ink color green", "ink color #86efac"},
};

static struct cr_ink_rgba from_rgb(uint32_t v)
{
    return (struct cr_ink_rgba){(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff, 255};
}

static bool same(struct cr_ink_rgba a, struct cr_ink_rgba b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

struct cr_ink_rgba cr_palette_color(int index, bool dark)
{
    index = CR_CLAMP(index, 0, CR_PALETTE_SIZE - 1);
    return from_rgb(dark ? palette[index].dark : palette[index].light);
}

void cr_pen_style_set_color(struct cr_pen_style *st, int pen, struct cr_ink_rgba c)
{
    pen = pen ? 1 : 0;
    st->index[pen] = -1;
    st->custom[pen] = c;
    for (int i = 0; i < CR_PALETTE_SIZE; i++)
        if (same(c, cr_palette_color(i, false)) || same(c, cr_palette_color(i, true)))
            st->index[pen] = i;
}

struct cr_ink_rgba cr_pen_style_color(const struct cr_pen_style *st, int pen, bool dark)
{
    pen = pen ? 1 : 0;
    return st->index[pen] >= 0 ? cr_palette_color(st->index[pen], dark) : st->custom[pen];
}

float cr_pen_style_size(const struct cr_pen_style *st, int level)
{
    float d = st->default_width > 0 ? st->default_width : 4.0f;
    switch (level) {
    case 0:
        return fmaxf(1.0f, roundf(d * 0.5f));
    case 2:
        return roundf(d * 2.5f);
    default:
        return d;
    }
}

int cr_pen_style_level(const struct cr_pen_style *st)
{
    int best = 1;
    for (int i = 0; i < 3; i++)
        if (fabsf(cr_pen_style_size(st, i) - st->width) <
            fabsf(cr_pen_style_size(st, best) - st->width))
            best = i;
    return best;
}

static const char *const width_icons[3] = {"width-thin", "width-medium", "width-thick"};
static const char *const width_labels[3] = {N_("Thin"), N_("Medium"), N_("Thick")};

void cr_ink_toolbar_init(struct cr_ink_toolbar *tb, bool compact)
{
    memset(tb, 0, sizeof(*tb));
    tb->compact = compact;
    struct cr_button *b = tb->buttons;
    for (int i = 0; i < CR_PALETTE_SIZE; i++)
        b[CR_INK_TOOL_COLOR0 + i] =
            (struct cr_button){.action = palette[i].light_action, .label = palette[i].light_name};
    b[CR_INK_TOOL_WIDTH] =
        (struct cr_button){.action = "ink width next", .icon = width_icons[1], .label = NULL};
    b[CR_INK_TOOL_ERASER] =
        (struct cr_button){.action = "ink eraser", .icon = "eraser", .label = N_("Eraser")};
    b[CR_INK_TOOL_UNDO] =
        (struct cr_button){.action = "ink undo", .icon = "undo", .label = N_("Undo")};
    b[CR_INK_TOOL_REDO] =
        (struct cr_button){.action = "ink redo", .icon = "redo", .label = N_("Redo")};
    b[CR_INK_TOOL_CLEAR] =
        (struct cr_button){.action = "ink clear ask", .icon = "clear", .label = N_("Clear all")};
    b[CR_INK_TOOL_PAPER] = (struct cr_button){
        .action = "whiteboard paper next", .icon = "paper", .label = N_("Paper")};
    b[CR_INK_TOOL_SAVE] =
        (struct cr_button){.action = "ink save", .icon = "save", .label = N_("Save")};
}

static bool in_compact(int i)
{
    return i <= CR_INK_TOOL_COLOR3 || i == CR_INK_TOOL_ERASER || i == CR_INK_TOOL_UNDO ||
           i == CR_INK_TOOL_CLEAR;
}

void cr_ink_toolbar_update(struct cr_ink_toolbar *tb, const struct cr_pen_style *st,
                           const struct cr_ink *ink, bool dark)
{
    struct cr_button *b = tb->buttons;
    tb->dark = dark;
    for (int i = 0; i < CR_INK_TOOLS; i++) {
        b[i].visible = !tb->compact || in_compact(i);
        b[i].enabled = true;
        b[i].active = false;
    }
    for (int i = 0; i < CR_PALETTE_SIZE; i++) {
        struct cr_button *c = &b[CR_INK_TOOL_COLOR0 + i];
        c->action = dark ? palette[i].dark_action : palette[i].light_action;
        c->label = dark ? palette[i].dark_name : palette[i].light_name;
        c->active = !st->eraser && st->index[0] == i;
    }
    int level = cr_pen_style_level(st);
    b[CR_INK_TOOL_WIDTH].icon = width_icons[level];
    b[CR_INK_TOOL_WIDTH].label = width_labels[level];
    b[CR_INK_TOOL_ERASER].active = st->eraser;
    b[CR_INK_TOOL_UNDO].enabled = ink && cr_ink_can_undo(ink);
    b[CR_INK_TOOL_REDO].enabled = ink && cr_ink_can_redo(ink);
    b[CR_INK_TOOL_CLEAR].enabled = ink && cr_ink_count(ink) > 0;
    b[CR_INK_TOOL_ERASER].enabled = ink != NULL;
    b[CR_INK_TOOL_SAVE].enabled = ink != NULL;
}

void cr_ink_toolbar_hide(struct cr_ink_toolbar *tb)
{
    for (int i = 0; i < CR_INK_TOOLS; i++)
        tb->buttons[i].visible = false;
}

void cr_ink_toolbar_layout_row(struct cr_ink_toolbar *tb, struct cr_ui *ui, struct cr_rect area)
{
    /* Colours narrower than the other buttons, a wider gap between groups. */
    int gap = cr_ui_px(ui, 10), group = cr_ui_px(ui, 28);
    int cw = cr_ui_px(ui, 112), w = cr_ui_px(ui, CR_BUTTON_W);
    int n_tools = CR_INK_TOOLS - CR_PALETTE_SIZE;
    int total = CR_PALETTE_SIZE * cw + n_tools * w + (CR_INK_TOOLS - 2) * gap + group;
    if (total > area.w) { /* a narrow window: shrink everything alike */
        double k = (double)area.w / total;
        cw = (int)(cw * k);
        w = (int)(w * k);
        gap = (int)(gap * k);
        group = (int)(group * k);
        total = CR_PALETTE_SIZE * cw + n_tools * w + (CR_INK_TOOLS - 2) * gap + group;
    }
    int x = area.x + (area.w - total) / 2;
    for (int i = 0; i < CR_INK_TOOLS; i++) {
        int bw = i <= CR_INK_TOOL_COLOR3 ? cw : w;
        tb->buttons[i].rect = (struct cr_rect){x, area.y, bw, area.h};
        x += bw + (i == CR_INK_TOOL_COLOR3 ? group : gap);
    }
}

void cr_ink_toolbar_layout_column(struct cr_ink_toolbar *tb, struct cr_ui *ui, struct cr_rect area)
{
    int gap = cr_ui_px(ui, 10), w = CR_MIN(area.w, cr_ui_px(ui, 112)), h = cr_ui_px(ui, 96);
    int count = 0;
    for (int i = 0; i < CR_INK_TOOLS; i++)
        count += tb->buttons[i].visible;
    if (count == 0)
        return;
    int total = count * h + (count - 1) * gap;
    if (total > area.h) {
        h = (area.h - (count - 1) * gap) / count;
        total = count * h + (count - 1) * gap;
    }
    int y = area.y + (area.h - total) / 2, x = area.x + (area.w - w) / 2;
    for (int i = 0; i < CR_INK_TOOLS; i++) {
        if (!tb->buttons[i].visible)
            continue;
        tb->buttons[i].rect = (struct cr_rect){x, y, w, h};
        y += h + gap;
    }
}

static void draw_swatch(struct cr_ui *ui, const struct cr_button *b, struct cr_ink_rgba c,
                        bool compact)
{
    struct cr_color bg = b->color.a ? b->color : CR_C_BUTTON;
    if (b->active)
        bg = CR_C_BUTTON_ACTIVE;
    if (b->pressed)
        bg = CR_C_PRESSED;
    cr_draw_rounded(ui->r, b->rect, cr_ui_px(ui, 18), bg);
    int label_px = cr_ui_px(ui, CR_FONT_LABEL);
    bool label = !compact && b->label;
    int room = label ? b->rect.h - label_px * 2 : b->rect.h;
    int radius = CR_MIN(room, b->rect.w) * (b->active ? 36 : 30) / 100;
    int cx = b->rect.x + b->rect.w / 2;
    int cy = label ? b->rect.y + cr_ui_px(ui, 10) + room / 2 : b->rect.y + b->rect.h / 2;
    /* A light ring, so black shows on the dark bar. */
    cr_draw_disc(ui->r, cx, cy, radius + cr_ui_px(ui, 3), CR_C_TEXT_DIM);
    cr_draw_disc(ui->r, cx, cy, radius, (struct cr_color){c.r, c.g, c.b, 255});
    if (label)
        cr_text_draw(&ui->text, ui->r, _(b->label), label_px, true, CR_C_TEXT, cx,
                     b->rect.y + b->rect.h - label_px * 3 / 2 - cr_ui_px(ui, 4), CR_ALIGN_CENTER,
                     b->rect.w - cr_ui_px(ui, 8));
}

void cr_ink_toolbar_draw(struct cr_ink_toolbar *tb, struct cr_ui *ui, const struct cr_pen_style *st)
{
    for (int i = 0; i < CR_INK_TOOLS; i++) {
        struct cr_button *b = &tb->buttons[i];
        if (!b->visible)
            continue;
        if (i <= CR_INK_TOOL_COLOR3)
            draw_swatch(ui, b, cr_palette_color(i - CR_INK_TOOL_COLOR0, tb->dark), tb->compact);
        else
            cr_button_draw(ui, b);
    }
}

const char *cr_ink_toolbar_hit(struct cr_ink_toolbar *tb, int x, int y)
{
    int i = cr_buttons_hit(tb->buttons, CR_INK_TOOLS, x, y);
    cr_buttons_set_pressed(tb->buttons, CR_INK_TOOLS, -1);
    return i >= 0 ? tb->buttons[i].action : NULL;
}

bool cr_ink_toolbar_press(struct cr_ink_toolbar *tb, int x, int y)
{
    int i = cr_buttons_hit(tb->buttons, CR_INK_TOOLS, x, y);
    cr_buttons_set_pressed(tb->buttons, CR_INK_TOOLS, i);
    return i >= 0;
}

bool cr_ink_toolbar_contains(const struct cr_ink_toolbar *tb, int x, int y)
{
    for (int i = 0; i < CR_INK_TOOLS; i++)
        if (tb->buttons[i].visible && cr_rect_contains(tb->buttons[i].rect, x, y))
            return true;
    return false;
}
