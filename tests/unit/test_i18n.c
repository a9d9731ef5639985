/* French is the default language, English only when asked for. Each case runs
 * in a subprocess: gettext state is process-wide. */
#include <glib.h>
#include <stdlib.h>

#include "common/i18n.h"

static void expect(const char *lang_env, const char *config, const char *want_lang,
                   const char *want_text)
{
    if (g_test_subprocess()) {
        g_unsetenv("LC_ALL");
        g_unsetenv("LC_MESSAGES");
        g_unsetenv("LANGUAGE");
        if (lang_env)
            g_setenv("LANG", lang_env, TRUE);
        else
            g_unsetenv("LANG");
        const char *got = cr_i18n_init(config);
        g_assert_cmpstr(got, ==, want_lang);
        g_assert_cmpstr(cr_i18n_language(), ==, want_lang);
        g_assert_cmpstr(_("Camera"), ==, want_text);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

static void test_bare_machine_is_french(void)
{
    expect(NULL, "auto", "fr", "Caméra");
}

static void test_c_locale_is_french(void)
{
    expect("C", "auto", "fr", "Caméra");
}

static void test_french_locale(void)
{
    expect("fr_FR.UTF-8", "auto", "fr", "Caméra");
}

static void test_english_locale(void)
{
    expect("en_GB.UTF-8", "auto", "en", "Camera");
}

static void test_other_locale_falls_back_to_french(void)
{
    expect("de_DE.UTF-8", "auto", "fr", "Caméra");
}

static void test_config_overrides_locale(void)
{
    expect("fr_FR.UTF-8", "en", "en", "Camera");
}

static void test_config_french_over_english_locale(void)
{
    expect("en_US.UTF-8", "fr", "fr", "Caméra");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i18n/bare-machine-is-french", test_bare_machine_is_french);
    g_test_add_func("/i18n/c-locale-is-french", test_c_locale_is_french);
    g_test_add_func("/i18n/french-locale", test_french_locale);
    g_test_add_func("/i18n/english-locale", test_english_locale);
    g_test_add_func("/i18n/other-locale-falls-back-to-french",
                    test_other_locale_falls_back_to_french);
    g_test_add_func("/i18n/config-overrides-locale", test_config_overrides_locale);
    g_test_add_func("/i18n/config-french-over-english-locale",
                    test_config_french_over_english_locale);
    return g_test_run();
}
