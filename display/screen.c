#include "display/screen.h"

#include <SDL_image.h>
#include <glib.h>
#include <unistd.h>

#include "common/log.h"

/* No GPU (llvmpipe): the software renderer is several times cheaper than GL
 * on the CPU (doc/performance.md). A render node means a real GPU. */
static bool gpu_present(void)
{
    return access("/dev/dri/renderD128", R_OK | W_OK) == 0;
}

bool cr_screen_init(struct cr_screen *s, const struct cr_screen_options *o)
{
    memset(s, 0, sizeof(*s));
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    bool software = !gpu_present() && !getenv("SDL_RENDER_DRIVER");

    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        cr_err("screen", "cannot start the display: %s", SDL_GetError());
        return false;
    }
    /* KMSDRM (craie.service) has no window framebuffer of its own: there
     * SDL presents the software renderer's pixels through GL (llvmpipe on a
     * PC without a render node), so that path must stay allowed. */
    if (software && g_strcmp0(SDL_GetCurrentVideoDriver(), "KMSDRM"))
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    if (o->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    else
        flags |= SDL_WINDOW_RESIZABLE;
    s->window = SDL_CreateWindow(o->title ? o->title : "craie", SDL_WINDOWPOS_CENTERED,
                                 SDL_WINDOWPOS_CENTERED, o->width, o->height, flags);
    if (!s->window) {
        cr_err("screen", "cannot open the window: %s", SDL_GetError());
        goto err_video;
    }
    Uint32 rflags =
        software ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC;
    s->renderer = SDL_CreateRenderer(s->window, -1, rflags);
    if (!s->renderer && !software) {
        cr_warn("screen", "no accelerated renderer (%s), using software", SDL_GetError());
        s->renderer = SDL_CreateRenderer(s->window, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!s->renderer) {
        cr_err("screen", "cannot create a renderer: %s", SDL_GetError());
        goto err_window;
    }
    SDL_RendererInfo info;
    SDL_GetRendererInfo(s->renderer, &info);
    s->software = (info.flags & SDL_RENDERER_SOFTWARE) != 0;
    SDL_SetRenderDrawBlendMode(s->renderer, SDL_BLENDMODE_BLEND);
    if (o->fullscreen)
        SDL_ShowCursor(SDL_DISABLE);
    cr_screen_update_size(s);
    cr_info("screen", "%s video, %s renderer, %dx%d", SDL_GetCurrentVideoDriver(), info.name,
            s->width, s->height);
    return true;

err_window:
    SDL_DestroyWindow(s->window);
    s->window = NULL;
err_video:
    SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    return false;
}

void cr_screen_destroy(struct cr_screen *s)
{
    if (s->renderer)
        SDL_DestroyRenderer(s->renderer);
    if (s->window)
        SDL_DestroyWindow(s->window);
    s->renderer = NULL;
    s->window = NULL;
    SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
}

bool cr_screen_update_size(struct cr_screen *s)
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(s->renderer, &w, &h);
    if (w <= 0 || h <= 0)
        SDL_GetWindowSize(s->window, &w, &h);
    if (w == s->width && h == s->height)
        return false;
    s->width = w;
    s->height = h;
    float sx = w / 1920.0f, sy = h / 1080.0f;
    s->scale = sx < sy ? sx : sy;
    if (s->scale < 0.4f)
        s->scale = 0.4f;
    return true;
}

int cr_screen_px(const struct cr_screen *s, float design_px)
{
    return (int)(design_px * s->scale + 0.5f);
}

bool cr_screen_save_png(struct cr_screen *s, const char *path, char **error)
{
    SDL_Surface *surf =
        SDL_CreateRGBSurfaceWithFormat(0, s->width, s->height, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf) {
        *error = g_strdup_printf("out of memory: %s", SDL_GetError());
        return false;
    }
    bool ok = false;
    if (SDL_RenderReadPixels(s->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, surf->pixels,
                             surf->pitch) != 0) {
        *error = g_strdup_printf("cannot read the screen: %s", SDL_GetError());
        goto out;
    }
    if (IMG_SavePNG(surf, path) != 0) {
        *error = g_strdup_printf("cannot write %s: %s", path, IMG_GetError());
        goto out;
    }
    ok = true;
out:
    SDL_FreeSurface(surf);
    return ok;
}

void cr_screen_present(struct cr_screen *s)
{
    SDL_RenderPresent(s->renderer);
    s->presents++;
}
