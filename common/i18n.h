/* Translations: gettext, domain "craie". Source strings are English; French
 * is the default language: it is used unless the configured language or
 * the locale says English. */
#ifndef CR_I18N_H
#define CR_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* language: "auto", "fr" or "en". Picks the catalogue folder (the build
 * tree's when running uninstalled) and sets LC_MESSAGES so that it is used
 * even on a machine with only the C locale. Returns the language used
 * ("fr" or "en"). Call once, before any thread starts. */
const char *cr_i18n_init(const char *language);

/* The language in use ("fr" or "en"). */
const char *cr_i18n_language(void);

#endif
