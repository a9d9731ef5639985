/* craie's own input events: what the libinput adapter (input/li_*.c), the
 * SDL window and the control socket's injected taps all produce. */
#ifndef CR_INPUT_EVENT_H
#define CR_INPUT_EVENT_H

#include <stdint.h>

enum cr_input_kind {
    CR_INPUT_POINTER, /* mouse, touchpad */
    CR_INPUT_TOUCH,   /* finger on a touch screen / IR frame */
    CR_INPUT_PEN,     /* pen or stylus tip */
};

enum cr_input_action {
    CR_INPUT_DOWN,
    CR_INPUT_MOTION, /* only meaningful while down for gestures */
    CR_INPUT_UP,
    CR_INPUT_CANCEL, /* the contact was taken away (device unplugged, palm) */
};

struct cr_input_event {
    enum cr_input_kind kind;
    enum cr_input_action action;
    uint32_t device_id; /* 0 = the window system / injected */
    int32_t slot;       /* touch point id; 0 for pointer and pen */
    double x, y;        /* screen pixels */
    double pressure;    /* 0..1; 1 when unknown */
    int64_t time_us;    /* CLOCK_MONOTONIC */
};

#endif
