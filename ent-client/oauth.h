/* OAuth 2.0 / OpenID Connect pieces that are pure logic: token and error
 * responses (RFC 6749 §5, with entcore's and Glewlwyd's own shapes), the
 * device authorization response and polling rules (RFC 8628), PKCE
 * (RFC 7636), the cross-device state and the id_token nonce. Internal to
 * ent-client; unit-tested on their own. Every string here is a secret:
 * freed with cr_secret_free, never logged. */
#ifndef CR_ENT_OAUTH_H
#define CR_ENT_OAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cr_oauth_tokens {
    char *access_token;
    char *refresh_token; /* or NULL */
    char *id_token;      /* or NULL */
    char *scope;         /* or NULL */
    int64_t expires_in;  /* seconds; 0 when the server did not say */
};

struct cr_oauth_error {
    long status;       /* HTTP status, 0 for a network failure */
    char *error;       /* "invalid_grant", "authorization_pending", "quota_overflow" … */
    char *description; /* error_description, e.g. entcore's "auth.error.ban"; or NULL */
};

enum cr_oauth_result {
    CR_OAUTH_OK,           /* tokens filled */
    CR_OAUTH_ERROR,        /* error filled (from the body, or made up for a bare status) */
    CR_OAUTH_BAD_RESPONSE, /* neither: not JSON, no access_token, wrong token_type */
};

/* What went wrong, as the board must tell it (one French message each). */
enum cr_ent_problem {
    CR_ENT_PROBLEM_NONE,
    CR_ENT_PROBLEM_PENDING,         /* authorization_pending: keep polling */
    CR_ENT_PROBLEM_SLOW_DOWN,       /* slow_down: poll 5 s slower */
    CR_ENT_PROBLEM_EXPIRED,         /* the code shown expired */
    CR_ENT_PROBLEM_DENIED,          /* refused on the phone / by the ENT */
    CR_ENT_PROBLEM_BAD_CREDENTIALS, /* wrong user name or password */
    CR_ENT_PROBLEM_BLOCKED,         /* account or profile blocked */
    CR_ENT_PROBLEM_BANNED,          /* too many attempts */
    CR_ENT_PROBLEM_ACCOUNT_SETUP,   /* activation or password reset pending */
    CR_ENT_PROBLEM_REQUIREMENTS,    /* password change, terms or MFA pending */
    CR_ENT_PROBLEM_QUOTA,           /* entcore 509 quota_overflow */
    CR_ENT_PROBLEM_CLIENT,          /* craie's client id/secret refused */
    CR_ENT_PROBLEM_GRANT,           /* code/refresh token no longer valid */
    CR_ENT_PROBLEM_SCOPE,           /* scopes refused */
    CR_ENT_PROBLEM_UNSUPPORTED,     /* grant not allowed for this client */
    CR_ENT_PROBLEM_STATE,           /* callback with an unknown, reused or stale state */
    CR_ENT_PROBLEM_SERVER,          /* the ENT answered something unusable */
    CR_ENT_PROBLEM_NETWORK,         /* the ENT could not be reached */
    CR_ENT_PROBLEM_CONFIG,          /* craie.conf lacks what this needs */
};

/* Parses the answer of a token endpoint. On CR_OAUTH_OK only tokens is
 * filled; on CR_OAUTH_ERROR only error. Both are zeroed first. */
enum cr_oauth_result cr_oauth_parse_token(long status, const char *body, size_t len,
                                          struct cr_oauth_tokens *tokens,
                                          struct cr_oauth_error *error);
/* Same for any endpoint that answers {"error": …} on failure (device
 * authorization, revocation): fills error from a status >= 400. */
bool cr_oauth_parse_error(long status, const char *body, size_t len, struct cr_oauth_error *error);

enum cr_ent_problem cr_oauth_classify(const struct cr_oauth_error *error);

void cr_oauth_tokens_clear(struct cr_oauth_tokens *tokens);
void cr_oauth_error_clear(struct cr_oauth_error *error);

/* RFC 8628 §3.2 device authorization response. */
struct cr_device_authorization {
    char *device_code;
    char *user_code;
    char *verification_uri;
    char *verification_uri_complete; /* or NULL */
    int64_t expires_in;              /* seconds */
    int64_t interval;                /* seconds; 5 when absent */
};

bool cr_device_authorization_parse(const char *body, size_t len,
                                   struct cr_device_authorization *out);
void cr_device_authorization_clear(struct cr_device_authorization *da);

/* The polling rules of RFC 8628 §3.4–3.5, as a state machine fed with
 * each poll's outcome. Times are monotonic microseconds. */
struct cr_device_poll {
    int64_t interval_us;
    int64_t deadline_us; /* the device code's expiry */
    int64_t next_us;     /* when to poll next */
    unsigned network_failures;
};

enum cr_device_step {
    CR_DEVICE_WAIT,    /* poll again at next_us */
    CR_DEVICE_DONE,    /* tokens arrived */
    CR_DEVICE_EXPIRED, /* code expired (server said so, or the deadline passed) */
    CR_DEVICE_DENIED,  /* the teacher refused, or the code was used */
    CR_DEVICE_FAILED,  /* any other error: stop */
};

void cr_device_poll_init(struct cr_device_poll *poll, int64_t interval_s, int64_t expires_in_s,
                         int64_t now_us);
/* result: the token endpoint's; error: its error (NULL unless
 * CR_OAUTH_ERROR); a network failure is result CR_OAUTH_ERROR with
 * error->status 0. */
enum cr_device_step cr_device_poll_next(struct cr_device_poll *poll, enum cr_oauth_result result,
                                        const struct cr_oauth_error *error, int64_t now_us);

/* PKCE S256: a 43-character verifier and its challenge. g_free / secret. */
char *cr_pkce_verifier_new(void);
char *cr_pkce_challenge(const char *verifier);

/* A pending cross-device (or same-device) authorization: the state sent
 * to the authorize endpoint is "<board code>.<random>", single-use, valid
 * for ttl. The board code is what the board shows next to the QR code and
 * the phone's final page repeats. */
struct cr_oauth_pending {
    char *state;
    char *board_code; /* 6 characters from an unambiguous alphabet */
    char *nonce;
    char *verifier; /* PKCE, or NULL */
    int64_t expires_us;
    bool used;
};

enum cr_state_check {
    CR_STATE_OK,
    CR_STATE_UNKNOWN, /* no pending request, or another state */
    CR_STATE_EXPIRED,
    CR_STATE_REUSED,
};

void cr_oauth_pending_init(struct cr_oauth_pending *p, int64_t ttl_us, int64_t now_us,
                           bool with_pkce);
/* Checks a state that came back, and marks the request used when OK. */
enum cr_state_check cr_oauth_pending_check(struct cr_oauth_pending *p, const char *state,
                                           int64_t now_us);
void cr_oauth_pending_clear(struct cr_oauth_pending *p);

/* True when the id_token's payload (not its signature: the token came
 * straight from the token endpoint over TLS, OIDC Core §3.1.3.7) has
 * nonce == expected, or has no nonce while expected is NULL. */
bool cr_oidc_check_nonce(const char *id_token, const char *expected);

#endif
