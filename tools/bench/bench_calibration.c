/* craie-bench calibration: how far from the pen craie draws, against the
 * affine calibration every other tool (libinput, weston, xinput_calibrator)
 * is limited to, on the same taps.
 *
 * The taps come from a physical scene, not from the solver's own models: a
 * projector with a 1.5 throw ratio (16:9 image, half field of view tan 1/3)
 * whose optical axis is off the board's normal by a vertical and a
 * horizontal angle (keystone), through a lens with radial distortion k1
 * (relative displacement of the image corners; < 0 barrel), onto the board;
 * an IR frame on the board reports positions normalised to its rectangle
 * (the image's bounding box plus 5 %), slightly rotated. The levels:
 *   none      projector square to the board, frame 0.5° off: affine is exact
 *   mild      5° off-axis vertically, 0.5 % barrel
 *   typical   15° off-axis vertically (the top of the image ~10 % narrower
 *             than the bottom), 1 % barrel (a short-throw lens): a projector
 *             on a trolley or an imperfect ceiling mount
 *   strong    25° vertically and 8° horizontally, 2 % barrel
 *   extreme   35° vertically and 15° horizontally, 4 % barrel
 * Each tap lands N(0, 1.5 px) off its target (fixed seeds). Errors are
 * measured on a 48×27 grid of screen points (cell centres, not the targets,
 * edges included), averaged over TRIALS tap sets. Prints key=value lines on
 * stdout (unsuffixed for 9 taps, craie's default; _16pt for 16) and a table
 * on stderr. Not a timed test.
 *
 * Then the two recorded sessions checked in under tests/data/input
 * (calib9-pen.targets, calib16-pen.targets: a keystoned projector pen
 * emulated through the kernel and recorded by `libinput record`): their
 * leave-one-out errors, and, since their comment gives the image's corners
 * on the pen (an exact homography), their held-out error on the grid. */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_config.h"
#include "input/calib.h"

int cr_bench_calibration(int argc, char **argv);

#define W 1920
#define H 1080
#define SIGMA_PX 1.5
#define TRIALS 20
#define GRID_X 48
#define GRID_Y 27

struct level {
    const char *name;
    double tilt_deg, yaw_deg, k1;
};

static const struct level levels[] = {
    {"none", 0, 0, 0},         {"mild", 5, 0, -0.005},   {"plain", 15, 0, 0},
    {"typical", 15, 0, -0.01}, {"strong", 25, 8, -0.02}, {"extreme", 35, 15, -0.04},
};

struct scene {
    double k1, roll;
    double rot[9]; /* board orientation, row-major: columns e_x, e_y, normal */
    double x0, y0, wx, wy;
};

static void ray(const struct scene *sc, double sx, double sy, double *u, double *v)
{
    double nx = 2 * sx / W - 1, ny = (2 * sy / H - 1) * 9.0 / 16;
    double f = 1 + sc->k1 * (nx * nx + ny * ny) / (1 + (9.0 / 16) * (9.0 / 16));
    *u = nx * f / 3;
    *v = ny * f / 3;
}

static void board(const struct scene *sc, double sx, double sy, double *bx, double *by)
{
    double u, v;
    ray(sc, sx, sy, &u, &v);
    const double *r = sc->rot;
    double t = r[8] / (r[2] * u + r[5] * v + r[8]); /* plane through (0,0,1) */
    double p[3] = {t * u, t * v, t - 1};
    double x = p[0] * r[0] + p[1] * r[3] + p[2] * r[6];
    double y = p[0] * r[1] + p[1] * r[4] + p[2] * r[7];
    *bx = cos(sc->roll) * x - sin(sc->roll) * y;
    *by = sin(sc->roll) * x + cos(sc->roll) * y;
}

static void scene_init(struct scene *sc, const struct level *l)
{
    memset(sc, 0, sizeof(*sc));
    sc->k1 = l->k1;
    sc->roll = 0.5 * G_PI / 180;
    double t = l->tilt_deg * G_PI / 180, y = l->yaw_deg * G_PI / 180;
    const double rot[9] = {cos(y),  sin(y) * sin(t), sin(y) * cos(t), 0, cos(t), -sin(t),
                           -sin(y), cos(y) * sin(t), cos(y) * cos(t)};
    memcpy(sc->rot, rot, sizeof(rot));
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    for (int i = 0; i <= 64; i++) {
        for (int j = 0; j <= 64; j++) {
            double bx, by;
            board(sc, W * i / 64.0, H * j / 64.0, &bx, &by);
            minx = fmin(minx, bx);
            maxx = fmax(maxx, bx);
            miny = fmin(miny, by);
            maxy = fmax(maxy, by);
        }
    }
    sc->wx = (maxx - minx) * 1.1;
    sc->wy = (maxy - miny) * 1.1;
    sc->x0 = minx - 0.05 * (maxx - minx);
    sc->y0 = miny - 0.05 * (maxy - miny);
}

static void to_raw(const struct scene *sc, double sx, double sy, double *rx, double *ry)
{
    double bx, by;
    board(sc, sx, sy, &bx, &by);
    *rx = (bx - sc->x0) / sc->wx;
    *ry = (by - sc->y0) / sc->wy;
}

static double gauss(GRand *rng)
{
    double u1 = g_rand_double_range(rng, 1e-12, 1), u2 = g_rand_double(rng);
    return SIGMA_PX * sqrt(-2 * log(u1)) * cos(2 * G_PI * u2);
}

/* Mean and max distance between where the pen is and where c puts it. */
static void grid_error(const struct scene *sc, const struct cr_calib *c, double *mean, double *max)
{
    double sum = 0;
    *max = 0;
    for (int j = 0; j < GRID_Y; j++) {
        for (int i = 0; i < GRID_X; i++) {
            double x = (i + 0.5) * W / GRID_X, y = (j + 0.5) * H / GRID_Y, rx, ry, sx, sy;
            to_raw(sc, x, y, &rx, &ry);
            cr_calib_apply(c, rx, ry, &sx, &sy);
            double e = hypot(sx - x, sy - y);
            sum += e;
            *max = fmax(*max, e);
        }
    }
    *mean = sum / (GRID_X * GRID_Y);
}

struct result {
    double affine_mean, affine_max, craie_mean, craie_max;
    int models[CR_CALIB_N_MODELS]; /* how often each model was chosen */
    int failures;
};

static void run_level(const struct level *l, size_t n_points, struct result *res)
{
    struct scene sc;
    scene_init(&sc, l);
    memset(res, 0, sizeof(*res));
    double targets[16][2];
    cr_calib_targets(n_points, W, H, targets);
    const struct cr_calib_options opt = {.width = W, .height = H, .allow_smooth = true};
    int done = 0;
    for (guint32 trial = 0; trial < TRIALS; trial++) {
        g_autoptr(GRand) rng = g_rand_new_with_seed(1000 * (guint32)n_points + trial);
        struct cr_calib_point p[16];
        for (size_t i = 0; i < n_points; i++) {
            double dx = gauss(rng), dy = gauss(rng);
            to_raw(&sc, targets[i][0] + dx, targets[i][1] + dy, &p[i].raw_x, &p[i].raw_y);
            p[i].screen_x = targets[i][0];
            p[i].screen_y = targets[i][1];
        }
        struct cr_calib affine, craie;
        struct cr_calib_report report;
        char err[64];
        if (!cr_calib_fit(CR_CALIB_AFFINE, p, n_points, W, H, &affine, err, sizeof(err)) ||
            !cr_calib_solve(p, n_points, &opt, &craie, &report, err, sizeof(err))) {
            fprintf(stderr, "# %s, %zu points, trial %u: %s\n", l->name, n_points, trial, err);
            res->failures++;
            continue;
        }
        double mean, max;
        grid_error(&sc, &affine, &mean, &max);
        res->affine_mean += mean;
        res->affine_max += max;
        grid_error(&sc, &craie, &mean, &max);
        res->craie_mean += mean;
        res->craie_max += max;
        res->models[report.chosen]++;
        done++;
    }
    if (done) {
        res->affine_mean /= done;
        res->affine_max /= done;
        res->craie_mean /= done;
        res->craie_max /= done;
    }
}

static const char *usual_model(const struct result *r)
{
    int best = 0;
    for (int m = 1; m < CR_CALIB_N_MODELS; m++) {
        if (r->models[m] > r->models[best])
            best = m;
    }
    return cr_calib_model_name((enum cr_calib_model)best);
}

/* "projective 12, projective+smooth 8": how often each model was chosen. */
static void models_text(const struct result *r, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int m = 0; m < CR_CALIB_N_MODELS; m++) {
        if (!r->models[m])
            continue;
        char part[48];
        snprintf(part, sizeof(part), "%s%s %d", buf[0] ? ", " : "",
                 cr_calib_model_name((enum cr_calib_model)m), r->models[m]);
        g_strlcat(buf, part, size);
    }
}

static double ratio(const struct result *r)
{
    return r->craie_mean > 0 ? r->affine_mean / r->craie_mean : 0;
}

/* --taps FILE: "WIDTH HEIGHT" then "raw_x raw_y target_x target_y" lines
 * (# comments). No held-out truth there: the leave-one-out errors. */
static int run_taps(const char *path)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    if (!g_file_get_contents(path, &text, NULL, &error)) {
        fprintf(stderr, "craie-bench calibration: %s\n", error->message);
        return 1;
    }
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    int width = 0, height = 0;
    struct cr_calib_point p[CR_CALIB_MAX_POINTS];
    size_t n = 0;
    for (guint i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit_set(g_strstrip(lines[i]), " \t", -1);
        if (!f[0] || !*f[0] || f[0][0] == '#')
            continue;
        double v[4];
        guint count = 0;
        for (guint k = 0; f[k] && count < 4; k++) {
            if (!*f[k])
                continue;
            char *end;
            v[count] = g_ascii_strtod(f[k], &end);
            if (*end)
                break;
            count++;
        }
        if (!width && count == 2) {
            width = (int)v[0];
            height = (int)v[1];
        } else if (width && count == 4 && n < CR_CALIB_MAX_POINTS) {
            p[n++] = (struct cr_calib_point){v[0], v[1], v[2], v[3]};
        } else {
            fprintf(stderr, "craie-bench calibration: %s:%u: expected %s\n", path, i + 1,
                    width ? "raw_x raw_y target_x target_y" : "WIDTH HEIGHT");
            return 2;
        }
    }
    const struct cr_calib_options opt = {.width = width, .height = height, .allow_smooth = true};
    struct cr_calib c;
    struct cr_calib_report r;
    char err[64];
    if (!cr_calib_solve(p, n, &opt, &c, &r, err, sizeof(err))) {
        fprintf(stderr, "craie-bench calibration: %s: %s (%s)\n", path, err, r.reason);
        return 1;
    }
    fprintf(stderr, "# %s: %zu taps on %dx%d: %s\n", path, n, width, height, r.reason);
    printf("taps_points=%zu\n", n);
    printf("taps_affine_loo_px=%.2f\n", r.loo_px[CR_CALIB_AFFINE]);
    printf("taps_craie_loo_px=%.2f\n", r.loo_px[r.chosen]);
    printf("taps_model=%s\n", cr_calib_model_name(r.chosen));
    printf("taps_rejected=%d\n", r.rejected);
    printf("taps_mean_residual_px=%.2f\n", r.mean_px);
    return 0;
}

/* A recorded session (tests/data/input/calib*-pen.targets): "# ... Output
 * WxH ..." and "# Pen corners of the image (normalised): TL x,y TR x,y BR
 * x,y BL x,y" comments, then "screen_x screen_y raw_x raw_y" lines. */
struct session {
    int width, height;
    struct cr_calib_point p[CR_CALIB_MAX_POINTS];
    size_t n;
    bool has_corners;
    double corners[4][2]; /* TL, TR, BR, BL on the pen, 0..1 */
};

static bool read_session(const char *path, struct session *se)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    memset(se, 0, sizeof(*se));
    if (!g_file_get_contents(path, &text, NULL, &error)) {
        fprintf(stderr, "craie-bench calibration: %s\n", error->message);
        return false;
    }
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        const char *line = g_strstrip(lines[i]);
        if (line[0] == '#') {
            const char *output = strstr(line, "Output ");
            if (output)
                sscanf(output, "Output %dx%d", &se->width, &se->height);
            const char *corners = strstr(line, "TL ");
            if (corners) {
                double *c = &se->corners[0][0];
                se->has_corners =
                    sscanf(corners, "TL %lf,%lf TR %lf,%lf BR %lf,%lf BL %lf,%lf", &c[0], &c[1],
                           &c[2], &c[3], &c[4], &c[5], &c[6], &c[7]) == 8;
            }
            continue;
        }
        if (!*line)
            continue;
        g_auto(GStrv) f = g_strsplit_set(line, " \t", -1);
        double v[4];
        guint count = 0;
        for (guint k = 0; f[k]; k++) {
            if (!*f[k])
                continue;
            char *end;
            double x = g_ascii_strtod(f[k], &end);
            if (*end || count == 4) {
                count = 5;
                break;
            }
            v[count++] = x;
        }
        if (count != 4 || se->n == CR_CALIB_MAX_POINTS) {
            fprintf(stderr,
                    "craie-bench calibration: %s:%u: expected screen_x screen_y raw_x raw_y\n",
                    path, i + 1);
            return false;
        }
        se->p[se->n++] = (struct cr_calib_point){v[2], v[3], v[0], v[1]};
    }
    if (se->width <= 0 || se->height <= 0) {
        fprintf(stderr, "craie-bench calibration: %s: no \"Output WxH\" comment\n", path);
        return false;
    }
    return true;
}

/* Mean error on a grid of held-out screen points against the truth the
 * corners define: the homography screen → pen through the image's corners
 * (made with craie's own 4-point fit, which is exact, the roles swapped:
 * "raw" the screen position in 0..1, "screen" the pen position in px). */
static bool session_truth(const struct session *se, struct cr_calib *truth)
{
    const double unit[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    struct cr_calib_point q[4];
    for (int k = 0; k < 4; k++) {
        q[k] = (struct cr_calib_point){unit[k][0], unit[k][1], se->corners[k][0] * se->width,
                                       se->corners[k][1] * se->height};
    }
    char err[64];
    return cr_calib_fit(CR_CALIB_PROJECTIVE, q, 4, se->width, se->height, truth, err, sizeof(err));
}

static double session_error(const struct session *se, const struct cr_calib *truth,
                            const struct cr_calib *c)
{
    double sum = 0;
    for (int j = 0; j < GRID_Y; j++) {
        for (int i = 0; i < GRID_X; i++) {
            double x = (i + 0.5) / GRID_X, y = (j + 0.5) / GRID_Y, px, py, sx, sy;
            cr_calib_apply(truth, x, y, &px, &py);
            cr_calib_apply(c, px / se->width, py / se->height, &sx, &sy);
            sum += hypot(sx - x * se->width, sy - y * se->height);
        }
    }
    return sum / (GRID_X * GRID_Y);
}

static bool run_session(size_t n_points)
{
    g_autofree char *name = g_strdup_printf("calib%zu-pen.targets", n_points);
    g_autofree char *path = g_build_filename(CR_SOURCE_ROOT, "tests", "data", "input", name, NULL);
    struct session se;
    if (!read_session(path, &se))
        return false;
    const struct cr_calib_options opt = {
        .width = se.width, .height = se.height, .allow_smooth = true};
    struct cr_calib affine, craie;
    struct cr_calib_report r;
    char err[64];
    if (!cr_calib_fit(CR_CALIB_AFFINE, se.p, se.n, se.width, se.height, &affine, err,
                      sizeof(err)) ||
        !cr_calib_solve(se.p, se.n, &opt, &craie, &r, err, sizeof(err))) {
        fprintf(stderr, "craie-bench calibration: %s: %s\n", path, err);
        return false;
    }
    double a_loo = r.loo_px[CR_CALIB_AFFINE], c_loo = r.loo_px[r.chosen];
    fprintf(stderr, "# recorded %s: %zu taps, %s\n", name, se.n, r.reason);
    printf("recorded_%zu_affine_loo_px=%.2f\n", n_points, a_loo);
    printf("recorded_%zu_craie_loo_px=%.2f\n", n_points, c_loo);
    printf("recorded_%zu_ratio=%.1f\n", n_points, c_loo > 0 ? a_loo / c_loo : 0);
    printf("recorded_%zu_model=%s\n", n_points, cr_calib_model_name(r.chosen));
    struct cr_calib truth;
    if (se.has_corners && session_truth(&se, &truth)) {
        printf("recorded_%zu_affine_mean_px=%.2f\n", n_points, session_error(&se, &truth, &affine));
        printf("recorded_%zu_craie_mean_px=%.2f\n", n_points, session_error(&se, &truth, &craie));
    }
    return true;
}

int cr_bench_calibration(int argc, char **argv)
{
    g_autofree char *taps = NULL;
    GOptionEntry entries[] = {
        {"taps", 't', 0, G_OPTION_ARG_FILENAME, &taps,
         "Also solve recorded taps (WIDTH HEIGHT, then raw_x raw_y target_x target_y lines)",
         "FILE"},
        {NULL},
    };
    g_autoptr(GOptionContext) opt = g_option_context_new("- calibration accuracy benchmark");
    g_option_context_add_main_entries(opt, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(opt, &argc, &argv, &err)) {
        fprintf(stderr, "craie-bench calibration: %s\n", err->message);
        return 2;
    }

    fprintf(stderr, "\n%-8s %3s %11s %11s %11s %11s %7s  %s\n", "keystone", "pts", "affine mean",
            "affine max", "craie mean", "craie max", "ratio", "models chosen");
    for (size_t i = 0; i < G_N_ELEMENTS(levels); i++) {
        const size_t counts[2] = {9, 16};
        for (int k = 0; k < 2; k++) {
            struct result r;
            run_level(&levels[i], counts[k], &r);
            char models[128];
            models_text(&r, models, sizeof(models));
            fprintf(stderr, "%-8s %3zu %8.2f px %8.2f px %8.2f px %8.2f px %7.1f  %s\n",
                    levels[i].name, counts[k], r.affine_mean, r.affine_max, r.craie_mean,
                    r.craie_max, ratio(&r), models);
            /* 9 points is craie's default calibration; the 16-point figures
             * get a _16pt suffix. */
            const char *suffix = counts[k] == 9 ? "" : "_16pt";
            const char *name = levels[i].name;
            printf("affine_mean_px_%s%s=%.2f\n", name, suffix, r.affine_mean);
            printf("affine_max_px_%s%s=%.2f\n", name, suffix, r.affine_max);
            printf("craie_mean_px_%s%s=%.2f\n", name, suffix, r.craie_mean);
            printf("craie_max_px_%s%s=%.2f\n", name, suffix, r.craie_max);
            printf("ratio_%s%s=%.1f\n", name, suffix, ratio(&r));
            printf("model_%s%s=%s\n", name, suffix, usual_model(&r));
            if (r.failures)
                printf("failures_%s%s=%d\n", name, suffix, r.failures);
        }
    }
    fprintf(stderr,
            "\n(%d tap sets per line, taps N(0, %.1f px); mean and max error on a %dx%d grid of\n"
            "held-out screen points, averaged over the sets; ratio = affine mean / craie mean)\n\n",
            TRIALS, SIGMA_PX, GRID_X, GRID_Y);
    bool recorded = run_session(9) && run_session(16);
    int status = taps ? run_taps(taps) : 0;
    return recorded ? status : 1;
}
