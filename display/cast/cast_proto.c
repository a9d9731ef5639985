#include "display/cast/cast_proto.h"

#include <math.h>
#include <string.h>

#include "common/util.h"

struct field {
    const char *name;
    GType type; /* G_TYPE_STRING, G_TYPE_INT64 (integral number), G_TYPE_DOUBLE */
    bool required;
};

static const struct {
    const char *name;
    enum cr_cast_msg_type type;
    struct field fields[5];
} schemas[] = {
    {"hello",
     CR_CAST_MSG_HELLO,
     {{"name", G_TYPE_STRING, true},
      {"code", G_TYPE_STRING, false},
      {"resume", G_TYPE_STRING, false}}},
    {"offer", CR_CAST_MSG_OFFER, {{"sdp", G_TYPE_STRING, true}}},
    {"ice",
     CR_CAST_MSG_ICE,
     {{"candidate", G_TYPE_STRING, true}, {"sdpMLineIndex", G_TYPE_INT64, true}}},
    {"stats",
     CR_CAST_MSG_STATS,
     {{"width", G_TYPE_INT64, true}, {"height", G_TYPE_INT64, true}, {"fps", G_TYPE_DOUBLE, true}}},
    {"bye", CR_CAST_MSG_BYE, {{NULL}}},
};

static bool fail(char **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool fail(char **error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    *error = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return false;
}

/* A JSON number that is an integer (json-glib reads 3 as int64, 3.0 as double). */
static bool get_int(JsonNode *n, gint64 *out)
{
    if (!JSON_NODE_HOLDS_VALUE(n))
        return false;
    GType t = json_node_get_value_type(n);
    if (t == G_TYPE_INT64) {
        *out = json_node_get_int(n);
        return true;
    }
    if (t == G_TYPE_DOUBLE) {
        double d = json_node_get_double(n);
        if (d != (double)(gint64)d)
            return false;
        *out = (gint64)d;
        return true;
    }
    return false;
}

static bool get_double(JsonNode *n, double *out)
{
    if (!JSON_NODE_HOLDS_VALUE(n))
        return false;
    GType t = json_node_get_value_type(n);
    if (t == G_TYPE_INT64)
        *out = (double)json_node_get_int(n);
    else if (t == G_TYPE_DOUBLE)
        *out = json_node_get_double(n);
    else
        return false;
    return isfinite(*out);
}

static bool is_string(JsonNode *n)
{
    return JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING;
}

/* A first name as the board shows it: trimmed, printable, not too long. */
static char *check_name(const char *raw, char **error)
{
    if (!g_utf8_validate(raw, -1, NULL)) {
        fail(error, "name is not valid UTF-8");
        return NULL;
    }
    char *name = g_strstrip(g_strdup(raw));
    glong chars = g_utf8_strlen(name, -1);
    bool ok = chars >= 1 && chars <= CR_CAST_NAME_MAX_CHARS;
    for (const char *p = name; ok && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_iscntrl(c) || g_unichar_type(c) == G_UNICODE_FORMAT ||
            g_unichar_type(c) == G_UNICODE_LINE_SEPARATOR ||
            g_unichar_type(c) == G_UNICODE_PARAGRAPH_SEPARATOR)
            ok = false;
    }
    if (!ok) {
        fail(error, "name must be 1 to %d printable characters", CR_CAST_NAME_MAX_CHARS);
        g_free(name);
        return NULL;
    }
    return name;
}

static bool all_chars(const char *s, const char *allowed)
{
    return s[strspn(s, allowed)] == '\0';
}

bool cr_cast_parse_streamid(const char *sid, char **code, char **name, char **error)
{
    *code = *name = *error = NULL;
    char *c = NULL, *n = NULL;
    if (!sid || strlen(sid) > 512 || !g_utf8_validate(sid, -1, NULL))
        return fail(error, "no usable stream id");
    if (g_str_has_prefix(sid, "#!::")) {
        char **kv = g_strsplit(sid + 4, ",", 16);
        for (char **p = kv; *p; p++) {
            if (g_str_has_prefix(*p, "u=") && !n)
                n = g_strdup(*p + 2);
            else if (g_str_has_prefix(*p, "r=") && !c)
                c = g_strdup(*p + 2);
        }
        g_strfreev(kv);
    } else {
        const char *slash = strchr(sid, '/');
        if (slash) {
            c = g_strndup(sid, (gsize)(slash - sid));
            n = g_strdup(slash + 1);
        }
    }
    if (!c || !*c || strlen(c) > 16 || !all_chars(c, "0123456789") || !n) {
        g_free(c);
        g_free(n);
        return fail(error, "the stream id must be CODE/NAME or #!::u=NAME,r=CODE");
    }
    char *checked = check_name(n, error);
    g_free(n);
    if (!checked) {
        g_free(c);
        return false;
    }
    *code = c;
    *name = checked;
    return true;
}

static bool check_hello(struct cr_cast_msg *m, char **error)
{
    if (!m->code && !m->resume)
        return fail(error, "hello needs a code or a resume token");
    if (m->code) {
        size_t n = strlen(m->code);
        if (n < 1 || n > 16 || !all_chars(m->code, "0123456789"))
            return fail(error, "the code is made of digits");
    }
    if (m->resume &&
        (strlen(m->resume) != CR_CAST_RESUME_LEN || !all_chars(m->resume, "0123456789abcdef")))
        return fail(error, "malformed resume token");
    char *name = check_name(m->name, error);
    if (!name)
        return false;
    g_free(m->name);
    m->name = name;
    return true;
}

static bool check_values(struct cr_cast_msg *m, char **error)
{
    switch (m->type) {
    case CR_CAST_MSG_HELLO:
        return check_hello(m, error);
    case CR_CAST_MSG_OFFER:
        if (strlen(m->sdp) > CR_CAST_MAX_SDP || !g_str_has_prefix(m->sdp, "v=0") ||
            !g_utf8_validate(m->sdp, -1, NULL))
            return fail(error, "malformed SDP offer");
        return true;
    case CR_CAST_MSG_ICE:
        if (strlen(m->candidate) > CR_CAST_MAX_CANDIDATE ||
            (*m->candidate && !g_str_has_prefix(m->candidate, "candidate:")) ||
            strpbrk(m->candidate, "\r\n") || !g_utf8_validate(m->candidate, -1, NULL))
            return fail(error, "malformed ICE candidate");
        if (m->mline < 0 || m->mline > 15)
            return fail(error, "sdpMLineIndex out of range");
        return true;
    case CR_CAST_MSG_STATS:
        if (m->width < 0 || m->width > 8192 || m->height < 0 || m->height > 8192 || m->fps < 0 ||
            m->fps > 240)
            return fail(error, "stats out of range");
        return true;
    case CR_CAST_MSG_BYE:
        return true;
    }
    return fail(error, "unknown message");
}

static bool read_fields(JsonObject *o, size_t s, struct cr_cast_msg *m, char **error)
{
    /* No member outside the schema. */
    GList *members = json_object_get_members(o);
    for (GList *l = members; l; l = l->next) {
        const char *key = l->data;
        bool known = !strcmp(key, "type");
        for (const struct field *f = schemas[s].fields; !known && f->name; f++)
            known = !strcmp(f->name, key);
        if (!known) {
            g_list_free(members);
            return fail(error, "unexpected member \"%.32s\" in %s", key, schemas[s].name);
        }
    }
    g_list_free(members);

    for (const struct field *f = schemas[s].fields; f->name; f++) {
        JsonNode *n = json_object_get_member(o, f->name);
        if (!n || JSON_NODE_HOLDS_NULL(n)) {
            if (f->required)
                return fail(error, "%s needs \"%s\"", schemas[s].name, f->name);
            continue;
        }
        gint64 iv = 0;
        double dv = 0;
        if (f->type == G_TYPE_STRING && !is_string(n))
            return fail(error, "\"%s\" must be a string", f->name);
        if (f->type == G_TYPE_INT64 && (!get_int(n, &iv) || iv < G_MININT || iv > G_MAXINT))
            return fail(error, "\"%s\" must be an integer", f->name);
        if (f->type == G_TYPE_DOUBLE && !get_double(n, &dv))
            return fail(error, "\"%s\" must be a number", f->name);

        const char *sv = f->type == G_TYPE_STRING ? json_node_get_string(n) : NULL;
        if (!strcmp(f->name, "name"))
            m->name = g_strdup(sv);
        else if (!strcmp(f->name, "code"))
            m->code = g_strdup(sv);
        else if (!strcmp(f->name, "resume"))
            m->resume = g_strdup(sv);
        else if (!strcmp(f->name, "sdp"))
            m->sdp = g_strdup(sv);
        else if (!strcmp(f->name, "candidate"))
            m->candidate = g_strdup(sv);
        else if (!strcmp(f->name, "sdpMLineIndex"))
            m->mline = (int)iv;
        else if (!strcmp(f->name, "width"))
            m->width = (int)iv;
        else if (!strcmp(f->name, "height"))
            m->height = (int)iv;
        else if (!strcmp(f->name, "fps"))
            m->fps = dv;
    }
    return true;
}

bool cr_cast_msg_parse(const char *data, size_t len, struct cr_cast_msg *out, char **error)
{
    memset(out, 0, sizeof(*out));
    *error = NULL;
    if (len > CR_CAST_MAX_MESSAGE)
        return fail(error, "message too large (%zu bytes)", len);
    if (len == 0 || memchr(data, '\0', len))
        return fail(error, "empty or binary message");

    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    g_autoptr(GError) err = NULL;
    if (!json_parser_load_from_data(parser, data, (gssize)len, &err))
        return fail(error, "not JSON: %s", err->message);
    JsonNode *root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root))
        return fail(error, "not a JSON object");
    JsonObject *o = json_node_get_object(root);
    JsonNode *t = json_object_get_member(o, "type");
    if (!t || !is_string(t))
        return fail(error, "no \"type\"");
    const char *type = json_node_get_string(t);
    for (size_t s = 0; s < CR_ARRAY_SIZE(schemas); s++) {
        if (strcmp(schemas[s].name, type))
            continue;
        out->type = schemas[s].type;
        if (read_fields(o, s, out, error) && check_values(out, error))
            return true;
        cr_cast_msg_clear(out);
        return false;
    }
    return fail(error, "unknown message type \"%.32s\"", type);
}

void cr_cast_msg_clear(struct cr_cast_msg *m)
{
    g_free(m->name);
    g_free(m->code);
    g_free(m->resume);
    g_free(m->sdp);
    g_free(m->candidate);
    memset(m, 0, sizeof(*m));
}

/* --- outgoing ------------------------------------------------------------ */

static JsonBuilder *begin(const char *type)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "type");
    json_builder_add_string_value(b, type);
    return b;
}

static char *finish(JsonBuilder *b)
{
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    char *text = json_to_string(root, FALSE);
    json_node_unref(root);
    g_object_unref(b);
    return text;
}

static void add_string(JsonBuilder *b, const char *name, const char *value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_string_value(b, value);
}

static void add_int(JsonBuilder *b, const char *name, gint64 value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, value);
}

char *cr_cast_msg_welcome(unsigned id, const char *resume, const char *codec)
{
    JsonBuilder *b = begin("welcome");
    add_int(b, "id", id);
    add_string(b, "resume", resume);
    add_string(b, "codec", codec);
    return finish(b);
}

char *cr_cast_msg_state(const char *state)
{
    JsonBuilder *b = begin("state");
    add_string(b, "state", state);
    return finish(b);
}

char *cr_cast_msg_error(const char *reason)
{
    JsonBuilder *b = begin("error");
    add_string(b, "reason", reason);
    return finish(b);
}

char *cr_cast_msg_answer(const char *sdp)
{
    JsonBuilder *b = begin("answer");
    add_string(b, "sdp", sdp);
    return finish(b);
}

char *cr_cast_msg_ice(const char *candidate, unsigned mline)
{
    JsonBuilder *b = begin("ice");
    add_string(b, "candidate", candidate);
    add_int(b, "sdpMLineIndex", mline);
    return finish(b);
}

char *cr_cast_msg_size(int width, int height, int fps, int max_bitrate)
{
    JsonBuilder *b = begin("size");
    add_int(b, "width", width);
    add_int(b, "height", height);
    add_int(b, "fps", fps);
    add_int(b, "maxBitrate", max_bitrate);
    return finish(b);
}

struct cr_cast_request cr_cast_request_for_cell(int cell_w, int cell_h, bool live)
{
    struct cr_cast_request r;
    r.width = CR_CLAMP(cell_w, 160, 3840) & ~1;
    r.height = CR_CLAMP(cell_h, 90, 2160) & ~1;
    r.fps = live ? 30 : 10;
    /* ~0.1 bit per pixel per frame for screen content, within sane bounds. */
    double bps = (double)r.width * r.height * r.fps * 0.1;
    r.max_bitrate = (int)CR_CLAMP(bps, 150000.0, 8000000.0);
    return r;
}
