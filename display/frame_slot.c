#include "display/frame_slot.h"

void cr_frame_slot_init(struct cr_frame_slot *slot, const struct cr_frame_slot_callbacks *cbs,
                        void *userdata)
{
    g_mutex_init(&slot->lock);
    slot->frame = NULL;
    slot->pending = false;
    slot->closed = false;
    slot->pushed = 0;
    slot->dropped = 0;
    slot->cbs = cbs;
    slot->userdata = userdata;
}

void cr_frame_slot_destroy(struct cr_frame_slot *slot)
{
    cr_frame_unref(slot->frame);
    slot->frame = NULL;
    g_mutex_clear(&slot->lock);
}

void cr_frame_slot_push(struct cr_frame_slot *slot, struct cr_frame *frame)
{
    struct cr_frame *old;
    bool notify = false;

    g_mutex_lock(&slot->lock);
    if (slot->closed) {
        g_mutex_unlock(&slot->lock);
        cr_frame_unref(frame);
        return;
    }
    old = slot->frame;
    slot->frame = frame;
    slot->pushed++;
    if (old)
        slot->dropped++;
    if (!slot->pending) {
        slot->pending = true;
        notify = true;
    }
    g_mutex_unlock(&slot->lock);

    cr_frame_unref(old);
    if (notify && slot->cbs && slot->cbs->on_new_frame)
        slot->cbs->on_new_frame(slot->userdata);
}

struct cr_frame *cr_frame_slot_take(struct cr_frame_slot *slot)
{
    g_mutex_lock(&slot->lock);
    struct cr_frame *f = slot->frame;
    slot->frame = NULL;
    slot->pending = false;
    g_mutex_unlock(&slot->lock);
    return f;
}

void cr_frame_slot_clear(struct cr_frame_slot *slot)
{
    cr_frame_unref(cr_frame_slot_take(slot));
}

void cr_frame_slot_close(struct cr_frame_slot *slot)
{
    g_mutex_lock(&slot->lock);
    slot->closed = true;
    struct cr_frame *f = slot->frame;
    slot->frame = NULL;
    g_mutex_unlock(&slot->lock);
    cr_frame_unref(f);
}

void cr_frame_slot_stats(struct cr_frame_slot *slot, uint64_t *pushed, uint64_t *dropped)
{
    g_mutex_lock(&slot->lock);
    if (pushed)
        *pushed = slot->pushed;
    if (dropped)
        *dropped = slot->dropped;
    g_mutex_unlock(&slot->lock);
}
