/* Inside the document viewer: one backend per kind of document (PDF with
 * poppler, images with SDL_image) behind an ops table. */
#ifndef CR_DOCUMENT_PRIVATE_H
#define CR_DOCUMENT_PRIVATE_H

#include <glib.h>

#include "display/document/document.h"

struct cr_document_backend;

struct cr_document_ops {
    int (*page_count)(struct cr_document_backend *b);
    bool (*page_size)(struct cr_document_backend *b, int page, double *w, double *h);
    /* Called with the document's render lock held (one render at a time). */
    struct cr_frame *(*render)(struct cr_document_backend *b, int page, int width_px);
    void (*destroy)(struct cr_document_backend *b);
};

struct cr_document_backend {
    const struct cr_document_ops *ops;
    enum cr_document_kind kind;
};

/* bytes: ownership transferred (both: also on failure). NULL with *error. */
struct cr_document_backend *cr_document_pdf_open(GBytes *bytes, char **error);
struct cr_document_backend *cr_document_image_open(GBytes *bytes, char **error);

#endif
