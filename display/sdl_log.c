/* SDL's own log messages, routed into craie's log (module "sdl"). */
#include <SDL.h>

#include "common/log.h"
#include "display/sdl_log.h"

static void sdl_log(void *userdata, int category, SDL_LogPriority priority, const char *message)
{
    GLogLevelFlags level = G_LOG_LEVEL_DEBUG;
    if (priority >= SDL_LOG_PRIORITY_ERROR)
        level = G_LOG_LEVEL_CRITICAL;
    else if (priority == SDL_LOG_PRIORITY_WARN)
        level = G_LOG_LEVEL_WARNING;
    else if (priority == SDL_LOG_PRIORITY_INFO)
        level = G_LOG_LEVEL_INFO;
    cr_log(level, "sdl", "%s", message);
}

void cr_sdl_log_init(bool verbose)
{
    SDL_LogSetOutputFunction(sdl_log, NULL);
    SDL_LogSetAllPriority(verbose ? SDL_LOG_PRIORITY_DEBUG : SDL_LOG_PRIORITY_WARN);
}
