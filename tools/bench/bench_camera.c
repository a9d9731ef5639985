/* craie-bench camera: what the document camera path costs on this machine.
 *   baseline: test source MJPEG 1080p30 decoded into a bare appsink, pulled
 *             in a loop, no display (what GStreamer alone costs);
 *   craie:    the same through cr_camera_source into a tile's slot, uploaded,
 *             drawn and presented by an SDL loop woken by the slot, MJPEG and
 *             then raw I420.
 * Latency is capture (the source's timestamp) to after present. Prints
 * key=value lines on stdout; notes on stderr. */
#include <SDL.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/util.h"
#include "display/camera/camera_device.h"
#include "display/camera/camera_source.h"
#include "display/screen.h"
#include "display/tile.h"

#define BENCH_DEFAULT_SECONDS 8
#define BENCH_FIRST_FRAME_US (10 * (int64_t)G_USEC_PER_SEC)

/* The baseline pipeline: camera_source.c's test MJPEG chain, as text (a
 * constant, not user input), ending in a bare appsink. */
#define BENCH_BASELINE_HEAD                                                                        \
    "videotestsrc is-live=true pattern=smpte ! "                                                   \
    "video/x-raw,format=I420,width=1920,height=1080,framerate=30/1 ! "
#define BENCH_BASELINE_OVERLAY                                                                     \
    "timeoverlay halignment=right valignment=bottom font-desc=\"Sans Bold 48\" auto-resize=false " \
    "shaded-background=true text=\"Test pattern\" ! "
#define BENCH_BASELINE_TAIL                                                                        \
    "jpegenc quality=85 ! jpegdec ! appsink name=sink caps=\"video/x-raw,format=I420\" "           \
    "max-buffers=1 drop=true sync=false"

int cr_bench_camera(int argc, char **argv);

struct bench_result {
    double fps;
    double cpu_pct;
    double p50_ms, p95_ms;
    uint64_t dropped;
    uint64_t frames;
};

static double cpu_pct(int64_t cpu_us, int64_t wall_us)
{
    return wall_us > 0 ? 100.0 * (double)cpu_us / (double)wall_us : 0.0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static double percentile_ms(GArray *values, double p)
{
    if (values->len == 0)
        return 0.0;
    qsort(values->data, values->len, sizeof(int64_t), cmp_i64);
    size_t i = (size_t)(p * (values->len - 1) + 0.5);
    return g_array_index(values, int64_t, i) / 1000.0;
}

/* Peak resident set size of this process, in KiB (0 if unknown). */
static long peak_rss_kb(void)
{
    g_autofree char *status = NULL;
    if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
        return 0;
    const char *line = strstr(status, "VmHWM:");
    return line ? strtol(line + 6, NULL, 10) : 0;
}

static bool run_baseline(int seconds, struct bench_result *out)
{
    GstElementFactory *overlay = gst_element_factory_find("timeoverlay");
    g_autofree char *desc = g_strconcat(BENCH_BASELINE_HEAD, overlay ? BENCH_BASELINE_OVERLAY : "",
                                        BENCH_BASELINE_TAIL, NULL);
    if (overlay)
        gst_object_unref(overlay);
    g_autoptr(GError) err = NULL;
    GstElement *pipeline = gst_parse_launch(desc, &err);
    if (!pipeline) {
        fprintf(stderr, "baseline: %s\n", err ? err->message : "cannot build the pipeline");
        return false;
    }
    GstElement *sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
    bool ok = false;
    if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        fprintf(stderr, "baseline: the pipeline does not start\n");
        goto out;
    }
    /* Warm up: the first frame. */
    GstSample *first =
        gst_app_sink_try_pull_sample(GST_APP_SINK(sink), BENCH_FIRST_FRAME_US * GST_USECOND);
    if (!first) {
        fprintf(stderr, "baseline: no frame\n");
        goto out;
    }
    gst_sample_unref(first);

    uint64_t frames = 0;
    int64_t t0 = cr_monotonic_us(), cpu0 = cr_process_cpu_us();
    int64_t end = t0 + (int64_t)seconds * G_USEC_PER_SEC;
    while (cr_monotonic_us() < end) {
        GstSample *s = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), GST_SECOND);
        if (!s)
            break;
        frames++;
        gst_sample_unref(s);
    }
    int64_t wall = cr_monotonic_us() - t0, cpu = cr_process_cpu_us() - cpu0;
    out->frames = frames;
    out->fps = frames * 1e6 / (double)wall;
    out->cpu_pct = cpu_pct(cpu, wall);
    ok = frames > 0;

out:
    gst_element_set_state(pipeline, GST_STATE_NULL);
    gst_object_unref(sink);
    gst_object_unref(pipeline);
    return ok;
}

/* The UI loop's wake-up: one SDL event per frame taken (frame_slot.h). */
static Uint32 frame_event;

/* Streaming thread. */
static void on_new_frame(void *userdata)
{
    SDL_Event e = {.type = frame_event};
    SDL_PushEvent(&e);
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_new_frame};

struct source_state {
    bool failed;
    char *error;
};

/* The bench's main thread owns ctx: this runs when the loop iterates it. */
static void on_source_event(void *userdata, enum cr_camera_source_event event, const char *message)
{
    struct source_state *st = userdata;
    if (event == CR_SOURCE_ERROR || event == CR_SOURCE_EOS) {
        st->failed = true;
        g_free(st->error);
        st->error = g_strdup(message ? message : "end of stream");
    }
}

static const struct cr_camera_source_callbacks source_cbs = {.on_event = on_source_event};

/* Waits for a frame, shows it; returns the latency in µs, or -1 if no frame
 * came within timeout_ms. */
static int64_t show_next_frame(struct cr_screen *screen, struct cr_tile *tile, GMainContext *ctx,
                               int timeout_ms)
{
    SDL_Event e;
    int64_t latency = -1;
    if (SDL_WaitEventTimeout(&e, timeout_ms) && e.type == frame_event &&
        cr_tile_update(tile, screen->renderer)) {
        SDL_SetRenderDrawColor(screen->renderer, 0, 0, 0, 255);
        SDL_RenderClear(screen->renderer);
        cr_tile_draw(tile, screen->renderer, (struct cr_rect){0, 0, screen->width, screen->height});
        cr_screen_present(screen);
        latency = cr_monotonic_us() - tile->current->capture_us;
    }
    while (g_main_context_iteration(ctx, FALSE))
        ;
    return latency;
}

static bool run_craie(struct cr_screen *screen, const char *mode_text, int seconds,
                      struct bench_result *out)
{
    GMainContext *ctx = g_main_context_new();
    struct source_state st = {0};
    struct cr_tile tile;
    struct cr_camera_device dev;
    struct cr_camera_mode mode;
    GArray *latencies = g_array_new(FALSE, FALSE, sizeof(int64_t));
    bool ok = false;

    cr_tile_init(&tile, CR_TILE_CAMERA, &slot_cbs, NULL);
    cr_camera_device_init_test(&dev);
    cr_camera_mode_parse(mode_text, &mode);
    struct cr_camera_source *src =
        cr_camera_source_new(ctx, &dev, &mode, &tile.slot, &source_cbs, &st);
    if (!src || !cr_camera_source_start(src)) {
        fprintf(stderr, "%s: the source does not start\n", mode_text);
        goto out;
    }

    int64_t warm_end = cr_monotonic_us() + BENCH_FIRST_FRAME_US;
    while (!st.failed && !cr_tile_has_image(&tile) && cr_monotonic_us() < warm_end)
        show_next_frame(screen, &tile, ctx, 100);
    if (!cr_tile_has_image(&tile)) {
        fprintf(stderr, "%s: no frame (%s)\n", mode_text, st.error ? st.error : "timeout");
        goto out;
    }

    uint64_t dropped0, dropped1;
    cr_frame_slot_stats(&tile.slot, NULL, &dropped0);
    int64_t t0 = cr_monotonic_us(), cpu0 = cr_process_cpu_us();
    int64_t end = t0 + (int64_t)seconds * G_USEC_PER_SEC;
    while (!st.failed && cr_monotonic_us() < end) {
        int64_t latency = show_next_frame(screen, &tile, ctx, 100);
        if (latency >= 0)
            g_array_append_val(latencies, latency);
    }
    int64_t wall = cr_monotonic_us() - t0, cpu = cr_process_cpu_us() - cpu0;
    cr_frame_slot_stats(&tile.slot, NULL, &dropped1);
    if (st.failed) {
        fprintf(stderr, "%s: %s\n", mode_text, st.error);
        goto out;
    }

    out->frames = latencies->len;
    out->fps = latencies->len * 1e6 / (double)wall;
    out->cpu_pct = cpu_pct(cpu, wall);
    out->dropped = dropped1 - dropped0;
    out->p50_ms = percentile_ms(latencies, 0.50);
    out->p95_ms = percentile_ms(latencies, 0.95);
    ok = true;

out:
    cr_camera_source_free(src);
    while (g_main_context_iteration(ctx, FALSE))
        ;
    SDL_FlushEvent(frame_event);
    cr_tile_destroy(&tile);
    cr_camera_device_clear(&dev);
    g_free(st.error);
    g_array_free(latencies, TRUE);
    g_main_context_unref(ctx);
    return ok;
}

int cr_bench_camera(int argc, char **argv)
{
    int seconds = BENCH_DEFAULT_SECONDS;
    GOptionEntry entries[] = {
        {"seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Length of each run (default 8)", "N"},
        {NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("- document camera benchmark");
    g_option_context_add_main_entries(opt, entries, NULL);
    g_option_context_add_group(opt, gst_init_get_option_group());
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(opt, &argc, &argv, &err) || seconds <= 0) {
        fprintf(stderr, "craie-bench camera: %s\n", err ? err->message : "bad --seconds");
        return 2;
    }
    /* Headless by default (notes/headless.md): the software renderer. */
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    cr_log_init(false);
    gst_init(NULL, NULL);

    struct bench_result base = {0}, mjpeg = {0}, raw = {0};
    long rss_start_kb = peak_rss_kb();
    fprintf(stderr, "# baseline: test source MJPEG 1080p30, bare appsink, %d s\n", seconds);
    if (!run_baseline(seconds, &base))
        return 1;
    long rss_baseline_kb = peak_rss_kb();

    struct cr_screen screen;
    const struct cr_screen_options sopts = {.width = 1920, .height = 1080, .title = "craie-bench"};
    if (!cr_screen_init(&screen, &sopts))
        return 1;
    frame_event = SDL_RegisterEvents(1);
    fprintf(stderr, "# craie: %s video driver, %s renderer, %dx%d\n", SDL_GetCurrentVideoDriver(),
            screen.software ? "software" : "accelerated", screen.width, screen.height);

    fprintf(stderr, "# craie: MJPEG 1080p30 through a tile, %d s\n", seconds);
    bool ok = run_craie(&screen, "1920x1080@30/mjpeg", seconds, &mjpeg);
    fprintf(stderr, "# craie: raw I420 1080p30 through a tile, %d s\n", seconds);
    ok = run_craie(&screen, "1920x1080@30/raw-I420", seconds, &raw) && ok;
    cr_screen_destroy(&screen);
    if (!ok)
        return 1;

    /* For people: a small table on stderr (stdout keeps the key=value lines). */
    fprintf(stderr, "\n%-28s %6s %8s %8s %7s %8s\n", "path (1080p30 test source)", "fps", "p50 ms",
            "p95 ms", "cpu %", "dropped");
    fprintf(stderr, "%-28s %6.1f %8.1f %8.1f %7.1f %8" G_GUINT64_FORMAT "\n", "craie, MJPEG",
            mjpeg.fps, mjpeg.p50_ms, mjpeg.p95_ms, mjpeg.cpu_pct, mjpeg.dropped);
    fprintf(stderr, "%-28s %6.1f %8.1f %8.1f %7.1f %8" G_GUINT64_FORMAT "\n", "craie, raw I420",
            raw.fps, raw.p50_ms, raw.p95_ms, raw.cpu_pct, raw.dropped);
    fprintf(stderr, "%-28s %6.1f %8s %8s %7.1f %8s\n\n", "baseline, MJPEG decode only", base.fps,
            "-", "-", base.cpu_pct, "-");

    printf("fps=%.1f\n", mjpeg.fps);
    printf("latency_p50_ms=%.1f\n", mjpeg.p50_ms);
    printf("latency_p95_ms=%.1f\n", mjpeg.p95_ms);
    printf("cpu_pct=%.1f\n", mjpeg.cpu_pct);
    printf("dropped=%" G_GUINT64_FORMAT "\n", mjpeg.dropped);
    printf("raw_fps=%.1f\n", raw.fps);
    printf("raw_latency_p50_ms=%.1f\n", raw.p50_ms);
    printf("raw_latency_p95_ms=%.1f\n", raw.p95_ms);
    printf("raw_cpu_pct=%.1f\n", raw.cpu_pct);
    printf("raw_dropped=%" G_GUINT64_FORMAT "\n", raw.dropped);
    printf("baseline_fps=%.1f\n", base.fps);
    printf("baseline_cpu_pct=%.1f\n", base.cpu_pct);
    printf("cpu_ratio_vs_baseline=%.2f\n", base.cpu_pct > 0 ? mjpeg.cpu_pct / base.cpu_pct : 0.0);
    /* Peak resident memory (VmHWM) only grows: after the baseline, then after
     * craie's paths in the same process. */
    long rss_peak_kb = peak_rss_kb();
    printf("baseline_rss_peak_mb=%.1f\n", rss_baseline_kb / 1024.0);
    printf("rss_peak_mb=%.1f\n", rss_peak_kb / 1024.0);
    printf("rss_ratio_vs_baseline=%.2f\n",
           rss_baseline_kb > rss_start_kb
               ? (double)(rss_peak_kb - rss_start_kb) / (rss_baseline_kb - rss_start_kb)
               : 0.0);
    return 0;
}
