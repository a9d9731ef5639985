/* craie-bench media: what opening a video or a document costs on this
 * machine, against the bare libraries in the same run.
 *   first frame, baseline: a bare libvlc instance with vmem callbacks (RV32,
 *     fixed size), from libvlc_new() to the first display callback;
 *   first frame, craie: cr_player_new() + play (what a tap does) to the
 *     first picture taken from the slot, uploaded to a tile, drawn and
 *     presented (SDL dummy video, software renderer, 1920×1080);
 *   playback CPU: the same two for a few seconds of 720p30;
 *   document: poppler alone rendering page 1 into a cairo surface, vs
 *     cr_document_open_file() + cr_document_render() at 1920 px, presented.
 * Test media are encoded at start (x264 720p30 + Vorbis, a two-page PDF).
 * Prints key=value lines on stdout; notes on stderr. */
#include <SDL.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <vlc/vlc.h>

#include "common/log.h"
#include "common/util.h"
#include "display/document/document.h"
#include "display/events.h"
#include "display/player/player.h"
#include "display/screen.h"
#include "display/tile.h"
#include "tests/media/media_gen.h"

#define W 1280
#define H 720

int cr_bench_media(int argc, char **argv);

static int64_t cpu_us(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
           (int64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* --- baseline: bare libvlc ------------------------------------------------------ */

struct bare {
    GMutex lock;
    GCond cond;
    int64_t first_us; /* guarded by lock */
    uint64_t frames;  /* guarded by lock */
    uint8_t *pixels;
};

static void *bare_lock(void *opaque, void **planes)
{
    struct bare *b = opaque;
    planes[0] = b->pixels;
    return NULL;
}

static void bare_display(void *opaque, void *picture)
{
    struct bare *b = opaque;
    g_mutex_lock(&b->lock);
    if (!b->first_us)
        b->first_us = cr_monotonic_us();
    b->frames++;
    g_cond_signal(&b->cond);
    g_mutex_unlock(&b->lock);
}

/* Returns the ms to the first picture (or -1); plays on for play_s seconds
 * and sets *cpu_pct when play_s > 0. */
static double run_bare(const char *path, int play_s, double *cpu_pct)
{
    struct bare b = {0};
    g_mutex_init(&b.lock);
    g_cond_init(&b.cond);
    b.pixels = g_malloc((size_t)W * H * 4);
    const char *args[] = {"--ignore-config", "--no-video-title-show",
                          "--no-xlib",       "--avcodec-hw=none",
                          "--quiet",         "--aout=adummy"};
    int64_t t0 = cr_monotonic_us();
    libvlc_instance_t *vlc = libvlc_new(G_N_ELEMENTS(args), args);
    libvlc_media_t *m = libvlc_media_new_path(vlc, path);
    libvlc_media_player_t *mp = libvlc_media_player_new_from_media(m);
    libvlc_media_release(m);
    libvlc_video_set_callbacks(mp, bare_lock, NULL, bare_display, &b);
    libvlc_video_set_format(mp, "RV32", W, H, W * 4);
    libvlc_media_player_play(mp);
    g_mutex_lock(&b.lock);
    int64_t deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    while (!b.first_us && g_cond_wait_until(&b.cond, &b.lock, deadline))
        ;
    double ms = b.first_us ? (b.first_us - t0) / 1000.0 : -1;
    g_mutex_unlock(&b.lock);
    if (play_s > 0) {
        int64_t c0 = cpu_us(), w0 = cr_monotonic_us();
        g_usleep((gulong)play_s * G_USEC_PER_SEC);
        *cpu_pct = 100.0 * (double)(cpu_us() - c0) / (double)(cr_monotonic_us() - w0);
    }
    libvlc_media_player_stop(mp);
    libvlc_media_player_release(mp);
    libvlc_release(vlc);
    g_free(b.pixels);
    g_mutex_clear(&b.lock);
    g_cond_clear(&b.cond);
    return ms;
}

/* --- craie: player → slot → tile → present --------------------------------------- */

static void on_new_frame(void *userdata)
{
    cr_event_post(CR_EVENT_NEW_FRAME, userdata, NULL);
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_new_frame};

/* Runs the UI loop until the first present (and then play_s seconds). */
static double run_craie(struct cr_screen *screen, const char *path, int play_s, double *cpu_pct,
                        uint64_t *presented)
{
    struct cr_tile tile;
    cr_tile_init(&tile, CR_TILE_VIDEO, &slot_cbs, &tile);
    struct cr_rect rect = {0, 0, screen->width, screen->height};
    int64_t t0 = cr_monotonic_us();
    struct cr_player_options o = {
        .mrl_or_path = path, .slot = &tile.slot, .aout = "adummy", .volume = -1};
    struct cr_player *p = cr_player_new(&o);
    if (!p)
        return -1;
    cr_player_play(p);
    double first_ms = -1;
    int64_t end = t0 + 10 * G_USEC_PER_SEC, c0 = 0, w0 = 0;
    uint64_t presents = 0;
    while (cr_monotonic_us() < end) {
        SDL_Event ev;
        enum cr_event_type type;
        void *payload;
        if (!SDL_WaitEventTimeout(&ev, 20) || !cr_event_decode(&ev, &type, &payload))
            continue;
        if (type == CR_EVENT_PLAYER)
            cr_player_dispatch(payload);
        if (type == CR_EVENT_NEW_FRAME && cr_tile_update(&tile, screen->renderer)) {
            SDL_SetRenderDrawColor(screen->renderer, 0, 0, 0, 255);
            SDL_RenderClear(screen->renderer);
            cr_tile_draw(&tile, screen->renderer, rect);
            cr_screen_present(screen);
            presents++;
            if (first_ms < 0) {
                first_ms = (cr_monotonic_us() - t0) / 1000.0;
                if (play_s <= 0)
                    break;
                c0 = cpu_us();
                w0 = cr_monotonic_us();
                end = w0 + (int64_t)play_s * G_USEC_PER_SEC;
                presents = 0;
            }
        }
        cr_event_free_payload(&ev);
    }
    if (play_s > 0 && w0)
        *cpu_pct = 100.0 * (double)(cpu_us() - c0) / (double)(cr_monotonic_us() - w0);
    if (presented)
        *presented = presents;
    cr_player_destroy(p);
    cr_tile_destroy(&tile);
    cr_events_drain();
    return first_ms;
}

/* --- documents ------------------------------------------------------------------------ */

static double run_poppler(const char *path)
{
    int64_t t0 = cr_monotonic_us();
    char *uri = g_filename_to_uri(path, NULL, NULL);
    PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, NULL);
    g_free(uri);
    if (!doc)
        return -1;
    PopplerPage *pg = poppler_document_get_page(doc, 0);
    double w, h;
    poppler_page_get_size(pg, &w, &h);
    double scale = 1920 / w;
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1920, (int)(h * scale + 0.5));
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    poppler_page_render(pg, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    double ms = (cr_monotonic_us() - t0) / 1000.0;
    cairo_surface_destroy(s);
    g_object_unref(pg);
    g_object_unref(doc);
    return ms;
}

static double run_document(struct cr_screen *screen, const char *path)
{
    int64_t t0 = cr_monotonic_us();
    struct cr_document *doc = cr_document_open_file(path, NULL);
    if (!doc)
        return -1;
    struct cr_tile tile;
    cr_tile_init(&tile, CR_TILE_WEB, NULL, NULL);
    cr_tile_set_frame(&tile, screen->renderer, cr_document_render(doc, 0, 1920));
    SDL_SetRenderDrawColor(screen->renderer, 0, 0, 0, 255);
    SDL_RenderClear(screen->renderer);
    cr_tile_draw(&tile, screen->renderer, (struct cr_rect){0, 0, screen->width, screen->height});
    cr_screen_present(screen);
    double ms = (cr_monotonic_us() - t0) / 1000.0;
    cr_tile_destroy(&tile);
    cr_document_close(doc);
    return ms;
}

int cr_bench_media(int argc, char **argv)
{
    int runs = 5, seconds = 5;
    GOptionEntry entries[] = {
        {"runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Openings of each kind (default 5)", "N"},
        {"seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Playback measured (default 5)", "S"},
        {NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("- video and document benchmark");
    g_option_context_add_main_entries(opt, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(opt, &argc, &argv, &err) || runs <= 0 || runs > 50 ||
        seconds <= 0) {
        fprintf(stderr, "craie-bench media: %s\n", err ? err->message : "bad --runs/--seconds");
        return 2;
    }
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    cr_log_init(false);
    gst_init(NULL, NULL);

    g_autofree char *dir = g_dir_make_tmp("craie-bench-media-XXXXXX", NULL);
    g_autofree char *video = g_build_filename(dir, "video.mkv", NULL);
    g_autofree char *pdf = g_build_filename(dir, "cours.pdf", NULL);
    fprintf(stderr, "# encoding a %dx%d 30 fps test video and a PDF\n", W, H);
    if (!cr_test_make_video(video, W, H, seconds + 6) || !cr_test_make_pdf(pdf)) {
        fprintf(stderr, "craie-bench media: cannot make the test media\n");
        return 1;
    }

    struct cr_screen screen;
    const struct cr_screen_options sopts = {.width = 1920, .height = 1080, .title = "craie-bench"};
    if (!cr_screen_init(&screen, &sopts) || !cr_events_init())
        return 1;
    fprintf(stderr, "# %s video driver, %s renderer, %dx%d\n", SDL_GetCurrentVideoDriver(),
            screen.software ? "software" : "accelerated", screen.width, screen.height);

    double *base = g_new(double, runs), *craie = g_new(double, runs);
    double *pbase = g_new(double, runs), *pcraie = g_new(double, runs);
    double base_cpu = 0, craie_cpu = 0;
    uint64_t presented = 0;
    bool ok = true;
    /* Interleaved, so that the machine's other load falls on both alike;
     * the first pair (cold caches) counts like the others. */
    for (int i = 0; i < runs && ok; i++) {
        bool last = i == runs - 1;
        base[i] = run_bare(video, last ? seconds : 0, &base_cpu);
        craie[i] = run_craie(&screen, video, last ? seconds : 0, &craie_cpu, &presented);
        pbase[i] = run_poppler(pdf);
        pcraie[i] = run_document(&screen, pdf);
        fprintf(stderr,
                "# run %d: first frame %.1f ms (bare libvlc %.1f ms), first page %.1f ms "
                "(poppler %.1f ms)\n",
                i + 1, craie[i], base[i], pcraie[i], pbase[i]);
        ok = base[i] > 0 && craie[i] > 0 && pbase[i] > 0 && pcraie[i] > 0;
    }
    cr_events_close();
    cr_events_drain();
    cr_screen_destroy(&screen);
    g_unlink(video);
    g_unlink(pdf);
    g_rmdir(dir);
    if (!ok) {
        fprintf(stderr, "craie-bench media: a run failed\n");
        return 1;
    }
    double b = median(base, runs), c = median(craie, runs);
    double pb = median(pbase, runs), pc = median(pcraie, runs);
    printf("first_frame_ms=%.1f\n", c);
    printf("baseline_first_frame_ms=%.1f\n", b);
    printf("first_frame_ratio=%.2f\n", b > 0 ? c / b : 0.0);
    printf("play_cpu_pct=%.1f\n", craie_cpu);
    printf("baseline_play_cpu_pct=%.1f\n", base_cpu);
    printf("play_cpu_ratio=%.2f\n", base_cpu > 0 ? craie_cpu / base_cpu : 0.0);
    printf("play_fps=%.1f\n", (double)presented / seconds);
    printf("first_page_ms=%.1f\n", pc);
    printf("baseline_first_page_ms=%.1f\n", pb);
    printf("first_page_ratio=%.2f\n", pb > 0 ? pc / pb : 0.0);
    g_free(base);
    g_free(craie);
    g_free(pbase);
    g_free(pcraie);
    return 0;
}
