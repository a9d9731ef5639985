/* The view as JSON, for the control socket (craiectl ent state). */
#include <json-glib/json-glib.h>

#include "ent-client/ent.h"

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
