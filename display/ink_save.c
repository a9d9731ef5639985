#include "display/ink_save.h"

#include <stdlib.h>

#include "common/util.h"
#include "display/png_save.h"

struct ink_job {
    struct cr_frame *frame; /* NULL: a board */
    bool rotate180, mirror;
    enum cr_paper paper;
    int w, h;
    struct cr_ink *ink; /* may be NULL */
};

static void free_job(void *data)
{
    struct ink_job *job = data;
    cr_frame_unref(job->frame);
    if (job->ink) {
        cr_ink_destroy(job->ink);
        free(job->ink);
    }
    free(job);
}

void cr_ink_save_frame_xform(int width, int height, bool rotate180, bool mirror,
                             struct cr_ink_xform *xf)
{
    /* Content is the source's pixel grid divided by its height (tile.h);
     * the picture is turned like cr_frame_to_rgba() does. */
    bool flip_x = rotate180 != mirror, flip_y = rotate180;
    double h = height;
    *xf = (struct cr_ink_xform){flip_x ? -h : h, flip_x ? width : 0, flip_y ? -h : h,
                                flip_y ? height : 0, h};
}

static uint8_t *render(void *data, int *w, int *h, char **error)
{
    struct ink_job *job = data;
    uint8_t *rgba;
    struct cr_ink_xform xf;
    if (job->frame) {
        rgba = cr_frame_to_rgba(job->frame, job->rotate180, job->mirror);
        *w = job->frame->width;
        *h = job->frame->height;
        cr_ink_save_frame_xform(*w, *h, job->rotate180, job->mirror, &xf);
    } else {
        *w = job->w;
        *h = job->h;
        rgba = malloc((size_t)job->w * job->h * 4);
        if (rgba)
            cr_paper_fill_rgba(rgba, *w, *h, *w * 4, job->paper, 1.0);
        xf = (struct cr_ink_xform){1, 0, 1, 0, 1};
    }
    if (!rgba) {
        *error = g_strdup("out of memory");
        return NULL;
    }
    if (job->ink)
        cr_ink_render_rgba(rgba, *w, *h, *w * 4, job->ink, &xf);
    return rgba;
}

GThread *cr_ink_save_frame(struct cr_frame *frame, bool rotate180, bool mirror, struct cr_ink *ink,
                           const char *dir)
{
    struct ink_job *job = cr_xcalloc(1, sizeof(*job));
    job->frame = frame;
    job->rotate180 = rotate180;
    job->mirror = mirror;
    job->ink = ink;
    return cr_png_save_render(render, job, free_job, dir);
}

GThread *cr_ink_save_board(enum cr_paper paper, int w, int h, struct cr_ink *ink, const char *dir)
{
    struct ink_job *job = cr_xcalloc(1, sizeof(*job));
    job->paper = paper;
    job->w = CR_MAX(w, 1);
    job->h = CR_MAX(h, 1);
    job->ink = ink;
    return cr_png_save_render(render, job, free_job, dir);
}
