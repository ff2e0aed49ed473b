/* Scheduling attributes as a program sees them: sched_setscheduler/getscheduler/getparam with
 * every policy, SCHED_RESET_ON_FORK and what a forked child inherits, sched_setattr and
 * sched_getattr (sizes, E2BIG, flags, nice), sched_rr_get_interval per policy, the limits of an
 * unprivileged caller; the pids sched_getaffinity, sched_setaffinity and get_robust_list
 * take; ioprio_set/ioprio_get; personality(2) with PER_LINUX32 and UNAME26 as
 * uname reports them, across fork and execve. Raw syscalls: musl and glibc wrap these
 * differently (musl's sched_setscheduler is ENOSYS). Run as root, as the tests run. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define SCHED_RESET_ON_FORK 0x40000000
#define SCHED_FLAG_RESET_ON_FORK 0x01
#define SCHED_FLAG_KEEP_POLICY 0x08
#define SCHED_FLAG_KEEP_PARAMS 0x10
#define SCHED_FLAG_UTIL_CLAMP_MIN 0x20

struct attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t prio;
    uint64_t runtime, deadline, period;
    uint32_t umin, umax;
    char tail[16];
};

static const char *err(long r) { return r < 0 ? strerror(errno) : "ok"; }

static long setsched(int pid, int policy, int prio) {
    return syscall(SYS_sched_setscheduler, pid, policy, &prio);
}

static int getprio(int pid) {
    int p = -1;
    syscall(SYS_sched_getparam, pid, &p);
    return p;
}

static void show(const char *what) {
    long pol = syscall(SYS_sched_getscheduler, 0);
    int prio = getprio(0);
    struct attr a;
    memset(&a, 0xee, sizeof a);
    long r = syscall(SYS_sched_getattr, 0, &a, 56, 0);
    printf("%s: policy %#lx prio %d | getattr %s size %u policy %u flags %llu nice %d prio %u deadline %llu period %llu\n",
           what, pol, prio, err(r), a.size, a.policy, (unsigned long long) a.flags, a.nice, a.prio,
           (unsigned long long) a.deadline, (unsigned long long) a.period);
}

/* /proc/self/stat's priority (18), nice (19), rt_priority (40) and policy (41). */
static void stat_fields(const char *what) {
    char buf[2048];
    FILE *f = fopen("/proc/self/stat", "r");
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')') + 2;
    int field = 3;
    long v[64] = {0};
    for (char *tok = strtok(p, " "); tok && field < 64; tok = strtok(NULL, " "), field++) {
        v[field] = strtol(tok, NULL, 10);
    }
    printf("%s: stat priority %ld nice %ld rt_priority %ld policy %ld\n", what, v[18], v[19], v[40], v[41]);
}

static void rr(const char *what) {
    struct timespec ts = {-1, -1};
    long r = syscall(SYS_sched_rr_get_interval, 0, &ts);
    printf("rr_get_interval %s: %s %lld.%09ld\n", what, err(r), (long long) ts.tv_sec, ts.tv_nsec);
}

static long setattr(struct attr *a) {
    return syscall(SYS_sched_setattr, 0, a, 0);
}

static void sched_tests(void) {
    show("start");
    rr("other");
    printf("fifo 10: %s\n", err(setsched(0, SCHED_FIFO, 10)));
    show("fifo");
    stat_fields("fifo");
    rr("fifo");
    printf("rr 20: %s\n", err(setsched(0, SCHED_RR, 20)));
    show("rr");
    rr("rr");
    printf("setparam 30: %s\n", err(syscall(SYS_sched_setparam, 0, &(int){30})));
    show("rr 30");
    printf("rr 0: %s\n", err(setsched(0, SCHED_RR, 0)));
    printf("rr 100: %s\n", err(setsched(0, SCHED_RR, 100)));
    printf("other 5: %s\n", err(setsched(0, SCHED_OTHER, 5)));
    printf("policy 4: %s\n", err(setsched(0, 4, 0)));
    printf("policy -1: %s\n", err(setsched(0, -1, 0)));
    printf("deadline: %s\n", err(setsched(0, SCHED_DEADLINE, 0)));
    printf("batch: %s\n", err(setsched(0, SCHED_BATCH, 0)));
    show("batch");
    stat_fields("batch");
    printf("idle: %s\n", err(setsched(0, SCHED_IDLE, 0)));
    show("idle");
    printf("other|reset: %s\n", err(setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0)));
    show("other|reset");
    printf("fifo 7|reset: %s\n", err(setsched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 7)));
    show("fifo|reset");
    pid_t pid = fork();
    if (pid == 0) {
        show("child of fifo|reset");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("fifo 8 (reset cleared): %s\n", err(setsched(0, SCHED_FIFO, 8)));
    pid = fork();
    if (pid == 0) {
        show("child of fifo");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("no such pid: %s\n", err(setsched(99999, SCHED_OTHER, 0)));
    printf("getscheduler -1: %s\n", err(syscall(SYS_sched_getscheduler, -1)));
    printf("getparam NULL: %s\n", err(syscall(SYS_sched_getparam, 0, NULL)));

    /* the affinity calls and get_robust_list look a negative pid up (ESRCH) where the calls
     * above reject it (EINVAL); a size too small is EINVAL before the pid is looked at. Only a
     * size of 8 is shown returned: a larger one returns the host kernel's cpumask size. */
    unsigned long cpus[4];
    printf("getaffinity 0, 8: %ld\n", syscall(SYS_sched_getaffinity, 0, 8, cpus));
    printf("getaffinity -1, 8: %s\n", err(syscall(SYS_sched_getaffinity, -1, 8, cpus)));
    printf("getaffinity -1, 32: %s\n", err(syscall(SYS_sched_getaffinity, -1, 32, cpus)));
    printf("getaffinity -1, 4: %s\n", err(syscall(SYS_sched_getaffinity, -1, 4, cpus)));
    printf("getaffinity 99999, 8: %s\n", err(syscall(SYS_sched_getaffinity, 99999, 8, cpus)));
    printf("setaffinity -1: %s\n", err(syscall(SYS_sched_setaffinity, -1, 8, cpus)));
    void *head;
    size_t len;
    printf("get_robust_list -1: %s\n", err(syscall(SYS_get_robust_list, -1, &head, &len)));

    /* sched_setattr */
    struct attr a;
    long r;
    memset(&a, 0, sizeof a);
    a.size = 48;
    a.policy = SCHED_OTHER;
    a.nice = 3;
    printf("setattr other nice 3: %s\n", err(setattr(&a)));
    show("attr nice 3");
    stat_fields("attr nice 3");
    a.nice = 50;
    printf("setattr nice 50 (clamped): %s\n", err(setattr(&a)));
    show("attr nice 50");
    a.nice = 0;
    a.size = 0;
    printf("setattr size 0: %s\n", err(setattr(&a)));
    a.size = 40;
    r = setattr(&a);
    printf("setattr size 40: %s size now %u\n", err(r), a.size);
    a.size = 72;
    a.tail[0] = 1;
    r = setattr(&a);
    printf("setattr size 72 nonzero tail: %s size now %u\n", err(r), a.size);
    memset(a.tail, 0, sizeof a.tail);
    a.size = 72;
    printf("setattr size 72 zero tail: %s\n", err(setattr(&a)));
    a.size = 56;
    a.flags = 0x100;
    printf("setattr bad flag: %s\n", err(setattr(&a)));
    a.flags = SCHED_FLAG_UTIL_CLAMP_MIN;
    a.size = 48;
    printf("setattr clamp v0: %s\n", err(setattr(&a)));
    a.flags = 0;
    a.size = 56;
    a.policy = SCHED_RR;
    a.prio = 42;
    printf("setattr rr 42: %s\n", err(setattr(&a)));
    show("attr rr 42");
    a.flags = SCHED_FLAG_KEEP_POLICY;
    a.prio = 43;
    printf("setattr keep policy 43: %s\n", err(setattr(&a)));
    show("keep policy");
    a.flags = SCHED_FLAG_KEEP_PARAMS;
    a.policy = SCHED_FIFO;
    a.prio = 1;
    printf("setattr fifo keep params: %s\n", err(setattr(&a)));
    show("keep params");
    memset(&a, 0, sizeof a);
    a.size = 56;
    a.policy = SCHED_DEADLINE;
    printf("setattr deadline zero: %s\n", err(setattr(&a)));
    a.policy = SCHED_OTHER;
    printf("setattr flags arg: %s\n", err(syscall(SYS_sched_setattr, 0, &a, 1)));
    printf("setattr NULL: %s\n", err(syscall(SYS_sched_setattr, 0, NULL, 0)));
    printf("setattr back to other: %s\n", err(setattr(&a)));
    show("back");
    struct attr g;
    memset(&g, 0xee, sizeof g);
    printf("getattr size 47: %s\n", err(syscall(SYS_sched_getattr, 0, &g, 47, 0)));
    printf("getattr flags 1: %s\n", err(syscall(SYS_sched_getattr, 0, &g, 56, 1)));
    r = syscall(SYS_sched_getattr, 0, &g, 48, 0);
    printf("getattr size 48: %s size %u umin %#x\n", err(r), g.size, g.umin);
    memset(&g, 0xee, sizeof g);
    r = syscall(SYS_sched_getattr, 0, &g, 72, 0);
    printf("getattr size 72: %s size %u umin %u umax %u tail %#x\n", err(r), g.size, g.umin, g.umax,
           (unsigned char) g.tail[0]);
    printf("prio max/min fifo %ld %ld other %ld %ld bad %s\n", syscall(SYS_sched_get_priority_max, SCHED_FIFO),
           syscall(SYS_sched_get_priority_min, SCHED_FIFO), syscall(SYS_sched_get_priority_max, SCHED_OTHER),
           syscall(SYS_sched_get_priority_min, SCHED_OTHER), err(syscall(SYS_sched_get_priority_max, 9)));

    /* an unprivileged caller */
    pid = fork();
    if (pid == 0) {
        if (setuid(65534) != 0) {
            printf("setuid: %s\n", strerror(errno));
            _exit(1);
        }
        printf("unpriv fifo: %s\n", err(setsched(0, SCHED_FIFO, 1)));
        printf("unpriv batch: %s\n", err(setsched(0, SCHED_BATCH, 0)));
        printf("unpriv other|reset: %s\n", err(setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0)));
        printf("unpriv clear reset: %s\n", err(setsched(0, SCHED_OTHER, 0)));
        memset(&a, 0, sizeof a);
        a.size = 56;
        a.flags = SCHED_FLAG_RESET_ON_FORK;
        a.nice = -5;
        printf("unpriv nice -5: %s\n", err(setattr(&a)));
        a.nice = 7;
        printf("unpriv nice 7: %s\n", err(setattr(&a)));
        show("unpriv");
        printf("unpriv on pid 1: %s\n", err(setsched(1, SCHED_OTHER, 0)));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_PRIO_VALUE(c, d) (((c) << IOPRIO_CLASS_SHIFT) | (d))
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3

static long ioget(int which, int who) { return syscall(SYS_ioprio_get, which, who); }
static long ioset(int which, int who, int prio) { return syscall(SYS_ioprio_set, which, who, prio); }

static void ioprio_tests(void) {
    long r = ioget(IOPRIO_WHO_PROCESS, 0);
    printf("ioprio start: %ld %s\n", r, err(r));
    printf("set be 4: %s\n", err(ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(2, 4))));
    printf("get: %#lx\n", ioget(IOPRIO_WHO_PROCESS, 0));
    printf("get by pid: %#lx\n", ioget(IOPRIO_WHO_PROCESS, getpid()));
    r = ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(3, 0));
    printf("set idle: %s get %#lx\n", err(r), ioget(IOPRIO_WHO_PROCESS, 0));
    r = ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(1, 0));
    printf("set rt 0: %s get %#lx\n", err(r), ioget(IOPRIO_WHO_PROCESS, 0));
    printf("set none 1: %s\n", err(ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(0, 1))));
    printf("set class 5: %s\n", err(ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(5, 0))));
    printf("set class 7: %s\n", err(ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(7, 0))));
    printf("bad which: %s / %s\n", err(ioget(0, 0)), err(ioset(4, 0, 0)));
    printf("no such pid: %s / %s\n", err(ioget(IOPRIO_WHO_PROCESS, 99999)),
           err(ioset(IOPRIO_WHO_PROCESS, 99999, IOPRIO_PRIO_VALUE(2, 0))));
    printf("set be 6: %s\n", err(ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(2, 6))));
    pid_t pid = fork();
    if (pid == 0) {
        printf("child inherits: %#lx\n", ioget(IOPRIO_WHO_PROCESS, 0));
        setpgid(0, 0);
        printf("child pgrp (own group): %#lx\n", ioget(IOPRIO_WHO_PGRP, 0));
        printf("child pgrp by id: %#lx\n", ioget(IOPRIO_WHO_PGRP, getpid()));
        printf("set pgrp be 2: %s\n", err(ioset(IOPRIO_WHO_PGRP, 0, IOPRIO_PRIO_VALUE(2, 2))));
        printf("child after pgrp set: %#lx\n", ioget(IOPRIO_WHO_PROCESS, 0));
        if (setuid(65534) == 0) {
            printf("unpriv rt: %s\n", err(ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(1, 0))));
            long u = ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(2, 7));
            printf("unpriv be 7: %s get %#lx\n", err(u), ioget(IOPRIO_WHO_PROCESS, 0));
            printf("unpriv on parent: %s\n", err(ioset(IOPRIO_WHO_PROCESS, getppid(), IOPRIO_PRIO_VALUE(2, 7))));
        }
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("parent after child: %#lx\n", ioget(IOPRIO_WHO_PROCESS, 0));
    r = ioset(IOPRIO_WHO_PROCESS, 0, 0);
    printf("set none 0: %s get %#lx\n", err(r), ioget(IOPRIO_WHO_PROCESS, 0));
}

#define PER_LINUX32 0x0008
#define UNAME26 0x0020000
#define ADDR_NO_RANDOMIZE 0x0040000
#define READ_IMPLIES_EXEC 0x0400000

static long persona(unsigned long p) { return syscall(SYS_personality, p); }

static void print_uname(const char *what, const char *base_release) {
    struct utsname u;
    uname(&u);
    int same = strcmp(u.release, base_release) == 0;
    int major = 0, minor = 0;
    sscanf(base_release, "%d.%d", &major, &minor);
    char want26[80];
    const char *rest = base_release;
    int dots = 0;
    while (*rest) {
        if (*rest == '.' && ++dots >= 3) break;
        if ((*rest < '0' || *rest > '9') && *rest != '.') break;
        rest++;
    }
    snprintf(want26, sizeof want26, "2.6.%d%s", minor + 60, rest);
    printf("%s: machine %s, release %s\n", what, u.machine,
           same ? "unchanged" : strcmp(u.release, want26) == 0 ? "2.6.(60+minor)" : u.release);
}

static void personality_tests(const char *self) {
    struct utsname u;
    uname(&u);
    char base[65];
    strcpy(base, u.release);
    printf("personality: %#lx\n", persona(0xffffffff));
    print_uname("linux", base);
    printf("set linux32: old %#lx\n", persona(PER_LINUX32));
    printf("query: %#lx\n", persona(0xffffffff));
    print_uname("linux32", base);
    printf("set uname26|addr_no_randomize|read_implies_exec: old %#lx\n",
           persona(UNAME26 | ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC));
    print_uname("uname26", base);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: %#lx\n", persona(0xffffffff));
        char arg[32];
        snprintf(arg, sizeof arg, "%s", base);
        execl(self, self, "--after-exec", arg, (char *) NULL);
        _exit(99);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("exec child exited %d\n", WEXITSTATUS(st));
    printf("set odd value: old %#lx\n", persona(0x1234));
    printf("query: %#lx\n", persona(0xffffffff));
    printf("back to linux: old %#lx\n", persona(0));
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 3 && strcmp(argv[1], "--after-exec") == 0) {
        printf("after exec: %#lx\n", persona(0xffffffff));
        print_uname("after exec", argv[2]);
        return 7;
    }
    sched_tests();
    ioprio_tests();
    personality_tests(argv[0]);
    return 0;
}
