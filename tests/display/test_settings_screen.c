/* Réglages rendered offscreen and checked by its pixels: the PIN pad's
 * twelve big keys, one dot per digit typed (never the digits), the wrong
 * PIN message in orange; each page with its tab lit, its title, headings
 * in white, problems in orange, passed checks in green, the Run button on
 * the Diagnostic page only. */
#include <SDL.h>
#include <glib.h>
#include <string.h>

#include "common/i18n.h"
#include "display/screen.h"
#include "display/ui/settings_screen.h"
#include "display/ui/theme.h"
#include "tests/display/display_test.h"

#define BUTTON 0x334155u /* CR_C_BUTTON */
#define ACTIVE 0x2563ebu /* CR_C_BUTTON_ACTIVE */
#define TEXT 0xf8fafcu   /* CR_C_TEXT */
#define WARN 0xf97316u   /* CR_C_WARN */
#define GREEN 0x22c55eu
#define PANEL 0x273449u /* CR_C_PANEL */

struct fixture {
    struct cr_screen screen;
    struct cr_ui ui;
    struct cr_settings_screen s;
};

static void setup(struct fixture *f, gconstpointer data)
{
    cr_test_screen_ui_init(&f->screen, &f->ui, 1280, 720);
    cr_settings_screen_init(&f->s);
}

static void teardown(struct fixture *f, gconstpointer data)
{
    cr_settings_screen_destroy(&f->s);
    cr_ui_destroy(&f->ui);
    cr_screen_destroy(&f->screen);
}

static SDL_Surface *render(struct fixture *f, const char *name)
{
    SDL_SetRenderDrawColor(f->ui.r, 0x0f, 0x17, 0x2a, 255);
    SDL_RenderClear(f->ui.r);
    cr_settings_screen_draw(&f->s, &f->ui);
    return cr_test_read_back(&f->screen, name);
}

static int count(SDL_Surface *s, struct cr_rect r, unsigned rgb, int tol)
{
    return cr_test_count_color(s, r, rgb, tol);
}

/* The band where the dots are: between the title and the keys. */
static struct cr_rect dots_band(struct fixture *f)
{
    struct cr_rect c = cr_ui_content_rect(&f->ui);
    int y = c.y + cr_ui_px(&f->ui, 40) + cr_ui_px(&f->ui, CR_FONT_TITLE) * 3 / 2;
    return (struct cr_rect){c.x, y, c.w, cr_ui_px(&f->ui, 14) * 2 + 2};
}

static void test_pad(struct fixture *f, gconstpointer data)
{
    f->s.locked = true;
    SDL_Surface *s = render(f, "settings-pad");
    struct cr_button *b[CR_PIN_PAD_KEYS + CR_SETTINGS_PAGES + 2];
    size_t n = cr_settings_screen_buttons(&f->s, b, G_N_ELEMENTS(b));
    g_assert_cmpuint(n, ==, CR_PIN_PAD_KEYS + 1); /* the pad, and calibration (no PIN needed) */
    g_assert_cmpstr(b[n - 1]->action, ==, "calibrate start");
    struct cr_rect content = cr_ui_content_rect(&f->ui);
    for (size_t i = 0; i < CR_PIN_PAD_KEYS; i++) {
        struct cr_rect r = b[i]->rect;
        g_assert_cmpint(r.w, >=, cr_ui_px(&f->ui, 140)); /* big keys */
        g_assert_true(cr_rect_contains(content, r.x, r.y));
        g_assert_true(cr_rect_contains(content, r.x + r.w - 1, r.y + r.h - 1));
        g_assert_cmpint(count(s, r, BUTTON, 6), >, r.w * r.h / 2);
        g_assert_cmpint(count(s, r, TEXT, 40), >, 20); /* its label */
    }
    g_assert_cmpstr(b[4]->action, ==, "settings key 5");
    g_assert_cmpstr(b[11]->action, ==, "settings key ok");
    g_assert_cmpint(count(s, dots_band(f), TEXT, 10), ==, 0); /* nothing typed */
    /* no page content behind the pad */
    g_assert_cmpint(count(s, content, PANEL, 4), ==, 0);
    SDL_FreeSurface(s);

    /* four digits: four dots, the same whatever the digits */
    for (const char *k = "4821"; *k; k++) {
        char key[2] = {*k, 0};
        g_assert_true(cr_settings_screen_type(&f->s, key));
    }
    s = render(f, "settings-pad-4");
    int four = count(s, dots_band(f), TEXT, 10);
    SDL_FreeSurface(s);
    cr_settings_screen_clear_typed(&f->s);
    for (int i = 0; i < 4; i++)
        cr_settings_screen_type(&f->s, "0");
    s = render(f, "settings-pad-0000");
    g_assert_cmpint(count(s, dots_band(f), TEXT, 10), ==, four);
    SDL_FreeSurface(s);
    cr_settings_screen_type(&f->s, "back");
    s = render(f, "settings-pad-3");
    int three = count(s, dots_band(f), TEXT, 10);
    g_assert_cmpint(three, >, four / 2);
    g_assert_cmpint(three, <, four);
    SDL_FreeSurface(s);

    /* a wrong PIN: said in orange */
    cr_settings_screen_clear_typed(&f->s);
    cr_settings_screen_set_message(&f->s, "Code erroné.");
    s = render(f, "settings-pad-wrong");
    struct cr_rect above_keys = {content.x, content.y, content.w, f->s.keys[0].rect.y - content.y};
    g_assert_cmpint(count(s, above_keys, WARN, 30), >, 50);
    SDL_FreeSurface(s);
}

static void test_pages(struct fixture *f, gconstpointer data)
{
    f->s.locked = false;
    char *lines[] = {"# Adresses", "eth0: 192.0.2.10", "! Aucune réponse mDNS",
                     "+ Le port de diffusion répond", NULL};
    cr_settings_screen_set_lines(&f->s, lines);
    for (int p = 0; p < CR_SETTINGS_PAGES; p++) {
        f->s.page = p;
        g_autofree char *name = g_strdup_printf("settings-%s", cr_settings_page_name(p));
        SDL_Surface *s = render(f, name);
        struct cr_button *b[CR_PIN_PAD_KEYS + CR_SETTINGS_PAGES + 2];
        size_t n = cr_settings_screen_buttons(&f->s, b, G_N_ELEMENTS(b));
        g_assert_cmpuint(
            n, ==, CR_SETTINGS_PAGES + (p == CR_SETTINGS_DIAGNOSTICS) + (p == CR_SETTINGS_DEVICES));
        for (int t = 0; t < CR_SETTINGS_PAGES; t++) {
            struct cr_rect r = f->s.tabs[t].rect;
            /* the page's own tab is lit, the others are not */
            g_assert_cmpint(count(s, r, t == p ? ACTIVE : BUTTON, 6), >, r.w * r.h / 2);
        }
        /* the panel right of the tabs, with the title and the lines in their colours */
        struct cr_rect c = cr_ui_content_rect(&f->ui);
        int x = f->s.tabs[0].rect.x + f->s.tabs[0].rect.w;
        struct cr_rect panel = {x, c.y, c.x + c.w - x, c.h};
        g_assert_cmpint(count(s, panel, PANEL, 4), >, panel.w * panel.h / 3);
        g_assert_cmpint(count(s, panel, TEXT, 30), >, 300);
        g_assert_cmpint(count(s, panel, WARN, 30), >, 50);
        g_assert_cmpint(count(s, panel, GREEN, 30), >, 50);
        if (p == CR_SETTINGS_DIAGNOSTICS)
            g_assert_cmpstr(b[n - 1]->action, ==, "settings diagnose");
        if (p == CR_SETTINGS_DEVICES)
            g_assert_cmpstr(b[n - 1]->action, ==, "calibrate start");
        SDL_FreeSurface(s);
    }
    /* the names the commands use */
    enum cr_settings_page pg;
    g_assert_true(cr_settings_page_from_name("journal", &pg));
    g_assert_cmpint(pg, ==, CR_SETTINGS_JOURNAL);
    g_assert_false(cr_settings_page_from_name("nope", &pg));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cr_i18n_init("fr");
    g_test_add("/settings-screen/pad", struct fixture, NULL, setup, test_pad, teardown);
    g_test_add("/settings-screen/pages", struct fixture, NULL, setup, test_pages, teardown);
    return g_test_run();
}
