/* File mappings as Linux gives them: MAP_PRIVATE copy-on-write at the file offset, MAP_SHARED
 * stores visible to read(2) and to a second mapping, msync, the zero-filled tail of the last
 * page, SIGBUS for a page wholly beyond EOF, mprotect, mincore and the errors of mmap. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int got_signal;
static volatile int got_code;

static void handler(int sig, siginfo_t *si, void *ctx) {
    (void)ctx;
    got_signal = sig;
    got_code = si->si_code;
    siglongjmp(env, 1);
}

/* Prints a call's result and errno name, evaluated in order. */
#define SHOW(label, call)                                                                        \
    do {                                                                                         \
        errno = 0;                                                                               \
        long rc_ = (long)(call);                                                                 \
        int e_ = errno;                                                                          \
        printf("%s %ld %s\n", label, rc_,                                                        \
               e_ == 0 ? "ok" : e_ == EINVAL ? "EINVAL" : e_ == ENOMEM ? "ENOMEM"                \
               : e_ == EACCES ? "EACCES" : e_ == EBADF ? "EBADF" : e_ == ENODEV ? "ENODEV" : "other"); \
    } while (0)

static int make_file(const char *name, size_t size) {
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { perror("open"); exit(1); }
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char)(i * 7 + 3);
        if (write(fd, &c, 1) != 1) { perror("write"); exit(1); }
    }
    return fd;
}

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    char name[64];
    snprintf(name, sizeof name, "/tmp/l4j-mmap-%d", (int)getpid());
    int fd = make_file(name, 3 * page);

    /* MAP_PRIVATE at an offset; stores are not the file's. */
    unsigned char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, page);
    printf("private first byte %d (file %d)\n", p[0], (unsigned char)(page * 7 + 3));
    p[1] = 0xAA;
    unsigned char b;
    pread(fd, &b, 1, page + 1);
    printf("private store %d, file still %d\n", p[1], b);
    munmap(p, 2 * page);

    /* MAP_SHARED: a store is seen by read(2) and by a second mapping. */
    unsigned char *s1 = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char *s2 = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    s1[10] = 0x5A;
    pread(fd, &b, 1, 10);
    printf("shared store: second mapping %d, read %d\n", s2[10], b);
    printf("msync %d\n", msync(s1, page, MS_SYNC));
    b = 0x33;
    pwrite(fd, &b, 1, 11);
    printf("after pwrite mappings see %d %d\n", s1[11], s2[11]);
    munmap(s2, page);
    munmap(s1, page);

    /* Partial last page reads zeros past EOF; a page wholly past EOF is SIGBUS. */
    ftruncate(fd, page + 100);
    unsigned char *t = mmap(NULL, 3 * page, PROT_READ, MAP_PRIVATE, fd, 0);
    int nonzero = 0;
    for (long i = page + 100; i < 2 * page; i++)
        nonzero |= t[i];
    printf("tail byte %d, beyond EOF in page nonzero %d\n", t[page + 99], nonzero);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(env, 1) == 0) {
        volatile unsigned char v = t[2 * page];
        (void)v;
        printf("no signal\n");
    } else {
        printf("signal %s code %d\n", got_signal == SIGBUS ? "SIGBUS" : "other", got_code);
    }

    /* mprotect to read-only then a store: SIGSEGV with SEGV_ACCERR. */
    unsigned char *w = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    w[0] = 1;
    mprotect(w, page, PROT_READ);
    if (sigsetjmp(env, 1) == 0) {
        w[0] = 2;
        printf("no signal\n");
    } else {
        printf("signal %s code %d\n", got_signal == SIGSEGV ? "SIGSEGV" : "other", got_code);
    }

    /* mincore of a touched anonymous page; errors. */
    unsigned char *a = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    a[page] = 1;
    unsigned char vec[2];
    SHOW("mincore", mincore(a, 2 * page, vec));
    printf("mincore pages %d %d\n", vec[0] & 1, vec[1] & 1);
    SHOW("mincore unaligned", mincore(a + 1, page, vec));
    munmap(a, 2 * page);
    SHOW("msync unmapped", msync(a, page, MS_SYNC));
    SHOW("msync bad flags", msync(w, page, MS_SYNC | MS_ASYNC));
    SHOW("msync unaligned", msync((char *)w + 1, page, MS_SYNC));

    int ro = open(name, O_RDONLY);
    SHOW("shared writable of O_RDONLY", mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED);
    unsigned char *rs = mmap(NULL, page, PROT_READ, MAP_SHARED, ro, 0);
    SHOW("mprotect write of O_RDONLY shared", mprotect(rs, page, PROT_READ | PROT_WRITE));
    SHOW("private writable of O_RDONLY", mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0) == MAP_FAILED);
    SHOW("bad fd", mmap(NULL, page, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED);
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    SHOW("directory", mmap(NULL, page, PROT_READ, MAP_PRIVATE, dir, 0) == MAP_FAILED);
    int wo = open(name, O_WRONLY);
    SHOW("write-only fd", mmap(NULL, page, PROT_READ, MAP_PRIVATE, wo, 0) == MAP_FAILED);
    SHOW("unaligned offset", mmap(NULL, page, PROT_READ, MAP_PRIVATE, ro, 1) == MAP_FAILED);
    int zero = open("/dev/zero", O_RDWR);
    unsigned char *z = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
    printf("/dev/zero %d\n", z != MAP_FAILED && z[5] == 0);
    unlink(name);
    return 0;
}
