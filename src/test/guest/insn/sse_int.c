/*
 * SSE2 and MMX packed-integer instructions over edge and pseudo-random operands: add/sub
 * (wrapping and saturating), multiplies, PMADDWD, PAVG, PMIN/PMAX, PSADBW, PCMPEQ/PCMPGT,
 * logic, and shifts by register and by immediate (including counts past the element width).
 */
#include <stdint.h>
#include <stdio.h>

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) v128;

static const uint64_t EDGE[] = {
    0x0000000000000000ull, 0xffffffffffffffffull, 0x8000000000000000ull, 0x7fffffffffffffffull,
    0x8080808080808080ull, 0x7f7f7f7f7f7f7f7full, 0x8000800080008000ull, 0x7fff7fff7fff7fffull,
    0x0001000100010001ull, 0x00ff00ff00ff00ffull, 0x80000000ffffffffull, 0x0123456789abcdefull,
    0xfedcba9876543210ull, 0x0101010101010101ull, 0xff00ff00ff00ff00ull, 0x00000001ffffffffull,
};
#define NE (sizeof EDGE / sizeof EDGE[0])

static uint64_t seed = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
    seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
    return seed;
}

#define XOP(insn)                                                                              \
    do {                                                                                       \
        v128 r;                                                                                \
        __asm__ volatile("movdqa %1, %%xmm0\n\t" insn " %2, %%xmm0\n\tmovdqa %%xmm0, %0"       \
                         : "=m"(r) : "m"(a), "m"(b) : "xmm0");                                 \
        printf("%-8s %016llx%016llx\n", insn, (unsigned long long)r.q[1], (unsigned long long)r.q[0]); \
    } while (0)
#define XOPR(insn)                                                                             \
    do {                                                                                       \
        v128 r;                                                                                \
        __asm__ volatile("movdqa %1, %%xmm0\n\tmovdqa %2, %%xmm5\n\t" insn " %%xmm5, %%xmm0\n\tmovdqa %%xmm0, %0" \
                         : "=m"(r) : "m"(a), "m"(b) : "xmm0", "xmm5");                        \
        printf("%-8s r %016llx%016llx\n", insn, (unsigned long long)r.q[1], (unsigned long long)r.q[0]); \
    } while (0)
#define MOP(insn)                                                                              \
    do {                                                                                       \
        uint64_t r;                                                                            \
        __asm__ volatile("movq %1, %%mm0\n\t" insn " %2, %%mm0\n\tmovq %%mm0, %0"              \
                         : "=m"(r) : "m"(a.q[0]), "m"(b.q[1]) : "mm0");                        \
        printf("%-8s m %016llx\n", insn, (unsigned long long)r);                               \
    } while (0)
#define BOTH(insn) XOP(insn); MOP(insn)

static void ops(v128 a, v128 b) {
    printf("a=%016llx%016llx b=%016llx%016llx\n", (unsigned long long)a.q[1], (unsigned long long)a.q[0],
           (unsigned long long)b.q[1], (unsigned long long)b.q[0]);
    BOTH("paddb"); BOTH("paddw"); BOTH("paddd"); BOTH("paddq");
    BOTH("psubb"); BOTH("psubw"); BOTH("psubd"); BOTH("psubq");
    BOTH("paddsb"); BOTH("paddsw"); BOTH("paddusb"); BOTH("paddusw");
    BOTH("psubsb"); BOTH("psubsw"); BOTH("psubusb"); BOTH("psubusw");
    BOTH("pmullw"); BOTH("pmulhw"); BOTH("pmulhuw"); BOTH("pmuludq"); BOTH("pmaddwd");
    BOTH("pavgb"); BOTH("pavgw"); BOTH("pminub"); BOTH("pmaxub"); BOTH("pminsw"); BOTH("pmaxsw");
    BOTH("psadbw");
    BOTH("pcmpeqb"); BOTH("pcmpeqw"); BOTH("pcmpeqd"); BOTH("pcmpgtb"); BOTH("pcmpgtw"); BOTH("pcmpgtd");
    BOTH("pand"); BOTH("pandn"); BOTH("por"); BOTH("pxor");
    XOPR("pcmpeqb"); XOPR("pminub"); XOPR("pxor"); XOPR("psubb");
    __asm__ volatile("emms");
}

#define SHIFT_IMM(insn, n)                                                                     \
    do {                                                                                       \
        v128 r; uint64_t m;                                                                    \
        __asm__ volatile("movdqa %1, %%xmm1\n\t" insn " $" #n ", %%xmm1\n\tmovdqa %%xmm1, %0"  \
                         : "=m"(r) : "m"(a) : "xmm1");                                        \
        __asm__ volatile("movq %1, %%mm1\n\t" insn " $" #n ", %%mm1\n\tmovq %%mm1, %0"         \
                         : "=m"(m) : "m"(a.q[1]) : "mm1");                                    \
        printf("%s $%d %016llx%016llx %016llx\n", insn, n, (unsigned long long)r.q[1],         \
               (unsigned long long)r.q[0], (unsigned long long)m);                              \
    } while (0)
#define SHIFTS_IMM(n)                                                                          \
    SHIFT_IMM("psllw", n); SHIFT_IMM("psrlw", n); SHIFT_IMM("psraw", n);                       \
    SHIFT_IMM("pslld", n); SHIFT_IMM("psrld", n); SHIFT_IMM("psrad", n);                       \
    SHIFT_IMM("psllq", n); SHIFT_IMM("psrlq", n)
#define BYTESHIFT(n)                                                                           \
    do {                                                                                       \
        v128 r1, r2;                                                                           \
        __asm__ volatile("movdqa %2, %%xmm1\n\tpslldq $" #n ", %%xmm1\n\tmovdqa %%xmm1, %0\n\t" \
                         "movdqa %2, %%xmm1\n\tpsrldq $" #n ", %%xmm1\n\tmovdqa %%xmm1, %1"   \
                         : "=m"(r1), "=m"(r2) : "m"(a) : "xmm1");                             \
        printf("pslldq/psrldq $%d %016llx%016llx %016llx%016llx\n", n, (unsigned long long)r1.q[1], \
               (unsigned long long)r1.q[0], (unsigned long long)r2.q[1], (unsigned long long)r2.q[0]); \
    } while (0)

static void shifts(v128 a) {
    SHIFTS_IMM(0); SHIFTS_IMM(1); SHIFTS_IMM(7); SHIFTS_IMM(15); SHIFTS_IMM(16); SHIFTS_IMM(31);
    SHIFTS_IMM(32); SHIFTS_IMM(63); SHIFTS_IMM(64); SHIFTS_IMM(200);
    BYTESHIFT(0); BYTESHIFT(1); BYTESHIFT(7); BYTESHIFT(8); BYTESHIFT(9); BYTESHIFT(15); BYTESHIFT(16); BYTESHIFT(255);
    static const uint64_t counts[] = {0, 1, 5, 15, 16, 17, 31, 32, 33, 63, 64, 65, 0x100000001ull, 0x8000000000000000ull};
    for (unsigned k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        v128 b = {{counts[k], 0xffffffffffffffffull}};
        printf("count %llx\n", (unsigned long long)counts[k]);
        XOP("psllw"); XOP("psrlw"); XOP("psraw"); XOP("pslld"); XOP("psrld"); XOP("psrad"); XOP("psllq"); XOP("psrlq");
        {
            uint64_t r;
#define MSH(insn) __asm__ volatile("movq %1, %%mm2\n\tmovq %2, %%mm3\n\t" insn " %%mm3, %%mm2\n\tmovq %%mm2, %0" \
                                   : "=m"(r) : "m"(a.q[0]), "m"(b.q[0]) : "mm2", "mm3"); printf(insn " m %016llx\n", (unsigned long long)r)
            MSH("psllw"); MSH("psrlw"); MSH("psraw"); MSH("pslld"); MSH("psrld"); MSH("psrad"); MSH("psllq"); MSH("psrlq");
        }
    }
    __asm__ volatile("emms");
}

int main(void) {
    for (unsigned i = 0; i < NE; i += 1) {
        for (unsigned j = 0; j < NE; j += 3) {
            v128 a = {{EDGE[i], EDGE[(i + 5) % NE]}}, b = {{EDGE[j], EDGE[(j + 7) % NE]}};
            ops(a, b);
        }
    }
    for (int k = 0; k < 40; k++) {
        v128 a = {{next(), next()}}, b = {{next(), next()}};
        if (k & 1) b.q[0] = a.q[0] ^ (next() & 0x0101010101010101ull);
        ops(a, b);
    }
    for (unsigned i = 0; i < NE; i += 2) {
        v128 a = {{EDGE[i], EDGE[(i + 3) % NE] ^ 0x5a5a5a5a5a5a5a5aull}};
        shifts(a);
    }
    return 0;
}
