#include "display/layout.h"

#include <stdint.h>

#include "common/util.h"

/* The focused tile takes this share of the height in FOCUS_STRIP. */
#define FOCUS_NUM 4
#define FOCUS_DEN 5
#define STRIP_CAPACITY 8
/* Strip cells keep the shape of a 16:9 camera picture. */
#define STRIP_AW 16
#define STRIP_AH 9

const char *cr_layout_kind_name(enum cr_layout_kind kind)
{
    switch (kind) {
    case CR_LAYOUT_SINGLE:
        return "single";
    case CR_LAYOUT_SIDE_BY_SIDE:
        return "side-by-side";
    case CR_LAYOUT_GRID_2X2:
        return "grid-2x2";
    case CR_LAYOUT_GRID_3X3:
        return "grid-3x3";
    case CR_LAYOUT_GRID_4X4:
        return "grid-4x4";
    case CR_LAYOUT_FOCUS_STRIP:
        return "focus-strip";
    }
    return "unknown";
}

enum cr_layout_kind cr_layout_for_count(size_t n)
{
    if (n <= 1)
        return CR_LAYOUT_SINGLE;
    if (n == 2)
        return CR_LAYOUT_SIDE_BY_SIDE;
    if (n <= 4)
        return CR_LAYOUT_GRID_2X2;
    if (n <= 9)
        return CR_LAYOUT_GRID_3X3;
    return CR_LAYOUT_GRID_4X4;
}

/* Columns and rows of the grid kinds; false for FOCUS_STRIP. */
static bool grid_shape(enum cr_layout_kind kind, int *cols, int *rows)
{
    switch (kind) {
    case CR_LAYOUT_SINGLE:
        *cols = *rows = 1;
        return true;
    case CR_LAYOUT_SIDE_BY_SIDE:
        *cols = 2;
        *rows = 1;
        return true;
    case CR_LAYOUT_GRID_2X2:
        *cols = *rows = 2;
        return true;
    case CR_LAYOUT_GRID_3X3:
        *cols = *rows = 3;
        return true;
    case CR_LAYOUT_GRID_4X4:
        *cols = *rows = 4;
        return true;
    case CR_LAYOUT_FOCUS_STRIP:
        break;
    }
    return false;
}

size_t cr_layout_capacity(enum cr_layout_kind kind)
{
    int cols, rows;
    if (grid_shape(kind, &cols, &rows))
        return (size_t)cols * rows;
    if (kind == CR_LAYOUT_FOCUS_STRIP)
        return 1 + STRIP_CAPACITY;
    return 0;
}

/* One axis of a grid: count cells of size cell; spare is the sum of the gaps. */
struct span {
    int len, count, cell, spare;
};

/* Splits a span of length len into count equal cells separated by at least
 * gap pixels (less if the span is too short to give each cell a pixel).
 * Pixels that do not divide evenly widen the gaps by one, so the first cell
 * starts at 0 and the last one ends at len. */
static struct span span_split(int len, int count, int gap)
{
    struct span s = {CR_MAX(len, 0), count, 0, 0};
    int gaps = count - 1;
    gap = CR_MAX(gap, 0);
    if (gaps > 0 && (int64_t)gap * gaps > s.len - count)
        gap = CR_MAX(s.len - count, 0) / gaps;
    s.cell = CR_MAX((s.len - gap * gaps) / count, 0);
    s.spare = s.len - s.cell * count; /* all the gap pixels */
    return s;
}

/* Where cell i starts. */
static int span_offset(const struct span *s, int i)
{
    int gaps = s->count - 1;
    if (gaps == 0)
        return 0;
    return i * s->cell + (int)((int64_t)i * s->spare / gaps);
}

static size_t compute_grid(struct cr_rect area, int cols, int rows, int gap, size_t count,
                           struct cr_rect *out)
{
    struct span sx = span_split(area.w, cols, gap);
    struct span sy = span_split(area.h, rows, gap);
    for (size_t i = 0; i < count; i++) {
        int c = (int)(i % cols), r = (int)(i / cols);
        out[i] = (struct cr_rect){area.x + span_offset(&sx, c), area.y + span_offset(&sy, r),
                                  sx.cell, sy.cell};
    }
    return count;
}

/* The strip: k cells of the largest 16:9 size that fits band, gap apart,
 * centred in it. */
static void compute_strip(struct cr_rect band, int k, int gap, struct cr_rect *cells)
{
    gap = CR_MAX(gap, 0);
    int64_t h = band.h;
    int64_t w = (h * STRIP_AW) / STRIP_AH;
    int64_t max_w = ((int64_t)band.w - (int64_t)gap * (k - 1)) / k;
    if (max_w < 0) {
        gap = 0;
        max_w = band.w / k;
    }
    if (w > max_w) {
        w = max_w;
        h = (w * STRIP_AH) / STRIP_AW;
    }
    int total = (int)(w * k + (int64_t)gap * (k - 1));
    int x = band.x + (band.w - total) / 2;
    int y = band.y + (band.h - (int)h) / 2;
    for (int i = 0; i < k; i++)
        cells[i] = (struct cr_rect){x + i * ((int)w + gap), y, (int)w, (int)h};
}

static size_t compute_focus_strip(struct cr_rect area, size_t count, size_t focused, int gap,
                                  struct cr_rect *out)
{
    if (focused >= count)
        focused = 0;
    if (count == 1) {
        /* Nothing to put in the strip: the focused tile takes it all. */
        out[0] = area;
        return 1;
    }
    gap = CR_CLAMP(gap, 0, area.h / 2);
    int main_h = (area.h - gap) * FOCUS_NUM / FOCUS_DEN;
    struct cr_rect band = {area.x, area.y + main_h + gap, area.w, area.h - main_h - gap};
    struct cr_rect strip[STRIP_CAPACITY];
    int k = (int)count - 1;
    compute_strip(band, k, gap, strip);

    out[focused] = (struct cr_rect){area.x, area.y, area.w, main_h};
    int j = 0;
    for (size_t i = 0; i < count; i++) {
        if (i != focused)
            out[i] = strip[j++];
    }
    return count;
}

size_t cr_layout_compute(enum cr_layout_kind kind, struct cr_rect area, size_t n, size_t focused,
                         int gap, struct cr_rect *out, size_t max)
{
    size_t count = CR_MIN(CR_MIN(n, cr_layout_capacity(kind)), max);
    if (count == 0)
        return 0;
    area.w = CR_MAX(area.w, 0);
    area.h = CR_MAX(area.h, 0);
    int cols, rows;
    if (grid_shape(kind, &cols, &rows))
        return compute_grid(area, cols, rows, gap, count, out);
    return compute_focus_strip(area, count, focused, gap, out);
}

struct cr_rect cr_rect_fit(struct cr_rect r, int aw, int ah)
{
    if (aw <= 0 || ah <= 0 || r.w <= 0 || r.h <= 0)
        return r;
    int64_t w = r.w, h = r.h;
    if (w * ah > h * aw)
        w = (h * aw + ah / 2) / ah; /* wider than the picture: pillarbox */
    else
        h = (w * ah + aw / 2) / aw; /* taller: letterbox */
    return (struct cr_rect){r.x + (r.w - (int)w) / 2, r.y + (r.h - (int)h) / 2, (int)w, (int)h};
}

bool cr_rect_contains(struct cr_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && (int64_t)x < (int64_t)r.x + r.w &&
           (int64_t)y < (int64_t)r.y + r.h;
}

/* One axis of cr_rect_inset: a span too short to lose 2*d collapses to its
 * centre. */
static void inset_span(int *pos, int *len, int d)
{
    if (*len - 2 * d >= 0) {
        *pos += d;
        *len -= 2 * d;
    } else {
        *pos += *len / 2;
        *len = 0;
    }
}

struct cr_rect cr_rect_inset(struct cr_rect r, int d)
{
    inset_span(&r.x, &r.w, d);
    inset_span(&r.y, &r.h, d);
    return r;
}

int cr_layout_hit(const struct cr_rect *cells, size_t n, int x, int y)
{
    for (size_t i = 0; i < n; i++) {
        if (cr_rect_contains(cells[i], x, y))
            return (int)i;
    }
    return -1;
}
