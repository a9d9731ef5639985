/* CAS sign-in typed on the board: the login form of the CAS server (or
 * portal) is filled with the teacher's user name and password, the
 * service ticket is read from the redirect (never followed), then
 * validated with CAS 3.0 p3/serviceValidate (CAS 2.0 serviceValidate as a
 * fallback) for the user and attributes. The CAS service is ent.client_id
 * (the service URL registered in the CAS server). */
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "ent-client/private.h"
#include "ent-client/secret.h"

struct cas_state {
    struct cr_http_call *call;
    char *user;     /* secret */
    char *password; /* secret */
    char *ticket;   /* secret */
    bool tried_cas2;
};

static void cas_clear_credentials(struct cas_state *st)
{
    cr_secret_clear(&st->user);
    cr_secret_clear(&st->password);
}

static char *service_url(const struct cr_ent *ent, const char *path)
{
    g_autofree char *service = cr_http_escape(ent->client_id);
    return g_strdup_printf("%s%s?service=%s", ent->url, path, service);
}

static void validate(struct cr_ent *ent, const char *path);

static void validated(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct cas_state *st = ent->auth_data;
    st->call = NULL;
    g_autofree char *error = NULL;
    struct cr_cas_result r;
    if (resp->status != 200 || !cr_cas_parse_validation(resp->body, resp->len, &r, &error)) {
        if (!st->tried_cas2) {
            st->tried_cas2 = true;
            validate(ent, "/serviceValidate");
            return;
        }
        cr_warn("ent", "CAS validation: HTTP %ld %s", resp->status, error ? error : "");
        cr_ent_fail(ent, resp->status ? CR_ENT_PROBLEM_SERVER : CR_ENT_PROBLEM_NETWORK);
        return;
    }
    if (!r.success) {
        cr_warn("ent", "CAS ticket refused: %s", r.failure_code);
        cr_cas_result_clear(&r);
        cr_ent_fail(ent, CR_ENT_PROBLEM_GRANT);
        return;
    }
    const char *name = cr_cas_attribute(&r, "cn");
    if (!name)
        name = cr_cas_attribute(&r, "displayName");
    if (!name)
        name = r.user;
    g_autofree char *display = g_strdup(name);
    cr_cas_result_clear(&ent->cas);
    ent->cas = r;
    cr_ent_set_user(ent, display); /* stops this method */
    ent->driver->fetch(ent);
}

static void validate(struct cr_ent *ent, const char *path)
{
    struct cas_state *st = ent->auth_data;
    g_autofree char *base = service_url(ent, path);
    g_autofree char *t = cr_http_escape(st->ticket);
    char *url = g_strdup_printf("%s&ticket=%s", base, t);
    /* The service's back-channel call: never with the portal's cookie (LL::NG
     * would answer the signed-in browser with a redirect). */
    struct cr_http_request req = {
        .url = url, .accept = "application/xml, text/xml", .no_cookies = true};
    st->call = cr_ent_send(ent, &req, false, validated, NULL);
    cr_secret_free(url);
}

static void form_posted(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct cas_state *st = ent->auth_data;
    st->call = NULL;
    const char *ticket = NULL;
    g_autoptr(GUri) loc = NULL;
    if (resp->location && resp->status >= 300 && resp->status < 400) {
        loc = g_uri_parse(resp->location, G_URI_FLAGS_ENCODED_QUERY, NULL);
        const char *q = loc ? g_uri_get_query(loc) : NULL;
        GHashTable *params = q ? g_uri_parse_params(q, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
        ticket = params ? g_hash_table_lookup(params, "ticket") : NULL;
        if (ticket)
            st->ticket = cr_secret_dup(ticket);
        if (params)
            g_hash_table_unref(params);
    }
    if (!st->ticket) {
        /* The form again (wrong password), or an error page. */
        if (resp->status == 200 || resp->status == 401) {
            g_free(ent->message);
            ent->message = g_strdup(cr_ent_problem_message(CR_ENT_PROBLEM_BAD_CREDENTIALS));
            cr_ent_set_state(ent, CR_ENT_ASK_PASSWORD);
        } else {
            cr_warn("ent", "CAS login: HTTP %ld without a ticket", resp->status);
            cr_ent_fail(ent, resp->status ? CR_ENT_PROBLEM_SERVER : CR_ENT_PROBLEM_NETWORK);
        }
        return;
    }
    validate(ent, "/p3/serviceValidate");
}

static bool same_origin(const char *a, const char *b)
{
    g_autoptr(GUri) ua = g_uri_parse(a, G_URI_FLAGS_ENCODED, NULL);
    g_autoptr(GUri) ub = g_uri_parse(b, G_URI_FLAGS_ENCODED, NULL);
    return ua && ub && !g_strcmp0(g_uri_get_scheme(ua), g_uri_get_scheme(ub)) &&
           !g_ascii_strcasecmp(g_uri_get_host(ua) ? g_uri_get_host(ua) : "",
                               g_uri_get_host(ub) ? g_uri_get_host(ub) : "") &&
           g_uri_get_port(ua) == g_uri_get_port(ub);
}

static void form_fetched(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct cas_state *st = ent->auth_data;
    st->call = NULL;
    g_autofree char *page = service_url(ent, "/login");
    struct cr_html_form form;
    if (resp->status != 200 || !cr_html_find_login_form(resp->body, page, &form)) {
        cr_warn("ent", "CAS login page: HTTP %ld, no login form", resp->status);
        cas_clear_credentials(st);
        cr_ent_fail(ent, resp->status ? CR_ENT_PROBLEM_SERVER : CR_ENT_PROBLEM_NETWORK);
        return;
    }
    if (!same_origin(form.action, ent->url)) {
        /* The password goes to the CAS server the technician named, and
         * nowhere else, whatever its page says. */
        cr_warn("ent", "CAS login form posts to another server: refused");
        cas_clear_credentials(st);
        cr_html_form_clear(&form);
        cr_ent_fail(ent, CR_ENT_PROBLEM_SERVER);
        return;
    }
    GString *body = cr_form_new();
    for (guint i = 0; i < form.names->len; i++)
        cr_http_form_add(body, g_ptr_array_index(form.names, i), g_ptr_array_index(form.values, i));
    cr_http_form_add(body, form.user_field, st->user);
    cr_http_form_add(body, form.password_field, st->password);
    cas_clear_credentials(st);
    struct cr_http_request req = {
        .method = "POST",
        .url = form.action,
        .body = body->str,
        .body_len = body->len,
    };
    st->call = cr_ent_send(ent, &req, false, form_posted, NULL);
    cr_form_free(body);
    cr_html_form_clear(&form);
}

static void cas_start(struct cr_ent *ent)
{
    if (!ent->client_id || !*ent->client_id) {
        cr_warn("ent", "CAS: ent.client_id must name the service URL registered in the CAS");
        cr_ent_fail(ent, CR_ENT_PROBLEM_CONFIG);
        return;
    }
    ent->auth_data = cr_xcalloc(1, sizeof(struct cas_state));
    cr_ent_set_state(ent, CR_ENT_ASK_PASSWORD);
}

static void cas_password(struct cr_ent *ent, const char *user, const char *password)
{
    struct cas_state *st = ent->auth_data;
    cas_clear_credentials(st);
    cr_secret_clear(&st->ticket);
    st->tried_cas2 = false;
    st->user = cr_secret_dup(user);
    st->password = cr_secret_dup(password);
    /* A fresh jar: no portal session from before. */
    cr_http_forget_cookies(ent->http);
    g_autofree char *url = service_url(ent, "/login");
    struct cr_http_request req = {.url = url, .accept = "text/html"};
    st->call = cr_ent_send(ent, &req, false, form_fetched, NULL);
}

static void cas_stop(struct cr_ent *ent)
{
    struct cas_state *st = ent->auth_data;
    if (!st)
        return;
    cr_ent_cancel_call(ent, st->call);
    cas_clear_credentials(st);
    cr_secret_clear(&st->ticket);
    free(st);
    ent->auth_data = NULL;
}

const struct cr_ent_auth_ops cr_ent_auth_cas = {
    .method = CR_ENT_METHOD_PASSWORD,
    .start = cas_start,
    .password = cas_password,
    .stop = cas_stop,
};
