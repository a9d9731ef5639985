#include "display/ink_layer.h"

#include <math.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"

void cr_ink_layer_init(struct cr_ink_layer *l)
{
    memset(l, 0, sizeof(*l));
    cr_ink_mesh_init(&l->mesh);
}

void cr_ink_layer_release(struct cr_ink_layer *l)
{
    if (l->cache)
        SDL_DestroyTexture(l->cache);
    l->cache = NULL;
    l->cache_w = l->cache_h = 0;
    l->valid = false;
}

void cr_ink_layer_destroy(struct cr_ink_layer *l)
{
    cr_ink_layer_release(l);
    cr_ink_mesh_destroy(&l->mesh);
}

void cr_ink_layer_set_background(struct cr_ink_layer *l, cr_ink_paint_fn *paint, void *data)
{
    l->paint = paint;
    l->paint_data = data;
    l->valid = false;
}

void cr_ink_layer_invalidate(struct cr_ink_layer *l)
{
    l->valid = false;
}

void cr_ink_draw_stroke(SDL_Renderer *r, struct cr_ink_mesh *scratch, const struct cr_ink_stroke *s,
                        const struct cr_ink_xform *xf)
{
    cr_ink_mesh_clear(scratch);
    cr_ink_tessellate(scratch, s, xf);
    if (scratch->n_indices == 0)
        return;
    SDL_Color c = {s->color.r, s->color.g, s->color.b, s->color.a};
    /* One colour for every vertex: a colour stride of 0. */
    SDL_RenderGeometryRaw(r, NULL, scratch->xy, 2 * sizeof(float), &c, 0, NULL, 0,
                          scratch->n_vertices, scratch->indices, scratch->n_indices, sizeof(int));
}

/* Whether a stroke may show in a w x h target under xf. */
static bool visible(const struct cr_ink_stroke *s, const struct cr_ink_xform *xf, int w, int h)
{
    double pad = s->width * xf->width_scale / 2 + 2;
    double x0 = xf->ax * s->min_x + xf->bx, x1 = xf->ax * s->max_x + xf->bx;
    double y0 = xf->ay * s->min_y + xf->by, y1 = xf->ay * s->max_y + xf->by;
    return fmax(x0, x1) >= -pad && fmin(x0, x1) <= w + pad && fmax(y0, y1) >= -pad &&
           fmin(y0, y1) <= h + pad;
}

static bool same_xform(const struct cr_ink_xform *a, const struct cr_ink_xform *b)
{
    return a->ax == b->ax && a->bx == b->bx && a->ay == b->ay && a->by == b->by &&
           a->width_scale == b->width_scale;
}

static bool ensure_texture(struct cr_ink_layer *l, SDL_Renderer *r, int w, int h)
{
    if (l->cache && l->cache_w == w && l->cache_h == h)
        return true;
    cr_ink_layer_release(l);
    l->cache = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
    if (!l->cache) {
        static struct cr_ratelimit rl = CR_RATELIMIT_INIT(10000, 2);
        if (cr_ratelimit_allow(&rl))
            cr_warn("ink", "cannot create a %dx%d ink texture: %s", w, h, SDL_GetError());
        return false;
    }
    l->cache_w = w;
    l->cache_h = h;
    return true;
}

/* Brings the cache up to date with the finished strokes. */
static bool update_cache(struct cr_ink_layer *l, SDL_Renderer *r, const struct cr_ink *ink,
                         struct cr_rect rect, const struct cr_ink_xform *local)
{
    if (!ensure_texture(l, r, rect.w, rect.h))
        return false;
    bool rebuild = !l->valid || l->ink != ink || l->epoch != ink->epoch ||
                   l->n_strokes > ink->n_strokes || !same_xform(&l->xf, local);
    if (!rebuild && l->n_strokes == ink->n_strokes)
        return true;
    SDL_Texture *old_target = SDL_GetRenderTarget(r);
    SDL_SetRenderTarget(r, l->cache);
    size_t from = l->n_strokes;
    if (rebuild) {
        SDL_SetTextureBlendMode(l->cache, l->paint ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(r, 0, 0, 0, 0);
        SDL_RenderClear(r);
        if (l->paint)
            l->paint(l->paint_data, r, (struct cr_rect){0, 0, rect.w, rect.h});
        from = 0;
        l->rebuilds++;
    }
    for (size_t i = from; i < ink->n_strokes; i++) {
        const struct cr_ink_stroke *s = ink->strokes[i];
        if (s->alive && visible(s, local, rect.w, rect.h))
            cr_ink_draw_stroke(r, &l->mesh, s, local);
    }
    SDL_SetRenderTarget(r, old_target);
    l->ink = ink;
    l->epoch = ink->epoch;
    l->n_strokes = ink->n_strokes;
    l->xf = *local;
    l->valid = true;
    return true;
}

void cr_ink_layer_draw(struct cr_ink_layer *l, SDL_Renderer *r, const struct cr_ink *ink,
                       struct cr_rect rect, const struct cr_ink_xform *xf)
{
    l->drawn_input_us = 0;
    if (rect.w <= 0 || rect.h <= 0)
        return;
    const struct cr_ink_stroke *live[CR_INK_MAX_LIVE];
    size_t n_live = cr_ink_live_strokes(ink, live, CR_INK_MAX_LIVE);
    bool any = n_live > 0 || cr_ink_count(ink) > 0;
    if (!any && !l->paint)
        return; /* nothing to blend over the picture */

    struct cr_ink_xform local = *xf;
    local.bx -= rect.x;
    local.by -= rect.y;
    SDL_Rect dst = {rect.x, rect.y, rect.w, rect.h};
    if (update_cache(l, r, ink, rect, &local)) {
        SDL_RenderCopy(r, l->cache, NULL, &dst);
    } else if (l->paint) { /* no texture: straight on the screen, slower */
        SDL_RenderSetClipRect(r, &dst);
        l->paint(l->paint_data, r, rect);
        for (size_t i = 0; i < ink->n_strokes; i++)
            if (ink->strokes[i]->alive)
                cr_ink_draw_stroke(r, &l->mesh, ink->strokes[i], xf);
        SDL_RenderSetClipRect(r, NULL);
    }
    if (n_live) {
        SDL_RenderSetClipRect(r, &dst);
        for (size_t i = 0; i < n_live; i++)
            cr_ink_draw_stroke(r, &l->mesh, live[i], xf);
        SDL_RenderSetClipRect(r, NULL);
    }
    l->drawn_input_us = ink->last_input_us;
}
