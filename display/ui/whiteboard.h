/* The whiteboard (Tableau blanc): a full-screen board of paper above the
 * bar, the ink toolbar in the bar, the Home button where it always is.
 * Board coordinates are design pixels (1920x1080 scale) from the board's
 * top-left corner: the drawing keeps its place and proportions whatever the
 * output. UI thread. */
#ifndef CR_WHITEBOARD_H
#define CR_WHITEBOARD_H

#include <stdbool.h>

#include "display/ink_layer.h"
#include "display/ui/ink_toolbar.h"
#include "display/ui/paper.h"
#include "display/ui/widgets.h"
#include "input/ink.h"

struct cr_whiteboard {
    struct cr_ink ink;
    struct cr_ink_layer layer;
    enum cr_paper paper;
    const struct cr_pen_style *style; /* borrowed: the app's pen settings */
    struct cr_ink_toolbar toolbar;
    struct cr_rect board; /* where it was last drawn, screen pixels */
    double scale;         /* screen pixels per board unit */
};

void cr_whiteboard_init(struct cr_whiteboard *wb, const struct cr_pen_style *style,
                        enum cr_paper paper);
void cr_whiteboard_destroy(struct cr_whiteboard *wb);
void cr_whiteboard_set_paper(struct cr_whiteboard *wb, enum cr_paper paper);
bool cr_whiteboard_dark(const struct cr_whiteboard *wb);
/* Lays out (board, toolbar) for the current output; draw does it too. */
void cr_whiteboard_layout(struct cr_whiteboard *wb, struct cr_ui *ui);
void cr_whiteboard_draw(struct cr_whiteboard *wb, struct cr_ui *ui);

/* The command of the toolbar button at (x, y), or NULL. */
const char *cr_whiteboard_hit(struct cr_whiteboard *wb, int x, int y);
bool cr_whiteboard_press(struct cr_whiteboard *wb, int x, int y);
/* True where the pen writes: on the board. */
bool cr_whiteboard_on_board(const struct cr_whiteboard *wb, int x, int y);
/* Board units → screen pixels. */
void cr_whiteboard_xform(const struct cr_whiteboard *wb, struct cr_ink_xform *xf);
/* The board's size in board units (the size of a saved picture). */
void cr_whiteboard_size(const struct cr_whiteboard *wb, int *w, int *h);

/* Releases the ink texture while the board is not shown. */
void cr_whiteboard_hidden(struct cr_whiteboard *wb);

#endif
