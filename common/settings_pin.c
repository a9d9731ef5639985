#include "common/settings_pin.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

#include "common/log.h"

#define PIN_FILE "settings-pin"
#define LOCK_FIRST_US (30 * G_USEC_PER_SEC)
#define LOCK_MAX_US (15 * 60 * G_USEC_PER_SEC)

static bool derive(const char *pin, const unsigned char salt[16], unsigned iterations,
                   unsigned char out[32])
{
    return PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), salt, 16, (int)iterations, EVP_sha256(), 32,
                             out) == 1;
}

char *cr_settings_pin_hash_line(const char *pin, const unsigned char salt[16], unsigned iterations)
{
    unsigned char hash[32];
    if (!derive(pin, salt, iterations, hash))
        return NULL;
    g_autofree char *s = g_base64_encode(salt, 16);
    g_autofree char *h = g_base64_encode(hash, 32);
    OPENSSL_cleanse(hash, sizeof(hash));
    return g_strdup_printf("pbkdf2-sha256$%u$%s$%s\n", iterations, s, h);
}

static bool parse_line(struct cr_settings_pin *p, const char *text)
{
    g_auto(GStrv) parts = g_strsplit(g_strstrip((char *)text), "$", -1);
    if (g_strv_length(parts) != 4 || strcmp(parts[0], "pbkdf2-sha256"))
        return false;
    guint64 it = g_ascii_strtoull(parts[1], NULL, 10);
    gsize sl = 0, hl = 0;
    g_autofree guchar *salt = g_base64_decode(parts[2], &sl);
    g_autofree guchar *hash = g_base64_decode(parts[3], &hl);
    if (it < 1000 || it > 10000000 || sl != 16 || hl != 32)
        return false;
    p->iterations = (unsigned)it;
    memcpy(p->salt, salt, 16);
    memcpy(p->hash, hash, 32);
    return true;
}

void cr_settings_pin_init(struct cr_settings_pin *p, const char *state_dir)
{
    memset(p, 0, sizeof(*p));
    if (!state_dir || !*state_dir)
        return;
    p->path = g_build_filename(state_dir, PIN_FILE, NULL);
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;
    if (!g_file_get_contents(p->path, &text, NULL, &err)) {
        if (!g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            cr_warn("settings", "%s: %s", p->path, err->message);
        return;
    }
    p->set = true; /* even damaged: the screen stays locked */
    if (!parse_line(p, text)) {
        cr_err("settings",
               "%s is damaged: no PIN can open Réglages until it is cleared "
               "(craiectl settings-pin clear)",
               p->path);
        p->iterations = 0;
    }
}

void cr_settings_pin_destroy(struct cr_settings_pin *p)
{
    g_free(p->path);
    OPENSSL_cleanse(p, sizeof(*p));
}

bool cr_settings_pin_valid(const char *pin)
{
    size_t n = pin ? strlen(pin) : 0;
    if (n < CR_PIN_MIN_DIGITS || n > CR_PIN_MAX_DIGITS)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isdigit(pin[i]))
            return false;
    return true;
}

bool cr_settings_pin_set(struct cr_settings_pin *p, const char *pin, GError **error)
{
    if (!cr_settings_pin_valid(pin)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "the PIN must be %d to %d digits", CR_PIN_MIN_DIGITS, CR_PIN_MAX_DIGITS);
        return false;
    }
    unsigned char salt[16];
    if (RAND_bytes(salt, sizeof(salt)) != 1) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "no random bytes for the salt");
        return false;
    }
    g_autofree char *line = cr_settings_pin_hash_line(
        pin, salt, p->set_iterations ? p->set_iterations : CR_PIN_ITERATIONS);
    if (!line) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "PBKDF2 failed");
        return false;
    }
    if (p->path) {
        g_autofree char *dir = g_path_get_dirname(p->path);
        if (g_mkdir_with_parents(dir, 0755) != 0) {
            int e = errno;
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot create %s: %s",
                        dir, g_strerror(e));
            return false;
        }
        if (!g_file_set_contents_full(p->path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                      error))
            return false;
    }
    parse_line(p, line);
    p->set = true;
    p->failures = 0;
    p->locked_until_us = 0;
    cr_notice("settings", "the settings PIN was set");
    return true;
}

bool cr_settings_pin_clear(struct cr_settings_pin *p, GError **error)
{
    if (p->path && g_unlink(p->path) != 0 && errno != ENOENT) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot remove %s: %s",
                    p->path, g_strerror(e));
        return false;
    }
    p->set = false;
    p->failures = 0;
    p->locked_until_us = 0;
    OPENSSL_cleanse(p->hash, sizeof(p->hash));
    cr_notice("settings", "the settings PIN was removed");
    return true;
}

enum cr_pin_result cr_settings_pin_check(struct cr_settings_pin *p, const char *pin, int64_t now_us,
                                         int64_t *wait_us)
{
    if (wait_us)
        *wait_us = 0;
    if (!p->set)
        return CR_PIN_OK;
    if (p->locked_until_us > now_us) {
        if (wait_us)
            *wait_us = p->locked_until_us - now_us;
        return CR_PIN_LOCKED;
    }
    unsigned char got[32];
    bool ok = p->iterations > 0 && cr_settings_pin_valid(pin) &&
              derive(pin, p->salt, p->iterations, got) && CRYPTO_memcmp(got, p->hash, 32) == 0;
    OPENSSL_cleanse(got, sizeof(got));
    if (ok) {
        p->failures = 0;
        p->locked_until_us = 0;
        return CR_PIN_OK;
    }
    p->failures++;
    if (p->failures >= CR_PIN_FREE_TRIES) {
        unsigned doublings = MIN(p->failures - CR_PIN_FREE_TRIES, 10u);
        int64_t lock = MIN((int64_t)LOCK_FIRST_US << doublings, (int64_t)LOCK_MAX_US);
        p->locked_until_us = now_us + lock;
        if (wait_us)
            *wait_us = lock;
        cr_warn("settings", "%u wrong settings PINs in a row: next try in %" G_GINT64_FORMAT " s",
                p->failures, lock / G_USEC_PER_SEC);
    }
    return CR_PIN_WRONG;
}
