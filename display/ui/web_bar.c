#include "display/ui/web_bar.h"

#include "common/i18n.h"
#include "common/util.h"

#define PROGRESS_H 8
#define BUTTON_W 132

void cr_web_bar_init(struct cr_web_bar *bar)
{
    static const struct {
        const char *icon, *label, *action;
    } defs[CR_WEB_BAR_COUNT] = {
        [CR_WEB_BAR_BACK] = {"back", N_("Back"), "web back"},
        [CR_WEB_BAR_FORWARD] = {"forward", N_("Forward"), "web forward"},
        [CR_WEB_BAR_RELOAD] = {"reload", N_("Reload"), "web reload"},
        [CR_WEB_BAR_HOME] = {"home", N_("Home"), "web home"},
        /* TRANSLATORS: shows the on-screen keyboard over a web page */
        [CR_WEB_BAR_KEYBOARD] = {"keyboard", N_("Keyboard"), "web keyboard"},
    };
    *bar = (struct cr_web_bar){0};
    for (int i = 0; i < CR_WEB_BAR_COUNT; i++) {
        bar->buttons[i] = (struct cr_button){
            .action = defs[i].action,
            .icon = defs[i].icon,
            .label = defs[i].label,
            .visible = true,
            /* Reload and Home always work: the teacher is never stuck. */
            .enabled = i == CR_WEB_BAR_RELOAD || i == CR_WEB_BAR_HOME || i == CR_WEB_BAR_KEYBOARD,
        };
    }
}

void cr_web_bar_update(struct cr_web_bar *bar, const struct cr_web_state *state)
{
    bar->buttons[CR_WEB_BAR_BACK].enabled = state->can_go_back;
    bar->buttons[CR_WEB_BAR_FORWARD].enabled = state->can_go_forward;
    bar->loading = state->loading;
    bar->progress = state->progress < 0 ? 0 : state->progress > 1 ? 1 : state->progress;
}

void cr_web_bar_draw(struct cr_web_bar *bar, struct cr_ui *ui, struct cr_rect rect)
{
    bar->rect = rect;
    cr_draw_rect(ui->r, rect, CR_C_BAR);
    int line = CR_MAX(cr_ui_px(ui, PROGRESS_H), 2);
    int gap = cr_ui_px(ui, CR_GAP);
    int bw =
        CR_MIN(cr_ui_px(ui, BUTTON_W), (rect.w - gap * (CR_WEB_BAR_COUNT + 1)) / CR_WEB_BAR_COUNT);
    struct cr_rect area = {rect.x + gap, rect.y + line + gap / 2, rect.w - 2 * gap,
                           rect.h - line - gap};
    cr_buttons_layout_row(bar->buttons, CR_WEB_BAR_COUNT, area, bw, gap);
    for (int i = 0; i < CR_WEB_BAR_COUNT; i++)
        cr_button_draw(ui, &bar->buttons[i]);
    if (bar->loading) {
        struct cr_rect track = {rect.x, rect.y, rect.w, line};
        cr_draw_rect(ui->r, track, CR_C_PANEL);
        /* Never empty while loading: a sliver shows that something runs. */
        double p = bar->progress < 0.05 ? 0.05 : bar->progress;
        struct cr_rect done = {rect.x, rect.y, (int)(rect.w * p), line};
        cr_draw_rect(ui->r, done, CR_C_ACCENT);
    }
}

enum cr_web_bar_action cr_web_bar_hit(const struct cr_web_bar *bar, int x, int y)
{
    int i = cr_buttons_hit(bar->buttons, CR_WEB_BAR_COUNT, x, y);
    return i < 0 ? CR_WEB_BAR_NONE : (enum cr_web_bar_action)i;
}

void cr_web_bar_apply(enum cr_web_bar_action action, struct cr_web_view *view)
{
    switch (action) {
    case CR_WEB_BAR_BACK:
        cr_web_view_back(view);
        break;
    case CR_WEB_BAR_FORWARD:
        cr_web_view_forward(view);
        break;
    case CR_WEB_BAR_RELOAD:
        cr_web_view_reload(view);
        break;
    case CR_WEB_BAR_HOME:
        cr_web_view_home(view);
        break;
    case CR_WEB_BAR_KEYBOARD:
    case CR_WEB_BAR_NONE:
    case CR_WEB_BAR_COUNT:
        break;
    }
}
