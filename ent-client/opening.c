/* cr_ent_open: where to open a listed resource as the signed-in teacher
 * (the drivers' open op does the ENT-specific part). */
#include <stdbool.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/util.h"
#include "ent-client/private.h"
#include "ent-client/secret.h"

void cr_ent_opened(struct cr_ent *ent, struct cr_ent_opening *o, const char *url,
                   const char *session_url)
{
    o->fn(ent, url, session_url, o->userdata);
    o->destroy = NULL; /* fn took userdata */
    cr_ent_opening_free(o);
}

void cr_ent_opening_free(struct cr_ent_opening *o)
{
    if (o->destroy)
        o->destroy(o->userdata);
    cr_secret_free(o->url);
    free(o);
}

static gboolean opened_idle(gpointer data)
{
    struct cr_ent_opening *o = data;
    struct cr_ent *ent = o->ent;
    cr_ent_opened(ent, o, o->refused ? NULL : o->url, NULL);
    cr_ent_unref(ent);
    return G_SOURCE_REMOVE;
}

void cr_ent_opened_later(struct cr_ent *ent, struct cr_ent_opening *o, bool refused)
{
    o->ent = cr_ent_ref(ent);
    o->refused = refused;
    GSource *s = g_idle_source_new();
    g_source_set_callback(s, opened_idle, o, NULL);
    g_source_attach(s, ent->ctx);
    g_source_unref(s);
}

void cr_ent_open(struct cr_ent *ent, const char *url, cr_ent_open_fn fn, void *userdata)
{
    cr_ent_open_full(ent, url, fn, userdata, NULL);
}

void cr_ent_open_full(struct cr_ent *ent, const char *url, cr_ent_open_fn fn, void *userdata,
                      GDestroyNotify destroy)
{
    struct cr_ent_opening *o = cr_xcalloc(1, sizeof(*o));
    o->fn = fn;
    o->userdata = userdata;
    o->destroy = destroy;
    o->url = cr_secret_dup(url);
    const struct cr_ent_resource *found = NULL;
    for (guint i = 0; ent->state == CR_ENT_SIGNED_IN && ent->resources && url &&
                      i < ent->resources->len && !found;
         i++) {
        const struct cr_ent_resource *r = g_ptr_array_index(ent->resources, i);
        if (!g_strcmp0(r->url, url))
            found = r;
    }
    if (!found) {
        cr_warn("ent", "open: not a resource of the current list");
        cr_ent_opened_later(ent, o, true);
        return;
    }
    o->kind = found->kind;
    if (ent->driver->open)
        ent->driver->open(ent, found, o);
    else
        cr_ent_opened_later(ent, o, false);
}
