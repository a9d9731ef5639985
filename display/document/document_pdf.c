/* PDF pages with poppler-glib, drawn by cairo into the frame's own pixels
 * (cairo's ARGB32 is B G R A bytes on little-endian machines). */
#include <cairo.h>
#include <math.h>
#include <poppler.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/document/document_private.h"

struct pdf {
    struct cr_document_backend base;
    PopplerDocument *doc;
    GBytes *bytes; /* poppler reads from them for the document's life */
};

static int pdf_page_count(struct cr_document_backend *b)
{
    struct pdf *p = (struct pdf *)b;
    return poppler_document_get_n_pages(p->doc);
}

static bool pdf_page_size(struct cr_document_backend *b, int page, double *w, double *h)
{
    struct pdf *p = (struct pdf *)b;
    PopplerPage *pg = poppler_document_get_page(p->doc, page);
    if (!pg)
        return false;
    poppler_page_get_size(pg, w, h);
    g_object_unref(pg);
    return *w > 0 && *h > 0;
}

static struct cr_frame *pdf_render(struct cr_document_backend *b, int page, int width_px)
{
    struct pdf *p = (struct pdf *)b;
    PopplerPage *pg = poppler_document_get_page(p->doc, page);
    if (!pg)
        return NULL;
    double w, h;
    poppler_page_get_size(pg, &w, &h);
    struct cr_frame *f = NULL;
    if (w <= 0 || h <= 0)
        goto out;
    double scale = width_px / w;
    int height_px = (int)ceil(h * scale);
    /* At most 32 Mpixels (128 MB) and 16384 px high: a very long page or a
     * deep zoom comes out narrower. */
    double area = (double)width_px * height_px, max_area = 32.0 * 1024 * 1024;
    if (area > max_area || height_px > 16384) {
        scale *= CR_MIN(sqrt(max_area / area), 16384.0 / height_px);
        width_px = CR_MAX(1, (int)(w * scale));
        height_px = CR_MAX(1, (int)ceil(h * scale));
    }
    f = cr_frame_new_alloc(CR_PIXEL_BGRA, width_px, CR_MAX(1, height_px));
    if (!f)
        goto out;
    cairo_surface_t *s = cairo_image_surface_create_for_data(f->planes[0], CAIRO_FORMAT_ARGB32,
                                                             f->width, f->height, f->strides[0]);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1); /* paper */
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(pg, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cairo_surface_destroy(s);
out:
    g_object_unref(pg);
    return f;
}

static void pdf_destroy(struct cr_document_backend *b)
{
    struct pdf *p = (struct pdf *)b;
    g_object_unref(p->doc);
    g_bytes_unref(p->bytes);
    g_free(p);
}

static const struct cr_document_ops pdf_ops = {
    .page_count = pdf_page_count,
    .page_size = pdf_page_size,
    .render = pdf_render,
    .destroy = pdf_destroy,
};

struct cr_document_backend *cr_document_pdf_open(GBytes *bytes, char **error)
{
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (!doc) {
        bool locked = g_error_matches(err, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED);
        cr_warn("document", "PDF refused by poppler: %s", err ? err->message : "?");
        if (error)
            *error = g_strdup(locked ? _("This PDF is protected by a password: it cannot be "
                                         "shown on the board.")
                                     : _("This PDF file is damaged or unreadable: it cannot be "
                                         "shown."));
        g_clear_error(&err);
        g_bytes_unref(bytes);
        return NULL;
    }
    if (poppler_document_get_n_pages(doc) < 1) {
        if (error)
            *error = g_strdup(_("This PDF file has no page to show."));
        g_object_unref(doc);
        g_bytes_unref(bytes);
        return NULL;
    }
    struct pdf *p = g_new0(struct pdf, 1);
    p->base.ops = &pdf_ops;
    p->base.kind = CR_DOCUMENT_PDF;
    p->doc = doc;
    p->bytes = bytes;
    return &p->base;
}
