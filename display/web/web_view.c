/* The web view: a WebKitWebView on a wpebackend-fdo exportable backend whose
 * SHM buffers are copied into craie frames. The UI-thread half (state,
 * callbacks, pending logout) and the craie-web half (every WebKit object)
 * share the struct; each field says which thread owns it. */
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <wayland-server.h>
#include <wpe/fdo.h>
#include <wpe/unstable/fdo-shm.h>
#include <wpe/webkit.h>

#include "common/log.h"
#include "common/util.h"
#include "display/events.h"
#include "display/web/web_private.h"

#define FRAME_INTERVAL_US (1000000 / 30)
#define ZOOM_MIN 0.5
#define ZOOM_MAX 4.0
#define EXIT_WAIT_US (3 * G_USEC_PER_SEC)
#define CRASH_RELOADS 3
#define CRASH_WINDOW_US (60 * G_USEC_PER_SEC)

struct cr_web_view {
    uint64_t id; /* constant */

    /* UI thread */
    const struct cr_web_view_callbacks *cbs;
    void *userdata;
    struct cr_web_state state;
    char *title;
    void (*logout_done)(void *ud);
    void *logout_ud;

    /* constant after new */
    struct cr_frame_slot *slot;
    char *home;
    char *private_dir;
    struct cr_web_cookie *cookies; /* strings owned */
    size_t n_cookies;

    /* craie-web thread */
    WebKitWebContext *ctx;
    WebKitWebView *wk;
    struct wpe_view_backend_exportable_fdo *exportable;
    struct wpe_view_backend *backend;
    int width, height;
    uint32_t buttons; /* wpe pointer modifier mask of buttons held */
    int64_t last_frame_us;
    GSource *frame_timer; /* frame_complete deferred to keep <= 30 fps */
    GSource *state_idle;  /* coalesces state posts */
    GSource *logout_timer;
    bool logout_active;
    bool logout_started; /* the sign-out page's load has started (not the one it replaced) */
    bool error_pending;  /* an error page load is on its way */
    bool error_page;
    size_t cookies_left;
    char *first_url;
    GArray *pids; /* engine processes attributed to this view */
    struct wpe_input_touch_event_raw touch[10];
    bool has_choice_cb;     /* constant */
    WebKitOptionMenu *menu; /* the open <select>, or NULL */
    GPtrArray *cookie_ops;  /* struct cookie_op * still on their way */
    int crashes;            /* web process ends since first_crash_us */
    int64_t first_crash_us;
};

/* Messages to the UI thread (CR_EVENT_WEB payloads). */
enum msg_kind {
    MSG_STATE,
    MSG_LOGOUT_DONE,
    MSG_CHOICE,
    MSG_CHOICE_CLOSED,
};

struct msg {
    enum msg_kind kind;
    uint64_t view_id;
    struct cr_web_state state;
    char *title;
    struct cr_web_choice choice;
    char **labels; /* MSG_CHOICE: NULL-terminated */
    bool *enabled;
};

static void msg_free(void *p)
{
    struct msg *m = p;
    g_free(m->title);
    g_strfreev(m->labels);
    g_free(m->enabled);
    g_free(m);
}

/* UI thread: views alive, by id (messages for a destroyed view are dropped). */
static GHashTable *live_views;
static uint64_t next_id = 1;

/* craie-web thread: every view, for process attribution. */
static GPtrArray *web_views;

static uint32_t now_ms(void)
{
    return (uint32_t)(g_get_monotonic_time() / 1000);
}

/* ---- craie-web thread: frames ---- */

static gboolean frame_timer_cb(gpointer p)
{
    struct cr_web_view *v = p;
    g_source_unref(v->frame_timer);
    v->frame_timer = NULL;
    v->last_frame_us = g_get_monotonic_time();
    wpe_view_backend_exportable_fdo_dispatch_frame_complete(v->exportable);
    return G_SOURCE_REMOVE;
}

static void attribute_pids(struct cr_web_view *v)
{
    GArray *all = cr_web_engine_pids();
    for (guint i = 0; i < all->len; i++) {
        pid_t pid = g_array_index(all, pid_t, i);
        bool known = false;
        for (guint j = 0; j < web_views->len && !known; j++) {
            struct cr_web_view *o = g_ptr_array_index(web_views, j);
            for (guint k = 0; k < o->pids->len && !known; k++)
                known = g_array_index(o->pids, pid_t, k) == pid;
        }
        if (!known)
            g_array_append_val(v->pids, pid);
    }
    g_array_unref(all);
}

static void export_shm(void *data, struct wpe_fdo_shm_exported_buffer *buffer)
{
    struct cr_web_view *v = data;
    struct wl_shm_buffer *shm = wpe_fdo_shm_exported_buffer_get_shm_buffer(buffer);
    wl_shm_buffer_begin_access(shm);
    int w = wl_shm_buffer_get_width(shm);
    int h = wl_shm_buffer_get_height(shm);
    int stride = wl_shm_buffer_get_stride(shm);
    uint32_t format = wl_shm_buffer_get_format(shm);
    const uint8_t *src = wl_shm_buffer_get_data(shm);
    /* ARGB8888/XRGB8888 little-endian: bytes B G R A, as CR_PIXEL_BGRA. */
    struct cr_frame *frame = NULL;
    if (format == WL_SHM_FORMAT_ARGB8888 || format == WL_SHM_FORMAT_XRGB8888)
        frame = cr_frame_new_alloc(CR_PIXEL_BGRA, w, h);
    if (frame) {
        for (int y = 0; y < h; y++) {
            uint8_t *dst = frame->planes[0] + (size_t)y * frame->strides[0];
            memcpy(dst, src + (size_t)y * stride, (size_t)w * 4);
            if (format == WL_SHM_FORMAT_XRGB8888)
                for (int x = 0; x < w; x++)
                    dst[x * 4 + 3] = 0xff;
        }
        frame->capture_us = g_get_monotonic_time();
    }
    wl_shm_buffer_end_access(shm);
    wpe_view_backend_exportable_fdo_dispatch_release_shm_exported_buffer(v->exportable, buffer);
    if (frame)
        cr_frame_slot_push(v->slot, frame);

    /* Paced frame completion: WebKit paints again no sooner than that. */
    int64_t now = g_get_monotonic_time();
    int64_t wait = v->last_frame_us + FRAME_INTERVAL_US - now;
    if (wait <= 0) {
        v->last_frame_us = now;
        wpe_view_backend_exportable_fdo_dispatch_frame_complete(v->exportable);
    } else if (!v->frame_timer) {
        v->frame_timer = g_timeout_source_new((guint)(wait / 1000) + 1);
        g_source_set_callback(v->frame_timer, frame_timer_cb, v, NULL);
        g_source_attach(v->frame_timer, cr_web_thread_context());
    }
}

static const struct wpe_view_backend_exportable_fdo_client exportable_client = {
    .export_shm_buffer = export_shm,
};

/* ---- craie-web thread: state ---- */

static void post_logout_done(struct cr_web_view *v)
{
    if (!v->logout_active)
        return;
    v->logout_active = false;
    v->logout_started = false;
    if (v->logout_timer) {
        g_source_destroy(v->logout_timer);
        g_source_unref(v->logout_timer);
        v->logout_timer = NULL;
    }
    struct msg *m = g_new0(struct msg, 1);
    m->kind = MSG_LOGOUT_DONE;
    m->view_id = v->id;
    cr_event_post(CR_EVENT_WEB, m, msg_free);
}

static gboolean state_idle_cb(gpointer p)
{
    struct cr_web_view *v = p;
    g_source_unref(v->state_idle);
    v->state_idle = NULL;
    struct msg *m = g_new0(struct msg, 1);
    m->kind = MSG_STATE;
    m->view_id = v->id;
    m->state.loading = webkit_web_view_is_loading(v->wk);
    m->state.progress = m->state.loading ? webkit_web_view_get_estimated_load_progress(v->wk) : 1.0;
    m->state.can_go_back = webkit_web_view_can_go_back(v->wk);
    m->state.can_go_forward = webkit_web_view_can_go_forward(v->wk);
    m->state.error_page = v->error_page;
    const char *title = webkit_web_view_get_title(v->wk);
    m->title = g_strdup(title ? title : "");
    cr_event_post(CR_EVENT_WEB, m, msg_free);
    return G_SOURCE_REMOVE;
}

static void queue_state(struct cr_web_view *v)
{
    if (v->state_idle)
        return;
    v->state_idle = g_idle_source_new();
    g_source_set_callback(v->state_idle, state_idle_cb, v, NULL);
    g_source_attach(v->state_idle, cr_web_thread_context());
}

static void on_notify(GObject *obj, GParamSpec *pspec, gpointer data)
{
    queue_state(data);
}

static void on_load_changed(WebKitWebView *wk, WebKitLoadEvent ev, gpointer data)
{
    struct cr_web_view *v = data;
    if (ev == WEBKIT_LOAD_STARTED) {
        /* The load a sign-out page replaces ends (failed, finished) before
         * the sign-out page's own load starts. */
        if (v->logout_active)
            v->logout_started = true;
    } else if (ev == WEBKIT_LOAD_COMMITTED) {
        v->error_page = v->error_pending;
        v->error_pending = false;
        attribute_pids(v);
    } else if (ev == WEBKIT_LOAD_FINISHED && v->logout_started) {
        post_logout_done(v);
    }
    queue_state(v);
}

static gboolean on_load_failed(WebKitWebView *wk, WebKitLoadEvent ev, const char *uri,
                               GError *error, gpointer data)
{
    struct cr_web_view *v = data;
    if (v->logout_started)
        post_logout_done(v);
    /* Stopped, or turned into a download we refused: stay on the page. */
    if (g_error_matches(error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) ||
        g_error_matches(error, WEBKIT_POLICY_ERROR,
                        WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE) ||
        g_error_matches(error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_FILE_DOES_NOT_EXIST))
        return TRUE;
    g_autofree char *safe = cr_web_loggable_url(uri);
    cr_warn("web", "cannot load %s: %s", safe, error->message);
    g_autofree char *html = cr_web_error_page_html(
        uri, error->domain == G_TLS_ERROR ? CR_WEB_ERROR_CERTIFICATE : CR_WEB_ERROR_NETWORK);
    v->error_pending = true;
    webkit_web_view_load_alternate_html(wk, html, uri, NULL);
    return TRUE;
}

/* An untrusted certificate: never an exception, craie's page says why. */
static gboolean on_tls_errors(WebKitWebView *wk, const char *uri, GTlsCertificate *cert,
                              GTlsCertificateFlags errors, gpointer data)
{
    struct cr_web_view *v = data;
    if (v->logout_started)
        post_logout_done(v);
    g_autofree char *safe = cr_web_loggable_url(uri);
    cr_warn("web", "untrusted certificate for %s (flags 0x%x): not loaded", safe, (unsigned)errors);
    g_autofree char *html = cr_web_error_page_html(uri, CR_WEB_ERROR_CERTIFICATE);
    v->error_pending = true;
    webkit_web_view_load_alternate_html(wk, html, uri, NULL);
    return TRUE;
}

/* ---- craie-web thread: <select> ---- */

static void menu_closed(WebKitOptionMenu *menu, gpointer data)
{
    struct cr_web_view *v = data;
    if (v->menu != menu)
        return;
    g_signal_handlers_disconnect_by_data(menu, v);
    g_clear_object(&v->menu);
    struct msg *m = g_new0(struct msg, 1);
    m->kind = MSG_CHOICE_CLOSED;
    m->view_id = v->id;
    cr_event_post(CR_EVENT_WEB, m, msg_free);
}

static gboolean on_option_menu(WebKitWebView *wk, WebKitOptionMenu *menu, WebKitRectangle *rect,
                               gpointer data)
{
    struct cr_web_view *v = data;
    if (!v->has_choice_cb)
        return FALSE;
    if (v->menu)
        webkit_option_menu_close(v->menu);
    v->menu = g_object_ref(menu);
    g_signal_connect(menu, "close", G_CALLBACK(menu_closed), v);
    guint n = webkit_option_menu_get_n_items(menu);
    struct msg *m = g_new0(struct msg, 1);
    m->kind = MSG_CHOICE;
    m->view_id = v->id;
    m->labels = g_new0(char *, n + 1);
    m->enabled = g_new0(bool, n ? n : 1);
    m->choice.selected = -1;
    for (guint i = 0; i < n; i++) {
        WebKitOptionMenuItem *it = webkit_option_menu_get_item(menu, i);
        const char *label = webkit_option_menu_item_get_label(it);
        m->labels[i] = g_strdup(label ? label : "");
        m->enabled[i] =
            webkit_option_menu_item_is_enabled(it) && !webkit_option_menu_item_is_group_label(it);
        if (webkit_option_menu_item_is_selected(it))
            m->choice.selected = (int)i;
    }
    m->choice.n = n;
    if (rect) {
        m->choice.x = rect->x;
        m->choice.y = rect->y;
        m->choice.width = rect->width;
        m->choice.height = rect->height;
    }
    cr_event_post(CR_EVENT_WEB, m, msg_free);
    return TRUE;
}

/* ---- craie-web thread: kiosk policy ---- */

static void load_in_place(struct cr_web_view *v, WebKitURIRequest *req)
{
    const char *uri = req ? webkit_uri_request_get_uri(req) : NULL;
    if (uri && *uri)
        webkit_web_view_load_uri(v->wk, uri);
}

static gboolean on_decide_policy(WebKitWebView *wk, WebKitPolicyDecision *decision,
                                 WebKitPolicyDecisionType type, gpointer data)
{
    struct cr_web_view *v = data;
    switch (type) {
    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION: {
        /* target=_blank: the same view, never a new window. */
        WebKitNavigationAction *a = webkit_navigation_policy_decision_get_navigation_action(
            WEBKIT_NAVIGATION_POLICY_DECISION(decision));
        load_in_place(v, webkit_navigation_action_get_request(a));
        webkit_policy_decision_ignore(decision);
        return TRUE;
    }
    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE: {
        WebKitResponsePolicyDecision *rd = WEBKIT_RESPONSE_POLICY_DECISION(decision);
        WebKitURIResponse *resp = webkit_response_policy_decision_get_response(rd);
        const char *disposition = NULL;
        SoupMessageHeaders *h = webkit_uri_response_get_http_headers(resp);
        if (h)
            disposition = soup_message_headers_get_one(h, "Content-Disposition");
        bool attachment = disposition && g_ascii_strncasecmp(disposition, "attachment", 10) == 0;
        if (attachment || !webkit_response_policy_decision_is_mime_type_supported(rd)) {
            /* Would be a download: refused, the page stays. */
            cr_info("web", "download refused (%s)", webkit_uri_response_get_mime_type(resp));
            webkit_policy_decision_ignore(decision);
            return TRUE;
        }
        return FALSE;
    }
    default:
        return FALSE;
    }
}

static WebKitWebView *on_create(WebKitWebView *wk, WebKitNavigationAction *action, gpointer data)
{
    /* window.open(): the same view. */
    load_in_place(data, webkit_navigation_action_get_request(action));
    return NULL;
}

static void on_download_started(WebKitWebContext *ctx, WebKitDownload *download, gpointer data)
{
    cr_info("web", "download cancelled");
    webkit_download_cancel(download);
}

static gboolean on_file_chooser(WebKitWebView *wk, WebKitFileChooserRequest *req, gpointer data)
{
    webkit_file_chooser_request_cancel(req);
    return TRUE;
}

static gboolean on_context_menu(WebKitWebView *wk, WebKitContextMenu *menu, gpointer event,
                                WebKitHitTestResult *hit, gpointer data)
{
    return TRUE;
}

static gboolean on_permission(WebKitWebView *wk, WebKitPermissionRequest *req, gpointer data)
{
    webkit_permission_request_deny(req);
    return TRUE;
}

static void on_process_terminated(WebKitWebView *wk, WebKitWebProcessTerminationReason reason,
                                  gpointer data)
{
    struct cr_web_view *v = data;
    if (reason == WEBKIT_WEB_PROCESS_TERMINATED_BY_API)
        return;
    /* A page that kills its process again and again gets the error page
     * instead of an endless reload. */
    int64_t now = g_get_monotonic_time();
    if (now - v->first_crash_us > CRASH_WINDOW_US) {
        v->first_crash_us = now;
        v->crashes = 0;
    }
    if (++v->crashes > CRASH_RELOADS) {
        cr_warn("web", "web process ended %d times: showing the error page", v->crashes);
        const char *uri = webkit_web_view_get_uri(wk);
        g_autofree char *html = cr_web_error_page_html(uri, CR_WEB_ERROR_CRASHED);
        v->error_pending = true;
        webkit_web_view_load_alternate_html(wk, html, uri, NULL);
        return;
    }
    cr_warn("web", "web process ended (%s): reloading",
            reason == WEBKIT_WEB_PROCESS_CRASHED ? "crash" : "memory");
    webkit_web_view_reload(wk);
}

/* ---- craie-web thread: life ---- */

/* One cookie on its way. The context is kept until WebKit has finished with
 * the call: a context finalized under a pending cookie call crashes WebKit
 * 2.38 (seen when a view is closed at once). */
struct cookie_op {
    struct cr_web_view *v; /* NULL once the view is gone */
    WebKitWebContext *ctx; /* a reference */
};

static gboolean cookie_op_free(gpointer p)
{
    struct cookie_op *op = p;
    g_object_unref(op->ctx);
    g_free(op);
    return G_SOURCE_REMOVE;
}

static void cookie_added(GObject *src, GAsyncResult *res, gpointer data)
{
    struct cookie_op *op = data;
    struct cr_web_view *v = op->v;
    g_autoptr(GError) err = NULL;
    bool ok = webkit_cookie_manager_add_cookie_finish(WEBKIT_COOKIE_MANAGER(src), res, &err);
    if (v) {
        g_ptr_array_remove(v->cookie_ops, op);
        if (!ok)
            cr_warn("web", "cannot preset a cookie: %s", err->message);
        if (--v->cookies_left == 0 && v->wk && v->first_url) {
            webkit_web_view_load_uri(v->wk, v->first_url);
            g_clear_pointer(&v->first_url, g_free);
        }
    }
    /* After WebKit's task is gone. */
    GSource *idle = g_idle_source_new();
    g_source_set_callback(idle, cookie_op_free, op, NULL);
    g_source_attach(idle, cr_web_thread_context());
    g_source_unref(idle);
}

static void create_on_thread(struct cr_web_sync *sync, void *data)
{
    struct cr_web_view *v = data;
    if (!web_views)
        web_views = g_ptr_array_new();
    v->cookie_ops = g_ptr_array_new();
    if (v->private_dir) {
        g_autofree char *data_dir = g_build_filename(v->private_dir, "data", NULL);
        g_autofree char *cache_dir = g_build_filename(v->private_dir, "cache", NULL);
        WebKitWebsiteDataManager *mgr = webkit_website_data_manager_new(
            "base-data-directory", data_dir, "base-cache-directory", cache_dir, NULL);
        v->ctx = webkit_web_context_new_with_website_data_manager(mgr);
        g_object_unref(mgr);
        g_autofree char *cookies = g_build_filename(v->private_dir, "cookies.sqlite", NULL);
        webkit_cookie_manager_set_persistent_storage(webkit_web_context_get_cookie_manager(v->ctx),
                                                     cookies,
                                                     WEBKIT_COOKIE_PERSISTENT_STORAGE_SQLITE);
    } else {
        v->ctx = webkit_web_context_new_ephemeral();
    }
    webkit_web_context_set_cache_model(v->ctx, WEBKIT_CACHE_MODEL_DOCUMENT_BROWSER);
    g_signal_connect(v->ctx, "download-started", G_CALLBACK(on_download_started), v);

    v->exportable =
        wpe_view_backend_exportable_fdo_create(&exportable_client, v, v->width, v->height);
    v->backend = wpe_view_backend_exportable_fdo_get_view_backend(v->exportable);
    WebKitWebViewBackend *wb = webkit_web_view_backend_new(
        v->backend, (GDestroyNotify)wpe_view_backend_exportable_fdo_destroy, v->exportable);
    WebKitSettings *settings = webkit_settings_new_with_settings(
        "enable-developer-extras", FALSE, "enable-write-console-messages-to-stdout", FALSE,
        "javascript-can-open-windows-automatically", TRUE, "enable-page-cache", FALSE, NULL);
    v->wk = WEBKIT_WEB_VIEW(g_object_new(WEBKIT_TYPE_WEB_VIEW, "backend", wb, "web-context", v->ctx,
                                         "settings", settings, NULL));
    g_object_unref(settings);
    wpe_view_backend_add_activity_state(v->backend, wpe_view_activity_state_visible |
                                                        wpe_view_activity_state_focused |
                                                        wpe_view_activity_state_in_window);

    g_signal_connect(v->wk, "notify::estimated-load-progress", G_CALLBACK(on_notify), v);
    g_signal_connect(v->wk, "notify::title", G_CALLBACK(on_notify), v);
    g_signal_connect(v->wk, "notify::is-loading", G_CALLBACK(on_notify), v);
    g_signal_connect(v->wk, "load-changed", G_CALLBACK(on_load_changed), v);
    g_signal_connect(v->wk, "load-failed", G_CALLBACK(on_load_failed), v);
    g_signal_connect(v->wk, "load-failed-with-tls-errors", G_CALLBACK(on_tls_errors), v);
    g_signal_connect(v->wk, "decide-policy", G_CALLBACK(on_decide_policy), v);
    g_signal_connect(v->wk, "create", G_CALLBACK(on_create), v);
    g_signal_connect(v->wk, "run-file-chooser", G_CALLBACK(on_file_chooser), v);
    g_signal_connect(v->wk, "context-menu", G_CALLBACK(on_context_menu), v);
    g_signal_connect(v->wk, "permission-request", G_CALLBACK(on_permission), v);
    g_signal_connect(v->wk, "web-process-terminated", G_CALLBACK(on_process_terminated), v);
    g_signal_connect(v->wk, "show-option-menu", G_CALLBACK(on_option_menu), v);
    g_signal_connect_swapped(webkit_web_view_get_back_forward_list(v->wk), "changed",
                             G_CALLBACK(queue_state), v);
    g_ptr_array_add(web_views, v);

    if (v->n_cookies > 0) {
        /* The first page loads once every cookie is in. */
        WebKitCookieManager *cm = webkit_web_context_get_cookie_manager(v->ctx);
        v->first_url = g_strdup(v->home);
        v->cookies_left = v->n_cookies;
        for (size_t i = 0; i < v->n_cookies; i++) {
            const struct cr_web_cookie *c = &v->cookies[i];
            SoupCookie *sc = soup_cookie_new(c->name, c->value, c->domain, c->path, -1);
            soup_cookie_set_secure(sc, c->secure);
            soup_cookie_set_http_only(sc, c->http_only);
            struct cookie_op *op = g_new0(struct cookie_op, 1);
            op->v = v;
            op->ctx = g_object_ref(v->ctx);
            g_ptr_array_add(v->cookie_ops, op);
            webkit_cookie_manager_add_cookie(cm, sc, NULL, cookie_added, op);
            soup_cookie_free(sc);
        }
    } else if (v->home && *v->home) {
        webkit_web_view_load_uri(v->wk, v->home);
    }
    cr_web_thread_done(sync);
}

struct destroy_wait {
    struct cr_web_sync *sync;
    GArray *pids;
    int64_t deadline;
    bool killed;
};

static bool any_alive(GArray *pids)
{
    for (guint i = 0; i < pids->len; i++)
        if (cr_web_pid_alive(g_array_index(pids, pid_t, i)))
            return true;
    return false;
}

static gboolean destroy_poll(gpointer p)
{
    struct destroy_wait *w = p;
    if (any_alive(w->pids) && g_get_monotonic_time() < w->deadline)
        return G_SOURCE_CONTINUE;
    if (any_alive(w->pids) && !w->killed) {
        /* Our own children that outlived their connection. */
        cr_warn("web", "engine processes still running after the view closed: killing them");
        for (guint i = 0; i < w->pids->len; i++) {
            pid_t pid = g_array_index(w->pids, pid_t, i);
            if (cr_web_pid_alive(pid))
                kill(pid, SIGKILL);
        }
        w->killed = true;
        w->deadline = g_get_monotonic_time() + G_USEC_PER_SEC;
        return G_SOURCE_CONTINUE;
    }
    g_array_unref(w->pids);
    cr_web_thread_done(w->sync);
    g_free(w);
    return G_SOURCE_REMOVE;
}

static void destroy_on_thread(struct cr_web_sync *sync, void *data)
{
    struct cr_web_view *v = data;
    struct destroy_wait *w = g_new0(struct destroy_wait, 1);
    w->sync = sync;
    if (v->wk)
        attribute_pids(v);
    g_ptr_array_remove(web_views, v);
    /* The last view takes every engine process with it. */
    w->pids = web_views->len == 0 ? cr_web_engine_pids() : g_array_ref(v->pids);
    if (v->frame_timer) {
        g_source_destroy(v->frame_timer);
        g_clear_pointer(&v->frame_timer, g_source_unref);
    }
    if (v->state_idle) {
        g_source_destroy(v->state_idle);
        g_clear_pointer(&v->state_idle, g_source_unref);
    }
    if (v->logout_timer) {
        g_source_destroy(v->logout_timer);
        g_clear_pointer(&v->logout_timer, g_source_unref);
    }
    for (guint i = 0; i < v->cookie_ops->len; i++)
        ((struct cookie_op *)g_ptr_array_index(v->cookie_ops, i))->v = NULL;
    g_ptr_array_unref(v->cookie_ops);
    if (v->menu) {
        g_signal_handlers_disconnect_by_data(v->menu, v);
        g_clear_object(&v->menu);
    }
    if (v->wk) {
        g_signal_handlers_disconnect_by_data(webkit_web_view_get_back_forward_list(v->wk), v);
        g_signal_handlers_disconnect_by_data(v->wk, v);
        g_clear_object(&v->wk); /* destroys the backend and the exportable */
    }
    if (v->ctx) {
        g_signal_handlers_disconnect_by_data(v->ctx, v);
        g_clear_object(&v->ctx);
    }
    w->deadline = g_get_monotonic_time() + EXIT_WAIT_US;
    GSource *s = g_timeout_source_new(20);
    g_source_set_callback(s, destroy_poll, w, NULL);
    g_source_attach(s, cr_web_thread_context());
    g_source_unref(s);
}

/* ---- UI thread ---- */

struct cr_web_view *cr_web_view_new(const struct cr_web_view_options *opts)
{
    if (!opts->slot || opts->width <= 0 || opts->height <= 0) {
        cr_warn("web", "a web view needs a frame slot and a size");
        return NULL;
    }
    if (!cr_web_thread_ensure())
        return NULL;
    if (!live_views)
        live_views = g_hash_table_new(g_int64_hash, g_int64_equal);
    struct cr_web_view *v = cr_xcalloc(1, sizeof(*v));
    v->id = next_id++;
    v->cbs = opts->cbs;
    v->userdata = opts->userdata;
    v->has_choice_cb = opts->cbs && opts->cbs->choice;
    v->title = g_strdup("");
    v->state.title = v->title;
    v->state.loading = true;
    v->slot = opts->slot;
    v->home = g_strdup(opts->url);
    v->private_dir = g_strdup(opts->private_dir);
    v->width = opts->width;
    v->height = opts->height;
    v->pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
    v->n_cookies = opts->n_cookies;
    v->cookies = v->n_cookies ? cr_xcalloc(v->n_cookies, sizeof(*v->cookies)) : NULL;
    for (size_t i = 0; i < v->n_cookies; i++) {
        const struct cr_web_cookie *c = &opts->cookies[i];
        v->cookies[i] = (struct cr_web_cookie){
            .name = g_strdup(c->name),
            .value = g_strdup(c->value),
            .domain = g_strdup(c->domain),
            .path = g_strdup(c->path ? c->path : "/"),
            .secure = c->secure,
            .http_only = c->http_only,
        };
    }
    cr_web_thread_call_sync(create_on_thread, v);
    g_hash_table_insert(live_views, &v->id, v);
    g_autofree char *safe = cr_web_loggable_url(v->home);
    cr_info("web", "view %" G_GUINT64_FORMAT " opened on %s (%s)", v->id, safe,
            v->private_dir ? "private directory" : "ephemeral");
    return v;
}

void cr_web_view_destroy(struct cr_web_view *v)
{
    if (!v)
        return;
    g_hash_table_remove(live_views, &v->id);
    cr_web_thread_call_sync(destroy_on_thread, v);
    if (v->logout_done) {
        void (*done)(void *) = v->logout_done;
        v->logout_done = NULL;
        done(v->logout_ud);
    }
    for (size_t i = 0; i < v->n_cookies; i++) {
        g_free((char *)v->cookies[i].name);
        /* The value may be a session secret. */
        if (v->cookies[i].value)
            memset((char *)v->cookies[i].value, 0, strlen(v->cookies[i].value));
        g_free((char *)v->cookies[i].value);
        g_free((char *)v->cookies[i].domain);
        g_free((char *)v->cookies[i].path);
    }
    g_free(v->cookies);
    g_array_unref(v->pids);
    g_free(v->first_url);
    g_free(v->home);
    g_free(v->private_dir);
    g_free(v->title);
    cr_info("web", "view %" G_GUINT64_FORMAT " closed", v->id);
    g_free(v);
}

const struct cr_web_state *cr_web_view_state(const struct cr_web_view *v)
{
    return &v->state;
}

void cr_web_handle_sdl_event(SDL_Event *ev)
{
    enum cr_event_type type;
    void *payload;
    if (!cr_event_decode(ev, &type, &payload))
        return;
    if (type == CR_EVENT_WEB)
        cr_web_handle_event(payload);
    else
        cr_event_free_payload(ev);
}

void cr_web_handle_event(void *payload)
{
    struct msg *m = payload;
    struct cr_web_view *v = live_views ? g_hash_table_lookup(live_views, &m->view_id) : NULL;
    if (v && m->kind == MSG_STATE) {
        g_free(v->title);
        v->title = m->title;
        m->title = NULL;
        v->state = m->state;
        v->state.title = v->title;
        if (v->cbs && v->cbs->state_changed)
            v->cbs->state_changed(v->userdata, &v->state);
    } else if (v && m->kind == MSG_CHOICE && v->cbs && v->cbs->choice) {
        m->choice.labels = (const char *const *)m->labels;
        m->choice.enabled = m->enabled;
        v->cbs->choice(v->userdata, &m->choice);
    } else if (v && m->kind == MSG_CHOICE_CLOSED && v->cbs && v->cbs->choice) {
        v->cbs->choice(v->userdata, NULL);
    } else if (v && m->kind == MSG_LOGOUT_DONE && v->logout_done) {
        void (*done)(void *) = v->logout_done;
        v->logout_done = NULL;
        done(v->logout_ud);
    }
    msg_free(m);
}

/* Commands, run in order on the craie-web thread. */
enum op {
    OP_POINTER,
    OP_MOTION,
    OP_SCROLL,
    OP_TOUCH,
    OP_KEY,
    OP_TEXT,
    OP_ZOOM,
    OP_BACK,
    OP_FORWARD,
    OP_RELOAD,
    OP_HOME,
    OP_STOP,
    OP_RESIZE,
    OP_LOAD,
    OP_LOGOUT,
    OP_VISIBLE,
    OP_CHOOSE,
};

struct cmd {
    struct cr_web_view *view;
    enum op op;
    int x, y, a;
    bool pressed;
    double dx, dy;
    uint32_t keysym;
    unsigned mods;
    char *str;
};

static void cmd_free(gpointer p)
{
    struct cmd *c = p;
    g_free(c->str);
    g_free(c);
}

static uint32_t wpe_mods(unsigned mods)
{
    uint32_t m = 0;
    if (mods & CR_WEB_MOD_SHIFT)
        m |= wpe_input_keyboard_modifier_shift;
    if (mods & CR_WEB_MOD_CTRL)
        m |= wpe_input_keyboard_modifier_control;
    if (mods & CR_WEB_MOD_ALT)
        m |= wpe_input_keyboard_modifier_alt;
    if (mods & CR_WEB_MOD_META)
        m |= wpe_input_keyboard_modifier_meta;
    return m;
}

static void send_key(struct cr_web_view *v, uint32_t keysym, bool pressed, uint32_t mods)
{
    struct wpe_input_keyboard_event ev = {
        .time = now_ms(), .key_code = keysym, .pressed = pressed, .modifiers = mods};
    wpe_view_backend_dispatch_keyboard_event(v->backend, &ev);
}

static void do_touch(struct cr_web_view *v, int id, int phase, int x, int y)
{
    static const enum wpe_input_touch_event_type types[] = {
        [CR_WEB_TOUCH_DOWN] = wpe_input_touch_event_type_down,
        [CR_WEB_TOUCH_MOTION] = wpe_input_touch_event_type_motion,
        [CR_WEB_TOUCH_UP] = wpe_input_touch_event_type_up,
    };
    int slot = -1;
    for (int i = 0; i < 10 && slot < 0; i++)
        if (v->touch[i].type != wpe_input_touch_event_type_null && v->touch[i].id == id)
            slot = i;
    for (int i = 0; i < 10 && slot < 0 && phase == CR_WEB_TOUCH_DOWN; i++)
        if (v->touch[i].type == wpe_input_touch_event_type_null)
            slot = i;
    if (slot < 0)
        return;
    uint32_t t = now_ms();
    v->touch[slot] = (struct wpe_input_touch_event_raw){types[phase], t, id, x, y};
    struct wpe_input_touch_event ev = {
        .touchpoints = v->touch,
        .touchpoints_length = 10,
        .type = types[phase],
        .id = id,
        .time = t,
    };
    wpe_view_backend_dispatch_touch_event(v->backend, &ev);
    if (phase == CR_WEB_TOUCH_UP)
        v->touch[slot].type = wpe_input_touch_event_type_null;
}

static gboolean logout_timeout(gpointer p)
{
    struct cr_web_view *v = p;
    cr_warn("web", "sign-out page did not finish loading in time");
    g_source_unref(v->logout_timer);
    v->logout_timer = NULL;
    post_logout_done(v);
    return G_SOURCE_REMOVE;
}

static gboolean cmd_run(gpointer p)
{
    struct cmd *c = p;
    struct cr_web_view *v = c->view;
    if (!v->wk)
        return G_SOURCE_REMOVE;
    switch (c->op) {
    case OP_POINTER: {
        uint32_t mask = wpe_input_pointer_modifier_button1 << (c->a - 1);
        if (c->pressed)
            v->buttons |= mask;
        else
            v->buttons &= ~mask;
        struct wpe_input_pointer_event ev = {
            wpe_input_pointer_event_type_motion, now_ms(), c->x, c->y, 0, 0, v->buttons};
        wpe_view_backend_dispatch_pointer_event(v->backend, &ev);
        ev.type = wpe_input_pointer_event_type_button;
        ev.button = (uint32_t)c->a;
        ev.state = c->pressed ? 1 : 0;
        wpe_view_backend_dispatch_pointer_event(v->backend, &ev);
        break;
    }
    case OP_MOTION: {
        struct wpe_input_pointer_event ev = {
            wpe_input_pointer_event_type_motion, now_ms(), c->x, c->y, 0, 0, v->buttons};
        wpe_view_backend_dispatch_pointer_event(v->backend, &ev);
        break;
    }
    case OP_SCROLL: {
        struct wpe_input_axis_2d_event ev = {
            .base = {.type = wpe_input_axis_event_type_mask_2d |
                             wpe_input_axis_event_type_motion_smooth,
                     .time = now_ms(),
                     .x = c->x,
                     .y = c->y},
            .x_axis = c->dx,
            .y_axis = c->dy,
        };
        wpe_view_backend_dispatch_axis_event(v->backend, &ev.base);
        break;
    }
    case OP_TOUCH:
        do_touch(v, c->a, (int)c->keysym, c->x, c->y);
        break;
    case OP_KEY:
        send_key(v, c->keysym, c->pressed, wpe_mods(c->mods));
        break;
    case OP_TEXT:
        for (const char *s = c->str; *s; s = g_utf8_next_char(s)) {
            gunichar uc = g_utf8_get_char(s);
            uint32_t sym = uc == '\n'   ? WPE_KEY_Return
                           : uc == '\b' ? WPE_KEY_BackSpace
                           : uc == '\t' ? WPE_KEY_Tab
                                        : wpe_unicode_to_key_code(uc);
            send_key(v, sym, true, 0);
            send_key(v, sym, false, 0);
        }
        break;
    case OP_ZOOM: {
        double z = webkit_web_view_get_zoom_level(v->wk) * c->dx;
        webkit_web_view_set_zoom_level(v->wk, CLAMP(z, ZOOM_MIN, ZOOM_MAX));
        break;
    }
    case OP_BACK:
        webkit_web_view_go_back(v->wk);
        break;
    case OP_FORWARD:
        webkit_web_view_go_forward(v->wk);
        break;
    case OP_RELOAD:
        webkit_web_view_reload(v->wk);
        break;
    case OP_HOME:
        if (v->home)
            webkit_web_view_load_uri(v->wk, v->home);
        break;
    case OP_STOP:
        webkit_web_view_stop_loading(v->wk);
        break;
    case OP_RESIZE:
        v->width = c->x;
        v->height = c->y;
        wpe_view_backend_dispatch_set_size(v->backend, (uint32_t)c->x, (uint32_t)c->y);
        break;
    case OP_LOAD:
        webkit_web_view_load_uri(v->wk, c->str);
        break;
    case OP_CHOOSE:
        if (v->menu) {
            WebKitOptionMenu *menu = g_object_ref(v->menu);
            if (c->a >= 0 && (guint)c->a < webkit_option_menu_get_n_items(menu))
                webkit_option_menu_activate_item(menu, (guint)c->a);
            webkit_option_menu_close(menu); /* "close" clears v->menu */
            g_object_unref(menu);
        }
        break;
    case OP_VISIBLE: {
        /* Hidden: WebKit stops painting and throttles the page's timers. */
        uint32_t states = wpe_view_activity_state_visible | wpe_view_activity_state_in_window;
        if (c->pressed)
            wpe_view_backend_add_activity_state(v->backend, states);
        else
            wpe_view_backend_remove_activity_state(v->backend, states);
        break;
    }
    case OP_LOGOUT:
        v->logout_active = true;
        v->logout_started = false;
        if (v->logout_timer)
            g_source_destroy(v->logout_timer), g_source_unref(v->logout_timer);
        v->logout_timer = g_timeout_source_new(c->keysym);
        g_source_set_callback(v->logout_timer, logout_timeout, v, NULL);
        g_source_attach(v->logout_timer, cr_web_thread_context());
        webkit_web_view_load_uri(v->wk, c->str);
        break;
    }
    return G_SOURCE_REMOVE;
}

static struct cmd *cmd_new(struct cr_web_view *v, enum op op)
{
    struct cmd *c = g_new0(struct cmd, 1);
    c->view = v;
    c->op = op;
    return c;
}

static void cmd_post(struct cmd *c)
{
    cr_web_thread_post(cmd_run, c, cmd_free);
}

void cr_web_view_pointer(struct cr_web_view *v, int x, int y, int button, bool pressed)
{
    if (button < 1 || button > 5)
        return;
    struct cmd *c = cmd_new(v, OP_POINTER);
    c->x = x;
    c->y = y;
    c->a = button;
    c->pressed = pressed;
    cmd_post(c);
}

void cr_web_view_motion(struct cr_web_view *v, int x, int y)
{
    struct cmd *c = cmd_new(v, OP_MOTION);
    c->x = x;
    c->y = y;
    cmd_post(c);
}

void cr_web_view_scroll(struct cr_web_view *v, int x, int y, double dx, double dy)
{
    struct cmd *c = cmd_new(v, OP_SCROLL);
    c->x = x;
    c->y = y;
    c->dx = dx;
    c->dy = dy;
    cmd_post(c);
}

void cr_web_view_touch(struct cr_web_view *v, int id, enum cr_web_touch_phase phase, int x, int y)
{
    struct cmd *c = cmd_new(v, OP_TOUCH);
    c->a = id;
    c->keysym = (uint32_t)phase;
    c->x = x;
    c->y = y;
    cmd_post(c);
}

void cr_web_view_key(struct cr_web_view *v, uint32_t keysym, bool pressed, unsigned modifiers)
{
    if (keysym == 0)
        return;
    struct cmd *c = cmd_new(v, OP_KEY);
    c->keysym = keysym;
    c->pressed = pressed;
    c->mods = modifiers;
    cmd_post(c);
}

void cr_web_view_text(struct cr_web_view *v, const char *utf8)
{
    if (!utf8 || !*utf8 || !g_utf8_validate(utf8, -1, NULL))
        return;
    struct cmd *c = cmd_new(v, OP_TEXT);
    c->str = g_strdup(utf8);
    cmd_post(c);
}

void cr_web_view_zoom(struct cr_web_view *v, double factor)
{
    if (!(factor > 0))
        return;
    struct cmd *c = cmd_new(v, OP_ZOOM);
    c->dx = factor;
    cmd_post(c);
}

static void simple(struct cr_web_view *v, enum op op)
{
    cmd_post(cmd_new(v, op));
}

void cr_web_view_back(struct cr_web_view *v)
{
    simple(v, OP_BACK);
}

void cr_web_view_forward(struct cr_web_view *v)
{
    simple(v, OP_FORWARD);
}

void cr_web_view_reload(struct cr_web_view *v)
{
    simple(v, OP_RELOAD);
}

void cr_web_view_home(struct cr_web_view *v)
{
    simple(v, OP_HOME);
}

void cr_web_view_stop(struct cr_web_view *v)
{
    simple(v, OP_STOP);
}

void cr_web_view_resize(struct cr_web_view *v, int width, int height)
{
    if (width <= 0 || height <= 0)
        return;
    struct cmd *c = cmd_new(v, OP_RESIZE);
    c->x = width;
    c->y = height;
    cmd_post(c);
}

void cr_web_view_load(struct cr_web_view *v, const char *url)
{
    if (!url || !*url)
        return;
    struct cmd *c = cmd_new(v, OP_LOAD);
    c->str = g_strdup(url);
    cmd_post(c);
}

void cr_web_view_choose(struct cr_web_view *v, int index)
{
    struct cmd *c = cmd_new(v, OP_CHOOSE);
    c->a = index;
    cmd_post(c);
}

void cr_web_view_set_visible(struct cr_web_view *v, bool visible)
{
    struct cmd *c = cmd_new(v, OP_VISIBLE);
    c->pressed = visible;
    cmd_post(c);
}

void cr_web_view_logout(struct cr_web_view *v, const char *logout_url, unsigned timeout_ms,
                        void (*done)(void *ud), void *ud)
{
    if (v->logout_done) {
        /* A newer sign-out replaces the one in progress. */
        void (*prev)(void *) = v->logout_done;
        v->logout_done = NULL;
        prev(v->logout_ud);
    }
    if (!logout_url || !*logout_url) {
        if (done)
            done(ud);
        return;
    }
    v->logout_done = done;
    v->logout_ud = ud;
    struct cmd *c = cmd_new(v, OP_LOGOUT);
    c->str = g_strdup(logout_url);
    c->keysym = timeout_ms ? timeout_ms : 1;
    cmd_post(c);
}
