/* The SDL window and renderer. UI thread only. */
#ifndef CR_SCREEN_H
#define CR_SCREEN_H

#include <SDL.h>
#include <stdbool.h>

struct cr_screen_options {
    bool fullscreen;
    int width, height; /* window size when not full-screen */
    const char *title;
};

struct cr_screen {
    SDL_Window *window;
    SDL_Renderer *renderer;
    int width, height; /* renderer output size in pixels */
    float scale;       /* UI scale: 1.0 at 1920x1080 */
    bool software;     /* the software renderer is in use */
    uint64_t presents;
};

/* Initialises SDL video, creates the window and renderer. On a machine with
 * no GPU (llvmpipe), the software renderer is chosen: it is several times
 * cheaper there (doc/performance.md). */
bool cr_screen_init(struct cr_screen *screen, const struct cr_screen_options *opts);
void cr_screen_destroy(struct cr_screen *screen);
/* Re-reads the output size (after a resize); returns true if it changed. */
bool cr_screen_update_size(struct cr_screen *screen);
/* Scales a design length (px at 1920x1080) to the output. */
int cr_screen_px(const struct cr_screen *screen, float design_px);
/* Reads back what was rendered since the last clear and writes a PNG.
 * Call after drawing and before present. On failure returns false and sets
 * *error (g_free). */
bool cr_screen_save_png(struct cr_screen *screen, const char *path, char **error);
void cr_screen_present(struct cr_screen *screen);

#endif
