/* Drawn with cairo into the frame's own pixels (cairo's ARGB32 is B G R A
 * bytes on little-endian machines, craie's CR_PIXEL_BGRA). */
#include "display/player/audio_card.h"

#include <cairo.h>
#include <glib.h>
#include <string.h>

#include "common/util.h"

/* The note: two heads joined by a beam, in the accent colour. */
static void draw_note(cairo_t *cr, double cx, double cy, double size)
{
    double head_rx = size * 0.16, head_ry = size * 0.12, stem = size * 0.07;
    double lx = cx - size * 0.28, rx = cx + size * 0.22;
    double ly = cy + size * 0.30, ry = cy + size * 0.22;
    double top = cy - size * 0.38;
    cairo_set_source_rgb(cr, 0.98, 0.74, 0.18);
    for (int i = 0; i < 2; i++) {
        double x = i ? rx : lx, y = i ? ry : ly;
        cairo_save(cr);
        cairo_translate(cr, x, y);
        cairo_rotate(cr, -0.35);
        cairo_scale(cr, head_rx, head_ry);
        cairo_arc(cr, 0, 0, 1, 0, 2 * G_PI);
        cairo_restore(cr);
        cairo_fill(cr);
        cairo_rectangle(cr, x + head_rx * 0.75, top + (i ? -size * 0.0 : size * 0.08) + 1,
                        stem * 0.6, y - top - (i ? 0 : size * 0.08));
        cairo_fill(cr);
    }
    /* The beam from the left stem's top to the right one's. */
    double x0 = lx + head_rx * 0.75, x1 = rx + head_rx * 0.75 + stem * 0.6;
    cairo_move_to(cr, x0, top + size * 0.08);
    cairo_line_to(cr, x1, top);
    cairo_line_to(cr, x1, top + size * 0.14);
    cairo_line_to(cr, x0, top + size * 0.22);
    cairo_close_path(cr);
    cairo_fill(cr);
}

struct cr_frame *cr_audio_card_render(const char *title, int width, int height)
{
    struct cr_frame *f = cr_frame_new_alloc(CR_PIXEL_BGRA, width, height);
    if (!f)
        return NULL;
    cairo_surface_t *s = cairo_image_surface_create_for_data(f->planes[0], CAIRO_FORMAT_ARGB32,
                                                             width, height, f->strides[0]);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.11, 0.15, 0.22);
    cairo_paint(cr);

    double size = height * 0.45;
    cairo_set_source_rgb(cr, 0.17, 0.23, 0.33);
    cairo_arc(cr, width / 2.0, height * 0.40, size * 0.62, 0, 2 * G_PI);
    cairo_fill(cr);
    draw_note(cr, width / 2.0, height * 0.40, size);

    if (title && *title) {
        cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
        double font = height * 0.07;
        cairo_set_font_size(cr, font);
        cairo_text_extents_t ext;
        cairo_text_extents(cr, title, &ext);
        /* Too wide: smaller, down to a half; then it is cut by the edges. */
        if (ext.x_advance > width * 0.9) {
            font = CR_MAX(font / 2, font * width * 0.9 / ext.x_advance);
            cairo_set_font_size(cr, font);
            cairo_text_extents(cr, title, &ext);
        }
        cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
        cairo_move_to(cr, (width - ext.x_advance) / 2.0, height * 0.86);
        cairo_show_text(cr, title);
    }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cairo_surface_destroy(s);
    return f;
}
