/* The sigsetsize argument of the rt_sig* calls and signalfd as raw calls: rt_sigpending copies
 * as many bytes as asked up to a sigset_t (0 and 4 too) and fails with EINVAL above it, the
 * others want exactly 8. A size of -1 (a size_t, so the largest) crashed linux4j's
 * rt_sigpending (found by calling it with random arguments). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-56s -> %s\n", #call, errname(errno)); else printf("%-56s -> %ld\n", #call, r_); } while (0)

static unsigned char buf[16];

static void show(void) {
    printf("  bytes:");
    for (int i = 0; i < 10; i++) printf(" %02x", buf[i]);
    printf("\n");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    raise(SIGTERM);
    raise(SIGRTMIN + 2);
    long sizes[] = {0, 1, 4, 7, 8, 9, 16, -1, -8};
    for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        memset(buf, 0xaa, sizeof buf);
        printf("rt_sigpending size %ld\n", sizes[i]);
        T(syscall(SYS_rt_sigpending, buf, sizes[i]));
        show();
    }
    T(syscall(SYS_rt_sigpending, NULL, 8));
    T(syscall(SYS_rt_sigpending, NULL, 0));
    T(syscall(SYS_rt_sigpending, NULL, -1));
    T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, buf, 4));
    T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, buf, -1));
    T(syscall(SYS_rt_sigaction, SIGUSR2, NULL, buf, -1));
    T(syscall(SYS_rt_sigsuspend, buf, -1));
    struct timespec zero = {0, 0};
    T(syscall(SYS_rt_sigtimedwait, &block, NULL, &zero, -1));
    T(syscall(SYS_signalfd4, -1, &block, -1, 0));
    T(syscall(SYS_signalfd4, -1, &block, 4, 0));
    T(syscall(SYS_rt_sigtimedwait, &block, NULL, &zero, 8));
    return 0;
}
