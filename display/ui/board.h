/* The board screen (Affichage): up to CR_BOARD_MAX tiles of any kind
 * (camera, a pupil's cast, a web page, a video, a document) laid out 1, 2
 * side by side or 2×2, each with a title strip and big Full screen / Close
 * buttons, and one ink over the whole board. What a tile is comes from its
 * kind's ops (display/app_board*.c): its own bar, its controls, what a
 * finger on its content does, its state. UI thread. */
#ifndef CR_BOARD_H
#define CR_BOARD_H

#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "display/ink_layer.h"
#include "display/tile.h"
#include "display/ui/ink_toolbar.h"
#include "display/ui/widgets.h"
#include "input/ink.h"

#define CR_BOARD_MAX 4

struct cr_board_tile;

/* What a finger (or the mouse) does on a tile's content. x, y: screen
 * pixels; px, py: the same point in the image's own pixels (-1 when the
 * tile has no image yet or the point is outside it). */
enum cr_board_input_type {
    CR_BOARD_TAP,
    CR_BOARD_DRAG_BEGIN,
    CR_BOARD_DRAG, /* dx, dy: screen pixels since the last one */
    CR_BOARD_DRAG_END,
    CR_BOARD_PINCH,  /* scale: factor since the last one, dx, dy: pan */
    CR_BOARD_SCROLL, /* dy: wheel steps, positive up */
};

struct cr_board_input {
    enum cr_board_input_type type;
    double x, y;
    double px, py;
    double dx, dy;
    double scale;
};

enum cr_board_drag_phase { CR_BOARD_DRAG_START, CR_BOARD_DRAG_MOVE, CR_BOARD_DRAG_STOP };

/* One kind of tile. Every op but kind is optional. */
struct cr_board_tile_ops {
    const char *kind; /* get_state's kind: "camera", "cast", "web", "media", "document" */
    /* Design pixels of the kind's own control bar at the bottom of the cell (0: none). */
    int bar_height;
    /* Lays out and draws the bar (rect: where, screen pixels). */
    void (*draw_bar)(struct cr_board_tile *t, struct cr_ui *ui, struct cr_rect rect);
    /* The command of the bar's control at (x, y) ("board tile 2 play"), or NULL;
     * press: highlight only. */
    const char *(*hit)(struct cr_board_tile *t, int x, int y, bool press);
    /* A finger dragged along the bar (a slider): the command to run for
     * this point ("board tile 2 seek 0.420"), or NULL when the bar does not
     * follow drags there (begin) or nothing changed. end: the finger left. */
    const char *(*bar_drag)(struct cr_board_tile *t, enum cr_board_drag_phase phase, int x, int y);
    /* The bar's visible buttons (for get_state and taps). Returns the count. */
    size_t (*buttons)(struct cr_board_tile *t, const struct cr_button **out, size_t max);
    /* A finger or the mouse on the content. True when something changed. */
    bool (*input)(struct cr_board_tile *t, const struct cr_board_input *in);
    /* A command for this tile: "board tile N ARGS…". */
    bool (*command)(struct cr_board_tile *t, char **args, unsigned n, char **error);
    /* Kind-specific members of the tile's get_state object. */
    void (*add_state)(struct cr_board_tile *t, JsonBuilder *b);
    /* Called before the tile is drawn (uploads, titles). */
    void (*update)(struct cr_board_tile *t);
    /* Frees data (and the tile if the kind owns it). */
    void (*destroy)(struct cr_board_tile *t);
};

struct cr_board_tile {
    const struct cr_board_tile_ops *ops;
    struct cr_tile *tile; /* what is drawn: the kind's own, or borrowed (camera, cast) */
    void *data;           /* the kind's own */
    unsigned source_id;   /* camera: 0; cast: the sender id */
    char *title;
    char *notice; /* shown over the content when set (an error page, "loading") */
    struct cr_button full, close;
    char full_action[32], close_action[32];
    struct cr_rect cell, strip, content, bar;
    /* The kind's own controls over its content (a web tile's keyboard), set by
     * its draw_bar; empty when none. Taps there go to its hit op, not the page. */
    struct cr_rect overlay;
};

struct cr_board {
    struct cr_board_tile tiles[CR_BOARD_MAX];
    size_t n;
    int fullscreen;    /* index shown alone, or -1 */
    int focused;       /* the tile that gets the keyboard, or -1 */
    struct cr_ink ink; /* over the whole board, board units (design pixels) */
    struct cr_ink_layer layer;
    const struct cr_pen_style *style; /* borrowed */
    struct cr_ink_toolbar toolbar;
    struct cr_rect area; /* where the board was last drawn */
    double scale;        /* screen pixels per board unit */
};

void cr_board_init(struct cr_board *b, const struct cr_pen_style *style);
/* Closes every tile (their ops' destroy), frees the ink. */
void cr_board_destroy(struct cr_board *b);

/* Adds a tile (title copied); returns its index or -1 when the board is
 * full. ops/tile/data: see struct cr_board_tile. */
int cr_board_add(struct cr_board *b, const struct cr_board_tile_ops *ops, struct cr_tile *tile,
                 void *data, unsigned source_id, const char *title);
/* Closes tile i (its destroy op runs). */
void cr_board_close(struct cr_board *b, size_t i);
void cr_board_set_title(struct cr_board *b, size_t i, const char *title);
void cr_board_set_notice(struct cr_board *b, size_t i, const char *notice);
/* Index of the first tile of that kind (and source, for casts) or -1. */
int cr_board_find(const struct cr_board *b, const struct cr_board_tile_ops *ops,
                  unsigned source_id);
/* Index of the tile holding this data, or -1. */
int cr_board_find_data(const struct cr_board *b, const void *data);

void cr_board_layout(struct cr_board *b, struct cr_ui *ui);
void cr_board_draw(struct cr_board *b, struct cr_ui *ui);
/* The command of the control at (x, y), or NULL (press: highlight only). */
const char *cr_board_hit(struct cr_board *b, int x, int y);
/* The shown tile whose bar (with a bar_drag op) is at (x, y), or -1. */
int cr_board_bar_at(const struct cr_board *b, int x, int y);
bool cr_board_press(struct cr_board *b, int x, int y);
/* The tile whose content is at (x, y), or -1. */
int cr_board_content_at(const struct cr_board *b, int x, int y);
/* A finger on the content at in->x, in->y: to the tile there (or to tile
 * `to` when >= 0: a drag keeps its tile). Returns the tile or -1. */
int cr_board_input(struct cr_board *b, int to, struct cr_board_input *in);
/* Where the pen writes: the board, but not on a control. */
bool cr_board_on_ink_area(const struct cr_board *b, int x, int y);
void cr_board_xform(const struct cr_board *b, struct cr_ink_xform *xf);
/* Visible buttons (title strips, tiles' bars, ink toolbar); returns the count. */
size_t cr_board_buttons(struct cr_board *b, const struct cr_button **out, size_t max);
/* The ink texture is released while the board is not shown. */
void cr_board_hidden(struct cr_board *b);
/* get_state: one object per tile, in order. */
void cr_board_add_tiles_state(struct cr_board *b, JsonBuilder *jb);

#endif
