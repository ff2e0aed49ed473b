/* Eight threads hammer counters under a mutex, a spinlock and an rwlock; totals must be exact.
 * A start barrier makes all eight run their loops at once however slowly threads start. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 8
static int ITERS = 20000; /* argv[1] scales it down for the stress test */

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t spin;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long counter, spun, written;
static long reads_ok = 1;
static pthread_barrier_t start;

static void *work(void *arg) {
    long id = (long) arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&mutex);
        counter++;
        pthread_mutex_unlock(&mutex);
        pthread_spin_lock(&spin);
        spun += 2;
        pthread_spin_unlock(&spin);
        if (i % 10 == 0) {
            pthread_rwlock_wrlock(&rw);
            written += 3;
            pthread_rwlock_unlock(&rw);
        } else {
            pthread_rwlock_rdlock(&rw);
            if (written % 3 != 0) reads_ok = 0;
            pthread_rwlock_unlock(&rw);
        }
    }
    return (void *) (id * 10);
}

int main(int argc, char **argv) {
    if (argc > 1) ITERS = atoi(argv[1]);
    pthread_t t[THREADS];
    pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
    pthread_barrier_init(&start, NULL, THREADS);
    for (long i = 0; i < THREADS; i++) {
        if (pthread_create(&t[i], NULL, work, (void *) i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    long sum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        sum += (long) ret;
    }
    printf("counter %ld (expected %d)\n", counter, THREADS * ITERS);
    printf("spun %ld written %ld reads_ok %ld\n", spun, written, reads_ok);
    printf("join sum %ld\n", sum);
    /* A recursive and an error-checking mutex. */
    pthread_mutexattr_t a;
    pthread_mutex_t rec, chk;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rec, &a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&chk, &a);
    int r1 = pthread_mutex_lock(&rec), r2 = pthread_mutex_lock(&rec);
    int r3 = pthread_mutex_unlock(&rec), r4 = pthread_mutex_unlock(&rec);
    printf("recursive %d %d %d %d\n", r1, r2, r3, r4);
    int c1 = pthread_mutex_lock(&chk), c2 = pthread_mutex_lock(&chk);
    int c3 = pthread_mutex_unlock(&chk), c4 = pthread_mutex_unlock(&chk);
    printf("errorcheck %d %d %d %d\n", c1, c2, c3, c4);
    printf("trylock %d\n", pthread_mutex_trylock(&mutex));
    return 0;
}
