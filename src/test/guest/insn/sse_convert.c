/*
 * SSE/SSE2 conversions under each MXCSR rounding mode (and DAZ/FTZ): CVTSI2SS/SD (32/64),
 * CVT(T)SS2SI / CVT(T)SD2SI (32/64), CVTSS2SD, CVTSD2SS, CVTPS2PD, CVTPD2PS, CVTDQ2PS,
 * CVT(T)PS2DQ, CVTDQ2PD, CVT(T)PD2DQ and the MMX forms CVTPI2PS/PD, CVT(T)PS2PI, CVT(T)PD2PI.
 * Prints results in hex with the MXCSR flags raised.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static inline uint32_t getcsr(void) { uint32_t m; __asm__ volatile("stmxcsr %0" : "=m"(m)); return m; }
static inline void setcsr(uint32_t m) { __asm__ volatile("ldmxcsr %0" : : "m"(m)); }

static const uint32_t MODES[] = {0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9fc0};
#define NM (sizeof MODES / sizeof MODES[0])

static const int64_t I[] = {
    0, 1, -1, 2, 3, 0x7fffffff, -0x7fffffff - 1, 0x1000001, 0x1000003, -0x1000003, 0xffffff,
    0x7fffffffffffffffll, -0x7fffffffffffffffll - 1, 0x20000000000001ll, 0x20000000000003ll,
    -0x20000000000003ll, 0x123456789abcdefll, 0x100000000ll, -0x80000001ll, 0x7ffffff0ll,
};
static const uint64_t D[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3fe0000000000000ull, 0xbfe0000000000000ull,
    0x3ff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull, 0x400c000000000000ull,
    0x41dfffffffc00000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull, 0xc1e0000000200000ull,
    0xc1dfffffffffffffull, 0x43e0000000000000ull, 0xc3e0000000000000ull, 0x43dfffffffffffffull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff4000000000001ull,
    0x47efffffe0000000ull, 0x47effffff0000000ull, 0x47efffffffffffffull, 0x3810000000000000ull,
    0x380fffffffffffffull, 0x36a0000000000000ull, 0x3690000000000000ull, 0x3fd5555555555555ull,
    0x7fefffffffffffffull, 0xfff8000000000abcull,
};
static const uint32_t F[] = {
    0x00000000u, 0x80000000u, 0x00000001u, 0x807fffffu, 0x3f800000u, 0xbf800000u, 0x3f000000u,
    0xbf000000u, 0x3fc00000u, 0x40200000u, 0xc0200000u, 0x40600000u, 0x4effffffu, 0x4f000000u,
    0xcf000000u, 0xcf000001u, 0x5effffffu, 0x5f000000u, 0xdf000000u, 0xdf000001u, 0x7f800000u,
    0xff800000u, 0x7fc00000u, 0x7fa00001u, 0x3eaaaaabu, 0xffc0abcdu, 0x4b000001u,
};
#define N(a) (sizeof a / sizeof a[0])

static void ints(void) {
    for (unsigned m = 0; m < NM; m++) {
        for (unsigned k = 0; k < N(I); k++) {
            int64_t v = I[k];
            int32_t v32 = (int32_t)v;
            double d1, d2; float f1, f2; uint32_t c1, c2, c3, c4;
            d1 = d2 = 0; f1 = f2 = 0;
            setcsr(MODES[m]); __asm__ volatile("cvtsi2sdl %1, %0" : "+x"(d1) : "rm"(v32)); c1 = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvtsi2sdq %1, %0" : "+x"(d2) : "rm"(v)); c2 = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvtsi2ssl %1, %0" : "+x"(f1) : "rm"(v32)); c3 = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvtsi2ssq %1, %0" : "+x"(f2) : "rm"(v)); c4 = getcsr() & 0x3f;
            uint64_t b1, b2; uint32_t b3, b4;
            memcpy(&b1, &d1, 8); memcpy(&b2, &d2, 8); memcpy(&b3, &f1, 4); memcpy(&b4, &f2, 4);
            printf("cvtsi2 %04x %016llx: %016llx %02x %016llx %02x %08x %02x %08x %02x\n", MODES[m],
                   (unsigned long long)v, (unsigned long long)b1, c1, (unsigned long long)b2, c2, b3, c3, b4, c4);
        }
    }
}

static void fromDouble(void) {
    for (unsigned m = 0; m < NM; m++) {
        for (unsigned k = 0; k < N(D); k++) {
            double x; memcpy(&x, &D[k], 8);
            int32_t r1, r2; int64_t r3, r4; float f; uint32_t c[5], fb;
            setcsr(MODES[m]); __asm__ volatile("cvtsd2si %1, %0" : "=r"(r1) : "x"(x)); c[0] = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvttsd2si %1, %0" : "=r"(r2) : "x"(x)); c[1] = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvtsd2si %1, %0" : "=r"(r3) : "x"(x)); c[2] = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvttsd2si %1, %0" : "=r"(r4) : "x"(x)); c[3] = getcsr() & 0x3f;
            f = 0;
            setcsr(MODES[m]); __asm__ volatile("cvtsd2ss %1, %0" : "+x"(f) : "x"(x)); c[4] = getcsr() & 0x3f;
            memcpy(&fb, &f, 4);
            printf("sd %04x %016llx: %08x %02x %08x %02x %016llx %02x %016llx %02x %08x %02x\n", MODES[m],
                   (unsigned long long)D[k], (uint32_t)r1, c[0], (uint32_t)r2, c[1], (unsigned long long)r3, c[2],
                   (unsigned long long)r4, c[3], fb, c[4]);
        }
        for (unsigned k = 0; k < N(F); k++) {
            float x; memcpy(&x, &F[k], 4);
            int32_t r1, r2; int64_t r3, r4; double d; uint32_t c[5]; uint64_t db;
            setcsr(MODES[m]); __asm__ volatile("cvtss2si %1, %0" : "=r"(r1) : "x"(x)); c[0] = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvttss2si %1, %0" : "=r"(r2) : "x"(x)); c[1] = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvtss2si %1, %0" : "=r"(r3) : "x"(x)); c[2] = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvttss2si %1, %0" : "=r"(r4) : "x"(x)); c[3] = getcsr() & 0x3f;
            d = 0;
            setcsr(MODES[m]); __asm__ volatile("cvtss2sd %1, %0" : "+x"(d) : "x"(x)); c[4] = getcsr() & 0x3f;
            memcpy(&db, &d, 8);
            printf("ss %04x %08x: %08x %02x %08x %02x %016llx %02x %016llx %02x %016llx %02x\n", MODES[m], F[k],
                   (uint32_t)r1, c[0], (uint32_t)r2, c[1], (unsigned long long)r3, c[2], (unsigned long long)r4, c[3],
                   (unsigned long long)db, c[4]);
        }
    }
}

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) v128;

#define PACKED(insn, src, dst)                                                                      \
    do {                                                                                            \
        setcsr(MODES[m]);                                                                           \
        __asm__ volatile("movdqa %1, %%xmm2\n\t" insn " %2, %%xmm2\n\tmovdqa %%xmm2, %0"            \
                         : "=m"(dst) : "m"(init), "m"(src) : "xmm2");                              \
        fl = getcsr() & 0x3f;                                                                       \
        printf("%-10s %04x %016llx %016llx: %016llx %016llx %02x\n", insn, MODES[m],                \
               (unsigned long long)src.q[0], (unsigned long long)src.q[1],                          \
               (unsigned long long)dst.q[0], (unsigned long long)dst.q[1], fl);                     \
    } while (0)

static void packed(void) {
    v128 init = {{0x1111111111111111ull, 0x2222222222222222ull}}, out;
    uint32_t fl;
    for (unsigned m = 0; m < NM; m++) {
        for (unsigned k = 0; k < N(D); k++) {
            v128 sd = {{D[k], D[(k + 7) % N(D)]}};
            v128 sf = {{F[k % N(F)] | (uint64_t)F[(k + 3) % N(F)] << 32, F[(k + 5) % N(F)] | (uint64_t)F[(k + 9) % N(F)] << 32}};
            v128 si = {{(uint32_t)I[k % N(I)] | (uint64_t)(uint32_t)I[(k + 3) % N(I)] << 32,
                        (uint32_t)I[(k + 6) % N(I)] | (uint64_t)(uint32_t)I[(k + 9) % N(I)] << 32}};
            PACKED("cvtpd2ps", sd, out);
            PACKED("cvtpd2dq", sd, out);
            PACKED("cvttpd2dq", sd, out);
            PACKED("cvtps2pd", sf, out);
            PACKED("cvtps2dq", sf, out);
            PACKED("cvttps2dq", sf, out);
            PACKED("cvtdq2ps", si, out);
            PACKED("cvtdq2pd", si, out);
            /* MMX forms */
            uint64_t mm1, mm2, mm3, mm4; v128 x1, x2; uint32_t f1, f2, f3, f4, f5, f6;
            setcsr(MODES[m]); __asm__ volatile("cvtps2pi %1, %%mm0\n\tmovq %%mm0, %0" : "=m"(mm1) : "m"(sf) : "mm0"); f1 = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvttps2pi %1, %%mm1\n\tmovq %%mm1, %0" : "=m"(mm2) : "m"(sf) : "mm1"); f2 = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvtpd2pi %1, %%mm2\n\tmovq %%mm2, %0" : "=m"(mm3) : "m"(sd) : "mm2"); f3 = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("cvttpd2pi %1, %%mm3\n\tmovq %%mm3, %0" : "=m"(mm4) : "m"(sd) : "mm3"); f4 = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("movdqa %1, %%xmm3\n\tmovq %2, %%mm4\n\tcvtpi2ps %%mm4, %%xmm3\n\tmovdqa %%xmm3, %0"
                                               : "=m"(x1) : "m"(init), "m"(si.q[0]) : "mm4", "xmm3"); f5 = getcsr() & 0x3f;
            setcsr(MODES[m]); __asm__ volatile("movdqa %1, %%xmm4\n\tcvtpi2pd %2, %%xmm4\n\tmovdqa %%xmm4, %0"
                                               : "=m"(x2) : "m"(init), "m"(si.q[1]) : "xmm4"); f6 = getcsr() & 0x3f;
            __asm__ volatile("emms");
            printf("mmx %04x: %016llx %02x %016llx %02x %016llx %02x %016llx %02x %016llx %016llx %02x %016llx %016llx %02x\n",
                   MODES[m], (unsigned long long)mm1, f1, (unsigned long long)mm2, f2, (unsigned long long)mm3, f3,
                   (unsigned long long)mm4, f4, (unsigned long long)x1.q[0], (unsigned long long)x1.q[1], f5,
                   (unsigned long long)x2.q[0], (unsigned long long)x2.q[1], f6);
        }
    }
    setcsr(0x1f80);
}

int main(void) {
    ints();
    fromDouble();
    packed();
    return 0;
}
