/* The ENT screen as the class sees it, rendered offscreen and checked by
 * pixels: the QR code is the code (module by module, dark on white, with its
 * quiet zone); while a password is typed the keyboard looks the same after
 * every key and the password is only a count of dots; the resources come in
 * pages of tiles; the inactivity countdown takes any touch; without an ENT
 * the screen says so with no button to a dead end. Pictures are kept in
 * build/test-artifacts/display/. */
#include <SDL.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"
#include "display/screen.h"
#include "display/ui/ent_screen.h"
#include "display/ui/theme.h"
#include "ent-client/qr.h"
#include "tests/display/display_test.h"

#define W 1280
#define H 720
#define QR_TEXT "http://127.0.0.1:4593/api/oidc/device?code=QZ6O-QL5E"

struct fixture {
    struct cr_screen screen;
    struct cr_ui ui;
    struct cr_ent_screen es;
    struct cr_ent_view *view;
};

static void setup(struct fixture *f, gconstpointer data)
{
    cr_test_screen_ui_init(&f->screen, &f->ui, W, H);
    cr_ent_screen_init(&f->es, data == NULL);
    f->view = NULL;
}

static void teardown(struct fixture *f, gconstpointer data)
{
    cr_ent_screen_destroy(&f->es);
    cr_ent_view_free(f->view);
    cr_ui_destroy(&f->ui);
    cr_screen_destroy(&f->screen);
}

/* A snapshot as the client makes them (strings on the C heap). */
static struct cr_ent_view *view(enum cr_ent_state state)
{
    struct cr_ent_view *v = calloc(1, sizeof(*v));
    v->state = state;
    v->kind = CR_ENT_KIND_OIDC;
    v->methods = CR_ENT_METHOD_DEVICE | CR_ENT_METHOD_PASSWORD;
    return v;
}

static void set_view(struct fixture *f, struct cr_ent_view *v)
{
    cr_ent_screen_set_view(&f->es, v);
    cr_ent_view_free(f->view);
    f->view = v;
}

static SDL_Surface *render(struct fixture *f, const char *name)
{
    SDL_SetRenderDrawColor(f->ui.r, 0, 0, 0, 255);
    SDL_RenderClear(f->ui.r);
    cr_ent_screen_draw(&f->es, &f->ui);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    g_assert_cmpint(
        SDL_RenderReadPixels(f->ui.r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch), ==, 0);
    const char *root = g_getenv("CRAIE_BUILD_ROOT");
    if (root) {
        g_autofree char *dir = g_build_filename(root, "test-artifacts", "display", NULL);
        g_mkdir_with_parents(dir, 0755);
        g_autofree char *file = g_strdup_printf("%s/ent-%s.png", dir, name);
        char *err = NULL;
        cr_screen_save_png(&f->screen, file, &err);
        g_free(err);
    }
    return s;
}

static unsigned pixel(SDL_Surface *s, int x, int y)
{
    return ((const Uint32 *)s->pixels)[(size_t)y * (s->pitch / 4) + x] & 0xffffff;
}

static bool rows_equal(SDL_Surface *a, SDL_Surface *b, int y0, int y1)
{
    for (int y = y0; y < y1; y++)
        if (memcmp((char *)a->pixels + (size_t)y * a->pitch,
                   (char *)b->pixels + (size_t)y * b->pitch, (size_t)W * 4))
            return false;
    return true;
}

static const struct cr_button *find(struct fixture *f, const char *action, const char *label)
{
    const struct cr_button *b[128];
    size_t n = cr_ent_screen_buttons(&f->es, b, G_N_ELEMENTS(b));
    for (size_t i = 0; i < n; i++)
        if (!g_strcmp0(b[i]->action, action) && (!label || !g_strcmp0(b[i]->label, label)))
            return b[i];
    return NULL;
}

static const char *tap(struct fixture *f, const char *action, const char *label)
{
    const struct cr_button *b = find(f, action, label);
    if (!b)
        g_error("no button %s %s", action, label ? label : "");
    return cr_ent_screen_hit(&f->es, b->rect.x + b->rect.w / 2, b->rect.y + b->rect.h / 2);
}

static void test_qr_is_the_code(struct fixture *f, gconstpointer data)
{
    struct cr_ent_view *v = view(CR_ENT_SHOW_CODE);
    v->qr_uri = strdup(QR_TEXT);
    v->user_code = strdup("QZ6O-QL5E");
    v->code_seconds_left = 598;
    set_view(f, v);
    SDL_Surface *s = render(f, "code");
    /* the white square (quiet zone included) on the left */
    int x0 = -1, y0 = H / 2, x1 = -1;
    for (int x = 0; x < W / 2; x++)
        if (pixel(s, x, y0) == 0xffffff) {
            if (x0 < 0)
                x0 = x;
            x1 = x;
        }
    g_assert_cmpint(x0, >=, 0);
    int side = x1 - x0 + 1;
    int top = y0;
    while (top > 0 && pixel(s, x0, top - 1) == 0xffffff)
        top--;
    struct cr_qr *qr = cr_qr_new(QR_TEXT);
    int total = qr->width + 8;
    g_assert_cmpint(side % total, ==, 0); /* whole pixels per module */
    int m = side / total;
    g_assert_cmpint(side, >, H / 2); /* big: more than half the height */
    for (int y = 0; y < total; y++)
        for (int x = 0; x < total; x++) {
            bool inside = x >= 4 && y >= 4 && x < qr->width + 4 && y < qr->width + 4;
            bool dark = inside && qr->modules[(y - 4) * qr->width + (x - 4)];
            g_assert_cmphex(pixel(s, x0 + x * m + m / 2, top + y * m + m / 2), ==,
                            dark ? 0x000000 : 0xffffff);
        }
    cr_qr_free(qr);
    SDL_FreeSurface(s);
    g_assert_nonnull(find(f, "ent cancel", NULL));
    g_assert_nonnull(find(f, "ent signin password", NULL)); /* the ENT allows typing */
}

static void test_password_curtain(struct fixture *f, gconstpointer data)
{
    set_view(f, view(CR_ENT_ASK_PASSWORD));
    g_assert_true(cr_ent_screen_curtain(&f->es));
    SDL_Surface *first = render(f, "form");
    const struct cr_button *one = find(f, "ent key", "1"); /* the top row */
    g_assert_nonnull(one);
    int keys_top = one->rect.y; /* the keyboard and below */
    for (const char *c = "jean"; *c; c++) {
        char l[2] = {*c, 0};
        g_assert_null(tap(f, "ent key", l));
    }
    /* a tap on a field moves the typing there */
    struct cr_rect pw = f->es.fields[1];
    g_assert_null(cr_ent_screen_hit(&f->es, pw.x + pw.w / 2, pw.y + pw.h / 2));
    g_assert_true(f->es.focus_password);
    g_assert_null(tap(f, "ent key", "Next field"));
    g_assert_false(f->es.focus_password);
    g_assert_null(tap(f, "ent key", "Next field"));
    /* Caps, then letters and digits: the keyboard never changes */
    const char *keys[] = {"Caps", "s", "3", "c", "r", "e", "t"};
    SDL_Surface *before = render(f, "form-before");
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_assert_null(tap(f, "ent key", keys[i]));
        SDL_Surface *after = render(f, "form-after");
        g_assert_true(rows_equal(before, after, keys_top, H));
        SDL_FreeSurface(after);
    }
    g_assert_cmpstr(f->es.user, ==, "jean");
    g_assert_cmpstr(f->es.password, ==, "S3cret");
    g_assert_cmpuint(f->es.password_len, ==, 6);
    /* Six dots and nothing else changed above the keyboard but the fields. */
    SDL_Surface *typed = render(f, "form-typed");
    g_assert_false(rows_equal(first, typed, 0, keys_top));
    cr_ent_screen_text(&f->es, "!"); /* a physical keyboard */
    g_assert_cmpstr(f->es.password, ==, "S3cret!");
    g_assert_cmpstr(tap(f, "ent key", "Sign in"), ==, "ent submit");
    /* Leaving the form zeroes it. */
    set_view(f, view(CR_ENT_SIGNING_IN));
    g_assert_cmpuint(f->es.password_len, ==, 0);
    for (size_t i = 0; i < sizeof(f->es.password); i++)
        g_assert_cmpint(f->es.password[i], ==, 0);
    g_assert_false(cr_ent_screen_curtain(&f->es));
    SDL_FreeSurface(first);
    SDL_FreeSurface(before);
    SDL_FreeSurface(typed);
}

static void test_tiles_pages_countdown(struct fixture *f, gconstpointer data)
{
    struct cr_ent_view *v = view(CR_ENT_SIGNED_IN);
    v->user_name = strdup("Jean DUPONT");
    v->n_resources = 13;
    v->resources = calloc(v->n_resources, sizeof(*v->resources));
    for (size_t i = 0; i < v->n_resources; i++) {
        v->resources[i].kind = i < 4 ? CR_ENT_RESOURCE_APP : CR_ENT_RESOURCE_DOCUMENT;
        v->resources[i].title = g_strdup_printf("Ressource %zu", i);
        v->resources[i].url = g_strdup_printf("https://ent.example/r/%zu", i);
    }
    set_view(f, v);
    SDL_Surface *s = render(f, "signed-in");
    SDL_FreeSurface(s);
    g_assert_cmpuint(f->es.n_tiles, ==, 10);
    g_assert_nonnull(find(f, "ent signout", NULL));
    g_assert_nonnull(find(f, "ent open 9", NULL));
    const struct cr_button *next = find(f, "ent page next", NULL);
    g_assert_true(next && next->enabled);
    f->es.page++;
    s = render(f, "signed-in-page2");
    SDL_FreeSurface(s);
    g_assert_cmpuint(f->es.n_tiles, ==, 3);
    g_assert_nonnull(find(f, "ent open 12", NULL));
    g_assert_false(find(f, "ent page next", NULL)->enabled);

    f->view->idle_seconds_left = 42;
    s = render(f, "countdown");
    SDL_FreeSurface(s);
    g_assert_null(find(f, "ent signout", NULL)); /* behind the countdown */
    g_assert_nonnull(find(f, "ent stay", NULL));
    g_assert_cmpstr(cr_ent_screen_hit(&f->es, 5, 5), ==, "ent stay");
}

static void test_not_configured(struct fixture *f, gconstpointer data)
{
    SDL_Surface *s = render(f, "not-configured");
    g_assert_null(find(f, "ent signin", NULL));
    /* words in the middle of the screen */
    int text = 0;
    for (int x = 0; x < W; x += 2)
        for (int y = H / 4; y < H / 2; y += 2)
            text += pixel(s, x, y) != pixel(s, 0, H / 3);
    g_assert_cmpint(text, >, 500);
    SDL_FreeSurface(s);
}

int main(int argc, char **argv)
{
    cr_i18n_init("en");
    g_test_init(&argc, &argv, NULL);
    g_test_add("/ent-screen/qr-is-the-code", struct fixture, NULL, setup, test_qr_is_the_code,
               teardown);
    g_test_add("/ent-screen/password-curtain", struct fixture, NULL, setup, test_password_curtain,
               teardown);
    g_test_add("/ent-screen/tiles-pages-countdown", struct fixture, NULL, setup,
               test_tiles_pages_countdown, teardown);
    g_test_add("/ent-screen/not-configured", struct fixture, "none", setup, test_not_configured,
               teardown);
    return g_test_run();
}
