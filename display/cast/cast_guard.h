/* The cast server's gate: the join code shown on the board and the limits
 * on guessing it. Pure logic on a clock given by the caller (unit-tested);
 * the server calls it on the io thread only.
 *
 * The code is code_digits decimal digits from the system's random source.
 * It changes when the teacher asks, when a lesson starts (the Tablettes
 * screen is opened with nobody connected) and every rotate_us if set.
 * Wrong guesses are counted per client address and for the whole room: a
 * client address with max_fail_addr wrong codes within window_us is refused
 * for lock_us, even with the right code; max_fail_global wrong codes from
 * anyone within window_us refuse every new join for lock_us and the board
 * shows it. */
#ifndef CR_CAST_GUARD_H
#define CR_CAST_GUARD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define CR_CAST_CODE_MIN_DIGITS 4
#define CR_CAST_CODE_MAX_DIGITS 8
/* Wrong codes remembered per address (the ring for max_fail_addr). */
#define CR_CAST_GUARD_RING 32

struct cr_cast_guard_config {
    int code_digits;          /* CR_CAST_CODE_MIN_DIGITS..MAX */
    int64_t rotate_us;        /* 0: only on demand */
    unsigned max_fail_addr;   /* 1..CR_CAST_GUARD_RING */
    unsigned max_fail_global; /* 1..CR_CAST_GUARD_RING */
    int64_t window_us;
    int64_t lock_us;
};

/* The defaults: 4 digits, no timed rotation, 5 wrong codes per address and
 * 20 for the room within 5 minutes lock for 5 minutes. */
void cr_cast_guard_config_default(struct cr_cast_guard_config *cfg);

enum cr_cast_check {
    CR_CAST_CHECK_OK,
    CR_CAST_CHECK_WRONG,       /* counted */
    CR_CAST_CHECK_LOCKED_ADDR, /* this address guessed too often: refused, not counted */
    CR_CAST_CHECK_LOCKED_ALL,  /* the room is locked: refused, not counted */
};

const char *cr_cast_check_name(enum cr_cast_check c); /* "ok", "wrong-code", "locked", ... */

/* A fixed-size ring of failure times. */
struct cr_cast_fail_ring {
    int64_t t[CR_CAST_GUARD_RING];
    unsigned n, head;
    int64_t locked_until;
};

struct cr_cast_guard {
    struct cr_cast_guard_config cfg;
    char code[CR_CAST_CODE_MAX_DIGITS + 1];
    int64_t code_since_us;
    unsigned generation; /* +1 at each new code */
    GHashTable *addrs;   /* address text -> struct cr_cast_fail_ring * */
    struct cr_cast_fail_ring global;
    /* The random source (tests make it predictable); NULL: getrandom(2). */
    uint32_t (*random)(void *userdata);
    void *random_userdata;
};

/* cfg is copied (out-of-range values clamped). Makes the first code. */
void cr_cast_guard_init(struct cr_cast_guard *g, const struct cr_cast_guard_config *cfg,
                        int64_t now_us);
void cr_cast_guard_destroy(struct cr_cast_guard *g);

const char *cr_cast_guard_code(const struct cr_cast_guard *g);
/* A new code, always different from the last one. */
void cr_cast_guard_rotate(struct cr_cast_guard *g, int64_t now_us);
/* Rotates when the timed rotation is due; returns true if it did. */
bool cr_cast_guard_tick(struct cr_cast_guard *g, int64_t now_us);
/* When cr_cast_guard_tick next has something to do (0: never). */
int64_t cr_cast_guard_next_rotation_us(const struct cr_cast_guard *g);

/* Checks a code typed by the client at addr (any text naming it, e.g. its
 * IP). The comparison takes the same time whatever the code. */
enum cr_cast_check cr_cast_guard_check(struct cr_cast_guard *g, const char *addr, const char *code,
                                       int64_t now_us);
/* The room is locked now: until when (0 when not locked). */
int64_t cr_cast_guard_locked_until(const struct cr_cast_guard *g, int64_t now_us);

#endif
