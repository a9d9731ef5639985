/* End to end with an emulated pen: the real craie opens an evdev pen through
 * libinput (umockdev testbed, tests/input/testbed.h), offers to calibrate
 * it, is calibrated by pen taps on the targets it shows, at the positions a
 * keystoned projector's pen reports there, then the pen writes on the
 * whiteboard and the ink lands within 3 px of where the pen pointed. */
#include <glib.h>
#include <linux/input.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/e2e.h"
#include "testbed.h"

#define W 1280
#define H 720

static struct cr_testbed *tb;
static struct cr_testbed_device *pen;
static struct cr_replay_absinfo ax, ay, ap;

/* The projector keystone (see test_e2e_calibration.c), to device units. */
static void keystone_units(double sx, double sy, int *x, int *y)
{
    double u = sx / W, v = sy / H;
    double w = 1.0 - 0.13 * v;
    double rx = (0.85 * u - 0.065 * v + 0.075) / w, ry = (0.7952 * v + 0.04) / w;
    *x = ax.minimum + (int)lround(rx * (ax.maximum - ax.minimum + 1));
    *y = ay.minimum + (int)lround(ry * (ay.maximum - ay.minimum + 1));
}

static void frame_at(double sx, double sy, int touch, int pressure, int tool)
{
    int x, y;
    keystone_units(sx, sy, &x, &y);
    struct cr_testbed_event ev[5] = {
        {EV_ABS, ABS_X, x}, {EV_ABS, ABS_Y, y}, {EV_ABS, ABS_PRESSURE, pressure}};
    size_t n = 3;
    if (touch >= 0)
        ev[n++] = (struct cr_testbed_event){EV_KEY, BTN_TOUCH, touch};
    if (tool >= 0)
        ev[n++] = (struct cr_testbed_event){EV_KEY, BTN_TOOL_PEN, tool};
    g_assert_cmpint(cr_testbed_write_frame(pen, ev, n), >, 0);
    g_usleep(8000); /* a pen reports at about 120 Hz */
}

/* Proximity, tip down, tip up, out, at one point. */
static void pen_tap(double sx, double sy)
{
    frame_at(sx, sy, -1, 0, 1);
    frame_at(sx, sy, 1, 600, -1);
    frame_at(sx, sy, 0, 0, -1);
    frame_at(sx, sy, -1, 0, 0);
}

static bool pen_known(void *data)
{
    JsonObject *s = e2e_state();
    JsonArray *devs = json_object_get_array_member(s, "input_devices");
    bool ok = false;
    for (guint i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);
        ok |=
            json_object_get_boolean_member(d, "pen") && json_object_get_boolean_member(d, "direct");
    }
    json_object_unref(s);
    return ok;
}

static bool has_stroke(void *data)
{
    JsonObject *s = e2e_state();
    JsonNode *ink = json_object_get_member(s, "ink");
    bool ok = ink && JSON_NODE_HOLDS_OBJECT(ink) &&
              json_object_get_int_member(json_node_get_object(ink), "strokes") >= 1;
    json_object_unref(s);
    return ok;
}

/* The panel on show, by what its main button does. */
static bool notice_does(const char *action)
{
    JsonObject *s = e2e_state();
    JsonNode *n = json_object_get_member(s, "notice");
    bool ok = n && JSON_NODE_HOLDS_OBJECT(n) &&
              !g_strcmp0(json_object_get_string_member(json_node_get_object(n), "action"), action);
    json_object_unref(s);
    return ok;
}

static bool offer_shown(void *data)
{
    return notice_does("calibrate start");
}

static void test_start(void)
{
    GError *err = NULL;
    tb = cr_testbed_new(&err);
    g_assert_no_error(err);
    g_autofree char *state_dir = g_build_filename(e2e_tmp_dir, "state", NULL);
    g_autofree char *state_arg = g_strdup_printf("--paths.state_dir=%s", state_dir);
    const char *args[] = {state_arg, NULL};
    e2e_start_craie(args, NULL);
    g_assert_true(e2e_wait_for(e2e_socket_ready, NULL, 20000));

    /* the teacher is answering another question when the pen is plugged in */
    E2E_OK("open", "whiteboard");
    E2E_OK("drag", "200", "400", "800", "400", "200", "mouse");
    g_assert_true(e2e_wait_for(has_stroke, NULL, 5000));
    E2E_OK("ink", "clear", "ask");
    g_assert_true(notice_does("ink clear"));

    /* plugged in while craie runs */
    g_autofree char *spec = g_build_filename(g_getenv("CRAIE_SOURCE_ROOT"), "tests", "input",
                                             "devices", "pen-direct.yml", NULL);
    pen = cr_testbed_add_device_file(tb, spec, &err);
    g_assert_no_error(err);
    g_assert_true(cr_testbed_device_absinfo(pen, ABS_X, &ax));
    g_assert_true(cr_testbed_device_absinfo(pen, ABS_Y, &ay));
    g_assert_true(cr_testbed_device_absinfo(pen, ABS_PRESSURE, &ap));
    g_assert_true(cr_testbed_device_wait_open(pen, 10000));
    g_assert_true(e2e_wait_for(pen_known, NULL, 10000));

    /* the offer waits for the question to be answered, it is not lost */
    g_assert_true(notice_does("ink clear"));
    E2E_OK("dismiss");
    E2E_OK("ink", "clear");
    g_assert_true(e2e_wait_for(offer_shown, NULL, 5000));
}

static void test_offer_and_calibrate(void)
{
    /* a never-calibrated on-screen pen: craie offers to calibrate it */
    JsonObject *s = e2e_state();
    g_assert_false(JSON_NODE_HOLDS_NULL(json_object_get_member(s, "notice")));
    json_object_unref(s);
    SDL_Surface *sh = e2e_screenshot("pen-offer");
    SDL_FreeSurface(sh);
    e2e_tap_button("calibrate start");

    for (int step = 0; step < 10; step++) {
        s = e2e_state();
        JsonObject *c = json_object_get_object_member(s, "calibration");
        g_assert_nonnull(c);
        g_assert_cmpstr(json_object_get_string_member(c, "phase"), ==,
                        step < 9 ? "collect" : "verify");
        gint64 index = json_object_get_int_member(c, "index");
        JsonObject *t = json_object_get_object_member(c, "target");
        double x = json_object_get_double_member(t, "x"), y = json_object_get_double_member(t, "y");
        json_object_unref(s);
        pen_tap(x, y);
        /* the events cross the io thread: wait for the screen to move on */
        gint64 give_up = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
        for (;;) {
            s = e2e_state();
            c = json_object_get_object_member(s, "calibration");
            bool moved = step == 9
                             ? !g_strcmp0(json_object_get_string_member(c, "phase"), "result")
                             : json_object_get_int_member(c, "index") > index ||
                                   g_strcmp0(json_object_get_string_member(c, "phase"), "collect");
            const char *msg = json_object_get_string_member(c, "message");
            if (msg && *msg)
                g_error("step %d refused: %s", step, msg);
            json_object_unref(s);
            if (moved)
                break;
            if (g_get_monotonic_time() > give_up)
                g_error("step %d: the pen's tap was not taken in 10 s", step);
            g_usleep(20000);
        }
    }
    s = e2e_state();
    JsonObject *c = json_object_get_object_member(s, "calibration");
    g_assert_cmpstr(json_object_get_string_member(c, "phase"), ==, "result");
    g_assert_true(json_object_get_boolean_member(c, "verify_ok"));
    g_assert_cmpstr(json_object_get_string_member(c, "model"), !=, "affine");
    g_printerr(
        "calibration: %s, mean %.2f px, verify %.2f px (%.2f mm)\n",
        json_object_get_string_member(c, "model"), json_object_get_double_member(c, "mean_px"),
        json_object_get_double_member(c, "verify_px"),
        json_object_has_member(c, "verify_mm") ? json_object_get_double_member(c, "verify_mm")
                                               : -1.0);
    json_object_unref(s);
    sh = e2e_screenshot("pen-calibration-result");
    SDL_FreeSurface(sh);
    e2e_tap_button("calibrate save");

    /* stored for the next start, with the udev export request beside it */
    g_autofree char *store =
        g_build_filename(e2e_tmp_dir, "state", "calibration", "calibrations.conf", NULL);
    g_autofree char *rules =
        g_build_filename(e2e_tmp_dir, "state", "calibration", "libinput.rules", NULL);
    g_assert_true(g_file_test(store, G_FILE_TEST_EXISTS));
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(rules, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "LIBINPUT_CALIBRATION_MATRIX"));
}

static void test_ink_lands_under_the_pen(void)
{
    E2E_OK("open", "whiteboard");
    SDL_Surface *before = e2e_screenshot("pen-whiteboard-empty");
    const double y0 = 150, x0 = 200, x1 = 1080;
    const int steps = 90;
    frame_at(x0, y0, -1, 0, 1);
    frame_at(x0, y0, 1, 500, -1);
    for (int i = 1; i <= steps; i++)
        frame_at(x0 + (x1 - x0) * i / steps, y0, -1, 500, -1);
    frame_at(x1, y0, 0, 0, -1);
    frame_at(x1, y0, -1, 0, 0);
    g_assert_true(e2e_wait_for(has_stroke, NULL, 5000));
    SDL_Surface *after = e2e_screenshot("pen-whiteboard-stroke");

    double worst = 0;
    for (int x = (int)x0 + 20; x <= (int)x1 - 20; x += 8) {
        double sum = 0;
        int n = 0;
        /* a band of 240 px around the pen's line: the toolbar's buttons
         * (Undo becomes enabled) and toasts change elsewhere */
        for (int y = (int)y0 - 120; y < (int)y0 + 120; y++) {
            int a[3], b[3];
            e2e_rgb(before, x, y, a);
            e2e_rgb(after, x, y, b);
            if (abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]) > 90) {
                sum += y;
                n++;
            }
        }
        g_assert_cmpint(n, >, 0);
        g_assert_cmpint(n, <, 40);
        worst = fmax(worst, fabs(sum / n - y0));
    }
    g_printerr("ink: worst offset from the pen %.2f px\n", worst);
    g_assert_cmpfloat(worst, <=, 3.0);
    SDL_FreeSurface(before);
    SDL_FreeSurface(after);
}

static bool notice_shown(void *data)
{
    JsonObject *s = e2e_state();
    bool ok = !JSON_NODE_HOLDS_NULL(json_object_get_member(s, "notice"));
    json_object_unref(s);
    return ok;
}

/* The teacher's taps on the colour buttons land, every time, 20 px right
 * and 15 px below their centres (a calibration gone stale): craie offers to
 * calibrate again. Taps scattered around the centres would not. */
static void test_drift_offers_recalibration(void)
{
    static const char *const colours[] = {"ink color black", "ink color blue", "ink color red",
                                          "ink color green"};
    for (int i = 0; i < 12 && !notice_shown(NULL); i++) {
        JsonObject *s = e2e_state();
        JsonObject *b = e2e_button(s, colours[i % 4]);
        g_assert_nonnull(b);
        struct e2e_rect r = e2e_member_rect(b, "rect");
        json_object_unref(s);
        pen_tap(r.x + r.w / 2.0 + 20, r.y + r.h / 2.0 + 15);
        g_usleep(100000);
    }
    g_assert_true(e2e_wait_for(notice_shown, NULL, 3000));
    SDL_Surface *sh = e2e_screenshot("pen-drift-offer");
    SDL_FreeSurface(sh);
    JsonObject *s = e2e_state();
    g_assert_nonnull(e2e_button(s, "calibrate start"));
    json_object_unref(s);
    E2E_OK("dismiss");
}

static bool pen_gone(void *data)
{
    return !pen_known(data);
}

static void test_unplug_and_quit(void)
{
    cr_testbed_remove_device(tb, pen);
    g_assert_true(e2e_wait_for(pen_gone, NULL, 10000));
    e2e_quit();
    cr_testbed_free(tb);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    int skip = e2e_init("e2e-pen");
    if (skip)
        return skip;
    g_test_add_func("/e2e-pen/start", test_start);
    g_test_add_func("/e2e-pen/offer-and-calibrate", test_offer_and_calibrate);
    g_test_add_func("/e2e-pen/ink-lands-under-the-pen", test_ink_lands_under_the_pen);
    g_test_add_func("/e2e-pen/drift-offers-recalibration", test_drift_offers_recalibration);
    g_test_add_func("/e2e-pen/unplug-and-quit", test_unplug_and_quit);
    int rc = g_test_run();
    e2e_finish();
    return rc;
}
