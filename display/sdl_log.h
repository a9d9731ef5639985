#ifndef CR_SDL_LOG_H
#define CR_SDL_LOG_H

#include <stdbool.h>

/* Routes SDL's log into craie's (module "sdl"). */
void cr_sdl_log_init(bool verbose);

#endif
