/*
 * BT BTS BTR BTC with register and immediate bit offsets, on registers and memory (where a
 * register offset is signed and may address far outside the operand), with and without LOCK;
 * BSF and BSR on registers and memory. Prints the full 64-bit register or a hash of the memory
 * buffer, and the flags the SDM defines: CF (and ZF, which BT* leave unaffected) after the BT
 * family; ZF after BSF/BSR, whose destination is printed only for a non-zero source.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ALL 0x8d5ULL
#define CF 0x1ULL
#define ZF 0x40ULL

#define PRE "sub $128, %%rsp\n\tpush %[fin]\n\tpopfq\n\t"
#define POST "\n\tpushfq\n\tpop %[fo]\n\tadd $128, %%rsp"

static uint64_t buf[64];
#define BASE ((char *)&buf[32])

typedef void (*bitfn)(uint64_t *a, uint64_t off, uint64_t fin, uint64_t *fo);

#define DEF_BT(op, sfx, mod)                                                                   \
    static void op##sfx##_rr(uint64_t *a, uint64_t off, uint64_t fin, uint64_t *fo) {         \
        uint64_t x = *a;                                                                       \
        __asm__ volatile(PRE #op #sfx " %" #mod "[o], %" #mod "[x]" POST                       \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [o] "r"(off), [fin] "r"(fin) : "cc"); \
        *a = x;                                                                                \
    }                                                                                          \
    static void op##sfx##_mr(uint64_t *a, uint64_t off, uint64_t fin, uint64_t *fo) {         \
        (void)a;                                                                               \
        __asm__ volatile(PRE #op #sfx " %" #mod "[o], (%[p])" POST                             \
                         : [fo] "=&r"(*fo) : [o] "r"(off), [p] "r"(BASE), [fin] "r"(fin) : "cc", "memory"); \
    }                                                                                          \
    static void op##sfx##_ri(uint64_t *a, uint64_t off, uint64_t fin, uint64_t *fo) {         \
        uint64_t x = *a;                                                                       \
        (void)off;                                                                             \
        __asm__ volatile(PRE #op #sfx " $45, %" #mod "[x]\n\t" #op #sfx " $7, %" #mod "[x]" POST \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [fin] "r"(fin) : "cc");              \
        *a = x;                                                                                \
    }                                                                                          \
    static void op##sfx##_mi(uint64_t *a, uint64_t off, uint64_t fin, uint64_t *fo) {         \
        (void)a;                                                                               \
        (void)off;                                                                             \
        __asm__ volatile(PRE #op #sfx " $200, (%[p])" POST                                     \
                         : [fo] "=&r"(*fo) : [p] "r"(BASE), [fin] "r"(fin) : "cc", "memory");  \
    }
#define DEF_LOCKED(op, sfx, mod)                                                               \
    static void op##sfx##_lr(uint64_t *a, uint64_t off, uint64_t fin, uint64_t *fo) {         \
        (void)a;                                                                               \
        __asm__ volatile(PRE "lock " #op #sfx " %" #mod "[o], (%[p])" POST                     \
                         : [fo] "=&r"(*fo) : [o] "r"(off), [p] "r"(BASE), [fin] "r"(fin) : "cc", "memory"); \
    }                                                                                          \
    static void op##sfx##_li(uint64_t *a, uint64_t off, uint64_t fin, uint64_t *fo) {         \
        (void)a;                                                                               \
        (void)off;                                                                             \
        __asm__ volatile(PRE "lock " #op #sfx " $13, -8(%[p])" POST                            \
                         : [fo] "=&r"(*fo) : [p] "r"(BASE), [fin] "r"(fin) : "cc", "memory");  \
    }
#define SIZES(X, op) X(op, w, w) X(op, l, k) X(op, q, q)
SIZES(DEF_BT, bt)
SIZES(DEF_BT, bts)
SIZES(DEF_BT, btr)
SIZES(DEF_BT, btc)
SIZES(DEF_LOCKED, bts)
SIZES(DEF_LOCKED, btr)
SIZES(DEF_LOCKED, btc)

#define DEF_SCAN(op, sfx, mod)                                                                 \
    static void op##sfx##_r(uint64_t *a, uint64_t src, uint64_t fin, uint64_t *fo) {          \
        uint64_t x = *a;                                                                       \
        __asm__ volatile(PRE #op #sfx " %" #mod "[s], %" #mod "[x]" POST                       \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [s] "r"(src), [fin] "r"(fin) : "cc"); \
        *a = x;                                                                                \
    }                                                                                          \
    static void op##sfx##_m(uint64_t *a, uint64_t src, uint64_t fin, uint64_t *fo) {          \
        uint64_t x = *a;                                                                       \
        buf[0] = src;                                                                          \
        __asm__ volatile(PRE #op #sfx " %[m], %" #mod "[x]" POST                               \
                         : [x] "+r"(x), [fo] "=&r"(*fo) : [m] "m"(buf[0]), [fin] "r"(fin) : "cc"); \
        *a = x;                                                                                \
    }
SIZES(DEF_SCAN, bsf)
SIZES(DEF_SCAN, bsr)

enum form { REG, MEM, SCAN };

struct test {
    const char *name;
    bitfn fn;
    int size;
    enum form form;
};

#define T_BT(op, sfx, size)                                                                    \
    {#op #sfx " r,r", op##sfx##_rr, size, REG}, {#op #sfx " m,r", op##sfx##_mr, size, MEM},    \
    {#op #sfx " r,$45;$7", op##sfx##_ri, size, REG}, {#op #sfx " m,$200", op##sfx##_mi, size, MEM},
#define T_LOCKED(op, sfx, size)                                                                \
    {"lock " #op #sfx " m,r", op##sfx##_lr, size, MEM}, {"lock " #op #sfx " m,$13", op##sfx##_li, size, MEM},
#define T_SIZES(T, op) T(op, w, 2) T(op, l, 4) T(op, q, 8)
#define T_SCAN(op, sfx, size) {#op #sfx " r,r", op##sfx##_r, size, SCAN}, {#op #sfx " r,m", op##sfx##_m, size, SCAN},

static const struct test tests[] = {
    T_SIZES(T_BT, bt) T_SIZES(T_BT, bts) T_SIZES(T_BT, btr) T_SIZES(T_BT, btc)
    T_SIZES(T_LOCKED, bts) T_SIZES(T_LOCKED, btr) T_SIZES(T_LOCKED, btc)
    T_SIZES(T_SCAN, bsf) T_SIZES(T_SCAN, bsr)
};

static const uint64_t values[] = {
    0, 1, 2, 0x80, 0x8000, 0x10000, 0x80000000, 0x100000000ULL, 0x8000000000000000ULL,
    0xffffffffffffffffULL, 0x7fffffffffffffffULL, 0x123456789abcdef0ULL, 0x0000f00000000000ULL,
};
#define NVALUES (sizeof values / sizeof values[0])

/* Bit offsets for the register forms; as memory offsets they are signed (16/32/64-bit). */
static const int64_t offsets[] = {
    0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 255, 1000, 2047,
    -1, -2, -8, -15, -16, -17, -31, -32, -33, -63, -64, -65, -100, -1000, -2048,
};
#define NOFFSETS (sizeof offsets / sizeof offsets[0])

static uint64_t hash_buf(void) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned i = 0; i < sizeof buf / sizeof buf[0]; i++) {
        h = (h ^ buf[i]) * 0x100000001b3ULL;
    }
    return h;
}

static void fill_buf(unsigned seed) {
    uint64_t x = 0x9e3779b97f4a7c15ULL * (seed + 1);
    for (unsigned i = 0; i < sizeof buf / sizeof buf[0]; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = x;
    }
}

int main(void) {
    const uint64_t garbage = 0x5a5a5a5a5a5a5a5aULL;
    for (unsigned t = 0; t < sizeof tests / sizeof tests[0]; t++) {
        const struct test *te = &tests[t];
        uint64_t m = te->size == 8 ? ~0ULL : (1ULL << (8 * te->size)) - 1;
        for (unsigned i = 0; i < (te->form == MEM ? NOFFSETS : NVALUES); i++) {
            for (unsigned j = 0; j < (te->form == REG ? NOFFSETS : 1u); j++) {
                for (int k = 0; k < 2; k++) {
                    uint64_t fin = k ? ALL : 0;
                    uint64_t fo;
                    if (te->form == MEM) {
                        /* Offsets must stay inside buf: 16-bit ones are taken modulo 2^16 by the CPU. */
                        fill_buf(i * 2 + k);
                        uint64_t off = (uint64_t)offsets[i];
                        te->fn(0, off, fin, &fo);
                        printf("%s %lld f%llx -> %016llx %03llx\n", te->name, (long long)offsets[i],
                               (unsigned long long)fin, (unsigned long long)hash_buf(),
                               (unsigned long long)(fo & (CF | ZF)));
                    } else if (te->form == REG) {
                        uint64_t a = (values[i] & m) | (garbage & ~m);
                        te->fn(&a, (uint64_t)offsets[j], fin, &fo);
                        printf("%s %llx %lld f%llx -> %016llx %03llx\n", te->name, (unsigned long long)values[i],
                               (long long)offsets[j], (unsigned long long)fin, (unsigned long long)a,
                               (unsigned long long)(fo & (CF | ZF)));
                    } else {
                        uint64_t a = garbage;
                        uint64_t src = values[i];
                        te->fn(&a, src, fin, &fo);
                        int zero = (src & m) == 0;
                        printf("%s %llx f%llx -> ", te->name, (unsigned long long)src, (unsigned long long)fin);
                        if (zero) {
                            printf("(undefined) %03llx\n", (unsigned long long)(fo & ZF));
                        } else {
                            printf("%016llx %03llx\n", (unsigned long long)a, (unsigned long long)(fo & ZF));
                        }
                    }
                }
            }
        }
    }
    memset(buf, 0, sizeof buf);
    return 0;
}
