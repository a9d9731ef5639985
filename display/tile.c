#include "display/tile.h"

#include "common/log.h"
#include "common/util.h"

const char *cr_tile_kind_name(enum cr_tile_kind kind)
{
    switch (kind) {
    case CR_TILE_CAMERA:
        return "camera";
    case CR_TILE_SNAPSHOT:
        return "snapshot";
    case CR_TILE_CAST:
        return "cast";
    case CR_TILE_WEB:
        return "web";
    case CR_TILE_VIDEO:
        return "video";
    }
    return "unknown";
}

void cr_tile_init(struct cr_tile *tile, enum cr_tile_kind kind,
                  const struct cr_frame_slot_callbacks *cbs, void *userdata)
{
    memset(tile, 0, sizeof(*tile));
    tile->kind = kind;
    cr_frame_slot_init(&tile->slot, cbs, userdata);
    cr_tile_reset_view(tile);
}

void cr_tile_destroy(struct cr_tile *tile)
{
    cr_frame_slot_close(&tile->slot);
    cr_frame_slot_destroy(&tile->slot);
    cr_frame_unref(tile->current);
    tile->current = NULL;
    if (tile->texture)
        SDL_DestroyTexture(tile->texture);
    tile->texture = NULL;
}

static Uint32 sdl_format(enum cr_pixel_format format)
{
    switch (format) {
    case CR_PIXEL_I420:
        return SDL_PIXELFORMAT_IYUV;
    case CR_PIXEL_NV12:
        return SDL_PIXELFORMAT_NV12;
    case CR_PIXEL_YUY2:
        return SDL_PIXELFORMAT_YUY2;
    case CR_PIXEL_BGRA:
        return SDL_PIXELFORMAT_ARGB8888; /* B G R A bytes, little-endian */
    case CR_PIXEL_RGBA:
        return SDL_PIXELFORMAT_ABGR8888;
    case CR_PIXEL_UNKNOWN:
        break;
    }
    return SDL_PIXELFORMAT_UNKNOWN;
}

/* Uploads without any pixel conversion on our side: YUV planes go to YUV
 * textures as they are. */
static bool upload(struct cr_tile *tile, SDL_Renderer *renderer, const struct cr_frame *f)
{
    Uint32 fmt = sdl_format(f->format);
    if (fmt == SDL_PIXELFORMAT_UNKNOWN)
        return false;
    if (!tile->texture || tile->tex_format != f->format || tile->tex_w != f->width ||
        tile->tex_h != f->height) {
        if (tile->texture)
            SDL_DestroyTexture(tile->texture);
        tile->texture =
            SDL_CreateTexture(renderer, fmt, SDL_TEXTUREACCESS_STREAMING, f->width, f->height);
        if (!tile->texture) {
            static struct cr_ratelimit rl = CR_RATELIMIT_INIT(10000, 2);
            if (cr_ratelimit_allow(&rl))
                cr_warn("tile", "cannot create a %dx%d %s texture: %s", f->width, f->height,
                        cr_pixel_format_name(f->format), SDL_GetError());
            return false;
        }
        tile->tex_format = f->format;
        tile->tex_w = f->width;
        tile->tex_h = f->height;
    }
    int rc;
    switch (f->format) {
    case CR_PIXEL_I420:
        rc = SDL_UpdateYUVTexture(tile->texture, NULL, f->planes[0], f->strides[0], f->planes[1],
                                  f->strides[1], f->planes[2], f->strides[2]);
        break;
    case CR_PIXEL_NV12:
        rc = SDL_UpdateNVTexture(tile->texture, NULL, f->planes[0], f->strides[0], f->planes[1],
                                 f->strides[1]);
        break;
    default:
        rc = SDL_UpdateTexture(tile->texture, NULL, f->planes[0], f->strides[0]);
        break;
    }
    if (rc != 0)
        return false;
    tile->uploads++;
    return true;
}

bool cr_tile_set_frame(struct cr_tile *tile, SDL_Renderer *renderer, struct cr_frame *frame)
{
    if (!frame)
        return false;
    if (!upload(tile, renderer, frame)) {
        cr_frame_unref(frame);
        return false;
    }
    cr_frame_unref(tile->current);
    tile->current = frame;
    return true;
}

bool cr_tile_update(struct cr_tile *tile, SDL_Renderer *renderer)
{
    struct cr_frame *frame = cr_frame_slot_take(&tile->slot);
    if (!frame)
        return false;
    if (tile->frozen) {
        tile->frozen_drops++;
        cr_frame_unref(frame);
        return false;
    }
    return cr_tile_set_frame(tile, renderer, frame);
}

void cr_tile_clear(struct cr_tile *tile)
{
    cr_frame_unref(tile->current);
    tile->current = NULL;
    cr_frame_slot_clear(&tile->slot);
}

bool cr_tile_has_image(const struct cr_tile *tile)
{
    return tile->current != NULL && tile->texture != NULL;
}

/* The visible part of the oriented image, in oriented pixel coordinates. */
static SDL_Rect visible_part(const struct cr_tile *tile)
{
    const struct cr_tile_view *v = &tile->view;
    float vw = tile->tex_w / v->zoom, vh = tile->tex_h / v->zoom;
    float x0 = v->center_x * tile->tex_w - vw / 2, y0 = v->center_y * tile->tex_h - vh / 2;
    x0 = CR_CLAMP(x0, 0, tile->tex_w - vw);
    y0 = CR_CLAMP(y0, 0, tile->tex_h - vh);
    SDL_Rect r = {(int)(x0 + 0.5f), (int)(y0 + 0.5f), (int)(vw + 0.5f), (int)(vh + 0.5f)};
    if (r.w < 1)
        r.w = 1;
    if (r.h < 1)
        r.h = 1;
    return r;
}

void cr_tile_draw(struct cr_tile *tile, SDL_Renderer *renderer, struct cr_rect rect)
{
    tile->rect = rect;
    if (!cr_tile_has_image(tile)) {
        tile->image_rect = rect;
        return;
    }
    struct cr_rect dst = cr_rect_fit(rect, tile->tex_w, tile->tex_h);
    tile->image_rect = dst;

    bool flip_x = tile->view.rotate180 != tile->view.mirror, flip_y = tile->view.rotate180;
    SDL_Rect src = visible_part(tile);
    /* The part is given in oriented coordinates; SDL flips after cropping,
     * so crop the mirrored region of the texture. */
    if (flip_x)
        src.x = tile->tex_w - src.x - src.w;
    if (flip_y)
        src.y = tile->tex_h - src.y - src.h;
    SDL_Rect d = {dst.x, dst.y, dst.w, dst.h};
    int flip = (flip_x ? SDL_FLIP_HORIZONTAL : 0) | (flip_y ? SDL_FLIP_VERTICAL : 0);
    SDL_RenderCopyEx(renderer, tile->texture, &src, &d, 0, NULL, (SDL_RendererFlip)flip);
}

void cr_tile_set_frozen(struct cr_tile *tile, bool frozen)
{
    tile->frozen = frozen;
}

static void clamp_center(struct cr_tile_view *v)
{
    float half = 0.5f / v->zoom;
    v->center_x = CR_CLAMP(v->center_x, half, 1.0f - half);
    v->center_y = CR_CLAMP(v->center_y, half, 1.0f - half);
}

void cr_tile_zoom(struct cr_tile *tile, float factor, float sx, float sy)
{
    struct cr_tile_view *v = &tile->view;
    float old = v->zoom;
    float z = CR_CLAMP(old * factor, 1.0f, CR_TILE_ZOOM_MAX);
    struct cr_rect d = tile->image_rect;
    float fx = 0.5f, fy = 0.5f; /* where the anchor is inside the image rect */
    if (d.w > 0 && d.h > 0 && cr_rect_contains(d, (int)sx, (int)sy)) {
        fx = (sx - d.x) / d.w;
        fy = (sy - d.y) / d.h;
    }
    /* Keep the image point under the anchor where it is. */
    float left = v->center_x - 0.5f / old, top = v->center_y - 0.5f / old;
    float u = left + fx / old, w = top + fy / old;
    v->zoom = z;
    v->center_x = u - fx / z + 0.5f / z;
    v->center_y = w - fy / z + 0.5f / z;
    clamp_center(v);
}

void cr_tile_pan(struct cr_tile *tile, float dx, float dy)
{
    struct cr_tile_view *v = &tile->view;
    struct cr_rect d = tile->image_rect;
    if (d.w <= 0 || d.h <= 0)
        return;
    v->center_x -= dx / d.w / v->zoom;
    v->center_y -= dy / d.h / v->zoom;
    clamp_center(v);
}

void cr_tile_reset_view(struct cr_tile *tile)
{
    tile->view.zoom = 1.0f;
    tile->view.center_x = 0.5f;
    tile->view.center_y = 0.5f;
}

bool cr_tile_content_xform(const struct cr_tile *tile, struct cr_ink_xform *xf)
{
    struct cr_rect d = tile->image_rect;
    if (tile->tex_w <= 0 || tile->tex_h <= 0 || d.w <= 0 || d.h <= 0)
        return false;
    bool flip_x = tile->view.rotate180 != tile->view.mirror, flip_y = tile->view.rotate180;
    SDL_Rect src = visible_part(tile);                         /* oriented pixels shown in d */
    double kx = (double)d.w / src.w, ky = (double)d.h / src.h; /* screen px per image px */
    double h = tile->tex_h;
    /* content x → image px x*h → oriented (flipped: tex_w - x*h) → screen */
    xf->ax = (flip_x ? -h : h) * kx;
    xf->bx = d.x + ((flip_x ? tile->tex_w : 0) - src.x) * kx;
    xf->ay = (flip_y ? -h : h) * ky;
    xf->by = d.y + ((flip_y ? tile->tex_h : 0) - src.y) * ky;
    xf->width_scale = h * ky;
    return true;
}

bool cr_tile_screen_to_content(const struct cr_tile *tile, double sx, double sy, double *x,
                               double *y)
{
    struct cr_ink_xform xf;
    if (!cr_tile_content_xform(tile, &xf))
        return false;
    *x = (sx - xf.bx) / xf.ax;
    *y = (sy - xf.by) / xf.ay;
    return true;
}

bool cr_tile_content_to_screen(const struct cr_tile *tile, double x, double y, double *sx,
                               double *sy)
{
    struct cr_ink_xform xf;
    if (!cr_tile_content_xform(tile, &xf))
        return false;
    *sx = xf.ax * x + xf.bx;
    *sy = xf.ay * y + xf.by;
    return true;
}
