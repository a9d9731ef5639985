/* A kiosk web view: WPE WebKit rendering off screen into a tile's frame
 * slot. Every WebKit object lives on one dedicated thread, "craie-web",
 * which runs its own GMainContext; the functions below are called on the UI
 * thread and post their work there (in order). Frames (CR_PIXEL_BGRA) are
 * pushed into the caller's slot from the craie-web thread; state changes
 * come back to the UI thread as CR_EVENT_WEB events, handed to
 * cr_web_handle_event().
 *
 * Kiosk policy: no address bar, pop-ups (window.open, target=_blank) open in
 * the same view, downloads are refused, file pickers and the context menu
 * never open, an unreachable site shows craie's own error page. URLs are
 * never logged with their query string (it may carry a token). */
#ifndef CR_WEB_VIEW_H
#define CR_WEB_VIEW_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "display/frame_slot.h"

/* Once, from main(), before any view: nothing starts until the first view
 * (the craie-web thread is started lazily). */
bool cr_web_init(void);
/* After every view is destroyed: stops and joins the craie-web thread. Once
 * per process: WebKit stays bound to that thread, so no view can be made
 * after it. */
void cr_web_shutdown(void);

/* A cookie preset before the first load (session handoff). */
struct cr_web_cookie {
    const char *name;
    const char *value;
    const char *domain; /* "ent.example.fr" or ".example.fr" */
    const char *path;   /* NULL: "/" */
    bool secure;
    bool http_only;
};

struct cr_web_state {
    double progress; /* 0..1 while loading, 1 when done */
    bool loading;
    const char *title; /* borrowed for the callback ("" if none) */
    bool can_go_back;
    bool can_go_forward;
    bool error_page; /* the last load failed: craie's error page is shown */
};

/* A <select> the page opened: WPE draws no menu of its own, so the board
 * shows these choices and answers with cr_web_view_choose(). */
struct cr_web_choice {
    size_t n;
    const char *const *labels; /* n labels (group titles included) */
    const bool *enabled;       /* n: false for group titles and disabled options */
    int selected;              /* -1 if none */
    int x, y, width, height;   /* the <select> box, view pixels */
};

struct cr_web_view_callbacks {
    /* UI thread. state is borrowed for the call. */
    void (*state_changed)(void *userdata, const struct cr_web_state *state);
    /* UI thread, optional: a <select> opened (choice borrowed for the call),
     * or closed by the page (choice NULL). Without it, a <select> changes
     * with the arrow keys only. */
    void (*choice)(void *userdata, const struct cr_web_choice *choice);
};

struct cr_web_view_options {
    const char *url; /* the first page, and the one "home" goes back to */
    int width, height;
    /* Frames are pushed there (borrowed: must outlive the view). */
    struct cr_frame_slot *slot;
    /* NULL: fully ephemeral (nothing on disk): what sessions use. Else
     * cookies, cache, local storage and IndexedDB are kept in that directory
     * (the caller deletes it); WebKit 2.38 then also records the origins it
     * stored for under $XDG_DATA_HOME/wpe/storage. */
    const char *private_dir;
    const struct cr_web_cookie *cookies; /* copied */
    size_t n_cookies;
    const struct cr_web_view_callbacks *cbs; /* may be NULL */
    void *userdata;
};

struct cr_web_view;

/* UI thread. Returns NULL (and logs) if the engine cannot start. */
struct cr_web_view *cr_web_view_new(const struct cr_web_view_options *opts);
/* UI thread. Waits until the view and its web processes are gone. */
void cr_web_view_destroy(struct cr_web_view *view);

/* The latest state (UI thread; title borrowed until the next event). */
const struct cr_web_state *cr_web_view_state(const struct cr_web_view *view);

/* Input, in view pixels (0..width, 0..height). button: 1 left, 2 middle,
 * 3 right. */
void cr_web_view_pointer(struct cr_web_view *view, int x, int y, int button, bool pressed);
void cr_web_view_motion(struct cr_web_view *view, int x, int y);
/* A finger drag by (dx, dy) pixels at (x, y): the page moves with the finger. */
void cr_web_view_scroll(struct cr_web_view *view, int x, int y, double dx, double dy);
enum cr_web_touch_phase {
    CR_WEB_TOUCH_DOWN,
    CR_WEB_TOUCH_MOTION,
    CR_WEB_TOUCH_UP,
};
void cr_web_view_touch(struct cr_web_view *view, int id, enum cr_web_touch_phase phase, int x,
                       int y);

enum cr_web_modifier {
    CR_WEB_MOD_SHIFT = 1 << 0,
    CR_WEB_MOD_CTRL = 1 << 1,
    CR_WEB_MOD_ALT = 1 << 2,
    CR_WEB_MOD_META = 1 << 3,
};
/* keysym: an XKB keysym (cr_web_keysym_from_sdl() converts SDL's). */
void cr_web_view_key(struct cr_web_view *view, uint32_t keysym, bool pressed, unsigned modifiers);
/* Text typed on the on-screen keyboard (UTF-8), sent as key presses ("\b"
 * BackSpace, "\n" Return, "\t" Tab). */
void cr_web_view_text(struct cr_web_view *view, const char *utf8);
/* Multiplies the page zoom (pinch), clamped to 0.5..4. */
void cr_web_view_zoom(struct cr_web_view *view, double factor);
/* Answers the open <select>: the index of a choice, or -1 to dismiss. */
void cr_web_view_choose(struct cr_web_view *view, int index);

void cr_web_view_back(struct cr_web_view *view);
void cr_web_view_forward(struct cr_web_view *view);
void cr_web_view_reload(struct cr_web_view *view);
void cr_web_view_home(struct cr_web_view *view);
void cr_web_view_stop(struct cr_web_view *view);
void cr_web_view_resize(struct cr_web_view *view, int width, int height);
void cr_web_view_load(struct cr_web_view *view, const char *url);
/* A tile not on screen: WebKit stops painting and throttles the page (its
 * timers, animations, requestAnimationFrame) until it is visible again. */
void cr_web_view_set_visible(struct cr_web_view *view, bool visible);

/* Loads logout_url inside the view (so that single logout reaches the
 * services signed in through it) and calls done(ud) on the UI thread once it
 * has loaded, failed, or after timeout_ms. done is called exactly once,
 * even if the view is destroyed first (then at destroy). */
void cr_web_view_logout(struct cr_web_view *view, const char *logout_url, unsigned timeout_ms,
                        void (*done)(void *ud), void *ud);

/* Live WebKit web and network processes started by this process (/proc). */
int cr_web_engine_process_count(void);

/* UI thread: the payload of a CR_EVENT_WEB event (consumed: freed here). */
void cr_web_handle_event(void *payload);
/* UI thread, where no app loop dispatches (craie's shutdown, tests, the
 * bench): runs ev if it is a CR_EVENT_WEB event, frees it if it is another
 * of craie's events. */
void cr_web_handle_sdl_event(SDL_Event *ev);

/* An SDL keycode as an XKB keysym (0 if none). */
uint32_t cr_web_keysym_from_sdl(int32_t sdl_keycode);

/* "https://host/path" with no query or fragment, for logs (g_free). */
char *cr_web_loggable_url(const char *url);

#endif
