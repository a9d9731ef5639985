/* craie.conf's [ent] section as the client's settings. */
#include "common/config.h"
#include "ent-client/ent.h"

#define IDLE_WARNING_SECONDS 60

static const char *or_null(const char *s)
{
    return s && *s ? s : NULL;
}

bool cr_ent_settings_from_config(const struct cr_config *cfg, struct cr_ent_settings *out)
{
    *out = (struct cr_ent_settings){0};
    if (!cr_ent_kind_from_name(cfg->ent.kind, &out->kind))
        out->kind = CR_ENT_KIND_NONE;
    out->url = or_null(cfg->ent.url);
    out->client_id = or_null(cfg->ent.client_id);
    out->client_secret_file = or_null(cfg->ent.client_secret_file);
    out->ca_file = or_null(cfg->ent.ca_file);
    out->resources = or_null(cfg->ent.resources);
    out->scope = or_null(cfg->ent.scope);
    out->callback_url = or_null(cfg->ent.callback_url);
    out->callback_port = cfg->ent.callback_port;
    out->callback_cert = or_null(cfg->ent.callback_cert);
    out->callback_key = or_null(cfg->ent.callback_key);
    out->room = or_null(cfg->ent.room);
    out->idle_seconds = cfg->ent.idle_minutes * 60;
    out->idle_warning_seconds = IDLE_WARNING_SECONDS;
    out->end_of_day = or_null(cfg->ent.end_of_day);
    return out->kind != CR_ENT_KIND_NONE;
}
