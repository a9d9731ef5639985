/* The calibration solver: checks a point set, fits the models, picks one by
 * leave-one-out cross-validation, drops one misclick, applies the result.
 * The fits themselves are in calib_fit.c (affine, homography, radial) and
 * calib_tps.c (smooth correction); text form in calib_text.c; targets and
 * the misclick check while collecting in calib_collect.c. */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "input/calib_private.h"

/* Model choice. Leave-one-out (LOO): fit without point i, measure how far the
 * fit puts point i, for every i; the RMS of those distances estimates the
 * error on taps the calibration has not seen, so a model with more
 * parameters does not win by fitting the noise.
 *   - 3 points: affine (nothing else is determined).
 *   - 4 points: LOO cannot judge a homography (3 points do not fix one):
 *     projective when the affine fit leaves more than FOUR_POINT_RESIDUAL_PX
 *     RMS (more than tap noise: a keystone), else affine.
 *   - 5 or more: start from affine; take the next model up (projective,
 *     then projective + radial with ≥ RADIAL_LOO_MIN_POINTS, then the smooth
 *     correction with ≥ 16 points) only when its LOO RMS is below
 *     MORE_COMPLEX_RATIO of the current choice's AND at least
 *     MORE_COMPLEX_MIN_GAIN_PX lower: when the data cannot tell them apart,
 *     the simpler model extrapolates more safely past the outer targets.
 *     Projective and projective + radial must also pass an F-test on the
 *     two perspective terms at PERSPECTIVE_P_VALUE (perspective_test()): LOO
 *     alone, on 9 noisy taps of a square projector, picks a homography about
 *     once in twenty. Projective + radial must pass, besides, an F-test on
 *     k1 against the plain homography at RADIAL_P_VALUE (radial_test()):
 *     on 9 noisy taps of a plain keystone, LOO alone takes the radial model
 *     about once in fifteen, with the test once in forty. The test is
 *     looser than the perspective one: a needless k1 costs ~0.2 px on 9
 *     taps, a missed 2 % barrel over 1 px. So without a keystone craie
 *     stays affine, and the radial model only takes a lens's bend out of a
 *     keystoned image when the taps clearly show it. */
#define FOUR_POINT_RESIDUAL_PX 2.0
#define MORE_COMPLEX_RATIO 0.9
#define MORE_COMPLEX_MIN_GAIN_PX 0.5
#define PERSPECTIVE_P_VALUE 0.01
#define RADIAL_P_VALUE 0.05

/* Outliers: a point whose LOO error exceeds outlier_px and
 * OUTLIER_MEDIAN_FACTOR × the median LOO error of the others is dropped,
 * once, when at least OUTLIER_MIN_POINTS were given (so that a projective
 * LOO is still possible without it); find_outlier() has the details. */
#define OUTLIER_DEFAULT_PX 40.0
#define OUTLIER_MEDIAN_FACTOR 4.0
#define OUTLIER_MIN_POINTS 6
#define OUTLIER_CANDIDATES 3

#define SMOOTH_MIN_POINTS 16
/* The radial fit needs 6 points, so its LOO needs 7. */
#define RADIAL_LOO_MIN_POINTS (CALIB_RADIAL_MIN_POINTS + 1)
#define MAX_OUTPUT_SIZE 16384

/* Geometry tolerances of the checks (see calib_check_points). */
#define RAW_SAME 1e-5 /* device-normalised */
#define SCREEN_SAME_PX 1.0
#define COLLINEAR_RATIO 0.01 /* thinness: minor/major axis of the point cloud */

static void copy_text(char *dst, size_t size, const char *src)
{
    if (dst && size > 0)
        g_strlcpy(dst, src, size);
}

const char *cr_calib_model_name(enum cr_calib_model m)
{
    switch (m) {
    case CR_CALIB_IDENTITY:
        return "identity";
    case CR_CALIB_AFFINE:
        return "affine";
    case CR_CALIB_PROJECTIVE:
        return "projective";
    case CR_CALIB_PROJECTIVE_SMOOTH:
        return "projective+smooth";
    case CR_CALIB_PROJECTIVE_RADIAL:
        return "projective+radial";
    }
    return "unknown";
}

/* --- checks --- */

static double px(const struct cr_calib_point *p, bool screen, int axis)
{
    if (screen)
        return axis ? p->screen_y : p->screen_x;
    return axis ? p->raw_y : p->raw_x;
}

/* Minor/major axis ratio of the cloud (√ of the covariance eigenvalues):
 * 0 for points on a line, 1 for a round cloud. */
static double thinness(const struct cr_calib_point *p, size_t n, bool screen)
{
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += px(&p[i], screen, 0);
        my += px(&p[i], screen, 1);
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = px(&p[i], screen, 0) - mx, dy = px(&p[i], screen, 1) - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    double mean = 0.5 * (sxx + syy);
    double spread = sqrt(0.25 * (sxx - syy) * (sxx - syy) + sxy * sxy);
    double major = mean + spread, minor = fmax(mean - spread, 0.0);
    return major > 0 ? sqrt(minor / major) : 0.0;
}

/* True when all points but at most one lie near one line (through two of
 * them): then no homography is determined. Near: within COLLINEAR_RATIO of
 * the cloud's size. */
static bool all_but_one_on_a_line(const struct cr_calib_point *p, size_t n, bool screen)
{
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        minx = fmin(minx, px(&p[i], screen, 0));
        maxx = fmax(maxx, px(&p[i], screen, 0));
        miny = fmin(miny, px(&p[i], screen, 1));
        maxy = fmax(maxy, px(&p[i], screen, 1));
    }
    double tolerance = COLLINEAR_RATIO * hypot(maxx - minx, maxy - miny);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            double ax = px(&p[i], screen, 0), ay = px(&p[i], screen, 1);
            double dx = px(&p[j], screen, 0) - ax, dy = px(&p[j], screen, 1) - ay;
            double len = hypot(dx, dy);
            if (!(len > 0))
                continue;
            size_t on = 0;
            for (size_t k = 0; k < n; k++) {
                double cross = (px(&p[k], screen, 0) - ax) * dy - (px(&p[k], screen, 1) - ay) * dx;
                if (fabs(cross) / len <= tolerance)
                    on++;
            }
            if (on + 1 >= n)
                return true;
        }
    }
    return false;
}

static bool finite_point(const struct cr_calib_point *p)
{
    return isfinite(p->raw_x) && isfinite(p->raw_y) && isfinite(p->screen_x) &&
           isfinite(p->screen_y);
}

const char *calib_check_points(const struct cr_calib_point *p, size_t n, int width, int height,
                               size_t min_points, char *detail, size_t detail_size)
{
    char buf[160] = "";
    const char *err = NULL;
    if (n < min_points || (n > 0 && !p)) {
        snprintf(buf, sizeof(buf), "%zu points given, %zu needed", n, min_points);
        err = CR_CALIB_ERR_TOO_FEW;
        goto out;
    }
    if (n > CR_CALIB_MAX_POINTS) {
        snprintf(buf, sizeof(buf), "%zu points given, at most %d", n, CR_CALIB_MAX_POINTS);
        err = CR_CALIB_ERR_TOO_MANY;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (!finite_point(&p[i])) {
            snprintf(buf, sizeof(buf), "point %zu is not a finite number", i);
            err = CR_CALIB_ERR_NOT_FINITE;
            goto out;
        }
    }
    if (width <= 0 || height <= 0 || width > MAX_OUTPUT_SIZE || height > MAX_OUTPUT_SIZE) {
        snprintf(buf, sizeof(buf), "output %dx%d", width, height);
        err = CR_CALIB_ERR_BAD_SIZE;
        goto out;
    }
    double rminx = INFINITY, rmaxx = -INFINITY, rminy = INFINITY, rmaxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        rminx = fmin(rminx, p[i].raw_x);
        rmaxx = fmax(rmaxx, p[i].raw_x);
        rminy = fmin(rminy, p[i].raw_y);
        rmaxy = fmax(rmaxy, p[i].raw_y);
    }
    if (n > 1 && rmaxx - rminx < RAW_SAME && rmaxy - rminy < RAW_SAME) {
        snprintf(buf, sizeof(buf), "every tap reported (%g, %g)", p[0].raw_x, p[0].raw_y);
        err = CR_CALIB_ERR_RAW_EQUAL;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            bool same_target = hypot(p[i].screen_x - p[j].screen_x, p[i].screen_y - p[j].screen_y) <
                               SCREEN_SAME_PX;
            bool same_raw = hypot(p[i].raw_x - p[j].raw_x, p[i].raw_y - p[j].raw_y) < RAW_SAME;
            if (same_target || same_raw) {
                snprintf(buf, sizeof(buf), "points %zu and %zu have the same %s", i, j,
                         same_target ? "target" : "raw position");
                err = CR_CALIB_ERR_DUPLICATE;
                goto out;
            }
        }
    }
    for (int screen = 0; screen < 2 && n >= 3; screen++) {
        bool line = thinness(p, n, screen) < COLLINEAR_RATIO;
        bool nearly = !line && min_points >= 4 && all_but_one_on_a_line(p, n, screen);
        if (line || nearly) {
            snprintf(buf, sizeof(buf), "the %s %s on one line", screen ? "targets" : "taps",
                     line ? "are" : "all but one are");
            err = CR_CALIB_ERR_COLLINEAR;
            goto out;
        }
    }
out:
    if (err)
        copy_text(detail, detail_size, buf);
    return err;
}

/* --- fitting one model --- */

void cr_calib_identity(struct cr_calib *c, int width, int height)
{
    memset(c, 0, sizeof(*c));
    c->model = CR_CALIB_IDENTITY;
    c->width = width;
    c->height = height;
    const double a[6] = {width, 0, 0, 0, height, 0};
    memcpy(c->affine, a, sizeof(a));
    const double h[9] = {width, 0, 0, 0, height, 0, 0, 0, 1};
    memcpy(c->h, h, sizeof(h));
}

enum calib_fit_status calib_fit_model(enum cr_calib_model model, const struct cr_calib_point *p,
                                      size_t n, int width, int height, struct cr_calib *out)
{
    cr_calib_identity(out, width, height);
    if (model == CR_CALIB_IDENTITY)
        return CALIB_FIT_OK;
    /* Every model keeps the best affine map: libinput's matrix is made of it. */
    enum calib_fit_status st = calib_fit_affine(p, n, out->affine);
    if (st != CALIB_FIT_OK)
        return st;
    out->model = model;
    if (model == CR_CALIB_AFFINE) {
        const double h[9] = {out->affine[0],
                             out->affine[1],
                             out->affine[2],
                             out->affine[3],
                             out->affine[4],
                             out->affine[5],
                             0,
                             0,
                             1};
        memcpy(out->h, h, sizeof(h));
        return CALIB_FIT_OK;
    }
    if (model == CR_CALIB_PROJECTIVE_RADIAL) {
        /* About the output's centre, in half diagonals (calib.h). */
        out->radial_origin[0] = 0.5 * width;
        out->radial_origin[1] = 0.5 * height;
        out->radial_scale = 0.5 * hypot(width, height);
        return calib_fit_radial(p, n, width, height, out);
    }
    st = calib_fit_homography(p, n, width, height, out->h);
    if (st != CALIB_FIT_OK || model == CR_CALIB_PROJECTIVE)
        return st;
    double lambda;
    if (n < SMOOTH_MIN_POINTS || !calib_tps_choose_lambda(out, p, n, &lambda))
        return CALIB_FIT_DEGENERATE;
    return calib_tps_fit(out, p, n, lambda) ? CALIB_FIT_OK : CALIB_FIT_FOLD;
}

static size_t min_points_for(enum cr_calib_model model)
{
    switch (model) {
    case CR_CALIB_IDENTITY:
        return 0;
    case CR_CALIB_AFFINE:
        return 3;
    case CR_CALIB_PROJECTIVE:
        return 4;
    case CR_CALIB_PROJECTIVE_SMOOTH:
        return SMOOTH_MIN_POINTS;
    case CR_CALIB_PROJECTIVE_RADIAL:
        return CALIB_RADIAL_MIN_POINTS;
    }
    return 0;
}

/* The model to fall back to when one cannot be fitted on all the points. */
static enum cr_calib_model simpler(enum cr_calib_model model)
{
    switch (model) {
    case CR_CALIB_IDENTITY:
    case CR_CALIB_AFFINE:
        return CR_CALIB_IDENTITY;
    case CR_CALIB_PROJECTIVE:
        return CR_CALIB_AFFINE;
    case CR_CALIB_PROJECTIVE_SMOOTH:
    case CR_CALIB_PROJECTIVE_RADIAL:
        return CR_CALIB_PROJECTIVE;
    }
    return CR_CALIB_IDENTITY;
}

static const char *status_error(enum calib_fit_status st)
{
    return st == CALIB_FIT_FOLD ? CR_CALIB_ERR_FOLD : CR_CALIB_ERR_UNSTABLE;
}

bool cr_calib_fit(enum cr_calib_model model, const struct cr_calib_point *pts, size_t n, int width,
                  int height, struct cr_calib *out, char *err, size_t err_size)
{
    const char *why = calib_check_points(pts, n, width, height, min_points_for(model), NULL, 0);
    if (why) {
        copy_text(err, err_size, why);
        cr_calib_identity(out, width, height);
        return false;
    }
    enum calib_fit_status st = calib_fit_model(model, pts, n, width, height, out);
    if (st != CALIB_FIT_OK) {
        copy_text(err, err_size, status_error(st));
        cr_calib_identity(out, width, height);
        return false;
    }
    return true;
}

/* --- applying --- */

void cr_calib_apply(const struct cr_calib *c, double raw_x, double raw_y, double *sx, double *sy)
{
    switch (c->model) {
    case CR_CALIB_IDENTITY:
        *sx = raw_x * c->width;
        *sy = raw_y * c->height;
        return;
    case CR_CALIB_AFFINE:
        break;
    case CR_CALIB_PROJECTIVE:
    case CR_CALIB_PROJECTIVE_SMOOTH:
    case CR_CALIB_PROJECTIVE_RADIAL:
        /* Off the homography's domain (far outside the screen): the affine
         * part still gives a finite, roughly right place. */
        if (!calib_apply_homography(c->h, raw_x, raw_y, sx, sy))
            break;
        if (c->model == CR_CALIB_PROJECTIVE_SMOOTH && c->n_centres > 0) {
            double dx, dy;
            calib_tps_eval(c, *sx, *sy, &dx, &dy);
            *sx += dx;
            *sy += dy;
        } else if (c->model == CR_CALIB_PROJECTIVE_RADIAL && c->radial_scale > 0) {
            calib_apply_radial(c, *sx, *sy, sx, sy);
        }
        return;
    }
    calib_apply_affine(c->affine, raw_x, raw_y, sx, sy);
}

/* libinput: (x', y') = M·(x, y, 1) with x, y, x', y' all normalised to 0..1;
 * ours gives pixels, so its rows are divided by the output's size. */
void cr_calib_libinput_matrix(const struct cr_calib *c, float m[6])
{
    if (c->width <= 0 || c->height <= 0) {
        const float id[6] = {1, 0, 0, 0, 1, 0};
        memcpy(m, id, sizeof(id));
        return;
    }
    for (int k = 0; k < 3; k++) {
        m[k] = (float)(c->affine[k] / c->width);
        m[3 + k] = (float)(c->affine[3 + k] / c->height);
    }
}

/* --- leave-one-out and the choice --- */

struct evaluation {
    /* Per model: LOO distance of each point (px) and their RMS; rms < 0
     * when the model could not be evaluated on this set. */
    double err[CR_CALIB_N_MODELS][CR_CALIB_MAX_POINTS];
    double rms[CR_CALIB_N_MODELS];
    bool perspective_significant; /* see perspective_test() */
    bool radial_significant;      /* see radial_test() */
    enum cr_calib_model chosen;
    char why[160];
};

/* Point i without its own point: the set p minus p[i] in rest (n − 1). */
static size_t without(const struct cr_calib_point *p, size_t n, size_t skip,
                      struct cr_calib_point *rest)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (i != skip)
            rest[m++] = p[i];
    }
    return m;
}

/* Fills e->err[model] (NAN for a fold whose fit failed) and e->rms[model]
 * (−1 when any fold failed: the model is then not eligible). */
static void leave_one_out(enum cr_calib_model model, const struct cr_calib_point *p, size_t n,
                          int width, int height, double lambda, struct evaluation *e)
{
    double sum = 0;
    bool all = true;
    enum cr_calib_model base = model == CR_CALIB_PROJECTIVE_SMOOTH ? CR_CALIB_PROJECTIVE : model;
    for (size_t out = 0; out < n; out++) {
        struct cr_calib_point rest[CR_CALIB_MAX_POINTS];
        size_t m = without(p, n, out, rest);
        struct cr_calib c;
        bool ok = calib_fit_model(base, rest, m, width, height, &c) == CALIB_FIT_OK;
        if (ok && model == CR_CALIB_PROJECTIVE_SMOOTH) {
            ok = calib_tps_fit(&c, rest, m, lambda);
            c.model = CR_CALIB_PROJECTIVE_SMOOTH;
        }
        double sx, sy;
        if (ok)
            cr_calib_apply(&c, p[out].raw_x, p[out].raw_y, &sx, &sy);
        e->err[model][out] = ok ? hypot(sx - p[out].screen_x, sy - p[out].screen_y) : NAN;
        all = all && isfinite(e->err[model][out]);
        sum += e->err[model][out] * e->err[model][out];
    }
    e->rms[model] = all ? sqrt(sum / (double)n) : -1;
}

/* Sum of squared residuals (px²) of c on the points. */
static double residual_ss(const struct cr_calib *c, const struct cr_calib_point *p, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double sx, sy;
        cr_calib_apply(c, p[i].raw_x, p[i].raw_y, &sx, &sy);
        sum += (sx - p[i].screen_x) * (sx - p[i].screen_x) +
               (sy - p[i].screen_y) * (sy - p[i].screen_y);
    }
    return sum;
}

/* The same for a model fitted on all the points. */
static double rss(enum cr_calib_model model, const struct cr_calib_point *p, size_t n, int width,
                  int height)
{
    struct cr_calib c;
    if (calib_fit_model(model, p, n, width, height, &c) != CALIB_FIT_OK)
        return INFINITY;
    return residual_ss(&c, p, n);
}

/* Do the homography's two perspective terms explain significantly more
 * than the affine map? F-test on the residuals: F = ((RSS_a − RSS_p) / 2) /
 * (RSS_p / d), d = 2n − 8 degrees of freedom left to the homography. With 2
 * numerator degrees of freedom the F distribution's tail has a closed form,
 * P(F > f) = (1 + 2f/d)^(−d/2), so the threshold for a p-value α is
 * f = d/2·(α^(−2/d) − 1). It guards the LOO rule against a lucky draw of
 * tap noise on a projector that has no keystone. */
static bool perspective_test(const struct cr_calib_point *p, size_t n, int width, int height)
{
    double d = 2.0 * (double)n - 8.0;
    if (d < 1)
        return false;
    double rss_a = rss(CR_CALIB_AFFINE, p, n, width, height);
    double rss_p = rss(CR_CALIB_PROJECTIVE, p, n, width, height);
    if (!isfinite(rss_p) || !isfinite(rss_a))
        return isfinite(rss_p);
    double threshold = d / 2 * (pow(PERSPECTIVE_P_VALUE, -2.0 / d) - 1);
    /* Exact data (RSS_p ≈ 0): any real gain is significant. */
    if (!(rss_p > 1e-18 * (1 + rss_a)))
        return rss_a - rss_p > 1e-12;
    return (rss_a - rss_p) / 2 / (rss_p / d) > threshold;
}

/* P(F > f) for an F(1, d) variable, d ≥ 1 an integer: F(1, d) is T² for
 * Student's T with d degrees of freedom, whose distribution has a finite
 * series (Abramowitz & Stegun 26.7.3 for odd d, 26.7.4 for even d) in
 * θ = atan(√(f/d)). */
static double f1_tail(double f, int d)
{
    if (!(f > 0))
        return 1;
    double theta = atan(sqrt(f / d)), c = cos(theta), c2 = c * c;
    double sum = 1, term = 1, inside;
    if (d % 2) {
        for (int k = 3; k <= d - 2; k += 2) {
            term *= c2 * (k - 1) / k;
            sum += term;
        }
        inside = d == 1 ? 2 / G_PI * theta : 2 / G_PI * (theta + sin(theta) * c * sum);
    } else {
        for (int k = 2; k <= d - 2; k += 2) {
            term *= c2 * (k - 1) / k;
            sum += term;
        }
        inside = sin(theta) * sum;
    }
    return 1 - inside;
}

/* Does k1 explain significantly more than the homography alone? F-test on
 * the residuals, one numerator degree of freedom: F = (RSS_p − RSS_r) /
 * (RSS_r / d), d = 2n − 9. */
static bool radial_test(const struct cr_calib_point *p, size_t n, int width, int height)
{
    int d = 2 * (int)n - 9;
    if (d < 1)
        return false;
    double rss_p = rss(CR_CALIB_PROJECTIVE, p, n, width, height);
    double rss_r = rss(CR_CALIB_PROJECTIVE_RADIAL, p, n, width, height);
    if (!isfinite(rss_r) || !isfinite(rss_p))
        return isfinite(rss_r);
    /* Exact data (RSS_r ≈ 0): any real gain is significant. */
    if (!(rss_r > 1e-18 * (1 + rss_p)))
        return rss_p - rss_r > 1e-12;
    return f1_tail((rss_p - rss_r) / (rss_r / d), d) < RADIAL_P_VALUE;
}

static double rms_or_inf(const struct evaluation *e, enum cr_calib_model m)
{
    return e->rms[m] >= 0 ? e->rms[m] : INFINITY;
}

/* The rule at the top of this file, for n ≥ 5. */
static void choose_by_loo(struct evaluation *e)
{
    /* From the simplest up (not the enum's order: radial came later). */
    static const enum cr_calib_model ladder[] = {
        CR_CALIB_PROJECTIVE,
        CR_CALIB_PROJECTIVE_RADIAL,
        CR_CALIB_PROJECTIVE_SMOOTH,
    };
    e->chosen = CR_CALIB_AFFINE;
    snprintf(e->why, sizeof(e->why), "affine: leave-one-out %.2f px", e->rms[CR_CALIB_AFFINE]);
    for (size_t k = 0; k < G_N_ELEMENTS(ladder); k++) {
        enum cr_calib_model m = ladder[k];
        if (e->rms[m] < 0)
            continue;
        double current = rms_or_inf(e, e->chosen), candidate = e->rms[m];
        char line[160];
        bool perspective = m == CR_CALIB_PROJECTIVE || m == CR_CALIB_PROJECTIVE_RADIAL;
        if (perspective && !e->perspective_significant) {
            snprintf(line, sizeof(line),
                     "%s: no significant keystone (leave-one-out %.2f px vs %.2f px)",
                     cr_calib_model_name(e->chosen), current, candidate);
        } else if (m == CR_CALIB_PROJECTIVE_RADIAL && !e->radial_significant) {
            snprintf(line, sizeof(line),
                     "%s: no significant lens distortion (leave-one-out %.2f px vs %.2f px)",
                     cr_calib_model_name(e->chosen), current, candidate);
        } else if (candidate < MORE_COMPLEX_RATIO * current &&
                   current - candidate >= MORE_COMPLEX_MIN_GAIN_PX) {
            snprintf(line, sizeof(line), "%s: leave-one-out %.2f px vs %s %.2f px",
                     cr_calib_model_name(m), candidate, cr_calib_model_name(e->chosen), current);
            e->chosen = m;
        } else {
            snprintf(line, sizeof(line),
                     "%s: %s not clearly better (leave-one-out %.2f px vs %.2f px)",
                     cr_calib_model_name(e->chosen), cr_calib_model_name(m), current, candidate);
        }
        g_strlcpy(e->why, line, sizeof(e->why));
    }
}

static void evaluate(const struct cr_calib_point *p, size_t n, const struct cr_calib_options *opt,
                     struct evaluation *e)
{
    memset(e, 0, sizeof(*e));
    for (int m = 0; m < CR_CALIB_N_MODELS; m++)
        e->rms[m] = -1;
    /* The identity has no parameters: its error is its LOO error. */
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        e->err[CR_CALIB_IDENTITY][i] = hypot(p[i].raw_x * opt->width - p[i].screen_x,
                                             p[i].raw_y * opt->height - p[i].screen_y);
        sum += e->err[CR_CALIB_IDENTITY][i] * e->err[CR_CALIB_IDENTITY][i];
    }
    e->rms[CR_CALIB_IDENTITY] = sqrt(sum / (double)n);

    if (n >= 4)
        leave_one_out(CR_CALIB_AFFINE, p, n, opt->width, opt->height, 0, e);
    if (n >= 5) {
        leave_one_out(CR_CALIB_PROJECTIVE, p, n, opt->width, opt->height, 0, e);
        e->perspective_significant = perspective_test(p, n, opt->width, opt->height);
    }
    if (n >= RADIAL_LOO_MIN_POINTS) {
        leave_one_out(CR_CALIB_PROJECTIVE_RADIAL, p, n, opt->width, opt->height, 0, e);
        e->radial_significant = radial_test(p, n, opt->width, opt->height);
    }
    struct cr_calib all;
    double lambda;
    /* The spline's λ is chosen once on all the points (LOO of the spline
     * alone), then held fixed in the model's LOO: a slightly optimistic
     * estimate, one parameter picked among seven, instead of a nested LOO. */
    if (opt->allow_smooth && n >= SMOOTH_MIN_POINTS &&
        calib_fit_model(CR_CALIB_PROJECTIVE, p, n, opt->width, opt->height, &all) == CALIB_FIT_OK &&
        calib_tps_choose_lambda(&all, p, n, &lambda))
        leave_one_out(CR_CALIB_PROJECTIVE_SMOOTH, p, n, opt->width, opt->height, lambda, e);

    if (n == 3) {
        e->chosen = CR_CALIB_AFFINE;
        snprintf(e->why, sizeof(e->why), "affine: 3 points determine nothing more");
    } else if (n == 4) {
        double res = sqrt(rss(CR_CALIB_AFFINE, p, n, opt->width, opt->height) / (double)n);
        e->chosen = res > FOUR_POINT_RESIDUAL_PX ? CR_CALIB_PROJECTIVE : CR_CALIB_AFFINE;
        snprintf(e->why, sizeof(e->why),
                 "%s: 4 points, the affine fit leaves %.2f px RMS (%s %.1f)",
                 cr_calib_model_name(e->chosen), res,
                 e->chosen == CR_CALIB_AFFINE ? "within" : "more than", FOUR_POINT_RESIDUAL_PX);
    } else {
        choose_by_loo(e);
    }
}

/* A lens's bend the F-test did not find significant is not nothing: with
 * 9 taps a 1 % barrel is about as large as the taps' scatter. Rather than
 * all (projective + radial) or nothing (projective), keep the part of the
 * fitted k1 the data supports, k1·(1 − 1/F) with F the radial test's
 * statistic (the positive-part shrinkage of one parameter by its own
 * signal-to-noise ratio, t² = F), and fit the homography that goes with
 * it. On a plain keystone F is mostly below 1 and nothing changes; on the
 * bench's typical projector it takes about half of the bend out. */
static void keep_some_bend(const struct cr_calib_point *p, size_t n,
                           const struct cr_calib_options *opt, struct cr_calib *c, char *why,
                           size_t why_size)
{
    /* c: the homography fitted on all of them */
    int d = 2 * (int)n - 9;
    if (n < RADIAL_LOO_MIN_POINTS || d < 1)
        return;
    struct cr_calib r;
    if (calib_fit_model(CR_CALIB_PROJECTIVE_RADIAL, p, n, opt->width, opt->height, &r) !=
        CALIB_FIT_OK)
        return;
    double rss_p = residual_ss(c, p, n), rss_r = residual_ss(&r, p, n);
    if (!isfinite(rss_p) || !isfinite(rss_r) || !(rss_r > 1e-18 * (1 + rss_p)))
        return;
    double f = (rss_p - rss_r) / (rss_r / d);
    if (!(f > 1))
        return;
    double fitted = r.radial_k1;
    r.radial_k1 = fitted * (1 - 1 / f);
    if (calib_fit_radial_held(p, n, opt->width, opt->height, &r) != CALIB_FIT_OK)
        return;
    *c = r;
    snprintf(why, why_size, "; %.0f %% of the lens bend kept (k1 %.4f of %.4f, F %.1f)",
             100 * (1 - 1 / f), r.radial_k1, fitted, f);
}

static double median(const double *v, size_t n)
{
    /* Insertion sort (n ≤ 32); a failed fit (NAN) counts as the largest. */
    double sorted[CR_CALIB_MAX_POINTS];
    for (size_t i = 0; i < n; i++) {
        double x = isnan(v[i]) ? INFINITY : v[i];
        size_t j = i;
        for (; j > 0 && sorted[j - 1] > x; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = x;
    }
    return n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

/* The point to drop, or -1 (OUTLIER_* above). The LOO errors are the
 * homography's (the most flexible model every set of ≥ 5 points has; the
 * affine one would count a keystone as misclicks). The median is taken over
 * the other points' LOO errors once the candidate is left out: a misclick
 * drags every fit it is part of, which inflates the other points' errors
 * and would hide it. Among the OUTLIER_CANDIDATES worst predicted points,
 * the one furthest above its median. */
static int find_outlier(const struct cr_calib_point *p, size_t n,
                        const struct cr_calib_options *opt, const struct evaluation *e,
                        double limit_px, double *err_px)
{
    if (n < OUTLIER_MIN_POINTS)
        return -1;
    const double *own = e->err[CR_CALIB_PROJECTIVE];
    /* The few points the homography predicts worst (a failed fit, NAN,
     * never): each costs a LOO of the others. */
    size_t cand[OUTLIER_CANDIDATES];
    size_t n_cand = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(own[i] > limit_px))
            continue;
        size_t j = n_cand < OUTLIER_CANDIDATES ? n_cand++ : OUTLIER_CANDIDATES;
        for (; j > 0 && own[cand[j - 1]] < own[i]; j--) {
            if (j < OUTLIER_CANDIDATES)
                cand[j] = cand[j - 1];
        }
        if (j < OUTLIER_CANDIDATES)
            cand[j] = i;
    }
    int best = -1;
    double best_score = 0;
    for (size_t k = 0; k < n_cand; k++) {
        size_t i = cand[k];
        struct cr_calib_point rest[CR_CALIB_MAX_POINTS];
        size_t m = without(p, n, i, rest);
        struct evaluation sub;
        leave_one_out(CR_CALIB_PROJECTIVE, rest, m, opt->width, opt->height, 0, &sub);
        double others = median(sub.err[CR_CALIB_PROJECTIVE], m);
        if (!(own[i] > OUTLIER_MEDIAN_FACTOR * others))
            continue;
        double score = own[i] / fmax(others, 1e-9);
        if (score > best_score) {
            best_score = score;
            best = (int)i;
        }
    }
    if (best >= 0)
        *err_px = own[best];
    return best;
}

static void fill_report(struct cr_calib_report *r, const struct cr_calib *c,
                        const struct evaluation *e, const struct cr_calib_point *p, size_t n,
                        int rejected, const char *extra)
{
    memset(r, 0, sizeof(*r));
    r->chosen = c->model;
    for (int m = 0; m < CR_CALIB_N_MODELS; m++)
        r->loo_px[m] = e->rms[m];
    r->n_points = n;
    r->rejected = rejected;
    double sum = 0;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        double sx, sy;
        cr_calib_apply(c, p[i].raw_x, p[i].raw_y, &sx, &sy);
        r->residual_px[i][0] = sx - p[i].screen_x;
        r->residual_px[i][1] = sy - p[i].screen_y;
        if ((int)i == rejected)
            continue;
        double d = hypot(r->residual_px[i][0], r->residual_px[i][1]);
        sum += d;
        r->max_px = fmax(r->max_px, d);
        kept++;
    }
    r->mean_px = kept ? sum / (double)kept : 0;
    snprintf(r->reason, sizeof(r->reason), "%s%s", e->why, extra);
}

static bool fail(const char *err_text, char *err, size_t err_size, struct cr_calib_report *report,
                 const char *detail)
{
    copy_text(err, err_size, err_text);
    if (report) {
        memset(report, 0, sizeof(*report));
        report->rejected = -1;
        for (int m = 0; m < CR_CALIB_N_MODELS; m++)
            report->loo_px[m] = -1;
        copy_text(report->reason, sizeof(report->reason), detail);
    }
    return false;
}

bool cr_calib_solve(const struct cr_calib_point *pts, size_t n, const struct cr_calib_options *opt,
                    struct cr_calib *out, struct cr_calib_report *report, char *err,
                    size_t err_size)
{
    char detail[160];
    const struct cr_calib_options defaults = {.allow_smooth = true};
    if (!opt)
        opt = &defaults;
    const char *bad =
        calib_check_points(pts, n, opt->width, opt->height, 3, detail, sizeof(detail));
    cr_calib_identity(out, opt->width, opt->height);
    if (bad)
        return fail(bad, err, err_size, report, detail);
    double limit = opt->outlier_px > 0 ? opt->outlier_px : OUTLIER_DEFAULT_PX;

    struct evaluation e;
    evaluate(pts, n, opt, &e);

    /* One misclick may have slipped through: drop it once and start over. */
    struct cr_calib_point kept[CR_CALIB_MAX_POINTS];
    size_t n_kept = n;
    memcpy(kept, pts, n * sizeof(*pts));
    double outlier_err = 0;
    int rejected = find_outlier(pts, n, opt, &e, limit, &outlier_err);
    char extra[176] = "";
    if (rejected >= 0) {
        n_kept = 0;
        for (size_t i = 0; i < n; i++) {
            if ((int)i != rejected)
                kept[n_kept++] = pts[i];
        }
        if (calib_check_points(kept, n_kept, opt->width, opt->height, 3, NULL, 0)) {
            /* Without it the set is degenerate: it was no misclick. */
            rejected = -1;
            n_kept = n;
            memcpy(kept, pts, n * sizeof(*pts));
        } else {
            evaluate(kept, n_kept, opt, &e);
            snprintf(extra, sizeof(extra), "; point %d dropped (leave-one-out error %.0f px)",
                     rejected, outlier_err);
        }
    }

    /* A homography through consistent taps never folds the screen; one that
     * does says the taps do not match their targets (swapped, or wild). */
    struct cr_calib projective;
    if (n_kept >= 4 && calib_fit_model(CR_CALIB_PROJECTIVE, kept, n_kept, opt->width, opt->height,
                                       &projective) == CALIB_FIT_FOLD) {
        return fail(CR_CALIB_ERR_FOLD, err, err_size, report,
                    "the taps fold the screen over: taps do not match their targets");
    }

    /* The chosen model on the points kept; one that cannot be fitted on all
     * of them (a smooth correction that folds, a homography through 4 points
     * of which 3 are on a line) falls back to the next simpler one. */
    enum cr_calib_model model = e.chosen;
    enum calib_fit_status st = calib_fit_model(model, kept, n_kept, opt->width, opt->height, out);
    while (st != CALIB_FIT_OK && model > CR_CALIB_AFFINE) {
        model = simpler(model);
        st = calib_fit_model(model, kept, n_kept, opt->width, opt->height, out);
    }
    if (st != CALIB_FIT_OK) {
        cr_calib_identity(out, opt->width, opt->height);
        return fail(status_error(st), err, err_size, report, "no model could be fitted");
    }
    char bend[96] = "";
    if (model == CR_CALIB_PROJECTIVE && model == e.chosen)
        keep_some_bend(kept, n_kept, opt, out, bend, sizeof(bend));
    if (report) {
        g_strlcat(extra, bend, sizeof(extra));
        if (model != e.chosen) {
            snprintf(e.why, sizeof(e.why), "%s: %s cannot be fitted on all the points",
                     cr_calib_model_name(model), cr_calib_model_name(e.chosen));
        }
        fill_report(report, out, &e, pts, n, rejected, extra);
    }
    return true;
}
