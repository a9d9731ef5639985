/* Big touch buttons: an icon over a label, one action each. UI thread. */
#ifndef CR_WIDGETS_H
#define CR_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "display/ui/theme.h"

struct cr_button {
    const char *action; /* the command it runs, as on the control socket ("camera freeze") */
    const char *icon;   /* assets/icons/NAME.svg */
    const char *label;  /* English msgid, translated when drawn */
    struct cr_rect rect;
    struct cr_color color; /* background; alpha 0 = the default button colour */
    bool visible;
    bool enabled;
    bool active;  /* a toggle that is on */
    bool pressed; /* a finger is on it */
};

void cr_button_draw(struct cr_ui *ui, const struct cr_button *b);
/* Index of the visible, enabled button at (x, y), or -1. */
int cr_buttons_hit(const struct cr_button *buttons, size_t n, int x, int y);
void cr_buttons_set_pressed(struct cr_button *buttons, size_t n, int index);
/* Lays the visible buttons out left to right in area, each w wide and area.h
 * high, gap apart, centred as a group. */
void cr_buttons_layout_row(struct cr_button *buttons, size_t n, struct cr_rect area, int w,
                           int gap);

#endif
