/* A tile: one image source on the board (camera, snapshot, later casts and
 * web pages). It owns the frame slot its source pushes into and the texture
 * the UI uploads to, and a view (zoom, pan, orientation) applied when
 * drawing, at no CPU cost. UI thread only, except tile->slot (any thread). */
#ifndef CR_TILE_H
#define CR_TILE_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "display/frame.h"
#include "display/frame_slot.h"
#include "display/layout.h"
#include "input/ink.h"

enum cr_tile_kind {
    CR_TILE_CAMERA,
    CR_TILE_SNAPSHOT,
    CR_TILE_CAST,
    CR_TILE_WEB,
    CR_TILE_VIDEO,
};

const char *cr_tile_kind_name(enum cr_tile_kind kind); /* "camera", "snapshot", ... */

#define CR_TILE_ZOOM_MAX 8.0f

struct cr_tile_view {
    bool rotate180;
    bool mirror;
    float zoom;     /* 1 = whole image, up to CR_TILE_ZOOM_MAX */
    float center_x; /* centre of the visible part, 0..1 of the (oriented) image */
    float center_y;
};

struct cr_tile {
    enum cr_tile_kind kind;
    struct cr_frame_slot slot;

    SDL_Texture *texture;
    enum cr_pixel_format tex_format;
    int tex_w, tex_h;
    struct cr_frame *current; /* the frame on the texture (ref held), or NULL */

    bool frozen; /* new frames are taken from the slot and dropped */
    struct cr_tile_view view;

    struct cr_rect rect;       /* where it was last drawn, screen pixels */
    struct cr_rect image_rect; /* the image part of rect (letterboxed) */

    uint64_t uploads;
    uint64_t frozen_drops;
};

/* cbs/userdata: the slot's new-frame notification (see frame_slot.h). */
void cr_tile_init(struct cr_tile *tile, enum cr_tile_kind kind,
                  const struct cr_frame_slot_callbacks *cbs, void *userdata);
void cr_tile_destroy(struct cr_tile *tile);

/* Takes the latest frame from the slot and uploads it (unless frozen).
 * Returns true if the texture changed. */
bool cr_tile_update(struct cr_tile *tile, SDL_Renderer *renderer);
/* Shows this frame (ownership transferred): snapshots, tests. */
bool cr_tile_set_frame(struct cr_tile *tile, SDL_Renderer *renderer, struct cr_frame *frame);
/* Forgets the image (texture kept for reuse). */
void cr_tile_clear(struct cr_tile *tile);
bool cr_tile_has_image(const struct cr_tile *tile);

/* Draws the image letterboxed into rect, with the view applied. */
void cr_tile_draw(struct cr_tile *tile, SDL_Renderer *renderer, struct cr_rect rect);

void cr_tile_set_frozen(struct cr_tile *tile, bool frozen);
/* Zoom by a factor around a point given in screen pixels (inside image_rect;
 * outside: the centre). Clamped to 1..CR_TILE_ZOOM_MAX. */
void cr_tile_zoom(struct cr_tile *tile, float factor, float screen_x, float screen_y);
/* Pans by a screen-pixel delta (a finger drag moves the image with it). */
void cr_tile_pan(struct cr_tile *tile, float dx, float dy);
void cr_tile_reset_view(struct cr_tile *tile);

/* Content coordinates, where ink on a tile is kept: the source image's own
 * pixel grid (before rotate180 and mirror) divided by its height, so x runs
 * over 0..width/height and y over 0..1. Ink kept there follows the picture
 * when it is zoomed, panned, turned or mirrored. The map is the one the next
 * cr_tile_draw() uses (same rounding of the visible part), in the image_rect
 * of the last draw. These return false when the tile has no image size yet. */
bool cr_tile_content_xform(const struct cr_tile *tile, struct cr_ink_xform *xf);
bool cr_tile_screen_to_content(const struct cr_tile *tile, double sx, double sy, double *x,
                               double *y);
bool cr_tile_content_to_screen(const struct cr_tile *tile, double x, double y, double *sx,
                               double *sy);

#endif
