/* The join code and the limits on guessing it: what a pupil and a teacher
 * notice (the code on the board works, a guesser is stopped, the board
 * learns the room is locked, a new code is really new). */
#include <glib.h>
#include <string.h>

#include "display/cast/cast_guard.h"

#define S ((int64_t)G_USEC_PER_SEC)

static uint32_t counter_random(void *data)
{
    uint32_t *n = data;
    return (*n)++;
}

static void test_code_shape(void)
{
    struct cr_cast_guard_config cfg;
    cr_cast_guard_config_default(&cfg);
    for (int digits = 2; digits <= 10; digits++) {
        cfg.code_digits = digits;
        struct cr_cast_guard g;
        cr_cast_guard_init(&g, &cfg, 0);
        const char *code = cr_cast_guard_code(&g);
        g_assert_cmpuint(strlen(code), ==,
                         CLAMP(digits, CR_CAST_CODE_MIN_DIGITS, CR_CAST_CODE_MAX_DIGITS));
        g_assert_cmpuint(strspn(code, "0123456789"), ==, strlen(code));
        cr_cast_guard_destroy(&g);
    }
}

static void test_right_code_passes(void)
{
    struct cr_cast_guard_config cfg;
    cr_cast_guard_config_default(&cfg);
    struct cr_cast_guard g;
    cr_cast_guard_init(&g, &cfg, 0);
    char *code = g_strdup(cr_cast_guard_code(&g));
    g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.5", code, 1), ==, CR_CAST_CHECK_OK);
    g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.5", "", 2), ==, CR_CAST_CHECK_WRONG);
    /* A prefix or a longer code is not the code. */
    char *longer = g_strconcat(code, "0", NULL);
    g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.6", longer, 3), ==, CR_CAST_CHECK_WRONG);
    code[2] = '\0';
    g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.6", code, 4), ==, CR_CAST_CHECK_WRONG);
    g_free(longer);
    g_free(code);
    cr_cast_guard_destroy(&g);
}

static void test_rotation(void)
{
    struct cr_cast_guard_config cfg;
    cr_cast_guard_config_default(&cfg);
    cfg.rotate_us = 60 * S;
    struct cr_cast_guard g;
    uint32_t n = 7;
    memset(&g, 0, sizeof(g));
    cr_cast_guard_init(&g, &cfg, 0);
    g.random = counter_random;
    g.random_userdata = &n;
    char *first = g_strdup(cr_cast_guard_code(&g));
    g_assert_false(cr_cast_guard_tick(&g, 59 * S));
    g_assert_cmpstr(cr_cast_guard_code(&g), ==, first);
    g_assert_cmpint(cr_cast_guard_next_rotation_us(&g), ==, 60 * S);
    g_assert_true(cr_cast_guard_tick(&g, 60 * S));
    g_assert_cmpstr(cr_cast_guard_code(&g), !=, first);
    /* The old code stops working at once. */
    g_assert_cmpint(cr_cast_guard_check(&g, "a", first, 61 * S), ==, CR_CAST_CHECK_WRONG);
    g_assert_cmpint(cr_cast_guard_next_rotation_us(&g), ==, 120 * S);

    /* On demand, a new code is never the same as the last one, even with a
     * random source that repeats itself. */
    for (int i = 0; i < 50; i++) {
        char *before = g_strdup(cr_cast_guard_code(&g));
        n = 3; /* the same sequence each time */
        cr_cast_guard_rotate(&g, 100 * S);
        g_assert_cmpstr(cr_cast_guard_code(&g), !=, before);
        g_free(before);
    }
    g_free(first);
    cr_cast_guard_destroy(&g);

    cfg.rotate_us = 0; /* no timed rotation */
    cr_cast_guard_init(&g, &cfg, 0);
    g_assert_cmpint(cr_cast_guard_next_rotation_us(&g), ==, 0);
    g_assert_false(cr_cast_guard_tick(&g, 1000000 * S));
    cr_cast_guard_destroy(&g);
}

static void test_address_lockout(void)
{
    struct cr_cast_guard_config cfg;
    cr_cast_guard_config_default(&cfg);
    struct cr_cast_guard g;
    cr_cast_guard_init(&g, &cfg, 0);
    const char *code = cr_cast_guard_code(&g);
    const char *wrong = strcmp(code, "0000") ? "0000" : "1111";
    for (unsigned i = 0; i < cfg.max_fail_addr; i++)
        g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.9", wrong, (int64_t)i * S), ==,
                        CR_CAST_CHECK_WRONG);
    /* Locked: even the right code is refused from there ... */
    g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.9", code, 10 * S), ==,
                    CR_CAST_CHECK_LOCKED_ADDR);
    /* ... but not from another pupil's tablet, and the room is not locked. */
    g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.10", code, 10 * S), ==, CR_CAST_CHECK_OK);
    g_assert_cmpint(cr_cast_guard_locked_until(&g, 10 * S), ==, 0);
    /* The lock ends. */
    int64_t after = 4 * S + cfg.lock_us + 1;
    g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.9", code, after), ==, CR_CAST_CHECK_OK);
    cr_cast_guard_destroy(&g);
}

static void test_slow_mistakes_do_not_lock(void)
{
    struct cr_cast_guard_config cfg;
    cr_cast_guard_config_default(&cfg);
    struct cr_cast_guard g;
    cr_cast_guard_init(&g, &cfg, 0);
    const char *code = cr_cast_guard_code(&g);
    const char *wrong = strcmp(code, "0000") ? "0000" : "1111";
    /* A pupil who mistypes now and then, spread over the lesson. */
    int64_t step = cfg.window_us / (cfg.max_fail_addr - 1) + S;
    for (unsigned i = 0; i < 3 * cfg.max_fail_addr; i++)
        g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.2", wrong, (int64_t)i * step), ==,
                        CR_CAST_CHECK_WRONG);
    g_assert_cmpint(cr_cast_guard_check(&g, "10.0.0.2", code, 100 * step), ==, CR_CAST_CHECK_OK);
    cr_cast_guard_destroy(&g);
}

static void test_room_lockout(void)
{
    struct cr_cast_guard_config cfg;
    cr_cast_guard_config_default(&cfg);
    struct cr_cast_guard g;
    cr_cast_guard_init(&g, &cfg, 0);
    const char *code = cr_cast_guard_code(&g);
    const char *wrong = strcmp(code, "0000") ? "0000" : "1111";
    /* Many addresses, one guess each (a guesser changing address). */
    for (unsigned i = 0; i < cfg.max_fail_global; i++) {
        char addr[32];
        g_snprintf(addr, sizeof(addr), "10.1.%u.%u", i / 200, i % 200);
        g_assert_cmpint(cr_cast_guard_check(&g, addr, wrong, S + i), ==, CR_CAST_CHECK_WRONG);
    }
    int64_t until = cr_cast_guard_locked_until(&g, 2 * S);
    g_assert_cmpint(until, >, 2 * S);
    g_assert_cmpint(cr_cast_guard_check(&g, "10.9.9.9", code, 2 * S), ==, CR_CAST_CHECK_LOCKED_ALL);
    g_assert_cmpint(cr_cast_guard_check(&g, "10.9.9.9", code, until), ==, CR_CAST_CHECK_OK);
    g_assert_cmpint(cr_cast_guard_locked_until(&g, until), ==, 0);
    cr_cast_guard_destroy(&g);
}

static void test_many_addresses_bounded(void)
{
    struct cr_cast_guard_config cfg;
    cr_cast_guard_config_default(&cfg);
    cfg.max_fail_global = 32;
    cfg.window_us = S;
    struct cr_cast_guard g;
    cr_cast_guard_init(&g, &cfg, 0);
    const char *wrong = strcmp(cr_cast_guard_code(&g), "0000") ? "0000" : "1111";
    for (int i = 0; i < 5000; i++) {
        char addr[32];
        g_snprintf(addr, sizeof(addr), "fd00::%x", i);
        cr_cast_guard_check(&g, addr, wrong, (int64_t)i * 2 * S);
    }
    g_assert_cmpuint(g_hash_table_size(g.addrs), <=, 1025);
    cr_cast_guard_destroy(&g);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cast-guard/code-shape", test_code_shape);
    g_test_add_func("/cast-guard/right-code-passes", test_right_code_passes);
    g_test_add_func("/cast-guard/rotation", test_rotation);
    g_test_add_func("/cast-guard/address-lockout", test_address_lockout);
    g_test_add_func("/cast-guard/slow-mistakes-do-not-lock", test_slow_mistakes_do_not_lock);
    g_test_add_func("/cast-guard/room-lockout", test_room_lockout);
    g_test_add_func("/cast-guard/many-addresses-bounded", test_many_addresses_bounded);
    return g_test_run();
}
