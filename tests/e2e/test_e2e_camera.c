/* End to end: the real craie, headless, driven through craiectl like a
 * technician or a test harness would. Screenshots are kept in
 * build/test-e2e_artifacts/e2e-<driver>/ (look there when a step fails). */
#include <SDL_image.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/e2e.h"

/* --- running things ------------------------------------------------------ */

static char *state_screen(void)
{
    JsonObject *s = e2e_state();
    char *screen = g_strdup(json_object_get_string_member(s, "screen"));
    json_object_unref(s);
    return screen;
}

static bool camera_live(void *data)
{
    JsonObject *s = e2e_state();
    JsonObject *cam = json_object_get_object_member(s, "camera");
    bool ok = !g_strcmp0(json_object_get_string_member(cam, "state"), "live") &&
              json_object_get_int_member(cam, "frames_shown") >= 5;
    json_object_unref(s);
    return ok;
}

/* --- pictures ---------------------------------------------------------- */

static JsonObject *tile(JsonObject *s, guint i)
{
    JsonArray *tiles = json_object_get_array_member(s, "tiles");
    g_assert_cmpuint(json_array_get_length(tiles), >, i);
    return json_array_get_object_element(tiles, i);
}

/* SMPTE bars from the left: grey, yellow, cyan, green, magenta, red, blue.
 * Channels on (1) / off (0) for each. */
static const int bars[7][3] = {{1, 1, 1}, {1, 1, 0}, {0, 1, 1}, {0, 1, 0},
                               {1, 0, 1}, {1, 0, 0}, {0, 0, 1}};

/* Checks the 7 bars along a row at fy (0..1) of image rect r, in order or
 * reversed (the picture turned by 180°). */
static void assert_bars(SDL_Surface *sh, struct e2e_rect r, double fy, bool reversed)
{
    int y = r.y + (int)(r.h * fy);
    for (int i = 0; i < 7; i++) {
        int x = r.x + (int)(r.w * (i + 0.5) / 7);
        int rgb[3];
        e2e_rgb(sh, x, y, rgb);
        const int *want = bars[reversed ? 6 - i : i];
        for (int c = 0; c < 3; c++) {
            if (want[c] && rgb[c] < 140)
                g_error("bar %d at %d,%d: channel %d is %d, expected on (rgb %d,%d,%d)", i, x, y, c,
                        rgb[c], rgb[0], rgb[1], rgb[2]);
            if (!want[c] && rgb[c] > 70)
                g_error("bar %d at %d,%d: channel %d is %d, expected off (rgb %d,%d,%d)", i, x, y,
                        c, rgb[c], rgb[0], rgb[1], rgb[2]);
        }
    }
}

/* --- the steps, in order, on one running craie --------------------------- */

static void test_start_on_launcher(void)
{
    e2e_start(NULL);
    g_assert_true(e2e_wait_for(e2e_socket_ready, NULL, 20000));
    /* The socket is private to the user running craie. */
    GStatBuf st;
    g_assert_cmpint(g_stat(e2e_socket_path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);

    JsonObject *s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "launcher");
    g_assert_cmpstr(json_object_get_string_member(s, "language"), ==, "fr");
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(s, "tiles")), ==, 0);
    json_object_unref(s);

    SDL_Surface *sh = e2e_screenshot("01-launcher");
    int rgb[3];
    e2e_rgb(sh, 4, 4, rgb); /* the launcher background */
    g_assert_cmpint(rgb[0], ==, 0x0f);
    g_assert_cmpint(rgb[1], ==, 0x17);
    g_assert_cmpint(rgb[2], ==, 0x2a);
    SDL_FreeSurface(sh);
}

/* With no ENT configured (this run has no config file), the ENT tile still
 * opens its screen and says so plainly; Home brings the launcher back. */
static void test_ent_tile_without_ent_says_so(void)
{
    e2e_tap_button("open ent");
    JsonObject *s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "ent");
    json_object_unref(s);
    SDL_Surface *sh = e2e_screenshot("02-no-ent");
    SDL_FreeSurface(sh);
    e2e_tap_button("open launcher");
    s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "launcher");
    json_object_unref(s);
}

static void test_camera_shows_test_pattern(void)
{
    /* Tap the Camera tile as a finger would. */
    e2e_tap_button("open camera");
    g_assert_true(e2e_wait_for(camera_live, NULL, 20000));
    JsonObject *s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "camera");
    JsonObject *t = tile(s, 0);
    g_assert_cmpstr(json_object_get_string_member(t, "kind"), ==, "camera");
    g_assert_cmpstr(json_object_get_string_member(t, "source"), ==, "test");
    g_assert_false(json_object_get_boolean_member(t, "frozen"));
    g_assert_cmpint(json_object_get_int_member(t, "image_width"), ==, 1920);
    g_assert_cmpint(json_object_get_int_member(t, "image_height"), ==, 1080);
    struct e2e_rect img = e2e_member_rect(t, "image_rect");
    /* Letterboxed 16:9 in the area above the bar. */
    g_assert_cmpint(abs(img.w * 9 - img.h * 16), <, 16 * 2);
    json_object_unref(s);

    SDL_Surface *sh = e2e_screenshot("03-camera-live");
    assert_bars(sh, img, 0.3, false);
    SDL_FreeSurface(sh);
}

static void test_freeze(void)
{
    e2e_tap_button("camera toggle-freeze"); /* the Figer button */
    JsonObject *s = e2e_state();
    g_assert_true(json_object_get_boolean_member(tile(s, 0), "frozen"));
    json_object_unref(s);
    SDL_Surface *a = e2e_screenshot("04-frozen-a");
    g_usleep(500 * 1000);
    SDL_Surface *b = e2e_screenshot("04-frozen-b");
    g_assert_true(e2e_surfaces_equal(a, b));
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);

    E2E_OK("camera", "unfreeze");
    g_usleep(200 * 1000);
    SDL_Surface *c = e2e_screenshot("05-live-a");
    g_usleep(500 * 1000);
    SDL_Surface *d = e2e_screenshot("05-live-b");
    g_assert_false(e2e_surfaces_equal(c, d)); /* the test pattern's clock runs */
    SDL_FreeSurface(c);
    SDL_FreeSurface(d);
}

static void test_rotate(void)
{
    E2E_OK("camera", "rotate");
    g_usleep(200 * 1000);
    JsonObject *s = e2e_state();
    JsonObject *t = tile(s, 0);
    g_assert_true(json_object_get_boolean_member(t, "rotate180"));
    struct e2e_rect img = e2e_member_rect(t, "image_rect");
    json_object_unref(s);
    SDL_Surface *sh = e2e_screenshot("06-rotated");
    /* Turned by 180°: the bars are now in the lower part, in reverse order. */
    assert_bars(sh, img, 0.7, true);
    SDL_FreeSurface(sh);
    E2E_OK("camera", "rotate");
}

static void test_snapshot_beside_live(void)
{
    E2E_OK("camera", "snapshot");
    JsonObject *s = e2e_state();
    JsonArray *tiles = json_object_get_array_member(s, "tiles");
    g_assert_cmpuint(json_array_get_length(tiles), ==, 2);
    JsonObject *live = tile(s, 0), *snap = tile(s, 1);
    g_assert_cmpstr(json_object_get_string_member(live, "kind"), ==, "camera");
    g_assert_cmpstr(json_object_get_string_member(snap, "kind"), ==, "snapshot");
    g_assert_true(json_object_get_boolean_member(snap, "frozen"));
    struct e2e_rect a = e2e_member_rect(live, "rect"), b = e2e_member_rect(snap, "rect");
    g_assert_cmpint(a.y, ==, b.y);
    g_assert_cmpint(a.w, ==, b.w);
    g_assert_cmpint(a.x + a.w, <=, b.x); /* side by side, live on the left */
    struct e2e_rect ia = e2e_member_rect(live, "image_rect"),
                    ib = e2e_member_rect(snap, "image_rect");
    g_assert_cmpint(
        json_object_get_int_member(json_object_get_object_member(s, "camera"), "snapshots"), ==, 1);
    json_object_unref(s);
    SDL_Surface *sh = e2e_screenshot("07-live-beside-snapshot");
    assert_bars(sh, ia, 0.4, false);
    assert_bars(sh, ib, 0.4, false);
    SDL_FreeSurface(sh);
}

static void test_save(void)
{
    E2E_OK("camera", "save");
    char *path = e2e_wait_png(10000);
    g_assert_nonnull(path);
    SDL_Surface *sh = e2e_load(path);
    g_assert_cmpint(sh->w, ==, 1920);
    g_assert_cmpint(sh->h, ==, 1080);
    assert_bars(sh, (struct e2e_rect){0, 0, 1920, 1080}, 0.3, false);
    SDL_FreeSurface(sh);
    g_free(path);
}

static void test_home_button(void)
{
    JsonObject *s = e2e_state();
    struct e2e_rect home = e2e_member_rect(s, "home_button");
    json_object_unref(s);
    e2e_tap_button("open launcher");
    /* The Home button does not move between screens. */
    s = e2e_state();
    struct e2e_rect again = e2e_member_rect(s, "home_button");
    json_object_unref(s);
    g_assert_cmpint(home.x, ==, again.x);
    g_assert_cmpint(home.y, ==, again.y);
    char *screen = state_screen();
    g_assert_cmpstr(screen, ==, "launcher");
    g_free(screen);
    SDL_Surface *sh = e2e_screenshot("08-home");
    SDL_FreeSurface(sh);
}

static void test_long_press_goes_home(void)
{
    E2E_OK("open", "camera");
    g_assert_true(e2e_wait_for(camera_live, NULL, 20000));
    E2E_OK("longpress", "640", "300");
    char *screen = state_screen();
    g_assert_cmpstr(screen, ==, "launcher");
    g_free(screen);
}

static void test_bad_commands(void)
{
    char *err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "no-such-command", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "unknown command"));
    g_free(err);
    g_assert_cmpint(e2e_ctl(NULL, &err, "camera", "freeze", NULL), ==, 1); /* on the launcher */
    g_free(err);
    g_assert_cmpint(e2e_ctl(NULL, &err, "tap", "abc", "1", NULL), ==, 1);
    g_free(err);
    g_assert_cmpint(e2e_ctl(NULL, &err, "tap", "99999", "1", NULL), ==, 1);
    g_free(err);
    /* craie is still there and answers. */
    char *screen = state_screen();
    g_assert_cmpstr(screen, ==, "launcher");
    g_free(screen);
}

static bool exited(void *data)
{
    return e2e_craie_exited;
}

static void test_quit(void)
{
    E2E_OK("quit");
    g_assert_true(e2e_wait_for(exited, NULL, 10000));
    g_assert_true(WIFEXITED(e2e_craie_status));
    g_assert_cmpint(WEXITSTATUS(e2e_craie_status), ==, 0);
    g_assert_false(g_file_test(e2e_socket_path, G_FILE_TEST_EXISTS));
    g_free(e2e_craie_log());
}

/* A broken settings file is reported line by line and craie still runs; a
 * SIGTERM (systemd stopping it) ends it cleanly. */
static void test_broken_config_and_sigterm(void)
{
    char *conf = g_build_filename(e2e_tmp_dir, "broken.conf", NULL);
    const char *text = "[display]\nfullscreen = maybe\n[camera]\nbogus = 1\nnot ini at all\n";
    g_assert_true(g_file_set_contents(conf, text, -1, NULL));
    char *arg = g_strdup_printf("--config=%s", conf);
    const char *extra[] = {arg, NULL};
    e2e_start(extra);
    g_assert_true(e2e_wait_for(e2e_socket_ready, NULL, 20000));
    E2E_OK("open", "camera");
    g_assert_true(e2e_wait_for(camera_live, NULL, 20000));

    kill(e2e_craie_pid, SIGTERM);
    g_assert_true(e2e_wait_for(exited, NULL, 10000));
    g_assert_true(WIFEXITED(e2e_craie_status));
    g_assert_cmpint(WEXITSTATUS(e2e_craie_status), ==, 0);
    g_assert_false(g_file_test(e2e_socket_path, G_FILE_TEST_EXISTS));
    char *log = e2e_craie_log();
    char *line2 = g_strdup_printf("%s:2:", conf), *line4 = g_strdup_printf("%s:4:", conf),
         *line5 = g_strdup_printf("%s:5:", conf);
    g_assert_nonnull(strstr(log, line2));
    g_assert_nonnull(strstr(log, line4));
    g_assert_nonnull(strstr(log, line5));
    g_free(line2);
    g_free(line4);
    g_free(line5);
    g_free(log);
    g_free(arg);
    g_free(conf);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    int skip = e2e_init("e2e");
    if (skip)
        return skip;

    g_test_add_func("/e2e/start-on-launcher", test_start_on_launcher);
    g_test_add_func("/e2e/ent-tile-without-ent-says-so", test_ent_tile_without_ent_says_so);
    g_test_add_func("/e2e/camera-shows-test-pattern", test_camera_shows_test_pattern);
    g_test_add_func("/e2e/freeze", test_freeze);
    g_test_add_func("/e2e/rotate", test_rotate);
    g_test_add_func("/e2e/snapshot-beside-live", test_snapshot_beside_live);
    g_test_add_func("/e2e/save", test_save);
    g_test_add_func("/e2e/home-button", test_home_button);
    g_test_add_func("/e2e/long-press-goes-home", test_long_press_goes_home);
    g_test_add_func("/e2e/bad-commands", test_bad_commands);
    g_test_add_func("/e2e/quit", test_quit);
    g_test_add_func("/e2e/broken-config-and-sigterm", test_broken_config_and_sigterm);
    int rc = g_test_run();
    e2e_finish();
    return rc;
}
