/* The screen craie boots into: a greeting with the time, and one big tile
 * per job. UI thread. */
#ifndef CR_LAUNCHER_H
#define CR_LAUNCHER_H

#include "display/ui/widgets.h"

enum { CR_LAUNCHER_TILES = 6 };

struct cr_launcher {
    struct cr_button tiles[CR_LAUNCHER_TILES];
};

void cr_launcher_init(struct cr_launcher *l);
void cr_launcher_layout(struct cr_launcher *l, struct cr_ui *ui);
void cr_launcher_draw(struct cr_launcher *l, struct cr_ui *ui);
/* The command of the tile at (x, y) ("open camera"...), or NULL. */
const char *cr_launcher_hit(struct cr_launcher *l, int x, int y);
bool cr_launcher_press(struct cr_launcher *l, int x, int y);
/* µs until the clock shown changes. */
int64_t cr_launcher_next_tick_us(void);

#endif
