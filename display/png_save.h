/* Writes an image to a PNG file on a worker thread (a 1080p PNG takes a
 * tenth of a second or more: never on the UI thread), then posts
 * CR_EVENT_SAVED with a struct cr_save_result. */
#ifndef CR_PNG_SAVE_H
#define CR_PNG_SAVE_H

#include <glib.h>
#include <stdbool.h>

#include "display/frame.h"

struct cr_save_result {
    bool ok;
    char *path;  /* the file written (or tried) */
    char *error; /* technical, English; NULL when ok */
};

void cr_save_result_free(void *result);

/* Ownership of frame is transferred. The file is DIR/craie-YYYYMMDD-HHMMSS.png
 * (-2, -3… if taken); DIR is created (0750) if missing. Returns the thread:
 * join it before shutdown so that a save in progress completes. */
GThread *cr_png_save_start(struct cr_frame *frame, bool rotate180, bool mirror, const char *dir);

/* Makes the picture on the save thread: RGBA pixels (stride w*4, malloc'd),
 * or NULL with *error set (g_free). */
typedef uint8_t *cr_png_render_fn(void *data, int *w, int *h, char **error);

/* The same with any picture: render(data) runs on the save thread, then
 * free_data(data). Ownership of data is transferred. */
GThread *cr_png_save_render(cr_png_render_fn *render, void *data, void (*free_data)(void *),
                            const char *dir);

/* Synchronous: RGBA pixels (stride w*4) to a PNG file. */
bool cr_png_write_rgba(const char *path, const uint8_t *rgba, int w, int h, char **error);

#endif
