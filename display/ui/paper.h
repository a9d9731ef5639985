/* The whiteboard's paper: plain white, black (a chalkboard), Seyès ruling
 * (the French school ruling: four fine lines per row, a bolder one at each
 * row, a red margin) or a grid of squares. Pure: the lines are rectangles in
 * board units (design pixels), drawn on screen by the whiteboard and filled
 * into the saved PNG on the save thread. */
#ifndef CR_PAPER_H
#define CR_PAPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cr_paper {
    CR_PAPER_WHITE,
    CR_PAPER_BLACK,
    CR_PAPER_SEYES,
    CR_PAPER_GRID,
    CR_PAPERS,
};

/* "white", "black", "seyes", "grid" (the config and command names). */
const char *cr_paper_name(enum cr_paper paper);
bool cr_paper_from_name(const char *name, enum cr_paper *out);
/* An English msgid for the button's label. */
const char *cr_paper_label(enum cr_paper paper);
/* Light ink does not show on it. */
bool cr_paper_dark(enum cr_paper paper);
uint32_t cr_paper_background(enum cr_paper paper); /* 0xRRGGBB */

struct cr_paper_line {
    float x, y, w, h; /* board units */
    uint32_t rgb;
};

/* The lines of a board of w x h units, in drawing order. Returns how many
 * there are (writes at most max). */
size_t cr_paper_lines(enum cr_paper paper, float w, float h, struct cr_paper_line *out, size_t max);

/* A line in pixels at scale px per unit: never thinner than one pixel. */
void cr_paper_line_pixels(const struct cr_paper_line *line, double scale, int *x, int *y, int *w,
                          int *h);

/* Paper (background and lines) into an RGBA buffer of w x h pixels at
 * scale px per unit. */
void cr_paper_fill_rgba(uint8_t *rgba, int w, int h, int stride, enum cr_paper paper, double scale);

#endif
