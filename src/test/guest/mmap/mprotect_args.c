/* mprotect(2)'s argument checks in Linux's order (PROT_GROWSDOWN with PROT_GROWSUP, alignment,
 * a zero length, a length that wraps around, unknown bits, PROT_SEM accepted), a range that
 * starts in a hole, PROT_GROWSUP (no mapping grows up on x86-64), and PROT_GROWSDOWN, which
 * reaches down to the start of a MAP_GROWSDOWN mapping and is EINVAL on any other. A length
 * that wrapped around to zero, and one whose end passed 2^63, crashed linux4j (found by
 * calling mprotect with random arguments). mmap takes unknown protection bits. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-60s -> %s\n", #call, errname(errno)); else printf("%-60s -> %ld\n", #call, r_); } while (0)

/* The permissions /proc/self/maps shows for the mapping containing addr. */
static void perms(const char *what, void *addr) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    unsigned long lo, hi;
    char p[8];
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && lo <= (unsigned long)addr && (unsigned long)addr < hi) {
            printf("  %s: %s, %lu pages\n", what, p, (hi - lo) / 4096);
            fclose(f);
            return;
        }
    }
    printf("  %s: not mapped\n", what);
    fclose(f);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + 2 * 4096, 2 * 4096);
    T(mprotect(p, -1, PROT_READ));
    T(mprotect(p + 3 * 4096, -1, PROT_READ));
    T(mprotect(p, -4096, PROT_READ));
    T(mprotect(p, 0, 0x1000));
    T(mprotect(p + 1, 0, PROT_READ));
    T(mprotect(p + 1, 4096, 0x1000));
    T(mprotect(p, 0, PROT_GROWSDOWN | PROT_GROWSUP));
    T(mprotect(p, 4096, PROT_READ | PROT_WRITE | 0x8));
    perms("after PROT_SEM", p);
    T(mprotect(p, 4096, PROT_READ | 0x10));
    T(mprotect(p + 3 * 4096, 4096, 0x1000));
    T(mprotect(p + 3 * 4096, 4096, PROT_READ));
    T(mprotect(p + 4096, 2 * 4096, PROT_READ));
    T(mprotect(p, 4096, PROT_READ | PROT_GROWSUP));
    T(mprotect(p + 3 * 4096, 4096, PROT_READ | PROT_GROWSUP));
    T(mprotect(p, 4096, PROT_READ | PROT_GROWSDOWN));
    T(mprotect(p, 0x8000000000000000UL - (unsigned long)p, PROT_READ));
    T(mprotect(p, 0xf000000000000000UL - (unsigned long)p, PROT_READ));
    T(mprotect((void *)0x800000000000, 4096, PROT_READ));
    T(mprotect((void *)-4096L, 4096, PROT_READ));

    /* a mapping that grows down: PROT_GROWSDOWN changes it from its start */
    char *g = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
    perms("grows-down mapping", g + 3 * 4096);
    T(mprotect(g + 3 * 4096, 4096, PROT_READ | PROT_GROWSDOWN));
    perms("after PROT_GROWSDOWN on its top page", g + 3 * 4096);
    T(mprotect(g + 2 * 4096, 4096, PROT_READ | PROT_WRITE));
    perms("top page", g + 3 * 4096);
    perms("page below", g + 2 * 4096);
    T(mprotect(g + 3 * 4096, 4096, PROT_READ | PROT_WRITE | PROT_GROWSDOWN));
    perms("after PROT_GROWSDOWN again", g + 2 * 4096);
    T(mprotect(g + 3 * 4096, 4096, PROT_READ | PROT_GROWSUP));

    /* mmap does not look at unknown protection bits */
    void *m = mmap(NULL, 4096, PROT_READ | 0x8 | 0x10 | 0x1000, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap with unknown prot bits: %s\n", m == MAP_FAILED ? errname(errno) : "mapped");
    if (m != MAP_FAILED) perms("it", m);
    return 0;
}
