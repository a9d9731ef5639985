/* Pen and ink in the app (part of the composition root, like
 * app_commands.c): which input writes where, the pen settings, the ink and
 * whiteboard commands, saving with ink, and the pen's event → present
 * latency. UI thread.
 *
 * Routing (cr_app_ink_input, first thing cr_app_feed_input does):
 *  - hover never draws nor taps (a hover report during a stroke ends it:
 *    its UP was lost);
 *  - a pen (PEN, ERASER) going down on the whiteboard or on a tile's image
 *    writes there; on a button, the Home button or a notice it taps, through
 *    the gesture path; the long press never fires from a pen that writes;
 *  - the eraser end of a pen, or any pen in eraser mode (Gomme), erases
 *    whole strokes; what a contact does is decided when it goes down;
 *  - the mouse (POINTER) writes on the whiteboard only; elsewhere it taps,
 *    drags and zooms as before;
 *  - fingers (TOUCH) keep the gestures (tap, drag to pan, pinch to zoom,
 *    long press), unless ink.finger_draws is set: then a finger writes like
 *    a pen (pinch and the long press are then off where it writes);
 *  - the first pen seen writes in the chosen colour, any other pen (another
 *    device, or another tool on the same device) in the second colour;
 *  - CANCEL drops the stroke (or restores what the eraser removed);
 *  - palm rejection: a touch going down while a pen writes, or within
 *    CR_APP_INK_PALM_MS of a pen's last report (hovering included), is ignored
 *    until it lifts; when a pen starts writing, touches already down are
 *    cancelled for the gesture path (a resting palm never long-presses home). */
#ifndef CR_APP_INK_H
#define CR_APP_INK_H

#include <SDL.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "display/ui/ink_toolbar.h"
#include "input/ink.h"
#include "input/input_event.h"

struct cr_app;
struct cr_tile;

#define CR_APP_INK_CONTACTS 10
#define CR_APP_INK_PENS 8
#define CR_APP_INK_PENDING 256
#define CR_APP_INK_SAMPLES 1024
#define CR_APP_INK_PALM_MS 300

struct cr_app_ink_contact {
    bool active;
    enum cr_input_kind kind; /* PEN and ERASER are the same pen */
    uint32_t device_id, tool_id;
    int32_t slot;
    struct cr_ink *ink;         /* where it writes; checked against the screen before use */
    const struct cr_tile *tile; /* NULL: the whiteboard */
    bool erasing;
    double last_x, last_y;     /* content units: the eraser sweeps from there */
    double eraser_r;           /* content units */
    double screen_x, screen_y; /* for the eraser's ring */
};

struct cr_app_ink {
    struct cr_pen_style style;
    bool finger_draws;
    struct {
        uint32_t device_id, tool_id;
    } pens[CR_APP_INK_PENS]; /* in the order first seen: [0] writes in the first colour */
    size_t n_pens;
    struct cr_app_ink_contact contacts[CR_APP_INK_CONTACTS];
    int64_t pen_seen_us; /* the last pen event (contact or hover) */
    struct {
        bool active;
        uint32_t device_id;
        int32_t slot;
    } palms[CR_APP_INK_CONTACTS]; /* touches ignored until they lift */

    /* Latency: input times applied to ink and not presented yet, then
     * (present - input) samples, a ring. */
    int64_t pending_us[CR_APP_INK_PENDING];
    size_t n_pending;
    int64_t samples_us[CR_APP_INK_SAMPLES];
    size_t n_samples, next_sample;
    int64_t last_input_us, last_present_us;
};

/* From the configuration; sets up the whiteboard and the camera screen's
 * ink toolbar (both borrow app->ink.style). */
void cr_app_ink_init(struct cr_app *app);
void cr_app_ink_destroy(struct cr_app *app);

/* Returns true when ev was taken by ink (the gesture path must not see it). */
bool cr_app_ink_input(struct cr_app *app, const struct cr_input_event *ev);
/* After a screen change: strokes in progress end, hidden screens free their
 * ink textures. */
void cr_app_ink_screen_changed(struct cr_app *app);
/* Over everything else: the eraser's ring under an erasing pen. */
void cr_app_ink_draw(struct cr_app *app);
/* Keys: Ctrl+Z undo, Ctrl+Y / Ctrl+Shift+Z redo, E eraser. True if used. */
bool cr_app_ink_key(struct cr_app *app, const SDL_KeyboardEvent *k);

/* Latency hook. Call right after cr_screen_present(): every input event
 * applied to ink since the previous present is now on screen; each gives a
 * sample present_us - event.time_us. */
void cr_app_ink_presented(struct cr_app *app, int64_t present_us);

struct cr_ink_latency {
    size_t count; /* samples (the last CR_APP_INK_SAMPLES at most) */
    int64_t p50_us, p95_us, max_us;
    int64_t last_input_us;   /* the newest input shown */
    int64_t last_present_us; /* when it was presented */
};

void cr_app_ink_latency(const struct cr_app *app, struct cr_ink_latency *out);
void cr_app_ink_latency_reset(struct cr_app *app);

/* The ink the commands act on on this screen, or NULL (launcher). */
struct cr_ink *cr_app_ink_target(struct cr_app *app);
/* get_state's "ink" member (null when the screen has none). */
void cr_app_ink_add_state(struct cr_app *app, JsonBuilder *b);

/* Commands (the table in app_commands.c): "ink ...", "whiteboard ...". */
bool cr_app_ink_command(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error);
bool cr_app_whiteboard_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                               char **error);
/* The camera's Save: the picture shown with its ink, at the picture's own
 * resolution. On success *data is the folder (a string node). */
bool cr_app_camera_save(struct cr_app *app, JsonNode **data, char **error);

#endif
