#include "display/ui/widgets.h"

#include "common/i18n.h"
#include "common/util.h"

void cr_button_draw(struct cr_ui *ui, const struct cr_button *b)
{
    if (!b->visible)
        return;
    struct cr_color bg = b->color.a ? b->color : CR_C_BUTTON;
    if (b->active)
        bg = CR_C_BUTTON_ACTIVE;
    if (b->pressed)
        bg = CR_C_PRESSED;
    struct cr_color fg = b->enabled ? CR_C_TEXT : CR_RGBA(0x94a3b8, 160);
    if (!b->enabled)
        bg.a = 120;
    cr_draw_rounded(ui->r, b->rect, cr_ui_px(ui, 18), bg);

    int cx = b->rect.x + b->rect.w / 2;
    bool has_label = b->label && *b->label;
    if (!b->icon) { /* a text button: the label alone, large and centred */
        int px = cr_ui_px(ui, CR_FONT_BODY);
        if (has_label)
            cr_text_draw(&ui->text, ui->r, _(b->label), px, true, fg, cx,
                         b->rect.y + (b->rect.h - px * 4 / 3) / 2, CR_ALIGN_CENTER,
                         b->rect.w - cr_ui_px(ui, 16));
        return;
    }
    int label_px = cr_ui_px(ui, CR_FONT_LABEL);
    int icon_px = CR_MIN(b->rect.h - (has_label ? label_px * 2 : 0), b->rect.w) * 3 / 4;
    if (!has_label)
        icon_px = CR_MIN(b->rect.w, b->rect.h) * 3 / 5;
    int icon_cy =
        has_label ? b->rect.y + cr_ui_px(ui, 10) + icon_px / 2 : b->rect.y + b->rect.h / 2;
    cr_icons_draw(&ui->icons, ui->r, b->icon, cx, icon_cy, icon_px, fg);
    if (has_label)
        cr_text_draw(&ui->text, ui->r, _(b->label), label_px, true, fg, cx,
                     b->rect.y + b->rect.h - label_px * 3 / 2 - cr_ui_px(ui, 4), CR_ALIGN_CENTER,
                     b->rect.w - cr_ui_px(ui, 8));
}

int cr_buttons_hit(const struct cr_button *buttons, size_t n, int x, int y)
{
    for (size_t i = 0; i < n; i++) {
        const struct cr_button *b = &buttons[i];
        if (b->visible && b->enabled && cr_rect_contains(b->rect, x, y))
            return (int)i;
    }
    return -1;
}

void cr_buttons_set_pressed(struct cr_button *buttons, size_t n, int index)
{
    for (size_t i = 0; i < n; i++)
        buttons[i].pressed = (int)i == index;
}

void cr_buttons_layout_row(struct cr_button *buttons, size_t n, struct cr_rect area, int w, int gap)
{
    int count = 0;
    for (size_t i = 0; i < n; i++)
        count += buttons[i].visible;
    if (count == 0)
        return;
    int total = count * w + (count - 1) * gap;
    if (total > area.w) { /* shrink to fit a narrow window */
        w = (area.w - (count - 1) * gap) / count;
        total = count * w + (count - 1) * gap;
    }
    int x = area.x + (area.w - total) / 2;
    for (size_t i = 0; i < n; i++) {
        if (!buttons[i].visible)
            continue;
        buttons[i].rect = (struct cr_rect){x, area.y, w, area.h};
        x += w + gap;
    }
}
