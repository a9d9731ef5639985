/* The control socket's server: a listening UNIX socket and its clients, all
 * driven by sources attached to the io thread's GMainContext.
 *
 * Threads: everything below runs on the thread that iterates server->ctx,
 * except cr_ipc_server_reply/broadcast, which format their line on the
 * caller's thread and hand it over with g_main_context_invoke_full(), and
 * cr_ipc_server_new/free, which may run before the loop starts or after it
 * ended. Pending hand-overs hold a reference on the server, so one queued
 * just before cr_ipc_server_free() finds it closed instead of freed. */
#include "common/ipc.h"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"

#define CR_IPC_OUT_QUEUE_MAX (4 * 1024 * 1024)
#define CR_IPC_READ_CHUNK (16 * 1024)

struct cr_ipc_server {
    gint refcount; /* atomic: the owner's plus one per pending hand-over */

    /* The rest is only touched on the io thread, or by new/free. */
    GMainContext *ctx; /* owned; released by cr_ipc_server_free() */
    struct cr_ipc_server_callbacks cbs;
    void *userdata;
    char *path;
    dev_t sock_dev; /* identity of the socket file we created */
    ino_t sock_ino;
    GSocket *listener;
    GSource *accept_src;
    GHashTable *clients; /* &conn->id -> struct cr_ipc_conn *, one reference each */
    uint64_t next_client_id;
    struct cr_ratelimit accept_rl;
    bool closed;
};

/* One connected client. Reference-counted (io thread only) so that a
 * callback that closes it cannot free it under the read handler's feet. */
struct cr_ipc_conn {
    unsigned refcount;
    struct cr_ipc_server *server; /* borrowed: the server outlives its table */
    uint64_t id;
    GSocket *sock;
    GSource *in_src;
    GSource *out_src; /* only while output is waiting for the socket */
    GString *inbuf;   /* the current, incomplete line */
    bool discarding;  /* skipping the rest of an over-long line */
    bool read_eof;    /* the peer shut down its side: finish, then close */
    unsigned pending; /* requests handed to on_request, not answered yet */
    GQueue outq;      /* GBytes *, owned */
    size_t out_off;   /* bytes of the head already sent */
    size_t out_size;  /* bytes queued and not sent yet */
    bool closed;
};

/* A reply or event on its way to the io thread. */
struct cr_ipc_msg {
    struct cr_ipc_server *server; /* reference */
    bool broadcast;
    uint64_t client_id; /* for a reply */
    GBytes *line;       /* owned */
};

static void conn_close(struct cr_ipc_conn *conn);
static bool conn_flush(struct cr_ipc_conn *conn);

static struct cr_ipc_server *server_ref(struct cr_ipc_server *server)
{
    g_atomic_int_inc(&server->refcount);
    return server;
}

static void server_unref(struct cr_ipc_server *server)
{
    if (!g_atomic_int_dec_and_test(&server->refcount))
        return;
    g_hash_table_unref(server->clients);
    g_free(server->path);
    g_free(server);
}

static struct cr_ipc_conn *conn_ref(struct cr_ipc_conn *conn)
{
    conn->refcount++;
    return conn;
}

static void conn_unref(struct cr_ipc_conn *conn)
{
    if (--conn->refcount > 0)
        return;
    g_queue_clear_full(&conn->outq, (GDestroyNotify)g_bytes_unref);
    g_string_free(conn->inbuf, TRUE);
    g_object_unref(conn->sock);
    g_free(conn);
}

static void drop_source(GSource **src)
{
    if (*src) {
        g_source_destroy(*src);
        g_source_unref(*src);
        *src = NULL;
    }
}

/* Closes the connection and drops the table's reference: the caller must
 * hold its own reference if it touches conn afterwards. */
static void conn_close(struct cr_ipc_conn *conn)
{
    if (conn->closed)
        return;
    conn->closed = true;
    drop_source(&conn->in_src);
    drop_source(&conn->out_src);
    g_socket_close(conn->sock, NULL);
    cr_debug("ipc", "client %" G_GUINT64_FORMAT " disconnected", conn->id);
    g_hash_table_remove(conn->server->clients, &conn->id);
}

/* After the peer shut down its side: close once every request is answered
 * and every byte sent. */
static void conn_maybe_finish(struct cr_ipc_conn *conn)
{
    if (!conn->closed && conn->read_eof && conn->pending == 0 && !conn->out_size)
        conn_close(conn);
}

static gboolean on_writable(GSocket *sock, GIOCondition cond, gpointer data)
{
    struct cr_ipc_conn *conn = data;
    if (!conn_flush(conn))
        return G_SOURCE_REMOVE; /* closed; conn may be gone */
    if (conn->out_size)
        return G_SOURCE_CONTINUE;
    g_source_unref(conn->out_src);
    conn->out_src = NULL;
    conn_maybe_finish(conn);
    return G_SOURCE_REMOVE;
}

/* Sends what the socket takes now. Returns false if the connection was
 * closed (and possibly freed). */
static bool conn_flush(struct cr_ipc_conn *conn)
{
    while (!g_queue_is_empty(&conn->outq)) {
        GBytes *head = g_queue_peek_head(&conn->outq);
        gsize len;
        const char *data = g_bytes_get_data(head, &len);
        g_autoptr(GError) err = NULL;
        gssize n = g_socket_send(conn->sock, data + conn->out_off, len - conn->out_off, NULL, &err);
        if (n < 0) {
            if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                return true;
            cr_debug("ipc", "client %" G_GUINT64_FORMAT ": write failed: %s", conn->id,
                     err->message);
            conn_close(conn);
            return false;
        }
        conn->out_off += (size_t)n;
        conn->out_size -= (size_t)n;
        if (conn->out_off == len) {
            g_bytes_unref(g_queue_pop_head(&conn->outq));
            conn->out_off = 0;
        }
    }
    return true;
}

/* Queues a line for the client and sends what it can at once. Takes a
 * reference on line. */
static void conn_send(struct cr_ipc_conn *conn, GBytes *line)
{
    if (conn->closed)
        return;
    /* One line alone may be big (a large state); a backlog may not. */
    size_t size = g_bytes_get_size(line);
    if (conn->out_size && conn->out_size + size > CR_IPC_OUT_QUEUE_MAX) {
        cr_warn("ipc", "client %" G_GUINT64_FORMAT " does not read what it is sent: dropped",
                conn->id);
        conn_close(conn);
        return;
    }
    g_queue_push_tail(&conn->outq, g_bytes_ref(line));
    conn->out_size += size;
    if (conn->out_src)
        return; /* already waiting for the socket: keep the order */
    if (!conn_flush(conn) || !conn->out_size)
        return;
    conn->out_src = g_socket_create_source(conn->sock, G_IO_OUT, NULL);
    g_source_set_callback(conn->out_src, G_SOURCE_FUNC(on_writable), conn, NULL);
    g_source_attach(conn->out_src, conn->server->ctx);
}

static void conn_send_text(struct cr_ipc_conn *conn, char *text)
{
    GBytes *line = g_bytes_new_take(text, strlen(text));
    conn_send(conn, line);
    g_bytes_unref(line);
}

static void conn_handle_line(struct cr_ipc_conn *conn, const char *line, size_t len)
{
    if (len && line[len - 1] == '\r')
        len--;
    size_t blank = 0;
    while (blank < len && g_ascii_isspace(line[blank]))
        blank++;
    if (blank == len)
        return; /* empty lines are ignored, as mpv does */

    struct cr_ipc_request parsed;
    g_autofree char *error = NULL;
    if (!cr_ipc_parse_request(line, len, &parsed, &error)) {
        cr_debug("ipc", "client %" G_GUINT64_FORMAT ": bad request: %s", conn->id, error);
        conn_send_text(conn, cr_ipc_format_reply(parsed.has_id, parsed.request_id, error, NULL));
        return;
    }

    struct cr_ipc_request *req = g_new(struct cr_ipc_request, 1);
    *req = parsed;
    req->client_id = conn->id;
    conn->pending++;
    cr_debug("ipc", "client %" G_GUINT64_FORMAT ": %s (%u arguments)", conn->id, req->argv[0],
             req->argc - 1);
    conn->server->cbs.on_request(conn->server->userdata, req);
}

/* Splits incoming bytes into lines. An over-long line gets one error reply
 * and is skipped up to its newline. */
static void conn_feed(struct cr_ipc_conn *conn, const char *buf, size_t n)
{
    const char *p = buf, *end = buf + n;
    while (p < end && !conn->closed) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t chunk = (size_t)((nl ? nl : end) - p);
        if (conn->discarding) {
            conn->discarding = !nl;
        } else if (conn->inbuf->len + chunk > CR_IPC_MAX_LINE) {
            g_string_truncate(conn->inbuf, 0);
            conn->discarding = !nl;
            cr_debug("ipc", "client %" G_GUINT64_FORMAT ": line too long", conn->id);
            g_autofree char *msg = g_strdup_printf("line too long (max %d bytes)", CR_IPC_MAX_LINE);
            conn_send_text(conn, cr_ipc_format_reply(false, 0, msg, NULL));
        } else {
            g_string_append_len(conn->inbuf, p, (gssize)chunk);
            if (nl) {
                conn_handle_line(conn, conn->inbuf->str, conn->inbuf->len);
                g_string_truncate(conn->inbuf, 0);
            }
        }
        p = nl ? nl + 1 : end;
    }
}

/* The peer shut down its sending side: a last line without newline still
 * counts; then the connection ends once everything is answered. */
static void conn_on_eof(struct cr_ipc_conn *conn)
{
    if (!conn->discarding && conn->inbuf->len) {
        conn_handle_line(conn, conn->inbuf->str, conn->inbuf->len);
        g_string_truncate(conn->inbuf, 0);
    }
    if (conn->closed)
        return;
    conn->read_eof = true;
    drop_source(&conn->in_src);
    conn_maybe_finish(conn);
}

static gboolean on_readable(GSocket *sock, GIOCondition cond, gpointer data)
{
    struct cr_ipc_conn *conn = data;
    char buf[CR_IPC_READ_CHUNK];
    g_autoptr(GError) err = NULL;

    gssize n = g_socket_receive(conn->sock, buf, sizeof(buf), NULL, &err);
    if (n < 0 && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
    if (n < 0) {
        cr_debug("ipc", "client %" G_GUINT64_FORMAT ": read failed: %s", conn->id, err->message);
        conn_close(conn);
        return G_SOURCE_REMOVE;
    }

    /* on_request may reply at once, close this client, or free the server. */
    struct cr_ipc_server *server = server_ref(conn->server);
    conn_ref(conn);
    if (n == 0)
        conn_on_eof(conn);
    else
        conn_feed(conn, buf, (size_t)n);
    gboolean keep = !conn->closed && !conn->read_eof;
    conn_unref(conn);
    server_unref(server);
    return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Whether the peer runs as our user or as root. */
static bool peer_allowed(GSocket *peer)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GCredentials) creds = g_socket_get_credentials(peer, &err);
    if (!creds) {
        cr_warn("ipc", "refused a connection: cannot read its credentials: %s", err->message);
        return false;
    }
    uid_t uid = g_credentials_get_unix_user(creds, &err);
    if (uid == (uid_t)-1) {
        cr_warn("ipc", "refused a connection: %s", err->message);
        return false;
    }
    if (uid != getuid() && uid != 0) {
        cr_warn("ipc", "refused a connection from uid %u (pid %d)", (unsigned)uid,
                (int)g_credentials_get_unix_pid(creds, NULL));
        return false;
    }
    return true;
}

static void accept_peer(struct cr_ipc_server *server, GSocket *peer)
{
    g_socket_set_blocking(peer, FALSE);
    if (!peer_allowed(peer))
        goto close_peer;
    if (g_hash_table_size(server->clients) >= CR_IPC_MAX_CLIENTS) {
        cr_warn("ipc", "refused a connection: already %d clients", CR_IPC_MAX_CLIENTS);
        g_autofree char *msg = g_strdup_printf("too many clients (max %d)", CR_IPC_MAX_CLIENTS);
        g_autofree char *line = cr_ipc_format_reply(false, 0, msg, NULL);
        g_socket_send(peer, line, strlen(line), NULL, NULL); /* best effort */
        goto close_peer;
    }

    struct cr_ipc_conn *conn = g_new0(struct cr_ipc_conn, 1);
    conn->refcount = 1; /* the table's */
    conn->server = server;
    conn->id = server->next_client_id++;
    conn->sock = peer; /* ownership is transferred */
    conn->inbuf = g_string_new(NULL);
    g_queue_init(&conn->outq);
    g_hash_table_insert(server->clients, &conn->id, conn);

    conn->in_src = g_socket_create_source(peer, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
    g_source_set_callback(conn->in_src, G_SOURCE_FUNC(on_readable), conn, NULL);
    g_source_attach(conn->in_src, server->ctx);
    cr_debug("ipc", "client %" G_GUINT64_FORMAT " connected", conn->id);
    return;

close_peer:
    g_socket_close(peer, NULL);
    g_object_unref(peer);
}

static gboolean on_acceptable(GSocket *sock, GIOCondition cond, gpointer data)
{
    struct cr_ipc_server *server = data;
    for (;;) {
        g_autoptr(GError) err = NULL;
        GSocket *peer = g_socket_accept(server->listener, NULL, &err);
        if (!peer) {
            if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) &&
                cr_ratelimit_allow(&server->accept_rl))
                cr_warn("ipc", "cannot accept a connection: %s", err->message);
            return G_SOURCE_CONTINUE;
        }
        accept_peer(server, peer);
    }
}

/* Whether a process listens on the socket file at path. Sets *gone when
 * the file no longer exists. */
static bool socket_is_live(const char *path, bool *gone, GError **error)
{
    *gone = false;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "socket: %s", g_strerror(e));
        return true;
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
    int e = errno;
    close(fd);
    if (r == 0 || e == EAGAIN || e == EINPROGRESS) {
        /* EAGAIN: its backlog is full, so it is alive. */
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                    "another craie is already running on %s", path);
        return true;
    }
    if (e == ENOENT) {
        *gone = true;
        return false;
    }
    if (e == ECONNREFUSED)
        return false;
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "cannot check %s: %s", path,
                g_strerror(e));
    return true;
}

/* Binds a new socket to path with mode 0600. */
static GSocket *bind_socket(const char *path, GError **error)
{
    GSocket *sock =
        g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
    if (!sock)
        return NULL;
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    /* The umask closes the window between bind and chmod; it is process-wide,
     * which is why the server is created early, before file-writing threads. */
    mode_t old_mask = umask(0177);
    gboolean bound = g_socket_bind(sock, addr, FALSE, error);
    umask(old_mask);
    if (!bound) {
        g_object_unref(sock);
        return NULL;
    }
    return sock;
}

/* Binds to path, replacing a stale socket file left by a dead process. */
static GSocket *bind_or_replace(const char *path, GError **error)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        g_autoptr(GError) err = NULL;
        GSocket *sock = bind_socket(path, &err);
        if (sock)
            return sock;
        if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE)) {
            g_propagate_prefixed_error(error, g_steal_pointer(&err), "cannot bind %s: ", path);
            return NULL;
        }

        bool gone;
        if (socket_is_live(path, &gone, error))
            return NULL;
        if (gone)
            continue;
        GStatBuf st;
        if (g_lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s exists and is not a socket",
                        path);
            return NULL;
        }
        cr_info("ipc", "replacing the stale socket %s", path);
        if (g_unlink(path) < 0 && errno != ENOENT) {
            int e = errno;
            g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "cannot remove %s: %s", path,
                        g_strerror(e));
            return NULL;
        }
    }
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                "%s keeps being recreated by someone else", path);
    return NULL;
}

/* Creates the folder of path (0700) and a listening socket there. */
static GSocket *listen_at(const char *path, GError **error)
{
    if (strlen(path) >= sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG, "socket path too long: %s",
                    path);
        return NULL;
    }
    g_autofree char *dir = g_path_get_dirname(path);
    if (g_mkdir_with_parents(dir, 0700) < 0) {
        int e = errno;
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "cannot create %s: %s", dir,
                    g_strerror(e));
        return NULL;
    }

    GSocket *sock = bind_or_replace(path, error);
    if (!sock)
        return NULL;
    if (g_chmod(path, 0600) < 0) {
        int e = errno;
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "cannot chmod %s: %s", path,
                    g_strerror(e));
        goto unlink_path;
    }
    g_socket_set_blocking(sock, FALSE);
    g_socket_set_listen_backlog(sock, CR_IPC_MAX_CLIENTS);
    if (!g_socket_listen(sock, error)) {
        g_prefix_error(error, "cannot listen on %s: ", path);
        goto unlink_path;
    }
    return sock;

unlink_path:
    g_unlink(path);
    g_object_unref(sock);
    return NULL;
}

struct cr_ipc_server *cr_ipc_server_new(GMainContext *ctx, const char *path,
                                        const struct cr_ipc_server_callbacks *cbs, void *userdata,
                                        GError **error)
{
    g_return_val_if_fail(ctx && path && cbs && cbs->on_request, NULL);

    GSocket *listener = listen_at(path, error);
    if (!listener)
        return NULL;

    struct cr_ipc_server *server = g_new0(struct cr_ipc_server, 1);
    server->refcount = 1;
    server->ctx = g_main_context_ref(ctx);
    server->cbs = *cbs;
    server->userdata = userdata;
    server->path = g_strdup(path);
    server->listener = listener;
    server->clients =
        g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, (GDestroyNotify)conn_unref);
    server->next_client_id = 1;
    server->accept_rl = (struct cr_ratelimit)CR_RATELIMIT_INIT(10000, 3);

    GStatBuf st;
    if (g_stat(path, &st) == 0) {
        server->sock_dev = st.st_dev;
        server->sock_ino = st.st_ino;
    }

    server->accept_src = g_socket_create_source(listener, G_IO_IN, NULL);
    g_source_set_callback(server->accept_src, G_SOURCE_FUNC(on_acceptable), server, NULL);
    g_source_attach(server->accept_src, ctx);
    cr_debug("ipc", "listening on %s", path);
    return server;
}

static void msg_free(gpointer data)
{
    struct cr_ipc_msg *msg = data;
    g_bytes_unref(msg->line);
    server_unref(msg->server);
    g_free(msg);
}

/* A ref'd copy of the client list: sending or closing may unlist a client. */
static GPtrArray *clients_snapshot(struct cr_ipc_server *server)
{
    GPtrArray *conns = g_ptr_array_new_with_free_func((GDestroyNotify)conn_unref);
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, server->clients);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_ptr_array_add(conns, conn_ref(value));
    return conns;
}

/* io thread: hands a reply or event to its client(s). */
static gboolean msg_deliver(gpointer data)
{
    struct cr_ipc_msg *msg = data;
    struct cr_ipc_server *server = msg->server;
    if (server->closed)
        return G_SOURCE_REMOVE;

    if (!msg->broadcast) {
        struct cr_ipc_conn *conn = g_hash_table_lookup(server->clients, &msg->client_id);
        if (!conn)
            return G_SOURCE_REMOVE; /* the client has gone */
        conn_ref(conn);
        if (conn->pending)
            conn->pending--;
        conn_send(conn, msg->line);
        conn_maybe_finish(conn);
        conn_unref(conn);
        return G_SOURCE_REMOVE;
    }

    /* Sending may close (and unlist) a client: walk a copy of the table. */
    g_autoptr(GPtrArray) conns = clients_snapshot(server);
    for (guint i = 0; i < conns->len; i++)
        conn_send(g_ptr_array_index(conns, i), msg->line);
    return G_SOURCE_REMOVE;
}

/* Takes ownership of line. */
static void post(struct cr_ipc_server *server, bool broadcast, uint64_t client_id, char *line)
{
    struct cr_ipc_msg *msg = g_new(struct cr_ipc_msg, 1);
    msg->server = server_ref(server);
    msg->broadcast = broadcast;
    msg->client_id = client_id;
    msg->line = g_bytes_new_take(line, strlen(line));
    g_main_context_invoke_full(server->ctx, G_PRIORITY_DEFAULT, msg_deliver, msg, msg_free);
}

void cr_ipc_server_reply(struct cr_ipc_server *server, struct cr_ipc_request *req,
                         const char *error, JsonNode *data)
{
    g_return_if_fail(server && req);
    if (req->client_id)
        post(server, false, req->client_id,
             cr_ipc_format_reply(req->has_id, req->request_id, error, data));
    if (data)
        json_node_unref(data);
    cr_ipc_request_free(req);
}

void cr_ipc_server_broadcast(struct cr_ipc_server *server, const char *event, JsonNode *fields)
{
    g_return_if_fail(server && event);
    char *line = cr_ipc_format_event(event, fields);
    if (line)
        post(server, true, 0, line);
    if (fields)
        json_node_unref(fields);
}

void cr_ipc_server_free(struct cr_ipc_server *server)
{
    if (!server)
        return;
    server->closed = true;
    drop_source(&server->accept_src);
    g_socket_close(server->listener, NULL);
    g_clear_object(&server->listener);

    /* Remove the socket file only if it is still ours. */
    GStatBuf st;
    if (g_lstat(server->path, &st) == 0 && st.st_dev == server->sock_dev &&
        st.st_ino == server->sock_ino)
        g_unlink(server->path);

    g_autoptr(GPtrArray) conns = clients_snapshot(server);
    for (guint i = 0; i < conns->len; i++)
        conn_close(g_ptr_array_index(conns, i));

    g_main_context_unref(server->ctx);
    server->ctx = NULL;
    cr_debug("ipc", "closed %s", server->path);
    server_unref(server);
}
