/* Integer work: xorshift64 generator feeding an FNV-1a style hash and a small table. Usage: xorshift [ITERATIONS] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000000L;
    uint64_t x = 88172645463325252ULL, h = 0xcbf29ce484222325ULL;
    uint32_t table[256] = {0};
    for (long i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        h = (h ^ (x & 0xff)) * 0x100000001b3ULL;
        table[(h >> 56) & 0xff] += (uint32_t)x;
        h ^= table[x & 0xff] >> 3;
    }
    uint64_t t = 0;
    for (int i = 0; i < 256; i++) t = t * 31 + table[i];
    printf("%016llx %016llx\n", (unsigned long long)h, (unsigned long long)t);
    return 0;
}
