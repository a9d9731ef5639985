/* HTTP for the ENT client: libcurl's multi interface driven by a
 * GMainContext (one GSource watches curl's sockets and its timer), so that
 * no call blocks any thread. Internal to ent-client: no curl type leaves
 * http.c.
 *
 * Every function is called on the thread that runs the context (the io
 * thread), and every callback arrives there, from the context's dispatch
 * (never from inside cr_http_send). TLS peers are always verified (ca_file
 * adds a private PKI). Cookies live in memory only, in a jar shared by the
 * requests of one struct cr_http; cr_http_forget_cookies() empties it.
 * Logs name the method, the redacted URL, the status and the time: never
 * a header value, a query string or a body. */
#ifndef CR_ENT_HTTP_H
#define CR_ENT_HTTP_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cr_http;
struct cr_http_call;

struct cr_http_request {
    const char *method;     /* "GET" when NULL; "POST", "DELETE" … */
    const char *url;        /* http or https */
    const char *accept;     /* Accept header, or NULL */
    const char *bearer;     /* secret: sent as Authorization: Bearer; or NULL */
    const char *basic_user; /* secret: client authentication (HTTP Basic); or NULL */
    const char *basic_password;
    const char *content_type; /* of body; "application/x-www-form-urlencoded" when NULL */
    const char *body;         /* copied (and zeroed after the call); NULL for none */
    size_t body_len;          /* -1 cast: strlen(body) */
    bool follow;              /* follow redirects (listings); auth flows read Location */
    bool no_cookies;          /* a back-channel call: the jar is neither sent nor filled */
    long timeout_ms;          /* whole call; 15 s when 0 */
    size_t max_body;          /* larger answers fail ("response too large"); 16 MiB when 0 */
};

struct cr_http_response {
    long status;       /* HTTP status; 0 when the transfer failed */
    const char *error; /* why it failed (no secret), or NULL */
    const char *body;  /* NUL-terminated; zeroed once the callback returns */
    size_t len;
    const char *location;     /* Location header of a 3xx (or entcore's 200), or NULL */
    const char *content_type; /* or NULL */
    double seconds;           /* total time */
};

/* Called once per call, on the context's thread, unless the call was
 * cancelled. resp and what it points to are borrowed for the callback. */
typedef void (*cr_http_done_fn)(const struct cr_http_response *resp, void *userdata);

/* ca_file: extra trusted CA bundle (PEM) or NULL for the system's. */
struct cr_http *cr_http_new(GMainContext *ctx, const char *ca_file);
/* Cancels every call (no callback) and frees everything, cookies zeroed. */
void cr_http_free(struct cr_http *http);

/* Starts a call. The request and its strings are copied. Returns a handle
 * valid until the callback has returned or the call is cancelled. */
struct cr_http_call *cr_http_send(struct cr_http *http, const struct cr_http_request *req,
                                  cr_http_done_fn done, void *userdata);
/* Stops a call: its callback will not run. */
void cr_http_cancel(struct cr_http_call *call);
/* Calls in flight. */
unsigned cr_http_pending(const struct cr_http *http);

/* Empties the cookie jar (its memory is zeroed). */
void cr_http_forget_cookies(struct cr_http *http);
/* Value of a cookie the jar holds for host (exact host match), or NULL.
 * Caller frees with cr_secret_free. */
char *cr_http_cookie(struct cr_http *http, const char *host, const char *name);

/* A cookie of the jar (secret: zeroed by cr_http_cookies_free). */
struct cr_http_cookie {
    char *domain; /* "host", or ".example.com" when it goes to subdomains too */
    char *path;
    char *name;
    char *value;
    bool secure, http_only;
    int64_t expires; /* Unix seconds, 0: a session cookie */
};

/* The cookies the jar would send to host (exact host, or a domain cookie
 * whose domain host is in). Returns the count; *out is an array (NULL when
 * none) for cr_http_cookies_free. */
size_t cr_http_cookies_for(struct cr_http *http, const char *host, struct cr_http_cookie **out);
void cr_http_cookies_free(struct cr_http_cookie *cookies, size_t n);

/* A form body that may hold secrets: sized so that it never reallocates
 * (which would leave a copy behind), zeroed by cr_form_free. */
GString *cr_form_new(void);
void cr_form_free(GString *form);
/* application/x-www-form-urlencoded encoding of one pair, appended (nothing
 * when value is NULL). */
void cr_http_form_add(GString *form, const char *name, const char *value);
/* Percent-encodes a value for a query string. g_free. */
char *cr_http_escape(const char *value);

#endif
