/* The kinds of board tiles beyond the camera and the casts (part of the
 * composition root, like app_board.c): web pages (app_board_web.c), videos
 * and sounds (app_board_media.c), documents (app_board_document.c), and the
 * ENT's resources opened as such and wiped at sign-out
 * (app_board_session.c). UI thread. */
#ifndef CR_APP_BOARD_KINDS_H
#define CR_APP_BOARD_KINDS_H

#include <SDL.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "display/ui/board.h"
#include "ent-client/ent.h"

struct cr_app;
struct cr_web_view;

extern const struct cr_board_tile_ops cr_board_web_ops;
extern const struct cr_board_tile_ops cr_board_media_ops;
extern const struct cr_board_tile_ops cr_board_document_ops;

struct cr_board_web_open {
    const char *url;       /* the page (may hold a one-time token: never logged) */
    const char *first_url; /* NULL, or loaded first in the same view (GAR's ENT session) */
    const char *title;     /* NULL: the host */
    const struct cr_ent_cookie *cookies; /* set in the view before loading (copied) */
    size_t n_cookies;
    const char *logout_url; /* where the ENT session ends, or NULL */
    bool ent;               /* an ENT resource: closed at sign-out */
};

/* An http(s) address with a host. */
bool cr_board_web_url_ok(const char *url);
/* Adds a web tile; returns its index, or -1 with *error (g_free). */
int cr_board_web_open(struct cr_app *app, const struct cr_board_web_open *o, char **error);
const char *cr_board_web_logout_url(struct cr_board_tile *t);
bool cr_board_web_is_ent(struct cr_board_tile *t);
struct cr_web_view *cr_board_web_view(struct cr_board_tile *t);
/* A key for the web tile t (true when taken). */
bool cr_board_web_key(struct cr_board_tile *t, const SDL_KeyboardEvent *k);

struct cr_board_media_open {
    const char *path_or_url; /* or: */
    void *data;              /* bytes in memory, ownership transferred (zeroed when freed) */
    size_t size;
    const char *mime; /* of data, or NULL */
    const char *title;
    bool ent; /* an ENT resource: closed at sign-out */
};

/* A video or sound tile (libvlc); returns its index or -1 with *error. */
int cr_board_media_open(struct cr_app *app, const struct cr_board_media_open *o, char **error);
/* A PDF or picture tile (poppler); returns its index or -1 with *error. */
int cr_board_document_open(struct cr_app *app, const struct cr_board_media_open *o, char **error);
/* The tile holds an ENT resource (closed at sign-out). */
bool cr_board_tile_is_ent(struct cr_board_tile *t);

/* --- app_board_session.c --- */
/* An ENT resource of the current list, opened on the board (UI thread):
 * web pages as the signed-in teacher, workspace files into memory. */
bool cr_app_board_open_ent(struct cr_app *app, const struct cr_ent_resource *res, char **error);
/* The ENT's state went from signed in to signing out / signed out: every
 * web view ends the ENT session (≤ 4 s), then every web view and ENT tile
 * is closed and in-memory documents freed. */
void cr_app_board_ent_signed_out(struct cr_app *app);
/* CR_EVENT_BOARD_WIPE: the logouts are over, every web view and ENT tile goes. */
void cr_app_board_wipe(struct cr_app *app);
/* CR_EVENT_BOARD_WIPE: the logouts are over, every web view and ENT tile goes. */
void cr_app_board_wipe(struct cr_app *app);
/* At quit, before the events close: the same, waited for here. */
void cr_app_board_shutdown(struct cr_app *app);
/* get_state's "web_engine" member. */
void cr_app_board_add_engine_state(struct cr_app *app, JsonBuilder *b);

#endif
