/* OAuth pieces of ent-client: every documented shape of a token endpoint's
 * answer (RFC 6749, entcore's auth.error.* and 509 quota_overflow,
 * Glewlwyd's non-RFC errors), the device authorization response and the
 * polling rules of RFC 8628 (pending, slow_down +5 s, expiry, denial,
 * network back-off), PKCE, the cross-device state and the id_token nonce. */
#include <glib.h>
#include <string.h>

#include "ent-client/flatjson.h"
#include "ent-client/oauth.h"
#include "ent-client/secret.h"

#define S (G_USEC_PER_SEC)

static enum cr_oauth_result parse(long status, const char *body, struct cr_oauth_tokens *t,
                                  struct cr_oauth_error *e)
{
    return cr_oauth_parse_token(status, body, body ? strlen(body) : 0, t, e);
}

static void test_token_success(void)
{
    struct cr_oauth_tokens t;
    struct cr_oauth_error e;
    /* entcore (§7.4 of the notes): opaque UUIDs, scope list. */
    g_assert_cmpint(parse(200,
                          "{\"token_type\":\"Bearer\",\"access_token\":\"at-1\","
                          "\"refresh_token\":\"rt-1\",\"expires_in\":3600,"
                          "\"scope\":\"userinfo workspace\"}",
                          &t, &e),
                    ==, CR_OAUTH_OK);
    g_assert_cmpstr(t.access_token, ==, "at-1");
    g_assert_cmpstr(t.refresh_token, ==, "rt-1");
    g_assert_null(t.id_token);
    g_assert_cmpint(t.expires_in, ==, 3600);
    g_assert_cmpstr(t.scope, ==, "userinfo workspace");
    g_assert_null(e.error);
    cr_oauth_tokens_clear(&t);

    /* Glewlwyd: lower-case bearer, id_token, nested members skipped,
     * escapes decoded. */
    g_assert_cmpint(parse(200,
                          " {\"access_token\":\"a\\/b\\u00e9\\ud83d\\ude00\",\"token_type\":"
                          "\"bearer\",\"id_token\":\"h.p.s\",\"extra\":{\"x\":[1,{\"y\":\"}\"}]},"
                          "\"expires_in\":\"60\",\"iat\":1.5e3} ",
                          &t, &e),
                    ==, CR_OAUTH_OK);
    g_assert_cmpstr(t.access_token, ==, "a/b\xc3\xa9\xf0\x9f\x98\x80");
    g_assert_cmpstr(t.id_token, ==, "h.p.s");
    g_assert_cmpint(t.expires_in, ==, 60);
    cr_oauth_tokens_clear(&t);
}

static void test_token_bad_responses(void)
{
    struct cr_oauth_tokens t;
    struct cr_oauth_error e;
    const char *bad[] = {
        "",
        "<html>proxy error</html>",
        "{\"access_token\":\"x\"",                         /* truncated */
        "{\"access_token\":\"x\"} trailing",               /* garbage after */
        "{\"token_type\":\"Bearer\"}",                     /* no access_token */
        "{\"access_token\":\"\"}",                         /* empty */
        "{\"access_token\":\"x\",\"token_type\":\"mac\"}", /* not a bearer */
        "{\"access_token\":\"a\\u0000b\"}",                /* NUL inside */
        "[\"access_token\"]",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_cmpint(parse(200, bad[i], &t, &e), ==, CR_OAUTH_BAD_RESPONSE);
        g_assert_null(t.access_token);
        g_assert_null(e.error);
    }
}

struct error_case {
    long status;
    const char *body;
    const char *error;
    enum cr_ent_problem problem;
};

static void test_token_errors(void)
{
    static const struct error_case cases[] = {
        /* RFC 6749 / 8628 */
        {400, "{\"error\":\"invalid_request\"}", "invalid_request", CR_ENT_PROBLEM_SERVER},
        {401, "{\"error\":\"invalid_client\"}", "invalid_client", CR_ENT_PROBLEM_CLIENT},
        {400, "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}", "invalid_grant",
         CR_ENT_PROBLEM_GRANT},
        {400, "{\"error\":\"authorization_pending\"}", "authorization_pending",
         CR_ENT_PROBLEM_PENDING},
        {400, "{\"error\":\"slow_down\"}", "slow_down", CR_ENT_PROBLEM_SLOW_DOWN},
        {400, "{\"error\":\"expired_token\"}", "expired_token", CR_ENT_PROBLEM_EXPIRED},
        {400, "{\"error\":\"access_denied\"}", "access_denied", CR_ENT_PROBLEM_DENIED},
        {400, "{\"error\":\"invalid_scope\"}", "invalid_scope", CR_ENT_PROBLEM_SCOPE},
        {400, "{\"error\":\"unsupported_grant_type\"}", "unsupported_grant_type",
         CR_ENT_PROBLEM_UNSUPPORTED},
        /* entcore: access_denied with auth.error.* descriptions */
        {401,
         "{\"error\":\"access_denied\",\"error_description\":\"auth.error.authenticationFailed\"}",
         "access_denied", CR_ENT_PROBLEM_BAD_CREDENTIALS},
        {401, "{\"error\":\"access_denied\",\"error_description\":\"auth.error.blockedUser\"}",
         "access_denied", CR_ENT_PROBLEM_BLOCKED},
        {401,
         "{\"error\":\"access_denied\",\"error_description\":\"auth.error.blockedProfileType\"}",
         "access_denied", CR_ENT_PROBLEM_BLOCKED},
        {401, "{\"error\":\"access_denied\",\"error_description\":\"auth.error.ban\"}",
         "access_denied", CR_ENT_PROBLEM_BANNED},
        {403, "{\"error\":\"access_denied\",\"error_description\":\"auth.error.activation.code\"}",
         "access_denied", CR_ENT_PROBLEM_ACCOUNT_SETUP},
        {403, "{\"error\":\"access_denied\",\"error_description\":\"auth.error.password.reset\"}",
         "access_denied", CR_ENT_PROBLEM_ACCOUNT_SETUP},
        {401, "{\"error\":\"access_denied\",\"error_description\":\"auth.error.global\"}",
         "access_denied", CR_ENT_PROBLEM_DENIED},
        {401, "{\"error\":\"access_denied\",\"error_description\":\"auth.error.otpDisabled\"}",
         "access_denied", CR_ENT_PROBLEM_BAD_CREDENTIALS},
        {401, "{\"error\":\"unauthorized_client\"}", "unauthorized_client", CR_ENT_PROBLEM_CLIENT},
        {401, "{\"error\":\"redirect_uri_mismatch\"}", "redirect_uri_mismatch",
         CR_ENT_PROBLEM_CLIENT},
        {509, "{\"error\":\"quota_overflow\"}", "quota_overflow", CR_ENT_PROBLEM_QUOTA},
        /* Glewlwyd: PKCE failure 403 invalid_code; unknown client 403
         * unauthorized_client; refresh with a revoked token: 400, empty */
        {403, "{\"error\":\"invalid_code\"}", "invalid_code", CR_ENT_PROBLEM_GRANT},
        {403, "{\"error\":\"unauthorized_client\"}", "unauthorized_client", CR_ENT_PROBLEM_CLIENT},
        {400, "", "invalid_grant", CR_ENT_PROBLEM_GRANT},
        {401, NULL, "invalid_client", CR_ENT_PROBLEM_CLIENT},
        {502, "<html>Bad Gateway</html>", "server_error", CR_ENT_PROBLEM_SERVER},
        {509, "", "quota_overflow", CR_ENT_PROBLEM_QUOTA},
        /* a network failure */
        {0, NULL, "network", CR_ENT_PROBLEM_NETWORK},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        struct cr_oauth_tokens t;
        struct cr_oauth_error e;
        g_test_message("case %zu: %ld %s", i, cases[i].status, cases[i].body);
        g_assert_cmpint(parse(cases[i].status, cases[i].body, &t, &e), ==, CR_OAUTH_ERROR);
        g_assert_null(t.access_token);
        g_assert_cmpstr(e.error, ==, cases[i].error);
        g_assert_cmpint(e.status, ==, cases[i].status);
        g_assert_cmpint(cr_oauth_classify(&e), ==, cases[i].problem);
        cr_oauth_error_clear(&e);
    }
    /* Revocation (RFC 7009): 200 with an empty body is success. */
    struct cr_oauth_error e;
    g_assert_false(cr_oauth_parse_error(200, "", 0, &e));
    g_assert_true(cr_oauth_parse_error(400, "", 0, &e));
    g_assert_cmpstr(e.error, ==, "invalid_grant");
    cr_oauth_error_clear(&e);
}

static void test_device_authorization(void)
{
    struct cr_device_authorization da;
    /* Glewlwyd 2.7 */
    const char *g = "{\"device_code\":\"dc-1\",\"user_code\":\"ABCD-EFGH\","
                    "\"verification_uri\":\"http://127.0.0.1:4593/api/oidc/device\","
                    "\"verification_uri_complete\":\"http://127.0.0.1:4593/api/oidc/device?code="
                    "ABCD-EFGH\",\"expires_in\":600,\"interval\":5}";
    g_assert_true(cr_device_authorization_parse(g, strlen(g), &da));
    g_assert_cmpstr(da.user_code, ==, "ABCD-EFGH");
    g_assert_cmpint(da.expires_in, ==, 600);
    g_assert_cmpint(da.interval, ==, 5);
    g_assert_nonnull(da.verification_uri_complete);
    cr_device_authorization_clear(&da);
    /* No interval (defaults to 5 s), no complete URI, legacy _url names. */
    const char *l =
        "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_url\":\"https://x/d\","
        "\"expires_in\":300}";
    g_assert_true(cr_device_authorization_parse(l, strlen(l), &da));
    g_assert_cmpint(da.interval, ==, 5);
    g_assert_null(da.verification_uri_complete);
    g_assert_cmpstr(da.verification_uri, ==, "https://x/d");
    cr_device_authorization_clear(&da);
    const char *missing = "{\"device_code\":\"d\",\"expires_in\":300}";
    g_assert_false(cr_device_authorization_parse(missing, strlen(missing), &da));
    g_assert_null(da.device_code);
}

static struct cr_oauth_error err(long status, const char *code)
{
    struct cr_oauth_error e = {status, (char *)code, NULL};
    return e;
}

static void test_device_polling(void)
{
    struct cr_device_poll p;
    int64_t now = 1000 * S;
    cr_device_poll_init(&p, 5, 600, now);
    g_assert_cmpint(p.next_us, ==, now + 5 * S);

    struct cr_oauth_error pending = err(400, "authorization_pending");
    now = p.next_us;
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &pending, now), ==, CR_DEVICE_WAIT);
    g_assert_cmpint(p.next_us, ==, now + 5 * S);

    /* slow_down: +5 s, and it stays for the following polls. */
    struct cr_oauth_error slow = err(400, "slow_down");
    now = p.next_us;
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &slow, now), ==, CR_DEVICE_WAIT);
    g_assert_cmpint(p.next_us, ==, now + 10 * S);
    now = p.next_us;
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &slow, now), ==, CR_DEVICE_WAIT);
    g_assert_cmpint(p.next_us, ==, now + 15 * S);
    now = p.next_us;
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &pending, now), ==, CR_DEVICE_WAIT);
    g_assert_cmpint(p.next_us, ==, now + 15 * S);

    /* A network failure backs off, then polling resumes at the interval. */
    struct cr_oauth_error net = err(0, "network");
    now = p.next_us;
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &net, now), ==, CR_DEVICE_WAIT);
    g_assert_cmpint(p.next_us, ==, now + 30 * S);
    now = p.next_us;
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &pending, now), ==, CR_DEVICE_WAIT);
    g_assert_cmpint(p.next_us, ==, now + 15 * S);

    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_OK, NULL, now), ==, CR_DEVICE_DONE);

    struct cr_oauth_error expired = err(400, "expired_token");
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &expired, now), ==, CR_DEVICE_EXPIRED);
    struct cr_oauth_error denied = err(400, "access_denied");
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &denied, now), ==, CR_DEVICE_DENIED);
    struct cr_oauth_error client = err(401, "invalid_client");
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &client, now), ==, CR_DEVICE_FAILED);
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_BAD_RESPONSE, NULL, now), ==,
                    CR_DEVICE_FAILED);

    /* Past the code's lifetime: expired, without asking the server. */
    cr_device_poll_init(&p, 5, 12, 0);
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &pending, 5 * S), ==, CR_DEVICE_WAIT);
    g_assert_cmpint(cr_device_poll_next(&p, CR_OAUTH_ERROR, &pending, 10 * S), ==,
                    CR_DEVICE_EXPIRED);

    /* Too many network failures: stop. */
    cr_device_poll_init(&p, 1, 100000, 0);
    enum cr_device_step step = CR_DEVICE_WAIT;
    for (int i = 0; i < 10 && step == CR_DEVICE_WAIT; i++)
        step = cr_device_poll_next(&p, CR_OAUTH_ERROR, &net, 0);
    g_assert_cmpint(step, ==, CR_DEVICE_FAILED);
}

static void test_pkce(void)
{
    /* RFC 7636 appendix B. */
    char *c = cr_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    g_assert_cmpstr(c, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    cr_secret_free(c);
    char *v = cr_pkce_verifier_new();
    g_assert_cmpuint(strlen(v), ==, 43);
    for (const char *p = v; *p; p++)
        g_assert_true(g_ascii_isalnum(*p) || *p == '-' || *p == '_');
    char *w = cr_pkce_verifier_new();
    g_assert_cmpstr(v, !=, w);
    cr_secret_free(v);
    cr_secret_free(w);
}

static void test_state(void)
{
    struct cr_oauth_pending p;
    int64_t now = 50 * S;
    cr_oauth_pending_init(&p, 120 * S, now, true);
    g_assert_cmpuint(strlen(p.board_code), ==, 6);
    g_assert_true(g_str_has_prefix(p.state, p.board_code));
    g_assert_cmpint(p.state[6], ==, '.');
    g_assert_nonnull(p.verifier);
    g_assert_nonnull(p.nonce);
    /* no 0/O/1/I/L on the board */
    g_assert_null(strpbrk(p.board_code, "0O1IL"));

    g_assert_cmpint(cr_oauth_pending_check(&p, NULL, now), ==, CR_STATE_UNKNOWN);
    g_assert_cmpint(cr_oauth_pending_check(&p, "", now), ==, CR_STATE_UNKNOWN);
    char *other = g_strdup(p.state);
    other[strlen(other) - 1] ^= 1;
    g_assert_cmpint(cr_oauth_pending_check(&p, other, now), ==, CR_STATE_UNKNOWN);
    g_free(other);
    /* bound to the board code: the random part alone is not enough */
    g_assert_cmpint(cr_oauth_pending_check(&p, p.state + 7, now), ==, CR_STATE_UNKNOWN);

    char *state = g_strdup(p.state);
    g_assert_cmpint(cr_oauth_pending_check(&p, state, now + 119 * S), ==, CR_STATE_OK);
    /* single use */
    g_assert_cmpint(cr_oauth_pending_check(&p, state, now + 119 * S), ==, CR_STATE_REUSED);
    cr_oauth_pending_clear(&p);
    g_assert_null(p.state);
    g_assert_cmpint(cr_oauth_pending_check(&p, state, now), ==, CR_STATE_UNKNOWN);
    g_free(state);

    /* short-lived */
    cr_oauth_pending_init(&p, 120 * S, now, false);
    g_assert_null(p.verifier);
    state = g_strdup(p.state);
    g_assert_cmpint(cr_oauth_pending_check(&p, state, now + 121 * S), ==, CR_STATE_EXPIRED);
    g_free(state);
    cr_oauth_pending_clear(&p);

    /* two requests never share a state or a code */
    struct cr_oauth_pending a, b;
    cr_oauth_pending_init(&a, S, 0, false);
    cr_oauth_pending_init(&b, S, 0, false);
    g_assert_cmpstr(a.state, !=, b.state);
    cr_oauth_pending_clear(&a);
    cr_oauth_pending_clear(&b);
}

static char *jwt(const char *payload)
{
    char *h = cr_b64url_encode("{\"alg\":\"RS256\"}", 15);
    char *p = cr_b64url_encode(payload, strlen(payload));
    char *t = g_strdup_printf("%s.%s.c2ln", h, p);
    g_free(h);
    g_free(p);
    return t;
}

static void test_nonce(void)
{
    g_autofree char *with = jwt("{\"iss\":\"x\",\"aud\":[\"a\",\"b\"],\"nonce\":\"n-123\"}");
    g_autofree char *without = jwt("{\"iss\":\"x\"}");
    g_assert_true(cr_oidc_check_nonce(with, "n-123"));
    g_assert_false(cr_oidc_check_nonce(with, "n-124"));
    g_assert_false(cr_oidc_check_nonce(with, NULL));
    g_assert_true(cr_oidc_check_nonce(without, NULL));
    g_assert_false(cr_oidc_check_nonce(without, "n-123"));
    g_assert_false(cr_oidc_check_nonce("not-a-jwt", "n"));
    g_assert_false(cr_oidc_check_nonce("a.!!!.c", "n"));
}

static void count_member(const char *key, enum cr_flatjson_type type, const char *value, void *ud)
{
    (*(int *)ud)++;
}

static void test_flatjson_limits(void)
{
    int n = 0;
    /* deep nesting is refused rather than recursed into without end */
    GString *deep = g_string_new("{\"a\":");
    for (int i = 0; i < 100; i++)
        g_string_append_c(deep, '[');
    for (int i = 0; i < 100; i++)
        g_string_append_c(deep, ']');
    g_string_append_c(deep, '}');
    g_assert_false(cr_flatjson_parse(deep->str, deep->len, count_member, &n));
    g_string_free(deep, TRUE);
    g_assert_true(cr_flatjson_parse("{}", 2, count_member, &n));
    g_assert_true(cr_flatjson_parse("{\"a\":null,\"b\":true,\"c\":-1}", 26, count_member, &n));
    g_assert_cmpint(n, ==, 3);
    g_assert_false(cr_flatjson_parse("{\"a\":tru}", 9, count_member, &n));
    g_assert_false(cr_flatjson_parse("{\"a\":\"\\x\"}", 10, count_member, &n));
    g_assert_false(cr_flatjson_parse("{\"a\":\"\\ud800\"}", 14, count_member, &n));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ent/oauth/token-success", test_token_success);
    g_test_add_func("/ent/oauth/token-bad-responses", test_token_bad_responses);
    g_test_add_func("/ent/oauth/token-errors", test_token_errors);
    g_test_add_func("/ent/oauth/device-authorization", test_device_authorization);
    g_test_add_func("/ent/oauth/device-polling", test_device_polling);
    g_test_add_func("/ent/oauth/pkce", test_pkce);
    g_test_add_func("/ent/oauth/state", test_state);
    g_test_add_func("/ent/oauth/nonce", test_nonce);
    g_test_add_func("/ent/oauth/flatjson-limits", test_flatjson_limits);
    return g_test_run();
}
