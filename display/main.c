/* craie: the classroom projector PC's launcher. */
#include <glib.h>
#include <stdio.h>

#include "common/config.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/profile.h"
#include "display/app.h"
#include "display/gst_log.h"
#include "display/sdl_log.h"
#include "display/web/web_view.h"

int main(int argc, char **argv)
{
    struct cr_config cfg;
    /* Before any thread: the web engine reads desktop settings through
     * GSettings, whose dconf backend writes ~/.cache/dconf: nothing of a
     * session may touch the disk. craie keeps no GSettings of its own. */
    g_setenv("GSETTINGS_BACKEND", "memory", FALSE);
    cr_log_init(false);
    /* Language first, so that --help is translated; re-read after the config. */
    cr_i18n_init("auto");
    cr_config_init(&cfg);
    enum cr_cli_result r = cr_config_parse_args(&cfg, argc, argv);
    if (r == CR_CLI_RUN) /* the room's signed profile, under the drop-ins and the options */
        r = cr_profile_apply(&cfg, argc, argv);
    if (r != CR_CLI_RUN) {
        cr_config_destroy(&cfg);
        return r == CR_CLI_EXIT_OK ? 0 : 2;
    }
    cr_log_set_verbose(cfg.log.verbose);
    cr_i18n_init(cfg.ui.language);
    cr_sdl_log_init(cfg.log.verbose);
    if (!cr_gst_log_init(cfg.log.verbose)) {
        cr_config_destroy(&cfg);
        return 1;
    }
    cr_web_init();
    int status = cr_app_run(&cfg);
    cr_web_shutdown();
    cr_config_destroy(&cfg);
    return status;
}
