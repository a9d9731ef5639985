/* The on-screen keyboard, rendered offscreen and checked by pixels and by
 * what its keys type: for a password no key ever lights up; over a web page
 * (show_pressed) the touched key does. Keys type characters, one capital
 * after Maj, erase, next field and done. Pictures are kept in
 * build/test-artifacts/display/. */
#include <SDL.h>
#include <glib.h>
#include <string.h>

#include "display/ui/keyboard.h"
#include "display/ui/theme.h"
#include "tests/display/display_test.h"

#define W 1280
#define H 720
#define LIT 0x2563eb /* CR_C_BUTTON_ACTIVE */

struct fixture {
    struct cr_screen screen;
    struct cr_ui ui;
    struct cr_keyboard kb;
};

static void setup(struct fixture *f, gconstpointer data)
{
    cr_test_screen_ui_init(&f->screen, &f->ui, W, H);
    cr_keyboard_init(&f->kb);
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
    cr_keyboard_draw(&f->kb, &f->ui, (struct cr_rect){40, 320, W - 80, 380});
    return cr_test_read_back(&f->screen, name);
}

static int key_of(struct fixture *f, const char *label)
{
    for (int i = 0; i < f->kb.n_keys; i++)
        if (!strcmp(f->kb.keys[i].label, label))
            return i;
    g_error("no key %s", label);
}

static void test_pressed(struct fixture *f, gconstpointer data)
{
    int a = key_of(f, "a");
    SDL_Surface *idle = render(f, "keyboard-idle");
    struct cr_rect r = f->kb.keys[a].rect;
    g_assert_cmpint(r.w, >=, 40);
    g_assert_cmpint(r.h, >=, 40);
    g_assert_cmpint(cr_test_count_color(idle, r, LIT, 10), ==, 0);
    /* A password: the touched key looks the same. */
    f->kb.keys[a].pressed = true;
    SDL_Surface *secret = render(f, "keyboard-password-pressed");
    g_assert_cmpint(cr_test_count_color(secret, r, LIT, 10), ==, 0);
    /* A web page: it lights up. */
    f->kb.show_pressed = true;
    SDL_Surface *web = render(f, "keyboard-web-pressed");
    g_assert_cmpint(cr_test_count_color(web, r, LIT, 10), >, r.w * r.h / 3);
    SDL_FreeSurface(idle);
    SDL_FreeSurface(secret);
    SDL_FreeSurface(web);
}

static void test_keys(struct fixture *f, gconstpointer data)
{
    SDL_FreeSurface(render(f, "keyboard-layout"));
    char t[8] = {0};
    g_assert_cmpint(cr_keyboard_key(&f->kb, key_of(f, "z"), t), ==, CR_KEY_TEXT);
    g_assert_cmpstr(t, ==, "z");
    g_assert_cmpint(cr_keyboard_key(&f->kb, key_of(f, "Caps"), t), ==, CR_KEY_NONE);
    g_assert_cmpint(cr_keyboard_key(&f->kb, key_of(f, "z"), t), ==, CR_KEY_TEXT);
    g_assert_cmpstr(t, ==, "Z");
    g_assert_cmpint(cr_keyboard_key(&f->kb, key_of(f, "z"), t), ==, CR_KEY_TEXT);
    g_assert_cmpstr(t, ==, "z"); /* one capital only */
    g_assert_cmpint(cr_keyboard_key(&f->kb, key_of(f, "Space"), t), ==, CR_KEY_TEXT);
    g_assert_cmpstr(t, ==, " ");
    g_assert_cmpint(cr_keyboard_key(&f->kb, key_of(f, "Erase"), t), ==, CR_KEY_ERASE);
    g_assert_cmpint(cr_keyboard_key(&f->kb, key_of(f, "Next field"), t), ==, CR_KEY_FORWARD);
    g_assert_cmpint(cr_keyboard_key(&f->kb, key_of(f, "Sign in"), t), ==, CR_KEY_DONE);
    g_assert_cmpint(cr_keyboard_key(&f->kb, -1, t), ==, CR_KEY_NONE);
    g_assert_cmpint(cr_keyboard_key(&f->kb, f->kb.n_keys, t), ==, CR_KEY_NONE);
    /* A tap on the key's middle is the same key; between keys nothing. */
    struct cr_rect r = f->kb.keys[key_of(f, "q")].rect;
    g_assert_cmpint(cr_keyboard_tap(&f->kb, r.x + r.w / 2, r.y + r.h / 2, t), ==, CR_KEY_TEXT);
    g_assert_cmpstr(t, ==, "q");
    g_assert_cmpint(cr_keyboard_tap(&f->kb, 5, 5, t), ==, CR_KEY_NONE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/display/keyboard/pressed", struct fixture, NULL, setup, test_pressed, teardown);
    g_test_add("/display/keyboard/keys", struct fixture, NULL, setup, test_keys, teardown);
    return g_test_run();
}
