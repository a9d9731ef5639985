/* End to end: what a technician sees of a running craie. craiectl status
 * and the metrics endpoint during a real run (the counters move after
 * actions on the board), the usage CSV, the restart counter across two
 * runs, and a bearer token that is required when configured (and a token
 * file others can read that is refused). */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/e2e.h"

static char *state_dir;

static JsonObject *status(void)
{
    char *out = NULL, *err = NULL;
    int rc = e2e_ctl(&out, &err, "status", NULL);
    if (rc != 0)
        g_error("craiectl status failed: %s", err);
    JsonNode *root = json_from_string(out, NULL);
    g_assert_nonnull(root);
    JsonObject *o = json_object_ref(json_node_get_object(root));
    json_node_unref(root);
    g_free(out);
    g_free(err);
    return o;
}

static int metrics_port(void)
{
    JsonObject *s = status();
    JsonObject *m = json_object_get_object_member(s, "metrics");
    int port = (int)json_object_get_int_member(m, "port");
    json_object_unref(s);
    return port;
}

static unsigned scrape(int port, const char *token, char **body)
{
    g_autofree char *url = g_strdup_printf("http://127.0.0.1:%d/metrics", port);
    SoupSession *session = soup_session_new_with_options("timeout", 10, NULL);
    SoupMessage *msg = soup_message_new("GET", url);
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
    unsigned code = soup_message_get_status(msg);
    g_object_unref(msg);
    g_object_unref(session);
    return code;
}

/* The value of one sample ("name" or "name{labels}"), -1 when absent. */
static int64_t sample(const char *text, const char *name)
{
    g_autofree char *needle = g_strdup_printf("\n%s ", name);
    const char *p = strstr(text, needle);
    return p ? g_ascii_strtoll(p + strlen(needle), NULL, 10) : -1;
}

static void start(const char *const *extra)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(args, g_strdup_printf("--paths.state_dir=%s", state_dir));
    g_ptr_array_add(args, g_strdup("--cast.port=0"));
    for (; extra && *extra; extra++)
        g_ptr_array_add(args, g_strdup(*extra));
    g_ptr_array_add(args, NULL);
    e2e_start((const char *const *)args->pdata);
}

static bool frames_seen(void *data)
{
    JsonObject *s = status();
    JsonArray *sources = json_object_get_array_member(s, "sources");
    JsonObject *cam = json_array_get_object_element(sources, 0);
    bool ok = !strcmp(json_object_get_string_member(cam, "name"), "camera") &&
              json_object_get_int_member(cam, "frames_pushed") > 5;
    json_object_unref(s);
    return ok;
}

static void test_status_and_metrics(void)
{
    start(NULL);
    JsonObject *s = status();
    g_assert_cmpstr(json_object_get_string_member(s, "version"), !=, "");
    g_assert_true(json_object_has_member(s, "uptime_s"));
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "launcher");
    g_assert_true(JSON_NODE_HOLDS_ARRAY(json_object_get_member(s, "sources")));
    g_assert_true(JSON_NODE_HOLDS_ARRAY(json_object_get_member(s, "inputs")));
    g_assert_true(JSON_NODE_HOLDS_OBJECT(json_object_get_member(s, "errors")));
    JsonObject *ent = json_object_get_object_member(s, "ent");
    g_assert_false(json_object_get_boolean_member(ent, "signed_in"));
    g_assert_false(json_object_has_member(ent, "user")); /* never who */
    g_assert_cmpint(json_object_get_int_member(s, "runs"), ==, 1);
    json_object_unref(s);

    int port = metrics_port();
    g_assert_cmpint(port, >, 0);
    g_autofree char *before = NULL;
    g_assert_cmpuint(scrape(port, NULL, &before), ==, 200);
    g_assert_cmpint(sample(before, "craie_restarts_total"), ==, 0);
    g_assert_cmpint(sample(before, "craie_feature_uses_total{feature=\"camera\"}"), ==, 0);
    g_assert_cmpint(sample(before, "craie_frames_received_total{source=\"camera\"}"), ==, 0);

    /* the teacher opens the camera from its tile and takes a snapshot */
    e2e_tap_button("open camera");
    g_assert_true(e2e_wait_for(frames_seen, NULL, 15000));
    E2E_OK("camera", "snapshot");
    g_autofree char *after = NULL;
    g_assert_cmpuint(scrape(port, NULL, &after), ==, 200);
    g_assert_cmpint(sample(after, "craie_frames_received_total{source=\"camera\"}"), >, 5);
    g_assert_cmpint(sample(after, "craie_feature_uses_total{feature=\"camera\"}"), ==, 1);
    g_assert_cmpint(sample(after, "craie_feature_uses_total{feature=\"snapshot\"}"), ==, 1);
    g_assert_cmpint(sample(after, "craie_uptime_seconds"), >=, 0);
    g_assert_cmpint(sample(after, "craie_ent_signed_in"), ==, 0);

    /* the same in the status, and the CSV */
    s = status();
    JsonObject *today = json_object_get_object_member(s, "usage_today");
    g_assert_cmpint(json_object_get_int_member(today, "camera"), ==, 1);
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "camera");
    json_object_unref(s);
    char *csv = NULL, *err = NULL;
    g_assert_cmpint(e2e_ctl(&csv, &err, "usage", "--csv", NULL), ==, 0);
    g_assert_true(g_str_has_prefix(csv, "date,feature,count\n"));
    g_assert_nonnull(strstr(csv, ",camera,1\n"));
    g_assert_nonnull(strstr(csv, ",snapshot,1\n"));
    g_free(csv);
    g_free(err);
    e2e_quit();

    /* a second run: counted as a restart, the usage kept */
    start(NULL);
    port = metrics_port();
    g_autofree char *again = NULL;
    g_assert_cmpuint(scrape(port, NULL, &again), ==, 200);
    g_assert_cmpint(sample(again, "craie_starts_total"), ==, 2);
    g_assert_cmpint(sample(again, "craie_restarts_total"), ==, 1);
    g_assert_cmpint(sample(again, "craie_feature_uses_total{feature=\"camera\"}"), ==, 1);
    e2e_quit();
}

static void test_token(void)
{
    g_autofree char *token_file = g_build_filename(e2e_tmp_dir, "metrics-token", NULL);
    g_assert_true(g_file_set_contents(token_file, "e2e-token-42\n", -1, NULL));
    g_chmod(token_file, 0600);
    g_autofree char *opt = g_strdup_printf("--metrics.token_file=%s", token_file);
    const char *extra[] = {opt, NULL};
    start(extra);
    int port = metrics_port();
    g_assert_cmpint(port, >, 0);
    g_assert_cmpuint(scrape(port, NULL, NULL), ==, 401);
    g_assert_cmpuint(scrape(port, "wrong", NULL), ==, 401);
    g_autofree char *body = NULL;
    g_assert_cmpuint(scrape(port, "e2e-token-42", &body), ==, 200);
    g_assert_nonnull(strstr(body, "craie_uptime_seconds"));
    e2e_quit();
    g_autofree char *log = e2e_craie_log();
    g_assert_null(strstr(log, "e2e-token-42")); /* never in a log line */

    /* readable by others: refused, said clearly, craie runs on */
    g_chmod(token_file, 0644);
    start(extra);
    JsonObject *s = status();
    JsonObject *m = json_object_get_object_member(s, "metrics");
    g_assert_false(json_object_get_boolean_member(m, "enabled"));
    json_object_unref(s);
    e2e_quit();
    g_autofree char *log2 = e2e_craie_log();
    g_assert_nonnull(strstr(log2, "token file is refused"));
    g_assert_nonnull(strstr(log2, "chmod 600"));
}

/* craiectl settings-pin set with the PIN on its standard input. */
static int set_pin(const char *stdin_text)
{
    g_autofree char *ctl = g_build_filename(e2e_build_root, "craiectl", NULL);
    g_autofree char *sock = g_strdup_printf("--socket=%s", e2e_socket_path);
    /* PBKDF2 (100 000 rounds) is slow under the sanitizers: a longer wait */
    const char *argv[] = {ctl, sock, "--timeout=120000", "settings-pin", "set", NULL};
    GPid pid;
    int in = -1;
    GError *e = NULL;
    /* its answer ("true") stays off the test's TAP output */
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                           NULL, NULL, &pid, &in, NULL, NULL, &e));
    g_assert_no_error(e);
    g_assert_cmpint(write(in, stdin_text, strlen(stdin_text)), ==, (int)strlen(stdin_text));
    close(in);
    int status = 0;
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_spawn_close_pid(pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static JsonObject *settings_state(void)
{
    JsonObject *s = e2e_state();
    JsonObject *o = json_object_ref(json_object_get_object_member(s, "settings"));
    json_object_unref(s);
    return o;
}

static bool lines_contain(JsonObject *st, const char *text)
{
    JsonArray *lines = json_object_get_array_member(st, "lines");
    for (guint i = 0; i < json_array_get_length(lines); i++)
        if (strstr(json_array_get_string_element(lines, i), text))
            return true;
    return false;
}

static bool diagnosed(void *data)
{
    JsonObject *s = settings_state();
    bool done = !json_object_get_boolean_member(s, "diagnosing");
    json_object_unref(s);
    return done;
}

static void type_on_pad(const char *digits)
{
    for (const char *p = digits; *p; p++) {
        char action[32];
        g_snprintf(action, sizeof(action), "settings key %c", *p);
        e2e_tap_button(action);
    }
    /* OK checks the PIN (PBKDF2, slow under the sanitizers): tapped with a longer wait */
    JsonObject *st = e2e_state();
    struct e2e_rect r = e2e_member_rect(e2e_button(st, "settings key ok"), "rect");
    json_object_unref(st);
    g_autofree char *x = g_strdup_printf("%d", r.x + r.w / 2);
    g_autofree char *y = g_strdup_printf("%d", r.y + r.h / 2);
    char *err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "--timeout=120000", "tap", x, y, NULL), ==, 0);
    g_free(err);
}

static void test_settings_pin(void)
{
    start(NULL);
    /* the PIN is read from standard input, never from the command line */
    char *err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "settings-pin", "set", "4821", NULL), ==, 2);
    g_free(err);
    g_assert_cmpint(set_pin("12\n"), ==, 1); /* too short: refused */
    g_assert_cmpint(set_pin("4821\n"), ==, 0);
    g_autofree char *pin_file = g_build_filename(state_dir, "settings-pin", NULL);
    g_autofree char *stored = NULL;
    g_assert_true(g_file_get_contents(pin_file, &stored, NULL, NULL));
    g_assert_true(g_str_has_prefix(stored, "pbkdf2-sha256$"));
    g_assert_null(strstr(stored, "4821"));
    GStatBuf st;
    g_assert_cmpint(g_stat(pin_file, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);

    /* the Réglages tile opens the PIN pad (in French, as craie starts here) */
    e2e_tap_button("open settings");
    JsonObject *s = settings_state();
    g_assert_true(json_object_get_boolean_member(s, "locked"));
    g_assert_false(lines_contain(s, "Nom de ce PC")); /* nothing shown while locked */
    json_object_unref(s);
    SDL_Surface *pad = e2e_screenshot("settings-pad");
    JsonObject *full = e2e_state();
    struct e2e_rect k5 = e2e_member_rect(e2e_button(full, "settings key 5"), "rect");
    g_assert_cmpint(k5.w, >=, 90);                         /* big keys */
    g_assert_nonnull(e2e_button(full, "calibrate start")); /* the teacher's way, without PIN */
    g_assert_true(e2e_color_near(pad, k5.x + 8, k5.y + k5.h / 2, 2, 0x334155, 8));
    json_object_unref(full);
    SDL_FreeSurface(pad);

    /* a wrong PIN typed on the pad: refused, still locked */
    type_on_pad("1111");
    s = settings_state();
    g_assert_true(json_object_get_boolean_member(s, "locked"));
    g_assert_cmpstr(json_object_get_string_member(s, "message"), ==, "Code erroné.");
    g_assert_cmpint(json_object_get_int_member(s, "typed"), ==, 0);
    json_object_unref(s);

    /* the right one opens the pages */
    type_on_pad("4821");
    s = settings_state();
    g_assert_false(json_object_get_boolean_member(s, "locked"));
    g_assert_cmpstr(json_object_get_string_member(s, "page"), ==, "network");
    g_assert_true(lines_contain(s, "Nom de ce PC"));
    json_object_unref(s);
    e2e_tap_button("settings page devices");
    s = settings_state();
    g_assert_cmpstr(json_object_get_string_member(s, "page"), ==, "devices");
    g_assert_true(lines_contain(s, "Stylets et surfaces tactiles"));
    g_assert_true(lines_contain(s, "Caméras trouvées"));
    json_object_unref(s);
    /* the checks run on a worker thread; the board stays live meanwhile */
    e2e_tap_button("settings page diagnostics");
    e2e_tap_button("settings diagnose");
    s = settings_state();
    g_assert_cmpstr(json_object_get_string_member(s, "page"), ==, "diagnostics");
    json_object_unref(s);
    g_assert_true(e2e_wait_for(diagnosed, NULL, 30000));
    s = settings_state();
    g_assert_true(lines_contain(s, "mDNS"));
    g_assert_true(lines_contain(s, "Le port de diffusion répond")); /* our own casting port */
    g_assert_true(lines_contain(s, "Aucun ENT n'est configuré"));
    json_object_unref(s);
    e2e_tap_button("settings page journal");
    s = settings_state();
    g_assert_true(lines_contain(s, "Réglages opened"));
    json_object_unref(s);

    /* leaving locks it again */
    e2e_tap_button("open launcher");
    e2e_tap_button("open settings");
    s = settings_state();
    g_assert_true(json_object_get_boolean_member(s, "locked"));
    json_object_unref(s);

    /* three wrong tries: the next one waits, even the right PIN */
    for (int i = 0; i < 3; i++) {
        err = NULL;
        g_assert_cmpint(e2e_ctl(NULL, &err, "--timeout=120000", "settings", "pin", "0000", NULL),
                        ==, 1);
        g_assert_nonnull(strstr(err, "wrong PIN"));
        g_free(err);
    }
    s = settings_state();
    g_assert_nonnull(
        strstr(json_object_get_string_member(s, "message"), "Prochain essai dans 30 s"));
    json_object_unref(s);
    err = NULL;
    g_assert_cmpint(e2e_ctl(NULL, &err, "--timeout=120000", "settings", "pin", "4821", NULL), ==,
                    1);
    g_assert_nonnull(strstr(err, "too many"));
    g_free(err);
    s = settings_state();
    g_assert_true(json_object_get_boolean_member(s, "locked"));
    g_assert_nonnull(strstr(json_object_get_string_member(s, "message"), "Trop de codes erronés"));
    json_object_unref(s);

    /* the technician clears the PIN: Réglages opens at once */
    E2E_OK("settings-pin", "clear");
    E2E_OK("open", "launcher");
    E2E_OK("open", "settings");
    s = settings_state();
    g_assert_false(json_object_get_boolean_member(s, "locked"));
    json_object_unref(s);
    e2e_quit();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    int rc = e2e_init("e2e-fleet");
    if (rc)
        return rc;
    state_dir = g_build_filename(e2e_tmp_dir, "state", NULL);
    g_test_add_func("/e2e/fleet/status-and-metrics", test_status_and_metrics);
    g_test_add_func("/e2e/fleet/token", test_token);
    g_test_add_func("/e2e/fleet/settings-pin", test_settings_pin);
    rc = g_test_run();
    e2e_finish();
    g_free(state_dir);
    return rc;
}
