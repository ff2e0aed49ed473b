/* POSIX record locks (fcntl F_SETLK/F_GETLK) between processes: conflicts, splitting, merging,
 * conversion, l_whence and l_len forms, errors, release when the process closes any descriptor
 * of the file, release at exit, no inheritance by fork, kept across execve. A child "lock
 * server" takes locks on request through a pipe, so every step happens in a fixed order. Pids
 * are printed only as relations (child, parent, -1). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "region.h"

static char path[] = "/tmp/posix_locksXXXXXX";
static pid_t server_pid, self_pid;

static const char *ename(int e) {
    switch (e) {
    case 0: return "OK";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EOVERFLOW: return "EOVERFLOW";
    case EDEADLK: return "EDEADLK";
    case EFAULT: return "EFAULT";
    default: return "E?";
    }
}

static const char *tname(int t) {
    return t == F_RDLCK ? "RD" : t == F_WRLCK ? "WR" : t == F_UNLCK ? "UN" : "??";
}

static const char *who(pid_t p) {
    if (p == server_pid) return "server";
    if (p == self_pid) return "self";
    if (p == -1) return "-1";
    if (p == 0) return "0";
    return "other";
}

static int lk(int fd, int cmd, int type, int whence, long start, long len) {
    struct flock fl = region(type, whence, start, len, 0);
    errno = 0;
    int r = fcntl(fd, cmd, &fl);
    return r < 0 ? errno : 0;
}

/* F_GETLK and print what it found. */
static void getlk(const char *label, int fd, int type, long start, long len) {
    struct flock fl = region(type, SEEK_SET, start, len, 12345);
    int r = fcntl(fd, F_GETLK, &fl);
    if (r < 0) {
        printf("%s: getlk %s %ld %ld -> %s\n", label, tname(type), start, len, ename(errno));
    } else if (fl.l_type == F_UNLCK) {
        printf("%s: getlk %s %ld %ld -> UN (start %ld len %ld pid untouched %d)\n", label, tname(type), start, len,
               (long)fl.l_start, (long)fl.l_len, fl.l_pid == 12345);
    } else {
        printf("%s: getlk %s %ld %ld -> %s start %ld len %ld whence %d pid %s\n", label, tname(type), start, len,
               tname(fl.l_type), (long)fl.l_start, (long)fl.l_len, fl.l_whence, who(fl.l_pid));
    }
}

static void setlk(const char *label, int fd, int type, int whence, long start, long len) {
    printf("%s: setlk %s whence %d %ld %ld -> %s\n", label, tname(type), whence, start, len,
           ename(lk(fd, F_SETLK, type, whence, start, len)));
}

/* ---- the lock server: a child holding its own descriptor of the file ---- */

struct req {
    int op; /* 'L' lock, 'C' close a second descriptor, 'X' exit */
    int type;
    long start, len;
};

static int to_server[2], from_server[2];

static void server(void) {
    int fd = open(path, O_RDWR);
    struct req q;
    while (read(to_server[0], &q, sizeof q) == sizeof q) {
        int r = 0;
        if (q.op == 'L') {
            r = lk(fd, F_SETLK, q.type, SEEK_SET, q.start, q.len);
        } else if (q.op == 'C') {
            int other = open(path, O_RDONLY);
            close(other);
        } else if (q.op == 'X') {
            _exit(0);
        }
        write(from_server[1], &r, sizeof r);
    }
    _exit(1);
}

static void start_server(void) {
    pipe(to_server);
    pipe(from_server);
    server_pid = fork();
    if (server_pid == 0) {
        server();
    }
}

static int ask(int op, int type, long start, long len) {
    struct req q = {op, type, start, len};
    int r = -1;
    write(to_server[1], &q, sizeof q);
    read(from_server[0], &r, sizeof r);
    return r;
}

static void server_lock(const char *label, int type, long start, long len) {
    printf("%s: server setlk %s %ld %ld -> %s\n", label, tname(type), start, len, ename(ask('L', type, start, len)));
}

static void stop_server(void) {
    struct req q = {'X', 0, 0, 0};
    write(to_server[1], &q, sizeof q);
    waitpid(server_pid, NULL, 0);
    close(to_server[0]);
    close(to_server[1]);
    close(from_server[0]);
    close(from_server[1]);
}

/* ---- sections ---- */

static void conflicts(int fd) {
    start_server();
    server_lock("conflict", F_WRLCK, 10, 10);
    getlk("conflict", fd, F_RDLCK, 0, 100);
    getlk("conflict", fd, F_RDLCK, 0, 10);
    getlk("conflict", fd, F_RDLCK, 19, 1);
    getlk("conflict", fd, F_RDLCK, 20, 0);
    getlk("conflict", fd, F_WRLCK, 0, 0);
    setlk("conflict", fd, F_WRLCK, SEEK_SET, 15, 5);
    setlk("conflict", fd, F_RDLCK, SEEK_SET, 0, 10);
    setlk("conflict", fd, F_RDLCK, SEEK_SET, 20, 10);
    setlk("conflict", fd, F_RDLCK, SEEK_SET, 5, 10);
    /* read locks share */
    server_lock("conflict", F_RDLCK, 10, 10);
    setlk("conflict", fd, F_RDLCK, SEEK_SET, 5, 10);
    getlk("conflict", fd, F_WRLCK, 0, 0);
    server_lock("conflict", F_WRLCK, 12, 1);
    /* own locks never conflict with each other; the first conflicting lock is reported */
    getlk("conflict", fd, F_WRLCK, 0, 0);
    server_lock("conflict", F_UNLCK, 0, 0);
    getlk("conflict", fd, F_WRLCK, 0, 0);
    setlk("conflict", fd, F_UNLCK, SEEK_SET, 0, 0);
    stop_server();
}

static void split_merge(int fd) {
    start_server();
    server_lock("split", F_RDLCK, 0, 100);
    server_lock("split", F_WRLCK, 40, 10);
    for (long at = 0; at < 110; at += 15) {
        getlk("split", fd, F_WRLCK, at, 1);
    }
    getlk("split", fd, F_RDLCK, 0, 0);
    server_lock("split", F_UNLCK, 45, 30);
    for (long at = 0; at < 110; at += 15) {
        getlk("split", fd, F_WRLCK, at, 1);
    }
    server_lock("split", F_UNLCK, 0, 0);
    /* adjacent and overlapping locks of one type merge */
    server_lock("merge", F_RDLCK, 0, 10);
    server_lock("merge", F_RDLCK, 10, 10);
    getlk("merge", fd, F_WRLCK, 0, 0);
    server_lock("merge", F_RDLCK, 30, 10);
    server_lock("merge", F_RDLCK, 15, 20);
    getlk("merge", fd, F_WRLCK, 0, 0);
    server_lock("merge", F_RDLCK, 50, 0);
    server_lock("merge", F_RDLCK, 40, 10);
    getlk("merge", fd, F_WRLCK, 0, 0);
    /* a write lock in the middle converts that part */
    server_lock("convert", F_WRLCK, 20, 5);
    getlk("convert", fd, F_RDLCK, 0, 0);
    getlk("convert", fd, F_WRLCK, 0, 0);
    getlk("convert", fd, F_WRLCK, 25, 0);
    server_lock("convert", F_RDLCK, 0, 0);
    getlk("convert", fd, F_RDLCK, 0, 0);
    getlk("convert", fd, F_WRLCK, 1000000, 1);
    server_lock("convert", F_WRLCK, 0, 0);
    getlk("convert", fd, F_RDLCK, 7, 3);
    server_lock("convert", F_UNLCK, 5, 0);
    getlk("convert", fd, F_RDLCK, 0, 0);
    getlk("convert", fd, F_RDLCK, 5, 0);
    stop_server();
}

static void ranges(int fd) {
    start_server();
    lseek(fd, 30, SEEK_SET);
    setlk("whence", fd, F_WRLCK, SEEK_CUR, 5, 5);
    setlk("whence", fd, F_WRLCK, SEEK_END, -10, 5);
    setlk("whence", fd, F_WRLCK, SEEK_SET, 60, -10);
    setlk("whence", fd, F_WRLCK, SEEK_CUR, 0, -5);
    server_lock("whence", F_WRLCK, 0, 0);
    server_lock("whence", F_WRLCK, 24, 2);
    server_lock("whence", F_WRLCK, 35, 1);
    server_lock("whence", F_WRLCK, 50, 1);
    server_lock("whence", F_WRLCK, 59, 1);
    server_lock("whence", F_WRLCK, 60, 1);
    server_lock("whence", F_WRLCK, 90, 1);
    server_lock("whence", F_WRLCK, 95, 1);
    setlk("whence", fd, F_UNLCK, SEEK_SET, 0, 0);
    server_lock("whence", F_WRLCK, 0, 0);
    server_lock("whence", F_UNLCK, 0, 0);
    /* errors */
    setlk("error", fd, F_WRLCK, 3, 0, 0);
    setlk("error", fd, F_WRLCK, -1, 0, 0);
    setlk("error", fd, F_WRLCK, SEEK_SET, -1, 0);
    setlk("error", fd, F_WRLCK, SEEK_SET, 5, -6);
    setlk("error", fd, F_WRLCK, SEEK_SET, 5, -5);
    setlk("error", fd, F_WRLCK, SEEK_END, 0x7fffffffffffffffL, 1);
    setlk("error", fd, F_WRLCK, SEEK_SET, 0x7fffffffffffffffL, 2);
    setlk("error", fd, F_WRLCK, SEEK_SET, 0x7fffffffffffffffL, 1);
    setlk("error", fd, F_WRLCK, SEEK_SET, 1, 0x7fffffffffffffffL);
    setlk("error", fd, F_WRLCK, SEEK_SET, 0x7ffffffffffffff0L, 0);
    setlk("error", fd, 7, SEEK_SET, 0, 0);
    setlk("error", fd, F_UNLCK, SEEK_SET, 0, 0);
    getlk("error", fd, F_UNLCK, 0, 0);
    getlk("error", fd, 7, 0, 0);
    printf("error: getlk NULL -> %s\n", fcntl(fd, F_GETLK, NULL) < 0 ? ename(errno) : "OK");
    int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
    setlk("mode", ro, F_WRLCK, SEEK_SET, 0, 1);
    setlk("mode", ro, F_RDLCK, SEEK_SET, 0, 1);
    setlk("mode", wo, F_RDLCK, SEEK_SET, 0, 1);
    setlk("mode", wo, F_WRLCK, SEEK_SET, 1, 1);
    setlk("mode", ro, F_UNLCK, SEEK_SET, 0, 0);
    getlk("mode", wo, F_WRLCK, 0, 0);
    close(ro);
    close(wo);
    stop_server();
}

static void release_on_close(int fd) {
    start_server();
    /* The server locks through its descriptor, then opens and closes another one: all gone. */
    server_lock("close", F_WRLCK, 0, 10);
    server_lock("close", F_RDLCK, 50, 10);
    getlk("close", fd, F_WRLCK, 0, 0);
    printf("close: server closes another descriptor -> %d\n", ask('C', 0, 0, 0));
    getlk("close", fd, F_WRLCK, 0, 0);
    /* Our own locks: closing a dup, or a separate open of the file, releases them too. */
    setlk("close", fd, F_WRLCK, SEEK_SET, 0, 10);
    int d = dup(fd);
    server_lock("close", F_RDLCK, 0, 1);
    close(d);
    server_lock("close", F_RDLCK, 0, 1);
    server_lock("close", F_UNLCK, 0, 0);
    setlk("close", fd, F_WRLCK, SEEK_SET, 0, 10);
    int other = open(path, O_RDONLY);
    server_lock("close", F_RDLCK, 0, 1);
    close(other);
    server_lock("close", F_RDLCK, 0, 1);
    server_lock("close", F_UNLCK, 0, 0);
    /* An O_PATH descriptor's close does not release them. */
    setlk("close", fd, F_WRLCK, SEEK_SET, 0, 10);
    int op = open(path, O_PATH);
    close(op);
    server_lock("close", F_RDLCK, 0, 1);
    setlk("close", fd, F_UNLCK, SEEK_SET, 0, 0);
    /* Exit releases the server's locks. */
    server_lock("exit", F_WRLCK, 0, 0);
    getlk("exit", fd, F_RDLCK, 0, 0);
    stop_server();
    getlk("exit", fd, F_RDLCK, 0, 0);
}

static void fork_and_exec(int fd, const char *self) {
    /* Not inherited by fork: the child is another owner. */
    setlk("fork", fd, F_WRLCK, SEEK_SET, 0, 10);
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        server_pid = -2;
        self_pid = getpid();
        char out[200];
        struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        int r = fcntl(fd, F_GETLK, &fl);
        int e = lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 1);
        int e2 = lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 1);
        snprintf(out, sizeof out, "fork: child getlk %d %s start %ld len %ld pid-is-parent %d; setlk %s; beyond %s\n",
                 r, tname(fl.l_type), (long)fl.l_start, (long)fl.l_len, fl.l_pid == getppid(), ename(e), ename(e2));
        write(p[1], out, strlen(out));
        _exit(0);
    }
    close(p[1]);
    char buf[256];
    int n = read(p[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    fputs(buf, stdout);
    close(p[0]);
    waitpid(c, NULL, 0);
    getlk("fork", fd, F_WRLCK, 10, 1);
    setlk("fork", fd, F_UNLCK, SEEK_SET, 0, 0);

    /* Kept across execve: a child locks, execs this program, and the lock is still its own. */
    int ready[2], go[2];
    pipe(ready);
    pipe(go);
    fflush(stdout);
    c = fork();
    if (c == 0) {
        lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 3, 4);
        char a1[16], a2[16], a3[16];
        snprintf(a1, sizeof a1, "%d", fd);
        snprintf(a2, sizeof a2, "%d", ready[1]);
        snprintf(a3, sizeof a3, "%d", go[0]);
        execl(self, self, "--exec", a1, a2, a3, (char *)NULL);
        _exit(127);
    }
    close(ready[1]);
    close(go[0]);
    char ch;
    read(ready[0], &ch, 1);
    server_pid = c;
    getlk("exec", fd, F_WRLCK, 0, 0);
    write(go[1], "x", 1);
    int st;
    waitpid(c, &st, 0);
    printf("exec: child status %d\n", WEXITSTATUS(st));
    getlk("exec", fd, F_WRLCK, 0, 0);
    close(ready[0]);
    close(go[1]);
}

/* After execve: report the lock is still ours (F_GETLK sees no conflict), then wait. */
static int after_exec(int fd, int ready, int go) {
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    fcntl(fd, F_GETLK, &fl);
    write(ready, "r", 1);
    char ch;
    read(go, &ch, 1);
    return fl.l_type == F_UNLCK ? 5 : 6;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 5 && strcmp(argv[1], "--exec") == 0) {
        return after_exec(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
    }
    self_pid = getpid();
    int fd = mkstemp(path);
    char zeros[100] = {0};
    write(fd, zeros, sizeof zeros);
    conflicts(fd);
    split_merge(fd);
    ranges(fd);
    release_on_close(fd);
    fork_and_exec(fd, argv[0]);
    close(fd);
    unlink(path);
    return 0;
}
