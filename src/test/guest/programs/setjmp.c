/* setjmp/longjmp: nested, from deep recursion, with volatile locals, sigsetjmp. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env, env2;
static int depth_reached;

static void recurse(int n) {
    volatile char pad[64];
    pad[n % 64] = (char)n;
    if (n == 500) { depth_reached = n + pad[n % 64] - (char)n; longjmp(env, n); }
    recurse(n + 1);
    pad[0]++;
}

static int inner(int x) {
    if (setjmp(env2) == 0) {
        if (x > 2) longjmp(env2, x * 10);
        return x;
    }
    return -x;
}

int main(void) {
    volatile int counter = 0;
    int r = setjmp(env);
    counter++;
    if (r == 0) recurse(0);
    printf("longjmp returned %d, counter %d, depth %d\n", r, counter, depth_reached);

    for (int i = 0; i < 5; i++) printf("inner(%d) = %d\n", i, inner(i));

    jmp_buf loop;
    volatile int iterations = 0;
    int v = setjmp(loop);
    if (v < 10) { iterations++; longjmp(loop, v + 1); }
    printf("loop v %d iterations %d\n", v, iterations);

    volatile int zero = setjmp(env);
    if (zero == 0) longjmp(env, 0);
    printf("longjmp(0) gives %d\n", zero);

    sigjmp_buf sj;
    volatile double acc = 1.5;
    int s = sigsetjmp(sj, 1);
    acc *= 2;
    if (s < 3) siglongjmp(sj, s + 1);
    printf("sigsetjmp s %d acc %g\n", s, acc);
    return 0;
}
