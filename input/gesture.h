/* Gesture recognition on craie's input events (pure, unit-tested): tap,
 * drag, long press (the escape gesture: hold anywhere to go home) and
 * two-finger pinch. Time comes from the events and from cr_gesture_tick(), so
 * tests drive it without a clock. */
#ifndef CR_GESTURE_H
#define CR_GESTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input/input_event.h"

enum cr_gesture_type {
    CR_GESTURE_PRESS,       /* a first contact went down (button highlight) */
    CR_GESTURE_TAP,         /* released near where it went down, before the long press */
    CR_GESTURE_DRAG_BEGIN,  /* moved beyond the slop: x,y = current, start_x/y = where it began */
    CR_GESTURE_DRAG_UPDATE, /* dx, dy since the previous update */
    CR_GESTURE_DRAG_END,
    CR_GESTURE_LONG_PRESS,   /* held still for long_press_ms: fired while still held */
    CR_GESTURE_PINCH_BEGIN,  /* a second finger: x,y = centre */
    CR_GESTURE_PINCH_UPDATE, /* scale relative to the previous update, dx, dy of the centre */
    CR_GESTURE_PINCH_END,
    CR_GESTURE_CANCEL, /* whatever was in progress ends without effect */
};

struct cr_gesture {
    enum cr_gesture_type type;
    enum cr_input_kind kind;
    double x, y;
    double start_x, start_y;
    double dx, dy;
    double scale;
};

struct cr_gesture_config {
    double slop_px;    /* movement that still counts as a tap / still press (default 24) */
    int long_press_ms; /* 0 disables the long press */
};

#define CR_GESTURE_MAX_OUT 4

struct cr_gesture_recognizer {
    struct cr_gesture_config cfg;
    /* implementation state (see gesture.c) */
    int contacts;
    struct {
        bool active;
        int32_t slot;
        double x, y;
    } points[2];
    enum cr_input_kind kind;
    double down_x, down_y, last_x, last_y;
    int64_t down_us;
    bool dragging, pinching, long_fired, cancelled;
    double pinch_dist, pinch_cx, pinch_cy;
};

void cr_gesture_init(struct cr_gesture_recognizer *g, const struct cr_gesture_config *cfg);
/* Feeds one event; writes at most CR_GESTURE_MAX_OUT gestures to out and
 * returns how many. */
size_t cr_gesture_feed(struct cr_gesture_recognizer *g, const struct cr_input_event *ev,
                       struct cr_gesture *out);
/* When cr_gesture_tick() must run next (µs, monotonic), or 0 for never. */
int64_t cr_gesture_deadline(const struct cr_gesture_recognizer *g);
/* Emits time-driven gestures (the long press). */
size_t cr_gesture_tick(struct cr_gesture_recognizer *g, int64_t now_us, struct cr_gesture *out);
/* Progress of a long press in progress, 0..1, or -1 when none (for the
 * on-screen ring that tells the teacher what is happening). */
double cr_gesture_long_press_progress(const struct cr_gesture_recognizer *g, int64_t now_us);
/* Forgets every contact (screen change, device gone). */
void cr_gesture_reset(struct cr_gesture_recognizer *g);

#endif
