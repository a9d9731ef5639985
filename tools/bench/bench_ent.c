/* craie-bench ent: how fast the board is signed in and out, on loopback.
 *   baseline: one HTTP GET of the provider's discovery document (what the
 *             network stack and the server alone cost per request);
 *   device:   a real Glewlwyd, device flow (polling every second, as the
 *             test provider asks): from the scripted phone's approval to the
 *             teacher's resources listed; then sign-out (revocation of both
 *             tokens at the server) to everything wiped;
 *   cross:    the fake entcore, cross-device code flow: from the phone's
 *             arrival at the board's callback to the resources listed (5
 *             listings); sign-out (/auth/logout) to wiped;
 *   board:    the real craie (built next to craie-bench), driven through its
 *             control socket like a test: device flow against the same
 *             Glewlwyd, from the phone's approval to the resource tiles on
 *             screen (get_state lays out and lists what is drawn); the
 *             Sign out command to the screen saying so.
 * Runs itself under tests/idp/run-with.sh to get the servers. Prints
 * key=value lines on stdout; a table for people on stderr. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build_config.h"
#include "common/ipc.h"
#include "common/log.h"
#include "ent-client/ent.h"
#include "ent-client/http.h"

#define BENCH_DEFAULT_RUNS 7
#define BENCH_WAIT_US (20 * G_USEC_PER_SEC)

int cr_bench_ent(int argc, char **argv);

struct bench {
    GMainContext *ctx;
    struct cr_ent *ent;
    int64_t signing_in_at; /* realtime us of the last SIGNING_IN */
};

static void changed(struct cr_ent *ent, void *data)
{
    struct bench *b = data;
    if (cr_ent_get_state(ent) == CR_ENT_SIGNING_IN && !b->signing_in_at)
        b->signing_in_at = g_get_real_time();
}

static const struct cr_ent_callbacks callbacks = {.changed = changed};

static bool ready(struct bench *b, enum cr_ent_state state)
{
    if (cr_ent_get_state(b->ent) != state)
        return false;
    if (state != CR_ENT_SIGNED_IN)
        return true;
    struct cr_ent_view *v = cr_ent_snapshot(b->ent);
    bool done = !v->resources_loading && v->n_resources > 0;
    cr_ent_view_free(v);
    return done;
}

/* Turns the context until the state is reached; the realtime it was seen. */
static int64_t wait_state(struct bench *b, enum cr_ent_state state)
{
    int64_t deadline = g_get_monotonic_time() + BENCH_WAIT_US;
    while (!ready(b, state)) {
        if (g_get_monotonic_time() > deadline)
            return -1;
        g_main_context_iteration(b->ctx, TRUE);
    }
    return g_get_real_time();
}

/* Runs the phone script while the context turns; its output (g_free). */
static char *phone(struct bench *b, char **argv)
{
    g_autofree char *out_path = NULL;
    int fd = g_file_open_tmp("craie-bench-phone-XXXXXX", &out_path, NULL);
    GPid pid;
    if (fd < 0 || !g_spawn_async_with_pipes_and_fds(NULL, (const char *const *)argv, NULL,
                                                    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                                                    NULL, NULL, -1, fd, -1, NULL, NULL, 0, &pid,
                                                    NULL, NULL, NULL, NULL))
        return NULL;
    close(fd);
    int status = 0;
    int64_t deadline = g_get_monotonic_time() + BENCH_WAIT_US;
    while (waitpid(pid, &status, WNOHANG) != pid) {
        if (g_get_monotonic_time() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        if (!g_main_context_iteration(b->ctx, FALSE))
            g_usleep(500);
    }
    char *text = NULL;
    g_file_get_contents(out_path, &text, NULL, NULL);
    g_unlink(out_path);
    return text;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(GArray *v)
{
    if (v->len == 0)
        return -1;
    qsort(v->data, v->len, sizeof(double), cmp_double);
    return g_array_index(v, double, v->len / 2);
}

static void http_done(const struct cr_http_response *resp, void *data)
{
    *(int64_t *)data = resp->status == 200 ? g_get_monotonic_time() : -1;
}

static double baseline(GMainContext *ctx, const char *url, int runs)
{
    GArray *ms = g_array_new(FALSE, FALSE, sizeof(double));
    for (int i = 0; i < runs; i++) {
        struct cr_http *http = cr_http_new(ctx, NULL);
        int64_t done = 0, t0 = g_get_monotonic_time();
        struct cr_http_request req = {.url = url};
        cr_http_send(http, &req, http_done, &done);
        while (!done)
            g_main_context_iteration(ctx, TRUE);
        if (done > 0) {
            double v = (double)(done - t0) / 1000.0;
            g_array_append_val(ms, v);
        }
        cr_http_free(http);
    }
    double m = median(ms);
    g_array_free(ms, TRUE);
    return m;
}

struct figures {
    double signin_ms, signout_ms, local_wipe_us;
    int ok;
};

/* Signs out and measures; false on a stall. */
static bool sign_out(struct bench *b, GArray *out_ms, GArray *local_us)
{
    int64_t t0 = g_get_real_time();
    cr_ent_signout(b->ent, CR_ENT_SIGNOUT_BUTTON);
    double local = (double)(g_get_real_time() - t0);
    int64_t t1 = wait_state(b, CR_ENT_SIGNED_OUT);
    if (t1 < 0)
        return false;
    double ms = (double)(t1 - t0) / 1000.0;
    g_array_append_val(out_ms, ms);
    g_array_append_val(local_us, local);
    return true;
}

static struct figures run_device(GMainContext *ctx, int runs)
{
    g_autofree char *issuer = g_strdup_printf("%s/oidc", g_getenv("GLW_API"));
    g_autofree char *list =
        g_build_filename(CR_SOURCE_ROOT, "tests/data/ent/lists/resources.json", NULL);
    g_autofree char *script = g_build_filename(CR_SOURCE_ROOT, "tests/idp/phone-glewlwyd.sh", NULL);
    struct cr_ent_settings s = {
        .kind = CR_ENT_KIND_OIDC,
        .url = issuer,
        .client_id = g_getenv("GLW_CLIENT_ID"),
        .client_secret_file = g_getenv("GLW_CLIENT_SECRET_FILE"),
        .resources = list,
    };
    GArray *in = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *out = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *local = g_array_new(FALSE, FALSE, sizeof(double));
    struct bench b = {.ctx = ctx};
    b.ent = cr_ent_new(&s, ctx, &callbacks, &b);
    for (int i = 0; b.ent && i < runs; i++) {
        cr_ent_signin(b.ent, CR_ENT_METHOD_DEVICE);
        if (wait_state(&b, CR_ENT_SHOW_CODE) < 0)
            break;
        struct cr_ent_view *v = cr_ent_snapshot(b.ent);
        char *argv[] = {script, v->qr_uri, (char *)g_getenv("GLW_API"), NULL};
        g_autofree char *said = phone(&b, argv);
        cr_ent_view_free(v);
        const char *at = said ? strstr(said, "approved_at_ns=") : NULL;
        int64_t t1 = wait_state(&b, CR_ENT_SIGNED_IN);
        if (!at || t1 < 0) {
            fprintf(stderr, "device flow: run %d did not sign in\n", i + 1);
            break;
        }
        int64_t approved_us = g_ascii_strtoll(at + strlen("approved_at_ns="), NULL, 10) / 1000;
        double ms = (double)(t1 - approved_us) / 1000.0;
        g_array_append_val(in, ms);
        if (!sign_out(&b, out, local))
            break;
    }
    struct figures f = {median(in), median(out), median(local), (int)in->len};
    if (b.ent)
        cr_ent_unref(b.ent);
    g_array_free(in, TRUE);
    g_array_free(out, TRUE);
    g_array_free(local, TRUE);
    return f;
}

static struct figures run_cross_device(GMainContext *ctx, int runs)
{
    g_autofree char *script = g_build_filename(CR_SOURCE_ROOT, "tests/idp/phone-entcore.sh", NULL);
    struct cr_ent_settings s = {
        .kind = CR_ENT_KIND_ENTCORE,
        .url = g_getenv("ENTCORE_URL"),
        .client_id = g_getenv("ENTCORE_CLIENT_ID"),
        .client_secret_file = g_getenv("ENTCORE_CLIENT_SECRET_FILE"),
        .ca_file = g_getenv("IDP_CA"),
        .callback_url = g_getenv("IDP_CALLBACK_URL"),
        .callback_cert = g_getenv("IDP_CERT"),
        .callback_key = g_getenv("IDP_KEY"),
        .room = "bench",
    };
    GArray *in = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *out = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *local = g_array_new(FALSE, FALSE, sizeof(double));
    struct bench b = {.ctx = ctx};
    b.ent = cr_ent_new(&s, ctx, &callbacks, &b);
    for (int i = 0; b.ent && i < runs; i++) {
        b.signing_in_at = 0;
        cr_ent_signin(b.ent, CR_ENT_METHOD_CROSS_DEVICE);
        if (wait_state(&b, CR_ENT_SHOW_CODE) < 0)
            break;
        struct cr_ent_view *v = cr_ent_snapshot(b.ent);
        char *argv[] = {script, v->qr_uri, "jean.dupont", (char *)g_getenv("IDP_CA"), NULL};
        g_autofree char *said = phone(&b, argv);
        cr_ent_view_free(v);
        int64_t t1 = wait_state(&b, CR_ENT_SIGNED_IN);
        if (t1 < 0 || !b.signing_in_at) {
            fprintf(stderr, "cross-device: run %d did not sign in\n", i + 1);
            break;
        }
        double ms = (double)(t1 - b.signing_in_at) / 1000.0;
        g_array_append_val(in, ms);
        if (!sign_out(&b, out, local))
            break;
        /* Let the callback's listener go before the next run binds it. */
        int64_t until = g_get_monotonic_time() + 700 * 1000;
        while (g_get_monotonic_time() < until)
            if (!g_main_context_iteration(ctx, FALSE))
                g_usleep(1000);
    }
    struct figures f = {median(in), median(out), median(local), (int)in->len};
    if (b.ent)
        cr_ent_unref(b.ent);
    g_array_free(in, TRUE);
    g_array_free(out, TRUE);
    g_array_free(local, TRUE);
    return f;
}

/* --- the real craie ------------------------------------------------------ */

/* One command; its "data" (json_node_unref) or NULL. */
static JsonNode *board_command(struct cr_ipc_client *c, const char *const *argv)
{
    g_autofree char *reply = NULL;
    bool ok = false;
    if (!cr_ipc_client_command(c, argv, 10000, &reply, &ok, NULL) || !ok)
        return NULL;
    JsonNode *root = json_from_string(reply, NULL);
    JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
    JsonNode *data = o && json_object_has_member(o, "data")
                         ? json_node_copy(json_object_get_member(o, "data"))
                         : NULL;
    if (root)
        json_node_unref(root);
    return data;
}

/* Polls "ent state" (cheap: no drawing) until the state is state; for
 * signed-in, until the resources are listed and then get_state (which lays
 * out what is drawn) shows their tiles. The realtime it was seen, -1 on a
 * stall. qr_uri: set in show-code (g_free); signing_in_seen: the first poll
 * that saw the approval. */
static int64_t board_wait(struct cr_ipc_client *c, const char *state, char **qr_uri,
                          int64_t *signing_in_seen)
{
    static const char *const ent_state[] = {"ent", "state", NULL};
    static const char *const get_state[] = {"get_state", NULL};
    int64_t deadline = g_get_monotonic_time() + BENCH_WAIT_US;
    bool signed_in = !strcmp(state, "signed-in");
    while (g_get_monotonic_time() < deadline) {
        JsonNode *n = board_command(c, ent_state);
        JsonObject *o = n ? json_node_get_object(n) : NULL;
        const char *now = o ? json_object_get_string_member(o, "state") : NULL;
        if (signing_in_seen && !*signing_in_seen && !g_strcmp0(now, "signing-in"))
            *signing_in_seen = g_get_real_time();
        bool there =
            !g_strcmp0(now, state) &&
            (!signed_in || (!json_object_get_boolean_member(o, "loading") &&
                            json_object_get_int_member(
                                json_object_get_object_member(o, "resources"), "total") > 0));
        if (n)
            json_node_unref(n);
        if (there && (signed_in || qr_uri)) {
            JsonNode *s = board_command(c, get_state);
            JsonObject *ent =
                s ? json_object_get_object_member(json_node_get_object(s), "ent") : NULL;
            there = ent && !g_strcmp0(json_object_get_string_member(ent, "state"), state) &&
                    (!signed_in ||
                     json_array_get_length(json_object_get_array_member(ent, "tiles")) > 0);
            if (there && qr_uri)
                *qr_uri = g_strdup(json_object_get_string_member(ent, "qr_uri"));
            if (s)
                json_node_unref(s);
        }
        if (there)
            return g_get_real_time();
        g_usleep(2000);
    }
    return -1;
}

static struct figures run_board(int runs)
{
    struct figures f = {0};
    g_autofree char *craie = g_build_filename(CR_BUILD_ROOT, "craie", NULL);
    if (!g_file_test(craie, G_FILE_TEST_IS_EXECUTABLE)) {
        fprintf(stderr, "board: %s is not built\n", craie);
        return f;
    }
    g_autofree char *dir = g_dir_make_tmp("craie-bench-XXXXXX", NULL);
    g_autofree char *sock = g_build_filename(dir, "ipc.sock", NULL);
    g_autofree char *list =
        g_build_filename(CR_SOURCE_ROOT, "tests/data/ent/lists/resources.json", NULL);
    g_autofree char *script = g_build_filename(CR_SOURCE_ROOT, "tests/idp/phone-glewlwyd.sh", NULL);
    g_autofree char *a_sock = g_strdup_printf("--ipc-socket=%s", sock);
    g_autofree char *a_url = g_strdup_printf("--ent.url=%s/oidc", g_getenv("GLW_API"));
    g_autofree char *a_id = g_strdup_printf("--ent.client_id=%s", g_getenv("GLW_CLIENT_ID"));
    g_autofree char *a_secret =
        g_strdup_printf("--ent.client_secret_file=%s", g_getenv("GLW_CLIENT_SECRET_FILE"));
    g_autofree char *a_list = g_strdup_printf("--ent.resources=%s", list);
    char *argv[] = {craie,
                    "--windowed",
                    a_sock,
                    "--display.width=1920",
                    "--display.height=1080",
                    "--ent.kind=oidc",
                    a_url,
                    a_id,
                    a_secret,
                    a_list,
                    NULL};
    char **env = g_get_environ();
    env = g_environ_setenv(env, "SDL_VIDEODRIVER", "dummy", TRUE);
    GPid pid;
    bool spawned = g_spawn_async(NULL, argv, env,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                     G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &pid, NULL);
    g_strfreev(env);
    if (!spawned)
        return f;
    struct cr_ipc_client *c = NULL;
    for (int i = 0; i < 400 && !c; i++) {
        c = cr_ipc_client_connect(sock, NULL);
        if (!c)
            g_usleep(50000);
    }
    GArray *in = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *out = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *after_poll = g_array_new(FALSE, FALSE, sizeof(double));
    static const char *const signin[] = {"ent", "signin", "device", NULL};
    static const char *const signout[] = {"ent", "signout", NULL};
    for (int i = 0; c && i < runs; i++) {
        JsonNode *r = board_command(c, signin);
        if (r)
            json_node_unref(r);
        g_autofree char *qr = NULL;
        if (board_wait(c, "show-code", &qr, NULL) < 0 || !qr)
            break;
        char *pargv[] = {script, qr, (char *)g_getenv("GLW_API"), NULL};
        g_autofree char *said = NULL;
        int status = -1;
        g_spawn_sync(NULL, pargv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &said, NULL,
                     &status, NULL);
        const char *at = said ? strstr(said, "approved_at_ns=") : NULL;
        int64_t seen = 0;
        int64_t t1 = board_wait(c, "signed-in", NULL, &seen);
        if (!at || t1 < 0) {
            fprintf(stderr, "board: run %d did not sign in\n", i + 1);
            break;
        }
        int64_t approved_us = g_ascii_strtoll(at + strlen("approved_at_ns="), NULL, 10) / 1000;
        double ms = (double)(t1 - approved_us) / 1000.0;
        g_array_append_val(in, ms);
        if (seen) {
            double own = (double)(t1 - seen) / 1000.0;
            g_array_append_val(after_poll, own);
        }
        int64_t t0 = g_get_real_time();
        r = board_command(c, signout);
        if (r)
            json_node_unref(r);
        int64_t t2 = board_wait(c, "signed-out", NULL, NULL);
        if (t2 < 0)
            break;
        ms = (double)(t2 - t0) / 1000.0;
        g_array_append_val(out, ms);
    }
    /* local_wipe_us holds, for the board, approval seen → tiles (ms) */
    f = (struct figures){median(in), median(out), median(after_poll), (int)in->len};
    if (c) {
        static const char *const quit[] = {"quit", NULL};
        JsonNode *r = board_command(c, quit);
        if (r)
            json_node_unref(r);
        cr_ipc_client_free(c);
    }
    int wstatus;
    for (int i = 0; i < 100 && waitpid(pid, &wstatus, WNOHANG) == 0; i++)
        g_usleep(50000);
    if (waitpid(pid, &wstatus, WNOHANG) == 0) {
        kill(pid, SIGTERM);
        waitpid(pid, &wstatus, 0);
    }
    g_spawn_close_pid(pid);
    g_unlink(sock);
    g_rmdir(dir);
    g_array_free(in, TRUE);
    g_array_free(out, TRUE);
    g_array_free(after_poll, TRUE);
    return f;
}

static int reexec_with_servers(int argc, char **argv)
{
    g_autofree char *runner = g_build_filename(CR_SOURCE_ROOT, "tests/idp/run-with.sh", NULL);
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
    GPtrArray *args = g_ptr_array_new();
    g_ptr_array_add(args, runner);
    g_ptr_array_add(args, "glewlwyd");
    g_ptr_array_add(args, "entcore");
    g_ptr_array_add(args, "--");
    g_ptr_array_add(args, self);
    g_ptr_array_add(args, "ent");
    for (int i = 1; i < argc; i++)
        g_ptr_array_add(args, argv[i]);
    g_ptr_array_add(args, NULL);
    execv(runner, (char **)args->pdata);
    perror("craie-bench ent: cannot run tests/idp/run-with.sh");
    return 1;
}

int cr_bench_ent(int argc, char **argv)
{
    int runs = BENCH_DEFAULT_RUNS;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
            runs = atoi(argv[++i]);
            runs = CLAMP(runs, 1, 100);
        } else if (!strcmp(argv[i], "--help")) {
            printf("Usage: craie-bench ent [--runs N]   (default %d)\n"
                   "Starts Glewlwyd and the fake entcore on loopback (tests/idp/run-with.sh)\n",
                   BENCH_DEFAULT_RUNS);
            return 0;
        } else {
            fprintf(stderr, "craie-bench ent: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!g_getenv("GLW_API") || !g_getenv("ENTCORE_URL"))
        return reexec_with_servers(argc, argv);
    cr_log_init(false);
    GMainContext *ctx = g_main_context_new();
    g_main_context_push_thread_default(ctx);

    g_autofree char *disco =
        g_strdup_printf("%s/oidc/.well-known/openid-configuration", g_getenv("GLW_API"));
    double base = baseline(ctx, disco, runs);
    struct figures dev = run_device(ctx, runs);
    struct figures cross = run_cross_device(ctx, runs);
    struct figures board = run_board(runs);

    g_main_context_pop_thread_default(ctx);
    g_main_context_unref(ctx);

    printf("runs=%d\n", runs);
    printf("baseline_request_ms=%.1f\n", base);
    /* the teacher's figure: approval on the phone to the tiles on the board */
    printf("signin_to_resources_ms=%.0f\n", board.signin_ms);
    printf("signout_to_screen_ms=%.0f\n", board.signout_ms);
    printf("approval_seen_to_resources_ms=%.0f\n", board.local_wipe_us);
    printf("signin_to_resources_library_ms=%.0f\n", dev.signin_ms);
    printf("signout_wipe_ms=%.0f\n", dev.signout_ms);
    printf("signout_local_wipe_us=%.0f\n", dev.local_wipe_us);
    printf("signin_to_resources_cross_device_ms=%.0f\n", cross.signin_ms);
    printf("signout_wipe_entcore_ms=%.0f\n", cross.signout_ms);
    fprintf(stderr,
            "\n%-44s %10s\n"
            "%-44s %10.1f\n"
            "%-44s %10.0f  (%d runs, polling every 1 s)\n"
            "%-44s %10.0f\n"
            "%-44s %10.0f\n"
            "%-44s %10.0f  (%d runs)\n"
            "%-44s %10.0f\n"
            "%-44s %10.0f  (%d runs, the real craie)\n"
            "%-44s %10.0f\n"
            "%-44s %10.0f\n",
            "median", "ms", "baseline: one GET of the discovery document", base,
            "device flow: approval -> resources", dev.signin_ms, dev.ok,
            "device flow: sign-out -> wiped (2 revocations)", dev.signout_ms,
            "  of which the local wipe (us)", dev.local_wipe_us,
            "cross-device: phone at callback -> resources", cross.signin_ms, cross.ok,
            "entcore: sign-out -> wiped (/auth/logout)", cross.signout_ms,
            "board: approval -> resource tiles on screen", board.signin_ms, board.ok,
            "  of which the poll that saw it -> tiles", board.local_wipe_us,
            "board: Sign out -> signed out on screen", board.signout_ms);
    return dev.ok == runs && cross.ok == runs && board.ok == runs ? 0 : 1;
}
