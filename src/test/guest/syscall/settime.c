/* clock_settime(2) and settimeofday(2) as raw calls: the checks Linux makes before the
 * permission check (a clock without a setter, EFAULT, an invalid or too late time, a CPU clock
 * naming nothing) and, in a child that gives up root, EPERM. Nothing here may succeed: the
 * native run is root, and a call that passed its checks would set the host's clock. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld (!)\n", #call, r_); } while (0)

/* ~pid << 3 | which: a process CPU clock (clock_getcpuclockid's encoding) */
#define CPU_CLOCK(pid, which) ((clockid_t)((~(pid) << 3) | (which)))

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct timespec bad_nsec = {now.tv_sec, 1000000000};
    struct timespec negative = {-1, 0};
    struct timespec too_late = {9223372036L - 30L * 365 * 86400, 0};
    struct timespec last_ok = {9223372036L - 30L * 365 * 86400 - 1, 0};
    struct timeval tv_bad_usec = {now.tv_sec, 1000001};
    struct timeval tv_negative = {-1, 0};
    struct timeval tv_usec_second = {-5, 1000000};

    /* clocks without a setter, whatever the time */
    T(syscall(SYS_clock_settime, CLOCK_MONOTONIC, &now));
    T(syscall(SYS_clock_settime, CLOCK_MONOTONIC, NULL));
    T(syscall(SYS_clock_settime, CLOCK_REALTIME_COARSE, &now));
    T(syscall(SYS_clock_settime, CLOCK_BOOTTIME, &now));
    T(syscall(SYS_clock_settime, CLOCK_TAI, &now));
    T(syscall(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, &now));
    T(syscall(SYS_clock_settime, CLOCK_THREAD_CPUTIME_ID, &now));
    T(syscall(SYS_clock_settime, 99, &now));
    /* CLOCK_REALTIME: the time is read and checked first */
    T(syscall(SYS_clock_settime, CLOCK_REALTIME, NULL));
    T(syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)8));
    T(syscall(SYS_clock_settime, CLOCK_REALTIME, &bad_nsec));
    T(syscall(SYS_clock_settime, CLOCK_REALTIME, &negative));
    T(syscall(SYS_clock_settime, CLOCK_REALTIME, &too_late));
    /* CPU clocks: EFAULT, then the clock must name something */
    T(syscall(SYS_clock_settime, CPU_CLOCK(999999, 2), NULL));
    T(syscall(SYS_clock_settime, CPU_CLOCK(999999, 2), &now));
    T(syscall(SYS_clock_settime, CPU_CLOCK(0, 3), &now));
    /* settimeofday: tv_usec, EFAULT for either pointer, the time */
    T(syscall(SYS_settimeofday, &tv_bad_usec, NULL));
    T(syscall(SYS_settimeofday, &tv_negative, NULL));
    T(syscall(SYS_settimeofday, &tv_usec_second, NULL));
    T(syscall(SYS_settimeofday, (void *)8, NULL));
    T(syscall(SYS_settimeofday, &tv_negative, (void *)8));

    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(65534) < 0) return 1;
        struct timeval tv = {now.tv_sec, 0};
        struct timezone tz = {0, 0};
        T(syscall(SYS_clock_settime, CLOCK_REALTIME, &now));
        T(syscall(SYS_clock_settime, CLOCK_REALTIME, &last_ok));
        T(syscall(SYS_clock_settime, CLOCK_REALTIME, &too_late));
        T(syscall(SYS_clock_settime, CPU_CLOCK(0, 2), &now));
        T(syscall(SYS_clock_settime, CPU_CLOCK(getpid(), 0), &now));
        T(syscall(SYS_clock_settime, CPU_CLOCK(999999, 2), &now));
        T(syscall(SYS_settimeofday, &tv, NULL));
        T(syscall(SYS_settimeofday, NULL, &tz));
        T(syscall(SYS_settimeofday, NULL, NULL));
        T(syscall(SYS_settimeofday, &tv_bad_usec, NULL));
        T(settimeofday(&tv, NULL));
        T(clock_settime(CLOCK_REALTIME, &now));
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}
