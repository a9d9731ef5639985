/* Generic OpenID Connect provider: the name from userinfo, the resources
 * from the technician's list; sign-out revokes the tokens (RFC 7009). */
#include "common/log.h"
#include "ent-client/private.h"
#include "ent-client/resources.h"
#include "ent-client/secret.h"

static unsigned oidc_methods(struct cr_ent *ent)
{
    unsigned m = 0;
    if (ent->ep.device)
        m |= CR_ENT_METHOD_DEVICE;
    if (ent->ep.authorization && ent->callback_url && ent->callback_cert && ent->callback_key)
        m |= CR_ENT_METHOD_CROSS_DEVICE;
    if (ent->ep.password_grant)
        m |= CR_ENT_METHOD_PASSWORD;
    return m;
}

static void userinfo_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (resp->status == 401) {
        cr_ent_fail(ent, CR_ENT_PROBLEM_GRANT);
        return;
    }
    g_autofree char *name =
        resp->status == 200 ? cr_oidc_parse_userinfo_name(resp->body, resp->len) : NULL;
    if (!name)
        cr_warn("ent", "userinfo: HTTP %ld", resp->status);
    cr_ent_set_user(ent, name ? name : "");
    cr_ent_load_resource_list(ent);
    if (ent->loads_pending == 0)
        cr_ent_notify(ent);
}

static void oidc_fetch(struct cr_ent *ent)
{
    if (!ent->ep.userinfo) {
        cr_ent_set_user(ent, "");
        cr_ent_load_resource_list(ent);
        return;
    }
    cr_ent_api_get(ent, ent->ep.userinfo, "application/json", userinfo_done, NULL, NULL);
}

static void oidc_logout(struct cr_ent *ent, struct cr_oauth_tokens *tokens)
{
    cr_ent_revoke(ent, tokens);
}

const struct cr_ent_driver_ops cr_ent_driver_oidc = {
    .kind = CR_ENT_KIND_OIDC,
    .methods = oidc_methods,
    .fetch = oidc_fetch,
    .logout = oidc_logout,
};
