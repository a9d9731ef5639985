/* ent-client internals shared by the session (session.c), the sign-in
 * methods (auth_*.c), the ENT drivers (driver_*.c) and the cross-device
 * callback server. Everything runs on the io context's thread. */
#ifndef CR_ENT_PRIVATE_H
#define CR_ENT_PRIVATE_H

#include <glib.h>

#include "ent-client/cas.h"
#include "ent-client/ent.h"
#include "ent-client/http.h"
#include "ent-client/oauth.h"

struct cr_ent;
struct cr_ent_opening;

/* A sign-in method (one per enum cr_ent_method bit). */
struct cr_ent_auth_ops {
    enum cr_ent_method method;
    /* Begins: shows a code (SHOW_CODE) or asks for a password. */
    void (*start)(struct cr_ent *ent);
    /* CR_ENT_METHOD_PASSWORD only. */
    void (*password)(struct cr_ent *ent, const char *user, const char *password);
    /* Drops what start made (timers, server, pending state). */
    void (*stop)(struct cr_ent *ent);
};

extern const struct cr_ent_auth_ops cr_ent_auth_device;
extern const struct cr_ent_auth_ops cr_ent_auth_cross_device;
extern const struct cr_ent_auth_ops cr_ent_auth_password;
extern const struct cr_ent_auth_ops cr_ent_auth_cas;

/* An ENT family: what happens once signed in, and at sign-out. */
struct cr_ent_driver_ops {
    enum cr_ent_kind kind;
    /* Which methods the provider allows (after discovery). */
    unsigned (*methods)(struct cr_ent *ent);
    /* Signed in: check the account, learn the name, list resources. */
    void (*fetch)(struct cr_ent *ent);
    /* Lists a workspace folder (NULL: the root); optional. */
    void (*open_folder)(struct cr_ent *ent, const char *folder_id);
    /* Resolves where to open r (see cr_ent_open); optional: without it the
     * resource's url is opened as it is. Calls cr_ent_opened once. */
    void (*open)(struct cr_ent *ent, const struct cr_ent_resource *r, struct cr_ent_opening *o);
    /* Ends the server-side session. Called after the local wipe with the
     * secrets it needs moved in (tokens; cleared by the callee). */
    void (*logout)(struct cr_ent *ent, struct cr_oauth_tokens *tokens);
};

extern const struct cr_ent_driver_ops cr_ent_driver_entcore;
extern const struct cr_ent_driver_ops cr_ent_driver_oidc;
extern const struct cr_ent_driver_ops cr_ent_driver_cas;

/* A cr_ent_open in progress. */
struct cr_ent_opening {
    cr_ent_open_fn fn;
    void *userdata;
    char *url; /* the resource's url */
    enum cr_ent_resource_kind kind;
    struct cr_ent *ent; /* ref'd while an answer waits in an idle source */
    bool refused;
    GDestroyNotify destroy; /* userdata's, when the opening ends unanswered (sign-out) */
};

/* cr_ent_open with a destroy for userdata, run when fn never will. */
void cr_ent_open_full(struct cr_ent *ent, const char *url, cr_ent_open_fn fn, void *userdata,
                      GDestroyNotify destroy);

/* Answers with the resource's own url (or a refusal) from the context,
 * not from inside cr_ent_open. */
void cr_ent_opened_later(struct cr_ent *ent, struct cr_ent_opening *o, bool refused);

void cr_ent_opening_free(struct cr_ent_opening *o);
/* Answers an opening (url NULL: refused) and frees it. */
void cr_ent_opened(struct cr_ent *ent, struct cr_ent_opening *o, const char *url,
                   const char *session_url);

/* The provider's endpoints: OIDC discovery, or entcore's fixed paths. */
struct cr_ent_endpoints {
    char *issuer;
    char *authorization;
    char *token;
    char *device;
    char *userinfo;
    char *revocation;
    char *end_session;
    bool pkce_s256;
    bool password_grant;
    bool known;
};

struct cr_callback_server;

struct cr_ent {
    int refs;
    GMainContext *ctx;
    const struct cr_ent_callbacks *callbacks;
    void *userdata;

    /* settings (owned copies) */
    enum cr_ent_kind kind;
    char *url; /* no trailing slash */
    char *client_id;
    char *client_secret; /* secret, or NULL */
    char *resources_src;
    char *scope;
    char *callback_url;
    int callback_port;
    char *callback_cert;
    char *callback_key;
    char *room;
    int idle_seconds;
    int idle_warning_seconds;
    int end_of_day_minutes; /* minutes after midnight, -1: none */

    const struct cr_ent_driver_ops *driver;
    struct cr_http *http;
    struct cr_ent_endpoints ep;
    unsigned methods;
    GPtrArray *calls; /* struct ent_call *: everything in flight */

    enum cr_ent_state state;
    enum cr_ent_method method;
    char *message;

    /* sign-in in progress */
    const struct cr_ent_auth_ops *auth;
    void *auth_data; /* the method's own state */
    char *qr_uri;    /* SHOW_CODE (secrets: they let anyone sign in) */
    char *user_code;
    char *verification_uri;
    int64_t code_deadline_us;
    GSource *code_tick; /* once a second while a code shows */

    /* signed in */
    struct cr_oauth_tokens tokens;
    GSource *refresh_timer;
    bool refreshing;          /* a refresh is in flight */
    GPtrArray *api_waiters;   /* API calls that got a 401, waiting for the refresh */
    struct cr_cas_result cas; /* CAS identity */
    char *user_name;
    char **structures;
    GPtrArray *resources;
    unsigned loads_pending;
    char *folder_id;
    char **bookmarks;           /* entcore: bookmarked app names */
    unsigned folder_generation; /* the folder listing that counts */

    /* lifetime */
    GSource *idle_timer;
    int64_t idle_deadline_us;
    int idle_left; /* > 0 while the countdown shows */
    GSource *eod_timer;
    GSource *signout_deadline;

    /* cross-device */
    struct cr_callback_server *server;
};

/* ---- calls ---- */
typedef void (*cr_ent_done_fn)(struct cr_ent *ent, const struct cr_http_response *resp, void *data);
/* A call the session tracks: a sign-out cancels every one that is not a
 * farewell (the calls that end the session server-side), unref cancels
 * all. data is borrowed (static or owned by ent). */
struct cr_http_call *cr_ent_send(struct cr_ent *ent, const struct cr_http_request *req,
                                 bool farewell, cr_ent_done_fn done, void *data);
/* Same, with destroy(data) run if the call is cancelled (not after done). */
struct cr_http_call *cr_ent_send_full(struct cr_ent *ent, const struct cr_http_request *req,
                                      bool farewell, cr_ent_done_fn done, void *data,
                                      GDestroyNotify destroy);
/* A GET with the access token. A 401 makes the client refresh the tokens
 * once (shared by every call that hit it) and send the call again; done
 * then sees the second answer. Cancelled by a sign-out like any call. */
void cr_ent_api_get(struct cr_ent *ent, const char *url, const char *accept, cr_ent_done_fn done,
                    void *data, GDestroyNotify destroy);
/* The same for a large answer (a document): at most max_body bytes, the
 * whole call within timeout_ms. */
void cr_ent_api_get_large(struct cr_ent *ent, const char *url, const char *accept, size_t max_body,
                          long timeout_ms, cr_ent_done_fn done, void *data, GDestroyNotify destroy);
/* Frees the calls waiting for a refresh (wipe). */
void cr_ent_drop_api_waiters(struct cr_ent *ent);
void cr_ent_cancel_calls(struct cr_ent *ent, bool farewells_too);
/* Cancels one call (NULL is fine). */
void cr_ent_cancel_call(struct cr_ent *ent, struct cr_http_call *call);
/* base URL + path (path begins with '/'). g_free. */
char *cr_ent_url(const struct cr_ent *ent, const char *path);

/* ---- state changes (each notifies the UI) ---- */
void cr_ent_set_state(struct cr_ent *ent, enum cr_ent_state state);
void cr_ent_notify(struct cr_ent *ent);
/* SHOW_CODE with this QR content and code (copied). */
void cr_ent_show_code(struct cr_ent *ent, const char *qr_uri, const char *user_code,
                      const char *verification_uri, int64_t deadline_us);
/* The sign-in failed: everything wiped, SIGNED_OUT, message for the problem. */
void cr_ent_fail(struct cr_ent *ent, enum cr_ent_problem problem);
/* Tokens obtained (moved in; *tokens is cleared): the driver takes over. */
void cr_ent_got_tokens(struct cr_ent *ent, struct cr_oauth_tokens *tokens);
/* Identity known (CAS) or tokens checked: SIGNED_IN with this name. */
void cr_ent_set_user(struct cr_ent *ent, const char *display_name);
/* Listings: one more / one fewer in flight; the last adds the list. */
void cr_ent_loads_begin(struct cr_ent *ent, unsigned n);
void cr_ent_loads_end(struct cr_ent *ent);
/* Loads the technician's resource list (file or URL) into ent->resources. */
void cr_ent_load_resource_list(struct cr_ent *ent);

const char *cr_ent_problem_message(enum cr_ent_problem problem);
const char *cr_ent_signout_message(enum cr_ent_signout_reason reason);

/* "HH:MM" (or NULL / "": none, *minutes = -1) → minutes after midnight. */
bool cr_ent_parse_time_of_day(const char *text, int *minutes);
/* Seconds from now to the next time the clock shows minutes after
 * midnight (tomorrow when that time has passed today), in now's zone. */
int64_t cr_ent_seconds_until(int minutes, GDateTime *now);

/* ---- OAuth helpers (auth_oauth.c) ---- */
/* POSTs a form to the token endpoint with client authentication. */
struct cr_http_call *cr_ent_token_request(struct cr_ent *ent, GString *form, cr_ent_done_fn done,
                                          void *data);
/* Client authentication on a form (client_id when public). */
void cr_ent_client_auth(const struct cr_ent *ent, struct cr_http_request *req, GString *form);
/* Starts the refresh timer for the current tokens. */
void cr_ent_schedule_refresh(struct cr_ent *ent);
/* RFC 7009: revokes the refresh token then the access token (farewell
 * calls); takes the tokens (cleared). */
void cr_ent_revoke(struct cr_ent *ent, struct cr_oauth_tokens *tokens);

/* ---- cross-device callback server (callback_server.c) ---- */
/* Called when the phone arrives with ?code&state (or ?error): returns the
 * HTML for the phone once finish() is called. */
typedef void (*cr_callback_fn)(struct cr_ent *ent, const char *code, const char *state,
                               const char *error, void *request);
struct cr_callback_server *cr_callback_server_start(struct cr_ent *ent, cr_callback_fn fn,
                                                    char **error);
/* Answers a paused phone request. */
void cr_callback_server_reply(struct cr_callback_server *s, void *request, unsigned status,
                              const char *title, const char *text);
void cr_callback_server_stop(struct cr_callback_server *s);
/* The port it listens on (tests). */
int cr_callback_server_port(const struct cr_callback_server *s);

#endif
