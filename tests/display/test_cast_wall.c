/* The Tablettes screen rendered offscreen (SDL dummy driver, software
 * renderer) from a cast status, checked by its pixels and its buttons:
 * how to join (code, QR), the waiting strip, the tiles of the wall, focus,
 * a stalled stream veiled, the room lock. Pictures in
 * build/test-artifacts/display/. */
#include <SDL.h>
#include <glib.h>
#include <string.h>

#include "common/util.h"
#include "display/frame.h"
#include "display/screen.h"
#include "display/ui/cast_wall.h"
#include "display/ui/theme.h"
#include "tests/display/display_test.h"

struct fixture {
    struct cr_screen screen;
    struct cr_ui ui;
    struct cr_cast_wall wall;
    GArray *sizes; /* the size requests sent to the io side */
};

struct size_req {
    unsigned id;
    int w, h;
    bool live;
};

static void on_size(void *userdata, unsigned id, int w, int h, bool live)
{
    struct fixture *f = userdata;
    struct size_req r = {id, w, h, live};
    g_array_append_val(f->sizes, r);
}

static void setup(struct fixture *f, gconstpointer data)
{
    cr_test_screen_ui_init(&f->screen, &f->ui, 1280, 720);
    f->sizes = g_array_new(FALSE, FALSE, sizeof(struct size_req));
    cr_cast_wall_init(&f->wall, NULL, on_size, f);
}

static void teardown(struct fixture *f, gconstpointer data)
{
    cr_cast_wall_destroy(&f->wall);
    g_array_free(f->sizes, TRUE);
    cr_ui_destroy(&f->ui);
    cr_screen_destroy(&f->screen);
}

/* A status with n senders; approved[i] and states[i] as given. */
static void set_status(struct fixture *f, size_t n, const bool *approved,
                       const enum cr_cast_state *states, int64_t locked_until)
{
    struct cr_cast_status *st = g_new0(struct cr_cast_status, 1);
    st->running = true;
    st->code = g_strdup("4821");
    st->url = g_strdup("https://192.168.1.20:8443/");
    st->port = 8443;
    st->locked_until_us = locked_until;
    st->n_senders = n;
    st->senders = g_new0(struct cr_cast_sender_info, n + 1);
    static const char *names[] = {"Léa", "Hugo", "Inès", "Malik", "Zoé", "Noé"};
    for (size_t i = 0; i < n; i++)
        st->senders[i] = (struct cr_cast_sender_info){.id = (unsigned)i + 1,
                                                      .slot = (unsigned)i,
                                                      .generation = 1,
                                                      .name = g_strdup(names[i % 6]),
                                                      .state = states[i],
                                                      .approved = approved[i],
                                                      .connected = true,
                                                      .width = 640,
                                                      .height = 360,
                                                      .fps = 30,
                                                      .codec = "H264",
                                                      .kind = g_strdup("webrtc")};
    cr_cast_wall_set_status(&f->wall, st);
}

/* A pure red 640x360 picture in slot i's tile. */
static void red_frame(struct fixture *f, unsigned slot)
{
    struct cr_frame *fr = cr_frame_new_alloc(CR_PIXEL_I420, 640, 360);
    g_assert_nonnull(fr);
    memset(fr->planes[0], 81, (size_t)fr->strides[0] * 360);
    memset(fr->planes[1], 90, (size_t)fr->strides[1] * 180);
    memset(fr->planes[2], 240, (size_t)fr->strides[2] * 180);
    g_assert_true(cr_tile_set_frame(&f->wall.tiles[slot], f->ui.r, fr));
}

static SDL_Surface *render(struct fixture *f, const char *name)
{
    SDL_SetRenderDrawColor(f->ui.r, 0, 0, 0, 255);
    SDL_RenderClear(f->ui.r);
    f->ui.now_us = g_get_monotonic_time();
    cr_cast_wall_draw(&f->wall, &f->ui);
    g_autofree char *file = g_strdup_printf("cast-%s", name);
    return cr_test_read_back(&f->screen, file);
}

static int count(SDL_Surface *s, struct cr_rect r, unsigned rgb, int tol)
{
    return cr_test_count_color(s, r, rgb, tol);
}

#define RED 0xfe0000u
#define WHITE 0xffffffu
#define WARN 0xf97316u

static const char *find_action(struct fixture *f, const char *action)
{
    const struct cr_button *b[CR_WALL_BUTTONS + 2 * CR_CAST_WALL_CARDS];
    size_t n = cr_cast_wall_buttons(&f->wall, b, G_N_ELEMENTS(b));
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(b[i]->action, action)) {
            struct cr_rect r = b[i]->rect;
            return cr_cast_wall_hit(&f->wall, r.x + r.w / 2, r.y + r.h / 2);
        }
    }
    return NULL;
}

static void test_join_panel(struct fixture *f, gconstpointer data)
{
    set_status(f, 0, NULL, NULL, 0);
    SDL_Surface *s = render(f, "join");
    /* The QR code: a white square with black modules, right of the text. */
    struct cr_rect right = {f->screen.width / 2, 0, f->screen.width / 2,
                            cr_ui_content_rect(&f->ui).h};
    g_assert_cmpint(count(s, right, WHITE, 10), >, 40000);
    g_assert_cmpint(count(s, right, 0x000000, 10), >, 20000);
    g_assert_cmpstr(find_action(f, "cast new-code"), ==, "cast new-code");
    g_assert_null(find_action(f, "cast stop-all")); /* nobody to stop */
    SDL_FreeSurface(s);
}

static void test_waiting_only_in_the_strip(struct fixture *f, gconstpointer data)
{
    bool approved[] = {false};
    enum cr_cast_state states[] = {CR_CAST_WAITING};
    set_status(f, 1, approved, states, 0);
    red_frame(f, 0);
    SDL_Surface *s = render(f, "waiting");
    /* The thumbnail is in the strip, at the bottom of the content; the wall
     * (the join panel above it) shows nothing of it. */
    g_assert_true(f->wall.slots[0].shown);
    struct cr_rect thumb = f->wall.slots[0].cell;
    g_assert_cmpint(thumb.y, >, cr_ui_content_rect(&f->ui).h / 2);
    g_assert_cmpint(count(s, thumb, RED, 40), >, thumb.w * thumb.h / 2);
    struct cr_rect above = {0, 0, f->screen.width, thumb.y - 10};
    g_assert_cmpint(count(s, above, RED, 40), ==, 0);
    g_assert_cmpstr(find_action(f, "cast approve 1"), ==, "cast approve 1");
    g_assert_cmpstr(find_action(f, "cast deny 1"), ==, "cast deny 1");
    /* Asked for a thumbnail: small, not at the wall's frame rate. */
    g_assert_cmpuint(f->sizes->len, >=, 1);
    struct size_req r = g_array_index(f->sizes, struct size_req, f->sizes->len - 1);
    g_assert_false(r.live);
    g_assert_cmpint(r.w, <=, 300);
    SDL_FreeSurface(s);
}

static void test_wall_of_four(struct fixture *f, gconstpointer data)
{
    bool approved[] = {true, true, true, true, false};
    enum cr_cast_state states[] = {CR_CAST_LIVE, CR_CAST_LIVE, CR_CAST_LIVE, CR_CAST_LIVE,
                                   CR_CAST_WAITING};
    set_status(f, 5, approved, states, 0);
    for (unsigned i = 0; i < 5; i++)
        red_frame(f, i);
    SDL_Surface *s = render(f, "wall-4");
    g_assert_cmpuint(cr_cast_wall_n_live(&f->wall), ==, 4);
    struct cr_rect c0 = f->wall.slots[0].cell, c3 = f->wall.slots[3].cell;
    g_assert_cmpint(c0.w, ==, c3.w);
    g_assert_cmpint(c0.y, <, c3.y);
    g_assert_cmpint(c0.x, <, c3.x); /* 2x2 */
    for (unsigned i = 0; i < 4; i++) {
        struct cr_rect img = f->wall.tiles[i].image_rect;
        g_assert_cmpint(count(s, img, RED, 40), >, img.w * img.h * 8 / 10);
    }
    /* Tapping a tile focuses it. */
    g_assert_cmpstr(cr_cast_wall_hit(&f->wall, c3.x + c3.w / 2, c3.y + c3.h / 2), ==,
                    "cast focus 4");
    SDL_FreeSurface(s);

    f->wall.focused = 4;
    g_array_set_size(f->sizes, 0);
    s = render(f, "focused");
    struct cr_rect big = f->wall.slots[3].cell;
    g_assert_cmpint(big.w, >, c3.w * 3 / 2);
    g_assert_false(f->wall.slots[0].shown);
    /* The focused one asked for its big cell, the hidden ones for a thumbnail. */
    bool big_asked = false, small_asked = false;
    for (guint i = 0; i < f->sizes->len; i++) {
        struct size_req r = g_array_index(f->sizes, struct size_req, i);
        big_asked |= r.id == 4 && r.live && r.w == big.w;
        small_asked |= r.id == 1 && !r.live;
    }
    g_assert_true(big_asked);
    g_assert_true(small_asked);
    g_assert_cmpstr(find_action(f, "cast freeze 4"), ==, "cast freeze 4");
    g_assert_cmpstr(find_action(f, "cast remove 4"), ==, "cast remove 4");
    g_assert_cmpstr(cr_cast_wall_hit(&f->wall, big.x + big.w / 2, big.y + big.h / 2), ==,
                    "cast unfocus");
    SDL_FreeSurface(s);
}

static void test_stalled_is_veiled(struct fixture *f, gconstpointer data)
{
    bool approved[] = {true};
    enum cr_cast_state states[] = {CR_CAST_STALLED};
    set_status(f, 1, approved, states, 0);
    red_frame(f, 0);
    SDL_Surface *s = render(f, "stalled");
    struct cr_rect img = f->wall.tiles[0].image_rect;
    /* Never a frozen lie: the old picture is only seen through a dark veil. */
    g_assert_cmpint(count(s, img, RED, 40), ==, 0);
    SDL_FreeSurface(s);

    /* Frozen by the teacher: the teacher's picture stays, unveiled. */
    cr_tile_set_frozen(&f->wall.tiles[0], true);
    s = render(f, "stalled-frozen");
    g_assert_cmpint(count(s, img, RED, 40), >, img.w * img.h / 2);
    SDL_FreeSurface(s);
}

static void test_room_locked(struct fixture *f, gconstpointer data)
{
    set_status(f, 0, NULL, NULL, g_get_monotonic_time() + 300 * G_USEC_PER_SEC);
    SDL_Surface *s = render(f, "locked");
    struct cr_rect top = {0, 0, f->screen.width, 120};
    g_assert_cmpint(count(s, top, WARN, 20), >, 2000); /* the banner */
    SDL_FreeSurface(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    SDL_SetMainReady();
#define ADD(path, fn) g_test_add(path, struct fixture, NULL, setup, fn, teardown)
    ADD("/cast-wall/join-panel", test_join_panel);
    ADD("/cast-wall/waiting-only-in-the-strip", test_waiting_only_in_the_strip);
    ADD("/cast-wall/wall-of-four", test_wall_of_four);
    ADD("/cast-wall/stalled-is-veiled", test_stalled_is_veiled);
    ADD("/cast-wall/room-locked", test_room_locked);
    return g_test_run();
}
