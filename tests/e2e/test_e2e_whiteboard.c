/* End to end: the whiteboard and ink on the camera picture, on the real
 * craie, through the control socket: open the board from its launcher tile,
 * write with a pen (injected with drag ... pen), undo with the toolbar,
 * save, clear (with its confirmation), and annotate the camera's picture. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tests/e2e/e2e.h"

#define BLUE 0x1d4ed8u /* ink.color by default */
#define RED 0xdc2626u  /* ink.second_color by default */
#define WHITE 0xffffffu

static int64_t ink_int(const char *member)
{
    JsonObject *s = e2e_state();
    JsonNode *ink = json_object_get_member(s, "ink");
    g_assert_false(JSON_NODE_HOLDS_NULL(ink));
    int64_t v = json_object_get_int_member(json_node_get_object(ink), member);
    json_object_unref(s);
    return v;
}

static int64_t strokes(void)
{
    return ink_int("strokes");
}

static bool button_enabled(const char *action)
{
    JsonObject *s = e2e_state();
    JsonObject *b = e2e_button(s, action);
    bool on = b && json_object_get_boolean_member(b, "enabled");
    json_object_unref(s);
    return on;
}

/* Ink of rgb along the segment, every 40 px. */
static void assert_line(SDL_Surface *s, int x0, int y0, int x1, int y1, unsigned rgb)
{
    int n = (int)(hypot(x1 - x0, y1 - y0) / 40);
    for (int i = 0; i <= n; i++) {
        int x = x0 + (x1 - x0) * i / n, y = y0 + (y1 - y0) * i / n;
        if (!e2e_color_near(s, x, y, 2, rgb, 16))
            g_error("no ink #%06x at %d,%d (found #%06x)", rgb, x, y, e2e_pixel(s, x, y));
    }
}

static void test_open_from_launcher(void)
{
    e2e_start(NULL);
    e2e_tap_button("open whiteboard");
    JsonObject *s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "whiteboard");
    JsonObject *ink = json_object_get_object_member(s, "ink");
    g_assert_cmpstr(json_object_get_string_member(ink, "surface"), ==, "whiteboard");
    g_assert_cmpint(json_object_get_int_member(ink, "strokes"), ==, 0);
    g_assert_cmpstr(json_object_get_string_member(ink, "paper"), ==, "white");
    g_assert_cmpstr(json_object_get_string_member(ink, "color"), ==, "#1d4ed8");
    g_assert_false(json_object_get_boolean_member(ink, "can_undo"));
    /* French labels, big targets, Home where it always is. */
    JsonObject *undo = e2e_button(s, "ink undo");
    g_assert_nonnull(undo);
    g_assert_cmpstr(json_object_get_string_member(undo, "label"), ==, "Annuler");
    g_assert_false(json_object_get_boolean_member(undo, "enabled"));
    g_assert_cmpint(e2e_member_rect(undo, "rect").h, >=, 64);
    g_assert_cmpstr(json_object_get_string_member(e2e_button(s, "ink clear ask"), "label"), ==,
                    "Tout effacer");
    g_assert_nonnull(e2e_button(s, "open launcher"));
    struct e2e_rect home = e2e_member_rect(s, "home_button");
    g_assert_cmpint(home.x, <, 40);
    json_object_unref(s);
    SDL_Surface *sh = e2e_screenshot("01-board");
    g_assert_cmpuint(e2e_pixel(sh, 640, 300), ==, WHITE);
    SDL_FreeSurface(sh);
}

static void test_pen_writes(void)
{
    E2E_OK("drag", "200", "150", "800", "350", "300", "pen");
    g_assert_cmpint(strokes(), ==, 1);
    /* A finger does not write (it would be a palm); the mouse does. */
    E2E_OK("drag", "200", "450", "800", "450", "300", "finger");
    g_assert_cmpint(strokes(), ==, 1);
    E2E_OK("drag", "200", "500", "800", "500", "300", "mouse");
    g_assert_cmpint(strokes(), ==, 2);
    /* A second pen writes in the second colour. */
    E2E_OK("drag", "900", "150", "1100", "450", "300", "pen2");
    g_assert_cmpint(strokes(), ==, 3);
    SDL_Surface *s = e2e_screenshot("02-strokes");
    assert_line(s, 200, 150, 800, 350, BLUE);
    assert_line(s, 200, 500, 800, 500, BLUE);
    assert_line(s, 900, 150, 1100, 450, RED);
    g_assert_cmpuint(e2e_pixel(s, 500, 450), ==, WHITE); /* where the finger went */
    g_assert_cmpuint(e2e_pixel(s, 850, 300), ==, WHITE); /* between strokes: nothing */
    SDL_FreeSurface(s);
    /* The latency hook saw every pen event drawn (drag backdates them: no
     * meaningful figure here, craie-bench pen measures it). */
    char *out = NULL;
    g_assert_cmpint(e2e_ctl(&out, NULL, "ink", "latency", NULL), ==, 0);
    JsonParser *p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
    JsonObject *l = json_node_get_object(json_parser_get_root(p));
    g_assert_cmpint(json_object_get_int_member(l, "count"), >=, 3 * 14);
    g_assert_cmpint(json_object_get_int_member(l, "p95_us"), >, 0);
    g_object_unref(p);
    g_free(out);
}

static void test_undo_redo(void)
{
    g_assert_true(button_enabled("ink undo"));
    e2e_tap_button("ink undo"); /* a finger on the toolbar */
    g_assert_cmpint(strokes(), ==, 2);
    SDL_Surface *s = e2e_screenshot("03-undone");
    g_assert_false(e2e_color_near(s, 1000, 300, 3, RED, 40));
    assert_line(s, 200, 150, 800, 350, BLUE);
    SDL_FreeSurface(s);
    E2E_OK("ink", "redo");
    g_assert_cmpint(strokes(), ==, 3);
    char *err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "ink", "redo", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "nothing to redo"));
    g_free(err);
}

static void test_save(void)
{
    E2E_OK("ink", "save");
    char *path = e2e_wait_png(10000);
    g_assert_nonnull(path);
    SDL_Surface *s = e2e_load(path);
    /* One pixel per board unit: 1920 wide whatever the window. */
    g_assert_cmpint(s->w, ==, 1920);
    g_assert_cmpint(abs(s->h - 944), <=, 1);
    double k = 1920.0 / 1280; /* window px → board units */
    assert_line(s, (int)(200 * k), (int)(150 * k), (int)(800 * k), (int)(350 * k), BLUE);
    assert_line(s, (int)(900 * k), (int)(150 * k), (int)(1100 * k), (int)(450 * k), RED);
    g_assert_cmpuint(e2e_pixel(s, 1800, 900), ==, WHITE);
    SDL_FreeSurface(s);
    g_unlink(path);
    g_free(path);
}

static void test_clear_asks_first(void)
{
    e2e_tap_button("ink clear ask");
    JsonObject *st = e2e_state();
    JsonNode *notice = json_object_get_member(st, "notice");
    g_assert_false(JSON_NODE_HOLDS_NULL(notice));
    g_assert_nonnull(e2e_button(st, "ink clear")); /* the panel's action button */
    g_assert_cmpstr(json_object_get_string_member(e2e_button(st, "dismiss"), "label"), ==,
                    "Garder");
    json_object_unref(st);
    SDL_FreeSurface(e2e_screenshot("04-clear-ask"));
    e2e_tap_button("dismiss"); /* Garder: nothing lost */
    g_assert_cmpint(strokes(), ==, 3);
    e2e_tap_button("ink clear ask");
    e2e_tap_button("ink clear");
    g_assert_cmpint(strokes(), ==, 0);
    SDL_Surface *s = e2e_screenshot("05-cleared");
    g_assert_false(e2e_color_near(s, 500, 250, 3, BLUE, 40));
    SDL_FreeSurface(s);
    e2e_tap_button("ink undo"); /* changed her mind */
    g_assert_cmpint(strokes(), ==, 3);
}

static void test_paper_and_home(void)
{
    E2E_OK("whiteboard", "paper", "seyes");
    SDL_Surface *s = e2e_screenshot("06-seyes");
    g_assert_true(e2e_color_near(s, 112, 300, 2, 0xe05a70, 30)); /* the red margin */
    assert_line(s, 200, 150, 800, 350, BLUE);
    SDL_FreeSurface(s);
    /* Home and back: the board is as it was left. */
    e2e_tap_button("open launcher");
    JsonObject *st = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(st, "screen"), ==, "launcher");
    g_assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(st, "ink")));
    json_object_unref(st);
    char *err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "ink", "undo", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "no ink"));
    g_free(err);
    E2E_OK("open", "whiteboard");
    g_assert_cmpint(strokes(), ==, 3);
}

static bool camera_live(void *data)
{
    JsonObject *s = e2e_state();
    JsonObject *cam = json_object_get_object_member(s, "camera");
    bool ok = !g_strcmp0(json_object_get_string_member(cam, "state"), "live") &&
              json_object_get_int_member(cam, "frames_shown") >= 3;
    json_object_unref(s);
    return ok;
}

static void test_camera_annotation(void)
{
    e2e_tap_button("open launcher");
    e2e_tap_button("open camera");
    g_assert_true(e2e_wait_for(camera_live, NULL, 20000));
    E2E_OK("camera", "freeze");
    JsonObject *st = e2e_state();
    JsonObject *tile = json_array_get_object_element(json_object_get_array_member(st, "tiles"), 0);
    struct e2e_rect img = e2e_member_rect(tile, "image_rect");
    g_assert_nonnull(e2e_button(st, "ink undo")); /* the compact toolbar */
    json_object_unref(st);
    e2e_tap_button("ink color red");
    /* A red line across the middle of the picture. */
    char x0[16], x1[16], y[16];
    snprintf(x0, sizeof(x0), "%d", img.x + img.w / 4);
    snprintf(x1, sizeof(x1), "%d", img.x + img.w * 3 / 4);
    snprintf(y, sizeof(y), "%d", img.y + img.h / 2);
    E2E_OK("drag", x0, y, x1, y, "300", "pen");
    g_assert_cmpint(strokes(), ==, 1);
    SDL_Surface *s = e2e_screenshot("07-camera-ink");
    assert_line(s, img.x + img.w / 4, img.y + img.h / 2, img.x + img.w * 3 / 4, img.y + img.h / 2,
                RED);
    SDL_FreeSurface(s);
    /* Saved with the ink, at the picture's resolution (the test source's 1920x1080). */
    e2e_tap_button("camera save");
    char *path = e2e_wait_png(10000);
    g_assert_nonnull(path);
    s = e2e_load(path);
    g_assert_cmpint(s->w, ==, 1920);
    g_assert_cmpint(s->h, ==, 1080);
    assert_line(s, 480, 540, 1440, 540, RED);
    SDL_FreeSurface(s);
    g_unlink(path);
    g_free(path);
    e2e_tap_button("ink undo");
    g_assert_cmpint(strokes(), ==, 0);
}

static void test_bad_commands(void)
{
    char *err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "ink", "color", "bleu-ciel", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "usage: ink color"));
    g_free(err);
    g_assert_cmpint(e2e_ctl(NULL, &err, "ink", "width", "500", NULL), ==, 1);
    g_free(err);
    g_assert_cmpint(e2e_ctl(NULL, &err, "whiteboard", "paper", "papyrus", NULL), ==, 1);
    g_free(err);
    g_assert_cmpint(e2e_ctl(NULL, &err, "drag", "1", "1", "5", "5", "100", "banana", NULL), ==, 1);
    g_free(err);
    g_assert_cmpint(ink_int("strokes"), ==, 0); /* and craie still answers */
    e2e_quit();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    int rc = e2e_init("e2e-whiteboard");
    if (rc)
        return rc;
    g_test_add_func("/e2e/whiteboard/open-from-launcher", test_open_from_launcher);
    g_test_add_func("/e2e/whiteboard/pen-writes", test_pen_writes);
    g_test_add_func("/e2e/whiteboard/undo-redo", test_undo_redo);
    g_test_add_func("/e2e/whiteboard/save", test_save);
    g_test_add_func("/e2e/whiteboard/clear-asks-first", test_clear_asks_first);
    g_test_add_func("/e2e/whiteboard/paper-and-home", test_paper_and_home);
    g_test_add_func("/e2e/whiteboard/camera-annotation", test_camera_annotation);
    g_test_add_func("/e2e/whiteboard/bad-commands", test_bad_commands);
    rc = g_test_run();
    e2e_finish();
    return rc;
}
