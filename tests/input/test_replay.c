/* `libinput record` files: parsed (input/replay.c), turned back into
 * emulated devices and replayed through real libinput and craie's adapter
 * in real time. The recordings in tests/data/input/ were made by the real
 * `libinput record` (make_recordings.c); the calibration sessions come with
 * the targets the pen tapped (calibN-pen.targets). Also: the emulated
 * kernel keeps EVIOCSABS per device, as the quirks rely on. */
#include <fcntl.h>
#include <linux/input.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/log.h"
#include "input/li_adapter.h"
#include "input/replay.h"
#include "testbed.h"

#define WAIT_MS 3000
#define assert_near(a, b) g_assert_cmpfloat_with_epsilon((a), (b), 1e-3)

static char *data_path(const char *name)
{
    return g_build_filename(g_getenv("CRAIE_SOURCE_ROOT"), "tests", "data", "input", name, NULL);
}

static struct cr_replay *load(const char *name)
{
    GError *err = NULL;
    g_autofree char *path = data_path(name);
    struct cr_replay *r = cr_replay_load_file(path, &err);
    g_assert_no_error(err);
    g_assert_nonnull(r);
    return r;
}

/* ---- the parser ---- */

static void test_parse_recording(void)
{
    struct cr_replay *r = load("two-devices.yml");
    g_assert_cmpstr(r->libinput_version, ==, "1.22.1");
    g_assert_cmpuint(r->n_devices, ==, 2);

    const struct cr_replay_device *ts = &r->devices[0], *pen = &r->devices[1];
    g_assert_cmpstr(ts->name, ==, "Test MT Touchscreen");
    g_assert_cmpstr(ts->phys, ==, ""); /* libinput record does not keep it */
    g_assert_cmpuint(ts->bustype, ==, 3);
    g_assert_cmpuint(ts->vendor, ==, 0x222a);
    g_assert_cmpuint(ts->product, ==, 1);
    g_assert_true(cr_replay_device_has(ts, EV_ABS, ABS_MT_SLOT));
    g_assert_true(cr_replay_device_has(ts, EV_KEY, BTN_TOUCH));
    g_assert_false(cr_replay_device_has(ts, EV_KEY, BTN_TOOL_PEN));
    g_assert_false(cr_replay_device_has(ts, EV_REL, REL_X));
    g_assert_cmpint(ts->absinfo[ABS_MT_SLOT].maximum, ==, 9);
    g_assert_cmpint(ts->absinfo[ABS_X].resolution, ==, 78);
    g_assert_true(ts->props[0] & (1u << INPUT_PROP_DIRECT));
    g_assert_cmpstr(cr_replay_device_udev_property(ts, "ID_INPUT_TOUCHSCREEN"), ==, "1");
    g_assert_null(cr_replay_device_udev_property(ts, "ID_INPUT_TABLET"));
    g_assert_cmpint(cr_replay_device_event_number(ts), >=, 0);

    g_assert_true(cr_replay_device_has(pen, EV_KEY, BTN_TOOL_PEN));
    g_assert_cmpint(pen->absinfo[ABS_PRESSURE].maximum, ==, 1023);
    g_assert_cmpuint(pen->n_events, ==, 72);
    /* times from the recording's start, one time base for both devices
     * (the pen started first), frames closed by SYN_REPORT */
    g_assert_cmpint(pen->events[0].time_us, >=, 0);
    g_assert_cmpint(pen->events[0].time_us, <, ts->events[0].time_us);
    const struct cr_replay_event *last = &pen->events[pen->n_events - 1];
    g_assert_cmpuint(last->type, ==, EV_SYN);
    g_assert_cmpuint(last->code, ==, SYN_REPORT);
    g_assert_cmpint(last->time_us, >, 300000);
    for (size_t i = 1; i < pen->n_events; i++)
        g_assert_cmpint(pen->events[i].time_us, >=, pen->events[i - 1].time_us);
    cr_replay_free(r);
}

static void test_parse_errors(void)
{
    static const struct {
        const char *yaml, *error;
    } cases[] = {
        {"version: 1\ndevices: []\n", "without devices"},
        {"version: 2\ndevices: []\n", "out of range"},
        {"[1, 2]\n", "not a libinput recording"},
        {"version: 1\ndevices:\n- node: /dev/input/event0\n  evdev:\n    name: x\n"
         "    id: [3, 1, 2]\n    codes: {0: [0]}\n",
         "line 6"},
        {"version: 1\ndevices:\n- node: /dev/input/event0\n  evdev:\n    name: x\n"
         "    id: [3, 1, 2, 3]\n    codes: {0: [0], 1: [9999]}\n",
         "out of range"},
        {"version: 1\ndevices: [\n", "line"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GError *err = NULL;
        struct cr_replay *r = cr_replay_load_data(cases[i].yaml, strlen(cases[i].yaml), &err);
        g_assert_null(r);
        g_assert_nonnull(err);
        if (!strstr(err->message, cases[i].error))
            g_error("case %zu: \"%s\" does not say \"%s\"", i, err->message, cases[i].error);
        g_error_free(err);
    }
}

/* A time before the first event, as libinput 1.22 writes it in
 * multi-device recordings: wrapped u64 microseconds split in sec/usec. */
static void test_parse_wrapped_time(void)
{
    static const char yaml[] = "version: 1\ndevices:\n- node: /dev/input/event7\n  evdev:\n"
                               "    name: \"w\"\n    id: [3, 1, 2, 3]\n    codes: {0: [0]}\n"
                               "  events:\n  - evdev:\n"
                               "    - [18446744073709, 551116, 0, 0, 0]\n"
                               "    - [1, 5, 0, 0, 0]\n";
    GError *err = NULL;
    struct cr_replay *r = cr_replay_load_data(yaml, sizeof(yaml) - 1, &err);
    g_assert_no_error(err);
    g_assert_cmpint(r->devices[0].events[0].time_us, ==, -500);
    g_assert_cmpint(r->devices[0].events[1].time_us, ==, 1000005);
    g_assert_cmpint(cr_replay_device_event_number(&r->devices[0]), ==, 7);
    cr_replay_free(r);
}

/* ---- the emulated kernel ---- */

/* EVIOCSABS on one open file of a device changes what EVIOCGABS answers on
 * every other, like the kernel (and unlike umockdev's reply files). */
static void test_eviocsabs(void)
{
    GError *err = NULL;
    struct cr_testbed *tb = cr_testbed_new(&err);
    g_assert_no_error(err);
    g_autofree char *path = g_build_filename(g_getenv("CRAIE_SOURCE_ROOT"), "tests", "input",
                                             "devices", "pen-nores.yml", NULL);
    struct cr_testbed_device *d = cr_testbed_add_device_file(tb, path, &err);
    g_assert_no_error(err);
    const char *node = cr_testbed_device_node(d);
    int a = open(node, O_RDWR | O_NONBLOCK), b = open(node, O_RDONLY | O_NONBLOCK);
    g_assert_cmpint(a, >=, 0);
    g_assert_cmpint(b, >=, 0);

    struct input_absinfo abs;
    g_assert_cmpint(ioctl(b, EVIOCGABS(ABS_X), &abs), ==, 0);
    g_assert_cmpint(abs.maximum, ==, 32767);
    g_assert_cmpint(abs.resolution, ==, 0);
    abs.resolution = 100;
    g_assert_cmpint(ioctl(a, EVIOCSABS(ABS_X), &abs), ==, 0);
    memset(&abs, 0, sizeof(abs));
    g_assert_cmpint(ioctl(b, EVIOCGABS(ABS_X), &abs), ==, 0);
    g_assert_cmpint(abs.resolution, ==, 100);
    g_assert_cmpint(abs.maximum, ==, 32767);
    g_assert_cmpint(ioctl(b, EVIOCGABS(ABS_Y), &abs), ==, 0);
    g_assert_cmpint(abs.resolution, ==, 0);

    /* what the kernel refuses */
    g_assert_cmpint(ioctl(a, EVIOCSABS(ABS_MT_SLOT), &abs), ==, -1);
    g_assert_cmpint(errno, ==, EINVAL);
    /* the rest of evdev's answers, sized by the caller */
    char name[8];
    g_assert_cmpint(ioctl(a, EVIOCGNAME(sizeof(name)), name), ==, 8);
    g_assert_cmpmem(name, 8, "Epson Br", 8);
    struct input_id id;
    g_assert_cmpint(ioctl(a, EVIOCGID, &id), ==, 0);
    g_assert_cmpuint(id.vendor, ==, 0x04b8);
    unsigned long keys[KEY_CNT / (8 * sizeof(long))] = {0};
    g_assert_cmpint(ioctl(a, EVIOCGBIT(EV_KEY, sizeof(keys)), keys), ==, sizeof(keys));
    g_assert_true(keys[BTN_TOOL_PEN / 64] & (1ul << (BTN_TOOL_PEN % 64)));
    g_assert_cmpint(ioctl(a, EVIOCGUNIQ(sizeof(name)), name), ==, -1);
    g_assert_cmpint(errno, ==, ENOENT);

    close(a);
    close(b);
    struct cr_replay_absinfo seen;
    g_assert_true(cr_testbed_device_absinfo(d, ABS_X, &seen));
    g_assert_cmpint(seen.resolution, ==, 100);
    cr_testbed_free(tb);
}

/* ---- replays through the adapter ---- */

struct player {
    GMainContext *ctx;
    struct cr_testbed *tb;
    struct cr_li_adapter *a;
    GArray *events; /* struct cr_input_event */
    GArray *added;  /* struct cr_input_device_info */
};

static void on_event(void *user, const struct cr_input_event *ev)
{
    struct player *p = user;
    g_array_append_val(p->events, *ev);
}

static void on_added(void *user, const struct cr_input_device_info *info)
{
    struct player *p = user;
    g_array_append_val(p->added, *info);
}

static const struct cr_li_callbacks callbacks = {.event = on_event, .device_added = on_added};

static void iterate_until(int64_t deadline_us, void *user)
{
    struct player *p = user;
    do {
        if (!g_main_context_iteration(p->ctx, FALSE))
            g_usleep(500);
    } while (g_get_monotonic_time() < deadline_us);
}

/* Recreates the recording's devices, waits for craie to have them, replays
 * the events in real time and waits for the last ones to come through.
 * Returns the events; ids[i] is the device id of rec->devices[i]. */
static GArray *play(const struct cr_replay *rec, uint32_t *ids, int64_t *span_us)
{
    GError *err = NULL;
    struct player p = {g_main_context_new(), NULL, NULL,
                       g_array_new(FALSE, FALSE, sizeof(struct cr_input_event)),
                       g_array_new(FALSE, FALSE, sizeof(struct cr_input_device_info))};
    struct cr_testbed_device *devs[8];
    g_assert_cmpuint(rec->n_devices, <=, G_N_ELEMENTS(devs));
    p.tb = cr_testbed_new(&err);
    g_assert_no_error(err);
    p.a = cr_li_adapter_new(p.ctx, NULL, NULL, &callbacks, &p, &err);
    g_assert_no_error(err);
    for (size_t i = 0; i < rec->n_devices; i++) {
        devs[i] = cr_testbed_add_device(p.tb, &rec->devices[i], &err);
        g_assert_no_error(err);
    }
    int64_t end = g_get_monotonic_time() + WAIT_MS * 1000;
    while (p.added->len < rec->n_devices && g_get_monotonic_time() < end)
        iterate_until(0, &p);
    g_assert_cmpuint(p.added->len, ==, rec->n_devices);
    for (size_t i = 0; i < rec->n_devices; i++) {
        ids[i] = 0;
        for (guint j = 0; j < p.added->len; j++) {
            const struct cr_input_device_info *info =
                &g_array_index(p.added, struct cr_input_device_info, j);
            if (!strcmp(info->sysname, strrchr(cr_testbed_device_node(devs[i]), '/') + 1))
                ids[i] = info->id;
        }
        g_assert_cmpuint(ids[i], !=, 0);
    }

    long frames = cr_testbed_replay(rec, devs, 1, iterate_until, &p);
    g_assert_cmpint(frames, >, 0);
    iterate_until(g_get_monotonic_time() + 200000, &p);
    if (p.events->len)
        *span_us = g_array_index(p.events, struct cr_input_event, p.events->len - 1).time_us -
                   g_array_index(p.events, struct cr_input_event, 0).time_us;

    cr_li_adapter_free(p.a);
    cr_testbed_free(p.tb);
    g_array_unref(p.added);
    g_main_context_unref(p.ctx);
    return p.events;
}

/* The recorded span from the first to the last non-empty frame. */
static int64_t recorded_span(const struct cr_replay *rec)
{
    int64_t first = INT64_MAX, last = INT64_MIN;
    for (size_t i = 0; i < rec->n_devices; i++) {
        const struct cr_replay_device *d = &rec->devices[i];
        for (size_t j = 0; j < d->n_events; j++) {
            if (d->events[j].type == EV_SYN)
                continue;
            first = MIN(first, d->events[j].time_us);
            last = MAX(last, d->events[j].time_us);
        }
    }
    return last - first;
}

static guint count(GArray *events, uint32_t device, enum cr_input_action action)
{
    guint n = 0;
    for (guint i = 0; i < events->len; i++) {
        const struct cr_input_event *ev = &g_array_index(events, struct cr_input_event, i);
        n += ev->device_id == device && ev->action == action;
    }
    return n;
}

/* The i-th event of a device with this action. */
static const struct cr_input_event *nth(GArray *events, uint32_t device,
                                        enum cr_input_action action, guint i)
{
    for (guint k = 0; k < events->len; k++) {
        const struct cr_input_event *ev = &g_array_index(events, struct cr_input_event, k);
        if (ev->device_id == device && ev->action == action && i-- == 0)
            return ev;
    }
    g_error("no event %u of action %d on device %u", i, action, device);
}

static void assert_timing(const struct cr_replay *rec, int64_t span_us)
{
    /* replayed on the recorded schedule: the span between the first and
     * the last event libinput reported is never shorter than the recorded
     * one; a loaded machine may write frames late, so only a gross excess
     * (a broken schedule) fails. Not a speed test: see tools/bench. */
    g_assert_cmpint(span_us, >=, recorded_span(rec) - 5000);
    g_assert_cmpint(span_us, <, recorded_span(rec) + 3 * G_USEC_PER_SEC);
}

static void test_replay_touch(void)
{
    struct cr_replay *rec = load("touch-session.yml");
    uint32_t id;
    int64_t span = 0;
    GArray *ev = play(rec, &id, &span);
    assert_timing(rec, span);

    /* pinch: two fingers from 0.3 / 0.7 to 0.45 / 0.55, then a swipe */
    g_assert_cmpuint(count(ev, id, CR_INPUT_DOWN), ==, 3);
    g_assert_cmpuint(count(ev, id, CR_INPUT_UP), ==, 3);
    g_assert_cmpuint(count(ev, id, CR_INPUT_MOTION), ==, 20 * 2 + 30);
    g_assert_cmpuint(count(ev, id, CR_INPUT_CANCEL), ==, 0);
    const struct cr_input_event *e = nth(ev, id, CR_INPUT_DOWN, 0);
    g_assert_cmpint(e->slot, ==, 0);
    assert_near(e->raw_x, 9830 / 32768.0);
    assert_near(e->raw_y, 0.5);
    e = nth(ev, id, CR_INPUT_DOWN, 1);
    g_assert_cmpint(e->slot, ==, 1);
    assert_near(e->raw_x, 22938 / 32768.0);
    e = nth(ev, id, CR_INPUT_UP, 0); /* the second finger lifts first */
    g_assert_cmpint(e->slot, ==, 1);
    assert_near(e->raw_x, (22938 - 20 * 246) / 32768.0);
    e = nth(ev, id, CR_INPUT_UP, 1);
    g_assert_cmpint(e->slot, ==, 0);
    assert_near(e->raw_x, (9830 + 20 * 246) / 32768.0);
    e = nth(ev, id, CR_INPUT_UP, 2);
    assert_near(e->raw_x, (6554 + 30 * 655) / 32768.0);
    assert_near(e->raw_y, 0.5);
    for (guint i = 0; i < ev->len; i++)
        g_assert_cmpint(g_array_index(ev, struct cr_input_event, i).kind, ==, CR_INPUT_TOUCH);
    g_array_unref(ev);
    cr_replay_free(rec);
}

static void test_replay_pen(void)
{
    struct cr_replay *rec = load("pen-session.yml");
    uint32_t id;
    int64_t span = 0;
    GArray *ev = play(rec, &id, &span);
    assert_timing(rec, span);

    g_assert_cmpuint(count(ev, id, CR_INPUT_DOWN), ==, 1);
    g_assert_cmpuint(count(ev, id, CR_INPUT_UP), ==, 1);
    g_assert_cmpuint(
        count(ev, id, CR_INPUT_CANCEL), >=,
        2); /* left the board twice (or more: libinput may force it out when frames come late) */
    const struct cr_input_event *e = nth(ev, id, CR_INPUT_DOWN, 0);
    g_assert_cmpint(e->kind, ==, CR_INPUT_PEN);
    assert_near(e->raw_x, 6555 / 32768.0);
    assert_near(e->raw_y, 0.5);
    g_assert_cmpfloat(e->pressure, >, 0.35);
    e = nth(ev, id, CR_INPUT_UP, 0);
    assert_near(e->raw_x, 26214 / 32768.0);
    assert_near(e->raw_y, (16384 + (int)(1200 * sin(40 * 0.3))) / 32768.0);
    /* while the tip is down no motion hovers; the stroke goes right */
    double last_x = 0;
    bool down = false, pressed = false;
    for (guint i = 0; i < ev->len; i++) {
        const struct cr_input_event *m = &g_array_index(ev, struct cr_input_event, i);
        if (m->action == CR_INPUT_DOWN)
            down = true;
        if (m->action == CR_INPUT_UP)
            down = false;
        if (m->action == CR_INPUT_MOTION && down) {
            g_assert_false(m->hover);
            g_assert_cmpfloat(m->raw_x, >=, last_x);
            last_x = m->raw_x;
        }
        if (m->action == CR_INPUT_MOTION && !down && m->buttons == CR_INPUT_BUTTON_STYLUS) {
            g_assert_true(m->hover);
            pressed = true;
        }
    }
    g_assert_true(pressed);
    g_array_unref(ev);
    cr_replay_free(rec);
}

static void test_replay_two_devices(void)
{
    struct cr_replay *rec = load("two-devices.yml");
    uint32_t ids[2];
    int64_t span = 0;
    GArray *ev = play(rec, ids, &span);
    assert_timing(rec, span);
    g_assert_cmpuint(ids[0], !=, ids[1]);

    const struct cr_input_event *e = nth(ev, ids[0], CR_INPUT_DOWN, 0);
    g_assert_cmpint(e->kind, ==, CR_INPUT_TOUCH);
    assert_near(e->raw_x, 0.125);
    assert_near(e->raw_y, 0.875);
    g_assert_cmpuint(count(ev, ids[0], CR_INPUT_UP), ==, 1);
    e = nth(ev, ids[1], CR_INPUT_DOWN, 0);
    g_assert_cmpint(e->kind, ==, CR_INPUT_PEN);
    assert_near(e->raw_x, 6554 / 32768.0);
    assert_near(e->raw_y, 10923 / 32768.0);
    e = nth(ev, ids[1], CR_INPUT_UP, 0);
    assert_near(e->raw_x, (6554 + 30 * 500) / 32768.0);
    /* the finger came and went while the pen was down */
    const struct cr_input_event *pen_down = nth(ev, ids[1], CR_INPUT_DOWN, 0);
    const struct cr_input_event *pen_up = nth(ev, ids[1], CR_INPUT_UP, 0);
    const struct cr_input_event *finger = nth(ev, ids[0], CR_INPUT_DOWN, 0);
    g_assert_cmpint(finger->time_us, >, pen_down->time_us);
    g_assert_cmpint(finger->time_us, <, pen_up->time_us);
    g_array_unref(ev);
    cr_replay_free(rec);
}

/* A calibration session: one tap per target, each where the keystoned
 * projection put it on the pen's sensor (the .targets file). */
static void calib_session(const char *name, size_t n)
{
    g_autofree char *yml = g_strdup_printf("%s.yml", name);
    g_autofree char *tname = g_strdup_printf("%s.targets", name);
    g_autofree char *tpath = data_path(tname);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(tpath, &text, NULL, NULL));
    double targets[16][4];
    size_t nt = 0;
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l == '#' || !**l)
            continue;
        g_assert_cmpuint(nt, <, G_N_ELEMENTS(targets));
        g_assert_cmpint(sscanf(*l, "%lf %lf %lf %lf", &targets[nt][0], &targets[nt][1],
                               &targets[nt][2], &targets[nt][3]),
                        ==, 4);
        nt++;
    }
    g_assert_cmpuint(nt, ==, n);

    struct cr_replay *rec = load(yml);
    uint32_t id;
    int64_t span = 0;
    GArray *ev = play(rec, &id, &span);
    assert_timing(rec, span);
    g_assert_cmpuint(count(ev, id, CR_INPUT_DOWN), ==, n);
    g_assert_cmpuint(count(ev, id, CR_INPUT_UP), ==, n);
    /* the pen leaves after each tap; on a loaded machine libinput's
     * proximity timer may also force an extra out-and-in between frames */
    g_assert_cmpuint(count(ev, id, CR_INPUT_CANCEL), >=, n);
    for (size_t i = 0; i < n; i++) {
        const struct cr_input_event *e = nth(ev, id, CR_INPUT_DOWN, i);
        g_assert_cmpfloat_with_epsilon(e->raw_x, targets[i][2], 1e-5);
        g_assert_cmpfloat_with_epsilon(e->raw_y, targets[i][3], 1e-5);
    }
    /* a keystone, not a scale: the top row is wider on the sensor than the
     * bottom one, though both are as wide on the screen */
    size_t side = n == 9 ? 3 : 4;
    double top = nth(ev, id, CR_INPUT_DOWN, side - 1)->raw_x - nth(ev, id, CR_INPUT_DOWN, 0)->raw_x;
    double bottom =
        nth(ev, id, CR_INPUT_DOWN, n - 1)->raw_x - nth(ev, id, CR_INPUT_DOWN, n - side)->raw_x;
    g_assert_cmpfloat(top - bottom, >, 0.05);
    g_array_unref(ev);
    cr_replay_free(rec);
}

static void test_replay_calib9(void)
{
    calib_session("calib9-pen", 9);
}

static void test_replay_calib16(void)
{
    calib_session("calib16-pen", 16);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    cr_log_set_verbose(g_test_verbose());
    if (!strstr(g_getenv("LD_PRELOAD") ?: "", "umockdev")) {
        g_printerr("run with LD_PRELOAD=libumockdev-preload.so.0:<shim> (meson test does)\n");
        return 1;
    }
    g_test_add_func("/replay/parse/recording", test_parse_recording);
    g_test_add_func("/replay/parse/errors", test_parse_errors);
    g_test_add_func("/replay/parse/wrapped_time", test_parse_wrapped_time);
    g_test_add_func("/replay/testbed/eviocsabs", test_eviocsabs);
    g_test_add_func("/replay/touch", test_replay_touch);
    g_test_add_func("/replay/pen", test_replay_pen);
    g_test_add_func("/replay/two_devices", test_replay_two_devices);
    g_test_add_func("/replay/calib9", test_replay_calib9);
    g_test_add_func("/replay/calib16", test_replay_calib16);
    return g_test_run();
}
