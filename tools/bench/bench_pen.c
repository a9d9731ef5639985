/* craie-bench pen: what a pen stroke costs from the pen to the screen.
 *   craie:    the real craie (child process, offscreen, 1920x1080) with an
 *             emulated evdev pen (umockdev testbed, as in the input suite)
 *             read through libinput, the io thread, calibration, the ink
 *             model and the renderer: latency = evdev timestamp of an event
 *             → the present of the first frame that contains its ink,
 *             measured inside craie (the ink layer's latency hook);
 *   baseline: the same strokes injected through the control socket (no
 *             kernel device, no libinput, no io thread): what drawing and
 *             presenting alone cost in the same run.
 * Prints key=value lines on stdout; notes on stderr. Needs the build tree
 * (the umockdev shim of tests/input); it re-executes itself with the
 * preloads the testbed needs. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <linux/input.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build_config.h"
#include "common/ipc.h"
#include "testbed.h"

int cr_bench_pen(int argc, char **argv);

#define W 1920
#define H 1080
#define PRELOADED "CRAIE_BENCH_PRELOADED"

struct rig {
    struct cr_testbed *tb;
    struct cr_testbed_device *pen;
    struct cr_replay_absinfo ax, ay;
    char *dir, *socket;
    GPid pid;
    struct cr_ipc_client *ipc;
};

static int reexec_with_preload(char **argv)
{
    g_autofree char *shim =
        g_build_filename(CR_BUILD_ROOT, "tests", "input", "libcr-umockdev-shim.so", NULL);
    if (!g_file_test(shim, G_FILE_TEST_EXISTS)) {
        fprintf(stderr, "craie-bench pen: %s is missing (build the tests: ninja -C build)\n", shim);
        return 1;
    }
    g_autofree char *preload = g_strdup_printf("libumockdev-preload.so.0:%s", shim);
    g_setenv("LD_PRELOAD", preload, TRUE);
    g_setenv(PRELOADED, "1", TRUE);
    execv("/proc/self/exe", argv);
    perror("craie-bench pen: exec");
    return 1;
}

/* Waits us microseconds while serving the testbed (umockdev answers the
 * emulated devices' clients from this thread's main context). */
static gboolean pump_done(gpointer data)
{
    *(bool *)data = true;
    return G_SOURCE_REMOVE;
}

static void pump(int64_t us)
{
    bool done = false;
    g_timeout_add_full(G_PRIORITY_HIGH, (guint)((us + 999) / 1000), pump_done, &done, NULL);
    while (!done)
        g_main_context_iteration(NULL, TRUE);
}

static void die_with_parent(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static bool command(struct rig *r, JsonNode **data, ...) G_GNUC_NULL_TERMINATED;

/* Runs a command; on success *data (may be NULL) gets the reply's data. */
static bool command(struct rig *r, JsonNode **data, ...)
{
    const char *argv[8];
    int n = 0;
    va_list ap;
    va_start(ap, data);
    for (const char *a; n < 7 && (a = va_arg(ap, const char *));)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    g_autofree char *reply = NULL;
    bool ok = false;
    GError *err = NULL;
    if (!cr_ipc_client_command(r->ipc, argv, 10000, &reply, &ok, &err)) {
        fprintf(stderr, "craie-bench pen: %s: %s\n", argv[0], err->message);
        g_error_free(err);
        return false;
    }
    if (!ok) {
        fprintf(stderr, "craie-bench pen: %s: %s\n", argv[0], reply);
        return false;
    }
    if (data) {
        g_autoptr(JsonParser) p = json_parser_new();
        if (!json_parser_load_from_data(p, reply, -1, NULL))
            return false;
        JsonObject *o = json_node_get_object(json_parser_get_root(p));
        *data = json_object_has_member(o, "data")
                    ? json_node_copy(json_object_get_member(o, "data"))
                    : NULL;
    }
    return true;
}

static bool start_craie(struct rig *r)
{
    r->dir = g_dir_make_tmp("craie-bench-pen-XXXXXX", NULL);
    r->socket = g_build_filename(r->dir, "ipc.sock", NULL);
    g_autofree char *exe = g_build_filename(CR_BUILD_ROOT, "craie", NULL);
    g_autofree char *sock = g_strdup_printf("--ipc-socket=%s", r->socket);
    g_autofree char *state = g_strdup_printf("--paths.state_dir=%s", r->dir);
    char *argv[] = {exe,
                    "--windowed",
                    "--display.width=1920",
                    "--display.height=1080",
                    "--input.offer_calibration=false",
                    "--camera=test",
                    sock,
                    state,
                    NULL};
    g_auto(GStrv) env = g_get_environ();
    env = g_environ_setenv(env, "SDL_VIDEODRIVER", "dummy", TRUE);
    GError *err = NULL;
    /* not double-forked: craie's parent must be this process for
     * die_with_parent to mean anything; reaped at the end */
    if (!g_spawn_async(NULL, argv, env, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, NULL, &r->pid,
                       &err)) {
        fprintf(stderr, "craie-bench pen: cannot start craie: %s\n", err->message);
        g_error_free(err);
        return false;
    }
    for (int i = 0; i < 200 && !r->ipc; i++) {
        pump(100000);
        r->ipc = cr_ipc_client_connect(r->socket, NULL);
    }
    return r->ipc != NULL;
}

static bool pen_known(struct rig *r)
{
    JsonNode *st = NULL;
    if (!command(r, &st, "get_state", NULL) || !st)
        return false;
    JsonArray *devs = json_object_get_array_member(json_node_get_object(st), "input_devices");
    bool ok = devs && json_array_get_length(devs) > 0;
    json_node_unref(st);
    return ok;
}

static void write_pen(struct rig *r, double sx, double sy, int touch, int pressure, int tool)
{
    struct cr_testbed_event ev[5] = {
        {EV_ABS, ABS_X, r->ax.minimum + (int)(sx / W * (r->ax.maximum - r->ax.minimum + 1))},
        {EV_ABS, ABS_Y, r->ay.minimum + (int)(sy / H * (r->ay.maximum - r->ay.minimum + 1))},
        {EV_ABS, ABS_PRESSURE, pressure}};
    size_t n = 3;
    if (touch >= 0)
        ev[n++] = (struct cr_testbed_event){EV_KEY, BTN_TOUCH, touch};
    if (tool >= 0)
        ev[n++] = (struct cr_testbed_event){EV_KEY, BTN_TOOL_PEN, tool};
    cr_testbed_write_frame(r->pen, ev, n);
}

/* Strokes across the board: zigzags row after row, at the pen's rate. */
static void stroke_points(int stroke, int i, int steps, double *x, double *y)
{
    double t = (double)i / steps;
    *x = 200 + 1500 * t;
    *y = 150 + (stroke % 8) * 90 + 30 * ((i / 6) % 2 ? 1 - fmod(t * 40, 1) : fmod(t * 40, 1));
}

struct latency {
    double p50_ms, p95_ms;
    long count;
};

static bool read_latency(struct rig *r, struct latency *out)
{
    JsonNode *d = NULL;
    if (!command(r, &d, "ink", "latency", NULL) || !d)
        return false;
    JsonObject *o = json_node_get_object(d);
    out->count = (long)json_object_get_int_member(o, "count");
    out->p50_ms = json_object_get_int_member(o, "p50_us") / 1000.0;
    out->p95_ms = json_object_get_int_member(o, "p95_us") / 1000.0;
    json_node_unref(d);
    return out->count > 0;
}

static bool run_pen(struct rig *r, int strokes, int steps, int period_us, struct latency *out)
{
    if (!command(r, NULL, "ink", "clear", NULL) ||
        !command(r, NULL, "ink", "latency", "reset", NULL))
        return false;
    for (int s = 0; s < strokes; s++) {
        double x, y;
        stroke_points(s, 0, steps, &x, &y);
        write_pen(r, x, y, -1, 0, 1);
        pump(period_us);
        write_pen(r, x, y, 1, 500, -1);
        for (int i = 1; i <= steps; i++) {
            pump(period_us);
            stroke_points(s, i, steps, &x, &y);
            write_pen(r, x, y, -1, 500 + (i % 7) * 40, -1);
        }
        pump(period_us);
        write_pen(r, x, y, 0, 0, -1);
        pump(period_us);
        write_pen(r, x, y, -1, 0, 0);
        pump(100000);
    }
    pump(200000);
    return read_latency(r, out);
}

static bool run_injected(struct rig *r, int strokes, int steps, int period_us, struct latency *out)
{
    if (!command(r, NULL, "ink", "clear", NULL) ||
        !command(r, NULL, "ink", "latency", "reset", NULL))
        return false;
    for (int s = 0; s < strokes; s++) {
        for (int i = 0; i <= steps; i++) {
            double x, y;
            stroke_points(s, i, steps, &x, &y);
            char xs[32], ys[32];
            g_ascii_formatd(xs, sizeof(xs), "%.1f", x);
            g_ascii_formatd(ys, sizeof(ys), "%.1f", y);
            const char *action = i == 0 ? "down" : i == steps ? "up" : "move";
            if (!command(r, NULL, "pen", action, xs, ys, "0.6", NULL))
                return false;
            pump(period_us);
        }
        pump(100000);
    }
    pump(200000);
    return read_latency(r, out);
}

static void usage(void)
{
    printf("Usage: craie-bench pen [--strokes N] [--rate HZ]\n"
           "  The pen's event-to-screen latency in the real craie, through libinput,\n"
           "  against the same strokes injected through the control socket.\n");
}

int cr_bench_pen(int argc, char **argv)
{
    int strokes = 16, rate = 200;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            return 0;
        } else if (!strcmp(argv[i], "--strokes") && i + 1 < argc) {
            int v = atoi(argv[++i]);
            strokes = CLAMP(v, 1, 200);
        } else if (!strcmp(argv[i], "--rate") && i + 1 < argc) {
            int v = atoi(argv[++i]);
            rate = CLAMP(v, 30, 1000);
        } else {
            usage();
            return 2;
        }
    }
    if (!g_getenv(PRELOADED)) {
        /* argv here is the benchmark's: rebuild craie-bench's own */
        char **full = g_new0(char *, argc + 2);
        full[0] = (char *)"craie-bench";
        for (int i = 0; i < argc; i++)
            full[i + 1] = argv[i];
        return reexec_with_preload(full);
    }

    struct rig r = {0};
    GError *err = NULL;
    int status = 1;
    g_autofree char *spec =
        g_build_filename(CR_SOURCE_ROOT, "tests", "input", "devices", "pen-direct.yml", NULL);
    r.tb = cr_testbed_new(&err);
    if (!r.tb) {
        fprintf(stderr, "craie-bench pen: no testbed: %s\n", err->message);
        g_error_free(err);
        return 1;
    }
    if (!start_craie(&r)) {
        fprintf(stderr, "craie-bench pen: craie did not open its control socket\n");
        goto out;
    }
    r.pen = cr_testbed_add_device_file(r.tb, spec, &err);
    if (!r.pen || !cr_testbed_device_wait_open(r.pen, 10000) ||
        !cr_testbed_device_absinfo(r.pen, ABS_X, &r.ax) ||
        !cr_testbed_device_absinfo(r.pen, ABS_Y, &r.ay)) {
        fprintf(stderr, "craie-bench pen: the emulated pen did not open\n");
        goto out;
    }
    for (int i = 0; i < 100 && !pen_known(&r); i++)
        pump(100000);
    if (!pen_known(&r) || !command(&r, NULL, "open", "whiteboard", NULL)) {
        fprintf(stderr, "craie-bench pen: craie did not take the pen\n");
        goto out;
    }

    int steps = 120, period = 1000000 / rate;
    struct latency pen = {0}, base = {0};
    fprintf(stderr, "pen: %d strokes of %d points at %d Hz through libinput...\n", strokes, steps,
            rate);
    if (!run_pen(&r, strokes, steps, period, &pen)) {
        fprintf(stderr, "craie-bench pen: no ink latency measured through libinput\n");
        goto out;
    }
    fprintf(stderr, "baseline: the same strokes through the control socket...\n");
    if (!run_injected(&r, strokes, steps, period, &base)) {
        fprintf(stderr, "craie-bench pen: no ink latency measured for the baseline\n");
        goto out;
    }

    printf("latency_p50_ms=%.2f\n", pen.p50_ms);
    printf("latency_p95_ms=%.2f\n", pen.p95_ms);
    printf("latency_samples=%ld\n", pen.count);
    printf("baseline_p50_ms=%.2f\n", base.p50_ms);
    printf("baseline_p95_ms=%.2f\n", base.p95_ms);
    printf("ratio_p50=%.2f\n", base.p50_ms > 0 ? pen.p50_ms / base.p50_ms : 0);
    printf("rate_hz=%d\n", rate);
    fprintf(stderr, "\n%-28s %8s %8s\n", "event -> ink on screen", "p50 ms", "p95 ms");
    fprintf(stderr, "%-28s %8.2f %8.2f\n", "pen through libinput", pen.p50_ms, pen.p95_ms);
    fprintf(stderr, "%-28s %8.2f %8.2f\n", "injected (baseline)", base.p50_ms, base.p95_ms);
    status = 0;

out:
    if (r.ipc) {
        command(&r, NULL, "quit", NULL);
        cr_ipc_client_free(r.ipc);
    }
    if (r.pid) {
        pump(300000);
        kill(r.pid, SIGTERM);
        waitpid(r.pid, NULL, 0);
        g_spawn_close_pid(r.pid);
    }
    if (r.pen)
        cr_testbed_remove_device(r.tb, r.pen);
    cr_testbed_free(r.tb);
    if (r.dir) {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", r.dir);
        if (system(cmd) != 0)
            fprintf(stderr, "craie-bench pen: cannot remove %s\n", r.dir);
    }
    g_free(r.dir);
    g_free(r.socket);
    return status;
}
