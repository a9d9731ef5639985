/* Saving pictures with their ink as PNG, on the save thread (png_save.h):
 * the ink is a copy made on the UI thread and drawn into the picture there,
 * by the pure filler of input/ink.h (no renderer off the UI thread). */
#ifndef CR_INK_SAVE_H
#define CR_INK_SAVE_H

#include <glib.h>
#include <stdbool.h>

#include "display/frame.h"
#include "display/ui/paper.h"
#include "input/ink.h"

/* A camera picture (ownership of frame transferred) turned as shown, with
 * ink drawn at the picture's own resolution. ink: a copy of what is on the
 * picture (see cr_ink_init_copy), ownership transferred (free()d after
 * cr_ink_destroy), or NULL. Returns the thread (join it). */
GThread *cr_ink_save_frame(struct cr_frame *frame, bool rotate180, bool mirror, struct cr_ink *ink,
                           const char *dir);

/* The whiteboard: paper and ink at one pixel per board unit, w x h. */
GThread *cr_ink_save_board(enum cr_paper paper, int w, int h, struct cr_ink *ink, const char *dir);

/* Where content (ink) coordinates land in a saved camera picture of
 * width x height pixels, turned as shown. */
void cr_ink_save_frame_xform(int width, int height, bool rotate180, bool mirror,
                             struct cr_ink_xform *xf);

#endif
