/* craie's libinput adapter on real libinput, with devices emulated by
 * umockdev (testbed.h): what a teacher's finger, pen and eraser produce,
 * what an unplug does, the quirk that makes an Epson-style pen usable, the
 * udev calibration matrix and raw positions, stable device keys. The
 * adapter runs on a GMainContext this thread iterates, as on the io thread. */
#include <linux/input.h>
#include <math.h>
#include <string.h>

#include "common/log.h"
#include "input/li_adapter.h"
#include "input/quirks.h"
#include "testbed.h"

#define WAIT_MS 3000

struct fx {
    GMainContext *ctx;
    struct cr_testbed *tb;
    struct cr_quirks *quirks;
    struct cr_li_adapter *a;
    GArray *events;  /* struct cr_input_event */
    GArray *added;   /* struct cr_input_device_info */
    GArray *removed; /* uint32_t */
    guint seen;      /* events already looked at by next_event */
};

/* ---- libinput's log, captured (the adapter routes it to module "input") ---- */

static GMutex log_lock;
static GString *log_text;

static GLogWriterOutput writer(GLogLevelFlags level, const GLogField *fields, gsize n,
                               gpointer user)
{
    const char *module = "", *msg = "";
    for (gsize i = 0; i < n; i++) {
        if (!strcmp(fields[i].key, "CRAIE_MODULE"))
            module = fields[i].value;
        else if (!strcmp(fields[i].key, "MESSAGE"))
            msg = fields[i].value;
    }
    g_mutex_lock(&log_lock);
    g_string_append_printf(log_text, "[%s] %s\n", module, msg);
    g_mutex_unlock(&log_lock);
    if (g_test_verbose())
        g_printerr("# [%s] %s\n", module, msg);
    return G_LOG_WRITER_HANDLED;
}

static bool log_has(const char *needle)
{
    g_mutex_lock(&log_lock);
    bool found = strstr(log_text->str, needle) != NULL;
    g_mutex_unlock(&log_lock);
    return found;
}

/* ---- fixture ---- */

static void on_event(void *user, const struct cr_input_event *ev)
{
    struct fx *fx = user;
    if (g_test_verbose())
        g_printerr("# event dev %u kind %d action %d slot %d hover %d raw %.4f %.4f p %.3f "
                   "buttons %x\n",
                   ev->device_id, ev->kind, ev->action, ev->slot, ev->hover, ev->raw_x, ev->raw_y,
                   ev->pressure, ev->buttons);
    g_array_append_val(fx->events, *ev);
}

static void on_added(void *user, const struct cr_input_device_info *info)
{
    struct fx *fx = user;
    g_array_append_val(fx->added, *info);
}

static void on_removed(void *user, uint32_t id)
{
    struct fx *fx = user;
    g_array_append_val(fx->removed, id);
}

static const struct cr_li_callbacks callbacks = {on_event, on_added, on_removed};

static void fx_init(struct fx *fx)
{
    GError *err = NULL;
    memset(fx, 0, sizeof(*fx));
    fx->ctx = g_main_context_new();
    fx->tb = cr_testbed_new(&err);
    g_assert_no_error(err);
    fx->events = g_array_new(FALSE, FALSE, sizeof(struct cr_input_event));
    fx->added = g_array_new(FALSE, FALSE, sizeof(struct cr_input_device_info));
    fx->removed = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_mutex_lock(&log_lock);
    g_string_truncate(log_text, 0);
    g_mutex_unlock(&log_lock);
}

static void fx_start(struct fx *fx, bool with_quirks)
{
    GError *err = NULL;
    if (with_quirks) {
        g_autofree char *path = g_build_filename(g_getenv("CRAIE_SOURCE_ROOT"), "tests", "data",
                                                 "input", "test.quirks", NULL);
        fx->quirks = cr_quirks_new();
        g_assert_true(cr_quirks_load_file(fx->quirks, path, &err));
        g_assert_no_error(err);
    }
    fx->a = cr_li_adapter_new(fx->ctx, NULL, fx->quirks, &callbacks, fx, &err);
    g_assert_no_error(err);
    g_assert_nonnull(fx->a);
}

static void fx_stop(struct fx *fx)
{
    cr_li_adapter_free(fx->a);
    fx->a = NULL;
    cr_quirks_free(fx->quirks);
    fx->quirks = NULL;
}

static void fx_clear(struct fx *fx)
{
    fx_stop(fx);
    cr_testbed_free(fx->tb);
    g_array_unref(fx->events);
    g_array_unref(fx->added);
    g_array_unref(fx->removed);
    g_main_context_unref(fx->ctx);
}

/* Runs the adapter's context for ms milliseconds. */
static void run_for(struct fx *fx, int ms)
{
    int64_t end = g_get_monotonic_time() + ms * 1000;
    while (g_get_monotonic_time() < end)
        if (!g_main_context_iteration(fx->ctx, FALSE))
            g_usleep(1000);
}

static bool run_until(struct fx *fx, GArray *a, guint len)
{
    int64_t end = g_get_monotonic_time() + WAIT_MS * 1000;
    while (a->len < len && g_get_monotonic_time() < end)
        if (!g_main_context_iteration(fx->ctx, FALSE))
            g_usleep(1000);
    return a->len >= len;
}

static const struct cr_input_device_info *wait_added(struct fx *fx)
{
    g_assert_true(run_until(fx, fx->added, fx->added->len + 1));
    return &g_array_index(fx->added, struct cr_input_device_info, fx->added->len - 1);
}

static struct cr_testbed_device *add(struct fx *fx, const char *file)
{
    GError *err = NULL;
    g_autofree char *path =
        g_build_filename(g_getenv("CRAIE_SOURCE_ROOT"), "tests", "input", "devices", file, NULL);
    struct cr_testbed_device *d = cr_testbed_add_device_file(fx->tb, path, &err);
    g_assert_no_error(err);
    g_assert_nonnull(d);
    return d;
}

/* The next event the adapter sent (waits for it). */
static struct cr_input_event next_event(struct fx *fx)
{
    if (!run_until(fx, fx->events, fx->seen + 1))
        g_error("no input event within %d ms", WAIT_MS);
    return g_array_index(fx->events, struct cr_input_event, fx->seen++);
}

/* The next event with this action, skipping others (pens send MOTIONs). */
static struct cr_input_event next_action(struct fx *fx, enum cr_input_action action)
{
    for (;;) {
        struct cr_input_event ev = next_event(fx);
        if (ev.action == action)
            return ev;
    }
}

static void no_more_events(struct fx *fx)
{
    run_for(fx, 50);
    g_assert_cmpuint(fx->events->len, ==, fx->seen);
}

#define assert_near(a, b) g_assert_cmpfloat_with_epsilon((a), (b), 1e-3)

#define frame(d, ...) g_assert_cmpint(cr_testbed_write_frame((d), CR_TB_EVENTS(__VA_ARGS__)), >, 0)

static void assert_event(const struct cr_input_event *ev, enum cr_input_kind kind,
                         enum cr_input_action action, uint32_t device, int slot, double rx,
                         double ry)
{
    g_assert_cmpint(ev->kind, ==, kind);
    g_assert_cmpint(ev->action, ==, action);
    g_assert_cmpuint(ev->device_id, ==, device);
    g_assert_cmpint(ev->slot, ==, slot);
    assert_near(ev->raw_x, rx);
    assert_near(ev->raw_y, ry);
    /* the calibration stage, not the adapter, fills x, y */
    g_assert_cmpfloat(ev->x, ==, 0);
    g_assert_cmpfloat(ev->y, ==, 0);
}

/* ---- tests ---- */

/* Two fingers on a touch screen plugged in while craie runs. */
static void test_multitouch(void)
{
    struct fx fx;
    fx_init(&fx);
    fx_start(&fx, false);
    run_for(&fx, 100);
    g_assert_cmpuint(fx.added->len, ==, 0);

    struct cr_testbed_device *ts = add(&fx, "mt-touchscreen.yml");
    const struct cr_input_device_info *info = wait_added(&fx);
    g_assert_cmpuint(info->id, ==, CR_INPUT_DEVICE_FIRST);
    g_assert_cmpstr(info->name, ==, "Test MT Touchscreen");
    g_assert_cmpstr(info->sysname, ==, "event0");
    g_assert_cmpuint(info->caps, ==, CR_INPUT_CAP_TOUCH);
    g_assert_true(info->direct);
    g_assert_true(info->calibratable);
    g_assert_cmpfloat_with_epsilon(info->width_mm, 32767.0 / 78, 1);
    g_assert_cmpfloat_with_epsilon(info->height_mm, 32767.0 / 138, 1);
    g_assert_cmpstr(info->key, ==, "222a:0001:Test_MT_Touchscreen:usb-0000_00_14.0-1_input0");
    g_assert_cmpstr(info->quirks, ==, "");
    uint32_t id = info->id;

    int64_t t0 = cr_testbed_write_frame(
        ts, CR_TB_EVENTS({EV_ABS, ABS_MT_SLOT, 0}, {EV_ABS, ABS_MT_TRACKING_ID, 1},
                         {EV_ABS, ABS_MT_POSITION_X, 8192}, {EV_ABS, ABS_MT_POSITION_Y, 8192},
                         {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_X, 8192}, {EV_ABS, ABS_Y, 8192}));
    struct cr_input_event ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_DOWN, id, 0, 0.25, 0.25);
    g_assert_cmpint(ev.time_us, ==, t0); /* the kernel's stamp */
    g_assert_cmpfloat(ev.pressure, ==, 1);

    frame(ts, {EV_ABS, ABS_MT_SLOT, 1}, {EV_ABS, ABS_MT_TRACKING_ID, 2},
          {EV_ABS, ABS_MT_POSITION_X, 24576}, {EV_ABS, ABS_MT_POSITION_Y, 16384});
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_DOWN, id, 1, 0.75, 0.5);

    frame(ts, {EV_ABS, ABS_MT_SLOT, 0}, {EV_ABS, ABS_MT_POSITION_X, 9000},
          {EV_ABS, ABS_MT_POSITION_Y, 10000}, {EV_ABS, ABS_X, 9000}, {EV_ABS, ABS_Y, 10000});
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_MOTION, id, 0, 9000 / 32768.0, 10000 / 32768.0);

    frame(ts, {EV_ABS, ABS_MT_SLOT, 1}, {EV_ABS, ABS_MT_TRACKING_ID, -1});
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_UP, id, 1, 0.75, 0.5); /* where it left */

    frame(ts, {EV_ABS, ABS_MT_SLOT, 0}, {EV_ABS, ABS_MT_TRACKING_ID, -1}, {EV_KEY, BTN_TOUCH, 0});
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_UP, id, 0, 9000 / 32768.0, 10000 / 32768.0);
    no_more_events(&fx);

    g_autoptr(GArray) devs = cr_li_adapter_devices(fx.a);
    g_assert_cmpuint(devs->len, ==, 1);
    g_assert_cmpstr(g_array_index(devs, struct cr_input_device_info, 0).key, ==,
                    "222a:0001:Test_MT_Touchscreen:usb-0000_00_14.0-1_input0");
    fx_clear(&fx);
}

/* A single-touch IR frame without resolution: slot 0, no size. */
static void test_ir_frame(void)
{
    struct fx fx;
    fx_init(&fx);
    fx_start(&fx, false);
    struct cr_testbed_device *ir = add(&fx, "ir-frame.yml");
    const struct cr_input_device_info *info = wait_added(&fx);
    g_assert_cmpuint(info->caps, ==, CR_INPUT_CAP_TOUCH);
    g_assert_true(info->direct);
    g_assert_cmpfloat(info->width_mm, ==, 0);
    uint32_t id = info->id;

    frame(ir, {EV_ABS, ABS_X, 1024}, {EV_ABS, ABS_Y, 512}, {EV_KEY, BTN_TOUCH, 1});
    struct cr_input_event ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_DOWN, id, 0, 0.5, 0.25);
    frame(ir, {EV_ABS, ABS_X, 1536}, {EV_ABS, ABS_Y, 1024});
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_MOTION, id, 0, 0.75, 0.5);
    frame(ir, {EV_KEY, BTN_TOUCH, 0});
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_UP, id, 0, 0.75, 0.5);
    no_more_events(&fx);
    fx_clear(&fx);
}

/* A projector pen: hover, tip, pressure, tilt, both barrel buttons, lift,
 * leave. Positions are checked on proximity and tip events: libinput 1.22
 * smooths the ones in between. */
static void test_pen(void)
{
    struct fx fx;
    fx_init(&fx);
    fx_start(&fx, false);
    struct cr_testbed_device *pen = add(&fx, "pen-direct.yml");
    const struct cr_input_device_info *info = wait_added(&fx);
    g_assert_cmpuint(info->caps, ==, CR_INPUT_CAP_PEN);
    g_assert_true(info->direct);
    g_assert_true(info->calibratable); /* a DIRECT tablet */
    g_assert_cmpfloat_with_epsilon(info->width_mm, 32767.0 / 16, 1);
    uint32_t id = info->id;

    frame(pen, {EV_ABS, ABS_X, 16384}, {EV_ABS, ABS_Y, 8192}, {EV_ABS, ABS_PRESSURE, 0},
          {EV_KEY, BTN_TOOL_PEN, 1});
    struct cr_input_event ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_PEN, CR_INPUT_MOTION, id, 0, 0.5, 0.25);
    g_assert_true(ev.hover);
    g_assert_cmpfloat(ev.pressure, ==, 0);

    frame(pen, {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_PRESSURE, 512});
    ev = next_action(&fx, CR_INPUT_DOWN);
    assert_event(&ev, CR_INPUT_PEN, CR_INPUT_DOWN, id, 0, 0.5, 0.25);
    g_assert_false(ev.hover);
    g_assert_cmpfloat(ev.pressure, >, 0.4);
    g_assert_cmpfloat(ev.pressure, <, 0.6);

    frame(pen, {EV_ABS, ABS_X, 20000}, {EV_ABS, ABS_TILT_X, 32}, {EV_ABS, ABS_TILT_Y, -16},
          {EV_ABS, ABS_PRESSURE, 800});
    ev = next_action(&fx, CR_INPUT_MOTION);
    g_assert_false(ev.hover);
    g_assert_cmpfloat(ev.raw_x, >, 0.5); /* moving right (smoothed) */
    g_assert_cmpfloat(ev.tilt_x, >, 0);
    g_assert_cmpfloat(ev.tilt_y, <, 0);
    g_assert_cmpfloat(ev.pressure, >, 0.7);
    /* axes are the mean of the last 4 reports: held still, they settle
     * (tilt 32 / 57 units per radian = 32.2°) */
    for (int i = 0; i < 4; i++) {
        frame(pen, {EV_ABS, ABS_X, 20001 + i});
        ev = next_action(&fx, CR_INPUT_MOTION);
    }
    g_assert_cmpfloat_with_epsilon(ev.tilt_x, 32.0 / 57 * 180 / G_PI, 0.5);
    g_assert_cmpfloat_with_epsilon(ev.tilt_y, -16.0 / 57 * 180 / G_PI, 0.5);
    g_assert_cmpfloat_with_epsilon(ev.raw_x, 20002 / 32768.0, 1e-3);

    frame(pen, {EV_KEY, BTN_STYLUS, 1});
    ev = next_action(&fx, CR_INPUT_MOTION);
    g_assert_cmpuint(ev.buttons, ==, CR_INPUT_BUTTON_STYLUS);
    frame(pen, {EV_KEY, BTN_STYLUS2, 1});
    ev = next_action(&fx, CR_INPUT_MOTION);
    g_assert_cmpuint(ev.buttons, ==, CR_INPUT_BUTTON_STYLUS | CR_INPUT_BUTTON_STYLUS2);
    frame(pen, {EV_KEY, BTN_STYLUS, 0}, {EV_KEY, BTN_STYLUS2, 0});
    ev = next_action(&fx, CR_INPUT_MOTION);
    ev = next_action(&fx, CR_INPUT_MOTION);
    g_assert_cmpuint(ev.buttons, ==, 0);

    frame(pen, {EV_ABS, ABS_X, 24576}, {EV_KEY, BTN_TOUCH, 0}, {EV_ABS, ABS_PRESSURE, 0});
    ev = next_action(&fx, CR_INPUT_UP);
    assert_event(&ev, CR_INPUT_PEN, CR_INPUT_UP, id, 0, 0.75, 0.25);
    frame(pen, {EV_KEY, BTN_TOOL_PEN, 0});
    ev = next_action(&fx, CR_INPUT_CANCEL);
    g_assert_true(ev.hover); /* the pen left the board while not touching */
    no_more_events(&fx);
    fx_clear(&fx);
}

/* The Epson-style pen without resolution: ignored by libinput as it is,
 * usable with the quirk (resolution set in the device with EVIOCSABS,
 * binary pressure replaced by the constant). */
static void test_pen_quirk(void)
{
    struct fx fx;
    struct cr_replay_absinfo abs;
    fx_init(&fx);
    fx_start(&fx, false);
    struct cr_testbed_device *pen = add(&fx, "pen-nores.yml");
    run_for(&fx, 300);
    g_assert_cmpuint(fx.added->len, ==, 0);
    g_assert_true(log_has("missing tablet capabilities"));
    g_assert_true(cr_testbed_device_absinfo(pen, ABS_X, &abs));
    g_assert_cmpint(abs.resolution, ==, 0);
    fx_stop(&fx);

    /* craie started with the quirks: the pen present at start is taken */
    fx_start(&fx, true);
    const struct cr_input_device_info *info = wait_added(&fx);
    g_assert_cmpstr(info->name, ==, "Epson BrightLink Interactive Pen");
    g_assert_cmpuint(info->caps, ==, CR_INPUT_CAP_PEN);
    g_assert_cmpstr(info->quirks, ==, "Test Epson interactive pen");
    g_assert_cmpfloat_with_epsilon(info->width_mm, 327.67, 0.1); /* 32767 / 100 */
    uint32_t id = info->id;
    g_assert_true(cr_testbed_device_absinfo(pen, ABS_X, &abs));
    g_assert_cmpint(abs.resolution, ==, 100);
    g_assert_cmpint(abs.maximum, ==, 32767);
    g_assert_true(cr_testbed_device_absinfo(pen, ABS_Y, &abs));
    g_assert_cmpint(abs.resolution, ==, 100);

    frame(pen, {EV_ABS, ABS_X, 8192}, {EV_ABS, ABS_Y, 24576}, {EV_KEY, BTN_TOOL_PEN, 1});
    struct cr_input_event ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_PEN, CR_INPUT_MOTION, id, 0, 0.25, 0.75);
    frame(pen, {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_PRESSURE, 32767});
    ev = next_action(&fx, CR_INPUT_DOWN);
    g_assert_cmpfloat(ev.pressure, ==, 0.5); /* the quirk's constant, not 1.0 */
    frame(pen, {EV_ABS, ABS_X, 9000});
    ev = next_action(&fx, CR_INPUT_MOTION);
    g_assert_cmpfloat(ev.pressure, ==, 0.5);
    g_assert_false(ev.hover);
    /* libinput takes the tip state from the pressure when there is one */
    frame(pen, {EV_KEY, BTN_TOUCH, 0}, {EV_ABS, ABS_PRESSURE, 0});
    ev = next_action(&fx, CR_INPUT_UP);
    frame(pen, {EV_KEY, BTN_TOOL_PEN, 0});
    next_action(&fx, CR_INPUT_CANCEL);
    fx_clear(&fx);
}

/* The eraser end of a pen is an eraser, the tip a pen. */
static void test_eraser(void)
{
    struct fx fx;
    fx_init(&fx);
    fx_start(&fx, false);
    struct cr_testbed_device *pen = add(&fx, "pen-eraser.yml");
    uint32_t id = wait_added(&fx)->id;

    frame(pen, {EV_ABS, ABS_X, 16384}, {EV_ABS, ABS_Y, 16384}, {EV_KEY, BTN_TOOL_RUBBER, 1});
    struct cr_input_event ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_ERASER, CR_INPUT_MOTION, id, 0, 0.5, 0.5);
    frame(pen, {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_PRESSURE, 600});
    ev = next_action(&fx, CR_INPUT_DOWN);
    g_assert_cmpint(ev.kind, ==, CR_INPUT_ERASER);
    frame(pen, {EV_KEY, BTN_TOUCH, 0}, {EV_ABS, ABS_PRESSURE, 0});
    ev = next_action(&fx, CR_INPUT_UP);
    g_assert_cmpint(ev.kind, ==, CR_INPUT_ERASER);
    frame(pen, {EV_KEY, BTN_TOOL_RUBBER, 0});
    next_action(&fx, CR_INPUT_CANCEL);

    frame(pen, {EV_KEY, BTN_TOOL_PEN, 1});
    ev = next_event(&fx);
    g_assert_cmpint(ev.kind, ==, CR_INPUT_PEN);
    frame(pen, {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_PRESSURE, 600});
    ev = next_action(&fx, CR_INPUT_DOWN);
    g_assert_cmpint(ev.kind, ==, CR_INPUT_PEN);
    fx_clear(&fx);
}

/* Unplugged in the middle of a stroke: the contacts are cancelled, then the
 * device goes; plugged back it is a new id with the same key. */
static void test_unplug(void)
{
    struct fx fx;
    fx_init(&fx);
    fx_start(&fx, false);
    struct cr_testbed_device *ts = add(&fx, "mt-touchscreen.yml");
    struct cr_testbed_device *pen = add(&fx, "pen-direct.yml");
    g_assert_true(run_until(&fx, fx.added, 2));
    struct cr_input_device_info ts_info = g_array_index(fx.added, struct cr_input_device_info, 0);
    uint32_t pen_id = g_array_index(fx.added, struct cr_input_device_info, 1).id;
    g_assert_cmpuint(pen_id, ==, ts_info.id + 1);

    frame(ts, {EV_ABS, ABS_MT_SLOT, 0}, {EV_ABS, ABS_MT_TRACKING_ID, 5},
          {EV_ABS, ABS_MT_POSITION_X, 8192}, {EV_ABS, ABS_MT_POSITION_Y, 8192},
          {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_X, 8192}, {EV_ABS, ABS_Y, 8192});
    next_action(&fx, CR_INPUT_DOWN);
    frame(pen, {EV_ABS, ABS_X, 16384}, {EV_ABS, ABS_Y, 16384}, {EV_KEY, BTN_TOOL_PEN, 1});
    frame(pen, {EV_KEY, BTN_TOUCH, 1}, {EV_ABS, ABS_PRESSURE, 500});
    next_action(&fx, CR_INPUT_DOWN);

    cr_testbed_remove_device(fx.tb, ts);
    g_assert_true(run_until(&fx, fx.removed, 1));
    g_assert_cmpuint(g_array_index(fx.removed, uint32_t, 0), ==, ts_info.id);
    struct cr_input_event ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_CANCEL, ts_info.id, 0, 0.25, 0.25);

    cr_testbed_remove_device(fx.tb, pen);
    g_assert_true(run_until(&fx, fx.removed, 2));
    g_assert_cmpuint(g_array_index(fx.removed, uint32_t, 1), ==, pen_id);
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_PEN, CR_INPUT_CANCEL, pen_id, 0, 0.5, 0.5);
    g_assert_false(ev.hover); /* it was touching */
    no_more_events(&fx);
    g_autoptr(GArray) devs = cr_li_adapter_devices(fx.a);
    g_assert_cmpuint(devs->len, ==, 0);

    /* plugged back: a new id, the same key */
    add(&fx, "mt-touchscreen.yml");
    const struct cr_input_device_info *again = wait_added(&fx);
    g_assert_cmpuint(again->id, ==, pen_id + 1);
    g_assert_cmpstr(again->key, ==, ts_info.key);
    fx_clear(&fx);
}

/* LIBINPUT_CALIBRATION_MATRIX from udev is honoured; use_raw(true) gives
 * positions before it, use_raw(false) brings it back. The key uses the
 * device's serial (uniq). */
static void test_calibration_matrix(void)
{
    struct fx fx;
    fx_init(&fx);
    struct cr_testbed_device *ts = add(&fx, "calib-touchscreen.yml");
    fx_start(&fx, false); /* present at start */
    const struct cr_input_device_info *info = wait_added(&fx);
    g_assert_cmpstr(info->key, ==, "222a:0002:Test_Calibrated_Touchscreen:CT-0042");
    g_assert_true(info->calibratable);
    uint32_t id = info->id;

    static const struct cr_testbed_event down[] = {{EV_ABS, ABS_MT_SLOT, 0},
                                                   {EV_ABS, ABS_MT_TRACKING_ID, 9},
                                                   {EV_ABS, ABS_MT_POSITION_X, 8192},
                                                   {EV_ABS, ABS_MT_POSITION_Y, 8192},
                                                   {EV_KEY, BTN_TOUCH, 1},
                                                   {EV_ABS, ABS_X, 8192},
                                                   {EV_ABS, ABS_Y, 8192}};
    static const struct cr_testbed_event up[] = {{EV_ABS, ABS_MT_TRACKING_ID, -1},
                                                 {EV_KEY, BTN_TOUCH, 0}};
    /* x' = 0.5 * 0.25 + 0.25 */
    const double expect[3] = {0.375, 0.25, 0.375};
    for (int round = 0; round < 3; round++) {
        if (round == 1)
            g_assert_true(cr_li_adapter_use_raw(fx.a, id, true));
        if (round == 2)
            g_assert_true(cr_li_adapter_use_raw(fx.a, id, false));
        g_assert_cmpint(cr_testbed_write_frame(ts, down, G_N_ELEMENTS(down)), >, 0);
        struct cr_input_event ev = next_event(&fx);
        assert_event(&ev, CR_INPUT_TOUCH, CR_INPUT_DOWN, id, 0, expect[round], expect[round]);
        g_assert_cmpint(cr_testbed_write_frame(ts, up, G_N_ELEMENTS(up)), >, 0);
        next_action(&fx, CR_INPUT_UP);
    }
    g_assert_false(cr_li_adapter_use_raw(fx.a, id + 100, true));
    fx_clear(&fx);
}

/* An IR whiteboard presenting itself as an absolute mouse. */
static void test_absolute_pointer(void)
{
    struct fx fx;
    fx_init(&fx);
    fx_start(&fx, false);
    struct cr_testbed_device *m = add(&fx, "abs-pointer.yml");
    const struct cr_input_device_info *info = wait_added(&fx);
    g_assert_cmpuint(info->caps, ==, CR_INPUT_CAP_POINTER);
    g_assert_false(info->direct);
    uint32_t id = info->id;

    frame(m, {EV_ABS, ABS_X, 2048}, {EV_ABS, ABS_Y, 1024});
    struct cr_input_event ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_POINTER, CR_INPUT_MOTION, id, 0, 0.5, 0.25);
    g_assert_true(ev.hover);
    frame(m, {EV_KEY, BTN_LEFT, 1});
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_POINTER, CR_INPUT_DOWN, id, 0, 0.5, 0.25);
    frame(m, {EV_ABS, ABS_X, 3072});
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_POINTER, CR_INPUT_MOTION, id, 0, 0.75, 0.25);
    g_assert_false(ev.hover);
    frame(m, {EV_KEY, BTN_RIGHT, 1}); /* not ours */
    frame(m, {EV_KEY, BTN_RIGHT, 0});
    frame(m, {EV_KEY, BTN_LEFT, 0});
    ev = next_event(&fx);
    assert_event(&ev, CR_INPUT_POINTER, CR_INPUT_UP, id, 0, 0.75, 0.25);
    no_more_events(&fx);
    fx_clear(&fx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    log_text = g_string_new(NULL);
    g_log_set_writer_func(writer, NULL, NULL);
    cr_log_set_verbose(g_test_verbose()); /* libinput's debug log too */
    /* libinput's complaints about test devices are expected (and checked) */
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    if (!strstr(g_getenv("LD_PRELOAD") ?: "", "umockdev")) {
        g_printerr("run with LD_PRELOAD=libumockdev-preload.so.0:<shim> (meson test does)\n");
        return 1;
    }
    g_test_add_func("/li_adapter/multitouch", test_multitouch);
    g_test_add_func("/li_adapter/ir_frame", test_ir_frame);
    g_test_add_func("/li_adapter/pen", test_pen);
    g_test_add_func("/li_adapter/pen_quirk", test_pen_quirk);
    g_test_add_func("/li_adapter/eraser", test_eraser);
    g_test_add_func("/li_adapter/unplug", test_unplug);
    g_test_add_func("/li_adapter/calibration_matrix", test_calibration_matrix);
    g_test_add_func("/li_adapter/absolute_pointer", test_absolute_pointer);
    return g_test_run();
}
