/*
 * A child's exit and stop make SIGCHLD pending before they wake the parent's wait
 * (do_notify_parent, do_notify_parent_cldstop): a parent blocked in waitpid runs its handler on
 * the way back, so the handler has run when waitpid returns. The children wait a little before
 * exiting or stopping so that the parent is blocked by then. (A continuation is reported to
 * wait before its SIGCHLD is sent, on Linux too: not counted.) A stopped child shows state T in
 * /proc/PID/stat.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t count;
static volatile int codes[8];

static void on_chld(int sig, siginfo_t *si, void *ctx) {
    (void) sig;
    (void) ctx;
    if (count < 8) codes[count] = si->si_code;
    count++;
}

static const char *code_name(int c) {
    switch (c) {
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    case CLD_STOPPED: return "CLD_STOPPED";
    case CLD_CONTINUED: return "CLD_CONTINUED";
    default: return "other";
    }
}

static char state(pid_t p) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int) p);
    FILE *f = fopen(path, "r");
    if (!f) return '?';
    if (!fgets(buf, sizeof buf, f)) buf[0] = 0;
    fclose(f);
    char *r = strrchr(buf, ')');
    return r ? r[2] : '?';
}

static void report(const char *what, pid_t r, pid_t p) {
    printf("%-28s waitpid %s, handler ran %d time(s)", what, r == p ? "ok" : "failed", (int) count);
    for (int i = 0; i < count && i < 8; i++) printf(" %s", code_name(codes[i]));
    printf("\n");
    fflush(stdout);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    int st;

    pid_t p = fork();
    if (p == 0) {
        usleep(100000);
        _exit(3);
    }
    pid_t r = waitpid(p, &st, 0);
    report("exit:", r, p);
    printf("status: exited %d code %d\n", WIFEXITED(st), WEXITSTATUS(st));

    /* The child exits while the parent enters waitpid: a zombie that wait sees has signalled. */
    int ok = 0;
    for (int i = 0; i < 20; i++) {
        count = 0;
        p = fork();
        if (p == 0) _exit(0);
        r = waitpid(p, &st, 0);
        if (r != p || count != 1) {
            report("exit at once:", r, p);
            break;
        }
        ok++;
    }
    printf("exit at once: handler ran before waitpid returned %d times of 20\n", ok);

    count = 0;
    p = fork();
    if (p == 0) {
        usleep(100000);
        raise(SIGSTOP);
        for (;;) pause();
    }
    r = waitpid(p, &st, WUNTRACED);
    report("stop:", r, p);
    printf("status: stopped %d by %d, /proc state %c\n", WIFSTOPPED(st), WSTOPSIG(st), state(p));
    kill(p, SIGCONT);
    r = waitpid(p, &st, WCONTINUED);
    printf("continue: waitpid %s, continued %d\n", r == p ? "ok" : "failed", WIFCONTINUED(st));
    kill(p, SIGKILL);
    r = waitpid(p, &st, 0);
    printf("kill: waitpid %s, signaled %d by %d\n", r == p ? "ok" : "failed", WIFSIGNALED(st), WTERMSIG(st));
    return 0;
}
