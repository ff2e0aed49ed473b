/*
 * SSE4.1 floating-point instructions over edge operands under every MXCSR rounding mode, FTZ,
 * DAZ and a preset PE flag, printing each result in hex with the MXCSR flags it raised:
 * ROUNDSS/ROUNDSD (every imm8 rounding control: modes 0-3, MXCSR.RC via imm8[2], PE suppression
 * via imm8[3]; halfway cases, large integral values, NaNs, infinities, denormals, signed zeros),
 * ROUNDPS/ROUNDPD (register and aligned memory), DPPS/DPPD (every imm8 mask; NaN propagation,
 * invalid products, overflow, underflow, cancellation), BLENDPS/EXTRACTPS on float bit patterns,
 * and unmasked exceptions: which raise #XM (SIGFPE with its si_code), with the flags and the
 * untouched destination the handler sees.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "../oracle.h"

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) v128;

static inline uint32_t getcsr(void) { uint32_t m; __asm__ volatile("stmxcsr %0" : "=m"(m)); return m; }
static inline void setcsr(uint32_t m) { __asm__ volatile("ldmxcsr %0" : : "m"(m)); }

static const uint32_t F[] = {
    0x00000000u, 0x80000000u, 0x00000001u, 0x807fffffu, 0x00800000u, 0x3f000000u, 0xbf000000u,
    0x3fc00000u, 0xbfc00000u, 0x40200000u, 0xc0200000u, 0x3effffffu, 0x3f7fffffu, 0x4affffffu,
    0x4b000000u, 0x4b000001u, 0xcaffffffu, 0x3e99999au, 0xbe99999au, 0x7f7fffffu, 0xff7fffffu,
    0x7f800000u, 0xff800000u, 0x7fc00000u, 0xffc00123u, 0x7fa00001u, 0xff800001u, 0x40490fdbu,
    0xc0490fdbu, 0x3f800001u, 0x4f000000u, 0x3f400000u, 0xbf400000u, 0x3f800000u, 0xbf800000u,
    0x40400000u,
};
static const uint64_t D[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x3fe0000000000000ull, 0xbfe0000000000000ull, 0x3ff8000000000000ull,
    0xbff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull, 0x3fdfffffffffffffull,
    0x3fefffffffffffffull, 0x432fffffffffffffull, 0x4330000000000000ull, 0x4330000000000001ull,
    0x4340000000000000ull, 0xc32fffffffffffffull, 0x3fd3333333333333ull, 0xbfd3333333333333ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0xfff8000000000123ull, 0x7ff4000000000001ull, 0xfff0000000000001ull,
    0x400921fb54442d18ull, 0xc00921fb54442d18ull, 0x3ff0000000000001ull, 0x41e0000000000000ull,
    0x3fe8000000000000ull, 0xbfe8000000000000ull, 0x3ff0000000000000ull, 0xc00c000000000000ull,
};
#define NF (sizeof F / sizeof F[0])
#define ND (sizeof D / sizeof D[0])

/* round to nearest, down, up, toward zero, FTZ, DAZ, PE already set */
static const uint32_t MODES[] = {0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0x1fa0};
#define NM (sizeof MODES / sizeof MODES[0])

#define R4(M, n) M(n) M(n + 1) M(n + 2) M(n + 3)
#define R16(M, n) R4(M, n) R4(M, n + 4) R4(M, n + 8) R4(M, n + 12)
#define R256(M) R16(M, 0) R16(M, 16) R16(M, 32) R16(M, 48) R16(M, 64) R16(M, 80) R16(M, 96) R16(M, 112) \
    R16(M, 128) R16(M, 144) R16(M, 160) R16(M, 176) R16(M, 192) R16(M, 208) R16(M, 224) R16(M, 240)

/* ---------------------------------------------------------------- ROUNDSS / ROUNDSD */

#define RSD(n)                                                                                 \
    case n:                                                                                    \
        if (mem) __asm__ volatile("roundsd %2, %1, %0" : "=x"(r) : "m"(x), "i"(n));            \
        else __asm__ volatile("roundsd %2, %1, %0" : "=x"(r) : "x"(x), "i"(n));                \
        break;
#define RSS(n)                                                                                 \
    case n:                                                                                    \
        if (mem) __asm__ volatile("roundss %2, %1, %0" : "=x"(r) : "m"(x), "i"(n));            \
        else __asm__ volatile("roundss %2, %1, %0" : "=x"(r) : "x"(x), "i"(n));                \
        break;

static uint64_t roundsd(int imm, uint64_t v, uint32_t csr, int mem, uint32_t *flags) {
    double x, r = 0;
    memcpy(&x, &v, 8);
    setcsr(csr);
    switch (imm) { R16(RSD, 0) }
    *flags = getcsr() & 0x3f;
    setcsr(0x1f80);
    uint64_t b;
    memcpy(&b, &r, 8);
    return b;
}

static uint32_t roundss(int imm, uint32_t v, uint32_t csr, int mem, uint32_t *flags) {
    float x, r = 0;
    memcpy(&x, &v, 4);
    setcsr(csr);
    switch (imm) { R16(RSS, 0) }
    *flags = getcsr() & 0x3f;
    setcsr(0x1f80);
    uint32_t b;
    memcpy(&b, &r, 4);
    return b;
}

static void scalar(void) {
    for (unsigned m = 0; m < NM; m++) {
        for (unsigned i = 0; i < ND; i++) {
            printf("roundsd %04x %016llx:", MODES[m], (unsigned long long)D[i]);
            for (int imm = 0; imm < 16; imm++) {
                uint32_t f1, f2;
                uint64_t r1 = roundsd(imm, D[i], MODES[m], 0, &f1);
                uint64_t r2 = roundsd(imm, D[i], MODES[m], 1, &f2);
                printf(" %llx/%x", (unsigned long long)r1, f1);
                if (r1 != r2 || f1 != f2) printf("(mem %llx/%x)", (unsigned long long)r2, f2);
            }
            printf("\n");
        }
        for (unsigned i = 0; i < NF; i++) {
            printf("roundss %04x %08x:", MODES[m], F[i]);
            for (int imm = 0; imm < 16; imm++) {
                uint32_t f1, f2;
                uint32_t r1 = roundss(imm, F[i], MODES[m], 0, &f1);
                uint32_t r2 = roundss(imm, F[i], MODES[m], 1, &f2);
                printf(" %x/%x", r1, f1);
                if (r1 != r2 || f1 != f2) printf("(mem %x/%x)", r2, f2);
            }
            printf("\n");
        }
    }
    /* the rest of the destination is kept; imm8[7:4] are ignored */
    v128 a = {{0x0123456789abcdefull, 0xfedcba9876543210ull}}, r1, r2, r3;
    double x = -2.5;
    float y = 7.5f;
    __asm__ volatile("movdqa %3, %%xmm1\n\troundsd $0xf4, %4, %%xmm1\n\tmovdqa %%xmm1, %0\n\t"
                     "movdqa %3, %%xmm9\n\troundss $0x12, %5, %%xmm9\n\tmovdqa %%xmm9, %1\n\t"
                     "movdqa %3, %%xmm2\n\tmovss %5, %%xmm3\n\troundss $0x81, %%xmm3, %%xmm2\n\tmovdqa %%xmm2, %2"
                     : "=m"(r1), "=m"(r2), "=m"(r3) : "m"(a), "m"(x), "m"(y) : "xmm1", "xmm2", "xmm3", "xmm9");
    printf("keep %016llx%016llx %016llx%016llx %016llx%016llx\n", (unsigned long long)r1.q[1],
           (unsigned long long)r1.q[0], (unsigned long long)r2.q[1], (unsigned long long)r2.q[0],
           (unsigned long long)r3.q[1], (unsigned long long)r3.q[0]);
}

/* ---------------------------------------------------------------- ROUNDPS / ROUNDPD */

#define RPACK(insn, n)                                                                         \
    __asm__ volatile("ldmxcsr %3\n\tmovdqa %2, %%xmm6\n\t" insn " $" #n ", %%xmm6, %%xmm4\n\t"      \
                     insn " $" #n ", %2, %%xmm12\n\tmovdqa %%xmm4, %0\n\tmovdqa %%xmm12, %1"        \
                     : "=m"(r[0]), "=m"(r[1]) : "m"(v), "m"(csr) : "xmm4", "xmm6", "xmm12");   \
    fl = getcsr() & 0x3f;                                                                      \
    setcsr(0x1f80);                                                                            \
    printf("%s $%d %04x %016llx%016llx %02x%s\n", insn, n, csr, (unsigned long long)r[0].q[1], \
           (unsigned long long)r[0].q[0], fl, same(r[0], r[1]) ? "" : " mem differs")

static int same(v128 x, v128 y) { return x.q[0] == y.q[0] && x.q[1] == y.q[1]; }

static void packed_round(void) {
    for (unsigned i = 0; i < NF; i += 3) {
        for (unsigned m = 0; m < NM; m++) {
            v128 v;
            uint32_t w[4] = {F[i], F[(i + 1) % NF], F[(i + 2) % NF], F[(i + 7) % NF]};
            memcpy(&v, w, 16);
            v128 r[2];
            uint32_t fl, csr = MODES[m];
            printf("ps %08x %08x %08x %08x\n", w[0], w[1], w[2], w[3]);
            RPACK("roundps", 0); RPACK("roundps", 1); RPACK("roundps", 2); RPACK("roundps", 3);
            RPACK("roundps", 4); RPACK("roundps", 8); RPACK("roundps", 9); RPACK("roundps", 10);
            RPACK("roundps", 11); RPACK("roundps", 12); RPACK("roundps", 0xf1);
        }
    }
    for (unsigned i = 0; i < ND; i += 2) {
        for (unsigned m = 0; m < NM; m++) {
            v128 v = {{D[i], D[(i + 5) % ND]}};
            v128 r[2];
            uint32_t fl, csr = MODES[m];
            printf("pd %016llx %016llx\n", (unsigned long long)v.q[0], (unsigned long long)v.q[1]);
            RPACK("roundpd", 0); RPACK("roundpd", 1); RPACK("roundpd", 2); RPACK("roundpd", 3);
            RPACK("roundpd", 4); RPACK("roundpd", 8); RPACK("roundpd", 9); RPACK("roundpd", 10);
            RPACK("roundpd", 11); RPACK("roundpd", 12); RPACK("roundpd", 0xf1);
        }
    }
}

/* ---------------------------------------------------------------- DPPS / DPPD */

#define DPCASE(insn, n)                                                                        \
    case n:                                                                                    \
        __asm__ volatile("ldmxcsr %4\n\tmovdqa %2, %%xmm1\n\t" insn " %5, %3, %%xmm1\n\tmovdqa %%xmm1, %0\n\t" \
                         "stmxcsr %1\n\tldmxcsr %6"                                            \
                         : "=m"(*r), "=m"(*fl) : "m"(*a), "m"(*b), "m"(csr), "i"(n), "m"(dflt) \
                         : "xmm1");                                                            \
        break;
#define DPCASER(insn, n)                                                                       \
    case n:                                                                                    \
        __asm__ volatile("ldmxcsr %4\n\tmovdqa %2, %%xmm10\n\tmovdqa %3, %%xmm5\n\t" insn " %5, %%xmm5, %%xmm10\n\t" \
                         "movdqa %%xmm10, %0\n\tstmxcsr %1\n\tldmxcsr %6"                     \
                         : "=m"(*r), "=m"(*fl) : "m"(*a), "m"(*b), "m"(csr), "i"(n), "m"(dflt) \
                         : "xmm5", "xmm10");                                                   \
        break;
#define DPPS_M(n) DPCASE("dpps", n)
#define DPPD_M(n) DPCASE("dppd", n)
#define DPPS_R(n) DPCASER("dpps", n)
#define DPPD_R(n) DPCASER("dppd", n)

static const uint32_t dflt = 0x1f80;

static void dpps_m(int imm, const v128 *a, const v128 *b, uint32_t csr, v128 *r, uint32_t *fl) {
    switch (imm) { R256(DPPS_M) }
}
static void dpps_r(int imm, const v128 *a, const v128 *b, uint32_t csr, v128 *r, uint32_t *fl) {
    switch (imm) { R256(DPPS_R) }
}
static void dppd_m(int imm, const v128 *a, const v128 *b, uint32_t csr, v128 *r, uint32_t *fl) {
    switch (imm) { R256(DPPD_M) }
}
static void dppd_r(int imm, const v128 *a, const v128 *b, uint32_t csr, v128 *r, uint32_t *fl) {
    switch (imm) { R256(DPPD_R) }
}

typedef void (*dpfn)(int, const v128 *, const v128 *, uint32_t, v128 *, uint32_t *);

/*
 * Which NaN a dot product returns when several meet is the implementation's (AMD's differ from
 * Intel's): against another oracle every NaN lane is printed as the default NaN (oracle.h).
 */
static v128 neutral_nans(const char *name, v128 v) {
    if (oracle_is_intel()) return v;
    if (strcmp(name, "dpps") == 0) {
        for (int q = 0; q < 2; q++)
            for (int h = 0; h < 64; h += 32) {
                uint32_t x = (uint32_t)(v.q[q] >> h);
                if ((x & 0x7f800000u) == 0x7f800000u && (x & 0x007fffffu) != 0)
                    v.q[q] = (v.q[q] & ~(0xffffffffull << h)) | (uint64_t)0xffc00000u << h;
            }
    } else {
        for (int q = 0; q < 2; q++)
            if ((v.q[q] & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (v.q[q] & 0x000fffffffffffffull) != 0)
                v.q[q] = 0xfff8000000000000ull;
    }
    return v;
}

static void dp(const char *name, dpfn reg, dpfn mem, int imm, v128 a, v128 b, uint32_t csr) {
    v128 r1, r2;
    uint32_t f1, f2;
    reg(imm, &a, &b, csr, &r1, &f1);
    mem(imm, &a, &b, csr, &r2, &f2);
    r1 = neutral_nans(name, r1);
    r2 = neutral_nans(name, r2);
    printf("%s $%02x %04x %016llx%016llx %02x", name, imm, csr, (unsigned long long)r1.q[1],
           (unsigned long long)r1.q[0], f1 & 0x3f);
    if (!same(r1, r2) || f1 != f2) printf(" mem %016llx%016llx %02x", (unsigned long long)r2.q[1],
                                          (unsigned long long)r2.q[0], f2 & 0x3f);
    printf("\n");
}

static v128 ps(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    v128 v;
    v.q[0] = a | (uint64_t)b << 32;
    v.q[1] = c | (uint64_t)d << 32;
    return v;
}

static void dot_products(void) {
    /* every imm8 on inexact, sign-mixed operands */
    v128 a = ps(0x3f9d70a4u, 0xc1200000u, 0x3eaaaaabu, 0x4b000001u);   /* 1.23 -10 1/3 8388609 */
    v128 b = ps(0x40490fdbu, 0x3dcccccdu, 0x40400000u, 0xbf800000u);   /* pi 0.1 3 -1 */
    for (int imm = 0; imm < 256; imm++) dp("dpps", dpps_r, dpps_m, imm, a, b, 0x1f80);
    for (int imm = 0; imm < 256; imm += 5) dp("dpps", dpps_r, dpps_m, imm, b, a, 0x3f80);
    v128 c = {{0x3ff3333333333333ull, 0xc024000000000000ull}}, d = {{0x400921fb54442d18ull, 0x3fb999999999999aull}};
    for (int imm = 0; imm < 256; imm++) dp("dppd", dppd_r, dppd_m, imm, c, d, 0x1f80);
    for (int imm = 0; imm < 256; imm += 7) dp("dppd", dppd_r, dppd_m, imm, d, c, 0x5f80);

    /* edge vectors under every mode, with the masks that select lanes differently */
    static const int IMMS[] = {0xff, 0xf1, 0x31, 0x32, 0xc4, 0x18, 0x28, 0x48, 0x88, 0x0f, 0xf0, 0x5a, 0xa5, 0x3c, 0x00};
    static const uint32_t PS[][8] = {
        {0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0x7fc00001u, 0x7fc00002u, 0x7fc00003u, 0x7fc00004u},
        {0x7fc00001u, 0xffc00002u, 0x7fa00003u, 0x7fc00004u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u},
        {0x7f800000u, 0x00000000u, 0x3f800000u, 0xff800000u, 0x00000000u, 0x7f800000u, 0x3f800000u, 0x3f800000u},
        {0x7f800000u, 0xff800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u},
        {0x7f000000u, 0x7f000000u, 0xff000000u, 0x3f800000u, 0x40000000u, 0x40000000u, 0x40000000u, 0x3f800000u},
        {0x7f7fffffu, 0x7f7fffffu, 0xff7fffffu, 0x00000000u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u},
        {0x1f800000u, 0x00800000u, 0x80000001u, 0x00400000u, 0x1f800000u, 0x3f000000u, 0x3f800000u, 0x3f800000u},
        {0x80000000u, 0x00000000u, 0x80000000u, 0x80000000u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0xbf800000u},
        {0x3f800000u, 0xbf800000u, 0x40000000u, 0xc0000000u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u},
        {0x00000001u, 0x807fffffu, 0x00400000u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0x40000000u, 0x00000001u},
        {0x4b800001u, 0xcb800000u, 0x3f800000u, 0x33800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u},
        {0x7fa00001u, 0x7f800000u, 0x00000000u, 0x7fc00005u, 0x3f800000u, 0x00000000u, 0x7f800000u, 0x3f800000u},
        {0x7fc00001u, 0x7fa00002u, 0xffc00003u, 0x7f800000u, 0x7fc00011u, 0x7fc00012u, 0x7fa00013u, 0x7fc00014u},
        {0x1f800000u, 0x3f800000u, 0x00400000u, 0x80000000u, 0x1f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u},
    };
    for (unsigned k = 0; k < sizeof PS / sizeof PS[0]; k++) {
        v128 x = ps(PS[k][0], PS[k][1], PS[k][2], PS[k][3]), y = ps(PS[k][4], PS[k][5], PS[k][6], PS[k][7]);
        for (unsigned m = 0; m < NM; m++) {
            for (unsigned j = 0; j < sizeof IMMS / sizeof IMMS[0]; j++) {
                dp("dpps", dpps_r, dpps_m, IMMS[j], x, y, MODES[m]);
                if (j < 3) dp("dpps", dpps_r, dpps_m, IMMS[j], y, x, MODES[m]);
            }
        }
    }
    static const uint64_t PD[][4] = {
        {0x7ff8000000000001ull, 0xfff8000000000002ull, 0x3ff0000000000000ull, 0x3ff0000000000000ull},
        {0x3ff0000000000000ull, 0x3ff0000000000000ull, 0x7ff0000000000003ull, 0x7ff8000000000004ull},
        {0x7ff0000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x3ff0000000000000ull},
        {0x7ff0000000000000ull, 0xfff0000000000000ull, 0x3ff0000000000000ull, 0x3ff0000000000000ull},
        {0x7fe0000000000000ull, 0xffe0000000000000ull, 0x4000000000000000ull, 0x4000000000000000ull},
        {0x7fefffffffffffffull, 0x0000000000000000ull, 0x4000000000000000ull, 0x3ff0000000000000ull},
        {0x2000000000000000ull, 0x0010000000000000ull, 0x2000000000000000ull, 0x3fe0000000000000ull},
        {0x8000000000000000ull, 0x0000000000000000ull, 0x3ff0000000000000ull, 0x3ff0000000000000ull},
        {0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3ff0000000000000ull, 0x3ff0000000000000ull},
        {0x0000000000000001ull, 0x800fffffffffffffull, 0x4000000000000000ull, 0x3ff0000000000000ull},
        {0x4340000000000001ull, 0x3ff0000000000000ull, 0x3ff0000000000000ull, 0x3ff8000000000000ull},
        {0x7ff8000000000001ull, 0x7ff4000000000002ull, 0x7ff8000000000011ull, 0xfff8000000000012ull},
        {0x2000000000000000ull, 0x3ff0000000000000ull, 0x2000000000000000ull, 0x3ff0000000000000ull},
    };
    static const int IMMD[] = {0x33, 0x31, 0x32, 0x30, 0x13, 0x23, 0x03, 0x11, 0x22, 0xff, 0xcc};
    for (unsigned k = 0; k < sizeof PD / sizeof PD[0]; k++) {
        v128 x = {{PD[k][0], PD[k][1]}}, y = {{PD[k][2], PD[k][3]}};
        for (unsigned m = 0; m < NM; m++) {
            for (unsigned j = 0; j < sizeof IMMD / sizeof IMMD[0]; j++) {
                dp("dppd", dppd_r, dppd_m, IMMD[j], x, y, MODES[m]);
                if (j < 3) dp("dppd", dppd_r, dppd_m, IMMD[j], y, x, MODES[m]);
            }
        }
    }
    /* pseudo-random operands, some exponents near the ends of the range */
    uint64_t seed = 0x0ddba11cafef00dull;
    for (int k = 0; k < 120; k++) {
        uint64_t w[4];
        for (int j = 0; j < 4; j++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            w[j] = seed;
        }
        if (k % 4 == 1) w[0] = (w[0] & 0x807fffff807fffffull) | 0x0a0000003f000000ull;
        if (k % 4 == 2) w[2] = (w[2] & 0x800fffffffffffffull) | 0x7c00000000000000ull;
        v128 x = {{w[0], w[1]}}, y = {{w[2], w[3]}};
        uint32_t csr = MODES[k % NM];
        dp("dpps", dpps_r, dpps_m, 0xff, x, y, csr);
        dp("dpps", dpps_r, dpps_m, (int)(w[0] >> 56), x, y, csr);
        dp("dppd", dppd_r, dppd_m, 0x33, x, y, csr);
        dp("dppd", dppd_r, dppd_m, (int)(w[1] >> 56), x, y, csr);
    }
}

/* ---------------------------------------------------------------- unmasked exceptions */

static sigjmp_buf jb;

static void on_fpe(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    unsigned *x1 = (unsigned *)&uc->uc_mcontext.fpregs->_xmm[1];
    printf("  SIGFPE code %d flags %02x xmm1 %08x%08x%08x%08x\n", si->si_code,
           uc->uc_mcontext.fpregs->mxcsr & 0x3f, x1[3], x1[2], x1[1], x1[0]);
    siglongjmp(jb, sig);
}

static void traps(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fpe;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, 0);
    static v128 init = {{0x1111111122222222ull, 0x3333333344444444ull}};
    static v128 half = {{0x3fc000003fc00000ull, 0x3f800000c0000000ull}};       /* 1.5 1.5 -2 1 */
    static v128 whole = {{0x4000000040400000ull, 0x3f800000c0000000ull}};      /* 2 3 -2 1 */
    static v128 dhalf = {{0x3ff8000000000000ull, 0x4000000000000000ull}};      /* 1.5 2 */
    static v128 snan = {{0x7fa000007fc00000ull, 0x7ff4000000000000ull}};
    static v128 big = {{0x7f0000007f000000ull, 0x3f8000003f800000ull}};
    static v128 tiny = {{0x1f8000001f800000ull, 0x0000000000000001ull}};
    static v128 dinf = {{0x7ff0000000000000ull, 0x0000000000000000ull}};
    static v128 dzero = {{0x0000000000000000ull, 0x3ff0000000000000ull}};
    static v128 denorm = {{0x0000000000000001ull, 0x3ff0000000000000ull}};
    static v128 ovf = {{0xff7fffff7f7fffffull, 0x3f8000003f800000ull}};
    static v128 two = {{0x4000000040000000ull, 0x3f8000003f800000ull}};
    static v128 small = {{0x3f8000001f800000ull, 0x3f8000003f800000ull}};
    static v128 dmax = {{0x7fefffffffffffffull, 0x7fefffffffffffffull}};
    static v128 dtwo = {{0x3ff0000000000000ull, 0x3ff0000000000000ull}};
    static v128 third = {{0x3eaaaaab3eaaaaabull, 0x3dcccccd3dcccccdull}};
    for (int k = 0; k < 27; k++) {
        /* 0x1780 unmasks PE, 0x1f00 IE, 0x1b80 OE, 0x1780|... UE is 0x1780 & ~0x800, DE 0x1e80 */
        static const uint32_t csrs[] = {0x0f80, 0x0f80, 0x0f80, 0x0f80, 0x0f80, 0x0f80, 0x1f00, 0x1f00, 0x1f00,
                                        0x1b80, 0x1b80, 0x1780, 0x1780, 0x1e80, 0x1e80, 0x1e80, 0x1f00, 0x0f80,
                                        0x1e80, 0x0f80, 0x1f00, 0x1780, 0x1f00, 0x1e80, 0x1b80, 0x0f80, 0x1e80};
        int sig = sigsetjmp(jb, 1);
        if (sig) {
            setcsr(0x1f80);
            continue;
        }
        v128 r;
        uint32_t csr = csrs[k];
        printf("trap %d %04x\n", k, csr);
#define TRAP(insn, src)                                                                        \
        __asm__ volatile("movdqa %3, %%xmm1\n\tldmxcsr %1\n\t" insn "\n\tstmxcsr %1\n\tmovdqa %%xmm1, %0" \
                         : "=m"(r), "+m"(csr) : "m"(src), "m"(init), "m"(two), "m"(dtwo) : "xmm1")
        switch (k) {
        case 0: TRAP("roundps $0, %2, %%xmm1", half); break;
        case 1: TRAP("roundps $8, %2, %%xmm1", half); break;
        case 2: TRAP("roundps $4, %2, %%xmm1", whole); break;
        case 3: TRAP("roundsd $1, %2, %%xmm1", dhalf); break;
        case 4: TRAP("roundsd $0xb, %2, %%xmm1", dhalf); break;
        case 5: TRAP("roundss $2, %2, %%xmm1", half); break;
        case 6: TRAP("roundss $0, %2, %%xmm1", snan); break;
        case 7: TRAP("roundps $8, %2, %%xmm1", snan); break;
        case 8: TRAP("roundss $0, %2, %%xmm1", whole); break;
        case 9: TRAP("movdqa %2, %%xmm1\n\tdpps $0xff, %2, %%xmm1", big); break;
        case 10: TRAP("movdqa %2, %%xmm1\n\tdpps $0xcf, %2, %%xmm1", big); break;
        case 11: TRAP("movdqa %2, %%xmm1\n\tdpps $0x3f, %2, %%xmm1", tiny); break;
        case 12: TRAP("movdqa %2, %%xmm1\n\tdpps $0xcf, %2, %%xmm1", tiny); break;
        case 13: TRAP("movdqa %2, %%xmm1\n\tdppd $0x33, %2, %%xmm1", denorm); break;
        case 14: TRAP("roundsd $0, %2, %%xmm1", denorm); break;
        case 15: TRAP("movdqa %2, %%xmm1\n\tdppd $0x23, %2, %%xmm1", denorm); break;
        case 16: TRAP("movdqa %2, %%xmm1\n\tdppd $0x33, %2, %%xmm1\n\tmovdqa %2, %%xmm1\n\tdppd $0x31, %2, %%xmm1", dinf); break;
        case 17: TRAP("movdqa %2, %%xmm1\n\tdppd $0x33, %2, %%xmm1", dhalf); break;
        case 18: TRAP("roundpd $0, %2, %%xmm1", denorm); break;
        case 19: TRAP("movdqa %2, %%xmm1\n\tdppd $0x33, %2, %%xmm1", dzero); break;
        case 20: TRAP("movdqa %2, %%xmm1\n\tdppd $0x33, %2, %%xmm1", snan); break;
        case 21: TRAP("movdqa %2, %%xmm1\n\tdppd $0x13, %2, %%xmm1", tiny); break;
        /* exceptions of the later stages: the adds */
        case 22: TRAP("movdqa %2, %%xmm1\n\tdpps $0x31, %4, %%xmm1", ovf); break;
        case 23: TRAP("movdqa %2, %%xmm1\n\tdpps $0x31, %2, %%xmm1", small); break;
        case 24: TRAP("movdqa %2, %%xmm1\n\tdppd $0x31, %5, %%xmm1", dmax); break;
        case 25: TRAP("movdqa %2, %%xmm1\n\tdpps $0xf1, %2, %%xmm1", third); break;
        default: TRAP("movdqa %2, %%xmm1\n\tdpps $0x7f, %4, %%xmm1", small); break;
        }
        setcsr(0x1f80);
        printf("  no trap: mxcsr %04x xmm1 %016llx%016llx\n", csr, (unsigned long long)r.q[1], (unsigned long long)r.q[0]);
    }
    signal(SIGFPE, SIG_DFL);
}

int main(void) {
    scalar();
    packed_round();
    dot_products();
    traps();
    return 0;
}
