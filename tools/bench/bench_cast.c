/* craie-bench cast: what casting costs on this machine, the receiver alone
 * in this process (senders in another process, so that their CPU does not
 * count):
 *   - the largest number of 480x270 tiles that all hold >= 29 fps, and of
 *     1080p30 tiles, from GStreamer test senders (one shared encoder in a
 *     child process: craie-bench cast-senders);
 *   - the receiver's CPU per 720p30 stream (4 streams);
 *   - capture -> present latency with real Chromium senders whose page
 *     draws a timestamp pattern (32 bits of Date.now(), then inverted),
 *     decoded here from the picture and timed after present, 1 and 4 senders.
 * Tiles are drawn as on the board: a grid, at most one render per 15 ms.
 * Prints key=value lines on stdout; notes on stderr. */
#include <SDL.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "build_config.h"
#include "common/log.h"
#include "common/util.h"
#include "display/cast/cast_net.h"
#include "display/cast/cast_server.h"
#include "display/screen.h"
#include "display/tile.h"
#include "tools/bench/cast_sender.h"

int cr_bench_cast(int argc, char **argv);
int cr_bench_cast_senders(int argc, char **argv);

#define BENCH_MAX_TILES 16

struct result {
    bool ok;
    double min_fps, mean_fps;
    double cpu_pct;
    double p50_ms, p95_ms;
    unsigned samples;
};

static Uint32 frame_event;
static char *cert, *key;

/* Streaming thread. */
static void on_new_frame(void *tile)
{
    SDL_Event e = {.type = frame_event};
    e.user.data1 = tile;
    SDL_PushEvent(&e);
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_new_frame};

/* --- the timestamp pattern -------------------------------------------------- */

static int luma(const struct cr_frame *f, int x, int y)
{
    return f->planes[0][(size_t)y * f->strides[0] + x];
}

/* Streaming thread: reads the page's clock from the picture; on success sets
 * capture_us to when the page drew it, on our monotonic clock. */
static void read_pattern(void *userdata, struct cr_frame *f, int64_t arrival_us)
{
    f->capture_us = 0;
    if (f->width < 64 || f->height < 32)
        return;
    uint32_t a = 0, b = 0;
    int ya = f->height / 16, yb = f->height * 3 / 16;
    for (int i = 0; i < 32; i++) {
        int x = (int)((i + 0.5) * f->width / 32);
        int va = luma(f, x, ya), vb = luma(f, x, yb);
        if (abs(va - 128) < 60 || abs(vb - 128) < 60)
            return; /* not clearly black or white: no pattern, or a blend */
        a = (a << 1) | (va > 128);
        b = (b << 1) | (vb > 128);
    }
    if (a != ~b)
        return;
    int64_t now_real_ms = g_get_real_time() / 1000;
    int64_t ago_ms = (int64_t)(uint32_t)((uint32_t)now_real_ms - a);
    if (ago_ms > 10000)
        return;
    f->capture_us = arrival_us - ago_ms * 1000 - (cr_monotonic_us() - arrival_us);
}

/* --- one run ------------------------------------------------------------------ */

struct run {
    struct cr_cast_server *server;
    struct cr_cast_status *status;
    unsigned approved;
};

static void on_status(void *userdata, struct cr_cast_status *st)
{
    struct run *r = userdata;
    cr_cast_status_free(r->status);
    r->status = st;
    /* Approve the newcomers (approving reports again: collect first). */
    unsigned ids[BENCH_MAX_TILES], n = 0;
    for (size_t i = 0; i < st->n_senders && n < BENCH_MAX_TILES; i++)
        if (!st->senders[i].approved)
            ids[n++] = st->senders[i].id;
    for (unsigned i = 0; i < n; i++) {
        cr_cast_server_approve(r->server, ids[i]);
        r->approved++;
    }
}

static const struct cr_cast_server_callbacks server_cbs = {.on_status = on_status};

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static double percentile_ms(GArray *v, double p)
{
    if (v->len == 0)
        return 0;
    qsort(v->data, v->len, sizeof(int64_t), cmp_i64);
    return g_array_index(v, int64_t, (size_t)(p * (v->len - 1) + 0.5)) / 1000.0;
}

static unsigned live_with_frames(struct run *r)
{
    unsigned n = 0;
    for (size_t i = 0; r->status && i < r->status->n_senders; i++)
        n += r->status->senders[i].state == CR_CAST_LIVE && r->status->senders[i].width > 0;
    return n;
}

/* Draws every tile in its grid cell and presents. */
static void render(struct cr_screen *screen, struct cr_tile *tiles, unsigned n,
                   const struct cr_rect *cells)
{
    SDL_SetRenderDrawColor(screen->renderer, 15, 23, 42, 255);
    SDL_RenderClear(screen->renderer);
    for (unsigned i = 0; i < n; i++)
        if (cr_tile_has_image(&tiles[i]))
            cr_tile_draw(&tiles[i], screen->renderer, cells[i]);
    cr_screen_present(screen);
}

static GPid spawn_senders(bool browser, const char *url, const char *code, unsigned n, int w, int h,
                          int fps)
{
    char ns[16], ws[16], hs[16], fs[16], size[32];
    snprintf(ns, sizeof(ns), "%u", n);
    snprintf(ws, sizeof(ws), "%d", w);
    snprintf(hs, sizeof(hs), "%d", h);
    snprintf(fs, sizeof(fs), "%d", fps);
    snprintf(size, sizeof(size), "%dx%d", w, h);
    char *script = g_build_filename(CR_SOURCE_ROOT, "tests", "browser", "bench_sender.js", NULL);
    char *self = g_file_read_link("/proc/self/exe", NULL);
    const char *gst_argv[] = {self, "cast-senders", url, code, ns, ws, hs, fs, NULL};
    const char *node_argv[] = {"node", script, url, code, ns, size, NULL};
    GPid pid = 0;
    GError *err = NULL;
    if (!g_spawn_async(NULL, (char **)(browser ? node_argv : gst_argv), NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &err)) {
        fprintf(stderr, "cannot start the senders: %s\n", err->message);
        g_error_free(err);
        pid = 0;
    }
    g_free(script);
    g_free(self);
    return pid;
}

static bool run(struct cr_screen *screen, bool browser, unsigned n, int w, int h, int fps,
                int seconds, struct result *out)
{
    memset(out, 0, sizeof(*out));
    GMainContext *ctx = g_main_context_default();
    struct cr_tile tiles[BENCH_MAX_TILES];
    struct cr_frame_slot *slots[BENCH_MAX_TILES];
    for (unsigned i = 0; i < n; i++) {
        cr_tile_init(&tiles[i], CR_TILE_CAST, &slot_cbs, &tiles[i]);
        slots[i] = &tiles[i].slot;
    }
    struct run r = {0};
    const char *addresses[] = {"127.0.0.1", NULL};
    char *web = g_build_filename(CR_SOURCE_ROOT, "assets", "web", NULL);
    struct cr_cast_server_options o = {.port = 0,
                                       .addresses = addresses,
                                       .web_dir = web,
                                       .cert_file = cert,
                                       .key_file = key,
                                       .max_senders = n,
                                       .grace_us = G_USEC_PER_SEC,
                                       .stall_us = 2 * G_USEC_PER_SEC,
                                       .latency_ms = 100,
                                       .tap = browser ? read_pattern : NULL};
    cr_cast_guard_config_default(&o.guard);
    char *error = NULL;
    r.server = cr_cast_server_new(ctx, &o, slots, n, &server_cbs, &r, &error);
    g_free(web);
    if (!r.server) {
        fprintf(stderr, "server: %s\n", error);
        g_free(error);
        return false;
    }
    r.status = cr_cast_server_status(r.server);
    GPid child = spawn_senders(browser, r.status->url, r.status->code, n, w, h, fps);

    struct cr_rect cells[BENCH_MAX_TILES];
    cr_layout_compute(cr_layout_for_count(n), (struct cr_rect){0, 0, screen->width, screen->height},
                      n, 0, 8, cells, BENCH_MAX_TILES);
    GArray *lat = g_array_new(FALSE, FALSE, sizeof(int64_t));
    int64_t last_capture[BENCH_MAX_TILES] = {0};
    uint64_t uploads0[BENCH_MAX_TILES] = {0};
    int64_t start = cr_monotonic_us(), measure_from = 0, measure_to = 0, cpu0 = 0, next_render = 0;
    bool sized = false;
    while (child) {
        int64_t now = cr_monotonic_us();
        while (g_main_context_iteration(ctx, FALSE))
            ;
        if (!measure_from && live_with_frames(&r) == n) {
            if (!sized) { /* each sender at its cell's size, as on the board */
                for (size_t i = 0; i < r.status->n_senders; i++)
                    cr_cast_server_set_size(r.server, r.status->senders[i].id, cells[i].w,
                                            cells[i].h, true);
                sized = true;
            }
            measure_from = now + 3 * G_USEC_PER_SEC; /* settle */
            measure_to = measure_from + (int64_t)seconds * G_USEC_PER_SEC;
        }
        if (!measure_from && now - start > 40 * G_USEC_PER_SEC) {
            fprintf(stderr, "  only %u of %u senders live after 40 s\n", live_with_frames(&r), n);
            break;
        }
        int child_status;
        if (waitpid(child, &child_status, WNOHANG) == child) {
            fprintf(stderr, "  the senders exited\n");
            g_spawn_close_pid(child);
            child = 0;
            break;
        }
        if (measure_from && !cpu0 && now >= measure_from) {
            cpu0 = cr_process_cpu_us();
            for (unsigned i = 0; i < n; i++)
                uploads0[i] = tiles[i].uploads;
            g_array_set_size(lat, 0);
        }
        if (measure_to && now >= measure_to) {
            double wall = (double)(now - measure_from);
            out->cpu_pct = 100.0 * (double)(cr_process_cpu_us() - cpu0) / wall;
            out->min_fps = 1e9;
            for (unsigned i = 0; i < n; i++) {
                double f = (double)(tiles[i].uploads - uploads0[i]) * 1e6 / wall;
                out->min_fps = CR_MIN(out->min_fps, f);
                out->mean_fps += f / n;
            }
            out->p50_ms = percentile_ms(lat, 0.5);
            out->p95_ms = percentile_ms(lat, 0.95);
            out->samples = lat->len;
            out->ok = true;
            break;
        }
        SDL_Event e;
        bool dirty = false;
        if (SDL_WaitEventTimeout(&e, 4)) {
            do {
                if (e.type == frame_event)
                    dirty |= cr_tile_update(e.user.data1, screen->renderer);
            } while (SDL_PollEvent(&e));
        }
        now = cr_monotonic_us();
        if (dirty && now >= next_render) {
            render(screen, tiles, n, cells);
            next_render = now + 15000;
            int64_t shown = cr_monotonic_us();
            for (unsigned i = 0; i < n; i++) {
                struct cr_frame *f = tiles[i].current;
                if (f && f->capture_us > 0 && f->capture_us != last_capture[i]) {
                    last_capture[i] = f->capture_us;
                    int64_t l = shown - f->capture_us;
                    g_array_append_val(lat, l);
                }
            }
        }
    }
    if (child) {
        kill(child, SIGTERM);
        int status;
        for (int i = 0; i < 100 && waitpid(child, &status, WNOHANG) == 0; i++)
            g_usleep(50000);
        if (waitpid(child, &status, WNOHANG) == 0) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
        }
        g_spawn_close_pid(child);
    }
    cr_cast_server_free(r.server);
    while (g_main_context_iteration(ctx, FALSE))
        ;
    SDL_FlushEvent(frame_event);
    for (unsigned i = 0; i < n; i++)
        cr_tile_destroy(&tiles[i]);
    cr_cast_status_free(r.status);
    g_array_free(lat, TRUE);
    return out->ok;
}

static void note(const char *what, unsigned n, int w, int h, const struct result *res)
{
    fprintf(stderr, "  %-9s %2u x %4dx%-4d  fps min %5.1f mean %5.1f  cpu %5.1f %%", what, n, w, h,
            res->min_fps, res->mean_fps, res->cpu_pct);
    /* Chromium runs: capture (the page's clock in the picture) to present;
     * GStreamer runs: decoded to present only. */
    if (res->samples)
        fprintf(stderr, "  %s p50 %.0f ms p95 %.0f ms (%u)",
                strcmp(what, "chromium") ? "decode->present" : "capture->present", res->p50_ms,
                res->p95_ms, res->samples);
    fprintf(stderr, "%s\n", res->ok ? "" : "  FAILED");
}

int cr_bench_cast(int argc, char **argv)
{
    int seconds = 6;
    gboolean no_browser = FALSE;
    GOptionEntry entries[] = {
        {"seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Length of each measure (default 6)", "N"},
        {"no-browser", 0, 0, G_OPTION_ARG_NONE, &no_browser, "Skip the Chromium latency runs",
         NULL},
        {NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("- casting benchmark");
    g_option_context_add_main_entries(opt, entries, NULL);
    g_option_context_add_group(opt, gst_init_get_option_group());
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(opt, &argc, &argv, &err) || seconds <= 0) {
        fprintf(stderr, "craie-bench cast: %s\n", err ? err->message : "bad --seconds");
        return 2;
    }
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    cr_log_init(false);
    gst_init(NULL, NULL);
    char *dir = g_dir_make_tmp("craie-bench-cast-XXXXXX", NULL);
    char *error = NULL;
    if (!cr_cast_tls_files(NULL, NULL, dir, &cert, &key, &error)) {
        fprintf(stderr, "craie-bench cast: %s\n", error);
        return 1;
    }
    struct cr_screen screen;
    const struct cr_screen_options sopts = {.width = 1920, .height = 1080, .title = "craie-bench"};
    if (!cr_screen_init(&screen, &sopts))
        return 1;
    frame_event = SDL_RegisterEvents(1);
    fprintf(stderr, "# receiver: %s renderer, %dx%d; senders in another process\n",
            screen.software ? "software" : "accelerated", screen.width, screen.height);

    struct result res;
    /* The most 480x270 tiles that all hold >= 29 fps (the wall holds 16). */
    unsigned max_small = 0;
    const unsigned counts[] = {16, 9, 4, 1};
    for (size_t i = 0; i < G_N_ELEMENTS(counts) && !max_small; i++) {
        run(&screen, false, counts[i], 480, 270, 30, seconds, &res);
        note("gst", counts[i], 480, 270, &res);
        if (res.ok && res.min_fps >= 29)
            max_small = counts[i];
    }
    unsigned max_1080 = 0;
    for (unsigned n = 4; n >= 1 && !max_1080; n--) {
        run(&screen, false, n, 1920, 1080, 30, seconds, &res);
        note("gst", n, 1920, 1080, &res);
        if (res.ok && res.min_fps >= 29)
            max_1080 = n;
    }
    struct result r720;
    run(&screen, false, 4, 1280, 720, 30, seconds, &r720);
    note("gst", 4, 1280, 720, &r720);

    struct result b1 = {0}, b4 = {0};
    if (!no_browser) {
        run(&screen, true, 1, 1280, 720, 30, seconds, &b1);
        note("chromium", 1, 1280, 720, &b1);
        run(&screen, true, 4, 640, 360, 30, seconds, &b4);
        note("chromium", 4, 640, 360, &b4);
    }
    cr_screen_destroy(&screen);

    printf("max_tiles_480x270=%u\n", max_small);
    printf("tiles_1080p30=%u\n", max_1080);
    printf("receiver_cpu_pct_per_720p=%.1f\n", r720.ok ? r720.cpu_pct / 4 : 0.0);
    printf("fps_min_4x720p=%.1f\n", r720.min_fps);
    printf("latency_p50_ms=%.1f\n", b1.p50_ms);
    printf("latency_p95_ms=%.1f\n", b1.p95_ms);
    printf("latency_samples=%u\n", b1.samples);
    printf("latency_4_senders_p50_ms=%.1f\n", b4.p50_ms);
    printf("latency_4_senders_p95_ms=%.1f\n", b4.p95_ms);
    printf("fps_min_4_chromium_360p=%.1f\n", b4.min_fps);
    g_unlink(cert);
    g_unlink(key);
    g_rmdir(dir);
    g_free(dir);
    return max_small > 0 ? 0 : 1;
}

/* --- the child: N senders from one encoder ---------------------------------- */

static gboolean on_term(gpointer loop)
{
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

int cr_bench_cast_senders(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: craie-bench cast-senders URL CODE N WIDTH HEIGHT FPS\n");
        return 2;
    }
    gst_init(NULL, NULL);
    unsigned n = (unsigned)atoi(argv[3]);
    int w = atoi(argv[4]), h = atoi(argv[5]), fps = atoi(argv[6]);
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    struct cr_cast_source *src = cr_cast_source_new(w, h, fps, true);
    if (!src)
        return 1;
    struct cr_cast_sender *senders[BENCH_MAX_TILES] = {NULL};
    for (unsigned i = 0; i < n && i < BENCH_MAX_TILES; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Bench %u", i + 1);
        struct cr_cast_sender_options o = {.url = argv[1],
                                           .code = argv[2],
                                           .name = name,
                                           .width = w,
                                           .height = h,
                                           .fps = fps,
                                           .moving = true,
                                           .source = src};
        senders[i] = cr_cast_sender_new(g_main_context_default(), &o);
    }
    g_unix_signal_add(SIGTERM, on_term, loop);
    g_main_loop_run(loop);
    for (unsigned i = 0; i < n && i < BENCH_MAX_TILES; i++)
        cr_cast_sender_free(senders[i]);
    cr_cast_source_free(src);
    g_main_loop_unref(loop);
    return 0;
}
