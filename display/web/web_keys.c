/* SDL keycodes as the XKB keysyms WebKit's WPE port takes, and URLs made
 * fit for logs. */
#include <SDL.h>
#include <glib.h>
#include <wpe/wpe.h>

#include "display/web/web_view.h"

static const struct {
    SDL_Keycode sdl;
    uint32_t xkb;
} keys[] = {
    {SDLK_RETURN, WPE_KEY_Return},
    {SDLK_KP_ENTER, WPE_KEY_KP_Enter},
    {SDLK_ESCAPE, WPE_KEY_Escape},
    {SDLK_BACKSPACE, WPE_KEY_BackSpace},
    {SDLK_TAB, WPE_KEY_Tab},
    {SDLK_DELETE, WPE_KEY_Delete},
    {SDLK_INSERT, WPE_KEY_Insert},
    {SDLK_HOME, WPE_KEY_Home},
    {SDLK_END, WPE_KEY_End},
    {SDLK_PAGEUP, WPE_KEY_Page_Up},
    {SDLK_PAGEDOWN, WPE_KEY_Page_Down},
    {SDLK_LEFT, WPE_KEY_Left},
    {SDLK_RIGHT, WPE_KEY_Right},
    {SDLK_UP, WPE_KEY_Up},
    {SDLK_DOWN, WPE_KEY_Down},
    {SDLK_LSHIFT, WPE_KEY_Shift_L},
    {SDLK_RSHIFT, WPE_KEY_Shift_R},
    {SDLK_LCTRL, WPE_KEY_Control_L},
    {SDLK_RCTRL, WPE_KEY_Control_R},
    {SDLK_LALT, WPE_KEY_Alt_L},
    {SDLK_RALT, WPE_KEY_ISO_Level3_Shift},
    {SDLK_CAPSLOCK, WPE_KEY_Caps_Lock},
    {SDLK_F1, WPE_KEY_F1},
    {SDLK_F2, WPE_KEY_F2},
    {SDLK_F3, WPE_KEY_F3},
    {SDLK_F4, WPE_KEY_F4},
    {SDLK_F5, WPE_KEY_F5},
    {SDLK_F6, WPE_KEY_F6},
    {SDLK_F7, WPE_KEY_F7},
    {SDLK_F8, WPE_KEY_F8},
    {SDLK_F9, WPE_KEY_F9},
    {SDLK_F10, WPE_KEY_F10},
    {SDLK_F11, WPE_KEY_F11},
    {SDLK_F12, WPE_KEY_F12},
};

uint32_t cr_web_keysym_from_sdl(int32_t sdl_keycode)
{
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
        if (keys[i].sdl == sdl_keycode)
            return keys[i].xkb;
    /* Printable keys: SDL's keycode is the character, as is the keysym for
     * Latin-1; beyond, libwpe maps Unicode. */
    if (sdl_keycode >= 0x20 && sdl_keycode < 0x7f)
        return (uint32_t)sdl_keycode;
    if (sdl_keycode > 0x7f && !(sdl_keycode & SDLK_SCANCODE_MASK))
        return wpe_unicode_to_key_code((uint32_t)sdl_keycode);
    return 0;
}

char *cr_web_loggable_url(const char *url)
{
    if (!url)
        return g_strdup("(none)");
    g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
    if (!uri)
        return g_strdup("(unparsable URL)");
    const char *scheme = g_uri_get_scheme(uri);
    if (g_strcmp0(scheme, "data") == 0 || g_strcmp0(scheme, "about") == 0)
        return g_strdup_printf("%s:…", scheme);
    /* No user info, query or fragment: they can carry credentials. */
    return g_uri_join(G_URI_FLAGS_NONE, scheme, NULL, g_uri_get_host(uri), g_uri_get_port(uri),
                      g_uri_get_path(uri), NULL, NULL);
}
