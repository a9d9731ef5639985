/* Resources opened on the board as the teacher, against the fake entcore
 * over TLS: an ENT page gets a fresh queryparam_token and a browser loading
 * it lands on the signed-in page (and gets a web session), a connector a
 * CAS ticket through /cas/oauth/login, GAR the ENT session first; an ENT
 * without queryparam tokens gives a token-as-cookie session cookie; a URL
 * that is not listed gets nothing; workspace files come into memory (a PDF,
 * a picture, a video); after sign-out nothing opens. "A browser" is curl
 * here; the web view's own test is in the e2e suite. Servers: run-with.sh
 * entcore. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "ent-client/private.h"
#include "idp.h"

/* A client of the fake entcore, signed in with jean.dupont's password. */
static void signed_in(struct idp_client *c)
{
    const struct cr_ent_settings s = {
        .kind = CR_ENT_KIND_ENTCORE,
        .url = idp_env("ENTCORE_URL"),
        .client_id = idp_env("ENTCORE_CLIENT_ID"),
        .client_secret_file = idp_env("ENTCORE_CLIENT_SECRET_FILE"),
        .ca_file = idp_env("IDP_CA"),
    };
    idp_client_init(c, &s);
    cr_ent_signin(c->ent, CR_ENT_METHOD_PASSWORD);
    g_assert_cmpint(cr_ent_get_state(c->ent), ==, CR_ENT_ASK_PASSWORD);
    cr_ent_submit_password(c->ent, "jean.dupont", "password");
    g_assert_true(idp_client_wait(c, CR_ENT_SIGNED_IN, 5000));
}

static char *url_of(struct idp_client *c, const char *title)
{
    struct cr_ent_view *v = cr_ent_snapshot(c->ent);
    char *url = NULL;
    for (size_t i = 0; i < v->n_resources && !url; i++)
        if (!strcmp(v->resources[i].title, title))
            url = g_strdup(v->resources[i].url);
    cr_ent_view_free(v);
    g_assert_nonnull(url);
    return url;
}

struct got {
    bool done;
    struct cr_ent_handoff *h;
};

static void on_handoff(struct cr_ent *ent, struct cr_ent_handoff *h, void *userdata)
{
    struct got *g = userdata;
    g->done = true;
    g->h = h;
}

static struct cr_ent_handoff *handoff(struct idp_client *c, const char *url)
{
    struct got g = {0};
    cr_ent_open_handoff(c->ent, url, on_handoff, &g);
    g_assert_false(g.done); /* never from inside the call */
    for (int n = 0; n < 500 && !g.done; n++)
        idp_client_run(c, 10);
    g_assert_true(g.done);
    return g.h;
}

/* What a browser sees at url (redirects not followed), with a Cookie header
 * when cookie is set: "STATUS BODY". */
static char *browse(const char *url, const char *cookie)
{
    g_autofree char *header = cookie ? g_strdup_printf("Cookie: %s", cookie) : NULL;
    GPtrArray *a = g_ptr_array_new();
    const char *fixed[] = {"curl", "-s", "--cacert", idp_env("IDP_CA"), "-w", "\n%{http_code}"};
    for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(a, (char *)fixed[i]);
    if (header) {
        g_ptr_array_add(a, "-H");
        g_ptr_array_add(a, header);
    }
    g_ptr_array_add(a, (char *)url);
    g_ptr_array_add(a, NULL);
    char *out = idp_run((char **)a->pdata);
    g_ptr_array_free(a, TRUE);
    g_assert_nonnull(out);
    return out;
}

static bool signed_in_page(const char *out)
{
    return strstr(out, "Signed in as Jean DUPONT") && g_str_has_suffix(out, "\n200");
}

static bool login_redirect(const char *out)
{
    return !strstr(out, "Signed in as") && g_str_has_suffix(out, "\n302");
}

static void test_entcore_page_queryparam(void)
{
    struct idp_client c;
    signed_in(&c);
    g_autofree char *url = url_of(&c, "Espace documentaire");
    /* Without the handoff, a browser is a stranger. */
    g_autofree char *plain = browse(url, NULL);
    g_assert_true(login_redirect(plain));

    struct cr_ent_handoff *h = handoff(&c, url);
    g_assert_nonnull(h);
    g_assert_true(g_str_has_prefix(h->url, url));
    g_assert_nonnull(strstr(h->url, "queryparam_token=eyJ"));
    g_assert_null(h->session_url);
    g_assert_cmpuint(h->n_cookies, ==, 0);
    g_autofree char *page = browse(h->url, NULL);
    g_assert_true(signed_in_page(page));
    /* A fresh token each time. */
    struct cr_ent_handoff *h2 = handoff(&c, url);
    g_assert_cmpstr(h->url, !=, h2->url);
    cr_ent_handoff_free(h2);
    cr_ent_handoff_free(h);

    g_autofree char *logout = cr_ent_web_logout_url(c.ent);
    g_autofree char *want = g_strdup_printf("%s/auth/logout", idp_env("ENTCORE_URL"));
    g_assert_cmpstr(logout, ==, want);

    /* Not in the list: no token ever leaves for it. */
    struct cr_ent_handoff *no = handoff(&c, "https://elsewhere.example/steal");
    g_assert_null(no);
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    g_assert_null(handoff(&c, url)); /* signed out: nothing opens */
    idp_client_destroy(&c);
}

static void test_connector_and_gar(void)
{
    struct idp_client c;
    signed_in(&c);
    g_autofree char *pronote = url_of(&c, "Pronote");
    struct cr_ent_handoff *h = handoff(&c, pronote);
    g_assert_nonnull(h);
    g_assert_cmpint(h->kind, ==, CR_ENT_RESOURCE_CONNECTOR);
    g_assert_true(g_str_has_prefix(h->url, "https://0123456x.index-education.net/pronote/"));
    g_assert_nonnull(strstr(h->url, "ticket=ST-"));
    cr_ent_handoff_free(h);

    /* GAR: the ENT session first (its SAML IdP is asked who the teacher is). */
    struct cr_ent_view *v = cr_ent_snapshot(c.ent);
    char *gar = NULL;
    for (size_t i = 0; i < v->n_resources && !gar; i++)
        if (v->resources[i].kind == CR_ENT_RESOURCE_GAR)
            gar = g_strdup(v->resources[i].url);
    cr_ent_view_free(v);
    g_assert_nonnull(gar);
    h = handoff(&c, gar);
    g_assert_nonnull(h);
    g_assert_cmpstr(h->url, ==, gar);
    g_assert_nonnull(h->session_url);
    g_autofree char *seed = browse(h->session_url, NULL);
    g_assert_true(signed_in_page(seed));
    cr_ent_handoff_free(h);
    g_free(gar);
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    idp_client_destroy(&c);
}

static void queryparam(bool off)
{
    g_autofree char *url =
        g_strdup_printf("%s/__test/queryparam?off=%d", idp_env("ENTCORE_URL"), off ? 1 : 0);
    char *argv[] = {"curl", "-sf", "--cacert", (char *)idp_env("IDP_CA"), url, NULL};
    g_autofree char *out = idp_run(argv);
    g_assert_nonnull(out);
}

static void test_token_as_cookie(void)
{
    queryparam(true);
    struct idp_client c;
    signed_in(&c);
    g_autofree char *url = url_of(&c, "Messagerie");
    struct cr_ent_handoff *h = handoff(&c, url);
    queryparam(false);
    g_assert_nonnull(h);
    g_assert_cmpstr(h->url, ==, url); /* no token in the address */
    const struct cr_ent_cookie *sid = NULL;
    for (size_t i = 0; i < h->n_cookies; i++)
        if (!strcmp(h->cookies[i].name, "oneSessionId"))
            sid = &h->cookies[i];
    g_assert_nonnull(sid);
    g_assert_true(sid->http_only);
    g_assert_true(sid->secure);
    g_assert_cmpstr(sid->domain, ==, "127.0.0.1");
    g_autofree char *cookie = g_strdup_printf("oneSessionId=%s", sid->value);
    g_autofree char *page = browse(url, cookie);
    g_assert_true(signed_in_page(page));
    cr_ent_handoff_free(h);
    /* Sign-out ends that web session too (/auth/logout with the jar). */
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    g_autofree char *after = browse(url, cookie);
    g_assert_true(login_redirect(after));
    idp_client_destroy(&c);
}

struct doc {
    bool done;
    GBytes *data;
    char *type;
    char *error;
};

static void on_doc(struct cr_ent *ent, const char *url, const void *data, size_t len,
                   const char *content_type, const char *error, void *userdata)
{
    struct doc *d = userdata;
    d->done = true;
    d->data = data ? g_bytes_new(data, len) : NULL;
    d->type = g_strdup(content_type);
    d->error = g_strdup(error);
}

static struct doc fetch(struct idp_client *c, const char *url)
{
    struct doc d = {0};
    cr_ent_fetch_document(c->ent, url, on_doc, &d);
    for (int n = 0; n < 3000 && !d.done; n++)
        idp_client_run(c, 10);
    g_assert_true(d.done);
    return d;
}

static void doc_clear(struct doc *d)
{
    if (d->data)
        g_bytes_unref(d->data);
    g_free(d->type);
    g_free(d->error);
}

static void test_documents_in_memory(void)
{
    struct idp_client c;
    signed_in(&c);
    g_autofree char *pdf_url = url_of(&c, "cours-2023.pdf");
    g_assert_true(cr_ent_is_document(c.ent, pdf_url));
    struct doc d = fetch(&c, pdf_url);
    g_assert_nonnull(d.data);
    g_assert_null(d.error);
    g_assert_cmpstr(d.type, ==, "application/pdf");
    gsize n;
    const char *bytes = g_bytes_get_data(d.data, &n);
    g_assert_true(n > 100 && !memcmp(bytes, "%PDF-", 5));
    g_assert_nonnull(g_strstr_len(bytes, (gssize)n, "/Count 2"));
    doc_clear(&d);

    g_autofree char *png_url = url_of(&c, "volcans.png");
    d = fetch(&c, png_url);
    g_assert_cmpstr(d.type, ==, "image/png");
    doc_clear(&d);

    /* A video in a folder. */
    cr_ent_open_folder(c.ent, "folder-1");
    for (int i = 0; i < 200; i++) {
        struct cr_ent_view *v = cr_ent_snapshot(c.ent);
        bool there = false;
        for (size_t k = 0; k < v->n_resources; k++)
            there = there || !strcmp(v->resources[k].title, "éruption.mp4");
        cr_ent_view_free(v);
        if (there)
            break;
        idp_client_run(&c, 10);
    }
    g_autofree char *video = url_of(&c, "éruption.mp4");
    d = fetch(&c, video);
    g_assert_nonnull(d.data); /* made by the fake with gst-launch-1.0 */
    g_assert_cmpstr(d.type, ==, "video/mp4");
    bytes = g_bytes_get_data(d.data, &n);
    g_assert_true(n > 1000 && !memcmp(bytes + 4, "ftyp", 4));
    doc_clear(&d);

    /* An office file: the ENT's PDF preview of it, asked with the token. */
    static const char preview[] = "GET /workspace/document/preview/d-expose bearer";
    g_autofree char *calls_before = idp_fake_calls();
    g_autofree char *office = url_of(&c, "exposé-volcans.odp");
    g_assert_true(cr_ent_is_document(c.ent, office));
    d = fetch(&c, office);
    g_assert_null(d.error);
    g_assert_nonnull(d.data);
    g_assert_cmpstr(d.type, ==, "application/pdf");
    bytes = g_bytes_get_data(d.data, &n);
    g_assert_true(n > 100 && !memcmp(bytes, "%PDF-", 5));
    g_autofree char *calls_after = idp_fake_calls();
    g_assert_cmpint(idp_fake_count(calls_after, preview), ==,
                    idp_fake_count(calls_before, preview) + 1);
    doc_clear(&d);

    /* Not a document of the list: a clear refusal. */
    g_autofree char *app = url_of(&c, "Espace documentaire");
    g_assert_false(cr_ent_is_document(c.ent, app));
    d = fetch(&c, app);
    g_assert_null(d.data);
    g_assert_nonnull(d.error);
    doc_clear(&d);
    cr_ent_signout(c.ent, CR_ENT_SIGNOUT_BUTTON);
    g_assert_true(idp_client_wait(&c, CR_ENT_SIGNED_OUT, 5000));
    d = fetch(&c, pdf_url);
    g_assert_null(d.data);
    doc_clear(&d);
    idp_client_destroy(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    idp_init();
    g_test_add_func("/idp/handoff/entcore-page-queryparam", test_entcore_page_queryparam);
    g_test_add_func("/idp/handoff/connector-and-gar", test_connector_and_gar);
    g_test_add_func("/idp/handoff/token-as-cookie", test_token_as_cookie);
    g_test_add_func("/idp/handoff/documents-in-memory", test_documents_in_memory);
    return g_test_run();
}
