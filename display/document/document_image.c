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

/* The EXIF orientation of a JPEG (1..8; 1 when absent): phones store
 * photos as the sensor saw them and say how to turn them. */
static int exif_orientation(const uint8_t *d, size_t n)
{
    if (n < 4 || d[0] != 0xff || d[1] != 0xd8)
        return 1;
    size_t i = 2;
    while (i + 4 <= n && d[i] == 0xff) {
        unsigned marker = d[i + 1], len = (unsigned)d[i + 2] << 8 | d[i + 3];
        if (marker == 0xda || len < 2 || i + 2 + len > n)
            break; /* the picture data starts: no more metadata */
        const uint8_t *seg = d + i + 4;
        size_t seg_len = len - 2;
        if (marker == 0xe1 && seg_len >= 14 && memcmp(seg, "Exif\0\0", 6) == 0) {
            const uint8_t *t = seg + 6;
            size_t tn = seg_len - 6;
            bool le = t[0] == 'I' && t[1] == 'I';
            if (!le && !(t[0] == 'M' && t[1] == 'M'))
                return 1;
#define RD16(p) (le ? (unsigned)(p)[0] | (unsigned)(p)[1] << 8 : (unsigned)(p)[0] << 8 | (p)[1])
#define RD32(p) (le ? RD16(p) | RD16((p) + 2) << 16 : RD16(p) << 16 | RD16((p) + 2))
            size_t ifd = RD32(t + 4);
            if (ifd + 2 > tn)
                return 1;
            unsigned count = RD16(t + ifd);
            for (unsigned k = 0; k < count && ifd + 2 + (size_t)(k + 1) * 12 <= tn; k++) {
                const uint8_t *e = t + ifd + 2 + (size_t)k * 12;
                if (RD16(e) == 0x0112 && RD16(e + 2) == 3) { /* Orientation, SHORT */
                    unsigned o = RD16(e + 8);
                    return o >= 1 && o <= 8 ? (int)o : 1;
                }
            }
#undef RD16
#undef RD32
            return 1;
        }
        i += 2 + len;
    }
    return 1;
}

/* The picture turned upright as the orientation says. Takes f; NULL when
 * memory cannot be had. */
static struct cr_frame *orient(struct cr_frame *f, int o)
{
    if (o <= 1 || o > 8)
        return f;
    int w = f->width, h = f->height;
    bool swap = o >= 5;
    struct cr_frame *out = cr_frame_new_alloc(CR_PIXEL_BGRA, swap ? h : w, swap ? w : h);
    if (out) {
        for (int y = 0; y < out->height; y++) {
            uint32_t *row = (uint32_t *)(out->planes[0] + (size_t)y * out->strides[0]);
            for (int x = 0; x < out->width; x++) {
                int sx = x, sy = y;
                switch (o) {
                case 2:
                    sx = w - 1 - x;
                    break;
                case 3:
                    sx = w - 1 - x;
                    sy = h - 1 - y;
                    break;
                case 4:
                    sy = h - 1 - y;
                    break;
                case 5:
                    sx = y;
                    sy = x;
                    break;
                case 6:
                    sx = y;
                    sy = h - 1 - x;
                    break;
                case 7:
                    sx = w - 1 - y;
                    sy = h - 1 - x;
                    break;
                case 8:
                    sx = w - 1 - y;
                    sy = x;
                    break;
                }
                row[x] =
                    *(const uint32_t *)(f->planes[0] + (size_t)sy * f->strides[0] + (size_t)sx * 4);
            }
        }
    }
    cr_frame_unref(f);
    return out;
}

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
    if (frame)
        frame = orient(frame, exif_orientation(data, size));
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
