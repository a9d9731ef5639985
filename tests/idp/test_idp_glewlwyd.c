/* The device authorization grant against a real Glewlwyd on loopback: the
 * board shows a code, the "phone" (a curl script) approves it, the board
 * signs in and lists the teacher's resources; tokens are refreshed before
 * they expire; sign-out (button or inactivity) revokes them at the server;
 * an expired code, a wrong client secret and a secret file others can read
 * are each reported. Servers: tests/idp/run-with.sh glewlwyd. */
#include <glib/gstdio.h>
#include <string.h>

#include "build_config.h"
#include "ent-client/private.h"
#include "idp.h"

static char *resources_file(void)
{
    return g_build_filename(CR_SOURCE_ROOT, "tests/data/ent/lists/resources.json", NULL);
}

static void settings(struct cr_ent_settings *s, const char *plugin)
{
    static char *issuer, *list;
    g_free(issuer);
    g_free(list);
    issuer = g_strdup_printf("%s/%s", idp_env("GLW_API"), plugin);
    list = resources_file();
    *s = (struct cr_ent_settings){
        .kind = CR_ENT_KIND_OIDC,
        .url = issuer,
        .client_id = idp_env("GLW_CLIENT_ID"),
        .client_secret_file = idp_env("GLW_CLIENT_SECRET_FILE"),
        .resources = list,
        .idle_warning_seconds = 60,
    };
}

/* RFC 7662 introspection at the server, as the confidential client. */
static bool token_active(const char *plugin, const char *token)
{
    g_autofree char *secret = NULL;
    g_file_get_contents(idp_env("GLW_CLIENT_SECRET_FILE"), &secret, NULL, NULL);
    g_strstrip(secret);
    g_autofree char *user = g_strdup_printf("%s:%s", idp_env("GLW_CLIENT_ID"), secret);
    g_autofree char *data = g_strdup_printf("token=%s", token);
    g_autofree char *url = g_strdup_printf("%s/%s/introspect", idp_env("GLW_API"), plugin);
    char *argv[] = {"curl", "-s", "-u", user, "-d", data, url, NULL};
    g_autofree char *out = idp_run(argv);
    g_assert_nonnull(out);
    return strstr(out, "\"active\":true") != NULL;
}

static void approve(struct idp_client *c)
{
    struct cr_ent_view *v = cr_ent_snapshot(c->ent);
    g_assert_cmpint(v->state, ==, CR_ENT_SHOW_CODE);
    g_assert_cmpint(v->method, ==, CR_ENT_METHOD_DEVICE);
    g_assert_true(g_regex_match_simple("^[A-Z0-9]{4}-[A-Z0-9]{4}$", v->user_code, 0, 0));
    g_assert_nonnull(strstr(v->qr_uri, v->user_code)); /* the QR carries the code */
    g_assert_cmpint(v->code_seconds_left, >, 0);
    g_autofree char *phone = idp_script("phone-glewlwyd.sh");
    char *argv[] = {phone, v->qr_uri, (char *)idp_env("GLW_API"), NULL};
    struct idp_child ch;
    idp_child_spawn(&ch, argv);
    g_assert_true(idp_child_wait(c, &ch, 10000));
    g_free(idp_child_output(&ch));
    cr_ent_view_free(v);
}

static void sign_in(struct idp_client *c)
{
    cr_ent_signin(c->ent, CR_ENT_METHOD_NONE);
    g_assert_true(idp_client_wait(c, CR_ENT_SHOW_CODE, 5000));
    approve(c);
    g_assert_true(idp_client_wait(c, CR_ENT_SIGNED_IN, 5000));
}

static void test_device_flow_and_signout_revokes(void)
{
    struct cr_ent_settings s;
    settings(&s, "oidc");
    struct idp_client c;
    idp_client_init(&c, &s);
    sign_in(&c);

    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->user_name, ==, "Teacher One");
    g_assert_true(v->methods & CR_ENT_METHOD_DEVICE);
    /* The list's relative URL has no base in a file: dropped. */
    g_assert_cmpuint(v->n_resources, ==, 2);
    g_assert_cmpstr(v->resources[0].title, ==, "Lalilo");
    g_assert_cmpuint(v->counts[CR_ENT_RESOURCE_LINK], ==, 2);
    cr_ent_view_free(v);

    g_autofree char *at = g_strdup(c.ent->tokens.access_token);
    g_autofree char *rt = g_strdup(c.ent->tokens.refresh_token);
    g_assert_nonnull(rt);
    g_assert_true(token_active("oidc", at));
    g_assert_true(token_active("oidc", rt));

    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    /* Local secrets are gone at once; the server is told right after. */
    g_assert_null(c.ent->tokens.access_token);
    g_assert_null(c.ent->user_name);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    v = cr_ent_snapshot(c.ent);
    g_assert_nonnull(v->message);
    g_assert_null(v->user_name);
    g_assert_cmpuint(v->n_resources, ==, 0);
    cr_ent_view_free(v);
    g_assert_false(token_active("oidc", rt));
    g_assert_false(token_active("oidc", at));
    idp_client_destroy(&c);
}

static void test_refresh_before_expiry(void)
{
    struct cr_ent_settings s;
    settings(&s, "oidcfast"); /* access tokens live 4 s */
    struct idp_client c;
    idp_client_init(&c, &s);
    sign_in(&c);
    g_autofree char *first = g_strdup(c.ent->tokens.access_token);
    g_assert_cmpint(c.ent->tokens.expires_in, ==, 4);
    /* Refreshed at half-life, so the token in use never expires. */
    idp_client_run(&c, 3000);
    g_assert_cmpint(cr_ent_get_state(c.ent), ==, CR_ENT_SIGNED_IN);
    g_assert_cmpstr(c.ent->tokens.access_token, !=, first);
    g_assert_true(token_active("oidcfast", c.ent->tokens.access_token));
    idp_client_run(&c, 2500);
    g_assert_true(token_active("oidcfast", c.ent->tokens.access_token));
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_SHUTDOWN);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    idp_client_destroy(&c);
}

/* RFC 7009 at the server, as the confidential client (out of band). */
static void revoke(const char *plugin, const char *token)
{
    g_autofree char *secret = NULL;
    g_file_get_contents(idp_env("GLW_CLIENT_SECRET_FILE"), &secret, NULL, NULL);
    g_strstrip(secret);
    g_autofree char *user = g_strdup_printf("%s:%s", idp_env("GLW_CLIENT_ID"), secret);
    g_autofree char *data = g_strdup_printf("token=%s", token);
    g_autofree char *url = g_strdup_printf("%s/%s/revoke", idp_env("GLW_API"), plugin);
    char *argv[] = {"curl", "-sf", "-o", "/dev/null", "-u", user, "-d", data, url, NULL};
    g_autofree char *out = idp_run(argv);
    g_assert_nonnull(out);
}

static void test_refresh_refused_signs_out(void)
{
    struct cr_ent_settings s;
    settings(&s, "oidcfast");
    struct idp_client c;
    idp_client_init(&c, &s);
    sign_in(&c);
    /* The ENT ends the session (an administrator, a password change): the
     * next refresh is refused and the board signs out by itself. */
    revoke("oidcfast", c.ent->tokens.refresh_token);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 6000));
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_nonnull(strstr(v->message, "The ENT ended the session"));
    g_assert_null(v->user_name);
    cr_ent_view_free(v);
    g_assert_null(c.ent->tokens.access_token);
    idp_client_destroy(&c);
}

static void test_code_expires(void)
{
    struct cr_ent_settings s;
    settings(&s, "oidcshort"); /* device codes live 4 s */
    struct idp_client c;
    idp_client_init(&c, &s);
    cr_ent_signin(c.ent, CR_ENT_METHOD_NONE);
    g_assert_true(idp_client_wait(&c, CR_ENT_SHOW_CODE, 5000));
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 8000));
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->message, ==, cr_ent_problem_message(CR_ENT_PROBLEM_EXPIRED));
    g_assert_null(v->qr_uri);
    cr_ent_view_free(v);
    /* A new code can be asked for at once. */
    cr_ent_signin(c.ent, CR_ENT_METHOD_NONE);
    g_assert_true(idp_client_wait(&c, CR_ENT_SHOW_CODE, 5000));
    cr_ent_cancel(c.ent);
    g_assert_cmpint(cr_ent_get_state(c.ent), ==, CR_ENT_SIGNED_OUT);
    idp_client_destroy(&c);
}

static void test_idle_signout(void)
{
    struct cr_ent_settings s;
    settings(&s, "oidc");
    s.idle_seconds = 3;
    s.idle_warning_seconds = 2;
    struct idp_client c;
    idp_client_init(&c, &s);
    sign_in(&c);
    g_autofree char *rt = g_strdup(c.ent->tokens.refresh_token);
    /* The countdown shows after 1 s; a touch hides it. */
    idp_client_run(&c, 1500);
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpint(v->idle_seconds_left, >, 0);
    g_assert_cmpint(v->idle_seconds_left, <=, 2);
    cr_ent_view_free(v);
    cr_ent_activity(c.ent);
    v = cr_ent_snapshot(c.ent);
    g_assert_cmpint(v->idle_seconds_left, ==, 0);
    cr_ent_view_free(v);
    idp_client_run(&c, 2000);
    g_assert_cmpint(cr_ent_get_state(c.ent), ==, CR_ENT_SIGNED_IN);
    /* Then nobody touches the board. */
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 4000));
    v = cr_ent_snapshot(c.ent);
    g_assert_nonnull(v->message);
    cr_ent_view_free(v);
    g_assert_false(token_active("oidc", rt));
    idp_client_destroy(&c);
}

static void test_wrong_client_secret(void)
{
    g_autofree char *path = g_build_filename(idp_env("IDP_WORK"), "wrong-secret", NULL);
    g_assert_true(g_file_set_contents(path, "not-the-secret\n", -1, NULL));
    g_chmod(path, 0600);
    struct cr_ent_settings s;
    settings(&s, "oidc");
    s.client_secret_file = path;
    struct idp_client c;
    idp_client_init(&c, &s);
    cr_ent_signin(c.ent, CR_ENT_METHOD_NONE);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->message, ==, cr_ent_problem_message(CR_ENT_PROBLEM_CLIENT));
    cr_ent_view_free(v);
    idp_client_destroy(&c);

    /* A secret file others can read is refused outright. */
    g_chmod(path, 0644);
    GMainContext *ctx = g_main_context_new();
    g_assert_null(cr_ent_new(&s, ctx, NULL, NULL));
    g_main_context_unref(ctx);
}

static void test_signout_leaves_no_token_in_memory(void)
{
    struct cr_ent_settings s;
    settings(&s, "oidc");
    struct idp_client c;
    idp_client_init(&c, &s);
    sign_in(&c);
    struct idp_hidden secrets[] = {
        idp_hide(c.ent->tokens.access_token),
        idp_hide(c.ent->tokens.refresh_token),
        idp_hide(c.ent->tokens.id_token),
    };
    /* The scan finds a token while it is in use. */
    g_assert_cmpint(idp_copies_in_memory(&secrets[0]), >=, 1);
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    for (size_t i = 0; i < G_N_ELEMENTS(secrets); i++) {
        g_assert_cmpint(idp_copies_in_memory(&secrets[i]), ==, 0);
        idp_hidden_free(&secrets[i]);
    }
    idp_client_destroy(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    idp_init();
    g_test_add_func("/idp/glewlwyd/device-flow-and-signout-revokes",
                    test_device_flow_and_signout_revokes);
    g_test_add_func("/idp/glewlwyd/signout-leaves-no-token-in-memory",
                    test_signout_leaves_no_token_in_memory);
    g_test_add_func("/idp/glewlwyd/refresh-before-expiry", test_refresh_before_expiry);
    g_test_add_func("/idp/glewlwyd/refresh-refused-signs-out", test_refresh_refused_signs_out);
    g_test_add_func("/idp/glewlwyd/code-expires", test_code_expires);
    g_test_add_func("/idp/glewlwyd/idle-signout", test_idle_signout);
    g_test_add_func("/idp/glewlwyd/wrong-client-secret", test_wrong_client_secret);
    return g_test_run();
}
