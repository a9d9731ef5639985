/* cr_ent_fetch_icon: the tiles' pictures. Workspace thumbnails need the
 * teacher's token; nothing else gets it. */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "ent-client/private.h"
#include "ent-client/secret.h"

#define ICON_MAX (4u * 1024 * 1024)

struct icon_fetch {
    struct cr_ent *ent; /* ref'd while a refusal waits in an idle source */
    cr_ent_icon_fn fn;
    void *userdata;
    char *url;
};

static void fetch_free(void *p)
{
    struct icon_fetch *f = p;
    cr_secret_free(f->url);
    free(f);
}

static void fetched(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct icon_fetch *f = data;
    bool ok = resp->status == 200 && resp->len > 0 && resp->len <= ICON_MAX;
    if (!ok)
        cr_debug("ent", "icon: HTTP %ld", resp->status);
    f->fn(ent, f->url, ok ? resp->body : NULL, ok ? resp->len : 0, ok ? resp->content_type : NULL,
          f->userdata);
    fetch_free(f);
}

static gboolean refused_idle(gpointer data)
{
    struct icon_fetch *f = data;
    struct cr_ent *ent = f->ent;
    f->fn(ent, f->url, NULL, 0, NULL, f->userdata);
    fetch_free(f);
    cr_ent_unref(ent);
    return G_SOURCE_REMOVE;
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

void cr_ent_fetch_icon(struct cr_ent *ent, const char *icon_url, cr_ent_icon_fn fn, void *userdata)
{
    struct icon_fetch *f = cr_xcalloc(1, sizeof(*f));
    f->fn = fn;
    f->userdata = userdata;
    f->url = cr_secret_dup(icon_url);
    bool listed = false;
    for (guint i = 0; ent->state == CR_ENT_SIGNED_IN && ent->resources && icon_url &&
                      i < ent->resources->len && !listed;
         i++) {
        const struct cr_ent_resource *r = g_ptr_array_index(ent->resources, i);
        listed = !g_strcmp0(r->icon_url, icon_url);
    }
    if (!listed) {
        f->ent = cr_ent_ref(ent);
        GSource *s = g_idle_source_new();
        g_source_set_callback(s, refused_idle, f, NULL);
        g_source_attach(s, ent->ctx);
        g_source_unref(s);
        return;
    }
    if (ent->tokens.access_token && same_origin(icon_url, ent->url)) {
        cr_ent_api_get(ent, icon_url, "image/*", fetched, f, fetch_free);
        return;
    }
    struct cr_http_request req = {.url = icon_url, .accept = "image/*", .follow = true};
    cr_ent_send_full(ent, &req, false, fetched, f, fetch_free);
}
