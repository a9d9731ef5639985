/* The cast server announced on the local network by Avahi (mDNS/DNS-SD):
 * "_craie._tcp" (for tools that look for craie boxes) and "_https._tcp"
 * (browsers' and phones' service lists), both on the sender page's port.
 * Optional: without avahi-client at build time, or no avahi-daemon
 * running, it does nothing (logged once). io thread (ctx). */
#ifndef CR_CAST_MDNS_H
#define CR_CAST_MDNS_H

#include <glib.h>

struct cr_cast_mdns;

/* name: the service name shown in lists ("craie salle-12"), copied. */
struct cr_cast_mdns *cr_cast_mdns_new(GMainContext *ctx, const char *name, int port);
void cr_cast_mdns_free(struct cr_cast_mdns *m);

#endif
