#ifndef CR_GST_LOG_H
#define CR_GST_LOG_H

#include <stdbool.h>

/* Initialises GStreamer and routes its log into craie's (module "gst"):
 * warnings and errors always, everything up to INFO with verbose. GST_DEBUG
 * in the environment still raises the threshold per category. */
bool cr_gst_log_init(bool verbose);

#endif
