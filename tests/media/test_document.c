/* The document viewer on a PDF drawn at test time by cairo (page 1 red,
 * page 2 blue, a black square, white words) rendered by the real poppler,
 * a PNG with transparency read by SDL_image, damaged and unknown files (a
 * clear sentence each), the cache, the worker thread and the view. */
#include <SDL.h>
#include <SDL_image.h>
#include <cairo.h>
#include <dirent.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "common/util.h"
#include "display/document/document.h"
#include "display/events.h"
#include "tests/media/media_gen.h"

static char *tmp_dir, *pdf_path, *png_path;

static void rgb_at(const struct cr_frame *f, int x, int y, uint8_t out[3])
{
    g_assert_cmpint(f->format, ==, CR_PIXEL_BGRA);
    const uint8_t *p = f->planes[0] + (size_t)y * f->strides[0] + (size_t)x * 4;
    out[0] = p[2];
    out[1] = p[1];
    out[2] = p[0];
}

static void assert_rgb(const struct cr_frame *f, int x, int y, int r, int g, int b)
{
    uint8_t c[3];
    rgb_at(f, x, y, c);
    if (abs(c[0] - r) > 8 || abs(c[1] - g) > 8 || abs(c[2] - b) > 8)
        g_error("pixel (%d,%d) is %d,%d,%d, expected %d,%d,%d", x, y, c[0], c[1], c[2], r, g, b);
}

/* Pixels of the rectangle close to white. */
static int count_white(const struct cr_frame *f, int x0, int y0, int x1, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            uint8_t c[3];
            rgb_at(f, x, y, c);
            n += c[0] > 230 && c[1] > 230 && c[2] > 230;
        }
    return n;
}

static void test_pdf_pages(void)
{
    char *error = NULL;
    struct cr_document *doc = cr_document_open_file(pdf_path, &error);
    g_assert_null(error);
    g_assert_nonnull(doc);
    g_assert_cmpint(cr_document_kind(doc), ==, CR_DOCUMENT_PDF);
    g_assert_cmpint(cr_document_page_count(doc), ==, 2);
    double w, h;
    g_assert_true(cr_document_page_size(doc, 1, &w, &h));
    g_assert_cmpfloat(w, ==, 400);
    g_assert_cmpfloat(h, ==, 300);
    g_assert_false(cr_document_page_size(doc, 2, &w, &h));

    /* Page 1 at 800 px: twice the points. Red, the black square at
     * 80..240 px, the words "Page 1" in white from x=320, baseline 400. */
    struct cr_frame *p1 = cr_document_render(doc, 0, 800);
    g_assert_nonnull(p1);
    g_assert_cmpint(p1->width, ==, 800);
    g_assert_cmpint(p1->height, ==, 600);
    assert_rgb(p1, 20, 20, 255, 0, 0);
    assert_rgb(p1, 780, 580, 255, 0, 0);
    assert_rgb(p1, 160, 160, 0, 0, 0);
    assert_rgb(p1, 250, 160, 255, 0, 0);
    g_assert_cmpint(count_white(p1, 300, 320, 800, 410), >, 2000);
    g_assert_cmpint(count_white(p1, 0, 450, 800, 600), ==, 0);

    /* Page 2: blue, at another width. */
    struct cr_frame *p2 = cr_document_render(doc, 1, 400);
    g_assert_nonnull(p2);
    g_assert_cmpint(p2->width, ==, 400);
    g_assert_cmpint(p2->height, ==, 300);
    assert_rgb(p2, 10, 10, 0, 0, 255);
    assert_rgb(p2, 80, 80, 0, 0, 0);
    assert_rgb(p2, 390, 290, 0, 0, 255);
    g_assert_cmpint(count_white(p2, 150, 160, 400, 205), >, 500);

    /* Paging back: the same picture, from the cache. */
    struct cr_frame *again = cr_document_render(doc, 0, 800);
    g_assert_true(again == p1);
    cr_frame_unref(again);
    g_assert_null(cr_document_render(doc, 2, 800));
    /* Deep zoom: at most 32 Mpixels, the page's shape kept. */
    struct cr_frame *big = cr_document_render(doc, 0, 8192);
    g_assert_nonnull(big);
    g_assert_cmpint((int64_t)big->width * big->height, <=, 32 * 1024 * 1024);
    g_assert_cmpint(big->width, >, 6000);
    g_assert_cmpint(abs(big->height * 4 - big->width * 3), <, 8);
    assert_rgb(big, big->width / 2, big->height - 10, 255, 0, 0);
    cr_frame_unref(big);
    g_assert_null(cr_document_render(doc, -1, 800));
    cr_frame_unref(p1);
    cr_frame_unref(p2);
    cr_document_close(doc);
}

static void test_pdf_bytes(void)
{
    char *bytes;
    gsize len;
    g_assert_true(g_file_get_contents(pdf_path, &bytes, &len, NULL));
    char *error = NULL;
    struct cr_document *doc = cr_document_open_bytes(bytes, len, "application/pdf", &error);
    g_free(bytes); /* copied */
    g_assert_nonnull(doc);
    struct cr_frame *p2 = cr_document_render(doc, 1, 200);
    assert_rgb(p2, 5, 5, 0, 0, 255);
    cr_frame_unref(p2);
    cr_document_close(doc);
}

struct async_fx {
    int pages_seen;
    int last_page, last_width;
    struct cr_frame *frame;
};

static void on_page(void *userdata, int page, int width, struct cr_frame *frame)
{
    struct async_fx *fx = userdata;
    fx->pages_seen++;
    fx->last_page = page;
    fx->last_width = width;
    cr_frame_unref(fx->frame);
    fx->frame = frame ? cr_frame_ref(frame) : NULL;
}

static const struct cr_document_callbacks doc_cbs = {.on_page = on_page};

static void pump(int ms, struct async_fx *fx, int want)
{
    int64_t end = cr_monotonic_us() + ms * 1000;
    while (fx->pages_seen < want && cr_monotonic_us() < end) {
        SDL_Event ev;
        enum cr_event_type type;
        void *payload;
        if (!SDL_WaitEventTimeout(&ev, 50) || !cr_event_decode(&ev, &type, &payload))
            continue;
        if (type == CR_EVENT_DOCUMENT)
            cr_document_dispatch(payload);
        cr_event_free_payload(&ev);
    }
}

static int count_threads(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_async(void)
{
    int threads = count_threads();
    struct async_fx fx = {0};
    struct cr_document *doc = cr_document_open_file(pdf_path, NULL);
    cr_document_set_callbacks(doc, &doc_cbs, &fx);
    cr_document_render_async(doc, 1, 1200);
    pump(10000, &fx, 1);
    g_assert_cmpint(fx.pages_seen, ==, 1);
    g_assert_cmpint(fx.last_page, ==, 1);
    g_assert_nonnull(fx.frame);
    g_assert_cmpint(fx.frame->width, ==, 1200);
    assert_rgb(fx.frame, 30, 30, 0, 0, 255);
    g_assert_cmpint(count_threads(), ==, threads + 1); /* the worker */
    /* Cached now: the same picture, through the queue again. */
    struct cr_frame *first = cr_frame_ref(fx.frame);
    cr_document_render_async(doc, 1, 1200);
    pump(5000, &fx, 2);
    g_assert_cmpint(fx.pages_seen, ==, 2);
    g_assert_true(fx.frame == first);
    cr_frame_unref(first);

    /* Closed with a request under way: the worker is joined, the event
     * that may still come is a no-op. */
    cr_document_render_async(doc, 0, 2000);
    cr_document_close(doc);
    g_assert_cmpint(count_threads(), ==, threads);
    pump(300, &fx, 3);
    g_assert_cmpint(fx.pages_seen, ==, 2);
    cr_frame_unref(fx.frame);
}

static void test_png(void)
{
    char *error = NULL;
    struct cr_document *doc = cr_document_open_file(png_path, &error);
    g_assert_null(error);
    g_assert_nonnull(doc);
    g_assert_cmpint(cr_document_kind(doc), ==, CR_DOCUMENT_IMAGE);
    g_assert_cmpint(cr_document_page_count(doc), ==, 1);
    struct cr_frame *f = cr_document_render(doc, 0, 1000);
    g_assert_nonnull(f);
    /* Its own size whatever the width asked. */
    g_assert_cmpint(f->width, ==, 64);
    g_assert_cmpint(f->height, ==, 32);
    assert_rgb(f, 10, 10, 0, 160, 0);     /* opaque green */
    assert_rgb(f, 50, 10, 255, 255, 255); /* transparent: the paper */
    assert_rgb(f, 50, 25, 255, 128, 128); /* half-transparent red over white */
    cr_frame_unref(f);
    g_assert_null(cr_document_render(doc, 1, 100));
    cr_document_close(doc);

    /* The same bytes without a name: found by their magic. */
    char *bytes;
    gsize len;
    g_assert_true(g_file_get_contents(png_path, &bytes, &len, NULL));
    doc = cr_document_open_bytes(bytes, len, NULL, &error);
    g_assert_nonnull(doc);
    g_assert_cmpint(cr_document_kind(doc), ==, CR_DOCUMENT_IMAGE);
    cr_document_close(doc);
    /* Damaged: cut short. */
    doc = cr_document_open_bytes(bytes, 40, "image/png", &error);
    g_assert_null(doc);
    g_assert_nonnull(error);
    g_test_message("damaged PNG: %s", error);
    g_assert_nonnull(strstr(error, "image"));
    g_free(error);
    g_free(bytes);
}

static void test_jpeg(void)
{
    /* A photo-like JPEG: orange left half, dark blue right half. */
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 200, 100, 32, SDL_PIXELFORMAT_RGB888);
    g_assert_nonnull(s);
    SDL_FillRect(s, &(SDL_Rect){0, 0, 100, 100}, SDL_MapRGB(s->format, 240, 140, 20));
    SDL_FillRect(s, &(SDL_Rect){100, 0, 100, 100}, SDL_MapRGB(s->format, 20, 40, 120));
    char *path = g_build_filename(tmp_dir, "photo.jpg", NULL);
    g_assert_cmpint(IMG_SaveJPG(s, path, 90), ==, 0);
    SDL_FreeSurface(s);
    char *error = NULL;
    struct cr_document *doc = cr_document_open_file(path, &error);
    g_assert_null(error);
    g_assert_nonnull(doc);
    g_assert_cmpint(cr_document_kind(doc), ==, CR_DOCUMENT_IMAGE);
    struct cr_frame *f = cr_document_render(doc, 0, 800);
    g_assert_cmpint(f->width, ==, 200);
    g_assert_cmpint(f->height, ==, 100);
    uint8_t c[3];
    rgb_at(f, 50, 50, c);
    g_assert_cmpint(abs(c[0] - 240) + abs(c[1] - 140) + abs(c[2] - 20), <, 30);
    rgb_at(f, 150, 50, c);
    g_assert_cmpint(abs(c[0] - 20) + abs(c[1] - 40) + abs(c[2] - 120), <, 30);
    cr_frame_unref(f);
    cr_document_close(doc);

    /* The same photo as a phone stores it: EXIF orientation 6 (turn it a
     * quarter clockwise). Shown upright: 100×200, orange above, blue below. */
    char *jpeg;
    gsize len;
    g_assert_true(g_file_get_contents(path, &jpeg, &len, NULL));
    static const uint8_t app1[] = {
        0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0,    0,          /* APP1, 34 bytes */
        'M',  'M',  0x00, 0x2a, 0,   0,   0,   8,                     /* TIFF, IFD0 at 8 */
        0x00, 0x01,                                                   /* one entry */
        0x01, 0x12, 0x00, 0x03, 0,   0,   0,   1,   0x00, 0x06, 0, 0, /* Orientation 6 */
        0,    0,    0,    0,                                          /* no next IFD */
    };
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, (const guint8 *)jpeg, 2); /* SOI */
    g_byte_array_append(b, app1, sizeof(app1));
    g_byte_array_append(b, (const guint8 *)jpeg + 2, (guint)len - 2);
    doc = cr_document_open_bytes(b->data, b->len, "photo.jpg", &error);
    g_assert_nonnull(doc);
    f = cr_document_render(doc, 0, 800);
    g_assert_cmpint(f->width, ==, 100);
    g_assert_cmpint(f->height, ==, 200);
    rgb_at(f, 50, 50, c);
    g_assert_cmpint(abs(c[0] - 240) + abs(c[1] - 140) + abs(c[2] - 20), <, 30);
    rgb_at(f, 50, 150, c);
    g_assert_cmpint(abs(c[0] - 20) + abs(c[1] - 40) + abs(c[2] - 120), <, 30);
    cr_frame_unref(f);
    cr_document_close(doc);
    g_byte_array_unref(b);
    g_free(jpeg);
    g_unlink(path);
    g_free(path);
}

static void test_bad_files(void)
{
    char *error = NULL;
    static const char corrupt[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage garbage\n";
    struct cr_document *doc =
        cr_document_open_bytes(corrupt, sizeof(corrupt) - 1, "cours.pdf", &error);
    g_assert_null(doc);
    g_assert_nonnull(error);
    g_test_message("corrupt PDF: %s", error);
    g_assert_nonnull(strstr(error, "PDF"));
    g_free(error);

    /* A real PDF cut in half. */
    char *bytes;
    gsize len;
    g_assert_true(g_file_get_contents(pdf_path, &bytes, &len, NULL));
    doc = cr_document_open_bytes(bytes, len / 3, "application/pdf", &error);
    if (doc) {
        /* poppler may rebuild what it can: then pages render or are NULL,
         * never a crash. */
        for (int i = 0; i < cr_document_page_count(doc); i++)
            cr_frame_unref(cr_document_render(doc, i, 300));
        cr_document_close(doc);
    } else {
        g_assert_nonnull(error);
        g_free(error);
        error = NULL;
    }
    g_free(bytes);

    doc = cr_document_open_file("/nonexistent/cahier.pdf", &error);
    g_assert_null(doc);
    g_assert_nonnull(strstr(error, "cahier.pdf"));
    g_free(error);

    static const char office[] = "PK\x03\x04 not shown here";
    doc = cr_document_open_bytes(office, sizeof(office) - 1, "rapport.docx", &error);
    g_assert_null(doc);
    g_assert_nonnull(strstr(error, "PDF"));
    g_free(error);

    doc = cr_document_open_bytes("", 0, "vide.pdf", &error);
    g_assert_null(doc);
    g_assert_nonnull(error);
    g_free(error);
}

static void test_view(void)
{
    struct cr_document *doc = cr_document_open_file(pdf_path, NULL);
    struct cr_document_view v;
    cr_document_view_init(&v, doc);
    g_assert_cmpint(v.page, ==, 0);
    g_assert_cmpint(v.n_pages, ==, 2);
    g_assert_false(cr_document_view_step(&v, -1));
    g_assert_cmpint(cr_document_view_render_width(&v, 640), ==, 640);
    cr_document_view_zoom(&v, 2.0f);
    g_assert_cmpfloat(v.view.zoom, ==, 2.0f);
    g_assert_cmpint(cr_document_view_render_width(&v, 640), ==, 1280);
    cr_document_view_zoom(&v, 100.0f);
    g_assert_cmpfloat(v.view.zoom, ==, CR_TILE_ZOOM_MAX);
    g_assert_cmpint(cr_document_view_render_width(&v, 2000), ==, 8192);
    /* A new page starts fitted. */
    g_assert_true(cr_document_view_step(&v, 1));
    g_assert_cmpint(v.page, ==, 1);
    g_assert_cmpfloat(v.view.zoom, ==, 1.0f);
    g_assert_false(cr_document_view_step(&v, 1));
    cr_document_view_zoom(&v, 1.5f);
    cr_document_view_zoom(&v, 0.1f);
    g_assert_cmpfloat(v.view.zoom, ==, 1.0f);
    g_assert_true(cr_document_view_go(&v, 0));
    cr_document_view_zoom(&v, 3.0f);
    cr_document_view_fit(&v);
    g_assert_cmpfloat(v.view.zoom, ==, 1.0f);
    cr_document_close(doc);
}

static bool make_png(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 64, 32);
    cairo_t *cr = cairo_create(s);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgba(cr, 0, 0, 0, 0);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 160 / 255.0, 0);
    cairo_rectangle(cr, 0, 0, 32, 32);
    cairo_fill(cr);
    cairo_set_source_rgba(cr, 1, 0, 0, 0.5);
    cairo_rectangle(cr, 32, 16, 32, 16);
    cairo_fill(cr);
    cairo_destroy(cr);
    bool ok = cairo_surface_write_to_png(s, path) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return ok;
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* Warnings are what craie logs on bad input: expected here. */
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    if (SDL_Init(SDL_INIT_EVENTS) != 0 || !cr_events_init())
        g_error("SDL: %s", SDL_GetError());
    tmp_dir = g_dir_make_tmp("craie-doc-XXXXXX", NULL);
    pdf_path = g_build_filename(tmp_dir, "cours.pdf", NULL);
    png_path = g_build_filename(tmp_dir, "image.png", NULL);
    if (!cr_test_make_pdf(pdf_path) || !make_png(png_path))
        g_error("cannot make the test documents");

    g_test_add_func("/document/pdf_pages", test_pdf_pages);
    g_test_add_func("/document/pdf_bytes", test_pdf_bytes);
    g_test_add_func("/document/async", test_async);
    g_test_add_func("/document/png", test_png);
    g_test_add_func("/document/jpeg", test_jpeg);
    g_test_add_func("/document/bad_files", test_bad_files);
    g_test_add_func("/document/view", test_view);
    int rc = g_test_run();

    g_unlink(pdf_path);
    g_unlink(png_path);
    g_rmdir(tmp_dir);
    g_free(pdf_path);
    g_free(png_path);
    g_free(tmp_dir);
    cr_events_close();
    cr_events_drain();
    SDL_Quit();
    return rc;
}
