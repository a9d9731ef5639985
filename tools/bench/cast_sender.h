/* A cast sender made of GStreamer test sources, for the gst tests and the
 * benchmark: it speaks the sender page's protocol over a real WebSocket
 * (libsoup) and sends real WebRTC (webrtcbin) H.264 from videotestsrc, so
 * that the receiver is exercised without a browser's CPU cost. It follows
 * the board's "size" requests as the page does (scales down, never up).
 * Everything runs on the thread that iterates ctx. Test code, not shipped. */
#ifndef CR_CAST_SENDER_H
#define CR_CAST_SENDER_H

#include <glib.h>
#include <stdbool.h>

/* One encoder feeding many senders (bench: N streams for the cost of one
 * encode). Sizes are fixed: the board's size requests are not followed. */
struct cr_cast_source;
struct cr_cast_source *cr_cast_source_new(int width, int height, int fps, bool moving);
void cr_cast_source_free(struct cr_cast_source *src); /* after its senders */

struct cr_cast_sender_options {
    const char *url;  /* https://127.0.0.1:PORT/ */
    const char *code; /* the join code */
    const char *name;
    int width, height, fps;        /* the "screen" */
    bool moving;                   /* a moving ball rather than still colour bars */
    bool vp8;                      /* VP8 instead of H.264 (a browser without H.264) */
    struct cr_cast_source *source; /* shared encoder, or NULL: the sender's own */
};

struct cr_cast_sender;

struct cr_cast_sender *cr_cast_sender_new(GMainContext *ctx,
                                          const struct cr_cast_sender_options *opts);
void cr_cast_sender_free(struct cr_cast_sender *s);

/* What the page would show: "connecting", "waiting", "live", "stopped",
 * "refused", an error reason ("wrong-code", "locked"...), "closed". */
const char *cr_cast_sender_status(struct cr_cast_sender *s);
/* The size the encoder sends now. */
void cr_cast_sender_size(struct cr_cast_sender *s, int *width, int *height);
/* Stops sending video but stays connected (a stalled stream). */
void cr_cast_sender_pause(struct cr_cast_sender *s);

#endif
