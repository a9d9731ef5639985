/* The control socket's blocking client, for craiectl and the tests. Waits
 * are bounded by a deadline; the socket itself is non-blocking. */
#include "common/ipc.h"

#include <gio/gunixsocketaddress.h>
#include <string.h>

#define CR_IPC_CLIENT_MAX_LINE (64 * 1024 * 1024) /* replies may carry big data */
#define CR_IPC_CLIENT_MAX_EVENTS 1024             /* events kept for wait_event */
#define CR_IPC_CONNECT_TIMEOUT_S 10

struct cr_ipc_event_line {
    char *name; /* owned */
    char *line; /* owned, without '\n' */
};

struct cr_ipc_client {
    GSocket *sock;
    GString *inbuf;
    GQueue events; /* struct cr_ipc_event_line *, oldest first, owned */
    int64_t next_id;
    bool eof;
};

static void event_line_free(struct cr_ipc_event_line *ev)
{
    g_free(ev->name);
    g_free(ev->line);
    g_free(ev);
}

char *cr_ipc_default_socket_path(void)
{
    const char *runtime = g_getenv("XDG_RUNTIME_DIR");
    if (runtime && *runtime)
        return g_build_filename(runtime, "craie", "ipc.sock", NULL);
    return g_strdup(CR_IPC_SERVICE_SOCKET);
}

char *cr_ipc_client_socket_path(void)
{
    char *path = cr_ipc_default_socket_path();
    if (!g_file_test(path, G_FILE_TEST_EXISTS) &&
        g_file_test(CR_IPC_SERVICE_SOCKET, G_FILE_TEST_EXISTS)) {
        g_free(path);
        path = g_strdup(CR_IPC_SERVICE_SOCKET);
    }
    return path;
}

struct cr_ipc_client *cr_ipc_client_connect(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    GSocket *sock =
        g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
    if (!sock)
        return NULL;
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    g_socket_set_timeout(sock, CR_IPC_CONNECT_TIMEOUT_S);
    if (!g_socket_connect(sock, addr, NULL, error)) {
        g_prefix_error(error, "cannot connect to %s: ", path);
        g_object_unref(sock);
        return NULL;
    }
    g_socket_set_timeout(sock, 0);
    g_socket_set_blocking(sock, FALSE);

    struct cr_ipc_client *client = g_new0(struct cr_ipc_client, 1);
    client->sock = sock;
    client->inbuf = g_string_new(NULL);
    g_queue_init(&client->events);
    client->next_id = 1;
    return client;
}

void cr_ipc_client_free(struct cr_ipc_client *client)
{
    if (!client)
        return;
    g_socket_close(client->sock, NULL);
    g_object_unref(client->sock);
    g_string_free(client->inbuf, TRUE);
    g_queue_clear_full(&client->events, (GDestroyNotify)event_line_free);
    g_free(client);
}

/* Monotonic deadline for a timeout in ms; -1 for none. */
static int64_t deadline_after(int timeout_ms)
{
    return timeout_ms < 0 ? -1 : g_get_monotonic_time() + (int64_t)timeout_ms * 1000;
}

/* Waits for cond until deadline. */
static bool wait_for(struct cr_ipc_client *client, GIOCondition cond, int64_t deadline,
                     GError **error)
{
    int64_t timeout_us = -1;
    if (deadline >= 0) {
        timeout_us = deadline - g_get_monotonic_time();
        if (timeout_us <= 0) {
            g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                "no answer from craie in time");
            return false;
        }
    }
    if (g_socket_condition_timed_wait(client->sock, cond, timeout_us, NULL, error))
        return true;
    if (error && *error && g_error_matches(*error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
        g_clear_error(error);
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                            "no answer from craie in time");
    }
    return false;
}

static bool send_all(struct cr_ipc_client *client, const char *data, size_t len, int64_t deadline,
                     GError **error)
{
    while (len) {
        g_autoptr(GError) err = NULL;
        gssize n = g_socket_send(client->sock, data, len, NULL, &err);
        if (n < 0 && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
            if (!wait_for(client, G_IO_OUT, deadline, error))
                return false;
            continue;
        }
        if (n < 0) {
            g_propagate_prefixed_error(error, g_steal_pointer(&err), "cannot send: ");
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* Reads the next line (g_free, without '\n') before deadline. */
static char *read_line(struct cr_ipc_client *client, int64_t deadline, GError **error)
{
    for (;;) {
        char *nl = memchr(client->inbuf->str, '\n', client->inbuf->len);
        if (nl) {
            size_t len = (size_t)(nl - client->inbuf->str);
            char *line = g_strndup(client->inbuf->str, len);
            g_string_erase(client->inbuf, 0, (gssize)len + 1);
            return line;
        }
        if (client->eof) {
            g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                "craie closed the connection");
            return NULL;
        }
        if (client->inbuf->len > CR_IPC_CLIENT_MAX_LINE) {
            g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                "craie sent an over-long line");
            return NULL;
        }

        char buf[16384];
        g_autoptr(GError) err = NULL;
        gssize n = g_socket_receive(client->sock, buf, sizeof(buf), NULL, &err);
        if (n < 0 && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
            if (!wait_for(client, G_IO_IN, deadline, error))
                return NULL;
            continue;
        }
        if (n < 0) {
            g_propagate_prefixed_error(error, g_steal_pointer(&err), "cannot read: ");
            return NULL;
        }
        if (n == 0)
            client->eof = true;
        else
            g_string_append_len(client->inbuf, buf, n);
    }
}

/* The line's JSON object (json_object_unref), or NULL if it is not one. */
static JsonObject *parse_object(const char *line)
{
    g_autoptr(JsonNode) root = json_from_string(line, NULL);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root))
        return NULL;
    return json_object_ref(json_node_get_object(root));
}

/* The "event" member of obj (g_free), or NULL if obj is not an event. */
static char *event_name(JsonObject *obj)
{
    JsonNode *ev = json_object_get_member(obj, "event");
    if (!ev || !JSON_NODE_HOLDS_VALUE(ev) || json_node_get_value_type(ev) != G_TYPE_STRING)
        return NULL;
    return g_strdup(json_node_get_string(ev));
}

/* Keeps an event for a later wait_event. Takes ownership of name and line. */
static void queue_event(struct cr_ipc_client *client, char *name, char *line)
{
    struct cr_ipc_event_line *ev = g_new(struct cr_ipc_event_line, 1);
    ev->name = name;
    ev->line = line;
    g_queue_push_tail(&client->events, ev);
    if (g_queue_get_length(&client->events) > CR_IPC_CLIENT_MAX_EVENTS)
        event_line_free(g_queue_pop_head(&client->events));
}

/* Whether a reply object answers request id: same id, or no id at all (the
 * server could not read ours, e.g. "too many clients"). */
static bool reply_matches(JsonObject *obj, int64_t id)
{
    if (!json_object_has_member(obj, "error"))
        return false;
    JsonNode *rid = json_object_get_member(obj, "request_id");
    if (!rid || JSON_NODE_HOLDS_NULL(rid))
        return true;
    return JSON_NODE_HOLDS_VALUE(rid) && json_node_get_value_type(rid) == G_TYPE_INT64 &&
           json_node_get_int(rid) == id;
}

static char *build_request(const char *const *argv, int64_t id)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "command");
    json_builder_begin_array(b);
    for (size_t i = 0; argv[i]; i++)
        json_builder_add_string_value(b, argv[i]);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "request_id");
    json_builder_add_int_value(b, id);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    g_autofree char *text = json_to_string(root, FALSE);
    return g_strconcat(text, "\n", NULL);
}

bool cr_ipc_client_command(struct cr_ipc_client *client, const char *const *argv, int timeout_ms,
                           char **reply, bool *ok, GError **error)
{
    g_return_val_if_fail(client && argv && reply && ok, false);
    *reply = NULL;
    *ok = false;
    if (!argv[0]) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "empty command");
        return false;
    }
    if (g_strv_length((char **)argv) > CR_IPC_MAX_ARGS) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "too many command arguments (max %d)", CR_IPC_MAX_ARGS);
        return false;
    }

    int64_t id = client->next_id++;
    int64_t deadline = deadline_after(timeout_ms);
    g_autofree char *request = build_request(argv, id);
    size_t len = strlen(request);
    if (len - 1 > CR_IPC_MAX_LINE) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "command too long (max %d bytes)", CR_IPC_MAX_LINE);
        return false;
    }
    if (!send_all(client, request, len, deadline, error))
        return false;

    for (;;) {
        char *line = read_line(client, deadline, error);
        if (!line)
            return false;
        g_autoptr(JsonObject) obj = parse_object(line);
        char *name = obj ? event_name(obj) : NULL;
        if (name) {
            queue_event(client, name, line);
            continue;
        }
        if (obj && reply_matches(obj, id)) {
            JsonNode *err = json_object_get_member(obj, "error");
            *ok = JSON_NODE_HOLDS_VALUE(err) && json_node_get_value_type(err) == G_TYPE_STRING &&
                  !strcmp(json_node_get_string(err), "success");
            *reply = line;
            return true;
        }
        g_free(line); /* the late answer to an earlier, timed-out command */
    }
}

/* Takes the oldest queued event named name (NULL: any). */
static char *take_queued_event(struct cr_ipc_client *client, const char *name)
{
    for (GList *l = client->events.head; l; l = l->next) {
        struct cr_ipc_event_line *ev = l->data;
        if (name && strcmp(ev->name, name) != 0)
            continue;
        char *line = g_steal_pointer(&ev->line);
        g_queue_delete_link(&client->events, l);
        event_line_free(ev);
        return line;
    }
    return NULL;
}

char *cr_ipc_client_wait_event(struct cr_ipc_client *client, const char *name, int timeout_ms,
                               GError **error)
{
    g_return_val_if_fail(client != NULL, NULL);
    char *queued = take_queued_event(client, name);
    if (queued)
        return queued;

    int64_t deadline = deadline_after(timeout_ms);
    for (;;) {
        char *line = read_line(client, deadline, error);
        if (!line)
            return NULL;
        g_autoptr(JsonObject) obj = parse_object(line);
        char *ev = obj ? event_name(obj) : NULL;
        if (!ev) {
            g_free(line); /* a late reply: nobody waits for it */
            continue;
        }
        if (!name || !strcmp(ev, name)) {
            g_free(ev);
            return line;
        }
        queue_event(client, ev, line);
    }
}
