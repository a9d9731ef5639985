/* The control socket, after mpv's JSON IPC: a UNIX stream socket, one JSON
 * object per line each way.
 *
 *   request:  {"command": ["camera", "freeze"], "request_id": 7}
 *   reply:    {"request_id": 7, "error": "success", "data": ...}
 *             {"request_id": 7, "error": "unknown command: foo"}
 *   event:    {"event": "screen-changed", "screen": "camera"}
 *
 * Every argument in "command" is a string, number or boolean (numbers and
 * booleans are turned into their text). A malformed line gets a reply whose
 * error says why (request_id null when none could be read) and the
 * connection stays open. */
#ifndef CR_IPC_H
#define CR_IPC_H

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

#define CR_IPC_MAX_LINE (64 * 1024)
#define CR_IPC_MAX_ARGS 32
#define CR_IPC_MAX_CLIENTS 16

struct cr_ipc_request {
    char **argv; /* NULL-terminated, owned; argv[0] is the command name */
    unsigned argc;
    bool has_id;
    int64_t request_id;
    uint64_t client_id; /* which connection asked; 0 for none */
};

/* --- protocol (pure, unit-tested) --- */

/* Parses one line (without its newline). On success fills *out (free with
 * cr_ipc_request_clear) and returns true. On failure returns false and sets
 * *error (g_free) to a message for the reply; if a request_id could still be
 * read, out->has_id/request_id are set so the error reply carries it. */
bool cr_ipc_parse_request(const char *line, size_t len, struct cr_ipc_request *out, char **error);
void cr_ipc_request_clear(struct cr_ipc_request *req);
void cr_ipc_request_free(struct cr_ipc_request *req);

/* Builds a reply line ending in '\n'. error NULL means "success". data may be
 * NULL; it is borrowed. */
char *cr_ipc_format_reply(bool has_id, int64_t request_id, const char *error, JsonNode *data);
/* Builds an event line ending in '\n': {"event": name, ...fields}. fields
 * (a JSON object node) may be NULL; borrowed. */
char *cr_ipc_format_event(const char *name, JsonNode *fields);

/* --- server (io thread) --- */

struct cr_ipc_server;

struct cr_ipc_server_callbacks {
    /* Called on the io thread for every well-formed request; ownership of
     * req is transferred. Answer every request, now or later, with
     * cr_ipc_server_reply() from any thread (a client that shut down its
     * sending side is closed once all its requests are answered). */
    void (*on_request)(void *userdata, struct cr_ipc_request *req);
};

/* Creates the socket at path (parent folder created 0700 if missing), mode
 * 0600, accepting peers of the same uid (or root) only, and attaches it to
 * ctx. Fails if another live process already listens there; a stale socket
 * file is replaced. */
struct cr_ipc_server *cr_ipc_server_new(GMainContext *ctx, const char *path,
                                        const struct cr_ipc_server_callbacks *cbs, void *userdata,
                                        GError **error);
/* Any thread, as long as the server is alive: stop replying and
 * broadcasting before cr_ipc_server_free(). Ownership of req and data (may
 * be NULL) is transferred. If the client has gone, the reply is dropped. */
void cr_ipc_server_reply(struct cr_ipc_server *server, struct cr_ipc_request *req,
                         const char *error, JsonNode *data);
/* Any thread. Sends an event to every connected client. Ownership of fields
 * (a JSON object node, may be NULL) is transferred. */
void cr_ipc_server_broadcast(struct cr_ipc_server *server, const char *event, JsonNode *fields);
/* io thread, or after the io loop ended: closes clients, removes the socket
 * file (if it is still ours). Replies and events not yet delivered are
 * dropped. */
void cr_ipc_server_free(struct cr_ipc_server *server);

/* --- client (blocking; craiectl and tests) --- */

/* One connection, used by one thread at a time. */
struct cr_ipc_client;

/* Connects to the socket at path; NULL with *error if nobody listens. */
struct cr_ipc_client *cr_ipc_client_connect(const char *path, GError **error);
/* Sends argv (NULL-terminated) as a command and waits up to timeout_ms
 * (negative: no limit) for the reply with the same request_id (events read
 * meanwhile are queued for wait_event). On success returns true, *reply
 * (g_free) is the reply line without its '\n', and *ok tells whether
 * "error" was "success". Returns false with *error set when the command
 * could not be sent or no reply came (G_IO_ERROR_TIMED_OUT on timeout,
 * G_IO_ERROR_CONNECTION_CLOSED when craie closed the connection). */
bool cr_ipc_client_command(struct cr_ipc_client *client, const char *const *argv, int timeout_ms,
                           char **reply, bool *ok, GError **error);
/* Waits up to timeout_ms (negative: no limit) for an event named name
 * (NULL: any; events are returned oldest first); returns its line without
 * '\n' (g_free), or NULL with *error set on timeout (G_IO_ERROR_TIMED_OUT)
 * or error. */
char *cr_ipc_client_wait_event(struct cr_ipc_client *client, const char *name, int timeout_ms,
                               GError **error);
void cr_ipc_client_free(struct cr_ipc_client *client);

/* craie.service's control socket (RuntimeDirectory=craie). */
#define CR_IPC_SERVICE_SOCKET "/run/craie/ipc.sock"

/* The default socket path when none is configured:
 * $XDG_RUNTIME_DIR/craie/ipc.sock, else /run/craie/ipc.sock. g_free. */
char *cr_ipc_default_socket_path(void);
/* Where a client looks when told nothing: the default path if a socket is
 * there, else craie.service's /run/craie/ipc.sock if that one is (a root
 * shell's own XDG_RUNTIME_DIR holds no craie), else the default. g_free. */
char *cr_ipc_client_socket_path(void);

#endif
