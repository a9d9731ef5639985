#include "display/ui/notice.h"

#include <glib.h>

#include "common/i18n.h"
#include "common/util.h"

void cr_notice_init(struct cr_notice *n)
{
    memset(n, 0, sizeof(*n));
}

void cr_notice_destroy(struct cr_notice *n)
{
    cr_notice_hide(n);
    g_clear_pointer(&n->fired, g_free);
    g_clear_pointer(&n->toast, g_free);
}

void cr_notice_show(struct cr_notice *n, const char *icon, const char *title, const char *body,
                    const char *action_label, const char *action)
{
    cr_notice_hide(n);
    n->visible = true;
    n->icon = g_strdup(icon);
    n->title = g_strdup(title);
    n->body = g_strdup(body);
    n->buttons[0] = (struct cr_button){
        .action = "ok", .icon = NULL, .label = N_("OK"), .visible = true, .enabled = true};
    n->buttons[1] = (struct cr_button){.action = NULL,
                                       .label = action_label,
                                       .visible = action_label != NULL,
                                       .enabled = true,
                                       .color = CR_C_BUTTON_ACTIVE};
    n->action = g_strdup(action);
}

void cr_notice_set_close_label(struct cr_notice *n, const char *label)
{
    n->buttons[0].label = label;
}

void cr_notice_hide(struct cr_notice *n)
{
    n->visible = false;
    g_clear_pointer(&n->icon, g_free);
    g_clear_pointer(&n->title, g_free);
    g_clear_pointer(&n->body, g_free);
    g_clear_pointer(&n->action, g_free);
}

void cr_notice_draw(struct cr_notice *n, struct cr_ui *ui)
{
    if (!n->visible)
        return;
    struct cr_rect screen = cr_ui_screen_rect(ui);
    cr_draw_rect(ui->r, screen, CR_RGBA(0x000000, 150));

    int w = CR_MIN(cr_ui_px(ui, 1100), screen.w - cr_ui_px(ui, 40));
    int pad = cr_ui_px(ui, 48);
    int title_px = cr_ui_px(ui, CR_FONT_TITLE), body_px = cr_ui_px(ui, CR_FONT_BODY);
    int icon_px = cr_ui_px(ui, 96), button_h = cr_ui_px(ui, CR_BUTTON_H) * 3 / 4;

    /* A fixed height with room for about five lines of body text. */
    int h =
        pad + icon_px + cr_ui_px(ui, 24) + title_px * 3 / 2 + cr_ui_px(ui, 260) + button_h + pad;
    h = CR_MIN(h, screen.h - cr_ui_px(ui, 40));
    n->panel = (struct cr_rect){(screen.w - w) / 2, (screen.h - h) / 2, w, h};
    cr_draw_rounded(ui->r, n->panel, cr_ui_px(ui, 28), CR_C_PANEL);

    int y = n->panel.y + pad;
    if (n->icon)
        cr_icons_draw(&ui->icons, ui->r, n->icon, n->panel.x + w / 2, y + icon_px / 2, icon_px,
                      CR_C_ACCENT);
    y += icon_px + cr_ui_px(ui, 24);
    cr_text_draw(&ui->text, ui->r, n->title, title_px, true, CR_C_TEXT, n->panel.x + w / 2, y,
                 CR_ALIGN_CENTER, w - 2 * pad);
    y += title_px * 3 / 2;
    cr_text_draw_wrapped(&ui->text, ui->r, n->body, body_px, false, CR_C_TEXT_DIM,
                         (struct cr_rect){n->panel.x + pad, y, w - 2 * pad, 0}, CR_ALIGN_CENTER);

    struct cr_rect row = {n->panel.x + pad, n->panel.y + h - pad - button_h, w - 2 * pad, button_h};
    cr_buttons_layout_row(n->buttons, 2, row, cr_ui_px(ui, 360), cr_ui_px(ui, 32));
    for (int i = 0; i < 2; i++)
        cr_button_draw(ui, &n->buttons[i]);
}

const char *cr_notice_tap(struct cr_notice *n, int x, int y)
{
    int hit = cr_buttons_hit(n->buttons, 2, x, y);
    cr_buttons_set_pressed(n->buttons, 2, -1);
    if (hit < 0 && cr_rect_contains(n->panel, x, y))
        return NULL; /* a tap on the text: keep the panel */
    /* Keep the action alive after hiding: move it out first. */
    g_clear_pointer(&n->fired, g_free);
    if (hit == 1)
        n->fired = g_steal_pointer(&n->action);
    cr_notice_hide(n);
    return n->fired;
}

bool cr_notice_press(struct cr_notice *n, int x, int y)
{
    int hit = cr_buttons_hit(n->buttons, 2, x, y);
    cr_buttons_set_pressed(n->buttons, 2, hit);
    return hit >= 0;
}

void cr_toast_show(struct cr_notice *n, const char *text, int64_t now_us, int ms)
{
    g_free(n->toast);
    n->toast = g_strdup(text);
    n->toast_until_us = now_us + (int64_t)ms * 1000;
}

int64_t cr_toast_draw(struct cr_notice *n, struct cr_ui *ui)
{
    if (!n->toast)
        return 0;
    if (ui->now_us >= n->toast_until_us) {
        g_clear_pointer(&n->toast, g_free);
        return 0;
    }
    int px = cr_ui_px(ui, CR_FONT_BODY);
    int tw, th;
    cr_text_size(&ui->text, n->toast, px, true, &tw, &th);
    int maxw = ui->screen->width - cr_ui_px(ui, 80);
    tw = CR_MIN(tw, maxw);
    int pad = cr_ui_px(ui, 24);
    struct cr_rect box = {(ui->screen->width - tw) / 2 - pad, cr_ui_px(ui, 32), tw + 2 * pad,
                          th + pad};
    cr_draw_rounded(ui->r, box, cr_ui_px(ui, 20), CR_RGBA(0x020617, 230));
    cr_text_draw(&ui->text, ui->r, n->toast, px, true, CR_C_TEXT, ui->screen->width / 2,
                 box.y + pad / 2, CR_ALIGN_CENTER, maxw);
    return n->toast_until_us - ui->now_us;
}
