/* The control socket: protocol parsing and formatting, then a real server on
 * a temporary socket, its GMainContext run by its own thread, driven by the
 * real client, raw sockets and the craiectl binary. */
#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/log.h"
#include "tests/unit/unit_test.h"

/* --- protocol --- */

struct parse_case {
    const char *line;
    const char *args; /* argv joined with '|', NULL when parsing must fail */
    bool has_id;
    int64_t id;
    const char *error; /* prefix of the error text when parsing fails */
};

static const struct parse_case parse_cases[] = {
    {"{\"command\":[\"get_state\"]}", "get_state", false, 0, NULL},
    {"{\"command\":[\"camera\",\"freeze\"],\"request_id\":7}", "camera|freeze", true, 7, NULL},
    {"  { \"request_id\" : -2 , \"command\" : [ \"zoom\", \"in\" ] }  ", "zoom|in", true, -2, NULL},
    {"{\"command\":[\"tap\",100,250.5,-3,1e3,0.1]}", "tap|100|250.5|-3|1000|0.1", false, 0, NULL},
    {"{\"command\":[\"set\",true,false]}", "set|true|false", false, 0, NULL},
    {"{\"command\":[\"say\",\"\\u00e9t\\u00e9 \\\"x\\\"\"]}", "say|\xc3\xa9t\xc3\xa9 \"x\"", false,
     0, NULL},
    {"{\"command\":[\"x\"],\"request_id\":null,\"async\":true}", "x", false, 0, NULL},
    {"{\"request_id\":3}", NULL, true, 3, "missing \"command\" array"},
    {"{\"command\":\"get_state\",\"request_id\":4}", NULL, true, 4, "missing \"command\" array"},
    {"{\"command\":{\"name\":\"x\"}}", NULL, false, 0, "missing \"command\" array"},
    {"{\"command\":[],\"request_id\":5}", NULL, true, 5, "empty \"command\" array"},
    {"{\"command\":[\"a\",{\"b\":1}],\"request_id\":6}", NULL, true, 6,
     "command arguments must be strings"},
    {"{\"command\":[\"a\",[\"b\"]]}", NULL, false, 0, "command arguments must be strings"},
    {"{\"command\":[\"a\",null]}", NULL, false, 0, "command arguments must be strings"},
    {"{\"command\":[\"\"]}", NULL, false, 0, "empty command name"},
    {"not json", NULL, false, 0, "invalid JSON: "},
    {"{\"command\":[\"a\"]", NULL, false, 0, "invalid JSON: "},
    {"{\"command\":[\"a\"]}}", NULL, false, 0, "invalid JSON: "},
    {"\"get_state\"", NULL, false, 0, "a request must be a JSON object"},
    {"[\"get_state\"]", NULL, false, 0, "a request must be a JSON object"},
    {"{\"command\":[\"a\"],\"request_id\":\"7\"}", NULL, false, 0,
     "\"request_id\" must be an integer"},
    {"{\"command\":[\"a\"],\"request_id\":1.5}", NULL, false, 0,
     "\"request_id\" must be an integer"},
    {"{\"command\":[\"a\"],\"request_id\":true}", NULL, false, 0,
     "\"request_id\" must be an integer"},
    {"{\"command\":[\"\xff\"]}", NULL, false, 0, "invalid JSON: "},
};

static void check_parse(const char *line, size_t len, const struct parse_case *c)
{
    struct cr_ipc_request req;
    char *error = (char *)"unset";
    bool ok = cr_ipc_parse_request(line, len, &req, &error);
    g_autofree char *shown = g_utf8_make_valid(line, (gssize)MIN(len, 80));
    g_test_message("line: %s -> %s", shown, ok ? "ok" : error);
    g_assert_cmpint(req.has_id, ==, c->has_id);
    if (c->has_id)
        g_assert_cmpint(req.request_id, ==, c->id);
    g_assert_cmpuint(req.client_id, ==, 0);
    if (!c->args) {
        g_assert_false(ok);
        g_assert_nonnull(error);
        g_assert_true(g_str_has_prefix(error, c->error));
        g_assert_null(req.argv);
        g_free(error);
        cr_ipc_request_clear(&req); /* harmless after a failure */
        return;
    }
    g_assert_true(ok);
    g_assert_null(error);
    g_assert_nonnull(req.argv);
    g_assert_cmpuint(req.argc, ==, g_strv_length(req.argv));
    g_autofree char *joined = g_strjoinv("|", req.argv);
    g_assert_cmpstr(joined, ==, c->args);
    cr_ipc_request_clear(&req);
    g_assert_null(req.argv);
}

static void test_parse_table(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(parse_cases); i++)
        check_parse(parse_cases[i].line, strlen(parse_cases[i].line), &parse_cases[i]);
}

/* A request with n arguments after the command name "a". */
static char *request_with_args(unsigned n)
{
    GString *s = g_string_new("{\"command\":[\"a\"");
    for (unsigned i = 0; i < n; i++)
        g_string_append_printf(s, ",\"%u\"", i);
    g_string_append(s, "],\"request_id\":9}");
    return g_string_free(s, FALSE);
}

static void test_parse_arg_limit(void)
{
    g_autofree char *max = request_with_args(CR_IPC_MAX_ARGS - 1);
    struct cr_ipc_request req;
    char *error = NULL;
    g_assert_true(cr_ipc_parse_request(max, strlen(max), &req, &error));
    g_assert_cmpuint(req.argc, ==, CR_IPC_MAX_ARGS);
    g_assert_cmpstr(req.argv[CR_IPC_MAX_ARGS - 1], ==, "30");
    cr_ipc_request_clear(&req);

    g_autofree char *over = request_with_args(CR_IPC_MAX_ARGS);
    const struct parse_case c = {over, NULL, true, 9, "too many command arguments"};
    check_parse(over, strlen(over), &c);
}

/* {"request_id":id,"command":["x","aaa…"]} exactly len bytes long; no
 * request_id when id is negative. */
static char *request_of_length(size_t len, int id)
{
    g_autofree char *head = id < 0
                                ? g_strdup("{\"command\":[\"x\",\"")
                                : g_strdup_printf("{\"request_id\":%d,\"command\":[\"x\",\"", id);
    const char *tail = "\"]}";
    size_t fill = len - strlen(head) - strlen(tail);
    GString *s = g_string_sized_new(len);
    g_string_append(s, head);
    for (size_t i = 0; i < fill; i++)
        g_string_append_c(s, 'a');
    g_string_append(s, tail);
    g_assert_cmpuint(s->len, ==, len);
    return g_string_free(s, FALSE);
}

static void test_parse_line_limit(void)
{
    g_autofree char *max = request_of_length(CR_IPC_MAX_LINE, 12);
    struct cr_ipc_request req;
    char *error = NULL;
    g_assert_true(cr_ipc_parse_request(max, strlen(max), &req, &error));
    g_assert_cmpint(req.request_id, ==, 12);
    g_assert_cmpuint(strlen(req.argv[1]), ==,
                     CR_IPC_MAX_LINE - strlen("{\"request_id\":12,\"command\":[\"x\",\"\"]}"));
    cr_ipc_request_clear(&req);

    g_autofree char *huge = request_of_length(CR_IPC_MAX_LINE + 1, -1);
    const struct parse_case c = {huge, NULL, false, 0, "line too long"};
    check_parse(huge, strlen(huge), &c);
}

static JsonObject *parse_line(const char *line)
{
    g_autoptr(JsonNode) root = json_from_string(line, NULL);
    g_assert_nonnull(root);
    g_assert_true(JSON_NODE_HOLDS_OBJECT(root));
    return json_object_ref(json_node_get_object(root));
}

/* A line is one JSON object, '\n'-terminated, with no other newline. */
static JsonObject *parse_wire_line(const char *line)
{
    size_t len = strlen(line);
    g_assert_cmpuint(len, >, 1);
    g_assert_cmpint(line[len - 1], ==, '\n');
    g_assert_null(memchr(line, '\n', len - 1));
    return parse_line(line);
}

static void test_format_reply(void)
{
    g_autoptr(JsonNode) data = json_from_string(
        "{\"screen\":\"camera\",\"tiles\":[1,2.5,true,null],\"note\":\"two\\nlines \\\"q\\\"\"}",
        NULL);
    g_autofree char *line = cr_ipc_format_reply(true, 42, NULL, data);
    g_autoptr(JsonObject) obj = parse_wire_line(line);
    g_assert_cmpint(json_object_get_int_member(obj, "request_id"), ==, 42);
    g_assert_cmpstr(json_object_get_string_member(obj, "error"), ==, "success");
    g_assert_true(json_node_equal(json_object_get_member(obj, "data"), data));

    g_autofree char *err_line = cr_ipc_format_reply(false, 0, "unknown command: foo", NULL);
    g_autoptr(JsonObject) err = parse_wire_line(err_line);
    g_assert_true(json_object_has_member(err, "request_id"));
    g_assert_true(json_object_get_null_member(err, "request_id"));
    g_assert_cmpstr(json_object_get_string_member(err, "error"), ==, "unknown command: foo");
    g_assert_false(json_object_has_member(err, "data"));

    g_autoptr(JsonNode) text = json_node_init_string(json_node_alloc(), "/tmp/a b.png");
    g_autofree char *str_line = cr_ipc_format_reply(true, -1, NULL, text);
    g_autoptr(JsonObject) str = parse_wire_line(str_line);
    g_assert_cmpint(json_object_get_int_member(str, "request_id"), ==, -1);
    g_assert_cmpstr(json_object_get_string_member(str, "data"), ==, "/tmp/a b.png");
}

static void test_format_event(void)
{
    g_autoptr(JsonNode) fields =
        json_from_string("{\"screen\":\"camera\",\"event\":\"spoofed\",\"n\":3}", NULL);
    g_autofree char *line = cr_ipc_format_event("screen-changed", fields);
    g_autoptr(JsonObject) obj = parse_wire_line(line);
    g_assert_cmpstr(json_object_get_string_member(obj, "event"), ==, "screen-changed");
    g_assert_cmpstr(json_object_get_string_member(obj, "screen"), ==, "camera");
    g_assert_cmpint(json_object_get_int_member(obj, "n"), ==, 3);
    g_assert_cmpuint(json_object_get_size(obj), ==, 3);

    g_autofree char *bare = cr_ipc_format_event("quit", NULL);
    g_assert_cmpstr(bare, ==, "{\"event\":\"quit\"}\n");
}

static void test_default_socket_path(void)
{
    g_autofree char *saved = g_strdup(g_getenv("XDG_RUNTIME_DIR"));
    g_setenv("XDG_RUNTIME_DIR", "/run/user/1000", TRUE);
    g_autofree char *with = cr_ipc_default_socket_path();
    g_assert_cmpstr(with, ==, "/run/user/1000/craie/ipc.sock");
    g_setenv("XDG_RUNTIME_DIR", "", TRUE);
    g_autofree char *empty = cr_ipc_default_socket_path();
    g_assert_cmpstr(empty, ==, "/run/craie/ipc.sock");
    g_unsetenv("XDG_RUNTIME_DIR");
    g_autofree char *without = cr_ipc_default_socket_path();
    g_assert_cmpstr(without, ==, "/run/craie/ipc.sock");
    if (saved)
        g_setenv("XDG_RUNTIME_DIR", saved, TRUE);
}

/* --- a real server --- */

#define TIMEOUT_MS 5000

/* The server's io context runs in its own thread; requests are answered by
 * a second "worker" thread, as the app's UI thread would. */
struct fixture {
    char *dir;
    char *path;
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *io_thread;
    struct cr_ipc_server *server;

    GAsyncQueue *requests; /* struct cr_ipc_request *, or &stop */
    GThread *worker;
    int stop;
    GPtrArray *held;          /* requests never answered; worker thread only until joined */
    gint requests_seen;       /* atomic */
    gint off_io_thread;       /* atomic: on_request calls not on the io thread */
    gint replies_from_worker; /* atomic */
};

static void on_request(void *userdata, struct cr_ipc_request *req)
{
    struct fixture *f = userdata;
    if (g_thread_self() != f->io_thread)
        g_atomic_int_inc(&f->off_io_thread);
    g_assert_cmpuint(req->client_id, !=, 0);
    g_atomic_int_inc(&f->requests_seen);
    g_async_queue_push(f->requests, req);
}

static const struct cr_ipc_server_callbacks callbacks = {.on_request = on_request};

/* Answers like a tiny app: echo, say, screenshot, nothing, fail, hold, tick. */
static void answer(struct fixture *f, struct cr_ipc_request *req)
{
    const char *cmd = req->argv[0];
    if (!strcmp(cmd, "hold")) {
        g_ptr_array_add(f->held, req);
        return;
    }
    g_atomic_int_inc(&f->replies_from_worker);
    if (!strcmp(cmd, "echo")) {
        JsonArray *array = json_array_new();
        for (unsigned i = 0; i < req->argc; i++)
            json_array_add_string_element(array, req->argv[i]);
        JsonNode *data = json_node_init_array(json_node_alloc(), array);
        json_array_unref(array);
        cr_ipc_server_reply(f->server, req, NULL, data);
    } else if ((!strcmp(cmd, "say") || !strcmp(cmd, "screenshot")) && req->argc == 2) {
        cr_ipc_server_reply(f->server, req, NULL,
                            json_node_init_string(json_node_alloc(), req->argv[1]));
    } else if (!strcmp(cmd, "nothing")) {
        cr_ipc_server_reply(f->server, req, NULL, NULL);
    } else if (!strcmp(cmd, "tick") && req->argc == 2) {
        JsonObject *obj = json_object_new();
        json_object_set_string_member(obj, "n", req->argv[1]);
        cr_ipc_server_broadcast(f->server, "tick", json_node_init_object(json_node_alloc(), obj));
        json_object_unref(obj);
        cr_ipc_server_reply(f->server, req, NULL, NULL);
    } else if (!strcmp(cmd, "fail")) {
        cr_ipc_server_reply(f->server, req, "failed on purpose", NULL);
    } else {
        g_autofree char *msg = g_strdup_printf("unknown command: %s", cmd);
        cr_ipc_server_reply(f->server, req, msg, NULL);
    }
}

static gpointer worker_main(gpointer data)
{
    struct fixture *f = data;
    for (;;) {
        gpointer item = g_async_queue_pop(f->requests);
        if (item == &f->stop)
            return NULL;
        answer(f, item);
    }
}

static gpointer io_main(gpointer data)
{
    struct fixture *f = data;
    g_main_context_push_thread_default(f->ctx);
    g_main_loop_run(f->loop);
    g_main_context_pop_thread_default(f->ctx);
    return NULL;
}

static void fixture_start_at(struct fixture *f, const char *path)
{
    f->path = g_strdup(path);
    f->ctx = g_main_context_new();
    f->loop = g_main_loop_new(f->ctx, FALSE);
    f->requests = g_async_queue_new();
    f->held = g_ptr_array_new_with_free_func((GDestroyNotify)cr_ipc_request_free);

    /* Created from this thread before the loop runs, as the app does. */
    g_autoptr(GError) err = NULL;
    f->server = cr_ipc_server_new(f->ctx, f->path, &callbacks, f, &err);
    g_assert_no_error(err);
    g_assert_nonnull(f->server);

    f->io_thread = g_thread_new("test-io", io_main, f);
    f->worker = g_thread_new("test-worker", worker_main, f);
}

static void fixture_init(struct fixture *f, const char *subpath)
{
    memset(f, 0, sizeof(*f));
    g_autoptr(GError) err = NULL;
    f->dir = g_dir_make_tmp("craie-ipc-XXXXXX", &err);
    g_assert_no_error(err);
    g_autofree char *path = g_build_filename(f->dir, subpath, NULL);
    fixture_start_at(f, path);
}

static gboolean quit_loop(gpointer data)
{
    g_main_loop_quit(data);
    return G_SOURCE_REMOVE;
}

static void fixture_stop(struct fixture *f)
{
    g_async_queue_push(f->requests, &f->stop);
    g_thread_join(f->worker);
    /* Quit from inside the loop: a quit before g_main_loop_run() started
     * would be forgotten by it. */
    g_main_context_invoke(f->ctx, quit_loop, f->loop);
    g_thread_join(f->io_thread);
    g_assert_cmpint(g_atomic_int_get(&f->off_io_thread), ==, 0);

    /* The loop has ended: nothing replies any more. */
    cr_ipc_server_free(f->server);
    g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS));
    g_ptr_array_unref(f->held);
    gpointer left;
    while ((left = g_async_queue_try_pop(f->requests)))
        cr_ipc_request_free(left);
    g_async_queue_unref(f->requests);
    g_main_loop_unref(f->loop);
    g_main_context_unref(f->ctx);
    g_free(f->path);
}

static void fixture_clear(struct fixture *f)
{
    fixture_stop(f);
    cr_test_remove_tree(f->dir);
    g_free(f->dir);
}

struct io_barrier {
    GMutex lock;
    GCond cond;
    bool reached; /* protected by lock */
};

static gboolean barrier_reach(gpointer data)
{
    struct io_barrier *b = data;
    g_mutex_lock(&b->lock);
    b->reached = true;
    g_cond_signal(&b->cond);
    g_mutex_unlock(&b->lock);
    return G_SOURCE_REMOVE;
}

/* Returns once the io thread has handled everything posted before. */
static void sync_io(struct fixture *f)
{
    struct io_barrier b = {0};
    g_mutex_init(&b.lock);
    g_cond_init(&b.cond);
    g_main_context_invoke(f->ctx, barrier_reach, &b);
    g_mutex_lock(&b.lock);
    while (!b.reached)
        g_cond_wait(&b.cond, &b.lock);
    g_mutex_unlock(&b.lock);
    g_mutex_clear(&b.lock);
    g_cond_clear(&b.cond);
}

static struct cr_ipc_client *connect_client(struct fixture *f)
{
    g_autoptr(GError) err = NULL;
    struct cr_ipc_client *client = cr_ipc_client_connect(f->path, &err);
    g_assert_no_error(err);
    g_assert_nonnull(client);
    return client;
}

/* Runs a command that must be answered; returns the reply object. */
static JsonObject *command(struct cr_ipc_client *client, const char *const *argv, bool want_ok)
{
    g_autofree char *reply = NULL;
    g_autoptr(GError) err = NULL;
    bool ok = !want_ok;
    g_assert_true(cr_ipc_client_command(client, argv, TIMEOUT_MS, &reply, &ok, &err));
    g_assert_no_error(err);
    g_assert_cmpint(ok, ==, want_ok);
    g_assert_null(strchr(reply, '\n'));
    return parse_line(reply);
}

static void assert_echo(struct cr_ipc_client *client, const char *const *argv)
{
    g_autoptr(JsonObject) obj = command(client, argv, true);
    g_assert_cmpstr(json_object_get_string_member(obj, "error"), ==, "success");
    JsonArray *data = json_object_get_array_member(obj, "data");
    g_assert_cmpuint(json_array_get_length(data), ==, g_strv_length((char **)argv));
    for (unsigned i = 0; argv[i]; i++)
        g_assert_cmpstr(json_array_get_string_element(data, i), ==, argv[i]);
}

static void test_server_round_trip(void)
{
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    struct cr_ipc_client *client = connect_client(&f);

    const char *echo[] = {"echo", "a", "b c", "", "\xc3\xa9t\xc3\xa9", NULL};
    assert_echo(client, echo);

    /* Replies are matched by request_id across many commands. */
    for (int i = 0; i < 50; i++) {
        g_autofree char *n = g_strdup_printf("%d", i);
        const char *argv[] = {"echo", n, NULL};
        assert_echo(client, argv);
    }

    const char *fail[] = {"fail", NULL};
    g_autoptr(JsonObject) failed = command(client, fail, false);
    g_assert_cmpstr(json_object_get_string_member(failed, "error"), ==, "failed on purpose");
    g_assert_false(json_object_has_member(failed, "data"));

    const char *unknown[] = {"frobnicate", NULL};
    g_autoptr(JsonObject) unk = command(client, unknown, false);
    g_assert_cmpstr(json_object_get_string_member(unk, "error"), ==, "unknown command: frobnicate");

    const char *say[] = {"say", "bonjour", NULL};
    g_autoptr(JsonObject) said = command(client, say, true);
    g_assert_cmpstr(json_object_get_string_member(said, "data"), ==, "bonjour");

    g_assert_cmpint(g_atomic_int_get(&f.requests_seen), ==, 54);
    g_assert_cmpint(g_atomic_int_get(&f.replies_from_worker), ==, 54);
    cr_ipc_client_free(client);
    fixture_clear(&f);
}

/* A raw connection, to send bytes the client would never send. */
struct raw {
    GSocket *sock;
    GString *buf;
};

static void raw_connect(struct raw *raw, const char *path)
{
    g_autoptr(GError) err = NULL;
    raw->sock =
        g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &err);
    g_assert_no_error(err);
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    g_assert_true(g_socket_connect(raw->sock, addr, NULL, &err));
    g_socket_set_timeout(raw->sock, TIMEOUT_MS / 1000);
    raw->buf = g_string_new(NULL);
}

static void raw_close(struct raw *raw)
{
    g_socket_close(raw->sock, NULL);
    g_object_unref(raw->sock);
    g_string_free(raw->buf, TRUE);
}

static void raw_send(struct raw *raw, const char *data, size_t len)
{
    while (len) {
        g_autoptr(GError) err = NULL;
        gssize n = g_socket_send(raw->sock, data, len, NULL, &err);
        g_assert_no_error(err);
        data += n;
        len -= (size_t)n;
    }
}

static void raw_send_str(struct raw *raw, const char *text)
{
    raw_send(raw, text, strlen(text));
}

/* The next line (without '\n'), or NULL at end of file. Fails on timeout. */
static char *raw_read_line(struct raw *raw)
{
    for (;;) {
        char *nl = memchr(raw->buf->str, '\n', raw->buf->len);
        if (nl) {
            size_t len = (size_t)(nl - raw->buf->str);
            char *line = g_strndup(raw->buf->str, len);
            g_string_erase(raw->buf, 0, (gssize)len + 1);
            return line;
        }
        char chunk[4096];
        g_autoptr(GError) err = NULL;
        gssize n = g_socket_receive(raw->sock, chunk, sizeof(chunk), NULL, &err);
        g_assert_no_error(err);
        if (n == 0)
            return NULL;
        g_string_append_len(raw->buf, chunk, n);
    }
}

/* Reads one reply and checks its request_id (-1: null) and error prefix. */
static JsonObject *raw_expect_reply(struct raw *raw, int64_t id, const char *error_prefix)
{
    g_autofree char *line = raw_read_line(raw);
    g_assert_nonnull(line);
    g_test_message("reply: %s", line);
    JsonObject *obj = parse_line(line);
    if (id < 0)
        g_assert_true(json_object_get_null_member(obj, "request_id"));
    else
        g_assert_cmpint(json_object_get_int_member(obj, "request_id"), ==, id);
    g_assert_true(g_str_has_prefix(json_object_get_string_member(obj, "error"), error_prefix));
    return obj;
}

static void test_server_malformed_line(void)
{
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    struct raw raw;
    raw_connect(&raw, f.path);

    raw_send_str(&raw, "this is not json\n");
    json_object_unref(raw_expect_reply(&raw, -1, "invalid JSON: "));

    raw_send_str(&raw, "{\"request_id\":4}\n");
    json_object_unref(raw_expect_reply(&raw, 4, "missing \"command\" array"));

    raw_send_str(&raw, "{\"command\":[\"echo\",{\"a\":1}],\"request_id\":5}\r\n");
    json_object_unref(raw_expect_reply(&raw, 5, "command arguments must be strings"));

    /* Blank lines are ignored; the same connection still works. */
    raw_send_str(&raw, "\n  \n{\"command\":[\"say\",\"ok\"],\"request_id\":6}\n");
    g_autoptr(JsonObject) ok = raw_expect_reply(&raw, 6, "success");
    g_assert_cmpstr(json_object_get_string_member(ok, "data"), ==, "ok");

    /* A request in pieces, then two in one write. */
    const char *pieces[] = {"{\"comm", "and\":[\"say\",", "\"split\"],\"req", "uest_id\":7}\n"};
    for (size_t i = 0; i < G_N_ELEMENTS(pieces); i++) {
        raw_send_str(&raw, pieces[i]);
        g_usleep(20 * 1000);
    }
    g_autoptr(JsonObject) split = raw_expect_reply(&raw, 7, "success");
    g_assert_cmpstr(json_object_get_string_member(split, "data"), ==, "split");
    raw_send_str(&raw, "{\"command\":[\"nothing\"],\"request_id\":8}\n"
                       "{\"command\":[\"fail\"],\"request_id\":9}\n");
    g_autoptr(JsonObject) first = raw_expect_reply(&raw, 8, "success");
    g_assert_false(json_object_has_member(first, "data"));
    json_object_unref(raw_expect_reply(&raw, 9, "failed on purpose"));

    raw_close(&raw);
    fixture_clear(&f);
}

static void send_long_line(struct raw *raw, size_t len, const char *after)
{
    g_autofree char *junk = g_malloc(len);
    memset(junk, 'a', len);
    for (size_t off = 0; off < len; off += 8192)
        raw_send(raw, junk + off, MIN(len - off, 8192));
    raw_send_str(raw, after);
}

static void test_server_long_line(void)
{
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    struct raw raw;
    raw_connect(&raw, f.path);

    /* Written in pieces: refused once, discarded up to its newline. */
    send_long_line(&raw, CR_IPC_MAX_LINE + 10000, "tail of the long line\n");
    json_object_unref(raw_expect_reply(&raw, -1, "line too long"));
    raw_send_str(&raw, "{\"command\":[\"say\",\"after\"],\"request_id\":1}\n");
    g_autoptr(JsonObject) after = raw_expect_reply(&raw, 1, "success");
    g_assert_cmpstr(json_object_get_string_member(after, "data"), ==, "after");

    /* Long line and the next request in one write. */
    g_autofree char *big = request_of_length(CR_IPC_MAX_LINE + 1, 99);
    g_autofree char *both =
        g_strconcat(big, "\n{\"command\":[\"say\",\"next\"],\"request_id\":2}\n", NULL);
    raw_send_str(&raw, both);
    json_object_unref(raw_expect_reply(&raw, -1, "line too long"));
    g_autoptr(JsonObject) next = raw_expect_reply(&raw, 2, "success");
    g_assert_cmpstr(json_object_get_string_member(next, "data"), ==, "next");

    /* A line of exactly the maximum is served, in one write or in pieces. */
    g_autofree char *max = request_of_length(CR_IPC_MAX_LINE, 3);
    g_autofree char *max_line = g_strconcat(max, "\n", NULL);
    raw_send_str(&raw, max_line);
    json_object_unref(raw_expect_reply(&raw, 3, "unknown command: x"));
    size_t half = strlen(max_line) / 2;
    raw_send(&raw, max_line, half);
    g_usleep(20 * 1000);
    raw_send_str(&raw, max_line + half);
    json_object_unref(raw_expect_reply(&raw, 3, "unknown command: x"));
    g_assert_cmpint(g_atomic_int_get(&f.requests_seen), ==, 4);

    raw_close(&raw);
    fixture_clear(&f);
}

static void test_server_half_close(void)
{
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    struct raw raw;
    raw_connect(&raw, f.path);

    /* As `printf '{…}' | socat - UNIX:…`: last line without newline, then EOF. */
    raw_send_str(&raw, "{\"command\":[\"say\",\"bye\"],\"request_id\":1}");
    g_autoptr(GError) err = NULL;
    g_assert_true(g_socket_shutdown(raw.sock, FALSE, TRUE, &err));
    g_autoptr(JsonObject) reply = raw_expect_reply(&raw, 1, "success");
    g_assert_cmpstr(json_object_get_string_member(reply, "data"), ==, "bye");
    g_assert_null(raw_read_line(&raw)); /* then the server closes */

    raw_close(&raw);
    fixture_clear(&f);
}

static void test_server_broadcast(void)
{
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    struct cr_ipc_client *a = connect_client(&f);
    struct cr_ipc_client *b = connect_client(&f);
    const char *ping[] = {"echo", "ping", NULL};
    assert_echo(a, ping); /* both are accepted once they were answered */
    assert_echo(b, ping);

    /* From this thread, neither the io thread nor the worker. */
    JsonObject *obj = json_object_new();
    json_object_set_string_member(obj, "screen", "camera");
    cr_ipc_server_broadcast(f.server, "screen-changed",
                            json_node_init_object(json_node_alloc(), obj));
    json_object_unref(obj);
    cr_ipc_server_broadcast(f.server, "quit", NULL);

    struct cr_ipc_client *clients[] = {a, b};
    for (size_t i = 0; i < G_N_ELEMENTS(clients); i++) {
        g_autoptr(GError) err = NULL;
        g_autofree char *line =
            cr_ipc_client_wait_event(clients[i], "screen-changed", TIMEOUT_MS, &err);
        g_assert_no_error(err);
        g_autoptr(JsonObject) ev = parse_line(line);
        g_assert_cmpstr(json_object_get_string_member(ev, "event"), ==, "screen-changed");
        g_assert_cmpstr(json_object_get_string_member(ev, "screen"), ==, "camera");
        g_autofree char *quit = cr_ipc_client_wait_event(clients[i], NULL, TIMEOUT_MS, &err);
        g_assert_no_error(err);
        g_assert_cmpstr(quit, ==, "{\"event\":\"quit\"}");
    }

    /* An event read while waiting for a reply is kept for wait_event. */
    const char *tick[] = {"tick", "1", NULL};
    json_object_unref(command(a, tick, true));
    g_autoptr(GError) err = NULL;
    g_autofree char *t1 = cr_ipc_client_wait_event(a, "tick", 0, &err);
    g_assert_no_error(err);
    g_autoptr(JsonObject) ev1 = parse_line(t1);
    g_assert_cmpstr(json_object_get_string_member(ev1, "n"), ==, "1");
    g_autofree char *tb = cr_ipc_client_wait_event(b, "tick", TIMEOUT_MS, &err);
    g_assert_no_error(err);
    g_assert_nonnull(tb);

    cr_ipc_client_free(a);
    cr_ipc_client_free(b);
    fixture_clear(&f);
}

static void test_server_socket_mode(void)
{
    struct fixture f;
    fixture_init(&f, "sub/dir/ipc.sock");

    GStatBuf st;
    g_assert_cmpint(g_stat(f.path, &st), ==, 0);
    g_assert_true(S_ISSOCK(st.st_mode));
    g_assert_cmpint(st.st_mode & 07777, ==, 0600);
    g_assert_cmpint(st.st_uid, ==, getuid());

    g_autofree char *parent = g_path_get_dirname(f.path);
    g_assert_cmpint(g_stat(parent, &st), ==, 0);
    g_assert_true(S_ISDIR(st.st_mode));
    g_assert_cmpint(st.st_mode & 07777, ==, 0700);

    fixture_clear(&f);
}

static void test_server_second_instance(void)
{
    struct fixture f;
    fixture_init(&f, "ipc.sock");

    GMainContext *ctx = g_main_context_new();
    g_autoptr(GError) err = NULL;
    struct cr_ipc_server *second = cr_ipc_server_new(ctx, f.path, &callbacks, &f, &err);
    g_assert_null(second);
    g_assert_error(err, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
    g_autofree char *expected = g_strdup_printf("another craie is already running on %s", f.path);
    g_assert_cmpstr(err->message, ==, expected);
    g_main_context_unref(ctx);

    /* The first one is untouched. */
    struct cr_ipc_client *client = connect_client(&f);
    const char *argv[] = {"echo", "still", "here", NULL};
    assert_echo(client, argv);
    cr_ipc_client_free(client);
    fixture_clear(&f);
}

static void test_server_stale_socket(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("craie-ipc-XXXXXX", &err);
    g_assert_no_error(err);
    g_autofree char *path = g_build_filename(dir, "ipc.sock", NULL);

    /* A socket file left behind by a process that died: nobody listens. */
    GSocket *dead =
        g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &err);
    g_assert_no_error(err);
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    g_assert_true(g_socket_bind(dead, addr, FALSE, &err));
    g_socket_close(dead, NULL);
    g_object_unref(dead);
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    struct cr_ipc_client *nobody = cr_ipc_client_connect(path, &err);
    g_assert_null(nobody);
    g_assert_nonnull(err);
    g_clear_error(&err);

    struct fixture f;
    memset(&f, 0, sizeof(f));
    f.dir = g_strdup(dir);
    fixture_start_at(&f, path);
    struct cr_ipc_client *client = connect_client(&f);
    const char *argv[] = {"echo", "replaced", NULL};
    assert_echo(client, argv);
    cr_ipc_client_free(client);
    fixture_stop(&f);

    /* Something that is not a socket is never removed. */
    g_assert_true(g_file_set_contents(path, "keep me", -1, &err));
    GMainContext *ctx = g_main_context_new();
    struct cr_ipc_server *server = cr_ipc_server_new(ctx, path, &callbacks, NULL, &err);
    g_assert_null(server);
    g_assert_error(err, G_IO_ERROR, G_IO_ERROR_EXISTS);
    g_clear_error(&err);
    g_autofree char *contents = NULL;
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    g_assert_cmpstr(contents, ==, "keep me");
    g_main_context_unref(ctx);

    cr_test_remove_tree(f.dir);
    g_free(f.dir);
}

static void test_client_timeout(void)
{
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    struct cr_ipc_client *client = connect_client(&f);

    const char *hold[] = {"hold", NULL};
    g_autofree char *reply = NULL;
    g_autoptr(GError) err = NULL;
    bool ok = true;
    int64_t start = g_get_monotonic_time();
    g_assert_false(cr_ipc_client_command(client, hold, 300, &reply, &ok, &err));
    int64_t elapsed_ms = (g_get_monotonic_time() - start) / 1000;
    g_assert_error(err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_assert_null(reply);
    g_assert_false(ok);
    g_assert_cmpint(elapsed_ms, >=, 290);
    g_assert_cmpint(elapsed_ms, <, TIMEOUT_MS);
    g_clear_error(&err);

    g_autofree char *none = cr_ipc_client_wait_event(client, NULL, 100, &err);
    g_assert_null(none);
    g_assert_error(err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_clear_error(&err);

    /* The connection still works after a timeout. */
    const char *argv[] = {"echo", "later", NULL};
    assert_echo(client, argv);
    cr_ipc_client_free(client);
    fixture_clear(&f);
}

static void test_server_max_clients(void)
{
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    struct cr_ipc_client *clients[CR_IPC_MAX_CLIENTS];
    const char *ping[] = {"echo", "ping", NULL};
    for (int i = 0; i < CR_IPC_MAX_CLIENTS; i++) {
        clients[i] = connect_client(&f);
        assert_echo(clients[i], ping);
    }

    struct raw extra;
    raw_connect(&extra, f.path);
    json_object_unref(raw_expect_reply(&extra, -1, "too many clients"));
    g_assert_null(raw_read_line(&extra));
    raw_close(&extra);

    /* A free slot is taken again once the server saw a client leave. */
    cr_ipc_client_free(clients[0]);
    bool served = false;
    for (int attempt = 0; attempt < 100 && !served; attempt++) {
        clients[0] = connect_client(&f);
        g_autofree char *reply = NULL;
        bool ok = false;
        served = cr_ipc_client_command(clients[0], ping, TIMEOUT_MS, &reply, &ok, NULL) && ok;
        if (!served) {
            cr_ipc_client_free(clients[0]);
            g_usleep(20 * 1000);
        }
    }
    g_assert_true(served);
    for (int i = 0; i < CR_IPC_MAX_CLIENTS; i++)
        cr_ipc_client_free(clients[i]);
    fixture_clear(&f);
}

static void test_server_slow_client(void)
{
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    struct raw slow;
    raw_connect(&slow, f.path);
    raw_send_str(&slow, "{\"command\":[\"nothing\"],\"request_id\":1}\n");
    json_object_unref(raw_expect_reply(&slow, 1, "success"));

    /* 8 MiB of events that the slow client does not read. */
    g_autofree char *payload = g_malloc(64 * 1024 + 1);
    memset(payload, 'x', 64 * 1024);
    payload[64 * 1024] = '\0';
    for (int i = 0; i < 128; i++) {
        JsonObject *obj = json_object_new();
        json_object_set_string_member(obj, "payload", payload);
        cr_ipc_server_broadcast(f.server, "big", json_node_init_object(json_node_alloc(), obj));
        json_object_unref(obj);
    }

    /* The io thread is not stuck on it: another client is served. */
    sync_io(&f);
    struct cr_ipc_client *client = connect_client(&f);
    const char *argv[] = {"echo", "fast", NULL};
    assert_echo(client, argv);
    cr_ipc_client_free(client);

    /* The slow one was dropped: what the kernel buffered, then the end. */
    size_t events = 0;
    char *line;
    while ((line = raw_read_line(&slow))) {
        g_assert_true(g_str_has_prefix(line, "{\"event\":\"big\""));
        events++;
        g_free(line);
    }
    g_test_message("the slow client got %zu events before being dropped", events);
    g_assert_cmpuint(events, <, 128);
    raw_close(&slow);
    fixture_clear(&f);
}

/* --- craiectl --- */

struct run_result {
    int status;
    char *out;
    char *err;
};

static char *craiectl_path(void)
{
    const char *root = g_getenv("CRAIE_BUILD_ROOT");
    return root ? g_build_filename(root, "craiectl", NULL) : NULL;
}

static void run_craiectl(const char *cwd, const char *const *args, struct run_result *res)
{
    g_autofree char *exe = craiectl_path();
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, exe);
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    g_autoptr(GError) err = NULL;
    int wait_status;
    g_assert_true(g_spawn_sync(cwd, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &res->out, &res->err, &wait_status, &err));
    g_assert_no_error(err);
    g_assert_true(WIFEXITED(wait_status));
    res->status = WEXITSTATUS(wait_status);
}

static void run_result_clear(struct run_result *res)
{
    g_free(res->out);
    g_free(res->err);
}

static void test_craiectl(void)
{
    g_autofree char *exe = craiectl_path();
    if (!exe || !g_file_test(exe, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("craiectl is not built");
        return;
    }
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    g_autofree char *sock_opt = g_strdup_printf("--socket=%s", f.path);
    struct run_result r;

    run_craiectl(NULL, (const char *[]){sock_opt, "echo", "a", "b c", NULL}, &r);
    g_assert_cmpint(r.status, ==, 0);
    g_autoptr(JsonNode) data = json_from_string(r.out, NULL);
    g_assert_nonnull(data);
    g_assert_true(JSON_NODE_HOLDS_ARRAY(data));
    g_assert_cmpstr(json_array_get_string_element(json_node_get_array(data), 2), ==, "b c");
    g_assert_nonnull(strstr(r.out, "\n  \"a\"")); /* pretty-printed */
    run_result_clear(&r);

    run_craiectl(NULL, (const char *[]){"--socket", f.path, "say", "bonjour", NULL}, &r);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "bonjour\n");
    run_result_clear(&r);

    run_craiectl(NULL, (const char *[]){sock_opt, "nothing", NULL}, &r);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "");
    run_result_clear(&r);

    /* screenshot: the file is made absolute from craiectl's folder. */
    run_craiectl(f.dir, (const char *[]){sock_opt, "screenshot", "shots/board.png", NULL}, &r);
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *expected_shot = g_build_filename(f.dir, "shots", "board.png", NULL);
    g_autofree char *expected_out = g_strconcat(expected_shot, "\n", NULL);
    g_assert_cmpstr(r.out, ==, expected_out);
    run_result_clear(&r);

    run_craiectl(NULL, (const char *[]){sock_opt, "fail", NULL}, &r);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_cmpstr(r.err, ==, "craiectl: failed on purpose\n");
    g_assert_cmpstr(r.out, ==, "");
    run_result_clear(&r);

    run_craiectl(NULL, (const char *[]){sock_opt, "--timeout=300", "hold", NULL}, &r);
    g_assert_cmpint(r.status, ==, 2); /* no answer in time */
    run_result_clear(&r);
    run_craiectl(NULL, (const char *[]){sock_opt, "--timeout=300", "say", NULL}, &r);
    g_assert_cmpint(r.status, ==, 1);
    run_result_clear(&r);
    run_craiectl(NULL, (const char *[]){"--timeout", "300", sock_opt, "hold", NULL}, &r);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_cmpstr(r.out, ==, "");
    run_result_clear(&r);

    run_craiectl(NULL, (const char *[]){sock_opt, "--timeout=200", "wait-event", "tick", NULL}, &r);
    g_assert_cmpint(r.status, ==, 2);
    run_result_clear(&r);
    run_craiectl(NULL, (const char *[]){sock_opt, "--timeout=300", "monitor", NULL}, &r);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "");
    run_result_clear(&r);

    g_autofree char *nowhere = g_build_filename(f.dir, "nowhere.sock", NULL);
    run_craiectl(NULL, (const char *[]){"--socket", nowhere, "get_state", NULL}, &r);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, nowhere));
    run_result_clear(&r);

    const char *const usage_errors[][3] = {
        {sock_opt, NULL, NULL},         {"--bogus", "get_state", NULL},
        {"--timeout=abc", "x", NULL},   {sock_opt, "wait-event", NULL},
        {sock_opt, "monitor", "extra"}, {"--socket", NULL, NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(usage_errors); i++) {
        run_craiectl(NULL, usage_errors[i], &r);
        g_assert_cmpint(r.status, ==, 2);
        g_assert_true(g_str_has_prefix(r.err, "craiectl: "));
        run_result_clear(&r);
    }

    run_craiectl(NULL, (const char *[]){"--help", NULL}, &r);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "craiectl"));
    g_assert_nonnull(strstr(r.out, "wait-event"));
    run_result_clear(&r);

    fixture_clear(&f);
}

/* wait-event while events are broadcast, until craiectl has seen one. */
static void test_craiectl_wait_event(void)
{
    g_autofree char *exe = craiectl_path();
    if (!exe || !g_file_test(exe, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("craiectl is not built");
        return;
    }
    struct fixture f;
    fixture_init(&f, "ipc.sock");
    g_autofree char *sock_opt = g_strdup_printf("--socket=%s", f.path);
    char *argv[] = {exe, sock_opt, "wait-event", "wanted", NULL};
    GPid pid;
    int out_fd;
    g_autoptr(GError) err = NULL;
    g_assert_true(g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, NULL, &out_fd, NULL, &err));
    g_assert_no_error(err);

    int wait_status = 0;
    pid_t done = 0;
    for (int i = 0; i < 200 && !done; i++) {
        cr_ipc_server_broadcast(f.server, "other", NULL);
        JsonObject *obj = json_object_new();
        json_object_set_int_member(obj, "i", i);
        cr_ipc_server_broadcast(f.server, "wanted", json_node_init_object(json_node_alloc(), obj));
        json_object_unref(obj);
        g_usleep(25 * 1000);
        done = waitpid(pid, &wait_status, WNOHANG);
    }
    if (!done) {
        kill(pid, SIGTERM);
        waitpid(pid, &wait_status, 0);
        g_assert_not_reached();
    }
    g_assert_true(WIFEXITED(wait_status));
    g_assert_cmpint(WEXITSTATUS(wait_status), ==, 0);

    char buf[4096];
    ssize_t n = read(out_fd, buf, sizeof(buf) - 1);
    g_assert_cmpint(n, >, 0);
    buf[n] = '\0';
    close(out_fd);
    g_assert_true(g_str_has_prefix(buf, "{\"event\":\"wanted\",\"i\":"));
    g_assert_true(g_str_has_suffix(buf, "}\n"));
    g_spawn_close_pid(pid);
    fixture_clear(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* Our own log writer, as in the app: the server's warnings (a dropped
     * slow client, too many clients) are expected here, not fatal. */
    cr_log_init(g_test_verbose());

    g_test_add_func("/ipc/parse/table", test_parse_table);
    g_test_add_func("/ipc/parse/arg-limit", test_parse_arg_limit);
    g_test_add_func("/ipc/parse/line-limit", test_parse_line_limit);
    g_test_add_func("/ipc/format/reply", test_format_reply);
    g_test_add_func("/ipc/format/event", test_format_event);
    g_test_add_func("/ipc/client/default-path", test_default_socket_path);
    g_test_add_func("/ipc/server/round-trip", test_server_round_trip);
    g_test_add_func("/ipc/server/malformed-line", test_server_malformed_line);
    g_test_add_func("/ipc/server/long-line", test_server_long_line);
    g_test_add_func("/ipc/server/half-close", test_server_half_close);
    g_test_add_func("/ipc/server/broadcast", test_server_broadcast);
    g_test_add_func("/ipc/server/socket-mode", test_server_socket_mode);
    g_test_add_func("/ipc/server/second-instance", test_server_second_instance);
    g_test_add_func("/ipc/server/stale-socket", test_server_stale_socket);
    g_test_add_func("/ipc/server/max-clients", test_server_max_clients);
    g_test_add_func("/ipc/server/slow-client", test_server_slow_client);
    g_test_add_func("/ipc/client/timeout", test_client_timeout);
    g_test_add_func("/ipc/craiectl/commands", test_craiectl);
    g_test_add_func("/ipc/craiectl/wait-event", test_craiectl_wait_event);
    return g_test_run();
}
