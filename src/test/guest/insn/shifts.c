/*
 * ROL ROR RCL RCR SHL SAL SHR SAR (count in CL, immediate and 1) and SHLD SHRD, every operand
 * size, register and memory forms, counts 0, 1, 2, size-1, size, size+1, 31, 32, 33, 63, 64 and
 * more, with all status flags clear and set before. Prints the full 64-bit register and only
 * the flags the SDM defines for that count:
 *   masked count 0: all flags unchanged;
 *   SHL/SHR/SAR: CF (undefined when count >= size for SHL/SHR), SF ZF PF; OF only for count 1;
 *   ROL/ROR/RCL/RCR: CF (other flags unchanged); OF only for count 1;
 *   SHLD/SHRD: CF SF ZF PF; OF only for count 1; nothing for 16-bit counts above 16.
 */
#include <stdint.h>
#include <stdio.h>

#define ALL 0x8d5ULL
#define CF 0x1ULL
#define PF 0x4ULL
#define AF 0x10ULL
#define ZF 0x40ULL
#define SF 0x80ULL
#define OF 0x800ULL

#define PRE "sub $128, %%rsp\n\tpush %[fin]\n\tpopfq\n\t"
#define POST "\n\tpushfq\n\tpop %[fo]\n\tadd $128, %%rsp"

static uint64_t g_mem;

typedef void (*shiftfn)(uint64_t *a, uint64_t src, uint64_t count, uint64_t fin, uint64_t *fo);

#define DEF_SHIFT(op, sfx, mod)                                                                \
    static void op##sfx##_cl(uint64_t *a, uint64_t src, uint64_t count, uint64_t fin, uint64_t *fo) { \
        uint64_t x = *a;                                                                       \
        (void)src;                                                                             \
        __asm__ volatile(PRE #op #sfx " %%cl, %" #mod "[x]" POST                               \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : "c"(count), [fin] "r"(fin) : "cc");  \
        *a = x;                                                                                \
    }                                                                                          \
    static void op##sfx##_mcl(uint64_t *a, uint64_t src, uint64_t count, uint64_t fin, uint64_t *fo) { \
        g_mem = *a;                                                                            \
        (void)src;                                                                             \
        __asm__ volatile(PRE #op #sfx " %%cl, %[m]" POST                                       \
                         : [m] "+m"(g_mem), [fo] "=&r"(*fo) : "c"(count), [fin] "r"(fin) : "cc"); \
        *a = g_mem;                                                                            \
    }                                                                                          \
    static void op##sfx##_1(uint64_t *a, uint64_t src, uint64_t count, uint64_t fin, uint64_t *fo) { \
        uint64_t x = *a;                                                                       \
        (void)src;                                                                             \
        (void)count;                                                                           \
        __asm__ volatile(PRE #op #sfx " %" #mod "[x]" POST                                     \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [fin] "r"(fin) : "cc");              \
        *a = x;                                                                                \
    }
/* Immediate counts are instantiated per count value. */
#define DEF_SHIFT_IMM(op, sfx, mod, n)                                                         \
    static void op##sfx##_i##n(uint64_t *a, uint64_t src, uint64_t count, uint64_t fin, uint64_t *fo) { \
        uint64_t x = *a;                                                                       \
        (void)src;                                                                             \
        (void)count;                                                                           \
        __asm__ volatile(PRE #op #sfx " $" #n ", %" #mod "[x]" POST                            \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [fin] "r"(fin) : "cc");              \
        *a = x;                                                                                \
    }
#define IMM_COUNTS(X, op, sfx, mod) X(op, sfx, mod, 0) X(op, sfx, mod, 2) X(op, sfx, mod, 7)     \
    X(op, sfx, mod, 8) X(op, sfx, mod, 9) X(op, sfx, mod, 16) X(op, sfx, mod, 17)              \
    X(op, sfx, mod, 31) X(op, sfx, mod, 32) X(op, sfx, mod, 63) X(op, sfx, mod, 64)

#define SIZES(X, op) X(op, b, b) X(op, w, w) X(op, l, k) X(op, q, q)
#define SHIFT_OPS(X) X(rol) X(ror) X(rcl) X(rcr) X(shl) X(sal) X(shr) X(sar)
#define DEF_IMMS(op, sfx, mod) IMM_COUNTS(DEF_SHIFT_IMM, op, sfx, mod)
#define DEF_ALL(op) SIZES(DEF_SHIFT, op) SIZES(DEF_IMMS, op)
SHIFT_OPS(DEF_ALL)

/* SHLD/SHRD r/m, r, CL and r/m, r, imm8. */
#define DEF_DOUBLE(op, sfx, mod)                                                               \
    static void op##sfx##_cl(uint64_t *a, uint64_t src, uint64_t count, uint64_t fin, uint64_t *fo) { \
        uint64_t x = *a;                                                                       \
        __asm__ volatile(PRE #op #sfx " %%cl, %" #mod "[s], %" #mod "[x]" POST                 \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [s] "r"(src), "c"(count), [fin] "r"(fin) : "cc"); \
        *a = x;                                                                                \
    }                                                                                          \
    static void op##sfx##_mcl(uint64_t *a, uint64_t src, uint64_t count, uint64_t fin, uint64_t *fo) { \
        g_mem = *a;                                                                            \
        __asm__ volatile(PRE #op #sfx " %%cl, %" #mod "[s], %[m]" POST                         \
                         : [m] "+m"(g_mem), [fo] "=&r"(*fo) : [s] "r"(src), "c"(count), [fin] "r"(fin) : "cc"); \
        *a = g_mem;                                                                            \
    }                                                                                          \
    static void op##sfx##_i5(uint64_t *a, uint64_t src, uint64_t count, uint64_t fin, uint64_t *fo) { \
        uint64_t x = *a;                                                                       \
        (void)count;                                                                           \
        __asm__ volatile(PRE #op #sfx " $5, %" #mod "[s], %" #mod "[x]" POST                   \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [s] "r"(src), [fin] "r"(fin) : "cc"); \
        *a = x;                                                                                \
    }
#define DOUBLE_SIZES(X, op) X(op, w, w) X(op, l, k) X(op, q, q)
DOUBLE_SIZES(DEF_DOUBLE, shld)
DOUBLE_SIZES(DEF_DOUBLE, shrd)

enum kind { SHIFT, ROTATE, DOUBLE };

struct test {
    const char *name;
    shiftfn fn;
    int size;
    enum kind kind;
    int left;   /* SHL, SAL, SHR: CF is undefined for counts >= size */
    int count;  /* fixed count of the form, or -1 for CL */
};

#define T_SHIFT(op, sfx, size, kind, left)                                                     \
    {#op #sfx " cl", op##sfx##_cl, size, kind, left, -1},                                      \
    {#op #sfx " mem,cl", op##sfx##_mcl, size, kind, left, -1},                                 \
    {#op #sfx " 1", op##sfx##_1, size, kind, left, 1},                                         \
    {#op #sfx " $0", op##sfx##_i0, size, kind, left, 0},                                       \
    {#op #sfx " $2", op##sfx##_i2, size, kind, left, 2},                                       \
    {#op #sfx " $7", op##sfx##_i7, size, kind, left, 7},                                       \
    {#op #sfx " $8", op##sfx##_i8, size, kind, left, 8},                                       \
    {#op #sfx " $9", op##sfx##_i9, size, kind, left, 9},                                       \
    {#op #sfx " $16", op##sfx##_i16, size, kind, left, 16},                                    \
    {#op #sfx " $17", op##sfx##_i17, size, kind, left, 17},                                    \
    {#op #sfx " $31", op##sfx##_i31, size, kind, left, 31},                                    \
    {#op #sfx " $32", op##sfx##_i32, size, kind, left, 32},                                    \
    {#op #sfx " $63", op##sfx##_i63, size, kind, left, 63},                                    \
    {#op #sfx " $64", op##sfx##_i64, size, kind, left, 64},
#define T_SIZES(op, kind, left)                                                                \
    T_SHIFT(op, b, 1, kind, left) T_SHIFT(op, w, 2, kind, left) T_SHIFT(op, l, 4, kind, left)  \
    T_SHIFT(op, q, 8, kind, left)
#define T_DOUBLE(op, sfx, size)                                                                \
    {#op #sfx " cl", op##sfx##_cl, size, DOUBLE, 0, -1},                                       \
    {#op #sfx " mem,cl", op##sfx##_mcl, size, DOUBLE, 0, -1},                                  \
    {#op #sfx " $5", op##sfx##_i5, size, DOUBLE, 0, 5},

static const struct test tests[] = {
    T_SIZES(rol, ROTATE, 0) T_SIZES(ror, ROTATE, 0) T_SIZES(rcl, ROTATE, 0) T_SIZES(rcr, ROTATE, 0)
    T_SIZES(shl, SHIFT, 1) T_SIZES(sal, SHIFT, 1) T_SIZES(shr, SHIFT, 1) T_SIZES(sar, SHIFT, 0)
    T_DOUBLE(shld, w, 2) T_DOUBLE(shld, l, 4) T_DOUBLE(shld, q, 8)
    T_DOUBLE(shrd, w, 2) T_DOUBLE(shrd, l, 4) T_DOUBLE(shrd, q, 8)
};

static const uint64_t values[] = {
    0, 1, 2, 0x7f, 0x80, 0x81, 0xff, 0x7fff, 0x8000, 0x8181, 0xffff, 0x7fffffff, 0x80000000,
    0x80000001, 0xffffffff, 0x4000000000000000ULL, 0x8000000000000000ULL, 0xc000000000000001ULL,
    0xffffffffffffffffULL, 0x123456789abcdef0ULL, 0xfedcba9876543210ULL,
};
#define NVALUES (sizeof values / sizeof values[0])

static const uint64_t cl_counts[] = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 18, 31, 32, 33, 63, 64, 65, 255};
#define NCOUNTS (sizeof cl_counts / sizeof cl_counts[0])

/* The flags the SDM defines after this instruction and count. */
static uint64_t defined_flags(const struct test *te, uint64_t count) {
    int bits = 8 * te->size;
    unsigned masked = (unsigned)count & (te->size == 8 ? 63 : 31);
    if (masked == 0) {
        return ALL;
    }
    uint64_t of = masked == 1 ? OF : 0;
    switch (te->kind) {
    case SHIFT: {
        uint64_t cf = te->left && masked >= (unsigned)bits ? 0 : CF;
        return cf | of | SF | ZF | PF;
    }
    case ROTATE:
        return (ALL & ~OF) | of;
    default:
        if (te->size == 2 && masked > 16) {
            return 0;
        }
        return CF | of | SF | ZF | PF;
    }
}

int main(void) {
    const uint64_t garbage = 0xa5a5a5a5a5a5a5a5ULL;
    for (unsigned t = 0; t < sizeof tests / sizeof tests[0]; t++) {
        const struct test *te = &tests[t];
        uint64_t m = te->size == 8 ? ~0ULL : (1ULL << (8 * te->size)) - 1;
        unsigned ncounts = te->count < 0 ? NCOUNTS : 1;
        for (unsigned c = 0; c < ncounts; c++) {
            uint64_t count = te->count < 0 ? cl_counts[c] : (uint64_t)te->count;
            uint64_t defined = defined_flags(te, count);
            int undefined_result = te->kind == DOUBLE && te->size == 2 && (count & 31) > 16;
            for (unsigned i = 0; i < NVALUES; i++) {
                for (int k = 0; k < 2; k++) {
                    uint64_t fin = k ? ALL : 0;
                    uint64_t a = (values[i] & m) | (garbage & ~m);
                    uint64_t src = values[(i * 7 + 3) % NVALUES];
                    uint64_t fo;
                    if (undefined_result) {
                        continue;
                    }
                    te->fn(&a, src, count, fin, &fo);
                    printf("%s %llx count %llu f%llx -> %016llx %03llx\n", te->name, (unsigned long long)values[i],
                           (unsigned long long)count, (unsigned long long)fin, (unsigned long long)a,
                           (unsigned long long)(fo & defined));
                }
            }
        }
    }
    return 0;
}
