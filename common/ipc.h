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
    char **argv;         /* NULL-terminated, owned; argv[0] is the command name */
    unsigned argc;
    bool has_id;
    int64_t request_id;
    uint64_t client_id;  /* which connection asked; 0 for none */
};

/* --- protocol (pure, unit-tested) --- */

/* Parses one line (without its newline). On success fills *out (free with
 * cr_ipc_request_clear) and returns true. On failure returns false and sets
 * *error (g_free) to a message for the reply; if a request_id could still be
 * read, out->has_id/request_id are set so the error reply carries it. */
bool cr_ipc_parse_request(const char *line, size_t len, struct cr_ipc_request *out,
                          char **error);
void cr_ipc_request_clear(struct cr_ipc_request *req);
void cr_ipc_request_free(struct cr_ipc_request *req);

/* Builds a reply line ending in '\n'. error NULL means "success". data may be
 * NULL; it is borrowed. */
char *cr_ipc_format_reply(bool has_id, int64_t request_id, const char *error,
                          JsonNode *data);
/* Builds an event line ending in '\n': {"event": name, ...fields}. fields
 * (a JSON object node) may be NULL; borrowed. */
char *cr_ipc_format_event(const char *name, JsonNode *fields);

/* --- server (io thread) --- */

struct cr_ipc_server;

struct cr_ipc_server_callbacks {
    /* Called on the io thread for every well-formed request; ownership of
     * req is transferred. Answer with cr_ipc_server_reply(), from any thread. */
    void (*on_request)(void *userdata, struct cr_ipc_request *req);
};

/* Creates the socket at path (parent folder created 0700 if missing), mode
 * 0600, accepting peers of the same uid (or root) only, and attaches it to
 * ctx. Fails if another live process already listens there; a stale socket
 * file is replaced. */
struct cr_ipc_server *cr_ipc_server_new(GMainContext *ctx, const char *path,
                                        const struct cr_ipc_server_callbacks *cbs,
                                        void *userdata, GError **error);
/* Any thread. Ownership of req and data (may be NULL) is transferred. If the
 * client has gone, the reply is dropped. */
void cr_ipc_server_reply(struct cr_ipc_server *server, struct cr_ipc_request *req,
                         const char *error, JsonNode *data);
/* Any thread. Sends an event to every connected client. Ownership of fields
 * (a JSON object node, may be NULL) is transferred. */
void cr_ipc_server_broadcast(struct cr_ipc_server *server, const char *event,
                             JsonNode *fields);
/* io thread, or after the io loop ended: closes clients, removes the socket. */
void cr_ipc_server_free(struct cr_ipc_server *server);

/* --- client (blocking; craiectl and tests) --- */

struct cr_ipc_client;

struct cr_ipc_client *cr_ipc_client_connect(const char *path, GError **error);
/* Sends argv as a command and waits up to timeout_ms for the reply with the
 * same request_id (events read meanwhile are queued for wait_event). On
 * success returns true and *reply (g_free) is the whole reply line parsed
 * as... text; *ok tells whether "error" was "success". */
bool cr_ipc_client_command(struct cr_ipc_client *client, const char *const *argv,
                           int timeout_ms, char **reply, bool *ok, GError **error);
/* Waits up to timeout_ms for an event named name (NULL: any); returns its
 * line (g_free) or NULL on timeout/error. */
char *cr_ipc_client_wait_event(struct cr_ipc_client *client, const char *name, int timeout_ms,
                               GError **error);
void cr_ipc_client_free(struct cr_ipc_client *client);

/* The default socket path when none is configured:
 * $XDG_RUNTIME_DIR/craie/ipc.sock, else /run/craie/ipc.sock. g_free. */
char *cr_ipc_default_socket_path(void);

#endif
