/* Robust mutexes whose owner dies (a thread that exits holding one, and a child process holding
 * a process-shared one in a MAP_SHARED file mapping), and priority-inheritance mutexes under
 * contention (FUTEX_LOCK_PI / FUTEX_UNLOCK_PI). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>

static pthread_mutex_t robust;

static void *die_holding(void *arg) {
    (void) arg;
    pthread_mutex_lock(&robust);
    return NULL; /* exits with the lock held */
}

static pthread_mutex_t pi;
static long pi_counter;
static void *pi_worker(void *arg) {
    (void) arg;
    for (int i = 0; i < 5000; i++) {
        pthread_mutex_lock(&pi);
        pi_counter++;
        pthread_mutex_unlock(&pi);
    }
    return NULL;
}

static void *pi_die(void *arg) {
    (void) arg;
    pthread_mutex_lock(&pi);
    return NULL;
}

static const char *err(int e) {
    return e == 0 ? "0" : e == EOWNERDEAD ? "EOWNERDEAD" : e == ENOTRECOVERABLE ? "ENOTRECOVERABLE"
        : e == EBUSY ? "EBUSY" : e == EDEADLK ? "EDEADLK" : e == EPERM ? "EPERM" : "other";
}

int main(void) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);

    pthread_t t;
    pthread_create(&t, NULL, die_holding, NULL);
    pthread_join(t, NULL);
    int r = pthread_mutex_lock(&robust);
    printf("lock after owner died: %s\n", err(r));
    if (r == EOWNERDEAD) {
        printf("consistent: %s\n", err(pthread_mutex_consistent(&robust)));
    }
    printf("unlock: %s\n", err(pthread_mutex_unlock(&robust)));
    printf("relock: %s\n", err(pthread_mutex_lock(&robust)));
    pthread_mutex_unlock(&robust);

    /* Owner dies while another thread waits for the lock. */
    pthread_create(&t, NULL, die_holding, NULL);
    pthread_join(t, NULL);
    r = pthread_mutex_lock(&robust);
    printf("second death: %s\n", err(r));
    pthread_mutex_unlock(&robust); /* not made consistent: the mutex becomes unrecoverable */
    printf("after unlock without consistent: %s\n", err(pthread_mutex_lock(&robust)));

    /* PI mutexes. */
    pthread_mutexattr_t pa;
    pthread_mutexattr_init(&pa);
    pthread_mutexattr_setprotocol(&pa, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pi, &pa);
    pthread_t w[4];
    for (int i = 0; i < 4; i++) pthread_create(&w[i], NULL, pi_worker, NULL);
    for (int i = 0; i < 4; i++) pthread_join(w[i], NULL);
    printf("pi counter %ld\n", pi_counter);
    pthread_mutex_lock(&pi);
    printf("pi trylock by owner: %s\n", err(pthread_mutex_trylock(&pi)));
    pthread_mutex_unlock(&pi);

    /* Robust PI mutex whose owner dies. */
    pthread_mutexattr_setrobust(&pa, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_destroy(&pi);
    pthread_mutex_init(&pi, &pa);
    pthread_create(&t, NULL, pi_die, NULL);
    pthread_join(t, NULL);
    r = pthread_mutex_lock(&pi);
    printf("robust pi after owner died: %s\n", err(r));
    if (r == EOWNERDEAD) pthread_mutex_consistent(&pi);
    pthread_mutex_unlock(&pi);

    /* A process-shared robust mutex in a shared file mapping; the child dies holding it. */
    char path[] = "/tmp/linux4j-robust-XXXXXX";
    int fd = mkstemp(path);
    ftruncate(fd, 4096);
    pthread_mutex_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pthread_mutexattr_t sa;
    pthread_mutexattr_init(&sa);
    pthread_mutexattr_setpshared(&sa, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&sa, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(shared, &sa);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(shared);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    r = pthread_mutex_lock(shared);
    printf("shared robust after child died: %s\n", err(r));
    if (r == EOWNERDEAD) pthread_mutex_consistent(shared);
    pthread_mutex_unlock(shared);
    unlink(path);
    return 0;
}
