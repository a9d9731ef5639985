/* The control bar of a web tile: Précédent, Suivant, Recharger, Accueil, Clavier as
 * big targets, and a progress line along its top edge while a page loads.
 * It draws in any rect (the tile's own strip) and hit-tests a tap; the
 * caller runs the action on its web view. UI thread. */
#ifndef CR_WEB_BAR_H
#define CR_WEB_BAR_H

#include <stdbool.h>

#include "display/ui/widgets.h"
#include "display/web/web_view.h"

enum cr_web_bar_action {
    CR_WEB_BAR_NONE = -1,
    CR_WEB_BAR_BACK,
    CR_WEB_BAR_FORWARD,
    CR_WEB_BAR_RELOAD,
    CR_WEB_BAR_HOME,
    CR_WEB_BAR_KEYBOARD, /* shows/hides the on-screen keyboard (the tile's own) */
    CR_WEB_BAR_COUNT,
};

struct cr_web_bar {
    struct cr_button buttons[CR_WEB_BAR_COUNT];
    struct cr_rect rect;
    bool loading;
    double progress; /* 0..1 */
};

void cr_web_bar_init(struct cr_web_bar *bar);
/* From the view's state: Précédent/Suivant enabled as history allows, the
 * progress line shown while loading. */
void cr_web_bar_update(struct cr_web_bar *bar, const struct cr_web_state *state);
/* Lays out and draws the bar in rect (buttons centred, the progress
 * line along the top edge). */
void cr_web_bar_draw(struct cr_web_bar *bar, struct cr_ui *ui, struct cr_rect rect);
/* The action under (x, y) in the last drawn layout, or CR_WEB_BAR_NONE. */
enum cr_web_bar_action cr_web_bar_hit(const struct cr_web_bar *bar, int x, int y);
/* Runs action on view (Clavier: nothing, the tile shows its keyboard). */
void cr_web_bar_apply(enum cr_web_bar_action action, struct cr_web_view *view);

#endif
