/* ThreadSanitizer's report of a data race: a thread writes a global, the main thread reads it
 * after spinning on relaxed atomics (which order nothing for the race detector); exit status 66.
 * Its runtime maps its shadow and meta memory at fixed addresses and re-executes the program
 * when the layout does not suit it. */
#include <pthread.h>
#include <stdio.h>

int x;
static int written, seen;

static void *writer(void *arg) {
    x = 42;
    __atomic_store_n(&written, 1, __ATOMIC_RELAXED);
    while (!__atomic_load_n(&seen, __ATOMIC_RELAXED)) {
    }
    return arg;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    while (!__atomic_load_n(&written, __ATOMIC_RELAXED)) {
    }
    int v = x;
    __atomic_store_n(&seen, 1, __ATOMIC_RELAXED);
    pthread_join(t, NULL);
    printf("x = %d\n", v);
    return 0;
}
