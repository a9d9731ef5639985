/* The calibration screen: full-screen targets touched in turn (4, 9 or 16),
 * misclick rejection, a verification point, and a result screen with the
 * accuracy in pixels (and millimetres when the screen size is known) and a
 * heat map of the residuals. Nothing changes until the teacher saves: cancel
 * (button, Escape, or 60 s without a touch) keeps the previous calibration.
 * UI thread; the solver is input/calib.h. */
#ifndef CR_CALIBRATION_SCREEN_H
#define CR_CALIBRATION_SCREEN_H

#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "input/calib.h"
#include "input/input_event.h"
#include "display/ui/widgets.h"

enum cr_calib_phase {
    CR_CALIB_PHASE_OFF,
    CR_CALIB_PHASE_COLLECT, /* targets in turn */
    CR_CALIB_PHASE_VERIFY,  /* one more point, not used by the solver */
    CR_CALIB_PHASE_RESULT,  /* accuracy, heat map; save, retry or cancel */
};

enum { CR_CALIB_BTN_CANCEL, CR_CALIB_BTN_RETRY, CR_CALIB_BTN_SAVE, CR_CALIB_BUTTONS };

#define CR_CALIB_IDLE_US (60 * (int64_t)G_USEC_PER_SEC)

struct cr_calibration_screen {
    enum cr_calib_phase phase;
    int width, height; /* output px */
    size_t n_targets, index;
    double targets[16][2];
    struct cr_calib_point pts[16];

    bool have_device; /* the first device that touched a target is the one calibrated */
    struct cr_input_device_info device;
    bool contact; /* a touch was taken: wait for it to lift */

    double verify[2];
    double verify_px; /* error at the verification point, px */
    bool solved, verify_ok;
    struct cr_calib result;
    struct cr_calib_report report;
    char failure[160]; /* solver reason (English, stable vocabulary) when !solved */

    char *message; /* feedback under the target (translated), or NULL */
    int64_t message_until_us, last_activity_us, accepted_at_us;
    double mm_per_px; /* 0 when the physical size is unknown */

    struct cr_button buttons[CR_CALIB_BUTTONS];
};

void cr_calibration_screen_init(struct cr_calibration_screen *cs);
void cr_calibration_screen_destroy(struct cr_calibration_screen *cs);
/* Starts with n points (4, 9 or 16; anything else is refused) on a
 * width × height output. */
bool cr_calibration_screen_start(struct cr_calibration_screen *cs, size_t n, int width, int height,
                                 int64_t now_us);
void cr_calibration_screen_stop(struct cr_calibration_screen *cs);
static inline bool cr_calibration_screen_active(const struct cr_calibration_screen *cs)
{
    return cs->phase != CR_CALIB_PHASE_OFF;
}

/* One event from a device (raw_x/raw_y set; x/y mapped with the device's
 * current calibration, for the buttons). dev is NULL for injected events and
 * the window system. Returns the command a button asked for
 * ("calibrate cancel|retry|save") or NULL. */
const char *cr_calibration_screen_input(struct cr_calibration_screen *cs,
                                        const struct cr_input_event *ev,
                                        const struct cr_input_device_info *dev, int64_t now_us);
/* Time-driven: returns "calibrate cancel" after CR_CALIB_IDLE_US without a
 * touch, else NULL. */
const char *cr_calibration_screen_tick(struct cr_calibration_screen *cs, int64_t now_us);
int64_t cr_calibration_screen_deadline(const struct cr_calibration_screen *cs);

void cr_calibration_screen_draw(struct cr_calibration_screen *cs, struct cr_ui *ui);
/* The target the screen shows now (collect or verify), px. */
bool cr_calibration_screen_target(const struct cr_calibration_screen *cs, double *x, double *y);
/* For get_state. */
JsonNode *cr_calibration_screen_state(const struct cr_calibration_screen *cs);

#endif
