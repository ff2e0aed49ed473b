/* timer_create(2) and friends: a one-shot timer's SIGALRM with si_code SI_TIMER, its id and
 * sigval; the default sigevent (SIGALRM, the id as value); a periodic real-time signal to a
 * chosen thread (SIGEV_THREAD_ID) read with sigwaitinfo; SIGEV_NONE timers counting down;
 * absolute times; timer_gettime, timer_getoverrun and timer_delete; ids counting up;
 * and the errors Linux gives. Signals are only ever waited for, never raced: what is printed
 * does not depend on timing. Raw syscalls, so glibc and musl make the same calls. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-64s -> %s\n", #call, errname(errno)); else printf("%-64s -> %ld\n", #call, r_); } while (0)

struct ksigevent {
    union { int i; void *p; } value;
    int signo;
    int notify;
    int tid;
    int pad[11];
};
struct its { struct timespec interval, value; };

static long tcreate(int clock, struct ksigevent *ev, int *id) { return syscall(SYS_timer_create, clock, ev, id); }
static long tset(int id, int flags, long interval_ns, long value_ns, struct its *old) {
    struct its n = {{interval_ns / 1000000000, interval_ns % 1000000000}, {value_ns / 1000000000, value_ns % 1000000000}};
    return syscall(SYS_timer_settime, id, flags, &n, old);
}

static void wait_for(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    siginfo_t si;
    int got = sigwaitinfo(&s, &si);
    printf("sigwaitinfo -> %d code %d timerid %d overrun %d value %d\n", got, si.si_code, si.si_timerid,
           si.si_overrun, si.si_value.sival_int);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t all;
    sigemptyset(&all);
    sigaddset(&all, SIGALRM);
    sigaddset(&all, SIGRTMIN + 2);
    sigaddset(&all, SIGUSR1);
    sigprocmask(SIG_BLOCK, &all, NULL);

    /* the default sigevent: SIGALRM carrying the timer's id */
    int t0 = -1, t1 = -1, t2 = -1;
    T(tcreate(CLOCK_MONOTONIC, NULL, &t0));
    printf("first id %d\n", t0);
    T(tset(t0, 0, 0, 20000000, NULL));
    wait_for(SIGALRM);
    struct its cur;
    T(syscall(SYS_timer_gettime, t0, &cur));
    printf("one-shot after expiry: %ld.%09ld interval %ld.%09ld\n", (long)cur.value.tv_sec, cur.value.tv_nsec,
           (long)cur.interval.tv_sec, cur.interval.tv_nsec);
    T(syscall(SYS_timer_getoverrun, t0));

    /* SIGUSR1 with a value, armed by an absolute time */
    struct ksigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.notify = SIGEV_SIGNAL;
    ev.signo = SIGUSR1;
    ev.value.i = 4242;
    T(tcreate(CLOCK_REALTIME, &ev, &t1));
    printf("second id %d\n", t1);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long at = (long long)now.tv_sec * 1000000000LL + now.tv_nsec + 15000000LL;
    struct its abs = {{0, 0}, {at / 1000000000LL, at % 1000000000LL}};
    T(syscall(SYS_timer_settime, t1, TIMER_ABSTIME, &abs, NULL));
    wait_for(SIGUSR1);

    /* periodic, to this thread, a real-time signal; disarmed with the old value returned */
    memset(&ev, 0, sizeof ev);
    ev.notify = 4; /* SIGEV_THREAD_ID */
    ev.signo = SIGRTMIN + 2;
    ev.value.i = 7;
    ev.tid = (int)syscall(SYS_gettid);
    T(tcreate(CLOCK_MONOTONIC, &ev, &t2));
    T(tset(t2, 0, 5000000, 5000000, NULL));
    wait_for(SIGRTMIN + 2);
    wait_for(SIGRTMIN + 2);
    struct its old;
    T(tset(t2, 0, 0, 0, &old));
    printf("old interval %ld.%09ld value set %d\n", (long)old.interval.tv_sec, old.interval.tv_nsec,
           old.value.tv_sec > 0 || old.value.tv_nsec > 0);
    T(syscall(SYS_timer_gettime, t2, &cur));
    printf("disarmed: %ld.%09ld\n", (long)cur.value.tv_sec, cur.value.tv_nsec);

    /* SIGEV_NONE counts down and sends nothing */
    int tn = -1;
    memset(&ev, 0, sizeof ev);
    ev.notify = SIGEV_NONE;
    T(tcreate(CLOCK_MONOTONIC, &ev, &tn));
    T(tset(tn, 0, 0, 5000000000L, NULL));
    syscall(SYS_timer_gettime, tn, &cur);
    printf("none: counting down from 5 s: %d\n", cur.value.tv_sec == 4 || (cur.value.tv_sec == 5 && cur.value.tv_nsec == 0));

    /* ids count on past a deleted one */
    T(syscall(SYS_timer_delete, t1));
    T(syscall(SYS_timer_delete, t1));
    int t3 = -1;
    T(tcreate(CLOCK_MONOTONIC, NULL, &t3));
    printf("next id %d\n", t3);

    /* errors */
    int dummy;
    T(tcreate(99, NULL, &dummy));
    T(tcreate(CLOCK_PROCESS_CPUTIME_ID + 100, NULL, &dummy));
    memset(&ev, 0, sizeof ev);
    ev.notify = 77;
    ev.signo = SIGUSR1;
    T(tcreate(CLOCK_MONOTONIC, &ev, &dummy));
    ev.notify = SIGEV_SIGNAL;
    ev.signo = 65;
    T(tcreate(CLOCK_MONOTONIC, &ev, &dummy));
    ev.signo = 0;
    T(tcreate(CLOCK_MONOTONIC, &ev, &dummy));
    ev.notify = 4;
    ev.signo = SIGUSR1;
    ev.tid = 999999;
    T(tcreate(CLOCK_MONOTONIC, &ev, &dummy));
    T(tcreate(CLOCK_MONOTONIC, (void *)8, &dummy));
    T(tset(12345, 0, 0, 1000, NULL));
    T(tset(t0, 0, 0, 1000000000, NULL));
    T(tset(t0, 0, -5, 1000, NULL));
    T(syscall(SYS_timer_settime, t0, 0, (void *)8, NULL));
    T(syscall(SYS_timer_gettime, 12345, &cur));
    T(syscall(SYS_timer_getoverrun, 12345));
    T(syscall(SYS_timer_delete, -1));
    return 0;
}
