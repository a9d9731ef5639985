/* craie-bench web: the web tile's cost, against GStreamer's wpesrc (the way
 * the spike embedded WPE WebKit) measured in the same run.
 *   first paint: from asking for a view of a local static page to the first
 *                frame that shows it (median of --runs), each view with its
 *                own fresh web and network processes;
 *   static CPU:  a 1280x720 page that does not move, --seconds long;
 *   animated:    a page with a CSS animation and a requestAnimationFrame
 *                counter (30 fps delivered at most, as wpesrc's caps ask).
 * CPU is this process plus its WebKit processes (/proc), in % of one core.
 * wpesrc runs in a child process (two WebKit run loops cannot share one
 * process): `craie-bench web --wpesrc DIR` is that child. Prints key=value
 * lines on stdout; a table for people on stderr. */
#include <SDL.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "display/events.h"
#include "display/web/web_private.h"
#include "display/web/web_view.h"

#define W 1280
#define H 720
#define PAGE_RGB 0x2563eb
#define WAIT_US (30 * G_USEC_PER_SEC)

int cr_bench_web(int argc, char **argv);

static const char static_page[] =
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>static</title></head>"
    "<body style='margin:0;background:#2563eb;color:#fff;font:48px sans-serif'>"
    "<h1 style='margin:200px 100px'>Ressources de la classe</h1><p style='margin:0 100px'>"
    "Une page qui ne bouge pas.</p></body></html>";

static const char animated_page[] =
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>animated</title><style>"
    "@keyframes m{from{transform:translateX(0)}to{transform:translateX(900px)}}"
    "#b{position:absolute;top:300px;left:100px;width:200px;height:200px;background:#facc15;"
    "animation:m 2s linear infinite alternate}</style></head>"
    "<body style='margin:0;background:#2563eb;color:#fff;font:48px sans-serif'>"
    "<div id='b'></div><p id='n' style='margin:100px'>0</p><script>var i=0;function f(){"
    "document.getElementById('n').textContent=++i;requestAnimationFrame(f)}f()</script>"
    "</body></html>";

struct result {
    double first_paint_ms;
    double static_cpu_pct;
    double animated_cpu_pct;
    double animated_fps;
    double animated_self_pct; /* of which this process (craie's side) */
};

/* CPU time of this process and of its WebKit children, µs. */
static int64_t cpu_with_engine_us(void)
{
    int64_t total = cr_process_cpu_us();
    long hz = sysconf(_SC_CLK_TCK);
    GArray *pids = cr_web_engine_pids();
    for (guint i = 0; i < pids->len; i++) {
        char path[64], buf[1024];
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)g_array_index(pids, pid_t, i));
        FILE *f = fopen(path, "re");
        if (!f)
            continue;
        if (fgets(buf, sizeof(buf), f)) {
            char *p = strrchr(buf, ')');
            unsigned long ut = 0, st = 0;
            /* after ')': state ppid pgrp session tty tpgid flags minflt cminflt majflt
             * cmajflt utime stime */
            if (p && sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
                            &st) == 2)
                total += (int64_t)(ut + st) * G_USEC_PER_SEC / hz;
        }
        fclose(f);
    }
    g_array_unref(pids);
    return total;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n > 0 ? v[n / 2] : -1;
}

static bool shows_page(const uint8_t *bgra, int stride)
{
    const uint8_t *p = bgra + 10 * stride + 10 * 4;
    unsigned rgb = (unsigned)p[2] << 16 | (unsigned)p[1] << 8 | p[0];
    return rgb == PAGE_RGB;
}

/* ---- craie's web view ---- */

static void no_frame_cb(void *userdata)
{
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = no_frame_cb};

static void pump_events(void)
{
    SDL_Event ev;
    while (SDL_PollEvent(&ev))
        cr_web_handle_sdl_event(&ev);
}

/* Waits for a frame showing the page; counts frames taken. */
static bool wait_page(struct cr_frame_slot *slot, int64_t *frames)
{
    int64_t deadline = cr_monotonic_us() + WAIT_US;
    while (cr_monotonic_us() < deadline) {
        struct cr_frame *f = cr_frame_slot_take(slot);
        if (f) {
            (*frames)++;
            bool ok = shows_page(f->planes[0], f->strides[0]);
            cr_frame_unref(f);
            if (ok)
                return true;
        }
        pump_events();
        g_usleep(1000);
    }
    return false;
}

/* Runs a page for seconds after its first paint: CPU % and frames/s. */
static bool craie_run(const char *url, int seconds, double *paint_ms, double *cpu_pct, double *fps,
                      double *self_pct)
{
    struct cr_frame_slot slot;
    cr_frame_slot_init(&slot, &slot_cbs, NULL);
    struct cr_web_view_options o = {.url = url, .width = W, .height = H, .slot = &slot};
    int64_t t0 = cr_monotonic_us(), frames = 0;
    struct cr_web_view *v = cr_web_view_new(&o);
    bool ok = v && wait_page(&slot, &frames);
    if (ok && paint_ms)
        *paint_ms = (double)(cr_monotonic_us() - t0) / 1000.0;
    if (ok && seconds > 0) {
        g_usleep(G_USEC_PER_SEC); /* past the load */
        pump_events();
        cr_frame_slot_clear(&slot);
        frames = 0;
        int64_t w0 = cr_monotonic_us(), c0 = cpu_with_engine_us(), s0 = cr_process_cpu_us();
        while (cr_monotonic_us() - w0 < (int64_t)seconds * G_USEC_PER_SEC) {
            struct cr_frame *f = cr_frame_slot_take(&slot);
            if (f) {
                frames++;
                cr_frame_unref(f);
            }
            pump_events();
            g_usleep(2000);
        }
        int64_t wall = cr_monotonic_us() - w0, cpu = cpu_with_engine_us() - c0;
        *cpu_pct = 100.0 * (double)cpu / (double)wall;
        *fps = (double)frames * G_USEC_PER_SEC / (double)wall;
        *self_pct = 100.0 * (double)(cr_process_cpu_us() - s0) / (double)wall;
    }
    cr_web_view_destroy(v);
    pump_events();
    cr_frame_slot_destroy(&slot);
    return ok;
}

static bool measure_craie(const char *static_url, const char *animated_url, int runs, int seconds,
                          struct result *r)
{
    double *paint = g_new0(double, runs);
    int n = 0;
    for (int i = 0; i < runs; i++)
        if (craie_run(static_url, 0, &paint[n], NULL, NULL, NULL))
            n++;
    r->first_paint_ms = median(paint, n);
    g_free(paint);
    double fps, self;
    bool ok = n > 0 && craie_run(static_url, seconds, NULL, &r->static_cpu_pct, &fps, &self) &&
              craie_run(animated_url, seconds, NULL, &r->animated_cpu_pct, &r->animated_fps,
                        &r->animated_self_pct);
    return ok;
}

/* ---- baseline: wpesrc (child process) ---- */

static bool wpesrc_run(const char *url, int seconds, double *paint_ms, double *cpu_pct, double *fps,
                       double *self_pct)
{
    g_autofree char *desc =
        g_strdup_printf("wpevideosrc location=\"%s\" ! video/x-raw,format=BGRA,width=%d,height=%d,"
                        "framerate=30/1 ! appsink name=s sync=false max-buffers=1 drop=true",
                        url, W, H);
    GError *err = NULL;
    GstElement *p = gst_parse_launch(desc, &err);
    if (!p) {
        fprintf(stderr, "wpesrc: %s\n", err ? err->message : "no pipeline");
        g_clear_error(&err);
        return false;
    }
    GstAppSink *sink = GST_APP_SINK(gst_bin_get_by_name(GST_BIN(p), "s"));
    int64_t t0 = cr_monotonic_us();
    gst_element_set_state(p, GST_STATE_PLAYING);
    bool ok = false;
    while (!ok && cr_monotonic_us() - t0 < WAIT_US) {
        GstSample *s = gst_app_sink_try_pull_sample(sink, 100 * GST_MSECOND);
        if (!s)
            continue;
        GstMapInfo map;
        GstBuffer *b = gst_sample_get_buffer(s);
        if (gst_buffer_map(b, &map, GST_MAP_READ)) {
            ok = shows_page(map.data, W * 4);
            gst_buffer_unmap(b, &map);
        }
        gst_sample_unref(s);
    }
    if (ok && paint_ms)
        *paint_ms = (double)(cr_monotonic_us() - t0) / 1000.0;
    if (ok && seconds > 0) {
        g_usleep(G_USEC_PER_SEC);
        int64_t frames = 0, w0 = cr_monotonic_us(), c0 = cpu_with_engine_us(),
                s0 = cr_process_cpu_us();
        while (cr_monotonic_us() - w0 < (int64_t)seconds * G_USEC_PER_SEC) {
            GstSample *s = gst_app_sink_try_pull_sample(sink, 50 * GST_MSECOND);
            if (s) {
                frames++;
                gst_sample_unref(s);
            }
        }
        int64_t wall = cr_monotonic_us() - w0, cpu = cpu_with_engine_us() - c0;
        *cpu_pct = 100.0 * (double)cpu / (double)wall;
        *fps = (double)frames * G_USEC_PER_SEC / (double)wall;
        *self_pct = 100.0 * (double)(cr_process_cpu_us() - s0) / (double)wall;
    }
    gst_element_set_state(p, GST_STATE_NULL);
    gst_object_unref(sink);
    gst_object_unref(p);
    return ok;
}

static int wpesrc_child(const char *static_url, const char *animated_url, int runs, int seconds)
{
    gst_init(NULL, NULL);
    GstElementFactory *f = gst_element_factory_find("wpevideosrc");
    if (!f) {
        fprintf(stderr, "wpesrc: element wpevideosrc missing (Debian: gstreamer1.0-wpe)\n");
        return 77;
    }
    gst_object_unref(f);
    double *paint = g_new0(double, runs);
    int n = 0;
    for (int i = 0; i < runs; i++)
        if (wpesrc_run(static_url, 0, &paint[n], NULL, NULL, NULL))
            n++;
    struct result r = {.first_paint_ms = median(paint, n)};
    g_free(paint);
    double fps, self;
    if (n == 0 || !wpesrc_run(static_url, seconds, NULL, &r.static_cpu_pct, &fps, &self) ||
        !wpesrc_run(animated_url, seconds, NULL, &r.animated_cpu_pct, &r.animated_fps,
                    &r.animated_self_pct))
        return 1;
    printf("%f %f %f %f %f\n", r.first_paint_ms, r.static_cpu_pct, r.animated_cpu_pct,
           r.animated_fps, r.animated_self_pct);
    return 0;
}

static bool measure_wpesrc(const char *self, const char *static_url, const char *animated_url,
                           int runs, int seconds, struct result *r)
{
    g_autofree char *runs_s = g_strdup_printf("%d", runs);
    g_autofree char *secs_s = g_strdup_printf("%d", seconds);
    const char *argv[] = {self,     "web",  "--wpesrc",  static_url, animated_url,
                          "--runs", runs_s, "--seconds", secs_s,     NULL};
    g_autofree char *out = NULL;
    int status = 0;
    GError *err = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_CHILD_INHERITS_STDERR, NULL, NULL, &out,
                      NULL, &status, &err)) {
        fprintf(stderr, "wpesrc: %s\n", err->message);
        g_error_free(err);
        return false;
    }
    return g_spawn_check_wait_status(status, NULL) && out &&
           sscanf(out, "%lf %lf %lf %lf %lf", &r->first_paint_ms, &r->static_cpu_pct,
                  &r->animated_cpu_pct, &r->animated_fps, &r->animated_self_pct) == 5;
}

static char *write_page(const char *dir, const char *name, const char *html)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    if (!g_file_set_contents(path, html, -1, NULL))
        return NULL;
    return g_filename_to_uri(path, NULL, NULL);
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : -1;
}

int cr_bench_web(int argc, char **argv)
{
    int runs = 5, seconds = 5;
    gboolean wpesrc = FALSE;
    GOptionEntry entries[] = {
        {"runs", 0, 0, G_OPTION_ARG_INT, &runs, "first-paint runs (median)", "N"},
        {"seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "seconds of each CPU measure", "S"},
        {"wpesrc", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &wpesrc, NULL, NULL},
        {NULL},
    };
    g_autoptr(GOptionContext) oc = g_option_context_new("- the web tile's cost");
    g_option_context_add_main_entries(oc, entries, NULL);
    GError *err = NULL;
    if (!g_option_context_parse(oc, &argc, &argv, &err) || runs < 1 || seconds < 1) {
        fprintf(stderr, "craie-bench web: %s\n", err ? err->message : "bad --runs/--seconds");
        g_clear_error(&err);
        return 2;
    }
    if (wpesrc)
        return argc >= 3 ? wpesrc_child(argv[1], argv[2], runs, seconds) : 2;

    g_autofree char *dir = g_dir_make_tmp("craie-bench-web-XXXXXX", NULL);
    g_autofree char *static_url = write_page(dir, "static.html", static_page);
    g_autofree char *animated_url = write_page(dir, "animated.html", animated_page);
    if (!static_url || !animated_url)
        return 1;

    struct result base = {0}, craie = {0};
    fprintf(stderr, "# baseline: GStreamer wpevideosrc, BGRA %dx%d@30 into an appsink\n", W, H);
    bool have_base =
        measure_wpesrc("/proc/self/exe", static_url, animated_url, runs, seconds, &base);
    if (SDL_Init(SDL_INIT_EVENTS) != 0 || !cr_events_init() || !cr_web_init())
        return 1;
    fprintf(stderr, "# craie: WPE WebKit on wpebackend-fdo SHM, frames into a tile slot\n");
    bool ok = measure_craie(static_url, animated_url, runs, seconds, &craie);
    cr_web_shutdown();
    g_autofree char *rm = g_strdup_printf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    if (!ok) {
        fprintf(stderr, "craie-bench web: the web view did not paint\n");
        return 1;
    }

    fprintf(stderr, "\n%-20s %14s %10s %12s %10s %8s\n", "path (1280x720)", "first paint ms",
            "static %", "animated %", "(own %)", "anim fps");
    fprintf(stderr, "%-20s %14.0f %10.1f %12.1f %10.1f %8.1f\n", "craie web view",
            craie.first_paint_ms, craie.static_cpu_pct, craie.animated_cpu_pct,
            craie.animated_self_pct, craie.animated_fps);
    if (have_base)
        fprintf(stderr, "%-20s %14.0f %10.1f %12.1f %10.1f %8.1f\n\n", "baseline wpesrc",
                base.first_paint_ms, base.static_cpu_pct, base.animated_cpu_pct,
                base.animated_self_pct, base.animated_fps);
    else
        fprintf(stderr, "baseline wpesrc: not measured\n\n");

    printf("first_paint_ms=%.0f\n", craie.first_paint_ms);
    printf("static_cpu_pct=%.1f\n", craie.static_cpu_pct);
    printf("animated_cpu_pct=%.1f\n", craie.animated_cpu_pct);
    printf("animated_fps=%.1f\n", craie.animated_fps);
    if (have_base) {
        printf("baseline_first_paint_ms=%.0f\n", base.first_paint_ms);
        printf("baseline_static_cpu_pct=%.1f\n", base.static_cpu_pct);
        printf("baseline_animated_cpu_pct=%.1f\n", base.animated_cpu_pct);
        printf("baseline_animated_fps=%.1f\n", base.animated_fps);
        printf("first_paint_ratio=%.2f\n", ratio(craie.first_paint_ms, base.first_paint_ms));
        printf("static_cpu_ratio=%.2f\n", ratio(craie.static_cpu_pct, base.static_cpu_pct));
        printf("animated_cpu_ratio=%.2f\n", ratio(craie.animated_cpu_pct, base.animated_cpu_pct));
    }
    return 0;
}
