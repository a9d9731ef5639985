/* Web tiles on the board: a kiosk web view (display/web) in a tile, its
 * control bar, fingers and keys forwarded to the page. Views are ephemeral
 * (nothing on disk). An ENT resource's view remembers where the ENT session
 * ends: at sign-out it loads that address first (single logout), then every
 * web view is destroyed (app_board_session.c). UI thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/app_board_kinds.h"
#include "display/events.h"
#include "display/ui/keyboard.h"
#include "display/ui/web_bar.h"
#include "display/web/web_view.h"

struct web_tile {
    struct cr_app *app;
    struct cr_tile tile; /* its slot is fed by the view's thread */
    struct cr_web_view *view;
    struct cr_web_bar bar;
    char actions[CR_WEB_BAR_COUNT][40];
    struct cr_keyboard keyboard; /* on the lower part of the page while kb_shown */
    char key_actions[CR_KEYBOARD_KEYS][40];
    bool kb_shown;
    char *url_shown;  /* the address opened, without query or fragment */
    char *logout_url; /* ENT resources: where the ENT session ends, or NULL */
    bool ent;
    int view_w, view_h;
    bool logging_out;
};

static void on_frame(void *userdata)
{
    cr_event_post(CR_EVENT_NEW_FRAME, userdata, NULL);
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_frame};

static int index_of(struct web_tile *w)
{
    return cr_board_find_data(&w->app->board.board, w);
}

/* UI thread */
static void on_state(void *userdata, const struct cr_web_state *st)
{
    struct web_tile *w = userdata;
    int i = index_of(w);
    if (i < 0)
        return;
    struct cr_board *b = &w->app->board.board;
    if (st->title && *st->title)
        cr_board_set_title(b, (size_t)i, st->title);
    cr_board_set_notice(b, (size_t)i, NULL);
    w->app->dirty = true;
}

static const struct cr_web_view_callbacks view_cbs = {.state_changed = on_state};

static void web_update(struct cr_board_tile *t)
{
    struct web_tile *w = t->data;
    int i = index_of(w);
    for (int k = 0; k < CR_WEB_BAR_COUNT && i >= 0; k++) {
        static const char *const names[] = {"back", "forward", "reload", "home", "keyboard"};
        snprintf(w->actions[k], sizeof(w->actions[k]), "board tile %d %s", i + 1, names[k]);
        w->bar.buttons[k].action = w->actions[k];
    }
    for (int k = 0; k < w->keyboard.n_keys && i >= 0; k++) {
        snprintf(w->key_actions[k], sizeof(w->key_actions[k]), "board tile %d key %d", i + 1, k);
        w->keyboard.keys[k].action = w->key_actions[k];
    }
    w->bar.buttons[CR_WEB_BAR_KEYBOARD].active = w->kb_shown;
    if (!w->view)
        return;
    cr_web_bar_update(&w->bar, cr_web_view_state(w->view));
    /* The page is laid out for the tile's size. */
    int cw = t->content.w, ch = t->content.h;
    if (cw > 16 && ch > 16 && (cw != w->view_w || ch != w->view_h)) {
        w->view_w = cw;
        w->view_h = ch;
        cr_web_view_resize(w->view, cw, ch);
    }
}

static void web_draw_bar(struct cr_board_tile *t, struct cr_ui *ui, struct cr_rect rect)
{
    struct web_tile *w = t->data;
    cr_web_bar_draw(&w->bar, ui, rect);
    t->overlay = (struct cr_rect){0, 0, 0, 0};
    if (!w->kb_shown || t->content.h < 16)
        return;
    /* over the lower part of the page: what is typed stays in sight above */
    int h = t->content.h * 11 / 20, pad = cr_ui_px(ui, 10);
    t->overlay = (struct cr_rect){t->content.x, t->content.y + t->content.h - h, t->content.w, h};
    cr_draw_rect(ui->r, t->overlay, CR_C_PANEL);
    struct cr_rect keys = {t->overlay.x + pad, t->overlay.y + pad, t->overlay.w - 2 * pad,
                           t->overlay.h - 2 * pad};
    cr_keyboard_draw(&w->keyboard, ui, keys);
}

static const char *web_hit(struct cr_board_tile *t, int x, int y, bool press)
{
    struct web_tile *w = t->data;
    enum cr_web_bar_action a = cr_web_bar_hit(&w->bar, x, y);
    for (int k = 0; k < CR_WEB_BAR_COUNT; k++)
        w->bar.buttons[k].pressed = press && (int)a == k;
    int key = w->kb_shown ? cr_buttons_hit(w->keyboard.keys, (size_t)w->keyboard.n_keys, x, y) : -1;
    cr_buttons_set_pressed(w->keyboard.keys, (size_t)w->keyboard.n_keys, press ? key : -1);
    if (key >= 0)
        return w->key_actions[key];
    if (w->kb_shown && cr_rect_contains(t->overlay, x, y))
        return ""; /* between keys: nothing, and not the page below */
    return a == CR_WEB_BAR_NONE ? NULL : w->actions[a];
}

static size_t web_buttons(struct cr_board_tile *t, const struct cr_button **out, size_t max)
{
    struct web_tile *w = t->data;
    size_t n = 0;
    for (int k = 0; k < CR_WEB_BAR_COUNT && n < max; k++)
        if (w->bar.buttons[k].visible)
            out[n++] = &w->bar.buttons[k];
    for (int k = 0; w->kb_shown && t->overlay.h > 0 && k < w->keyboard.n_keys && n < max; k++)
        out[n++] = &w->keyboard.keys[k];
    return n;
}

static bool web_input(struct cr_board_tile *t, const struct cr_board_input *in)
{
    struct web_tile *w = t->data;
    if (in->px < 0 || in->py < 0) {
        if (in->type != CR_BOARD_DRAG && in->type != CR_BOARD_PINCH)
            return false;
    }
    int x = (int)in->px, y = (int)in->py;
    switch (in->type) {
    case CR_BOARD_TAP:
        cr_web_view_motion(w->view, x, y);
        cr_web_view_pointer(w->view, x, y, 1, true);
        cr_web_view_pointer(w->view, x, y, 1, false);
        return true;
    case CR_BOARD_DRAG: {
        /* the page moves with the finger (screen pixels → view pixels) */
        double k = t->tile->image_rect.h > 0 && t->tile->current
                       ? (double)t->tile->current->height / t->tile->image_rect.h
                       : 1.0;
        cr_web_view_scroll(w->view, CR_MAX(x, 0), CR_MAX(y, 0), in->dx * k, in->dy * k);
        return true;
    }
    case CR_BOARD_PINCH:
        cr_web_view_zoom(w->view, in->scale);
        return true;
    case CR_BOARD_SCROLL:
        cr_web_view_scroll(w->view, x, y, 0, in->dy * 80);
        return true;
    case CR_BOARD_DRAG_BEGIN:
    case CR_BOARD_DRAG_END:
        break;
    }
    return false;
}

/* A key of the on-screen keyboard: what it types goes to the page. */
static bool web_key(struct web_tile *w, const char *arg)
{
    char *end = NULL;
    long i = strtol(arg, &end, 10);
    if (!*arg || *end || i < 0 || i >= w->keyboard.n_keys)
        return false;
    char text[8] = {0};
    switch (cr_keyboard_key(&w->keyboard, (int)i, text)) {
    case CR_KEY_TEXT:
        break;
    case CR_KEY_ERASE:
        g_strlcpy(text, "\b", sizeof(text));
        break;
    case CR_KEY_FORWARD:
        g_strlcpy(text, "\t", sizeof(text));
        break;
    case CR_KEY_DONE:
        g_strlcpy(text, "\n", sizeof(text));
        break;
    case CR_KEY_NONE: /* the modifier */
        return true;
    }
    cr_web_view_text(w->view, text);
    return true;
}

static bool web_command(struct cr_board_tile *t, char **args, unsigned n, char **error)
{
    struct web_tile *w = t->data;
    const char *sub = args[0];
    if (!strcmp(sub, "back"))
        cr_web_view_back(w->view);
    else if (!strcmp(sub, "forward"))
        cr_web_view_forward(w->view);
    else if (!strcmp(sub, "reload"))
        cr_web_view_reload(w->view);
    else if (!strcmp(sub, "home"))
        cr_web_view_home(w->view);
    else if (!strcmp(sub, "text") && n == 2)
        cr_web_view_text(w->view, args[1]);
    else if (!strcmp(sub, "keyboard") && n == 1) {
        w->kb_shown = !w->kb_shown;
        cr_keyboard_reset(&w->keyboard);
    } else if (!strcmp(sub, "key") && n == 2) {
        if (!w->kb_shown || !web_key(w, args[1])) {
            *error = g_strdup_printf("%s: no such key on the keyboard shown", args[1]);
            return false;
        }
    } else if (!strcmp(sub, "zoom") && n == 2 &&
               (!strcmp(args[1], "in") || !strcmp(args[1], "out")))
        cr_web_view_zoom(w->view, !strcmp(args[1], "in") ? 1.25 : 0.8);
    else {
        *error = g_strdup("usage: board tile N back|forward|reload|home|keyboard|key K|text "
                          "TEXT|zoom in|out");
        return false;
    }
    return true;
}

static void web_state(struct cr_board_tile *t, JsonBuilder *b)
{
    struct web_tile *w = t->data;
    const struct cr_web_state *st = w->view ? cr_web_view_state(w->view) : NULL;
    json_builder_set_member_name(b, "url");
    json_builder_add_string_value(b, w->url_shown);
    json_builder_set_member_name(b, "ent");
    json_builder_add_boolean_value(b, w->ent);
    json_builder_set_member_name(b, "loading");
    json_builder_add_boolean_value(b, st && st->loading);
    json_builder_set_member_name(b, "progress");
    json_builder_add_double_value(b, st ? st->progress : 0);
    json_builder_set_member_name(b, "page_title");
    json_builder_add_string_value(b, st && st->title ? st->title : "");
    json_builder_set_member_name(b, "can_go_back");
    json_builder_add_boolean_value(b, st && st->can_go_back);
    json_builder_set_member_name(b, "error_page");
    json_builder_add_boolean_value(b, st && st->error_page);
    json_builder_set_member_name(b, "keyboard");
    json_builder_add_boolean_value(b, w->kb_shown);
}

static void web_destroy(struct cr_board_tile *t)
{
    struct web_tile *w = t->data;
    if (w->view)
        cr_web_view_destroy(w->view); /* waits for its web processes */
    cr_frame_slot_close(&w->tile.slot);
    cr_tile_destroy(&w->tile);
    g_free(w->url_shown);
    g_free(w->logout_url);
    free(w);
}

const struct cr_board_tile_ops cr_board_web_ops = {
    .kind = "web",
    .bar_height = 112,
    .draw_bar = web_draw_bar,
    .hit = web_hit,
    .buttons = web_buttons,
    .input = web_input,
    .command = web_command,
    .add_state = web_state,
    .update = web_update,
    .destroy = web_destroy,
};

bool cr_board_web_url_ok(const char *url)
{
    g_autoptr(GUri) u = url ? g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL) : NULL;
    const char *scheme = u ? g_uri_get_scheme(u) : NULL;
    return scheme &&
           (!g_ascii_strcasecmp(scheme, "https") || !g_ascii_strcasecmp(scheme, "http")) &&
           g_uri_get_host(u) && *g_uri_get_host(u);
}

int cr_board_web_open(struct cr_app *app, const struct cr_board_web_open *o, char **error)
{
    struct cr_board *b = &app->board.board;
    if (b->n >= CR_BOARD_MAX) {
        *error = g_strdup_printf("the board already shows %d tiles: close one first", CR_BOARD_MAX);
        return -1;
    }
    struct web_tile *w = cr_xcalloc(1, sizeof(*w));
    w->app = app;
    w->ent = o->ent;
    w->url_shown = cr_web_loggable_url(o->url);
    w->logout_url = g_strdup(o->logout_url);
    cr_tile_init(&w->tile, CR_TILE_WEB, &slot_cbs, &w->tile);
    cr_web_bar_init(&w->bar);
    cr_keyboard_init(&w->keyboard);
    w->keyboard.show_pressed = true; /* a web page, not a password */
    for (int k = 0; k < w->keyboard.n_keys; k++) {
        /* the last row's keys as a page knows them */
        if (w->keyboard.kinds[k] == CR_KEY_NEXT)
            w->keyboard.keys[k].label = N_("Tab");
        else if (w->keyboard.kinds[k] == CR_KEY_SUBMIT)
            /* TRANSLATORS: the Enter key of the on-screen keyboard over a web page */
            w->keyboard.keys[k].label = N_("Enter");
    }
    char *host = NULL;
    g_autoptr(GUri) u = g_uri_parse(o->url, G_URI_FLAGS_ENCODED, NULL);
    host = g_strdup(u && g_uri_get_host(u) ? g_uri_get_host(u) : o->url);
    int i = cr_board_add(b, &cr_board_web_ops, &w->tile, w, 0, o->title ? o->title : host);
    g_free(host);
    cr_board_layout(b, &app->ui); /* the tile's size, for the page's layout */
    struct cr_board_tile *t = &b->tiles[i];
    w->view_w = CR_MAX(t->content.w, 320);
    w->view_h = CR_MAX(t->content.h, 240);
    struct cr_web_cookie *cookies =
        o->n_cookies ? g_new0(struct cr_web_cookie, o->n_cookies) : NULL;
    for (size_t k = 0; k < o->n_cookies; k++)
        cookies[k] = (struct cr_web_cookie){.name = o->cookies[k].name,
                                            .value = o->cookies[k].value,
                                            .domain = o->cookies[k].domain,
                                            .path = o->cookies[k].path,
                                            .secure = o->cookies[k].secure,
                                            .http_only = o->cookies[k].http_only};
    struct cr_web_view_options vo = {.url = o->first_url ? o->first_url : o->url,
                                     .width = w->view_w,
                                     .height = w->view_h,
                                     .slot = &w->tile.slot,
                                     .private_dir = NULL, /* ephemeral: nothing on disk */
                                     .cookies = cookies,
                                     .n_cookies = o->n_cookies,
                                     .cbs = &view_cbs,
                                     .userdata = w};
    w->view = cr_web_view_new(&vo);
    g_free(cookies); /* the view copied them */
    if (!w->view) {
        cr_board_close(b, (size_t)i); /* nothing shown: the tile goes away again */
        *error = g_strdup("the web engine cannot start (see craie's log)");
        return -1;
    }
    if (o->first_url)
        cr_web_view_load(w->view, o->url); /* GAR: after the ENT session is seeded */
    cr_board_set_notice(b, (size_t)i, _("Loading…"));
    return i;
}

const char *cr_board_web_logout_url(struct cr_board_tile *t)
{
    return t->ops == &cr_board_web_ops ? ((struct web_tile *)t->data)->logout_url : NULL;
}

bool cr_board_web_is_ent(struct cr_board_tile *t)
{
    return t->ops == &cr_board_web_ops && ((struct web_tile *)t->data)->ent;
}

struct cr_web_view *cr_board_web_view(struct cr_board_tile *t)
{
    return t->ops == &cr_board_web_ops ? ((struct web_tile *)t->data)->view : NULL;
}

bool cr_board_web_key(struct cr_board_tile *t, const SDL_KeyboardEvent *k)
{
    struct cr_web_view *view = cr_board_web_view(t);
    if (!view)
        return false;
    uint32_t sym = cr_web_keysym_from_sdl(k->keysym.sym);
    if (!sym)
        return false;
    unsigned mods = (k->keysym.mod & KMOD_SHIFT ? CR_WEB_MOD_SHIFT : 0) |
                    (k->keysym.mod & KMOD_CTRL ? CR_WEB_MOD_CTRL : 0) |
                    (k->keysym.mod & KMOD_ALT ? CR_WEB_MOD_ALT : 0);
    /* printable keys arrive as SDL_TEXTINPUT: only the others here */
    if (k->keysym.sym >= 32 && k->keysym.sym < 127 && !(mods & (CR_WEB_MOD_CTRL | CR_WEB_MOD_ALT)))
        return true;
    cr_web_view_key(view, sym, true, mods);
    cr_web_view_key(view, sym, false, mods);
    return true;
}
