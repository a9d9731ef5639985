#include "display/draw.h"

#include <math.h>

#include "common/util.h"

static SDL_Color sdl(struct cr_color c)
{
    return (SDL_Color){c.r, c.g, c.b, c.a};
}

void cr_draw_rect(SDL_Renderer *r, struct cr_rect rect, struct cr_color c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    if (c.a < 255) {
        SDL_RenderFillRect(r, &(SDL_Rect){rect.x, rect.y, rect.w, rect.h});
        return;
    }
    /* Opaque: no blending. The software renderer then fills like memset,
     * 15 times faster (0.2 ms instead of 3 ms for 1920x1080). */
    SDL_BlendMode mode;
    SDL_GetRenderDrawBlendMode(r, &mode);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_RenderFillRect(r, &(SDL_Rect){rect.x, rect.y, rect.w, rect.h});
    SDL_SetRenderDrawBlendMode(r, mode);
}

void cr_draw_outline(SDL_Renderer *r, struct cr_rect rect, int width, struct cr_color c)
{
    cr_draw_rect(r, (struct cr_rect){rect.x, rect.y, rect.w, width}, c);
    cr_draw_rect(r, (struct cr_rect){rect.x, rect.y + rect.h - width, rect.w, width}, c);
    cr_draw_rect(r, (struct cr_rect){rect.x, rect.y, width, rect.h}, c);
    cr_draw_rect(r, (struct cr_rect){rect.x + rect.w - width, rect.y, width, rect.h}, c);
}

#define ARC_STEPS 8

/* Triangle fan from the centre of the rectangle around its rounded outline. */
void cr_draw_rounded(SDL_Renderer *r, struct cr_rect rect, int radius, struct cr_color c)
{
    radius = CR_MIN(radius, CR_MIN(rect.w, rect.h) / 2);
    if (radius <= 1) {
        cr_draw_rect(r, rect, c);
        return;
    }
    SDL_Vertex v[1 + 4 * (ARC_STEPS + 1)];
    int indices[3 * 4 * (ARC_STEPS + 1)];
    float cx = rect.x + rect.w / 2.0f, cy = rect.y + rect.h / 2.0f;
    const float corners[4][3] = {
        /* centre of the corner arc, start angle */
        {rect.x + rect.w - radius, rect.y + radius, -M_PI / 2},
        {rect.x + rect.w - radius, rect.y + rect.h - radius, 0},
        {rect.x + radius, rect.y + rect.h - radius, M_PI / 2},
        {rect.x + radius, rect.y + radius, M_PI},
    };
    int n = 0;
    v[n++] = (SDL_Vertex){{cx, cy}, sdl(c), {0, 0}};
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i <= ARC_STEPS; i++) {
            float a = corners[k][2] + (float)(M_PI / 2) * i / ARC_STEPS;
            v[n++] =
                (SDL_Vertex){{corners[k][0] + radius * cosf(a), corners[k][1] + radius * sinf(a)},
                             sdl(c),
                             {0, 0}};
        }
    }
    int outline = n - 1, m = 0;
    for (int i = 0; i < outline; i++) {
        indices[m++] = 0;
        indices[m++] = 1 + i;
        indices[m++] = 1 + (i + 1) % outline;
    }
    SDL_RenderGeometry(r, NULL, v, n, indices, m);
}

void cr_draw_disc(SDL_Renderer *r, int cx, int cy, int radius, struct cr_color c)
{
    cr_draw_rounded(r, (struct cr_rect){cx - radius, cy - radius, 2 * radius, 2 * radius}, radius,
                    c);
}

void cr_draw_ring(SDL_Renderer *r, int cx, int cy, int outer, int inner, float progress,
                  struct cr_color c)
{
    enum { STEPS = 64 };
    progress = CR_CLAMP(progress, 0.0f, 1.0f);
    int steps = (int)(STEPS * progress);
    if (steps < 1)
        return;
    SDL_Vertex v[2 * (STEPS + 1)];
    int indices[6 * STEPS];
    int n = 0, m = 0;
    for (int i = 0; i <= steps; i++) {
        float a = (float)(-M_PI / 2 + 2 * M_PI * progress * i / steps);
        v[n++] = (SDL_Vertex){{cx + outer * cosf(a), cy + outer * sinf(a)}, sdl(c), {0, 0}};
        v[n++] = (SDL_Vertex){{cx + inner * cosf(a), cy + inner * sinf(a)}, sdl(c), {0, 0}};
    }
    for (int i = 0; i < steps; i++) {
        int o = 2 * i;
        indices[m++] = o;
        indices[m++] = o + 1;
        indices[m++] = o + 2;
        indices[m++] = o + 1;
        indices[m++] = o + 3;
        indices[m++] = o + 2;
    }
    SDL_RenderGeometry(r, NULL, v, n, indices, m);
}
