/* SSE arithmetic with exceptions unmasked (SDM Vol. 1, 11.5.1 and 11.5.2): a pre-computation
 * exception (invalid, denormal, divide-by-zero) in any element stops the instruction before it
 * computes, so the MXCSR a SIGFPE handler sees holds only those flags; an unmasked overflow
 * whose wrapped result is exact sets OE without PE. Compared with the host CPU. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) v128;
static sigjmp_buf jb;
static void on_fpe(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    printf("  SIGFPE code %d flags %02x\n", si->si_code, uc->uc_mcontext.fpregs->mxcsr & 0x3f);
    siglongjmp(jb, sig);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_sigaction = on_fpe; sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, 0);
    static v128 a1 = {{0x7f0000007f000000ull, 0x3f8000003dcccccdull}}; /* big big 0.1 1 */
    static v128 a2 = {{0x7f0000007f000000ull, 0x3f8000003f800000ull}};
    static v128 d1 = {{0x7ff4000000000000ull, 0x7fefffffffffffffull}};
    static v128 d2 = {{0x3ff0000000000000ull, 0x7fefffffffffffffull}};
    static v128 d3 = {{0x0000000000000001ull, 0x7fefffffffffffffull}};
    for (int k = 0; k < 7; k++) {
        static const uint32_t csrs[] = {0x1b80, 0x1b80, 0x1f00, 0x1e80, 0x1780, 0x1b80, 0x0f80};
        uint32_t csr = csrs[k];
        if (sigsetjmp(jb, 1)) { continue; }
        printf("case %d\n", k);
        v128 r;
        switch (k) {
        case 0: __asm__ volatile("movdqa %1, %%xmm1\nldmxcsr %2\nmulps %1, %%xmm1\nmovdqa %%xmm1, %0" : "=m"(r) : "m"(a1), "m"(csr) : "xmm1"); break;
        case 1: __asm__ volatile("movdqa %1, %%xmm1\nldmxcsr %2\nmulps %1, %%xmm1\nmovdqa %%xmm1, %0" : "=m"(r) : "m"(a2), "m"(csr) : "xmm1"); break;
        case 2: __asm__ volatile("movdqa %1, %%xmm1\nldmxcsr %3\naddpd %2, %%xmm1\nmovdqa %%xmm1, %0" : "=m"(r) : "m"(d1), "m"(d2), "m"(csr) : "xmm1"); break;
        case 3: __asm__ volatile("movdqa %1, %%xmm1\nldmxcsr %3\naddpd %2, %%xmm1\nmovdqa %%xmm1, %0" : "=m"(r) : "m"(d3), "m"(d2), "m"(csr) : "xmm1"); break;
        case 4: __asm__ volatile("movdqa %1, %%xmm1\nldmxcsr %3\naddpd %2, %%xmm1\nmovdqa %%xmm1, %0" : "=m"(r) : "m"(d3), "m"(d2), "m"(csr) : "xmm1"); break;
        case 5: __asm__ volatile("movdqa %1, %%xmm1\nldmxcsr %3\naddsd %2, %%xmm1\nmovdqa %%xmm1, %0" : "=m"(r) : "m"(d2), "m"(d2), "m"(csr) : "xmm1"); break;
        default: __asm__ volatile("movdqa %1, %%xmm1\nldmxcsr %3\naddsd %2, %%xmm1\nmovdqa %%xmm1, %0" : "=m"(r) : "m"(d3), "m"(d2), "m"(csr) : "xmm1"); break;
        }
        printf("  no trap\n");
    }
    return 0;
}
