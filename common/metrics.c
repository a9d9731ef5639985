#include "common/metrics.h"

#include <errno.h>
#include <libsoup/soup.h>
#include <string.h>

#include "common/log.h"

/* --- text format ---------------------------------------------------------- */

char *cr_metrics_escape_label(const char *value)
{
    GString *out = g_string_new(NULL);
    for (const char *p = value ? value : ""; *p; p++) {
        if (*p == '\\')
            g_string_append(out, "\\\\");
        else if (*p == '"')
            g_string_append(out, "\\\"");
        else if (*p == '\n')
            g_string_append(out, "\\n");
        else
            g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

static void header(GString *out, const char *name, const char *type, const char *help)
{
    g_string_append_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static gint64 member_int(JsonObject *o, const char *name)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    return n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_int(n) : 0;
}

static const char *member_str(JsonObject *o, const char *name)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
               ? json_node_get_string(n)
               : "";
}

static JsonArray *member_array(JsonObject *o, const char *name)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static JsonObject *member_object(JsonObject *o, const char *name)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static void sample(GString *out, const char *name, const char *label, const char *value, gint64 v)
{
    if (label) {
        g_autofree char *esc = cr_metrics_escape_label(value);
        g_string_append_printf(out, "%s{%s=\"%s\"} %" G_GINT64_FORMAT "\n", name, label, esc, v);
    } else {
        g_string_append_printf(out, "%s %" G_GINT64_FORMAT "\n", name, v);
    }
}

static void frames(GString *out, JsonArray *sources, const char *name, const char *member,
                   const char *help)
{
    header(out, name, "counter", help);
    for (guint i = 0; sources && i < json_array_get_length(sources); i++) {
        JsonObject *s = json_array_get_object_element(sources, i);
        sample(out, name, "source", member_str(s, "name"), member_int(s, member));
    }
}

char *cr_metrics_format(JsonObject *status)
{
    GString *out = g_string_new(NULL);
    g_autofree char *version = cr_metrics_escape_label(member_str(status, "version"));
    header(out, "craie_info", "gauge", "Version of craie (always 1).");
    g_string_append_printf(out, "craie_info{version=\"%s\"} 1\n", version);
    header(out, "craie_uptime_seconds", "gauge", "Seconds since craie started.");
    sample(out, "craie_uptime_seconds", NULL, NULL, member_int(status, "uptime_s"));
    header(out, "craie_starts_total", "counter", "Times craie started on this PC.");
    sample(out, "craie_starts_total", NULL, NULL, member_int(status, "runs"));
    header(out, "craie_restarts_total", "counter", "Starts after the first one on this PC.");
    sample(out, "craie_restarts_total", NULL, NULL, MAX(member_int(status, "runs") - 1, 0));

    JsonArray *sources = member_array(status, "sources");
    frames(out, sources, "craie_frames_received_total", "frames_pushed",
           "Frames a source delivered.");
    frames(out, sources, "craie_frames_dropped_total", "frames_dropped",
           "Frames replaced before the board showed them.");

    JsonObject *counters = member_object(status, "counters");
    header(out, "craie_cast_sessions_total", "counter", "Pupils' screens shown since start.");
    sample(out, "craie_cast_sessions_total", NULL, NULL, member_int(counters, "cast_sessions"));
    header(out, "craie_signins_total", "counter", "ENT sign-ins since start.");
    sample(out, "craie_signins_total", NULL, NULL, member_int(counters, "sign_ins"));
    JsonObject *ent = member_object(status, "ent");
    header(out, "craie_ent_signed_in", "gauge", "1 while a teacher is signed in to the ENT.");
    sample(out, "craie_ent_signed_in", NULL, NULL,
           ent && json_object_get_boolean_member_with_default(ent, "signed_in", FALSE));

    header(out, "craie_log_errors_total", "counter", "Warnings and errors logged, by kind.");
    JsonObject *errors = member_object(status, "errors");
    GList *kinds = errors ? json_object_get_members(errors) : NULL;
    for (GList *l = kinds; l; l = l->next) {
        JsonObject *k = member_object(errors, l->data);
        g_autofree char *esc = cr_metrics_escape_label(l->data);
        g_string_append_printf(out,
                               "craie_log_errors_total{kind=\"%s\",level=\"warning\"} "
                               "%" G_GINT64_FORMAT "\n"
                               "craie_log_errors_total{kind=\"%s\",level=\"error\"} "
                               "%" G_GINT64_FORMAT "\n",
                               esc, member_int(k, "warnings"), esc, member_int(k, "errors"));
    }
    g_list_free(kinds);

    JsonArray *inputs = member_array(status, "inputs");
    header(out, "craie_input_devices", "gauge", "Pens and touch devices seen.");
    sample(out, "craie_input_devices", NULL, NULL, inputs ? json_array_get_length(inputs) : 0);
    header(out, "craie_calibration_age_seconds", "gauge",
           "Age of each calibrated device's calibration.");
    for (guint i = 0; inputs && i < json_array_get_length(inputs); i++) {
        JsonObject *d = json_array_get_object_element(inputs, i);
        JsonNode *age = json_object_get_member(d, "calibration_age_s");
        if (age && JSON_NODE_HOLDS_VALUE(age))
            sample(out, "craie_calibration_age_seconds", "device", member_str(d, "key"),
                   json_node_get_int(age));
    }

    header(out, "craie_feature_uses_total", "counter", "Uses of each feature (all days kept).");
    JsonObject *usage = member_object(status, "usage_total");
    GList *features = usage ? json_object_get_members(usage) : NULL;
    for (GList *l = features; l; l = l->next)
        sample(out, "craie_feature_uses_total", "feature", l->data, member_int(usage, l->data));
    g_list_free(features);
    return g_string_free(out, FALSE);
}

/* --- restarts ------------------------------------------------------------- */

uint64_t cr_metrics_count_run(const char *state_dir)
{
    if (!state_dir || !*state_dir)
        return 1;
    g_autofree char *path = g_build_filename(state_dir, "runs", NULL);
    g_autofree char *text = NULL;
    uint64_t runs = 0;
    if (g_file_get_contents(path, &text, NULL, NULL))
        runs = g_ascii_strtoull(text, NULL, 10);
    runs++;
    g_autofree char *data = g_strdup_printf("%" G_GUINT64_FORMAT "\n", (guint64)runs);
    g_autoptr(GError) err = NULL;
    if (g_mkdir_with_parents(state_dir, 0755) != 0 ||
        !g_file_set_contents_full(path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &err))
        cr_warn("metrics", "restarts not counted: cannot write %s (%s)", path,
                err ? err->message : g_strerror(errno));
    return runs;
}

/* --- server --------------------------------------------------------------- */

struct cr_metrics_server {
    SoupServer *soup;
    char *token; /* NULL: none asked */
    int port;
    struct cr_metrics_server_callbacks cbs;
    void *userdata;
    GHashTable *waiting; /* id → SoupServerMessage * (paused, ref'd) */
    uint64_t next_id;
};

static void forget(struct cr_metrics_server *s, SoupServerMessage *msg)
{
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, s->waiting);
    while (g_hash_table_iter_next(&it, &k, &v))
        if (v == msg) {
            g_hash_table_iter_remove(&it);
            return;
        }
}

/* The client went before its answer. */
static void on_finished(SoupServerMessage *msg, gpointer data)
{
    g_signal_handlers_disconnect_by_data(msg, data);
    forget(data, msg);
}

/* The waiting scrape id, taken out of the table (a reference), or NULL. */
static SoupServerMessage *take(struct cr_metrics_server *s, uint64_t id)
{
    SoupServerMessage *msg = g_hash_table_lookup(s->waiting, &id);
    if (!msg)
        return NULL;
    g_object_ref(msg);
    g_signal_handlers_disconnect_by_data(msg, s);
    g_hash_table_remove(s->waiting, &id);
    return msg;
}

static bool token_ok(struct cr_metrics_server *s, SoupServerMessage *msg)
{
    if (!s->token)
        return true;
    const char *auth =
        soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Authorization");
    if (!auth || g_ascii_strncasecmp(auth, "Bearer ", 7))
        return false;
    const char *given = auth + 7;
    size_t a = strlen(given), b = strlen(s->token);
    unsigned diff = (unsigned)(a ^ b);
    for (size_t i = 0; i < a && i < b; i++) /* the same time whatever the first difference */
        diff |= (unsigned char)given[i] ^ (unsigned char)s->token[i];
    return diff == 0;
}

static void on_http(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                    gpointer data)
{
    struct cr_metrics_server *s = data;
    const char *method = soup_server_message_get_method(msg);
    if (strcmp(path, "/metrics")) {
        soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
        return;
    }
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        soup_server_message_set_status(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
        return;
    }
    if (!token_ok(s, msg)) {
        static struct cr_ratelimit rl = CR_RATELIMIT_INIT(60000, 3);
        if (cr_ratelimit_allow(&rl))
            cr_warn("metrics", "scrape from %s refused: missing or wrong bearer token",
                    soup_server_message_get_remote_host(msg));
        soup_message_headers_append(soup_server_message_get_response_headers(msg),
                                    "WWW-Authenticate", "Bearer");
        soup_server_message_set_status(msg, SOUP_STATUS_UNAUTHORIZED, NULL);
        return;
    }
    uint64_t id = ++s->next_id;
    g_hash_table_insert(s->waiting, g_memdup2(&id, sizeof(id)), g_object_ref(msg));
    g_signal_connect(msg, "finished", G_CALLBACK(on_finished), s);
    soup_server_message_pause(msg);
    s->cbs.on_scrape(s->userdata, id);
}

struct cr_metrics_server *cr_metrics_server_new(GMainContext *ctx, const char *address, int port,
                                                const char *token,
                                                const struct cr_metrics_server_callbacks *cbs,
                                                void *userdata, GError **error)
{
    GInetAddress *ia = g_inet_address_new_from_string(address && *address ? address : "127.0.0.1");
    if (!ia) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "metrics.address %s is not an IP address", address);
        return NULL;
    }
    struct cr_metrics_server *s = g_new0(struct cr_metrics_server, 1);
    s->cbs = *cbs;
    s->userdata = userdata;
    s->token = token ? g_strdup(token) : NULL;
    s->waiting = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_object_unref);
    g_main_context_push_thread_default(ctx);
    s->soup = soup_server_new("server-header", "craie", NULL);
    soup_server_add_handler(s->soup, NULL, on_http, s, NULL);
    GSocketAddress *sa = g_inet_socket_address_new(ia, (guint16)port);
    bool ok = soup_server_listen(s->soup, sa, 0, error);
    g_object_unref(sa);
    g_object_unref(ia);
    if (ok) {
        GSList *uris = soup_server_get_uris(s->soup);
        s->port = uris ? g_uri_get_port(uris->data) : port;
        g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
    }
    g_main_context_pop_thread_default(ctx);
    if (!ok) {
        cr_metrics_server_free(s);
        return NULL;
    }
    return s;
}

int cr_metrics_server_port(const struct cr_metrics_server *s)
{
    return s ? s->port : 0;
}

void cr_metrics_server_answer(struct cr_metrics_server *s, uint64_t id, char *text)
{
    SoupServerMessage *msg = take(s, id);
    if (!msg) {
        g_free(text);
        return;
    }
    soup_server_message_set_response(msg, "text/plain; version=0.0.4; charset=utf-8",
                                     SOUP_MEMORY_TAKE, text, strlen(text));
    soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
    soup_server_message_unpause(msg);
    g_object_unref(msg);
}

void cr_metrics_server_free(struct cr_metrics_server *s)
{
    if (!s)
        return;
    GList *ids = g_hash_table_get_keys(s->waiting);
    for (GList *l = ids; l; l = l->next) {
        SoupServerMessage *msg = take(s, *(uint64_t *)l->data);
        soup_server_message_set_status(msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
        soup_server_message_unpause(msg);
        g_object_unref(msg);
    }
    g_list_free(ids);
    if (s->soup) {
        soup_server_disconnect(s->soup);
        g_object_unref(s->soup);
    }
    g_hash_table_unref(s->waiting);
    g_free(s->token);
    g_free(s);
}
