/* Device quirks as a technician writes them: the shipped file fixes the
 * Epson pens, sections match by vendor, product and name, later entries
 * override earlier ones, and a typo costs a warning with file:line, never
 * the rest of the file. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "build_config.h"
#include "input/quirks.h"

/* Warnings logged by the "quirks" module, in order (owned strings). */
static GPtrArray *logged;

static GLogWriterOutput capture_writer(GLogLevelFlags level, const GLogField *fields,
                                       gsize n_fields, gpointer user_data)
{
    const char *module = NULL, *message = NULL;
    for (gsize i = 0; i < n_fields; i++) {
        if (!strcmp(fields[i].key, "CRAIE_MODULE"))
            module = fields[i].value;
        else if (!strcmp(fields[i].key, "MESSAGE"))
            message = fields[i].value;
    }
    if (module && !strcmp(module, "quirks") && (level & G_LOG_LEVEL_WARNING)) {
        g_ptr_array_add(logged, g_strdup(message));
        return G_LOG_WRITER_HANDLED;
    }
    if (level & G_LOG_LEVEL_DEBUG)
        return G_LOG_WRITER_HANDLED;
    return g_log_writer_default(level, fields, n_fields, user_data);
}

/* A temporary folder removed at the end of each test. */
static char *tmp_dir;

static char *write_file(const char *name, const char *data)
{
    char *path = g_build_filename(tmp_dir, name, NULL);
    GError *error = NULL;
    g_file_set_contents(path, data, -1, &error);
    g_assert_no_error(error);
    return path;
}

static struct cr_quirks *load(const char *name, const char *data)
{
    g_autofree char *path = write_file(name, data);
    struct cr_quirks *q = cr_quirks_new();
    GError *error = NULL;
    g_assert_true(cr_quirks_load_file(q, path, &error));
    g_assert_no_error(error);
    return q;
}

static void setup(void)
{
    g_ptr_array_set_size(logged, 0);
    GError *error = NULL;
    tmp_dir = g_dir_make_tmp("craie-quirks-XXXXXX", &error);
    g_assert_no_error(error);
}

static void teardown(void)
{
    GDir *d = g_dir_open(tmp_dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(tmp_dir, name, NULL);
        g_remove(path);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(tmp_dir);
    g_clear_pointer(&tmp_dir, g_free);
}

static void assert_logged(size_t i, const char *pattern)
{
    g_assert_cmpuint(logged->len, >, i);
    if (!g_pattern_match_simple(pattern, logged->pdata[i]))
        g_error("warning %zu is \"%s\", expected \"%s\"", i, (char *)logged->pdata[i], pattern);
}

static void test_matching(void)
{
    setup();
    struct cr_quirks *q = load("m.quirks", "# pens of one projector\n"
                                           "[Vendor only]\n"
                                           "MatchVendor=0x04B8\n"
                                           "AttrPressureConstant=0.7\n"
                                           "\n"
                                           "[Vendor and product]\n"
                                           "MatchVendor=0x04b8\n"
                                           "MatchProduct=0x0327;0x061B\n"
                                           "ModelBinaryPressure=1\n"
                                           "\n"
                                           "[By name]\n"
                                           "MatchName=*Epson*Pen*\n"
                                           "AttrResolution=100:80\n");
    g_assert_cmpuint(logged->len, ==, 0);
    struct cr_quirk_attrs a;

    /* Not this vendor: nothing, and the defaults. */
    g_assert_false(cr_quirks_match(q, 0x056a, 0x0327, "Wacom Pen", &a));
    g_assert_cmpint(a.resolution_x, ==, 0);
    g_assert_false(a.binary_pressure);
    g_assert_cmpfloat(a.pressure_constant, ==, 0.5);
    g_assert_cmpstr(a.applied, ==, "");

    g_assert_true(cr_quirks_match(q, 0x04b8, 0x0001, "Keyboard", &a));
    g_assert_cmpstr(a.applied, ==, "Vendor only");
    g_assert_cmpfloat(a.pressure_constant, ==, 0.7);
    g_assert_false(a.binary_pressure);

    /* Either product of the list. */
    g_assert_true(cr_quirks_match(q, 0x04b8, 0x061b, "Touch", &a));
    g_assert_cmpstr(a.applied, ==, "Vendor only,Vendor and product");
    g_assert_true(a.binary_pressure);

    /* The name glob, case ignored, on any vendor. */
    g_assert_true(cr_quirks_match(q, 0x1234, 0x5678, "EPSON Interactive PEN 2", &a));
    g_assert_cmpstr(a.applied, ==, "By name");
    g_assert_cmpint(a.resolution_x, ==, 100);
    g_assert_cmpint(a.resolution_y, ==, 80);
    g_assert_false(cr_quirks_match(q, 0x1234, 0x5678, "Epson Touch", &a));
    g_assert_false(cr_quirks_match(q, 0x1234, 0x5678, NULL, &a));

    g_assert_true(cr_quirks_match(q, 0x04b8, 0x0327, "Epson Pen", &a));
    g_assert_cmpstr(a.applied, ==, "Vendor only,Vendor and product,By name");

    /* No quirks at all. */
    g_assert_false(cr_quirks_match(NULL, 0x04b8, 0x0327, "Epson Pen", &a));
    cr_quirks_free(q);
    cr_quirks_free(NULL);
    teardown();
}

static void test_override_order(void)
{
    setup();
    /* In one file, the later section wins key by key. */
    struct cr_quirks *q = load("o.quirks", "[Broad]\n"
                                           "MatchVendor=0x04b8\n"
                                           "AttrResolution=100:100\n"
                                           "ModelBinaryPressure=1\n"
                                           "[Narrow]\n"
                                           "MatchVendor=0x04b8\n"
                                           "MatchName=*735Fi*\n"
                                           "AttrResolution=120:90\n");
    struct cr_quirk_attrs a;
    g_assert_true(cr_quirks_match(q, 0x04b8, 0x0327, "EPSON 735Fi Stylus", &a));
    g_assert_cmpint(a.resolution_x, ==, 120);
    g_assert_cmpint(a.resolution_y, ==, 90);
    g_assert_true(a.binary_pressure); /* not set by Narrow: Broad's stays */
    g_assert_cmpstr(a.applied, ==, "Broad,Narrow");
    cr_quirks_free(q);
    g_autofree char *first = g_build_filename(tmp_dir, "o.quirks", NULL);
    g_remove(first);

    /* Across files: a folder in name order, the local file after the shipped
     * one, so a technician can undo a shipped quirk. */
    g_autofree char *f1 = write_file("50-craie.quirks", "[Shipped]\n"
                                                        "MatchVendor=0x04b8\n"
                                                        "ModelBinaryPressure=1\n"
                                                        "AttrResolution=100:100\n");
    g_autofree char *f2 = write_file("90-local.quirks", "[Local]\n"
                                                        "MatchVendor=0x04b8\n"
                                                        "MatchProduct=0x0327\n"
                                                        "ModelBinaryPressure=0\n");
    g_autofree char *other = write_file("README", "[Ignored]\nMatchVendor=0x04b8\n");
    q = cr_quirks_new();
    cr_quirks_load_dir(q, tmp_dir);
    g_assert_true(cr_quirks_match(q, 0x04b8, 0x0327, "x", &a));
    g_assert_false(a.binary_pressure);
    g_assert_cmpint(a.resolution_x, ==, 100);
    g_assert_cmpstr(a.applied, ==, "Shipped,Local");

    /* A missing folder is no problem; a missing file is an error. */
    g_autofree char *missing = g_build_filename(tmp_dir, "nope", NULL);
    cr_quirks_load_dir(q, missing);
    GError *error = NULL;
    g_assert_false(cr_quirks_load_file(q, missing, &error));
    g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_clear_error(&error);
    g_assert_cmpuint(logged->len, ==, 0);
    cr_quirks_free(q);
    teardown();
}

static void test_malformed(void)
{
    setup();
    struct cr_quirks *q = load("bad.quirks", "MatchVendor=0x04b8\n"       /* 1: no section */
                                             "[Good]\n"                   /* 2 */
                                             "MatchVendor=0x04b8\n"       /* 3 */
                                             "this line means nothing\n"  /* 4 */
                                             "AttrResolution=100\n"       /* 5 */
                                             "AttrResolution=100:100\n"   /* 6 */
                                             "ModelBinaryPressure=yes\n"  /* 7 */
                                             "AttrPressureConstant=1.5\n" /* 8 */
                                             "AttrPressureConstant=0,5\n" /* 9 */
                                             "AttrFrobnicate=2\n"         /* 10 */
                                             "[Bad vendor]\n"             /* 11 */
                                             "MatchVendor=04b8\n"         /* 12 */
                                             "AttrResolution=50:50\n"     /* 13 */
                                             "[Unknown match]\n"          /* 14 */
                                             "MatchUdevType=tablet\n"     /* 15 */
                                             "AttrResolution=60:60\n"     /* 16 */
                                             "[Broken header\n"           /* 17 */
                                             "AttrResolution=70:70\n"     /* 18 */
                                             "[No match keys]\n"          /* 19 */
                                             "AttrResolution=80:80\n");   /* 20 */
    g_autofree char *path = g_build_filename(tmp_dir, "bad.quirks", NULL);
    g_autofree char *at = g_strconcat(path, ":", NULL);
    size_t i = 0;
    assert_logged(i++, "*bad.quirks:1: key 'MatchVendor' outside of a [section]*");
    assert_logged(i++, "*bad.quirks:4: 'this line means nothing' is neither*");
    assert_logged(i++, "*bad.quirks:5: invalid value '100' for AttrResolution*");
    assert_logged(i++, "*bad.quirks:7: invalid value 'yes' for ModelBinaryPressure*");
    assert_logged(i++, "*bad.quirks:8: invalid value '1.5' for AttrPressureConstant*");
    assert_logged(i++, "*bad.quirks:9: invalid value '0,5' for AttrPressureConstant*");
    assert_logged(i++, "*bad.quirks:10: unknown key 'AttrFrobnicate'*");
    assert_logged(i++, "*bad.quirks:12: invalid value '04b8' for MatchVendor*[Bad vendor]*");
    assert_logged(i++, "*bad.quirks:15: unknown match key 'MatchUdevType'*");
    assert_logged(i++, "*bad.quirks:17: section header without a closing ']'*");
    assert_logged(i++, "*bad.quirks: section [No match keys] has no Match key*");
    g_assert_cmpuint(logged->len, ==, i);
    for (size_t k = 0; k < logged->len; k++)
        g_assert_true(g_str_has_prefix(logged->pdata[k], path));

    /* What was good still applies; the broken sections apply nowhere. */
    struct cr_quirk_attrs a;
    g_assert_true(cr_quirks_match(q, 0x04b8, 0x0327, "pen", &a));
    g_assert_cmpstr(a.applied, ==, "Good");
    g_assert_cmpint(a.resolution_x, ==, 100);
    g_assert_false(a.binary_pressure);
    g_assert_cmpfloat(a.pressure_constant, ==, 0.5);
    cr_quirks_free(q);

    /* Binary junk and a NUL byte: warnings, no crash. */
    g_ptr_array_set_size(logged, 0);
    g_autofree char *junk = g_build_filename(tmp_dir, "junk.quirks", NULL);
    const char bytes[] = "[S]\nMatchName=a\0b\n\xff\xfe=\x01\nMatchVendor=0x04b8\n";
    GError *error = NULL;
    g_file_set_contents(junk, bytes, sizeof(bytes) - 1, &error);
    g_assert_no_error(error);
    q = cr_quirks_new();
    g_assert_true(cr_quirks_load_file(q, junk, &error));
    g_assert_cmpuint(logged->len, ==, 2);
    g_assert_true(cr_quirks_match(q, 0x04b8, 1, "a", &a));
    cr_quirks_free(q);
    teardown();
}

static void test_shipped_file(void)
{
    const char *root = g_getenv("CRAIE_SOURCE_ROOT");
    g_autofree char *path =
        g_build_filename(root ? root : CR_SOURCE_ROOT, "assets", "quirks", "50-craie.quirks", NULL);
    g_ptr_array_set_size(logged, 0);
    struct cr_quirks *q = cr_quirks_new();
    GError *error = NULL;
    g_assert_true(cr_quirks_load_file(q, path, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(logged->len, ==, 0);

    /* The BrightLink 735Fi's two styli, as the kernel names them
     * (linuxwacom/wacom-hid-descriptors#609): a resolution so that libinput
     * takes them, and their 0 → 32767 pressure replaced by a constant. */
    struct cr_quirk_attrs a;
    g_assert_true(cr_quirks_match(q, 0x04b8, 0x0327, "EPSON EPSON EPSON 735Fi Stylus", &a));
    g_assert_cmpint(a.resolution_x, ==, 100);
    g_assert_cmpint(a.resolution_y, ==, 100);
    g_assert_true(a.binary_pressure);
    g_assert_cmpfloat(a.pressure_constant, >, 0);
    g_assert_cmpfloat(a.pressure_constant, <=, 1);
    g_test_message("applied: %s", a.applied);
    /* Other Epson pen names. */
    g_assert_true(cr_quirks_match(q, 0x04b8, 0x0001, "Epson Interactive Pen", &a));
    g_assert_true(a.binary_pressure);
    /* Its touch unit works as it is: no quirk. */
    g_assert_false(cr_quirks_match(q, 0x04b8, 0x0327, "EPSON EPSON EPSON 735Fi", &a));
    /* Nor for other vendors' pens. */
    g_assert_false(cr_quirks_match(q, 0x056a, 0x0327, "Wacom Pen stylus", &a));
    cr_quirks_free(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    logged = g_ptr_array_new_with_free_func(g_free);
    g_log_set_writer_func(capture_writer, NULL, NULL);
    g_test_add_func("/quirks/matching", test_matching);
    g_test_add_func("/quirks/override-order", test_override_order);
    g_test_add_func("/quirks/malformed", test_malformed);
    g_test_add_func("/quirks/shipped-file", test_shipped_file);
    int result = g_test_run();
    g_ptr_array_free(logged, TRUE);
    return result;
}
