/* Support for end-to-end tests: the real craie, headless, driven through
 * craiectl like a technician or a test harness would. Screenshots are kept
 * in build/test-artifacts/<name>-<driver>/ (look there when a step fails). */
#ifndef CR_TEST_E2E_H
#define CR_TEST_E2E_H

#include <SDL.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>

extern char *e2e_build_root, *e2e_tmp_dir, *e2e_socket_path, *e2e_artifacts, *e2e_driver;
extern GPid e2e_craie_pid;
extern bool e2e_craie_exited;
extern int e2e_craie_status;

/* After g_test_init: reads the environment, makes a private folder
 * (e2e_tmp_dir); name: the artifacts folder's prefix. Returns 77 (skip)
 * when not run through meson test, else 0. */
int e2e_init(const char *name);
/* Kills craie if still running, removes the private folder. */
void e2e_finish(void);
/* The folder craie saves pictures in (inside the private folder). */
const char *e2e_save_dir(void);

/* Starts craie windowed (1280x720, its control socket and state folder in the private
 * folder), then argv_extra; env_extra: "NAME=VALUE" strings. Both
 * NULL-terminated or NULL. Does not wait. */
void e2e_start_craie(const char *const *argv_extra, const char *const *env_extra);
/* The usual start: the test camera, the private save folder, extra
 * arguments (NULL-terminated, may be NULL); waits for the socket. */
void e2e_start(const char *const *extra);
/* "quit", then waits for craie to exit with status 0. */
void e2e_quit(void);
/* What craie wrote on stderr (read once it has exited). g_free. */
char *e2e_craie_log(void);

/* craiectl --socket=… ARGS… (NULL-terminated); returns its exit status. */
int e2e_ctl(char **out, char **err, ...) G_GNUC_NULL_TERMINATED;
#define E2E_OK(...)                                                                                \
    do {                                                                                           \
        char *e_ = NULL;                                                                           \
        int rc_ = e2e_ctl(NULL, &e_, __VA_ARGS__, NULL);                                           \
        if (rc_ != 0)                                                                              \
            g_error("craiectl %s failed (%d): %s", #__VA_ARGS__, rc_, e_);                         \
        g_free(e_);                                                                                \
    } while (0)

JsonObject *e2e_state(void); /* get_state (json_object_unref) */
/* Waits for cond(data), iterating the default context (child watch). */
bool e2e_wait_for(bool (*cond)(void *), void *data, int timeout_ms);
bool e2e_socket_ready(void *data);

struct e2e_rect {
    int x, y, w, h;
};
struct e2e_rect e2e_member_rect(JsonObject *o, const char *name);
/* The visible button doing action in get_state, or NULL (borrowed from s). */
JsonObject *e2e_button(JsonObject *s, const char *action);
/* Every file under dir, one "path size" a line, but those named in skip
 * (NULL-terminated, or NULL). */
void e2e_list_files(const char *dir, const char *const *skip, GPtrArray *out);
/* The first board tile of kind ("web", "media", …) in get_state s, or NULL. */
JsonObject *e2e_board_tile(JsonObject *s, const char *kind);
/* Taps the centre of that button with a finger (it must be enabled). */
void e2e_tap_button(const char *action);
/* Taps, with a finger, the visible button whose action starts with
 * action_prefix and whose label is label (keys of on-screen keyboards);
 * it must be enabled. */
void e2e_tap_labelled(const char *action_prefix, const char *label);

/* A screenshot as ARGB8888, also kept as NAME.png (SDL_FreeSurface). */
SDL_Surface *e2e_screenshot(const char *name);
/* A PNG file as ARGB8888. */
SDL_Surface *e2e_load(const char *path);
/* The colour at (x, y), 0xRRGGBB; or as channels. */
unsigned e2e_pixel(SDL_Surface *s, int x, int y);
void e2e_rgb(SDL_Surface *s, int x, int y, int rgb[3]);
bool e2e_surfaces_equal(SDL_Surface *a, SDL_Surface *b);
/* rgb (±tol per channel) within r pixels of (x, y). */
bool e2e_color_near(SDL_Surface *s, int x, int y, int r, unsigned rgb, int tol);
/* The newest PNG in the save folder (g_free), waiting for it, or NULL. */
char *e2e_wait_png(int timeout_ms);

#endif
