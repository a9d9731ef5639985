/* The ink model: strokes from pen samples, smoothing, pressure, several pens
 * at once, the eraser, undo/redo/clear, and the triangles a stroke becomes
 * (filled into a small buffer and checked pixel by pixel). */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "display/tile.h"
#include "input/ink.h"

static const struct cr_ink_pen blue = {{0x1d, 0x4e, 0xd8, 255}, 4.0f};
static const struct cr_ink_pen red = {{0xdc, 0x26, 0x26, 255}, 4.0f};
static const struct cr_ink_xform identity = {1, 0, 1, 0, 1};

#define MS 1000

/* A straight line drawn by contact key from (x0, y0) to (x1, y1) in n
 * samples 8 ms apart, starting at t0. */
static void line(struct cr_ink *ink, uint64_t key, const struct cr_ink_pen *pen, double x0,
                 double y0, double x1, double y1, int n, int64_t t0)
{
    cr_ink_begin(ink, key, pen, x0, y0, 1.0, t0, 1.0);
    for (int i = 1; i <= n; i++)
        g_assert_true(cr_ink_extend(ink, key, x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n, 1.0,
                                    t0 + i * 8 * MS));
    g_assert_true(cr_ink_end(ink, key));
}

static const struct cr_ink_stroke *shown(const struct cr_ink *ink, size_t k)
{
    for (size_t i = 0; i < ink->n_strokes; i++)
        if (ink->strokes[i]->alive && k-- == 0)
            return ink->strokes[i];
    g_assert_not_reached();
    return NULL;
}

static void test_colors(void)
{
    struct cr_ink_rgba c;
    g_assert_true(cr_ink_parse_color("#1A4fd6", &c));
    g_assert_cmpint(c.r, ==, 0x1a);
    g_assert_cmpint(c.g, ==, 0x4f);
    g_assert_cmpint(c.b, ==, 0xd6);
    g_assert_cmpint(c.a, ==, 255);
    g_assert_true(cr_ink_parse_color("rouge", &c));
    g_assert_true(cr_ink_parse_color("Red", &c));
    g_assert_false(cr_ink_parse_color("#12345", &c));
    g_assert_false(cr_ink_parse_color("#12345g", &c));
    g_assert_false(cr_ink_parse_color("", &c));
    g_assert_false(cr_ink_parse_color("bleu ciel", &c));
    char buf[8];
    g_assert_cmpstr(cr_ink_color_hex((struct cr_ink_rgba){0x1a, 0x4f, 0xd6, 255}, buf), ==,
                    "#1a4fd6");
}

static void test_stroke_keeps_endpoints(void)
{
    struct cr_ink ink;
    cr_ink_init(&ink);
    /* A wobbly line: 1 px of jitter on a horizontal stroke. */
    cr_ink_begin(&ink, 1, &blue, 10, 50, 1.0, 0, 1.0);
    for (int i = 1; i <= 60; i++)
        cr_ink_extend(&ink, 1, 10 + i * 3, 50 + (i % 2 ? 1.0 : -1.0), 1.0, i * 8 * MS);
    g_assert_true(cr_ink_end(&ink, 1));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 1);
    const struct cr_ink_stroke *s = shown(&ink, 0);
    g_assert_cmpuint(s->n_points, >=, 30);
    /* Where the pen went down and up, exactly. */
    g_assert_cmpfloat(s->points[0].x, ==, 10);
    g_assert_cmpfloat(s->points[0].y, ==, 50);
    g_assert_cmpfloat(s->points[s->n_points - 1].x, ==, 190);
    g_assert_cmpfloat(s->points[s->n_points - 1].y, ==, 49);
    /* In between, the jitter is smoothed out (raw: ±1 px). */
    double worst = 0;
    for (size_t i = 5; i + 5 < s->n_points; i++)
        worst = fmax(worst, fabs(s->points[i].y - 50));
    g_assert_cmpfloat(worst, <, 0.5);
    /* Points follow the pen: x never goes back on a left-to-right line. */
    for (size_t i = 1; i < s->n_points; i++)
        g_assert_cmpfloat(s->points[i].x, >=, s->points[i - 1].x);
    g_assert_cmpfloat(s->min_x, ==, 10);
    g_assert_cmpfloat(s->max_x, ==, 190);
    cr_ink_destroy(&ink);
}

static void test_fast_stroke_does_not_cut_corners(void)
{
    /* An L drawn fast: the filter must not round the corner away. */
    struct cr_ink ink;
    cr_ink_init(&ink);
    cr_ink_begin(&ink, 1, &blue, 0, 0, 1.0, 0, 1.0);
    int64_t t = 0;
    for (int i = 1; i <= 20; i++)
        cr_ink_extend(&ink, 1, i * 10, 0, 1.0, t += 8 * MS);
    for (int i = 1; i <= 20; i++)
        cr_ink_extend(&ink, 1, 200, i * 10, 1.0, t += 8 * MS);
    cr_ink_end(&ink, 1);
    const struct cr_ink_stroke *s = shown(&ink, 0);
    double nearest = 1e9;
    for (size_t i = 0; i < s->n_points; i++)
        nearest = fmin(nearest, hypot(s->points[i].x - 200, s->points[i].y));
    g_assert_cmpfloat(nearest, <, 12); /* within a few pixels of the corner at 1.5 m/s */
    cr_ink_destroy(&ink);
}

static void test_pressure_width(void)
{
    g_assert_cmpfloat(cr_ink_width_factor(1.0), ==, 1.0);
    g_assert_cmpfloat(cr_ink_width_factor(0.0), ==, CR_INK_MIN_WIDTH_FACTOR);
    g_assert_cmpfloat(cr_ink_width_factor(-3), ==, CR_INK_MIN_WIDTH_FACTOR);
    g_assert_cmpfloat(cr_ink_width_factor(NAN), ==, CR_INK_MIN_WIDTH_FACTOR);
    g_assert_cmpfloat(cr_ink_width_factor(7), ==, 1.0);
    for (double p = 0; p < 1.0; p += 0.05)
        g_assert_cmpfloat(cr_ink_width_factor(p + 0.05), >, cr_ink_width_factor(p));
}

/* --- rasterised strokes ------------------------------------------------- */

enum { W = 240, H = 160 };

struct canvas {
    uint8_t px[W * H * 4];
};

static void render(struct canvas *c, const struct cr_ink *ink, const struct cr_ink_xform *xf)
{
    memset(c->px, 0, sizeof(c->px));
    cr_ink_render_rgba(c->px, W, H, W * 4, ink, xf);
}

static bool inked(const struct canvas *c, int x, int y)
{
    return c->px[(y * W + x) * 4 + 3] != 0;
}

static int inked_count(const struct canvas *c)
{
    int n = 0;
    for (int i = 0; i < W * H; i++)
        n += c->px[i * 4 + 3] != 0;
    return n;
}

/* Distance from a pixel centre to the polyline of the stroke's points, in
 * pixels (xf applied). */
static double dist_to_stroke(const struct cr_ink_stroke *s, const struct cr_ink_xform *xf, int x,
                             int y)
{
    double px = x + 0.5, py = y + 0.5, best = 1e9;
    for (size_t i = 0; i < s->n_points; i++) {
        double ax = xf->ax * s->points[i].x + xf->bx, ay = xf->ay * s->points[i].y + xf->by;
        size_t j = i + 1 < s->n_points ? i + 1 : i;
        double bx = xf->ax * s->points[j].x + xf->bx, by = xf->ay * s->points[j].y + xf->by;
        double vx = bx - ax, vy = by - ay, l2 = vx * vx + vy * vy;
        double t = l2 > 0 ? ((px - ax) * vx + (py - ay) * vy) / l2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        best = fmin(best, hypot(px - (ax + t * vx), py - (ay + t * vy)));
    }
    return best;
}

/* Every pixel within r - 1 of the stroke is covered, none beyond r + 1.5. */
static void assert_covers(const struct canvas *c, const struct cr_ink_stroke *s,
                          const struct cr_ink_xform *xf, double r)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double d = dist_to_stroke(s, xf, x, y);
            if (d <= r - 1.0 && !inked(c, x, y))
                g_error("pixel %d,%d at %.2f px from the stroke is not inked (r = %.1f)", x, y, d,
                        r);
            if (d >= r + 1.5 && inked(c, x, y))
                g_error("pixel %d,%d at %.2f px from the stroke is inked (r = %.1f)", x, y, d, r);
        }
}

static void test_tessellation_covers_line(void)
{
    struct cr_ink ink;
    cr_ink_init(&ink);
    struct cr_ink_pen wide = {{0, 0, 0, 255}, 12.0f};
    line(&ink, 1, &wide, 20, 80, 220, 80, 40, 0);
    struct canvas c;
    render(&c, &ink, &identity);
    assert_covers(&c, shown(&ink, 0), &identity, 6.0);
    /* Round caps: covered a few pixels beyond each end, along the line. */
    g_assert_true(inked(&c, 16, 80));
    g_assert_true(inked(&c, 223, 80));
    g_assert_false(inked(&c, 12, 80));
    cr_ink_destroy(&ink);
}

static void test_tessellation_covers_curve(void)
{
    /* A circle of radius 50, pressure 1: a ring with no gap at its bends. */
    struct cr_ink ink;
    cr_ink_init(&ink);
    struct cr_ink_pen pen = {{0, 0, 0, 255}, 8.0f};
    cr_ink_begin(&ink, 1, &pen, 170, 80, 1.0, 0, 1.0);
    for (int i = 1; i <= 48; i++) {
        double a = 2 * M_PI * i / 48;
        cr_ink_extend(&ink, 1, 120 + 50 * cos(a), 80 + 50 * sin(a), 1.0, i * 8 * MS);
    }
    cr_ink_end(&ink, 1);
    struct canvas c;
    render(&c, &ink, &identity);
    assert_covers(&c, shown(&ink, 0), &identity, 4.0);
    g_assert_false(inked(&c, 120, 80)); /* the middle stays clear */
    cr_ink_destroy(&ink);
}

static void test_tessellation_sharp_turns(void)
{
    /* A zigzag of sharp (hairpin-like) turns: joins must fill the outside. */
    struct cr_ink ink;
    cr_ink_init(&ink);
    struct cr_ink_pen pen = {{0, 0, 0, 255}, 10.0f};
    cr_ink_begin(&ink, 1, &pen, 20, 40, 1.0, 0, 1.0);
    int64_t t = 0;
    for (int i = 1; i <= 6; i++) /* slowly: the filter keeps the corners */
        for (int k = 1; k <= 10; k++)
            cr_ink_extend(&ink, 1, 20 + (i - 1) * 30 + 3 * k, i % 2 ? 40 + 8 * k : 120 - 8 * k, 1.0,
                          t += 30 * MS);
    cr_ink_end(&ink, 1);
    struct canvas c;
    render(&c, &ink, &identity);
    assert_covers(&c, shown(&ink, 0), &identity, 5.0);
    cr_ink_destroy(&ink);
}

static void test_tessellation_joins(void)
{
    /* Built by hand (no input filter): a right angle, then a hairpin. The
     * outside of each bend must be filled (round joins). */
    struct cr_ink_point pts[] = {
        {20, 30, 1}, {110, 30, 1}, {110, 130, 1}, {200, 40, 1}, {40, 45, 1},
    };
    struct cr_ink_stroke s = {.color = {0, 0, 0, 255},
                              .width = 16,
                              .points = pts,
                              .n_points = CR_ARRAY_SIZE(pts),
                              .alive = true};
    struct cr_ink_mesh m;
    cr_ink_mesh_init(&m);
    cr_ink_tessellate(&m, &s, &identity);
    g_assert_cmpint(m.n_indices % 3, ==, 0);
    for (int i = 0; i < m.n_indices; i++)
        g_assert_true(m.indices[i] >= 0 && m.indices[i] < m.n_vertices);
    struct canvas c;
    memset(c.px, 0, sizeof(c.px));
    cr_ink_fill_rgba(c.px, W, H, W * 4, &m, s.color);
    /* Corner of the right angle, outside: 7 px out on the diagonal. */
    g_assert_true(inked(&c, 110 + 5, 30 - 5));
    /* The curve through the points is not the polyline: check along it
     * with the curve's own tolerance, away from the bends. */
    for (int x = 30; x < 100; x++)
        for (int y = 30 - 6; y <= 30 + 6; y++)
            g_assert_true(inked(&c, x, y));
    cr_ink_mesh_destroy(&m);
}

static void test_dot_and_transform(void)
{
    /* A tap is a dot; the map flips and scales it. */
    struct cr_ink ink;
    cr_ink_init(&ink);
    struct cr_ink_pen pen = {{0, 0, 0, 255}, 0.1f};
    cr_ink_begin(&ink, 1, &pen, 0.25, 0.5, 1.0, 0, 100.0);
    cr_ink_end(&ink, 1);
    g_assert_cmpuint(cr_ink_count(&ink), ==, 1);
    /* content 0..1 onto 200 px, mirrored in x: x = 220 - 200 u, y = 160 - 100 v */
    struct cr_ink_xform xf = {-200, 220, -100, 160, 100};
    struct canvas c;
    render(&c, &ink, &xf);
    /* (0.25, 0.5) → (170, 110), a disc of radius 0.1 * 100 / 2 = 5 px */
    g_assert_true(inked(&c, 170, 110));
    g_assert_true(inked(&c, 173, 110));
    g_assert_false(inked(&c, 177, 110));
    g_assert_false(inked(&c, 170, 117));
    int n = inked_count(&c);
    g_assert_cmpint(n, >, (int)(M_PI * 16));
    g_assert_cmpint(n, <, (int)(M_PI * 36));
    cr_ink_destroy(&ink);
}

static void test_pressure_makes_thinner_strokes(void)
{
    struct cr_ink hard, light;
    cr_ink_init(&hard);
    cr_ink_init(&light);
    struct cr_ink_pen pen = {{0, 0, 0, 255}, 16.0f};
    cr_ink_begin(&hard, 1, &pen, 20, 50, 1.0, 0, 1.0);
    cr_ink_begin(&light, 1, &pen, 20, 50, 0.05, 0, 1.0);
    for (int i = 1; i <= 40; i++) {
        cr_ink_extend(&hard, 1, 20 + i * 5, 50, 1.0, i * 8 * MS);
        cr_ink_extend(&light, 1, 20 + i * 5, 50, 0.05, i * 8 * MS);
    }
    cr_ink_end(&hard, 1);
    cr_ink_end(&light, 1);
    struct canvas a, b;
    render(&a, &hard, &identity);
    render(&b, &light, &identity);
    int na = inked_count(&a), nb = inked_count(&b);
    g_assert_cmpint(nb, <, na * 7 / 10);
    g_assert_cmpint(nb, >, na / 4); /* the floor: a light pen still draws */
    /* Binary-pressure pens (0 while touching) still draw. */
    struct cr_ink zero;
    cr_ink_init(&zero);
    line(&zero, 1, &pen, 20, 50, 200, 50, 10, 0);
    cr_ink_begin(&zero, 2, &pen, 20, 100, 0.0, 0, 1.0);
    cr_ink_extend(&zero, 2, 200, 100, 0.0, 8 * MS);
    cr_ink_end(&zero, 2);
    render(&a, &zero, &identity);
    g_assert_true(inked(&a, 110, 100));
    cr_ink_destroy(&zero);
    cr_ink_destroy(&hard);
    cr_ink_destroy(&light);
}

/* --- pens, eraser, history ---------------------------------------------- */

static void test_two_pens_at_once(void)
{
    struct cr_ink ink;
    cr_ink_init(&ink);
    cr_ink_begin(&ink, 1, &blue, 10, 10, 1.0, 0, 1.0);
    cr_ink_begin(&ink, 2, &red, 150, 10, 1.0, 0, 1.0);
    const struct cr_ink_stroke *live[4];
    g_assert_cmpuint(cr_ink_live_strokes(&ink, live, 4), ==, 2);
    for (int i = 1; i <= 30; i++) {
        cr_ink_extend(&ink, 1, 10 + i, 10 + i * 3, 1.0, i * 8 * MS);
        cr_ink_extend(&ink, 2, 150 - i, 10 + i * 3, 0.5, i * 8 * MS + 2 * MS);
    }
    g_assert_cmpuint(cr_ink_count(&ink), ==, 0); /* nothing committed while they write */
    g_assert_true(cr_ink_end(&ink, 2));
    g_assert_true(cr_ink_end(&ink, 1));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 2);
    g_assert_cmpuint(cr_ink_live_strokes(&ink, live, 4), ==, 0);
    /* Each pen its own stroke, colour and points: nothing mixed. */
    for (size_t k = 0; k < 2; k++) {
        const struct cr_ink_stroke *s = shown(&ink, k);
        bool is_red = s->color.r == 0xdc;
        for (size_t i = 0; i < s->n_points; i++)
            g_assert_true(is_red ? s->points[i].x >= 120 : s->points[i].x <= 40);
    }
    g_assert_false(cr_ink_end(&ink, 1));                /* already ended */
    g_assert_false(cr_ink_extend(&ink, 3, 0, 0, 1, 0)); /* never went down */
    cr_ink_destroy(&ink);
}

static void test_lost_up_never_joins_strokes(void)
{
    /* A pen whose UP was lost goes down elsewhere: a new stroke, no line. */
    struct cr_ink ink;
    cr_ink_init(&ink);
    cr_ink_begin(&ink, 1, &blue, 10, 10, 1.0, 0, 1.0);
    for (int i = 1; i <= 10; i++)
        cr_ink_extend(&ink, 1, 10 + i * 2, 10, 1.0, i * 8 * MS);
    cr_ink_begin(&ink, 1, &blue, 200, 140, 1.0, 200 * MS, 1.0);
    cr_ink_extend(&ink, 1, 205, 140, 1.0, 208 * MS);
    cr_ink_end(&ink, 1);
    g_assert_cmpuint(cr_ink_count(&ink), ==, 2);
    struct canvas c;
    render(&c, &ink, &identity);
    g_assert_false(inked(&c, 110, 75)); /* half way between the two */
    cr_ink_destroy(&ink);
}

static void test_cancel_drops_the_stroke(void)
{
    struct cr_ink ink;
    cr_ink_init(&ink);
    cr_ink_begin(&ink, 1, &blue, 10, 10, 1.0, 0, 1.0);
    cr_ink_extend(&ink, 1, 50, 10, 1.0, 8 * MS);
    uint64_t before = ink.changes;
    cr_ink_cancel(&ink, 1);
    g_assert_cmpuint(ink.changes, >, before);
    g_assert_false(cr_ink_is_live(&ink, 1));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 0);
    g_assert_false(cr_ink_can_undo(&ink)); /* nothing happened, as far as undo goes */
    cr_ink_destroy(&ink);
}

static void test_eraser(void)
{
    struct cr_ink ink;
    cr_ink_init(&ink);
    line(&ink, 1, &blue, 10, 20, 200, 20, 20, 0);  /* top */
    line(&ink, 1, &red, 10, 100, 200, 100, 20, 0); /* bottom */
    line(&ink, 1, &blue, 100, 40, 100, 80, 10, 0); /* middle, vertical */
    g_assert_cmpuint(cr_ink_count(&ink), ==, 3);
    /* A stroke of the eraser that passes near (not on) the top line: r + half
     * width reaches it. */
    uint64_t epoch = ink.epoch;
    g_assert_cmpuint(cr_ink_erase(&ink, 50, 30, 60, 30, 8.5), ==, 1);
    g_assert_cmpuint(ink.epoch, >, epoch);
    g_assert_cmpuint(cr_ink_erase(&ink, 50, 30, 60, 30, 8.5), ==, 0); /* already gone */
    /* Crossing the vertical one between two of its points. */
    g_assert_cmpuint(cr_ink_erase(&ink, 90, 60, 110, 61, 1), ==, 1);
    g_assert_cmpuint(cr_ink_erase(&ink, 10, 150, 200, 150, 5), ==, 0); /* far from all */
    g_assert_cmpuint(cr_ink_count(&ink), ==, 1);
    g_assert_true(cr_ink_can_undo(&ink));
    cr_ink_erase_commit(&ink);
    /* One eraser gesture is one undo. */
    g_assert_true(cr_ink_undo(&ink));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 3);
    g_assert_true(cr_ink_redo(&ink));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 1);
    g_assert_cmpuint(shown(&ink, 0)->color.r, ==, 0xdc);
    /* A cancelled eraser gesture gives back what it removed, and no undo. */
    g_assert_cmpuint(cr_ink_erase(&ink, 0, 100, 300, 100, 2), ==, 1);
    g_assert_cmpuint(cr_ink_count(&ink), ==, 0);
    cr_ink_erase_revert(&ink);
    g_assert_cmpuint(cr_ink_count(&ink), ==, 1);
    g_assert_true(cr_ink_undo(&ink)); /* the first gesture's, still */
    g_assert_cmpuint(cr_ink_count(&ink), ==, 3);
    cr_ink_destroy(&ink);
}

static void test_undo_redo_clear(void)
{
    struct cr_ink ink;
    cr_ink_init(&ink);
    g_assert_false(cr_ink_can_undo(&ink));
    g_assert_false(cr_ink_undo(&ink));
    g_assert_false(cr_ink_clear(&ink)); /* nothing to clear: not an action */
    for (int i = 0; i < 3; i++)
        line(&ink, 1, &blue, 10, 10 + 30 * i, 100, 10 + 30 * i, 5, 0);
    g_assert_cmpuint(cr_ink_count(&ink), ==, 3);
    g_assert_true(cr_ink_undo(&ink));
    g_assert_true(cr_ink_undo(&ink));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 1);
    g_assert_true(cr_ink_can_redo(&ink));
    g_assert_true(cr_ink_redo(&ink));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 2);
    /* A new stroke forgets what could be redone. */
    line(&ink, 1, &red, 10, 130, 100, 130, 5, 0);
    g_assert_false(cr_ink_can_redo(&ink));
    g_assert_false(cr_ink_redo(&ink));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 3);
    g_assert_cmpuint(ink.n_strokes, ==, 3); /* the undone stroke is freed */
    /* Clear, then undo the clear: everything back, in the same order. */
    g_assert_true(cr_ink_clear(&ink));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 0);
    g_assert_true(cr_ink_undo(&ink));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 3);
    g_assert_cmpuint(shown(&ink, 2)->color.r, ==, 0xdc);
    g_assert_true(cr_ink_redo(&ink));
    g_assert_cmpuint(cr_ink_count(&ink), ==, 0);
    /* Undo everything, down to the empty board. */
    int undos = 0;
    while (cr_ink_undo(&ink))
        undos++;
    g_assert_cmpint(undos, ==, 4); /* clear, red, 2nd, 1st: the 3rd was undone and dropped */
    g_assert_cmpuint(cr_ink_count(&ink), ==, 0);
    cr_ink_destroy(&ink);
}

static void test_history_is_bounded(void)
{
    struct cr_ink ink;
    cr_ink_init(&ink);
    for (int i = 0; i < CR_INK_HISTORY + 50; i++)
        line(&ink, 1, &blue, 10, 10, 20, 10 + i % 100, 2, 0);
    g_assert_true(cr_ink_clear(&ink));
    int undos = 0;
    while (cr_ink_undo(&ink))
        undos++;
    g_assert_cmpint(undos, ==, CR_INK_HISTORY);
    /* The strokes older than the history stay (they were never undone). */
    g_assert_cmpuint(cr_ink_count(&ink), ==, 51);
    /* Now fill the history with erasures: erased strokes older than it are freed. */
    cr_ink_destroy(&ink);
    cr_ink_init(&ink);
    for (int i = 0; i < 10; i++)
        line(&ink, 1, &blue, 10, 10 * i, 20, 10 * i, 2, 0);
    for (int i = 0; i < 10; i++) {
        cr_ink_erase(&ink, 5, 10 * i, 25, 10 * i, 1);
        cr_ink_erase_commit(&ink);
    }
    for (int i = 0; i < CR_INK_HISTORY; i++)
        line(&ink, 1, &blue, 100, 10, 110, 10, 2, 0);
    g_assert_cmpuint(ink.n_strokes, ==, CR_INK_HISTORY);
    cr_ink_destroy(&ink);
}

static void test_copy(void)
{
    struct cr_ink ink, copy;
    cr_ink_init(&ink);
    line(&ink, 1, &blue, 10, 10, 100, 10, 5, 0);
    line(&ink, 1, &red, 10, 50, 100, 50, 5, 0);
    cr_ink_undo(&ink);
    cr_ink_begin(&ink, 2, &red, 0, 0, 1, 0, 1); /* live: not copied */
    cr_ink_init_copy(&copy, &ink);
    g_assert_cmpuint(cr_ink_count(&copy), ==, 1);
    g_assert_cmpuint(copy.n_strokes, ==, 1);
    g_assert_false(cr_ink_can_undo(&copy));
    const struct cr_ink_stroke *a = shown(&ink, 0), *b = shown(&copy, 0);
    g_assert_cmpuint(a->n_points, ==, b->n_points);
    g_assert_true(a->points != b->points);
    g_assert_cmpmem(a->points, a->n_points * sizeof(*a->points), b->points,
                    b->n_points * sizeof(*b->points));
    cr_ink_destroy(&ink);
    cr_ink_destroy(&copy);
}

static void test_long_stroke_is_split(void)
{
    struct cr_ink ink;
    cr_ink_init(&ink);
    cr_ink_begin(&ink, 1, &blue, 0, 0, 1, 0, 1);
    for (int i = 1; i < CR_INK_MAX_POINTS * 2; i++)
        cr_ink_extend(&ink, 1, i * 2 % 2000, i / 1000 * 4, 1, (int64_t)i * 8 * MS);
    cr_ink_end(&ink, 1);
    g_assert_cmpuint(cr_ink_count(&ink), >=, 2);
    for (size_t i = 0; i < ink.n_strokes; i++)
        g_assert_cmpuint(ink.strokes[i]->n_points, <=, CR_INK_MAX_POINTS);
    cr_ink_destroy(&ink);
}

/* --- tile content map --------------------------------------------------- */

static void check_round_trip(struct cr_tile *t)
{
    for (double sy = t->image_rect.y; sy < t->image_rect.y + t->image_rect.h; sy += 37.5)
        for (double sx = t->image_rect.x; sx < t->image_rect.x + t->image_rect.w; sx += 41.25) {
            double x, y, bx, by;
            g_assert_true(cr_tile_screen_to_content(t, sx, sy, &x, &y));
            g_assert_true(cr_tile_content_to_screen(t, x, y, &bx, &by));
            g_assert_cmpfloat(fabs(bx - sx), <, 1e-6);
            g_assert_cmpfloat(fabs(by - sy), <, 1e-6);
            /* What is on screen is inside the image. */
            g_assert_cmpfloat(x, >=, -1e-9);
            g_assert_cmpfloat(x, <=, 1920.0 / 1080 + 1e-9);
            g_assert_cmpfloat(y, >=, -1e-9);
            g_assert_cmpfloat(y, <=, 1 + 1e-9);
        }
}

static void test_tile_content_map(void)
{
    struct cr_tile t;
    cr_tile_init(&t, CR_TILE_SNAPSHOT, NULL, NULL);
    double x, y, sx, sy;
    g_assert_false(cr_tile_screen_to_content(&t, 0, 0, &x, &y)); /* no image yet */
    t.tex_w = 1920;
    t.tex_h = 1080;
    t.image_rect = (struct cr_rect){40, 20, 1200, 675};
    const double right = 1920.0 / 1080;

    /* Whole view: the image's corners are the rectangle's. */
    cr_tile_content_to_screen(&t, 0, 0, &sx, &sy);
    g_assert_cmpfloat(sx, ==, 40);
    g_assert_cmpfloat(sy, ==, 20);
    cr_tile_content_to_screen(&t, right, 1, &sx, &sy);
    g_assert_cmpfloat(fabs(sx - 1240), <, 1e-9);
    g_assert_cmpfloat(fabs(sy - 695), <, 1e-9);
    check_round_trip(&t);

    /* Turned: the image's top-left is at the bottom-right. */
    t.view.rotate180 = true;
    cr_tile_content_to_screen(&t, 0, 0, &sx, &sy);
    g_assert_cmpfloat(fabs(sx - 1240), <, 1e-9);
    g_assert_cmpfloat(fabs(sy - 695), <, 1e-9);
    check_round_trip(&t);
    /* Turned and mirrored: flipped vertically only. */
    t.view.mirror = true;
    cr_tile_content_to_screen(&t, 0, 0, &sx, &sy);
    g_assert_cmpfloat(fabs(sx - 40), <, 1e-9);
    g_assert_cmpfloat(fabs(sy - 695), <, 1e-9);
    check_round_trip(&t);
    t.view.rotate180 = false;
    cr_tile_content_to_screen(&t, 0, 0, &sx, &sy); /* mirrored only */
    g_assert_cmpfloat(fabs(sx - 1240), <, 1e-9);
    g_assert_cmpfloat(fabs(sy - 20), <, 1e-9);
    t.view.mirror = false;

    /* Zoomed ×2 around the centre: the image's centre stays in the middle
     * and a point a quarter in is at the rectangle's corner. */
    cr_tile_zoom(&t, 2.0f, 640, 357.5f);
    cr_tile_content_to_screen(&t, right / 2, 0.5, &sx, &sy);
    g_assert_cmpfloat(fabs(sx - 640), <, 1.5);
    g_assert_cmpfloat(fabs(sy - 357.5), <, 1.5);
    cr_tile_content_to_screen(&t, right / 4, 0.25, &sx, &sy);
    g_assert_cmpfloat(fabs(sx - 40), <, 1.5);
    g_assert_cmpfloat(fabs(sy - 20), <, 1.5);
    check_round_trip(&t);
    /* Panned: the content under a finger moves with it. */
    double ux, uy;
    cr_tile_screen_to_content(&t, 500, 300, &ux, &uy);
    cr_tile_pan(&t, 120, 80);
    cr_tile_content_to_screen(&t, ux, uy, &sx, &sy);
    g_assert_cmpfloat(fabs(sx - 620), <, 2);
    g_assert_cmpfloat(fabs(sy - 380), <, 2);
    /* Zoomed, turned and mirrored at once. */
    t.view.rotate180 = true;
    t.view.mirror = true;
    cr_tile_zoom(&t, 1.7f, 300, 200);
    check_round_trip(&t);
    /* Widths follow the zoom. */
    struct cr_ink_xform xf;
    g_assert_true(cr_tile_content_xform(&t, &xf));
    g_assert_cmpfloat(fabs(xf.width_scale - 675 * t.view.zoom), <, 675 * t.view.zoom * 0.02);
    cr_tile_destroy(&t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ink/colors", test_colors);
    g_test_add_func("/ink/stroke-keeps-endpoints", test_stroke_keeps_endpoints);
    g_test_add_func("/ink/fast-stroke-keeps-corners", test_fast_stroke_does_not_cut_corners);
    g_test_add_func("/ink/pressure-width", test_pressure_width);
    g_test_add_func("/ink/tessellation-covers-line", test_tessellation_covers_line);
    g_test_add_func("/ink/tessellation-covers-curve", test_tessellation_covers_curve);
    g_test_add_func("/ink/tessellation-sharp-turns", test_tessellation_sharp_turns);
    g_test_add_func("/ink/tessellation-joins", test_tessellation_joins);
    g_test_add_func("/ink/dot-and-transform", test_dot_and_transform);
    g_test_add_func("/ink/pressure-makes-thinner-strokes", test_pressure_makes_thinner_strokes);
    g_test_add_func("/ink/two-pens-at-once", test_two_pens_at_once);
    g_test_add_func("/ink/lost-up-never-joins-strokes", test_lost_up_never_joins_strokes);
    g_test_add_func("/ink/cancel-drops-the-stroke", test_cancel_drops_the_stroke);
    g_test_add_func("/ink/eraser", test_eraser);
    g_test_add_func("/ink/undo-redo-clear", test_undo_redo_clear);
    g_test_add_func("/ink/history-is-bounded", test_history_is_bounded);
    g_test_add_func("/ink/copy", test_copy);
    g_test_add_func("/ink/long-stroke-is-split", test_long_stroke_is_split);
    g_test_add_func("/ink/tile-content-map", test_tile_content_map);
    return g_test_run();
}
