/* Small helpers shared by every module. */
#ifndef CR_UTIL_H
#define CR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define cr_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#define CR_MIN(a, b) ((a) < (b) ? (a) : (b))
#define CR_MAX(a, b) ((a) > (b) ? (a) : (b))
#define CR_CLAMP(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))

/* Small allocations abort on failure: they cannot fail in practice, and a
 * half-built UI is worse than a restart by systemd. */
void *cr_xmalloc(size_t size);
void *cr_xcalloc(size_t n, size_t size);
void *cr_xrealloc(void *p, size_t size);
char *cr_xstrdup(const char *s);

/* CLOCK_MONOTONIC in microseconds (the clock GStreamer's system clock uses). */
int64_t cr_monotonic_us(void);

/* Process CPU time (user + system) in microseconds. */
int64_t cr_process_cpu_us(void);

/* True when this program runs from the build tree (build/craie, the tests):
 * then the source's assets and the build's catalogues are used. */
bool cr_running_uninstalled(void);

#endif
