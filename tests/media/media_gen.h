/* Test media made at test time with real encoders: a video (GStreamer:
 * videotestsrc SMPTE bars + audiotestsrc → x264 + Vorbis → Matroska), an
 * audio file (sine → Vorbis → Ogg) and a two-page PDF (cairo). Shared by the
 * media suite and craie-bench media. */
#ifndef CR_TEST_MEDIA_GEN_H
#define CR_TEST_MEDIA_GEN_H

#include <stdbool.h>

/* SMPTE bars, width×height at 30 fps, with a moving ball in the bottom sixth
 * (each picture differs from the last), and a 440 Hz tone. */
bool cr_test_make_video(const char *path, int width, int height, int seconds);
/* SMPTE bars width×height in MP4, tagged as shot with the phone turned a
 * quarter (rotate-90): shown upright, height×width, the bars across. */
bool cr_test_make_portrait_video(const char *path, int width, int height, int seconds);
bool cr_test_make_audio(const char *path, int seconds);
/* Page 1: red background with "Page 1"; page 2: blue with "Page 2"; each
 * 400×300 pt with a black square at the top-left corner (40..120 pt). */
bool cr_test_make_pdf(const char *path);

#endif
