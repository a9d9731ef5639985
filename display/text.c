#include "display/text.h"

#include <SDL_ttf.h>

#include "common/log.h"
#include "common/util.h"

#define CACHE_MAX 256

struct cr_text_entry {
    SDL_Texture *texture;
    int w, h;
};

static void entry_free(void *p)
{
    struct cr_text_entry *e = p;
    if (e->texture)
        SDL_DestroyTexture(e->texture);
    free(e);
}

/* A cache key holds the text drawn (a teacher's name, a document's title):
 * zeroed when dropped, so that a flush at sign-out leaves no copy behind. */
static void key_free(gpointer key)
{
    explicit_bzero(key, strlen(key));
    g_free(key);
}

bool cr_text_init(struct cr_text *t, const char *font_dir)
{
    memset(t, 0, sizeof(*t));
    if (!TTF_WasInit() && TTF_Init() != 0) {
        cr_err("text", "cannot start SDL_ttf: %s", TTF_GetError());
        return false;
    }
    t->regular_path = g_build_filename(font_dir, "Andika-Regular.ttf", NULL);
    t->bold_path = g_build_filename(font_dir, "Andika-Bold.ttf", NULL);
    if (!g_file_test(t->regular_path, G_FILE_TEST_EXISTS)) {
        cr_err("text", "font missing: %s", t->regular_path);
        return false;
    }
    t->fonts =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)TTF_CloseFont);
    t->cache = g_hash_table_new_full(g_str_hash, g_str_equal, key_free, entry_free);
    return true;
}

void cr_text_destroy(struct cr_text *t)
{
    if (t->cache)
        g_hash_table_destroy(t->cache);
    if (t->fonts)
        g_hash_table_destroy(t->fonts);
    g_free(t->regular_path);
    g_free(t->bold_path);
    memset(t, 0, sizeof(*t));
    if (TTF_WasInit())
        TTF_Quit();
}

void cr_text_flush(struct cr_text *t)
{
    g_hash_table_remove_all(t->cache);
}

static TTF_Font *font(struct cr_text *t, int px, bool bold)
{
    char key[32];
    px = CR_CLAMP(px, 6, 400);
    snprintf(key, sizeof(key), "%d/%d", px, bold);
    TTF_Font *f = g_hash_table_lookup(t->fonts, key);
    if (f)
        return f;
    f = TTF_OpenFont(bold ? t->bold_path : t->regular_path, px);
    if (!f) {
        cr_warn("text", "cannot open the font at %d px: %s", px, TTF_GetError());
        return NULL;
    }
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    g_hash_table_insert(t->fonts, g_strdup(key), f);
    return f;
}

void cr_text_size(struct cr_text *t, const char *s, int px, bool bold, int *w, int *h)
{
    TTF_Font *f = font(t, px, bold);
    *w = *h = 0;
    if (f && s && *s)
        TTF_SizeUTF8(f, s, w, h);
    else if (f)
        *h = TTF_FontHeight(f);
}

static struct cr_text_entry *render(struct cr_text *t, SDL_Renderer *r, const char *s, int px,
                                    bool bold, struct cr_color c, int wrap_w, enum cr_align align)
{
    char *key = g_strdup_printf("%d/%d/%02x%02x%02x%02x/%d/%d/%s", px, bold, c.r, c.g, c.b, c.a,
                                wrap_w, align, s);
    struct cr_text_entry *e = g_hash_table_lookup(t->cache, key);
    if (e) {
        key_free(key);
        return e;
    }
    TTF_Font *f = font(t, px, bold);
    if (!f) {
        key_free(key);
        return NULL;
    }
    SDL_Color col = {c.r, c.g, c.b, c.a};
    SDL_Surface *surf;
    if (wrap_w > 0) {
        TTF_SetFontWrappedAlign(f, align == CR_ALIGN_CENTER  ? TTF_WRAPPED_ALIGN_CENTER
                                   : align == CR_ALIGN_RIGHT ? TTF_WRAPPED_ALIGN_RIGHT
                                                             : TTF_WRAPPED_ALIGN_LEFT);
        surf = TTF_RenderUTF8_Blended_Wrapped(f, s, col, wrap_w);
    } else {
        surf = TTF_RenderUTF8_Blended(f, s, col);
    }
    if (!surf) {
        key_free(key);
        return NULL;
    }
    e = cr_xcalloc(1, sizeof(*e));
    e->texture = SDL_CreateTextureFromSurface(r, surf);
    e->w = surf->w;
    e->h = surf->h;
    SDL_FreeSurface(surf);
    if (g_hash_table_size(t->cache) >= CACHE_MAX)
        g_hash_table_remove_all(t->cache);
    g_hash_table_insert(t->cache, key, e);
    return e;
}

int cr_text_draw(struct cr_text *t, SDL_Renderer *r, const char *s, int px, bool bold,
                 struct cr_color c, int x, int y, enum cr_align align, int max_w)
{
    if (!s || !*s)
        return 0;
    struct cr_text_entry *e = render(t, r, s, px, bold, c, 0, CR_ALIGN_LEFT);
    if (!e || !e->texture)
        return 0;
    int w = e->w, h = e->h;
    if (max_w > 0 && w > max_w) {
        h = h * max_w / w;
        w = max_w;
    }
    int dx = align == CR_ALIGN_CENTER ? x - w / 2 : align == CR_ALIGN_RIGHT ? x - w : x;
    int dy = y + (e->h - h) / 2;
    SDL_RenderCopy(r, e->texture, NULL, &(SDL_Rect){dx, dy, w, h});
    return w;
}

int cr_text_draw_wrapped(struct cr_text *t, SDL_Renderer *r, const char *s, int px, bool bold,
                         struct cr_color c, struct cr_rect box, enum cr_align align)
{
    if (!s || !*s || box.w <= 0)
        return 0;
    struct cr_text_entry *e = render(t, r, s, px, bold, c, box.w, align);
    if (!e || !e->texture)
        return 0;
    int x = align == CR_ALIGN_CENTER  ? box.x + (box.w - e->w) / 2
            : align == CR_ALIGN_RIGHT ? box.x + box.w - e->w
                                      : box.x;
    SDL_RenderCopy(r, e->texture, NULL, &(SDL_Rect){x, box.y, e->w, e->h});
    return e->h;
}
