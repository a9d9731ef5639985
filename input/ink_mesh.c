/* Ink geometry: strokes into triangles (drawn by SDL_RenderGeometry on the
 * screen, or filled into an RGBA buffer by cr_ink_fill_rgba() when saving).
 *
 * A stroke's points are mapped to pixels, points closer than half a pixel
 * merged, then a centripetal Catmull-Rom curve (no loops or overshoot where
 * points are unevenly spaced; straight into a sharp corner) is sampled
 * every few pixels. Each piece of the
 * curve is a quad as wide as the pressure says at its two ends; the outer
 * side of each bend is filled with an arc (a round join); both ends are
 * discs (round caps). */
#include "input/ink.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define MERGE_PX 0.5     /* closer points are one */
#define SAMPLE_PX 5.0    /* curve sampled at most this far apart */
#define MAX_SAMPLES 16   /* per segment between two points */
#define MIN_RADIUS 0.6   /* px: every stroke shows at least a thin line */
#define MAX_SAGITTA 0.25 /* px: how far a disc's polygon may stray from the circle */
#define OVERLAP_PX 0.75

void cr_ink_mesh_init(struct cr_ink_mesh *m)
{
    memset(m, 0, sizeof(*m));
}

void cr_ink_mesh_destroy(struct cr_ink_mesh *m)
{
    free(m->xy);
    free(m->indices);
    memset(m, 0, sizeof(*m));
}

void cr_ink_mesh_clear(struct cr_ink_mesh *m)
{
    m->n_vertices = 0;
    m->n_indices = 0;
}

static void reserve(struct cr_ink_mesh *m, int vertices, int indices)
{
    if (m->n_vertices + vertices > m->cap_vertices) {
        m->cap_vertices = CR_MAX(m->cap_vertices * 2, m->n_vertices + vertices + 256);
        m->xy = cr_xrealloc(m->xy, (size_t)m->cap_vertices * 2 * sizeof(*m->xy));
    }
    if (m->n_indices + indices > m->cap_indices) {
        m->cap_indices = CR_MAX(m->cap_indices * 2, m->n_indices + indices + 768);
        m->indices = cr_xrealloc(m->indices, (size_t)m->cap_indices * sizeof(*m->indices));
    }
}

/* Callers reserve first. */
static int vertex(struct cr_ink_mesh *m, double x, double y)
{
    m->xy[2 * m->n_vertices] = (float)x;
    m->xy[2 * m->n_vertices + 1] = (float)y;
    return m->n_vertices++;
}

static void triangle(struct cr_ink_mesh *m, int a, int b, int c)
{
    m->indices[m->n_indices++] = a;
    m->indices[m->n_indices++] = b;
    m->indices[m->n_indices++] = c;
}

/* Steps for a full circle of radius r. */
static int circle_steps(double r)
{
    double c = 1.0 - MAX_SAGITTA / fmax(r, MAX_SAGITTA * 2);
    int n = (int)ceil(M_PI / acos(c));
    return CR_CLAMP(n, 8, 64);
}

static void disc(struct cr_ink_mesh *m, double cx, double cy, double r)
{
    int n = circle_steps(r);
    reserve(m, n + 1, 3 * n);
    int c = vertex(m, cx, cy), first = m->n_vertices;
    for (int i = 0; i < n; i++) {
        double a = 2.0 * M_PI * i / n;
        vertex(m, cx + r * cos(a), cy + r * sin(a));
    }
    for (int i = 0; i < n; i++)
        triangle(m, c, first + i, first + (i + 1) % n);
}

/* The arc around (cx, cy) of radius r from angle a0 turning by da. */
static void arc(struct cr_ink_mesh *m, double cx, double cy, double r, double a0, double da)
{
    int n = (int)ceil(fabs(da) / (2.0 * M_PI) * circle_steps(r));
    if (n < 1)
        return;
    reserve(m, n + 2, 3 * n);
    int c = vertex(m, cx, cy), prev = vertex(m, cx + r * cos(a0), cy + r * sin(a0));
    for (int i = 1; i <= n; i++) {
        double a = a0 + da * i / n;
        int v = vertex(m, cx + r * cos(a), cy + r * sin(a));
        triangle(m, c, prev, v);
        prev = v;
    }
}

struct sample {
    double x, y, r;
};

struct samples {
    struct sample *v;
    size_t n, cap;
};

static void push(struct samples *s, double x, double y, double r)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 128;
        s->v = cr_xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n++] = (struct sample){x, y, r};
}

/* Centripetal Catmull-Rom between p1 and p2 (Barry-Goldman form), at t in
 * [0, 1] of the segment. */
static void catmull_rom(const struct sample *p0, const struct sample *p1, const struct sample *p2,
                        const struct sample *p3, double t, double *x, double *y)
{
    double t0 = 0.0;
    double t1 = t0 + sqrt(fmax(hypot(p1->x - p0->x, p1->y - p0->y), 1e-6));
    double t2 = t1 + sqrt(fmax(hypot(p2->x - p1->x, p2->y - p1->y), 1e-6));
    double t3 = t2 + sqrt(fmax(hypot(p3->x - p2->x, p3->y - p2->y), 1e-6));
    double u = t1 + (t2 - t1) * t;
#define LERP(a, b, ta, tb) (((tb)-u) / ((tb) - (ta)) * (a) + (u - (ta)) / ((tb) - (ta)) * (b))
    double a1x = LERP(p0->x, p1->x, t0, t1), a1y = LERP(p0->y, p1->y, t0, t1);
    double a2x = LERP(p1->x, p2->x, t1, t2), a2y = LERP(p1->y, p2->y, t1, t2);
    double a3x = LERP(p2->x, p3->x, t2, t3), a3y = LERP(p2->y, p3->y, t2, t3);
    double b1x = LERP(a1x, a2x, t0, t2), b1y = LERP(a1y, a2y, t0, t2);
    double b2x = LERP(a2x, a3x, t1, t3), b2y = LERP(a2y, a3y, t1, t3);
    *x = LERP(b1x, b2x, t1, t2);
    *y = LERP(b1y, b2y, t1, t2);
#undef LERP
}

/* The stroke's points in pixels, merged where closer than MERGE_PX (the
 * last point is always kept: it is where the pen went up). */
static void map_points(const struct cr_ink_stroke *s, const struct cr_ink_xform *xf,
                       struct samples *out)
{
    for (size_t i = 0; i < s->n_points; i++) {
        const struct cr_ink_point *p = &s->points[i];
        double x = xf->ax * p->x + xf->bx, y = xf->ay * p->y + xf->by;
        double r = s->width * xf->width_scale * cr_ink_width_factor(p->pressure) / 2.0;
        r = fmax(r, MIN_RADIUS);
        if (out->n > 0) {
            struct sample *last = &out->v[out->n - 1];
            if (hypot(x - last->x, y - last->y) < MERGE_PX) {
                if (i == s->n_points - 1 && out->n > 1)
                    *last = (struct sample){x, y, r};
                continue;
            }
        }
        push(out, x, y, r);
    }
}

/* A sharp bend at point k (more than CORNER_DEG): the curve must not
 * swing wide around it, the pen meant a corner. */
#define CORNER_COS 0.5 /* cos 60° */

static bool corner(const struct samples *pts, size_t k)
{
    if (k == 0 || k + 1 >= pts->n)
        return true; /* an end */
    const struct sample *a = &pts->v[k - 1], *b = &pts->v[k], *c = &pts->v[k + 1];
    double ux = b->x - a->x, uy = b->y - a->y, vx = c->x - b->x, vy = c->y - b->y;
    double l = hypot(ux, uy) * hypot(vx, vy);
    return l <= 0 || (ux * vx + uy * vy) / l < CORNER_COS;
}

/* The curve through the points, sampled every SAMPLE_PX at most. */
static void sample_curve(const struct samples *pts, struct samples *out)
{
    size_t n = pts->n;
    push(out, pts->v[0].x, pts->v[0].y, pts->v[0].r);
    for (size_t i = 0; i + 1 < n; i++) {
        const struct sample *p1 = &pts->v[i], *p2 = &pts->v[i + 1];
        /* At an end or a corner, a phantom point mirrored through it keeps
         * the curve from swinging out there. */
        struct sample p0 = !corner(pts, i)
                               ? pts->v[i - 1]
                               : (struct sample){2 * p1->x - p2->x, 2 * p1->y - p2->y, p1->r};
        struct sample p3 = !corner(pts, i + 1)
                               ? pts->v[i + 2]
                               : (struct sample){2 * p2->x - p1->x, 2 * p2->y - p1->y, p2->r};
        double len = hypot(p2->x - p1->x, p2->y - p1->y);
        int steps = CR_CLAMP((int)ceil(len / SAMPLE_PX), 1, MAX_SAMPLES);
        for (int k = 1; k < steps; k++) {
            double t = (double)k / steps, x, y;
            catmull_rom(&p0, p1, p2, &p3, t, &x, &y);
            push(out, x, y, p1->r + (p2->r - p1->r) * t);
        }
        push(out, p2->x, p2->y, p2->r);
    }
}

void cr_ink_tessellate(struct cr_ink_mesh *m, const struct cr_ink_stroke *s,
                       const struct cr_ink_xform *xf)
{
    if (s->n_points == 0)
        return;
    struct samples pts = {0}, curve = {0};
    map_points(s, xf, &pts);
    if (pts.n == 1) {
        disc(m, pts.v[0].x, pts.v[0].y, pts.v[0].r);
        goto out;
    }
    sample_curve(&pts, &curve);

    double prev_nx = 0, prev_ny = 0;
    for (size_t i = 0; i + 1 < curve.n; i++) {
        const struct sample *a = &curve.v[i], *b = &curve.v[i + 1];
        double dx = b->x - a->x, dy = b->y - a->y, len = hypot(dx, dy);
        if (len < 1e-9)
            continue;
        double nx = -dy / len, ny = dx / len;
        if (i > 0 && (prev_nx != 0 || prev_ny != 0)) {
            /* Round join on the outer side of the bend at a. */
            double turn = atan2(prev_nx * ny - prev_ny * nx, prev_nx * nx + prev_ny * ny);
            if (fabs(turn) > 1e-3) {
                /* Turning left (turn > 0 in screen coordinates y down means
                 * clockwise): the outer side is where the normals diverge. */
                double from = turn > 0 ? atan2(-prev_ny, -prev_nx) : atan2(prev_ny, prev_nx);
                arc(m, a->x, a->y, a->r, from, turn);
            }
        }
        /* Each quad reaches OVERLAP_PX into its neighbours: rasterisers'
         * fill rules would otherwise leave hairline cracks between them. */
        double ex = dx / len * OVERLAP_PX, ey = dy / len * OVERLAP_PX;
        double ax = a->x - ex, ay = a->y - ey, bx = b->x + ex, by = b->y + ey;
        reserve(m, 4, 6);
        int v0 = vertex(m, ax + nx * a->r, ay + ny * a->r);
        int v1 = vertex(m, ax - nx * a->r, ay - ny * a->r);
        int v2 = vertex(m, bx + nx * b->r, by + ny * b->r);
        int v3 = vertex(m, bx - nx * b->r, by - ny * b->r);
        triangle(m, v0, v1, v2);
        triangle(m, v1, v3, v2);
        prev_nx = nx;
        prev_ny = ny;
    }
    disc(m, curve.v[0].x, curve.v[0].y, curve.v[0].r);
    disc(m, curve.v[curve.n - 1].x, curve.v[curve.n - 1].y, curve.v[curve.n - 1].r);
out:
    free(pts.v);
    free(curve.v);
}

/* --- filling into a buffer ---------------------------------------------- */

static double edge(double ax, double ay, double bx, double by, double px, double py)
{
    return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
}

static void fill_triangle(uint8_t *rgba, int w, int h, int stride, const float *a, const float *b,
                          const float *c, struct cr_ink_rgba color)
{
    double area = edge(a[0], a[1], b[0], b[1], c[0], c[1]);
    if (fabs(area) < 1e-12)
        return;
    if (area < 0) { /* make it counter-clockwise in these coordinates */
        const float *t = b;
        b = c;
        c = t;
    }
    int x0 = (int)floor(fmin(a[0], fmin(b[0], c[0])));
    int x1 = (int)ceil(fmax(a[0], fmax(b[0], c[0])));
    int y0 = (int)floor(fmin(a[1], fmin(b[1], c[1])));
    int y1 = (int)ceil(fmax(a[1], fmax(b[1], c[1])));
    x0 = CR_MAX(x0, 0);
    y0 = CR_MAX(y0, 0);
    x1 = CR_MIN(x1, w - 1);
    y1 = CR_MIN(y1, h - 1);
    for (int y = y0; y <= y1; y++) {
        double py = y + 0.5;
        uint8_t *row = rgba + (size_t)y * stride;
        for (int x = x0; x <= x1; x++) {
            double px = x + 0.5;
            if (edge(a[0], a[1], b[0], b[1], px, py) < 0 ||
                edge(b[0], b[1], c[0], c[1], px, py) < 0 ||
                edge(c[0], c[1], a[0], a[1], px, py) < 0)
                continue;
            uint8_t *p = row + x * 4;
            p[0] = color.r;
            p[1] = color.g;
            p[2] = color.b;
            p[3] = 255;
        }
    }
}

void cr_ink_fill_rgba(uint8_t *rgba, int w, int h, int stride, const struct cr_ink_mesh *m,
                      struct cr_ink_rgba color)
{
    for (int i = 0; i + 2 < m->n_indices; i += 3)
        fill_triangle(rgba, w, h, stride, &m->xy[2 * m->indices[i]], &m->xy[2 * m->indices[i + 1]],
                      &m->xy[2 * m->indices[i + 2]], color);
}

void cr_ink_render_rgba(uint8_t *rgba, int w, int h, int stride, const struct cr_ink *ink,
                        const struct cr_ink_xform *xf)
{
    struct cr_ink_mesh m;
    cr_ink_mesh_init(&m);
    for (size_t i = 0; i < ink->n_strokes; i++) {
        const struct cr_ink_stroke *s = ink->strokes[i];
        if (!s->alive)
            continue;
        cr_ink_mesh_clear(&m);
        cr_ink_tessellate(&m, s, xf);
        cr_ink_fill_rgba(rgba, w, h, stride, &m, s->color);
    }
    cr_ink_mesh_destroy(&m);
}
