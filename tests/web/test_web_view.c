/* The web view on a local test site, checked the way a teacher would see
 * it: in the frames it paints (BGRA, taken from the tile's slot) and in its
 * state (title, error page). Runs WPE WebKit for real, headless (SHM
 * buffers, no GPU). HOME and the XDG folders point into a fresh temporary
 * folder, so that "nothing on disk" can be checked. */
#include <SDL.h>
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "display/screen.h"
#include "display/tile.h"
#include "display/web/web_private.h"
#include "tests/web/web_test.h"

#define W 640
#define H 480
#define WAIT 15000
/* The board speaks French first. */
#define ERROR_TITLE "Cette page ne peut pas être affichée"

static char *home;
static const char *site;

static char *url(const char *path)
{
    return g_strconcat(site, path, NULL);
}

static void open_page(struct cr_test_web *t, const char *path, const char *private_dir)
{
    g_autofree char *u = url(path);
    g_assert_true(cr_test_web_open(t, u, W, H, private_dir));
}

static void test_renders(void)
{
    struct cr_test_web t;
    open_page(&t, "/red", NULL);
    g_assert_true(cr_test_web_wait_color(&t, W / 2, H / 2, 0xff0000, WAIT));
    g_assert_true(cr_test_web_wait_title(&t, "red", WAIT));
    g_assert_cmpint(t.frame->format, ==, CR_PIXEL_BGRA);
    g_assert_cmpint(t.frame->width, ==, W);
    g_assert_cmpint(t.frame->height, ==, H);
    g_assert_cmpint(cr_web_engine_process_count(), >=, 1);
    cr_test_web_close(&t);
    /* Destroyed means gone: no web or network process left behind. */
    g_assert_cmpint(cr_web_engine_process_count(), ==, 0);
}

static void test_tap(void)
{
    struct cr_test_web t;
    open_page(&t, "/button", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "button", WAIT));
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0xff0000, WAIT));
    cr_test_web_tap(&t, 160, 120);
    g_assert_true(cr_test_web_wait_title(&t, "clicked", WAIT));
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0x0000ff, WAIT));
    cr_test_web_save(&t, "tap");
    cr_test_web_close(&t);
}

static void test_typing(void)
{
    struct cr_test_web t;
    open_page(&t, "/form", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "form", WAIT));
    cr_test_web_tap(&t, 100, 20);
    /* On-screen keyboard text, then a physical key (Shift+1 = '!'). */
    cr_web_view_text(t.view, "Craie");
    g_assert_true(cr_test_web_wait_title(&t, "typed:Craie", WAIT));
    cr_web_view_key(t.view, cr_web_keysym_from_sdl('!'), true, CR_WEB_MOD_SHIFT);
    cr_web_view_key(t.view, cr_web_keysym_from_sdl('!'), false, CR_WEB_MOD_SHIFT);
    g_assert_true(cr_test_web_wait_title(&t, "typed:Craie!", WAIT));
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0x00ff00, WAIT));
    /* Backspace from a physical keyboard. */
    cr_web_view_key(t.view, cr_web_keysym_from_sdl(SDLK_BACKSPACE), true, 0);
    cr_web_view_key(t.view, cr_web_keysym_from_sdl(SDLK_BACKSPACE), false, 0);
    g_assert_true(cr_test_web_wait_title(&t, "typed:Craie", WAIT));
    cr_test_web_close(&t);
}

/* window.open() and target=_blank: the same view shows the new page. */
static void test_popup_same_view(gconstpointer path)
{
    struct cr_test_web t;
    open_page(&t, path, NULL);
    g_assert_true(cr_test_web_wait_title(&t, (const char *)path + 1, WAIT));
    cr_test_web_tap(&t, 160, 120);
    g_assert_true(cr_test_web_wait_title(&t, "green", WAIT));
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0x00ff00, WAIT));
    g_assert_true(cr_web_view_state(t.view)->can_go_back);
    cr_test_web_close(&t);
}

static bool file_named(const char *dir, const char *name)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    if (!d)
        return false;
    const char *e;
    while ((e = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, e, NULL);
        if (strstr(e, name))
            return true;
        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK) &&
            file_named(p, name))
            return true;
    }
    return false;
}

static bool file_fetched(struct cr_test_web *t, const void *n)
{
    return cr_test_site_hits("/file.bin") >= *(const int *)n;
}

static void test_download_refused(void)
{
    struct cr_test_web t;
    open_page(&t, "/download", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "download", WAIT));
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0xff0000, WAIT));
    cr_test_web_tap(&t, 160, 120);
    int two = 2;
    g_assert_true(cr_test_web_wait(&t, file_fetched, &(int){1}, WAIT));
    /* Direct navigation too (as a script or a redirect would). */
    g_autofree char *file = url("/file.bin?direct=1");
    cr_web_view_load(t.view, file);
    g_assert_true(cr_test_web_wait(&t, file_fetched, &two, WAIT));
    cr_test_web_wait(&t, NULL, NULL, 500); /* the response's fate decided */
    /* The page stays, no error page, and no file anywhere. */
    g_assert_cmpstr(cr_web_view_state(t.view)->title, ==, "download");
    g_assert_false(cr_web_view_state(t.view)->error_page);
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0xff0000, WAIT));
    g_assert_false(file_named(home, "craie-refused-download"));
    g_assert_false(file_named(g_get_tmp_dir(), "craie-refused-download"));
    g_autofree char *cwd = g_get_current_dir();
    g_assert_false(file_named(cwd, "craie-refused-download"));
    cr_test_web_close(&t);
}

/* Caches of the machine's libraries, with nothing of a page in them: Mesa's
 * compiled shaders (llvmpipe), GStreamer's plugin registry and dconf's
 * settings cache, written by the web process as by any GL/GStreamer
 * program. Everything else counts. */
static bool engine_neutral(const char *path)
{
    static const char *const neutral[] = {"/.cache/mesa_shader_cache/",
                                          "/.cache/gstreamer-1.0/registry.", "/.cache/dconf/user"};
    for (size_t i = 0; i < G_N_ELEMENTS(neutral); i++)
        if (strstr(path, neutral[i]))
            return true;
    return false;
}

static int count_files(const char *dir, bool skip_neutral)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    if (!d)
        return 0;
    int n = 0;
    const char *e;
    while ((e = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, e, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK)) {
            n += count_files(p, skip_neutral);
        } else if (!skip_neutral || !engine_neutral(p)) {
            g_test_message("file on disk: %s", p);
            n++;
        }
    }
    return n;
}

/* private_dir NULL: cookies, local storage, IndexedDB and cache stay in
 * memory; HOME and the XDG folders get nothing from the pages. */
static void test_ephemeral(void)
{
    struct cr_test_web t;
    open_page(&t, "/storage", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "stored", WAIT));
    cr_test_web_wait(&t, NULL, NULL, 500);
    cr_test_web_close(&t);
    g_assert_cmpint(count_files(home, true), ==, 0);
}

/* A private directory: the engine keeps its data there, and only there. */
static bool stores_written(struct cr_test_web *t, const void *dir)
{
    return file_named(dir, "cookies.sqlite") && file_named(dir, "localstorage") &&
           file_named(dir, "IndexedDB");
}

static void test_private_dir(void)
{
    g_autofree char *dir = g_dir_make_tmp("craie-web-private-XXXXXX", NULL);
    struct cr_test_web t;
    open_page(&t, "/storage", dir);
    g_assert_true(cr_test_web_wait_title(&t, "stored", WAIT));
    /* The engine writes when it likes: wait for the three stores. */
    g_assert_true(cr_test_web_wait(&t, stores_written, dir, WAIT));
    cr_test_web_close(&t);
    g_assert_true(file_named(dir, "cookies.sqlite"));
    g_assert_true(file_named(dir, "localstorage"));
    g_assert_true(file_named(dir, "IndexedDB"));
    /* WebKit 2.38 still records the origins it stored for under
     * $XDG_DATA_HOME/wpe/storage (no setting moves it): nothing else. */
    g_autofree char *origins = g_build_filename(home, ".local/share/wpe/storage", NULL);
    int under_origins = count_files(origins, true);
    g_assert_cmpint(count_files(home, true), ==, under_origins);
    g_autofree char *rm_origins = g_strdup_printf("rm -rf '%s'", origins);
    g_assert_cmpint(system(rm_origins), ==, 0);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

/* A loopback port nobody listens on (bound, then closed). */
static int free_port(void)
{
    g_autoptr(GSocket) sock =
        g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new(lo, 0);
    g_assert_true(g_socket_bind(sock, any, FALSE, NULL));
    g_autoptr(GSocketAddress) bound = g_socket_get_local_address(sock, NULL);
    int port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
    g_socket_close(sock, NULL);
    return port;
}

/* An unreachable site: craie's page, in the state and in the pixels, and
 * the query string (a token) is nowhere in it. */
static void test_unreachable(void)
{
    struct cr_test_web t;
    g_autofree char *dead =
        g_strdup_printf("http://127.0.0.1:%d/ent?token=SECRET-TOKEN", free_port());
    g_assert_true(cr_test_web_open(&t, dead, W, H, NULL));
    g_assert_true(cr_test_web_wait_title(&t, ERROR_TITLE, WAIT));
    g_assert_true(cr_web_view_state(t.view)->error_page);
    g_assert_true(cr_test_web_wait_color(&t, 10, 10, 0x1d2733, WAIT));
    cr_test_web_save(&t, "error-page");
    /* Home after the failure still works, and the flag clears. */
    g_autofree char *red = url("/red");
    cr_web_view_load(t.view, red);
    g_assert_true(cr_test_web_wait_title(&t, "red", WAIT));
    g_assert_false(cr_web_view_state(t.view)->error_page);
    cr_test_web_close(&t);

    g_autofree char *html = cr_web_error_page_html("http://ent.example.fr:8443/p?token=SECRET#frag",
                                                   CR_WEB_ERROR_NETWORK);
    g_assert_nonnull(strstr(html, "ent.example.fr"));
    g_assert_null(strstr(html, "SECRET"));
    g_assert_null(strstr(html, "frag"));
    g_autofree char *safe = cr_web_loggable_url("https://u:pw@ent.example.fr/a/b?t=SECRET#x");
    g_assert_cmpstr(safe, ==, "https://ent.example.fr/a/b");
}

static void logout_done(void *ud)
{
    (*(int *)ud)++;
}

static bool int_set(struct cr_test_web *t, const void *data)
{
    return *(const int *)data > 0;
}

static void test_logout(void)
{
    struct cr_test_web t;
    open_page(&t, "/red", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "red", WAIT));
    int done = 0;
    int before = cr_test_site_hits("/logout");
    g_autofree char *u = url("/logout?session=abc");
    cr_web_view_logout(t.view, u, 10000, logout_done, &done);
    g_assert_true(cr_test_web_wait(&t, int_set, &done, WAIT));
    g_assert_cmpint(done, ==, 1);
    g_assert_cmpint(cr_test_site_hits("/logout"), ==, before + 1);
    g_assert_true(cr_test_web_wait_title(&t, "signed out", WAIT));

    /* Asked while a page is still loading: done waits for the sign-out
     * page itself, not for the end of the load it replaced. */
    done = 0;
    g_autofree char *slow = url("/slow");
    cr_web_view_load(t.view, slow);
    cr_test_web_wait(&t, NULL, NULL, 300);
    before = cr_test_site_hits("/logout");
    cr_web_view_logout(t.view, u, 10000, logout_done, &done);
    g_assert_true(cr_test_web_wait(&t, int_set, &done, WAIT));
    g_assert_cmpint(cr_test_site_hits("/logout"), ==, before + 1);
    g_assert_true(cr_test_web_wait_title(&t, "signed out", WAIT));

    /* A dead logout URL: done comes on the timeout or the failure, once. */
    done = 0;
    g_autofree char *dead = g_strdup_printf("http://127.0.0.1:%d/logout", free_port());
    cr_web_view_logout(t.view, dead, 3000, logout_done, &done);
    g_assert_true(cr_test_web_wait(&t, int_set, &done, WAIT));
    cr_test_web_wait(&t, NULL, NULL, 300);
    g_assert_cmpint(done, ==, 1);

    /* Destroyed before it finished: done is still called, once. */
    done = 0;
    cr_web_view_logout(t.view, u, 10000, logout_done, &done);
    cr_test_web_close(&t);
    g_assert_cmpint(done, ==, 1);
    g_assert_cmpint(cr_web_engine_process_count(), ==, 0);
}

static bool title_not_top(struct cr_test_web *t, const void *data)
{
    return g_strcmp0(cr_web_view_state(t->view)->title, "scrolled") == 0;
}

/* A finger drag upwards moves the page up (it scrolls down). */
static void test_scroll(void)
{
    struct cr_test_web t;
    open_page(&t, "/long", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "top", WAIT));
    g_assert_true(cr_test_web_wait_color(&t, 320, 100, 0xff0000, WAIT));
    /* The finger keeps moving until the page has followed (a slow machine
     * may still be laying it out when the first moves come). */
    bool scrolled = false;
    for (int round = 0; round < 10 && !scrolled; round++) {
        for (int i = 0; i < 5; i++)
            cr_web_view_scroll(t.view, 320, 240, 0, -60);
        scrolled = cr_test_web_wait(&t, title_not_top, NULL, 1500);
    }
    g_assert_true(scrolled);
    cr_test_web_close(&t);
}

static bool frame_is_small(struct cr_test_web *t, const void *data)
{
    return t->frame && t->frame->width == 320 && t->frame->height == 200;
}

static bool red_fetched(struct cr_test_web *t, const void *n)
{
    return cr_test_site_hits("/red") >= *(const int *)n;
}

static void test_navigation(void)
{
    struct cr_test_web t;
    open_page(&t, "/red", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "red", WAIT));
    g_assert_false(cr_web_view_state(t.view)->can_go_back);
    g_autofree char *green = url("/green");
    cr_web_view_load(t.view, green);
    g_assert_true(cr_test_web_wait_title(&t, "green", WAIT));
    cr_web_view_back(t.view);
    g_assert_true(cr_test_web_wait_title(&t, "red", WAIT));
    g_assert_true(cr_test_web_wait_color(&t, 320, 240, 0xff0000, WAIT));
    cr_web_view_forward(t.view);
    g_assert_true(cr_test_web_wait_title(&t, "green", WAIT));
    cr_web_view_home(t.view);
    g_assert_true(cr_test_web_wait_title(&t, "red", WAIT));
    int hits = cr_test_site_hits("/red") + 1;
    cr_web_view_reload(t.view);
    g_assert_true(cr_test_web_wait(&t, red_fetched, &hits, WAIT));
    /* Resize: the next frames have the new size. */
    cr_web_view_resize(t.view, 320, 200);
    g_assert_true(cr_test_web_wait(&t, frame_is_small, NULL, WAIT));
    cr_test_web_close(&t);
}

/* Session handoff: the cookie is in before the first request leaves. */
static void test_cookies(void)
{
    struct cr_web_cookie cookies[] = {
        {.name = "craie_other", .value = "x", .domain = "127.0.0.1"},
        {.name = "craie_session",
         .value = "teacher-42",
         .domain = "127.0.0.1",
         .path = "/",
         .http_only = true},
    };
    g_autofree char *u = url("/whoami");
    struct cr_web_view_options o = {
        .url = u, .width = W, .height = H, .cookies = cookies, .n_cookies = 2};
    struct cr_test_web t;
    g_assert_true(cr_test_web_open_with(&t, &o));
    g_assert_true(cr_test_web_wait_title(&t, "teacher-42", WAIT));
    g_assert_cmpint(cr_test_site_hits("/whoami"), ==, 1);
    cr_test_web_close(&t);

    /* Closed at once, cookies still on their way: nothing is left behind. */
    g_assert_true(cr_test_web_open_with(&t, &o));
    cr_test_web_close(&t);
    g_assert_cmpint(cr_web_engine_process_count(), ==, 0);

    /* A new ephemeral view starts with none of them. */
    g_assert_true(cr_test_web_open(&t, u, W, H, NULL));
    g_assert_true(cr_test_web_wait_title(&t, "nobody", WAIT));
    cr_test_web_close(&t);
}

static bool blue_wider(struct cr_test_web *t, const void *data)
{
    /* The 100 px blue square reaches past x=150 at zoom 2. */
    unsigned p = cr_test_web_pixel(t, 150, 20);
    return p != 0xffffffffu && (p & 0xffff00) == 0 && (p & 0xff) > 0xf0;
}

static void test_zoom(void)
{
    struct cr_test_web t;
    open_page(&t, "/zoom", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "zoom", WAIT));
    g_assert_true(cr_test_web_wait_color(&t, 50, 50, 0x0000ff, WAIT));
    g_assert_true(cr_test_web_wait_color(&t, 150, 20, 0xffffff, WAIT));
    cr_web_view_zoom(t.view, 2.0);
    g_assert_true(cr_test_web_wait(&t, blue_wider, NULL, WAIT));
    /* Clamped: a huge pinch stays readable, and back to 1. */
    cr_web_view_zoom(t.view, 100.0);
    cr_web_view_zoom(t.view, 0.25);
    g_assert_true(cr_test_web_wait_color(&t, 150, 20, 0xffffff, WAIT));
    cr_test_web_close(&t);
}

/* A finger on the page: touch events reach it (touchstart/touchend). */
static void test_touch(void)
{
    struct cr_test_web t;
    open_page(&t, "/touch", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "touch", WAIT));
    cr_web_view_touch(t.view, 3, CR_WEB_TOUCH_DOWN, 160, 120);
    cr_web_view_touch(t.view, 3, CR_WEB_TOUCH_MOTION, 170, 125);
    cr_web_view_touch(t.view, 3, CR_WEB_TOUCH_UP, 170, 125);
    g_assert_true(cr_test_web_wait_title(&t, "start move end", WAIT));
    cr_test_web_close(&t);
}

/* The page's process dies (out of memory, a crash): the page comes back. */
static void test_web_process_crash(void)
{
    struct cr_test_web t;
    open_page(&t, "/button", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "button", WAIT));
    cr_test_web_tap(&t, 160, 120);
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0x0000ff, WAIT));
    int hits = cr_test_site_hits("/button");
    GArray *pids = cr_web_engine_pids();
    int killed = 0;
    for (guint i = 0; i < pids->len; i++) {
        pid_t pid = g_array_index(pids, pid_t, i);
        g_autofree char *path = g_strdup_printf("/proc/%d/comm", (int)pid);
        g_autofree char *comm = NULL;
        if (g_file_get_contents(path, &comm, NULL, NULL) && g_str_has_prefix(comm, "WPEWebProcess"))
            killed += kill(pid, SIGKILL) == 0;
    }
    g_array_unref(pids);
    g_assert_cmpint(killed, >=, 1);
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0xff0000, WAIT));
    g_assert_cmpint(cr_test_site_hits("/button"), >, hits);
    cr_test_web_tap(&t, 160, 120);
    g_assert_true(cr_test_web_wait_title(&t, "clicked", WAIT));
    cr_test_web_close(&t);
    g_assert_cmpint(cr_web_engine_process_count(), ==, 0);
}

/* alert, confirm, prompt never block the page (no dialog on the board: they
 * answer "cancel"), and window.close() leaves the view in place. */
static void test_dialogs(void)
{
    struct cr_test_web t;
    open_page(&t, "/dialogs", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "dialogs", WAIT));
    cr_test_web_tap(&t, 160, 120);
    g_assert_true(cr_test_web_wait_title(&t, "after false null", WAIT));
    cr_test_web_wait(&t, NULL, NULL, 300);
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0xffffff, WAIT));
    cr_test_web_close(&t);
}

static int frames_during(struct cr_test_web *t, int ms)
{
    int before = t->frames;
    cr_test_web_wait(t, NULL, NULL, ms);
    return t->frames - before;
}

/* A hidden tile's page stops painting, and paints again when shown. */
static void test_hidden(void)
{
    struct cr_test_web t;
    open_page(&t, "/animated", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "animated", WAIT));
    g_assert_cmpint(frames_during(&t, 1000), >=, 5);
    cr_web_view_set_visible(t.view, false);
    cr_test_web_wait(&t, NULL, NULL, 500); /* a frame on its way */
    g_assert_cmpint(frames_during(&t, 1000), <=, 1);
    cr_web_view_set_visible(t.view, true);
    g_assert_cmpint(frames_during(&t, 1500), >=, 5);
    cr_test_web_close(&t);
}

static bool choice_shown(struct cr_test_web *t, const void *data)
{
    return t->choice != NULL;
}

static bool choice_closed(struct cr_test_web *t, const void *data)
{
    return t->choice == NULL;
}

/* A <select>: its choices come to the board, the board's answer is taken. */
static void test_select(void)
{
    struct cr_test_web t;
    open_page(&t, "/select", NULL);
    g_assert_true(cr_test_web_wait_title(&t, "select", WAIT));
    cr_test_web_tap(&t, 100, 30);
    g_assert_true(cr_test_web_wait(&t, choice_shown, NULL, WAIT));
    g_assert_cmpstr(t.choice, ==, "6e A|-Cycle 4|5e B|-4e C");
    g_assert_cmpint(t.choice_selected, ==, 0);
    cr_web_view_choose(t.view, 2);
    g_assert_true(cr_test_web_wait_title(&t, "picked b", WAIT));
    g_assert_true(cr_test_web_wait(&t, choice_closed, NULL, WAIT));
    /* Dismissed: nothing changes. */
    cr_test_web_tap(&t, 100, 30);
    g_assert_true(cr_test_web_wait(&t, choice_shown, NULL, WAIT));
    g_assert_cmpint(t.choice_selected, ==, 2);
    cr_web_view_choose(t.view, -1);
    g_assert_true(cr_test_web_wait(&t, choice_closed, NULL, WAIT));
    g_assert_cmpstr(cr_web_view_state(t.view)->title, ==, "picked b");
    cr_test_web_close(&t);
}

/* The frames go on the board like any tile's: uploaded as they are
 * (BGRA), drawn letterboxed, the page's colours intact. */
static void test_tile(void)
{
    struct cr_test_web t;
    open_page(&t, "/button", NULL);
    g_assert_true(cr_test_web_wait_color(&t, 500, 400, 0xff0000, WAIT));
    struct cr_screen screen;
    struct cr_screen_options so = {.width = 1280, .height = 720};
    g_assert_true(cr_screen_init(&screen, &so));
    struct cr_tile tile;
    cr_tile_init(&tile, CR_TILE_WEB, NULL, NULL);
    g_assert_true(cr_tile_set_frame(&tile, screen.renderer, cr_frame_ref(t.frame)));
    SDL_SetRenderDrawColor(screen.renderer, 0, 0, 0, 255);
    SDL_RenderClear(screen.renderer);
    struct cr_rect r = {640, 0, 640, 480};
    cr_tile_draw(&tile, screen.renderer, r);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_ARGB8888);
    g_assert_cmpint(
        SDL_RenderReadPixels(screen.renderer, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch),
        ==, 0);
    const Uint32 *px = s->pixels;
    int stride = s->pitch / 4;
    /* The page's red right of the button, the button's grey-ish face at its
     * place, black outside the tile. */
    g_assert_cmphex(px[400 * stride + 640 + 500] & 0xffffff, ==, 0xff0000);
    g_assert_cmphex(px[120 * stride + 640 + 160] & 0xffffff, !=, 0xff0000);
    g_assert_cmphex(px[400 * stride + 300] & 0xffffff, ==, 0x000000);
    SDL_FreeSurface(s);
    cr_tile_destroy(&tile);
    cr_screen_destroy(&screen);
    cr_test_web_close(&t);
}

/* A certificate no CA vouches for: the error page, never the page. */
static void test_tls_error(void)
{
    const char *tls = cr_test_site_tls();
    if (!tls) {
        g_test_skip("no openssl to make a certificate");
        return;
    }
    g_autofree char *u = g_strconcat(tls, "/green?token=SECRET", NULL);
    int hits = cr_test_site_hits("/green");
    struct cr_test_web t;
    g_assert_true(cr_test_web_open(&t, u, W, H, NULL));
    g_assert_true(cr_test_web_wait_title(&t, ERROR_TITLE, WAIT));
    g_assert_true(cr_web_view_state(t.view)->error_page);
    g_assert_true(cr_test_web_wait_color(&t, 10, 10, 0x1d2733, WAIT));
    g_assert_cmpint(cr_test_site_hits("/green"), ==, hits);
    cr_test_web_save(&t, "certificate-error");
    cr_test_web_close(&t);
    g_autofree char *html = cr_web_error_page_html(u, CR_WEB_ERROR_CERTIFICATE);
    g_assert_nonnull(strstr(html, "certificat"));
    g_assert_null(strstr(html, "SECRET"));
}

int main(int argc, char **argv)
{
    /* Before any thread: WebKit and its children see these. */
    home = g_dir_make_tmp("craie-web-home-XXXXXX", NULL);
    g_assert_nonnull(home);
    g_setenv("HOME", home, TRUE);
    g_autofree char *cache = g_build_filename(home, ".cache", NULL);
    g_autofree char *data = g_build_filename(home, ".local/share", NULL);
    g_autofree char *config = g_build_filename(home, ".config", NULL);
    g_setenv("XDG_CACHE_HOME", cache, TRUE);
    g_setenv("XDG_DATA_HOME", data, TRUE);
    g_setenv("XDG_CONFIG_HOME", config, TRUE);
    g_setenv("XDG_DOWNLOAD_DIR", home, TRUE);
    g_setenv("NO_AT_BRIDGE", "1", TRUE);

    cr_i18n_init("fr");
    g_test_init(&argc, &argv, NULL);
    /* Warnings (an unreachable site, a refused download) are expected. */
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    cr_test_web_init();
    site = cr_test_site_start();
    g_test_add_func("/web/renders", test_renders);
    g_test_add_func("/web/tap", test_tap);
    g_test_add_func("/web/typing", test_typing);
    g_test_add_data_func("/web/window-open", "/popup", test_popup_same_view);
    g_test_add_data_func("/web/target-blank", "/blank", test_popup_same_view);
    g_test_add_func("/web/download-refused", test_download_refused);
    g_test_add_func("/web/ephemeral", test_ephemeral);
    g_test_add_func("/web/private-dir", test_private_dir);
    g_test_add_func("/web/unreachable", test_unreachable);
    g_test_add_func("/web/logout", test_logout);
    g_test_add_func("/web/scroll", test_scroll);
    g_test_add_func("/web/navigation", test_navigation);
    g_test_add_func("/web/cookies", test_cookies);
    g_test_add_func("/web/zoom", test_zoom);
    g_test_add_func("/web/touch", test_touch);
    g_test_add_func("/web/dialogs", test_dialogs);
    g_test_add_func("/web/hidden", test_hidden);
    g_test_add_func("/web/select", test_select);
    g_test_add_func("/web/tile", test_tile);
    g_test_add_func("/web/tls-error", test_tls_error);
    g_test_add_func("/web/web-process-crash", test_web_process_crash);
    int status = g_test_run();
    cr_web_shutdown();
    return status;
}
