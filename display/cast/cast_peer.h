/* One WebRTC sender: a pipeline with a webrtcbin that receives its video
 * and decodes it into a tile's frame slot.
 *   webrtcbin (recvonly, H.264 preferred, VP8/VP9 accepted, NACK/RTX,
 *   transport-cc) ! queue ! depay ! decode ! appsink → slot
 * ICE uses only the given local addresses (all when none), no STUN/TURN,
 * no UPnP. Every function is called on the io thread (ctx); callbacks run
 * there too, never after cr_cast_peer_free(). */
#ifndef CR_CAST_PEER_H
#define CR_CAST_PEER_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "display/cast/cast_decoder.h"
#include "display/frame_slot.h"

enum cr_cast_peer_event {
    CR_CAST_PEER_CONNECTED, /* ICE and DTLS are up */
    CR_CAST_PEER_FAILED,    /* negotiation or connection failed, or the pipeline erred */
};

struct cr_cast_peer_callbacks {
    void (*on_answer)(void *userdata, const char *sdp);
    void (*on_ice)(void *userdata, unsigned mline, const char *candidate);
    void (*on_event)(void *userdata, enum cr_cast_peer_event event, const char *detail);
};

struct cr_cast_peer_options {
    unsigned id;                      /* for logs: "cast/ID" */
    const char *const *ice_addresses; /* NULL-terminated IPs, or NULL: every interface */
    unsigned latency_ms;              /* jitterbuffer */
    cr_cast_frame_tap tap;            /* optional, see cast_decoder.h */
    void *tap_userdata;
};

struct cr_cast_peer;

/* slot is borrowed and must outlive the peer. Returns NULL (logged) when
 * webrtcbin or a decoder is missing. */
struct cr_cast_peer *cr_cast_peer_new(GMainContext *ctx, const struct cr_cast_peer_options *opts,
                                      struct cr_frame_slot *slot,
                                      const struct cr_cast_peer_callbacks *cbs, void *userdata);
/* Applies the sender's offer; the answer comes through on_answer. Returns
 * false when the SDP cannot be parsed. */
bool cr_cast_peer_set_offer(struct cr_cast_peer *peer, const char *sdp);
void cr_cast_peer_add_ice(struct cr_cast_peer *peer, unsigned mline, const char *candidate);
/* The decoder's counters (frames, size, codec), readable from any thread. */
struct cr_cast_decoder *cr_cast_peer_decoder(struct cr_cast_peer *peer);
/* Stops the pipeline (synchronously) and frees; NULL is a no-op. */
void cr_cast_peer_free(struct cr_cast_peer *peer);

#endif
