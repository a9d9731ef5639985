/* The Tablettes screen: how pupils join (address, QR code, join code), the
 * waiting strip (first name, live thumbnail, Show / Refuse), and the wall of
 * shown screens tiled 1, 2, 4, 9 or 16, with focus, freeze, remove and stop
 * all. It owns one tile per sender slot: the cast server (io thread) feeds
 * slot i's frames into tiles[i].slot. UI thread. */
#ifndef CR_CAST_WALL_H
#define CR_CAST_WALL_H

#include <SDL.h>
#include <stdbool.h>

#include "display/cast/cast_server.h"
#include "display/tile.h"
#include "display/ui/widgets.h"

#define CR_CAST_WALL_CARDS 8 /* waiting cards drawn at most; the rest are counted */

enum cr_cast_wall_button {
    CR_WALL_NEW_CODE,
    CR_WALL_STOP_ALL,
    CR_WALL_FREEZE,
    CR_WALL_REMOVE,
    CR_WALL_UNFOCUS,
    CR_WALL_BUTTONS,
};

/* Asks the io side for a sender's size (cr_cast_server_set_size). */
typedef void (*cr_cast_wall_size_fn)(void *userdata, unsigned id, int width, int height, bool live);

struct cr_cast_wall_slot {
    unsigned sender_id;  /* 0: free */
    unsigned generation; /* of the sender that last fed the tile */
    int req_w, req_h;    /* the size last asked for */
    bool req_live;
    bool shown;          /* drawn on the wall at the last draw */
    struct cr_rect cell; /* where, when shown */
};

struct cr_cast_wall {
    struct cr_tile tiles[CR_CAST_MAX_SENDERS];
    struct cr_cast_wall_slot slots[CR_CAST_MAX_SENDERS];
    struct cr_cast_status *status; /* latest from the io side, owned; NULL before */
    unsigned focused;              /* sender id shown alone, or 0 */

    struct cr_button buttons[CR_WALL_BUTTONS];
    struct cr_button cards[CR_CAST_WALL_CARDS][2]; /* [0] Show, [1] Refuse */
    char card_actions[CR_CAST_WALL_CARDS][2][40];
    char focus_action[40], freeze_action[40], remove_action[40];

    char *qr_text;   /* what qr encodes */
    SDL_Texture *qr; /* the QR code, one texel per module */
    int qr_size;

    cr_cast_wall_size_fn request_size;
    void *userdata;
};

/* frame_cbs/userdata are given to every tile's slot (new-frame events). */
void cr_cast_wall_init(struct cr_cast_wall *w, const struct cr_frame_slot_callbacks *frame_cbs,
                       cr_cast_wall_size_fn request_size, void *userdata);
void cr_cast_wall_destroy(struct cr_cast_wall *w);
/* The slots the server feeds (array of CR_CAST_MAX_SENDERS pointers). */
void cr_cast_wall_slots(struct cr_cast_wall *w, struct cr_frame_slot **out);

/* A new status from the server (ownership transferred): tiles whose slot
 * went to another sender are emptied. Returns true if the room just locked. */
bool cr_cast_wall_set_status(struct cr_cast_wall *w, struct cr_cast_status *status);
const struct cr_cast_sender_info *cr_cast_wall_sender(const struct cr_cast_wall *w, unsigned id);
struct cr_tile *cr_cast_wall_tile(struct cr_cast_wall *w, unsigned id);

void cr_cast_wall_draw(struct cr_cast_wall *w, struct cr_ui *ui);
/* The command under (x, y) (a button, a card, a tile: "cast focus 3"), or NULL. */
const char *cr_cast_wall_hit(struct cr_cast_wall *w, int x, int y);
bool cr_cast_wall_press(struct cr_cast_wall *w, int x, int y);
/* Visible buttons for get_state; returns their count (≤ max). */
size_t cr_cast_wall_buttons(struct cr_cast_wall *w, const struct cr_button **out, size_t max);
/* Number of approved senders (tiles on the wall). */
size_t cr_cast_wall_n_live(const struct cr_cast_wall *w);

#endif
