/* Video / sound tiles (libvlc, display/player) and document tiles
 * (poppler and pictures, display/document) on the board, with the media bar
 * (display/ui/media_bar.c: play, time, seek, volume, full screen) and the
 * document bar (display/ui/document_bar.c: pages, zoom). Bytes fetched from
 * the ENT stay in memory and are zeroed when the tile closes. UI thread. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/app_board_kinds.h"
#include "display/document/document.h"
#include "display/events.h"
#include "display/player/player.h"
#include "display/state_json.h"
#include "display/ui/document_bar.h"
#include "display/ui/media_bar.h"

#define MAX_BUTTONS 6

static void on_frame(void *userdata)
{
    cr_event_post(CR_EVENT_NEW_FRAME, userdata, NULL);
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_frame};

/* A bar's controls as get_state sees them (buttons with the command a tap
 * runs, where the bar drew them), and the command of the last tap. */
struct controls {
    struct cr_button b[MAX_BUTTONS];
    char actions[MAX_BUTTONS][48];
    size_t n;
    char tapped[48];
};

static void control(struct controls *c, size_t k, const char *action, const char *icon,
                    const char *label, struct cr_rect rect, bool enabled)
{
    g_strlcpy(c->actions[k], action, sizeof(c->actions[k]));
    c->b[k] = (struct cr_button){.action = c->actions[k],
                                 .icon = icon,
                                 .label = label,
                                 .rect = rect,
                                 .visible = rect.w > 0,
                                 .enabled = enabled};
    c->n = CR_MAX(c->n, k + 1);
}

/* The command of the control at (x, y), or NULL (a press only asks). */
static const char *controls_at(struct controls *c, int x, int y)
{
    for (size_t k = 0; k < c->n; k++)
        if (c->b[k].visible && c->b[k].enabled && cr_rect_contains(c->b[k].rect, x, y))
            return c->b[k].action;
    return NULL;
}

static size_t controls_buttons(struct controls *c, const struct cr_button **out, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < c->n && n < max; k++)
        if (c->b[k].visible)
            out[n++] = &c->b[k];
    return n;
}

static const char *tapped(struct controls *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static const char *tapped(struct controls *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_vsnprintf(c->tapped, sizeof(c->tapped), fmt, ap);
    va_end(ap);
    return c->tapped;
}

static void free_bytes(void *data, size_t size)
{
    if (data) {
        explicit_bzero(data, size);
        g_free(data);
    }
}

/* --- media -------------------------------------------------------------- */

struct media_tile {
    struct cr_app *app;
    struct cr_tile tile;
    struct cr_player *player;
    struct cr_player_state st;
    struct cr_media_bar bar;
    struct controls controls;
    double drag_value; /* the slider's value last sent while a finger drags it */
    char *source;      /* path or URL without query, or the ENT file's title */
    bool ent;
    void *data; /* ENT bytes (owned), zeroed at close */
    size_t size;
};

enum { MEDIA_PLAY, MEDIA_MUTE, MEDIA_FULLSCREEN };

static void media_on_state(void *userdata, const struct cr_player_state *st)
{
    struct media_tile *m = userdata;
    m->st = *st;
    int i = cr_board_find_data(&m->app->board.board, m);
    if (i >= 0)
        cr_board_set_notice(&m->app->board.board, (size_t)i,
                            st->status == CR_PLAYER_ERROR ? st->error : NULL);
    m->app->dirty = true;
}

static const struct cr_player_callbacks player_cbs = {.on_state = media_on_state};

static void media_draw_bar(struct cr_board_tile *t, struct cr_ui *ui, struct cr_rect rect)
{
    struct media_tile *m = t->data;
    struct cr_board *b = &m->app->board.board;
    int i = cr_board_find_data(b, m);
    bool full = i >= 0 && b->fullscreen == i;
    cr_media_bar_draw(&m->bar, ui, rect, &m->st, full);
    /* what get_state lists (the time and the sliders answer taps too) */
    bool playing = m->st.status == CR_PLAYER_PLAYING || m->st.status == CR_PLAYER_OPENING;
    char a[48];
    snprintf(a, sizeof(a), "board tile %d toggle", i + 1);
    control(&m->controls, MEDIA_PLAY, a, playing ? "pause" : "play",
            playing ? N_("Pause") : N_("Play"), m->bar.play, m->st.status != CR_PLAYER_ERROR);
    snprintf(a, sizeof(a), "board tile %d mute", i + 1);
    control(&m->controls, MEDIA_MUTE, a, m->st.volume ? "volume" : "volume-mute",
            m->st.volume ? N_("Mute") : N_("Sound on"), m->bar.mute, true);
    snprintf(a, sizeof(a), "board fullscreen %d %s", i + 1, full ? "off" : "on");
    control(&m->controls, MEDIA_FULLSCREEN, a, full ? "fullscreen-exit" : "fullscreen",
            full ? N_("All tiles") : N_("Full screen"), m->bar.fullscreen, true);
}

static const char *media_hit(struct cr_board_tile *t, int x, int y, bool press)
{
    struct media_tile *m = t->data;
    if (x < 0)
        return NULL;
    int i = cr_board_find_data(&m->app->board.board, m) + 1;
    double v = 0;
    enum cr_media_bar_action a = CR_MEDIA_BAR_NONE;
    if (press) {
        /* a press only asks whether the bar answers there */
        const char *c = controls_at(&m->controls, x, y);
        if (c || (m->bar.seekable && cr_rect_contains(m->bar.seek, x, y)) ||
            cr_rect_contains(m->bar.volume, x, y))
            return "";
        return NULL;
    }
    a = cr_media_bar_press(&m->bar, x, y, &v);
    cr_media_bar_release(&m->bar); /* a tap: the board follows no drag here */
    switch (a) {
    case CR_MEDIA_BAR_TOGGLE:
        return tapped(&m->controls, "board tile %d toggle", i);
    case CR_MEDIA_BAR_SEEK:
        return tapped(&m->controls, "board tile %d seek %.3f", i, v);
    case CR_MEDIA_BAR_VOLUME:
        return tapped(&m->controls, "board tile %d volume %d", i, (int)v);
    case CR_MEDIA_BAR_MUTE:
        return tapped(&m->controls, "board tile %d mute", i);
    case CR_MEDIA_BAR_FULLSCREEN:
        return m->controls.b[MEDIA_FULLSCREEN].action;
    case CR_MEDIA_BAR_NONE:
        break;
    }
    return NULL;
}

static const char *media_bar_drag(struct cr_board_tile *t, enum cr_board_drag_phase phase, int x,
                                  int y)
{
    struct media_tile *m = t->data;
    int i = cr_board_find_data(&m->app->board.board, m) + 1;
    double v = 0;
    enum cr_media_bar_action a = CR_MEDIA_BAR_NONE;
    if (phase == CR_BOARD_DRAG_STOP) {
        cr_media_bar_release(&m->bar);
        return NULL;
    }
    if (phase == CR_BOARD_DRAG_START) {
        a = cr_media_bar_press(&m->bar, x, y, &v);
        if (a != CR_MEDIA_BAR_SEEK && a != CR_MEDIA_BAR_VOLUME) {
            cr_media_bar_release(&m->bar);
            return NULL;
        }
    } else {
        a = cr_media_bar_drag(&m->bar, x, y, &v);
    }
    /* the player is asked again only when the finger moved the value */
    if (a == CR_MEDIA_BAR_SEEK &&
        (phase == CR_BOARD_DRAG_START || fabs(v - m->drag_value) >= 0.002)) {
        m->drag_value = v;
        return tapped(&m->controls, "board tile %d seek %.3f", i, v);
    }
    if (a == CR_MEDIA_BAR_VOLUME &&
        (phase == CR_BOARD_DRAG_START || (int)v != (int)m->drag_value)) {
        m->drag_value = v;
        return tapped(&m->controls, "board tile %d volume %d", i, (int)v);
    }
    return NULL;
}

static size_t media_buttons(struct cr_board_tile *t, const struct cr_button **out, size_t max)
{
    return controls_buttons(&((struct media_tile *)t->data)->controls, out, max);
}

static bool media_command(struct cr_board_tile *t, char **args, unsigned n, char **error)
{
    struct media_tile *m = t->data;
    const char *sub = args[0];
    double f;
    char *end = NULL;
    if (!strcmp(sub, "play"))
        cr_player_play(m->player);
    else if (!strcmp(sub, "pause"))
        cr_player_pause(m->player);
    else if (!strcmp(sub, "toggle"))
        cr_player_toggle(m->player);
    else if (!strcmp(sub, "seek") && n == 2 && (f = g_ascii_strtod(args[1], &end), !*end) &&
             f >= 0 && f <= 1)
        cr_player_seek(m->player, f);
    else if ((!strcmp(sub, "back") || !strcmp(sub, "forward")) && m->st.length_ms > 0) {
        double step = 10000.0 / (double)m->st.length_ms;
        cr_player_seek(m->player, m->st.position + (!strcmp(sub, "back") ? -step : step));
    } else if (!strcmp(sub, "volume") && n == 2 &&
               (!strcmp(args[1], "up") || !strcmp(args[1], "down")))
        cr_player_set_volume(
            m->player, CR_MAX(0, CR_MIN(100, m->st.volume + (!strcmp(args[1], "up") ? 10 : -10))));
    else if (!strcmp(sub, "volume") && n == 2 && (f = g_ascii_strtod(args[1], &end), !*end) &&
             f >= 0 && f <= 100)
        cr_player_set_volume(m->player, (int)f);
    else if (!strcmp(sub, "mute") && n == 1)
        cr_player_toggle_mute(m->player);
    else {
        *error = g_strdup("usage: board tile N play|pause|toggle|seek 0..1|back|forward"
                          "|volume up|down|0..100|mute");
        return false;
    }
    m->st = cr_player_get_state(m->player);
    return true;
}

static bool media_input(struct cr_board_tile *t, const struct cr_board_input *in)
{
    struct media_tile *m = t->data;
    if (in->type == CR_BOARD_TAP) {
        cr_player_toggle(m->player); /* a tap on the picture plays or pauses */
        return true;
    }
    return false;
}

static void media_state(struct cr_board_tile *t, JsonBuilder *b)
{
    struct media_tile *m = t->data;
    struct cr_player_state st = cr_player_get_state(m->player);
    json_builder_set_member_name(b, "source");
    json_builder_add_string_value(b, m->source);
    json_builder_set_member_name(b, "ent");
    json_builder_add_boolean_value(b, m->ent);
    json_builder_set_member_name(b, "status");
    json_builder_add_string_value(b, cr_player_status_name(st.status));
    json_builder_set_member_name(b, "playing");
    json_builder_add_boolean_value(b, st.status == CR_PLAYER_PLAYING);
    json_builder_set_member_name(b, "position");
    json_builder_add_double_value(b, st.position);
    json_builder_set_member_name(b, "time_ms");
    json_builder_add_int_value(b, st.time_ms);
    json_builder_set_member_name(b, "length_ms");
    json_builder_add_int_value(b, st.length_ms);
    json_builder_set_member_name(b, "volume");
    json_builder_add_int_value(b, st.volume);
    json_builder_set_member_name(b, "frames");
    json_builder_add_int_value(b, (gint64)st.frames);
    cr_state_add_rect(b, "seek_rect", m->bar.seek);
    cr_state_add_rect(b, "volume_rect", m->bar.volume);
    if (st.status == CR_PLAYER_ERROR) {
        json_builder_set_member_name(b, "error");
        json_builder_add_string_value(b, st.error);
    }
}

static void media_destroy(struct cr_board_tile *t)
{
    struct media_tile *m = t->data;
    if (m->player)
        cr_player_destroy(m->player); /* joins libvlc's threads */
    cr_frame_slot_close(&m->tile.slot);
    cr_tile_destroy(&m->tile);
    free_bytes(m->data, m->size);
    g_free(m->source);
    free(m);
}

const struct cr_board_tile_ops cr_board_media_ops = {
    .kind = "media",
    .bar_height = 112,
    .draw_bar = media_draw_bar,
    .hit = media_hit,
    .bar_drag = media_bar_drag,
    .buttons = media_buttons,
    .input = media_input,
    .command = media_command,
    .add_state = media_state,
    .destroy = media_destroy,
};

static char *display_name(const char *path_or_url)
{
    if (!path_or_url)
        return NULL;
    g_autoptr(GUri) u = g_uri_parse(path_or_url, G_URI_FLAGS_ENCODED, NULL);
    if (u && g_uri_get_scheme(u) && strcmp(g_uri_get_scheme(u), "file")) {
        char *s = g_strdup_printf("%s://%s%s", g_uri_get_scheme(u),
                                  g_uri_get_host(u) ? g_uri_get_host(u) : "", g_uri_get_path(u));
        return s;
    }
    return g_strdup(path_or_url);
}

static bool check_source(const char *p, char **error)
{
    g_autoptr(GUri) u = g_uri_parse(p, G_URI_FLAGS_ENCODED, NULL);
    const char *scheme = u ? g_uri_get_scheme(u) : NULL;
    if (scheme && (!strcmp(scheme, "http") || !strcmp(scheme, "https")))
        return true;
    g_autofree char *path =
        scheme && !strcmp(scheme, "file") ? g_filename_from_uri(p, NULL, NULL) : g_strdup(p);
    if (path && g_file_test(path, G_FILE_TEST_IS_REGULAR) && !access(path, R_OK))
        return true;
    *error = g_strdup_printf("%s: no such file or address", p);
    return false;
}

int cr_board_media_open(struct cr_app *app, const struct cr_board_media_open *o, char **error)
{
    struct cr_board *b = &app->board.board;
    if (b->n >= CR_BOARD_MAX) {
        *error = g_strdup_printf("the board already shows %d tiles: close one first", CR_BOARD_MAX);
        free_bytes(o->data, o->size);
        return -1;
    }
    if (!o->data && !check_source(o->path_or_url, error))
        return -1;
    struct media_tile *m = cr_xcalloc(1, sizeof(*m));
    m->app = app;
    m->ent = o->ent;
    m->data = o->data;
    m->size = o->size;
    m->source = o->data ? g_strdup(o->title) : display_name(o->path_or_url);
    cr_tile_init(&m->tile, CR_TILE_VIDEO, &slot_cbs, &m->tile);
    struct cr_player_options po = {.mrl_or_path = o->data ? NULL : o->path_or_url,
                                   .data = o->data,
                                   .size = o->size,
                                   .title = o->title,
                                   .slot = &m->tile.slot,
                                   .cbs = &player_cbs,
                                   .userdata = m,
                                   .aout = g_getenv("CRAIE_TEST_AOUT"),
                                   .volume = -1};
    m->player = cr_player_new(&po);
    if (!m->player) {
        cr_tile_destroy(&m->tile);
        free_bytes(m->data, m->size);
        g_free(m->source);
        free(m);
        *error = g_strdup("this video or sound cannot be played (see craie's log)");
        return -1;
    }
    m->st = cr_player_get_state(m->player);
    g_autofree char *base =
        o->title ? g_strdup(o->title) : g_path_get_basename(o->path_or_url ? o->path_or_url : "?");
    int i = cr_board_add(b, &cr_board_media_ops, &m->tile, m, 0, base);
    cr_player_play(m->player);
    return i;
}

/* --- documents ---------------------------------------------------------- */

struct doc_tile {
    struct cr_app *app;
    struct cr_tile tile; /* shows the page rendered */
    struct cr_document *doc;
    struct cr_document_view view;
    struct cr_document_bar bar;
    struct controls controls;
    char *source;
    bool ent;
    int asked_page, asked_width; /* the render last asked for */
    int shown_page;
};

enum { DOC_PREV, DOC_NEXT, DOC_ZOOM_OUT, DOC_ZOOM_IN, DOC_FIT };

static void doc_on_page(void *userdata, int page, int width_px, struct cr_frame *frame)
{
    struct doc_tile *d = userdata;
    if (!frame || page != d->view.page)
        return;
    cr_tile_set_frame(&d->tile, d->app->ui.r, cr_frame_ref(frame));
    d->shown_page = page;
    d->app->dirty = true;
}

static const struct cr_document_callbacks doc_cbs = {.on_page = doc_on_page};

static void doc_update(struct cr_board_tile *t)
{
    struct doc_tile *d = t->data;
    int width = cr_document_view_render_width(&d->view, CR_MAX(t->content.w, 64));
    if (d->view.page != d->asked_page || width > d->asked_width) {
        d->asked_page = d->view.page;
        d->asked_width = width;
        cr_document_render_async(d->doc, d->view.page, width);
    }
}

static void doc_draw_bar(struct cr_board_tile *t, struct cr_ui *ui, struct cr_rect rect)
{
    struct doc_tile *d = t->data;
    struct cr_document_bar *bar = &d->bar;
    cr_document_bar_draw(bar, ui, rect, d->view.page, d->view.n_pages, d->tile.view.zoom);
    int i = cr_board_find_data(&d->app->board.board, d) + 1;
    const struct {
        const char *verb, *icon, *label;
        struct cr_rect rect;
        bool enabled;
    } c[] = {
        [DOC_PREV] = {"prev", "back", N_("Previous page"), bar->prev, bar->can_prev},
        [DOC_NEXT] = {"next", "forward", N_("Next page"), bar->next, bar->can_next},
        [DOC_ZOOM_OUT] = {"zoom out", "zoom-out", N_("Zoom out"), bar->zoom_out, bar->can_zoom_out},
        [DOC_ZOOM_IN] = {"zoom in", "zoom-in", N_("Zoom in"), bar->zoom_in, bar->can_zoom_in},
        [DOC_FIT] = {"fit", "zoom-reset", N_("Whole page"), bar->fit, bar->can_fit},
    };
    for (size_t k = 0; k < G_N_ELEMENTS(c); k++) {
        char a[48];
        snprintf(a, sizeof(a), "board tile %d %s", i, c[k].verb);
        control(&d->controls, k, a, c[k].icon, c[k].label, c[k].rect, c[k].enabled);
    }
}

static const char *doc_hit(struct cr_board_tile *t, int x, int y, bool press)
{
    struct doc_tile *d = t->data;
    if (x < 0)
        return NULL;
    const char *a = controls_at(&d->controls, x, y);
    return press && a ? "" : a;
}

static size_t doc_buttons(struct cr_board_tile *t, const struct cr_button **out, size_t max)
{
    return controls_buttons(&((struct doc_tile *)t->data)->controls, out, max);
}

static bool doc_command(struct cr_board_tile *t, char **args, unsigned n, char **error)
{
    struct doc_tile *d = t->data;
    const char *sub = args[0];
    struct cr_rect r = d->tile.image_rect;
    if (!strcmp(sub, "next") || !strcmp(sub, "prev")) {
        if (cr_document_view_step(&d->view, !strcmp(sub, "next") ? 1 : -1))
            cr_tile_reset_view(&d->tile);
    } else if (!strcmp(sub, "page") && n == 2) {
        char *end;
        long p = strtol(args[1], &end, 10);
        if (*end || p < 1 || p > d->view.n_pages) {
            *error = g_strdup_printf("the document has pages 1 to %d", d->view.n_pages);
            return false;
        }
        cr_document_view_go(&d->view, (int)p - 1);
        cr_tile_reset_view(&d->tile);
    } else if (!strcmp(sub, "zoom") && n == 2 && !strcmp(args[1], "in")) {
        cr_tile_zoom(&d->tile, 1.5f, r.x + r.w / 2.0f, r.y + r.h / 2.0f);
    } else if (!strcmp(sub, "zoom") && n == 2 && !strcmp(args[1], "out")) {
        cr_tile_zoom(&d->tile, 1 / 1.5f, r.x + r.w / 2.0f, r.y + r.h / 2.0f);
    } else if (!strcmp(sub, "fit") && n == 1) {
        cr_tile_reset_view(&d->tile);
    } else {
        *error = g_strdup("usage: board tile N next|prev|page P|zoom in|out|fit");
        return false;
    }
    d->view.view.zoom = d->tile.view.zoom; /* sharper pages when zoomed */
    return true;
}

static bool doc_input(struct cr_board_tile *t, const struct cr_board_input *in)
{
    struct doc_tile *d = t->data;
    switch (in->type) {
    case CR_BOARD_DRAG:
        cr_tile_pan(&d->tile, (float)in->dx, (float)in->dy);
        return true;
    case CR_BOARD_PINCH:
        cr_tile_zoom(&d->tile, (float)in->scale, (float)in->x, (float)in->y);
        cr_tile_pan(&d->tile, (float)in->dx, (float)in->dy);
        d->view.view.zoom = d->tile.view.zoom;
        return true;
    case CR_BOARD_SCROLL:
        /* the wheel turns the pages */
        if (cr_document_view_step(&d->view, in->dy > 0 ? -1 : 1))
            cr_tile_reset_view(&d->tile);
        return true;
    case CR_BOARD_TAP:
    case CR_BOARD_DRAG_BEGIN:
    case CR_BOARD_DRAG_END:
        break;
    }
    return false;
}

static void doc_state(struct cr_board_tile *t, JsonBuilder *b)
{
    struct doc_tile *d = t->data;
    json_builder_set_member_name(b, "source");
    json_builder_add_string_value(b, d->source);
    json_builder_set_member_name(b, "ent");
    json_builder_add_boolean_value(b, d->ent);
    json_builder_set_member_name(b, "document_kind");
    json_builder_add_string_value(b, cr_document_kind(d->doc) == CR_DOCUMENT_PDF ? "pdf" : "image");
    json_builder_set_member_name(b, "page");
    json_builder_add_int_value(b, d->view.page + 1);
    json_builder_set_member_name(b, "pages");
    json_builder_add_int_value(b, d->view.n_pages);
    json_builder_set_member_name(b, "page_shown");
    json_builder_add_int_value(b, d->shown_page + 1);
    json_builder_set_member_name(b, "zoom");
    json_builder_add_double_value(b, d->tile.view.zoom);
}

static void doc_destroy(struct cr_board_tile *t)
{
    struct doc_tile *d = t->data;
    cr_document_close(d->doc); /* joins its worker; its copy of the bytes goes */
    cr_tile_destroy(&d->tile);
    g_free(d->source);
    free(d);
}

const struct cr_board_tile_ops cr_board_document_ops = {
    .kind = "document",
    .bar_height = 112,
    .draw_bar = doc_draw_bar,
    .hit = doc_hit,
    .buttons = doc_buttons,
    .input = doc_input,
    .command = doc_command,
    .add_state = doc_state,
    .update = doc_update,
    .destroy = doc_destroy,
};

int cr_board_document_open(struct cr_app *app, const struct cr_board_media_open *o, char **error)
{
    struct cr_board *b = &app->board.board;
    if (b->n >= CR_BOARD_MAX) {
        *error = g_strdup_printf("the board already shows %d tiles: close one first", CR_BOARD_MAX);
        free_bytes(o->data, o->size);
        return -1;
    }
    char *why = NULL;
    struct cr_document *doc =
        o->data ? cr_document_open_bytes(o->data, o->size, o->mime ? o->mime : o->title, &why)
                : cr_document_open_file(o->path_or_url, &why);
    free_bytes(o->data, o->size); /* the document made its own copy */
    if (!doc) {
        *error = g_strdup_printf("%s: %s", o->data ? (o->title ? o->title : "?") : o->path_or_url,
                                 why ? why : "cannot be opened");
        g_free(why);
        return -1;
    }
    struct doc_tile *d = cr_xcalloc(1, sizeof(*d));
    d->app = app;
    d->doc = doc;
    d->ent = o->ent;
    d->asked_page = -1;
    d->source = o->data ? g_strdup(o->title) : g_strdup(o->path_or_url);
    cr_tile_init(&d->tile, CR_TILE_SNAPSHOT, NULL, NULL);
    cr_document_view_init(&d->view, doc);
    cr_document_set_callbacks(doc, &doc_cbs, d);
    g_autofree char *base = o->title ? g_strdup(o->title) : g_path_get_basename(o->path_or_url);
    return cr_board_add(b, &cr_board_document_ops, &d->tile, d, 0, base);
}

bool cr_board_tile_is_ent(struct cr_board_tile *t)
{
    if (t->ops == &cr_board_media_ops)
        return ((struct media_tile *)t->data)->ent;
    if (t->ops == &cr_board_document_ops)
        return ((struct doc_tile *)t->data)->ent;
    return cr_board_web_is_ent(t);
}
