/* OAuth 2.0 sign-in methods: device authorization grant (RFC 8628),
 * authorization code with the phone as the browser (cross-device, PKCE
 * where the provider has it), password grant; and the token life after
 * it: refresh before expiry, revocation (RFC 7009). */
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "ent-client/private.h"
#include "ent-client/secret.h"

#define CROSS_DEVICE_TTL_S 120
#define REFRESH_MARGIN_S 180
#define REFRESH_RETRY_S 30

static const char *scope_of(const struct cr_ent *ent)
{
    if (ent->scope)
        return ent->scope;
    if (ent->kind == CR_ENT_KIND_ENTCORE)
        return "userinfo portal workspace auth cas gar userbook";
    return "openid profile email";
}

void cr_ent_client_auth(const struct cr_ent *ent, struct cr_http_request *req, GString *form)
{
    if (ent->client_secret) {
        req->basic_user = ent->client_id;
        req->basic_password = ent->client_secret;
    } else {
        cr_http_form_add(form, "client_id", ent->client_id);
    }
}

struct cr_http_call *cr_ent_token_request(struct cr_ent *ent, GString *form, cr_ent_done_fn done,
                                          void *data)
{
    struct cr_http_request req = {
        .method = "POST",
        .url = ent->ep.token,
        .accept = "application/json",
    };
    cr_ent_client_auth(ent, &req, form);
    req.body = form->str;
    req.body_len = form->len;
    struct cr_http_call *call = cr_ent_send(ent, &req, false, done, data);
    cr_form_free(form);
    return call;
}

static enum cr_oauth_result parse_tokens(const struct cr_http_response *resp,
                                         struct cr_oauth_tokens *tokens,
                                         struct cr_oauth_error *error)
{
    return cr_oauth_parse_token(resp->status, resp->body, resp->len, tokens, error);
}

static enum cr_ent_problem problem_of(enum cr_oauth_result r, const struct cr_oauth_error *e)
{
    return r == CR_OAUTH_BAD_RESPONSE ? CR_ENT_PROBLEM_SERVER : cr_oauth_classify(e);
}

/* ================= device authorization grant ================= */

struct device_state {
    struct cr_device_authorization da;
    struct cr_device_poll poll;
    GSource *timer;
    struct cr_http_call *call;
};

static void device_poll(struct cr_ent *ent);

static gboolean device_timer(gpointer data)
{
    struct cr_ent *ent = data;
    struct device_state *st = ent->auth_data;
    g_source_unref(st->timer);
    st->timer = NULL;
    device_poll(ent);
    return G_SOURCE_REMOVE;
}

static void device_wait(struct cr_ent *ent)
{
    struct device_state *st = ent->auth_data;
    int64_t delay = st->poll.next_us - g_get_monotonic_time();
    st->timer = g_timeout_source_new((guint)CR_MAX(delay / 1000, 0));
    g_source_set_callback(st->timer, device_timer, ent, NULL);
    g_source_attach(st->timer, ent->ctx);
}

static void device_polled(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct device_state *st = ent->auth_data;
    st->call = NULL;
    struct cr_oauth_tokens tokens;
    struct cr_oauth_error error;
    enum cr_oauth_result r = parse_tokens(resp, &tokens, &error);
    enum cr_device_step step = cr_device_poll_next(&st->poll, r, &error, g_get_monotonic_time());
    enum cr_ent_problem problem = problem_of(r, &error);
    cr_oauth_error_clear(&error);
    switch (step) {
    case CR_DEVICE_DONE:
        cr_info("ent", "device flow approved");
        cr_ent_got_tokens(ent, &tokens);
        break;
    case CR_DEVICE_WAIT:
        if (problem == CR_ENT_PROBLEM_SLOW_DOWN)
            cr_debug("ent", "slow_down: polling every %d s",
                     (int)(st->poll.interval_us / G_USEC_PER_SEC));
        device_wait(ent);
        break;
    case CR_DEVICE_EXPIRED:
        cr_ent_fail(ent, CR_ENT_PROBLEM_EXPIRED);
        break;
    case CR_DEVICE_DENIED:
        cr_ent_fail(ent, CR_ENT_PROBLEM_DENIED);
        break;
    case CR_DEVICE_FAILED:
        cr_warn("ent", "device flow: token endpoint answered HTTP %ld", resp->status);
        cr_ent_fail(ent, problem);
        break;
    }
    cr_oauth_tokens_clear(&tokens);
}

static void device_poll(struct cr_ent *ent)
{
    struct device_state *st = ent->auth_data;
    GString *form = cr_form_new();
    cr_http_form_add(form, "grant_type", "urn:ietf:params:oauth:grant-type:device_code");
    cr_http_form_add(form, "device_code", st->da.device_code);
    st->call = cr_ent_token_request(ent, form, device_polled, NULL);
}

static void device_authorized(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct device_state *st = ent->auth_data;
    st->call = NULL;
    if (resp->status != 200 || !cr_device_authorization_parse(resp->body, resp->len, &st->da)) {
        struct cr_oauth_error error;
        enum cr_ent_problem problem = CR_ENT_PROBLEM_SERVER;
        if (cr_oauth_parse_error(resp->status, resp->body, resp->len, &error))
            problem = cr_oauth_classify(&error);
        cr_oauth_error_clear(&error);
        cr_warn("ent", "device authorization refused (HTTP %ld)", resp->status);
        cr_ent_fail(ent, problem);
        return;
    }
    int64_t now = g_get_monotonic_time();
    cr_device_poll_init(&st->poll, st->da.interval, st->da.expires_in, now);
    const char *qr = st->da.verification_uri_complete ? st->da.verification_uri_complete
                                                      : st->da.verification_uri;
    cr_ent_show_code(ent, qr, st->da.user_code, st->da.verification_uri, st->poll.deadline_us);
    device_wait(ent);
}

static void device_start(struct cr_ent *ent)
{
    struct device_state *st = cr_xcalloc(1, sizeof(*st));
    ent->auth_data = st;
    cr_ent_set_state(ent, CR_ENT_PREPARING);
    GString *form = cr_form_new();
    cr_http_form_add(form, "scope", scope_of(ent));
    struct cr_http_request req = {
        .method = "POST",
        .url = ent->ep.device,
        .accept = "application/json",
    };
    cr_ent_client_auth(ent, &req, form);
    req.body = form->str;
    req.body_len = form->len;
    st->call = cr_ent_send(ent, &req, false, device_authorized, NULL);
    cr_form_free(form);
}

static void device_stop(struct cr_ent *ent)
{
    struct device_state *st = ent->auth_data;
    if (!st)
        return;
    cr_ent_cancel_call(ent, st->call);
    if (st->timer) {
        g_source_destroy(st->timer);
        g_source_unref(st->timer);
    }
    cr_device_authorization_clear(&st->da);
    free(st);
    ent->auth_data = NULL;
}

const struct cr_ent_auth_ops cr_ent_auth_device = {
    .method = CR_ENT_METHOD_DEVICE,
    .start = device_start,
    .stop = device_stop,
};

/* ================= cross-device authorization code ================= */

struct code_state {
    struct cr_oauth_pending pending;
    GSource *expiry;
    struct cr_http_call *call;
    void *phone; /* the phone's request, paused until the tokens are in */
};

static void code_reply(struct cr_ent *ent, struct code_state *st, bool ok,
                       enum cr_ent_problem problem)
{
    if (!st->phone || !ent->server)
        return;
    if (ok) {
        g_autofree char *text =
            ent->room ? g_strdup_printf(_("The board of %s is signed in (code %s). You can close "
                                          "this page."),
                                        ent->room, st->pending.board_code)
                      : g_strdup_printf(_("The board is signed in (code %s). You can close this "
                                          "page."),
                                        st->pending.board_code);
        cr_callback_server_reply(ent->server, st->phone, 200, _("Signed in"), text);
    } else {
        cr_callback_server_reply(ent->server, st->phone, 400, _("Not signed in"),
                                 cr_ent_problem_message(problem));
    }
    st->phone = NULL;
}

static void code_exchanged(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct code_state *st = ent->auth_data;
    st->call = NULL;
    struct cr_oauth_tokens tokens;
    struct cr_oauth_error error;
    enum cr_oauth_result r = parse_tokens(resp, &tokens, &error);
    enum cr_ent_problem problem = problem_of(r, &error);
    cr_oauth_error_clear(&error);
    if (r == CR_OAUTH_OK && tokens.id_token &&
        !cr_oidc_check_nonce(tokens.id_token, st->pending.nonce)) {
        cr_warn("ent", "id_token nonce does not match: tokens dropped");
        r = CR_OAUTH_BAD_RESPONSE;
        problem = CR_ENT_PROBLEM_STATE;
    }
    if (r != CR_OAUTH_OK) {
        cr_oauth_tokens_clear(&tokens);
        cr_warn("ent", "authorization code refused (HTTP %ld)", resp->status);
        code_reply(ent, st, false, problem);
        cr_ent_fail(ent, problem);
        return;
    }
    code_reply(ent, st, true, CR_ENT_PROBLEM_NONE);
    cr_ent_got_tokens(ent, &tokens);
}

static void code_callback(struct cr_ent *ent, const char *code, const char *state,
                          const char *error, void *request)
{
    struct code_state *st = ent->auth_data;
    if (!st || ent->auth != &cr_ent_auth_cross_device || st->phone) {
        cr_callback_server_reply(ent->server, request, 409, _("Not signed in"),
                                 cr_ent_problem_message(CR_ENT_PROBLEM_STATE));
        return;
    }
    enum cr_state_check check = cr_oauth_pending_check(&st->pending, state, g_get_monotonic_time());
    if (check != CR_STATE_OK) {
        cr_warn("ent", "callback with %s state: ignored",
                check == CR_STATE_REUSED    ? "a reused"
                : check == CR_STATE_EXPIRED ? "a stale"
                                            : "an unknown");
        cr_callback_server_reply(ent->server, request, 400, _("Not signed in"),
                                 cr_ent_problem_message(check == CR_STATE_EXPIRED
                                                            ? CR_ENT_PROBLEM_EXPIRED
                                                            : CR_ENT_PROBLEM_STATE));
        return;
    }
    st->phone = request;
    if (error || !code) {
        struct cr_oauth_error e = {.status = 400, .error = cr_secret_dup(error ? error : "")};
        enum cr_ent_problem problem = cr_oauth_classify(&e);
        cr_oauth_error_clear(&e);
        cr_notice("ent", "the phone came back without a code");
        code_reply(ent, st, false, problem);
        cr_ent_fail(ent, problem);
        return;
    }
    cr_ent_set_state(ent, CR_ENT_SIGNING_IN);
    GString *form = cr_form_new();
    cr_http_form_add(form, "grant_type", "authorization_code");
    cr_http_form_add(form, "code", code);
    cr_http_form_add(form, "redirect_uri", ent->callback_url);
    cr_http_form_add(form, "code_verifier", st->pending.verifier);
    st->call = cr_ent_token_request(ent, form, code_exchanged, NULL);
}

static gboolean code_expired(gpointer data)
{
    struct cr_ent *ent = data;
    struct code_state *st = ent->auth_data;
    g_source_unref(st->expiry);
    st->expiry = NULL;
    if (ent->state == CR_ENT_SHOW_CODE)
        cr_ent_fail(ent, CR_ENT_PROBLEM_EXPIRED);
    return G_SOURCE_REMOVE;
}

static void code_start(struct cr_ent *ent)
{
    g_autofree char *error = NULL;
    if (!ent->server)
        ent->server = cr_callback_server_start(ent, code_callback, &error);
    if (!ent->server) {
        cr_warn("ent", "cross-device sign-in: the callback cannot listen: %s", error);
        cr_ent_fail(ent, CR_ENT_PROBLEM_CONFIG);
        return;
    }
    struct code_state *st = cr_xcalloc(1, sizeof(*st));
    ent->auth_data = st;
    int64_t now = g_get_monotonic_time();
    /* entcore advertises "plain" PKCE but implements none: S256 only when
     * the discovery document says so. */
    cr_oauth_pending_init(&st->pending, CROSS_DEVICE_TTL_S * G_USEC_PER_SEC, now,
                          ent->ep.pkce_s256);
    GString *url = g_string_sized_new(2048);
    g_string_append(url, ent->ep.authorization);
    GString *q = cr_form_new();
    cr_http_form_add(q, "response_type", "code");
    cr_http_form_add(q, "client_id", ent->client_id);
    cr_http_form_add(q, "redirect_uri", ent->callback_url);
    cr_http_form_add(q, "scope", scope_of(ent));
    cr_http_form_add(q, "state", st->pending.state);
    cr_http_form_add(q, "nonce", st->pending.nonce);
    if (st->pending.verifier) {
        char *challenge = cr_pkce_challenge(st->pending.verifier);
        cr_http_form_add(q, "code_challenge", challenge);
        cr_http_form_add(q, "code_challenge_method", "S256");
        cr_secret_free(challenge);
    }
    g_string_append_c(url, strchr(ent->ep.authorization, '?') ? '&' : '?');
    g_string_append_len(url, q->str, (gssize)q->len);
    cr_form_free(q);
    cr_ent_show_code(ent, url->str, st->pending.board_code, NULL, st->pending.expires_us);
    explicit_bzero(url->str, url->allocated_len);
    g_string_free(url, TRUE);
    st->expiry = g_timeout_source_new_seconds(CROSS_DEVICE_TTL_S);
    g_source_set_callback(st->expiry, code_expired, ent, NULL);
    g_source_attach(st->expiry, ent->ctx);
}

static void code_stop(struct cr_ent *ent)
{
    struct code_state *st = ent->auth_data;
    if (st) {
        cr_ent_cancel_call(ent, st->call);
        code_reply(ent, st, false, CR_ENT_PROBLEM_STATE);
        if (st->expiry) {
            g_source_destroy(st->expiry);
            g_source_unref(st->expiry);
        }
        cr_oauth_pending_clear(&st->pending);
        free(st);
        ent->auth_data = NULL;
    }
    if (ent->server) {
        cr_callback_server_stop(ent->server);
        ent->server = NULL;
    }
}

const struct cr_ent_auth_ops cr_ent_auth_cross_device = {
    .method = CR_ENT_METHOD_CROSS_DEVICE,
    .start = code_start,
    .stop = code_stop,
};

/* ================= password grant ================= */

struct password_state {
    struct cr_http_call *call;
};

static void password_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct password_state *st = ent->auth_data;
    st->call = NULL;
    struct cr_oauth_tokens tokens;
    struct cr_oauth_error error;
    enum cr_oauth_result r = parse_tokens(resp, &tokens, &error);
    enum cr_ent_problem problem = problem_of(r, &error);
    cr_oauth_error_clear(&error);
    if (r == CR_OAUTH_OK) {
        cr_ent_got_tokens(ent, &tokens);
        return;
    }
    cr_oauth_tokens_clear(&tokens);
    /* Glewlwyd and LL::NG say invalid_grant for a wrong password. */
    if (problem == CR_ENT_PROBLEM_GRANT || problem == CR_ENT_PROBLEM_DENIED)
        problem = CR_ENT_PROBLEM_BAD_CREDENTIALS;
    if (problem == CR_ENT_PROBLEM_BAD_CREDENTIALS) {
        g_free(ent->message);
        ent->message = g_strdup(cr_ent_problem_message(problem));
        cr_ent_set_state(ent, CR_ENT_ASK_PASSWORD);
        return;
    }
    cr_ent_fail(ent, problem);
}

static void password_start(struct cr_ent *ent)
{
    ent->auth_data = cr_xcalloc(1, sizeof(struct password_state));
    cr_ent_set_state(ent, CR_ENT_ASK_PASSWORD);
}

static void password_submit(struct cr_ent *ent, const char *user, const char *password)
{
    struct password_state *st = ent->auth_data;
    GString *form = cr_form_new();
    cr_http_form_add(form, "grant_type", "password");
    cr_http_form_add(form, "username", user);
    cr_http_form_add(form, "password", password);
    cr_http_form_add(form, "scope", scope_of(ent));
    st->call = cr_ent_token_request(ent, form, password_done, NULL);
}

static void password_stop(struct cr_ent *ent)
{
    struct password_state *st = ent->auth_data;
    if (!st)
        return;
    cr_ent_cancel_call(ent, st->call);
    free(st);
    ent->auth_data = NULL;
}

const struct cr_ent_auth_ops cr_ent_auth_password = {
    .method = CR_ENT_METHOD_PASSWORD,
    .start = password_start,
    .password = password_submit,
    .stop = password_stop,
};

/* ================= refresh and revocation ================= */

static gboolean refresh_fired(gpointer data);

static void arm_refresh(struct cr_ent *ent, int64_t seconds)
{
    if (ent->refresh_timer) {
        g_source_destroy(ent->refresh_timer);
        g_source_unref(ent->refresh_timer);
    }
    ent->refresh_timer = g_timeout_source_new((guint)CR_MAX(seconds, 1) * 1000);
    g_source_set_callback(ent->refresh_timer, refresh_fired, ent, NULL);
    g_source_attach(ent->refresh_timer, ent->ctx);
}

void cr_ent_schedule_refresh(struct cr_ent *ent)
{
    if (!ent->tokens.refresh_token || ent->tokens.expires_in <= 0)
        return;
    /* Well before expiry: 3 minutes (as the ODE app), or half the life of a
     * short token. */
    int64_t life = ent->tokens.expires_in;
    arm_refresh(ent, CR_MAX(life - REFRESH_MARGIN_S, life / 2));
}

static void release_waiters(struct cr_ent *ent, bool ok);

static void refreshed(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    ent->refreshing = false;
    struct cr_oauth_tokens tokens;
    struct cr_oauth_error error;
    enum cr_oauth_result r = parse_tokens(resp, &tokens, &error);
    enum cr_ent_problem problem = problem_of(r, &error);
    cr_oauth_error_clear(&error);
    if (r == CR_OAUTH_OK) {
        cr_info("ent", "tokens refreshed");
        if (!tokens.refresh_token) {
            tokens.refresh_token = ent->tokens.refresh_token;
            ent->tokens.refresh_token = NULL;
        }
        cr_oauth_tokens_clear(&ent->tokens);
        ent->tokens = tokens;
        cr_ent_schedule_refresh(ent);
        release_waiters(ent, true);
        return;
    }
    cr_oauth_tokens_clear(&tokens);
    if (problem == CR_ENT_PROBLEM_NETWORK || problem == CR_ENT_PROBLEM_QUOTA ||
        problem == CR_ENT_PROBLEM_SERVER) {
        cr_warn("ent", "refresh failed; retrying in %d s", REFRESH_RETRY_S);
        arm_refresh(ent, REFRESH_RETRY_S);
        release_waiters(ent, false);
        return;
    }
    cr_notice("ent", "the ENT refused the refresh: signing out");
    cr_ent_signout(ent, CR_ENT_SIGNOUT_EXPIRED);
}

static void refresh_now(struct cr_ent *ent)
{
    if (ent->refreshing || !ent->tokens.refresh_token)
        return;
    if (ent->refresh_timer) {
        g_source_destroy(ent->refresh_timer);
        g_source_unref(ent->refresh_timer);
        ent->refresh_timer = NULL;
    }
    ent->refreshing = true;
    GString *form = cr_form_new();
    cr_http_form_add(form, "grant_type", "refresh_token");
    cr_http_form_add(form, "refresh_token", ent->tokens.refresh_token);
    cr_ent_token_request(ent, form, refreshed, NULL);
}

static gboolean refresh_fired(gpointer data)
{
    struct cr_ent *ent = data;
    g_source_unref(ent->refresh_timer);
    ent->refresh_timer = NULL;
    refresh_now(ent);
    return G_SOURCE_REMOVE;
}

/* ---- API calls that survive an access token's early death ---- */

struct api_call {
    char *url;
    char *accept;
    cr_ent_done_fn done;
    void *data;
    GDestroyNotify destroy;
    bool retried;
    size_t max_body; /* 0: the default */
    long timeout_ms;
};

static void api_free(void *p)
{
    struct api_call *a = p;
    if (a->destroy)
        a->destroy(a->data);
    g_free(a->url);
    g_free(a->accept);
    free(a);
}

static void api_send(struct cr_ent *ent, struct api_call *a);

static void api_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    struct api_call *a = data;
    if (resp->status == 401 && !a->retried && ent->tokens.refresh_token) {
        /* The token died before its announced expiry (a server restart, an
         * administrator): refresh once, then ask again. */
        a->retried = true;
        g_ptr_array_add(ent->api_waiters, a);
        refresh_now(ent);
        return;
    }
    a->done(ent, resp, a->data);
    a->destroy = NULL; /* done consumed data */
    api_free(a);
}

static void api_send(struct cr_ent *ent, struct api_call *a)
{
    struct cr_http_request req = {
        .url = a->url,
        .accept = a->accept,
        .bearer = ent->tokens.access_token,
        .max_body = a->max_body,
        .timeout_ms = a->timeout_ms,
    };
    cr_ent_send_full(ent, &req, false, api_done, a, api_free);
}

static struct api_call *api_call_new(const char *url, const char *accept, cr_ent_done_fn done,
                                     void *data, GDestroyNotify destroy)
{
    struct api_call *a = cr_xcalloc(1, sizeof(*a));
    a->url = g_strdup(url);
    a->accept = g_strdup(accept);
    a->done = done;
    a->data = data;
    a->destroy = destroy;
    return a;
}

void cr_ent_api_get(struct cr_ent *ent, const char *url, const char *accept, cr_ent_done_fn done,
                    void *data, GDestroyNotify destroy)
{
    api_send(ent, api_call_new(url, accept ? accept : "application/json", done, data, destroy));
}

void cr_ent_api_get_large(struct cr_ent *ent, const char *url, const char *accept, size_t max_body,
                          long timeout_ms, cr_ent_done_fn done, void *data, GDestroyNotify destroy)
{
    struct api_call *a = api_call_new(url, accept ? accept : "*/*", done, data, destroy);
    a->max_body = max_body;
    a->timeout_ms = timeout_ms;
    api_send(ent, a);
}

/* After a refresh: the waiting calls go again (ok), or get the 401 they had. */
static void release_waiters(struct cr_ent *ent, bool ok)
{
    GPtrArray *w = ent->api_waiters;
    ent->api_waiters = g_ptr_array_new();
    for (guint i = 0; i < w->len; i++) {
        struct api_call *a = g_ptr_array_index(w, i);
        if (ok) {
            api_send(ent, a);
        } else {
            struct cr_http_response resp = {.status = 401, .body = "", .len = 0};
            api_done(ent, &resp, a);
        }
    }
    g_ptr_array_free(w, TRUE);
}

void cr_ent_drop_api_waiters(struct cr_ent *ent)
{
    ent->refreshing = false;
    while (ent->api_waiters->len > 0)
        api_free(g_ptr_array_steal_index(ent->api_waiters, ent->api_waiters->len - 1));
}

static void revoked(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (resp->status != 200)
        cr_warn("ent", "revocation of the %s answered HTTP %ld", (const char *)data, resp->status);
}

static void revoke_one(struct cr_ent *ent, const char *token, const char *hint)
{
    if (!token)
        return;
    GString *form = cr_form_new();
    cr_http_form_add(form, "token", token);
    cr_http_form_add(form, "token_type_hint", hint);
    struct cr_http_request req = {.method = "POST", .url = ent->ep.revocation};
    cr_ent_client_auth(ent, &req, form);
    req.body = form->str;
    req.body_len = form->len;
    cr_ent_send(ent, &req, true, revoked, (void *)hint);
    cr_form_free(form);
}

void cr_ent_revoke(struct cr_ent *ent, struct cr_oauth_tokens *tokens)
{
    if (ent->ep.revocation) {
        revoke_one(ent, tokens->refresh_token, "refresh_token");
        revoke_one(ent, tokens->access_token, "access_token");
    }
    cr_oauth_tokens_clear(tokens);
}
