/* ent-client's HTTP layer: curl's multi interface driven by a GMainContext
 * against a small HTTP server in this process; redirects read rather than
 * followed, the in-memory cookie jar, and log hygiene: with debug logging
 * on (curl's own trace included), no token, code, cookie or client secret
 * reaches the log. */
#define _GNU_SOURCE
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "ent-client/http.h"
#include "ent-client/secret.h"

#define SENTINEL_BEARER "SENTINEL-bearer-7f3a9c"
#define SENTINEL_SECRET "SENTINEL-secret-51be02"
#define SENTINEL_CODE "SENTINEL-code-a1b2c3"
#define SENTINEL_COOKIE "SENTINEL-cookie-d4e5f6"

static GString *log_text;
static GMutex log_lock;

static GLogWriterOutput capture(GLogLevelFlags level, const GLogField *fields, gsize n,
                                gpointer data)
{
    g_mutex_lock(&log_lock);
    for (gsize i = 0; i < n; i++) {
        if (!strcmp(fields[i].key, "MESSAGE")) {
            g_string_append(log_text, fields[i].value);
            g_string_append_c(log_text, '\n');
        }
    }
    g_mutex_unlock(&log_lock);
    return G_LOG_WRITER_HANDLED;
}

/* ---- a tiny HTTP/1.1 server (one request per connection) ---- */

struct server {
    GSocketService *service;
    int port;
    GMutex lock;
    char *last_authorization; /* under lock */
    char *last_cookie;        /* under lock */
    char *last_body;          /* under lock */
};

static struct server srv;
static gint srv_ready;

static char *header(const char *req, const char *name)
{
    g_autofree char *needle = g_strdup_printf("\r\n%s:", name);
    const char *p = strcasestr(req, needle);
    if (!p)
        return NULL;
    p += strlen(needle);
    while (*p == ' ')
        p++;
    return g_strndup(p, strcspn(p, "\r\n"));
}

static gboolean on_run(GThreadedSocketService *service, GSocketConnection *conn, GObject *source,
                       gpointer data)
{
    GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(conn));
    GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
    GString *req = g_string_new(NULL);
    char buf[4096];
    gssize n;
    while (!strstr(req->str, "\r\n\r\n") &&
           (n = g_input_stream_read(in, buf, sizeof(buf), NULL, NULL)) > 0)
        g_string_append_len(req, buf, n);
    g_autofree char *len_text = header(req->str, "Content-Length");
    size_t head = strstr(req->str, "\r\n\r\n")
                      ? (size_t)(strstr(req->str, "\r\n\r\n") - req->str) + 4
                      : req->len;
    size_t want = len_text ? strtoul(len_text, NULL, 10) : 0;
    while (req->len - head < want &&
           (n = g_input_stream_read(in, buf, sizeof(buf), NULL, NULL)) > 0)
        g_string_append_len(req, buf, n);

    g_mutex_lock(&srv.lock);
    g_free(srv.last_authorization);
    srv.last_authorization = header(req->str, "Authorization");
    g_free(srv.last_cookie);
    srv.last_cookie = header(req->str, "Cookie");
    g_free(srv.last_body);
    srv.last_body = g_strdup(req->str + head);
    g_mutex_unlock(&srv.lock);

    char path[512] = "";
    sscanf(req->str, "%*s %511s", path);
    GString *resp = g_string_new(NULL);
    if (g_str_has_prefix(path, "/redirect")) {
        g_string_append(resp, "HTTP/1.1 302 Found\r\nLocation: /landing?code=" SENTINEL_CODE
                              "&state=x\r\nContent-Length: 0\r\n\r\n");
    } else if (g_str_has_prefix(path, "/login")) {
        g_string_append(resp, "HTTP/1.1 200 OK\r\nSet-Cookie: sid=" SENTINEL_COOKIE
                              "; Path=/; HttpOnly\r\nContent-Type: text/plain\r\n"
                              "Content-Length: 2\r\n\r\nok");
    } else if (g_str_has_prefix(path, "/big")) {
        g_string_append(resp, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                              "Content-Length: 300000\r\n\r\n");
        for (int i = 0; i < 300000; i++)
            g_string_append_c(resp, (char)('a' + i % 26));
    } else if (g_str_has_prefix(path, "/slow")) {
        g_usleep(300 * 1000);
        g_string_append(resp, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow");
    } else {
        g_autofree char *body = g_strdup_printf("{\"path\":\"%s\"}", path);
        g_string_append_printf(resp,
                               "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: %zu\r\n\r\n%s",
                               strlen(body), body);
    }
    g_output_stream_write_all(out, resp->str, resp->len, NULL, NULL, NULL);
    g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
    g_string_free(resp, TRUE);
    g_string_free(req, TRUE);
    return TRUE;
}

/* The service accepts on its own thread's context (the tests block theirs). */
static GMainLoop *server_loop;

static gpointer server_thread(gpointer data)
{
    GMainContext *ctx = g_main_context_new();
    g_main_context_push_thread_default(ctx);
    server_loop = g_main_loop_new(ctx, FALSE);
    g_mutex_init(&srv.lock);
    srv.service = g_threaded_socket_service_new(4);
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, 0);
    g_autoptr(GSocketAddress) effective = NULL;
    GError *err = NULL;
    g_socket_listener_add_address(G_SOCKET_LISTENER(srv.service), addr, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, NULL, &effective, &err);
    g_assert_no_error(err);
    srv.port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective));
    g_signal_connect(srv.service, "run", G_CALLBACK(on_run), NULL);
    g_socket_service_start(srv.service);
    g_atomic_int_set(&srv_ready, 1);
    g_main_loop_run(server_loop);
    return NULL;
}

static void server_start(void)
{
    g_thread_new("test-http-server", server_thread, NULL);
    while (!g_atomic_int_get(&srv_ready))
        g_usleep(1000);
}

static char *url(const char *path)
{
    return g_strdup_printf("http://127.0.0.1:%d%s", srv.port, path);
}

/* ---- the client side ---- */

struct result {
    bool done;
    long status;
    char *body;
    char *location;
    char *error;
};

static void on_done(const struct cr_http_response *resp, void *data)
{
    struct result *r = data;
    r->done = true;
    r->status = resp->status;
    r->body = g_strndup(resp->body, resp->len);
    r->location = g_strdup(resp->location);
    r->error = g_strdup(resp->error);
}

static void result_clear(struct result *r)
{
    g_free(r->body);
    g_free(r->location);
    g_free(r->error);
    memset(r, 0, sizeof(*r));
}

static void run_until(GMainContext *ctx, bool *flag)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (!*flag && g_get_monotonic_time() < deadline)
        g_main_context_iteration(ctx, TRUE);
    g_assert_true(*flag);
}

static void test_get_on_context(void)
{
    GMainContext *ctx = g_main_context_new();
    struct cr_http *http = cr_http_new(ctx, NULL);
    g_autofree char *u = url("/hello");
    struct result r = {0};
    struct cr_http_request req = {.url = u, .accept = "application/json"};
    cr_http_send(http, &req, on_done, &r);
    g_assert_false(r.done); /* never from inside send */
    run_until(ctx, &r.done);
    g_assert_cmpint(r.status, ==, 200);
    g_assert_cmpstr(r.body, ==, "{\"path\":\"/hello\"}");
    g_assert_cmpuint(cr_http_pending(http), ==, 0);
    result_clear(&r);
    cr_http_free(http);
    g_main_context_unref(ctx);
}

static void test_concurrent_and_big(void)
{
    GMainContext *ctx = g_main_context_new();
    struct cr_http *http = cr_http_new(ctx, NULL);
    g_autofree char *u1 = url("/slow");
    g_autofree char *u2 = url("/big");
    struct result a = {0}, b = {0};
    struct cr_http_request r1 = {.url = u1}, r2 = {.url = u2};
    gint64 t0 = g_get_monotonic_time();
    cr_http_send(http, &r1, on_done, &a);
    cr_http_send(http, &r2, on_done, &b);
    g_assert_cmpuint(cr_http_pending(http), ==, 2);
    run_until(ctx, &b.done);
    /* The big one did not wait for the slow one. */
    g_assert_false(a.done);
    g_assert_cmpuint(strlen(b.body), ==, 300000);
    run_until(ctx, &a.done);
    g_assert_cmpstr(a.body, ==, "slow");
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 3 * G_USEC_PER_SEC);
    result_clear(&a);
    result_clear(&b);
    cr_http_free(http);
    g_main_context_unref(ctx);
}

static void test_cancel(void)
{
    GMainContext *ctx = g_main_context_new();
    struct cr_http *http = cr_http_new(ctx, NULL);
    g_autofree char *u1 = url("/slow");
    g_autofree char *u2 = url("/hello");
    struct result a = {0}, b = {0};
    struct cr_http_request r1 = {.url = u1}, r2 = {.url = u2};
    struct cr_http_call *call = cr_http_send(http, &r1, on_done, &a);
    cr_http_send(http, &r2, on_done, &b);
    cr_http_cancel(call);
    run_until(ctx, &b.done);
    /* Give the slow answer time to arrive: its callback must not run. */
    gint64 until = g_get_monotonic_time() + 500 * 1000;
    while (g_get_monotonic_time() < until)
        g_main_context_iteration(ctx, FALSE);
    g_assert_false(a.done);
    result_clear(&b);
    cr_http_free(http);
    g_main_context_unref(ctx);
}

static void test_redirect_read_not_followed(void)
{
    GMainContext *ctx = g_main_context_new();
    struct cr_http *http = cr_http_new(ctx, NULL);
    g_autofree char *u = url("/redirect");
    struct result r = {0};
    struct cr_http_request req = {.url = u};
    cr_http_send(http, &req, on_done, &r);
    run_until(ctx, &r.done);
    g_assert_cmpint(r.status, ==, 302);
    g_autofree char *want = url("/landing?code=" SENTINEL_CODE "&state=x");
    g_assert_cmpstr(r.location, ==, want); /* made absolute */
    result_clear(&r);

    req.follow = true;
    cr_http_send(http, &req, on_done, &r);
    run_until(ctx, &r.done);
    g_assert_cmpint(r.status, ==, 200);
    g_assert_true(g_str_has_prefix(r.body, "{\"path\":\"/landing?code="));
    result_clear(&r);
    cr_http_free(http);
    g_main_context_unref(ctx);
}

static void test_cookie_jar_in_memory(void)
{
    GMainContext *ctx = g_main_context_new();
    struct cr_http *http = cr_http_new(ctx, NULL);
    g_autofree char *login = url("/login");
    g_autofree char *next = url("/next");
    struct result r = {0};
    struct cr_http_request req = {.url = login};
    cr_http_send(http, &req, on_done, &r);
    run_until(ctx, &r.done);
    result_clear(&r);
    char *v = cr_http_cookie(http, "127.0.0.1", "sid");
    g_assert_cmpstr(v, ==, SENTINEL_COOKIE);
    cr_secret_free(v);

    req.url = next;
    cr_http_send(http, &req, on_done, &r);
    run_until(ctx, &r.done);
    result_clear(&r);
    g_mutex_lock(&srv.lock);
    g_assert_cmpstr(srv.last_cookie, ==, "sid=" SENTINEL_COOKIE);
    g_mutex_unlock(&srv.lock);

    cr_http_forget_cookies(http);
    g_assert_null(cr_http_cookie(http, "127.0.0.1", "sid"));
    cr_http_send(http, &req, on_done, &r);
    run_until(ctx, &r.done);
    result_clear(&r);
    g_mutex_lock(&srv.lock);
    g_assert_null(srv.last_cookie);
    g_mutex_unlock(&srv.lock);

    /* Another client has its own jar. */
    struct cr_http *other = cr_http_new(ctx, NULL);
    req.url = login;
    cr_http_send(http, &req, on_done, &r);
    run_until(ctx, &r.done);
    result_clear(&r);
    g_assert_null(cr_http_cookie(other, "127.0.0.1", "sid"));
    cr_http_free(other);
    cr_http_free(http);
    g_main_context_unref(ctx);
}

static void test_auth_headers_and_form(void)
{
    GMainContext *ctx = g_main_context_new();
    struct cr_http *http = cr_http_new(ctx, NULL);
    g_autofree char *u = url("/token");
    struct result r = {0};
    GString *form = cr_form_new();
    cr_http_form_add(form, "grant_type", "refresh_token");
    cr_http_form_add(form, "refresh_token", "a b&c=d");
    struct cr_http_request req = {.method = "POST",
                                  .url = u,
                                  .basic_user = "board:1",
                                  .basic_password = SENTINEL_SECRET,
                                  .body = form->str,
                                  .body_len = form->len};
    cr_http_send(http, &req, on_done, &r);
    cr_form_free(form);
    run_until(ctx, &r.done);
    result_clear(&r);
    g_mutex_lock(&srv.lock);
    /* RFC 6749 2.3.1: form-urlencoded id and secret, then base64. */
    g_autofree char *raw = g_strdup("board%3A1:" SENTINEL_SECRET);
    g_autofree char *b64 = g_base64_encode((const guchar *)raw, strlen(raw));
    g_autofree char *want = g_strdup_printf("Basic %s", b64);
    g_assert_cmpstr(srv.last_authorization, ==, want);
    g_assert_cmpstr(srv.last_body, ==, "grant_type=refresh_token&refresh_token=a%20b%26c%3Dd");
    g_mutex_unlock(&srv.lock);

    struct cr_http_request get = {.url = u, .bearer = SENTINEL_BEARER};
    cr_http_send(http, &get, on_done, &r);
    run_until(ctx, &r.done);
    result_clear(&r);
    g_mutex_lock(&srv.lock);
    g_assert_cmpstr(srv.last_authorization, ==, "Bearer " SENTINEL_BEARER);
    g_mutex_unlock(&srv.lock);
    cr_http_free(http);
    g_main_context_unref(ctx);
}

static void test_unreachable(void)
{
    GMainContext *ctx = g_main_context_new();
    struct cr_http *http = cr_http_new(ctx, NULL);
    struct result r = {0};
    /* A port nobody listens on (ours, after closing it, is not safe). */
    struct cr_http_request req = {.url = "http://127.0.0.1:1/", .timeout_ms = 3000};
    cr_http_send(http, &req, on_done, &r);
    run_until(ctx, &r.done);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(r.error);
    result_clear(&r);
    cr_http_free(http);
    g_main_context_unref(ctx);
}

static void test_tls_verified(void)
{
    GMainContext *ctx = g_main_context_new();
    struct cr_http *http = cr_http_new(ctx, NULL);
    struct result r = {0};
    /* Plain HTTP server spoken to as HTTPS: the handshake fails, it is
     * never "accepted anyway". */
    g_autofree char *u = g_strdup_printf("https://127.0.0.1:%d/hello", srv.port);
    struct cr_http_request req = {.url = u, .timeout_ms = 1000};
    cr_http_send(http, &req, on_done, &r);
    run_until(ctx, &r.done);
    g_assert_cmpint(r.status, ==, 0);
    result_clear(&r);
    cr_http_free(http);
    g_main_context_unref(ctx);
}

static void test_log_never_shows_secrets(void)
{
    /* Everything above ran with debug logging and curl's trace on. */
    g_mutex_lock(&log_lock);
    g_assert_nonnull(strstr(log_text->str, "GET http://127.0.0.1"));
    g_assert_nonnull(strstr(log_text->str, "> Authorization: …"));
    if (strstr(log_text->str, "SENTINEL"))
        g_printerr("%s", log_text->str);
    g_assert_null(strstr(log_text->str, "SENTINEL"));
    g_assert_null(strstr(log_text->str, "Basic "));
    g_mutex_unlock(&log_lock);
}

static void test_redaction(void)
{
    g_autofree char *a = cr_ent_redact_url("https://u:p@ent.example/auth/oauth2/auth?code=x#f");
    g_assert_cmpstr(a, ==, "https://…@ent.example/auth/oauth2/auth?…");
    g_autofree char *b = cr_ent_redact_line("Set-Cookie: oneSessionId=abc");
    g_assert_cmpstr(b, ==, "Set-Cookie: …");
    g_autofree char *c = cr_ent_redact_line("GET /cas/serviceValidate?ticket=ST-1 HTTP/1.1");
    g_assert_cmpstr(c, ==, "GET /cas/serviceValidate?… HTTP/1.1");
    g_autofree char *d = cr_ent_redact_line("location: https://b/cb?code=1");
    g_assert_cmpstr(d, ==, "location: …");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    log_text = g_string_new(NULL);
    g_log_set_writer_func(capture, NULL, NULL);
    cr_log_set_verbose(true);
    server_start();
    g_test_add_func("/ent/http/get-on-context", test_get_on_context);
    g_test_add_func("/ent/http/concurrent-and-big", test_concurrent_and_big);
    g_test_add_func("/ent/http/cancel", test_cancel);
    g_test_add_func("/ent/http/redirect-read-not-followed", test_redirect_read_not_followed);
    g_test_add_func("/ent/http/cookie-jar-in-memory", test_cookie_jar_in_memory);
    g_test_add_func("/ent/http/auth-headers-and-form", test_auth_headers_and_form);
    g_test_add_func("/ent/http/unreachable", test_unreachable);
    g_test_add_func("/ent/http/tls-verified", test_tls_verified);
    g_test_add_func("/ent/http/log-never-shows-secrets", test_log_never_shows_secrets);
    g_test_add_func("/ent/http/redaction", test_redaction);
    int rc = g_test_run();
    return rc;
}
