#include "display/ui/document_bar.h"

#include <stdio.h>

#include "common/i18n.h"
#include "common/util.h"
#include "display/tile.h"

int cr_document_bar_height(const struct cr_ui *ui)
{
    return cr_ui_px(ui, 104);
}

static void draw_button(struct cr_ui *ui, struct cr_rect r, const char *icon, bool enabled)
{
    struct cr_color bg = CR_C_BUTTON, fg = CR_C_TEXT;
    if (!enabled) {
        bg.a = 110;
        fg = CR_RGBA(0x94a3b8, 150);
    }
    cr_draw_rounded(ui->r, r, r.h / 5, bg);
    cr_icons_draw(&ui->icons, ui->r, icon, r.x + r.w / 2, r.y + r.h / 2, r.h * 3 / 5, fg);
}

void cr_document_bar_draw(struct cr_document_bar *bar, struct cr_ui *ui, struct cr_rect r, int page,
                          int n_pages, float zoom)
{
    int pad = CR_MAX(2, r.h / 10), side = r.h - 2 * pad;
    int font = CR_MAX(8, r.h * 3 / 10);
    char label[64];
    snprintf(label, sizeof(label), _("Page %d / %d"), page + 1, CR_MAX(n_pages, 1));
    int label_w, th;
    cr_text_size(&ui->text, label, font, true, &label_w, &th);
    label_w += font;

    bar->rect = r;
    bar->can_prev = page > 0;
    bar->can_next = page + 1 < n_pages;
    bar->can_zoom_out = zoom > 1.0f;
    bar->can_zoom_in = zoom < CR_TILE_ZOOM_MAX;
    bar->can_fit = zoom > 1.0f;

    /* Paging on the left (where the hand rests), zoom on the right. */
    bar->prev = (struct cr_rect){r.x + pad, r.y + pad, side * 3 / 2, side};
    bar->label = (struct cr_rect){bar->prev.x + bar->prev.w + pad, r.y, label_w, r.h};
    bar->next = (struct cr_rect){bar->label.x + label_w + pad, r.y + pad, side * 3 / 2, side};
    bar->fit = (struct cr_rect){r.x + r.w - pad - side, r.y + pad, side, side};
    bar->zoom_in = (struct cr_rect){bar->fit.x - pad - side, r.y + pad, side, side};
    bar->zoom_out = (struct cr_rect){bar->zoom_in.x - pad - side, r.y + pad, side, side};

    cr_draw_rect(ui->r, r, CR_RGBA(0x1e293b, 230));
    draw_button(ui, bar->prev, "back", bar->can_prev);
    cr_text_draw(&ui->text, ui->r, label, font, true, CR_C_TEXT, bar->label.x + label_w / 2,
                 r.y + (r.h - font * 4 / 3) / 2, CR_ALIGN_CENTER, label_w);
    draw_button(ui, bar->next, "forward", bar->can_next);
    /* Zoom buttons only where there is room beside the paging. */
    if (bar->zoom_out.x > bar->next.x + bar->next.w + pad) {
        draw_button(ui, bar->zoom_out, "zoom-out", bar->can_zoom_out);
        draw_button(ui, bar->zoom_in, "zoom-in", bar->can_zoom_in);
        draw_button(ui, bar->fit, "zoom-reset", bar->can_fit);
    } else {
        bar->zoom_out = bar->zoom_in = bar->fit = (struct cr_rect){0, 0, 0, 0};
    }
}

enum cr_document_bar_action cr_document_bar_hit(const struct cr_document_bar *bar, int x, int y)
{
    if (!cr_rect_contains(bar->rect, x, y))
        return CR_DOCUMENT_BAR_NONE;
    if (cr_rect_contains(bar->prev, x, y))
        return bar->can_prev ? CR_DOCUMENT_BAR_PREV : CR_DOCUMENT_BAR_NONE;
    if (cr_rect_contains(bar->next, x, y))
        return bar->can_next ? CR_DOCUMENT_BAR_NEXT : CR_DOCUMENT_BAR_NONE;
    if (cr_rect_contains(bar->zoom_out, x, y))
        return bar->can_zoom_out ? CR_DOCUMENT_BAR_ZOOM_OUT : CR_DOCUMENT_BAR_NONE;
    if (cr_rect_contains(bar->zoom_in, x, y))
        return bar->can_zoom_in ? CR_DOCUMENT_BAR_ZOOM_IN : CR_DOCUMENT_BAR_NONE;
    if (cr_rect_contains(bar->fit, x, y))
        return bar->can_fit ? CR_DOCUMENT_BAR_FIT : CR_DOCUMENT_BAR_NONE;
    return CR_DOCUMENT_BAR_NONE;
}
