/* RLIMIT_AS and RLIMIT_DATA (may_expand_vm): mmap, mremap growing, brk (which keeps the old
 * break) and mprotect making private memory writable fail with ENOMEM past the limit, counted
 * from the mappings the process has (VmSize, VmData in /proc/self/status); RLIMIT_DATA counts
 * only private writable mappings, and a soft limit of 0 lets mappings up to the hard limit
 * through. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../errname.h"

#define MB (1L << 20)

static long status_kb(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, field, n) == 0) kb = atol(line + n);
    }
    if (f) fclose(f);
    return kb;
}

static void *map(long len, int prot, int flags) {
    void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
    printf("  mmap %3ld MiB prot %d %s -> %s\n", len / MB, prot, (flags & MAP_SHARED) ? "shared" : "private",
           p == MAP_FAILED ? errname(errno) : "ok");
    return p == MAP_FAILED ? NULL : p;
}

static void limit(int resource, long soft, long hard) {
    struct rlimit rl = {soft < 0 ? RLIM_INFINITY : (rlim_t)soft, hard < 0 ? RLIM_INFINITY : (rlim_t)hard};
    if (setrlimit(resource, &rl) < 0) printf("setrlimit: %s\n", errname(errno));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("RLIMIT_AS: now + 16 MiB\n");
    long size = status_kb("VmSize:") * 1024;
    limit(RLIMIT_AS, size + 16 * MB, -1);
    void *a = map(8 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    map(12 * MB, PROT_READ, MAP_PRIVATE);
    map(4 * MB, PROT_NONE, MAP_PRIVATE);
    void *r = mremap(a, 8 * MB, 16 * MB, MREMAP_MAYMOVE);
    printf("  mremap 8 -> 16 MiB -> %s\n", r == MAP_FAILED ? errname(errno) : "ok");
    r = mremap(a, 8 * MB, 4 * MB, 0);
    printf("  mremap 8 -> 4 MiB -> %s\n", r == MAP_FAILED ? errname(errno) : "ok");
    void *fixed = mmap(a, 8 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("  MAP_FIXED over the 4 MiB, 8 MiB -> %s\n", fixed == MAP_FAILED ? errname(errno) : "ok");
    void *brk0 = sbrk(0);
    void *grown = sbrk(32 * MB);
    printf("  sbrk 32 MiB -> %s, break moved %d\n", grown == (void *)-1 ? errname(errno) : "ok", sbrk(0) != brk0);
    munmap(a, 8 * MB);
    limit(RLIMIT_AS, -1, -1);

    printf("RLIMIT_DATA: now + 16 MiB\n");
    long data = status_kb("VmData:") * 1024;
    limit(RLIMIT_DATA, data + 16 * MB, -1);
    void *d = map(12 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    map(8 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    void *ro = map(64 * MB, PROT_READ, MAP_PRIVATE);
    void *sh = map(64 * MB, PROT_READ | PROT_WRITE, MAP_SHARED);
    brk0 = sbrk(0);
    grown = sbrk(8 * MB);
    printf("  sbrk 8 MiB -> %s, break moved %d\n", grown == (void *)-1 ? errname(errno) : "ok", sbrk(0) != brk0);
    /* mprotect_fixup: read-only private memory turning writable becomes data */
    if (ro) {
        int rc = mprotect(ro, 64 * MB, PROT_READ | PROT_WRITE);
        printf("  mprotect 64 MiB read-only -> read-write -> %s\n", rc ? errname(errno) : "ok");
        rc = mprotect(ro, 4 * MB, PROT_READ | PROT_WRITE);
        printf("  mprotect 4 MiB of it -> %s, VmData grew %ld MiB\n", rc ? errname(errno) : "ok",
               (status_kb("VmData:") * 1024 - data) / MB);
        rc = mprotect((char *)ro + 4 * MB, 4 * MB, PROT_READ | PROT_WRITE);
        printf("  mprotect 4 MiB more -> %s\n", rc ? errname(errno) : "ok");
    }
    if (sh) {
        int rc = mprotect(sh, 64 * MB, PROT_READ);
        int rc2 = mprotect(sh, 64 * MB, PROT_READ | PROT_WRITE);
        printf("  mprotect the shared 64 MiB read-only and back -> %s\n", rc || rc2 ? errname(errno) : "ok");
    }
    munmap(d, 12 * MB);
    munmap(ro, 64 * MB);
    munmap(sh, 64 * MB);
    if (grown != (void *)-1) sbrk(-8 * MB);

    printf("RLIMIT_DATA: soft 0, hard now + 16 MiB\n");
    data = status_kb("VmData:") * 1024;
    limit(RLIMIT_DATA, 0, data + 16 * MB);
    map(8 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    map(16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    printf("done\n");
    return 0;
}
