/* Open Digital Education's entcore: account requirements, userinfo v2.0,
 * applications and connectors with the teacher's bookmarks, workspace
 * documents, GAR resources; sign-out ends the web session (/auth/logout).
 * entcore has no revocation endpoint: its tokens die at expires_in. */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "ent-client/flatjson.h"
#include "ent-client/private.h"
#include "ent-client/resources.h"
#include "ent-client/secret.h"

#define ENTCORE_USERINFO_ACCEPT "application/json;version=2.0"

static unsigned entcore_methods(struct cr_ent *ent)
{
    unsigned m = CR_ENT_METHOD_PASSWORD;
    if (ent->callback_url && ent->callback_cert && ent->callback_key)
        m |= CR_ENT_METHOD_CROSS_DEVICE;
    return m;
}

static void get_full(struct cr_ent *ent, const char *path, const char *accept, cr_ent_done_fn done,
                     void *data, GDestroyNotify destroy)
{
    g_autofree char *url = cr_ent_url(ent, path);
    cr_ent_api_get(ent, url, accept, done, data, destroy);
}

static void get(struct cr_ent *ent, const char *path, const char *accept, cr_ent_done_fn done,
                void *data)
{
    get_full(ent, path, accept, done, data, NULL);
}

/* Each listing adds to ent->resources; the last one orders them. */
static void section_done(struct cr_ent *ent)
{
    if (ent->loads_pending == 1 && ent->resources)
        cr_entcore_order(ent->resources, ent->bookmarks);
    cr_ent_loads_end(ent);
}

static void listing_failed(const char *what, const struct cr_http_response *resp)
{
    /* A scope the ENT's admin did not grant answers 401/403: that section
     * is simply absent. */
    cr_warn("ent", "%s: %s %ld", what, resp->status ? "HTTP" : (resp->error ? resp->error : ""),
            resp->status);
}

static void apps_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (resp->status != 200 ||
        !cr_entcore_parse_apps(resp->body, resp->len, ent->url, ent->resources))
        listing_failed("applications", resp);
    section_done(ent);
}

static void bookmarks_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    char **b = resp->status == 200 ? cr_entcore_parse_bookmarks(resp->body, resp->len) : NULL;
    if (!b)
        listing_failed("bookmarks", resp);
    g_strfreev(ent->bookmarks);
    ent->bookmarks = b;
    section_done(ent);
}

static void documents_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (resp->status != 200 ||
        !cr_entcore_parse_documents(resp->body, resp->len, ent->url, ent->resources))
        listing_failed("workspace", resp);
    section_done(ent);
}

static void gar_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (resp->status != 200 || !cr_entcore_parse_gar(resp->body, resp->len, ent->resources))
        listing_failed("GAR", resp);
    section_done(ent);
}

static void list_everything(struct cr_ent *ent)
{
    unsigned n_structures = ent->structures ? g_strv_length(ent->structures) : 0;
    cr_ent_loads_begin(ent, 3 + n_structures);
    get(ent, "/applications-list", NULL, apps_done, NULL);
    get(ent, "/userbook/preference/apps", NULL, bookmarks_done, NULL);
    get(ent, "/workspace/documents?filter=owner&includeall=true", NULL, documents_done, NULL);
    for (unsigned i = 0; i < n_structures; i++) {
        g_autofree char *s = g_uri_escape_string(ent->structures[i], NULL, FALSE);
        g_autofree char *path = g_strdup_printf("/gar/resources?structure=%s", s);
        get(ent, path, NULL, gar_done, NULL);
    }
}

static void userinfo_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (resp->status == 401) {
        cr_ent_fail(ent, CR_ENT_PROBLEM_GRANT);
        return;
    }
    struct cr_entcore_user user;
    if (resp->status != 200 || !cr_entcore_parse_userinfo(resp->body, resp->len, &user)) {
        cr_warn("ent", "userinfo: HTTP %ld", resp->status);
        cr_ent_fail(ent, resp->status == 403 ? CR_ENT_PROBLEM_SCOPE : CR_ENT_PROBLEM_SERVER);
        return;
    }
    if (!user.has_app || user.delete_pending) {
        cr_entcore_user_clear(&user);
        cr_ent_fail(ent, CR_ENT_PROBLEM_BLOCKED);
        return;
    }
    g_strfreev(ent->structures);
    ent->structures = g_steal_pointer(&user.structures);
    cr_ent_set_user(ent, user.display_name);
    cr_entcore_user_clear(&user);
    list_everything(ent);
}

static void requirements_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    bool blocking = false;
    const char *what = NULL;
    if (resp->status == 401) {
        cr_ent_fail(ent, CR_ENT_PROBLEM_GRANT);
        return;
    }
    if (resp->status == 200 &&
        cr_entcore_parse_requirements(resp->body, resp->len, &blocking, &what) && blocking) {
        cr_notice("ent", "account requirement pending (%s): sign-in stopped", what);
        cr_ent_fail(ent, CR_ENT_PROBLEM_REQUIREMENTS);
        return;
    }
    if (resp->status != 200)
        cr_warn("ent", "/auth/user/requirements: HTTP %ld", resp->status);
    get(ent, "/auth/oauth2/userinfo", ENTCORE_USERINFO_ACCEPT, userinfo_done, NULL);
}

static void entcore_fetch(struct cr_ent *ent)
{
    get(ent, "/auth/user/requirements", NULL, requirements_done, NULL);
}

static void folder_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (GPOINTER_TO_UINT(data) != ent->folder_generation)
        return; /* another folder was asked for since */
    GPtrArray *docs = cr_resource_list_new();
    if (resp->status != 200 || !cr_entcore_parse_documents(resp->body, resp->len, ent->url, docs)) {
        listing_failed("workspace folder", resp);
        g_ptr_array_unref(docs);
        return;
    }
    /* Replace the documents and folders shown by this folder's. */
    for (guint i = ent->resources->len; i-- > 0;) {
        const struct cr_ent_resource *r = g_ptr_array_index(ent->resources, i);
        if (r->kind == CR_ENT_RESOURCE_DOCUMENT || r->kind == CR_ENT_RESOURCE_FOLDER)
            g_ptr_array_remove_index(ent->resources, i);
    }
    for (guint i = 0; i < docs->len; i++)
        g_ptr_array_add(ent->resources, g_steal_pointer(&docs->pdata[i]));
    g_ptr_array_unref(docs);
    cr_entcore_order(ent->resources, ent->bookmarks);
    cr_ent_notify(ent);
}

static void entcore_open_folder(struct cr_ent *ent, const char *folder_id)
{
    ent->folder_generation++;
    g_free(ent->folder_id);
    ent->folder_id = g_strdup(folder_id);
    g_autofree char *path = NULL;
    if (folder_id) {
        g_autofree char *id = g_uri_escape_string(folder_id, NULL, FALSE);
        path = g_strdup_printf("/workspace/documents?filter=owner&includeall=true&parentId=%s", id);
    } else {
        path = g_strdup("/workspace/documents?filter=owner&includeall=true");
    }
    get(ent, path, NULL, folder_done, GUINT_TO_POINTER(ent->folder_generation));
}

/* ---- opening: a short-lived token for pages, a ticket for connectors ---- */

static bool on_ent(const struct cr_ent *ent, const char *url)
{
    size_t n = strlen(ent->url);
    return !strncmp(url, ent->url, n) && (url[n] == '/' || url[n] == '?' || url[n] == '\0');
}

static char *with_param(const char *url, const char *name, const char *value)
{
    g_autofree char *v = cr_http_escape(value);
    const char *hash = strchr(url, '#');
    size_t head = hash ? (size_t)(hash - url) : strlen(url);
    char sep = memchr(url, '?', head) ? '&' : '?';
    size_t n = strlen(url) + strlen(name) + strlen(v) + 3;
    char *out = cr_xmalloc(n);
    snprintf(out, n, "%.*s%c%s=%s%s", (int)head, url, sep, name, v, hash ? hash : "");
    explicit_bzero(v, strlen(v));
    return out;
}

struct jwt_fields {
    char *token;
};

static void jwt_member(const char *key, enum cr_flatjson_type type, const char *value, void *ud)
{
    struct jwt_fields *f = ud;
    if (!strcmp(key, "access_token") && type == CR_FLATJSON_STRING) {
        cr_secret_free(f->token);
        f->token = cr_secret_dup(value);
    }
}

static void queryparam_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct cr_ent_opening *o = data;
    struct jwt_fields f = {NULL};
    if (resp->status != 200 || !cr_flatjson_parse(resp->body, resp->len, jwt_member, &f) ||
        !f.token) {
        cr_warn("ent", "queryparam token: HTTP %ld", resp->status);
        cr_secret_free(f.token);
        cr_ent_opened(ent, o, NULL, NULL);
        return;
    }
    if (o->kind == CR_ENT_RESOURCE_GAR) {
        /* GAR asks the ENT (its SAML IdP) who the teacher is: the browser
         * must carry the ENT session first. */
        g_autofree char *root = cr_ent_url(ent, "/");
        char *seed = with_param(root, "queryparam_token", f.token);
        cr_ent_opened(ent, o, o->url, seed);
        cr_secret_free(seed);
    } else {
        char *url = with_param(o->url, "queryparam_token", f.token);
        cr_ent_opened(ent, o, url, NULL);
        cr_secret_free(url);
    }
    cr_secret_free(f.token);
}

static void ticket_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct cr_ent_opening *o = data;
    /* entcore answers 200 with the Location of the service + ticket. */
    if (resp->status >= 400 || !resp->location) {
        cr_warn("ent", "connector ticket: HTTP %ld", resp->status);
        cr_ent_opened(ent, o, NULL, NULL);
        return;
    }
    cr_ent_opened(ent, o, resp->location, NULL);
}

static void entcore_open(struct cr_ent *ent, const struct cr_ent_resource *r,
                         struct cr_ent_opening *o)
{
    g_autofree char *cas_prefix = cr_ent_url(ent, "/cas/login?");
    if (r->kind == CR_ENT_RESOURCE_CONNECTOR && g_str_has_prefix(r->url, cas_prefix)) {
        g_autofree char *path = g_strconcat("/cas/oauth/login?", r->url + strlen(cas_prefix), NULL);
        get_full(ent, path, NULL, ticket_done, o, (GDestroyNotify)cr_ent_opening_free);
        return;
    }
    if (on_ent(ent, r->url) || r->kind == CR_ENT_RESOURCE_GAR) {
        get_full(ent, "/auth/oauth2/token?type=queryparam", NULL, queryparam_done, o,
                 (GDestroyNotify)cr_ent_opening_free);
        return;
    }
    cr_ent_opened_later(ent, o, false);
}

static void logout_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (!resp->status)
        cr_warn("ent", "/auth/logout: %s", resp->error ? resp->error : "failed");
}

static void entcore_logout(struct cr_ent *ent, struct cr_oauth_tokens *tokens)
{
    /* Ends the web session (the jar's oneSessionId, or a mobile session
     * whose id is the token) and fans out CAS/SAML/OIDC single logout. */
    g_autofree char *url = cr_ent_url(ent, "/auth/logout");
    struct cr_http_request req = {.url = url, .bearer = tokens->access_token};
    cr_ent_send(ent, &req, true, logout_done, NULL);
    g_clear_pointer(&ent->bookmarks, g_strfreev);
    cr_ent_revoke(ent, tokens);
}

const struct cr_ent_driver_ops cr_ent_driver_entcore = {
    .kind = CR_ENT_KIND_ENTCORE,
    .methods = entcore_methods,
    .fetch = entcore_fetch,
    .open_folder = entcore_open_folder,
    .open = entcore_open,
    .logout = entcore_logout,
};
