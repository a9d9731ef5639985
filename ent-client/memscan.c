#define _GNU_SOURCE
#include "ent-client/memscan.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK (1u << 20)
#define REGION_MAX ((uintptr_t)1 << 30)

static long scan_region(int mem, uintptr_t start, uintptr_t end, const unsigned char *needle,
                        size_t len, unsigned char *buf)
{
    long hits = 0;
    uintptr_t self_start = (uintptr_t)needle, self_end = self_start + len;
    uintptr_t buf_start = (uintptr_t)buf, buf_end = buf_start + CHUNK + len;
    for (uintptr_t at = start; at < end; at += CHUNK) {
        size_t want = (size_t)(end - at < CHUNK + len - 1 ? end - at : CHUNK + len - 1);
        ssize_t got = pread(mem, buf, want, (off_t)at);
        if (got <= 0)
            continue; /* a guard page or an unreadable hole */
        const unsigned char *p = buf, *stop = buf + got;
        while ((p = memmem(p, (size_t)(stop - p), needle, len))) {
            uintptr_t addr = at + (uintptr_t)(p - buf);
            if (!(addr >= self_start && addr < self_end) && !(addr >= buf_start && addr < buf_end))
                hits++;
            p++;
        }
    }
    return hits;
}

long cr_memory_count(const void *needle, size_t len)
{
    if (!needle || len == 0)
        return 0;
    FILE *maps = fopen("/proc/self/maps", "re");
    int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    /* The read buffer is a mapping of its own, skipped by address. */
    unsigned char *buf =
        mmap(NULL, CHUNK + len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long hits = -1;
    if (!maps || mem < 0 || buf == MAP_FAILED)
        goto out;
    hits = 0;
    char line[512];
    while (fgets(line, sizeof(line), maps)) {
        uintptr_t start, end;
        char perms[8] = "", path[256] = "";
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &start, &end, perms, path) < 3)
            continue;
        if (perms[0] != 'r' || perms[1] != 'w' || end - start > REGION_MAX)
            continue;
        if (!strcmp(path, "[vvar]") || !strcmp(path, "[vsyscall]") || !strcmp(path, "[vdso]"))
            continue;
        if ((uintptr_t)buf >= start && (uintptr_t)buf < end)
            continue;
        hits += scan_region(mem, start, end, needle, len, buf);
    }
out:
    if (buf != MAP_FAILED) {
        explicit_bzero(buf, CHUNK + len);
        munmap(buf, CHUNK + len);
    }
    if (mem >= 0)
        close(mem);
    if (maps)
        fclose(maps);
    return hits;
}
