/*
 * String instructions: REP MOVS/STOS (every element size, both directions, overlapping
 * buffers, page-crossing lengths), REPE/REPNE CMPS and SCAS, LODS, counts of zero, the 67
 * prefix; then the C library's memcpy/memmove/memset/memcmp/strlen over many sizes and
 * alignments. Prints checksums and register values relative to the buffers, never addresses.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t u64;

#define BUF 40000
static unsigned char buf[BUF] __attribute__((aligned(4096)));

static void fill(void) {
    for (int k = 0; k < BUF; k++)
        buf[k] = (unsigned char)(k * 131 + (k >> 8));
}

static uint32_t sum(void) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (int k = 0; k < BUF; k++)
        h = (h ^ buf[k]) * 16777619u;
    return h;
}

/* Runs a string instruction with DF set when `down`, restoring DF=0 in the same statement. */
#define STRING(insn, extra)                                                                         \
    __asm__ volatile("test %k3, %k3\n\tjz 1f\n\tstd\n1:\n\t" insn "\n\tcld"                         \
                     : "+D"(d), "+c"(c), extra : "r"(down) : "cc", "memory")

/* One REP MOVS of element size sz; prints the checksum and what RCX/RSI/RDI advanced by. */
static void movs(int sz, int down, long src, long dst, u64 count) {
    fill();
    unsigned char *s = buf + src, *d = buf + dst;
    u64 c = count;
    switch (sz) {
    case 1: STRING("rep movsb", "+S"(s)); break;
    case 2: STRING("rep movsw", "+S"(s)); break;
    case 4: STRING("rep movsl", "+S"(s)); break;
    default: STRING("rep movsq", "+S"(s)); break;
    }
    printf("movs%d %s src=%ld dst=%ld n=%llu: sum=%08x rcx=%llu dsi=%ld ddi=%ld\n", sz, down ? "down" : "up", src,
           dst, (unsigned long long)count, sum(), (unsigned long long)c, (long)(s - (buf + src)),
           (long)(d - (buf + dst)));
}

static void stos(int sz, int down, long dst, u64 count, u64 val) {
    fill();
    unsigned char *d = buf + dst;
    u64 c = count;
    switch (sz) {
    case 1: STRING("rep stosb", "+a"(val)); break;
    case 2: STRING("rep stosw", "+a"(val)); break;
    case 4: STRING("rep stosl", "+a"(val)); break;
    default: STRING("rep stosq", "+a"(val)); break;
    }
    printf("stos%d %s dst=%ld n=%llu: sum=%08x rcx=%llu ddi=%ld\n", sz, down ? "down" : "up", dst,
           (unsigned long long)count, sum(), (unsigned long long)c, (long)(d - (buf + dst)));
}

#define CMPS(insn)                                                                                  \
    __asm__ volatile("push %4\n\tpopfq\n\t" insn "\n\tpushfq\n\tpop %3\n\tcld"                          \
                     : "+S"(s), "+D"(d), "+c"(c), "=&r"(f) : "r"(fl) : "cc", "memory")

static void cmps(int rep_ne, int sz, int down, long a, long b, u64 count) {
    unsigned char *s = buf + a, *d = buf + b;
    u64 c = count, f;
    /* Start from known flags (all six status flags set) so a zero count shows them untouched. */
    u64 fl = 0x8d5ull | (down ? 0x400ull : 0);
    if (rep_ne) {
        switch (sz) {
        case 1: CMPS("repne cmpsb"); break;
        case 2: CMPS("repne cmpsw"); break;
        case 4: CMPS("repne cmpsl"); break;
        default: CMPS("repne cmpsq"); break;
        }
    } else {
        switch (sz) {
        case 1: CMPS("repe cmpsb"); break;
        case 2: CMPS("repe cmpsw"); break;
        case 4: CMPS("repe cmpsl"); break;
        default: CMPS("repe cmpsq"); break;
        }
    }
    printf("%s cmps%d %s a=%ld b=%ld n=%llu: rcx=%llu dsi=%ld ddi=%ld flags=%03llx\n", rep_ne ? "repne" : "repe", sz,
           down ? "down" : "up", a, b, (unsigned long long)count, (unsigned long long)c, (long)(s - (buf + a)),
           (long)(d - (buf + b)), (unsigned long long)(f & 0x8d5));
}

#define SCAS(insn)                                                                                  \
    __asm__ volatile("push $0x8d5\n\tpopfq\n\t" insn "\n\tpushfq\n\tpop %2"                               \
                     : "+D"(d), "+c"(c), "=&r"(f) : "a"(val) : "cc", "memory")

static void scas(int rep_ne, int sz, long at, u64 count, u64 val) {
    unsigned char *d = buf + at;
    u64 c = count, f;
    if (rep_ne) {
        switch (sz) {
        case 1: SCAS("repne scasb"); break;
        case 2: SCAS("repne scasw"); break;
        case 4: SCAS("repne scasl"); break;
        default: SCAS("repne scasq"); break;
        }
    } else {
        switch (sz) {
        case 1: SCAS("repe scasb"); break;
        case 2: SCAS("repe scasw"); break;
        case 4: SCAS("repe scasl"); break;
        default: SCAS("repe scasq"); break;
        }
    }
    printf("%s scas%d at=%ld n=%llu val=%llx: rcx=%llu ddi=%ld flags=%03llx\n", rep_ne ? "repne" : "repe", sz, at,
           (unsigned long long)count, (unsigned long long)val, (unsigned long long)c, (long)(d - (buf + at)),
           (unsigned long long)(f & 0x8d5));
}

static void lods(void) {
    fill();
    unsigned char *s = buf + 100;
    u64 a = ~0ull, c = 5;
    __asm__ volatile("lodsb" : "+S"(s), "+a"(a));
    printf("lodsb %llx\n", (unsigned long long)a);
    __asm__ volatile("lodsw" : "+S"(s), "+a"(a));
    printf("lodsw %llx\n", (unsigned long long)a);
    __asm__ volatile("lodsl" : "+S"(s), "+a"(a));
    printf("lodsl %llx\n", (unsigned long long)a);
    __asm__ volatile("lodsq" : "+S"(s), "+a"(a));
    printf("lodsq %llx\n", (unsigned long long)a);
    __asm__ volatile("std\n\trep lodsw\n\tcld" : "+S"(s), "+a"(a), "+c"(c) : : "cc");
    printf("rep lodsw down %llx rcx=%llu dsi=%ld\n", (unsigned long long)a, (unsigned long long)c,
           (long)(s - (buf + 100)));
}

/* The 67 prefix: ECX counts and RDI is used as EDI (buf is in the low 4 GiB of a static binary). */
static void addr32(void) {
    fill();
    unsigned char *d = buf + 5;
    u64 c = 0xffffffff00000010ull;
    if ((u64)buf >> 32)
        return;
    __asm__ volatile("addr32 rep stosb" : "+D"(d), "+c"(c) : "a"(0x5a) : "memory");
    printf("addr32 rep stosb: sum=%08x rcx=%llx ddi=%ld\n", sum(), (unsigned long long)c, (long)(d - (buf + 5)));
}

static void libc(void) {
    static const int sizes[] = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256,
                                511, 1000, 2048, 4095, 4096, 4097, 8191, 10000, 20000};
    for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int n = sizes[k];
        for (int al = 0; al < 3; al++) {
            int sa = al * 5, da = 1000 + al * 3;
            if (da + n > BUF)
                continue;
            fill();
            int cn = n < 8000 ? n : 8000; /* memcpy's buffers must not overlap */
            memcpy(buf + da + 8000, buf + sa, cn < BUF - da - 8000 ? cn : BUF - da - 8000);
            uint32_t a = sum();
            fill();
            memmove(buf + da, buf + sa + 900, n + 900 < BUF - da ? n : 0);
            uint32_t b = sum();
            fill();
            memmove(buf + sa + 3, buf + sa, n);
            uint32_t c = sum();
            fill();
            memset(buf + da, 0xa5 + al, n);
            uint32_t d = sum();
            fill();
            int cmp = memcmp(buf + sa, buf + sa, n);
            buf[sa + n] = 0;
            size_t len = strlen((char *)buf + sa);
            printf("libc n=%d al=%d: %08x %08x %08x %08x %d %zu\n", n, al, a, b, c, d, cmp, len);
        }
    }
}

int main(void) {
    static const long counts[] = {0, 1, 2, 7, 100, 513, 4096, 4099};
    for (int sz = 1; sz <= 8; sz *= 2) {
        for (unsigned k = 0; k < sizeof counts / sizeof counts[0]; k++) {
            u64 n = counts[k];
            movs(sz, 0, 3, 20001, n * sz < 19000 ? n : 19000 / sz);
            movs(sz, 0, 3, 7001, n);                                    /* long, overlapping */
            movs(sz, 0, 100, 100 + sz / 2 + 1, n < 2000 ? n : 2000);   /* forward overlap */
            movs(sz, 0, 2000, 1995, n < 4000 ? n : 4000);              /* dst below src */
            movs(sz, 1, 35000, 15000 + sz, n < 1000 ? n : 1000);
            movs(sz, 1, 30000, 30005, n < 3000 ? n : 3000);            /* musl memmove style */
            movs(sz, 1, 30000, 29999, n < 3000 ? n : 3000);            /* backward overlap */
            stos(sz, 0, 4093, n, 0x1122334455667788ull);
            stos(sz, 1, 30001, n < 3000 ? n : 3000, 0x8877665544332211ull);
        }
    }
    fill();
    memcpy(buf + 20000, buf, 20000);
    buf[20000 + 777] ^= 1;
    for (int sz = 1; sz <= 8; sz *= 2) {
        cmps(0, sz, 0, 0, 20000, 2000 / sz);
        cmps(0, sz, 0, 0, 20000, 0);
        cmps(0, sz, 0, 0, 20000, 700 / sz);
        cmps(0, sz, 1, 1000, 21000, 400 / sz);
        cmps(1, sz, 0, 0, 20001, 100);
        cmps(1, sz, 0, 0, 20000 + 8, 100);
    }
    for (int sz = 1; sz <= 8; sz *= 2) {
        u64 v;
        memcpy(&v, buf + 20 + 24, 8);
        scas(1, sz, 20, 100, v);
        scas(1, sz, 20, 2, v);
        scas(0, sz, 20, 100, v);
        memset(buf + 300, 0x42, 64);
        scas(0, sz, 300, 100, 0x4242424242424242ull);
        scas(0, sz, 300, 0, 0);
    }
    lods();
    addr32();
    libc();
    return 0;
}
