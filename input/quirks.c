/* Device quirks as data. The file format follows libinput's .quirks files:
 *
 *   # a comment
 *   [Section name]
 *   MatchVendor=0x04B8          one or more ids, "0x04B8;0x04B9"
 *   MatchProduct=0x0327
 *   MatchName=*EPSON*Stylus*    a glob (fnmatch, ASCII case ignored)
 *   AttrResolution=100:100      units/mm for ABS_X:ABS_Y when the device has none
 *   ModelBinaryPressure=1       pressure only jumps 0 → max: use a constant
 *   AttrPressureConstant=0.5    that constant (0 < c ≤ 1)
 *
 * A section applies when every Match key of it matches; it needs at least
 * one. Matching sections apply in order (files in load order, sections in
 * file order), each overriding the keys it sets. Problems never stop
 * loading: each is logged once as "file:line: what" and the line skipped; a
 * section with a bad or unknown Match key never matches (better no quirk
 * than a quirk on the wrong device). */
#include "input/quirks.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"

#define MAX_IDS 8
#define MAX_FILE_SIZE (1 << 20)
#define MAX_RESOLUTION 10000 /* units/mm: a 0.1 µm grid, beyond any real device */

struct quirk_section {
    char *name;
    bool broken;    /* a Match key was bad or unknown: never matches */
    bool any_match; /* at least one Match key */
    size_t n_vendors, n_products;
    uint16_t vendors[MAX_IDS], products[MAX_IDS];
    char *name_glob;

    bool has_resolution, has_binary, has_constant;
    int resolution_x, resolution_y;
    bool binary_pressure;
    double pressure_constant;
};

struct cr_quirks {
    GPtrArray *sections; /* struct quirk_section *, owned */
};

struct parser {
    const char *path;
    unsigned line;
    struct quirk_section *section; /* current, or NULL before the first header */
    bool skipping;                 /* after a broken header: its keys are skipped quietly */
    struct cr_quirks *q;
};

static void section_free(gpointer data)
{
    struct quirk_section *s = data;
    g_free(s->name);
    g_free(s->name_glob);
    g_free(s);
}

struct cr_quirks *cr_quirks_new(void)
{
    struct cr_quirks *q = g_new0(struct cr_quirks, 1);
    q->sections = g_ptr_array_new_with_free_func(section_free);
    return q;
}

void cr_quirks_free(struct cr_quirks *q)
{
    if (!q)
        return;
    g_ptr_array_free(q->sections, TRUE);
    g_free(q);
}

static void warn(const struct parser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void warn(const struct parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    cr_warn("quirks", "%s:%u: %s", p->path, p->line, msg);
}

/* Text from a file, shortened and made printable for a message. */
static char *printable(const char *text)
{
    g_autofree char *valid = g_utf8_make_valid(text, -1);
    GString *s = g_string_new(NULL);
    for (const char *c = valid; *c && s->len < 40; c = g_utf8_next_char(c)) {
        gunichar u = g_utf8_get_char(c);
        g_string_append_unichar(s, g_unichar_isprint(u) ? u : '?');
    }
    if (strlen(valid) > s->len)
        g_string_append(s, "…");
    return g_string_free(s, FALSE);
}

/* --- values --- */

/* "0x04B8" or "0x04b8;0x04b9". */
static bool parse_ids(const char *text, uint16_t *ids, size_t *n)
{
    g_auto(GStrv) parts = g_strsplit(text, ";", -1);
    *n = 0;
    for (char **part = parts; *part; part++) {
        char *id = g_strstrip(*part);
        guint64 v;
        if (*n == MAX_IDS || g_ascii_strncasecmp(id, "0x", 2) || !id[2] || strlen(id) > 6 ||
            !g_ascii_string_to_unsigned(id + 2, 16, 0, 0xffff, &v, NULL))
            return false;
        ids[(*n)++] = (uint16_t)v;
    }
    return *n > 0;
}

static bool parse_resolution(const char *text, int *x, int *y)
{
    g_auto(GStrv) parts = g_strsplit(text, ":", -1);
    guint64 vx, vy;
    if (g_strv_length(parts) != 2 ||
        !g_ascii_string_to_unsigned(g_strstrip(parts[0]), 10, 1, MAX_RESOLUTION, &vx, NULL) ||
        !g_ascii_string_to_unsigned(g_strstrip(parts[1]), 10, 1, MAX_RESOLUTION, &vy, NULL))
        return false;
    *x = (int)vx;
    *y = (int)vy;
    return true;
}

static bool parse_bool01(const char *text, bool *out)
{
    if (!strcmp(text, "1") || !strcmp(text, "0")) {
        *out = text[0] == '1';
        return true;
    }
    return false;
}

static bool parse_fraction(const char *text, double *out)
{
    char *end = NULL;
    double v = g_ascii_strtod(text, &end);
    if (end == text || *end || !(v > 0 && v <= 1))
        return false;
    *out = v;
    return true;
}

/* --- lines --- */

static void parse_header(struct parser *p, char *text)
{
    char *close = strrchr(text, ']');
    if (!close || close[1]) {
        warn(p, "section header without a closing ']'; its keys are ignored");
        p->section = NULL;
        p->skipping = true;
        return;
    }
    p->skipping = false;
    *close = '\0';
    const char *name = g_strstrip(text + 1);
    struct quirk_section *s = g_new0(struct quirk_section, 1);
    s->name = g_strdup(*name ? name : "unnamed");
    g_ptr_array_add(p->q->sections, s);
    p->section = s;
}

static void parse_match(struct parser *p, struct quirk_section *s, const char *key,
                        const char *value)
{
    bool ok = true;
    if (!strcmp(key, "MatchVendor")) {
        ok = parse_ids(value, s->vendors, &s->n_vendors);
    } else if (!strcmp(key, "MatchProduct")) {
        ok = parse_ids(value, s->products, &s->n_products);
    } else if (!strcmp(key, "MatchName")) {
        ok = *value != '\0';
        if (ok) {
            g_free(s->name_glob);
            s->name_glob = g_strdup(value);
        }
    } else {
        g_autofree char *k = printable(key);
        warn(p, "unknown match key '%s'; section [%s] will not match any device", k, s->name);
        s->broken = true;
        return;
    }
    if (!ok) {
        g_autofree char *v = printable(value);
        warn(p, "invalid value '%s' for %s; section [%s] will not match any device", v, key,
             s->name);
        s->broken = true;
    }
    s->any_match = true;
}

static void parse_attr(struct parser *p, struct quirk_section *s, const char *key,
                       const char *value)
{
    bool ok;
    const char *expected;
    if (!strcmp(key, "AttrResolution")) {
        ok = parse_resolution(value, &s->resolution_x, &s->resolution_y);
        s->has_resolution |= ok;
        expected = "X:Y in units per mm, e.g. 100:100";
    } else if (!strcmp(key, "ModelBinaryPressure")) {
        ok = parse_bool01(value, &s->binary_pressure);
        s->has_binary |= ok;
        expected = "0 or 1";
    } else if (!strcmp(key, "AttrPressureConstant")) {
        ok = parse_fraction(value, &s->pressure_constant);
        s->has_constant |= ok;
        expected = "a number above 0 and at most 1, e.g. 0.5";
    } else {
        g_autofree char *k = printable(key);
        warn(p, "unknown key '%s'; ignored", k);
        return;
    }
    if (!ok) {
        g_autofree char *v = printable(value);
        warn(p, "invalid value '%s' for %s (expected %s); ignored", v, key, expected);
    }
}

static void parse_line(struct parser *p, char *line)
{
    char *text = g_strstrip(line);
    if (!*text || *text == '#')
        return;
    if (*text == '[') {
        parse_header(p, text);
        return;
    }
    char *eq = strchr(text, '=');
    if (!eq) {
        g_autofree char *t = printable(text);
        warn(p, "'%s' is neither a [section], a Key=Value line nor a # comment; ignored", t);
        return;
    }
    *eq = '\0';
    char *key = g_strstrip(text), *value = g_strstrip(eq + 1);
    if (p->skipping)
        return;
    if (!p->section) {
        g_autofree char *k = printable(key);
        warn(p, "key '%s' outside of a [section]; ignored", k);
        return;
    }
    if (g_str_has_prefix(key, "Match"))
        parse_match(p, p->section, key, value);
    else
        parse_attr(p, p->section, key, value);
}

static void parse_data(struct cr_quirks *q, const char *path, char *data, size_t len)
{
    struct parser p = {.path = path, .q = q};
    guint first = q->sections->len;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3;
        len -= 3;
    }
    char *end = data + len;
    for (char *line = data; line < end;) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        if (nl)
            *nl = '\0';
        p.line++;
        if (memchr(line, '\0', (size_t)((nl ? nl : end) - line)))
            warn(&p, "a NUL byte in the line; ignored");
        else
            parse_line(&p, line);
        line = nl ? nl + 1 : end;
    }
    /* A section with no Match key would apply to every device. */
    for (guint i = first; i < q->sections->len; i++) {
        struct quirk_section *s = q->sections->pdata[i];
        if (!s->any_match && !s->broken) {
            s->broken = true;
            cr_warn("quirks", "%s: section [%s] has no Match key; it will not match any device",
                    path, s->name);
        }
    }
}

bool cr_quirks_load_file(struct cr_quirks *q, const char *path, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, error))
        return false;
    if (len > MAX_FILE_SIZE) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: larger than %d bytes", path,
                    MAX_FILE_SIZE);
        return false;
    }
    guint before = q->sections->len;
    parse_data(q, path, data, len);
    cr_debug("quirks", "%s: %u sections", path, q->sections->len - before);
    return true;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cr_quirks_load_dir(struct cr_quirks *q, const char *dir)
{
    g_autoptr(GError) error = NULL;
    GDir *d = g_dir_open(dir, 0, &error);
    if (!d) {
        if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            cr_warn("quirks", "%s: %s", dir, error->message);
        return;
    }
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        if (name[0] != '.' && g_str_has_suffix(name, ".quirks"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_dir_close(d);
    qsort(names->pdata, names->len, sizeof(char *), compare_names);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(dir, names->pdata[i], NULL);
        g_autoptr(GError) file_error = NULL;
        if (!cr_quirks_load_file(q, path, &file_error))
            cr_warn("quirks", "%s", file_error->message);
    }
}

/* --- matching --- */

static bool id_in(uint16_t id, const uint16_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id)
            return true;
    }
    return false;
}

static bool section_matches(const struct quirk_section *s, uint16_t vendor, uint16_t product,
                            const char *name)
{
    if (s->broken || !s->any_match)
        return false;
    if (s->n_vendors && !id_in(vendor, s->vendors, s->n_vendors))
        return false;
    if (s->n_products && !id_in(product, s->products, s->n_products))
        return false;
    if (s->name_glob) {
        if (!name)
            return false;
        /* Case is ignored (ASCII, as device names are): technicians copy
         * names from lsusb, dmesg and libinput list-devices, which differ. */
        g_autofree char *glob = g_ascii_strdown(s->name_glob, -1);
        g_autofree char *lower = g_ascii_strdown(name, -1);
        if (fnmatch(glob, lower, 0) != 0)
            return false;
    }
    return true;
}

bool cr_quirks_match(const struct cr_quirks *q, uint16_t vendor, uint16_t product, const char *name,
                     struct cr_quirk_attrs *out)
{
    memset(out, 0, sizeof(*out));
    out->pressure_constant = 0.5;
    bool any = false;
    for (guint i = 0; q && i < q->sections->len; i++) {
        const struct quirk_section *s = q->sections->pdata[i];
        if (!section_matches(s, vendor, product, name))
            continue;
        if (s->has_resolution) {
            out->resolution_x = s->resolution_x;
            out->resolution_y = s->resolution_y;
        }
        if (s->has_binary)
            out->binary_pressure = s->binary_pressure;
        if (s->has_constant)
            out->pressure_constant = s->pressure_constant;
        if (any)
            g_strlcat(out->applied, ",", sizeof(out->applied));
        g_strlcat(out->applied, s->name, sizeof(out->applied));
        any = true;
    }
    return any;
}
