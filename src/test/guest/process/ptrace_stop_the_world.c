/* What LeakSanitizer's StopTheWorld does with ptrace: a tracer made by clone(CLONE_VM) without
 * an exit signal attaches to every thread of its parent (read from /proc/PID/task), waits for
 * each to stop with SIGSTOP, reads its registers (general, x87/SSE) and memory while the threads
 * stand still, and
 * detaches them; the parent spins in sched_yield meanwhile, as LeakSanitizer's does. */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../errname.h"

#ifndef __WALL
#define __WALL 0x40000000
#endif

static volatile long counters[3];
#define MAGIC 0x1122334455667788L
static volatile int quit;
static volatile int tracer_done;
static int pipefd[2];
static pid_t parent;
static char report[4096];
static size_t used;

#define SAY(...) (used += snprintf(report + used, sizeof report - used, __VA_ARGS__))

static void *spinner(void *arg) {
    long k = (long) arg;
    while (!quit) {
        counters[k]++;
    }
    return NULL;
}

/* a pointer-sized value only in XMM8, where LeakSanitizer looks with NT_FPREGSET */
static void *xmm_holder(void *arg) {
    (void) arg;
    __asm__ volatile("movq %0, %%xmm8" : : "r"(MAGIC) : "xmm8");
    while (!quit) {
        counters[2]++;
    }
    return NULL;
}

static void *reader(void *arg) {
    (void) arg;
    char c;
    long n = read(pipefd[0], &c, 1); /* blocked until the end */
    return (void *) n;
}

static void pause_ms(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static int tracer(void *arg) {
    (void) arg;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", parent);
    int tids[16], n = 0;
    DIR *d = opendir(path);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 16) {
        if (e->d_name[0] != '.') tids[n++] = atoi(e->d_name);
    }
    closedir(d);
    SAY("threads: %d\n", n);
    int stopped = 0;
    for (int i = 0; i < n; i++) {
        if (ptrace(PTRACE_ATTACH, tids[i], NULL, NULL) != 0) {
            SAY("attach %d: %s\n", i, errname(errno));
            continue;
        }
        for (;;) {
            int status;
            pid_t w = waitpid(tids[i], &status, __WALL);
            if (w < 0) {
                if (errno == EINTR) continue;
                SAY("waitpid: %s\n", errname(errno));
                break;
            }
            if (WIFSTOPPED(status) && WSTOPSIG(status) != SIGSTOP) {
                ptrace(PTRACE_CONT, tids[i], NULL, (void *) (long) WSTOPSIG(status));
                continue;
            }
            if (WIFSTOPPED(status) && w == tids[i]) stopped++;
            break;
        }
    }
    SAY("stopped with SIGSTOP: %d\n", stopped);
    long before[3] = {counters[0], counters[1], counters[2]};
    pause_ms(100);
    SAY("spinners stood still: %s\n",
        before[0] == counters[0] && before[1] == counters[1] && before[2] == counters[2] ? "yes" : "no");
    int good = 0;
    for (int i = 0; i < n; i++) {
        union {
            struct user_regs_struct r;
            unsigned char room[sizeof(struct user_regs_struct) + 64]; /* more than the regset */
        } u;
        memset(&u, 0, sizeof u);
        struct user_regs_struct regs;
        struct iovec io = {&u, sizeof u};
        if (ptrace(PTRACE_GETREGSET, tids[i], (void *) NT_PRSTATUS, &io) != 0) {
            SAY("getregset %d: %s\n", i, errname(errno));
            continue;
        }
        regs = u.r;
        struct user_regs_struct again;
        ptrace(PTRACE_GETREGS, tids[i], NULL, &again);
        errno = 0;
        long word = ptrace(PTRACE_PEEKDATA, tids[i], (void *) regs.rsp, NULL);
        int ok = io.iov_len == sizeof regs && regs.rsp != 0 && regs.rip != 0 && regs.cs == 0x33 && regs.ss == 0x2b
                 && errno == 0 && word == *(long *) regs.rsp && again.rsp == regs.rsp && again.rip == regs.rip
                 && regs.fs_base != 0;
        good += ok;
    }
    SAY("registers read: %d, iov_len %zu\n", good, sizeof(struct user_regs_struct));
    int holders = 0, sse = 0;
    for (int i = 0; i < n; i++) {
        unsigned char fx[512 + 104];
        struct iovec fio = {fx, sizeof fx};
        if (ptrace(PTRACE_GETREGSET, tids[i], (void *) NT_FPREGSET, &fio) != 0) {
            SAY("fpregset %d: %s\n", i, errname(errno));
            continue;
        }
        long xmm8;
        unsigned int mxcsr;
        memcpy(&xmm8, fx + 160 + 8 * 16, 8);
        memcpy(&mxcsr, fx + 24, 4);
        holders += xmm8 == MAGIC;
        unsigned char again[512];
        ptrace(PTRACE_GETFPREGS, tids[i], NULL, again);
        sse += fio.iov_len == 512 && (mxcsr & 0xffc0) == 0x1f80 && memcmp(fx, again, 416) == 0;
    }
    SAY("xmm8 holders: %d, FXSAVE images: %d\n", holders, sse);
    errno = 0;
    long r = ptrace(0x4299, tids[0], NULL, NULL);
    SAY("unknown request: %ld %s\n", r, errname(errno));
    errno = 0;
    r = syscall(SYS_ptrace, 0x100000000L | PTRACE_CONT, tids[0], NULL, NULL);
    SAY("request with bit 32 set: %ld %s\n", r, errname(errno));
    struct iovec io = {report, 8};
    r = ptrace(PTRACE_GETREGSET, tids[0], (void *) 0x12345, &io);
    SAY("unknown regset: %ld %s\n", r, errname(errno));
    struct user_regs_struct odd;
    io.iov_base = &odd;
    io.iov_len = sizeof odd - 4; /* not a multiple of the regset's 8-byte words */
    r = ptrace(PTRACE_GETREGSET, tids[0], (void *) NT_PRSTATUS, &io);
    SAY("regset length not a multiple of 8: %ld %s\n", r, errname(errno));
    for (int i = 0; i < n; i++) {
        if (ptrace(PTRACE_DETACH, tids[i], NULL, NULL) != 0) SAY("detach %d: %s\n", i, errname(errno));
    }
    r = ptrace(PTRACE_GETREGS, tids[0], NULL, &io);
    SAY("after detach: %ld %s\n", r, errname(errno));
    r = ptrace(PTRACE_CONT, tids[0], NULL, NULL);
    SAY("cont untraced: %ld %s\n", r, errname(errno));
    tracer_done = 1;
    return 0;
}

int main(void) {
    parent = getpid();
    pipe(pipefd);
    pthread_t th[4];
    pthread_create(&th[0], NULL, spinner, (void *) 0);
    pthread_create(&th[1], NULL, spinner, (void *) 1);
    pthread_create(&th[2], NULL, reader, NULL);
    pthread_create(&th[3], NULL, xmm_holder, NULL);
    while (counters[0] == 0 || counters[1] == 0 || counters[2] == 0) sched_yield();
    pause_ms(20);

    errno = 0;
    long r = ptrace(PTRACE_ATTACH, (pid_t) syscall(SYS_gettid), NULL, NULL);
    printf("attach to own thread: %ld %s\n", r, errname(errno));
    r = ptrace(PTRACE_CONT, (pid_t) syscall(SYS_gettid), NULL, NULL);
    printf("cont untraced: %ld %s\n", r, errname(errno));

    static char stack[256 * 1024] __attribute__((aligned(16)));
    pid_t t = clone(tracer, stack + sizeof stack, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_UNTRACED, NULL);
    if (t < 0) {
        perror("clone");
        return 1;
    }
    while (!tracer_done) sched_yield();
    int status;
    pid_t w = waitpid(t, &status, __WALL);
    printf("tracer reaped: %s, exit %d\n", w == t ? "yes" : "no", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    fputs(report, stdout);
    long after[2] = {counters[0], counters[1]};
    pause_ms(50);
    printf("spinners run again: %s\n", counters[0] > after[0] && counters[1] > after[1] ? "yes" : "no");
    quit = 1;
    write(pipefd[1], "x", 1);
    void *got;
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
    pthread_join(th[2], &got);
    pthread_join(th[3], NULL);
    printf("blocked reader read %ld byte after its stop\n", (long) got);
    return 0;
}
