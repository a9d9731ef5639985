#include "display/ui/keyboard.h"

#include <ctype.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"

/* The rows as typed characters; upper-case words are the special keys. */
static const char *const rows[][12] = {
    {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "BACKSPACE", NULL},
    {"a", "z", "e", "r", "t", "y", "u", "i", "o", "p", NULL},
    {"q", "s", "d", "f", "g", "h", "j", "k", "l", "m", NULL},
    {"SHIFT", "w", "x", "c", "v", "b", "n", ".", "-", "_", NULL},
    {"@", "!", "?", "#", "$", "%", "&", "*", "+", "=", "/", NULL},
    {"SPACE", "NEXT", "SUBMIT", NULL},
};

static const struct {
    const char *word;
    enum cr_key_kind kind;
    const char *label; /* English msgid */
    float width;       /* in keys */
} specials[] = {
    {"BACKSPACE", CR_KEY_BACKSPACE, N_("Erase"), 1.6f},
    /* TRANSLATORS: the shift key of the on-screen keyboard (one capital letter) */
    {"SHIFT", CR_KEY_SHIFT, N_("Caps"), 1.6f},
    {"SPACE", CR_KEY_SPACE, N_("Space"), 4.0f},
    {"NEXT", CR_KEY_NEXT, N_("Next field"), 2.5f},
    {"SUBMIT", CR_KEY_SUBMIT, N_("Sign in"), 2.5f},
};

void cr_keyboard_init(struct cr_keyboard *kb)
{
    memset(kb, 0, sizeof(*kb));
    for (size_t r = 0; r < CR_ARRAY_SIZE(rows); r++) {
        for (size_t c = 0; rows[r][c] && kb->n_keys < CR_KEYBOARD_KEYS; c++) {
            int i = kb->n_keys++;
            struct cr_button *k = &kb->keys[i];
            *k = (struct cr_button){.action = "ent key", .visible = true, .enabled = true};
            kb->kinds[i] = CR_KEY_CHAR;
            for (size_t s = 0; s < CR_ARRAY_SIZE(specials); s++) {
                if (!strcmp(rows[r][c], specials[s].word)) {
                    kb->kinds[i] = specials[s].kind;
                    k->label = specials[s].label;
                }
            }
            if (kb->kinds[i] == CR_KEY_CHAR) {
                g_strlcpy(kb->chars[i], rows[r][c], sizeof(kb->chars[i]));
                k->label = kb->chars[i];
            }
        }
    }
}

static float key_width(const struct cr_keyboard *kb, int i)
{
    for (size_t s = 0; s < CR_ARRAY_SIZE(specials); s++)
        if (kb->kinds[i] == specials[s].kind && kb->kinds[i] != CR_KEY_CHAR)
            return specials[s].width;
    return 1.0f;
}

static void layout(struct cr_keyboard *kb, struct cr_ui *ui, struct cr_rect area)
{
    int n_rows = (int)CR_ARRAY_SIZE(rows), gap = cr_ui_px(ui, 10);
    int key_h = (area.h - (n_rows - 1) * gap) / n_rows;
    float widest = 0;
    int i = 0;
    for (int r = 0; r < n_rows; r++) {
        float w = 0;
        for (int c = 0; rows[r][c]; c++)
            w += key_width(kb, i + c);
        widest = CR_MAX(widest, w);
        i += (int)g_strv_length((char **)rows[r]);
    }
    float unit = (area.w - 11 * gap) / widest;
    unit = CR_MIN(unit, key_h * 1.3f);
    i = 0;
    for (int r = 0; r < n_rows; r++) {
        int n = (int)g_strv_length((char **)rows[r]);
        float w = 0;
        for (int c = 0; c < n; c++)
            w += key_width(kb, i + c) * unit;
        int x = area.x + (int)(area.w - w - (n - 1) * gap) / 2;
        for (int c = 0; c < n; c++, i++) {
            int kw = (int)(key_width(kb, i) * unit);
            kb->keys[i].rect = (struct cr_rect){x, area.y + r * (key_h + gap), kw, key_h};
            x += kw + gap;
        }
    }
}

void cr_keyboard_draw(struct cr_keyboard *kb, struct cr_ui *ui, struct cr_rect area)
{
    layout(kb, ui, area);
    for (int i = 0; i < kb->n_keys; i++) {
        const struct cr_button *k = &kb->keys[i];
        /* the same look whatever is touched, unless show_pressed (not for passwords) */
        bool submit = kb->kinds[i] == CR_KEY_SUBMIT;
        bool lit = submit || (kb->show_pressed && k->pressed);
        cr_draw_rounded(ui->r, k->rect, cr_ui_px(ui, 12), lit ? CR_C_BUTTON_ACTIVE : CR_C_BUTTON);
        bool ch = kb->kinds[i] == CR_KEY_CHAR;
        int px = ch ? k->rect.h * 9 / 20 : cr_ui_px(ui, CR_FONT_LABEL + 4);
        cr_text_draw(&ui->text, ui->r, ch ? k->label : _(k->label), px, true, CR_C_TEXT,
                     k->rect.x + k->rect.w / 2, k->rect.y + (k->rect.h - px * 4 / 3) / 2,
                     CR_ALIGN_CENTER, k->rect.w - cr_ui_px(ui, 8));
    }
}

void cr_keyboard_reset(struct cr_keyboard *kb)
{
    kb->shift = false;
}

enum cr_key_result cr_keyboard_tap(struct cr_keyboard *kb, int x, int y, char *text)
{
    return cr_keyboard_key(kb, cr_buttons_hit(kb->keys, (size_t)kb->n_keys, x, y), text);
}

enum cr_key_result cr_keyboard_key(struct cr_keyboard *kb, int i, char *text)
{
    if (i < 0 || i >= kb->n_keys)
        return CR_KEY_NONE;
    switch (kb->kinds[i]) {
    case CR_KEY_CHAR:
        g_strlcpy(text, kb->chars[i], 8);
        if (kb->shift && text[0] >= 'a' && text[0] <= 'z')
            text[0] = (char)(text[0] - 'a' + 'A');
        kb->shift = false;
        return CR_KEY_TEXT;
    case CR_KEY_SPACE:
        g_strlcpy(text, " ", 8);
        kb->shift = false;
        return CR_KEY_TEXT;
    case CR_KEY_SHIFT:
        kb->shift = !kb->shift;
        return CR_KEY_NONE;
    case CR_KEY_BACKSPACE:
        return CR_KEY_ERASE;
    case CR_KEY_NEXT:
        return CR_KEY_FORWARD;
    case CR_KEY_SUBMIT:
        return CR_KEY_DONE;
    }
    return CR_KEY_NONE;
}
