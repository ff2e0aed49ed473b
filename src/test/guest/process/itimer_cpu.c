/*
 * ITIMER_VIRTUAL and ITIMER_PROF (kernel/time/itimer.c, posix-cpu-timers.c): they count the
 * process's CPU time, fire SIGVTALRM / SIGPROF with si_code SI_KERNEL, re-arm with their
 * interval, and are not inherited by fork but kept across execve. Loops stop on the signal or
 * on CPU time consumed; only relations that hold however fast the machine is are printed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL
#define TICK_SLACK_US 10000 /* a tick at HZ=100 or more */

static volatile unsigned long sink;
static volatile sig_atomic_t vtalrm, prof, alrm;
static volatile int last_code, last_signo;

static void on_signal(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    last_code = si->si_code;
    last_signo = si->si_signo;
    if (sig == SIGVTALRM) {
        vtalrm++;
    } else if (sig == SIGPROF) {
        prof++;
    } else if (sig == SIGALRM) {
        alrm++;
    }
}

static long long clock_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void spin_a_bit(void) {
    for (int i = 0; i < 20000; i++) {
        sink += (unsigned long)i * i;
    }
}

static void burn(long long ns) {
    long long start = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    while (clock_ns(CLOCK_PROCESS_CPUTIME_ID) - start < ns) {
        spin_a_bit();
    }
}

static long long tv_us(struct timeval tv) {
    return tv.tv_sec * 1000000LL + tv.tv_usec;
}

static const char *yes(int b) {
    return b ? "yes" : "no";
}

static void set(int which, long value_us, long interval_us, struct itimerval *old) {
    struct itimerval v = {{interval_us / 1000000, interval_us % 1000000}, {value_us / 1000000, value_us % 1000000}};
    if (setitimer(which, &v, old) != 0) {
        printf("setitimer(%d) failed: %s\n", which, strerror(errno));
    }
}

static volatile int worker_stop;
static void *worker(void *arg) {
    (void)arg;
    while (!worker_stop) {
        spin_a_bit();
    }
    return NULL;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct itimerval cur, old;
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        getitimer(ITIMER_VIRTUAL, &cur);
        printf("after execve ITIMER_VIRTUAL still armed: %s\n", yes(tv_us(cur.it_value) > 0));
        printf("after execve interval: %ld.%06ld\n", (long)cur.it_interval.tv_sec, (long)cur.it_interval.tv_usec);
        set(ITIMER_VIRTUAL, 0, 0, NULL);
        return 0;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGVTALRM, &sa, NULL);
    sigaction(SIGPROF, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);

    /* Disarmed at start; bad "which". */
    getitimer(ITIMER_VIRTUAL, &cur);
    printf("ITIMER_VIRTUAL disarmed at start: %s\n", yes(tv_us(cur.it_value) == 0 && tv_us(cur.it_interval) == 0));
    getitimer(ITIMER_PROF, &cur);
    printf("ITIMER_PROF disarmed at start: %s\n", yes(tv_us(cur.it_value) == 0 && tv_us(cur.it_interval) == 0));
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    int rc = setitimer(ITIMER_VIRTUAL, &bad, NULL);
    printf("tv_usec 1000000: %d %s\n", rc, strerror(errno));

    /* getitimer right after setitimer: the value, plus at most a tick (Linux adds one). */
    set(ITIMER_VIRTUAL, 1000000, 250000, NULL);
    getitimer(ITIMER_VIRTUAL, &cur);
    printf("getitimer remaining <= set value + 1 tick: %s\n", yes(tv_us(cur.it_value) <= 1000000 + TICK_SLACK_US));
    printf("getitimer remaining > 0.9 s: %s\n", yes(tv_us(cur.it_value) > 900000));
    printf("interval: %ld.%06ld\n", (long)cur.it_interval.tv_sec, (long)cur.it_interval.tv_usec);
    burn(100 * MS);
    getitimer(ITIMER_VIRTUAL, &cur);
    printf("remaining shrinks with CPU use: %s\n", yes(tv_us(cur.it_value) < 1000000 - 50000));
    set(ITIMER_VIRTUAL, 0, 0, &old);
    printf("setitimer returns the old value: %s\n",
           yes(tv_us(old.it_value) > 0 && tv_us(old.it_value) <= tv_us(cur.it_value)));
    printf("old interval: %ld.%06ld\n", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
    getitimer(ITIMER_VIRTUAL, &cur);
    printf("disarmed: %s\n", yes(tv_us(cur.it_value) == 0 && tv_us(cur.it_interval) == 0));
    printf("no SIGVTALRM so far: %s\n", yes(vtalrm == 0));

    /* SIGVTALRM three times with an interval, then disarm. */
    set(ITIMER_VIRTUAL, 20000, 20000, NULL);
    while (vtalrm < 3) {
        spin_a_bit();
    }
    set(ITIMER_VIRTUAL, 0, 0, NULL);
    printf("SIGVTALRM delivered 3 times with interval: %s\n", yes(vtalrm >= 3));
    printf("signo SIGVTALRM, si_code SI_KERNEL: %s\n", yes(last_signo == SIGVTALRM && last_code == SI_KERNEL));

    /* A one-shot ITIMER_PROF: fires while spinning, not while sleeping. */
    set(ITIMER_PROF, 50000, 0, NULL);
    struct timespec nap = {0, 300 * MS};
    while (nanosleep(&nap, &nap) != 0 && errno == EINTR) {
    }
    printf("no SIGPROF while sleeping in nanosleep: %s\n", yes(prof == 0));
    getitimer(ITIMER_PROF, &cur);
    printf("ITIMER_PROF still armed after the sleep: %s\n", yes(tv_us(cur.it_value) > 0));
    while (prof == 0) {
        spin_a_bit();
    }
    printf("SIGPROF fires while spinning: %s\n", yes(prof == 1));
    printf("signo SIGPROF, si_code SI_KERNEL: %s\n", yes(last_signo == SIGPROF && last_code == SI_KERNEL));
    getitimer(ITIMER_PROF, &cur);
    printf("one-shot ITIMER_PROF disarmed after firing: %s\n", yes(tv_us(cur.it_value) == 0));
    burn(60 * MS);
    printf("one-shot fired once: %s\n", yes(prof == 1));

    /* ITIMER_PROF counts every thread's CPU time: main sleeps, a worker spins. */
    prof = 0;
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGPROF);
    pthread_sigmask(SIG_BLOCK, &block, &saved);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    set(ITIMER_PROF, 30000, 0, NULL);
    while (prof == 0) {
        struct timespec short_nap = {0, 5 * MS};
        nanosleep(&short_nap, NULL);
    }
    worker_stop = 1;
    pthread_join(t, NULL);
    printf("ITIMER_PROF counts another thread's time: %s\n", yes(prof == 1));

    /* ITIMER_REAL and alarm(2) are a separate timer. */
    set(ITIMER_VIRTUAL, 5000000, 0, NULL);
    alarm(100);
    getitimer(ITIMER_REAL, &cur);
    printf("ITIMER_REAL independent: %s\n", yes(tv_us(cur.it_value) > 90000000));
    printf("alarm(0) returns the old alarm: %u\n", alarm(0));
    getitimer(ITIMER_VIRTUAL, &cur);
    printf("ITIMER_VIRTUAL untouched by alarm: %s\n", yes(tv_us(cur.it_value) > 4000000));

    /* fork: the child inherits no interval timer; execve keeps them. */
    pid_t p = fork();
    if (p == 0) {
        getitimer(ITIMER_VIRTUAL, &cur);
        printf("child inherits no ITIMER_VIRTUAL: %s\n", yes(tv_us(cur.it_value) == 0));
        set(ITIMER_VIRTUAL, 5000000, 500000, NULL);
        char *args[] = {argv[0], "exec", NULL};
        execv("/proc/self/exe", args);
        printf("execv: %s\n", strerror(errno));
        _exit(1);
    }
    int st;
    waitpid(p, &st, 0);
    printf("child exited: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    set(ITIMER_VIRTUAL, 0, 0, NULL);
    printf("SIGALRM never: %s\n", yes(alrm == 0));
    return 0;
}
