/* TEMPORARY, test-only: a minimal stand-in for input/quirks.c (another
 * branch) so the adapter tests link before it lands. It reads only what
 * tests/data/input/test.quirks uses: MatchVendor, MatchName (glob),
 * AttrResolution=x:y, ModelBinaryPressure, AttrPressureConstant.
 * tests/input/meson.build refuses to configure once input/quirks.c exists:
 * delete this file and its line there when merging. */
#include "input/quirks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cr_quirks {
    GPtrArray *files; /* GKeyFile * */
};

struct cr_quirks *cr_quirks_new(void)
{
    struct cr_quirks *q = g_new0(struct cr_quirks, 1);
    q->files = g_ptr_array_new_with_free_func((GDestroyNotify)g_key_file_unref);
    return q;
}

void cr_quirks_free(struct cr_quirks *q)
{
    if (!q)
        return;
    g_ptr_array_unref(q->files);
    g_free(q);
}

bool cr_quirks_load_file(struct cr_quirks *q, const char *path, GError **error)
{
    GKeyFile *kf = g_key_file_new();
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error)) {
        g_key_file_unref(kf);
        return false;
    }
    g_ptr_array_add(q->files, kf);
    return true;
}

void cr_quirks_load_dir(struct cr_quirks *q, const char *dir)
{
}

bool cr_quirks_match(const struct cr_quirks *q, uint16_t vendor, uint16_t product, const char *name,
                     struct cr_quirk_attrs *out)
{
    bool any = false;
    memset(out, 0, sizeof(*out));
    out->pressure_constant = 0.5;
    for (guint f = 0; f < q->files->len; f++) {
        GKeyFile *kf = g_ptr_array_index(q->files, f);
        g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
        for (char **g = groups; *g; g++) {
            g_autofree char *v = g_key_file_get_string(kf, *g, "MatchVendor", NULL);
            g_autofree char *n = g_key_file_get_string(kf, *g, "MatchName", NULL);
            if ((v && strtoul(v, NULL, 0) != vendor) || (n && !g_pattern_match_simple(n, name)))
                continue;
            g_autofree char *res = g_key_file_get_string(kf, *g, "AttrResolution", NULL);
            if (res)
                sscanf(res, "%d:%d", &out->resolution_x, &out->resolution_y);
            if (g_key_file_has_key(kf, *g, "ModelBinaryPressure", NULL))
                out->binary_pressure = g_key_file_get_boolean(kf, *g, "ModelBinaryPressure", NULL);
            if (g_key_file_has_key(kf, *g, "AttrPressureConstant", NULL))
                out->pressure_constant =
                    g_key_file_get_double(kf, *g, "AttrPressureConstant", NULL);
            if (*out->applied)
                g_strlcat(out->applied, ",", sizeof(out->applied));
            g_strlcat(out->applied, *g, sizeof(out->applied));
            any = true;
        }
    }
    return any;
}
