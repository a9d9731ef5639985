/* Device polling rules, PKCE, the pending authorization's state, nonce. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "ent-client/flatjson.h"
#include "ent-client/oauth.h"
#include "ent-client/secret.h"

#define SLOW_DOWN_US (5 * G_USEC_PER_SEC)
#define MAX_NETWORK_FAILURES 5

void cr_device_poll_init(struct cr_device_poll *poll, int64_t interval_s, int64_t expires_in_s,
                         int64_t now_us)
{
    poll->interval_us = (interval_s > 0 ? interval_s : 5) * G_USEC_PER_SEC;
    poll->deadline_us = now_us + expires_in_s * G_USEC_PER_SEC;
    poll->next_us = now_us + poll->interval_us;
    poll->network_failures = 0;
}

enum cr_device_step cr_device_poll_next(struct cr_device_poll *poll, enum cr_oauth_result result,
                                        const struct cr_oauth_error *error, int64_t now_us)
{
    if (result == CR_OAUTH_OK)
        return CR_DEVICE_DONE;
    if (result == CR_OAUTH_BAD_RESPONSE)
        return CR_DEVICE_FAILED;
    int64_t wait = poll->interval_us;
    if (error && error->status == 0) {
        /* §3.5: on a connection failure, back off exponentially. */
        if (++poll->network_failures > MAX_NETWORK_FAILURES)
            return CR_DEVICE_FAILED;
        wait = poll->interval_us << poll->network_failures;
    } else {
        poll->network_failures = 0;
        switch (cr_oauth_classify(error)) {
        case CR_ENT_PROBLEM_PENDING:
            break;
        case CR_ENT_PROBLEM_SLOW_DOWN:
            poll->interval_us += SLOW_DOWN_US;
            wait = poll->interval_us;
            break;
        case CR_ENT_PROBLEM_EXPIRED:
            return CR_DEVICE_EXPIRED;
        case CR_ENT_PROBLEM_DENIED:
            return CR_DEVICE_DENIED;
        default:
            return CR_DEVICE_FAILED;
        }
    }
    poll->next_us = now_us + wait;
    if (poll->next_us > poll->deadline_us)
        return CR_DEVICE_EXPIRED;
    return CR_DEVICE_WAIT;
}

char *cr_pkce_verifier_new(void)
{
    /* 32 bytes -> 43 characters, the RFC 7636 minimum length. */
    return cr_secret_random_b64url(32);
}

char *cr_pkce_challenge(const char *verifier)
{
    guint8 digest[32];
    gsize len = sizeof(digest);
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(sum, (const guchar *)verifier, (gssize)strlen(verifier));
    g_checksum_get_digest(sum, digest, &len);
    g_checksum_free(sum);
    return cr_b64url_encode(digest, len);
}

/* No 0/O, 1/I/L: read from the back of the room. */
static const char board_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

void cr_oauth_pending_init(struct cr_oauth_pending *p, int64_t ttl_us, int64_t now_us,
                           bool with_pkce)
{
    memset(p, 0, sizeof(*p));
    unsigned char r[6];
    cr_secret_random(r, sizeof(r));
    p->board_code = cr_xmalloc(7);
    for (int i = 0; i < 6; i++)
        p->board_code[i] = board_alphabet[r[i] % (sizeof(board_alphabet) - 1)];
    p->board_code[6] = '\0';
    char *rnd = cr_secret_random_b64url(24);
    size_t n = strlen(rnd) + 8;
    p->state = cr_xmalloc(n);
    snprintf(p->state, n, "%s.%s", p->board_code, rnd);
    cr_secret_free(rnd);
    p->nonce = cr_secret_random_b64url(16);
    p->verifier = with_pkce ? cr_pkce_verifier_new() : NULL;
    p->expires_us = now_us + ttl_us;
    p->used = false;
}

enum cr_state_check cr_oauth_pending_check(struct cr_oauth_pending *p, const char *state,
                                           int64_t now_us)
{
    if (!p->state || !state || !cr_secret_equal(p->state, state))
        return CR_STATE_UNKNOWN;
    if (p->used)
        return CR_STATE_REUSED;
    if (now_us > p->expires_us)
        return CR_STATE_EXPIRED;
    p->used = true;
    return CR_STATE_OK;
}

void cr_oauth_pending_clear(struct cr_oauth_pending *p)
{
    cr_secret_clear(&p->state);
    cr_secret_clear(&p->board_code);
    cr_secret_clear(&p->nonce);
    cr_secret_clear(&p->verifier);
    p->expires_us = 0;
    p->used = false;
}

struct nonce_find {
    char *nonce;
};

static void nonce_member(const char *key, enum cr_flatjson_type type, const char *value, void *ud)
{
    struct nonce_find *f = ud;
    if (!strcmp(key, "nonce") && type == CR_FLATJSON_STRING) {
        cr_secret_free(f->nonce);
        f->nonce = cr_secret_dup(value);
    }
}

bool cr_oidc_check_nonce(const char *id_token, const char *expected)
{
    if (!id_token)
        return false;
    const char *dot1 = strchr(id_token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2)
        return false;
    char *payload_b64 = cr_secret_dupn(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    size_t len = 0;
    char *payload = cr_b64url_decode(payload_b64, &len);
    cr_secret_free(payload_b64);
    if (!payload)
        return false;
    struct nonce_find f = {NULL};
    bool ok = cr_flatjson_parse(payload, len, nonce_member, &f);
    cr_secret_free_n(payload, len);
    if (ok)
        ok = expected ? cr_secret_equal(f.nonce, expected) : f.nonce == NULL;
    cr_secret_free(f.nonce);
    return ok;
}
