/* The control bars of media and document tiles rendered offscreen (SDL
 * dummy driver, software renderer), checked by their pixels and their
 * hit-tests: play/pause, the seek bar (tap and drag), the volume, full
 * screen, an error in place of the seek bar; previous/next page, the page
 * label, zoom buttons dimmed when they cannot act. Pictures in
 * build/test-artifacts/display/. */
#include <SDL.h>
#include <glib.h>
#include <string.h>

#include "common/util.h"
#include "display/player/audio_card.h"
#include "display/screen.h"
#include "display/tile.h"
#include "display/ui/document_bar.h"
#include "display/ui/media_bar.h"
#include "display/ui/theme.h"
#include "tests/display/display_test.h"

#define ACCENT 0xfacc15u
#define ACTIVE 0x2563ebu
#define BUTTON 0x334155u
#define WHITE 0xf8fafcu
#define WARN 0xf97316u

struct fixture {
    struct cr_screen screen;
    struct cr_ui ui;
    struct cr_rect rect; /* where the bar goes: the bottom of a 1280×720 tile */
};

static void setup(struct fixture *f, gconstpointer data)
{
    cr_test_screen_ui_init(&f->screen, &f->ui, 1280, 720);
    int h = cr_media_bar_height(&f->ui);
    g_assert_cmpint(h, >=, 48);
    f->rect = (struct cr_rect){0, 720 - h, 1280, h};
}

static void teardown(struct fixture *f, gconstpointer data)
{
    cr_ui_destroy(&f->ui);
    cr_screen_destroy(&f->screen);
}

static SDL_Surface *render_media(struct fixture *f, struct cr_media_bar *bar,
                                 const struct cr_player_state *st, bool fullscreen,
                                 const char *name)
{
    SDL_SetRenderDrawColor(f->ui.r, 0, 0, 0, 255);
    SDL_RenderClear(f->ui.r);
    cr_media_bar_draw(bar, &f->ui, f->rect, st, fullscreen);
    g_autofree char *file = g_strdup_printf("media-bar-%s", name);
    return cr_test_read_back(&f->screen, file);
}

static struct cr_player_state playing_state(void)
{
    return (struct cr_player_state){.status = CR_PLAYER_PLAYING,
                                    .position = 0.5,
                                    .time_ms = 95000,
                                    .length_ms = 190000,
                                    .volume = 30,
                                    .seekable = true,
                                    .has_video = true};
}

static int cx(struct cr_rect r)
{
    return r.x + r.w / 2;
}

static int cy(struct cr_rect r)
{
    return r.y + r.h / 2;
}

static void test_media_pixels(struct fixture *f, gconstpointer data)
{
    struct cr_media_bar bar = {0};
    struct cr_player_state st = playing_state();
    SDL_Surface *s = render_media(f, &bar, &st, false, "playing");
    /* Inside the tile's bottom, in order from left to right. */
    g_assert_true(bar.play.x < bar.time.x && bar.time.x < bar.seek.x && bar.seek.x < bar.mute.x &&
                  bar.mute.x < bar.volume.x && bar.volume.x < bar.fullscreen.x);
    g_assert_cmpint(bar.fullscreen.x + bar.fullscreen.w, <=, 1280);
    g_assert_cmpint(bar.seek.w, >, 400);
    /* The big play/pause button. */
    g_assert_cmpint(cr_test_count_color(s, bar.play, ACTIVE, 8), >, bar.play.w * bar.play.h / 3);
    /* Playing: the pause icon's right bar (x = 31/48 of the icon) is white. */
    int icon = bar.play.h * 3 / 5;
    struct cr_rect right_bar = {cx(bar.play) + icon * 6 / 48, cy(bar.play) - 2, icon * 2 / 48, 4};
    g_assert_cmpint(cr_test_count_color(s, right_bar, WHITE, 40), >, 0);
    /* The seek bar half filled with the accent: left half yes, right half
     * (past the knob) no. */
    struct cr_rect left = {bar.seek.x, bar.seek.y, bar.seek.w / 2 - bar.seek.h / 4, bar.seek.h};
    struct cr_rect right = {bar.seek.x + bar.seek.w / 2 + bar.seek.h / 4, bar.seek.y,
                            bar.seek.w / 2 - bar.seek.h / 4, bar.seek.h};
    g_assert_cmpint(cr_test_count_color(s, left, ACCENT, 10), >, 200);
    g_assert_cmpint(cr_test_count_color(s, right, ACCENT, 10), ==, 0);
    g_assert_cmpint(cr_test_count_color(s, right, BUTTON, 10), >, 100);
    /* The time is written. */
    g_assert_cmpint(cr_test_count_color(s, bar.time, WHITE, 40), >, 100);
    /* The volume at 30 %: white up to about a third of the slider. */
    struct cr_rect vol_low = {bar.volume.x, bar.volume.y, bar.volume.w / 4, bar.volume.h};
    struct cr_rect vol_high = {bar.volume.x + bar.volume.w / 2, bar.volume.y, bar.volume.w / 2,
                               bar.volume.h};
    g_assert_cmpint(cr_test_count_color(s, vol_low, WHITE, 30), >, 20);
    g_assert_cmpint(cr_test_count_color(s, vol_high, WHITE, 30), ==, 0);
    SDL_FreeSurface(s);

    /* Paused: the play triangle, hollow where the pause bar was. */
    st.status = CR_PLAYER_PAUSED;
    s = render_media(f, &bar, &st, true, "paused");
    g_assert_cmpint(cr_test_count_color(s, right_bar, WHITE, 40), ==, 0);
    g_assert_cmpint(cr_test_count_color(s, right_bar, ACTIVE, 8), >, 0);
    SDL_FreeSurface(s);
}

static void test_media_error(struct fixture *f, gconstpointer data)
{
    struct cr_media_bar bar = {0};
    struct cr_player_state st = {.status = CR_PLAYER_ERROR, .volume = 100};
    g_strlcpy(st.error, "“broken.mkv” cannot be played", sizeof(st.error));
    SDL_Surface *s = render_media(f, &bar, &st, false, "error");
    struct cr_rect msg = {bar.time.x, f->rect.y, bar.seek.x + bar.seek.w - bar.time.x, f->rect.h};
    g_assert_cmpint(cr_test_count_color(s, msg, WARN, 30), >, 200);
    g_assert_cmpint(cr_test_count_color(s, msg, ACCENT, 10), ==, 0);
    double v = -1;
    g_assert_cmpint(cr_media_bar_press(&bar, cx(bar.seek), cy(bar.seek), &v), ==,
                    CR_MEDIA_BAR_NONE);
    g_assert_cmpint(cr_media_bar_press(&bar, cx(bar.play), cy(bar.play), &v), ==,
                    CR_MEDIA_BAR_TOGGLE);
    SDL_FreeSurface(s);
}

static void test_media_hits(struct fixture *f, gconstpointer data)
{
    struct cr_media_bar bar = {0};
    struct cr_player_state st = playing_state();
    SDL_FreeSurface(render_media(f, &bar, &st, false, "hits"));
    double v = -1;
    g_assert_cmpint(cr_media_bar_press(&bar, cx(bar.play), cy(bar.play), &v), ==,
                    CR_MEDIA_BAR_TOGGLE);
    g_assert_cmpint(cr_media_bar_press(&bar, cx(bar.fullscreen), cy(bar.fullscreen), &v), ==,
                    CR_MEDIA_BAR_FULLSCREEN);
    g_assert_cmpint(cr_media_bar_press(&bar, cx(bar.mute), cy(bar.mute), &v), ==,
                    CR_MEDIA_BAR_MUTE);
    g_assert_cmpint(cr_media_bar_press(&bar, 640, 100, &v), ==, CR_MEDIA_BAR_NONE);

    /* A tap at a quarter of the seek bar, anywhere in its height. */
    int knob = CR_MAX(6, bar.seek.h / 5), track = bar.seek.w - 2 * knob;
    int x25 = bar.seek.x + knob + track / 4;
    g_assert_cmpint(cr_media_bar_press(&bar, x25, bar.seek.y + 2, &v), ==, CR_MEDIA_BAR_SEEK);
    g_assert_cmpfloat_with_epsilon(v, 0.25, 0.01);
    /* Dragged to three quarters, then past both ends: clamped. */
    g_assert_cmpint(cr_media_bar_drag(&bar, bar.seek.x + knob + track * 3 / 4, 10, &v), ==,
                    CR_MEDIA_BAR_SEEK);
    g_assert_cmpfloat_with_epsilon(v, 0.75, 0.01);
    g_assert_cmpint(cr_media_bar_drag(&bar, 5000, 10, &v), ==, CR_MEDIA_BAR_SEEK);
    g_assert_cmpfloat(v, ==, 1.0);
    g_assert_cmpint(cr_media_bar_drag(&bar, -50, 10, &v), ==, CR_MEDIA_BAR_SEEK);
    g_assert_cmpfloat(v, ==, 0.0);
    cr_media_bar_release(&bar);
    g_assert_cmpint(cr_media_bar_drag(&bar, 300, 10, &v), ==, CR_MEDIA_BAR_NONE);

    /* The volume slider: tap and drag, in whole percent. */
    int vk = CR_MAX(6, bar.volume.h / 5), vt = bar.volume.w - 2 * vk;
    g_assert_cmpint(cr_media_bar_press(&bar, bar.volume.x + vk + vt / 2, cy(bar.volume), &v), ==,
                    CR_MEDIA_BAR_VOLUME);
    g_assert_cmpfloat_with_epsilon(v, 50, 1.0);
    g_assert_cmpint(cr_media_bar_drag(&bar, bar.volume.x + bar.volume.w + 100, 0, &v), ==,
                    CR_MEDIA_BAR_VOLUME);
    g_assert_cmpfloat(v, ==, 100);
    cr_media_bar_release(&bar);

    /* A live stream (no length): no seeking. */
    st.length_ms = 0;
    st.position = 0;
    SDL_FreeSurface(render_media(f, &bar, &st, false, "live"));
    g_assert_cmpint(cr_media_bar_press(&bar, x25, cy(bar.seek), &v), ==, CR_MEDIA_BAR_NONE);
}

static void test_time_format(struct fixture *f, gconstpointer data)
{
    char s[32];
    cr_media_bar_format_time(0, s, sizeof(s));
    g_assert_cmpstr(s, ==, "0:00");
    cr_media_bar_format_time(65999, s, sizeof(s));
    g_assert_cmpstr(s, ==, "1:05");
    cr_media_bar_format_time(3723000, s, sizeof(s));
    g_assert_cmpstr(s, ==, "1:02:03");
    cr_media_bar_format_time(-1, s, sizeof(s));
    g_assert_cmpstr(s, ==, "--:--");
}

static SDL_Surface *render_doc(struct fixture *f, struct cr_document_bar *bar, int page, int n,
                               float zoom, const char *name)
{
    SDL_SetRenderDrawColor(f->ui.r, 0, 0, 0, 255);
    SDL_RenderClear(f->ui.r);
    cr_document_bar_draw(bar, &f->ui, f->rect, page, n, zoom);
    g_autofree char *file = g_strdup_printf("document-bar-%s", name);
    return cr_test_read_back(&f->screen, file);
}

static void test_document_bar(struct fixture *f, gconstpointer data)
{
    struct cr_document_bar bar = {0};
    SDL_Surface *s = render_doc(f, &bar, 0, 3, 1.0f, "first");
    /* The page label written between the arrows. */
    g_assert_true(bar.prev.x < bar.label.x && bar.label.x < bar.next.x);
    g_assert_true(bar.next.x < bar.zoom_out.x && bar.zoom_out.x < bar.zoom_in.x &&
                  bar.zoom_in.x < bar.fit.x);
    g_assert_cmpint(cr_test_count_color(s, bar.label, WHITE, 40), >, 100);
    /* Next is a live button, previous is dimmed (not the button colour). */
    g_assert_cmpint(cr_test_count_color(s, bar.next, BUTTON, 6), >, bar.next.w * bar.next.h / 3);
    g_assert_cmpint(cr_test_count_color(s, bar.prev, BUTTON, 6), <, bar.prev.w * bar.prev.h / 10);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.prev), cy(bar.prev)), ==,
                    CR_DOCUMENT_BAR_NONE);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.next), cy(bar.next)), ==,
                    CR_DOCUMENT_BAR_NEXT);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.zoom_in), cy(bar.zoom_in)), ==,
                    CR_DOCUMENT_BAR_ZOOM_IN);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.zoom_out), cy(bar.zoom_out)), ==,
                    CR_DOCUMENT_BAR_NONE);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.fit), cy(bar.fit)), ==, CR_DOCUMENT_BAR_NONE);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.label), cy(bar.label)), ==,
                    CR_DOCUMENT_BAR_NONE);
    g_assert_cmpint(cr_document_bar_hit(&bar, 640, 10), ==, CR_DOCUMENT_BAR_NONE);
    SDL_FreeSurface(s);

    /* The last page, zoomed in. */
    s = render_doc(f, &bar, 2, 3, 2.0f, "last-zoomed");
    g_assert_cmpint(cr_test_count_color(s, bar.prev, BUTTON, 6), >, bar.prev.w * bar.prev.h / 3);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.prev), cy(bar.prev)), ==,
                    CR_DOCUMENT_BAR_PREV);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.next), cy(bar.next)), ==,
                    CR_DOCUMENT_BAR_NONE);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.zoom_out), cy(bar.zoom_out)), ==,
                    CR_DOCUMENT_BAR_ZOOM_OUT);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.fit), cy(bar.fit)), ==, CR_DOCUMENT_BAR_FIT);
    SDL_FreeSurface(s);

    /* A single image at the largest zoom: nothing to page, no more zoom. */
    s = render_doc(f, &bar, 0, 1, CR_TILE_ZOOM_MAX, "image");
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.next), cy(bar.next)), ==,
                    CR_DOCUMENT_BAR_NONE);
    g_assert_cmpint(cr_document_bar_hit(&bar, cx(bar.zoom_in), cy(bar.zoom_in)), ==,
                    CR_DOCUMENT_BAR_NONE);
    SDL_FreeSurface(s);
}

/* An audio resource's tile: the card (title, note) drawn through a real
 * tile, the bar over its bottom. */
static void test_audio_tile(struct fixture *f, gconstpointer data)
{
    struct cr_tile tile;
    cr_tile_init(&tile, CR_TILE_VIDEO, NULL, NULL);
    struct cr_frame *card = cr_audio_card_render("Chanson d’automne.ogg", 1280, 720);
    g_assert_nonnull(card);
    g_assert_true(cr_tile_set_frame(&tile, f->ui.r, card));
    SDL_SetRenderDrawColor(f->ui.r, 0, 0, 0, 255);
    SDL_RenderClear(f->ui.r);
    cr_tile_draw(&tile, f->ui.r, (struct cr_rect){0, 0, 1280, 720});
    struct cr_media_bar bar = {0};
    struct cr_player_state st = playing_state();
    st.has_video = false;
    st.audio_only = true;
    cr_media_bar_draw(&bar, &f->ui, f->rect, &st, false);
    SDL_Surface *s = cr_test_read_back(&f->screen, "media-audio-tile");
    /* Not black: the card's background everywhere above the bar. */
    g_assert_cmpint(cr_test_count_color(s, (struct cr_rect){0, 0, 1280, 40}, 0x000000, 10), ==, 0);
    /* The note in the accent colour in the middle, the title in white below. */
    g_assert_cmpint(cr_test_count_color(s, (struct cr_rect){440, 100, 400, 300}, 0xfabd2e, 12), >,
                    5000);
    g_assert_cmpint(cr_test_count_color(s, (struct cr_rect){0, 560, 1280, 60}, 0xf2f2f2, 20), >,
                    1000);
    SDL_FreeSurface(s);
    cr_tile_destroy(&tile);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/media_bars/media_pixels", struct fixture, NULL, setup, test_media_pixels,
               teardown);
    g_test_add("/media_bars/media_error", struct fixture, NULL, setup, test_media_error, teardown);
    g_test_add("/media_bars/media_hits", struct fixture, NULL, setup, test_media_hits, teardown);
    g_test_add("/media_bars/time_format", struct fixture, NULL, setup, test_time_format, teardown);
    g_test_add("/media_bars/document_bar", struct fixture, NULL, setup, test_document_bar,
               teardown);
    g_test_add("/media_bars/audio_tile", struct fixture, NULL, setup, test_audio_tile, teardown);
    return g_test_run();
}
