#include "display/ui/cast_wall.h"

#include <glib.h>
#include <qrencode.h>
#include <stdio.h>

#include "common/i18n.h"
#include "common/util.h"

#define STRIP_H 184 /* design px: the waiting strip */
#define CARD_BUTTON_W 150
#define THUMB_W 256
#define THUMB_H 144
#define WALL_GAP 10

static const struct {
    const char *action, *icon, *label;
} button_table[CR_WALL_BUTTONS] = {
    [CR_WALL_NEW_CODE] = {"cast new-code", "rotate", N_("New code")},
    [CR_WALL_STOP_ALL] = {"cast stop-all", "close", N_("Stop all")},
    [CR_WALL_FREEZE] = {NULL, "freeze", N_("Freeze")},
    [CR_WALL_REMOVE] = {NULL, "close", N_("Remove")},
    [CR_WALL_UNFOCUS] = {"cast unfocus", "back", N_("All screens")},
};

void cr_cast_wall_init(struct cr_cast_wall *w, const struct cr_frame_slot_callbacks *frame_cbs,
                       cr_cast_wall_size_fn request_size, void *userdata)
{
    memset(w, 0, sizeof(*w));
    for (int i = 0; i < CR_CAST_MAX_SENDERS; i++)
        cr_tile_init(&w->tiles[i], CR_TILE_CAST, frame_cbs, &w->tiles[i]);
    for (int i = 0; i < CR_WALL_BUTTONS; i++)
        w->buttons[i] = (struct cr_button){.action = button_table[i].action,
                                           .icon = button_table[i].icon,
                                           .label = button_table[i].label};
    w->buttons[CR_WALL_FREEZE].action = w->freeze_action;
    w->buttons[CR_WALL_REMOVE].action = w->remove_action;
    for (int i = 0; i < CR_CAST_WALL_CARDS; i++) {
        w->cards[i][0] = (struct cr_button){
            .action = w->card_actions[i][0], .label = N_("Show"), .color = CR_C_TABLETS};
        w->cards[i][1] = (struct cr_button){.action = w->card_actions[i][1], .label = N_("Refuse")};
    }
    w->request_size = request_size;
    w->userdata = userdata;
}

void cr_cast_wall_destroy(struct cr_cast_wall *w)
{
    for (int i = 0; i < CR_CAST_MAX_SENDERS; i++)
        cr_tile_destroy(&w->tiles[i]);
    cr_cast_status_free(w->status);
    w->status = NULL;
    if (w->qr)
        SDL_DestroyTexture(w->qr);
    g_free(w->qr_text);
}

void cr_cast_wall_slots(struct cr_cast_wall *w, struct cr_frame_slot **out)
{
    for (int i = 0; i < CR_CAST_MAX_SENDERS; i++)
        out[i] = &w->tiles[i].slot;
}

const struct cr_cast_sender_info *cr_cast_wall_sender(const struct cr_cast_wall *w, unsigned id)
{
    for (size_t i = 0; w->status && i < w->status->n_senders; i++)
        if (w->status->senders[i].id == id)
            return &w->status->senders[i];
    return NULL;
}

struct cr_tile *cr_cast_wall_tile(struct cr_cast_wall *w, unsigned id)
{
    const struct cr_cast_sender_info *s = cr_cast_wall_sender(w, id);
    return s && s->slot < CR_CAST_MAX_SENDERS ? &w->tiles[s->slot] : NULL;
}

size_t cr_cast_wall_n_live(const struct cr_cast_wall *w)
{
    size_t n = 0;
    for (size_t i = 0; w->status && i < w->status->n_senders; i++)
        n += w->status->senders[i].approved;
    return n;
}

bool cr_cast_wall_set_status(struct cr_cast_wall *w, struct cr_cast_status *st)
{
    bool was_locked = w->status && w->status->locked_until_us;
    bool used[CR_CAST_MAX_SENDERS] = {false};
    for (size_t i = 0; i < st->n_senders; i++) {
        const struct cr_cast_sender_info *s = &st->senders[i];
        if (s->slot >= CR_CAST_MAX_SENDERS)
            continue;
        struct cr_cast_wall_slot *sl = &w->slots[s->slot];
        used[s->slot] = true;
        if (sl->sender_id != s->id || sl->generation != s->generation) {
            /* Another pupil in this slot: nothing of the previous one stays. */
            cr_tile_clear(&w->tiles[s->slot]);
            cr_tile_set_frozen(&w->tiles[s->slot], false);
            cr_tile_reset_view(&w->tiles[s->slot]);
            *sl = (struct cr_cast_wall_slot){.sender_id = s->id, .generation = s->generation};
        }
    }
    for (int i = 0; i < CR_CAST_MAX_SENDERS; i++) {
        if (!used[i] && w->slots[i].sender_id) {
            cr_tile_clear(&w->tiles[i]);
            cr_tile_set_frozen(&w->tiles[i], false);
            w->slots[i] = (struct cr_cast_wall_slot){0};
        }
    }
    cr_cast_status_free(w->status);
    w->status = st;
    if (w->focused && !cr_cast_wall_sender(w, w->focused))
        w->focused = 0;
    return !was_locked && st->locked_until_us;
}

/* --- drawing ------------------------------------------------------------- */

static void update_qr(struct cr_cast_wall *w, SDL_Renderer *r)
{
    const char *url = w->status ? w->status->url : NULL;
    if (!url)
        return;
    char *text = g_strdup_printf("%s#code=%s", url, w->status->code ? w->status->code : "");
    if (w->qr && !g_strcmp0(text, w->qr_text)) {
        g_free(text);
        return;
    }
    if (w->qr)
        SDL_DestroyTexture(w->qr);
    w->qr = NULL;
    g_free(w->qr_text);
    w->qr_text = text;
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return;
    int quiet = 2, n = qr->width + 2 * quiet;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, n, n, 32, SDL_PIXELFORMAT_ARGB8888);
    if (s) {
        SDL_FillRect(s, NULL, 0xffffffff);
        for (int y = 0; y < qr->width; y++)
            for (int x = 0; x < qr->width; x++)
                if (qr->data[y * qr->width + x] & 1)
                    ((Uint32 *)((Uint8 *)s->pixels + (y + quiet) * s->pitch))[x + quiet] =
                        0xff000000;
        w->qr = SDL_CreateTextureFromSurface(r, s);
        if (w->qr)
            SDL_SetTextureScaleMode(w->qr, SDL_ScaleModeNearest);
        w->qr_size = n;
        SDL_FreeSurface(s);
    }
    QRcode_free(qr);
}

static void draw_pill(struct cr_ui *ui, int x, int y, const char *icon, const char *text, int px,
                      struct cr_color bg, struct cr_color fg, int max_w)
{
    int pad = px / 2, icon_px = icon ? px * 5 / 4 : 0;
    int tw, th;
    cr_text_size(&ui->text, text, px, true, &tw, &th);
    int inner = CR_MIN(tw, max_w > 0 ? max_w - 2 * pad - (icon ? icon_px + pad / 2 : 0) : tw);
    int wd = pad * 2 + inner + (icon ? icon_px + pad / 2 : 0), h = th + pad / 2;
    cr_draw_rounded(ui->r, (struct cr_rect){x, y, wd, h}, h / 2, bg);
    if (icon)
        cr_icons_draw(&ui->icons, ui->r, icon, x + pad + icon_px / 2, y + h / 2, icon_px, fg);
    cr_text_draw(&ui->text, ui->r, text, px, true, fg, x + pad + (icon ? icon_px + pad / 2 : 0),
                 y + pad / 4, CR_ALIGN_LEFT, inner);
}

static char *spaced_code(const char *code)
{
    GString *s = g_string_new(NULL);
    for (const char *p = code ? code : ""; *p; p++) {
        if (s->len)
            g_string_append_c(s, ' ');
        g_string_append_c(s, *p);
    }
    return g_string_free(s, FALSE);
}

/* How to join, big enough to read from the back of the room. */
static void draw_join(struct cr_cast_wall *w, struct cr_ui *ui, struct cr_rect area)
{
    const struct cr_cast_status *st = w->status;
    int m = cr_ui_px(ui, 64);
    int qr_side = CR_MIN(area.h - 2 * m, cr_ui_px(ui, 560));
    int text_w = area.w - 3 * m - qr_side;
    int x = area.x + m, y = area.y + m;
    if (!st || !st->running) {
        cr_text_draw(&ui->text, ui->r, _("Casting is not available"), cr_ui_px(ui, CR_FONT_TITLE),
                     true, CR_C_TEXT, area.x + area.w / 2, area.y + area.h / 2 - cr_ui_px(ui, 40),
                     CR_ALIGN_CENTER, area.w - 2 * m);
        cr_text_draw(&ui->text, ui->r, _("Ask the technician to check the casting settings."),
                     cr_ui_px(ui, CR_FONT_BODY), false, CR_C_TEXT_DIM, area.x + area.w / 2,
                     area.y + area.h / 2 + cr_ui_px(ui, 40), CR_ALIGN_CENTER, area.w - 2 * m);
        return;
    }
    cr_text_draw(&ui->text, ui->r, _("Show your screen on the board"), cr_ui_px(ui, 60), true,
                 CR_C_TEXT, x, y, CR_ALIGN_LEFT, text_w);
    y += cr_ui_px(ui, 110);
    cr_text_draw(&ui->text, ui->r, _("1. On your tablet or computer, open:"), cr_ui_px(ui, 38),
                 false, CR_C_TEXT_DIM, x, y, CR_ALIGN_LEFT, text_w);
    y += cr_ui_px(ui, 56);
    cr_text_draw(&ui->text, ui->r, st->url, cr_ui_px(ui, 58), true, CR_C_ACCENT, x, y,
                 CR_ALIGN_LEFT, text_w);
    y += cr_ui_px(ui, 80);
    if (st->mdns_url) {
        char *alt = g_strdup_printf(_("or %s"), st->mdns_url);
        cr_text_draw(&ui->text, ui->r, alt, cr_ui_px(ui, 32), false, CR_C_TEXT_DIM, x, y,
                     CR_ALIGN_LEFT, text_w);
        g_free(alt);
        y += cr_ui_px(ui, 64);
    }
    cr_text_draw(&ui->text, ui->r, _("2. Type this code and your first name:"), cr_ui_px(ui, 38),
                 false, CR_C_TEXT_DIM, x, y, CR_ALIGN_LEFT, text_w);
    y += cr_ui_px(ui, 52);
    char *code = spaced_code(st->code);
    cr_text_draw(&ui->text, ui->r, code, cr_ui_px(ui, 150), true, CR_C_TEXT, x, y, CR_ALIGN_LEFT,
                 text_w);
    g_free(code);
    y += cr_ui_px(ui, 200);
    cr_text_draw(&ui->text, ui->r, _("3. Tap “Share my screen”, then wait for the teacher."),
                 cr_ui_px(ui, 38), false, CR_C_TEXT_DIM, x, y, CR_ALIGN_LEFT, text_w);

    update_qr(w, ui->r);
    struct cr_rect q = {area.x + area.w - m - qr_side, area.y + (area.h - qr_side) / 2, qr_side,
                        qr_side};
    cr_draw_rounded(ui->r, cr_rect_inset(q, -cr_ui_px(ui, 16)), cr_ui_px(ui, 24), CR_RGB(0xffffff));
    if (w->qr)
        SDL_RenderCopy(ui->r, w->qr, NULL, &(SDL_Rect){q.x, q.y, q.w, q.h});
}

static void request(struct cr_cast_wall *w, const struct cr_cast_sender_info *s, struct cr_rect r,
                    bool live)
{
    struct cr_cast_wall_slot *sl = &w->slots[s->slot];
    if (sl->req_w == r.w && sl->req_h == r.h && sl->req_live == live)
        return;
    sl->req_w = r.w;
    sl->req_h = r.h;
    sl->req_live = live;
    if (w->request_size)
        w->request_size(w->userdata, s->id, r.w, r.h, live);
}

/* A stalled stream never shows as if it were live. */
static void draw_waiting_veil(struct cr_ui *ui, struct cr_rect cell, bool big)
{
    cr_draw_rect(ui->r, cell, CR_RGBA(0x020617, 205));
    int px = cr_ui_px(ui, big ? 48 : 30);
    int icon = px * 2;
    cr_icons_draw(&ui->icons, ui->r, "warning", cell.x + cell.w / 2, cell.y + cell.h / 2 - icon / 2,
                  icon, CR_C_ACCENT);
    cr_text_draw(&ui->text, ui->r, _("Waiting for the picture…"), px, true, CR_C_TEXT,
                 cell.x + cell.w / 2, cell.y + cell.h / 2 + px / 2, CR_ALIGN_CENTER,
                 cell.w - cr_ui_px(ui, 16));
}

static void draw_shown(struct cr_cast_wall *w, struct cr_ui *ui,
                       const struct cr_cast_sender_info *s, struct cr_rect cell, bool big)
{
    struct cr_tile *t = &w->tiles[s->slot];
    cr_draw_rect(ui->r, cell, CR_RGB(0x000000));
    bool image = cr_tile_has_image(t);
    if (image)
        cr_tile_draw(t, ui->r, cell);
    else
        t->rect = t->image_rect = cell;
    if (!t->frozen && (s->state == CR_CAST_STALLED || !image))
        draw_waiting_veil(ui, cell, big);
    /* The name on the picture itself, bottom left, as on a video call. */
    struct cr_rect img = image ? t->image_rect : cell;
    int m = cr_ui_px(ui, 12), px = cr_ui_px(ui, big ? 40 : 30);
    draw_pill(ui, img.x + m, img.y + img.h - m - px * 3 / 2, NULL, s->name, px,
              CR_RGBA(0x020617, 210), CR_C_TEXT, img.w - 2 * m);
    if (t->frozen)
        draw_pill(ui, img.x + m, img.y + m, "freeze", _("Frozen"), px, CR_C_ACCENT,
                  CR_RGB(0x1e293b), img.w - 2 * m);
    w->slots[s->slot].shown = true;
    w->slots[s->slot].cell = cell;
}

static void draw_wall(struct cr_cast_wall *w, struct cr_ui *ui, struct cr_rect area)
{
    const struct cr_cast_status *st = w->status;
    const struct cr_cast_sender_info *shown[CR_CAST_MAX_LIVE];
    size_t n = 0;
    for (size_t i = 0; i < st->n_senders && n < CR_CAST_MAX_LIVE; i++)
        if (st->senders[i].approved && (!w->focused || st->senders[i].id == w->focused))
            shown[n++] = &st->senders[i];
    struct cr_rect cells[CR_CAST_MAX_LIVE];
    size_t nc = cr_layout_compute(cr_layout_for_count(n), area, n, 0, cr_ui_px(ui, WALL_GAP), cells,
                                  CR_CAST_MAX_LIVE);
    for (size_t i = 0; i < nc; i++) {
        draw_shown(w, ui, shown[i], cells[i], n == 1);
        request(w, shown[i], cells[i], true);
    }
}

static void draw_strip(struct cr_cast_wall *w, struct cr_ui *ui, struct cr_rect strip)
{
    const struct cr_cast_status *st = w->status;
    cr_draw_rect(ui->r, strip, CR_C_PANEL);
    int m = cr_ui_px(ui, 20), gap = cr_ui_px(ui, 12);
    int thumb_w = cr_ui_px(ui, THUMB_W), thumb_h = cr_ui_px(ui, THUMB_H);
    int bw = cr_ui_px(ui, CARD_BUTTON_W), card_w = thumb_w + gap + bw;
    size_t waiting = 0;
    for (size_t i = 0; i < st->n_senders; i++)
        waiting += !st->senders[i].approved;
    int title_w = cr_ui_px(ui, 230);
    cr_text_draw(&ui->text, ui->r, _("Waiting"), cr_ui_px(ui, 40), true, CR_C_TEXT, strip.x + m,
                 strip.y + m, CR_ALIGN_LEFT, title_w - m);
    char *count = g_strdup_printf(g_dngettext(NULL, "%zu pupil", "%zu pupils", waiting), waiting);
    cr_text_draw(&ui->text, ui->r, count, cr_ui_px(ui, 30), false, CR_C_TEXT_DIM, strip.x + m,
                 strip.y + m + cr_ui_px(ui, 56), CR_ALIGN_LEFT, title_w - m);
    g_free(count);

    size_t fit = (size_t)CR_MAX((strip.w - title_w - m) / (card_w + 3 * gap), 0);
    fit = CR_MIN(fit, (size_t)CR_CAST_WALL_CARDS);
    size_t k = 0;
    int x = strip.x + title_w;
    for (size_t i = 0; i < st->n_senders; i++) {
        const struct cr_cast_sender_info *s = &st->senders[i];
        if (s->approved)
            continue;
        if (k == fit) {
            char *more = g_strdup_printf("+%zu", waiting - fit);
            cr_text_draw(&ui->text, ui->r, more, cr_ui_px(ui, 48), true, CR_C_TEXT, x,
                         strip.y + strip.h / 2 - cr_ui_px(ui, 30), CR_ALIGN_LEFT, 0);
            g_free(more);
            break;
        }
        struct cr_rect thumb = {x, strip.y + (strip.h - thumb_h) / 2, thumb_w, thumb_h};
        cr_draw_rect(ui->r, thumb, CR_RGB(0x000000));
        struct cr_tile *t = &w->tiles[s->slot];
        if (cr_tile_has_image(t))
            cr_tile_draw(t, ui->r, thumb);
        else
            cr_text_draw(&ui->text, ui->r, _("Connecting…"), cr_ui_px(ui, 26), false, CR_C_TEXT_DIM,
                         thumb.x + thumb.w / 2, thumb.y + thumb.h / 2 - cr_ui_px(ui, 16),
                         CR_ALIGN_CENTER, thumb.w);
        w->slots[s->slot].shown = true;
        w->slots[s->slot].cell = thumb;
        request(w, s, thumb, false);
        int px = cr_ui_px(ui, 28), pm = cr_ui_px(ui, 8);
        draw_pill(ui, thumb.x + pm, thumb.y + thumb.h - pm - px * 3 / 2, NULL, s->name, px,
                  CR_RGBA(0x020617, 210), CR_C_TEXT, thumb.w - 2 * pm);
        int bh = (thumb_h - gap) / 2, bx = thumb.x + thumb_w + gap;
        snprintf(w->card_actions[k][0], sizeof(w->card_actions[k][0]), "cast approve %u", s->id);
        snprintf(w->card_actions[k][1], sizeof(w->card_actions[k][1]), "cast deny %u", s->id);
        w->cards[k][0].rect = (struct cr_rect){bx, thumb.y, bw, bh};
        w->cards[k][1].rect = (struct cr_rect){bx, thumb.y + bh + gap, bw, bh};
        for (int b = 0; b < 2; b++) {
            w->cards[k][b].visible = w->cards[k][b].enabled = true;
            cr_button_draw(ui, &w->cards[k][b]);
        }
        x += card_w + 3 * gap;
        k++;
    }
    for (; k < CR_CAST_WALL_CARDS; k++)
        w->cards[k][0].visible = w->cards[k][1].visible = false;
}

static void draw_bar(struct cr_cast_wall *w, struct cr_ui *ui)
{
    const struct cr_cast_status *st = w->status;
    struct cr_rect bar = cr_ui_bar_rect(ui), home = cr_ui_home_rect(ui);
    bool running = st && st->running;
    bool live = cr_cast_wall_n_live(w) > 0;
    const struct cr_cast_sender_info *f = w->focused ? cr_cast_wall_sender(w, w->focused) : NULL;
    struct cr_tile *ft = f ? &w->tiles[f->slot] : NULL;

    w->buttons[CR_WALL_NEW_CODE].visible = running;
    w->buttons[CR_WALL_STOP_ALL].visible = running && st->n_senders > 0;
    w->buttons[CR_WALL_FREEZE].visible = f != NULL;
    w->buttons[CR_WALL_REMOVE].visible = f != NULL;
    w->buttons[CR_WALL_UNFOCUS].visible = f != NULL;
    for (int i = 0; i < CR_WALL_BUTTONS; i++)
        w->buttons[i].enabled = true;
    if (f) {
        snprintf(w->freeze_action, sizeof(w->freeze_action), "cast freeze %u", f->id);
        snprintf(w->remove_action, sizeof(w->remove_action), "cast remove %u", f->id);
        w->buttons[CR_WALL_FREEZE].label = ft->frozen ? N_("Resume") : N_("Freeze");
        w->buttons[CR_WALL_FREEZE].icon = ft->frozen ? "play" : "freeze";
        w->buttons[CR_WALL_FREEZE].active = ft->frozen;
    }

    /* The code stays in sight while screens are shown, for latecomers. */
    int x = home.x + home.w + cr_ui_px(ui, 40);
    int info_w = 0;
    if (running && live) {
        char *code = spaced_code(st->code);
        char *line = g_strdup_printf(_("Code %s"), code);
        int px = cr_ui_px(ui, 44);
        cr_text_draw(&ui->text, ui->r, line, px, true, CR_C_TEXT, x, bar.y + cr_ui_px(ui, 18),
                     CR_ALIGN_LEFT, 0);
        cr_text_draw(&ui->text, ui->r, st->url, cr_ui_px(ui, 28), false, CR_C_TEXT_DIM, x,
                     bar.y + cr_ui_px(ui, 78), CR_ALIGN_LEFT, cr_ui_px(ui, 520));
        info_w = cr_ui_px(ui, 560);
        g_free(code);
        g_free(line);
    }
    struct cr_rect row = {x + info_w, home.y, bar.w - (x + info_w) - home.x, home.h};
    cr_buttons_layout_row(w->buttons, CR_WALL_BUTTONS, row, cr_ui_px(ui, 190), cr_ui_px(ui, 12));
    for (int i = 0; i < CR_WALL_BUTTONS; i++)
        cr_button_draw(ui, &w->buttons[i]);
}

void cr_cast_wall_draw(struct cr_cast_wall *w, struct cr_ui *ui)
{
    struct cr_rect content = cr_ui_content_rect(ui);
    cr_draw_rect(ui->r, content, CR_C_BG);
    for (int i = 0; i < CR_CAST_MAX_SENDERS; i++)
        w->slots[i].shown = false;
    const struct cr_cast_status *st = w->status;
    size_t waiting = 0;
    for (size_t i = 0; st && i < st->n_senders; i++)
        waiting += !st->senders[i].approved;

    struct cr_rect area = content;
    if (waiting) {
        int h = cr_ui_px(ui, STRIP_H);
        area.h -= h;
        draw_strip(w, ui, (struct cr_rect){content.x, content.y + content.h - h, content.w, h});
    } else {
        for (int k = 0; k < CR_CAST_WALL_CARDS; k++)
            w->cards[k][0].visible = w->cards[k][1].visible = false;
    }
    if (st && cr_cast_wall_n_live(w) > 0)
        draw_wall(w, ui, area);
    else
        draw_join(w, ui, area);

    /* Senders not drawn (hidden by a focus): a small, slow stream is enough. */
    for (size_t i = 0; st && i < st->n_senders; i++) {
        const struct cr_cast_sender_info *s = &st->senders[i];
        if (!w->slots[s->slot].shown)
            request(w, s, (struct cr_rect){0, 0, cr_ui_px(ui, THUMB_W), cr_ui_px(ui, THUMB_H)},
                    false);
    }
    if (st && st->locked_until_us) {
        int64_t left = (st->locked_until_us - ui->now_us) / G_USEC_PER_SEC;
        char *text = g_strdup_printf(_("Too many wrong codes: nobody can join for %d min."),
                                     (int)CR_MAX((left + 59) / 60, 1));
        draw_pill(ui, content.x + cr_ui_px(ui, 24), content.y + cr_ui_px(ui, 24), "warning", text,
                  cr_ui_px(ui, 36), CR_C_WARN, CR_C_TEXT, content.w - cr_ui_px(ui, 48));
        g_free(text);
    }
    draw_bar(w, ui);
}

/* --- input --------------------------------------------------------------- */

const char *cr_cast_wall_hit(struct cr_cast_wall *w, int x, int y)
{
    const char *action = NULL;
    int i = cr_buttons_hit(w->buttons, CR_WALL_BUTTONS, x, y);
    if (i >= 0)
        action = w->buttons[i].action;
    for (int k = 0; !action && k < CR_CAST_WALL_CARDS; k++) {
        int b = cr_buttons_hit(w->cards[k], 2, x, y);
        if (b >= 0)
            action = w->cards[k][b].action;
    }
    for (size_t s = 0; !action && w->status && s < w->status->n_senders; s++) {
        const struct cr_cast_sender_info *info = &w->status->senders[s];
        const struct cr_cast_wall_slot *sl = &w->slots[info->slot];
        if (info->approved && sl->shown && cr_rect_contains(sl->cell, x, y)) {
            if (w->focused == info->id)
                snprintf(w->focus_action, sizeof(w->focus_action), "cast unfocus");
            else
                snprintf(w->focus_action, sizeof(w->focus_action), "cast focus %u", info->id);
            action = w->focus_action;
        }
    }
    cr_buttons_set_pressed(w->buttons, CR_WALL_BUTTONS, -1);
    for (int k = 0; k < CR_CAST_WALL_CARDS; k++)
        cr_buttons_set_pressed(w->cards[k], 2, -1);
    return action;
}

bool cr_cast_wall_press(struct cr_cast_wall *w, int x, int y)
{
    int i = cr_buttons_hit(w->buttons, CR_WALL_BUTTONS, x, y);
    cr_buttons_set_pressed(w->buttons, CR_WALL_BUTTONS, i);
    bool any = i >= 0;
    for (int k = 0; k < CR_CAST_WALL_CARDS; k++) {
        int b = cr_buttons_hit(w->cards[k], 2, x, y);
        cr_buttons_set_pressed(w->cards[k], 2, b);
        any |= b >= 0;
    }
    return any;
}

size_t cr_cast_wall_buttons(struct cr_cast_wall *w, const struct cr_button **out, size_t max)
{
    size_t n = 0;
    for (int i = 0; i < CR_WALL_BUTTONS && n < max; i++)
        if (w->buttons[i].visible)
            out[n++] = &w->buttons[i];
    for (int k = 0; k < CR_CAST_WALL_CARDS; k++)
        for (int b = 0; b < 2 && n < max; b++)
            if (w->cards[k][b].visible)
                out[n++] = &w->cards[k][b];
    return n;
}
