/* eventfd(2): the counter, semaphore mode, non-blocking reads and writes at both ends of its
 * range, blocking reads woken by a child process, poll's events, the flags and the errors Linux
 * gives. Raw syscalls, so glibc and musl make the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define EFD_SEMAPHORE 1
#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-60s -> %s\n", #call, errname(errno)); else printf("%-60s -> %ld\n", #call, r_); } while (0)

static uint64_t v;

static void rd(int fd) {
    v = 0;
    errno = 0;
    long n = read(fd, &v, 8);
    if (n < 0) printf("read -> %s\n", errname(errno));
    else printf("read -> %ld value %llu\n", n, (unsigned long long)v);
}

static void wr(int fd, uint64_t value) {
    errno = 0;
    long n = write(fd, &value, 8);
    if (n < 0) printf("write %llu -> %s\n", (unsigned long long)value, errname(errno));
    else printf("write %llu -> %ld\n", (unsigned long long)value, n);
}

static void events(int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM | POLLPRI, 0};
    int n = poll(&p, 1, 0);
    printf("poll -> %d revents %#x\n", n, p.revents);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = syscall(SYS_eventfd2, 3, 0);
    printf("flags %#x cloexec %d\n", fcntl(fd, F_GETFL), fcntl(fd, F_GETFD));
    events(fd);
    rd(fd);
    events(fd);
    wr(fd, 5);
    wr(fd, 7);
    rd(fd);
    char small[4];
    T(read(fd, small, 4));
    T(write(fd, small, 4));
    uint64_t all = UINT64_MAX;
    T(write(fd, &all, 8));
    char big[16] = {0};
    big[0] = 2;
    T(write(fd, big, 16));
    T(write(fd, big, 9));
    T(write(fd, big, 8));
    T(read(fd, big, 16));
    T(lseek(fd, 0, SEEK_SET));
    T(lseek(fd, 0, 7));
    int p[2];
    pipe(p);
    T(lseek(p[0], 0, 7));
    T(lseek(p[0], 0, SEEK_CUR));
    close(p[0]);
    close(p[1]);
    close(fd);

    /* the top of the range: writing that would pass 0xfffffffffffffffe blocks */
    fd = syscall(SYS_eventfd2, 0, O_NONBLOCK | O_CLOEXEC);
    printf("flags %#x cloexec %d\n", fcntl(fd, F_GETFL) & O_NONBLOCK, fcntl(fd, F_GETFD));
    rd(fd);
    wr(fd, UINT64_MAX - 1);
    events(fd);
    wr(fd, 1);
    wr(fd, 0);
    rd(fd);
    events(fd);
    close(fd);

    /* semaphore mode: each read takes one */
    fd = syscall(SYS_eventfd2, 2, EFD_SEMAPHORE | O_NONBLOCK);
    rd(fd);
    rd(fd);
    rd(fd);
    close(fd);

    /* the old eventfd call, and bad flags */
    fd = syscall(SYS_eventfd, 9);
    rd(fd);
    close(fd);
    T(syscall(SYS_eventfd2, 0, 0x10));
    T(syscall(SYS_eventfd2, 0, O_APPEND));

    /* a blocking read waits for a child's write */
    fd = syscall(SYS_eventfd2, 0, 0);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(20000);
        uint64_t one = 42;
        write(fd, &one, 8);
        _exit(0);
    }
    rd(fd);
    int st;
    waitpid(pid, &st, 0);
    printf("child %d\n", WEXITSTATUS(st));

    /* a blocking write waits for a child's read */
    wr(fd, UINT64_MAX - 1);
    pid = fork();
    if (pid == 0) {
        usleep(20000);
        uint64_t x;
        read(fd, &x, 8);
        _exit(x == UINT64_MAX - 1 ? 3 : 4);
    }
    wr(fd, 10);
    waitpid(pid, &st, 0);
    printf("child %d\n", WEXITSTATUS(st));
    rd(fd);

    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    printf("link %s\n", target);
    return 0;
}
