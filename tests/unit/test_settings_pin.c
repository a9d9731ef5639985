/* The settings PIN: stored only as a salted PBKDF2 hash (0600), right PIN
 * opens, wrong PIN refused, and after 3 wrong tries the next ones wait
 * (doubling), even the right one; survives a restart; clear removes it. */
#include <glib.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/stat.h>

#include "common/log.h"
#include "common/settings_pin.h"

#define S G_USEC_PER_SEC

static void test_set_check_restart(void)
{
    g_autofree char *dir = g_dir_make_tmp("craie-pin-XXXXXX", NULL);
    struct cr_settings_pin p;
    cr_settings_pin_init(&p, dir);
    g_assert_false(p.set);
    g_assert_cmpint(cr_settings_pin_check(&p, "", 0, NULL), ==, CR_PIN_OK); /* none set */

    g_autoptr(GError) err = NULL;
    g_assert_false(cr_settings_pin_set(&p, "12a4", &err));
    g_assert_nonnull(strstr(err->message, "digits"));
    g_clear_error(&err);
    g_assert_false(cr_settings_pin_set(&p, "123", &err));
    g_clear_error(&err);
    g_assert_true(cr_settings_pin_set(&p, "4821", &err));
    g_assert_no_error(err);

    /* on disk: mode 0600, a hash line, never the PIN */
    g_autofree char *path = g_build_filename(dir, "settings-pin", NULL);
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_true(g_str_has_prefix(text, "pbkdf2-sha256$100000$"));
    g_assert_null(strstr(text, "4821"));

    g_assert_cmpint(cr_settings_pin_check(&p, "4821", 0, NULL), ==, CR_PIN_OK);
    g_assert_cmpint(cr_settings_pin_check(&p, "4822", 0, NULL), ==, CR_PIN_WRONG);
    cr_settings_pin_destroy(&p);

    /* after a restart */
    cr_settings_pin_init(&p, dir);
    g_assert_true(p.set);
    g_assert_cmpint(p.iterations, ==, CR_PIN_ITERATIONS);
    g_assert_cmpint(cr_settings_pin_check(&p, "4821", 0, NULL), ==, CR_PIN_OK);
    g_assert_cmpint(cr_settings_pin_check(&p, "", 0, NULL), ==, CR_PIN_WRONG);

    /* a second PIN set gets a fresh salt */
    unsigned char salt1[16];
    memcpy(salt1, p.salt, 16);
    g_assert_true(cr_settings_pin_set(&p, "4821", NULL));
    g_assert_cmpint(memcmp(salt1, p.salt, 16), !=, 0);

    g_assert_true(cr_settings_pin_clear(&p, NULL));
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(cr_settings_pin_check(&p, "", 0, NULL), ==, CR_PIN_OK);
    cr_settings_pin_destroy(&p);
    g_rmdir(dir);
}

static void test_hash_is_pbkdf2(void)
{
    /* the stored hash is PBKDF2-HMAC-SHA256 as anyone can recompute it */
    unsigned char salt[16];
    for (int i = 0; i < 16; i++)
        salt[i] = (unsigned char)i;
    g_autofree char *line = cr_settings_pin_hash_line("0000", salt, 1000);
    unsigned char want[32];
    g_assert_cmpint(PKCS5_PBKDF2_HMAC("0000", 4, salt, 16, 1000, EVP_sha256(), 32, want), ==, 1);
    g_autofree char *w = g_base64_encode(want, 32);
    g_autofree char *s = g_base64_encode(salt, 16);
    g_autofree char *expect = g_strdup_printf("pbkdf2-sha256$1000$%s$%s\n", s, w);
    g_assert_cmpstr(line, ==, expect);
}

static void test_rate_limit(void)
{
    struct cr_settings_pin p;
    cr_settings_pin_init(&p, NULL); /* memory only */
    p.set_iterations = 1000;        /* many tries: cheaper (the stored count is used) */
    g_assert_true(cr_settings_pin_set(&p, "2468", NULL));
    g_assert_cmpuint(p.iterations, ==, 1000);
    int64_t t = 1000 * S, wait = 0;
    g_assert_cmpint(cr_settings_pin_check(&p, "1111", t, &wait), ==, CR_PIN_WRONG);
    g_assert_cmpint(wait, ==, 0);
    g_assert_cmpint(cr_settings_pin_check(&p, "2222", t, &wait), ==, CR_PIN_WRONG);
    g_assert_cmpint(wait, ==, 0);
    g_assert_cmpint(cr_settings_pin_check(&p, "3333", t, &wait), ==, CR_PIN_WRONG);
    g_assert_cmpint(wait, ==, 30 * S); /* the third: now it waits */
    /* locked: even the right PIN is not checked */
    g_assert_cmpint(cr_settings_pin_check(&p, "2468", t + 10 * S, &wait), ==, CR_PIN_LOCKED);
    g_assert_cmpint(wait, ==, 20 * S);
    /* after the wait, a wrong one locks for longer */
    t += 31 * S;
    g_assert_cmpint(cr_settings_pin_check(&p, "4444", t, &wait), ==, CR_PIN_WRONG);
    g_assert_cmpint(wait, ==, 60 * S);
    t += 61 * S;
    g_assert_cmpint(cr_settings_pin_check(&p, "2468", t, &wait), ==, CR_PIN_OK);
    g_assert_cmpint(p.failures, ==, 0);
    /* the lock never exceeds 15 minutes */
    for (int i = 0; i < 20; i++) {
        t += 16 * 60 * S;
        cr_settings_pin_check(&p, "0000", t, &wait);
    }
    g_assert_cmpint(wait, ==, 15 * 60 * S);
    cr_settings_pin_destroy(&p);
}

static void test_damaged_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("craie-pin-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "settings-pin", NULL);
    g_assert_true(g_file_set_contents(path, "1234\n", -1, NULL)); /* not a hash */
    struct cr_settings_pin p;
    cr_settings_pin_init(&p, dir);
    g_assert_true(p.set); /* stays locked */
    g_assert_cmpint(cr_settings_pin_check(&p, "1234", 0, NULL), ==, CR_PIN_WRONG);
    g_assert_true(cr_settings_pin_clear(&p, NULL));
    cr_settings_pin_destroy(&p);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cr_log_init(false);
    g_test_add_func("/settings-pin/set-check-restart", test_set_check_restart);
    g_test_add_func("/settings-pin/pbkdf2", test_hash_is_pbkdf2);
    g_test_add_func("/settings-pin/rate-limit", test_rate_limit);
    g_test_add_func("/settings-pin/damaged-file", test_damaged_file);
    return g_test_run();
}
