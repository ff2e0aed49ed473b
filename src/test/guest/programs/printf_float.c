/* printf of floats and long doubles at edge values. */
#include <float.h>
#include <math.h>
#include <stdio.h>

int main(void) {
    double d[] = {0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, 2.5, 3.5, -2.5, 1e-5, 123456789.0, 1e15, 1e16, 1e21, 1e22, 1e100, 1e300,
                  DBL_MAX, DBL_MIN, DBL_MIN / 2, 4.9406564584124654e-324, DBL_EPSILON, 0.5e-320, 9.999999999999999e22,
                  HUGE_VAL, -HUGE_VAL, NAN, -NAN, 1.0e-7, 0.000123456, 999999.5, 0.15, 0.25, 0.35};
    for (unsigned i = 0; i < sizeof d / sizeof d[0]; i++) {
        double x = d[i];
        printf("[%f] [%e] [%g] [%a] [%.0f] [%.3e] [%.10g] [%20.5f] [%-12g|] [%+.2e] [%#g] [%#.0f] [%.17g] [%A]\n",
               x, x, x, x, x, x, x, x, x, x, x, x, x, x);
    }
    long double ld[] = {0.0L, 1.0L, -1.0L, 0.1L, 1.0L / 3, 2.0L / 3, LDBL_MAX, LDBL_MIN, LDBL_MIN / 4, LDBL_EPSILON,
                        3.14159265358979323846264338327950288L, 1e4000L, -1e-4000L, (long double)DBL_MAX * 16,
                        HUGE_VALL, -HUGE_VALL, NAN, 12345678901234567890.0L};
    for (unsigned i = 0; i < sizeof ld / sizeof ld[0]; i++) {
        long double x = ld[i];
        printf("L [%.30Lf] [%Lg] [%Le] [%.25Le] [%.21Lg]\n", x, x, x, x, x);
    }
    printf("DBL_MAX %%f length: %d\n", printf("%f\n", DBL_MAX));
    printf("LDBL_MAX %%Lf length: %d\n", snprintf(NULL, 0, "%Lf", LDBL_MAX));
    printf("floats [%f] [%g] [%e]\n", (double)FLT_MAX, (double)FLT_MIN, (double)FLT_TRUE_MIN);
    long double acc = 1.0L;
    for (int i = 1; i <= 30; i++) acc *= i;
    printf("30! %.0Lf %La\n", acc, acc);
    long double s = 0;
    for (int i = 1; i <= 1000; i++) s += 1.0L / ((long double)i * i);
    printf("zeta2 %.21Lg sqrtl %.21Lg\n", s, sqrtl(2.0L));
    return 0;
}
