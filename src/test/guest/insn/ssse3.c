/*
 * SSSE3 over edge and pseudo-random operands, in the XMM (66) and MMX (no prefix) forms with
 * register and memory sources: PSHUFB, PHADDW/D/SW, PHSUBW/D/SW, PMADDUBSW, PMULHRSW,
 * PSIGNB/W/D, PABSB/W/D, and PALIGNR with every imm8 0-255. Also the same register as both
 * operands, REX registers, the x87 tag word an MMX form leaves, and #GP (SIGSEGV) on a
 * misaligned m128 of the XMM forms while the MMX forms take any m64.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) v128;

static const uint64_t EDGE[] = {
    0x0000000000000000ull, 0xffffffffffffffffull, 0x8000000000000000ull, 0x7fffffffffffffffull,
    0x8080808080808080ull, 0x7f7f7f7f7f7f7f7full, 0x8000800080008000ull, 0x7fff7fff7fff7fffull,
    0x0001000100010001ull, 0x00ff00ff00ff00ffull, 0x80000000ffffffffull, 0x0123456789abcdefull,
    0xfedcba9876543210ull, 0x0101010101010101ull, 0xff00ff00ff00ff00ull, 0x7fffffff80000000ull,
    0x0f0e0d0c0b0a0908ull, 0x8f070e060d050c04ull, 0x8001c0004000ffffull, 0x00017fff80007ffeull,
};
#define NE (sizeof EDGE / sizeof EDGE[0])

static uint64_t seed = 0x243f6a8885a308d3ull;
static uint64_t next(void) {
    seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
    return seed;
}

static void px(const char *insn, const char *form, v128 r) {
    printf("%-9s %s %016llx%016llx\n", insn, form, (unsigned long long)r.q[1], (unsigned long long)r.q[0]);
}

/* xmm0 = a; insn b(memory), xmm0 */
#define XM(insn)                                                                               \
    do {                                                                                       \
        v128 r;                                                                                \
        __asm__ volatile("movdqa %1, %%xmm0\n\t" insn " %2, %%xmm0\n\tmovdqa %%xmm0, %0"       \
                         : "=m"(r) : "m"(a), "m"(b) : "xmm0");                                 \
        px(insn, "xm", r);                                                                     \
    } while (0)
/* xmm9 = a, xmm3 = b; insn xmm3, xmm9 */
#define XR(insn)                                                                               \
    do {                                                                                       \
        v128 r;                                                                                \
        __asm__ volatile("movdqa %1, %%xmm9\n\tmovdqa %2, %%xmm3\n\t" insn " %%xmm3, %%xmm9\n\t" \
                         "movdqa %%xmm9, %0" : "=m"(r) : "m"(a), "m"(b) : "xmm9", "xmm3");     \
        px(insn, "xr", r);                                                                     \
    } while (0)
/* mm0 = a.lo; insn b.hi(memory), mm0 */
#define MM(insn)                                                                               \
    do {                                                                                       \
        uint64_t r;                                                                            \
        __asm__ volatile("movq %1, %%mm0\n\t" insn " %2, %%mm0\n\tmovq %%mm0, %0"              \
                         : "=m"(r) : "m"(a.q[0]), "m"(b.q[1]) : "mm0");                        \
        printf("%-9s mm %016llx\n", insn, (unsigned long long)r);                              \
    } while (0)
/* mm5 = a.hi, mm2 = b.lo; insn mm2, mm5 */
#define MR(insn)                                                                               \
    do {                                                                                       \
        uint64_t r;                                                                            \
        __asm__ volatile("movq %1, %%mm5\n\tmovq %2, %%mm2\n\t" insn " %%mm2, %%mm5\n\tmovq %%mm5, %0" \
                         : "=m"(r) : "m"(a.q[1]), "m"(b.q[0]) : "mm5", "mm2");                 \
        printf("%-9s mr %016llx\n", insn, (unsigned long long)r);                              \
    } while (0)
#define ALL(insn) XM(insn); XR(insn); MM(insn); MR(insn)

static void ops(v128 a, v128 b) {
    printf("a=%016llx%016llx b=%016llx%016llx\n", (unsigned long long)a.q[1], (unsigned long long)a.q[0],
           (unsigned long long)b.q[1], (unsigned long long)b.q[0]);
    ALL("pshufb");
    ALL("phaddw"); ALL("phaddd"); ALL("phaddsw");
    ALL("phsubw"); ALL("phsubd"); ALL("phsubsw");
    ALL("pmaddubsw"); ALL("pmulhrsw");
    ALL("psignb"); ALL("psignw"); ALL("psignd");
    ALL("pabsb"); ALL("pabsw"); ALL("pabsd");
    __asm__ volatile("emms");
}

/* The destination as the source too. */
static void same(v128 a) {
#define SAME(insn)                                                                             \
    do {                                                                                       \
        v128 r; uint64_t m;                                                                    \
        __asm__ volatile("movdqa %2, %%xmm14\n\t" insn " %%xmm14, %%xmm14\n\tmovdqa %%xmm14, %0\n\t" \
                         "movq %3, %%mm7\n\t" insn " %%mm7, %%mm7\n\tmovq %%mm7, %1\n\temms"   \
                         : "=m"(r), "=m"(m) : "m"(a), "m"(a.q[1]) : "xmm14", "mm7");           \
        px(insn, "ss", r);                                                                     \
        printf("%-9s ms %016llx\n", insn, (unsigned long long)m);                              \
    } while (0)
    SAME("pshufb"); SAME("phaddw"); SAME("phaddd"); SAME("phaddsw"); SAME("phsubw"); SAME("phsubd");
    SAME("phsubsw"); SAME("pmaddubsw"); SAME("pmulhrsw"); SAME("psignb"); SAME("psignw"); SAME("psignd");
    SAME("pabsb"); SAME("pabsw"); SAME("pabsd");
    v128 r;
    __asm__ volatile("movdqa %1, %%xmm4\n\tpalignr $5, %%xmm4, %%xmm4\n\tmovdqa %%xmm4, %0" : "=m"(r) : "m"(a) : "xmm4");
    px("palignr", "ss5", r);
}

#define PAL(hi, lo)                                                                            \
    do {                                                                                       \
        v128 r; uint64_t m, m2;                                                                \
        __asm__ volatile("movdqa %3, %%xmm1\n\tpalignr $(" #hi "*16+" #lo "), %4, %%xmm1\n\tmovdqa %%xmm1, %0\n\t" \
                         "movq %5, %%mm3\n\tpalignr $(" #hi "*16+" #lo "), %6, %%mm3\n\tmovq %%mm3, %1\n\t" \
                         "movdqa %4, %%xmm12\n\tmovdqa %3, %%xmm1\n\tpalignr $(" #hi "*16+" #lo "), %%xmm12, %%xmm1\n\t" \
                         "movq %6, %%mm4\n\tmovq %5, %%mm3\n\tpalignr $(" #hi "*16+" #lo "), %%mm4, %%mm3\n\t" \
                         "movq %%mm3, %2\n\temms\n\tpcmpeqb %%xmm1, %%xmm1"                    \
                         : "=m"(r), "=m"(m), "=m"(m2) : "m"(a), "m"(b), "m"(a.q[1]), "m"(b.q[0]) \
                         : "xmm1", "xmm12", "mm3", "mm4");                                     \
        printf("palignr %3d %016llx%016llx %016llx %016llx\n", hi * 16 + lo, (unsigned long long)r.q[1], \
               (unsigned long long)r.q[0], (unsigned long long)m, (unsigned long long)m2);     \
    } while (0)
#define PALROW(hi)                                                                             \
    PAL(hi, 0); PAL(hi, 1); PAL(hi, 2); PAL(hi, 3); PAL(hi, 4); PAL(hi, 5); PAL(hi, 6); PAL(hi, 7); \
    PAL(hi, 8); PAL(hi, 9); PAL(hi, 10); PAL(hi, 11); PAL(hi, 12); PAL(hi, 13); PAL(hi, 14); PAL(hi, 15)

static void palignr(v128 a, v128 b) {
    PALROW(0); PALROW(1); PALROW(2); PALROW(3); PALROW(4); PALROW(5); PALROW(6); PALROW(7);
    PALROW(8); PALROW(9); PALROW(10); PALROW(11); PALROW(12); PALROW(13); PALROW(14); PALROW(15);
}

/* The palignr check above compares the register form with the memory form: print it too. */

static void mmx_state(void) {
    unsigned char env[28];
    uint64_t v = 0x8081828384858687ull;
    __asm__ volatile("fninit\n\tmovq %1, %%mm2\n\tpabsb %%mm2, %%mm6\n\tfnstenv %0\n\temms" : "=m"(env) : "m"(v) : "mm2", "mm6");
    printf("after pabsb mm: fsw %02x%02x ftw %02x%02x\n", env[5], env[4], env[9], env[8]);
    __asm__ volatile("fninit\n\tpshufb %1, %%mm6\n\tfnstenv %0\n\temms" : "=m"(env) : "m"(v) : "mm6");
    printf("after pshufb mm: fsw %02x%02x ftw %02x%02x\n", env[5], env[4], env[9], env[8]);
}

static sigjmp_buf jb;
static void on_signal(int sig) { siglongjmp(jb, sig); }

static void alignment(void) {
    static unsigned char buf[64] __attribute__((aligned(16)));
    for (int k = 0; k < 64; k++) buf[k] = (unsigned char)(k * 37);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGSEGV, &sa, 0);
    for (int k = 0; k < 12; k++) {
        v128 r = {{0x1111111111111111ull, 0x2222222222222222ull}};
        uint64_t m = 0x3333333333333333ull;
        volatile int sig = sigsetjmp(jb, 1);
        if (sig) {
            printf("align %d: signal %d\n", k, sig);
            continue;
        }
        unsigned char *p = buf + (k & 1 ? 16 : 3 + 2 * k);
        switch (k >> 1) {
        case 0: __asm__ volatile("movdqa %0, %%xmm2\n\tpshufb (%1), %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "r"(p) : "xmm2"); break;
        case 1: __asm__ volatile("movdqa %0, %%xmm2\n\tphaddw (%1), %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "r"(p) : "xmm2"); break;
        case 2: __asm__ volatile("movdqa %0, %%xmm2\n\tpabsd (%1), %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "r"(p) : "xmm2"); break;
        case 3: __asm__ volatile("movdqa %0, %%xmm2\n\tpalignr $7, (%1), %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "r"(p) : "xmm2"); break;
        case 4: __asm__ volatile("movdqa %0, %%xmm2\n\tpmulhrsw (%1), %%xmm2\n\tmovdqa %%xmm2, %0" : "+m"(r) : "r"(p) : "xmm2"); break;
        default:
            __asm__ volatile("movq %0, %%mm1\n\tpshufb (%1), %%mm1\n\tphsubsw 1(%1), %%mm1\n\tpalignr $3, 5(%1), %%mm1\n\t"
                             "psignw 7(%1), %%mm1\n\tmovq %%mm1, %0\n\temms" : "+m"(m) : "r"(p) : "mm1");
            break;
        }
        printf("align %d: ok %016llx%016llx %016llx\n", k, (unsigned long long)r.q[1], (unsigned long long)r.q[0],
               (unsigned long long)m);
    }
    signal(SIGSEGV, SIG_DFL);
}

int main(void) {
    for (unsigned i = 0; i < NE; i++) {
        v128 a = {{EDGE[i], EDGE[(i + 3) % NE]}};
        for (unsigned j = 0; j < NE; j += 3) {
            v128 b = {{EDGE[j], EDGE[(j + 7) % NE]}};
            ops(a, b);
        }
    }
    for (int k = 0; k < 60; k++) {
        v128 a = {{next(), next()}}, b = {{next(), next()}};
        ops(a, b);
    }
    for (unsigned i = 0; i < NE; i++) {
        v128 a = {{EDGE[i], EDGE[(i + 5) % NE]}};
        same(a);
    }
    v128 a = {{0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull}}, b = {{0x1716151413121110ull, 0x1f1e1d1c1b1a1918ull}};
    palignr(a, b);
    a.q[0] = next(); a.q[1] = next(); b.q[0] = next(); b.q[1] = next();
    palignr(a, b);
    mmx_state();
    alignment();
    return 0;
}
