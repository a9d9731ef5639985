/* The text form of a calibration, for the calibration store (calib.h gives
 * the grammar). Numbers go through g_ascii_dtostr / g_ascii_strtod: the same
 * text under every locale, and exact (17 significant digits) both ways. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "common/util.h"
#include "input/calib_private.h"

/* v1: identity, affine, projective, projective+smooth; v2 adds
 * projective+radial and its r= field. Each calibration is written in the
 * lowest version that can say it. */
#define TEXT_V1 "v1"
#define TEXT_V2 "v2"
#define TEXT_MAX_SIZE 16384
#define TEXT_MAX_LEN 16384

static void append_list(GString *s, const char *key, const double *v, size_t n)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(s, " %s=", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            g_string_append_c(s, ',');
        g_string_append(s, g_ascii_dtostr(buf, sizeof(buf), v[i]));
    }
}

char *cr_calib_to_string(const struct cr_calib *c)
{
    GString *s = g_string_new(NULL);
    const char *version = c->model == CR_CALIB_PROJECTIVE_RADIAL ? TEXT_V2 : TEXT_V1;
    g_string_append_printf(s, "%s %s %d %d", version, cr_calib_model_name(c->model), c->width,
                           c->height);
    if (c->model == CR_CALIB_IDENTITY)
        return g_string_free(s, FALSE);
    append_list(s, "a", c->affine, 6);
    if (c->model == CR_CALIB_AFFINE)
        return g_string_free(s, FALSE);
    append_list(s, "h", c->h, 9);
    if (c->model == CR_CALIB_PROJECTIVE)
        return g_string_free(s, FALSE);
    if (c->model == CR_CALIB_PROJECTIVE_RADIAL) {
        const double r[4] = {c->radial_origin[0], c->radial_origin[1], c->radial_scale,
                             c->radial_k1};
        append_list(s, "r", r, 4);
        return g_string_free(s, FALSE);
    }
    const double tps[4] = {c->tps_origin[0], c->tps_origin[1], c->tps_scale, c->tps_lambda};
    append_list(s, "tps", tps, 4);
    size_t n = (size_t)CR_CLAMP(c->n_centres, 0, CR_CALIB_MAX_POINTS);
    append_list(s, "c", &c->centres[0][0], 2 * n);
    append_list(s, "w", &c->weights[0][0], 2 * (n + 3));
    return g_string_free(s, FALSE);
}

/* Parses "x,y,z" (exactly max values, or any count up to max when count is
 * not NULL); every value finite. */
static bool parse_list(const char *text, double *v, size_t max, size_t *count)
{
    size_t n = 0;
    const char *p = text;
    while (*p) {
        if (n == max)
            return false;
        char *end = NULL;
        double x = g_ascii_strtod(p, &end);
        if (end == p || !isfinite(x))
            return false;
        v[n++] = x;
        if (*end == ',' && end[1])
            p = end + 1;
        else if (*end)
            return false;
        else
            p = end;
    }
    if (count) {
        *count = n;
        return n > 0;
    }
    return n == max;
}

static bool parse_int(const char *text, int *out)
{
    gint64 v;
    if (!g_ascii_string_to_signed(text, 10, 1, TEXT_MAX_SIZE, &v, NULL))
        return false;
    *out = (int)v;
    return true;
}

/* The models a text version knows. */
static bool parse_model(const char *text, int version, enum cr_calib_model *m)
{
    int last = version >= 2 ? CR_CALIB_PROJECTIVE_RADIAL : CR_CALIB_PROJECTIVE_SMOOTH;
    for (int i = CR_CALIB_IDENTITY; i <= last; i++) {
        if (!strcmp(text, cr_calib_model_name((enum cr_calib_model)i))) {
            *m = (enum cr_calib_model)i;
            return true;
        }
    }
    return false;
}

/* What a model needs, as bits: a, h, tps, c, w, r. */
enum { HAS_A = 1, HAS_H = 2, HAS_TPS = 4, HAS_C = 8, HAS_W = 16, HAS_R = 32 };

static unsigned needed(enum cr_calib_model m)
{
    switch (m) {
    case CR_CALIB_IDENTITY:
        return 0;
    case CR_CALIB_AFFINE:
        return HAS_A;
    case CR_CALIB_PROJECTIVE:
        return HAS_A | HAS_H;
    case CR_CALIB_PROJECTIVE_SMOOTH:
        return HAS_A | HAS_H | HAS_TPS | HAS_C | HAS_W;
    case CR_CALIB_PROJECTIVE_RADIAL:
        return HAS_A | HAS_H | HAS_R;
    }
    return 0;
}

static bool parse_field(const char *token, struct cr_calib *c, unsigned *seen, size_t *n_c,
                        size_t *n_w)
{
    const char *eq = strchr(token, '=');
    if (!eq)
        return false;
    g_autofree char *key = g_strndup(token, (gsize)(eq - token));
    const char *value = eq + 1;
    unsigned bit;
    bool ok;
    if (!strcmp(key, "a")) {
        bit = HAS_A;
        ok = parse_list(value, c->affine, 6, NULL);
    } else if (!strcmp(key, "h")) {
        bit = HAS_H;
        ok = parse_list(value, c->h, 9, NULL);
    } else if (!strcmp(key, "tps")) {
        double t[4];
        bit = HAS_TPS;
        ok = parse_list(value, t, 4, NULL) && t[2] > 0 && t[3] >= 0;
        if (ok) {
            c->tps_origin[0] = t[0];
            c->tps_origin[1] = t[1];
            c->tps_scale = t[2];
            c->tps_lambda = t[3];
        }
    } else if (!strcmp(key, "c")) {
        bit = HAS_C;
        ok = parse_list(value, &c->centres[0][0], 2 * CR_CALIB_MAX_POINTS, n_c);
    } else if (!strcmp(key, "r")) {
        double r[4];
        bit = HAS_R;
        ok = parse_list(value, r, 4, NULL) && r[2] > 0 && calib_radial_ok(r[3]);
        if (ok) {
            c->radial_origin[0] = r[0];
            c->radial_origin[1] = r[1];
            c->radial_scale = r[2];
            c->radial_k1 = r[3];
        }
    } else if (!strcmp(key, "w")) {
        bit = HAS_W;
        ok = parse_list(value, &c->weights[0][0], 2 * (CR_CALIB_MAX_POINTS + 3), n_w);
    } else {
        return false;
    }
    if (!ok || (*seen & bit))
        return false;
    *seen |= bit;
    return true;
}

bool cr_calib_from_string(const char *s, struct cr_calib *out)
{
    if (!s || strlen(s) > TEXT_MAX_LEN || !g_utf8_validate(s, -1, NULL))
        return false;
    g_autofree char *copy = g_strstrip(g_strdup(s));
    g_auto(GStrv) tokens = g_strsplit_set(copy, " \t", -1);
    /* g_strsplit_set gives empty tokens for repeated blanks: refuse them too
     * (the text is machine-written, one blank between fields). */
    guint n_tokens = g_strv_length(tokens);
    struct cr_calib c;
    if (n_tokens < 4)
        return false;
    int version = !strcmp(tokens[0], TEXT_V1) ? 1 : !strcmp(tokens[0], TEXT_V2) ? 2 : 0;
    if (!version)
        return false;
    enum cr_calib_model model;
    int width, height;
    if (!parse_model(tokens[1], version, &model) || !parse_int(tokens[2], &width) ||
        !parse_int(tokens[3], &height))
        return false;
    cr_calib_identity(&c, width, height);
    c.model = model;
    unsigned seen = 0;
    size_t n_c = 0, n_w = 0;
    for (guint i = 4; i < n_tokens; i++) {
        if (!parse_field(tokens[i], &c, &seen, &n_c, &n_w))
            return false;
    }
    if (seen != needed(model))
        return false;
    if (model == CR_CALIB_PROJECTIVE_SMOOTH) {
        if (n_c % 2 || n_c / 2 < 1 || n_w != n_c + 6)
            return false;
        c.n_centres = (int)(n_c / 2);
    }
    *out = c;
    return true;
}
