#include "display/gst_log.h"

#include <gst/gst.h>

#include "common/log.h"

static void gst_log(GstDebugCategory *category, GstDebugLevel level, const gchar *file,
                    const gchar *function, gint line, GObject *object, GstDebugMessage *message,
                    gpointer user_data)
{
    GLogLevelFlags flags;
    switch (level) {
    case GST_LEVEL_ERROR:
        flags = G_LOG_LEVEL_CRITICAL;
        break;
    case GST_LEVEL_WARNING:
    case GST_LEVEL_FIXME:
        flags = G_LOG_LEVEL_WARNING;
        break;
    case GST_LEVEL_INFO:
        flags = G_LOG_LEVEL_INFO;
        break;
    default:
        flags = G_LOG_LEVEL_DEBUG;
        break;
    }
    const char *text = gst_debug_message_get(message);
    cr_log(flags, "gst", "%s: %s", gst_debug_category_get_name(category), text ? text : "");
}

bool cr_gst_log_init(bool verbose)
{
    GError *err = NULL;
    if (!gst_init_check(NULL, NULL, &err)) {
        cr_err("gst", "GStreamer cannot start: %s", err ? err->message : "?");
        g_clear_error(&err);
        return false;
    }
    gst_debug_remove_log_function(gst_debug_log_default);
    gst_debug_add_log_function(gst_log, NULL, NULL);
    if (!g_getenv("GST_DEBUG"))
        gst_debug_set_default_threshold(verbose ? GST_LEVEL_INFO : GST_LEVEL_WARNING);
    return true;
}
