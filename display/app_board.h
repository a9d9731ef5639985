/* The board screen (Affichage) in the application: which tiles it shows
 * (the camera, pupils' casts, later web pages, videos and documents), the
 * "board" and "open url|media|document" commands, where fingers on the
 * tiles go, the camera kept open while it is on the board. Part of the
 * composition root (display/app.c owns a struct cr_app_board). UI thread. */
#ifndef CR_APP_BOARD_H
#define CR_APP_BOARD_H

#include <SDL.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>

#include "display/ui/board.h"
#include "input/gesture.h"

struct cr_app;
struct cr_app_button;

struct cr_app_board {
    struct cr_board board;
    int drag;            /* the tile a drag or pinch goes to, or -1 */
    int bar_drag;        /* the tile whose bar's slider a finger drags, or -1 */
    int logouts_pending; /* sign-out: web views still ending the ENT session */
};

struct board_open_msg;
/* CR_EVENT_BOARD_OPEN: an ENT resource ready to show (the payload stays the event's). */
void cr_app_board_on_open(struct cr_app *app, struct board_open_msg *msg);
/* A key or typed text for the tile that has the focus (a web page): true when taken. */
bool cr_app_board_key(struct cr_app *app, const SDL_KeyboardEvent *k);
void cr_app_board_text(struct cr_app *app, const char *text);

void cr_app_board_init(struct cr_app *app);    /* after cr_app_ink_init (the pen style) */
void cr_app_board_destroy(struct cr_app *app); /* UI thread, after the io thread is joined */
/* The board screen was opened / is left for screen `to`. */
void cr_app_board_opened(struct cr_app *app);
void cr_app_board_left(struct cr_app *app, int to);
/* Drags, pinches and their end (other gestures are ignored). */
void cr_app_board_gesture(struct cr_app *app, const struct cr_gesture *g);
/* A tap: a control's command, or NULL when the tap went to a tile's content. */
const char *cr_app_board_tap(struct cr_app *app, int x, int y);
void cr_app_board_press(struct cr_app *app, int x, int y);
void cr_app_board_wheel(struct cr_app *app, int x, int y, int steps);
/* tile (a NEW_FRAME event's) is still there: the camera's, a cast's or a
 * board tile's (a closed web, video or document tile's pointer is not). */
bool cr_app_board_tile_alive(struct cr_app *app, const struct cr_tile *tile);
/* The camera is on the board (it must stay open while the board shows). */
bool cr_app_board_wants_camera(struct cr_app *app);

/* "board add camera|cast ID|close N|fullscreen N [on|off]|tile N ARGS…" */
bool cr_app_board_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                          char **error);
/* "open url URL", "open media PATH|URL", "open document PATH". */
bool cr_app_board_open(struct cr_app *app, const char *what, const char *arg, JsonNode **data,
                       char **error);
size_t cr_app_board_buttons(struct cr_app *app, struct cr_app_button *out, size_t max);
/* get_state: the tiles (inside the "tiles" array) and the "board" member. */
void cr_app_board_add_tiles(struct cr_app *app, JsonBuilder *b);
void cr_app_board_add_state(struct cr_app *app, JsonBuilder *b);

#endif
