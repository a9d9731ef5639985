/* Tile layouts: what the teacher sees when 1..16 cameras or tablets share the
 * projector: nothing overlaps, nothing spills off screen, every tile of a
 * grid is the same size and the grid fills the screen to the last pixel. */
#include <glib.h>

#include "display/layout.h"

/* Common projector sizes; odd sizes with an offset (a screen minus a
 * toolbar); one too small for the gaps, which must still be sane. */
static const struct cr_rect areas[] = {
    {0, 0, 1920, 1080}, {0, 0, 1366, 768}, {0, 0, 1280, 800}, {37, 91, 1001, 777}, {5, 5, 47, 31},
};
static const int gaps[] = {0, 8, 13};

static bool overlap(struct cr_rect a, struct cr_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void assert_inside(struct cr_rect c, struct cr_rect area)
{
    g_assert_cmpint(c.w, >=, 0);
    g_assert_cmpint(c.h, >=, 0);
    g_assert_cmpint(c.x, >=, area.x);
    g_assert_cmpint(c.y, >=, area.y);
    g_assert_cmpint(c.x + c.w, <=, area.x + area.w);
    g_assert_cmpint(c.y + c.h, <=, area.y + area.h);
}

static void assert_no_overlap(const struct cr_rect *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (overlap(cells[i], cells[j]))
                g_error("cells %zu (%d,%d %dx%d) and %zu (%d,%d %dx%d) overlap", i, cells[i].x,
                        cells[i].y, cells[i].w, cells[i].h, j, cells[j].x, cells[j].y, cells[j].w,
                        cells[j].h);
        }
    }
}

static void test_for_count(void)
{
    static const struct {
        size_t n;
        enum cr_layout_kind kind;
    } cases[] = {
        {0, CR_LAYOUT_SINGLE},    {1, CR_LAYOUT_SINGLE},      {2, CR_LAYOUT_SIDE_BY_SIDE},
        {3, CR_LAYOUT_GRID_2X2},  {4, CR_LAYOUT_GRID_2X2},    {5, CR_LAYOUT_GRID_3X3},
        {9, CR_LAYOUT_GRID_3X3},  {10, CR_LAYOUT_GRID_4X4},   {16, CR_LAYOUT_GRID_4X4},
        {17, CR_LAYOUT_GRID_4X4}, {1000, CR_LAYOUT_GRID_4X4},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        enum cr_layout_kind kind = cr_layout_for_count(cases[i].n);
        g_assert_cmpint(kind, ==, cases[i].kind);
        /* The chosen grid always has room for the tiles (up to 16). */
        g_assert_cmpuint(cr_layout_capacity(kind), >=, MIN(cases[i].n, 16));
    }
}

static void test_capacity_and_names(void)
{
    g_assert_cmpuint(cr_layout_capacity(CR_LAYOUT_SINGLE), ==, 1);
    g_assert_cmpuint(cr_layout_capacity(CR_LAYOUT_SIDE_BY_SIDE), ==, 2);
    g_assert_cmpuint(cr_layout_capacity(CR_LAYOUT_GRID_2X2), ==, 4);
    g_assert_cmpuint(cr_layout_capacity(CR_LAYOUT_GRID_3X3), ==, 9);
    g_assert_cmpuint(cr_layout_capacity(CR_LAYOUT_GRID_4X4), ==, 16);
    g_assert_cmpuint(cr_layout_capacity(CR_LAYOUT_FOCUS_STRIP), ==, 9);

    /* Names end up in logs and craiectl output: distinct and meaningful. */
    const char *names[6];
    for (int k = CR_LAYOUT_SINGLE; k <= CR_LAYOUT_FOCUS_STRIP; k++) {
        names[k] = cr_layout_kind_name(k);
        g_assert_nonnull(names[k]);
        g_assert_cmpstr(names[k], !=, "unknown");
        for (int j = 0; j < k; j++)
            g_assert_cmpstr(names[j], !=, names[k]);
    }
    g_assert_cmpstr(cr_layout_kind_name(CR_LAYOUT_GRID_3X3), ==, "grid-3x3");
}

/* Every grid, on every area and gap: same-size cells, row by row, filling
 * the area exactly, with gaps of `gap` (or one more pixel) only between cells. */
static void check_grid(enum cr_layout_kind kind, int cols, struct cr_rect area, int gap)
{
    size_t cap = cr_layout_capacity(kind);
    struct cr_rect cells[16];
    g_assert_cmpuint(cr_layout_compute(kind, area, cap, 0, gap, cells, 16), ==, cap);
    int rows = (int)cap / cols;
    bool roomy = area.w >= cols * (gap + 1) && area.h >= rows * (gap + 1);

    for (size_t i = 0; i < cap; i++) {
        assert_inside(cells[i], area);
        g_assert_cmpint(cells[i].w, ==, cells[0].w);
        g_assert_cmpint(cells[i].h, ==, cells[0].h);
        if (roomy) {
            g_assert_cmpint(cells[i].w, >, 0);
            g_assert_cmpint(cells[i].h, >, 0);
        }
    }
    assert_no_overlap(cells, cap);

    /* Fills the area: first cell at the top-left corner, last at the
     * bottom-right corner. */
    g_assert_cmpint(cells[0].x, ==, area.x);
    g_assert_cmpint(cells[0].y, ==, area.y);
    struct cr_rect last = cells[cap - 1];
    g_assert_cmpint(last.x + last.w, ==, area.x + area.w);
    g_assert_cmpint(last.y + last.h, ==, area.y + area.h);

    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            struct cr_rect cell = cells[r * cols + c];
            /* Row by row: same row shares y, same column shares x. */
            g_assert_cmpint(cell.y, ==, cells[r * cols].y);
            g_assert_cmpint(cell.x, ==, cells[c].x);
            if (c > 0 && roomy) {
                int g = cell.x - (cells[r * cols + c - 1].x + cell.w);
                g_assert_cmpint(g, >=, gap);
                g_assert_cmpint(g, <=, gap + 1);
            }
            if (r > 0 && roomy) {
                int g = cell.y - (cells[(r - 1) * cols + c].y + cell.h);
                g_assert_cmpint(g, >=, gap);
                g_assert_cmpint(g, <=, gap + 1);
            }
        }
    }
}

static void test_grids(void)
{
    static const struct {
        enum cr_layout_kind kind;
        int cols;
    } grids[] = {
        {CR_LAYOUT_SINGLE, 1},   {CR_LAYOUT_SIDE_BY_SIDE, 2}, {CR_LAYOUT_GRID_2X2, 2},
        {CR_LAYOUT_GRID_3X3, 3}, {CR_LAYOUT_GRID_4X4, 4},
    };
    for (size_t k = 0; k < G_N_ELEMENTS(grids); k++)
        for (size_t a = 0; a < G_N_ELEMENTS(areas); a++)
            for (size_t g = 0; g < G_N_ELEMENTS(gaps); g++)
                check_grid(grids[k].kind, grids[k].cols, areas[a], gaps[g]);
}

static void test_grid_exact_values(void)
{
    /* 1920 - 2 gaps of 10 = 1900: 633 per column, one pixel to spare, which
     * widens a gap rather than one tile. */
    struct cr_rect cells[9];
    struct cr_rect area = {0, 0, 1920, 1080};
    g_assert_cmpuint(cr_layout_compute(CR_LAYOUT_GRID_3X3, area, 9, 0, 10, cells, 9), ==, 9);
    g_assert_cmpint(cells[0].w, ==, 633);
    g_assert_cmpint(cells[0].h, ==, 353);
    g_assert_cmpint(cells[2].x + cells[2].w, ==, 1920);
    g_assert_cmpint(cells[8].y + cells[8].h, ==, 1080);

    /* Single: the whole area, gap or not. */
    struct cr_rect one;
    g_assert_cmpuint(cr_layout_compute(CR_LAYOUT_SINGLE, area, 1, 0, 10, &one, 1), ==, 1);
    g_assert_cmpint(one.x, ==, 0);
    g_assert_cmpint(one.y, ==, 0);
    g_assert_cmpint(one.w, ==, 1920);
    g_assert_cmpint(one.h, ==, 1080);

    /* Side by side: two halves, full height. */
    struct cr_rect two[2];
    cr_layout_compute(CR_LAYOUT_SIDE_BY_SIDE, area, 2, 0, 8, two, 2);
    g_assert_cmpint(two[0].w, ==, 956);
    g_assert_cmpint(two[0].h, ==, 1080);
    g_assert_cmpint(two[1].x, ==, 964);
}

static void test_partial_and_limits(void)
{
    struct cr_rect area = {0, 0, 1280, 720};
    struct cr_rect full[4], part[4];
    cr_layout_compute(CR_LAYOUT_GRID_2X2, area, 4, 0, 6, full, 4);
    /* Three tiles in a 2x2: the same cells as the first three of four. */
    g_assert_cmpuint(cr_layout_compute(CR_LAYOUT_GRID_2X2, area, 3, 0, 6, part, 4), ==, 3);
    for (int i = 0; i < 3; i++) {
        g_assert_cmpint(part[i].x, ==, full[i].x);
        g_assert_cmpint(part[i].y, ==, full[i].y);
        g_assert_cmpint(part[i].w, ==, full[i].w);
        g_assert_cmpint(part[i].h, ==, full[i].h);
    }

    /* More tiles than the layout holds: capacity; more than out holds: max. */
    struct cr_rect many[16];
    g_assert_cmpuint(cr_layout_compute(CR_LAYOUT_GRID_4X4, area, 40, 0, 4, many, 16), ==, 16);
    g_assert_cmpuint(cr_layout_compute(CR_LAYOUT_GRID_2X2, area, 9, 0, 4, many, 16), ==, 4);
    g_assert_cmpuint(cr_layout_compute(CR_LAYOUT_GRID_3X3, area, 9, 0, 4, many, 5), ==, 5);
    g_assert_cmpuint(cr_layout_compute(CR_LAYOUT_GRID_3X3, area, 0, 0, 4, many, 16), ==, 0);
    g_assert_cmpuint(cr_layout_compute(CR_LAYOUT_FOCUS_STRIP, area, 20, 0, 4, many, 16), ==, 9);
}

static void check_focus_strip(struct cr_rect area, size_t n, size_t focused, int gap)
{
    struct cr_rect cells[9];
    size_t count = cr_layout_compute(CR_LAYOUT_FOCUS_STRIP, area, n, focused, gap, cells, 9);
    g_assert_cmpuint(count, ==, MIN(n, 9));
    for (size_t i = 0; i < count; i++)
        assert_inside(cells[i], area);
    assert_no_overlap(cells, count);

    struct cr_rect big = cells[focused];
    /* The focused tile: across the top, about four fifths of the height. */
    g_assert_cmpint(big.x, ==, area.x);
    g_assert_cmpint(big.y, ==, area.y);
    g_assert_cmpint(big.w, ==, area.w);
    g_assert_cmpint(big.h, >=, area.h * 3 / 4);
    g_assert_cmpint(big.h, <=, area.h * 17 / 20);

    int prev_right = G_MININT, left = G_MAXINT, right = G_MININT;
    for (size_t i = 0; i < count; i++) {
        if (i == focused)
            continue;
        struct cr_rect c = cells[i];
        /* Below the focused tile, in order, same size, 16:9 within a pixel. */
        g_assert_cmpint(c.y, >=, big.y + big.h + gap);
        g_assert_cmpint(c.w, >, 0);
        g_assert_cmpint(c.w, ==, cells[focused == 0 ? 1 : 0].w);
        g_assert_cmpint(c.h, ==, cells[focused == 0 ? 1 : 0].h);
        g_assert_cmpint(c.h * 16, >=, c.w * 9 - 16);
        g_assert_cmpint(c.h * 16, <=, c.w * 9 + 16);
        if (prev_right != G_MININT)
            g_assert_cmpint(c.x, >=, prev_right + gap);
        prev_right = c.x + c.w;
        left = MIN(left, c.x);
        right = MAX(right, c.x + c.w);
    }
    /* Centred: the strip's margins differ by at most a pixel. */
    int margin_l = left - area.x, margin_r = area.x + area.w - right;
    g_assert_cmpint(ABS(margin_l - margin_r), <=, 1);
}

static void test_focus_strip(void)
{
    struct cr_rect hd = {0, 0, 1920, 1080};
    for (size_t n = 2; n <= 9; n++)
        for (size_t f = 0; f < n; f++)
            check_focus_strip(hd, n, f, 8);
    check_focus_strip((struct cr_rect){37, 91, 1001, 777}, 9, 4, 13);
    check_focus_strip((struct cr_rect){0, 0, 1366, 768}, 5, 0, 0);

    /* Few strip tiles: full strip height, centred with space on both sides. */
    struct cr_rect cells[3];
    cr_layout_compute(CR_LAYOUT_FOCUS_STRIP, hd, 3, 1, 8, cells, 3);
    g_assert_cmpint(cells[0].y + cells[0].h, ==, 1080);
    g_assert_cmpint(cells[0].x, >, 400);
    g_assert_cmpint(cells[2].x, ==, cells[0].x + cells[0].w + 8);
    g_assert_cmpint(cells[0].y, ==, cells[1].h + 8);

    /* Strip tiles are all the same size. */
    struct cr_rect nine[9];
    cr_layout_compute(CR_LAYOUT_FOCUS_STRIP, hd, 9, 0, 8, nine, 9);
    for (int i = 2; i < 9; i++) {
        g_assert_cmpint(nine[i].w, ==, nine[1].w);
        g_assert_cmpint(nine[i].h, ==, nine[1].h);
    }

    /* A lone tile has nothing to share the screen with. */
    struct cr_rect one;
    cr_layout_compute(CR_LAYOUT_FOCUS_STRIP, hd, 1, 0, 8, &one, 1);
    g_assert_cmpint(one.w, ==, 1920);
    g_assert_cmpint(one.h, ==, 1080);

    /* A focus index past the tiles falls back to the first tile. */
    struct cr_rect two[2];
    cr_layout_compute(CR_LAYOUT_FOCUS_STRIP, hd, 2, 7, 8, two, 2);
    g_assert_cmpint(two[0].w, ==, 1920);
    g_assert_cmpint(two[1].w, <, 1920);
}

static void test_rect_fit(void)
{
    /* A 16:9 picture on a 4:3 projector: letterboxed, centred. */
    struct cr_rect r = cr_rect_fit((struct cr_rect){0, 0, 1024, 768}, 16, 9);
    g_assert_cmpint(r.w, ==, 1024);
    g_assert_cmpint(r.h, ==, 576);
    g_assert_cmpint(r.x, ==, 0);
    g_assert_cmpint(r.y, ==, 96);

    /* A 4:3 document camera on a 16:10 screen: pillarboxed, centred. */
    r = cr_rect_fit((struct cr_rect){100, 50, 1280, 800}, 4, 3);
    g_assert_cmpint(r.h, ==, 800);
    g_assert_cmpint(r.w, ==, 1067);
    g_assert_cmpint(r.y, ==, 50);
    g_assert_cmpint(r.x, ==, 100 + (1280 - 1067) / 2);

    /* Same aspect: the rectangle itself. */
    r = cr_rect_fit((struct cr_rect){3, 4, 1920, 1080}, 1920, 1080);
    g_assert_cmpint(r.x, ==, 3);
    g_assert_cmpint(r.w, ==, 1920);
    g_assert_cmpint(r.h, ==, 1080);

    /* Unknown aspect (no frame yet): unchanged. */
    r = cr_rect_fit((struct cr_rect){1, 2, 300, 200}, 0, 9);
    g_assert_cmpint(r.x, ==, 1);
    g_assert_cmpint(r.y, ==, 2);
    g_assert_cmpint(r.w, ==, 300);
    g_assert_cmpint(r.h, ==, 200);
    r = cr_rect_fit((struct cr_rect){1, 2, 300, 200}, 16, -1);
    g_assert_cmpint(r.w, ==, 300);
}

static void test_rect_contains_inset(void)
{
    struct cr_rect r = {10, 20, 100, 50};
    g_assert_true(cr_rect_contains(r, 10, 20));
    g_assert_true(cr_rect_contains(r, 109, 69));
    g_assert_false(cr_rect_contains(r, 110, 30));
    g_assert_false(cr_rect_contains(r, 50, 70));
    g_assert_false(cr_rect_contains(r, 9, 30));
    g_assert_false(cr_rect_contains((struct cr_rect){0, 0, 0, 0}, 0, 0));

    struct cr_rect in = cr_rect_inset(r, 5);
    g_assert_cmpint(in.x, ==, 15);
    g_assert_cmpint(in.y, ==, 25);
    g_assert_cmpint(in.w, ==, 90);
    g_assert_cmpint(in.h, ==, 40);

    /* 50 pixels cannot lose 2 * 30: the height collapses to its centre. */
    in = cr_rect_inset(r, 30);
    g_assert_cmpint(in.x, ==, 40);
    g_assert_cmpint(in.w, ==, 40);
    g_assert_cmpint(in.y, ==, 45);
    g_assert_cmpint(in.h, ==, 0);

    in = cr_rect_inset(r, 1000);
    g_assert_cmpint(in.w, ==, 0);
    g_assert_cmpint(in.h, ==, 0);
}

static void test_hit(void)
{
    struct cr_rect cells[4];
    struct cr_rect area = {0, 0, 800, 600};
    cr_layout_compute(CR_LAYOUT_GRID_2X2, area, 4, 0, 10, cells, 4);
    g_assert_cmpint(cr_layout_hit(cells, 4, 0, 0), ==, 0);
    g_assert_cmpint(cr_layout_hit(cells, 4, 799, 0), ==, 1);
    g_assert_cmpint(cr_layout_hit(cells, 4, 10, 599), ==, 2);
    g_assert_cmpint(cr_layout_hit(cells, 4, 600, 400), ==, 3);
    /* A touch in the gap selects nothing. */
    g_assert_cmpint(cr_layout_hit(cells, 4, 400, 100), ==, -1);
    g_assert_cmpint(cr_layout_hit(cells, 4, 100, 300), ==, -1);
    g_assert_cmpint(cr_layout_hit(cells, 4, -1, 10), ==, -1);
    g_assert_cmpint(cr_layout_hit(cells, 0, 10, 10), ==, -1);
    /* Only the first n cells count. */
    g_assert_cmpint(cr_layout_hit(cells, 3, 600, 400), ==, -1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/layout/for-count", test_for_count);
    g_test_add_func("/layout/capacity-names", test_capacity_and_names);
    g_test_add_func("/layout/grids", test_grids);
    g_test_add_func("/layout/grid-exact", test_grid_exact_values);
    g_test_add_func("/layout/partial-limits", test_partial_and_limits);
    g_test_add_func("/layout/focus-strip", test_focus_strip);
    g_test_add_func("/layout/rect-fit", test_rect_fit);
    g_test_add_func("/layout/rect-contains-inset", test_rect_contains_inset);
    g_test_add_func("/layout/hit", test_hit);
    return g_test_run();
}
