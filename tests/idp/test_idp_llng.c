/* The ENT client against a real LemonLDAP::NG 2.16 on loopback: a CAS
 * portal sign-in typed on the board (login form, ticket,
 * p3/serviceValidate with attributes), the portal's per-user menu
 * (/myapplications) as resources, sign-out ending the portal session; the
 * OpenID Connect cross-device sign-in (authorization code + PKCE S256, the
 * phone as the browser, the board's HTTPS callback, single-use state); the
 * OpenID password grant, with the technician's resource list over https.
 * Servers: tests/idp/run-with.sh llng entcore (the fake entcore serves the
 * list). */
#include <string.h>

#include "ent-client/private.h"
#include "idp.h"

/* Does the portal still know this session? Then /cas/login hands a ticket
 * at once (302); otherwise it shows its form (/mysession answers from a
 * cache and is not a witness). */
static bool portal_session_alive(const char *cookie)
{
    g_autofree char *header = g_strdup_printf("Cookie: lemonldap=%s", cookie);
    g_autofree char *service = g_uri_escape_string(idp_env("LLNG_CAS_SERVICE"), NULL, FALSE);
    g_autofree char *url = g_strdup_printf("%s/login?service=%s", idp_env("LLNG_CAS"), service);
    char *argv[] = {"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", header, url, NULL};
    g_autofree char *out = idp_run(argv);
    g_assert_nonnull(out);
    return !strcmp(out, "302");
}

/* The portal's other worker may answer from its local session cache for a
 * second after the session ended. */
static bool portal_session_ends(struct idp_client *c, const char *cookie)
{
    for (int i = 0; i < 30; i++) {
        if (!portal_session_alive(cookie))
            return true;
        idp_client_run(c, 100);
    }
    return false;
}

struct handoff_got {
    bool done;
    struct cr_ent_handoff *h;
};

static void on_handoff(struct cr_ent *ent, struct cr_ent_handoff *h, void *userdata)
{
    struct handoff_got *g = userdata;
    g->done = true;
    g->h = h;
}

static void test_cas_signin_menu_signout(void)
{
    struct cr_ent_settings s = {
        .kind = CR_ENT_KIND_CAS,
        .url = idp_env("LLNG_CAS"),
        .client_id = idp_env("LLNG_CAS_SERVICE"),
    };
    struct idp_client c;
    idp_client_init(&c, &s);
    cr_ent_signin(c.ent, CR_ENT_METHOD_NONE);
    g_assert_cmpint(cr_ent_get_state(c.ent), ==, CR_ENT_ASK_PASSWORD);

    cr_ent_submit_password(c.ent, "dwho", "not-his-password");
    g_assert_cmpint(cr_ent_get_state(c.ent), ==, CR_ENT_SIGNING_IN);
    g_assert_true(idp_client_wait(&c, CR_ENT_ASK_PASSWORD, 5000));
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->message, ==, cr_ent_problem_message(CR_ENT_PROBLEM_BAD_CREDENTIALS));
    cr_ent_view_free(v);

    cr_ent_submit_password(c.ent, "dwho", "dwho");
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_IN, 5000));
    v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->user_name, ==, "Doctor Who"); /* the cn attribute */
    g_assert_null(v->message);
    /* dwho is a timelord: the portal's menu shows him three applications */
    g_assert_cmpuint(v->n_resources, ==, 3);
    g_assert_cmpstr(v->resources[0].title, ==, "Cahier de textes");
    g_assert_cmpuint(v->counts[CR_ENT_RESOURCE_LINK], ==, 3);
    g_autofree char *app_url = g_strdup(v->resources[0].url);
    cr_ent_view_free(v);
    g_assert_cmpstr(c.ent->cas.user, ==, "dwho");
    g_assert_cmpstr(cr_cas_attribute(&c.ent->cas, "mail"), ==, "dwho@badwolf.org");

    g_autofree char *cookie = cr_http_cookie(c.ent->http, "127.0.0.1", "lemonldap");
    g_assert_nonnull(cookie);
    g_assert_true(portal_session_alive(cookie));

    /* Opening a menu entry on the board: the web view gets the portal's
     * session cookie, and with it the portal knows the teacher at once
     * (a ticket, not the login form). */
    struct handoff_got got = {0};
    cr_ent_open_handoff(c.ent, app_url, on_handoff, &got);
    for (int n = 0; n < 500 && !got.done; n++)
        idp_client_run(&c, 10);
    g_assert_true(got.done);
    g_assert_nonnull(got.h);
    g_assert_cmpstr(got.h->url, ==, app_url);
    const char *handed = NULL;
    for (size_t i = 0; i < got.h->n_cookies; i++)
        if (!strcmp(got.h->cookies[i].name, "lemonldap"))
            handed = got.h->cookies[i].value;
    g_assert_cmpstr(handed, ==, cookie);
    g_assert_true(portal_session_alive(handed));
    cr_ent_handoff_free(got.h);
    g_autofree char *logout = cr_ent_web_logout_url(c.ent);
    g_assert_true(g_str_has_suffix(logout, "/cas/logout"));
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    g_assert_true(portal_session_ends(&c, cookie));
    g_assert_null(cr_http_cookie(c.ent->http, "127.0.0.1", "lemonldap"));
    g_assert_cmpuint(c.ent->cas.names ? c.ent->cas.names->len : 0, ==, 0);

    /* Another teacher, another menu. */
    cr_ent_signin(c.ent, CR_ENT_METHOD_NONE);
    cr_ent_submit_password(c.ent, "rtyler", "rtyler");
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_IN, 5000));
    v = cr_ent_snapshot(c.ent);
    g_assert_cmpuint(v->n_resources, ==, 2);
    cr_ent_view_free(v);
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    idp_client_destroy(&c);
}

static void oidc_settings(struct cr_ent_settings *s, const char *client)
{
    *s = (struct cr_ent_settings){
        .kind = CR_ENT_KIND_OIDC,
        .url = idp_env("LLNG_PORTAL"),
        .client_id = client,
        .callback_url = idp_env("IDP_CALLBACK_URL"),
        .callback_cert = idp_env("IDP_CERT"),
        .callback_key = idp_env("IDP_KEY"),
        .room = "Salle 12",
    };
}

static void test_oidc_code_pkce_cross_device(void)
{
    struct cr_ent_settings s;
    oidc_settings(&s, "craie-board-pkce");
    struct idp_client c;
    idp_client_init(&c, &s);
    cr_ent_signin(c.ent, CR_ENT_METHOD_NONE);
    g_assert_true(idp_client_wait(&c, CR_ENT_SHOW_CODE, 5000));
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpint(v->method, ==, CR_ENT_METHOD_CROSS_DEVICE);
    g_assert_true(v->methods & CR_ENT_METHOD_PASSWORD);
    g_assert_false(v->methods & CR_ENT_METHOD_DEVICE); /* LL::NG 2.16 has no device grant */
    g_assert_cmpuint(strlen(v->user_code), ==, 6);
    g_assert_true(g_str_has_prefix(v->qr_uri, idp_env("LLNG_PORTAL")));
    g_assert_nonnull(strstr(v->qr_uri, "code_challenge_method=S256"));
    g_autofree char *state = g_strdup_printf("state=%s.", v->user_code);
    g_assert_nonnull(strstr(v->qr_uri, state)); /* the state carries the board's code */

    g_autofree char *phone = idp_script("phone-llng.sh");
    char *argv[] = {phone, v->qr_uri, "dwho", (char *)idp_env("IDP_CA"), NULL};
    struct idp_child ch;
    idp_child_spawn(&ch, argv);
    g_assert_true(idp_child_wait(&c, &ch, 15000));
    g_autofree char *page = idp_child_output(&ch);
    /* The phone's page names the room and repeats the board's code. */
    g_assert_nonnull(strstr(page, "Salle 12"));
    g_assert_nonnull(strstr(page, v->user_code));
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_IN, 5000));
    cr_ent_view_free(v);
    v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->user_name, ==, "Doctor Who");
    cr_ent_view_free(v);

    /* The callback link is single-use: replayed, it signs nothing in. */
    const char *cb = strstr(page, "CALLBACK=") + strlen("CALLBACK=");
    g_autofree char *callback = g_strndup(cb, strcspn(cb, "\n"));
    char *replay[] = {"curl",     "-s",
                      "-o",       "/dev/null",
                      "-w",       "%{http_code}",
                      "--cacert", (char *)idp_env("IDP_CA"),
                      callback,   NULL};
    struct idp_child r;
    idp_child_spawn(&r, replay);
    idp_child_wait(&c, &r, 5000);
    g_autofree char *code = idp_child_output(&r);
    g_assert_cmpstr(code, !=, "200");
    g_assert_cmpint(cr_ent_get_state(c.ent), ==, CR_ENT_SIGNED_IN);

    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    idp_client_destroy(&c);
}

static void test_oidc_password_grant(void)
{
    struct cr_ent_settings s;
    oidc_settings(&s, "craie-board");
    s.client_secret_file = idp_env("LLNG_CLIENT_SECRET_FILE");
    /* The technician's list over https, from a server on the test CA. */
    g_autofree char *list = g_strdup_printf("%s/lists/resources.json", idp_env("ENTCORE_URL"));
    s.resources = list;
    s.ca_file = idp_env("IDP_CA");
    struct idp_client c;
    idp_client_init(&c, &s);
    cr_ent_signin(c.ent, CR_ENT_METHOD_PASSWORD);
    g_assert_true(idp_client_wait(&c, CR_ENT_ASK_PASSWORD, 5000));
    cr_ent_submit_password(c.ent, "rtyler", "wrong");
    g_assert_true(idp_client_wait(&c, CR_ENT_ASK_PASSWORD, 5000));
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->message, ==, cr_ent_problem_message(CR_ENT_PROBLEM_BAD_CREDENTIALS));
    cr_ent_view_free(v);
    cr_ent_submit_password(c.ent, "rtyler", "rtyler");
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_IN, 5000));
    v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->user_name, ==, "Rose Tyler");
    g_assert_cmpint(v->method, ==, CR_ENT_METHOD_PASSWORD);
    /* a relative URL of a downloaded list is resolved against the list's */
    g_assert_cmpuint(v->n_resources, ==, 3);
    g_autofree char *cahier = g_strdup_printf("%s/cahier/", idp_env("ENTCORE_URL"));
    g_assert_cmpstr(v->resources[1].url, ==, cahier);
    cr_ent_view_free(v);
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    idp_client_destroy(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    idp_init();
    g_test_add_func("/idp/llng/cas-signin-menu-signout", test_cas_signin_menu_signout);
    g_test_add_func("/idp/llng/oidc-code-pkce-cross-device", test_oidc_code_pkce_cross_device);
    g_test_add_func("/idp/llng/oidc-password-grant", test_oidc_password_grant);
    return g_test_run();
}
