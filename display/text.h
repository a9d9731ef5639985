/* Text with the bundled font (Andika, designed for reading by children and
 * beginning readers), rendered by SDL_ttf and cached as textures. UI thread. */
#ifndef CR_TEXT_H
#define CR_TEXT_H

#include <SDL.h>
#include <glib.h>
#include <stdbool.h>

#include "display/draw.h"
#include "display/layout.h"

enum cr_align { CR_ALIGN_LEFT, CR_ALIGN_CENTER, CR_ALIGN_RIGHT };

struct cr_text {
    char *regular_path;
    char *bold_path;
    GHashTable *fonts; /* "px/bold" -> TTF_Font * */
    GHashTable *cache; /* key -> struct cr_text_entry * (textures) */
};

bool cr_text_init(struct cr_text *t, const char *font_dir);
void cr_text_destroy(struct cr_text *t);
/* Drops cached textures (after the renderer or scale changed). */
void cr_text_flush(struct cr_text *t);

/* Measures one line. */
void cr_text_size(struct cr_text *t, const char *s, int px, bool bold, int *w, int *h);
/* One line; (x, y) is the top-left, top-centre or top-right point by align.
 * Text wider than max_w (if > 0) is shrunk to fit. Returns the width drawn. */
int cr_text_draw(struct cr_text *t, SDL_Renderer *r, const char *s, int px, bool bold,
                 struct cr_color c, int x, int y, enum cr_align align, int max_w);
/* Wrapped to box.w, aligned in box horizontally, from box.y. Returns the height. */
int cr_text_draw_wrapped(struct cr_text *t, SDL_Renderer *r, const char *s, int px, bool bold,
                         struct cr_color c, struct cr_rect box, enum cr_align align);

#endif
