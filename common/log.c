#include "common/log.h"

#include <stdio.h>
#include <unistd.h>

#include "common/util.h"

static gint verbose_flag; /* atomic */
static bool to_journal;

static const char *level_letter(GLogLevelFlags level)
{
    if (level & G_LOG_LEVEL_ERROR)
        return "E";
    if (level & G_LOG_LEVEL_CRITICAL)
        return "E";
    if (level & G_LOG_LEVEL_WARNING)
        return "W";
    if (level & G_LOG_LEVEL_MESSAGE)
        return "N";
    if (level & G_LOG_LEVEL_INFO)
        return "I";
    return "D";
}

static GLogWriterOutput writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                               gpointer user_data)
{
    if ((level & G_LOG_LEVEL_DEBUG) && !g_atomic_int_get(&verbose_flag))
        return G_LOG_WRITER_HANDLED;
    if (to_journal &&
        g_log_writer_journald(level, fields, n_fields, user_data) == G_LOG_WRITER_HANDLED)
        return G_LOG_WRITER_HANDLED;

    const char *module = NULL, *message = NULL, *domain = NULL;
    for (gsize i = 0; i < n_fields; i++) {
        if (!g_strcmp0(fields[i].key, "CRAIE_MODULE"))
            module = fields[i].value;
        else if (!g_strcmp0(fields[i].key, "MESSAGE"))
            message = fields[i].value;
        else if (!g_strcmp0(fields[i].key, "GLIB_DOMAIN"))
            domain = fields[i].value;
    }
    fprintf(stderr, "craie[%s] %s: %s\n",
            module   ? module
            : domain ? domain
                     : "glib",
            level_letter(level), message ? message : "");
    return G_LOG_WRITER_HANDLED;
}

void cr_log_init(bool verbose)
{
    g_atomic_int_set(&verbose_flag, verbose);
    to_journal = g_log_writer_is_journald(fileno(stderr));
    g_log_set_writer_func(writer, NULL, NULL);
}

void cr_log_set_verbose(bool verbose)
{
    g_atomic_int_set(&verbose_flag, verbose);
}

bool cr_log_is_verbose(void)
{
    return g_atomic_int_get(&verbose_flag);
}

void cr_logv(GLogLevelFlags level, const char *module, const char *fmt, va_list ap)
{
    if ((level & G_LOG_LEVEL_DEBUG) && !g_atomic_int_get(&verbose_flag))
        return;
    char *msg = g_strdup_vprintf(fmt, ap);
    const GLogField fields[] = {
        {"MESSAGE", msg, -1},
        {"CRAIE_MODULE", module ? module : "craie", -1},
        {"SYSLOG_IDENTIFIER", "craie", -1},
        {"GLIB_DOMAIN", "craie", -1},
    };
    g_log_structured_array(level, fields, G_N_ELEMENTS(fields));
    g_free(msg);
}

void cr_log(GLogLevelFlags level, const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cr_logv(level, module, fmt, ap);
    va_end(ap);
}

bool cr_ratelimit_allow(struct cr_ratelimit *rl)
{
    int64_t now = cr_monotonic_us();
    if (now - rl->window_start > rl->interval_us) {
        rl->window_start = now;
        rl->count = 0;
    }
    if (rl->count < rl->burst) {
        rl->count++;
        return true;
    }
    rl->suppressed++;
    return false;
}
