/* The on-screen keyboard for typing a password on the board (AZERTY). It
 * never shows which key was touched: no highlight, no pop-up, and its one
 * modifier (Maj: the next letter in capitals) has no visible state, so the
 * class sees the same keyboard before and after every key. UI thread. */
#ifndef CR_KEYBOARD_H
#define CR_KEYBOARD_H

#include <stdbool.h>

#include "display/ui/widgets.h"

enum { CR_KEYBOARD_KEYS = 56 };

enum cr_key_kind {
    CR_KEY_CHAR,
    CR_KEY_SHIFT,
    CR_KEY_BACKSPACE,
    CR_KEY_SPACE,
    CR_KEY_NEXT,   /* the next field */
    CR_KEY_SUBMIT, /* sign in */
};

struct cr_keyboard {
    struct cr_button keys[CR_KEYBOARD_KEYS]; /* action "ent key" (typed on the board only) */
    enum cr_key_kind kinds[CR_KEYBOARD_KEYS];
    char chars[CR_KEYBOARD_KEYS][4]; /* the character (and label) of CR_KEY_CHAR keys */
    int n_keys;
    bool shift;        /* one shot, never drawn */
    bool show_pressed; /* keys light up while touched (web pages; never for a password) */
};

void cr_keyboard_init(struct cr_keyboard *kb);
/* Lays the keys out in area and draws them. */
void cr_keyboard_draw(struct cr_keyboard *kb, struct cr_ui *ui, struct cr_rect area);

enum cr_key_result {
    CR_KEY_NONE,    /* not on a key (or the modifier) */
    CR_KEY_TEXT,    /* text[] holds the character (UTF-8, NUL-terminated) */
    CR_KEY_ERASE,   /* erase the last character */
    CR_KEY_FORWARD, /* next field */
    CR_KEY_DONE,    /* sign in */
};

/* A tap at (x, y). text must hold 8 bytes; the caller zeroes it after. */
enum cr_key_result cr_keyboard_tap(struct cr_keyboard *kb, int x, int y, char *text);
/* The same for key i (a tap on keys[i]); CR_KEY_NONE when out of range. */
enum cr_key_result cr_keyboard_key(struct cr_keyboard *kb, int i, char *text);
/* Forgets the modifier (the form was closed). */
void cr_keyboard_reset(struct cr_keyboard *kb);

#endif
