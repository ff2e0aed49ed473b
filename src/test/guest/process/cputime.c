/*
 * CPU-time accounting per process (kernel/sys.c getrusage and times, kernel/exit.c
 * wait_task_zombie, posix-cpu-timers clocks, /proc/PID/stat): prints only relations that hold
 * on Linux however fast the machine is. Loops stop on CPU time consumed, never on a count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL

static volatile unsigned long sink;

static long long clock_ns(clockid_t c) {
    struct timespec ts;
    if (clock_gettime(c, &ts) != 0) {
        return -1;
    }
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long tv_ns(struct timeval tv) {
    return tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
}

static long long ru_ns(const struct rusage *ru) {
    return tv_ns(ru->ru_utime) + tv_ns(ru->ru_stime);
}

/* Spins until the given CPU clock has advanced by at least ns. */
static void burn(clockid_t c, long long ns) {
    long long start = clock_ns(c);
    while (clock_ns(c) - start < ns) {
        for (int i = 0; i < 20000; i++) {
            sink += (unsigned long)i * i;
        }
    }
}

static const char *yes(int b) {
    return b ? "yes" : "no";
}

/* utime, stime, cutime, cstime (fields 14-17) of a /proc stat file; -1 on failure. */
static int proc_times(const char *path, long long t[4]) {
    char buf[1024];
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (p == NULL) {
        return -1;
    }
    /* after ")": state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime... */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld %lld %lld", &t[0], &t[1], &t[2],
               &t[3]) != 4) {
        return -1;
    }
    return 0;
}

static void *thread_burn(void *arg) {
    burn(CLOCK_THREAD_CPUTIME_ID, 100 * MS);
    *(long long *)arg = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    return NULL;
}

static volatile int spinning;
static void *thread_spin(void *arg) {
    (void)arg;
    while (spinning) {
        sink++;
    }
    return NULL;
}

/* A child that burns CPU, optionally reaps a grandchild that burns too, and reports to fd. */
static void child_work(int fd, int grandchild, int touch_mb) {
    if (grandchild) {
        pid_t g = fork();
        if (g == 0) {
            burn(CLOCK_PROCESS_CPUTIME_ID, 60 * MS);
            _exit(0);
        }
        waitpid(g, NULL, 0);
    }
    if (touch_mb > 0) {
        char *m = malloc((size_t)touch_mb << 20);
        for (size_t i = 0; i < ((size_t)touch_mb << 20); i += 4096) {
            m[i] = 1;
        }
        sink += (unsigned long)m[4096];
    }
    burn(CLOCK_PROCESS_CPUTIME_ID, 60 * MS);
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    long long report[2] = {ru_ns(&self), ru_ns(&kids)};
    if (write(fd, report, sizeof report) != sizeof report) {
        _exit(1);
    }
    _exit(0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct rusage ru;
    struct tms tms;

    /* Nothing reaped yet. */
    getrusage(RUSAGE_CHILDREN, &ru);
    printf("RUSAGE_CHILDREN before any wait is 0: %s\n",
           yes(ru_ns(&ru) == 0 && ru.ru_maxrss == 0));
    times(&tms);
    printf("tms_cutime and tms_cstime before any wait are 0: %s\n", yes(tms.tms_cutime == 0 && tms.tms_cstime == 0));
    int rc = getrusage(7, &ru);
    printf("getrusage(bad who): %d %s\n", rc, strerror(errno));

    /* The process's own time. */
    burn(CLOCK_PROCESS_CPUTIME_ID, 200 * MS);
    getrusage(RUSAGE_SELF, &ru);
    long long after = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    printf("utime > 0: %s\n", yes(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0));
    printf("utime >= stime after spinning: %s\n", yes(tv_ns(ru.ru_utime) >= tv_ns(ru.ru_stime)));
    printf("utime + stime >= 150 ms: %s\n", yes(ru_ns(&ru) >= 150 * MS));
    printf("utime + stime <= process clock read after: %s\n", yes(ru_ns(&ru) <= after));
    printf("maxrss > 0: %s\n", yes(ru.ru_maxrss > 0));
    clock_t ret = times(&tms);
    printf("times returns non-zero: %s\n", yes(ret != 0 && ret != (clock_t)-1));
    printf("tms_utime + tms_stime >= 15 ticks: %s\n", yes(tms.tms_utime + tms.tms_stime >= 15));
    printf("times(NULL) works: %s\n", yes(times(NULL) != (clock_t)-1));
    struct rusage th;
    getrusage(RUSAGE_THREAD, &th);
    getrusage(RUSAGE_SELF, &ru);
    printf("RUSAGE_THREAD <= RUSAGE_SELF: %s\n", yes(ru_ns(&th) <= ru_ns(&ru)));
    long long tclock = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    long long pclock = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    printf("thread clock <= process clock: %s\n", yes(tclock > 0 && tclock <= pclock));

    /* Clock resolutions and dynamic CPU clocks. */
    struct timespec res;
    clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res);
    printf("CLOCK_PROCESS_CPUTIME_ID res: %ld.%09ld\n", (long)res.tv_sec, res.tv_nsec);
    clock_getres(CLOCK_THREAD_CPUTIME_ID, &res);
    printf("CLOCK_THREAD_CPUTIME_ID res: %ld.%09ld\n", (long)res.tv_sec, res.tv_nsec);
    clockid_t cid;
    printf("clock_getcpuclockid(self): %d\n", clock_getcpuclockid(getpid(), &cid));
    long long dyn = clock_ns(cid);
    printf("dynamic process clock >= earlier reading: %s\n", yes(dyn >= pclock));
    clockid_t self_sched = (clockid_t)((~0u << 3) | 2);
    printf("pid-0 SCHED clock works: %s\n", yes(clock_ns(self_sched) >= pclock));
    clockid_t prof = (clockid_t)((~0u << 3) | 0);
    printf("pid-0 PROF clock res: %d\n", clock_getres(prof, &res));
    struct timespec ts;
    rc = clock_gettime((clockid_t)-1, &ts);
    printf("clock -1: %d %s\n", rc, strerror(errno));
    clockid_t bogus = (clockid_t)((~(unsigned)(4194304 + 4242) << 3) | 2);
    rc = clock_gettime(bogus, &ts);
    printf("clock of no process: %d %s\n", rc, strerror(errno));

    /* Threads: an exited thread's time stays with the process. */
    long long thread_final = 0;
    long long before_threads = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    pthread_t t;
    pthread_create(&t, NULL, thread_burn, &thread_final);
    pthread_join(t, NULL);
    long long after_threads = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    printf("exited thread's time stays with the process: %s\n",
           yes(thread_final >= 100 * MS && after_threads - before_threads >= thread_final));
    getrusage(RUSAGE_THREAD, &th);
    getrusage(RUSAGE_SELF, &ru);
    printf("RUSAGE_THREAD < RUSAGE_SELF after a thread burned: %s\n", yes(ru_ns(&th) + 50 * MS < ru_ns(&ru)));
    spinning = 1;
    pthread_create(&t, NULL, thread_spin, NULL);
    clockid_t tcid;
    printf("pthread_getcpuclockid: %d\n", pthread_getcpuclockid(t, &tcid));
    long long other = clock_ns(tcid);
    printf("another thread's clock is readable: %s\n", yes(other >= 0));
    spinning = 0;
    pthread_join(t, NULL);

    /* /proc/self/stat and /proc/self/task/TID/stat, in clock ticks. */
    long long ps[4], ts4[4];
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", (long)syscall(SYS_gettid));
    /* The thread's file first: the process's, read after, covers at least as much. */
    if (proc_times(path, ts4) == 0 && proc_times("/proc/self/stat", ps) == 0) {
        printf("/proc/self/stat utime+stime >= 25 ticks: %s\n", yes(ps[0] + ps[1] >= 25));
        printf("/proc/self/stat cutime and cstime 0: %s\n", yes(ps[2] == 0 && ps[3] == 0));
        printf("task stat utime+stime <= process's: %s\n", yes(ts4[0] + ts4[1] <= ps[0] + ps[1]));
    } else {
        printf("/proc stat unreadable\n");
    }

    /* A child and its reaped grandchild: wait4 reports both, and the parent's cutime grows. */
    int fds[2];
    if (pipe(fds) != 0) {
        return 1;
    }
    long long start_clock = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    pid_t p = fork();
    if (p == 0) {
        long long fresh = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
        if (fresh >= start_clock) {
            _exit(3); /* the child's clock must start afresh */
        }
        close(fds[0]);
        child_work(fds[1], 1, 8);
    }
    close(fds[1]);
    long long report[2] = {0, 0};
    if (read(fds[0], report, sizeof report) != sizeof report) {
        printf("no report from child\n");
    }
    close(fds[0]);
    times(&tms);
    clock_t cut_before = tms.tms_cutime + tms.tms_cstime;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    waitid(P_PID, p, &si, WEXITED | WNOWAIT);
    getrusage(RUSAGE_CHILDREN, &ru);
    printf("WNOWAIT adds nothing to RUSAGE_CHILDREN: %s\n", yes(ru_ns(&ru) == 0));
    int st;
    struct rusage wru;
    memset(&wru, 0x55, sizeof wru);
    pid_t w = wait4(p, &st, 0, &wru);
    printf("wait4: same=%s exited=%d code=%d\n", yes(w == p), WIFEXITED(st), WEXITSTATUS(st));
    printf("child's ru_utime+ru_stime >= its own measurement: %s\n", yes(ru_ns(&wru) >= report[0]));
    printf("child's own measurement >= 59 ms: %s\n", yes(report[0] >= 59 * MS));
    printf("child saw its reaped grandchild: %s\n", yes(report[1] >= 59 * MS));
    printf("wait4 rusage includes the grandchild: %s\n", yes(ru_ns(&wru) >= report[0] + report[1]));
    /* It touched 8 MiB; Linux's RSS counters are per-CPU and read without summing them all,
       so the native figure can fall short by a few hundred KiB on a busy host (seen once). */
    printf("child maxrss >= 7 MiB: %s\n", yes(wru.ru_maxrss >= 7168));
    printf("wait4 rusage other counters sane: %s\n", yes(wru.ru_nswap == 0 && wru.ru_msgsnd == 0));
    getrusage(RUSAGE_CHILDREN, &ru);
    printf("RUSAGE_CHILDREN equals wait4's rusage: %s\n",
           yes(ru_ns(&ru) == ru_ns(&wru) && ru.ru_maxrss == wru.ru_maxrss));
    times(&tms);
    printf("cutime grew after wait: %s\n", yes(tms.tms_cutime + tms.tms_cstime > cut_before));
    if (proc_times("/proc/self/stat", ps) == 0) {
        printf("/proc/self/stat cutime+cstime >= 10 ticks: %s\n", yes(ps[2] + ps[3] >= 10));
    }

    /* A child reaped automatically (SIGCHLD ignored) adds nothing. */
    long long kids_before = ru_ns(&ru);
    signal(SIGCHLD, SIG_IGN);
    p = fork();
    if (p == 0) {
        burn(CLOCK_PROCESS_CPUTIME_ID, 60 * MS);
        _exit(0);
    }
    errno = 0;
    w = wait(&st);
    printf("wait with SIGCHLD ignored: %d %s\n", (int)w, strerror(errno));
    getrusage(RUSAGE_CHILDREN, &ru);
    printf("auto-reaped child adds nothing: %s\n", yes(ru_ns(&ru) == kids_before));
    signal(SIGCHLD, SIG_DFL);

    /* wait4 with WNOHANG and nothing to report leaves the rusage alone. */
    p = fork();
    if (p == 0) {
        pause();
        _exit(0);
    }
    memset(&wru, 0x55, sizeof wru);
    w = wait4(p, &st, WNOHANG, &wru);
    printf("WNOHANG: %d rusage untouched: %s\n", (int)w, yes(wru.ru_maxrss == 0x5555555555555555L));
    kill(p, SIGKILL);
    w = wait4(p, &st, 0, &wru);
    printf("killed child: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
    return 0;
}
