/* Tile layouts: pure functions of a count and an area (unit-tested), used by
 * the camera screen now and the cast wall later. */
#ifndef CR_LAYOUT_H
#define CR_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

struct cr_rect {
    int x, y, w, h;
};

enum cr_layout_kind {
    CR_LAYOUT_SINGLE,       /* 1 tile, the whole area */
    CR_LAYOUT_SIDE_BY_SIDE, /* 2 tiles, two columns */
    CR_LAYOUT_GRID_2X2,     /* 3..4 */
    CR_LAYOUT_GRID_3X3,     /* 5..9 */
    CR_LAYOUT_GRID_4X4,     /* 10..16 */
    CR_LAYOUT_FOCUS_STRIP,  /* one focused tile large, the others in a strip below */
};

const char *cr_layout_kind_name(enum cr_layout_kind kind);

/* The grid for n tiles: 0..1 single, 2 side by side, 3..4 2x2, 5..9 3x3,
 * 10..16 4x4 (more than 16: 4x4, the caller shows the first 16). */
enum cr_layout_kind cr_layout_for_count(size_t n);

/* How many tiles a layout shows at most (FOCUS_STRIP: 1 + 8 in the strip). */
size_t cr_layout_capacity(enum cr_layout_kind kind);

/* Fills out[0..] with the cells of n tiles laid out as kind inside area,
 * separated by gap pixels (none at the edges). Cells are filled row by row.
 * FOCUS_STRIP: out[focused] is the large cell (the top part of the area,
 * about 4/5 of its height), the others share the strip below in order.
 * Returns the number of cells written: min(n, capacity, max). */
size_t cr_layout_compute(enum cr_layout_kind kind, struct cr_rect area, size_t n, size_t focused,
                         int gap, struct cr_rect *out, size_t max);

/* The largest rectangle of aspect aw:ah centred in r (letterbox/pillarbox).
 * aw or ah <= 0: r itself. */
struct cr_rect cr_rect_fit(struct cr_rect r, int aw, int ah);
bool cr_rect_contains(struct cr_rect r, int x, int y);
/* r shrunk by d on every side (never below zero size). */
struct cr_rect cr_rect_inset(struct cr_rect r, int d);

/* Index of the cell containing (x, y), or -1. */
int cr_layout_hit(const struct cr_rect *cells, size_t n, int x, int y);

#endif
