/* Images (PNG, JPEG, and what else SDL_image reads): decoded once at open,
 * converted to B G R A bytes, drawn over white. */
#include <SDL.h>
#include <SDL_image.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/document/document_private.h"

struct image {
    struct cr_document_backend base;
    struct cr_frame *frame;
};

static int image_page_count(struct cr_document_backend *b)
{
    return 1;
}

static bool image_page_size(struct cr_document_backend *b, int page, double *w, double *h)
{
    struct image *im = (struct image *)b;
    if (page != 0)
        return false;
    *w = im->frame->width;
    *h = im->frame->height;
    return true;
}

static struct cr_frame *image_render(struct cr_document_backend *b, int page, int width_px)
{
    struct image *im = (struct image *)b;
    return page == 0 ? cr_frame_ref(im->frame) : NULL;
}

static void image_destroy(struct cr_document_backend *b)
{
    struct image *im = (struct image *)b;
    cr_frame_unref(im->frame);
    g_free(im);
}

static const struct cr_document_ops image_ops = {
    .page_count = image_page_count,
    .page_size = image_page_size,
    .render = image_render,
    .destroy = image_destroy,
};

/* Straight alpha over white, so that a transparent PNG reads on the board. */
static struct cr_frame *to_frame(SDL_Surface *argb)
{
    struct cr_frame *f = cr_frame_new_alloc(CR_PIXEL_BGRA, argb->w, argb->h);
    if (!f)
        return NULL;
    for (int y = 0; y < argb->h; y++) {
        const uint8_t *src = (const uint8_t *)argb->pixels + (size_t)y * argb->pitch;
        uint8_t *dst = f->planes[0] + (size_t)y * f->strides[0];
        for (int x = 0; x < argb->w; x++, src += 4, dst += 4) {
            unsigned a = src[3];
            for (int c = 0; c < 3; c++)
                dst[c] = (uint8_t)((src[c] * a + 255 * (255 - a) + 127) / 255);
            dst[3] = 255;
        }
    }
    return f;
}

struct cr_document_backend *cr_document_image_open(GBytes *bytes, char **error)
{
    gsize size;
    const void *data = g_bytes_get_data(bytes, &size);
    struct cr_frame *frame = NULL;
    SDL_Surface *s = IMG_Load_RW(SDL_RWFromConstMem(data, (int)size), 1);
    if (!s) {
        cr_warn("document", "image refused by SDL_image: %s", SDL_GetError());
        if (error)
            *error = g_strdup(_("This image is damaged or in a format craie cannot read."));
        goto out;
    }
    /* SDL_PIXELFORMAT_ARGB8888 is B G R A bytes on little-endian machines. */
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    if (argb) {
        frame = to_frame(argb);
        SDL_FreeSurface(argb);
    }
    if (!frame && error)
        *error = g_strdup(_("This image is too large to be shown."));
out:
    g_bytes_unref(bytes);
    if (!frame)
        return NULL;
    struct image *im = g_new0(struct image, 1);
    im->base.ops = &image_ops;
    im->base.kind = CR_DOCUMENT_IMAGE;
    im->frame = frame;
    return &im->base;
}
