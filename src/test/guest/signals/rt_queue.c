/* Real-time signals queue every instance, in order, with their values; standard ones merge. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int order[64], values[64], n;

static void handler(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    order[n] = sig;
    values[n] = si->si_value.sival_int;
    n++;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &sa, 0);
    sigaction(SIGRTMIN + 3, &sa, 0);
    sigaction(SIGUSR1, &sa, 0);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigaddset(&set, SIGRTMIN + 3);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    for (int i = 0; i < 3; i++) {
        union sigval v = {.sival_int = 100 + i};
        sigqueue(getpid(), SIGRTMIN + 3, v);
        v.sival_int = 200 + i;
        sigqueue(getpid(), SIGRTMIN, v);
        kill(getpid(), SIGUSR1);
    }
    sigset_t pend;
    sigpending(&pend);
    printf("pending: rt0=%d rt3=%d usr1=%d\n", sigismember(&pend, SIGRTMIN), sigismember(&pend, SIGRTMIN + 3),
           sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, 0);
    for (int i = 0; i < n; i++) {
        printf("%d: sig=%d value=%d\n", i, order[i] == SIGUSR1 ? -1 : order[i] - SIGRTMIN,
               order[i] == SIGUSR1 ? 0 : values[i]);
    }
    /* sigtimedwait picks a blocked signal synchronously. */
    sigprocmask(SIG_BLOCK, &set, 0);
    union sigval v = {.sival_int = 77};
    sigqueue(getpid(), SIGRTMIN + 3, v);
    siginfo_t si;
    struct timespec ts = {0, 0};
    int s = sigtimedwait(&set, &si, &ts);
    printf("sigtimedwait: %d value=%d code=%d\n", s - SIGRTMIN, si.si_value.sival_int, si.si_code);
    s = sigtimedwait(&set, &si, &ts);
    printf("empty: %d\n", s);
    return 0;
}
