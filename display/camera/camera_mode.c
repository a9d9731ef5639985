#include "display/camera/camera_mode.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Rates are compared as fractions; "30 fps" also accepts 30000/1001. */
#define CR_FPS_SMOOTH 25.0
#define CR_FPS_FULL 29.9

double cr_camera_mode_fps(const struct cr_camera_mode *mode)
{
    if (mode->fps_den <= 0)
        return 0.0;
    return (double)mode->fps_num / mode->fps_den;
}

static const struct {
    const char *name;
    enum cr_pixel_format format;
} raw_formats[] = {
    {"I420", CR_PIXEL_I420},
    {"NV12", CR_PIXEL_NV12},
    {"YUY2", CR_PIXEL_YUY2},
};

/* Parses a positive decimal int at *p and moves past it. */
static bool parse_int(const char **p, int *out)
{
    if (!g_ascii_isdigit(**p))
        return false;
    char *end;
    long v = strtol(*p, &end, 10);
    if (v <= 0 || v > 100000)
        return false;
    *out = (int)v;
    *p = end;
    return true;
}

static bool parse_codec(const char *text, struct cr_camera_mode *out)
{
    if (!g_ascii_strcasecmp(text, "mjpeg") || !g_ascii_strcasecmp(text, "jpeg")) {
        out->codec = CR_CODEC_MJPEG;
        out->raw_format = CR_PIXEL_UNKNOWN;
        return true;
    }
    if (!g_ascii_strcasecmp(text, "raw")) {
        out->codec = CR_CODEC_RAW;
        out->raw_format = CR_PIXEL_UNKNOWN;
        return true;
    }
    if (g_ascii_strncasecmp(text, "raw-", 4))
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(raw_formats); i++) {
        if (!g_ascii_strcasecmp(text + 4, raw_formats[i].name)) {
            out->codec = CR_CODEC_RAW;
            out->raw_format = raw_formats[i].format;
            return true;
        }
    }
    return false;
}

bool cr_camera_mode_parse(const char *text, struct cr_camera_mode *out)
{
    struct cr_camera_mode m = {.codec = CR_CODEC_MJPEG, .fps_den = 1};
    const char *p = text;

    if (!p || !parse_int(&p, &m.width) || *p++ != 'x' || !parse_int(&p, &m.height) || *p++ != '@' ||
        !parse_int(&p, &m.fps_num))
        return false;
    /* "@30000/1001" (a denominator) or "@30/raw" (a codec). */
    if (*p == '/' && g_ascii_isdigit(p[1])) {
        p++;
        if (!parse_int(&p, &m.fps_den))
            return false;
    }
    if (*p == '/') {
        if (!parse_codec(p + 1, &m))
            return false;
    } else if (*p != '\0') {
        return false;
    }
    *out = m;
    return true;
}

char *cr_camera_mode_to_string(const struct cr_camera_mode *mode)
{
    char rate[32];
    if (mode->fps_den == 1)
        g_snprintf(rate, sizeof(rate), "%d", mode->fps_num);
    else
        g_snprintf(rate, sizeof(rate), "%d/%d", mode->fps_num, mode->fps_den);

    const char *codec = "mjpeg";
    char raw[16];
    if (mode->codec == CR_CODEC_RAW) {
        if (mode->raw_format == CR_PIXEL_UNKNOWN) {
            codec = "raw";
        } else {
            g_snprintf(raw, sizeof(raw), "raw-%s", cr_pixel_format_name(mode->raw_format));
            codec = raw;
        }
    }
    return g_strdup_printf("%dx%d@%s/%s", mode->width, mode->height, rate, codec);
}

static bool same_rate(const struct cr_camera_mode *a, const struct cr_camera_mode *b)
{
    return (int64_t)a->fps_num * b->fps_den == (int64_t)b->fps_num * a->fps_den;
}

bool cr_camera_mode_equal(const struct cr_camera_mode *a, const struct cr_camera_mode *b)
{
    if (a->codec != b->codec || a->width != b->width || a->height != b->height || !same_rate(a, b))
        return false;
    return a->codec != CR_CODEC_RAW || a->raw_format == b->raw_format;
}

/* The configured mode matches an offered one; "/raw" matches any raw format. */
static bool wanted_matches(const struct cr_camera_mode *wanted, const struct cr_camera_mode *m)
{
    if (wanted->codec != m->codec || wanted->width != m->width || wanted->height != m->height ||
        !same_rate(wanted, m))
        return false;
    return m->codec != CR_CODEC_RAW || wanted->raw_format == CR_PIXEL_UNKNOWN ||
           wanted->raw_format == m->raw_format;
}

static bool is_4k(const struct cr_camera_mode *m)
{
    return m->width >= 3840 && m->height >= 2160;
}

static int64_t area(const struct cr_camera_mode *m)
{
    return (int64_t)m->width * m->height;
}

/* Raw costs no decoding; among raw formats, 4:2:0 uploads half the bytes of YUY2. */
static int codec_rank(const struct cr_camera_mode *m)
{
    if (m->codec == CR_CODEC_MJPEG)
        return 2;
    return m->raw_format == CR_PIXEL_YUY2 ? 1 : 0;
}

/* Comparators: negative when a is the better choice. Each rule compares by
 * its own keys; remaining ties go to the rate nearest 30 from above (more
 * frames than that only cost CPU), then to the list order. */
static int cmp_rate_30(const struct cr_camera_mode *a, const struct cr_camera_mode *b)
{
    double fa = cr_camera_mode_fps(a), fb = cr_camera_mode_fps(b);
    bool full_a = fa >= CR_FPS_FULL, full_b = fb >= CR_FPS_FULL;
    if (full_a != full_b)
        return full_a ? -1 : 1;
    if (fa == fb)
        return 0;
    return (fa < fb) == full_a ? -1 : 1;
}

static int cmp_rate_high(const struct cr_camera_mode *a, const struct cr_camera_mode *b)
{
    double fa = cr_camera_mode_fps(a), fb = cr_camera_mode_fps(b);
    return fa > fb ? -1 : fa < fb ? 1 : 0;
}

static int cmp_4k(const struct cr_camera_mode *a, const struct cr_camera_mode *b)
{
    bool ja = a->codec == CR_CODEC_MJPEG, jb = b->codec == CR_CODEC_MJPEG;
    if (ja != jb)
        return ja ? -1 : 1;
    if (area(a) != area(b))
        return area(a) > area(b) ? -1 : 1;
    return cmp_rate_30(a, b);
}

static int cmp_largest(const struct cr_camera_mode *a, const struct cr_camera_mode *b)
{
    if (area(a) != area(b))
        return area(a) > area(b) ? -1 : 1;
    if (codec_rank(a) != codec_rank(b))
        return codec_rank(a) - codec_rank(b);
    return cmp_rate_30(a, b);
}

static int cmp_fastest(const struct cr_camera_mode *a, const struct cr_camera_mode *b)
{
    int r = cmp_rate_high(a, b);
    if (r != 0)
        return r;
    if (area(a) != area(b))
        return area(a) > area(b) ? -1 : 1;
    return codec_rank(a) - codec_rank(b);
}

enum cr_pick_rule {
    CR_PICK_4K,
    CR_PICK_MJPEG_1080P,
    CR_PICK_LARGEST_SMOOTH,
    CR_PICK_FASTEST,
};

static bool eligible(const struct cr_camera_mode *m, enum cr_pick_rule rule, bool allow_4k)
{
    double fps = cr_camera_mode_fps(m);
    switch (rule) {
    case CR_PICK_4K:
        return is_4k(m) && fps >= CR_FPS_SMOOTH;
    case CR_PICK_MJPEG_1080P:
        return m->codec == CR_CODEC_MJPEG && m->width == 1920 && m->height == 1080 &&
               fps >= CR_FPS_FULL;
    case CR_PICK_LARGEST_SMOOTH:
        return fps >= CR_FPS_SMOOTH && (allow_4k || !is_4k(m));
    case CR_PICK_FASTEST:
        return allow_4k || !is_4k(m);
    }
    return false;
}

static const struct cr_camera_mode *
best(const struct cr_camera_mode *modes, size_t n, enum cr_pick_rule rule, bool allow_4k,
     int (*cmp)(const struct cr_camera_mode *a, const struct cr_camera_mode *b))
{
    const struct cr_camera_mode *found = NULL;
    for (size_t i = 0; i < n; i++) {
        if (eligible(&modes[i], rule, allow_4k) && (!found || cmp(&modes[i], found) < 0))
            found = &modes[i];
    }
    return found;
}

bool cr_camera_pick_mode(const struct cr_camera_mode *modes, size_t n,
                         const struct cr_camera_pick_options *opts, struct cr_camera_mode *out)
{
    if (n == 0)
        return false;
    bool allow_4k = opts && opts->allow_4k;
    const struct cr_camera_mode *m = NULL;

    if (opts && opts->wanted) {
        for (size_t i = 0; i < n && !m; i++) {
            if (wanted_matches(opts->wanted, &modes[i]))
                m = &modes[i];
        }
    }
    if (!m && allow_4k)
        m = best(modes, n, CR_PICK_4K, true, cmp_4k);
    if (!m)
        m = best(modes, n, CR_PICK_MJPEG_1080P, allow_4k, cmp_rate_30);
    if (!m)
        m = best(modes, n, CR_PICK_LARGEST_SMOOTH, allow_4k, cmp_largest);
    if (!m)
        m = best(modes, n, CR_PICK_FASTEST, allow_4k, cmp_fastest);
    if (!m) /* only 4K modes, and 4K not allowed: better than nothing */
        m = best(modes, n, CR_PICK_FASTEST, true, cmp_fastest);
    *out = *m;
    return true;
}
