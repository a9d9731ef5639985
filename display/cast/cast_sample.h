/* A decoded GstSample as a cr_frame (cast pipelines only: GStreamer types
 * stay in display/cast/). */
#ifndef CR_CAST_SAMPLE_H
#define CR_CAST_SAMPLE_H

#include <gst/gst.h>

#include "display/frame.h"

/* Wraps sample (ownership transferred) without copying: the buffer stays
 * mapped until the frame's last unref. NULL when the format is not one the
 * renderer uploads as is (I420, NV12) or mapping fails. */
struct cr_frame *cr_cast_frame_from_sample(GstSample *sample);

#endif
