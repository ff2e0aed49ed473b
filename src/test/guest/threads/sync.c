/* Condition variables (a bounded buffer), barriers, POSIX semaphores, pthread_once, __thread
 * storage and thread-specific keys with destructors. Prints totals only. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <errno.h>

#define PRODUCERS 3
#define CONSUMERS 3
#define ITEMS 3000
#define SLOTS 8

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static long buf[SLOTS];
static int count, in, out, done_producers;
static long consumed_sum, consumed_n;

static void *producer(void *arg) {
    long id = (long) arg;
    for (long i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&m);
        while (count == SLOTS) pthread_cond_wait(&not_full, &m);
        buf[in] = id * 100000 + i;
        in = (in + 1) % SLOTS;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    done_producers++;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&m);
    return NULL;
}

static void *consumer(void *arg) {
    (void) arg;
    for (;;) {
        pthread_mutex_lock(&m);
        while (count == 0 && done_producers < PRODUCERS) pthread_cond_wait(&not_empty, &m);
        if (count == 0) {
            pthread_mutex_unlock(&m);
            return NULL;
        }
        long v = buf[out];
        out = (out + 1) % SLOTS;
        count--;
        consumed_sum += v;
        consumed_n++;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&m);
    }
}

#define BT 4
static pthread_barrier_t barrier;
static int phase_counts[3];
static int serial_count;
static pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;

static void *barrier_worker(void *arg) {
    (void) arg;
    for (int phase = 0; phase < 3; phase++) {
        pthread_mutex_lock(&pm);
        phase_counts[phase]++;
        pthread_mutex_unlock(&pm);
        int r = pthread_barrier_wait(&barrier);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD) {
            pthread_mutex_lock(&pm);
            serial_count++;
            if (phase_counts[phase] != BT) printf("phase %d incomplete\n", phase);
            pthread_mutex_unlock(&pm);
        } else if (r != 0) {
            printf("barrier error %d\n", r);
        }
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static sem_t items, spaces;
static long sem_total;
static void *sem_producer(void *arg) {
    (void) arg;
    for (int i = 1; i <= 1000; i++) {
        sem_wait(&spaces);
        __atomic_add_fetch(&sem_total, i, __ATOMIC_SEQ_CST);
        sem_post(&items);
    }
    return NULL;
}

static __thread int tls_value = 7;
static __thread char tls_buf[64];
static pthread_key_t key;
static int destructor_calls;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_calls;
static void once_fn(void) { once_calls++; }
static void destructor(void *p) { __atomic_add_fetch(&destructor_calls, (int) (long) p, __ATOMIC_SEQ_CST); }

static void *tls_worker(void *arg) {
    long id = (long) arg;
    pthread_once(&once, once_fn);
    if (tls_value != 7) printf("tls initial value wrong\n");
    tls_value = (int) id * 3;
    snprintf(tls_buf, sizeof tls_buf, "thread %ld", id);
    pthread_setspecific(key, (void *) id);
    for (volatile int i = 0; i < 10000; i++) {
    }
    if (tls_value != id * 3) printf("tls clobbered\n");
    char expect[64];
    snprintf(expect, sizeof expect, "thread %ld", id);
    for (int i = 0; expect[i]; i++) if (expect[i] != tls_buf[i]) printf("tls buf clobbered\n");
    if ((long) pthread_getspecific(key) != id) printf("key clobbered\n");
    return (void *) (long) tls_value;
}

int main(void) {
    pthread_t p[PRODUCERS], c[CONSUMERS];
    for (long i = 0; i < CONSUMERS; i++) pthread_create(&c[i], NULL, consumer, NULL);
    for (long i = 0; i < PRODUCERS; i++) pthread_create(&p[i], NULL, producer, (void *) (i + 1));
    for (int i = 0; i < PRODUCERS; i++) pthread_join(p[i], NULL);
    for (int i = 0; i < CONSUMERS; i++) pthread_join(c[i], NULL);
    printf("condvar: consumed %ld items, sum %ld\n", consumed_n, consumed_sum);

    pthread_barrier_init(&barrier, NULL, BT);
    pthread_t b[BT];
    for (long i = 0; i < BT; i++) pthread_create(&b[i], NULL, barrier_worker, NULL);
    for (int i = 0; i < BT; i++) pthread_join(b[i], NULL);
    printf("barrier: phases %d %d %d, serial %d\n", phase_counts[0], phase_counts[1], phase_counts[2], serial_count);

    sem_init(&items, 0, 0);
    sem_init(&spaces, 0, 4);
    pthread_t sp[2];
    for (int i = 0; i < 2; i++) pthread_create(&sp[i], NULL, sem_producer, NULL);
    for (int i = 0; i < 2000; i++) {
        sem_wait(&items);
        sem_post(&spaces);
    }
    for (int i = 0; i < 2; i++) pthread_join(sp[i], NULL);
    int v;
    sem_getvalue(&items, &v);
    int tw = sem_trywait(&items);
    printf("semaphore: total %ld, items left %d, trywait %d errno %s\n", sem_total, v, tw,
           errno == EAGAIN ? "EAGAIN" : "?");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20000000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    int r = sem_timedwait(&items, &ts);
    printf("sem_timedwait %d %s\n", r, errno == ETIMEDOUT ? "ETIMEDOUT" : "?");

    pthread_mutex_lock(&m);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 10000000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    r = pthread_cond_timedwait(&not_empty, &m, &ts);
    pthread_mutex_unlock(&m);
    printf("cond_timedwait %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "?");

    pthread_key_create(&key, destructor);
    pthread_t tt[6];
    long tsum = 0;
    for (long i = 0; i < 6; i++) pthread_create(&tt[i], NULL, tls_worker, (void *) (i + 1));
    for (int i = 0; i < 6; i++) {
        void *ret;
        pthread_join(tt[i], &ret);
        tsum += (long) ret;
    }
    printf("tls: sum %ld, main's value %d, once %d, destructors %d\n", tsum, tls_value, once_calls, destructor_calls);
    return 0;
}
