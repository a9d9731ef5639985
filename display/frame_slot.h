/* The latest-frame mailbox between a streaming thread and the UI thread
 * (scrcpy's "pending frame"). The producer never blocks on the UI: a frame
 * not yet taken is replaced (and counted as dropped); the consumer is told
 * once per taken frame, so events never pile up in SDL's queue. */
#ifndef CR_FRAME_SLOT_H
#define CR_FRAME_SLOT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "display/frame.h"

struct cr_frame_slot_callbacks {
    /* Called on the pushing (streaming) thread when the slot goes from empty
     * to full, without the slot lock held. Must not block: post an event. */
    void (*on_new_frame)(void *userdata);
};

struct cr_frame_slot {
    GMutex lock;
    struct cr_frame *frame; /* guarded by lock */
    bool pending;           /* guarded by lock: a notification is outstanding */
    bool closed;            /* guarded by lock: push drops everything */
    uint64_t pushed;        /* guarded by lock */
    uint64_t dropped;       /* guarded by lock: replaced before being taken */
    const struct cr_frame_slot_callbacks *cbs;
    void *userdata;
};

void cr_frame_slot_init(struct cr_frame_slot *slot, const struct cr_frame_slot_callbacks *cbs,
                        void *userdata);
/* Frees a frame still held. No push may run concurrently. */
void cr_frame_slot_destroy(struct cr_frame_slot *slot);

/* Any thread. Ownership of frame is transferred. */
void cr_frame_slot_push(struct cr_frame_slot *slot, struct cr_frame *frame);
/* UI thread. Returns the latest frame (ownership transferred) or NULL, and
 * re-arms the notification. */
struct cr_frame *cr_frame_slot_take(struct cr_frame_slot *slot);
/* Drops the held frame, if any, without counting it as dropped. */
void cr_frame_slot_clear(struct cr_frame_slot *slot);
/* After close, pushes are freed at once (shutdown: refuse new posts). */
void cr_frame_slot_close(struct cr_frame_slot *slot);

void cr_frame_slot_stats(struct cr_frame_slot *slot, uint64_t *pushed, uint64_t *dropped);

#endif
