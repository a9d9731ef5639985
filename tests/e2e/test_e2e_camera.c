/* End to end: the real craie, headless, driven through craiectl like a
 * technician or a test harness would. Screenshots are kept in
 * build/test-artifacts/e2e-<driver>/ (look there when a step fails). */
#include <SDL.h>
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

static char *build_root, *tmp_dir, *socket_path, *save_dir, *artifacts, *driver;
static GPid craie_pid;
static bool craie_exited;
static int craie_status;

/* --- running things ------------------------------------------------------ */

static int ctl(char **out, char **err, ...)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_build_filename(build_root, "craiectl", NULL));
    g_ptr_array_add(argv, g_strdup_printf("--socket=%s", socket_path));
    va_list ap;
    va_start(ap, err);
    for (const char *a; (a = va_arg(ap, const char *));)
        g_ptr_array_add(argv, g_strdup(a));
    va_end(ap);
    g_ptr_array_add(argv, NULL);
    int status = -1;
    char *o = NULL, *e = NULL;
    GError *error = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &o,
                               &e, &status, &error));
    g_assert_no_error(error);
    g_ptr_array_unref(argv);
    if (out)
        *out = o;
    else
        g_free(o);
    if (err)
        *err = e;
    else
        g_free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define CTL_OK(...)                                                                                \
    do {                                                                                           \
        char *e_ = NULL;                                                                           \
        int rc_ = ctl(NULL, &e_, __VA_ARGS__, NULL);                                               \
        if (rc_ != 0)                                                                              \
            g_error("craiectl %s failed (%d): %s", #__VA_ARGS__, rc_, e_);                         \
        g_free(e_);                                                                                \
    } while (0)

static JsonObject *state(void)
{
    char *out = NULL;
    g_assert_cmpint(ctl(&out, NULL, "get_state", NULL), ==, 0);
    JsonParser *p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
    JsonObject *o = json_object_ref(json_node_get_object(json_parser_get_root(p)));
    g_object_unref(p);
    g_free(out);
    return o;
}

static char *state_screen(void)
{
    JsonObject *s = state();
    char *screen = g_strdup(json_object_get_string_member(s, "screen"));
    json_object_unref(s);
    return screen;
}

static void child_watch(GPid pid, gint status, gpointer data)
{
    craie_exited = true;
    craie_status = status;
}

/* Waits for a condition, iterating the default context (child watch). */
static bool wait_for(bool (*cond)(void *), void *data, int timeout_ms)
{
    gint64 end = g_get_monotonic_time() + timeout_ms * 1000;
    while (g_get_monotonic_time() < end) {
        while (g_main_context_iteration(NULL, FALSE))
            ;
        if (cond(data))
            return true;
        g_usleep(50 * 1000);
    }
    return cond(data);
}

static bool socket_ready(void *data)
{
    return !craie_exited && g_file_test(socket_path, G_FILE_TEST_EXISTS) &&
           ctl(NULL, NULL, "get_state", NULL) == 0;
}

static bool camera_live(void *data)
{
    JsonObject *s = state();
    JsonObject *cam = json_object_get_object_member(s, "camera");
    bool ok = !g_strcmp0(json_object_get_string_member(cam, "state"), "live") &&
              json_object_get_int_member(cam, "frames_shown") >= 5;
    json_object_unref(s);
    return ok;
}

/* --- pictures ---------------------------------------------------------- */

struct shot {
    SDL_Surface *s; /* ARGB8888 */
};

static struct shot screenshot(const char *name)
{
    char *path = g_strdup_printf("%s/%s.png", artifacts, name);
    CTL_OK("screenshot", path);
    SDL_Surface *raw = IMG_Load(path);
    g_assert_nonnull(raw);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    g_free(path);
    return (struct shot){s};
}

static void shot_free(struct shot *sh)
{
    SDL_FreeSurface(sh->s);
}

static void pixel(struct shot *sh, int x, int y, int rgb[3])
{
    g_assert_cmpint(x, >=, 0);
    g_assert_cmpint(y, >=, 0);
    g_assert_cmpint(x, <, sh->s->w);
    g_assert_cmpint(y, <, sh->s->h);
    Uint32 v = ((Uint32 *)((Uint8 *)sh->s->pixels + y * sh->s->pitch))[x];
    rgb[0] = (v >> 16) & 0xff;
    rgb[1] = (v >> 8) & 0xff;
    rgb[2] = v & 0xff;
}

static bool shots_equal(struct shot *a, struct shot *b)
{
    if (a->s->w != b->s->w || a->s->h != b->s->h)
        return false;
    for (int y = 0; y < a->s->h; y++)
        if (memcmp((Uint8 *)a->s->pixels + y * a->s->pitch, (Uint8 *)b->s->pixels + y * b->s->pitch,
                   a->s->w * 4))
            return false;
    return true;
}

struct rect {
    int x, y, w, h;
};

static struct rect member_rect(JsonObject *o, const char *name)
{
    JsonObject *r = json_object_get_object_member(o, name);
    return (struct rect){json_object_get_int_member(r, "x"), json_object_get_int_member(r, "y"),
                         json_object_get_int_member(r, "w"), json_object_get_int_member(r, "h")};
}

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
static void assert_bars(struct shot *sh, struct rect r, double fy, bool reversed)
{
    int y = r.y + (int)(r.h * fy);
    for (int i = 0; i < 7; i++) {
        int x = r.x + (int)(r.w * (i + 0.5) / 7);
        int rgb[3];
        pixel(sh, x, y, rgb);
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

/* Taps the centre of the visible button whose action is `action`. */
static void tap_button(const char *action)
{
    JsonObject *s = state();
    JsonArray *buttons = json_object_get_array_member(s, "buttons");
    bool found = false;
    for (guint i = 0; i < json_array_get_length(buttons) && !found; i++) {
        JsonObject *bt = json_array_get_object_element(buttons, i);
        if (g_strcmp0(json_object_get_string_member(bt, "action"), action))
            continue;
        g_assert_true(json_object_get_boolean_member(bt, "enabled"));
        struct rect r = member_rect(bt, "rect");
        char *x = g_strdup_printf("%d", r.x + r.w / 2), *y = g_strdup_printf("%d", r.y + r.h / 2);
        CTL_OK("tap", x, y);
        g_free(x);
        g_free(y);
        found = true;
    }
    json_object_unref(s);
    if (!found)
        g_error("no visible button does '%s'", action);
}

/* --- the steps, in order, on one running craie --------------------------- */

static int craie_stderr = -1;

/* Starts craie on the test camera with extra arguments (NULL-terminated). */
static void start_craie(const char *const *extra)
{
    char **env = g_get_environ();
    env = g_environ_setenv(env, "SDL_VIDEODRIVER", driver, TRUE);
    env = g_environ_setenv(env, "LANGUAGE", "", TRUE);
    env = g_environ_setenv(env, "LANG", "C", TRUE);
    env = g_environ_unsetenv(env, "LC_ALL");
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_build_filename(build_root, "craie", NULL));
    g_ptr_array_add(argv, g_strdup("--windowed"));
    g_ptr_array_add(argv, g_strdup("--camera=test"));
    g_ptr_array_add(argv, g_strdup_printf("--ipc-socket=%s", socket_path));
    g_ptr_array_add(argv, g_strdup_printf("--camera.save_dir=%s", save_dir));
    g_ptr_array_add(argv, g_strdup("--display.width=1280"));
    g_ptr_array_add(argv, g_strdup("--display.height=720"));
    for (; extra && *extra; extra++)
        g_ptr_array_add(argv, g_strdup(*extra));
    g_ptr_array_add(argv, NULL);
    GError *error = NULL;
    craie_exited = false;
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv->pdata, env,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &craie_pid, NULL,
                                           NULL, &craie_stderr, &error));
    g_assert_no_error(error);
    g_child_watch_add(craie_pid, child_watch, NULL);
    g_strfreev(env);
    g_ptr_array_unref(argv);
}

/* What craie wrote on stderr so far (it is read once craie has exited). */
static char *craie_log(void)
{
    GString *out = g_string_new(NULL);
    char buf[4096];
    ssize_t n;
    while ((n = read(craie_stderr, buf, sizeof(buf))) > 0)
        g_string_append_len(out, buf, n);
    close(craie_stderr);
    craie_stderr = -1;
    return g_string_free(out, FALSE);
}

static void test_start_on_launcher(void)
{
    start_craie(NULL);
    g_assert_true(wait_for(socket_ready, NULL, 20000));
    /* The socket is private to the user running craie. */
    GStatBuf st;
    g_assert_cmpint(g_stat(socket_path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);

    JsonObject *s = state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "launcher");
    g_assert_cmpstr(json_object_get_string_member(s, "language"), ==, "fr");
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(s, "tiles")), ==, 0);
    json_object_unref(s);

    struct shot sh = screenshot("01-launcher");
    int rgb[3];
    pixel(&sh, 4, 4, rgb); /* the launcher background */
    g_assert_cmpint(rgb[0], ==, 0x0f);
    g_assert_cmpint(rgb[1], ==, 0x17);
    g_assert_cmpint(rgb[2], ==, 0x2a);
    shot_free(&sh);
}

static void test_unavailable_tile_says_so(void)
{
    tap_button("open ent");
    JsonObject *s = state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "launcher");
    JsonNode *notice = json_object_get_member(s, "notice");
    g_assert_false(JSON_NODE_HOLDS_NULL(notice));
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(notice), "title"), ==,
                    "ENT");
    json_object_unref(s);
    struct shot sh = screenshot("02-coming-soon");
    shot_free(&sh);
    tap_button("dismiss"); /* the OK button */
    s = state();
    g_assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(s, "notice")));
    json_object_unref(s);
}

static void test_camera_shows_test_pattern(void)
{
    /* Tap the Camera tile as a finger would. */
    tap_button("open camera");
    g_assert_true(wait_for(camera_live, NULL, 20000));
    JsonObject *s = state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "camera");
    JsonObject *t = tile(s, 0);
    g_assert_cmpstr(json_object_get_string_member(t, "kind"), ==, "camera");
    g_assert_cmpstr(json_object_get_string_member(t, "source"), ==, "test");
    g_assert_false(json_object_get_boolean_member(t, "frozen"));
    g_assert_cmpint(json_object_get_int_member(t, "image_width"), ==, 1920);
    g_assert_cmpint(json_object_get_int_member(t, "image_height"), ==, 1080);
    struct rect img = member_rect(t, "image_rect");
    /* Letterboxed 16:9 in the area above the bar. */
    g_assert_cmpint(abs(img.w * 9 - img.h * 16), <, 16 * 2);
    json_object_unref(s);

    struct shot sh = screenshot("03-camera-live");
    assert_bars(&sh, img, 0.3, false);
    shot_free(&sh);
}

static void test_freeze(void)
{
    tap_button("camera toggle-freeze"); /* the Figer button */
    JsonObject *s = state();
    g_assert_true(json_object_get_boolean_member(tile(s, 0), "frozen"));
    json_object_unref(s);
    struct shot a = screenshot("04-frozen-a");
    g_usleep(500 * 1000);
    struct shot b = screenshot("04-frozen-b");
    g_assert_true(shots_equal(&a, &b));
    shot_free(&a);
    shot_free(&b);

    CTL_OK("camera", "unfreeze");
    g_usleep(200 * 1000);
    struct shot c = screenshot("05-live-a");
    g_usleep(500 * 1000);
    struct shot d = screenshot("05-live-b");
    g_assert_false(shots_equal(&c, &d)); /* the test pattern's clock runs */
    shot_free(&c);
    shot_free(&d);
}

static void test_rotate(void)
{
    CTL_OK("camera", "rotate");
    g_usleep(200 * 1000);
    JsonObject *s = state();
    JsonObject *t = tile(s, 0);
    g_assert_true(json_object_get_boolean_member(t, "rotate180"));
    struct rect img = member_rect(t, "image_rect");
    json_object_unref(s);
    struct shot sh = screenshot("06-rotated");
    /* Turned by 180°: the bars are now in the lower part, in reverse order. */
    assert_bars(&sh, img, 0.7, true);
    shot_free(&sh);
    CTL_OK("camera", "rotate");
}

static void test_snapshot_beside_live(void)
{
    CTL_OK("camera", "snapshot");
    JsonObject *s = state();
    JsonArray *tiles = json_object_get_array_member(s, "tiles");
    g_assert_cmpuint(json_array_get_length(tiles), ==, 2);
    JsonObject *live = tile(s, 0), *snap = tile(s, 1);
    g_assert_cmpstr(json_object_get_string_member(live, "kind"), ==, "camera");
    g_assert_cmpstr(json_object_get_string_member(snap, "kind"), ==, "snapshot");
    g_assert_true(json_object_get_boolean_member(snap, "frozen"));
    struct rect a = member_rect(live, "rect"), b = member_rect(snap, "rect");
    g_assert_cmpint(a.y, ==, b.y);
    g_assert_cmpint(a.w, ==, b.w);
    g_assert_cmpint(a.x + a.w, <=, b.x); /* side by side, live on the left */
    struct rect ia = member_rect(live, "image_rect"), ib = member_rect(snap, "image_rect");
    g_assert_cmpint(
        json_object_get_int_member(json_object_get_object_member(s, "camera"), "snapshots"), ==, 1);
    json_object_unref(s);
    struct shot sh = screenshot("07-live-beside-snapshot");
    assert_bars(&sh, ia, 0.4, false);
    assert_bars(&sh, ib, 0.4, false);
    shot_free(&sh);
}

static bool png_saved(void *data)
{
    GDir *d = g_dir_open(save_dir, 0, NULL);
    if (!d)
        return false;
    const char *name;
    bool found = false;
    while ((name = g_dir_read_name(d)))
        if (g_str_has_suffix(name, ".png")) {
            *(char **)data = g_build_filename(save_dir, name, NULL);
            found = true;
        }
    g_dir_close(d);
    return found;
}

static void test_save(void)
{
    CTL_OK("camera", "save");
    char *path = NULL;
    g_assert_true(wait_for(png_saved, &path, 10000));
    g_usleep(300 * 1000); /* let the writer finish the file */
    SDL_Surface *raw = IMG_Load(path);
    g_assert_nonnull(raw);
    g_assert_cmpint(raw->w, ==, 1920);
    g_assert_cmpint(raw->h, ==, 1080);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    struct shot sh = {s};
    assert_bars(&sh, (struct rect){0, 0, 1920, 1080}, 0.3, false);
    shot_free(&sh);
    SDL_FreeSurface(raw);
    g_free(path);
}

static void test_home_button(void)
{
    JsonObject *s = state();
    struct rect home = member_rect(s, "home_button");
    json_object_unref(s);
    tap_button("open launcher");
    /* The Home button does not move between screens. */
    s = state();
    struct rect again = member_rect(s, "home_button");
    json_object_unref(s);
    g_assert_cmpint(home.x, ==, again.x);
    g_assert_cmpint(home.y, ==, again.y);
    char *screen = state_screen();
    g_assert_cmpstr(screen, ==, "launcher");
    g_free(screen);
    struct shot sh = screenshot("08-home");
    shot_free(&sh);
}

static void test_long_press_goes_home(void)
{
    CTL_OK("open", "camera");
    g_assert_true(wait_for(camera_live, NULL, 20000));
    CTL_OK("longpress", "640", "300");
    char *screen = state_screen();
    g_assert_cmpstr(screen, ==, "launcher");
    g_free(screen);
}

static void test_bad_commands(void)
{
    char *err = NULL;
    g_assert_cmpint(ctl(NULL, &err, "no-such-command", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "unknown command"));
    g_free(err);
    g_assert_cmpint(ctl(NULL, &err, "camera", "freeze", NULL), ==, 1); /* on the launcher */
    g_free(err);
    g_assert_cmpint(ctl(NULL, &err, "tap", "abc", "1", NULL), ==, 1);
    g_free(err);
    g_assert_cmpint(ctl(NULL, &err, "tap", "99999", "1", NULL), ==, 1);
    g_free(err);
    /* craie is still there and answers. */
    char *screen = state_screen();
    g_assert_cmpstr(screen, ==, "launcher");
    g_free(screen);
}

static bool exited(void *data)
{
    return craie_exited;
}

static void test_quit(void)
{
    CTL_OK("quit");
    g_assert_true(wait_for(exited, NULL, 10000));
    g_assert_true(WIFEXITED(craie_status));
    g_assert_cmpint(WEXITSTATUS(craie_status), ==, 0);
    g_assert_false(g_file_test(socket_path, G_FILE_TEST_EXISTS));
    g_free(craie_log());
}

/* A broken settings file is reported line by line and craie still runs; a
 * SIGTERM (systemd stopping it) ends it cleanly. */
static void test_broken_config_and_sigterm(void)
{
    char *conf = g_build_filename(tmp_dir, "broken.conf", NULL);
    const char *text = "[display]\nfullscreen = maybe\n[camera]\nbogus = 1\nnot ini at all\n";
    g_assert_true(g_file_set_contents(conf, text, -1, NULL));
    char *arg = g_strdup_printf("--config=%s", conf);
    const char *extra[] = {arg, NULL};
    start_craie(extra);
    g_assert_true(wait_for(socket_ready, NULL, 20000));
    CTL_OK("open", "camera");
    g_assert_true(wait_for(camera_live, NULL, 20000));

    kill(craie_pid, SIGTERM);
    g_assert_true(wait_for(exited, NULL, 10000));
    g_assert_true(WIFEXITED(craie_status));
    g_assert_cmpint(WEXITSTATUS(craie_status), ==, 0);
    g_assert_false(g_file_test(socket_path, G_FILE_TEST_EXISTS));
    char *log = craie_log();
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
    build_root = g_strdup(g_getenv("CRAIE_BUILD_ROOT"));
    if (!build_root) {
        g_printerr("CRAIE_BUILD_ROOT is not set (run through meson test)\n");
        return 77;
    }
    driver = g_strdup(g_getenv("CRAIE_E2E_VIDEO") ? g_getenv("CRAIE_E2E_VIDEO") : "dummy");
    tmp_dir = g_dir_make_tmp("craie-e2e-XXXXXX", NULL);
    socket_path = g_build_filename(tmp_dir, "ipc.sock", NULL);
    save_dir = g_build_filename(tmp_dir, "saved", NULL);
    char *sub = g_strdup_printf("e2e-%s", driver);
    artifacts = g_build_filename(build_root, "test-artifacts", sub, NULL);
    g_free(sub);
    g_mkdir_with_parents(artifacts, 0755);
    SDL_SetMainReady();

    g_test_add_func("/e2e/start-on-launcher", test_start_on_launcher);
    g_test_add_func("/e2e/unavailable-tile-says-so", test_unavailable_tile_says_so);
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
    if (!craie_exited && craie_pid)
        kill(craie_pid, SIGTERM);
    return rc;
}
