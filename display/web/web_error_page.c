/* craie's page for a site that cannot be reached: built in memory, in the
 * teacher's language, large and calm. It names the site by its host only
 * (the query string may carry a token) and points to the bar's buttons. */
#include <glib.h>

#include "common/i18n.h"
#include "display/web/web_private.h"

char *cr_web_error_page_html(const char *failing_url, enum cr_web_error_cause cause)
{
    g_autoptr(GUri) uri = failing_url ? g_uri_parse(failing_url, G_URI_FLAGS_NONE, NULL) : NULL;
    const char *host = uri ? g_uri_get_host(uri) : NULL;
    g_autofree char *host_html = g_markup_escape_text(host && *host ? host : "—", -1);
    g_autofree char *title = g_markup_escape_text(_("This page cannot be shown"), -1);
    /* The sentence is escaped first, then the (escaped) host put in. */
    const char *fmt = _("The site %s cannot be reached.");
    const char *hint_text =
        _("Check the network connection, then tap Reload. Home goes back to the first page.");
    if (cause == CR_WEB_ERROR_CERTIFICATE) {
        fmt = _("The site %s did not prove its identity (its certificate is not trusted).");
        hint_text = _("The page was not opened, to protect your session. Tell the technician "
                      "who looks after this board. Home goes back to the first page.");
    } else if (cause == CR_WEB_ERROR_CRASHED) {
        fmt = _("The site %s stopped working several times.");
        hint_text = _("Tap Reload to try again, or Home to go back to the first page.");
    }
    g_autofree char *site_fmt = g_markup_escape_text(fmt, -1);
    g_autofree char *host_b = g_strdup_printf("<b>%s</b>", host_html);
    g_autofree char *site_html = g_strdup_printf(site_fmt, host_b);
    g_autofree char *hint = g_markup_escape_text(hint_text, -1);
    return g_strdup_printf(
        "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title>"
        "<style>html,body{margin:0;height:100%%;background:#1d2733;color:#f2f2f2;"
        "font-family:sans-serif}main{display:flex;flex-direction:column;justify-content:center;"
        "align-items:center;height:100%%;text-align:center;padding:0 8%%}"
        "h1{font-size:2.6em;margin:0 0 .6em}p{font-size:1.5em;margin:.3em}"
        ".mark{font-size:4em;color:#f5a623}</style></head>"
        "<body><main><div class=\"mark\">&#9888;</div><h1>%s</h1><p>%s</p><p>%s</p></main>"
        "</body></html>",
        cr_i18n_language(), title, title, site_html, hint);
}
