/* The ENT in the application: the client (ent-client/) on the io thread,
 * its snapshots on the UI thread, the ENT screen, and the "ent" commands.
 * Part of the composition root (display/app.c owns a struct cr_app_ent). */
#ifndef CR_APP_ENT_H
#define CR_APP_ENT_H

#include <SDL.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "display/ui/ent_screen.h"
#include "ent-client/ent.h"

struct cr_app;
struct cr_app_button;

/* io → UI: a tile's picture, downloaded (CR_EVENT_ENT_ICON; its bytes are
 * zeroed when freed: a thumbnail shows the teacher's document). */
struct cr_app_ent_icon {
    char *url;
    unsigned char *data;
    size_t len;
};

struct cr_app_ent {
    struct cr_ent *ent; /* io thread only; NULL when no ENT is configured (or unusable) */

    /* UI thread */
    bool configured;          /* ent.kind is not "none" */
    bool memscan_allowed;     /* CRAIE_TEST_MEMSCAN=1 (tests only) */
    struct cr_ent_view *view; /* the latest snapshot, owned; NULL before the first */
    struct cr_ent_screen screen;
    int64_t activity_sent_us;
    GHashTable *icons_asked; /* icon URLs asked for this session (set) */
};

void cr_app_ent_init(struct cr_app *app);    /* UI thread, before the io thread starts */
void cr_app_ent_start(struct cr_app *app);   /* asks the io thread to create the client */
void cr_app_ent_destroy(struct cr_app *app); /* UI thread, after the io thread is joined */
/* io thread, at shutdown: signs out (SHUTDOWN), lets the ENT be told for
 * at most 5 s, then drops the client (everything wiped). */
void cr_app_ent_io_shutdown(struct cr_app *app);

/* CR_EVENT_ENT_VIEW: a new snapshot (ownership transferred). */
void cr_app_ent_on_view(struct cr_app *app, struct cr_ent_view *view);
/* CR_EVENT_ENT_ICON: a tile's picture (the payload stays the event's). */
void cr_app_ent_on_icon(struct cr_app *app, struct cr_app_ent_icon *icon);
/* A finger, pen or mouse went down: the teacher is there. */
void cr_app_ent_touched(struct cr_app *app);

/* The ENT screen was left: a password form is abandoned (zeroed). */
void cr_app_ent_left(struct cr_app *app);
void cr_app_ent_draw(struct cr_app *app);
/* Over any screen: the inactivity countdown. */
void cr_app_ent_draw_over(struct cr_app *app);
const char *cr_app_ent_hit(struct cr_app *app, int x, int y);
void cr_app_ent_press(struct cr_app *app, int x, int y);
/* A key or text from a physical keyboard (any key also counts as activity):
 * true when the password form took it. */
bool cr_app_ent_key(struct cr_app *app, const SDL_KeyboardEvent *k);
void cr_app_ent_text(struct cr_app *app, const char *text);

/* "ent state|signin [METHOD]|cancel|submit|signout|stay|open N|folder ID|root
 * |page next|prev|memscan HEX" */
bool cr_app_ent_command(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error);
size_t cr_app_ent_buttons(struct cr_app *app, struct cr_app_button *out, size_t max);
/* get_state's "ent" member. */
void cr_app_ent_add_state(struct cr_app *app, JsonBuilder *b);

#endif
