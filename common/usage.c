#include "common/usage.h"

#include <errno.h>
#include <glib.h>
#include <string.h>

#include "common/log.h"

static const char *const feature_names[CR_USAGE_COUNT] = {
    [CR_USAGE_CAMERA] = "camera",
    [CR_USAGE_SNAPSHOT] = "snapshot",
    [CR_USAGE_SAVE] = "save",
    [CR_USAGE_WHITEBOARD] = "whiteboard",
    [CR_USAGE_TABLETS] = "tablets",
    [CR_USAGE_CAST] = "cast",
    [CR_USAGE_ENT] = "ent",
    [CR_USAGE_ENT_SIGNIN] = "ent_signin",
    [CR_USAGE_CALIBRATION] = "calibration",
    [CR_USAGE_SETTINGS] = "settings",
};

struct day {
    char date[11]; /* YYYY-MM-DD */
    uint64_t counts[CR_USAGE_COUNT];
};

struct cr_usage {
    char *path;   /* NULL: memory only */
    GArray *days; /* struct day, in date order */
    bool save_failed_logged;
};

const char *cr_usage_feature_name(enum cr_usage_feature f)
{
    return (unsigned)f < CR_USAGE_COUNT ? feature_names[f] : "?";
}

static bool valid_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
            return false;
    return true;
}

static int day_cmp(const void *a, const void *b)
{
    return strcmp(((const struct day *)a)->date, ((const struct day *)b)->date);
}

static struct day *find_day(const struct cr_usage *u, const char *date, bool create)
{
    for (guint i = 0; i < u->days->len; i++) {
        struct day *d = &g_array_index(u->days, struct day, i);
        if (!strcmp(d->date, date))
            return d;
    }
    if (!create)
        return NULL;
    struct day d = {0};
    g_strlcpy(d.date, date, sizeof(d.date));
    g_array_append_val(u->days, d);
    g_array_sort(u->days, day_cmp);
    return find_day(u, date, false);
}

static void load(struct cr_usage *u)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) err = NULL;
    if (!g_key_file_load_from_file(kf, u->path, G_KEY_FILE_NONE, &err)) {
        if (!g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            cr_warn("usage", "%s: %s (usage counts start again)", u->path, err->message);
        return;
    }
    gsize n = 0;
    g_auto(GStrv) groups = g_key_file_get_groups(kf, &n);
    for (gsize i = 0; i < n; i++) {
        if (!valid_date(groups[i]))
            continue;
        struct day *d = find_day(u, groups[i], true);
        for (int f = 0; f < CR_USAGE_COUNT; f++) {
            g_autoptr(GError) e = NULL;
            guint64 v = g_key_file_get_uint64(kf, groups[i], feature_names[f], &e);
            if (!e)
                d->counts[f] = v;
        }
    }
}

static void save(struct cr_usage *u)
{
    if (!u->path)
        return;
    while (u->days->len > CR_USAGE_DAYS_KEPT)
        g_array_remove_index(u->days, 0);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    for (guint i = 0; i < u->days->len; i++) {
        const struct day *d = &g_array_index(u->days, struct day, i);
        for (int f = 0; f < CR_USAGE_COUNT; f++)
            if (d->counts[f])
                g_key_file_set_uint64(kf, d->date, feature_names[f], d->counts[f]);
    }
    g_autofree char *dir = g_path_get_dirname(u->path);
    g_autoptr(GError) err = NULL;
    gsize len = 0;
    g_autofree char *data = g_key_file_to_data(kf, &len, NULL);
    if (g_mkdir_with_parents(dir, 0755) != 0)
        g_set_error(&err, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot create %s", dir);
    else
        g_file_set_contents_full(u->path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                 &err);
    if (err && !u->save_failed_logged) {
        cr_warn("usage", "usage counts not saved: %s (kept in memory)", err->message);
        u->save_failed_logged = true;
    }
}

struct cr_usage *cr_usage_new(const char *path)
{
    struct cr_usage *u = g_new0(struct cr_usage, 1);
    u->days = g_array_new(FALSE, TRUE, sizeof(struct day));
    if (path && *path) {
        u->path = g_strdup(path);
        load(u);
    }
    return u;
}

void cr_usage_free(struct cr_usage *u)
{
    if (!u)
        return;
    g_array_unref(u->days);
    g_free(u->path);
    g_free(u);
}

static char *today(void)
{
    GDateTime *now = g_date_time_new_now_local();
    char *s = g_date_time_format(now, "%Y-%m-%d");
    g_date_time_unref(now);
    return s;
}

void cr_usage_count(struct cr_usage *u, enum cr_usage_feature f, const char *day)
{
    g_autofree char *t = day ? NULL : today();
    if (!u || (unsigned)f >= CR_USAGE_COUNT || !valid_date(day ? day : t))
        return;
    find_day(u, day ? day : t, true)->counts[f]++;
    save(u);
}

uint64_t cr_usage_get(const struct cr_usage *u, enum cr_usage_feature f, const char *day)
{
    g_autofree char *t = day ? NULL : today();
    const struct day *d =
        u && (unsigned)f < CR_USAGE_COUNT ? find_day(u, day ? day : t, false) : NULL;
    return d ? d->counts[f] : 0;
}

uint64_t cr_usage_total(const struct cr_usage *u, enum cr_usage_feature f)
{
    uint64_t sum = 0;
    for (guint i = 0; u && (unsigned)f < CR_USAGE_COUNT && i < u->days->len; i++)
        sum += g_array_index(u->days, struct day, i).counts[f];
    return sum;
}

char *cr_usage_csv(const struct cr_usage *u)
{
    GString *out = g_string_new("date,feature,count\n");
    for (guint i = 0; u && i < u->days->len; i++) {
        const struct day *d = &g_array_index(u->days, struct day, i);
        for (int f = 0; f < CR_USAGE_COUNT; f++)
            if (d->counts[f])
                g_string_append_printf(out, "%s,%s,%" G_GUINT64_FORMAT "\n", d->date,
                                       feature_names[f], (guint64)d->counts[f]);
    }
    return g_string_free(out, FALSE);
}
