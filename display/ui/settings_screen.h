/* Réglages, the technician's screen: a PIN pad (big keys) while locked,
 * then pages — Réseau, Appareils, Affichage, Versions, Journal, Diagnostic —
 * chosen by tabs down the left. The pages' text comes from the app
 * (display/app_settings.c) as lines: "# " starts a heading, "! " a problem
 * (orange), "+ " a check that passed (green). UI thread. */
#ifndef CR_SETTINGS_SCREEN_H
#define CR_SETTINGS_SCREEN_H

#include <glib.h>
#include <stdbool.h>

#include "display/ui/widgets.h"

enum cr_settings_page {
    CR_SETTINGS_NETWORK,
    CR_SETTINGS_DEVICES,
    CR_SETTINGS_DISPLAY,
    CR_SETTINGS_VERSIONS,
    CR_SETTINGS_JOURNAL,
    CR_SETTINGS_DIAGNOSTICS,
    CR_SETTINGS_PAGES,
};

#define CR_PIN_PAD_KEYS 12 /* 1-9, erase, 0, OK */
#define CR_PIN_TYPED_MAX 12

struct cr_settings_screen {
    bool locked; /* the PIN pad is shown */
    char typed[CR_PIN_TYPED_MAX + 1];
    char *pin_message; /* translated, or NULL */
    struct cr_button keys[CR_PIN_PAD_KEYS];
    enum cr_settings_page page;
    struct cr_button tabs[CR_SETTINGS_PAGES];
    struct cr_button run; /* Diagnostic: run the checks */
    char **lines;         /* the page's text, NULL-terminated; owned */
};

const char *cr_settings_page_name(enum cr_settings_page p); /* "network" … */
bool cr_settings_page_from_name(const char *name, enum cr_settings_page *out);

void cr_settings_screen_init(struct cr_settings_screen *s);
void cr_settings_screen_destroy(struct cr_settings_screen *s);
/* Replaces the page's lines (copied). */
void cr_settings_screen_set_lines(struct cr_settings_screen *s, char **lines);
/* The pad: a digit or "back" typed; false when there is no room. */
bool cr_settings_screen_type(struct cr_settings_screen *s, const char *key);
/* Forgets what was typed (zeroed). */
void cr_settings_screen_clear_typed(struct cr_settings_screen *s);
void cr_settings_screen_set_message(struct cr_settings_screen *s, const char *message);

void cr_settings_screen_draw(struct cr_settings_screen *s, struct cr_ui *ui);
/* The visible buttons (after a draw laid them out). */
size_t cr_settings_screen_buttons(struct cr_settings_screen *s, struct cr_button **out, size_t max);

#endif
