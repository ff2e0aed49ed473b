/* timerfd_create(2), timerfd_settime(2) and timerfd_gettime(2): one-shot and periodic timers,
 * absolute times, reads that block until an expiration, non-blocking reads, disarming, the old
 * value, polling and the errors Linux gives. Timing only ever makes a read wait: what is printed
 * does not depend on how late anything runs (periodic counts are checked as "at least"). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

#define TFD_TIMER_ABSTIME 1
#define TFD_CLOEXEC O_CLOEXEC
#define TFD_NONBLOCK O_NONBLOCK
#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-72s -> %s\n", #call, errname(errno)); else printf("%-72s -> %ld\n", #call, r_); } while (0)

struct its { struct timespec interval, value; };

static int settime(int fd, int flags, long interval_ns, long value_ns, struct its *old) {
    struct its n = {{interval_ns / 1000000000, interval_ns % 1000000000}, {value_ns / 1000000000, value_ns % 1000000000}};
    return syscall(SYS_timerfd_settime, fd, flags, &n, old);
}

static void rd(int fd) {
    uint64_t v = 0;
    errno = 0;
    long n = read(fd, &v, 8);
    if (n < 0) printf("read -> %s\n", errname(errno));
    else printf("read -> %ld expirations %llu\n", n, (unsigned long long)v);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0);
    printf("flags %#x\n", fcntl(fd, F_GETFL));
    struct its cur;
    T(syscall(SYS_timerfd_gettime, fd, &cur));
    printf("disarmed: interval %ld.%09ld value %ld.%09ld\n", (long)cur.interval.tv_sec, cur.interval.tv_nsec,
           (long)cur.value.tv_sec, cur.value.tv_nsec);

    /* one shot in 30 ms: a read blocks until it expires, once */
    T(settime(fd, 0, 0, 30000000, NULL));
    syscall(SYS_timerfd_gettime, fd, &cur);
    printf("armed: value between 0 and 30 ms: %d\n", cur.value.tv_sec == 0 && cur.value.tv_nsec > 0 && cur.value.tv_nsec <= 30000000);
    rd(fd);
    syscall(SYS_timerfd_gettime, fd, &cur);
    printf("after: value %ld.%09ld\n", (long)cur.value.tv_sec, cur.value.tv_nsec);
    struct pollfd p = {fd, POLLIN, 0};
    int ready = poll(&p, 1, 0);
    printf("poll %d revents %#x\n", ready, p.revents);

    /* periodic every 10 ms: a blocking read returns at least one; the old value comes back */
    T(settime(fd, 0, 10000000, 10000000, NULL));
    uint64_t v = 0;
    read(fd, &v, 8);
    printf("periodic read at least one: %d\n", v >= 1);
    struct its old;
    T(settime(fd, 0, 0, 0, &old));
    printf("old interval %ld.%09ld value positive %d\n", (long)old.interval.tv_sec, old.interval.tv_nsec,
           old.value.tv_sec > 0 || old.value.tv_nsec > 0);

    /* non-blocking: EAGAIN while nothing expired; poll sees an expiration */
    int nb = syscall(SYS_timerfd_create, CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    printf("flags %#x cloexec %d\n", fcntl(nb, F_GETFL) & O_NONBLOCK, fcntl(nb, F_GETFD));
    rd(nb);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long abs_ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec + 20000000LL;
    struct its a = {{0, 0}, {abs_ns / 1000000000LL, abs_ns % 1000000000LL}};
    T(syscall(SYS_timerfd_settime, nb, TFD_TIMER_ABSTIME, &a, NULL));
    p.fd = nb;
    ready = poll(&p, 1, 2000);
    printf("poll %d revents %#x\n", ready, p.revents);
    rd(nb);
    rd(nb);
    /* an absolute time in the past expires at once */
    a.value.tv_sec = 1;
    a.value.tv_nsec = 0;
    T(syscall(SYS_timerfd_settime, nb, TFD_TIMER_ABSTIME, &a, NULL));
    rd(nb);

    /* errors */
    char small[4];
    T(read(fd, small, 4));
    T(syscall(SYS_timerfd_create, 99, 0));
    T(syscall(SYS_timerfd_create, CLOCK_PROCESS_CPUTIME_ID, 0));
    T(syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 1));
    T(settime(fd, 4, 0, 1000, NULL));
    T(settime(fd, 0, 0, 1000000000, NULL));
    T(settime(fd, 0, -1, 1000, NULL));
    T(settime(99, 0, 0, 1000, NULL));
    T(settime(0, 0, 0, 1000, NULL));
    T(syscall(SYS_timerfd_gettime, 99, &cur));
    T(syscall(SYS_timerfd_gettime, 1, &cur));
    T(syscall(SYS_timerfd_settime, fd, 0, (void *)8, NULL));
    T(write(fd, small, 4));

    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    printf("link %s\n", target);
    return 0;
}
