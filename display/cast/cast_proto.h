/* The signalling protocol between the sender page (assets/web/) and the
 * cast server: one JSON object per WebSocket text message. Pure functions
 * (unit-tested): every message is checked against its schema before the
 * server looks at it; anything else is refused with a reason.
 *
 * page → craie
 *   {"type":"hello", "name":"Léa", "code":"4821"}            join (asks the teacher)
 *   {"type":"hello", "name":"Léa", "resume":"<32 hex>"}      come back within the grace period
 *   {"type":"offer", "sdp":"v=0..."}
 *   {"type":"ice", "candidate":"candidate:...", "sdpMLineIndex":0}
 *   {"type":"stats", "width":1280, "height":720, "fps":30}   what the page sends, once a second
 *   {"type":"bye"}
 * craie → page
 *   {"type":"welcome", "id":3, "resume":"<32 hex>", "codec":"h264"}
 *   {"type":"state", "state":"waiting|live|paused|refused|stopped"}
 *   {"type":"answer", "sdp":"..."}   {"type":"ice", ...}
 *   {"type":"size", "width":W, "height":H, "fps":F, "maxBitrate":B}  send at this size
 *   {"type":"error", "reason":"wrong-code|locked|room-locked|full|invalid|..."} */
#ifndef CR_CAST_PROTO_H
#define CR_CAST_PROTO_H

#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stddef.h>

#define CR_CAST_MAX_MESSAGE (64 * 1024)
#define CR_CAST_MAX_SDP (32 * 1024)
#define CR_CAST_MAX_CANDIDATE 512
#define CR_CAST_NAME_MAX_CHARS 24
#define CR_CAST_RESUME_LEN 32

enum cr_cast_msg_type {
    CR_CAST_MSG_HELLO,
    CR_CAST_MSG_OFFER,
    CR_CAST_MSG_ICE,
    CR_CAST_MSG_STATS,
    CR_CAST_MSG_BYE,
};

struct cr_cast_msg {
    enum cr_cast_msg_type type;
    char *name;      /* HELLO: trimmed, 1..CR_CAST_NAME_MAX_CHARS characters, no control */
    char *code;      /* HELLO: digits, or NULL when resume is given */
    char *resume;    /* HELLO: CR_CAST_RESUME_LEN lowercase hex, or NULL */
    char *sdp;       /* OFFER */
    char *candidate; /* ICE: "candidate:..." or "" (end of candidates) */
    int mline;       /* ICE: 0..15 */
    int width, height;
    double fps; /* STATS */
};

/* Parses and checks one message. On failure returns false and sets *error
 * (g_free): a short English reason for the log and the page. */
bool cr_cast_msg_parse(const char *data, size_t len, struct cr_cast_msg *out, char **error);
void cr_cast_msg_clear(struct cr_cast_msg *msg);

/* Messages to the page (g_free). */
char *cr_cast_msg_welcome(unsigned id, const char *resume, const char *codec);
char *cr_cast_msg_state(const char *state);
char *cr_cast_msg_error(const char *reason);
char *cr_cast_msg_answer(const char *sdp);
char *cr_cast_msg_ice(const char *candidate, unsigned mline);
char *cr_cast_msg_size(int width, int height, int fps, int max_bitrate);

/* The SRT stream id of a sender that cannot run the page (ffmpeg, OBS,
 * gst-launch): "#!::u=NAME,r=CODE" (SRT's access-control syntax; other keys
 * ignored) or "CODE/NAME". The name follows the page's rules. On success
 * sets *code and *name (g_free); else *error (g_free). */
bool cr_cast_parse_streamid(const char *streamid, char **code, char **name, char **error);

/* What a sender in a cell of cell_w x cell_h screen pixels is asked for:
 * that size (never above the screen, even numbers, at least 160x90), 30
 * frames per second on the board (live) or 10 as a waiting thumbnail, and a
 * bitrate for that many pixels (so 16 tiles cost about one full screen). */
struct cr_cast_request {
    int width, height, fps, max_bitrate;
};
struct cr_cast_request cr_cast_request_for_cell(int cell_w, int cell_h, bool live);

#endif
