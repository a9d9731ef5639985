/* Makes the `libinput record` files of tests/data/input/: the real
 * `libinput record` (libinput-tools) records emulated devices (testbed.h)
 * while this program plays scripted sessions on them in real time.
 *
 *   LD_PRELOAD=libumockdev-preload.so.0:build/tests/input/libcr-umockdev-shim.so \
 *       build/tests/input/make-recordings tests/data/input
 *
 * Sessions:
 *   touch-session.yml   two fingers pinch, then one finger swipes
 *   pen-session.yml     a pen hovers, writes a stroke, presses its button
 *   two-devices.yml     a finger taps while a pen writes (touch + pen)
 *   calib9-pen.yml      a pen taps the 9 / 16 targets of a calibration on a
 *   calib16-pen.yml     keystoned projector; the targets and where the pen
 *                       touched are in calibN-pen.targets beside them */
#include <linux/input.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testbed.h"

#define FRAME_US 10000 /* a 100 Hz device */
#define UNITS 32768.0  /* 0..32767 axes: normalised = value / 32768 */

static const char *src_dir;
static struct cr_testbed *tb;
static int64_t next_due;

/* Writes a frame on a 10 ms schedule. */
static void frame(struct cr_testbed_device *d, const struct cr_testbed_event *ev, size_t n)
{
    int64_t now = g_get_monotonic_time();
    if (next_due > now)
        g_usleep((gulong)(next_due - now));
    if (cr_testbed_write_frame(d, ev, n) < 0)
        g_error("cannot write to %s", cr_testbed_device_node(d));
    next_due = MAX(next_due, now) + FRAME_US;
}

#define FRAME(d, ...) frame((d), CR_TB_EVENTS(__VA_ARGS__))

static void pause_ms(int ms)
{
    next_due += (int64_t)ms * 1000;
}

static struct cr_testbed_device *add(const char *file)
{
    GError *err = NULL;
    g_autofree char *path = g_build_filename(src_dir, "tests", "input", "devices", file, NULL);
    struct cr_testbed_device *d = cr_testbed_add_device_file(tb, path, &err);
    if (!d)
        g_error("%s: %s", path, err->message);
    return d;
}

/* Starts `libinput record` on the devices; returns its pid once it has them
 * open. */
static GPid record(const char *out, struct cr_testbed_device **devs, int n)
{
    GError *err = NULL;
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, "libinput");
    g_ptr_array_add(argv, "record");
    if (n > 1)
        g_ptr_array_add(argv, "--multiple");
    g_ptr_array_add(argv, "-o");
    g_ptr_array_add(argv, (char *)out);
    for (int i = 0; i < n; i++)
        g_ptr_array_add(argv, (char *)cr_testbed_device_node(devs[i]));
    g_ptr_array_add(argv, NULL);
    GPid pid;
    if (!g_spawn_async(NULL, (char **)argv->pdata, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &err))
        g_error("libinput record: %s", err->message);
    g_ptr_array_free(argv, TRUE);
    for (int i = 0; i < n; i++)
        if (!cr_testbed_device_wait_open(devs[i], 5000))
            g_error("libinput record did not open %s", cr_testbed_device_node(devs[i]));
    g_usleep(200000);
    next_due = g_get_monotonic_time();
    return pid;
}

static void stop(GPid pid, const char *out)
{
    int status;
    g_usleep(300000);
    kill(pid, SIGINT);
    waitpid(pid, &status, 0);
    g_spawn_close_pid(pid);
    if (!g_file_test(out, G_FILE_TEST_EXISTS))
        g_error("libinput record wrote no %s", out);
    printf("wrote %s\n", out);
}

static void finger_down(struct cr_testbed_device *d, int slot, int id, int x, int y)
{
    FRAME(d, {EV_ABS, ABS_MT_SLOT, slot}, {EV_ABS, ABS_MT_TRACKING_ID, id},
          {EV_ABS, ABS_MT_POSITION_X, x}, {EV_ABS, ABS_MT_POSITION_Y, y}, {EV_KEY, BTN_TOUCH, 1},
          {EV_ABS, ABS_X, x}, {EV_ABS, ABS_Y, y});
}

static void touch_session(const char *dir)
{
    struct cr_testbed_device *ts = add("mt-touchscreen.yml");
    g_autofree char *out = g_build_filename(dir, "touch-session.yml", NULL);
    GPid pid = record(out, &ts, 1);
    /* pinch: fingers at 0.3 and 0.7 of the width come together to 0.45/0.55 */
    finger_down(ts, 0, 10, 9830, 16384);
    FRAME(ts, {EV_ABS, ABS_MT_SLOT, 1}, {EV_ABS, ABS_MT_TRACKING_ID, 11},
          {EV_ABS, ABS_MT_POSITION_X, 22938}, {EV_ABS, ABS_MT_POSITION_Y, 16384});
    for (int i = 1; i <= 20; i++) {
        int dx = i * 246; /* 20 steps of 0.0075 */
        FRAME(ts, {EV_ABS, ABS_MT_SLOT, 0}, {EV_ABS, ABS_MT_POSITION_X, 9830 + dx},
              {EV_ABS, ABS_X, 9830 + dx}, {EV_ABS, ABS_MT_SLOT, 1},
              {EV_ABS, ABS_MT_POSITION_X, 22938 - dx});
    }
    FRAME(ts, {EV_ABS, ABS_MT_SLOT, 1}, {EV_ABS, ABS_MT_TRACKING_ID, -1});
    FRAME(ts, {EV_ABS, ABS_MT_SLOT, 0}, {EV_ABS, ABS_MT_TRACKING_ID, -1}, {EV_KEY, BTN_TOUCH, 0});
    pause_ms(300);
    /* swipe: one finger from 0.2 to 0.8 across the middle */
    finger_down(ts, 0, 12, 6554, 16384);
    for (int i = 1; i <= 30; i++)
        FRAME(ts, {EV_ABS, ABS_MT_POSITION_X, 6554 + i * 655}, {EV_ABS, ABS_X, 6554 + i * 655});
    FRAME(ts, {EV_ABS, ABS_MT_TRACKING_ID, -1}, {EV_KEY, BTN_TOUCH, 0});
    stop(pid, out);
    cr_testbed_remove_device(tb, ts);
}

/* A stroke: hover in at (x0, y), tip down, move to x1, tip up, out. */
static void pen_stroke(struct cr_testbed_device *pen, int x0, int x1, int y, int steps)
{
    FRAME(pen, {EV_ABS, ABS_X, x0}, {EV_ABS, ABS_Y, y}, {EV_ABS, ABS_PRESSURE, 0},
          {EV_KEY, BTN_TOOL_PEN, 1});
    FRAME(pen, {EV_ABS, ABS_X, x0 + 1});
    FRAME(pen, {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_PRESSURE, 400});
    for (int i = 1; i <= steps; i++)
        FRAME(pen, {EV_ABS, ABS_X, x0 + (x1 - x0) * i / steps},
              {EV_ABS, ABS_Y, y + (int)(1200 * sin(i * 0.3))}, {EV_ABS, ABS_PRESSURE, 400 + i});
    FRAME(pen, {EV_KEY, BTN_TOUCH, 0}, {EV_ABS, ABS_PRESSURE, 0});
    FRAME(pen, {EV_KEY, BTN_TOOL_PEN, 0});
}

static void pen_session(const char *dir)
{
    struct cr_testbed_device *pen = add("pen-direct.yml");
    g_autofree char *out = g_build_filename(dir, "pen-session.yml", NULL);
    GPid pid = record(out, &pen, 1);
    pen_stroke(pen, 6554, 26214, 16384, 40); /* 0.2 → 0.8 at mid height */
    pause_ms(200);
    /* hover and press the barrel button */
    FRAME(pen, {EV_ABS, ABS_X, 16384}, {EV_ABS, ABS_Y, 8192}, {EV_KEY, BTN_TOOL_PEN, 1});
    FRAME(pen, {EV_ABS, ABS_X, 16390});
    FRAME(pen, {EV_KEY, BTN_STYLUS, 1});
    FRAME(pen, {EV_ABS, ABS_X, 16400});
    FRAME(pen, {EV_KEY, BTN_STYLUS, 0});
    FRAME(pen, {EV_KEY, BTN_TOOL_PEN, 0});
    stop(pid, out);
    cr_testbed_remove_device(tb, pen);
}

static void two_devices(const char *dir)
{
    struct cr_testbed_device *devs[2] = {add("mt-touchscreen.yml"), add("pen-direct.yml")};
    g_autofree char *out = g_build_filename(dir, "two-devices.yml", NULL);
    GPid pid = record(out, devs, 2);
    struct cr_testbed_device *ts = devs[0], *pen = devs[1];
    /* the pen writes along the top third while a finger taps the bottom left */
    FRAME(pen, {EV_ABS, ABS_X, 6554}, {EV_ABS, ABS_Y, 10923}, {EV_KEY, BTN_TOOL_PEN, 1});
    FRAME(pen, {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_PRESSURE, 500});
    for (int i = 1; i <= 30; i++) {
        FRAME(pen, {EV_ABS, ABS_X, 6554 + i * 500});
        if (i == 10)
            finger_down(ts, 0, 20, 4096, 28672); /* (0.125, 0.875) */
        if (i == 15)
            FRAME(ts, {EV_ABS, ABS_MT_TRACKING_ID, -1}, {EV_KEY, BTN_TOUCH, 0});
    }
    FRAME(pen, {EV_KEY, BTN_TOUCH, 0}, {EV_ABS, ABS_PRESSURE, 0});
    FRAME(pen, {EV_KEY, BTN_TOOL_PEN, 0});
    stop(pid, out);
    cr_testbed_remove_device(tb, ts);
    cr_testbed_remove_device(tb, pen);
}

/* The keystone: where the corners of the projected image fall on the pen's
 * sensor (normalised), as with a projector above the board tilted down and
 * a little turned. screen → raw is the homography of the unit square onto
 * this quad. */
static const double quad[4][2] = {
    {0.12, 0.08}, /* top left */
    {0.90, 0.05}, /* top right */
    {0.84, 0.93}, /* bottom right */
    {0.17, 0.90}, /* bottom left */
};

/* Heckbert's square-to-quad mapping. */
static void keystone(double u, double v, double *rx, double *ry)
{
    double x0 = quad[0][0], y0 = quad[0][1], x1 = quad[1][0], y1 = quad[1][1];
    double x2 = quad[2][0], y2 = quad[2][1], x3 = quad[3][0], y3 = quad[3][1];
    double sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;
    double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
    double den = dx1 * dy2 - dx2 * dy1;
    double g = (sx * dy2 - dx2 * sy) / den, h = (dx1 * sy - sx * dy1) / den;
    double a = x1 - x0 + g * x1, b = x3 - x0 + h * x3, c = x0;
    double d = y1 - y0 + g * y1, e = y3 - y0 + h * y3, f = y0;
    double w = g * u + h * v + 1;
    *rx = (a * u + b * v + c) / w;
    *ry = (d * u + e * v + f) / w;
}

static void calib_session(const char *dir, int grid)
{
    const int width = 1920, height = 1080;
    struct cr_testbed_device *pen = add("pen-direct.yml");
    g_autofree char *name = g_strdup_printf("calib%d-pen", grid * grid);
    g_autofree char *out = g_strdup_printf("%s/%s.yml", dir, name);
    g_autofree char *side = g_strdup_printf("%s/%s.targets", dir, name);
    GString *targets = g_string_new(NULL);
    g_string_append_printf(targets,
                           "# %d-point calibration of a keystoned projector pen (%s.yml).\n"
                           "# Output %dx%d; targets on a %dx%d grid inset 12.5 %% from the "
                           "edges,\n# row by row from the top left, tapped in that order.\n"
                           "# Pen corners of the image (normalised): TL %.2f,%.2f TR %.2f,%.2f "
                           "BR %.2f,%.2f BL %.2f,%.2f\n"
                           "# screen_x screen_y (px)  raw_x raw_y (device-normalised, as "
                           "libinput reports them)\n",
                           grid * grid, name, width, height, grid, grid, quad[0][0], quad[0][1],
                           quad[1][0], quad[1][1], quad[2][0], quad[2][1], quad[3][0], quad[3][1]);
    GPid pid = record(out, &pen, 1);
    for (int j = 0; j < grid; j++) {
        for (int i = 0; i < grid; i++) {
            double u = 0.125 + 0.75 * i / (grid - 1), v = 0.125 + 0.75 * j / (grid - 1);
            double rx, ry;
            keystone(u, v, &rx, &ry);
            int x = (int)lround(rx * UNITS), y = (int)lround(ry * UNITS);
            g_string_append_printf(targets, "%.1f %.1f %.6f %.6f\n", u * width, v * height,
                                   x / UNITS, y / UNITS);
            /* approach from above left, tap, hold still, lift, leave */
            FRAME(pen, {EV_ABS, ABS_X, x - 300}, {EV_ABS, ABS_Y, y - 300},
                  {EV_ABS, ABS_PRESSURE, 0}, {EV_KEY, BTN_TOOL_PEN, 1});
            FRAME(pen, {EV_ABS, ABS_X, x - 100}, {EV_ABS, ABS_Y, y - 100});
            FRAME(pen, {EV_ABS, ABS_X, x}, {EV_ABS, ABS_Y, y});
            FRAME(pen, {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_PRESSURE, 600});
            for (int k = 0; k < 5; k++)
                FRAME(pen, {EV_ABS, ABS_PRESSURE, 601 + k});
            FRAME(pen, {EV_KEY, BTN_TOUCH, 0}, {EV_ABS, ABS_PRESSURE, 0});
            FRAME(pen, {EV_ABS, ABS_Y, y - 200});
            FRAME(pen, {EV_KEY, BTN_TOOL_PEN, 0});
            pause_ms(150);
        }
    }
    stop(pid, out);
    if (!g_file_set_contents(side, targets->str, -1, NULL))
        g_error("cannot write %s", side);
    printf("wrote %s\n", side);
    g_string_free(targets, TRUE);
    cr_testbed_remove_device(tb, pen);
}

int main(int argc, char **argv)
{
    GError *err = NULL;
    if (argc != 2) {
        fprintf(stderr, "usage: make-recordings OUTDIR (see the top of make_recordings.c)\n");
        return 2;
    }
    src_dir = g_getenv("CRAIE_SOURCE_ROOT") ?: ".";
    tb = cr_testbed_new(&err);
    if (!tb)
        g_error("%s", err->message);
    touch_session(argv[1]);
    pen_session(argv[1]);
    two_devices(argv[1]);
    calib_session(argv[1], 3);
    calib_session(argv[1], 4);
    cr_testbed_free(tb);
    return 0;
}
