/*
 * SSE4.1 integer and data-movement instructions over edge and pseudo-random operands, register
 * and memory forms (XMM8-15 too): PMULLD PMULDQ PCMPEQQ PACKUSDW PMINSB/SD/UW/UD PMAXSB/SD/UW/UD,
 * PTEST (flags), PHMINPOSUW, MPSADBW (every imm8), PBLENDW/BLENDPS/BLENDPD (every imm8),
 * PBLENDVB/BLENDVPS/BLENDVPD (implicit XMM0), PMOVSX/PMOVZX (exact-width misaligned memory at the
 * end of a page), PINSRB/D/Q, PEXTRB/W/D/Q, EXTRACTPS (zero extension, exact stores), INSERTPS
 * (every imm8), MOVNTDQA, and #GP (SIGSEGV) on misaligned m128 operands.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) v128;

static const uint64_t EDGE[] = {
    0x0000000000000000ull, 0xffffffffffffffffull, 0x8000000000000000ull, 0x7fffffffffffffffull,
    0x8080808080808080ull, 0x7f7f7f7f7f7f7f7full, 0x8000800080008000ull, 0x7fff7fff7fff7fffull,
    0x0001000100010001ull, 0x00ff00ff00ff00ffull, 0x80000000ffffffffull, 0x0123456789abcdefull,
    0xfedcba9876543210ull, 0x0101010101010101ull, 0xff00ff00ff00ff00ull, 0x00000001ffffffffull,
    0x0000ffff0000ffffull, 0xffff0000ffff0000ull, 0x7fffffff80000000ull, 0x0000000100010000ull,
};
#define NE (sizeof EDGE / sizeof EDGE[0])

static uint64_t seed = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
    seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
    return seed;
}

static void pv(const char *name, v128 r) {
    printf("%-10s %016llx%016llx\n", name, (unsigned long long)r.q[1], (unsigned long long)r.q[0]);
}

static int same(v128 x, v128 y) { return x.q[0] == y.q[0] && x.q[1] == y.q[1]; }

/* OP xmm, xmm and OP xmm, m128 (and the same in XMM8-15); prints the register result, and flags a
 * memory or high-register result that differs. */
#define XOP(insn)                                                                              \
    do {                                                                                       \
        v128 r1, r2, r3;                                                                       \
        __asm__ volatile("movdqa %3, %%xmm1\n\tmovdqa %4, %%xmm2\n\t" insn " %%xmm2, %%xmm1\n\t" \
                         "movdqa %%xmm1, %0\n\tmovdqa %3, %%xmm3\n\t" insn " %4, %%xmm3\n\t"    \
                         "movdqa %%xmm3, %1\n\tmovdqa %3, %%xmm9\n\tmovdqa %4, %%xmm12\n\t"    \
                         insn " %%xmm12, %%xmm9\n\tmovdqa %%xmm9, %2"                          \
                         : "=m"(r1), "=m"(r2), "=m"(r3) : "m"(a), "m"(b)                       \
                         : "xmm1", "xmm2", "xmm3", "xmm9", "xmm12");                           \
        pv(insn, r1);                                                                          \
        if (!same(r1, r2) || !same(r1, r3)) pv(insn " mem/high differs", same(r1, r2) ? r3 : r2); \
    } while (0)

static void binary(v128 a, v128 b) {
    printf("a=%016llx%016llx b=%016llx%016llx\n", (unsigned long long)a.q[1], (unsigned long long)a.q[0],
           (unsigned long long)b.q[1], (unsigned long long)b.q[0]);
    XOP("pmulld"); XOP("pmuldq"); XOP("pcmpeqq"); XOP("packusdw");
    XOP("pminsb"); XOP("pminsd"); XOP("pminuw"); XOP("pminud");
    XOP("pmaxsb"); XOP("pmaxsd"); XOP("pmaxuw"); XOP("pmaxud");
    XOP("phminposuw");
    /* PTEST: ZF and CF set, AF OF PF SF cleared whatever they were before */
    unsigned long f1, f2, f3;
    __asm__ volatile("movdqa %3, %%xmm4\n\tpushq $0x8d5\n\tpopfq\n\tptest %4, %%xmm4\n\tpushfq\n\tpopq %0\n\t"
                     "pushq $0\n\tpopfq\n\tmovdqa %4, %%xmm13\n\tptest %%xmm13, %%xmm4\n\tpushfq\n\tpopq %1\n\t"
                     "ptest %%xmm4, %%xmm13\n\tpushfq\n\tpopq %2"
                     : "=r"(f1), "=r"(f2), "=r"(f3) : "m"(a), "m"(b) : "xmm4", "xmm13", "cc");
    printf("ptest %03lx %03lx %03lx\n", f1 & 0x8d5, f2 & 0x8d5, f3 & 0x8d5);
}

/* ---------------------------------------------------------------- immediates */

#define R4(M, n) M(n) M(n + 1) M(n + 2) M(n + 3)
#define R16(M, n) R4(M, n) R4(M, n + 4) R4(M, n + 8) R4(M, n + 12)
#define R256(M) R16(M, 0) R16(M, 16) R16(M, 32) R16(M, 48) R16(M, 64) R16(M, 80) R16(M, 96) R16(M, 112) \
    R16(M, 128) R16(M, 144) R16(M, 160) R16(M, 176) R16(M, 192) R16(M, 208) R16(M, 224) R16(M, 240)

/* imm8 forms: register source into xmm1, memory source into xmm10. */
#define IMMCASE(insn, n)                                                                       \
    case n:                                                                                    \
        __asm__ volatile("movdqa %2, %%xmm1\n\tmovdqa %3, %%xmm2\n\t" insn " %4, %%xmm2, %%xmm1\n\t" \
                         "movdqa %%xmm1, %0\n\tmovdqa %2, %%xmm10\n\t" insn " %4, %3, %%xmm10\n\t" \
                         "movdqa %%xmm10, %1"                                                  \
                         : "=m"(*r1), "=m"(*r2) : "m"(*a), "m"(*b), "i"(n) : "xmm1", "xmm2", "xmm10"); \
        break;
#define IMMFN(fn, insn)                                                                        \
    static void fn(int imm, const v128 *a, const v128 *b, v128 *r1, v128 *r2) {               \
        switch (imm) {                                                                         \
            R256(IMM_##fn)                                                                     \
        }                                                                                      \
    }
#define IMM_pblendw(n) IMMCASE("pblendw", n)
#define IMM_blendps(n) IMMCASE("blendps", n)
#define IMM_blendpd(n) IMMCASE("blendpd", n)
#define IMM_mpsadbw(n) IMMCASE("mpsadbw", n)
#define IMM_insertps(n) IMMCASE("insertps", n)
IMMFN(pblendw, "pblendw")
IMMFN(blendps, "blendps")
IMMFN(blendpd, "blendpd")
IMMFN(mpsadbw, "mpsadbw")
IMMFN(insertps, "insertps")

typedef void (*immfn)(int, const v128 *, const v128 *, v128 *, v128 *);

static void immsweep(const char *name, immfn f, int count, int step, v128 a, v128 b) {
    for (int imm = 0; imm < count; imm += step) {
        v128 r1, r2;
        f(imm, &a, &b, &r1, &r2);
        printf("%s $%d %016llx%016llx", name, imm, (unsigned long long)r1.q[1], (unsigned long long)r1.q[0]);
        if (!same(r1, r2)) printf(" mem %016llx%016llx", (unsigned long long)r2.q[1], (unsigned long long)r2.q[0]);
        printf("\n");
    }
}

static void immediates(void) {
    v128 a = {{0x0123456789abcdefull, 0xfedcba9876543210ull}}, b = {{0x1111222233334444ull, 0x5555666677778888ull}};
    immsweep("pblendw", pblendw, 256, 1, a, b);
    immsweep("blendps", blendps, 256, 1, a, b);
    immsweep("blendpd", blendpd, 256, 1, a, b);
    immsweep("insertps", insertps, 256, 1, a, b);
    immsweep("mpsadbw", mpsadbw, 256, 1, a, b);
    for (int k = 0; k < 12; k++) {
        v128 x = {{next(), next()}}, y = {{next(), next()}};
        if (k == 0) { x.q[0] = x.q[1] = 0xffffffffffffffffull; y.q[0] = y.q[1] = 0; }
        if (k == 1) { x.q[0] = x.q[1] = 0; y.q[0] = y.q[1] = 0xffffffffffffffffull; }
        immsweep("mpsadbw", mpsadbw, 8, 1, x, y);
        immsweep("insertps", insertps, 256, 37, x, y);
    }
}

/* ---------------------------------------------------------------- variable blends */

static void varblend(v128 a, v128 b, v128 m) {
    v128 r[9];
    __asm__ volatile(
        "movdqa %11, %%xmm0\n\t"
        "movdqa %9, %%xmm1\n\tpblendvb %10, %%xmm1\n\tmovdqa %%xmm1, %0\n\t"
        "movdqa %9, %%xmm1\n\tblendvps %10, %%xmm1\n\tmovdqa %%xmm1, %1\n\t"
        "movdqa %9, %%xmm1\n\tblendvpd %10, %%xmm1\n\tmovdqa %%xmm1, %2\n\t"
        "movdqa %9, %%xmm11\n\tmovdqa %10, %%xmm14\n\tpblendvb %%xmm0, %%xmm14, %%xmm11\n\tmovdqa %%xmm11, %3\n\t"
        "movdqa %9, %%xmm11\n\tblendvps %%xmm14, %%xmm11\n\tmovdqa %%xmm11, %4\n\t"
        "movdqa %9, %%xmm11\n\tblendvpd %%xmm14, %%xmm11\n\tmovdqa %%xmm11, %5\n\t"
        /* XMM0 as the destination (mask and destination at once) and as the source */
        "pblendvb %10, %%xmm0\n\tmovdqa %%xmm0, %6\n\t"
        "movdqa %11, %%xmm0\n\tmovdqa %9, %%xmm1\n\tblendvps %%xmm0, %%xmm1\n\tmovdqa %%xmm1, %7\n\t"
        "movdqa %11, %%xmm0\n\tblendvpd %%xmm0, %%xmm0\n\tmovdqa %%xmm0, %8"
        : "=m"(r[0]), "=m"(r[1]), "=m"(r[2]), "=m"(r[3]), "=m"(r[4]), "=m"(r[5]), "=m"(r[6]), "=m"(r[7]), "=m"(r[8])
        : "m"(a), "m"(b), "m"(m)
        : "xmm0", "xmm1", "xmm11", "xmm14");
    printf("blendv m=%016llx%016llx\n", (unsigned long long)m.q[1], (unsigned long long)m.q[0]);
    static const char *names[] = {"pblendvb", "blendvps", "blendvpd", "pblendvb r", "blendvps r", "blendvpd r",
                                  "pblendvb 0", "blendvps 0", "blendvpd 0"};
    for (int k = 0; k < 9; k++) pv(names[k], r[k]);
}

/* ---------------------------------------------------------------- extension */

static unsigned char *page_end; /* the last 16 bytes before an unmapped page */

#define PMOV(insn)                                                                             \
    do {                                                                                       \
        v128 r1, r2, r3;                                                                       \
        __asm__ volatile("movdqa %3, %%xmm5\n\tmovdqa %4, %%xmm6\n\t" insn " %%xmm5, %%xmm6\n\t" \
                         "movdqa %%xmm6, %0\n\t" insn " (%5), %%xmm15\n\tmovdqa %%xmm15, %1\n\t" \
                         insn " (%6), %%xmm7\n\tmovdqa %%xmm7, %2"                             \
                         : "=m"(r1), "=m"(r2), "=m"(r3) : "m"(a), "m"(junk), "r"(mem), "r"(tail) \
                         : "xmm5", "xmm6", "xmm7", "xmm15");                                   \
        pv(insn, r1); pv(insn " m", r2); pv(insn " end", r3);                                  \
    } while (0)

static void extension(v128 a) {
    v128 junk = {{0xdeadbeefdeadbeefull, 0xcafebabecafebabeull}};
    static unsigned char buf[32];
    unsigned char *mem = buf + 3; /* misaligned on purpose */
    memcpy(mem, &a, 16);
    printf("ext a=%016llx%016llx\n", (unsigned long long)a.q[1], (unsigned long long)a.q[0]);
    unsigned char *tail;
#define TAIL(bytes) (tail = page_end + 16 - (bytes), memcpy(tail, &a, (bytes)))
    TAIL(8); PMOV("pmovsxbw"); TAIL(4); PMOV("pmovsxbd"); TAIL(2); PMOV("pmovsxbq");
    TAIL(8); PMOV("pmovsxwd"); TAIL(4); PMOV("pmovsxwq"); TAIL(8); PMOV("pmovsxdq");
    TAIL(8); PMOV("pmovzxbw"); TAIL(4); PMOV("pmovzxbd"); TAIL(2); PMOV("pmovzxbq");
    TAIL(8); PMOV("pmovzxwd"); TAIL(4); PMOV("pmovzxwq"); TAIL(8); PMOV("pmovzxdq");
}

/* ---------------------------------------------------------------- insert and extract */

#define INS(insn, n, reg, src)                                                                 \
    __asm__ volatile("movdqa %1, %%xmm3\n\t" insn " $" #n ", %" reg "2, %%xmm3\n\tmovdqa %%xmm3, %0" \
                     : "=m"(r) : "m"(a), src : "xmm3");                                        \
    printf("%s $%d %016llx%016llx\n", insn, n, (unsigned long long)r.q[1], (unsigned long long)r.q[0])

#define EXT_R(insn, n, reg)                                                                    \
    do {                                                                                       \
        uint64_t g = 0x5555555555555555ull;                                                    \
        __asm__ volatile("movdqa %1, %%xmm8\n\t" insn " $" #n ", %%xmm8, %" reg "0" : "+r"(g) : "m"(a) : "xmm8"); \
        printf("%s $%d r %016llx\n", insn, n, (unsigned long long)g);                          \
    } while (0)

static void insert_extract(v128 a, uint64_t g) {
    v128 r;
    uint64_t gm = g;
    unsigned char *b8 = (unsigned char *)&gm;
    printf("insext a=%016llx%016llx g=%016llx\n", (unsigned long long)a.q[1], (unsigned long long)a.q[0],
           (unsigned long long)g);
    INS("pinsrb", 0, "k", "r"(g)); INS("pinsrb", 1, "k", "r"(g)); INS("pinsrb", 7, "k", "r"(g));
    INS("pinsrb", 8, "k", "r"(g)); INS("pinsrb", 15, "k", "r"(g)); INS("pinsrb", 16, "k", "r"(g));
    INS("pinsrb", 255, "k", "r"(g));
    INS("pinsrb", 5, "", "m"(b8[3])); INS("pinsrb", 14, "", "m"(b8[7]));
    INS("pinsrd", 0, "k", "r"(g)); INS("pinsrd", 1, "k", "r"(g)); INS("pinsrd", 2, "k", "r"(g));
    INS("pinsrd", 3, "k", "r"(g)); INS("pinsrd", 4, "k", "r"(g)); INS("pinsrd", 0xfe, "k", "r"(g));
    INS("pinsrd", 1, "", "m"(*(uint32_t *)(b8 + 2)));
    INS("pinsrd", 3, "", "m"(*(uint32_t *)(b8 + 4)));
    INS("pinsrq", 0, "q", "r"(g)); INS("pinsrq", 1, "q", "r"(g)); INS("pinsrq", 2, "q", "r"(g));
    INS("pinsrq", 0xff, "q", "r"(g));
    INS("pinsrq", 1, "", "m"(gm)); INS("pinsrq", 0, "", "m"(gm));

    EXT_R("pextrb", 0, "k"); EXT_R("pextrb", 3, "k"); EXT_R("pextrb", 7, "k"); EXT_R("pextrb", 8, "k");
    EXT_R("pextrb", 15, "k"); EXT_R("pextrb", 16, "k"); EXT_R("pextrb", 0xf9, "k");
    EXT_R("pextrb", 9, "q");
    EXT_R("pextrw", 0, "k"); EXT_R("pextrw", 3, "k"); EXT_R("pextrw", 4, "k"); EXT_R("pextrw", 7, "k");
    EXT_R("pextrw", 8, "k"); EXT_R("pextrw", 0xfd, "k");
    {
        /* the register forms of 66 0F 3A 15 (PEXTRW reg/m16), which as emits as 0F C5: by hand */
        uint64_t g1 = 0x5555555555555555ull, g2 = g1, g3 = g1;
        __asm__ volatile("movdqa %3, %%xmm2\n\tmovdqa %3, %%xmm10\n\t"
                         "mov %0, %%rax\n\t.byte 0x66, 0x0f, 0x3a, 0x15, 0xd0, 0x05\n\tmov %%rax, %0\n\t"  /* pextrw $5, %xmm2, %eax */
                         "mov %1, %%rax\n\t.byte 0x66, 0x48, 0x0f, 0x3a, 0x15, 0xd0, 0x0a\n\tmov %%rax, %1\n\t" /* REX.W, $10 */
                         ".byte 0x66, 0x45, 0x0f, 0x3a, 0x15, 0xd1, 0x03\n\t"                                /* pextrw $3, %xmm10, %r9d */
                         "mov %%r9, %2"
                         : "+r"(g1), "+r"(g2), "=r"(g3) : "m"(a) : "rax", "r9", "xmm2", "xmm10");
        printf("pextrw 3a15 r %016llx %016llx %016llx\n", (unsigned long long)g1, (unsigned long long)g2,
               (unsigned long long)g3);
    }
    EXT_R("pextrd", 0, "k"); EXT_R("pextrd", 1, "k"); EXT_R("pextrd", 2, "k"); EXT_R("pextrd", 3, "k");
    EXT_R("pextrd", 6, "k");
    EXT_R("pextrq", 0, "q"); EXT_R("pextrq", 1, "q"); EXT_R("pextrq", 3, "q");
    EXT_R("extractps", 0, "k"); EXT_R("extractps", 1, "k"); EXT_R("extractps", 2, "k");
    EXT_R("extractps", 3, "k"); EXT_R("extractps", 0xff, "k");
    EXT_R("extractps", 2, "q");
    {
        /* memory destinations: exactly the element's bytes are written, at a misaligned address */
        unsigned char m[24];
#define EXT_MEM(insn, n)                                                                       \
        memset(m, 0x55, sizeof m);                                                             \
        __asm__ volatile("movdqa %1, %%xmm2\n\t" insn " $" #n ", %%xmm2, 5(%2)"               \
                         : "=m"(m) : "m"(a), "r"(m) : "xmm2", "memory");                       \
        printf("%s $%d m", insn, n);                                                           \
        for (int k = 0; k < 16; k++) printf("%02x", m[k]);                                     \
        printf("\n")
        EXT_MEM("pextrb", 0); EXT_MEM("pextrb", 11); EXT_MEM("pextrb", 0x1f);
        EXT_MEM("pextrw", 0); EXT_MEM("pextrw", 6); EXT_MEM("pextrw", 0x0b);
        EXT_MEM("pextrd", 1); EXT_MEM("pextrd", 3);
        EXT_MEM("pextrq", 0); EXT_MEM("pextrq", 1);
        EXT_MEM("extractps", 0); EXT_MEM("extractps", 2);
    }
}

/* INSERTPS with a memory source: m32, COUNT_S ignored. */
#define INSM(n)                                                                                \
    __asm__ volatile("movdqa %1, %%xmm3\n\tinsertps $" #n ", %2, %%xmm3\n\tmovdqa %%xmm3, %0"  \
                     : "=m"(r) : "m"(a), "m"(*(uint32_t *)(bytes + 1)) : "xmm3");              \
    printf("insertps m $%d %016llx%016llx\n", n, (unsigned long long)r.q[1], (unsigned long long)r.q[0])

static void insertps_mem(v128 a) {
    v128 r;
    static unsigned char bytes[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    INSM(0x00); INSM(0x10); INSM(0x20); INSM(0x30); INSM(0xc0); INSM(0xd5); INSM(0xea); INSM(0x7f);
    INSM(0x0f); INSM(0x31); INSM(0x42);
}

/* ---------------------------------------------------------------- faults */

static sigjmp_buf jb;
static void on_segv(int sig) { siglongjmp(jb, sig); }

static void alignment(void) {
    static unsigned char buf[64] __attribute__((aligned(16)));
    for (int k = 0; k < 32; k++) buf[k] = k * 7 + 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, 0);
    for (int k = 0; k < 28; k++) {
        int sig = sigsetjmp(jb, 1);
        if (sig) {
            printf("align %d: signal %d\n", k, sig);
            continue;
        }
        unsigned char *p = buf + (k & 1 ? 8 : 16);
        v128 r = {{0, 0}};
        static const v128 init = {{0x0f1e2d3c4b5a6978ull, 0x8796a5b4c3d2e1f0ull}};
#define ALIGNED(insn) __asm__ volatile("movdqa %2, %%xmm0\n\tmovdqa %2, %%xmm2\n\t" insn "\n\tmovdqa %%xmm2, %0" \
                                       : "=m"(r) : "r"(p), "m"(init) : "xmm0", "xmm2", "memory", "cc")
        switch (k >> 1) {
        case 0: ALIGNED("movntdqa (%1), %%xmm2"); break;
        case 1: ALIGNED("pmulld (%1), %%xmm2"); break;
        case 2: ALIGNED("ptest (%1), %%xmm2"); break;
        case 3: ALIGNED("pblendw $5, (%1), %%xmm2"); break;
        case 4: ALIGNED("pblendvb (%1), %%xmm2"); break;
        case 5: ALIGNED("phminposuw (%1), %%xmm2"); break;
        case 6: ALIGNED("mpsadbw $3, (%1), %%xmm2"); break;
        case 7: ALIGNED("roundps $1, (%1), %%xmm2"); break;
        case 8: ALIGNED("dppd $0x31, (%1), %%xmm2"); break;
        case 9: ALIGNED("packusdw (%1), %%xmm2"); break;
        /* narrower operands: no alignment requirement */
        case 10: ALIGNED("pmovzxbw 1(%1), %%xmm2"); break;
        case 11: ALIGNED("roundsd $0, 3(%1), %%xmm2"); break;
        case 12: ALIGNED("insertps $0x10, 1(%1), %%xmm2"); break;
        default: ALIGNED("pextrq $1, %%xmm2, 1(%1)\n\tpinsrd $2, 3(%1), %%xmm2"); break;
        }
        printf("align %d: ok %016llx%016llx\n", k, (unsigned long long)r.q[1], (unsigned long long)r.q[0]);
    }
    signal(SIGSEGV, SIG_DFL);
}

static void movntdqa(void) {
    static v128 src = {{0x0011223344556677ull, 0x8899aabbccddeeffull}};
    v128 r1, r2;
    __asm__ volatile("movntdqa %2, %%xmm3\n\tmovdqa %%xmm3, %0\n\tmovntdqa %2, %%xmm13\n\tmovdqa %%xmm13, %1"
                     : "=m"(r1), "=m"(r2) : "m"(src) : "xmm3", "xmm13");
    pv("movntdqa", r1);
    pv("movntdqa h", r2);
}

int main(void) {
    unsigned char *pages = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(pages + 4096, 4096);
    page_end = pages + 4096 - 16;

    for (unsigned i = 0; i < NE; i++) {
        for (unsigned j = 0; j < NE; j += 3) {
            v128 a = {{EDGE[i], EDGE[(i + 5) % NE]}}, b = {{EDGE[j], EDGE[(j + 7) % NE]}};
            binary(a, b);
        }
    }
    for (int k = 0; k < 60; k++) {
        v128 a = {{next(), next()}}, b = {{next(), next()}};
        if (k % 3 == 1) b.q[0] = a.q[0] ^ (next() & 0x0101010101010101ull);
        if (k % 5 == 2) b.q[1] = a.q[1];
        if (k % 4 == 3) b.q[0] &= ~a.q[0], b.q[1] &= ~a.q[1];
        binary(a, b);
    }
    /* PHMINPOSUW ties and extremes */
    {
        static const uint64_t W[][2] = {
            {0xffffffffffffffffull, 0xffffffffffffffffull}, {0x0000000000000000ull, 0x0000000000000000ull},
            {0xffffffffffffffffull, 0xffff0000ffffffffull}, {0x7fff800080007fffull, 0x8000800080008000ull},
            {0x0005000600070008ull, 0x0001000200030004ull}, {0x0003000300030003ull, 0x0003000300030003ull},
        };
        for (unsigned k = 0; k < sizeof W / sizeof W[0]; k++) {
            v128 a = {{next(), next()}}, b = {{W[k][0], W[k][1]}};
            XOP("phminposuw");
        }
    }
    immediates();
    for (unsigned i = 0; i < NE; i += 2) {
        v128 a = {{next(), next()}}, b = {{next(), next()}}, m = {{EDGE[i], EDGE[(i + 3) % NE]}};
        varblend(a, b, m);
    }
    for (unsigned i = 0; i < NE; i += 2) {
        v128 a = {{EDGE[i], EDGE[(i + 9) % NE]}};
        extension(a);
    }
    for (int k = 0; k < 6; k++) {
        v128 a = {{next(), next()}};
        extension(a);
        insert_extract(a, next());
        insertps_mem(a);
    }
    movntdqa();
    alignment();
    return 0;
}
