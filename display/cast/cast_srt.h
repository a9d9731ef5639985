/* The second ingest, for devices and tools that cannot run the sender page
 * (ffmpeg, OBS, gst-launch): an SRT listener on one port taking one caller
 * at a time, MPEG-TS with H.264 inside, decoded into a tile's slot.
 *   srtsrc mode=listener ! tsdemux ! h264parse ! avdec_h264 ! appsink
 * The caller's stream id carries the join code and a name
 * (cr_cast_parse_streamid); the owner checks the code before the caller
 * is accepted, and the teacher approves it like any other sender.
 * Functions on the io thread (ctx); callbacks as documented. */
#ifndef CR_CAST_SRT_H
#define CR_CAST_SRT_H

#include <glib.h>
#include <stdbool.h>

#include "display/cast/cast_decoder.h"

struct cr_cast_srt;

struct cr_cast_srt_callbacks {
    /* SRT's thread, while the caller waits: may it in? Must be thread-safe. */
    bool (*check)(void *userdata, const char *addr, const char *code);
    /* io thread: an accepted caller is connected (name: checked, borrowed). */
    void (*on_caller)(void *userdata, struct cr_cast_srt *srt, const char *name, const char *addr);
    /* io thread: the caller went away. */
    void (*on_gone)(void *userdata, struct cr_cast_srt *srt);
};

struct cr_cast_srt *cr_cast_srt_new(GMainContext *ctx, const char *address, int port,
                                    const struct cr_cast_srt_callbacks *cbs, void *userdata);
int cr_cast_srt_port(const struct cr_cast_srt *srt);
/* The decoder's counters; its slot is set with cr_cast_srt_set_slot. */
struct cr_cast_decoder *cr_cast_srt_decoder(struct cr_cast_srt *srt);
/* Where frames go from now on (NULL: dropped). Any thread. */
void cr_cast_srt_set_slot(struct cr_cast_srt *srt, struct cr_frame_slot *slot);
/* Drops the caller (refused, removed) and listens again. */
void cr_cast_srt_kick(struct cr_cast_srt *srt);
void cr_cast_srt_free(struct cr_cast_srt *srt);

#endif
