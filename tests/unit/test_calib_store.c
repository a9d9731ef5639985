/* Calibrations survive a restart, a damaged file never stops craie, and the
 * udev export is both what libinput expects and safe to install as root:
 * the privileged helper refuses anything that is not a calibration rule. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "input/calib_store.h"
#include "tests/unit/unit_test.h"

/* Warnings of the "calib" module are expected in some tests: counted, not fatal. */
static unsigned calib_warnings;

static GLogWriterOutput capture_writer(GLogLevelFlags level, const GLogField *fields,
                                       gsize n_fields, gpointer user_data)
{
    for (gsize i = 0; i < n_fields; i++) {
        if (!strcmp(fields[i].key, "CRAIE_MODULE") && !strcmp(fields[i].value, "calib") &&
            (level & G_LOG_LEVEL_WARNING)) {
            calib_warnings++;
            return G_LOG_WRITER_HANDLED;
        }
    }
    return g_log_writer_default(level, fields, n_fields, user_data);
}

static char *tmp_dir(void)
{
    GError *err = NULL;
    char *dir = g_dir_make_tmp("craie-calib-XXXXXX", &err);
    g_assert_no_error(err);
    return dir;
}

/* A keystoned projector's calibration: a homography with perspective. */
static void keystone(struct cr_calib *c)
{
    struct cr_calib_point pts[9];
    double t[9][2];
    g_assert_cmpuint(cr_calib_targets(9, 1920, 1080, t), ==, 9);
    for (int i = 0; i < 9; i++) {
        double u = t[i][0] / 1920, v = t[i][1] / 1080;
        /* the image is narrower at the top: raw x spreads with v */
        double w = 0.9 + 0.1 * v;
        pts[i] = (struct cr_calib_point){.raw_x = 0.5 + (u - 0.5) * w,
                                         .raw_y = v * (0.95 + 0.05 * v),
                                         .screen_x = t[i][0],
                                         .screen_y = t[i][1]};
    }
    char err[160];
    g_assert_true(cr_calib_fit(CR_CALIB_PROJECTIVE, pts, 9, 1920, 1080, c, err, sizeof(err)));
}

static const struct cr_calib_device_id pen = {.key = "04b8:061b:Epson_Pen_1:usb-0000_00_14.0-3",
                                              .name = "Epson Pen 1",
                                              .vendor = 0x04b8,
                                              .product = 0x061b};

static void test_persist(void)
{
    g_autofree char *dir = tmp_dir();
    struct cr_calib c, got;
    keystone(&c);

    struct cr_calib_store *s = cr_calib_store_new(dir);
    g_assert_cmpuint(cr_calib_store_count(s), ==, 0);
    GError *err = NULL;
    g_assert_true(cr_calib_store_set(s, &pen, "1920x1080", &c, &err));
    g_assert_no_error(err);
    cr_calib_store_free(s);

    /* "reboot" */
    s = cr_calib_store_new(dir);
    g_assert_cmpuint(cr_calib_store_count(s), ==, 1);
    g_assert_true(cr_calib_store_get(s, pen.key, "1920x1080", &got));
    g_assert_false(cr_calib_store_get(s, pen.key, "1280x720", NULL)); /* per output */
    g_assert_cmpint(got.model, ==, CR_CALIB_PROJECTIVE);
    for (double y = 0; y <= 1.0; y += 0.25) {
        for (double x = 0; x <= 1.0; x += 0.25) {
            double ax, ay, bx, by;
            cr_calib_apply(&c, x, y, &ax, &ay);
            cr_calib_apply(&got, x, y, &bx, &by);
            g_assert_cmpfloat_with_epsilon(ax, bx, 1e-3);
            g_assert_cmpfloat_with_epsilon(ay, by, 1e-3);
        }
    }
    g_assert_true(cr_calib_store_remove(s, pen.key, "1920x1080", &err));
    g_assert_cmpuint(cr_calib_store_count(s), ==, 0);
    cr_calib_store_free(s);
    s = cr_calib_store_new(dir);
    g_assert_cmpuint(cr_calib_store_count(s), ==, 0);
    cr_calib_store_free(s);
    cr_test_remove_tree(dir);
}

static void test_damaged(void)
{
    g_autofree char *dir = tmp_dir();
    g_autofree char *path = g_build_filename(dir, "calibrations.conf", NULL);
    const char *text = "[broken\n"
                       "[a:b@1920x1080]\ncalibration=v1 nonsense\n";
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    calib_warnings = 0;
    struct cr_calib_store *s = cr_calib_store_new(dir); /* warns, does not fail */
    g_assert_cmpuint(cr_calib_store_count(s), ==, 0);
    g_assert_cmpuint(calib_warnings, >=, 1);

    const char *good_then_bad = "[x@1920x1080]\ncalibration=v1 garbage\n";
    g_assert_true(g_file_set_contents(path, good_then_bad, -1, NULL));
    cr_calib_store_free(s);
    s = cr_calib_store_new(dir);
    g_assert_cmpuint(cr_calib_store_count(s), ==, 0);

    /* and a new calibration can still be saved over the damaged file */
    struct cr_calib c;
    keystone(&c);
    g_assert_true(cr_calib_store_set(s, &pen, "1920x1080", &c, NULL));
    cr_calib_store_free(s);
    s = cr_calib_store_new(dir);
    g_assert_cmpuint(cr_calib_store_count(s), ==, 1);
    cr_calib_store_free(s);
    cr_test_remove_tree(dir);
}

static void test_udev_rules(void)
{
    struct cr_calib_store *s = cr_calib_store_new(NULL);
    struct cr_calib c;
    keystone(&c);
    g_assert_true(cr_calib_store_set(s, &pen, "1920x1080", &c, NULL));
    struct cr_calib_device_id odd = {
        .key = "k2", .name = "Bad\" RUN+=\"/bin/sh", .vendor = 1, .product = 2};
    g_assert_true(cr_calib_store_set(s, &odd, "1920x1080", &c, NULL));
    g_autofree char *rules = cr_calib_store_udev_rules(s);
    g_assert_nonnull(strstr(rules, "ATTRS{id/vendor}==\"04b8\", ATTRS{id/product}==\"061b\", "
                                   "ATTRS{name}==\"Epson Pen 1\", "
                                   "ENV{LIBINPUT_CALIBRATION_MATRIX}=\""));
    g_assert_null(strstr(rules, "RUN+="));         /* the odd name is left out of the match */
    g_assert_nonnull(strstr(rules, "==\"0001\"")); /* still matched by vendor/product */
    cr_calib_store_free(s);

    g_assert_true(cr_calib_udev_name_ok("eGalax Inc. USB TouchController"));
    g_assert_false(cr_calib_udev_name_ok("a\"b"));
    g_assert_false(cr_calib_udev_name_ok("pen*"));
    g_assert_false(cr_calib_udev_name_ok("a\nb"));
    g_assert_false(cr_calib_udev_name_ok(""));
}

/* Runs the privileged helper on a request; returns its exit status. */
static int run_export(const char *request, const char *rules)
{
    const char *src = g_getenv("CRAIE_SOURCE_ROOT");
    g_assert_nonnull(src);
    g_autofree char *helper = g_build_filename(src, "udev", "craie-calibration-export", NULL);
    char *argv[] = {helper, NULL};
    g_auto(GStrv) env = g_get_environ();
    env = g_environ_setenv(env, "CRAIE_CALIBRATION_REQUEST", request, TRUE);
    env = g_environ_setenv(env, "CRAIE_CALIBRATION_RULES", rules, TRUE);
    env = g_environ_setenv(env, "CRAIE_UDEVADM", "none", TRUE);
    int status = -1;
    GError *err = NULL;
    g_assert_true(g_spawn_sync(NULL, argv, env,
                               G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &err));
    g_assert_no_error(err);
    return g_spawn_check_wait_status(status, NULL) ? 0 : 1;
}

static void test_export_helper(void)
{
    g_autofree char *dir = tmp_dir();
    struct cr_calib_store *s = cr_calib_store_new(dir);
    struct cr_calib c;
    keystone(&c);
    g_assert_true(cr_calib_store_set(s, &pen, "1920x1080", &c, NULL));
    cr_calib_store_free(s);

    g_autofree char *request = g_build_filename(dir, "libinput.rules", NULL);
    g_autofree char *rules = g_build_filename(dir, "rules.d", "99-craie-calibration.rules", NULL);
    g_assert_cmpint(run_export(request, rules), ==, 0);
    g_autofree char *a = NULL, *b = NULL;
    g_assert_true(g_file_get_contents(request, &a, NULL, NULL));
    g_assert_true(g_file_get_contents(rules, &b, NULL, NULL));
    g_assert_cmpstr(a, ==, b);

    /* Hostile requests: each refused, the installed rules untouched. */
    const char *bad[] = {
        "ACTION!=\"remove\", SUBSYSTEM==\"input\", KERNEL==\"event*\", RUN+=\"/bin/sh -c id\"\n",
        "ACTION!=\"remove\", SUBSYSTEM==\"input\", KERNEL==\"event*\", ATTRS{id/vendor}==\"04b8\", "
        "ATTRS{id/product}==\"061b\", ENV{LIBINPUT_CALIBRATION_MATRIX}=\"1 0 0 0 1 0\", "
        "RUN+=\"/bin/sh\"\n",
        "ACTION!=\"remove\", SUBSYSTEM==\"input\", KERNEL==\"event*\", ATTRS{id/vendor}==\"04b8\", "
        "ATTRS{id/product}==\"061b\", ENV{LIBINPUT_CALIBRATION_MATRIX}=\"1 0 0 0 1 x\"\n",
        "ACTION!=\"remove\", SUBSYSTEM==\"input\", KERNEL==\"event*\", ATTRS{id/vendor}==\"04b8\", "
        "ATTRS{id/product}==\"061b\", ATTRS{name}==\"a\\\"\", "
        "ENV{LIBINPUT_CALIBRATION_MATRIX}=\"1 0 0 0 1 0\"\n",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_true(g_file_set_contents(request, bad[i], -1, NULL));
        g_assert_cmpint(run_export(request, rules), !=, 0);
        g_autofree char *now = NULL;
        g_assert_true(g_file_get_contents(rules, &now, NULL, NULL));
        g_assert_cmpstr(now, ==, b);
    }

    /* No request (every calibration removed): no rules. */
    g_unlink(request);
    g_assert_cmpint(run_export(request, rules), ==, 0);
    g_assert_false(g_file_test(rules, G_FILE_TEST_EXISTS));
    cr_test_remove_tree(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_log_set_writer_func(capture_writer, NULL, NULL);
    g_test_add_func("/calib-store/persist", test_persist);
    g_test_add_func("/calib-store/damaged", test_damaged);
    g_test_add_func("/calib-store/udev-rules", test_udev_rules);
    g_test_add_func("/calib-store/export-helper", test_export_helper);
    return g_test_run();
}
