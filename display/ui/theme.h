/* What every screen draws with: the renderer, text, icons, the palette and
 * the fixed geometry (design pixels at 1920x1080, scaled to the output).
 * UI thread. */
#ifndef CR_THEME_H
#define CR_THEME_H

#include <stdint.h>

#include "display/draw.h"
#include "display/icons.h"
#include "display/layout.h"
#include "display/screen.h"
#include "display/text.h"

#define CR_C_BG CR_RGB(0x0f172a)
#define CR_C_BAR CR_RGB(0x1e293b)
#define CR_C_PANEL CR_RGB(0x273449)
#define CR_C_BUTTON CR_RGB(0x334155)
#define CR_C_BUTTON_ACTIVE CR_RGB(0x2563eb)
#define CR_C_PRESSED CR_RGB(0x64748b)
#define CR_C_TEXT CR_RGB(0xf8fafc)
#define CR_C_TEXT_DIM CR_RGB(0xcbd5e1)
#define CR_C_ACCENT CR_RGB(0xfacc15)
#define CR_C_WARN CR_RGB(0xf97316)
#define CR_C_CAMERA CR_RGB(0x2563eb)
#define CR_C_TABLETS CR_RGB(0x059669)
#define CR_C_ENT CR_RGB(0x7c3aed)
#define CR_C_BOARD CR_RGB(0xea580c)
#define CR_C_SETTINGS CR_RGB(0x475569)

/* Design sizes (px at 1920x1080). */
#define CR_BAR_H 136
#define CR_BUTTON_W 150
#define CR_BUTTON_H 112
#define CR_GAP 12
#define CR_FONT_LABEL 24
#define CR_FONT_BODY 34
#define CR_FONT_TITLE 48
#define CR_FONT_HUGE 72

struct cr_ui {
    struct cr_screen *screen; /* borrowed */
    SDL_Renderer *r;
    struct cr_text text;
    struct cr_icons icons;
    int64_t now_us;
};

bool cr_ui_init(struct cr_ui *ui, struct cr_screen *screen, const char *assets_dir);
void cr_ui_destroy(struct cr_ui *ui);
/* After a size change: drop caches sized for the old output. */
void cr_ui_flush(struct cr_ui *ui);

int cr_ui_px(const struct cr_ui *ui, float design_px);
struct cr_rect cr_ui_screen_rect(const struct cr_ui *ui);
/* The bottom bar, within reach of every teacher on a tall board. */
struct cr_rect cr_ui_bar_rect(const struct cr_ui *ui);
/* The area above the bar. */
struct cr_rect cr_ui_content_rect(const struct cr_ui *ui);
/* The Home button: bottom-left, the same place on every screen. */
struct cr_rect cr_ui_home_rect(const struct cr_ui *ui);

/* Where assets are: $CRAIE_DATADIR, the source tree when running from the
 * build tree, else the installed data folder. g_free. */
char *cr_ui_assets_dir(void);

#endif
