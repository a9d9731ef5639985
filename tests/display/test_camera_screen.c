/* The camera screen in each camera state, rendered offscreen (SDL dummy
 * driver, software renderer) and checked by its pixels. Pictures are kept in
 * build/test-artifacts/display/. */
#include <SDL.h>
#include <glib.h>
#include <string.h>

#include "common/i18n.h"
#include "display/frame.h"
#include "display/screen.h"
#include "display/tile.h"
#include "display/ui/camera_screen.h"
#include "display/ui/theme.h"
#include "tests/display/display_test.h"

struct fixture {
    struct cr_screen screen;
    struct cr_ui ui;
    struct cr_tile live;
    struct cr_camera_screen cs;
};

static void setup(struct fixture *f, gconstpointer data)
{
    cr_test_screen_ui_init(&f->screen, &f->ui, 1280, 720);
    cr_tile_init(&f->live, CR_TILE_CAMERA, NULL, NULL);
    cr_camera_screen_init(&f->cs, &f->live, 4);
}

static void teardown(struct fixture *f, gconstpointer data)
{
    cr_camera_screen_destroy(&f->cs);
    cr_tile_destroy(&f->live);
    cr_ui_destroy(&f->ui);
    cr_screen_destroy(&f->screen);
}

static void set_state(struct fixture *f, enum cr_camera_state state)
{
    struct cr_camera_status_msg msg = {.state = state,
                                       .device_name = g_strdup("HD USB Camera"),
                                       .n_devices = state == CR_CAMERA_NO_DEVICE ? 0 : 1};
    cr_camera_screen_set_status(&f->cs, &msg);
    g_free(msg.device_name);
    g_free(msg.detail);
}

/* A pure red 640x360 camera frame on the live tile. */
static void show_red_frame(struct fixture *f)
{
    struct cr_frame *fr = cr_frame_new_alloc(CR_PIXEL_I420, 640, 360);
    g_assert_nonnull(fr);
    memset(fr->planes[0], 81, (size_t)fr->strides[0] * 360);
    memset(fr->planes[1], 90, (size_t)fr->strides[1] * 180);
    memset(fr->planes[2], 240, (size_t)fr->strides[2] * 180);
    g_assert_true(cr_tile_set_frame(&f->live, f->ui.r, fr));
}

static SDL_Surface *render(struct fixture *f, const char *name)
{
    SDL_SetRenderDrawColor(f->ui.r, 0, 0, 0, 255);
    SDL_RenderClear(f->ui.r);
    cr_camera_screen_draw(&f->cs, &f->ui);
    return cr_test_read_back(&f->screen, name);
}

/* Pixels of roughly colour rgb (±tol per channel) inside r. */
static int count(SDL_Surface *s, struct cr_rect r, unsigned rgb, int tol)
{
    return cr_test_count_color(s, r, rgb, tol);
}

#define RED 0xfe0000u
#define WARN 0xf97316u   /* CR_C_WARN: the unplugged / failed icons */
#define ACTION 0x2563ebu /* CR_C_BUTTON_ACTIVE: "show the test pattern" */

static void test_no_camera_offers_test_pattern(struct fixture *f, gconstpointer data)
{
    set_state(f, CR_CAMERA_NO_DEVICE);
    SDL_Surface *s = render(f, "no-camera");
    g_assert_true(f->cs.content_button.visible);
    struct cr_rect b = f->cs.content_button.rect, content = cr_ui_content_rect(&f->ui);
    g_assert_true(cr_rect_contains(content, b.x, b.y));
    g_assert_true(cr_rect_contains(content, b.x + b.w - 1, b.y + b.h - 1));
    g_assert_cmpint(count(s, b, ACTION, 8), >, b.w * b.h / 3);
    /* Its tap runs the command that switches to the test source. */
    g_assert_cmpstr(cr_camera_screen_hit(&f->cs, b.x + b.w / 2, b.y + b.h / 2), ==, "camera test");
    SDL_FreeSurface(s);
}

static void test_live_shows_the_image(struct fixture *f, gconstpointer data)
{
    show_red_frame(f);
    set_state(f, CR_CAMERA_LIVE);
    SDL_Surface *s = render(f, "live");
    struct cr_rect img = f->live.image_rect;
    g_assert_cmpint(count(s, img, RED, 40), >, img.w * img.h * 8 / 10);
    g_assert_false(f->cs.content_button.visible);
    SDL_FreeSurface(s);
}

static void test_unplugged_never_shows_a_stale_image(struct fixture *f, gconstpointer data)
{
    show_red_frame(f);
    set_state(f, CR_CAMERA_UNPLUGGED);
    SDL_Surface *s = render(f, "unplugged");
    struct cr_rect content = cr_ui_content_rect(&f->ui);
    g_assert_cmpint(count(s, content, RED, 40), ==, 0);   /* no frozen lie */
    g_assert_cmpint(count(s, content, WARN, 30), >, 200); /* the unplugged icon */
    SDL_FreeSurface(s);
}

static void test_frozen_image_survives_unplug(struct fixture *f, gconstpointer data)
{
    show_red_frame(f);
    set_state(f, CR_CAMERA_LIVE);
    cr_tile_set_frozen(&f->live, true);
    set_state(f, CR_CAMERA_UNPLUGGED);
    SDL_Surface *s = render(f, "frozen-unplugged");
    struct cr_rect img = f->live.image_rect;
    /* The teacher keeps the frozen picture, with a badge saying the camera is gone. */
    g_assert_cmpint(count(s, img, RED, 40), >, img.w * img.h / 2);
    g_assert_cmpint(count(s, img, WARN, 30), >, 200);
    SDL_FreeSurface(s);
}

static void test_failed_says_it_retries(struct fixture *f, gconstpointer data)
{
    set_state(f, CR_CAMERA_FAILED);
    SDL_Surface *s = render(f, "failed");
    g_assert_cmpint(count(s, cr_ui_content_rect(&f->ui), WARN, 30), >, 200);
    SDL_FreeSurface(s);
}

static void test_buttons_follow_state(struct fixture *f, gconstpointer data)
{
    set_state(f, CR_CAMERA_NO_DEVICE);
    SDL_FreeSurface(render(f, "buttons-none"));
    /* Nothing to freeze, capture or save without an image: no dead buttons. */
    g_assert_false(f->cs.buttons[CR_CAM_FREEZE].enabled);
    g_assert_false(f->cs.buttons[CR_CAM_SNAPSHOT].enabled);
    g_assert_false(f->cs.buttons[CR_CAM_SAVE].enabled);
    g_assert_false(f->cs.buttons[CR_CAM_COMPARE].enabled);

    show_red_frame(f);
    set_state(f, CR_CAMERA_LIVE);
    SDL_FreeSurface(render(f, "buttons-live"));
    g_assert_true(f->cs.buttons[CR_CAM_FREEZE].enabled);
    g_assert_true(f->cs.buttons[CR_CAM_SNAPSHOT].enabled);
    g_assert_false(f->cs.buttons[CR_CAM_COMPARE].enabled); /* no snapshot yet */
    g_assert_true(cr_camera_screen_snapshot(&f->cs, f->ui.r));
    SDL_FreeSurface(render(f, "buttons-snapshot"));
    g_assert_true(f->cs.buttons[CR_CAM_COMPARE].enabled);
    g_assert_true(f->cs.buttons[CR_CAM_COMPARE].active);
    /* Every visible button sits in the bar, none overlaps the Home button. */
    struct cr_rect bar = cr_ui_bar_rect(&f->ui), home = cr_ui_home_rect(&f->ui);
    for (int i = 0; i < CR_CAM_BUTTONS; i++) {
        struct cr_rect r = f->cs.buttons[i].rect;
        if (!f->cs.buttons[i].visible)
            continue;
        g_assert_true(cr_rect_contains(bar, r.x, r.y));
        g_assert_cmpint(r.x, >=, home.x + home.w);
        g_assert_cmpint(r.w, >=, 64); /* finger-sized even at 1280x720 */
    }
}

/* Réglages > Appareils: each camera present with each size and format once,
 * at its highest rate, largest first. */
static void test_status_lists_cameras_and_modes(void)
{
    struct cr_camera_mode modes[] = {
        {CR_CODEC_RAW, CR_PIXEL_YUY2, 640, 480, 30, 1},
        {CR_CODEC_MJPEG, CR_PIXEL_UNKNOWN, 1920, 1080, 15, 1},
        {CR_CODEC_MJPEG, CR_PIXEL_UNKNOWN, 1920, 1080, 30, 1},
        {CR_CODEC_RAW, CR_PIXEL_YUY2, 640, 480, 5, 1},
        {CR_CODEC_RAW, CR_PIXEL_YUY2, 1920, 1080, 5, 1},
    };
    struct cr_camera_device devs[2] = {
        {.id = "a", .name = "HD USB Camera", .path = "/dev/video2", .modes = modes, .n_modes = 5},
        {.id = "b", .name = "Visualiseur", .path = "/dev/video4"},
    };
    struct cr_camera_status st = {.state = CR_CAMERA_CLOSED, .n_devices = 2, .devices = devs};
    struct cr_camera_status_msg *m = cr_camera_status_msg_new(&st);
    g_assert_cmpuint(g_strv_length(m->cameras), ==, 2);
    g_assert_cmpstr(m->cameras[0], ==,
                    "HD USB Camera (/dev/video2): 1920x1080@30/mjpeg, 1920x1080@5/raw-YUY2, "
                    "640x480@30/raw-YUY2");
    g_assert_cmpstr(m->cameras[1], ==, "Visualiseur (/dev/video4): –");
    cr_camera_status_msg_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_setenv("SDL_VIDEODRIVER", "dummy", TRUE);
    cr_i18n_init("fr");
    SDL_SetMainReady();
#define ADD(path, fn) g_test_add(path, struct fixture, NULL, setup, fn, teardown)
    ADD("/display/camera/no-camera-offers-test-pattern", test_no_camera_offers_test_pattern);
    ADD("/display/camera/live-shows-the-image", test_live_shows_the_image);
    ADD("/display/camera/unplugged-never-shows-a-stale-image",
        test_unplugged_never_shows_a_stale_image);
    ADD("/display/camera/frozen-image-survives-unplug", test_frozen_image_survives_unplug);
    ADD("/display/camera/failed-says-it-retries", test_failed_says_it_retries);
    ADD("/display/camera/buttons-follow-state", test_buttons_follow_state);
    g_test_add_func("/display/camera/status-lists-cameras-and-modes",
                    test_status_lists_cameras_and_modes);
    return g_test_run();
}
