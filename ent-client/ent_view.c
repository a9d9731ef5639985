/* What the UI draws: the snapshot (an owned copy), and the same as JSON
 * for the control socket (craiectl ent state). */
#include <json-glib/json-glib.h>

#include "common/util.h"
#include "ent-client/ent.h"
#include "ent-client/private.h"
#include "ent-client/resources.h"
#include "ent-client/secret.h"

static const char *const state_names[] = {
    [CR_ENT_SIGNED_OUT] = "signed-out",   [CR_ENT_PREPARING] = "preparing",
    [CR_ENT_SHOW_CODE] = "show-code",     [CR_ENT_ASK_PASSWORD] = "ask-password",
    [CR_ENT_SIGNING_IN] = "signing-in",   [CR_ENT_SIGNED_IN] = "signed-in",
    [CR_ENT_SIGNING_OUT] = "signing-out",
};

const char *cr_ent_state_name(enum cr_ent_state state)
{
    return state < G_N_ELEMENTS(state_names) ? state_names[state] : "signed-out";
}

char *cr_ent_view_to_json(const struct cr_ent_view *v)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "state");
    json_builder_add_string_value(b, cr_ent_state_name(v->state));
    json_builder_set_member_name(b, "signed_in");
    json_builder_add_boolean_value(b, v->state == CR_ENT_SIGNED_IN);
    json_builder_set_member_name(b, "kind");
    json_builder_add_string_value(b, cr_ent_kind_name(v->kind));
    json_builder_set_member_name(b, "method");
    json_builder_add_string_value(b, cr_ent_method_name(v->method));
    json_builder_set_member_name(b, "user");
    if (v->user_name)
        json_builder_add_string_value(b, v->user_name);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "loading");
    json_builder_add_boolean_value(b, v->resources_loading);
    json_builder_set_member_name(b, "resources");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "total");
    json_builder_add_int_value(b, (gint64)v->n_resources);
    for (int k = 0; k < CR_ENT_RESOURCE_KIND_COUNT; k++) {
        json_builder_set_member_name(b, cr_ent_resource_kind_name((enum cr_ent_resource_kind)k));
        json_builder_add_int_value(b, (gint64)v->counts[k]);
    }
    json_builder_end_object(b);
    json_builder_set_member_name(b, "idle_seconds_left");
    json_builder_add_int_value(b, v->idle_seconds_left);
    json_builder_set_member_name(b, "message");
    if (v->message)
        json_builder_add_string_value(b, v->message);
    else
        json_builder_add_null_value(b);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    return json_to_string(root, FALSE);
}

struct cr_ent_view *cr_ent_snapshot(const struct cr_ent *ent)
{
    struct cr_ent_view *v = cr_xcalloc(1, sizeof(*v));
    v->state = ent->state;
    v->kind = ent->kind;
    v->method = ent->method;
    v->methods = ent->methods;
    v->message = g_strdup(ent->message);
    if (ent->state == CR_ENT_SHOW_CODE) {
        v->qr_uri = cr_secret_dup(ent->qr_uri);
        v->user_code = cr_secret_dup(ent->user_code);
        v->verification_uri = cr_secret_dup(ent->verification_uri);
        int64_t left = ent->code_deadline_us - g_get_monotonic_time();
        v->code_seconds_left = left > 0 ? (int)(left / G_USEC_PER_SEC) : 0;
    }
    if (ent->state == CR_ENT_SIGNED_IN) {
        v->user_name = g_strdup(ent->user_name);
        v->resources_loading = ent->loads_pending > 0;
        v->folder_id = g_strdup(ent->folder_id);
        v->idle_seconds_left = ent->idle_left;
        guint n = ent->resources ? ent->resources->len : 0;
        v->resources = cr_xcalloc(n ? n : 1, sizeof(*v->resources));
        for (guint i = 0; i < n; i++) {
            const struct cr_ent_resource *r = g_ptr_array_index(ent->resources, i);
            cr_ent_resource_copy(&v->resources[i], r);
            v->counts[r->kind]++;
        }
        v->n_resources = n;
    }
    return v;
}

void cr_ent_view_free(struct cr_ent_view *v)
{
    if (!v)
        return;
    g_free(v->message);
    cr_secret_free(v->qr_uri);
    cr_secret_free(v->user_code);
    cr_secret_free(v->verification_uri);
    g_free(v->user_name);
    g_free(v->folder_id);
    for (size_t i = 0; i < v->n_resources; i++)
        cr_ent_resource_clear(&v->resources[i]);
    free(v->resources);
    free(v);
}
