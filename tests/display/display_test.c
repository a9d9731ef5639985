#include "tests/display/display_test.h"

#include <glib.h>
#include <stdlib.h>

#include "common/util.h"

SDL_Surface *cr_test_read_back(struct cr_screen *screen, const char *name)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, screen->width, screen->height, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    g_assert_nonnull(s);
    g_assert_cmpint(
        SDL_RenderReadPixels(screen->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch),
        ==, 0);
    const char *root = g_getenv("CRAIE_BUILD_ROOT");
    if (root) {
        g_autofree char *dir = g_build_filename(root, "test-artifacts", "display", NULL);
        g_mkdir_with_parents(dir, 0755);
        g_autofree char *file = g_strdup_printf("%s/%s.png", dir, name);
        g_autofree char *err = NULL;
        if (!cr_screen_save_png(screen, file, &err))
            g_printerr("cannot keep %s: %s\n", file, err);
    }
    return s;
}

unsigned cr_test_pixel(SDL_Surface *s, int x, int y)
{
    g_assert_true(x >= 0 && y >= 0 && x < s->w && y < s->h);
    return ((const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch))[x] & 0xffffff;
}

int cr_test_count_color(SDL_Surface *s, struct cr_rect r, unsigned rgb, int tol)
{
    int n = 0;
    for (int y = CR_MAX(r.y, 0); y < r.y + r.h && y < s->h; y++)
        for (int x = CR_MAX(r.x, 0); x < r.x + r.w && x < s->w; x++) {
            unsigned v = cr_test_pixel(s, x, y);
            int dr = (int)(v >> 16) - (int)(rgb >> 16);
            int dg = (int)((v >> 8) & 0xff) - (int)((rgb >> 8) & 0xff);
            int db = (int)(v & 0xff) - (int)(rgb & 0xff);
            n += abs(dr) <= tol && abs(dg) <= tol && abs(db) <= tol;
        }
    return n;
}

void cr_test_screen_ui_init(struct cr_screen *screen, struct cr_ui *ui, int w, int h)
{
    struct cr_screen_options so = {.fullscreen = false, .width = w, .height = h};
    g_assert_true(cr_screen_init(screen, &so));
    char *assets = cr_ui_assets_dir();
    g_assert_true(cr_ui_init(ui, screen, assets));
    g_free(assets);
}
