/* The document camera screen: the live image (or a clear message), controls
 * in the bottom bar, snapshots kept in memory and shown beside the live
 * image. UI thread. */
#ifndef CR_CAMERA_SCREEN_H
#define CR_CAMERA_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "display/camera/camera.h"
#include "display/ink_layer.h"
#include "display/tile.h"
#include "display/ui/ink_toolbar.h"
#include "display/ui/widgets.h"
#include "input/ink.h"

/* A camera status carried io → UI (CR_EVENT_CAMERA_STATUS). Owns its strings. */
struct cr_camera_status_msg {
    enum cr_camera_state state;
    char *device_name;
    bool is_test;
    struct cr_camera_mode mode;
    size_t n_devices;
    char **cameras; /* a line per camera present: "NAME (PATH): MODE, MODE, …" (strv) */
    char *detail;
};

struct cr_camera_status_msg *cr_camera_status_msg_new(const struct cr_camera_status *st);
void cr_camera_status_msg_free(void *msg);

struct cr_snapshot {
    struct cr_frame *frame; /* a deep copy: owns its pixels */
    bool rotate180, mirror; /* the orientation when it was taken */
    struct cr_ink *ink;     /* drawn on it (a copy of the live image's ink at first); owned */
};

enum cr_camera_button {
    CR_CAM_FREEZE,
    CR_CAM_ZOOM_IN,
    CR_CAM_ZOOM_OUT,
    CR_CAM_ZOOM_RESET,
    CR_CAM_ROTATE,
    CR_CAM_MIRROR,
    CR_CAM_SNAPSHOT,
    CR_CAM_COMPARE,
    CR_CAM_SAVE,
    CR_CAM_NEXT,
    CR_CAM_BUTTONS,
};

struct cr_camera_screen {
    struct cr_tile *live; /* borrowed: the app owns it (its slot is fed by the io side) */
    struct cr_tile snap;  /* shows snapshots[shown] */
    struct cr_snapshot *snapshots;
    size_t n_snapshots, max_snapshots, shown;
    bool compare; /* live and the shown snapshot side by side */

    struct cr_button buttons[CR_CAM_BUTTONS];
    struct cr_button content_button; /* "show the test pattern" when no camera */
    struct cr_button nav[2];         /* previous / next snapshot */

    struct cr_camera_status_msg status;

    /* Ink on the live image (kept through freeze and zoom) and its layers. */
    struct cr_ink live_ink;
    struct cr_ink_layer live_layer, snap_layer;
    struct cr_ink_toolbar ink_bar;    /* compact, at the right edge */
    const struct cr_pen_style *style; /* borrowed; NULL: no ink toolbar */
    bool ink_on_snapshot;             /* the last stroke went on the snapshot */
};

void cr_camera_screen_init(struct cr_camera_screen *cs, struct cr_tile *live, size_t max_snapshots);
void cr_camera_screen_destroy(struct cr_camera_screen *cs);
/* Takes the strings of msg (msg itself stays the caller's to free). */
void cr_camera_screen_set_status(struct cr_camera_screen *cs, struct cr_camera_status_msg *msg);
void cr_camera_screen_draw(struct cr_camera_screen *cs, struct cr_ui *ui);

/* The command under (x, y) among the screen's buttons, or NULL. */
const char *cr_camera_screen_hit(struct cr_camera_screen *cs, int x, int y);
bool cr_camera_screen_press(struct cr_camera_screen *cs, int x, int y);
/* The tile whose image is at (x, y), for pinch and pan, or NULL. */
struct cr_tile *cr_camera_screen_tile_at(struct cr_camera_screen *cs, int x, int y);

/* Keeps a copy of the live image; shows it beside the live one. Returns
 * false when there is no image yet. */
bool cr_camera_screen_snapshot(struct cr_camera_screen *cs, SDL_Renderer *r);
void cr_camera_screen_set_compare(struct cr_camera_screen *cs, bool on, SDL_Renderer *r);
/* Shows another snapshot (delta -1 / +1), wrapping. */
void cr_camera_screen_browse(struct cr_camera_screen *cs, int delta, SDL_Renderer *r);
/* The image to save: the snapshot shown when comparing, else a copy of the
 * live image. Returns a frame reference (NULL if none) and its orientation. */
struct cr_frame *cr_camera_screen_image_to_save(struct cr_camera_screen *cs, bool *rotate180,
                                                bool *mirror);
/* The tiles on screen, in order (live first). Returns the count (≤ 2). */
size_t cr_camera_screen_tiles(struct cr_camera_screen *cs, struct cr_tile **out);

/* --- ink --- */
/* Shows the compact ink toolbar with these settings (borrowed). */
void cr_camera_screen_set_pen_style(struct cr_camera_screen *cs, const struct cr_pen_style *style);
/* The ink of a tile on screen (live or the snapshot shown), or NULL. */
struct cr_ink *cr_camera_screen_tile_ink(struct cr_camera_screen *cs, const struct cr_tile *tile);
/* The ink undo and clear act on: the one last drawn on. */
struct cr_ink *cr_camera_screen_ink(struct cr_camera_screen *cs);
void cr_camera_screen_focus_ink(struct cr_camera_screen *cs, const struct cr_tile *tile);
/* The ink over the image cr_camera_screen_image_to_save() returns. */
struct cr_ink *cr_camera_screen_ink_to_save(struct cr_camera_screen *cs);
/* A control (button, toolbar) is at (x, y): the pen taps it, never writes. */
bool cr_camera_screen_on_control(struct cr_camera_screen *cs, int x, int y);

#endif
