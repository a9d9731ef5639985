/* craie as a systemd service (common/service.h): the notifications at the
 * right moments of the app's life, the UI heartbeat, the "Redémarrage…"
 * splash and toast after a restart, and the injected hangs of the watchdog
 * test (CRAIE_TEST_HANG=1 only). UI thread unless said otherwise. */
#include <glib.h>
#include <string.h>

#include "build_config.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"

enum { HANG_NONE, HANG_UI };

void cr_app_service_init(struct cr_app *app)
{
    cr_service_init(&app->service);
}

/* Right after the window exists, before the slower start (camera, casting,
 * ENT): a craie that replaces a failed one says so at once. */
void cr_app_service_splash(struct cr_app *app)
{
    if (!app->service.restarted)
        return;
    struct cr_ui *ui = &app->ui;
    struct cr_rect screen = cr_ui_screen_rect(ui);
    cr_draw_rect(ui->r, screen, CR_C_BG);
    int title = cr_ui_px(ui, CR_FONT_HUGE), body = cr_ui_px(ui, CR_FONT_BODY);
    int y = screen.h / 2 - title;
    cr_text_draw(&ui->text, ui->r, _("Restarting…"), title, true, CR_C_TEXT, screen.w / 2, y,
                 CR_ALIGN_CENTER, screen.w - cr_ui_px(ui, 80));
    cr_text_draw(&ui->text, ui->r, _("craie will be back in a moment."), body, false, CR_C_TEXT_DIM,
                 screen.w / 2, y + title + cr_ui_px(ui, 40), CR_ALIGN_CENTER,
                 screen.w - cr_ui_px(ui, 80));
    cr_screen_present(&app->screen);
}

/* Just before the loop. */
void cr_app_service_started(struct cr_app *app)
{
    cr_info("service", "waiting for the first frame");
}

/* io thread: never returns (the watchdog test's hung io thread). */
static gboolean hang_io(gpointer data)
{
    cr_warn("service", "test: the io thread hangs now");
    for (;;)
        g_usleep(G_USEC_PER_SEC);
    return G_SOURCE_REMOVE;
}

void cr_app_service_turn(struct cr_app *app)
{
    if (app->test_hang == HANG_UI) {
        cr_warn("service", "test: the display thread hangs now");
        for (;;)
            g_usleep(G_USEC_PER_SEC);
    }
    cr_service_heartbeat(&app->service, cr_monotonic_us());
}

int cr_app_service_wait(struct cr_app *app, int timeout_ms)
{
    int max = cr_service_max_wait_ms(&app->service);
    if (max < 0)
        return timeout_ms;
    return timeout_ms < 0 ? max : CR_MIN(timeout_ms, max);
}

void cr_app_service_presented(struct cr_app *app)
{
    if (app->service_ready)
        return;
    app->service_ready = true;
    /* The launcher is on screen: systemd may consider craie started. */
    g_autofree char *msg = g_strdup_printf("STATUS=craie %s on the %s screen", CR_VERSION,
                                           cr_screen_id_name(app->current));
    cr_service_ready(&app->service, msg);
    /* After a failure, the teacher reads why the board went away, for 10 s
     * from now that the launcher is back (however long the start took). */
    if (app->service.restarted) {
        cr_toast_show(&app->notice, _("craie restarted after a problem. Everything is back."),
                      cr_monotonic_us(), 10000);
        app->dirty = true;
    }
}

void cr_app_service_stopping(struct cr_app *app)
{
    cr_service_notify(&app->service, "STOPPING=1\nSTATUS=stopping");
}

/* io thread, during shutdown */
void cr_app_service_io_shutdown(struct cr_app *app)
{
    cr_service_stop_watchdog(&app->service);
}

void cr_app_service_destroy(struct cr_app *app, bool clean_exit)
{
    cr_service_destroy(&app->service, clean_exit);
}

bool cr_app_test_hang(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    if (g_strcmp0(g_getenv("CRAIE_TEST_HANG"), "1")) {
        *error = g_strdup("test-hang is for the watchdog test only (CRAIE_TEST_HANG=1)");
        return false;
    }
    if (!strcmp(args[0], "ui")) {
        app->test_hang = HANG_UI; /* at the next loop turn, after this reply */
    } else if (!strcmp(args[0], "io")) {
        /* A moment later, so that this reply leaves first. */
        GSource *t = g_timeout_source_new(300);
        g_source_set_callback(t, hang_io, NULL, NULL);
        g_source_attach(t, app->io.ctx);
        g_source_unref(t);
    } else {
        *error = g_strdup("usage: test-hang ui|io");
        return false;
    }
    return true;
}
