/* The technician's view of a running craie, piece by piece: the Prometheus
 * text, the usage counts and their CSV, secret files, the restart counter,
 * the log ring, and the metrics endpoint (real libsoup server and client,
 * with and without a bearer token). */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/stat.h>

#include "common/log.h"
#include "common/metrics.h"
#include "common/secret_file.h"
#include "common/usage.h"
#include "tests/unit/unit_test.h"

static char *tmp_dir(void)
{
    GError *err = NULL;
    char *dir = g_dir_make_tmp("craie-fleet-XXXXXX", &err);
    g_assert_no_error(err);
    return dir;
}

/* Every sample line is "name{labels} integer"; every metric family has
 * one HELP and one TYPE before its samples. */
static void check_exposition(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_autoptr(GHashTable) typed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GRegex) re = g_regex_new("^([a-z_]+)(\\{[a-z_]+=\"([^\"\\\\]|\\\\.)*\""
                                       "(,[a-z_]+=\"([^\"\\\\]|\\\\.)*\")*\\})? -?[0-9]+$",
                                       0, 0, NULL);
    for (char **l = lines; *l; l++) {
        if (!**l)
            continue;
        if (g_str_has_prefix(*l, "# TYPE ")) {
            g_auto(GStrv) w = g_strsplit(*l, " ", 4);
            g_assert_false(g_hash_table_contains(typed, w[2]));
            g_hash_table_add(typed, g_strdup(w[2]));
            continue;
        }
        if (g_str_has_prefix(*l, "# HELP "))
            continue;
        if (!g_regex_match(re, *l, 0, NULL))
            g_error("not a sample line: %s", *l);
        g_autofree char *name = g_strndup(*l, strcspn(*l, "{ "));
        g_assert_true(g_hash_table_contains(typed, name));
    }
}

static const char *status_json =
    "{\"version\": \"1.2.3\", \"uptime_s\": 42, \"runs\": 3, \"screen\": \"camera\","
    " \"sources\": [{\"name\": \"camera\", \"frames_pushed\": 100, \"frames_dropped\": 7},"
    "               {\"name\": \"cast/3\", \"frames_pushed\": 50, \"frames_dropped\": 1}],"
    " \"inputs\": [{\"key\": \"usb:1234:5678\", \"calibration_age_s\": 3600},"
    "              {\"key\": \"usb:aaaa:bbbb\", \"calibration_age_s\": null}],"
    " \"ent\": {\"signed_in\": true},"
    " \"counters\": {\"cast_sessions\": 4, \"sign_ins\": 2},"
    " \"errors\": {\"cast\": {\"warnings\": 5, \"errors\": 1}, \"we\\\"ird\\\\\": "
    "{\"warnings\": 1, \"errors\": 0}},"
    " \"usage_total\": {\"camera\": 9, \"snapshot\": 0}}";

static void test_format(void)
{
    g_autoptr(JsonNode) root = json_from_string(status_json, NULL);
    g_assert_nonnull(root);
    g_autofree char *text = cr_metrics_format(json_node_get_object(root));
    check_exposition(text);
    const char *expect[] = {
        "craie_info{version=\"1.2.3\"} 1\n",
        "craie_uptime_seconds 42\n",
        "craie_starts_total 3\n",
        "craie_restarts_total 2\n",
        "craie_frames_received_total{source=\"camera\"} 100\n",
        "craie_frames_dropped_total{source=\"camera\"} 7\n",
        "craie_frames_dropped_total{source=\"cast/3\"} 1\n",
        "craie_cast_sessions_total 4\n",
        "craie_signins_total 2\n",
        "craie_ent_signed_in 1\n",
        "craie_log_errors_total{kind=\"cast\",level=\"warning\"} 5\n",
        "craie_log_errors_total{kind=\"cast\",level=\"error\"} 1\n",
        "craie_log_errors_total{kind=\"we\\\"ird\\\\\",level=\"warning\"} 1\n",
        "craie_input_devices 2\n",
        "craie_calibration_age_seconds{device=\"usb:1234:5678\"} 3600\n",
        "craie_feature_uses_total{feature=\"camera\"} 9\n",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++)
        if (!strstr(text, expect[i]))
            g_error("missing %s in:\n%s", expect[i], text);
    /* a device without a calibration has no age */
    g_assert_null(strstr(text, "usb:aaaa:bbbb"));

    /* an empty status still gives a valid exposition */
    g_autoptr(JsonNode) empty = json_from_string("{}", NULL);
    g_autofree char *text2 = cr_metrics_format(json_node_get_object(empty));
    check_exposition(text2);
    g_assert_nonnull(strstr(text2, "craie_restarts_total 0\n"));
}

static void test_escape(void)
{
    g_autofree char *e = cr_metrics_escape_label("a\"b\\c\nd");
    g_assert_cmpstr(e, ==, "a\\\"b\\\\c\\nd");
}

static void test_usage_csv(void)
{
    g_autofree char *dir = tmp_dir();
    g_autofree char *path = g_build_filename(dir, "usage.conf", NULL);
    struct cr_usage *u = cr_usage_new(path);
    g_autofree char *empty = cr_usage_csv(u);
    g_assert_cmpstr(empty, ==, "date,feature,count\n");
    cr_usage_count(u, CR_USAGE_SNAPSHOT, "2026-11-23");
    cr_usage_count(u, CR_USAGE_CAMERA, "2026-11-23");
    cr_usage_count(u, CR_USAGE_CAMERA, "2026-11-23");
    cr_usage_count(u, CR_USAGE_WHITEBOARD, "2026-11-02");
    cr_usage_count(u, CR_USAGE_CAMERA, "not-a-day"); /* ignored */
    cr_usage_count(u, CR_USAGE_COUNT, "2026-11-23"); /* ignored */
    g_assert_cmpuint(cr_usage_get(u, CR_USAGE_CAMERA, "2026-11-23"), ==, 2);
    g_assert_cmpuint(cr_usage_total(u, CR_USAGE_CAMERA), ==, 2);
    const char *want = "date,feature,count\n"
                       "2026-11-02,whiteboard,1\n"
                       "2026-11-23,camera,2\n"
                       "2026-11-23,snapshot,1\n";
    g_autofree char *csv = cr_usage_csv(u);
    g_assert_cmpstr(csv, ==, want);
    cr_usage_free(u);

    /* kept across a restart, and today counts too */
    u = cr_usage_new(path);
    g_autofree char *again = cr_usage_csv(u);
    g_assert_cmpstr(again, ==, want);
    cr_usage_count(u, CR_USAGE_CAST, NULL);
    g_assert_cmpuint(cr_usage_get(u, CR_USAGE_CAST, NULL), ==, 1);
    cr_usage_free(u);

    /* no personal data can get in: the file holds days, feature names and numbers */
    g_autofree char *data = NULL;
    g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
    g_autoptr(GRegex) re =
        g_regex_new("^(\\[[0-9]{4}-[0-9]{2}-[0-9]{2}\\]|[a-z_]+=[0-9]+|)$", 0, 0, NULL);
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    for (char **l = lines; *l; l++)
        if (!g_regex_match(re, *l, 0, NULL))
            g_error("unexpected line in usage.conf: %s", *l);

    /* only so many days are kept */
    u = cr_usage_new(path);
    for (int i = 0; i < CR_USAGE_DAYS_KEPT + 5; i++) {
        g_autoptr(GDateTime) d = g_date_time_new_local(2020, 1, 1, 0, 0, 0);
        g_autoptr(GDateTime) di = g_date_time_add_days(d, i);
        g_autofree char *day = g_date_time_format(di, "%Y-%m-%d");
        cr_usage_count(u, CR_USAGE_SAVE, day);
    }
    cr_usage_free(u);
    u = cr_usage_new(path);
    g_autofree char *long_csv = cr_usage_csv(u);
    g_assert_null(strstr(long_csv, "2020-01-01,")); /* the oldest went */
    cr_usage_free(u);

    /* a damaged file: logged, counting starts again */
    g_assert_true(g_file_set_contents(path, "[oops\n\x01", -1, NULL));
    u = cr_usage_new(path);
    g_autofree char *fresh = cr_usage_csv(u);
    g_assert_cmpstr(fresh, ==, "date,feature,count\n");
    cr_usage_free(u);
    cr_test_remove_tree(dir);
}

static void test_secret_file(void)
{
    g_autofree char *dir = tmp_dir();
    g_autofree char *path = g_build_filename(dir, "token", NULL);
    char *secret = NULL;
    g_autoptr(GError) err = NULL;
    g_assert_false(cr_secret_file_read(path, &secret, &err)); /* missing */
    g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_clear_error(&err);

    g_assert_true(g_file_set_contents(path, "s3cret-token\n", -1, NULL));
    g_chmod(path, 0644);
    g_assert_false(cr_secret_file_read(path, &secret, &err));
    g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM);
    g_assert_nonnull(strstr(err->message, "chmod 600"));
    g_clear_error(&err);

    g_chmod(path, 0600);
    g_assert_true(cr_secret_file_read(path, &secret, &err));
    g_assert_no_error(err);
    g_assert_cmpstr(secret, ==, "s3cret-token");
    cr_secret_file_free(secret);

    g_assert_true(g_file_set_contents(path, " \n", -1, NULL));
    g_chmod(path, 0600);
    g_assert_false(cr_secret_file_read(path, &secret, &err));
    g_clear_error(&err);

    /* a folder, or a link, is not a secret file */
    g_assert_false(cr_secret_file_read(dir, &secret, &err));
    g_clear_error(&err);
    g_autofree char *link = g_build_filename(dir, "link", NULL);
    g_assert_cmpint(symlink(path, link), ==, 0);
    g_assert_false(cr_secret_file_read(link, &secret, &err));
    cr_test_remove_tree(dir);
}

static void test_runs(void)
{
    g_autofree char *dir = tmp_dir();
    g_autofree char *state = g_build_filename(dir, "state", NULL);
    g_assert_cmpuint(cr_metrics_count_run(state), ==, 1);
    g_assert_cmpuint(cr_metrics_count_run(state), ==, 2);
    g_assert_cmpuint(cr_metrics_count_run(state), ==, 3);
    g_autofree char *path = g_build_filename(state, "runs", NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "3\n");
    g_assert_cmpuint(cr_metrics_count_run(""), ==, 1); /* no state folder */
    cr_test_remove_tree(dir);
}

static void test_log_ring(void)
{
    cr_info("fleet", "first line");
    cr_warn("cast/7", "a cast warning");
    cr_err("cast/2", "a cast error");
    cr_debug("fleet", "not kept");
    cr_info("fleet", "last line");
    g_auto(GStrv) lines = cr_log_recent(3);
    g_assert_cmpuint(g_strv_length(lines), ==, 3);
    g_assert_nonnull(strstr(lines[0], "cast/7 W: a cast warning"));
    g_assert_nonnull(strstr(lines[1], "cast/2 E: a cast error"));
    g_assert_nonnull(strstr(lines[2], "fleet I: last line"));
    struct cr_log_kind kinds[CR_LOG_MAX_KINDS];
    size_t n = cr_log_error_kinds(kinds, CR_LOG_MAX_KINDS);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(kinds[i].kind, "cast")) {
            g_assert_cmpuint(kinds[i].warnings, ==, 1);
            g_assert_cmpuint(kinds[i].errors, ==, 1);
            found = true;
        }
    g_assert_true(found);
    /* the ring keeps the newest CR_LOG_RECENT lines */
    for (int i = 0; i < CR_LOG_RECENT + 10; i++)
        cr_info("fleet", "line %d", i);
    g_auto(GStrv) all = cr_log_recent(1000);
    g_assert_cmpuint(g_strv_length(all), ==, CR_LOG_RECENT);
    g_autofree char *last = g_strdup_printf("fleet I: line %d", CR_LOG_RECENT + 9);
    g_assert_true(g_str_has_suffix(all[CR_LOG_RECENT - 1], last));
}

/* --- the endpoint --------------------------------------------------------- */

struct server_thread {
    GMainContext *ctx;
    GMainLoop *loop;
    struct cr_metrics_server *server;
    unsigned scrapes;
};

static void on_scrape(void *userdata, uint64_t id)
{
    struct server_thread *t = userdata;
    t->scrapes++;
    cr_metrics_server_answer(t->server, id, g_strdup_printf("craie_test_scrapes %u\n", t->scrapes));
}

static const struct cr_metrics_server_callbacks scrape_cbs = {.on_scrape = on_scrape};

static gpointer run_loop(gpointer data)
{
    struct server_thread *t = data;
    g_main_context_push_thread_default(t->ctx);
    g_main_loop_run(t->loop);
    g_main_context_pop_thread_default(t->ctx);
    return NULL;
}

static gboolean quit_and_free(gpointer data)
{
    struct server_thread *t = data;
    cr_metrics_server_free(t->server);
    t->server = NULL;
    g_main_loop_quit(t->loop);
    return G_SOURCE_REMOVE;
}

static unsigned get(SoupSession *session, int port, const char *path, const char *token,
                    char **body)
{
    g_autofree char *url = g_strdup_printf("http://127.0.0.1:%d%s", port, path);
    g_autoptr(SoupMessage) msg = soup_message_new("GET", url);
    if (token) {
        g_autofree char *h = g_strdup_printf("Bearer %s", token);
        soup_message_headers_append(soup_message_get_request_headers(msg), "Authorization", h);
    }
    g_autoptr(GError) err = NULL;
    GBytes *bytes = soup_session_send_and_read(session, msg, NULL, &err);
    g_assert_no_error(err);
    if (body)
        *body = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
    g_bytes_unref(bytes);
    return soup_message_get_status(msg);
}

static void test_endpoint(gconstpointer with_token)
{
    struct server_thread t = {0};
    t.ctx = g_main_context_new();
    t.loop = g_main_loop_new(t.ctx, FALSE);
    g_autoptr(GError) err = NULL;
    t.server = cr_metrics_server_new(t.ctx, "127.0.0.1", 0, with_token ? "tok-123" : NULL,
                                     &scrape_cbs, &t, &err);
    g_assert_no_error(err);
    int port = cr_metrics_server_port(t.server);
    g_assert_cmpint(port, >, 0);
    GThread *th = g_thread_new("metrics", run_loop, &t);

    SoupSession *session = soup_session_new();
    char *body = NULL;
    if (with_token) {
        g_assert_cmpuint(get(session, port, "/metrics", NULL, NULL), ==, 401);
        g_assert_cmpuint(get(session, port, "/metrics", "tok-12", NULL), ==, 401);
        g_assert_cmpuint(get(session, port, "/metrics", "tok-1234", NULL), ==, 401);
        g_assert_cmpuint(t.scrapes, ==, 0);
    }
    g_assert_cmpuint(get(session, port, "/metrics", with_token ? "tok-123" : NULL, &body), ==, 200);
    g_assert_cmpstr(body, ==, "craie_test_scrapes 1\n");
    g_free(body);
    g_assert_cmpuint(get(session, port, "/metrics", with_token ? "tok-123" : NULL, &body), ==, 200);
    g_assert_cmpstr(body, ==, "craie_test_scrapes 2\n");
    g_free(body);
    g_assert_cmpuint(get(session, port, "/other", NULL, NULL), ==, 404);
    g_object_unref(session);

    g_main_context_invoke(t.ctx, quit_and_free, &t);
    g_thread_join(th);
    g_main_loop_unref(t.loop);
    g_main_context_unref(t.ctx);
}

static void test_endpoint_bad_address(void)
{
    g_autoptr(GError) err = NULL;
    GMainContext *ctx = g_main_context_new();
    struct cr_metrics_server *s =
        cr_metrics_server_new(ctx, "not-an-ip", 0, NULL, &scrape_cbs, NULL, &err);
    g_assert_null(s);
    g_assert_nonnull(strstr(err->message, "metrics.address"));
    g_main_context_unref(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cr_log_init(false); /* craie's writer: warnings are counted, not fatal */
    g_test_add_func("/fleet/metrics/format", test_format);
    g_test_add_func("/fleet/metrics/escape", test_escape);
    g_test_add_func("/fleet/usage/csv", test_usage_csv);
    g_test_add_func("/fleet/secret-file", test_secret_file);
    g_test_add_func("/fleet/runs", test_runs);
    g_test_add_func("/fleet/log-ring", test_log_ring);
    g_test_add_data_func("/fleet/metrics/endpoint", NULL, test_endpoint);
    g_test_add_data_func("/fleet/metrics/endpoint-token", "token", test_endpoint);
    g_test_add_func("/fleet/metrics/bad-address", test_endpoint_bad_address);
    return g_test_run();
}
