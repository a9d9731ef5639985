/* The latest-frame mailbox between a camera thread and the UI: the picture
 * on the projector is always the newest one, the UI is woken once per frame
 * it can show, and no frame (a camera buffer) is ever leaked or freed twice. */
#include <glib.h>

#include "display/frame.h"
#include "display/frame_slot.h"

#define STRESS_FRAMES 10000

/* Release callbacks, per frame index: each must reach exactly 1. */
static gint released[STRESS_FRAMES];
static uint8_t pixels[4 * 2 * 2];

static void count_release(void *opaque)
{
    g_atomic_int_inc(&released[GPOINTER_TO_INT(opaque)]);
}

static void reset_released(void)
{
    for (int i = 0; i < STRESS_FRAMES; i++)
        g_atomic_int_set(&released[i], 0);
}

static int release_count(int index)
{
    return g_atomic_int_get(&released[index]);
}

/* A 2x2 RGBA frame standing for a camera buffer; seq = index. */
static struct cr_frame *counted_frame(int index)
{
    uint8_t *planes[1] = {pixels};
    int strides[1] = {8};
    struct cr_frame *f = cr_frame_new_wrapped(CR_PIXEL_RGBA, 2, 2, 1, planes, strides,
                                              count_release, GINT_TO_POINTER(index));
    f->seq = (uint64_t)index;
    return f;
}

struct notify_counter {
    gint calls;
};

static void on_new_frame(void *userdata)
{
    struct notify_counter *c = userdata;
    g_atomic_int_inc(&c->calls);
}

static const struct cr_frame_slot_callbacks cbs = {.on_new_frame = on_new_frame};

static void assert_stats(struct cr_frame_slot *slot, uint64_t pushed, uint64_t dropped)
{
    uint64_t p = 0, d = 0;
    cr_frame_slot_stats(slot, &p, &d);
    g_assert_cmpuint(p, ==, pushed);
    g_assert_cmpuint(d, ==, dropped);
}

static void test_newest_wins(void)
{
    struct notify_counter nc = {0};
    struct cr_frame_slot slot;
    reset_released();
    cr_frame_slot_init(&slot, &cbs, &nc);

    g_assert_null(cr_frame_slot_take(&slot));
    g_assert_cmpint(nc.calls, ==, 0);

    /* Three frames arrive while the UI is busy: it is woken once. */
    for (int i = 0; i < 3; i++)
        cr_frame_slot_push(&slot, counted_frame(i));
    g_assert_cmpint(nc.calls, ==, 1);
    assert_stats(&slot, 3, 2);
    /* The two it will never show went back to the camera at once. */
    g_assert_cmpint(release_count(0), ==, 1);
    g_assert_cmpint(release_count(1), ==, 1);
    g_assert_cmpint(release_count(2), ==, 0);

    /* It shows the newest. */
    struct cr_frame *f = cr_frame_slot_take(&slot);
    g_assert_nonnull(f);
    g_assert_cmpuint(f->seq, ==, 2);
    g_assert_null(cr_frame_slot_take(&slot));
    g_assert_cmpint(release_count(2), ==, 0);
    cr_frame_unref(f);
    g_assert_cmpint(release_count(2), ==, 1);

    /* Taking re-arms the wake-up: the next frame wakes the UI again, once. */
    cr_frame_slot_push(&slot, counted_frame(3));
    g_assert_cmpint(nc.calls, ==, 2);
    cr_frame_slot_push(&slot, counted_frame(4));
    g_assert_cmpint(nc.calls, ==, 2);
    assert_stats(&slot, 5, 3);
    f = cr_frame_slot_take(&slot);
    g_assert_cmpuint(f->seq, ==, 4);
    cr_frame_unref(f);

    cr_frame_slot_destroy(&slot);
    for (int i = 0; i < 5; i++)
        g_assert_cmpint(release_count(i), ==, 1);
}

static void test_take_without_frame_rearms(void)
{
    /* The UI may take when woken by something else: the next push must
     * still wake it. */
    struct notify_counter nc = {0};
    struct cr_frame_slot slot;
    reset_released();
    cr_frame_slot_init(&slot, &cbs, &nc);
    cr_frame_slot_push(&slot, counted_frame(0));
    cr_frame_unref(cr_frame_slot_take(&slot));
    g_assert_null(cr_frame_slot_take(&slot));
    cr_frame_slot_push(&slot, counted_frame(1));
    g_assert_cmpint(nc.calls, ==, 2);
    cr_frame_slot_destroy(&slot);
    g_assert_cmpint(release_count(0), ==, 1);
    g_assert_cmpint(release_count(1), ==, 1);
}

static void test_clear(void)
{
    struct notify_counter nc = {0};
    struct cr_frame_slot slot;
    reset_released();
    cr_frame_slot_init(&slot, &cbs, &nc);
    cr_frame_slot_push(&slot, counted_frame(0));

    /* Clearing (camera switched) frees the frame but is not a drop. */
    cr_frame_slot_clear(&slot);
    g_assert_cmpint(release_count(0), ==, 1);
    assert_stats(&slot, 1, 0);
    g_assert_null(cr_frame_slot_take(&slot));

    /* And the next frame wakes the UI again. */
    cr_frame_slot_push(&slot, counted_frame(1));
    g_assert_cmpint(nc.calls, ==, 2);
    assert_stats(&slot, 2, 0);
    cr_frame_slot_clear(&slot);
    cr_frame_slot_clear(&slot); /* empty: harmless */
    assert_stats(&slot, 2, 0);

    cr_frame_slot_destroy(&slot);
    g_assert_cmpint(release_count(0), ==, 1);
    g_assert_cmpint(release_count(1), ==, 1);
}

static void test_close(void)
{
    struct notify_counter nc = {0};
    struct cr_frame_slot slot;
    reset_released();
    cr_frame_slot_init(&slot, &cbs, &nc);
    cr_frame_slot_push(&slot, counted_frame(0));

    /* Shutting down: the held frame goes back at once. */
    cr_frame_slot_close(&slot);
    g_assert_cmpint(release_count(0), ==, 1);
    g_assert_null(cr_frame_slot_take(&slot));

    /* A camera still streaming has its frames released at once, and the
     * UI is not woken for them. */
    cr_frame_slot_push(&slot, counted_frame(1));
    cr_frame_slot_push(&slot, counted_frame(2));
    g_assert_cmpint(release_count(1), ==, 1);
    g_assert_cmpint(release_count(2), ==, 1);
    g_assert_cmpint(nc.calls, ==, 1);
    g_assert_null(cr_frame_slot_take(&slot));

    cr_frame_slot_destroy(&slot);
    for (int i = 0; i < 3; i++)
        g_assert_cmpint(release_count(i), ==, 1);
}

static void test_destroy_releases(void)
{
    struct cr_frame_slot slot;
    reset_released();
    /* No callbacks at all is allowed. */
    cr_frame_slot_init(&slot, NULL, NULL);
    cr_frame_slot_push(&slot, counted_frame(0));
    cr_frame_slot_push(&slot, counted_frame(1));
    g_assert_cmpint(release_count(1), ==, 0);
    cr_frame_slot_destroy(&slot);
    g_assert_cmpint(release_count(0), ==, 1);
    g_assert_cmpint(release_count(1), ==, 1);
}

static void test_frame_kept_by_ui(void)
{
    /* The UI keeps a ref of the frame on screen (for a snapshot) while the
     * slot moves on: the pixels stay until both let go. */
    struct cr_frame_slot slot;
    reset_released();
    cr_frame_slot_init(&slot, NULL, NULL);
    cr_frame_slot_push(&slot, counted_frame(0));
    struct cr_frame *shown = cr_frame_slot_take(&slot);
    struct cr_frame *kept = cr_frame_ref(shown);
    cr_frame_unref(shown);
    g_assert_cmpint(release_count(0), ==, 0);
    cr_frame_slot_push(&slot, counted_frame(1));
    cr_frame_slot_destroy(&slot);
    g_assert_cmpint(release_count(0), ==, 0);
    cr_frame_unref(kept);
    g_assert_cmpint(release_count(0), ==, 1);
    g_assert_cmpint(release_count(1), ==, 1);
}

struct producer {
    struct cr_frame_slot *slot;
    gint done;
};

static gpointer produce(gpointer data)
{
    struct producer *p = data;
    for (int i = 0; i < STRESS_FRAMES; i++) {
        cr_frame_slot_push(p->slot, counted_frame(i));
        if (i % 64 == 0)
            g_thread_yield();
    }
    g_atomic_int_set(&p->done, 1);
    return NULL;
}

static void test_two_threads(void)
{
    struct notify_counter nc = {0};
    struct cr_frame_slot slot;
    reset_released();
    cr_frame_slot_init(&slot, &cbs, &nc);
    struct producer p = {&slot, 0};

    GThread *t = g_thread_new("cr-test-push", produce, &p);
    uint64_t taken = 0;
    int64_t last_seq = -1;
    for (;;) {
        bool done = g_atomic_int_get(&p.done);
        struct cr_frame *f = cr_frame_slot_take(&slot);
        if (f) {
            /* Frames only ever go forward in time. */
            g_assert_cmpint((int64_t)f->seq, >, last_seq);
            last_seq = (int64_t)f->seq;
            taken++;
            cr_frame_unref(f);
        } else if (done) {
            break;
        } else {
            g_thread_yield();
        }
    }
    g_thread_join(t);
    struct cr_frame *f = cr_frame_slot_take(&slot);
    if (f) {
        g_assert_cmpint((int64_t)f->seq, >, last_seq);
        last_seq = (int64_t)f->seq;
        taken++;
        cr_frame_unref(f);
    }

    uint64_t pushed = 0, dropped = 0;
    cr_frame_slot_stats(&slot, &pushed, &dropped);
    g_assert_cmpuint(pushed, ==, STRESS_FRAMES);
    g_assert_cmpuint(pushed, ==, taken + dropped);
    g_assert_cmpint(last_seq, ==, STRESS_FRAMES - 1);
    /* One wake-up per frame the UI got: none piled up, none lost. */
    g_assert_cmpuint((uint64_t)g_atomic_int_get(&nc.calls), ==, taken);
    g_test_message("taken %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT, taken, dropped);

    cr_frame_slot_destroy(&slot);
    for (int i = 0; i < STRESS_FRAMES; i++) {
        if (release_count(i) != 1)
            g_error("frame %d released %d times", i, release_count(i));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/frame-slot/newest-wins", test_newest_wins);
    g_test_add_func("/frame-slot/take-without-frame-rearms", test_take_without_frame_rearms);
    g_test_add_func("/frame-slot/clear", test_clear);
    g_test_add_func("/frame-slot/close", test_close);
    g_test_add_func("/frame-slot/destroy-releases", test_destroy_releases);
    g_test_add_func("/frame-slot/frame-kept-by-ui", test_frame_kept_by_ui);
    g_test_add_func("/frame-slot/two-threads", test_two_threads);
    return g_test_run();
}
