/* The calibration screen as a technician goes through it: targets in turn,
 * misclicks refused without losing progress, the verification point, the
 * result (model, accuracy, heat map), cancel at any time. Raw positions come
 * from a keystoned projector; rendering is offscreen and checked by pixels.
 * Pictures are kept in build/test-artifacts/display/. */
#include <SDL.h>
#include <glib.h>
#include <math.h>
#include <string.h>

#include "common/i18n.h"
#include "display/screen.h"
#include "display/ui/calibration_screen.h"
#include "display/ui/theme.h"
#include "tests/display/display_test.h"

#define W 1280
#define H 720

struct fixture {
    struct cr_screen screen;
    struct cr_ui ui;
    struct cr_calibration_screen cs;
    int64_t now;
};

static void setup(struct fixture *f, gconstpointer data)
{
    cr_test_screen_ui_init(&f->screen, &f->ui, W, H);
    cr_calibration_screen_init(&f->cs);
    f->now = 1000000;
}

static void teardown(struct fixture *f, gconstpointer data)
{
    cr_calibration_screen_destroy(&f->cs);
    cr_ui_destroy(&f->ui);
    cr_screen_destroy(&f->screen);
}

/* The projector's keystone: where on the pen's raw scale (0..1) a point of
 * the screen (px) is seen. A homography: the picture is narrower at the top
 * (85 % of the width) than at the bottom (98 %), with the perspective's
 * uneven row spacing. */
static void keystone(double sx, double sy, double *rx, double *ry)
{
    double u = sx / W, v = sy / H;
    double w = 1.0 - 0.13 * v;
    *rx = (0.85 * u - 0.065 * v + 0.075) / w;
    *ry = (0.7952 * v + 0.04) / w;
}

static const char *touch(struct fixture *f, double sx, double sy, bool lift)
{
    double rx, ry;
    keystone(sx, sy, &rx, &ry);
    f->now += 400000;
    struct cr_input_event ev = {.kind = CR_INPUT_PEN,
                                .action = CR_INPUT_DOWN,
                                .device_id = 20,
                                .raw_x = rx,
                                .raw_y = ry,
                                .x = rx * W, /* uncalibrated mapping, for the buttons */
                                .y = ry * H,
                                .pressure = 0.5,
                                .time_us = f->now};
    struct cr_input_device_info dev = {.id = 20,
                                       .direct = true,
                                       .calibratable = true,
                                       .width_mm = 2000,
                                       .height_mm = 1125,
                                       .caps = CR_INPUT_CAP_PEN};
    g_strlcpy(dev.name, "Test Projector Pen", sizeof(dev.name));
    g_strlcpy(dev.key, "04b8:061b:Test_Projector_Pen:phys", sizeof(dev.key));
    const char *action = cr_calibration_screen_input(&f->cs, &ev, &dev, f->now);
    if (lift) {
        ev.action = CR_INPUT_UP;
        cr_calibration_screen_input(&f->cs, &ev, &dev, f->now + 50000);
    }
    return action;
}

static SDL_Surface *render(struct fixture *f, const char *name)
{
    f->ui.now_us = f->now;
    SDL_SetRenderDrawColor(f->ui.r, 0, 0, 0, 255);
    SDL_RenderClear(f->ui.r);
    cr_calibration_screen_draw(&f->cs, &f->ui);
    return cr_test_read_back(&f->screen, name);
}

/* Pixels of the accent yellow (the current target) within r px of (x, y). */
static int yellow_near(SDL_Surface *s, double x, double y, int r)
{
    int n = 0;
    for (int j = (int)y - r; j <= (int)y + r; j++)
        for (int i = (int)x - r; i <= (int)x + r; i++)
            if (i >= 0 && j >= 0 && i < W && j < H) {
                unsigned p = cr_test_pixel(s, i, j);
                n += ((p >> 16) & 0xff) > 200 && ((p >> 8) & 0xff) > 160 && (p & 0xff) < 80;
            }
    return n;
}

static void target(struct fixture *f, double *x, double *y)
{
    g_assert_true(cr_calibration_screen_target(&f->cs, x, y));
}

static void test_full_run(struct fixture *f, gconstpointer data)
{
    g_assert_false(cr_calibration_screen_start(&f->cs, 7, W, H, f->now)); /* 4, 9 or 16 */
    g_assert_true(cr_calibration_screen_start(&f->cs, 9, W, H, f->now));
    g_assert_cmpint(f->cs.phase, ==, CR_CALIB_PHASE_COLLECT);

    double x, y;
    target(f, &x, &y);
    SDL_Surface *s = render(f, "calibration-first-target");
    g_assert_cmpint(yellow_near(s, x, y, 40), >, 50); /* the cross is where it says */
    SDL_FreeSurface(s);

    for (int i = 0; i < 9; i++) {
        target(f, &x, &y);
        g_assert_cmpuint(f->cs.index, ==, (size_t)i);
        g_assert_null(touch(f, x + 1.5, y - 1.0, true));
    }
    g_assert_cmpint(f->cs.phase, ==, CR_CALIB_PHASE_VERIFY);
    target(f, &x, &y);
    g_assert_null(touch(f, x, y, true));
    g_assert_cmpint(f->cs.phase, ==, CR_CALIB_PHASE_RESULT);
    g_assert_true(f->cs.solved);
    g_assert_true(f->cs.verify_ok);
    g_assert_cmpint(f->cs.report.chosen, !=, CR_CALIB_AFFINE); /* a keystone needs more */
    g_assert_cmpfloat(f->cs.verify_px, <, 3.0);
    g_assert_cmpfloat(f->cs.mm_per_px, >, 0); /* the pen knows the screen's size */

    JsonNode *st = cr_calibration_screen_state(&f->cs);
    JsonObject *o = json_node_get_object(st);
    g_assert_cmpstr(json_object_get_string_member(o, "phase"), ==, "result");
    g_assert_true(json_object_get_boolean_member(o, "verify_ok"));
    g_assert_true(json_object_has_member(o, "verify_mm"));
    json_node_unref(st);

    s = render(f, "calibration-result");
    /* the heat map is drawn (green over most of the screen), the Save button exists */
    int green = 0;
    for (int j = 5; j < H; j += 20)
        for (int i = 5; i < W; i += 20) {
            unsigned p = cr_test_pixel(s, i, j);
            green += ((p >> 8) & 0xff) > ((p >> 16) & 0xff) + 20;
        }
    g_assert_cmpint(green, >, 200);
    SDL_FreeSurface(s);
    struct cr_rect save = f->cs.buttons[CR_CALIB_BTN_SAVE].rect;
    g_assert_true(f->cs.buttons[CR_CALIB_BTN_SAVE].visible);
    struct cr_input_event tap = {.kind = CR_INPUT_POINTER,
                                 .action = CR_INPUT_DOWN,
                                 .raw_x = -1,
                                 .raw_y = -1,
                                 .x = save.x + save.w / 2.0,
                                 .y = save.y + save.h / 2.0};
    g_assert_cmpstr(cr_calibration_screen_input(&f->cs, &tap, NULL, f->now), ==, "calibrate save");
}

static void test_misclicks(struct fixture *f, gconstpointer data)
{
    g_assert_true(cr_calibration_screen_start(&f->cs, 4, W, H, f->now));
    double x, y;
    target(f, &x, &y);
    g_assert_null(touch(f, x, y, true));
    g_assert_cmpuint(f->cs.index, ==, 1);

    /* the same place again: a double touch, refused, progress kept */
    double px = x, py = y;
    g_assert_null(touch(f, px, py, true));
    g_assert_cmpuint(f->cs.index, ==, 1);
    g_assert_nonnull(f->cs.message);

    /* far from the target (the opposite corner): refused */
    target(f, &x, &y);
    g_assert_null(touch(f, W - x, H - y, true));
    g_assert_cmpuint(f->cs.index, ==, 1);

    /* a second contact while the first is down: refused */
    g_assert_null(touch(f, x, y, false));
    g_assert_cmpuint(f->cs.index, ==, 2);
    target(f, &x, &y);
    g_assert_null(touch(f, x, y, false));
    g_assert_cmpuint(f->cs.index, ==, 2);

    /* the message goes away by itself */
    f->now += 10 * G_USEC_PER_SEC;
    g_assert_null(cr_calibration_screen_tick(&f->cs, f->now));
    g_assert_null(f->cs.message);
}

static void test_cancel(struct fixture *f, gconstpointer data)
{
    g_assert_true(cr_calibration_screen_start(&f->cs, 9, W, H, f->now));
    SDL_FreeSurface(render(f, "calibration-cancel")); /* lays the buttons out */
    struct cr_rect cancel = f->cs.buttons[CR_CALIB_BTN_CANCEL].rect;
    g_assert_true(f->cs.buttons[CR_CALIB_BTN_CANCEL].visible);
    /* no target sits under the Cancel button */
    for (size_t i = 0; i < 9; i++)
        g_assert_false(
            cr_rect_contains(cancel, (int)f->cs.targets[i][0], (int)f->cs.targets[i][1]));
    struct cr_input_event tap = {.kind = CR_INPUT_PEN,
                                 .action = CR_INPUT_DOWN,
                                 .device_id = 20,
                                 .raw_x = 0.5,
                                 .raw_y = 0.25,
                                 .x = cancel.x + cancel.w / 2.0,
                                 .y = cancel.y + cancel.h / 2.0};
    g_assert_cmpstr(cr_calibration_screen_input(&f->cs, &tap, NULL, f->now), ==,
                    "calibrate cancel");
    /* and a minute without a touch cancels too */
    f->now += CR_CALIB_IDLE_US + 1;
    g_assert_cmpstr(cr_calibration_screen_tick(&f->cs, f->now), ==, "calibrate cancel");
}

static void test_degenerate(struct fixture *f, gconstpointer data)
{
    g_assert_true(cr_calibration_screen_start(&f->cs, 4, W, H, f->now));
    /* A pen that reports the same x everywhere (a broken axis): the screen
     * never ends in a bad calibration; either touches are refused or the
     * result says it failed and offers to start again. */
    for (int i = 0; i < 12 && f->cs.phase == CR_CALIB_PHASE_COLLECT; i++) {
        double x, y;
        target(f, &x, &y);
        f->now += 400000;
        struct cr_input_event ev = {.kind = CR_INPUT_PEN,
                                    .action = CR_INPUT_DOWN,
                                    .device_id = 21,
                                    .raw_x = 0.5,
                                    .raw_y = y / H,
                                    .x = 0.5 * W,
                                    .y = y};
        cr_calibration_screen_input(&f->cs, &ev, NULL, f->now);
        ev.action = CR_INPUT_UP;
        cr_calibration_screen_input(&f->cs, &ev, NULL, f->now);
    }
    if (f->cs.phase == CR_CALIB_PHASE_RESULT) {
        g_assert_false(f->cs.solved);
        SDL_FreeSurface(render(f, "calibration-failed"));
        g_assert_false(f->cs.buttons[CR_CALIB_BTN_SAVE].visible);
        g_assert_true(f->cs.buttons[CR_CALIB_BTN_RETRY].visible);
    } else {
        g_assert_cmpint(f->cs.phase, ==, CR_CALIB_PHASE_COLLECT);
        g_assert_cmpuint(f->cs.index, <, 4);
    }
}

int main(int argc, char **argv)
{
    cr_i18n_init("en");
    g_test_init(&argc, &argv, NULL);
    g_test_add("/calibration/full-run", struct fixture, NULL, setup, test_full_run, teardown);
    g_test_add("/calibration/misclicks", struct fixture, NULL, setup, test_misclicks, teardown);
    g_test_add("/calibration/cancel", struct fixture, NULL, setup, test_cancel, teardown);
    g_test_add("/calibration/degenerate", struct fixture, NULL, setup, test_degenerate, teardown);
    return g_test_run();
}
