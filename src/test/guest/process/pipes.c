/* Pipes between parent and child: EOF when writers close, EPIPE/SIGPIPE, O_NONBLOCK, poll, sizes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int fds[2];
    pipe(fds);
    pid_t p = fork();
    if (p == 0) {
        close(fds[0]);
        for (int i = 0; i < 1000; i++) {
            char line[32];
            int n = snprintf(line, sizeof line, "line %d\n", i);
            write(fds[1], line, n);
        }
        _exit(0);
    }
    close(fds[1]);
    char buf[4096];
    long total = 0, lines = 0;
    int n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
        total += n;
        for (int i = 0; i < n; i++) lines += buf[i] == '\n';
    }
    printf("read %ld bytes, %ld lines, last read %d\n", total, lines, n);
    close(fds[0]);
    waitpid(p, 0, 0);

    /* EPIPE and SIGPIPE */
    pipe(fds);
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN);
    int r = write(fds[1], "x", 1);
    printf("write to closed: %d %s\n", r, strerror(errno));
    close(fds[1]);
    signal(SIGPIPE, SIG_DFL);
    pipe(fds);
    close(fds[0]); /* no reader before the child writes: SIGPIPE whatever the scheduling */
    p = fork();
    if (p == 0) {
        write(fds[1], "x", 1);
        _exit(0);
    }
    close(fds[1]);
    int st;
    waitpid(p, &st, 0);
    printf("child: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));

    /* non-blocking, FIONREAD, capacity, poll */
    pipe2(fds, O_NONBLOCK | O_CLOEXEC);
    printf("cloexec=%d nonblock=%d\n", (fcntl(fds[0], F_GETFD) & FD_CLOEXEC) != 0,
           (fcntl(fds[1], F_GETFL) & O_NONBLOCK) != 0);
    r = read(fds[0], buf, 1);
    printf("empty read: %d %s\n", r, strerror(errno));
    struct pollfd pf[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLOUT, 0}};
    r = poll(pf, 2, 0);
    printf("poll: %d in=%x out=%x\n", r, pf[0].revents, pf[1].revents);
    long filled = 0;
    memset(buf, 'a', sizeof buf);
    while ((r = write(fds[1], buf, sizeof buf)) > 0) filled += r;
    printf("capacity: %ld then %s\n", filled, strerror(errno));
    int avail = 0;
    ioctl(fds[0], FIONREAD, &avail);
    printf("fionread: %d\n", avail);
    pf[0].revents = pf[1].revents = 0;
    r = poll(pf, 2, 0);
    printf("poll full: %d in=%x out=%x\n", r, pf[0].revents, pf[1].revents);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(fds[0], &rs);
    struct timeval tv = {0, 0};
    r = select(fds[0] + 1, &rs, 0, 0, &tv);
    printf("select: %d isset=%d\n", r, FD_ISSET(fds[0], &rs));
    close(fds[1]);
    pf[0].revents = 0;
    poll(pf, 1, 0);
    printf("after writer closed: in=%x\n", pf[0].revents);
    close(fds[0]);
    /* poll waits for a child writing later */
    pipe(fds);
    p = fork();
    if (p == 0) {
        usleep(20000);
        write(fds[1], "hi", 2);
        _exit(0);
    }
    struct pollfd w = {fds[0], POLLIN, 0};
    r = poll(&w, 1, 5000);
    printf("poll wait: %d in=%x\n", r, w.revents);
    n = read(fds[0], buf, sizeof buf);
    printf("got %.*s\n", n, buf);
    waitpid(p, 0, 0);
    return 0;
}
