/* Ink drawn over a surface (a tile's image, the whiteboard), cheaply enough
 * for the software renderer: the finished strokes are kept in a texture the
 * size of the surface and redrawn only when they change (a stroke appended
 * is drawn alone; undo, erase, clear, a new zoom or pan redraw them all);
 * only the strokes being written are tessellated every frame. UI thread. */
#ifndef CR_INK_LAYER_H
#define CR_INK_LAYER_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "display/layout.h"
#include "input/ink.h"

/* Paints what is under the ink into the cache (the whiteboard's paper):
 * the cache is then opaque and copied without blending. */
typedef void cr_ink_paint_fn(void *data, SDL_Renderer *r, struct cr_rect rect);

struct cr_ink_layer {
    SDL_Texture *cache;
    int cache_w, cache_h;
    bool valid;
    /* What the cache shows: compared, never dereferenced. */
    const struct cr_ink *ink;
    uint64_t epoch;
    size_t n_strokes;
    struct cr_ink_xform xf; /* relative to the rectangle */

    cr_ink_paint_fn *paint;
    void *paint_data;

    struct cr_ink_mesh mesh;
    /* Newest input time (µs) shown by the last draw (0: none): see
     * cr_app_ink_presented() for the event → present latency. */
    int64_t drawn_input_us;
    uint64_t rebuilds; /* full redraws of the cache, for tests and the bench */
};

void cr_ink_layer_init(struct cr_ink_layer *l);
void cr_ink_layer_destroy(struct cr_ink_layer *l);
/* Frees the cache texture (a screen that is not shown); the next draw
 * rebuilds it. */
void cr_ink_layer_release(struct cr_ink_layer *l);
/* Sets the painter of what is under the ink (NULL: transparent). */
void cr_ink_layer_set_background(struct cr_ink_layer *l, cr_ink_paint_fn *paint, void *data);
/* Forces a full redraw (the background changed). */
void cr_ink_layer_invalidate(struct cr_ink_layer *l);
/* Draws ink (finished and live strokes) clipped to rect, content mapped to
 * the screen by xf. With a background, rect is filled even without ink. */
void cr_ink_layer_draw(struct cr_ink_layer *l, SDL_Renderer *r, const struct cr_ink *ink,
                       struct cr_rect rect, const struct cr_ink_xform *xf);

/* One stroke drawn with the renderer (no cache). */
void cr_ink_draw_stroke(SDL_Renderer *r, struct cr_ink_mesh *scratch, const struct cr_ink_stroke *s,
                        const struct cr_ink_xform *xf);

#endif
