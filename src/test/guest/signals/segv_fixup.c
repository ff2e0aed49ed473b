#define _GNU_SOURCE
/* A SIGSEGV handler that mprotects the page and returns: the store is retried and succeeds. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static char *volatile page;
static volatile int faults;

static void handler(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    faults++;
    char *addr = si->si_addr;
    if (addr < page || addr >= page + 4096) {
        _exit(3);
    }
    /* trapno 14 (#PF), error code: user|write|protection = 7. */
    printf("handler: sig=%d code=%d off=%ld trapno=%lld err=%lld cr2_ok=%d\n", sig, si->si_code,
           (long)(addr - page), (long long)uc->uc_mcontext.gregs[REG_TRAPNO],
           (long long)uc->uc_mcontext.gregs[REG_ERR], (char *)uc->uc_mcontext.gregs[REG_CR2] == addr);
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    page[100] = 42;
    printf("after: %d faults=%d\n", page[100], faults);
    /* Registers survive the handler: a computation around a fault. */
    mprotect(page, 4096, PROT_READ);
    long a = 0x1234, b = 0x5678, c;
    __asm__ volatile("mov %1, %%r12\n\tmov %2, %%r13\n\tmovb $1, (%3)\n\tlea (%%r12,%%r13), %0"
                     : "=r"(c) : "r"(a), "r"(b), "r"(page + 5) : "r12", "r13", "memory");
    printf("sum=%lx faults=%d\n", c, faults);
    return 0;
}
