/* GstCaps (as a GstDevice reports them) to craie's camera modes. */
#include <gst/gst.h>

#include "common/log.h"
#include "common/util.h"
#include "display/camera/camera_device.h"

/* Rates above this are not a camera's real rate (open ranges, typos). */
#define CR_MAX_USABLE_FPS 240
/* What an open rate range is run at when it allows it. */
#define CR_RANGE_FPS 30

/* Appends the ints of an int, an int range (its maximum) or a list of them. */
static void collect_ints(const GValue *v, GArray *out)
{
    int x = 0;
    if (G_VALUE_HOLDS_INT(v)) {
        x = g_value_get_int(v);
    } else if (GST_VALUE_HOLDS_INT_RANGE(v)) {
        x = gst_value_get_int_range_max(v);
    } else if (GST_VALUE_HOLDS_LIST(v)) {
        for (guint i = 0; i < gst_value_list_get_size(v); i++)
            collect_ints(gst_value_list_get_value(v, i), out);
        return;
    }
    if (x > 0)
        g_array_append_val(out, x);
}

struct cr_rate {
    int num, den;
};

static bool usable_rate(int num, int den)
{
    return num > 0 && den > 0 && num <= (int64_t)CR_MAX_USABLE_FPS * den;
}

/* Appends the usable rates of a fraction, a fraction range or a list. */
static void collect_rates(const GValue *v, GArray *out)
{
    struct cr_rate r = {0, 0};
    if (GST_VALUE_HOLDS_FRACTION(v)) {
        r.num = gst_value_get_fraction_numerator(v);
        r.den = gst_value_get_fraction_denominator(v);
    } else if (GST_VALUE_HOLDS_FRACTION_RANGE(v)) {
        const GValue *min = gst_value_get_fraction_range_min(v);
        const GValue *max = gst_value_get_fraction_range_max(v);
        r.num = gst_value_get_fraction_numerator(max);
        r.den = gst_value_get_fraction_denominator(max);
        if (!usable_rate(r.num, r.den)) {
            /* An open range ([0/1, 2147483647/1]): run it at 30 if it allows. */
            int min_num = gst_value_get_fraction_numerator(min);
            int min_den = gst_value_get_fraction_denominator(min);
            bool allows = min_den > 0 && min_num <= (int64_t)CR_RANGE_FPS * min_den;
            r.num = allows ? CR_RANGE_FPS : 0;
            r.den = 1;
        }
    } else if (GST_VALUE_HOLDS_LIST(v)) {
        for (guint i = 0; i < gst_value_list_get_size(v); i++)
            collect_rates(gst_value_list_get_value(v, i), out);
        return;
    }
    if (usable_rate(r.num, r.den))
        g_array_append_val(out, r);
}

static enum cr_pixel_format raw_format(const char *name)
{
    if (!g_strcmp0(name, "I420"))
        return CR_PIXEL_I420;
    if (!g_strcmp0(name, "NV12"))
        return CR_PIXEL_NV12;
    if (!g_strcmp0(name, "YUY2"))
        return CR_PIXEL_YUY2;
    return CR_PIXEL_UNKNOWN;
}

/* The raw formats we keep from a "format" field (a string or a list). */
static void collect_formats(const GValue *v, GArray *out)
{
    if (!v)
        return;
    if (G_VALUE_HOLDS_STRING(v)) {
        enum cr_pixel_format f = raw_format(g_value_get_string(v));
        if (f != CR_PIXEL_UNKNOWN)
            g_array_append_val(out, f);
    } else if (GST_VALUE_HOLDS_LIST(v)) {
        for (guint i = 0; i < gst_value_list_get_size(v); i++)
            collect_formats(gst_value_list_get_value(v, i), out);
    }
}

static void add_mode(GArray *modes, const struct cr_camera_mode *m)
{
    for (guint i = 0; i < modes->len; i++) {
        if (cr_camera_mode_equal(&g_array_index(modes, struct cr_camera_mode, i), m))
            return;
    }
    g_array_append_val(modes, *m);
}

/* Pairs widths and heights: a structure normally has one of each; lists of
 * the same length are read as pairs, one value against a list as a
 * column or row of sizes. Anything else is read as the largest size. */
static void add_sizes(GArray *modes, struct cr_camera_mode *tmpl, GArray *widths, GArray *heights)
{
    guint nw = widths->len, nh = heights->len;
    if (nw == 0 || nh == 0)
        return;
    if (nw == nh || nw == 1 || nh == 1) {
        for (guint i = 0; i < CR_MAX(nw, nh); i++) {
            tmpl->width = g_array_index(widths, int, nw == 1 ? 0 : i);
            tmpl->height = g_array_index(heights, int, nh == 1 ? 0 : i);
            add_mode(modes, tmpl);
        }
        return;
    }
    tmpl->width = tmpl->height = 0;
    for (guint i = 0; i < nw; i++)
        tmpl->width = CR_MAX(tmpl->width, g_array_index(widths, int, i));
    for (guint i = 0; i < nh; i++)
        tmpl->height = CR_MAX(tmpl->height, g_array_index(heights, int, i));
    add_mode(modes, tmpl);
}

static void add_structure(GArray *modes, const GstStructure *s)
{
    g_autoptr(GArray) formats = g_array_new(FALSE, FALSE, sizeof(enum cr_pixel_format));
    enum cr_camera_codec codec;
    if (gst_structure_has_name(s, "image/jpeg")) {
        codec = CR_CODEC_MJPEG;
        enum cr_pixel_format none = CR_PIXEL_UNKNOWN;
        g_array_append_val(formats, none);
    } else if (gst_structure_has_name(s, "video/x-raw")) {
        codec = CR_CODEC_RAW;
        collect_formats(gst_structure_get_value(s, "format"), formats);
    } else {
        return;
    }

    g_autoptr(GArray) widths = g_array_new(FALSE, FALSE, sizeof(int));
    g_autoptr(GArray) heights = g_array_new(FALSE, FALSE, sizeof(int));
    g_autoptr(GArray) rates = g_array_new(FALSE, FALSE, sizeof(struct cr_rate));
    const GValue *v;
    if ((v = gst_structure_get_value(s, "width")))
        collect_ints(v, widths);
    if ((v = gst_structure_get_value(s, "height")))
        collect_ints(v, heights);
    if ((v = gst_structure_get_value(s, "framerate")))
        collect_rates(v, rates);

    for (guint f = 0; f < formats->len; f++) {
        for (guint r = 0; r < rates->len; r++) {
            struct cr_rate rate = g_array_index(rates, struct cr_rate, r);
            struct cr_camera_mode tmpl = {
                .codec = codec,
                .raw_format = g_array_index(formats, enum cr_pixel_format, f),
                .fps_num = rate.num,
                .fps_den = rate.den,
            };
            add_sizes(modes, &tmpl, widths, heights);
        }
    }
}

size_t cr_camera_modes_from_caps_string(const char *text, struct cr_camera_mode **modes)
{
    *modes = NULL;
    g_autoptr(GstCaps) caps = text ? gst_caps_from_string(text) : NULL;
    if (!caps) {
        cr_warn("camera", "unreadable device caps: %s", text ? text : "(none)");
        return 0;
    }
    GArray *out = g_array_new(FALSE, FALSE, sizeof(struct cr_camera_mode));
    for (guint i = 0; i < gst_caps_get_size(caps); i++) {
        /* DMABuf and other special memory: the same modes again, or unusable. */
        GstCapsFeatures *features = gst_caps_get_features(caps, i);
        if (features && !gst_caps_features_is_any(features) &&
            !gst_caps_features_is_equal(features, GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY))
            continue;
        add_structure(out, gst_caps_get_structure(caps, i));
    }
    size_t n = out->len;
    *modes = n > 0 ? (struct cr_camera_mode *)g_array_free(out, FALSE) : NULL;
    if (n == 0)
        g_array_free(out, TRUE);
    return n;
}
