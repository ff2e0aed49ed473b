/*
 * POPCNT r16/r32/r64 from registers and memory over edge and pseudo-random values: the full
 * 64-bit destination (a 16-bit POPCNT keeps bits 63:16, a 32-bit one zeroes 63:32) and the six
 * status flags (ZF set for a zero source, CF OF SF AF PF cleared), with the flags preset all set
 * and all clear.
 */
#include <stdint.h>
#include <stdio.h>

#define ALL 0x8d5ULL

#define PRE "sub $128, %%rsp\n\tpush %[fin]\n\tpopfq\n\t"
#define POST "\n\tpushfq\n\tpop %[fo]\n\tadd $128, %%rsp"

static uint64_t seed = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

#define POP_R(sfx, mod)                                                                        \
    do {                                                                                       \
        uint64_t d = 0xa5a5a5a5a5a5a5a5ull, fo;                                                \
        __asm__ volatile(PRE "popcnt" #sfx " %" #mod "[s], %" #mod "[d]" POST                  \
                         : [d] "+r"(d), [fo] "=&r"(fo) : [s] "r"(v), [fin] "r"(fin) : "cc");   \
        printf(" %s r %016llx %03llx", #sfx, (unsigned long long)d, (unsigned long long)(fo & ALL)); \
    } while (0)
#define POP_M(sfx, mod)                                                                        \
    do {                                                                                       \
        uint64_t d = 0x5a5a5a5a5a5a5a5aull, fo;                                                \
        __asm__ volatile(PRE "popcnt" #sfx " (%[p]), %" #mod "[d]" POST                        \
                         : [d] "+r"(d), [fo] "=&r"(fo) : [p] "r"(&v), [fin] "r"(fin) : "cc", "memory"); \
        printf(" %s m %016llx %03llx", #sfx, (unsigned long long)d, (unsigned long long)(fo & ALL)); \
    } while (0)

static void popcnt(uint64_t v, uint64_t fin) {
    printf("%016llx %03llx:", (unsigned long long)v, (unsigned long long)fin);
    POP_R(w, w);
    POP_R(l, k);
    POP_R(q, q);
    POP_M(w, w);
    POP_M(l, k);
    POP_M(q, q);
    printf("\n");
}

int main(void) {
    static const uint64_t EDGE[] = {
        0, 1, 0x8000, 0xffff, 0x10000, 0x80000000, 0xffffffff, 0x100000000ull, 0x8000000000000000ull,
        0xffffffffffffffffull, 0xffffffff00000000ull, 0xffff0000ffff0000ull, 0x5555555555555555ull,
        0xaaaaaaaaaaaaaaaaull, 0x0123456789abcdefull, 0x00000000ffff0000ull, 0xffffffffffff0000ull,
    };
    for (unsigned k = 0; k < sizeof EDGE / sizeof EDGE[0]; k++) {
        popcnt(EDGE[k], 0);
        popcnt(EDGE[k], ALL);
    }
    for (int k = 0; k < 64; k++) {
        popcnt(next() >> (k % 64), k & 1 ? ALL : 0);
    }
    /* A POPCNT loop whose result feeds the flags of a following branch. */
    uint64_t total = 0, zeros = 0;
    for (int k = 0; k < 1000; k++) {
        uint64_t v = next() & (next() >> (k % 61)), c;
        uint8_t z;
        __asm__("popcnt %[v], %[c]\n\tsetz %[z]" : [c] "=r"(c), [z] "=q"(z) : [v] "r"(v) : "cc");
        total += c;
        zeros += z;
    }
    printf("total %llu zeros %llu\n", (unsigned long long)total, (unsigned long long)zeros);
    return 0;
}
