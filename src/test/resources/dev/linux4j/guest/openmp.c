/* An OpenMP program (gcc -fopenmp, libgomp: glibc only, musl has no libgomp): a parallel for
 * with reductions, dynamic scheduling, parallel sections, tasks, critical/atomic/barrier/single,
 * and an explicit 4-thread team on however many CPUs there are. Prints only results that do not
 * depend on the number of CPUs or on timing. */
#define _GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#define N 200000

static int fib(int n) {
    if (n < 2) return n;
    int a, b;
#pragma omp task shared(a) if (n > 12)
    a = fib(n - 1);
#pragma omp task shared(b) if (n > 12)
    b = fib(n - 2);
#pragma omp taskwait
    return a + b;
}

static long count_primes(int limit) {
    static char composite[100001];
    long n = 0;
    for (int i = 2; i <= limit; i++) {
        if (composite[i]) continue;
        n++;
        for (long j = (long) i * i; j <= limit; j += i) composite[j] = 1;
    }
    return n;
}

static unsigned long squares[N];

int main(void) {
    /* parallel for with reductions */
    long sum = 0;
    unsigned long xor = 0;
    long max = 0;
#pragma omp parallel for reduction(+ : sum) reduction(^ : xor) reduction(max : max)
    for (long i = 0; i < N; i++) {
        long v = (i * 2654435761L) % 1000003;
        sum += v;
        xor ^= (unsigned long) v << (i % 17);
        if (v > max) max = v;
    }
    printf("reduction: sum %ld xor %lx max %ld\n", sum, xor, max);

    /* dynamic schedule writing disjoint elements */
#pragma omp parallel for schedule(dynamic, 64)
    for (long i = 0; i < N; i++) squares[i] = (unsigned long) i * i;
    unsigned long check = 0;
    for (long i = 0; i < N; i++) check = check * 31 + squares[i];
    printf("dynamic schedule: %lx\n", check);

    /* parallel sections */
    long primes = 0;
    int f = 0;
    char word[32] = "";
#pragma omp parallel sections
    {
#pragma omp section
        primes = count_primes(100000);
#pragma omp section
        f = fib(20);
#pragma omp section
        strcpy(word, "sections");
    }
    printf("sections: %ld primes, fib(20) %d, %s\n", primes, f, word);

    /* tasks from a single producer */
    int ft = 0;
#pragma omp parallel
#pragma omp single
    ft = fib(24);
    printf("tasks: fib(24) %d\n", ft);

    /* an explicit team of 4 (more threads than this machine may have cores) */
    int team = 0, seen = 0, singles = 0;
    long crit = 0, atom = 0, after_barrier = 0;
    int arrived = 0;
#pragma omp parallel num_threads(4)
    {
#pragma omp master
        team = omp_get_num_threads();
#pragma omp atomic
        seen |= 1 << omp_get_thread_num();
        for (int i = 0; i < 10000; i++) {
#pragma omp critical
            crit += 2;
#pragma omp atomic
            atom += 3;
        }
#pragma omp atomic
        arrived++;
#pragma omp barrier
#pragma omp atomic
        after_barrier += arrived;
#pragma omp single
        singles++;
    }
    printf("team of %d, thread numbers %x, critical %ld, atomic %ld, after barrier %ld, single %d\n",
           team, seen, crit, atom, after_barrier, singles);

    /* the default team size follows the CPUs this process may run on */
    cpu_set_t cpus;
    sched_getaffinity(0, sizeof cpus, &cpus);
    printf("max threads = affinity CPUs: %s\n", omp_get_max_threads() == CPU_COUNT(&cpus) ? "yes" : "no");
    return 0;
}
