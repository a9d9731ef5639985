/* The composition root: owns every component by value and wires them.
 * Threads: the UI thread runs cr_app_run(); the io thread (app->io) owns the
 * camera controller and the control socket. */
#ifndef CR_APP_H
#define CR_APP_H

#include <json-glib/json-glib.h>
#include <stdbool.h>

#include "common/config.h"
#include "common/io.h"
#include "common/ipc.h"
#include "common/service.h"
#include "display/app_board.h"
#include "display/app_board_kinds.h"
#include "display/app_ent.h"
#include "display/app_fleet.h"
#include "display/app_settings.h"
#include "display/app_ink.h"
#include "display/camera/camera.h"
#include "display/screen.h"
#include "display/tile.h"
#include "display/ui/calibration_screen.h"
#include "display/ui/camera_screen.h"
#include "display/ui/cast_wall.h"
#include "display/ui/launcher.h"
#include "display/ui/notice.h"
#include "display/ui/theme.h"
#include "display/ui/whiteboard.h"
#include "input/calib_store.h"
#include "input/gesture.h"
#include "input/li_adapter.h"
#include "input/quirks.h"

enum cr_screen_id {
    CR_SCREEN_LAUNCHER,
    CR_SCREEN_CAMERA,
    CR_SCREEN_WHITEBOARD,
    CR_SCREEN_TABLETS,
    CR_SCREEN_ENT,
    CR_SCREEN_SETTINGS,
    CR_SCREEN_BOARD, /* Affichage: tiles of any kind side by side (app_board.c) */
};

const char *cr_screen_id_name(enum cr_screen_id id);

/* io → UI: a device came or went (CR_EVENT_INPUT_DEVICE). */
struct cr_app_device_msg {
    bool added;
    struct cr_input_device_info info; /* only id is set when removed */
};

#define CR_DRIFT_SAMPLES 16

/* What the UI knows of an input device (display/app_input.c). */
struct cr_app_device {
    struct cr_input_device_info info;
    char role[8];   /* "pen", "pen2", "touch", "ignore" or "" (by kind) */
    bool has_calib; /* a calibration of craie's is applied (raw mode on) */
    struct cr_calib calib;
    bool offered; /* calibration already offered this run */
    /* offered while another panel or the calibration screen was up: shown
     * once the board is free (0 none, 1 new device, 2 drift) */
    int offer_pending;
    int offer_offset_px; /* the drift's, for its text */
    /* drift: offsets of taps from button centres (design px) */
    double drift[CR_DRIFT_SAMPLES][2];
    unsigned n_drift, drift_next;
};

struct cr_app {
    const struct cr_config *cfg; /* borrowed */

    struct cr_io io;
    struct cr_ipc_server *ipc; /* created before the io thread, used from it */
    char *ipc_path;
    struct cr_camera camera;     /* io thread only */
    struct cr_li_adapter *li;    /* io thread only; NULL when libinput is off or failed */
    struct cr_quirks *quirks;    /* read-only once the io thread runs */
    struct cr_cast_server *cast; /* io thread only; NULL when casting is off */
    GSource *signals[3];         /* attached to io.ctx */
    struct cr_service service;   /* systemd: notify, watchdog, restart marker (app_service.c) */
    bool service_ready;          /* READY=1 sent (UI thread) */
    int test_hang;               /* the watchdog test: the UI thread hangs (UI thread) */

    struct cr_screen screen;
    struct cr_ui ui;
    struct cr_tile camera_tile; /* its slot is fed by the camera's streaming thread */
    struct cr_camera_screen camera_screen;
    struct cr_launcher launcher;
    struct cr_whiteboard whiteboard;
    struct cr_cast_wall cast_wall; /* Tablettes: its tiles' slots are fed by app->cast */
    struct cr_notice notice;
    struct cr_calibration_screen calibration;
    enum cr_screen_id current;

    /* input devices (UI thread, display/app_input.c) */
    GArray *devices; /* struct cr_app_device */
    struct cr_calib_store *calibs;
    struct cr_calib injected_calib; /* the control socket's devices: in memory only */
    bool injected_has_calib;
    uint32_t last_down_device;
    int64_t li_last_event_us; /* to ignore the window system's copy of the same touch */
    bool li_has_touch;

    struct cr_gesture_recognizer gestures;
    struct cr_tile *gesture_tile;    /* the tile a drag or pinch moves, or NULL */
    struct cr_app_ink ink;           /* pen routing, settings, latency (app_ink.c) */
    struct cr_app_ent ent;           /* the ENT client and screen (app_ent.c) */
    struct cr_app_fleet fleet;       /* status, metrics, usage (app_fleet.c) */
    struct cr_app_settings settings; /* Réglages, its PIN (app_settings.c) */
    struct cr_app_board board;       /* the board screen, Affichage (app_board.c) */
    bool home_pressed;
    struct cr_button home_button; /* a copy for cr_app_visible_buttons() */
    bool mouse_down;

    char *save_dir;
    GPtrArray *save_threads; /* GThread *, joined at shutdown */
    bool running;
    bool dirty;
    int64_t next_render_us; /* frame pacing: no render before this */
};

/* Runs craie until quit; returns the process exit status. */
int cr_app_run(const struct cr_config *cfg);

/* --- app.c, used by app_commands.c --- */
/* The Home button as it is on every screen but the launcher. */
struct cr_button cr_app_home_button(const struct cr_app *app);
void cr_app_open(struct cr_app *app, enum cr_screen_id id);
void cr_app_render(struct cr_app *app);
void cr_app_feed_input(struct cr_app *app, const struct cr_input_event *ev);
/* Emits the time-driven gestures (long press) due at now_us. */
void cr_app_tick_input(struct cr_app *app, int64_t now_us);
void cr_app_broadcast(struct cr_app *app, const char *event, JsonNode *fields);
/* Asks the io thread to run fn(app). */
void cr_app_io(struct cr_app *app, GSourceFunc fn);

enum cr_app_camera_op {
    CR_APP_CAMERA_START, /* watch devices */
    CR_APP_CAMERA_OPEN,
    CR_APP_CAMERA_CLOSE,
    CR_APP_CAMERA_USE_TEST,
    CR_APP_CAMERA_NEXT,
};

/* UI thread: asks the io thread to do op on the camera controller. */
void cr_app_camera(struct cr_app *app, enum cr_app_camera_op op);

/* --- app_input.c --- */
void cr_app_input_init(struct cr_app *app);        /* UI thread, before the io thread starts */
void cr_app_input_start(struct cr_app *app);       /* asks the io thread to open libinput */
void cr_app_input_destroy(struct cr_app *app);     /* UI thread, after the io thread is joined */
void cr_app_input_io_shutdown(struct cr_app *app); /* io thread */
/* An event from a device or the control socket (raw position set):
 * calibration stage, then the calibration screen or cr_app_feed_input. */
void cr_app_device_input(struct cr_app *app, struct cr_input_event *ev);
void cr_app_on_device_msg(struct cr_app *app, struct cr_app_device_msg *msg);
/* True if a window-system mouse/touch event duplicates what libinput gave. */
bool cr_app_window_input_is_duplicate(struct cr_app *app, bool touch);
/* A tap on a visible button (x, y where it landed): drift watch. */
void cr_app_drift_observe(struct cr_app *app, int x, int y, struct cr_rect button);
/* Shows a calibration offer that had to wait (UI thread, each loop turn). */
void cr_app_input_offer_pending(struct cr_app *app);
/* "calibrate start [N]|cancel|retry|save" */
bool cr_app_calibrate(struct cr_app *app, char **args, unsigned n, char **error);
JsonNode *cr_app_devices_state(struct cr_app *app);
/* The output key for calibrations ("1920x1080"). g_free. */
char *cr_app_output_key(const struct cr_app *app);
/* --- app_cast.c: casting (Tablettes) --- */
void cr_app_cast_init(struct cr_app *app);        /* UI thread, before the io thread */
void cr_app_cast_start(struct cr_app *app);       /* starts the server on the io thread */
void cr_app_cast_io_shutdown(struct cr_app *app); /* io thread */
void cr_app_cast_destroy(struct cr_app *app);     /* UI thread, after the io thread */
void cr_app_cast_opened(struct cr_app *app);      /* the Tablettes screen was opened */
void cr_app_cast_status(struct cr_app *app, struct cr_cast_status *st); /* takes st */
bool cr_app_cast_command(struct cr_app *app, char **args, unsigned n, JsonNode **data,
                         char **error);
void cr_app_cast_add_state(struct cr_app *app, JsonBuilder *b);

/* --- app_service.c: systemd's notifications, watchdog, restart splash --- */
void cr_app_service_init(struct cr_app *app);                /* first, before the window */
void cr_app_service_splash(struct cr_app *app);              /* once the UI can draw */
void cr_app_service_started(struct cr_app *app);             /* just before the loop */
void cr_app_service_turn(struct cr_app *app);                /* each loop turn: heartbeat */
int cr_app_service_wait(struct cr_app *app, int timeout_ms); /* caps the loop's sleep */
void cr_app_service_presented(struct cr_app *app);           /* after a present: READY=1 once */
void cr_app_service_stopping(struct cr_app *app);            /* STOPPING=1 */
void cr_app_service_io_shutdown(struct cr_app *app);         /* io thread */
void cr_app_service_destroy(struct cr_app *app, bool clean_exit);
/* "test-hang ui|io" (refused unless CRAIE_TEST_HANG=1) */
bool cr_app_test_hang(struct cr_app *app, char **args, unsigned n, JsonNode **data, char **error);

/* --- app_commands.c --- */
/* A button on screen now, and the command it runs (action overrides the
 * button's own, for the notice's buttons). */
struct cr_app_button {
    const struct cr_button *button;
    const char *action;
};
#define CR_APP_MAX_BUTTONS 96 /* the on-screen keyboard has 55 keys */
/* The buttons the teacher sees now (after a render laid them out). */
size_t cr_app_visible_buttons(struct cr_app *app, struct cr_app_button *out, size_t max);
/* Runs one command (control socket, buttons, keys). On success returns true
 * and may set *data (ownership transferred); on failure sets *error (g_free). */
bool cr_app_command(struct cr_app *app, char **argv, unsigned argc, JsonNode **data, char **error);
/* "on"/"off" (also true/false, 1/0), or NULL for the opposite of current. */
bool cr_app_parse_on_off(const char *s, bool current, bool *out);
/* A button's action string ("camera zoom in"), split and run. */
void cr_app_action(struct cr_app *app, const char *action);
void cr_app_handle_request(struct cr_app *app, struct cr_ipc_request *req);
JsonNode *cr_app_state(struct cr_app *app);

#endif
