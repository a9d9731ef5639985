/* The ENT client against the fake entcore over TLS (a CA made for the
 * test): the cross-device sign-in (authorization code, the phone as the
 * browser, the board's HTTPS callback naming the room), the listings
 * (userinfo v2.0, applications with bookmarks first, GAR, workspace
 * documents and a folder), sign-out calling /auth/logout; the password
 * grant and entcore's errors (wrong password, ban, 509 quota_overflow,
 * pending requirements); a refusal on the phone, a forged callback, and a
 * certificate the board does not trust. Servers: run-with.sh entcore. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "ent-client/private.h"
#include "idp.h"

static void settings(struct cr_ent_settings *s)
{
    *s = (struct cr_ent_settings){
        .kind = CR_ENT_KIND_ENTCORE,
        .url = idp_env("ENTCORE_URL"),
        .client_id = idp_env("ENTCORE_CLIENT_ID"),
        .client_secret_file = idp_env("ENTCORE_CLIENT_SECRET_FILE"),
        .ca_file = idp_env("IDP_CA"),
        .callback_url = idp_env("IDP_CALLBACK_URL"),
        .callback_cert = idp_env("IDP_CERT"),
        .callback_key = idp_env("IDP_KEY"),
        .room = "Salle 12",
    };
}

static char *phone(struct idp_client *c, const char *qr, const char *user, bool deny, bool *ok)
{
    g_autofree char *script = idp_script("phone-entcore.sh");
    char *argv[] = {
        script, (char *)qr, (char *)user, (char *)idp_env("IDP_CA"), deny ? "deny" : NULL, NULL};
    struct idp_child ch;
    idp_child_spawn(&ch, argv);
    *ok = idp_child_wait(c, &ch, 15000);
    return idp_child_output(&ch);
}

static const char *title(const struct cr_ent_view *v, size_t i)
{
    return i < v->n_resources ? v->resources[i].title : "(none)";
}

static bool has_title(const struct cr_ent_view *v, const char *t)
{
    for (size_t i = 0; i < v->n_resources; i++) {
        if (!strcmp(v->resources[i].title, t))
            return true;
    }
    return false;
}

struct opened {
    bool done;
    char *url;
    char *session_url;
};

static void on_opened(struct cr_ent *ent, const char *url, const char *session_url, void *data)
{
    struct opened *o = data;
    o->done = true;
    o->url = g_strdup(url);
    o->session_url = g_strdup(session_url);
}

static void opened_clear(struct opened *o)
{
    g_free(o->url);
    g_free(o->session_url);
}

/* url: owned, freed here. */
static struct opened open_resource(struct idp_client *c, char *url)
{
    struct opened o = {0};
    cr_ent_open(c->ent, url, on_opened, &o);
    g_free(url);
    for (int i = 0; i < 500 && !o.done; i++)
        idp_client_run(c, 10);
    g_assert_true(o.done);
    return o;
}

struct icon {
    bool done;
    size_t len;
    bool png;
    char *type;
};

static void on_icon(struct cr_ent *ent, const char *url, const void *data, size_t len,
                    const char *type, void *userdata)
{
    struct icon *i = userdata;
    i->done = true;
    i->len = data ? len : 0;
    i->png = data && len > 4 && !memcmp(data, "\x89PNG", 4);
    i->type = g_strdup(type);
}

static struct icon fetch_icon(struct idp_client *c, const char *url)
{
    struct icon i = {0};
    cr_ent_fetch_icon(c->ent, url, on_icon, &i);
    g_assert_false(i.done); /* never from inside the call */
    for (int n = 0; n < 500 && !i.done; n++)
        idp_client_run(c, 10);
    g_assert_true(i.done);
    return i;
}

static char *want_url(struct idp_client *c, const char *title)
{
    struct cr_ent_view *v = cr_ent_snapshot(c->ent);
    char *url = NULL;
    for (size_t i = 0; i < v->n_resources && !url; i++) {
        if (!strcmp(v->resources[i].title, title))
            url = g_strdup(v->resources[i].url);
    }
    cr_ent_view_free(v);
    g_assert_nonnull(url);
    return url;
}

static void test_cross_device_listings_logout(void)
{
    struct cr_ent_settings s;
    settings(&s);
    struct idp_client c;
    idp_client_init(&c, &s);
    cr_ent_signin(c.ent, CR_ENT_METHOD_NONE);
    g_assert_cmpint(cr_ent_get_state(c.ent), ==, CR_ENT_SHOW_CODE);
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpint(v->method, ==, CR_ENT_METHOD_CROSS_DEVICE);
    g_assert_cmpuint(v->methods, ==, CR_ENT_METHOD_CROSS_DEVICE | CR_ENT_METHOD_PASSWORD);
    g_assert_true(g_str_has_prefix(v->qr_uri, idp_env("ENTCORE_URL")));
    g_assert_null(strstr(v->qr_uri, "code_challenge")); /* entcore has no PKCE */
    bool ok;
    g_autofree char *page = phone(&c, v->qr_uri, "jean.dupont", false, &ok);
    g_assert_true(ok);
    g_assert_nonnull(strstr(page, "Salle 12"));
    g_assert_nonnull(strstr(page, v->user_code));
    cr_ent_view_free(v);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_IN, 5000));

    v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->user_name, ==, "Jean DUPONT");
    /* bookmarks first (in their order), apps and connectors, GAR, folders,
     * documents recent first */
    const char *want[] = {"Pronote",           "Espace documentaire",  "Messagerie",
                          "Cahier multimédia", "Manuel numérique CM2", "Dictionnaire",
                          "Sciences",          "volcans.png",          "cours-2023.pdf"};
    g_assert_cmpuint(v->n_resources, ==, G_N_ELEMENTS(want));
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpstr(title(v, i), ==, want[i]);
    g_assert_true(v->resources[0].bookmarked);
    g_assert_cmpint(v->resources[0].kind, ==, CR_ENT_RESOURCE_CONNECTOR);
    g_assert_cmpuint(v->counts[CR_ENT_RESOURCE_APP], ==, 3);
    g_assert_cmpuint(v->counts[CR_ENT_RESOURCE_GAR], ==, 2);
    g_assert_cmpuint(v->counts[CR_ENT_RESOURCE_DOCUMENT], ==, 2);
    g_assert_cmpuint(v->counts[CR_ENT_RESOURCE_FOLDER], ==, 1);
    g_autofree char *thumb =
        g_strdup_printf("%s/workspace/document/d-new?thumbnail=120x120", idp_env("ENTCORE_URL"));
    g_assert_cmpstr(v->resources[7].icon_url, ==, thumb);
    cr_ent_view_free(v);

    /* The listings carried the token; userinfo asked for version 2.0. */
    g_autofree char *seen = idp_fake_calls();
    g_assert_nonnull(strstr(seen, "GET /auth/user/requirements bearer"));
    g_assert_nonnull(strstr(seen, "GET /auth/oauth2/userinfo bearer|application/json;version=2.0"));
    g_assert_nonnull(strstr(seen, "GET /gar/resources bearer"));

    /* Opening resources as the teacher: an ENT page carries a short-lived
     * token, a connector a fresh CAS ticket, GAR needs the ENT session
     * first; a URL the ENT did not list is refused. */
    struct opened app = open_resource(&c, want_url(&c, "Espace documentaire"));
    g_autofree char *app_prefix =
        g_strdup_printf("%s/workspace/workspace?queryparam_token=eyJ.qp-", idp_env("ENTCORE_URL"));
    g_assert_true(g_str_has_prefix(app.url, app_prefix));
    g_assert_null(app.session_url);
    struct opened pronote = open_resource(&c, want_url(&c, "Pronote"));
    g_assert_true(
        g_str_has_prefix(pronote.url, "https://0123456x.index-education.net/pronote/?ticket=ST-"));
    struct opened gar = open_resource(&c, want_url(&c, "Dictionnaire"));
    g_assert_cmpstr(gar.url, ==, "https://idp-auth.gar.education.fr/domaineGar?idRessource=r2");
    g_autofree char *seed_prefix = g_strdup_printf("%s/?queryparam_token=", idp_env("ENTCORE_URL"));
    g_assert_true(g_str_has_prefix(gar.session_url, seed_prefix));
    struct opened evil = open_resource(&c, g_strdup("https://evil.example/?x=1"));
    g_assert_null(evil.url);
    opened_clear(&app);
    opened_clear(&pronote);
    opened_clear(&gar);
    opened_clear(&evil);

    /* A workspace thumbnail needs the teacher's token; an unlisted picture
     * is refused. */
    struct icon thumb_icon = fetch_icon(&c, thumb);
    g_assert_cmpuint(thumb_icon.len, ==, 70);
    g_assert_true(thumb_icon.png);
    g_assert_cmpstr(thumb_icon.type, ==, "image/png");
    g_autofree char *stranger =
        g_strdup_printf("%s/workspace/document/d-trash?thumbnail=120x120", idp_env("ENTCORE_URL"));
    struct icon no_icon = fetch_icon(&c, stranger);
    g_assert_cmpuint(no_icon.len, ==, 0);
    g_free(thumb_icon.type);
    g_free(no_icon.type);

    /* A folder, and back. */
    cr_ent_open_folder(c.ent, "folder-1");
    idp_client_run(&c, 300);
    v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->folder_id, ==, "folder-1");
    g_assert_true(has_title(v, "éruption.mp4"));
    g_assert_false(has_title(v, "volcans.png"));
    g_assert_true(has_title(v, "Pronote"));
    cr_ent_view_free(v);
    cr_ent_open_folder(c.ent, NULL);
    idp_client_run(&c, 300);
    v = cr_ent_snapshot(c.ent);
    g_assert_null(v->folder_id);
    g_assert_true(has_title(v, "volcans.png"));
    cr_ent_view_free(v);

    /* Tokens that came over TLS leave no copy behind either. */
    struct idp_hidden at = idp_hide(c.ent->tokens.access_token);
    struct idp_hidden rt = idp_hide(c.ent->tokens.refresh_token);
    g_assert_cmpint(idp_copies_in_memory(&at), >=, 1);
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    g_assert_cmpint(idp_copies_in_memory(&at), ==, 0);
    g_assert_cmpint(idp_copies_in_memory(&rt), ==, 0);
    idp_hidden_free(&at);
    idp_hidden_free(&rt);
    g_autofree char *after = idp_fake_calls();
    g_assert_nonnull(strstr(after, "GET /auth/logout bearer"));
    idp_client_destroy(&c);
}

static void password(struct idp_client *c, const char *user, const char *pw,
                     enum cr_ent_state until)
{
    if (cr_ent_get_state(c->ent) != CR_ENT_ASK_PASSWORD) {
        cr_ent_signin(c->ent, CR_ENT_METHOD_PASSWORD);
        g_assert_cmpint(cr_ent_get_state(c->ent), ==, CR_ENT_ASK_PASSWORD);
    }
    cr_ent_submit_password(c->ent, user, pw);
    g_assert_true(idp_client_wait(c, until, 5000));
}

static void assert_message(struct idp_client *c, enum cr_ent_problem p)
{
    struct cr_ent_view *v = cr_ent_snapshot(c->ent);
    g_assert_cmpstr(v->message, ==, cr_ent_problem_message(p));
    cr_ent_view_free(v);
}

static void test_password_grant_and_errors(void)
{
    struct cr_ent_settings s;
    settings(&s);
    s.callback_url = NULL;
    struct idp_client c;
    idp_client_init(&c, &s);
    password(&c, "jean.dupont", "nope", CR_ENT_ASK_PASSWORD);
    assert_message(&c, CR_ENT_PROBLEM_BAD_CREDENTIALS);
    password(&c, "banned", "password", CR_ENT_SIGNED_OUT);
    assert_message(&c, CR_ENT_PROBLEM_BANNED);
    password(&c, "blocked", "password", CR_ENT_SIGNED_OUT);
    assert_message(&c, CR_ENT_PROBLEM_BLOCKED);
    password(&c, "busy", "password", CR_ENT_SIGNED_OUT);
    assert_message(&c, CR_ENT_PROBLEM_QUOTA);
    /* A pending requirement stops the sign-in before anything is listed. */
    password(&c, "terms", "password", CR_ENT_SIGNED_OUT);
    assert_message(&c, CR_ENT_PROBLEM_REQUIREMENTS);
    password(&c, "mfa", "password", CR_ENT_SIGNED_OUT);
    assert_message(&c, CR_ENT_PROBLEM_REQUIREMENTS);
    g_assert_null(c.ent->tokens.access_token);
    password(&c, "jean.dupont", "password", CR_ENT_SIGNED_IN);
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpstr(v->user_name, ==, "Jean DUPONT");
    g_assert_cmpint(v->method, ==, CR_ENT_METHOD_PASSWORD);
    g_assert_cmpuint(v->n_resources, ==, 9);
    cr_ent_view_free(v);
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_END_OF_DAY);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    idp_client_destroy(&c);
}

static void test_early_401_refreshes_and_retries(void)
{
    struct cr_ent_settings s;
    settings(&s);
    s.callback_url = NULL;
    struct idp_client c;
    idp_client_init(&c, &s);
    password(&c, "short", "password", CR_ENT_SIGNED_IN);
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    g_assert_cmpuint(v->n_resources, ==, 9);
    cr_ent_view_free(v);
    g_autofree char *first = g_strdup(c.ent->tokens.access_token);
    /* The token dies long before its announced hour: the next call gets a
     * 401, the client refreshes once and asks again. */
    idp_client_run(&c, 1200);
    cr_ent_open_folder(c.ent, "folder-1");
    idp_client_run(&c, 800);
    v = cr_ent_snapshot(c.ent);
    g_assert_cmpint(v->state, ==, CR_ENT_SIGNED_IN);
    g_assert_true(has_title(v, "éruption.mp4"));
    cr_ent_view_free(v);
    g_assert_cmpstr(c.ent->tokens.access_token, !=, first);
    g_autofree char *seen = idp_fake_calls();
    g_assert_nonnull(strstr(seen, "POST /auth/oauth2/token refresh_token"));
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    idp_client_destroy(&c);
}

static void test_phone_refuses_and_forged_callback(void)
{
    struct cr_ent_settings s;
    settings(&s);
    struct idp_client c;
    idp_client_init(&c, &s);
    cr_ent_signin(c.ent, CR_ENT_METHOD_CROSS_DEVICE);
    /* Someone calls the board's callback with a made-up state: refused,
     * and the code on the board is still good. */
    g_autofree char *forged =
        g_strdup_printf("%s?code=x&state=ABCDEF.forged", idp_env("IDP_CALLBACK_URL"));
    char *argv[] = {"curl",     "-s",
                    "-o",       "/dev/null",
                    "-w",       "%{http_code}",
                    "--cacert", (char *)idp_env("IDP_CA"),
                    forged,     NULL};
    struct idp_child ch;
    idp_child_spawn(&ch, argv);
    idp_child_wait(&c, &ch, 5000);
    g_autofree char *code = idp_child_output(&ch);
    g_assert_cmpstr(code, ==, "400");
    g_assert_cmpint(cr_ent_get_state(c.ent), ==, CR_ENT_SHOW_CODE);

    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    bool ok;
    g_autofree char *page = phone(&c, v->qr_uri, "jean.dupont", true, &ok);
    cr_ent_view_free(v);
    g_assert_false(ok); /* the phone is told it did not sign in */
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    assert_message(&c, CR_ENT_PROBLEM_DENIED);
    idp_client_destroy(&c);
}

static void test_untrusted_certificate(void)
{
    struct cr_ent_settings s;
    settings(&s);
    s.ca_file = NULL; /* the system's CAs do not know the test CA */
    s.callback_url = NULL;
    struct idp_client c;
    idp_client_init(&c, &s);
    password(&c, "jean.dupont", "password", CR_ENT_SIGNED_OUT);
    assert_message(&c, CR_ENT_PROBLEM_NETWORK);
    idp_client_destroy(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    idp_init();
    g_test_add_func("/idp/entcore/cross-device-listings-logout", test_cross_device_listings_logout);
    g_test_add_func("/idp/entcore/password-grant-and-errors", test_password_grant_and_errors);
    g_test_add_func("/idp/entcore/early-401-refreshes-and-retries",
                    test_early_401_refreshes_and_retries);
    g_test_add_func("/idp/entcore/phone-refuses-and-forged-callback",
                    test_phone_refuses_and_forged_callback);
    g_test_add_func("/idp/entcore/untrusted-certificate", test_untrusted_certificate);
    return g_test_run();
}
