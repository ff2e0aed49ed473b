/* Integer loops: hashes, primes, collatz, bit tricks over many values. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const void *p, size_t n) {
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) { h ^= s[i]; h *= 0x100000001b3ULL; }
    return h;
}

static uint32_t murmur_mix(uint32_t h) {
    h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
    return h;
}

static uint64_t xorshift64(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    return *s = x;
}

static uint32_t crc32(const unsigned char *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

int main(void) {
    /* sieve */
    enum { N = 200000 };
    static unsigned char composite[N + 1];
    int count = 0; uint64_t sum = 0;
    for (int i = 2; i <= N; i++) {
        if (!composite[i]) { count++; sum += i; for (long j = (long)i * i; j <= N; j += i) composite[j] = 1; }
    }
    printf("primes<=%d: %d sum %llu\n", N, count, (unsigned long long)sum);

    /* collatz */
    int best = 0, bestn = 0; uint64_t total = 0;
    for (int n = 1; n < 100000; n++) {
        uint64_t x = n; int steps = 0;
        while (x != 1) { x = (x & 1) ? 3 * x + 1 : x / 2; steps++; }
        total += steps;
        if (steps > best) { best = steps; bestn = n; }
    }
    printf("collatz: longest %d at %d, total %llu\n", best, bestn, (unsigned long long)total);

    /* bit tricks */
    uint64_t s = 88172645463325252ULL, acc = 0, pc = 0, lz = 0, tz = 0;
    for (int i = 0; i < 100000; i++) {
        uint64_t v = xorshift64(&s);
        pc += __builtin_popcountll(v);
        lz += v ? __builtin_clzll(v) : 64;
        tz += v ? __builtin_ctzll(v) : 64;
        acc ^= __builtin_bswap64(v) + (v >> 3) * 7 - (v << 5);
        acc = (acc << 13) | (acc >> 51);
        acc += (uint64_t)((int64_t)v >> 17) / ((v & 0xffff) | 1);
        acc -= (uint64_t)((int64_t)v % 1000003);
        acc ^= (uint64_t)(((unsigned __int128)v * acc) >> 64);
    }
    printf("bits: popcount %llu clz %llu ctz %llu acc %016llx\n", (unsigned long long)pc,
           (unsigned long long)lz, (unsigned long long)tz, (unsigned long long)acc);

    /* signed arithmetic edge values */
    int64_t edge[] = {0, 1, -1, 2, -2, 7, -7, INT64_MAX, INT64_MIN + 1, 1000000007, -1000000007, 0x7fffffff, -0x80000000LL};
    int ne = sizeof edge / sizeof edge[0];
    uint64_t h = 0;
    for (int i = 0; i < ne; i++)
        for (int j = 0; j < ne; j++) {
            int64_t a = edge[i], b = edge[j];
            h = h * 31 + (uint64_t)(a + b) + (uint64_t)(a - b) * 3 + (uint64_t)a * (uint64_t)b;
            if (b != 0 && !(a == INT64_MIN && b == -1)) h += (uint64_t)(a / b) ^ (uint64_t)(a % b);
            int32_t a32 = (int32_t)a, b32 = (int32_t)b;
            if (b32 != 0 && !(a32 == INT32_MIN && b32 == -1)) h ^= (uint32_t)(a32 / b32) + (uint32_t)(a32 % b32);
            h += (uint64_t)(a >> (j & 63)) + ((uint64_t)a >> (i & 63));
            h += (a < b) + 2 * ((uint64_t)a < (uint64_t)b);
        }
    printf("edge hash %016llx\n", (unsigned long long)h);

    /* hashes over generated data */
    static unsigned char buf[1 << 16];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(murmur_mix((uint32_t)i) >> 5);
    printf("fnv1a %016llx crc32 %08x\n", (unsigned long long)fnv1a(buf, sizeof buf), crc32(buf, sizeof buf));
    uint32_t m = 0;
    for (uint32_t i = 0; i < 1000000; i++) m += murmur_mix(i);
    printf("murmur sum %08x\n", m);

    /* gcd / modular exponentiation */
    uint64_t g = 0;
    for (uint64_t a = 1; a < 2000; a += 7)
        for (uint64_t b = 1; b < 2000; b += 11) { uint64_t x = a, y = b; while (y) { uint64_t t = x % y; x = y; y = t; } g += x; }
    uint64_t r = 1, base = 123456789, e = 1000000005, mod = 1000000007;
    while (e) { if (e & 1) r = (unsigned __int128)r * base % mod; base = (unsigned __int128)base * base % mod; e >>= 1; }
    printf("gcd sum %llu modpow %llu\n", (unsigned long long)g, (unsigned long long)r);
    return 0;
}
