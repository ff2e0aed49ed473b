/* strtod/strtold round trips. */
#include <errno.h>
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

int main(void) {
    const char *in[] = {"0", "-0", "1", "0.1", "1e23", "8.98846567431158e307", "1.7976931348623157e308", "1.7976931348623159e308",
                        "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9406564584124654e-324", "2.4703282292062328e-324",
                        "2.4703282292062327e-324", "1e-400", "1e400", "inf", "-Infinity", "nan", "0x1.fffffffffffffp1023",
                        "0x1p-1074", "0X1.8P+1", "  +3.25xyz", ".5", "5.", "1e", "abc", "123456789012345678901234567890",
                        "0.30000000000000004", "9007199254740993", "3.14159265358979323846264338327950288419716939937510"};
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
        char *end; errno = 0;
        double d = strtod(in[i], &end);
        int e = errno;
        char buf[64]; snprintf(buf, sizeof buf, "%.17g", d);
        double back = strtod(buf, NULL);
        printf("%-52s -> %016llx %-24s consumed %2d erange %d roundtrip %d\n", in[i], (unsigned long long)bits(d), buf,
               (int)(end - in[i]), e == ERANGE, bits(back) == bits(d));
        errno = 0;
        long double ld = strtold(in[i], &end);
        e = errno;
        printf("   L %.21Lg %La consumed %d erange %d\n", ld, ld, (int)(end - in[i]), e == ERANGE);
        float f = strtof(in[i], NULL);
        printf("   f %.9g\n", (double)f);
    }
    /* round trip a pseudo-random sweep of bit patterns */
    uint64_t s = 0x9e3779b97f4a7c15ULL; int bad = 0, n = 0;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        double d; memcpy(&d, &s, 8);
        if (d != d) continue;
        char buf[40]; snprintf(buf, sizeof buf, "%.17g", d);
        n++; if (bits(strtod(buf, NULL)) != bits(d)) bad++;
        long double ld = d * 1.000000000000000000001L;
        snprintf(buf, sizeof buf, "%.21Lg", ld);
        if (strtold(buf, NULL) != ld) bad++;
    }
    printf("sweep %d values, %d mismatches\n", n, bad);
    return 0;
}
