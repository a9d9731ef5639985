/* Small dense linear algebra for the calibration solver: a one-sided Jacobi
 * SVD (accurate for the small, well-scaled matrices we build) and Gaussian
 * elimination with partial pivoting. Sizes are tiny (≤ 64×9, ≤ 35×35): no
 * blocking, no allocation. */
#include <math.h>
#include <string.h>

#include "input/calib_private.h"

#define SVD_MAX_SWEEPS 60

/* Rotates columns p and q of the m×n matrix x by (c, s). */
static void rotate_columns(double *x, size_t m, size_t n, size_t p, size_t q, double c, double s)
{
    for (size_t i = 0; i < m; i++) {
        double xp = x[i * n + p], xq = x[i * n + q];
        x[i * n + p] = c * xp - s * xq;
        x[i * n + q] = s * xp + c * xq;
    }
}

/* Hestenes: rotate pairs of columns of A until all are orthogonal; the
 * rotations accumulated in V give A·V = U·S. Each rotation zeroes the
 * inner product γ of columns p, q (norms α, β): with ζ = (β − α) / 2γ,
 * t = sign(ζ) / (|ζ| + √(1 + ζ²)), c = 1/√(1 + t²), s = c·t. */
void calib_svd(double *a, size_t m, size_t n, double *s, double *v)
{
    memset(v, 0, n * n * sizeof(*v));
    for (size_t j = 0; j < n; j++)
        v[j * n + j] = 1.0;

    for (int sweep = 0; sweep < SVD_MAX_SWEEPS; sweep++) {
        bool rotated = false;
        for (size_t p = 0; p + 1 < n; p++) {
            for (size_t q = p + 1; q < n; q++) {
                double alpha = 0, beta = 0, gamma = 0;
                for (size_t i = 0; i < m; i++) {
                    alpha += a[i * n + p] * a[i * n + p];
                    beta += a[i * n + q] * a[i * n + q];
                    gamma += a[i * n + p] * a[i * n + q];
                }
                /* Already orthogonal to working precision (or a zero column). */
                if (fabs(gamma) <= 1e-15 * sqrt(alpha * beta) || gamma == 0.0)
                    continue;
                rotated = true;
                double zeta = (beta - alpha) / (2.0 * gamma);
                double t = (zeta >= 0 ? 1.0 : -1.0) / (fabs(zeta) + sqrt(1.0 + zeta * zeta));
                double c = 1.0 / sqrt(1.0 + t * t);
                rotate_columns(a, m, n, p, q, c, c * t);
                rotate_columns(v, n, n, p, q, c, c * t);
            }
        }
        if (!rotated)
            break;
    }
    for (size_t j = 0; j < n; j++) {
        double norm = 0;
        for (size_t i = 0; i < m; i++)
            norm += a[i * n + j] * a[i * n + j];
        s[j] = sqrt(norm);
    }
}

bool calib_solve_dense(double *a, double *b, size_t n, size_t nrhs)
{
    double largest = 0;
    for (size_t i = 0; i < n * n; i++)
        largest = fmax(largest, fabs(a[i]));
    if (!(largest > 0) || !isfinite(largest))
        return false;
    const double tiny = largest * 1e-13;

    for (size_t k = 0; k < n; k++) {
        size_t pivot = k;
        for (size_t i = k + 1; i < n; i++) {
            if (fabs(a[i * n + k]) > fabs(a[pivot * n + k]))
                pivot = i;
        }
        if (fabs(a[pivot * n + k]) <= tiny)
            return false;
        if (pivot != k) {
            for (size_t j = 0; j < n; j++) {
                double t = a[k * n + j];
                a[k * n + j] = a[pivot * n + j];
                a[pivot * n + j] = t;
            }
            for (size_t j = 0; j < nrhs; j++) {
                double t = b[k * nrhs + j];
                b[k * nrhs + j] = b[pivot * nrhs + j];
                b[pivot * nrhs + j] = t;
            }
        }
        for (size_t i = k + 1; i < n; i++) {
            double f = a[i * n + k] / a[k * n + k];
            if (f == 0.0)
                continue;
            for (size_t j = k; j < n; j++)
                a[i * n + j] -= f * a[k * n + j];
            for (size_t j = 0; j < nrhs; j++)
                b[i * nrhs + j] -= f * b[k * nrhs + j];
        }
    }
    for (size_t k = n; k-- > 0;) {
        for (size_t j = 0; j < nrhs; j++) {
            double sum = b[k * nrhs + j];
            for (size_t i = k + 1; i < n; i++)
                sum -= a[k * n + i] * b[i * nrhs + j];
            b[k * nrhs + j] = sum / a[k * n + k];
        }
    }
    return true;
}
