/* epoll(7): epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait and epoll_pwait2 over
 * pipes, eventfds, timerfds and other epoll instances: level- and edge-triggered and one-shot
 * items, the order of the ready list with a small maxevents, hang-ups and errors, items that go
 * when their file is closed, nesting, a wait woken by a child and one ended by a signal, and the
 * errors Linux gives. Raw syscalls, so glibc and musl make the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

#define EPOLLIN 0x1
#define EPOLLOUT 0x4
#define EPOLLERR 0x8
#define EPOLLHUP 0x10
#define EPOLLRDHUP 0x2000
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

struct ev {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static long ctl(int ep, int op, int fd, uint32_t events, uint64_t data) {
    struct ev e = {events, data};
    return syscall(SYS_epoll_ctl, ep, op, fd, &e);
}

/* epoll_wait, printing what it returned */
static void wait_print(const char *what, int ep, int max, int timeout) {
    struct ev evs[16];
    errno = 0;
    long n = syscall(SYS_epoll_wait, ep, evs, max, timeout);
    printf("%s:", what);
    if (n < 0) {
        printf(" %s\n", errname(errno));
        return;
    }
    printf(" %ld", n);
    for (long i = 0; i < n; i++) printf(" [%llu %#x]", (unsigned long long)evs[i].data, evs[i].events);
    printf("\n");
}

static void on_usr1(int sig) { (void)sig; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[256];

    /* creating */
    T(syscall(SYS_epoll_create, 0));
    T(syscall(SYS_epoll_create, -1));
    T(syscall(SYS_epoll_create1, 1));
    int ep = syscall(SYS_epoll_create, 1);
    int ep2 = syscall(SYS_epoll_create1, O_CLOEXEC);
    printf("cloexec %d %d flags %#x\n", fcntl(ep, F_GETFD), fcntl(ep2, F_GETFD), fcntl(ep, F_GETFL));
    T(read(ep, buf, 8));
    T(lseek(ep, 0, SEEK_SET));

    int a[2], b[2], c[2];
    pipe(a);
    pipe(b);
    pipe(c);
    char dir[] = "/tmp/l4j-epoll-XXXXXX";
    mkdtemp(dir);
    char path[64];
    snprintf(path, sizeof path, "%s/f", dir);
    int reg = open(path, O_RDWR | O_CREAT, 0600);
    int null = open("/dev/null", O_RDONLY);

    /* epoll_ctl's errors, in Linux's order */
    T(ctl(99, EPOLL_CTL_ADD, a[0], EPOLLIN, 1));
    T(ctl(ep, EPOLL_CTL_ADD, 99, EPOLLIN, 1));
    T(ctl(ep, EPOLL_CTL_ADD, reg, EPOLLIN, 1));
    T(ctl(ep, EPOLL_CTL_ADD, null, EPOLLIN, 1));
    T(ctl(a[1], EPOLL_CTL_ADD, a[0], EPOLLIN, 1));
    T(ctl(reg, EPOLL_CTL_ADD, a[0], EPOLLIN, 1));
    T(ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 1));
    T(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, a[0], (void *)8));
    T(ctl(ep, EPOLL_CTL_MOD, a[0], EPOLLIN, 1));
    T(ctl(ep, EPOLL_CTL_DEL, a[0], EPOLLIN, 1));
    T(ctl(ep, 7, a[0], EPOLLIN, 1));
    T(ctl(ep, EPOLL_CTL_ADD, a[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 1));
    T(ctl(ep, EPOLL_CTL_ADD, ep2, EPOLLIN | EPOLLEXCLUSIVE, 1));

    /* level-triggered: reported while ready, taking turns with a small maxevents */
    T(ctl(ep, EPOLL_CTL_ADD, a[0], EPOLLIN, 10));
    T(ctl(ep, EPOLL_CTL_ADD, a[0], EPOLLIN, 10));
    T(ctl(ep, EPOLL_CTL_ADD, b[0], EPOLLIN, 20));
    T(ctl(ep, EPOLL_CTL_ADD, c[0], EPOLLIN | EPOLLRDHUP, 30));
    wait_print("nothing ready", ep, 16, 0);
    wait_print("timeout 10 ms", ep, 16, 10);
    write(a[1], "x", 1);
    write(b[1], "y", 1);
    write(c[1], "z", 1);
    wait_print("three, max 2", ep, 2, 0);
    wait_print("three, max 2", ep, 2, 0);
    wait_print("three, max 2", ep, 2, 0);
    wait_print("three, max 16", ep, 16, 0);
    read(b[0], buf, 1);
    wait_print("b drained", ep, 16, 0);
    T(ctl(ep, EPOLL_CTL_MOD, a[0], EPOLLOUT, 11));
    wait_print("a wants EPOLLOUT", ep, 16, 0);
    T(ctl(ep, EPOLL_CTL_DEL, c[0], 0, 0));
    T(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, a[0], NULL));
    wait_print("c and a deleted", ep, 16, 0);
    read(a[0], buf, 1);
    read(c[0], buf, 1);

    /* the write end: EPOLLOUT, then EPOLLERR once the reader is gone */
    int d[2];
    pipe(d);
    T(ctl(ep2, EPOLL_CTL_ADD, d[1], EPOLLOUT, 40));
    wait_print("write end", ep2, 16, 0);
    close(d[0]);
    wait_print("reader closed", ep2, 16, 0);
    T(ctl(ep2, EPOLL_CTL_DEL, d[1], 0, 0));
    close(d[1]);

    /* hang-up of the read end, reported even when not asked for */
    int e[2];
    pipe(e);
    T(ctl(ep2, EPOLL_CTL_ADD, e[0], 0, 50));
    wait_print("no events asked", ep2, 16, 0);
    write(e[1], "data", 4);
    close(e[1]);
    wait_print("writer closed", ep2, 16, 0);
    T(ctl(ep2, EPOLL_CTL_MOD, e[0], EPOLLIN, 51));
    wait_print("with EPOLLIN", ep2, 16, 0);
    close(e[0]);
    wait_print("closed: item gone", ep2, 16, 0);

    /* edge-triggered: once per change */
    int f[2];
    pipe(f);
    T(ctl(ep2, EPOLL_CTL_ADD, f[0], EPOLLIN | EPOLLET, 60));
    wait_print("et nothing", ep2, 16, 0);
    write(f[1], "ab", 2);
    wait_print("et written", ep2, 16, 0);
    wait_print("et again", ep2, 16, 0);
    read(f[0], buf, 2);
    write(f[1], "c", 1);
    wait_print("et drained and written", ep2, 16, 0);
    T(ctl(ep2, EPOLL_CTL_MOD, f[0], EPOLLIN | EPOLLET, 61));
    wait_print("et modified while ready", ep2, 16, 0);
    wait_print("et again", ep2, 16, 0);
    read(f[0], buf, 1);

    /* one-shot: once, then nothing until modified */
    T(ctl(ep2, EPOLL_CTL_MOD, f[0], EPOLLIN | EPOLLONESHOT, 70));
    write(f[1], "d", 1);
    wait_print("oneshot", ep2, 16, 0);
    wait_print("oneshot again", ep2, 16, 0);
    T(ctl(ep2, EPOLL_CTL_MOD, f[0], EPOLLIN | EPOLLONESHOT, 71));
    wait_print("oneshot rearmed", ep2, 16, 0);
    read(f[0], buf, 1);
    T(ctl(ep2, EPOLL_CTL_DEL, f[0], 0, 0));

    /* an item stays while a duplicate keeps its file open, with the old descriptor's data */
    int g[2];
    pipe(g);
    int gdup = dup(g[0]);
    T(ctl(ep2, EPOLL_CTL_ADD, g[0], EPOLLIN, 80));
    close(g[0]);
    write(g[1], "e", 1);
    wait_print("closed but duplicated", ep2, 16, 0);
    T(ctl(ep2, EPOLL_CTL_DEL, g[0], 0, 0));
    close(gdup);
    wait_print("duplicate closed", ep2, 16, 0);
    close(g[1]);

    /* eventfd and timerfd */
    int efd = syscall(SYS_eventfd2, 0, 0);
    T(ctl(ep2, EPOLL_CTL_ADD, efd, EPOLLIN | EPOLLOUT, 90));
    wait_print("eventfd zero", ep2, 16, 0);
    uint64_t one = 1;
    write(efd, &one, 8);
    wait_print("eventfd one", ep2, 16, 0);
    read(efd, &one, 8);
    T(ctl(ep2, EPOLL_CTL_DEL, efd, 0, 0));
    int tfd = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0);
    struct { struct timespec i, v; } its = {{0, 0}, {0, 20000000}};
    syscall(SYS_timerfd_settime, tfd, 0, &its, NULL);
    T(ctl(ep2, EPOLL_CTL_ADD, tfd, EPOLLIN, 95));
    wait_print("timerfd expires", ep2, 16, -1);
    read(tfd, &one, 8);
    T(ctl(ep2, EPOLL_CTL_DEL, tfd, 0, 0));

    /* nesting: an instance is readable while something in it is ready */
    int h[2];
    pipe(h);
    int inner = syscall(SYS_epoll_create1, 0);
    T(ctl(inner, EPOLL_CTL_ADD, h[0], EPOLLIN, 100));
    T(ctl(ep2, EPOLL_CTL_ADD, inner, EPOLLIN, 101));
    T(ctl(inner, EPOLL_CTL_ADD, ep2, EPOLLIN, 102));
    wait_print("outer, inner empty", ep2, 16, 0);
    write(h[1], "f", 1);
    wait_print("outer, inner ready", ep2, 16, 0);
    struct pollfd p = {inner, POLLIN | POLLOUT, 0};
    int ready = poll(&p, 1, 0);
    printf("poll inner %d revents %#x\n", ready, p.revents);
    wait_print("inner", inner, 16, 0);
    read(h[0], buf, 1);
    ready = poll(&p, 1, 0);
    printf("poll inner drained %d revents %#x\n", ready, p.revents);

    /* epoll_wait's errors */
    struct ev evs[4];
    T(syscall(SYS_epoll_wait, ep2, evs, 0, 0));
    T(syscall(SYS_epoll_wait, ep2, evs, -1, 0));
    T(syscall(SYS_epoll_wait, 99, evs, 4, 0));
    T(syscall(SYS_epoll_wait, h[0], evs, 4, 0));
    struct timespec zero = {0, 0};
    T(syscall(SYS_epoll_pwait2, ep2, evs, 4, &zero, NULL, 8));
    T(syscall(SYS_epoll_pwait, ep2, evs, 4, 0, NULL, 8));

    /* a blocking wait woken by a child */
    pid_t pid = fork();
    if (pid == 0) {
        usleep(20000);
        write(h[1], "g", 1);
        _exit(0);
    }
    wait_print("woken by child", inner, 16, -1);
    waitpid(pid, NULL, 0);
    read(h[0], buf, 1);

    /* a signal ends the wait with EINTR even with SA_RESTART; it is let in only by epoll_pwait's mask */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, during;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    pid = fork();
    if (pid == 0) {
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    sigemptyset(&during);
    errno = 0;
    long n = syscall(SYS_epoll_pwait, inner, evs, 4, -1, &during, 8);
    printf("epoll_pwait with SIGUSR1 let in -> %ld %s\n", n, n < 0 ? errname(errno) : "");
    T(syscall(SYS_epoll_pwait, inner, evs, 4, 0, &during, 4));

    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", ep);
    ssize_t len = readlink(link, target, sizeof target - 1);
    target[len < 0 ? 0 : len] = 0;
    printf("link %s\n", target);
    unlink(path);
    rmdir(dir);
    return 0;
}
