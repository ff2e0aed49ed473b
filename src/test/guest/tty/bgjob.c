/* Background process groups and their controlling terminal (tty_jobctrl.c __tty_check_change,
 * n_tty_read's job_control, n_tty_write under TOSTOP, get_signal's orphaned-group rule):
 * a background reader is stopped by SIGTTIN and its read restarts once it is continued in the
 * foreground; it gets EIO when it ignores or blocks SIGTTIN; a background writer is stopped by
 * SIGTTOU only under TOSTOP, and goes on when it ignores SIGTTOU; tcsetattr and tcsetpgrp from
 * the background stop it unless SIGTTOU is ignored or blocked; an orphaned background group
 * gets EIO for reads and TOSTOP writes, and ignores SIGTSTP.
 * A session leader (the "shell") owns the pty and, as shells do, ignores SIGTTOU (its own group
 * is orphaned: its parent is in another session, so without that it gets EIO, or ENOTTY from
 * tcsetpgrp, whenever it is not in the foreground); each job is a child in a process group of
 * its own, and every step waits for the one before through pipes or waitpid. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "../errname.h"

static int m, s;

static void result(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, errname(errno));
    else printf("%s: %ld\n", what, r);
    fflush(stdout);
}

static void status(const char *who, int st) {
    if (WIFEXITED(st)) printf("%s exited %d\n", who, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s killed by signal %d\n", who, WTERMSIG(st));
    else if (WIFSTOPPED(st)) printf("%s stopped by signal %d\n", who, WSTOPSIG(st));
    fflush(stdout);
}

/* A job: a child in a process group of its own (a background one), running fn. */
static pid_t job(void (*fn)(void)) {
    pid_t p = fork();
    if (p == 0) {
        setpgid(0, 0);
        signal(SIGTTOU, SIG_DFL); /* as a shell resets them for a job */
        signal(SIGTTIN, SIG_DFL);
        fn();
        _exit(0);
    }
    setpgid(p, p);
    return p;
}

static void reader(void) {
    char buf[16];
    long n = read(s, buf, sizeof buf);
    if (n > 0) printf("reader got %ld \"%.*s\"\n", n, (int)n - 1, buf);
    else result("reader", n);
    fflush(stdout);
}

static void ignoring_reader(void) {
    signal(SIGTTIN, SIG_IGN);
    char c;
    result("read ignoring SIGTTIN", read(s, &c, 1));
}

static void blocking_reader(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTTIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    char c;
    result("read blocking SIGTTIN", read(s, &c, 1));
}

static void writer(void) {
    result("background write", write(s, "w\n", 2));
}

static void ignoring_writer(void) {
    signal(SIGTTOU, SIG_IGN);
    result("write ignoring SIGTTOU", write(s, "i\n", 2));
}

static void attr_setter(void) {
    struct termios t;
    tcgetattr(s, &t);
    result("background tcsetattr", tcsetattr(s, TCSANOW, &t));
}

static void blocked_attr_setter(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTTOU);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct termios t;
    tcgetattr(s, &t);
    result("tcsetattr blocking SIGTTOU", tcsetattr(s, TCSANOW, &t));
}

static void pgrp_taker(void) {
    signal(SIGTTOU, SIG_IGN); /* as a shell does */
    result("tcsetpgrp ignoring SIGTTOU", tcsetpgrp(s, getpgrp()));
    result("foreground is mine", tcgetpgrp(s) == getpgrp());
}

static int go[2], done[2];

/* The orphan: its parent exits, leaving its group with no parent in the session outside it. */
static void orphan_parent(void) {
    pid_t c = fork();
    if (c == 0) {
        char x;
        if (read(go[0], &x, 1) != 1) _exit(91);
        char b;
        result("orphaned read", read(s, &b, 1));
        result("orphaned TOSTOP write", write(s, "o\n", 2));
        raise(SIGTSTP); /* ignored in an orphaned group */
        printf("orphan not stopped by SIGTSTP\n");
        fflush(stdout);
        if (write(done[1], "d", 1) != 1) _exit(92);
        _exit(0);
    }
    _exit(0);
}

static void wait_for(pid_t p, const char *who) {
    int st;
    waitpid(p, &st, WUNTRACED);
    status(who, st);
}

static void set_tostop(int on) {
    struct termios t;
    tcgetattr(s, &t);
    if (on) t.c_lflag |= TOSTOP;
    else t.c_lflag &= ~TOSTOP;
    tcsetattr(s, TCSANOW, &t);
}

static void drain(void) {
    char buf[64];
    long n = read(m, buf, sizeof buf);
    printf("master read %ld \"", n);
    for (long i = 0; i < n; i++) {
        unsigned char c = buf[i];
        if (c >= 32 && c < 127) putchar(c);
        else printf("\\x%02x", c);
    }
    printf("\"\n");
    fflush(stdout);
}

static void shell(void) {
    setsid();
    s = open(ptsname(m), O_RDWR); /* the session's controlling terminal now */
    if (s < 0) _exit(80);
    struct termios t;
    tcgetattr(s, &t);
    t.c_oflag &= ~OPOST;
    t.c_lflag &= ~ECHO;
    tcsetattr(s, TCSANOW, &t);
    pid_t me = getpid();
    signal(SIGTTOU, SIG_IGN);

    /* a background reader stops; continued in the foreground, its read restarts and gets input */
    pid_t p = job(reader);
    wait_for(p, "reader");
    tcsetpgrp(s, p);
    if (write(m, "hi\n", 3) != 3) _exit(81);
    kill(p, SIGCONT);
    wait_for(p, "reader");
    /* the shell is in the background now (the reader's group, gone, is the foreground one) */
    signal(SIGTTOU, SIG_DFL);
    result("orphaned shell's tcsetpgrp", tcsetpgrp(s, me));
    result("orphaned shell's tcsetattr", tcsetattr(s, TCSANOW, &t));
    char c;
    result("orphaned shell's read", read(s, &c, 1));
    signal(SIGTTOU, SIG_IGN);
    result("shell takes the foreground", tcsetpgrp(s, me));

    wait_for(job(ignoring_reader), "ignoring reader");
    wait_for(job(blocking_reader), "blocking reader");

    /* writes: free without TOSTOP; stopped under it, unless SIGTTOU is ignored */
    wait_for(job(writer), "writer");
    drain();
    set_tostop(1);
    p = job(writer);
    wait_for(p, "writer");
    kill(p, SIGKILL);
    wait_for(p, "writer");
    wait_for(job(ignoring_writer), "ignoring writer");
    drain();

    /* settings and the foreground group */
    p = job(attr_setter);
    wait_for(p, "attr setter");
    kill(p, SIGKILL);
    wait_for(p, "attr setter");
    wait_for(job(blocked_attr_setter), "blocked attr setter");
    wait_for(job(pgrp_taker), "pgrp taker");
    result("shell in foreground", tcgetpgrp(s) == me);
    result("shell takes it back", tcsetpgrp(s, me));

    /* an orphaned background group (TOSTOP still on) */
    pipe(go);
    pipe(done);
    wait_for(job(orphan_parent), "orphan's parent");
    if (write(go[1], "g", 1) != 1) _exit(82);
    char x;
    if (read(done[0], &x, 1) != 1) _exit(83);
    set_tostop(0);
    _exit(0);
}

int main(void) {
    m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0) {
        perror("posix_openpt");
        return 1;
    }
    pid_t sh = fork();
    if (sh == 0) shell();
    int st;
    waitpid(sh, &st, 0);
    status("shell", st);
    return 0;
}
