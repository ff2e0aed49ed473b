/* A process group that an exit leaves orphaned while one of its members is stopped gets SIGHUP
 * and then SIGCONT (exit.c kill_orphaned_pgrp; POSIX _exit: "If the exit of the process causes a
 * process group to become orphaned, and if any member of the newly-orphaned process group is
 * stopped, then a SIGHUP signal followed by a SIGCONT signal shall be sent to each process in
 * the newly-orphaned process group").
 * Each case runs in a session of its own: a child of main calls setsid (so nothing outside links
 * the session's groups) and forks P, which makes its own group and forks Q into it. P's parent,
 * the session leader, is in another group of the session: P is the group's link. When P exits,
 * Q goes to init (which links nothing), and the group is orphaned unless another member still
 * has a parent in the leader's group. Q's handlers only count the signals (with SIGHUP's
 * si_code), and Q reports through a pipe that main reads to EOF. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hups, conts, hup_code;
static int report;

static void on_hup(int sig, siginfo_t *si, void *uc) {
    (void) sig; (void) uc;
    hups++;
    hup_code = si->si_code;
}

static void on_cont(int sig) {
    (void) sig;
    conts++;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
    char buf[200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (write(report, buf, n) != n) _exit(90);
}

static void handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_hup;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGHUP, &sa, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_cont;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCONT, &sa, NULL);
}

/* Q, once its parent P has gone: what it was sent. */
static void q_report(const char *name, pid_t p) {
    while (getppid() == p) usleep(1000);
    say("%s got SIGHUP %d time(s)%s, SIGCONT %d time(s)\n", name, (int) hups,
        hups ? (hup_code == SI_KERNEL ? " (SI_KERNEL)" : " (other si_code)") : "", (int) conts);
}

/* Forks Q, which stops itself and, once continued, reports as "name" after its parent has
 * gone; returns when Q is stopped, with its wait status in *st. */
static pid_t stopped_q(const char *name, int *st) {
    pid_t me = getpid();
    pid_t q = fork();
    if (q == 0) {
        handlers();
        raise(SIGSTOP);
        q_report(name, me);
        _exit(0);
    }
    if (waitpid(q, st, WUNTRACED) != q || !WIFSTOPPED(*st)) _exit(91);
    return q;
}

/* Case 1: Q stops itself; P sees it stopped, then exits. */
static void stopped_member(void) {
    pid_t p = fork();
    if (p == 0) {
        setpgid(0, 0);
        int st;
        stopped_q("stopped member: Q", &st);
        say("stopped member: P saw Q stopped by signal %d\n", WSTOPSIG(st));
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
}

/* Case 2: Q runs (not stopped) when P exits: nothing is sent. */
static void running_member(void) {
    int ready[2];
    if (pipe(ready) < 0) _exit(92);
    pid_t p = fork();
    if (p == 0) {
        setpgid(0, 0);
        pid_t me = getpid();
        pid_t q = fork();
        if (q == 0) {
            handlers();
            close(ready[0]);
            close(ready[1]);
            q_report("running member: Q", me);
            _exit(0);
        }
        close(ready[1]);
        char c;
        if (read(ready[0], &c, 1) != 0) _exit(93); /* Q has closed its end: its handlers are set */
        _exit(0);
    }
    close(ready[0]);
    close(ready[1]);
    int st;
    waitpid(p, &st, 0);
}

/* Case 3: Q stops, but R (a child of the leader that joined P's group) still links the group to
 * the session when P exits: nothing is sent, Q stays stopped until the leader continues it. */
static void linked_group(void) {
    int up[2], down[2]; /* P to the leader, the leader to P */
    if (pipe(up) < 0 || pipe(down) < 0) _exit(94);
    pid_t p = fork();
    if (p == 0) {
        setpgid(0, 0);
        int st;
        pid_t q = stopped_q("linked group: Q", &st);
        if (write(up[1], &q, sizeof q) != sizeof q) _exit(96);
        /* wait until R has joined the group */
        char c;
        if (read(down[0], &c, 1) != 1) _exit(97);
        _exit(0);
    }
    pid_t q;
    if (read(up[0], &q, sizeof q) != sizeof q) _exit(98);
    pid_t r = fork();
    if (r == 0) {
        pause();
        _exit(0);
    }
    if (setpgid(r, p) < 0) say("linked group: setpgid: %s\n", strerror(errno));
    if (write(down[1], "x", 1) != 1) _exit(99);
    int st;
    waitpid(p, &st, 0);
    /* P is gone; had the group been hung up, Q would have run its report already. */
    usleep(100000);
    say("linked group: P exited, R still in the group\n");
    kill(q, SIGCONT);
    kill(r, SIGKILL);
    waitpid(r, &st, 0);
}

/* Runs fn in a new session; returns once every process fn started has exited (they all hold
 * the write end of "done", which reaches EOF then). */
/* Case 4: P's child Y makes a group of its own and forks Z into it; Z stops. Y's parent P (in
 * another group of the session) links Y's group; when P exits, Y and Z both go to init and the
 * group is orphaned with Z stopped: both get SIGHUP and SIGCONT. */
static void child_group(void) {
    pid_t p = fork();
    if (p == 0) {
        setpgid(0, 0);
        pid_t me = getpid();
        int up[2];
        if (pipe(up) < 0) _exit(81);
        pid_t y = fork();
        if (y == 0) {
            setpgid(0, 0);
            handlers();
            pid_t z = fork();
            if (z == 0) {
                raise(SIGSTOP); /* continued only by the hang-up */
                say("child group: Z got SIGHUP %d time(s), SIGCONT %d time(s)\n", (int) hups, (int) conts);
                _exit(0);
            }
            int st;
            if (waitpid(z, &st, WUNTRACED) != z || !WIFSTOPPED(st)) _exit(82);
            if (write(up[1], "x", 1) != 1) _exit(83);
            if (waitpid(z, &st, 0) != z) _exit(84);
            q_report("child group: Y", me);
            _exit(0);
        }
        char c;
        if (read(up[0], &c, 1) != 1) _exit(85); /* Z is stopped */
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
}

static void in_session(void (*fn)(void)) {
    pid_t leader = fork();
    if (leader == 0) {
        int done[2];
        if (setsid() < 0 || pipe(done) < 0) _exit(80);
        fn();
        close(done[1]);
        char c;
        while (read(done[0], &c, 1) > 0) {
        }
        _exit(0);
    }
    int st;
    waitpid(leader, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) say("session leader: status %#x\n", st);
}

int main(void) {
    int fds[2];
    if (pipe(fds) < 0) return 1;
    pid_t runner = fork();
    if (runner == 0) {
        close(fds[0]);
        report = fds[1];
        in_session(stopped_member);
        in_session(running_member);
        in_session(linked_group);
        in_session(child_group);
        _exit(0);
    }
    close(fds[1]);
    /* Each case's lines are in the order the processes' handshakes force; Q's reports come after
     * P's exit. Read everything (EOF once every Q has exited), then print. */
    char buf[4096];
    size_t len = 0;
    ssize_t n;
    while ((n = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0) len += n;
    buf[len] = 0;
    fputs(buf, stdout);
    int st;
    waitpid(runner, &st, 0);
    printf("runner exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
