/* Réglages in the application: the settings PIN, the screen's pages and
 * the "settings" and "settings-pin" commands. Part of the composition root
 * (display/app.c owns a struct cr_app_settings). UI thread. */
#ifndef CR_APP_SETTINGS_H
#define CR_APP_SETTINGS_H

#include <SDL.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>

#include "common/settings_pin.h"
#include "display/ui/settings_screen.h"

struct cr_app;
struct cr_app_button;
struct cr_diag_report;

struct cr_app_settings {
    struct cr_settings_pin pin;
    struct cr_settings_screen screen;
    char **diag_lines; /* the last diagnostics, or NULL */
    bool diag_running;
    GThread *diag_thread; /* the last run, joined before the next one and at the end */
};

void cr_app_settings_init(struct cr_app *app);
void cr_app_settings_destroy(struct cr_app *app);
void cr_app_settings_opened(struct cr_app *app); /* locks when a PIN is set */
void cr_app_settings_left(struct cr_app *app);   /* locks, forgets what was typed */
void cr_app_settings_draw(struct cr_app *app);
const char *cr_app_settings_hit(struct cr_app *app, int x, int y);
void cr_app_settings_press(struct cr_app *app, int x, int y);
size_t cr_app_settings_buttons(struct cr_app *app, struct cr_app_button *out, size_t max);
/* A physical keyboard on the PIN pad (digits, Backspace, Enter): true when taken. */
bool cr_app_settings_key(struct cr_app *app, const SDL_KeyboardEvent *k);
void cr_app_settings_add_state(struct cr_app *app, JsonBuilder *b);
/* CR_EVENT_DIAG_DONE: the checks' report (ownership transferred). */
void cr_app_settings_on_diag(struct cr_app *app, struct cr_diag_report *report);

/* "settings key 0-9|back|ok|pin DIGITS|page NAME|diagnose|lock" */
bool cr_app_settings_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                             char **error);
/* "settings-pin set PIN|clear|status" */
bool cr_app_settings_pin_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                                 char **error);

#endif
