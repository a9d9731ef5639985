/* Réglages: the settings PIN, the pages' content and the diagnostics. */
#include "display/app_settings.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>

#include "build_config.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "display/app.h"
#include "display/events.h"

void cr_app_settings_init(struct cr_app *app)
{
    cr_settings_pin_init(&app->settings.pin, app->cfg->paths.state_dir);
    cr_settings_screen_init(&app->settings.screen);
    app->settings.screen.locked = app->settings.pin.set;
}

void cr_app_settings_destroy(struct cr_app *app)
{
    if (app->settings.diag_thread)
        g_thread_join(g_steal_pointer(&app->settings.diag_thread));
    cr_settings_screen_destroy(&app->settings.screen);
    cr_settings_pin_destroy(&app->settings.pin);
    g_strfreev(app->settings.diag_lines);
    app->settings.diag_lines = NULL;
}

/* --- pages ---------------------------------------------------------------- */

static void add(GPtrArray *l, char *line)
{
    g_ptr_array_add(l, line);
}

static void page_network(struct cr_app *app, GPtrArray *l)
{
    add(l, g_strdup_printf(_("Name of this PC: %s"), g_get_host_name()));
    add(l, g_strdup_printf("# %s", _("Addresses")));
    struct ifaddrs *ifs = NULL;
    size_t n = 0;
    if (getifaddrs(&ifs) == 0) {
        for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
            if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK))
                continue;
            int fam = i->ifa_addr->sa_family;
            if (fam != AF_INET && fam != AF_INET6)
                continue;
            char buf[INET6_ADDRSTRLEN] = "";
            const void *a = fam == AF_INET
                                ? (const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr
                                : (const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
            inet_ntop(fam, a, buf, sizeof(buf));
            add(l, g_strdup_printf("%s: %s", i->ifa_name, buf));
            n++;
        }
        freeifaddrs(ifs);
    }
    if (n == 0)
        add(l, g_strdup_printf("! %s", _("No network address: check the cable or the Wi-Fi.")));
    const struct cr_cast_status *st = app->cast_wall.status;
    add(l, g_strdup_printf("# %s", _("Services")));
    if (st && st->running)
        add(l, g_strdup_printf(_("Casting (Tablets): %s"), st->url));
    else
        add(l, g_strdup_printf("! %s", _("Casting (Tablets) is not running.")));
    if (app->fleet.metrics_port > 0)
        add(l, g_strdup_printf(_("Metrics: http://%s:%d/metrics"), app->cfg->metrics.address,
                               app->fleet.metrics_port));
    add(l, g_strdup_printf(_("Control socket: %s"), app->ipc_path ? app->ipc_path : _("off")));
}

static void page_devices(struct cr_app *app, GPtrArray *l)
{
    g_autofree char *output = cr_app_output_key(app);
    int64_t now = g_get_real_time() / G_USEC_PER_SEC;
    add(l, g_strdup_printf("# %s", _("Pens and touch devices")));
    for (guint i = 0; app->devices && i < app->devices->len; i++) {
        const struct cr_app_device *d = &g_array_index(app->devices, struct cr_app_device, i);
        const char *kind = d->info.caps & CR_INPUT_CAP_PEN     ? _("pen")
                           : d->info.caps & CR_INPUT_CAP_TOUCH ? _("touch")
                                                               : _("other");
        int64_t saved = cr_calib_store_saved_at(app->calibs, d->info.key, output);
        if (d->has_calib && saved > 0)
            add(l, g_strdup_printf(_("%s (%s): calibrated %d days ago"), d->info.name, kind,
                                   (int)((now - saved) / 86400)));
        else if (d->has_calib)
            add(l, g_strdup_printf(_("%s (%s): calibrated"), d->info.name, kind));
        else {
            g_autofree char *t = g_strdup_printf(_("%s (%s): not calibrated"), d->info.name, kind);
            add(l, g_strconcat("! ", t, NULL));
        }
    }
    if (!app->devices || app->devices->len == 0)
        add(l, g_strdup(_("No pen or touch device seen.")));
    const struct cr_camera_status_msg *cs = &app->camera_screen.status;
    add(l, g_strdup_printf("# %s", _("Cameras")));
    add(l, g_strdup_printf(_("Cameras found: %zu"), cs->n_devices));
    for (char **c = cs->cameras; c && *c; c++)
        add(l, g_strdup(*c));
    if (cs->device_name) {
        g_autofree char *mode = cr_camera_mode_to_string(&cs->mode);
        add(l, g_strdup_printf(_("%s: %s, mode %s"), cs->device_name,
                               cr_camera_state_name(cs->state), mode));
    }
}

static void page_display(struct cr_app *app, GPtrArray *l)
{
    SDL_RendererInfo info = {0};
    SDL_GetRendererInfo(app->ui.r, &info);
    add(l, g_strdup_printf(_("Picture: %d x %d pixels"), app->screen.width, app->screen.height));
    add(l,
        g_strdup_printf(_("Full screen: %s"), app->cfg->display.fullscreen ? _("yes") : _("no")));
    add(l, g_strdup_printf(_("Video driver: %s"), SDL_GetCurrentVideoDriver()));
    add(l, g_strdup_printf(_("Renderer: %s"), info.name ? info.name : "?"));
}

static void page_versions(struct cr_app *app, GPtrArray *l)
{
    SDL_version sdl;
    SDL_GetVersion(&sdl);
    add(l, g_strdup_printf("craie %s", CR_VERSION));
    add(l, g_strdup_printf("SDL %d.%d.%d, GLib %u.%u.%u", sdl.major, sdl.minor, sdl.patch,
                           glib_major_version, glib_minor_version, glib_micro_version));
    add(l, g_strdup_printf(_("Settings file: %s"),
                           app->cfg->loaded_file ? app->cfg->loaded_file : _("none")));
    add(l, g_strdup_printf(_("Profile: %s"),
                           app->cfg->profile_origin ? app->cfg->profile_origin : _("none")));
    add(l, g_strdup_printf(_("Starts on this PC: %llu"), (unsigned long long)app->fleet.runs));
}

static void page_journal(struct cr_app *app, GPtrArray *l)
{
    g_auto(GStrv) lines = cr_log_recent(40);
    for (char **p = lines; *p; p++)
        add(l, g_strdup(*p));
}

static void page_diagnostics(struct cr_app *app, GPtrArray *l)
{
    if (app->settings.diag_running)
        add(l, g_strdup(_("Checking… (a few seconds)")));
    else if (app->settings.diag_lines)
        for (char **p = app->settings.diag_lines; *p; p++)
            add(l, g_strdup(*p));
    else
        add(l, g_strdup(_("Tap \"Run the checks\": mDNS, the casting port, the ENT and its "
                          "certificate, the clock.")));
}

static void refresh(struct cr_app *app)
{
    GPtrArray *l = g_ptr_array_new_with_free_func(g_free);
    switch (app->settings.screen.page) {
    case CR_SETTINGS_NETWORK:
        page_network(app, l);
        break;
    case CR_SETTINGS_DEVICES:
        page_devices(app, l);
        break;
    case CR_SETTINGS_DISPLAY:
        page_display(app, l);
        break;
    case CR_SETTINGS_VERSIONS:
        page_versions(app, l);
        break;
    case CR_SETTINGS_JOURNAL:
        page_journal(app, l);
        break;
    case CR_SETTINGS_DIAGNOSTICS:
    case CR_SETTINGS_PAGES:
        page_diagnostics(app, l);
        break;
    }
    g_ptr_array_add(l, NULL);
    cr_settings_screen_set_lines(&app->settings.screen, (char **)l->pdata);
    g_ptr_array_unref(l);
    app->dirty = true;
}

/* --- screen ---------------------------------------------------------------- */

void cr_app_settings_opened(struct cr_app *app)
{
    struct cr_settings_screen *s = &app->settings.screen;
    s->locked = app->settings.pin.set;
    cr_settings_screen_clear_typed(s);
    cr_settings_screen_set_message(s, NULL);
    s->page = CR_SETTINGS_NETWORK;
    refresh(app);
}

void cr_app_settings_left(struct cr_app *app)
{
    struct cr_settings_screen *s = &app->settings.screen;
    s->locked = app->settings.pin.set;
    cr_settings_screen_clear_typed(s);
}

void cr_app_settings_draw(struct cr_app *app)
{
    if (!app->settings.screen.locked && app->settings.screen.page == CR_SETTINGS_JOURNAL)
        refresh(app); /* the log moves */
    cr_settings_screen_draw(&app->settings.screen, &app->ui);
}

size_t cr_app_settings_buttons(struct cr_app *app, struct cr_app_button *out, size_t max)
{
    struct cr_button *b[CR_PIN_PAD_KEYS + CR_SETTINGS_PAGES + 2];
    size_t n = cr_settings_screen_buttons(&app->settings.screen, b, G_N_ELEMENTS(b));
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++)
        if (b[i]->visible)
            out[k++] = (struct cr_app_button){b[i], NULL};
    return k;
}

const char *cr_app_settings_hit(struct cr_app *app, int x, int y)
{
    struct cr_button *b[CR_PIN_PAD_KEYS + CR_SETTINGS_PAGES + 2];
    size_t n = cr_settings_screen_buttons(&app->settings.screen, b, G_N_ELEMENTS(b));
    const char *action = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!action && b[i]->visible && b[i]->enabled && cr_rect_contains(b[i]->rect, x, y))
            action = b[i]->action;
        b[i]->pressed = false;
    }
    return action;
}

void cr_app_settings_press(struct cr_app *app, int x, int y)
{
    struct cr_button *b[CR_PIN_PAD_KEYS + CR_SETTINGS_PAGES + 2];
    size_t n = cr_settings_screen_buttons(&app->settings.screen, b, G_N_ELEMENTS(b));
    for (size_t i = 0; i < n; i++)
        b[i]->pressed = b[i]->visible && b[i]->enabled && cr_rect_contains(b[i]->rect, x, y);
}

bool cr_app_settings_key(struct cr_app *app, const SDL_KeyboardEvent *k)
{
    if (app->current != CR_SCREEN_SETTINGS || !app->settings.screen.locked)
        return false;
    SDL_Keycode sym = k->keysym.sym;
    char action[24] = "";
    if (sym >= SDLK_0 && sym <= SDLK_9)
        g_snprintf(action, sizeof(action), "settings key %c", (char)('0' + (sym - SDLK_0)));
    else if (sym >= SDLK_KP_1 && sym <= SDLK_KP_9)
        g_snprintf(action, sizeof(action), "settings key %c", (char)('1' + (sym - SDLK_KP_1)));
    else if (sym == SDLK_KP_0)
        g_strlcpy(action, "settings key 0", sizeof(action));
    else if (sym == SDLK_BACKSPACE)
        g_strlcpy(action, "settings key back", sizeof(action));
    else if (sym == SDLK_RETURN || sym == SDLK_KP_ENTER)
        g_strlcpy(action, "settings key ok", sizeof(action));
    else
        return false;
    cr_app_action(app, action);
    return true;
}

void cr_app_settings_add_state(struct cr_app *app, JsonBuilder *b)
{
    struct cr_settings_screen *s = &app->settings.screen;
    json_builder_set_member_name(b, "settings");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "pin_set");
    json_builder_add_boolean_value(b, app->settings.pin.set);
    json_builder_set_member_name(b, "locked");
    json_builder_add_boolean_value(b, s->locked);
    json_builder_set_member_name(b, "typed");
    json_builder_add_int_value(b, (gint64)strlen(s->typed)); /* a count, never the digits */
    json_builder_set_member_name(b, "message");
    json_builder_add_string_value(b, s->pin_message);
    json_builder_set_member_name(b, "page");
    json_builder_add_string_value(b, cr_settings_page_name(s->page));
    json_builder_set_member_name(b, "diagnosing");
    json_builder_add_boolean_value(b, app->settings.diag_running);
    json_builder_set_member_name(b, "lines");
    json_builder_begin_array(b);
    for (char **l = s->lines; !s->locked && l && *l; l++)
        json_builder_add_string_value(b, *l);
    json_builder_end_array(b);
    json_builder_end_object(b);
}

/* --- diagnostics ------------------------------------------------------------ */

struct diag_job {
    struct cr_diag_options opts;
    char *cast_host, *ent_url, *ent_ca;
};

static gpointer diag_main(gpointer data)
{
    struct diag_job *j = data;
    struct cr_diag_report *r = cr_diag_run(&j->opts);
    cr_event_post(CR_EVENT_DIAG_DONE, r, (void (*)(void *))cr_diag_report_free);
    g_free(j->cast_host);
    g_free(j->ent_url);
    g_free(j->ent_ca);
    g_free(j);
    return NULL;
}

static void start_diag(struct cr_app *app)
{
    if (app->settings.diag_running)
        return;
    if (app->settings.diag_thread)
        g_thread_join(g_steal_pointer(&app->settings.diag_thread));
    struct diag_job *j = g_new0(struct diag_job, 1);
    const struct cr_cast_status *st = app->cast_wall.status;
    if (st && st->running && st->url) {
        g_autoptr(GUri) u = g_uri_parse(st->url, G_URI_FLAGS_NONE, NULL);
        j->cast_host = u ? g_strdup(g_uri_get_host(u)) : NULL;
        j->opts.cast_port = st->port;
    }
    j->ent_url = g_strdup(app->ent.configured ? app->cfg->ent.url : "");
    j->ent_ca = g_strdup(app->cfg->ent.ca_file);
    j->opts.cast_host = j->cast_host;
    j->opts.ent_url = j->ent_url;
    j->opts.ent_ca_file = j->ent_ca;
    app->settings.diag_running = true;
    app->settings.diag_thread = g_thread_new("craie-diag", diag_main, j);
    refresh(app);
}

void cr_app_settings_on_diag(struct cr_app *app, struct cr_diag_report *report)
{
    app->settings.diag_running = false;
    g_strfreev(app->settings.diag_lines);
    app->settings.diag_lines = cr_diag_report_lines(report);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    for (size_t i = 0; i < report->n; i++) {
        json_builder_set_member_name(b, report->items[i].id);
        json_builder_add_string_value(b, report->items[i].status == CR_DIAG_OK     ? "ok"
                                         : report->items[i].status == CR_DIAG_WARN ? "warning"
                                         : report->items[i].status == CR_DIAG_FAIL ? "failed"
                                                                                   : "skipped");
    }
    json_builder_end_object(b);
    cr_app_broadcast(app, "diagnostics", json_builder_get_root(b));
    g_object_unref(b);
    if (app->current == CR_SCREEN_SETTINGS)
        refresh(app);
}

/* --- commands ----------------------------------------------------------------- */

static bool try_pin(struct cr_app *app, char **error)
{
    struct cr_settings_screen *s = &app->settings.screen;
    int64_t wait = 0;
    enum cr_pin_result r =
        cr_settings_pin_check(&app->settings.pin, s->typed, cr_monotonic_us(), &wait);
    cr_settings_screen_clear_typed(s);
    app->dirty = true;
    if (r == CR_PIN_OK) {
        s->locked = false;
        cr_settings_screen_set_message(s, NULL);
        cr_info("settings", "Réglages opened");
        refresh(app);
        return true;
    }
    int secs = (int)((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    g_autofree char *msg = NULL;
    if (r == CR_PIN_LOCKED)
        msg = g_strdup_printf(_("Too many wrong PINs: try again in %d s."), secs);
    else if (wait > 0)
        msg = g_strdup_printf(_("Wrong PIN. Next try in %d s."), secs);
    else
        msg = g_strdup(_("Wrong PIN."));
    cr_settings_screen_set_message(s, msg);
    *error = g_strdup(r == CR_PIN_LOCKED ? "too many wrong PINs: wait" : "wrong PIN");
    return false;
}

bool cr_app_settings_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                             char **error)
{
    struct cr_settings_screen *s = &app->settings.screen;
    const char *sub = args[0], *arg = n > 1 ? args[1] : NULL;
    if (app->current != CR_SCREEN_SETTINGS) {
        *error = g_strdup("the settings screen is not open (open settings)");
        return false;
    }
    app->dirty = true;
    if (!strcmp(sub, "key") && arg) {
        if (!s->locked) {
            *error = g_strdup("the settings screen is not locked");
            return false;
        }
        if (!strcmp(arg, "ok"))
            return try_pin(app, error);
        if (!cr_settings_screen_type(s, arg)) {
            *error = g_strdup_printf("key %s: a digit, back or ok", arg);
            return false;
        }
        return true;
    }
    if (!strcmp(sub, "pin") && arg) { /* the whole PIN at once, as typed on the pad */
        if (!s->locked) {
            *error = g_strdup("the settings screen is not locked");
            return false;
        }
        cr_settings_screen_clear_typed(s);
        for (const char *p = arg; *p; p++) {
            char k[2] = {*p, 0};
            if (!cr_settings_screen_type(s, k))
                break;
        }
        return try_pin(app, error);
    }
    if (!strcmp(sub, "lock")) {
        cr_app_settings_left(app);
        return true;
    }
    if (s->locked) {
        *error = g_strdup("the settings screen is locked: type the PIN first");
        return false;
    }
    if (!strcmp(sub, "page") && arg) {
        enum cr_settings_page p;
        if (!cr_settings_page_from_name(arg, &p)) {
            *error = g_strdup_printf("unknown page %s (network, devices, display, versions, "
                                     "journal, diagnostics)",
                                     arg);
            return false;
        }
        s->page = p;
        refresh(app);
        return true;
    }
    if (!strcmp(sub, "diagnose")) {
        s->page = CR_SETTINGS_DIAGNOSTICS;
        start_diag(app);
        return true;
    }
    *error = g_strdup("usage: settings key K|pin DIGITS|page NAME|diagnose|lock");
    return false;
}

bool cr_app_settings_pin_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                                 char **error)
{
    g_autoptr(GError) err = NULL;
    if (!strcmp(args[0], "set") && n == 2) {
        if (!cr_settings_pin_set(&app->settings.pin, args[1], &err)) {
            *error = g_strdup(err->message);
            return false;
        }
    } else if (!strcmp(args[0], "clear") && n == 1) {
        if (!cr_settings_pin_clear(&app->settings.pin, &err)) {
            *error = g_strdup(err->message);
            return false;
        }
    } else if (!(!strcmp(args[0], "status") && n == 1)) {
        *error = g_strdup("usage: settings-pin set PIN|clear|status");
        return false;
    }
    if (app->current != CR_SCREEN_SETTINGS)
        app->settings.screen.locked = app->settings.pin.set;
    *data = json_node_init_boolean(json_node_alloc(), app->settings.pin.set);
    return true;
}
