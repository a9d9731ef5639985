/* Configuration values: defaults from the table, setting one option from
 * text, and reading INI files and their drop-ins. The parser is our own
 * (not GKeyFile) so that every problem carries its file and line, and so
 * that any input, binary or not, only ever yields diagnostics. */
#include "common/config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/log.h"
#include "common/util.h"

#define MAX_FILE_SIZE (1024 * 1024)
#define MAX_LINE_LEN 8192
#define MAX_DIAGS_PER_FILE 20
#define MAX_QUOTED_CHARS 40
#define MAX_NAME_FOR_DISTANCE 64

static void *field_of(struct cr_config *cfg, const struct cr_option *opt)
{
    return (char *)cfg + opt->offset;
}

static bool is_text_type(enum cr_option_type type)
{
    return type == CR_OPT_STRING || type == CR_OPT_PATH || type == CR_OPT_CHOICE;
}

/* User text made safe for a message: control characters and bytes that
 * are not UTF-8 as \xNN, cut after MAX_QUOTED_CHARS characters. */
static char *sanitize(const char *text)
{
    GString *out = g_string_new(NULL);
    const char *p = text;
    unsigned chars = 0;
    while (*p) {
        if (chars++ == MAX_QUOTED_CHARS) {
            g_string_append(out, "...");
            break;
        }
        gunichar c = g_utf8_get_char_validated(p, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append_printf(out, "\\x%02X", (unsigned char)*p);
            p++;
        } else if (c < 0x20 || c == 0x7f) {
            g_string_append_printf(out, "\\x%02X", (unsigned)c);
            p++;
        } else {
            const char *next = g_utf8_next_char(p);
            g_string_append_len(out, p, next - p);
            p = next;
        }
    }
    return g_string_free(out, FALSE);
}

/* The same between single quotes. */
static char *quote(const char *text)
{
    g_autofree char *clean = sanitize(text);
    return g_strdup_printf("'%s'", clean);
}

static char *expand_home(const char *path)
{
    if (!strcmp(path, "~"))
        return g_strdup(g_get_home_dir());
    if (g_str_has_prefix(path, "~/"))
        return g_build_filename(g_get_home_dir(), path + 2, NULL);
    return g_strdup(path);
}

bool cr_config_parse_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (!g_ascii_strcasecmp(text, yes[i])) {
            *out = true;
            return true;
        }
        if (!g_ascii_strcasecmp(text, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

static bool parse_int(const char *text, int min, int max, int *out, bool *out_of_range)
{
    *out_of_range = false;
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    if (!g_ascii_isdigit(*p))
        return false;
    char *end;
    errno = 0;
    gint64 v = g_ascii_strtoll(text, &end, 10);
    if (*end)
        return false;
    if (errno == ERANGE || v < min || v > max) {
        *out_of_range = true;
        return false;
    }
    *out = (int)v;
    return true;
}

/* Why text cannot be a string value, or NULL when it can. */
static const char *text_problem(const char *text)
{
    if (!g_utf8_validate(text, -1, NULL))
        return "not valid UTF-8";
    for (const char *p = text; *p; p++) {
        if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
            return "contains a control character";
    }
    return NULL;
}

static char *choices_text(const struct cr_option *opt)
{
    GString *s = g_string_new(NULL);
    for (const char *const *c = opt->choices; c && *c; c++)
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", *c);
    return g_string_free(s, FALSE);
}

static void set_error(char **error, const struct cr_option *opt, const char *value, const char *fmt,
                      ...) G_GNUC_PRINTF(4, 5);

static void set_error(char **error, const struct cr_option *opt, const char *value, const char *fmt,
                      ...)
{
    if (!error)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autofree char *quoted = quote(value);
    *error = g_strdup_printf("invalid value %s for %s.%s: %s", quoted, opt->section, opt->key, why);
}

bool cr_config_set_option(struct cr_config *cfg, const struct cr_option *opt, const char *value,
                          char **error)
{
    void *field = field_of(cfg, opt);
    switch (opt->type) {
    case CR_OPT_BOOL: {
        bool b;
        if (!cr_config_parse_bool(value, &b)) {
            set_error(error, opt, value, "expected true or false (or yes/no, on/off, 1/0)");
            return false;
        }
        *(bool *)field = b;
        return true;
    }
    case CR_OPT_INT: {
        int v;
        bool out_of_range;
        if (!parse_int(value, opt->min, opt->max, &v, &out_of_range)) {
            set_error(error, opt, value, "%sexpected a whole number from %d to %d",
                      out_of_range ? "out of range, " : "", opt->min, opt->max);
            return false;
        }
        *(int *)field = v;
        return true;
    }
    case CR_OPT_STRING:
    case CR_OPT_PATH:
    case CR_OPT_CHOICE:
        break;
    }

    const char *problem = text_problem(value);
    if (problem) {
        set_error(error, opt, value, "%s", problem);
        return false;
    }
    char *copy = NULL;
    if (opt->type == CR_OPT_CHOICE) {
        for (const char *const *c = opt->choices; c && *c; c++) {
            if (!g_ascii_strcasecmp(value, *c)) {
                copy = g_strdup(*c);
                break;
            }
        }
        if (!copy) {
            g_autofree char *list = choices_text(opt);
            set_error(error, opt, value, "expected one of: %s", list);
            return false;
        }
    } else if (opt->type == CR_OPT_PATH) {
        copy = expand_home(value);
    } else {
        copy = g_strdup(value);
    }
    char **slot = field;
    g_free(*slot);
    *slot = copy;
    return true;
}

void cr_config_init(struct cr_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        g_autofree char *error = NULL;
        if (!cr_config_set_option(cfg, opt, opt->default_value, &error)) {
            /* A bug in the table; the unit tests check every default. */
            cr_err("config", "built-in default: %s", error);
            if (is_text_type(opt->type))
                *(char **)field_of(cfg, opt) = g_strdup("");
        }
    }
}

void cr_config_destroy(struct cr_config *cfg)
{
    for (size_t i = 0; i < cr_options_count; i++) {
        if (is_text_type(cr_options[i].type))
            g_free(*(char **)field_of(cfg, &cr_options[i]));
    }
    g_free(cfg->loaded_file);
    g_strfreev(cfg->diagnostics);
    g_free(cfg->profile_data);
    g_free(cfg->profile_origin);
    memset(cfg, 0, sizeof(*cfg));
}

void cr_config_add_diagnostic(struct cr_config *cfg, const char *origin, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *line = origin ? g_strdup_printf("%s: %s", origin, msg) : g_strdup(msg);
    cr_warn("config", "%s", line);
    cfg->diagnostics = g_renew(char *, cfg->diagnostics, cfg->n_diagnostics + 2);
    cfg->diagnostics[cfg->n_diagnostics++] = line;
    cfg->diagnostics[cfg->n_diagnostics] = NULL;
}

const struct cr_option *cr_config_find_option(const char *name)
{
    for (size_t i = 0; i < cr_options_count; i++) {
        const struct cr_option *opt = &cr_options[i];
        size_t len = strlen(opt->section);
        if (!strncmp(name, opt->section, len) && name[len] == '.' &&
            !strcmp(name + len + 1, opt->key))
            return opt;
    }
    return NULL;
}

unsigned cr_config_name_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAX_NAME_FOR_DISTANCE || lb > MAX_NAME_FOR_DISTANCE)
        return UINT_MAX;
    unsigned row[MAX_NAME_FOR_DISTANCE + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned up = row[j];
            unsigned cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
            row[j] = CR_MIN(CR_MIN(row[j] + 1, row[j - 1] + 1), diag + cost);
            diag = up;
        }
    }
    return row[lb];
}

static bool close_enough(const char *typed, unsigned distance)
{
    return distance <= CR_MAX(2u, (unsigned)strlen(typed) / 4);
}

/* " (did you mean 'x.y'?)" for a mistyped "section.key", or "". */
static char *suggest_option(const char *name)
{
    const struct cr_option *best = NULL;
    unsigned best_distance = UINT_MAX;
    for (size_t i = 0; i < cr_options_count; i++) {
        g_autofree char *full = g_strconcat(cr_options[i].section, ".", cr_options[i].key, NULL);
        unsigned d = cr_config_name_distance(name, full);
        if (d < best_distance) {
            best_distance = d;
            best = &cr_options[i];
        }
    }
    if (!best || !close_enough(name, best_distance))
        return g_strdup("");
    return g_strdup_printf(" (did you mean '%s.%s'?)", best->section, best->key);
}

bool cr_config_set(struct cr_config *cfg, const char *name, const char *value, const char *origin)
{
    const struct cr_option *opt = cr_config_find_option(name);
    if (!opt) {
        g_autofree char *quoted = quote(name);
        g_autofree char *hint = suggest_option(name);
        cr_config_add_diagnostic(cfg, origin, "unknown option %s%s", quoted, hint);
        return false;
    }
    g_autofree char *error = NULL;
    if (!cr_config_set_option(cfg, opt, value, &error)) {
        cr_config_add_diagnostic(cfg, origin, "%s", error);
        return false;
    }
    return true;
}

/* --- INI parsing --- */

struct parser {
    struct cr_config *cfg;
    const char *name;
    unsigned line;
    unsigned reported;
    unsigned hidden;  /* problems past MAX_DIAGS_PER_FILE, counted only */
    char *section;    /* current [section], NULL before the first header */
    bool skipping;    /* after a bad or unknown header: its keys are skipped quietly */
    GHashTable *seen; /* "section.key" (owned) -> line where this file set it */
};

static void report(struct parser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void report(struct parser *p, const char *fmt, ...)
{
    if (p->reported >= MAX_DIAGS_PER_FILE) {
        p->hidden++;
        return;
    }
    p->reported++;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autofree char *origin = g_strdup_printf("%s:%u", p->name, p->line);
    cr_config_add_diagnostic(p->cfg, origin, "%s", msg);
}

static bool section_exists(const char *section)
{
    for (size_t i = 0; i < cr_options_count; i++) {
        if (!strcmp(cr_options[i].section, section))
            return true;
    }
    return false;
}

static void parse_header(struct parser *p, char *text)
{
    g_clear_pointer(&p->section, g_free);
    p->skipping = true;
    char *close = strchr(text, ']');
    if (!close) {
        report(p, "missing ']' in section header; keys up to the next header are ignored");
        return;
    }
    char *rest = g_strstrip(close + 1);
    if (*rest && *rest != '#' && *rest != ';') {
        g_autofree char *quoted = quote(rest);
        report(p, "unexpected text %s after ']'; keys up to the next header are ignored", quoted);
        return;
    }
    *close = '\0';
    char *name = g_strstrip(text + 1);
    if (!*name) {
        report(p, "empty section name; keys up to the next header are ignored");
        return;
    }
    if (section_exists(name)) {
        p->section = g_strdup(name);
        p->skipping = false;
        return;
    }
    const char *best = NULL;
    unsigned best_distance = UINT_MAX;
    for (size_t i = 0; i < cr_options_count; i++) {
        unsigned d = cr_config_name_distance(name, cr_options[i].section);
        if (d < best_distance) {
            best_distance = d;
            best = cr_options[i].section;
        }
    }
    g_autofree char *clean = sanitize(name);
    if (best && close_enough(name, best_distance))
        report(p, "unknown section [%s] (did you mean [%s]?); its keys are ignored", clean, best);
    else
        report(p, "unknown section [%s]; its keys are ignored", clean);
}

/* Removes optional double quotes (with \" and \\ inside). Returns false,
 * after reporting, when the quoting is broken. */
static bool unquote(struct parser *p, char *value)
{
    if (value[0] != '"')
        return true;
    char *out = value;
    const char *in = value + 1;
    while (*in && *in != '"') {
        if (in[0] == '\\' && (in[1] == '"' || in[1] == '\\'))
            in++;
        *out++ = *in++;
    }
    if (*in != '"') {
        report(p, "missing closing '\"'");
        return false;
    }
    in++;
    while (*in == ' ' || *in == '\t')
        in++;
    if (*in && *in != '#' && *in != ';') {
        g_autofree char *quoted = quote(in);
        report(p, "unexpected text %s after the closing '\"'", quoted);
        return false;
    }
    *out = '\0';
    return true;
}

static void report_unknown_key(struct parser *p, const char *key, const char *full)
{
    g_autofree char *quoted = quote(key);
    if (!p->section) {
        g_autofree char *hint = suggest_option(full);
        report(p, "unknown option %s%s", quoted, hint);
        return;
    }
    /* A known key in the wrong section. */
    for (size_t i = 0; i < cr_options_count; i++) {
        if (!strcmp(cr_options[i].key, key)) {
            report(p, "unknown key %s in [%s]; it belongs in [%s]", quoted, p->section,
                   cr_options[i].section);
            return;
        }
    }
    const char *best = NULL;
    unsigned best_distance = UINT_MAX;
    for (size_t i = 0; i < cr_options_count; i++) {
        if (strcmp(cr_options[i].section, p->section))
            continue;
        unsigned d = cr_config_name_distance(key, cr_options[i].key);
        if (d < best_distance) {
            best_distance = d;
            best = cr_options[i].key;
        }
    }
    if (best && close_enough(key, best_distance))
        report(p, "unknown key %s in [%s] (did you mean '%s'?)", quoted, p->section, best);
    else
        report(p, "unknown key %s in [%s]", quoted, p->section);
}

static void parse_assignment(struct parser *p, char *text, char *equals)
{
    *equals = '\0';
    char *key = g_strstrip(text);
    char *value = g_strstrip(equals + 1);
    if (!*key) {
        report(p, "missing key before '='");
        return;
    }
    if (p->skipping)
        return;
    g_autofree char *full = NULL;
    if (p->section) {
        full = g_strconcat(p->section, ".", key, NULL);
    } else if (strchr(key, '.')) {
        full = g_strdup(key);
    } else {
        g_autofree char *quoted = quote(key);
        report(p, "key %s comes before any [section] header", quoted);
        return;
    }
    if (!unquote(p, value))
        return;

    const struct cr_option *opt = cr_config_find_option(full);
    if (!opt) {
        report_unknown_key(p, key, full);
        return;
    }
    g_autofree char *error = NULL;
    if (!cr_config_set_option(p->cfg, opt, value, &error)) {
        report(p, "%s", error);
        return;
    }
    gpointer earlier = g_hash_table_lookup(p->seen, full);
    if (earlier)
        report(p, "%s is set again; this value replaces the one on line %u", full,
               GPOINTER_TO_UINT(earlier));
    g_hash_table_insert(p->seen, g_steal_pointer(&full), GUINT_TO_POINTER(p->line));
}

static void parse_line(struct parser *p, const char *start, size_t len)
{
    if (memchr(start, '\0', len)) {
        report(p, "line contains a NUL byte (binary data?); ignored");
        return;
    }
    if (len > MAX_LINE_LEN) {
        report(p, "line is too long (%zu bytes, at most %d); ignored", len, MAX_LINE_LEN);
        return;
    }
    g_autofree char *copy = g_strndup(start, len);
    char *text = g_strstrip(copy);
    if (!*text || *text == '#' || *text == ';')
        return;
    if (!g_utf8_validate(text, -1, NULL)) {
        report(p, "line is not valid UTF-8 (save the file as UTF-8); ignored");
        return;
    }
    if (*text == '[') {
        parse_header(p, text);
        return;
    }
    char *equals = strchr(text, '=');
    if (!equals) {
        g_autofree char *quoted = quote(text);
        report(p, "expected 'key = value', a [section] header or a # comment, not %s", quoted);
        return;
    }
    parse_assignment(p, text, equals);
}

void cr_config_load_data(struct cr_config *cfg, const char *data, size_t len, const char *name)
{
    struct parser p = {
        .cfg = cfg,
        .name = name ? name : "(config)",
        .seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
    };
    static const char bom[] = "\xEF\xBB\xBF";
    if (len >= 3 && !memcmp(data, bom, 3)) {
        data += 3;
        len -= 3;
    }
    const char *end = data + len;
    for (const char *line = data; line < end;) {
        const char *nl = memchr(line, '\n', end - line);
        const char *line_end = nl ? nl : end;
        p.line++;
        parse_line(&p, line, line_end - line);
        line = nl ? nl + 1 : end;
    }
    if (p.hidden)
        cr_config_add_diagnostic(cfg, p.name, "%u more problems in this file were not reported",
                                 p.hidden);
    g_free(p.section);
    g_hash_table_destroy(p.seen);
}

/* Reads a whole regular file of at most MAX_FILE_SIZE bytes. On failure
 * returns NULL and sets *error (g_free) to why, or leaves it NULL when the
 * file does not exist. */
static char *read_small_file(const char *path, size_t *len, char **error)
{
    *error = NULL;
    /* O_NONBLOCK: a FIFO given as --config must not hang craie. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        if (errno != ENOENT)
            *error = g_strdup_printf("cannot read: %s", g_strerror(errno));
        return NULL;
    }
    struct stat st;
    char *buf = NULL;
    size_t got = 0;
    if (fstat(fd, &st) < 0) {
        *error = g_strdup_printf("cannot read: %s", g_strerror(errno));
        goto close_fd;
    }
    if (!S_ISREG(st.st_mode)) {
        *error = g_strdup("not a regular file; ignored");
        goto close_fd;
    }
    /* One byte more than allowed, to notice a file that grows meanwhile. */
    buf = g_malloc(MAX_FILE_SIZE + 1);
    while (got <= MAX_FILE_SIZE) {
        ssize_t n = read(fd, buf + got, MAX_FILE_SIZE + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = g_strdup_printf("cannot read: %s", g_strerror(errno));
            goto free_buf;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    if (got > MAX_FILE_SIZE) {
        *error = g_strdup_printf("file is larger than %d bytes; ignored", MAX_FILE_SIZE);
        goto free_buf;
    }
    close(fd);
    *len = got;
    return buf;

free_buf:
    g_free(buf);
close_fd:
    close(fd);
    return NULL;
}

/* Loads one file; true if it was read. A missing file is reported unless
 * missing_ok; any other problem is always reported. */
static bool load_one(struct cr_config *cfg, const char *path, bool missing_ok)
{
    size_t len = 0;
    g_autofree char *error = NULL;
    g_autofree char *data = read_small_file(path, &len, &error);
    if (!data) {
        if (error)
            cr_config_add_diagnostic(cfg, path, "%s", error);
        else if (!missing_ok)
            cr_config_add_diagnostic(cfg, path, "cannot read: %s", g_strerror(ENOENT));
        return false;
    }
    cr_config_load_data(cfg, data, len, path);
    return true;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.conf files of PATH.d, in name order (byte order, as ls in the C locale). */
static void load_dropins(struct cr_config *cfg, const char *path, bool *read_any)
{
    g_autofree char *dir_path = g_strconcat(path, ".d", NULL);
    g_autoptr(GError) error = NULL;
    GDir *dir = g_dir_open(dir_path, 0, &error);
    if (!dir) {
        if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
            !g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
            cr_config_add_diagnostic(cfg, dir_path, "cannot list drop-ins: %s", error->message);
        return;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir))) {
        if (name[0] != '.' && g_str_has_suffix(name, ".conf"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_dir_close(dir);
    if (names->len > 0) /* an empty GPtrArray's pdata is NULL */
        qsort(names->pdata, names->len, sizeof(char *), compare_names);
    for (unsigned i = 0; i < names->len; i++) {
        g_autofree char *file = g_build_filename(dir_path, names->pdata[i], NULL);
        if (load_one(cfg, file, true) && !*read_any) {
            *read_any = true;
            g_free(cfg->loaded_file);
            cfg->loaded_file = g_strdup(file);
        }
    }
    g_ptr_array_free(names, TRUE);
}

void cr_config_use_profile(struct cr_config *cfg, const char *data, size_t len, const char *origin)
{
    g_free(cfg->profile_data);
    g_free(cfg->profile_origin);
    cfg->profile_data = g_strndup(data, len);
    cfg->profile_len = len;
    cfg->profile_origin = g_strdup(origin);
}

/* The profile, over the main file: it may not move itself (profile.*). */
static void load_profile(struct cr_config *cfg)
{
    char *keep[] = {g_strdup(cfg->profile.url), g_strdup(cfg->profile.public_key),
                    g_strdup(cfg->profile.ca_file)};
    char **fields[] = {&cfg->profile.url, &cfg->profile.public_key, &cfg->profile.ca_file};
    cr_config_load_data(cfg, cfg->profile_data, cfg->profile_len, cfg->profile_origin);
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        if (strcmp(*fields[i], keep[i]))
            cr_config_add_diagnostic(cfg, cfg->profile_origin,
                                     "a profile cannot change the profile settings: ignored");
        g_free(*fields[i]);
        *fields[i] = keep[i];
    }
}

bool cr_config_load_file(struct cr_config *cfg, const char *path, bool required)
{
    bool read_main = load_one(cfg, path, !required);
    if (read_main) {
        g_free(cfg->loaded_file);
        cfg->loaded_file = g_strdup(path);
    }
    if (cfg->profile_data)
        load_profile(cfg);
    bool read_any = read_main;
    load_dropins(cfg, path, &read_any);
    return read_main || !required;
}

/* --- resolved paths --- */

char *cr_config_ipc_socket_path(const struct cr_config *cfg)
{
    if (cfg->ipc.socket && *cfg->ipc.socket)
        return expand_home(cfg->ipc.socket);
    return cr_ipc_default_socket_path();
}

char *cr_config_save_dir(const struct cr_config *cfg)
{
    if (cfg->camera.save_dir && *cfg->camera.save_dir)
        return expand_home(cfg->camera.save_dir);
    const char *pictures = g_get_user_special_dir(G_USER_DIRECTORY_PICTURES);
    if (pictures && *pictures)
        return g_build_filename(pictures, "craie", NULL);
    return g_build_filename(g_get_home_dir(), "craie", NULL);
}
