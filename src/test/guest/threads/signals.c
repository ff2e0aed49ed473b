/* Thread-directed signals: pthread_kill reaches the named thread, per-thread masks decide which
 * thread takes a process-directed signal, sigwait in a dedicated thread, and pthread_cancel of
 * threads blocked in a condition wait, in sleep and in read. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/syscall.h>

static pthread_t target;
static volatile sig_atomic_t hit_target, hit_other, usr2_in_target;
static volatile int ready;

static void on_usr1(int sig) {
    (void) sig;
    if (pthread_equal(pthread_self(), target)) hit_target++;
    else hit_other++;
}

static void on_usr2(int sig) {
    (void) sig;
    if (pthread_equal(pthread_self(), target)) usr2_in_target++;
}

static void *waiter(void *arg) {
    (void) arg;
    sigset_t s, none;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &s, NULL);
    __atomic_store_n(&ready, 1, __ATOMIC_SEQ_CST);
    while (hit_target < 1 || usr2_in_target < 1) {
        sigsuspend(&none); /* only while suspended does this thread take SIGUSR2 */
    }
    return NULL;
}

static int sigwait_got;
static void *sigwaiter(void *arg) {
    sigset_t *set = arg;
    int sig;
    sigwait(set, &sig);
    sigwait_got = sig;
    return NULL;
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int cleanups;
static void cleanup(void *arg) {
    (void) arg;
    __atomic_add_fetch(&cleanups, 1, __ATOMIC_SEQ_CST);
}
static void unlock_cleanup(void *arg) {
    pthread_mutex_unlock(arg);
    __atomic_add_fetch(&cleanups, 1, __ATOMIC_SEQ_CST);
}

static void *cancel_condwait(void *arg) {
    (void) arg;
    pthread_mutex_lock(&m);
    pthread_cleanup_push(unlock_cleanup, &m);
    for (;;) pthread_cond_wait(&c, &m);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *cancel_sleep(void *arg) {
    (void) arg;
    pthread_cleanup_push(cleanup, NULL);
    for (;;) sleep(100);
    pthread_cleanup_pop(0);
    return NULL;
}

static int pipefd[2];
static void *cancel_read(void *arg) {
    (void) arg;
    char b;
    pthread_cleanup_push(cleanup, NULL);
    for (;;) read(pipefd[0], &b, 1);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *cancel_async(void *arg) {
    (void) arg;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    for (volatile long i = 0;; i++) {
    }
    return NULL;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_usr2;
    sigaction(SIGUSR2, &sa, NULL);

    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, NULL); /* main and new threads block SIGUSR2 and SIGTERM */

    pthread_create(&target, NULL, waiter, NULL);
    while (!__atomic_load_n(&ready, __ATOMIC_SEQ_CST)) sched_yield();
    pthread_kill(target, SIGUSR1);
    kill(getpid(), SIGUSR2); /* only the target does not block it */
    pthread_join(target, NULL);
    printf("pthread_kill: target %d other %d; process SIGUSR2 taken by the unblocking thread %d\n", hit_target,
           hit_other, usr2_in_target);

    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_t sw;
    pthread_create(&sw, NULL, sigwaiter, &term);
    usleep(10000);
    kill(getpid(), SIGTERM);
    pthread_join(sw, NULL);
    printf("sigwait got %s\n", sigwait_got == SIGTERM ? "SIGTERM" : "?");

    int k0 = pthread_kill(pthread_self(), 0);
    long bad = syscall(SYS_tgkill, getpid(), 999999, 0);
    printf("pthread_kill with signal 0: %d, tgkill of a bad tid: %ld errno %d\n", k0, bad, errno);

    pipe(pipefd);
    pthread_t t1, t2, t3, t4;
    pthread_create(&t1, NULL, cancel_condwait, NULL);
    pthread_create(&t2, NULL, cancel_sleep, NULL);
    pthread_create(&t3, NULL, cancel_read, NULL);
    pthread_create(&t4, NULL, cancel_async, NULL);
    usleep(20000);
    void *r1, *r2, *r3, *r4;
    pthread_cancel(t1);
    pthread_cancel(t2);
    pthread_cancel(t3);
    pthread_cancel(t4);
    pthread_join(t1, &r1);
    pthread_join(t2, &r2);
    pthread_join(t3, &r3);
    pthread_join(t4, &r4);
    printf("cancel: %d %d %d %d, cleanups %d\n", r1 == PTHREAD_CANCELED, r2 == PTHREAD_CANCELED,
           r3 == PTHREAD_CANCELED, r4 == PTHREAD_CANCELED, cleanups);
    printf("mutex free after cancel: %d\n", pthread_mutex_trylock(&m));
    return 0;
}
