/* Configuration: defaults, files (good and broken in every way a
 * technician or a disk can break them), drop-ins, the command line, --help
 * and the generated man pages and example file. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_config.h"
#include "common/config.h"
#include "tests/unit/unit_test.h"

/* Warnings logged by the "config" module, in order (owned strings). */
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
    if (module && !strcmp(module, "config") && (level & G_LOG_LEVEL_WARNING)) {
        g_ptr_array_add(logged, g_strdup(message));
        return G_LOG_WRITER_HANDLED;
    }
    /* Anything else (a critical about a bad built-in default...) fails. */
    return g_log_writer_default(level, fields, n_fields, user_data);
}

static char *tmp_file(const char *data, gssize len)
{
    char *path = NULL;
    GError *error = NULL;
    int fd = g_file_open_tmp("craie-config-XXXXXX.conf", &path, &error);
    g_assert_no_error(error);
    close(fd);
    g_file_set_contents(path, data, len, &error);
    g_assert_no_error(error);
    return path;
}

static char *tmp_dir(void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp("craie-config-XXXXXX", &error);
    g_assert_no_error(error);
    return dir;
}

static void write_in(const char *dir, const char *name, const char *data)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    GError *error = NULL;
    g_file_set_contents(path, data, -1, &error);
    g_assert_no_error(error);
}

static char *all_diagnostics(const struct cr_config *cfg)
{
    GString *all = g_string_new(NULL);
    for (size_t i = 0; i < cfg->n_diagnostics; i++)
        g_string_append_printf(all, "  %s\n", cfg->diagnostics[i]);
    return g_string_free(all, FALSE);
}

/* Asserts a diagnostic starting with prefix and containing needle. */
static void assert_diag(const struct cr_config *cfg, const char *prefix, const char *needle)
{
    for (size_t i = 0; i < cfg->n_diagnostics; i++) {
        if (g_str_has_prefix(cfg->diagnostics[i], prefix) && strstr(cfg->diagnostics[i], needle))
            return;
    }
    g_autofree char *all = all_diagnostics(cfg);
    g_error("no diagnostic \"%s...%s...\" among:\n%s", prefix, needle, all);
}

static void assert_n_diags(const struct cr_config *cfg, size_t n)
{
    if (cfg->n_diagnostics == n)
        return;
    g_autofree char *all = all_diagnostics(cfg);
    g_error("expected %zu diagnostics, got %zu:\n%s", n, cfg->n_diagnostics, all);
}

static char *at(const char *file, unsigned line)
{
    return g_strdup_printf("%s:%u: ", file, line);
}

/* Every table value of a and b is the same. */
static void assert_same_values(const struct cr_config *a, const struct cr_config *b)
{
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        const char *fa = (const char *)a + opt->offset, *fb = (const char *)b + opt->offset;
        switch (opt->type) {
        case CR_OPT_BOOL:
            g_assert_cmpint(*(const bool *)fa, ==, *(const bool *)fb);
            break;
        case CR_OPT_INT:
            g_assert_cmpint(*(const int *)fa, ==, *(const int *)fb);
            break;
        case CR_OPT_STRING:
        case CR_OPT_PATH:
        case CR_OPT_CHOICE:
            g_assert_cmpstr(*(char *const *)fa, ==, *(char *const *)fb);
            break;
        }
    }
}

/* Every value is one the table allows: what the rest of craie relies on. */
static void assert_values_valid(const struct cr_config *cfg)
{
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        const char *f = (const char *)cfg + opt->offset;
        if (opt->type == CR_OPT_INT) {
            g_assert_cmpint(*(const int *)f, >=, opt->min);
            g_assert_cmpint(*(const int *)f, <=, opt->max);
        } else if (opt->type != CR_OPT_BOOL) {
            const char *s = *(char *const *)f;
            g_assert_nonnull(s);
            g_assert_true(g_utf8_validate(s, -1, NULL));
            if (opt->type == CR_OPT_CHOICE)
                g_assert_true(g_strv_contains((const char *const *)opt->choices, s));
        }
    }
}

static void reset_log(void)
{
    g_ptr_array_set_size(logged, 0);
}

/* --- defaults and the table --- */

static void test_defaults(void)
{
    struct cr_config cfg;
    cr_config_init(&cfg);
    g_assert_true(cfg.display.fullscreen);
    g_assert_cmpint(cfg.display.width, ==, 1280);
    g_assert_cmpint(cfg.display.height, ==, 720);
    g_assert_cmpstr(cfg.ui.language, ==, "auto");
    g_assert_cmpint(cfg.ui.long_press_ms, ==, 2500);
    g_assert_false(cfg.ui.demo);
    g_assert_cmpstr(cfg.camera.device, ==, "auto");
    g_assert_cmpstr(cfg.camera.mode, ==, "auto");
    g_assert_true(cfg.camera.allow_4k);
    g_assert_false(cfg.camera.rotate180);
    g_assert_false(cfg.camera.mirror);
    g_assert_cmpstr(cfg.camera.save_dir, ==, "");
    g_assert_cmpint(cfg.camera.snapshots_max, ==, 12);
    g_assert_true(cfg.ipc.enabled);
    g_assert_cmpstr(cfg.ipc.socket, ==, "");
    g_assert_false(cfg.log.verbose);
    g_assert_cmpstr(cfg.paths.state_dir, ==, "/var/lib/craie");
    g_assert_cmpstr(cfg.input.quirks_dir, ==, "/etc/craie/quirks.d");
    g_assert_null(cfg.loaded_file);
    g_assert_null(cfg.diagnostics);
    assert_n_diags(&cfg, 0);
    g_assert_cmpuint(logged->len, ==, 0);
    cr_config_destroy(&cfg);
}

static void test_table(void)
{
    /* One row per field of struct cr_config (53 of them), no field twice. */
    g_assert_cmpuint(cr_options_count, ==, 60);
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        g_autofree char *name = g_strconcat(opt->section, ".", opt->key, NULL);
        g_assert_true(cr_config_find_option(name) == opt);
        g_assert_true(opt->help && *opt->help && opt->doc && *opt->doc);
        for (size_t j = 0; j < i; j++) {
            g_assert_cmpuint(cr_options[j].offset, !=, opt->offset);
            if (opt->cli && cr_options[j].cli)
                g_assert_cmpstr(opt->cli, !=, cr_options[j].cli);
        }
        struct cr_config cfg;
        cr_config_init(&cfg);
        g_autofree char *error = NULL;
        g_assert_true(cr_config_set_option(&cfg, opt, opt->default_value, &error));
        g_assert_null(error);
        cr_config_destroy(&cfg);
    }
    for (size_t i = 0; i < cr_option_aliases_count; i++)
        g_assert_nonnull(cr_config_find_option(cr_option_aliases[i].option));
}

static void test_resolved_paths(void)
{
    struct cr_config cfg;
    cr_config_init(&cfg);
    g_autofree char *saved_runtime = g_strdup(g_getenv("XDG_RUNTIME_DIR"));

    g_setenv("XDG_RUNTIME_DIR", "/run/user/1234", TRUE);
    g_autofree char *sock = cr_config_ipc_socket_path(&cfg);
    g_assert_cmpstr(sock, ==, "/run/user/1234/craie/ipc.sock");
    g_unsetenv("XDG_RUNTIME_DIR");
    g_autofree char *sock_system = cr_config_ipc_socket_path(&cfg);
    g_assert_cmpstr(sock_system, ==, "/run/craie/ipc.sock");
    g_assert_true(cr_config_set(&cfg, "ipc.socket", "/tmp/room.sock", "test"));
    g_autofree char *sock_set = cr_config_ipc_socket_path(&cfg);
    g_assert_cmpstr(sock_set, ==, "/tmp/room.sock");
    if (saved_runtime)
        g_setenv("XDG_RUNTIME_DIR", saved_runtime, TRUE);

    g_autofree char *save = cr_config_save_dir(&cfg);
    g_assert_true(g_path_is_absolute(save));
    g_assert_true(g_str_has_suffix(save, "/craie"));
    g_assert_true(cr_config_set(&cfg, "camera.save_dir", "~/Scans", "test"));
    g_autofree char *scans = cr_config_save_dir(&cfg);
    g_autofree char *expected = g_build_filename(g_get_home_dir(), "Scans", NULL);
    g_assert_cmpstr(scans, ==, expected);
    assert_n_diags(&cfg, 0);
    cr_config_destroy(&cfg);
}

static void test_set(void)
{
    struct cr_config cfg;
    cr_config_init(&cfg);
    g_assert_true(cr_config_set(&cfg, "display.width", "1024", "command line"));
    g_assert_cmpint(cfg.display.width, ==, 1024);
    g_assert_false(cr_config_set(&cfg, "display.width", "10", "command line"));
    g_assert_cmpint(cfg.display.width, ==, 1024);
    assert_diag(&cfg, "command line: ",
                "invalid value '10' for display.width: out of range, expected a whole number "
                "from 320 to 7680");
    g_assert_false(cr_config_set(&cfg, "display.widht", "800", "command line"));
    assert_diag(&cfg, "command line: ",
                "unknown option 'display.widht' (did you mean "
                "'display.width'?)");
    g_assert_false(cr_config_set(&cfg, "ui.language", "de", "x"));
    assert_diag(&cfg, "x: ", "expected one of: auto, fr, en");
    g_assert_true(cr_config_set(&cfg, "ui.language", "FR", "x"));
    g_assert_cmpstr(cfg.ui.language, ==, "fr");
    g_assert_true(cr_config_set(&cfg, "ui.demo", "Yes", "x"));
    g_assert_true(cfg.ui.demo);
    g_assert_true(cr_config_set(&cfg, "ui.demo", "off", "x"));
    g_assert_false(cfg.ui.demo);
    g_assert_false(cr_config_set(&cfg, "camera.device", "a\x01z", "x"));
    g_assert_false(cr_config_set(&cfg, "camera.device", "caf\xe9", "x"));
    g_assert_cmpstr(cfg.camera.device, ==, "auto");
    for (int i = 0; i < 3; i++)
        g_assert_true(cr_config_set(&cfg, "camera.device", i == 2 ? "IPEVO" : "tmp", "x"));
    g_assert_cmpstr(cfg.camera.device, ==, "IPEVO");
    g_assert_true(cr_config_set(&cfg, "paths.state_dir", "~/state", "x"));
    g_autofree char *state = g_build_filename(g_get_home_dir(), "state", NULL);
    g_assert_cmpstr(cfg.paths.state_dir, ==, state);
    g_assert_false(cr_config_set(&cfg, "camera.snapshots_max", "99999999999999999999", "x"));
    g_assert_false(cr_config_set(&cfg, "camera.snapshots_max", "0x10", "x"));
    g_assert_false(cr_config_set(&cfg, "camera.snapshots_max", "", "x"));
    g_assert_cmpint(cfg.camera.snapshots_max, ==, 12);
    assert_n_diags(&cfg, 8);
    /* Each diagnostic is logged once, as it is recorded. */
    g_assert_cmpuint(logged->len, ==, cfg.n_diagnostics);
    for (size_t i = 0; i < cfg.n_diagnostics; i++)
        g_assert_cmpstr(logged->pdata[i], ==, cfg.diagnostics[i]);
    cr_config_destroy(&cfg);
}

/* --- files --- */

static void test_good_file(void)
{
    const char *text = "\xEF\xBB\xBF# craie.conf of room B12\r\n"
                       "; written by the technician\r\n"
                       "log.verbose = on\r\n"
                       "\r\n"
                       "[display]\r\n"
                       "  fullscreen   =   no  \r\n"
                       "width=1920\r\n"
                       "\t[ui]\t\r\n"
                       "language = EN\n"
                       "long_press_ms = 0\n"
                       "[camera]  # the visualiser\n"
                       "device = \"  IPEVO V4K  \"\n"
                       "mode = 1920x1080@30/mjpeg\n"
                       "rotate180 = TRUE\n"
                       "save_dir = ~/Scans\n"
                       "snapshots_max = +40\n"
                       "[ipc]\n"
                       "socket = \"/tmp/cr \\\"B12\\\".sock\" ; quoted, then a comment\n"
                       "enabled = 0\n"
                       "[display]\n"
                       "height = 1080\n"
                       "[paths]\n"
                       "state_dir = /srv/craie\n"
                       "# no newline at the end\n"
                       "[camera]\n"
                       "mirror = 1";
    g_autofree char *path = tmp_file(text, -1);
    struct cr_config cfg;
    cr_config_init(&cfg);
    g_assert_true(cr_config_load_file(&cfg, path, true));
    assert_n_diags(&cfg, 0);
    g_assert_cmpstr(cfg.loaded_file, ==, path);
    g_assert_true(cfg.log.verbose);
    g_assert_false(cfg.display.fullscreen);
    g_assert_cmpint(cfg.display.width, ==, 1920);
    g_assert_cmpint(cfg.display.height, ==, 1080);
    g_assert_cmpstr(cfg.ui.language, ==, "en");
    g_assert_cmpint(cfg.ui.long_press_ms, ==, 0);
    g_assert_cmpstr(cfg.camera.device, ==, "  IPEVO V4K  ");
    g_assert_cmpstr(cfg.camera.mode, ==, "1920x1080@30/mjpeg");
    g_assert_true(cfg.camera.rotate180);
    g_assert_true(cfg.camera.mirror);
    g_autofree char *scans = g_build_filename(g_get_home_dir(), "Scans", NULL);
    g_assert_cmpstr(cfg.camera.save_dir, ==, scans);
    g_assert_cmpint(cfg.camera.snapshots_max, ==, 40);
    g_assert_cmpstr(cfg.ipc.socket, ==, "/tmp/cr \"B12\".sock");
    g_assert_false(cfg.ipc.enabled);
    g_assert_cmpstr(cfg.paths.state_dir, ==, "/srv/craie");
    g_assert_cmpuint(logged->len, ==, 0);
    cr_config_destroy(&cfg);
    g_unlink(path);
}

static void test_broken_file(void)
{
    const char *text = "[display]\n"                  /* 1 */
                       "width = wide\n"               /* 2 */
                       "height = 100000\n"            /* 3 */
                       "fullscreen = maybe\n"         /* 4 */
                       "colour = blue\n"              /* 5 */
                       "[ui]\n"                       /* 6 */
                       "language = de\n"              /* 7 */
                       "this line is not a setting\n" /* 8 */
                       "long_press_ms = 1500\n"       /* 9 */
                       "[sound]\n"                    /* 10 */
                       "volume = 11\n"                /* 11: skipped with its section */
                       "[camera]\n"                   /* 12 */
                       "snapshots_max = 0\n"          /* 13 */
                       " = value\n"                   /* 14 */
                       "device = \"unterminated\n"    /* 15 */
                       "mirror = true\n"              /* 16 */
                       "rotate180 = 2\n"              /* 17 */
                       "[display\n"                   /* 18 */
                       "width = 1024\n";              /* 19: skipped after a bad header */
    g_autofree char *path = tmp_file(text, -1);
    struct cr_config cfg;
    cr_config_init(&cfg);
    g_assert_true(cr_config_load_file(&cfg, path, true));

    g_autofree char *l2 = at(path, 2), *l3 = at(path, 3), *l4 = at(path, 4), *l5 = at(path, 5);
    g_autofree char *l7 = at(path, 7), *l8 = at(path, 8), *l10 = at(path, 10);
    g_autofree char *l13 = at(path, 13), *l14 = at(path, 14), *l15 = at(path, 15);
    g_autofree char *l17 = at(path, 17), *l18 = at(path, 18);
    assert_diag(&cfg, l2,
                "invalid value 'wide' for display.width: expected a whole number from "
                "320 to 7680");
    assert_diag(&cfg, l3,
                "invalid value '100000' for display.height: out of range, expected a "
                "whole number from 240 to 4320");
    assert_diag(&cfg, l4, "invalid value 'maybe' for display.fullscreen: expected true or false");
    assert_diag(&cfg, l5, "unknown key 'colour' in [display]");
    assert_diag(&cfg, l7, "invalid value 'de' for ui.language: expected one of: auto, fr, en");
    assert_diag(&cfg, l8, "expected 'key = value'");
    assert_diag(&cfg, l10, "unknown section [sound]");
    assert_diag(&cfg, l13,
                "for camera.snapshots_max: out of range, expected a whole number from "
                "1 to 100");
    assert_diag(&cfg, l14, "missing key before '='");
    assert_diag(&cfg, l15, "missing closing '\"'");
    assert_diag(&cfg, l17, "invalid value '2' for camera.rotate180");
    assert_diag(&cfg, l18, "missing ']'");
    assert_n_diags(&cfg, 12);

    /* Bad values keep the defaults; the good lines around them apply. */
    g_assert_cmpint(cfg.display.width, ==, 1280);
    g_assert_cmpint(cfg.display.height, ==, 720);
    g_assert_true(cfg.display.fullscreen);
    g_assert_cmpstr(cfg.ui.language, ==, "auto");
    g_assert_cmpint(cfg.ui.long_press_ms, ==, 1500);
    g_assert_cmpint(cfg.camera.snapshots_max, ==, 12);
    g_assert_cmpstr(cfg.camera.device, ==, "auto");
    g_assert_true(cfg.camera.mirror);
    g_assert_false(cfg.camera.rotate180);

    g_assert_cmpuint(logged->len, ==, cfg.n_diagnostics);
    for (size_t i = 0; i < cfg.n_diagnostics; i++)
        g_assert_cmpstr(logged->pdata[i], ==, cfg.diagnostics[i]);
    cr_config_destroy(&cfg);
    g_unlink(path);
}

static void test_hints(void)
{
    const char *text = "[camra]\n"
                       "device = test\n"
                       "[display]\n"
                       "widht = 1024\n"
                       "language = en\n"
                       "fullscreen: false\n"
                       "width = 1024\n"
                       "windowed = true\n"
                       "[ui]\n"
                       "demo = true\n";
    struct cr_config cfg;
    cr_config_init(&cfg);
    cr_config_load_data(&cfg, text, strlen(text), "room.conf");
    assert_diag(&cfg, "room.conf:1: ", "unknown section [camra] (did you mean [camera]?)");
    assert_diag(&cfg, "room.conf:4: ", "unknown key 'widht' in [display] (did you mean 'width'?)");
    assert_diag(&cfg, "room.conf:5: ", "unknown key 'language' in [display]; it belongs in [ui]");
    assert_diag(&cfg, "room.conf:6: ", "expected 'key = value'");
    assert_diag(&cfg, "room.conf:8: ", "unknown key 'windowed' in [display]");
    assert_n_diags(&cfg, 5);
    g_assert_cmpstr(cfg.camera.device, ==, "auto");
    g_assert_cmpint(cfg.display.width, ==, 1024);
    g_assert_true(cfg.ui.demo);
    cr_config_destroy(&cfg);
}

static void test_duplicate_key(void)
{
    const char *text = "[camera]\n"
                       "device = first\n"
                       "[ui]\n"
                       "demo = true\n"
                       "[camera]\n"
                       "device = second\n"
                       "snapshots_max = 20\n"
                       "snapshots_max = 500\n";
    struct cr_config cfg;
    cr_config_init(&cfg);
    cr_config_load_data(&cfg, text, strlen(text), "dup.conf");
    g_assert_cmpstr(cfg.camera.device, ==, "second");
    assert_diag(&cfg, "dup.conf:6: ",
                "camera.device is set again; this value replaces the one on "
                "line 2");
    /* An invalid repeat is reported as invalid, and the first value stays. */
    g_assert_cmpint(cfg.camera.snapshots_max, ==, 20);
    assert_diag(&cfg, "dup.conf:8: ", "out of range");
    assert_n_diags(&cfg, 2);
    cr_config_destroy(&cfg);
}

static void test_binary_and_encoding(void)
{
    static const char nul[] = "[display]\nwidth = 1\0 024\nheight = 900\n";
    struct cr_config cfg;
    cr_config_init(&cfg);
    cr_config_load_data(&cfg, nul, sizeof(nul) - 1, "nul.conf");
    assert_diag(&cfg, "nul.conf:2: ", "NUL byte");
    assert_n_diags(&cfg, 1);
    g_assert_cmpint(cfg.display.width, ==, 1280);
    g_assert_cmpint(cfg.display.height, ==, 900);
    cr_config_destroy(&cfg);

    /* Latin-1 saved by an old editor. */
    const char *latin1 = "# Cam\xe9ra du CDI\n[camera]\ndevice = Cam\xe9ra\nmirror = yes\n";
    cr_config_init(&cfg);
    cr_config_load_data(&cfg, latin1, strlen(latin1), "latin1.conf");
    assert_diag(&cfg, "latin1.conf:3: ", "not valid UTF-8");
    assert_n_diags(&cfg, 1);
    g_assert_cmpstr(cfg.camera.device, ==, "auto");
    g_assert_true(cfg.camera.mirror);
    cr_config_destroy(&cfg);

    /* Many problems: the first 20 are reported, then only their number. */
    GString *many = g_string_new("[display]\n");
    for (int i = 0; i < 30; i++)
        g_string_append(many, "garbage\n");
    g_string_append(many, "width = 800\n");
    cr_config_init(&cfg);
    cr_config_load_data(&cfg, many->str, many->len, "many.conf");
    assert_n_diags(&cfg, 21);
    assert_diag(&cfg, "many.conf:21: ", "expected 'key = value'");
    assert_diag(&cfg, "many.conf: ", "10 more problems in this file were not reported");
    g_assert_cmpint(cfg.display.width, ==, 800);
    g_assert_cmpuint(logged->len, ==, 1 + 1 + 21);
    cr_config_destroy(&cfg);
    g_string_free(many, TRUE);
}

/* Random bytes and damaged copies of a good file: never a crash, never a
 * value outside what the table allows, diagnostics bounded and located. */
static void test_fuzz(void)
{
    g_autofree char *example = cr_config_example_conf();
    size_t example_len = strlen(example);
    static const char alphabet[] = "\n\n\n[]=\"#; \t\\~.abcdefghijklmnopqrstuvwxyz0123456789";
    GRand *rand = g_rand_new_with_seed(20240901);
    for (int round = 0; round < 400; round++) {
        size_t len = (size_t)g_rand_int_range(rand, 0, 3000);
        char *data = g_malloc(len + 1);
        for (size_t i = 0; i < len; i++) {
            switch (round % 3) {
            case 0: /* any byte, NULs included */
                data[i] = (char)g_rand_int_range(rand, 0, 256);
                break;
            case 1: /* INI-ish characters */
                data[i] = alphabet[g_rand_int_range(rand, 0, sizeof(alphabet) - 1)];
                break;
            default: /* the example, uncommented and damaged */
                data[i] = example[i % example_len] == '#' ? ' ' : example[i % example_len];
                if (g_rand_int_range(rand, 0, 40) == 0)
                    data[i] = (char)g_rand_int_range(rand, 0, 256);
                break;
            }
        }
        data[len] = '\0';
        struct cr_config cfg;
        cr_config_init(&cfg);
        cr_config_load_data(&cfg, data, len, "fuzz.conf");
        g_assert_cmpuint(cfg.n_diagnostics, <=, 21);
        for (size_t i = 0; i < cfg.n_diagnostics; i++) {
            g_assert_true(g_str_has_prefix(cfg.diagnostics[i], "fuzz.conf:"));
            g_assert_true(g_utf8_validate(cfg.diagnostics[i], -1, NULL));
        }
        assert_values_valid(&cfg);
        cr_config_destroy(&cfg);
        g_free(data);
        reset_log();
    }
    g_rand_free(rand);
}

static void test_long_line(void)
{
    GString *text = g_string_new("[camera]\ndevice = ");
    for (int i = 0; i < 100000; i++)
        g_string_append_c(text, 'x');
    g_string_append(text, "\nmode = 640x480@30\nsave_dir = /");
    for (int i = 0; i < 4000; i++)
        g_string_append_c(text, 'd');
    g_string_append(text, "\n");
    g_autofree char *path = tmp_file(text->str, text->len);
    struct cr_config cfg;
    cr_config_init(&cfg);
    g_assert_true(cr_config_load_file(&cfg, path, true));
    g_autofree char *l2 = at(path, 2);
    assert_diag(&cfg, l2, "line is too long");
    assert_n_diags(&cfg, 1);
    g_assert_cmpstr(cfg.camera.device, ==, "auto");
    g_assert_cmpstr(cfg.camera.mode, ==, "640x480@30");
    g_assert_cmpuint(strlen(cfg.camera.save_dir), ==, 4001);
    cr_config_destroy(&cfg);
    g_string_free(text, TRUE);
    g_unlink(path);
}

static void test_unreadable_files(void)
{
    g_autofree char *dir = tmp_dir();
    g_autofree char *missing = g_build_filename(dir, "craie.conf", NULL);
    struct cr_config cfg;

    /* Missing and optional: silent. */
    cr_config_init(&cfg);
    g_assert_true(cr_config_load_file(&cfg, missing, false));
    assert_n_diags(&cfg, 0);
    g_assert_null(cfg.loaded_file);
    cr_config_destroy(&cfg);

    /* Missing and required: false, one diagnostic naming the file. */
    cr_config_init(&cfg);
    g_assert_false(cr_config_load_file(&cfg, missing, true));
    g_autofree char *prefix = g_strconcat(missing, ": ", NULL);
    assert_diag(&cfg, prefix, "cannot read");
    assert_n_diags(&cfg, 1);
    assert_values_valid(&cfg);
    cr_config_destroy(&cfg);

    /* A folder given as the file. */
    cr_config_init(&cfg);
    g_assert_false(cr_config_load_file(&cfg, dir, true));
    g_autofree char *dir_prefix = g_strconcat(dir, ": ", NULL);
    assert_diag(&cfg, dir_prefix, "not a regular file");
    cr_config_destroy(&cfg);

    /* Too large to be a configuration file (a log or an image by mistake). */
    g_autofree char *big = g_build_filename(dir, "big.conf", NULL);
    char *zeros = g_malloc0(2 * 1024 * 1024);
    g_assert_true(g_file_set_contents(big, zeros, 2 * 1024 * 1024, NULL));
    g_free(zeros);
    cr_config_init(&cfg);
    g_assert_false(cr_config_load_file(&cfg, big, true));
    g_autofree char *big_prefix = g_strconcat(big, ": ", NULL);
    assert_diag(&cfg, big_prefix, "larger than");
    assert_n_diags(&cfg, 1);
    cr_config_destroy(&cfg);

    /* No permission (meaningless as root, who reads anything). */
    if (geteuid() != 0) {
        write_in(dir, "secret.conf", "[ui]\ndemo = true\n");
        g_autofree char *secret = g_build_filename(dir, "secret.conf", NULL);
        g_chmod(secret, 0);
        cr_config_init(&cfg);
        g_assert_true(cr_config_load_file(&cfg, secret, false));
        g_autofree char *secret_prefix = g_strconcat(secret, ": ", NULL);
        assert_diag(&cfg, secret_prefix, "cannot read: Permission denied");
        g_assert_false(cfg.ui.demo);
        cr_config_destroy(&cfg);
    }
    cr_test_remove_tree(dir);
}

static void test_dropins(void)
{
    g_autofree char *dir = tmp_dir();
    g_autofree char *main_path = g_build_filename(dir, "craie.conf", NULL);
    g_autofree char *dropins = g_build_filename(dir, "craie.conf.d", NULL);
    g_assert_cmpint(g_mkdir(dropins, 0700), ==, 0);
    write_in(dir, "craie.conf", "[camera]\ndevice = main\nmode = 640x480@30\n[ui]\ndemo = true\n");
    write_in(dropins, "20-b.conf", "[camera]\ndevice = twenty\n");
    write_in(dropins, "10-a.conf", "[camera]\ndevice = ten\nmirror = true\n");
    write_in(dropins, "README", "[camera]\ndevice = readme\n");
    write_in(dropins, ".30-hidden.conf", "[camera]\ndevice = hidden\n");
    write_in(dropins, "30-bad.conf", "[camera]\nsnapshots_max = -4\n");

    struct cr_config cfg;
    cr_config_init(&cfg);
    g_assert_true(cr_config_load_file(&cfg, main_path, true));
    g_assert_cmpstr(cfg.camera.device, ==, "twenty");
    g_assert_true(cfg.camera.mirror);
    g_assert_cmpstr(cfg.camera.mode, ==, "640x480@30");
    g_assert_true(cfg.ui.demo);
    g_assert_cmpint(cfg.camera.snapshots_max, ==, 12);
    g_autofree char *bad = g_build_filename(dropins, "30-bad.conf", NULL);
    g_autofree char *bad_line = at(bad, 2);
    assert_diag(&cfg, bad_line, "out of range");
    /* Overriding across files is what drop-ins are for: no diagnostic. */
    assert_n_diags(&cfg, 1);
    g_assert_cmpstr(cfg.loaded_file, ==, main_path);
    cr_config_destroy(&cfg);

    /* Drop-ins apply even without the main file. */
    g_unlink(main_path);
    cr_config_init(&cfg);
    g_assert_true(cr_config_load_file(&cfg, main_path, false));
    g_assert_cmpstr(cfg.camera.device, ==, "twenty");
    g_assert_cmpstr(cfg.camera.mode, ==, "auto");
    g_autofree char *first = g_build_filename(dropins, "10-a.conf", NULL);
    g_assert_cmpstr(cfg.loaded_file, ==, first);
    cr_config_destroy(&cfg);
    cr_test_remove_tree(dir);
}

/* --- command line --- */

static enum cr_cli_result parse(struct cr_config *cfg, const char *const *args)
{
    int argc = (int)g_strv_length((char **)args);
    return cr_config_parse_args(cfg, argc, (char **)args);
}

static void test_cli_shorthands(void)
{
    g_autofree char *empty = tmp_file("", 0);
    const char *args[] = {"craie",
                          "--config",
                          empty,
                          "--windowed",
                          "--verbose",
                          "--demo",
                          "--camera=test",
                          "--ipc-socket=/tmp/craie-test.sock",
                          "--display.width=1024",
                          "--display.height",
                          "600",
                          "--ui.language=en",
                          "--camera.mirror",
                          "--camera.allow_4k",
                          "no",
                          "--paths.state_dir",
                          "/srv/state",
                          NULL};
    struct cr_config cfg;
    cr_config_init(&cfg);
    g_assert_cmpint(parse(&cfg, args), ==, CR_CLI_RUN);
    g_assert_false(cfg.display.fullscreen);
    g_assert_true(cfg.log.verbose);
    g_assert_true(cfg.ui.demo);
    g_assert_cmpstr(cfg.camera.device, ==, "test");
    g_assert_cmpstr(cfg.ipc.socket, ==, "/tmp/craie-test.sock");
    g_autofree char *sock = cr_config_ipc_socket_path(&cfg);
    g_assert_cmpstr(sock, ==, "/tmp/craie-test.sock");
    g_assert_cmpint(cfg.display.width, ==, 1024);
    g_assert_cmpint(cfg.display.height, ==, 600);
    g_assert_cmpstr(cfg.ui.language, ==, "en");
    g_assert_true(cfg.camera.mirror);
    g_assert_false(cfg.camera.allow_4k);
    g_assert_cmpstr(cfg.paths.state_dir, ==, "/srv/state");
    assert_n_diags(&cfg, 0);
    cr_config_destroy(&cfg);

    /* Later options win; "--camera VALUE" works like "--camera=VALUE". */
    const char *again[] = {"craie",        "--config", empty,         "--windowed",
                           "--fullscreen", "--camera", "/dev/video2", NULL};
    cr_config_init(&cfg);
    g_assert_cmpint(parse(&cfg, again), ==, CR_CLI_RUN);
    g_assert_true(cfg.display.fullscreen);
    g_assert_cmpstr(cfg.camera.device, ==, "/dev/video2");
    cr_config_destroy(&cfg);
    g_unlink(empty);
}

static void test_cli_config_file(void)
{
    g_autofree char *path =
        tmp_file("[camera]\ndevice = from-file\nmirror = true\n[display]\nwidth = 1600\n"
                 "height = tall\n",
                 -1);
    /* --config is read first even when given last; the command line wins. */
    g_autofree char *config_arg = g_strconcat("--config=", path, NULL);
    const char *args[] = {"craie", "--camera=from-cli", config_arg, NULL};
    struct cr_config cfg;
    cr_config_init(&cfg);
    g_assert_cmpint(parse(&cfg, args), ==, CR_CLI_RUN);
    g_assert_cmpstr(cfg.loaded_file, ==, path);
    g_assert_cmpstr(cfg.camera.device, ==, "from-cli");
    g_assert_true(cfg.camera.mirror);
    g_assert_cmpint(cfg.display.width, ==, 1600);
    /* A file problem is a diagnostic, not a command-line error. */
    g_autofree char *l6 = at(path, 6);
    assert_diag(&cfg, l6, "invalid value 'tall' for display.height");
    assert_n_diags(&cfg, 1);
    cr_config_destroy(&cfg);
    g_unlink(path);
}

static void test_cli_missing_config(void)
{
    if (g_test_subprocess()) {
        const char *args[] = {"craie", "--config", "/nonexistent/craie.conf", "--demo", NULL};
        struct cr_config cfg;
        cr_config_init(&cfg);
        bool ok = parse(&cfg, args) == CR_CLI_RUN && cfg.ui.demo && cfg.display.width == 1280 &&
                  !cfg.loaded_file && cfg.n_diagnostics == 1;
        cr_config_destroy(&cfg);
        exit(ok ? 0 : 1);
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*craie: cannot read the configuration file "
                              "/nonexistent/craie.conf*");
    g_test_trap_assert_stdout("");
}

struct cli_error_case {
    const char *args[4];
    const char *stderr_pattern;
};

static const struct cli_error_case cli_errors[] = {
    {{"--frobnicate"}, "craie: unknown option '--frobnicate'\n*--help*"},
    {{"--windowd"}, "craie: unknown option '--windowd' (did you mean '--windowed'?)*"},
    {{"--display.width=huge"},
     "craie: invalid value 'huge' for display.width: expected a whole number from 320 to 7680\n"},
    {{"--camera.snapshots_max", "500"},
     "craie: invalid value '500' for camera.snapshots_max: "
     "out of range*"},
    {{"--ui.language=de"},
     "craie: invalid value 'de' for ui.language: expected one of: "
     "auto, fr, en\n"},
    {{"--demo", "--camera"}, "craie: option '--camera' needs a value\n"},
    {{"--config"}, "craie: option '--config' needs a value\n"},
    {{"--windowed=yes"}, "craie: option '--windowed' takes no value\n"},
    {{"--version=2"}, "craie: option '--version' takes no value\n"},
    {{"stray"}, "craie: unexpected argument 'stray'*"},
    {{"-x"}, "craie: unknown option '-x'*"},
};

static void test_cli_error(gconstpointer data)
{
    const struct cli_error_case *c = data;
    if (g_test_subprocess()) {
        /* The broken file must not even be read: the typo is reported alone. */
        g_autofree char *broken = tmp_file("[display]\nwidth = broken\n", -1);
        g_autofree char *config_arg = g_strconcat("--config=", broken, NULL);
        const char *args[8] = {"craie", config_arg};
        for (int i = 0; c->args[i]; i++)
            args[2 + i] = c->args[i];
        struct cr_config cfg;
        cr_config_init(&cfg);
        bool ok = parse(&cfg, args) == CR_CLI_EXIT_ERROR && cfg.n_diagnostics == 0 &&
                  cfg.display.width == 1280;
        cr_config_destroy(&cfg);
        g_unlink(broken);
        exit(ok ? 0 : 1);
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(c->stderr_pattern);
    g_test_trap_assert_stdout("");
}

static void test_cli_help(void)
{
    if (g_test_subprocess()) {
        const char *args[] = {"/usr/bin/craie", "--windowed", "--help", NULL};
        struct cr_config cfg;
        cr_config_init(&cfg);
        enum cr_cli_result r = parse(&cfg, args);
        cr_config_destroy(&cfg);
        exit(r == CR_CLI_EXIT_OK ? 0 : 1);
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("Usage: craie [OPTION...]\n*");
    g_test_trap_assert_stdout("*-h, --help*--version*--config=PATH*");
    g_test_trap_assert_stdout("*--display.fullscreen=true|false*--windowed: same as "
                              "--display.fullscreen=false*--fullscreen: same as "
                              "--display.fullscreen=true*");
    g_test_trap_assert_stdout("*--display.width=N*(320 to 7680, default: 1280)*");
    g_test_trap_assert_stdout("*--ui.language=auto|fr|en*(default: auto)*");
    g_test_trap_assert_stdout("*--camera.device=TEXT, --camera=TEXT*");
    g_test_trap_assert_stdout("*--ipc.socket=PATH, --ipc-socket=PATH*");
    g_test_trap_assert_stderr("");

    /* Every key, grouped by section, with its default, in 80 columns. */
    g_autofree char *help = cr_config_help_text("craie");
    g_auto(GStrv) lines = g_strsplit(help, "\n", -1);
    for (char **l = lines; *l; l++)
        g_assert_cmpuint(g_utf8_strlen(*l, -1), <=, 80);
    const char *last_section = NULL;
    const char *cursor = help;
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        g_autofree char *flag = g_strdup_printf("--%s.%s=", opt->section, opt->key);
        const char *found = strstr(help, flag);
        g_assert_nonnull(found);
        if (last_section && !strcmp(last_section, opt->section))
            g_assert_true(found > cursor); /* in table order within its section */
        cursor = found;
        last_section = opt->section;
        const char *eol = strstr(strchr(found, '\n') + 1, "\n");
        g_autofree char *entry = g_strndup(found, eol - found);
        g_autofree char *dflt =
            g_strdup_printf("default: %s)", *opt->default_value ? opt->default_value : "\"\"");
        g_assert_nonnull(strstr(entry, dflt));
        if (opt->cli) {
            g_autofree char *shorthand = g_strdup_printf("--%s", opt->cli);
            g_assert_nonnull(strstr(help, shorthand));
        }
    }
}

static void test_cli_version(void)
{
    if (g_test_subprocess()) {
        const char *args[] = {"craie", "--version", NULL};
        struct cr_config cfg;
        cr_config_init(&cfg);
        enum cr_cli_result r = parse(&cfg, args);
        cr_config_destroy(&cfg);
        exit(r == CR_CLI_EXIT_OK ? 0 : 1);
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("craie " CR_VERSION "\n");
}

/* --- generated documentation --- */

static void assert_roff_lines(const char *roff)
{
    g_auto(GStrv) lines = g_strsplit(roff, "\n", -1);
    for (char **l = lines; *l; l++) {
        if ((*l)[0] != '.')
            continue;
        g_assert_true(g_str_has_prefix(*l, ".SS ") || !strcmp(*l, ".TP") || !strcmp(*l, ".br"));
    }
}

static void test_man(void)
{
    g_autofree char *cli = cr_config_man_cli();
    g_autofree char *conf = cr_config_man_conf();
    assert_roff_lines(cli);
    assert_roff_lines(conf);
    g_assert_nonnull(strstr(cli, "\\fB\\-\\-config\\fR=\\fIPATH\\fR"));
    g_assert_nonnull(strstr(cli, "\\fB\\-\\-help\\fR"));
    g_assert_nonnull(strstr(cli, "\\fB\\-\\-fullscreen\\fR is the same as"));
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        g_autofree char *section = g_strdup_printf(".SS \"[%s]\"\n", opt->section);
        g_autofree char *key = g_strdup_printf("\\fB%s\\fR = ", opt->key);
        g_autofree char *flag = g_strdup_printf("\\fB\\-\\-%s.%s\\fR=", opt->section, opt->key);
        g_assert_nonnull(strstr(conf, section));
        g_assert_nonnull(strstr(strstr(conf, section), key));
        g_assert_nonnull(strstr(cli, flag));
        if (opt->cli) {
            g_auto(GStrv) parts = g_strsplit(opt->cli, "-", -1);
            g_autofree char *escaped = g_strjoinv("\\-", parts);
            g_autofree char *shorthand = g_strdup_printf("\\fB\\-\\-%s\\fR", escaped);
            g_assert_nonnull(strstr(cli, shorthand));
            g_assert_nonnull(strstr(conf, shorthand));
        }
    }

    /* The generator fills the real templates. */
    const char *build = g_getenv("CRAIE_BUILD_ROOT");
    const char *source = g_getenv("CRAIE_SOURCE_ROOT");
    g_autofree char *tool = build ? g_build_filename(build, "tools", "craie-gen-man", NULL) : NULL;
    if (!tool || !source || !g_file_test(tool, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("craie-gen-man is not built");
        return;
    }
    g_autofree char *dir = tmp_dir();
    const char *pages[] = {"craie.1", "craie.conf.5"};
    for (size_t i = 0; i < G_N_ELEMENTS(pages); i++) {
        g_autofree char *in_name = g_strconcat(pages[i], ".in", NULL);
        g_autofree char *in = g_build_filename(source, "doc", in_name, NULL);
        g_autofree char *out = g_build_filename(dir, pages[i], NULL);
        const char *argv[] = {tool, in, out, NULL};
        int status;
        GError *error = NULL;
        g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                     &error);
        g_assert_no_error(error);
        g_assert_true(g_spawn_check_wait_status(status, NULL));
        g_autofree char *page = NULL;
        g_assert_true(g_file_get_contents(out, &page, NULL, NULL));
        g_assert_null(strstr(page, "@CLI_OPTIONS@"));
        g_assert_null(strstr(page, "@CONF_OPTIONS@"));
        g_assert_null(strstr(page, "@VERSION@"));
        g_assert_nonnull(strstr(page, "craie " CR_VERSION));
        g_assert_nonnull(strstr(page, i == 0 ? cli : conf));
    }
    cr_test_remove_tree(dir);
}

static void test_example_conf(void)
{
    g_autofree char *example = cr_config_example_conf();
    struct cr_config defaults, cfg;
    cr_config_init(&defaults);

    /* As installed (all commented out): loads cleanly, changes nothing. */
    cr_config_init(&cfg);
    cr_config_load_data(&cfg, example, strlen(example), "craie.conf.example");
    assert_n_diags(&cfg, 0);
    assert_same_values(&cfg, &defaults);
    cr_config_destroy(&cfg);

    /* Every key is there with its default; uncommented it still loads
     * cleanly and gives exactly the defaults. */
    GString *uncommented = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(example, "\n", -1);
    unsigned keys = 0;
    for (char **l = lines; *l; l++) {
        if ((*l)[0] == '#' && g_ascii_isalpha((*l)[1]) && strstr(*l, " = ")) {
            g_string_append_printf(uncommented, "%s\n", *l + 1);
            keys++;
        } else {
            g_string_append_printf(uncommented, "%s\n", *l);
        }
    }
    g_assert_cmpuint(keys, ==, cr_options_count);
    for (size_t i = 0; i < cr_options_count; i++) {
        g_autofree char *line =
            g_strdup_printf("\n%s = %s\n", cr_options[i].key, cr_options[i].default_value);
        g_assert_nonnull(strstr(uncommented->str, line));
        g_autofree char *section = g_strdup_printf("\n[%s]\n", cr_options[i].section);
        g_assert_nonnull(strstr(uncommented->str, section));
    }
    cr_config_init(&cfg);
    cr_config_load_data(&cfg, uncommented->str, uncommented->len, "uncommented.conf");
    assert_n_diags(&cfg, 0);
    assert_same_values(&cfg, &defaults);
    cr_config_destroy(&cfg);
    cr_config_destroy(&defaults);
    g_string_free(uncommented, TRUE);

    /* Comment lines stay within 80 columns. */
    for (char **l = lines; *l; l++)
        g_assert_cmpuint(strlen(*l), <=, 80);
}

struct plain_test {
    GTestFunc fn;
};

static void run_plain(gconstpointer data)
{
    reset_log(); /* each test starts with an empty log */
    ((const struct plain_test *)data)->fn();
}

static void add_test(const char *path, GTestFunc fn)
{
    struct plain_test *t = g_new(struct plain_test, 1);
    t->fn = fn;
    g_test_add_data_func_full(path, t, run_plain, g_free);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    logged = g_ptr_array_new_with_free_func(g_free);
    g_log_set_writer_func(capture_writer, NULL, NULL);

    add_test("/config/defaults", test_defaults);
    add_test("/config/table", test_table);
    add_test("/config/resolved-paths", test_resolved_paths);
    add_test("/config/set", test_set);
    add_test("/config/file/good", test_good_file);
    add_test("/config/file/broken", test_broken_file);
    add_test("/config/file/hints", test_hints);
    add_test("/config/file/duplicate-key", test_duplicate_key);
    add_test("/config/file/binary-and-encoding", test_binary_and_encoding);
    add_test("/config/file/fuzz", test_fuzz);
    add_test("/config/file/long-line", test_long_line);
    add_test("/config/file/unreadable", test_unreadable_files);
    add_test("/config/file/dropins", test_dropins);
    add_test("/config/cli/shorthands", test_cli_shorthands);
    add_test("/config/cli/config-file", test_cli_config_file);
    add_test("/config/cli/missing-config", test_cli_missing_config);
    for (size_t i = 0; i < G_N_ELEMENTS(cli_errors); i++) {
        g_autofree char *path = g_strdup_printf("/config/cli/error/%zu", i);
        g_test_add_data_func(path, &cli_errors[i], test_cli_error);
    }
    add_test("/config/cli/help", test_cli_help);
    add_test("/config/cli/version", test_cli_version);
    add_test("/config/man", test_man);
    add_test("/config/example-conf", test_example_conf);

    int result = g_test_run();
    g_ptr_array_free(logged, TRUE);
    return result;
}
