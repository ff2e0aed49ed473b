/*
 * ADD OR ADC SBB AND SUB XOR CMP TEST INC DEC NEG NOT over edge operands, every operand size,
 * register, immediate, memory and LOCKed memory forms. Prints the full 64-bit register (so byte
 * and word merging and 32-bit zero extension show) and the status flags the SDM defines for
 * each instruction (AF is undefined after AND, OR, XOR, TEST).
 */
#include <stdint.h>
#include <stdio.h>

#define ALL 0x8d5ULL /* OF SF ZF AF PF CF */
#define AF 0x10ULL

/* Flags in, instruction, flags out; the stack red zone is skipped before pushing. */
#define PRE "sub $128, %%rsp\n\tpush %[fin]\n\tpopfq\n\t"
#define POST "\n\tpushfq\n\tpop %[fo]\n\tadd $128, %%rsp"

static uint64_t g_mem;

typedef void (*binop)(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo);

/* op G,E register form, memory-destination form, locked memory form, for one size. */
#define DEF_BIN(op, sfx, mod)                                                                  \
    static void op##_##sfx##_rr(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo) {        \
        uint64_t x = *a;                                                                       \
        __asm__ volatile(PRE #op #sfx " %" #mod "[y], %" #mod "[x]" POST                       \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [y] "r"(b), [fin] "r"(fin) : "cc");  \
        *a = x;                                                                                \
    }                                                                                          \
    static void op##_##sfx##_mr(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo) {        \
        g_mem = *a;                                                                            \
        __asm__ volatile(PRE #op #sfx " %" #mod "[y], %[m]" POST                               \
                         : [m] "+m"(g_mem), [fo] "=&r"(*fo) : [y] "r"(b), [fin] "r"(fin) : "cc"); \
        *a = g_mem;                                                                            \
    }                                                                                          \
    static void op##_##sfx##_rm(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo) {        \
        uint64_t x = *a;                                                                       \
        g_mem = b;                                                                             \
        __asm__ volatile(PRE #op #sfx " %[m], %" #mod "[x]" POST                               \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [m] "m"(g_mem), [fin] "r"(fin) : "cc"); \
        *a = x;                                                                                \
    }

#define DEF_LOCK(op, sfx, mod)                                                                 \
    static void op##_##sfx##_lk(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo) {        \
        g_mem = *a;                                                                            \
        __asm__ volatile(PRE "lock " #op #sfx " %" #mod "[y], %[m]" POST                       \
                         : [m] "+m"(g_mem), [fo] "=&r"(*fo) : [y] "r"(b), [fin] "r"(fin) : "cc"); \
        *a = g_mem;                                                                            \
    }

/* op $imm, E with the sign-extended 8-bit form and the full immediate form. */
#define DEF_IMM(op, sfx, mod, name, imm)                                                       \
    static void op##_##sfx##_##name(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo) {    \
        uint64_t x = *a;                                                                       \
        (void)b;                                                                               \
        __asm__ volatile(PRE #op #sfx " $" #imm ", %" #mod "[x]" POST                          \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [fin] "r"(fin) : "cc");              \
        *a = x;                                                                                \
    }

#define DEF_SIZES(X, op) X(op, b, b) X(op, w, w) X(op, l, k) X(op, q, q)

/* Each operation with the flags it defines (AF is undefined after the logical ones). */
#define LOGIC (ALL & ~AF)
#define BIN_OPS(X) X(add, ALL) X(or, LOGIC) X(adc, ALL) X(sbb, ALL) X(and, LOGIC) X(sub, ALL) \
    X(xor, LOGIC) X(cmp, ALL) X(test, LOGIC)
#define LOCK_OPS(X) X(add, ALL) X(or, LOGIC) X(adc, ALL) X(sbb, ALL) X(and, LOGIC) X(sub, ALL) \
    X(xor, LOGIC)

#define DEF_BIN_ALL(op, fl) DEF_SIZES(DEF_BIN, op)
#define DEF_LOCK_ALL(op, fl) DEF_SIZES(DEF_LOCK, op)
BIN_OPS(DEF_BIN_ALL)
LOCK_OPS(DEF_LOCK_ALL)

#define DEF_IMM_ALL(op, fl)                                                                      \
    DEF_IMM(op, b, b, i1, 1) DEF_IMM(op, b, b, im1, -1) DEF_IMM(op, b, b, i80, 0x80)           \
    DEF_IMM(op, w, w, i1, 1) DEF_IMM(op, w, w, im1, -1) DEF_IMM(op, w, w, iz, 0x8001)          \
    DEF_IMM(op, l, k, i1, 1) DEF_IMM(op, l, k, im1, -1) DEF_IMM(op, l, k, iz, 0x80000001)      \
    DEF_IMM(op, q, q, i1, 1) DEF_IMM(op, q, q, im1, -1) DEF_IMM(op, q, q, iz, -0x7fffffff)
BIN_OPS(DEF_IMM_ALL)

/* Unary read-modify-write operations: register, memory, locked memory. */
#define DEF_UN(op, sfx, mod)                                                                   \
    static void op##_##sfx##_r(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo) {         \
        uint64_t x = *a;                                                                       \
        (void)b;                                                                               \
        __asm__ volatile(PRE #op #sfx " %" #mod "[x]" POST                                     \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [fin] "r"(fin) : "cc");              \
        *a = x;                                                                                \
    }                                                                                          \
    static void op##_##sfx##_m(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo) {         \
        g_mem = *a;                                                                            \
        (void)b;                                                                               \
        __asm__ volatile(PRE #op #sfx " %[m]" POST                                             \
                         : [m] "+m"(g_mem), [fo] "=&r"(*fo) : [fin] "r"(fin) : "cc");          \
        *a = g_mem;                                                                            \
    }                                                                                          \
    static void op##_##sfx##_l(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo) {         \
        g_mem = *a;                                                                            \
        (void)b;                                                                               \
        __asm__ volatile(PRE "lock " #op #sfx " %[m]" POST                                     \
                         : [m] "+m"(g_mem), [fo] "=&r"(*fo) : [fin] "r"(fin) : "cc");          \
        *a = g_mem;                                                                            \
    }
#define UN_OPS(X) X(inc) X(dec) X(neg) X(not)
#define DEF_UN_ALL(op) DEF_SIZES(DEF_UN, op)
UN_OPS(DEF_UN_ALL)

/* High-byte registers (AH, BH): register forms only, no REX prefix allowed. */
static void add_hi(uint64_t *a, uint64_t b, uint64_t fin, uint64_t *fo) {
    uint64_t x = *a;
    __asm__ volatile(PRE "addb %%bh, %%ah\n\tsubb %%ah, %%bl\n\tadcb %%bh, %%al" POST
                     : "+a"(x), "+b"(b), [fo] "=&r"(*fo) : [fin] "r"(fin) : "cc");
    *a = x ^ (b << 1);
}

struct test {
    const char *name;
    binop fn;
    int size;
    uint64_t flags; /* the defined flags */
    int binary;     /* reads the second operand */
};

#define T_BIN(op, sfx, size, fl)                                                                   \
    {#op #sfx " reg,reg", op##_##sfx##_rr, size, fl, 1},                                    \
    {#op #sfx " mem,reg", op##_##sfx##_mr, size, fl, 1},                                    \
    {#op #sfx " reg,mem", op##_##sfx##_rm, size, fl, 1},                                    \
    {#op #sfx " $1", op##_##sfx##_i1, size, fl, 0},                                         \
    {#op #sfx " $-1", op##_##sfx##_im1, size, fl, 0},
#define T_BIN_ALL(op, fl)                                                                         \
    T_BIN(op, b, 1, fl) T_BIN(op, w, 2, fl) T_BIN(op, l, 4, fl) T_BIN(op, q, 8, fl)                            \
    {#op "b $0x80", op##_b_i80, 1, fl, 0},                                                  \
    {#op "w $0x8001", op##_w_iz, 2, fl, 0},                                                 \
    {#op "l $0x80000001", op##_l_iz, 4, fl, 0},                                             \
    {#op "q $-0x7fffffff", op##_q_iz, 8, fl, 0},
#define T_LOCK_ALL(op, fl)                                                                        \
    {"lock " #op "b", op##_b_lk, 1, fl, 1}, {"lock " #op "w", op##_w_lk, 2, fl, 1},       \
    {"lock " #op "l", op##_l_lk, 4, fl, 1}, {"lock " #op "q", op##_q_lk, 8, fl, 1},
#define T_UN(op, sfx, size)                                                                    \
    {#op #sfx " reg", op##_##sfx##_r, size, ALL, 0},                                        \
    {#op #sfx " mem", op##_##sfx##_m, size, ALL, 0},                                        \
    {"lock " #op #sfx " mem", op##_##sfx##_l, size, ALL, 0},
#define T_UN_ALL(op) T_UN(op, b, 1) T_UN(op, w, 2) T_UN(op, l, 4) T_UN(op, q, 8)

static const struct test tests[] = {
    BIN_OPS(T_BIN_ALL)
    LOCK_OPS(T_LOCK_ALL)
    UN_OPS(T_UN_ALL)
    {"add ah,bh; sub bl,ah; adc al,bh", add_hi, 8, ALL, 1},
};

/* Edge operands; the upper bytes are garbage that must be kept or cleared as x86 does. */
static const uint64_t values[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
    0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL, 0x0f, 0x10,
    0x123456789abcdef0ULL, 0xfedcba9876543210ULL, 0x00000000deadbeefULL,
};
#define NVALUES (sizeof values / sizeof values[0])

int main(void) {
    const uint64_t garbage = 0x5a5a5a5a5a5a5a5aULL;
    for (unsigned t = 0; t < sizeof tests / sizeof tests[0]; t++) {
        const struct test *te = &tests[t];
        uint64_t m = te->size == 8 ? ~0ULL : (1ULL << (8 * te->size)) - 1;
        for (unsigned i = 0; i < NVALUES; i++) {
            unsigned step = te->binary ? 4 : NVALUES;
            for (unsigned j = 0; j < NVALUES; j += step) {
                for (int k = 0; k < 2; k++) {
                    uint64_t fin = k ? ALL : 0;
                    uint64_t a = (values[i] & m) | (garbage & ~m);
                    uint64_t b = values[j];
                    uint64_t fo;
                    te->fn(&a, b, fin, &fo);
                    printf("%s %llx %llx f%llx -> %016llx %03llx\n", te->name, (unsigned long long)values[i],
                           (unsigned long long)b, (unsigned long long)fin, (unsigned long long)a,
                           (unsigned long long)(fo & te->flags));
                }
            }
        }
    }
    return 0;
}
