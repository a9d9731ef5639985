#include "common/i18n.h"

#include <glib.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "build_config.h"
#include "common/log.h"
#include "common/util.h"

static const char *current = "fr";

/* True when the user's locale variables ask for English first. */
static bool locale_wants_english(void)
{
    const char *vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < G_N_ELEMENTS(vars); i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        if (!strcmp(v, "C") || !strcmp(v, "POSIX") || !strncmp(v, "C.", 2))
            continue;
        return !strncmp(v, "en", 2);
    }
    return false;
}

static const char *catalogue_dir(void)
{
    /* Running from the build tree: use its freshly built catalogues. */
    if (cr_running_uninstalled() || g_getenv("CRAIE_BUILD_ROOT"))
        return CR_BUILD_ROOT "/po/locale";
    return CR_LOCALEDIR;
}

const char *cr_i18n_init(const char *language)
{
    setlocale(LC_ALL, "");
    bool english;
    if (language && !strcmp(language, "en"))
        english = true;
    else if (language && !strcmp(language, "fr"))
        english = false;
    else
        english = locale_wants_english();
    current = english ? "en" : "fr";

    /* gettext ignores LANGUAGE in the "C" locale: move to C.UTF-8, which
     * every glibc has, so the choice holds on a bare appliance. */
    const char *msg_locale = setlocale(LC_MESSAGES, NULL);
    if (!msg_locale || !strcmp(msg_locale, "C") || !strcmp(msg_locale, "POSIX"))
        setlocale(LC_MESSAGES, "C.UTF-8");
    setenv("LANGUAGE", current, 1);

    bindtextdomain("craie", catalogue_dir());
    bind_textdomain_codeset("craie", "UTF-8");
    textdomain("craie");
    return current;
}

const char *cr_i18n_language(void)
{
    return current;
}
