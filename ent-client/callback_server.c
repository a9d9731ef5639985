/* The board's HTTPS callback for the cross-device sign-in: the phone's
 * browser lands here (redirect_uri?code=…&state=…) after the teacher
 * signed in on the ENT. libsoup, on the io context. The request is held
 * until the board has its tokens, so that the phone's page tells the
 * truth ("the board of room 12 is signed in"). */
#include <libsoup/soup.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "ent-client/private.h"
#include "ent-client/secret.h"

/* The listener outlives stop() this long, so that a reply just given
 * reaches the phone. */
#define LINGER_MS 500

struct cr_callback_server {
    SoupServer *server;
    struct cr_ent *ent; /* NULL once stopped */
    cr_callback_fn fn;
    char *path;
    int port;
    GPtrArray *paused; /* SoupServerMessage *, ref'd */
};

static void set_page(SoupServerMessage *msg, unsigned status, const char *title, const char *text)
{
    g_autofree char *t = g_markup_escape_text(title ? title : "", -1);
    g_autofree char *x = g_markup_escape_text(text ? text : "", -1);
    g_autofree char *html =
        g_strdup_printf("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        "<meta name=\"referrer\" content=\"no-referrer\">"
                        "<title>craie — %s</title></head>"
                        "<body style=\"font-family:sans-serif;font-size:1.4em;margin:2em\">"
                        "<h1>%s</h1><p>%s</p></body></html>",
                        t, t, x);
    soup_server_message_set_status(msg, status, NULL);
    SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
    soup_message_headers_replace(h, "Cache-Control", "no-store");
    soup_message_headers_replace(h, "Referrer-Policy", "no-referrer");
    soup_server_message_set_response(msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, html,
                                     strlen(html));
}

static void handler(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                    gpointer data)
{
    struct cr_callback_server *s = data;
    if (strcmp(path, s->path)) {
        set_page(msg, 404, _("Not found"), "");
        return;
    }
    if (strcmp(soup_server_message_get_method(msg), "GET")) {
        set_page(msg, 405, _("Not signed in"), "");
        return;
    }
    if (!s->ent) {
        set_page(msg, 410, _("Not signed in"), cr_ent_problem_message(CR_ENT_PROBLEM_STATE));
        return;
    }
    const char *code = query ? g_hash_table_lookup(query, "code") : NULL;
    const char *state = query ? g_hash_table_lookup(query, "state") : NULL;
    const char *error = query ? g_hash_table_lookup(query, "error") : NULL;
    cr_debug("ent", "the phone reached the callback");
    soup_server_message_pause(msg);
    g_ptr_array_add(s->paused, g_object_ref(msg));
    s->fn(s->ent, code, state, error, msg);
}

void cr_callback_server_reply(struct cr_callback_server *s, void *request, unsigned status,
                              const char *title, const char *text)
{
    SoupServerMessage *msg = request;
    if (!g_ptr_array_remove(s->paused, msg))
        return;
    set_page(msg, status, title, text);
    soup_server_message_unpause(msg);
    g_object_unref(msg);
}

struct cr_callback_server *cr_callback_server_start(struct cr_ent *ent, cr_callback_fn fn,
                                                    char **error)
{
    if (!ent->callback_url || !ent->callback_cert || !ent->callback_key) {
        *error = g_strdup("ent.callback_url, ent.callback_cert and ent.callback_key are needed");
        return NULL;
    }
    g_autoptr(GUri) uri = g_uri_parse(ent->callback_url, G_URI_FLAGS_NONE, NULL);
    if (!uri || g_strcmp0(g_uri_get_scheme(uri), "https")) {
        *error = g_strdup("ent.callback_url must be an https URL");
        return NULL;
    }
    GError *err = NULL;
    g_autoptr(GTlsCertificate) cert =
        g_tls_certificate_new_from_files(ent->callback_cert, ent->callback_key, &err);
    if (!cert) {
        *error = g_strdup(err->message);
        g_error_free(err);
        return NULL;
    }
    int port = ent->callback_port > 0    ? ent->callback_port
               : g_uri_get_port(uri) > 0 ? g_uri_get_port(uri)
                                         : 443;
    struct cr_callback_server *s = cr_xcalloc(1, sizeof(*s));
    s->ent = ent;
    s->fn = fn;
    s->path = g_strdup(*g_uri_get_path(uri) ? g_uri_get_path(uri) : "/");
    s->paused = g_ptr_array_new();
    s->server = soup_server_new("tls-certificate", cert, "server-header", "craie", NULL);
    soup_server_add_handler(s->server, NULL, handler, s, NULL);
    g_main_context_push_thread_default(ent->ctx);
    bool ok = soup_server_listen_all(s->server, (guint)port, SOUP_SERVER_LISTEN_HTTPS, &err);
    g_main_context_pop_thread_default(ent->ctx);
    if (!ok) {
        *error = g_strdup_printf("port %d: %s", port, err->message);
        g_error_free(err);
        g_object_unref(s->server);
        g_ptr_array_free(s->paused, TRUE);
        g_free(s->path);
        free(s);
        return NULL;
    }
    s->port = port;
    cr_info("ent", "cross-device callback listening on port %d", port);
    return s;
}

int cr_callback_server_port(const struct cr_callback_server *s)
{
    return s->port;
}

static void server_free(gpointer data)
{
    struct cr_callback_server *s = data;
    soup_server_disconnect(s->server);
    g_object_unref(s->server);
    g_ptr_array_free(s->paused, TRUE);
    g_free(s->path);
    free(s);
}

static gboolean linger_over(gpointer data)
{
    return G_SOURCE_REMOVE;
}

void cr_callback_server_stop(struct cr_callback_server *s)
{
    if (!s)
        return;
    struct cr_ent *ent = s->ent;
    while (s->paused->len > 0)
        cr_callback_server_reply(s, g_ptr_array_index(s->paused, 0), 410, _("Not signed in"),
                                 cr_ent_problem_message(CR_ENT_PROBLEM_STATE));
    s->ent = NULL;
    /* Freed a little later, from the context: a reply just given must
     * still reach the phone, and stop may run inside the handler. */
    GSource *t = g_timeout_source_new(LINGER_MS);
    g_source_set_callback(t, linger_over, s, server_free);
    g_source_attach(t, ent->ctx);
    g_source_unref(t);
}
