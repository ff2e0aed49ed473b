/* x86-TSO litmus tests with plain MOVs (inline asm, so the C compiler cannot reorder): message
 * passing and load buffering must never show their forbidden outcome; store buffering may show
 * r1=r2=0 with plain stores but never with MFENCE or XCHG between store and load. Only the
 * forbidden counts are printed (the allowed ones depend on timing). 2,000 rounds per pattern:
 * natively and under linux4j (both modes) that shows the allowed "interesting" outcomes by the
 * hundred (plain SB both 0, MP flag and data both seen, fenced SB both 1), so the two threads
 * really do overlap, while a run stays a few seconds even on a busy machine. */
#include <pthread.h>
#include <stdio.h>

#define N 2000

static volatile long x, y;
static volatile long ready, go, done;
static long r1[N], r2[N];
static int test;

static inline void store(volatile long *p, long v) { __asm__ volatile("movq %1, %0" : "=m"(*p) : "r"(v) : "memory"); }
static inline long load(volatile long *p) {
    long v;
    __asm__ volatile("movq %1, %0" : "=r"(v) : "m"(*p) : "memory");
    return v;
}
static inline void mfence(void) { __asm__ volatile("mfence" ::: "memory"); }
static inline void xchg_store(volatile long *p, long v) { __asm__ volatile("xchgq %0, %1" : "+r"(v), "+m"(*p) : : "memory"); }

/* Thread 0's half of each test. */
static long side0(void) {
    switch (test) {
    case 0: store(&x, 1); store(&y, 1); return 0;            /* MP writer: data, then flag */
    case 1: store(&x, 1); mfence(); return load(&y);          /* SB + MFENCE */
    case 2: xchg_store(&x, 1); return load(&y);               /* SB + XCHG */
    case 3: { long v = load(&x); store(&y, 1); return v; }    /* LB */
    default: store(&x, 1); return load(&y);                   /* plain SB */
    }
}

/* Thread 1's half. */
static long side1(long *other) {
    switch (test) {
    case 0: { long f = load(&y); *other = load(&x); return f; } /* MP reader: flag, then data */
    case 1: store(&y, 1); mfence(); return load(&x);
    case 2: xchg_store(&y, 1); return load(&x);
    case 3: { long v = load(&y); store(&x, 1); return v; }
    default: store(&y, 1); return load(&x);
    }
}

static long mp_data[N];

static void *thread1(void *arg) {
    (void) arg;
    for (long i = 1; i <= N; i++) {
        __atomic_store_n(&ready, i, __ATOMIC_SEQ_CST);
        while (__atomic_load_n(&go, __ATOMIC_SEQ_CST) != i) {
        }
        r2[i - 1] = side1(&mp_data[i - 1]);
        __atomic_store_n(&done, i, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static void run(int which) {
    test = which;
    ready = go = done = 0;
    pthread_t t;
    pthread_create(&t, NULL, thread1, NULL);
    for (long i = 1; i <= N; i++) {
        while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) != i) {
        }
        x = 0;
        y = 0;
        __atomic_store_n(&go, i, __ATOMIC_SEQ_CST);
        r1[i - 1] = side0();
        while (__atomic_load_n(&done, __ATOMIC_SEQ_CST) != i) {
        }
    }
    pthread_join(t, NULL);
}

int main(void) {
    run(0);
    long bad = 0;
    for (int i = 0; i < N; i++) bad += r2[i] == 1 && mp_data[i] == 0;
    printf("MP: flag seen without data %ld times\n", bad);
    run(1);
    bad = 0;
    for (int i = 0; i < N; i++) bad += r1[i] == 0 && r2[i] == 0;
    printf("SB+MFENCE: both loads 0 %ld times\n", bad);
    run(2);
    bad = 0;
    for (int i = 0; i < N; i++) bad += r1[i] == 0 && r2[i] == 0;
    printf("SB+XCHG: both loads 0 %ld times\n", bad);
    run(3);
    bad = 0;
    for (int i = 0; i < N; i++) bad += r1[i] == 1 && r2[i] == 1;
    printf("LB: both loads 1 %ld times\n", bad);
    run(4);
    long seen = 0;
    for (int i = 0; i < N; i++) seen += (r1[i] | r2[i]) > 1;
    printf("SB: impossible values %ld\n", seen);
    return 0;
}
