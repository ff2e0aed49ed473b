/* sendfile: to a regular file and to a pipe, with and without an offset pointer (the pointer
 * advances and the file position stays, or the position advances), EOF, large transfers through
 * a pipe drained by a child, a MAP_SHARED mapping of the destination, and the errors Linux
 * gives. Raw syscalls, so glibc and musl make the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"
#include "files.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-60s -> %s\n", #call, errname(errno)); else printf("%-60s -> %ld\n", #call, r_); } while (0)

#define SENDFILE(out, in, off, n) syscall(SYS_sendfile, out, in, off, (size_t)(n))

static volatile int sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static void pipe_read(int fd, long n) {
    char buf[128];
    long r = read(fd, buf, n < (long)sizeof buf ? n : (long)sizeof buf);
    printf("  pipe: [%.*s]\n", (int)(r > 0 ? r : 0), buf);
}

static void to_file(void) {
    printf("to a file\n");
    put("src", "0123456789abcdefghij");
    int in = open("src", O_RDONLY);
    int out = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    T(SENDFILE(out, in, NULL, 5));
    printf("  positions in %ld out %ld\n", pos(in), pos(out));
    off_t off = 10;
    T(SENDFILE(out, in, &off, 4));
    printf("  offset %ld, positions in %ld out %ld\n", (long)off, pos(in), pos(out));
    off = 18;
    T(SENDFILE(out, in, &off, 100));
    printf("  offset %ld\n", (long)off);
    T(SENDFILE(out, in, &off, 100));
    printf("  offset %ld\n", (long)off);
    off = 1000;
    T(SENDFILE(out, in, &off, 100));
    printf("  offset %ld\n", (long)off);
    T(SENDFILE(out, in, NULL, 0));
    lseek(in, 15, SEEK_SET);
    T(SENDFILE(out, in, NULL, 100));
    printf("  positions in %ld out %ld\n", pos(in), pos(out));
    T(SENDFILE(out, in, NULL, 100));
    dump("dst");
    lseek(out, 2, SEEK_SET);
    off = 0;
    T(SENDFILE(out, in, &off, 3));
    printf("  positions in %ld out %ld\n", pos(in), pos(out));
    dump("dst");
    /* the same file as source and destination */
    int self = open("dst", O_RDWR);
    lseek(self, 20, SEEK_SET);
    off = 0;
    T(SENDFILE(self, self, &off, 4));
    dump("dst");
    close(self);
    close(in);
    close(out);
}

static void errors(void) {
    printf("errors\n");
    put("src", "0123456789");
    int in = open("src", O_RDONLY);
    int out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int wo = open("src", O_WRONLY);
    int ap = open("dst", O_WRONLY | O_APPEND);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    int p[2];
    pipe(p);
    off_t off = 0;
    T(SENDFILE(out, 99, NULL, 5));
    T(SENDFILE(99, in, NULL, 5));
    T(SENDFILE(99, 99, NULL, 5));
    T(SENDFILE(out, wo, NULL, 5));
    T(SENDFILE(in, in, NULL, 5));
    T(SENDFILE(out, dir, NULL, 5));
    T(SENDFILE(ap, in, NULL, 5));
    T(SENDFILE(ap, in, NULL, 0));
    off = -1;
    T(SENDFILE(out, in, &off, 5));
    printf("  offset %ld\n", (long)off);
    off = 0x7ffffffffffffff0L;
    T(SENDFILE(out, in, &off, 100));
    T(SENDFILE(out, in, (off_t *)8, 5));
    off = 0;
    T(SENDFILE(out, p[0], &off, 5));
    T(SENDFILE(out, p[0], NULL, 5));
    write(p[1], "pipe", 4);
    T(SENDFILE(out, p[0], NULL, 5));
    T(SENDFILE(out, p[1], NULL, 5));
    T(SENDFILE(p[0], in, NULL, 5));
    dump("dst");
    close(in); close(out); close(wo); close(ap); close(dir); close(p[0]); close(p[1]);
}

static void to_pipe(void) {
    printf("to a pipe\n");
    put("src", "0123456789abcdefghij");
    int in = open("src", O_RDONLY);
    int p[2];
    pipe(p);
    T(SENDFILE(p[1], in, NULL, 6));
    printf("  position %ld\n", pos(in));
    pipe_read(p[0], 6);
    off_t off = 12;
    T(SENDFILE(p[1], in, &off, 100));
    printf("  offset %ld position %ld\n", (long)off, pos(in));
    pipe_read(p[0], 100);
    T(SENDFILE(p[1], in, &off, 100));
    /* a full pipe: O_NONBLOCK on the pipe gives EAGAIN */
    char big[4096];
    memset(big, 'x', sizeof big);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    while (write(p[1], big, sizeof big) > 0) {}
    off = 0;
    T(SENDFILE(p[1], in, &off, 5));
    printf("  offset %ld\n", (long)off);
    close(p[0]);
    close(p[1]);
    /* no reader: EPIPE and SIGPIPE */
    pipe(p);
    close(p[0]);
    signal(SIGPIPE, on_sigpipe);
    T(SENDFILE(p[1], in, NULL, 5));
    printf("  SIGPIPE %d, position %ld\n", sigpipes, pos(in));
    close(p[1]);
    close(in);
}

static void large(void) {
    printf("large\n");
    enum { N = 1000000 };
    char *data = malloc(N);
    for (int i = 0; i < N; i++) data[i] = (char)(i * 13 + i / 4096);
    int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, data, N);
    lseek(fd, 0, SEEK_SET);
    int out = open("big2", O_RDWR | O_CREAT | O_TRUNC, 0644);
    T(SENDFILE(out, fd, NULL, N + 10));
    printf("  positions %ld %ld\n", pos(fd), pos(out));
    char *back = malloc(N);
    pread(out, back, N, 0);
    printf("  same: %d\n", memcmp(back, data, N) == 0);
    /* through a pipe to a child that checks what it reads */
    int p[2];
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
        close(p[1]);
        long got = 0, bad = 0;
        char buf[5000];
        long n;
        while ((n = read(p[0], buf, sizeof buf)) > 0) {
            for (long i = 0; i < n; i++) bad += buf[i] != data[100 + got + i];
            got += n;
        }
        printf("  child read %ld, %ld differ\n", got, bad);
        _exit(0);
    }
    close(p[0]);
    off_t off = 100;
    long total = 0, calls = 0;
    for (;;) {
        long r = SENDFILE(p[1], fd, &off, N);
        if (r <= 0) break;
        total += r;
        calls++;
    }
    close(p[1]);
    waitpid(child, 0, 0);
    printf("  sent %ld, offset %ld, several calls %d\n", total, (long)off, calls > 1);
    close(fd);
    close(out);
    free(data);
    free(back);
}

static void mapped(void) {
    printf("mapped\n");
    put("src", "0123456789abcdefghij");
    put("m", "");
    int in = open("src", O_RDWR);
    int out = open("m", O_RDWR);
    ftruncate(out, 4096);
    char *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, out, 0);
    char *s = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, in, 0);
    lseek(out, 100, SEEK_SET);
    T(SENDFILE(out, in, NULL, 8));
    printf("  mapping sees [%.8s]\n", m + 100);
    memcpy(s + 3, "STORED", 6);
    off_t off = 0;
    T(SENDFILE(out, in, &off, 12));
    printf("  mapping sees [%.12s]\n", m + 108);
    munmap(m, 4096);
    munmap(s, 4096);
    close(in);
    close(out);
}

int main(void) {
    char dir[] = "/tmp/sendfile.XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) return 1;
    setvbuf(stdout, 0, _IONBF, 0);
    to_file();
    errors();
    to_pipe();
    large();
    mapped();
    unlink("src"); unlink("dst"); unlink("big"); unlink("big2"); unlink("m");
    chdir("/");
    rmdir(dir);
    return 0;
}
