/* The control bar of a document tile: previous and next page, "Page N / M",
 * zoom out, zoom in and fit. Drawn in a rect; a touch is turned into an
 * action by hit-testing (a button that cannot act, such as previous on the
 * first page, is drawn dimmed and answers NONE). UI thread. */
#ifndef CR_DOCUMENT_BAR_H
#define CR_DOCUMENT_BAR_H

#include "display/ui/theme.h"

enum cr_document_bar_action {
    CR_DOCUMENT_BAR_NONE,
    CR_DOCUMENT_BAR_PREV,
    CR_DOCUMENT_BAR_NEXT,
    CR_DOCUMENT_BAR_ZOOM_OUT,
    CR_DOCUMENT_BAR_ZOOM_IN,
    CR_DOCUMENT_BAR_FIT,
};

struct cr_document_bar {
    /* Where the parts were last drawn (screen pixels). */
    struct cr_rect rect, prev, label, next, zoom_out, zoom_in, fit;
    bool can_prev, can_next, can_zoom_out, can_zoom_in, can_fit;
};

int cr_document_bar_height(const struct cr_ui *ui);
/* page: 0-based; zoom: 1 = the whole page (as struct cr_tile_view). */
void cr_document_bar_draw(struct cr_document_bar *bar, struct cr_ui *ui, struct cr_rect rect,
                          int page, int n_pages, float zoom);
enum cr_document_bar_action cr_document_bar_hit(const struct cr_document_bar *bar, int x, int y);

#endif
