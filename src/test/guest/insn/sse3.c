/*
 * SSE3: ADDSUBPD/PS, HADDPD/PS, HSUBPD/PS over edge operands (zeros, denormals, normals,
 * infinities, quiet and signalling NaNs with payloads) under every MXCSR rounding mode and with
 * FTZ/DAZ, with register and memory sources: each result in hex with the MXCSR flags it raised.
 * Unmasked exceptions: SIGFPE, the destination unchanged. MOVDDUP, MOVSLDUP, MOVSHDUP, LDDQU
 * (at every misalignment), #GP (SIGSEGV) on misaligned m128 where the SDM requires alignment,
 * #UD (SIGILL) for LDDQU with a register operand, and FISTTP m16/m32/m64.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) v128;

static inline uint32_t getcsr(void) { uint32_t m; __asm__ volatile("stmxcsr %0" : "=m"(m)); return m; }
static inline void setcsr(uint32_t m) { __asm__ volatile("ldmxcsr %0" : : "m"(m)); }

static const uint64_t D[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x8010000000000001ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3ff0000000000001ull, 0x4008000000000000ull, 0x3fd5555555555555ull, 0x3ca0000000000000ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0xfff8000000000123ull, 0x7ff4000000000001ull, 0x4340000000000001ull,
    0xc34fffffffffffffull, 0x0018000000000000ull,
};
static const uint32_t F[] = {
    0x00000000u, 0x80000000u, 0x00000001u, 0x807fffffu, 0x00800000u, 0x80800001u, 0x3f800000u,
    0xbf800000u, 0x3f800001u, 0x40400000u, 0x3eaaaaabu, 0x33800000u, 0x7f7fffffu, 0xff7fffffu,
    0x7f800000u, 0xff800000u, 0x7fc00000u, 0xffc00123u, 0x7fa00001u, 0x4b800001u, 0xcbffffffu,
    0x00c00000u,
};
#define ND (sizeof D / sizeof D[0])
#define NF (sizeof F / sizeof F[0])

static const uint32_t MODES[] = {0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0x9fc0};
#define NM (sizeof MODES / sizeof MODES[0])

/* xmm1 = a; insn b, xmm1 with b in memory (mem) or in xmm10 */
#define FOP(fn, insn)                                                                          \
    static v128 fn(v128 a, v128 b, uint32_t csr, int mem, uint32_t *flags) {                   \
        v128 r;                                                                                \
        setcsr(csr);                                                                           \
        if (mem)                                                                               \
            __asm__ volatile("movdqa %1, %%xmm1\n\t" insn " %2, %%xmm1\n\tmovdqa %%xmm1, %0"   \
                             : "=m"(r) : "m"(a), "m"(b) : "xmm1");                             \
        else                                                                                   \
            __asm__ volatile("movdqa %1, %%xmm1\n\tmovdqa %2, %%xmm10\n\t" insn " %%xmm10, %%xmm1\n\t" \
                             "movdqa %%xmm1, %0" : "=m"(r) : "m"(a), "m"(b) : "xmm1", "xmm10"); \
        *flags = getcsr() & 0x3f;                                                              \
        setcsr(0x1f80);                                                                        \
        return r;                                                                              \
    }
FOP(addsubpd, "addsubpd") FOP(haddpd, "haddpd") FOP(hsubpd, "hsubpd")
FOP(addsubps, "addsubps") FOP(haddps, "haddps") FOP(hsubps, "hsubps")

typedef v128 (*vop)(v128, v128, uint32_t, int, uint32_t *);

static void arith(void) {
    static const struct { const char *n; vop f; int ps; } ops[] = {
        {"addsubpd", addsubpd, 0}, {"haddpd", haddpd, 0}, {"hsubpd", hsubpd, 0},
        {"addsubps", addsubps, 1}, {"haddps", haddps, 1}, {"hsubps", hsubps, 1},
    };
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        for (unsigned m = 0; m < NM; m++) {
            unsigned n = ops[o].ps ? NF : ND;
            for (unsigned i = 0; i < n; i++) {
                for (unsigned j = 0; j < n; j++) {
                    v128 a, b;
                    if (ops[o].ps) {
                        a.q[0] = F[i] | (uint64_t)F[j] << 32;
                        a.q[1] = F[(i + 1) % NF] | (uint64_t)F[(j + 5) % NF] << 32;
                        b.q[0] = F[j] | (uint64_t)F[i] << 32;
                        b.q[1] = F[(i + j) % NF] | (uint64_t)F[(3 * i + j) % NF] << 32;
                    } else {
                        a.q[0] = D[i]; a.q[1] = D[j];
                        b.q[0] = D[j]; b.q[1] = D[(7 * i + j) % ND];
                    }
                    uint32_t fl;
                    v128 r = ops[o].f(a, b, MODES[m], (i + j + m) & 1, &fl);
                    printf("%s %04x %016llx%016llx %016llx%016llx = %016llx%016llx %02x\n", ops[o].n, MODES[m],
                           (unsigned long long)a.q[1], (unsigned long long)a.q[0], (unsigned long long)b.q[1],
                           (unsigned long long)b.q[0], (unsigned long long)r.q[1], (unsigned long long)r.q[0], fl);
                }
            }
        }
    }
    /* The destination as the source. */
    v128 a = {{0x3ff0000000000000ull, 0x4008000000000000ull}}, r;
    __asm__ volatile("movdqa %1, %%xmm5\n\thaddpd %%xmm5, %%xmm5\n\tmovdqa %%xmm5, %0" : "=m"(r) : "m"(a) : "xmm5");
    printf("haddpd same %016llx%016llx\n", (unsigned long long)r.q[1], (unsigned long long)r.q[0]);
    a.q[0] = 0x400000003f800000ull; a.q[1] = 0x4080000040400000ull;
    __asm__ volatile("movdqa %1, %%xmm5\n\thsubps %%xmm5, %%xmm5\n\tmovdqa %%xmm5, %0" : "=m"(r) : "m"(a) : "xmm5");
    printf("hsubps same %016llx%016llx\n", (unsigned long long)r.q[1], (unsigned long long)r.q[0]);
}

static sigjmp_buf jb;
static volatile int last_code;
static volatile uint32_t last_mxcsr;
static v128 last_xmm2;
static void on_signal(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    last_code = si->si_code;
    last_mxcsr = uc->uc_mcontext.fpregs ? uc->uc_mcontext.fpregs->mxcsr : 0xdead;
    if (uc->uc_mcontext.fpregs) memcpy(&last_xmm2, &uc->uc_mcontext.fpregs->_xmm[2], 16);
    siglongjmp(jb, sig);
}

static void handle(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, 0);
}

/* Unmasked exceptions trap before the destination is written. */
static void traps(void) {
    static const char *names[] = {"haddpd", "hsubpd", "addsubpd", "addsubps", "haddps", "hsubps"};
    static const struct { int op; uint32_t csr; v128 a, b; } t[] = {
        {0, 0x1f00, {{0x7ff4000000000001ull, 0x3ff0000000000000ull}}, {{0, 0}}},            /* IE */
        {0, 0x1e80, {{0x0000000000000001ull, 0x0000000000000000ull}}, {{0, 0}}},            /* DE */
        {0, 0x1d80, {{0x0000000000000001ull, 0x3ff0000000000000ull}}, {{0, 0}}},            /* ZE unmasked, DE raised */
        {1, 0x1780, {{0x7fefffffffffffffull, 0xffefffffffffffffull}}, {{0, 0}}},            /* UE unmasked, OE raised */
        {1, 0x1780, {{0x0010000000000001ull, 0x0010000000000000ull}}, {{0, 0}}},            /* exact but tiny: UE when unmasked */
        {1, 0x1780, {{0x0018000000000000ull, 0x0010000000000001ull}}, {{0, 0}}},            /* UE */
        {2, 0x0f80, {{0x3ff0000000000000ull, 0x3ff0000000000000ull}}, {{0x3ca0000000000001ull, 0}}}, /* PE */
        {2, 0x1f00, {{0x3ff0000000000000ull, 0xfff0000000000000ull}}, {{0, 0x7ff0000000000000ull}}}, /* -inf + inf */
        {3, 0x1f00, {{0x3f800000ff800000ull, 0}}, {{0x3f800000ff800000ull, 0}}},           /* -inf - -inf: IE */
        {3, 0x1f00, {{0x3f800000ff800000ull, 0}}, {{0x3f8000007f800000ull, 0}}},           /* -inf - inf: no IE */
        {4, 0x0f80, {{0x3f80000033800001ull, 0}}, {{0, 0}}},                               /* PE */
        {5, 0x1f80, {{0x7f800000ff800000ull, 0}}, {{0, 0}}},                               /* masked IE */
        {5, 0x1e80, {{0, 0}}, {{0x0000000100000000ull, 0}}},                               /* DE in element 2 */
        {5, 0x1ec0, {{0, 0}}, {{0x0000000100000000ull, 0}}},                               /* DAZ: no DE */
        {0, 0x1e80, {{0x0000000000000001ull, 0x7ff4000000000000ull}}, {{0, 0}}},            /* SNaN: IE, no DE */
    };
    handle(SIGFPE);
    for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
        v128 r = t[k].a;
        last_code = 0;
        last_mxcsr = 0;
        if (sigsetjmp(jb, 1) == 0) {
            setcsr(t[k].csr);
            switch (t[k].op) {
            case 0: __asm__ volatile("movdqa %0, %%xmm2\n\thaddpd %1, %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "m"(t[k].b) : "xmm2"); break;
            case 1: __asm__ volatile("movdqa %0, %%xmm2\n\thsubpd %1, %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "m"(t[k].b) : "xmm2"); break;
            case 2: __asm__ volatile("movdqa %0, %%xmm2\n\taddsubpd %1, %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "m"(t[k].b) : "xmm2"); break;
            case 3: __asm__ volatile("movdqa %0, %%xmm2\n\taddsubps %1, %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "m"(t[k].b) : "xmm2"); break;
            case 4: __asm__ volatile("movdqa %0, %%xmm2\n\thaddps %1, %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "m"(t[k].b) : "xmm2"); break;
            default: __asm__ volatile("movdqa %0, %%xmm2\n\thsubps %1, %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "m"(t[k].b) : "xmm2"); break;
            }
            uint32_t csr = getcsr();
            setcsr(0x1f80);
            printf("trap %s %04x: none, mxcsr %04x, %016llx%016llx\n", names[t[k].op], t[k].csr, csr,
                   (unsigned long long)r.q[1], (unsigned long long)r.q[0]);
        } else {
            setcsr(0x1f80);
            r = last_xmm2;
            printf("trap %s %04x: SIGFPE code %d, mxcsr %04x, xmm2 %016llx%016llx\n", names[t[k].op], t[k].csr,
                   last_code, last_mxcsr, (unsigned long long)r.q[1], (unsigned long long)r.q[0]);
        }
    }
    signal(SIGFPE, SIG_DFL);
}

static void moves(void) {
    static unsigned char buf[64] __attribute__((aligned(16)));
    for (int k = 0; k < 64; k++) buf[k] = (unsigned char)(0x11 * k + 3);
    v128 a = {{0x0123456789abcdefull, 0xfedcba9876543210ull}}, r1, r2, r3;
    __asm__ volatile("movdqa %3, %%xmm11\n\tpcmpeqb %%xmm0, %%xmm0\n\tmovddup %%xmm11, %%xmm0\n\tmovdqa %%xmm0, %0\n\t"
                     "movsldup %%xmm11, %%xmm12\n\tmovdqa %%xmm12, %1\n\tmovshdup %%xmm11, %%xmm3\n\tmovdqa %%xmm3, %2"
                     : "=m"(r1), "=m"(r2), "=m"(r3) : "m"(a) : "xmm0", "xmm3", "xmm11", "xmm12");
    printf("movddup r %016llx%016llx\nmovsldup r %016llx%016llx\nmovshdup r %016llx%016llx\n",
           (unsigned long long)r1.q[1], (unsigned long long)r1.q[0], (unsigned long long)r2.q[1],
           (unsigned long long)r2.q[0], (unsigned long long)r3.q[1], (unsigned long long)r3.q[0]);
    __asm__ volatile("movsldup %3, %%xmm4\n\tmovdqa %%xmm4, %0\n\tmovshdup %3, %%xmm4\n\tmovdqa %%xmm4, %1\n\t"
                     "movddup %3, %%xmm4\n\tmovdqa %%xmm4, %2" : "=m"(r1), "=m"(r2), "=m"(r3) : "m"(a) : "xmm4");
    printf("movsldup m %016llx%016llx\nmovshdup m %016llx%016llx\nmovddup m %016llx%016llx\n",
           (unsigned long long)r1.q[1], (unsigned long long)r1.q[0], (unsigned long long)r2.q[1],
           (unsigned long long)r2.q[0], (unsigned long long)r3.q[1], (unsigned long long)r3.q[0]);
    for (int k = 0; k < 16; k++) {
        __asm__ volatile("lddqu (%2), %%xmm13\n\tmovdqa %%xmm13, %0\n\tmovddup 3(%2), %%xmm6\n\tmovdqa %%xmm6, %1"
                         : "=m"(r1), "=m"(r2) : "r"(buf + 16 + k) : "xmm13", "xmm6");
        printf("lddqu +%d %016llx%016llx movddup %016llx%016llx\n", k, (unsigned long long)r1.q[1],
               (unsigned long long)r1.q[0], (unsigned long long)r2.q[1], (unsigned long long)r2.q[0]);
    }
}

static void alignment(void) {
    static unsigned char buf[64] __attribute__((aligned(16)));
    handle(SIGSEGV);
    handle(SIGILL);
    for (int k = 0; k < 18; k++) {
        volatile int sig = sigsetjmp(jb, 1);
        if (sig) {
            printf("align %d: signal %d\n", k, sig);
            continue;
        }
        unsigned char *p = buf + (k & 1 ? 32 : 4 + k);
        switch (k >> 1) {
        case 0: __asm__ volatile("addsubpd (%0), %%xmm0" : : "r"(p) : "xmm0"); break;
        case 1: __asm__ volatile("addsubps (%0), %%xmm0" : : "r"(p) : "xmm0"); break;
        case 2: __asm__ volatile("haddps (%0), %%xmm0" : : "r"(p) : "xmm0"); break;
        case 3: __asm__ volatile("hsubpd (%0), %%xmm0" : : "r"(p) : "xmm0"); break;
        case 4: __asm__ volatile("movsldup (%0), %%xmm0" : : "r"(p) : "xmm0"); break;
        case 5: __asm__ volatile("movshdup (%0), %%xmm0" : : "r"(p) : "xmm0"); break;
        case 6: __asm__ volatile("movddup 1(%0), %%xmm0" : : "r"(p) : "xmm0"); break;
        case 7: __asm__ volatile("lddqu 1(%0), %%xmm0" : : "r"(p) : "xmm0"); break;
        default: __asm__ volatile(".byte 0xf2, 0x0f, 0xf0, 0xc1" : : : "xmm0"); break; /* lddqu %xmm1, %xmm0 */
        }
        printf("align %d: ok\n", k);
    }
    signal(SIGSEGV, SIG_DFL);
    signal(SIGILL, SIG_DFL);
}

static void fisttp(void) {
    static const long double v[] = {0.0L, -0.0L, 2.7L, -2.7L, 0.5L, -0.99L, 32767.9L, 32768.5L, -32768.9L,
                                    -32769.0L, 2147483647.9L, 2147483648.0L, -2147483648.99L, 1e10L,
                                    9223372036854775807.5L, -9223372036854775808.5L, 1e19L};
    for (unsigned k = 0; k < sizeof v / sizeof v[0] + 3; k++) {
        long double x;
        if (k < sizeof v / sizeof v[0]) {
            x = v[k];
        } else {
            unsigned char b[10] = {0};
            if (k == sizeof v / sizeof v[0]) { b[7] = 0xc0; b[8] = 0xff; b[9] = 0x7f; }      /* QNaN */
            else if (k == sizeof v / sizeof v[0] + 1) { b[7] = 0x80; b[8] = 0xff; b[9] = 0xff; } /* -inf */
            else { b[0] = 1; }                                                           /* denormal */
            memcpy(&x, b, 10);
        }
        int16_t s; int32_t l; int64_t q; uint16_t sw1, sw2, sw3;
        __asm__ volatile("fnclex\n\tfldt %6\n\tfisttps %0\n\tfnstsw %3\n\tfnclex\n\tfldt %6\n\tfisttpl %1\n\tfnstsw %4\n\t"
                         "fnclex\n\tfldt %6\n\tfisttpll %2\n\tfnstsw %5\n\tfnclex"
                         : "=m"(s), "=m"(l), "=m"(q), "=m"(sw1), "=m"(sw2), "=m"(sw3) : "m"(x));
        printf("fisttp %d: %04x %04x  %08x %04x  %016llx %04x\n", k, (uint16_t)s, sw1, (uint32_t)l, sw2,
               (unsigned long long)q, sw3);
    }
}

int main(void) {
    arith();
    traps();
    moves();
    alignment();
    fisttp();
    return 0;
}
