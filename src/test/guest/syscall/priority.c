/* getpriority(2) and setpriority(2): values as the C library returns them (the raw call gives
 * 20 - nice), clamping to -20..19, PRIO_PROCESS for a thread, PRIO_PGRP for a process group of
 * our own, PRIO_USER for a uid without processes, inheritance by fork and by new threads,
 * /proc's priority and nice fields, and the EINVAL, ESRCH, EPERM and EACCES cases (the last two
 * from a child that gives up root). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../errname.h"

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ == -1 && errno) printf("%-60s -> %s\n", #call, errname(errno)); else printf("%-60s -> %ld\n", #call, r_); } while (0)

static int base;

/* Fields 18 and 19 of a /proc stat file, relative to the starting value for nice. */
static void proc_stat(const char *path) {
    char buf[1024];
    FILE *f = fopen(path, "r");
    if (!f || !fgets(buf, sizeof buf, f)) {
        printf("  %s: unreadable\n", path);
        if (f) fclose(f);
        return;
    }
    fclose(f);
    char *p = strrchr(buf, ')') + 2;
    long prio = 0, nice = 0;
    for (int field = 3; field <= 19; field++) {
        long v = strtol(p, &p, 10);
        if (field == 3) { p = strchr(buf, ')') + 4; continue; } /* state is a letter */
        if (field == 18) prio = v;
        if (field == 19) nice = v;
    }
    printf("  %s: priority %ld nice %ld\n", strncmp(path, "/proc/self/task", 15) == 0 ? "task stat" : path, prio, nice);
}

static void *thread_main(void *arg) {
    (void)arg;
    long tid = syscall(SYS_gettid);
    printf("thread starts at %d\n", getpriority(PRIO_PROCESS, tid));
    T(setpriority(PRIO_PROCESS, tid, 7));
    T(getpriority(PRIO_PROCESS, tid));
    T(getpriority(PRIO_PROCESS, 0));
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
    proc_stat(path);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    errno = 0;
    base = getpriority(PRIO_PROCESS, 0);
    printf("start: %d %s\n", base, errno ? errname(errno) : "");
    printf("raw: %ld\n", syscall(SYS_getpriority, PRIO_PROCESS, 0) == 20 - base);
    T(setpriority(PRIO_PROCESS, 0, 5));
    T(getpriority(PRIO_PROCESS, 0));
    T(getpriority(PRIO_PROCESS, getpid()));
    T(syscall(SYS_getpriority, PRIO_PROCESS, 0));
    proc_stat("/proc/self/stat");
    T(setpriority(PRIO_PROCESS, 0, 100));
    T(getpriority(PRIO_PROCESS, 0));
    T(setpriority(PRIO_PROCESS, getpid(), -100)); /* root may lower it */
    T(getpriority(PRIO_PROCESS, 0));
    proc_stat("/proc/self/stat");
    T(setpriority(PRIO_PROCESS, 0, 3));
    T(getpriority(PRIO_PROCESS, 0));

    /* Errors. */
    T(getpriority(3, 0));
    T(getpriority(-1, 0));
    T(setpriority(3, 0, 0));
    T(setpriority(PRIO_PROCESS, 999999, 0));
    T(getpriority(PRIO_PROCESS, 999999));
    T(syscall(SYS_getpriority, PRIO_PROCESS, -1));
    T(syscall(SYS_setpriority, PRIO_PROCESS, -1, 0));
    T(getpriority(PRIO_PGRP, 999999));
    T(setpriority(PRIO_PGRP, 999999, 0));
    T(getpriority(PRIO_USER, 54321));
    T(setpriority(PRIO_USER, 54321, 0));

    /* A thread has its own value; it starts with its creator's. */
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    pthread_join(th, NULL);
    T(getpriority(PRIO_PROCESS, 0));

    /* Process groups: our own, so that nothing outside the test is counted. */
    setpgid(0, 0);
    T(getpriority(PRIO_PGRP, 0));
    T(getpriority(PRIO_PGRP, getpgrp()));
    int go[2], back[2];
    pipe(go);
    pipe(back);
    pid_t kid = fork();
    if (kid == 0) {
        char c;
        printf("child inherits %d\n", getpriority(PRIO_PROCESS, 0));
        setpriority(PRIO_PROCESS, 0, 12);
        write(back[1], "x", 1);
        read(go[0], &c, 1); /* wait until the parent has looked */
        _exit(getpriority(PRIO_PROCESS, 0));
    }
    char c;
    read(back[0], &c, 1);
    T(getpriority(PRIO_PROCESS, kid));
    T(getpriority(PRIO_PGRP, 0)); /* the lowest value in the group */
    T(setpriority(PRIO_PGRP, 0, 15));
    T(getpriority(PRIO_PROCESS, kid));
    T(getpriority(PRIO_PROCESS, 0));
    write(go[1], "x", 1);
    int status;
    waitpid(kid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));

    /* Without root: raising is allowed, lowering is EACCES (RLIMIT_NICE is 0), and others'
     * processes are EPERM. */
    T(setpriority(PRIO_PROCESS, 0, 10));
    kid = fork();
    if (kid == 0) {
        if (setresuid(65534, 65534, 65534) != 0) {
            printf("setresuid: %s\n", errname(errno));
            _exit(1);
        }
        T(setpriority(PRIO_PROCESS, 0, 14));
        T(setpriority(PRIO_PROCESS, 0, 14));
        T(setpriority(PRIO_PROCESS, 0, 12));
        T(getpriority(PRIO_PROCESS, 0));
        T(setpriority(PRIO_PROCESS, 0, -25));
        T(getpriority(PRIO_PROCESS, 0));
        T(setpriority(PRIO_PROCESS, getppid(), 19));
        T(setpriority(PRIO_PROCESS, getppid(), 10));
        T(getpriority(PRIO_PROCESS, getppid()));
        T(setpriority(PRIO_PGRP, 0, 0)); /* EPERM for the parent (root), EACCES for ourselves */
        T(setpriority(PRIO_PGRP, 0, 16)); /* EPERM for the parent, ours raised */
        T(getpriority(PRIO_PROCESS, 0));
        _exit(0);
    }
    waitpid(kid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    T(getpriority(PRIO_PROCESS, 0));
    return 0;
}
