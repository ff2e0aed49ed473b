/* Stack overflow caught on an alternate signal stack (SA_ONSTACK), then siglongjmp back. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static sigjmp_buf env;
static char *alt;
static volatile int on_alt;

static void handler(int sig) {
    char local;
    on_alt = &local > alt && &local < alt + SIGSTKSZ * 4;
    stack_t cur;
    sigaltstack(0, &cur);
    printf("handler sig=%d on_alt=%d ss_flags=%d\n", sig, on_alt, cur.ss_flags);
    siglongjmp(env, 1);
}

static int recurse(int n) {
    volatile char buf[1024];
    buf[0] = (char)n;
    return recurse(n + 1) + buf[0];
}

int main(void) {
    struct rlimit rl = {8 << 20, 8 << 20};
    setrlimit(RLIMIT_STACK, &rl);
    alt = malloc(SIGSTKSZ * 4);
    stack_t ss = {.ss_sp = alt, .ss_size = SIGSTKSZ * 4, .ss_flags = 0};
    if (sigaltstack(&ss, 0) != 0) {
        perror("sigaltstack");
        return 1;
    }
    stack_t old;
    sigaltstack(0, &old);
    printf("registered: flags=%d size_ok=%d\n", old.ss_flags, old.ss_size == SIGSTKSZ * 4);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGSEGV, &sa, 0);
    if (sigsetjmp(env, 1) == 0) {
        recurse(0);
    }
    printf("back: on_alt=%d\n", on_alt);
    stack_t small = {.ss_sp = alt, .ss_size = 100, .ss_flags = 0};
    printf("too small: %d\n", sigaltstack(&small, 0));
    return 0;
}
