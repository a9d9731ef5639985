/* One gesture at a time. The first contact to go down owns the gesture
 * (points[0]); with touch, a second finger turns it into a pinch (points[1]).
 * A gesture that has ended early (long press fired, pinch ended, cancelled)
 * stays silent until every contact is up: a finger left on the board after a
 * pinch must not start a drag. contacts also counts fingers beyond the two
 * tracked, so "all up" is known. UP coordinates are not used: libinput gives
 * none for a touch going up. start_x/y is always where the first contact
 * went down. */
#include "input/gesture.h"

#include <math.h>
#include <string.h>

#define DEFAULT_SLOP_PX 24.0

void cr_gesture_init(struct cr_gesture_recognizer *g, const struct cr_gesture_config *cfg)
{
    memset(g, 0, sizeof(*g));
    if (cfg)
        g->cfg = *cfg;
    else
        g->cfg = (struct cr_gesture_config){DEFAULT_SLOP_PX, 0};
    /* The header's default: a slop of zero would turn every tap into a drag. */
    if (!(g->cfg.slop_px > 0))
        g->cfg.slop_px = DEFAULT_SLOP_PX;
    if (g->cfg.long_press_ms < 0)
        g->cfg.long_press_ms = 0;
}

void cr_gesture_reset(struct cr_gesture_recognizer *g)
{
    struct cr_gesture_config cfg = g->cfg;
    memset(g, 0, sizeof(*g));
    g->cfg = cfg;
}

/* Index in points of the contact ev is about, or -1. */
static int find_point(const struct cr_gesture_recognizer *g, const struct cr_input_event *ev)
{
    if (g->contacts == 0 || ev->kind != g->kind)
        return -1;
    for (int i = 0; i < 2; i++) {
        if (g->points[i].active && g->points[i].slot == ev->slot)
            return i;
    }
    return -1;
}

static int tracked_count(const struct cr_gesture_recognizer *g)
{
    return g->points[0].active + g->points[1].active;
}

/* A single contact held within the slop, its long press still to come. */
static bool still_press(const struct cr_gesture_recognizer *g)
{
    return g->contacts > 0 && g->points[0].active && !g->dragging && !g->pinching &&
           !g->long_fired && !g->cancelled;
}

static struct cr_gesture *emit(const struct cr_gesture_recognizer *g, struct cr_gesture *out,
                               size_t *n, enum cr_gesture_type type, double x, double y)
{
    struct cr_gesture *e = &out[(*n)++];
    *e = (struct cr_gesture){
        .type = type,
        .kind = g->kind,
        .x = x,
        .y = y,
        .start_x = g->down_x,
        .start_y = g->down_y,
        .scale = 1.0,
    };
    return e;
}

int64_t cr_gesture_deadline(const struct cr_gesture_recognizer *g)
{
    if (g->cfg.long_press_ms <= 0 || !still_press(g))
        return 0;
    int64_t deadline = g->down_us + (int64_t)g->cfg.long_press_ms * 1000;
    return deadline != 0 ? deadline : 1;
}

size_t cr_gesture_tick(struct cr_gesture_recognizer *g, int64_t now_us, struct cr_gesture *out)
{
    int64_t deadline = cr_gesture_deadline(g);
    if (deadline == 0 || now_us < deadline)
        return 0;
    size_t n = 0;
    g->long_fired = true;
    emit(g, out, &n, CR_GESTURE_LONG_PRESS, g->points[0].x, g->points[0].y);
    return n;
}

double cr_gesture_long_press_progress(const struct cr_gesture_recognizer *g, int64_t now_us)
{
    if (g->cfg.long_press_ms <= 0 || !still_press(g))
        return -1.0;
    double p = (double)(now_us - g->down_us) / ((double)g->cfg.long_press_ms * 1000.0);
    return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}

static void pinch_measure(const struct cr_gesture_recognizer *g, double *dist, double *cx,
                          double *cy)
{
    double ax = g->points[0].x, ay = g->points[0].y;
    double bx = g->points[1].x, by = g->points[1].y;
    *dist = hypot(bx - ax, by - ay);
    *cx = (ax + bx) / 2.0;
    *cy = (ay + by) / 2.0;
}

static void first_down(struct cr_gesture_recognizer *g, const struct cr_input_event *ev,
                       struct cr_gesture *out, size_t *n)
{
    cr_gesture_reset(g);
    g->contacts = 1;
    g->kind = ev->kind;
    g->points[0].active = true;
    g->points[0].slot = ev->slot;
    g->points[0].x = ev->x;
    g->points[0].y = ev->y;
    g->down_x = g->last_x = ev->x;
    g->down_y = g->last_y = ev->y;
    g->down_us = ev->time_us;
    emit(g, out, n, CR_GESTURE_PRESS, ev->x, ev->y);
}

static void other_down(struct cr_gesture_recognizer *g, const struct cr_input_event *ev,
                       struct cr_gesture *out, size_t *n)
{
    if (find_point(g, ev) >= 0)
        return; /* the same contact again: nothing new went down */
    g->contacts++;
    bool second_finger = g->contacts == 2 && tracked_count(g) == 1 && g->points[0].active &&
                         g->kind == CR_INPUT_TOUCH && ev->kind == CR_INPUT_TOUCH;
    if (!second_finger || g->long_fired || g->cancelled)
        return;
    emit(g, out, n, CR_GESTURE_CANCEL, g->points[0].x, g->points[0].y);
    g->dragging = false;
    g->pinching = true;
    g->points[1].active = true;
    g->points[1].slot = ev->slot;
    g->points[1].x = ev->x;
    g->points[1].y = ev->y;
    pinch_measure(g, &g->pinch_dist, &g->pinch_cx, &g->pinch_cy);
    emit(g, out, n, CR_GESTURE_PINCH_BEGIN, g->pinch_cx, g->pinch_cy);
}

static void motion(struct cr_gesture_recognizer *g, int i, const struct cr_input_event *ev,
                   struct cr_gesture *out, size_t *n)
{
    g->points[i].x = ev->x;
    g->points[i].y = ev->y;
    if (g->cancelled || g->long_fired)
        return;
    if (g->pinching) {
        double dist, cx, cy;
        pinch_measure(g, &dist, &cx, &cy);
        struct cr_gesture *e = emit(g, out, n, CR_GESTURE_PINCH_UPDATE, cx, cy);
        e->scale = g->pinch_dist > 0.0 && dist > 0.0 ? dist / g->pinch_dist : 1.0;
        e->dx = cx - g->pinch_cx;
        e->dy = cy - g->pinch_cy;
        /* A pinch through a single point has no scale: keep the last
         * distance so the next update is measured against something. */
        if (dist > 0.0)
            g->pinch_dist = dist;
        g->pinch_cx = cx;
        g->pinch_cy = cy;
        return;
    }
    if (!g->dragging) {
        if (hypot(ev->x - g->down_x, ev->y - g->down_y) <= g->cfg.slop_px)
            return;
        g->dragging = true;
        emit(g, out, n, CR_GESTURE_DRAG_BEGIN, ev->x, ev->y);
    }
    /* The first update is measured from the down position, so a drag
     * follows the finger exactly, slop included. */
    struct cr_gesture *e = emit(g, out, n, CR_GESTURE_DRAG_UPDATE, ev->x, ev->y);
    e->dx = ev->x - g->last_x;
    e->dy = ev->y - g->last_y;
    g->last_x = ev->x;
    g->last_y = ev->y;
}

/* An untracked contact went away (a third finger, a touch while the pointer
 * is down): only the count changes. */
static void forget_untracked(struct cr_gesture_recognizer *g)
{
    if (g->contacts > tracked_count(g))
        g->contacts--;
}

static void end_contact(struct cr_gesture_recognizer *g, int i)
{
    g->points[i].active = false;
    g->contacts--;
    if (g->contacts <= 0)
        cr_gesture_reset(g);
}

static void up(struct cr_gesture_recognizer *g, int i, struct cr_gesture *out, size_t *n)
{
    if (g->pinching) {
        emit(g, out, n, CR_GESTURE_PINCH_END, g->pinch_cx, g->pinch_cy);
        g->pinching = false;
        g->cancelled = true;
    } else if (!g->cancelled && !g->long_fired) {
        if (g->dragging)
            emit(g, out, n, CR_GESTURE_DRAG_END, g->last_x, g->last_y);
        else
            emit(g, out, n, CR_GESTURE_TAP, g->down_x, g->down_y);
    }
    end_contact(g, i);
}

static void cancel(struct cr_gesture_recognizer *g, int i, struct cr_gesture *out, size_t *n)
{
    if (!g->cancelled && !g->long_fired)
        emit(g, out, n, CR_GESTURE_CANCEL, g->points[i].x, g->points[i].y);
    g->pinching = false;
    g->dragging = false;
    g->cancelled = true;
    end_contact(g, i);
}

size_t cr_gesture_feed(struct cr_gesture_recognizer *g, const struct cr_input_event *ev,
                       struct cr_gesture *out)
{
    /* A long press whose deadline passed before this event counts even if
     * the tick came late: the teacher did hold still for long enough. */
    size_t n = cr_gesture_tick(g, ev->time_us, out);

    int i = find_point(g, ev);
    switch (ev->action) {
    case CR_INPUT_DOWN:
        if (g->contacts == 0)
            first_down(g, ev, out, &n);
        else
            other_down(g, ev, out, &n);
        break;
    case CR_INPUT_MOTION:
        if (i >= 0)
            motion(g, i, ev, out, &n);
        break;
    case CR_INPUT_UP:
        if (i >= 0)
            up(g, i, out, &n);
        else
            forget_untracked(g);
        break;
    case CR_INPUT_CANCEL:
        if (i >= 0)
            cancel(g, i, out, &n);
        else
            forget_untracked(g);
        break;
    }
    return n;
}
