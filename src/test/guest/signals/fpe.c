/* SIGFPE from integer division by zero and INT_MIN / -1; the default action kills with SIGFPE. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>

static sigjmp_buf env;
static volatile int code;

static void handler(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)uc;
    code = si->si_code;
    siglongjmp(env, 1);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, 0);
    volatile int zero = 0, m1 = -1, min = INT_MIN;
    if (!sigsetjmp(env, 0)) {
        printf("%d\n", 7 / zero);
    }
    printf("div by zero: code=%d\n", code);
    if (!sigsetjmp(env, 0)) {
        printf("%d\n", min / m1);
    }
    printf("overflow: code=%d\n", code);
    fflush(stdout);
    signal(SIGFPE, SIG_DFL);
    int q = 7;
    __asm__ volatile("cltd\n\tidivl %1" : "+a"(q) : "r"(zero) : "rdx");
    return q;
}
