/* fork + wait: exit codes, signal deaths (WIFSIGNALED/WTERMSIG), WNOHANG, waitid, SIGCHLD, getppid. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int chld;
static void on_chld(int sig) {
    (void)sig;
    chld++;
}

int main(void) {
    signal(SIGCHLD, on_chld);
    pid_t self = getpid();
    for (int code = 0; code < 4; code++) {
        pid_t p = fork();
        if (p == 0) {
            if (getppid() != self) {
                _exit(99);
            }
            _exit(code * 10);
        }
        int st;
        pid_t w;
        while ((w = waitpid(p, &st, 0)) < 0) {
        }
        printf("child %d: same=%d exited=%d code=%d\n", code, w == p, WIFEXITED(st), WEXITSTATUS(st));
    }
    int sigs[] = {SIGTERM, SIGKILL, SIGUSR1};
    for (int i = 0; i < 3; i++) {
        pid_t p = fork();
        if (p == 0) {
            kill(getpid(), sigs[i]);
            for (;;) pause();
        }
        int st;
        while (waitpid(p, &st, 0) < 0) {
        }
        printf("killed: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
    }
    pid_t p = fork();
    if (p == 0) {
        pause();
        _exit(0);
    }
    int st;
    printf("wnohang: %d\n", waitpid(p, &st, WNOHANG));
    kill(p, SIGINT);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    while (waitid(P_PID, p, &si, WEXITED) < 0) {
    }
    printf("waitid: pid_ok=%d code=%d status=%d signo=%d\n", si.si_pid == p, si.si_code, si.si_status, si.si_signo);
    printf("echild: %d\n", waitpid(-1, &st, 0));
    printf("sigchld seen: %d\n", chld > 0);
    /* memory is copied: the child's writes do not reach the parent */
    static int value = 1;
    p = fork();
    if (p == 0) {
        value = 2;
        _exit(value);
    }
    waitpid(p, &st, 0);
    printf("value=%d child=%d\n", value, WEXITSTATUS(st));
    fflush(stdout);
    /* stopped and continued */
    p = fork();
    if (p == 0) {
        for (;;) pause();
    }
    kill(p, SIGSTOP);
    waitpid(p, &st, WUNTRACED);
    printf("stopped=%d sig=%d\n", WIFSTOPPED(st), WSTOPSIG(st));
    kill(p, SIGCONT);
    waitpid(p, &st, WCONTINUED);
    printf("continued=%d\n", WIFCONTINUED(st));
    kill(p, SIGKILL);
    waitpid(p, &st, 0);
    printf("then killed=%d\n", WTERMSIG(st));
    return 0;
}
