/* The calibration solver: pure C, no libinput or SDL types.
 *
 * Input: pairs of (raw device-normalised position, screen pixel position of
 * the target that was touched). Output: a mapping raw → screen pixels. Models:
 *   affine      (6 parameters; what libinput and every other tool can do),
 *   projective  (homography: normalised DLT, then least-squares refinement of
 *                the geometric error in screen pixels),
 *   projective + a smooth residual correction (thin-plate spline on the
 *                homography's residuals, regularised), only with ≥ 16 points,
 *   projective + radial (the homography followed by a one-parameter radial
 *                distortion about the output's centre: a projector lens's
 *                barrel or pincushion; 9 parameters, from 6 points, so a
 *                9-point calibration gets it).
 * The model is chosen by leave-one-out cross-validation; the report says which
 * and why. Degenerate point sets are refused with a reason a technician can
 * read. */
#ifndef CR_CALIB_H
#define CR_CALIB_H

#include <stdbool.h>
#include <stddef.h>

#include "common/i18n.h"

enum cr_calib_model {
    CR_CALIB_IDENTITY, /* raw (0..1) × output size: no calibration */
    CR_CALIB_AFFINE,
    CR_CALIB_PROJECTIVE,
    CR_CALIB_PROJECTIVE_SMOOTH,
    /* Added after the others: stored values keep their meaning. */
    CR_CALIB_PROJECTIVE_RADIAL,
};

#define CR_CALIB_N_MODELS (CR_CALIB_PROJECTIVE_RADIAL + 1)

#define CR_CALIB_MAX_POINTS 32

struct cr_calib_point {
    double raw_x, raw_y;       /* device-normalised */
    double screen_x, screen_y; /* output pixels */
};

/* A solved calibration; a plain value (copyable). */
struct cr_calib {
    enum cr_calib_model model;
    int width, height; /* the output size (px) it was made for */
    double affine[6];  /* sx = a0*rx + a1*ry + a2; sy = a3*rx + a4*ry + a5 (px) */
    double h[9];       /* homography, row-major, raw → px */
    /* smooth correction (PROJECTIVE_SMOOTH): thin-plate spline in screen
     * space on the homography's output */
    int n_centres;
    double centres[CR_CALIB_MAX_POINTS][2];
    double weights[CR_CALIB_MAX_POINTS + 3][2];
    /* The spline works in normalised screen coordinates q' = (q - tps_origin)
     * / tps_scale (the output's centre and half diagonal), so that its
     * regularisation tps_lambda means the same on every output. Rows
     * 0..n_centres-1 of weights are the kernel weights (px), rows
     * n_centres..n_centres+2 the affine part (px) on (1, q'x, q'y). */
    double tps_origin[2];
    double tps_scale;
    double tps_lambda;
    /* radial correction (PROJECTIVE_RADIAL), on q = H(raw) in px:
     *   d = (q - radial_origin) / radial_scale,
     *   screen = q + (q - radial_origin)·radial_k1·min(|d|², rho_max²)
     * radial_origin is the output's centre, radial_scale its half
     * diagonal (|d| = 1 in the corners); past rho_max (1.5, well off the
     * screen) the factor is held, so the map never turns back. */
    double radial_origin[2];
    double radial_scale;
    double radial_k1;
};

/* What cr_calib_solve did. Indices are those of the points given. loo_px
 * is measured on the points kept (without the rejected one); the identity's
 * entry is its plain error (it has nothing to fit), -1 for a model not tried
 * or not determined (too few points, a fold of the LOO failed). */
struct cr_calib_report {
    enum cr_calib_model chosen;
    /* leave-one-out RMS error per model (px), -1 if not tried; indexed by
     * enum cr_calib_model */
    double loo_px[CR_CALIB_N_MODELS];
    double mean_px, max_px; /* fit residuals of the chosen model on the points kept */
    /* per point given, the rejected one too: predicted - target (px) */
    double residual_px[CR_CALIB_MAX_POINTS][2];
    size_t n_points;  /* points given */
    int rejected;     /* index of a point dropped as an outlier, or -1 */
    char reason[160]; /* why the chosen model (English, for logs) */
};

struct cr_calib_options {
    int width, height; /* output size in px */
    bool allow_smooth; /* default true: smooth correction with ≥ 16 points */
    /* a point whose LOO error exceeds this and is > 4× the median is
     * dropped (0: default 40) */
    double outlier_px;
};

/* Why a solve or fit failed: err receives exactly one of these (a small,
 * stable vocabulary; compare with them, or show _(err): po/fr.po has the
 * French). The details (which points) go to report->reason when a report is
 * given. */
#define CR_CALIB_ERR_TOO_FEW N_("too few points")
#define CR_CALIB_ERR_TOO_MANY N_("too many points")
#define CR_CALIB_ERR_NOT_FINITE N_("non-finite numbers")
#define CR_CALIB_ERR_BAD_SIZE N_("invalid output size")
#define CR_CALIB_ERR_RAW_EQUAL N_("raw positions all equal")
#define CR_CALIB_ERR_DUPLICATE N_("duplicate points")
#define CR_CALIB_ERR_COLLINEAR N_("collinear points")
#define CR_CALIB_ERR_FOLD N_("fold or flip")
#define CR_CALIB_ERR_UNSTABLE N_("numerically unstable")

/* Solves: checks the points (in the order of the reasons above), fits every
 * model the count allows (3 points: affine; 4: projective too; 7:
 * projective + radial too; 16 and allow_smooth: the smooth correction too), drops one misclick if
 * leave-one-out shows one, and keeps the simplest model that is not
 * clearly worse (calib.c says the rule). report (may be NULL) is filled on
 * success, and on failure its reason says which points were at fault. On
 * failure returns false, sets out to the identity and writes one
 * CR_CALIB_ERR_* into err (err_size bytes). Pure computation, any thread:
 * about 6 ms for 16 points, 25 ms for 32 (leave-one-out of every model). */
bool cr_calib_solve(const struct cr_calib_point *pts, size_t n, const struct cr_calib_options *opt,
                    struct cr_calib *out, struct cr_calib_report *report, char *err,
                    size_t err_size);
/* Fits one model only (bench, tests): affine needs 3 points, projective 4
 * (no 3 on a line), projective + radial 6, the smooth correction 16. Same errors as solve; out is
 * the identity on failure. */
bool cr_calib_fit(enum cr_calib_model model, const struct cr_calib_point *pts, size_t n, int width,
                  int height, struct cr_calib *out, char *err, size_t err_size);
/* raw → screen px. Off the homography's domain (a raw position on its line
 * at infinity, far outside the screen) the affine part answers. */
void cr_calib_apply(const struct cr_calib *c, double raw_x, double raw_y, double *sx, double *sy);
/* An identity calibration for an output. */
void cr_calib_identity(struct cr_calib *c, int width, int height);
/* The best affine approximation as libinput's normalised matrix (6 floats,
 * translation in device-normalised units: maps raw 0..1 → output 0..1). */
void cr_calib_libinput_matrix(const struct cr_calib *c, float m[6]);

/* Why a tap was refused while collecting (cr_calib_plausible's why; show
 * _(why)). */
#define CR_CALIB_WHY_NOT_FINITE CR_CALIB_ERR_NOT_FINITE
#define CR_CALIB_WHY_DOUBLE_TOUCH N_("double touch")
#define CR_CALIB_WHY_TOO_FAR N_("too far from the target")
#define CR_CALIB_WHY_ORDER N_("out of order with the other taps")

/* Misclick check while collecting points: is a tap at raw for the target at
 * screen px plausible given the points accepted so far (and the previous tap
 * for a double touch)? Returns false with one CR_CALIB_WHY_* in why.
 *   - a tap within 7 px (converted with the fit of the accepted points, or
 *     the identity) of an accepted tap's raw position: a double touch;
 *   - fewer than 4 accepted: the identity must land within 25 % of the
 *     output's diagonal of the target (a keystoned projector is far off),
 *     and the tap must be on the same side as the target of every accepted
 *     target more than 20 % of the width (height) away;
 *   - 4 or more: the fit of the accepted points must land within 8 % of the
 *     diagonal of the target. */
bool cr_calib_plausible(const struct cr_calib_point *accepted, size_t n, double raw_x, double raw_y,
                        double target_x, double target_y, int width, int height, char *why,
                        size_t why_size);

/* Target positions for 4, 9 or 16 points on a width×height output (px),
 * inset from the edges; returns the count written (0 for an unsupported n).
 * A square grid (2×2, 3×3, 4×4) from 1/8 to 7/8 of each side, row by row
 * from the top left. */
size_t cr_calib_targets(size_t n, int width, int height, double (*out)[2]);

/* Text form for the calibration store (one line, locale-independent):
 *   v1 MODEL WIDTH HEIGHT [a=6 numbers] [h=9 numbers]
 *      [tps=origin_x,origin_y,scale,lambda c=2n numbers w=2(n+3) numbers]
 *   v2 the same, and MODEL may also be projective+radial, which has
 *      a= h= r=origin_x,origin_y,scale,k1
 * numbers comma-separated, exact (round trip). Written as v1 whenever v1
 * can say it (an older craie still reads it), v2 for projective+radial;
 * both are read. */
char *cr_calib_to_string(const struct cr_calib *c);             /* g_free */
bool cr_calib_from_string(const char *s, struct cr_calib *out); /* false if malformed */

/* "identity", "affine", "projective", "projective+smooth",
 * "projective+radial" */
const char *cr_calib_model_name(enum cr_calib_model m);

#endif
