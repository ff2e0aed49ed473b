/* SA_SIGINFO handlers for synchronous faults: si_signo, si_code, si_addr; siglongjmp out. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void handler(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    got_sig = si->si_signo;
    got_code = si->si_code;
    got_addr = si->si_addr;
    siglongjmp(env, sig);
}

static void install(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, 0);
}

int main(void) {
    install(SIGSEGV);
    install(SIGFPE);
    install(SIGILL);
    install(SIGTRAP);
    install(SIGBUS);
    char *p = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(env, 1) == 0) {
        p[10] = 1;
    }
    printf("write ro: sig=%d code=%d addr_ok=%d\n", got_sig, got_code, got_addr == p + 10);
    munmap(p, 4096);
    if (sigsetjmp(env, 1) == 0) {
        (void)*(volatile char *)(p + 20);
    }
    printf("read unmapped: sig=%d code=%d addr_ok=%d\n", got_sig, got_code, got_addr == p + 20);
    if (sigsetjmp(env, 1) == 0) {
        volatile int zero = 0;
        volatile int x = 7 / zero;
        (void)x;
    }
    printf("div0: sig=%d code=%d\n", got_sig, got_code);
    if (sigsetjmp(env, 1) == 0) {
        __asm__ volatile("ud2");
    }
    printf("ud2: sig=%d code=%d\n", got_sig, got_code);
    if (sigsetjmp(env, 1) == 0) {
        __asm__ volatile("int3");
    }
    printf("int3: sig=%d code=%d\n", got_sig, got_code);
    /* The mask was restored by siglongjmp(env, 1): a second fault is delivered again. */
    if (sigsetjmp(env, 1) == 0) {
        *(volatile int *)0 = 1;
    }
    printf("null: sig=%d code=%d addr=%p\n", got_sig, got_code, got_addr);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, 0, &cur);
    printf("segv blocked after siglongjmp: %d\n", sigismember(&cur, SIGSEGV));
    return 0;
}
