/* Linux's default heuristic overcommit (vm.overcommit_memory 0): one commitment larger than RAM
 * and swap together fails with ENOMEM — a private writable mapping, a shared anonymous one, the
 * growth of the break or of such a mapping by mremap, a private mapping made writable — while
 * MAP_NORESERVE and read-only private mappings of the same size are only address space. 64 GiB
 * is more than this machine's RAM and more than linux4j gives its guests (MemTotal). A brk of
 * a huge size made linux4j fill page tables until the JVM ran out of memory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../errname.h"

#define BIG (64L << 30)

static void *show(const char *what, void *p) {
    printf("%-48s -> %s\n", what, p == MAP_FAILED ? errname(errno) : "mapped");
    return p;
}

static void result(const char *what, long r) {
    printf("%-48s -> %s\n", what, r < 0 ? errname(errno) : "0");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char line[64] = "";
    FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
    if (f) {
        fgets(line, sizeof line, f);
        fclose(f);
    }
    printf("overcommit_memory %s", line);

    show("private writable", mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    void *p = show("private writable, MAP_NORESERVE",
            mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    if (p != MAP_FAILED) munmap(p, BIG);
    show("shared anonymous", mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    show("shared anonymous, PROT_NONE", mmap(NULL, BIG, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    p = show("private read-only", mmap(NULL, BIG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (p != MAP_FAILED) {
        errno = 0;
        result("  made writable", mprotect(p, BIG, PROT_READ | PROT_WRITE));
        result("  its first page made writable", mprotect(p, 4096, PROT_READ | PROT_WRITE));
        munmap(p, BIG);
    }

    char path[] = "/tmp/l4j-overcommit-XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    write(fd, "x", 1);
    show("file, private writable", mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
    p = show("file, shared writable", mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    if (p != MAP_FAILED) munmap(p, BIG);
    close(fd);

    void *small = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("mremap of a private writable page to 64 GiB", mremap(small, 4096, BIG, MREMAP_MAYMOVE));
    void *nores = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    p = show("mremap of a MAP_NORESERVE page to 64 GiB", mremap(nores, 4096, BIG, MREMAP_MAYMOVE));
    if (p != MAP_FAILED) munmap(p, BIG);

    char *brk0 = sbrk(0);
    result("brk 64 GiB up", brk(brk0 + BIG));
    printf("break moved: %s\n", sbrk(0) == brk0 ? "no" : "yes");
    result("brk 1 MiB up", brk(brk0 + (1 << 20)));
    printf("break moved: %s\n", sbrk(0) == brk0 + (1 << 20) ? "yes" : "no");
    return 0;
}
