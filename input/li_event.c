/* libinput events → struct cr_input_event.
 *
 * Positions are libinput's transformed coordinates with width = height = 1:
 * device-normalised 0..1 after libinput's calibration matrix (identity when
 * craie asked for raw positions). x, y stay 0: the calibration stage fills
 * them. Times are the kernel's event times (CLOCK_MONOTONIC).
 *
 *   touch   DOWN / MOTION / UP / CANCEL per slot (single-touch: slot 0);
 *           UP and CANCEL carry the slot's last position
 *   pen     proximity in: MOTION hover; tip down: DOWN; axes: MOTION (hover
 *           while the tip is up); tip up: UP; proximity out: CANCEL hover;
 *           a barrel button: MOTION with the new buttons
 *   pointer absolute motion: MOTION; left button: DOWN / UP (relative mice
 *           are the window system's)
 *   unplug  what libinput ends when a device goes (and what it leaves
 *           open) is a CANCEL, never an UP (li_adapter.c, dispatch) */
#include "input/li_private.h"

#include <linux/input.h>
#include <string.h>

static void emit(struct cr_li_adapter *a, const struct cr_input_event *ev)
{
    if (a->cb->event)
        a->cb->event(a->user, ev);
}

static void init_event(struct cr_input_event *ev, const struct cr_li_device *d,
                       enum cr_input_kind kind, enum cr_input_action action, uint64_t time_us)
{
    memset(ev, 0, sizeof(*ev));
    ev->kind = kind;
    ev->action = action;
    ev->device_id = d->info.id;
    ev->pressure = 1;
    ev->time_us = (int64_t)time_us;
}

/* ---- touch ---- */

static void handle_touch(struct cr_li_adapter *a, struct cr_li_device *d,
                         enum libinput_event_type type, struct libinput_event_touch *t)
{
    static const enum cr_input_action actions[] = {
        [LIBINPUT_EVENT_TOUCH_DOWN - LIBINPUT_EVENT_TOUCH_DOWN] = CR_INPUT_DOWN,
        [LIBINPUT_EVENT_TOUCH_UP - LIBINPUT_EVENT_TOUCH_DOWN] = CR_INPUT_UP,
        [LIBINPUT_EVENT_TOUCH_MOTION - LIBINPUT_EVENT_TOUCH_DOWN] = CR_INPUT_MOTION,
        [LIBINPUT_EVENT_TOUCH_CANCEL - LIBINPUT_EVENT_TOUCH_DOWN] = CR_INPUT_CANCEL,
    };
    struct cr_input_event ev;
    int slot = libinput_event_touch_get_slot(t);
    if (slot < 0)
        slot = 0; /* single-touch devices */
    enum cr_input_action action = actions[type - LIBINPUT_EVENT_TOUCH_DOWN];
    if (action == CR_INPUT_UP && d->removing)
        action = CR_INPUT_CANCEL;
    init_event(&ev, d, CR_INPUT_TOUCH, action, libinput_event_touch_get_time_usec(t));
    ev.slot = slot;
    bool tracked = slot < CR_LI_MAX_SLOTS;

    if (type == LIBINPUT_EVENT_TOUCH_DOWN || type == LIBINPUT_EVENT_TOUCH_MOTION) {
        ev.raw_x = libinput_event_touch_get_x_transformed(t, 1);
        ev.raw_y = libinput_event_touch_get_y_transformed(t, 1);
        if (tracked) {
            d->touch_x[slot] = ev.raw_x;
            d->touch_y[slot] = ev.raw_y;
            d->touch_down |= UINT64_C(1) << slot;
        }
    } else {
        /* libinput gives no position on up and cancel: the last one */
        ev.raw_x = tracked ? d->touch_x[slot] : -1;
        ev.raw_y = tracked ? d->touch_y[slot] : -1;
        if (tracked)
            d->touch_down &= ~(UINT64_C(1) << slot);
    }
    emit(a, &ev);
}

/* ---- tablet tools ---- */

static uint32_t button_bit(uint32_t button)
{
    switch (button) {
    case BTN_STYLUS:
        return CR_INPUT_BUTTON_STYLUS;
    case BTN_STYLUS2:
        return CR_INPUT_BUTTON_STYLUS2;
    default:
        return 0;
    }
}

/* Reads the tool and its axes into the device's pen state. */
static void update_pen(struct cr_li_device *d, struct libinput_event_tablet_tool *t)
{
    struct cr_li_pen *pen = &d->pen;
    struct libinput_tablet_tool *tool = libinput_event_tablet_tool_get_tool(t);
    pen->kind = libinput_tablet_tool_get_type(tool) == LIBINPUT_TABLET_TOOL_TYPE_ERASER
                    ? CR_INPUT_ERASER
                    : CR_INPUT_PEN;
    pen->tool_id = (uint32_t)libinput_tablet_tool_get_serial(tool);
    pen->raw_x = libinput_event_tablet_tool_get_x_transformed(t, 1);
    pen->raw_y = libinput_event_tablet_tool_get_y_transformed(t, 1);
    if (*d->info.quirks && d->quirks.binary_pressure)
        pen->pressure = d->quirks.pressure_constant;
    else if (libinput_tablet_tool_has_pressure(tool))
        pen->pressure = libinput_event_tablet_tool_get_pressure(t);
    else
        pen->pressure = 1;
    if (libinput_tablet_tool_has_tilt(tool)) {
        pen->tilt_x = libinput_event_tablet_tool_get_tilt_x(t);
        pen->tilt_y = libinput_event_tablet_tool_get_tilt_y(t);
    }
}

static void emit_pen(struct cr_li_adapter *a, const struct cr_li_device *d,
                     enum cr_input_action action, bool hover, uint64_t time_us)
{
    const struct cr_li_pen *pen = &d->pen;
    struct cr_input_event ev;
    init_event(&ev, d, pen->kind, action, time_us);
    ev.tool_id = pen->tool_id;
    ev.hover = hover;
    ev.raw_x = pen->raw_x;
    ev.raw_y = pen->raw_y;
    ev.pressure = hover ? 0 : pen->pressure;
    ev.tilt_x = pen->tilt_x;
    ev.tilt_y = pen->tilt_y;
    ev.buttons = pen->buttons;
    emit(a, &ev);
}

static void handle_tool(struct cr_li_adapter *a, struct cr_li_device *d,
                        enum libinput_event_type type, struct libinput_event_tablet_tool *t)
{
    struct cr_li_pen *pen = &d->pen;
    uint64_t time = libinput_event_tablet_tool_get_time_usec(t);

    switch (type) {
    case LIBINPUT_EVENT_TABLET_TOOL_PROXIMITY:
        update_pen(d, t);
        if (libinput_event_tablet_tool_get_proximity_state(t) ==
            LIBINPUT_TABLET_TOOL_PROXIMITY_STATE_IN) {
            pen->in_proximity = true;
            emit_pen(a, d, CR_INPUT_MOTION, true, time);
        } else {
            /* libinput sends tip up before proximity out; after a
             * cancelled contact (unplug) there is nothing left to end */
            if (pen->in_proximity)
                emit_pen(a, d, CR_INPUT_CANCEL, !pen->tip_down, time);
            memset(pen, 0, sizeof(*pen));
        }
        break;
    case LIBINPUT_EVENT_TABLET_TOOL_TIP:
        update_pen(d, t);
        pen->in_proximity = true;
        pen->tip_down =
            libinput_event_tablet_tool_get_tip_state(t) == LIBINPUT_TABLET_TOOL_TIP_DOWN;
        if (!pen->tip_down && d->removing) {
            emit_pen(a, d, CR_INPUT_CANCEL, false, time);
            memset(pen, 0, sizeof(*pen));
            break;
        }
        emit_pen(a, d, pen->tip_down ? CR_INPUT_DOWN : CR_INPUT_UP, false, time);
        break;
    case LIBINPUT_EVENT_TABLET_TOOL_AXIS:
        update_pen(d, t);
        emit_pen(a, d, CR_INPUT_MOTION, !pen->tip_down, time);
        break;
    case LIBINPUT_EVENT_TABLET_TOOL_BUTTON: {
        uint32_t bit = button_bit(libinput_event_tablet_tool_get_button(t));
        if (!bit)
            return;
        if (libinput_event_tablet_tool_get_button_state(t) == LIBINPUT_BUTTON_STATE_PRESSED)
            pen->buttons |= bit;
        else
            pen->buttons &= ~bit;
        emit_pen(a, d, CR_INPUT_MOTION, !pen->tip_down, time);
        break;
    }
    default:
        break;
    }
}

/* ---- absolute pointers ---- */

static void handle_pointer(struct cr_li_adapter *a, struct cr_li_device *d,
                           enum libinput_event_type type, struct libinput_event_pointer *p)
{
    struct cr_input_event ev;
    uint64_t time = libinput_event_pointer_get_time_usec(p);

    if (type == LIBINPUT_EVENT_POINTER_MOTION_ABSOLUTE) {
        d->pointer_known = true;
        d->pointer_x = libinput_event_pointer_get_absolute_x_transformed(p, 1);
        d->pointer_y = libinput_event_pointer_get_absolute_y_transformed(p, 1);
        init_event(&ev, d, CR_INPUT_POINTER, CR_INPUT_MOTION, time);
    } else if (type == LIBINPUT_EVENT_POINTER_BUTTON && d->pointer_known &&
               libinput_event_pointer_get_button(p) == BTN_LEFT) {
        bool down = libinput_event_pointer_get_button_state(p) == LIBINPUT_BUTTON_STATE_PRESSED;
        if (down == d->pointer_down)
            return;
        d->pointer_down = down;
        init_event(&ev, d, CR_INPUT_POINTER,
                   down          ? CR_INPUT_DOWN
                   : d->removing ? CR_INPUT_CANCEL
                                 : CR_INPUT_UP,
                   time);
    } else {
        return; /* relative motion, scrolling, other buttons: the window system's */
    }
    ev.hover = !d->pointer_down && ev.action == CR_INPUT_MOTION;
    ev.raw_x = d->pointer_x;
    ev.raw_y = d->pointer_y;
    emit(a, &ev);
}

void cr_li_handle_event(struct cr_li_adapter *a, struct libinput_event *ev)
{
    enum libinput_event_type type = libinput_event_get_type(ev);
    struct cr_li_device *d = libinput_device_get_user_data(libinput_event_get_device(ev));
    if (!d)
        return;
    switch (type) {
    case LIBINPUT_EVENT_TOUCH_DOWN:
    case LIBINPUT_EVENT_TOUCH_UP:
    case LIBINPUT_EVENT_TOUCH_MOTION:
    case LIBINPUT_EVENT_TOUCH_CANCEL:
        handle_touch(a, d, type, libinput_event_get_touch_event(ev));
        break;
    case LIBINPUT_EVENT_TABLET_TOOL_AXIS:
    case LIBINPUT_EVENT_TABLET_TOOL_PROXIMITY:
    case LIBINPUT_EVENT_TABLET_TOOL_TIP:
    case LIBINPUT_EVENT_TABLET_TOOL_BUTTON:
        handle_tool(a, d, type, libinput_event_get_tablet_tool_event(ev));
        break;
    case LIBINPUT_EVENT_POINTER_MOTION_ABSOLUTE:
    case LIBINPUT_EVENT_POINTER_BUTTON:
        handle_pointer(a, d, type, libinput_event_get_pointer_event(ev));
        break;
    default:
        break; /* frames, keys, gestures, pads, switches */
    }
}

void cr_li_cancel_contacts(struct cr_li_adapter *a, struct cr_li_device *d)
{
    int64_t now = g_get_monotonic_time();
    struct cr_input_event ev;
    for (int slot = 0; slot < CR_LI_MAX_SLOTS; slot++) {
        if (!(d->touch_down & (UINT64_C(1) << slot)))
            continue;
        init_event(&ev, d, CR_INPUT_TOUCH, CR_INPUT_CANCEL, now);
        ev.slot = slot;
        ev.raw_x = d->touch_x[slot];
        ev.raw_y = d->touch_y[slot];
        emit(a, &ev);
    }
    d->touch_down = 0;
    if (d->pen.in_proximity || d->pen.tip_down)
        emit_pen(a, d, CR_INPUT_CANCEL, !d->pen.tip_down, now);
    memset(&d->pen, 0, sizeof(d->pen));
    if (d->pointer_down) {
        init_event(&ev, d, CR_INPUT_POINTER, CR_INPUT_CANCEL, now);
        ev.raw_x = d->pointer_x;
        ev.raw_y = d->pointer_y;
        emit(a, &ev);
    }
    d->pointer_down = false;
}
