#include "display/ui/theme.h"

#include <glib.h>

#include "build_config.h"
#include "common/log.h"
#include "common/util.h"

char *cr_ui_assets_dir(void)
{
    const char *env = g_getenv("CRAIE_DATADIR");
    if (env && *env)
        return g_strdup(env);
    if (cr_running_uninstalled() || !g_file_test(CR_DATADIR, G_FILE_TEST_IS_DIR))
        return g_build_filename(CR_SOURCE_ROOT, "assets", NULL);
    return g_strdup(CR_DATADIR);
}

bool cr_ui_init(struct cr_ui *ui, struct cr_screen *screen, const char *assets_dir)
{
    memset(ui, 0, sizeof(*ui));
    ui->screen = screen;
    ui->r = screen->renderer;
    char *fonts = g_build_filename(assets_dir, "fonts", NULL);
    char *icons = g_build_filename(assets_dir, "icons", NULL);
    bool ok = cr_text_init(&ui->text, fonts);
    cr_icons_init(&ui->icons, icons);
    g_free(fonts);
    g_free(icons);
    return ok;
}

void cr_ui_destroy(struct cr_ui *ui)
{
    cr_icons_destroy(&ui->icons);
    cr_text_destroy(&ui->text);
}

void cr_ui_flush(struct cr_ui *ui)
{
    cr_text_flush(&ui->text);
    cr_icons_flush(&ui->icons);
}

int cr_ui_px(const struct cr_ui *ui, float design_px)
{
    return cr_screen_px(ui->screen, design_px);
}

struct cr_rect cr_ui_screen_rect(const struct cr_ui *ui)
{
    return (struct cr_rect){0, 0, ui->screen->width, ui->screen->height};
}

struct cr_rect cr_ui_bar_rect(const struct cr_ui *ui)
{
    int h = cr_ui_px(ui, CR_BAR_H);
    return (struct cr_rect){0, ui->screen->height - h, ui->screen->width, h};
}

struct cr_rect cr_ui_content_rect(const struct cr_ui *ui)
{
    struct cr_rect bar = cr_ui_bar_rect(ui);
    return (struct cr_rect){0, 0, ui->screen->width, bar.y};
}

struct cr_rect cr_ui_home_rect(const struct cr_ui *ui)
{
    struct cr_rect bar = cr_ui_bar_rect(ui);
    int m = (bar.h - cr_ui_px(ui, CR_BUTTON_H)) / 2;
    return (struct cr_rect){m, bar.y + m, cr_ui_px(ui, 176), bar.h - 2 * m};
}
