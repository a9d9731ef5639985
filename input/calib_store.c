#include "input/calib_store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "common/log.h"

#define STORE_FILE "calibrations.conf"
#define RULES_FILE "libinput.rules"

struct entry {
    char *device_key;
    char *output;
    char *name;
    uint16_t vendor, product;
    struct cr_calib calib;
    int64_t saved_unix; /* when it was made (seconds since 1970); 0: unknown */
};

struct cr_calib_store {
    char *dir;          /* NULL: memory only */
    GPtrArray *entries; /* struct entry * */
};

static void entry_free(gpointer p)
{
    struct entry *e = p;
    g_free(e->device_key);
    g_free(e->output);
    g_free(e->name);
    g_free(e);
}

static char *group_name(const char *device_key, const char *output)
{
    return g_strdup_printf("%s@%s", device_key, output);
}

static struct entry *find(const struct cr_calib_store *s, const char *device_key,
                          const char *output)
{
    for (guint i = 0; i < s->entries->len; i++) {
        struct entry *e = s->entries->pdata[i];
        if (!strcmp(e->device_key, device_key) && !strcmp(e->output, output))
            return e;
    }
    return NULL;
}

static void load(struct cr_calib_store *s)
{
    g_autofree char *path = g_build_filename(s->dir, STORE_FILE, NULL);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    GError *err = NULL;
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &err)) {
        if (!g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            cr_warn("calib", "%s: %s (calibrations ignored: calibrate again)", path, err->message);
        g_error_free(err);
        return;
    }
    gsize n = 0;
    g_auto(GStrv) groups = g_key_file_get_groups(kf, &n);
    for (gsize i = 0; i < n; i++) {
        const char *at = strrchr(groups[i], '@');
        g_autofree char *text = g_key_file_get_string(kf, groups[i], "calibration", NULL);
        struct cr_calib c;
        if (!at || at == groups[i] || !at[1] || !text || !cr_calib_from_string(text, &c)) {
            cr_warn("calib", "%s: [%s] is damaged: ignored (calibrate this device again)", path,
                    groups[i]);
            continue;
        }
        struct entry *e = g_new0(struct entry, 1);
        e->device_key = g_strndup(groups[i], (gsize)(at - groups[i]));
        e->output = g_strdup(at + 1);
        e->name = g_key_file_get_string(kf, groups[i], "name", NULL);
        if (!e->name)
            e->name = g_strdup("");
        e->vendor = (uint16_t)g_key_file_get_integer(kf, groups[i], "vendor", NULL);
        e->product = (uint16_t)g_key_file_get_integer(kf, groups[i], "product", NULL);
        e->calib = c;
        e->saved_unix = g_key_file_get_int64(kf, groups[i], "saved", NULL);
        g_ptr_array_add(s->entries, e);
    }
    cr_info("calib", "%u calibration(s) loaded from %s", s->entries->len, path);
}

struct cr_calib_store *cr_calib_store_new(const char *dir)
{
    struct cr_calib_store *s = g_new0(struct cr_calib_store, 1);
    s->entries = g_ptr_array_new_with_free_func(entry_free);
    if (dir && *dir) {
        s->dir = g_strdup(dir);
        load(s);
    }
    return s;
}

void cr_calib_store_free(struct cr_calib_store *s)
{
    if (!s)
        return;
    g_ptr_array_unref(s->entries);
    g_free(s->dir);
    g_free(s);
}

bool cr_calib_store_get(const struct cr_calib_store *s, const char *device_key, const char *output,
                        struct cr_calib *out)
{
    const struct entry *e = find(s, device_key, output);
    if (e && out)
        *out = e->calib;
    return e != NULL;
}

size_t cr_calib_store_count(const struct cr_calib_store *s)
{
    return s->entries->len;
}

bool cr_calib_udev_name_ok(const char *name)
{
    if (!name || !*name || !g_utf8_validate(name, -1, NULL))
        return false;
    for (const char *p = name; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        /* udev match values are glob patterns: keep them literal too */
        if (ch < 0x20 || ch == 0x7f || strchr("\"\\*?[]|", ch))
            return false;
    }
    return true;
}

char *cr_calib_store_udev_rules(const struct cr_calib_store *s)
{
    GString *out = g_string_new("# Written by craie: the affine part of each calibration, so that\n"
                                "# other programs on this PC agree with craie. Installed by\n"
                                "# craie-calibration-export; edit with craie, not by hand.\n");
    for (guint i = 0; i < s->entries->len; i++) {
        const struct entry *e = s->entries->pdata[i];
        float m[6];
        cr_calib_libinput_matrix(&e->calib, m);
        char num[6][G_ASCII_DTOSTR_BUF_SIZE];
        for (int k = 0; k < 6; k++)
            g_ascii_formatd(num[k], sizeof(num[k]), "%.6f", m[k]);
        g_string_append_printf(out,
                               "ACTION!=\"remove\", SUBSYSTEM==\"input\", KERNEL==\"event*\", "
                               "ATTRS{id/vendor}==\"%04x\", ATTRS{id/product}==\"%04x\"",
                               e->vendor, e->product);
        if (cr_calib_udev_name_ok(e->name))
            g_string_append_printf(out, ", ATTRS{name}==\"%s\"", e->name);
        g_string_append_printf(out, ", ENV{LIBINPUT_CALIBRATION_MATRIX}=\"%s %s %s %s %s %s\"\n",
                               num[0], num[1], num[2], num[3], num[4], num[5]);
    }
    return g_string_free(out, FALSE);
}

static bool save(struct cr_calib_store *s, GError **error)
{
    if (!s->dir)
        return true;
    if (g_mkdir_with_parents(s->dir, 0755) != 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot create %s: %s", s->dir,
                    g_strerror(e));
        return false;
    }
    g_autoptr(GKeyFile) kf = g_key_file_new();
    for (guint i = 0; i < s->entries->len; i++) {
        const struct entry *e = s->entries->pdata[i];
        g_autofree char *group = group_name(e->device_key, e->output);
        g_autofree char *text = cr_calib_to_string(&e->calib);
        g_key_file_set_string(kf, group, "calibration", text);
        g_key_file_set_string(kf, group, "name", e->name);
        g_key_file_set_integer(kf, group, "vendor", e->vendor);
        g_key_file_set_integer(kf, group, "product", e->product);
        g_key_file_set_string(kf, group, "model", cr_calib_model_name(e->calib.model));
        if (e->saved_unix > 0)
            g_key_file_set_int64(kf, group, "saved", e->saved_unix);
    }
    g_autofree char *path = g_build_filename(s->dir, STORE_FILE, NULL);
    g_autofree char *rules_path = g_build_filename(s->dir, RULES_FILE, NULL);
    g_autofree char *rules = cr_calib_store_udev_rules(s);
    if (!g_key_file_save_to_file(kf, path, error))
        return false;
    return g_file_set_contents_full(rules_path, rules, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                    error);
}

bool cr_calib_store_set(struct cr_calib_store *s, const struct cr_calib_device_id *dev,
                        const char *output, const struct cr_calib *c, GError **error)
{
    struct entry *e = find(s, dev->key, output);
    if (!e) {
        e = g_new0(struct entry, 1);
        e->device_key = g_strdup(dev->key);
        e->output = g_strdup(output);
        g_ptr_array_add(s->entries, e);
    }
    g_free(e->name);
    e->name = g_strdup(dev->name ? dev->name : "");
    e->vendor = dev->vendor;
    e->product = dev->product;
    e->calib = *c;
    e->saved_unix = g_get_real_time() / G_USEC_PER_SEC;
    return save(s, error);
}

int64_t cr_calib_store_saved_at(const struct cr_calib_store *s, const char *device_key,
                                const char *output)
{
    const struct entry *e = find(s, device_key, output);
    return e ? e->saved_unix : 0;
}

bool cr_calib_store_remove(struct cr_calib_store *s, const char *device_key, const char *output,
                           GError **error)
{
    struct entry *e = find(s, device_key, output);
    if (!e)
        return true;
    g_ptr_array_remove(s->entries, e);
    return save(s, error);
}
