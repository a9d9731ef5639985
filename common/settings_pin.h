/* The technician's PIN for the Réglages screen: never stored, only a salted
 * PBKDF2-HMAC-SHA256 hash (100 000 iterations, 16 random bytes of salt) in
 * STATE_DIR/settings-pin (mode 0600):
 *   pbkdf2-sha256$100000$SALT_BASE64$HASH_BASE64
 * Wrong PINs are rate-limited: after 3 in a row, each further try waits
 * 30 s, doubling up to 15 min (in memory: a restart does not reset the
 * count faster than a reboot takes). Not thread-safe: one owner. */
#ifndef CR_SETTINGS_PIN_H
#define CR_SETTINGS_PIN_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define CR_PIN_ITERATIONS 100000
#define CR_PIN_FREE_TRIES 3
#define CR_PIN_MIN_DIGITS 4
#define CR_PIN_MAX_DIGITS 12

struct cr_settings_pin {
    char *path; /* NULL: memory only */
    bool set;
    unsigned iterations;
    unsigned char salt[16];
    unsigned char hash[32];
    unsigned set_iterations; /* for the next set: 0 = CR_PIN_ITERATIONS (tests lower it) */
    unsigned failures;       /* wrong tries in a row */
    int64_t locked_until_us; /* monotonic; 0: not locked */
};

enum cr_pin_result {
    CR_PIN_OK,     /* right PIN (or no PIN set) */
    CR_PIN_WRONG,  /* refused */
    CR_PIN_LOCKED, /* too many wrong tries: not even checked */
};

/* Reads STATE_DIR/settings-pin (state_dir NULL or "": memory only). A
 * damaged file is logged and treated as a PIN nobody knows (the
 * technician clears it with craiectl settings-pin clear). */
void cr_settings_pin_init(struct cr_settings_pin *p, const char *state_dir);
void cr_settings_pin_destroy(struct cr_settings_pin *p);

/* True when pin is 4 to 12 digits. */
bool cr_settings_pin_valid(const char *pin);
/* Sets (hashes, saves) a new PIN; false with *error if invalid or not saved. */
bool cr_settings_pin_set(struct cr_settings_pin *p, const char *pin, GError **error);
/* Removes the PIN (the Réglages screen opens without one). */
bool cr_settings_pin_clear(struct cr_settings_pin *p, GError **error);

/* Checks pin at now_us (monotonic). On CR_PIN_LOCKED or CR_PIN_WRONG,
 * *wait_us (may be NULL) tells how long until the next try is checked. */
enum cr_pin_result cr_settings_pin_check(struct cr_settings_pin *p, const char *pin, int64_t now_us,
                                         int64_t *wait_us);

/* The hash line for pin with salt (tests, and what set writes). g_free. */
char *cr_settings_pin_hash_line(const char *pin, const unsigned char salt[16], unsigned iterations);

#endif
