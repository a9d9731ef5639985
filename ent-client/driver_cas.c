/* A CAS portal: the name from the ticket's attributes, the resources from
 * the technician's list, or LemonLDAP::NG's per-user menu
 * (/myapplications); sign-out ends the portal session (/logout). */
#include <string.h>

#include "common/log.h"
#include "ent-client/private.h"
#include "ent-client/resources.h"

static unsigned cas_methods(struct cr_ent *ent)
{
    return CR_ENT_METHOD_PASSWORD;
}

/* The portal's root: the CAS base without its last "/cas" part. */
static char *portal_url(const struct cr_ent *ent)
{
    if (g_str_has_suffix(ent->url, "/cas"))
        return g_strndup(ent->url, strlen(ent->url) - 4);
    return g_strdup(ent->url);
}

static void menu_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    bool json = resp->content_type && strstr(resp->content_type, "json");
    if (resp->status != 200 || !json ||
        !cr_llng_parse_myapplications(resp->body, resp->len, ent->resources))
        cr_info("ent", "the portal has no application menu (HTTP %ld)", resp->status);
    cr_ent_loads_end(ent);
}

static void cas_fetch(struct cr_ent *ent)
{
    if (ent->resources_src && *ent->resources_src) {
        cr_ent_load_resource_list(ent);
        return;
    }
    g_autofree char *base = portal_url(ent);
    g_autofree char *url = g_strconcat(base, "/myapplications", NULL);
    struct cr_http_request req = {.url = url, .accept = "application/json"};
    cr_ent_loads_begin(ent, 1);
    cr_ent_send(ent, &req, false, menu_done, NULL);
}

static void logout_done(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (!resp->status)
        cr_warn("ent", "CAS logout: %s", resp->error ? resp->error : "failed");
}

static void cas_logout(struct cr_ent *ent, struct cr_oauth_tokens *tokens)
{
    g_autofree char *url = cr_ent_url(ent, "/logout");
    struct cr_http_request req = {.url = url};
    cr_ent_send(ent, &req, true, logout_done, NULL);
    cr_oauth_tokens_clear(tokens);
}

const struct cr_ent_driver_ops cr_ent_driver_cas = {
    .kind = CR_ENT_KIND_CAS,
    .methods = cas_methods,
    .fetch = cas_fetch,
    .logout = cas_logout,
};
