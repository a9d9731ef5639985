#include "display/ui/whiteboard.h"

#include <math.h>
#include <string.h>

#include "common/util.h"

/* Paints the paper into the ink layer's cache (rect: the cache, from 0,0). */
static void paint_paper(void *data, SDL_Renderer *r, struct cr_rect rect)
{
    struct cr_whiteboard *wb = data;
    uint32_t bg = cr_paper_background(wb->paper);
    cr_draw_rect(r, rect, CR_RGB(bg));
    struct cr_paper_line lines[256];
    size_t n = cr_paper_lines(wb->paper, (float)(rect.w / wb->scale), (float)(rect.h / wb->scale),
                              lines, CR_ARRAY_SIZE(lines));
    n = CR_MIN(n, CR_ARRAY_SIZE(lines));
    for (size_t i = 0; i < n; i++) {
        int x, y, w, h;
        cr_paper_line_pixels(&lines[i], wb->scale, &x, &y, &w, &h);
        cr_draw_rect(r, (struct cr_rect){rect.x + x, rect.y + y, w, h}, CR_RGB(lines[i].rgb));
    }
}

void cr_whiteboard_init(struct cr_whiteboard *wb, const struct cr_pen_style *style,
                        enum cr_paper paper)
{
    memset(wb, 0, sizeof(*wb));
    cr_ink_init(&wb->ink);
    cr_ink_layer_init(&wb->layer);
    cr_ink_layer_set_background(&wb->layer, paint_paper, wb);
    wb->paper = paper < CR_PAPERS ? paper : CR_PAPER_WHITE;
    wb->style = style;
    wb->scale = 1.0;
    cr_ink_toolbar_init(&wb->toolbar, false);
}

void cr_whiteboard_destroy(struct cr_whiteboard *wb)
{
    cr_ink_layer_destroy(&wb->layer);
    cr_ink_destroy(&wb->ink);
}

void cr_whiteboard_set_paper(struct cr_whiteboard *wb, enum cr_paper paper)
{
    if (paper >= CR_PAPERS || paper == wb->paper)
        return;
    wb->paper = paper;
    cr_ink_layer_invalidate(&wb->layer);
}

bool cr_whiteboard_dark(const struct cr_whiteboard *wb)
{
    return cr_paper_dark(wb->paper);
}

void cr_whiteboard_hidden(struct cr_whiteboard *wb)
{
    cr_ink_layer_release(&wb->layer);
}

void cr_whiteboard_layout(struct cr_whiteboard *wb, struct cr_ui *ui)
{
    struct cr_rect board = cr_ui_content_rect(ui);
    if (board.w != wb->board.w || board.h != wb->board.h)
        cr_ink_layer_invalidate(&wb->layer);
    wb->board = board;
    wb->scale = ui->screen->scale > 0 ? ui->screen->scale : 1.0;

    struct cr_rect bar = cr_ui_bar_rect(ui), home = cr_ui_home_rect(ui);
    int left = home.x + home.w + cr_ui_px(ui, 28);
    struct cr_rect row = {left, home.y, bar.w - left - home.x, home.h};
    cr_ink_toolbar_update(&wb->toolbar, wb->style, &wb->ink, cr_whiteboard_dark(wb));
    cr_ink_toolbar_layout_row(&wb->toolbar, ui, row);
}

void cr_whiteboard_xform(const struct cr_whiteboard *wb, struct cr_ink_xform *xf)
{
    *xf = (struct cr_ink_xform){wb->scale, wb->board.x, wb->scale, wb->board.y, wb->scale};
}

void cr_whiteboard_size(const struct cr_whiteboard *wb, int *w, int *h)
{
    *w = (int)lround(wb->board.w / wb->scale);
    *h = (int)lround(wb->board.h / wb->scale);
}

void cr_whiteboard_draw(struct cr_whiteboard *wb, struct cr_ui *ui)
{
    cr_whiteboard_layout(wb, ui);
    struct cr_ink_xform xf;
    cr_whiteboard_xform(wb, &xf);
    cr_ink_layer_draw(&wb->layer, ui->r, &wb->ink, wb->board, &xf);
    cr_ink_toolbar_draw(&wb->toolbar, ui, wb->style);
}

/* Buttons enabled as the ink is now (it may have changed since the frame). */
static void refresh(struct cr_whiteboard *wb)
{
    cr_ink_toolbar_update(&wb->toolbar, wb->style, &wb->ink, cr_whiteboard_dark(wb));
}

const char *cr_whiteboard_hit(struct cr_whiteboard *wb, int x, int y)
{
    refresh(wb);
    return cr_ink_toolbar_hit(&wb->toolbar, x, y);
}

bool cr_whiteboard_press(struct cr_whiteboard *wb, int x, int y)
{
    refresh(wb);
    return cr_ink_toolbar_press(&wb->toolbar, x, y);
}

bool cr_whiteboard_on_board(const struct cr_whiteboard *wb, int x, int y)
{
    return cr_rect_contains(wb->board, x, y);
}
