/* The smooth correction: a thin-plate spline on the homography's residuals.
 *
 * A projective map cannot follow a lens's barrel or pincushion distortion nor
 * a touch frame's uneven sensors. After the homography H, what remains at
 * each point is d_i = target_i − H(raw_i). The spline
 *     f(q) = a0 + a1·q'x + a2·q'y + Σ w_i·φ(‖q' − c'_i‖),   φ(r) = r²·log r
 * (q' the normalised screen position, c'_i the normalised H(raw_i)) is the
 * smoothest function (least bending energy) through those residuals; with a
 * regularisation λ > 0 it no longer goes exactly through them but trades
 * closeness for smoothness, which is what noisy taps need:
 *     [K + λI  P] [w]   [d]       K_ij = φ(‖c'_i − c'_j‖), P_i = (1, c'_i)
 *     [Pᵀ      0] [a] = [0]
 * λ → ∞ leaves only the affine part a (a homography plus an affine
 * correction: still a projective-like model); λ → 0 interpolates the noise.
 * It is chosen by leave-one-out among a few decades. Coordinates are
 * normalised by the output's half diagonal so that λ does not depend on the
 * resolution. */
#include <math.h>
#include <string.h>

#include "input/calib_private.h"

/* From nearly interpolating to nearly affine. With taps of σ ≈ 1–2 px and
 * corrections of 5–30 px the leave-one-out choice lands in the middle. */
const double calib_tps_lambdas[CALIB_TPS_N_LAMBDAS] = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10};

/* The corrected map q → q + f(q) must keep its orientation everywhere on the
 * screen (no fold) and not squeeze it more than this. */
#define TPS_MIN_JACOBIAN 0.1
#define TPS_FOLD_GRID 21

static double kernel(double r2)
{
    /* r²·log r = ½·r²·log r² */
    return r2 > 0 ? 0.5 * r2 * log(r2) : 0.0;
}

static void normalise(const struct cr_calib *c, double qx, double qy, double *x, double *y)
{
    *x = (qx - c->tps_origin[0]) / c->tps_scale;
    *y = (qy - c->tps_origin[1]) / c->tps_scale;
}

void calib_tps_eval(const struct cr_calib *c, double qx, double qy, double *dx, double *dy)
{
    double x, y;
    normalise(c, qx, qy, &x, &y);
    size_t n = (size_t)c->n_centres;
    const double(*a)[2] = c->weights + n;
    double fx = a[0][0] + a[1][0] * x + a[2][0] * y;
    double fy = a[0][1] + a[1][1] * x + a[2][1] * y;
    for (size_t i = 0; i < n; i++) {
        double cx, cy;
        normalise(c, c->centres[i][0], c->centres[i][1], &cx, &cy);
        double k = kernel((x - cx) * (x - cx) + (y - cy) * (y - cy));
        fx += c->weights[i][0] * k;
        fy += c->weights[i][1] * k;
    }
    *dx = fx;
    *dy = fy;
}

/* Smallest Jacobian determinant of q → q + f(q) on a grid over the screen
 * (central differences of a hundredth of a pixel). */
static double min_jacobian(const struct cr_calib *c)
{
    const double e = 0.01;
    double worst = INFINITY;
    for (int j = 0; j < TPS_FOLD_GRID; j++) {
        for (int i = 0; i < TPS_FOLD_GRID; i++) {
            double qx = c->width * (double)i / (TPS_FOLD_GRID - 1);
            double qy = c->height * (double)j / (TPS_FOLD_GRID - 1);
            double xp[2], xm[2], yp[2], ym[2];
            calib_tps_eval(c, qx + e, qy, &xp[0], &xp[1]);
            calib_tps_eval(c, qx - e, qy, &xm[0], &xm[1]);
            calib_tps_eval(c, qx, qy + e, &yp[0], &yp[1]);
            calib_tps_eval(c, qx, qy - e, &ym[0], &ym[1]);
            double j11 = 1 + (xp[0] - xm[0]) / (2 * e), j21 = (xp[1] - xm[1]) / (2 * e);
            double j12 = (yp[0] - ym[0]) / (2 * e), j22 = 1 + (yp[1] - ym[1]) / (2 * e);
            worst = fmin(worst, j11 * j22 - j12 * j21);
        }
    }
    return worst;
}

/* Builds and solves the system above for the points p (c->h set). */
static bool tps_solve(struct cr_calib *c, const struct cr_calib_point *p, size_t n, double lambda)
{
    if (n < 3 || n > CR_CALIB_MAX_POINTS)
        return false;
    c->tps_origin[0] = c->width / 2.0;
    c->tps_origin[1] = c->height / 2.0;
    c->tps_scale = 0.5 * hypot(c->width, c->height);
    c->tps_lambda = lambda;
    c->n_centres = (int)n;

    const size_t dim = n + 3;
    double m[CALIB_LA_MAX_COLS * CALIB_LA_MAX_COLS] = {0};
    double rhs[CALIB_LA_MAX_COLS * 2] = {0};
    double cx[CR_CALIB_MAX_POINTS], cy[CR_CALIB_MAX_POINTS];
    for (size_t i = 0; i < n; i++) {
        double qx, qy;
        if (!calib_apply_homography(c->h, p[i].raw_x, p[i].raw_y, &qx, &qy))
            return false;
        c->centres[i][0] = qx;
        c->centres[i][1] = qy;
        normalise(c, qx, qy, &cx[i], &cy[i]);
        rhs[2 * i] = p[i].screen_x - qx;
        rhs[2 * i + 1] = p[i].screen_y - qy;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double dx = cx[i] - cx[j], dy = cy[i] - cy[j];
            m[i * dim + j] = kernel(dx * dx + dy * dy) + (i == j ? lambda : 0.0);
        }
        const double row[3] = {1.0, cx[i], cy[i]};
        for (size_t k = 0; k < 3; k++) {
            m[i * dim + n + k] = row[k];
            m[(n + k) * dim + i] = row[k];
        }
    }
    if (!calib_solve_dense(m, rhs, dim, 2))
        return false;
    for (size_t i = 0; i < dim; i++) {
        if (!isfinite(rhs[2 * i]) || !isfinite(rhs[2 * i + 1]))
            return false;
        c->weights[i][0] = rhs[2 * i];
        c->weights[i][1] = rhs[2 * i + 1];
    }
    return true;
}

bool calib_tps_fit(struct cr_calib *c, const struct cr_calib_point *p, size_t n, double lambda)
{
    return tps_solve(c, p, n, lambda) && min_jacobian(c) > TPS_MIN_JACOBIAN;
}

bool calib_tps_choose_lambda(struct cr_calib *c, const struct cr_calib_point *p, size_t n,
                             double *lambda)
{
    if (n < 4 || n > CR_CALIB_MAX_POINTS)
        return false;
    double best = INFINITY;
    for (size_t l = 0; l < CALIB_TPS_N_LAMBDAS; l++) {
        double sum = 0;
        for (size_t out = 0; out < n && isfinite(sum); out++) {
            struct cr_calib_point rest[CR_CALIB_MAX_POINTS];
            size_t m = 0;
            for (size_t i = 0; i < n; i++) {
                if (i != out)
                    rest[m++] = p[i];
            }
            struct cr_calib trial = *c;
            double qx, qy, dx, dy;
            if (!tps_solve(&trial, rest, m, calib_tps_lambdas[l]) ||
                !calib_apply_homography(c->h, p[out].raw_x, p[out].raw_y, &qx, &qy)) {
                sum = INFINITY;
                break;
            }
            calib_tps_eval(&trial, qx, qy, &dx, &dy);
            double ex = qx + dx - p[out].screen_x, ey = qy + dy - p[out].screen_y;
            sum += ex * ex + ey * ey;
        }
        if (sum < best) {
            best = sum;
            *lambda = calib_tps_lambdas[l];
        }
    }
    return isfinite(best);
}
