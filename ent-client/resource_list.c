/* The technician's resource list (ent.resources): a JSON file or an https
 * URL, read at each sign-in. */
#include <stdbool.h>

#include "common/i18n.h"
#include "common/log.h"
#include "ent-client/private.h"
#include "ent-client/resources.h"

static void list_loaded(struct cr_ent *ent, const char *body, size_t len, const char *base)
{
    g_autofree char *error = NULL;
    if (!ent->resources)
        ent->resources = cr_resource_list_new();
    if (!cr_resources_parse_list(body, len, base, ent->resources, &error))
        cr_warn("ent", "resource list %s: %s", ent->resources_src, error);
}

static void list_fetched(struct cr_ent *ent, const struct cr_http_response *resp, void *data)
{
    if (resp->status == 200)
        list_loaded(ent, resp->body, resp->len, ent->resources_src);
    else
        cr_warn("ent", "resource list: %s",
                resp->status ? "HTTP error" : (resp->error ? resp->error : "failed"));
    cr_ent_loads_end(ent);
}

void cr_ent_load_resource_list(struct cr_ent *ent)
{
    if (!ent->resources_src || !*ent->resources_src)
        return;
    cr_ent_loads_begin(ent, 1);
    if (g_str_has_prefix(ent->resources_src, "https://") ||
        g_str_has_prefix(ent->resources_src, "http://")) {
        struct cr_http_request req = {
            .url = ent->resources_src, .accept = "application/json", .follow = true};
        cr_ent_send(ent, &req, false, list_fetched, NULL);
        return;
    }
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (g_file_get_contents(ent->resources_src, &text, &len, &err)) {
        list_loaded(ent, text, len, NULL);
    } else {
        cr_warn("ent", "resource list: %s", err->message);
        g_error_free(err);
    }
    cr_ent_loads_end(ent);
}
