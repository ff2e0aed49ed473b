/*
 * long double formatting and parsing, which libc implements with the x87: printf %La, %.20Lg,
 * %Lf, %.30Le over edge and ordinary values, and strtold round trips (the parsed value's
 * 80-bit image, and whether printing it with %.21Lg and parsing again gives the same bits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

typedef struct { uint64_t m; uint16_t se; } __attribute__((packed)) f80;

static long double mk(uint16_t se, uint64_t m) {
    f80 v = {m, se};
    long double d;
    memset(&d, 0, sizeof d);
    memcpy(&d, &v, 10);
    return d;
}

static void hex80(long double d) {
    f80 v;
    memcpy(&v, &d, 10);
    printf("%04x%016llx", v.se, (unsigned long long)v.m);
}

int main(void) {
    long double vals[] = {
        0.0L, -0.0L, 1.0L, -1.0L, 0.1L, 1.0L / 3, 2.0L / 3, 3.141592653589793238462643383279L,
        1e4932L, 1e-4931L, 1e300L, 1e-300L, 123456789.123456789L, 9007199254740993.0L,
        18446744073709551615.0L, 0.5L, 1.5L, 2.5L, 1e18L, 1e19L, 1e20L, 12345.6789e-20L,
        mk(0x7ffe, 0xffffffffffffffffULL), mk(0x0001, 0x8000000000000000ULL), mk(0x0000, 0x0000000000000001ULL),
        mk(0x0000, 0x4000000000000000ULL), mk(0x3fff, 0xffffffffffffffffULL), mk(0x3ffe, 0xffffffffffffffffULL),
        mk(0x403e, 0xffffffffffffffffULL), mk(0xc03e, 0x8000000000000000ULL), mk(0x4010, 0xabcdef0123456789ULL),
    };
    int n = sizeof vals / sizeof vals[0];
    for (int i = 0; i < n; i++) {
        printf("%2d ", i);
        hex80(vals[i]);
        printf(" %La|%.20Lg|%Lf|%.30Le|%Lg\n", vals[i], vals[i], i == 8 || i == 9 ? 0.0L : vals[i], vals[i], vals[i]);
    }
    /* a few specials: infinities and NaN (the sign of a NaN is printed by both libcs) */
    long double inf = mk(0x7fff, 0x8000000000000000ULL);
    printf("inf %La %Lg %Lf %Le\n", inf, -inf, inf, -inf);
    printf("nan %Lg %Lf\n", mk(0x7fff, 0xc000000000000000ULL), mk(0xffff, 0xc000000000000000ULL));
    printf("widths [%30.10Lf] [%-25.5Le] [%+.0Lf] [%#.0Le] [%012.3Lg]\n", 3.25L, -1e-10L, 2.5L, 1e10L, -0.000123456L);

    const char *strs[] = {
        "0", "-0", "1", "0.1", "3.14159265358979323846264338327950288", "1e4932", "1.18973149535723176502e+4932",
        "1.18973149535723176509e+4932", "3.36210314311209350626e-4932", "3.6451995318824746025e-4951",
        "1e-4960", "2e-4951", "123456789012345678901234567890", "0x1.fffffffffffffffep16383", "0x1p-16445",
        "0xa.bcdef0123456789p+3", "inf", "-infinity", "nan", "1.00000000000000000005", "1.00000000000000000006",
        "9.999999999999999999999e-1", "18446744073709551616", "18446744073709551617",
        "0.000000000000000000000000000000000000000000000000001", "4.9406564584124654e-324", "1.7976931348623157e308",
    };
    int ns = sizeof strs / sizeof strs[0];
    for (int i = 0; i < ns; i++) {
        char *end;
        long double v = strtold(strs[i], &end);
        char buf[64];
        snprintf(buf, sizeof buf, "%.21Lg", v);
        long double back = strtold(buf, NULL);
        printf("strtold %s -> ", strs[i]);
        hex80(v);
        printf(" end=%d %s %s\n", (int)(end - strs[i]), buf, memcmp(&v, &back, 10) == 0 ? "roundtrip" : "DIFFERS");
    }
    /* arithmetic done by the compiler with x87 instructions, then printed */
    long double acc = 1.0L;
    for (int i = 1; i <= 30; i++) {
        acc = acc * i / 7.0L + 1.0L / i;
        printf("acc %2d %.21Lg %La\n", i, acc, acc);
    }
    return 0;
}
