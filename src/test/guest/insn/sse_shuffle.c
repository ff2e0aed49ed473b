/*
 * SSE/SSE2 data movement and rearrangement: MOVSS/MOVSD merge rules, MOVLPS/MOVHPS/MOVHLPS/
 * MOVLHPS, MOVD/MOVQ forms, PSHUFD/PSHUFHW/PSHUFLW/PSHUFW, SHUFPS/SHUFPD, UNPCK*, PUNPCK*,
 * PACK*, PINSRW/PEXTRW, MOVMSKPS/PD, PMOVMSKB, MASKMOVDQU/MASKMOVQ, MOVQ2DQ/MOVDQ2Q, MOVNTI,
 * LDMXCSR/STMXCSR, FXSAVE/FXRSTOR, and #GP (SIGSEGV) on misaligned MOVAPS/MOVDQA/PADDB m128.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../oracle.h"

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) v128;

static void pr(const char *what, v128 r) {
    printf("%-12s %016llx%016llx\n", what, (unsigned long long)r.q[1], (unsigned long long)r.q[0]);
}

static const v128 A = {{0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull}};
static const v128 B = {{0x8786858483828180ull, 0x8f8e8d8c8b8a8988ull}};
static const v128 W = {{0x80017fff0000ffffull, 0x0100ff7f00807f80ull}};

#define OP2(insn)                                                                              \
    do {                                                                                       \
        v128 r;                                                                                \
        __asm__ volatile("movdqa %1, %%xmm0\n\t" insn " %2, %%xmm0\n\tmovdqa %%xmm0, %0"       \
                         : "=m"(r) : "m"(a), "m"(b) : "xmm0");                                 \
        pr(insn, r);                                                                           \
    } while (0)
#define OP2M(insn)                                                                             \
    do {                                                                                       \
        uint64_t r;                                                                            \
        __asm__ volatile("movq %1, %%mm0\n\t" insn " %2, %%mm0\n\tmovq %%mm0, %0"              \
                         : "=m"(r) : "m"(a.q[0]), "m"(b.q[1]) : "mm0");                        \
        printf("%-12s m %016llx\n", insn, (unsigned long long)r);                              \
    } while (0)
#define IMM(insn, n)                                                                           \
    do {                                                                                       \
        v128 r;                                                                                \
        __asm__ volatile("movdqa %1, %%xmm0\n\t" insn " $" #n ", %2, %%xmm0\n\tmovdqa %%xmm0, %0" \
                         : "=m"(r) : "m"(a), "m"(b) : "xmm0");                                 \
        printf("%s $%d ", insn, n); pr("", r);                                                  \
    } while (0)

static void rearrange(v128 a, v128 b) {
    OP2("punpcklbw"); OP2("punpcklwd"); OP2("punpckldq"); OP2("punpcklqdq");
    OP2("punpckhbw"); OP2("punpckhwd"); OP2("punpckhdq"); OP2("punpckhqdq");
    OP2("unpcklps"); OP2("unpckhps"); OP2("unpcklpd"); OP2("unpckhpd");
    OP2("packsswb"); OP2("packssdw"); OP2("packuswb");
    OP2M("punpcklbw"); OP2M("punpcklwd"); OP2M("punpckldq");
    OP2M("punpckhbw"); OP2M("punpckhwd"); OP2M("punpckhdq");
    OP2M("packsswb"); OP2M("packssdw"); OP2M("packuswb");
    {
        /* MMX PUNPCKL with a 32-bit memory operand */
        uint64_t r; uint32_t m32 = 0xa1b2c3d4;
        __asm__ volatile("movq %1, %%mm0\n\tpunpcklbw %2, %%mm0\n\tmovq %%mm0, %0" : "=m"(r) : "m"(a.q[0]), "m"(m32) : "mm0");
        printf("punpcklbw m32 %016llx\n", (unsigned long long)r);
    }
    IMM("pshufd", 0); IMM("pshufd", 0x1b); IMM("pshufd", 0xe4); IMM("pshufd", 0x4e); IMM("pshufd", 0xff);
    IMM("pshufhw", 0x1b); IMM("pshufhw", 0xc6); IMM("pshuflw", 0x1b); IMM("pshuflw", 0x39);
    IMM("shufps", 0); IMM("shufps", 0x1b); IMM("shufps", 0xe4); IMM("shufps", 0x8d); IMM("shufps", 0xff);
    IMM("shufpd", 0); IMM("shufpd", 1); IMM("shufpd", 2); IMM("shufpd", 3); IMM("shufpd", 0xfe);
    {
        uint64_t r;
        __asm__ volatile("pshufw $0x1b, %1, %%mm1\n\tmovq %%mm1, %0" : "=m"(r) : "m"(b.q[0]) : "mm1");
        printf("pshufw %016llx\n", (unsigned long long)r);
        __asm__ volatile("pshufw $0xa9, %1, %%mm1\n\tmovq %%mm1, %0" : "=m"(r) : "m"(a.q[1]) : "mm1");
        printf("pshufw %016llx\n", (unsigned long long)r);
    }
    __asm__ volatile("emms");
}

static void words(void) {
    v128 r = A;
    unsigned long e[8], em[4];
    uint64_t m = 0x1122334455667788ull;
    int x = 0x1234abcd;
    __asm__ volatile("movdqa %0, %%xmm3\n\t"
                     "pinsrw $0, %1, %%xmm3\n\tpinsrw $5, %1, %%xmm3\n\tpinsrw $15, %2, %%xmm3\n\t"
                     "movdqa %%xmm3, %0" : "+m"(r) : "r"(x), "m"(*(uint16_t *)&m) : "xmm3");
    pr("pinsrw", r);
    __asm__ volatile("movdqa %8, %%xmm4\n\t"
                     "pextrw $0, %%xmm4, %k0\n\tpextrw $1, %%xmm4, %k1\n\tpextrw $2, %%xmm4, %k2\n\tpextrw $3, %%xmm4, %k3\n\t"
                     "pextrw $4, %%xmm4, %k4\n\tpextrw $5, %%xmm4, %k5\n\tpextrw $6, %%xmm4, %k6\n\tpextrw $15, %%xmm4, %k7"
                     : "=r"(e[0]), "=r"(e[1]), "=r"(e[2]), "=r"(e[3]), "=r"(e[4]), "=r"(e[5]), "=r"(e[6]), "=r"(e[7])
                     : "m"(B) : "xmm4");
    for (int k = 0; k < 8; k++) printf("pextrw %lx\n", e[k]);
    __asm__ volatile("movq %4, %%mm5\n\tpinsrw $2, %5, %%mm5\n\tpextrw $0, %%mm5, %k0\n\tpextrw $2, %%mm5, %k1\n\t"
                     "pextrw $3, %%mm5, %k2\n\tpextrw $6, %%mm5, %k3\n\tmovq %%mm5, %4\n\temms"
                     : "=r"(em[0]), "=r"(em[1]), "=r"(em[2]), "=r"(em[3]), "+m"(m) : "r"(x) : "mm5");
    printf("pextrw m %lx %lx %lx %lx %016llx\n", em[0], em[1], em[2], em[3], (unsigned long long)m);
}

static void moves(void) {
    v128 r, r2;
    uint32_t f32 = 0xdeadbeef; uint64_t f64 = 0xfeedfacecafebeefull;
    __asm__ volatile("movdqa %2, %%xmm1\n\tmovdqa %3, %%xmm2\n\tmovss %%xmm2, %%xmm1\n\tmovdqa %%xmm1, %0\n\t"
                     "movss %4, %%xmm1\n\tmovdqa %%xmm1, %1" : "=m"(r), "=m"(r2) : "m"(A), "m"(B), "m"(f32) : "xmm1", "xmm2");
    pr("movss rr", r); pr("movss rm", r2);
    __asm__ volatile("movdqa %2, %%xmm1\n\tmovdqa %3, %%xmm2\n\tmovsd %%xmm2, %%xmm1\n\tmovdqa %%xmm1, %0\n\t"
                     "movsd %4, %%xmm1\n\tmovdqa %%xmm1, %1" : "=m"(r), "=m"(r2) : "m"(A), "m"(B), "m"(f64) : "xmm1", "xmm2");
    pr("movsd rr", r); pr("movsd rm", r2);
    __asm__ volatile("movdqa %2, %%xmm1\n\tmovdqa %3, %%xmm2\n\tmovhlps %%xmm2, %%xmm1\n\tmovdqa %%xmm1, %0\n\t"
                     "movdqa %2, %%xmm1\n\tmovlhps %%xmm2, %%xmm1\n\tmovdqa %%xmm1, %1" : "=m"(r), "=m"(r2) : "m"(A), "m"(B) : "xmm1", "xmm2");
    pr("movhlps", r); pr("movlhps", r2);
    __asm__ volatile("movdqa %2, %%xmm1\n\tmovlps %3, %%xmm1\n\tmovdqa %%xmm1, %0\n\t"
                     "movdqa %2, %%xmm1\n\tmovhps %3, %%xmm1\n\tmovdqa %%xmm1, %1" : "=m"(r), "=m"(r2) : "m"(A), "m"(f64) : "xmm1");
    pr("movlps", r); pr("movhps", r2);
    __asm__ volatile("movdqa %2, %%xmm1\n\tmovlpd %3, %%xmm1\n\tmovdqa %%xmm1, %0\n\t"
                     "movdqa %2, %%xmm1\n\tmovhpd %3, %%xmm1\n\tmovdqa %%xmm1, %1" : "=m"(r), "=m"(r2) : "m"(A), "m"(f64) : "xmm1");
    pr("movlpd", r); pr("movhpd", r2);
    uint64_t lo, hi;
    __asm__ volatile("movdqa %2, %%xmm1\n\tmovlps %%xmm1, %0\n\tmovhps %%xmm1, %1" : "=m"(lo), "=m"(hi) : "m"(B) : "xmm1");
    printf("movlps/movhps store %016llx %016llx\n", (unsigned long long)lo, (unsigned long long)hi);
    /* MOVD / MOVQ */
    unsigned long g1, g2; uint32_t m32;
    __asm__ volatile("movdqa %3, %%xmm1\n\tmovd %4, %%xmm1\n\tmovdqa %%xmm1, %0\n\tmovd %%xmm1, %k1\n\tmovq %%xmm1, %2"
                     : "=m"(r), "=r"(g1), "=r"(g2) : "m"(A), "r"(0x89abcdefu) : "xmm1");
    pr("movd x,r32", r); printf("movd/movq r %lx %lx\n", g1, g2);
    __asm__ volatile("movdqa %2, %%xmm1\n\tmovq %3, %%xmm1\n\tmovdqa %%xmm1, %0\n\tmovd %%xmm1, %1"
                     : "=m"(r), "=m"(m32) : "m"(A), "r"(0xfedcba9876543210ull) : "xmm1");
    pr("movq x,r64", r); printf("movd m32 %08x\n", m32);
    __asm__ volatile("movdqa %1, %%xmm1\n\tmovq %2, %%xmm1\n\tmovdqa %%xmm1, %0" : "=m"(r) : "m"(A), "m"(f64) : "xmm1");
    pr("movq x,m64", r);
    __asm__ volatile("movdqa %1, %%xmm1\n\tmovdqa %2, %%xmm2\n\tmovq %%xmm2, %%xmm1\n\tmovdqa %%xmm1, %0" : "=m"(r) : "m"(A), "m"(B) : "xmm1", "xmm2");
    pr("movq x,x", r);
    __asm__ volatile("movdqa %1, %%xmm1\n\tmovdqa %2, %%xmm2\n\t.byte 0x66,0x0f,0xd6,0xd1\n\tmovdqa %%xmm1, %0" : "=m"(r) : "m"(A), "m"(B) : "xmm1", "xmm2");
    pr("movq d6 x,x", r);
    __asm__ volatile("movdqa %1, %%xmm2\n\tmovq %%xmm2, %0" : "=m"(f64) : "m"(B) : "xmm2");
    printf("movq m64,x %016llx\n", (unsigned long long)f64);
    uint64_t mm;
    __asm__ volatile("movdqa %2, %%xmm1\n\tmovdqa %3, %%xmm2\n\tmovdq2q %%xmm2, %%mm3\n\tmovq2dq %%mm3, %%xmm1\n\t"
                     "movdqa %%xmm1, %0\n\tmovq %%mm3, %1\n\temms" : "=m"(r), "=m"(mm) : "m"(A), "m"(B) : "xmm1", "xmm2", "mm3");
    pr("movq2dq", r); printf("movdq2q %016llx\n", (unsigned long long)mm);
    __asm__ volatile("movd %2, %%mm1\n\tmovq %%mm1, %0\n\tmovd %%mm1, %k1\n\temms" : "=m"(mm), "=r"(g1) : "r"(0x80000001u) : "mm1");
    printf("movd mm %016llx %lx\n", (unsigned long long)mm, g1);
    __asm__ volatile("movq %2, %%mm1\n\tmovq %%mm1, %0\n\tmovq %%mm1, %1\n\temms" : "=m"(mm), "=r"(g1) : "r"(0x8000000000000001ull) : "mm1");
    printf("movq mm %016llx %lx\n", (unsigned long long)mm, g1);
    uint64_t nt = 0; uint32_t nt32 = 0;
    __asm__ volatile("movnti %2, %0\n\tmovnti %3, %1\n\tsfence" : "=m"(nt), "=m"(nt32) : "r"(0x123456789ull), "r"(0xabcdu));
    printf("movnti %llx %x\n", (unsigned long long)nt, nt32);
    v128 ntv;
    __asm__ volatile("movdqa %1, %%xmm1\n\tmovntdq %%xmm1, %0\n\tmfence" : "=m"(ntv) : "m"(B) : "xmm1");
    pr("movntdq", ntv);
    __asm__ volatile("movdqa %1, %%xmm1\n\tmovntps %%xmm1, %0\n\tlfence" : "=m"(ntv) : "m"(A) : "xmm1");
    pr("movntps", ntv);
    __asm__ volatile("movq %1, %%mm1\n\tmovntq %%mm1, %0\n\temms" : "=m"(nt) : "m"(A.q[1]) : "mm1");
    printf("movntq %016llx\n", (unsigned long long)nt);
}

static void masks(void) {
    static const v128 vs[] = {
        {{0, 0}}, {{~0ull, ~0ull}}, {{0x8000000000000000ull, 0x0000000080000000ull}},
        {{0x0080ff007f800180ull, 0x80000000ffffffffull}}, {{0x8f7e6d5c4b3a2918ull, 0x0102030405060708ull}},
    };
    for (unsigned k = 0; k < sizeof vs / sizeof vs[0]; k++) {
        unsigned long m1, m2, m3, m4;
        __asm__ volatile("movdqa %4, %%xmm1\n\tmovmskps %%xmm1, %k0\n\tmovmskpd %%xmm1, %k1\n\tpmovmskb %%xmm1, %k2\n\t"
                         "movq %5, %%mm2\n\tpmovmskb %%mm2, %k3\n\temms"
                         : "=r"(m1), "=r"(m2), "=r"(m3), "=r"(m4) : "m"(vs[k]), "m"(vs[k].q[1]) : "xmm1", "mm2");
        printf("masks %lx %lx %lx %lx\n", m1, m2, m3, m4);
        v128 dst = {{0x1111111111111111ull, 0x2222222222222222ull}};
        uint64_t dq = 0x3333333333333333ull;
        __asm__ volatile("movdqa %2, %%xmm1\n\tmovdqa %3, %%xmm2\n\tmaskmovdqu %%xmm2, %%xmm1"
                         : "+m"(dst) : "D"(&dst), "m"(B), "m"(vs[k]) : "xmm1", "xmm2", "memory");
        __asm__ volatile("movq %2, %%mm1\n\tmovq %3, %%mm2\n\tmaskmovq %%mm2, %%mm1\n\temms"
                         : "+m"(dq) : "D"(&dq), "m"(A.q[0]), "m"(vs[k].q[0]) : "mm1", "mm2", "memory");
        pr("maskmovdqu", dst);
        printf("maskmovq %016llx\n", (unsigned long long)dq);
    }
}

static void state(void) {
    uint32_t csr, csr2 = 0x7f80 | 0x8000 | 0x40 | 0x3f;
    __asm__ volatile("stmxcsr %0" : "=m"(csr));
    printf("mxcsr %08x\n", csr);
    __asm__ volatile("ldmxcsr %1\n\tstmxcsr %0" : "=m"(csr) : "m"(csr2));
    printf("mxcsr %08x\n", csr);
    csr2 = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(csr2));
    static unsigned char area[512] __attribute__((aligned(16)));
    static unsigned char area2[512] __attribute__((aligned(16)));
    memset(area, 0, sizeof area);
    __asm__ volatile("fninit\n\tfld1\n\tfldpi\n\tfldz\n\tmovdqa %1, %%xmm7\n\tmovdqa %2, %%xmm15\n\t"
                     "fxsave %0\n\tfstp %%st(0)\n\tfstp %%st(0)\n\tfstp %%st(0)"
                     : "=m"(area) : "m"(A), "m"(B) : "xmm7", "xmm15", "st", "st(1)", "st(2)");
    /* MXCSR_MASK: the MXCSR bits the processor supports; AMD's has MM (bit 17) too (oracle.h) */
    if (!oracle_is_intel()) area[30] &= ~0x02;
    printf("fxsave fcw %02x%02x fsw %02x%02x ftw %02x mxcsr %02x%02x mask %02x%02x%02x%02x\n", area[1], area[0],
           area[3], area[2], area[4], area[25], area[24], area[31], area[30], area[29], area[28]);
    for (int k = 0; k < 8; k++) {
        printf("st%d ", k);
        for (int b = 9; b >= 0; b--) printf("%02x", area[32 + 16 * k + b]);
        printf("\n");
    }
    printf("xmm7 ");
    for (int b = 15; b >= 0; b--) printf("%02x", area[160 + 16 * 7 + b]);
    printf("\nxmm15 ");
    for (int b = 15; b >= 0; b--) printf("%02x", area[160 + 16 * 15 + b]);
    printf("\n");
    /* FXRSTOR of a modified image, then FXSAVE again */
    area[24] = 0x80; area[25] = 0x3f; /* MXCSR 0x3f80 */
    area[160] ^= 0xff;
    __asm__ volatile("fxrstor %1\n\tfxsave64 %0\n\tfninit" : "=m"(area2) : "m"(area));
    printf("fxrstor fsw %02x%02x ftw %02x mxcsr %02x%02x xmm0lo %02x\n", area2[3], area2[2], area2[4], area2[25], area2[24],
           area2[160] ^ area[160]);
    __asm__ volatile("stmxcsr %0" : "=m"(csr));
    printf("mxcsr %08x\n", csr);
    csr2 = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(csr2));
    __asm__ volatile("clflush %0" : : "m"(area[100]));
}

static sigjmp_buf jb;
static void on_segv(int sig) { siglongjmp(jb, sig); }

static void alignment(void) {
    static unsigned char buf[64] __attribute__((aligned(16)));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, 0);
    for (int k = 0; k < 6; k++) {
        int sig = sigsetjmp(jb, 1);
        if (sig) {
            printf("align %d: signal %d\n", k, sig);
            continue;
        }
        unsigned char *p = buf + (k & 1 ? 8 : 16);
        switch (k >> 1) {
        case 0: __asm__ volatile("movaps (%0), %%xmm0" : : "r"(p) : "xmm0"); break;
        case 1: __asm__ volatile("movdqa %%xmm0, (%0)" : : "r"(p) : "memory"); break;
        default: __asm__ volatile("paddb (%0), %%xmm0\n\tmovdqu (%0), %%xmm1" : : "r"(p) : "xmm0", "xmm1"); break;
        }
        printf("align %d: ok\n", k);
    }
    signal(SIGSEGV, SIG_DFL);
}

int main(void) {
    rearrange(A, B);
    rearrange(W, A);
    rearrange(B, W);
    words();
    moves();
    masks();
    state();
    alignment();
    return 0;
}
