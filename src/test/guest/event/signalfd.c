/* signalfd(2): blocked signals read as struct signalfd_siginfo (kill's pid and uid, sigqueue's
 * value, tgkill, a child's SIGCHLD with its status), several in one read, reads that wait for a
 * signal sent by a child, non-blocking reads, poll and epoll readiness, changing the mask of an
 * existing signalfd, and the errors Linux gives. Raw syscalls, so glibc and musl make the same
 * calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static long sfd(int fd, uint64_t *mask, long size, int flags) { return syscall(SYS_signalfd4, fd, mask, size, flags); }

static void show_n(const char *what, int fd, int max) {
    struct signalfd_siginfo si[4];
    errno = 0;
    long n = read(fd, si, max * sizeof si[0]);
    if (n < 0) {
        printf("%s: %s\n", what, errname(errno));
        return;
    }
    printf("%s: %ld bytes\n", what, n);
    for (long i = 0; i < n / (long)sizeof si[0]; i++)
        printf("  signo %u code %d pid is mine %d uid %u int %d status %d tid set %d\n", si[i].ssi_signo,
               si[i].ssi_code, si[i].ssi_pid == (uint32_t)getpid(), si[i].ssi_uid, si[i].ssi_int, si[i].ssi_status,
               si[i].ssi_tid != 0);
}

static void show(const char *what, int fd) { show_n(what, fd, 4); }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGUSR2);
    sigaddset(&block, SIGRTMIN + 3);
    sigaddset(&block, SIGCHLD);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, NULL);

    uint64_t mask = (1ULL << (SIGUSR1 - 1)) | (1ULL << (SIGUSR2 - 1)) | (1ULL << (SIGRTMIN + 3 - 1)) |
                    (1ULL << (SIGCHLD - 1)) | (1ULL << (SIGKILL - 1));
    int fd = sfd(-1, &mask, 8, SFD_NONBLOCK);
    printf("flags %#o cloexec %d\n", fcntl(fd, F_GETFL), fcntl(fd, F_GETFD));
    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t ln = readlink(link, target, sizeof target - 1);
    target[ln < 0 ? 0 : ln] = 0;
    printf("link %s\n", target);
    show("empty", fd);
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, 0);
    printf("poll empty %d %#x\n", r, p.revents);

    kill(getpid(), SIGUSR1);
    union sigval v = {.sival_int = 77};
    sigqueue(getpid(), SIGRTMIN + 3, v);
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
    r = poll(&p, 1, 0);
    printf("poll pending %d %#x\n", r, p.revents);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    struct epoll_event out;
    printf("epoll %d\n", epoll_wait(ep, &out, 1, 0));
    show("three", fd);
    char small[64];
    T(read(fd, small, sizeof small));

    /* SIGTERM is not in the mask: it stays pending */
    kill(getpid(), SIGTERM);
    show("not in mask", fd);
    sigset_t pending;
    sigpending(&pending);
    printf("SIGTERM pending %d\n", sigismember(&pending, SIGTERM));

    /* a new mask for the same descriptor */
    uint64_t term = 1ULL << (SIGTERM - 1);
    T(sfd(fd, &term, 8, 0));
    show("SIGTERM now", fd);

    /* a blocking read waits for a child's signal; SIGCHLD carries its status */
    int blocking = sfd(-1, &mask, 8, SFD_CLOEXEC);
    printf("cloexec %d\n", fcntl(blocking, F_GETFD));
    pid_t pid = fork();
    if (pid == 0) {
        usleep(20000);
        kill(getppid(), SIGUSR2);
        _exit(9);
    }
    show_n("from child", blocking, 1);
    int st;
    waitpid(pid, &st, 0);
    show_n("SIGCHLD", blocking, 1);

    /* errors */
    T(sfd(-1, &mask, 4, 0));
    T(sfd(-1, &mask, 8, 1));
    T(sfd(-1, (uint64_t *)8, 8, 0));
    T(sfd(99, &mask, 8, 0));
    T(sfd(0, &mask, 8, 0));
    T(syscall(SYS_signalfd, -1, &mask, 16));
    T(write(fd, small, 8));
    return 0;
}
