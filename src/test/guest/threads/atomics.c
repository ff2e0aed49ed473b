/* C11 atomics under contention: a counter hammered by 8 threads, and a lock-free
 * multi-producer queue (a bounded ring with per-slot sequence numbers) drained by one consumer.
 * The hammering threads pass a start barrier so that they all run at once. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>

#define THREADS 8
static int ITERS = 50000; /* argv[1] and argv[2] scale the two parts down for the stress test */
#define PRODUCERS 4
static long ITEMS = 20000;
#define RING 1024

static atomic_long counter;
static atomic_int flag_sum;
static atomic_uint_least64_t wide;
static pthread_barrier_t start;

static void *hammer(void *arg) {
    (void) arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < ITERS; i++) {
        atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed);
        long v = atomic_load(&counter);
        (void) v;
        atomic_fetch_or(&flag_sum, 1 << ((long) arg % 8));
        uint64_t old = atomic_load(&wide);
        while (!atomic_compare_exchange_weak(&wide, &old, old + 3)) {
        }
    }
    return NULL;
}

struct slot {
    atomic_size_t seq;
    long value;
};
static struct slot ring[RING];
static atomic_size_t tail;
static size_t head;

static void push(long v) {
    size_t pos = atomic_load_explicit(&tail, memory_order_relaxed);
    for (;;) {
        struct slot *s = &ring[pos % RING];
        size_t seq = atomic_load_explicit(&s->seq, memory_order_acquire);
        intptr_t diff = (intptr_t) seq - (intptr_t) pos;
        if (diff == 0) {
            if (atomic_compare_exchange_weak_explicit(&tail, &pos, pos + 1, memory_order_relaxed,
                                                      memory_order_relaxed)) {
                s->value = v;
                atomic_store_explicit(&s->seq, pos + 1, memory_order_release);
                return;
            }
        } else if (diff < 0) {
            sched_yield();
            pos = atomic_load_explicit(&tail, memory_order_relaxed);
        } else {
            pos = atomic_load_explicit(&tail, memory_order_relaxed);
        }
    }
}

static int pop(long *v) {
    struct slot *s = &ring[head % RING];
    size_t seq = atomic_load_explicit(&s->seq, memory_order_acquire);
    if ((intptr_t) seq - (intptr_t) (head + 1) < 0) {
        return 0;
    }
    *v = s->value;
    atomic_store_explicit(&s->seq, head + RING, memory_order_release);
    head++;
    return 1;
}

static void *produce(void *arg) {
    long id = (long) arg;
    for (long i = 1; i <= ITEMS; i++) {
        push(id * 1000000 + i);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 2) {
        ITERS = atoi(argv[1]);
        ITEMS = atol(argv[2]);
    }
    pthread_t t[THREADS];
    pthread_barrier_init(&start, NULL, THREADS);
    for (long i = 0; i < THREADS; i++) {
        pthread_create(&t[i], NULL, hammer, (void *) i);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    printf("counter %ld wide %llu flags %x\n", atomic_load(&counter), (unsigned long long) atomic_load(&wide),
           atomic_load(&flag_sum));

    for (size_t i = 0; i < RING; i++) {
        atomic_init(&ring[i].seq, i);
    }
    pthread_t p[PRODUCERS];
    for (long i = 0; i < PRODUCERS; i++) {
        pthread_create(&p[i], NULL, produce, (void *) (i + 1));
    }
    long count = 0, sum = 0, last[PRODUCERS + 1] = {0}, ordered = 1;
    while (count < PRODUCERS * ITEMS) {
        long v;
        if (pop(&v)) {
            long id = v / 1000000, seq = v % 1000000;
            if (seq != last[id] + 1) {
                ordered = 0;
            }
            last[id] = seq;
            sum += v;
            count++;
        } else {
            sched_yield();
        }
    }
    for (int i = 0; i < PRODUCERS; i++) {
        pthread_join(p[i], NULL);
    }
    printf("queue count %ld sum %ld per-producer order %s\n", count, sum, ordered ? "kept" : "BROKEN");
    return 0;
}
