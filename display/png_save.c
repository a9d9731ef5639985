#include "display/png_save.h"

#include <SDL.h>
#include <SDL_image.h>
#include <glib/gstdio.h>

#include "common/log.h"
#include "common/util.h"
#include "display/events.h"

struct save_job {
    cr_png_render_fn *render;
    void *data;
    void (*free_data)(void *);
    char *dir;
};

struct frame_job {
    struct cr_frame *frame;
    bool rotate180, mirror;
};

void cr_save_result_free(void *p)
{
    struct cr_save_result *r = p;
    if (!r)
        return;
    g_free(r->path);
    g_free(r->error);
    free(r);
}

bool cr_png_write_rgba(const char *path, const uint8_t *rgba, int w, int h, char **error)
{
    /* Only surface memory and libpng: no window or renderer off the UI thread. */
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormatFrom((void *)rgba, w, h, 32, w * 4, SDL_PIXELFORMAT_ABGR8888);
    if (!s) {
        *error = g_strdup(SDL_GetError());
        return false;
    }
    bool ok = IMG_SavePNG(s, path) == 0;
    if (!ok)
        *error = g_strdup(IMG_GetError());
    SDL_FreeSurface(s);
    return ok;
}

static char *unique_path(const char *dir)
{
    GDateTime *now = g_date_time_new_now_local();
    char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
    g_date_time_unref(now);
    char *path = NULL;
    for (int i = 1; i < 1000; i++) {
        char *name = i == 1 ? g_strdup_printf("craie-%s.png", stamp)
                            : g_strdup_printf("craie-%s-%d.png", stamp, i);
        path = g_build_filename(dir, name, NULL);
        g_free(name);
        char *part = g_strdup_printf("%s.part", path); /* another save writing it */
        bool taken = g_file_test(path, G_FILE_TEST_EXISTS) || g_file_test(part, G_FILE_TEST_EXISTS);
        g_free(part);
        if (!taken)
            break;
        g_clear_pointer(&path, g_free);
    }
    g_free(stamp);
    return path;
}

static gpointer save_main(gpointer data)
{
    struct save_job *job = data;
    struct cr_save_result *res = cr_xcalloc(1, sizeof(*res));
    uint8_t *rgba = NULL;
    int w = 0, h = 0;

    if (g_mkdir_with_parents(job->dir, 0750) != 0) {
        res->error = g_strdup_printf("cannot create %s: %s", job->dir, g_strerror(errno));
        goto out;
    }
    res->path = unique_path(job->dir);
    if (!res->path) {
        res->error = g_strdup("no free file name");
        goto out;
    }
    rgba = job->render(job->data, &w, &h, &res->error);
    if (!rgba)
        goto out;
    /* Written aside then renamed: the folder never shows half a picture
     * (a file manager, a sync client, a test waiting for it). */
    char *part = g_strdup_printf("%s.part", res->path);
    res->ok = cr_png_write_rgba(part, rgba, w, h, &res->error);
    if (res->ok && g_rename(part, res->path) != 0) {
        res->ok = false;
        res->error = g_strdup_printf("cannot rename %s: %s", part, g_strerror(errno));
    }
    if (!res->ok)
        g_unlink(part);
    g_free(part);
out:
    if (res->ok)
        cr_info("save", "image saved to %s", res->path);
    else
        cr_warn("save", "cannot save the image: %s", res->error);
    free(rgba);
    if (job->free_data)
        job->free_data(job->data);
    g_free(job->dir);
    free(job);
    cr_event_post(CR_EVENT_SAVED, res, cr_save_result_free);
    return NULL;
}

GThread *cr_png_save_render(cr_png_render_fn *render, void *data, void (*free_data)(void *),
                            const char *dir)
{
    struct save_job *job = cr_xcalloc(1, sizeof(*job));
    job->render = render;
    job->data = data;
    job->free_data = free_data;
    job->dir = g_strdup(dir);
    return g_thread_new("craie-save", save_main, job);
}

static uint8_t *render_frame(void *data, int *w, int *h, char **error)
{
    struct frame_job *f = data;
    uint8_t *rgba = cr_frame_to_rgba(f->frame, f->rotate180, f->mirror);
    if (!rgba) {
        *error = g_strdup("out of memory");
        return NULL;
    }
    *w = f->frame->width;
    *h = f->frame->height;
    return rgba;
}

static void free_frame_job(void *data)
{
    struct frame_job *f = data;
    cr_frame_unref(f->frame);
    free(f);
}

GThread *cr_png_save_start(struct cr_frame *frame, bool rotate180, bool mirror, const char *dir)
{
    struct frame_job *f = cr_xcalloc(1, sizeof(*f));
    f->frame = frame;
    f->rotate180 = rotate180;
    f->mirror = mirror;
    return cr_png_save_render(render_frame, f, free_frame_job, dir);
}
