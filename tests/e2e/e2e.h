/* Support for end-to-end tests: the real craie, headless, driven through
 * craiectl like a technician or a test harness would. Screenshots go to
 * build/test-artifacts/<name>-<driver>/ (look there when a step fails). */
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

/* After g_test_init: paths, the SDL driver (CRAIE_E2E_VIDEO or dummy).
 * Returns 77 (skip) when not run through meson test, else 0. */
int e2e_init(const char *name);
/* Kills craie if still running; call at the end of main. */
void e2e_cleanup(void);

/* craiectl --socket=… ARGS… (NULL-terminated); returns its exit status. */
int e2e_ctl(char **out, char **err, ...) G_GNUC_NULL_TERMINATED;
#define E2E_CTL_OK(...)                                                                            \
    do {                                                                                           \
        char *e_ = NULL;                                                                           \
        int rc_ = e2e_ctl(NULL, &e_, __VA_ARGS__, NULL);                                           \
        if (rc_ != 0)                                                                              \
            g_error("craiectl %s failed (%d): %s", #__VA_ARGS__, rc_, e_);                         \
        g_free(e_);                                                                                \
    } while (0)

JsonObject *e2e_state(void); /* get_state (json_object_unref) */
/* Waits for cond, iterating the default context (child watch). */
bool e2e_wait_for(bool (*cond)(void *), void *data, int timeout_ms);
bool e2e_socket_ready(void *data);

/* Starts craie windowed (1280x720) with its control socket in the temp
 * folder, then argv_extra; env_extra: "NAME=VALUE" strings. Both
 * NULL-terminated or NULL. */
void e2e_start_craie(const char *const *argv_extra, const char *const *env_extra);
/* What craie wrote on stderr (read once it has exited). g_free. */
char *e2e_craie_log(void);

struct e2e_rect {
    int x, y, w, h;
};
struct e2e_rect e2e_member_rect(JsonObject *o, const char *name);
/* Taps the centre of the visible button whose action is `action`. */
void e2e_tap_button(const char *action);

struct e2e_shot {
    SDL_Surface *s; /* ARGB8888 */
};
struct e2e_shot e2e_screenshot(const char *name);
void e2e_shot_free(struct e2e_shot *sh);
void e2e_pixel(struct e2e_shot *sh, int x, int y, int rgb[3]);
bool e2e_shots_equal(struct e2e_shot *a, struct e2e_shot *b);

#endif
