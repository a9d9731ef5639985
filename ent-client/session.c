/* The client's life: settings, state, sign-in method choice, the
 * inactivity / end-of-day timers, sign-out and the wipe. */
#include <errno.h>
#include <json-glib/json-glib.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "ent-client/private.h"
#include "ent-client/resources.h"
#include "ent-client/secret.h"

#define SIGNOUT_DEADLINE_MS 5000
#define SECRET_FILE_MAX 4096

struct ent_call {
    struct cr_ent *ent;
    struct cr_http_call *call;
    bool farewell;
    cr_ent_done_fn done;
    void *data;
    GDestroyNotify destroy; /* data's, when the call is cancelled */
};

static void signout_finish(struct cr_ent *ent);

/* ---- calls ---- */

static void call_done(const struct cr_http_response *resp, void *userdata)
{
    struct ent_call *c = userdata;
    struct cr_ent *ent = c->ent;
    g_ptr_array_remove_fast(ent->calls, c);
    bool farewell = c->farewell;
    c->done(ent, resp, c->data);
    free(c);
    if (farewell && ent->state == CR_ENT_SIGNING_OUT) {
        bool left = false;
        for (guint i = 0; i < ent->calls->len; i++)
            left |= ((struct ent_call *)g_ptr_array_index(ent->calls, i))->farewell;
        if (!left)
            signout_finish(ent);
    }
}

struct cr_http_call *cr_ent_send(struct cr_ent *ent, const struct cr_http_request *req,
                                 bool farewell, cr_ent_done_fn done, void *data)
{
    return cr_ent_send_full(ent, req, farewell, done, data, NULL);
}

struct cr_http_call *cr_ent_send_full(struct cr_ent *ent, const struct cr_http_request *req,
                                      bool farewell, cr_ent_done_fn done, void *data,
                                      GDestroyNotify destroy)
{
    struct ent_call *c = cr_xcalloc(1, sizeof(*c));
    c->ent = ent;
    c->farewell = farewell;
    c->done = done;
    c->data = data;
    c->destroy = destroy;
    g_ptr_array_add(ent->calls, c);
    c->call = cr_http_send(ent->http, req, call_done, c);
    return c->call;
}

void cr_ent_cancel_calls(struct cr_ent *ent, bool farewells_too)
{
    for (guint i = ent->calls->len; i-- > 0;) {
        struct ent_call *c = g_ptr_array_index(ent->calls, i);
        if (c->farewell && !farewells_too)
            continue;
        g_ptr_array_remove_index_fast(ent->calls, i);
        cr_http_cancel(c->call);
        if (c->destroy)
            c->destroy(c->data);
        free(c);
    }
}

void cr_ent_cancel_call(struct cr_ent *ent, struct cr_http_call *call)
{
    for (guint i = 0; call && i < ent->calls->len; i++) {
        struct ent_call *c = g_ptr_array_index(ent->calls, i);
        if (c->call == call) {
            g_ptr_array_remove_index_fast(ent->calls, i);
            cr_http_cancel(c->call);
            if (c->destroy)
                c->destroy(c->data);
            free(c);
            return;
        }
    }
}

char *cr_ent_url(const struct cr_ent *ent, const char *path)
{
    return g_strconcat(ent->url, path, NULL);
}

/* ---- state ---- */

void cr_ent_notify(struct cr_ent *ent)
{
    if (ent->callbacks && ent->callbacks->changed)
        ent->callbacks->changed(ent, ent->userdata);
}

static void set_message(struct cr_ent *ent, const char *message)
{
    g_free(ent->message);
    ent->message = g_strdup(message);
}

void cr_ent_set_state(struct cr_ent *ent, enum cr_ent_state state)
{
    if (ent->state != state)
        cr_debug("ent", "state %d -> %d", ent->state, state);
    ent->state = state;
    cr_ent_notify(ent);
}

static void clear_source(GSource **s)
{
    if (*s) {
        g_source_destroy(*s);
        g_source_unref(*s);
        *s = NULL;
    }
}

static GSource *add_timeout_ms(struct cr_ent *ent, guint ms, GSourceFunc fn)
{
    GSource *s = g_timeout_source_new(ms);
    g_source_set_callback(s, fn, ent, NULL);
    g_source_attach(s, ent->ctx);
    return s;
}

static void clear_code(struct cr_ent *ent)
{
    cr_secret_clear(&ent->qr_uri);
    cr_secret_clear(&ent->user_code);
    cr_secret_clear(&ent->verification_uri);
    ent->code_deadline_us = 0;
    clear_source(&ent->code_tick);
}

static gboolean code_tick(gpointer data)
{
    struct cr_ent *ent = data;
    cr_ent_notify(ent); /* seconds left changed */
    return G_SOURCE_CONTINUE;
}

void cr_ent_show_code(struct cr_ent *ent, const char *qr_uri, const char *user_code,
                      const char *verification_uri, int64_t deadline_us)
{
    clear_code(ent);
    ent->qr_uri = cr_secret_dup(qr_uri);
    ent->user_code = cr_secret_dup(user_code);
    ent->verification_uri = cr_secret_dup(verification_uri);
    ent->code_deadline_us = deadline_us;
    ent->code_tick = add_timeout_ms(ent, 1000, code_tick);
    set_message(ent, NULL);
    cr_ent_set_state(ent, CR_ENT_SHOW_CODE);
}

static void stop_auth(struct cr_ent *ent)
{
    if (ent->auth && ent->auth->stop)
        ent->auth->stop(ent);
    ent->auth = NULL;
    clear_code(ent);
}

/* Everything the teacher's session left in memory goes, at once (the
 * cookies too, unless the sign-out calls still need them: they go when
 * those calls are done). */
static void wipe(struct cr_ent *ent, bool keep_cookies)
{
    cr_ent_cancel_calls(ent, false);
    cr_ent_drop_api_waiters(ent);
    stop_auth(ent);
    cr_oauth_tokens_clear(&ent->tokens);
    cr_cas_result_clear(&ent->cas);
    cr_secret_clear(&ent->user_name);
    g_clear_pointer(&ent->structures, g_strfreev);
    g_clear_pointer(&ent->resources, g_ptr_array_unref);
    g_clear_pointer(&ent->folder_id, g_free);
    ent->loads_pending = 0;
    clear_source(&ent->refresh_timer);
    clear_source(&ent->idle_timer);
    clear_source(&ent->eod_timer);
    ent->idle_left = 0;
    if (!keep_cookies)
        cr_http_forget_cookies(ent->http);
}

void cr_ent_fail(struct cr_ent *ent, enum cr_ent_problem problem)
{
    cr_notice("ent", "sign-in stopped (problem %d)", problem);
    /* Tokens already obtained (a requirement is pending, a listing was
     * refused) are revoked where the provider allows it. */
    struct cr_oauth_tokens tokens = ent->tokens;
    memset(&ent->tokens, 0, sizeof(ent->tokens));
    wipe(ent, false);
    cr_ent_revoke(ent, &tokens);
    set_message(ent, cr_ent_problem_message(problem));
    cr_ent_set_state(ent, CR_ENT_SIGNED_OUT);
}

/* ---- inactivity and end of day ---- */

static gboolean idle_fired(gpointer data);

static void arm_idle(struct cr_ent *ent)
{
    clear_source(&ent->idle_timer);
    ent->idle_left = 0;
    if (ent->idle_seconds <= 0)
        return;
    ent->idle_deadline_us = g_get_monotonic_time() + (int64_t)ent->idle_seconds * G_USEC_PER_SEC;
    int quiet = ent->idle_seconds - ent->idle_warning_seconds;
    ent->idle_timer = add_timeout_ms(ent, (guint)CR_MAX(quiet, 0) * 1000, idle_fired);
}

static gboolean idle_fired(gpointer data)
{
    struct cr_ent *ent = data;
    int64_t left_us = ent->idle_deadline_us - g_get_monotonic_time();
    if (left_us <= 0) {
        cr_notice("ent", "signing out after inactivity");
        cr_ent_signout(ent, CR_ENT_SIGNOUT_IDLE);
        return G_SOURCE_REMOVE;
    }
    /* The countdown: once a second until the deadline. */
    int left = (int)((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    if (left != ent->idle_left) {
        ent->idle_left = left;
        cr_ent_notify(ent);
    }
    clear_source(&ent->idle_timer);
    guint next = (guint)((left_us % G_USEC_PER_SEC) / 1000);
    ent->idle_timer = add_timeout_ms(ent, next ? next : 1000, idle_fired);
    return G_SOURCE_REMOVE;
}

static gboolean eod_fired(gpointer data)
{
    struct cr_ent *ent = data;
    cr_notice("ent", "signing out at the end of the day");
    cr_ent_signout(ent, CR_ENT_SIGNOUT_END_OF_DAY);
    return G_SOURCE_REMOVE;
}

static void arm_end_of_day(struct cr_ent *ent)
{
    clear_source(&ent->eod_timer);
    if (ent->end_of_day_minutes < 0)
        return;
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    int64_t seconds = cr_ent_seconds_until(ent->end_of_day_minutes, now);
    ent->eod_timer = g_timeout_source_new_seconds((guint)seconds + 1);
    g_source_set_callback(ent->eod_timer, eod_fired, ent, NULL);
    g_source_attach(ent->eod_timer, ent->ctx);
}

int64_t cr_ent_seconds_until(int minutes, GDateTime *now)
{
    /* The next time the wall clock shows that time, in now's time zone
     * (a daylight-saving change between the two is accounted for). */
    g_autoptr(GDateTime) at = g_date_time_new(
        g_date_time_get_timezone(now), g_date_time_get_year(now), g_date_time_get_month(now),
        g_date_time_get_day_of_month(now), minutes / 60, minutes % 60, 0);
    if (g_date_time_compare(at, now) <= 0) {
        GDateTime *tomorrow = g_date_time_add_days(now, 1);
        g_date_time_unref(at);
        at = g_date_time_new(g_date_time_get_timezone(now), g_date_time_get_year(tomorrow),
                             g_date_time_get_month(tomorrow),
                             g_date_time_get_day_of_month(tomorrow), minutes / 60, minutes % 60, 0);
        g_date_time_unref(tomorrow);
    }
    return g_date_time_difference(at, now) / G_TIME_SPAN_SECOND;
}

void cr_ent_activity(struct cr_ent *ent)
{
    if (ent->state != CR_ENT_SIGNED_IN)
        return;
    bool was_counting = ent->idle_left > 0;
    arm_idle(ent);
    if (was_counting)
        cr_ent_notify(ent);
}

/* ---- signed in ---- */

void cr_ent_got_tokens(struct cr_ent *ent, struct cr_oauth_tokens *tokens)
{
    stop_auth(ent);
    cr_oauth_tokens_clear(&ent->tokens);
    ent->tokens = *tokens;
    memset(tokens, 0, sizeof(*tokens));
    cr_ent_schedule_refresh(ent);
    cr_ent_set_state(ent, CR_ENT_SIGNING_IN);
    ent->driver->fetch(ent);
}

void cr_ent_set_user(struct cr_ent *ent, const char *display_name)
{
    stop_auth(ent);
    cr_secret_free(ent->user_name);
    ent->user_name = cr_secret_dup(display_name ? display_name : "");
    if (!ent->resources)
        ent->resources = cr_resource_list_new();
    set_message(ent, NULL);
    arm_idle(ent);
    arm_end_of_day(ent);
    cr_notice("ent", "signed in (%s)", cr_ent_method_name(ent->method));
    cr_ent_set_state(ent, CR_ENT_SIGNED_IN);
}

void cr_ent_loads_begin(struct cr_ent *ent, unsigned n)
{
    ent->loads_pending += n;
}

void cr_ent_loads_end(struct cr_ent *ent)
{
    if (ent->loads_pending > 0 && --ent->loads_pending == 0) {
        cr_info("ent", "%u resources listed", ent->resources ? ent->resources->len : 0);
        cr_ent_notify(ent);
    }
}

/* ---- sign-in ---- */

static const struct cr_ent_auth_ops *auth_for(const struct cr_ent *ent, enum cr_ent_method m)
{
    switch (m) {
    case CR_ENT_METHOD_DEVICE:
        return &cr_ent_auth_device;
    case CR_ENT_METHOD_CROSS_DEVICE:
        return &cr_ent_auth_cross_device;
    case CR_ENT_METHOD_PASSWORD:
        return ent->kind == CR_ENT_KIND_CAS ? &cr_ent_auth_cas : &cr_ent_auth_password;
    default:
        return NULL;
    }
}

static void start_method(struct cr_ent *ent, enum cr_ent_method wanted)
{
    ent->methods = ent->driver->methods(ent);
    enum cr_ent_method m = CR_ENT_METHOD_NONE;
    if (wanted && (ent->methods & wanted))
        m = wanted;
    else if (ent->methods & CR_ENT_METHOD_DEVICE)
        m = CR_ENT_METHOD_DEVICE;
    else if (ent->methods & CR_ENT_METHOD_CROSS_DEVICE)
        m = CR_ENT_METHOD_CROSS_DEVICE;
    else if (ent->methods & CR_ENT_METHOD_PASSWORD)
        m = CR_ENT_METHOD_PASSWORD;
    if (!m) {
        cr_warn("ent", "no sign-in method is possible with this configuration");
        cr_ent_fail(ent, CR_ENT_PROBLEM_CONFIG);
        return;
    }
    ent->method = m;
    ent->auth = auth_for(ent, m);
    cr_info("ent", "signing in: %s", cr_ent_method_name(m));
    ent->auth->start(ent);
}

static void set_endpoint(char **slot, JsonObject *o, const char *name);

static void discovered(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    enum cr_ent_method wanted = GPOINTER_TO_INT(data);
    if (resp->status != 200) {
        cr_warn("ent", "OpenID configuration: %s",
                resp->status ? "HTTP error" : (resp->error ? resp->error : "failed"));
        cr_ent_fail(ent, resp->status ? CR_ENT_PROBLEM_SERVER : CR_ENT_PROBLEM_NETWORK);
        return;
    }
    g_autoptr(JsonParser) p = json_parser_new_immutable();
    JsonNode *root = json_parser_load_from_data(p, resp->body, (gssize)resp->len, NULL)
                         ? json_parser_get_root(p)
                         : NULL;
    JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
    struct cr_ent_endpoints *ep = &ent->ep;
    set_endpoint(&ep->issuer, o, "issuer");
    set_endpoint(&ep->authorization, o, "authorization_endpoint");
    set_endpoint(&ep->token, o, "token_endpoint");
    set_endpoint(&ep->device, o, "device_authorization_endpoint");
    set_endpoint(&ep->userinfo, o, "userinfo_endpoint");
    set_endpoint(&ep->revocation, o, "revocation_endpoint");
    set_endpoint(&ep->end_session, o, "end_session_endpoint");
    if (!o || !ep->token) {
        cr_warn("ent", "OpenID configuration without token_endpoint");
        cr_ent_fail(ent, CR_ENT_PROBLEM_SERVER);
        return;
    }
    JsonArray *a = json_object_has_member(o, "code_challenge_methods_supported")
                       ? json_object_get_array_member(o, "code_challenge_methods_supported")
                       : NULL;
    for (guint i = 0; a && i < json_array_get_length(a); i++)
        ep->pkce_s256 |= !g_strcmp0(json_array_get_string_element(a, i), "S256");
    a = json_object_has_member(o, "grant_types_supported")
            ? json_object_get_array_member(o, "grant_types_supported")
            : NULL;
    for (guint i = 0; a && i < json_array_get_length(a); i++)
        ep->password_grant |= !g_strcmp0(json_array_get_string_element(a, i), "password");
    ep->known = true;
    start_method(ent, wanted);
}

static void set_endpoint(char **slot, JsonObject *o, const char *name)
{
    g_clear_pointer(slot, g_free);
    if (!o || !json_object_has_member(o, name))
        return;
    JsonNode *n = json_object_get_member(o, name);
    if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
        *slot = g_strdup(json_node_get_string(n));
}

void cr_ent_signin(struct cr_ent *ent, enum cr_ent_method method)
{
    if (ent->state == CR_ENT_SIGNED_IN || ent->state == CR_ENT_SIGNING_IN ||
        ent->state == CR_ENT_SIGNING_OUT || ent->state == CR_ENT_PREPARING)
        return;
    stop_auth(ent);
    set_message(ent, NULL);
    if (ent->kind == CR_ENT_KIND_OIDC && !ent->ep.known) {
        cr_ent_set_state(ent, CR_ENT_PREPARING);
        g_autofree char *url = g_str_has_suffix(ent->url, "/.well-known/openid-configuration")
                                   ? g_strdup(ent->url)
                                   : cr_ent_url(ent, "/.well-known/openid-configuration");
        struct cr_http_request req = {.url = url, .accept = "application/json", .follow = true};
        cr_ent_send(ent, &req, false, discovered, GINT_TO_POINTER(method));
        return;
    }
    start_method(ent, method);
}

void cr_ent_submit_password(struct cr_ent *ent, const char *user, const char *password)
{
    if (ent->state != CR_ENT_ASK_PASSWORD || !ent->auth || !ent->auth->password)
        return;
    cr_ent_set_state(ent, CR_ENT_SIGNING_IN);
    ent->auth->password(ent, user, password);
}

void cr_ent_cancel(struct cr_ent *ent)
{
    if (ent->state == CR_ENT_SIGNED_IN || ent->state == CR_ENT_SIGNED_OUT ||
        ent->state == CR_ENT_SIGNING_OUT)
        return;
    wipe(ent, false);
    set_message(ent, NULL);
    cr_ent_set_state(ent, CR_ENT_SIGNED_OUT);
}

void cr_ent_open_folder(struct cr_ent *ent, const char *folder_id)
{
    if (ent->state != CR_ENT_SIGNED_IN || !ent->driver->open_folder)
        return;
    ent->driver->open_folder(ent, folder_id);
}

/* ---- sign-out ---- */

static void signout_finish(struct cr_ent *ent)
{
    clear_source(&ent->signout_deadline);
    cr_ent_cancel_calls(ent, true);
    cr_http_forget_cookies(ent->http);
    cr_info("ent", "signed out; session wiped");
    cr_ent_set_state(ent, CR_ENT_SIGNED_OUT);
}

static gboolean signout_timeout(gpointer data)
{
    struct cr_ent *ent = data;
    cr_warn("ent", "the ENT did not answer the sign-out in time");
    g_source_unref(ent->signout_deadline);
    ent->signout_deadline = NULL;
    signout_finish(ent);
    return G_SOURCE_REMOVE;
}

void cr_ent_signout(struct cr_ent *ent, enum cr_ent_signout_reason reason)
{
    if (ent->state == CR_ENT_SIGNED_OUT || ent->state == CR_ENT_SIGNING_OUT)
        return;
    bool had_session = ent->state == CR_ENT_SIGNED_IN || ent->state == CR_ENT_SIGNING_IN;
    struct cr_oauth_tokens tokens = ent->tokens;
    memset(&ent->tokens, 0, sizeof(ent->tokens));
    wipe(ent, true);
    set_message(ent, cr_ent_signout_message(reason));
    if (!had_session) {
        cr_oauth_tokens_clear(&tokens);
        signout_finish(ent);
        return;
    }
    ent->state = CR_ENT_SIGNING_OUT;
    /* The cookies go with the logout calls that need them, then are forgotten. */
    ent->driver->logout(ent, &tokens);
    cr_oauth_tokens_clear(&tokens);
    bool left = false;
    for (guint i = 0; i < ent->calls->len; i++)
        left |= ((struct ent_call *)g_ptr_array_index(ent->calls, i))->farewell;
    if (!left) {
        signout_finish(ent);
        return;
    }
    ent->signout_deadline = add_timeout_ms(ent, SIGNOUT_DEADLINE_MS, signout_timeout);
    cr_ent_notify(ent);
}

/* ---- life ---- */

enum cr_ent_state cr_ent_get_state(const struct cr_ent *ent)
{
    return ent->state;
}

/* The client secret: a file private to its owner (0600 or stricter). */
static bool read_secret_file(const char *path, char **out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        cr_warn("ent", "client secret file %s: %s", path, g_strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077)) {
        cr_warn("ent",
                "client secret file %s must be a regular file readable by its owner only "
                "(chmod 600)",
                path);
        close(fd);
        return false;
    }
    char *buf = cr_xcalloc(1, SECRET_FILE_MAX + 1);
    ssize_t n = read(fd, buf, SECRET_FILE_MAX);
    close(fd);
    if (n <= 0) {
        cr_warn("ent", "client secret file %s is empty", path);
        cr_secret_free_n(buf, SECRET_FILE_MAX + 1);
        return false;
    }
    /* One line; trailing white space and newline dropped. */
    size_t len = strcspn(buf, "\r\n");
    while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
        len--;
    *out = cr_secret_dupn(buf, len);
    cr_secret_free_n(buf, SECRET_FILE_MAX + 1);
    return len > 0;
}

bool cr_ent_parse_time_of_day(const char *text, int *minutes)
{
    *minutes = -1;
    if (!text || !*text)
        return true;
    int h, m;
    char tail;
    if (sscanf(text, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        return false;
    *minutes = h * 60 + m;
    return true;
}

struct cr_ent *cr_ent_new(const struct cr_ent_settings *s, GMainContext *ctx,
                          const struct cr_ent_callbacks *callbacks, void *userdata)
{
    const struct cr_ent_driver_ops *driver = NULL;
    switch (s->kind) {
    case CR_ENT_KIND_ENTCORE:
        driver = &cr_ent_driver_entcore;
        break;
    case CR_ENT_KIND_OIDC:
        driver = &cr_ent_driver_oidc;
        break;
    case CR_ENT_KIND_CAS:
        driver = &cr_ent_driver_cas;
        break;
    default:
        cr_info("ent", "no ENT configured");
        return NULL;
    }
    if (!s->url || !(g_str_has_prefix(s->url, "https://") || g_str_has_prefix(s->url, "http://"))) {
        cr_warn("ent", "ent.url must be an https URL");
        return NULL;
    }
    if (s->kind != CR_ENT_KIND_CAS && (!s->client_id || !*s->client_id)) {
        cr_warn("ent", "ent.client_id is needed for %s", cr_ent_kind_name(s->kind));
        return NULL;
    }
    int eod;
    if (!cr_ent_parse_time_of_day(s->end_of_day, &eod)) {
        cr_warn("ent", "ent.end_of_day must be HH:MM");
        return NULL;
    }
    char *secret = NULL;
    if (s->client_secret_file && *s->client_secret_file &&
        !read_secret_file(s->client_secret_file, &secret))
        return NULL;

    struct cr_ent *ent = cr_xcalloc(1, sizeof(*ent));
    ent->refs = 1;
    ent->ctx = g_main_context_ref(ctx);
    ent->callbacks = callbacks;
    ent->userdata = userdata;
    ent->kind = s->kind;
    ent->driver = driver;
    ent->url = g_strdup(s->url);
    while (g_str_has_suffix(ent->url, "/"))
        ent->url[strlen(ent->url) - 1] = '\0';
    ent->client_id = g_strdup(s->client_id);
    ent->client_secret = secret;
    ent->resources_src = g_strdup(s->resources);
    ent->scope = g_strdup(s->scope && *s->scope ? s->scope : NULL);
    ent->callback_url = s->callback_url && *s->callback_url ? g_strdup(s->callback_url) : NULL;
    ent->callback_port = s->callback_port;
    ent->callback_cert = g_strdup(s->callback_cert);
    ent->callback_key = g_strdup(s->callback_key);
    ent->room = g_strdup(s->room && *s->room ? s->room : NULL);
    ent->idle_seconds = s->idle_seconds;
    ent->idle_warning_seconds = CR_CLAMP(s->idle_warning_seconds, 0, CR_MAX(s->idle_seconds, 0));
    ent->end_of_day_minutes = eod;
    ent->http = cr_http_new(ctx, s->ca_file);
    ent->calls = g_ptr_array_new();
    ent->api_waiters = g_ptr_array_new();
    ent->state = CR_ENT_SIGNED_OUT;
    if (ent->kind == CR_ENT_KIND_ENTCORE) {
        ent->ep.authorization = cr_ent_url(ent, "/auth/oauth2/auth");
        ent->ep.token = cr_ent_url(ent, "/auth/oauth2/token");
        ent->ep.userinfo = cr_ent_url(ent, "/auth/oauth2/userinfo");
        ent->ep.password_grant = true;
        ent->ep.known = true;
    }
    ent->methods = ent->ep.known || ent->kind == CR_ENT_KIND_CAS ? driver->methods(ent) : 0;
    return ent;
}

struct cr_ent *cr_ent_ref(struct cr_ent *ent)
{
    ent->refs++;
    return ent;
}

static void endpoints_clear(struct cr_ent_endpoints *ep)
{
    g_free(ep->issuer);
    g_free(ep->authorization);
    g_free(ep->token);
    g_free(ep->device);
    g_free(ep->userinfo);
    g_free(ep->revocation);
    g_free(ep->end_session);
    memset(ep, 0, sizeof(*ep));
}

void cr_ent_unref(struct cr_ent *ent)
{
    if (!ent || --ent->refs > 0)
        return;
    wipe(ent, false);
    cr_ent_cancel_calls(ent, true);
    clear_source(&ent->signout_deadline);
    cr_http_free(ent->http);
    g_ptr_array_free(ent->calls, TRUE);
    g_ptr_array_free(ent->api_waiters, TRUE);
    endpoints_clear(&ent->ep);
    cr_secret_free(ent->client_secret);
    g_free(ent->url);
    g_free(ent->client_id);
    g_free(ent->resources_src);
    g_free(ent->scope);
    g_free(ent->callback_url);
    g_free(ent->callback_cert);
    g_free(ent->callback_key);
    g_free(ent->room);
    g_free(ent->message);
    g_main_context_unref(ent->ctx);
    free(ent);
}
