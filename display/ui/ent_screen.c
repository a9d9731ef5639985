#include "display/ui/ent_screen.h"

#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"
#include "ent-client/qr.h"

#define C_SIGNOUT CR_RGB(0xb91c1c)
#define C_QR_DARK CR_RGB(0x000000)
#define C_QR_LIGHT CR_RGB(0xffffff)

static const struct {
    const char *action, *icon, *label;
} button_table[CR_ENT_BUTTONS] = {
    [CR_ENT_BTN_SIGNIN] = {"ent signin", "ent", N_("Sign in")},
    [CR_ENT_BTN_PASSWORD] = {"ent signin password", "keyboard", N_("Type my password")},
    [CR_ENT_BTN_CANCEL] = {"ent cancel", "close", N_("Cancel")},
    [CR_ENT_BTN_PREV] = {"ent page prev", "back", N_("Previous")},
    [CR_ENT_BTN_NEXT] = {"ent page next", "forward", N_("Next")},
    [CR_ENT_BTN_ROOT] = {"ent folder root", "folder", N_("All documents")},
    [CR_ENT_BTN_SIGNOUT] = {"ent signout", "signout", N_("Sign out")},
    [CR_ENT_BTN_STAY] = {"ent stay", NULL, N_("I am here")},
};

void cr_ent_screen_init(struct cr_ent_screen *s, bool configured)
{
    memset(s, 0, sizeof(*s));
    s->configured = configured;
    for (int i = 0; i < CR_ENT_BUTTONS; i++)
        s->buttons[i] = (struct cr_button){.action = button_table[i].action,
                                           .icon = button_table[i].icon,
                                           .label = button_table[i].label,
                                           .enabled = true};
    s->buttons[CR_ENT_BTN_SIGNOUT].color = C_SIGNOUT;
    s->buttons[CR_ENT_BTN_SIGNIN].color = CR_C_ENT;
    cr_keyboard_init(&s->keyboard);
    s->thumbs =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)SDL_DestroyTexture);
}

void cr_ent_screen_set_thumbnail(struct cr_ent_screen *s, struct cr_ui *ui, const char *icon_url,
                                 SDL_Surface *picture)
{
    SDL_Texture *t = SDL_CreateTextureFromSurface(ui->r, picture);
    if (t)
        g_hash_table_replace(s->thumbs, g_strdup(icon_url), t);
}

void cr_ent_screen_forget_thumbnails(struct cr_ent_screen *s)
{
    g_hash_table_remove_all(s->thumbs);
}

void cr_ent_screen_clear_form(struct cr_ent_screen *s)
{
    explicit_bzero(s->user, sizeof(s->user));
    explicit_bzero(s->password, sizeof(s->password));
    s->user_len = s->password_len = 0;
    s->focus_password = false;
    cr_keyboard_reset(&s->keyboard);
}

void cr_ent_screen_destroy(struct cr_ent_screen *s)
{
    cr_ent_screen_clear_form(s);
    g_hash_table_destroy(s->thumbs);
}

static enum cr_ent_state state_of(const struct cr_ent_screen *s)
{
    return s->view ? s->view->state : CR_ENT_SIGNED_OUT;
}

void cr_ent_screen_set_view(struct cr_ent_screen *s, const struct cr_ent_view *view)
{
    enum cr_ent_state before = state_of(s);
    const char *folder = s->view ? s->view->folder_id : NULL;
    if (!view || !s->view || g_strcmp0(folder, view->folder_id) || view->state != before)
        s->page = 0; /* another folder, or signed in again: from the first page */
    s->view = view;
    if (before == CR_ENT_ASK_PASSWORD && state_of(s) != CR_ENT_ASK_PASSWORD)
        cr_ent_screen_clear_form(s);
}

bool cr_ent_screen_curtain(const struct cr_ent_screen *s)
{
    return state_of(s) == CR_ENT_ASK_PASSWORD;
}

/* --- pieces ------------------------------------------------------------- */

static void text(struct cr_ui *ui, const char *str, float px, bool bold, struct cr_color c, int x,
                 int y, enum cr_align align, int max_w)
{
    cr_text_draw(&ui->text, ui->r, str, cr_ui_px(ui, px), bold, c, x, y, align, max_w);
}

static int wrapped(struct cr_ui *ui, const char *str, float px, bool bold, struct cr_color c,
                   struct cr_rect box, enum cr_align align)
{
    return cr_text_draw_wrapped(&ui->text, ui->r, str, cr_ui_px(ui, px), bold, c, box, align);
}

/* The QR code: dark modules on white, a quiet zone of 4 modules, as large
 * as side allows with whole pixels per module (crisp on a projector). */
static void draw_qr(struct cr_ui *ui, const char *content, struct cr_rect box)
{
    struct cr_qr *qr = content ? cr_qr_new(content) : NULL;
    if (!qr)
        return;
    int total = qr->width + 8;
    int m = CR_MAX(1, CR_MIN(box.w, box.h) / total);
    int side = m * total;
    struct cr_rect area = {box.x + (box.w - side) / 2, box.y + (box.h - side) / 2, side, side};
    cr_draw_rect(ui->r, area, C_QR_LIGHT);
    for (int y = 0; y < qr->width; y++) {
        for (int x = 0; x < qr->width; x++) {
            if (qr->modules[y * qr->width + x])
                cr_draw_rect(ui->r,
                             (struct cr_rect){area.x + (x + 4) * m, area.y + (y + 4) * m, m, m},
                             C_QR_DARK);
        }
    }
    cr_qr_free(qr);
}

static void layout_bar(struct cr_ent_screen *s, struct cr_ui *ui)
{
    struct cr_rect bar = cr_ui_bar_rect(ui), home = cr_ui_home_rect(ui);
    int gap = cr_ui_px(ui, 20), w = cr_ui_px(ui, 240);
    int left = home.x + home.w + cr_ui_px(ui, 28);
    /* the sign-out button: big, at the far right */
    struct cr_rect out = {bar.w - home.x - cr_ui_px(ui, 360), home.y, cr_ui_px(ui, 360), home.h};
    s->buttons[CR_ENT_BTN_SIGNOUT].rect = out;
    struct cr_rect row = {left, home.y, out.x - gap - left, home.h};
    struct cr_button *middle[] = {&s->buttons[CR_ENT_BTN_PASSWORD], &s->buttons[CR_ENT_BTN_CANCEL],
                                  &s->buttons[CR_ENT_BTN_PREV], &s->buttons[CR_ENT_BTN_NEXT],
                                  &s->buttons[CR_ENT_BTN_ROOT]};
    int x = row.x;
    for (size_t i = 0; i < CR_ARRAY_SIZE(middle); i++) {
        if (!middle[i]->visible)
            continue;
        int bw = middle[i] == &s->buttons[CR_ENT_BTN_PASSWORD] ? w * 3 / 2 : w;
        middle[i]->rect = (struct cr_rect){x, row.y, bw, row.h};
        x += bw + gap;
    }
}

static void draw_bar_buttons(struct cr_ent_screen *s, struct cr_ui *ui)
{
    for (int i = 0; i < CR_ENT_BUTTONS; i++)
        if (i != CR_ENT_BTN_SIGNIN && i != CR_ENT_BTN_STAY)
            cr_button_draw(ui, &s->buttons[i]);
}

/* --- states ------------------------------------------------------------- */

static void draw_signed_out(struct cr_ent_screen *s, struct cr_ui *ui, struct cr_rect content)
{
    int cx = content.w / 2, margin = cr_ui_px(ui, 160);
    struct cr_rect box = {margin, cr_ui_px(ui, 330), content.w - 2 * margin, cr_ui_px(ui, 300)};
    cr_icons_draw(&ui->icons, ui->r, "ent", cx, cr_ui_px(ui, 150), cr_ui_px(ui, 170), CR_C_TEXT);
    if (!s->configured) {
        text(ui, _("No ENT is configured on this board"), CR_FONT_TITLE, true, CR_C_TEXT, cx,
             cr_ui_px(ui, 250), CR_ALIGN_CENTER, box.w);
        wrapped(ui,
                _("Ask your technician: the ENT is set in /etc/craie/craie.conf, section [ent] "
                  "(kind = entcore, oidc or cas, and url = the ENT's address). See "
                  "doc/ent.md."),
                CR_FONT_BODY, false, CR_C_TEXT_DIM, box, CR_ALIGN_CENTER);
        return;
    }
    text(ui, _("Sign in to your ENT"), CR_FONT_TITLE, true, CR_C_TEXT, cx, cr_ui_px(ui, 250),
         CR_ALIGN_CENTER, box.w);
    const char *msg = s->view && s->view->message
                          ? s->view->message
                          : _("With your phone: scan the code that will be shown, approve, and "
                              "your resources appear here.");
    int h = wrapped(ui, msg, CR_FONT_BODY, false, CR_C_TEXT_DIM, box, CR_ALIGN_CENTER);
    struct cr_button *b = &s->buttons[CR_ENT_BTN_SIGNIN];
    b->visible = true;
    int bw = cr_ui_px(ui, 460), bh = cr_ui_px(ui, 150);
    b->rect = (struct cr_rect){cx - bw / 2, box.y + h + cr_ui_px(ui, 60), bw, bh};
    cr_button_draw(ui, b);
}

static void draw_busy(struct cr_ui *ui, struct cr_rect content, const char *what)
{
    text(ui, what, CR_FONT_TITLE, true, CR_C_TEXT, content.w / 2, content.h / 2 - cr_ui_px(ui, 40),
         CR_ALIGN_CENTER, content.w - cr_ui_px(ui, 200));
}

static void draw_code(struct cr_ent_screen *s, struct cr_ui *ui, struct cr_rect content)
{
    const struct cr_ent_view *v = s->view;
    int margin = cr_ui_px(ui, 56);
    int side = content.h - 2 * margin;
    draw_qr(ui, v->qr_uri, (struct cr_rect){margin, margin, side, side});
    int x = margin + side + cr_ui_px(ui, 80), w = content.w - x - margin;
    int y = margin + cr_ui_px(ui, 10);
    cr_icons_draw(&ui->icons, ui->r, "phone", x + cr_ui_px(ui, 40), y + cr_ui_px(ui, 40),
                  cr_ui_px(ui, 80), CR_C_TEXT);
    text(ui, _("Scan with your phone"), CR_FONT_TITLE + 8, true, CR_C_TEXT, x + cr_ui_px(ui, 100),
         y, CR_ALIGN_LEFT, w - cr_ui_px(ui, 100));
    y += cr_ui_px(ui, 110);
    y += wrapped(ui,
                 _("Then sign in on your phone and approve: your resources appear here at once."),
                 CR_FONT_BODY, false, CR_C_TEXT_DIM, (struct cr_rect){x, y, w, 0}, CR_ALIGN_LEFT);
    y += cr_ui_px(ui, 40);
    if (v->user_code) {
        text(ui, v->user_code, 150, true, CR_C_ACCENT, x, y, CR_ALIGN_LEFT, w);
        y += cr_ui_px(ui, 210);
    }
    if (v->verification_uri && v->user_code) {
        char *how =
            g_strdup_printf(_("No camera? Go to %s and type this code."), v->verification_uri);
        y += wrapped(ui, how, CR_FONT_LABEL + 4, false, CR_C_TEXT_DIM, (struct cr_rect){x, y, w, 0},
                     CR_ALIGN_LEFT);
        g_free(how);
        y += cr_ui_px(ui, 24);
    }
    if (v->code_seconds_left > 0) {
        char *left = g_strdup_printf(_("This code is valid for %d min %02d s more."),
                                     v->code_seconds_left / 60, v->code_seconds_left % 60);
        text(ui, left, CR_FONT_BODY, false, CR_C_TEXT, x, y, CR_ALIGN_LEFT, w);
        g_free(left);
        y += cr_ui_px(ui, 70);
    }
    if (v->message)
        wrapped(ui, v->message, CR_FONT_BODY, true, CR_C_WARN, (struct cr_rect){x, y, w, 0},
                CR_ALIGN_LEFT);
}

/* The privacy curtain: a plain screen with the two fields and the
 * keyboard; the password is a count of dots, keys never light up. */
static void draw_form(struct cr_ent_screen *s, struct cr_ui *ui, struct cr_rect content)
{
    int margin = cr_ui_px(ui, 80), cx = content.w / 2;
    cr_draw_rect(ui->r, content, CR_C_BG);
    text(ui, _("Type your ENT user name and password"), CR_FONT_TITLE, true, CR_C_TEXT, cx,
         cr_ui_px(ui, 24), CR_ALIGN_CENTER, content.w - 2 * margin);
    /* the ENT's answer to the last try (wrong password …), else how it works */
    const char *note = s->view && s->view->message
                           ? s->view->message
                           : _("The rest of the board is hidden while you type; the keys do not "
                               "light up.");
    text(ui, note, CR_FONT_LABEL + 2, s->view && s->view->message,
         s->view && s->view->message ? CR_C_WARN : CR_C_TEXT_DIM, cx, cr_ui_px(ui, 94),
         CR_ALIGN_CENTER, content.w - 2 * margin);
    int fw = cr_ui_px(ui, 700), fh = cr_ui_px(ui, 84), fy = cr_ui_px(ui, 150);
    struct cr_rect fields[2] = {{cx - fw - cr_ui_px(ui, 20), fy, fw, fh},
                                {cx + cr_ui_px(ui, 20), fy, fw, fh}};
    const char *names[2] = {_("User name"), _("Password")};
    s->fields[0] = fields[0];
    s->fields[1] = fields[1];
    for (int i = 0; i < 2; i++) {
        bool focus = (i == 1) == s->focus_password;
        cr_draw_rounded(ui->r, fields[i], cr_ui_px(ui, 12), CR_C_PANEL);
        if (focus)
            cr_draw_outline(ui->r, fields[i], cr_ui_px(ui, 4), CR_C_ACCENT);
        text(ui, names[i], CR_FONT_LABEL, false, CR_C_TEXT_DIM, fields[i].x + cr_ui_px(ui, 16),
             fields[i].y + cr_ui_px(ui, 4), CR_ALIGN_LEFT, 0);
    }
    int ty = fy + cr_ui_px(ui, 34);
    if (s->user_len)
        text(ui, s->user, CR_FONT_BODY, true, CR_C_TEXT, fields[0].x + cr_ui_px(ui, 16), ty,
             CR_ALIGN_LEFT, fw - cr_ui_px(ui, 32));
    /* one dot per character typed, nothing more */
    int r = cr_ui_px(ui, 9), step = cr_ui_px(ui, 28);
    size_t shown = CR_MIN(s->password_len, (size_t)((fw - cr_ui_px(ui, 32)) / step));
    for (size_t i = 0; i < shown; i++)
        cr_draw_disc(ui->r, fields[1].x + cr_ui_px(ui, 30) + (int)i * step, ty + cr_ui_px(ui, 22),
                     r, CR_C_TEXT);
    struct cr_rect kb = {margin, fy + fh + cr_ui_px(ui, 36), content.w - 2 * margin,
                         content.h - (fy + fh + cr_ui_px(ui, 36)) - cr_ui_px(ui, 24)};
    cr_keyboard_draw(&s->keyboard, ui, kb);
}

static const char *kind_label(enum cr_ent_resource_kind k)
{
    switch (k) {
    case CR_ENT_RESOURCE_APP:
        return N_("Application");
    case CR_ENT_RESOURCE_CONNECTOR:
        return N_("Service");
    case CR_ENT_RESOURCE_GAR:
        return N_("Médiacentre (GAR)");
    case CR_ENT_RESOURCE_DOCUMENT:
        return N_("Document");
    case CR_ENT_RESOURCE_FOLDER:
        return N_("Folder");
    case CR_ENT_RESOURCE_LINK:
    case CR_ENT_RESOURCE_KIND_COUNT:
        break;
    }
    return N_("Link");
}

static const char *kind_icon(enum cr_ent_resource_kind k)
{
    return k == CR_ENT_RESOURCE_APP         ? "app"
           : k == CR_ENT_RESOURCE_CONNECTOR ? "link"
           : k == CR_ENT_RESOURCE_GAR       ? "book"
           : k == CR_ENT_RESOURCE_DOCUMENT  ? "document"
           : k == CR_ENT_RESOURCE_FOLDER    ? "folder"
                                            : "link";
}

static struct cr_color kind_color(enum cr_ent_resource_kind k)
{
    return k == CR_ENT_RESOURCE_GAR        ? CR_RGB(0x0f766e)
           : k == CR_ENT_RESOURCE_DOCUMENT ? CR_RGB(0x1d4ed8)
           : k == CR_ENT_RESOURCE_FOLDER   ? CR_RGB(0xb45309)
                                           : CR_C_ENT;
}

const struct cr_ent_resource *cr_ent_screen_resource(const struct cr_ent_screen *s, size_t index)
{
    return s->view && index < s->view->n_resources ? &s->view->resources[index] : NULL;
}

/* The picture fitted in a square of side px centred on (cx, cy). */
static void draw_picture(struct cr_ui *ui, SDL_Texture *t, int cx, int cy, int px)
{
    int w, h;
    SDL_QueryTexture(t, NULL, NULL, &w, &h);
    if (w <= 0 || h <= 0)
        return;
    double k = (double)px / CR_MAX(w, h);
    SDL_Rect dst = {cx - (int)(w * k) / 2, cy - (int)(h * k) / 2, (int)(w * k), (int)(h * k)};
    SDL_RenderCopy(ui->r, t, NULL, &dst);
}

static void draw_tile(struct cr_ent_screen *s, struct cr_ui *ui, const struct cr_button *b,
                      const struct cr_ent_resource *res)
{
    struct cr_color bg = kind_color(res->kind);
    if (b->pressed)
        bg = CR_C_PRESSED;
    cr_draw_rounded(ui->r, b->rect, cr_ui_px(ui, 24), bg);
    int cx = b->rect.x + b->rect.w / 2, icon = b->rect.h * 2 / 5;
    SDL_Texture *thumb = res->icon_url ? g_hash_table_lookup(s->thumbs, res->icon_url) : NULL;
    if (thumb)
        draw_picture(ui, thumb, cx, b->rect.y + b->rect.h * 3 / 10, icon);
    else
        cr_icons_draw(&ui->icons, ui->r, kind_icon(res->kind), cx, b->rect.y + b->rect.h * 3 / 10,
                      icon, CR_C_TEXT);
    if (res->bookmarked)
        cr_draw_disc(ui->r, b->rect.x + b->rect.w - cr_ui_px(ui, 26), b->rect.y + cr_ui_px(ui, 26),
                     cr_ui_px(ui, 10), CR_C_ACCENT);
    int y = b->rect.y + b->rect.h * 3 / 10 + icon / 2 + cr_ui_px(ui, 16);
    text(ui, res->title ? res->title : "?", CR_FONT_BODY, true, CR_C_TEXT, cx, y, CR_ALIGN_CENTER,
         b->rect.w - cr_ui_px(ui, 24));
    text(ui, _(kind_label(res->kind)), CR_FONT_LABEL, false, CR_RGBA(0xffffff, 215), cx,
         y + cr_ui_px(ui, 52), CR_ALIGN_CENTER, b->rect.w - cr_ui_px(ui, 24));
}

static void draw_signed_in(struct cr_ent_screen *s, struct cr_ui *ui, struct cr_rect content)
{
    const struct cr_ent_view *v = s->view;
    int margin = cr_ui_px(ui, 56);
    text(ui, v->user_name ? v->user_name : "", CR_FONT_HUGE, true, CR_C_TEXT, margin,
         cr_ui_px(ui, 28), CR_ALIGN_LEFT, content.w / 2);
    char *line = v->resources_loading && v->n_resources == 0
                     ? g_strdup(_("Loading your resources…"))
                     : g_strdup_printf(_("Resources: %zu"), v->n_resources);
    if (v->folder_id) {
        char *f = g_strdup_printf("%s · %s", line, _("in a folder"));
        g_free(line);
        line = f;
    }
    text(ui, line, CR_FONT_BODY, false, CR_C_TEXT_DIM, content.w - margin, cr_ui_px(ui, 50),
         CR_ALIGN_RIGHT, content.w / 2 - 2 * margin);
    g_free(line);

    enum { COLS = 5, ROWS = 2 };
    int top = cr_ui_px(ui, 150), gap = cr_ui_px(ui, 28);
    int tw = (content.w - 2 * margin - (COLS - 1) * gap) / COLS;
    int th = (content.h - top - margin - (ROWS - 1) * gap) / ROWS;
    size_t per_page = COLS * ROWS, pages = (v->n_resources + per_page - 1) / per_page;
    if (s->page >= pages)
        s->page = pages ? pages - 1 : 0;
    s->n_tiles = 0;
    for (size_t i = s->page * per_page; i < v->n_resources && s->n_tiles < per_page; i++) {
        size_t k = s->n_tiles++;
        struct cr_button *b = &s->tiles[k];
        bool pressed = b->pressed;
        snprintf(s->tile_actions[k], sizeof(s->tile_actions[k]), "ent open %zu", i);
        *b = (struct cr_button){
            .action = s->tile_actions[k],
            .label = v->resources[i].title,
            .rect = {margin + (int)(k % COLS) * (tw + gap), top + (int)(k / COLS) * (th + gap), tw,
                     th},
            .visible = true,
            .enabled = true,
            .pressed = pressed,
        };
        s->tile_resource[k] = i;
        draw_tile(s, ui, b, &v->resources[i]);
    }
    if (v->n_resources == 0 && !v->resources_loading)
        wrapped(ui, _("Nothing to show here."), CR_FONT_BODY, false, CR_C_TEXT_DIM,
                (struct cr_rect){margin, top + cr_ui_px(ui, 80), content.w - 2 * margin, 0},
                CR_ALIGN_CENTER);
    s->buttons[CR_ENT_BTN_PREV].visible = pages > 1;
    s->buttons[CR_ENT_BTN_NEXT].visible = pages > 1;
    s->buttons[CR_ENT_BTN_PREV].enabled = s->page > 0;
    s->buttons[CR_ENT_BTN_NEXT].enabled = s->page + 1 < pages;
    s->buttons[CR_ENT_BTN_ROOT].visible = v->folder_id != NULL;
    s->buttons[CR_ENT_BTN_SIGNOUT].visible = true;
}

/* Over everything: the board signs out soon unless touched. */
static void draw_countdown(struct cr_ent_screen *s, struct cr_ui *ui)
{
    struct cr_rect all = cr_ui_screen_rect(ui);
    cr_draw_rect(ui->r, all, CR_RGBA(0x020617, 225));
    int w = cr_ui_px(ui, 1100), h = cr_ui_px(ui, 520);
    struct cr_rect panel = {(all.w - w) / 2, (all.h - h) / 2, w, h};
    cr_draw_rounded(ui->r, panel, cr_ui_px(ui, 28), CR_C_PANEL);
    int cx = all.w / 2;
    text(ui, _("Still there?"), CR_FONT_TITLE, true, CR_C_TEXT, cx, panel.y + cr_ui_px(ui, 36),
         CR_ALIGN_CENTER, w);
    char *t = g_strdup_printf(_("Signing out in %d s"), s->view->idle_seconds_left);
    text(ui, t, CR_FONT_HUGE, true, CR_C_ACCENT, cx, panel.y + cr_ui_px(ui, 120), CR_ALIGN_CENTER,
         w);
    g_free(t);
    text(ui, _("Touch the board to stay signed in."), CR_FONT_BODY, false, CR_C_TEXT_DIM, cx,
         panel.y + cr_ui_px(ui, 240), CR_ALIGN_CENTER, w - cr_ui_px(ui, 40));
    struct cr_button *b = &s->buttons[CR_ENT_BTN_STAY];
    b->visible = true;
    int bw = cr_ui_px(ui, 420), bh = cr_ui_px(ui, 120);
    b->rect = (struct cr_rect){cx - bw / 2, panel.y + h - bh - cr_ui_px(ui, 40), bw, bh};
    cr_button_draw(ui, b);
}

void cr_ent_screen_draw(struct cr_ent_screen *s, struct cr_ui *ui)
{
    struct cr_rect content = cr_ui_content_rect(ui);
    enum cr_ent_state st = state_of(s);
    for (int i = 0; i < CR_ENT_BUTTONS; i++)
        s->buttons[i].visible = false;
    s->n_tiles = 0;
    unsigned methods = s->view ? s->view->methods : 0;
    s->buttons[CR_ENT_BTN_CANCEL].visible =
        st == CR_ENT_PREPARING || st == CR_ENT_SHOW_CODE || st == CR_ENT_ASK_PASSWORD;
    s->buttons[CR_ENT_BTN_PASSWORD].visible =
        st == CR_ENT_SHOW_CODE && (methods & CR_ENT_METHOD_PASSWORD);
    switch (st) {
    case CR_ENT_SIGNED_OUT:
        draw_signed_out(s, ui, content);
        break;
    case CR_ENT_PREPARING:
        draw_busy(ui, content, _("Connecting to the ENT…"));
        break;
    case CR_ENT_SHOW_CODE:
        draw_code(s, ui, content);
        break;
    case CR_ENT_ASK_PASSWORD:
        draw_form(s, ui, content);
        break;
    case CR_ENT_SIGNING_IN:
        draw_busy(ui, content, _("Signing you in…"));
        break;
    case CR_ENT_SIGNED_IN:
        draw_signed_in(s, ui, content);
        break;
    case CR_ENT_SIGNING_OUT:
        draw_busy(ui, content, _("Signing out…"));
        break;
    }
    layout_bar(s, ui);
    draw_bar_buttons(s, ui);
    if (st == CR_ENT_SIGNED_IN && s->view->idle_seconds_left > 0)
        draw_countdown(s, ui);
}

/* --- input -------------------------------------------------------------- */

static bool countdown_shown(const struct cr_ent_screen *s)
{
    return state_of(s) == CR_ENT_SIGNED_IN && s->view->idle_seconds_left > 0;
}

size_t cr_ent_screen_buttons(struct cr_ent_screen *s, const struct cr_button **out, size_t max)
{
    size_t n = 0;
    if (countdown_shown(s)) {
        if (max > 0)
            out[n++] = &s->buttons[CR_ENT_BTN_STAY];
        return n;
    }
    for (int i = 0; i < CR_ENT_BUTTONS && n < max; i++)
        if (s->buttons[i].visible)
            out[n++] = &s->buttons[i];
    for (size_t i = 0; i < s->n_tiles && n < max; i++)
        out[n++] = &s->tiles[i];
    if (cr_ent_screen_curtain(s))
        for (int i = 0; i < s->keyboard.n_keys && n < max; i++)
            out[n++] = &s->keyboard.keys[i];
    return n;
}

static void type_text(struct cr_ent_screen *s, const char *t)
{
    char *buf = s->focus_password ? s->password : s->user;
    size_t *len = s->focus_password ? &s->password_len : &s->user_len;
    size_t add = strlen(t);
    if (*len + add < CR_ENT_FIELD_MAX) {
        memcpy(buf + *len, t, add);
        *len += add;
        buf[*len] = '\0';
    }
}

static void erase(struct cr_ent_screen *s)
{
    char *buf = s->focus_password ? s->password : s->user;
    size_t *len = s->focus_password ? &s->password_len : &s->user_len;
    while (*len > 0) { /* one UTF-8 character */
        unsigned char c = (unsigned char)buf[--*len];
        buf[*len] = '\0';
        if ((c & 0xc0) != 0x80)
            break;
    }
}

void cr_ent_screen_text(struct cr_ent_screen *s, const char *t)
{
    if (cr_ent_screen_curtain(s))
        type_text(s, t);
}

const char *cr_ent_screen_key(struct cr_ent_screen *s, enum cr_ent_screen_key key)
{
    if (!cr_ent_screen_curtain(s))
        return NULL;
    switch (key) {
    case CR_ENT_KEY_BACKSPACE:
        erase(s);
        break;
    case CR_ENT_KEY_TAB:
        s->focus_password = !s->focus_password;
        break;
    case CR_ENT_KEY_ENTER:
        if (!s->focus_password) {
            s->focus_password = true;
            break;
        }
        return "ent submit";
    }
    return NULL;
}

const char *cr_ent_screen_hit(struct cr_ent_screen *s, int x, int y)
{
    cr_buttons_set_pressed(s->buttons, CR_ENT_BUTTONS, -1);
    cr_buttons_set_pressed(s->tiles, s->n_tiles, -1);
    if (countdown_shown(s))
        return "ent stay"; /* any touch keeps the teacher signed in */
    int i = cr_buttons_hit(s->buttons, CR_ENT_BUTTONS, x, y);
    if (i >= 0)
        return s->buttons[i].action;
    i = cr_buttons_hit(s->tiles, s->n_tiles, x, y);
    if (i >= 0)
        return s->tiles[i].action;
    if (cr_ent_screen_curtain(s) &&
        (cr_rect_contains(s->fields[0], x, y) || cr_rect_contains(s->fields[1], x, y))) {
        s->focus_password = cr_rect_contains(s->fields[1], x, y);
        return NULL;
    }
    if (cr_ent_screen_curtain(s)) {
        char t[8] = {0};
        const char *action = NULL;
        switch (cr_keyboard_tap(&s->keyboard, x, y, t)) {
        case CR_KEY_TEXT:
            type_text(s, t);
            break;
        case CR_KEY_ERASE:
            erase(s);
            break;
        case CR_KEY_FORWARD:
            s->focus_password = !s->focus_password;
            break;
        case CR_KEY_DONE:
            action = "ent submit";
            break;
        case CR_KEY_NONE:
            break;
        }
        explicit_bzero(t, sizeof(t));
        return action;
    }
    return NULL;
}

bool cr_ent_screen_press(struct cr_ent_screen *s, int x, int y)
{
    /* keys never light up; buttons and tiles do */
    int i = countdown_shown(s) ? -1 : cr_buttons_hit(s->buttons, CR_ENT_BUTTONS, x, y);
    cr_buttons_set_pressed(s->buttons, CR_ENT_BUTTONS, i);
    int t = i >= 0 || countdown_shown(s) ? -1 : cr_buttons_hit(s->tiles, s->n_tiles, x, y);
    cr_buttons_set_pressed(s->tiles, s->n_tiles, t);
    return i >= 0 || t >= 0;
}
