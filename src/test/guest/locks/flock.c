/* flock(2): shared and exclusive locks per open file description (shared by dup and fork),
 * LOCK_NB, conversion (not atomic), release by LOCK_UN and by the last close, errors, blocking
 * and EINTR, and independence from fcntl record locks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[] = "/tmp/flockXXXXXX";

static const char *ename(int e) {
    switch (e) {
    case 0: return "OK";
    case EWOULDBLOCK: return "EWOULDBLOCK";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EINTR: return "EINTR";
    default: return "E?";
    }
}

static const char *opname(int op) {
    static char buf[64];
    const char *base = (op & ~LOCK_NB) == LOCK_SH ? "SH" : (op & ~LOCK_NB) == LOCK_EX ? "EX"
                     : (op & ~LOCK_NB) == LOCK_UN ? "UN" : NULL;
    if (base == NULL) {
        snprintf(buf, sizeof buf, "%#x", op);
        return buf;
    }
    snprintf(buf, sizeof buf, "%s%s", base, op & LOCK_NB ? "|NB" : "");
    return buf;
}

static void fl(const char *label, const char *fdname, int fd, int op) {
    int r = flock(fd, op);
    printf("%s: flock(%s, %s) -> %s\n", label, fdname, opname(op), r < 0 ? ename(errno) : "OK");
}

/* Runs flock in a child through an inherited descriptor; returns its result as the exit status. */
static int in_child(int fd, int op) {
    pid_t c = fork();
    if (c == 0) {
        _exit(flock(fd, op) < 0 ? errno : 0);
    }
    int st;
    waitpid(c, &st, 0);
    return WEXITSTATUS(st);
}

static void on_alarm(int sig) { (void)sig; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int a = mkstemp(path);
    int b = open(path, O_RDWR);
    int c = open(path, O_RDONLY);

    /* Exclusive against shared, between two descriptions of one process. */
    fl("basic", "a", a, LOCK_EX);
    fl("basic", "b", b, LOCK_EX | LOCK_NB);
    fl("basic", "b", b, LOCK_SH | LOCK_NB);
    fl("basic", "a", a, LOCK_EX);
    fl("basic", "a", a, LOCK_SH);
    fl("basic", "b", b, LOCK_SH | LOCK_NB);
    fl("basic", "c", c, LOCK_SH | LOCK_NB);
    fl("basic", "c", c, LOCK_EX | LOCK_NB);
    fl("basic", "a", a, LOCK_UN);
    fl("basic", "b", b, LOCK_UN);
    fl("basic", "c", c, LOCK_EX | LOCK_NB);
    fl("basic", "a", a, LOCK_SH | LOCK_NB);
    fl("basic", "c", c, LOCK_UN);
    fl("basic", "c", c, LOCK_UN);

    /* Conversion is not atomic: a failed upgrade leaves no lock at all. */
    fl("convert", "a", a, LOCK_SH);
    fl("convert", "b", b, LOCK_SH);
    fl("convert", "a", a, LOCK_EX | LOCK_NB);
    fl("convert", "c", c, LOCK_EX | LOCK_NB);
    fl("convert", "b", b, LOCK_UN);
    fl("convert", "c", c, LOCK_EX | LOCK_NB);
    fl("convert", "c", c, LOCK_UN);

    /* dup shares the description's lock. */
    fl("dup", "a", a, LOCK_EX);
    int d = dup(a);
    fl("dup", "dup(a)", d, LOCK_EX | LOCK_NB);
    fl("dup", "dup(a)", d, LOCK_SH);
    fl("dup", "b", b, LOCK_SH | LOCK_NB);
    fl("dup", "b", b, LOCK_UN);
    fl("dup", "dup(a)", d, LOCK_UN);
    fl("dup", "b", b, LOCK_EX | LOCK_NB);
    fl("dup", "b", b, LOCK_UN);
    close(d);

    /* fork shares it too: a child's LOCK_UN releases our lock. */
    fl("fork", "a", a, LOCK_EX);
    printf("fork: child flock(b, EX|NB) -> %s\n", ename(in_child(b, LOCK_EX | LOCK_NB)));
    printf("fork: child flock(a, EX|NB) -> %s\n", ename(in_child(a, LOCK_EX | LOCK_NB)));
    printf("fork: child flock(a, UN) -> %s\n", ename(in_child(a, LOCK_UN)));
    fl("fork", "b", b, LOCK_EX | LOCK_NB);
    fl("fork", "b", b, LOCK_UN);
    /* A lock a child takes through an inherited description outlives the child. */
    printf("fork: child flock(a, SH) -> %s\n", ename(in_child(a, LOCK_SH)));
    fl("fork", "b", b, LOCK_EX | LOCK_NB);

    /* The last close of a description releases; closing one of two references does not. */
    d = dup(a);
    close(a);
    fl("close", "b", b, LOCK_EX | LOCK_NB);
    close(d);
    fl("close", "b", b, LOCK_EX | LOCK_NB);
    a = open(path, O_RDWR);
    fl("close", "a", a, LOCK_SH | LOCK_NB);
    fl("close", "b", b, LOCK_UN);

    /* Independent of fcntl record locks. */
    fl("fcntl", "a", a, LOCK_EX);
    struct flock rl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    int r = fcntl(b, F_SETLK, &rl);
    printf("fcntl: F_SETLK WR on b -> %s\n", r < 0 ? ename(errno) : "OK");
    pid_t ch = fork();
    if (ch == 0) {
        struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        fcntl(c, F_GETLK, &q);
        int nb = flock(c, LOCK_SH | LOCK_NB) < 0 ? errno : 0;
        printf("fcntl: child F_GETLK -> type %s pid-is-parent %d; flock(c, SH|NB) -> %s\n",
               q.l_type == F_WRLCK ? "WR" : q.l_type == F_UNLCK ? "UN" : "?", q.l_pid == getppid(), ename(nb));
        _exit(0);
    }
    waitpid(ch, NULL, 0);
    fl("fcntl", "a", a, LOCK_UN);
    rl.l_type = F_UNLCK;
    fcntl(b, F_SETLK, &rl);

    /* Errors: EINVAL for the operation comes before EBADF for the descriptor. */
    fl("error", "a", a, 0);
    fl("error", "a", a, LOCK_NB);
    fl("error", "a", a, LOCK_SH | LOCK_EX);
    fl("error", "a", a, LOCK_SH | LOCK_UN);
    fl("error", "a", a, 16 | LOCK_SH);
    fl("error", "a", a, 64 | LOCK_EX);
    fl("error", "-1", -1, LOCK_SH);
    fl("error", "-1", -1, LOCK_SH | LOCK_EX);
    fl("error", "-1", -1, LOCK_UN);
    fl("error", "99", 99, LOCK_EX);
    /* LOCK_MAND (32) requests are ignored since Linux 5.15, whatever the descriptor. */
    fl("error", "-1", -1, 32);
    fl("error", "a", a, 32 | 64 | LOCK_EX);
    int op = open(path, O_PATH);
    fl("error", "O_PATH", op, LOCK_SH);
    fl("error", "O_PATH", op, LOCK_UN);
    close(op);
    int wo = open(path, O_WRONLY);
    fl("mode", "O_WRONLY", wo, LOCK_SH);
    fl("mode", "O_RDONLY", c, LOCK_SH);
    fl("mode", "O_WRONLY", wo, LOCK_UN);
    fl("mode", "O_RDONLY", c, LOCK_UN);
    close(wo);

    /* Pipes have locks too. */
    int p[2];
    pipe(p);
    fl("pipe", "p[0]", p[0], LOCK_EX);
    fl("pipe", "p[1]", p[1], LOCK_EX | LOCK_NB);
    fl("pipe", "p[0]", p[0], LOCK_UN);

    /* Blocking: a child holds the lock and drops it once we are (probably) waiting. */
    ch = fork();
    if (ch == 0) {
        int mine = open(path, O_RDONLY);
        flock(mine, LOCK_EX);
        write(p[1], "h", 1);
        usleep(100000);
        _exit(0);
    }
    char x;
    read(p[0], &x, 1);
    fl("wait", "a", a, LOCK_EX);
    waitpid(ch, NULL, 0);
    fl("wait", "a", a, LOCK_UN);

    /* EINTR: a signal without SA_RESTART ends the wait. */
    ch = fork();
    if (ch == 0) {
        int mine = open(path, O_RDONLY);
        flock(mine, LOCK_SH);
        write(p[1], "h", 1);
        pause();
        _exit(0);
    }
    read(p[0], &x, 1);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 20000}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    fl("eintr", "a", a, LOCK_EX);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    fl("eintr", "a", a, LOCK_SH | LOCK_NB);
    fl("eintr", "a", a, LOCK_EX | LOCK_NB);
    kill(ch, SIGKILL);
    waitpid(ch, NULL, 0);
    fl("eintr", "a", a, LOCK_EX | LOCK_NB);

    close(p[0]);
    close(p[1]);
    close(a);
    close(b);
    close(c);
    unlink(path);
    return 0;
}
