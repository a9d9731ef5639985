/* `libinput record` YAML → struct cr_replay, with libyaml's document API
 * (recordings are at most a few MB: a whole-document tree is simplest). */
#include "input/replay.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/util.h"

#define CR_REPLAY_ERROR cr_replay_error_quark()
static G_DEFINE_QUARK(cr - replay - error - quark, cr_replay_error)

    struct parse {
    yaml_document_t *doc;
    GError **error;
};

static bool fail(struct parse *p, const yaml_node_t *n, const char *what)
{
    if (n)
        g_set_error(p->error, CR_REPLAY_ERROR, 0, "line %zu: %s", n->start_mark.line + 1, what);
    else
        g_set_error(p->error, CR_REPLAY_ERROR, 0, "%s", what);
    return false;
}

static yaml_node_t *node(struct parse *p, int id)
{
    return yaml_document_get_node(p->doc, id);
}

/* The value of key in a mapping, or NULL. */
static yaml_node_t *get(struct parse *p, const yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top;
         pair++) {
        yaml_node_t *k = node(p, pair->key);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
            return node(p, pair->value);
    }
    return NULL;
}

static bool is_null(const yaml_node_t *n)
{
    if (!n)
        return true;
    if (n->type != YAML_SCALAR_NODE)
        return false;
    const char *s = (const char *)n->data.scalar.value;
    return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!*s || !strcmp(s, "~") || !strcmp(s, "null"));
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool integer(struct parse *p, const yaml_node_t *n, int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = scalar(n);
    if (!s || !*s)
        return fail(p, n, "expected a number");
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return fail(p, n, "expected a number");
    if (v < lo || v > hi)
        return fail(p, n, "number out of range");
    *out = v;
    return true;
}

static size_t seq_len(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE
               ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
               : 0;
}

static yaml_node_t *seq_at(struct parse *p, const yaml_node_t *n, size_t i)
{
    return node(p, n->data.sequence.items.start[i]);
}

static bool int_list(struct parse *p, const yaml_node_t *n, int64_t *out, size_t want, int64_t lo,
                     int64_t hi)
{
    if (!n || n->type != YAML_SEQUENCE_NODE || seq_len(n) != want)
        return fail(p, n, "expected a list of numbers of the right length");
    for (size_t i = 0; i < want; i++)
        if (!integer(p, seq_at(p, n, i), lo, hi, &out[i]))
            return false;
    return true;
}

static char *dup_scalar(const yaml_node_t *n)
{
    const char *s = scalar(n);
    return cr_xstrdup(s && !is_null(n) ? s : "");
}

bool cr_replay_device_has(const struct cr_replay_device *d, unsigned type, unsigned code)
{
    return type < CR_REPLAY_EV_CNT && code < CR_REPLAY_CODE_CNT && (d->types & (1u << type)) &&
           (d->codes[type][code / 8] & (1u << (code % 8)));
}

void cr_replay_device_set(struct cr_replay_device *d, unsigned type, unsigned code)
{
    if (type < CR_REPLAY_EV_CNT && code < CR_REPLAY_CODE_CNT) {
        d->types |= 1u << type;
        d->codes[type][code / 8] |= 1u << (code % 8);
    }
}

const char *cr_replay_device_udev_property(const struct cr_replay_device *d, const char *key)
{
    size_t n = strlen(key);
    for (char **p = d->udev_properties; p && *p; p++)
        if (!strncmp(*p, key, n) && (*p)[n] == '=')
            return *p + n + 1;
    return NULL;
}

int cr_replay_device_event_number(const struct cr_replay_device *d)
{
    const char *s = d->node ? strrchr(d->node, '/') : NULL;
    s = s ? s + 1 : d->node;
    if (!s || strncmp(s, "event", 5) || !g_ascii_isdigit(s[5]))
        return -1;
    return atoi(s + 5);
}

static bool parse_evdev(struct parse *p, const yaml_node_t *ev, struct cr_replay_device *d)
{
    if (!ev || ev->type != YAML_MAPPING_NODE)
        return fail(p, ev, "device without an evdev description");
    const yaml_node_t *name = get(p, ev, "name");
    if (!scalar(name))
        return fail(p, ev, "evdev description without a name");
    d->name = dup_scalar(name);
    d->phys = dup_scalar(get(p, ev, "phys"));
    d->uniq = dup_scalar(get(p, ev, "uniq"));

    int64_t id[4];
    if (!int_list(p, get(p, ev, "id"), id, 4, 0, UINT16_MAX))
        return false;
    d->bustype = id[0], d->vendor = id[1], d->product = id[2], d->version = id[3];

    const yaml_node_t *codes = get(p, ev, "codes");
    if (!codes || codes->type != YAML_MAPPING_NODE)
        return fail(p, ev, "evdev description without codes");
    for (yaml_node_pair_t *pair = codes->data.mapping.pairs.start;
         pair < codes->data.mapping.pairs.top; pair++) {
        int64_t type;
        if (!integer(p, node(p, pair->key), 0, CR_REPLAY_EV_CNT - 1, &type))
            return false;
        const yaml_node_t *list = node(p, pair->value);
        if (!list || list->type != YAML_SEQUENCE_NODE)
            return fail(p, list, "expected a list of codes");
        d->types |= 1u << type;
        for (size_t i = 0; i < seq_len(list); i++) {
            int64_t code;
            if (!integer(p, seq_at(p, list, i), 0, CR_REPLAY_CODE_CNT - 1, &code))
                return false;
            cr_replay_device_set(d, type, code);
        }
    }

    const yaml_node_t *abs = get(p, ev, "absinfo");
    if (abs && !is_null(abs)) {
        if (abs->type != YAML_MAPPING_NODE)
            return fail(p, abs, "absinfo is not a mapping");
        for (yaml_node_pair_t *pair = abs->data.mapping.pairs.start;
             pair < abs->data.mapping.pairs.top; pair++) {
            int64_t code, v[5];
            if (!integer(p, node(p, pair->key), 0, CR_REPLAY_ABS_CNT - 1, &code) ||
                !int_list(p, node(p, pair->value), v, 5, INT32_MIN, INT32_MAX))
                return false;
            d->absinfo[code] = (struct cr_replay_absinfo){
                (int32_t)v[0], (int32_t)v[1], (int32_t)v[2], (int32_t)v[3], (int32_t)v[4]};
        }
    }

    const yaml_node_t *props = get(p, ev, "properties");
    for (size_t i = 0; i < seq_len(props); i++) {
        int64_t prop;
        if (!integer(p, seq_at(p, props, i), 0, CR_REPLAY_PROP_CNT - 1, &prop))
            return false;
        d->props[prop / 8] |= 1u << (prop % 8);
    }
    return true;
}

static bool parse_udev(struct parse *p, const yaml_node_t *udev, struct cr_replay_device *d)
{
    const yaml_node_t *props = get(p, udev, "properties");
    GPtrArray *a = g_ptr_array_new();
    for (size_t i = 0; i < seq_len(props); i++) {
        const char *s = scalar(seq_at(p, props, i));
        if (s && strchr(s, '='))
            g_ptr_array_add(a, g_strdup(s));
    }
    g_ptr_array_add(a, NULL);
    d->udev_properties = (char **)g_ptr_array_free(a, FALSE);
    return true;
}

static bool parse_events(struct parse *p, const yaml_node_t *events, struct cr_replay_device *d)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(struct cr_replay_event));
    for (size_t i = 0; i < seq_len(events); i++) {
        /* each entry is {evdev: [rows]} or {libinput: [...]} (--with-libinput) */
        const yaml_node_t *rows = get(p, seq_at(p, events, i), "evdev");
        for (size_t j = 0; j < seq_len(rows); j++) {
            int64_t v[5];
            if (!int_list(p, seq_at(p, rows, j), v, 5, INT64_MIN, INT64_MAX))
                goto err_events;
            if (v[1] < 0 || v[1] >= 1000000 || v[2] < 0 || v[2] >= CR_REPLAY_EV_CNT || v[3] < 0 ||
                v[3] >= CR_REPLAY_CODE_CNT || v[4] < INT32_MIN || v[4] > INT32_MAX) {
                fail(p, seq_at(p, rows, j), "event out of range");
                goto err_events;
            }
            /* libinput 1.22 can write a time before the first event as
             * wrapped u64 microseconds split in sec/usec: u64 arithmetic
             * undoes it and leaves normal times unchanged */
            int64_t t = (int64_t)((uint64_t)v[0] * 1000000u + (uint64_t)v[1]);
            struct cr_replay_event e = {t, (uint16_t)v[2], (uint16_t)v[3], (int32_t)v[4]};
            g_array_append_val(out, e);
        }
    }
    d->n_events = out->len;
    d->events = (struct cr_replay_event *)g_array_free(out, FALSE);
    return true;

err_events:
    g_array_free(out, TRUE);
    return false;
}

static void device_clear(struct cr_replay_device *d)
{
    g_free(d->node);
    g_free(d->name);
    g_free(d->phys);
    g_free(d->uniq);
    g_strfreev(d->udev_properties);
    g_free(d->events);
}

void cr_replay_free(struct cr_replay *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_devices; i++)
        device_clear(&r->devices[i]);
    g_free(r->devices);
    g_free(r->libinput_version);
    g_free(r);
}

static struct cr_replay *parse_doc(struct parse *p)
{
    yaml_node_t *root = yaml_document_get_root_node(p->doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        fail(p, root, "not a libinput recording");
        return NULL;
    }
    int64_t version;
    if (!integer(p, get(p, root, "version"), 1, 1, &version))
        return NULL;
    const yaml_node_t *devices = get(p, root, "devices");
    if (!seq_len(devices)) {
        fail(p, root, "recording without devices");
        return NULL;
    }

    struct cr_replay *r = cr_xcalloc(1, sizeof(*r));
    r->libinput_version = dup_scalar(get(p, get(p, root, "libinput"), "version"));
    r->devices = cr_xcalloc(seq_len(devices), sizeof(r->devices[0]));
    for (size_t i = 0; i < seq_len(devices); i++) {
        const yaml_node_t *dn = seq_at(p, devices, i);
        struct cr_replay_device *d = &r->devices[r->n_devices++];
        d->node = dup_scalar(get(p, dn, "node"));
        if (!parse_evdev(p, get(p, dn, "evdev"), d) || !parse_udev(p, get(p, dn, "udev"), d) ||
            !parse_events(p, get(p, dn, "events"), d)) {
            cr_replay_free(r);
            return NULL;
        }
    }
    return r;
}

struct cr_replay *cr_replay_load_data(const char *data, size_t len, GError **error)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    struct parse p = {&doc, error};

    if (!yaml_parser_initialize(&parser)) {
        fail(&p, NULL, "cannot start the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    if (!yaml_parser_load(&parser, &doc)) {
        g_set_error(error, CR_REPLAY_ERROR, 0, "line %zu: %s", parser.problem_mark.line + 1,
                    parser.problem ? parser.problem : "YAML error");
        yaml_parser_delete(&parser);
        return NULL;
    }
    struct cr_replay *r = parse_doc(&p);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return r;
}

struct cr_replay *cr_replay_load_file(const char *path, GError **error)
{
    g_autofree char *data = NULL;
    gsize len;
    if (!g_file_get_contents(path, &data, &len, error))
        return NULL;
    GError *err = NULL;
    struct cr_replay *r = cr_replay_load_data(data, len, &err);
    if (!r)
        g_propagate_prefixed_error(error, err, "%s: ", path);
    return r;
}
