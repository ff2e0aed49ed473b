/* pidfd_open(2), pidfd_send_signal(2), pidfd_getfd(2) and waitid(P_PIDFD): a pidfd polls
 * readable when its process ends and hung up once it is reaped, waitid reaps through it,
 * signals go through it (and fail with ESRCH once the process is reaped), a descriptor is
 * copied out of a process, an open /proc/PID directory taken as a pidfd by pidfd_send_signal,
 * and the errors Linux gives. Children end only when told to, so
 * nothing printed depends on timing. Raw syscalls, so glibc and musl make the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define PIDFD_NONBLOCK O_NONBLOCK
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

static int pidfd_open(pid_t pid, unsigned flags) { return (int)syscall(SYS_pidfd_open, pid, flags); }

static void events(const char *what, int fd, int timeout) {
    struct pollfd p = {fd, POLLIN | POLLRDNORM | POLLHUP | POLLOUT, 0};
    int n = poll(&p, 1, timeout);
    printf("poll %s -> %d revents %#x\n", what, n, p.revents);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int self = pidfd_open(getpid(), 0);
    printf("flags %#o cloexec %d\n", fcntl(self, F_GETFL), fcntl(self, F_GETFD));
    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", self);
    ssize_t ln = readlink(link, target, sizeof target - 1);
    target[ln < 0 ? 0 : ln] = 0;
    printf("link %s\n", target);
    events("self", self, 0);

    /* a child that exits when told */
    int go[2];
    pipe(go);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(7);
    }
    int pfd = pidfd_open(pid, 0);
    events("running", pfd, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 9}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, pfd, &ev);
    write(go[1], "x", 1);
    int n = epoll_wait(ep, &out, 1, -1);
    printf("epoll -> %d data %llu events %#x\n", n, (unsigned long long)out.data.u64, out.events);
    events("ended", pfd, -1);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    T(waitid(P_PIDFD, pfd, &si, WEXITED));
    printf("waitid: pid is child %d code %d status %d\n", si.si_pid == pid, si.si_code, si.si_status);
    events("reaped", pfd, 0);
    T(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0));
    T(waitid(P_PIDFD, pfd, &si, WEXITED | WNOHANG));
    close(pfd);

    /* signals through a pidfd */
    pid = fork();
    if (pid == 0) {
        for (;;) pause();
    }
    pfd = pidfd_open(pid, 0);
    int nb = pidfd_open(getpid(), PIDFD_NONBLOCK);
    printf("nonblock %#o\n", fcntl(nb, F_GETFL) & O_NONBLOCK);
    T(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 3));
    T(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 8));
    T(syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0));
    T(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 1));
    T(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0));
    memset(&si, 0, sizeof si);
    T(waitid(P_PIDFD, pfd, &si, WEXITED));
    printf("waitid: code %d status %d\n", si.si_code, si.si_status);
    close(pfd);

    /* an open /proc/PID directory is a pidfd for pidfd_send_signal (only: not for waitid or
     * pidfd_getfd), a directory below it or another /proc file is not */
    pid = fork();
    if (pid == 0) {
        for (;;) pause();
    }
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
    int procfd = open(dir, O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_pidfd_send_signal, procfd, 0, NULL, 0));
    T(waitid(P_PIDFD, procfd, &si, WEXITED | WNOHANG));
    T(syscall(SYS_pidfd_getfd, procfd, 0, 0));
    snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
    int taskfd = open(dir, O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_pidfd_send_signal, taskfd, 0, NULL, 0));
    snprintf(dir, sizeof dir, "/proc/%d/task/%d", (int)pid, (int)pid);
    int tidfd = open(dir, O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_pidfd_send_signal, tidfd, 0, NULL, 0));
    int procroot = open("/proc", O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_pidfd_send_signal, procroot, 0, NULL, 0));
    T(syscall(SYS_pidfd_send_signal, procfd, SIGKILL, NULL, 0));
    memset(&si, 0, sizeof si);
    waitid(P_PID, pid, &si, WEXITED);
    printf("killed through /proc/PID: code %d status %d\n", si.si_code, si.si_status);
    T(syscall(SYS_pidfd_send_signal, procfd, 0, NULL, 0));
    close(procfd);
    close(taskfd);
    close(tidfd);
    close(procroot);

    /* a descriptor copied out of a process (this one) */
    int p[2];
    pipe(p);
    int copy = (int)syscall(SYS_pidfd_getfd, self, p[1], 0);
    printf("copy is new %d cloexec %d\n", copy != p[1], fcntl(copy, F_GETFD));
    write(copy, "copied", 6);
    char buf[16] = {0};
    read(p[0], buf, 6);
    printf("through the copy \"%s\"\n", buf);

    /* errors */
    T(pidfd_open(-1, 0));
    T(pidfd_open(0, 0));
    T(pidfd_open(getpid(), 0x1));
    T(pidfd_open(4000000, 0));
    T(syscall(SYS_pidfd_send_signal, 0, SIGTERM, NULL, 0));
    T(syscall(SYS_pidfd_send_signal, 99, SIGTERM, NULL, 0));
    T(syscall(SYS_pidfd_send_signal, self, 999, NULL, 0));
    T(syscall(SYS_pidfd_getfd, self, 99, 0));
    T(syscall(SYS_pidfd_getfd, self, p[0], 1));
    T(syscall(SYS_pidfd_getfd, 0, p[0], 0));
    T(waitid(P_PIDFD, 0, &si, WEXITED));
    T(waitid(P_PIDFD, 99, &si, WEXITED));
    T(waitid(P_PIDFD, self, &si, WEXITED | WNOHANG));
    return 0;
}
