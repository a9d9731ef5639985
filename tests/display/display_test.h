/* Support for the display suite: what the renderer drew, read back and kept
 * as a picture, and counted by colour. */
#ifndef CR_TEST_DISPLAY_H
#define CR_TEST_DISPLAY_H

#include <SDL.h>

#include "display/layout.h"
#include "display/screen.h"
#include "display/ui/theme.h"

/* Reads back what was drawn since the last clear (ARGB8888, SDL_FreeSurface)
 * and keeps it as build/test-artifacts/display/NAME.png. */
SDL_Surface *cr_test_read_back(struct cr_screen *screen, const char *name);
/* Pixels of r (clipped to s) within tol per channel of rgb (0xRRGGBB). */
int cr_test_count_color(SDL_Surface *s, struct cr_rect r, unsigned rgb, int tol);
/* The colour at (x, y), 0xRRGGBB. */
unsigned cr_test_pixel(SDL_Surface *s, int x, int y);

/* A window of w×h (not full screen) and the UI on it, with the build
 * tree's assets; asserts on failure. */
void cr_test_screen_ui_init(struct cr_screen *screen, struct cr_ui *ui, int w, int h);

#endif
