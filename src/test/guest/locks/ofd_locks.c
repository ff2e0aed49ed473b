/* Open file description locks (fcntl F_OFD_SETLK/F_OFD_GETLK/F_OFD_SETLKW): owned by the open
 * file description, so two opens in one process conflict, dup and fork share, the last close
 * releases; l_pid must be 0 and is reported as -1; they share one lock space with POSIX locks.
 * Pids are printed only as relations. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "region.h"

#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif

static char path[] = "/tmp/ofd_locksXXXXXX";
static pid_t self_pid, child_pid;

static const char *ename(int e) {
    switch (e) {
    case 0: return "OK";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EDEADLK: return "EDEADLK";
    default: return "E?";
    }
}

static const char *tname(int t) {
    return t == F_RDLCK ? "RD" : t == F_WRLCK ? "WR" : t == F_UNLCK ? "UN" : "??";
}

static const char *who(pid_t p) {
    if (p == self_pid) return "self";
    if (p == child_pid) return "child";
    if (p == -1) return "-1";
    if (p == 0) return "0";
    return "other";
}

static const char *cname(int cmd) {
    switch (cmd) {
    case F_SETLK: return "SETLK";
    case F_SETLKW: return "SETLKW";
    case F_OFD_SETLK: return "OFD_SETLK";
    case F_OFD_SETLKW: return "OFD_SETLKW";
    case F_GETLK: return "GETLK";
    case F_OFD_GETLK: return "OFD_GETLK";
    default: return "?";
    }
}

static void set(const char *label, int fd, int cmd, int type, long start, long len, int pid) {
    struct flock fl = region(type, SEEK_SET, start, len, pid);
    int r = fcntl(fd, cmd, &fl);
    printf("%s: %s %s %ld %ld pid %d -> %s\n", label, cname(cmd), tname(type), start, len, pid,
           r < 0 ? ename(errno) : "OK");
}

static void get(const char *label, int fd, int cmd, int type, long start, long len, int pid) {
    struct flock fl = region(type, SEEK_SET, start, len, pid);
    int r = fcntl(fd, cmd, &fl);
    if (r < 0) {
        printf("%s: %s %s %ld %ld -> %s\n", label, cname(cmd), tname(type), start, len, ename(errno));
    } else if (fl.l_type == F_UNLCK) {
        printf("%s: %s %s %ld %ld -> UN\n", label, cname(cmd), tname(type), start, len);
    } else {
        printf("%s: %s %s %ld %ld -> %s start %ld len %ld pid %s\n", label, cname(cmd), tname(type), start, len,
               tname(fl.l_type), (long)fl.l_start, (long)fl.l_len, who(fl.l_pid));
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    self_pid = getpid();
    int fd = mkstemp(path);
    write(fd, "0123456789", 10);
    int fd2 = open(path, O_RDWR);

    /* Two opens in one process are two owners. */
    set("owner", fd, F_OFD_SETLK, F_WRLCK, 0, 10, 0);
    set("owner", fd2, F_OFD_SETLK, F_RDLCK, 5, 1, 0);
    get("owner", fd2, F_OFD_GETLK, F_RDLCK, 0, 0, 0);
    get("owner", fd, F_OFD_GETLK, F_WRLCK, 0, 0, 0);
    /* ... and POSIX locks of the same process conflict with them, both ways. */
    set("posix", fd, F_SETLK, F_RDLCK, 5, 1, 0);
    set("posix", fd2, F_SETLK, F_RDLCK, 20, 5, 0);
    get("posix", fd, F_GETLK, F_WRLCK, 0, 0, 0);
    get("posix", fd2, F_GETLK, F_WRLCK, 0, 0, 0);
    set("posix", fd, F_OFD_SETLK, F_WRLCK, 20, 1, 0);
    get("posix", fd, F_OFD_GETLK, F_WRLCK, 15, 0, 0);
    set("posix", fd2, F_SETLK, F_UNLCK, 0, 0, 0);

    /* l_pid must be 0 for the OFD commands. */
    set("pid", fd, F_OFD_SETLK, F_WRLCK, 0, 1, 1);
    set("pid", fd, F_OFD_SETLK, F_UNLCK, 0, 1, -1);
    get("pid", fd, F_OFD_GETLK, F_WRLCK, 0, 1, 1);
    set("pid", fd, F_SETLK, F_RDLCK, 50, 1, 1234);
    set("pid", fd, F_SETLK, F_UNLCK, 50, 1, 1234);
    /* F_OFD_GETLK with F_UNLCK reports the description's own lock (Linux 6.6+). */
    get("unlck", fd, F_OFD_GETLK, F_UNLCK, 0, 0, 0);
    get("unlck", fd, F_OFD_GETLK, F_UNLCK, 30, 0, 0);
    get("unlck", fd2, F_OFD_GETLK, F_UNLCK, 0, 0, 0);

    /* dup shares the owner: converting and splitting through the copy. */
    int d = dup(fd);
    set("dup", d, F_OFD_SETLK, F_RDLCK, 2, 3, 0);
    get("dup", fd2, F_OFD_GETLK, F_WRLCK, 0, 0, 0);
    get("dup", fd2, F_OFD_GETLK, F_WRLCK, 2, 0, 0);
    get("dup", fd2, F_OFD_GETLK, F_RDLCK, 2, 0, 0);
    /* Closing a dup, or another open of the file, releases nothing. */
    close(d);
    int other = open(path, O_RDONLY);
    close(other);
    get("close", fd2, F_OFD_GETLK, F_WRLCK, 0, 0, 0);

    /* fork shares the description: the child is the same owner, but a child's POSIX lock conflicts. */
    int p[2];
    pipe(p);
    child_pid = fork();
    if (child_pid == 0) {
        char msg[256];
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        int r1 = fcntl(fd, F_OFD_SETLK, &fl);
        int e1 = r1 < 0 ? errno : 0;
        fl = (struct flock){.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 3, .l_len = 1};
        int r2 = fcntl(fd, F_SETLK, &fl);
        int e2 = r2 < 0 ? errno : 0;
        fl = (struct flock){.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        fcntl(fd2, F_GETLK, &fl);
        snprintf(msg, sizeof msg, "fork: child OFD_SETLK WR -> %s, SETLK RD -> %s, GETLK -> %s %ld %ld pid %d\n",
                 ename(e1), ename(e2), tname(fl.l_type), (long)fl.l_start, (long)fl.l_len, fl.l_pid);
        write(p[1], msg, strlen(msg));
        _exit(0);
    }
    close(p[1]);
    char buf[256];
    int n = read(p[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    fputs(buf, stdout);
    close(p[0]);
    waitpid(child_pid, NULL, 0);
    /* The child's conversion to a write lock over everything stays after it exits. */
    get("fork", fd2, F_OFD_GETLK, F_RDLCK, 100, 1, 0);

    /* F_OFD_SETLKW: a child waits for our lock; the last close of the description wakes it. */
    pipe(p);
    child_pid = fork();
    if (child_pid == 0) {
        close(fd);
        write(p[1], "w", 1);
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        int r = fcntl(fd2, F_OFD_SETLKW, &fl);
        _exit(r < 0 ? 10 + errno : 3);
    }
    close(p[1]);
    read(p[0], buf, 1);
    usleep(100000);
    close(fd);
    int st;
    waitpid(child_pid, &st, 0);
    printf("wait: child exit %d\n", WEXITSTATUS(st));
    /* The child's lock was through fd2's description, which we still hold. */
    int fd3 = open(path, O_RDWR);
    get("wait", fd3, F_OFD_GETLK, F_WRLCK, 0, 0, 0);
    close(fd2);
    get("wait", fd3, F_OFD_GETLK, F_WRLCK, 0, 0, 0);

    /* Wrong access mode. */
    int ro = open(path, O_RDONLY);
    set("mode", ro, F_OFD_SETLK, F_WRLCK, 0, 1, 0);
    set("mode", ro, F_OFD_SETLK, F_WRLCK, 0, 1, 5);
    close(ro);
    close(fd3);
    unlink(path);
    return 0;
}
