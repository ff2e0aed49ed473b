/* Blocking record locks (F_SETLKW): the waiter wakes when the holder unlocks, shrinks its lock
 * or exits; a signal without SA_RESTART ends the wait with EINTR, one with SA_RESTART restarts
 * it; two processes waiting for each other's locks: exactly one gets EDEADLK. The results do
 * not depend on timing: a sleep only makes it likely that a waiter is asleep before the lock
 * changes, and the outcome is the same either way. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "region.h"

static char path[] = "/tmp/lock_waitXXXXXX";

static const char *ename(int e) {
    switch (e) {
    case 0: return "OK";
    case EAGAIN: return "EAGAIN";
    case EINTR: return "EINTR";
    case EDEADLK: return "EDEADLK";
    case EBADF: return "EBADF";
    default: return "E?";
    }
}

static int lk(int fd, int cmd, int type, long start, long len) {
    struct flock fl = region(type, SEEK_SET, start, len, 0);
    return fcntl(fd, cmd, &fl) < 0 ? errno : 0;
}

static volatile int alarms;
static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

static void timer(long usec) {
    struct itimerval it = {{0, usec}, {0, usec}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void handler(int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
}

/* A child that takes a lock, says so on the pipe, then runs the given steps. */
static pid_t holder(int tell, int type, long start, long len, void (*then)(int fd)) {
    pid_t c = fork();
    if (c == 0) {
        int fd = open(path, O_RDWR);
        lk(fd, F_SETLK, type, start, len);
        write(tell, "h", 1);
        then(fd);
        _exit(0);
    }
    return c;
}

static void unlock_later(int fd) {
    usleep(100000);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);
    pause();
}

static void shrink_then_unlock(int fd) {
    usleep(50000);
    lk(fd, F_SETLK, F_UNLCK, 0, 50); /* the waiter wants 60..69: still blocked */
    usleep(50000);
    lk(fd, F_SETLK, F_UNLCK, 55, 20);
    pause();
}

static void exit_later(int fd) {
    (void)fd;
    usleep(100000);
}

static void hold_forever(int fd) {
    (void)fd;
    pause();
}

static void wait_for(int p[2]) {
    char x;
    read(p[0], &x, 1);
}

static void finish(pid_t c) {
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
}

/* EDEADLK: each child locks one byte, then waits for the other's. */
static void deadlock_child(int mine, int theirs, int ready[2], int go[2], int report[2]) {
    int fd = open(path, O_RDWR);
    lk(fd, F_SETLK, F_WRLCK, mine, 1);
    write(ready[1], "r", 1);
    char x;
    read(go[0], &x, 1);
    int e = lk(fd, F_SETLKW, F_WRLCK, theirs, 1);
    write(report[1], &e, sizeof e);
    /* The loser gives up its byte (by exiting), which lets the winner through. */
    _exit(0);
}

static void deadlock(void) {
    int ready[2], go[2], report[2];
    pipe(ready);
    pipe(go);
    pipe(report);
    pid_t a = fork();
    if (a == 0) deadlock_child(0, 1, ready, go, report);
    pid_t b = fork();
    if (b == 0) deadlock_child(1, 0, ready, go, report);
    char x;
    read(ready[0], &x, 1);
    read(ready[0], &x, 1);
    write(go[1], "gg", 2);
    int e1 = -1, e2 = -1;
    read(report[0], &e1, sizeof e1);
    read(report[0], &e2, sizeof e2);
    waitpid(a, NULL, 0);
    waitpid(b, NULL, 0);
    printf("deadlock: first reply %s, second reply %s\n", ename(e1), ename(e2));
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
    close(report[0]);
    close(report[1]);
}

/* A chain that is not a cycle: c waits for b, b waits for a; nobody deadlocks. */
static void chain(int fd) {
    int p[2];
    pipe(p);
    lk(fd, F_SETLK, F_WRLCK, 0, 1);
    pid_t b = fork();
    if (b == 0) {
        int mine = open(path, O_RDWR);
        lk(mine, F_SETLK, F_WRLCK, 1, 1);
        write(p[1], "b", 1);
        int e = lk(mine, F_SETLKW, F_WRLCK, 0, 1);
        _exit(10 + e);
    }
    wait_for(p);
    pid_t c = fork();
    if (c == 0) {
        int mine = open(path, O_RDWR);
        int e = lk(mine, F_SETLKW, F_WRLCK, 1, 1);
        _exit(10 + e);
    }
    usleep(100000);
    printf("chain: unlock -> %s\n", ename(lk(fd, F_SETLK, F_UNLCK, 0, 1)));
    int sb, sc;
    waitpid(b, &sb, 0);
    waitpid(c, &sc, 0);
    printf("chain: b %s, c %s\n", ename(WEXITSTATUS(sb) - 10), ename(WEXITSTATUS(sc) - 10));
    close(p[0]);
    close(p[1]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = mkstemp(path);
    int p[2];
    pipe(p);

    pid_t c = holder(p[1], F_WRLCK, 0, 0, unlock_later);
    wait_for(p);
    printf("unlock: F_SETLK -> %s\n", ename(lk(fd, F_SETLK, F_WRLCK, 10, 1)));
    printf("unlock: F_SETLKW -> %s\n", ename(lk(fd, F_SETLKW, F_WRLCK, 10, 1)));
    finish(c);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);

    c = holder(p[1], F_RDLCK, 0, 100, shrink_then_unlock);
    wait_for(p);
    printf("shrink: F_SETLKW -> %s\n", ename(lk(fd, F_SETLKW, F_WRLCK, 60, 10)));
    printf("shrink: F_SETLK 50..54 -> %s\n", ename(lk(fd, F_SETLK, F_WRLCK, 50, 5)));
    printf("shrink: F_SETLK 75 -> %s\n", ename(lk(fd, F_SETLK, F_WRLCK, 75, 1)));
    finish(c);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);

    c = holder(p[1], F_WRLCK, 5, 1, exit_later);
    wait_for(p);
    printf("exit: F_SETLKW -> %s\n", ename(lk(fd, F_SETLKW, F_RDLCK, 0, 0)));
    waitpid(c, NULL, 0);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);

    /* A signal without SA_RESTART: EINTR. */
    c = holder(p[1], F_WRLCK, 0, 0, hold_forever);
    wait_for(p);
    handler(0);
    timer(20000);
    printf("eintr: F_SETLKW -> %s\n", ename(lk(fd, F_SETLKW, F_WRLCK, 0, 1)));
    timer(0);
    printf("eintr: handler ran %d\n", alarms > 0);
    printf("eintr: F_SETLK -> %s\n", ename(lk(fd, F_SETLK, F_WRLCK, 0, 1)));
    finish(c);

    /* With SA_RESTART the wait resumes after each signal until the holder unlocks. */
    c = holder(p[1], F_WRLCK, 0, 0, unlock_later);
    wait_for(p);
    handler(SA_RESTART);
    alarms = 0;
    timer(10000);
    printf("restart: F_SETLKW -> %s\n", ename(lk(fd, F_SETLKW, F_WRLCK, 0, 1)));
    timer(0);
    finish(c);
    lk(fd, F_SETLK, F_UNLCK, 0, 0);

    deadlock();
    chain(fd);

    close(p[0]);
    close(p[1]);
    close(fd);
    unlink(path);
    return 0;
}
