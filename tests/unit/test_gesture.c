/* Gestures as the teacher makes them on the board: a tap presses a button, a
 * drag pans, holding still goes home, two fingers zoom, and nothing fires
 * twice or late. Time is driven by hand through the events and the tick. */
#include <glib.h>
#include <math.h>

#include "input/gesture.h"

#define MS 1000
#define LONG_MS 800

struct rig {
    struct cr_gesture_recognizer g;
    struct cr_gesture out[CR_GESTURE_MAX_OUT];
    size_t n;
};

static void rig_init(struct rig *r, int long_press_ms)
{
    struct cr_gesture_config cfg = {.slop_px = 24, .long_press_ms = long_press_ms};
    cr_gesture_init(&r->g, &cfg);
    r->n = 0;
}

static size_t feed(struct rig *r, enum cr_input_kind kind, enum cr_input_action action,
                   int32_t slot, double x, double y, int64_t t_ms)
{
    struct cr_input_event ev = {
        .kind = kind,
        .action = action,
        .device_id = 3,
        .slot = slot,
        .x = x,
        .y = y,
        .pressure = 1.0,
        .time_us = t_ms * MS,
    };
    r->n = cr_gesture_feed(&r->g, &ev, r->out);
    g_assert_cmpuint(r->n, <=, CR_GESTURE_MAX_OUT);
    return r->n;
}

static size_t touch(struct rig *r, enum cr_input_action action, int32_t slot, double x, double y,
                    int64_t t_ms)
{
    return feed(r, CR_INPUT_TOUCH, action, slot, x, y, t_ms);
}

static size_t tick(struct rig *r, int64_t t_ms)
{
    r->n = cr_gesture_tick(&r->g, t_ms * MS, r->out);
    g_assert_cmpuint(r->n, <=, CR_GESTURE_MAX_OUT);
    return r->n;
}

static void assert_types(const struct rig *r, size_t n, const enum cr_gesture_type *types)
{
    if (r->n != n) {
        GString *s = g_string_new(NULL);
        for (size_t i = 0; i < r->n; i++)
            g_string_append_printf(s, " %d", r->out[i].type);
        g_error("expected %zu gestures, got %zu:%s", n, r->n, s->str);
    }
    for (size_t i = 0; i < n; i++)
        g_assert_cmpint(r->out[i].type, ==, types[i]);
}

#define ASSERT_TYPES(r, ...)                                                                       \
    do {                                                                                           \
        const enum cr_gesture_type types_[] = {__VA_ARGS__};                                       \
        assert_types((r), G_N_ELEMENTS(types_), types_);                                           \
    } while (0)

#define ASSERT_NONE(r) g_assert_cmpuint((r)->n, ==, 0)

static void test_tap(void)
{
    struct rig r;
    rig_init(&r, LONG_MS);
    touch(&r, CR_INPUT_DOWN, 0, 100, 200, 0);
    ASSERT_TYPES(&r, CR_GESTURE_PRESS);
    g_assert_cmpint(r.out[0].kind, ==, CR_INPUT_TOUCH);
    g_assert_cmpfloat(r.out[0].x, ==, 100);
    g_assert_cmpfloat(r.out[0].y, ==, 200);

    /* A finger wobbles a little: still a tap, at the place it went down. */
    touch(&r, CR_INPUT_MOTION, 0, 110, 210, 40);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_MOTION, 0, 116, 214, 80);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_UP, 0, 116, 214, 120);
    ASSERT_TYPES(&r, CR_GESTURE_TAP);
    g_assert_cmpfloat(r.out[0].x, ==, 100);
    g_assert_cmpfloat(r.out[0].y, ==, 200);

    /* Nothing held: no deadline, no ring, no late gesture. */
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, 0);
    g_assert_cmpfloat(cr_gesture_long_press_progress(&r.g, 2000 * MS), ==, -1);
    tick(&r, 5000);
    ASSERT_NONE(&r);

    /* The next tap works the same. */
    touch(&r, CR_INPUT_DOWN, 4, 500, 500, 6000);
    ASSERT_TYPES(&r, CR_GESTURE_PRESS);
    touch(&r, CR_INPUT_UP, 4, 0, 0, 6100);
    ASSERT_TYPES(&r, CR_GESTURE_TAP);
    g_assert_cmpfloat(r.out[0].x, ==, 500);
}

static void test_drag(void)
{
    struct rig r;
    rig_init(&r, LONG_MS);
    touch(&r, CR_INPUT_DOWN, 0, 100, 100, 0);
    touch(&r, CR_INPUT_MOTION, 0, 115, 100, 10);
    ASSERT_NONE(&r);

    /* Past the slop: the drag begins, and its first update covers the whole
     * way from the down position so the picture follows the finger. */
    touch(&r, CR_INPUT_MOTION, 0, 140, 100, 20);
    ASSERT_TYPES(&r, CR_GESTURE_DRAG_BEGIN, CR_GESTURE_DRAG_UPDATE);
    g_assert_cmpfloat(r.out[0].x, ==, 140);
    g_assert_cmpfloat(r.out[0].start_x, ==, 100);
    g_assert_cmpfloat(r.out[0].start_y, ==, 100);
    g_assert_cmpfloat(r.out[1].dx, ==, 40);
    g_assert_cmpfloat(r.out[1].dy, ==, 0);

    /* The long press is off once the finger moved. */
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, 0);
    g_assert_cmpfloat(cr_gesture_long_press_progress(&r.g, 30 * MS), ==, -1);

    double sum_x = 40, sum_y = 0;
    /* Every motion updates, even a small one, even back inside the slop. */
    const double path[][2] = {{150, 105}, {151, 105}, {120, 90}, {100, 100}};
    for (size_t i = 0; i < G_N_ELEMENTS(path); i++) {
        touch(&r, CR_INPUT_MOTION, 0, path[i][0], path[i][1], 30 + (int64_t)i * 10);
        ASSERT_TYPES(&r, CR_GESTURE_DRAG_UPDATE);
        g_assert_cmpfloat(r.out[0].x, ==, path[i][0]);
        sum_x += r.out[0].dx;
        sum_y += r.out[0].dy;
    }
    g_assert_cmpfloat(sum_x, ==, 0);
    g_assert_cmpfloat(sum_y, ==, 0);

    /* Held long after moving: no long press. */
    tick(&r, 5000);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_UP, 0, 100, 100, 5100);
    ASSERT_TYPES(&r, CR_GESTURE_DRAG_END);
}

static void test_long_press(void)
{
    struct rig r;
    rig_init(&r, LONG_MS);
    touch(&r, CR_INPUT_DOWN, 2, 300, 300, 1000);
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, (1000 + LONG_MS) * MS);
    g_assert_cmpfloat(cr_gesture_long_press_progress(&r.g, 1000 * MS), ==, 0);
    g_assert_cmpfloat_with_epsilon(cr_gesture_long_press_progress(&r.g, 1400 * MS), 0.5, 1e-9);

    /* Small wobble does not restart or stop the ring. */
    touch(&r, CR_INPUT_MOTION, 2, 310, 295, 1500);
    ASSERT_NONE(&r);
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, (1000 + LONG_MS) * MS);

    tick(&r, 1000 + LONG_MS - 1);
    ASSERT_NONE(&r);
    tick(&r, 1000 + LONG_MS);
    ASSERT_TYPES(&r, CR_GESTURE_LONG_PRESS);
    g_assert_cmpfloat(r.out[0].start_x, ==, 300);
    g_assert_cmpfloat(r.out[0].start_y, ==, 300);

    /* Fired once: no second one, no ring, no tap on release, no drag. */
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, 0);
    g_assert_cmpfloat(cr_gesture_long_press_progress(&r.g, 2000 * MS), ==, -1);
    tick(&r, 3000);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_MOTION, 2, 600, 600, 3100);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_UP, 2, 600, 600, 3200);
    ASSERT_NONE(&r);

    /* The next touch is a fresh gesture. */
    touch(&r, CR_INPUT_DOWN, 2, 10, 10, 4000);
    ASSERT_TYPES(&r, CR_GESTURE_PRESS);
    touch(&r, CR_INPUT_UP, 2, 10, 10, 4100);
    ASSERT_TYPES(&r, CR_GESTURE_TAP);
}

static void test_long_press_late_tick(void)
{
    /* The UI thread was busy and never ticked: the teacher still held long
     * enough, so the release reports the long press, not a tap. */
    struct rig r;
    rig_init(&r, LONG_MS);
    touch(&r, CR_INPUT_DOWN, 0, 50, 50, 0);
    g_assert_cmpfloat(cr_gesture_long_press_progress(&r.g, 5000 * MS), ==, 1);
    touch(&r, CR_INPUT_UP, 0, 50, 50, LONG_MS + 100);
    ASSERT_TYPES(&r, CR_GESTURE_LONG_PRESS);

    /* Released just before the deadline: a tap. */
    touch(&r, CR_INPUT_DOWN, 0, 50, 50, 10000);
    touch(&r, CR_INPUT_UP, 0, 50, 50, 10000 + LONG_MS - 1);
    ASSERT_TYPES(&r, CR_GESTURE_TAP);
}

static void test_long_press_disabled(void)
{
    struct rig r;
    rig_init(&r, 0);
    touch(&r, CR_INPUT_DOWN, 0, 50, 50, 0);
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, 0);
    g_assert_cmpfloat(cr_gesture_long_press_progress(&r.g, 10 * MS), ==, -1);
    tick(&r, 60000);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_UP, 0, 50, 50, 60000);
    ASSERT_TYPES(&r, CR_GESTURE_TAP);
}

static void test_pinch(void)
{
    struct rig r;
    rig_init(&r, LONG_MS);
    touch(&r, CR_INPUT_DOWN, 0, 100, 100, 0);
    ASSERT_TYPES(&r, CR_GESTURE_PRESS);

    /* Second finger: the press is cancelled (no tap will come), the pinch
     * begins at the centre, and no long press can fire any more. */
    touch(&r, CR_INPUT_DOWN, 1, 300, 100, 50);
    ASSERT_TYPES(&r, CR_GESTURE_CANCEL, CR_GESTURE_PINCH_BEGIN);
    g_assert_cmpfloat(r.out[1].x, ==, 200);
    g_assert_cmpfloat(r.out[1].y, ==, 100);
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, 0);
    g_assert_cmpfloat(cr_gesture_long_press_progress(&r.g, 100 * MS), ==, -1);

    /* Spread to twice the distance: scale 2, centre moves right by 100. */
    touch(&r, CR_INPUT_MOTION, 1, 500, 100, 60);
    ASSERT_TYPES(&r, CR_GESTURE_PINCH_UPDATE);
    g_assert_cmpfloat_with_epsilon(r.out[0].scale, 2.0, 1e-9);
    g_assert_cmpfloat(r.out[0].dx, ==, 100);
    g_assert_cmpfloat(r.out[0].dy, ==, 0);
    g_assert_cmpfloat(r.out[0].x, ==, 300);

    /* Relative to the previous update: 400 -> 200 is 0.5. */
    touch(&r, CR_INPUT_MOTION, 0, 300, 100, 70);
    ASSERT_TYPES(&r, CR_GESTURE_PINCH_UPDATE);
    g_assert_cmpfloat_with_epsilon(r.out[0].scale, 0.5, 1e-9);
    g_assert_cmpfloat(r.out[0].dx, ==, 100);
    g_assert_cmpfloat(r.out[0].x, ==, 400);

    /* Both move down together: a pan with no zoom. */
    touch(&r, CR_INPUT_MOTION, 0, 300, 160, 80);
    touch(&r, CR_INPUT_MOTION, 1, 500, 160, 90);
    ASSERT_TYPES(&r, CR_GESTURE_PINCH_UPDATE);
    g_assert_cmpfloat_with_epsilon(r.out[0].scale, 200.0 / hypot(200, 60), 1e-9);
    g_assert_cmpfloat(r.out[0].y, ==, 160);

    tick(&r, 5000);
    ASSERT_NONE(&r);

    /* One finger lifts: the pinch ends, the other finger is inert. */
    touch(&r, CR_INPUT_UP, 1, 500, 160, 6000);
    ASSERT_TYPES(&r, CR_GESTURE_PINCH_END);
    touch(&r, CR_INPUT_MOTION, 0, 900, 900, 6100);
    ASSERT_NONE(&r);
    tick(&r, 20000);
    ASSERT_NONE(&r);
    g_assert_cmpfloat(cr_gesture_long_press_progress(&r.g, 20000 * MS), ==, -1);
    touch(&r, CR_INPUT_UP, 0, 900, 900, 21000);
    ASSERT_NONE(&r);

    /* All up: a new touch is a new gesture. */
    touch(&r, CR_INPUT_DOWN, 7, 10, 10, 22000);
    ASSERT_TYPES(&r, CR_GESTURE_PRESS);
    touch(&r, CR_INPUT_UP, 7, 10, 10, 22050);
    ASSERT_TYPES(&r, CR_GESTURE_TAP);
}

static void test_pinch_first_finger_lifts(void)
{
    struct rig r;
    rig_init(&r, LONG_MS);
    touch(&r, CR_INPUT_DOWN, 5, 100, 100, 0);
    /* A drag turns into a pinch when a second finger lands. */
    touch(&r, CR_INPUT_MOTION, 5, 200, 100, 10);
    ASSERT_TYPES(&r, CR_GESTURE_DRAG_BEGIN, CR_GESTURE_DRAG_UPDATE);
    touch(&r, CR_INPUT_DOWN, 9, 200, 300, 20);
    ASSERT_TYPES(&r, CR_GESTURE_CANCEL, CR_GESTURE_PINCH_BEGIN);
    g_assert_cmpfloat(r.out[1].x, ==, 200);
    g_assert_cmpfloat(r.out[1].y, ==, 200);

    /* A third finger changes nothing. */
    touch(&r, CR_INPUT_DOWN, 11, 900, 900, 30);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_MOTION, 11, 950, 900, 35);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_UP, 11, 950, 900, 40);
    ASSERT_NONE(&r);

    touch(&r, CR_INPUT_UP, 5, 200, 100, 50);
    ASSERT_TYPES(&r, CR_GESTURE_PINCH_END);
    /* The finger left behind does not start a drag nor tap on release. */
    touch(&r, CR_INPUT_MOTION, 9, 600, 600, 60);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_UP, 9, 600, 600, 70);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_DOWN, 9, 1, 1, 80);
    ASSERT_TYPES(&r, CR_GESTURE_PRESS);
}

static void test_cancel(void)
{
    struct rig r;
    rig_init(&r, LONG_MS);

    /* The device goes away mid-press: cancelled, no tap, no long press. */
    touch(&r, CR_INPUT_DOWN, 0, 100, 100, 0);
    touch(&r, CR_INPUT_CANCEL, 0, 100, 100, 100);
    ASSERT_TYPES(&r, CR_GESTURE_CANCEL);
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, 0);
    tick(&r, 5000);
    ASSERT_NONE(&r);

    /* Mid-drag: cancelled, not ended (the pan is undone, not kept). */
    touch(&r, CR_INPUT_DOWN, 0, 100, 100, 6000);
    touch(&r, CR_INPUT_MOTION, 0, 300, 100, 6010);
    touch(&r, CR_INPUT_CANCEL, 0, 300, 100, 6020);
    ASSERT_TYPES(&r, CR_GESTURE_CANCEL);
    touch(&r, CR_INPUT_UP, 0, 300, 100, 6030);
    ASSERT_NONE(&r);

    /* Mid-pinch: one cancel, then silence until all fingers are up. */
    touch(&r, CR_INPUT_DOWN, 0, 100, 100, 7000);
    touch(&r, CR_INPUT_DOWN, 1, 200, 100, 7010);
    touch(&r, CR_INPUT_CANCEL, 1, 200, 100, 7020);
    ASSERT_TYPES(&r, CR_GESTURE_CANCEL);
    touch(&r, CR_INPUT_MOTION, 0, 500, 500, 7030);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_UP, 0, 500, 500, 7040);
    ASSERT_NONE(&r);

    touch(&r, CR_INPUT_DOWN, 0, 100, 100, 8000);
    ASSERT_TYPES(&r, CR_GESTURE_PRESS);
}

static void test_pointer_and_pen(void)
{
    struct rig r;
    rig_init(&r, LONG_MS);

    /* A mouse moving with no button held is not a gesture. */
    feed(&r, CR_INPUT_POINTER, CR_INPUT_MOTION, 0, 10, 10, 0);
    ASSERT_NONE(&r);
    feed(&r, CR_INPUT_POINTER, CR_INPUT_UP, 0, 10, 10, 5);
    ASSERT_NONE(&r);

    feed(&r, CR_INPUT_POINTER, CR_INPUT_DOWN, 0, 10, 10, 10);
    ASSERT_TYPES(&r, CR_GESTURE_PRESS);
    g_assert_cmpint(r.out[0].kind, ==, CR_INPUT_POINTER);
    feed(&r, CR_INPUT_POINTER, CR_INPUT_UP, 0, 12, 12, 20);
    ASSERT_TYPES(&r, CR_GESTURE_TAP);
    g_assert_cmpint(r.out[0].kind, ==, CR_INPUT_POINTER);

    /* The pen drags like a finger and long-presses like one. */
    feed(&r, CR_INPUT_PEN, CR_INPUT_DOWN, 0, 100, 100, 100);
    feed(&r, CR_INPUT_PEN, CR_INPUT_MOTION, 0, 100, 150, 110);
    ASSERT_TYPES(&r, CR_GESTURE_DRAG_BEGIN, CR_GESTURE_DRAG_UPDATE);
    g_assert_cmpint(r.out[0].kind, ==, CR_INPUT_PEN);
    g_assert_cmpfloat(r.out[1].dy, ==, 50);
    feed(&r, CR_INPUT_PEN, CR_INPUT_UP, 0, 100, 150, 120);
    ASSERT_TYPES(&r, CR_GESTURE_DRAG_END);

    feed(&r, CR_INPUT_PEN, CR_INPUT_DOWN, 0, 100, 100, 1000);
    tick(&r, 1000 + LONG_MS);
    ASSERT_TYPES(&r, CR_GESTURE_LONG_PRESS);
    g_assert_cmpint(r.out[0].kind, ==, CR_INPUT_PEN);
    feed(&r, CR_INPUT_PEN, CR_INPUT_UP, 0, 100, 100, 3000);
    ASSERT_NONE(&r);

    /* A mouse press is never a pinch, even with a finger landing too; the
     * finger is ignored. */
    feed(&r, CR_INPUT_POINTER, CR_INPUT_DOWN, 0, 10, 10, 4000);
    touch(&r, CR_INPUT_DOWN, 1, 300, 300, 4010);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_MOTION, 1, 600, 300, 4020);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_UP, 1, 600, 300, 4030);
    ASSERT_NONE(&r);
    feed(&r, CR_INPUT_POINTER, CR_INPUT_UP, 0, 10, 10, 4040);
    ASSERT_TYPES(&r, CR_GESTURE_TAP);
}

static void test_reset(void)
{
    /* The screen changes under a held finger: its release must not tap on
     * the new screen. */
    struct rig r;
    rig_init(&r, LONG_MS);
    touch(&r, CR_INPUT_DOWN, 0, 100, 100, 0);
    cr_gesture_reset(&r.g);
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, 0);
    tick(&r, 5000);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_MOTION, 0, 400, 100, 5010);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_UP, 0, 400, 100, 5020);
    ASSERT_NONE(&r);

    /* The configuration survives a reset. */
    touch(&r, CR_INPUT_DOWN, 0, 100, 100, 6000);
    g_assert_cmpint(cr_gesture_deadline(&r.g), ==, (6000 + LONG_MS) * MS);
    touch(&r, CR_INPUT_UP, 0, 100, 100, 6010);
    ASSERT_TYPES(&r, CR_GESTURE_TAP);
}

static void test_default_slop(void)
{
    /* A zeroed config gets the documented 24 px slop. */
    struct cr_gesture_config cfg = {0};
    struct rig r;
    cr_gesture_init(&r.g, &cfg);
    touch(&r, CR_INPUT_DOWN, 0, 0, 0, 0);
    touch(&r, CR_INPUT_MOTION, 0, 24, 0, 10);
    ASSERT_NONE(&r);
    touch(&r, CR_INPUT_MOTION, 0, 25, 0, 20);
    ASSERT_TYPES(&r, CR_GESTURE_DRAG_BEGIN, CR_GESTURE_DRAG_UPDATE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gesture/tap", test_tap);
    g_test_add_func("/gesture/drag", test_drag);
    g_test_add_func("/gesture/long-press", test_long_press);
    g_test_add_func("/gesture/long-press-late-tick", test_long_press_late_tick);
    g_test_add_func("/gesture/long-press-disabled", test_long_press_disabled);
    g_test_add_func("/gesture/pinch", test_pinch);
    g_test_add_func("/gesture/pinch-first-finger-lifts", test_pinch_first_finger_lifts);
    g_test_add_func("/gesture/cancel", test_cancel);
    g_test_add_func("/gesture/pointer-and-pen", test_pointer_and_pen);
    g_test_add_func("/gesture/reset", test_reset);
    g_test_add_func("/gesture/default-slop", test_default_slop);
    return g_test_run();
}
