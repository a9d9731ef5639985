/* Camera modes and the choice of the best one (pure functions). */
#ifndef CR_CAMERA_MODE_H
#define CR_CAMERA_MODE_H

#include <stdbool.h>
#include <stddef.h>

#include "display/frame.h"

enum cr_camera_codec {
    CR_CODEC_RAW,   /* uncompressed: raw_format says which */
    CR_CODEC_MJPEG, /* image/jpeg, decoded with jpegdec */
};

struct cr_camera_mode {
    enum cr_camera_codec codec;
    enum cr_pixel_format raw_format; /* CR_CODEC_RAW: I420, NV12 or YUY2 */
    int width, height;
    int fps_num, fps_den;
};

double cr_camera_mode_fps(const struct cr_camera_mode *mode);

/* "1920x1080@30", "1280x720@30/raw", "3840x2160@25/mjpeg", "1920x1080@30000/1001".
 * Without a codec suffix, codec is MJPEG. "/raw" leaves raw_format UNKNOWN
 * (any raw format matches it when picking); "/raw-YUY2" (I420, NV12) sets it.
 * Returns false on bad text. */
bool cr_camera_mode_parse(const char *text, struct cr_camera_mode *out);
/* "1920x1080@30/mjpeg" (raw: "/raw-YUY2"). g_free. */
char *cr_camera_mode_to_string(const struct cr_camera_mode *mode);
bool cr_camera_mode_equal(const struct cr_camera_mode *a, const struct cr_camera_mode *b);

struct cr_camera_pick_options {
    bool allow_4k;                       /* take 3840x2160 when offered at >= 25 fps */
    const struct cr_camera_mode *wanted; /* configured mode, or NULL for automatic */
};

/* The rule, in order:
 *  1. a wanted mode that the camera offers (same size, codec and rate);
 *  2. with allow_4k, a 4K mode (>= 3840x2160) at >= 25 fps (MJPEG first);
 *  3. MJPEG 1920x1080 at 30 fps (or more);
 *  4. the largest mode at >= 25 fps, MJPEG or raw (raw first at equal size:
 *     it costs no decoding);
 *  5. else the fastest mode, then the largest.
 * "30 fps" includes 30000/1001. Without allow_4k, 4K modes are left out of
 * rules 4 and 5 unless the camera offers nothing else. Remaining ties go to
 * NV12/I420 before YUY2, then to the rate nearest 30 from above (extra frames
 * only cost CPU), then to the list order. Returns false only when n == 0. */
bool cr_camera_pick_mode(const struct cr_camera_mode *modes, size_t n,
                         const struct cr_camera_pick_options *opts, struct cr_camera_mode *out);

#endif
