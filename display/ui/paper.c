#include "display/ui/paper.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"

static const struct {
    const char *name, *label;
    uint32_t background;
    bool dark;
} papers[CR_PAPERS] = {
    [CR_PAPER_WHITE] = {"white", N_("White"), 0xffffff, false},
    [CR_PAPER_BLACK] = {"black", N_("Chalkboard"), 0x18211e, true},
    [CR_PAPER_SEYES] = {"seyes", N_("Lined"), 0xffffff, false},
    [CR_PAPER_GRID] = {"grid", N_("Squared"), 0xffffff, false},
};

/* Seyès, enlarged for the back of the classroom: fine lines every 28 units,
 * every 4th bold (a row of writing is 112 units, about 10 cm on a 2 m
 * board); vertical lines every row; a red margin. */
#define SEYES_FINE 28.0f
#define SEYES_ROW (4 * SEYES_FINE)
#define SEYES_TOP 84.0f
#define SEYES_MARGIN 168.0f
#define SEYES_BOLD_RGB 0x8b9fd9
#define SEYES_FINE_RGB 0xc3cdee
#define SEYES_MARGIN_RGB 0xe05a70
#define GRID_STEP 48.0f
#define GRID_RGB 0xc5cfdf

const char *cr_paper_name(enum cr_paper paper)
{
    return paper < CR_PAPERS ? papers[paper].name : "white";
}

bool cr_paper_from_name(const char *name, enum cr_paper *out)
{
    for (int i = 0; i < CR_PAPERS; i++) {
        if (name && !strcmp(name, papers[i].name)) {
            *out = (enum cr_paper)i;
            return true;
        }
    }
    return false;
}

const char *cr_paper_label(enum cr_paper paper)
{
    return paper < CR_PAPERS ? papers[paper].label : papers[0].label;
}

bool cr_paper_dark(enum cr_paper paper)
{
    return paper < CR_PAPERS && papers[paper].dark;
}

uint32_t cr_paper_background(enum cr_paper paper)
{
    return paper < CR_PAPERS ? papers[paper].background : 0xffffff;
}

static void add(struct cr_paper_line *out, size_t max, size_t *n, float x, float y, float w,
                float h, uint32_t rgb)
{
    if (*n < max)
        out[*n] = (struct cr_paper_line){x, y, w, h, rgb};
    (*n)++;
}

size_t cr_paper_lines(enum cr_paper paper, float w, float h, struct cr_paper_line *out, size_t max)
{
    size_t n = 0;
    switch (paper) {
    case CR_PAPER_SEYES: {
        /* Fine lines above and below the first bold one, so the whole board
         * is ruled; bold lines over them. */
        float first = fmodf(SEYES_TOP, SEYES_FINE);
        for (float y = first; y < h; y += SEYES_FINE)
            add(out, max, &n, 0, y, w, 1, SEYES_FINE_RGB);
        for (float x = SEYES_MARGIN + SEYES_ROW; x < w; x += SEYES_ROW)
            add(out, max, &n, x, 0, 1, h, SEYES_FINE_RGB);
        for (float y = fmodf(SEYES_TOP, SEYES_ROW); y < h; y += SEYES_ROW)
            add(out, max, &n, 0, y - 0.5f, w, 2, SEYES_BOLD_RGB);
        add(out, max, &n, SEYES_MARGIN - 1, 0, 2, h, SEYES_MARGIN_RGB);
        break;
    }
    case CR_PAPER_GRID:
        for (float y = GRID_STEP; y < h; y += GRID_STEP)
            add(out, max, &n, 0, y, w, 1, GRID_RGB);
        for (float x = GRID_STEP; x < w; x += GRID_STEP)
            add(out, max, &n, x, 0, 1, h, GRID_RGB);
        break;
    case CR_PAPER_WHITE:
    case CR_PAPER_BLACK:
    case CR_PAPERS:
        break;
    }
    return n;
}

void cr_paper_line_pixels(const struct cr_paper_line *line, double scale, int *x, int *y, int *w,
                          int *h)
{
    *x = (int)lround(line->x * scale);
    *y = (int)lround(line->y * scale);
    *w = CR_MAX(1, (int)lround(line->w * scale));
    *h = CR_MAX(1, (int)lround(line->h * scale));
}

static void fill(uint8_t *rgba, int w, int h, int stride, int x0, int y0, int rw, int rh,
                 uint32_t rgb)
{
    int x1 = CR_MIN(x0 + rw, w), y1 = CR_MIN(y0 + rh, h);
    x0 = CR_MAX(x0, 0);
    y0 = CR_MAX(y0, 0);
    for (int y = y0; y < y1; y++) {
        uint8_t *p = rgba + (size_t)y * stride + (size_t)x0 * 4;
        for (int x = x0; x < x1; x++, p += 4) {
            p[0] = (rgb >> 16) & 0xff;
            p[1] = (rgb >> 8) & 0xff;
            p[2] = rgb & 0xff;
            p[3] = 255;
        }
    }
}

void cr_paper_fill_rgba(uint8_t *rgba, int w, int h, int stride, enum cr_paper paper, double scale)
{
    fill(rgba, w, h, stride, 0, 0, w, h, cr_paper_background(paper));
    size_t n = cr_paper_lines(paper, (float)(w / scale), (float)(h / scale), NULL, 0);
    struct cr_paper_line *lines = cr_xcalloc(n, sizeof(*lines));
    cr_paper_lines(paper, (float)(w / scale), (float)(h / scale), lines, n);
    for (size_t i = 0; i < n; i++) {
        int x, y, lw, lh;
        cr_paper_line_pixels(&lines[i], scale, &x, &y, &lw, &lh);
        fill(rgba, w, h, stride, x, y, lw, lh, lines[i].rgb);
    }
    free(lines);
}
