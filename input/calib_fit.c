/* The two parametric models of the calibration solver.
 *
 * Affine: sx = a0·rx + a1·ry + a2, sy = a3·rx + a4·ry + a5, least squares on
 * Hartley-normalised raw coordinates (solved by SVD, so collinear points show
 * up as a vanishing singular value instead of a huge solution).
 *
 * Projective (homography H, raw → px in homogeneous coordinates):
 *   1. normalised DLT (Hartley & Zisserman, alg. 4.2): both point sets moved
 *      to their centroid and scaled to a mean distance of √2; each point gives
 *      two rows of A·h = 0; h is the right singular vector of A with the
 *      smallest singular value. Without the normalisation A mixes entries of
 *      order 1 and 10⁶ and the answer drifts with the output size.
 *   2. Levenberg–Marquardt on the geometric error: the DLT minimises an
 *      algebraic error that weighs points unevenly under perspective; LM
 *      minimises Σ‖H(raw) − target‖², the error the teacher sees, starting
 *      from the DLT. It runs in the normalised frames with h8 = 1 (8
 *      parameters); the screen normalisation is isotropic, so its error is
 *      the pixel error times a constant.
 *   3. Fold check: the map must not pass through infinity (its denominator
 *      w changes sign) inside the screen, and its orientation (the sign of
 *      the Jacobian determinant, det(H)/w³) must agree with the affine fit's:
 *      a homography through 4 points always exists, even for swapped taps,
 *      and then it folds the screen.
 *
 * Projective + radial: the projector's lens bends its image about the
 * optical axis (barrel, pincushion), before the keystone; from the screen
 * side that is q = H(raw) followed by s = c + (q − c)·(1 + k1·ρ²), ρ = |q − c|
 * in half diagonals of the output (c its centre, where the optical axis
 * meets the image when the lens has no shift). The inverse of a lens's
 * radial distortion is to first order a radial distortion of the opposite
 * sign, so one k1 follows the barrel the homography leaves. Fitted by LM on
 * the 9 parameters (h0..h7 in the normalised frames, k1, which has no unit)
 * from the homography's own LM fit and k1 = 0: a small, well-conditioned
 * step (ρ ≤ 1 on the screen, k1 of a few hundredths). */
#include <math.h>
#include <string.h>

#include "input/calib_private.h"

#define LM_MAX_ITERATIONS 100
#define RANK_TOLERANCE 1e-9
#define LM_MAX_PARAMS 9

/* The radial factor is held beyond RADIAL_RHO_MAX half diagonals (well off
 * the screen), and up to there both eigenvalues of its Jacobian, 1 + k1·ρ²
 * (across) and 1 + 3·k1·ρ² (along the radius), must stay above
 * RADIAL_MIN_JACOBIAN: no fold, no squeeze. |k1| above RADIAL_MAX_K1 (a
 * quarter of the half diagonal in the corners) is no lens. */
#define RADIAL_RHO_MAX 1.5
#define RADIAL_MIN_JACOBIAN 0.5
#define RADIAL_MAX_K1 0.25

static void hartley(const struct cr_calib_point *p, size_t n, bool screen, struct calib_norm *t)
{
    double cx = 0, cy = 0;
    for (size_t i = 0; i < n; i++) {
        cx += screen ? p[i].screen_x : p[i].raw_x;
        cy += screen ? p[i].screen_y : p[i].raw_y;
    }
    cx /= (double)n;
    cy /= (double)n;
    double dist = 0;
    for (size_t i = 0; i < n; i++) {
        double x = screen ? p[i].screen_x : p[i].raw_x;
        double y = screen ? p[i].screen_y : p[i].raw_y;
        dist += hypot(x - cx, y - cy);
    }
    dist /= (double)n;
    t->cx = cx;
    t->cy = cy;
    t->s = dist > 0 ? M_SQRT2 / dist : 1.0;
}

void calib_apply_affine(const double a[6], double x, double y, double *sx, double *sy)
{
    *sx = a[0] * x + a[1] * y + a[2];
    *sy = a[3] * x + a[4] * y + a[5];
}

bool calib_apply_homography(const double h[9], double x, double y, double *sx, double *sy)
{
    double w = h[6] * x + h[7] * y + h[8];
    double scale = fabs(h[6] * x) + fabs(h[7] * y) + fabs(h[8]);
    if (!(fabs(w) > 1e-12 * scale)) {
        *sx = *sy = NAN;
        return false;
    }
    *sx = (h[0] * x + h[1] * y + h[2]) / w;
    *sy = (h[3] * x + h[4] * y + h[5]) / w;
    return true;
}

enum calib_fit_status calib_fit_affine(const struct cr_calib_point *p, size_t n, double a[6])
{
    if (n < 3 || n > CR_CALIB_MAX_POINTS)
        return CALIB_FIT_DEGENERATE;
    struct calib_norm t;
    hartley(p, n, false, &t);

    /* Rows (x', y', 1); A·V = U·S, so the least-squares solution of A·c = b
     * is c = V·S⁻²·(A·V)ᵀ·b. */
    double m[CR_CALIB_MAX_POINTS * 3], s[3], v[9];
    for (size_t i = 0; i < n; i++) {
        m[i * 3 + 0] = (p[i].raw_x - t.cx) * t.s;
        m[i * 3 + 1] = (p[i].raw_y - t.cy) * t.s;
        m[i * 3 + 2] = 1.0;
    }
    calib_svd(m, n, 3, s, v);
    double smax = fmax(s[0], fmax(s[1], s[2]));
    double smin = fmin(s[0], fmin(s[1], s[2]));
    if (!(smin > RANK_TOLERANCE * smax))
        return CALIB_FIT_DEGENERATE;

    for (int axis = 0; axis < 2; axis++) {
        double c[3] = {0, 0, 0};
        for (size_t j = 0; j < 3; j++) {
            double dot = 0;
            for (size_t i = 0; i < n; i++)
                dot += m[i * 3 + j] * (axis ? p[i].screen_y : p[i].screen_x);
            dot /= s[j] * s[j];
            for (size_t k = 0; k < 3; k++)
                c[k] += v[k * 3 + j] * dot;
        }
        /* Back from x' = (x − cx)·s to raw coordinates. */
        double *out = a + 3 * axis;
        out[0] = c[0] * t.s;
        out[1] = c[1] * t.s;
        out[2] = c[2] - c[0] * t.s * t.cx - c[1] * t.s * t.cy;
    }
    return CALIB_FIT_OK;
}

/* --- homography --- */

struct lm_data {
    size_t n;
    size_t np;                                             /* 8, or 9 with k1 */
    double x[CR_CALIB_MAX_POINTS], y[CR_CALIB_MAX_POINTS]; /* normalised raw */
    double u[CR_CALIB_MAX_POINTS], v[CR_CALIB_MAX_POINTS]; /* normalised screen */
    double rc[2], inv_rs2; /* radial centre and 1/scale² (normalised screen) */
    bool k1_held;          /* np 8 with a radial k1 that is not fitted: */
    double k1;             /* its value */
};

/* The radial factor 1 + k1·min(ρ², ρmax²) and its derivative in ρ² (0
 * where it is held). */
static double radial_factor(double k1, double rho2, double *dfactor)
{
    const double max2 = RADIAL_RHO_MAX * RADIAL_RHO_MAX;
    if (rho2 > max2) {
        if (dfactor)
            *dfactor = 0;
        return 1 + k1 * max2;
    }
    if (dfactor)
        *dfactor = k1;
    return 1 + k1 * rho2;
}

/* Residuals (2n) and, if jac, their Jacobian (2n × np) at parameters p (h8
 * = 1, then k1). Returns the cost Σ r², or +∞ when a point reaches the line
 * at infinity. */
static double lm_eval(const double *p, const struct lm_data *d, double *r, double *jac)
{
    double cost = 0;
    size_t np = d->np;
    for (size_t i = 0; i < d->n; i++) {
        double x = d->x[i], y = d->y[i];
        double w = p[6] * x + p[7] * y + 1.0;
        if (!(w > 1e-9))
            return INFINITY;
        double ux = (p[0] * x + p[1] * y + p[2]) / w;
        double vy = (p[3] * x + p[4] * y + p[5]) / w;
        double ju[LM_MAX_PARAMS] = {0}, jv[LM_MAX_PARAMS] = {0};
        const double row[3] = {x / w, y / w, 1.0 / w};
        for (int k = 0; k < 3; k++) {
            ju[k] = row[k];
            jv[3 + k] = row[k];
        }
        ju[6] = -ux * x / w;
        ju[7] = -ux * y / w;
        jv[6] = -vy * x / w;
        jv[7] = -vy * y / w;
        if (np == 9 || d->k1_held) {
            /* s = c + (q − c)·f(ρ²): chain the homography's rows through
             * ∂s/∂q = f·I + 2·f'·(q − c)(q − c)ᵀ/scale², and ∂s/∂k1. */
            double dx = ux - d->rc[0], dy = vy - d->rc[1];
            double rho2 = (dx * dx + dy * dy) * d->inv_rs2, df;
            double f = radial_factor(np == 9 ? p[8] : d->k1, rho2, &df);
            double a00 = f + 2 * df * dx * dx * d->inv_rs2, a01 = 2 * df * dx * dy * d->inv_rs2;
            double a11 = f + 2 * df * dy * dy * d->inv_rs2;
            for (int k = 0; k < 8; k++) {
                double gu = ju[k], gv = jv[k];
                ju[k] = a00 * gu + a01 * gv;
                jv[k] = a01 * gu + a11 * gv;
            }
            double held = fmin(rho2, RADIAL_RHO_MAX * RADIAL_RHO_MAX);
            ju[8] = np == 9 ? dx * held : 0;
            jv[8] = np == 9 ? dy * held : 0;
            ux = d->rc[0] + dx * f;
            vy = d->rc[1] + dy * f;
        }
        r[2 * i] = ux - d->u[i];
        r[2 * i + 1] = vy - d->v[i];
        cost += r[2 * i] * r[2 * i] + r[2 * i + 1] * r[2 * i + 1];
        if (jac) {
            memcpy(jac + 2 * np * i, ju, np * sizeof(double));
            memcpy(jac + 2 * np * i + np, jv, np * sizeof(double));
        }
    }
    return cost;
}

/* Levenberg–Marquardt with Marquardt's scaling: solve
 * (JᵀJ + μ·diag(JᵀJ))·δ = −Jᵀr; a step that lowers the cost is kept and μ
 * shrinks, otherwise μ grows. With 4 points the DLT is already exact. */
static void lm_refine(double *p, const struct lm_data *d)
{
    enum { M = LM_MAX_PARAMS };
    size_t np = d->np;
    double r[2 * CR_CALIB_MAX_POINTS], jac[2 * CR_CALIB_MAX_POINTS * M];
    double trial_r[2 * CR_CALIB_MAX_POINTS];
    double cost = lm_eval(p, d, r, jac);
    double mu = 1e-3;
    for (int it = 0; it < LM_MAX_ITERATIONS && isfinite(cost) && cost > 1e-28; it++) {
        double jtj[M * M] = {0}, g[M] = {0};
        for (size_t i = 0; i < 2 * d->n; i++) {
            const double *row = jac + np * i;
            for (size_t a = 0; a < np; a++) {
                g[a] += row[a] * r[i];
                for (size_t b = 0; b < np; b++)
                    jtj[a * np + b] += row[a] * row[b];
            }
        }
        bool improved = false;
        while (mu < 1e12) {
            double sys[M * M], step[M];
            memcpy(sys, jtj, sizeof(sys));
            for (size_t a = 0; a < np; a++) {
                sys[a * np + a] += mu * (jtj[a * np + a] + 1e-12);
                step[a] = -g[a];
            }
            if (!calib_solve_dense(sys, step, np, 1)) {
                mu *= 10;
                continue;
            }
            double trial[M];
            double step_norm = 0, p_norm = 0;
            for (size_t a = 0; a < np; a++) {
                trial[a] = p[a] + step[a];
                step_norm += step[a] * step[a];
                p_norm += p[a] * p[a];
            }
            double trial_cost = lm_eval(trial, d, trial_r, NULL);
            if (trial_cost < cost) {
                bool converged =
                    cost - trial_cost <= 1e-15 * cost || step_norm <= 1e-28 * (1.0 + p_norm);
                memcpy(p, trial, np * sizeof(double));
                cost = lm_eval(p, d, r, jac);
                mu = fmax(mu * 0.1, 1e-12);
                improved = !converged;
                break;
            }
            mu *= 10;
        }
        if (!improved)
            break;
    }
}

/* A homogeneous 3×3 product c = a·b. */
static void mat3_mul(const double a[9], const double b[9], double c[9])
{
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++)
            c[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
    }
}

static double mat3_det(const double m[9])
{
    return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
           m[2] * (m[3] * m[7] - m[4] * m[6]);
}

/* Third homogeneous coordinate of H⁻¹·(X, Y, 1): w at the raw preimage of
 * the screen point is its inverse, so its sign is the sign of w there. */
static double preimage_w(const double h[9], double det, double sx, double sy)
{
    /* Last row of the adjugate: (h3h7 − h4h6, h1h6 − h0h7, h0h4 − h1h3). */
    double z = (h[3] * h[7] - h[4] * h[6]) * sx + (h[1] * h[6] - h[0] * h[7]) * sy +
               (h[0] * h[4] - h[1] * h[3]);
    return z / det;
}

static bool folds(const double h[9], const struct cr_calib_point *p, size_t n, int width,
                  int height)
{
    double a[6];
    if (calib_fit_affine(p, n, a) != CALIB_FIT_OK)
        return true;
    double det = mat3_det(h);
    double affine_det = a[0] * a[4] - a[1] * a[3];
    if (!(fabs(det) > 0) || (det > 0) != (affine_det > 0))
        return true;
    /* w is +1 at the centroid of the raw points; it is linear in raw, so
     * positive at every point and at the preimages of the four corners
     * means positive over their whole convex hull: no fold there. */
    for (size_t i = 0; i < n; i++) {
        if (!(h[6] * p[i].raw_x + h[7] * p[i].raw_y + h[8] > 1e-6))
            return true;
    }
    const double corners[4][2] = {{0, 0}, {width, 0}, {0, height}, {width, height}};
    for (int k = 0; k < 4; k++) {
        if (!(preimage_w(h, det, corners[k][0], corners[k][1]) > 0))
            return true;
    }
    return false;
}

/* The normalised DLT: fills d (n, the normalised points) and params (h0..h7
 * with h8 = 1 in the normalised frames tr, ts). */
static enum calib_fit_status dlt(const struct cr_calib_point *p, size_t n, struct calib_norm *tr,
                                 struct calib_norm *ts, struct lm_data *d, double params[8])
{
    hartley(p, n, false, tr);
    hartley(p, n, true, ts);
    d->n = n;
    d->np = 8;
    d->k1_held = false;
    double a[2 * CR_CALIB_MAX_POINTS * 9];
    for (size_t i = 0; i < n; i++) {
        double x = (p[i].raw_x - tr->cx) * tr->s, y = (p[i].raw_y - tr->cy) * tr->s;
        double u = (p[i].screen_x - ts->cx) * ts->s, v = (p[i].screen_y - ts->cy) * ts->s;
        d->x[i] = x;
        d->y[i] = y;
        d->u[i] = u;
        d->v[i] = v;
        /* u·(h6x + h7y + h8) = h0x + h1y + h2, and the same for v. */
        const double ru[9] = {-x, -y, -1, 0, 0, 0, u * x, u * y, u};
        const double rv[9] = {0, 0, 0, -x, -y, -1, v * x, v * y, v};
        memcpy(a + 18 * i, ru, sizeof(ru));
        memcpy(a + 18 * i + 9, rv, sizeof(rv));
    }
    double s[9], v[81];
    calib_svd(a, 2 * n, 9, s, v);

    /* The null space must be one-dimensional: the smallest singular value
     * goes with h, the next one must be clearly non-zero. */
    size_t jmin = 0;
    double smax = 0;
    for (size_t j = 0; j < 9; j++) {
        smax = fmax(smax, s[j]);
        if (s[j] < s[jmin])
            jmin = j;
    }
    double second = INFINITY;
    for (size_t j = 0; j < 9; j++) {
        if (j != jmin)
            second = fmin(second, s[j]);
    }
    if (!(second > RANK_TOLERANCE * smax))
        return CALIB_FIT_DEGENERATE;

    double hn[9], norm = 0;
    for (size_t k = 0; k < 9; k++) {
        hn[k] = v[k * 9 + jmin];
        norm += hn[k] * hn[k];
    }
    /* hn8 is w at the raw centroid: zero means the line at infinity runs
     * through the middle of the points, a fold by construction. */
    if (!(fabs(hn[8]) > 1e-8 * sqrt(norm)))
        return CALIB_FIT_FOLD;
    for (size_t k = 0; k < 8; k++)
        params[k] = hn[k] / hn[8];
    return CALIB_FIT_OK;
}

/* H = Ts⁻¹ · Hn · Tr: back to raw and pixel units. */
static bool to_pixels(const double params[8], const struct calib_norm *tr,
                      const struct calib_norm *ts, double h[9])
{
    const double hnorm[9] = {params[0], params[1], params[2], params[3], params[4],
                             params[5], params[6], params[7], 1.0};
    const double t_raw[9] = {tr->s, 0, -tr->s * tr->cx, 0, tr->s, -tr->s * tr->cy, 0, 0, 1};
    const double t_screen_inv[9] = {1 / ts->s, 0, ts->cx, 0, 1 / ts->s, ts->cy, 0, 0, 1};
    double tmp[9];
    mat3_mul(hnorm, t_raw, tmp);
    mat3_mul(t_screen_inv, tmp, h);
    for (size_t k = 0; k < 9; k++) {
        if (!isfinite(h[k]))
            return false;
    }
    return true;
}

enum calib_fit_status calib_fit_homography(const struct cr_calib_point *p, size_t n, int width,
                                           int height, double h[9])
{
    if (n < 4 || n > CR_CALIB_MAX_POINTS)
        return CALIB_FIT_DEGENERATE;
    struct calib_norm tr, ts;
    struct lm_data d;
    double params[8];
    enum calib_fit_status st = dlt(p, n, &tr, &ts, &d, params);
    if (st != CALIB_FIT_OK)
        return st;
    lm_refine(params, &d);
    if (!to_pixels(params, &tr, &ts, h))
        return CALIB_FIT_DEGENERATE;
    return folds(h, p, n, width, height) ? CALIB_FIT_FOLD : CALIB_FIT_OK;
}

/* --- projective + radial --- */

void calib_apply_radial(const struct cr_calib *c, double qx, double qy, double *sx, double *sy)
{
    double dx = qx - c->radial_origin[0], dy = qy - c->radial_origin[1];
    double rho2 = (dx * dx + dy * dy) / (c->radial_scale * c->radial_scale);
    double f = radial_factor(c->radial_k1, rho2, NULL);
    *sx = c->radial_origin[0] + dx * f;
    *sy = c->radial_origin[1] + dy * f;
}

/* The radial map keeps its orientation and does not squeeze the screen by
 * more than RADIAL_MIN_JACOBIAN up to RADIAL_RHO_MAX: with k1 < 0 the
 * smallest eigenvalue, 1 + 3·k1·ρ², is at ρmax; with k1 ≥ 0 both are ≥ 1. */
bool calib_radial_ok(double k1)
{
    const double max2 = RADIAL_RHO_MAX * RADIAL_RHO_MAX;
    return isfinite(k1) && fabs(k1) <= RADIAL_MAX_K1 && 1 + 3 * k1 * max2 >= RADIAL_MIN_JACOBIAN;
}

static enum calib_fit_status fit_radial(const struct cr_calib_point *p, size_t n, int width,
                                        int height, struct cr_calib *c, bool held)
{
    if (n < CALIB_RADIAL_MIN_POINTS || n > CR_CALIB_MAX_POINTS || !(c->radial_scale > 0))
        return CALIB_FIT_DEGENERATE;
    struct calib_norm tr, ts;
    struct lm_data d;
    double params[LM_MAX_PARAMS];
    enum calib_fit_status st = dlt(p, n, &tr, &ts, &d, params);
    if (st != CALIB_FIT_OK)
        return st;
    /* The homography alone first (its own optimum), then k1 with it. */
    lm_refine(params, &d);
    d.rc[0] = (c->radial_origin[0] - ts.cx) * ts.s;
    d.rc[1] = (c->radial_origin[1] - ts.cy) * ts.s;
    d.inv_rs2 = 1 / (c->radial_scale * ts.s * c->radial_scale * ts.s);
    if (held) {
        d.k1_held = true;
        d.k1 = c->radial_k1;
        params[8] = c->radial_k1;
    } else {
        d.np = 9;
        params[8] = 0;
    }
    lm_refine(params, &d);
    if (!to_pixels(params, &tr, &ts, c->h))
        return CALIB_FIT_DEGENERATE;
    /* ρ is the same in both frames (ts is a similarity): k1 has no unit. */
    c->radial_k1 = params[8];
    if (folds(c->h, p, n, width, height) || !calib_radial_ok(c->radial_k1))
        return CALIB_FIT_FOLD;
    return CALIB_FIT_OK;
}

enum calib_fit_status calib_fit_radial(const struct cr_calib_point *p, size_t n, int width,
                                       int height, struct cr_calib *c)
{
    return fit_radial(p, n, width, height, c, false);
}

enum calib_fit_status calib_fit_radial_held(const struct cr_calib_point *p, size_t n, int width,
                                            int height, struct cr_calib *c)
{
    return fit_radial(p, n, width, height, c, true);
}
