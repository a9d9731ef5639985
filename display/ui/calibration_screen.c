#include "display/ui/calibration_screen.h"

#include <math.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"

#define MESSAGE_MS 4000
/* The verification point: away from every 4/9/16-point target. */
#define VERIFY_U 0.69
#define VERIFY_V 0.31
/* Heat map colour scale: green at 0, red at this error (design px). */
#define HEAT_MAX_PX 10.0

static const char *const button_actions[CR_CALIB_BUTTONS] = {"calibrate cancel", "calibrate retry",
                                                             "calibrate save"};
static const char *const button_icons[CR_CALIB_BUTTONS] = {"close", "rotate", "save"};
static const char *const button_labels[CR_CALIB_BUTTONS] = {N_("Cancel"), N_("Start again"),
                                                            N_("Save")};

void cr_calibration_screen_init(struct cr_calibration_screen *cs)
{
    memset(cs, 0, sizeof(*cs));
    for (int i = 0; i < CR_CALIB_BUTTONS; i++)
        cs->buttons[i] = (struct cr_button){.action = button_actions[i],
                                            .icon = button_icons[i],
                                            .label = button_labels[i],
                                            .enabled = true};
}

void cr_calibration_screen_destroy(struct cr_calibration_screen *cs)
{
    g_clear_pointer(&cs->message, g_free);
}

static void say(struct cr_calibration_screen *cs, char *translated, int64_t now_us)
{
    g_free(cs->message);
    cs->message = translated;
    cs->message_until_us = now_us + MESSAGE_MS * (int64_t)1000;
}

bool cr_calibration_screen_start(struct cr_calibration_screen *cs, size_t n, int width, int height,
                                 int64_t now_us)
{
    double t[16][2];
    if (width <= 0 || height <= 0 || cr_calib_targets(n, width, height, t) != n || n > 16)
        return false;
    cr_calibration_screen_destroy(cs);
    cr_calibration_screen_init(cs);
    cs->phase = CR_CALIB_PHASE_COLLECT;
    cs->width = width;
    cs->height = height;
    cs->n_targets = n;
    memcpy(cs->targets, t, sizeof(t[0]) * n);
    cs->verify[0] = VERIFY_U * width;
    cs->verify[1] = VERIFY_V * height;
    cs->last_activity_us = now_us;
    cr_info("calib", "calibration started: %zu points on %dx%d", n, width, height);
    return true;
}

void cr_calibration_screen_stop(struct cr_calibration_screen *cs)
{
    cr_calibration_screen_destroy(cs);
    cr_calibration_screen_init(cs);
}

bool cr_calibration_screen_target(const struct cr_calibration_screen *cs, double *x, double *y)
{
    if (cs->phase == CR_CALIB_PHASE_COLLECT && cs->index < cs->n_targets) {
        *x = cs->targets[cs->index][0];
        *y = cs->targets[cs->index][1];
        return true;
    }
    if (cs->phase == CR_CALIB_PHASE_VERIFY) {
        *x = cs->verify[0];
        *y = cs->verify[1];
        return true;
    }
    return false;
}

/* The solver's reasons are a small stable vocabulary (input/calib.h); the
 * teacher reads them in their language. */
static const char *failure_text(const char *reason)
{
    if (strstr(reason, "collinear") || strstr(reason, "degenerate"))
        return _("The touches were almost in a line: the screen could not be measured.");
    if (strstr(reason, "duplicate") || strstr(reason, "same"))
        return _("Several touches landed on the same place.");
    if (strstr(reason, "few"))
        return _("Not enough touches were taken.");
    if (strstr(reason, "fold") || strstr(reason, "flip"))
        return _("The touches are in the wrong order (is the pen mirrored?).");
    return _("The touches do not describe a screen.");
}

static double verify_threshold(const struct cr_calibration_screen *cs)
{
    double loo = cs->report.loo_px[cs->report.chosen];
    double floor_px = 12.0 * cs->width / 1920.0;
    return CR_MAX(floor_px, loo > 0 ? 3 * loo : 0);
}

static void solve(struct cr_calibration_screen *cs, int64_t now_us)
{
    struct cr_calib_options opt = {.width = cs->width, .height = cs->height, .allow_smooth = true};
    cs->solved = cr_calib_solve(cs->pts, cs->n_targets, &opt, &cs->result, &cs->report, cs->failure,
                                sizeof(cs->failure));
    if (!cs->solved) {
        cr_info("calib", "calibration of %s failed: %s", cs->device.name, cs->failure);
        cs->phase = CR_CALIB_PHASE_RESULT;
        return;
    }
    cr_info("calib", "%s: %s model, mean %.2f px, max %.2f px (%s)", cs->device.name,
            cr_calib_model_name(cs->report.chosen), cs->report.mean_px, cs->report.max_px,
            cs->report.reason);
    if (cs->report.rejected >= 0)
        say(cs, g_strdup(_("One touch was far from its target and was left out.")), now_us);
    cs->phase = CR_CALIB_PHASE_VERIFY;
}

static void take_device(struct cr_calibration_screen *cs, const struct cr_input_event *ev,
                        const struct cr_input_device_info *dev)
{
    cs->have_device = true;
    if (dev) {
        cs->device = *dev;
    } else {
        memset(&cs->device, 0, sizeof(cs->device));
        cs->device.id = ev->device_id;
        cs->device.direct = true;
        g_strlcpy(cs->device.key, ev->device_id == CR_INPUT_DEVICE_INJECTED ? "injected" : "window",
                  sizeof(cs->device.key));
        g_strlcpy(cs->device.name,
                  ev->device_id == CR_INPUT_DEVICE_INJECTED ? "control socket" : "window system",
                  sizeof(cs->device.name));
    }
    cs->mm_per_px =
        cs->device.direct && cs->device.width_mm > 0 ? cs->device.width_mm / cs->width : 0;
}

static void take_point(struct cr_calibration_screen *cs, double rx, double ry, int64_t now_us)
{
    double tx = cs->targets[cs->index][0], ty = cs->targets[cs->index][1];
    char why[160] = "";
    if (!cr_calib_plausible(cs->pts, cs->index, rx, ry, tx, ty, cs->width, cs->height, why,
                            sizeof(why))) {
        cr_info("calib", "touch %zu refused: %s", cs->index + 1, why);
        say(cs,
            g_strdup(strstr(why, "double") || strstr(why, "previous")
                         ? _("Touched twice: touch the new target.")
                         : _("Too far from the target: touch the centre of the cross.")),
            now_us);
        return;
    }
    cs->pts[cs->index] =
        (struct cr_calib_point){.raw_x = rx, .raw_y = ry, .screen_x = tx, .screen_y = ty};
    cs->index++;
    cs->accepted_at_us = now_us;
    g_clear_pointer(&cs->message, g_free);
    if (cs->index == cs->n_targets)
        solve(cs, now_us);
}

static void take_verify(struct cr_calibration_screen *cs, double rx, double ry)
{
    double sx, sy;
    cr_calib_apply(&cs->result, rx, ry, &sx, &sy);
    cs->verify_px = hypot(sx - cs->verify[0], sy - cs->verify[1]);
    cs->verify_ok = cs->verify_px <= verify_threshold(cs);
    cr_info("calib", "verification: %.2f px (%s)", cs->verify_px, cs->verify_ok ? "ok" : "too far");
    cs->phase = CR_CALIB_PHASE_RESULT;
}

static void layout_buttons(struct cr_calibration_screen *cs, const struct cr_ui *ui)
{
    bool result = cs->phase == CR_CALIB_PHASE_RESULT;
    cs->buttons[CR_CALIB_BTN_CANCEL].visible = true;
    cs->buttons[CR_CALIB_BTN_RETRY].visible = result;
    cs->buttons[CR_CALIB_BTN_SAVE].visible = result && cs->solved;
    cs->buttons[CR_CALIB_BTN_SAVE].enabled = result && cs->solved;
    int w = cr_ui_px(ui, 260), h = cr_ui_px(ui, CR_BUTTON_H), gap = cr_ui_px(ui, 24);
    int W = ui->screen->width, H = ui->screen->height;
    /* Collecting: the Cancel button sits between the first two target rows
     * (no 4, 9 or 16-point target is there). The result: under the panel. */
    int y = result ? H * 3 / 4 - h / 2 : H / 4 - h / 2;
    cr_buttons_layout_row(cs->buttons, CR_CALIB_BUTTONS, (struct cr_rect){0, y, W, h}, w, gap);
}

const char *cr_calibration_screen_input(struct cr_calibration_screen *cs,
                                        const struct cr_input_event *ev,
                                        const struct cr_input_device_info *dev, int64_t now_us)
{
    if (cs->phase == CR_CALIB_PHASE_OFF)
        return NULL;
    if (ev->action == CR_INPUT_UP || ev->action == CR_INPUT_CANCEL) {
        cr_buttons_set_pressed(cs->buttons, CR_CALIB_BUTTONS, -1);
        if (!cs->have_device || ev->device_id == cs->device.id)
            cs->contact = false;
        return NULL;
    }
    if (ev->action != CR_INPUT_DOWN || ev->hover)
        return NULL;
    cs->last_activity_us = now_us;

    int b = cr_buttons_hit(cs->buttons, CR_CALIB_BUTTONS, (int)ev->x, (int)ev->y);
    if (b >= 0)
        return button_actions[b];
    if (ev->kind == CR_INPUT_POINTER || cs->phase == CR_CALIB_PHASE_RESULT)
        return NULL; /* a mouse only presses buttons */
    if (cs->have_device && ev->device_id != cs->device.id) {
        say(cs,
            g_strdup_printf(_("Another device touched the screen: go on with \"%s\"."),
                            cs->device.name),
            now_us);
        return NULL;
    }
    if (cs->contact) {
        say(cs, g_strdup(_("One finger at a time, please.")), now_us);
        return NULL;
    }
    if (!cs->have_device)
        take_device(cs, ev, dev);
    cs->contact = true;

    double rx = ev->raw_x, ry = ev->raw_y;
    if (rx < 0 || ry < 0) { /* the window system gives positions only */
        rx = ev->x / cs->width;
        ry = ev->y / cs->height;
    }
    if (cs->phase == CR_CALIB_PHASE_COLLECT)
        take_point(cs, rx, ry, now_us);
    else if (cs->phase == CR_CALIB_PHASE_VERIFY)
        take_verify(cs, rx, ry);
    return NULL;
}

const char *cr_calibration_screen_tick(struct cr_calibration_screen *cs, int64_t now_us)
{
    if (cs->phase == CR_CALIB_PHASE_OFF)
        return NULL;
    if (cs->message && now_us >= cs->message_until_us)
        g_clear_pointer(&cs->message, g_free);
    if (now_us - cs->last_activity_us >= CR_CALIB_IDLE_US) {
        cr_info("calib", "no touch for %d s: calibration cancelled",
                (int)(CR_CALIB_IDLE_US / G_USEC_PER_SEC));
        return "calibrate cancel";
    }
    return NULL;
}

int64_t cr_calibration_screen_deadline(const struct cr_calibration_screen *cs)
{
    if (cs->phase == CR_CALIB_PHASE_OFF)
        return 0;
    int64_t t = cs->last_activity_us + CR_CALIB_IDLE_US;
    if (cs->message)
        t = CR_MIN(t, cs->message_until_us);
    int64_t flash_end = cs->accepted_at_us + 250000; /* the accepted target's flash */
    if (cs->accepted_at_us && flash_end > cs->last_activity_us)
        t = CR_MIN(t, flash_end);
    return t;
}

/* --- drawing ------------------------------------------------------------ */

/* Numbers as the teacher reads them: "1,5" in French. */
static char *fmt_num(double v, int decimals)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(buf, sizeof(buf), decimals == 0 ? "%.0f" : "%.1f", v);
    if (!strcmp(cr_i18n_language(), "fr"))
        g_strdelimit(buf, ".", ',');
    return g_strdup(buf);
}

static void draw_target(struct cr_ui *ui, double x, double y, struct cr_color c)
{
    int cx = (int)lround(x), cy = (int)lround(y);
    int r = cr_ui_px(ui, 44), arm = cr_ui_px(ui, 70), w = CR_MAX(2, cr_ui_px(ui, 3));
    cr_draw_ring(ui->r, cx, cy, r, r - w, 1.0f, c);
    cr_draw_ring(ui->r, cx, cy, r / 2, r / 2 - w, 1.0f, c);
    cr_draw_rect(ui->r, (struct cr_rect){cx - arm, cy - w / 2, 2 * arm + 1, w}, c);
    cr_draw_rect(ui->r, (struct cr_rect){cx - w / 2, cy - arm, w, 2 * arm + 1}, c);
    cr_draw_disc(ui->r, cx, cy, CR_MAX(2, w), c);
}

static struct cr_color heat_color(double err_px, uint8_t alpha)
{
    double t = CR_MIN(CR_MAX(err_px / HEAT_MAX_PX, 0.0), 1.0);
    /* green → yellow → red */
    uint8_t r = (uint8_t)(t < 0.5 ? 510 * t : 255);
    uint8_t g = (uint8_t)(t < 0.5 ? 200 : 200 * (1 - t) * 2);
    return (struct cr_color){r, g, 40, alpha};
}

/* Residual magnitude at a screen point, interpolated from the targets'
 * residuals (inverse distance weighting). */
static double residual_at(const struct cr_calibration_screen *cs, double x, double y)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < cs->report.n_points; i++) {
        double dx = x - cs->pts[i].screen_x, dy = y - cs->pts[i].screen_y;
        double e = hypot(cs->report.residual_px[i][0], cs->report.residual_px[i][1]);
        double d2 = dx * dx + dy * dy;
        if (d2 < 1)
            return e;
        num += e / d2;
        den += 1 / d2;
    }
    return den > 0 ? num / den : 0;
}

static void draw_heat_map(struct cr_calibration_screen *cs, struct cr_ui *ui)
{
    int W = ui->screen->width, H = ui->screen->height;
    const int cols = 48, rows = 27;
    double design = 1920.0 / cs->width; /* colour on the design scale */
    for (int j = 0; j < rows; j++) {
        for (int i = 0; i < cols; i++) {
            int x0 = i * W / cols, x1 = (i + 1) * W / cols;
            int y0 = j * H / rows, y1 = (j + 1) * H / rows;
            double e =
                residual_at(cs, (x0 + x1) / 2.0 * cs->width / W, (y0 + y1) / 2.0 * cs->height / H);
            cr_draw_rect(ui->r, (struct cr_rect){x0, y0, x1 - x0, y1 - y0},
                         heat_color(e * design, 110));
        }
    }
    /* Each target with its residual drawn 20 times larger. */
    for (size_t i = 0; i < cs->report.n_points; i++) {
        double x = cs->pts[i].screen_x * W / cs->width, y = cs->pts[i].screen_y * H / cs->height;
        double ex = cs->report.residual_px[i][0], ey = cs->report.residual_px[i][1];
        bool dropped = (int)i == cs->report.rejected;
        struct cr_color c = dropped ? CR_C_WARN : CR_C_TEXT;
        cr_draw_disc(ui->r, (int)x, (int)y, cr_ui_px(ui, 8), c);
        int steps = 24;
        for (int k = 1; k <= steps; k++) {
            double f = 20.0 * k / steps;
            cr_draw_disc(ui->r, (int)(x + ex * f * W / cs->width),
                         (int)(y + ey * f * H / cs->height), CR_MAX(1, cr_ui_px(ui, 3)), c);
        }
    }
}

static void draw_collect(struct cr_calibration_screen *cs, struct cr_ui *ui)
{
    int W = ui->screen->width, H = ui->screen->height;
    double sx = (double)W / cs->width, sy = (double)H / cs->height;
    for (size_t i = 0; i < cs->index && cs->phase == CR_CALIB_PHASE_COLLECT; i++)
        cr_draw_disc(ui->r, (int)(cs->targets[i][0] * sx), (int)(cs->targets[i][1] * sy),
                     cr_ui_px(ui, 10), CR_RGB(0x22c55e));
    double tx, ty;
    if (cr_calibration_screen_target(cs, &tx, &ty)) {
        bool just = cs->accepted_at_us && ui->now_us - cs->accepted_at_us < 250000;
        draw_target(ui, tx * sx, ty * sy, just ? CR_RGB(0x22c55e) : CR_C_ACCENT);
    }

    g_autofree char *title =
        cs->phase == CR_CALIB_PHASE_VERIFY
            ? g_strdup(_("Check: touch the last cross"))
            : g_strdup_printf(_("Calibration: point %zu of %zu"), cs->index + 1, cs->n_targets);
    int title_px = cr_ui_px(ui, CR_FONT_TITLE), body_px = cr_ui_px(ui, CR_FONT_BODY);
    /* Text in the band between the last two rows of targets (no 4, 9 or
     * 16-point target and no cross arm is there). */
    int ty0 = H * 70 / 100;
    const char *hint = cs->message ? cs->message
                                   : _("Touch the centre of the yellow cross with the pen, "
                                       "exactly, and lift it.");
    cr_text_draw(&ui->text, ui->r, title, title_px, true, CR_C_TEXT, W / 2, ty0, CR_ALIGN_CENTER,
                 W / 2);
    cr_text_draw(&ui->text, ui->r, hint, body_px, false, cs->message ? CR_C_ACCENT : CR_C_TEXT_DIM,
                 W / 2, ty0 + title_px * 5 / 4, CR_ALIGN_CENTER, W * 3 / 4);
}

static void draw_result(struct cr_calibration_screen *cs, struct cr_ui *ui)
{
    int W = ui->screen->width, H = ui->screen->height;
    if (cs->solved)
        draw_heat_map(cs, ui);
    struct cr_rect panel = {W / 5, H / 4, W * 3 / 5, H / 2 - cr_ui_px(ui, 24)};
    cr_draw_rounded(ui->r, panel, cr_ui_px(ui, 24), CR_RGBA(0x0f172a, 235));
    int title_px = cr_ui_px(ui, CR_FONT_TITLE), body_px = cr_ui_px(ui, CR_FONT_BODY);
    int x = panel.x + panel.w / 2, y = panel.y + cr_ui_px(ui, 32), maxw = panel.w - title_px;
    if (!cs->solved) {
        cr_text_draw(&ui->text, ui->r, _("Calibration failed"), title_px, true, CR_C_WARN, x, y,
                     CR_ALIGN_CENTER, maxw);
        struct cr_rect box = {panel.x + title_px / 2, y + title_px * 2, maxw, panel.h};
        y += title_px * 2 + cr_text_draw_wrapped(&ui->text, ui->r, failure_text(cs->failure),
                                                 body_px, false, CR_C_TEXT, box, CR_ALIGN_CENTER);
        cr_text_draw(&ui->text, ui->r, _("Start again, or cancel to keep the previous setting."),
                     body_px, false, CR_C_TEXT_DIM, x, y + body_px, CR_ALIGN_CENTER, maxw);
        return;
    }
    cr_text_draw(&ui->text, ui->r,
                 cs->verify_ok ? _("Calibration done") : _("The check point is off"), title_px,
                 true, cs->verify_ok ? CR_RGB(0x22c55e) : CR_C_WARN, x, y, CR_ALIGN_CENTER, maxw);
    y += title_px * 3 / 2;

    g_autofree char *mean = fmt_num(cs->report.mean_px, 1);
    g_autofree char *max = fmt_num(cs->report.max_px, 1);
    g_autofree char *ver = fmt_num(cs->verify_px, 1);
    g_autofree char *line1 =
        g_strdup_printf(_("Accuracy: %s px on average (at most %s px)"), mean, max);
    cr_text_draw(&ui->text, ui->r, line1, body_px, false, CR_C_TEXT, x, y, CR_ALIGN_CENTER, maxw);
    y += body_px * 3 / 2;
    g_autofree char *line2 = NULL;
    if (cs->mm_per_px > 0) {
        g_autofree char *mm = fmt_num(cs->verify_px * cs->mm_per_px, 1);
        line2 = g_strdup_printf(_("Check point: %s px, that is %s mm"), ver, mm);
    } else {
        line2 = g_strdup_printf(_("Check point: %s px"), ver);
    }
    cr_text_draw(&ui->text, ui->r, line2, body_px, false, CR_C_TEXT, x, y, CR_ALIGN_CENTER, maxw);
    y += body_px * 3 / 2;
    const char *model =
        cs->report.chosen == CR_CALIB_AFFINE              ? _("affine (simple)")
        : cs->report.chosen == CR_CALIB_PROJECTIVE        ? _("projective (keystone)")
        : cs->report.chosen == CR_CALIB_PROJECTIVE_RADIAL ? _("projective with lens correction")
        : cs->report.chosen == CR_CALIB_PROJECTIVE_SMOOTH ? _("projective with fine correction")
                                                          : _("none");
    g_autofree char *line3 = g_strdup_printf(_("Model: %s, chosen by cross-validation"), model);
    cr_text_draw(&ui->text, ui->r, line3, body_px, false, CR_C_TEXT_DIM, x, y, CR_ALIGN_CENTER,
                 maxw);
    y += body_px * 3 / 2;
    cr_text_draw(&ui->text, ui->r,
                 cs->verify_ok ? _("Save to use it; the colours show the error across the screen.")
                               : _("Start again for a better result, or save anyway."),
                 cr_ui_px(ui, CR_FONT_LABEL), false, CR_C_TEXT_DIM, x, y, CR_ALIGN_CENTER, maxw);
}

void cr_calibration_screen_draw(struct cr_calibration_screen *cs, struct cr_ui *ui)
{
    if (cs->phase == CR_CALIB_PHASE_OFF)
        return;
    cr_draw_rect(ui->r, cr_ui_screen_rect(ui), CR_RGB(0x020617));
    if (cs->phase == CR_CALIB_PHASE_RESULT)
        draw_result(cs, ui);
    else
        draw_collect(cs, ui);
    layout_buttons(cs, ui);
    for (int i = 0; i < CR_CALIB_BUTTONS; i++)
        if (cs->buttons[i].visible)
            cr_button_draw(ui, &cs->buttons[i]);
}

/* --- state -------------------------------------------------------------- */

static const char *phase_name(enum cr_calib_phase p)
{
    static const char *const names[] = {"off", "collect", "verify", "result"};
    return names[p];
}

JsonNode *cr_calibration_screen_state(const struct cr_calibration_screen *cs)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "phase");
    json_builder_add_string_value(b, phase_name(cs->phase));
    json_builder_set_member_name(b, "points");
    json_builder_add_int_value(b, (gint64)cs->n_targets);
    json_builder_set_member_name(b, "index");
    json_builder_add_int_value(b, (gint64)cs->index);
    double x, y;
    json_builder_set_member_name(b, "target");
    if (cr_calibration_screen_target(cs, &x, &y)) {
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "x");
        json_builder_add_double_value(b, x);
        json_builder_set_member_name(b, "y");
        json_builder_add_double_value(b, y);
        json_builder_end_object(b);
    } else {
        json_builder_add_null_value(b);
    }
    json_builder_set_member_name(b, "device");
    json_builder_add_string_value(b, cs->have_device ? cs->device.name : "");
    json_builder_set_member_name(b, "message");
    json_builder_add_string_value(b, cs->message ? cs->message : "");
    if (cs->phase == CR_CALIB_PHASE_RESULT) {
        json_builder_set_member_name(b, "solved");
        json_builder_add_boolean_value(b, cs->solved);
        if (cs->solved) {
            json_builder_set_member_name(b, "model");
            json_builder_add_string_value(b, cr_calib_model_name(cs->report.chosen));
            json_builder_set_member_name(b, "mean_px");
            json_builder_add_double_value(b, cs->report.mean_px);
            json_builder_set_member_name(b, "max_px");
            json_builder_add_double_value(b, cs->report.max_px);
            json_builder_set_member_name(b, "verify_px");
            json_builder_add_double_value(b, cs->verify_px);
            json_builder_set_member_name(b, "verify_ok");
            json_builder_add_boolean_value(b, cs->verify_ok);
            json_builder_set_member_name(b, "rejected");
            json_builder_add_int_value(b, cs->report.rejected);
            if (cs->mm_per_px > 0) {
                json_builder_set_member_name(b, "verify_mm");
                json_builder_add_double_value(b, cs->verify_px * cs->mm_per_px);
            }
        } else {
            json_builder_set_member_name(b, "failure");
            json_builder_add_string_value(b, cs->failure);
        }
    }
    json_builder_end_object(b);
    JsonNode *n = json_builder_get_root(b);
    g_object_unref(b);
    return n;
}
