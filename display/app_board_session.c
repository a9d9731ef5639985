/* The ENT's resources on the board, and nothing left of them at sign-out.
 * Opening: the io thread asks the ENT client for a handoff (the address
 * with a one-time token, the portal's cookies) or a workspace file in
 * memory, and posts it to the UI thread (CR_EVENT_BOARD_OPEN), which makes
 * the tile. Sign-out (any cause): every web view showing an ENT resource
 * loads the ENT's logout address (single logout, at most 4 s), then every
 * web view is destroyed (their processes end), every ENT tile closed and
 * its bytes zeroed. UI thread unless said. */
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/app_board_kinds.h"
#include "display/events.h"
#include "display/web/web_view.h"

#define LOGOUT_TIMEOUT_MS 4000

/* io → UI: what to open (secrets inside: zeroed when freed). */
struct board_open_msg {
    enum cr_ent_resource_kind kind;
    char *title;
    struct cr_ent_handoff *handoff; /* web; NULL when refused */
    char *logout_url;
    void *data; /* documents */
    size_t len;
    char *mime;
    char *error;
};

static void msg_free(void *p)
{
    struct board_open_msg *m = p;
    cr_ent_handoff_free(m->handoff);
    if (m->data) {
        explicit_bzero(m->data, m->len);
        g_free(m->data);
    }
    g_free(m->title);
    g_free(m->logout_url);
    g_free(m->mime);
    g_free(m->error);
    g_free(m);
}

/* A request on its way to the io thread. */
struct ent_open {
    struct cr_app *app;
    struct board_open_msg *msg; /* filled, then posted */
    char *url;                  /* the resource's url (may matter: zeroed) */
};

static void ent_open_free(void *p)
{
    struct ent_open *o = p;
    if (o->msg)
        msg_free(o->msg);
    if (o->url) {
        explicit_bzero(o->url, strlen(o->url));
        g_free(o->url);
    }
    g_free(o);
}

/* io thread */
static void post(struct ent_open *o)
{
    struct board_open_msg *m = o->msg;
    o->msg = NULL;
    cr_event_post(CR_EVENT_BOARD_OPEN, m, msg_free);
    ent_open_free(o);
}

/* io thread */
static void on_handoff(struct cr_ent *ent, struct cr_ent_handoff *h, void *userdata)
{
    struct ent_open *o = userdata;
    o->msg->handoff = h;
    o->msg->logout_url = cr_ent_web_logout_url(ent);
    post(o);
}

/* io thread */
static void on_document(struct cr_ent *ent, const char *url, const void *data, size_t len,
                        const char *content_type, const char *error, void *userdata)
{
    struct ent_open *o = userdata;
    if (data) {
        o->msg->data = g_try_malloc(len);
        if (o->msg->data) {
            memcpy(o->msg->data, data, len);
            o->msg->len = len;
        }
    }
    if (content_type) {
        g_free(o->msg->mime);
        o->msg->mime = g_strndup(content_type, strcspn(content_type, ";"));
    }
    o->msg->error = g_strdup(error);
    post(o);
}

/* io thread */
static gboolean io_open(gpointer data)
{
    struct ent_open *o = data;
    struct cr_ent *ent = o->app->ent.ent;
    if (!ent) {
        ent_open_free(o);
        return G_SOURCE_REMOVE;
    }
    if (o->msg->kind == CR_ENT_RESOURCE_DOCUMENT)
        cr_ent_fetch_document(ent, o->url, on_document, o);
    else
        cr_ent_open_handoff(ent, o->url, on_handoff, o);
    return G_SOURCE_REMOVE;
}

static bool signed_in(const struct cr_app *app)
{
    return app->ent.view && app->ent.view->state == CR_ENT_SIGNED_IN;
}

bool cr_app_board_open_ent(struct cr_app *app, const struct cr_ent_resource *res, char **error)
{
    if (!res->url || !signed_in(app)) {
        *error = g_strdup("not signed in to the ENT");
        return false;
    }
    if (app->board.board.n >= CR_BOARD_MAX) {
        *error = g_strdup_printf("the board already shows %d tiles: close one first", CR_BOARD_MAX);
        cr_toast_show(&app->notice, _("The board already shows four things. Close one first."),
                      cr_monotonic_us(), 5000);
        return false;
    }
    struct ent_open *o = g_new0(struct ent_open, 1);
    o->app = app;
    o->url = g_strdup(res->url);
    o->msg = g_new0(struct board_open_msg, 1);
    o->msg->kind = res->kind;
    o->msg->title = g_strdup(res->title);
    o->msg->mime = g_strdup(res->mime_type);
    cr_io_invoke(&app->io, io_open, o, NULL);
    /* TRANSLATORS: shown while an ENT resource is being opened */
    char *text = g_strdup_printf(_("Opening %s…"), res->title ? res->title : "");
    cr_toast_show(&app->notice, text, cr_monotonic_us(), 4000);
    g_free(text);
    return true;
}

static void refused(struct cr_app *app, const char *why)
{
    cr_toast_show(&app->notice, why, cr_monotonic_us(), 8000);
    app->dirty = true;
}

void cr_app_board_on_open(struct cr_app *app, struct board_open_msg *m)
{
    if (!signed_in(app))
        return; /* signed out since: nothing opens */
    char *error = NULL;
    int i = -1;
    if (m->kind == CR_ENT_RESOURCE_DOCUMENT) {
        if (!m->data) {
            refused(app, m->error ? m->error : _("The ENT did not send this file."));
            return;
        }
        struct cr_board_media_open o = {
            .data = m->data, .size = m->len, .mime = m->mime, .title = m->title, .ent = true};
        m->data = NULL; /* taken */
        bool av =
            m->mime && (g_str_has_prefix(m->mime, "video/") || g_str_has_prefix(m->mime, "audio/"));
        i = av ? cr_board_media_open(app, &o, &error) : cr_board_document_open(app, &o, &error);
    } else {
        struct cr_ent_handoff *h = m->handoff;
        if (!h) {
            refused(app, _("The ENT did not open this resource. Try again in a moment."));
            return;
        }
        struct cr_board_web_open o = {.url = h->url,
                                      .first_url = h->session_url,
                                      .title = m->title,
                                      .cookies = h->cookies,
                                      .n_cookies = h->n_cookies,
                                      .logout_url = m->logout_url,
                                      .ent = true};
        i = cr_board_web_open(app, &o, &error);
    }
    if (i < 0) {
        cr_warn("board", "an ENT resource could not be shown: %s", error ? error : "?");
        refused(app, _("This resource cannot be shown on the board."));
        g_free(error);
        return;
    }
    cr_app_open(app, CR_SCREEN_BOARD);
}

/* --- sign-out --------------------------------------------------------------- */

static void close_session_tiles(struct cr_app *app)
{
    struct cr_board *b = &app->board.board;
    for (size_t i = b->n; i-- > 0;)
        if (b->tiles[i].ops == &cr_board_web_ops || cr_board_tile_is_ent(&b->tiles[i]))
            cr_board_close(b, i);
    cr_info("board", "sign-out: web views and ENT tiles closed (%d web processes left)",
            cr_web_engine_process_count());
    app->dirty = true;
}

/* From inside the web module's event (a view cannot be destroyed there):
 * the wipe follows as an event of its own. */
static void logout_done(void *ud)
{
    struct cr_app *app = ud;
    if (app->board.logouts_pending > 0 && --app->board.logouts_pending == 0)
        cr_event_post(CR_EVENT_BOARD_WIPE, NULL, NULL);
}

void cr_app_board_wipe(struct cr_app *app)
{
    if (app->board.logouts_pending == 0)
        close_session_tiles(app);
}

/* Starts the logouts; returns how many. */
static int start_logouts(struct cr_app *app)
{
    struct cr_board *b = &app->board.board;
    int n = 0;
    app->board.logouts_pending = 1; /* held while they start */
    for (size_t i = 0; i < b->n; i++) {
        const char *url = cr_board_web_logout_url(&b->tiles[i]);
        struct cr_web_view *view = cr_board_web_view(&b->tiles[i]);
        if (!url || !view)
            continue;
        cr_board_set_notice(b, i, _("Signing out of the ENT…"));
        app->board.logouts_pending++;
        n++;
        cr_web_view_logout(view, url, LOGOUT_TIMEOUT_MS, logout_done, app);
    }
    return n;
}

void cr_app_board_ent_signed_out(struct cr_app *app)
{
    if (app->board.logouts_pending > 0)
        return; /* already under way */
    int n = start_logouts(app);
    cr_info("board", "sign-out: %d web view(s) end the ENT session", n);
    logout_done(app); /* the hold: closes at once when there was none */
}

void cr_app_board_shutdown(struct cr_app *app)
{
    if (signed_in(app) && app->board.logouts_pending == 0) {
        int n = start_logouts(app);
        logout_done(app);
        /* The UI loop has ended: wait here for the views (at most 4 s). */
        int64_t deadline = cr_monotonic_us() + (LOGOUT_TIMEOUT_MS + 500) * 1000LL;
        while (n > 0 && app->board.logouts_pending > 0 && cr_monotonic_us() < deadline) {
            SDL_Event ev;
            if (SDL_WaitEventTimeout(&ev, 50))
                cr_web_handle_sdl_event(&ev);
        }
    }
    app->board.logouts_pending = 0;
    close_session_tiles(app);
}

void cr_app_board_add_engine_state(struct cr_app *app, JsonBuilder *b)
{
    struct cr_board *bd = &app->board.board;
    int views = 0;
    for (size_t i = 0; i < bd->n; i++)
        views += bd->tiles[i].ops == &cr_board_web_ops;
    json_builder_set_member_name(b, "web_engine");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "processes");
    json_builder_add_int_value(b, cr_web_engine_process_count());
    json_builder_set_member_name(b, "views");
    json_builder_add_int_value(b, views);
    /* Views are ephemeral: cookies, cache and local storage stay in the web
     * processes' memory and go with them; no directory is ever made. */
    json_builder_set_member_name(b, "ephemeral");
    json_builder_add_boolean_value(b, true);
    json_builder_set_member_name(b, "private_dir");
    json_builder_add_null_value(b);
    json_builder_set_member_name(b, "private_dir_exists");
    json_builder_add_boolean_value(b, false);
    json_builder_set_member_name(b, "signing_out");
    json_builder_add_boolean_value(b, app->board.logouts_pending > 0);
    json_builder_end_object(b);
}
