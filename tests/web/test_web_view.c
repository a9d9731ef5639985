/* The web view on a local test site, checked the way a teacher would see
 * it: in the frames it paints (BGRA, taken from the tile's slot) and in its
 * state (title, error page). Runs WPE WebKit for real, headless (SHM
 * buffers, no GPU). HOME and the XDG folders point into a fresh temporary
 * folder, so that "nothing on disk" can be checked. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/web/web_test.h"

#define W 640
#define H 480
#define WAIT 15000

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
    cr_test_web_close(&t);
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

    g_test_init(&argc, &argv, NULL);
    cr_test_web_init();
    site = cr_test_site_start();
    g_test_add_func("/web/renders", test_renders);
    g_test_add_func("/web/tap", test_tap);
    int status = g_test_run();
    cr_web_shutdown();
    return status;
}
