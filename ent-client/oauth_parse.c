/* Token and error responses, device authorization responses. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "ent-client/flatjson.h"
#include "ent-client/oauth.h"
#include "ent-client/secret.h"

struct token_fields {
    struct cr_oauth_tokens *t;
    struct cr_oauth_error *e;
    char *token_type;
    bool seen_error;
};

static void set(char **slot, const char *value)
{
    cr_secret_free(*slot);
    *slot = cr_secret_dup(value);
}

static int64_t number(enum cr_flatjson_type type, const char *value)
{
    /* Some servers send expires_in as a string. */
    if (type != CR_FLATJSON_NUMBER && type != CR_FLATJSON_STRING)
        return 0;
    char *end = NULL;
    long long v = strtoll(value, &end, 10);
    return end && end != value && v > 0 ? (int64_t)v : 0;
}

static void token_member(const char *key, enum cr_flatjson_type type, const char *value, void *ud)
{
    struct token_fields *f = ud;
    if (!strcmp(key, "expires_in")) {
        f->t->expires_in = number(type, value);
        return;
    }
    if (!strcmp(key, "error") && type == CR_FLATJSON_STRING) {
        set(&f->e->error, value);
        f->seen_error = true;
        return;
    }
    if (type != CR_FLATJSON_STRING)
        return;
    if (!strcmp(key, "access_token"))
        set(&f->t->access_token, value);
    else if (!strcmp(key, "refresh_token"))
        set(&f->t->refresh_token, value);
    else if (!strcmp(key, "id_token"))
        set(&f->t->id_token, value);
    else if (!strcmp(key, "scope"))
        set(&f->t->scope, value);
    else if (!strcmp(key, "token_type"))
        set(&f->token_type, value);
    else if (!strcmp(key, "error_description"))
        set(&f->e->description, value);
}

static void made_up_error(long status, struct cr_oauth_error *error)
{
    /* A bare status: Glewlwyd answers a refresh with a revoked token by
     * 400 and an empty body; proxies answer 5xx pages. */
    const char *code = status == 400   ? "invalid_grant"
                       : status == 401 ? "invalid_client"
                       : status == 403 ? "access_denied"
                       : status == 509 ? "quota_overflow"
                                       : "server_error";
    error->error = cr_secret_dup(code);
}

enum cr_oauth_result cr_oauth_parse_token(long status, const char *body, size_t len,
                                          struct cr_oauth_tokens *tokens,
                                          struct cr_oauth_error *error)
{
    memset(tokens, 0, sizeof(*tokens));
    memset(error, 0, sizeof(*error));
    error->status = status;
    struct token_fields f = {tokens, error, NULL, false};
    bool json = body && len && cr_flatjson_parse(body, len, token_member, &f);
    enum cr_oauth_result result;
    if (status == 0) {
        cr_oauth_tokens_clear(tokens);
        cr_secret_clear(&error->description);
        set(&error->error, "network");
        result = CR_OAUTH_ERROR;
    } else if (json && f.seen_error) {
        cr_oauth_tokens_clear(tokens);
        result = CR_OAUTH_ERROR;
    } else if (status >= 400) {
        cr_oauth_tokens_clear(tokens);
        cr_oauth_error_clear(error);
        error->status = status;
        made_up_error(status, error);
        result = CR_OAUTH_ERROR;
    } else if (json && status == 200 && tokens->access_token && *tokens->access_token &&
               (!f.token_type || !g_ascii_strcasecmp(f.token_type, "Bearer"))) {
        cr_oauth_error_clear(error);
        result = CR_OAUTH_OK;
    } else {
        cr_oauth_tokens_clear(tokens);
        cr_oauth_error_clear(error);
        error->status = status;
        result = CR_OAUTH_BAD_RESPONSE;
    }
    cr_secret_free(f.token_type);
    return result;
}

bool cr_oauth_parse_error(long status, const char *body, size_t len, struct cr_oauth_error *error)
{
    struct cr_oauth_tokens scratch;
    enum cr_oauth_result r = cr_oauth_parse_token(status, body, len, &scratch, error);
    cr_oauth_tokens_clear(&scratch);
    if (r == CR_OAUTH_ERROR)
        return true;
    if (status >= 200 && status < 300)
        return false;
    cr_oauth_error_clear(error);
    error->status = status;
    made_up_error(status, error);
    return true;
}

static const struct {
    const char *description;
    enum cr_ent_problem problem;
} entcore_denials[] = {
    {"auth.error.authenticationFailed", CR_ENT_PROBLEM_BAD_CREDENTIALS},
    {"auth.error.blockedUser", CR_ENT_PROBLEM_BLOCKED},
    {"auth.error.blockedProfileType", CR_ENT_PROBLEM_BLOCKED},
    {"auth.error.ban", CR_ENT_PROBLEM_BANNED},
    {"auth.error.activation.code", CR_ENT_PROBLEM_ACCOUNT_SETUP},
    {"auth.error.password.reset", CR_ENT_PROBLEM_ACCOUNT_SETUP},
    {"auth.error.otpDisabled", CR_ENT_PROBLEM_BAD_CREDENTIALS},
    {"auth.error.global", CR_ENT_PROBLEM_DENIED},
};

static const struct {
    const char *error;
    enum cr_ent_problem problem;
} errors[] = {
    {"authorization_pending", CR_ENT_PROBLEM_PENDING},
    {"slow_down", CR_ENT_PROBLEM_SLOW_DOWN},
    {"expired_token", CR_ENT_PROBLEM_EXPIRED},
    {"access_denied", CR_ENT_PROBLEM_DENIED},
    {"invalid_client", CR_ENT_PROBLEM_CLIENT},
    {"unauthorized_client", CR_ENT_PROBLEM_CLIENT},
    {"invalid_grant", CR_ENT_PROBLEM_GRANT},
    {"invalid_code", CR_ENT_PROBLEM_GRANT}, /* Glewlwyd: PKCE verification failed */
    {"redirect_uri_mismatch", CR_ENT_PROBLEM_CLIENT},
    {"invalid_scope", CR_ENT_PROBLEM_SCOPE},
    {"unsupported_grant_type", CR_ENT_PROBLEM_UNSUPPORTED},
    {"unsupported_response_type", CR_ENT_PROBLEM_UNSUPPORTED},
    {"quota_overflow", CR_ENT_PROBLEM_QUOTA},
    {"network", CR_ENT_PROBLEM_NETWORK},
};

enum cr_ent_problem cr_oauth_classify(const struct cr_oauth_error *error)
{
    if (!error || !error->error)
        return CR_ENT_PROBLEM_SERVER;
    if (!strcmp(error->error, "access_denied") && error->description) {
        for (size_t i = 0; i < G_N_ELEMENTS(entcore_denials); i++) {
            if (!strcmp(error->description, entcore_denials[i].description))
                return entcore_denials[i].problem;
        }
    }
    /* entcore: a wrong password is access_denied with a 401; a password
     * grant refused by Glewlwyd / LL::NG is invalid_grant. Both are the
     * same for the teacher when a password was typed: the caller knows. */
    for (size_t i = 0; i < G_N_ELEMENTS(errors); i++) {
        if (!strcmp(error->error, errors[i].error))
            return errors[i].problem;
    }
    return CR_ENT_PROBLEM_SERVER;
}

void cr_oauth_tokens_clear(struct cr_oauth_tokens *t)
{
    cr_secret_clear(&t->access_token);
    cr_secret_clear(&t->refresh_token);
    cr_secret_clear(&t->id_token);
    cr_secret_clear(&t->scope);
    t->expires_in = 0;
}

void cr_oauth_error_clear(struct cr_oauth_error *e)
{
    cr_secret_clear(&e->error);
    cr_secret_clear(&e->description);
    e->status = 0;
}

static void device_member(const char *key, enum cr_flatjson_type type, const char *value, void *ud)
{
    struct cr_device_authorization *da = ud;
    if (!strcmp(key, "expires_in"))
        da->expires_in = number(type, value);
    else if (!strcmp(key, "interval"))
        da->interval = number(type, value);
    else if (type != CR_FLATJSON_STRING)
        return;
    else if (!strcmp(key, "device_code"))
        set(&da->device_code, value);
    else if (!strcmp(key, "user_code"))
        set(&da->user_code, value);
    else if (!strcmp(key, "verification_uri") || !strcmp(key, "verification_url"))
        set(&da->verification_uri, value);
    else if (!strcmp(key, "verification_uri_complete") || !strcmp(key, "verification_url_complete"))
        set(&da->verification_uri_complete, value);
}

bool cr_device_authorization_parse(const char *body, size_t len, struct cr_device_authorization *da)
{
    memset(da, 0, sizeof(*da));
    if (!cr_flatjson_parse(body, len, device_member, da) || !da->device_code || !da->user_code ||
        !da->verification_uri || da->expires_in <= 0) {
        cr_device_authorization_clear(da);
        return false;
    }
    if (da->interval <= 0)
        da->interval = 5;
    return true;
}

void cr_device_authorization_clear(struct cr_device_authorization *da)
{
    cr_secret_clear(&da->device_code);
    cr_secret_clear(&da->user_code);
    cr_secret_clear(&da->verification_uri);
    cr_secret_clear(&da->verification_uri_complete);
    da->expires_in = da->interval = 0;
}
