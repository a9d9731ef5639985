#include "display/cast/cast_server.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "common/log.h"
#include "common/util.h"
#include "display/cast/cast_mdns.h"
#include "display/cast/cast_net.h"
#include "display/cast/cast_peer.h"
#include "display/cast/cast_proto.h"
#include "display/cast/cast_srt.h"

/* A connection that sends this many invalid messages is closed. */
#define CR_CAST_MAX_ABUSE 3
/* Connections that have not said hello yet, at most. */
#define CR_CAST_MAX_PENDING 64
/* WebSocket close codes of ours (4000-4999: private use). */
#define CR_CAST_CLOSE_REFUSED 4001
#define CR_CAST_CLOSE_REMOVED 4002

struct sender;

/* One WebSocket connection. */
struct conn {
    struct cr_cast_server *server;
    SoupWebsocketConnection *ws; /* ref held */
    char *addr;
    unsigned abuse;
    struct sender *sender; /* after a good hello, else NULL */
    gulong message_id, closed_id;
};

struct sender {
    unsigned id, slot, generation;
    char *name;
    char resume[CR_CAST_RESUME_LEN + 1];
    bool approved;
    struct conn *conn; /* NULL while disconnected */
    int64_t disconnected_us;
    struct cr_cast_peer *peer;
    struct cr_cast_srt *srt; /* an SRT sender's listener (borrowed), else NULL */
    bool srt_connected;
    /* the size last asked of the page */
    int req_w, req_h, req_fps;
    /* stats */
    uint64_t last_frames;
    int64_t last_tick_us;
    double fps;
    int width, height; /* decoded, as last reported */
    int64_t stats_us;  /* when the page last reported what it sends */
    double page_fps;   /* what it said it sends */
    enum cr_cast_state state;
};

struct cr_cast_server {
    GMainContext *ctx;
    struct cr_cast_server_options opts;
    char **addresses;
    char *web_dir;
    SoupServer *soup;
    int port;
    char *url, *mdns_url;
    struct cr_cast_guard guard; /* guarded by guard_lock (SRT checks codes on its thread) */
    GMutex guard_lock;
    GPtrArray *srt; /* struct cr_cast_srt * */
    struct cr_frame_slot **slots;
    size_t n_slots;
    unsigned *slot_generation;
    const struct cr_cast_server_callbacks *cbs;
    void *userdata;

    GList *conns;   /* struct conn * */
    GList *senders; /* struct sender *, in order of arrival */
    unsigned next_id;
    GSource *tick;
    struct cr_cast_mdns *mdns;
    bool locked;  /* the room was locked at the last tick */
    bool closing; /* being freed: SRT listeners are not restarted */
};

static const struct cr_cast_peer_callbacks peer_cbs;
static const struct cr_cast_srt_callbacks srt_cbs;

const char *cr_cast_state_name(enum cr_cast_state s)
{
    switch (s) {
    case CR_CAST_WAITING:
        return "waiting";
    case CR_CAST_LIVE:
        return "live";
    case CR_CAST_STALLED:
        return "stalled";
    }
    return "unknown";
}

static bool connected(const struct sender *x)
{
    return x->conn != NULL || x->srt_connected;
}

static struct cr_cast_decoder *sender_decoder(struct sender *x)
{
    if (x->peer)
        return cr_cast_peer_decoder(x->peer);
    if (x->srt && x->srt_connected)
        return cr_cast_srt_decoder(x->srt);
    return NULL;
}

/* --- status ------------------------------------------------------------- */

void cr_cast_status_free(void *p)
{
    struct cr_cast_status *st = p;
    if (!st)
        return;
    for (size_t i = 0; i < st->n_senders; i++) {
        g_free(st->senders[i].name);
        g_free(st->senders[i].kind);
    }
    g_free(st->senders);
    g_free(st->code);
    g_free(st->url);
    g_free(st->mdns_url);
    g_free(st);
}

struct cr_cast_status *cr_cast_status_copy(const struct cr_cast_status *src)
{
    struct cr_cast_status *st = g_new0(struct cr_cast_status, 1);
    *st = *src;
    st->code = g_strdup(src->code);
    st->url = g_strdup(src->url);
    st->mdns_url = g_strdup(src->mdns_url);
    st->senders = g_new0(struct cr_cast_sender_info, src->n_senders + 1);
    for (size_t i = 0; i < src->n_senders; i++) {
        st->senders[i] = src->senders[i];
        st->senders[i].name = g_strdup(src->senders[i].name);
        st->senders[i].kind = g_strdup(src->senders[i].kind);
    }
    return st;
}

struct cr_cast_status *cr_cast_server_status(struct cr_cast_server *s)
{
    struct cr_cast_status *st = g_new0(struct cr_cast_status, 1);
    int64_t now = cr_monotonic_us();
    st->running = true;
    g_mutex_lock(&s->guard_lock);
    st->code = g_strdup(cr_cast_guard_code(&s->guard));
    st->url = g_strdup(s->url);
    st->mdns_url = g_strdup(s->mdns_url);
    st->port = s->port;
    st->locked_until_us = cr_cast_guard_locked_until(&s->guard, now);
    g_mutex_unlock(&s->guard_lock);
    st->n_senders = g_list_length(s->senders);
    st->senders = g_new0(struct cr_cast_sender_info, st->n_senders + 1);
    size_t i = 0;
    for (GList *l = s->senders; l; l = l->next, i++) {
        struct sender *x = l->data;
        struct cr_cast_sender_info *info = &st->senders[i];
        info->id = x->id;
        info->slot = x->slot;
        info->generation = x->generation;
        info->name = g_strdup(x->name);
        info->state = x->state;
        info->approved = x->approved;
        info->connected = connected(x);
        info->fps = x->fps;
        info->kind = g_strdup(x->srt ? "srt" : "webrtc");
        info->codec = "";
        struct cr_cast_decoder *d = sender_decoder(x);
        if (d) {
            info->width = atomic_load(&d->width);
            info->height = atomic_load(&d->height);
            info->codec = cr_cast_codec_name(atomic_load(&d->codec));
        }
    }
    return st;
}

static void changed(struct cr_cast_server *s)
{
    if (s->cbs && s->cbs->on_status)
        s->cbs->on_status(s->userdata, cr_cast_server_status(s));
}

/* --- sending ------------------------------------------------------------ */

static void conn_send(struct conn *c, char *text)
{
    if (c && c->ws && soup_websocket_connection_get_state(c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text(c->ws, text);
    g_free(text);
}

static void conn_close(struct conn *c, unsigned short code, const char *reason)
{
    if (c->ws && soup_websocket_connection_get_state(c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close(c->ws, code, reason);
}

static const char *page_state(const struct sender *x)
{
    return x->approved ? "live" : "waiting";
}

/* --- senders ------------------------------------------------------------ */

static struct sender *find_sender(struct cr_cast_server *s, unsigned id)
{
    for (GList *l = s->senders; l; l = l->next)
        if (((struct sender *)l->data)->id == id)
            return l->data;
    return NULL;
}

static int free_slot(struct cr_cast_server *s)
{
    for (size_t i = 0; i < s->n_slots && i < s->opts.max_senders; i++) {
        bool used = false;
        for (GList *l = s->senders; l && !used; l = l->next)
            used = ((struct sender *)l->data)->slot == i;
        if (!used)
            return (int)i;
    }
    return -1;
}

static void sender_drop_peer(struct sender *x)
{
    cr_cast_peer_free(x->peer);
    x->peer = NULL;
    x->last_frames = 0;
    x->stats_us = 0;
}

/* Forgets a sender: its tile is emptied, its name forgotten. */
static void sender_free(struct cr_cast_server *s, struct sender *x)
{
    sender_drop_peer(x);
    if (x->srt) {
        cr_cast_srt_set_slot(x->srt, NULL);
        if (x->srt_connected && !s->closing)
            cr_cast_srt_kick(x->srt); /* drops the caller, listens again */
    }
    cr_frame_slot_clear(s->slots[x->slot]);
    s->slot_generation[x->slot]++;
    if (x->conn)
        x->conn->sender = NULL;
    s->senders = g_list_remove(s->senders, x);
    g_free(x->name);
    g_free(x);
}

static void random_hex(char *out, size_t chars)
{
    uint8_t bytes[CR_CAST_RESUME_LEN / 2];
    if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes))
        for (size_t i = 0; i < sizeof(bytes); i++)
            bytes[i] = (uint8_t)g_random_int();
    for (size_t i = 0; i < chars / 2; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static bool same_token(const char *a, const char *b)
{
    unsigned diff = 0;
    for (size_t i = 0; i < CR_CAST_RESUME_LEN; i++)
        diff |= (unsigned)(a[i] ^ b[i]);
    return diff == 0;
}

/* --- messages ------------------------------------------------------------ */

static void refuse(struct conn *c, const char *reason)
{
    conn_send(c, cr_cast_msg_error(reason));
    conn_close(c, CR_CAST_CLOSE_REFUSED, reason);
}

static void welcome(struct conn *c, struct sender *x)
{
    conn_send(c, cr_cast_msg_welcome(x->id, x->resume, "h264"));
    conn_send(c, cr_cast_msg_state(page_state(x)));
    if (x->req_w > 0) {
        struct cr_cast_request r = {x->req_w, x->req_h, x->req_fps, 0};
        r = cr_cast_request_for_cell(r.width, r.height, x->req_fps >= 30);
        conn_send(c, cr_cast_msg_size(r.width, r.height, r.fps, r.max_bitrate));
    }
}

static void on_hello(struct cr_cast_server *s, struct conn *c, struct cr_cast_msg *m)
{
    int64_t now = cr_monotonic_us();
    if (c->sender) {
        refuse(c, "invalid");
        return;
    }
    if (m->resume) {
        for (GList *l = s->senders; l; l = l->next) {
            struct sender *x = l->data;
            if (!same_token(x->resume, m->resume))
                continue;
            if (x->conn) { /* the old connection is a dead one the page left */
                x->conn->sender = NULL;
                conn_close(x->conn, CR_CAST_CLOSE_REMOVED, "replaced");
            }
            sender_drop_peer(x);
            x->conn = c;
            c->sender = x;
            cr_info("cast", "sender %u is back", x->id);
            welcome(c, x);
            changed(s);
            return;
        }
        if (!m->code) {
            refuse(c, "expired");
            return;
        }
    }
    g_mutex_lock(&s->guard_lock);
    enum cr_cast_check check = cr_cast_guard_check(&s->guard, c->addr, m->code, now);
    bool room_locked = cr_cast_guard_locked_until(&s->guard, now) != 0;
    g_mutex_unlock(&s->guard_lock);
    if (check != CR_CAST_CHECK_OK) {
        cr_info("cast", "join refused from %s: %s", c->addr, cr_cast_check_name(check));
        refuse(c, cr_cast_check_name(check));
        if (check == CR_CAST_CHECK_WRONG && room_locked && !s->locked) {
            s->locked = true;
            changed(s);
        }
        return;
    }
    int slot = free_slot(s);
    if (slot < 0) {
        refuse(c, "full");
        return;
    }
    struct sender *x = g_new0(struct sender, 1);
    x->id = ++s->next_id;
    x->slot = (unsigned)slot;
    x->generation = ++s->slot_generation[slot];
    x->name = g_strdup(m->name);
    random_hex(x->resume, CR_CAST_RESUME_LEN);
    x->conn = c;
    x->state = CR_CAST_WAITING;
    c->sender = x;
    cr_frame_slot_clear(s->slots[slot]);
    s->senders = g_list_append(s->senders, x);
    cr_info("cast", "sender %u joined from %s, waiting for the teacher", x->id, c->addr);
    cr_debug("cast", "sender %u is called %s", x->id, x->name);
    welcome(c, x);
    changed(s);
}

static void on_offer(struct cr_cast_server *s, struct conn *c, struct cr_cast_msg *m)
{
    struct sender *x = c->sender;
    sender_drop_peer(x);
    struct cr_cast_peer_options po = {.id = x->id,
                                      .ice_addresses = (const char *const *)s->addresses,
                                      .latency_ms = s->opts.latency_ms,
                                      .tap = s->opts.tap,
                                      .tap_userdata = s->opts.tap_userdata};
    x->peer = cr_cast_peer_new(s->ctx, &po, s->slots[x->slot], &peer_cbs, x);
    if (!x->peer || !cr_cast_peer_set_offer(x->peer, m->sdp)) {
        sender_drop_peer(x);
        refuse(c, "unsupported");
        return;
    }
    x->last_tick_us = cr_monotonic_us();
}

static void on_message(SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
    struct conn *c = data;
    struct cr_cast_server *s = c->server;
    gsize len = 0;
    const char *bytes = g_bytes_get_data(message, &len);
    struct cr_cast_msg m;
    char *error = NULL;
    bool ok = type == SOUP_WEBSOCKET_DATA_TEXT && cr_cast_msg_parse(bytes, len, &m, &error);
    if (ok && m.type != CR_CAST_MSG_HELLO && !c->sender) {
        cr_cast_msg_clear(&m);
        ok = false;
        error = g_strdup("say hello first");
    }
    if (!ok) {
        static struct cr_ratelimit rl = CR_RATELIMIT_INIT(10000, 5);
        if (cr_ratelimit_allow(&rl))
            cr_info("cast", "message refused from %s: %s", c->addr, error ? error : "binary");
        g_free(error);
        if (++c->abuse >= CR_CAST_MAX_ABUSE)
            refuse(c, "invalid");
        else
            conn_send(c, cr_cast_msg_error("invalid"));
        return;
    }
    switch (m.type) {
    case CR_CAST_MSG_HELLO:
        on_hello(s, c, &m);
        break;
    case CR_CAST_MSG_OFFER:
        on_offer(s, c, &m);
        break;
    case CR_CAST_MSG_ICE:
        if (c->sender->peer)
            cr_cast_peer_add_ice(c->sender->peer, (unsigned)m.mline, m.candidate);
        break;
    case CR_CAST_MSG_STATS:
        /* Only used to tell a still screen (the page sends nothing new)
         * from a broken stream; sizes shown are what the board decodes. */
        c->sender->stats_us = cr_monotonic_us();
        c->sender->page_fps = m.fps;
        break;
    case CR_CAST_MSG_BYE: {
        struct sender *x = c->sender;
        cr_info("cast", "sender %u stopped sharing", x->id);
        sender_free(s, x);
        changed(s);
        break;
    }
    }
    cr_cast_msg_clear(&m);
}

static void conn_free(struct conn *c)
{
    if (c->ws) {
        g_signal_handler_disconnect(c->ws, c->message_id);
        g_signal_handler_disconnect(c->ws, c->closed_id);
        conn_close(c, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "bye");
        g_object_unref(c->ws);
    }
    g_free(c->addr);
    g_free(c);
}

static void on_closed(SoupWebsocketConnection *ws, gpointer data)
{
    struct conn *c = data;
    struct cr_cast_server *s = c->server;
    struct sender *x = c->sender;
    s->conns = g_list_remove(s->conns, c);
    if (x) {
        x->conn = NULL;
        x->disconnected_us = cr_monotonic_us();
        x->state = x->approved ? CR_CAST_STALLED : CR_CAST_WAITING;
        sender_drop_peer(x);
        cr_info("cast", "sender %u disconnected; its place is kept for %lld s", x->id,
                (long long)(s->opts.grace_us / G_USEC_PER_SEC));
        changed(s);
    }
    conn_free(c);
}

static void on_websocket(SoupServer *soup, SoupServerMessage *msg, const char *path,
                         SoupWebsocketConnection *ws, gpointer data)
{
    struct cr_cast_server *s = data;
    const char *host = soup_server_message_get_remote_host(msg);
    unsigned pending = 0;
    for (GList *l = s->conns; l; l = l->next)
        pending += ((struct conn *)l->data)->sender == NULL;
    if (pending >= CR_CAST_MAX_PENDING) {
        soup_websocket_connection_close(ws, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "busy");
        return;
    }
    struct conn *c = g_new0(struct conn, 1);
    c->server = s;
    c->ws = g_object_ref(ws);
    c->addr = g_strdup(host ? host : "?");
    soup_websocket_connection_set_max_incoming_payload_size(ws, CR_CAST_MAX_MESSAGE);
    soup_websocket_connection_set_keepalive_interval(ws, 5);
    c->message_id = g_signal_connect(ws, "message", G_CALLBACK(on_message), c);
    c->closed_id = g_signal_connect(ws, "closed", G_CALLBACK(on_closed), c);
    s->conns = g_list_prepend(s->conns, c);
}

/* --- peers --------------------------------------------------------------- */

static void on_peer_answer(void *data, const char *sdp)
{
    struct sender *x = data;
    conn_send(x->conn, cr_cast_msg_answer(sdp));
}

static void on_peer_ice(void *data, unsigned mline, const char *candidate)
{
    struct sender *x = data;
    conn_send(x->conn, cr_cast_msg_ice(candidate, mline));
}

static void on_peer_event(void *data, enum cr_cast_peer_event ev, const char *detail)
{
    struct sender *x = data;
    if (ev == CR_CAST_PEER_CONNECTED)
        cr_info("cast", "sender %u connected", x->id);
    else
        cr_info("cast", "sender %u: %s", x->id, detail ? detail : "failed");
}

static const struct cr_cast_peer_callbacks peer_cbs = {
    .on_answer = on_peer_answer, .on_ice = on_peer_ice, .on_event = on_peer_event};

/* --- the teacher --------------------------------------------------------- */

bool cr_cast_server_approve(struct cr_cast_server *s, unsigned id)
{
    struct sender *x = find_sender(s, id);
    if (!x)
        return false;
    if (!x->approved) {
        x->approved = true;
        cr_info("cast", "sender %u approved", x->id);
        conn_send(x->conn, cr_cast_msg_state("live"));
        changed(s);
    }
    return true;
}

static bool end_sender(struct cr_cast_server *s, unsigned id, const char *page_state_name)
{
    struct sender *x = find_sender(s, id);
    if (!x)
        return false;
    cr_info("cast", "sender %u %s", x->id, page_state_name);
    if (x->conn) {
        struct conn *c = x->conn;
        conn_send(c, cr_cast_msg_state(page_state_name));
        conn_close(c, CR_CAST_CLOSE_REMOVED, page_state_name);
    }
    sender_free(s, x);
    changed(s);
    return true;
}

bool cr_cast_server_deny(struct cr_cast_server *s, unsigned id)
{
    return end_sender(s, id, "refused");
}

bool cr_cast_server_remove(struct cr_cast_server *s, unsigned id)
{
    return end_sender(s, id, "stopped");
}

void cr_cast_server_stop_all(struct cr_cast_server *s)
{
    while (s->senders) {
        struct sender *x = s->senders->data;
        if (x->conn) {
            conn_send(x->conn, cr_cast_msg_state("stopped"));
            conn_close(x->conn, CR_CAST_CLOSE_REMOVED, "stopped");
        }
        sender_free(s, x);
    }
    cr_info("cast", "every sender stopped");
    changed(s);
}

void cr_cast_server_new_code(struct cr_cast_server *s)
{
    g_mutex_lock(&s->guard_lock);
    cr_cast_guard_rotate(&s->guard, cr_monotonic_us());
    g_mutex_unlock(&s->guard_lock);
    cr_info("cast", "new join code");
    changed(s);
}

bool cr_cast_server_set_size(struct cr_cast_server *s, unsigned id, int width, int height,
                             bool live)
{
    struct sender *x = find_sender(s, id);
    if (!x)
        return false;
    struct cr_cast_request r = cr_cast_request_for_cell(width, height, live);
    if (r.width == x->req_w && r.height == x->req_h && r.fps == x->req_fps)
        return true;
    x->req_w = r.width;
    x->req_h = r.height;
    x->req_fps = r.fps;
    cr_debug("cast", "sender %u asked for %dx%d@%d, %d kbit/s", x->id, r.width, r.height, r.fps,
             r.max_bitrate / 1000);
    conn_send(x->conn, cr_cast_msg_size(r.width, r.height, r.fps, r.max_bitrate));
    return true;
}

/* --- time ---------------------------------------------------------------- */

static gboolean on_tick(gpointer data)
{
    struct cr_cast_server *s = data;
    int64_t now = cr_monotonic_us();
    g_mutex_lock(&s->guard_lock);
    bool any = cr_cast_guard_tick(&s->guard, now);
    bool locked = cr_cast_guard_locked_until(&s->guard, now) != 0;
    g_mutex_unlock(&s->guard_lock);
    if (locked != s->locked) {
        s->locked = locked;
        any = true;
    }
    for (GList *l = s->senders, *next; l; l = next) {
        next = l->next;
        struct sender *x = l->data;
        if (!connected(x) && now - x->disconnected_us > s->opts.grace_us) {
            cr_info("cast", "sender %u did not come back", x->id);
            sender_free(s, x);
            any = true;
            continue;
        }
        uint64_t frames = 0;
        int64_t last = 0;
        struct cr_cast_decoder *d = sender_decoder(x);
        if (d) {
            frames = atomic_load(&d->frames);
            last = atomic_load(&d->last_frame_us);
            int w = atomic_load(&d->width), h = atomic_load(&d->height);
            if (w != x->width || h != x->height)
                any = true;
            x->width = w;
            x->height = h;
        }
        double dt = (double)(now - x->last_tick_us) / G_USEC_PER_SEC;
        double fps =
            dt > 0 && frames >= x->last_frames ? (double)(frames - x->last_frames) / dt : 0;
        x->last_frames = frames;
        x->last_tick_us = now;
        /* Live: frames arrive, or the page says its screen is still (a
         * browser sends no frame for unchanged content) and the last frame
         * is the picture. Otherwise the tile says "waiting", never a lie. */
        bool still = now - x->stats_us <= s->opts.stall_us && x->page_fps < 0.5;
        bool flowing = connected(x) && last > 0 && (now - last <= s->opts.stall_us || still);
        enum cr_cast_state st = !x->approved ? CR_CAST_WAITING
                                : flowing    ? CR_CAST_LIVE
                                             : CR_CAST_STALLED;
        if (st != x->state || (int)(fps + 0.5) != (int)(x->fps + 0.5))
            any = true;
        if (st != x->state)
            cr_info("cast", "sender %u: %s", x->id, cr_cast_state_name(st));
        x->state = st;
        x->fps = fps;
    }
    if (any)
        changed(s);
    return G_SOURCE_CONTINUE;
}

/* --- http ---------------------------------------------------------------- */

static const struct {
    const char *path, *file, *type;
} web_files[] = {
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/index.html", "index.html", "text/html; charset=utf-8"},
    {"/sender.js", "sender.js", "text/javascript; charset=utf-8"},
    {"/sender.css", "sender.css", "text/css; charset=utf-8"},
};

static void on_http(SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
                    gpointer data)
{
    struct cr_cast_server *s = data;
    SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
    soup_message_headers_replace(h, "Cache-Control", "no-store");
    soup_message_headers_replace(h, "X-Content-Type-Options", "nosniff");
    soup_message_headers_replace(h, "Referrer-Policy", "no-referrer");
    soup_message_headers_replace(h, "Content-Security-Policy",
                                 "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                                 "frame-ancestors 'none'");
    const char *method = soup_server_message_get_method(msg);
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        soup_server_message_set_status(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
        return;
    }
    for (size_t i = 0; i < CR_ARRAY_SIZE(web_files); i++) {
        if (strcmp(path, web_files[i].path))
            continue;
        char *file = g_build_filename(s->web_dir, web_files[i].file, NULL);
        char *body = NULL;
        gsize len = 0;
        bool ok = g_file_get_contents(file, &body, &len, NULL);
        g_free(file);
        if (!ok)
            break;
        soup_server_message_set_response(msg, web_files[i].type, SOUP_MEMORY_TAKE, body, len);
        soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
        return;
    }
    soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* --- SRT ------------------------------------------------------------------ */

/* SRT's thread. */
static bool srt_check(void *data, const char *addr, const char *code)
{
    struct cr_cast_server *s = data;
    g_mutex_lock(&s->guard_lock);
    enum cr_cast_check check = cr_cast_guard_check(&s->guard, addr, code, cr_monotonic_us());
    g_mutex_unlock(&s->guard_lock);
    if (check != CR_CAST_CHECK_OK)
        cr_info("cast", "SRT join refused from %s: %s", addr, cr_cast_check_name(check));
    return check == CR_CAST_CHECK_OK;
}

static void srt_caller(void *data, struct cr_cast_srt *srt, const char *name, const char *addr)
{
    struct cr_cast_server *s = data;
    for (GList *l = s->senders; l; l = l->next) {
        struct sender *x = l->data;
        if (x->srt == srt) { /* back within the grace period: its tile again */
            x->srt_connected = true;
            cr_cast_srt_set_slot(srt, s->slots[x->slot]);
            x->last_frames = 0;
            cr_info("cast", "SRT sender %u is back", x->id);
            changed(s);
            return;
        }
    }
    int slot = free_slot(s);
    if (slot < 0) {
        cr_info("cast", "SRT caller from %s refused: full", addr);
        cr_cast_srt_kick(srt);
        return;
    }
    struct sender *x = g_new0(struct sender, 1);
    x->id = ++s->next_id;
    x->slot = (unsigned)slot;
    x->generation = ++s->slot_generation[slot];
    x->name = g_strdup(name);
    random_hex(x->resume, CR_CAST_RESUME_LEN);
    x->srt = srt;
    x->srt_connected = true;
    x->state = CR_CAST_WAITING;
    x->last_tick_us = cr_monotonic_us();
    cr_frame_slot_clear(s->slots[slot]);
    cr_cast_srt_set_slot(srt, s->slots[slot]);
    s->senders = g_list_append(s->senders, x);
    cr_info("cast", "SRT sender %u joined from %s, waiting for the teacher", x->id, addr);
    changed(s);
}

static void srt_gone(void *data, struct cr_cast_srt *srt)
{
    struct cr_cast_server *s = data;
    for (GList *l = s->senders; l; l = l->next) {
        struct sender *x = l->data;
        if (x->srt == srt && x->srt_connected) {
            x->srt_connected = false;
            x->disconnected_us = cr_monotonic_us();
            x->state = x->approved ? CR_CAST_STALLED : CR_CAST_WAITING;
            cr_info("cast", "SRT sender %u disconnected", x->id);
            changed(s);
        }
    }
}

static const struct cr_cast_srt_callbacks srt_cbs = {
    .check = srt_check, .on_caller = srt_caller, .on_gone = srt_gone};

/* --- lifecycle ------------------------------------------------------------ */

static bool listen_on(struct cr_cast_server *s, char **error)
{
    GError *err = NULL;
    bool ok = true;
    if (!s->addresses || !s->addresses[0]) {
        ok = soup_server_listen_all(s->soup, (guint)s->opts.port, SOUP_SERVER_LISTEN_HTTPS, &err);
    } else {
        int port = s->opts.port;
        for (char **a = s->addresses; ok && *a; a++) {
            GInetAddress *ia = g_inet_address_new_from_string(*a);
            if (!ia) {
                *error = g_strdup_printf("not an IP address: %s", *a);
                return false;
            }
            GSocketAddress *sa = g_inet_socket_address_new(ia, (guint16)port);
            ok = soup_server_listen(s->soup, sa, SOUP_SERVER_LISTEN_HTTPS, &err);
            g_object_unref(sa);
            g_object_unref(ia);
            if (ok && port == 0) { /* the others on the same port */
                GSList *uris = soup_server_get_uris(s->soup);
                if (uris)
                    port = g_uri_get_port(uris->data);
                g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
            }
        }
    }
    if (!ok) {
        *error =
            g_strdup_printf("cannot listen on port %d: %s", s->opts.port, err ? err->message : "?");
        g_clear_error(&err);
        return false;
    }
    GSList *uris = soup_server_get_uris(s->soup);
    s->port = uris ? g_uri_get_port(uris->data) : s->opts.port;
    g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
    return true;
}

struct cr_cast_server *cr_cast_server_new(GMainContext *ctx,
                                          const struct cr_cast_server_options *opts,
                                          struct cr_frame_slot *const *slots, size_t n_slots,
                                          const struct cr_cast_server_callbacks *cbs,
                                          void *userdata, char **error)
{
    *error = NULL;
    GError *err = NULL;
    GTlsCertificate *cert = g_tls_certificate_new_from_files(opts->cert_file, opts->key_file, &err);
    if (!cert) {
        *error = g_strdup_printf("TLS certificate %s: %s", opts->cert_file, err->message);
        g_error_free(err);
        return NULL;
    }
    struct cr_cast_server *s = g_new0(struct cr_cast_server, 1);
    s->ctx = g_main_context_ref(ctx);
    s->opts = *opts;
    s->opts.max_senders = CR_MIN(CR_MIN(opts->max_senders, (unsigned)n_slots), CR_CAST_MAX_SENDERS);
    s->addresses = g_strdupv((char **)opts->addresses);
    s->web_dir = g_strdup(opts->web_dir);
    s->slots = g_memdup2(slots, n_slots * sizeof(*slots));
    s->n_slots = n_slots;
    s->slot_generation = g_new0(unsigned, n_slots);
    s->cbs = cbs;
    s->userdata = userdata;
    cr_cast_guard_init(&s->guard, &opts->guard, cr_monotonic_us());
    g_mutex_init(&s->guard_lock);
    s->srt = g_ptr_array_new_with_free_func((GDestroyNotify)cr_cast_srt_free);

    g_main_context_push_thread_default(ctx);
    s->soup = soup_server_new("server-header", "craie", "tls-certificate", cert, NULL);
    g_object_unref(cert);
    soup_server_add_websocket_handler(s->soup, "/ws", NULL, NULL, on_websocket, s, NULL);
    soup_server_add_handler(s->soup, NULL, on_http, s, NULL);
    bool ok = listen_on(s, error);
    g_main_context_pop_thread_default(ctx);
    if (!ok) {
        cr_cast_server_free(s);
        return NULL;
    }

    const char *shown = s->addresses && s->addresses[0] ? s->addresses[0] : NULL;
    char *lan = shown ? NULL : cr_cast_first_lan_address();
    s->url = g_strdup_printf("https://%s:%d/", shown ? shown : lan ? lan : "localhost", s->port);
    g_free(lan);
    s->mdns_url = g_strdup_printf("https://%s.local:%d/", g_get_host_name(), s->port);

    for (size_t i = 0; i < opts->n_srt_ports; i++) {
        const char *addr = s->addresses && s->addresses[0] ? s->addresses[0] : NULL;
        struct cr_cast_srt *l = cr_cast_srt_new(ctx, addr, opts->srt_ports[i], &srt_cbs, s);
        if (l)
            g_ptr_array_add(s->srt, l);
    }
    if (opts->announce) {
        char *name = g_strdup_printf("craie %s", g_get_host_name());
        s->mdns = cr_cast_mdns_new(ctx, name, s->port);
        g_free(name);
    }

    s->tick = g_timeout_source_new(1000);
    g_source_set_callback(s->tick, on_tick, s, NULL);
    g_source_attach(s->tick, ctx);
    cr_info("cast", "sender page at %s", s->url);
    return s;
}

void cr_cast_server_free(struct cr_cast_server *s)
{
    if (!s)
        return;
    s->closing = true;
    cr_cast_mdns_free(s->mdns);
    if (s->tick) {
        g_source_destroy(s->tick);
        g_source_unref(s->tick);
    }
    while (s->senders)
        sender_free(s, s->senders->data);
    while (s->conns) {
        struct conn *c = s->conns->data;
        s->conns = g_list_delete_link(s->conns, s->conns);
        conn_free(c);
    }
    if (s->soup) {
        soup_server_disconnect(s->soup);
        g_object_unref(s->soup);
    }
    if (s->srt)
        g_ptr_array_unref(s->srt);
    cr_cast_guard_destroy(&s->guard);
    g_mutex_clear(&s->guard_lock);
    g_strfreev(s->addresses);
    g_free(s->web_dir);
    g_free(s->slots);
    g_free(s->slot_generation);
    g_free(s->url);
    g_free(s->mdns_url);
    g_main_context_unref(s->ctx);
    g_free(s);
}
