/* A modal message panel (one or two big buttons) and a transient toast.
 * Used for "not available yet" tiles, errors and confirmations. UI thread. */
#ifndef CR_NOTICE_H
#define CR_NOTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "display/ui/widgets.h"

struct cr_notice {
    bool visible;
    char *icon;
    char *title; /* already translated */
    char *body;  /* already translated */
    struct cr_rect panel;
    struct cr_button buttons[2]; /* [0] = close ("OK"), [1] = optional action */
    char *action;                /* the command of buttons[1], owned */
    char *fired;                 /* the command returned by the last tap, owned */

    char *toast; /* already translated; NULL when none */
    int64_t toast_until_us;
};

void cr_notice_init(struct cr_notice *n);
void cr_notice_destroy(struct cr_notice *n);
/* Shows a panel. action_label is an English msgid (NULL: only "OK"). */
void cr_notice_show(struct cr_notice *n, const char *icon, const char *title, const char *body,
                    const char *action_label, const char *action);
void cr_notice_hide(struct cr_notice *n);
/* The close button's label (an English msgid, "OK" by default): a
 * confirmation says what closing keeps ("Keep"). */
void cr_notice_set_close_label(struct cr_notice *n, const char *label);
void cr_notice_draw(struct cr_notice *n, struct cr_ui *ui);
/* A tap while the panel is shown: returns the command to run (owned by the
 * notice until the next show/hide) or NULL; the panel is closed by any tap
 * on a button or outside it. */
const char *cr_notice_tap(struct cr_notice *n, int x, int y);
/* Highlights the button under a finger; returns true if it is over one. */
bool cr_notice_press(struct cr_notice *n, int x, int y);

void cr_toast_show(struct cr_notice *n, const char *text, int64_t now_us, int ms);
/* Draws the toast if still due; returns the µs until it expires, 0 if none. */
int64_t cr_toast_draw(struct cr_notice *n, struct cr_ui *ui);

#endif
