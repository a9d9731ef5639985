/* The ink model: strokes, live contacts and their input filter, the eraser,
 * the undo history. Geometry is in ink_mesh.c. */
#include "input/ink.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

/* --- colours ------------------------------------------------------------ */

static const struct {
    const char *names[2];
    uint32_t rgb;
} named_colors[] = {
    {{"black", "noir"}, 0x111827},    {{"blue", "bleu"}, 0x1d4ed8},
    {{"red", "rouge"}, 0xdc2626},     {{"green", "vert"}, 0x15803d},
    {{"white", "blanc"}, 0xf8fafc},   {{"yellow", "jaune"}, 0xfacc15},
    {{"orange", "orange"}, 0xea580c}, {{"purple", "violet"}, 0x7c3aed},
};

static struct cr_ink_rgba rgb(uint32_t v)
{
    return (struct cr_ink_rgba){(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff, 255};
}

bool cr_ink_parse_color(const char *text, struct cr_ink_rgba *out)
{
    if (!text)
        return false;
    if (text[0] == '#') {
        if (strlen(text) != 7)
            return false;
        uint32_t v = 0;
        for (int i = 1; i < 7; i++) {
            if (!isxdigit((unsigned char)text[i]))
                return false;
            int c = tolower((unsigned char)text[i]);
            v = v << 4 | (uint32_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
        }
        *out = rgb(v);
        return true;
    }
    for (size_t i = 0; i < CR_ARRAY_SIZE(named_colors); i++) {
        for (int k = 0; k < 2; k++) {
            if (!strcasecmp(text, named_colors[i].names[k])) {
                *out = rgb(named_colors[i].rgb);
                return true;
            }
        }
    }
    return false;
}

const char *cr_ink_color_hex(struct cr_ink_rgba c, char buf[8])
{
    snprintf(buf, 8, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}

double cr_ink_width_factor(double pressure)
{
    if (!(pressure >= 0.0)) /* NaN too */
        pressure = 0.0;
    if (pressure > 1.0)
        pressure = 1.0;
    /* sqrt: a light touch is already most of the width, as with a felt pen. */
    return CR_INK_MIN_WIDTH_FACTOR + (1.0 - CR_INK_MIN_WIDTH_FACTOR) * sqrt(pressure);
}

/* --- strokes ------------------------------------------------------------ */

static void stroke_reset(struct cr_ink_stroke *s)
{
    s->n_points = 0;
    s->min_x = s->min_y = INFINITY;
    s->max_x = s->max_y = -INFINITY;
}

static void stroke_push(struct cr_ink_stroke *s, double x, double y, double p)
{
    if (s->n_points == s->cap_points) {
        s->cap_points = s->cap_points ? s->cap_points * 2 : 64;
        s->points = cr_xrealloc(s->points, s->cap_points * sizeof(*s->points));
    }
    s->points[s->n_points++] = (struct cr_ink_point){(float)x, (float)y, (float)p};
    s->min_x = fminf(s->min_x, (float)x);
    s->min_y = fminf(s->min_y, (float)y);
    s->max_x = fmaxf(s->max_x, (float)x);
    s->max_y = fmaxf(s->max_y, (float)y);
}

static void stroke_bounds(struct cr_ink_stroke *s)
{
    s->min_x = s->min_y = INFINITY;
    s->max_x = s->max_y = -INFINITY;
    for (size_t i = 0; i < s->n_points; i++) {
        s->min_x = fminf(s->min_x, s->points[i].x);
        s->min_y = fminf(s->min_y, s->points[i].y);
        s->max_x = fmaxf(s->max_x, s->points[i].x);
        s->max_y = fmaxf(s->max_y, s->points[i].y);
    }
}

/* A committed copy, its array exactly sized. */
static struct cr_ink_stroke *stroke_dup(const struct cr_ink_stroke *s)
{
    struct cr_ink_stroke *c = cr_xmalloc(sizeof(*c));
    *c = *s;
    c->cap_points = s->n_points;
    c->points = cr_xmalloc(CR_MAX(s->n_points, 1) * sizeof(*c->points));
    memcpy(c->points, s->points, s->n_points * sizeof(*c->points));
    c->alive = true;
    return c;
}

static void stroke_free(struct cr_ink_stroke *s)
{
    if (!s)
        return;
    free(s->points);
    free(s);
}

/* --- model -------------------------------------------------------------- */

void cr_ink_init(struct cr_ink *ink)
{
    memset(ink, 0, sizeof(*ink));
    ink->next_id = 1;
}

static void free_action(struct cr_ink_action *a)
{
    free(a->strokes);
    a->strokes = NULL;
    a->n = 0;
}

void cr_ink_destroy(struct cr_ink *ink)
{
    for (size_t i = 0; i < ink->n_strokes; i++)
        stroke_free(ink->strokes[i]);
    free(ink->strokes);
    for (size_t i = 0; i < ink->n_history; i++)
        free_action(&ink->history[i]);
    free(ink->history);
    free(ink->erasing);
    for (int i = 0; i < CR_INK_MAX_LIVE; i++)
        free(ink->live[i].stroke.points);
    memset(ink, 0, sizeof(*ink));
}

static void append_stroke(struct cr_ink *ink, struct cr_ink_stroke *s)
{
    if (ink->n_strokes == ink->cap_strokes) {
        ink->cap_strokes = ink->cap_strokes ? ink->cap_strokes * 2 : 32;
        ink->strokes = cr_xrealloc(ink->strokes, ink->cap_strokes * sizeof(*ink->strokes));
    }
    ink->strokes[ink->n_strokes++] = s;
}

void cr_ink_init_copy(struct cr_ink *dst, const struct cr_ink *src)
{
    cr_ink_init(dst);
    for (size_t i = 0; i < src->n_strokes; i++) {
        if (!src->strokes[i]->alive)
            continue;
        struct cr_ink_stroke *c = stroke_dup(src->strokes[i]);
        c->id = dst->next_id++;
        append_stroke(dst, c);
    }
    dst->last_input_us = src->last_input_us;
}

size_t cr_ink_count(const struct cr_ink *ink)
{
    size_t n = 0;
    for (size_t i = 0; i < ink->n_strokes; i++)
        n += ink->strokes[i]->alive;
    return n;
}

static void changed(struct cr_ink *ink, bool rebuild)
{
    ink->changes++;
    if (rebuild)
        ink->epoch++;
}

/* Frees the strokes the set lists (they are not shown and no action will
 * bring them back) and closes the gaps in ink->strokes. */
static void forget_strokes(struct cr_ink *ink, struct cr_ink_stroke **set, size_t n)
{
    if (n == 0)
        return;
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < ink->n_strokes; i++) {
            if (ink->strokes[i] == set[k]) {
                stroke_free(ink->strokes[i]);
                ink->strokes[i] = NULL;
                break;
            }
        }
    }
    size_t w = 0;
    for (size_t i = 0; i < ink->n_strokes; i++)
        if (ink->strokes[i])
            ink->strokes[w++] = ink->strokes[i];
    ink->n_strokes = w;
    changed(ink, true);
}

/* Records a new action (ownership of a->strokes is transferred): what could
 * be redone is forgotten, and the oldest action when the history is full. */
static void push_action(struct cr_ink *ink, struct cr_ink_action a)
{
    for (size_t i = ink->n_done; i < ink->n_history; i++) {
        struct cr_ink_action *old = &ink->history[i];
        if (old->type == CR_INK_ADD) /* undone: its stroke is gone for good */
            forget_strokes(ink, old->strokes, old->n);
        free_action(old);
    }
    ink->n_history = ink->n_done;
    if (ink->n_history == CR_INK_HISTORY) {
        struct cr_ink_action *oldest = &ink->history[0];
        if (oldest->type != CR_INK_ADD) /* removed strokes no undo can reach any more */
            forget_strokes(ink, oldest->strokes, oldest->n);
        free_action(oldest);
        memmove(ink->history, ink->history + 1, (ink->n_history - 1) * sizeof(*ink->history));
        ink->n_history--;
    }
    if (!ink->history)
        ink->history = cr_xcalloc(CR_INK_HISTORY, sizeof(*ink->history));
    ink->history[ink->n_history++] = a;
    ink->n_done = ink->n_history;
}

bool cr_ink_can_undo(const struct cr_ink *ink)
{
    return ink->n_done > 0 || ink->n_erasing > 0;
}

bool cr_ink_can_redo(const struct cr_ink *ink)
{
    return ink->n_done < ink->n_history && ink->n_erasing == 0;
}

static void set_alive(struct cr_ink_action *a, bool alive)
{
    for (size_t i = 0; i < a->n; i++)
        a->strokes[i]->alive = alive;
}

bool cr_ink_undo(struct cr_ink *ink)
{
    cr_ink_erase_commit(ink);
    if (ink->n_done == 0)
        return false;
    struct cr_ink_action *a = &ink->history[--ink->n_done];
    set_alive(a, a->type != CR_INK_ADD);
    changed(ink, true);
    return true;
}

bool cr_ink_redo(struct cr_ink *ink)
{
    cr_ink_erase_commit(ink);
    if (ink->n_done == ink->n_history)
        return false;
    struct cr_ink_action *a = &ink->history[ink->n_done++];
    set_alive(a, a->type == CR_INK_ADD);
    changed(ink, true);
    return true;
}

bool cr_ink_clear(struct cr_ink *ink)
{
    cr_ink_cancel_all(ink);
    cr_ink_erase_commit(ink);
    size_t n = cr_ink_count(ink);
    if (n == 0)
        return false;
    struct cr_ink_action a = {CR_INK_CLEAR, cr_xmalloc(n * sizeof(*a.strokes)), 0};
    for (size_t i = 0; i < ink->n_strokes; i++) {
        if (ink->strokes[i]->alive) {
            ink->strokes[i]->alive = false;
            a.strokes[a.n++] = ink->strokes[i];
        }
    }
    push_action(ink, a);
    changed(ink, true);
    return true;
}

/* --- live strokes and their filter -------------------------------------- */

/* One-euro filter (Casiez et al., CHI 2012): a low-pass whose cutoff rises
 * with speed, so a slow pen loses its jitter and a fast one does not lag.
 * Parameters in screen pixels and hertz. */
#define MIN_CUTOFF_HZ 4.0
#define BETA 0.04 /* cutoff added per px/s */
#define D_CUTOFF_HZ 1.0
#define MIN_SPACING_PX 0.75 /* closer filtered points are not kept */
#define PRESSURE_ALPHA 0.5

static double smoothing(double cutoff_hz, double dt_s)
{
    double tau = 1.0 / (2.0 * M_PI * cutoff_hz);
    return 1.0 / (1.0 + tau / dt_s);
}

static struct cr_ink_live *find_live(struct cr_ink *ink, uint64_t key)
{
    for (int i = 0; i < CR_INK_MAX_LIVE; i++)
        if (ink->live[i].active && ink->live[i].key == key)
            return &ink->live[i];
    return NULL;
}

bool cr_ink_is_live(const struct cr_ink *ink, uint64_t key)
{
    return find_live((struct cr_ink *)ink, key) != NULL;
}

static double clamp_pressure(double p)
{
    return p >= 0.0 && p <= 1.0 ? p : p > 1.0 ? 1.0 : 0.0;
}

static void note_input(struct cr_ink *ink, int64_t time_us)
{
    if (time_us > ink->last_input_us)
        ink->last_input_us = time_us;
}

static void live_start(struct cr_ink_live *l, uint64_t key, const struct cr_ink_pen *pen, double x,
                       double y, double p, int64_t time_us, double px_per_unit)
{
    l->active = true;
    l->key = key;
    stroke_reset(&l->stroke);
    l->stroke.color = pen->color;
    l->stroke.width = pen->width;
    l->stroke.alive = true;
    l->px_per_unit = px_per_unit > 0 ? px_per_unit : 1.0;
    l->fx = x;
    l->fy = y;
    l->dx = l->dy = 0;
    l->fp = p;
    l->t_us = time_us;
    l->have_prev = false;
    stroke_push(&l->stroke, x, y, p);
}

/* Moves the finished part of a live stroke into the strokes as an action. */
static void commit_live(struct cr_ink *ink, struct cr_ink_live *l)
{
    struct cr_ink_stroke *s = stroke_dup(&l->stroke);
    s->id = ink->next_id++;
    stroke_bounds(s);
    append_stroke(ink, s);
    struct cr_ink_action a = {CR_INK_ADD, cr_xmalloc(sizeof(*a.strokes)), 1};
    a.strokes[0] = s;
    push_action(ink, a);
    l->active = false;
    changed(ink, false);
}

void cr_ink_begin(struct cr_ink *ink, uint64_t key, const struct cr_ink_pen *pen, double x,
                  double y, double pressure, int64_t time_us, double px_per_unit)
{
    struct cr_ink_live *l = find_live(ink, key);
    if (l) /* its UP was lost: end that stroke, never draw a line to here */
        commit_live(ink, l);
    for (int i = 0; i < CR_INK_MAX_LIVE && !l; i++)
        if (!ink->live[i].active)
            l = &ink->live[i];
    if (!l) /* more contacts than anyone has fingers: the oldest one is ended */
        commit_live(ink, l = &ink->live[0]);
    live_start(l, key, pen, x, y, clamp_pressure(pressure), time_us, px_per_unit);
    note_input(ink, time_us);
    changed(ink, false);
}

bool cr_ink_extend(struct cr_ink *ink, uint64_t key, double x, double y, double pressure,
                   int64_t time_us)
{
    struct cr_ink_live *l = find_live(ink, key);
    if (!l)
        return false;
    note_input(ink, time_us);
    struct cr_ink_stroke *s = &l->stroke;
    if (s->n_points >= CR_INK_MAX_POINTS - 2) {
        /* Long enough: commit and go on from the tip as a new stroke. */
        struct cr_ink_point tip = s->points[s->n_points - 1];
        struct cr_ink_pen pen = {s->color, s->width};
        double ppu = l->px_per_unit;
        commit_live(ink, l);
        live_start(l, key, &pen, tip.x, tip.y, tip.pressure, l->t_us, ppu);
    }
    double dt = (double)(time_us - l->t_us) / 1e6;
    dt = CR_CLAMP(dt, 0.001, 0.1); /* same-time or stale samples: keep the filter sane */
    l->t_us = time_us;
    double ad = smoothing(D_CUTOFF_HZ, dt);
    l->dx += ad * ((x - l->fx) / dt - l->dx);
    l->dy += ad * ((y - l->fy) / dt - l->dy);
    double speed_px = hypot(l->dx, l->dy) * l->px_per_unit;
    double a = smoothing(MIN_CUTOFF_HZ + BETA * speed_px, dt);
    l->fx += a * (x - l->fx);
    l->fy += a * (y - l->fy);
    l->fp += PRESSURE_ALPHA * (clamp_pressure(pressure) - l->fp);

    /* Points: the first sample, the filtered path, then the raw tip. */
    if (l->have_prev)
        s->n_points--; /* the previous tip */
    struct cr_ink_point last = s->points[s->n_points - 1];
    if (hypot(l->fx - last.x, l->fy - last.y) * l->px_per_unit >= MIN_SPACING_PX)
        stroke_push(s, l->fx, l->fy, l->fp);
    stroke_push(s, x, y, l->fp);
    l->have_prev = true;
    changed(ink, false);
    return true;
}

bool cr_ink_end(struct cr_ink *ink, uint64_t key)
{
    struct cr_ink_live *l = find_live(ink, key);
    if (!l)
        return false;
    commit_live(ink, l);
    return true;
}

void cr_ink_cancel(struct cr_ink *ink, uint64_t key)
{
    struct cr_ink_live *l = find_live(ink, key);
    if (!l)
        return;
    l->active = false;
    changed(ink, false);
}

void cr_ink_cancel_all(struct cr_ink *ink)
{
    for (int i = 0; i < CR_INK_MAX_LIVE; i++) {
        if (ink->live[i].active) {
            ink->live[i].active = false;
            changed(ink, false);
        }
    }
}

size_t cr_ink_live_strokes(const struct cr_ink *ink, const struct cr_ink_stroke **out, size_t max)
{
    size_t n = 0;
    for (int i = 0; i < CR_INK_MAX_LIVE && n < max; i++)
        if (ink->live[i].active)
            out[n++] = &ink->live[i].stroke;
    return n;
}

/* --- eraser ------------------------------------------------------------- */

static double dot(double ax, double ay, double bx, double by)
{
    return ax * bx + ay * by;
}

/* Distance from point p to segment ab. */
static double point_segment(double px, double py, double ax, double ay, double bx, double by)
{
    double vx = bx - ax, vy = by - ay;
    double len2 = dot(vx, vy, vx, vy);
    double t = len2 > 0 ? CR_CLAMP(dot(px - ax, py - ay, vx, vy) / len2, 0.0, 1.0) : 0.0;
    return hypot(px - (ax + t * vx), py - (ay + t * vy));
}

static double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* Distance between segments ab and cd (0 when they cross). */
static double segment_segment(double ax, double ay, double bx, double by, double cx, double cy,
                              double dx, double dy)
{
    double o1 = orient(ax, ay, bx, by, cx, cy), o2 = orient(ax, ay, bx, by, dx, dy);
    double o3 = orient(cx, cy, dx, dy, ax, ay), o4 = orient(cx, cy, dx, dy, bx, by);
    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
        return 0.0;
    double d = point_segment(ax, ay, cx, cy, dx, dy);
    d = fmin(d, point_segment(bx, by, cx, cy, dx, dy));
    d = fmin(d, point_segment(cx, cy, ax, ay, bx, by));
    return fmin(d, point_segment(dx, dy, ax, ay, bx, by));
}

static bool eraser_touches(const struct cr_ink_stroke *s, double x0, double y0, double x1,
                           double y1, double r)
{
    double reach = r + s->width / 2.0;
    if (fmax(x0, x1) < s->min_x - reach || fmin(x0, x1) > s->max_x + reach ||
        fmax(y0, y1) < s->min_y - reach || fmin(y0, y1) > s->max_y + reach)
        return false;
    if (s->n_points == 1)
        return point_segment(s->points[0].x, s->points[0].y, x0, y0, x1, y1) <=
               r + s->width * cr_ink_width_factor(s->points[0].pressure) / 2.0;
    for (size_t i = 1; i < s->n_points; i++) {
        const struct cr_ink_point *a = &s->points[i - 1], *b = &s->points[i];
        double half = s->width * cr_ink_width_factor(fmax(a->pressure, b->pressure)) / 2.0;
        if (segment_segment(a->x, a->y, b->x, b->y, x0, y0, x1, y1) <= r + half)
            return true;
    }
    return false;
}

size_t cr_ink_erase(struct cr_ink *ink, double x0, double y0, double x1, double y1, double r)
{
    size_t n = 0;
    for (size_t i = 0; i < ink->n_strokes; i++) {
        struct cr_ink_stroke *s = ink->strokes[i];
        if (!s->alive || !eraser_touches(s, x0, y0, x1, y1, r))
            continue;
        s->alive = false;
        if (ink->n_erasing == ink->cap_erasing) {
            ink->cap_erasing = ink->cap_erasing ? ink->cap_erasing * 2 : 16;
            ink->erasing = cr_xrealloc(ink->erasing, ink->cap_erasing * sizeof(*ink->erasing));
        }
        ink->erasing[ink->n_erasing++] = s;
        n++;
    }
    if (n)
        changed(ink, true);
    return n;
}

void cr_ink_erase_commit(struct cr_ink *ink)
{
    if (ink->n_erasing == 0)
        return;
    struct cr_ink_action a = {CR_INK_ERASE, ink->erasing, ink->n_erasing};
    ink->erasing = NULL;
    ink->n_erasing = ink->cap_erasing = 0;
    push_action(ink, a);
}

void cr_ink_erase_revert(struct cr_ink *ink)
{
    if (ink->n_erasing == 0)
        return;
    for (size_t i = 0; i < ink->n_erasing; i++)
        ink->erasing[i]->alive = true;
    ink->n_erasing = 0;
    changed(ink, true);
}
