/* Ink on the screen: the app's input routing (cr_app_feed_input, as the
 * window, the libinput adapter and the control socket feed it) drawing on
 * the whiteboard and on a zoomed camera picture, checked by the pixels read
 * back from the software renderer (SDL dummy driver). Pictures are kept in
 * build/test-artifacts/display/. */
#include <SDL.h>
#include <SDL_image.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"
#include "display/app.h"
#include "display/events.h"
#include "display/frame.h"
#include "display/ink_save.h"
#include "tests/display/display_test.h"

#define BLUE 0x1d4ed8u /* the default pen colour */
#define RED 0xdc2626u  /* the default second pen colour */
#define WHITE 0xffffffu

struct fixture {
    struct cr_config cfg;
    struct cr_app app;
    char *tmp;
    int64_t t; /* event clock */
};

static void setup(struct fixture *f, gconstpointer data)
{
    memset(f, 0, sizeof(*f));
    cr_config_init(&f->cfg);
    if (data) { /* extra settings, "section.key=value;..." */
        char **kv = g_strsplit(data, ";", -1);
        for (char **p = kv; *p; p++) {
            char **pair = g_strsplit(*p, "=", 2);
            g_assert_true(cr_config_set(&f->cfg, pair[0], pair[1], "test"));
            g_strfreev(pair);
        }
        g_strfreev(kv);
    }
    struct cr_app *app = &f->app;
    app->cfg = &f->cfg;
    f->tmp = g_dir_make_tmp("craie-ink-XXXXXX", NULL);
    app->save_dir = g_build_filename(f->tmp, "saved", NULL);
    app->save_threads = g_ptr_array_new();
    cr_io_init(&app->io);
    cr_test_screen_ui_init(&app->screen, &app->ui, 1280, 720);
    g_assert_true(cr_events_init());
    cr_tile_init(&app->camera_tile, CR_TILE_CAMERA, NULL, NULL);
    cr_camera_screen_init(&app->camera_screen, &app->camera_tile, 4);
    cr_launcher_init(&app->launcher);
    cr_notice_init(&app->notice);
    g_assert_true(cr_config_set(&f->cfg, "paths.state_dir", f->tmp, "test"));
    cr_app_input_init(app); /* devices and calibration: none here */
    cr_app_ink_init(app);
    struct cr_gesture_config gc = {.slop_px = 24.0 * app->screen.scale + 8,
                                   .long_press_ms = f->cfg.ui.long_press_ms};
    cr_gesture_init(&app->gestures, &gc);
    app->current = CR_SCREEN_LAUNCHER;
    cr_app_open(app, CR_SCREEN_WHITEBOARD);
    cr_app_render(app); /* lay out */
    f->t = 1000000;
}

static void teardown(struct fixture *f, gconstpointer data)
{
    struct cr_app *app = &f->app;
    for (guint i = 0; i < app->save_threads->len; i++)
        g_thread_join(app->save_threads->pdata[i]);
    g_ptr_array_unref(app->save_threads);
    cr_events_close();
    cr_events_drain();
    cr_app_input_destroy(&f->app);
    cr_app_ink_destroy(app);
    cr_notice_destroy(&app->notice);
    cr_camera_screen_destroy(&app->camera_screen);
    cr_tile_destroy(&app->camera_tile);
    cr_ui_destroy(&app->ui);
    cr_screen_destroy(&app->screen);
    cr_io_destroy(&app->io);
    char *cmd = g_strdup_printf("rm -rf '%s'", f->tmp);
    g_assert_cmpint(system(cmd), ==, 0);
    g_free(cmd);
    g_free(f->tmp);
    g_free(app->save_dir);
    cr_config_destroy(&f->cfg);
}

/* --- input -------------------------------------------------------------- */

struct dev {
    enum cr_input_kind kind;
    uint32_t device, tool;
};

static const struct dev pen = {CR_INPUT_PEN, 16, 7};
static const struct dev pen2 = {CR_INPUT_PEN, 16, 8}; /* another tool on the same device */
static const struct dev eraser = {CR_INPUT_ERASER, 16, 7};
static const struct dev finger = {CR_INPUT_TOUCH, 17, 0};
static const struct dev mouse = {CR_INPUT_POINTER, 0, 0};

static void feed(struct fixture *f, const struct dev *d, enum cr_input_action action, double x,
                 double y, bool hover)
{
    f->t += 8000; /* 125 Hz */
    struct cr_input_event ev = {.kind = d->kind,
                                .action = action,
                                .device_id = d->device,
                                .tool_id = d->tool,
                                .hover = hover,
                                .raw_x = -1,
                                .raw_y = -1,
                                .x = x,
                                .y = y,
                                .pressure = 0.8,
                                .time_us = f->t};
    cr_app_feed_input(&f->app, &ev);
}

/* A straight stroke in n steps, down to up. */
static void stroke(struct fixture *f, const struct dev *d, double x0, double y0, double x1,
                   double y1)
{
    const int n = 24;
    feed(f, d, CR_INPUT_DOWN, x0, y0, false);
    for (int i = 1; i <= n; i++)
        feed(f, d, CR_INPUT_MOTION, x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n, false);
    feed(f, d, CR_INPUT_UP, x1, y1, false);
}

static void tap(struct fixture *f, const struct dev *d, int x, int y)
{
    feed(f, d, CR_INPUT_DOWN, x, y, false);
    feed(f, d, CR_INPUT_UP, x, y, false);
}

static struct cr_rect button(struct fixture *f, const char *action)
{
    const struct cr_button *b = NULL;
    const struct cr_button *set = f->app.current == CR_SCREEN_WHITEBOARD
                                      ? f->app.whiteboard.toolbar.buttons
                                      : f->app.camera_screen.ink_bar.buttons;
    for (int i = 0; i < CR_INK_TOOLS && !b; i++)
        if (set[i].visible && !strcmp(set[i].action, action))
            b = &set[i];
    if (!b)
        g_error("no visible button does '%s'", action);
    return b->rect;
}

static void tap_button(struct fixture *f, const struct dev *d, const char *action)
{
    struct cr_rect r = button(f, action);
    tap(f, d, r.x + r.w / 2, r.y + r.h / 2);
}

/* --- pixels ------------------------------------------------------------- */

static SDL_Surface *render(struct fixture *f, const char *name)
{
    struct cr_app *app = &f->app;
    cr_app_render(app);
    g_autofree char *file = g_strdup_printf("ink-%s", name);
    SDL_Surface *s = cr_test_read_back(&app->screen, file);
    cr_screen_present(&app->screen);
    cr_app_ink_presented(app, cr_monotonic_us());
    return s;
}

static bool near_color(SDL_Surface *s, int x, int y, unsigned rgb, int tol)
{
    g_assert_true(x >= 0 && y >= 0 && x < s->w && y < s->h);
    Uint32 v = ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x];
    int dr = (int)((v >> 16) & 0xff) - (int)((rgb >> 16) & 0xff);
    int dg = (int)((v >> 8) & 0xff) - (int)((rgb >> 8) & 0xff);
    int db = (int)(v & 0xff) - (int)(rgb & 0xff);
    return abs(dr) <= tol && abs(dg) <= tol && abs(db) <= tol;
}

/* rgb somewhere within 2 px of (x, y). */
static bool ink_at(SDL_Surface *s, int x, int y, unsigned rgb)
{
    for (int dy = -2; dy <= 2; dy++)
        for (int dx = -2; dx <= 2; dx++)
            if (near_color(s, x + dx, y + dy, rgb, 12))
                return true;
    return false;
}

static int count_color(SDL_Surface *s, struct cr_rect r, unsigned rgb)
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            n += near_color(s, x, y, rgb, 12);
    return n;
}

/* --- whiteboard --------------------------------------------------------- */

static void test_pen_writes_on_the_board(struct fixture *f, gconstpointer data)
{
    struct cr_rect board = f->app.whiteboard.board;
    g_assert_cmpint(board.w, ==, 1280);
    stroke(f, &pen, 200, 200, 700, 400);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
    SDL_Surface *s = render(f, "board-stroke");
    for (int i = 0; i <= 10; i++)
        g_assert_true(ink_at(s, 200 + 50 * i, 200 + 20 * i, BLUE));
    /* Paper elsewhere, and no long-press ring: a pen writing is not a gesture. */
    g_assert_true(near_color(s, 1000, 150, WHITE, 0));
    g_assert_true(near_color(s, 400, 500, WHITE, 0));
    g_assert_cmpfloat(cr_gesture_long_press_progress(&f->app.gestures, f->t), <, 0);
    int blue = count_color(s, board, BLUE);
    g_assert_cmpint(blue, >, 540 * 2); /* ~540 px long, at least 2 px wide */
    g_assert_cmpint(blue, <, 540 * 8);
    SDL_FreeSurface(s);
}

static void test_hover_never_draws(struct fixture *f, gconstpointer data)
{
    /* A pen hovering over the board, then over a button: nothing. */
    for (int i = 0; i < 20; i++)
        feed(f, &pen, CR_INPUT_MOTION, 200 + 20 * i, 300, true);
    struct cr_rect undo = button(f, "ink undo");
    feed(f, &pen, CR_INPUT_MOTION, undo.x + 10, undo.y + 10, true);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 0);
    SDL_Surface *s = render(f, "hover");
    g_assert_cmpint(count_color(s, f->app.whiteboard.board, BLUE), ==, 0);
    SDL_FreeSurface(s);

    /* Writing, then the pen reports hovering (its UP was lost), then goes
     * down far away: two strokes, no line between them (OpenBoard's bug). */
    feed(f, &pen, CR_INPUT_DOWN, 100, 100, false);
    for (int i = 1; i <= 10; i++)
        feed(f, &pen, CR_INPUT_MOTION, 100 + 10 * i, 100, false);
    feed(f, &pen, CR_INPUT_MOTION, 600, 450, true); /* lifted */
    feed(f, &pen, CR_INPUT_DOWN, 1100, 500, false); /* no UP ever came */
    feed(f, &pen, CR_INPUT_MOTION, 1150, 500, false);
    feed(f, &pen, CR_INPUT_UP, 1150, 500, false);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 2);
    s = render(f, "lost-up");
    g_assert_true(ink_at(s, 150, 100, BLUE));
    g_assert_true(ink_at(s, 1120, 500, BLUE));
    g_assert_false(ink_at(s, 600, 300, BLUE)); /* half way: nothing */
    g_assert_false(ink_at(s, 600, 450, BLUE));
    SDL_FreeSurface(s);
}

static void test_fingers_pan_mouse_writes(struct fixture *f, gconstpointer data)
{
    stroke(f, &finger, 200, 200, 600, 200);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 0);
    stroke(f, &mouse, 200, 300, 600, 300); /* the teacher at the desk */
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
    SDL_Surface *s = render(f, "finger-mouse");
    g_assert_false(ink_at(s, 400, 200, BLUE));
    g_assert_true(ink_at(s, 400, 300, BLUE));
    SDL_FreeSurface(s);
}

static void test_finger_draws_when_configured(struct fixture *f, gconstpointer data)
{
    stroke(f, &finger, 200, 200, 600, 200);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
    /* Buttons still answer to fingers. */
    tap_button(f, &finger, "ink undo");
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 0);
}

static void test_pen_taps_buttons(struct fixture *f, gconstpointer data)
{
    stroke(f, &pen, 200, 200, 600, 200);
    stroke(f, &pen, 200, 300, 600, 300);
    /* Undo with the pen: a tap on the button, not a dot on the board. */
    tap_button(f, &pen, "ink undo");
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
    tap_button(f, &pen, "ink redo");
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 2);
    /* Pick red with the pen, then write red. */
    tap_button(f, &pen, "ink color red");
    stroke(f, &pen, 200, 400, 600, 400);
    /* Thick. */
    tap_button(f, &pen, "ink width next");
    g_assert_cmpfloat(f->app.ink.style.width, >, f->app.ink.style.default_width);
    stroke(f, &pen, 200, 500, 600, 500);
    SDL_Surface *s = render(f, "pen-buttons");
    g_assert_true(ink_at(s, 400, 400, RED));
    struct cr_rect thin = {300, 390, 200, 20}, thick = {300, 490, 200, 20};
    g_assert_cmpint(count_color(s, thick, RED), >, count_color(s, thin, RED) * 2);
    SDL_FreeSurface(s);
    /* The Home button, tapped with the pen, goes home. */
    struct cr_rect home = cr_ui_home_rect(&f->app.ui);
    tap(f, &pen, home.x + home.w / 2, home.y + home.h / 2);
    g_assert_cmpint(f->app.current, ==, CR_SCREEN_LAUNCHER);
}

static void test_two_pens_two_colours(struct fixture *f, gconstpointer data)
{
    /* Both pens down at once, their samples interleaved. */
    feed(f, &pen, CR_INPUT_DOWN, 200, 200, false);
    feed(f, &pen2, CR_INPUT_DOWN, 200, 400, false);
    for (int i = 1; i <= 20; i++) {
        feed(f, &pen, CR_INPUT_MOTION, 200 + 25 * i, 200, false);
        feed(f, &pen2, CR_INPUT_MOTION, 200 + 25 * i, 400, false);
    }
    feed(f, &pen2, CR_INPUT_UP, 700, 400, false);
    feed(f, &pen, CR_INPUT_UP, 700, 200, false);
    SDL_Surface *s = render(f, "two-pens");
    g_assert_true(ink_at(s, 450, 200, BLUE));
    g_assert_true(ink_at(s, 450, 400, RED));
    g_assert_false(ink_at(s, 450, 300, BLUE));
    g_assert_false(ink_at(s, 450, 300, RED));
    SDL_FreeSurface(s);
}

static void test_eraser(struct fixture *f, gconstpointer data)
{
    stroke(f, &pen, 200, 200, 700, 200);
    stroke(f, &pen, 200, 400, 700, 400);
    /* The pen's eraser end across the first stroke removes all of it. */
    stroke(f, &eraser, 450, 150, 450, 250);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
    SDL_Surface *s = render(f, "eraser");
    g_assert_false(ink_at(s, 250, 200, BLUE));
    g_assert_true(ink_at(s, 250, 400, BLUE));
    SDL_FreeSurface(s);
    /* Undo brings it back. */
    tap_button(f, &pen, "ink undo");
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 2);
    /* Eraser mode (Gomme): the pen tip erases until it is turned off. */
    tap_button(f, &pen, "ink eraser");
    g_assert_true(f->app.ink.style.eraser);
    stroke(f, &pen, 450, 350, 450, 450);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
    tap_button(f, &pen, "ink color blue"); /* picking a colour writes again */
    g_assert_false(f->app.ink.style.eraser);
    /* A cancelled eraser gesture (palm, unplug) removes nothing. */
    feed(f, &eraser, CR_INPUT_DOWN, 450, 150, false);
    feed(f, &eraser, CR_INPUT_MOTION, 450, 250, false);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 0);
    feed(f, &eraser, CR_INPUT_CANCEL, 450, 250, false);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
}

static void test_palm_is_ignored(struct fixture *f, gconstpointer data)
{
    struct cr_app *app = &f->app;
    /* A palm lands on the board, then the pen writes for longer than the
     * long press while the palm rests still: craie stays on the board. */
    feed(f, &finger, CR_INPUT_DOWN, 600, 500, false);
    feed(f, &pen, CR_INPUT_DOWN, 200, 200, false);
    for (int i = 1; i <= 500; i++) { /* 4 s */
        feed(f, &pen, CR_INPUT_MOTION, 200 + i, 200 + 50 * sin(i / 20.0), false);
        cr_app_tick_input(app, f->t); /* as the main loop does */
    }
    g_assert_cmpint(app->current, ==, CR_SCREEN_WHITEBOARD);
    g_assert_cmpfloat(cr_gesture_long_press_progress(&app->gestures, f->t), <, 0);
    /* Another palm lands while writing and rests there: ignored too. */
    static const struct dev palm2 = {CR_INPUT_TOUCH, 17, 0};
    struct cr_input_event down = {.kind = palm2.kind,
                                  .action = CR_INPUT_DOWN,
                                  .device_id = palm2.device,
                                  .slot = 1,
                                  .x = 900,
                                  .y = 300,
                                  .time_us = f->t += 8000};
    cr_app_feed_input(app, &down);
    for (int i = 1; i <= 400; i++) {
        feed(f, &pen, CR_INPUT_MOTION, 700 + i, 200, false);
        cr_app_tick_input(app, f->t);
    }
    g_assert_cmpint(app->current, ==, CR_SCREEN_WHITEBOARD);
    struct cr_input_event up = down;
    up.action = CR_INPUT_UP;
    up.time_us = f->t += 8000;
    cr_app_feed_input(app, &up);
    feed(f, &pen, CR_INPUT_UP, 1100, 200, false);
    feed(f, &finger, CR_INPUT_UP, 600, 500, false);
    g_assert_cmpuint(cr_ink_count(&app->whiteboard.ink), ==, 1);
    SDL_Surface *s = render(f, "palm");
    g_assert_false(ink_at(s, 600, 500, BLUE));
    g_assert_false(ink_at(s, 900, 300, BLUE));
    SDL_FreeSurface(s);
    /* Just after the pen, a finger on a button still works. */
    stroke(f, &pen, 200, 400, 600, 400);
    tap_button(f, &finger, "ink undo");
    g_assert_cmpuint(cr_ink_count(&app->whiteboard.ink), ==, 1);
    /* And long after the pen, a finger held still goes home as always. */
    f->t += 1000000;
    feed(f, &finger, CR_INPUT_DOWN, 600, 500, false);
    f->t += (int64_t)f->cfg.ui.long_press_ms * 1000 + 1000;
    cr_app_tick_input(app, f->t);
    g_assert_cmpint(app->current, ==, CR_SCREEN_LAUNCHER);
    feed(f, &finger, CR_INPUT_UP, 600, 500, false);
}

static void test_cancel_drops_the_stroke(struct fixture *f, gconstpointer data)
{
    feed(f, &pen, CR_INPUT_DOWN, 200, 200, false);
    feed(f, &pen, CR_INPUT_MOTION, 400, 200, false);
    feed(f, &pen, CR_INPUT_CANCEL, 400, 200, false);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 0);
    SDL_Surface *s = render(f, "cancel");
    g_assert_cmpint(count_color(s, f->app.whiteboard.board, BLUE), ==, 0);
    SDL_FreeSurface(s);
}

static void test_clear_asks_first(struct fixture *f, gconstpointer data)
{
    stroke(f, &pen, 200, 200, 700, 200);
    tap_button(f, &pen, "ink clear ask");
    struct cr_notice *n = &f->app.notice;
    g_assert_true(n->visible);
    g_assert_cmpstr(n->action, ==, "ink clear");
    SDL_FreeSurface(render(f, "clear-ask"));
    /* "Keep": nothing lost, the board is back. */
    struct cr_rect keep = n->buttons[0].rect;
    tap(f, &pen, keep.x + keep.w / 2, keep.y + keep.h / 2);
    g_assert_false(n->visible);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
    /* A pen on the board while the panel is up does not write: its tap
     * outside the panel closes it, as a finger's does. */
    tap_button(f, &pen, "ink clear ask");
    SDL_FreeSurface(render(f, "clear-ask"));
    stroke(f, &pen, 200, 600, 220, 600);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
    g_assert_false(n->visible);
    tap_button(f, &pen, "ink clear ask");
    SDL_FreeSurface(render(f, "clear-ask"));
    struct cr_rect go = n->buttons[1].rect;
    tap(f, &pen, go.x + go.w / 2, go.y + go.h / 2);
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 0);
    tap_button(f, &pen, "ink undo"); /* and undo brings it back */
    g_assert_cmpuint(cr_ink_count(&f->app.whiteboard.ink), ==, 1);
}

static void test_paper(struct fixture *f, gconstpointer data)
{
    cr_app_action(&f->app, "whiteboard paper seyes");
    stroke(f, &pen, 300, 100, 900, 100);
    SDL_Surface *s = render(f, "seyes");
    double k = f->app.screen.scale;
    /* The red margin and a bold line where the ruling puts them. */
    g_assert_true(ink_at(s, (int)lround(168 * k), 300, 0xe05a70));
    g_assert_true(ink_at(s, 1000, (int)lround(84 * k), 0x8b9fd9));
    g_assert_true(ink_at(s, 600, 100, BLUE));
    SDL_FreeSurface(s);
    cr_app_action(&f->app, "whiteboard paper black");
    stroke(f, &pen, 300, 300, 900, 300);
    s = render(f, "chalkboard");
    g_assert_true(near_color(s, 1000, 500, 0x18211e, 0));
    g_assert_true(ink_at(s, 600, 300, 0x7dd3fc)); /* blue, as chalk */
    SDL_FreeSurface(s);
}

static void test_latency_hook(struct fixture *f, gconstpointer data)
{
    cr_app_ink_latency_reset(&f->app);
    int64_t t0 = cr_monotonic_us();
    f->t = t0;
    feed(f, &pen, CR_INPUT_DOWN, 200, 200, false);
    feed(f, &pen, CR_INPUT_MOTION, 300, 200, false);
    feed(f, &pen, CR_INPUT_MOTION, 400, 200, false);
    SDL_FreeSurface(render(f, "latency"));
    struct cr_ink_latency l;
    cr_app_ink_latency(&f->app, &l);
    g_assert_cmpuint(l.count, ==, 3);
    g_assert_cmpint(l.last_input_us, ==, t0 + 3 * 8000);
    g_assert_cmpint(l.last_present_us, >=, l.last_input_us - 3 * 8000);
    g_assert_cmpint(l.max_us, >=, l.p95_us);
    g_assert_cmpint(l.p95_us, >=, l.p50_us);
    g_assert_cmpint(f->app.whiteboard.layer.drawn_input_us, ==, t0 + 3 * 8000);
    /* Nothing new: a frame adds no sample. */
    SDL_FreeSurface(render(f, "latency"));
    cr_app_ink_latency(&f->app, &l);
    g_assert_cmpuint(l.count, ==, 3);
}

static bool file_saved(struct fixture *f, char **path)
{
    for (guint i = 0; i < f->app.save_threads->len; i++)
        g_thread_join(f->app.save_threads->pdata[i]);
    g_ptr_array_set_size(f->app.save_threads, 0);
    GDir *d = g_dir_open(f->app.save_dir, 0, NULL);
    const char *name;
    *path = NULL;
    while (d && (name = g_dir_read_name(d)))
        if (g_str_has_suffix(name, ".png")) {
            g_free(*path);
            *path = g_build_filename(f->app.save_dir, name, NULL);
        }
    if (d)
        g_dir_close(d);
    return *path != NULL;
}

static SDL_Surface *load(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    g_assert_nonnull(raw);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    return s;
}

static void test_save_board(struct fixture *f, gconstpointer data)
{
    cr_app_action(&f->app, "whiteboard paper grid");
    stroke(f, &pen, 200, 200, 700, 400);
    cr_app_action(&f->app, "ink save");
    char *path;
    g_assert_true(file_saved(f, &path));
    SDL_Surface *s = load(path);
    /* At the board's size in board units (1080p design pixels). */
    g_assert_cmpint(s->w, ==, 1920);
    g_assert_cmpint(abs(s->h - (int)lround(f->app.whiteboard.board.h / f->app.screen.scale)), <=,
                    1);
    double k = 1 / f->app.screen.scale;
    g_assert_true(ink_at(s, (int)(450 * k), (int)(300 * k), BLUE));
    g_assert_true(near_color(s, 1800, 40, WHITE, 0));
    g_assert_true(ink_at(s, 1800, 48, 0xc5cfdf)); /* the grid */
    SDL_FreeSurface(s);
    g_free(path);
}

/* --- camera ------------------------------------------------------------- */

/* A plain white 640x360 camera picture, the camera live. */
static void camera_live(struct fixture *f)
{
    struct cr_app *app = &f->app;
    cr_app_open(app, CR_SCREEN_CAMERA);
    struct cr_camera_status_msg msg = {
        .state = CR_CAMERA_LIVE, .device_name = g_strdup("HD USB Camera"), .n_devices = 1};
    cr_camera_screen_set_status(&app->camera_screen, &msg);
    struct cr_frame *fr = cr_frame_new_alloc(CR_PIXEL_I420, 640, 360);
    g_assert_nonnull(fr);
    memset(fr->planes[0], 235, (size_t)fr->strides[0] * 360);
    memset(fr->planes[1], 128, (size_t)fr->strides[1] * 180);
    memset(fr->planes[2], 128, (size_t)fr->strides[2] * 180);
    g_assert_true(cr_tile_set_frame(&app->camera_tile, app->ui.r, fr));
    cr_app_render(app);
}

static void test_camera_ink_follows_zoom(struct fixture *f, gconstpointer data)
{
    camera_live(f);
    struct cr_tile *t = &f->app.camera_tile;
    struct cr_rect img = t->image_rect;
    int cx = img.x + img.w / 2, cy = img.y + img.h / 2;
    /* A horizontal line 100 px below the centre, across the middle. */
    stroke(f, &pen, cx - 150, cy + 100, cx + 150, cy + 100);
    g_assert_cmpuint(cr_ink_count(&f->app.camera_screen.live_ink), ==, 1);
    SDL_Surface *s = render(f, "camera");
    g_assert_true(ink_at(s, cx, cy + 100, BLUE));
    SDL_FreeSurface(s);
    double u, v, ux, uy;
    g_assert_true(cr_tile_screen_to_content(t, cx + 100, cy + 100, &u, &v));

    /* ×2 around the centre: the line is now 200 px below it, and longer. */
    cr_tile_zoom(t, 2.0f, (float)cx, (float)cy);
    s = render(f, "camera-zoom");
    g_assert_true(ink_at(s, cx, cy + 200, BLUE));
    g_assert_true(ink_at(s, cx + 250, cy + 200, BLUE));
    g_assert_false(ink_at(s, cx, cy + 100, BLUE));
    g_assert_true(cr_tile_content_to_screen(t, u, v, &ux, &uy));
    g_assert_true(ink_at(s, (int)ux, (int)uy, BLUE));
    SDL_FreeSurface(s);

    /* A finger still pans (and does not write), once the pen has left. */
    f->t += 1000000;
    float centre_x = t->view.center_x;
    stroke(f, &finger, cx, cy, cx - 100, cy - 60);
    g_assert_cmpuint(cr_ink_count(&f->app.camera_screen.live_ink), ==, 1);
    g_assert_cmpfloat(t->view.center_x, >, centre_x);
    g_assert_true(cr_tile_content_to_screen(t, u, v, &ux, &uy));
    s = render(f, "camera-pan");
    g_assert_true(ink_at(s, (int)ux, (int)uy, BLUE));
    SDL_FreeSurface(s);

    /* Turned: it turns with the picture. */
    cr_app_action(&f->app, "camera zoom reset");
    cr_app_action(&f->app, "camera rotate on");
    s = render(f, "camera-rotated");
    g_assert_true(ink_at(s, cx, cy - 100, BLUE));
    g_assert_false(ink_at(s, cx, cy + 100, BLUE));
    SDL_FreeSurface(s);
}

static void test_camera_toolbar_and_save(struct fixture *f, gconstpointer data)
{
    camera_live(f);
    struct cr_tile *t = &f->app.camera_tile;
    struct cr_rect img = t->image_rect;
    /* The compact toolbar: a pen on it taps, it never writes under it. */
    tap_button(f, &pen, "ink color red");
    struct cr_rect r = button(f, "ink color red");
    g_assert_cmpint(r.w, >=, 64);
    g_assert_cmpint(r.h, >=, 64);
    stroke(f, &pen, img.x + 100, img.y + 100, img.x + 400, img.y + 100);
    tap_button(f, &pen, "ink clear ask");
    g_assert_true(f->app.notice.visible);
    cr_app_action(&f->app, "dismiss");
    SDL_Surface *s = render(f, "camera-toolbar");
    g_assert_true(ink_at(s, img.x + 250, img.y + 100, RED));
    SDL_FreeSurface(s);

    /* Saved with the ink, at the picture's resolution (640x360 here). */
    double u, v;
    g_assert_true(cr_tile_screen_to_content(t, img.x + 250, img.y + 100, &u, &v));
    cr_app_action(&f->app, "camera save");
    char *path;
    g_assert_true(file_saved(f, &path));
    s = load(path);
    g_assert_cmpint(s->w, ==, 640);
    g_assert_cmpint(s->h, ==, 360);
    g_assert_true(ink_at(s, (int)(u * 360), (int)(v * 360), RED));
    g_assert_true(near_color(s, 600, 300, WHITE, 8));
    SDL_FreeSurface(s);
    g_free(path);

    /* A snapshot keeps the ink; ink on it is its own. */
    cr_app_action(&f->app, "camera snapshot");
    struct cr_ink *snap_ink = f->app.camera_screen.snapshots[0].ink;
    g_assert_cmpuint(cr_ink_count(snap_ink), ==, 1);
    cr_app_render(&f->app);
    struct cr_rect si = f->app.camera_screen.snap.image_rect;
    stroke(f, &pen, si.x + 50, si.y + 150, si.x + 250, si.y + 150);
    g_assert_cmpuint(cr_ink_count(snap_ink), ==, 2);
    g_assert_cmpuint(cr_ink_count(&f->app.camera_screen.live_ink), ==, 1);
    /* Undo acts where the pen last wrote: the snapshot. */
    cr_app_action(&f->app, "ink undo");
    g_assert_cmpuint(cr_ink_count(snap_ink), ==, 1);
    g_assert_cmpuint(cr_ink_count(&f->app.camera_screen.live_ink), ==, 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_setenv("SDL_VIDEODRIVER", "dummy", TRUE);
    cr_i18n_init("fr");
    SDL_SetMainReady();
#define ADD(path, data, fn) g_test_add(path, struct fixture, data, setup, fn, teardown)
    ADD("/display/ink/pen-writes-on-the-board", NULL, test_pen_writes_on_the_board);
    ADD("/display/ink/hover-never-draws", NULL, test_hover_never_draws);
    ADD("/display/ink/fingers-pan-mouse-writes", NULL, test_fingers_pan_mouse_writes);
    ADD("/display/ink/finger-draws-when-configured", "ink.finger_draws=true",
        test_finger_draws_when_configured);
    ADD("/display/ink/pen-taps-buttons", NULL, test_pen_taps_buttons);
    ADD("/display/ink/two-pens-two-colours", NULL, test_two_pens_two_colours);
    ADD("/display/ink/eraser", NULL, test_eraser);
    ADD("/display/ink/palm-is-ignored", NULL, test_palm_is_ignored);
    ADD("/display/ink/cancel-drops-the-stroke", NULL, test_cancel_drops_the_stroke);
    ADD("/display/ink/clear-asks-first", NULL, test_clear_asks_first);
    ADD("/display/ink/paper", NULL, test_paper);
    ADD("/display/ink/latency-hook", NULL, test_latency_hook);
    ADD("/display/ink/save-board", NULL, test_save_board);
    ADD("/display/ink/camera-ink-follows-zoom", NULL, test_camera_ink_follows_zoom);
    ADD("/display/ink/camera-toolbar-and-save", NULL, test_camera_toolbar_and_save);
    return g_test_run();
}
