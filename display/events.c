#include "display/events.h"

#include <glib.h>

#include "common/log.h"

static Uint32 first_type = (Uint32)-1;
static GMutex lock;
static bool closed; /* guarded by lock */

bool cr_events_init(void)
{
    first_type = SDL_RegisterEvents(CR_EVENT_COUNT);
    if (first_type == (Uint32)-1) {
        cr_err("ui", "cannot register SDL events");
        return false;
    }
    g_mutex_lock(&lock);
    closed = false;
    g_mutex_unlock(&lock);
    return true;
}

bool cr_event_post(enum cr_event_type type, void *payload, void (*free_fn)(void *))
{
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = first_type + type;
    ev.user.code = type;
    ev.user.data1 = payload;
    ev.user.data2 = (void *)free_fn;

    /* The lock orders posts with close: after close returns, nothing new
     * enters the queue, so drain() sees every payload. */
    g_mutex_lock(&lock);
    bool ok = !closed && first_type != (Uint32)-1 && SDL_PushEvent(&ev) == 1;
    g_mutex_unlock(&lock);
    if (!ok) {
        static struct cr_ratelimit rl = CR_RATELIMIT_INIT(5000, 3);
        if (!closed && cr_ratelimit_allow(&rl))
            cr_warn("ui", "event %d dropped: %s", type, SDL_GetError());
        if (payload && free_fn)
            free_fn(payload);
    }
    return ok;
}

bool cr_event_decode(const SDL_Event *ev, enum cr_event_type *type, void **payload)
{
    if (first_type == (Uint32)-1 || ev->type < first_type ||
        ev->type >= first_type + CR_EVENT_COUNT)
        return false;
    *type = (enum cr_event_type)(ev->type - first_type);
    *payload = ev->user.data1;
    return true;
}

void cr_event_free_payload(const SDL_Event *ev)
{
    void (*free_fn)(void *) = (void (*)(void *))ev->user.data2;
    if (ev->user.data1 && free_fn)
        free_fn(ev->user.data1);
}

void cr_events_close(void)
{
    g_mutex_lock(&lock);
    closed = true;
    g_mutex_unlock(&lock);
}

void cr_events_drain(void)
{
    SDL_Event evs[32];
    int n;
    if (first_type == (Uint32)-1)
        return;
    while ((n = SDL_PeepEvents(evs, 32, SDL_GETEVENT, first_type,
                               first_type + CR_EVENT_COUNT - 1)) > 0) {
        for (int i = 0; i < n; i++)
            cr_event_free_payload(&evs[i]);
    }
}
