/* The calibration solver: pure C, no libinput or SDL types.
 *
 * Input: pairs of (raw device-normalised position, screen pixel position of
 * the target that was touched). Output: a mapping raw → screen pixels. Models:
 *   affine      (6 parameters; what libinput and every other tool can do),
 *   projective  (homography: normalised DLT, then least-squares refinement of
 *                the geometric error in screen pixels),
 *   projective + a smooth residual correction (thin-plate spline on the
 *                homography's residuals, regularised), only with ≥ 16 points.
 * The model is chosen by leave-one-out cross-validation; the report says which
 * and why. Degenerate point sets are refused with a reason a technician can
 * read. */
#ifndef CR_CALIB_H
#define CR_CALIB_H

#include <stdbool.h>
#include <stddef.h>

enum cr_calib_model {
    CR_CALIB_IDENTITY, /* raw (0..1) × output size: no calibration */
    CR_CALIB_AFFINE,
    CR_CALIB_PROJECTIVE,
    CR_CALIB_PROJECTIVE_SMOOTH,
};

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
};

struct cr_calib_report {
    enum cr_calib_model chosen;
    double loo_px[4];       /* leave-one-out RMS error per model (px), -1 if not tried */
    double mean_px, max_px; /* fit residuals of the chosen model on the points given */
    double residual_px[CR_CALIB_MAX_POINTS][2]; /* per point: predicted - target (px) */
    size_t n_points;
    int rejected;     /* index of a point dropped as an outlier, or -1 */
    char reason[160]; /* why the chosen model (English, for logs) */
};

struct cr_calib_options {
    int width, height; /* output size in px */
    bool allow_smooth; /* default true: smooth correction with ≥ 16 points */
    double outlier_px; /* a point whose LOO error exceeds this and is > 4× the median is dropped (0:
                          default 40) */
};

/* Solves; on failure returns false and writes a clear reason (translated
 * with _() by the caller if shown) into err (err_size bytes). */
bool cr_calib_solve(const struct cr_calib_point *pts, size_t n, const struct cr_calib_options *opt,
                    struct cr_calib *out, struct cr_calib_report *report, char *err,
                    size_t err_size);
/* Fits one model only (bench, tests). */
bool cr_calib_fit(enum cr_calib_model model, const struct cr_calib_point *pts, size_t n, int width,
                  int height, struct cr_calib *out, char *err, size_t err_size);
/* raw → screen px. */
void cr_calib_apply(const struct cr_calib *c, double raw_x, double raw_y, double *sx, double *sy);
/* An identity calibration for an output. */
void cr_calib_identity(struct cr_calib *c, int width, int height);
/* The best affine approximation as libinput's normalised matrix (6 floats,
 * translation in device-normalised units: maps raw 0..1 → output 0..1). */
void cr_calib_libinput_matrix(const struct cr_calib *c, float m[6]);

/* Misclick check while collecting points: is a tap at raw for the target at
 * screen px plausible given the points accepted so far (and the previous tap
 * for a double touch)? Returns false with a reason. */
bool cr_calib_plausible(const struct cr_calib_point *accepted, size_t n, double raw_x, double raw_y,
                        double target_x, double target_y, int width, int height, char *why,
                        size_t why_size);

/* Target positions for 4, 9 or 16 points on a width×height output (px),
 * inset from the edges; returns the count written (0 for an unsupported n). */
size_t cr_calib_targets(size_t n, int width, int height, double (*out)[2]);

/* Text form for the calibration store (one line, locale-independent). */
char *cr_calib_to_string(const struct cr_calib *c);             /* g_free */
bool cr_calib_from_string(const char *s, struct cr_calib *out); /* false if malformed */

const char *cr_calib_model_name(enum cr_calib_model m); /* "affine", "projective", ... */

#endif
