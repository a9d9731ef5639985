#include "display/ui/media_bar.h"

#include <glib.h>
#include <stdio.h>

#include "common/i18n.h"
#include "common/util.h"

int cr_media_bar_height(const struct cr_ui *ui)
{
    return cr_ui_px(ui, 104);
}

void cr_media_bar_format_time(int64_t ms, char *out, size_t size)
{
    if (ms < 0) {
        g_strlcpy(out, "--:--", size);
        return;
    }
    int64_t s = ms / 1000;
    if (s >= 3600)
        snprintf(out, size, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
    else
        snprintf(out, size, "%d:%02d", (int)(s / 60), (int)(s % 60));
}

static void layout(struct cr_media_bar *bar, struct cr_ui *ui, struct cr_rect r, int time_w)
{
    int pad = CR_MAX(2, r.h / 10), side = r.h - 2 * pad;
    bar->rect = r;
    bar->play = (struct cr_rect){r.x + pad, r.y + pad, side, side};
    bar->fullscreen = (struct cr_rect){r.x + r.w - pad - side, r.y + pad, side, side};
    int vol_w = CR_MIN(side * 5 / 2, r.w / 6);
    bar->volume = (struct cr_rect){bar->fullscreen.x - pad * 2 - vol_w, r.y, vol_w, r.h};
    bar->mute = (struct cr_rect){bar->volume.x - pad - side, r.y + pad, side, side};
    int x = bar->play.x + side + pad * 2;
    bar->time = (struct cr_rect){x, r.y, time_w, r.h};
    x += time_w + pad * 2;
    bar->seek = (struct cr_rect){x, r.y, CR_MAX(0, bar->mute.x - pad * 2 - x), r.h};
}

/* A track with its filled part and a knob, centred vertically in area. */
static void draw_slider(struct cr_ui *ui, struct cr_rect area, double fraction,
                        struct cr_color fill, bool enabled)
{
    int th = CR_MAX(4, area.h / 9), knob = CR_MAX(6, area.h / 5);
    struct cr_rect track = {area.x + knob, area.y + (area.h - th) / 2, area.w - 2 * knob, th};
    if (track.w <= 0)
        return;
    cr_draw_rounded(ui->r, track, th / 2, enabled ? CR_C_BUTTON : CR_RGBA(0x334155, 120));
    if (!enabled)
        return;
    fraction = CR_CLAMP(fraction, 0.0, 1.0);
    int fw = (int)(track.w * fraction + 0.5);
    if (fw > 0)
        cr_draw_rounded(ui->r, (struct cr_rect){track.x, track.y, fw, th}, th / 2, fill);
    cr_draw_disc(ui->r, track.x + fw, track.y + th / 2, knob, fill);
}

static void draw_button(struct cr_ui *ui, struct cr_rect r, const char *icon, struct cr_color bg)
{
    cr_draw_rounded(ui->r, r, r.h / 5, bg);
    cr_icons_draw(&ui->icons, ui->r, icon, r.x + r.w / 2, r.y + r.h / 2, r.h * 3 / 5, CR_C_TEXT);
}

void cr_media_bar_draw(struct cr_media_bar *bar, struct cr_ui *ui, struct cr_rect rect,
                       const struct cr_player_state *st, bool fullscreen)
{
    int font = CR_MAX(8, rect.h * 3 / 10);
    char now[32], total[32], label[80];
    cr_media_bar_format_time(st->time_ms, now, sizeof(now));
    cr_media_bar_format_time(st->length_ms > 0 ? st->length_ms : -1, total, sizeof(total));
    snprintf(label, sizeof(label), "%s / %s", now, total);
    /* Room for the widest time of this length, so the bar does not move. */
    int time_w, th;
    cr_text_size(&ui->text, st->length_ms >= 3600000 ? "0:00:00 / 0:00:00" : "00:00 / 00:00", font,
                 true, &time_w, &th);
    layout(bar, ui, rect, time_w + font / 2);
    bar->seekable = st->seekable && st->length_ms > 0 && st->status != CR_PLAYER_ERROR;

    cr_draw_rect(ui->r, rect, CR_RGBA(0x1e293b, 230));
    bool playing = st->status == CR_PLAYER_PLAYING || st->status == CR_PLAYER_OPENING;
    draw_button(ui, bar->play, playing ? "pause" : "play", CR_C_BUTTON_ACTIVE);
    int ty = rect.y + (rect.h - font * 4 / 3) / 2;
    if (st->status == CR_PLAYER_ERROR) {
        /* The reason, where the time and the seek bar were. */
        struct cr_rect msg = {bar->time.x, rect.y, bar->seek.x + bar->seek.w - bar->time.x, rect.h};
        int px = CR_MAX(8, rect.h / 4);
        cr_text_draw(&ui->text, ui->r, st->error, px, true, CR_C_WARN, msg.x,
                     rect.y + (rect.h - px * 4 / 3) / 2, CR_ALIGN_LEFT, msg.w);
    } else {
        cr_text_draw(&ui->text, ui->r, label, font, true, CR_C_TEXT, bar->time.x, ty, CR_ALIGN_LEFT,
                     bar->time.w);
        draw_slider(ui, bar->seek, st->position, CR_C_ACCENT, bar->seekable);
    }
    draw_button(ui, bar->mute, st->volume == 0 ? "volume-mute" : "volume", CR_C_BUTTON);
    draw_slider(ui, bar->volume, st->volume / 100.0, CR_C_TEXT, true);
    draw_button(ui, bar->fullscreen, fullscreen ? "fullscreen-exit" : "fullscreen", CR_C_BUTTON);
}

/* The value under x on a slider drawn in area (the knob's margin removed). */
static double slider_value(struct cr_rect area, int x)
{
    int knob = CR_MAX(6, area.h / 5), w = area.w - 2 * knob;
    if (w <= 0)
        return 0;
    return CR_CLAMP((double)(x - area.x - knob) / w, 0.0, 1.0);
}

enum cr_media_bar_action cr_media_bar_press(struct cr_media_bar *bar, int x, int y, double *value)
{
    bar->dragging = CR_MEDIA_BAR_NONE;
    if (!cr_rect_contains(bar->rect, x, y))
        return CR_MEDIA_BAR_NONE;
    if (cr_rect_contains(bar->play, x, y))
        return CR_MEDIA_BAR_TOGGLE;
    if (cr_rect_contains(bar->fullscreen, x, y))
        return CR_MEDIA_BAR_FULLSCREEN;
    if (cr_rect_contains(bar->mute, x, y))
        return CR_MEDIA_BAR_MUTE;
    if (cr_rect_contains(bar->volume, x, y)) {
        bar->dragging = CR_MEDIA_BAR_VOLUME;
        *value = (double)(int)(slider_value(bar->volume, x) * 100.0 + 0.5);
        return CR_MEDIA_BAR_VOLUME;
    }
    if (bar->seekable && cr_rect_contains(bar->seek, x, y)) {
        bar->dragging = CR_MEDIA_BAR_SEEK;
        *value = slider_value(bar->seek, x);
        return CR_MEDIA_BAR_SEEK;
    }
    return CR_MEDIA_BAR_NONE;
}

enum cr_media_bar_action cr_media_bar_drag(struct cr_media_bar *bar, int x, int y, double *value)
{
    /* A drag follows x wherever the finger goes, even off the bar. */
    switch (bar->dragging) {
    case CR_MEDIA_BAR_SEEK:
        *value = slider_value(bar->seek, x);
        return CR_MEDIA_BAR_SEEK;
    case CR_MEDIA_BAR_VOLUME:
        *value = (double)(int)(slider_value(bar->volume, x) * 100.0 + 0.5);
        return CR_MEDIA_BAR_VOLUME;
    default:
        return CR_MEDIA_BAR_NONE;
    }
}

void cr_media_bar_release(struct cr_media_bar *bar)
{
    bar->dragging = CR_MEDIA_BAR_NONE;
}
