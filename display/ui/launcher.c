#include "display/ui/launcher.h"

#include <glib.h>

#include "common/i18n.h"
#include "common/util.h"

/* Subtitles under the tile names say what each does, or that it is coming. */
static const struct {
    const char *action, *icon, *label, *subtitle;
    struct cr_color color;
} tile_table[CR_LAUNCHER_TILES] = {
    {"open camera", "camera", N_("Camera"), N_("Document camera"), CR_C_CAMERA},
    {"open tablets", "tablets", N_("Tablets"), N_("Pupils' screens"), CR_C_TABLETS},
    {"open ent", "ent", N_("ENT"), N_("My resources"), CR_C_ENT},
    {"open whiteboard", "whiteboard", N_("Whiteboard"), N_("Write and draw"), CR_C_BOARD},
    {"open board", "board", N_("Display"), N_("Side by side"), CR_RGB(0x0891b2)},
    {"open settings", "settings", N_("Settings"), N_("Information"), CR_C_SETTINGS},
};

static const char *const day_names[] = {N_("Monday"),   N_("Tuesday"), N_("Wednesday"),
                                        N_("Thursday"), N_("Friday"),  N_("Saturday"),
                                        N_("Sunday")};
static const char *const month_names[] = {
    N_("January"), N_("February"), N_("March"),     N_("April"),   N_("May"),      N_("June"),
    N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December")};

void cr_launcher_init(struct cr_launcher *l)
{
    for (int i = 0; i < CR_LAUNCHER_TILES; i++)
        l->tiles[i] = (struct cr_button){.action = tile_table[i].action,
                                         .icon = tile_table[i].icon,
                                         .label = tile_table[i].label,
                                         .color = tile_table[i].color,
                                         .visible = true,
                                         .enabled = true};
}

void cr_launcher_layout(struct cr_launcher *l, struct cr_ui *ui)
{
    struct cr_rect content = cr_ui_content_rect(ui);
    int margin = cr_ui_px(ui, 64), gap = cr_ui_px(ui, 32);
    int top = cr_ui_px(ui, 250);
    int avail_w = content.w - 2 * margin;
    int w = (avail_w - (CR_LAUNCHER_TILES - 1) * gap) / CR_LAUNCHER_TILES;
    int h = CR_MIN(content.h - top - margin, w * 5 / 4);
    struct cr_rect row = {margin, top + (content.h - top - margin - h) / 2, avail_w, h};
    cr_buttons_layout_row(l->tiles, CR_LAUNCHER_TILES, row, w, gap);
}

static void draw_tile(struct cr_ui *ui, const struct cr_button *b, const char *subtitle)
{
    struct cr_color bg = b->color;
    if (b->pressed) {
        bg.r = (uint8_t)(bg.r * 3 / 4);
        bg.g = (uint8_t)(bg.g * 3 / 4);
        bg.b = (uint8_t)(bg.b * 3 / 4);
    }
    cr_draw_rounded(ui->r, b->rect, cr_ui_px(ui, 32), bg);
    int icon = b->rect.w * 9 / 20;
    int cx = b->rect.x + b->rect.w / 2;
    cr_icons_draw(&ui->icons, ui->r, b->icon, cx, b->rect.y + b->rect.h * 2 / 5, icon, CR_C_TEXT);
    int label_px = cr_ui_px(ui, 52), sub_px = cr_ui_px(ui, 30);
    int y = b->rect.y + b->rect.h * 2 / 5 + icon / 2 + cr_ui_px(ui, 28);
    cr_text_draw(&ui->text, ui->r, _(b->label), label_px, true, CR_C_TEXT, cx, y, CR_ALIGN_CENTER,
                 b->rect.w - cr_ui_px(ui, 16));
    cr_text_draw(&ui->text, ui->r, _(subtitle), sub_px, false, CR_RGBA(0xffffff, 215), cx,
                 y + label_px * 5 / 4, CR_ALIGN_CENTER, b->rect.w - cr_ui_px(ui, 16));
}

void cr_launcher_draw(struct cr_launcher *l, struct cr_ui *ui)
{
    cr_launcher_layout(l, ui);
    int margin = cr_ui_px(ui, 64);

    GDateTime *now = g_date_time_new_now_local();
    char *clock = g_date_time_format(now, "%H:%M");
    /* TRANSLATORS: day name, day of month, month name: "lundi 23 novembre" */
    char *date = g_strdup_printf(_("%s %d %s"), _(day_names[g_date_time_get_day_of_week(now) - 1]),
                                 g_date_time_get_day_of_month(now),
                                 _(month_names[g_date_time_get_month(now) - 1]));
    int hour = g_date_time_get_hour(now);
    g_date_time_unref(now);

    const char *greeting = hour >= 18 ? _("Good evening!") : _("Hello!");
    cr_text_draw(&ui->text, ui->r, greeting, cr_ui_px(ui, CR_FONT_HUGE), true, CR_C_TEXT, margin,
                 cr_ui_px(ui, 56), CR_ALIGN_LEFT, 0);
    cr_text_draw(&ui->text, ui->r, _("What shall we show on the board?"), cr_ui_px(ui, 38), false,
                 CR_C_TEXT_DIM, margin, cr_ui_px(ui, 56 + 100), CR_ALIGN_LEFT, 0);
    int right = ui->screen->width - margin;
    cr_text_draw(&ui->text, ui->r, clock, cr_ui_px(ui, CR_FONT_HUGE), true, CR_C_TEXT, right,
                 cr_ui_px(ui, 56), CR_ALIGN_RIGHT, 0);
    cr_text_draw(&ui->text, ui->r, date, cr_ui_px(ui, 38), false, CR_C_TEXT_DIM, right,
                 cr_ui_px(ui, 56 + 100), CR_ALIGN_RIGHT, 0);
    g_free(clock);
    g_free(date);

    for (int i = 0; i < CR_LAUNCHER_TILES; i++)
        draw_tile(ui, &l->tiles[i], tile_table[i].subtitle);

    struct cr_rect bar = cr_ui_bar_rect(ui);
    cr_text_draw(&ui->text, ui->r,
                 _("Tip: hold a finger still anywhere for a few seconds to come back here."),
                 cr_ui_px(ui, 30), false, CR_C_TEXT_DIM, bar.w / 2,
                 bar.y + bar.h / 2 - cr_ui_px(ui, 20), CR_ALIGN_CENTER, bar.w - 2 * margin);
}

const char *cr_launcher_hit(struct cr_launcher *l, int x, int y)
{
    int i = cr_buttons_hit(l->tiles, CR_LAUNCHER_TILES, x, y);
    cr_buttons_set_pressed(l->tiles, CR_LAUNCHER_TILES, -1);
    return i >= 0 ? l->tiles[i].action : NULL;
}

bool cr_launcher_press(struct cr_launcher *l, int x, int y)
{
    int i = cr_buttons_hit(l->tiles, CR_LAUNCHER_TILES, x, y);
    cr_buttons_set_pressed(l->tiles, CR_LAUNCHER_TILES, i);
    return i >= 0;
}

int64_t cr_launcher_next_tick_us(void)
{
    GDateTime *now = g_date_time_new_now_local();
    int64_t us = (60 - g_date_time_get_second(now)) * G_USEC_PER_SEC;
    g_date_time_unref(now);
    return us > 0 ? us : G_USEC_PER_SEC;
}
