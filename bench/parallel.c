/* CPU-bound work split over T threads: each thread runs its own xorshift64/FNV loop over its
 * own table (no shared writes, no false sharing), ITERATIONS/T steps each. The total work is the
 * same for every T, so with real parallelism the wall time falls as T grows. Prints a checksum
 * on stdout and the wall time of the threaded part (creation to last join) on stderr, so a
 * caller can separate it from process start-up.
 * Usage: parallel THREADS ITERATIONS */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct work {
    long n;
    uint64_t seed, result;
    uint32_t table[256];
    char pad[64];
} __attribute__((aligned(64)));

static void *run(void *arg) {
    struct work *w = arg;
    uint64_t x = w->seed, h = 0xcbf29ce484222325ULL;
    for (long i = 0; i < w->n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        h = (h ^ (x & 0xff)) * 0x100000001b3ULL;
        w->table[(h >> 56) & 0xff] += (uint32_t)x;
        h ^= w->table[x & 0xff] >> 3;
    }
    w->result = h;
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    long n = argc > 2 ? atol(argv[2]) : 100000000L;
    if (threads < 1 || threads > 64) return 2;
    static struct work w[64];
    pthread_t t[64];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < threads; i++) {
        w[i].n = n / threads;
        w[i].seed = 88172645463325252ULL + (uint64_t)i * 0x9e3779b97f4a7c15ULL;
        if (pthread_create(&t[i], NULL, run, &w[i]) != 0) return 1;
    }
    uint64_t sum = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        sum ^= w[i].result;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "work %.3f\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    printf("%d threads: %016llx\n", threads, (unsigned long long)sum);
    return 0;
}
