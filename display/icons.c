#include "display/icons.h"

#include <SDL_image.h>

#include "common/log.h"

void cr_icons_init(struct cr_icons *icons, const char *dir)
{
    icons->dir = g_strdup(dir);
    icons->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static void destroy_texture(gpointer key, gpointer value, gpointer user_data)
{
    if (value)
        SDL_DestroyTexture(value);
}

void cr_icons_flush(struct cr_icons *icons)
{
    g_hash_table_foreach(icons->cache, destroy_texture, NULL);
    g_hash_table_remove_all(icons->cache);
}

void cr_icons_destroy(struct cr_icons *icons)
{
    if (icons->cache) {
        cr_icons_flush(icons);
        g_hash_table_destroy(icons->cache);
    }
    g_free(icons->dir);
    icons->cache = NULL;
    icons->dir = NULL;
}

static SDL_Texture *load(struct cr_icons *icons, SDL_Renderer *r, const char *name, int px)
{
    char *key = g_strdup_printf("%s@%d", name, px);
    gpointer value;
    if (g_hash_table_lookup_extended(icons->cache, key, NULL, &value)) {
        g_free(key);
        return value;
    }
    char *file = g_strdup_printf("%s.svg", name);
    char *path = g_build_filename(icons->dir, file, NULL);
    SDL_Texture *tex = NULL;
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    SDL_Surface *surf = rw ? IMG_LoadSizedSVG_RW(rw, px, px) : NULL;
    if (rw)
        SDL_RWclose(rw);
    if (surf) {
        tex = SDL_CreateTextureFromSurface(r, surf);
        SDL_FreeSurface(surf);
        if (tex)
            SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    } else {
        cr_warn("ui", "icon %s cannot be loaded: %s", path, IMG_GetError());
    }
    g_hash_table_insert(icons->cache, key, tex);
    g_free(path);
    g_free(file);
    return tex;
}

void cr_icons_draw(struct cr_icons *icons, SDL_Renderer *r, const char *name, int cx, int cy,
                   int px, struct cr_color tint)
{
    if (px <= 0)
        return;
    SDL_Texture *tex = load(icons, r, name, px);
    if (!tex)
        return;
    SDL_SetTextureColorMod(tex, tint.r, tint.g, tint.b);
    SDL_SetTextureAlphaMod(tex, tint.a);
    SDL_RenderCopy(r, tex, NULL, &(SDL_Rect){cx - px / 2, cy - px / 2, px, px});
}
