#include "tests/web/web_test.h"

#include <SDL.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#include "display/events.h"
#include "display/png_save.h"

/* ---- the site ---- */

static GMutex site_lock;
static GHashTable *hits; /* guarded by site_lock: path -> count */
static char *base_url;
static char *tls_url;             /* the same site over TLS, self-signed */
static GTlsCertificate *tls_cert; /* made at start (openssl), or NULL */

static const char page_head[] = "<!DOCTYPE html><html><head><meta charset='utf-8'>"
                                "<style>html,body{margin:0;height:100%}"
                                "button{position:absolute;left:0;top:0;width:320px;"
                                "height:240px;font-size:40px}</style>";

static char *page(const char *title, const char *bg, const char *body)
{
    return g_strdup_printf("%s<title>%s</title></head><body style='background:%s'>%s</body></html>",
                           page_head, title, bg, body);
}

/* The site's plain pages: path, title, background, body. */
static const struct {
    const char *path, *title, *bg, *body;
} pages[] = {
    {"/red", "red", "#ff0000", ""},
    {"/green", "green", "#00ff00", ""},
    {"/button", "button", "#ff0000",
     "<button onclick=\"document.body.style.background='#0000ff';"
     "document.title='clicked'\">Tap</button>"},
    {"/form", "form", "#ffffff",
     "<input id='f' autofocus style='position:absolute;left:0;top:0;width:300px;"
     "font-size:30px' oninput=\"document.title='typed:'+this.value;"
     "if(this.value=='Craie!')document.body.style.background='#00ff00'\">"
     "<script>document.getElementById('f').focus()</script>"},
    {"/popup", "popup", "#ff0000",
     "<button onclick=\"window.open('/green','_blank')\">Open</button>"},
    {"/blank", "blank", "#ff0000",
     "<a href='/green' target='_blank' style='position:absolute;left:0;top:0;"
     "width:320px;height:240px;display:block;background:#ffff00'>link</a>"},
    {"/download", "download", "#ff0000",
     "<a href='/file.bin' style='position:absolute;left:0;top:0;"
     "width:320px;height:240px;display:block;background:#ffff00'>get</a>"},
    {"/storage", "stored", "#00ff00",
     "<script>document.cookie='craie_probe=1; max-age=86400';"
     "localStorage.setItem('craie_probe','1');"
     "indexedDB.open('craie_probe',1)</script>"},
    {"/logout", "signed out", "#ffffff", ""},
    {"/long", "top", "linear-gradient(#ff0000 0,#ff0000 50%,#0000ff 50%,#0000ff 100%)",
     "<div style='height:4000px'></div><script>onscroll=function(){"
     "document.title=scrollY>100?'scrolled':'top'}</script>"},
    {"/touch", "touch", "#ffffff",
     "<script>var seen=[];function on(n){addEventListener(n,function(){"
     "seen.push(n.substring(5));if(n=='touchend')document.title=seen.join(' ')})}"
     "on('touchstart');on('touchmove');on('touchend')</script>"},
    {"/dialogs", "dialogs", "#ffffff",
     "<button onclick=\"alert('a');var c=confirm('c');var p=prompt('p','d');"
     "window.close();document.title='after '+c+' '+p\">Go</button>"},
    {"/animated", "animated", "#ffffff",
     "<p id='n' style='font-size:80px'>0</p><script>var i=0;function f(){"
     "document.getElementById('n').textContent=++i;requestAnimationFrame(f)}"
     "f()</script>"},
    {"/select", "select", "#ffffff",
     "<select id='s' style='position:absolute;left:0;top:0;width:320px;"
     "height:60px;font-size:30px' onchange=\"document.title='picked '+this.value\">"
     "<option value='a'>6e A</option><optgroup label='Cycle 4'>"
     "<option value='b'>5e B</option><option value='c' disabled>4e C</option>"
     "</optgroup></select>"},
    {"/zoom", "zoom", "#ffffff",
     "<div style='position:absolute;left:0;top:0;width:100px;height:100px;"
     "background:#0000ff'></div>"},
};

static char *route(const char *path, const char *cookie, const char **ctype,
                   const char **disposition, int *status)
{
    *ctype = "text/html; charset=utf-8";
    *disposition = NULL;
    *status = 200;
    for (size_t i = 0; i < G_N_ELEMENTS(pages); i++)
        if (strcmp(path, pages[i].path) == 0)
            return page(pages[i].title, pages[i].bg, pages[i].body);
    if (strcmp(path, "/file.bin") == 0) {
        *ctype = "application/octet-stream";
        *disposition = "attachment; filename=\"craie-refused-download.bin\"";
        return g_strdup("craie download payload that must never reach the disk\n");
    }
    if (strcmp(path, "/whoami") == 0) {
        /* The session cookie as the server received it on the first request. */
        g_autofree char *esc = g_markup_escape_text(cookie ? cookie : "nobody", -1);
        return page(esc, "#00ff00", "");
    }
    *status = 404;
    return page("not found", "#808080", "");
}

static gboolean answer_slow(gpointer data)
{
    SoupServerMessage *msg = data;
    char *body = page("slow", "#ff0000", "");
    soup_server_message_set_status(msg, 200, NULL);
    soup_server_message_set_response(msg, "text/html", SOUP_MEMORY_TAKE, body, strlen(body));
    soup_server_message_unpause(msg);
    return G_SOURCE_REMOVE;
}

static void handle(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                   gpointer data)
{
    g_mutex_lock(&site_lock);
    int n = GPOINTER_TO_INT(g_hash_table_lookup(hits, path));
    g_hash_table_insert(hits, g_strdup(path), GINT_TO_POINTER(n + 1));
    g_mutex_unlock(&site_lock);
    const char *ctype, *disposition;
    int status;
    if (strcmp(path, "/slow") == 0) {
        /* Answered 3 s later: a page still loading. */
        soup_server_message_pause(msg);
        GSource *src = g_timeout_source_new(3000);
        g_source_set_callback(src, answer_slow, g_object_ref(msg), g_object_unref);
        g_source_attach(src, g_main_context_get_thread_default());
        g_source_unref(src);
        return;
    }
    SoupMessageHeaders *req = soup_server_message_get_request_headers(msg);
    g_autoptr(GHashTable) cookies = NULL;
    const char *cookie_header = soup_message_headers_get_one(req, "Cookie");
    const char *session = NULL;
    if (cookie_header) {
        cookies = soup_header_parse_semi_param_list(cookie_header);
        session = g_hash_table_lookup(cookies, "craie_session");
    }
    char *body = route(path, session, &ctype, &disposition, &status);
    soup_server_message_set_status(msg, status, NULL);
    if (disposition)
        soup_message_headers_append(soup_server_message_get_response_headers(msg),
                                    "Content-Disposition", disposition);
    soup_server_message_set_response(msg, ctype, SOUP_MEMORY_TAKE, body, strlen(body));
}

static GMutex start_lock;
static GCond start_cond;

static gpointer site_thread(gpointer data)
{
    GMainContext *ctx = g_main_context_new();
    g_main_context_push_thread_default(ctx);
    SoupServer *server = soup_server_new(NULL, NULL);
    soup_server_add_handler(server, NULL, handle, NULL, NULL);
    GError *err = NULL;
    if (!soup_server_listen_local(server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &err))
        g_error("site: %s", err->message);
    GSList *uris = soup_server_get_uris(server);
    GUri *u = uris->data;
    char *tls = NULL;
    if (tls_cert) {
        SoupServer *secure = soup_server_new("tls-certificate", tls_cert, NULL);
        soup_server_add_handler(secure, NULL, handle, NULL, NULL);
        if (soup_server_listen_local(
                secure, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, NULL)) {
            GSList *su = soup_server_get_uris(secure);
            tls = g_strdup_printf("https://127.0.0.1:%d", g_uri_get_port(su->data));
            g_slist_free_full(su, (GDestroyNotify)g_uri_unref);
        }
    }
    g_mutex_lock(&start_lock);
    tls_url = tls;
    base_url = g_strdup_printf("http://127.0.0.1:%d", g_uri_get_port(u));
    g_cond_signal(&start_cond);
    g_mutex_unlock(&start_lock);
    g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
    for (;;)
        g_main_context_iteration(ctx, TRUE);
    return NULL;
}

/* A self-signed certificate for 127.0.0.1 (no CA trusts it). */
static GTlsCertificate *make_cert(void)
{
    g_autofree char *dir = g_dir_make_tmp("craie-web-tls-XXXXXX", NULL);
    g_autofree char *key = g_build_filename(dir, "key.pem", NULL);
    g_autofree char *crt = g_build_filename(dir, "cert.pem", NULL);
    const char *argv[] = {"openssl", "req",   "-x509",         "-newkey", "rsa:2048",
                          "-nodes",  "-subj", "/CN=127.0.0.1", "-days",   "1",
                          "-keyout", key,     "-out",          crt,       NULL};
    int status = 0;
    GTlsCertificate *cert = NULL;
    if (g_spawn_sync(NULL, (char **)argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) &&
        g_spawn_check_wait_status(status, NULL))
        cert = g_tls_certificate_new_from_files(crt, key, NULL);
    g_unlink(key);
    g_unlink(crt);
    g_rmdir(dir);
    return cert;
}

const char *cr_test_site_tls(void)
{
    cr_test_site_start();
    return tls_url;
}

const char *cr_test_site_start(void)
{
    g_mutex_lock(&start_lock);
    if (!base_url) {
        hits = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        tls_cert = make_cert();
        g_thread_unref(g_thread_new("test-site", site_thread, NULL));
        while (!base_url)
            g_cond_wait(&start_cond, &start_lock);
    }
    g_mutex_unlock(&start_lock);
    return base_url;
}

int cr_test_site_hits(const char *path)
{
    g_mutex_lock(&site_lock);
    int n = GPOINTER_TO_INT(g_hash_table_lookup(hits, path));
    g_mutex_unlock(&site_lock);
    return n;
}

/* ---- the view ---- */

static void on_new_frame(void *userdata)
{
    /* Polled by cr_test_web_wait(). */
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_new_frame};

static void on_state(void *userdata, const struct cr_web_state *state)
{
    struct cr_test_web *t = userdata;
    t->states++;
}

static void on_choice(void *userdata, const struct cr_web_choice *c)
{
    struct cr_test_web *t = userdata;
    g_free(t->choice);
    t->choice = NULL;
    if (!c)
        return;
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < c->n; i++)
        g_string_append_printf(s, "%s%s%s", i ? "|" : "", c->enabled[i] ? "" : "-", c->labels[i]);
    t->choice = g_string_free(s, FALSE);
    t->choice_selected = c->selected;
}

static const struct cr_web_view_callbacks view_cbs = {.state_changed = on_state,
                                                      .choice = on_choice};

void cr_test_web_init(void)
{
    g_assert_cmpint(SDL_Init(SDL_INIT_EVENTS), ==, 0);
    g_assert_true(cr_events_init());
    g_assert_true(cr_web_init());
}

bool cr_test_web_open_with(struct cr_test_web *t, struct cr_web_view_options *o)
{
    memset(t, 0, sizeof(*t));
    cr_frame_slot_init(&t->slot, &slot_cbs, t);
    o->slot = &t->slot;
    o->cbs = &view_cbs;
    o->userdata = t;
    t->view = cr_web_view_new(o);
    return t->view != NULL;
}

bool cr_test_web_open(struct cr_test_web *t, const char *url, int w, int h, const char *private_dir)
{
    struct cr_web_view_options o = {
        .url = url,
        .width = w,
        .height = h,
        .private_dir = private_dir,
    };
    return cr_test_web_open_with(t, &o);
}

void cr_test_web_close(struct cr_test_web *t)
{
    cr_web_view_destroy(t->view);
    t->view = NULL;
    /* Drop what is still queued for it. */
    SDL_Event ev;
    while (SDL_PollEvent(&ev))
        cr_web_handle_sdl_event(&ev);
    if (t->frame)
        cr_frame_unref(t->frame);
    t->frame = NULL;
    g_free(t->choice);
    t->choice = NULL;
    cr_frame_slot_destroy(&t->slot);
}

bool cr_test_web_wait(struct cr_test_web *t, bool (*pred)(struct cr_test_web *t, const void *data),
                      const void *data, int timeout_ms)
{
    gint64 end = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    for (;;) {
        struct cr_frame *f = cr_frame_slot_take(&t->slot);
        if (f) {
            if (t->frame)
                cr_frame_unref(t->frame);
            t->frame = f;
            t->frames++;
        }
        if (pred && pred(t, data))
            return true;
        if (g_get_monotonic_time() >= end)
            return pred == NULL;
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, 10))
            cr_web_handle_sdl_event(&ev);
    }
}

unsigned cr_test_web_pixel(struct cr_test_web *t, int x, int y)
{
    struct cr_frame *f = t->frame;
    if (!f || x < 0 || y < 0 || x >= f->width || y >= f->height)
        return 0xffffffffu;
    const uint8_t *p = f->planes[0] + (size_t)y * f->strides[0] + (size_t)x * 4;
    return (unsigned)p[2] << 16 | (unsigned)p[1] << 8 | p[0];
}

static bool title_is(struct cr_test_web *t, const void *data)
{
    return g_strcmp0(cr_web_view_state(t->view)->title, data) == 0;
}

bool cr_test_web_wait_title(struct cr_test_web *t, const char *title, int timeout_ms)
{
    bool ok = cr_test_web_wait(t, title_is, title, timeout_ms);
    if (!ok)
        g_test_message("title is '%s', wanted '%s'", cr_web_view_state(t->view)->title, title);
    return ok;
}

struct color_probe {
    int x, y;
    unsigned rgb;
};

static bool near(unsigned a, unsigned b)
{
    for (int s = 0; s < 24; s += 8) {
        int d = (int)((a >> s) & 0xff) - (int)((b >> s) & 0xff);
        if (d < -8 || d > 8)
            return false;
    }
    return true;
}

static bool color_is(struct cr_test_web *t, const void *data)
{
    const struct color_probe *p = data;
    return near(cr_test_web_pixel(t, p->x, p->y), p->rgb);
}

bool cr_test_web_wait_color(struct cr_test_web *t, int x, int y, unsigned rgb, int timeout_ms)
{
    struct color_probe p = {x, y, rgb};
    bool ok = cr_test_web_wait(t, color_is, &p, timeout_ms);
    if (!ok)
        g_test_message("pixel (%d,%d) is %06x, wanted %06x", x, y, cr_test_web_pixel(t, x, y), rgb);
    return ok;
}

void cr_test_web_save(struct cr_test_web *t, const char *name)
{
    const char *root = g_getenv("CRAIE_BUILD_ROOT");
    if (!root || !t->frame)
        return;
    g_autofree char *dir = g_build_filename(root, "test-artifacts", "web", NULL);
    g_mkdir_with_parents(dir, 0755);
    g_autofree char *file = g_strdup_printf("%s/%s.png", dir, name);
    uint8_t *rgba = cr_frame_to_rgba(t->frame, false, false);
    char *err = NULL;
    if (rgba && !cr_png_write_rgba(file, rgba, t->frame->width, t->frame->height, &err))
        g_test_message("cannot save %s: %s", file, err);
    g_free(err);
    free(rgba);
}

void cr_test_web_tap(struct cr_test_web *t, int x, int y)
{
    cr_web_view_motion(t->view, x, y);
    cr_web_view_pointer(t->view, x, y, 1, true);
    cr_web_view_pointer(t->view, x, y, 1, false);
}
