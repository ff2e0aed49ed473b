/*
 * SSE4.2: PCMPISTRI, PCMPISTRM, PCMPESTRI, PCMPESTRM over all 128 meaningful imm8 values
 * (source format, aggregation, polarity, output selection; a few more with the ignored
 * imm8[7]) and many operand pairs: strings with a NUL at each position, character sets, ranges
 * with signed and unsigned edge values, needles at every offset and running off the end,
 * explicit lengths past the element count, negative, and with garbage in the upper half
 * (ignored without REX.W, not with it); register and unaligned memory operands. Each result is
 * ECX (all of RCX), XMM0 and the six status flags, with the flags preset all set or all clear.
 * By default one hash line per operand pair and form is printed; "-v" prints every result.
 * Then CRC32 (8/16/32/64-bit sources, byte registers, memory, 32/64-bit destinations, flags
 * untouched), PCMPGTQ, and the faults: an m128 that crosses into an unmapped page faults, a
 * misaligned one does not (PCMPGTQ's does).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct { uint64_t q[2]; } __attribute__((aligned(16))) v128;

#define ALL 0x8d5ULL

#define PRE "sub $128, %%rsp\n\tpush %[fin]\n\tpopfq\n\t"
#define POST "\n\tpushfq\n\tpop %[fo]\n\tadd $128, %%rsp"

struct res {
    uint64_t rcx, flags;
    v128 x0;
};

/* One string compare: xmm1 = *a, xmm2 = *b (or memory at b), RAX/RDX = la/lb, RCX and XMM0 preset. */
#define CASE(insn, src, k)                                                                     \
    case k:                                                                                    \
        __asm__ volatile("movdqu (%[a]), %%xmm1\n\tmovdqu (%[b]), %%xmm2\n\t"                  \
                         "movdqu (%[x0]), %%xmm0\n\t" PRE insn " $" #k ", " src ", %%xmm1" POST   \
                         "\n\tmovdqu %%xmm0, (%[x0])"                                          \
                         : [fo] "=&r"(r->flags), "+c"(r->rcx)                                  \
                         : [a] "r"(a), [b] "r"(b), [x0] "r"(&r->x0), [fin] "r"(fin), "a"(la), "d"(lb) \
                         : "xmm0", "xmm1", "xmm2", "memory", "cc");                            \
        break;
#define C8(insn, src, k) CASE(insn, src, k##0) CASE(insn, src, k##1) CASE(insn, src, k##2) CASE(insn, src, k##3) \
    CASE(insn, src, k##4) CASE(insn, src, k##5) CASE(insn, src, k##6) CASE(insn, src, k##7)
#define C128(insn, src)                                                                        \
    C8(insn, src, 0) C8(insn, src, 01) C8(insn, src, 02) C8(insn, src, 03) C8(insn, src, 04)     \
    C8(insn, src, 05) C8(insn, src, 06) C8(insn, src, 07) C8(insn, src, 010) C8(insn, src, 011)  \
    C8(insn, src, 012) C8(insn, src, 013) C8(insn, src, 014) C8(insn, src, 015) C8(insn, src, 016) \
    C8(insn, src, 017)
#define FORM(name, insn, src)                                                                  \
    static void name(int imm, const v128 *a, const void *b, uint64_t la, uint64_t lb, uint64_t fin, struct res *r) { \
        switch (imm) {                                                                         \
            C128(insn, src)                                                                    \
            CASE(insn, src, 0x80) CASE(insn, src, 0x8c) CASE(insn, src, 0xc1) CASE(insn, src, 0xff) \
        }                                                                                      \
    }

/* Octal case labels: k##0 with k = 01 is 010 = 8, ..., 0177 = 127; then a few with the ignored imm8[7]. */
FORM(istri_r, "pcmpistri", "%%xmm2")
FORM(istri_m, "pcmpistri", "(%[b])")
FORM(istrm_r, "pcmpistrm", "%%xmm2")
FORM(istrm_m, "pcmpistrm", "(%[b])")
FORM(estri_r, "pcmpestri", "%%xmm2")
FORM(estri_m, "pcmpestri", "(%[b])")
FORM(estrm_r, "pcmpestrm", "%%xmm2")
FORM(estrm_m, "pcmpestrm", "(%[b])")
FORM(estriq_r, "pcmpestriq", "%%xmm2")
FORM(estrmq_m, "pcmpestrmq", "(%[b])")

typedef void (*form_fn)(int, const v128 *, const void *, uint64_t, uint64_t, uint64_t, struct res *);
static const struct {
    const char *name;
    form_fn fn;
    int mem;
    int explicit_len;
} FORMS[] = {
    {"istri", istri_r, 0, 0}, {"istri-m", istri_m, 1, 0}, {"istrm", istrm_r, 0, 0}, {"istrm-m", istrm_m, 1, 0},
    {"estri", estri_r, 0, 1}, {"estri-m", estri_m, 1, 1}, {"estrm", estrm_r, 0, 1}, {"estrm-m", estrm_m, 1, 1},
    {"estriq", estriq_r, 0, 1}, {"estrmq-m", estrmq_m, 1, 1},
};
#define NFORMS (sizeof FORMS / sizeof FORMS[0])

static int verbose;
static unsigned char membuf[64];

static uint64_t fnv(uint64_t h, uint64_t v) {
    for (int k = 0; k < 8; k++) {
        h ^= (v >> (8 * k)) & 0xff;
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Runs every form that fits (implicit or explicit lengths) over all 128 imm8 values. */
static void run_pair(int id, const v128 *a, const v128 *b, int explicit_len, uint64_t la, uint64_t lb) {
    for (unsigned f = 0; f < NFORMS; f++) {
        if (FORMS[f].explicit_len != explicit_len) {
            continue;
        }
        const void *src = b;
        if (FORMS[f].mem) {
            unsigned char *p = membuf + 1 + (id % 15); /* never 16-byte aligned */
            memcpy(p, b, 16);
            src = p;
        }
        uint64_t h = 0xcbf29ce484222325ull;
        for (int step = 0; step < 132; step++) {
            static const int RESERVED[] = {0x80, 0x8c, 0xc1, 0xff};
            int imm = step < 128 ? step : RESERVED[step - 128];
            struct res r;
            r.rcx = 0xdeadbeefcafef00dull;
            r.x0.q[0] = 0x1111111111111111ull * (imm & 15);
            r.x0.q[1] = 0xfedcba9876543210ull;
            uint64_t fin = (imm & 1) ? ALL : 0;
            FORMS[f].fn(imm, a, src, la, lb, fin, &r);
            int is_mask = strstr(FORMS[f].name, "strm") != NULL;
            uint64_t flags = r.flags & ALL;
            h = fnv(h, flags);
            if (is_mask) {
                h = fnv(fnv(h, r.x0.q[0]), r.x0.q[1]);
            } else {
                h = fnv(h, r.rcx);
            }
            if (verbose) {
                if (is_mask) {
                    printf("%d %s %02x %016llx%016llx %03llx\n", id, FORMS[f].name, imm,
                           (unsigned long long)r.x0.q[1], (unsigned long long)r.x0.q[0], (unsigned long long)flags);
                } else {
                    printf("%d %s %02x %llx %03llx\n", id, FORMS[f].name, imm, (unsigned long long)r.rcx,
                           (unsigned long long)flags);
                }
            }
        }
        printf("%d %-8s %016llx\n", id, FORMS[f].name, (unsigned long long)h);
    }
}

static void show(const char *what, const v128 *v) {
    printf("%s=", what);
    for (int k = 15; k >= 0; k--) {
        printf("%02x", ((const unsigned char *)v)[k]);
    }
}

static int pair_id;

static void implicit(const v128 *a, const v128 *b) {
    int id = pair_id++;
    printf("%d implicit ", id);
    show("a", a);
    printf(" ");
    show("b", b);
    printf("\n");
    run_pair(id, a, b, 0, 0, 0);
}

static void explicit(const v128 *a, const v128 *b, uint64_t la, uint64_t lb) {
    int id = pair_id++;
    printf("%d explicit ", id);
    show("a", a);
    printf(" ");
    show("b", b);
    printf(" la=%llx lb=%llx\n", (unsigned long long)la, (unsigned long long)lb);
    run_pair(id, a, b, 1, la, lb);
}

static v128 str(const char *s, int n) {
    v128 v;
    memset(&v, 0, sizeof v);
    memcpy(&v, s, n > 16 ? 16 : n);
    return v;
}

static uint64_t seed = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

/* Bytes from a small alphabet (so that elements match), with signed/unsigned edge values. */
static v128 random_vec(int zeros) {
    static const unsigned char ALPHA[] = {'a', 'b', 'c', 'A', 0x80, 0x7f, 0xff, 0x01, 'a', 'b', 0x00, 0x80};
    v128 v;
    unsigned char *p = (unsigned char *)&v;
    for (int k = 0; k < 16; k++) {
        p[k] = ALPHA[next() % (zeros ? 12 : 10)];
    }
    return v;
}

static void string_compares(void) {
    const char *text = "Hello, World! xyz";
    /* NUL in the string (xmm2) and in the set (xmm1) at each position. */
    for (int pos = 0; pos <= 16; pos++) {
        v128 a = str("lo, W!zH", 8);
        v128 b = str(text, pos);
        implicit(&a, &b);
    }
    for (int pos = 0; pos <= 16; pos++) {
        v128 a = str("Hello, Wolrd! xyz", pos);
        v128 b = str(text, 16);
        implicit(&a, &b);
    }
    /* Needles: at every offset, running off the end, equal ordered's partial matches. */
    static const char *NEEDLES[] = {"lo", "World", "xyz", "z", "", "Hello, World! xy", "!", "ld! x", "q", "o"};
    for (unsigned k = 0; k < sizeof NEEDLES / sizeof NEEDLES[0]; k++) {
        v128 a = str(NEEDLES[k], strlen(NEEDLES[k]));
        v128 b = str("Hello, World! xyzlo", 16);
        implicit(&a, &b);
        b = str("oooo lolol o", 12);
        implicit(&a, &b);
    }
    /* Ranges with signed and unsigned edges (bytes and, read as words, word pairs). */
    static const unsigned char RANGES[][16] = {
        {'a', 'z', 'A', 'Z', '0', '9'},
        {0x80, 0x7f, 0},
        {0x01, 0xff, 0},
        {0xff, 0x01, 0x7f, 0x80, 0},
        {0x00, 0x80, 0xff, 0x7f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b},
        {0xfe, 0xff, 0x01, 0x01, 0x7f, 0x7f, 'b', 'a', 'c', 'c', 0x80, 0x81, 0x10, 0x20, 0x30, 0x40},
        {0x00, 0x80, 0xff, 0x7f, 0},
        {'a'},
    };
    static const unsigned char STRINGS[][16] = {
        {0x80, 0x7f, 0xff, 0x01, 'a', 'z', 'A', 'Z', '0', '9', '`', '{', '@', '[', 0x81, 0xfe},
        {'a', 'b', 'c', 0x80, 0x00, 0x7f, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09},
        {0x00, 0x80, 0xff, 0x7f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b},
        {0x01, 0x80, 0x01, 0x7f, 0xff, 0xff, 0x00, 0x80, 0x7f, 0x80, 0x45, 0x46, 0x47, 0x48, 0x0c, 0x4a},
    };
    for (unsigned k = 0; k < sizeof RANGES / sizeof RANGES[0]; k++) {
        for (unsigned s = 0; s < sizeof STRINGS / sizeof STRINGS[0]; s++) {
            v128 a, b;
            memcpy(&a, RANGES[k], 16);
            memcpy(&b, STRINGS[s], 16);
            implicit(&a, &b);
        }
    }
    /* Random operands, with and without NULs; a == b. */
    for (int k = 0; k < 24; k++) {
        v128 a = random_vec(k & 1), b = random_vec(k & 2);
        implicit(&a, &b);
    }
    for (int k = 0; k < 4; k++) {
        v128 a = random_vec(0);
        implicit(&a, &a);
    }

    /* Explicit lengths: in range, past the element count, negative, upper-half garbage. */
    static const uint64_t LENGTHS[] = {
        0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 100,
        (uint64_t)-1, (uint64_t)-3, (uint64_t)-8, (uint64_t)-9, (uint64_t)-16, (uint64_t)-17,
        0x80000000ull, 0x7fffffffull, 0xffffffff80000000ull, 0x8000000000000000ull, 0x7fffffffffffffffull,
        0x100000005ull, 0xfffffffe00000004ull, 0x12345678fffffffdull, 0x00000000fffffff0ull,
    };
    enum { NL = sizeof LENGTHS / sizeof LENGTHS[0] };
    v128 ea = str("lo, W!zHello", 12), eb = str("Hello, World! xyz", 16);
    for (int i = 0; i < NL; i++) {
        explicit(&ea, &eb, LENGTHS[i], LENGTHS[(i * 7 + 3) % NL]);
        explicit(&ea, &eb, LENGTHS[(i * 5 + 1) % NL], LENGTHS[i]);
    }
    for (int i = 0; i < 12; i++) {
        v128 a = random_vec(1), b = random_vec(1);
        explicit(&a, &b, LENGTHS[next() % NL], LENGTHS[next() % NL]);
        explicit(&a, &b, next() % 18, next() % 18);
    }
    for (int k = 0; k < 3; k++) {
        v128 a, b;
        memcpy(&a, RANGES[k], 16);
        memcpy(&b, STRINGS[k], 16);
        explicit(&a, &b, 6, 16);
        explicit(&a, &b, 5, 11);
    }
}

/* ------------------------------------------------------------------ CRC32 */

static uint32_t crc32c_sw(uint32_t crc, const unsigned char *p, size_t n) {
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0x82f63b78u & -(crc & 1));
        }
    }
    return crc;
}

#define CRC(insn, dst, src, ...)                                                               \
    do {                                                                                       \
        uint64_t fo;                                                                           \
        __asm__ volatile(PRE insn " " src ", " dst POST : [fo] "=&r"(fo), __VA_ARGS__);        \
        out = fnv(out, d);                                                                     \
        out = fnv(out, fo & ALL);                                                              \
        if (verbose) printf("%-6s %016llx %03llx\n", insn, (unsigned long long)d, (unsigned long long)(fo & ALL)); \
    } while (0)

static uint64_t crc_forms(uint64_t init, uint64_t v, uint64_t fin) {
    uint64_t out = 0;
    uint64_t d;
    uint64_t m = v;
    d = init;
    CRC("crc32b", "%k[d]", "%b[s]", [d] "+r"(d) : [s] "q"(v), [fin] "r"(fin) : "cc");
    d = init;
    CRC("crc32b", "%q[d]", "%b[s]", [d] "+r"(d) : [s] "q"(v), [fin] "r"(fin) : "cc");
    d = init;
    CRC("crc32w", "%k[d]", "%w[s]", [d] "+r"(d) : [s] "r"(v), [fin] "r"(fin) : "cc");
    d = init;
    CRC("crc32l", "%k[d]", "%k[s]", [d] "+r"(d) : [s] "r"(v), [fin] "r"(fin) : "cc");
    d = init;
    CRC("crc32q", "%q[d]", "%q[s]", [d] "+r"(d) : [s] "r"(v), [fin] "r"(fin) : "cc");
    d = init;
    CRC("crc32b", "%k[d]", "(%[s])", [d] "+r"(d) : [s] "r"(&m), [fin] "r"(fin) : "cc", "memory");
    d = init;
    CRC("crc32b", "%q[d]", "(%[s])", [d] "+r"(d) : [s] "r"(&m), [fin] "r"(fin) : "cc", "memory");
    d = init;
    CRC("crc32w", "%k[d]", "(%[s])", [d] "+r"(d) : [s] "r"(&m), [fin] "r"(fin) : "cc", "memory");
    d = init;
    CRC("crc32l", "%k[d]", "(%[s])", [d] "+r"(d) : [s] "r"(&m), [fin] "r"(fin) : "cc", "memory");
    d = init;
    CRC("crc32q", "%q[d]", "(%[s])", [d] "+r"(d) : [s] "r"(&m), [fin] "r"(fin) : "cc", "memory");
    /* High byte registers (no REX) and a REX byte register. */
    d = init;
    __asm__ volatile("mov %[s], %%rax\n\tcrc32b %%ah, %k[d]" : [d] "+b"(d) : [s] "r"(v) : "rax");
    out = fnv(out, d);
    d = init;
    __asm__ volatile("mov %[s], %%rsi\n\tcrc32b %%sil, %k[d]" : [d] "+r"(d) : [s] "r"(v) : "rsi");
    out = fnv(out, d);
    d = init;
    __asm__ volatile("mov %[s], %%r9\n\tcrc32b %%r9b, %%ebx\n\tcrc32w %%r9w, %%ebx\n\tcrc32b %%bh, %%ecx"
                     : "+b"(d), "+c"(v) : [s] "r"(v) : "r9");
    out = fnv(fnv(out, d), v);
    return out;
}

static void crc32_tests(void) {
    static const uint64_t V[] = {
        0, 1, 0xff, 0x80, 0x100, 0xffff, 0x8000, 0xffffffff, 0x80000000, 0xffffffffffffffffull,
        0x8000000000000000ull, 0x0123456789abcdefull, 0xfedcba9876543210ull, 0x00000000deadbeefull,
    };
    static const uint64_t INIT[] = {0, 0xffffffff, 0xffffffffffffffffull, 0x123456789abcdef0ull, 0x82f63b78};
    for (unsigned i = 0; i < sizeof INIT / sizeof INIT[0]; i++) {
        for (unsigned k = 0; k < sizeof V / sizeof V[0]; k++) {
            printf("crc32 %016llx %016llx %016llx\n", (unsigned long long)INIT[i], (unsigned long long)V[k],
                   (unsigned long long)crc_forms(INIT[i], V[k], (k & 1) ? ALL : 0));
        }
    }
    for (int k = 0; k < 40; k++) {
        uint64_t i = next(), v = next();
        printf("crc32 %016llx %016llx %016llx\n", (unsigned long long)i, (unsigned long long)v,
               (unsigned long long)crc_forms(i, v, (k & 1) ? ALL : 0));
    }
    /* A whole buffer, 8 bytes at a time then by bytes, against the software CRC32C. */
    static const char check[] = "123456789";
    uint64_t c = 0xffffffff;
    for (int k = 0; k < 9; k++) {
        __asm__("crc32b %[s], %k[c]" : [c] "+r"(c) : [s] "m"(check[k]));
    }
    printf("crc32c(\"123456789\") = %08llx (software %08x)\n", (unsigned long long)(c ^ 0xffffffff),
           crc32c_sw(0xffffffff, (const unsigned char *)check, 9) ^ 0xffffffffu);
    unsigned char buf[100];
    for (int k = 0; k < 100; k++) {
        buf[k] = (unsigned char)(next() >> 20);
    }
    c = 0xffffffff;
    int k = 0;
    for (; k + 8 <= 100; k += 8) {
        uint64_t w;
        memcpy(&w, buf + k, 8);
        __asm__("crc32q %[s], %q[c]" : [c] "+r"(c) : [s] "r"(w));
    }
    for (; k < 100; k++) {
        __asm__("crc32b %[s], %k[c]" : [c] "+r"(c) : [s] "m"(buf[k]));
    }
    printf("crc32c(buf) = %08llx (software %08x)\n", (unsigned long long)c, crc32c_sw(0xffffffff, buf, 100));
}

/* ------------------------------------------------------------------ PCMPGTQ */

static void pcmpgtq_tests(void) {
    static const uint64_t E[] = {
        0, 1, 0xffffffffffffffffull, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x80000000ull,
        0xffffffff00000000ull, 0x0000000100000000ull, 0xfffffffffffffffeull,
    };
    enum { N = sizeof E / sizeof E[0] };
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            v128 a = {{E[i], E[j]}}, b = {{E[j], E[(i + j) % N]}}, r, m;
            __asm__ volatile("movdqa %2, %%xmm3\n\tmovdqa %3, %%xmm4\n\tpcmpgtq %%xmm4, %%xmm3\n\tmovdqa %%xmm3, %0\n\t"
                             "movdqa %2, %%xmm5\n\tpcmpgtq %3, %%xmm5\n\tmovdqa %%xmm5, %1"
                             : "=m"(r), "=m"(m) : "m"(a), "m"(b) : "xmm3", "xmm4", "xmm5");
            h = fnv(fnv(fnv(fnv(h, r.q[0]), r.q[1]), m.q[0]), m.q[1]);
            if (verbose || i == j + 1) {
                printf("pcmpgtq %016llx %016llx > %016llx %016llx = %016llx %016llx / %016llx %016llx\n",
                       (unsigned long long)a.q[1], (unsigned long long)a.q[0], (unsigned long long)b.q[1],
                       (unsigned long long)b.q[0], (unsigned long long)r.q[1], (unsigned long long)r.q[0],
                       (unsigned long long)m.q[1], (unsigned long long)m.q[0]);
            }
        }
    }
    printf("pcmpgtq hash %016llx\n", (unsigned long long)h);
}

/* ------------------------------------------------------------------ faults */

static sigjmp_buf jump;
static volatile int last_signal;

static void on_fault(int sig) {
    last_signal = sig;
    siglongjmp(jump, 1);
}

static void fault_tests(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + page, page);
    memset(p, 'x', page);
    p[page - 12] = 0;
    /* The string's NUL is inside the mapped page, but the m128 operand crosses into the hole. */
    for (int off = 16; off >= 8; off -= 8) {
        const unsigned char *s = p + page - off;
        last_signal = 0;
        volatile uint64_t ecx = 99;
        if (sigsetjmp(jump, 1) == 0) {
            __asm__ volatile("pxor %%xmm1, %%xmm1\n\tpcmpistri $0, (%1), %%xmm1" : "+c"(ecx) : "r"(s) : "xmm1", "cc");
        }
        printf("pcmpistri at page end - %d: signal %d ecx %llu\n", off, last_signal, (unsigned long long)ecx);
    }
    /* Misaligned m128: fine for the string compares, #GP (SIGSEGV) for PCMPGTQ. */
    last_signal = 0;
    volatile uint64_t ecx = 99;
    if (sigsetjmp(jump, 1) == 0) {
        __asm__ volatile("pxor %%xmm1, %%xmm1\n\tmov $3, %%eax\n\tmov $9, %%edx\n\tpcmpestri $0, (%1), %%xmm1"
                         : "+c"(ecx) : "r"(p + 3) : "xmm1", "rax", "rdx", "cc");
    }
    printf("pcmpestri misaligned: signal %d ecx %llu\n", last_signal, (unsigned long long)ecx);
    last_signal = 0;
    if (sigsetjmp(jump, 1) == 0) {
        __asm__ volatile("pcmpgtq (%0), %%xmm1" : : "r"(p + 8) : "xmm1");
    }
    printf("pcmpgtq misaligned: signal %d\n", last_signal);
    last_signal = 0;
    if (sigsetjmp(jump, 1) == 0) {
        __asm__ volatile("pcmpgtq (%0), %%xmm1" : : "r"(p + 16) : "xmm1");
    }
    printf("pcmpgtq aligned: signal %d\n", last_signal);
}

int main(int argc, char **argv) {
    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    string_compares();
    crc32_tests();
    pcmpgtq_tests();
    fault_tests();
    return 0;
}
