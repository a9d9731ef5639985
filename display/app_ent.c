/* The ENT in the application (see app_ent.h). The client lives on the io
 * thread; every change there posts an owned snapshot to the UI thread
 * (CR_EVENT_ENT_VIEW), which keeps the latest and draws it. What the UI
 * asks for goes back through cr_io_invoke. */
#include "display/app_ent.h"

#include <SDL_image.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/app_board_kinds.h"
#include "display/events.h"
#include "ent-client/memscan.h"

#define SHUTDOWN_WAIT_US (5 * G_USEC_PER_SEC)
#define ACTIVITY_EVERY_US G_USEC_PER_SEC
#define MAX_ICONS 64 /* pictures asked for per session */

/* --- io side ------------------------------------------------------------ */

/* io thread */
static void on_changed(struct cr_ent *ent, void *userdata)
{
    cr_event_post(CR_EVENT_ENT_VIEW, cr_ent_snapshot(ent), (void (*)(void *))cr_ent_view_free);
}

static const struct cr_ent_callbacks ent_cbs = {.changed = on_changed};

/* Tests only: CRAIE_TEST_ENT_IDLE_SECONDS=IDLE[,WARNING] replaces
 * ent.idle_minutes (and the 60 s countdown) so that an inactivity sign-out
 * can be tested in seconds. */
static void test_idle_override(struct cr_ent_settings *s)
{
    const char *env = g_getenv("CRAIE_TEST_ENT_IDLE_SECONDS");
    if (!env || !*env)
        return;
    char *end;
    long idle = strtol(env, &end, 10), warn = s->idle_warning_seconds;
    if (*end == ',')
        warn = strtol(end + 1, &end, 10);
    if (*end || idle < 0 || idle > 86400 || warn < 0 || warn > idle) {
        cr_warn("ent", "CRAIE_TEST_ENT_IDLE_SECONDS=%s ignored (IDLE[,WARNING] seconds)", env);
        return;
    }
    cr_warn("ent", "test setting: inactivity sign-out after %ld s (countdown %ld s)", idle, warn);
    s->idle_seconds = (int)idle;
    s->idle_warning_seconds = (int)warn;
}

/* A view for the UI when the client could not be made (settings logged). */
static void post_unusable(void)
{
    struct cr_ent_view *v = cr_xcalloc(1, sizeof(*v));
    v->state = CR_ENT_SIGNED_OUT;
    v->message = g_strdup(_("The ENT settings of this board cannot work. Ask your technician "
                            "(craie's log says why)."));
    cr_event_post(CR_EVENT_ENT_VIEW, v, (void (*)(void *))cr_ent_view_free);
}

/* io thread */
static gboolean io_ent_start(gpointer data)
{
    struct cr_app *app = data;
    struct cr_ent_settings s;
    if (!cr_ent_settings_from_config(app->cfg, &s))
        return G_SOURCE_REMOVE;
    test_idle_override(&s);
    app->ent.ent = cr_ent_new(&s, app->io.ctx, &ent_cbs, app);
    if (app->ent.ent)
        on_changed(app->ent.ent, app);
    else
        post_unusable();
    return G_SOURCE_REMOVE;
}

void cr_app_ent_start(struct cr_app *app)
{
    if (app->ent.configured)
        cr_app_io(app, io_ent_start);
}

static gboolean wake(gpointer data)
{
    return G_SOURCE_CONTINUE;
}

void cr_app_ent_io_shutdown(struct cr_app *app)
{
    struct cr_ent *ent = app->ent.ent;
    if (!ent)
        return;
    cr_ent_signout(ent, CR_ENT_SIGNOUT_SHUTDOWN);
    /* Tell the ENT (end its session, revoke tokens) for at most 5 s. The
     * secrets are already wiped; the UI no longer takes events. */
    int64_t deadline = g_get_monotonic_time() + SHUTDOWN_WAIT_US;
    GSource *tick = g_timeout_source_new(100);
    g_source_set_callback(tick, wake, NULL, NULL);
    g_source_attach(tick, app->io.ctx);
    while (cr_ent_get_state(ent) != CR_ENT_SIGNED_OUT && g_get_monotonic_time() < deadline)
        g_main_context_iteration(app->io.ctx, TRUE);
    g_source_destroy(tick);
    g_source_unref(tick);
    if (cr_ent_get_state(ent) != CR_ENT_SIGNED_OUT)
        cr_warn("ent", "the ENT did not answer the sign-out in time");
    app->ent.ent = NULL;
    cr_ent_unref(ent);
}

static void icon_free(void *data)
{
    struct cr_app_ent_icon *i = data;
    explicit_bzero(i->data, i->len);
    g_free(i->data);
    g_free(i->url);
    g_free(i);
}

/* io thread */
static void on_icon(struct cr_ent *ent, const char *icon_url, const void *data, size_t len,
                    const char *content_type, void *userdata)
{
    if (!data || len == 0)
        return; /* the tile keeps its drawn icon */
    struct cr_app_ent_icon *i = g_new0(struct cr_app_ent_icon, 1);
    i->url = g_strdup(icon_url);
    i->data = g_memdup2(data, len);
    i->len = len;
    cr_event_post(CR_EVENT_ENT_ICON, i, icon_free);
}

enum ent_op {
    OP_SIGNIN,
    OP_CANCEL,
    OP_SUBMIT,
    OP_SIGNOUT,
    OP_ACTIVITY,
    OP_FOLDER,
    OP_ICON,
};

struct ent_call {
    struct cr_app *app;
    enum ent_op op;
    enum cr_ent_method method;
    char *arg;      /* folder id, user name */
    char *password; /* zeroed when freed */
};

static void ent_call_free(gpointer data)
{
    struct ent_call *c = data;
    g_free(c->arg);
    if (c->password) {
        explicit_bzero(c->password, strlen(c->password));
        g_free(c->password);
    }
    g_free(c);
}

/* io thread */
static gboolean io_ent_call(gpointer data)
{
    struct ent_call *c = data;
    struct cr_ent *ent = c->app->ent.ent;
    if (!ent)
        return G_SOURCE_REMOVE;
    switch (c->op) {
    case OP_SIGNIN:
        cr_ent_signin(ent, c->method);
        break;
    case OP_CANCEL:
        cr_ent_cancel(ent);
        break;
    case OP_SUBMIT:
        cr_ent_submit_password(ent, c->arg, c->password);
        break;
    case OP_SIGNOUT:
        cr_ent_signout(ent, CR_ENT_SIGNOUT_BUTTON);
        break;
    case OP_ACTIVITY:
        cr_ent_activity(ent);
        break;
    case OP_FOLDER:
        cr_ent_open_folder(ent, c->arg);
        break;
    case OP_ICON:
        cr_ent_fetch_icon(ent, c->arg, on_icon, c->app);
        break;
    }
    return G_SOURCE_REMOVE;
}

static void ent_call(struct cr_app *app, enum ent_op op, enum cr_ent_method method, const char *arg,
                     const char *password)
{
    struct ent_call *c = g_new0(struct ent_call, 1);
    c->app = app;
    c->op = op;
    c->method = method;
    c->arg = g_strdup(arg);
    c->password = g_strdup(password);
    cr_io_invoke(&app->io, io_ent_call, c, ent_call_free);
}

/* --- UI side ------------------------------------------------------------ */

void cr_app_ent_init(struct cr_app *app)
{
    struct cr_ent_settings s;
    app->ent.configured = cr_ent_settings_from_config(app->cfg, &s);
    app->ent.memscan_allowed = !g_strcmp0(g_getenv("CRAIE_TEST_MEMSCAN"), "1");
    if (app->ent.memscan_allowed)
        cr_warn("ent", "CRAIE_TEST_MEMSCAN=1: the test-only command \"ent memscan\" is on");
    cr_ent_screen_init(&app->ent.screen, app->ent.configured);
    app->ent.icons_asked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void cr_app_ent_destroy(struct cr_app *app)
{
    cr_ent_screen_destroy(&app->ent.screen);
    g_hash_table_destroy(app->ent.icons_asked);
    cr_ent_view_free(app->ent.view);
    app->ent.view = NULL;
}

static enum cr_ent_state state_of(const struct cr_app *app)
{
    return app->ent.view ? app->ent.view->state : CR_ENT_SIGNED_OUT;
}

static JsonNode *view_json(const struct cr_ent_view *v)
{
    char *json = cr_ent_view_to_json(v);
    JsonNode *node = json_from_string(json, NULL);
    g_free(json);
    return node;
}

/* The tiles' pictures: asked for once each, while signed in. */
static void ask_icons(struct cr_app *app, const struct cr_ent_view *v)
{
    for (size_t i = 0; i < v->n_resources; i++) {
        const char *url = v->resources[i].icon_url;
        if (!url || g_hash_table_size(app->ent.icons_asked) >= MAX_ICONS ||
            g_hash_table_contains(app->ent.icons_asked, url))
            continue;
        g_hash_table_add(app->ent.icons_asked, g_strdup(url));
        ent_call(app, OP_ICON, CR_ENT_METHOD_NONE, url, NULL);
    }
}

void cr_app_ent_on_icon(struct cr_app *app, struct cr_app_ent_icon *icon)
{
    if (state_of(app) != CR_ENT_SIGNED_IN ||
        !g_hash_table_contains(app->ent.icons_asked, icon->url))
        return; /* signed out since */
    SDL_RWops *rw = SDL_RWFromConstMem(icon->data, (int)icon->len);
    SDL_Surface *s = rw ? IMG_Load_RW(rw, 1) : NULL;
    if (!s) {
        cr_debug("ent", "a tile's picture cannot be read: %s", IMG_GetError());
        return;
    }
    cr_ent_screen_set_thumbnail(&app->ent.screen, &app->ui, icon->url, s);
    if (SDL_LockSurface(s) == 0) { /* it may show the teacher's document */
        explicit_bzero(s->pixels, (size_t)s->pitch * (size_t)s->h);
        SDL_UnlockSurface(s);
    }
    SDL_FreeSurface(s);
    app->dirty = true;
}

void cr_app_ent_on_view(struct cr_app *app, struct cr_ent_view *view)
{
    enum cr_ent_state before = state_of(app);
    struct cr_ent_view *old = app->ent.view;
    app->ent.view = view;
    cr_ent_screen_set_view(&app->ent.screen, view);
    cr_ent_view_free(old);
    app->dirty = true;
    if (view->state == CR_ENT_SIGNED_IN)
        ask_icons(app, view);
    if (view->state == before)
        return;
    cr_info("ent", "state: %s", cr_ent_state_name(view->state));
    if (view->state == CR_ENT_SIGNED_OUT || view->state == CR_ENT_SIGNING_OUT) {
        /* the teacher's name, titles, pictures and the code were drawn: drop them */
        cr_ui_flush(&app->ui);
        cr_ent_screen_forget_thumbnails(&app->ent.screen);
        g_hash_table_remove_all(app->ent.icons_asked);
        if (before == CR_ENT_SIGNED_IN)
            cr_app_board_ent_signed_out(app); /* web views end the session, ENT tiles close */
        if (before == CR_ENT_SIGNED_IN && app->current != CR_SCREEN_ENT && view->message)
            cr_toast_show(&app->notice, view->message, cr_monotonic_us(), 8000);
        if (app->notice.visible && app->current == CR_SCREEN_ENT)
            cr_notice_hide(&app->notice); /* it may show a resource */
    }
    cr_app_broadcast(app, "ent-state", view_json(view));
}

void cr_app_ent_touched(struct cr_app *app)
{
    const struct cr_ent_view *v = app->ent.view;
    if (!v || v->state != CR_ENT_SIGNED_IN)
        return;
    int64_t now = cr_monotonic_us();
    /* at most once a second, but at once when the countdown shows */
    if (v->idle_seconds_left <= 0 && now - app->ent.activity_sent_us < ACTIVITY_EVERY_US)
        return;
    app->ent.activity_sent_us = now;
    ent_call(app, OP_ACTIVITY, CR_ENT_METHOD_NONE, NULL, NULL);
}

void cr_app_ent_left(struct cr_app *app)
{
    if (!cr_ent_screen_curtain(&app->ent.screen))
        return;
    cr_ent_screen_clear_form(&app->ent.screen);
    ent_call(app, OP_CANCEL, CR_ENT_METHOD_NONE, NULL, NULL);
}

void cr_app_ent_draw(struct cr_app *app)
{
    cr_ent_screen_draw(&app->ent.screen, &app->ui);
}

void cr_app_ent_draw_over(struct cr_app *app)
{
    /* the ENT screen draws its own countdown; elsewhere a short line */
    const struct cr_ent_view *v = app->ent.view;
    if (app->current == CR_SCREEN_ENT || !v || v->state != CR_ENT_SIGNED_IN ||
        v->idle_seconds_left <= 0)
        return;
    struct cr_ui *ui = &app->ui;
    char *t = g_strdup_printf(_("ENT: signing out in %d s. Touch the board to stay signed in."),
                              v->idle_seconds_left);
    int w = cr_ui_px(ui, 1200), h = cr_ui_px(ui, 90);
    struct cr_rect r = {(ui->screen->width - w) / 2, cr_ui_px(ui, 24), w, h};
    cr_draw_rounded(ui->r, r, cr_ui_px(ui, 20), CR_RGBA(0x020617, 230));
    cr_text_draw(&ui->text, ui->r, t, cr_ui_px(ui, CR_FONT_BODY), true, CR_C_ACCENT, r.x + w / 2,
                 r.y + cr_ui_px(ui, 20), CR_ALIGN_CENTER, w - cr_ui_px(ui, 40));
    g_free(t);
}

const char *cr_app_ent_hit(struct cr_app *app, int x, int y)
{
    return cr_ent_screen_hit(&app->ent.screen, x, y);
}

void cr_app_ent_press(struct cr_app *app, int x, int y)
{
    cr_ent_screen_press(&app->ent.screen, x, y);
}

bool cr_app_ent_key(struct cr_app *app, const SDL_KeyboardEvent *k)
{
    cr_app_ent_touched(app); /* a key is the teacher too */
    if (app->current != CR_SCREEN_ENT || !cr_ent_screen_curtain(&app->ent.screen))
        return false;
    const char *action = NULL;
    switch (k->keysym.sym) {
    case SDLK_BACKSPACE:
        cr_ent_screen_key(&app->ent.screen, CR_ENT_KEY_BACKSPACE);
        break;
    case SDLK_TAB:
        cr_ent_screen_key(&app->ent.screen, CR_ENT_KEY_TAB);
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        action = cr_ent_screen_key(&app->ent.screen, CR_ENT_KEY_ENTER);
        break;
    case SDLK_ESCAPE:
        action = "ent cancel";
        break;
    default:
        return true; /* typed text comes as SDL_TEXTINPUT; nothing else acts */
    }
    app->dirty = true;
    if (action)
        cr_app_action(app, action);
    return true;
}

void cr_app_ent_text(struct cr_app *app, const char *text)
{
    if (app->current != CR_SCREEN_ENT)
        return;
    cr_ent_screen_text(&app->ent.screen, text);
    app->dirty = true;
}

/* --- commands ----------------------------------------------------------- */

static bool parse_method(const char *s, enum cr_ent_method *m)
{
    static const enum cr_ent_method all[] = {CR_ENT_METHOD_DEVICE, CR_ENT_METHOD_CROSS_DEVICE,
                                             CR_ENT_METHOD_PASSWORD};
    *m = CR_ENT_METHOD_NONE;
    if (!s)
        return true;
    for (size_t i = 0; i < CR_ARRAY_SIZE(all); i++)
        if (!strcmp(s, cr_ent_method_name(all[i]))) {
            *m = all[i];
            return true;
        }
    return false;
}

static bool open_resource(struct cr_app *app, const char *arg, JsonNode **data, char **error)
{
    char *end;
    unsigned long i = arg ? strtoul(arg, &end, 10) : 0;
    const struct cr_ent_resource *res =
        arg && !*end ? cr_ent_screen_resource(&app->ent.screen, i) : NULL;
    if (!res || state_of(app) != CR_ENT_SIGNED_IN) {
        *error = g_strdup("no such resource (ent open N: N from get_state's ent.tiles)");
        return false;
    }
    if (res->kind == CR_ENT_RESOURCE_FOLDER && res->id) {
        ent_call(app, OP_FOLDER, CR_ENT_METHOD_NONE, res->id, NULL);
        return true;
    }
    if (!cr_app_board_open_ent(app, res, error)) /* on the board, signed in as the teacher */
        return false;
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "title");
    json_builder_add_string_value(b, res->title);
    json_builder_set_member_name(b, "kind");
    json_builder_add_string_value(b, cr_ent_resource_kind_name(res->kind));
    json_builder_set_member_name(b, "url");
    json_builder_add_string_value(b, res->url);
    json_builder_end_object(b);
    *data = json_builder_get_root(b);
    g_object_unref(b);
    return true;
}

/* Tests only: copies of a byte string (given in hex) in craie's memory. */
static bool memscan(struct cr_app *app, const char *hex, JsonNode **data, char **error)
{
    if (!app->ent.memscan_allowed) {
        *error = g_strdup("ent memscan is for tests only (start craie with CRAIE_TEST_MEMSCAN=1)");
        return false;
    }
    size_t n = hex ? strlen(hex) : 0;
    if (n == 0 || n % 2) {
        *error = g_strdup("usage: ent memscan HEX");
        return false;
    }
    unsigned char *needle = g_malloc(n / 2);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = g_ascii_xdigit_value(hex[2 * i]), lo = g_ascii_xdigit_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            explicit_bzero(needle, n / 2);
            g_free(needle);
            *error = g_strdup("ent memscan: not hexadecimal");
            return false;
        }
        needle[i] = (unsigned char)(hi << 4 | lo);
    }
    long count = cr_memory_count(needle, n / 2);
    explicit_bzero(needle, n / 2);
    g_free(needle);
    if (count < 0) {
        *error = g_strdup("cannot read this process's memory");
        return false;
    }
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "count");
    json_builder_add_int_value(b, count);
    json_builder_end_object(b);
    *data = json_builder_get_root(b);
    g_object_unref(b);
    return true;
}

static bool need_client(struct cr_app *app, char **error)
{
    if (app->ent.configured)
        return true;
    *error = g_strdup("no ENT is configured (ent.kind = none)");
    return false;
}

bool cr_app_ent_command(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error)
{
    const char *sub = args[0], *arg = n > 1 ? args[1] : NULL;
    struct cr_ent_screen *s = &app->ent.screen;
    app->dirty = true;
    if (!strcmp(sub, "state")) {
        if (app->ent.view) {
            *data = view_json(app->ent.view);
        } else {
            struct cr_ent_view none = {.state = CR_ENT_SIGNED_OUT};
            *data = view_json(&none);
        }
        json_object_set_boolean_member(json_node_get_object(*data), "configured",
                                       app->ent.configured);
        return true;
    }
    if (!strcmp(sub, "memscan"))
        return memscan(app, arg, data, error);
    if (!strcmp(sub, "signin")) {
        enum cr_ent_method m;
        if (!parse_method(arg, &m)) {
            *error = g_strdup_printf("unknown method %s (device, cross-device, password)", arg);
            return false;
        }
        if (!need_client(app, error))
            return false;
        cr_app_open(app, CR_SCREEN_ENT);
        ent_call(app, OP_SIGNIN, m, NULL, NULL);
    } else if (!strcmp(sub, "cancel")) {
        cr_ent_screen_clear_form(s);
        ent_call(app, OP_CANCEL, CR_ENT_METHOD_NONE, NULL, NULL);
    } else if (!strcmp(sub, "submit")) {
        if (state_of(app) != CR_ENT_ASK_PASSWORD || !s->user_len || !s->password_len) {
            *error = g_strdup("type the user name and the password on the board first");
            return false;
        }
        ent_call(app, OP_SUBMIT, CR_ENT_METHOD_NONE, s->user, s->password);
        cr_ent_screen_clear_form(s);
    } else if (!strcmp(sub, "signout")) {
        if (!need_client(app, error))
            return false;
        ent_call(app, OP_SIGNOUT, CR_ENT_METHOD_NONE, NULL, NULL);
    } else if (!strcmp(sub, "stay")) {
        ent_call(app, OP_ACTIVITY, CR_ENT_METHOD_NONE, NULL, NULL);
    } else if (!strcmp(sub, "open")) {
        return open_resource(app, arg, data, error);
    } else if (!strcmp(sub, "folder")) {
        if (!arg || state_of(app) != CR_ENT_SIGNED_IN) {
            *error = g_strdup("usage: ent folder ID|root (signed in)");
            return false;
        }
        ent_call(app, OP_FOLDER, CR_ENT_METHOD_NONE, strcmp(arg, "root") ? arg : NULL, NULL);
    } else if (!strcmp(sub, "page")) {
        if (!g_strcmp0(arg, "next"))
            s->page++; /* clamped when drawn */
        else if (!g_strcmp0(arg, "prev"))
            s->page = s->page ? s->page - 1 : 0;
        else {
            *error = g_strdup("usage: ent page next|prev");
            return false;
        }
    } else if (!strcmp(sub, "key")) {
        *error = g_strdup("keys are typed on the board (tap them), never through a command");
        return false;
    } else {
        *error = g_strdup_printf("unknown ent command: %s", sub);
        return false;
    }
    return true;
}

size_t cr_app_ent_buttons(struct cr_app *app, struct cr_app_button *out, size_t max)
{
    const struct cr_button *b[CR_APP_MAX_BUTTONS];
    size_t n = cr_ent_screen_buttons(&app->ent.screen, b, CR_MIN(max, CR_APP_MAX_BUTTONS));
    for (size_t i = 0; i < n; i++)
        out[i] = (struct cr_app_button){b[i], NULL};
    return n;
}

void cr_app_ent_add_state(struct cr_app *app, JsonBuilder *b)
{
    const struct cr_ent_view *v = app->ent.view;
    struct cr_ent_screen *s = &app->ent.screen;
    json_builder_set_member_name(b, "ent");
    struct cr_ent_view none = {.state = CR_ENT_SIGNED_OUT};
    JsonNode *node = view_json(v ? v : &none);
    JsonObject *o = json_node_get_object(node);
    json_object_set_boolean_member(o, "configured", app->ent.configured);
    json_object_set_boolean_member(o, "curtain", cr_ent_screen_curtain(s));
    if (cr_ent_screen_curtain(s)) /* what the board shows: a count of dots */
        json_object_set_int_member(o, "password_dots", (gint64)s->password_len);
    if (v && v->state == CR_ENT_SHOW_CODE) {
        /* on the board for the whole room to see: the QR code and its code */
        json_object_set_string_member(o, "user_code", v->user_code);
        json_object_set_string_member(o, "qr_uri", v->qr_uri);
        json_object_set_int_member(o, "code_seconds_left", v->code_seconds_left);
    }
    JsonArray *tiles = json_array_new();
    for (size_t i = 0; app->current == CR_SCREEN_ENT && i < s->n_tiles; i++) {
        const struct cr_ent_resource *res = cr_ent_screen_resource(s, s->tile_resource[i]);
        JsonObject *t = json_object_new();
        json_object_set_int_member(t, "index", (gint64)s->tile_resource[i]);
        json_object_set_string_member(t, "title", res->title);
        json_object_set_string_member(t, "kind", cr_ent_resource_kind_name(res->kind));
        json_object_set_boolean_member(
            t, "picture", res->icon_url && g_hash_table_contains(s->thumbs, res->icon_url));
        json_array_add_object_element(tiles, t);
    }
    json_object_set_array_member(o, "tiles", tiles);
    json_builder_add_value(b, node);
}
