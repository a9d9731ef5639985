/* The web tile's bar as the class sees it, rendered offscreen and checked
 * by pixels: four big buttons with their icons, Précédent and Suivant only
 * when history allows, Recharger and Accueil always; a progress line that
 * grows with the load and is gone when the page is there. Pictures are kept
 * in build/test-artifacts/display/. */
#include <SDL.h>
#include <glib.h>

#include "display/ui/theme.h"
#include "display/ui/web_bar.h"
#include "tests/display/display_test.h"

#define W 1280
#define H 720

struct fixture {
    struct cr_screen screen;
    struct cr_ui ui;
    struct cr_web_bar bar;
    struct cr_rect rect;
};

static void setup(struct fixture *f, gconstpointer data)
{
    cr_test_screen_ui_init(&f->screen, &f->ui, W, H);
    cr_web_bar_init(&f->bar);
    /* A strip under a web tile in the right half of the board. */
    f->rect = (struct cr_rect){640, 600, 640, 100};
}

static void teardown(struct fixture *f, gconstpointer data)
{
    cr_ui_destroy(&f->ui);
    cr_screen_destroy(&f->screen);
}

static SDL_Surface *render(struct fixture *f, const char *name)
{
    SDL_SetRenderDrawColor(f->ui.r, 0, 0, 0, 255);
    SDL_RenderClear(f->ui.r);
    cr_web_bar_draw(&f->bar, &f->ui, f->rect);
    return cr_test_read_back(&f->screen, name);
}

static struct cr_rect button_rect(struct fixture *f, enum cr_web_bar_action a)
{
    return f->bar.buttons[a].rect;
}

static int tap(struct fixture *f, enum cr_web_bar_action a)
{
    struct cr_rect r = button_rect(f, a);
    return cr_web_bar_hit(&f->bar, r.x + r.w / 2, r.y + r.h / 2);
}

/* White-ish pixels of an icon and label inside r. */
static int ink_in(SDL_Surface *s, struct cr_rect r)
{
    return cr_test_count_color(s, r, 0xf8fafc, 60);
}

static void test_idle(struct fixture *f, gconstpointer data)
{
    struct cr_web_state st = {.progress = 1, .title = "page"};
    cr_web_bar_update(&f->bar, &st);
    SDL_Surface *s = render(f, "web-bar-idle");
    /* Everything inside the strip, nothing outside. */
    g_assert_cmpint(cr_test_count_color(s, (struct cr_rect){0, 0, W, 600}, 0x000000, 0), ==,
                    W * 600);
    for (int a = 0; a < CR_WEB_BAR_COUNT; a++) {
        struct cr_rect r = button_rect(f, a);
        g_assert_true(r.x >= f->rect.x && r.x + r.w <= f->rect.x + f->rect.w);
        g_assert_true(r.y >= f->rect.y && r.y + r.h <= f->rect.y + f->rect.h);
        /* Big targets: at least 1 cm on a 2 m wide board. */
        g_assert_cmpint(r.w, >=, 60);
        g_assert_cmpint(r.h, >=, 60);
    }
    /* No history: Précédent and Suivant are dimmed and do nothing. */
    g_assert_cmpint(tap(f, CR_WEB_BAR_BACK), ==, CR_WEB_BAR_NONE);
    g_assert_cmpint(tap(f, CR_WEB_BAR_FORWARD), ==, CR_WEB_BAR_NONE);
    g_assert_cmpint(tap(f, CR_WEB_BAR_RELOAD), ==, CR_WEB_BAR_RELOAD);
    g_assert_cmpint(tap(f, CR_WEB_BAR_HOME), ==, CR_WEB_BAR_HOME);
    /* Clavier always works: no physical keyboard at the board. */
    g_assert_cmpint(tap(f, CR_WEB_BAR_KEYBOARD), ==, CR_WEB_BAR_KEYBOARD);
    g_assert_cmpint(ink_in(s, button_rect(f, CR_WEB_BAR_KEYBOARD)), >, 50);
    int dim = ink_in(s, button_rect(f, CR_WEB_BAR_BACK));
    int lit = ink_in(s, button_rect(f, CR_WEB_BAR_HOME));
    g_assert_cmpint(lit, >, 50);
    g_assert_cmpint(dim, <, lit / 2);
    /* Not loading: no progress line (the top rows are the bar's colour). */
    struct cr_rect top = {f->rect.x, f->rect.y, f->rect.w, 2};
    g_assert_cmpint(cr_test_count_color(s, top, 0xfacc15, 10), ==, 0);
    SDL_FreeSurface(s);
}

static void test_history_and_progress(struct fixture *f, gconstpointer data)
{
    struct cr_web_state st = {.progress = 0.5, .loading = true, .title = "", .can_go_back = true};
    cr_web_bar_update(&f->bar, &st);
    SDL_Surface *s = render(f, "web-bar-loading");
    g_assert_cmpint(tap(f, CR_WEB_BAR_BACK), ==, CR_WEB_BAR_BACK);
    g_assert_cmpint(tap(f, CR_WEB_BAR_FORWARD), ==, CR_WEB_BAR_NONE);
    g_assert_cmpint(ink_in(s, button_rect(f, CR_WEB_BAR_BACK)), >, 50);
    /* Half the line is lit, from the left. */
    struct cr_rect top = {f->rect.x, f->rect.y, f->rect.w, 1};
    int lit = cr_test_count_color(s, top, 0xfacc15, 10);
    g_assert_cmpint(lit, >=, f->rect.w / 2 - 2);
    g_assert_cmpint(lit, <=, f->rect.w / 2 + 2);
    g_assert_cmpuint(cr_test_pixel(s, f->rect.x + 5, f->rect.y), ==, 0xfacc15);
    g_assert_cmpuint(cr_test_pixel(s, f->rect.x + f->rect.w - 5, f->rect.y), !=, 0xfacc15);
    SDL_FreeSurface(s);

    st.progress = 1.0;
    st.loading = false;
    st.can_go_forward = true;
    cr_web_bar_update(&f->bar, &st);
    s = render(f, "web-bar-history");
    g_assert_cmpint(tap(f, CR_WEB_BAR_FORWARD), ==, CR_WEB_BAR_FORWARD);
    g_assert_cmpint(cr_test_count_color(s, top, 0xfacc15, 10), ==, 0);
    /* A tap outside the buttons is nothing. */
    g_assert_cmpint(cr_web_bar_hit(&f->bar, 10, 10), ==, CR_WEB_BAR_NONE);
    SDL_FreeSurface(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/web-bar/idle", struct fixture, NULL, setup, test_idle, teardown);
    g_test_add("/web-bar/history-progress", struct fixture, NULL, setup, test_history_and_progress,
               teardown);
    return g_test_run();
}
