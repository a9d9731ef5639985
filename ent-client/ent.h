/* The ENT client: signs the teacher in to the school's ENT (entcore, any
 * OpenID Connect provider, a CAS portal) without a password typed in front
 * of the class where the ENT allows it, lists their resources, and signs
 * out leaving nothing behind. Opaque; used by display/ui.
 *
 * Threads: a struct cr_ent lives on the thread that runs the GMainContext
 * given to cr_ent_new (the io thread). Every function is called there
 * (from the UI thread through cr_io_invoke) and every callback arrives
 * there. What the UI shows is taken as a snapshot (cr_ent_snapshot), an
 * owned copy that may be sent to the UI thread.
 *
 * Secrets: tokens, codes and cookies stay in memory, are zeroed when
 * dropped (explicit_bzero) and are never logged; nothing is written to
 * disk. */
#ifndef CR_ENT_H
#define CR_ENT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cr_ent;

enum cr_ent_kind {
    CR_ENT_KIND_NONE,    /* no ENT configured: the tile says so */
    CR_ENT_KIND_ENTCORE, /* Open Digital Education (ONE, NEO, Lycée Connecté …) */
    CR_ENT_KIND_OIDC,    /* any OpenID Connect provider + a resource list */
    CR_ENT_KIND_CAS,     /* a CAS portal + a resource list (or LL::NG's menu) */
};

/* Sign-in methods; availability is a bit set. */
enum cr_ent_method {
    CR_ENT_METHOD_NONE = 0,
    CR_ENT_METHOD_DEVICE = 1 << 0,       /* RFC 8628: QR + user code, approve on the phone */
    CR_ENT_METHOD_CROSS_DEVICE = 1 << 1, /* authorization code with the phone as browser */
    CR_ENT_METHOD_PASSWORD = 1 << 2,     /* typed on the board (last resort) */
};

enum cr_ent_state {
    CR_ENT_SIGNED_OUT,   /* message may say why (signed out, code expired …) */
    CR_ENT_PREPARING,    /* reading the provider's configuration */
    CR_ENT_SHOW_CODE,    /* show qr_uri as a QR code, and user_code */
    CR_ENT_ASK_PASSWORD, /* show the user name / password form */
    CR_ENT_SIGNING_IN,   /* approved: fetching tokens, checking the account */
    CR_ENT_SIGNED_IN,    /* user_name known; resources may still be loading */
    CR_ENT_SIGNING_OUT,  /* telling the ENT; local secrets already wiped */
};

enum cr_ent_signout_reason {
    CR_ENT_SIGNOUT_BUTTON,
    CR_ENT_SIGNOUT_IDLE,
    CR_ENT_SIGNOUT_END_OF_DAY,
    CR_ENT_SIGNOUT_SHUTDOWN,
    CR_ENT_SIGNOUT_EXPIRED, /* the ENT ended the session (refresh refused) */
};

enum cr_ent_resource_kind {
    CR_ENT_RESOURCE_APP,       /* an ENT application */
    CR_ENT_RESOURCE_CONNECTOR, /* an external service reached through the ENT (CAS …) */
    CR_ENT_RESOURCE_GAR,       /* a GAR (Médiacentre) resource */
    CR_ENT_RESOURCE_DOCUMENT,  /* a workspace file */
    CR_ENT_RESOURCE_FOLDER,    /* a workspace folder */
    CR_ENT_RESOURCE_LINK,      /* a link from the technician's list or a portal menu */
    CR_ENT_RESOURCE_KIND_COUNT,
};

struct cr_ent_resource {
    enum cr_ent_resource_kind kind;
    char *id; /* ENT id (document, folder, app name), or NULL */
    char *title;
    char *url;       /* absolute URL to open (for a folder: the ENT page) */
    char *icon_url;  /* icon or thumbnail (absolute), or NULL */
    char *mime_type; /* documents, or NULL */
    char *parent_id; /* documents and folders: the folder, NULL at the root */
    bool bookmarked; /* the teacher's favourite in the ENT */
    int64_t updated; /* Unix seconds, 0 when unknown */
};

/* What the UI draws, copied out of the client (owned by the caller). */
struct cr_ent_view {
    enum cr_ent_state state;
    enum cr_ent_kind kind;
    enum cr_ent_method method; /* in use (or last used) */
    unsigned methods;          /* available, known after PREPARING */
    char *message;             /* for the teacher (translated), or NULL */
    /* CR_ENT_SHOW_CODE */
    char *qr_uri;           /* the QR code's content */
    char *user_code;        /* the code shown next to it */
    char *verification_uri; /* where to type the code by hand, or NULL */
    int code_seconds_left;
    /* CR_ENT_SIGNED_IN */
    char *user_name; /* display name */
    bool resources_loading;
    struct cr_ent_resource *resources; /* bookmarked apps first, then apps and
                                        * connectors, GAR, documents (recent first) */
    size_t n_resources;
    size_t counts[CR_ENT_RESOURCE_KIND_COUNT];
    char *folder_id;       /* the workspace folder shown, NULL for the root */
    int idle_seconds_left; /* > 0 while the inactivity countdown shows */
};

struct cr_ent_settings {
    enum cr_ent_kind kind;
    const char *url; /* entcore: https://ent.example; oidc: the issuer;
                      * cas: the CAS base (https://cas.example/cas) */
    const char *client_id;
    const char *client_secret_file; /* a 0600 file holding the secret, or NULL */
    const char *ca_file;            /* CA bundle for a private PKI, or NULL */
    const char *resources;          /* the technician's list: a JSON file or https URL */
    const char *scope;              /* NULL: a sensible default per kind */
    const char *callback_url;       /* cross-device: the board's public https callback */
    int callback_port;              /* where it listens (0: the port of callback_url) */
    const char *callback_cert;      /* PEM certificate (+ chain) for the callback */
    const char *callback_key;       /* its PEM private key */
    const char *room;               /* the classroom's name, shown on the phone */
    int idle_seconds;               /* sign out after this long untouched; 0: never */
    int idle_warning_seconds;       /* countdown shown before (60) */
    const char *end_of_day;         /* "HH:MM" local time, or NULL/"" */
};

/* Which thread: the io context's (see above). */
struct cr_ent_callbacks {
    /* Something in the snapshot changed (state, code, countdown, resources). */
    void (*changed)(struct cr_ent *ent, void *userdata);
};

struct cr_config;
/* Fills settings from craie.conf's [ent] section (pointers borrowed from
 * cfg). False when no ENT is configured. */
bool cr_ent_settings_from_config(const struct cr_config *cfg, struct cr_ent_settings *settings);

/* Reads the client secret file (refused unless private to its owner). NULL
 * (logged) when the settings cannot work. settings is borrowed for the
 * call; callbacks must outlive the client. */
struct cr_ent *cr_ent_new(const struct cr_ent_settings *settings, GMainContext *ctx,
                          const struct cr_ent_callbacks *callbacks, void *userdata);
struct cr_ent *cr_ent_ref(struct cr_ent *ent);
/* The last unref wipes everything at once (no network). Never drop the
 * last reference from inside a callback. At shutdown: cr_ent_signout(…,
 * CR_ENT_SIGNOUT_SHUTDOWN), run the context until SIGNED_OUT (at most
 * 5 s), then unref. */
void cr_ent_unref(struct cr_ent *ent);

/* Starts signing in with the preferred method (CR_ENT_METHOD_NONE: the
 * best available: device, then cross-device, then password) or the one
 * asked for. Restarts a code that expired. */
void cr_ent_signin(struct cr_ent *ent, enum cr_ent_method method);
/* Answers CR_ENT_ASK_PASSWORD. Both strings are copied; the caller zeroes
 * its own copy of the password. */
void cr_ent_submit_password(struct cr_ent *ent, const char *user, const char *password);
/* Abandons a sign-in in progress (back to SIGNED_OUT, nothing kept). */
void cr_ent_cancel(struct cr_ent *ent);
/* Signs out: local secrets are wiped at once, then the ENT's web session
 * is ended and tokens revoked where the server allows it (SIGNING_OUT
 * until that is done, at most a few seconds). */
void cr_ent_signout(struct cr_ent *ent, enum cr_ent_signout_reason reason);
/* The teacher touched the board: restarts the inactivity timer and hides
 * the countdown. */
void cr_ent_activity(struct cr_ent *ent);
/* Shows a workspace folder's content (NULL: back to the root). */
void cr_ent_open_folder(struct cr_ent *ent, const char *folder_id);

/* Where to open a resource as the signed-in teacher, for the kiosk view.
 * url: the address to open; session_url: NULL, or an address to load
 * first in the same browser profile so that it carries the ENT session
 * (GAR). Both may hold a one-time token: borrowed for the call, zeroed
 * after. url is NULL when the ENT refused (logged). */
typedef void (*cr_ent_open_fn)(struct cr_ent *ent, const char *url, const char *session_url,
                               void *userdata);
/* Resolves the resource of the current list whose url is `url` (as in the
 * snapshot): an entcore page gets a short-lived queryparam_token, a CAS
 * connector a fresh service ticket (/cas/oauth/login); anything else is
 * opened as it is. A URL that is not in the list is refused (fn gets
 * NULL): no token is ever sent to a host the ENT did not list. fn runs
 * once, later, on the io context, unless a sign-out comes first. */
void cr_ent_open(struct cr_ent *ent, const char *url, cr_ent_open_fn fn, void *userdata);

/* An icon or thumbnail, downloaded. data is NULL when it failed or when
 * icon_url is not the icon of a listed resource; data and content_type
 * are borrowed for the call (data is zeroed after: a thumbnail shows the
 * teacher's document). */
typedef void (*cr_ent_icon_fn)(struct cr_ent *ent, const char *icon_url, const void *data,
                               size_t len, const char *content_type, void *userdata);
/* Downloads a listed resource's icon_url: with the teacher's token when it
 * is on the ENT (workspace thumbnails), without it anywhere else (GAR
 * thumbnails, application icons). At most 4 MiB. fn runs once, later, on
 * the io context, unless a sign-out comes first. */
void cr_ent_fetch_icon(struct cr_ent *ent, const char *icon_url, cr_ent_icon_fn fn, void *userdata);

/* --- the kiosk view: resources opened on the board as the teacher --- */

/* A cookie the web view must carry (a portal's session). Secret. */
struct cr_ent_cookie {
    char *domain; /* "host", or ".example.com" for a domain cookie */
    char *path;
    char *name;
    char *value; /* secret */
    bool secure, http_only;
};

/* Where and how to open a resource signed in as the teacher. Every string
 * may hold a one-time token or a session: never log it, never write it. */
struct cr_ent_handoff {
    char *url;                     /* the address to open */
    char *session_url;             /* NULL, or an address to load first in the same view (GAR) */
    struct cr_ent_cookie *cookies; /* set in the view before loading, n_cookies of them */
    size_t n_cookies;
    enum cr_ent_resource_kind kind;
};

/* Zeroes and frees (NULL is fine). */
void cr_ent_handoff_free(struct cr_ent_handoff *h);

/* h: owned by the callee (cr_ent_handoff_free), NULL when refused (logged). */
typedef void (*cr_ent_handoff_fn)(struct cr_ent *ent, struct cr_ent_handoff *h, void *userdata);
/* cr_ent_open, plus the session the web view needs: entcore pages get a
 * fresh queryparam_token (a POST /auth/oauth2/token-as-cookie session
 * cookie when the ENT has no queryparam tokens), connectors a ticket
 * through /cas/oauth/login's Location, GAR the ENT session then
 * urlAccesRessource; on a CAS portal (LemonLDAP::NG) the portal's session
 * cookies go to the view. Only for a resource of the current list; fn
 * runs once, later, on the io context, unless a sign-out comes first. */
void cr_ent_open_handoff(struct cr_ent *ent, const char *url, cr_ent_handoff_fn fn, void *userdata);

/* The address a web view loads at sign-out to end the ENT's web session
 * (entcore /auth/logout, the CAS server's /logout, OIDC end_session), or
 * NULL. Holds no secret; works in any state. g_free. */
char *cr_ent_web_logout_url(const struct cr_ent *ent);

#define CR_ENT_DOCUMENT_MAX (64u * 1024 * 1024)

/* A workspace file, downloaded into memory: data NULL and error set (for
 * the teacher, translated) when it failed. data is borrowed for the call
 * and zeroed after. content_type: what the bytes are ("application/pdf"
 * for an office file's preview). */
typedef void (*cr_ent_document_fn)(struct cr_ent *ent, const char *url, const void *data,
                                   size_t len, const char *content_type, const char *error,
                                   void *userdata);
/* Downloads a listed document resource (url as in the snapshot) with the
 * teacher's token, at most CR_ENT_DOCUMENT_MAX; office files through the
 * ENT's PDF preview when it has one. fn runs once, later, on the io
 * context, unless a sign-out comes first. */
void cr_ent_fetch_document(struct cr_ent *ent, const char *url, cr_ent_document_fn fn,
                           void *userdata);
/* True for what cr_ent_fetch_document serves (a document of the list). */
bool cr_ent_is_document(const struct cr_ent *ent, const char *url);

enum cr_ent_state cr_ent_get_state(const struct cr_ent *ent);
struct cr_ent_view *cr_ent_snapshot(const struct cr_ent *ent);
void cr_ent_view_free(struct cr_ent_view *view);

/* The view as craiectl's "ent state" shows it (no secret, no code):
 * {"state": "signed-in", "signed_in": true, "kind": "entcore",
 *  "method": "cross-device", "user": "Jean DUPONT", "loading": false,
 *  "resources": {"total": 9, "app": 3, "connector": 1, "gar": 2,
 *  "document": 2, "folder": 1, "link": 0}, "idle_seconds_left": 0,
 *  "message": null}. g_free. */
char *cr_ent_view_to_json(const struct cr_ent_view *view);
const char *cr_ent_state_name(enum cr_ent_state state); /* "signed-in" … */

const char *cr_ent_kind_name(enum cr_ent_kind kind);                   /* "entcore" … */
const char *cr_ent_method_name(enum cr_ent_method m);                  /* "device" … */
const char *cr_ent_resource_kind_name(enum cr_ent_resource_kind kind); /* "app" … */
/* "none", "entcore", "oidc", "cas" → kind; false when unknown. */
bool cr_ent_kind_from_name(const char *name, enum cr_ent_kind *kind);

#endif
