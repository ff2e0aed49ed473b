/*
 * mprotect(2) splits a mapping where the protection changes and merges it again with its
 * neighbours when they match once more (vma_modify_flags), as /proc/self/maps shows: anonymous
 * memory, a change that changes nothing, and a private file mapping (whose page made writable
 * stays apart: VM_ACCOUNT).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../errname.h"

#define PG 4096UL

/* The mappings of /proc/self/maps within [p, p + len): how many, and each one's pages and permissions. */
static void show(const char *what, char *p, unsigned long len) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512], out[512] = "";
    int n = 0;
    unsigned long a, b;
    char perms[8];
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx %7s", &a, &b, perms) == 3 && a < (unsigned long)p + len && b > (unsigned long)p) {
            unsigned long lo = a < (unsigned long)p ? (unsigned long)p : a;
            unsigned long hi = b > (unsigned long)p + len ? (unsigned long)p + len : b;
            char piece[32];
            snprintf(piece, sizeof piece, " %lu:%s", (hi - lo) / PG, perms);
            strcat(out, piece);
            n++;
        }
    }
    if (f) fclose(f);
    printf("%-40s %d mapping(s):%s\n", what, n, out);
}

static void prot(char *p, unsigned long len, int pr) {
    if (mprotect(p, len, pr) < 0) printf("  mprotect -> %s\n", errname(errno));
}

int main(void) {
    /* guard pages around, so that no neighbour merges with what is looked at */
    char *guard = mmap(NULL, 7 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *p = mmap(guard + 2 * PG, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    show("anonymous, 3 pages", p, 3 * PG);
    prot(p + PG, PG, PROT_READ);
    show("middle page read-only", p, 3 * PG);
    prot(p + PG, PG, PROT_READ | PROT_WRITE);
    show("middle page back", p, 3 * PG);
    prot(p, 3 * PG, PROT_READ);
    show("all read-only", p, 3 * PG);
    prot(p, PG, PROT_READ);
    show("first page read-only again (no change)", p, 3 * PG);
    prot(p + 2 * PG, PG, PROT_NONE);
    show("last page none", p, 3 * PG);
    prot(p + PG, 2 * PG, PROT_READ);
    show("last two read-only", p, 3 * PG);

    /* a private mapping of a file */
    char path[] = "/tmp/linux4j-mprotect-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || ftruncate(fd, 3 * PG) < 0) return 1;
    char *m = mmap(guard + 2 * PG, 3 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    show("file, 3 pages", m, 3 * PG);
    prot(m + PG, PG, PROT_READ | PROT_WRITE);
    show("file, middle page writable", m, 3 * PG);
    prot(m + PG, PG, PROT_READ);
    show("file, middle page back", m, 3 * PG);
    close(fd);
    unlink(path);
    return 0;
}
