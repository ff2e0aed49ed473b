/* An AddressSanitizer build that does nothing wrong: its shadow memory is terabytes of
 * MAP_NORESERVE reservations, and at exit LeakSanitizer stops every thread with ptrace to scan
 * their registers and stacks for pointers. Output and status as without the sanitizer. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *worker(void *arg) {
    char *copy = strdup(arg);
    size_t n = strlen(copy);
    free(copy);
    return (void *) n;
}

int main(void) {
    pthread_t t[4];
    for (int k = 0; k < 4; k++) pthread_create(&t[k], NULL, worker, "sanitized");
    long total = 0;
    for (int k = 0; k < 4; k++) {
        void *n;
        pthread_join(t[k], &n);
        total += (long) n;
    }
    int *a = calloc(100, sizeof *a);
    for (int k = 0; k < 100; k++) a[k] = k * k;
    printf("total %ld, a[99] %d\n", total, a[99]);
    free(a);
    return 0;
}
