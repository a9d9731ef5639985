#include "display/cast/cast_guard.h"

#include <string.h>
#include <sys/random.h>

#include "common/log.h"
#include "common/util.h"

/* Addresses kept before old entries are pruned. */
#define CR_CAST_GUARD_MAX_ADDRS 1024

void cr_cast_guard_config_default(struct cr_cast_guard_config *cfg)
{
    *cfg = (struct cr_cast_guard_config){.code_digits = 4,
                                         .rotate_us = 0,
                                         .max_fail_addr = 5,
                                         .max_fail_global = 20,
                                         .window_us = 5 * 60 * G_USEC_PER_SEC,
                                         .lock_us = 5 * 60 * G_USEC_PER_SEC};
}

const char *cr_cast_check_name(enum cr_cast_check c)
{
    switch (c) {
    case CR_CAST_CHECK_OK:
        return "ok";
    case CR_CAST_CHECK_WRONG:
        return "wrong-code";
    case CR_CAST_CHECK_LOCKED_ADDR:
        return "locked";
    case CR_CAST_CHECK_LOCKED_ALL:
        return "room-locked";
    }
    return "unknown";
}

static uint32_t system_random(void)
{
    uint32_t v = 0;
    if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
        v = g_random_int(); /* never seen on Linux ≥ 3.17; still a fresh code */
    return v;
}

static uint32_t next_random(struct cr_cast_guard *g)
{
    return g->random ? g->random(g->random_userdata) : system_random();
}

static void make_code(struct cr_cast_guard *g, int64_t now_us)
{
    char old[sizeof(g->code)];
    memcpy(old, g->code, sizeof(old));
    for (int attempt = 0; attempt < 64; attempt++) {
        for (int i = 0; i < g->cfg.code_digits; i++) {
            /* Rejection sampling: no digit more likely than another. */
            uint32_t r;
            do
                r = next_random(g);
            while (r >= 4294967290u);
            g->code[i] = (char)('0' + r % 10);
        }
        g->code[g->cfg.code_digits] = '\0';
        if (strcmp(old, g->code))
            break;
    }
    g->code_since_us = now_us;
    g->generation++;
}

void cr_cast_guard_init(struct cr_cast_guard *g, const struct cr_cast_guard_config *cfg,
                        int64_t now_us)
{
    memset(g, 0, sizeof(*g));
    g->cfg = *cfg;
    g->cfg.code_digits =
        CR_CLAMP(g->cfg.code_digits, CR_CAST_CODE_MIN_DIGITS, CR_CAST_CODE_MAX_DIGITS);
    g->cfg.max_fail_addr = CR_CLAMP(g->cfg.max_fail_addr, 1u, (unsigned)CR_CAST_GUARD_RING);
    g->cfg.max_fail_global = CR_CLAMP(g->cfg.max_fail_global, 1u, (unsigned)CR_CAST_GUARD_RING);
    g->cfg.rotate_us = CR_MAX(g->cfg.rotate_us, 0);
    g->addrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    make_code(g, now_us);
}

void cr_cast_guard_destroy(struct cr_cast_guard *g)
{
    if (g->addrs)
        g_hash_table_destroy(g->addrs);
    g->addrs = NULL;
    memset(g->code, 0, sizeof(g->code));
}

const char *cr_cast_guard_code(const struct cr_cast_guard *g)
{
    return g->code;
}

void cr_cast_guard_rotate(struct cr_cast_guard *g, int64_t now_us)
{
    make_code(g, now_us);
}

int64_t cr_cast_guard_next_rotation_us(const struct cr_cast_guard *g)
{
    return g->cfg.rotate_us > 0 ? g->code_since_us + g->cfg.rotate_us : 0;
}

bool cr_cast_guard_tick(struct cr_cast_guard *g, int64_t now_us)
{
    int64_t due = cr_cast_guard_next_rotation_us(g);
    if (due == 0 || now_us < due)
        return false;
    make_code(g, now_us);
    return true;
}

/* Records a failure at now; returns true when it makes max failures within
 * the window (then the ring locks). */
static bool ring_fail(struct cr_cast_fail_ring *r, unsigned max,
                      const struct cr_cast_guard_config *c, int64_t now_us)
{
    r->t[r->head] = now_us;
    r->head = (r->head + 1) % CR_CAST_GUARD_RING;
    if (r->n < CR_CAST_GUARD_RING)
        r->n++;
    if (r->n < max)
        return false;
    /* The max-th most recent failure. */
    unsigned idx = (r->head + CR_CAST_GUARD_RING - max) % CR_CAST_GUARD_RING;
    if (now_us - r->t[idx] > c->window_us)
        return false;
    r->locked_until = now_us + c->lock_us;
    r->n = 0; /* a fresh count after the lock */
    return true;
}

static void prune(struct cr_cast_guard *g, int64_t now_us)
{
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, g->addrs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        struct cr_cast_fail_ring *r = value;
        int64_t last = r->t[(r->head + CR_CAST_GUARD_RING - 1) % CR_CAST_GUARD_RING];
        if (now_us >= r->locked_until && now_us - last > g->cfg.window_us)
            g_hash_table_iter_remove(&it);
    }
}

/* Compares without an early exit: the time taken says nothing of the code. */
static bool same_code(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned diff = (unsigned)(la ^ lb);
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned)(a[i] ^ b[i % (lb ? lb : 1)]);
    return diff == 0 && lb > 0;
}

enum cr_cast_check cr_cast_guard_check(struct cr_cast_guard *g, const char *addr, const char *code,
                                       int64_t now_us)
{
    if (now_us < g->global.locked_until)
        return CR_CAST_CHECK_LOCKED_ALL;
    struct cr_cast_fail_ring *r = g_hash_table_lookup(g->addrs, addr ? addr : "");
    if (r && now_us < r->locked_until)
        return CR_CAST_CHECK_LOCKED_ADDR;
    if (same_code(g->code, code ? code : ""))
        return CR_CAST_CHECK_OK;

    if (!r) {
        if (g_hash_table_size(g->addrs) >= CR_CAST_GUARD_MAX_ADDRS)
            prune(g, now_us);
        r = g_new0(struct cr_cast_fail_ring, 1);
        g_hash_table_insert(g->addrs, g_strdup(addr ? addr : ""), r);
    }
    if (ring_fail(r, g->cfg.max_fail_addr, &g->cfg, now_us))
        cr_notice("cast", "too many wrong codes from one address: refused for %lld s",
                  (long long)(g->cfg.lock_us / G_USEC_PER_SEC));
    if (ring_fail(&g->global, g->cfg.max_fail_global, &g->cfg, now_us))
        cr_notice("cast", "too many wrong codes in the room: joining locked for %lld s",
                  (long long)(g->cfg.lock_us / G_USEC_PER_SEC));
    return CR_CAST_CHECK_WRONG;
}

int64_t cr_cast_guard_locked_until(const struct cr_cast_guard *g, int64_t now_us)
{
    return now_us < g->global.locked_until ? g->global.locked_until : 0;
}
