/* The media player: a video or audio resource (a file, a file:// or
 * http(s) URL, or bytes held in memory, such as a file fetched from the ENT)
 * played by libvlc. Decoded pictures are pushed into a frame slot as I420
 * frames (zero copy: libvlc decodes into the frame's own memory); an audio
 * resource shows a still "audio card" (its title and a note) so that its tile
 * is never black. State changes (playing, paused, ended, error, position,
 * length, volume) reach the UI thread as CR_EVENT_PLAYER events whose payload
 * the UI hands to cr_player_dispatch(): the state callback runs there.
 *
 * Nothing is written to disk: libvlc runs with --ignore-config, no metadata
 * fetching and no snapshot; each player has its own libvlc instance and
 * cr_player_destroy() joins every thread it started.
 *
 * All functions: UI thread (the thread that created the player). */
#ifndef CR_PLAYER_H
#define CR_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "display/frame_slot.h"

enum cr_player_status {
    CR_PLAYER_OPENING, /* created, or play() asked and nothing played yet */
    CR_PLAYER_PLAYING,
    CR_PLAYER_PAUSED,
    CR_PLAYER_ENDED,
    CR_PLAYER_ERROR, /* state.error says why, in the user's language */
};

const char *cr_player_status_name(enum cr_player_status status); /* "playing", ... */

struct cr_player_state {
    enum cr_player_status status;
    double position;   /* 0..1 of the length; 0 while unknown */
    int64_t time_ms;   /* current time */
    int64_t length_ms; /* 0 while unknown (a live stream) */
    int volume;        /* 0..100 */
    bool seekable;
    bool has_video;  /* a video track was found */
    bool audio_only; /* audio tracks and no video: the audio card is shown */
    uint64_t frames; /* pictures pushed into the slot so far */
    char error[256]; /* status == CR_PLAYER_ERROR: a sentence for the teacher */
};

struct cr_player_callbacks {
    /* UI thread, from cr_player_dispatch(). st is borrowed for the call. */
    void (*on_state)(void *userdata, const struct cr_player_state *st);
};

struct cr_player_options {
    /* One of: a local path, a file:// or http(s):// URL … */
    const char *mrl_or_path;
    /* … or bytes in memory. Borrowed until cr_player_destroy() returns,
     * unless free_data is set: then ownership is transferred (also when
     * cr_player_new() fails). */
    const void *data;
    size_t size;
    void (*free_data)(void *data);
    /* Shown on the audio card (a file name, the resource's title). NULL:
     * the last part of mrl_or_path. Copied. */
    const char *title;
    /* Where pictures go (borrowed; must outlive the player). */
    struct cr_frame_slot *slot;
    const struct cr_player_callbacks *cbs; /* may be NULL */
    void *userdata;
    /* Largest picture handed over; bigger videos are scaled down (keeping
     * their shape). 0: 1920×1080. */
    int max_width, max_height;
    /* libvlc's audio output module; NULL: its default. Tests: "adummy". */
    const char *aout;
    int volume; /* initial, 0..100; a negative value means 100 */
};

struct cr_player;

/* Returns NULL (and logs) if libvlc cannot start or the options are
 * invalid. Nothing plays until cr_player_play(). */
struct cr_player *cr_player_new(const struct cr_player_options *opts);
/* Stops, joins libvlc's threads, frees everything (the in-memory data too
 * when owned). Events still queued become no-ops. */
void cr_player_destroy(struct cr_player *p);

/* Starts or resumes; after the end, starts again from the beginning. */
void cr_player_play(struct cr_player *p);
void cr_player_pause(struct cr_player *p);
/* play if paused, ended or not started; pause if playing. */
void cr_player_toggle(struct cr_player *p);
/* fraction: 0..1 of the length (clamped). No-op if not seekable. After
 * the end, plays again from there. */
void cr_player_seek(struct cr_player *p, double fraction);
void cr_player_set_volume(struct cr_player *p, int volume);
/* The media bar's volume button: to 0, or back to the volume before. */
void cr_player_toggle_mute(struct cr_player *p);
/* The latest state (a copy). */
struct cr_player_state cr_player_get_state(struct cr_player *p);

/* UI thread: the handler of a CR_EVENT_PLAYER event. Calls the player's
 * on_state with its latest state unless the player was destroyed. The
 * payload stays owned by the event (freed by cr_event_free_payload()). */
void cr_player_dispatch(void *payload);

#endif
