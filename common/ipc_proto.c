/* The control socket's wire format: parsing requests, formatting replies and
 * events. Pure functions, no I/O. */
#include "common/ipc.h"

#include <string.h>

/* Text of a JSON number argument: integers as such, other numbers in the
 * shortest form that reads back to the same double. */
static char *number_text(JsonNode *node)
{
    if (json_node_get_value_type(node) == G_TYPE_INT64)
        return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));

    double d = json_node_get_double(node);
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(buf, sizeof(buf), "%.15g", d);
    if (g_ascii_strtod(buf, NULL) != d)
        g_ascii_formatd(buf, sizeof(buf), "%.17g", d);
    return g_strdup(buf);
}

/* Text of one "command" element, or NULL if it is not a string, number or
 * boolean. */
static char *argument_text(JsonNode *node)
{
    if (!JSON_NODE_HOLDS_VALUE(node))
        return NULL;
    GType type = json_node_get_value_type(node);
    if (type == G_TYPE_STRING)
        return g_strdup(json_node_get_string(node));
    if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        return number_text(node);
    if (type == G_TYPE_BOOLEAN)
        return g_strdup(json_node_get_boolean(node) ? "true" : "false");
    return NULL;
}

/* Reads "request_id" into out. Returns false with *error set when it is
 * present but not an integer; null counts as absent. */
static bool parse_request_id(JsonObject *obj, struct cr_ipc_request *out, char **error)
{
    JsonNode *id = json_object_get_member(obj, "request_id");
    if (!id || JSON_NODE_HOLDS_NULL(id))
        return true;
    if (!JSON_NODE_HOLDS_VALUE(id) || json_node_get_value_type(id) != G_TYPE_INT64) {
        *error = g_strdup("\"request_id\" must be an integer");
        return false;
    }
    out->has_id = true;
    out->request_id = json_node_get_int(id);
    return true;
}

/* Fills out->argv/argc from the "command" member of obj. */
static bool parse_command(JsonObject *obj, struct cr_ipc_request *out, char **error)
{
    JsonNode *cmd = json_object_get_member(obj, "command");
    if (!cmd || !JSON_NODE_HOLDS_ARRAY(cmd)) {
        *error = g_strdup("missing \"command\" array");
        return false;
    }
    JsonArray *array = json_node_get_array(cmd);
    unsigned n = json_array_get_length(array);
    if (n == 0) {
        *error = g_strdup("empty \"command\" array");
        return false;
    }
    if (n > CR_IPC_MAX_ARGS) {
        *error = g_strdup_printf("too many command arguments (max %d)", CR_IPC_MAX_ARGS);
        return false;
    }

    char **argv = g_new0(char *, n + 1);
    for (unsigned i = 0; i < n; i++) {
        argv[i] = argument_text(json_array_get_element(array, i));
        if (!argv[i]) {
            *error = g_strdup("command arguments must be strings, numbers or booleans");
            goto free_argv;
        }
    }
    if (!argv[0][0]) {
        *error = g_strdup("empty command name");
        goto free_argv;
    }
    out->argv = argv;
    out->argc = n;
    return true;

free_argv:
    g_strfreev(argv);
    return false;
}

bool cr_ipc_parse_request(const char *line, size_t len, struct cr_ipc_request *out, char **error)
{
    memset(out, 0, sizeof(*out));
    *error = NULL;

    if (len > CR_IPC_MAX_LINE) {
        *error = g_strdup_printf("line too long (max %d bytes)", CR_IPC_MAX_LINE);
        return false;
    }
    if (!g_utf8_validate_len(line, len, NULL)) {
        *error = g_strdup("invalid JSON: not valid UTF-8");
        return false;
    }

    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    g_autoptr(GError) err = NULL;
    if (!json_parser_load_from_data(parser, line, (gssize)len, &err)) {
        *error = g_strdup_printf("invalid JSON: %s", err->message);
        return false;
    }
    JsonNode *root = json_parser_get_root(parser);
    if (!root) {
        *error = g_strdup("invalid JSON: empty request");
        return false;
    }
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        *error = g_strdup("a request must be a JSON object");
        return false;
    }

    JsonObject *obj = json_node_get_object(root);
    if (!parse_request_id(obj, out, error))
        return false;
    return parse_command(obj, out, error);
}

void cr_ipc_request_clear(struct cr_ipc_request *req)
{
    if (!req)
        return;
    g_strfreev(req->argv);
    req->argv = NULL;
    req->argc = 0;
}

void cr_ipc_request_free(struct cr_ipc_request *req)
{
    if (!req)
        return;
    cr_ipc_request_clear(req);
    g_free(req);
}

/* Serialises obj on one line and appends '\n'. Takes ownership of obj. */
static char *object_line(JsonObject *obj)
{
    g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(root, obj);
    g_autoptr(JsonGenerator) gen = json_generator_new();
    json_generator_set_root(gen, root);
    gsize len = 0;
    g_autofree char *text = json_generator_to_data(gen, &len);
    /* The generator escapes control characters inside strings, so the text
     * never holds a newline of its own. */
    return g_strconcat(text, "\n", NULL);
}

char *cr_ipc_format_reply(bool has_id, int64_t request_id, const char *error, JsonNode *data)
{
    JsonObject *obj = json_object_new();
    if (has_id)
        json_object_set_int_member(obj, "request_id", request_id);
    else
        json_object_set_null_member(obj, "request_id");
    json_object_set_string_member(obj, "error", error ? error : "success");
    if (data)
        json_object_set_member(obj, "data", json_node_copy(data));
    return object_line(obj);
}

char *cr_ipc_format_event(const char *name, JsonNode *fields)
{
    g_return_val_if_fail(name != NULL, NULL);
    g_return_val_if_fail(fields == NULL || JSON_NODE_HOLDS_OBJECT(fields), NULL);

    JsonObject *obj = json_object_new();
    json_object_set_string_member(obj, "event", name);
    if (fields) {
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;
        json_object_iter_init(&iter, json_node_get_object(fields));
        while (json_object_iter_next(&iter, &member, &value)) {
            if (strcmp(member, "event") != 0)
                json_object_set_member(obj, member, json_node_copy(value));
        }
    }
    return object_line(obj);
}
