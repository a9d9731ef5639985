/* Private to the libinput adapter (input/li_*.c): the adapter's state and
 * the event translation shared by li_adapter.c and li_event.c. */
#ifndef CR_LI_PRIVATE_H
#define CR_LI_PRIVATE_H

#include <libinput.h>
#include <libudev.h>

#include "input/li_adapter.h"
#include "input/quirks.h"

#define CR_LI_MAX_SLOTS 64 /* touch slots tracked for CANCEL on unplug */

/* What a pen is doing now (one tool at a time per device). */
struct cr_li_pen {
    bool in_proximity, tip_down;
    enum cr_input_kind kind; /* PEN or ERASER */
    uint32_t tool_id;
    double raw_x, raw_y, pressure, tilt_x, tilt_y;
    uint32_t buttons;
};

struct cr_li_device {
    struct libinput_device *dev; /* ref'd */
    struct cr_input_device_info info;
    struct cr_quirk_attrs quirks; /* valid when info.quirks is not empty */
    uint64_t touch_down;          /* bit per slot with a contact */
    double touch_x[CR_LI_MAX_SLOTS], touch_y[CR_LI_MAX_SLOTS];
    struct cr_li_pen pen;
    bool removing; /* libinput removes it in this dispatch: endings are CANCELs */
    bool pointer_known, pointer_down; /* absolute pointers */
    double pointer_x, pointer_y;
};

struct cr_li_adapter {
    GMainContext *ctx;
    GSource *fd_source, *idle_source;
    struct udev *udev;
    struct libinput *li;
    const struct cr_quirks *quirks; /* borrowed, may be NULL */
    const struct cr_li_callbacks *cb;
    void *user;
    GPtrArray *devices; /* struct cr_li_device *, in the order they came */
    uint32_t next_id;
};

/* li_event.c: one libinput event (not a device added/removed one). */
void cr_li_handle_event(struct cr_li_adapter *a, struct libinput_event *ev);
/* li_event.c: CANCEL for every contact, pen in proximity or button held. */
void cr_li_cancel_contacts(struct cr_li_adapter *a, struct cr_li_device *d);

#endif
