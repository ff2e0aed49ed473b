/* sigwaitinfo(2) and sigtimedwait(2) for blocked signals whose disposition ignores them
 * (SIGCHLD and SIGURG by default, SIGUSR1 set to SIG_IGN): a signal that arrives while the
 * wait is under way must be taken by it, not dropped as ignored (Linux keeps the blocked mask
 * in real_blocked while it waits). The children signal only after a delay, so the parent is
 * waiting by then; the waits have long timeouts, and nothing printed depends on timing. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../errname.h"

static void wait_for(const char *what, int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    struct timespec ten = {10, 0};
    siginfo_t si;
    int got = sigtimedwait(&s, &si, &ten);
    if (got < 0) printf("%s: %s\n", what, errname(errno));
    else printf("%s: signal %d code %d\n", what, got, si.si_code);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGUSR1, SIG_IGN);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigaddset(&block, SIGURG);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        _exit(4);
    }
    wait_for("child exited", SIGCHLD);
    int st;
    waitpid(pid, &st, 0);
    printf("status %d\n", WEXITSTATUS(st));
    int sigs[] = {SIGURG, SIGUSR1};
    for (int i = 0; i < 2; i++) {
        pid = fork();
        if (pid == 0) {
            usleep(50000);
            kill(getppid(), sigs[i]);
            _exit(0);
        }
        wait_for(i == 0 ? "SIGURG (default ignore)" : "SIGUSR1 (SIG_IGN)", sigs[i]);
        waitpid(pid, NULL, 0);
    }
    return 0;
}
