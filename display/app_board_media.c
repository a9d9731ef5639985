/* Video / sound tiles (libvlc, display/player) and document tiles
 * (poppler and pictures, display/document) on the board, each with a bar of
 * big buttons. Bytes fetched from the ENT stay in memory and are zeroed
 * when the tile closes. UI thread. */
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

#define MAX_BUTTONS 6

static void on_frame(void *userdata)
{
    cr_event_post(CR_EVENT_NEW_FRAME, userdata, NULL);
}

static const struct cr_frame_slot_callbacks slot_cbs = {.on_new_frame = on_frame};

/* A bar of buttons, each running "board tile N VERB". */
struct bar {
    struct cr_button b[MAX_BUTTONS];
    char actions[MAX_BUTTONS][40];
    const char *verbs[MAX_BUTTONS];
    size_t n;
    struct cr_rect track; /* media: the seek bar */
};

static void bar_add(struct bar *bar, const char *verb, const char *icon, const char *label)
{
    bar->verbs[bar->n] = verb;
    bar->b[bar->n] = (struct cr_button){.icon = icon, .label = label, .visible = true};
    bar->n++;
}

static void bar_actions(struct bar *bar, int index)
{
    for (size_t k = 0; k < bar->n; k++) {
        snprintf(bar->actions[k], sizeof(bar->actions[k]), "board tile %d %s", index + 1,
                 bar->verbs[k]);
        bar->b[k].action = bar->actions[k];
    }
}

static void bar_layout(struct bar *bar, struct cr_ui *ui, struct cr_rect rect, int track_w)
{
    int pad = cr_ui_px(ui, 8), w = cr_ui_px(ui, 130);
    int total = (int)bar->n * (w + pad) + (track_w > 0 ? track_w + pad : 0);
    if (total > rect.w) { /* a narrow tile: narrower buttons */
        w = CR_MAX((rect.w - pad * (int)(bar->n + 1) - (track_w > 0 ? track_w : 0)) /
                       (int)CR_MAX(bar->n, 1),
                   cr_ui_px(ui, 60));
        total = (int)bar->n * (w + pad) + (track_w > 0 ? track_w + pad : 0);
    }
    int x = rect.x + CR_MAX((rect.w - total) / 2, pad);
    for (size_t k = 0; k < bar->n; k++) {
        bar->b[k].rect = (struct cr_rect){x, rect.y + pad, w, rect.h - 2 * pad};
        x += w + pad;
    }
    bar->track =
        track_w > 0 ? (struct cr_rect){x, rect.y + rect.h / 2 - cr_ui_px(ui, 20),
                                       CR_MIN(track_w, rect.x + rect.w - x - pad), cr_ui_px(ui, 40)}
                    : (struct cr_rect){0, 0, 0, 0};
}

static void bar_draw(struct bar *bar, struct cr_ui *ui)
{
    for (size_t k = 0; k < bar->n; k++)
        cr_button_draw(ui, &bar->b[k]);
}

static const char *bar_hit(struct bar *bar, int x, int y, bool press)
{
    int i = cr_buttons_hit(bar->b, bar->n, x, y);
    cr_buttons_set_pressed(bar->b, bar->n, press ? i : -1);
    return i >= 0 ? bar->b[i].action : NULL;
}

static size_t bar_buttons(struct bar *bar, const struct cr_button **out, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < bar->n && n < max; k++)
        out[n++] = &bar->b[k];
    return n;
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
    struct bar bar;
    char *source; /* path or URL without query, or the ENT file's title */
    bool ent;
    void *data; /* ENT bytes (owned), zeroed at close */
    size_t size;
    char seek_action[48];
};

enum { MEDIA_PLAY, MEDIA_BACK, MEDIA_FWD, MEDIA_VOL_DOWN, MEDIA_VOL_UP };

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

static void media_update(struct cr_board_tile *t)
{
    struct media_tile *m = t->data;
    bar_actions(&m->bar, cr_board_find_data(&m->app->board.board, m));
    bool playing = m->st.status == CR_PLAYER_PLAYING;
    m->bar.b[MEDIA_PLAY].label = playing ? N_("Pause") : N_("Play");
    m->bar.b[MEDIA_PLAY].icon = playing ? "freeze" : "play";
    m->bar.b[MEDIA_PLAY].enabled = m->st.status != CR_PLAYER_ERROR;
    m->bar.b[MEDIA_BACK].enabled = m->bar.b[MEDIA_FWD].enabled = m->st.seekable;
    m->bar.b[MEDIA_VOL_DOWN].enabled = m->st.volume > 0;
    m->bar.b[MEDIA_VOL_UP].enabled = m->st.volume < 100;
}

static void media_draw_bar(struct cr_board_tile *t, struct cr_ui *ui, struct cr_rect rect)
{
    struct media_tile *m = t->data;
    bar_layout(&m->bar, ui, rect, CR_MAX(rect.w / 4, cr_ui_px(ui, 120)));
    bar_draw(&m->bar, ui);
    struct cr_rect tr = m->bar.track;
    if (tr.w <= 0)
        return;
    cr_draw_rounded(ui->r, tr, tr.h / 2, CR_C_BUTTON);
    struct cr_rect done = tr;
    done.w = (int)(tr.w * CR_MIN(CR_MAX(m->st.position, 0.0), 1.0));
    if (done.w > 0)
        cr_draw_rounded(ui->r, done, tr.h / 2, CR_C_ACCENT);
}

static const char *media_hit(struct cr_board_tile *t, int x, int y, bool press)
{
    struct media_tile *m = t->data;
    if (m->bar.track.w > 0 && cr_rect_contains(m->bar.track, x, y) && m->st.seekable) {
        double f = (double)(x - m->bar.track.x) / m->bar.track.w;
        int i = cr_board_find_data(&m->app->board.board, m);
        snprintf(m->seek_action, sizeof(m->seek_action), "board tile %d seek %.3f", i + 1, f);
        return m->seek_action;
    }
    return bar_hit(&m->bar, x, y, press);
}

static size_t media_buttons(struct cr_board_tile *t, const struct cr_button **out, size_t max)
{
    return bar_buttons(&((struct media_tile *)t->data)->bar, out, max);
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
    else {
        *error =
            g_strdup("usage: board tile N play|pause|toggle|seek 0..1|back|forward|volume up|down");
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
    .buttons = media_buttons,
    .input = media_input,
    .command = media_command,
    .add_state = media_state,
    .update = media_update,
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
    bar_add(&m->bar, "toggle", "play", N_("Play"));
    bar_add(&m->bar, "back", "back", N_("−10 s"));
    bar_add(&m->bar, "forward", "forward", N_("+10 s"));
    bar_add(&m->bar, "volume down", NULL, N_("Vol. −"));
    bar_add(&m->bar, "volume up", NULL, N_("Vol. +"));
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
    struct bar bar;
    char *source;
    bool ent;
    int asked_page, asked_width; /* the render last asked for */
    int shown_page;
};

enum { DOC_PREV, DOC_NEXT, DOC_ZOOM_IN, DOC_ZOOM_OUT };

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
    bar_actions(&d->bar, cr_board_find_data(&d->app->board.board, d));
    d->bar.b[DOC_PREV].enabled = d->view.page > 0;
    d->bar.b[DOC_NEXT].enabled = d->view.page + 1 < d->view.n_pages;
    d->bar.b[DOC_ZOOM_OUT].enabled = d->tile.view.zoom > 1.01f;
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
    bar_layout(&d->bar, ui, rect, 0);
    bar_draw(&d->bar, ui);
    /* TRANSLATORS: the page shown of a document: "Page 2 / 5" */
    char *text = g_strdup_printf(_("Page %d / %d"), d->view.page + 1, d->view.n_pages);
    int px = cr_ui_px(ui, CR_FONT_BODY);
    struct cr_button *last = &d->bar.b[d->bar.n - 1];
    cr_text_draw(&ui->text, ui->r, text, px, true, CR_C_TEXT, last->rect.x + last->rect.w + px,
                 rect.y + (rect.h - px * 4 / 3) / 2, CR_ALIGN_LEFT, 0);
    g_free(text);
}

static const char *doc_hit(struct cr_board_tile *t, int x, int y, bool press)
{
    return bar_hit(&((struct doc_tile *)t->data)->bar, x, y, press);
}

static size_t doc_buttons(struct cr_board_tile *t, const struct cr_button **out, size_t max)
{
    return bar_buttons(&((struct doc_tile *)t->data)->bar, out, max);
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
    } else {
        *error = g_strdup("usage: board tile N next|prev|page P|zoom in|out");
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
    bar_add(&d->bar, "prev", "back", N_("Previous page"));
    bar_add(&d->bar, "next", "forward", N_("Next page"));
    bar_add(&d->bar, "zoom in", "zoom-in", N_("Zoom in"));
    bar_add(&d->bar, "zoom out", "zoom-out", N_("Zoom out"));
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
