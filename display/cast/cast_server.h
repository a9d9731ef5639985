/* The cast server (io thread): HTTPS for the sender page (assets/web/), a
 * WebSocket for signalling, the join code and its limits, and one WebRTC
 * peer per sender decoding into the tile slot the owner gave for it.
 *
 * Nothing reaches the board without the teacher: a sender that knows the
 * code is only "waiting" (its video feeds a thumbnail in the waiting strip)
 * until cr_cast_server_approve(). A sender learns only its own state. A
 * sender that drops comes back into its tile when it reconnects (page
 * reload, network change) within the grace period, with its resume token.
 *
 * Every function is called on the io thread (ctx); callbacks run there. */
#ifndef CR_CAST_SERVER_H
#define CR_CAST_SERVER_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "display/cast/cast_decoder.h"
#include "display/cast/cast_decoder.h"
#include "display/cast/cast_guard.h"
#include "display/frame_slot.h"

#define CR_CAST_MAX_SENDERS 50
#define CR_CAST_MAX_LIVE 16

enum cr_cast_state {
    CR_CAST_WAITING, /* connected, not approved: in the waiting strip */
    CR_CAST_LIVE,    /* approved, frames arriving */
    CR_CAST_STALLED, /* approved, no frame for a while or disconnected within the grace period */
};

const char *cr_cast_state_name(enum cr_cast_state s); /* "waiting", "live", "stalled" */

/* One sender as the board sees it. */
struct cr_cast_sender_info {
    unsigned id;         /* stable while the sender exists (also across reconnections) */
    unsigned slot;       /* index of the frame slot (tile) it feeds */
    unsigned generation; /* changes when the slot is given to another sender */
    char *name;          /* first name: memory only, never logged at info */
    enum cr_cast_state state;
    bool approved;
    bool connected;
    int width, height; /* decoded size, 0 before the first frame */
    double fps;        /* decoded frames per second over the last second */
    const char *codec; /* static string: "H264", "VP8", "VP9" or "" */
    char *kind;        /* "webrtc" */
};

/* A copy of the server's state for the UI thread (owns everything). */
struct cr_cast_status {
    bool running;
    char *code;
    char *url;      /* https://ADDRESS:PORT/ the pupils type (an IP address) */
    char *mdns_url; /* https://HOST.local:PORT/ or NULL */
    int port;
    int64_t locked_until_us; /* the room refuses joins until then (monotonic); 0 = not locked */
    size_t n_senders;
    struct cr_cast_sender_info *senders; /* in order of arrival */
};

void cr_cast_status_free(void *status);
struct cr_cast_status *cr_cast_status_copy(const struct cr_cast_status *st);

struct cr_cast_server_options {
    int port;                     /* 0: any free port */
    const char *const *addresses; /* IPs to listen and do ICE on; NULL/empty: all */
    const char *web_dir;          /* the sender page */
    const char *cert_file, *key_file;
    struct cr_cast_guard_config guard;
    unsigned max_senders; /* ≤ CR_CAST_MAX_SENDERS and ≤ n_slots */
    int64_t grace_us;     /* a dropped sender keeps its place this long */
    int64_t stall_us;     /* no frame for this long: stalled */
    unsigned latency_ms;  /* jitterbuffer */
    bool announce;        /* mDNS (Avahi): _craie._tcp and _https._tcp */
    const int *srt_ports; /* SRT listeners (cast_srt.h), one caller each */
    size_t n_srt_ports;
    /* Optional: sees every decoded frame on its streaming thread (bench). */
    cr_cast_frame_tap tap;
    void *tap_userdata;
};

struct cr_cast_server_callbacks {
    /* Something the board shows changed; status is a fresh copy
     * (ownership transferred: free with cr_cast_status_free). */
    void (*on_status)(void *userdata, struct cr_cast_status *status);
};

struct cr_cast_server;

/* slots[0..n_slots-1] are borrowed and must outlive the server. Returns
 * NULL with *error (g_free) when it cannot listen or read the certificate. */
struct cr_cast_server *cr_cast_server_new(GMainContext *ctx,
                                          const struct cr_cast_server_options *opts,
                                          struct cr_frame_slot *const *slots, size_t n_slots,
                                          const struct cr_cast_server_callbacks *cbs,
                                          void *userdata, char **error);
void cr_cast_server_free(struct cr_cast_server *server);

struct cr_cast_status *cr_cast_server_status(struct cr_cast_server *server);

/* The teacher's actions. Return false when no such sender exists. */
bool cr_cast_server_approve(struct cr_cast_server *server, unsigned id);
bool cr_cast_server_deny(struct cr_cast_server *server, unsigned id);   /* refuse a waiting one */
bool cr_cast_server_remove(struct cr_cast_server *server, unsigned id); /* take one off the board */
void cr_cast_server_stop_all(struct cr_cast_server *server);
void cr_cast_server_new_code(struct cr_cast_server *server);
/* Asks a sender to send at the size of its cell on the board (screen
 * pixels) — or as a thumbnail when !live. Sent only when it changes. */
bool cr_cast_server_set_size(struct cr_cast_server *server, unsigned id, int width, int height,
                             bool live);

#endif
