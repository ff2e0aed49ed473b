/*
 * MUL, IMUL (one-, two- and three-operand forms) and DIV, IDIV over edge operands at every
 * operand size, including 128-by-64-bit division. Prints RAX and RDX in full (so AH/DX merging
 * and 32-bit zero extension show) and, after multiplies, CF and OF, the only flags the SDM
 * defines (DIV and IDIV leave every flag undefined). Divisions that would raise #DE are not
 * executed; the program computes that condition itself.
 */
#include <stdint.h>
#include <stdio.h>

#define CF 0x1ULL
#define OF 0x800ULL
#define ALL 0x8d5ULL

#define PRE "sub $128, %%rsp\n\tpush %[fin]\n\tpopfq\n\t"
#define POST "\n\tpushfq\n\tpop %[fo]\n\tadd $128, %%rsp"

static uint64_t g_mem;

typedef void (*fn1)(uint64_t *rax, uint64_t *rdx, uint64_t src, uint64_t fin, uint64_t *fo);

/* One-operand forms: register and memory source. */
#define DEF_ONE(op, sfx, mod)                                                                  \
    static void op##sfx##_r(uint64_t *rax, uint64_t *rdx, uint64_t src, uint64_t fin, uint64_t *fo) { \
        uint64_t a = *rax, d = *rdx;                                                           \
        __asm__ volatile(PRE #op #sfx " %" #mod "[s]" POST                                     \
                         : "+a"(a), "+d"(d), [fo] "=&r"(*fo) : [s] "r"(src), [fin] "r"(fin) : "cc"); \
        *rax = a;                                                                              \
        *rdx = d;                                                                              \
    }                                                                                          \
    static void op##sfx##_m(uint64_t *rax, uint64_t *rdx, uint64_t src, uint64_t fin, uint64_t *fo) { \
        uint64_t a = *rax, d = *rdx;                                                           \
        g_mem = src;                                                                           \
        __asm__ volatile(PRE #op #sfx " %[m]" POST                                             \
                         : "+a"(a), "+d"(d), [fo] "=&r"(*fo) : [m] "m"(g_mem), [fin] "r"(fin) : "cc"); \
        *rax = a;                                                                              \
        *rdx = d;                                                                              \
    }
#define SIZES(X, op) X(op, b, b) X(op, w, w) X(op, l, k) X(op, q, q)
SIZES(DEF_ONE, mul)
SIZES(DEF_ONE, imul)
SIZES(DEF_ONE, div)
SIZES(DEF_ONE, idiv)

/* IMUL r, r/m and IMUL r, r/m, imm (8-bit and full immediates). */
#define DEF_IMUL2(sfx, mod)                                                                    \
    static void imul2##sfx(uint64_t *rax, uint64_t *rdx, uint64_t src, uint64_t fin, uint64_t *fo) { \
        uint64_t a = *rax;                                                                     \
        (void)rdx;                                                                             \
        __asm__ volatile(PRE "imul" #sfx " %" #mod "[s], %" #mod "[a]" POST                    \
                         : [a] "+r"(a), [fo] "=&r"(*fo) : [s] "r"(src), [fin] "r"(fin) : "cc"); \
        *rax = a;                                                                              \
    }                                                                                          \
    static void imul3b##sfx(uint64_t *rax, uint64_t *rdx, uint64_t src, uint64_t fin, uint64_t *fo) { \
        uint64_t a = *rax;                                                                     \
        (void)rdx;                                                                             \
        __asm__ volatile(PRE "imul" #sfx " $-3, %" #mod "[s], %" #mod "[a]" POST               \
                         : [a] "+r"(a), [fo] "=&r"(*fo) : [s] "r"(src), [fin] "r"(fin) : "cc"); \
        *rax = a;                                                                              \
    }                                                                                          \
    static void imul3z##sfx(uint64_t *rax, uint64_t *rdx, uint64_t src, uint64_t fin, uint64_t *fo) { \
        uint64_t a = *rax;                                                                     \
        (void)rdx;                                                                             \
        g_mem = src;                                                                           \
        __asm__ volatile(PRE "imul" #sfx " $0x7123, %[m], %" #mod "[a]" POST                   \
                         : [a] "+r"(a), [fo] "=&r"(*fo) : [m] "m"(g_mem), [fin] "r"(fin) : "cc"); \
        *rax = a;                                                                              \
    }
DEF_IMUL2(w, w)
DEF_IMUL2(l, k)
DEF_IMUL2(q, q)

enum kind { MUL, IMUL, DIV, IDIV };

struct test {
    const char *name;
    fn1 fn;
    int size;
    enum kind kind;
};

static const struct test tests[] = {
    {"mulb", mulb_r, 1, MUL}, {"mulw", mulw_r, 2, MUL}, {"mull", mull_r, 4, MUL}, {"mulq", mulq_r, 8, MUL},
    {"mulb mem", mulb_m, 1, MUL}, {"mulw mem", mulw_m, 2, MUL}, {"mull mem", mull_m, 4, MUL},
    {"mulq mem", mulq_m, 8, MUL}, {"imulb mem", imulb_m, 1, IMUL}, {"imulq mem", imulq_m, 8, IMUL},
    {"imulb", imulb_r, 1, IMUL}, {"imulw", imulw_r, 2, IMUL}, {"imull", imull_r, 4, IMUL},
    {"imulq", imulq_r, 8, IMUL}, {"imulw mem", imulw_m, 2, IMUL}, {"imull mem", imull_m, 4, IMUL},
    {"imulw r,r", imul2w, 2, IMUL}, {"imull r,r", imul2l, 4, IMUL}, {"imulq r,r", imul2q, 8, IMUL},
    {"imulw r,r,-3", imul3bw, 2, IMUL}, {"imull r,r,-3", imul3bl, 4, IMUL}, {"imulq r,r,-3", imul3bq, 8, IMUL},
    {"imulw r,m,0x7123", imul3zw, 2, IMUL}, {"imull r,m,0x7123", imul3zl, 4, IMUL},
    {"imulq r,m,0x7123", imul3zq, 8, IMUL},
    {"divb", divb_r, 1, DIV}, {"divw", divw_r, 2, DIV}, {"divl", divl_r, 4, DIV}, {"divq", divq_r, 8, DIV},
    {"divb mem", divb_m, 1, DIV}, {"divw mem", divw_m, 2, DIV}, {"divl mem", divl_m, 4, DIV},
    {"divq mem", divq_m, 8, DIV},
    {"idivb", idivb_r, 1, IDIV}, {"idivw", idivw_r, 2, IDIV}, {"idivl", idivl_r, 4, IDIV},
    {"idivq", idivq_r, 8, IDIV}, {"idivb mem", idivb_m, 1, IDIV}, {"idivw mem", idivw_m, 2, IDIV},
    {"idivl mem", idivl_m, 4, IDIV}, {"idivq mem", idivq_m, 8, IDIV},
};

static const uint64_t values[] = {
    0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
    0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL,
    0x123456789abcdef0ULL, 0xfedcba9876543210ULL, 0x00000001c0ffee00ULL,
};
#define NVALUES (sizeof values / sizeof values[0])

static __int128 sext(unsigned __int128 v, int bits) {
    return (__int128)(v << (128 - bits)) >> (128 - bits);
}

/* Would the division fault with #DE? The dividend is AX, DX:AX, EDX:EAX or RDX:RAX. */
static int divide_error(enum kind kind, int size, uint64_t rax, uint64_t rdx, uint64_t src) {
    int bits = 8 * size;
    unsigned __int128 m = ((unsigned __int128)1 << bits) - 1;
    unsigned __int128 n;
    if (size == 1) {
        n = rax & 0xffff;
    } else {
        n = (((unsigned __int128)rdx & m) << bits) | (rax & m);
    }
    unsigned __int128 d = src & m;
    if (d == 0) {
        return 1;
    }
    if (kind == DIV) {
        return n / d > m;
    }
    __int128 sn = sext(n, 2 * bits);
    __int128 sd = sext(d, bits);
    /* |quotient| computed without overflow (|sn| < 2^127 unless sn = -2^127) */
    unsigned __int128 an = sn < 0 ? -(unsigned __int128)sn : (unsigned __int128)sn;
    unsigned __int128 ad = sd < 0 ? -(unsigned __int128)sd : (unsigned __int128)sd;
    unsigned __int128 aq = an / ad;
    unsigned __int128 limit = ((unsigned __int128)1 << (bits - 1)) - ((sn < 0) == (sd < 0) ? 1 : 0);
    return aq > limit;
}

int main(void) {
    for (unsigned t = 0; t < sizeof tests / sizeof tests[0]; t++) {
        const struct test *te = &tests[t];
        int is_div = te->kind == DIV || te->kind == IDIV;
        for (unsigned i = 0; i < NVALUES; i++) {
            for (unsigned j = 0; j < NVALUES; j++) {
                for (unsigned h = 0; h < (is_div ? 4u : 1u); h++) {
                    uint64_t rax = values[i] ^ (te->size < 8 ? 0x5a5a5a5a5a5a0000ULL << (8 * (te->size - 1)) : 0);
                    uint64_t rdx = is_div ? values[(i + j + h * 5) % NVALUES] >> (h * 8) : 0xa5a5a5a5a5a5a5a5ULL;
                    if (h == 0 && is_div) {
                        rdx = (te->kind == IDIV && (int64_t)rax < 0) ? ~0ULL : 0;
                    }
                    uint64_t src = values[j] | (te->size < 8 ? 0x3c3c3c3c3c3c3c00ULL << (8 * (te->size - 1)) : 0);
                    uint64_t fo = 0;
                    if (is_div && divide_error(te->kind, te->size, rax, rdx, src)) {
                        continue;
                    }
                    te->fn(&rax, &rdx, src, ALL * (i & 1), &fo);
                    printf("%s %llx %llx -> %016llx %016llx", te->name, (unsigned long long)values[i],
                           (unsigned long long)values[j], (unsigned long long)rax, (unsigned long long)rdx);
                    if (!is_div) {
                        printf(" %03llx", (unsigned long long)(fo & (CF | OF)));
                    }
                    putchar('\n');
                }
            }
        }
    }
    return 0;
}
