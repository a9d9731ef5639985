/* End to end: the board screen (Affichage) on the real craie, through the
 * control socket: open it from its launcher tile, put the camera on it,
 * write with a pen over the tiles, drive the tile's picture with a finger,
 * full screen and close with the tile's own buttons, Home always there. */
#include <math.h>
#include <string.h>

#include "tests/e2e/e2e.h"

#define BLUE 0x1d4ed8u /* ink.color by default */

static JsonObject *board_tile(JsonObject *s, guint i)
{
    JsonObject *board = json_object_get_object_member(s, "board");
    JsonArray *tiles = json_object_get_array_member(board, "tiles");
    g_assert_cmpuint(json_array_get_length(tiles), >, i);
    return json_array_get_object_element(tiles, i);
}

static int64_t board_count(void)
{
    JsonObject *s = e2e_state();
    int64_t n = json_object_get_int_member(json_object_get_object_member(s, "board"), "count");
    json_object_unref(s);
    return n;
}

static int64_t strokes(void)
{
    JsonObject *s = e2e_state();
    JsonObject *ink = json_object_get_object_member(s, "ink");
    g_assert_cmpstr(json_object_get_string_member(ink, "surface"), ==, "board");
    int64_t v = json_object_get_int_member(ink, "strokes");
    json_object_unref(s);
    return v;
}

static bool camera_tile_live(void *data)
{
    JsonObject *s = e2e_state();
    JsonArray *tiles = json_object_get_array_member(s, "tiles");
    bool ok = json_array_get_length(tiles) > 0;
    if (ok) {
        JsonObject *t = json_array_get_object_element(tiles, 0);
        ok = !g_strcmp0(json_object_get_string_member(t, "kind"), "camera") &&
             json_object_get_boolean_member(t, "has_image") &&
             json_object_get_int_member(t, "frames_shown") >= 3;
    }
    json_object_unref(s);
    return ok;
}

static char *camera_state(void)
{
    JsonObject *s = e2e_state();
    char *st = g_strdup(
        json_object_get_string_member(json_object_get_object_member(s, "camera"), "state"));
    json_object_unref(s);
    return st;
}

static bool camera_closed(void *data)
{
    char *st = camera_state();
    bool ok = !strcmp(st, "closed");
    g_free(st);
    return ok;
}

static void test_open_from_launcher(void)
{
    e2e_start(NULL);
    JsonObject *s = e2e_state();
    JsonObject *tile = e2e_button(s, "open board");
    g_assert_nonnull(tile);
    g_assert_cmpstr(json_object_get_string_member(tile, "label"), ==, "Affichage");
    json_object_unref(s);
    e2e_tap_button("open board");
    s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "board");
    g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(s, "board"), "count"),
                    ==, 0);
    g_assert_nonnull(e2e_button(s, "open launcher")); /* Home, always */
    json_object_unref(s);
    SDL_FreeSurface(e2e_screenshot("01-empty"));
}

static void test_camera_tile(void)
{
    E2E_OK("board", "add", "camera");
    g_assert_true(e2e_wait_for(camera_tile_live, NULL, 20000));
    /* The same camera twice is one tile. */
    E2E_OK("board", "add", "camera");
    g_assert_cmpint(board_count(), ==, 1);
    JsonObject *s = e2e_state();
    JsonObject *t = board_tile(s, 0);
    g_assert_cmpstr(json_object_get_string_member(t, "title"), ==, "Caméra");
    g_assert_cmpstr(json_object_get_string_member(t, "source"), ==, "test");
    g_assert_cmpstr(
        json_object_get_string_member(json_object_get_object_member(s, "board"), "layout"), ==,
        "single");
    /* Big Full screen / Close buttons in the title strip, French labels. */
    JsonObject *full = e2e_button(s, "board fullscreen 1");
    JsonObject *close = e2e_button(s, "board close 1");
    g_assert_nonnull(full);
    g_assert_nonnull(close);
    g_assert_cmpstr(json_object_get_string_member(full, "label"), ==, "Plein écran");
    g_assert_cmpstr(json_object_get_string_member(close, "label"), ==, "Fermer");
    g_assert_cmpint(e2e_member_rect(close, "rect").h, >=, 48);
    struct e2e_rect img = e2e_member_rect(t, "image_rect");
    struct e2e_rect strip = e2e_member_rect(t, "rect");
    g_assert_cmpint(img.y, >, strip.y); /* below the title strip */
    json_object_unref(s);
    /* The test pattern's bars are on screen in the tile. */
    SDL_Surface *sh = e2e_screenshot("02-camera");
    int y = img.y + img.h / 4;
    unsigned yellow = e2e_pixel(sh, img.x + img.w * 3 / 14, y);
    g_assert_cmpuint((yellow >> 16) & 0xff, >, 140);
    g_assert_cmpuint((yellow >> 8) & 0xff, >, 140);
    g_assert_cmpuint(yellow & 0xff, <, 70);
    SDL_FreeSurface(sh);
}

static void test_pen_writes_over_tiles(void)
{
    JsonObject *s = e2e_state();
    struct e2e_rect img = e2e_member_rect(board_tile(s, 0), "image_rect");
    json_object_unref(s);
    /* From the black border beside the picture into it: one ink over the board. */
    int x0 = MAX(img.x - 60, 10), y0 = img.y + img.h / 2;
    int x1 = img.x + img.w / 2, y1 = img.y + img.h * 3 / 4;
    char a[4][16];
    g_snprintf(a[0], 16, "%d", x0);
    g_snprintf(a[1], 16, "%d", y0);
    g_snprintf(a[2], 16, "%d", x1);
    g_snprintf(a[3], 16, "%d", y1);
    E2E_OK("drag", a[0], a[1], a[2], a[3], "300", "pen");
    g_assert_cmpint(strokes(), ==, 1);
    SDL_Surface *sh = e2e_screenshot("03-ink");
    g_assert_true(e2e_color_near(sh, (x0 + x1) / 2, (y0 + y1) / 2, 3, BLUE, 24));
    g_assert_true(
        e2e_color_near(sh, x0 + 10 * (x1 - x0) / 100, y0 + 10 * (y1 - y0) / 100, 3, BLUE, 24));
    SDL_FreeSurface(sh);
    /* The pen taps the tile's buttons, never writes on them. */
    g_assert_cmpint(strokes(), ==, 1);
}

static void test_finger_drives_the_tile(void)
{
    E2E_OK("board", "tile", "1", "zoom", "in");
    JsonObject *s = e2e_state();
    JsonObject *t = board_tile(s, 0);
    g_assert_cmpfloat(json_object_get_double_member(t, "zoom"), >, 1.4);
    double cx = json_object_get_double_member(t, "center_x");
    struct e2e_rect img = e2e_member_rect(t, "image_rect");
    json_object_unref(s);
    char a[4][16];
    g_snprintf(a[0], 16, "%d", img.x + img.w / 2);
    g_snprintf(a[1], 16, "%d", img.y + img.h / 2);
    g_snprintf(a[2], 16, "%d", img.x + img.w / 4);
    g_snprintf(a[3], 16, "%d", img.y + img.h / 2);
    g_usleep(800000); /* a finger right after the pen would be a resting palm */
    E2E_OK("drag", a[0], a[1], a[2], a[3], "300", "finger");
    s = e2e_state();
    t = board_tile(s, 0);
    /* the picture followed the finger to the left: the view looks further right */
    g_assert_cmpfloat(json_object_get_double_member(t, "center_x"), >, cx + 0.05);
    json_object_unref(s);
    g_assert_cmpint(strokes(), ==, 1); /* a finger never writes */
    E2E_OK("board", "tile", "1", "zoom", "reset");
}

static void test_fullscreen_and_close(void)
{
    e2e_tap_button("board fullscreen 1");
    JsonObject *s = e2e_state();
    g_assert_cmpint(
        json_object_get_int_member(json_object_get_object_member(s, "board"), "fullscreen"), ==, 1);
    g_assert_true(json_object_get_boolean_member(e2e_button(s, "board fullscreen 1"), "active"));
    json_object_unref(s);
    e2e_tap_button("board fullscreen 1"); /* again: back to the layout */
    s = e2e_state();
    g_assert_cmpint(
        json_object_get_int_member(json_object_get_object_member(s, "board"), "fullscreen"), ==, 0);
    json_object_unref(s);
    /* Home and back: the tile is still there and the camera comes back. */
    e2e_tap_button("open launcher");
    g_assert_true(e2e_wait_for(camera_closed, NULL, 10000));
    E2E_OK("open", "board");
    g_assert_true(e2e_wait_for(camera_tile_live, NULL, 20000));
    g_assert_cmpint(strokes(), ==, 1);
    /* Fermer: the tile goes, the camera stops. */
    e2e_tap_button("board close 1");
    g_assert_cmpint(board_count(), ==, 0);
    g_assert_true(e2e_wait_for(camera_closed, NULL, 10000));
}

/* A two-page PDF (a line of text and a blue square on each page). */
static char *make_pdf(void)
{
    static const char *const pages[] = {"Page un", "Page deux"};
    GString *pdf = g_string_new("%PDF-1.4\n");
    GArray *off = g_array_new(FALSE, FALSE, sizeof(gsize));
    char *objs[7];
    objs[0] = g_strdup("<< /Type /Catalog /Pages 2 0 R >>");
    objs[1] = g_strdup("<< /Type /Pages /Kids [5 0 R 7 0 R] /Count 2 >>");
    objs[2] = g_strdup("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    for (int p = 0; p < 2; p++) {
        char *stream = g_strdup_printf(
            "BT /F1 36 Tf 72 700 Td (%s) Tj ET 0 0 1 rg 72 100 450 450 re f", pages[p]);
        objs[3 + 2 * p] =
            g_strdup_printf("<< /Length %zu >>\nstream\n%s\nendstream", strlen(stream), stream);
        objs[4 + 2 * p] = g_strdup_printf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                                          "/Contents %d 0 R /Resources << /Font << /F1 3 0 R >> "
                                          ">> >>",
                                          4 + 2 * p);
        g_free(stream);
    }
    for (int i = 0; i < 7; i++) {
        gsize o = pdf->len;
        g_array_append_val(off, o);
        g_string_append_printf(pdf, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
        g_free(objs[i]);
    }
    gsize xref = pdf->len;
    g_string_append(pdf, "xref\n0 8\n0000000000 65535 f \n");
    for (guint i = 0; i < off->len; i++)
        g_string_append_printf(pdf, "%010zu 00000 n \n", g_array_index(off, gsize, i));
    g_string_append_printf(pdf, "trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                           xref);
    char *path = g_build_filename(e2e_tmp_dir, "cours.pdf", NULL);
    g_assert_true(g_file_set_contents(path, pdf->str, (gssize)pdf->len, NULL));
    g_string_free(pdf, TRUE);
    g_array_free(off, TRUE);
    return path;
}

/* A 5 s video (a moving ball), encoded now. */
static char *make_video(void)
{
    char *path = g_build_filename(e2e_tmp_dir, "balle.mp4", NULL);
    g_autofree char *loc = g_strdup_printf("location=%s", path);
    char *argv[] = {"gst-launch-1.0",
                    "-q",
                    "videotestsrc",
                    "num-buffers=150",
                    "pattern=ball",
                    "!",
                    "video/x-raw,width=320,height=240,framerate=30/1",
                    "!",
                    "x264enc",
                    "!",
                    "mp4mux",
                    "!",
                    "filesink",
                    loc,
                    NULL};
    int status = -1;
    g_assert_true(
        g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    return path;
}

struct want_tile {
    const char *kind, *member;
    int64_t min;
};

static bool tile_reaches(void *data)
{
    const struct want_tile *w = data;
    JsonObject *s = e2e_state();
    JsonObject *t = e2e_board_tile(s, w->kind);
    bool ok = t && json_object_get_int_member(t, w->member) >= w->min;
    json_object_unref(s);
    return ok;
}

static bool media_volume_is(void *data)
{
    JsonObject *s = e2e_state();
    JsonObject *t = e2e_board_tile(s, "media");
    bool ok = t && json_object_get_int_member(t, "volume") == *(int *)data;
    json_object_unref(s);
    return ok;
}

static void test_video_and_document_tiles(void)
{
    g_autofree char *pdf = make_pdf();
    g_autofree char *video = make_video();
    E2E_OK("board", "add", "camera");
    E2E_OK("open", "media", video);
    struct want_tile frames = {"media", "frames", 10};
    g_assert_true(e2e_wait_for(tile_reaches, &frames, 20000));
    E2E_OK("open", "document", pdf);
    struct want_tile page1 = {"document", "page_shown", 1};
    g_assert_true(e2e_wait_for(tile_reaches, &page1, 20000));
    JsonObject *s = e2e_state();
    JsonObject *board = json_object_get_object_member(s, "board");
    g_assert_cmpint(json_object_get_int_member(board, "count"), ==, 3);
    g_assert_cmpstr(json_object_get_string_member(board, "layout"), ==, "grid-2x2");
    JsonObject *m = e2e_board_tile(s, "media");
    g_assert_cmpstr(json_object_get_string_member(m, "title"), ==, "balle.mp4");
    g_assert_true(json_object_get_boolean_member(m, "playing"));
    JsonObject *d = e2e_board_tile(s, "document");
    g_assert_cmpint(json_object_get_int_member(d, "pages"), ==, 2);
    g_assert_cmpint(json_object_get_int_member(d, "page"), ==, 1);
    int64_t doc_index = json_object_get_int_member(d, "index");
    int64_t media_index = json_object_get_int_member(m, "index");
    struct e2e_rect page = e2e_member_rect(d, "image_rect");
    json_object_unref(s);
    /* The PDF's page on screen: white paper, the blue square. */
    SDL_Surface *sh = e2e_screenshot("05-three-tiles");
    g_assert_true(
        e2e_color_near(sh, page.x + page.w / 2, page.y + page.h * 2 / 3, 4, 0x0000ff, 40));
    SDL_FreeSurface(sh);

    /* The bars' big buttons: pause the video, the next page. */
    g_autofree char *pause = g_strdup_printf("board tile %" G_GINT64_FORMAT " toggle", media_index);
    e2e_tap_button(pause);
    s = e2e_state();
    g_assert_false(json_object_get_boolean_member(e2e_board_tile(s, "media"), "playing"));
    json_object_unref(s);
    /* The volume button: silence, then the volume before. */
    g_autofree char *mute = g_strdup_printf("board tile %" G_GINT64_FORMAT " mute", media_index);
    e2e_tap_button(mute);
    g_assert_true(e2e_wait_for(media_volume_is, &(int){0}, 5000));
    e2e_tap_button(mute);
    g_assert_true(e2e_wait_for(media_volume_is, &(int){100}, 5000));
    /* A finger drags the volume slider to its left end: silence. */
    s = e2e_state();
    struct e2e_rect vol = e2e_member_rect(e2e_board_tile(s, "media"), "volume_rect");
    json_object_unref(s);
    g_assert_cmpint(vol.w, >, 0);
    g_autofree char *vx1 = g_strdup_printf("%d", vol.x + vol.w - 4);
    g_autofree char *vx0 = g_strdup_printf("%d", vol.x - 40);
    g_autofree char *vy = g_strdup_printf("%d", vol.y + vol.h / 2);
    E2E_OK("drag", vx1, vy, vx0, vy, "300", "finger");
    g_assert_true(e2e_wait_for(media_volume_is, &(int){0}, 5000));
    g_autofree char *next = g_strdup_printf("board tile %" G_GINT64_FORMAT " next", doc_index);
    e2e_tap_button(next);
    struct want_tile page2 = {"document", "page_shown", 2};
    g_assert_true(e2e_wait_for(tile_reaches, &page2, 20000));

    /* A file that is not there: a clear answer, nothing lost. */
    char *err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "open", "document", "/nulle/part.pdf", NULL), ==, 1);
    g_assert_nonnull(err);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(e2e_ctl(NULL, &err, "open", "media", "/nulle/part.mp4", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "no such file"));
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(board_count(), ==, 3);
    for (int i = 3; i >= 1; i--)
        E2E_OK("board", "close", "1");
    g_assert_cmpint(board_count(), ==, 0);
}

/* A page with one text field; what is typed shows in its title. Served
 * from loopback by a plain socket loop on its own thread. */
static const char typing_page[] =
    "<!doctype html><html><head><meta charset=utf-8><title>vide</title></head>"
    "<body style='margin:0;background:#fff'>"
    "<input id=f style='position:absolute;left:0;top:0;width:100%;height:40%;font-size:40px' "
    "oninput=\"document.title='tape:'+this.value\"></body></html>";

static gpointer serve_page(gpointer data)
{
    GSocketListener *l = data;
    for (;;) {
        GSocketConnection *c = g_socket_listener_accept(l, NULL, NULL, NULL);
        if (!c)
            continue;
        GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(c));
        GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(c));
        char req[4096];
        g_input_stream_read(in, req, sizeof(req), NULL, NULL); /* one request, whatever it is */
        g_autofree char *resp =
            g_strdup_printf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                            "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                            strlen(typing_page), typing_page);
        g_output_stream_write_all(out, resp, strlen(resp), NULL, NULL, NULL);
        g_io_stream_close(G_IO_STREAM(c), NULL, NULL);
        g_object_unref(c);
    }
    return NULL;
}

static char *start_page_server(void)
{
    GSocketListener *l = g_socket_listener_new();
    GError *err = NULL;
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new(lo, 0);
    GSocketAddress *bound = NULL;
    g_assert_true(g_socket_listener_add_address(l, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &err));
    g_assert_no_error(err);
    guint16 port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
    g_object_unref(bound);
    g_thread_unref(g_thread_new("page-server", serve_page, l)); /* lives as long as the test */
    return g_strdup_printf("http://127.0.0.1:%u/champ.html", port);
}

static bool web_title_is(void *data)
{
    JsonObject *s = e2e_state();
    JsonObject *t = e2e_board_tile(s, "web");
    bool ok = t && !g_strcmp0(json_object_get_string_member(t, "page_title"), data) &&
              json_object_get_boolean_member(t, "has_image");
    json_object_unref(s);
    return ok;
}

/* Taps the key labelled label of tile 1's on-screen keyboard. */
static void tap_key(const char *label)
{
    e2e_tap_labelled("board tile 1 key ", label);
}

static bool keyboard_keys_shown(void)
{
    JsonObject *s = e2e_state();
    JsonArray *buttons = json_object_get_array_member(s, "buttons");
    bool found = false;
    for (guint i = 0; i < json_array_get_length(buttons); i++)
        found |= g_str_has_prefix(
            json_object_get_string_member(json_array_get_object_element(buttons, i), "action"),
            "board tile 1 key ");
    json_object_unref(s);
    return found;
}

static void test_web_keyboard(void)
{
    g_autofree char *url = start_page_server();
    E2E_OK("open", "url", url);
    g_assert_true(e2e_wait_for(web_title_is, "vide", 30000));
    JsonObject *s = e2e_state();
    JsonObject *t = e2e_board_tile(s, "web");
    g_assert_false(json_object_get_boolean_member(t, "keyboard"));
    struct e2e_rect img = e2e_member_rect(t, "image_rect");
    json_object_unref(s);
    g_assert_false(keyboard_keys_shown());

    /* The field at the top of the page, then Clavier on the tile's bar. */
    g_autofree char *x = g_strdup_printf("%d", img.x + img.w / 2);
    g_autofree char *y = g_strdup_printf("%d", img.y + img.h * 15 / 100);
    E2E_OK("tap", x, y);
    e2e_tap_button("board tile 1 keyboard");
    s = e2e_state();
    g_assert_true(json_object_get_boolean_member(e2e_board_tile(s, "web"), "keyboard"));
    json_object_unref(s);
    g_assert_true(keyboard_keys_shown());
    SDL_FreeSurface(e2e_screenshot("06-web-keyboard"));

    /* b, o, n, Effacer, a, an upper-case Z: the page gets "boaZ". */
    tap_key("b");
    tap_key("o");
    tap_key("n");
    g_assert_true(e2e_wait_for(web_title_is, "tape:bon", 20000));
    tap_key("Effacer");
    tap_key("a");
    tap_key("Maj"); /* one capital */
    tap_key("z");
    g_assert_true(e2e_wait_for(web_title_is, "tape:boaZ", 20000));

    /* Clavier again hides it; Accueil always works. */
    e2e_tap_button("board tile 1 keyboard");
    g_assert_false(keyboard_keys_shown());
    e2e_tap_button("board tile 1 keyboard");
    g_assert_true(keyboard_keys_shown());
    e2e_tap_button("open launcher");
    s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "launcher");
    json_object_unref(s);
    e2e_tap_button("open board");
    E2E_OK("board", "close", "1");
    g_assert_cmpint(board_count(), ==, 0);
}

static void test_bad_commands(void)
{
    char *err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "board", "close", "3", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "no tile 3"));
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(e2e_ctl(NULL, &err, "board", "add", "cast", "42", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "no pupil's screen 42"));
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(e2e_ctl(NULL, &err, "board", "add", "printer", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "usage"));
    g_clear_pointer(&err, g_free);
    /* A bad address: a clear answer, nothing added, the board as it was. */
    g_assert_cmpint(e2e_ctl(NULL, &err, "open", "url", "ftp://example.org/x", NULL), ==, 1);
    g_assert_nonnull(strstr(err, "not a web address"));
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(e2e_ctl(NULL, &err, "open", "url", "pas une adresse", NULL), ==, 1);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(board_count(), ==, 0);
    e2e_quit();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    int rc = e2e_init("e2e-board");
    if (rc)
        return rc;
    g_test_add_func("/e2e/board/open-from-launcher", test_open_from_launcher);
    g_test_add_func("/e2e/board/camera-tile", test_camera_tile);
    g_test_add_func("/e2e/board/pen-writes-over-tiles", test_pen_writes_over_tiles);
    g_test_add_func("/e2e/board/finger-drives-the-tile", test_finger_drives_the_tile);
    g_test_add_func("/e2e/board/fullscreen-and-close", test_fullscreen_and_close);
    g_test_add_func("/e2e/board/video-and-document-tiles", test_video_and_document_tiles);
    g_test_add_func("/e2e/board/web-keyboard", test_web_keyboard);
    g_test_add_func("/e2e/board/bad-commands", test_bad_commands);
    rc = g_test_run();
    e2e_finish();
    return rc;
}
