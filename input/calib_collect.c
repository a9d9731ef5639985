/* While the teacher taps the targets: where the targets go, and whether a
 * tap is plausible for its target (the misclick check). */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "input/calib_private.h"

/* Targets from 1/8 to 7/8 of each side: the inset of xinput_calibrator's
 * targets (inner corners of an 8×8 grid) and of 3M's controllers (12.5 %).
 * Close enough to the edges that little of the screen is extrapolated,
 * far enough from them that a pen camera or an IR frame still sees the tap
 * well and the teacher does not reach over the board's frame; 4×4 then has
 * an even 1/4 spacing. */
#define TARGET_INSET (1.0 / 8.0)

/* Misclick thresholds (calib.h says the rules). */
#define DOUBLE_TOUCH_PX 7.0    /* xinput_calibrator's double-click threshold */
#define FAR_IDENTITY_DIAG 0.25 /* before 4 points: a keystone can be far off */
#define FAR_FIT_DIAG 0.08      /* with a fit: well under a 3×3 grid's spacing */
#define ORDER_MIN_FRACTION 0.2 /* targets this far apart must keep their order */

size_t cr_calib_targets(size_t n, int width, int height, double (*out)[2])
{
    size_t side = n == 4 ? 2 : n == 9 ? 3 : n == 16 ? 4 : 0;
    if (!side || width <= 0 || height <= 0 || !out)
        return 0;
    for (size_t row = 0; row < side; row++) {
        for (size_t col = 0; col < side; col++) {
            double fx = TARGET_INSET + (1 - 2 * TARGET_INSET) * (double)col / (double)(side - 1);
            double fy = TARGET_INSET + (1 - 2 * TARGET_INSET) * (double)row / (double)(side - 1);
            out[row * side + col][0] = fx * width;
            out[row * side + col][1] = fy * height;
        }
    }
    return side * side;
}

static bool refuse(char *why, size_t why_size, const char *text)
{
    if (why && why_size > 0)
        g_strlcpy(why, text, why_size);
    return false;
}

/* A fit of the accepted points: projective from 4 (when it does not fold),
 * affine from 3, else none (false). */
static bool fit_accepted(const struct cr_calib_point *p, size_t n, int width, int height,
                         struct cr_calib *c)
{
    if (n >= 4 && !calib_check_points(p, n, width, height, 4, NULL, 0) &&
        calib_fit_model(CR_CALIB_PROJECTIVE, p, n, width, height, c) == CALIB_FIT_OK)
        return true;
    return n >= 3 && !calib_check_points(p, n, width, height, 3, NULL, 0) &&
           calib_fit_model(CR_CALIB_AFFINE, p, n, width, height, c) == CALIB_FIT_OK;
}

/* A raw displacement in px-equivalent: through the fit's affine part when
 * there is one (its Jacobian), through the identity otherwise. */
static double raw_distance_px(const struct cr_calib *c, double dx, double dy)
{
    return hypot(c->affine[0] * dx + c->affine[1] * dy, c->affine[3] * dx + c->affine[4] * dy);
}

/* Same side rule: for each accepted target far enough away along an axis,
 * the raw position must lie on the same side of that tap's. */
static bool order_consistent(const struct cr_calib_point *p, size_t n, double raw_x, double raw_y,
                             double target_x, double target_y, int width, int height)
{
    for (size_t i = 0; i < n; i++) {
        double tx = target_x - p[i].screen_x, ty = target_y - p[i].screen_y;
        if (fabs(tx) > ORDER_MIN_FRACTION * width && tx * (raw_x - p[i].raw_x) <= 0)
            return false;
        if (fabs(ty) > ORDER_MIN_FRACTION * height && ty * (raw_y - p[i].raw_y) <= 0)
            return false;
    }
    return true;
}

bool cr_calib_plausible(const struct cr_calib_point *accepted, size_t n, double raw_x, double raw_y,
                        double target_x, double target_y, int width, int height, char *why,
                        size_t why_size)
{
    if (!isfinite(raw_x) || !isfinite(raw_y) || !isfinite(target_x) || !isfinite(target_y) ||
        width <= 0 || height <= 0)
        return refuse(why, why_size, CR_CALIB_WHY_NOT_FINITE);
    if (n > CR_CALIB_MAX_POINTS)
        n = CR_CALIB_MAX_POINTS;
    if (n > 0 && !accepted)
        n = 0;

    struct cr_calib fit;
    bool fitted = fit_accepted(accepted, n, width, height, &fit);
    if (!fitted)
        cr_calib_identity(&fit, width, height);

    for (size_t i = 0; i < n; i++) {
        if (raw_distance_px(&fit, raw_x - accepted[i].raw_x, raw_y - accepted[i].raw_y) <
            DOUBLE_TOUCH_PX)
            return refuse(why, why_size, CR_CALIB_WHY_DOUBLE_TOUCH);
    }

    double diagonal = hypot(width, height);
    double sx, sy;
    if (n >= 4 && fitted) {
        cr_calib_apply(&fit, raw_x, raw_y, &sx, &sy);
        if (!(hypot(sx - target_x, sy - target_y) <= FAR_FIT_DIAG * diagonal))
            return refuse(why, why_size, CR_CALIB_WHY_TOO_FAR);
        return true;
    }
    if (!(hypot(raw_x * width - target_x, raw_y * height - target_y) <=
          FAR_IDENTITY_DIAG * diagonal))
        return refuse(why, why_size, CR_CALIB_WHY_TOO_FAR);
    if (!order_consistent(accepted, n, raw_x, raw_y, target_x, target_y, width, height))
        return refuse(why, why_size, CR_CALIB_WHY_ORDER);
    return true;
}
