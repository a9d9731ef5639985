#include "display/ui/settings_screen.h"

#include <string.h>

#include "common/i18n.h"
#include "common/util.h"

static const struct {
    const char *name, *label, *action, *icon;
} pages[CR_SETTINGS_PAGES] = {
    [CR_SETTINGS_NETWORK] = {"network", N_("Network"), "settings page network", "link"},
    [CR_SETTINGS_DEVICES] = {"devices", N_("Devices"), "settings page devices", "target"},
    [CR_SETTINGS_DISPLAY] = {"display", N_("Display"), "settings page display", "zoom-reset"},
    [CR_SETTINGS_VERSIONS] = {"versions", N_("Versions"), "settings page versions", "book"},
    [CR_SETTINGS_JOURNAL] = {"journal", N_("Log"), "settings page journal", "document"},
    [CR_SETTINGS_DIAGNOSTICS] = {"diagnostics", N_("Diagnostics"), "settings page diagnostics",
                                 "warning"},
};

static const struct {
    const char *label, *action;
} pad[CR_PIN_PAD_KEYS] = {
    {"1", "settings key 1"}, {"2", "settings key 2"},
    {"3", "settings key 3"}, {"4", "settings key 4"},
    {"5", "settings key 5"}, {"6", "settings key 6"},
    {"7", "settings key 7"}, {"8", "settings key 8"},
    {"9", "settings key 9"}, {N_("Erase"), "settings key back"},
    {"0", "settings key 0"}, {N_("OK"), "settings key ok"},
};

const char *cr_settings_page_name(enum cr_settings_page p)
{
    return (unsigned)p < CR_SETTINGS_PAGES ? pages[p].name : "?";
}

bool cr_settings_page_from_name(const char *name, enum cr_settings_page *out)
{
    for (int i = 0; i < CR_SETTINGS_PAGES; i++)
        if (!strcmp(name, pages[i].name)) {
            *out = i;
            return true;
        }
    return false;
}

void cr_settings_screen_init(struct cr_settings_screen *s)
{
    memset(s, 0, sizeof(*s));
    for (int i = 0; i < CR_PIN_PAD_KEYS; i++)
        s->keys[i] = (struct cr_button){
            .action = pad[i].action, .label = pad[i].label, .visible = true, .enabled = true};
    for (int i = 0; i < CR_SETTINGS_PAGES; i++)
        s->tabs[i] = (struct cr_button){.action = pages[i].action,
                                        .icon = pages[i].icon,
                                        .label = pages[i].label,
                                        .visible = true,
                                        .enabled = true};
    s->run = (struct cr_button){.action = "settings diagnose",
                                .icon = "play",
                                .label = N_("Run the checks"),
                                .enabled = true};
    s->lines = g_new0(char *, 1);
}

void cr_settings_screen_destroy(struct cr_settings_screen *s)
{
    cr_settings_screen_clear_typed(s);
    g_strfreev(s->lines);
    g_free(s->pin_message);
    memset(s, 0, sizeof(*s));
}

void cr_settings_screen_set_lines(struct cr_settings_screen *s, char **lines)
{
    g_strfreev(s->lines);
    s->lines = g_strdupv(lines);
}

bool cr_settings_screen_type(struct cr_settings_screen *s, const char *key)
{
    size_t n = strlen(s->typed);
    if (!strcmp(key, "back")) {
        if (n > 0)
            s->typed[n - 1] = '\0';
        return true;
    }
    if (strlen(key) != 1 || !g_ascii_isdigit(key[0]) || n >= CR_PIN_TYPED_MAX)
        return false;
    s->typed[n] = key[0];
    s->typed[n + 1] = '\0';
    return true;
}

void cr_settings_screen_clear_typed(struct cr_settings_screen *s)
{
    explicit_bzero(s->typed, sizeof(s->typed));
}

void cr_settings_screen_set_message(struct cr_settings_screen *s, const char *message)
{
    g_free(s->pin_message);
    s->pin_message = g_strdup(message);
}

static void draw_pad(struct cr_settings_screen *s, struct cr_ui *ui)
{
    struct cr_rect c = cr_ui_content_rect(ui);
    int key = cr_ui_px(ui, 150), gap = cr_ui_px(ui, 20);
    int title_px = cr_ui_px(ui, CR_FONT_TITLE), body_px = cr_ui_px(ui, CR_FONT_BODY);
    int pad_w = 3 * key + 2 * gap, pad_h = 4 * key + 3 * gap;
    int top = c.y + cr_ui_px(ui, 40);
    int cx = c.x + c.w / 2;
    cr_text_draw(&ui->text, ui->r, _("Technician's PIN"), title_px, true, CR_C_TEXT, cx, top,
                 CR_ALIGN_CENTER, 0);
    top += title_px * 3 / 2;
    /* one dot per digit typed, never the digits */
    size_t n = strlen(s->typed);
    int dot = cr_ui_px(ui, 14);
    for (size_t i = 0; i < n; i++)
        cr_draw_disc(ui->r, cx + (int)(2 * i - (n - 1)) * dot * 3 / 2, top + dot, dot, CR_C_TEXT);
    top += dot * 3;
    if (s->pin_message)
        cr_text_draw(&ui->text, ui->r, s->pin_message, body_px, true, CR_C_WARN, cx, top,
                     CR_ALIGN_CENTER, c.w - cr_ui_px(ui, 80));
    top += body_px * 3 / 2;
    int left = cx - pad_w / 2;
    top = CR_MIN(top, c.y + c.h - pad_h - cr_ui_px(ui, 16));
    for (int i = 0; i < CR_PIN_PAD_KEYS; i++) {
        s->keys[i].rect =
            (struct cr_rect){left + (i % 3) * (key + gap), top + (i / 3) * (key + gap), key, key};
        cr_button_draw(ui, &s->keys[i]);
    }
}

static void draw_page(struct cr_settings_screen *s, struct cr_ui *ui)
{
    struct cr_rect c = cr_ui_content_rect(ui);
    int tab_w = cr_ui_px(ui, 230), gap = cr_ui_px(ui, 12), margin = cr_ui_px(ui, 24);
    int tab_h = CR_MIN(cr_ui_px(ui, 130), (c.h - 2 * margin - 5 * gap) / CR_SETTINGS_PAGES);
    for (int i = 0; i < CR_SETTINGS_PAGES; i++) {
        s->tabs[i].rect =
            (struct cr_rect){c.x + margin, c.y + margin + i * (tab_h + gap), tab_w, tab_h};
        s->tabs[i].active = (int)s->page == i;
        cr_button_draw(ui, &s->tabs[i]);
    }
    int x = c.x + margin * 2 + tab_w, w = c.x + c.w - margin - x;
    struct cr_rect panel = {x, c.y + margin, w, c.h - 2 * margin};
    cr_draw_rounded(ui->r, panel, cr_ui_px(ui, 24), CR_C_PANEL);
    int pad = cr_ui_px(ui, 28);
    int y = panel.y + pad;
    int title_px = cr_ui_px(ui, CR_FONT_TITLE);
    cr_text_draw(&ui->text, ui->r, _(pages[s->page].label), title_px, true, CR_C_TEXT,
                 panel.x + pad, y, CR_ALIGN_LEFT, panel.w - 2 * pad);
    y += title_px * 3 / 2;
    s->run.visible = s->page == CR_SETTINGS_DIAGNOSTICS;
    if (s->run.visible) {
        s->run.rect = (struct cr_rect){panel.x + panel.w - pad - cr_ui_px(ui, 260),
                                       panel.y + pad / 2, cr_ui_px(ui, 260), cr_ui_px(ui, 100)};
        cr_button_draw(ui, &s->run);
    }
    /* the Journal is long: smaller text */
    int px = cr_ui_px(ui, s->page == CR_SETTINGS_JOURNAL ? 20 : 28);
    int bottom = panel.y + panel.h - pad;
    for (char **l = s->lines; l && *l && y + px <= bottom; l++) {
        const char *text = *l;
        struct cr_color col = CR_C_TEXT_DIM;
        bool bold = false;
        if (g_str_has_prefix(text, "# ")) {
            text += 2;
            col = CR_C_TEXT;
            bold = true;
        } else if (g_str_has_prefix(text, "! ")) {
            text += 2;
            col = CR_C_WARN;
            bold = true;
        } else if (g_str_has_prefix(text, "+ ")) {
            text += 2;
            col = CR_RGB(0x22c55e);
            bold = true;
        }
        if (s->page == CR_SETTINGS_JOURNAL) {
            cr_text_draw(&ui->text, ui->r, text, px, bold, col, panel.x + pad, y, CR_ALIGN_LEFT,
                         panel.w - 2 * pad);
            y += px * 5 / 4;
        } else {
            struct cr_rect box = {panel.x + pad, y, panel.w - 2 * pad, bottom - y};
            y += cr_text_draw_wrapped(&ui->text, ui->r, text, px, bold, col, box, CR_ALIGN_LEFT);
            y += px / 3;
        }
    }
}

void cr_settings_screen_draw(struct cr_settings_screen *s, struct cr_ui *ui)
{
    if (s->locked)
        draw_pad(s, ui);
    else
        draw_page(s, ui);
}

size_t cr_settings_screen_buttons(struct cr_settings_screen *s, struct cr_button **out, size_t max)
{
    size_t n = 0;
    if (s->locked) {
        for (int i = 0; i < CR_PIN_PAD_KEYS && n < max; i++)
            out[n++] = &s->keys[i];
        return n;
    }
    for (int i = 0; i < CR_SETTINGS_PAGES && n < max; i++)
        out[n++] = &s->tabs[i];
    if (s->run.visible && n < max)
        out[n++] = &s->run;
    return n;
}
