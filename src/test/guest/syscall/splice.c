/* splice, tee and vmsplice: file to pipe, pipe to file, pipe to pipe, offsets (the loff_t
 * advances, the file position stays) or the file position, EOF, SPLICE_F_NONBLOCK and
 * O_NONBLOCK (EAGAIN), tee leaving the source pipe as it was, vmsplice from memory into a pipe
 * and from a pipe into memory, large transfers with a child draining the pipe, a MAP_SHARED
 * mapping of the destination, and the errors Linux gives. Raw syscalls, so glibc and musl make
 * the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"
#include "files.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-66s -> %s\n", #call, errname(errno)); else printf("%-66s -> %ld\n", #call, r_); } while (0)

#define SPLICE(a, ao, b, bo, n, f) syscall(SYS_splice, a, ao, b, bo, (size_t)(n), (unsigned)(f))
#define TEE(a, b, n, f) syscall(SYS_tee, a, b, (size_t)(n), (unsigned)(f))
#define VMSPLICE(fd, iov, n, f) syscall(SYS_vmsplice, fd, iov, (unsigned long)(n), (unsigned)(f))

#ifndef SPLICE_F_MOVE
#define SPLICE_F_MOVE 1
#define SPLICE_F_NONBLOCK 2
#define SPLICE_F_MORE 4
#define SPLICE_F_GIFT 8
#endif

static volatile int sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static int queued(int fd) {
    int n = -1;
    ioctl(fd, FIONREAD, &n);
    return n;
}

static void drain(int fd) {
    char buf[256];
    long r = read(fd, buf, sizeof buf);
    printf("  pipe: [%.*s]\n", (int)(r > 0 ? r : 0), buf);
}

static void file_pipe(void) {
    printf("file to pipe\n");
    put("src", "0123456789abcdefghij");
    int in = open("src", O_RDONLY);
    int p[2];
    pipe(p);
    T(SPLICE(in, NULL, p[1], NULL, 4, 0));
    printf("  position %ld, queued %d\n", pos(in), queued(p[0]));
    loff_t off = 10;
    T(SPLICE(in, &off, p[1], NULL, 3, SPLICE_F_MOVE | SPLICE_F_MORE));
    printf("  offset %ld position %ld\n", (long)off, pos(in));
    off = 15;
    T(SPLICE(in, &off, p[1], NULL, 100, 0));
    printf("  offset %ld\n", (long)off);
    T(SPLICE(in, &off, p[1], NULL, 100, 0));
    off = 99;
    T(SPLICE(in, &off, p[1], NULL, 100, 0));
    printf("  offset %ld\n", (long)off);
    drain(p[0]);
    T(SPLICE(in, NULL, p[1], NULL, 0, 0));
    T(SPLICE(in, NULL, p[1], NULL, 0, 0x100));
    T(SPLICE(99, NULL, p[1], NULL, 0, 0));
    close(p[0]);
    close(p[1]);

    printf("pipe to file\n");
    int out = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    pipe(p);
    write(p[1], "hello world", 11);
    T(SPLICE(p[0], NULL, out, NULL, 5, 0));
    printf("  position %ld, queued %d\n", pos(out), queued(p[0]));
    off = 20;
    T(SPLICE(p[0], NULL, out, &off, 100, 0));
    printf("  offset %ld position %ld, queued %d\n", (long)off, pos(out), queued(p[0]));
    dump("dst");
    T(SPLICE(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK));
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    T(SPLICE(p[0], NULL, out, NULL, 10, 0));
    fcntl(p[0], F_SETFL, 0);
    write(p[1], "abc", 3);
    write(p[1], "def", 3);
    T(SPLICE(p[0], NULL, out, NULL, 4, 0));
    T(SPLICE(p[0], NULL, out, NULL, 4, 0));
    close(p[1]);
    T(SPLICE(p[0], NULL, out, NULL, 4, 0));
    dump("dst");
    close(p[0]);
    close(out);
    close(in);
}

static void pipe_pipe(void) {
    printf("pipe to pipe\n");
    int a[2], b[2];
    pipe(a);
    pipe(b);
    write(a[1], "first", 5);
    write(a[1], "second", 6);
    T(SPLICE(a[0], NULL, b[1], NULL, 3, 0));
    printf("  queued %d %d\n", queued(a[0]), queued(b[0]));
    T(SPLICE(a[0], NULL, b[1], NULL, 100, 0));
    printf("  queued %d %d\n", queued(a[0]), queued(b[0]));
    drain(b[0]);
    T(SPLICE(a[0], NULL, b[1], NULL, 100, SPLICE_F_NONBLOCK));
    T(SPLICE(a[0], NULL, a[1], NULL, 100, 0));
    loff_t off = 0;
    T(SPLICE(a[0], &off, b[1], NULL, 100, 0));
    T(SPLICE(a[0], NULL, b[1], &off, 100, 0));
    T(SPLICE(a[1], NULL, b[1], NULL, 100, 0));
    T(SPLICE(a[0], NULL, b[0], NULL, 100, 0));
    close(a[1]);
    T(SPLICE(a[0], NULL, b[1], NULL, 100, 0));

    printf("tee\n");
    close(a[0]);
    pipe(a);
    write(a[1], "teedata", 7);
    write(a[1], "+more", 5);
    T(TEE(a[0], b[1], 100, 0));
    printf("  queued %d %d\n", queued(a[0]), queued(b[0]));
    T(TEE(a[0], b[1], 4, 0));
    printf("  queued %d %d\n", queued(a[0]), queued(b[0]));
    drain(b[0]);
    drain(a[0]);
    T(TEE(a[0], b[1], 100, SPLICE_F_NONBLOCK));
    fcntl(b[1], F_SETFL, O_NONBLOCK);
    T(TEE(a[0], b[1], 100, 0));
    fcntl(b[1], F_SETFL, 0);
    T(TEE(a[0], a[1], 100, 0));
    T(TEE(a[0], b[1], 0, 0));
    T(TEE(a[0], b[1], 0, 0x10));
    T(TEE(a[0], b[1], 5, 0x10));
    T(TEE(99, b[1], 5, 0));
    T(TEE(a[1], b[1], 5, 0));
    T(TEE(a[0], b[0], 5, 0));
    int f = open("src", O_RDWR);
    T(TEE(f, b[1], 5, 0));
    T(TEE(a[0], f, 5, 0));
    close(f);
    close(a[1]);
    T(TEE(a[0], b[1], 5, 0));
    close(b[0]);
    pipe(a);
    write(a[1], "x", 1);
    signal(SIGPIPE, on_sigpipe);
    T(TEE(a[0], b[1], 5, 0));
    T(SPLICE(a[0], NULL, b[1], NULL, 5, 0));
    printf("  SIGPIPE %d, queued %d\n", sigpipes, queued(a[0]));
    close(a[0]); close(a[1]); close(b[1]);
}

static void errors(void) {
    printf("errors\n");
    put("src", "0123456789");
    int in = open("src", O_RDONLY);
    int out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ap = open("dst", O_WRONLY | O_APPEND);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    int p[2];
    pipe(p);
    loff_t off = 0;
    T(SPLICE(in, NULL, out, NULL, 5, 0));
    T(SPLICE(99, NULL, p[1], NULL, 5, 0));
    T(SPLICE(in, NULL, 99, NULL, 5, 0));
    T(SPLICE(in, NULL, p[1], NULL, 5, 0x10));
    T(SPLICE(out, NULL, p[1], NULL, 5, 0));
    T(SPLICE(p[0], NULL, in, NULL, 5, 0));
    T(SPLICE(in, NULL, p[0], NULL, 5, 0));
    T(SPLICE(in, NULL, p[1], &off, 5, 0));
    T(SPLICE(dir, NULL, p[1], NULL, 5, 0));
    off = -1;
    T(SPLICE(in, &off, p[1], NULL, 5, 0));
    T(SPLICE(in, (loff_t *)8, p[1], NULL, 5, 0));
    write(p[1], "abc", 3);
    T(SPLICE(p[0], NULL, ap, NULL, 5, 0));
    off = -1;
    T(SPLICE(p[0], NULL, out, &off, 5, 0));
    T(SPLICE(p[0], NULL, out, (loff_t *)8, 5, 0));
    printf("  queued %d\n", queued(p[0]));
    int q[2];
    pipe(q);
    off = 0;
    T(SPLICE(p[0], NULL, q[1], &off, 5, 0));
    T(SPLICE(q[0], &off, p[1], NULL, 5, 0));
    close(in); close(out); close(ap); close(dir); close(p[0]); close(p[1]); close(q[0]); close(q[1]);
}

static void vm(void) {
    printf("vmsplice\n");
    int p[2];
    pipe(p);
    char *page = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(page, "gift", 4);
    memcpy(page + 100, "wrapped", 7);
    struct iovec iv[2] = {{page, 4}, {page + 100, 7}};
    T(VMSPLICE(p[1], iv, 2, SPLICE_F_GIFT));
    printf("  queued %d\n", queued(p[0]));
    char in1[8] = {0}, in2[8] = {0};
    struct iovec ov[2] = {{in1, 3}, {in2, 5}};
    T(VMSPLICE(p[0], ov, 2, 0));
    printf("  [%.3s][%.5s] queued %d\n", in1, in2, queued(p[0]));
    T(VMSPLICE(p[0], ov, 2, 0));
    printf("  [%.3s][%.5s] queued %d\n", in1, in2, queued(p[0]));
    T(VMSPLICE(p[0], ov, 2, SPLICE_F_NONBLOCK));
    T(VMSPLICE(p[0], ov, 0, 0));
    T(VMSPLICE(p[0], ov, 2, 0x10));
    T(VMSPLICE(99, ov, 2, 0));
    T(VMSPLICE(p[0], ov, 1025, 0));
    int f = open("src", O_RDWR);
    T(VMSPLICE(f, iv, 2, 0));
    close(f);
    /* a pipe fills up: 16 pages of a page-aligned buffer go in, then EAGAIN */
    char *big = mmap(0, 20 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(big, 'v', 20 * 4096);
    struct iovec bv = {big, 20 * 4096};
    T(VMSPLICE(p[1], &bv, 1, 0));
    T(VMSPLICE(p[1], &bv, 1, SPLICE_F_NONBLOCK));
    char sink[4096];
    read(p[0], sink, 10);
    T(VMSPLICE(p[1], iv, 2, SPLICE_F_NONBLOCK));
    read(p[0], sink, 4096 - 10);
    struct iovec odd = {big + 5, 8192};
    T(VMSPLICE(p[1], &odd, 1, 0));
    printf("  queued %d\n", queued(p[0]));
    close(p[0]);
    signal(SIGPIPE, on_sigpipe);
    sigpipes = 0;
    T(VMSPLICE(p[1], iv, 2, 0));
    printf("  SIGPIPE %d\n", sigpipes);
    close(p[1]);
    munmap(page, 3 * 4096);
    munmap(big, 20 * 4096);
}

static void sizes(void) {
    printf("pipe buffers\n");
    enum { N = 100000 };
    char *data = malloc(N);
    for (int i = 0; i < N; i++) data[i] = (char)(i * 3 + i / 777);
    int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, data, N);
    int p[2];
    pipe(p);
    loff_t off = 100;
    T(SPLICE(fd, &off, p[1], NULL, N, 0));
    printf("  offset %ld\n", (long)off);
    close(p[0]); close(p[1]);
    pipe(p);
    write(p[1], "x", 1);
    off = 0;
    T(SPLICE(fd, &off, p[1], NULL, N, 0));
    T(SPLICE(fd, &off, p[1], NULL, N, SPLICE_F_NONBLOCK));
    close(p[0]); close(p[1]);
    pipe(p);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    T(write(p[1], data, 10));
    T(write(p[1], data, 70000));
    close(p[0]); close(p[1]);

    printf("large\n");
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
        close(p[1]);
        int out = open("copy", O_RDWR | O_CREAT | O_TRUNC, 0644);
        long got = 0, r;
        while ((r = SPLICE(p[0], NULL, out, NULL, 30000, 0)) > 0) got += r;
        char *back = malloc(N);
        long n = pread(out, back, N, 0);
        printf("  child spliced %ld, file %ld bytes, same %d, position %ld\n", got, n,
               memcmp(back, data, N) == 0, pos(out));
        _exit(0);
    }
    close(p[0]);
    off = 0;
    long total = 0, calls = 0, r;
    while ((r = SPLICE(fd, &off, p[1], NULL, N, 0)) > 0) {
        total += r;
        calls++;
    }
    close(p[1]);
    waitpid(child, 0, 0);
    printf("  spliced %ld, offset %ld, several calls %d, last %ld\n", total, (long)off, calls > 1, r);
    close(fd);
    unlink("copy");
    free(data);
}

static void mapped(void) {
    printf("mapped\n");
    put("m", "");
    int out = open("m", O_RDWR);
    ftruncate(out, 4096);
    char *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, out, 0);
    memcpy(m, "before", 6);
    int p[2];
    pipe(p);
    write(p[1], "spliced!", 8);
    loff_t off = 200;
    T(SPLICE(p[0], NULL, out, &off, 8, 0));
    printf("  mapping sees [%.8s]\n", m + 200);
    T(SPLICE(out, NULL, p[1], NULL, 6, 0));
    drain(p[0]);
    close(p[0]); close(p[1]);
    munmap(m, 4096);
    close(out);
}

int main(void) {
    char dir[] = "/tmp/splice.XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) return 1;
    setvbuf(stdout, 0, _IONBF, 0);
    file_pipe();
    pipe_pipe();
    errors();
    vm();
    sizes();
    mapped();
    unlink("src"); unlink("dst"); unlink("big"); unlink("m");
    chdir("/");
    rmdir(dir);
    return 0;
}
