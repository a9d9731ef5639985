/* Line icons (assets/icons/NAME.svg) rasterised at the size they are drawn,
 * white, tinted when drawn. UI thread. */
#ifndef CR_ICONS_H
#define CR_ICONS_H

#include <SDL.h>
#include <glib.h>

#include "display/draw.h"
#include "display/layout.h"

struct cr_icons {
    char *dir;
    GHashTable *cache; /* "name@px" -> SDL_Texture * (NULL value = missing, warned once) */
};

void cr_icons_init(struct cr_icons *icons, const char *dir);
void cr_icons_destroy(struct cr_icons *icons);
void cr_icons_flush(struct cr_icons *icons);
/* Draws icon `name` as a square of side px centred on (cx, cy). */
void cr_icons_draw(struct cr_icons *icons, SDL_Renderer *r, const char *name, int cx, int cy,
                   int px, struct cr_color tint);

#endif
