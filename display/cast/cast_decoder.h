/* The decoding end of every cast pipeline: depayloader (RTP) or parser,
 * decoder and an appsink that hands frames to a tile's slot, with the
 * counters the server reads to tell live from stalled. GStreamer types stay
 * in display/cast/. */
#ifndef CR_CAST_DECODER_H
#define CR_CAST_DECODER_H

#include <gst/gst.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "display/frame_slot.h"

enum cr_cast_codec {
    CR_CAST_CODEC_NONE,
    CR_CAST_CODEC_H264,
    CR_CAST_CODEC_VP8,
    CR_CAST_CODEC_VP9,
};

const char *cr_cast_codec_name(enum cr_cast_codec c); /* "H264", "VP8", "VP9", "" */
enum cr_cast_codec cr_cast_codec_from_name(const char *encoding_name);

/* Called on the streaming thread for every decoded frame, before it goes
 * to the slot; it may set frame->capture_us (the bench reads a timestamp
 * drawn in the picture). Must not block. */
typedef void (*cr_cast_frame_tap)(void *userdata, struct cr_frame *frame, int64_t arrival_us);

struct cr_cast_decoder {
    struct cr_frame_slot *_Atomic slot; /* borrowed; NULL: frames counted, dropped */
    cr_cast_frame_tap tap;
    void *tap_userdata;
    _Atomic uint64_t frames;
    _Atomic int64_t last_frame_us; /* cr_monotonic_us() of the last frame, 0 before */
    _Atomic int width, height;
    _Atomic int codec; /* enum cr_cast_codec */
};

void cr_cast_decoder_init(struct cr_cast_decoder *d, struct cr_frame_slot *slot);

/* Builds [queue ! depay !] parse/decode ! appsink inside bin and links src
 * to it. rtp: src carries RTP of codec; else an H.264 byte stream. Any
 * thread (pad-added). Returns false (logged) when an element is missing or
 * linking fails. */
bool cr_cast_decoder_link(struct cr_cast_decoder *d, GstBin *bin, GstPad *src,
                          enum cr_cast_codec codec, bool rtp, const char *log_tag);

#endif
