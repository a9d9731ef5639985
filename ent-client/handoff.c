/* The kiosk view's side of the ENT: where to open a resource signed in as
 * the teacher (cr_ent_open plus the cookies a portal's session lives in),
 * where the view ends the web session at sign-out, and workspace files
 * downloaded into memory for the board's viewers. */
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "ent-client/private.h"
#include "ent-client/secret.h"

/* ---- handoff ------------------------------------------------------------ */

void cr_ent_handoff_free(struct cr_ent_handoff *h)
{
    if (!h)
        return;
    cr_secret_free(h->url);
    cr_secret_free(h->session_url);
    for (size_t i = 0; i < h->n_cookies; i++) {
        g_free(h->cookies[i].domain);
        g_free(h->cookies[i].path);
        g_free(h->cookies[i].name);
        cr_secret_free(h->cookies[i].value);
    }
    g_free(h->cookies);
    free(h);
}

struct handoff_req {
    struct cr_ent *ent; /* ref'd while a refusal waits in an idle source */
    cr_ent_handoff_fn fn;
    void *userdata;
    char *url; /* secret: the resource's url */
    enum cr_ent_resource_kind kind;
};

static void req_free(void *p)
{
    struct handoff_req *r = p;
    cr_secret_free(r->url);
    free(r);
}

static char *host_of(const char *url)
{
    g_autoptr(GUri) u = url ? g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL) : NULL;
    return u && g_uri_get_host(u) ? g_ascii_strdown(g_uri_get_host(u), -1) : NULL;
}

/* Adds the jar's cookies for host (once each: same domain, path and name). */
static void add_cookies(struct cr_ent *ent, struct cr_ent_handoff *h, const char *host)
{
    struct cr_http_cookie *c = NULL;
    size_t n = cr_http_cookies_for(ent->http, host, &c);
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t j = 0; j < h->n_cookies && !dup; j++)
            dup = !strcmp(h->cookies[j].name, c[i].name) &&
                  !strcmp(h->cookies[j].domain, c[i].domain) &&
                  !strcmp(h->cookies[j].path, c[i].path);
        if (dup)
            continue;
        h->cookies = g_renew(struct cr_ent_cookie, h->cookies, h->n_cookies + 1);
        h->cookies[h->n_cookies++] = (struct cr_ent_cookie){.domain = g_strdup(c[i].domain),
                                                            .path = g_strdup(c[i].path),
                                                            .name = g_strdup(c[i].name),
                                                            .value = cr_secret_dup(c[i].value),
                                                            .secure = c[i].secure,
                                                            .http_only = c[i].http_only};
    }
    cr_http_cookies_free(c, n);
}

static void answer(struct cr_ent *ent, struct handoff_req *r, struct cr_ent_handoff *h)
{
    r->fn(ent, h, r->userdata);
    req_free(r);
}

static struct cr_ent_handoff *handoff_new(struct handoff_req *r, const char *url,
                                          const char *session_url)
{
    struct cr_ent_handoff *h = cr_xcalloc(1, sizeof(*h));
    h->url = cr_secret_dup(url);
    h->session_url = cr_secret_dup(session_url);
    h->kind = r->kind;
    return h;
}

/* entcore without queryparam tokens: a session cookie made from the token. */
static void cookie_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct handoff_req *r = data;
    g_autofree char *host = host_of(ent->url);
    struct cr_ent_handoff *h = handoff_new(r, r->url, NULL);
    if (resp->status == 200)
        add_cookies(ent, h, host);
    bool ok = false;
    for (size_t i = 0; i < h->n_cookies; i++)
        ok = ok || !strcmp(h->cookies[i].name, "oneSessionId");
    if (!ok) {
        cr_warn("ent", "token-as-cookie: HTTP %ld, no session", resp->status);
        cr_ent_handoff_free(h);
        h = NULL;
    }
    answer(ent, r, h);
}

static bool on_ent(const struct cr_ent *ent, const char *url)
{
    size_t n = strlen(ent->url);
    return !strncmp(url, ent->url, n) && (url[n] == '/' || url[n] == '?' || url[n] == '\0');
}

static void opened(struct cr_ent *ent, const char *url, const char *session_url, void *userdata)
{
    struct handoff_req *r = userdata;
    if (!url && ent->kind == CR_ENT_KIND_ENTCORE && ent->state == CR_ENT_SIGNED_IN &&
        r->kind != CR_ENT_RESOURCE_CONNECTOR && on_ent(ent, r->url)) {
        g_autofree char *u = cr_ent_url(ent, "/auth/oauth2/token-as-cookie");
        struct cr_http_request req = {
            .method = "POST", .url = u, .bearer = ent->tokens.access_token, .body = ""};
        cr_ent_send_full(ent, &req, false, cookie_done, r, req_free);
        return;
    }
    if (!url) {
        answer(ent, r, NULL);
        return;
    }
    struct cr_ent_handoff *h = handoff_new(r, url, session_url);
    if (ent->kind == CR_ENT_KIND_CAS) {
        /* The portal's session (LemonLDAP::NG's cookie) goes with the view:
         * the resource's host and the portal's, where CAS sends it back. */
        g_autofree char *portal = host_of(ent->url);
        g_autofree char *host = host_of(url);
        if (host)
            add_cookies(ent, h, host);
        if (portal)
            add_cookies(ent, h, portal);
    }
    answer(ent, r, h);
}

static gboolean refused_idle(gpointer data)
{
    struct handoff_req *r = data;
    struct cr_ent *ent = r->ent;
    answer(ent, r, NULL);
    cr_ent_unref(ent);
    return G_SOURCE_REMOVE;
}

static const struct cr_ent_resource *listed(const struct cr_ent *ent, const char *url)
{
    for (guint i = 0;
         ent->state == CR_ENT_SIGNED_IN && ent->resources && url && i < ent->resources->len; i++) {
        const struct cr_ent_resource *res = g_ptr_array_index(ent->resources, i);
        if (!g_strcmp0(res->url, url))
            return res;
    }
    return NULL;
}

void cr_ent_open_handoff(struct cr_ent *ent, const char *url, cr_ent_handoff_fn fn, void *userdata)
{
    struct handoff_req *r = cr_xcalloc(1, sizeof(*r));
    r->fn = fn;
    r->userdata = userdata;
    r->url = cr_secret_dup(url);
    const struct cr_ent_resource *res = listed(ent, url);
    if (!res) {
        cr_warn("ent", "open: not a resource of the current list");
        r->ent = cr_ent_ref(ent);
        GSource *s = g_idle_source_new();
        g_source_set_callback(s, refused_idle, r, NULL);
        g_source_attach(s, ent->ctx);
        g_source_unref(s);
        return;
    }
    r->kind = res->kind;
    cr_ent_open_full(ent, url, opened, r, req_free);
}

char *cr_ent_web_logout_url(const struct cr_ent *ent)
{
    switch (ent->kind) {
    case CR_ENT_KIND_ENTCORE:
        return cr_ent_url(ent, "/auth/logout");
    case CR_ENT_KIND_CAS:
        return cr_ent_url(ent, "/logout");
    case CR_ENT_KIND_OIDC:
        return g_strdup(ent->ep.end_session);
    case CR_ENT_KIND_NONE:
        break;
    }
    return NULL;
}

/* ---- documents ------------------------------------------------------------ */

struct doc_fetch {
    struct cr_ent *ent; /* ref'd while a refusal waits in an idle source */
    cr_ent_document_fn fn;
    void *userdata;
    char *url;
    char *mime; /* what the list says */
    const char *error;
};

static void doc_free(void *p)
{
    struct doc_fetch *f = p;
    cr_secret_free(f->url);
    g_free(f->mime);
    free(f);
}

static void doc_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct doc_fetch *f = data;
    bool ok = resp->status == 200 && resp->len > 0;
    const char *error = NULL;
    if (!ok) {
        cr_warn("ent", "document: HTTP %ld %s", resp->status, resp->error ? resp->error : "");
        error = resp->error && strstr(resp->error, "too large")
                    ? _("This file is too large to be shown on the board (64 MiB at most).")
                : resp->status == 0 ? _("The ENT cannot be reached. Check the network.")
                                    : _("The ENT did not send this file.");
    }
    const char *type = resp->content_type ? resp->content_type : f->mime;
    f->fn(ent, f->url, ok ? resp->body : NULL, ok ? resp->len : 0, ok ? type : NULL, error,
          f->userdata);
    doc_free(f);
}

static gboolean doc_refused_idle(gpointer data)
{
    struct doc_fetch *f = data;
    struct cr_ent *ent = f->ent;
    f->fn(ent, f->url, NULL, 0, NULL, f->error, f->userdata);
    doc_free(f);
    cr_ent_unref(ent);
    return G_SOURCE_REMOVE;
}

/* What the board shows as it is: PDF, pictures, video, sound. */
static bool viewable(const char *mime)
{
    return mime && (g_str_has_prefix(mime, "video/") || g_str_has_prefix(mime, "audio/") ||
                    g_str_has_prefix(mime, "image/") || !strcmp(mime, "application/pdf"));
}

bool cr_ent_is_document(const struct cr_ent *ent, const char *url)
{
    const struct cr_ent_resource *res = listed(ent, url);
    return res && res->kind == CR_ENT_RESOURCE_DOCUMENT;
}

void cr_ent_fetch_document(struct cr_ent *ent, const char *url, cr_ent_document_fn fn,
                           void *userdata)
{
    struct doc_fetch *f = cr_xcalloc(1, sizeof(*f));
    f->fn = fn;
    f->userdata = userdata;
    f->url = cr_secret_dup(url);
    const struct cr_ent_resource *res = listed(ent, url);
    g_autofree char *fetch = NULL;
    if (!res || res->kind != CR_ENT_RESOURCE_DOCUMENT) {
        cr_warn("ent", "document: not a document of the current list");
        f->error = _("This is not a file of your ENT.");
    } else if (viewable(res->mime_type)) {
        fetch = g_strdup(res->url);
    } else if (ent->kind == CR_ENT_KIND_ENTCORE && res->id) {
        /* an office file: entcore converts it to PDF */
        g_autofree char *id = cr_http_escape(res->id);
        g_autofree char *path = g_strdup_printf("/workspace/document/preview/%s", id);
        fetch = cr_ent_url(ent, path);
        f->mime = g_strdup("application/pdf");
    } else {
        f->error = _("The board cannot show this kind of file.");
    }
    if (!fetch) {
        f->ent = cr_ent_ref(ent);
        GSource *s = g_idle_source_new();
        g_source_set_callback(s, doc_refused_idle, f, NULL);
        g_source_attach(s, ent->ctx);
        g_source_unref(s);
        return;
    }
    if (!f->mime)
        f->mime = g_strdup(res->mime_type);
    cr_ent_api_get_large(ent, fetch, "*/*", CR_ENT_DOCUMENT_MAX, 120000, doc_done, f, doc_free);
}
