/* End to end: a keystoned projector pen is calibrated on the board, then
 * writes on the whiteboard, and the ink lands under the pen.
 *
 * The pen here is the control socket's (`craiectl pen down|move|up`), which
 * enters craie where libinput's events do, as a device-normalised position.
 * The projector's keystone is applied to every position the "pen" reports:
 * the test touches the targets the screen shows (read from get_state) at the
 * distorted positions a real uncalibrated pen would report there. The same
 * run with an emulated evdev pen through libinput is in
 * tests/input/ (test_e2e_pen_calibration). */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/e2e.h"

#define W 1280
#define H 720

/* Where an uncalibrated pen reports a touch at screen point (sx, sy): a
 * projector keystone (a homography: 85 % of the width at the top, 98 % at
 * the bottom, uneven row spacing). */
static void keystone(double sx, double sy, double *rx, double *ry)
{
    double u = sx / W, v = sy / H;
    double w = 1.0 - 0.13 * v;
    *rx = (0.85 * u - 0.065 * v + 0.075) / w * W;
    *ry = (0.7952 * v + 0.04) / w * H;
}

static void pen(const char *action, double sx, double sy)
{
    double rx, ry;
    keystone(sx, sy, &rx, &ry);
    char x[32], y[32];
    g_ascii_formatd(x, sizeof(x), "%.2f", rx);
    g_ascii_formatd(y, sizeof(y), "%.2f", ry);
    E2E_OK("pen", action, x, y, "0.7");
}

static JsonObject *calibration(JsonObject *s)
{
    JsonNode *n = json_object_get_member(s, "calibration");
    g_assert_nonnull(n);
    return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static void test_start(void)
{
    g_autofree char *state_dir = g_build_filename(e2e_tmp_dir, "state", NULL);
    g_autofree char *state_arg = g_strdup_printf("--paths.state_dir=%s", state_dir);
    const char *args[] = {"--input.libinput=false", state_arg, NULL};
    e2e_start_craie(args, NULL);
    g_assert_true(e2e_wait_for(e2e_socket_ready, NULL, 20000));
}

static void test_calibrate_keystone(void)
{
    E2E_OK("calibrate", "start", "9");
    for (int step = 0; step < 10; step++) {
        JsonObject *s = e2e_state();
        JsonObject *c = calibration(s);
        g_assert_nonnull(c);
        const char *phase = json_object_get_string_member(c, "phase");
        g_assert_cmpstr(phase, ==, step < 9 ? "collect" : "verify");
        JsonObject *t = json_object_get_object_member(c, "target");
        double x = json_object_get_double_member(t, "x"), y = json_object_get_double_member(t, "y");
        json_object_unref(s);
        if (step == 0) {
            SDL_Surface *sh = e2e_screenshot("calibration-target-1");
            SDL_FreeSurface(sh);
        }
        pen("down", x, y);
        pen("up", x, y);
    }
    JsonObject *s = e2e_state();
    JsonObject *c = calibration(s);
    g_assert_cmpstr(json_object_get_string_member(c, "phase"), ==, "result");
    g_assert_true(json_object_get_boolean_member(c, "solved"));
    g_assert_true(json_object_get_boolean_member(c, "verify_ok"));
    g_assert_cmpstr(json_object_get_string_member(c, "model"), !=, "affine");
    g_assert_cmpfloat(json_object_get_double_member(c, "verify_px"), <, 2.0);
    g_printerr("calibration: %s, mean %.2f px, verify %.2f px\n",
               json_object_get_string_member(c, "model"),
               json_object_get_double_member(c, "mean_px"),
               json_object_get_double_member(c, "verify_px"));
    json_object_unref(s);
    SDL_Surface *sh = e2e_screenshot("calibration-result");
    SDL_FreeSurface(sh);
    e2e_tap_button("calibrate save");
    s = e2e_state();
    g_assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(s, "calibration")));
    json_object_unref(s);
}

/* The rows of the stroke: for each column of the line, the centre of the
 * pixels that changed between the two pictures. */
static void test_ink_lands_under_the_pen(void)
{
    E2E_OK("open", "whiteboard");
    SDL_Surface *before = e2e_screenshot("whiteboard-empty");
    /* A stroke across the board, near the top where the keystone is worst. */
    const double y0 = 150, x0 = 200, x1 = 1080;
    const int steps = 60;
    pen("down", x0, y0);
    for (int i = 1; i <= steps; i++)
        pen("move", x0 + (x1 - x0) * i / steps, y0);
    pen("up", x1, y0);
    SDL_Surface *after = e2e_screenshot("whiteboard-stroke");

    int columns = 0;
    double worst = 0;
    for (int x = (int)x0 + 20; x <= (int)x1 - 20; x += 8) {
        double sum = 0;
        int n = 0;
        /* a band of 120 px around the pen's line: the toolbar's buttons
         * (Undo becomes enabled) and the toast saying the calibration was
         * saved (gone by the second picture on a slow run) change elsewhere */
        for (int y = (int)y0 - 60; y < (int)y0 + 60; y++) {
            int a[3], b[3];
            e2e_rgb(before, x, y, a);
            e2e_rgb(after, x, y, b);
            if (abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]) > 90) {
                sum += y;
                n++;
            }
        }
        g_assert_cmpint(n, >, 0);  /* ink in every column along the stroke */
        g_assert_cmpint(n, <, 40); /* and only there */
        double off = fabs(sum / n - y0);
        worst = fmax(worst, off);
        columns++;
    }
    g_printerr("ink: %d columns, worst offset from the pen %.2f px\n", columns, worst);
    g_assert_cmpfloat(worst, <=, 3.0);
    SDL_FreeSurface(before);
    SDL_FreeSurface(after);
}

static gint64 strokes(void)
{
    JsonObject *s = e2e_state();
    gint64 n = json_object_get_int_member(json_object_get_object_member(s, "ink"), "strokes");
    json_object_unref(s);
    return n;
}

/* Fingers from the control socket: they do not write on the board, and a
 * finger on a button presses it. */
static void test_fingers(void)
{
    gint64 before = strokes();
    g_assert_cmpint(before, >=, 1);
    E2E_OK("touch", "down", "0", "300", "400");
    E2E_OK("touch", "move", "0", "500", "420");
    E2E_OK("touch", "up", "0", "700", "440");
    g_assert_cmpint(strokes(), ==, before);
    g_assert_cmpint(e2e_ctl(NULL, NULL, "touch", "wiggle", "0", "1", "1", NULL), !=, 0);
    g_assert_cmpint(e2e_ctl(NULL, NULL, "touch", "down", "0", "99999", "1", NULL), !=, 0);

    JsonObject *s = e2e_state();
    struct e2e_rect r = e2e_member_rect(e2e_button(s, "ink undo"), "rect");
    json_object_unref(s);
    g_autofree char *x = g_strdup_printf("%d", r.x + r.w / 2);
    g_autofree char *y = g_strdup_printf("%d", r.y + r.h / 2);
    E2E_OK("touch", "down", "1", x, y);
    E2E_OK("touch", "up", "1", x, y);
    g_assert_cmpint(strokes(), ==, before - 1);
}

static void test_quit(void)
{
    e2e_quit();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    int skip = e2e_init("e2e-calibration");
    if (skip)
        return skip;
    g_test_add_func("/e2e-calibration/start", test_start);
    g_test_add_func("/e2e-calibration/calibrate-keystone", test_calibrate_keystone);
    g_test_add_func("/e2e-calibration/ink-lands-under-the-pen", test_ink_lands_under_the_pen);
    g_test_add_func("/e2e-calibration/fingers", test_fingers);
    g_test_add_func("/e2e-calibration/quit", test_quit);
    int rc = g_test_run();
    e2e_finish();
    return rc;
}
