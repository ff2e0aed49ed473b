/*
 * Data-movement instructions over edge operands: MOVZX/MOVSX/MOVSXD, CMOVcc and SETcc under
 * every combination of the status flags, BSWAP, XCHG, CBW family, LEA, MOVBE, XLAT, segment
 * selector reads, LAHF/SAHF, PUSHF/POPF round trips, ENTER with nesting levels, CMPXCHG and
 * XADD on register destinations. Prints only architecturally defined results, in hex.
 */
#include <stdint.h>
#include <stdio.h>

typedef uint64_t u64;

static const u64 edge[] = {
    0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull, 0x0123456789abcdefull,
    0xfedcba9876543210ull,
};
#define NEDGE (sizeof edge / sizeof edge[0])

#define STATUS 0x8d5ull /* CF PF AF ZF SF OF */

static void movx(void) {
    for (unsigned k = 0; k < NEDGE; k++) {
        u64 v = edge[k], a, b, c, d, e, f, g;
        u64 h = ~0ull;
        __asm__("movzbq %b7, %0\n\tmovsbq %b7, %1\n\tmovzwq %w7, %2\n\tmovswq %w7, %3\n\t"
                "movslq %k7, %4\n\tmovsbl %b7, %k5\n\tmovsbw %b7, %w6\n\tmovzbw %b7, %w8"
                : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d), "=&r"(e), "=&r"(f), "=&r"(g), "+r"(v), "+r"(h));
        printf("movx %016llx: %llx %llx %llx %llx %llx %llx %llx %llx\n", (unsigned long long)v,
               (unsigned long long)a, (unsigned long long)b, (unsigned long long)c, (unsigned long long)d,
               (unsigned long long)e, (unsigned long long)f, (unsigned long long)(g & 0xffff),
               (unsigned long long)h);
    }
    /* MOVSXD without REX.W is a 32-bit move that zero-extends. */
    u64 r = ~0ull, s = 0x80000001ull;
    __asm__(".byte 0x63, 0xc1" : "+a"(r) : "c"(s)); /* movsxd eax, ecx */
    printf("movsxd32 %llx\n", (unsigned long long)r);
}

/* Evaluates SETcc and CMOVcc for all 16 conditions with the status flags set to f. */
#define SETCC(cc)                                                                                 \
    __asm__ volatile("push %2\n\tpopfq\n\tset" #cc " %b0\n\tmov $-1, %1\n\tcmov" #cc "l %k3, %k1"  \
                     : "=&q"(s), "=&r"(m) : "r"(f), "r"(one) : "cc");                              \
    set = set << 1 | (s & 1);                                                                      \
    cmov = cmov << 1 | (m == 1 ? 1 : m == 0xffffffffull ? 0 : 0xbad);

static void conditions(void) {
    u64 one = 1;
    for (unsigned bits = 0; bits < 64; bits++) {
        static const u64 flag[6] = {0x1, 0x4, 0x10, 0x40, 0x80, 0x800};
        u64 f = 0x202, s, m;
        unsigned set = 0, cmov = 0;
        for (int k = 0; k < 6; k++)
            if (bits & (1u << k)) f |= flag[k];
        SETCC(o) SETCC(no) SETCC(b) SETCC(ae) SETCC(e) SETCC(ne) SETCC(be) SETCC(a)
        SETCC(s) SETCC(ns) SETCC(p) SETCC(np) SETCC(l) SETCC(ge) SETCC(le) SETCC(g)
        printf("cc flags=%03llx set=%04x cmov=%04x\n", (unsigned long long)f, set, cmov);
    }
    /* A 64-bit CMOV with a false condition leaves the destination alone. */
    u64 d = ~0ull;
    __asm__("xor %%eax, %%eax\n\tcmovnz %1, %0" : "+r"(d) : "r"(one) : "rax", "cc");
    printf("cmov64 false %llx\n", (unsigned long long)d);
}

static void bswap(void) {
    for (unsigned k = 0; k < NEDGE; k++) {
        u64 a = edge[k], b = edge[k] | 0xaa00000000000000ull;
        __asm__("bswap %0\n\tbswap %k1" : "+r"(a), "+r"(b));
        printf("bswap %llx %llx\n", (unsigned long long)a, (unsigned long long)b);
    }
}

static void exchange(void) {
    u64 a = 0xffffffff00000001ull, b = 0xeeeeeeee00000002ull, m = 0x1122334455667788ull;
    __asm__("xchg %k0, %k1" : "+r"(a), "+r"(b));
    printf("xchg32 %llx %llx\n", (unsigned long long)a, (unsigned long long)b);
    a = 0x1234;
    __asm__("xchg %0, %1" : "+r"(a), "+m"(m));
    printf("xchgm %llx %llx\n", (unsigned long long)a, (unsigned long long)m);
    a = 0xffffffff12345678ull;
    __asm__("xchg %%eax, %%eax" : "+a"(a)); /* 87 c0 or 90? force 87 c0 below */
    b = 0xffffffff12345678ull;
    __asm__(".byte 0x87, 0xc0" : "+a"(b));
    u64 c = 0xffffffff12345678ull;
    __asm__(".byte 0x90" : "+a"(c));
    printf("xchg eax,eax %llx %llx nop %llx\n", (unsigned long long)a, (unsigned long long)b,
           (unsigned long long)c);
    u64 x = 0xaabbccddeeff0011ull, y = 0x99;
    __asm__("xchg %h0, %b1" : "+Q"(x), "+Q"(y));
    printf("xchg8 %llx %llx\n", (unsigned long long)x, (unsigned long long)y);
}

static void cbw(void) {
    for (unsigned k = 0; k < NEDGE; k++) {
        u64 a = edge[k], b = edge[k], c = edge[k], d1 = 0x5555555555555555ull, d2 = d1, d3 = d1;
        u64 e = edge[k], f = edge[k], g = edge[k];
        __asm__("cbw" : "+a"(a));
        __asm__("cwde" : "+a"(b));
        __asm__("cdqe" : "+a"(c));
        __asm__("cwd" : "+a"(e), "+d"(d1));
        __asm__("cdq" : "+a"(f), "+d"(d2));
        __asm__("cqo" : "+a"(g), "+d"(d3));
        printf("cbw %llx %llx %llx %llx %llx %llx\n", (unsigned long long)a, (unsigned long long)b,
               (unsigned long long)c, (unsigned long long)d1, (unsigned long long)d2, (unsigned long long)d3);
    }
}

static void lea(void) {
    u64 base = 0xfffffffffffffff0ull, idx = 3, r1, r2, r3;
    __asm__("lea 0x20(%3,%4,8), %0\n\tlea 0x20(%k3,%k4,8), %k1\n\t.byte 0x67\n\tlea 0x20(%3,%4,8), %2"
            : "=&r"(r1), "=&r"(r2), "=&r"(r3) : "r"(base), "r"(idx));
    u64 r4 = ~0ull;
    __asm__("lea 0x7fff(%1), %w0" : "+r"(r4) : "r"(base));
    printf("lea %llx %llx %llx %llx\n", (unsigned long long)r1, (unsigned long long)r2, (unsigned long long)r3,
           (unsigned long long)r4);
}

static void movbe(void) {
    u64 m = 0x0123456789abcdefull, a = ~0ull, b = ~0ull, c = ~0ull, out = 0;
    __asm__("movbe %3, %0\n\tmovbe %3, %k1\n\tmovbe %3, %w2" : "+r"(a), "+r"(b), "+r"(c) : "m"(m));
    __asm__("movbe %1, %0" : "=m"(out) : "r"(a));
    printf("movbe %llx %llx %llx %llx\n", (unsigned long long)a, (unsigned long long)b, (unsigned long long)c,
           (unsigned long long)out);
}

static void xlat(void) {
    static unsigned char table[256];
    for (int k = 0; k < 256; k++)
        table[k] = (unsigned char)(k * 7 + 3);
    u64 a = 0xffffffffffffff80ull;
    __asm__("xlat" : "+a"(a) : "b"(table) : "memory");
    printf("xlat %llx\n", (unsigned long long)a);
}

static void selectors(void) {
    u64 cs = ~0ull, ss = ~0ull, ds = ~0ull, es = ~0ull, fs = ~0ull, gs = ~0ull;
    unsigned short mcs = 0xffff;
    __asm__("mov %%cs, %k0\n\tmov %%ss, %k1\n\tmov %%ds, %k2\n\tmov %%es, %k3\n\tmov %%fs, %k4\n\tmov %%gs, %k5"
            : "+r"(cs), "+r"(ss), "+r"(ds), "+r"(es), "+r"(fs), "+r"(gs));
    __asm__("mov %%cs, %0" : "=m"(mcs));
    u64 w = ~0ull;
    __asm__("mov %%ss, %w0" : "+r"(w));
    printf("sreg cs=%llx ss=%llx ds=%llx es=%llx fs=%llx gs=%llx mem=%x w=%llx\n", (unsigned long long)cs,
           (unsigned long long)ss, (unsigned long long)ds, (unsigned long long)es, (unsigned long long)fs,
           (unsigned long long)gs, mcs, (unsigned long long)w);
}

static void lahf_sahf(void) {
    for (unsigned ah = 0; ah < 256; ah += 0x11) {
        u64 f, back;
        u64 a = (u64)ah << 8;
        /* Set OF first so we see SAHF leave it alone. */
        __asm__("push $0x802\n\tpopfq\n\tsahf\n\tpushfq\n\tpop %0\n\tmov $0, %%eax\n\tlahf"
                : "=r"(f), "+a"(a) : : "cc");
        back = (a >> 8) & 0xff;
        printf("sahf %02x -> flags %03llx lahf %02llx\n", ah, (unsigned long long)(f & (STATUS | 0x400)),
               (unsigned long long)back);
    }
}

static void pushf_popf(void) {
    static const u64 in[] = {0, 0x8d5, 0xcd5, 0x3ff7ff, 0x40000, 0x200000, 0x240cd5, 0x100, 0x3000, 0x4000};
    for (unsigned k = 0; k < sizeof in / sizeof in[0]; k++) {
        u64 out;
        if (in[k] & 0x100)
            continue; /* TF would trap */
        __asm__ volatile("push %1\n\tpopfq\n\tpushfq\n\tpop %0\n\tcld\n\tpush $0x202\n\tpopfq"
                         : "=r"(out) : "r"(in[k]) : "cc");
        printf("popf %llx -> %llx\n", (unsigned long long)in[k], (unsigned long long)out);
    }
    unsigned short w16;
    __asm__ volatile("push $0x8d5\n\tpopfq\n\tpushfw\n\tpopw %0\n\tpush $0x202\n\tpopfq" : "=m"(w16) : : "cc");
    printf("pushfw %x\n", w16);
    u64 out;
    __asm__ volatile("pushw $0x0c5\n\tpopfw\n\tpushfq\n\tpop %0" : "=r"(out) : : "cc");
    printf("popfw %llx\n", (unsigned long long)out);
}

/* ENTER with nesting levels: prints the frame's contents relative to the new RBP. */
static void enter_levels(void) {
    static const int levels[] = {0, 1, 2, 3, 5};
    for (unsigned k = 0; k < sizeof levels / sizeof levels[0]; k++) {
        u64 buf[64];
        u64 words[12];
        for (int j = 0; j < 64; j++)
            buf[j] = 0x1000 + j;
        u64 *fakebp = &buf[40];
        /* Make the copied display entries recognisable: they come from [rbp-8], [rbp-16], ... */
        for (int j = 1; j < 8; j++)
            fakebp[-j] = 0xd00 + j;
        u64 spdiff = 0, bpdiff = 0;
        switch (levels[k]) {
#define ENTER(L)                                                                                   \
    case L:                                                                                        \
        __asm__ volatile("mov %%rsp, %%r12\n\tmov %%rbp, %%r13\n\tmov %3, %%rbp\n\tenter $0x18, $" #L \
                         "\n\tmov %%rsp, %%rax\n\tmov %%rbp, %%rdx\n\t"                           \
                         "mov 0(%%rax), %%rcx\n\tmov %%rcx, 0(%2)\n\tmov 8(%%rax), %%rcx\n\tmov %%rcx, 8(%2)\n\t" \
                         "mov 0x10(%%rax), %%rcx\n\tmov %%rcx, 0x10(%2)\n\tmov 0x18(%%rax), %%rcx\n\tmov %%rcx, 0x18(%2)\n\t" \
                         "mov 0x20(%%rax), %%rcx\n\tmov %%rcx, 0x20(%2)\n\tmov 0x28(%%rax), %%rcx\n\tmov %%rcx, 0x28(%2)\n\t" \
                         "mov 0x30(%%rax), %%rcx\n\tmov %%rcx, 0x30(%2)\n\tmov 0x38(%%rax), %%rcx\n\tmov %%rcx, 0x38(%2)\n\t" \
                         "mov 0x40(%%rax), %%rcx\n\tmov %%rcx, 0x40(%2)\n\tmov 0x48(%%rax), %%rcx\n\tmov %%rcx, 0x48(%2)\n\t" \
                         "mov 0x50(%%rax), %%rcx\n\tmov %%rcx, 0x50(%2)\n\t"                      \
                         "mov %%r12, %0\n\tsub %%rax, %0\n\tmov %%r12, %1\n\tsub %%rdx, %1\n\t"     \
                         "mov %%r12, 0x58(%2)\n\tleave\n\tmov %%r12, %%rsp\n\tmov %%r13, %%rbp"    \
                         : "=&r"(spdiff), "=&r"(bpdiff) : "r"(words), "r"(fakebp)                  \
                         : "rax", "rcx", "rdx", "r12", "r13", "memory");                          \
        break;
            ENTER(0) ENTER(1) ENTER(2) ENTER(3) ENTER(5)
        }
        printf("enter level %d: rsp-%llu rbp-%llu", levels[k], (unsigned long long)spdiff,
               (unsigned long long)bpdiff);
        /* Words holding stack addresses are printed as offsets from the original RSP; the
           allocated area (the lowest 0x18 bytes) is uninitialised and skipped. */
        u64 sp0 = words[11];
        int written = 1 + levels[k]; /* old RBP, level-1 copied pointers, the new frame pointer */
        if (levels[k] == 0)
            written = 1;
        for (int j = 3; j < 3 + written; j++) {
            u64 w = words[j];
            if (w <= sp0 && sp0 - w < 0x1000)
                printf(" sp-%llu", (unsigned long long)(sp0 - w));
            else if (w >= 0xd00 && w < 0xd10)
                printf(" d%llx", (unsigned long long)(w - 0xd00));
            else if (w == (u64)fakebp)
                printf(" oldbp");
            else
                printf(" ?");
        }
        printf("\n");
    }
}

static void cmpxchg_reg(void) {
    for (int eq = 0; eq < 2; eq++) {
        u64 a = eq ? 0xffffffff00000002ull : 0xffffffff00000001ull, d = 0xaaaaaaaa00000002ull;
        u64 s = 0xbbbbbbbb00000003ull, f;
        __asm__("cmpxchg %k3, %k1\n\tpushfq\n\tpop %2" : "+a"(a), "+r"(d), "=r"(f) : "r"(s) : "cc");
        printf("cmpxchg32 reg eq=%d rax=%llx dst=%llx flags=%llx\n", eq, (unsigned long long)a,
               (unsigned long long)d, (unsigned long long)(f & STATUS));
        u64 a8 = eq ? 0x1102 : 0x1101, d8 = 0x2202, s8 = 0x3303;
        __asm__("cmpxchg %b3, %b1\n\tpushfq\n\tpop %2" : "+a"(a8), "+q"(d8), "=r"(f) : "q"(s8) : "cc");
        printf("cmpxchg8 reg eq=%d rax=%llx dst=%llx flags=%llx\n", eq, (unsigned long long)a8,
               (unsigned long long)d8, (unsigned long long)(f & STATUS));
    }
    for (unsigned k = 0; k < NEDGE; k++) {
        u64 a = edge[k], b = edge[NEDGE - 1 - k], f;
        __asm__("xadd %0, %1\n\tpushfq\n\tpop %2" : "+r"(a), "+r"(b), "=r"(f) : : "cc");
        printf("xadd %llx %llx %llx\n", (unsigned long long)a, (unsigned long long)b,
               (unsigned long long)(f & STATUS));
        a = edge[k], b = edge[NEDGE - 1 - k];
        __asm__("xadd %k0, %k1\n\tpushfq\n\tpop %2" : "+r"(a), "+r"(b), "=r"(f) : : "cc");
        printf("xadd32 %llx %llx %llx\n", (unsigned long long)a, (unsigned long long)b,
               (unsigned long long)(f & STATUS));
    }
}

static void push_pop(void) {
    u64 a, b, c, d;
    __asm__ volatile("push $-2\n\tpop %0\n\tpush $0x7fffffff\n\tpop %1\n\tpushw $0x1234\n\tpopw %w2\n\t"
                     "mov %%rsp, %%rax\n\tpush %%rsp\n\tpop %3\n\tsub %%rax, %3"
                     : "=r"(a), "=r"(b), "=r"(c), "=r"(d) : : "rax");
    printf("push %llx %llx %llx %lld\n", (unsigned long long)a, (unsigned long long)b,
           (unsigned long long)(c & 0xffff), (long long)d);
    u64 m = 0, k = 0;
    __asm__ volatile("push $0x77\n\tpopq (%%rsp)\n\tmov -8(%%rsp), %0\n\tmov (%%rsp), %1\n\t"
                     : "=r"(m), "=r"(k) : : "memory");
    /* POP [RSP] stores at the incremented RSP. */
    printf("pop [rsp] %llx\n", (unsigned long long)(k == 0x77 ? 1 : 0));
    (void)m;
}

int main(void) {
    movx();
    conditions();
    bswap();
    exchange();
    cbw();
    lea();
    movbe();
    xlat();
    selectors();
    lahf_sahf();
    pushf_popf();
    enter_levels();
    cmpxchg_reg();
    push_pop();
    return 0;
}
