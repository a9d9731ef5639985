/* The control bar of a video or audio tile: a big play/pause button, the
 * time, a seek bar (tap or drag to seek), the volume (a mute button and a
 * slider) and full screen. Drawn in a rect from a player's state; a touch
 * is turned into an action by hit-testing. UI thread. */
#ifndef CR_MEDIA_BAR_H
#define CR_MEDIA_BAR_H

#include <stdbool.h>

#include "display/player/player.h"
#include "display/ui/theme.h"

enum cr_media_bar_action {
    CR_MEDIA_BAR_NONE,
    CR_MEDIA_BAR_TOGGLE,     /* play or pause */
    CR_MEDIA_BAR_SEEK,       /* value: the fraction 0..1 to go to */
    CR_MEDIA_BAR_VOLUME,     /* value: the volume 0..100 */
    CR_MEDIA_BAR_MUTE,       /* the volume button: mute, or back to the volume before */
    CR_MEDIA_BAR_FULLSCREEN, /* the tile alone on the board, or back */
};

struct cr_media_bar {
    /* Where the parts were last drawn (screen pixels). */
    struct cr_rect rect, play, time, seek, mute, volume, fullscreen;
    bool seekable;
    /* A drag that started on the seek bar or the volume slider. */
    enum cr_media_bar_action dragging;
};

/* The bar's height for a tile: comfortable for a finger on the board. */
int cr_media_bar_height(const struct cr_ui *ui);
/* Lays the parts out in rect and draws them. fullscreen: the tile is alone
 * on the board (the button then offers to come back). */
void cr_media_bar_draw(struct cr_media_bar *bar, struct cr_ui *ui, struct cr_rect rect,
                       const struct cr_player_state *st, bool fullscreen);
/* What a tap at (x, y) does, from the last drawn layout; *value is set for
 * SEEK and VOLUME. A press on the seek bar or the volume slider starts a
 * drag that cr_media_bar_drag() follows until cr_media_bar_release(). */
enum cr_media_bar_action cr_media_bar_press(struct cr_media_bar *bar, int x, int y, double *value);
/* The finger moved: SEEK or VOLUME with the new *value while dragging,
 * else NONE. */
enum cr_media_bar_action cr_media_bar_drag(struct cr_media_bar *bar, int x, int y, double *value);
void cr_media_bar_release(struct cr_media_bar *bar);
/* "1:05 / 3:20", "1:02:03" past an hour; "--:--" while unknown. */
void cr_media_bar_format_time(int64_t ms, char *out, size_t size);

#endif
