#include "tests/media/media_gen.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <gst/gst.h>
#include <stdint.h>
#include <string.h>

static bool run_pipeline(const char *desc)
{
    GError *err = NULL;
    GstElement *pipe = gst_parse_launch(desc, &err);
    if (!pipe) {
        g_printerr("cannot build %s: %s\n", desc, err->message);
        g_error_free(err);
        return false;
    }
    gst_element_set_state(pipe, GST_STATE_PLAYING);
    GstBus *bus = gst_element_get_bus(pipe);
    GstMessage *msg =
        gst_bus_timed_pop_filtered(bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    bool ok = msg && GST_MESSAGE_TYPE(msg) == GST_MESSAGE_EOS;
    if (msg && !ok) {
        GError *e = NULL;
        gst_message_parse_error(msg, &e, NULL);
        g_printerr("pipeline failed: %s\n", e->message);
        g_error_free(e);
    }
    if (msg)
        gst_message_unref(msg);
    gst_object_unref(bus);
    gst_element_set_state(pipe, GST_STATE_NULL);
    gst_object_unref(pipe);
    return ok;
}

bool cr_test_make_video(const char *path, int width, int height, int seconds)
{
    char *desc =
        g_strdup_printf("videotestsrc pattern=smpte num-buffers=%d ! "
                        "video/x-raw,format=I420,width=%d,height=%d,framerate=30/1 ! comp.sink_0 "
                        "videotestsrc pattern=ball num-buffers=%d ! "
                        "video/x-raw,format=I420,width=%d,height=%d,framerate=30/1 ! comp.sink_1 "
                        "compositor name=comp sink_1::ypos=%d ! video/x-raw,format=I420 ! "
                        "x264enc speed-preset=ultrafast key-int-max=15 bitrate=2000 ! h264parse ! "
                        "matroskamux name=mux ! filesink location=\"%s\" "
                        "audiotestsrc wave=sine freq=440 samplesperbuffer=1600 num-buffers=%d ! "
                        "audio/x-raw,rate=48000,channels=2 ! audioconvert ! vorbisenc ! mux.",
                        seconds * 30, width, height, seconds * 30, width, height / 6,
                        height * 5 / 6, path, seconds * 30);
    bool ok = run_pipeline(desc);
    g_free(desc);
    return ok;
}

bool cr_test_make_portrait_video(const char *path, int width, int height, int seconds)
{
    char *desc =
        g_strdup_printf("videotestsrc pattern=smpte num-buffers=%d ! "
                        "video/x-raw,format=I420,width=%d,height=%d,framerate=30/1 ! "
                        "x264enc speed-preset=ultrafast key-int-max=15 bitrate=2000 ! h264parse ! "
                        "mp4mux ! filesink location=\"%s\"",
                        seconds * 30, width, height, path);
    bool ok = run_pipeline(desc);
    g_free(desc);
    /* What a phone held upright writes: the track header's matrix turns
     * the picture a quarter clockwise (mp4mux 1.22 does not write it from
     * a tag, so it is set here, in the file's own bytes). */
    char *mp4;
    gsize len;
    if (!ok || !g_file_get_contents(path, &mp4, &len, NULL))
        return false;
    char *tkhd = NULL;
    for (gsize i = 0; i + 4 <= len && !tkhd; i++)
        if (memcmp(mp4 + i, "tkhd", 4) == 0)
            tkhd = mp4 + i;
    ok = tkhd && (size_t)(tkhd - mp4) + 4 + 4 + 20 + 16 + 36 <= len && tkhd[4] == 0;
    if (ok) {
        static const int32_t rot90[9] = {0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000};
        uint8_t *m = (uint8_t *)tkhd + 4 + 4 + 20 + 16;
        for (int i = 0; i < 9; i++) {
            uint32_t v = (uint32_t)rot90[i];
            m[i * 4] = v >> 24;
            m[i * 4 + 1] = v >> 16;
            m[i * 4 + 2] = v >> 8;
            m[i * 4 + 3] = v;
        }
        ok = g_file_set_contents(path, mp4, (gssize)len, NULL);
    }
    g_free(mp4);
    return ok;
}

bool cr_test_make_audio(const char *path, int seconds)
{
    char *desc = g_strdup_printf("audiotestsrc wave=sine freq=440 samplesperbuffer=1600 "
                                 "num-buffers=%d ! audio/x-raw,rate=48000,channels=2 ! "
                                 "audioconvert ! vorbisenc ! oggmux ! filesink location=\"%s\"",
                                 seconds * 30, path);
    bool ok = run_pipeline(desc);
    g_free(desc);
    return ok;
}

static void pdf_page(cairo_t *cr, double r, double g, double b, const char *text)
{
    cairo_set_source_rgb(cr, r, g, b);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, 40, 40, 80, 80);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 40);
    cairo_move_to(cr, 160, 200);
    cairo_show_text(cr, text);
    cairo_show_page(cr);
}

bool cr_test_make_pdf(const char *path)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 400, 300);
    cairo_t *cr = cairo_create(s);
    pdf_page(cr, 1, 0, 0, "Page 1");
    pdf_page(cr, 0, 0, 1, "Page 2");
    cairo_destroy(cr);
    cairo_surface_finish(s);
    bool ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return ok;
}
