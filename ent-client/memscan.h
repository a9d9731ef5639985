/* Looks for a byte string in this process's own memory. For tests only
 * (the idp suite, and the e2e's test-only control command): it proves that
 * a token is gone from memory after sign-out, freed blocks included. */
#ifndef CR_ENT_MEMSCAN_H
#define CR_ENT_MEMSCAN_H

#include <stddef.h>

/* Occurrences of needle[0..len) in the readable and writable mappings of
 * this process (heap, stacks, anonymous and data mappings up to 1 GiB
 * each), not counting needle's own bytes. The caller keeps no other copy
 * of the needle (send it encoded, decode it into one buffer, zero that
 * buffer after). -1 when /proc/self cannot be read. */
long cr_memory_count(const void *needle, size_t len);

#endif
