/* A pty as a controlling terminal (drivers/tty/tty_jobctrl.c, n_tty's isig): a session leader
 * that opens the slave without O_NOCTTY gets it; /dev/tty then opens it (ENXIO before);
 * TIOCGSID, TIOCGPGRP, TIOCSPGRP and its errors; ^C, ^Z and ^C again reach the foreground
 * process group only (flushing the input); closing the master hangs up the session leader.
 * Each step waits for the one before through pipes, so nothing depends on timing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "../errname.h"

static int to_parent[2], to_child[2], ready[2];
static int m, ps;
static char echoed[256];
static long nechoed;
static volatile int sigints;

static void result(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, errname(errno));
    else printf("%s: %ld\n", what, r);
}

static void tell(int fd, char c) {
    if (write(fd, &c, 1) != 1) _exit(90);
}

static char hear(int fd) {
    char c = 0;
    if (read(fd, &c, 1) != 1) _exit(91);
    return c;
}

static void on_sigint(int sig) {
    (void)sig;
    sigints++;
}

static void status(const char *who, int st) {
    if (WIFEXITED(st)) printf("%s exited %d\n", who, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s killed by signal %d\n", who, WTERMSIG(st));
    else if (WIFSTOPPED(st)) printf("%s stopped by signal %d\n", who, WSTOPSIG(st));
}

static void show(const char *what, const char *buf, long n) {
    printf("%s: %ld \"", what, n);
    for (long i = 0; i < n; i++) {
        unsigned char c = buf[i];
        if (c >= 32 && c < 127 && c != '\\' && c != '"') putchar(c);
        else printf("\\x%02x", c);
    }
    printf("\"\n");
}

static void child(const char *name) {
    close(m);
    close(ps);
    setsid();
    result("open /dev/tty without a controlling terminal", open("/dev/tty", O_RDWR));
    int s = open(name, O_RDWR);
    pid_t sid = -1, pgrp = -1;
    result("TIOCGSID", ioctl(s, TIOCGSID, &sid));
    printf("session is mine %d\n", sid == getpid());
    result("TIOCGPGRP", ioctl(s, TIOCGPGRP, &pgrp));
    printf("foreground group is mine %d\n", pgrp == getpgrp());
    int t = open("/dev/tty", O_RDWR);
    struct stat st;
    fstat(t, &st);
    printf("/dev/tty opened %d rdev %u,%u\n", t >= 0, major(st.st_rdev), minor(st.st_rdev));
    result("TIOCSCTTY again", ioctl(s, TIOCSCTTY, 0));
    pid_t bad = 0x3ffffff0;
    result("TIOCSPGRP no such group", ioctl(s, TIOCSPGRP, &bad));
    bad = getpgid(getppid());
    result("TIOCSPGRP other session", ioctl(s, TIOCSPGRP, &bad));
    bad = -1;
    result("TIOCSPGRP negative", ioctl(s, TIOCSPGRP, &bad));

    /* ^C with a handler: the input before it is flushed. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    tell(to_parent[1], 'a');
    sigsuspend(&empty);
    printf("SIGINTs %d\n", sigints);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    tell(to_parent[1], 'b');
    char buf[64];
    long n = read(s, buf, sizeof buf);
    show("after the flush", buf, n);

    /* A background job's terminal: ^Z and ^C go to the foreground group alone. */
    pid_t g = fork();
    if (g == 0) {
        setpgid(0, 0);
        signal(SIGINT, SIG_DFL);
        tell(ready[1], 'r');
        hear(to_child[0]);
        for (;;) {
            n = read(s, buf, sizeof buf);
            if (n <= 0) _exit(3);
        }
    }
    setpgid(g, g);
    hear(ready[0]);
    result("TIOCSPGRP to the job", ioctl(s, TIOCSPGRP, &g));
    ioctl(s, TIOCGPGRP, &pgrp);
    printf("foreground group is the job's %d\n", pgrp == g);
    tell(to_child[1], 'x');
    tell(to_parent[1], 'c');
    int wst;
    waitpid(g, &wst, WUNTRACED);
    status("job", wst);
    kill(g, SIGCONT);
    tell(to_parent[1], 'd');
    waitpid(g, &wst, 0);
    status("job", wst);
    printf("SIGINTs of the leader %d\n", sigints);
    result("TIOCGPGRP with the group gone", ioctl(s, TIOCGPGRP, &pgrp));
    printf("foreground group still the job's %d\n", pgrp == g);

    /* The master closes: the session leader is hung up. */
    tell(to_parent[1], 'e');
    for (;;) pause();
}

/* Collects what the master has to read once Linux's line discipline is done with the last
 * input: a poll on a slave that has no input waits for the pending receive work, and a read of
 * the master that finds nothing for the master's own; a later ^C's flush can drop nothing. */
static void collect(void) {
    struct pollfd p = {ps, POLLIN, 0};
    poll(&p, 1, 0);
    long r;
    while ((r = read(m, echoed + nechoed, sizeof echoed - nechoed)) > 0) nechoed += r;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    int zero = 0;
    unsigned n;
    ioctl(m, TIOCSPTLCK, &zero);
    ioctl(m, TIOCGPTN, &n);
    char name[32];
    snprintf(name, sizeof name, "/dev/pts/%u", n);
    pid_t pgrp = -1, sid = -1;
    result("master TIOCGPGRP without a session", ioctl(m, TIOCGPGRP, &pgrp));
    printf("pgrp %d\n", pgrp);
    result("master TIOCGSID without a session", ioctl(m, TIOCGSID, &sid));
    pipe(to_parent);
    pipe(to_child);
    pipe(ready);
    fcntl(m, F_SETFL, O_NONBLOCK);
    ps = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
    pid_t pid = fork();
    if (pid == 0) child(name);

    hear(to_parent[0]);
    write(m, "abc\x03", 4);
    hear(to_parent[0]);
    collect();
    write(m, "def\n", 4);
    hear(to_parent[0]);
    collect();
    write(m, "\x1a", 1);
    hear(to_parent[0]);
    collect();
    write(m, "\x03", 1);
    hear(to_parent[0]);
    collect();
    result("master TIOCGSID", ioctl(m, TIOCGSID, &sid));
    printf("session is the child's %d\n", sid == pid);
    ioctl(m, TIOCGPGRP, &pgrp);
    printf("master sees a foreground group other than the child %d\n", pgrp != pid && pgrp > 0);
    show("master", echoed, nechoed);
    close(m);
    int st;
    waitpid(pid, &st, 0);
    status("session leader", st);

    /* A session leader that exits hangs up its foreground group (disassociate_ctty), and the
     * terminal is free for another session. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    ioctl(m, TIOCSPTLCK, &zero);
    ioctl(m, TIOCGPTN, &n);
    snprintf(name, sizeof name, "/dev/pts/%u", n);
    pid = fork();
    if (pid == 0) {
        close(m);
        setsid();
        int s = open(name, O_RDWR);
        pid_t c = fork();
        if (c == 0) {
            tell(ready[1], 'r');
            for (;;) pause();
        }
        hear(ready[0]);
        _exit(s >= 0 ? 0 : 1);
    }
    waitpid(pid, &st, 0);
    status("exiting leader", st);
    pid_t other = wait(&st);
    printf("its job was its child %d\n", other > pid);
    status("its job", st);
    pid = fork();
    if (pid == 0) {
        setsid();
        int s = open(name, O_RDWR | O_NOCTTY);
        result("another session's TIOCSCTTY", ioctl(s, TIOCSCTTY, 0));
        _exit(0);
    }
    waitpid(pid, &st, 0);
    return 0;
}
