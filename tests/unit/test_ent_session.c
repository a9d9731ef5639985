/* The client's settings and clock: craie.conf's [ent] section as settings,
 * what cr_ent_new refuses, the end-of-day time (daylight saving included),
 * and a fresh client's snapshot. No network. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "ent-client/ent.h"
#include "ent-client/private.h"

static GLogWriterOutput quiet(GLogLevelFlags level, const GLogField *f, gsize n, gpointer d)
{
    return G_LOG_WRITER_HANDLED; /* refusals are logged as warnings: expected here */
}

static void test_time_of_day(void)
{
    int m;
    g_assert_true(cr_ent_parse_time_of_day("18:30", &m));
    g_assert_cmpint(m, ==, 18 * 60 + 30);
    g_assert_true(cr_ent_parse_time_of_day("0:05", &m));
    g_assert_cmpint(m, ==, 5);
    g_assert_true(cr_ent_parse_time_of_day("", &m));
    g_assert_cmpint(m, ==, -1);
    g_assert_true(cr_ent_parse_time_of_day(NULL, &m));
    g_assert_cmpint(m, ==, -1);
    const char *bad[] = {"24:00", "18h30", "18:60", "-1:00", "18:30 ", "soir", "18"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        g_assert_false(cr_ent_parse_time_of_day(bad[i], &m));
}

static void test_seconds_until(void)
{
    g_autoptr(GTimeZone) paris = g_time_zone_new_identifier("Europe/Paris");
    if (!paris)
        paris = g_time_zone_new_utc(); /* no tzdata: the plain cases still hold */
    g_autoptr(GDateTime) noon = g_date_time_new(paris, 2026, 11, 23, 12, 0, 0);
    g_assert_cmpint(cr_ent_seconds_until(18 * 60 + 30, noon), ==, 6 * 3600 + 1800);
    /* already past today: tomorrow */
    g_assert_cmpint(cr_ent_seconds_until(11 * 60, noon), ==, 23 * 3600);
    g_assert_cmpint(cr_ent_seconds_until(12 * 60, noon), ==, 24 * 3600);
    if (g_strcmp0(g_time_zone_get_identifier(paris), "Europe/Paris"))
        return;
    /* The night clocks go forward (29 March 2026), 18:30 comes 22 h after
     * 19:30 the day before, not 23. */
    g_autoptr(GDateTime) before = g_date_time_new(paris, 2026, 3, 28, 19, 30, 0);
    g_assert_cmpint(cr_ent_seconds_until(18 * 60 + 30, before), ==, 22 * 3600);
}

static void test_settings_from_config(void)
{
    struct cr_config cfg;
    cr_config_init(&cfg);
    struct cr_ent_settings s;
    g_assert_false(cr_ent_settings_from_config(&cfg, &s)); /* ent.kind = none */
    g_assert_cmpint(s.kind, ==, CR_ENT_KIND_NONE);
    const char *conf = "[ent]\nkind = entcore\nurl = https://ent.example\nclient_id = board\n"
                       "idle_minutes = 15\nend_of_day = 18:30\nroom = Salle 12\n";
    cr_config_load_data(&cfg, conf, strlen(conf), "test");
    g_assert_cmpuint(cfg.n_diagnostics, ==, 0);
    g_assert_true(cr_ent_settings_from_config(&cfg, &s));
    g_assert_cmpint(s.kind, ==, CR_ENT_KIND_ENTCORE);
    g_assert_cmpstr(s.url, ==, "https://ent.example");
    g_assert_cmpstr(s.client_id, ==, "board");
    g_assert_null(s.client_secret_file); /* empty means none */
    g_assert_null(s.callback_url);
    g_assert_cmpint(s.idle_seconds, ==, 15 * 60);
    g_assert_cmpint(s.idle_warning_seconds, ==, 60);
    g_assert_cmpstr(s.end_of_day, ==, "18:30");
    g_assert_cmpstr(s.room, ==, "Salle 12");
    cr_config_destroy(&cfg);
}

static void test_new_refuses(void)
{
    GMainContext *ctx = g_main_context_new();
    struct cr_ent_settings ok = {
        .kind = CR_ENT_KIND_OIDC, .url = "https://idp.example", .client_id = "board"};
    struct cr_ent *ent = cr_ent_new(&ok, ctx, NULL, NULL);
    g_assert_nonnull(ent);
    struct cr_ent_view *v = cr_ent_snapshot(ent);
    g_assert_cmpint(v->state, ==, CR_ENT_SIGNED_OUT);
    g_assert_cmpint(v->kind, ==, CR_ENT_KIND_OIDC);
    g_assert_null(v->user_name);
    g_assert_cmpuint(v->n_resources, ==, 0);
    cr_ent_view_free(v);
    /* nothing to sign out of, nothing happens */
    cr_ent_signout(ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_cmpint(cr_ent_get_state(ent), ==, CR_ENT_SIGNED_OUT);
    cr_ent_unref(ent);

    struct cr_ent_settings s = ok;
    s.kind = CR_ENT_KIND_NONE;
    g_assert_null(cr_ent_new(&s, ctx, NULL, NULL));
    s = ok;
    s.url = "ftp://idp.example";
    g_assert_null(cr_ent_new(&s, ctx, NULL, NULL));
    s = ok;
    s.client_id = NULL;
    g_assert_null(cr_ent_new(&s, ctx, NULL, NULL));
    s = ok;
    s.end_of_day = "6 pm";
    g_assert_null(cr_ent_new(&s, ctx, NULL, NULL));
    s = ok;
    s.client_secret_file = "/nonexistent/secret";
    g_assert_null(cr_ent_new(&s, ctx, NULL, NULL));
    /* a secret file others may read is refused; a private one is read */
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("craie-secret-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, "s3cret \n", 8), ==, 8);
    close(fd);
    g_chmod(path, 0640);
    s.client_secret_file = path;
    g_assert_null(cr_ent_new(&s, ctx, NULL, NULL));
    g_chmod(path, 0600);
    ent = cr_ent_new(&s, ctx, NULL, NULL);
    g_assert_nonnull(ent);
    g_assert_cmpstr(ent->client_secret, ==, "s3cret");
    cr_ent_unref(ent);
    g_unlink(path);
    /* CAS needs no client secret (its client id is the service) */
    struct cr_ent_settings cas = {.kind = CR_ENT_KIND_CAS, .url = "https://cas.example/cas"};
    ent = cr_ent_new(&cas, ctx, NULL, NULL);
    g_assert_nonnull(ent);
    g_assert_cmpuint(ent->methods, ==, CR_ENT_METHOD_PASSWORD);
    cr_ent_unref(ent);
    g_main_context_unref(ctx);
}

static void test_names(void)
{
    enum cr_ent_kind k;
    g_assert_true(cr_ent_kind_from_name("entcore", &k));
    g_assert_cmpint(k, ==, CR_ENT_KIND_ENTCORE);
    g_assert_false(cr_ent_kind_from_name("moodle", &k));
    g_assert_cmpstr(cr_ent_kind_name(CR_ENT_KIND_CAS), ==, "cas");
    g_assert_cmpstr(cr_ent_method_name(CR_ENT_METHOD_CROSS_DEVICE), ==, "cross-device");
    g_assert_cmpstr(cr_ent_resource_kind_name(CR_ENT_RESOURCE_GAR), ==, "gar");
    /* every problem the board can show has a message */
    for (int p = CR_ENT_PROBLEM_EXPIRED; p <= CR_ENT_PROBLEM_CONFIG; p++)
        g_assert_nonnull(cr_ent_problem_message((enum cr_ent_problem)p));
}

static void test_view_json(void)
{
    struct cr_ent_view v = {
        .state = CR_ENT_SIGNED_IN,
        .kind = CR_ENT_KIND_ENTCORE,
        .method = CR_ENT_METHOD_CROSS_DEVICE,
        .user_name = "Jean DUPONT",
        .n_resources = 3,
        .counts = {[CR_ENT_RESOURCE_APP] = 2, [CR_ENT_RESOURCE_GAR] = 1},
    };
    g_autofree char *j = cr_ent_view_to_json(&v);
    g_assert_cmpstr(j, ==,
                    "{\"state\":\"signed-in\",\"signed_in\":true,\"kind\":\"entcore\","
                    "\"method\":\"cross-device\",\"user\":\"Jean DUPONT\",\"loading\":false,"
                    "\"resources\":{\"total\":3,\"app\":2,\"connector\":0,\"gar\":1,"
                    "\"document\":0,\"folder\":0,\"link\":0},\"idle_seconds_left\":0,"
                    "\"message\":null}");
    /* A code being shown is never in it. */
    struct cr_ent_view code = {.state = CR_ENT_SHOW_CODE,
                               .kind = CR_ENT_KIND_OIDC,
                               .method = CR_ENT_METHOD_DEVICE,
                               .qr_uri = "https://idp/device?code=WXYZ-1234",
                               .user_code = "WXYZ-1234"};
    g_autofree char *k = cr_ent_view_to_json(&code);
    g_assert_null(strstr(k, "WXYZ"));
    g_assert_nonnull(strstr(k, "\"signed_in\":false"));
    g_assert_nonnull(strstr(k, "\"user\":null"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_log_set_writer_func(quiet, NULL, NULL);
    g_test_add_func("/ent/session/time-of-day", test_time_of_day);
    g_test_add_func("/ent/session/seconds-until", test_seconds_until);
    g_test_add_func("/ent/session/settings-from-config", test_settings_from_config);
    g_test_add_func("/ent/session/new-refuses", test_new_refuses);
    g_test_add_func("/ent/session/names", test_names);
    g_test_add_func("/ent/session/view-json", test_view_json);
    return g_test_run();
}
