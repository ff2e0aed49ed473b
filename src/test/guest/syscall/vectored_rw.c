/* preadv, pwritev, preadv2 and pwritev2: offsets, the file position, RWF_* flags, pipes, the
 * errors Linux gives, and coherence with a MAP_SHARED mapping. Raw syscalls, so glibc and musl
 * make the same calls (the offset goes in pos_l, pos_h is 0). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../errname.h"
#include "files.h"

#ifndef RWF_HIPRI
#define RWF_HIPRI 0x1
#define RWF_DSYNC 0x2
#define RWF_SYNC 0x4
#define RWF_NOWAIT 0x8
#define RWF_APPEND 0x10
#endif

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-72s -> %s\n", #call, errname(errno)); else printf("%-72s -> %ld\n", #call, r_); } while (0)

#define PREADV(fd, iov, n, off) syscall(SYS_preadv, fd, iov, n, (long)(off), 0L)
#define PWRITEV(fd, iov, n, off) syscall(SYS_pwritev, fd, iov, n, (long)(off), 0L)
#define PREADV2(fd, iov, n, off, fl) syscall(SYS_preadv2, fd, iov, n, (long)(off), 0L, fl)
#define PWRITEV2(fd, iov, n, off, fl) syscall(SYS_pwritev2, fd, iov, n, (long)(off), 0L, fl)

static volatile int sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static char a[8], b[8];
static struct iovec rv[2] = {{a, 4}, {b, 6}};

static void show(const char *what) {
    printf("  %s: [%.4s][%.6s]\n", what, a, b);
    memset(a, '.', sizeof a);
    memset(b, '.', sizeof b);
}

static void reset(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789abcdefghij", 20);
    close(fd);
}

static void reads(void) {
    printf("preadv\n");
    reset("f");
    int fd = open("f", O_RDWR);
    lseek(fd, 7, SEEK_SET);
    T(PREADV(fd, rv, 2, 3)); show("at 3");
    printf("  position %ld\n", pos(fd));
    T(PREADV(fd, rv, 2, 15)); show("at 15");
    T(PREADV(fd, rv, 2, 20)); show("at 20");
    T(PREADV(fd, rv, 2, 1000)); show("at 1000");
    T(PREADV(fd, rv, 0, 0));
    T(PREADV(fd, rv, 2, -1));
    T(PREADV(fd, rv, 2, -2));
    T(PREADV(99, rv, 2, 0));
    T(PREADV(99, rv, 2, -1));
    T(PREADV(fd, rv, -1, 0));
    T(PREADV(fd, rv, 1025, 0));
    struct iovec bad[2] = {{a, 4}, {b, (size_t)-1}};
    T(PREADV(fd, bad, 2, 0));
    struct iovec zero[2] = {{a, 0}, {b, 0}};
    T(PREADV(fd, zero, 2, 0));
    int wo = open("f", O_WRONLY);
    T(PREADV(wo, rv, 2, 0));
    T(PREADV(wo, zero, 2, 0));
    T(PREADV(wo, rv, -1, 0));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    T(PREADV(dir, rv, 2, 0));
    int p[2];
    pipe(p);
    write(p[1], "xyz", 3);
    T(PREADV(p[0], rv, 2, 0));
    T(PREADV(p[0], rv, 2, -1));
    close(p[0]); close(p[1]); close(wo); close(dir);

    printf("preadv2\n");
    lseek(fd, 2, SEEK_SET);
    T(PREADV2(fd, rv, 2, -1, 0)); show("at the position");
    printf("  position %ld\n", pos(fd));
    T(PREADV2(fd, rv, 2, 0, 0)); show("at 0");
    printf("  position %ld\n", pos(fd));
    T(PREADV2(fd, rv, 2, -2, 0));
    T(PREADV2(fd, rv, 2, -1, RWF_HIPRI)); show("hipri");
    T(PREADV2(fd, rv, 2, 0, RWF_DSYNC)); show("dsync");
    T(PREADV2(fd, rv, 2, 0, RWF_SYNC)); show("sync");
    T(PREADV2(fd, rv, 2, 0, RWF_NOWAIT)); show("nowait");
    T(PREADV2(fd, rv, 2, 0, RWF_APPEND)); show("append");
    T(PREADV2(fd, rv, 2, 0, 0x20)); show("noappend");
    T(PREADV2(fd, rv, 2, 0, 0x40)); show("atomic");
    T(PREADV2(fd, rv, 2, 0, 0x80)); show("dontcache");
    T(PREADV2(fd, rv, 2, 0, 0x100)); show("nosignal");
    T(PREADV2(fd, rv, 2, 0, 0x200));
    T(PREADV2(fd, rv, 2, 0, 0x80000000));
    T(PREADV2(fd, zero, 2, 0, 0x80000000));
    T(PREADV2(fd, rv, 2, -2, 0x200));
    T(PREADV2(99, rv, 2, 0, 0x200));
    printf("  position %ld\n", pos(fd));
    pipe(p);
    T(PREADV2(p[0], rv, 2, -1, RWF_NOWAIT));
    T(PREADV2(p[0], rv, 2, -1, 0x80));
    write(p[1], "pipedata", 8);
    T(PREADV2(p[0], rv, 2, 0, 0));
    T(PREADV2(p[0], rv, 2, -1, RWF_NOWAIT)); show("pipe");
    write(p[1], "more", 4);
    T(PREADV2(p[0], rv, 2, -1, 0)); show("pipe");
    close(p[1]);
    T(PREADV2(p[0], rv, 2, -1, RWF_NOWAIT));
    close(p[0]);
    close(fd);
}

static void writes(void) {
    printf("pwritev\n");
    reset("f");
    int fd = open("f", O_RDWR);
    lseek(fd, 4, SEEK_SET);
    struct iovec wv[3] = {{"AB", 2}, {"", 0}, {"CDE", 3}};
    T(PWRITEV(fd, wv, 3, 1));
    printf("  position %ld\n", pos(fd));
    dump("f");
    T(PWRITEV(fd, wv, 3, 24));
    dump("f");
    T(PWRITEV(fd, wv, 3, -1));
    T(PWRITEV(fd, wv, 0, 0));
    T(PWRITEV(fd, wv, -1, 0));
    T(PWRITEV(99, wv, 3, 0));
    int ro = open("f", O_RDONLY);
    T(PWRITEV(ro, wv, 3, 0));
    close(ro);
    int ap = open("f", O_WRONLY | O_APPEND);
    T(PWRITEV(ap, wv, 3, 0));
    printf("  append position %ld\n", pos(ap));
    T(pwrite(ap, "pw", 2, 0));
    dump("f");
    printf("pwritev2\n");
    reset("f");
    lseek(fd, 3, SEEK_SET);
    T(PWRITEV2(fd, wv, 3, -1, 0));
    printf("  position %ld\n", pos(fd));
    T(PWRITEV2(fd, wv, 3, 10, RWF_DSYNC | RWF_SYNC | RWF_HIPRI));
    printf("  position %ld\n", pos(fd));
    T(PWRITEV2(fd, wv, 3, 0, RWF_APPEND));
    printf("  position %ld\n", pos(fd));
    T(PWRITEV2(fd, wv, 3, -1, RWF_APPEND));
    printf("  position %ld\n", pos(fd));
    dump("f");
    T(PWRITEV2(ap, wv, 3, 1, 0x20));
    printf("  append position %ld\n", pos(ap));
    T(PWRITEV2(ap, wv, 3, -1, 0));
    printf("  append position %ld\n", pos(ap));
    dump("f");
    T(PWRITEV2(fd, wv, 3, 0, RWF_NOWAIT));
    T(PWRITEV2(fd, wv, 3, 0, 0x40));
    T(PWRITEV2(fd, wv, 3, 0, 0x80));
    T(PWRITEV2(fd, wv, 3, 0, 0x100));
    T(PWRITEV2(fd, wv, 3, 0, 0x200));
    T(PWRITEV2(fd, wv, 0, 0, 0x200));
    T(PWRITEV2(fd, wv, 3, -3, 0));
    dump("f");
    close(ap);

    int p[2];
    pipe(p);
    T(PWRITEV2(p[1], wv, 3, 0, 0));
    T(PWRITEV2(p[1], wv, 3, -1, 0));
    T(PWRITEV(p[1], wv, 3, 0));
    static char big[70000];
    struct iovec bv = {big, sizeof big};
    T(PWRITEV2(p[1], &bv, 1, -1, RWF_NOWAIT));
    T(PWRITEV2(p[1], wv, 3, -1, RWF_NOWAIT));
    char sink[8];
    T(read(p[0], sink, 5));
    printf("  [%.5s]\n", sink);
    close(p[0]);
    signal(SIGPIPE, on_sigpipe);
    T(PWRITEV2(p[1], wv, 3, -1, 0));
    printf("  SIGPIPE %d\n", sigpipes);
    close(p[1]);
    close(fd);
}

static void large(void) {
    printf("large\n");
    enum { N = 300000 };
    char *src = malloc(N), *x = malloc(N), *y = malloc(N);
    for (int i = 0; i < N; i++) src[i] = (char)(i * 7 + i / 300);
    int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    struct iovec wv[2] = {{src, 100000}, {src + 100000, N - 100000}};
    T(PWRITEV(fd, wv, 2, 5));
    memset(x, 0, N); memset(y, 0, N);
    struct iovec rv2[2] = {{x, 150000}, {y, N}};
    T(PREADV(fd, rv2, 2, 5));
    printf("  same: %d %d\n", memcmp(x, src, 150000) == 0, memcmp(y, src + 150000, N - 150000) == 0);
    printf("  position %ld\n", pos(fd));
    close(fd);
    free(src); free(x); free(y);
}

static void mapped(void) {
    printf("mapped\n");
    reset("m");
    int fd = open("m", O_RDWR);
    ftruncate(fd, 4096);
    char *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    struct iovec wv[2] = {{"MAP", 3}, {"PED", 3}};
    T(PWRITEV(fd, wv, 2, 100));
    printf("  mapping sees [%.6s]\n", m + 100);
    T(PWRITEV2(fd, wv, 2, 200, RWF_DSYNC));
    printf("  mapping sees [%.6s]\n", m + 200);
    memcpy(m + 2, "stored", 6);
    T(PREADV(fd, rv, 2, 0)); show("file sees");
    T(PREADV2(fd, rv, 2, 0, RWF_NOWAIT)); show("file sees");
    munmap(m, 4096);
    close(fd);
}

int main(void) {
    char dir[] = "/tmp/vectored_rw.XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) return 1;
    memset(a, '.', sizeof a);
    memset(b, '.', sizeof b);
    setvbuf(stdout, 0, _IONBF, 0);
    reads();
    writes();
    large();
    mapped();
    unlink("f"); unlink("big"); unlink("m");
    chdir("/");
    rmdir(dir);
    return 0;
}
