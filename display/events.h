/* io → UI messages: SDL user events of types registered at start. Posting
 * is allowed from any thread; the receiver (UI thread) owns the payload and
 * frees it with the free function carried in the event. After
 * cr_events_close(), posts are refused and their payload freed at once. */
#ifndef CR_EVENTS_H
#define CR_EVENTS_H

#include <SDL.h>
#include <stdbool.h>

enum cr_event_type {
    CR_EVENT_NEW_FRAME,     /* payload: struct cr_tile * (borrowed, never freed) */
    CR_EVENT_IPC_REQUEST,   /* payload: struct cr_ipc_request * */
    CR_EVENT_CAMERA_STATUS, /* payload: struct cr_camera_status_msg * (display/app.h) */
    CR_EVENT_SAVED,         /* payload: struct cr_save_result * (display/ui/camera_screen.h) */
    CR_EVENT_INPUT,         /* payload: struct cr_input_event * (g_free) */
    CR_EVENT_INPUT_DEVICE,  /* payload: struct cr_app_device_msg * (display/app.h) */
    CR_EVENT_CAST_STATUS,   /* payload: struct cr_cast_status * (display/cast/cast_server.h) */
    CR_EVENT_QUIT,          /* no payload */
    CR_EVENT_ENT_VIEW,      /* payload: struct cr_ent_view * (display/app_ent.c) */
    CR_EVENT_ENT_ICON,      /* payload: struct cr_app_ent_icon * (display/app_ent.h) */
    CR_EVENT_WEB,           /* payload: opaque, give to cr_web_handle_event() (display/web) */
    CR_EVENT_PLAYER,        /* payload: a player's link: cr_player_dispatch() (player.h) */
    CR_EVENT_DOCUMENT,      /* payload: a rendered page: cr_document_dispatch() (document.h) */
    /* payload: uint64_t * (g_free), display/app_fleet.c */
    CR_EVENT_METRICS_SCRAPE,
    /* payload: struct cr_diag_report * (common/diag.h) */
    CR_EVENT_DIAG_DONE,
    CR_EVENT_BOARD_OPEN, /* payload: struct board_open_msg * (display/app_board_session.c) */
    CR_EVENT_BOARD_WIPE, /* no payload: the sign-out's web logouts are over (app_board_session.c) */
    CR_EVENT_COUNT,
};

bool cr_events_init(void);
/* Posts an event; ownership of payload is transferred. Returns false if
 * refused (closed, or SDL's queue full), after freeing the payload. */
bool cr_event_post(enum cr_event_type type, void *payload, void (*free_fn)(void *));
/* True if ev is one of ours; sets *type. */
bool cr_event_decode(const SDL_Event *ev, enum cr_event_type *type, void **payload);
/* Frees the payload of a handled event that was not consumed. */
void cr_event_free_payload(const SDL_Event *ev);
/* Shutdown, step 1: refuse new posts. */
void cr_events_close(void);
/* Shutdown, last step: frees the payloads of events still queued. */
void cr_events_drain(void);

#endif
