#include "display/camera/camera_device.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

void cr_camera_device_copy(struct cr_camera_device *dst, const struct cr_camera_device *src)
{
    dst->id = cr_xstrdup(src->id);
    dst->name = cr_xstrdup(src->name);
    dst->path = cr_xstrdup(src->path);
    dst->is_test = src->is_test;
    dst->n_modes = src->n_modes;
    dst->modes = NULL;
    if (src->n_modes > 0) {
        dst->modes = cr_xcalloc(src->n_modes, sizeof(*dst->modes));
        memcpy(dst->modes, src->modes, src->n_modes * sizeof(*dst->modes));
    }
}

void cr_camera_device_clear(struct cr_camera_device *dev)
{
    free(dev->id);
    free(dev->name);
    free(dev->path);
    free(dev->modes);
    memset(dev, 0, sizeof(*dev));
}

/* What the test source offers: the decode path (MJPEG) and the two raw sizes
 * a real document camera is most often used in. */
static const struct cr_camera_mode test_modes[] = {
    {CR_CODEC_RAW, CR_PIXEL_I420, 1920, 1080, 30, 1},
    {CR_CODEC_MJPEG, CR_PIXEL_UNKNOWN, 1920, 1080, 30, 1},
    {CR_CODEC_RAW, CR_PIXEL_I420, 1280, 720, 30, 1},
};

void cr_camera_device_init_test(struct cr_camera_device *dev)
{
    const struct cr_camera_device test = {
        .id = "test",
        /* Shown to users as is: the name teachers know it by. */
        .name = "Mire de test",
        .path = NULL,
        .is_test = true,
        .modes = (struct cr_camera_mode *)test_modes,
        .n_modes = G_N_ELEMENTS(test_modes),
    };
    cr_camera_device_copy(dev, &test);
}
