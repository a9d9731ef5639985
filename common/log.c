#include "common/log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"

static gint verbose_flag; /* atomic */
static bool to_journal;

static GMutex recent_lock;
static char *recent[CR_LOG_RECENT];                /* ring, under recent_lock */
static unsigned recent_next, recent_n;             /* under recent_lock */
static struct cr_log_kind kinds[CR_LOG_MAX_KINDS]; /* under recent_lock */
static size_t n_kinds;                             /* under recent_lock */

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

static void count_kind(GLogLevelFlags level, const char *module)
{
    if (!(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
        return;
    size_t len = strcspn(module, "/");
    struct cr_log_kind *k = NULL;
    for (size_t i = 0; i < n_kinds && !k; i++)
        if (strlen(kinds[i].kind) == len && !strncmp(kinds[i].kind, module, len))
            k = &kinds[i];
    if (!k && n_kinds < CR_LOG_MAX_KINDS) {
        k = &kinds[n_kinds++];
        g_strlcpy(k->kind, module, CR_MIN(len + 1, sizeof(k->kind)));
    }
    if (!k)
        return;
    if (level & G_LOG_LEVEL_WARNING)
        k->warnings++;
    else
        k->errors++;
}

/* Keeps the line for cr_log_recent() and counts warnings and errors. */
static void remember(GLogLevelFlags level, const char *module, const char *message)
{
    if (level & G_LOG_LEVEL_DEBUG)
        return;
    GDateTime *now = g_date_time_new_now_local();
    char *line = g_strdup_printf("%02d:%02d:%02d %s %s: %s", g_date_time_get_hour(now),
                                 g_date_time_get_minute(now), g_date_time_get_second(now), module,
                                 level_letter(level), message ? message : "");
    g_date_time_unref(now);
    g_mutex_lock(&recent_lock);
    g_free(recent[recent_next]);
    recent[recent_next] = line;
    recent_next = (recent_next + 1) % CR_LOG_RECENT;
    if (recent_n < CR_LOG_RECENT)
        recent_n++;
    count_kind(level, module);
    g_mutex_unlock(&recent_lock);
}

char **cr_log_recent(unsigned max)
{
    g_mutex_lock(&recent_lock);
    unsigned n = CR_MIN(max, recent_n);
    char **out = g_new0(char *, n + 1);
    for (unsigned i = 0; i < n; i++)
        out[i] = g_strdup(recent[(recent_next + CR_LOG_RECENT - n + i) % CR_LOG_RECENT]);
    g_mutex_unlock(&recent_lock);
    return out;
}

size_t cr_log_error_kinds(struct cr_log_kind *out, size_t max)
{
    g_mutex_lock(&recent_lock);
    size_t n = CR_MIN(max, n_kinds);
    memcpy(out, kinds, n * sizeof(*out));
    g_mutex_unlock(&recent_lock);
    return n;
}

static GLogWriterOutput writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                               gpointer user_data)
{
    if ((level & G_LOG_LEVEL_DEBUG) && !g_atomic_int_get(&verbose_flag))
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
    remember(level, module ? module : domain ? domain : "glib", message);
    if (to_journal &&
        g_log_writer_journald(level, fields, n_fields, user_data) == G_LOG_WRITER_HANDLED)
        return G_LOG_WRITER_HANDLED;
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
