/* Clean pages of private file mappings: pages only read are shared between mappings and
 * processes until a write copies them (as Linux maps the page cache), so every write must stay
 * private to its mapping, the file must keep its contents, and a file changed by write(2),
 * ftruncate(2) or a rename over it must show its new contents in the next mapping. */
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

static long page;
static sigjmp_buf env;

static void on_bus(int sig) {
    (void)sig;
    siglongjmp(env, 1);
}

static void fill(int fd, int seed, int pages) {
    unsigned char *buf = malloc(page);
    for (int p = 0; p < pages; p++) {
        for (long i = 0; i < page; i++) buf[i] = (unsigned char)(seed + p * 31 + i * 7);
        if (pwrite(fd, buf, page, p * page) != page) { perror("pwrite"); exit(1); }
    }
    free(buf);
}

/* FNV-1a of n pages of a mapping (reads every byte, faulting every page in). */
static unsigned sum(const unsigned char *m, int pages) {
    unsigned s = 2166136261u;
    for (long i = 0; i < pages * page; i++) s = (s ^ m[i]) * 16777619u;
    return s;
}

static unsigned char *map(int fd, int prot, int pages) {
    unsigned char *m = mmap(NULL, pages * page, prot, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) { perror("mmap"); exit(1); }
    return m;
}

int main(void) {
    page = sysconf(_SC_PAGESIZE);
    char name[64], other[64];
    snprintf(name, sizeof name, "/tmp/l4j-private-%d", (int)getpid());
    snprintf(other, sizeof other, "/tmp/l4j-private-%d.new", (int)getpid());
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    fill(fd, 1, 4);

    /* Two read-only mappings see the file; a writable one read first, then written, copies. */
    unsigned char *a = map(fd, PROT_READ, 4);
    unsigned char *b = map(fd, PROT_READ | PROT_WRITE, 4);
    printf("a %08x b %08x\n", sum(a, 4), sum(b, 4));
    b[5] = 0xEE;
    b[page + 5] ^= 0xFF;
    unsigned char c;
    pread(fd, &c, 1, 5);
    printf("after stores: a[5] %d b[5] %d file[5] %d a %08x\n", a[5], b[5], c, sum(a, 4));

    /* A child writes its copy of b and a mapping of its own; the parent sees none of it. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        unsigned char *d = map(fd, PROT_READ | PROT_WRITE, 4);
        (void)sum(d, 4);
        memset(d, 0x55, 2 * page);
        b[7] = 0x77;
        printf("child d %08x b[7] %d\n", sum(d, 4), b[7]);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    unsigned char *e = map(fd, PROT_READ, 4);
    printf("parent after child: b[7] %d e %08x a %08x\n", b[7], sum(e, 4), sum(a, 4));

    /* mprotect a read-only mapping to writable after reading it, then store. */
    mprotect(e, page, PROT_READ | PROT_WRITE);
    e[9] = 0x99;
    pread(fd, &c, 1, 9);
    printf("mprotect store: e[9] %d a[9] %d file[9] %d\n", e[9], a[9], c);

    /* write(2) changes the file: a new mapping shows the new bytes. */
    fill(fd, 2, 4);
    unsigned char *f = map(fd, PROT_READ, 4);
    printf("after pwrite: f %08x\n", sum(f, 4));
    /* ...and so do the pages earlier mappings only read (Linux maps the page cache's own page
     * until a write copies it); the pages they wrote keep their private copies. */
    printf("after pwrite: a %08x b %08x b[5] %d e %08x e[9] %d\n", sum(a, 4), sum(b + 2 * page, 2), b[5],
           sum(e + page, 3), e[9]);

    /* ftruncate shortens it: the page past the end is SIGBUS, the rest reads as the file. */
    ftruncate(fd, 2 * page);
    unsigned char *g = map(fd, PROT_READ, 4);
    signal(SIGBUS, on_bus);
    printf("after truncate: g %08x", sum(g, 2));
    if (sigsetjmp(env, 1) == 0) {
        printf(" beyond %d\n", g[3 * page]);
    } else {
        printf(" beyond SIGBUS\n");
    }
    ftruncate(fd, 4 * page);
    fill(fd, 3, 3);
    unsigned char *h = map(fd, PROT_READ, 4);
    printf("regrown: h %08x\n", sum(h, 4));

    /* Another file renamed over the name: opening the name again maps the new file. */
    int fd2 = open(other, O_RDWR | O_CREAT | O_TRUNC, 0600);
    fill(fd2, 4, 4);
    close(fd2);
    rename(other, name);
    int fd3 = open(name, O_RDONLY);
    unsigned char *k = map(fd3, PROT_READ, 4);
    printf("renamed over: k %08x h %08x\n", sum(k, 4), sum(h, 4));

    /* An executable mapping reads the same bytes as a plain one. */
    unsigned char *x = mmap(NULL, 4 * page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd3, 0);
    printf("exec mapping: %s\n", x == MAP_FAILED ? "failed" : sum(x, 4) == sum(k, 4) ? "same" : "differs");
    unlink(name);
    return 0;
}
