/* The pen's settings (colours of the two pens, width, eraser mode) and the
 * ink buttons that change them: a row in the whiteboard's bar, a compact
 * column on the camera screen. UI thread. */
#ifndef CR_INK_TOOLBAR_H
#define CR_INK_TOOLBAR_H

#include <stdbool.h>

#include "display/ui/widgets.h"
#include "input/ink.h"

#define CR_PALETTE_SIZE 4

/* The colours offered: on light paper (black, blue, red, green) and, at the
 * same places, on dark paper (white, light blue, light red, light green:
 * chalk). */
struct cr_ink_rgba cr_palette_color(int index, bool dark);

struct cr_pen_style {
    int index[2];                 /* palette index of pen 1 and pen 2, -1: custom[] */
    struct cr_ink_rgba custom[2]; /* a colour outside the palette ("#ff8800") */
    float width;                  /* design pixels at 1920x1080 */
    float default_width;          /* ink.width: the middle size */
    bool eraser;                  /* the pen erases (Gomme) */
};

/* pen: 0 the first pen (and the mouse, fingers), 1 the second pen. */
void cr_pen_style_set_color(struct cr_pen_style *st, int pen, struct cr_ink_rgba c);
/* A palette colour follows the paper (black on white is white on black). */
struct cr_ink_rgba cr_pen_style_color(const struct cr_pen_style *st, int pen, bool dark);
/* The three sizes offered: 0 thin, 1 middle (default_width), 2 thick. */
float cr_pen_style_size(const struct cr_pen_style *st, int level);
int cr_pen_style_level(const struct cr_pen_style *st); /* the size nearest to width */

enum cr_ink_tool {
    CR_INK_TOOL_COLOR0,
    CR_INK_TOOL_COLOR3 = CR_INK_TOOL_COLOR0 + CR_PALETTE_SIZE - 1,
    CR_INK_TOOL_WIDTH,
    CR_INK_TOOL_ERASER,
    CR_INK_TOOL_UNDO,
    CR_INK_TOOL_REDO,
    CR_INK_TOOL_CLEAR,
    CR_INK_TOOL_PAPER,
    CR_INK_TOOL_SAVE,
    CR_INK_TOOLS,
};

struct cr_ink_toolbar {
    struct cr_button buttons[CR_INK_TOOLS];
    bool compact; /* colours (without names), eraser, undo and clear only */
    bool dark;    /* the paper the colours are shown for */
};

void cr_ink_toolbar_init(struct cr_ink_toolbar *tb, bool compact);
/* Buttons' state from the pen settings and the ink they act on (NULL: none,
 * every button but the colours disabled); dark: the colours for dark paper. */
void cr_ink_toolbar_update(struct cr_ink_toolbar *tb, const struct cr_pen_style *st,
                           const struct cr_ink *ink, bool dark);
/* Lays the visible buttons out left to right in area (whiteboard bar) or
 * top to bottom (camera column). */
void cr_ink_toolbar_layout_row(struct cr_ink_toolbar *tb, struct cr_ui *ui, struct cr_rect area);
void cr_ink_toolbar_layout_column(struct cr_ink_toolbar *tb, struct cr_ui *ui, struct cr_rect area);
void cr_ink_toolbar_draw(struct cr_ink_toolbar *tb, struct cr_ui *ui,
                         const struct cr_pen_style *st);
void cr_ink_toolbar_hide(struct cr_ink_toolbar *tb);
/* The command of the button at (x, y), or NULL; clears the highlight. */
const char *cr_ink_toolbar_hit(struct cr_ink_toolbar *tb, int x, int y);
/* Highlights the button at (x, y); true if there is one. */
bool cr_ink_toolbar_press(struct cr_ink_toolbar *tb, int x, int y);
/* Any visible button (enabled or not) at (x, y): the pen must not write there. */
bool cr_ink_toolbar_contains(const struct cr_ink_toolbar *tb, int x, int y);

#endif
