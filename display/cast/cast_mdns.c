#include "display/cast/cast_mdns.h"

#include "build_config.h"
#include "common/log.h"

#ifdef CR_HAVE_AVAHI

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-glib/glib-watch.h>

struct cr_cast_mdns {
    AvahiGLibPoll *poll;
    AvahiClient *client;
    AvahiEntryGroup *group;
    char *name; /* avahi_malloc'd after a collision, else g_strdup'd: see rename() */
    bool name_from_avahi;
    int port;
};

static void publish(struct cr_cast_mdns *m, AvahiClient *c);

static void rename_after_collision(struct cr_cast_mdns *m)
{
    char *alt = avahi_alternative_service_name(m->name);
    if (m->name_from_avahi)
        avahi_free(m->name);
    else
        g_free(m->name);
    m->name = alt;
    m->name_from_avahi = true;
    cr_info("cast", "mDNS name taken, now \"%s\"", m->name);
}

static void on_group(AvahiEntryGroup *g, AvahiEntryGroupState state, void *data)
{
    struct cr_cast_mdns *m = data;
    switch (state) {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
        cr_info("cast", "announced on the network as \"%s\" (_craie._tcp, _https._tcp)", m->name);
        break;
    case AVAHI_ENTRY_GROUP_COLLISION:
        rename_after_collision(m);
        publish(m, avahi_entry_group_get_client(g));
        break;
    case AVAHI_ENTRY_GROUP_FAILURE:
        cr_warn("cast", "mDNS announcement failed: %s",
                avahi_strerror(avahi_client_errno(avahi_entry_group_get_client(g))));
        break;
    default:
        break;
    }
}

static void publish(struct cr_cast_mdns *m, AvahiClient *c)
{
    if (!m->group && !(m->group = avahi_entry_group_new(c, on_group, m))) {
        cr_warn("cast", "mDNS: %s", avahi_strerror(avahi_client_errno(c)));
        return;
    }
    avahi_entry_group_reset(m->group);
    const char *types[] = {"_craie._tcp", "_https._tcp"};
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
        int rc =
            avahi_entry_group_add_service(m->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0, m->name,
                                          types[i], NULL, NULL, (uint16_t)m->port, "path=/", NULL);
        if (rc == AVAHI_ERR_COLLISION) {
            rename_after_collision(m);
            publish(m, c);
            return;
        }
        if (rc < 0) {
            cr_warn("cast", "mDNS: %s", avahi_strerror(rc));
            return;
        }
    }
    int rc = avahi_entry_group_commit(m->group);
    if (rc < 0)
        cr_warn("cast", "mDNS: %s", avahi_strerror(rc));
}

static void on_client(AvahiClient *c, AvahiClientState state, void *data)
{
    struct cr_cast_mdns *m = data;
    switch (state) {
    case AVAHI_CLIENT_S_RUNNING:
        publish(m, c);
        break;
    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
        if (m->group)
            avahi_entry_group_reset(m->group);
        break;
    case AVAHI_CLIENT_FAILURE:
        cr_info("cast", "no mDNS announcement: %s", avahi_strerror(avahi_client_errno(c)));
        break;
    case AVAHI_CLIENT_CONNECTING:
        cr_debug("cast", "waiting for avahi-daemon");
        break;
    }
}

struct cr_cast_mdns *cr_cast_mdns_new(GMainContext *ctx, const char *name, int port)
{
    struct cr_cast_mdns *m = g_new0(struct cr_cast_mdns, 1);
    m->name = g_strdup(name);
    m->port = port;
    m->poll = avahi_glib_poll_new(ctx, G_PRIORITY_DEFAULT);
    int error = 0;
    /* NO_FAIL: wait for a daemon that starts later instead of giving up. */
    m->client =
        avahi_client_new(avahi_glib_poll_get(m->poll), AVAHI_CLIENT_NO_FAIL, on_client, m, &error);
    if (!m->client)
        cr_info("cast", "no mDNS announcement: %s", avahi_strerror(error));
    return m;
}

void cr_cast_mdns_free(struct cr_cast_mdns *m)
{
    if (!m)
        return;
    if (m->client)
        avahi_client_free(m->client); /* frees the group too */
    avahi_glib_poll_free(m->poll);
    if (m->name_from_avahi)
        avahi_free(m->name);
    else
        g_free(m->name);
    g_free(m);
}

#else /* !CR_HAVE_AVAHI */

struct cr_cast_mdns {
    int unused;
};

struct cr_cast_mdns *cr_cast_mdns_new(GMainContext *ctx, const char *name, int port)
{
    cr_info("cast", "built without Avahi: no mDNS announcement");
    return NULL;
}

void cr_cast_mdns_free(struct cr_cast_mdns *m)
{
}

#endif
