#include "ent-client/http.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#if __has_include(<openssl/ssl.h>)
#include <openssl/ssl.h>
#define HAVE_OPENSSL_CLEANSE 1
#endif

#include "build_config.h"
#include "common/log.h"
#include "common/util.h"
#include "ent-client/secret.h"

#define HTTP_BODY_MAX (16u * 1024 * 1024)
#define HTTP_DEFAULT_TIMEOUT_MS 15000

struct http_source {
    GSource base;
    struct cr_http *http;
};

struct cr_http {
    GMainContext *ctx;
    GSource *source; /* struct http_source: curl's sockets and timer */
    CURLM *multi;
    CURLSH *share; /* the in-memory cookie jar */
    char *ca_file;
    GHashTable *fds; /* fd -> tag of g_source_add_unix_fd */
    GList *calls;    /* struct cr_http_call, in flight */
};

struct cr_http_call {
    struct cr_http *http;
    CURL *easy;
    struct curl_slist *headers; /* curl-allocated: zeroed when freed */
    char *body;                 /* request body (secret) */
    size_t body_len;
    char *recv; /* response body (secret) */
    size_t recv_len, recv_cap;
    bool too_big;
    size_t max_body;
    char *location; /* raw Location header of the last response */
    char *content_type;
    char *log_what; /* "GET https://host/path" */
    cr_http_done_fn done;
    void *userdata;
};

static void call_free(struct cr_http_call *call)
{
    if (call->easy)
        curl_easy_cleanup(call->easy);
    curl_slist_free_all(call->headers);
    cr_secret_free_n(call->body, call->body_len);
    cr_secret_free_n(call->recv, call->recv_cap);
    cr_secret_free(call->location);
    g_free(call->content_type);
    g_free(call->log_what);
    free(call);
}

/* ---- curl's sockets and timer as one GSource ---- */

static void finish_done(struct cr_http *http);

static gboolean source_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    struct cr_http *http = ((struct http_source *)source)->http;
    int running = 0;

    /* Gather first: socket_action changes the fd table. */
    GArray *ready = g_array_new(FALSE, FALSE, sizeof(int) * 2);
    GHashTableIter it;
    gpointer key, tag;
    g_hash_table_iter_init(&it, http->fds);
    while (g_hash_table_iter_next(&it, &key, &tag)) {
        GIOCondition rev = g_source_query_unix_fd(source, tag);
        if (!rev)
            continue;
        int ev = 0;
        if (rev & G_IO_IN)
            ev |= CURL_CSELECT_IN;
        if (rev & G_IO_OUT)
            ev |= CURL_CSELECT_OUT;
        if (rev & (G_IO_ERR | G_IO_HUP))
            ev |= CURL_CSELECT_ERR;
        int pair[2] = {GPOINTER_TO_INT(key), ev};
        g_array_append_val(ready, pair);
    }
    for (guint i = 0; i < ready->len; i++) {
        int *pair = &g_array_index(ready, int, i * 2);
        curl_multi_socket_action(http->multi, pair[0], pair[1], &running);
    }
    g_array_free(ready, TRUE);

    gint64 when = g_source_get_ready_time(source);
    if (when >= 0 && when <= g_source_get_time(source)) {
        g_source_set_ready_time(source, -1);
        curl_multi_socket_action(http->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    finish_done(http);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs source_funcs = {
    .dispatch = source_dispatch,
};

static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    struct cr_http *http = userp;
    if (what == CURL_POLL_REMOVE) {
        if (socketp)
            g_source_remove_unix_fd(http->source, socketp);
        g_hash_table_remove(http->fds, GINT_TO_POINTER(fd));
        curl_multi_assign(http->multi, fd, NULL);
        return 0;
    }
    GIOCondition cond = G_IO_ERR | G_IO_HUP;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        cond |= G_IO_IN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        cond |= G_IO_OUT;
    if (socketp) {
        g_source_modify_unix_fd(http->source, socketp, cond);
    } else {
        gpointer tag = g_source_add_unix_fd(http->source, fd, cond);
        g_hash_table_insert(http->fds, GINT_TO_POINTER(fd), tag);
        curl_multi_assign(http->multi, fd, tag);
    }
    return 0;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    struct cr_http *http = userp;
    if (timeout_ms < 0)
        g_source_set_ready_time(http->source, -1);
    else
        g_source_set_ready_time(http->source, g_get_monotonic_time() + (gint64)timeout_ms * 1000);
    return 0;
}

/* ---- one call ---- */

static size_t write_cb(char *data, size_t size, size_t n, void *userp)
{
    struct cr_http_call *call = userp;
    size_t len = size * n;
    if (call->recv_len + len + 1 > call->max_body) {
        call->too_big = true;
        return 0;
    }
    if (call->recv_len + len + 1 > call->recv_cap) {
        size_t cap = CR_MAX(call->recv_cap * 2, call->recv_len + len + 1);
        cap = CR_MAX(cap, 4096);
        char *grown = cr_xmalloc(cap);
        if (call->recv)
            memcpy(grown, call->recv, call->recv_len);
        cr_secret_free_n(call->recv, call->recv_cap);
        call->recv = grown;
        call->recv_cap = cap;
    }
    memcpy(call->recv + call->recv_len, data, len);
    call->recv_len += len;
    call->recv[call->recv_len] = '\0';
    return len;
}

static char *header_value(const char *line, size_t len, const char *name)
{
    size_t n = strlen(name);
    if (len <= n || g_ascii_strncasecmp(line, name, n) || line[n] != ':')
        return NULL;
    const char *v = line + n + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    return cr_secret_dupn(v, (size_t)(end - v));
}

static size_t header_cb(char *data, size_t size, size_t n, void *userp)
{
    struct cr_http_call *call = userp;
    size_t len = size * n;
    if (len >= 5 && !strncmp(data, "HTTP/", 5)) {
        /* A new response (after a redirect or a 100): forget the last one's. */
        cr_secret_clear(&call->location);
        g_clear_pointer(&call->content_type, free);
        return len;
    }
    char *v;
    if ((v = header_value(data, len, "Location"))) {
        cr_secret_free(call->location);
        call->location = v;
    } else if ((v = header_value(data, len, "Content-Type"))) {
        free(call->content_type);
        call->content_type = v;
    }
    return len;
}

static int debug_cb(CURL *easy, curl_infotype type, char *data, size_t size, void *userp)
{
    if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT)
        return 0; /* bodies are never logged */
    char *text = g_strndup(data, size);
    char **lines = g_strsplit_set(text, "\r\n", -1);
    for (char **l = lines; *l; l++) {
        if (!**l)
            continue;
        g_autofree char *clean = cr_ent_redact_line(*l);
        cr_debug("ent/curl", "%s %s",
                 type == CURLINFO_HEADER_OUT  ? ">"
                 : type == CURLINFO_HEADER_IN ? "<"
                                              : "*",
                 clean);
    }
    g_strfreev(lines);
    explicit_bzero(text, size);
    g_free(text);
    return 0;
}

#ifdef HAVE_OPENSSL_CLEANSE
/* OpenSSL zeroes its plaintext read buffers before freeing them. */
static CURLcode ssl_ctx_cb(CURL *easy, void *ssl_ctx, void *userp)
{
    SSL_CTX_set_options(ssl_ctx, SSL_OP_CLEANSE_PLAINTEXT);
    return CURLE_OK;
}
#endif

static char *basic_header(const char *user, const char *password)
{
    /* RFC 6749 §2.3.1: each part form-urlencoded, then base64. */
    char *u = curl_easy_escape(NULL, user, 0);
    char *p = curl_easy_escape(NULL, password ? password : "", 0);
    size_t n = strlen(u) + strlen(p) + 2;
    char *joined = cr_xmalloc(n);
    snprintf(joined, n, "%s:%s", u, p);
    curl_free(u);
    curl_free(p);
    char *b64 = g_base64_encode((const guchar *)joined, strlen(joined));
    cr_secret_free(joined);
    size_t hn = strlen(b64) + 32;
    char *header = cr_xmalloc(hn);
    snprintf(header, hn, "Authorization: Basic %s", b64);
    cr_secret_free(b64);
    return header;
}

static void add_header(struct cr_http_call *call, const char *line)
{
    call->headers = curl_slist_append(call->headers, line);
}

static void add_header_secret(struct cr_http_call *call, char *line)
{
    add_header(call, line);
    cr_secret_free(line);
}

static void report(struct cr_http_call *call, CURLcode code)
{
    struct cr_http_response resp = {0};
    char *location = NULL;
    if (code == CURLE_OK) {
        curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &resp.status);
    } else {
        resp.error = call->too_big ? "response too large" : curl_easy_strerror(code);
    }
    curl_easy_getinfo(call->easy, CURLINFO_TOTAL_TIME, &resp.seconds);
    if (call->location) {
        /* Resolve a relative Location against the URL that answered. */
        char *effective = NULL;
        curl_easy_getinfo(call->easy, CURLINFO_EFFECTIVE_URL, &effective);
        CURLU *u = curl_url();
        char *abs = NULL;
        if (effective && !curl_url_set(u, CURLUPART_URL, effective, 0) &&
            !curl_url_set(u, CURLUPART_URL, call->location, 0) &&
            !curl_url_get(u, CURLUPART_URL, &abs, 0)) {
            location = cr_secret_dup(abs);
            curl_free(abs);
        } else {
            location = cr_secret_dup(call->location);
        }
        curl_url_cleanup(u);
    }
    resp.location = location;
    resp.content_type = call->content_type;
    resp.body = call->recv ? call->recv : "";
    resp.len = call->recv_len;
    if (resp.status)
        cr_debug("ent/http", "%s -> %ld (%.0f ms)", call->log_what, resp.status,
                 resp.seconds * 1000);
    else
        cr_debug("ent/http", "%s -> %s", call->log_what, resp.error);
    call->done(&resp, call->userdata);
    cr_secret_free(location);
}

static void finish_done(struct cr_http *http)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(http->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct cr_http_call *call = NULL;
        CURLcode code = msg->data.result;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&call);
        curl_multi_remove_handle(http->multi, msg->easy_handle);
        http->calls = g_list_remove(http->calls, call);
        report(call, code);
        call_free(call);
    }
}

struct cr_http_call *cr_http_send(struct cr_http *http, const struct cr_http_request *req,
                                  cr_http_done_fn done, void *userdata)
{
    struct cr_http_call *call = cr_xcalloc(1, sizeof(*call));
    call->http = http;
    call->done = done;
    call->userdata = userdata;
    call->max_body = req->max_body ? req->max_body : HTTP_BODY_MAX;
    const char *method = req->method ? req->method : "GET";
    g_autofree char *clean = cr_ent_redact_url(req->url);
    call->log_what = g_strdup_printf("%s %s", method, clean);

    CURL *e = call->easy = curl_easy_init();
    if (!e)
        g_error("curl_easy_init failed");
    curl_easy_setopt(e, CURLOPT_URL, req->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, call);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (http->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, http->ca_file);
#ifdef HAVE_OPENSSL_CLEANSE
    curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
#endif
    if (!req->no_cookies) {
        curl_easy_setopt(e, CURLOPT_SHARE, http->share);
        curl_easy_setopt(e, CURLOPT_COOKIEFILE, ""); /* cookie engine on, no file */
    }
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "craie/" CR_VERSION);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, req->follow ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                     req->timeout_ms ? req->timeout_ms : (long)HTTP_DEFAULT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, call);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, call);
    if (cr_log_is_verbose()) {
        curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
        curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, debug_cb);
    }

    if (req->accept) {
        g_autofree char *h = g_strdup_printf("Accept: %s", req->accept);
        add_header(call, h);
    }
    if (req->bearer) {
        size_t n = strlen(req->bearer) + 32;
        char *h = cr_xmalloc(n);
        snprintf(h, n, "Authorization: Bearer %s", req->bearer);
        add_header_secret(call, h);
    } else if (req->basic_user) {
        add_header_secret(call, basic_header(req->basic_user, req->basic_password));
    }
    if (req->body) {
        call->body_len = req->body_len == (size_t)-1 ? strlen(req->body) : req->body_len;
        call->body = cr_xmalloc(call->body_len + 1);
        memcpy(call->body, req->body, call->body_len);
        call->body[call->body_len] = '\0';
        g_autofree char *h = g_strdup_printf(
            "Content-Type: %s",
            req->content_type ? req->content_type : "application/x-www-form-urlencoded");
        add_header(call, h);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, call->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)call->body_len);
    }
    if (strcmp(method, "GET") && !(req->body && !strcmp(method, "POST")))
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "POST") && !req->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
    }
    /* No "Expect: 100-continue" round trip. */
    add_header(call, "Expect:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, call->headers);

    http->calls = g_list_prepend(http->calls, call);
    CURLMcode mc = curl_multi_add_handle(http->multi, e);
    if (mc != CURLM_OK)
        g_error("curl_multi_add_handle: %s", curl_multi_strerror(mc));
    return call;
}

void cr_http_cancel(struct cr_http_call *call)
{
    if (!call)
        return;
    struct cr_http *http = call->http;
    curl_multi_remove_handle(http->multi, call->easy);
    http->calls = g_list_remove(http->calls, call);
    call_free(call);
}

unsigned cr_http_pending(const struct cr_http *http)
{
    return g_list_length(http->calls);
}

struct cr_http *cr_http_new(GMainContext *ctx, const char *ca_file)
{
    cr_secret_curl_global_init();
    struct cr_http *http = cr_xcalloc(1, sizeof(*http));
    http->ctx = g_main_context_ref(ctx);
    http->ca_file = ca_file && *ca_file ? g_strdup(ca_file) : NULL;
    http->fds = g_hash_table_new(NULL, NULL);
    http->multi = curl_multi_init();
    http->share = curl_share_init();
    curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
    curl_multi_setopt(http->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
    curl_multi_setopt(http->multi, CURLMOPT_SOCKETDATA, http);
    curl_multi_setopt(http->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(http->multi, CURLMOPT_TIMERDATA, http);
    http->source = g_source_new(&source_funcs, sizeof(struct http_source));
    ((struct http_source *)http->source)->http = http;
    g_source_set_name(http->source, "craie ent http");
    g_source_attach(http->source, ctx);
    return http;
}

void cr_http_forget_cookies(struct cr_http *http)
{
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_SHARE, http->share);
    curl_easy_setopt(e, CURLOPT_COOKIELIST, "ALL");
    curl_easy_cleanup(e);
}

char *cr_http_cookie(struct cr_http *http, const char *host, const char *name)
{
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_SHARE, http->share);
    curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");
    struct curl_slist *list = NULL;
    char *value = NULL;
    curl_easy_getinfo(e, CURLINFO_COOKIELIST, &list);
    for (struct curl_slist *l = list; l && !value; l = l->next) {
        /* Netscape format: host, subdomains, path, secure, expiry, name, value. */
        char **f = g_strsplit(l->data, "\t", 7);
        if (g_strv_length(f) == 7) {
            const char *h = f[0];
            if (g_str_has_prefix(h, "#HttpOnly_"))
                h += strlen("#HttpOnly_");
            if (!g_ascii_strcasecmp(h, host) && !strcmp(f[5], name))
                value = cr_secret_dup(f[6]);
        }
        for (char **p = f; *p; p++)
            explicit_bzero(*p, strlen(*p));
        g_strfreev(f);
    }
    curl_slist_free_all(list);
    curl_easy_cleanup(e);
    return value;
}

static bool domain_matches(const char *domain, bool tail, const char *host)
{
    if (*domain == '.')
        domain++;
    if (!g_ascii_strcasecmp(domain, host))
        return true;
    size_t hl = strlen(host), dl = strlen(domain);
    return tail && hl > dl && host[hl - dl - 1] == '.' &&
           !g_ascii_strcasecmp(host + hl - dl, domain);
}

size_t cr_http_cookies_for(struct cr_http *http, const char *host, struct cr_http_cookie **out)
{
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_SHARE, http->share);
    curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");
    struct curl_slist *list = NULL;
    curl_easy_getinfo(e, CURLINFO_COOKIELIST, &list);
    GArray *a = g_array_new(FALSE, TRUE, sizeof(struct cr_http_cookie));
    for (struct curl_slist *l = list; l && host; l = l->next) {
        /* Netscape format: host, subdomains, path, secure, expiry, name, value. */
        char **f = g_strsplit(l->data, "\t", 7);
        if (g_strv_length(f) == 7) {
            const char *h = f[0];
            bool http_only = g_str_has_prefix(h, "#HttpOnly_");
            if (http_only)
                h += strlen("#HttpOnly_");
            bool tail = !strcmp(f[1], "TRUE");
            if (domain_matches(h, tail, host)) {
                struct cr_http_cookie c = {.domain = tail && *h != '.' ? g_strconcat(".", h, NULL)
                                                                       : g_strdup(h),
                                           .path = g_strdup(f[2]),
                                           .name = g_strdup(f[5]),
                                           .value = cr_secret_dup(f[6]),
                                           .secure = !strcmp(f[3], "TRUE"),
                                           .http_only = http_only,
                                           .expires = g_ascii_strtoll(f[4], NULL, 10)};
                g_array_append_val(a, c);
            }
        }
        for (char **p = f; *p; p++)
            explicit_bzero(*p, strlen(*p));
        g_strfreev(f);
    }
    if (list)
        for (struct curl_slist *l = list; l; l = l->next)
            explicit_bzero(l->data, strlen(l->data));
    curl_slist_free_all(list);
    curl_easy_cleanup(e);
    size_t n = a->len;
    *out = n ? (struct cr_http_cookie *)g_array_free(a, FALSE) : (g_array_free(a, TRUE), NULL);
    return n;
}

void cr_http_cookies_free(struct cr_http_cookie *cookies, size_t n)
{
    for (size_t i = 0; cookies && i < n; i++) {
        g_free(cookies[i].domain);
        g_free(cookies[i].path);
        g_free(cookies[i].name);
        cr_secret_free(cookies[i].value);
    }
    g_free(cookies);
}

void cr_http_free(struct cr_http *http)
{
    if (!http)
        return;
    while (http->calls)
        cr_http_cancel(http->calls->data);
    cr_http_forget_cookies(http);
    curl_multi_cleanup(http->multi);
    curl_share_cleanup(http->share);
    g_source_destroy(http->source);
    g_source_unref(http->source);
    g_hash_table_destroy(http->fds);
    g_main_context_unref(http->ctx);
    g_free(http->ca_file);
    free(http);
}

GString *cr_form_new(void)
{
    return g_string_sized_new(8192);
}

void cr_form_free(GString *form)
{
    if (!form)
        return;
    explicit_bzero(form->str, form->allocated_len);
    g_string_free(form, TRUE);
}

void cr_http_form_add(GString *form, const char *name, const char *value)
{
    if (!value)
        return;
    if (form->len)
        g_string_append_c(form, '&');
    char *n = curl_easy_escape(NULL, name, 0);
    char *v = curl_easy_escape(NULL, value, 0);
    g_string_append(form, n);
    g_string_append_c(form, '=');
    g_string_append(form, v);
    curl_free(n);
    explicit_bzero(v, strlen(v));
    curl_free(v);
}

char *cr_http_escape(const char *value)
{
    char *v = curl_easy_escape(NULL, value, 0);
    char *out = g_strdup(v);
    curl_free(v);
    return out;
}
