/* The still picture shown in the tile of an audio resource: its title under
 * a large note on a dark background, so that the tile is never black. */
#ifndef CR_AUDIO_CARD_H
#define CR_AUDIO_CARD_H

#include "display/frame.h"

/* Any thread. A BGRA frame of width×height with one reference, or NULL if
 * memory cannot be had. title: UTF-8, may be NULL. */
struct cr_frame *cr_audio_card_render(const char *title, int width, int height);

#endif
