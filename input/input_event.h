/* craie's own input events: what the libinput adapter (input/li_*.c), the
 * SDL window, the replay source and the control socket's injected pen and
 * touch events all produce. No libinput type crosses this line.
 *
 * Two stages fill an event:
 *  - the source (adapter, replay, injection) sets the device, tool, raw_x,
 *    raw_y (device-normalised 0..1, before craie's calibration) and the rest;
 *  - the calibration stage (UI thread, per device and output) sets x, y in
 *    screen pixels. Window-system events (SDL mouse/finger) arrive with x, y
 *    already in pixels and raw_x = raw_y = -1. */
#ifndef CR_INPUT_EVENT_H
#define CR_INPUT_EVENT_H

#include <stdbool.h>
#include <stdint.h>

enum cr_input_kind {
    CR_INPUT_POINTER, /* mouse, touchpad */
    CR_INPUT_TOUCH,   /* finger on a touch screen / IR frame */
    CR_INPUT_PEN,     /* pen or stylus tip */
    CR_INPUT_ERASER,  /* the eraser end of a pen (or a pen whose eraser button is held) */
};

enum cr_input_action {
    CR_INPUT_DOWN,
    CR_INPUT_MOTION, /* while down; pens also report MOTION while hovering (hover = true) */
    CR_INPUT_UP,
    CR_INPUT_CANCEL, /* the contact was taken away (device unplugged, palm) */
};

/* Device ids: 0 is the window system, 1 the control socket's injected
 * devices; the libinput adapter numbers its devices from 16 up and never
 * reuses an id while craie runs. */
#define CR_INPUT_DEVICE_WINDOW 0u
#define CR_INPUT_DEVICE_INJECTED 1u
#define CR_INPUT_DEVICE_FIRST 16u

/* Pen buttons (bit mask in cr_input_event.buttons). */
#define CR_INPUT_BUTTON_STYLUS 0x1u  /* first barrel button */
#define CR_INPUT_BUTTON_STYLUS2 0x2u /* second barrel button */

/* Set in tool_id by the role "pen2" (input.roles): this tool writes in the
 * second colour whatever order the pens were first used in. */
#define CR_INPUT_TOOL_SECOND_PEN 0x80000000u

struct cr_input_event {
    enum cr_input_kind kind;
    enum cr_input_action action;
    uint32_t device_id;
    uint32_t tool_id;      /* pen: the tool's serial or index on its device (0 unknown) */
    int32_t slot;          /* touch point id; 0 for pointer and pen */
    bool hover;            /* pen in proximity but not touching */
    double raw_x, raw_y;   /* device-normalised 0..1 before calibration; -1 if none */
    double x, y;           /* screen pixels (after calibration) */
    double pressure;       /* 0..1; 1 when unknown */
    double tilt_x, tilt_y; /* degrees, 0 when unknown */
    uint32_t buttons;      /* CR_INPUT_BUTTON_* */
    int64_t time_us;       /* CLOCK_MONOTONIC, from the device when known */
};

/* What a device is, as the adapter found it (for roles, calibration keys,
 * Réglages and get_state). */
enum {
    CR_INPUT_CAP_POINTER = 1 << 0,
    CR_INPUT_CAP_TOUCH = 1 << 1,
    CR_INPUT_CAP_PEN = 1 << 2,
    CR_INPUT_CAP_KEYBOARD = 1 << 3,
};

struct cr_input_device_info {
    uint32_t id;
    char key[128]; /* stable across reboots: see li_adapter.h */
    char name[128];
    char sysname[32]; /* "event4" */
    uint16_t vendor, product;
    unsigned caps;              /* CR_INPUT_CAP_* */
    bool direct;                /* on-screen device (touch screen, IR frame, projector pen) */
    bool calibratable;          /* craie can read its raw positions (see li_adapter.c) */
    double width_mm, height_mm; /* 0 when unknown */
    char quirks[128];           /* names of the quirks applied, comma-separated, or "" */
};

#endif
