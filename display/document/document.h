/* A document shown in a tile: a PDF (pages rendered by poppler with cairo)
 * or an image (PNG, JPEG … through SDL_image, one page). Pages come out as
 * BGRA frames at the pixel width asked, white under transparent parts. The
 * last pages rendered are kept, so that paging back and forth costs
 * nothing. A slow page can be rendered on the document's own worker thread:
 * the result comes back on the UI thread as a CR_EVENT_DOCUMENT event that
 * the UI hands to cr_document_dispatch().
 *
 * Office files are not read here: the ENT's PDF preview of them is.
 * Nothing is written to disk. All functions: UI thread, unless said. */
#ifndef CR_DOCUMENT_H
#define CR_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "display/frame.h"
#include "display/tile.h"

enum cr_document_kind {
    CR_DOCUMENT_PDF,
    CR_DOCUMENT_IMAGE,
};

struct cr_document;

/* NULL on failure, with *error (if error is not NULL) set to a sentence for
 * the teacher, in their language (g_free). */
struct cr_document *cr_document_open_file(const char *path, char **error);
/* data is copied. mime_or_name: a MIME type ("application/pdf",
 * "image/png") or a file name ("cours.pdf"); NULL: guessed from the bytes. */
struct cr_document *cr_document_open_bytes(const void *data, size_t size, const char *mime_or_name,
                                           char **error);
/* Joins the worker thread (a render under way is finished first, what is
 * queued is dropped); events still queued become no-ops. */
void cr_document_close(struct cr_document *doc);

enum cr_document_kind cr_document_kind(const struct cr_document *doc);
int cr_document_page_count(const struct cr_document *doc);
/* The page's size in points (PDF) or pixels (image). false if page is out
 * of range. */
bool cr_document_page_size(const struct cr_document *doc, int page, double *width, double *height);

/* page: 0-based. width_px: the width of the picture wanted (1..8192; the
 * height follows the page's shape). An image comes back at its own size
 * whatever width_px. Returns a frame with one reference for the caller, or
 * NULL (page out of range, memory). Any thread. */
struct cr_frame *cr_document_render(struct cr_document *doc, int page, int width_px);

struct cr_document_callbacks {
    /* UI thread, from cr_document_dispatch(). frame is borrowed for the
     * call (cr_frame_ref() it to keep it); NULL if the page could not be
     * rendered. */
    void (*on_page)(void *userdata, int page, int width_px, struct cr_frame *frame);
};

void cr_document_set_callbacks(struct cr_document *doc, const struct cr_document_callbacks *cbs,
                               void *userdata);
/* Renders on the worker thread; on_page follows (at once through the event
 * queue when the page is cached). A newer request replaces an older one
 * still waiting. */
void cr_document_render_async(struct cr_document *doc, int page, int width_px);
/* UI thread: the handler of a CR_EVENT_DOCUMENT event. The payload stays
 * owned by the event (freed by cr_event_free_payload()). */
void cr_document_dispatch(void *payload);

/* Where the teacher is in a document: the page, and zoom and pan kept as
 * a tile's view (display/tile.h), so that cr_tile_zoom()/cr_tile_pan()
 * work on it as on any tile. */
struct cr_document_view {
    int page; /* 0-based */
    int n_pages;
    struct cr_tile_view view;
};

void cr_document_view_init(struct cr_document_view *v, const struct cr_document *doc);
/* Moves by delta pages (clamped); a new page starts fitted. Returns true if
 * the page changed. */
bool cr_document_view_step(struct cr_document_view *v, int delta);
bool cr_document_view_go(struct cr_document_view *v, int page);
/* Zooms by factor around the centre (clamped to 1..CR_TILE_ZOOM_MAX). */
void cr_document_view_zoom(struct cr_document_view *v, float factor);
/* The whole page in the tile. */
void cr_document_view_fit(struct cr_document_view *v);
/* The width to render the page at for a tile tile_width_px wide at the
 * current zoom, so that zoomed text stays sharp (at most 8192). */
int cr_document_view_render_width(const struct cr_document_view *v, int tile_width_px);

#endif
