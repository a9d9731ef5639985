/* Drawing primitives on the SDL renderer (UI thread). */
#ifndef CR_DRAW_H
#define CR_DRAW_H

#include <SDL.h>
#include <stdint.h>

#include "display/layout.h"

struct cr_color {
    uint8_t r, g, b, a;
};

#define CR_RGB(hex) ((struct cr_color){((hex) >> 16) & 0xff, ((hex) >> 8) & 0xff, (hex)&0xff, 255})
#define CR_RGBA(hex, alpha)                                                                        \
    ((struct cr_color){((hex) >> 16) & 0xff, ((hex) >> 8) & 0xff, (hex)&0xff, (alpha)})

void cr_draw_rect(SDL_Renderer *r, struct cr_rect rect, struct cr_color c);
void cr_draw_outline(SDL_Renderer *r, struct cr_rect rect, int width, struct cr_color c);
/* A filled rectangle with rounded corners. */
void cr_draw_rounded(SDL_Renderer *r, struct cr_rect rect, int radius, struct cr_color c);
/* A filled disc. */
void cr_draw_disc(SDL_Renderer *r, int cx, int cy, int radius, struct cr_color c);
/* An arc ring from 12 o'clock, clockwise, for progress 0..1. */
void cr_draw_ring(SDL_Renderer *r, int cx, int cy, int outer, int inner, float progress,
                  struct cr_color c);

#endif
