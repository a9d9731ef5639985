#include "tests/e2e/e2e.h"

#include <SDL_image.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *e2e_build_root, *e2e_tmp_dir, *e2e_socket_path, *e2e_artifacts, *e2e_driver;
GPid e2e_craie_pid;
bool e2e_craie_exited;
int e2e_craie_status;
static char *save_dir;
/* craie's standard error, read all along by a thread: a pipe nobody reads
 * fills up (64 KiB) and blocks craie's next log line, wherever it is. */
static struct {
    GMutex lock;
    GCond ended;
    GString *text;
    GThread *thread;
    bool eof;
} log_reader;

int e2e_init(const char *name)
{
    e2e_build_root = g_strdup(g_getenv("CRAIE_BUILD_ROOT"));
    if (!e2e_build_root) {
        g_printerr("CRAIE_BUILD_ROOT is not set (run through meson test)\n");
        return 77;
    }
    e2e_driver = g_strdup(g_getenv("CRAIE_E2E_VIDEO") ? g_getenv("CRAIE_E2E_VIDEO") : "dummy");
    e2e_tmp_dir = g_dir_make_tmp("craie-e2e-XXXXXX", NULL);
    e2e_socket_path = g_build_filename(e2e_tmp_dir, "ipc.sock", NULL);
    save_dir = g_build_filename(e2e_tmp_dir, "saved", NULL);
    g_autofree char *sub = g_strdup_printf("%s-%s", name, e2e_driver);
    e2e_artifacts = g_build_filename(e2e_build_root, "test-artifacts", sub, NULL);
    g_mkdir_with_parents(e2e_artifacts, 0755);
    SDL_SetMainReady();
    return 0;
}

const char *e2e_save_dir(void)
{
    return save_dir;
}

void e2e_finish(void)
{
    if (e2e_craie_pid && !e2e_craie_exited)
        kill(e2e_craie_pid, SIGTERM);
    if (e2e_tmp_dir) {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", e2e_tmp_dir);
        if (system(cmd) != 0)
            g_printerr("cannot remove %s\n", e2e_tmp_dir);
    }
}

int e2e_ctl(char **out, char **err, ...)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_build_filename(e2e_build_root, "craiectl", NULL));
    g_ptr_array_add(argv, g_strdup_printf("--socket=%s", e2e_socket_path));
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

JsonObject *e2e_state(void)
{
    char *out = NULL;
    g_assert_cmpint(e2e_ctl(&out, NULL, "get_state", NULL), ==, 0);
    JsonParser *p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
    JsonObject *o = json_object_ref(json_node_get_object(json_parser_get_root(p)));
    g_object_unref(p);
    g_free(out);
    return o;
}

static void child_watch(GPid pid, gint status, gpointer data)
{
    e2e_craie_exited = true;
    e2e_craie_status = status;
}

bool e2e_wait_for(bool (*cond)(void *), void *data, int timeout_ms)
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

bool e2e_socket_ready(void *data)
{
    return !e2e_craie_exited && g_file_test(e2e_socket_path, G_FILE_TEST_EXISTS) &&
           e2e_ctl(NULL, NULL, "get_state", NULL) == 0;
}

struct e2e_rect e2e_member_rect(JsonObject *o, const char *name)
{
    JsonObject *r = json_object_get_object_member(o, name);
    return (struct e2e_rect){json_object_get_int_member(r, "x"), json_object_get_int_member(r, "y"),
                             json_object_get_int_member(r, "w"),
                             json_object_get_int_member(r, "h")};
}

JsonObject *e2e_button(JsonObject *s, const char *action)
{
    JsonArray *buttons = json_object_get_array_member(s, "buttons");
    for (guint i = 0; i < json_array_get_length(buttons); i++) {
        JsonObject *b = json_array_get_object_element(buttons, i);
        if (!g_strcmp0(json_object_get_string_member(b, "action"), action))
            return b;
    }
    return NULL;
}

void e2e_list_files(const char *dir, const char *const *skip, GPtrArray *out)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        GStatBuf st;
        if (g_lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            e2e_list_files(path, skip, out);
        else if (!skip || !g_strv_contains((const char *const *)skip, name))
            g_ptr_array_add(out, g_strdup_printf("%s %lld", path, (long long)st.st_size));
    }
    g_dir_close(d);
}

JsonObject *e2e_board_tile(JsonObject *s, const char *kind)
{
    JsonArray *tiles =
        json_object_get_array_member(json_object_get_object_member(s, "board"), "tiles");
    for (guint i = 0; i < json_array_get_length(tiles); i++) {
        JsonObject *t = json_array_get_object_element(tiles, i);
        if (!g_strcmp0(json_object_get_string_member(t, "kind"), kind))
            return t;
    }
    return NULL;
}

void e2e_tap_button(const char *action)
{
    JsonObject *s = e2e_state();
    JsonObject *b = e2e_button(s, action);
    if (!b)
        g_error("no visible button does '%s'", action);
    g_assert_true(json_object_get_boolean_member(b, "enabled"));
    struct e2e_rect r = e2e_member_rect(b, "rect");
    char *x = g_strdup_printf("%d", r.x + r.w / 2), *y = g_strdup_printf("%d", r.y + r.h / 2);
    E2E_OK("tap", x, y);
    g_free(x);
    g_free(y);
    json_object_unref(s);
}

void e2e_tap_labelled(const char *action_prefix, const char *label)
{
    JsonObject *s = e2e_state();
    JsonArray *buttons = json_object_get_array_member(s, "buttons");
    JsonObject *found = NULL;
    for (guint i = 0; i < json_array_get_length(buttons) && !found; i++) {
        JsonObject *b = json_array_get_object_element(buttons, i);
        if (g_str_has_prefix(json_object_get_string_member(b, "action"), action_prefix) &&
            !g_strcmp0(json_object_get_string_member(b, "label"), label))
            found = b;
    }
    if (!found)
        g_error("no visible button '%s…' labelled '%s'", action_prefix, label);
    g_assert_true(json_object_get_boolean_member(found, "enabled"));
    struct e2e_rect r = e2e_member_rect(found, "rect");
    g_autofree char *x = g_strdup_printf("%d", r.x + r.w / 2);
    g_autofree char *y = g_strdup_printf("%d", r.y + r.h / 2);
    E2E_OK("tap", x, y);
    json_object_unref(s);
}

SDL_Surface *e2e_load(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw)
        g_error("cannot load %s: %s", path, IMG_GetError());
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    return s;
}

SDL_Surface *e2e_screenshot(const char *name)
{
    char *path = g_strdup_printf("%s/%s.png", e2e_artifacts, name);
    E2E_OK("screenshot", path);
    SDL_Surface *s = e2e_load(path);
    g_free(path);
    return s;
}

unsigned e2e_pixel(SDL_Surface *s, int x, int y)
{
    g_assert_true(x >= 0 && y >= 0 && x < s->w && y < s->h);
    return ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x] & 0xffffff;
}

void e2e_rgb(SDL_Surface *s, int x, int y, int rgb[3])
{
    unsigned v = e2e_pixel(s, x, y);
    rgb[0] = (v >> 16) & 0xff;
    rgb[1] = (v >> 8) & 0xff;
    rgb[2] = v & 0xff;
}

bool e2e_surfaces_equal(SDL_Surface *a, SDL_Surface *b)
{
    if (a->w != b->w || a->h != b->h)
        return false;
    for (int y = 0; y < a->h; y++)
        if (memcmp((Uint8 *)a->pixels + y * a->pitch, (Uint8 *)b->pixels + y * b->pitch,
                   (size_t)a->w * 4))
            return false;
    return true;
}

bool e2e_color_near(SDL_Surface *s, int x, int y, int r, unsigned rgb, int tol)
{
    for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++) {
            int px = x + dx, py = y + dy;
            if (px < 0 || py < 0 || px >= s->w || py >= s->h)
                continue;
            unsigned v = e2e_pixel(s, px, py);
            if (abs((int)(v >> 16) - (int)(rgb >> 16)) <= tol &&
                abs((int)((v >> 8) & 0xff) - (int)((rgb >> 8) & 0xff)) <= tol &&
                abs((int)(v & 0xff) - (int)(rgb & 0xff)) <= tol)
                return true;
        }
    return false;
}

/* In the child: craie ends with the test, even when an assertion aborts it
 * (SIGKILL: a craie stuck somewhere would not answer SIGTERM). */
static void die_with_parent(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Each line also goes to the test's standard error, prefixed, so that a
 * failing test's log shows what craie said up to the failure. */
static gpointer read_log(gpointer data)
{
    int fd = GPOINTER_TO_INT(data);
    char buf[4096];
    ssize_t n;
    GString *line = g_string_new(NULL);
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        g_mutex_lock(&log_reader.lock);
        g_string_append_len(log_reader.text, buf, n);
        g_mutex_unlock(&log_reader.lock);
        for (ssize_t i = 0; i < n; i++) {
            g_string_append_c(line, buf[i]);
            if (buf[i] == '\n') {
                fprintf(stderr, "craie| %s", line->str);
                g_string_truncate(line, 0);
            }
        }
    }
    if (line->len)
        fprintf(stderr, "craie| %s\n", line->str);
    g_string_free(line, TRUE);
    close(fd);
    g_mutex_lock(&log_reader.lock);
    log_reader.eof = true;
    g_cond_broadcast(&log_reader.ended);
    g_mutex_unlock(&log_reader.lock);
    return NULL;
}

static void start_log_reader(int fd)
{
    if (log_reader.thread) /* the previous craie's, ended or not */
        g_thread_unref(log_reader.thread);
    g_mutex_lock(&log_reader.lock);
    if (log_reader.text)
        g_string_free(log_reader.text, TRUE);
    log_reader.text = g_string_new(NULL);
    log_reader.eof = false;
    g_mutex_unlock(&log_reader.lock);
    log_reader.thread = g_thread_new("craie-log", read_log, GINT_TO_POINTER(fd));
}

void e2e_start_craie(const char *const *argv_extra, const char *const *env_extra)
{
    char **env = g_get_environ();
    env = g_environ_setenv(env, "SDL_VIDEODRIVER", e2e_driver, TRUE);
    env = g_environ_setenv(env, "LANGUAGE", "", TRUE);
    env = g_environ_setenv(env, "LANG", "C", TRUE);
    env = g_environ_unsetenv(env, "LC_ALL");
    for (; env_extra && *env_extra; env_extra++) {
        g_auto(GStrv) kv = g_strsplit(*env_extra, "=", 2);
        env = g_environ_setenv(env, kv[0], kv[1] ? kv[1] : "", TRUE);
    }
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(argv, g_build_filename(e2e_build_root, "craie", NULL));
    g_ptr_array_add(argv, g_strdup("--windowed"));
    g_ptr_array_add(argv, g_strdup_printf("--ipc-socket=%s", e2e_socket_path));
    /* Never the machine's /var/lib/craie (an extra --paths.state_dir wins). */
    g_ptr_array_add(argv, g_strdup_printf("--paths.state_dir=%s/default-state", e2e_tmp_dir));
    g_ptr_array_add(argv, g_strdup("--display.width=1280"));
    g_ptr_array_add(argv, g_strdup("--display.height=720"));
    g_ptr_array_add(argv, g_strdup("--metrics.port=0")); /* tests run side by side */
    for (; argv_extra && *argv_extra; argv_extra++)
        g_ptr_array_add(argv, g_strdup(*argv_extra));
    g_ptr_array_add(argv, NULL);
    GError *error = NULL;
    e2e_craie_exited = false;
    int err_fd = -1;
    /* craie's standard output is not the test's: a craie still running after
     * the test died would hold the harness's pipe open */
    g_assert_true(g_spawn_async_with_pipes(
        NULL, (char **)argv->pdata, env, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
        die_with_parent, NULL, &e2e_craie_pid, NULL, NULL, &err_fd, &error));
    g_assert_no_error(error);
    start_log_reader(err_fd);
    g_child_watch_add(e2e_craie_pid, child_watch, NULL);
    g_strfreev(env);
    g_ptr_array_unref(argv);
}

void e2e_start(const char *const *extra)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(args, g_strdup("--camera=test"));
    g_ptr_array_add(args, g_strdup_printf("--camera.save_dir=%s", save_dir));
    for (; extra && *extra; extra++)
        g_ptr_array_add(args, g_strdup(*extra));
    g_ptr_array_add(args, NULL);
    e2e_start_craie((const char *const *)args->pdata, NULL);
    g_assert_true(e2e_wait_for(e2e_socket_ready, NULL, 20000));
}

static bool exited(void *data)
{
    return e2e_craie_exited;
}

void e2e_quit(void)
{
    E2E_OK("quit");
    g_assert_true(e2e_wait_for(exited, NULL, 10000));
    g_assert_true(WIFEXITED(e2e_craie_status));
    g_assert_cmpint(WEXITSTATUS(e2e_craie_status), ==, 0);
}

char *e2e_craie_log(void)
{
    /* until craie (and whatever it started with the same standard error)
     * closed it, or 10 s */
    gint64 end = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&log_reader.lock);
    while (log_reader.text && !log_reader.eof &&
           g_cond_wait_until(&log_reader.ended, &log_reader.lock, end))
        ;
    char *text = g_strdup(log_reader.text ? log_reader.text->str : "");
    g_mutex_unlock(&log_reader.lock);
    return text;
}

struct png_wait {
    char *path;
};

static bool png_saved(void *data)
{
    struct png_wait *w = data;
    GDir *d = g_dir_open(save_dir, 0, NULL);
    if (!d)
        return false;
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (g_str_has_suffix(name, ".png")) {
            g_free(w->path);
            w->path = g_build_filename(save_dir, name, NULL);
        }
    g_dir_close(d);
    return w->path != NULL;
}

char *e2e_wait_png(int timeout_ms)
{
    struct png_wait w = {NULL};
    if (!e2e_wait_for(png_saved, &w, timeout_ms))
        return NULL;
    g_usleep(300 * 1000); /* let the writer finish the file */
    return w.path;
}
