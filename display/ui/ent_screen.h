/* The ENT screen: signing in (a QR code and a short code for the phone, or
 * the user name and password typed on the board behind a privacy curtain),
 * then the teacher's resources in big tiles, the sign-out button and the
 * inactivity countdown. It draws the latest snapshot of the ENT client
 * (ent-client/ent.h) it is given; what it asks for are commands ("ent
 * signin", "ent open 3" …) run by display/app_ent.c. UI thread. */
#ifndef CR_ENT_SCREEN_H
#define CR_ENT_SCREEN_H

#include <SDL.h>
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "display/ui/keyboard.h"
#include "display/ui/widgets.h"
#include "ent-client/ent.h"

enum cr_ent_screen_button {
    CR_ENT_BTN_SIGNIN,   /* "Sign in" (signed out) */
    CR_ENT_BTN_PASSWORD, /* "Type my password" (beside the QR code) */
    CR_ENT_BTN_CANCEL,   /* abandons a sign-in in progress */
    CR_ENT_BTN_PREV,     /* resource pages */
    CR_ENT_BTN_NEXT,
    CR_ENT_BTN_ROOT,    /* back to the workspace's root */
    CR_ENT_BTN_SIGNOUT, /* the big one */
    CR_ENT_BTN_STAY,    /* on the inactivity countdown */
    CR_ENT_BUTTONS,
};

enum { CR_ENT_TILES = 10, CR_ENT_FIELD_MAX = 128 };

struct cr_ent_screen {
    const struct cr_ent_view *view; /* borrowed from the app (its latest), or NULL */
    bool configured;                /* ent.kind is not "none" */
    struct cr_button buttons[CR_ENT_BUTTONS];
    struct cr_button tiles[CR_ENT_TILES];
    size_t tile_resource[CR_ENT_TILES]; /* index in view->resources */
    char tile_actions[CR_ENT_TILES][32];
    size_t n_tiles, page;
    /* the password form: typed on the board, zeroed when it closes */
    struct cr_keyboard keyboard;
    bool focus_password;
    char user[CR_ENT_FIELD_MAX];
    char password[CR_ENT_FIELD_MAX];
    size_t user_len, password_len;
    struct cr_rect fields[2]; /* user name, password: a tap moves the typing there */
    GHashTable *thumbs;       /* icon_url → SDL_Texture *: the tiles' pictures */
};

void cr_ent_screen_init(struct cr_ent_screen *s, bool configured);
/* Zeroes the form. */
void cr_ent_screen_destroy(struct cr_ent_screen *s);
/* A new snapshot (borrowed until the next call or destroy). */
void cr_ent_screen_set_view(struct cr_ent_screen *s, const struct cr_ent_view *view);
void cr_ent_screen_draw(struct cr_ent_screen *s, struct cr_ui *ui);
/* The command of what is at (x, y), or NULL; a key of the on-screen
 * keyboard is typed into the form here (never a command), and its Sign in
 * key returns "ent submit". */
const char *cr_ent_screen_hit(struct cr_ent_screen *s, int x, int y);
bool cr_ent_screen_press(struct cr_ent_screen *s, int x, int y);
/* The password form is shown: everything else on the board is hidden. */
bool cr_ent_screen_curtain(const struct cr_ent_screen *s);
/* A physical keyboard: text typed (UTF-8), and the editing keys. Returns
 * the command to run ("ent submit") or NULL. */
void cr_ent_screen_text(struct cr_ent_screen *s, const char *text);
enum cr_ent_screen_key { CR_ENT_KEY_BACKSPACE, CR_ENT_KEY_TAB, CR_ENT_KEY_ENTER };
const char *cr_ent_screen_key(struct cr_ent_screen *s, enum cr_ent_screen_key key);
/* A tile's picture (GAR cover, document thumbnail) for icon_url; the
 * surface stays the caller's. */
void cr_ent_screen_set_thumbnail(struct cr_ent_screen *s, struct cr_ui *ui, const char *icon_url,
                                 SDL_Surface *picture);
/* Drops every picture (sign-out). */
void cr_ent_screen_forget_thumbnails(struct cr_ent_screen *s);
/* Forgets what was typed (zeroed). */
void cr_ent_screen_clear_form(struct cr_ent_screen *s);
/* The visible buttons, tiles and keys (after a draw laid them out). */
size_t cr_ent_screen_buttons(struct cr_ent_screen *s, const struct cr_button **out, size_t max);
/* The resource a tile shows ("ent open N"), or NULL. */
const struct cr_ent_resource *cr_ent_screen_resource(const struct cr_ent_screen *s, size_t index);

#endif
