/*
 * SSE/SSE2 floating-point arithmetic over edge operands under every MXCSR rounding mode and
 * with FTZ/DAZ: prints each result in hex with the MXCSR exception flags it raised.
 * Covers ADD SUB MUL DIV SQRT MIN MAX (SS SD PS PD), CMPcc, (U)COMIS, logic ops.
 * RCP/RSQRT are not printed: their bits are implementation-specific.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static inline uint32_t getcsr(void) { uint32_t m; __asm__ volatile("stmxcsr %0" : "=m"(m)); return m; }
static inline void setcsr(uint32_t m) { __asm__ volatile("ldmxcsr %0" : : "m"(m)); }

static const uint64_t D[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x0010000000000001ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3ff0000000000001ull, 0x4008000000000000ull, 0x3fd5555555555555ull, 0x3ca0000000000000ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0xfff8000000000123ull, 0x7ff4000000000001ull, 0x4340000000000001ull,
    0x1ff0000000000000ull, 0x6000000000000000ull,
};
static const uint32_t F[] = {
    0x00000000u, 0x80000000u, 0x00000001u, 0x807fffffu, 0x00800000u, 0x00800001u, 0x3f800000u,
    0xbf800000u, 0x3f800001u, 0x40400000u, 0x3eaaaaabu, 0x33800000u, 0x7f7fffffu, 0xff7fffffu,
    0x7f800000u, 0xff800000u, 0x7fc00000u, 0xffc00123u, 0x7fa00001u, 0x4b800001u, 0x1f800000u,
    0x60000000u,
};
#define ND (sizeof D / sizeof D[0])
#define NF (sizeof F / sizeof F[0])

static const uint32_t MODES[] = {0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0x9fc0};
#define NM (sizeof MODES / sizeof MODES[0])

#define SD_OP(fn, insn) \
    static uint64_t fn(uint64_t a, uint64_t b, uint32_t csr, uint32_t *flags) { \
        double x, y; memcpy(&x, &a, 8); memcpy(&y, &b, 8); \
        setcsr(csr); \
        __asm__ volatile(insn " %1, %0" : "+x"(x) : "x"(y)); \
        *flags = getcsr() & 0x3f; setcsr(0x1f80); \
        uint64_t r; memcpy(&r, &x, 8); return r; }
#define SS_OP(fn, insn) \
    static uint32_t fn(uint32_t a, uint32_t b, uint32_t csr, uint32_t *flags) { \
        float x, y; memcpy(&x, &a, 4); memcpy(&y, &b, 4); \
        setcsr(csr); \
        __asm__ volatile(insn " %1, %0" : "+x"(x) : "x"(y)); \
        *flags = getcsr() & 0x3f; setcsr(0x1f80); \
        uint32_t r; memcpy(&r, &x, 4); return r; }

SD_OP(addsd, "addsd") SD_OP(subsd, "subsd") SD_OP(mulsd, "mulsd") SD_OP(divsd, "divsd")
SD_OP(minsd, "minsd") SD_OP(maxsd, "maxsd") SD_OP(sqrtsd, "sqrtsd")
SS_OP(addss, "addss") SS_OP(subss, "subss") SS_OP(mulss, "mulss") SS_OP(divss, "divss")
SS_OP(minss, "minss") SS_OP(maxss, "maxss") SS_OP(sqrtss, "sqrtss")

typedef uint64_t (*dop)(uint64_t, uint64_t, uint32_t, uint32_t *);
typedef uint32_t (*fop)(uint32_t, uint32_t, uint32_t, uint32_t *);

static void scalar(void) {
    static const struct { const char *n; dop d; fop f; int unary; } ops[] = {
        {"add", addsd, addss, 0}, {"sub", subsd, subss, 0}, {"mul", mulsd, mulss, 0},
        {"div", divsd, divss, 0}, {"min", minsd, minss, 0}, {"max", maxsd, maxss, 0},
        {"sqrt", sqrtsd, sqrtss, 1},
    };
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        for (unsigned m = 0; m < NM; m++) {
            for (unsigned i = 0; i < ND; i++) {
                for (unsigned j = 0; j < ND; j++) {
                    if (ops[o].unary && i != 0) break;
                    uint32_t fl;
                    uint64_t r = ops[o].d(D[i], D[j], MODES[m], &fl);
                    printf("%ssd %04x %016llx %016llx = %016llx %02x\n", ops[o].n, MODES[m],
                           (unsigned long long)D[i], (unsigned long long)D[j], (unsigned long long)r, fl);
                }
            }
            for (unsigned i = 0; i < NF; i++) {
                for (unsigned j = 0; j < NF; j++) {
                    if (ops[o].unary && i != 0) break;
                    uint32_t fl;
                    uint32_t r = ops[o].f(F[i], F[j], MODES[m], &fl);
                    printf("%sss %04x %08x %08x = %08x %02x\n", ops[o].n, MODES[m], F[i], F[j], r, fl);
                }
            }
        }
    }
}

/* Values whose products, quotients and sums round differently in each mode. */
static void rounding(void) {
    uint64_t seed = 0x123456789abcdefull;
    for (int k = 0; k < 400; k++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t a = seed;
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t b = seed;
        /* keep exponents in a band that exercises overflow and underflow sometimes */
        a = (a & 0x800fffffffffffffull) | ((uint64_t)(0x3ff + (int)((a >> 52) & 0x7ff) % 1100 - 550 + (k % 3 == 0 ? 470 : 0)) << 52);
        b = (b & 0x800fffffffffffffull) | ((uint64_t)(0x3ff + (int)((b >> 52) & 0x7ff) % 1100 - 550) << 52);
        uint32_t fa = (uint32_t)(a >> 20) ^ (uint32_t)a, fb = (uint32_t)(b >> 20) ^ (uint32_t)b;
        for (unsigned m = 0; m < NM; m++) {
            uint32_t f1, f2, f3, f4, f5, f6, f7, f8, f9, f10;
            uint64_t r1 = addsd(a, b, MODES[m], &f1), r2 = mulsd(a, b, MODES[m], &f2);
            uint64_t r3 = divsd(a, b, MODES[m], &f3), r4 = sqrtsd(0, a & ~(1ull << 63), MODES[m], &f4);
            uint64_t r5 = subsd(a, b ^ 0x10, MODES[m], &f5);
            uint32_t s1 = addss(fa, fb, MODES[m], &f6), s2 = mulss(fa, fb, MODES[m], &f7);
            uint32_t s3 = divss(fa, fb, MODES[m], &f8), s4 = sqrtss(0, fa & 0x7fffffff, MODES[m], &f9);
            uint32_t s5 = subss(fa, fb, MODES[m], &f10);
            printf("r %04x %016llx %016llx: %016llx %02x %016llx %02x %016llx %02x %016llx %02x %016llx %02x\n",
                   MODES[m], (unsigned long long)a, (unsigned long long)b, (unsigned long long)r1, f1,
                   (unsigned long long)r2, f2, (unsigned long long)r3, f3, (unsigned long long)r4, f4,
                   (unsigned long long)r5, f5);
            printf("s %04x %08x %08x: %08x %02x %08x %02x %08x %02x %08x %02x %08x %02x\n", MODES[m], fa, fb,
                   s1, f6, s2, f7, s3, f8, s4, f9, s5, f10);
        }
    }
}

static void packed(void) {
    /* ADDPS/MULPD/... on vectors mixing specials; CMPPS/CMPPD with every predicate. */
    for (unsigned i = 0; i + 3 < NF; i += 2) {
        for (unsigned j = 0; j + 3 < NF; j += 3) {
            uint32_t a[4] __attribute__((aligned(16))) = {F[i], F[i + 1], F[i + 2], F[i + 3]};
            uint32_t b[4] __attribute__((aligned(16))) = {F[j + 3], F[j], F[j + 2], F[j + 1]};
            uint32_t r[8][4] __attribute__((aligned(16)));
            uint32_t fl[8];
#define PS(k, insn) setcsr(0x1f80); __asm__ volatile("movaps %1, %%xmm0\n\t" insn " %2, %%xmm0\n\tmovaps %%xmm0, %0" \
                 : "=m"(r[k]) : "m"(a), "m"(b) : "xmm0"); fl[k] = getcsr() & 0x3f;
            PS(0, "addps") PS(1, "subps") PS(2, "mulps") PS(3, "divps") PS(4, "minps") PS(5, "maxps")
            PS(6, "sqrtps") PS(7, "andnps")
            for (int k = 0; k < 8; k++)
                printf("ps%d %08x %08x %08x %08x : %08x %08x %08x %08x %02x\n", k, a[k & 3], b[k & 3], a[(k + 1) & 3],
                       b[(k + 2) & 3], r[k][0], r[k][1], r[k][2], r[k][3], fl[k]);
#define CMPPS(p) setcsr(0x1f80); __asm__ volatile("movaps %1, %%xmm0\n\tcmpps $" #p ", %2, %%xmm0\n\tmovaps %%xmm0, %0" \
                 : "=m"(r[p]) : "m"(a), "m"(b) : "xmm0"); fl[p] = getcsr() & 0x3f;
            CMPPS(0) CMPPS(1) CMPPS(2) CMPPS(3) CMPPS(4) CMPPS(5) CMPPS(6) CMPPS(7)
            for (int k = 0; k < 8; k++)
                printf("cmpps%d %08x %08x %08x %08x %02x\n", k, r[k][0], r[k][1], r[k][2], r[k][3], fl[k]);
        }
    }
    for (unsigned i = 0; i + 1 < ND; i++) {
        for (unsigned j = 0; j + 1 < ND; j += 2) {
            uint64_t a[2] __attribute__((aligned(16))) = {D[i], D[i + 1]};
            uint64_t b[2] __attribute__((aligned(16))) = {D[j + 1], D[j]};
            uint64_t r[8][2] __attribute__((aligned(16)));
            uint32_t fl[8];
#define PD(k, insn) setcsr(0x1f80); __asm__ volatile("movapd %1, %%xmm1\n\t" insn " %2, %%xmm1\n\tmovapd %%xmm1, %0" \
                 : "=m"(r[k]) : "m"(a), "m"(b) : "xmm1"); fl[k] = getcsr() & 0x3f;
            PD(0, "addpd") PD(1, "subpd") PD(2, "mulpd") PD(3, "divpd") PD(4, "minpd") PD(5, "maxpd")
            PD(6, "sqrtpd") PD(7, "xorpd")
            for (int k = 0; k < 8; k++)
                printf("pd%d %016llx %016llx : %016llx %016llx %02x\n", k, (unsigned long long)a[0],
                       (unsigned long long)b[0], (unsigned long long)r[k][0], (unsigned long long)r[k][1], fl[k]);
#define CMPPD(p) setcsr(0x1f80); __asm__ volatile("movapd %1, %%xmm1\n\tcmppd $" #p ", %2, %%xmm1\n\tmovapd %%xmm1, %0" \
                 : "=m"(r[p]) : "m"(a), "m"(b) : "xmm1"); fl[p] = getcsr() & 0x3f;
            CMPPD(0) CMPPD(1) CMPPD(2) CMPPD(3) CMPPD(4) CMPPD(5) CMPPD(6) CMPPD(7)
            for (int k = 0; k < 8; k++)
                printf("cmppd%d %016llx %016llx %02x\n", k, (unsigned long long)r[k][0], (unsigned long long)r[k][1], fl[k]);
        }
    }
}

static void compares(void) {
    for (unsigned i = 0; i < ND; i++) {
        for (unsigned j = 0; j < ND; j++) {
            double x, y; memcpy(&x, &D[i], 8); memcpy(&y, &D[j], 8);
            unsigned long fl1, fl2; uint32_t c1, c2;
            setcsr(0x1f80);
            __asm__ volatile("comisd %1, %2\n\tpushfq\n\tpopq %0" : "=r"(fl1) : "x"(y), "x"(x) : "cc");
            c1 = getcsr() & 0x3f; setcsr(0x1f80);
            __asm__ volatile("ucomisd %1, %2\n\tpushfq\n\tpopq %0" : "=r"(fl2) : "x"(y), "x"(x) : "cc");
            c2 = getcsr() & 0x3f;
            uint64_t m[8];
            for (int p = 0; p < 8; p++) {
                double z = x;
                setcsr(0x1f80);
                switch (p) {
                case 0: __asm__ volatile("cmpsd $0, %1, %0" : "+x"(z) : "x"(y)); break;
                case 1: __asm__ volatile("cmpsd $1, %1, %0" : "+x"(z) : "x"(y)); break;
                case 2: __asm__ volatile("cmpsd $2, %1, %0" : "+x"(z) : "x"(y)); break;
                case 3: __asm__ volatile("cmpsd $3, %1, %0" : "+x"(z) : "x"(y)); break;
                case 4: __asm__ volatile("cmpsd $4, %1, %0" : "+x"(z) : "x"(y)); break;
                case 5: __asm__ volatile("cmpsd $5, %1, %0" : "+x"(z) : "x"(y)); break;
                case 6: __asm__ volatile("cmpsd $6, %1, %0" : "+x"(z) : "x"(y)); break;
                case 7: __asm__ volatile("cmpsd $7, %1, %0" : "+x"(z) : "x"(y)); break;
                }
                memcpy(&m[p], &z, 8);
                m[p] = (m[p] != 0) | (uint64_t)(getcsr() & 0x3f) << 4;
            }
            printf("comisd %016llx %016llx: %03lx %02x %03lx %02x cmp", (unsigned long long)D[i],
                   (unsigned long long)D[j], fl1 & 0x8d5, c1, fl2 & 0x8d5, c2);
            for (int p = 0; p < 8; p++) printf(" %llx", (unsigned long long)m[p]);
            printf("\n");
        }
    }
    for (unsigned i = 0; i < NF; i++) {
        for (unsigned j = 0; j < NF; j++) {
            float x, y; memcpy(&x, &F[i], 4); memcpy(&y, &F[j], 4);
            unsigned long fl1, fl2; uint32_t c1, c2, m0, m5;
            setcsr(0x1f80);
            __asm__ volatile("comiss %1, %2\n\tpushfq\n\tpopq %0" : "=r"(fl1) : "x"(y), "x"(x) : "cc");
            c1 = getcsr() & 0x3f; setcsr(0x1f80);
            __asm__ volatile("ucomiss %1, %2\n\tpushfq\n\tpopq %0" : "=r"(fl2) : "x"(y), "x"(x) : "cc");
            c2 = getcsr() & 0x3f;
            float z = x; setcsr(0x1f80);
            __asm__ volatile("cmpss $1, %1, %0" : "+x"(z) : "x"(y));
            memcpy(&m0, &z, 4); m0 |= getcsr() & 0x3f;
            z = x; setcsr(0x1f80);
            __asm__ volatile("cmpss $6, %1, %0" : "+x"(z) : "x"(y));
            memcpy(&m5, &z, 4); m5 |= getcsr() & 0x3f;
            printf("comiss %08x %08x: %03lx %02x %03lx %02x %08x %08x\n", F[i], F[j], fl1 & 0x8d5, c1, fl2 & 0x8d5, c2, m0, m5);
        }
    }
    setcsr(0x1f80);
}

int main(void) {
    scalar();
    rounding();
    packed();
    compares();
    return 0;
}
