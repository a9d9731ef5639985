/* Inside the calibration solver (calib*.c): small dense linear algebra, the
 * fits of each model, and the checks shared by solve and the misclick test.
 * Not for other modules: they use input/calib.h. */
#ifndef CR_CALIB_PRIVATE_H
#define CR_CALIB_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "input/calib.h"

/* --- calib_linalg.c --- */

/* Largest systems solved: the DLT has 2 rows per point and 9 unknowns; the
 * spline has one row per point plus 3. */
#define CALIB_LA_MAX_ROWS (2 * CR_CALIB_MAX_POINTS)
#define CALIB_LA_MAX_COLS (CR_CALIB_MAX_POINTS + 3)

/* One-sided Jacobi SVD (Hestenes) of the m×n row-major matrix a (n ≤ 9):
 * on return a holds A·V (column j = u_j·s_j), s the singular values (not
 * sorted), v the n×n right singular vectors (column j goes with s[j]). */
void calib_svd(double *a, size_t m, size_t n, double *s, double *v);

/* Solves a·x = b for nrhs right-hand sides by Gaussian elimination with
 * partial pivoting (a: n×n row-major, b: n×nrhs row-major, overwritten with
 * x). False when a pivot is negligible next to the largest entry of a. */
bool calib_solve_dense(double *a, double *b, size_t n, size_t nrhs);

/* --- calib_fit.c --- */

/* Hartley normalisation: p' = (p - c)·s, centroid at 0, mean distance √2. */
struct calib_norm {
    double cx, cy, s;
};

enum calib_fit_status {
    CALIB_FIT_OK,
    CALIB_FIT_DEGENERATE, /* rank-deficient: collinear, too few distinct points */
    CALIB_FIT_FOLD,       /* homography folds or flips the screen area */
};

/* Least-squares affine map raw → px (≥ 3 points). */
enum calib_fit_status calib_fit_affine(const struct cr_calib_point *p, size_t n, double a[6]);
/* Normalised DLT then Levenberg–Marquardt on the geometric error in px
 * (≥ 4 points), then the fold check over the width×height screen. h is
 * scaled so that its denominator is +1 at the centroid of the raw points. */
enum calib_fit_status calib_fit_homography(const struct cr_calib_point *p, size_t n, int width,
                                           int height, double h[9]);
/* Points the radial fit needs (9 parameters, with some to spare). */
#define CALIB_RADIAL_MIN_POINTS 6

/* The homography and a radial k1 fitted jointly (LM on the 9 parameters,
 * from the homography's own fit), ≥ 6 points; c's radial_origin and
 * radial_scale must be set (the output's centre and half diagonal). Fills
 * c->h and c->radial_k1. FOLD when the homography folds or when k1 bends
 * the screen more than a lens can (calib_radial_ok). */
enum calib_fit_status calib_fit_radial(const struct cr_calib_point *p, size_t n, int width,
                                       int height, struct cr_calib *c);
/* The same with c->radial_k1 given, not fitted: the homography that best
 * goes with that bend. */
enum calib_fit_status calib_fit_radial_held(const struct cr_calib_point *p, size_t n, int width,
                                            int height, struct cr_calib *c);
/* Is k1 a lens's (no fold, no squeeze of the screen, |k1| ≤ 0.25)? */
bool calib_radial_ok(double k1);
/* The radial correction of c at q, a homography output (px). */
void calib_apply_radial(const struct cr_calib *c, double qx, double qy, double *sx, double *sy);
void calib_apply_affine(const double a[6], double x, double y, double *sx, double *sy);
/* False when the point is on (or next to) the homography's line at infinity. */
bool calib_apply_homography(const double h[9], double x, double y, double *sx, double *sy);

/* --- calib_tps.c --- */

/* Regularisations tried for the spline (normalised units, see calib.h). */
#define CALIB_TPS_N_LAMBDAS 7
extern const double calib_tps_lambdas[CALIB_TPS_N_LAMBDAS];

/* Fits c's spline (centres, weights, tps_*) to the homography residuals of
 * the points, c->h already set, with regularisation lambda. False when the
 * system is singular or the corrected map folds inside the screen. */
bool calib_tps_fit(struct cr_calib *c, const struct cr_calib_point *p, size_t n, double lambda);
/* The spline's correction (px) at q, a homography output. */
void calib_tps_eval(const struct cr_calib *c, double qx, double qy, double *dx, double *dy);
/* The regularisation with the smallest leave-one-out error of the spline
 * alone (c->h fixed, fitted on all the points); false if none works. */
bool calib_tps_choose_lambda(struct cr_calib *c, const struct cr_calib_point *p, size_t n,
                             double *lambda);

/* --- calib.c --- */

/* Fits one model (no checks of the input beyond the fit's own), fills every
 * field of out. Returns the fit's status. */
enum calib_fit_status calib_fit_model(enum cr_calib_model model, const struct cr_calib_point *p,
                                      size_t n, int width, int height, struct cr_calib *out);
/* The checks of cr_calib_solve; NULL when the set is usable, else one
 * CR_CALIB_ERR_* and, in detail (may be NULL), which points. */
const char *calib_check_points(const struct cr_calib_point *p, size_t n, int width, int height,
                               size_t min_points, char *detail, size_t detail_size);

#endif
