/*
 * Atomic read-modify-write instructions on memory: XCHG (implicitly locked), LOCK XADD,
 * LOCK CMPXCHG for every operand size (success and failure, flags as CMP), CMPXCHG8B and
 * CMPXCHG16B, aligned and misaligned within a cache line, plus the C11 atomics the compiler
 * lowers to them. Single-threaded: results and flags only.
 */
#include <stdint.h>
#include <stdio.h>

typedef uint64_t u64;
#define STATUS 0x8d5ull

static unsigned char mem[128] __attribute__((aligned(64)));

static void reset(void) {
    for (int k = 0; k < 128; k++)
        mem[k] = (unsigned char)(0xa0 + k);
}

static u64 load(int off, int size) {
    u64 v = 0;
    for (int k = size - 1; k >= 0; k--)
        v = v << 8 | mem[off + k];
    return v;
}

static void xchg(int off) {
    reset();
    u64 a = 0x1111111111111111ull, b = 0x2222222222222222ull, c = 0x3333333333333333ull, d = 0x44ull;
    __asm__ volatile("xchg %0, %1" : "+r"(a), "+m"(*(u64 *)(mem + off)));
    __asm__ volatile("xchg %k0, %1" : "+r"(b), "+m"(*(uint32_t *)(mem + off + 8)));
    __asm__ volatile("xchg %w0, %1" : "+r"(c), "+m"(*(uint16_t *)(mem + off + 12)));
    __asm__ volatile("xchg %b0, %1" : "+q"(d), "+m"(*(uint8_t *)(mem + off + 14)));
    printf("xchg off=%d: %llx %llx %llx %llx mem %llx %llx\n", off, (unsigned long long)a, (unsigned long long)b,
           (unsigned long long)c, (unsigned long long)d, (unsigned long long)load(off, 8),
           (unsigned long long)load(off + 8, 8));
}

static const u64 edge[] = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
                           0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull};
#define NEDGE (sizeof edge / sizeof edge[0])

static void xadd(void) {
    for (unsigned i = 0; i < NEDGE; i++) {
        for (unsigned j = 0; j < NEDGE; j += 3) {
            u64 m8 = edge[i], r8 = edge[j], f8;
            uint32_t m4 = (uint32_t)edge[i];
            u64 r4 = edge[j] | 0xdead000000000000ull, f4;
            uint16_t m2 = (uint16_t)edge[i];
            u64 r2 = edge[j], f2;
            uint8_t m1 = (uint8_t)edge[i];
            u64 r1 = edge[j], f1;
            __asm__ volatile("lock xadd %0, %1\n\tpushfq\n\tpop %2" : "+r"(r8), "+m"(m8), "=r"(f8) : : "cc");
            __asm__ volatile("lock xadd %k0, %1\n\tpushfq\n\tpop %2" : "+r"(r4), "+m"(m4), "=r"(f4) : : "cc");
            __asm__ volatile("lock xadd %w0, %1\n\tpushfq\n\tpop %2" : "+r"(r2), "+m"(m2), "=r"(f2) : : "cc");
            __asm__ volatile("lock xadd %b0, %1\n\tpushfq\n\tpop %2" : "+q"(r1), "+m"(m1), "=r"(f1) : : "cc");
            printf("xadd %llx+%llx: q %llx %llx %03llx d %llx %x %03llx w %llx %x %03llx b %llx %x %03llx\n",
                   (unsigned long long)edge[i], (unsigned long long)edge[j], (unsigned long long)r8,
                   (unsigned long long)m8, (unsigned long long)(f8 & STATUS), (unsigned long long)r4, m4,
                   (unsigned long long)(f4 & STATUS), (unsigned long long)r2, m2, (unsigned long long)(f2 & STATUS),
                   (unsigned long long)r1, m1, (unsigned long long)(f1 & STATUS));
        }
    }
}

static void cmpxchg(void) {
    for (unsigned i = 0; i < NEDGE; i++) {
        for (int eq = 0; eq < 2; eq++) {
            u64 m8 = edge[i], a8 = eq ? edge[i] : edge[(i + 5) % NEDGE], f8;
            uint32_t m4 = (uint32_t)edge[i];
            u64 a4 = (eq ? edge[i] : edge[(i + 5) % NEDGE]) | 0xbeef00000000ull, f4;
            uint16_t m2 = (uint16_t)edge[i];
            u64 a2 = eq ? edge[i] : edge[(i + 5) % NEDGE], f2;
            uint8_t m1 = (uint8_t)edge[i];
            u64 a1 = eq ? edge[i] : edge[(i + 5) % NEDGE], f1;
            u64 n = 0x5a5a5a5a5a5a5a5aull;
            __asm__ volatile("lock cmpxchg %3, %1\n\tpushfq\n\tpop %2" : "+a"(a8), "+m"(m8), "=r"(f8) : "r"(n) : "cc");
            __asm__ volatile("lock cmpxchg %k3, %1\n\tpushfq\n\tpop %2" : "+a"(a4), "+m"(m4), "=r"(f4) : "r"(n) : "cc");
            __asm__ volatile("lock cmpxchg %w3, %1\n\tpushfq\n\tpop %2" : "+a"(a2), "+m"(m2), "=r"(f2) : "r"(n) : "cc");
            __asm__ volatile("lock cmpxchg %b3, %1\n\tpushfq\n\tpop %2" : "+a"(a1), "+m"(m1), "=r"(f1) : "q"(n) : "cc");
            printf("cmpxchg %llx eq=%d: q %llx %llx %03llx d %llx %x %03llx w %llx %x %03llx b %llx %x %03llx\n",
                   (unsigned long long)edge[i], eq, (unsigned long long)a8, (unsigned long long)m8,
                   (unsigned long long)(f8 & STATUS), (unsigned long long)a4, m4, (unsigned long long)(f4 & STATUS),
                   (unsigned long long)a2, m2, (unsigned long long)(f2 & STATUS), (unsigned long long)a1, m1,
                   (unsigned long long)(f1 & STATUS));
        }
    }
}

static void cmpxchg8b16b(int off8) {
    for (int eq = 0; eq < 2; eq++) {
        reset();
        u64 *p = (u64 *)(mem + off8);
        u64 a = eq ? (load(off8, 8) & 0xffffffff) | 0xffffffff00000000ull : 1, d = eq ? load(off8, 8) >> 32 : 2;
        u64 b = 0x1111111122222222ull, c = 0x3333333344444444ull, f;
        /* Only ZF changes: start with the other status flags set. */
        __asm__ volatile("push $0x895\n\tpopfq\n\tlock cmpxchg8b %2\n\tpushfq\n\tpop %3"
                         : "+a"(a), "+d"(d), "+m"(*p), "=r"(f) : "b"(b), "c"(c) : "cc");
        printf("cmpxchg8b off=%d eq=%d: rax=%llx rdx=%llx mem=%llx flags=%03llx\n", off8, eq, (unsigned long long)a,
               (unsigned long long)d, (unsigned long long)load(off8, 8), (unsigned long long)(f & STATUS));
    }
    for (int eq = 0; eq < 2; eq++) {
        reset();
        void *p = mem + 16;
        u64 a = eq ? load(16, 8) : 1, d = eq ? load(24, 8) : 2;
        u64 b = 0x1111111122222222ull, c = 0x3333333344444444ull, f;
        __asm__ volatile("push $0x0\n\tpopfq\n\tlock cmpxchg16b %2\n\tpushfq\n\tpop %3"
                         : "+a"(a), "+d"(d), "+m"(*(unsigned __int128 *)p), "=r"(f) : "b"(b), "c"(c) : "cc");
        printf("cmpxchg16b eq=%d: rax=%llx rdx=%llx mem=%llx %llx flags=%03llx\n", eq, (unsigned long long)a,
               (unsigned long long)d, (unsigned long long)load(16, 8), (unsigned long long)load(24, 8),
               (unsigned long long)(f & STATUS));
    }
}

static void misaligned(void) {
    for (int off = 1; off < 8; off += 3) {
        reset();
        uint32_t *p = (uint32_t *)(mem + 32 + off);
        u64 r = 0x10, f;
        __asm__ volatile("lock xaddl %k0, %1\n\tpushfq\n\tpop %2" : "+r"(r), "+m"(*p), "=r"(f) : : "cc");
        u64 a = r + 0x10, n = 0xcafe;
        __asm__ volatile("lock cmpxchgl %k2, %1" : "+a"(a), "+m"(*p) : "r"(n) : "cc");
        uint16_t *q = (uint16_t *)(mem + 48 + off);
        u64 x = 0x7777;
        __asm__ volatile("xchgw %w0, %1" : "+r"(x), "+m"(*q));
        printf("misaligned off=%d: %llx %03llx %llx mem %llx %llx\n", off, (unsigned long long)r,
               (unsigned long long)(f & STATUS), (unsigned long long)x, (unsigned long long)load(32, 8),
               (unsigned long long)load(40, 8) ^ load(48, 8));
    }
}

static void c11(void) {
    static u64 counter;
    static uint32_t flags32;
    static unsigned char byte;
    for (int k = 0; k < 1000; k++)
        __atomic_fetch_add(&counter, (u64)k * 0x10001, __ATOMIC_SEQ_CST);
    u64 expected = 12345, seen = counter;
    int ok1 = __atomic_compare_exchange_n(&counter, &expected, 7, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    int ok2 = __atomic_compare_exchange_n(&counter, &seen, 7, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    uint32_t old = __atomic_fetch_or(&flags32, 0x80000001u, __ATOMIC_SEQ_CST);
    uint32_t old2 = __atomic_exchange_n(&flags32, 0x1234u, __ATOMIC_SEQ_CST);
    unsigned char b = __atomic_exchange_n(&byte, 0xee, __ATOMIC_SEQ_CST);
    __atomic_clear(&byte, __ATOMIC_SEQ_CST);
    int set = __atomic_test_and_set(&byte, __ATOMIC_SEQ_CST);
    set = set * 2 + __atomic_test_and_set(&byte, __ATOMIC_SEQ_CST);
    printf("c11 %llx %d %d %llx %llx %x %x %x %x %d\n", (unsigned long long)seen, ok1, ok2, (unsigned long long)expected,
           (unsigned long long)counter, old, old2, flags32, b, set);
}

int main(void) {
    xchg(0);
    xchg(1);
    xchg(5);
    xadd();
    cmpxchg();
    cmpxchg8b16b(0);
    cmpxchg8b16b(4);
    cmpxchg8b16b(40);
    misaligned();
    c11();
    return 0;
}
