/* Fault-around (do_fault_around): once a file's pages are cached, a read fault of a private
 * mapping maps its cached neighbours too. Nothing of that may show but residency: every page reads
 * as the file, a write copies only its own page (the file, the other mapping and a forked child
 * unchanged), pages wholly beyond EOF still raise SIGBUS, a PROT_NONE part of the mapping still
 * SIGSEGV, and madvise(MADV_DONTNEED), munmap, mlock and mincore see ordinary pages. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 41 /* 40 pages and 100 bytes: the last page is partial */

static long page;
static long size;
static sigjmp_buf env;

static void on_fault(int sig) {
    siglongjmp(env, sig);
}

/* The signal a read of *p raises, or 0. */
static int probe(const volatile unsigned char *p) {
    int sig = sigsetjmp(env, 1);
    if (sig == 0) {
        (void)*p;
    }
    return sig;
}

static unsigned char expected(long i) {
    return i < size ? (unsigned char)(i * 13 + i / 4096 * 5 + 1) : 0;
}

/* Pages [from, to) of a mapping of the file from offset 0 hold the file, zeros past EOF. */
static int holds_file(const unsigned char *m, int from, int to) {
    for (long i = from * page; i < to * page; i++) {
        if (m[i] != expected(i)) {
            return 0;
        }
    }
    return 1;
}

/* The Rss line of the mapping starting at addr in /proc/self/smaps, in kB. */
static long rss_kb(const void *addr) {
    char want[32], line[512];
    snprintf(want, sizeof want, "%lx-", (unsigned long)addr);
    FILE *f = fopen("/proc/self/smaps", "r");
    int in = 0;
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, want, strlen(want)) == 0) in = 1;
        else if (in && sscanf(line, "Rss: %ld kB", &kb) == 1) break;
    }
    fclose(f);
    return kb;
}

static unsigned char *map(int fd, int prot, int pages) {
    unsigned char *m = mmap(NULL, pages * page, prot, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) { perror("mmap"); exit(1); }
    return m;
}

int main(void) {
    page = sysconf(_SC_PAGESIZE);
    size = (PAGES - 1) * page + 100;
    struct sigaction sa = {0};
    sa.sa_handler = on_fault;
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);

    char name[64];
    snprintf(name, sizeof name, "/tmp/l4j-faultaround-%d", (int)getpid());
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unsigned char *buf = malloc(size);
    for (long i = 0; i < size; i++) buf[i] = expected(i);
    if (write(fd, buf, size) != size) { perror("write"); return 1; }

    /* The first mapping reads every page: they are cached from now on. */
    unsigned char *a = map(fd, PROT_READ, PAGES);
    printf("a holds the file: %d\n", holds_file(a, 0, PAGES));

    /* A second one, 7 pages longer than the file: one read, then every page below EOF. */
    unsigned char *b = map(fd, PROT_READ | PROT_WRITE, PAGES + 7);
    printf("b page 2: %d\n", b[2 * page + 7] == expected(2 * page + 7));
    printf("b page 40 tail: %d %d\n", b[40 * page + 99] == expected(40 * page + 99), b[40 * page + 100]);
    for (int p = PAGES; p < PAGES + 7; p++) {
        int sig = probe(b + p * page);
        if (sig != SIGBUS) printf("page %d beyond EOF: signal %d\n", p, sig);
    }
    printf("b holds the file: %d\n", holds_file(b, 0, PAGES));

    /* A write copies its page only. */
    b[3 * page + 9] ^= 0xff;
    unsigned char c;
    pread(fd, &c, 1, 3 * page + 9);
    printf("after b's write: b %d, a %d, file %d, b's page 4 %d\n", b[3 * page + 9] == (unsigned char)~expected(3 * page + 9),
           a[3 * page + 9] == expected(3 * page + 9), c == expected(3 * page + 9), holds_file(b, 4, 5));

    /* A child shares the pages copy-on-write. */
    pid_t pid = fork();
    if (pid == 0) {
        b[4 * page] ^= 0xff;
        _exit(a[0] == expected(0) && b[3 * page + 9] == (unsigned char)~expected(3 * page + 9)
              && b[4 * page] == (unsigned char)~expected(4 * page) && holds_file(b, 5, PAGES) ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child: %d; parent's page 4 %d\n", WEXITSTATUS(status), holds_file(b, 4, 5));

    /* madvise(MADV_DONTNEED) drops b's copy; the page reads as the file again. */
    printf("madvise: %d\n", madvise(b, PAGES * page, MADV_DONTNEED));
    printf("b page 8 %d, b holds the file: %d\n", b[8 * page] == expected(8 * page), holds_file(b, 0, PAGES));

    /* mincore: every page below EOF is resident (the file's pages are cached). */
    unsigned char vec[PAGES + 7];
    mincore(b, (PAGES + 7) * page, vec);
    int resident = 0;
    for (int p = 0; p < PAGES; p++) resident += vec[p] & 1;
    printf("mincore: %d of %d\n", resident, PAGES);

    /* A read fault next to a PROT_NONE part of the mapping maps nothing of it. */
    unsigned char *d = map(fd, PROT_READ, 16);
    mprotect(d + 8 * page, 8 * page, PROT_NONE);
    printf("d page 1: %d\n", d[page] == expected(page));
    printf("d page 9: signal %d\n", probe(d + 9 * page));
    mprotect(d + 8 * page, 8 * page, PROT_READ);
    printf("d holds the file: %d\n", holds_file(d, 0, 16));

    /* munmap and MAP_FIXED anonymous memory over pages mapped around. */
    unsigned char *e = map(fd, PROT_READ | PROT_EXEC, 32);
    printf("e page 17: %d\n", e[17 * page] == expected(17 * page));
    munmap(e + 20 * page, 4 * page);
    printf("e page 21 unmapped: signal %d\n", probe(e + 21 * page));
    unsigned char *z = mmap(e + 24 * page, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("anonymous over e: %d %d\n", z == e + 24 * page, z[0]);
    printf("e holds the file: %d %d\n", holds_file(e, 0, 20), holds_file(e, 25, 32));

    /* mlock faults in the rest; the pages read as the file. */
    unsigned char *l = map(fd, PROT_READ, PAGES);
    printf("l page 30: %d\n", l[30 * page] == expected(30 * page));
    printf("mlock: %d, l holds the file: %d\n", mlock(l, PAGES * page), holds_file(l, 0, PAGES));
    munlock(l, PAGES * page);

    /* Rss counts the pages mapped around, as Linux's at its default fault_around_bytes (64 KiB):
     * a mapping 3 pages into a 64 KiB-aligned window gets the 16 pages from its start, then
     * file pages 13..28 for a read of page 20 (the window of its address). */
    unsigned char *r = mmap(NULL, 64 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *at = (unsigned char *)(((unsigned long)r + 65535) & ~65535UL) + 3 * page;
    unsigned char *w = mmap(at, 30 * page, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    /* How many of the window's pages Linux maps depends on which are uptodate in the page
     * cache at that moment (filemap_map_pages skips the others): natively 52 or 64 kB for the
     * first read from one run to the next. So only the bounds are printed: more than the page
     * read, at most one 64 KiB window per fault. */
    int ok = w[2 * page] == expected(2 * page);
    long first = rss_kb(w);
    printf("w page 2: %d, Rss above 4 kB: %d, within 64 kB: %d\n", ok, first > 4, first <= 64);
    ok = w[20 * page] == expected(20 * page);
    long second = rss_kb(w);
    printf("w page 20: %d, Rss grew past a page: %d, within another 64 kB: %d\n", ok, second > first + 4,
           second <= first + 64);

    unlink(name);
    return 0;
}
